//! Loggers: they receive records and never touch the kernel.

use std::io;
use std::path::PathBuf;

use crate::record::Record;

pub mod console;
pub mod json;

/// An error of a logger.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
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
}

/// A sink for records.
pub trait Logger {
    /// Take one record.
    fn log(&mut self, record: &Record) -> Result<(), LogError>;
    /// Every reader's record of the current sample has been given.
    fn end_sample(&mut self) -> Result<(), LogError> {
        Ok(())
    }
    /// The run is over: write out everything still buffered.
    fn finish(&mut self) -> Result<(), LogError>;
}
