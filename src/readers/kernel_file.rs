//! A sysfs or procfs file kept open for the run and re-read with `pread` at offset 0, so a
//! sample costs one system call per file and no `open`.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// An error reading a kernel file.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The file could not be opened or read.
    #[error("cannot read {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        #[source]
        source: io::Error,
    },
    /// The file does not hold a number.
    #[error("{} does not hold a number: {content:?}", path.display())]
    NotANumber {
        /// The file.
        path: PathBuf,
        /// What it holds (trimmed, at most 40 bytes).
        content: String,
    },
}

impl FileError {
    /// True when the file's object is gone (device removed): sysfs answers `ENODEV` on read of
    /// an open attribute of a deleted device, and `ENOENT` on open.
    pub fn is_gone(&self) -> bool {
        match self {
            FileError::Io { source, .. } => {
                source.kind() == io::ErrorKind::NotFound
                    || source.raw_os_error() == Some(libc::ENODEV)
            }
            FileError::NotANumber { .. } => false,
        }
    }
}

/// An open kernel file holding one unsigned number.
#[derive(Debug)]
pub struct KernelFile {
    path: PathBuf,
    file: File,
}

impl KernelFile {
    /// Open `path` for reading.
    pub fn open(path: &Path) -> Result<KernelFile, FileError> {
        let file = File::open(path).map_err(|source| FileError::Io {
            path: path.to_owned(),
            source,
        })?;
        Ok(KernelFile {
            path: path.to_owned(),
            file,
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read the file from offset 0 and parse its number.
    pub fn read_u64(&self) -> Result<u64, FileError> {
        // sysfs and procfs numbers are short; a longer content is not a number anyway.
        let mut buf = [0u8; 64];
        let n = loop {
            match self.file.read_at(&mut buf, 0) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(source) => {
                    return Err(FileError::Io {
                        path: self.path.clone(),
                        source,
                    });
                }
            }
        };
        parse_u64(&buf[..n]).ok_or_else(|| FileError::NotANumber {
            path: self.path.clone(),
            content: String::from_utf8_lossy(&buf[..n.min(40)]).trim().to_owned(),
        })
    }
}

/// Parse a decimal number with surrounding white space, as sysfs and procfs print them.
pub fn parse_u64(bytes: &[u8]) -> Option<u64> {
    std::str::from_utf8(bytes).ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_kernel_numbers() {
        assert_eq!(parse_u64(b"4194304\n"), Some(4_194_304));
        assert_eq!(parse_u64(b"0"), Some(0));
        assert_eq!(parse_u64(b" 12 \n"), Some(12));
        assert_eq!(parse_u64(b"1879048192\n"), Some(1_879_048_192));
        assert_eq!(parse_u64(b"abc\n"), None);
        assert_eq!(parse_u64(b"-1\n"), None);
        assert_eq!(parse_u64(b""), None);
        assert_eq!(parse_u64(b"1 2"), None);
    }

    #[test]
    fn rereads_at_offset_zero() {
        let dir = std::env::temp_dir().join(format!("nsp-kf-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("value");
        std::fs::write(&path, "17\n").expect("write");
        let f = KernelFile::open(&path).expect("open");
        assert_eq!(f.read_u64().expect("read"), 17);
        std::fs::write(&path, "4096\n").expect("rewrite");
        assert_eq!(f.read_u64().expect("reread"), 4096);
        std::fs::write(&path, "lots\n").expect("rewrite");
        let err = f.read_u64().expect_err("not a number");
        assert!(err.to_string().contains("\"lots\""), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
