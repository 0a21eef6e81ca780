//! The `ss` reader: established TCP and UDP sockets, IPv4 and IPv6, from `sock_diag` dumps
//! (`SOCK_DIAG_BY_FAMILY`), with what `ss -inm --tcp --udp -o state established` shows: queues,
//! addresses, uid, inode, cookie, timer, socket memory, congestion control, `tcp_info` and the
//! congestion algorithm's own info (BBR, DCTCP, Vegas).
//!
//! The fixed `struct inet_diag_msg` is read from the raw bytes (the crate's parser drops the
//! retransmit count and unknown timer kinds); attributes are walked lazily and only the ones
//! reported are kept. Nothing is allocated per socket beyond the output element.

pub mod json;
pub mod tcp_info;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use netlink_packet_sock_diag::SockDiagMessage;
use netlink_packet_sock_diag::inet::{ExtensionFlags, InetRequest, SocketId, StateFlags};
use netlink_sys::constants::NETLINK_SOCK_DIAG;
use serde::ser::{Serialize, SerializeMap, Serializer};

use self::tcp_info::TcpInfo;
use super::attrs::{Attrs, Padded};
use super::{Collected, ReadError, Reader};
use crate::netlink::{DumpCounters, Dumper, NetlinkError, Request, Transport};
use crate::record::{AsStr, Stats};
use crate::source::Source;

/// `SOCK_DIAG_BY_FAMILY`: the request and reply message type.
const SOCK_DIAG_BY_FAMILY: u16 = 20;
/// `sizeof(struct inet_diag_msg)`.
const INET_DIAG_MSG_LEN: usize = 72;
const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;
const IPPROTO_TCP: u8 = 6;
const IPPROTO_UDP: u8 = 17;
// INET_DIAG_* attributes (include/uapi/linux/inet_diag.h).
const INET_DIAG_MEMINFO: usize = 1;
const INET_DIAG_INFO: usize = 2;
const INET_DIAG_VEGASINFO: usize = 3;
const INET_DIAG_CONG: usize = 4;
const INET_DIAG_SKMEMINFO: usize = 7;
const INET_DIAG_DCTCPINFO: usize = 9;
const INET_DIAG_BBRINFO: usize = 16;
const INET_DIAG_TABLE: usize = 17;

/// TCP states as ss names them (`sstate_name`), by kernel state number.
const STATE_NAMES: [&str; 13] = [
    "UNKNOWN",
    "ESTAB",
    "SYN-SENT",
    "SYN-RECV",
    "FIN-WAIT-1",
    "FIN-WAIT-2",
    "TIME-WAIT",
    "UNCONN",
    "CLOSE-WAIT",
    "LAST-ACK",
    "LISTEN",
    "CLOSING",
    "NEW-SYN-RECV",
];

/// Timer names as ss prints them, by `idiag_timer` value: 1 retransmit (also loss probe and
/// reordering), 2 keepalive, 3 TIME-WAIT, 4 zero-window probe, 5 delayed ACK (Linux 6.9+).
const TIMER_NAMES: [&str; 6] = ["off", "on", "keepalive", "timewait", "persist", "delack"];

/// Protocol of a socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Netid {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
}

impl Netid {
    /// `tcp` or `udp`.
    pub fn name(self) -> &'static str {
        match self {
            Netid::Tcp => "tcp",
            Netid::Udp => "udp",
        }
    }
}

/// An active socket timer (`idiag_timer`, `idiag_expires`, `idiag_retrans`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timer {
    /// `idiag_timer` (1..=5; see [`Timer::name`]).
    pub kind: u8,
    /// Milliseconds until it fires (`idiag_expires`).
    pub expires_ms: u32,
    /// Retransmits or probes so far (`idiag_retrans`).
    pub retrans: u8,
}

impl Timer {
    /// ss's name of the timer.
    pub fn name(&self) -> &'static str {
        TIMER_NAMES
            .get(usize::from(self.kind))
            .copied()
            .unwrap_or("unknown")
    }
}

/// The congestion control algorithm's name (`INET_DIAG_CONG`, at most `TCP_CA_NAME_MAX` bytes).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Cong {
    name: [u8; 16],
    len: u8,
}

impl Cong {
    fn new(b: &[u8]) -> Cong {
        let end = b.iter().position(|&c| c == 0).unwrap_or(b.len()).min(16);
        let mut name = [0u8; 16];
        name[..end].copy_from_slice(&b[..end]);
        Cong {
            name,
            len: end as u8,
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.name[..usize::from(self.len)]).unwrap_or("?")
    }
}

impl fmt::Debug for Cong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_str().fmt(f)
    }
}

/// Congestion-algorithm specific info (`union tcp_cc_info`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CcInfo {
    /// `struct tcp_bbr_info`.
    Bbr {
        /// Bandwidth estimate, bytes/s.
        bw: u64,
        /// Minimum RTT, µs.
        min_rtt: u32,
        /// Pacing gain << 8.
        pacing_gain: u32,
        /// Cwnd gain << 8.
        cwnd_gain: u32,
    },
    /// `struct tcp_dctcp_info`.
    Dctcp {
        /// DCTCP is enabled.
        enabled: u16,
        /// CE state.
        ce_state: u16,
        /// Alpha (scaled by 1024).
        alpha: u32,
        /// Bytes acked with ECN.
        ab_ecn: u32,
        /// Bytes acked in total.
        ab_tot: u32,
    },
    /// `struct tcpvegas_info`.
    Vegas {
        /// Vegas is enabled.
        enabled: u32,
        /// RTTs counted.
        rttcnt: u32,
        /// RTT, µs.
        rtt: u32,
        /// Minimum RTT, µs.
        minrtt: u32,
    },
}

/// One socket of one sample.
#[derive(Debug, Clone, PartialEq)]
pub struct Socket {
    /// TCP or UDP.
    pub netid: Netid,
    /// Kernel state (`TCP_ESTABLISHED` = 1; connected UDP sockets report it too).
    pub state: u8,
    /// Receive queue: bytes not yet read (`idiag_rqueue`).
    pub recv_q: u32,
    /// Send queue: bytes not yet acknowledged (TCP) or queued (UDP) (`idiag_wqueue`).
    pub send_q: u32,
    /// Local address and port.
    pub local: (IpAddr, u16),
    /// Peer address and port.
    pub peer: (IpAddr, u16),
    /// Owner (`idiag_uid`).
    pub uid: u32,
    /// Inode (`idiag_inode`).
    pub inode: u32,
    /// Socket cookie.
    pub cookie: u64,
    /// Active timer, if any.
    pub timer: Option<Timer>,
    /// `SK_MEMINFO_*` (r, rb, t, tb, f, w, o, bl, d), when sent.
    pub skmem: Option<[u32; 9]>,
    /// Congestion control algorithm.
    pub cong: Option<Cong>,
    /// `struct tcp_info`.
    pub tcp_info: Option<TcpInfo>,
    /// Algorithm-specific info.
    pub cc_info: Option<CcInfo>,
}

/// The letters ss prints for the `SK_MEMINFO_*` values, in index order.
pub const SKMEM_NAMES: [&str; 9] = ["r", "rb", "t", "tb", "f", "w", "o", "bl", "d"];

fn address(family: u8, b: &[u8]) -> IpAddr {
    match family {
        AF_INET6 => {
            let mut a = [0u8; 16];
            a.copy_from_slice(&b[..16]);
            IpAddr::V6(Ipv6Addr::from(a))
        }
        _ => IpAddr::V4(Ipv4Addr::new(b[0], b[1], b[2], b[3])),
    }
}

/// Decode one `SOCK_DIAG_BY_FAMILY` reply payload (`struct inet_diag_msg` and attributes).
/// `None` when it is shorter than `struct inet_diag_msg`.
pub fn decode_socket(netid: Netid, payload: &[u8]) -> Option<Socket> {
    let h = payload.get(..INET_DIAG_MSG_LEN)?;
    let p = Padded::<72>::new(h);
    let family = p.u8(0);
    let a: Attrs<INET_DIAG_TABLE> = Attrs::parse(&payload[INET_DIAG_MSG_LEN..]);
    let timer = (p.u8(2) != 0).then(|| Timer {
        kind: p.u8(2),
        expires_ms: p.u32(52),
        retrans: p.u8(3),
    });
    let skmem = a.get(INET_DIAG_SKMEMINFO).map(|m| {
        let m = Padded::<36>::new(m);
        std::array::from_fn(|i| m.u32(i * 4))
    });
    // Kernels before 3.x only answer INET_DIAG_MEMINFO (rmem, wmem, fmem, tmem).
    let skmem = skmem.or_else(|| {
        a.get(INET_DIAG_MEMINFO).map(|m| {
            let m = Padded::<16>::new(m);
            [m.u32(0), 0, m.u32(4), 0, m.u32(8), m.u32(12), 0, 0, 0]
        })
    });
    let cc_info = if let Some(b) = a.get(INET_DIAG_BBRINFO) {
        let b = Padded::<20>::new(b);
        Some(CcInfo::Bbr {
            bw: u64::from(b.u32(0)) | u64::from(b.u32(4)) << 32,
            min_rtt: b.u32(8),
            pacing_gain: b.u32(12),
            cwnd_gain: b.u32(16),
        })
    } else if let Some(d) = a.get(INET_DIAG_DCTCPINFO) {
        let d = Padded::<16>::new(d);
        Some(CcInfo::Dctcp {
            enabled: d.u16(0),
            ce_state: d.u16(2),
            alpha: d.u32(4),
            ab_ecn: d.u32(8),
            ab_tot: d.u32(12),
        })
    } else {
        a.get(INET_DIAG_VEGASINFO).map(|v| {
            let v = Padded::<16>::new(v);
            CcInfo::Vegas {
                enabled: v.u32(0),
                rttcnt: v.u32(4),
                rtt: v.u32(8),
                minrtt: v.u32(12),
            }
        })
    };
    Some(Socket {
        netid,
        state: p.u8(1),
        recv_q: p.u32(56),
        send_q: p.u32(60),
        local: (address(family, &h[8..24]), u16::from_be_bytes([h[4], h[5]])),
        peer: (
            address(family, &h[24..40]),
            u16::from_be_bytes([h[6], h[7]]),
        ),
        uid: p.u32(64),
        inode: p.u32(68),
        cookie: u64::from(p.u32(44)) | u64::from(p.u32(48)) << 32,
        timer,
        skmem,
        cong: a.get(INET_DIAG_CONG).map(Cong::new),
        tcp_info: a.get(INET_DIAG_INFO).map(TcpInfo::decode),
        cc_info,
    })
}

/// ss's name of a state.
pub fn state_name(state: u8) -> &'static str {
    STATE_NAMES
        .get(usize::from(state))
        .copied()
        .unwrap_or("UNKNOWN")
}

struct Endpoint<'a>(&'a (IpAddr, u16));

impl Serialize for Endpoint<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("address", &AsStr(&self.0.0))?;
        m.serialize_entry("port", &self.0.1)?;
        m.end()
    }
}

struct TimerJson<'a>(&'a Timer);

impl Serialize for TimerJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("name", self.0.name())?;
        m.serialize_entry("expires_ms", &self.0.expires_ms)?;
        m.serialize_entry("retrans", &self.0.retrans)?;
        m.end()
    }
}

struct Skmem<'a>(&'a [u32; 9]);

impl Serialize for Skmem<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(9))?;
        for (name, v) in SKMEM_NAMES.iter().zip(self.0) {
            m.serialize_entry(name, v)?;
        }
        m.end()
    }
}

impl CcInfo {
    /// The JSON key (`bbr`, `dctcp`, `vegas`) and the fields, in order.
    pub fn entries(&self) -> (&'static str, Vec<(&'static str, u64)>) {
        match *self {
            CcInfo::Bbr {
                bw,
                min_rtt,
                pacing_gain,
                cwnd_gain,
            } => (
                "bbr",
                vec![
                    ("bw", bw),
                    ("min_rtt", min_rtt.into()),
                    ("pacing_gain", pacing_gain.into()),
                    ("cwnd_gain", cwnd_gain.into()),
                ],
            ),
            CcInfo::Dctcp {
                enabled,
                ce_state,
                alpha,
                ab_ecn,
                ab_tot,
            } => (
                "dctcp",
                vec![
                    ("enabled", enabled.into()),
                    ("ce_state", ce_state.into()),
                    ("alpha", alpha.into()),
                    ("ab_ecn", ab_ecn.into()),
                    ("ab_tot", ab_tot.into()),
                ],
            ),
            CcInfo::Vegas {
                enabled,
                rttcnt,
                rtt,
                minrtt,
            } => (
                "vegas",
                vec![
                    ("enabled", enabled.into()),
                    ("rttcnt", rttcnt.into()),
                    ("rtt", rtt.into()),
                    ("minrtt", minrtt.into()),
                ],
            ),
        }
    }
}

impl Serialize for CcInfo {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (_, fields) = self.entries();
        let mut m = s.serialize_map(Some(fields.len()))?;
        for (k, v) in &fields {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl Serialize for Socket {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("netid", self.netid.name())?;
        m.serialize_entry("state", state_name(self.state))?;
        m.serialize_entry("recv_q", &self.recv_q)?;
        m.serialize_entry("send_q", &self.send_q)?;
        m.serialize_entry("local", &Endpoint(&self.local))?;
        m.serialize_entry("peer", &Endpoint(&self.peer))?;
        m.serialize_entry("uid", &self.uid)?;
        m.serialize_entry("inode", &self.inode)?;
        m.serialize_entry("cookie", &self.cookie)?;
        if let Some(t) = &self.timer {
            m.serialize_entry("timer", &TimerJson(t))?;
        }
        if let Some(sk) = &self.skmem {
            m.serialize_entry("skmem", &Skmem(sk))?;
        }
        if let Some(c) = &self.cong {
            m.serialize_entry("cong", c.as_str())?;
        }
        if let Some(t) = &self.tcp_info {
            m.serialize_entry("tcp_info", t)?;
        }
        if let Some(cc) = &self.cc_info {
            m.serialize_entry(cc.entries().0, cc)?;
        }
        m.end()
    }
}

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

/// The `ss` reader.
pub struct SsReader<T> {
    dumper: Dumper<T>,
    requests: Vec<(Netid, Request)>,
    /// Sockets of the previous sample, to size the next one's vector at once.
    last_count: usize,
}

impl SsReader<Box<dyn Transport>> {
    /// A reader whose kernel input comes from `source`.
    pub fn from_source(source: &Source) -> Result<Self, ReadError> {
        let transport =
            source
                .transport(NETLINK_SOCK_DIAG)
                .map_err(|source| NetlinkError::Open {
                    protocol: "NETLINK_SOCK_DIAG",
                    source,
                })?;
        Ok(SsReader::with_source(transport))
    }
}

impl<T: Transport> SsReader<T> {
    /// A reader over any message source.
    pub fn with_source(transport: T) -> Self {
        SsReader {
            dumper: Dumper::new(transport),
            requests: requests(),
            last_count: 0,
        }
    }
}

impl<T: Transport> Reader for SsReader<T> {
    fn kind(&self) -> &'static str {
        "ss"
    }

    fn collect(&mut self) -> Result<Collected, ReadError> {
        let mut out = Vec::with_capacity(self.last_count + self.last_count / 8);
        let mut partial = false;
        let mut sent_at = None;
        for (netid, request) in &mut self.requests {
            let dump = self.dumper.dump(request)?;
            partial |= dump.partial;
            sent_at = sent_at.or(dump.sent_at);
            for m in dump.messages {
                if m.header.kind == SOCK_DIAG_BY_FAMILY
                    && let Some(s) = decode_socket(*netid, m.payload)
                {
                    out.push(s);
                }
            }
        }
        self.last_count = out.len();
        Ok(Collected {
            stats: Stats::Ss(out),
            partial,
            captured_at: sent_at,
            warnings: Vec::new(),
        })
    }

    fn dump_counters(&self) -> DumpCounters {
        self.dumper.counters()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::testing::attribute as attr;

    /// `struct inet_diag_msg`, field by field, for an IPv4 socket 127.0.0.1:5001 -> :40000.
    fn header(timer: u8) -> Vec<u8> {
        let mut h = vec![AF_INET, 1, timer, 2];
        h.extend_from_slice(&5001u16.to_be_bytes()); // sport
        h.extend_from_slice(&40000u16.to_be_bytes()); // dport
        let mut src = [0u8; 16];
        src[..4].copy_from_slice(&[127, 0, 0, 1]);
        h.extend_from_slice(&src);
        let mut dst = [0u8; 16];
        dst[..4].copy_from_slice(&[127, 0, 0, 2]);
        h.extend_from_slice(&dst);
        h.extend_from_slice(&0u32.to_ne_bytes()); // if
        h.extend_from_slice(&7u32.to_ne_bytes()); // cookie[0]
        h.extend_from_slice(&1u32.to_ne_bytes()); // cookie[1]
        for v in [1500u32, 11, 22, 1000, 4242] {
            // expires, rqueue, wqueue, uid, inode
            h.extend_from_slice(&v.to_ne_bytes());
        }
        assert_eq!(h.len(), INET_DIAG_MSG_LEN);
        h
    }

    #[test]
    fn decodes_header_timer_and_attributes() {
        let mut m = header(2);
        m.extend(attr(INET_DIAG_CONG as u16, b"cubic\0"));
        let skmem: Vec<u8> = (1..=9u32).flat_map(|v| v.to_ne_bytes()).collect();
        m.extend(attr(INET_DIAG_SKMEMINFO as u16, &skmem));
        let mut info = vec![0u8; 104];
        info[80..84].copy_from_slice(&10u32.to_ne_bytes());
        m.extend(attr(INET_DIAG_INFO as u16, &info));
        m.extend(attr(
            INET_DIAG_BBRINFO as u16,
            &[1, 0, 0, 0, 2, 0, 0, 0, 9, 0, 0, 0],
        ));
        m.extend(attr(200, &[1, 2, 3])); // unknown attribute: skipped
        let s = decode_socket(Netid::Tcp, &m).expect("socket");
        assert_eq!(s.local, (IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1)), 5001));
        assert_eq!(s.peer.1, 40000);
        assert_eq!((s.recv_q, s.send_q, s.uid, s.inode), (11, 22, 1000, 4242));
        assert_eq!(s.cookie, (1 << 32) | 7);
        let t = s.timer.expect("timer");
        assert_eq!((t.name(), t.expires_ms, t.retrans), ("keepalive", 1500, 2));
        assert_eq!(s.skmem, Some([1, 2, 3, 4, 5, 6, 7, 8, 9]));
        assert_eq!(
            s.cong.map(|c| c.as_str().to_owned()).as_deref(),
            Some("cubic")
        );
        let info = s.tcp_info.as_ref().expect("info");
        assert_eq!((info.len, info.snd_cwnd()), (104, 10));
        // A 12-byte BBR struct (shorter than 20) is zero-extended.
        assert_eq!(
            s.cc_info,
            Some(CcInfo::Bbr {
                bw: (2 << 32) | 1,
                min_rtt: 9,
                pacing_gain: 0,
                cwnd_gain: 0
            })
        );
        let json = serde_json::to_value(&s).expect("json");
        assert_eq!(json["timer"]["name"], "keepalive");
        assert_eq!(json["skmem"]["bl"], 8);
        assert_eq!(json["bbr"]["min_rtt"], 9);
        // The delayed-ACK timer of newer kernels has its name; others are "unknown".
        let delack = decode_socket(Netid::Tcp, &header(5)).expect("socket");
        assert_eq!(delack.timer.map(|t| t.name()), Some("delack"));
        let odd = decode_socket(Netid::Tcp, &header(9)).expect("socket");
        assert_eq!(odd.timer.map(|t| t.name()), Some("unknown"));
    }

    #[test]
    fn direct_json_equals_serde_json() {
        let mut sockets = Vec::new();
        for (i, extra) in [
            attr(INET_DIAG_BBRINFO as u16, &[7; 20]),
            attr(INET_DIAG_DCTCPINFO as u16, &[3; 16]),
            attr(INET_DIAG_VEGASINFO as u16, &[5; 16]),
            Vec::new(),
        ]
        .into_iter()
        .enumerate()
        {
            let mut m = header(i as u8);
            if i == 1 {
                // An IPv6 socket.
                m[0] = AF_INET6;
                m[8..24].copy_from_slice(&[0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9]);
            }
            m.extend(attr(INET_DIAG_CONG as u16, b"cubic\0"));
            let skmem: Vec<u8> = (1..=9u32).flat_map(|v| (v * 1000).to_ne_bytes()).collect();
            m.extend(attr(INET_DIAG_SKMEMINFO as u16, &skmem));
            // Every tcp_info byte distinct-ish, lengths of several kernel eras.
            let len = [280, 232, 104, 300][i];
            let info: Vec<u8> = (0..len).map(|b| (b * 7 + i) as u8).collect();
            m.extend(attr(INET_DIAG_INFO as u16, &info));
            m.extend(extra);
            sockets.push(decode_socket(Netid::Tcp, &m).expect("socket"));
        }
        sockets.push(decode_socket(Netid::Udp, &header(0)).expect("udp"));
        let mut fast = Vec::new();
        json::write_sockets(&mut fast, &sockets);
        let slow = serde_json::to_vec(&sockets).expect("serde");
        assert_eq!(
            String::from_utf8_lossy(&fast),
            String::from_utf8_lossy(&slow)
        );
    }

    #[test]
    fn damaged_messages_never_panic() {
        let mut m = header(1);
        m.extend(attr(INET_DIAG_INFO as u16, &[0xff; 280]));
        m.extend(attr(
            INET_DIAG_CONG as u16,
            b"a-name-longer-than-sixteen-bytes",
        ));
        assert_eq!(
            decode_socket(Netid::Tcp, &m)
                .and_then(|s| s.cong)
                .map(|c| c.as_str().len()),
            Some(16)
        );
        for cut in 0..m.len() {
            let _ = decode_socket(Netid::Tcp, &m[..cut]);
        }
        for i in INET_DIAG_MSG_LEN..m.len() {
            let mut bad = m.clone();
            bad[i] ^= 0xa5;
            if let Some(s) = decode_socket(Netid::Udp, &bad) {
                let _ = serde_json::to_string(&s).expect("serialises");
            }
        }
        assert!(decode_socket(Netid::Tcp, &m[..71]).is_none());
    }
}
