//! Readers: each owns its kernel handles for the run and turns one sample into typed statistics.

use std::time::Duration;

use crate::netlink::{DumpCounters, NetlinkError};
use crate::record::Stats;

pub mod attrs;
pub mod ip;
pub mod json_out;
pub mod kernel_file;
pub mod link_watch;
pub mod queue_limits;
pub mod small_queue;
pub mod ss;
pub mod tc;

/// What one [`Reader::collect`] returns.
#[derive(Debug, Clone)]
pub struct Collected {
    /// The statistics of this sample.
    pub stats: Stats,
    /// True when a dump stayed inconsistent after every retry.
    pub partial: bool,
    /// When the data was read, if not now: the recorded time of a replayed capture.
    pub captured_at: Option<Duration>,
    /// Problems that did not stop the sample (an unreadable file, a value that is not a
    /// number); each distinct text is shown once.
    pub warnings: Vec<String>,
}

/// An error of a reader.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The netlink exchange failed.
    #[error(transparent)]
    Netlink(#[from] NetlinkError),
    /// The interface asked for with `--iface` does not exist.
    #[error("interface {0:?} does not exist")]
    NoSuchInterface(String),
    /// A sysfs or procfs file could not be read.
    #[error(transparent)]
    File(#[from] kernel_file::FileError),
}

impl ReadError {
    /// True when the input ended (a replayed capture is used up): the end of a replay, not a
    /// failure.
    pub fn is_end_of_input(&self) -> bool {
        matches!(self, ReadError::Netlink(NetlinkError::EndOfInput { .. }))
    }
}

/// A source of statistics sampled by the [`Sampler`](crate::sampler::Sampler).
pub trait Reader {
    /// The record type: `"ip"`, `"tc"`, `"ss"`, `"queue_limits"` or `"small_queue"`.
    fn kind(&self) -> &'static str;
    /// Read one sample.
    fn collect(&mut self) -> Result<Collected, ReadError>;
    /// Recoveries of the netlink dump loop so far (redone, partial, reopened dumps).
    fn dump_counters(&self) -> DumpCounters {
        DumpCounters::default()
    }
}
