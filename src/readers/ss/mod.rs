//! The `ss` reader: established TCP and UDP sockets, IPv4 and IPv6, from `sock_diag` dumps
//! (`SOCK_DIAG_BY_FAMILY`), with what `ss -inm --tcp --udp -o state established` shows: queues,
//! addresses, uid, inode, cookie, timer, socket memory, congestion control, `tcp_info` and the
//! congestion algorithm's own info (BBR, DCTCP, Vegas).
//!
//! Attributes are walked lazily and only the ones reported are kept. Nothing is allocated per
//! socket beyond the output element. A socket bound to an interface is named through a
//! [`LinkNames`] cache: one `RTM_GETLINK` per interface when it is first met and after the links
//! changed, nothing for sockets that are not bound.

pub mod closed;
pub mod decode;
pub mod filter;

use netlink_packet_sock_diag::SockDiagMessage;
use netlink_packet_sock_diag::inet::{ExtensionFlags, InetRequest, SocketId, StateFlags};
use netlink_sys::constants::NETLINK_SOCK_DIAG;

use self::decode::{
    AF_INET, AF_INET6, IPPROTO_TCP, IPPROTO_UDP, SOCK_DIAG_BY_FAMILY, decode_socket,
};
use super::{Collected, Exchanged, ReadError, Reader, Warning};
use crate::model::Stats;
use crate::model::ss::Netid;
use crate::netlink::names::LinkNames;
use crate::netlink::watch::LinkEvents;
use crate::netlink::{
    DumpCounters, Dumper, NetlinkError, NetlinkSocket, Request, Transport, route_open_error,
};
use crate::uapi::inet_diag::{inet_diag_msg, inet_diag_sockid};
use crate::uapi::inet_diag_bc::INET_DIAG_REQ_BYTECODE;

/// The four dumps of a sample: TCP and UDP, IPv4 and IPv6, established only.
fn requests() -> Vec<(Netid, Request)> {
    let mut out = Vec::with_capacity(4);
    for (netid, protocol) in [(Netid::Tcp, IPPROTO_TCP), (Netid::Udp, IPPROTO_UDP)] {
        for (family, id) in [
            (AF_INET, SocketId::new_v4()),
            (AF_INET6, SocketId::new_v6()),
        ] {
            // What `ss -inm -o` asks for: INFO, VEGASINFO (which also brings BBR and DCTCP
            // info), CONG, MEMINFO and SKMEMINFO.
            let extensions = ExtensionFlags::INFO
                | ExtensionFlags::VEGASINFO
                | ExtensionFlags::CONG
                | ExtensionFlags::MEMINFO
                | ExtensionFlags::SKMEMINFO;
            let request = InetRequest {
                family,
                protocol,
                extensions,
                states: StateFlags::ESTABLISHED,
                socket_id: id,
            };
            let name = match (netid, family) {
                (Netid::Tcp, AF_INET) => "SOCK_DIAG tcp4",
                (Netid::Tcp, _) => "SOCK_DIAG tcp6",
                (Netid::Udp, AF_INET) => "SOCK_DIAG udp4",
                (Netid::Udp, _) => "SOCK_DIAG udp6",
            };
            out.push((
                netid,
                Request::dump(name, SockDiagMessage::InetRequest(request)),
            ));
        }
    }
    out
}

/// The index of a network interface of the current namespace, for `dev` conditions of a
/// [`filter`] run on the live kernel.
pub fn interface_index(name: &str) -> Option<u32> {
    crate::sys::interface_index(name)
}

/// The `ss` reader.
pub struct SsReader<T = NetlinkSocket> {
    dumper: Dumper<T>,
    requests: Vec<(Netid, Request)>,
    /// Sockets of the previous sample, to size the next one's vector at once.
    last_count: usize,
    /// Names of the interfaces sockets are bound to; without it they are named `if<index>`.
    names: Option<LinkNames>,
}

/// The error of opening a `NETLINK_SOCK_DIAG` socket.
pub fn sock_diag_open_error(source: std::io::Error) -> NetlinkError {
    NetlinkError::Open {
        protocol: "NETLINK_SOCK_DIAG",
        source,
    }
}

impl SsReader {
    /// A reader of the live kernel.
    pub fn open() -> Result<Self, ReadError> {
        // Subscribed before the first lookup, so no change falls between the two.
        let watch = LinkEvents::subscribe().map_err(route_open_error)?;
        let route = NetlinkSocket::open(libc::NETLINK_ROUTE as isize).map_err(route_open_error)?;
        let transport = NetlinkSocket::open(NETLINK_SOCK_DIAG).map_err(sock_diag_open_error)?;
        Ok(SsReader::with_source(transport)
            .with_names(LinkNames::new(Box::new(route), Box::new(watch))))
    }
}

impl<T: Transport> SsReader<T> {
    /// A reader over any message source.
    pub fn with_source(transport: T) -> Self {
        SsReader {
            dumper: Dumper::new(transport),
            requests: requests(),
            last_count: 0,
            names: None,
        }
    }

    /// Name the interfaces sockets are bound to with `names`.
    pub fn with_names(mut self, names: LinkNames) -> Self {
        self.names = Some(names);
        self
    }

    /// Ask the kernel for only the sockets `program` (see [`filter`]) accepts.
    pub fn with_filter(mut self, program: &[u8]) -> Self {
        self.requests = std::mem::take(&mut self.requests)
            .into_iter()
            .map(|(netid, r)| (netid, r.with_attribute(INET_DIAG_REQ_BYTECODE, program)))
            .collect();
        self
    }
}

impl<T: Transport> Reader for SsReader<T> {
    fn kind(&self) -> &'static str {
        "ss"
    }

    fn exchange(&mut self) -> Result<Exchanged, ReadError> {
        let mut partial = false;
        if let Some(names) = &mut self.names {
            names.begin_sample();
        }
        for (_, request) in &mut self.requests {
            let dump = self.dumper.dump(request)?;
            partial |= dump.partial;
            // Bound sockets' interface names are asked for as decoding would ask: a replay
            // decodes the recording with the same requests.
            let Some(names) = &mut self.names else {
                continue;
            };
            for m in dump.messages {
                let at = inet_diag_msg::ID + inet_diag_sockid::IDIAG_IF;
                if m.header.kind == SOCK_DIAG_BY_FAMILY
                    && let Some(b) = m.payload.get(at..at + 4)
                {
                    let ifindex = u32::from_ne_bytes([b[0], b[1], b[2], b[3]]);
                    if ifindex != 0 {
                        let _ = names.name(ifindex);
                    }
                }
            }
        }
        Ok(Exchanged {
            partial,
            warnings: self
                .dumper
                .take_warning()
                .into_iter()
                .chain(self.names.as_mut().and_then(LinkNames::take_warning))
                .map(Warning::Transport)
                .collect(),
        })
    }

    fn collect(&mut self) -> Result<Collected, ReadError> {
        let mut out = Vec::with_capacity(self.last_count + self.last_count / 8);
        let mut partial = false;
        let mut sent_at = None;
        if let Some(names) = &mut self.names {
            names.begin_sample();
        }
        for (netid, request) in &mut self.requests {
            let dump = self.dumper.dump(request)?;
            partial |= dump.partial;
            sent_at = sent_at.or(dump.sent_at);
            for m in dump.messages {
                if m.header.kind == SOCK_DIAG_BY_FAMILY
                    && let Some(mut s) = decode_socket(*netid, m.payload)
                {
                    if let (Some(extra), Some(names)) = (&mut s.extra, &mut self.names)
                        && let Some(bound) = &mut extra.bound_if
                    {
                        bound.name = names.name(bound.ifindex);
                    }
                    out.push(s);
                }
            }
        }
        self.last_count = out.len();
        Ok(Collected {
            stats: Stats::Ss(out),
            partial,
            captured_at: sent_at,
            warnings: self
                .dumper
                .take_warning()
                .into_iter()
                .chain(self.names.as_mut().and_then(LinkNames::take_warning))
                .map(Warning::Transport)
                .collect(),
        })
    }

    fn dump_counters(&self) -> DumpCounters {
        self.dumper.counters()
    }
}
