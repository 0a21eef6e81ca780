//! JSON Lines: one record per line, appended to a file, to a zstd-compressed file, or written
//! to standard output.
//!
//! Records are encoded by [`encoder::JsonEncoder`] from the model's field descriptions; with
//! `--changes-only`, sampled state goes through [`changes::ChangesEncoder`], which writes only
//! what changed.
//!
//! Lines are serialised into a buffer of complete lines that is written with one `write` at
//! least once a second (and when it grows large, and at the end). A line therefore never
//! reaches the file in pieces from us; if a write fails part-way (disk full), the file is cut
//! back to its length before the write, so every line in it stays complete.
//!
//! A file whose name ends in `.zst` gets each such write as one zstd frame (level 1, with a
//! checksum): a run killed at any moment leaves complete frames that `zstd -dc` reads, and a
//! failed write is cut back to the end of the last complete frame. Appending adds frames; a
//! frame cut short by a killed run is cut off before appending (see [`JsonLines::repaired`]).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub mod changes;
pub mod encoder;
pub mod frames;

use self::changes::ChangesEncoder;
use self::encoder::JsonEncoder;
use super::{Output, OutputError};
use crate::clock;
use crate::model::Record;

/// Write out at least this often.
const FLUSH_INTERVAL_NS: u64 = 1_000_000_000;
/// Write out early when this much is buffered.
const FLUSH_BYTES: usize = 1 << 20;

/// zstd level of `.zst` files: the fastest, as the output runs beside sampling.
const ZSTD_LEVEL: i32 = 1;

/// The JSON Lines output.
pub struct JsonLines {
    path: PathBuf,
    target: Target,
    /// Set for `.zst` files: each write is one frame.
    compressor: Option<zstd::bulk::Compressor<'static>>,
    frame: Vec<u8>,
    pending: Vec<u8>,
    last_flush_ns: u64,
    encoder: JsonEncoder,
    /// Set with `--changes-only`.
    changes: Option<ChangesEncoder>,
    repaired: Option<u64>,
}

enum Target {
    File(File),
    Stdout(io::Stdout),
}

impl JsonLines {
    /// Open `path` for appending (created when missing; never truncated): zstd frames when its
    /// name ends in `.zst`, standard output when it is `-`.
    pub fn open(path: &Path) -> Result<JsonLines, OutputError> {
        let mut out = JsonLines {
            path: path.to_owned(),
            target: Target::Stdout(io::stdout()),
            compressor: None,
            frame: Vec::new(),
            pending: Vec::with_capacity(64 * 1024),
            last_flush_ns: clock::monotonic_ns(),
            encoder: JsonEncoder::new(),
            changes: None,
            repaired: None,
        };
        if path == Path::new("-") {
            return Ok(out);
        }
        let compressed = path.extension().is_some_and(|e| e == "zst");
        let file = OpenOptions::new()
            .read(compressed)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|source| OutputError::File {
                path: path.to_owned(),
                source,
            })?;
        if compressed {
            let len = file.metadata().map_err(|e| out.error(e))?.len();
            let complete = frames::complete_length(&file, len).map_err(|e| out.error(e))?;
            if complete < len {
                file.set_len(complete).map_err(|e| out.error(e))?;
                out.repaired = Some(len - complete);
            }
            let mut c = zstd::bulk::Compressor::new(ZSTD_LEVEL).map_err(|e| out.error(e))?;
            c.include_checksum(true).map_err(|e| out.error(e))?;
            out.compressor = Some(c);
        }
        out.target = Target::File(file);
        Ok(out)
    }

    /// Write sampled state as changes ([`changes`]), with a keyframe at least every
    /// `keyframe`.
    pub fn changes_only(mut self, keyframe: Duration) -> JsonLines {
        self.changes = Some(ChangesEncoder::new(keyframe));
        self
    }

    /// Bytes cut off the end of a `.zst` file before appending: a frame a killed run left
    /// unfinished (its lines were never complete in the file).
    pub fn repaired(&self) -> Option<u64> {
        self.repaired
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
        let file = match &mut self.target {
            Target::Stdout(out) => {
                let result = out.write_all(&self.pending).and_then(|()| out.flush());
                self.pending.clear();
                return result.map_err(|e| match e.kind() {
                    io::ErrorKind::BrokenPipe => OutputError::Closed,
                    _ => OutputError::Stdout(e),
                });
            }
            Target::File(file) => file,
        };
        let bytes = match &mut self.compressor {
            Some(c) => {
                self.frame.clear();
                self.frame
                    .reserve(zstd::zstd_safe::compress_bound(self.pending.len()));
                if let Err(e) = c.compress_to_buffer(&self.pending, &mut self.frame) {
                    return Err(OutputError::File {
                        path: self.path.clone(),
                        source: e,
                    });
                }
                &self.frame
            }
            None => &self.pending,
        };
        let before = file.metadata().map(|m| m.len());
        let mut written = 0;
        let mut failure = None;
        while written < bytes.len() {
            match file.write(&bytes[written..]) {
                Ok(0) => {
                    failure = Some(io::Error::from(io::ErrorKind::WriteZero));
                    break;
                }
                Ok(n) => written += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        if let Some(e) = failure {
            // Keep what is complete: whole lines of a plain file; of a compressed one, the
            // frames before this one.
            if let Ok(len) = before {
                let complete = match self.compressor {
                    Some(_) => 0,
                    None => bytes[..written]
                        .iter()
                        .rposition(|&b| b == b'\n')
                        .map_or(0, |i| i + 1),
                };
                let _ = file.set_len(len + complete as u64);
            }
            return Err(self.error(e));
        }
        self.pending.clear();
        Ok(())
    }
}

impl Output for JsonLines {
    fn name(&self) -> &'static str {
        "json"
    }

    fn write(&mut self, record: &Record) -> Result<(), OutputError> {
        match &mut self.changes {
            Some(changes) => changes.record(&mut self.encoder, record, &mut self.pending),
            None => self.encoder.record(record, &mut self.pending),
        }
        self.pending.push(b'\n');
        Ok(())
    }

    fn end_sample(&mut self) -> Result<(), OutputError> {
        // Standard output is usually a pipe to a program that wants each sample as it comes.
        let due = matches!(self.target, Target::Stdout(_))
            || clock::monotonic_ns().saturating_sub(self.last_flush_ns) >= FLUSH_INTERVAL_NS;
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
