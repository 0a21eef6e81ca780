//! What the model says about a column: its kind (label, counter, gauge) and unit, found by
//! describing one value of each reader's type with every optional field present and noting the
//! dotted name of each field the description visits. Keys that only exist at run time with no
//! description of their own (tc's per-kind options and extended statistics, keys of unknown
//! record types) are not known here, and their columns carry no such metadata.

use std::collections::HashMap;
use std::fmt::Display;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;

use crate::model::describe::{Describe, Field, Kind, Unit, Visitor};
use crate::model::ip::vf::{Xdp, XdpProg};
use crate::model::ip::{LinkMeta, LinkSample, LinkStats64, Resolved};
use crate::model::queue_limits::{BQL_FILES, QueueLimits};
use crate::model::small_queue::SmallQueue;
use crate::model::ss::tcp_info::TcpInfo;
use crate::model::ss::{CcInfo, Cong, Netid, Socket, Timer};
use crate::model::tc::{Basic, Fields, Qdisc, QdiscConfig, QdiscStats, Queue, RateEst, TC_H_ROOT};
use crate::model::{Record, Stats};

/// A column's kind and unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meaning {
    /// Label, counter or gauge.
    pub kind: Kind,
    /// The unit.
    pub unit: Unit,
}

impl Meaning {
    /// The field metadata of a Parquet column: `kind`, and `unit` unless it has none.
    pub fn metadata(self) -> HashMap<String, String> {
        let mut m = HashMap::new();
        m.insert("kind".to_owned(), kind_name(self.kind).to_owned());
        if let Some(unit) = unit_name(self.unit) {
            m.insert("unit".to_owned(), unit.to_owned());
        }
        m
    }
}

/// `label`, `counter` or `gauge`.
pub fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Label => "label",
        Kind::Counter => "counter",
        Kind::Gauge => "gauge",
    }
}

/// The unit's name in field metadata; `None` for values without a unit.
pub fn unit_name(unit: Unit) -> Option<&'static str> {
    Some(match unit {
        Unit::None => return None,
        Unit::Bytes => "bytes",
        Unit::Packets => "packets",
        Unit::Segments => "segments",
        Unit::Seconds => "s",
        Unit::Milliseconds => "ms",
        Unit::Microseconds => "us",
        Unit::Nanoseconds => "ns",
        Unit::BytesPerSecond => "bytes/s",
        Unit::PacketsPerSecond => "packets/s",
        Unit::Ratio => "ratio",
    })
}

/// Dotted column name → meaning, for the envelope and for each reader's elements.
#[derive(Debug, Default)]
pub struct Catalogue {
    envelope: HashMap<String, Meaning>,
    elements: HashMap<&'static str, HashMap<String, Meaning>>,
    /// Each reader's element columns in the order the descriptions visit them.
    order: Vec<(&'static str, Vec<String>)>,
}

impl Catalogue {
    /// The catalogue of every reader's types.
    pub fn new() -> Catalogue {
        let mut c = Catalogue::default();
        let record = Record {
            kind: "small_queue",
            run: "".into(),
            sample: 0,
            timestamp: Duration::ZERO,
            elapsed: Duration::ZERO,
            partial: true,
            stats: Stats::SmallQueue(Vec::new()),
        };
        c.envelope = fields_of(&record).found;
        // A link's parent is `link` by name in this namespace, `link_index` in another.
        let mut local = full_link();
        Arc::make_mut(&mut local.link).link_netnsid = None;
        c.add("ip", [fields_of(&full_link()), fields_of(&local)]);
        c.add(
            "tc",
            [
                fields_of(&full_qdisc(1)),
                // A root qdisc is described with `root` in `parent`'s place.
                fields_of(&full_qdisc(TC_H_ROOT)),
            ],
        );
        c.add("ss", full_sockets().iter().map(fields_of));
        c.add(
            "queue_limits",
            [fields_of(&QueueLimits {
                ifname: "eth0".into(),
                ifname_bytes: Some(Arc::from(&b"eth0"[..])),
                queue: "tx-0".into(),
                values: BQL_FILES.iter().map(|f| (Arc::from(f.key), 1)).collect(),
            })],
        );
        c.add(
            "small_queue",
            [fields_of(&SmallQueue {
                tcp_limit_output_bytes: 1,
            })],
        );
        c
    }

    fn add(&mut self, kind: &'static str, described: impl IntoIterator<Item = Collect>) {
        let mut found = HashMap::new();
        let mut order: Vec<String> = Vec::new();
        for c in described {
            // A name another description adds goes right after the name it follows there.
            let mut at = 0;
            for name in c.order {
                match order.iter().position(|n| *n == name) {
                    Some(i) => at = i + 1,
                    None => {
                        order.insert(at, name);
                        at += 1;
                    }
                }
            }
            found.extend(c.found);
        }
        self.elements.insert(kind, found);
        self.order.push((kind, order));
    }

    /// Every reader's record type with its element columns (dotted names) and their
    /// meanings, in the order the descriptions give them (the JSON's order).
    pub fn columns(&self) -> Vec<(&'static str, Vec<(&str, Meaning)>)> {
        self.order
            .iter()
            .map(|(kind, names)| {
                let meanings = &self.elements[kind];
                let columns = names
                    .iter()
                    .filter_map(|n| meanings.get(n).map(|m| (n.as_str(), *m)))
                    .collect();
                (*kind, columns)
            })
            .collect()
    }

    /// The meaning of an envelope key.
    pub fn envelope(&self, name: &str) -> Option<Meaning> {
        self.envelope.get(name).copied()
    }

    /// The meaning of an element column of record type `kind`.
    pub fn element(&self, kind: &str, name: &str) -> Option<Meaning> {
        self.elements.get(kind)?.get(name).copied()
    }
}

fn full_link() -> LinkSample {
    let meta = LinkMeta {
        ifindex: 1,
        ifname: "eth0".into(),
        ifname_bytes: Some(b"eth0".to_vec()),
        flags: u32::MAX,
        mtu: Some(1),
        qdisc: Some("noqueue".into()),
        operstate: Some(1),
        txqlen: Some(1),
        linkmode: Some(1),
        group: Some(1),
        perm_address: Some(vec![1; 6]),
        proto_down: Some(1),
        ifalias: Some("a".into()),
        altnames: vec!["b".into()],
        link_type: 1,
        address: Some(vec![2; 6]),
        broadcast: Some(vec![3; 6]),
        carrier_changes: Some(1),
        link: Some(2),
        link_netnsid: Some(1),
        master: Some(3),
        proto_down_reason: Some(1),
        xdp: Some(Xdp {
            mode: 1,
            prog: Some(XdpProg::new(1)),
            skb: None,
            drv: Some(XdpProg::new(1)),
            hw: None,
        }),
        parent_bus: Some("pci".into()),
        parent_dev: Some("0000:00:03.0".into()),
        resolved: Resolved {
            link_name: Some("eth1".into()),
            master_name: Some("br0".into()),
            link_down: false,
        },
        ..LinkMeta::default()
    };
    LinkSample {
        link: Arc::new(meta),
        stats64: Some(LinkStats64 {
            rx_compressed: 1,
            tx_compressed: 1,
            rx_nohandler: 1,
            rx_otherhost_dropped: 1,
            ..LinkStats64::default()
        }),
    }
}

fn full_sockets() -> Vec<Socket> {
    let socket = |cc_info| Socket {
        netid: Netid::Tcp,
        state: 1,
        recv_q: 1,
        send_q: 1,
        local: (IpAddr::V4(Ipv4Addr::LOCALHOST), 1),
        peer: (IpAddr::V4(Ipv4Addr::LOCALHOST), 2),
        uid: 1,
        inode: 1,
        cookie: 1,
        timer: Some(Timer {
            kind: 1,
            expires_ms: 1,
            retrans: 1,
        }),
        skmem: Some([1; 9]),
        cong: Some(Cong::new(b"bbr")),
        tcp_info: Some(TcpInfo::decode(&[1; 1024])),
        cc_info: Some(cc_info),
        extra: None,
    };
    vec![
        socket(CcInfo::Bbr {
            bw: 1,
            min_rtt: 1,
            pacing_gain: 1,
            cwnd_gain: 1,
        }),
        socket(CcInfo::Dctcp {
            enabled: 1,
            ce_state: 1,
            alpha: 1,
            ab_ecn: 1,
            ab_tot: 1,
        }),
        socket(CcInfo::Vegas {
            enabled: 1,
            rttcnt: 1,
            rtt: 1,
            minrtt: 1,
        }),
    ]
}

fn full_qdisc(parent: u32) -> Qdisc {
    let basic = Basic {
        bytes: 1,
        packets: 1,
    };
    Qdisc {
        ifindex: 1,
        handle: 1 << 16,
        parent,
        refcnt: 2,
        offloaded: true,
        ingress_block: 1,
        egress_block: 1,
        config: Arc::new(QdiscConfig {
            dev: "eth0".into(),
            dev_bytes: Some(Arc::from(&b"eth0"[..])),
            kind: "pfifo".into(),
            options: Fields::new(),
            options_raw: None,
        }),
        stats: Some(QdiscStats {
            basic: Some(basic),
            queue: Some(Queue {
                qlen: 1,
                backlog: 1,
                drops: 1,
                requeues: 1,
                overlimits: 1,
            }),
            hw: Some(basic),
            rate: Some(RateEst { bps: 1, pps: 1 }),
            legacy: false,
        }),
        xstats: None,
    }
}

/// Every field `value` describes outside lists, by dotted name; a list's own field names the
/// list column.
fn fields_of<D: Describe>(value: &D) -> Collect {
    let mut c = Collect::default();
    value.describe(&mut c);
    c
}

#[derive(Default)]
struct Collect {
    path: String,
    /// For each open object or list: the path length to go back to, and whether it is a list.
    open: Vec<(usize, bool)>,
    /// Open lists: fields inside them are not columns of their own.
    lists: usize,
    found: HashMap<String, Meaning>,
    /// The names of `found` in the order they were first visited.
    order: Vec<String>,
}

impl Collect {
    fn name(&self, field: &Field<'_>) -> String {
        if self.path.is_empty() {
            field.key.to_owned()
        } else {
            format!("{}.{}", self.path, field.key)
        }
    }

    fn leaf(&mut self, field: &Field<'_>) {
        if self.lists == 0 && !field.key.is_empty() {
            let name = self.name(field);
            if !self.found.contains_key(&name) {
                self.order.push(name.clone());
            }
            self.found.insert(
                name,
                Meaning {
                    kind: field.kind,
                    unit: field.unit,
                },
            );
        }
    }

    fn open(&mut self, field: &Field<'_>, list: bool) {
        self.open.push((self.path.len(), list));
        if self.lists == 0 && !field.key.is_empty() {
            self.path = self.name(field);
        }
        if list {
            self.lists += 1;
        }
    }
}

impl Visitor for Collect {
    fn u64(&mut self, field: &Field<'_>, _: u64) {
        self.leaf(field);
    }
    fn i64(&mut self, field: &Field<'_>, _: i64) {
        self.leaf(field);
    }
    fn f64(&mut self, field: &Field<'_>, _: f64) {
        self.leaf(field);
    }
    fn bool(&mut self, field: &Field<'_>, _: bool) {
        self.leaf(field);
    }
    fn str(&mut self, field: &Field<'_>, _: &str) {
        self.leaf(field);
    }
    fn display(&mut self, field: &Field<'_>, _: &dyn Display) {
        self.leaf(field);
    }
    fn null(&mut self, field: &Field<'_>) {
        self.leaf(field);
    }
    fn begin_object(&mut self, field: &Field<'_>) {
        self.open(field, false);
    }
    fn begin_list(&mut self, field: &Field<'_>) {
        // The list column itself.
        self.leaf(field);
        self.open(field, true);
    }
    fn end(&mut self) {
        if let Some((len, list)) = self.open.pop() {
            self.path.truncate(len);
            if list {
                self.lists -= 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_units_of_every_reader() {
        let c = Catalogue::new();
        let m = |kind, name| c.element(kind, name).map(Meaning::metadata);
        let bytes_counter = Some(Meaning {
            kind: Kind::Counter,
            unit: Unit::Bytes,
        });
        assert_eq!(c.element("ip", "stats64.rx.bytes"), bytes_counter);
        assert_eq!(
            c.element("ip", "stats64.tx.carrier_changes")
                .map(|m| m.kind),
            Some(Kind::Counter)
        );
        assert_eq!(c.element("ip", "flags").map(|m| m.kind), Some(Kind::Label));
        assert_eq!(c.element("tc", "bytes"), bytes_counter);
        assert!(c.element("tc", "root").is_some() && c.element("tc", "parent").is_some());
        assert_eq!(
            m("ss", "tcp_info.rtt").and_then(|m| m.get("unit").cloned()),
            Some("us".to_owned())
        );
        assert!(c.element("ss", "skmem.r").is_some());
        assert!(c.element("ss", "bbr.bw").is_some());
        assert!(c.element("ss", "vegas.rtt").is_some());
        assert_eq!(
            m("queue_limits", "hold_time").and_then(|m| m.get("unit").cloned()),
            Some("ms".to_owned())
        );
        assert!(c.element("small_queue", "tcp_limit_output_bytes").is_some());
        assert_eq!(
            c.envelope("elapsed"),
            Some(Meaning {
                kind: Kind::Gauge,
                unit: Unit::Seconds
            })
        );
        assert!(c.element("ip", "no_such_key").is_none());
        assert!(c.element("unknown", "bytes").is_none());
    }
}
