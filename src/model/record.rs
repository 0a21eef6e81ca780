//! The record: one reader's statistics of one sample, in the envelope every output shares.

use std::time::Duration;

use super::describe::{Describe, Field, Unit, Visitor};
use super::ip::LinkSample;
use super::queue_limits::QueueLimits;
use super::small_queue::SmallQueue;
use super::ss::Socket;
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
    /// `queue_limits`: one element per transmit queue with byte queue limits.
    QueueLimits(Vec<QueueLimits>),
    /// `small_queue`: one element.
    SmallQueue(Vec<SmallQueue>),
}

impl Stats {
    /// Number of elements (interfaces, qdiscs, sockets, …).
    pub fn len(&self) -> usize {
        match self {
            Stats::Ip(v) => v.len(),
            Stats::Tc(v) => v.len(),
            Stats::Ss(v) => v.len(),
            Stats::QueueLimits(v) => v.len(),
            Stats::SmallQueue(v) => v.len(),
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
            Stats::QueueLimits(v) => v.iter().map(|q| 48 + 24 * q.values.len()).sum(),
            Stats::SmallQueue(v) => of(v),
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
            Stats::QueueLimits(s) => s.describe(v),
            Stats::SmallQueue(s) => s.describe(v),
        }
    }
}

/// One line of output: `{"type","sample","timestamp","elapsed","partial"?,"stats"}`.
#[derive(Debug, Clone)]
pub struct Record {
    /// The reader's kind (`"ip"`, `"tc"`, …).
    pub kind: &'static str,
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
const SAMPLE: Field = Field::label("sample");
const TIMESTAMP: Field = Field::label("timestamp");
const ELAPSED: Field = Field::gauge("elapsed", Unit::Seconds);
const PARTIAL: Field = Field::label("partial");
const STATS: Field = Field::label("stats");

impl Describe for Record {
    fn describe<V: Visitor>(&self, v: &mut V) {
        v.str(&TYPE, self.kind);
        v.u64(&SAMPLE, self.sample);
        v.f64(&TIMESTAMP, seconds(self.timestamp));
        v.f64(&ELAPSED, seconds(self.elapsed));
        if self.partial {
            v.bool(&PARTIAL, true);
        }
        v.begin_list(&STATS);
        self.stats.describe(v);
        v.end();
    }
}
