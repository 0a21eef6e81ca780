//! Where the readers' kernel input comes from: the live kernel, the live kernel with every
//! exchange recorded to a capture, or a replayed capture.

use std::io;

use crate::capture::{Recording, Replay, SharedReplay, SharedWriter};
use crate::netlink::{NetlinkSocket, Transport};

/// The origin of netlink replies for every reader of a run.
#[derive(Clone)]
pub enum Source {
    /// Ask the kernel.
    Live,
    /// Ask the kernel and record every request and reply.
    Record(SharedWriter),
    /// Answer from a recorded capture.
    Replay(SharedReplay),
}

impl Source {
    /// A transport for netlink `protocol` (e.g. `NETLINK_ROUTE`).
    pub fn transport(&self, protocol: isize) -> io::Result<Box<dyn Transport>> {
        Ok(match self {
            Source::Live => Box::new(NetlinkSocket::open(protocol)?),
            Source::Record(writer) => Box::new(Recording::new(
                NetlinkSocket::open(protocol)?,
                protocol as u16,
                writer.clone(),
            )),
            Source::Replay(replay) => Box::new(Replay::new(replay.clone(), protocol as u16)),
        })
    }
}
