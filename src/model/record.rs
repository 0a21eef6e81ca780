//! The record: one reader's statistics of one sample, in the envelope every output shares.

use std::sync::Arc;
use std::time::Duration;

use super::describe::{Describe, Field, Unit, Visitor};
use super::ip::LinkSample;
use super::queue_limits::QueueLimits;
use super::run::{RunInfo, RunSummary};
use super::small_queue::SmallQueue;
use super::ss::Socket;
use super::ss_closed::ClosedSocket;
use super::tc::Qdisc;

/// Statistics of one reader for one sample, typed per reader.
#[derive(Debug, Clone)]
pub enum Stats {
    /// `ip`: one element per interface.
    Ip(Vec<LinkSample>),
    /// `tc`: one element per qdisc.
    Tc(Vec<Qdisc>),
    /// `ss`: one element per socket.
    Ss(Vec<Socket>),
    /// `ss_closed`: one element per socket that closed since the previous sample.
    SsClosed(Vec<ClosedSocket>),
    /// `queue_limits`: one element per transmit queue with byte queue limits.
    QueueLimits(Vec<QueueLimits>),
    /// `small_queue`: one element.
    SmallQueue(Vec<SmallQueue>),
    /// `run`: the run's header, written before its first sample.
    Run(Box<RunInfo>),
    /// `run_summary`: what became of the run, written after its last sample.
    RunSummary(Box<RunSummary>),
}

impl Stats {
    /// Number of elements (interfaces, qdiscs, sockets, …).
    pub fn len(&self) -> usize {
        match self {
            Stats::Ip(v) => v.len(),
            Stats::Tc(v) => v.len(),
            Stats::Ss(v) => v.len(),
            Stats::SsClosed(v) => v.len(),
            Stats::QueueLimits(v) => v.len(),
            Stats::SmallQueue(v) => v.len(),
            Stats::Run(_) | Stats::RunSummary(_) => 1,
        }
    }

    /// True when there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Approximate memory the elements hold, for bounding what waits to be written.
    pub fn approx_bytes(&self) -> usize {
        fn of<T>(v: &[T]) -> usize {
            std::mem::size_of_val(v)
        }
        match self {
            Stats::Ip(v) => of(v),
            // Options are shared between samples; xstats are each sample's own.
            Stats::Tc(v) => of(v) + v.iter().map(|q| q.xstats_bytes()).sum::<usize>(),
            Stats::Ss(v) => of(v),
            Stats::SsClosed(v) => of(v),
            Stats::QueueLimits(v) => v.iter().map(|q| 48 + 24 * q.values.len()).sum(),
            Stats::SmallQueue(v) => of(v),
            Stats::Run(_) | Stats::RunSummary(_) => 1024,
        }
    }
}

impl Describe for Stats {
    /// The list of elements.
    fn describe<V: Visitor>(&self, v: &mut V) {
        match self {
            Stats::Ip(s) => s.describe(v),
            Stats::Tc(s) => s.describe(v),
            Stats::Ss(s) => s.describe(v),
            Stats::SsClosed(s) => s.describe(v),
            Stats::QueueLimits(s) => s.describe(v),
            Stats::SmallQueue(s) => s.describe(v),
            Stats::Run(r) => {
                v.begin_object(&super::describe::ELEMENT);
                r.describe(v);
                v.end();
            }
            Stats::RunSummary(r) => {
                v.begin_object(&super::describe::ELEMENT);
                r.describe(v);
                v.end();
            }
        }
    }
}

/// One line of output: `{"type","run"?,"sample","timestamp","elapsed","partial"?,"stats"}`; the
/// run's own records (`run`, `run_summary`) have their fields in place of `sample`,
/// `partial` and `stats`.
#[derive(Debug, Clone)]
pub struct Record {
    /// The reader's kind (`"ip"`, `"tc"`, …), or `"run"`, `"run_summary"`.
    pub kind: &'static str,
    /// The run's identifier (empty: not written).
    pub run: Arc<str>,
    /// Index of the schedule slot this sample belongs to, from 0.
    pub sample: u64,
    /// Wall-clock time when the read began, since the Unix epoch.
    pub timestamp: Duration,
    /// Monotonic time since the run started.
    pub elapsed: Duration,
    /// True when a dump stayed inconsistent (`NLM_F_DUMP_INTR`) after every retry.
    pub partial: bool,
    /// The statistics.
    pub stats: Stats,
}

/// Seconds with microsecond precision.
pub fn seconds(d: Duration) -> f64 {
    d.as_micros() as f64 / 1e6
}

const TYPE: Field = Field::label("type");
const RUN: Field = Field::label("run");
const SAMPLE: Field = Field::label("sample");
const TIMESTAMP: Field = Field::label("timestamp");
const ELAPSED: Field = Field::gauge("elapsed", Unit::Seconds);
const PARTIAL: Field = Field::label("partial");
const STATS: Field = Field::label("stats");

impl Record {
    /// The keys of a sample's record that come before `stats`, without `type` and `run`:
    /// `sample`, `timestamp`, `elapsed` and `partial`.
    fn describe_sample_envelope<V: Visitor>(&self, v: &mut V) {
        v.u64(&SAMPLE, self.sample);
        v.f64(&TIMESTAMP, seconds(self.timestamp));
        v.f64(&ELAPSED, seconds(self.elapsed));
        if self.partial {
            v.bool(&PARTIAL, true);
        }
    }

    /// The envelope of a sample's record: every key [`Record`]'s description writes before
    /// `stats` (`type`, `run`, `sample`, `timestamp`, `elapsed`, `partial`), for outputs that
    /// write the elements their own way.
    pub fn describe_envelope<V: Visitor>(&self, v: &mut V) {
        v.str(&TYPE, self.kind);
        if !self.run.is_empty() {
            v.str(&RUN, &self.run);
        }
        self.describe_sample_envelope(v);
    }
}

impl Describe for Record {
    fn describe<V: Visitor>(&self, v: &mut V) {
        v.str(&TYPE, self.kind);
        if !self.run.is_empty() {
            v.str(&RUN, &self.run);
        }
        match &self.stats {
            Stats::Run(info) => {
                v.f64(&TIMESTAMP, seconds(self.timestamp));
                return info.describe(v);
            }
            Stats::RunSummary(summary) => {
                v.f64(&TIMESTAMP, seconds(self.timestamp));
                v.f64(&ELAPSED, seconds(self.elapsed));
                return summary.describe(v);
            }
            _ => {}
        }
        self.describe_sample_envelope(v);
        v.begin_list(&STATS);
        self.stats.describe(v);
        v.end();
    }
}
