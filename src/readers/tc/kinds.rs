//! Per-kind decoders of qdisc options (`TCA_OPTIONS`) and extended statistics
//! (`TCA_STATS_APP` / `TCA_XSTATS`), producing the keys `tc -s -j qdisc` (iproute2 6.1 and
//! 6.15) print, in their order and units: sizes in bytes, rates in bytes per second, times as
//! the kernel's raw microseconds (nanoseconds where noted), probabilities as `%g`-rounded
//! fractions.
//!
//! Attribute numbers and struct layouts are those of `include/uapi/linux/pkt_sched.h`, under the
//! kernel's names from [`crate::uapi::pkt_sched`]. Every decoder is a pure function of
//! bytes; a short struct reads as zero past its end where tc does the same, and yields nothing
//! where tc refuses it (the caller then keeps the bytes as `xstats_raw`).

use super::tsn;
use crate::model::tc::{Fields, Value, hex_0x, round_g};
use crate::netlink::attrs::{Attrs, Padded, each, u16_at, u32_at};
use crate::uapi::netlink::nla_bitfield32;
// Every name as the kernel header spells it, as a C decoder would `#include <linux/pkt_sched.h>`.
use crate::uapi::pkt_sched::*;

/// Kernel tick conversion (`/proc/net/psched`): microseconds per tick, as tc computes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ticks {
    /// `tick_in_usec` of tc_core.c.
    pub tick_in_usec: f64,
}

impl Default for Ticks {
    /// The value of every kernel since 2.6.32 (`000003e8 00000040 000f4240 …`: ticks of 64 ns).
    fn default() -> Ticks {
        Ticks {
            tick_in_usec: 15.625,
        }
    }
}

impl Ticks {
    /// Parse `/proc/net/psched` (`t2us us2t clock_res …` in hex), as tc_core.c does.
    pub fn from_psched(text: &str) -> Option<Ticks> {
        let mut it = text
            .split_whitespace()
            .map(|w| u32::from_str_radix(w, 16).ok());
        let t2us = f64::from(it.next()??);
        let mut us2t = f64::from(it.next()??);
        let clock_res = f64::from(it.next()??);
        if clock_res == 1e9 {
            us2t = t2us;
        }
        if us2t == 0.0 {
            return None;
        }
        Some(Ticks {
            tick_in_usec: t2us / us2t * (clock_res / 1e6),
        })
    }

    /// Ticks to microseconds, truncated (`tc_core_tick2time`).
    pub fn to_usec(&self, ticks: u32) -> u32 {
        (f64::from(ticks) / self.tick_in_usec) as u32
    }

    /// Ticks to microseconds, not rounded (`tc_core_tick2time` of iproute2 6.15; 6.1
    /// truncated to whole microseconds, [`Ticks::to_usec`]).
    pub fn to_usec_f64(&self, ticks: u32) -> f64 {
        f64::from(ticks) / self.tick_in_usec
    }

    /// Bytes sent at `rate` during `ticks` (`tc_calc_xmitsize` of iproute2 6.15: the time is
    /// not truncated to whole microseconds first, as 6.1 did).
    pub fn xmitsize(&self, rate: u64, ticks: u32) -> u32 {
        (rate as f64 * self.to_usec_f64(ticks) / 1e6) as u32
    }
}

/// Decoded options: the fields, or `None` when the kind is not one we decode.
pub fn options(kind: &str, opt: &[u8], ticks: &Ticks) -> Option<Fields> {
    let mut f = Fields::new();
    match kind {
        "pfifo" | "bfifo" | "pfifo_head_drop" => fifo(opt, &mut f),
        "pfifo_fast" | "prio" => prio(opt, &mut f),
        "htb" => htb(opt, &mut f),
        "ets" => ets(opt, &mut f),
        "hfsc" => hfsc(opt, &mut f),
        // These kinds have no options tc prints (mq, drr, ingress, clsact, noqueue).
        "mq" | "drr" | "ingress" | "clsact" | "noqueue" => {}
        "fq_codel" => fq_codel(opt, &mut f),
        "codel" => codel(opt, &mut f),
        "fq" => fq(opt, &mut f),
        "cake" => cake(opt, &mut f),
        "tbf" => tbf(opt, ticks, &mut f),
        "netem" => netem(opt, ticks, &mut f),
        "sfq" => sfq(opt, &mut f),
        "red" => red(opt, &mut f),
        "choke" => choke(opt, &mut f),
        "pie" => pie(opt, &mut f),
        "fq_pie" => fq_pie(opt, &mut f),
        "hhf" => hhf(opt, &mut f),
        "sfb" => sfb(opt, &mut f),
        "multiq" => multiq(opt, &mut f),
        "qfq" => qfq(opt, &mut f),
        "skbprio" => skbprio(opt, &mut f),
        "gred" => gred(opt, &mut f),
        // sch_plug has no dump operation: no options.
        "plug" => {}
        "cbs" => tsn::cbs(opt, &mut f),
        "etf" => tsn::etf(opt, &mut f),
        "taprio" => tsn::taprio(opt, &mut f),
        "mqprio" => tsn::mqprio(opt, &mut f),
        "dualpi2" => dualpi2(opt, &mut f),
        // teql's qdiscs are named after their master device (teql0, teql1, ...) and dump no
        // options.
        k if k.starts_with("teql") && opt.is_empty() => {}
        _ => return None,
    }
    Some(f)
}

/// Decoded xstats, or `None` when the kind has no decoder or tc would not print this struct
/// (too short): the caller keeps the bytes as hex.
pub fn xstats(kind: &str, x: &[u8]) -> Option<Fields> {
    let mut f = Fields::new();
    match kind {
        "fq_codel" => fq_codel_xstats(x, &mut f),
        "codel" => codel_xstats(x, &mut f),
        "fq" => fq_xstats(x, &mut f),
        "cake" => cake_xstats(x, &mut f),
        "sfq" if x.len() >= tc_sfq_xstats::SIZE => f.i(
            "allot",
            Padded::<{ tc_sfq_xstats::SIZE }>::new(x).i32(tc_sfq_xstats::ALLOT),
        ),
        "red" if x.len() >= tc_red_xstats::SIZE => red_xstats(x, &mut f),
        "choke" if x.len() >= tc_choke_xstats::SIZE => choke_xstats(x, &mut f),
        "pie" if x.len() >= tc_pie_xstats::SIZE => pie_xstats(x, &mut f),
        "fq_pie" => fq_pie_xstats(x, &mut f),
        "hhf" if x.len() >= tc_hhf_xstats::SIZE => hhf_xstats(x, &mut f),
        "sfb" if x.len() >= tc_sfb_xstats::SIZE => sfb_xstats(x, &mut f),
        "dualpi2" if x.len() >= tc_dualpi2_xstats::SIZE => dualpi2_xstats(x, &mut f),
        "taprio" => tsn::taprio_xstats(x, &mut f),
        _ => return None,
    }
    Some(f)
}

/// `tc_fifo_qopt`: `limit` in packets for pfifo, bytes for bfifo.
fn fifo(opt: &[u8], f: &mut Fields) {
    if let Some(limit) = u32_at(opt, tc_fifo_qopt::LIMIT) {
        f.u("limit", limit);
    }
}

/// `tc_prio_qopt`, then (in a compat nest) `TCA_PRIO_MQ`.
fn prio(opt: &[u8], f: &mut Fields) {
    if opt.len() < tc_prio_qopt::SIZE {
        return;
    }
    let p = Padded::<{ tc_prio_qopt::SIZE }>::new(opt);
    f.u("bands", p.u32(tc_prio_qopt::BANDS));
    f.push(
        "priomap",
        Value::List(
            (0..=TC_PRIO_MAX)
                .map(|i| Value::U(p.u8(tc_prio_qopt::PRIOMAP + i).into()))
                .collect(),
        ),
    );
    // The nest follows the struct, whose size is already a multiple of the 4-byte alignment.
    let nest: Attrs<{ TCA_PRIO_MAX + 1 }> =
        Attrs::parse(opt.get(tc_prio_qopt::SIZE..).unwrap_or(&[]));
    f.b("multiqueue", nest.u8(TCA_PRIO_MQ).is_some_and(|v| v != 0));
}

/// htb: `TCA_HTB_INIT` (`tc_htb_glob`), `TCA_HTB_DIRECT_QLEN`, `TCA_HTB_OFFLOAD`;
/// `TCA_HTB_PARMS` (`tc_htb_opt`) is class-only.
fn htb(opt: &[u8], f: &mut Fields) {
    let a: Attrs<{ TCA_HTB_MAX + 1 }> = Attrs::parse(opt);
    if let Some(parms) = a.get(TCA_HTB_PARMS) {
        if parms.len() < tc_htb_opt::SIZE {
            return;
        }
        let p = Padded::<{ tc_htb_opt::SIZE }>::new(parms);
        if p.u32(tc_htb_opt::LEVEL) == 0 {
            f.i("prio", p.i32(tc_htb_opt::PRIO));
        }
    }
    if let Some(init) = a.get(TCA_HTB_INIT) {
        if init.len() < tc_htb_glob::SIZE {
            return;
        }
        let g = Padded::<{ tc_htb_glob::SIZE }>::new(init);
        f.i("r2q", g.i32(tc_htb_glob::RATE2QUANTUM));
        f.s("default", hex_0x(g.u32(tc_htb_glob::DEFCLS).into()));
        f.u("direct_packets_stat", g.u32(tc_htb_glob::DIRECT_PKTS));
    }
    if let Some(q) = a.u32(TCA_HTB_DIRECT_QLEN) {
        f.u("direct_qlen", q);
    }
    if a.has(TCA_HTB_OFFLOAD) {
        f.null("offload");
    }
}

/// ets: `TCA_ETS_NBANDS`, `TCA_ETS_NSTRICT` (u8), `TCA_ETS_QUANTA` (nest of
/// `TCA_ETS_QUANTA_BAND`, u32), `TCA_ETS_PRIOMAP` (nest of `TCA_ETS_PRIOMAP_BAND`, u8).
fn ets(opt: &[u8], f: &mut Fields) {
    let a: Attrs<{ TCA_ETS_MAX + 1 }> = Attrs::parse(opt);
    let (Some(bands), Some(priomap)) = (a.u8(TCA_ETS_NBANDS), a.get(TCA_ETS_PRIOMAP)) else {
        return;
    };
    f.u("bands", bands);
    if let Some(strict) = a.u8(TCA_ETS_NSTRICT) {
        f.u("strict", strict);
    }
    if let Some(quanta) = a.get(TCA_ETS_QUANTA) {
        let list = each(quanta)
            .filter(|(k, _)| usize::from(*k) == TCA_ETS_QUANTA_BAND)
            .filter_map(|(_, v)| u32_at(v, 0))
            .map(|q| Value::U(q.into()))
            .collect();
        f.push("quanta", Value::List(list));
    }
    let list = each(priomap)
        .filter(|(k, _)| usize::from(*k) == TCA_ETS_PRIOMAP_BAND)
        .filter_map(|(_, v)| v.first().copied())
        .map(|b| Value::U(b.into()))
        .collect();
    f.push("priomap", Value::List(list));
}

/// hfsc: `tc_hfsc_qopt`. tc prints a non-zero default as text only; here it is the same hex
/// digits as a string.
fn hfsc(opt: &[u8], f: &mut Fields) {
    if let Some(defcls) = u16_at(opt, tc_hfsc_qopt::DEFCLS).filter(|&d| d != 0) {
        f.s("default", format!("{defcls:x}"));
    }
}

/// fq_codel options (`TCA_FQ_CODEL_*`).
fn fq_codel(opt: &[u8], f: &mut Fields) {
    let a: Attrs<{ TCA_FQ_CODEL_MAX + 1 }> = Attrs::parse(opt);
    if let Some(v) = a.u32(TCA_FQ_CODEL_LIMIT) {
        f.u("limit", v);
    }
    if let Some(v) = a.u32(TCA_FQ_CODEL_FLOWS) {
        f.u("flows", v);
    }
    if let Some(v) = a.u32(TCA_FQ_CODEL_QUANTUM) {
        f.u("quantum", v);
    }
    if let Some(v) = a.u32(TCA_FQ_CODEL_TARGET) {
        f.u("target", v);
    }
    if let Some(v) = a.u32(TCA_FQ_CODEL_CE_THRESHOLD) {
        f.u("ce_threshold", v);
    }
    let selector = a.u8(TCA_FQ_CODEL_CE_THRESHOLD_SELECTOR).unwrap_or(0);
    let mask = a.u8(TCA_FQ_CODEL_CE_THRESHOLD_MASK).unwrap_or(0);
    if mask != 0 || selector != 0 {
        f.u("ce_threshold_selector", selector);
        f.u("ce_threshold_mask", mask);
    }
    if let Some(v) = a.u32(TCA_FQ_CODEL_INTERVAL) {
        f.u("interval", v);
    }
    if let Some(v) = a.u32(TCA_FQ_CODEL_MEMORY_LIMIT) {
        f.u("memory_limit", v);
    }
    if a.u32(TCA_FQ_CODEL_ECN).is_some_and(|v| v != 0) {
        f.b("ecn", true);
    }
    if let Some(v) = a.u32(TCA_FQ_CODEL_DROP_BATCH_SIZE).filter(|&v| v != 0) {
        f.u("drop_batch", v);
    }
}

/// `tc_fq_codel_xstats` (zero-extended): a qdisc's or a class's statistics, by `type`.
fn fq_codel_xstats(x: &[u8], f: &mut Fields) {
    let p = Padded::<{ tc_fq_codel_xstats::SIZE }>::new(x);
    match p.u32(tc_fq_codel_xstats::TYPE) {
        TCA_FQ_CODEL_XSTATS_QDISC => {
            let qd = tc_fq_codel_xstats::QDISC_STATS;
            f.u("maxpacket", p.u32(qd + tc_fq_codel_qd_stats::MAXPACKET));
            f.c(
                "drop_overlimit",
                p.u32(qd + tc_fq_codel_qd_stats::DROP_OVERLIMIT),
            );
            f.c(
                "new_flow_count",
                p.u32(qd + tc_fq_codel_qd_stats::NEW_FLOW_COUNT),
            );
            f.c("ecn_mark", p.u32(qd + tc_fq_codel_qd_stats::ECN_MARK));
            if p.u32(qd + tc_fq_codel_qd_stats::CE_MARK) != 0 {
                f.c("ce_mark", p.u32(qd + tc_fq_codel_qd_stats::CE_MARK));
            }
            if p.u32(qd + tc_fq_codel_qd_stats::MEMORY_USAGE) != 0 {
                f.u(
                    "memory_used",
                    p.u32(qd + tc_fq_codel_qd_stats::MEMORY_USAGE),
                );
            }
            if p.u32(qd + tc_fq_codel_qd_stats::DROP_OVERMEMORY) != 0 {
                f.c(
                    "drop_overmemory",
                    p.u32(qd + tc_fq_codel_qd_stats::DROP_OVERMEMORY),
                );
            }
            f.u(
                "new_flows_len",
                p.u32(qd + tc_fq_codel_qd_stats::NEW_FLOWS_LEN),
            );
            f.u(
                "old_flows_len",
                p.u32(qd + tc_fq_codel_qd_stats::OLD_FLOWS_LEN),
            );
        }
        TCA_FQ_CODEL_XSTATS_CLASS => {
            let cl = tc_fq_codel_xstats::CLASS_STATS;
            f.i("deficit", p.i32(cl + tc_fq_codel_cl_stats::DEFICIT));
            f.u("count", p.u32(cl + tc_fq_codel_cl_stats::COUNT));
            f.u("lastcount", p.u32(cl + tc_fq_codel_cl_stats::LASTCOUNT));
            f.u("ldelay", p.u32(cl + tc_fq_codel_cl_stats::LDELAY));
            if p.u32(cl + tc_fq_codel_cl_stats::DROPPING) != 0 {
                f.b("dropping", true);
                f.i("drop_next", p.i32(cl + tc_fq_codel_cl_stats::DROP_NEXT));
            }
        }
        _ => {}
    }
}

/// codel options (`TCA_CODEL_*`).
fn codel(opt: &[u8], f: &mut Fields) {
    let a: Attrs<{ TCA_CODEL_MAX + 1 }> = Attrs::parse(opt);
    if let Some(v) = a.u32(TCA_CODEL_LIMIT) {
        f.u("limit", v);
    }
    if let Some(v) = a.u32(TCA_CODEL_TARGET) {
        f.u("target", v);
    }
    if let Some(v) = a.u32(TCA_CODEL_CE_THRESHOLD) {
        f.u("ce_threshold", v);
    }
    if let Some(v) = a.u32(TCA_CODEL_INTERVAL) {
        f.u("interval", v);
    }
    if a.u32(TCA_CODEL_ECN).is_some_and(|v| v != 0) {
        f.b("ecn", true);
    }
}

/// `tc_codel_xstats` (zero-extended).
fn codel_xstats(x: &[u8], f: &mut Fields) {
    let p = Padded::<{ tc_codel_xstats::SIZE }>::new(x);
    f.u("count", p.u32(tc_codel_xstats::COUNT));
    f.u("lastcount", p.u32(tc_codel_xstats::LASTCOUNT));
    f.u("ldelay", p.u32(tc_codel_xstats::LDELAY));
    if p.u32(tc_codel_xstats::DROPPING) != 0 {
        f.b("dropping", true);
    }
    f.i("drop_next", p.i32(tc_codel_xstats::DROP_NEXT));
    f.u("maxpacket", p.u32(tc_codel_xstats::MAXPACKET));
    f.c("ecn_mark", p.u32(tc_codel_xstats::ECN_MARK));
    f.c("drop_overlimit", p.u32(tc_codel_xstats::DROP_OVERLIMIT));
    if p.u32(tc_codel_xstats::CE_MARK) != 0 {
        f.c("ce_mark", p.u32(tc_codel_xstats::CE_MARK));
    }
}

/// fq options (`TCA_FQ_*`); `timer_slack` is in nanoseconds.
fn fq(opt: &[u8], f: &mut Fields) {
    let a: Attrs<{ TCA_FQ_MAX + 1 }> = Attrs::parse(opt);
    if let Some(v) = a.u32(TCA_FQ_PLIMIT) {
        f.u("limit", v);
    }
    if let Some(v) = a.u32(TCA_FQ_FLOW_PLIMIT) {
        f.u("flow_limit", v);
    }
    if let Some(v) = a.u32(TCA_FQ_BUCKETS_LOG) {
        f.u("buckets", 1u32.wrapping_shl(v));
    }
    if let Some(v) = a.u32(TCA_FQ_ORPHAN_MASK) {
        f.u("orphan_mask", v);
    }
    if a.u32(TCA_FQ_RATE_ENABLE) == Some(0) {
        f.b("pacing", false);
    }
    // Bands, their priority map and weights: Linux 6.8+, printed by iproute2 6.15 under the
    // keys "priomap " and "weights " (with a trailing space); written here without it.
    if let Some(map) = a
        .get(TCA_FQ_PRIOMAP)
        .filter(|m| m.len() >= tc_prio_qopt::SIZE)
    {
        let p = Padded::<{ tc_prio_qopt::SIZE }>::new(map);
        f.u("bands", p.u32(tc_prio_qopt::BANDS));
        f.push(
            "priomap",
            Value::List(
                (0..=TC_PRIO_MAX)
                    .map(|i| Value::U(p.u8(tc_prio_qopt::PRIOMAP + i).into()))
                    .collect(),
            ),
        );
    }
    if let Some(w) = a.get(TCA_FQ_WEIGHTS).filter(|w| w.len() >= 4 * FQ_BANDS) {
        // tc prints the signed weights with its unsigned printer.
        let list = (0..FQ_BANDS)
            .map(|i| Value::U(u32_at(w, 4 * i).unwrap_or(0).into()))
            .collect();
        f.push("weights", Value::List(list));
    }
    if let Some(v) = a.u32(TCA_FQ_QUANTUM) {
        f.u("quantum", v);
    }
    if let Some(v) = a.u32(TCA_FQ_INITIAL_QUANTUM) {
        f.u("initial_quantum", v);
    }
    if let Some(v) = a.u32(TCA_FQ_FLOW_MAX_RATE).filter(|&v| v != u32::MAX) {
        f.u("maxrate", v);
    }
    if let Some(v) = a.u32(TCA_FQ_FLOW_DEFAULT_RATE).filter(|&v| v != 0) {
        f.u("defrate", v);
    }
    if let Some(v) = a.u32(TCA_FQ_LOW_RATE_THRESHOLD).filter(|&v| v != 0) {
        f.u("low_rate_threshold", v);
    }
    if let Some(v) = a.u32(TCA_FQ_FLOW_REFILL_DELAY) {
        f.u("refill_delay", v);
    }
    if let Some(v) = a.u32(TCA_FQ_CE_THRESHOLD).filter(|&v| v != u32::MAX) {
        f.u("ce_threshold", v);
    }
    if let Some(v) = a.u32(TCA_FQ_TIMER_SLACK) {
        f.u("timer_slack", v);
    }
    if let Some(v) = a.u32(TCA_FQ_HORIZON) {
        f.u("horizon", v);
    }
    match a.u8(TCA_FQ_HORIZON_DROP) {
        Some(0) => f.null("horizon_cap"),
        Some(_) => f.null("horizon_drop"),
        None => {}
    }
    if let Some(v) = a.u32(TCA_FQ_OFFLOAD_HORIZON) {
        f.u("offload_horizon", v);
    }
}

/// `tc_fq_qd_stats`, zero-extended as tc reads it: Linux 6.1's 104 bytes, or Linux 6.8's 152
/// with the fast path and per-band counters iproute2 6.15 prints (`band0_pkts`… always, the
/// others when not zero).
fn fq_xstats(x: &[u8], f: &mut Fields) {
    let p = Padded::<{ tc_fq_qd_stats::SIZE }>::new(x);
    f.u("flows", p.u32(tc_fq_qd_stats::FLOWS));
    f.u("inactive", p.u32(tc_fq_qd_stats::INACTIVE_FLOWS));
    f.u("throttled", p.u32(tc_fq_qd_stats::THROTTLED_FLOWS));
    for (key, band) in [("band0_pkts", 0), ("band1_pkts", 1), ("band2_pkts", 2)] {
        f.u(key, p.u32(tc_fq_qd_stats::BAND_PKT_COUNT + 4 * band));
    }
    if p.i64(tc_fq_qd_stats::TIME_NEXT_DELAYED_FLOW) > 0 {
        f.u(
            "next_packet_delay",
            p.u64(tc_fq_qd_stats::TIME_NEXT_DELAYED_FLOW),
        );
    }
    f.c("gc", p.u64(tc_fq_qd_stats::GC_FLOWS));
    f.c("highprio", p.u64(tc_fq_qd_stats::HIGHPRIO_PACKETS));
    if p.u64(tc_fq_qd_stats::FASTPATH_PACKETS) != 0 {
        f.c("fastpath", p.u64(tc_fq_qd_stats::FASTPATH_PACKETS));
    }
    if p.u64(tc_fq_qd_stats::TCP_RETRANS) != 0 {
        f.c("retrans", p.u64(tc_fq_qd_stats::TCP_RETRANS));
    }
    // tc prints the throttled-events counter under the same key as the throttled flows.
    f.c("throttled", p.u64(tc_fq_qd_stats::THROTTLED));
    if p.u32(tc_fq_qd_stats::UNTHROTTLE_LATENCY_NS) != 0 {
        f.u("latency", p.u32(tc_fq_qd_stats::UNTHROTTLE_LATENCY_NS));
    }
    for (key, off) in [
        ("ce_mark", tc_fq_qd_stats::CE_MARK),
        ("flows_plimit", tc_fq_qd_stats::FLOWS_PLIMIT),
        ("pkts_too_long", tc_fq_qd_stats::PKTS_TOO_LONG),
        ("alloc_errors", tc_fq_qd_stats::ALLOCATION_ERRORS),
        ("horizon_drops", tc_fq_qd_stats::HORIZON_DROPS),
        ("horizon_caps", tc_fq_qd_stats::HORIZON_CAPS),
        ("band0_drops", tc_fq_qd_stats::BAND_DROPS),
        ("band1_drops", tc_fq_qd_stats::BAND_DROPS + 8),
        ("band2_drops", tc_fq_qd_stats::BAND_DROPS + 16),
    ] {
        // Every one of these counts events (marks, drops, failures) over the qdisc's life.
        if p.u64(off) != 0 {
            f.c(key, p.u64(off));
        }
    }
}

/// tc's names of the `CAKE_DIFFSERV_*` modes, by value.
const CAKE_DIFFSERV: [&str; CAKE_DIFFSERV_MAX] = [
    "diffserv3",
    "diffserv4",
    "diffserv8",
    "besteffort",
    "precedence",
];
/// tc's names of the `CAKE_FLOW_*` modes, by value.
const CAKE_FLOWMODE: [&str; CAKE_FLOW_MAX] = [
    "flowblind",
    "srchost",
    "dsthost",
    "hosts",
    "flows",
    "dual-srchost",
    "dual-dsthost",
    "triple-isolate",
];

fn name_or_unknown(names: &[&'static str], v: u32) -> &'static str {
    names.get(v as usize).copied().unwrap_or("unknown")
}

/// cake options (`TCA_CAKE_*`).
fn cake(opt: &[u8], f: &mut Fields) {
    let a: Attrs<{ TCA_CAKE_MAX + 1 }> = Attrs::parse(opt);
    let u = |k| a.u32(k).unwrap_or(0);
    if let Some(rate) = a.u64(TCA_CAKE_BASE_RATE64) {
        if rate != 0 {
            f.u("bandwidth", rate);
        } else {
            f.s("bandwidth", "unlimited");
        }
    }
    // The header names no autorate modes; tc knows one, 1, and calls the rest unknown.
    if let Some(v) = a.u32(TCA_CAKE_AUTORATE).filter(|&v| v != 0) {
        f.s(
            "autorate",
            if v == 1 {
                "autorate-ingress"
            } else {
                "unknown"
            },
        );
    }
    if let Some(v) = a.u32(TCA_CAKE_DIFFSERV_MODE) {
        f.s("diffserv", name_or_unknown(&CAKE_DIFFSERV, v));
    }
    if let Some(v) = a.u32(TCA_CAKE_FLOW_MODE) {
        f.s("flowmode", name_or_unknown(&CAKE_FLOWMODE, v));
    }
    f.b("nat", u(TCA_CAKE_NAT) != 0);
    f.b("wash", u(TCA_CAKE_WASH) != 0);
    f.b("ingress", u(TCA_CAKE_INGRESS) != 0);
    f.s(
        "ack-filter",
        match u(TCA_CAKE_ACK_FILTER) {
            CAKE_ACK_AGGRESSIVE => "aggressive",
            CAKE_ACK_FILTER => "enabled",
            _ => "disabled",
        },
    );
    f.b("split_gso", u(TCA_CAKE_SPLIT_GSO) != 0);
    f.u("rtt", u(TCA_CAKE_RTT));
    // TCA_CAKE_RAW means "raw" by its presence, whatever its value.
    let raw = a.has(TCA_CAKE_RAW);
    f.b("raw", raw);
    match u(TCA_CAKE_ATM) {
        CAKE_ATM_ATM => f.s("atm", "atm"),
        CAKE_ATM_PTM => f.s("atm", "ptm"),
        _ if !raw => f.s("atm", "noatm"),
        _ => {}
    }
    f.i("overhead", a.i32(TCA_CAKE_OVERHEAD).unwrap_or(0));
    if u(TCA_CAKE_MPU) != 0 {
        f.u("mpu", u(TCA_CAKE_MPU));
    }
    if u(TCA_CAKE_MEMORY) != 0 {
        f.u("memlimit", u(TCA_CAKE_MEMORY));
    }
    f.s("fwmark", hex_0x(u(TCA_CAKE_FWMARK).into()));
}

/// cake xstats: a nest of `TCA_CAKE_STATS_*` with per-tin nests.
fn cake_xstats(x: &[u8], f: &mut Fields) {
    let a: Attrs<{ TCA_CAKE_STATS_MAX + 1 }> = Attrs::parse(x);
    if let (Some(used), Some(limit)) = (
        a.u32(TCA_CAKE_STATS_MEMORY_USED),
        a.u32(TCA_CAKE_STATS_MEMORY_LIMIT),
    ) {
        f.u("memory_used", used);
        f.u("memory_limit", limit);
    }
    if let Some(v) = a.u64(TCA_CAKE_STATS_CAPACITY_ESTIMATE64) {
        f.u("capacity_estimate", v);
    }
    if let (Some(min), Some(max)) = (
        a.u32(TCA_CAKE_STATS_MIN_NETLEN),
        a.u32(TCA_CAKE_STATS_MAX_NETLEN),
    ) {
        f.u("min_network_size", min);
        f.u("max_network_size", max);
    }
    if let (Some(min), Some(max)) = (
        a.u32(TCA_CAKE_STATS_MIN_ADJLEN),
        a.u32(TCA_CAKE_STATS_MAX_ADJLEN),
    ) {
        f.u("min_adj_size", min);
        f.u("max_adj_size", max);
    }
    if let Some(v) = a.u32(TCA_CAKE_STATS_AVG_NETOFF) {
        f.u("avg_hdr_offset", v);
    }
    if let Some(v) = a.i32(TCA_CAKE_STATS_DEFICIT) {
        f.i("deficit", v);
    }
    if let Some(v) = a.u32(TCA_CAKE_STATS_COBALT_COUNT) {
        f.u("count", v);
    }
    if a.u32(TCA_CAKE_STATS_DROPPING).is_some_and(|v| v != 0) {
        f.b("dropping", true);
        if let Some(v) = a.i32(TCA_CAKE_STATS_DROP_NEXT_US).filter(|&v| v >= 0) {
            f.u("drop_next", v as u32);
        }
    }
    if let Some(v) = a.u32(TCA_CAKE_STATS_P_DROP) {
        f.u("blue_prob", v);
        if let Some(t) = a.i32(TCA_CAKE_STATS_BLUE_TIMER_US).filter(|&v| v >= 0) {
            f.u("blue_timer", t as u32);
        }
    }
    if let Some(tins) = a.get(TCA_CAKE_STATS_TIN_STATS) {
        let t: Attrs<{ TC_CAKE_MAX_TINS + 1 }> = Attrs::parse(tins);
        // Tins are numbered from 1; the list ends at the first missing index, as in tc.
        let list: Vec<Value> = (1..=TC_CAKE_MAX_TINS)
            .map_while(|i| t.get(i))
            .map(|tin| Value::Obj(cake_tin(tin)))
            .collect();
        if !list.is_empty() {
            f.push("tins", Value::List(list));
        }
    }
}

fn cake_tin(tin: &[u8]) -> Fields {
    let a: Attrs<{ TCA_CAKE_TIN_STATS_MAX + 1 }> = Attrs::parse(tin);
    let mut f = Fields::new();
    // (key, attribute, 64-bit, counter)
    for (key, kind, wide, counter) in [
        (
            "threshold_rate",
            TCA_CAKE_TIN_STATS_THRESHOLD_RATE64,
            true,
            false,
        ),
        ("sent_bytes", TCA_CAKE_TIN_STATS_SENT_BYTES64, true, true),
        (
            "backlog_bytes",
            TCA_CAKE_TIN_STATS_BACKLOG_BYTES,
            false,
            false,
        ),
        ("target_us", TCA_CAKE_TIN_STATS_TARGET_US, false, false),
        ("interval_us", TCA_CAKE_TIN_STATS_INTERVAL_US, false, false),
        (
            "peak_delay_us",
            TCA_CAKE_TIN_STATS_PEAK_DELAY_US,
            false,
            false,
        ),
        (
            "avg_delay_us",
            TCA_CAKE_TIN_STATS_AVG_DELAY_US,
            false,
            false,
        ),
        (
            "base_delay_us",
            TCA_CAKE_TIN_STATS_BASE_DELAY_US,
            false,
            false,
        ),
        ("sent_packets", TCA_CAKE_TIN_STATS_SENT_PACKETS, false, true),
        (
            "way_indirect_hits",
            TCA_CAKE_TIN_STATS_WAY_INDIRECT_HITS,
            false,
            true,
        ),
        ("way_misses", TCA_CAKE_TIN_STATS_WAY_MISSES, false, true),
        (
            "way_collisions",
            TCA_CAKE_TIN_STATS_WAY_COLLISIONS,
            false,
            true,
        ),
        ("drops", TCA_CAKE_TIN_STATS_DROPPED_PACKETS, false, true),
        (
            "ecn_mark",
            TCA_CAKE_TIN_STATS_ECN_MARKED_PACKETS,
            false,
            true,
        ),
        (
            "ack_drops",
            TCA_CAKE_TIN_STATS_ACKS_DROPPED_PACKETS,
            false,
            true,
        ),
        (
            "sparse_flows",
            TCA_CAKE_TIN_STATS_SPARSE_FLOWS,
            false,
            false,
        ),
        ("bulk_flows", TCA_CAKE_TIN_STATS_BULK_FLOWS, false, false),
        (
            "unresponsive_flows",
            TCA_CAKE_TIN_STATS_UNRESPONSIVE_FLOWS,
            false,
            false,
        ),
        ("max_pkt_len", TCA_CAKE_TIN_STATS_MAX_SKBLEN, false, false),
        (
            "flow_quantum",
            TCA_CAKE_TIN_STATS_FLOW_QUANTUM,
            false,
            false,
        ),
    ] {
        let v = if wide {
            a.u64(kind)
        } else {
            a.u32(kind).map(u64::from)
        };
        match v {
            Some(v) if counter => f.c(key, v),
            Some(v) => f.u(key, v),
            None => {}
        }
    }
    f
}

/// The fields of a `tc_ratespec` that tbf prints.
struct RateSpec {
    cell_log: u8,
    linklayer: u8,
    overhead: u16,
    mpu: u16,
    rate: u32,
}

/// The `tc_ratespec` at `off` of a `tc_tbf_qopt`.
fn ratespec(p: &Padded<{ tc_tbf_qopt::SIZE }>, off: usize) -> RateSpec {
    RateSpec {
        cell_log: p.u8(off + tc_ratespec::CELL_LOG),
        linklayer: p.u8(off + tc_ratespec::LINKLAYER) & TC_LINKLAYER_MASK,
        overhead: p.u16(off + tc_ratespec::OVERHEAD),
        mpu: p.u16(off + tc_ratespec::MPU),
        rate: p.u32(off + tc_ratespec::RATE),
    }
}

/// tbf: `TCA_TBF_PARMS` (`tc_tbf_qopt`), `TCA_TBF_RATE64`, `TCA_TBF_PRATE64`.
fn tbf(opt: &[u8], ticks: &Ticks, f: &mut Fields) {
    let a: Attrs<{ TCA_TBF_MAX + 1 }> = Attrs::parse(opt);
    let Some(parms) = a
        .get(TCA_TBF_PARMS)
        .filter(|p| p.len() >= tc_tbf_qopt::SIZE)
    else {
        return;
    };
    let p = Padded::<{ tc_tbf_qopt::SIZE }>::new(parms);
    let rate = ratespec(&p, tc_tbf_qopt::RATE);
    let peak = ratespec(&p, tc_tbf_qopt::PEAKRATE);
    let (limit, buffer_ticks, mtu_ticks) = (
        p.u32(tc_tbf_qopt::LIMIT),
        p.u32(tc_tbf_qopt::BUFFER),
        p.u32(tc_tbf_qopt::MTU),
    );
    let rate64 = a.u64(TCA_TBF_RATE64).unwrap_or(rate.rate.into());
    let prate64 = a.u64(TCA_TBF_PRATE64).unwrap_or(peak.rate.into());
    let _ = rate.cell_log;
    f.u("rate", rate64);
    f.u("burst", ticks.xmitsize(rate64, buffer_ticks));
    if prate64 != 0 && (mtu_ticks != 0 || peak.mpu != 0) {
        f.u("minburst", ticks.xmitsize(prate64, mtu_ticks));
    }
    // As iproute2 6.15 computes it: the buffer's time is not truncated to whole microseconds.
    let mut latency = 1e6 * (f64::from(limit) / rate64 as f64) - ticks.to_usec_f64(buffer_ticks);
    if prate64 != 0 {
        let lat2 = 1e6 * (f64::from(limit) / prate64 as f64) - ticks.to_usec_f64(mtu_ticks);
        if lat2 > latency {
            latency = lat2;
        }
    }
    if latency >= 0.0 {
        // An infinite latency (rate 0) converts to 0, as tc's integer conversion does on x86-64.
        f.u(
            "lat",
            if latency.is_finite() {
                latency as u64
            } else {
                0
            },
        );
    }
    if latency < 0.0 {
        f.u("limit", limit);
    }
    if rate.overhead != 0 {
        f.i("overhead", rate.overhead);
    }
    if rate.linklayer > TC_LINKLAYER_ETHERNET {
        f.s(
            "linklayer",
            if rate.linklayer == TC_LINKLAYER_ATM {
                "atm"
            } else {
                "unknown"
            },
        );
    }
}

/// A 32-bit scaled probability as tc's `PERCENT` prints it in JSON: a fraction.
fn fraction(v: u32) -> f64 {
    f64::from(v) / f64::from(u32::MAX)
}

/// Nanoseconds as `%g` seconds, through an unsigned conversion as tc does.
fn seconds64(ns: i64) -> f64 {
    ns as u64 as f64 / 1e9
}

/// netem: `tc_netem_qopt` followed by attributes (`TCA_NETEM_*`).
fn netem(opt: &[u8], ticks: &Ticks, f: &mut Fields) {
    if opt.len() < tc_netem_qopt::SIZE {
        return;
    }
    let q = Padded::<{ tc_netem_qopt::SIZE }>::new(opt);
    let a: Attrs<{ TCA_NETEM_MAX + 1 }> = Attrs::parse(&opt[tc_netem_qopt::SIZE..]);
    // tc prints nothing when one of these is shorter than its struct.
    for (kind, min) in [
        (TCA_NETEM_CORR, tc_netem_corr::SIZE),
        (TCA_NETEM_REORDER, tc_netem_reorder::SIZE),
        (TCA_NETEM_CORRUPT, tc_netem_corrupt::SIZE),
        (TCA_NETEM_RATE, tc_netem_rate::SIZE),
        (TCA_NETEM_ECN, size_of::<u32>()),
        (TCA_NETEM_RATE64, size_of::<u64>()),
        (TCA_NETEM_SLOT, tc_netem_slot::SIZE),
        (TCA_NETEM_LATENCY64, size_of::<u64>()),
        (TCA_NETEM_JITTER64, size_of::<u64>()),
        (TCA_NETEM_PRNG_SEED, size_of::<u64>()),
    ] {
        if a.get(kind).is_some_and(|v| v.len() < min) {
            return;
        }
    }
    let corr = a
        .get(TCA_NETEM_CORR)
        .map(Padded::<{ tc_netem_corr::SIZE }>::new);
    let corr_at = |off| corr.map_or(0, |c| c.u32(off));
    let pair = |main: &'static str, v: u32, c: u32| {
        let mut o = Fields::new();
        o.f(main, fraction(v));
        o.f("correlation", fraction(c));
        Value::Obj(o)
    };
    f.u("limit", q.u32(tc_netem_qopt::LIMIT));
    // iproute2 6.15 takes delay and jitter from the nanosecond attributes (Linux 4.15+);
    // 6.1 took them from the struct's ticks, truncated to whole microseconds. Without the
    // attributes (an older kernel) the ticks are what there is.
    let delay = match a.u64(TCA_NETEM_LATENCY64) {
        Some(ns) => (ns != 0).then(|| {
            let jitter = a.u64(TCA_NETEM_JITTER64).unwrap_or(0);
            (ns as f64 / 1e9, jitter as f64 / 1e9)
        }),
        None => (q.u32(tc_netem_qopt::LATENCY) != 0).then(|| {
            (
                f64::from(ticks.to_usec(q.u32(tc_netem_qopt::LATENCY))) / 1e6,
                f64::from(ticks.to_usec(q.u32(tc_netem_qopt::JITTER))) / 1e6,
            )
        }),
    };
    if let Some((delay, jitter)) = delay {
        let mut d = Fields::new();
        d.f("delay", delay);
        d.f("jitter", jitter);
        d.f("correlation", fraction(corr_at(tc_netem_corr::DELAY_CORR)));
        f.push("delay", Value::Obj(d));
    }
    if q.u32(tc_netem_qopt::LOSS) != 0 {
        f.push(
            "loss-random",
            pair(
                "loss",
                q.u32(tc_netem_qopt::LOSS),
                corr_at(tc_netem_corr::LOSS_CORR),
            ),
        );
    }
    let loss: Attrs<{ NETEM_LOSS_MAX + 1 }> = Attrs::parse(a.get(TCA_NETEM_LOSS).unwrap_or(&[]));
    if let Some(gi) = loss.get(NETEM_LOSS_GI) {
        let g = Padded::<{ tc_netem_gimodel::SIZE }>::new(gi);
        let mut o = Fields::new();
        for (key, off) in [
            ("p13", tc_netem_gimodel::P13),
            ("p31", tc_netem_gimodel::P31),
            ("p32", tc_netem_gimodel::P32),
            ("p23", tc_netem_gimodel::P23),
            ("p14", tc_netem_gimodel::P14),
        ] {
            o.f(key, fraction(g.u32(off)));
        }
        f.push("loss-state", Value::Obj(o));
    }
    if let Some(ge) = loss.get(NETEM_LOSS_GE) {
        let g = Padded::<{ tc_netem_gemodel::SIZE }>::new(ge);
        let mut o = Fields::new();
        o.f("p", fraction(g.u32(tc_netem_gemodel::P)));
        o.f("r", fraction(g.u32(tc_netem_gemodel::R)));
        o.f("1-h", fraction(u32::MAX - g.u32(tc_netem_gemodel::H)));
        o.f("1-k", fraction(g.u32(tc_netem_gemodel::K1)));
        f.push("loss-gemodel", Value::Obj(o));
    }
    if q.u32(tc_netem_qopt::DUPLICATE) != 0 {
        f.push(
            "duplicate",
            pair(
                "duplicate",
                q.u32(tc_netem_qopt::DUPLICATE),
                corr_at(tc_netem_corr::DUP_CORR),
            ),
        );
    }
    // tc_netem_reorder and tc_netem_corrupt have one layout: probability, correlation.
    for (kind, key) in [
        (TCA_NETEM_REORDER, "reorder"),
        (TCA_NETEM_CORRUPT, "corrupt"),
    ] {
        if let Some(v) = a.get(kind).map(Padded::<{ tc_netem_reorder::SIZE }>::new)
            && v.u32(tc_netem_reorder::PROBABILITY) != 0
        {
            f.push(
                key,
                pair(
                    key,
                    v.u32(tc_netem_reorder::PROBABILITY),
                    v.u32(tc_netem_reorder::CORRELATION),
                ),
            );
        }
    }
    if let Some(r) = a
        .get(TCA_NETEM_RATE)
        .map(Padded::<{ tc_netem_rate::SIZE }>::new)
        && r.u32(tc_netem_rate::RATE) != 0
    {
        let mut o = Fields::new();
        let rate = a
            .u64(TCA_NETEM_RATE64)
            .filter(|&v| v != 0)
            .unwrap_or(r.u32(tc_netem_rate::RATE).into());
        o.u("rate", rate);
        o.i("packetoverhead", r.i32(tc_netem_rate::PACKET_OVERHEAD));
        o.u("cellsize", r.u32(tc_netem_rate::CELL_SIZE));
        o.i("celloverhead", r.i32(tc_netem_rate::CELL_OVERHEAD));
        f.push("rate", Value::Obj(o));
    }
    if let Some(s) = a
        .get(TCA_NETEM_SLOT)
        .map(Padded::<{ tc_netem_slot::SIZE }>::new)
    {
        let mut o = Fields::new();
        if s.i64(tc_netem_slot::DIST_JITTER) > 0 {
            o.f("distribution", seconds64(s.i64(tc_netem_slot::DIST_DELAY)));
            o.f("jitter", seconds64(s.i64(tc_netem_slot::DIST_JITTER)));
        } else {
            o.f("min-delay", seconds64(s.i64(tc_netem_slot::MIN_DELAY)));
            o.f("max-delay", seconds64(s.i64(tc_netem_slot::MAX_DELAY)));
        }
        o.i("packets", s.i32(tc_netem_slot::MAX_PACKETS));
        o.i("bytes", s.i32(tc_netem_slot::MAX_BYTES));
        f.push("slot", Value::Obj(o));
    }
    // The random seed (Linux 6.6+), printed by iproute2 6.15.
    if let Some(seed) = a.u64(TCA_NETEM_PRNG_SEED) {
        f.u("seed", seed);
    }
    // tc prints whether the attribute is present, not its value.
    f.b("ecn", a.has(TCA_NETEM_ECN));
    f.u("gap", q.u32(tc_netem_qopt::GAP));
}

/// RED flags as tc prints them (`tc_red_print_flags`): all four, true or false.
fn red_flags(flags: u8, f: &mut Fields) {
    f.b("ecn", flags & TC_RED_ECN != 0);
    f.b("harddrop", flags & TC_RED_HARDDROP != 0);
    f.b("adaptive", flags & TC_RED_ADAPTATIVE != 0);
    f.b("nodrop", flags & TC_RED_NODROP != 0);
}

/// sfq: `tc_sfq_qopt`, or `tc_sfq_qopt_v1` (with depth, headdrop and RED parameters).
fn sfq(opt: &[u8], f: &mut Fields) {
    if opt.len() < tc_sfq_qopt::SIZE {
        return;
    }
    let v1 = opt.len() >= tc_sfq_qopt_v1::SIZE;
    let p = Padded::<{ tc_sfq_qopt_v1::SIZE }>::new(opt);
    let v0 = tc_sfq_qopt_v1::V0;
    f.u("limit", p.u32(v0 + tc_sfq_qopt::LIMIT));
    f.u("quantum", p.u32(v0 + tc_sfq_qopt::QUANTUM));
    if v1 && p.u32(tc_sfq_qopt_v1::DEPTH) != 0 {
        f.u("depth", p.u32(tc_sfq_qopt_v1::DEPTH));
    }
    if v1 && p.u32(tc_sfq_qopt_v1::HEADDROP) != 0 {
        f.b("headdrop", true);
    }
    f.u("divisor", p.u32(v0 + tc_sfq_qopt::DIVISOR));
    if p.i32(v0 + tc_sfq_qopt::PERTURB_PERIOD) != 0 {
        f.i("perturb", p.i32(v0 + tc_sfq_qopt::PERTURB_PERIOD));
    }
    if v1 && p.u32(tc_sfq_qopt_v1::QTH_MIN) != 0 {
        f.u("ewma", p.u8(tc_sfq_qopt_v1::WLOG));
        f.u("min", p.u32(tc_sfq_qopt_v1::QTH_MIN));
        f.u("max", p.u32(tc_sfq_qopt_v1::QTH_MAX));
        f.f(
            "probability",
            f64::from(p.u32(tc_sfq_qopt_v1::MAX_P)) / 4_294_967_296.0,
        );
        red_flags(p.u8(tc_sfq_qopt_v1::FLAGS), f);
        let stats = tc_sfq_qopt_v1::STATS;
        for (key, off) in [
            ("prob_mark", tc_sfqred_stats::PROB_MARK),
            ("prob_mark_head", tc_sfqred_stats::PROB_MARK_HEAD),
            ("prob_drop", tc_sfqred_stats::PROB_DROP),
            ("forced_mark", tc_sfqred_stats::FORCED_MARK),
            ("forced_mark_head", tc_sfqred_stats::FORCED_MARK_HEAD),
            ("forced_drop", tc_sfqred_stats::FORCED_DROP),
        ] {
            f.u(key, p.u32(stats + off));
        }
    }
}

/// red: `TCA_RED_PARMS` (`tc_red_qopt`), `TCA_RED_MAX_P`, `TCA_RED_FLAGS` (bitfield),
/// `TCA_RED_EARLY_DROP_BLOCK`, `TCA_RED_MARK_BLOCK`.
fn red(opt: &[u8], f: &mut Fields) {
    let a: Attrs<{ TCA_RED_MAX + 1 }> = Attrs::parse(opt);
    let Some(parms) = a
        .get(TCA_RED_PARMS)
        .filter(|p| p.len() >= tc_red_qopt::SIZE)
    else {
        return;
    };
    let p = Padded::<{ tc_red_qopt::SIZE }>::new(parms);
    let mut flags = p.u8(tc_red_qopt::FLAGS);
    if let Some(bits) = a
        .get(TCA_RED_FLAGS)
        .filter(|b| b.len() >= nla_bitfield32::SIZE)
    {
        flags = Padded::<{ nla_bitfield32::SIZE }>::new(bits).u32(nla_bitfield32::VALUE) as u8;
    }
    f.u("limit", p.u32(tc_red_qopt::LIMIT));
    f.u("min", p.u32(tc_red_qopt::QTH_MIN));
    f.u("max", p.u32(tc_red_qopt::QTH_MAX));
    red_flags(flags, f);
    let blocks = [
        (TCA_RED_EARLY_DROP_BLOCK, "early_drop"),
        (TCA_RED_MARK_BLOCK, "mark"),
    ];
    if blocks
        .iter()
        .any(|(k, _)| a.get(*k).is_some_and(|b| u32_at(b, 0) == Some(0)))
    {
        // tc refuses a zero block index and stops printing here.
        return;
    }
    let list: Vec<Value> = blocks
        .iter()
        .filter_map(|(k, name)| {
            let block = a.u32(*k).filter(|&b| b != 0)?;
            let mut o = Fields::new();
            o.s("kind", *name);
            o.u("block", block);
            Some(Value::Obj(o))
        })
        .collect();
    if !list.is_empty() {
        f.push("qevents", Value::List(list));
    }
}

/// `tc_red_xstats`.
fn red_xstats(x: &[u8], f: &mut Fields) {
    let p = Padded::<{ tc_red_xstats::SIZE }>::new(x);
    f.c("marked", p.u32(tc_red_xstats::MARKED));
    f.c("early", p.u32(tc_red_xstats::EARLY));
    f.c("pdrop", p.u32(tc_red_xstats::PDROP));
    f.c("other", p.u32(tc_red_xstats::OTHER));
}

/// choke: `TCA_CHOKE_PARMS`, which the kernel dumps as a `tc_red_qopt`, and `TCA_CHOKE_MAX_P`.
fn choke(opt: &[u8], f: &mut Fields) {
    let a: Attrs<{ TCA_CHOKE_MAX + 1 }> = Attrs::parse(opt);
    let Some(parms) = a
        .get(TCA_CHOKE_PARMS)
        .filter(|p| p.len() >= tc_red_qopt::SIZE)
    else {
        return;
    };
    let p = Padded::<{ tc_red_qopt::SIZE }>::new(parms);
    f.u("limit", p.u32(tc_red_qopt::LIMIT));
    f.u("min", p.u32(tc_red_qopt::QTH_MIN));
    f.u("max", p.u32(tc_red_qopt::QTH_MAX));
    red_flags(p.u8(tc_red_qopt::FLAGS), f);
}

/// `tc_choke_xstats`.
fn choke_xstats(x: &[u8], f: &mut Fields) {
    let p = Padded::<{ tc_choke_xstats::SIZE }>::new(x);
    f.c("marked", p.u32(tc_choke_xstats::MARKED));
    f.c("early", p.u32(tc_choke_xstats::EARLY));
    f.c("pdrop", p.u32(tc_choke_xstats::PDROP));
    f.c("other", p.u32(tc_choke_xstats::OTHER));
    f.c("matched", p.u32(tc_choke_xstats::MATCHED));
}

/// pie options (`TCA_PIE_*`).
fn pie(opt: &[u8], f: &mut Fields) {
    let a: Attrs<{ TCA_PIE_MAX + 1 }> = Attrs::parse(opt);
    for (key, kind) in [
        ("limit", TCA_PIE_LIMIT),
        ("target", TCA_PIE_TARGET),
        ("tupdate", TCA_PIE_TUPDATE),
        ("alpha", TCA_PIE_ALPHA),
        ("beta", TCA_PIE_BETA),
    ] {
        if let Some(v) = a.u32(kind) {
            f.u(key, v);
        }
    }
    for (key, kind) in [
        ("ecn", TCA_PIE_ECN),
        ("bytemode", TCA_PIE_BYTEMODE),
        ("dq_rate_estimator", TCA_PIE_DQ_RATE_ESTIMATOR),
    ] {
        if a.u32(kind).is_some_and(|v| v != 0) {
            f.b(key, true);
        }
    }
}

/// `tc_pie_xstats` (shorter ones are not decoded).
fn pie_xstats(x: &[u8], f: &mut Fields) {
    let p = Padded::<{ tc_pie_xstats::SIZE }>::new(x);
    f.f(
        "prob",
        p.u64(tc_pie_xstats::PROB) as f64 / 18_446_744_073_709_551_616.0,
    );
    f.u("delay", p.u32(tc_pie_xstats::DELAY));
    if p.u32(tc_pie_xstats::DQ_RATE_ESTIMATING) != 0 {
        f.u("avg_dq_rate", p.u32(tc_pie_xstats::AVG_DQ_RATE));
    }
    f.c("pkts_in", p.u32(tc_pie_xstats::PACKETS_IN));
    f.c("overlimit", p.u32(tc_pie_xstats::OVERLIMIT));
    f.c("dropped", p.u32(tc_pie_xstats::DROPPED));
    f.u("maxq", p.u32(tc_pie_xstats::MAXQ));
    f.c("ecn_mark", p.u32(tc_pie_xstats::ECN_MARK));
}

/// fq_pie options (`TCA_FQ_PIE_*`).
fn fq_pie(opt: &[u8], f: &mut Fields) {
    let a: Attrs<{ TCA_FQ_PIE_MAX + 1 }> = Attrs::parse(opt);
    for (key, kind) in [
        ("limit", TCA_FQ_PIE_LIMIT),
        ("flows", TCA_FQ_PIE_FLOWS),
        ("target", TCA_FQ_PIE_TARGET),
        ("tupdate", TCA_FQ_PIE_TUPDATE),
        ("alpha", TCA_FQ_PIE_ALPHA),
        ("beta", TCA_FQ_PIE_BETA),
        ("quantum", TCA_FQ_PIE_QUANTUM),
        ("memory_limit", TCA_FQ_PIE_MEMORY_LIMIT),
        ("ecn_prob", TCA_FQ_PIE_ECN_PROB),
    ] {
        if let Some(v) = a.u32(kind) {
            f.u(key, v);
        }
    }
    for (key, kind) in [
        ("ecn", TCA_FQ_PIE_ECN),
        ("bytemode", TCA_FQ_PIE_BYTEMODE),
        ("dq_rate_estimator", TCA_FQ_PIE_DQ_RATE_ESTIMATOR),
    ] {
        if a.u32(kind).is_some_and(|v| v != 0) {
            f.b(key, true);
        }
    }
}

/// `tc_fq_pie_xstats` (zero-extended).
fn fq_pie_xstats(x: &[u8], f: &mut Fields) {
    let p = Padded::<{ tc_fq_pie_xstats::SIZE }>::new(x);
    for (key, off) in [
        ("pkts_in", tc_fq_pie_xstats::PACKETS_IN),
        ("overlimit", tc_fq_pie_xstats::OVERLIMIT),
        ("overmemory", tc_fq_pie_xstats::OVERMEMORY),
        ("dropped", tc_fq_pie_xstats::DROPPED),
        ("ecn_mark", tc_fq_pie_xstats::ECN_MARK),
        ("new_flow_count", tc_fq_pie_xstats::NEW_FLOW_COUNT),
    ] {
        f.c(key, p.u32(off));
    }
    for (key, off) in [
        ("new_flows_len", tc_fq_pie_xstats::NEW_FLOWS_LEN),
        ("old_flows_len", tc_fq_pie_xstats::OLD_FLOWS_LEN),
        ("memory_used", tc_fq_pie_xstats::MEMORY_USAGE),
    ] {
        f.u(key, p.u32(off));
    }
}

/// hhf options (`TCA_HHF_*`); timeouts in microseconds.
fn hhf(opt: &[u8], f: &mut Fields) {
    let a: Attrs<{ TCA_HHF_MAX + 1 }> = Attrs::parse(opt);
    for (key, kind) in [
        ("limit", TCA_HHF_BACKLOG_LIMIT),
        ("quantum", TCA_HHF_QUANTUM),
        ("hh_limit", TCA_HHF_HH_FLOWS_LIMIT),
        ("reset_timeout", TCA_HHF_RESET_TIMEOUT),
        ("admit_bytes", TCA_HHF_ADMIT_BYTES),
        ("evict_timeout", TCA_HHF_EVICT_TIMEOUT),
        ("non_hh_weight", TCA_HHF_NON_HH_WEIGHT),
    ] {
        if let Some(v) = a.u32(kind) {
            f.u(key, v);
        }
    }
}

/// `tc_hhf_xstats`.
fn hhf_xstats(x: &[u8], f: &mut Fields) {
    let p = Padded::<{ tc_hhf_xstats::SIZE }>::new(x);
    f.c("drop_overlimit", p.u32(tc_hhf_xstats::DROP_OVERLIMIT));
    f.c("hh_overlimit", p.u32(tc_hhf_xstats::HH_OVERLIMIT));
    f.c("tot_hh", p.u32(tc_hhf_xstats::HH_TOT_COUNT));
    f.u("cur_hh", p.u32(tc_hhf_xstats::HH_CUR_COUNT));
}

/// SFB probabilities are Q0.16 with a maximum of `SFB_MAX_PROB`.
fn sfb_prob(v: u32) -> f64 {
    f64::from(v) / f64::from(SFB_MAX_PROB)
}

/// sfb: `TCA_SFB_PARMS` (`tc_sfb_qopt`); intervals in ms, printed ×1000 (µs) in 32-bit
/// arithmetic as tc does.
fn sfb(opt: &[u8], f: &mut Fields) {
    let a: Attrs<{ TCA_SFB_MAX + 1 }> = Attrs::parse(opt);
    let Some(parms) = a
        .get(TCA_SFB_PARMS)
        .filter(|p| p.len() >= tc_sfb_qopt::SIZE)
    else {
        return;
    };
    let p = Padded::<{ tc_sfb_qopt::SIZE }>::new(parms);
    f.u(
        "rehash",
        p.u32(tc_sfb_qopt::REHASH_INTERVAL).wrapping_mul(1000),
    );
    f.u("db", p.u32(tc_sfb_qopt::WARMUP_TIME).wrapping_mul(1000));
    f.u("limit", p.u32(tc_sfb_qopt::LIMIT));
    f.u("max", p.u32(tc_sfb_qopt::MAX));
    f.u("target", p.u32(tc_sfb_qopt::BIN_SIZE));
    f.f("increment", sfb_prob(p.u32(tc_sfb_qopt::INCREMENT)));
    f.f("decrement", sfb_prob(p.u32(tc_sfb_qopt::DECREMENT)));
    f.u("penalty_rate", p.u32(tc_sfb_qopt::PENALTY_RATE));
    f.u("penalty_burst", p.u32(tc_sfb_qopt::PENALTY_BURST));
}

/// `tc_sfb_xstats`.
fn sfb_xstats(x: &[u8], f: &mut Fields) {
    let p = Padded::<{ tc_sfb_xstats::SIZE }>::new(x);
    for (key, off) in [
        ("earlydrop", tc_sfb_xstats::EARLYDROP),
        ("penaltydrop", tc_sfb_xstats::PENALTYDROP),
        ("bucketdrop", tc_sfb_xstats::BUCKETDROP),
        ("queuedrop", tc_sfb_xstats::QUEUEDROP),
        ("childdrop", tc_sfb_xstats::CHILDDROP),
        ("marked", tc_sfb_xstats::MARKED),
    ] {
        f.c(key, p.u32(off));
    }
    f.u("maxqlen", p.u32(tc_sfb_xstats::MAXQLEN));
    f.f("maxprob", sfb_prob(p.u32(tc_sfb_xstats::MAXPROB)));
    f.f("avgprob", sfb_prob(p.u32(tc_sfb_xstats::AVGPROB)));
}

/// multiq: `tc_multiq_qopt`. tc prints `bands N/M` as text, not as a JSON value (its JSON
/// is malformed there); here it is the same text as a string.
fn multiq(opt: &[u8], f: &mut Fields) {
    if opt.len() < tc_multiq_qopt::SIZE {
        return;
    }
    let p = Padded::<{ tc_multiq_qopt::SIZE }>::new(opt);
    f.s(
        "bands",
        format!(
            "{}/{}",
            p.u16(tc_multiq_qopt::BANDS),
            p.u16(tc_multiq_qopt::MAX_BANDS)
        ),
    );
}

/// qfq: the qdisc dumps no options (weight and maxpkt are class options); should a kernel
/// send them, they are read as tc reads them (tc prints them as text, `weight N maxpkt N`).
fn qfq(opt: &[u8], f: &mut Fields) {
    let a: Attrs<{ TCA_QFQ_MAX + 1 }> = Attrs::parse(opt);
    if let Some(v) = a.u32(TCA_QFQ_WEIGHT) {
        f.u("weight", v);
    }
    if let Some(v) = a.u32(TCA_QFQ_LMAX) {
        f.u("maxpkt", v);
    }
}

/// skbprio: `tc_skbprio_qopt`.
fn skbprio(opt: &[u8], f: &mut Fields) {
    if opt.len() >= tc_skbprio_qopt::SIZE
        && let Some(limit) = u32_at(opt, tc_skbprio_qopt::LIMIT)
    {
        f.u("limit", limit);
    }
}

/// One gred virtual queue's statistics from `TCA_GRED_VQ_LIST` (Linux 5.0+).
#[derive(Default, Clone, Copy)]
struct GredVq {
    flags: Option<u32>,
    bytes: u32,
    prob_drop: u32,
    prob_mark: u32,
    forced_drop: u32,
    forced_mark: u32,
    pdrop: u32,
    other: u32,
}

/// gred: `TCA_GRED_DPS` (`tc_gred_sopt`), `TCA_GRED_PARMS` (`tc_gred_qopt` per virtual
/// queue, with its statistics), `TCA_GRED_LIMIT`, `TCA_GRED_VQ_LIST`. tc prints each virtual
/// queue's statistics inside `options` (`vqs`) when asked for statistics, as `tc -s` is.
fn gred(opt: &[u8], f: &mut Fields) {
    let a: Attrs<{ TCA_GRED_MAX + 1 }> = Attrs::parse(opt);
    let (Some(dps), Some(parms)) = (a.get(TCA_GRED_DPS), a.get(TCA_GRED_PARMS)) else {
        return;
    };
    // tc refuses both when shorter than their structs ("smaller than expected").
    if dps.len() < tc_gred_sopt::SIZE || parms.len() < tc_gred_qopt::SIZE * MAX_DPS {
        return;
    }
    let mut vqs = [GredVq::default(); MAX_DPS];
    let vq_list = a.get(TCA_GRED_VQ_LIST);
    for (_, entry) in each(vq_list.unwrap_or(&[])).filter(|(k, _)| *k == TCA_GRED_VQ_ENTRY) {
        let e: Attrs<{ TCA_GRED_VQ_MAX + 1 }> = Attrs::parse(entry);
        // tc indexes by the DP it reads without checking it; one beyond the table is skipped.
        let Some(vq) = e
            .u32(TCA_GRED_VQ_DP)
            .and_then(|dp| vqs.get_mut(dp as usize))
        else {
            continue;
        };
        // tc reads the 64-bit byte count with a 32-bit read: its low half on this host.
        let u = |k| e.u32(k).unwrap_or(0);
        vq.bytes = u(TCA_GRED_VQ_STAT_BYTES);
        vq.prob_drop = u(TCA_GRED_VQ_STAT_PROB_DROP);
        vq.prob_mark = u(TCA_GRED_VQ_STAT_PROB_MARK);
        vq.forced_drop = u(TCA_GRED_VQ_STAT_FORCED_DROP);
        vq.forced_mark = u(TCA_GRED_VQ_STAT_FORCED_MARK);
        vq.pdrop = u(TCA_GRED_VQ_STAT_PDROP);
        vq.other = u(TCA_GRED_VQ_STAT_OTHER);
        vq.flags = e.u32(TCA_GRED_VQ_FLAGS);
    }
    let s = Padded::<{ tc_gred_sopt::SIZE }>::new(dps);
    f.u("dp_cnt", s.u32(tc_gred_sopt::DPS));
    f.u("dp_default", s.u32(tc_gred_sopt::DEF_DP));
    f.b("grio", s.u8(tc_gred_sopt::GRIO) != 0);
    // tc takes the limit only when it is exactly a u32.
    if let Some(limit) = a.get(TCA_GRED_LIMIT).filter(|l| l.len() == 4) {
        f.u("limit", u32_at(limit, 0).unwrap_or(0));
    }
    red_flags(s.u8(tc_gred_sopt::FLAGS), f);
    let mut list = Vec::new();
    for (i, q) in parms
        .chunks_exact(tc_gred_qopt::SIZE)
        .take(MAX_DPS)
        .enumerate()
    {
        let q = Padded::<{ tc_gred_qopt::SIZE }>::new(q);
        let dp = q.u32(tc_gred_qopt::DP);
        if dp as usize >= MAX_DPS {
            continue;
        }
        let mut o = Fields::new();
        o.u("vq", dp);
        o.u("prio", q.u8(tc_gred_qopt::PRIO));
        o.u("limit", q.u32(tc_gred_qopt::LIMIT));
        o.u("min", q.u32(tc_gred_qopt::QTH_MIN));
        o.u("max", q.u32(tc_gred_qopt::QTH_MAX));
        // The statistics of the i-th slot, as tc pairs them (by position, not by DP).
        let vq = vq_list.map(|_| vqs.get(i).copied().unwrap_or_default());
        if let Some(flags) = vq.and_then(|v| v.flags) {
            red_flags(flags as u8, &mut o);
        }
        o.u("qave", q.u32(tc_gred_qopt::QAVE));
        o.u("backlog", q.u32(tc_gred_qopt::BACKLOG));
        match vq {
            Some(v) => {
                o.c("forced_drop", v.forced_drop);
                o.c("prob_drop", v.prob_drop);
                o.c("pdrop", v.pdrop);
                o.c("other", v.other);
                o.c("forced_mark", v.forced_mark);
                o.c("prob_mark", v.prob_mark);
            }
            None => {
                o.c("forced_drop", q.u32(tc_gred_qopt::FORCED));
                o.c("prob_drop", q.u32(tc_gred_qopt::EARLY));
                o.c("pdrop", q.u32(tc_gred_qopt::PDROP));
                o.c("other", q.u32(tc_gred_qopt::OTHER));
            }
        }
        o.c("packets", q.u32(tc_gred_qopt::PACKETS));
        o.c(
            "bytes",
            vq.map_or(q.u32(tc_gred_qopt::BYTESIN), |v| v.bytes),
        );
        list.push(Value::Obj(o));
    }
    f.push("vqs", Value::List(list));
}

/// dualpi2 (Linux 6.17, iproute2 6.17): `TCA_DUALPI2_*`, under tc's JSON names.
fn dualpi2(opt: &[u8], f: &mut Fields) {
    let a: Attrs<{ TCA_DUALPI2_MAX + 1 }> = Attrs::parse(opt);
    for (key, kind) in [
        ("limit", TCA_DUALPI2_LIMIT),
        ("memory-limit", TCA_DUALPI2_MEMORY_LIMIT),
        ("target", TCA_DUALPI2_TARGET),
        ("tupdate", TCA_DUALPI2_TUPDATE),
    ] {
        if let Some(v) = a.u32(kind) {
            f.u(key, v);
        }
    }
    // Alpha and beta are Hz scaled up by 256; tc divides in single precision.
    for (key, kind) in [("alpha", TCA_DUALPI2_ALPHA), ("beta", TCA_DUALPI2_BETA)] {
        if let Some(v) = a.u32(kind) {
            f.f(key, f64::from(v as f32 / 256.0));
        }
    }
    for (key, kind) in [
        ("step-thresh-pkts", TCA_DUALPI2_STEP_THRESH_PKTS),
        ("step-thresh-us", TCA_DUALPI2_STEP_THRESH_US),
        ("min-qlen-step", TCA_DUALPI2_MIN_QLEN_STEP),
    ] {
        if let Some(v) = a.u32(kind) {
            f.u(key, v);
        }
    }
    if let Some(v) = a.u8(TCA_DUALPI2_COUPLING) {
        f.u("coupling", v);
    }
    if let Some(v) = a.u8(TCA_DUALPI2_DROP_OVERLOAD) {
        f.s("drop-overload", if v != 0 { "drop" } else { "overflow" });
    }
    if let Some(v) = a.u8(TCA_DUALPI2_DROP_EARLY) {
        f.s(
            "drop-early",
            if v != 0 {
                "drop-enqueue"
            } else {
                "drop-dequeue"
            },
        );
    }
    if let Some(v) = a.u8(TCA_DUALPI2_C_PROTECTION) {
        f.u("c-protection", v);
    }
    if let Some(v) = a.u8(TCA_DUALPI2_ECN_MASK) {
        f.s(
            "ecn-mask",
            match v & TC_DUALPI2_ECN_MASK_ANY_ECT {
                TC_DUALPI2_ECN_MASK_L4S_ECT => "l4s-ect",
                TC_DUALPI2_ECN_MASK_CLA_ECT | TC_DUALPI2_ECN_MASK_ANY_ECT => "any-ect",
                _ => "",
            },
        );
    }
    if a.u8(TCA_DUALPI2_SPLIT_GSO).is_some_and(|v| v != 0) {
        f.null("split-gso");
    }
}

/// `tc_dualpi2_xstats` (shorter ones are not decoded, as tc refuses them).
fn dualpi2_xstats(x: &[u8], f: &mut Fields) {
    let p = Padded::<{ tc_dualpi2_xstats::SIZE }>::new(x);
    f.f(
        "prob",
        f64::from(p.u32(tc_dualpi2_xstats::PROB)) / f64::from(u32::MAX),
    );
    f.u("delay-c", p.u32(tc_dualpi2_xstats::DELAY_C));
    f.u("delay-l", p.u32(tc_dualpi2_xstats::DELAY_L));
    f.c("pkts-in-c", p.u32(tc_dualpi2_xstats::PACKETS_IN_C));
    f.c("pkts-in-l", p.u32(tc_dualpi2_xstats::PACKETS_IN_L));
    f.u("maxq", p.u32(tc_dualpi2_xstats::MAXQ));
    f.c("ecn-mark", p.u32(tc_dualpi2_xstats::ECN_MARK));
    f.c("step-mark", p.u32(tc_dualpi2_xstats::STEP_MARKS));
    f.i("credit", p.i32(tc_dualpi2_xstats::CREDIT));
    f.u("memory-used", p.u32(tc_dualpi2_xstats::MEMORY_USED));
    f.u("max-memory-used", p.u32(tc_dualpi2_xstats::MAX_MEMORY_USED));
    f.u("memory-limit", p.u32(tc_dualpi2_xstats::MEMORY_LIMIT));
}

/// Round like `%g` (re-exported for tests of the callers).
pub fn g(v: f64) -> f64 {
    round_g(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KINDS: [&str; 36] = [
        "pfifo",
        "bfifo",
        "pfifo_head_drop",
        "pfifo_fast",
        "prio",
        "htb",
        "ets",
        "hfsc",
        "mq",
        "drr",
        "ingress",
        "clsact",
        "fq_codel",
        "codel",
        "fq",
        "cake",
        "tbf",
        "netem",
        "sfq",
        "red",
        "choke",
        "pie",
        "fq_pie",
        "hhf",
        "multiq",
        "qfq",
        "skbprio",
        "gred",
        "plug",
        "cbs",
        "etf",
        "taprio",
        "mqprio",
        "teql0",
        "dualpi2",
        "noqueue",
    ];

    /// Deterministic pseudo-random bytes (xorshift), some shaped like attributes.
    fn noise(seed: u64, len: usize) -> Vec<u8> {
        let mut x = seed | 1;
        (0..len)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Every fourth byte pair looks like a small attribute length.
                if i % 4 == 0 { (x % 24) as u8 } else { x as u8 }
            })
            .collect()
    }

    fn u(v: u64) -> Value {
        Value::U(v)
    }
    fn s(v: &'static str) -> Value {
        Value::Str(v.into())
    }
    fn put(b: &mut [u8], off: usize, v: &[u8]) {
        b[off..off + v.len()].copy_from_slice(v);
    }
    fn decoded(kind: &str, opt: &[u8]) -> Vec<(&'static str, Value)> {
        options(kind, opt, &Ticks::default()).expect("decoded").0
    }
    use crate::netlink::testing::attribute as attr;

    #[test]
    fn simple_kinds_as_tc_prints_them() {
        // struct tc_multiq_qopt: u16 bands @0, u16 max_bands @2; tc prints "bands 3/8".
        assert_eq!(decoded("multiq", &[3, 0, 8, 0]), vec![("bands", s("3/8"))]);
        assert!(decoded("multiq", &[3, 0, 8]).is_empty());
        // struct tc_skbprio_qopt: u32 limit @0.
        assert_eq!(
            decoded("skbprio", &64u32.to_ne_bytes()),
            vec![("limit", u(64))]
        );
        // qfq, plug and teql dump no options.
        for kind in ["qfq", "plug", "teql0", "teql1"] {
            assert!(decoded(kind, &[]).is_empty(), "{kind}");
        }
        // qfq's class options, should a qdisc carry them: TCA_QFQ_WEIGHT 1, TCA_QFQ_LMAX 2.
        let mut q = attr(1, &7u32.to_ne_bytes());
        q.extend(attr(2, &2048u32.to_ne_bytes()));
        assert_eq!(
            decoded("qfq", &q),
            vec![("weight", u(7)), ("maxpkt", u(2048))]
        );
    }

    /// struct tc_gred_qopt (52 bytes) of virtual queue `dp` with values distinct per field.
    fn gred_qopt(dp: u32) -> Vec<u8> {
        let mut q = vec![0u8; 52];
        let base = 1000 * (dp + 1);
        for (off, v) in [
            (0, base + 1),   // limit
            (4, base + 2),   // qth_min
            (8, base + 3),   // qth_max
            (12, dp),        // DP
            (16, base + 5),  // backlog
            (20, base + 6),  // qave
            (24, base + 7),  // forced
            (28, base + 8),  // early
            (32, base + 9),  // other
            (36, base + 10), // pdrop
            (44, base + 11), // packets
            (48, base + 12), // bytesin
        ] {
            put(&mut q, off, &v.to_ne_bytes());
        }
        q[40] = 9; // Wlog
        q[41] = 10; // Plog
        q[42] = 11; // Scell_log
        q[43] = dp as u8 + 4; // prio
        q
    }

    #[test]
    fn gred_as_tc_prints_it() {
        // struct tc_gred_sopt: u32 DPs @0, u32 def_DP @4, u8 grio @8, u8 flags @9.
        let mut sopt = [0u8; 12];
        put(&mut sopt, 0, &2u32.to_ne_bytes());
        put(&mut sopt, 4, &1u32.to_ne_bytes());
        sopt[8] = 1;
        sopt[9] = 1 | 8; // TC_RED_ECN | TC_RED_NODROP
        let mut parms = gred_qopt(0);
        parms.extend(gred_qopt(1));
        for i in 2..16 {
            // Unused slots carry a DP of MAX_DPs or more.
            parms.extend(gred_qopt(16 + i));
        }
        // TCA_GRED_PARMS 1, TCA_GRED_DPS 3, TCA_GRED_LIMIT 5.
        let mut opt = attr(1, &parms);
        opt.extend(attr(3, &sopt));
        opt.extend(attr(5, &100_000u32.to_ne_bytes()));
        let vq = |d: u32, slot: &mut Fields| {
            let base = 1000 * (d + 1);
            slot.push("vq", u(d.into()));
            slot.push("prio", u((d + 4).into()));
            slot.push("limit", u((base + 1).into()));
            slot.push("min", u((base + 2).into()));
            slot.push("max", u((base + 3).into()));
        };
        let head = |f: &mut Fields| {
            f.push("dp_cnt", u(2));
            f.push("dp_default", u(1));
            f.push("grio", Value::Bool(true));
            f.push("limit", u(100_000));
            for (k, v) in [
                ("ecn", true),
                ("harddrop", false),
                ("adaptive", false),
                ("nodrop", true),
            ] {
                f.push(k, Value::Bool(v));
            }
        };
        // Without TCA_GRED_VQ_LIST (before Linux 5.0): the statistics of the struct.
        let mut expected = Fields::new();
        head(&mut expected);
        let vqs = (0..2)
            .map(|d| {
                let base = 1000 * (d + 1);
                let mut o = Fields::new();
                vq(d, &mut o);
                o.push("qave", u((base + 6).into()));
                o.push("backlog", u((base + 5).into()));
                for (k, v) in [
                    ("forced_drop", 7),
                    ("prob_drop", 8),
                    ("pdrop", 10),
                    ("other", 9),
                    ("packets", 11),
                    ("bytes", 12),
                ] {
                    o.c(k, base + v);
                }
                Value::Obj(o)
            })
            .collect();
        expected.push("vqs", Value::List(vqs));
        assert_eq!(decoded("gred", &opt), expected.0);
        // With TCA_GRED_VQ_LIST (6): per virtual queue TCA_GRED_VQ_ENTRY (1) nests of
        // TCA_GRED_VQ_DP 2, _STAT_BYTES 3 (u64), _STAT_PACKETS 4 .. _STAT_OTHER 11, _FLAGS 12.
        let mut list = Vec::new();
        for d in 0..2u32 {
            let b = 100 * (d + 1);
            let mut e = attr(2, &d.to_ne_bytes());
            e.extend(attr(
                3,
                &(0x7_0000_0000u64 + u64::from(b) + 1).to_ne_bytes(),
            ));
            for (k, v) in [
                (4, 2),
                (5, 3),
                (6, 4),
                (7, 5),
                (8, 6),
                (9, 7),
                (10, 8),
                (11, 9),
            ] {
                e.extend(attr(k, &(b + v).to_ne_bytes()));
            }
            e.extend(attr(12, &(2u32 << d).to_ne_bytes()));
            list.extend(attr(1, &e));
        }
        opt.extend(attr(6, &list));
        let f = decoded("gred", &opt);
        let Some(Value::List(vqs)) = f.iter().find(|(k, _)| *k == "vqs").map(|(_, v)| v) else {
            panic!("vqs: {f:?}");
        };
        let Value::Obj(second) = &vqs[1] else {
            panic!("{vqs:?}")
        };
        let keys: Vec<&str> = second.0.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            keys,
            [
                "vq",
                "prio",
                "limit",
                "min",
                "max",
                "ecn",
                "harddrop",
                "adaptive",
                "nodrop",
                "qave",
                "backlog",
                "forced_drop",
                "prob_drop",
                "pdrop",
                "other",
                "forced_mark",
                "prob_mark",
                "packets",
                "bytes"
            ]
        );
        // Flags 4 (adaptive) for DP 1; drops and marks from the list; packets from the
        // struct; bytes the low 32 bits of the 64-bit count, as tc reads it.
        assert_eq!(second.get("adaptive"), Some(&Value::Bool(true)));
        assert_eq!(second.get("ecn"), Some(&Value::Bool(false)));
        for (k, v) in [
            ("forced_drop", 206),
            ("prob_drop", 204),
            ("pdrop", 208),
            ("other", 209),
            ("forced_mark", 207),
            ("prob_mark", 205),
            ("packets", 2011),
            ("bytes", 201),
            ("qave", 2006),
            ("backlog", 2005),
        ] {
            assert_eq!(second.get(k), Some(&u(v)), "{k}");
        }
        assert!(second.is_counter(keys.len() - 1));
        // Shorter than 16 structs: tc refuses it.
        assert!(decoded("gred", &attr(1, &parms[..52 * 16 - 1])).is_empty());
    }

    #[test]
    fn dualpi2_as_tc_prints_it() {
        // TCA_DUALPI2_LIMIT 1 .. _MIN_QLEN_STEP 9 (u32), _COUPLING 10 .. _SPLIT_GSO 15 (u8).
        let mut opt = Vec::new();
        for (k, v) in [
            (1u16, 10_000u32),
            (2, 5_000_000),
            (3, 15_000),
            (4, 16_000),
            (5, 41),
            (6, 819),
            (7, 300),
            (8, 1_000),
            (9, 2),
        ] {
            opt.extend(attr(k, &v.to_ne_bytes()));
        }
        for (k, v) in [(10u16, 2u8), (11, 1), (12, 0), (13, 10), (14, 1), (15, 1)] {
            opt.extend(attr(k, &[v]));
        }
        assert_eq!(
            decoded("dualpi2", &opt),
            vec![
                ("limit", u(10_000)),
                ("memory-limit", u(5_000_000)),
                ("target", u(15_000)),
                ("tupdate", u(16_000)),
                // 41 / 256 and 819 / 256 as %g prints them.
                ("alpha", Value::F(0.160156)),
                ("beta", Value::F(3.19922)),
                ("step-thresh-pkts", u(300)),
                ("step-thresh-us", u(1_000)),
                ("min-qlen-step", u(2)),
                ("coupling", u(2)),
                ("drop-overload", s("drop")),
                ("drop-early", s("drop-dequeue")),
                ("c-protection", u(10)),
                ("ecn-mask", s("l4s-ect")),
                ("split-gso", Value::Null),
            ]
        );
        // struct tc_dualpi2_xstats: 12 fields of 4 bytes, credit (@32) signed.
        let mut x = Vec::new();
        x.extend((u32::MAX / 4).to_ne_bytes());
        for v in 11..=17u32 {
            x.extend(v.to_ne_bytes());
        }
        x.extend((-18i32).to_ne_bytes());
        for v in 19..=21u32 {
            x.extend(v.to_ne_bytes());
        }
        let f = xstats("dualpi2", &x).expect("decoded");
        assert_eq!(
            f.0,
            vec![
                ("prob", Value::F(0.25)),
                ("delay-c", u(11)),
                ("delay-l", u(12)),
                ("pkts-in-c", u(13)),
                ("pkts-in-l", u(14)),
                ("maxq", u(15)),
                ("ecn-mark", u(16)),
                ("step-mark", u(17)),
                ("credit", Value::I(-18)),
                ("memory-used", u(19)),
                ("max-memory-used", u(20)),
                ("memory-limit", u(21)),
            ]
        );
        assert!(xstats("dualpi2", &x[..47]).is_none());
    }

    #[test]
    fn fq_as_iproute2_6_15_prints_it() {
        // TCA_FQ_PRIOMAP 16 (struct tc_prio_qopt: int bands @0, u8 priomap[16] @4),
        // TCA_FQ_WEIGHTS 17 (s32[3]), TCA_FQ_OFFLOAD_HORIZON 18 (u32).
        let mut prio = vec![0u8; 20];
        put(&mut prio, 0, &3u32.to_ne_bytes());
        let map = [1u8, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];
        put(&mut prio, 4, &map);
        let mut opt = attr(1, &900u32.to_ne_bytes()); // TCA_FQ_PLIMIT
        opt.extend(attr(16, &prio));
        let mut w = Vec::new();
        for v in [589_824i32, 196_608, -1] {
            w.extend(v.to_ne_bytes());
        }
        opt.extend(attr(17, &w));
        opt.extend(attr(18, &77u32.to_ne_bytes()));
        assert_eq!(
            decoded("fq", &opt),
            vec![
                ("limit", u(900)),
                ("bands", u(3)),
                (
                    "priomap",
                    Value::List(map.iter().map(|&m| u(m.into())).collect())
                ),
                (
                    "weights",
                    Value::List(vec![u(589_824), u(196_608), u(4_294_967_295)])
                ),
                ("offload_horizon", u(77)),
            ]
        );
        // struct tc_fq_qd_stats of Linux 6.8+: fastpath_packets @104, band_drops[3] @112,
        // band_pkt_count[3] @136 (152 bytes).
        let mut x = vec![0u8; 152];
        put(&mut x, 64, &201u32.to_ne_bytes()); // flows
        put(&mut x, 104, &401u64.to_ne_bytes());
        for (i, v) in [402u64, 403, 404].iter().enumerate() {
            put(&mut x, 112 + 8 * i, &v.to_ne_bytes());
        }
        for (i, v) in [405u32, 406, 407].iter().enumerate() {
            put(&mut x, 136 + 4 * i, &v.to_ne_bytes());
        }
        let f = xstats("fq", &x).expect("decoded");
        let keys: Vec<&str> = f.0.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            keys,
            [
                "flows",
                "inactive",
                "throttled",
                "band0_pkts",
                "band1_pkts",
                "band2_pkts",
                "gc",
                "highprio",
                "fastpath",
                "throttled",
                "band0_drops",
                "band1_drops",
                "band2_drops"
            ]
        );
        for (k, v) in [
            ("flows", 201),
            ("band0_pkts", 405),
            ("band1_pkts", 406),
            ("band2_pkts", 407),
            ("fastpath", 401),
            ("band0_drops", 402),
            ("band1_drops", 403),
            ("band2_drops", 404),
        ] {
            assert_eq!(f.get(k), Some(&u(v)), "{k}");
        }
        // Linux 6.1's shorter struct: the band counts read as zero, as tc prints them.
        let f = xstats("fq", &x[..104]).expect("decoded");
        assert_eq!(f.get("band0_pkts"), Some(&u(0)));
        assert_eq!(f.get("fastpath"), None);
    }

    #[test]
    fn netem_delay_and_seed_as_iproute2_6_15_prints_them() {
        // struct tc_netem_qopt (24 bytes): latency @0 (ticks), limit @4, loss @8, gap @12,
        // duplicate @16, jitter @20 (ticks); then TCA_NETEM_LATENCY64 10, _JITTER64 11 (ns),
        // _PRNG_SEED 14 (u64).
        let mut q = vec![0u8; 24];
        put(&mut q, 0, &156_252u32.to_ne_bytes());
        put(&mut q, 4, &1200u32.to_ne_bytes());
        put(&mut q, 20, &15_625u32.to_ne_bytes());
        q.extend(attr(10, &10_000_123u64.to_ne_bytes()));
        q.extend(attr(11, &1_000_999u64.to_ne_bytes()));
        q.extend(attr(14, &0x1234_5678_9abcu64.to_ne_bytes()));
        let f = decoded("netem", &q);
        let Some(Value::Obj(delay)) = f.iter().find(|(k, _)| *k == "delay").map(|(_, v)| v) else {
            panic!("{f:?}")
        };
        // From the nanoseconds (6.1: from the ticks, 0.01 and 0.001).
        assert_eq!(delay.get("delay"), Some(&Value::F(0.0100001)));
        assert_eq!(delay.get("jitter"), Some(&Value::F(0.001001)));
        let keys: Vec<&str> = f.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["limit", "delay", "seed", "ecn", "gap"]);
        assert_eq!(f[2].1, u(0x1234_5678_9abc));
        // A short seed: tc prints nothing at all.
        let mut short = q[..24].to_vec();
        short.extend(attr(14, &[1, 2, 3, 4]));
        assert!(decoded("netem", &short).is_empty());
    }

    #[test]
    fn tbf_burst_and_latency_as_iproute2_6_15_computes_them() {
        // struct tc_tbf_qopt: rate (tc_ratespec, rate @8) @0, peakrate @12, limit @24,
        // buffer @28, mtu @32 (ticks). 16 KiB at 2.5 MB/s is 6553.6 µs, 102400 ticks of 64 ns.
        let mut q = vec![0u8; 36];
        put(&mut q, 8, &2_500_000u32.to_ne_bytes());
        put(&mut q, 24, &1_016_384u32.to_ne_bytes());
        put(&mut q, 28, &102_400u32.to_ne_bytes());
        let f = decoded("tbf", &attr(1, &q));
        // 6.1 truncated 6553.6 µs to 6553: burst 16382 (lat 400000 either way here).
        assert_eq!(f[1], ("burst", u(16_384)));
        assert_eq!(f[2], ("lat", u(400_000)));
    }

    #[test]
    fn malformed_options_and_xstats_never_panic() {
        let ticks = Ticks::default();
        for kind in KINDS.iter().chain(&["sfb", "unknown_kind"]) {
            for seed in 0..40u64 {
                for len in [
                    0, 1, 3, 4, 7, 8, 15, 16, 19, 20, 23, 24, 35, 36, 40, 44, 72, 104, 200,
                ] {
                    let bytes = noise(seed * 1000 + len as u64, len);
                    let _ = options(kind, &bytes, &ticks);
                    let _ = xstats(kind, &bytes);
                }
            }
        }
    }

    #[test]
    fn short_xstats_follow_tc() {
        // Refused when shorter than the struct, as tc refuses them: kept as raw hex instead.
        for (kind, full) in [
            ("pie", 40),
            ("red", 16),
            ("choke", 20),
            ("hhf", 16),
            ("sfb", 36),
        ] {
            assert!(xstats(kind, &vec![1; full - 1]).is_none(), "{kind}");
            assert!(xstats(kind, &vec![1; full]).is_some(), "{kind}");
            // A longer (newer kernel) struct is read by its known prefix.
            assert!(xstats(kind, &vec![1; full + 16]).is_some(), "{kind}");
        }
        // Zero-extended, as tc does: every key present, missing fields zero.
        let f = xstats("fq_pie", &[7, 0, 0, 0]).expect("fq_pie");
        assert_eq!(f.0.len(), 9);
        assert_eq!(f.get("pkts_in"), Some(&Value::U(7)));
        assert_eq!(f.get("memory_used"), Some(&Value::U(0)));
        let f = xstats("fq", &[]).expect("fq");
        assert_eq!(f.get("flows"), Some(&Value::U(0)));
        // An unknown kind has no decoder.
        assert!(xstats("futureq", &[1, 2, 3]).is_none());
    }

    #[test]
    fn truncated_nested_options_keep_what_came_before() {
        // fq_codel: TCA_FQ_CODEL_LIMIT = 1000, then an attribute that claims 60 bytes.
        let mut opt = Vec::new();
        opt.extend_from_slice(&8u16.to_ne_bytes());
        opt.extend_from_slice(&2u16.to_ne_bytes());
        opt.extend_from_slice(&1000u32.to_ne_bytes());
        opt.extend_from_slice(&60u16.to_ne_bytes());
        opt.extend_from_slice(&5u16.to_ne_bytes());
        opt.extend_from_slice(&[0; 8]);
        let f = options("fq_codel", &opt, &Ticks::default()).expect("decoded");
        assert_eq!(f.get("limit"), Some(&Value::U(1000)));
        assert_eq!(f.get("flows"), None);
        // A fixed struct that is too short yields no keys (tc prints `{}`).
        let f = options("tbf", &[0; 12], &Ticks::default()).expect("decoded");
        assert!(f.is_empty());
    }
}
