//! Where the readers' netlink input comes from: the live kernel, the live kernel with every
//! exchange recorded to a capture, or a replayed capture. Readers only see the transport and
//! the link change feed made here.

use std::io;

use netlink_sys::constants::NETLINK_ROUTE;

use crate::bpf::{KernelPrograms, NoPrograms, Programs};
use crate::capture::{
    Recording, Replay, ReplayedLinkWatch, ReplayedNameWatch, SharedReplay, SharedWriter,
};
use crate::netlink::names::{LinkNames, NameWatch};
use crate::netlink::watch::{LinkEvents, LinkWatch};
use crate::netlink::{NetlinkError, NetlinkSocket, Transport, route_open_error};

/// A route reader's transport and link change feed.
pub type RouteInputs = (Box<dyn Transport>, Box<dyn LinkWatch>);

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

    /// The link change feed of a reader that caches per-link state: the kernel's link
    /// notifications (subscribe before the reader's first dump, so no change falls between the
    /// two), or for a replayed capture the capture's own order. `other_request` is the message
    /// type the reader sends when links did not change (`RTM_GETSTATS`, `RTM_GETQDISC`).
    pub fn link_watch(&self, other_request: u16) -> io::Result<Box<dyn LinkWatch>> {
        Ok(match self {
            Source::Replay(replay) => {
                Box::new(ReplayedLinkWatch::new(replay.clone(), other_request))
            }
            Source::Live | Source::Record(_) => Box::new(LinkEvents::subscribe()?),
        })
    }

    /// Where BPF programs' information comes from: the kernel (also when recording: the
    /// capture holds the netlink exchanges, not these answers), or for a replay nobody, so a
    /// replayed XDP program carries its id only.
    pub fn programs(&self) -> Box<dyn Programs> {
        match self {
            Source::Live | Source::Record(_) => Box::new(KernelPrograms),
            Source::Replay(_) => Box::new(NoPrograms),
        }
    }

    /// What a `NETLINK_ROUTE` reader that caches per-link state takes: its link change feed
    /// (subscribed first, so no change falls before the reader's first dump) and its transport.
    pub fn route_reader(&self, other_request: u16) -> Result<RouteInputs, NetlinkError> {
        let watch = self.link_watch(other_request).map_err(route_open_error)?;
        let transport = self.transport(NETLINK_ROUTE).map_err(route_open_error)?;
        Ok((transport, watch))
    }

    /// Interface names by index for a reader whose own requests are of netlink
    /// `reader_protocol` (the ss reader: `NETLINK_SOCK_DIAG`): asked for over `NETLINK_ROUTE` and
    /// cached until link notifications arrive, or for a replayed capture exactly where the
    /// recorded run asked.
    pub fn link_names(&self, reader_protocol: isize) -> Result<LinkNames, NetlinkError> {
        let watch: Box<dyn NameWatch> = match self {
            Source::Replay(replay) => Box::new(ReplayedNameWatch::new(
                replay.clone(),
                reader_protocol as u16,
            )),
            Source::Live | Source::Record(_) => {
                Box::new(LinkEvents::subscribe().map_err(route_open_error)?)
            }
        };
        let transport = self.transport(NETLINK_ROUTE).map_err(route_open_error)?;
        Ok(LinkNames::new(transport, watch))
    }
}
