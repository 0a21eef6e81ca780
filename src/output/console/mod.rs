//! The console: a frame per display interval (1 s by default, every sample when sampling is
//! slower), one table per reader, rates computed over the interval.
//!
//! Sampling and display are apart: per sample the console folds only what a frame needs that
//! the interval's last sample cannot give (the qdiscs' peak backlog and queue length, closed
//! sockets counted); everything else is read once per frame, from the sample that ends the
//! interval, against the readings kept from the sample that ended the previous one. So a frame
//! costs the same at 1000 samples/s as at 1, and nothing is formatted between frames.
//!
//! Two views of the same frames: plain blocks (not a terminal, or `--console plain`) and an
//! in-place, top-like view on a terminal ([`terminal`]) that fits its size, hides idle rows and
//! quits on `q`. Both render a [`frame::Frame`] with the pure [`frame::render`].

use std::collections::HashMap;
use std::io::{self, IsTerminal, Write};
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

mod fields;
pub mod frame;
mod table;
pub mod terminal;

use self::fields::{Flat, Pick};
use self::frame::{Frame, Section};
pub use self::table::{Align, Column, Table, clip, human, human_bytes};
use super::{Output, OutputError};
use crate::clock;
use crate::model::ip::{LinkSample, operstate_name};
use crate::model::ss::address::Inet;
use crate::model::ss::extra::BoundIf;
use crate::model::ss::{Netid, Socket, state_name};
use crate::model::tc::{Qdisc, TC_H_ROOT, format_classid, format_handle};
use crate::model::{Describe, Record, Stats};

/// Sockets listed in a plain frame; the terminal view lists as many as fit.
pub const SS_TOP: usize = 20;

/// How long the console lets samples gather between wake-ups at high rates.
const PACE: Duration = Duration::from_millis(20);

/// Said at the end of the terminal view's first line, when it fits.
const QUIT_HINT: &str = "  (q quits)";

/// Sockets ranked per frame at most (the terminal view shows those that fit).
const SS_RANKED: usize = 200;

/// The counters of the ip table, where the description has them.
const IP_COUNTERS: [&[&str]; 8] = [
    &["stats64", "rx", "bytes"],
    &["stats64", "rx", "packets"],
    &["stats64", "rx", "dropped"],
    &["stats64", "rx", "errors"],
    &["stats64", "tx", "bytes"],
    &["stats64", "tx", "packets"],
    &["stats64", "tx", "dropped"],
    &["stats64", "tx", "errors"],
];

/// The counters of the tc table, where the description has them.
const TC_COUNTERS: [&[&str]; 5] = [
    &["bytes"],
    &["packets"],
    &["drops"],
    &["overlimits"],
    &["requeues"],
];

/// How the console shows its frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// A block of lines per frame, appended; lines fit `width` when one is given.
    Plain {
        /// The width to fit, `None`: as wide as the tables are.
        width: Option<usize>,
    },
    /// One screen redrawn in place; the size is the terminal's, or this one.
    Top {
        /// A fixed size (columns, lines), `None`: ask the terminal each frame.
        size: Option<(usize, usize)>,
    },
}

/// The console's settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// Totals beside the rates.
    pub verbose: bool,
    /// Bold headers (plain view on a terminal).
    pub bold: bool,
    /// Time between frames.
    pub refresh: Duration,
    /// The sampling period; `None` when unknown (a replay): frames then follow the samples'
    /// recorded times, and the last one is shown when the run ends.
    pub period: Option<Duration>,
    /// The last sample of the run, when the run has an end: it always ends a frame.
    pub last_sample: Option<u64>,
    /// Show idle interfaces and qdiscs and sockets without progress too.
    pub all_rows: bool,
    /// Plain or terminal view.
    pub view: View,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            verbose: false,
            bold: false,
            refresh: Duration::from_secs(1),
            period: None,
            last_sample: None,
            all_rows: false,
            view: View::Plain { width: None },
        }
    }
}

/// Readings of counters at one time.
type Reading<const N: usize> = (Duration, [Option<u64>; N]);

/// One interface between frames.
struct LinkEntry {
    name: String,
    state: &'static str,
    /// At the end of the previous frame's interval.
    start: Option<Reading<8>>,
    /// At the last sample read.
    cur: Option<Reading<8>>,
    seen: u64,
}

/// What identifies a qdisc: ifindex, handle, parent.
type QdiscKey = (u32, u32, u32);

/// One qdisc between frames.
struct QdiscEntry {
    dev: String,
    kind: String,
    start: Option<Reading<5>>,
    cur: Option<Reading<5>>,
    backlog: u32,
    qlen: u32,
    seen: u64,
}

/// Counters of a socket that a frame compares.
#[derive(Clone, Copy)]
struct SockCounters {
    bytes: u64,
    retrans: u32,
}

/// The per-reader state kept between frames.
#[derive(Default)]
struct Folds {
    /// Reader kinds in the order they first reported.
    kinds: Vec<&'static str>,
    /// Each reader's element count and partial flag at its last sample read.
    meta: HashMap<&'static str, (usize, bool)>,
    links: HashMap<u32, LinkEntry>,
    link_order: Vec<u32>,
    link_gen: u64,
    qdiscs: HashMap<QdiscKey, QdiscEntry>,
    qdisc_order: Vec<QdiscKey>,
    qdisc_gen: u64,
    /// Peak backlog and queue length per qdisc since the last frame, by position in the dump
    /// (a lookup by key only when the position holds another qdisc).
    peaks: Vec<(QdiscKey, u32, u32)>,
    peak_index: HashMap<QdiscKey, usize>,
    sock_start: HashMap<u64, SockCounters>,
    sock_cur: HashMap<u64, SockCounters>,
    sock_start_at: Option<Duration>,
    sock_cur_at: Option<Duration>,
    ss_section: Option<Section>,
    closed: usize,
    /// Sections of the readers shown as they are (queue_limits, small_queue).
    other: HashMap<&'static str, Section>,
}

/// The console, writing to standard output (or any writer, for tests).
pub struct Console<W = io::Stdout> {
    out: W,
    options: Options,
    folds: Folds,
    pick_ip: Pick<8>,
    pick_tc: Pick<5>,
    flat: Flat,
    /// The sample being given, its wall-clock time and elapsed time.
    sample: Option<(u64, Duration, Duration)>,
    /// Whether this sample is read whole (it ends a frame, or the period is unknown).
    read_whole: bool,
    /// Whether this sample ends a frame.
    ends_frame: bool,
    /// Something was read since the last frame was shown.
    pending: bool,
    first_elapsed: Option<Duration>,
    last_frame_elapsed: Option<Duration>,
    next_due: Duration,
    last_frame: Option<Frame>,
    terminal: Option<terminal::Terminal>,
    /// Set by the terminal when its size changed: the last frame is drawn again.
    resized: Arc<AtomicBool>,
    /// Lines the top view drew last time (cleared when fewer follow).
    drawn: usize,
    /// When the first sample was taken in, and its elapsed time (see [`Console::pace`]).
    anchor: Option<(Instant, Duration)>,
}

impl Console {
    /// A console on standard output. The terminal view takes over the terminal (alternate
    /// screen; `q` sets `stop`, as SIGINT does) until the console is finished or dropped.
    pub fn stdout(mut options: Options, stop: Arc<AtomicBool>) -> io::Result<Console> {
        let out = io::stdout();
        let resized = Arc::new(AtomicBool::new(false));
        let mut terminal = None;
        match options.view {
            View::Top { .. } => {
                terminal = Some(terminal::Terminal::start(stop, Arc::clone(&resized))?);
            }
            View::Plain { .. } => options.bold = out.is_terminal(),
        }
        let mut console = Console::new(out, options);
        console.terminal = terminal;
        console.resized = resized;
        Ok(console)
    }
}

impl<W: Write> Console<W> {
    /// A console on `out`.
    pub fn new(out: W, options: Options) -> Console<W> {
        Console {
            out,
            options,
            folds: Folds::default(),
            pick_ip: Pick::new(IP_COUNTERS),
            pick_tc: Pick::new(TC_COUNTERS),
            flat: Flat::default(),
            sample: None,
            read_whole: false,
            ends_frame: false,
            pending: false,
            first_elapsed: None,
            last_frame_elapsed: None,
            next_due: Duration::ZERO,
            last_frame: None,
            terminal: None,
            resized: Arc::new(AtomicBool::new(false)),
            drawn: 0,
            anchor: None,
        }
    }

    /// The writer, e.g. to read what a test logged.
    pub fn get_ref(&self) -> &W {
        &self.out
    }

    /// The last frame shown.
    pub fn last_frame(&self) -> Option<&Frame> {
        self.last_frame.as_ref()
    }

    /// A new sample begins: decide whether it ends a frame.
    fn begin_sample(&mut self, record: &Record) {
        self.sample = Some((record.sample, record.timestamp, record.elapsed));
        let elapsed = record.elapsed;
        let refresh = self.options.refresh;
        // Half a period of slack, so a sample on schedule is never one period late.
        let slack = self.options.period.map_or(Duration::ZERO, |p| p / 2);
        let every_sample = self.options.period.is_some_and(|p| p + slack >= refresh);
        let first = self.first_elapsed.is_none();
        if first {
            self.first_elapsed = Some(elapsed);
            self.last_frame_elapsed = Some(elapsed);
            self.next_due = elapsed + refresh;
        }
        self.ends_frame = every_sample
            || (!first && elapsed + slack >= self.next_due)
            || self.options.last_sample == Some(record.sample);
        self.read_whole = first || self.ends_frame || self.options.period.is_none();
    }

    fn fold(&mut self, record: &Record) {
        let folds = &mut self.folds;
        if !folds.kinds.contains(&record.kind) {
            folds.kinds.push(record.kind);
        }
        // Per sample: only what the interval's last sample cannot tell.
        match &record.stats {
            Stats::Tc(qdiscs) => fold_peaks(folds, qdiscs),
            Stats::SsClosed(closed) => folds.closed += closed.len(),
            _ => {}
        }
        if !self.read_whole {
            return;
        }
        self.pending = true;
        // (Run headers and summaries never get here: `write` leaves them to the files.)
        self.folds
            .meta
            .insert(record.kind, (record.stats.len(), record.partial));
        match &record.stats {
            Stats::Ip(links) => self.read_links(record.elapsed, links),
            Stats::Tc(qdiscs) => self.read_qdiscs(record.elapsed, qdiscs),
            Stats::Ss(sockets) => self.read_sockets(record, sockets),
            Stats::QueueLimits(queues) => {
                let section = self.generic_table(record.kind, "queues", queues);
                self.folds.other.insert(record.kind, section);
            }
            Stats::SmallQueue(values) => {
                let section = self.generic_lines(record.kind, values);
                self.folds.other.insert(record.kind, section);
            }
            Stats::SsClosed(_) | Stats::Run(_) | Stats::RunSummary(_) => {}
        }
    }

    fn read_links(&mut self, elapsed: Duration, links: &[LinkSample]) {
        let folds = &mut self.folds;
        folds.link_gen += 1;
        folds.link_order.clear();
        for link in links {
            let meta = &*link.link;
            let values = self.pick_ip.values(link).map(|v| v.map(|(_, n)| n));
            let entry = folds
                .links
                .entry(meta.ifindex)
                .or_insert_with(|| LinkEntry {
                    name: String::new(),
                    state: "-",
                    start: None,
                    cur: None,
                    seen: 0,
                });
            if entry.name != meta.ifname {
                entry.name.clone_from(&meta.ifname);
            }
            entry.state = meta.operstate.and_then(operstate_name).unwrap_or("-");
            entry.cur = link.stats64.is_some().then_some((elapsed, values));
            // First seen: the interval starts here.
            if entry.start.is_none() {
                entry.start = entry.cur;
            }
            entry.seen = folds.link_gen;
            folds.link_order.push(meta.ifindex);
        }
        let generation = folds.link_gen;
        folds.links.retain(|_, e| e.seen == generation);
    }

    fn read_qdiscs(&mut self, elapsed: Duration, qdiscs: &[Qdisc]) {
        let folds = &mut self.folds;
        folds.qdisc_gen += 1;
        folds.qdisc_order.clear();
        for q in qdiscs {
            let key = (q.ifindex, q.handle, q.parent);
            // A qdisc without statistics counts zeros, as tc's "Sent 0 bytes" would.
            let values = self
                .pick_tc
                .values(q)
                .map(|v| Some(v.map_or(0, |(_, n)| n)));
            let (backlog, qlen) = q
                .stats
                .as_ref()
                .and_then(|s| s.queue.as_ref())
                .map_or((0, 0), |s| (s.backlog, s.qlen));
            let entry = folds.qdiscs.entry(key).or_insert_with(|| QdiscEntry {
                dev: q.config.dev.to_string(),
                kind: q.config.kind.clone(),
                start: None,
                cur: None,
                backlog: 0,
                qlen: 0,
                seen: 0,
            });
            if entry.kind != q.config.kind {
                entry.kind.clone_from(&q.config.kind);
            }
            if *entry.dev != *q.config.dev {
                entry.dev = q.config.dev.to_string();
            }
            entry.cur = Some((elapsed, values));
            if entry.start.is_none() {
                entry.start = entry.cur;
            }
            entry.backlog = backlog;
            entry.qlen = qlen;
            entry.seen = folds.qdisc_gen;
            folds.qdisc_order.push(key);
        }
        let generation = folds.qdisc_gen;
        folds.qdiscs.retain(|_, e| e.seen == generation);
    }

    /// The sockets ranked by their progress since the previous frame (bytes acknowledged plus
    /// bytes received, per second), the table built now: the sockets are not kept.
    fn read_sockets(&mut self, record: &Record, sockets: &[Socket]) {
        let top_view = matches!(self.options.view, View::Top { .. });
        let all_rows = self.options.all_rows;
        let folds = &mut self.folds;
        folds.sock_cur.clear();
        folds.sock_cur_at = Some(record.elapsed);
        let dt = folds
            .sock_start_at
            .filter(|t0| record.elapsed > *t0)
            .map(|t0| (record.elapsed - t0).as_secs_f64());
        // (bytes moved in the interval, retransmits in the interval, index)
        let mut moved: Vec<(u64, Option<u32>, usize)> = Vec::new();
        let mut idle: Vec<usize> = Vec::new();
        for (i, s) in sockets.iter().enumerate() {
            let now = s.tcp_info.as_ref().and_then(|t| {
                let bytes = t.bytes_acked()?.saturating_add(t.bytes_received()?);
                Some(SockCounters {
                    bytes,
                    retrans: t.total_retrans(),
                })
            });
            let Some(now) = now else {
                idle.push(i);
                continue;
            };
            folds.sock_cur.insert(s.cookie, now);
            if dt.is_none() {
                idle.push(i);
                continue;
            }
            // A socket not seen at the interval's start opened within it: all its bytes are
            // the interval's.
            let before = folds
                .sock_start
                .get(&s.cookie)
                .copied()
                .unwrap_or(SockCounters {
                    bytes: 0,
                    retrans: 0,
                });
            match now.bytes.checked_sub(before.bytes) {
                Some(d) if d > 0 => {
                    moved.push((d, now.retrans.checked_sub(before.retrans), i));
                }
                _ => idle.push(i),
            }
        }
        // The first reading starts the first interval.
        if folds.sock_start_at.is_none() {
            folds.sock_start.clone_from(&folds.sock_cur);
            folds.sock_start_at = Some(record.elapsed);
        }
        let progress = moved.len();
        let limit = if top_view { SS_RANKED } else { SS_TOP };
        if moved.len() > limit {
            moved.select_nth_unstable_by(limit, |a, b| b.0.cmp(&a.0));
            moved.truncate(limit);
        }
        moved.sort_by_key(|m| std::cmp::Reverse(m.0));
        let mut table = Table::new(vec![
            Column::left("local", 0),
            Column::left("peer", 0),
            Column::left("state", 5),
            Column::right("bit/s", 0),
            Column::right("rtt ms", 1),
            Column::right("cwnd", 2),
            Column::right("dlv bit/s", 3),
            Column::right("retr", 1),
            Column::right("unacked", 4),
            Column::right("send-q", 2),
            Column::right("recv-q", 2),
        ]);
        let row = |s: &Socket, rate: Option<f64>, retrans: Option<u32>| -> Vec<String> {
            let t = s.tcp_info.as_ref();
            vec![
                address(&s.local, s.bound_if()),
                address(&s.peer, None),
                state_name(s.state).to_owned(),
                rate.map_or("-".into(), human),
                t.map_or("-".into(), |t| {
                    format!("{:.3}", f64::from(t.rtt()) / 1000.0)
                }),
                t.map_or("-".into(), |t| t.snd_cwnd().to_string()),
                t.map_or("-".into(), |t| human(t.delivery_rate() as f64 * 8.0)),
                retrans.map_or("-".into(), |r| r.to_string()),
                t.map_or("-".into(), |t| t.unacked().to_string()),
                human_bytes(f64::from(s.send_q)),
                human_bytes(f64::from(s.recv_q)),
            ]
        };
        for (bytes, retrans, i) in &moved {
            let rate = dt.map(|dt| *bytes as f64 * 8.0 / dt);
            table.row(row(&sockets[*i], rate, *retrans));
        }
        let mut left_out = progress - moved.len();
        if all_rows {
            // The others after them, by queued bytes.
            let queued = |i: &usize| {
                let s = &sockets[*i];
                u64::from(s.send_q) + u64::from(s.recv_q)
            };
            idle.sort_by_key(|i| std::cmp::Reverse(queued(i)));
            let room = limit.saturating_sub(table.rows.len());
            left_out += idle.len().saturating_sub(room);
            for i in idle.iter().take(room) {
                table.row(row(&sockets[*i], dt.map(|_| 0.0), None));
            }
        }
        let tcp = sockets.iter().filter(|s| s.netid == Netid::Tcp).count();
        let recv_q: u64 = sockets.iter().map(|s| u64::from(s.recv_q)).sum();
        let send_q: u64 = sockets.iter().map(|s| u64::from(s.send_q)).sum();
        let partial = if record.partial { " (partial)" } else { "" };
        let moving = match dt {
            Some(_) => format!("{progress} moving data"),
            None => "rates from the next frame".to_owned(),
        };
        let title = format!(
            "ss: {} (tcp {tcp}, udp {}){partial}, {moving}; recv-q {}, send-q {}",
            crate::count(sockets.len() as u64, "socket"),
            sockets.len() - tcp,
            human_bytes(recv_q as f64),
            human_bytes(send_q as f64),
        );
        folds.ss_section = Some(Section {
            title,
            table: (!table.rows.is_empty()).then_some(table),
            more_what: "moving less; every socket is in the JSON",
            left_out: if progress > 0 || all_rows {
                left_out
            } else {
                0
            },
        });
    }

    /// A table of any record type, from its description: one row per element, one column per
    /// top-level field in the order the description gives them (the later, the sooner dropped
    /// when narrow).
    fn generic_table<D: Describe>(&mut self, kind: &str, unit: &str, elements: &[D]) -> Section {
        let rows: Vec<Vec<(String, String)>> = elements
            .iter()
            .map(|e| {
                self.flat
                    .read(e)
                    .iter()
                    .map(|(k, _, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .collect();
        // Columns: every key seen, in the order the elements report them.
        let mut keys: Vec<&str> = Vec::new();
        for row in &rows {
            for (k, _) in row {
                if !keys.contains(&k.as_str()) {
                    keys.push(k);
                }
            }
        }
        // The interface column is "iface" in every table.
        let columns = keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let header = if *k == "ifname" { "iface" } else { k };
                let priority = u8::try_from(i.saturating_sub(1)).unwrap_or(u8::MAX);
                if i == 0 {
                    Column::left(header, 0)
                } else {
                    Column::right(header, priority)
                }
            })
            .collect();
        let mut table = Table::new(columns);
        for row in &rows {
            table.row(
                keys.iter()
                    .map(|k| {
                        row.iter()
                            .find(|(rk, _)| rk == k)
                            .map_or_else(|| "-".to_owned(), |(_, v)| v.clone())
                    })
                    .collect(),
            );
        }
        Section {
            title: format!("{kind}: {} {unit}", elements.len()),
            table: (!table.rows.is_empty()).then_some(table),
            more_what: "",
            left_out: 0,
        }
    }

    /// One line per element: `kind: key value …`, from the description.
    fn generic_lines<D: Describe>(&mut self, kind: &str, elements: &[D]) -> Section {
        let mut title = String::new();
        for (n, e) in elements.iter().enumerate() {
            if n > 0 {
                title.push_str("; ");
            }
            title.push_str(kind);
            title.push(':');
            for (k, _, v) in self.flat.read(e) {
                title.push(' ');
                title.push_str(k);
                title.push(' ');
                title.push_str(v);
            }
        }
        Section {
            title,
            table: None,
            more_what: "",
            left_out: 0,
        }
    }

    /// The frame of the interval that ends now; the interval's end becomes the next one's
    /// start.
    fn make_frame(&mut self) -> Frame {
        let (sample, timestamp, elapsed) = self.sample.unwrap_or_default();
        let interval = self
            .last_frame_elapsed
            .map_or(Duration::ZERO, |t| elapsed.saturating_sub(t));
        let header = format!(
            "sample {sample}  {}  +{:.3}s  interval {:.3}s",
            clock::format_local(timestamp),
            elapsed.as_secs_f64(),
            interval.as_secs_f64()
        );
        let hide_idle = matches!(self.options.view, View::Top { .. }) && !self.options.all_rows;
        let kinds = self.folds.kinds.clone();
        let mut sections = Vec::new();
        for kind in kinds {
            let (count, partial) = self.folds.meta.get(kind).copied().unwrap_or_default();
            let partial = if partial { " (partial)" } else { "" };
            match kind {
                "ip" => sections.push(self.ip_section(count, partial, hide_idle)),
                "tc" => sections.push(self.tc_section(count, partial, hide_idle)),
                "ss" => {
                    if let Some(s) = self.folds.ss_section.take() {
                        sections.push(s);
                    }
                    std::mem::swap(&mut self.folds.sock_start, &mut self.folds.sock_cur);
                    self.folds.sock_start_at = self.folds.sock_cur_at;
                }
                "ss_closed" => {
                    sections.push(Section {
                        title: format!(
                            "ss_closed: {} closed in the interval",
                            crate::count(self.folds.closed as u64, "socket")
                        ),
                        table: None,
                        more_what: "",
                        left_out: 0,
                    });
                    self.folds.closed = 0;
                }
                other => {
                    if let Some(s) = self.folds.other.get(other) {
                        sections.push(s.clone());
                    }
                }
            }
        }
        for peak in &mut self.folds.peaks {
            peak.1 = 0;
            peak.2 = 0;
        }
        self.last_frame_elapsed = Some(elapsed);
        Frame { header, sections }
    }

    fn ip_section(&mut self, count: usize, partial: &str, hide_idle: bool) -> Section {
        let verbose = self.options.verbose;
        let mut columns = vec![
            Column::left("iface", 0),
            Column::left("state", 3),
            Column::right("rx bit/s", 0),
            Column::right("rx pkt/s", 1),
            Column::right("rx drop/s", 2),
            Column::right("rx err/s", 3),
            Column::right("tx bit/s", 0),
            Column::right("tx pkt/s", 1),
            Column::right("tx drop/s", 2),
            Column::right("tx err/s", 3),
        ];
        if verbose {
            columns.push(Column::right("rx total", 4));
            columns.push(Column::right("tx total", 4));
        }
        let mut table = Table::new(columns);
        let mut hidden = 0;
        let mut active = 0;
        for ifindex in &self.folds.link_order {
            let Some(e) = self.folds.links.get_mut(ifindex) else {
                continue;
            };
            let deltas = interval_deltas(e.start.as_ref(), e.cur.as_ref());
            let idle = deltas
                .as_ref()
                .is_some_and(|(_, d)| [0, 1, 4, 5].iter().all(|&i| d[i] == Some(0)));
            if !idle && deltas.is_some() {
                active += 1;
            }
            if e.cur.is_some() {
                e.start = e.cur;
            }
            if idle && hide_idle {
                hidden += 1;
                continue;
            }
            let mut row = vec![e.name.clone(), e.state.to_owned()];
            for (i, scale) in [8.0, 1.0, 1.0, 1.0, 8.0, 1.0, 1.0, 1.0].iter().enumerate() {
                row.push(match &deltas {
                    Some((dt, d)) => d[i].map_or("-".into(), |v| human(v as f64 * scale / dt)),
                    None => "-".into(),
                });
            }
            if verbose {
                for i in [0, 4] {
                    row.push(
                        e.cur
                            .and_then(|(_, v)| v[i])
                            .map_or("-".into(), |v| human_bytes(v as f64)),
                    );
                }
            }
            table.row(row);
        }
        let title = format!(
            "ip: {}{partial}, {active} with traffic",
            crate::count(count as u64, "interface")
        );
        Section {
            title,
            table: (!table.rows.is_empty()).then_some(table),
            more_what: "idle interfaces; --all-rows shows them",
            left_out: hidden,
        }
    }

    fn tc_section(&mut self, count: usize, partial: &str, hide_idle: bool) -> Section {
        let verbose = self.options.verbose;
        let mut columns = vec![
            Column::left("dev", 0),
            Column::left("qdisc", 0),
            Column::left("handle", 3),
            Column::left("parent", 4),
            Column::right("bit/s", 0),
            Column::right("pkt/s", 1),
            Column::right("drop/s", 1),
            Column::right("overlim/s", 3),
            Column::right("requeue/s", 4),
            Column::right("backlog", 2),
            Column::right("max backlog", 1),
            Column::right("qlen", 3),
            Column::right("max qlen", 2),
        ];
        if verbose {
            columns.push(Column::right("sent", 5));
            columns.push(Column::right("sent pkts", 5));
        }
        let mut table = Table::new(columns);
        let mut hidden = 0;
        let mut active = 0;
        let folds = &mut self.folds;
        for (key, depth) in tree_order(&folds.qdisc_order) {
            let peak = folds
                .peak_index
                .get(&key)
                .and_then(|&i| folds.peaks.get(i))
                .map_or((0, 0), |p| (p.1, p.2));
            let Some(e) = folds.qdiscs.get_mut(&key) else {
                continue;
            };
            let deltas = interval_deltas(e.start.as_ref(), e.cur.as_ref());
            let peak = (peak.0.max(e.backlog), peak.1.max(e.qlen));
            let idle = deltas
                .as_ref()
                .is_some_and(|(_, d)| d[0] == Some(0) && d[2] == Some(0) && peak == (0, 0));
            if !idle && deltas.is_some() {
                active += 1;
            }
            if e.cur.is_some() {
                e.start = e.cur;
            }
            if idle && hide_idle {
                hidden += 1;
                continue;
            }
            let (_, handle, parent) = key;
            let rate = |i: usize, scale: f64| match &deltas {
                Some((dt, d)) => d[i].map_or("-".into(), |v| human(v as f64 * scale / dt)),
                None => "-".into(),
            };
            let mut row = vec![
                e.dev.clone(),
                format!("{:width$}{}", "", e.kind, width = 2 * depth),
                format_handle(handle),
                match parent {
                    TC_H_ROOT => "root".to_owned(),
                    p => format_classid(p),
                },
                rate(0, 8.0),
                rate(1, 1.0),
                rate(2, 1.0),
                rate(3, 1.0),
                rate(4, 1.0),
                human_bytes(f64::from(e.backlog)),
                human_bytes(f64::from(peak.0)),
                e.qlen.to_string(),
                peak.1.to_string(),
            ];
            if verbose {
                let total = |i: usize| e.cur.and_then(|(_, v)| v[i]).unwrap_or(0) as f64;
                row.push(human_bytes(total(0)));
                row.push(human(total(1)));
            }
            table.row(row);
        }
        let title = format!(
            "tc: {}{partial}, {active} busy",
            crate::count(count as u64, "qdisc")
        );
        Section {
            title,
            table: (!table.rows.is_empty()).then_some(table),
            more_what: "idle qdiscs; --all-rows shows them",
            left_out: hidden,
        }
    }

    /// Show a frame: the plain view appends it, the terminal view draws it over the last one.
    fn show(&mut self, frame: &Frame) -> io::Result<()> {
        match self.options.view {
            View::Plain { width } => {
                let lines = frame::render(frame, width.unwrap_or(usize::MAX), None);
                let mut block = String::new();
                for (i, line) in lines.iter().enumerate() {
                    if i == 0 && self.options.bold {
                        block.push_str("\x1b[1m");
                        block.push_str(line);
                        block.push_str("\x1b[0m");
                    } else {
                        block.push_str(line);
                    }
                    block.push('\n');
                }
                block.push('\n');
                self.out.write_all(block.as_bytes())?;
                self.out.flush()
            }
            View::Top { size } => {
                let (width, height) = size.unwrap_or_else(terminal::size);
                let mut lines = frame::render(frame, width, Some(height));
                if let Some(header) = lines.first_mut()
                    && header.chars().count() + QUIT_HINT.len() <= width
                {
                    header.push_str(QUIT_HINT);
                }
                terminal::draw(&mut self.out, &lines, &mut self.drawn)?;
                self.out.flush()
            }
        }
    }

    fn emit(&mut self) -> Result<(), OutputError> {
        let frame = self.make_frame();
        self.pending = false;
        let result = self.show(&frame);
        self.last_frame = Some(frame);
        result.map_err(stdout_error)
    }

    /// At high sampling rates, let samples gather in the console's queue between wake-ups:
    /// once the console has caught up with the sampler, it sleeps [`PACE`] and then takes the
    /// samples queued meanwhile in one go, instead of being woken for each one. Its queue holds
    /// far more than that, so sampling is never delayed; frames are at most [`PACE`] late.
    fn pace(&mut self) {
        let (Some(period), Some((_, _, elapsed))) = (self.options.period, self.sample) else {
            return;
        };
        if period * 4 > PACE {
            return;
        }
        let now = Instant::now();
        let (t0, e0) = *self.anchor.get_or_insert((now, elapsed));
        let behind = now
            .duration_since(t0)
            .saturating_sub(elapsed.saturating_sub(e0));
        if behind < PACE {
            std::thread::sleep(PACE);
        }
    }

    /// The terminal's size changed: draw the last frame again at the new size.
    fn redraw_if_resized(&mut self) -> Result<(), OutputError> {
        if self.resized.swap(false, Ordering::Relaxed)
            && let Some(frame) = self.last_frame.take()
        {
            let result = self.show(&frame);
            self.last_frame = Some(frame);
            result.map_err(stdout_error)?;
        }
        Ok(())
    }
}

fn stdout_error(e: io::Error) -> OutputError {
    match e.kind() {
        io::ErrorKind::BrokenPipe => OutputError::Closed,
        _ => OutputError::Stdout(e),
    }
}

/// Record the peak backlog and queue length of each qdisc of this sample.
fn fold_peaks(folds: &mut Folds, qdiscs: &[Qdisc]) {
    for (i, q) in qdiscs.iter().enumerate() {
        let key = (q.ifindex, q.handle, q.parent);
        let (backlog, qlen) = q
            .stats
            .as_ref()
            .and_then(|s| s.queue.as_ref())
            .map_or((0, 0), |s| (s.backlog, s.qlen));
        let slot = match folds.peaks.get(i) {
            Some(p) if p.0 == key => i,
            _ => match folds.peak_index.get(&key) {
                Some(&j) => j,
                None => {
                    folds.peaks.push((key, 0, 0));
                    let j = folds.peaks.len() - 1;
                    folds.peak_index.insert(key, j);
                    j
                }
            },
        };
        if let Some(p) = folds.peaks.get_mut(slot) {
            p.1 = p.1.max(backlog);
            p.2 = p.2.max(qlen);
        }
    }
    // Qdiscs that went away would make the list grow without bound over a long run.
    if folds.peaks.len() > 4 * qdiscs.len() + 64 {
        folds.peaks.retain(|p| {
            qdiscs
                .iter()
                .any(|q| (q.ifindex, q.handle, q.parent) == p.0)
        });
        folds.peak_index = folds
            .peaks
            .iter()
            .enumerate()
            .map(|(i, p)| (p.0, i))
            .collect();
    }
}

/// The interval's length in seconds and each counter's increase; `None` for a counter that
/// went down (the device was re-created) or is missing, and no deltas without two readings.
fn interval_deltas<const N: usize>(
    start: Option<&Reading<N>>,
    cur: Option<&Reading<N>>,
) -> Option<(f64, [Option<u64>; N])> {
    let (t0, before) = start?;
    let (t1, now) = cur?;
    if t1 <= t0 {
        return None;
    }
    let dt = (*t1 - *t0).as_secs_f64();
    let mut d = [None; N];
    for i in 0..N {
        d[i] = match (now[i], before[i]) {
            (Some(n), Some(b)) => n.checked_sub(b),
            _ => None,
        };
    }
    Some((dt, d))
}

/// The qdiscs in tree order, per device in the order the dump gave the devices: each root,
/// then the qdiscs attached to its classes, depth first, with their depth.
fn tree_order(keys: &[QdiscKey]) -> Vec<(QdiscKey, usize)> {
    let mut out = Vec::with_capacity(keys.len());
    let mut placed = vec![false; keys.len()];
    // A qdisc's parent qdisc: the one of the same device whose handle's major number is the
    // parent class's.
    let parent_of = |k: &QdiscKey| -> Option<usize> {
        if k.2 == TC_H_ROOT {
            return None;
        }
        keys.iter()
            .position(|p| p.0 == k.0 && p.1 >> 16 == k.2 >> 16 && p.1 != k.1 && p.1 != 0)
    };
    let parents: Vec<Option<usize>> = keys.iter().map(parent_of).collect();
    fn visit(
        i: usize,
        depth: usize,
        keys: &[QdiscKey],
        parents: &[Option<usize>],
        placed: &mut [bool],
        out: &mut Vec<(QdiscKey, usize)>,
    ) {
        if placed[i] {
            return;
        }
        placed[i] = true;
        out.push((keys[i], depth));
        for j in 0..keys.len() {
            if parents[j] == Some(i) {
                visit(j, depth + 1, keys, parents, placed, out);
            }
        }
    }
    for i in 0..keys.len() {
        if parents[i].is_none() {
            visit(i, 0, keys, &parents, &mut placed, &mut out);
        }
    }
    // Whatever a cycle left out (a kernel would not send one), in dump order.
    for i in 0..keys.len() {
        if !placed[i] {
            placed[i] = true;
            out.push((keys[i], 0));
        }
    }
    out
}

/// As ss writes addresses: IPv6 in brackets, both as `inet_ntop` formats them, and the
/// interface a socket is bound to after the local address (`10.0.0.1%eth0:22`).
fn address((ip, port): &(IpAddr, u16), bound: Option<&BoundIf>) -> String {
    let scope = bound.map_or(String::new(), |b| match &b.name {
        Some(n) => format!("%{}", n.name),
        None => format!("%if{}", b.ifindex),
    });
    match ip {
        IpAddr::V6(_) => format!("[{}]{scope}:{port}", Inet(*ip)),
        IpAddr::V4(v4) => format!("{v4}{scope}:{port}"),
    }
}

impl<W: Write + Send> Output for Console<W> {
    fn name(&self) -> &'static str {
        "console"
    }

    fn write(&mut self, record: &Record) -> Result<(), OutputError> {
        // The run's header and summary are for files; the console shows samples.
        if matches!(record.stats, Stats::Run(_) | Stats::RunSummary(_)) {
            return Ok(());
        }
        if self.sample.map(|s| s.0) != Some(record.sample) {
            self.begin_sample(record);
        }
        self.fold(record);
        Ok(())
    }

    fn end_sample(&mut self) -> Result<(), OutputError> {
        self.pace();
        self.redraw_if_resized()?;
        if !self.ends_frame || !self.pending {
            return Ok(());
        }
        self.ends_frame = false;
        if let Some((_, _, elapsed)) = self.sample {
            while self.next_due <= elapsed + self.options.period.map_or(Duration::ZERO, |p| p / 2) {
                self.next_due += self.options.refresh;
            }
        }
        self.emit()
    }

    fn tick(&mut self) -> Result<(), OutputError> {
        self.redraw_if_resized()
    }

    fn finish(&mut self) -> Result<(), OutputError> {
        // A replay's last samples, read whole, end the last frame.
        let result = if self.pending && self.options.period.is_none() {
            self.emit()
        } else {
            Ok(())
        };
        let mut flushed = self.out.flush().map_err(stdout_error);
        if let Some(terminal) = self.terminal.take() {
            terminal.restore();
            // The last frame stays on the terminal once its alternate screen is gone.
            if let (Some(frame), View::Top { size }) = (&self.last_frame, self.options.view) {
                let (width, height) = size.unwrap_or_else(terminal::size);
                let mut text = frame::render(frame, width, Some(height)).join("\n");
                text.push('\n');
                flushed = flushed.and(
                    self.out
                        .write_all(text.as_bytes())
                        .and_then(|()| self.out.flush())
                        .map_err(stdout_error),
                );
            }
        }
        result.and(flushed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ip::{LinkMeta, LinkStats64};
    use crate::model::ss::tcp_info::TcpInfo;
    use crate::model::tc::{Basic, Fields, QdiscConfig, QdiscStats, Queue};
    use std::net::Ipv4Addr;

    fn record(sample: u64, elapsed: Duration, stats: Stats) -> Record {
        Record {
            kind: match &stats {
                Stats::Ip(_) => "ip",
                Stats::Tc(_) => "tc",
                _ => "ss",
            },
            run: "".into(),
            sample,
            timestamp: Duration::from_secs(1_700_000_000) + elapsed,
            elapsed,
            partial: false,
            stats,
        }
    }

    fn link(rx_bytes: u64) -> Stats {
        Stats::Ip(vec![LinkSample {
            link: Arc::new(LinkMeta {
                ifindex: 2,
                ifname: "veth0".into(),
                operstate: Some(6),
                ..Default::default()
            }),
            stats64: Some(LinkStats64 {
                rx_bytes,
                rx_packets: rx_bytes / 1000,
                ..Default::default()
            }),
        }])
    }

    fn text(c: &Console<Vec<u8>>) -> String {
        String::from_utf8(c.get_ref().clone()).expect("utf8")
    }

    /// The value of `column` in the row starting with `name`, in a plain block (headers are
    /// two spaces apart at least, cells are single words).
    fn cell(block: &str, name: &str, column: &str) -> Option<String> {
        let header = block.lines().find(|l| l.contains(column))?;
        let col = header
            .split("  ")
            .filter(|h| !h.trim().is_empty())
            .position(|h| h.trim() == column)?;
        let row = block.lines().find(|l| l.starts_with(name))?;
        row.split_whitespace().nth(col).map(str::to_owned)
    }

    #[test]
    fn frames_follow_the_refresh_with_rates_over_the_interval() {
        // 100 samples/s for 2.5 s, 1000 bytes more per sample: 800 kbit/s, 100 packets/s.
        let mut c = Console::new(
            Vec::new(),
            Options {
                period: Some(Duration::from_millis(10)),
                last_sample: Some(249),
                ..Options::default()
            },
        );
        for k in 0..250u64 {
            // And a burst of 1 MB (1000 packets) at sample 150, in the second frame's interval.
            let burst = if k >= 150 { 1_000_000 } else { 0 };
            c.write(&record(
                k,
                Duration::from_millis(10 * k),
                link(5000 + 1000 * k + burst),
            ))
            .expect("write");
            c.end_sample().expect("end");
        }
        c.finish().expect("finish");
        let out = text(&c);
        let blocks: Vec<&str> = out.split("\n\n").filter(|b| !b.is_empty()).collect();
        let heads: Vec<&str> = blocks
            .iter()
            .map(|b| b.split("  ").next().unwrap_or(""))
            .collect();
        assert_eq!(heads, ["sample 100", "sample 200", "sample 249"], "{out}");
        // Each frame: (bytes, packets) moved in its interval / its length.
        let want = [("800k", "100"), ("8.80M", "1.10k"), ("800k", "100")];
        for (block, (bits, packets)) in blocks.iter().zip(want) {
            assert_eq!(
                cell(block, "veth0", "rx bit/s").as_deref(),
                Some(bits),
                "{block}"
            );
            assert_eq!(
                cell(block, "veth0", "rx pkt/s").as_deref(),
                Some(packets),
                "{block}"
            );
        }
        assert!(blocks[2].contains("interval 0.490s"), "{}", blocks[2]);
    }

    #[test]
    fn sampling_slower_than_the_refresh_shows_every_sample() {
        let mut c = Console::new(
            Vec::new(),
            Options {
                period: Some(Duration::from_secs(1)),
                last_sample: Some(9),
                ..Options::default()
            },
        );
        for k in 0..10u64 {
            c.write(&record(k, Duration::from_secs(k), link(1000 * k)))
                .expect("write");
            c.end_sample().expect("end");
        }
        c.finish().expect("finish");
        let out = text(&c);
        let blocks: Vec<&str> = out.split("\n\n").filter(|b| !b.is_empty()).collect();
        assert_eq!(blocks.len(), 10, "{out}");
        // The same columns from the first frame on; rates once there are two samples.
        for (k, block) in blocks.iter().enumerate() {
            let rate = cell(block, "veth0", "rx bit/s");
            let want = if k == 0 { "-" } else { "8.00k" };
            assert_eq!(rate.as_deref(), Some(want), "{block}");
        }
    }

    fn qdisc(handle: u32, parent: u32, kind: &str, bytes: u64, backlog: u32) -> Qdisc {
        Qdisc {
            ifindex: 2,
            handle,
            parent,
            refcnt: 1,
            offloaded: false,
            ingress_block: 0,
            egress_block: 0,
            config: Arc::new(QdiscConfig {
                dev: "veth0".into(),
                dev_bytes: None,
                kind: kind.into(),
                options: Fields::new(),
                options_raw: None,
            }),
            stats: Some(QdiscStats {
                basic: Some(Basic {
                    bytes,
                    packets: bytes / 100,
                }),
                queue: Some(Queue {
                    qlen: backlog / 100,
                    backlog,
                    ..Default::default()
                }),
                ..Default::default()
            }),
            xstats: None,
        }
    }

    #[test]
    fn qdiscs_show_the_peak_backlog_of_the_interval_as_a_tree() {
        let mut c = Console::new(
            Vec::new(),
            Options {
                period: Some(Duration::from_millis(100)),
                last_sample: Some(10),
                view: View::Top {
                    size: Some((200, 40)),
                },
                ..Options::default()
            },
        );
        for k in 0..11u64 {
            // A burst of 7000 bytes queued at sample 4 only; the idle root of another device.
            let backlog = if k == 4 { 7000 } else { 0 };
            let mut idle = qdisc(0, TC_H_ROOT, "noqueue", 0, 0);
            idle.ifindex = 3;
            let qdiscs = vec![
                qdisc(0x10000, TC_H_ROOT, "htb", 1000 * k, backlog),
                idle,
                qdisc(0x100000, 0x10001, "fq_codel", 1000 * k, backlog),
            ];
            c.write(&record(
                k,
                Duration::from_millis(100 * k),
                Stats::Tc(qdiscs),
            ))
            .expect("write");
            c.end_sample().expect("end");
        }
        let frame = c.last_frame().expect("a frame");
        let lines = frame::render(frame, 200, Some(40));
        let row = |kind: &str| {
            lines
                .iter()
                .find(|l| l.split_whitespace().nth(1) == Some(kind))
                .cloned()
                .unwrap_or_default()
        };
        let htb = row("htb");
        let fq = lines
            .iter()
            .position(|l| l.contains("fq_codel"))
            .expect("fq_codel");
        let htb_at = lines.iter().position(|l| l.contains("htb")).expect("htb");
        assert_eq!(fq, htb_at + 1, "the child follows its parent: {lines:#?}");
        assert!(lines[fq].contains("veth0     fq_codel") || lines[fq].contains("  fq_codel"));
        // 1000 bytes per 100 ms: 80 kbit/s; backlog now 0, at most 7000 bytes (6.84 KiB).
        assert!(htb.contains(" 80.0k "), "{htb}");
        assert!(htb.contains(" 0B ") && htb.contains("6.84KiB"), "{htb}");
        assert!(
            !lines.iter().any(|l| l.contains("noqueue")),
            "idle rows hidden in the terminal view: {lines:#?}"
        );
        assert!(lines.iter().any(|l| l.starts_with("… 1 more (idle qdiscs")));
    }

    /// A TCP socket with `acked` bytes acknowledged and `received` bytes received.
    fn socket(port: u16, acked: u64, received: u64) -> Socket {
        let mut raw = vec![0u8; 232];
        raw[120..128].copy_from_slice(&acked.to_ne_bytes());
        raw[128..136].copy_from_slice(&received.to_ne_bytes());
        // A delivery rate far above any real one, as an idle loopback connection reports.
        raw[160..168].copy_from_slice(&55_500_000_000u64.to_ne_bytes());
        Socket {
            netid: Netid::Tcp,
            state: 1,
            recv_q: 0,
            send_q: 0,
            local: (IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)), port),
            peer: (IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)), 5201),
            uid: 0,
            inode: 0,
            cookie: u64::from(port),
            timer: None,
            skmem: None,
            cong: None,
            tcp_info: Some(TcpInfo::decode(&raw)),
            cc_info: None,
            extra: None,
        }
    }

    #[test]
    fn sockets_are_ranked_by_bytes_moved_in_the_interval() {
        let mut c = Console::new(
            Vec::new(),
            Options {
                period: Some(Duration::from_millis(500)),
                last_sample: Some(2),
                ..Options::default()
            },
        );
        for k in 0..3u64 {
            // 300 idle sockets with large lifetime totals, and four moving 1, 2, 3 and 4 MB
            // per sample.
            let mut sockets: Vec<Socket> = (0..300)
                .map(|i| socket(20_000 + i, 1 << 40, 1 << 30))
                .collect();
            for (n, port) in [(1u64, 1001), (2, 1002), (3, 1003), (4, 1004)] {
                sockets.insert(
                    usize::from(port - 1000) * 50,
                    socket(port, n * 1_000_000 * k, 1000 * k),
                );
            }
            c.write(&record(
                k,
                Duration::from_millis(500 * k),
                Stats::Ss(sockets),
            ))
            .expect("write");
            c.end_sample().expect("end");
        }
        let out = text(&c);
        let last = out
            .split("\n\n")
            .filter(|b| !b.is_empty())
            .last()
            .expect("block");
        let ports: Vec<&str> = last
            .lines()
            .filter(|l| l.starts_with("10.0.0.1:"))
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        assert_eq!(
            ports,
            [
                "10.0.0.1:1004",
                "10.0.0.1:1003",
                "10.0.0.1:1002",
                "10.0.0.1:1001"
            ],
            "{last}"
        );
        // (4 MB + 1 kB) per sample of 0.5 s in the last frame's interval (one sample).
        let top = last
            .lines()
            .find(|l| l.starts_with("10.0.0.1:1004"))
            .expect("row");
        let want = human((4_000_000.0 + 1000.0) * 8.0 / 0.5);
        assert!(top.contains(&format!(" {want} ")), "{want}: {top}");
        assert!(last.contains("4 moving data"), "{last}");
    }

    #[test]
    fn no_line_exceeds_the_width_or_the_height() {
        let mut c = Console::new(
            Vec::new(),
            Options {
                period: Some(Duration::from_millis(500)),
                last_sample: Some(1),
                all_rows: true,
                ..Options::default()
            },
        );
        for k in 0..2u64 {
            let sockets: Vec<Socket> = (0..50)
                .map(|i| socket(i, 1000 * k * u64::from(i), 0))
                .collect();
            c.write(&record(k, Duration::from_millis(500 * k), link(1000 * k)))
                .expect("write");
            let qdiscs = vec![qdisc(0x10000, TC_H_ROOT, "htb", 1000 * k, 0)];
            c.write(&record(
                k,
                Duration::from_millis(500 * k),
                Stats::Tc(qdiscs),
            ))
            .expect("write");
            c.write(&record(
                k,
                Duration::from_millis(500 * k),
                Stats::Ss(sockets),
            ))
            .expect("write");
            c.end_sample().expect("end");
        }
        let frame = c.last_frame().expect("frame").clone();
        for width in 1..=220 {
            for height in [1, 3, 8, 24, 40, 80] {
                let lines = frame::render(&frame, width, Some(height));
                assert!(lines.len() <= height, "{width}x{height}: {lines:#?}");
                for line in &lines {
                    assert!(line.chars().count() <= width, "{width}: {line:?}");
                }
            }
            for line in frame::render(&frame, width, None) {
                assert!(line.chars().count() <= width, "{width}: {line:?}");
            }
        }
        // Tall enough, every section's table is there.
        let lines = frame::render(&frame, 200, Some(80));
        for title in ["ip: ", "tc: ", "ss: "] {
            assert!(lines.iter().any(|l| l.starts_with(title)), "{lines:#?}");
        }
    }

    #[test]
    fn bound_sockets_show_their_interface_as_ss_does() {
        use crate::model::ss::extra::IfName;
        use std::net::Ipv6Addr;
        let v0 = BoundIf {
            ifindex: 3,
            name: Some(IfName {
                name: "v0".into(),
                bytes: None,
            }),
        };
        let unnamed = BoundIf {
            ifindex: 7,
            name: None,
        };
        let v4 = (IpAddr::V4(Ipv4Addr::new(10, 50, 0, 1)), 43944);
        let v6 = (
            IpAddr::V6(Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 1)),
            43944,
        );
        assert_eq!(address(&v4, Some(&v0)), "10.50.0.1%v0:43944");
        assert_eq!(address(&v6, Some(&unnamed)), "[fe80::1]%if7:43944");
        assert_eq!(address(&v4, None), "10.50.0.1:43944");
    }

    #[test]
    fn broken_pipe_is_closed() {
        struct Closed;
        impl Write for Closed {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut c = Console::new(
            Closed,
            Options {
                period: Some(Duration::from_secs(1)),
                ..Options::default()
            },
        );
        c.write(&record(0, Duration::ZERO, link(1))).expect("log");
        assert!(matches!(c.end_sample(), Err(OutputError::Closed)));
    }
}
