//! Outputs: they receive records and never touch the kernel.
//!
//! Outputs read records through the model's field descriptions: [`json`] encodes them whole,
//! the [`console`] picks the fields its tables show (its ss table still reads the socket type
//! itself), [`metrics`] serves them to Prometheus. Each output runs on a thread of its own behind a bounded queue of the [`pipeline`],
//! so a slow disk or a paused terminal delays neither sampling nor the other outputs.

use std::io;
use std::path::PathBuf;
use std::sync::Arc;

use crate::model::Record;

pub mod console;
pub mod json;
pub mod metrics;
pub mod pipeline;

/// An error of an output.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The reader of standard output went away (`netstatspy | head`): a normal end.
    #[error("output closed")]
    Closed,
    /// Writing a file failed.
    #[error("cannot write {}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// The system error.
        source: io::Error,
    },
    /// Writing standard output failed.
    #[error("cannot write to standard output")]
    Stdout(#[source] io::Error),
    /// An output's thread ended abnormally (a bug): what it had not written is lost.
    #[error("the {0} output stopped abnormally")]
    Thread(&'static str),
}

/// A sink for records.
pub trait Output: Send {
    /// A short name for messages (`json`, `console`).
    fn name(&self) -> &'static str;
    /// Take one record.
    fn write(&mut self, record: &Record) -> Result<(), OutputError>;
    /// Take one sample's records, shared: an output that keeps records beyond the call
    /// overrides this to keep them without a copy. The default gives each record to
    /// [`Output::write`], then calls [`Output::end_sample`].
    fn write_sample(&mut self, records: &Arc<[Record]>) -> Result<(), OutputError> {
        records.iter().try_for_each(|r| self.write(r))?;
        self.end_sample()
    }
    /// Every reader's record of the current sample has been given.
    fn end_sample(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    /// Called about every [`pipeline::TICK`] while no sample arrives: write out what is due.
    fn tick(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    /// The run is over: write out everything still buffered.
    fn finish(&mut self) -> Result<(), OutputError>;
}
