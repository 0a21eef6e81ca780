//! Readers: each owns its kernel handles for the run and turns one sample into the model's
//! typed statistics.
//!
//! A netlink reader takes its input through a [`Transport`](crate::netlink::Transport) and, when
//! it caches per-link state, a [`LinkWatch`](crate::netlink::watch::LinkWatch) change feed;
//! whether these are the live kernel or something else is the caller's business. The sysfs and
//! procfs readers take their root directory. Readers never depend on each other.

use std::fmt;
use std::time::Duration;

use crate::model::Stats;
use crate::netlink::{DumpCounters, NetlinkError};

pub mod ip;
pub mod kernel_file;
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
    /// Problems that did not stop the sample.
    pub warnings: Vec<Warning>,
}

/// What [`Reader::exchange`] returns.
#[derive(Debug, Clone, Default)]
pub struct Exchanged {
    /// True when a dump stayed inconsistent after every retry.
    pub partial: bool,
    /// Problems that did not stop the sample.
    pub warnings: Vec<Warning>,
}

/// A problem that did not stop a sample; the sampler reports each distinct one once.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Warning {
    /// The interface asked for with `--iface` went away; sampling goes on.
    InterfaceGone(String),
    /// An interface reported gone is there again; sampling of it resumes. The sampler says so
    /// when no reader reports the interface gone any more (readers never produce this).
    InterfaceBack(String),
    /// A sysfs or procfs file could not be read or listed (the text names it and the cause).
    File(String),
    /// The transport reported something (e.g. a recording that stopped).
    Transport(String),
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::InterfaceGone(name) => write!(
                f,
                "interface {name:?} is gone; sampling goes on and resumes when it returns"
            ),
            Warning::InterfaceBack(name) => {
                write!(f, "interface {name:?} is back; sampling of it resumes")
            }
            Warning::File(text) | Warning::Transport(text) => f.write_str(text),
        }
    }
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
    /// Make one sample's kernel exchanges without decoding their answers, for a run that only
    /// records them (`--record` without a logger): the requests are those [`Reader::collect`]
    /// would make, in the same order, so a replay decodes the recording as if it had been
    /// read. The default collects and drops the result.
    fn exchange(&mut self) -> Result<Exchanged, ReadError> {
        self.collect().map(|c| Exchanged {
            partial: c.partial,
            warnings: c.warnings,
        })
    }
    /// False for readers whose input a netlink recording cannot hold (sysfs, procfs, multicast
    /// reports): a run that only records does not read them.
    fn recordable(&self) -> bool {
        true
    }
    /// Recoveries of the netlink dump loop so far (redone, partial, reopened dumps).
    fn dump_counters(&self) -> DumpCounters {
        DumpCounters::default()
    }
}
