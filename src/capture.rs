//! Netlink captures: record a run's netlink traffic to pcap, and replay a capture through the
//! readers instead of the kernel.
//!
//! The file format is the one `tcpdump -i nlmon0` writes: pcap with link type
//! `LINKTYPE_NETLINK` (253), one packet per netlink datagram, each behind a 16-byte cooked
//! header in the layout of `LINKTYPE_LINUX_SLL`:
//!
//! | bytes | field | value here |
//! |---|---|---|
//! | 0–1 | packet type, big-endian | `PACKET_USER` (6) for requests, `PACKET_KERNEL` (7) for replies, as nlmon sets them (`__netlink_deliver_tap_skb`) |
//! | 2–3 | ARPHRD type, big-endian | `ARPHRD_NETLINK` (824) |
//! | 4–5 | link-layer address length | 0 |
//! | 6–13 | link-layer address | 0 |
//! | 14–15 | netlink protocol, big-endian | `NETLINK_ROUTE` (0), `NETLINK_SOCK_DIAG` (4), … |
//!
//! followed by the datagram's netlink messages in host byte order.
//!
//! Replay pairs each request with the replies of the recorded request of the same kind (same
//! netlink protocol and message type, and for `sock_diag` the same address family and IP
//! protocol), in capture order. It does not need the exact request bytes, so captures made by
//! `tcpdump -i nlmon0` while `ip`, `tc` or `ss` ran replay too. Packets that answer no recorded
//! request (notifications, other programs' traffic) are ignored.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Duration;

use byteorder::NativeEndian;
use pcap_file::pcap::{PcapHeader, PcapPacket, PcapReader};
use pcap_file::{DataLink, Endianness, TsResolution};

use crate::clock;
use netlink_packet_core::{NLM_F_DUMP, NLM_F_REQUEST, NLMSG_DONE, NLMSG_ERROR};

use crate::netlink::names::NameWatch;
use crate::netlink::watch::LinkWatch;
use crate::netlink::{Header, Messages, NLM_F_MULTI, NLMSG_HDRLEN, Transport, nlmsg_align};

pub use crate::uapi::if_arp::ARPHRD_NETLINK;
/// nlmon's packet type of a message sent by a user socket (`PACKET_USER`, as the 16-bit field
/// of the cooked header).
pub const PACKET_USER: u16 = libc::PACKET_USER as u16;
/// nlmon's packet type of a message sent by the kernel (`PACKET_KERNEL`).
pub const PACKET_KERNEL: u16 = libc::PACKET_KERNEL as u16;
/// Length of the cooked header before each datagram.
pub const COOKED_HEADER_LEN: usize = 16;
/// `NETLINK_USERSOCK` as the 16-bit protocol of the cooked header: the run's header is written
/// as a message of this protocol from user space (see [`CaptureWriter::write_run_header`]).
pub const NETLINK_USERSOCK: u16 = libc::NETLINK_USERSOCK as u16;
/// `NETLINK_SOCK_DIAG` as the 16-bit protocol of the cooked header.
const NETLINK_SOCK_DIAG: u16 = netlink_sys::constants::NETLINK_SOCK_DIAG as u16;
/// `NETLINK_ROUTE` as the 16-bit protocol of the cooked header.
const NETLINK_ROUTE: u16 = netlink_sys::constants::NETLINK_ROUTE as u16;
/// Largest datagram stored whole (the kernel's dump datagrams are at most 32 KiB, plus slack).
const SNAPLEN: u32 = 256 * 1024;
/// Write the capture out at least this often.
const FLUSH_INTERVAL_NS: u64 = 1_000_000_000;

/// An error reading or writing a capture.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// The file could not be opened, read or written.
    #[error("capture {}", path.display())]
    Io {
        /// The capture file.
        path: PathBuf,
        /// What failed.
        #[source]
        source: io::Error,
    },
    /// The file is not a pcap file, or not one of netlink traffic.
    #[error("capture {}: {what}", path.display())]
    Format {
        /// The capture file.
        path: PathBuf,
        /// What is wrong.
        what: String,
    },
}

/// The cooked header of one captured datagram.
pub fn cooked_header(packet_type: u16, protocol: u16) -> [u8; COOKED_HEADER_LEN] {
    let mut h = [0u8; COOKED_HEADER_LEN];
    h[0..2].copy_from_slice(&packet_type.to_be_bytes());
    h[2..4].copy_from_slice(&ARPHRD_NETLINK.to_be_bytes());
    h[14..16].copy_from_slice(&protocol.to_be_bytes());
    h
}

/// A pcap file being written.
pub struct CaptureWriter {
    path: PathBuf,
    writer: Option<BufWriter<File>>,
    scratch: Vec<u8>,
    last_flush_ns: u64,
    error: Option<io::Error>,
    /// Why the recording stopped, until a transport has reported it.
    stopped: Option<String>,
}

/// A capture writer shared by every recording transport of a run.
pub type SharedWriter = Rc<RefCell<CaptureWriter>>;

impl CaptureWriter {
    /// Create (or truncate) `path` and write the pcap header.
    pub fn create(path: &Path) -> Result<CaptureWriter, CaptureError> {
        let io_err = |source| CaptureError::Io {
            path: path.to_owned(),
            source,
        };
        let file = File::create(path).map_err(io_err)?;
        let header = PcapHeader {
            snaplen: SNAPLEN,
            datalink: DataLink::NETLINK,
            ts_resolution: TsResolution::MicroSecond,
            endianness: if cfg!(target_endian = "little") {
                Endianness::Little
            } else {
                Endianness::Big
            },
            ..PcapHeader::default()
        };
        let mut writer = BufWriter::new(file);
        header
            .write_to(&mut writer)
            .map_err(|e| io_err(io::Error::other(e)))?;
        Ok(CaptureWriter {
            path: path.to_owned(),
            writer: Some(writer),
            scratch: Vec::with_capacity(64 * 1024),
            last_flush_ns: clock::monotonic_ns(),
            error: None,
            stopped: None,
        })
    }

    /// A writer shared between transports.
    pub fn shared(self) -> SharedWriter {
        Rc::new(RefCell::new(self))
    }

    /// Append one datagram. A write error stops the recording; it is kept for [`finish`].
    ///
    /// [`finish`]: CaptureWriter::finish
    pub fn write(&mut self, packet_type: u16, protocol: u16, datagram: &[u8], orig_len: usize) {
        let Some(writer) = self.writer.as_mut() else {
            return;
        };
        self.scratch.clear();
        self.scratch
            .extend_from_slice(&cooked_header(packet_type, protocol));
        let room = SNAPLEN as usize - COOKED_HEADER_LEN;
        self.scratch
            .extend_from_slice(&datagram[..datagram.len().min(room)]);
        let orig = (orig_len + COOKED_HEADER_LEN).min(u32::MAX as usize) as u32;
        let packet = PcapPacket::new(clock::wall(), orig, &self.scratch);
        let mut result = packet
            .write_to::<_, NativeEndian>(writer, TsResolution::MicroSecond, SNAPLEN)
            .map(drop)
            .map_err(io::Error::other);
        let now = clock::monotonic_ns();
        if result.is_ok() && now.saturating_sub(self.last_flush_ns) >= FLUSH_INTERVAL_NS {
            self.last_flush_ns = now;
            result = writer.flush();
        }
        if let Err(e) = result {
            self.stopped = Some(format!("recording to {} stopped: {e}", self.path.display()));
            self.error = Some(e);
            self.writer = None;
        }
    }

    /// Write the run's header (its JSON, as the JSON output writes it) as one packet: an
    /// `NLMSG_NOOP` message from user space on `NETLINK_USERSOCK` whose payload is the JSON.
    /// Any pcap reader shows it as a no-op netlink message; [`Capture::read`] takes it as what
    /// the recording was made with, so a replay can reproduce the run.
    pub fn write_run_header(&mut self, json: &[u8]) {
        let len = 16 + json.len();
        let mut message = Vec::with_capacity(nlmsg_align(len));
        message.extend_from_slice(&(len as u32).to_ne_bytes());
        message.extend_from_slice(&(libc::NLMSG_NOOP as u16).to_ne_bytes());
        message.extend_from_slice(&[0; 10]); // flags, sequence number, port id
        message.extend_from_slice(json);
        message.resize(nlmsg_align(len), 0);
        self.write(PACKET_USER, NETLINK_USERSOCK, &message, message.len());
    }

    /// Flush the file; reports the first write error of the run, if any.
    pub fn finish(&mut self) -> Result<(), CaptureError> {
        if let Some(writer) = self.writer.as_mut()
            && let Err(e) = writer.flush()
        {
            self.error.get_or_insert(e);
        }
        match self.error.take() {
            Some(source) => Err(CaptureError::Io {
                path: self.path.clone(),
                source,
            }),
            None => Ok(()),
        }
    }
}

/// A transport that records every request and reply of the transport it wraps.
pub struct Recording<T> {
    inner: T,
    protocol: u16,
    writer: SharedWriter,
}

impl<T> Recording<T> {
    /// Record `inner`'s traffic, of netlink `protocol`, into `writer`.
    pub fn new(inner: T, protocol: u16, writer: SharedWriter) -> Recording<T> {
        Recording {
            inner,
            protocol,
            writer,
        }
    }
}

impl<T: Transport> Transport for Recording<T> {
    fn send(&mut self, request: &[u8]) -> io::Result<()> {
        self.inner.send(request)?;
        self.writer
            .borrow_mut()
            .write(PACKET_USER, self.protocol, request, request.len());
        Ok(())
    }

    fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
        let before = buf.len();
        let n = self.inner.recv(buf)?;
        self.writer
            .borrow_mut()
            .write(PACKET_KERNEL, self.protocol, &buf[before..], n);
        Ok(n)
    }

    fn reopen(&mut self) -> io::Result<()> {
        self.inner.reopen()
    }

    fn sent_at(&self) -> Option<Duration> {
        self.inner.sent_at()
    }

    fn take_warning(&mut self) -> Option<String> {
        self.writer.borrow_mut().stopped.take()
    }
}

/// What identifies a request for replay: protocol, message type, whether it is a dump, for
/// `sock_diag` the address family and IP protocol of `struct inet_diag_req_v2`, and for a
/// `NETLINK_ROUTE` request of one object (not a dump) the index in its header (the link of an
/// `RTM_GETLINK` by index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RequestKey {
    /// Netlink protocol.
    pub protocol: u16,
    /// Message type of the request.
    pub kind: u16,
    /// `sdiag_family`, `sdiag_protocol` for sock_diag; zero otherwise.
    pub selector: [u8; 2],
    /// `NLM_F_DUMP` is set.
    pub dump: bool,
    /// For a route request that is not a dump: `ifi_index` (the second 32-bit word of its
    /// header, where `struct ifinfomsg` keeps it); zero otherwise.
    pub target: u32,
}

impl RequestKey {
    /// The key of a request datagram (its first message), `None` when it has no valid header.
    pub fn of(protocol: u16, request: &[u8]) -> Option<RequestKey> {
        let header = Header::parse(request)?;
        let body = &request[NLMSG_HDRLEN..header.len as usize];
        let selector = if protocol == NETLINK_SOCK_DIAG {
            [
                body.first().copied().unwrap_or(0),
                body.get(1).copied().unwrap_or(0),
            ]
        } else {
            [0, 0]
        };
        let dump = header.flags & NLM_F_DUMP == NLM_F_DUMP;
        let target = match body.get(4..8) {
            Some(b) if protocol == NETLINK_ROUTE && !dump => {
                u32::from_ne_bytes([b[0], b[1], b[2], b[3]])
            }
            _ => 0,
        };
        Some(RequestKey {
            protocol,
            kind: header.kind,
            selector,
            dump,
            target,
        })
    }
}

/// One recorded request and the datagrams that answered it.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// What was asked.
    pub key: RequestKey,
    /// When the request was sent (capture time, since the Unix epoch).
    pub time: Duration,
    /// The reply datagrams, in order.
    pub replies: Vec<Vec<u8>>,
    /// The reply ended (`NLMSG_DONE`, `NLMSG_ERROR` or a single message).
    pub complete: bool,
    seq: u32,
}

/// A capture read into memory.
#[derive(Debug, Clone, Default)]
pub struct Capture {
    /// The exchanges, in capture order.
    pub exchanges: Vec<Exchange>,
    /// Packets that answered no recorded request.
    pub unmatched: usize,
    /// The file ended in the middle of a packet (the recording was cut short).
    pub truncated: bool,
    /// The header of the run that recorded it (netstatspy's recordings; `None` for others).
    pub run: Option<serde_json::Value>,
}

impl Capture {
    /// Read and index a capture file.
    pub fn read(path: &Path) -> Result<Capture, CaptureError> {
        let format = |what: String| CaptureError::Format {
            path: path.to_owned(),
            what,
        };
        let file = File::open(path).map_err(|source| CaptureError::Io {
            path: path.to_owned(),
            source,
        })?;
        let mut reader = PcapReader::new(BufReader::new(file))
            .map_err(|e| format(format!("not a pcap file ({e})")))?;
        let datalink = reader.header().datalink;
        if datalink != DataLink::NETLINK {
            return Err(format(format!(
                "link type {datalink:?}, not LINKTYPE_NETLINK (253): record with netstatspy \
                 --record or tcpdump -i nlmon0"
            )));
        }
        let mut capture = Capture::default();
        while let Some(packet) = reader.next_packet() {
            match packet {
                Ok(p) => capture.add_packet(p.timestamp, &p.data),
                Err(_) => {
                    // A recording cut short (killed process, full disk) ends in a partial
                    // packet: keep everything before it.
                    capture.truncated = true;
                    break;
                }
            }
        }
        Ok(capture)
    }

    /// Index one captured packet (cooked header and datagram).
    pub fn add_packet(&mut self, time: Duration, data: &[u8]) {
        let Some(cooked) = data.get(..COOKED_HEADER_LEN) else {
            self.unmatched += 1;
            return;
        };
        if u16::from_be_bytes([cooked[2], cooked[3]]) != ARPHRD_NETLINK {
            self.unmatched += 1;
            return;
        }
        let packet_type = u16::from_be_bytes([cooked[0], cooked[1]]);
        let protocol = u16::from_be_bytes([cooked[14], cooked[15]]);
        let datagram = &data[COOKED_HEADER_LEN..];
        if protocol == NETLINK_USERSOCK {
            // The run's header; anything else on this protocol is not ours.
            let header = Header::parse(datagram)
                .filter(|h| h.kind == libc::NLMSG_NOOP as u16)
                .and_then(|h| datagram.get(16..(h.len as usize).min(datagram.len())))
                .and_then(|json| serde_json::from_slice::<serde_json::Value>(json).ok())
                .filter(|v| v["type"] == "run");
            match header {
                Some(v) if self.run.is_none() => self.run = Some(v),
                _ => self.unmatched += 1,
            }
            return;
        }
        let Some(first) = Header::parse(datagram) else {
            // A kernel datagram too damaged to read its header most likely belongs to the
            // dump in progress: keep it there, so replaying that dump reports the damage.
            let open = self
                .exchanges
                .iter_mut()
                .rev()
                .find(|e| !e.complete && e.key.protocol == protocol);
            match open {
                Some(e) if packet_type == PACKET_KERNEL => e.replies.push(datagram.to_vec()),
                _ => self.unmatched += 1,
            }
            return;
        };
        if first.flags & NLM_F_REQUEST != 0 {
            if let Some(key) = RequestKey::of(protocol, datagram) {
                self.exchanges.push(Exchange {
                    key,
                    time,
                    replies: Vec::new(),
                    complete: false,
                    seq: first.seq,
                });
            }
            return;
        }
        // A reply answers the latest open request of the same protocol and sequence number.
        let open = self
            .exchanges
            .iter_mut()
            .rev()
            .find(|e| !e.complete && e.key.protocol == protocol && e.seq == first.seq);
        let Some(exchange) = open else {
            self.unmatched += 1;
            return;
        };
        exchange.replies.push(datagram.to_vec());
        exchange.complete = Messages::new(datagram).any(|m| {
            matches!(m.header.kind, NLMSG_DONE | NLMSG_ERROR) || m.header.flags & NLM_F_MULTI == 0
        });
    }
}

/// The replay state shared by every replaying transport and watch of a run.
#[derive(Debug)]
pub struct ReplayState {
    exchanges: Vec<Exchange>,
    used: Vec<bool>,
}

/// A shared replay.
pub type SharedReplay = Rc<RefCell<ReplayState>>;

impl ReplayState {
    /// When the capture's first request was sent, and how many exchanges it holds: what tells
    /// recordings apart.
    pub fn first_request(&self) -> (Duration, usize) {
        (
            self.exchanges.first().map_or(Duration::ZERO, |e| e.time),
            self.exchanges.len(),
        )
    }

    /// Replay `capture`.
    pub fn new(capture: Capture) -> SharedReplay {
        let used = vec![false; capture.exchanges.len()];
        Rc::new(RefCell::new(ReplayState {
            exchanges: capture.exchanges,
            used,
        }))
    }

    /// Take the next unused exchange answering `key`.
    fn take(&mut self, key: &RequestKey) -> Option<&Exchange> {
        let i =
            (0..self.exchanges.len()).find(|&i| !self.used[i] && self.exchanges[i].key == *key)?;
        self.used[i] = true;
        Some(&self.exchanges[i])
    }

    /// The message type of the next unused dump of `protocol` whose type is among `kinds`.
    pub fn next_kind(&self, protocol: u16, kinds: &[u16]) -> Option<u16> {
        self.exchanges
            .iter()
            .zip(&self.used)
            .find(|(e, used)| {
                !**used && e.key.dump && e.key.protocol == protocol && kinds.contains(&e.key.kind)
            })
            .map(|(e, _)| e.key.kind)
    }

    /// True when an unused exchange answering `key` comes before the next unused exchange of
    /// protocol `before`: the recorded run asked for it at this point.
    pub fn due(&self, key: &RequestKey, before: u16) -> bool {
        self.exchanges
            .iter()
            .zip(&self.used)
            .filter(|(_, used)| !**used)
            .find(|(e, _)| e.key == *key || e.key.protocol == before)
            .is_some_and(|(e, _)| e.key == *key)
    }
}

/// The link change feed of a replayed capture: a change is reported when the capture's next
/// exchange among the reader's two requests is a full `RTM_GETLINK` dump, so the reader asks
/// what the recorded reader asked.
pub struct ReplayedLinkWatch {
    replay: SharedReplay,
    other_request: u16,
}

impl ReplayedLinkWatch {
    /// The feed of a reader that sends `other_request` when links did not change.
    pub fn new(replay: SharedReplay, other_request: u16) -> ReplayedLinkWatch {
        ReplayedLinkWatch {
            replay,
            other_request,
        }
    }
}

impl LinkWatch for ReplayedLinkWatch {
    fn changed(&mut self) -> bool {
        let next = self
            .replay
            .borrow()
            .next_kind(0, &[libc::RTM_GETLINK, self.other_request]);
        next == Some(libc::RTM_GETLINK)
    }
}

/// When a reader that looks link names up one by one (the ss reader, for bound sockets) asks
/// the kernel again, in a replayed capture: for the name of a link it has cached, exactly when the
/// recorded run asked at that point (its `RTM_GETLINK` for that index comes before the reader's
/// next recorded dump); a name it has not cached it always asks for, as the recorded run did.
pub struct ReplayedNameWatch {
    replay: SharedReplay,
    reader_protocol: u16,
    request: Vec<u8>,
}

impl ReplayedNameWatch {
    /// The watch of a reader whose own dumps are of `reader_protocol`.
    pub fn new(replay: SharedReplay, reader_protocol: u16) -> ReplayedNameWatch {
        ReplayedNameWatch {
            replay,
            reader_protocol,
            request: crate::netlink::names::getlink_by_index(0),
        }
    }
}

impl NameWatch for ReplayedNameWatch {
    fn changed(&mut self) -> bool {
        false
    }

    fn stale(&mut self, ifindex: u32) -> bool {
        crate::netlink::names::set_index(&mut self.request, ifindex);
        RequestKey::of(NETLINK_ROUTE, &self.request)
            .is_some_and(|key| self.replay.borrow().due(&key, self.reader_protocol))
    }
}

/// A transport that answers requests from a capture.
pub struct Replay {
    state: SharedReplay,
    protocol: u16,
    pending: VecDeque<Vec<u8>>,
    sent_at: Option<Duration>,
}

impl Replay {
    /// Answer requests of netlink `protocol` from `state`.
    pub fn new(state: SharedReplay, protocol: u16) -> Replay {
        Replay {
            state,
            protocol,
            pending: VecDeque::new(),
            sent_at: None,
        }
    }
}

/// Set the sequence number of every message of `datagram` to `seq`.
fn patch_seq(datagram: &mut [u8], seq: u32) {
    let mut at = 0;
    while let Some(header) = datagram.get(at..).and_then(Header::parse) {
        datagram[at + 8..at + 12].copy_from_slice(&seq.to_ne_bytes());
        at += nlmsg_align(header.len as usize);
    }
}

fn end_of_capture(what: String) -> io::Error {
    io::Error::new(io::ErrorKind::UnexpectedEof, what)
}

impl Transport for Replay {
    fn send(&mut self, request: &[u8]) -> io::Result<()> {
        let header = Header::parse(request)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "bad request"))?;
        let key = RequestKey::of(self.protocol, request)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "bad request"))?;
        let mut state = self.state.borrow_mut();
        let exchange = state.take(&key).ok_or_else(|| {
            end_of_capture(format!(
                "the capture holds no more replies to message type {}",
                key.kind
            ))
        })?;
        self.sent_at = Some(exchange.time);
        self.pending = exchange.replies.iter().cloned().collect();
        for datagram in &mut self.pending {
            patch_seq(datagram, header.seq);
        }
        Ok(())
    }

    fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
        let datagram = self
            .pending
            .pop_front()
            .ok_or_else(|| end_of_capture("the capture ends in the middle of a reply".into()))?;
        let room = buf.capacity() - buf.len();
        buf.extend_from_slice(&datagram[..datagram.len().min(room)]);
        Ok(datagram.len())
    }

    fn reopen(&mut self) -> io::Result<()> {
        self.pending.clear();
        Ok(())
    }

    fn sent_at(&self) -> Option<Duration> {
        self.sent_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::testing::message as msg;

    fn packet(packet_type: u16, protocol: u16, datagram: &[u8]) -> Vec<u8> {
        let mut p = cooked_header(packet_type, protocol).to_vec();
        p.extend_from_slice(datagram);
        p
    }

    #[test]
    fn cooked_header_layout() {
        let h = cooked_header(PACKET_KERNEL, 4);
        assert_eq!(h, [0, 7, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]);
    }

    #[test]
    fn replies_are_paired_with_requests_by_protocol_and_sequence() {
        let mut c = Capture::default();
        let t = Duration::from_secs(5);
        c.add_packet(t, &packet(PACKET_USER, 0, &msg(18, 0x301, 77, &[0; 16])));
        // A notification (seq 0) and another program's reply interleave.
        c.add_packet(t, &packet(PACKET_KERNEL, 0, &msg(16, 0, 0, &[1; 16])));
        c.add_packet(t, &packet(PACKET_KERNEL, 0, &msg(16, 2, 99, &[2; 16])));
        c.add_packet(t, &packet(PACKET_KERNEL, 0, &msg(16, 2, 77, &[3; 16])));
        c.add_packet(t, &packet(PACKET_KERNEL, 0, &msg(3, 2, 77, &[0; 4])));
        assert_eq!(c.exchanges.len(), 1);
        assert_eq!(c.exchanges[0].replies.len(), 2);
        assert!(c.exchanges[0].complete);
        assert_eq!(c.unmatched, 2);

        let state = ReplayState::new(c);
        let mut replay = Replay::new(state, 0);
        let request = msg(18, 0x301, 5, &[0; 16]);
        replay.send(&request).expect("send");
        assert_eq!(replay.sent_at(), Some(t));
        let mut buf = Vec::with_capacity(4096);
        replay.recv(&mut buf).expect("recv");
        let h = Header::parse(&buf).expect("header");
        assert_eq!(
            (h.kind, h.seq),
            (16, 5),
            "sequence patched to the new request's"
        );
        // The exchange is used up: a second request ends the replay.
        let err = replay.send(&request).expect_err("capture used up");
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn sock_diag_requests_are_told_apart_by_family_and_protocol() {
        let tcp4 = msg(20, 0x301, 1, &[2, 6, 0, 0]);
        let udp6 = msg(20, 0x301, 1, &[10, 17, 0, 0]);
        let k1 = RequestKey::of(4, &tcp4).expect("key");
        let k2 = RequestKey::of(4, &udp6).expect("key");
        assert_ne!(k1, k2);
        assert_eq!(k1.selector, [2, 6]);
        // Route requests ignore their body, but for a request of one link (not a dump), its
        // index: two links' names are two requests.
        assert_eq!(RequestKey::of(0, &tcp4).expect("key").selector, [0, 0]);
        let by_index = |i| RequestKey::of(0, &crate::netlink::names::getlink_by_index(i));
        let k5 = by_index(5).expect("key");
        assert_eq!((k5.dump, k5.target, k5.kind), (false, 5, libc::RTM_GETLINK));
        assert_ne!(by_index(6), Some(k5));
        let dump = RequestKey::of(0, &msg(18, 0x301, 1, &[0, 0, 0, 0, 5, 0, 0, 0])).expect("key");
        assert_eq!((dump.dump, dump.target), (true, 0));
    }

    #[test]
    fn a_name_is_due_when_the_recorded_run_asked_before_its_next_dump() {
        let mut c = Capture::default();
        let t = Duration::from_secs(1);
        let get5 = crate::netlink::names::getlink_by_index(5);
        let mut get5 = get5.clone();
        get5[8..12].copy_from_slice(&40u32.to_ne_bytes());
        let sample = |c: &mut Capture, seq: u32, ask: bool| {
            c.add_packet(
                t,
                &packet(PACKET_USER, 4, &msg(20, 0x301, seq, &[2, 6, 0, 0])),
            );
            c.add_packet(t, &packet(PACKET_KERNEL, 4, &msg(3, 2, seq, &[0; 4])));
            if ask {
                let mut g = get5.clone();
                g[8..12].copy_from_slice(&(seq + 100).to_ne_bytes());
                c.add_packet(t, &packet(PACKET_USER, 0, &g));
                c.add_packet(
                    t,
                    &packet(PACKET_KERNEL, 0, &msg(16, 0, seq + 100, &[0; 16])),
                );
            }
        };
        sample(&mut c, 1, true);
        sample(&mut c, 2, false);
        sample(&mut c, 3, true);
        let state = ReplayState::new(c);
        let mut watch = ReplayedNameWatch::new(state.clone(), 4);
        let mut diag = Replay::new(state.clone(), 4);
        let mut route = Replay::new(state, 0);
        let tcp4 = msg(20, 0x301, 9, &[2, 6, 0, 0]);
        for asked in [true, false, true] {
            diag.send(&tcp4).expect("dump");
            assert_eq!(watch.stale(5), asked);
            assert!(!watch.stale(6));
            if asked {
                route.send(&get5).expect("the recorded request");
            }
        }
    }

    /// A kernel that answers any request with one data message and DONE.
    struct Echo {
        queue: VecDeque<Vec<u8>>,
    }

    impl Transport for Echo {
        fn send(&mut self, request: &[u8]) -> io::Result<()> {
            let seq = Header::parse(request).expect("header").seq;
            self.queue
                .push_back(msg(16, NLM_F_MULTI, seq, &[seq as u8; 20]));
            self.queue
                .push_back(msg(NLMSG_DONE, NLM_F_MULTI, seq, &[0; 4]));
            Ok(())
        }
        fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
            let d = self.queue.pop_front().ok_or(io::ErrorKind::WouldBlock)?;
            buf.extend_from_slice(&d);
            Ok(d.len())
        }
        fn reopen(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn recorded_exchanges_read_back_and_replay() {
        let path = std::env::temp_dir().join(format!("nsp-capture-{}.pcap", std::process::id()));
        let writer = CaptureWriter::create(&path).expect("create").shared();
        let rec = Recording::new(
            Echo {
                queue: VecDeque::new(),
            },
            0,
            writer.clone(),
        );
        let mut d = crate::netlink::Dumper::new(rec);
        let mut req = crate::netlink::Request {
            name: "TEST",
            bytes: msg(18, 0x301, 0, &[0; 16]),
        };
        for _ in 0..2 {
            assert_eq!(d.dump(&mut req).expect("dump").messages.count(), 1);
        }
        writer.borrow_mut().finish().expect("finish");

        let capture = Capture::read(&path).expect("read");
        let _ = std::fs::remove_file(&path);
        assert_eq!(capture.exchanges.len(), 2);
        assert!(
            capture
                .exchanges
                .iter()
                .all(|e| e.complete && e.replies.len() == 2)
        );
        assert!(!capture.truncated);

        let state = ReplayState::new(capture);
        let mut d = crate::netlink::Dumper::new(Replay::new(state, 0));
        for seq in [1u8, 2] {
            let dump = d.dump(&mut req).expect("replayed dump");
            let payloads: Vec<_> = dump.messages.map(|m| m.payload.to_vec()).collect();
            assert_eq!(payloads, vec![vec![seq; 20]]);
        }
        assert!(matches!(
            d.dump(&mut req),
            Err(crate::netlink::NetlinkError::EndOfInput { .. })
        ));
    }
}
