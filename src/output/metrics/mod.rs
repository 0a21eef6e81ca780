//! The metrics endpoint (`--listen ADDR:PORT`): the latest sample of every reader at
//! `/metrics`, in Prometheus's text exposition format or in OpenMetrics when the scraper asks
//! for it.
//!
//! Like every output, [`Metrics`] takes records on its own thread behind the pipeline's bounded
//! queue; the HTTP server ([`http`]) answers on threads of its own and only reads what the
//! output keeps, so neither a scraper nor a hostile client can delay sampling.
//!
//! Per sample the output only keeps the sample (shared, not copied) and folds the few gauges
//! that burst into their intervals; everything else is read from the latest sample when a
//! scrape comes. Names and types come from the model's descriptions: each number of an element
//! becomes a series `netstatspy_<group>_<path>` (a counter with `_total`, a gauge otherwise),
//! its unit turned into a base unit (`_bytes`, `_seconds`), its element's identity into labels
//! (`device`, `kind`, `handle`, `parent`, `queue`; `netid`, `local`, `peer` for sockets).
//!
//! Gauges that burst (bytes or packets queued in a qdisc or a byte queue limit; a socket's
//! queues, unacknowledged and unsent data, cwnd and RTT) change faster than anyone scrapes:
//! for them a `_max` series gives the largest value of every sample since the previous scrape
//! and a `_samples` summary the quantiles of those samples (with the cumulative count and sum
//! of all samples), so a 5 ms spike shows in a 15 s scrape.
//!
//! Sockets are exported only when asked for (`--metrics-sockets MAX`), only those the socket
//! filter selects, and at most MAX of them: a socket keeps its series while it lives, new ones
//! take the places left, and the sockets left out are counted.

use std::collections::BTreeMap;
use std::fmt::{Display, Write as _};
use std::sync::{Arc, Mutex, PoisonError};

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Output, OutputError};
use crate::histogram::Sparse;
use crate::model::{Describe, Field, Kind, Record, Stats, Unit, Visitor};

pub mod http;

/// The quantiles of each `_samples` summary.
pub const QUANTILES: [(f64, &str); 3] = [(0.5, "0.5"), (0.9, "0.9"), (0.99, "0.99")];

/// The label names, in the order they are written.
const LABEL_ORDER: [&str; 8] = [
    "device", "kind", "handle", "parent", "queue", "netid", "local", "peer",
];

/// The label (its place in [`LABEL_ORDER`]) a top-level key of an element's identity maps to.
fn label_index(key: &str) -> Option<usize> {
    match key {
        "ifname" | "dev" => Some(0),
        "kind" => Some(1),
        "handle" => Some(2),
        "parent" => Some(3),
        "queue" => Some(4),
        "netid" => Some(5),
        _ => None,
    }
}

/// The series group of a reader (`netstatspy_<group>_…`), or None when the reader's records
/// are not exported.
fn group(reader: &str) -> Option<&'static str> {
    match reader {
        "ip" => Some("link"),
        "tc" => Some("qdisc"),
        "queue_limits" => Some("bql"),
        "small_queue" => Some(""),
        "ss" => Some("socket"),
        _ => None,
    }
}

/// What a reader's gauges that burst are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Bursts {
    /// None.
    #[default]
    Never,
    /// Gauges in bytes or packets: queue occupancy (tc, queue_limits).
    Queues,
    /// A socket's queues, cwnd and RTT (ss).
    Socket,
}

impl Bursts {
    fn of(reader: &str) -> Bursts {
        match reader {
            "tc" | "queue_limits" => Bursts::Queues,
            "ss" => Bursts::Socket,
            _ => Bursts::Never,
        }
    }
}

/// True when the field at `open` (keys of the objects it is in) of an element is a gauge that
/// bursts, which gets `_max` and `_samples` series: queue occupancy of qdiscs and byte queue
/// limits; a socket's queues, unacknowledged and unsent data, cwnd and RTT.
fn bursty(bursts: Bursts, open: &[Option<String>], field: &Field<'_>) -> bool {
    if field.kind != Kind::Gauge {
        return false;
    }
    match bursts {
        Bursts::Never => false,
        Bursts::Queues => matches!(field.unit, Unit::Bytes | Unit::Packets),
        Bursts::Socket => match open {
            [] => matches!(field.key, "recv_q" | "send_q"),
            [Some(object)] if object == "tcp_info" => {
                matches!(field.key, "rtt" | "snd_cwnd" | "unacked" | "notsent_bytes")
            }
            _ => false,
        },
    }
}

/// The metric name of a field at `path` (keys of the objects it is in, then its own) of a
/// reader's `group`, and the factor that turns its value into the name's unit.
pub fn metric_name(group: &str, path: &[&str], kind: Kind, unit: Unit) -> (String, f64) {
    let mut name = String::from("netstatspy");
    if !group.is_empty() {
        name.push('_');
        name.push_str(group);
    }
    let in_skmem = group == "socket" && path.first() == Some(&"skmem");
    for part in path {
        // ip's counters sit in `stats64`, a socket's in `tcp_info`: the group already says
        // whose they are.
        if (group == "link" && *part == "stats64") || (group == "socket" && *part == "tcp_info") {
            continue;
        }
        // ss's one- and two-letter `skmem` names read as units (`d`ays, `tb` terabytes):
        // the kernel's `SK_MEMINFO_*` names instead.
        let part = match (in_skmem, *part) {
            (true, "r") => "rmem_alloc",
            (true, "rb") => "rcvbuf",
            (true, "t") => "wmem_alloc",
            (true, "tb") => "sndbuf",
            (true, "f") => "fwd_alloc",
            (true, "w") => "wmem_queued",
            (true, "o") => "optmem",
            (true, "bl") => "backlog",
            (true, "d") => "drops",
            (_, part) => part,
        };
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

/// Append a label value escaped as the exposition formats want (`\\`, `\"`, `\n`).
pub fn escape_label_value(out: &mut String, value: &str) {
    if !value.contains(['\\', '"', '\n']) {
        out.push_str(value);
        return;
    }
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

/// The exposition formats the endpoint speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Prometheus's text format, version 0.0.4.
    Text,
    /// OpenMetrics 1.0.0 text.
    OpenMetrics,
}

impl Format {
    /// The `Content-Type` of an answer in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Text => "text/plain; version=0.0.4; charset=utf-8",
            Format::OpenMetrics => "application/openmetrics-text; version=1.0.0; charset=utf-8",
        }
    }

    /// The format an `Accept` header prefers: OpenMetrics when it is acceptable (version 1.0.0
    /// or unversioned) with a weight at least that of the text format, the text format
    /// otherwise (also without the header, as Prometheus's own clients do).
    pub fn negotiate(accept: Option<&str>) -> Format {
        let Some(accept) = accept else {
            return Format::Text;
        };
        let (mut open_metrics, mut text) = (0.0f64, 0.0f64);
        for range in accept.split(',') {
            let mut params = range.split(';').map(str::trim);
            let media = params.next().unwrap_or_default().to_ascii_lowercase();
            let (mut q, mut version) = (1.0f64, None);
            for param in params {
                let Some((key, value)) = param.split_once('=') else {
                    continue;
                };
                match key.trim().to_ascii_lowercase().as_str() {
                    "q" => q = value.trim().parse().unwrap_or(0.0),
                    "version" => version = Some(value.trim().to_owned()),
                    _ => {}
                }
            }
            match media.as_str() {
                "application/openmetrics-text"
                    if matches!(version.as_deref(), None | Some("1.0.0")) =>
                {
                    open_metrics = open_metrics.max(q);
                }
                "text/plain" | "*/*" | "text/*" => text = text.max(q),
                _ => {}
            }
        }
        if open_metrics > 0.0 && open_metrics >= text {
            Format::OpenMetrics
        } else {
            Format::Text
        }
    }
}

/// Append a HELP text escaped (`\\`, `\n`; OpenMetrics also `\"`).
fn escape_help(out: &mut String, text: &str, format: Format) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '"' if format == Format::OpenMetrics => out.push_str("\\\""),
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

    /// The value for a histogram: negative and fractional values rounded into `u64`.
    fn as_u64(self) -> u64 {
        match self {
            Num::U(n) => n,
            Num::I(n) => n.max(0) as u64,
            Num::F(x) => x.max(0.0).round() as u64,
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

/// Write a float as the exposition formats spell it.
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

/// A bursty gauge of one element: its samples since the previous scrape, and the count and
/// sum of all its samples.
#[derive(Debug)]
struct Peak {
    /// The factor from the kernel's unit to the series' unit.
    scale: f64,
    /// Samples since the previous scrape, in the kernel's unit.
    interval: Sparse,
    /// The largest of them.
    interval_max: u64,
    /// The latest sample.
    last: u64,
    /// Samples and their sum (in the series' unit) since the series appeared.
    count: u64,
    sum: f64,
    /// The reader's record it was last seen in.
    generation: u64,
}

impl Peak {
    fn new(scale: f64) -> Peak {
        Peak {
            scale,
            interval: Sparse::default(),
            interval_max: 0,
            last: 0,
            count: 0,
            sum: 0.0,
            generation: 0,
        }
    }

    fn add(&mut self, value: u64, generation: u64) {
        if self.interval.total() == 0 {
            self.interval_max = value;
        } else {
            self.interval_max = self.interval_max.max(value);
        }
        self.interval.add(value);
        self.last = value;
        self.count += 1;
        self.sum += value as f64 * self.scale;
        self.generation = generation;
    }

    /// The interval's maximum, or the latest sample when none came since the previous
    /// scrape.
    fn max(&self) -> f64 {
        let raw = if self.interval.total() == 0 {
            self.last
        } else {
            self.interval_max
        };
        raw as f64 * self.scale
    }

    /// Quantile `q` of the interval (the upper edge of its histogram bucket, never above the
    /// maximum), or the latest sample when none came since the previous scrape.
    fn quantile(&self, q: f64) -> f64 {
        let raw = self
            .interval
            .quantile(q)
            .map_or(self.last, |v| v.min(self.interval_max));
        raw as f64 * self.scale
    }
}

/// One metric: its type, help and series.
#[derive(Debug)]
struct Family {
    name: String,
    help: String,
    kind: Kind,
    reader: &'static str,
    /// Gauges that burst: also `_max` and `_samples` series.
    bursty: bool,
    /// Values by labels, from the latest records (rebuilt at each scrape).
    series: FxHashMap<String, Num>,
    /// Bursty gauges by labels, folded sample by sample.
    peaks: FxHashMap<String, Peak>,
}

/// Where the values of one field go: its family and the factor to its unit; None when its
/// name is taken by a field of another type or reader.
type Route = Option<(usize, f64)>;

/// What a reader has given.
#[derive(Debug, Default)]
struct ReaderState {
    /// Records taken (the generation of the latest), and since the previous scrape.
    taken: u64,
    since: u64,
    /// The sample holding its latest record, and the record's place in it.
    latest: Option<(Arc<[Record]>, usize)>,
}

/// Which sockets are exported: at most `max`, those already exported first.
#[derive(Debug)]
struct SocketCap {
    max: usize,
    /// Cookies of the sockets exported.
    admitted: FxHashSet<u64>,
    /// Scratch for the next set.
    next: FxHashSet<u64>,
    /// Sockets of the latest record left out; socket readings left out since the start.
    cut_latest: u64,
    cut_total: u64,
}

impl SocketCap {
    /// Decide which of `sockets` are exported: those exported before, then new ones while
    /// there is room.
    fn admit(&mut self, sockets: &[crate::model::ss::Socket]) {
        self.next.clear();
        for s in sockets {
            if self.admitted.contains(&s.cookie) {
                self.next.insert(s.cookie);
            }
        }
        let mut cut = 0;
        for s in sockets {
            if self.next.contains(&s.cookie) {
                continue;
            }
            if self.next.len() < self.max {
                self.next.insert(s.cookie);
            } else {
                cut += 1;
            }
        }
        std::mem::swap(&mut self.admitted, &mut self.next);
        self.cut_latest = cut;
        self.cut_total += cut;
    }
}

/// What the endpoint serves: the latest record of every reader, and the bursty gauges folded
/// since the previous scrape.
#[derive(Debug, Default)]
pub struct Store {
    families: Vec<Family>,
    /// Family index by metric name.
    by_name: FxHashMap<String, usize>,
    /// Route of a field by reader, kind, unit and path (worked out once per field).
    routes: FxHashMap<String, Route>,
    readers: BTreeMap<&'static str, ReaderState>,
    /// Sockets exported (`--metrics-sockets`); None: sockets are not exported.
    sockets: Option<SocketCap>,
    /// Labels every series carries (`netns`), already written as `name="value",`.
    constant: String,
    /// Scratch: a route's key, an element's labels, the elements of a record.
    key: String,
    labels: String,
    scratch: Collect,
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

    /// Also export sockets, at most `max` of them.
    pub fn with_sockets(mut self, max: usize) -> Store {
        self.sockets = Some(SocketCap {
            max,
            admitted: FxHashSet::default(),
            next: FxHashSet::default(),
            cut_latest: 0,
            cut_total: 0,
        });
        self
    }

    /// The route of a field, worked out the first time it is met.
    fn route(&mut self, reader: &'static str, group: &str, value: &FieldAt<'_>) -> Route {
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
                    bursty: value.bursty,
                    series: FxHashMap::default(),
                    peaks: FxHashMap::default(),
                });
                Some((self.families.len() - 1, scale))
            }
        };
        self.routes.insert(self.key.clone(), route);
        route
    }

    /// Describe the elements of `record` that are exported into `scratch`: every element,
    /// but of sockets only those admitted.
    fn describe(
        record: &Record,
        sockets: Option<&SocketCap>,
        scratch: &mut Collect,
        only_bursty: bool,
    ) {
        scratch.reset(record.kind, only_bursty);
        match (&record.stats, sockets) {
            (Stats::Ss(all), Some(cap)) => {
                for s in all.iter().filter(|s| cap.admitted.contains(&s.cookie)) {
                    std::slice::from_ref(s).describe(scratch);
                }
            }
            (Stats::Ss(_), None) => {}
            (stats, _) => stats.describe(scratch),
        }
    }

    /// Take the record at `index` of a sample: it becomes its reader's latest, and its bursty
    /// gauges are folded.
    pub fn take(&mut self, sample: &Arc<[Record]>, index: usize) {
        let Some(record) = sample.get(index) else {
            return;
        };
        let Some(group) = group(record.kind) else {
            return;
        };
        if record.kind == "ss" && self.sockets.is_none() {
            return;
        }
        let state = self.readers.entry(record.kind).or_default();
        state.taken += 1;
        state.since += 1;
        state.latest = Some((Arc::clone(sample), index));
        let generation = state.taken;
        if Bursts::of(record.kind) == Bursts::Never {
            return;
        }
        if let (Stats::Ss(sockets), Some(cap)) = (&record.stats, self.sockets.as_mut()) {
            cap.admit(sockets);
        }
        self.for_each_value(record, group, true, |family, labels, num, scale| {
            if !family.bursty {
                return;
            }
            let peak = match family.peaks.get_mut(labels) {
                Some(peak) => peak,
                None => family
                    .peaks
                    .entry(labels.to_owned())
                    .or_insert_with(|| Peak::new(scale)),
            };
            // The first value of a name in an element wins.
            if peak.generation != generation {
                peak.add(num.as_u64(), generation);
            }
        });
        // Without scrapes, peaks of elements that went away would pile up: drop them now and
        // then.
        if generation.is_multiple_of(1024) {
            for family in self.families.iter_mut().filter(|f| f.reader == record.kind) {
                family.peaks.retain(|_, p| p.generation == generation);
            }
        }
    }

    /// Fill every family's series from the latest records.
    fn read_latest(&mut self) {
        for family in &mut self.families {
            family.series.clear();
        }
        let latest: Vec<(Arc<[Record]>, usize)> = self
            .readers
            .values()
            .filter_map(|r| r.latest.clone())
            .collect();
        for (sample, index) in latest {
            let record = &sample[index];
            let Some(group) = group(record.kind) else {
                continue;
            };
            self.for_each_value(record, group, false, |family, labels, num, scale| {
                // The first value of a name in an element wins.
                family
                    .series
                    .entry(labels.to_owned())
                    .or_insert(num.scaled(scale));
            });
        }
    }

    /// Describe the exported elements of `record` (only their bursty gauges if asked) and give
    /// each value, with its family, its element's labels and the factor to the family's unit,
    /// to `f`.
    fn for_each_value(
        &mut self,
        record: &Record,
        group: &str,
        only_bursty: bool,
        mut f: impl FnMut(&mut Family, &str, Num, f64),
    ) {
        let mut scratch = std::mem::take(&mut self.scratch);
        let mut labels = std::mem::take(&mut self.labels);
        Store::describe(record, self.sockets.as_ref(), &mut scratch, only_bursty);
        for element in &mut scratch.elements[..scratch.used] {
            element.labels(&self.constant, &mut labels);
            for slot in &mut element.values[..element.used] {
                let Some((family, scale)) = slot.route(self, record.kind, group) else {
                    continue;
                };
                let Some(num) = slot.value else { continue };
                f(&mut self.families[family], &labels, num, scale);
            }
        }
        self.labels = labels;
        self.scratch = scratch;
    }

    /// Write a family's TYPE and HELP lines.
    fn family_head(out: &mut String, name: &str, kind: &str, help: &str, format: Format) {
        out.push_str("# HELP ");
        out.push_str(name);
        out.push(' ');
        escape_help(out, help, format);
        let _ = writeln!(out, "\n# TYPE {name} {kind}");
    }

    /// A counter's family name: OpenMetrics names the family without `_total`.
    fn counter_family(name: &str, format: Format) -> &str {
        match format {
            Format::Text => name,
            Format::OpenMetrics => name.strip_suffix("_total").unwrap_or(name),
        }
    }

    /// The exposition of the latest values in `format`; starts a new interval for the `_max`
    /// and `_samples` series.
    pub fn scrape(&mut self, format: Format) -> String {
        self.read_latest();
        let mut out = String::new();
        let c = self.constant.as_str();
        Store::family_head(
            &mut out,
            Store::counter_family("netstatspy_records_total", format),
            "counter",
            "Records taken from each reader.",
            format,
        );
        for (reader, state) in &self.readers {
            let _ = writeln!(
                out,
                "netstatspy_records_total{{{c}reader=\"{reader}\"}} {}",
                state.taken
            );
        }
        Store::family_head(
            &mut out,
            "netstatspy_interval_records",
            "gauge",
            "Records the _max and _samples series cover: taken since the previous scrape.",
            format,
        );
        for (reader, state) in &mut self.readers {
            let _ = writeln!(
                out,
                "netstatspy_interval_records{{{c}reader=\"{reader}\"}} {}",
                state.since
            );
            state.since = 0;
        }
        let constant_only = c.strip_suffix(',').map(|c| format!("{{{c}}}"));
        let constant_only = constant_only.as_deref().unwrap_or("");
        if let Some(cap) = &self.sockets {
            Store::family_head(
                &mut out,
                "netstatspy_sockets_exported",
                "gauge",
                "Sockets of the latest ss record exported (at most --metrics-sockets).",
                format,
            );
            let exported = cap.admitted.len();
            let _ = writeln!(out, "netstatspy_sockets_exported{constant_only} {exported}");
            Store::family_head(
                &mut out,
                "netstatspy_sockets_cut",
                "gauge",
                "Sockets of the latest ss record left out by the --metrics-sockets cap.",
                format,
            );
            let _ = writeln!(
                out,
                "netstatspy_sockets_cut{constant_only} {}",
                cap.cut_latest
            );
            Store::family_head(
                &mut out,
                Store::counter_family("netstatspy_socket_readings_cut_total", format),
                "counter",
                "Socket readings left out by the --metrics-sockets cap, over all ss records.",
                format,
            );
            let _ = writeln!(
                out,
                "netstatspy_socket_readings_cut_total{constant_only} {}",
                cap.cut_total
            );
        }
        let mut order: Vec<usize> = (0..self.families.len()).collect();
        order.sort_by(|&a, &b| self.families[a].name.cmp(&self.families[b].name));
        for i in order {
            let family = &mut self.families[i];
            let current = self.readers.get(family.reader).map_or(0, |r| r.taken);
            // Elements that went away (a deleted qdisc) leave with their record.
            family.peaks.retain(|_, p| p.generation == current);
            if family.series.is_empty() {
                continue;
            }
            let name = family.name.as_str();
            let mut keys: Vec<&String> = family.series.keys().collect();
            keys.sort();
            let (type_name, kind) = if family.kind == Kind::Counter {
                (Store::counter_family(name, format), "counter")
            } else {
                (name, "gauge")
            };
            Store::family_head(&mut out, type_name, kind, &family.help, format);
            for key in &keys {
                let _ = writeln!(out, "{name}{key} {}", family.series[*key]);
            }
            if family.bursty {
                let help = format!(
                    "{}: the largest of every sample since the previous scrape",
                    family.help
                );
                Store::family_head(&mut out, &format!("{name}_max"), "gauge", &help, format);
                for key in &keys {
                    let _ = write!(out, "{name}_max{key} ");
                    let max = family
                        .peaks
                        .get(key.as_str())
                        .map_or_else(|| family.series[*key].as_f64(), Peak::max);
                    write_f64(&mut out, max);
                    out.push('\n');
                }
                let help = format!(
                    "{}: quantiles of the samples since the previous scrape; count and sum of \
                     every sample",
                    family.help
                );
                Store::family_head(
                    &mut out,
                    &format!("{name}_samples"),
                    "summary",
                    &help,
                    format,
                );
                for key in &keys {
                    let Some(peak) = family.peaks.get(key.as_str()) else {
                        continue;
                    };
                    let open = key
                        .strip_suffix('}')
                        .map_or("{".to_owned(), |k| format!("{k},"));
                    for (q, q_text) in QUANTILES {
                        let _ = write!(out, "{name}_samples{open}quantile=\"{q_text}\"}} ");
                        write_f64(&mut out, peak.quantile(q));
                        out.push('\n');
                    }
                    let _ = write!(out, "{name}_samples_sum{key} ");
                    write_f64(&mut out, peak.sum);
                    let _ = writeln!(out, "\n{name}_samples_count{key} {}", peak.count);
                }
            }
            for peak in family.peaks.values_mut() {
                peak.interval.clear();
            }
        }
        if format == Format::OpenMetrics {
            out.push_str("# EOF\n");
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
    bursty: bool,
    value: Option<Num>,
    /// The route worked out for this slot, and the path, kind and unit it was worked out for:
    /// elements come in the same order record after record, so it is nearly always reused.
    routed: Option<(String, Kind, Unit, Route)>,
}

impl Value {
    /// The route of this slot's field, worked out by `store` when the slot holds another
    /// field than last time.
    fn route(&mut self, store: &mut Store, reader: &'static str, group: &str) -> Route {
        let (Some(kind), Some(unit)) = (self.kind, self.unit) else {
            return None;
        };
        match &self.routed {
            Some((path, k, u, route)) if *path == self.path && *k == kind && *u == unit => *route,
            _ => {
                let at = FieldAt {
                    path: &self.path,
                    kind,
                    unit,
                    bursty: self.bursty,
                };
                let route = store.route(reader, group, &at);
                self.routed = Some((self.path.clone(), kind, unit, route));
                route
            }
        }
    }
}

/// A field's path (keys joined by `\0`), kind and unit.
struct FieldAt<'a> {
    path: &'a str,
    kind: Kind,
    unit: Unit,
    bursty: bool,
}

impl FieldAt<'_> {
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

impl Element {
    /// Its labels, after the `constant` ones, as the exposition writes them (`{a="b",…}`, or
    /// nothing without labels).
    fn labels(&self, constant: &str, out: &mut String) {
        out.clear();
        out.push('{');
        out.push_str(constant);
        for (i, name) in LABEL_ORDER.iter().enumerate() {
            if self.has_label[i] {
                let _ = write!(out, "{name}=\"");
                escape_label_value(out, &self.labels[i]);
                out.push_str("\",");
            }
        }
        if out.ends_with(',') {
            out.pop();
        }
        out.push('}');
        if out == "{}" {
            out.clear();
        }
    }
}

/// The elements of one record, reused from record to record: a [`Visitor`] that keeps the
/// numbers (not under lists; only the bursty ones if asked) and the identity labels of each
/// element.
#[derive(Debug, Default)]
pub struct Collect {
    reader: &'static str,
    bursts: Bursts,
    only_bursty: bool,
    elements: Vec<Element>,
    used: usize,
    /// Keys of the open objects below the element; `None` for a list.
    open: Vec<Option<String>>,
    in_element: bool,
}

impl Collect {
    fn reset(&mut self, reader: &'static str, only_bursty: bool) {
        self.reader = reader;
        self.bursts = Bursts::of(reader);
        self.only_bursty = only_bursty;
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

    /// The socket endpoint (`local`, `peer`) a field is directly in.
    fn endpoint(&self) -> Option<usize> {
        if self.bursts != Bursts::Socket {
            return None;
        }
        match self.open.as_slice() {
            [Some(o)] if o == "local" => Some(6),
            [Some(o)] if o == "peer" => Some(7),
            _ => None,
        }
    }

    fn number(&mut self, field: &Field<'_>, value: Num) {
        if field.kind == Kind::Label {
            // A socket endpoint's port ends its label: `address:port`.
            if field.key == "port"
                && let Some(i) = self.endpoint()
                && let Some(element) = self.current()
            {
                let _ = write!(element.labels[i], ":{value}");
            }
            return;
        }
        let bursty = bursty(self.bursts, &self.open, field);
        if (self.only_bursty && !bursty)
            || !self.in_element
            || self.used == 0
            || self.open.iter().any(Option::is_none)
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
        slot.bursty = bursty;
        slot.value = Some(value);
    }

    fn set_label(&mut self, i: usize, value: &dyn Display) {
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
        if field.kind != Kind::Label {
            return;
        }
        if let Some(i) = self.endpoint() {
            if field.key == "address" {
                // An IPv6 address is bracketed before its port, as ss writes it.
                let text = value.to_string();
                if text.contains(':') {
                    self.set_label(i, &format_args!("[{text}]"));
                } else {
                    self.set_label(i, &text);
                }
            }
            return;
        }
        if !self.open.is_empty() {
            return;
        }
        if let Some(i) = label_index(field.key) {
            self.set_label(i, value);
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
            self.set_label(3, &"root");
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
    fn shared<T: Send + Sync + 'static>(
        &mut self,
        _: &Arc<T>,
        _: u8,
        describe: impl FnOnce(&mut Self),
    ) {
        // Shared groups hold what changes with configuration (link metadata, qdisc options),
        // never a gauge that bursts.
        if !self.only_bursty {
            describe(self);
        }
    }
}

/// The metrics output: keeps every sample's records in the [`Store`] the HTTP server reads.
pub struct Metrics {
    store: Arc<Mutex<Store>>,
}

impl Metrics {
    /// An output writing into `store`.
    pub fn new(store: Arc<Mutex<Store>>) -> Metrics {
        Metrics { store }
    }
}

impl Output for Metrics {
    fn name(&self) -> &'static str {
        "metrics"
    }

    fn write(&mut self, record: &Record) -> Result<(), OutputError> {
        self.write_sample(&Arc::from(vec![record.clone()]))
    }

    fn write_sample(&mut self, records: &Arc<[Record]>) -> Result<(), OutputError> {
        if !records.iter().any(|r| group(r.kind).is_some()) {
            return Ok(());
        }
        let mut store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        for index in 0..records.len() {
            store.take(records, index);
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ip::{LinkMeta, LinkSample, LinkStats64};
    use crate::model::queue_limits::QueueLimits;
    use crate::model::ss::tcp_info::TcpInfo;
    use crate::model::ss::{Netid, Socket};
    use std::time::Duration;

    /// Give `store` one record, as a sample of its own.
    fn take(store: &mut Store, record: Record) {
        store.take(&Arc::from(vec![record]), 0);
    }

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
        let cases: [Case; 10] = [
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
                "socket",
                &["skmem", "tb"],
                Gauge,
                Unit::Bytes,
                "netstatspy_socket_skmem_sndbuf_bytes",
                1.0,
            ),
            (
                "socket",
                &["tcp_info", "rtt"],
                Gauge,
                Unit::Microseconds,
                "netstatspy_socket_rtt_seconds",
                1e-6,
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
        take(
            &mut store,
            record("ip", Stats::Ip(vec![link("we\"ird\\\nname", 7)])),
        );
        let text = store.scrape(Format::Text);
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
        take(
            &mut store,
            record("ip", Stats::Ip(vec![link("eth0", 7), link("lo", 9)])),
        );
        let text = store.scrape(Format::Text);
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
        take(&mut store, record("ip", Stats::Ip(vec![link("lo", 10)])));
        let text = store.scrape(Format::Text);
        assert!(!text.contains("eth0"), "{text}");
        assert!(lines(&text).contains(&r#"netstatspy_link_rx_bytes_total{device="lo"} 10"#));
    }

    #[test]
    fn max_series_keep_the_peak_since_the_previous_scrape() {
        let mut store = Store::new(&[]);
        for inflight in [10, 5000, 20] {
            take(&mut store, record("queue_limits", bql(inflight)));
        }
        let text = store.scrape(Format::Text);
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
        take(&mut store, record("queue_limits", bql(30)));
        let text = store.scrape(Format::Text);
        assert!(
            lines(&text)
                .contains(&format!("netstatspy_bql_inflight_bytes_max{labels} 30").as_str()),
            "{text}"
        );
        assert!(
            lines(&text).contains(&r#"netstatspy_interval_records{reader="queue_limits"} 1"#),
            "{text}"
        );
        let text = store.scrape(Format::Text);
        assert!(
            lines(&text)
                .contains(&format!("netstatspy_bql_inflight_bytes_max{labels} 30").as_str()),
            "{text}"
        );
    }

    /// The value of the series `name` (with its labels) in `text`.
    fn value(text: &str, series: &str) -> Option<String> {
        lines(text)
            .iter()
            .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ').map(str::to_owned))
    }

    #[test]
    fn samples_summaries_hold_the_quantiles_of_the_interval() {
        let mut store = Store::new(&[]);
        for inflight in 1..=100 {
            take(&mut store, record("queue_limits", bql(inflight)));
        }
        let text = store.scrape(Format::Text);
        let l = r#"device="eth0",queue="tx-0""#;
        let get = |text: &str, s: &str| value(text, s).unwrap_or_else(|| panic!("{s}: {text}"));
        assert!(text.contains("# TYPE netstatspy_bql_inflight_bytes_samples summary\n"));
        for (q, want) in [("0.5", "50"), ("0.9", "90"), ("0.99", "99")] {
            let s = format!("netstatspy_bql_inflight_bytes_samples{{{l},quantile=\"{q}\"}}");
            assert_eq!(get(&text, &s), want, "{text}");
        }
        let sum = format!("netstatspy_bql_inflight_bytes_samples_sum{{{l}}}");
        let count = format!("netstatspy_bql_inflight_bytes_samples_count{{{l}}}");
        assert_eq!(get(&text, &sum), "5050");
        assert_eq!(get(&text, &count), "100");
        // The next interval holds only its own samples; count and sum go on.
        for inflight in [7000, 9000] {
            take(&mut store, record("queue_limits", bql(inflight)));
        }
        let text = store.scrape(Format::Text);
        let median = format!("netstatspy_bql_inflight_bytes_samples{{{l},quantile=\"0.5\"}}");
        let m: f64 = get(&text, &median).parse().expect("number");
        // The upper edge of 7000's bucket (1.6% wide).
        assert!((7000.0..=7000.0 * 1.016).contains(&m), "{m}");
        let top = format!("netstatspy_bql_inflight_bytes_samples{{{l},quantile=\"0.99\"}}");
        assert_eq!(get(&text, &top), "9000");
        assert_eq!(get(&text, &count), "102");
        assert_eq!(get(&text, &sum), "21050");
        // Without a new sample, the interval is the latest one.
        let text = store.scrape(Format::Text);
        assert_eq!(get(&text, &median), "9000");
        assert_eq!(get(&text, &count), "102");
    }

    #[test]
    fn open_metrics_names_counter_families_without_total_and_ends_with_eof() {
        let mut store = Store::new(&[]);
        take(&mut store, record("ip", Stats::Ip(vec![link("eth0", 7)])));
        take(&mut store, record("queue_limits", bql(3)));
        let text = store.scrape(Format::OpenMetrics);
        assert!(text.ends_with("\n# EOF\n"), "{text}");
        assert!(
            text.contains("# TYPE netstatspy_link_rx_bytes counter\n"),
            "{text}"
        );
        assert!(
            text.contains("# TYPE netstatspy_records counter\n"),
            "{text}"
        );
        assert!(
            lines(&text).contains(&r#"netstatspy_link_rx_bytes_total{device="eth0"} 7"#),
            "{text}"
        );
        assert!(
            text.contains("# TYPE netstatspy_link_mtu_bytes gauge\n"),
            "{text}"
        );
        let plain = store.scrape(Format::Text);
        assert!(plain.contains("# TYPE netstatspy_link_rx_bytes_total counter\n"));
        assert!(!plain.contains("# EOF"));
    }

    #[test]
    fn accept_headers_choose_the_format() {
        for (accept, want) in [
            (None, Format::Text),
            (Some("text/plain"), Format::Text),
            (Some("*/*"), Format::Text),
            (Some("application/openmetrics-text"), Format::OpenMetrics),
            (
                Some("application/openmetrics-text; version=1.0.0; charset=utf-8"),
                Format::OpenMetrics,
            ),
            // Only a version we write.
            (
                Some("application/openmetrics-text;version=0.0.1"),
                Format::Text,
            ),
            (
                Some("text/plain;q=0.9, application/openmetrics-text;q=0.5"),
                Format::Text,
            ),
            (
                Some("application/openmetrics-text;q=0.9,text/plain;q=0.5"),
                Format::OpenMetrics,
            ),
            (Some("application/json"), Format::Text),
            (Some(";;,=,q=x"), Format::Text),
        ] {
            assert_eq!(Format::negotiate(accept), want, "{accept:?}");
        }
    }

    fn socket(cookie: u64, local: &str, peer: &str, rtt_us: u32, cwnd: u32) -> Socket {
        let mut raw = vec![0u8; 232];
        raw[68..72].copy_from_slice(&rtt_us.to_ne_bytes());
        raw[80..84].copy_from_slice(&cwnd.to_ne_bytes());
        let endpoint = |s: &str| {
            let (ip, port) = s.rsplit_once(':').expect("address:port");
            let ip = ip.trim_start_matches('[').trim_end_matches(']');
            (ip.parse().expect("ip"), port.parse().expect("port"))
        };
        Socket {
            netid: Netid::Tcp,
            state: 1,
            recv_q: 0,
            send_q: 100,
            local: endpoint(local),
            peer: endpoint(peer),
            uid: 0,
            inode: 0,
            cookie,
            timer: None,
            skmem: None,
            cong: None,
            tcp_info: Some(TcpInfo::decode(&raw)),
            cc_info: None,
            extra: None,
        }
    }

    #[test]
    fn sockets_are_capped_kept_while_they_live_and_labelled_as_ss_writes_them() {
        let mut store = Store::new(&[]).with_sockets(2);
        let a = socket(1, "10.0.0.1:5201", "10.0.0.2:40000", 1500, 10);
        let b = socket(2, "[::1]:5201", "[::1]:40001", 2500, 20);
        let c = socket(3, "10.0.0.1:5201", "10.0.0.3:40002", 3500, 30);
        take(
            &mut store,
            record("ss", Stats::Ss(vec![a.clone(), b, c.clone()])),
        );
        let text = store.scrape(Format::Text);
        let rtt = |local: &str, peer: &str| {
            format!(r#"netstatspy_socket_rtt_seconds{{netid="tcp",local="{local}",peer="{peer}"}}"#)
        };
        assert_eq!(
            value(&text, &rtt("10.0.0.1:5201", "10.0.0.2:40000")).as_deref(),
            Some("0.0015"),
            "{text}"
        );
        assert_eq!(
            value(&text, &rtt("[::1]:5201", "[::1]:40001")).as_deref(),
            Some("0.0025"),
            "{text}"
        );
        assert!(value(&text, &rtt("10.0.0.1:5201", "10.0.0.3:40002")).is_none());
        assert_eq!(
            value(&text, "netstatspy_sockets_exported").as_deref(),
            Some("2")
        );
        assert_eq!(value(&text, "netstatspy_sockets_cut").as_deref(), Some("1"));
        assert_eq!(
            value(&text, "netstatspy_socket_readings_cut_total").as_deref(),
            Some("1")
        );
        assert!(
            text.contains("# TYPE netstatspy_socket_snd_cwnd_max gauge\n"),
            "{text}"
        );
        assert!(text.contains("# TYPE netstatspy_socket_send_q_bytes_samples summary\n"));
        // b closes: c takes its place; a keeps its own.
        take(&mut store, record("ss", Stats::Ss(vec![c, a])));
        let text = store.scrape(Format::Text);
        assert!(value(&text, &rtt("10.0.0.1:5201", "10.0.0.3:40002")).is_some());
        assert!(value(&text, &rtt("10.0.0.1:5201", "10.0.0.2:40000")).is_some());
        assert!(!text.contains("::1"), "{text}");
        assert_eq!(value(&text, "netstatspy_sockets_cut").as_deref(), Some("0"));
        assert_eq!(
            value(&text, "netstatspy_socket_readings_cut_total").as_deref(),
            Some("1")
        );
    }

    #[test]
    fn sockets_are_not_served_unless_asked_for() {
        let mut store = Store::new(&[]);
        let a = socket(1, "10.0.0.1:5201", "10.0.0.2:40000", 1500, 10);
        take(&mut store, record("ss", Stats::Ss(vec![a])));
        let text = store.scrape(Format::Text);
        assert!(!text.contains("socket"), "{text}");
    }
}
