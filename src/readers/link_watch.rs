//! Link change notifications: readers that cache what depends on the set of links (names,
//! metadata, sysfs queue directories) re-read it only when the kernel announces a change.

use std::io;

use netlink_sys::constants::NETLINK_ROUTE;

use crate::capture::SharedReplay;
use crate::netlink::{NetlinkError, NetlinkSocket};
use crate::source::Source;

/// `RTMGRP_LINK`: the multicast group of link notifications.
const RTMGRP_LINK: u32 = 1;
/// `RTM_GETLINK`: the link dump a reader asks for when links changed.
const RTM_GETLINK: u16 = 18;

/// The error of opening a `NETLINK_ROUTE` socket.
pub fn route_open_error(source: io::Error) -> NetlinkError {
    NetlinkError::Open {
        protocol: "NETLINK_ROUTE",
        source,
    }
}

/// The link watch of a reader whose netlink input comes from `source`: link notifications from
/// the kernel (subscribed now, before the reader's first dump, so no change falls between the
/// two), or for a replayed capture the capture's own order. `other_request` is the message type
/// the reader sends when links did not change (`RTM_GETSTATS`, `RTM_GETQDISC`).
pub fn for_source(source: &Source, other_request: u16) -> Result<Box<dyn LinkWatch>, NetlinkError> {
    Ok(match source {
        Source::Replay(replay) => Box::new(ReplayedLinkWatch {
            replay: replay.clone(),
            other_request,
        }),
        Source::Live | Source::Record(_) => {
            Box::new(LinkEvents::subscribe().map_err(route_open_error)?)
        }
    })
}

/// The link watch of a replayed capture: a change is reported when the capture's next exchange
/// among the reader's two requests is a full `RTM_GETLINK` dump, so the reader asks what the
/// recorded reader asked.
pub struct ReplayedLinkWatch {
    replay: SharedReplay,
    other_request: u16,
}

impl LinkWatch for ReplayedLinkWatch {
    fn changed(&mut self) -> bool {
        let next = self
            .replay
            .borrow()
            .next_kind(0, &[RTM_GETLINK, self.other_request]);
        next == Some(RTM_GETLINK)
    }
}

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
        let socket = NetlinkSocket::open_multicast(NETLINK_ROUTE, RTMGRP_LINK)?;
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
