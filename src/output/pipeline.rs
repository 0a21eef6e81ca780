//! The output pipeline: records leave the sampling thread through a bounded queue and are
//! formatted and written on a thread of their own.
//!
//! The sampler never waits for an output. [`Pipeline::submit`] hands over one sample's records
//! without blocking; when the queue is full — by count of samples or by the memory the waiting
//! records hold — the sample is not queued, and it is counted ([`Delivery`]), never lost
//! silently. The output thread writes each sample to every output in turn, ticks them while no
//! sample comes (so JSON reaches the file at least once a second), and finishes them all when
//! the pipeline is finished. An output that fails stops being written to and its error is kept;
//! the sampler sees [`Pipeline::state`] and ends the run.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender, TrySendError};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{Output, OutputError};
use crate::model::Record;

/// How often outputs are ticked while no sample arrives.
pub const TICK: Duration = Duration::from_millis(100);

/// How much may wait to be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// Samples in the queue.
    pub samples: usize,
    /// Approximate bytes the queued records hold.
    pub bytes: usize,
}

impl Default for Bounds {
    /// A few seconds of a loaded host at 1000 samples/s (ip and tc of 200 links take ~70 KB a
    /// sample), and never more than 128 MiB.
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
    /// Queued for writing.
    Queued,
    /// Not queued: the outputs were behind by the whole bound.
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

/// Counts of what the pipeline delivered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivery {
    /// Samples handed to the outputs.
    pub samples_queued: u64,
    /// Samples not written because the outputs were behind.
    pub samples_dropped: u64,
    /// Records in the dropped samples.
    pub records_dropped: u64,
    /// The most samples that waited in the queue at once.
    pub max_queued: usize,
}

const RUNNING: u8 = 0;
const CLOSED: u8 = 1;
const FAILED: u8 = 2;

struct Shared {
    queued_bytes: AtomicUsize,
    queued_samples: AtomicUsize,
    state: AtomicU8,
}

struct Batch {
    records: Vec<Record>,
    bytes: usize,
}

/// The output thread and the queue to it.
pub struct Pipeline {
    tx: Option<SyncSender<Batch>>,
    thread: Option<JoinHandle<Option<OutputError>>>,
    shared: Arc<Shared>,
    bounds: Bounds,
    delivery: Delivery,
}

impl Pipeline {
    /// Start the output thread for `outputs`.
    pub fn start(outputs: Vec<Box<dyn Output>>, bounds: Bounds) -> std::io::Result<Pipeline> {
        let shared = Arc::new(Shared {
            queued_bytes: AtomicUsize::new(0),
            queued_samples: AtomicUsize::new(0),
            state: AtomicU8::new(RUNNING),
        });
        let (tx, rx) = mpsc::sync_channel::<Batch>(bounds.samples.max(1));
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("netstatspy-out".into())
            .spawn(move || write_loop(outputs, &rx, &thread_shared))?;
        Ok(Pipeline {
            tx: Some(tx),
            thread: Some(thread),
            shared,
            bounds,
            delivery: Delivery::default(),
        })
    }

    /// Hand one sample's records to the outputs, without waiting.
    pub fn submit(&mut self, records: Vec<Record>) -> Submitted {
        if self.state() != State::Running {
            return Submitted::Stopped;
        }
        let Some(tx) = &self.tx else {
            return Submitted::Stopped;
        };
        let bytes = records
            .iter()
            .map(|r| std::mem::size_of::<Record>() + r.stats.approx_bytes())
            .sum::<usize>();
        let queued = self.shared.queued_bytes.load(Ordering::Relaxed);
        let count = records.len() as u64;
        if queued > 0 && queued + bytes > self.bounds.bytes {
            return self.dropped(count);
        }
        self.shared.queued_bytes.fetch_add(bytes, Ordering::Relaxed);
        let waiting = self.shared.queued_samples.fetch_add(1, Ordering::Relaxed) + 1;
        match tx.try_send(Batch { records, bytes }) {
            Ok(()) => {
                self.delivery.samples_queued += 1;
                self.delivery.max_queued = self.delivery.max_queued.max(waiting);
                Submitted::Queued
            }
            Err(e) => {
                self.shared.queued_bytes.fetch_sub(bytes, Ordering::Relaxed);
                self.shared.queued_samples.fetch_sub(1, Ordering::Relaxed);
                match e {
                    TrySendError::Full(_) => self.dropped(count),
                    TrySendError::Disconnected(_) => Submitted::Stopped,
                }
            }
        }
    }

    fn dropped(&mut self, records: u64) -> Submitted {
        self.delivery.samples_dropped += 1;
        self.delivery.records_dropped += records;
        Submitted::Dropped
    }

    /// Whether the outputs are still writing.
    pub fn state(&self) -> State {
        match self.shared.state.load(Ordering::Relaxed) {
            RUNNING => State::Running,
            CLOSED => State::Closed,
            _ => State::Failed,
        }
    }

    /// What was delivered so far.
    pub fn delivery(&self) -> Delivery {
        self.delivery
    }

    /// Samples waiting to be written now.
    pub fn queued(&self) -> usize {
        self.shared.queued_samples.load(Ordering::Relaxed)
    }

    /// Write out everything queued, finish every output and stop the thread; returns what was
    /// delivered, the state the outputs ended in, and the first error of an output that failed.
    pub fn finish(mut self) -> (Delivery, State, Option<OutputError>) {
        // Closing the queue ends the thread's loop once the queue is drained.
        drop(self.tx.take());
        let error = match self.thread.take().map(JoinHandle::join) {
            Some(Ok(error)) => error,
            Some(Err(_)) => Some(OutputError::Stdout(std::io::Error::other(
                "the output thread ended abnormally",
            ))),
            None => None,
        };
        (self.delivery, self.state(), error)
    }
}

impl Drop for Pipeline {
    fn drop(&mut self) {
        drop(self.tx.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The output thread: write every batch to every output still writing.
fn write_loop(
    mut outputs: Vec<Box<dyn Output>>,
    rx: &mpsc::Receiver<Batch>,
    shared: &Shared,
) -> Option<OutputError> {
    let mut error = None;
    let mut alive = vec![true; outputs.len()];
    let fail = |i: usize, e: OutputError, alive: &mut [bool], error: &mut Option<OutputError>| {
        alive[i] = false;
        match e {
            OutputError::Closed => {
                let _ = shared.state.compare_exchange(
                    RUNNING,
                    CLOSED,
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                );
            }
            e => {
                shared.state.store(FAILED, Ordering::Relaxed);
                error.get_or_insert(e);
            }
        }
    };
    loop {
        match rx.recv_timeout(TICK) {
            Ok(batch) => {
                for (i, output) in outputs.iter_mut().enumerate() {
                    if !alive[i] {
                        continue;
                    }
                    let result = batch
                        .records
                        .iter()
                        .try_for_each(|r| output.write(r))
                        .and_then(|()| output.end_sample());
                    if let Err(e) = result {
                        fail(i, e, &mut alive, &mut error);
                    }
                }
                shared
                    .queued_bytes
                    .fetch_sub(batch.bytes, Ordering::Relaxed);
                shared.queued_samples.fetch_sub(1, Ordering::Relaxed);
            }
            Err(RecvTimeoutError::Timeout) => {
                for (i, output) in outputs.iter_mut().enumerate() {
                    if alive[i]
                        && let Err(e) = output.tick()
                    {
                        fail(i, e, &mut alive, &mut error);
                    }
                }
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    // Flush every output that is still writing, even when another one failed.
    for (i, output) in outputs.iter_mut().enumerate() {
        if alive[i]
            && let Err(e) = output.finish()
        {
            fail(i, e, &mut alive, &mut error);
        }
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
        assert_eq!(delivery.samples_dropped as usize, dropped);
        assert_eq!(delivery.records_dropped as usize, dropped);
        assert_eq!(seen.lock().expect("lock").len(), queued);
        assert!(*finished.lock().expect("lock"));
    }

    #[test]
    fn the_memory_bound_drops_too() {
        struct Slow;
        impl Output for Slow {
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
        assert_eq!(delivery.samples_dropped as usize, dropped);
    }

    #[test]
    fn a_closed_output_stops_the_run_and_the_others_are_still_finished() {
        struct Closed;
        impl Output for Closed {
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
}
