//! The `ss_closed` reader: every TCP and UDP socket that closes, with its last `tcp_info`, as
//! `ss -E` shows them. The kernel reports each socket it destroys to the `sock_diag` multicast
//! groups (`SKNLGRP_INET_TCP_DESTROY` and the UDP and IPv6 ones; kernels that do not let every
//! user listen to them answer EPERM without CAP_NET_ADMIN, which is reported as such).
//! A thread of its own waits for these reports, stamps, decodes and keeps them; each sample takes
//! what arrived since the previous one, so connections that open and close between two samples
//! are seen too.
//!
//! Nothing is lost silently: when the kernel finds the receive buffer full it drops reports and
//! says so (`ENOBUFS`); each time, the loss is counted and reported, and the buffer doubled. The
//! reports kept between two samples are bounded; beyond the bound they are counted as lost too.

use std::mem;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use netlink_sys::constants::NETLINK_SOCK_DIAG;

use super::decode::{IPPROTO_TCP, IPPROTO_UDP, SOCK_DIAG_BY_FAMILY, decode_socket};
use super::filter::{Filter, SocketView};
use crate::clock;
use crate::model::Stats;
use crate::model::ss::Netid;
use crate::model::ss_closed::ClosedSocket;
use crate::netlink::attrs::Attrs;
use crate::netlink::{Messages, NetlinkError, NetlinkSocket, Transport};
use crate::readers::{Collected, ReadError, Reader, Warning};
use crate::uapi::inet_diag::{INET_DIAG_PROTOCOL, inet_diag_msg};

/// `SKNLGRP_INET_TCP_DESTROY`, `SKNLGRP_INET_UDP_DESTROY`, `SKNLGRP_INET6_TCP_DESTROY`,
/// `SKNLGRP_INET6_UDP_DESTROY` (groups 1 to 4) as a bind mask.
const DESTROY_GROUPS: u32 = 0b1111;
/// The receive buffer asked for at first, and the most it is grown to.
const FIRST_RCVBUF: usize = 4 << 20;
const MAX_RCVBUF: usize = 256 << 20;
/// How often the thread looks whether it should stop.
const WAKE: Duration = Duration::from_millis(100);
/// Reports kept between two samples at most.
const MAX_KEPT: usize = 1 << 20;

/// What the thread hands to the reader.
#[derive(Default)]
struct Inbox {
    closed: Vec<ClosedSocket>,
    /// Times the kernel dropped reports (each `ENOBUFS`), and reports beyond [`MAX_KEPT`].
    overflows: u64,
    dropped_here: u64,
    /// The receive buffer asked for now.
    rcvbuf: usize,
    /// The thread stopped on this error.
    failed: Option<String>,
}

/// The `ss_closed` reader.
pub struct ClosedReader {
    inbox: Arc<Mutex<Inbox>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    reported: (u64, u64),
}

/// The error of subscribing to socket destruction reports.
fn subscribe_error(source: std::io::Error) -> ReadError {
    let protocol = if source.raw_os_error() == Some(libc::EPERM) {
        "NETLINK_SOCK_DIAG destroy groups (this kernel lets only CAP_NET_ADMIN listen)"
    } else {
        "NETLINK_SOCK_DIAG destroy groups"
    };
    ReadError::Netlink(NetlinkError::Open { protocol, source })
}

impl ClosedReader {
    /// Subscribe (in the current network namespace) and start the thread. Only sockets that
    /// `filter` matches are kept; its interface names must be resolved.
    pub fn open(filter: Option<Filter>) -> Result<ClosedReader, ReadError> {
        let socket =
            NetlinkSocket::open_events(NETLINK_SOCK_DIAG, DESTROY_GROUPS, FIRST_RCVBUF, WAKE)
                .map_err(subscribe_error)?;
        let inbox = Arc::new(Mutex::new(Inbox {
            rcvbuf: FIRST_RCVBUF,
            ..Inbox::default()
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (inbox, stop) = (Arc::clone(&inbox), Arc::clone(&stop));
            std::thread::Builder::new()
                .name("netstatspy-ss-closed".into())
                .spawn(move || listen(socket, filter, &inbox, &stop))
                .map_err(subscribe_error)?
        };
        Ok(ClosedReader {
            inbox,
            stop,
            thread: Some(thread),
            reported: (0, 0),
        })
    }
}

/// The thread: wait for reports until told to stop.
fn listen(
    mut socket: NetlinkSocket,
    filter: Option<Filter>,
    inbox: &Mutex<Inbox>,
    stop: &AtomicBool,
) {
    let mut buf: Vec<u8> = Vec::with_capacity(256 * 1024);
    let mut batch = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        buf.clear();
        match socket.recv(&mut buf) {
            Ok(n) => {
                let at = clock::wall();
                let n = n.min(buf.len());
                for m in Messages::new(&buf[..n]) {
                    if m.header.kind != SOCK_DIAG_BY_FAMILY {
                        continue;
                    }
                    let Some(socket) = decode_closed(m.payload) else {
                        continue;
                    };
                    if let Some(f) = &filter
                        && !f.expr.matches(&view(&socket))
                    {
                        continue;
                    }
                    batch.push(ClosedSocket {
                        closed_at: at,
                        socket,
                    });
                }
                if !batch.is_empty() {
                    let Ok(mut inbox) = inbox.lock() else { return };
                    let room = MAX_KEPT.saturating_sub(inbox.closed.len());
                    if batch.len() > room {
                        inbox.dropped_here += (batch.len() - room) as u64;
                        batch.truncate(room);
                    }
                    inbox.closed.append(&mut batch);
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::Interrupted
                ) => {}
            Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => {
                let Ok(mut inbox) = inbox.lock() else { return };
                inbox.overflows += 1;
                inbox.rcvbuf = (inbox.rcvbuf * 2).min(MAX_RCVBUF);
                socket.grow_recv_buffer(inbox.rcvbuf);
            }
            Err(e) => {
                if let Ok(mut inbox) = inbox.lock() {
                    inbox.failed = Some(e.to_string());
                }
                return;
            }
        }
    }
}

/// A destruction report: `struct inet_diag_msg` and attributes, its protocol in
/// `INET_DIAG_PROTOCOL`.
fn decode_closed(payload: &[u8]) -> Option<crate::model::ss::Socket> {
    let attrs: Attrs<{ INET_DIAG_PROTOCOL + 1 }> =
        Attrs::parse(payload.get(inet_diag_msg::SIZE..)?);
    let netid = match attrs.get(INET_DIAG_PROTOCOL)?.first().copied()? {
        IPPROTO_TCP => Netid::Tcp,
        IPPROTO_UDP => Netid::Udp,
        _ => return None,
    };
    decode_socket(netid, payload)
}

/// What a filter looks at.
fn view(s: &crate::model::ss::Socket) -> SocketView {
    SocketView {
        local: s.local,
        peer: s.peer,
        ifindex: s.bound_if().map_or(0, |b| b.ifindex),
        mark: None,
    }
}

impl Reader for ClosedReader {
    fn kind(&self) -> &'static str {
        "ss_closed"
    }

    fn recordable(&self) -> bool {
        false
    }

    fn collect(&mut self) -> Result<Collected, ReadError> {
        let Ok(mut inbox) = self.inbox.lock() else {
            return Err(subscribe_error(std::io::Error::other(
                "the listening thread failed",
            )));
        };
        if let Some(e) = inbox.failed.take() {
            return Err(subscribe_error(std::io::Error::other(e)));
        }
        let closed = mem::take(&mut inbox.closed);
        let mut warnings = Vec::new();
        let lost = (inbox.overflows, inbox.dropped_here);
        if lost != self.reported {
            self.reported = lost;
            warnings.push(Warning::Transport(format!(
                "ss_closed: close reports lost: the kernel dropped some {} time(s) for want of \
                 receive buffer (now {} MiB), {} more beyond the {MAX_KEPT} kept between samples",
                lost.0,
                inbox.rcvbuf >> 20,
                lost.1
            )));
        }
        Ok(Collected {
            stats: Stats::SsClosed(closed),
            partial: false,
            captured_at: None,
            warnings,
        })
    }
}

impl Drop for ClosedReader {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
