//! `netstatspy report`: JSON Lines (plain, `.zst`, changes-only) to one self-contained HTML
//! file with plots.
//!
//! The input is read with the export's line reader ([`crate::export::input`]) and changes-only
//! records are made whole with its [`crate::export::changes::Expander`]. Per run, every series
//! (an interface's rates, a qdisc's backlog, a socket's cwnd, …) is reduced as it is read
//! ([`envelope`]): memory depends on the number of series, not on the length of the run. The
//! busiest sockets are chosen in a first pass (bytes acknowledged per second over each socket's
//! life) and their series built in a second. [`page`] writes the HTML: the data as JSON in the
//! page, uPlot (vendored, MIT) and the script that draws it.

pub mod envelope;
pub mod page;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::export::changes::{Expanded, Expander};
use crate::export::input::{Cut, Line, Lines};

use self::envelope::Envelope;

/// Malformed lines named one by one; the rest are counted.
pub const MALFORMED_SHOWN: u64 = 10;

/// What to report.
#[derive(Debug, Clone)]
pub struct ReportConfig {
    /// JSON Lines files, read in this order.
    pub files: Vec<PathBuf>,
    /// The HTML file to write.
    pub output: PathBuf,
    /// Sockets shown.
    pub top: usize,
    /// Buckets per long series.
    pub buckets: usize,
}

/// Why a report failed.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// An input file cannot be opened or read.
    #[error("cannot read {}", path.display())]
    Input {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Nothing in the input is a netstatspy record.
    #[error("no netstatspy records in {files}{why}")]
    Empty {
        /// The files, as given.
        files: String,
        /// The first thing wrong, when there was one.
        why: String,
    },
    /// The HTML file cannot be written.
    #[error("cannot write {}", path.display())]
    Output {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// What a report read and wrote.
#[derive(Debug, Default)]
pub struct Summary {
    /// Lines read.
    pub lines: u64,
    /// Records used (runs' own lines included).
    pub records: u64,
    /// Runs reported.
    pub runs: usize,
    /// Plots drawn.
    pub plots: usize,
    /// Lines that were not records.
    pub malformed: u64,
    /// Bytes of HTML written.
    pub html_bytes: u64,
}

/// How a plotted value is made from the records.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Make {
    /// The value as it is.
    Gauge,
    /// The difference of a counter over the time between records, times a scale.
    Rate(f64),
}

/// One line of a plot.
#[derive(Debug, Clone)]
struct Series {
    label: String,
    make: Make,
    last: Option<(f64, f64)>,
    envelope: Envelope,
}

impl Series {
    fn add(&mut self, t: f64, value: f64) {
        match self.make {
            Make::Gauge => self.envelope.push(t, value),
            Make::Rate(scale) => {
                if let Some((t0, v0)) = self.last
                    && t > t0
                    && value >= v0
                {
                    self.envelope.push(t, (value - v0) * scale / (t - t0));
                }
                self.last = Some((t, value));
            }
        }
    }
}

/// One plot: series that share a unit.
#[derive(Debug, Clone)]
struct Plot {
    section: &'static str,
    group: String,
    title: String,
    unit: &'static str,
    /// A qdisc's depth in its device's tree (0: root).
    depth: usize,
    series: Vec<Series>,
}

/// One run's plots, in the order they were first met (sorted for the page).
#[derive(Debug, Default)]
struct Run {
    id: String,
    header: Option<Value>,
    summary: Option<Value>,
    plots: Vec<Plot>,
    index: HashMap<String, usize>,
    closed: Vec<Value>,
    counts: BTreeMap<String, u64>,
    /// Depth of each qdisc (device, handle) in its tree.
    qdisc_depth: HashMap<(String, String), usize>,
}

impl Run {
    /// The plot named `key`, made by `make` the first time.
    fn plot(&mut self, key: String, make: impl FnOnce() -> Plot) -> &mut Plot {
        let i = match self.index.get(&key) {
            Some(&i) => i,
            None => {
                self.plots.push(make());
                self.index.insert(key, self.plots.len() - 1);
                self.plots.len() - 1
            }
        };
        &mut self.plots[i]
    }
}

fn number(v: Option<&Value>) -> Option<f64> {
    let v = v?;
    v.as_u64()
        .map(|n| n as f64)
        .or_else(|| v.as_i64().map(|n| n as f64))
        .or_else(|| v.as_f64())
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

/// `(key in the element, label, make)` of a plot's series.
type Spec = &'static [(&'static str, &'static str, Make)];

/// Add `element`'s values at `t` to the plot `key` (created with `title` and `unit`).
#[allow(clippy::too_many_arguments)]
fn add(
    run: &mut Run,
    buckets: usize,
    section: &'static str,
    group: &str,
    key: String,
    title: &dyn Fn() -> String,
    unit: &'static str,
    spec: Spec,
    t: f64,
    element: &Value,
) {
    if !spec.iter().any(|(k, _, _)| pointer(element, k).is_some()) {
        return;
    }
    let plot = run.plot(key, || Plot {
        section,
        group: group.to_owned(),
        title: title(),
        unit,
        depth: 0,
        series: spec
            .iter()
            .map(|(_, label, make)| Series {
                label: (*label).to_owned(),
                make: *make,
                last: None,
                envelope: Envelope::new(buckets),
            })
            .collect(),
    });
    for ((k, _, _), series) in spec.iter().zip(&mut plot.series) {
        if let Some(v) = number(pointer(element, k)) {
            series.add(t, v);
        }
    }
}

/// A value by a `/`-separated path of object keys and list indexes.
fn pointer<'v>(element: &'v Value, path: &str) -> Option<&'v Value> {
    let mut v = element;
    for part in path.split('/') {
        v = match v {
            Value::Object(o) => o.get(part)?,
            Value::Array(a) => a.get(part.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(v)
}

const BITS: Make = Make::Rate(8.0);
const PER_S: Make = Make::Rate(1.0);
const G: Make = Make::Gauge;

const IP_BITS: Spec = &[
    ("stats64/rx/bytes", "rx", BITS),
    ("stats64/tx/bytes", "tx", BITS),
];
const IP_PACKETS: Spec = &[
    ("stats64/rx/packets", "rx", PER_S),
    ("stats64/tx/packets", "tx", PER_S),
];
const IP_DROPS: Spec = &[
    ("stats64/rx/dropped", "rx dropped", PER_S),
    ("stats64/tx/dropped", "tx dropped", PER_S),
    ("stats64/rx/errors", "rx errors", PER_S),
    ("stats64/tx/errors", "tx errors", PER_S),
];
const TC_BACKLOG: Spec = &[("backlog", "backlog", G)];
const TC_QLEN: Spec = &[("qlen", "qlen", G)];
const TC_EVENTS: Spec = &[
    ("drops", "drops", PER_S),
    ("overlimits", "overlimits", PER_S),
    ("requeues", "requeues", PER_S),
];
const TC_SENT: Spec = &[("bytes", "sent", BITS)];
const CODEL_X: Spec = &[
    ("drop_overlimit", "drop_overlimit", PER_S),
    ("ecn_mark", "ecn_mark", PER_S),
    ("ce_mark", "ce_mark", PER_S),
    ("drop_overmemory", "drop_overmemory", PER_S),
];
const CODEL_DELAY: Spec = &[("ldelay", "ldelay", G)];
const FQ_X: Spec = &[
    ("throttled", "throttled", PER_S),
    ("flows_plimit", "flows_plimit", PER_S),
    ("ce_mark", "ce_mark", PER_S),
    ("horizon_drops", "horizon_drops", PER_S),
];
const BQL: Spec = &[("limit", "limit", G), ("inflight", "inflight", G)];
const SMALL_QUEUE: Spec = &[("tcp_limit_output_bytes", "tcp_limit_output_bytes", G)];
const SS_CWND: Spec = &[("tcp_info/snd_cwnd", "cwnd", G)];
const SS_RTT: Spec = &[("tcp_info/rtt", "rtt", G), ("tcp_info/rttvar", "rttvar", G)];
const SS_RATES: Spec = &[
    ("tcp_info/delivery_rate", "delivery rate", G),
    ("tcp_info/pacing_rate", "pacing rate", G),
];
const CAKE_X: Spec = &[
    ("drops", "drops", PER_S),
    ("ecn_mark", "ecn_mark", PER_S),
    ("ack_drops", "ack_drops", PER_S),
];
const CAKE_DELAY: Spec = &[
    ("peak_delay_us", "peak", G),
    ("avg_delay_us", "avg", G),
    ("base_delay_us", "base", G),
];
const SS_RETRANS: Spec = &[
    ("tcp_info/total_retrans", "total retransmits", G),
    ("tcp_info/unacked", "unacked (in flight)", G),
];
const SS_QUEUES: Spec = &[("send_q", "send-Q", G), ("recv_q", "recv-Q", G)];

/// Sockets' rates are bytes/s gauges shown in bit/s: made here rather than in [`Make`].
fn ss_rates(element: &Value) -> Value {
    let mut out = Map::new();
    let mut info = Map::new();
    for k in ["delivery_rate", "pacing_rate"] {
        if let Some(v) = number(pointer(element, &format!("tcp_info/{k}"))) {
            info.insert(k.to_owned(), Value::from(v * 8.0));
        }
    }
    out.insert("tcp_info".into(), Value::Object(info));
    Value::Object(out)
}

/// A qdisc's place in its device's tree, as text: `eth0 root 1: htb`, `eth0 parent 1:10 10: pfifo`.
fn qdisc_name(q: &Value) -> (String, String) {
    let dev = text(q.get("dev"));
    let handle = text(q.get("handle"));
    let kind = text(q.get("kind"));
    let place = if q.get("root") == Some(&Value::Bool(true)) {
        "root".to_owned()
    } else {
        format!("parent {}", text(q.get("parent")))
    };
    (dev.clone(), format!("{dev} {place} {handle} {kind}"))
}

/// A socket's identity and its name: `tcp 10.0.0.1:5201 → 10.0.0.2:41000`.
fn socket_name(s: &Value) -> (String, String) {
    let end = |e: Option<&Value>| {
        let e = e.unwrap_or(&Value::Null);
        let a = text(e.get("address"));
        let a = if a.contains(':') { format!("[{a}]") } else { a };
        format!("{a}:{}", text(e.get("port")))
    };
    let name = format!(
        "{} {} → {}",
        text(s.get("netid")),
        end(s.get("local")),
        end(s.get("peer"))
    );
    let id = match s.get("cookie") {
        Some(c) => format!("cookie {c}"),
        None => name.clone(),
    };
    (id, name)
}

/// Calls `each(file, line number, record)` for every record of every file, changes-only records
/// made whole; lines that are not records go to `bad(file, line number, why)`, a file cut short
/// to `warn`.
fn read_all(
    files: &[PathBuf],
    each: &mut dyn FnMut(Value),
    bad: &mut dyn FnMut(&Path, u64, String),
    warn: &mut dyn FnMut(String),
) -> Result<u64, ReportError> {
    let mut lines_read = 0;
    let mut expander = Expander::default();
    for path in files {
        let input = |source| ReportError::Input {
            path: path.clone(),
            source,
        };
        let mut lines = Lines::open(path).map_err(input)?;
        loop {
            // The line about to be read (next_line counts it).
            let number = lines.number + 1;
            let line = match lines.next_line().map_err(input)? {
                None => break,
                Some(Line::Complete(l)) => (l, false),
                Some(Line::Last(l)) => (l, true),
            };
            lines_read += 1;
            let value: Value = match serde_json::from_slice(line.0) {
                Ok(v) => v,
                Err(_) if line.1 => {
                    warn(format!(
                        "{}: the last line ({} bytes, no newline) is not whole JSON and is left out",
                        path.display(),
                        line.0.len()
                    ));
                    continue;
                }
                Err(e) => {
                    bad(path, number, format!("not JSON: {e}"));
                    continue;
                }
            };
            if value.get("type").and_then(Value::as_str).is_none() {
                bad(path, number, "not an object with a \"type\" string".into());
                continue;
            }
            match expander.expand(value) {
                Ok(Expanded::AsIs(v) | Expanded::Full(v)) => each(v),
                Ok(Expanded::Incomplete) => {}
                Err(e) => bad(path, number, e),
            }
        }
        match lines.cut.take() {
            None => {}
            Some(Cut::UnfinishedLine { .. }) => {}
            Some(Cut::UnfinishedFrame { bytes }) => warn(format!(
                "{}: ends in a zstd frame cut short ({bytes} bytes): read up to it",
                path.display()
            )),
            Some(Cut::Frame { error, .. }) => warn(format!(
                "{}: compressed data does not decode ({error}): read up to it",
                path.display()
            )),
        }
    }
    Ok(lines_read)
}

/// The reader types the report knows.
const KNOWN: [&str; 8] = [
    "run",
    "run_summary",
    "ip",
    "tc",
    "ss",
    "ss_closed",
    "queue_limits",
    "small_queue",
];

/// A socket of a run: (run, socket identity).
type SocketKey = (String, String);

/// What a socket did over the run (first pass): for choosing the busiest.
#[derive(Debug, Clone, Copy)]
struct Activity {
    first: (f64, f64),
    last: (f64, f64),
}

/// Make the report: read `config.files`, write `config.output`. Warnings (what was left out)
/// go to `warn`.
pub fn report(config: &ReportConfig, warn: &mut dyn FnMut(String)) -> Result<Summary, ReportError> {
    let mut summary = Summary::default();
    let mut runs: Vec<Run> = Vec::new();
    let mut run_index: HashMap<String, usize> = HashMap::new();
    let mut activity: HashMap<(String, String), Activity> = HashMap::new();
    let mut unknown: BTreeMap<String, u64> = BTreeMap::new();
    let mut first_bad: Option<String> = None;
    let mut malformed = 0u64;
    let buckets = config.buckets;
    {
        let mut bad = |path: &Path, line: u64, why: String| {
            malformed += 1;
            let message = format!("{}:{line}: {why}", path.display());
            if first_bad.is_none() {
                first_bad = Some(message.clone());
            }
            if malformed <= MALFORMED_SHOWN {
                warn(format!("{message}; line left out"));
            }
        };
        let mut warnings = Vec::new();
        let mut each = |record: Value| {
            let kind = text(record.get("type"));
            if !KNOWN.contains(&kind.as_str()) {
                *unknown.entry(kind).or_default() += 1;
                return;
            }
            summary.records += 1;
            let id = text(record.get("run"));
            let at = *run_index.entry(id.clone()).or_insert_with(|| {
                runs.push(Run {
                    id: id.clone(),
                    ..Run::default()
                });
                runs.len() - 1
            });
            let run = &mut runs[at];
            *run.counts.entry(kind.clone()).or_default() += 1;
            match kind.as_str() {
                "run" => run.header = Some(record),
                "run_summary" => run.summary = Some(record),
                _ => collect(run, &mut activity, buckets, &kind, &record),
            }
        };
        summary.lines = read_all(&config.files, &mut each, &mut bad, &mut |w| {
            warnings.push(w)
        })?;
        for w in warnings {
            warn(w);
        }
    }
    summary.malformed = malformed;
    if malformed > MALFORMED_SHOWN {
        warn(format!(
            "{malformed} lines in all were not records and were left out (the first \
             {MALFORMED_SHOWN} are named above)"
        ));
    }
    for (kind, n) in &unknown {
        warn(format!(
            "{n} records of type {kind:?}, which the report does not know, were left out"
        ));
    }
    if summary.records == 0 {
        let files: Vec<String> = config
            .files
            .iter()
            .map(|f| f.display().to_string())
            .collect();
        let why = match (&first_bad, unknown.keys().next()) {
            (Some(b), _) => format!(" ({b})"),
            (None, Some(k)) => format!(" (only records of unknown type {k:?})"),
            (None, None) => " (no lines)".to_owned(),
        };
        return Err(ReportError::Empty {
            files: files.join(", "),
            why,
        });
    }
    // The busiest sockets of each run, by bytes acknowledged per second over their life.
    let mut chosen: HashSet<SocketKey> = HashSet::new();
    let mut by_run: HashMap<&str, Vec<(f64, &SocketKey)>> = HashMap::new();
    for (key, a) in &activity {
        let dt = a.last.0 - a.first.0;
        let rate = if dt > 0.0 {
            (a.last.1 - a.first.1) / dt
        } else {
            0.0
        };
        by_run.entry(key.0.as_str()).or_default().push((rate, key));
    }
    for (_, mut list) in by_run {
        list.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        for (_, key) in list.into_iter().take(config.top) {
            chosen.insert(key.clone());
        }
    }
    if !chosen.is_empty() {
        let mut each = |record: Value| {
            let kind = text(record.get("type"));
            if kind != "ss" && kind != "ss_closed" {
                return;
            }
            let id = text(record.get("run"));
            let Some(&at) = run_index.get(&id) else {
                return;
            };
            sockets(&mut runs[at], &chosen, buckets, &kind, &record);
        };
        read_all(&config.files, &mut each, &mut |_, _, _| {}, &mut |_| {})?;
    }
    summary.runs = runs.len();
    let html = page::render(&runs, config);
    summary.plots = runs
        .iter()
        .map(|r| r.plots.iter().filter(|p| page::drawn(p)).count())
        .sum();
    summary.html_bytes = html.len() as u64;
    write_atomically(&config.output, html.as_bytes()).map_err(|source| ReportError::Output {
        path: config.output.clone(),
        source,
    })?;
    Ok(summary)
}

/// Write under a temporary name beside `path`, then rename.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    let tmp = path.with_file_name(name);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// The elements of a record's `stats`.
fn elements(record: &Value) -> &[Value] {
    record
        .get("stats")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// First pass: every series but the sockets'.
fn collect(
    run: &mut Run,
    activity: &mut HashMap<(String, String), Activity>,
    buckets: usize,
    kind: &str,
    record: &Value,
) {
    let Some(t) = number(record.get("elapsed")) else {
        return;
    };
    for e in elements(record) {
        match kind {
            "ip" => {
                let name = text(e.get("ifname"));
                for (what, title, unit, spec) in [
                    ("bits", "throughput", "bit/s", IP_BITS),
                    ("packets", "packets", "packets/s", IP_PACKETS),
                    ("drops", "drops and errors", "/s", IP_DROPS),
                ] {
                    add(
                        run,
                        buckets,
                        "Interfaces",
                        &name,
                        format!("ip {name} {what}"),
                        &|| format!("{name}: {title}"),
                        unit,
                        spec,
                        t,
                        e,
                    );
                }
            }
            "tc" => {
                let (dev, name) = qdisc_name(e);
                let qdisc_kind = text(e.get("kind"));
                let mut plots: Vec<(&str, &str, &'static str, Spec)> = vec![
                    ("backlog", "backlog", "bytes", TC_BACKLOG),
                    ("qlen", "backlog packets (qlen)", "packets", TC_QLEN),
                    ("events", "drops, overlimits, requeues", "/s", TC_EVENTS),
                    ("sent", "sent", "bit/s", TC_SENT),
                ];
                match qdisc_kind.as_str() {
                    "fq_codel" | "codel" | "fq_pie" => {
                        plots.push(("x", "marks and drops (xstats)", "/s", CODEL_X));
                        plots.push(("ldelay", "delay (xstats)", "µs", CODEL_DELAY));
                    }
                    "fq" => plots.push(("x", "throttled, marks, drops (xstats)", "/s", FQ_X)),
                    _ => {}
                }
                for (what, title, unit, spec) in plots {
                    add(
                        run,
                        buckets,
                        "Qdiscs",
                        &dev,
                        format!("tc {name} {what}"),
                        &|| format!("{name}: {title}"),
                        unit,
                        spec,
                        t,
                        e,
                    );
                }
                if qdisc_kind == "cake" {
                    cake(run, buckets, &dev, &name, t, e);
                }
                let handle = text(e.get("handle"));
                let depth = if e.get("root") == Some(&Value::Bool(true)) {
                    0
                } else {
                    let parent = text(e.get("parent"));
                    let major = parent.split(':').next().unwrap_or_default();
                    run.qdisc_depth
                        .get(&(dev.clone(), format!("{major}:")))
                        .map_or(1, |d| d + 1)
                };
                // Set once, when the qdisc is first met (its plots were just made).
                if run
                    .qdisc_depth
                    .insert((dev.clone(), handle), depth)
                    .is_none()
                {
                    let prefix = format!("tc {name} ");
                    for (key, &i) in &run.index {
                        if key.starts_with(&prefix) {
                            run.plots[i].depth = depth;
                        }
                    }
                }
            }
            "queue_limits" => {
                let name = format!("{} {}", text(e.get("ifname")), text(e.get("queue")));
                add(
                    run,
                    buckets,
                    "Byte queue limits",
                    &text(e.get("ifname")),
                    format!("bql {name}"),
                    &|| format!("{name}: limit and inflight"),
                    "bytes",
                    BQL,
                    t,
                    e,
                );
            }
            "small_queue" => add(
                run,
                buckets,
                "TCP small queue",
                "",
                "small_queue".into(),
                &|| "tcp_limit_output_bytes".to_owned(),
                "bytes",
                SMALL_QUEUE,
                t,
                e,
            ),
            "ss" | "ss_closed" => {
                let (id, _) = socket_name(e);
                if let Some(acked) = number(pointer(e, "tcp_info/bytes_acked")) {
                    let a = activity.entry((run.id.clone(), id)).or_insert(Activity {
                        first: (t, acked),
                        last: (t, acked),
                    });
                    a.last = (t, acked);
                }
                if kind == "ss_closed" {
                    run.closed.push(e.clone());
                }
            }
            _ => {}
        }
    }
}

/// cake's per-tin drops, marks and delays.
fn cake(run: &mut Run, buckets: usize, dev: &str, name: &str, t: f64, e: &Value) {
    let Some(tins) = e.get("tins").and_then(Value::as_array) else {
        return;
    };
    for (tin, tin_value) in tins.iter().enumerate() {
        for (what, title, unit, spec) in [
            ("x", "drops and marks", "/s", CAKE_X),
            ("delay", "delays", "µs", CAKE_DELAY),
        ] {
            add(
                run,
                buckets,
                "Qdiscs",
                dev,
                format!("tc {name} tin{tin} {what}"),
                &|| format!("{name}: tin {tin} {title} (xstats)"),
                unit,
                spec,
                t,
                tin_value,
            );
        }
    }
}

/// Second pass: the chosen sockets' series.
fn sockets(
    run: &mut Run,
    chosen: &HashSet<(String, String)>,
    buckets: usize,
    kind: &str,
    record: &Value,
) {
    let Some(t) = number(record.get("elapsed")) else {
        return;
    };
    for e in elements(record) {
        let (id, name) = socket_name(e);
        if !chosen.contains(&(run.id.clone(), id.clone())) {
            continue;
        }
        let closed = kind == "ss_closed";
        let rates = ss_rates(e);
        for (what, title, unit, spec, value) in [
            ("cwnd", "cwnd", "segments", SS_CWND, e),
            ("rtt", "rtt and rttvar", "µs", SS_RTT, e),
            (
                "rates",
                "delivery and pacing rate",
                "bit/s",
                SS_RATES,
                &rates,
            ),
            ("retrans", "retransmits, unacked", "segments", SS_RETRANS, e),
            ("queues", "send and receive queue", "bytes", SS_QUEUES, e),
        ] {
            add(
                run,
                buckets,
                "Sockets",
                &id,
                format!("ss {id} {what}"),
                &|| format!("{name}: {title}"),
                unit,
                spec,
                t,
                value,
            );
        }
        if closed && let Some(i) = run.index.get(&format!("ss {id} cwnd")).copied() {
            let at = text(e.get("closed_at"));
            let title = &mut run.plots[i].title;
            if !title.contains("(closed") {
                title.push_str(&format!(" (closed at {at}, +{t:.3} s)"));
            }
        }
    }
}
