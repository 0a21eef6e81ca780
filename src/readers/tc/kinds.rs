//! Per-kind decoders of qdisc options (`TCA_OPTIONS`) and extended statistics
//! (`TCA_STATS_APP` / `TCA_XSTATS`), producing the keys `tc -s -j qdisc` (iproute2 6.1) prints,
//! in its order and units: sizes in bytes, rates in bytes per second, times as the kernel's raw
//! microseconds (nanoseconds where noted), probabilities as `%g`-rounded fractions.
//!
//! Layouts are those of `include/uapi/linux/pkt_sched.h`. Every decoder is a pure function of
//! bytes; a short struct reads as zero past its end where tc does the same, and yields nothing
//! where tc refuses it (the caller then keeps the bytes as `xstats_raw`).

use crate::model::tc::{Fields, Value, hex_0x, round_g};
use crate::netlink::attrs::{Attrs, Padded, each, u16_at, u32_at};

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

    /// Bytes sent at `rate` during `ticks` (`tc_calc_xmitsize`).
    pub fn xmitsize(&self, rate: u64, ticks: u32) -> u32 {
        (rate as f64 * f64::from(self.to_usec(ticks)) / 1e6) as u32
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
        "sfq" if x.len() >= 4 => f.i("allot", Padded::<4>::new(x).i32(0)),
        "red" if x.len() >= 16 => red_xstats(x, &mut f),
        "choke" if x.len() >= 20 => choke_xstats(x, &mut f),
        "pie" if x.len() >= 40 => pie_xstats(x, &mut f),
        "fq_pie" => fq_pie_xstats(x, &mut f),
        "hhf" if x.len() >= 16 => hhf_xstats(x, &mut f),
        "sfb" if x.len() >= 36 => sfb_xstats(x, &mut f),
        _ => return None,
    }
    Some(f)
}

/// `tc_fifo_qopt { u32 limit; }`: packets for pfifo, bytes for bfifo.
fn fifo(opt: &[u8], f: &mut Fields) {
    if let Some(limit) = u32_at(opt, 0) {
        f.u("limit", limit);
    }
}

/// `tc_prio_qopt { int bands; u8 priomap[16]; }` then (compat nest) `TCA_PRIO_MQ` (1, u8).
fn prio(opt: &[u8], f: &mut Fields) {
    if opt.len() < 20 {
        return;
    }
    let p = Padded::<20>::new(opt);
    f.u("bands", p.u32(0));
    f.push(
        "priomap",
        Value::List((4..20).map(|i| Value::U(p.u8(i).into())).collect()),
    );
    let nest: Attrs<2> = Attrs::parse(opt.get(20..).unwrap_or(&[]));
    f.b("multiqueue", nest.u8(1).is_some_and(|v| v != 0));
}

/// htb: `TCA_HTB_INIT` (2) `tc_htb_glob { version, rate2quantum, defcls, debug, direct_pkts }`,
/// `TCA_HTB_DIRECT_QLEN` (5), `TCA_HTB_OFFLOAD` (9); `TCA_HTB_PARMS` (1) is class-only.
fn htb(opt: &[u8], f: &mut Fields) {
    let a: Attrs<10> = Attrs::parse(opt);
    if let Some(parms) = a.get(1) {
        // struct tc_htb_opt (44 bytes): level @36, prio @40.
        if parms.len() < 44 {
            return;
        }
        let p = Padded::<44>::new(parms);
        if p.u32(36) == 0 {
            f.i("prio", p.i32(40));
        }
    }
    if let Some(init) = a.get(2) {
        if init.len() < 20 {
            return;
        }
        let g = Padded::<20>::new(init);
        f.i("r2q", g.i32(4));
        f.s("default", hex_0x(g.u32(8).into()));
        f.u("direct_packets_stat", g.u32(16));
    }
    if let Some(q) = a.u32(5) {
        f.u("direct_qlen", q);
    }
    if a.has(9) {
        f.null("offload");
    }
}

/// ets: `NBANDS` (1, u8), `NSTRICT` (2, u8), `QUANTA` (3, nest of `QUANTA_BAND` 4, u32),
/// `PRIOMAP` (5, nest of `PRIOMAP_BAND` 6, u8).
fn ets(opt: &[u8], f: &mut Fields) {
    let a: Attrs<7> = Attrs::parse(opt);
    let (Some(bands), Some(priomap)) = (a.u8(1), a.get(5)) else {
        return;
    };
    f.u("bands", bands);
    if let Some(strict) = a.u8(2) {
        f.u("strict", strict);
    }
    if let Some(quanta) = a.get(3) {
        let list = each(quanta)
            .filter(|(k, _)| *k == 4)
            .filter_map(|(_, v)| u32_at(v, 0))
            .map(|q| Value::U(q.into()))
            .collect();
        f.push("quanta", Value::List(list));
    }
    let list = each(priomap)
        .filter(|(k, _)| *k == 6)
        .filter_map(|(_, v)| v.first().copied())
        .map(|b| Value::U(b.into()))
        .collect();
    f.push("priomap", Value::List(list));
}

/// hfsc: `tc_hfsc_qopt { u16 defcls; }`. tc prints a non-zero default as text only; here it is
/// the same hex digits as a string.
fn hfsc(opt: &[u8], f: &mut Fields) {
    if let Some(defcls) = u16_at(opt, 0).filter(|&d| d != 0) {
        f.s("default", format!("{defcls:x}"));
    }
}

/// fq_codel options (`TCA_FQ_CODEL_*`).
fn fq_codel(opt: &[u8], f: &mut Fields) {
    let a: Attrs<12> = Attrs::parse(opt);
    if let Some(v) = a.u32(2) {
        f.u("limit", v);
    }
    if let Some(v) = a.u32(5) {
        f.u("flows", v);
    }
    if let Some(v) = a.u32(6) {
        f.u("quantum", v);
    }
    if let Some(v) = a.u32(1) {
        f.u("target", v);
    }
    if let Some(v) = a.u32(7) {
        f.u("ce_threshold", v);
    }
    let selector = a.u8(10).unwrap_or(0);
    let mask = a.u8(11).unwrap_or(0);
    if mask != 0 || selector != 0 {
        f.u("ce_threshold_selector", selector);
        f.u("ce_threshold_mask", mask);
    }
    if let Some(v) = a.u32(3) {
        f.u("interval", v);
    }
    if let Some(v) = a.u32(9) {
        f.u("memory_limit", v);
    }
    if a.u32(4).is_some_and(|v| v != 0) {
        f.b("ecn", true);
    }
    if let Some(v) = a.u32(8).filter(|&v| v != 0) {
        f.u("drop_batch", v);
    }
}

/// `tc_fq_codel_xstats` (40 bytes, zero-extended): type 0 = qdisc, 1 = class.
fn fq_codel_xstats(x: &[u8], f: &mut Fields) {
    let p = Padded::<40>::new(x);
    match p.u32(0) {
        0 => {
            f.u("maxpacket", p.u32(4));
            f.u("drop_overlimit", p.u32(8));
            f.u("new_flow_count", p.u32(16));
            f.u("ecn_mark", p.u32(12));
            if p.u32(28) != 0 {
                f.u("ce_mark", p.u32(28));
            }
            if p.u32(32) != 0 {
                f.u("memory_used", p.u32(32));
            }
            if p.u32(36) != 0 {
                f.u("drop_overmemory", p.u32(36));
            }
            f.u("new_flows_len", p.u32(20));
            f.u("old_flows_len", p.u32(24));
        }
        1 => {
            f.i("deficit", p.i32(4));
            f.u("count", p.u32(12));
            f.u("lastcount", p.u32(16));
            f.u("ldelay", p.u32(8));
            if p.u32(20) != 0 {
                f.b("dropping", true);
                f.i("drop_next", p.i32(24));
            }
        }
        _ => {}
    }
}

/// codel options (`TCA_CODEL_*`).
fn codel(opt: &[u8], f: &mut Fields) {
    let a: Attrs<6> = Attrs::parse(opt);
    if let Some(v) = a.u32(2) {
        f.u("limit", v);
    }
    if let Some(v) = a.u32(1) {
        f.u("target", v);
    }
    if let Some(v) = a.u32(5) {
        f.u("ce_threshold", v);
    }
    if let Some(v) = a.u32(3) {
        f.u("interval", v);
    }
    if a.u32(4).is_some_and(|v| v != 0) {
        f.b("ecn", true);
    }
}

/// `tc_codel_xstats` (36 bytes, zero-extended).
fn codel_xstats(x: &[u8], f: &mut Fields) {
    let p = Padded::<36>::new(x);
    f.u("count", p.u32(4));
    f.u("lastcount", p.u32(8));
    f.u("ldelay", p.u32(12));
    if p.u32(28) != 0 {
        f.b("dropping", true);
    }
    f.i("drop_next", p.i32(16));
    f.u("maxpacket", p.u32(0));
    f.u("ecn_mark", p.u32(24));
    f.u("drop_overlimit", p.u32(20));
    if p.u32(32) != 0 {
        f.u("ce_mark", p.u32(32));
    }
}

/// fq options (`TCA_FQ_*`); `timer_slack` is in nanoseconds.
fn fq(opt: &[u8], f: &mut Fields) {
    let a: Attrs<16> = Attrs::parse(opt);
    if let Some(v) = a.u32(1) {
        f.u("limit", v);
    }
    if let Some(v) = a.u32(2) {
        f.u("flow_limit", v);
    }
    if let Some(v) = a.u32(8) {
        f.u("buckets", 1u32.wrapping_shl(v));
    }
    if let Some(v) = a.u32(10) {
        f.u("orphan_mask", v);
    }
    if a.u32(5) == Some(0) {
        f.b("pacing", false);
    }
    if let Some(v) = a.u32(3) {
        f.u("quantum", v);
    }
    if let Some(v) = a.u32(4) {
        f.u("initial_quantum", v);
    }
    if let Some(v) = a.u32(7).filter(|&v| v != u32::MAX) {
        f.u("maxrate", v);
    }
    if let Some(v) = a.u32(6).filter(|&v| v != 0) {
        f.u("defrate", v);
    }
    if let Some(v) = a.u32(11).filter(|&v| v != 0) {
        f.u("low_rate_threshold", v);
    }
    if let Some(v) = a.u32(9) {
        f.u("refill_delay", v);
    }
    if let Some(v) = a.u32(12).filter(|&v| v != u32::MAX) {
        f.u("ce_threshold", v);
    }
    if let Some(v) = a.u32(13) {
        f.u("timer_slack", v);
    }
    if let Some(v) = a.u32(14) {
        f.u("horizon", v);
    }
    match a.u8(15) {
        Some(0) => f.null("horizon_cap"),
        Some(_) => f.null("horizon_drop"),
        None => {}
    }
}

/// `tc_fq_qd_stats` (104 bytes in Linux 6.1, zero-extended; longer ones are cut).
fn fq_xstats(x: &[u8], f: &mut Fields) {
    let p = Padded::<104>::new(x);
    f.u("flows", p.u32(64));
    f.u("inactive", p.u32(68));
    f.u("throttled", p.u32(72));
    if p.i64(56) > 0 {
        f.u("next_packet_delay", p.u64(56));
    }
    f.u("gc", p.u64(0));
    f.u("highprio", p.u64(8));
    if p.u64(16) != 0 {
        f.u("retrans", p.u64(16));
    }
    // tc prints the throttled-events counter under the same key as the throttled flows.
    f.u("throttled", p.u64(24));
    if p.u32(76) != 0 {
        f.u("latency", p.u32(76));
    }
    for (key, off) in [
        ("ce_mark", 80),
        ("flows_plimit", 32),
        ("pkts_too_long", 40),
        ("alloc_errors", 48),
        ("horizon_drops", 88),
        ("horizon_caps", 96),
    ] {
        if p.u64(off) != 0 {
            f.u(key, p.u64(off));
        }
    }
}

const CAKE_DIFFSERV: [&str; 5] = [
    "diffserv3",
    "diffserv4",
    "diffserv8",
    "besteffort",
    "precedence",
];
const CAKE_FLOWMODE: [&str; 8] = [
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
    let a: Attrs<19> = Attrs::parse(opt);
    let u = |k| a.u32(k).unwrap_or(0);
    if let Some(rate) = a.u64(2) {
        if rate != 0 {
            f.u("bandwidth", rate);
        } else {
            f.s("bandwidth", "unlimited");
        }
    }
    if let Some(v) = a.u32(9).filter(|&v| v != 0) {
        f.s(
            "autorate",
            if v == 1 {
                "autorate-ingress"
            } else {
                "unknown"
            },
        );
    }
    if let Some(v) = a.u32(3) {
        f.s("diffserv", name_or_unknown(&CAKE_DIFFSERV, v));
    }
    if let Some(v) = a.u32(5) {
        f.s("flowmode", name_or_unknown(&CAKE_FLOWMODE, v));
    }
    f.b("nat", u(11) != 0);
    f.b("wash", u(13) != 0);
    f.b("ingress", u(15) != 0);
    f.s(
        "ack-filter",
        match u(16) {
            2 => "aggressive",
            1 => "enabled",
            _ => "disabled",
        },
    );
    f.b("split_gso", u(17) != 0);
    f.u("rtt", u(7));
    // TCA_CAKE_RAW means "raw" by its presence, whatever its value.
    let raw = a.has(12);
    f.b("raw", raw);
    match u(4) {
        1 => f.s("atm", "atm"),
        2 => f.s("atm", "ptm"),
        _ if !raw => f.s("atm", "noatm"),
        _ => {}
    }
    f.i("overhead", a.i32(6).unwrap_or(0));
    if u(14) != 0 {
        f.u("mpu", u(14));
    }
    if u(10) != 0 {
        f.u("memlimit", u(10));
    }
    f.s("fwmark", hex_0x(u(18).into()));
}

/// cake xstats: a nest of `TCA_CAKE_STATS_*` with per-tin nests.
fn cake_xstats(x: &[u8], f: &mut Fields) {
    let a: Attrs<17> = Attrs::parse(x);
    if let (Some(used), Some(limit)) = (a.u32(4), a.u32(3)) {
        f.u("memory_used", used);
        f.u("memory_limit", limit);
    }
    if let Some(v) = a.u64(2) {
        f.u("capacity_estimate", v);
    }
    if let (Some(min), Some(max)) = (a.u32(6), a.u32(7)) {
        f.u("min_network_size", min);
        f.u("max_network_size", max);
    }
    if let (Some(min), Some(max)) = (a.u32(8), a.u32(9)) {
        f.u("min_adj_size", min);
        f.u("max_adj_size", max);
    }
    if let Some(v) = a.u32(5) {
        f.u("avg_hdr_offset", v);
    }
    if let Some(v) = a.i32(11) {
        f.i("deficit", v);
    }
    if let Some(v) = a.u32(12) {
        f.u("count", v);
    }
    if a.u32(13).is_some_and(|v| v != 0) {
        f.b("dropping", true);
        if let Some(v) = a.i32(14).filter(|&v| v >= 0) {
            f.u("drop_next", v as u32);
        }
    }
    if let Some(v) = a.u32(15) {
        f.u("blue_prob", v);
        if let Some(t) = a.i32(16).filter(|&v| v >= 0) {
            f.u("blue_timer", t as u32);
        }
    }
    if let Some(tins) = a.get(10) {
        let t: Attrs<9> = Attrs::parse(tins);
        // Tins are numbered from 1; the list ends at the first missing index, as in tc.
        let list: Vec<Value> = (1..=8)
            .map_while(|i| t.get(i))
            .map(|tin| Value::Obj(cake_tin(tin)))
            .collect();
        if !list.is_empty() {
            f.push("tins", Value::List(list));
        }
    }
}

fn cake_tin(tin: &[u8]) -> Fields {
    let a: Attrs<26> = Attrs::parse(tin);
    let mut f = Fields::new();
    // (key, attribute, 64-bit)
    for (key, kind, wide) in [
        ("threshold_rate", 12, true),
        ("sent_bytes", 3, true),
        ("backlog_bytes", 11, false),
        ("target_us", 13, false),
        ("interval_us", 14, false),
        ("peak_delay_us", 18, false),
        ("avg_delay_us", 19, false),
        ("base_delay_us", 20, false),
        ("sent_packets", 2, false),
        ("way_indirect_hits", 15, false),
        ("way_misses", 16, false),
        ("way_collisions", 17, false),
        ("drops", 4, false),
        ("ecn_mark", 8, false),
        ("ack_drops", 6, false),
        ("sparse_flows", 21, false),
        ("bulk_flows", 22, false),
        ("unresponsive_flows", 23, false),
        ("max_pkt_len", 24, false),
        ("flow_quantum", 25, false),
    ] {
        let v = if wide {
            a.u64(kind)
        } else {
            a.u32(kind).map(u64::from)
        };
        if let Some(v) = v {
            f.u(key, v);
        }
    }
    f
}

/// `tc_ratespec` (12 bytes) at `off`: cell_log @0, linklayer @1, overhead @2, mpu @6, rate @8.
struct RateSpec {
    cell_log: u8,
    linklayer: u8,
    overhead: u16,
    mpu: u16,
    rate: u32,
}

fn ratespec(p: &Padded<36>, off: usize) -> RateSpec {
    RateSpec {
        cell_log: p.u8(off),
        linklayer: p.u8(off + 1) & 0x0f,
        overhead: p.u16(off + 2),
        mpu: p.u16(off + 6),
        rate: p.u32(off + 8),
    }
}

/// tbf: `TCA_TBF_PARMS` (1) `tc_tbf_qopt { rate, peakrate, limit, buffer, mtu }`,
/// `TCA_TBF_RATE64` (4), `TCA_TBF_PRATE64` (5).
fn tbf(opt: &[u8], ticks: &Ticks, f: &mut Fields) {
    let a: Attrs<9> = Attrs::parse(opt);
    let Some(parms) = a.get(1).filter(|p| p.len() >= 36) else {
        return;
    };
    let p = Padded::<36>::new(parms);
    let rate = ratespec(&p, 0);
    let peak = ratespec(&p, 12);
    let (limit, buffer_ticks, mtu_ticks) = (p.u32(24), p.u32(28), p.u32(32));
    let rate64 = a.u64(4).unwrap_or(rate.rate.into());
    let prate64 = a.u64(5).unwrap_or(peak.rate.into());
    let _ = rate.cell_log;
    f.u("rate", rate64);
    f.u("burst", ticks.xmitsize(rate64, buffer_ticks));
    if prate64 != 0 && (mtu_ticks != 0 || peak.mpu != 0) {
        f.u("minburst", ticks.xmitsize(prate64, mtu_ticks));
    }
    let mut latency =
        1e6 * (f64::from(limit) / rate64 as f64) - f64::from(ticks.to_usec(buffer_ticks));
    if prate64 != 0 {
        let lat2 = 1e6 * (f64::from(limit) / prate64 as f64) - f64::from(ticks.to_usec(mtu_ticks));
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
    if rate.linklayer > 1 {
        f.s(
            "linklayer",
            if rate.linklayer == 2 {
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

/// netem: `tc_netem_qopt` (24 bytes) followed by attributes (`TCA_NETEM_*`).
fn netem(opt: &[u8], ticks: &Ticks, f: &mut Fields) {
    if opt.len() < 24 {
        return;
    }
    let q = Padded::<24>::new(opt);
    let a: Attrs<14> = Attrs::parse(&opt[24..]);
    // tc prints nothing when one of these is shorter than its struct.
    for (kind, min) in [(1, 12), (3, 8), (4, 8), (6, 16), (7, 4), (8, 8), (12, 40)] {
        if a.get(kind).is_some_and(|v| v.len() < min) {
            return;
        }
    }
    let corr = a.get(1).map(Padded::<12>::new);
    let corr_at = |off| corr.map_or(0, |c| c.u32(off));
    let pair = |main: &'static str, v: u32, c: u32| {
        let mut o = Fields::new();
        o.f(main, fraction(v));
        o.f("correlation", fraction(c));
        Value::Obj(o)
    };
    f.u("limit", q.u32(4));
    if q.u32(0) != 0 {
        let mut d = Fields::new();
        d.f("delay", f64::from(ticks.to_usec(q.u32(0))) / 1e6);
        d.f("jitter", f64::from(ticks.to_usec(q.u32(20))) / 1e6);
        d.f("correlation", fraction(corr_at(0)));
        f.push("delay", Value::Obj(d));
    }
    if q.u32(8) != 0 {
        f.push("loss-random", pair("loss", q.u32(8), corr_at(4)));
    }
    let loss: Attrs<3> = Attrs::parse(a.get(5).unwrap_or(&[]));
    if let Some(gi) = loss.get(1) {
        let g = Padded::<20>::new(gi);
        let mut o = Fields::new();
        for (key, off) in [("p13", 0), ("p31", 4), ("p32", 8), ("p23", 16), ("p14", 12)] {
            o.f(key, fraction(g.u32(off)));
        }
        f.push("loss-state", Value::Obj(o));
    }
    if let Some(ge) = loss.get(2) {
        let g = Padded::<16>::new(ge);
        let mut o = Fields::new();
        o.f("p", fraction(g.u32(0)));
        o.f("r", fraction(g.u32(4)));
        o.f("1-h", fraction(u32::MAX - g.u32(8)));
        o.f("1-k", fraction(g.u32(12)));
        f.push("loss-gemodel", Value::Obj(o));
    }
    if q.u32(16) != 0 {
        f.push("duplicate", pair("duplicate", q.u32(16), corr_at(8)));
    }
    for (kind, key) in [(3, "reorder"), (4, "corrupt")] {
        if let Some(v) = a.get(kind).map(Padded::<8>::new)
            && v.u32(0) != 0
        {
            f.push(key, pair(key, v.u32(0), v.u32(4)));
        }
    }
    if let Some(r) = a.get(6).map(Padded::<16>::new)
        && r.u32(0) != 0
    {
        let mut o = Fields::new();
        let rate = a.u64(8).filter(|&v| v != 0).unwrap_or(r.u32(0).into());
        o.u("rate", rate);
        o.i("packetoverhead", r.i32(4));
        o.u("cellsize", r.u32(8));
        o.i("celloverhead", r.i32(12));
        f.push("rate", Value::Obj(o));
    }
    if let Some(s) = a.get(12).map(Padded::<40>::new) {
        let mut o = Fields::new();
        if s.i64(32) > 0 {
            o.f("distribution", seconds64(s.i64(24)));
            o.f("jitter", seconds64(s.i64(32)));
        } else {
            o.f("min-delay", seconds64(s.i64(0)));
            o.f("max-delay", seconds64(s.i64(8)));
        }
        o.i("packets", s.i32(16));
        o.i("bytes", s.i32(20));
        f.push("slot", Value::Obj(o));
    }
    // tc prints whether the attribute is present, not its value.
    f.b("ecn", a.has(7));
    f.u("gap", q.u32(12));
}

/// RED flags as tc prints them (`tc_red_print_flags`): all four, true or false.
fn red_flags(flags: u8, f: &mut Fields) {
    f.b("ecn", flags & 1 != 0);
    f.b("harddrop", flags & 2 != 0);
    f.b("adaptive", flags & 4 != 0);
    f.b("nodrop", flags & 8 != 0);
}

/// sfq: `tc_sfq_qopt` (20 bytes) or `tc_sfq_qopt_v1` (72 bytes, with RED parameters).
fn sfq(opt: &[u8], f: &mut Fields) {
    if opt.len() < 20 {
        return;
    }
    let v1 = opt.len() >= 72;
    let p = Padded::<72>::new(opt);
    f.u("limit", p.u32(8));
    f.u("quantum", p.u32(0));
    if v1 && p.u32(20) != 0 {
        f.u("depth", p.u32(20));
    }
    if v1 && p.u32(24) != 0 {
        f.b("headdrop", true);
    }
    f.u("divisor", p.u32(12));
    if p.i32(4) != 0 {
        f.i("perturb", p.i32(4));
    }
    if v1 && p.u32(32) != 0 {
        f.u("ewma", p.u8(40));
        f.u("min", p.u32(32));
        f.u("max", p.u32(36));
        f.f("probability", f64::from(p.u32(44)) / 4_294_967_296.0);
        red_flags(p.u8(43), f);
        for (key, off) in [
            ("prob_mark", 56),
            ("prob_mark_head", 64),
            ("prob_drop", 48),
            ("forced_mark", 60),
            ("forced_mark_head", 68),
            ("forced_drop", 52),
        ] {
            f.u(key, p.u32(off));
        }
    }
}

/// red: `TCA_RED_PARMS` (1) `tc_red_qopt`, `TCA_RED_MAX_P` (3), `TCA_RED_FLAGS` (4, bitfield),
/// `TCA_RED_EARLY_DROP_BLOCK` (5), `TCA_RED_MARK_BLOCK` (6).
fn red(opt: &[u8], f: &mut Fields) {
    let a: Attrs<7> = Attrs::parse(opt);
    let Some(parms) = a.get(1).filter(|p| p.len() >= 16) else {
        return;
    };
    let p = Padded::<16>::new(parms);
    let mut flags = p.u8(15);
    if let Some(bits) = a.get(4).filter(|b| b.len() >= 8) {
        flags = Padded::<8>::new(bits).u32(0) as u8;
    }
    f.u("limit", p.u32(0));
    f.u("min", p.u32(4));
    f.u("max", p.u32(8));
    red_flags(flags, f);
    let blocks = [(5, "early_drop"), (6, "mark")];
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

/// `tc_red_xstats { early, pdrop, other, marked }`.
fn red_xstats(x: &[u8], f: &mut Fields) {
    let p = Padded::<16>::new(x);
    f.u("marked", p.u32(12));
    f.u("early", p.u32(0));
    f.u("pdrop", p.u32(4));
    f.u("other", p.u32(8));
}

/// choke: `TCA_CHOKE_PARMS` (1) `tc_red_qopt`, `TCA_CHOKE_MAX_P` (3).
fn choke(opt: &[u8], f: &mut Fields) {
    let a: Attrs<4> = Attrs::parse(opt);
    let Some(parms) = a.get(1).filter(|p| p.len() >= 16) else {
        return;
    };
    let p = Padded::<16>::new(parms);
    f.u("limit", p.u32(0));
    f.u("min", p.u32(4));
    f.u("max", p.u32(8));
    red_flags(p.u8(15), f);
}

/// `tc_choke_xstats { early, pdrop, other, marked, matched }`.
fn choke_xstats(x: &[u8], f: &mut Fields) {
    let p = Padded::<20>::new(x);
    f.u("marked", p.u32(12));
    f.u("early", p.u32(0));
    f.u("pdrop", p.u32(4));
    f.u("other", p.u32(8));
    f.u("matched", p.u32(16));
}

/// pie options (`TCA_PIE_*`).
fn pie(opt: &[u8], f: &mut Fields) {
    let a: Attrs<9> = Attrs::parse(opt);
    for (key, kind) in [
        ("limit", 2),
        ("target", 1),
        ("tupdate", 3),
        ("alpha", 4),
        ("beta", 5),
    ] {
        if let Some(v) = a.u32(kind) {
            f.u(key, v);
        }
    }
    for (key, kind) in [("ecn", 6), ("bytemode", 7), ("dq_rate_estimator", 8)] {
        if a.u32(kind).is_some_and(|v| v != 0) {
            f.b(key, true);
        }
    }
}

/// `tc_pie_xstats` (40 bytes; shorter ones are not decoded).
fn pie_xstats(x: &[u8], f: &mut Fields) {
    let p = Padded::<40>::new(x);
    f.f("prob", p.u64(0) as f64 / 18_446_744_073_709_551_616.0);
    f.u("delay", p.u32(8));
    if p.u32(16) != 0 {
        f.u("avg_dq_rate", p.u32(12));
    }
    f.u("pkts_in", p.u32(20));
    f.u("overlimit", p.u32(28));
    f.u("dropped", p.u32(24));
    f.u("maxq", p.u32(32));
    f.u("ecn_mark", p.u32(36));
}

/// fq_pie options (`TCA_FQ_PIE_*`).
fn fq_pie(opt: &[u8], f: &mut Fields) {
    let a: Attrs<13> = Attrs::parse(opt);
    for (key, kind) in [
        ("limit", 1),
        ("flows", 2),
        ("target", 3),
        ("tupdate", 4),
        ("alpha", 5),
        ("beta", 6),
        ("quantum", 7),
        ("memory_limit", 8),
        ("ecn_prob", 9),
    ] {
        if let Some(v) = a.u32(kind) {
            f.u(key, v);
        }
    }
    for (key, kind) in [("ecn", 10), ("bytemode", 11), ("dq_rate_estimator", 12)] {
        if a.u32(kind).is_some_and(|v| v != 0) {
            f.b(key, true);
        }
    }
}

/// `tc_fq_pie_xstats` (36 bytes, zero-extended).
fn fq_pie_xstats(x: &[u8], f: &mut Fields) {
    let p = Padded::<36>::new(x);
    for (key, off) in [
        ("pkts_in", 0),
        ("overlimit", 8),
        ("overmemory", 12),
        ("dropped", 4),
        ("ecn_mark", 16),
        ("new_flow_count", 20),
        ("new_flows_len", 24),
        ("old_flows_len", 28),
        ("memory_used", 32),
    ] {
        f.u(key, p.u32(off));
    }
}

/// hhf options (`TCA_HHF_*`); timeouts in microseconds.
fn hhf(opt: &[u8], f: &mut Fields) {
    let a: Attrs<8> = Attrs::parse(opt);
    for (key, kind) in [
        ("limit", 1),
        ("quantum", 2),
        ("hh_limit", 3),
        ("reset_timeout", 4),
        ("admit_bytes", 5),
        ("evict_timeout", 6),
        ("non_hh_weight", 7),
    ] {
        if let Some(v) = a.u32(kind) {
            f.u(key, v);
        }
    }
}

/// `tc_hhf_xstats` (16 bytes).
fn hhf_xstats(x: &[u8], f: &mut Fields) {
    let p = Padded::<16>::new(x);
    f.u("drop_overlimit", p.u32(0));
    f.u("hh_overlimit", p.u32(4));
    f.u("tot_hh", p.u32(8));
    f.u("cur_hh", p.u32(12));
}

/// SFB probabilities are Q0.16 with a maximum of 0xFFFF.
fn sfb_prob(v: u32) -> f64 {
    f64::from(v) / 65535.0
}

/// sfb: `TCA_SFB_PARMS` (1) `tc_sfb_qopt` (36 bytes); intervals in ms, printed ×1000 (µs) in
/// 32-bit arithmetic as tc does.
fn sfb(opt: &[u8], f: &mut Fields) {
    let a: Attrs<2> = Attrs::parse(opt);
    let Some(parms) = a.get(1).filter(|p| p.len() >= 36) else {
        return;
    };
    let p = Padded::<36>::new(parms);
    f.u("rehash", p.u32(0).wrapping_mul(1000));
    f.u("db", p.u32(4).wrapping_mul(1000));
    f.u("limit", p.u32(24));
    f.u("max", p.u32(8));
    f.u("target", p.u32(12));
    f.f("increment", sfb_prob(p.u32(16)));
    f.f("decrement", sfb_prob(p.u32(20)));
    f.u("penalty_rate", p.u32(28));
    f.u("penalty_burst", p.u32(32));
}

/// `tc_sfb_xstats` (36 bytes).
fn sfb_xstats(x: &[u8], f: &mut Fields) {
    let p = Padded::<36>::new(x);
    for (key, off) in [
        ("earlydrop", 0),
        ("penaltydrop", 4),
        ("bucketdrop", 8),
        ("queuedrop", 12),
        ("childdrop", 16),
        ("marked", 20),
        ("maxqlen", 24),
    ] {
        f.u(key, p.u32(off));
    }
    f.f("maxprob", sfb_prob(p.u32(28)));
    f.f("avgprob", sfb_prob(p.u32(32)));
}

/// Round like `%g` (re-exported for tests of the callers).
pub fn g(v: f64) -> f64 {
    round_g(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KINDS: [&str; 24] = [
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
