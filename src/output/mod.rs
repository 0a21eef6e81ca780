//! Outputs: they receive records and never touch the kernel.
//!
//! Every output is generated from the model's field descriptions: [`json`] encodes them, the
//! [`console`] picks the fields it shows and computes rates of the counters. Outputs run on
//! their own thread behind the bounded queue of the [`pipeline`], so a slow disk or terminal
//! never delays sampling.

use std::io;
use std::path::PathBuf;

use crate::model::Record;

pub mod console;
pub mod json;
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
}

/// A sink for records.
pub trait Output: Send {
    /// Take one record.
    fn write(&mut self, record: &Record) -> Result<(), OutputError>;
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
