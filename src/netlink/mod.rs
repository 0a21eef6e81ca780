//! Netlink: the transport, the dump loop, and what every netlink reader shares (attribute
//! tables, link message decoding, link change notifications).
//!
//! A [`Dumper`] owns one netlink socket (behind the [`Transport`] seam) and one receive buffer
//! for the life of the run. [`Dumper::dump`] sends a pre-built dump request, receives every
//! datagram of the reply straight into the buffer, drops the control messages and hands back the
//! data messages as one contiguous byte run that [`Messages`] walks without allocating.
//!
//! Kernel behaviour handled here (see `netlink(7)` and `net/netlink/af_netlink.c`):
//! - every datagram is received with `MSG_TRUNC`, so a reply longer than the buffer is detected
//!   rather than silently cut; the buffer then grows and the dump is redone;
//! - messages whose sequence number is not the current request's are leftovers of an earlier,
//!   abandoned dump and are skipped;
//! - `NLMSG_DONE` may carry a negative errno (a dump callback failed part-way);
//! - `NLMSG_ERROR` with a non-zero code is an error, with code 0 an acknowledgement;
//! - `NLM_F_DUMP_INTR` on any message means the object list changed during the dump and the
//!   result may be inconsistent: the dump is redone up to [`MAX_DUMP_ATTEMPTS`] times, and if it
//!   stays interrupted the last result is returned with `partial` set;
//! - `ENOBUFS` means the socket's receive queue overflowed and messages were lost: the socket is
//!   reopened and the dump redone;
//! - `EINTR` (a signal arrived during `recv`) is retried.

pub mod attrs;
pub mod link;
pub mod names;
pub mod watch;

use std::io;
use std::time::Duration;

use netlink_packet_core::{
    NLM_F_DUMP, NLM_F_REQUEST, NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN, NetlinkMessage,
    NetlinkPayload, NetlinkSerializable,
};
pub use netlink_packet_core::{NLM_F_DUMP_INTR, NLM_F_MULTIPART as NLM_F_MULTI};
use netlink_sys::{Socket, SocketAddr};

/// Length of `struct nlmsghdr`.
pub use crate::uapi::netlink::NLMSG_HDRLEN;

/// How many times one dump is attempted when the kernel keeps flagging it inconsistent or the
/// socket overflows, before the result is given up (interrupted) or reported as an error.
pub const MAX_DUMP_ATTEMPTS: u32 = 4;

/// Bytes the receive window always has free: the kernel sizes a dump datagram by the reader's
/// last `recvmsg` buffer, capped at 32 KiB (`netlink_recvmsg`), so 64 KiB never truncates on
/// current kernels; a larger datagram is still caught by `MSG_TRUNC` and the window grows.
pub const RECV_WINDOW: usize = 64 * 1024;

/// The socket receive buffer asked for (`SO_RCVBUF`), so a burst of datagrams is not dropped.
const SOCKET_RCVBUF: usize = 1 << 20;

/// How long one `recv` may block before the dump is declared stuck.
const RECV_TIMEOUT: Duration = Duration::from_secs(5);

/// Round up to the 4-byte netlink alignment (`NLMSG_ALIGN`).
#[inline]
pub const fn nlmsg_align(len: usize) -> usize {
    (len + 3) & !3
}

/// An error of the netlink exchange.
#[derive(Debug, thiserror::Error)]
pub enum NetlinkError {
    /// The socket could not be opened or configured.
    #[error("cannot open netlink socket ({protocol})")]
    Open {
        /// The netlink protocol name.
        protocol: &'static str,
        /// The system error.
        source: io::Error,
    },
    /// `send` or `recv` failed.
    #[error("netlink {request}: {op} failed")]
    Io {
        /// The request in progress.
        request: &'static str,
        /// `send` or `recv`.
        op: &'static str,
        /// The system error.
        source: io::Error,
    },
    /// The kernel answered the request with an error code.
    #[error("netlink {request}: kernel answered: {}", io::Error::from_raw_os_error(*errno))]
    Kernel {
        /// The request in progress.
        request: &'static str,
        /// The positive errno.
        errno: i32,
    },
    /// A reply was not well formed.
    #[error("netlink {request}: malformed reply: {what}")]
    Malformed {
        /// The request in progress.
        request: &'static str,
        /// What was wrong.
        what: String,
    },
    /// The input ended: a replayed capture holds no (more) answer to the request. A transport
    /// signals this with `io::ErrorKind::UnexpectedEof`.
    #[error("netlink {request}: end of input")]
    EndOfInput {
        /// The request in progress.
        request: &'static str,
    },
    /// The socket kept overflowing.
    #[error("netlink {request}: reply lost {MAX_DUMP_ATTEMPTS} times (receive queue overflow)")]
    Overflow {
        /// The request in progress.
        request: &'static str,
    },
}

/// The error of opening a `NETLINK_ROUTE` socket.
pub fn route_open_error(source: io::Error) -> NetlinkError {
    NetlinkError::Open {
        protocol: "NETLINK_ROUTE",
        source,
    }
}

impl NetlinkError {
    /// The errno behind this error, when there is one.
    pub fn errno(&self) -> Option<i32> {
        match self {
            NetlinkError::Kernel { errno, .. } => Some(*errno),
            NetlinkError::Io { source, .. } | NetlinkError::Open { source, .. } => {
                source.raw_os_error()
            }
            _ => None,
        }
    }
}

/// Datagram I/O with the kernel: the seam through which tests feed crafted replies.
pub trait Transport {
    /// Send one request datagram.
    fn send(&mut self, request: &[u8]) -> io::Result<()>;
    /// Receive one datagram, appending it to `buf` within its spare capacity (never growing it);
    /// returns the datagram's full length, which exceeds the spare capacity when the datagram was
    /// truncated (`MSG_TRUNC` semantics).
    fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<usize>;
    /// Replace the socket by a fresh one (after `ENOBUFS`).
    fn reopen(&mut self) -> io::Result<()>;
    /// When the last request was sent, if that was not now: a replayed capture answers with
    /// the recorded time. Live transports return `None`.
    fn sent_at(&self) -> Option<Duration> {
        None
    }
    /// Something the transport has to report that does not fail the exchange (a recording
    /// that stopped), once.
    fn take_warning(&mut self) -> Option<String> {
        None
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn send(&mut self, request: &[u8]) -> io::Result<()> {
        (**self).send(request)
    }
    fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
        (**self).recv(buf)
    }
    fn reopen(&mut self) -> io::Result<()> {
        (**self).reopen()
    }
    fn sent_at(&self) -> Option<Duration> {
        (**self).sent_at()
    }
    fn take_warning(&mut self) -> Option<String> {
        (**self).take_warning()
    }
}

/// A netlink socket of one protocol, bound and configured, reopened on demand.
pub struct NetlinkSocket {
    protocol: isize,
    groups: u32,
    socket: Socket,
}

impl NetlinkSocket {
    /// Open a socket for `protocol` (e.g. [`netlink_sys::constants::NETLINK_ROUTE`]) to send
    /// requests to the kernel.
    pub fn open(protocol: isize) -> io::Result<Self> {
        Ok(NetlinkSocket {
            protocol,
            groups: 0,
            socket: Self::new_socket(protocol, 0)?,
        })
    }

    /// Open a non-blocking socket subscribed to the multicast `groups` (a bit mask of
    /// `RTMGRP_*`), to be drained with [`NetlinkSocket::try_recv`].
    pub fn open_multicast(protocol: isize, groups: u32) -> io::Result<Self> {
        Ok(NetlinkSocket {
            protocol,
            groups,
            socket: Self::new_socket(protocol, groups)?,
        })
    }

    /// Open a blocking socket subscribed to the multicast `groups`, for a thread of its own that
    /// waits for events: `recv` returns within `timeout` (`WouldBlock`) when none comes, and the
    /// receive buffer is asked for `rcvbuf` bytes (beyond `rmem_max` when privileged).
    pub fn open_events(
        protocol: isize,
        groups: u32,
        rcvbuf: usize,
        timeout: Duration,
    ) -> io::Result<Self> {
        let mut socket = Socket::new(protocol)?;
        socket.bind(&SocketAddr::new(0, groups))?;
        crate::sys::set_recv_buffer(&socket, rcvbuf);
        crate::sys::set_recv_timeout(&socket, timeout)?;
        Ok(NetlinkSocket {
            protocol,
            groups,
            socket,
        })
    }

    /// Ask for a receive buffer of `bytes` (after the kernel dropped events for want of room).
    pub fn grow_recv_buffer(&mut self, bytes: usize) {
        crate::sys::set_recv_buffer(&self.socket, bytes);
    }

    fn new_socket(protocol: isize, groups: u32) -> io::Result<Socket> {
        let mut socket = Socket::new(protocol)?;
        socket.bind(&SocketAddr::new(0, groups))?;
        // A larger receive buffer is a request, not a requirement: without CAP_NET_ADMIN the
        // kernel caps it at rmem_max, which is fine.
        let _ = socket.set_rx_buf_sz(SOCKET_RCVBUF);
        if groups != 0 {
            socket.set_non_blocking(true)?;
            return Ok(socket);
        }
        // Strict checking makes the kernel validate dump request headers; kernels before 4.20
        // lack the option, which changes nothing for the all-zero headers sent here.
        let _ = socket.set_netlink_get_strict_chk(true);
        crate::sys::set_recv_timeout(&socket, RECV_TIMEOUT)?;
        socket.connect(&SocketAddr::new(0, 0))?;
        Ok(socket)
    }

    /// Receive one datagram if one is queued (into `buf`'s spare capacity); `Ok(None)` when
    /// none is.
    pub fn try_recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<usize>> {
        match self.socket.recv(buf, libc::MSG_DONTWAIT | libc::MSG_TRUNC) {
            Ok(n) => Ok(Some(n)),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(None),
            Err(e) => Err(e),
        }
    }
}

impl Transport for NetlinkSocket {
    fn send(&mut self, request: &[u8]) -> io::Result<()> {
        let sent = self.socket.send(request, 0)?;
        if sent != request.len() {
            return Err(io::Error::new(
                io::ErrorKind::WriteZero,
                "short send of a netlink request",
            ));
        }
        Ok(())
    }

    fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
        // `Vec<u8>` as `BufMut` receives into the spare capacity without zero-filling it first.
        self.socket.recv(buf, libc::MSG_TRUNC)
    }

    fn reopen(&mut self) -> io::Result<()> {
        self.socket = Self::new_socket(self.protocol, self.groups)?;
        Ok(())
    }
}

/// Counters of the dump loop's recoveries, for `-v` reporting.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DumpCounters {
    /// Dumps redone because the kernel flagged them interrupted.
    pub redone_interrupted: u64,
    /// Dumps given up as still interrupted (`partial`).
    pub partial: u64,
    /// Socket reopens after `ENOBUFS`.
    pub reopened: u64,
    /// Dumps redone because a datagram did not fit the receive window.
    pub regrown: u64,
}

/// One pre-built dump request.
#[derive(Debug, Clone)]
pub struct Request {
    /// Name used in error messages, e.g. `RTM_GETLINK`.
    pub name: &'static str,
    /// The serialised request, header included; its sequence number is patched per dump.
    pub bytes: Vec<u8>,
}

/// The result of a dump: the data messages, and whether the kernel still flagged it inconsistent.
#[derive(Debug, Clone, Copy)]
pub struct Dump<'a> {
    /// Data messages (no control messages), contiguous and 4-byte aligned.
    pub messages: Messages<'a>,
    /// True when the dump stayed interrupted (`NLM_F_DUMP_INTR`) after every attempt.
    pub partial: bool,
    /// When the request was sent, for replayed captures (see [`Transport::sent_at`]).
    pub sent_at: Option<Duration>,
}

/// Runs dumps over a [`Transport`] with one reused receive buffer.
pub struct Dumper<T> {
    transport: T,
    buf: Vec<u8>,
    window: usize,
    seq: u32,
    counters: DumpCounters,
}

enum Attempt {
    Complete { interrupted: bool },
    Lost,
    Truncated { needed: usize },
}

impl<T: Transport> Dumper<T> {
    /// A dumper over `transport`.
    pub fn new(transport: T) -> Self {
        Dumper {
            transport,
            buf: Vec::with_capacity(RECV_WINDOW * 2),
            window: RECV_WINDOW,
            seq: 0,
            counters: DumpCounters::default(),
        }
    }

    /// The transport, e.g. to reach the socket.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// What the transport has to report (see [`Transport::take_warning`]).
    pub fn take_warning(&mut self) -> Option<String> {
        self.transport.take_warning()
    }

    /// Recovery counters since the start.
    pub fn counters(&self) -> DumpCounters {
        self.counters
    }

    /// Run one dump of `request` and return its data messages.
    pub fn dump(&mut self, request: &mut Request) -> Result<Dump<'_>, NetlinkError> {
        let mut lost = 0;
        let mut attempts = 0;
        let interrupted = loop {
            attempts += 1;
            match self.attempt(request)? {
                Attempt::Complete { interrupted } => {
                    if !interrupted || attempts >= MAX_DUMP_ATTEMPTS {
                        break interrupted;
                    }
                    self.counters.redone_interrupted += 1;
                }
                Attempt::Lost => {
                    lost += 1;
                    if lost >= MAX_DUMP_ATTEMPTS {
                        return Err(NetlinkError::Overflow {
                            request: request.name,
                        });
                    }
                    self.counters.reopened += 1;
                    self.transport.reopen().map_err(|source| NetlinkError::Io {
                        request: request.name,
                        op: "reopen",
                        source,
                    })?;
                    attempts -= 1;
                }
                Attempt::Truncated { needed } => {
                    // Grow once to what the kernel wanted; a second truncation at that size
                    // cannot happen for the same datagram, so this is bounded in practice, and
                    // the cap keeps a lying length from exhausting memory.
                    if needed > 16 * 1024 * 1024 || attempts >= MAX_DUMP_ATTEMPTS {
                        return Err(NetlinkError::Malformed {
                            request: request.name,
                            what: format!("datagram of {needed} bytes does not fit"),
                        });
                    }
                    self.counters.regrown += 1;
                    self.window = nlmsg_align(needed);
                    // The truncated dump left unread datagrams on the socket; a fresh socket
                    // guarantees they do not mix with the redo.
                    self.transport.reopen().map_err(|source| NetlinkError::Io {
                        request: request.name,
                        op: "reopen",
                        source,
                    })?;
                }
            }
        };
        if interrupted {
            self.counters.partial += 1;
        }
        Ok(Dump {
            messages: Messages::new(&self.buf),
            partial: interrupted,
            sent_at: self.transport.sent_at(),
        })
    }

    fn attempt(&mut self, request: &mut Request) -> Result<Attempt, NetlinkError> {
        let name = request.name;
        self.seq = self.seq.wrapping_add(1);
        let seq = self.seq;
        if request.bytes.len() < NLMSG_HDRLEN {
            return Err(NetlinkError::Malformed {
                request: name,
                what: "request shorter than a netlink header".into(),
            });
        }
        request.bytes[8..12].copy_from_slice(&seq.to_ne_bytes());
        loop {
            match self.transport.send(&request.bytes) {
                Ok(()) => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                    return Err(NetlinkError::EndOfInput { request: name });
                }
                Err(source) => {
                    return Err(NetlinkError::Io {
                        request: name,
                        op: "send",
                        source,
                    });
                }
            }
        }
        self.buf.clear();
        let mut interrupted = false;
        loop {
            // Receive the next datagram into the free space after the messages kept so far.
            let kept = self.buf.len();
            self.buf.reserve(self.window);
            let room = self.buf.capacity() - kept;
            let received = match self.transport.recv(&mut self.buf) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                    self.buf.truncate(kept);
                    continue;
                }
                Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => {
                    self.buf.clear();
                    return Ok(Attempt::Lost);
                }
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                    self.buf.clear();
                    return Err(NetlinkError::EndOfInput { request: name });
                }
                Err(source) => {
                    self.buf.clear();
                    return Err(NetlinkError::Io {
                        request: name,
                        op: "recv",
                        source,
                    });
                }
            };
            if received > room {
                self.buf.clear();
                return Ok(Attempt::Truncated { needed: received });
            }
            self.buf.truncate(kept + received);
            match self.keep_data_messages(kept, seq, name, &mut interrupted) {
                Ok(true) => return Ok(Attempt::Complete { interrupted }),
                Ok(false) => {}
                Err(e) => {
                    self.buf.clear();
                    return Err(e);
                }
            }
        }
    }

    /// Walk the datagram at `buf[start..]`, compact its data messages of sequence `seq` down to
    /// `start` and drop the rest. Returns true when the dump ended (`NLMSG_DONE`, or the final
    /// message of a reply that is not multipart).
    fn keep_data_messages(
        &mut self,
        start: usize,
        seq: u32,
        request: &'static str,
        interrupted: &mut bool,
    ) -> Result<bool, NetlinkError> {
        let end = self.buf.len();
        let mut read = start;
        let mut write = start;
        let mut done = false;
        while read < end {
            let header =
                Header::parse(&self.buf[read..end]).ok_or_else(|| NetlinkError::Malformed {
                    request,
                    what: format!(
                        "message at offset {} of a datagram has a bad length",
                        read - start
                    ),
                })?;
            let len = header.len as usize;
            let next = (read + nlmsg_align(len)).min(end);
            if header.seq != seq {
                // Leftover of an earlier, abandoned dump.
                read = next;
                continue;
            }
            if header.flags & NLM_F_DUMP_INTR != 0 {
                *interrupted = true;
            }
            match header.kind {
                NLMSG_NOOP => {}
                NLMSG_DONE => {
                    // Since Linux 4.x the DONE payload is an int: 0 or a negative errno.
                    let code = self.code_at(read + NLMSG_HDRLEN, read + len);
                    if code < 0 {
                        return Err(NetlinkError::Kernel {
                            request,
                            errno: code.saturating_neg(),
                        });
                    }
                    done = true;
                    break;
                }
                NLMSG_ERROR => {
                    let code = self.code_at(read + NLMSG_HDRLEN, read + len);
                    if code != 0 {
                        return Err(NetlinkError::Kernel {
                            request,
                            errno: code.saturating_neg(),
                        });
                    }
                    // An acknowledgement ends a request that was not a dump.
                    done = true;
                    break;
                }
                NLMSG_OVERRUN => {
                    return Err(NetlinkError::Malformed {
                        request,
                        what: "kernel reported a data overrun".into(),
                    });
                }
                _ => {
                    let aligned = next - read;
                    if read != write {
                        self.buf.copy_within(read..next, write);
                    }
                    write += aligned;
                    if header.flags & NLM_F_MULTI == 0 {
                        // A single-message answer (no dump) ends here.
                        done = true;
                        break;
                    }
                }
            }
            read = next;
        }
        self.buf.truncate(write);
        Ok(done)
    }

    fn code_at(&self, from: usize, to: usize) -> i32 {
        match self.buf.get(from..from + 4) {
            Some(b) if from + 4 <= to => i32::from_ne_bytes([b[0], b[1], b[2], b[3]]),
            // A DONE without payload (very old kernels) means success.
            _ => 0,
        }
    }
}

/// The fixed netlink message header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Message length, header included.
    pub len: u32,
    /// Message type (`RTM_NEWLINK`, `NLMSG_DONE`, …).
    pub kind: u16,
    /// `NLM_F_*` flags.
    pub flags: u16,
    /// Sequence number.
    pub seq: u32,
    /// Port id of the sender (0 for the kernel).
    pub pid: u32,
}

impl Header {
    /// Parse the header at the start of `bytes`; `None` unless its length fits in `bytes`.
    pub fn parse(bytes: &[u8]) -> Option<Header> {
        let h = bytes.get(..NLMSG_HDRLEN)?;
        let header = Header {
            len: u32::from_ne_bytes([h[0], h[1], h[2], h[3]]),
            kind: u16::from_ne_bytes([h[4], h[5]]),
            flags: u16::from_ne_bytes([h[6], h[7]]),
            seq: u32::from_ne_bytes([h[8], h[9], h[10], h[11]]),
            pid: u32::from_ne_bytes([h[12], h[13], h[14], h[15]]),
        };
        let len = header.len as usize;
        (len >= NLMSG_HDRLEN && len <= bytes.len()).then_some(header)
    }
}

/// An iterator over contiguous netlink messages, yielding each header and payload.
#[derive(Debug, Clone, Copy)]
pub struct Messages<'a> {
    rest: &'a [u8],
}

impl<'a> Messages<'a> {
    /// Walk the messages in `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Messages { rest: bytes }
    }
}

/// One netlink message: its header and its payload (after the header).
#[derive(Debug, Clone, Copy)]
pub struct Message<'a> {
    /// The header.
    pub header: Header,
    /// The payload.
    pub payload: &'a [u8],
}

impl<'a> Iterator for Messages<'a> {
    type Item = Message<'a>;

    fn next(&mut self) -> Option<Message<'a>> {
        // A bad length ends the walk: what came before is still good.
        let header = Header::parse(self.rest)?;
        let len = header.len as usize;
        let payload = &self.rest[NLMSG_HDRLEN..len];
        self.rest = self.rest.get(nlmsg_align(len)..).unwrap_or(&[]);
        Some(Message { header, payload })
    }
}

impl Request {
    /// Serialise `payload` (a `netlink-packet-route` or `netlink-packet-sock-diag` message) as a
    /// dump request: `NLM_F_REQUEST | NLM_F_DUMP`, sequence number patched per dump.
    pub fn dump<I>(name: &'static str, payload: I) -> Request
    where
        I: NetlinkSerializable + Into<NetlinkPayload<I>>,
    {
        let mut message = NetlinkMessage::from(payload);
        message.header.flags = NLM_F_REQUEST | NLM_F_DUMP;
        message.finalize();
        let mut bytes = vec![0; message.buffer_len()];
        message.serialize(&mut bytes);
        Request { name, bytes }
    }

    /// Append an attribute to the request's message (e.g. a filter program), keeping its
    /// length field right.
    pub fn with_attribute(mut self, kind: u16, payload: &[u8]) -> Request {
        let len = 4 + payload.len(); // struct nlattr, then the payload
        self.bytes.resize(nlmsg_align(self.bytes.len()), 0);
        self.bytes.extend_from_slice(&(len as u16).to_ne_bytes());
        self.bytes.extend_from_slice(&kind.to_ne_bytes());
        self.bytes.extend_from_slice(payload);
        self.bytes.resize(nlmsg_align(self.bytes.len()), 0);
        let total = self.bytes.len() as u32;
        self.bytes[..4].copy_from_slice(&total.to_ne_bytes());
        self
    }
}

/// Helpers for tests that build netlink byte streams by hand.
#[cfg(test)]
pub(crate) mod testing {
    use super::{NLMSG_HDRLEN, nlmsg_align};
    use netlink_packet_core::Emitable;
    use netlink_packet_route::link::{LinkAttribute, LinkFlags, LinkLayerType, LinkMessage, State};

    /// Bytes of an RTM_NEWLINK payload emitted by netlink-packet-route's own encoder: an
    /// encoder independent of our decoder.
    pub(crate) fn emitted(message: &LinkMessage) -> Vec<u8> {
        let mut buf = vec![0; message.buffer_len()];
        message.emit(&mut buf);
        buf
    }

    /// A veth link as the kernel describes it: up, no carrier, with name, MTU, qdisc, state,
    /// queue length, addresses and carrier changes.
    pub(crate) fn veth_message() -> LinkMessage {
        let mut m = LinkMessage::default();
        m.header.index = 7;
        m.header.link_layer_type = LinkLayerType::Ether;
        m.header.flags = LinkFlags::Up | LinkFlags::Broadcast | LinkFlags::Multicast;
        m.attributes = vec![
            LinkAttribute::IfName("va0".into()),
            LinkAttribute::Mtu(1500),
            LinkAttribute::Qdisc("noqueue".into()),
            LinkAttribute::OperState(State::LowerLayerDown),
            LinkAttribute::TxQueueLen(1000),
            LinkAttribute::Address(vec![0x02, 0, 0, 0, 0, 0xab]),
            LinkAttribute::Broadcast(vec![0xff; 6]),
            LinkAttribute::CarrierChanges(3),
        ];
        m
    }

    /// One netlink message, written field by field as `struct nlmsghdr` + payload, padded to
    /// the 4-byte alignment.
    pub(crate) fn message(kind: u16, flags: u16, seq: u32, payload: &[u8]) -> Vec<u8> {
        let len = NLMSG_HDRLEN + payload.len();
        let mut m = Vec::with_capacity(nlmsg_align(len));
        m.extend_from_slice(&(len as u32).to_ne_bytes());
        m.extend_from_slice(&kind.to_ne_bytes());
        m.extend_from_slice(&flags.to_ne_bytes());
        m.extend_from_slice(&seq.to_ne_bytes());
        m.extend_from_slice(&0u32.to_ne_bytes());
        m.extend_from_slice(payload);
        m.resize(nlmsg_align(len), 0);
        m
    }

    /// One netlink attribute (`struct nlattr` + payload), padded to the 4-byte alignment.
    pub(crate) fn attribute(kind: u16, payload: &[u8]) -> Vec<u8> {
        let len = 4 + payload.len();
        let mut v = (len as u16).to_ne_bytes().to_vec();
        v.extend_from_slice(&kind.to_ne_bytes());
        v.extend_from_slice(payload);
        v.resize(nlmsg_align(len), 0);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::testing::message as msg;
    use super::*;
    use std::collections::VecDeque;

    /// What the fake kernel does on one `recv`.
    enum Step {
        Datagram(Vec<u8>),
        Fail(i32),
    }

    #[derive(Default)]
    struct FakeKernel {
        steps: VecDeque<Step>,
        sent: Vec<Vec<u8>>,
        reopens: usize,
        /// Per reopen, the steps to load (a new socket has an empty queue).
        after_reopen: VecDeque<Vec<Step>>,
    }

    impl Transport for FakeKernel {
        fn send(&mut self, request: &[u8]) -> io::Result<()> {
            self.sent.push(request.to_vec());
            Ok(())
        }
        fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
            match self.steps.pop_front() {
                Some(Step::Datagram(d)) => {
                    let n = d.len().min(buf.capacity() - buf.len());
                    buf.extend_from_slice(&d[..n]);
                    Ok(d.len())
                }
                Some(Step::Fail(errno)) => Err(io::Error::from_raw_os_error(errno)),
                None => Err(io::Error::from_raw_os_error(libc::EAGAIN)),
            }
        }
        fn reopen(&mut self) -> io::Result<()> {
            self.reopens += 1;
            self.steps = self.after_reopen.pop_front().unwrap_or_default().into();
            Ok(())
        }
    }

    const RTM_NEWLINK: u16 = libc::RTM_NEWLINK;

    fn data(seq: u32, tag: u8) -> Vec<u8> {
        msg(RTM_NEWLINK, NLM_F_MULTI, seq, &[tag; 5])
    }

    fn done(seq: u32, code: i32) -> Vec<u8> {
        msg(NLMSG_DONE, NLM_F_MULTI, seq, &code.to_ne_bytes())
    }

    fn error(seq: u32, code: i32) -> Vec<u8> {
        // struct nlmsgerr: int error; struct nlmsghdr msg (the offending request's header).
        let mut p = code.to_ne_bytes().to_vec();
        p.extend_from_slice(&[0; NLMSG_HDRLEN]);
        msg(NLMSG_ERROR, 0, seq, &p)
    }

    fn cat(parts: &[Vec<u8>]) -> Vec<u8> {
        parts.concat()
    }

    fn tags(dump: &Dump<'_>) -> Vec<u8> {
        dump.messages.map(|m| m.payload[0]).collect()
    }

    fn request() -> Request {
        use netlink_packet_route::{RouteNetlinkMessage, link::LinkMessage};
        Request::dump(
            "RTM_GETLINK",
            RouteNetlinkMessage::GetLink(LinkMessage::default()),
        )
    }

    fn kernel(steps: Vec<Step>) -> FakeKernel {
        FakeKernel {
            steps: steps.into(),
            ..Default::default()
        }
    }

    #[test]
    fn collects_messages_across_datagrams_until_done() {
        let k = kernel(vec![
            Step::Datagram(cat(&[data(1, 1), data(1, 2)])),
            Step::Datagram(cat(&[data(1, 3), done(1, 0)])),
        ]);
        let mut d = Dumper::new(k);
        let mut req = request();
        let dump = d.dump(&mut req).expect("dump");
        assert!(!dump.partial);
        assert_eq!(tags(&dump), vec![1, 2, 3]);
        let sent = &d.transport().sent[0];
        assert_eq!(u32::from_ne_bytes(sent[8..12].try_into().unwrap()), 1);
        assert_eq!(u16::from_ne_bytes(sent[6..8].try_into().unwrap()), 0x301);
    }

    #[test]
    fn done_with_negative_code_is_an_error() {
        let k = kernel(vec![Step::Datagram(cat(&[
            data(1, 1),
            done(1, -libc::EMSGSIZE),
        ]))]);
        let mut d = Dumper::new(k);
        let err = d.dump(&mut request()).unwrap_err();
        assert_eq!(err.errno(), Some(libc::EMSGSIZE), "{err}");
    }

    #[test]
    fn nlmsg_error_is_an_error_and_ack_is_not() {
        let k = kernel(vec![Step::Datagram(error(1, -libc::EPERM))]);
        let err = Dumper::new(k).dump(&mut request()).unwrap_err();
        assert!(matches!(err, NetlinkError::Kernel { errno, .. } if errno == libc::EPERM));
        assert!(err.to_string().contains("RTM_GETLINK"), "{err}");

        let k = kernel(vec![Step::Datagram(error(1, 0))]);
        let mut d = Dumper::new(k);
        let dump = d.dump(&mut request()).expect("ack");
        assert_eq!(tags(&dump), Vec::<u8>::new());
    }

    #[test]
    fn stale_sequence_numbers_are_skipped() {
        let k = kernel(vec![
            Step::Datagram(cat(&[data(7, 9), done(7, 0)])),
            Step::Datagram(cat(&[data(1, 1), data(99, 8), done(1, 0)])),
        ]);
        let mut d = Dumper::new(k);
        let dump = d.dump(&mut request()).expect("dump");
        assert_eq!(tags(&dump), vec![1]);
    }

    #[test]
    fn interrupted_dump_is_redone() {
        let k = kernel(vec![
            Step::Datagram(cat(&[
                data(1, 1),
                msg(RTM_NEWLINK, NLM_F_MULTI | NLM_F_DUMP_INTR, 1, &[2; 5]),
            ])),
            Step::Datagram(done(1, 0)),
            Step::Datagram(cat(&[data(2, 3), data(2, 4), done(2, 0)])),
        ]);
        let mut d = Dumper::new(k);
        let dump = d.dump(&mut request()).expect("dump");
        assert!(!dump.partial);
        assert_eq!(tags(&dump), vec![3, 4]);
        assert_eq!(d.counters().redone_interrupted, 1);
        assert_eq!(d.transport().sent.len(), 2);
    }

    #[test]
    fn persistently_interrupted_dump_is_partial() {
        let intr = |seq| {
            Step::Datagram(cat(&[
                data(seq, seq as u8),
                msg(
                    NLMSG_DONE,
                    NLM_F_MULTI | NLM_F_DUMP_INTR,
                    seq,
                    &0i32.to_ne_bytes(),
                ),
            ]))
        };
        let steps = (1..=MAX_DUMP_ATTEMPTS).map(intr).collect();
        let mut d = Dumper::new(kernel(steps));
        let dump = d.dump(&mut request()).expect("dump");
        assert!(dump.partial);
        assert_eq!(tags(&dump), vec![MAX_DUMP_ATTEMPTS as u8]);
        let c = d.counters();
        assert_eq!(
            (c.redone_interrupted, c.partial),
            (u64::from(MAX_DUMP_ATTEMPTS) - 1, 1)
        );
    }

    #[test]
    fn enobufs_reopens_and_redoes() {
        let mut k = kernel(vec![Step::Datagram(data(1, 1)), Step::Fail(libc::ENOBUFS)]);
        k.after_reopen
            .push_back(vec![Step::Datagram(cat(&[data(2, 5), done(2, 0)]))]);
        let mut d = Dumper::new(k);
        let dump = d.dump(&mut request()).expect("dump");
        assert_eq!(tags(&dump), vec![5]);
        assert_eq!(d.transport().reopens, 1);
        assert_eq!(d.counters().reopened, 1);
    }

    #[test]
    fn enobufs_every_time_is_an_error() {
        let mut k = kernel(vec![Step::Fail(libc::ENOBUFS)]);
        for _ in 0..MAX_DUMP_ATTEMPTS {
            k.after_reopen.push_back(vec![Step::Fail(libc::ENOBUFS)]);
        }
        let err = Dumper::new(k).dump(&mut request()).unwrap_err();
        assert!(matches!(err, NetlinkError::Overflow { .. }), "{err}");
    }

    #[test]
    fn eintr_is_retried() {
        let k = kernel(vec![
            Step::Fail(libc::EINTR),
            Step::Datagram(cat(&[data(1, 1)])),
            Step::Fail(libc::EINTR),
            Step::Datagram(done(1, 0)),
        ]);
        let mut d = Dumper::new(k);
        assert_eq!(tags(&d.dump(&mut request()).expect("dump")), vec![1]);
    }

    #[test]
    fn truncated_datagram_grows_the_window_and_redoes() {
        let big = msg(RTM_NEWLINK, NLM_F_MULTI, 1, &vec![7u8; 3 * RECV_WINDOW]);
        let mut k = kernel(vec![Step::Datagram(big)]);
        let redo = msg(RTM_NEWLINK, NLM_F_MULTI, 2, &vec![6u8; 3 * RECV_WINDOW]);
        k.after_reopen
            .push_back(vec![Step::Datagram(redo), Step::Datagram(done(2, 0))]);
        let mut d = Dumper::new(k);
        let dump = d.dump(&mut request()).expect("dump");
        let all: Vec<_> = dump.messages.collect();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].payload.len(), 3 * RECV_WINDOW);
        assert!(all[0].payload.iter().all(|&b| b == 6));
        assert_eq!(d.counters().regrown, 1);
    }

    #[test]
    fn bad_message_length_is_malformed() {
        let mut bad = data(1, 1);
        bad[0..4].copy_from_slice(&1000u32.to_ne_bytes());
        let err = Dumper::new(kernel(vec![Step::Datagram(bad)]))
            .dump(&mut request())
            .unwrap_err();
        assert!(matches!(err, NetlinkError::Malformed { .. }), "{err}");

        let mut short = data(1, 1);
        short[0..4].copy_from_slice(&8u32.to_ne_bytes());
        let err = Dumper::new(kernel(vec![Step::Datagram(short)]))
            .dump(&mut request())
            .unwrap_err();
        assert!(matches!(err, NetlinkError::Malformed { .. }), "{err}");
    }

    #[test]
    fn recv_error_is_reported_with_request_name() {
        let err = Dumper::new(kernel(vec![Step::Fail(libc::EAGAIN)]))
            .dump(&mut request())
            .unwrap_err();
        assert!(
            err.to_string().contains("RTM_GETLINK: recv failed"),
            "{err}"
        );
        assert_eq!(err.errno(), Some(libc::EAGAIN));
    }

    #[test]
    fn buffer_is_reused_between_dumps() {
        let k = kernel(vec![
            Step::Datagram(cat(&[data(1, 1), done(1, 0)])),
            Step::Datagram(cat(&[data(2, 2), done(2, 0)])),
        ]);
        let mut d = Dumper::new(k);
        let mut req = request();
        d.dump(&mut req).expect("first");
        let cap = d.buf.capacity();
        assert_eq!(tags(&d.dump(&mut req).expect("second")), vec![2]);
        assert_eq!(d.buf.capacity(), cap);
    }
}
