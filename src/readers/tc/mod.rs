//! The `tc` reader: every qdisc with its statistics, options and xstats, from `RTM_GETQDISC`
//! dumps, with the keys and values `tc -s -j qdisc` (iproute2 6.1) prints.
//!
//! Steady-state cost: options rarely change, so each qdisc's decoded kind and options are
//! cached with the raw bytes they came from and reused while the kernel sends the same bytes
//! (one `memcmp`); only the counters and xstats are decoded every sample. Interface names come
//! from an `RTM_GETLINK` dump at the start and after link notifications; an ifindex not (yet)
//! known is named `if<N>`, as tc names it.

pub mod kinds;
pub mod value;

use std::collections::HashMap;
use std::sync::Arc;

use libc::{RTM_GETQDISC, RTM_NEWLINK, RTM_NEWQDISC};
use netlink_packet_route::RouteNetlinkMessage;
use netlink_packet_route::link::LinkMessage;
use netlink_packet_route::tc::TcMessage;
use netlink_sys::constants::NETLINK_ROUTE;
use serde::ser::{Serialize, SerializeMap, Serializer};

use self::kinds::Ticks;
use self::value::Fields;
use super::attrs::{Attrs, Padded, hex};
use super::ip::decode_link;
use super::link_watch::{self, LinkWatch};
use super::{Collected, ReadError, Reader};
use crate::netlink::{DumpCounters, Dumper, Request, Transport};
use crate::record::Stats;
use crate::source::Source;
use crate::uapi::gen_stats::{
    TCA_STATS_APP, TCA_STATS_BASIC, TCA_STATS_BASIC_HW, TCA_STATS_PKT64, TCA_STATS_QUEUE,
    TCA_STATS_RATE_EST, TCA_STATS_RATE_EST64,
};
use crate::uapi::rtnetlink::{TCA_EGRESS_BLOCK, TCA_INGRESS_BLOCK, tcmsg};

// Re-exported: the console logger, which prints a root parent as "root", names it from here.
pub use crate::uapi::pkt_sched::TC_H_ROOT;

// libc has these rtnetlink.h attribute types as u16 (TCA_HW_OFFLOAD on glibc targets only);
// attribute tables index by usize.
const TCA_KIND: usize = libc::TCA_KIND as usize;
const TCA_OPTIONS: usize = libc::TCA_OPTIONS as usize;
const TCA_STATS: usize = libc::TCA_STATS as usize;
const TCA_XSTATS: usize = libc::TCA_XSTATS as usize;
const TCA_STATS2: usize = libc::TCA_STATS2 as usize;
const TCA_HW_OFFLOAD: usize = libc::TCA_HW_OFFLOAD as usize;

/// Generic statistics of a qdisc (`TCA_STATS2`, or the legacy `TCA_STATS`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QdiscStats {
    /// `gnet_stats_basic` was sent: bytes and packets.
    pub basic: Option<Basic>,
    /// `gnet_stats_queue` was sent.
    pub queue: Option<Queue>,
    /// Hardware-offloaded part of `basic` (`TCA_STATS_BASIC_HW`).
    pub hw: Option<Basic>,
    /// Rate estimator (`TCA_STATS_RATE_EST64`, else `TCA_STATS_RATE_EST`).
    pub rate: Option<RateEst>,
    /// Taken from the legacy `struct tc_stats` (no `TCA_STATS2`): no requeues.
    pub legacy: bool,
}

/// Bytes and packets (`gnet_stats_basic`, packets 64-bit from `TCA_STATS_PKT64` when sent).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Basic {
    /// Bytes sent.
    pub bytes: u64,
    /// Packets sent.
    pub packets: u64,
}

/// `gnet_stats_queue`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct Queue {
    pub qlen: u32,
    pub backlog: u32,
    pub drops: u32,
    pub requeues: u32,
    pub overlimits: u32,
}

/// A rate estimate: bytes and packets per second.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateEst {
    /// Bytes per second.
    pub bps: u64,
    /// Packets per second.
    pub pps: u64,
}

/// What changes only when the qdisc is reconfigured or its interface renamed: interface name,
/// kind and options. Shared between samples (one reference count per qdisc and sample).
#[derive(Debug, Clone, PartialEq)]
pub struct QdiscConfig {
    /// Interface name (`if<N>` when unknown).
    pub dev: Arc<str>,
    /// `TCA_KIND`.
    pub kind: String,
    /// The options tc prints for this kind.
    pub options: Fields,
    /// Options of a kind not decoded here, as hex.
    pub options_raw: Option<String>,
    /// `"options":{…}` (and `,"options_raw":"…"`) as JSON, rendered once per config.
    pub options_json: Vec<u8>,
}

impl QdiscConfig {
    fn rendered(mut self) -> QdiscConfig {
        let mut out = b"\"options\":".to_vec();
        // Writing into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut out, &self.options);
        if let Some(raw) = &self.options_raw {
            out.extend_from_slice(b",\"options_raw\":");
            let _ = serde_json::to_writer(&mut out, raw);
        }
        self.options_json = out;
        self
    }
}

/// Extended statistics.
#[derive(Debug, Clone, PartialEq)]
pub enum Xstats {
    /// Decoded under tc's names.
    Decoded(Fields),
    /// Not decodable (unknown kind, or a struct tc would not read): hex.
    Raw(String),
}

/// One qdisc of one sample.
#[derive(Debug, Clone, PartialEq)]
pub struct Qdisc {
    /// Interface index.
    pub ifindex: u32,
    /// `tcm_handle`.
    pub handle: u32,
    /// `tcm_parent`.
    pub parent: u32,
    /// `tcm_info`: the reference count.
    pub refcnt: u32,
    /// `TCA_HW_OFFLOAD`.
    pub offloaded: bool,
    /// `TCA_INGRESS_BLOCK` (0 = none).
    pub ingress_block: u32,
    /// `TCA_EGRESS_BLOCK` (0 = none).
    pub egress_block: u32,
    /// Interface name, kind and options, shared between samples while unchanged.
    pub config: Arc<QdiscConfig>,
    /// Generic statistics, when the kernel sent any.
    pub stats: Option<QdiscStats>,
    /// Extended statistics, when the kernel sent any.
    pub xstats: Option<Xstats>,
}

/// A tc handle as tc prints a qdisc's handle: the major number, `"%x:"`.
pub fn format_handle(h: u32) -> String {
    format!("{:x}:", h >> 16)
}

/// A tc class id as tc prints a parent (`print_tc_classid`).
pub fn format_classid(h: u32) -> String {
    match h {
        TC_H_ROOT => "root".into(),
        0 => "none".into(),
        h if h & 0xFFFF_0000 == 0 => format!(":{:x}", h & 0xFFFF),
        h if h & 0xFFFF == 0 => format!("{:x}:", h >> 16),
        h => format!("{:x}:{:x}", h >> 16, h & 0xFFFF),
    }
}

/// Decode `TCA_STATS2` (nested) and the legacy `TCA_STATS`; returns the stats and the xstats
/// bytes (`TCA_STATS_APP`, else `TCA_XSTATS`).
pub fn decode_stats<'a>(top: &Attrs<'a, 16>) -> (Option<QdiscStats>, Option<&'a [u8]>) {
    let mut stats = None;
    let mut app = None;
    if let Some(s2) = top.get(TCA_STATS2) {
        let a: Attrs<9> = Attrs::parse(s2);
        let basic = |b: &[u8]| {
            let p = Padded::<16>::new(b);
            Basic {
                bytes: p.u64(0),
                packets: p.u32(8).into(),
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
            let p = Padded::<20>::new(q);
            Queue {
                qlen: p.u32(0),
                backlog: p.u32(4),
                drops: p.u32(8),
                requeues: p.u32(12),
                overlimits: p.u32(16),
            }
        });
        s.rate = match (a.get(TCA_STATS_RATE_EST64), a.get(TCA_STATS_RATE_EST)) {
            (Some(r), _) => {
                let p = Padded::<16>::new(r);
                Some(RateEst {
                    bps: p.u64(0),
                    pps: p.u64(8),
                })
            }
            (None, Some(r)) => {
                let p = Padded::<8>::new(r);
                Some(RateEst {
                    bps: p.u32(0).into(),
                    pps: p.u32(4).into(),
                })
            }
            (None, None) => None,
        };
        stats = Some(s);
        app = a.get(TCA_STATS_APP);
    } else if let Some(legacy) = top.get(TCA_STATS) {
        // struct tc_stats: bytes u64 @0, packets @8, drops @12, overlimits @16, bps @20,
        // pps @24, qlen @28, backlog @32.
        let p = Padded::<40>::new(legacy);
        stats = Some(QdiscStats {
            basic: Some(Basic {
                bytes: p.u64(0),
                packets: p.u32(8).into(),
            }),
            queue: Some(Queue {
                qlen: p.u32(28),
                backlog: p.u32(32),
                drops: p.u32(12),
                requeues: 0,
                overlimits: p.u32(16),
            }),
            hw: None,
            rate: (p.u32(20) != 0 || p.u32(24) != 0).then(|| RateEst {
                bps: p.u32(20).into(),
                pps: p.u32(24).into(),
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
    pub attrs: Attrs<'a, 16>,
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
            kind,
            options,
            options_raw: None,
            options_json: Vec::new(),
        },
        None => QdiscConfig {
            dev,
            kind,
            options: Fields::new(),
            options_raw: (!opt.is_empty()).then(|| hex(opt)),
            options_json: Vec::new(),
        },
    }
    .rendered()
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

fn assemble(m: &QdiscMessage<'_>, config: Arc<QdiscConfig>) -> Qdisc {
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

impl Serialize for Qdisc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("kind", &self.config.kind)?;
        m.serialize_entry("handle", &format_handle(self.handle))?;
        m.serialize_entry("dev", &*self.config.dev)?;
        match self.parent {
            TC_H_ROOT => m.serialize_entry("root", &true)?,
            0 => {}
            p => m.serialize_entry("parent", &format_classid(p))?,
        }
        if self.refcnt != 1 {
            m.serialize_entry("refcnt", &self.refcnt)?;
        }
        if self.offloaded {
            m.serialize_entry("offloaded", &true)?;
        }
        if self.ingress_block != 0 {
            m.serialize_entry("ingress_block", &self.ingress_block)?;
        }
        if self.egress_block != 0 {
            m.serialize_entry("egress_block", &self.egress_block)?;
        }
        m.serialize_entry("options", &self.config.options)?;
        if let Some(raw) = &self.config.options_raw {
            m.serialize_entry("options_raw", raw)?;
        }
        if let Some(st) = &self.stats {
            if let Some(b) = &st.basic {
                m.serialize_entry("bytes", &b.bytes)?;
                m.serialize_entry("packets", &b.packets)?;
            }
            if let Some(q) = &st.queue {
                m.serialize_entry("drops", &q.drops)?;
                m.serialize_entry("overlimits", &q.overlimits)?;
                if !st.legacy {
                    m.serialize_entry("requeues", &q.requeues)?;
                }
            }
            if let Some(hw) = st.hw.filter(|h| h.bytes != 0 || h.packets != 0) {
                if let Some(b) = st
                    .basic
                    .filter(|b| b.bytes >= hw.bytes && b.packets >= hw.packets)
                {
                    m.serialize_entry("sw_bytes", &(b.bytes - hw.bytes))?;
                    m.serialize_entry("sw_packets", &(b.packets - hw.packets))?;
                }
                m.serialize_entry("hw_bytes", &hw.bytes)?;
                m.serialize_entry("hw_packets", &hw.packets)?;
            }
            if let Some(r) = &st.rate {
                m.serialize_entry("rate", &r.bps)?;
                m.serialize_entry("pps", &r.pps)?;
            }
            if let Some(q) = &st.queue {
                m.serialize_entry("backlog", &q.backlog)?;
                m.serialize_entry("qlen", &q.qlen)?;
            }
        }
        match &self.xstats {
            Some(Xstats::Decoded(f)) => {
                for (k, v) in &f.0 {
                    m.serialize_entry(k, v)?;
                }
            }
            Some(Xstats::Raw(raw)) => m.serialize_entry("xstats_raw", raw)?,
            None => {}
        }
        m.end()
    }
}

/// Append `q` as JSON: the bytes of its `Serialize` implementation, with the options as
/// rendered once per config.
pub fn write_qdisc(out: &mut Vec<u8>, q: &Qdisc) {
    use super::json_out::{key, num, string};
    use std::io::Write;
    out.extend_from_slice(b"{\"kind\":");
    string(out, &q.config.kind);
    let _ = write!(out, ",\"handle\":\"{:x}:\"", q.handle >> 16);
    key(out, false, "dev");
    string(out, &q.config.dev);
    match q.parent {
        TC_H_ROOT => out.extend_from_slice(b",\"root\":true"),
        0 => {}
        p => {
            key(out, false, "parent");
            string(out, &format_classid(p));
        }
    }
    if q.refcnt != 1 {
        key(out, false, "refcnt");
        num(out, q.refcnt);
    }
    if q.offloaded {
        out.extend_from_slice(b",\"offloaded\":true");
    }
    for (k, v) in [
        ("ingress_block", q.ingress_block),
        ("egress_block", q.egress_block),
    ] {
        if v != 0 {
            key(out, false, k);
            num(out, v);
        }
    }
    out.push(b',');
    if q.config.options_json.is_empty() {
        let cfg = q.config.as_ref().clone().rendered();
        out.extend_from_slice(&cfg.options_json);
    } else {
        out.extend_from_slice(&q.config.options_json);
    }
    if let Some(st) = &q.stats {
        if let Some(b) = &st.basic {
            key(out, false, "bytes");
            num(out, b.bytes);
            key(out, false, "packets");
            num(out, b.packets);
        }
        if let Some(qu) = &st.queue {
            key(out, false, "drops");
            num(out, qu.drops);
            key(out, false, "overlimits");
            num(out, qu.overlimits);
            if !st.legacy {
                key(out, false, "requeues");
                num(out, qu.requeues);
            }
        }
        if let Some(hw) = st.hw.filter(|h| h.bytes != 0 || h.packets != 0) {
            if let Some(b) = st
                .basic
                .filter(|b| b.bytes >= hw.bytes && b.packets >= hw.packets)
            {
                key(out, false, "sw_bytes");
                num(out, b.bytes - hw.bytes);
                key(out, false, "sw_packets");
                num(out, b.packets - hw.packets);
            }
            key(out, false, "hw_bytes");
            num(out, hw.bytes);
            key(out, false, "hw_packets");
            num(out, hw.packets);
        }
        if let Some(r) = &st.rate {
            key(out, false, "rate");
            num(out, r.bps);
            key(out, false, "pps");
            num(out, r.pps);
        }
        if let Some(qu) = &st.queue {
            key(out, false, "backlog");
            num(out, qu.backlog);
            key(out, false, "qlen");
            num(out, qu.qlen);
        }
    }
    match &q.xstats {
        Some(Xstats::Decoded(f)) => {
            for (k, v) in &f.0 {
                key(out, false, k);
                let _ = serde_json::to_writer(&mut *out, v);
            }
        }
        Some(Xstats::Raw(raw)) => {
            key(out, false, "xstats_raw");
            string(out, raw);
        }
        None => {}
    }
    out.push(b'}');
}

/// Append `qdiscs` as a JSON array.
pub fn write_qdiscs(out: &mut Vec<u8>, qdiscs: &[Qdisc]) {
    out.push(b'[');
    for (i, q) in qdiscs.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_qdisc(out, q);
    }
    out.push(b']');
}

/// A cached config: the raw `TCA_KIND` and `TCA_OPTIONS` bytes it was decoded from.
struct CacheEntry {
    key: (u32, u32, u32),
    /// `TCA_KIND` bytes followed by `TCA_OPTIONS` bytes.
    raw: Vec<u8>,
    kind_len: usize,
    /// Moved (not cloned) from one sample's cache to the next: `None` once taken.
    config: Option<Arc<QdiscConfig>>,
}

impl CacheEntry {
    fn new(
        key: (u32, u32, u32),
        dev: Arc<str>,
        kind: &[u8],
        options: Option<&[u8]>,
        ticks: &Ticks,
    ) -> Self {
        let mut raw = Vec::with_capacity(kind.len() + options.map_or(0, <[u8]>::len));
        raw.extend_from_slice(kind);
        raw.extend_from_slice(options.unwrap_or(&[]));
        CacheEntry {
            key,
            raw,
            kind_len: kind.len(),
            config: Some(Arc::new(decode_config(dev, kind, options, ticks))),
        }
    }

    /// True when this entry was decoded from exactly these bytes.
    fn holds(&self, kind: &[u8], options: Option<&[u8]>) -> bool {
        let (k, o) = self.raw.split_at(self.kind_len.min(self.raw.len()));
        k == kind && o == options.unwrap_or(&[])
    }
}

/// The `tc` reader.
pub struct TcReader<T, W> {
    dumper: Dumper<T>,
    watch: W,
    getlink: Request,
    getqdisc: Request,
    iface: Option<String>,
    /// ifindex of `--iface`, resolved with every link refresh.
    iface_index: Option<u32>,
    names: HashMap<u32, Arc<str>>,
    refresh: bool,
    ticks: Ticks,
    cache: Vec<CacheEntry>,
    next_cache: Vec<CacheEntry>,
}

impl TcReader<Box<dyn Transport>, Box<dyn LinkWatch>> {
    /// A reader whose kernel input comes from `source`; with `iface`, only that interface's
    /// qdiscs, and it must exist now.
    pub fn from_source(source: &Source, iface: Option<&str>) -> Result<Self, ReadError> {
        let watch = link_watch::for_source(source, RTM_GETQDISC)?;
        let transport = source
            .transport(NETLINK_ROUTE)
            .map_err(link_watch::route_open_error)?;
        // Tick length for tbf and netem, as tc reads it.
        let ticks = std::fs::read_to_string("/proc/net/psched")
            .ok()
            .and_then(|t| Ticks::from_psched(&t))
            .unwrap_or_default();
        TcReader::with_source(transport, watch, iface, ticks)
    }
}

impl<T: Transport, W: LinkWatch> TcReader<T, W> {
    /// A reader over any message source and change watch.
    pub fn with_source(
        transport: T,
        watch: W,
        iface: Option<&str>,
        ticks: Ticks,
    ) -> Result<Self, ReadError> {
        let mut reader = TcReader {
            dumper: Dumper::new(transport),
            watch,
            getlink: Request::dump(
                "RTM_GETLINK",
                RouteNetlinkMessage::GetLink(LinkMessage::default()),
            ),
            getqdisc: Request::dump(
                "RTM_GETQDISC",
                RouteNetlinkMessage::GetQueueDiscipline(TcMessage::default()),
            ),
            iface: iface.map(str::to_owned),
            iface_index: None,
            names: HashMap::new(),
            refresh: true,
            ticks,
            cache: Vec::new(),
            next_cache: Vec::new(),
        };
        if let Some(name) = iface {
            reader.refresh_names()?;
            if reader.iface_index.is_none() {
                return Err(ReadError::NoSuchInterface(name.to_owned()));
            }
        }
        Ok(reader)
    }

    fn refresh_names(&mut self) -> Result<(), ReadError> {
        self.refresh = false;
        // Cached configs carry interface names: decode them again.
        self.cache.clear();
        let dump = self.dumper.dump(&mut self.getlink)?;
        self.names.clear();
        self.iface_index = None;
        for m in dump.messages.filter(|m| m.header.kind == RTM_NEWLINK) {
            if let Some((meta, _)) = decode_link(m.payload) {
                if self.iface.as_deref() == Some(meta.ifname.as_str()) {
                    self.iface_index = Some(meta.ifindex);
                }
                self.names
                    .insert(meta.ifindex, Arc::from(meta.ifname.as_str()));
            }
        }
        Ok(())
    }
}

impl<T: Transport, W: LinkWatch> Reader for TcReader<T, W> {
    fn kind(&self) -> &'static str {
        "tc"
    }

    fn collect(&mut self) -> Result<Collected, ReadError> {
        if self.watch.changed() || self.refresh {
            self.refresh_names()?;
        }
        let mut out = Vec::with_capacity(self.cache.len());
        let dump = self.dumper.dump(&mut self.getqdisc)?;
        let (partial, sent_at) = (dump.partial, dump.sent_at);
        let messages = dump.messages;
        let mut cursor = 0;
        self.next_cache.clear();
        for message in messages.filter(|m| m.header.kind == RTM_NEWQDISC) {
            let Some(m) = parse_qdisc(message.payload) else {
                continue;
            };
            if self.iface.is_some() && self.iface_index != Some(m.ifindex) {
                continue;
            }
            let kind = m.attrs.get(TCA_KIND).unwrap_or(&[]);
            let options = m.attrs.get(TCA_OPTIONS);
            let key = (m.ifindex, m.handle, m.parent);
            // The dump order is stable: look at the entry after the last match first.
            let hit = match self.cache.get(cursor) {
                Some(e) if e.key == key => Some(cursor),
                _ => self.cache.iter().position(|e| e.key == key),
            };
            let entry = match hit {
                Some(i) if self.cache[i].config.is_some() && self.cache[i].holds(kind, options) => {
                    cursor = i + 1;
                    let old = &mut self.cache[i];
                    CacheEntry {
                        key,
                        raw: std::mem::take(&mut old.raw),
                        kind_len: old.kind_len,
                        config: old.config.take(),
                    }
                }
                _ => {
                    let dev = match self.names.get(&m.ifindex) {
                        Some(n) => Arc::clone(n),
                        // Named when its link notification triggers the next refresh.
                        None => Arc::from(format!("if{}", m.ifindex).as_str()),
                    };
                    CacheEntry::new(key, dev, kind, options, &self.ticks)
                }
            };
            if let Some(config) = &entry.config {
                out.push(assemble(&m, Arc::clone(config)));
            }
            self.next_cache.push(entry);
        }
        std::mem::swap(&mut self.cache, &mut self.next_cache);
        let warnings = match &self.iface {
            Some(name) if self.iface_index.is_none() => vec![super::ip::gone_warning(name)],
            _ => Vec::new(),
        };
        Ok(Collected {
            stats: Stats::Tc(out),
            partial,
            captured_at: sent_at,
            warnings,
        })
    }

    fn dump_counters(&self) -> DumpCounters {
        self.dumper.counters()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_and_parents_as_tc_prints_them() {
        assert_eq!(format_handle(0x8001_0000), "8001:");
        assert_eq!(format_handle(0), "0:");
        assert_eq!(format_handle(0xffff_0000), "ffff:");
        assert_eq!(format_classid(0xFFFF_FFF1), "ffff:fff1");
        assert_eq!(format_classid(0x0002_0001), "2:1");
        assert_eq!(format_classid(0x0001_0000), "1:");
        assert_eq!(format_classid(5), ":5");
    }

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
                let _ = serde_json::to_string(&q).expect("serialises");
            }
        }
        // No TCA_KIND: skipped, as tc stops at it.
        assert!(decode_qdisc(&msg[..20], Arc::from("x"), &Ticks::default()).is_none());
    }
}
