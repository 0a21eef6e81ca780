//! The `tc` statistics of one sample: every qdisc with its generic statistics, options and
//! per-kind xstats, described with the keys and order of `tc -s -j qdisc` (what iproute2 6.1 and
//! 6.15 print).

use std::borrow::Cow;
use std::sync::Arc;

use super::describe::{Describe, ELEMENT, Field, Kind, Unit, Visitor};
use super::ip::names::Hex;

/// `TC_H_ROOT`: the parent of a root qdisc.
pub use crate::uapi::pkt_sched::TC_H_ROOT;

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
    /// The interface name's exact bytes, only when they are not valid UTF-8 (JSON
    /// `dev_bytes`, hex).
    pub dev_bytes: Option<Arc<[u8]>>,
    /// `TCA_KIND`.
    pub kind: String,
    /// The options tc prints for this kind.
    pub options: Fields,
    /// Options of a kind not decoded here, as hex.
    pub options_raw: Option<String>,
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

/// A value as `tc -j` prints it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An unsigned number.
    U(u64),
    /// A signed number.
    I(i64),
    /// A floating-point number, already rounded as C's `%g` rounds (6 significant digits).
    F(f64),
    /// `true` / `false`.
    Bool(bool),
    /// A string.
    Str(Cow<'static, str>),
    /// `null` (tc prints some flags as a key with a null value).
    Null,
    /// An array.
    List(Vec<Value>),
    /// A nested object.
    Obj(Fields),
}

/// Keys and values in print order. A key may repeat: tc prints a few twice (fq's `throttled`),
/// and so do we.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields(
    pub Vec<(&'static str, Value)>,
    /// Positions of the entries that are counters (they only grow: drops, marks, events).
    Vec<usize>,
);

impl Fields {
    /// No fields.
    pub fn new() -> Fields {
        Fields(Vec::new(), Vec::new())
    }

    /// Append a counter: a number that only grows while the qdisc lives (drops, marks, events).
    pub fn c(&mut self, key: &'static str, v: impl Into<u64>) {
        self.1.push(self.0.len());
        self.u(key, v);
    }

    /// True when the entry at `index` was appended as a counter.
    pub fn is_counter(&self, index: usize) -> bool {
        self.1.contains(&index)
    }

    /// Append an unsigned number.
    pub fn u(&mut self, key: &'static str, v: impl Into<u64>) {
        self.0.push((key, Value::U(v.into())));
    }

    /// Append a signed number.
    pub fn i(&mut self, key: &'static str, v: impl Into<i64>) {
        self.0.push((key, Value::I(v.into())));
    }

    /// Append a float, rounded like `%g`.
    pub fn f(&mut self, key: &'static str, v: f64) {
        self.0.push((key, Value::F(round_g(v))));
    }

    /// Append a bool.
    pub fn b(&mut self, key: &'static str, v: bool) {
        self.0.push((key, Value::Bool(v)));
    }

    /// Append a string.
    pub fn s(&mut self, key: &'static str, v: impl Into<Cow<'static, str>>) {
        self.0.push((key, Value::Str(v.into())));
    }

    /// Append a null.
    pub fn null(&mut self, key: &'static str) {
        self.0.push((key, Value::Null));
    }

    /// Append any value.
    pub fn push(&mut self, key: &'static str, v: Value) {
        self.0.push((key, v));
    }

    /// The last value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().rev().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// True when there are no fields.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Round to 6 significant digits, as C's `printf("%g")` does, so the number a JSON reader
/// gets from us equals the one it gets from tc.
pub fn round_g(v: f64) -> f64 {
    if !v.is_finite() || v == 0.0 {
        return v;
    }
    format!("{v:.5e}").parse().unwrap_or(v)
}

/// `%#llx` as C prints it: `0` for zero, `0x…` otherwise.
pub fn hex_0x(v: u64) -> String {
    if v == 0 {
        "0".to_owned()
    } else {
        format!("{v:#x}")
    }
}

/// A tc handle as tc prints a qdisc's handle: the major number, `"%x:"`.
pub fn format_handle(h: u32) -> String {
    Handle(h).to_string()
}

/// A tc class id as tc prints a parent (`print_tc_classid`).
pub struct ClassId(pub u32);

impl std::fmt::Display for ClassId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            TC_H_ROOT => f.write_str("root"),
            0 => f.write_str("none"),
            h if h & 0xFFFF_0000 == 0 => write!(f, ":{:x}", h & 0xFFFF),
            h if h & 0xFFFF == 0 => write!(f, "{:x}:", h >> 16),
            h => write!(f, "{:x}:{:x}", h >> 16, h & 0xFFFF),
        }
    }
}

/// A tc class id as tc prints a parent (`print_tc_classid`).
pub fn format_classid(h: u32) -> String {
    ClassId(h).to_string()
}

// ---- Fields, in `tc -s -j qdisc` order ----

const KIND: Field = Field::label("kind");
const HANDLE: Field = Field::label("handle");
const DEV: Field = Field::label("dev");
const DEV_BYTES: Field = Field::label("dev_bytes");
const ROOT: Field = Field::label("root");
const PARENT: Field = Field::label("parent");
const REFCNT: Field = Field::gauge("refcnt", Unit::None);
const OFFLOADED: Field = Field::label("offloaded");
const INGRESS_BLOCK: Field = Field::label("ingress_block");
const EGRESS_BLOCK: Field = Field::label("egress_block");
const OPTIONS: Field = Field::label("options");
const OPTIONS_RAW: Field = Field::label("options_raw");
const BYTES: Field = Field::counter("bytes", Unit::Bytes);
const PACKETS: Field = Field::counter("packets", Unit::Packets);
const DROPS: Field = Field::counter("drops", Unit::Packets);
const OVERLIMITS: Field = Field::counter("overlimits", Unit::Packets);
const REQUEUES: Field = Field::counter("requeues", Unit::Packets);
const SW_BYTES: Field = Field::counter("sw_bytes", Unit::Bytes);
const SW_PACKETS: Field = Field::counter("sw_packets", Unit::Packets);
const HW_BYTES: Field = Field::counter("hw_bytes", Unit::Bytes);
const HW_PACKETS: Field = Field::counter("hw_packets", Unit::Packets);
const RATE: Field = Field::gauge("rate", Unit::BytesPerSecond);
const PPS: Field = Field::gauge("pps", Unit::PacketsPerSecond);
const BACKLOG: Field = Field::gauge("backlog", Unit::Bytes);
const QLEN: Field = Field::gauge("qlen", Unit::Packets);
const XSTATS_RAW: Field = Field::label("xstats_raw");

/// A handle as tc prints a qdisc's handle: the major number, `"%x:"`.
struct Handle(u32);

impl std::fmt::Display for Handle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:x}:", self.0 >> 16)
    }
}

impl Value {
    /// Visit this value under `field`.
    pub fn describe<V: Visitor>(&self, field: &Field<'_>, v: &mut V) {
        match self {
            Value::U(n) => v.u64(field, *n),
            Value::I(n) => v.i64(field, *n),
            // JSON has no infinity or NaN; tc would print `inf`/`nan`, which no parser accepts.
            Value::F(x) if !x.is_finite() => v.null(field),
            // `%g` prints integral values below 1e6 without a fraction or exponent, so a reader
            // of tc's JSON sees an integer there; keep the same type.
            Value::F(x) if x.fract() == 0.0 && x.abs() < 1e6 => v.i64(field, *x as i64),
            Value::F(x) => v.f64(field, *x),
            Value::Bool(b) => v.bool(field, *b),
            Value::Str(s) => v.str(field, s),
            Value::Null => v.null(field),
            Value::List(items) => {
                v.begin_list(field);
                for item in items {
                    item.describe(&ELEMENT, v);
                }
                v.end();
            }
            Value::Obj(fields) => {
                v.begin_object(field);
                fields.describe_as(field.kind, v);
                v.end();
            }
        }
    }
}

impl Fields {
    /// Visit every entry as a field of `kind` (options are labels, xstats gauges), or as a
    /// counter where the decoder appended a counter.
    pub fn describe_as<V: Visitor>(&self, kind: Kind, v: &mut V) {
        for (i, (key, value)) in self.0.iter().enumerate() {
            let kind = if self.is_counter(i) {
                Kind::Counter
            } else {
                kind
            };
            let field = Field::new(key, kind, Unit::None);
            value.describe(&field, v);
        }
    }
}

impl Value {
    /// Approximate heap memory the value holds.
    fn heap_bytes(&self) -> usize {
        match self {
            Value::Str(Cow::Owned(s)) => s.capacity(),
            Value::List(items) => items
                .iter()
                .map(|v| size_of::<Value>() + v.heap_bytes())
                .sum(),
            Value::Obj(fields) => fields.heap_bytes(),
            _ => 0,
        }
    }
}

impl Fields {
    /// Approximate heap memory the entries hold.
    fn heap_bytes(&self) -> usize {
        self.0
            .iter()
            .map(|(_, v)| size_of::<(&str, Value)>() + v.heap_bytes())
            .sum::<usize>()
            + self.1.len() * size_of::<usize>()
    }
}

impl Qdisc {
    /// Approximate heap memory this sample's own parts hold (the extended statistics).
    pub fn xstats_bytes(&self) -> usize {
        match &self.xstats {
            Some(Xstats::Decoded(f)) => f.heap_bytes(),
            Some(Xstats::Raw(s)) => s.capacity(),
            None => 0,
        }
    }
}

impl Describe for Qdisc {
    fn describe<V: Visitor>(&self, v: &mut V) {
        v.str(&KIND, &self.config.kind);
        v.display(&HANDLE, &Handle(self.handle));
        v.str(&DEV, &self.config.dev);
        if let Some(bytes) = &self.config.dev_bytes {
            v.display(&DEV_BYTES, &Hex(bytes));
        }
        match self.parent {
            TC_H_ROOT => v.bool(&ROOT, true),
            0 => {}
            p => v.display(&PARENT, &ClassId(p)),
        }
        if self.refcnt != 1 {
            v.u64(&REFCNT, self.refcnt.into());
        }
        if self.offloaded {
            v.bool(&OFFLOADED, true);
        }
        if self.ingress_block != 0 {
            v.u64(&INGRESS_BLOCK, self.ingress_block.into());
        }
        if self.egress_block != 0 {
            v.u64(&EGRESS_BLOCK, self.egress_block.into());
        }
        // Options change only with the qdisc's configuration: outputs may render them once.
        v.shared(&self.config, 0, |v| {
            v.begin_object(&OPTIONS);
            self.config.options.describe_as(Kind::Label, v);
            v.end();
            if let Some(raw) = &self.config.options_raw {
                v.str(&OPTIONS_RAW, raw);
            }
        });
        if let Some(st) = &self.stats {
            if let Some(b) = &st.basic {
                v.u64(&BYTES, b.bytes);
                v.u64(&PACKETS, b.packets);
            }
            if let Some(q) = &st.queue {
                v.u64(&DROPS, q.drops.into());
                v.u64(&OVERLIMITS, q.overlimits.into());
                if !st.legacy {
                    v.u64(&REQUEUES, q.requeues.into());
                }
            }
            if let Some(hw) = st.hw.filter(|h| h.bytes != 0 || h.packets != 0) {
                if let Some(b) = st
                    .basic
                    .filter(|b| b.bytes >= hw.bytes && b.packets >= hw.packets)
                {
                    v.u64(&SW_BYTES, b.bytes - hw.bytes);
                    v.u64(&SW_PACKETS, b.packets - hw.packets);
                }
                v.u64(&HW_BYTES, hw.bytes);
                v.u64(&HW_PACKETS, hw.packets);
            }
            if let Some(r) = &st.rate {
                v.u64(&RATE, r.bps);
                v.u64(&PPS, r.pps);
            }
            if let Some(q) = &st.queue {
                v.u64(&BACKLOG, q.backlog.into());
                v.u64(&QLEN, q.qlen.into());
            }
        }
        match &self.xstats {
            Some(Xstats::Decoded(f)) => f.describe_as(Kind::Gauge, v),
            Some(Xstats::Raw(raw)) => v.str(&XSTATS_RAW, raw),
            None => {}
        }
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
        assert_eq!(format_classid(TC_H_ROOT), "root");
    }
    #[test]
    fn g_rounding_matches_c() {
        // Values checked against C's printf("%g").
        assert_eq!(round_g(1.0 / 65535.0), 1.5259e-05);
        assert_eq!(round_g(32.0 / 65535.0), 0.000488289);
        assert_eq!(round_g(123_456_789.0), 1.23457e+08);
        assert_eq!(round_g(0.1), 0.1);
        assert_eq!(round_g(1e6), 1e6);
        assert_eq!(round_g(0.0), 0.0);
    }

    /// Records the kind each key is visited with.
    #[derive(Default)]
    struct Kinds(Vec<(String, Kind)>);

    impl Visitor for Kinds {
        fn u64(&mut self, f: &Field<'_>, _: u64) {
            self.0.push((f.key.to_owned(), f.kind));
        }
        fn i64(&mut self, f: &Field<'_>, _: i64) {
            self.0.push((f.key.to_owned(), f.kind));
        }
        fn f64(&mut self, _: &Field<'_>, _: f64) {}
        fn bool(&mut self, _: &Field<'_>, _: bool) {}
        fn str(&mut self, _: &Field<'_>, _: &str) {}
        fn display(&mut self, _: &Field<'_>, _: &dyn std::fmt::Display) {}
        fn null(&mut self, _: &Field<'_>) {}
        fn begin_object(&mut self, _: &Field<'_>) {}
        fn begin_list(&mut self, _: &Field<'_>) {}
        fn end(&mut self) {}
    }

    #[test]
    fn counters_keep_their_kind_inside_gauges() {
        let mut f = Fields::new();
        f.u("maxpacket", 1500u32);
        f.c("drop_overlimit", 7u32);
        f.i("deficit", -3);
        let mut kinds = Kinds::default();
        f.describe_as(Kind::Gauge, &mut kinds);
        assert_eq!(
            kinds.0,
            vec![
                ("maxpacket".to_owned(), Kind::Gauge),
                ("drop_overlimit".to_owned(), Kind::Counter),
                ("deficit".to_owned(), Kind::Gauge),
            ]
        );
    }

    #[test]
    fn hex_like_c() {
        assert_eq!(hex_0x(0), "0");
        assert_eq!(hex_0x(16), "0x10");
        assert_eq!(hex_0x(255), "0xff");
    }
}
