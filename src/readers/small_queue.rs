//! The `small_queue` reader: the TCP Small Queues limit,
//! `/proc/sys/net/ipv4/tcp_limit_output_bytes` (bytes a TCP socket may have queued below it in
//! qdiscs and device queues). The file is opened once and re-read with `pread`.

use std::path::Path;

use super::kernel_file::KernelFile;
use super::{Collected, ReadError, Reader};
use crate::model::Stats;
use crate::model::small_queue::SmallQueue;

/// The file, relative to the procfs root.
pub const TCP_LIMIT_OUTPUT_BYTES: &str = "sys/net/ipv4/tcp_limit_output_bytes";

/// The `small_queue` reader.
pub struct SmallQueueReader {
    file: KernelFile,
}

impl SmallQueueReader {
    /// Read the live `/proc`.
    pub fn open() -> Result<SmallQueueReader, ReadError> {
        SmallQueueReader::with_root(Path::new("/proc"))
    }

    /// Read the procfs tree mounted at `proc` (the seam tests point at a fake tree).
    pub fn with_root(proc: &Path) -> Result<SmallQueueReader, ReadError> {
        let file = KernelFile::open(&proc.join(TCP_LIMIT_OUTPUT_BYTES))?;
        // A file that exists but does not read as a number is refused now, not at each sample.
        file.read_u64()?;
        Ok(SmallQueueReader { file })
    }
}

impl Reader for SmallQueueReader {
    fn kind(&self) -> &'static str {
        "small_queue"
    }

    fn recordable(&self) -> bool {
        false
    }

    fn collect(&mut self) -> Result<Collected, ReadError> {
        let tcp_limit_output_bytes = self.file.read_u64()?;
        Ok(Collected {
            stats: Stats::SmallQueue(vec![SmallQueue {
                tcp_limit_output_bytes,
            }]),
            partial: false,
            captured_at: None,
            warnings: Vec::new(),
        })
    }
}
