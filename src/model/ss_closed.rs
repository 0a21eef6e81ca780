//! The `ss_closed` statistics: sockets that closed since the previous sample, each with the
//! time its close was reported and its last state in the `ss` element's schema.

use std::time::Duration;

use super::describe::{Describe, Field, Visitor};
use super::ss::Socket;

/// One socket that closed.
#[derive(Debug, Clone)]
pub struct ClosedSocket {
    /// When the kernel's report of its destruction was received (Unix time). The kernel sends
    /// these reports from a work queue, so this follows the close by microseconds to
    /// milliseconds.
    pub closed_at: Duration,
    /// Its last state, as the kernel reported it.
    pub socket: Socket,
}

const CLOSED_AT: Field = Field::label("closed_at");

impl Describe for ClosedSocket {
    fn describe<V: Visitor>(&self, v: &mut V) {
        v.f64(&CLOSED_AT, self.closed_at.as_micros() as f64 / 1e6);
        self.socket.describe(v);
    }
}
