//! The output pipeline: records leave the sampling thread through bounded queues, one per
//! output, and are formatted and written on a thread per output.
//!
//! The sampler never waits for an output. [`Pipeline::submit`] hands one sample's records to
//! every output without blocking (the records are shared, not copied); when an output's queue is
//! full — by count of samples or by the memory the waiting records hold — that output does not
//! get the sample, and it is counted ([`Delivery`]), never lost silently. An output that stalls
//! (a paused terminal) therefore costs only its own samples: the others go on writing. Each
//! output thread writes every sample it gets, ticks its output while no sample comes (so JSON
//! reaches the file at least once a second), and finishes it when the pipeline is finished. An
//! output that fails stops being written to and its error is kept; the sampler sees
//! [`Pipeline::state`] and ends the run.
//!
//! A sample is freed on a thread of its own: the sampler and every output hand their share of
//! it to that thread when done with it, so neither the sampling thread nor an output pays for
//! freeing a dump of tens of thousands of sockets, whoever happens to let go of it last.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender, TrySendError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::{Output, OutputError};
use crate::model::Record;

/// How often outputs are ticked while no sample arrives.
pub const TICK: Duration = Duration::from_millis(100);

/// When the pipeline is finished, an output that has written nothing for this long is given up
/// (a terminal nobody reads): what it still had queued is counted as dropped.
pub const STALL_GIVE_UP: Duration = Duration::from_secs(2);

/// How much may wait to be written, per output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// Samples in the queue.
    pub samples: usize,
    /// Approximate bytes the queued records hold.
    pub bytes: usize,
}

impl Default for Bounds {
    /// About 1.6 s of ip and tc on 200 links at 1000 samples/s (~80 KB of records a sample),
    /// and never more than 128 MiB.
    fn default() -> Bounds {
        Bounds {
            samples: 4096,
            bytes: 128 << 20,
        }
    }
}

/// What became of a submitted sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submitted {
    /// Queued for every output.
    Queued,
    /// Not queued for at least one output: it was behind by its whole bound.
    Dropped,
    /// Not queued: the outputs have stopped (closed or failed).
    Stopped,
}

/// State of the outputs as the sampler sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Writing.
    Running,
    /// Standard output's reader went away: a normal end of the run.
    Closed,
    /// An output failed; the error comes with [`Pipeline::finish`].
    Failed,
}

/// Counts of what one output was given and wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivery {
    /// The output's name.
    pub output: &'static str,
    /// Samples it wrote.
    pub samples_written: u64,
    /// Samples it did not get because it was behind, or still had queued when it was given up.
    pub samples_dropped: u64,
    /// Records in the dropped samples.
    pub records_dropped: u64,
    /// The most samples that waited for it at once.
    pub max_queued: usize,
}

const RUNNING: u8 = 0;
const CLOSED: u8 = 1;
const FAILED: u8 = 2;

/// What the sampling thread and one output thread share.
struct Shared {
    queued_bytes: AtomicUsize,
    queued_samples: AtomicUsize,
    written: AtomicU64,
    state: AtomicU8,
}

struct Batch {
    records: Arc<[Record]>,
    bytes: usize,
}

/// One output: its queue, its thread and their accounting.
struct Lane {
    name: &'static str,
    tx: Option<SyncSender<Batch>>,
    thread: Option<JoinHandle<Option<OutputError>>>,
    shared: Arc<Shared>,
    delivery: Delivery,
}

/// Samples waiting to be freed at most; beyond, whoever lets go of one frees it.
const RECLAIM_QUEUE: usize = 1024;

/// Where samples go to be freed.
type Reclaim = SyncSender<Arc<[Record]>>;

/// Hand a share of a sample to the thread that frees samples (or free it here when that
/// thread is behind or gone).
fn reclaim(to: &Reclaim, records: Arc<[Record]>) {
    let _ = to.try_send(records);
}

/// The output threads and the queues to them.
pub struct Pipeline {
    lanes: Vec<Lane>,
    bounds: Bounds,
    reclaim: Reclaim,
}

/// Marks the lane failed if its thread ends by a panic, so the sampler stops instead of feeding
/// a queue nobody reads.
struct PanicGuard<'a>(&'a Shared);

impl Drop for PanicGuard<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.state.store(FAILED, Ordering::Relaxed);
        }
    }
}

impl Pipeline {
    /// Start a thread for each of `outputs`.
    pub fn start(outputs: Vec<Box<dyn Output>>, bounds: Bounds) -> std::io::Result<Pipeline> {
        let (reclaim, freed) = mpsc::sync_channel::<Arc<[Record]>>(RECLAIM_QUEUE);
        std::thread::Builder::new()
            .name("netstatspy-free".into())
            .spawn(move || {
                crate::sys::block_stop_signals();
                // Each sample is dropped here; it ends when every sender is gone.
                for records in freed {
                    drop(records);
                }
            })?;
        let mut lanes = Vec::with_capacity(outputs.len());
        for output in outputs {
            let shared = Arc::new(Shared {
                queued_bytes: AtomicUsize::new(0),
                queued_samples: AtomicUsize::new(0),
                written: AtomicU64::new(0),
                state: AtomicU8::new(RUNNING),
            });
            let (tx, rx) = mpsc::sync_channel::<Batch>(bounds.samples.max(1));
            let name = output.name();
            let thread_shared = Arc::clone(&shared);
            let thread_reclaim = reclaim.clone();
            let thread = std::thread::Builder::new()
                .name(format!("netstatspy-{name}"))
                .spawn(move || {
                    let _guard = PanicGuard(&thread_shared);
                    // SIGINT and SIGTERM are for the sampling thread: its sleep is what they
                    // must interrupt.
                    crate::sys::block_stop_signals();
                    write_loop(output, &rx, &thread_shared, &thread_reclaim)
                })?;
            lanes.push(Lane {
                name,
                tx: Some(tx),
                thread: Some(thread),
                shared,
                delivery: Delivery {
                    output: name,
                    ..Delivery::default()
                },
            });
        }
        Ok(Pipeline {
            lanes,
            bounds,
            reclaim,
        })
    }

    /// Hand one sample's records to every output, without waiting.
    pub fn submit(&mut self, records: Vec<Record>) -> Submitted {
        self.hand_over(records, false)
    }

    /// Hand one sample's records to every output, waiting for room in each queue (a replay, which
    /// has no schedule to keep, loses nothing this way).
    pub fn submit_waiting(&mut self, records: Vec<Record>) -> Submitted {
        self.hand_over(records, true)
    }

    fn hand_over(&mut self, records: Vec<Record>, wait: bool) -> Submitted {
        if self.state() != State::Running {
            return Submitted::Stopped;
        }
        let count = records.len() as u64;
        let bytes = records
            .iter()
            .map(|r| std::mem::size_of::<Record>() + r.stats.approx_bytes())
            .sum::<usize>();
        let records: Arc<[Record]> = records.into();
        let mut outcome = Submitted::Queued;
        for lane in &mut self.lanes {
            let Some(tx) = &lane.tx else { continue };
            let shared = &lane.shared;
            let queued = shared.queued_bytes.load(Ordering::Relaxed);
            if !wait && queued > 0 && queued + bytes > self.bounds.bytes {
                lane.delivery.samples_dropped += 1;
                lane.delivery.records_dropped += count;
                outcome = Submitted::Dropped;
                continue;
            }
            shared.queued_bytes.fetch_add(bytes, Ordering::Relaxed);
            let waiting = shared.queued_samples.fetch_add(1, Ordering::Relaxed) + 1;
            let batch = Batch {
                records: Arc::clone(&records),
                bytes,
            };
            let sent = if wait {
                tx.send(batch).map_err(|e| TrySendError::Disconnected(e.0))
            } else {
                tx.try_send(batch)
            };
            match sent {
                Ok(()) => lane.delivery.max_queued = lane.delivery.max_queued.max(waiting),
                Err(e) => {
                    shared.queued_bytes.fetch_sub(bytes, Ordering::Relaxed);
                    shared.queued_samples.fetch_sub(1, Ordering::Relaxed);
                    match e {
                        TrySendError::Full(_) => {
                            lane.delivery.samples_dropped += 1;
                            lane.delivery.records_dropped += count;
                            outcome = Submitted::Dropped;
                        }
                        // The thread is gone (it panicked): the run cannot go on writing.
                        TrySendError::Disconnected(_) => {
                            shared.state.store(FAILED, Ordering::Relaxed);
                            return Submitted::Stopped;
                        }
                    }
                }
            }
        }
        reclaim(&self.reclaim, records);
        outcome
    }

    /// Whether the outputs are still writing: failed if one failed, closed if one was closed.
    pub fn state(&self) -> State {
        let mut state = State::Running;
        for lane in &self.lanes {
            match lane.shared.state.load(Ordering::Relaxed) {
                RUNNING => {}
                CLOSED => state = State::Closed,
                _ => return State::Failed,
            }
        }
        state
    }

    /// Samples each output did not get so far because it was behind.
    pub fn dropped(&self) -> Vec<(&'static str, u64)> {
        self.lanes
            .iter()
            .map(|l| (l.name, l.delivery.samples_dropped))
            .collect()
    }

    /// The most samples waiting for any one output now.
    pub fn queued(&self) -> usize {
        self.lanes
            .iter()
            .map(|l| l.shared.queued_samples.load(Ordering::Relaxed))
            .max()
            .unwrap_or(0)
    }

    /// Write out everything queued, finish every output and stop the threads; returns what each
    /// output was given and wrote, the state the outputs ended in, and the first error of an
    /// output that failed. An output that makes no progress for [`STALL_GIVE_UP`] is given up:
    /// its thread is left behind and its queue counted as dropped.
    pub fn finish(mut self) -> (Vec<Delivery>, State, Option<OutputError>) {
        for lane in &mut self.lanes {
            // Closing a queue ends its thread's loop once the queue is drained.
            drop(lane.tx.take());
        }
        let mut error = None;
        for lane in &mut self.lanes {
            let Some(thread) = lane.thread.take() else {
                continue;
            };
            let mut written = lane.shared.written.load(Ordering::Relaxed);
            let mut progress = Instant::now();
            while !thread.is_finished() {
                std::thread::sleep(Duration::from_millis(5));
                let now = lane.shared.written.load(Ordering::Relaxed);
                if now != written {
                    (written, progress) = (now, Instant::now());
                } else if progress.elapsed() >= STALL_GIVE_UP {
                    break;
                }
            }
            if thread.is_finished() {
                match thread.join() {
                    Ok(e) => error = error.or(e),
                    Err(_) => {
                        error = error.or(Some(OutputError::Thread(lane.name)));
                    }
                }
            } else {
                // Stuck in a write that will not return: leave the thread; the process exits.
                let left = lane.shared.queued_samples.load(Ordering::Relaxed) as u64;
                lane.delivery.samples_dropped += left;
            }
            lane.delivery.samples_written = lane.shared.written.load(Ordering::Relaxed);
        }
        let state = self.state();
        let deliveries = self.lanes.iter().map(|l| l.delivery).collect();
        (deliveries, state, error)
    }
}

/// An output thread: write every batch while the output works.
fn write_loop(
    mut output: Box<dyn Output>,
    rx: &mpsc::Receiver<Batch>,
    shared: &Shared,
    freed: &Reclaim,
) -> Option<OutputError> {
    let fail = |e: OutputError| match e {
        OutputError::Closed => {
            let _ = shared.state.compare_exchange(
                RUNNING,
                CLOSED,
                Ordering::Relaxed,
                Ordering::Relaxed,
            );
            None
        }
        e => {
            shared.state.store(FAILED, Ordering::Relaxed);
            Some(e)
        }
    };
    let mut alive = true;
    let mut error = None;
    loop {
        match rx.recv_timeout(TICK) {
            Ok(batch) => {
                if alive {
                    let result = output.write_sample(&batch.records);
                    match result {
                        Ok(()) => {
                            shared.written.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => {
                            alive = false;
                            error = fail(e);
                        }
                    }
                }
                shared
                    .queued_bytes
                    .fetch_sub(batch.bytes, Ordering::Relaxed);
                shared.queued_samples.fetch_sub(1, Ordering::Relaxed);
                reclaim(freed, batch.records);
            }
            Err(RecvTimeoutError::Timeout) => {
                if alive && let Err(e) = output.tick() {
                    alive = false;
                    error = fail(e);
                }
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    if alive && let Err(e) = output.finish() {
        error = fail(e);
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Stats;
    use crate::model::small_queue::SmallQueue;
    use std::sync::Mutex;
    use std::sync::mpsc::Receiver;

    fn sample(n: u64) -> Vec<Record> {
        vec![Record {
            kind: "small_queue",
            run: "".into(),
            sample: n,
            timestamp: Duration::ZERO,
            elapsed: Duration::ZERO,
            partial: false,
            stats: Stats::SmallQueue(vec![SmallQueue {
                tcp_limit_output_bytes: n,
            }]),
        }]
    }

    /// An output that blocks until told to go on, and remembers what it wrote.
    struct Gate {
        go: Arc<Mutex<Receiver<()>>>,
        seen: Arc<Mutex<Vec<u64>>>,
        finished: Arc<Mutex<bool>>,
    }

    impl Output for Gate {
        fn name(&self) -> &'static str {
            "gate"
        }
        fn write(&mut self, r: &Record) -> Result<(), OutputError> {
            let _ = self.go.lock().expect("lock").recv();
            self.seen.lock().expect("lock").push(r.sample);
            Ok(())
        }
        fn finish(&mut self) -> Result<(), OutputError> {
            *self.finished.lock().expect("lock") = true;
            Ok(())
        }
    }

    #[test]
    fn a_stalled_output_never_blocks_submit_and_drops_are_counted() {
        let (go_tx, go_rx) = mpsc::channel();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let finished = Arc::new(Mutex::new(false));
        let gate = Gate {
            go: Arc::new(Mutex::new(go_rx)),
            seen: Arc::clone(&seen),
            finished: Arc::clone(&finished),
        };
        let mut p = Pipeline::start(
            vec![Box::new(gate)],
            Bounds {
                samples: 3,
                bytes: 1 << 20,
            },
        )
        .expect("start");
        // The output is stuck on the first sample: three more fit the queue, the rest drop.
        let results: Vec<Submitted> = (0..10).map(|n| p.submit(sample(n))).collect();
        let queued = results.iter().filter(|r| **r == Submitted::Queued).count();
        let dropped = results.iter().filter(|r| **r == Submitted::Dropped).count();
        assert!((3..=4).contains(&queued), "{results:?}");
        assert_eq!(queued + dropped, 10);
        for _ in 0..10 {
            let _ = go_tx.send(());
        }
        let (delivery, state, error) = p.finish();
        assert!(error.is_none());
        assert_eq!(state, State::Running);
        assert_eq!(delivery[0].samples_dropped as usize, dropped);
        assert_eq!(delivery[0].records_dropped as usize, dropped);
        assert_eq!(delivery[0].samples_written as usize, queued);
        assert_eq!(seen.lock().expect("lock").len(), queued);
        assert!(*finished.lock().expect("lock"));
    }

    #[test]
    fn the_memory_bound_drops_too() {
        struct Slow;
        impl Output for Slow {
            fn name(&self) -> &'static str {
                "slow"
            }
            fn write(&mut self, _: &Record) -> Result<(), OutputError> {
                std::thread::sleep(Duration::from_millis(50));
                Ok(())
            }
            fn finish(&mut self) -> Result<(), OutputError> {
                Ok(())
            }
        }
        let one = std::mem::size_of::<Record>() + sample(0)[0].stats.approx_bytes();
        let mut p = Pipeline::start(
            vec![Box::new(Slow)],
            Bounds {
                samples: 100,
                bytes: 2 * one,
            },
        )
        .expect("start");
        let dropped = (0..6)
            .filter(|n| p.submit(sample(*n)) == Submitted::Dropped)
            .count();
        assert!(dropped >= 3, "{dropped}");
        let (delivery, _, _) = p.finish();
        assert_eq!(delivery[0].samples_dropped as usize, dropped);
    }

    #[test]
    fn a_closed_output_stops_the_run_and_the_others_are_still_finished() {
        struct Closed;
        impl Output for Closed {
            fn name(&self) -> &'static str {
                "closed"
            }
            fn write(&mut self, _: &Record) -> Result<(), OutputError> {
                Err(OutputError::Closed)
            }
            fn finish(&mut self) -> Result<(), OutputError> {
                Ok(())
            }
        }
        let seen = Arc::new(Mutex::new(Vec::new()));
        let finished = Arc::new(Mutex::new(false));
        let (go_tx, go_rx) = mpsc::channel();
        for _ in 0..10 {
            let _ = go_tx.send(());
        }
        let gate = Gate {
            go: Arc::new(Mutex::new(go_rx)),
            seen: Arc::clone(&seen),
            finished: Arc::clone(&finished),
        };
        let mut p = Pipeline::start(vec![Box::new(Closed), Box::new(gate)], Bounds::default())
            .expect("start");
        assert_eq!(p.submit(sample(0)), Submitted::Queued);
        while p.state() == State::Running {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(p.state(), State::Closed);
        assert_eq!(p.submit(sample(1)), Submitted::Stopped);
        let (_, state, error) = p.finish();
        assert_eq!(state, State::Closed);
        assert!(error.is_none());
        assert_eq!(*seen.lock().expect("lock"), vec![0]);
        assert!(*finished.lock().expect("lock"));
    }

    /// Counts what it writes; never blocks.
    #[derive(Clone, Default)]
    struct Count(Arc<Mutex<u64>>);

    impl Output for Count {
        fn name(&self) -> &'static str {
            "count"
        }
        fn write(&mut self, _: &Record) -> Result<(), OutputError> {
            *self.0.lock().expect("lock") += 1;
            Ok(())
        }
        fn finish(&mut self) -> Result<(), OutputError> {
            Ok(())
        }
    }

    #[test]
    fn a_stalled_output_costs_only_its_own_samples_and_is_given_up_at_the_end() {
        // An output stuck in its first write for good, as a terminal nobody reads.
        let (_keep_stuck, stuck_rx) = mpsc::channel::<()>();
        let stuck = Gate {
            go: Arc::new(Mutex::new(stuck_rx)),
            seen: Arc::new(Mutex::new(Vec::new())),
            finished: Arc::new(Mutex::new(false)),
        };
        let count = Count::default();
        let mut p = Pipeline::start(
            vec![Box::new(stuck), Box::new(count.clone())],
            Bounds {
                samples: 4,
                bytes: 1 << 20,
            },
        )
        .expect("start");
        for n in 0..50 {
            let _ = p.submit(sample(n));
            // The working output keeps up (given time on a loaded machine: its queue of four
            // is not what is tested), while the stuck one's queue stays full.
            let waited = Instant::now();
            while *count.0.lock().expect("lock") < n + 1
                && waited.elapsed() < Duration::from_secs(5)
            {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        let began = Instant::now();
        let (delivery, state, error) = p.finish();
        assert!(
            began.elapsed() >= STALL_GIVE_UP,
            "waited for progress first"
        );
        assert!(error.is_none());
        assert_eq!(state, State::Running);
        // The other output got and wrote every sample.
        assert_eq!(*count.0.lock().expect("lock"), 50);
        assert_eq!(delivery[1].samples_written, 50);
        assert_eq!(delivery[1].samples_dropped, 0);
        // The stuck one wrote none: every sample is counted as dropped, queued or not.
        assert_eq!(delivery[0].samples_written, 0);
        assert_eq!(delivery[0].samples_dropped, 50);
    }

    #[test]
    fn every_sample_is_let_go_of_when_the_pipeline_is_finished() {
        struct Keep;
        impl Output for Keep {
            fn name(&self) -> &'static str {
                "keep"
            }
            fn write(&mut self, _: &Record) -> Result<(), OutputError> {
                Ok(())
            }
            fn finish(&mut self) -> Result<(), OutputError> {
                Ok(())
            }
        }
        let run: Arc<str> = "r".into();
        let mut p = Pipeline::start(vec![Box::new(Keep), Box::new(Keep)], Bounds::default())
            .expect("start");
        for n in 0..100 {
            let mut records = sample(n);
            records[0].run = Arc::clone(&run);
            assert_eq!(p.submit(records), Submitted::Queued);
        }
        let _ = p.finish();
        // The thread that frees samples ends once every share was handed to it.
        let began = Instant::now();
        while Arc::strong_count(&run) > 1 && began.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(Arc::strong_count(&run), 1, "a sample was kept");
    }

    #[test]
    fn an_output_that_panics_stops_the_run() {
        struct Panics;
        impl Output for Panics {
            fn name(&self) -> &'static str {
                "panics"
            }
            fn write(&mut self, _: &Record) -> Result<(), OutputError> {
                panic!("a bug in an output");
            }
            fn finish(&mut self) -> Result<(), OutputError> {
                Ok(())
            }
        }
        let mut p = Pipeline::start(vec![Box::new(Panics)], Bounds::default()).expect("start");
        let _ = p.submit(sample(0));
        let began = Instant::now();
        while p.state() == State::Running && began.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(p.state(), State::Failed);
        assert_eq!(p.submit(sample(1)), Submitted::Stopped);
        let (_, state, error) = p.finish();
        assert_eq!(state, State::Failed);
        assert!(
            matches!(error, Some(OutputError::Thread("panics"))),
            "{error:?}"
        );
    }
}
