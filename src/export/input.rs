//! Lines of a JSON Lines file, plain or zstd-compressed (every frame of a file that runs were
//! appended to), with the bytes read so far for progress, and a clear account of how it ended:
//! every complete line is delivered; an unfinished last line, a zstd frame a killed run left
//! unfinished (found from the frame headers, as the JSON writer finds it before appending), or
//! compressed data that does not decode, ends the file with a [`Cut`].

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::rc::Rc;

use crate::output::json::frames::complete_length;

/// How a file's lines ended short of a clean end.
#[derive(Debug)]
pub enum Cut {
    /// The last line has no newline and is not a complete JSON value: `bytes` long.
    UnfinishedLine {
        /// Its length.
        bytes: usize,
    },
    /// The compressed file ends in a zstd frame that is cut short (or, from there on, is not
    /// zstd): its lines are not read.
    UnfinishedFrame {
        /// Bytes of the file from the start of that frame.
        bytes: u64,
    },
    /// A zstd frame whose headers are whole does not decode (damaged data, a wrong checksum):
    /// the file is read up to it; `bytes` of a line that had begun are not delivered.
    Frame {
        /// What zstd said.
        error: io::Error,
        /// Bytes of an unfinished line dropped with it.
        bytes: usize,
    },
}

/// Counts the bytes read from the file, and keeps the file's own read error apart from what
/// the decompressor reports.
struct Counting {
    file: File,
    read: Rc<Cell<u64>>,
    failed: Rc<Cell<bool>>,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.file.read(buf) {
            Ok(n) => {
                self.read.set(self.read.get() + n as u64);
                Ok(n)
            }
            Err(e) => {
                if e.kind() != io::ErrorKind::Interrupted {
                    self.failed.set(true);
                }
                Err(e)
            }
        }
    }
}

/// One line.
pub enum Line<'a> {
    /// A complete line, without its newline.
    Complete(&'a [u8]),
    /// The last line of the file, without a newline: complete if it parses.
    Last(&'a [u8]),
}

/// The lines of one file.
pub struct Lines {
    reader: Box<dyn BufRead>,
    compressed: bool,
    read: Rc<Cell<u64>>,
    failed: Rc<Cell<bool>>,
    buf: Vec<u8>,
    /// Lines delivered.
    pub number: u64,
    /// How the file ended short, once it did.
    pub cut: Option<Cut>,
    done: bool,
    /// Bytes after the last complete zstd frame.
    unfinished_frame: u64,
}

impl Lines {
    /// Open `path`: zstd frames when its name ends in `.zst`.
    pub fn open(path: &Path) -> io::Result<Lines> {
        let file = File::open(path)?;
        if file.metadata()?.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                "is a directory",
            ));
        }
        let read = Rc::new(Cell::new(0));
        let failed = Rc::new(Cell::new(false));
        let counting = Counting {
            file,
            read: Rc::clone(&read),
            failed: Rc::clone(&failed),
        };
        let compressed = path.extension().is_some_and(|e| e == "zst");
        let mut unfinished_frame = 0;
        let reader: Box<dyn BufRead> = if compressed {
            let len = counting.file.metadata()?.len();
            let complete = complete_length(&counting.file, len)?;
            unfinished_frame = len - complete;
            // Decodes every frame in turn (appended runs), not just the first.
            let decoder = zstd::stream::read::Decoder::new(counting.take(complete))?;
            Box::new(BufReader::with_capacity(1 << 20, decoder))
        } else {
            Box::new(BufReader::with_capacity(1 << 20, counting))
        };
        Ok(Lines {
            reader,
            compressed,
            read,
            failed,
            buf: Vec::with_capacity(64 * 1024),
            number: 0,
            cut: None,
            done: false,
            unfinished_frame,
        })
    }

    /// Bytes of the file (compressed, for `.zst`) read so far.
    pub fn bytes_read(&self) -> u64 {
        self.read.get()
    }

    /// The next line, `None` at the end (see [`Lines::cut`]). An error is the file's own
    /// (it cannot be read); damaged compressed data ends the lines with a [`Cut`] instead.
    pub fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        if self.done {
            return Ok(None);
        }
        self.buf.clear();
        loop {
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(_) => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if self.compressed && !self.failed.get() => {
                    self.done = true;
                    self.cut = Some(Cut::Frame {
                        error: e,
                        bytes: self.buf.len(),
                    });
                    return Ok(None);
                }
                Err(e) => return Err(e),
            }
        }
        if self.buf.is_empty() {
            self.done = true;
            if self.unfinished_frame > 0 {
                self.cut = Some(Cut::UnfinishedFrame {
                    bytes: self.unfinished_frame,
                });
            }
            return Ok(None);
        }
        self.number += 1;
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
            Ok(Some(Line::Complete(&self.buf)))
        } else {
            self.done = true;
            Ok(Some(Line::Last(&self.buf)))
        }
    }
}
