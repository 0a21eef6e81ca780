//! Link change notifications (a change feed): readers that cache what depends on the set of links (names,
//! metadata, sysfs queue directories) re-read it only when the kernel announces a change.

use std::io;

use netlink_sys::constants::NETLINK_ROUTE;

use super::NetlinkSocket;

/// Tells whether links may have changed since the last call.
pub trait LinkWatch {
    /// True when a link was added, removed or changed (or that cannot be ruled out).
    fn changed(&mut self) -> bool;
}

/// The `RTNLGRP_LINK` multicast subscription, drained without blocking at each sample.
pub struct LinkEvents {
    socket: NetlinkSocket,
    buf: Vec<u8>,
}

impl LinkEvents {
    /// Subscribe to link notifications.
    pub fn subscribe() -> io::Result<LinkEvents> {
        let socket = NetlinkSocket::open_multicast(NETLINK_ROUTE, libc::RTMGRP_LINK as u32)?;
        Ok(LinkEvents {
            socket,
            buf: Vec::with_capacity(16 * 1024),
        })
    }
}

impl LinkWatch for LinkEvents {
    fn changed(&mut self) -> bool {
        let mut changed = false;
        loop {
            self.buf.clear();
            match self.socket.try_recv(&mut self.buf) {
                Ok(Some(_)) => changed = true,
                Ok(None) => return changed,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // ENOBUFS: notifications were lost, so anything may have changed. Any other
                // error: be safe and refresh.
                Err(_) => return true,
            }
        }
    }
}

impl<W: LinkWatch + ?Sized> LinkWatch for Box<W> {
    fn changed(&mut self) -> bool {
        (**self).changed()
    }
}

/// A watch that always reports a change: metadata is refreshed at every sample.
#[derive(Debug, Default, Clone, Copy)]
pub struct AlwaysRefresh;

impl LinkWatch for AlwaysRefresh {
    fn changed(&mut self) -> bool {
        true
    }
}

/// A watch that never reports a change: the reader notices changes only by its own reads
/// failing (for trees that are not the live sysfs, such as test fixtures).
#[derive(Debug, Default, Clone, Copy)]
pub struct Unwatched;

impl LinkWatch for Unwatched {
    fn changed(&mut self) -> bool {
        false
    }
}
