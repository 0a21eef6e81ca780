//! Decoding of `RTM_NEWQDISC` messages: header, generic statistics (`TCA_STATS2` or the legacy
//! `TCA_STATS`), kind and options, xstats. Pure functions of bytes.

use std::sync::Arc;

use super::kinds::{self, Ticks};
use crate::model::tc::{Basic, Fields, Qdisc, QdiscConfig, QdiscStats, Queue, RateEst, Xstats};
use crate::netlink::attrs::{Attrs, Padded, hex};
use crate::uapi::gen_stats::{
    TCA_STATS_APP, TCA_STATS_BASIC, TCA_STATS_BASIC_HW, TCA_STATS_PKT64, TCA_STATS_QUEUE,
    TCA_STATS_RATE_EST, TCA_STATS_RATE_EST64,
};
use crate::uapi::rtnetlink::{TCA_EGRESS_BLOCK, TCA_INGRESS_BLOCK, tcmsg};

// libc has these rtnetlink.h attribute types as u16 (TCA_HW_OFFLOAD on glibc targets only);
// attribute tables index by usize.
/// `TCA_KIND`.
pub const TCA_KIND: usize = libc::TCA_KIND as usize;
/// `TCA_OPTIONS`.
pub const TCA_OPTIONS: usize = libc::TCA_OPTIONS as usize;
const TCA_STATS: usize = libc::TCA_STATS as usize;
const TCA_XSTATS: usize = libc::TCA_XSTATS as usize;
const TCA_STATS2: usize = libc::TCA_STATS2 as usize;
const TCA_HW_OFFLOAD: usize = libc::TCA_HW_OFFLOAD as usize;
/// Top-level attribute types indexed: up to the last one read (`TCA_EGRESS_BLOCK`).
pub const TCA_TABLE: usize = TCA_EGRESS_BLOCK + 1;

/// Decode `TCA_STATS2` (nested) and the legacy `TCA_STATS`; returns the stats and the xstats
/// bytes (`TCA_STATS_APP`, else `TCA_XSTATS`).
pub fn decode_stats<'a>(top: &Attrs<'a, TCA_TABLE>) -> (Option<QdiscStats>, Option<&'a [u8]>) {
    use crate::uapi::gen_stats::{
        TCA_STATS_MAX, gnet_stats_basic as gb, gnet_stats_queue as gq, gnet_stats_rate_est as re,
        gnet_stats_rate_est64 as re64,
    };
    use crate::uapi::pkt_sched::tc_stats as ts;
    let mut stats = None;
    let mut app = None;
    if let Some(s2) = top.get(TCA_STATS2) {
        let a: Attrs<{ TCA_STATS_MAX + 1 }> = Attrs::parse(s2);
        let basic = |b: &[u8]| {
            let p = Padded::<{ gb::SIZE }>::new(b);
            Basic {
                bytes: p.u64(gb::BYTES),
                packets: p.u32(gb::PACKETS).into(),
            }
        };
        let mut s = QdiscStats {
            basic: a.get(TCA_STATS_BASIC).map(basic),
            hw: a.get(TCA_STATS_BASIC_HW).map(basic),
            ..QdiscStats::default()
        };
        // Packet counts beyond 32 bits arrive in TCA_STATS_PKT64 (Linux 5.13+).
        if let (Some(b), Some(p64)) = (s.basic.as_mut(), a.u64(TCA_STATS_PKT64))
            && p64 != 0
        {
            b.packets = p64;
        }
        s.queue = a.get(TCA_STATS_QUEUE).map(|q| {
            let p = Padded::<{ gq::SIZE }>::new(q);
            Queue {
                qlen: p.u32(gq::QLEN),
                backlog: p.u32(gq::BACKLOG),
                drops: p.u32(gq::DROPS),
                requeues: p.u32(gq::REQUEUES),
                overlimits: p.u32(gq::OVERLIMITS),
            }
        });
        s.rate = match (a.get(TCA_STATS_RATE_EST64), a.get(TCA_STATS_RATE_EST)) {
            (Some(r), _) => {
                let p = Padded::<{ re64::SIZE }>::new(r);
                Some(RateEst {
                    bps: p.u64(re64::BPS),
                    pps: p.u64(re64::PPS),
                })
            }
            (None, Some(r)) => {
                let p = Padded::<{ re::SIZE }>::new(r);
                Some(RateEst {
                    bps: p.u32(re::BPS).into(),
                    pps: p.u32(re::PPS).into(),
                })
            }
            (None, None) => None,
        };
        stats = Some(s);
        app = a.get(TCA_STATS_APP);
    } else if let Some(legacy) = top.get(TCA_STATS) {
        let p = Padded::<{ ts::SIZE }>::new(legacy);
        let (bps, pps) = (p.u32(ts::BPS), p.u32(ts::PPS));
        stats = Some(QdiscStats {
            basic: Some(Basic {
                bytes: p.u64(ts::BYTES),
                packets: p.u32(ts::PACKETS).into(),
            }),
            queue: Some(Queue {
                qlen: p.u32(ts::QLEN),
                backlog: p.u32(ts::BACKLOG),
                drops: p.u32(ts::DROPS),
                requeues: 0,
                overlimits: p.u32(ts::OVERLIMITS),
            }),
            hw: None,
            rate: (bps != 0 || pps != 0).then(|| RateEst {
                bps: bps.into(),
                pps: pps.into(),
            }),
            legacy: true,
        });
    }
    (stats, app.or_else(|| top.get(TCA_XSTATS)))
}

/// The header fields of an `RTM_NEWQDISC` message and its attribute table.
pub struct QdiscMessage<'a> {
    /// `tcm_ifindex`.
    pub ifindex: u32,
    /// `tcm_handle`.
    pub handle: u32,
    /// `tcm_parent`.
    pub parent: u32,
    /// `tcm_info`.
    pub info: u32,
    /// Top-level attributes.
    pub attrs: Attrs<'a, TCA_TABLE>,
}

/// Split an `RTM_NEWQDISC` payload into header and attributes; `None` when it is shorter than
/// `struct tcmsg` or has no `TCA_KIND` (tc stops at such a message; here it is skipped).
pub fn parse_qdisc(payload: &[u8]) -> Option<QdiscMessage<'_>> {
    let head = payload.get(..tcmsg::SIZE)?;
    let p = Padded::<{ tcmsg::SIZE }>::new(head);
    let attrs = Attrs::parse(&payload[tcmsg::SIZE..]);
    attrs.get(TCA_KIND)?;
    Some(QdiscMessage {
        ifindex: p.u32(tcmsg::TCM_IFINDEX),
        handle: p.u32(tcmsg::TCM_HANDLE),
        parent: p.u32(tcmsg::TCM_PARENT),
        info: p.u32(tcmsg::TCM_INFO),
        attrs,
    })
}

/// The kind string of a `TCA_KIND` payload (up to the first NUL).
fn kind_of(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

/// Decode kind and options of a qdisc of interface `dev`.
pub fn decode_config(
    dev: Arc<str>,
    kind: &[u8],
    options: Option<&[u8]>,
    ticks: &Ticks,
) -> QdiscConfig {
    let kind = kind_of(kind);
    let opt = options.unwrap_or(&[]);
    match kinds::options(&kind, opt, ticks) {
        Some(options) => QdiscConfig {
            dev,
            dev_bytes: None,
            kind,
            options,
            options_raw: None,
        },
        None => QdiscConfig {
            dev,
            dev_bytes: None,
            kind,
            options: Fields::new(),
            options_raw: (!opt.is_empty()).then(|| hex(opt)),
        },
    }
}

/// Decode xstats for `kind`.
pub fn decode_xstats(kind: &str, x: &[u8]) -> Xstats {
    match kinds::xstats(kind, x) {
        Some(f) => Xstats::Decoded(f),
        None => Xstats::Raw(hex(x)),
    }
}

/// Decode one `RTM_NEWQDISC` payload completely (no caching); `dev` names the interface.
pub fn decode_qdisc(payload: &[u8], dev: Arc<str>, ticks: &Ticks) -> Option<Qdisc> {
    let m = parse_qdisc(payload)?;
    let config = Arc::new(decode_config(
        dev,
        m.attrs.get(TCA_KIND)?,
        m.attrs.get(TCA_OPTIONS),
        ticks,
    ));
    Some(assemble(&m, config))
}

pub fn assemble(m: &QdiscMessage<'_>, config: Arc<QdiscConfig>) -> Qdisc {
    let (stats, xstats) = decode_stats(&m.attrs);
    let xstats = xstats.map(|x| decode_xstats(&config.kind, x));
    Qdisc {
        ifindex: m.ifindex,
        handle: m.handle,
        parent: m.parent,
        refcnt: m.info,
        offloaded: m.attrs.u8(TCA_HW_OFFLOAD).is_some_and(|v| v != 0),
        ingress_block: m.attrs.u32(TCA_INGRESS_BLOCK).unwrap_or(0),
        egress_block: m.attrs.u32(TCA_EGRESS_BLOCK).unwrap_or(0),
        config,
        stats,
        xstats,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn psched_ticks() {
        let t = Ticks::from_psched("000003e8 00000040 000f4240 3b9aca00\n").expect("parse");
        assert_eq!(t, Ticks::default());
        assert_eq!(t.to_usec(1_562_500), 100_000);
        assert_eq!(Ticks::from_psched("garbage"), None);
    }

    #[test]
    fn damaged_messages_never_panic() {
        // A well-formed message: tcmsg, TCA_KIND "fq_codel", TCA_STATS2 { BASIC, QUEUE, APP }.
        use crate::netlink::testing::attribute as attr;
        let mut stats2 = attr(1, &[1; 16]);
        stats2.extend(attr(3, &[2; 20]));
        stats2.extend(attr(4, &[0; 40]));
        let mut msg = vec![0u8; 20];
        msg[4] = 3;
        msg.extend(attr(1, b"fq_codel\0"));
        msg.extend(attr(7, &stats2));
        let full = decode_qdisc(&msg, Arc::from("x"), &Ticks::default()).expect("decode");
        assert_eq!(full.config.kind, "fq_codel");
        assert_eq!(&*full.config.dev, "x");
        assert_eq!(
            full.stats.and_then(|s| s.basic).map(|b| b.packets),
            Some(0x0101_0101)
        );
        // Every truncation and every single-byte corruption decodes or is skipped, never panics.
        for cut in 0..msg.len() {
            let _ = decode_qdisc(&msg[..cut], Arc::from("x"), &Ticks::default());
        }
        for i in 0..msg.len() {
            let mut bad = msg.clone();
            bad[i] ^= 0xff;
            if let Some(q) = decode_qdisc(&bad, Arc::from("x"), &Ticks::default()) {
                let mut out = Vec::new();
                crate::output::json::encoder::JsonEncoder::new().object(&q, &mut out);
                let _: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
            }
        }
        // No TCA_KIND: skipped, as tc stops at it.
        assert!(decode_qdisc(&msg[..20], Arc::from("x"), &Ticks::default()).is_none());
    }
}
