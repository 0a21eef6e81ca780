//! The metrics endpoint (`--listen ADDR:PORT`): the latest sample of every reader, in
//! Prometheus's text exposition format, at `/metrics`.
//!
//! Like every output, [`Metrics`] takes records on its own thread behind the pipeline's bounded
//! queue; the HTTP server ([`http`]) answers on threads of its own and only reads what the
//! output keeps, so neither a scraper nor a hostile client can delay sampling.
//!
//! Names and types come from the model's descriptions: each number of an element becomes a
//! series `netstatspy_<group>_<path>` (a counter with `_total`, a gauge otherwise), its unit
//! turned into a base unit (`_bytes`, `_seconds`), its element's identity into labels
//! (`device`, `kind`, `handle`, `parent`, `queue`). Gauges of queue occupancy (bytes or
//! packets in a qdisc or a byte queue limit) change faster than anyone scrapes: for them a
//! `_max` series gives the largest value of every sample since the previous scrape, so a 5 ms
//! spike shows in a 15 s scrape.

use std::collections::BTreeMap;
use std::fmt::{Display, Write as _};
use std::sync::{Arc, Mutex, PoisonError};

use rustc_hash::FxHashMap;

use super::{Output, OutputError};
use crate::model::{Describe, Field, Kind, Record, Unit, Visitor};

pub mod http;

/// Labels an element's identity maps to, by the model's key, in the order they are written.
const LABELS: [(&str, &str); 6] = [
    ("ifname", "device"),
    ("dev", "device"),
    ("kind", "kind"),
    ("handle", "handle"),
    ("parent", "parent"),
    ("queue", "queue"),
];

/// The label names, in the order they are written.
const LABEL_ORDER: [&str; 5] = ["device", "kind", "handle", "parent", "queue"];

/// The series group of a reader (`netstatspy_<group>_…`), or None when the reader's records
/// are not exported.
fn group(reader: &str) -> Option<&'static str> {
    match reader {
        "ip" => Some("link"),
        "tc" => Some("qdisc"),
        "queue_limits" => Some("bql"),
        "small_queue" => Some(""),
        _ => None,
    }
}

/// True when a gauge of this reader and unit also gets a `_max` series: queue occupancy.
fn tracks_max(reader: &str, kind: Kind, unit: Unit) -> bool {
    matches!(reader, "tc" | "queue_limits")
        && kind == Kind::Gauge
        && matches!(unit, Unit::Bytes | Unit::Packets)
}

/// The metric name of a field at `path` (keys of the objects it is in, then its own) of a
/// reader's `group`, and the factor that turns its value into the name's unit.
pub fn metric_name(group: &str, path: &[&str], kind: Kind, unit: Unit) -> (String, f64) {
    let mut name = String::from("netstatspy");
    if !group.is_empty() {
        name.push('_');
        name.push_str(group);
    }
    for part in path {
        // ip's counters sit in `stats64`: the group already says they are a link's.
        if group == "link" && *part == "stats64" {
            continue;
        }
        name.push('_');
        for c in part.chars() {
            name.push(if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            });
        }
    }
    let mut scale = 1.0;
    let suffix = |name: &mut String, s: &str| {
        if !name.ends_with(s) {
            name.push_str(s);
        }
    };
    match unit {
        Unit::Bytes => suffix(&mut name, "_bytes"),
        Unit::Seconds => suffix(&mut name, "_seconds"),
        Unit::Milliseconds | Unit::Microseconds | Unit::Nanoseconds => {
            let (factor, short) = match unit {
                Unit::Milliseconds => (1e-3, ["_ms", "_msec"]),
                Unit::Microseconds => (1e-6, ["_us", "_usec"]),
                _ => (1e-9, ["_ns", "_nsec"]),
            };
            scale = factor;
            for s in short {
                if let Some(stem) = name.strip_suffix(s) {
                    name.truncate(stem.len());
                }
            }
            suffix(&mut name, "_seconds");
        }
        Unit::BytesPerSecond => suffix(&mut name, "_bytes_per_second"),
        Unit::PacketsPerSecond => suffix(&mut name, "_packets_per_second"),
        Unit::Ratio => suffix(&mut name, "_ratio"),
        Unit::None | Unit::Packets | Unit::Segments => {}
    }
    if kind == Kind::Counter {
        suffix(&mut name, "_total");
    }
    (name, scale)
}

/// Append a label value escaped as the exposition format wants (`\\`, `\"`, `\n`).
pub fn escape_label_value(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

/// Append a HELP text escaped (`\\`, `\n`).
fn escape_help(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

/// A value as the kernel gave it, or scaled to a base unit.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Num {
    U(u64),
    I(i64),
    F(f64),
}

impl Num {
    fn as_f64(self) -> f64 {
        match self {
            Num::U(n) => n as f64,
            Num::I(n) => n as f64,
            Num::F(x) => x,
        }
    }

    fn scaled(self, scale: f64) -> Num {
        if scale == 1.0 {
            self
        } else {
            Num::F(self.as_f64() * scale)
        }
    }
}

/// Write a float as the exposition format spells it.
fn write_f64(out: &mut String, x: f64) {
    if x.is_nan() {
        out.push_str("NaN");
    } else if x.is_infinite() {
        out.push_str(if x > 0.0 { "+Inf" } else { "-Inf" });
    } else {
        let _ = write!(out, "{x}");
    }
}

impl Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Num::U(n) => write!(f, "{n}"),
            Num::I(n) => write!(f, "{n}"),
            Num::F(x) => {
                let mut s = String::new();
                write_f64(&mut s, *x);
                f.write_str(&s)
            }
        }
    }
}

/// One labelled value of a family.
#[derive(Debug)]
struct Series {
    value: Num,
    /// Largest value since the previous scrape (families with a `_max` series).
    max: f64,
    /// The reader's record it was last seen in.
    generation: u64,
}

/// One metric: its type, help and series.
#[derive(Debug)]
struct Family {
    name: String,
    help: String,
    kind: Kind,
    reader: &'static str,
    max: bool,
    series: FxHashMap<String, Series>,
}

/// Where the values of one field go: its family and the factor to its unit; None when its
/// name is taken by a field of another type or reader.
type Route = Option<(usize, f64)>;

/// What the endpoint serves: the latest value of every series, and the maxima since the
/// previous scrape.
#[derive(Debug, Default)]
pub struct Store {
    families: Vec<Family>,
    /// Family index by metric name.
    by_name: FxHashMap<String, usize>,
    /// Route of a field by reader, kind, unit and path (worked out once per field).
    routes: FxHashMap<String, Route>,
    /// Per reader: records taken (the generation of its latest one) and since the last scrape.
    readers: BTreeMap<&'static str, (u64, u64)>,
    /// Labels every series carries (`netns`), already written as `name="value",`.
    constant: String,
    /// Scratch: a route's key, an element's labels.
    key: String,
    labels: String,
}

impl Store {
    /// An empty store whose series all carry `labels` (name, value).
    pub fn new(labels: &[(&str, &str)]) -> Store {
        let mut constant = String::new();
        for (name, value) in labels {
            let _ = write!(constant, "{name}=\"");
            escape_label_value(&mut constant, value);
            constant.push_str("\",");
        }
        Store {
            constant,
            ..Store::default()
        }
    }

    /// The route of a field, worked out the first time it is met.
    fn route(&mut self, reader: &'static str, group: &str, value: &Taken<'_>) -> Route {
        self.key.clear();
        let _ = write!(
            self.key,
            "{reader}\0{:?}\0{:?}\0{}",
            value.kind, value.unit, value.path
        );
        if let Some(route) = self.routes.get(self.key.as_str()) {
            return *route;
        }
        let path = value.path();
        let (name, scale) = metric_name(group, &path, value.kind, value.unit);
        let route = match self.by_name.get(&name) {
            // One name, one type and one reader.
            Some(&i) => (self.families[i].kind == value.kind && self.families[i].reader == reader)
                .then_some((i, scale)),
            None => {
                let help = format!(
                    "{reader} {} ({}{})",
                    path.join("."),
                    if value.kind == Kind::Counter {
                        "counter"
                    } else {
                        "gauge"
                    },
                    if scale == 1.0 { "" } else { ", in seconds" }
                );
                self.by_name.insert(name.clone(), self.families.len());
                self.families.push(Family {
                    name,
                    help,
                    kind: value.kind,
                    reader,
                    max: tracks_max(reader, value.kind, value.unit),
                    series: FxHashMap::default(),
                });
                Some((self.families.len() - 1, scale))
            }
        };
        self.routes.insert(self.key.clone(), route);
        route
    }

    /// Take one record: its elements' values replace the reader's previous ones.
    pub fn take(&mut self, record: &Record, scratch: &mut Collect) {
        let Some(group) = group(record.kind) else {
            return;
        };
        let entry = self.readers.entry(record.kind).or_insert((0, 0));
        entry.0 += 1;
        entry.1 += 1;
        let generation = entry.0;
        scratch.reset();
        record.stats.describe(scratch);
        for element in &mut scratch.elements[..scratch.used] {
            let mut labels = std::mem::take(&mut self.labels);
            labels.clear();
            labels.push('{');
            labels.push_str(&self.constant);
            for (i, name) in LABEL_ORDER.iter().enumerate() {
                if element.has_label[i] {
                    let _ = write!(labels, "{name}=\"");
                    escape_label_value(&mut labels, &element.labels[i]);
                    labels.push_str("\",");
                }
            }
            if labels.ends_with(',') {
                labels.pop();
            }
            labels.push('}');
            if labels == "{}" {
                labels.clear();
            }
            for slot in &mut element.values[..element.used] {
                let (Some(kind), Some(unit), Some(num)) = (slot.kind, slot.unit, slot.value) else {
                    continue;
                };
                let route = match &slot.routed {
                    Some((path, k, u, route)) if *path == slot.path && *k == kind && *u == unit => {
                        *route
                    }
                    _ => {
                        let taken = Taken {
                            path: &slot.path,
                            kind,
                            unit,
                        };
                        let route = self.route(record.kind, group, &taken);
                        slot.routed = Some((slot.path.clone(), kind, unit, route));
                        route
                    }
                };
                let Some((family, scale)) = route else {
                    continue;
                };
                let num = num.scaled(scale);
                let family = &mut self.families[family];
                match family.series.get_mut(labels.as_str()) {
                    // The first value of a name in an element wins.
                    Some(s) if s.generation == generation => {}
                    Some(s) => {
                        s.value = num;
                        s.max = s.max.max(num.as_f64());
                        s.generation = generation;
                    }
                    None => {
                        family.series.insert(
                            labels.clone(),
                            Series {
                                value: num,
                                max: num.as_f64(),
                                generation,
                            },
                        );
                    }
                }
            }
            self.labels = labels;
        }
        // Without scrapes, series of elements that went away would pile up: drop them now and
        // then.
        if generation.is_multiple_of(1024) {
            for family in self.families.iter_mut().filter(|f| f.reader == record.kind) {
                family.series.retain(|_, s| s.generation == generation);
            }
        }
    }

    /// The exposition text of the latest values; starts a new interval for the `_max` series.
    pub fn scrape(&mut self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP netstatspy_records_total Records taken from each reader.\n\
             # TYPE netstatspy_records_total counter"
        );
        for (reader, (taken, _)) in &self.readers {
            let _ = writeln!(
                out,
                "netstatspy_records_total{{{}reader=\"{reader}\"}} {taken}",
                self.constant
            );
        }
        let _ = writeln!(
            out,
            "# HELP netstatspy_interval_records Records the _max series cover: taken since the \
             previous scrape.\n# TYPE netstatspy_interval_records gauge"
        );
        for (reader, (_, since)) in &mut self.readers {
            let _ = writeln!(
                out,
                "netstatspy_interval_records{{{}reader=\"{reader}\"}} {since}",
                self.constant
            );
            *since = 0;
        }
        let mut order: Vec<usize> = (0..self.families.len()).collect();
        order.sort_by(|&a, &b| self.families[a].name.cmp(&self.families[b].name));
        for i in order {
            let family = &mut self.families[i];
            let current = self.readers.get(family.reader).map_or(0, |r| r.0);
            // Elements that went away (a deleted qdisc) leave with their record.
            family.series.retain(|_, s| s.generation == current);
            if family.series.is_empty() {
                continue;
            }
            let name = &family.name;
            let mut keys: Vec<&String> = family.series.keys().collect();
            keys.sort();
            let kind = if family.kind == Kind::Counter {
                "counter"
            } else {
                "gauge"
            };
            out.push_str("# HELP ");
            out.push_str(name);
            out.push(' ');
            escape_help(&mut out, &family.help);
            let _ = writeln!(out, "\n# TYPE {name} {kind}");
            for key in &keys {
                let s = &family.series[*key];
                let _ = writeln!(out, "{name}{key} {}", s.value);
            }
            if family.max {
                out.push_str("# HELP ");
                out.push_str(name);
                out.push_str("_max ");
                escape_help(&mut out, &family.help);
                let _ = writeln!(
                    out,
                    ": the largest of every sample since the previous scrape\n\
                     # TYPE {name}_max gauge"
                );
                for key in &keys {
                    let s = &family.series[*key];
                    let _ = write!(out, "{name}_max{key} ");
                    write_f64(&mut out, s.max);
                    out.push('\n');
                }
            }
            for s in family.series.values_mut() {
                s.max = s.value.as_f64();
            }
        }
        out
    }
}

/// One number of an element, with where it was (slots are reused from record to record).
#[derive(Debug, Default)]
struct Value {
    /// Keys of the objects it is in, then its own, joined by `\0`.
    path: String,
    kind: Option<Kind>,
    unit: Option<Unit>,
    value: Option<Num>,
    /// The route worked out for this slot, and the path, kind and unit it was worked out for:
    /// elements come in the same order record after record, so it is nearly always reused.
    routed: Option<(String, Kind, Unit, Route)>,
}

/// A field's path (keys joined by `\0`), kind and unit.
struct Taken<'a> {
    path: &'a str,
    kind: Kind,
    unit: Unit,
}

impl Taken<'_> {
    fn path(&self) -> Vec<&str> {
        self.path.split('\0').collect()
    }
}

/// What one element holds that is exported.
#[derive(Debug, Default)]
struct Element {
    /// Values of the labels of [`LABEL_ORDER`], where `has_label` says so.
    labels: [String; LABEL_ORDER.len()],
    has_label: [bool; LABEL_ORDER.len()],
    values: Vec<Value>,
    used: usize,
}

/// The elements of one record, reused from record to record: a [`Visitor`] that keeps the
/// numbers (not under lists) and the identity labels of each element.
#[derive(Debug, Default)]
pub struct Collect {
    elements: Vec<Element>,
    used: usize,
    /// Keys of the open objects below the element; `None` for a list.
    open: Vec<Option<String>>,
    in_element: bool,
}

impl Collect {
    fn reset(&mut self) {
        self.used = 0;
        self.open.clear();
        self.in_element = false;
    }

    fn current(&mut self) -> Option<&mut Element> {
        if !self.in_element || self.open.iter().any(Option::is_none) {
            return None;
        }
        self.elements.get_mut(self.used.checked_sub(1)?)
    }

    fn number(&mut self, field: &Field<'_>, value: Num) {
        if field.kind == Kind::Label
            || !self.in_element
            || self.open.iter().any(Option::is_none)
            || self.used == 0
        {
            return;
        }
        let element = &mut self.elements[self.used - 1];
        if element.used == element.values.len() {
            element.values.push(Value::default());
        }
        let slot = &mut element.values[element.used];
        element.used += 1;
        slot.path.clear();
        for key in self.open.iter().flatten() {
            slot.path.push_str(key);
            slot.path.push('\0');
        }
        slot.path.push_str(field.key);
        slot.kind = Some(field.kind);
        slot.unit = Some(field.unit);
        slot.value = Some(value);
    }

    fn set_label(&mut self, name: &str, value: &dyn Display) {
        let Some(i) = LABEL_ORDER.iter().position(|n| *n == name) else {
            return;
        };
        let Some(element) = self.current() else {
            return;
        };
        if element.has_label[i] {
            return;
        }
        element.has_label[i] = true;
        element.labels[i].clear();
        let _ = write!(element.labels[i], "{value}");
    }

    fn label(&mut self, field: &Field<'_>, value: &dyn Display) {
        if !self.open.is_empty() || field.kind != Kind::Label {
            return;
        }
        if let Some((_, name)) = LABELS.iter().find(|(key, _)| *key == field.key) {
            self.set_label(name, value);
        }
    }
}

impl Visitor for Collect {
    fn u64(&mut self, field: &Field<'_>, value: u64) {
        self.number(field, Num::U(value));
    }
    fn i64(&mut self, field: &Field<'_>, value: i64) {
        self.number(field, Num::I(value));
    }
    fn f64(&mut self, field: &Field<'_>, value: f64) {
        self.number(field, Num::F(value));
    }
    fn bool(&mut self, field: &Field<'_>, value: bool) {
        // tc marks a root qdisc with `"root": true` where others have a parent.
        if field.key == "root" && value && self.open.is_empty() {
            self.set_label("parent", &"root");
        }
    }
    fn str(&mut self, field: &Field<'_>, value: &str) {
        self.label(field, &value);
    }
    fn display(&mut self, field: &Field<'_>, value: &dyn Display) {
        self.label(field, value);
    }
    fn null(&mut self, _: &Field<'_>) {}
    fn begin_object(&mut self, field: &Field<'_>) {
        if !self.in_element {
            self.in_element = true;
            if self.used == self.elements.len() {
                self.elements.push(Element::default());
            }
            let element = &mut self.elements[self.used];
            element.has_label = [false; LABEL_ORDER.len()];
            element.used = 0;
            self.used += 1;
        } else {
            self.open.push(Some(field.key.to_owned()));
        }
    }
    fn begin_list(&mut self, _: &Field<'_>) {
        if self.in_element {
            self.open.push(None);
        }
    }
    fn end(&mut self) {
        if self.open.pop().is_none() {
            self.in_element = false;
        }
    }
}

/// The metrics output: takes records into the [`Store`] the HTTP server reads.
pub struct Metrics {
    store: Arc<Mutex<Store>>,
    scratch: Collect,
}

impl Metrics {
    /// An output writing into `store`.
    pub fn new(store: Arc<Mutex<Store>>) -> Metrics {
        Metrics {
            store,
            scratch: Collect::default(),
        }
    }
}

impl Output for Metrics {
    fn name(&self) -> &'static str {
        "metrics"
    }

    fn write(&mut self, record: &Record) -> Result<(), OutputError> {
        if group(record.kind).is_none() {
            return Ok(());
        }
        let mut store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        store.take(record, &mut self.scratch);
        Ok(())
    }

    fn finish(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Stats;
    use crate::model::ip::{LinkMeta, LinkSample, LinkStats64};
    use crate::model::queue_limits::QueueLimits;
    use std::time::Duration;

    fn record(kind: &'static str, stats: Stats) -> Record {
        Record {
            kind,
            run: "".into(),
            sample: 0,
            timestamp: Duration::ZERO,
            elapsed: Duration::ZERO,
            partial: false,
            stats,
        }
    }

    fn link(name: &str, rx_bytes: u64) -> LinkSample {
        LinkSample {
            link: Arc::new(LinkMeta {
                ifindex: 3,
                ifname: name.into(),
                mtu: Some(1500),
                ..LinkMeta::default()
            }),
            stats64: Some(LinkStats64 {
                rx_bytes,
                tx_dropped: 2,
                ..LinkStats64::default()
            }),
        }
    }

    fn bql(inflight: u64) -> Stats {
        Stats::QueueLimits(vec![QueueLimits {
            ifname: "eth0".into(),
            ifname_bytes: None,
            queue: "tx-0".into(),
            values: vec![
                ("inflight".into(), inflight),
                ("hold_time".into(), 1000),
                ("stall_cnt".into(), 4),
            ],
        }])
    }

    /// The sample lines of `text` (no comments).
    fn lines(text: &str) -> Vec<&str> {
        text.lines().filter(|l| !l.starts_with('#')).collect()
    }

    #[test]
    fn names_follow_prometheus_conventions() {
        use Kind::{Counter, Gauge};
        type Case<'a> = (&'a str, &'a [&'a str], Kind, Unit, &'a str, f64);
        let cases: [Case; 8] = [
            (
                "link",
                &["stats64", "rx", "bytes"],
                Counter,
                Unit::Bytes,
                "netstatspy_link_rx_bytes_total",
                1.0,
            ),
            (
                "link",
                &["stats64", "tx", "packets"],
                Counter,
                Unit::Packets,
                "netstatspy_link_tx_packets_total",
                1.0,
            ),
            (
                "qdisc",
                &["backlog"],
                Gauge,
                Unit::Bytes,
                "netstatspy_qdisc_backlog_bytes",
                1.0,
            ),
            (
                "qdisc",
                &["qlen"],
                Gauge,
                Unit::Packets,
                "netstatspy_qdisc_qlen",
                1.0,
            ),
            (
                "bql",
                &["hold_time"],
                Gauge,
                Unit::Milliseconds,
                "netstatspy_bql_hold_time_seconds",
                1e-3,
            ),
            (
                "qdisc",
                &["delay_us"],
                Gauge,
                Unit::Microseconds,
                "netstatspy_qdisc_delay_seconds",
                1e-6,
            ),
            (
                "",
                &["tcp_limit_output_bytes"],
                Gauge,
                Unit::Bytes,
                "netstatspy_tcp_limit_output_bytes",
                1.0,
            ),
            (
                "qdisc",
                &["new-flow.count"],
                Counter,
                Unit::None,
                "netstatspy_qdisc_new_flow_count_total",
                1.0,
            ),
        ];
        for (group, path, kind, unit, name, scale) in cases {
            assert_eq!(
                metric_name(group, path, kind, unit),
                (name.to_owned(), scale),
                "{path:?}"
            );
        }
    }

    #[test]
    fn label_values_are_escaped() {
        let mut out = String::new();
        escape_label_value(&mut out, "a\"b\\c\nd é");
        assert_eq!(out, r#"a\"b\\c\nd é"#);
        let mut store = Store::new(&[("netns", "n\"s")]);
        let mut scratch = Collect::default();
        store.take(
            &record("ip", Stats::Ip(vec![link("we\"ird\\\nname", 7)])),
            &mut scratch,
        );
        let text = store.scrape();
        assert!(
            lines(&text).contains(
                &r#"netstatspy_link_rx_bytes_total{netns="n\"s",device="we\"ird\\\nname"} 7"#
            ),
            "{text}"
        );
    }

    #[test]
    fn counters_and_gauges_come_from_the_descriptions() {
        let mut store = Store::new(&[]);
        let mut scratch = Collect::default();
        store.take(
            &record("ip", Stats::Ip(vec![link("eth0", 7), link("lo", 9)])),
            &mut scratch,
        );
        let text = store.scrape();
        assert!(
            text.contains("# TYPE netstatspy_link_rx_bytes_total counter\n"),
            "{text}"
        );
        assert!(
            text.contains("# TYPE netstatspy_link_mtu_bytes gauge\n"),
            "{text}"
        );
        let l = lines(&text);
        assert!(l.contains(&r#"netstatspy_link_rx_bytes_total{device="eth0"} 7"#));
        assert!(l.contains(&r#"netstatspy_link_rx_bytes_total{device="lo"} 9"#));
        assert!(l.contains(&r#"netstatspy_link_tx_dropped_total{device="lo"} 2"#));
        // ifindex is a label in the model: not a series.
        assert!(!text.contains("ifindex"), "{text}");
        // An interface that went away leaves with the next record.
        store.take(&record("ip", Stats::Ip(vec![link("lo", 10)])), &mut scratch);
        let text = store.scrape();
        assert!(!text.contains("eth0"), "{text}");
        assert!(lines(&text).contains(&r#"netstatspy_link_rx_bytes_total{device="lo"} 10"#));
    }

    #[test]
    fn max_series_keep_the_peak_since_the_previous_scrape() {
        let mut store = Store::new(&[]);
        let mut scratch = Collect::default();
        for inflight in [10, 5000, 20] {
            store.take(&record("queue_limits", bql(inflight)), &mut scratch);
        }
        let text = store.scrape();
        let l = lines(&text);
        let labels = r#"{device="eth0",queue="tx-0"}"#;
        assert!(
            l.contains(&format!("netstatspy_bql_inflight_bytes{labels} 20").as_str()),
            "{text}"
        );
        assert!(
            l.contains(&format!("netstatspy_bql_inflight_bytes_max{labels} 5000").as_str()),
            "{text}"
        );
        assert!(
            l.contains(&format!("netstatspy_bql_hold_time_seconds{labels} 1").as_str()),
            "{text}"
        );
        assert!(
            l.contains(&format!("netstatspy_bql_stall_cnt_total{labels} 4").as_str()),
            "{text}"
        );
        assert!(
            l.contains(&r#"netstatspy_interval_records{reader="queue_limits"} 3"#),
            "{text}"
        );
        // Counters and time gauges have no _max.
        assert!(!text.contains("stall_cnt_total_max") && !text.contains("hold_time_seconds_max"));
        // A new interval starts at the current value.
        store.take(&record("queue_limits", bql(30)), &mut scratch);
        let text = store.scrape();
        assert!(
            lines(&text)
                .contains(&format!("netstatspy_bql_inflight_bytes_max{labels} 30").as_str()),
            "{text}"
        );
        assert!(
            lines(&text).contains(&r#"netstatspy_interval_records{reader="queue_limits"} 1"#),
            "{text}"
        );
        let text = store.scrape();
        assert!(
            lines(&text)
                .contains(&format!("netstatspy_bql_inflight_bytes_max{labels} 30").as_str()),
            "{text}"
        );
    }
}
