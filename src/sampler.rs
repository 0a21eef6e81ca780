//! The sampler: runs every reader on an absolute schedule and hands the records to the outputs.
//!
//! Each reader has a schedule of its own (the run's frequency unless given one): its slot `k` is
//! due at `start + k / f` on the monotonic clock, so the time spent sampling never shifts later
//! deadlines. The sampler sleeps until the earliest slot due and reads every reader due then, in
//! one sample. A reader whose sample would start a whole period or more late (the previous one
//! overran, or the machine stalled) does not burst to catch up: it skips to its most recent slot
//! that is due, and the skipped slots are counted for it ([`ReaderCount`]). A stop
//! request (SIGINT/SIGTERM) is honoured between samples, so the record being written is always
//! finished, then every output is finished. Outputs run behind a bounded queue
//! ([`Pipeline`]): the sampler never waits for them, and what they cannot keep up with is counted.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::clock;
use crate::model::run::{RunInfo, RunSummary};
use crate::model::{Record, Stats};
use crate::netlink::DumpCounters;
use crate::output::OutputError;
use crate::output::pipeline::{Delivery, Pipeline, State, Submitted, TICK};
use crate::readers::{ReadError, Reader, Warning};

/// A fatal error of a run.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// A reader failed on its first sample (the failure is not a passing one).
    #[error("{kind} reader")]
    Reader {
        /// The reader's kind.
        kind: &'static str,
        /// What went wrong.
        source: ReadError,
    },
    /// An output could not write.
    #[error(transparent)]
    Output(OutputError),
    /// The real-time priority asked for could not be set.
    #[error(
        "cannot sample at real-time priority {priority} (SCHED_FIFO; needs root or CAP_SYS_NICE)"
    )]
    Realtime {
        /// The priority asked for.
        priority: u8,
        /// The system error.
        source: std::io::Error,
    },
}

/// How a run went.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Samples taken.
    pub samples: u64,
    /// Schedule slots skipped because a sample started a whole period late.
    pub overruns: u64,
    /// Records not produced because a reader failed (after its first sample).
    pub read_errors: u64,
    /// Records flagged partial.
    pub partial: u64,
    /// Median and 99th percentile of |actual start − scheduled start|.
    pub lateness_p50: Duration,
    /// See `lateness_p50`.
    pub lateness_p99: Duration,
    /// Wall time of the run.
    pub wall: Duration,
    /// CPU time (user + system) of the process.
    pub cpu: Duration,
    /// The run ended early on a stop request.
    pub interrupted: bool,
    /// Standard output was closed by its reader.
    pub output_closed: bool,
    /// What each output was given, wrote, and could not keep up with.
    pub delivery: Vec<Delivery>,
    /// Netlink dump recoveries, per reader kind.
    pub dumps: Vec<(&'static str, DumpCounters)>,
    /// What became of each reader's slots.
    pub readers: Vec<ReaderCount>,
}

/// When samples are taken.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Schedule {
    /// `samples` samples (`None`: until stopped) at `frequency` per second.
    Every {
        /// Samples per second.
        frequency: f64,
        /// How many, or until stopped.
        samples: Option<u64>,
    },
    /// Back to back until the readers' input ends (a replayed capture); records carry the
    /// recorded times.
    UntilEndOfInput,
}

/// What a run reports while it goes on; the caller decides how to show it.
#[derive(Debug, Clone)]
pub enum Event {
    /// A reader has a problem that did not stop the sample (each distinct one once).
    Warning {
        /// The reader's kind.
        reader: &'static str,
        /// The problem.
        warning: Warning,
    },
    /// A reader failed after its first sample; it is retried at each sample, and this is
    /// reported again only after it worked once more.
    ReaderFailing {
        /// The reader's kind.
        reader: &'static str,
        /// The slot whose record is missing.
        slot: u64,
        /// What went wrong, with its causes.
        error: String,
    },
    /// One second of the run, with `-v` timing ([`Sampler::with_progress`]).
    Second(Second),
}

/// Timing of one second of a run.
#[derive(Debug, Clone, Default)]
pub struct Second {
    /// Seconds since the start (the second that ended).
    pub second: u64,
    /// Samples taken in it.
    pub samples: u64,
    /// Slots skipped in it.
    pub overruns: u64,
    /// Samples the outputs could not keep up with, dropped in it.
    pub dropped: u64,
    /// Median lateness of a sample's start.
    pub lateness_p50: Duration,
    /// 99th percentile lateness.
    pub lateness_p99: Duration,
    /// Mean collect time per sample, per reader kind.
    pub collect: Vec<(&'static str, Duration)>,
    /// Mean time per sample to hand the records to the outputs.
    pub submit: Duration,
    /// Samples waiting to be written at the end of the second.
    pub queued: usize,
}

/// Runs readers on a schedule.
pub struct Sampler {
    lanes: Vec<Lane>,
    outputs: Option<Pipeline>,
    replay: bool,
    stop: Arc<AtomicBool>,
    /// Recorded time of the first replayed read, the origin of `elapsed` in a replay.
    replay_origin: Option<Duration>,
    /// Reader warnings already reported: each distinct one once, whichever reader has it
    /// (an interface that is gone is reported once, not by every reader that watches it).
    warned: HashSet<Warning>,
    /// Interfaces asked for that are gone, with the readers that report them gone: one is
    /// announced when the first reader misses it and again, as back, when none does any more.
    gone: Vec<(String, Vec<&'static str>)>,
    /// Per-second timing lines on standard error (`-v`).
    progress: Option<Progress>,
    /// `SCHED_FIFO` priority of the sampling thread, if asked for.
    realtime: Option<u8>,
    /// The run's identifier, in every record.
    run: Arc<str>,
    /// The run's header, written before the first sample; with it, a summary after the last.
    info: Option<RunInfo>,
    /// Only make the kernel exchanges (which a recording keeps), decode nothing.
    exchange_only: bool,
}

/// One reader and its own schedule: slot `k` is due at `start + k × period`.
struct Lane {
    reader: Box<dyn Reader>,
    period_ns: f64,
    /// Slots in the run, `None` until stopped.
    slots: Option<u64>,
    /// The next slot.
    slot: u64,
    /// What became of its slots so far.
    count: ReaderCount,
    /// It failed at its last slot (a failure is reported once until it works again).
    failing: bool,
    /// Its input ended (replay), or its slots are all taken or skipped.
    done: bool,
}

impl Lane {
    fn deadline(&self, start: u64) -> u64 {
        // Saturating: a tiny frequency puts later slots beyond the clock's range.
        start.saturating_add((self.slot as f64 * self.period_ns).round() as u64)
    }

    fn finish_if_complete(&mut self) {
        self.done |= self.slots.is_some_and(|n| self.slot >= n);
    }
}

/// What became of one reader's schedule slots.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReaderCount {
    /// The reader's kind.
    pub kind: &'static str,
    /// Records it produced.
    pub records: u64,
    /// Slots skipped because its sample would have started a whole period late.
    pub skipped: u64,
    /// Slots without a record because it failed.
    pub failed: u64,
}

/// Timing of the current second, for `-v`.
#[derive(Default)]
struct Progress {
    second: u64,
    samples: u64,
    overruns: u64,
    dropped: u64,
    lateness: Histogram,
    /// Nanoseconds spent collecting and records collected, per reader.
    collect_ns: Vec<(u64, u64)>,
    submit_ns: u64,
}

impl Progress {
    /// The finished second (if it had samples), and a start on the next.
    fn next_second(&mut self, kinds: &[&'static str], queued: usize) -> Option<Second> {
        let per = |ns: u64, n: u64| Duration::from_nanos(ns / n.max(1));
        let done = (self.samples > 0).then(|| Second {
            second: self.second,
            samples: self.samples,
            overruns: self.overruns,
            dropped: self.dropped,
            lateness_p50: self.lateness.quantile(0.5),
            lateness_p99: self.lateness.quantile(0.99),
            collect: kinds
                .iter()
                .zip(&self.collect_ns)
                .map(|(k, (ns, n))| (*k, per(*ns, *n)))
                .collect(),
            submit: per(self.submit_ns, self.samples),
            queued,
        });
        let second = self.second + 1;
        let readers = self.collect_ns.len();
        *self = Progress {
            second,
            collect_ns: vec![(0, 0); readers],
            ..Progress::default()
        };
        done
    }
}

/// What one sample came to.
enum SampleEnd {
    Handed,
    EndOfInput,
    OutputFailed,
}

impl Sampler {
    /// A sampler running `readers` on `schedule`, handing the records to `outputs`, until the
    /// schedule ends or `stop` is set.
    pub fn new(
        readers: Vec<Box<dyn Reader>>,
        outputs: Pipeline,
        schedule: Schedule,
        stop: Arc<AtomicBool>,
    ) -> Sampler {
        let (frequency, slots, replay) = match schedule {
            Schedule::Every { frequency, samples } => (frequency, samples, false),
            Schedule::UntilEndOfInput => (1.0, None, true),
        };
        let lanes = readers
            .into_iter()
            .map(|reader| Lane {
                count: ReaderCount {
                    kind: reader.kind(),
                    ..ReaderCount::default()
                },
                reader,
                period_ns: 1e9 / frequency,
                slots,
                slot: 0,
                failing: false,
                done: false,
            })
            .collect();
        Sampler {
            lanes,
            outputs: Some(outputs),
            replay,
            stop,
            replay_origin: None,
            warned: HashSet::new(),
            gone: Vec::new(),
            progress: None,
            realtime: None,
            run: Arc::from(""),
            info: None,
            exchange_only: false,
        }
    }

    /// Announce an interface the first reader reports gone, and announce it back when the
    /// last reader that reported it gone reads it again.
    fn track_gone(
        &mut self,
        kind: &'static str,
        warnings: &[Warning],
        on_event: &mut dyn FnMut(Event),
    ) {
        let reported = |name: &str| {
            warnings
                .iter()
                .any(|w| matches!(w, Warning::InterfaceGone(n) if n == name))
        };
        for warning in warnings {
            let Warning::InterfaceGone(name) = warning else {
                continue;
            };
            match self.gone.iter_mut().find(|(n, _)| n == name) {
                Some((_, readers)) => {
                    if !readers.contains(&kind) {
                        readers.push(kind);
                    }
                }
                None => {
                    on_event(Event::Warning {
                        reader: kind,
                        warning: warning.clone(),
                    });
                    self.gone.push((name.clone(), vec![kind]));
                }
            }
        }
        let mut back = Vec::new();
        self.gone.retain_mut(|(name, readers)| {
            if readers.contains(&kind) && !reported(name) {
                readers.retain(|r| *r != kind);
                if readers.is_empty() {
                    back.push(std::mem::take(name));
                    return false;
                }
            }
            true
        });
        for name in back {
            on_event(Event::Warning {
                reader: kind,
                warning: Warning::InterfaceBack(name),
            });
        }
    }

    /// Make only each sample's kernel exchanges and decode nothing ([`Reader::exchange`]): for
    /// a run whose only product is its recording.
    pub fn exchange_only(mut self, on: bool) -> Sampler {
        self.exchange_only = on;
        self
    }

    /// Name every record with `run`, and write `info` as the run's first record and a
    /// [`RunSummary`] as its last.
    pub fn with_run(mut self, run: &str, info: Option<RunInfo>) -> Sampler {
        self.run = Arc::from(run);
        self.info = info;
        self
    }

    /// A record of the run itself (header or summary), stamped now.
    fn run_record(&self, kind: &'static str, start: u64, stats: Stats) -> Record {
        Record {
            kind,
            run: Arc::clone(&self.run),
            sample: 0,
            timestamp: clock::wall(),
            elapsed: Duration::from_nanos(clock::monotonic_ns().saturating_sub(start)),
            partial: false,
            stats,
        }
    }

    /// Hand the run's own record to the outputs: waiting for room in a replay, as its samples
    /// do; otherwise never (a stalled output loses it, counted, rather than hold the run).
    fn hand_run_record(&mut self, record: Record) {
        let replay = self.replay;
        if let Some(outputs) = self.outputs.as_mut() {
            let _ = if replay {
                outputs.submit_waiting(vec![record])
            } else {
                outputs.submit(vec![record])
            };
        }
    }

    /// Give the reader of `kind` a schedule of its own: `frequency` samples per second, `slots`
    /// of them (`None`: until stopped). Readers without one keep the run's. A replay ignores
    /// schedules.
    pub fn with_rate(mut self, kind: &str, frequency: f64, slots: Option<u64>) -> Sampler {
        for lane in self.lanes.iter_mut().filter(|l| l.reader.kind() == kind) {
            lane.period_ns = 1e9 / frequency;
            lane.slots = slots;
        }
        self
    }

    /// Sample at real-time priority (`SCHED_FIFO`, `priority` 1-99): the thread that calls
    /// [`Sampler::run`] becomes a real-time thread for the rest of its life; the outputs' thread,
    /// started before, keeps its normal priority.
    pub fn with_realtime(mut self, priority: Option<u8>) -> Sampler {
        self.realtime = priority;
        self
    }

    /// Report every second of the run ([`Event::Second`]): samples, overruns, schedule
    /// lateness, and the mean collect time per reader and submit time per sample.
    pub fn with_progress(mut self, on: bool) -> Sampler {
        self.progress = on.then(|| Progress {
            collect_ns: vec![(0, 0); self.lanes.len()],
            ..Progress::default()
        });
        self
    }

    /// Sleep until `deadline`, waking at least every [`TICK`] to see whether a stop was asked
    /// for or the outputs stopped (a closed pipe ends a run at 0.01 samples/s just as soon).
    /// True when the deadline was reached.
    fn sleep_until(&self, deadline: u64) -> bool {
        const SLICE_NS: u64 = TICK.as_nanos() as u64;
        loop {
            if self.stop.load(Ordering::Relaxed)
                || self
                    .outputs
                    .as_ref()
                    .is_some_and(|o| o.state() != State::Running)
            {
                return false;
            }
            let now = clock::monotonic_ns();
            if now >= deadline {
                return true;
            }
            // A signal ends the sleep early (Wake::Interrupted); the loop looks again.
            let _ = clock::sleep_until(deadline.min(now.saturating_add(SLICE_NS)));
        }
    }

    /// Run to the end of the schedule, to a stop request, or until the outputs stop (closed or
    /// failed); then the outputs are finished: what they have queued is written and flushed,
    /// except by an output that fails or makes no progress (see
    /// [`Pipeline::finish`]). `on_event` hears what the run reports.
    pub fn run(&mut self, on_event: &mut dyn FnMut(Event)) -> Result<Summary, RunError> {
        let mut summary = Summary::default();
        let start = clock::monotonic_ns();
        if let Some(mut info) = self.info.clone() {
            info.start_monotonic = Duration::from_nanos(start);
            let record = self.run_record("run", start, Stats::Run(Box::new(info)));
            self.hand_run_record(record);
        }
        let result = self.run_schedule(start, &mut summary, on_event);
        if self.info.is_some() && self.outputs.as_ref().map(Pipeline::state) == Some(State::Running)
        {
            let end = RunSummary {
                samples: summary.samples,
                wall: summary.wall,
                cpu: cpu_time(),
                interrupted: summary.interrupted,
                readers: self
                    .lanes
                    .iter()
                    .map(|l| {
                        (
                            l.count.kind,
                            l.count.records,
                            l.count.skipped,
                            l.count.failed,
                        )
                    })
                    .collect(),
                outputs: self
                    .outputs
                    .as_ref()
                    .map_or_else(Vec::new, Pipeline::dropped),
            };
            let record = self.run_record("run_summary", start, Stats::RunSummary(Box::new(end)));
            self.hand_run_record(record);
        }
        let mut finish_err = None;
        if let Some(outputs) = self.outputs.take() {
            let (delivery, state, error) = outputs.finish();
            summary.delivery = delivery;
            summary.output_closed |= state == State::Closed;
            finish_err = error;
        }
        summary.cpu = cpu_time();
        summary.dumps = self
            .lanes
            .iter()
            .map(|l| (l.reader.kind(), l.reader.dump_counters()))
            .collect();
        summary.readers = self.lanes.iter().map(|l| l.count.clone()).collect();
        result?;
        match finish_err {
            Some(e) => Err(RunError::Output(e)),
            None => Ok(summary),
        }
    }

    fn run_schedule(
        &mut self,
        start: u64,
        summary: &mut Summary,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), RunError> {
        // Wake at the deadline, not up to 50 µs after it (the default timer slack): at
        // 1000 samples/s that is 5% of the period.
        crate::sys::set_timer_slack(1);
        if let Some(priority) = self.realtime {
            crate::sys::set_fifo_priority(priority)
                .map_err(|source| RunError::Realtime { priority, source })?;
        }
        let mut lateness = Histogram::default();
        for lane in &mut self.lanes {
            lane.finish_if_complete();
        }
        let outcome = loop {
            // The earliest slot due among the readers still scheduled.
            let Some(deadline) = self
                .lanes
                .iter()
                .filter(|l| !l.done)
                .map(|l| l.deadline(start))
                .min()
            else {
                break Ok(());
            };
            let deadline = if self.replay {
                clock::monotonic_ns()
            } else {
                deadline
            };
            if !self.replay && !self.sleep_until(deadline) {
                if self.stop.load(Ordering::Relaxed) {
                    summary.interrupted = true;
                    break Ok(());
                }
                // The outputs stopped while we slept: closed (a normal end) or failed (the
                // error comes when they are finished).
                summary.output_closed |=
                    self.outputs.as_ref().map(Pipeline::state) == Some(State::Closed);
                break Ok(());
            }
            if self.stop.load(Ordering::Relaxed) {
                summary.interrupted = true;
                break Ok(());
            }
            let now = clock::monotonic_ns();
            if let Some(p) = self.progress.as_mut()
                && (now - start) / 1_000_000_000 > p.second
            {
                let kinds: Vec<&'static str> = self.lanes.iter().map(|l| l.reader.kind()).collect();
                let queued = self.outputs.as_ref().map_or(0, Pipeline::queued);
                if let Some(second) = p.next_second(&kinds, queued) {
                    on_event(Event::Second(second));
                }
            }
            // Readers more than a whole period late skip to their most recent slot due.
            let mut skipped = 0;
            if !self.replay {
                for lane in self.lanes.iter_mut().filter(|l| !l.done) {
                    let due_at = lane.deadline(start);
                    if now > due_at && (now - due_at) as f64 >= lane.period_ns {
                        let due = ((now - start) as f64 / lane.period_ns).floor() as u64;
                        // Slots past the end of the run are not overruns: the run is over.
                        let due = due.max(lane.slot).min(lane.slots.unwrap_or(u64::MAX));
                        lane.count.skipped += due - lane.slot;
                        skipped += due - lane.slot;
                        lane.slot = due;
                        lane.finish_if_complete();
                    }
                }
            }
            summary.overruns += skipped;
            if let Some(p) = self.progress.as_mut() {
                p.overruns += skipped;
            }
            // Which readers are due now; the sample's lateness is that of the earliest.
            let due: Vec<usize> = (0..self.lanes.len())
                .filter(|&i| {
                    let l = &self.lanes[i];
                    !l.done && (self.replay || l.deadline(start) <= now)
                })
                .collect();
            let Some(earliest) = due.iter().map(|&i| self.lanes[i].deadline(start)).min() else {
                continue;
            };
            let late = if self.replay {
                0
            } else {
                now.saturating_sub(earliest)
            };
            lateness.add(late);
            if let Some(p) = self.progress.as_mut() {
                p.lateness.add(late);
                p.samples += 1;
            }
            match self.sample(&due, start, summary, on_event) {
                Ok(SampleEnd::Handed) => {}
                Ok(SampleEnd::EndOfInput) | Ok(SampleEnd::OutputFailed) => break Ok(()),
                Err(e) => break Err(e),
            }
            summary.samples += 1;
        };
        summary.wall = Duration::from_nanos(clock::monotonic_ns() - start);
        summary.lateness_p50 = lateness.quantile(0.50);
        summary.lateness_p99 = lateness.quantile(0.99);
        outcome
    }

    /// Read the readers `due`, each at its own slot, then hand the records to the outputs. In a
    /// replay, a sample in which any reader's input ended is dropped whole and ends the run.
    fn sample(
        &mut self,
        due: &[usize],
        start: u64,
        summary: &mut Summary,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<SampleEnd, RunError> {
        let mut records = Vec::with_capacity(due.len());
        for &i in due {
            let lane = &mut self.lanes[i];
            let slot = lane.slot;
            lane.slot += 1;
            lane.finish_if_complete();
            let timestamp = clock::wall();
            let began = clock::monotonic_ns();
            let elapsed = Duration::from_nanos(began - start);
            // A run that only records makes the exchanges and decodes nothing.
            let result = if self.exchange_only {
                lane.reader
                    .exchange()
                    .map(|x| (None, x.partial, None, x.warnings))
            } else {
                lane.reader
                    .collect()
                    .map(|c| (Some(c.stats), c.partial, c.captured_at, c.warnings))
            };
            if let Some(p) = self.progress.as_mut() {
                p.collect_ns[i].0 += clock::monotonic_ns() - began;
                p.collect_ns[i].1 += 1;
            }
            let kind = lane.reader.kind();
            let (stats, partial, captured_at, warnings) = match result {
                Ok(c) => c,
                Err(e) if e.is_end_of_input() => return Ok(SampleEnd::EndOfInput),
                Err(source) if lane.count.records == 0 && lane.count.failed == 0 => {
                    return Err(RunError::Reader { kind, source });
                }
                Err(e) => {
                    summary.read_errors += 1;
                    lane.count.failed += 1;
                    if !lane.failing {
                        on_event(Event::ReaderFailing {
                            reader: kind,
                            slot,
                            error: crate::error_chain(&e),
                        });
                        lane.failing = true;
                    }
                    continue;
                }
            };
            lane.failing = false;
            lane.count.records += 1;
            summary.partial += u64::from(partial);
            self.track_gone(kind, &warnings, on_event);
            for warning in warnings {
                if matches!(warning, Warning::InterfaceGone(_)) {
                    continue;
                }
                // Bounded: a reader that invents new texts forever cannot grow this without end.
                if self.warned.len() < 1000 && !self.warned.contains(&warning) {
                    on_event(Event::Warning {
                        reader: kind,
                        warning: warning.clone(),
                    });
                    self.warned.insert(warning);
                }
            }
            let Some(stats) = stats else {
                continue;
            };
            let (timestamp, elapsed) = match captured_at {
                Some(at) => {
                    let origin = *self.replay_origin.get_or_insert(at);
                    (at, at.saturating_sub(origin))
                }
                None => (timestamp, elapsed),
            };
            records.push(Record {
                kind,
                run: Arc::clone(&self.run),
                sample: slot,
                timestamp,
                elapsed,
                partial,
                stats,
            });
        }
        let submit_began = clock::monotonic_ns();
        let Some(outputs) = self.outputs.as_mut() else {
            return Ok(SampleEnd::Handed);
        };
        // A replay has no schedule to keep: it waits for room rather than drop.
        let submitted = if self.replay {
            outputs.submit_waiting(records)
        } else {
            outputs.submit(records)
        };
        if let Some(p) = self.progress.as_mut() {
            p.submit_ns += clock::monotonic_ns() - submit_began;
            p.dropped += u64::from(submitted == Submitted::Dropped);
        }
        match outputs.state() {
            State::Running if submitted == Submitted::Stopped => Ok(SampleEnd::OutputFailed),
            State::Running => Ok(SampleEnd::Handed),
            State::Closed => {
                // The console's reader went away: a normal end, quietly.
                summary.output_closed = true;
                self.stop.store(true, Ordering::Relaxed);
                Ok(SampleEnd::Handed)
            }
            // The error itself comes when the outputs are finished.
            State::Failed => Ok(SampleEnd::OutputFailed),
        }
    }
}

/// CPU time used by this process so far.
pub fn cpu_time() -> Duration {
    crate::sys::cpu_time()
}

/// Lateness: a log-linear histogram of nanoseconds (microsecond resolution at any rate).
#[derive(Default)]
struct Histogram(crate::histogram::Dense);

impl Histogram {
    fn add(&mut self, ns: u64) {
        self.0.add(ns);
    }

    /// Upper edge of the bucket holding quantile `q`.
    fn quantile(&self, q: f64) -> Duration {
        Duration::from_nanos(self.0.quantile(q))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Stats;
    use crate::output::pipeline::Bounds;
    use crate::output::{Output, OutputError};
    use crate::readers::Collected;
    use std::sync::Mutex;

    struct Counting;
    impl Reader for Counting {
        fn kind(&self) -> &'static str {
            "ip"
        }
        fn collect(&mut self) -> Result<Collected, ReadError> {
            Ok(Collected {
                stats: Stats::Ip(Vec::new()),
                partial: false,
                captured_at: None,
                warnings: Vec::new(),
            })
        }
    }

    #[derive(Clone, Default)]
    struct Seen(Arc<Mutex<Vec<(u64, Duration)>>>);
    impl Output for Seen {
        fn name(&self) -> &'static str {
            "seen"
        }
        fn write(&mut self, r: &Record) -> Result<(), OutputError> {
            self.0.lock().expect("lock").push((r.sample, r.elapsed));
            Ok(())
        }
        fn finish(&mut self) -> Result<(), OutputError> {
            Ok(())
        }
    }

    fn outputs(seen: &Seen) -> Pipeline {
        Pipeline::start(vec![Box::new(seen.clone())], Bounds::default()).expect("pipeline")
    }

    #[test]
    fn takes_the_scheduled_number_of_samples_on_time() {
        let seen = Seen::default();
        let mut s = Sampler::new(
            vec![Box::new(Counting)],
            outputs(&seen),
            Schedule::Every {
                frequency: 50.0,
                samples: Some(10),
            },
            Arc::new(AtomicBool::new(false)),
        );
        let summary = s.run(&mut |_| {}).expect("run");
        let got = seen.0.lock().expect("lock").clone();
        assert_eq!(summary.samples + summary.overruns, 10);
        assert_eq!(got.len() as u64, summary.samples);
        // Each record starts no earlier than its slot's deadline.
        for (slot, elapsed) in &got {
            assert!(
                *elapsed >= Duration::from_millis(slot * 20),
                "{slot}: {elapsed:?}"
            );
        }
        assert!(got.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn stop_request_ends_the_run_between_samples() {
        let stop = Arc::new(AtomicBool::new(true));
        let seen = Seen::default();
        let mut s = Sampler::new(
            vec![Box::new(Counting)],
            outputs(&seen),
            Schedule::Every {
                frequency: 1.0,
                samples: None,
            },
            stop,
        );
        let summary = s.run(&mut |_| {}).expect("run");
        assert!(summary.interrupted);
        assert_eq!(summary.samples, 0);
    }

    #[test]
    fn histogram_quantiles_keep_microseconds_at_every_scale() {
        for scale in [1_000u64, 1_000_000, 1_000_000_000] {
            let mut h = Histogram::default();
            for v in 1..=100 {
                h.add(v * scale);
            }
            for (q, want) in [(0.5, 50 * scale), (0.99, 99 * scale), (1.0, 100 * scale)] {
                let got = h.quantile(q).as_nanos() as u64;
                // The bucket's upper edge: never below the value, at most 1.6% above it.
                assert!(
                    got >= want && got <= want + want / 64,
                    "{q} at {scale}: {got}"
                );
            }
        }
        // 5 ms and 10 ms are told apart from 5.05 ms and 10.1 ms (1 µs resolution there).
        let mut h = Histogram::default();
        h.add(5_050_000);
        assert!(h.quantile(1.0) < Duration::from_micros(5_130));
        assert!(h.quantile(1.0) >= Duration::from_micros(5_050));
        // Every value lands in a bucket whose range holds it.
        for ns in [
            0,
            1,
            63,
            64,
            65,
            127,
            128,
            1000,
            123_456_789,
            u64::MAX / 3,
            u64::MAX,
        ] {
            let b = crate::histogram::bucket(ns);
            assert!(crate::histogram::upper(b) >= ns, "{ns}");
            assert!(b == 0 || crate::histogram::upper(b - 1) < ns, "{ns}");
        }
    }

    struct Slow(&'static str, Duration);
    impl Reader for Slow {
        fn kind(&self) -> &'static str {
            self.0
        }
        fn collect(&mut self) -> Result<Collected, ReadError> {
            std::thread::sleep(self.1);
            Counting.collect()
        }
    }

    #[test]
    fn each_reader_keeps_its_own_rate() {
        let seen = Seen::default();
        let mut s = Sampler::new(
            vec![
                Box::new(Slow("ip", Duration::ZERO)),
                Box::new(Slow("ss", Duration::ZERO)),
            ],
            outputs(&seen),
            Schedule::Every {
                frequency: 100.0,
                samples: Some(30),
            },
            Arc::new(AtomicBool::new(false)),
        )
        .with_rate("ss", 10.0, Some(3));
        let summary = s.run(&mut |_| {}).expect("run");
        let ip = &summary.readers[0];
        let ss = &summary.readers[1];
        assert_eq!((ip.kind, ip.records + ip.skipped), ("ip", 30));
        assert_eq!((ss.kind, ss.records + ss.skipped), ("ss", 3));
        let got = seen.0.lock().expect("lock").clone();
        assert_eq!(got.len() as u64, ip.records + ss.records);
    }

    #[test]
    fn a_reader_too_slow_for_its_rate_skips_slots_and_says_so() {
        let seen = Seen::default();
        let mut s = Sampler::new(
            vec![
                Box::new(Slow("ip", Duration::ZERO)),
                Box::new(Slow("ss", Duration::from_millis(25))),
            ],
            outputs(&seen),
            Schedule::Every {
                frequency: 100.0,
                samples: Some(20),
            },
            Arc::new(AtomicBool::new(false)),
        );
        let summary = s.run(&mut |_| {}).expect("run");
        let ss = &summary.readers[1];
        assert_eq!(ss.records + ss.skipped, 20);
        assert!(ss.skipped > 0, "{ss:?}");
        assert_eq!(
            summary.overruns,
            summary.readers.iter().map(|r| r.skipped).sum::<u64>()
        );
    }
}
