//! The `small_queue` statistics of one sample: the TCP Small Queues limit.

use super::describe::{Describe, Field, Unit, Visitor};

/// One sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmallQueue {
    /// `net.ipv4.tcp_limit_output_bytes`: bytes a TCP socket may have queued below it in
    /// qdiscs and device queues.
    pub tcp_limit_output_bytes: u64,
}

const TCP_LIMIT_OUTPUT_BYTES: Field = Field::gauge("tcp_limit_output_bytes", Unit::Bytes);

impl Describe for SmallQueue {
    fn describe<V: Visitor>(&self, v: &mut V) {
        v.u64(&TCP_LIMIT_OUTPUT_BYTES, self.tcp_limit_output_bytes);
    }
}
