//! JSON Lines: one record per line, appended to a file.
//!
//! Records are encoded by [`encoder::JsonEncoder`] from the model's field descriptions.
//!
//! Lines are serialised into a buffer of complete lines that is written with one `write` at
//! least once a second (and when it grows large, and at the end). A line therefore never
//! reaches the file in pieces from us; if a write fails part-way (disk full), the file is cut
//! back to its length before the write, so every line in it stays complete.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub mod encoder;

use self::encoder::JsonEncoder;
use super::{Output, OutputError};
use crate::clock;
use crate::model::Record;

/// Write out at least this often.
const FLUSH_INTERVAL_NS: u64 = 1_000_000_000;
/// Write out early when this much is buffered.
const FLUSH_BYTES: usize = 1 << 20;

/// The JSON Lines output.
pub struct JsonLines {
    path: PathBuf,
    file: File,
    pending: Vec<u8>,
    last_flush_ns: u64,
    encoder: JsonEncoder,
}

impl JsonLines {
    /// Open `path` for appending (created when missing; never truncated).
    pub fn open(path: &Path) -> Result<JsonLines, OutputError> {
        let file = OpenOptions::new()
            .append(true)
            .create(true)
            .open(path)
            .map_err(|source| OutputError::File {
                path: path.to_owned(),
                source,
            })?;
        Ok(JsonLines {
            path: path.to_owned(),
            file,
            pending: Vec::with_capacity(64 * 1024),
            last_flush_ns: clock::monotonic_ns(),
            encoder: JsonEncoder::new(),
        })
    }

    fn error(&self, source: io::Error) -> OutputError {
        OutputError::File {
            path: self.path.clone(),
            source,
        }
    }

    fn write_out(&mut self) -> Result<(), OutputError> {
        self.last_flush_ns = clock::monotonic_ns();
        if self.pending.is_empty() {
            return Ok(());
        }
        let before = self.file.metadata().map(|m| m.len());
        let mut written = 0;
        while written < self.pending.len() {
            match self.file.write(&self.pending[written..]) {
                Ok(0) => {
                    return Err(self.cut_back(before, written, io::ErrorKind::WriteZero.into()));
                }
                Ok(n) => written += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.cut_back(before, written, e)),
            }
        }
        self.pending.clear();
        Ok(())
    }

    /// After a failed write (disk full, I/O error): keep the complete lines that reached the
    /// file and cut off a partial last one, so the file still ends with a complete line.
    fn cut_back(&mut self, before: io::Result<u64>, written: usize, e: io::Error) -> OutputError {
        if let Ok(len) = before {
            let complete = self.pending[..written]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let _ = self.file.set_len(len + complete as u64);
        }
        self.error(e)
    }
}

impl Output for JsonLines {
    fn name(&self) -> &'static str {
        "json"
    }

    fn write(&mut self, record: &Record) -> Result<(), OutputError> {
        self.encoder.record(record, &mut self.pending);
        self.pending.push(b'\n');
        Ok(())
    }

    fn end_sample(&mut self) -> Result<(), OutputError> {
        let due = clock::monotonic_ns().saturating_sub(self.last_flush_ns) >= FLUSH_INTERVAL_NS;
        if due || self.pending.len() >= FLUSH_BYTES {
            self.write_out()?;
        }
        Ok(())
    }

    fn tick(&mut self) -> Result<(), OutputError> {
        if clock::monotonic_ns().saturating_sub(self.last_flush_ns) >= FLUSH_INTERVAL_NS {
            self.write_out()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), OutputError> {
        self.write_out()
    }
}
