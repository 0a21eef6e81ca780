//! The `ss` statistics of one sample: established TCP and UDP sockets with what
//! `ss -inm --tcp --udp -o state established` shows — queues, addresses, timer, socket memory,
//! congestion control, `struct tcp_info` and the congestion algorithm's own info. ss has no JSON
//! output; the keys are ss's and the kernel's names.

pub mod address;
pub mod extra;
pub mod tcp_info;

use std::fmt;
use std::net::IpAddr;

use self::extra::{BoundIf, Md5Key, Ulp};
use self::tcp_info::TcpInfo;
use super::describe::{Describe, Field, Unit, Visitor};

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
    /// The name in a `INET_DIAG_CONG` payload: up to the first NUL, at most 16 bytes.
    pub fn new(b: &[u8]) -> Cong {
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
    /// What few sockets carry: a bound interface, TCP-MD5 keys, ULP info. Boxed, so that the
    /// many sockets without them stay as small as before.
    pub extra: Option<Box<Extra>>,
}

/// The rarer parts of a socket.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extra {
    /// The interface the socket is bound to (`idiag_if`), when it is.
    pub bound_if: Option<BoundIf>,
    /// TCP-MD5 keys (`INET_DIAG_MD5SIG`; the kernel sends them only to `CAP_NET_ADMIN`).
    pub md5keys: Vec<Md5Key>,
    /// Upper layer protocol (`INET_DIAG_ULP_INFO`): kTLS or an MPTCP subflow.
    pub ulp: Option<Ulp>,
}

impl Socket {
    /// The interface the socket is bound to, when it is.
    pub fn bound_if(&self) -> Option<&BoundIf> {
        self.extra.as_ref()?.bound_if.as_ref()
    }

    /// Its TCP-MD5 keys (none for most sockets).
    pub fn md5keys(&self) -> &[Md5Key] {
        self.extra.as_ref().map_or(&[], |e| &e.md5keys)
    }

    /// Its upper layer protocol, if any.
    pub fn ulp(&self) -> Option<&Ulp> {
        self.extra.as_ref()?.ulp.as_ref()
    }
}

/// The letters ss prints for the `SK_MEMINFO_*` values, in index order.
pub const SKMEM_NAMES: [&str; 9] = ["r", "rb", "t", "tb", "f", "w", "o", "bl", "d"];

/// ss's name of a state.
pub fn state_name(state: u8) -> &'static str {
    STATE_NAMES
        .get(usize::from(state))
        .copied()
        .unwrap_or("UNKNOWN")
}

/// ss's send rate: cwnd × mss × 8 / rtt, in bits per second (`ss -i`'s `send`).
pub fn send_rate_bps(s: &Socket) -> Option<f64> {
    let t = s.tcp_info.as_ref()?;
    (t.rtt() != 0)
        .then(|| f64::from(t.snd_cwnd()) * f64::from(t.snd_mss()) * 8.0 * 1e6 / f64::from(t.rtt()))
}

// ---- Fields ----

const NETID: Field = Field::label("netid");
const STATE: Field = Field::label("state");
const RECV_Q: Field = Field::gauge("recv_q", Unit::Bytes);
const SEND_Q: Field = Field::gauge("send_q", Unit::Bytes);
const LOCAL: Field = Field::label("local");
const PEER: Field = Field::label("peer");
const ADDRESS: Field = Field::label("address");
const PORT: Field = Field::label("port");
const UID: Field = Field::label("uid");
const INODE: Field = Field::label("inode");
const COOKIE: Field = Field::label("cookie");
const TIMER: Field = Field::label("timer");
const TIMER_NAME: Field = Field::label("name");
const EXPIRES_MS: Field = Field::gauge("expires_ms", Unit::Milliseconds);
const RETRANS: Field = Field::gauge("retrans", Unit::None);
const SKMEM: Field = Field::label("skmem");
/// `SK_MEMINFO_*` in index order, with the letters ss prints: receive queue, receive buffer,
/// transmit queue, transmit buffer, forward alloc, write queue, option memory, backlog, drops.
const SKMEM_FIELDS: [Field; 9] = [
    Field::gauge("r", Unit::Bytes),
    Field::gauge("rb", Unit::Bytes),
    Field::gauge("t", Unit::Bytes),
    Field::gauge("tb", Unit::Bytes),
    Field::gauge("f", Unit::Bytes),
    Field::gauge("w", Unit::Bytes),
    Field::gauge("o", Unit::Bytes),
    Field::gauge("bl", Unit::Bytes),
    Field::counter("d", Unit::Packets),
];
const CONG: Field = Field::label("cong");
const TCP_INFO: Field = Field::label("tcp_info");
const BBR: Field = Field::label("bbr");
const BBR_BW: Field = Field::gauge("bw", Unit::BytesPerSecond);
const BBR_MIN_RTT: Field = Field::gauge("min_rtt", Unit::Microseconds);
const BBR_PACING_GAIN: Field = Field::gauge("pacing_gain", Unit::None);
const BBR_CWND_GAIN: Field = Field::gauge("cwnd_gain", Unit::None);
const DCTCP: Field = Field::label("dctcp");
const DCTCP_ENABLED: Field = Field::label("enabled");
const DCTCP_CE_STATE: Field = Field::label("ce_state");
const DCTCP_ALPHA: Field = Field::gauge("alpha", Unit::None);
const DCTCP_AB_ECN: Field = Field::counter("ab_ecn", Unit::Bytes);
const DCTCP_AB_TOT: Field = Field::counter("ab_tot", Unit::Bytes);
const VEGAS: Field = Field::label("vegas");
const VEGAS_ENABLED: Field = Field::label("enabled");
const VEGAS_RTTCNT: Field = Field::gauge("rttcnt", Unit::None);
const VEGAS_RTT: Field = Field::gauge("rtt", Unit::Microseconds);
const VEGAS_MINRTT: Field = Field::gauge("minrtt", Unit::Microseconds);

fn endpoint<V: Visitor>(
    field: &Field<'_>,
    (ip, port): &(IpAddr, u16),
    bound_if: Option<&BoundIf>,
    v: &mut V,
) {
    v.begin_object(field);
    v.display(&ADDRESS, &address::Inet(*ip));
    v.u64(&PORT, (*port).into());
    if let Some(b) = bound_if {
        b.describe(v);
    }
    v.end();
}

impl CcInfo {
    /// Visit the algorithm's own object (`bbr`, `dctcp` or `vegas`).
    fn describe_under_name<V: Visitor>(&self, v: &mut V) {
        match *self {
            CcInfo::Bbr {
                bw,
                min_rtt,
                pacing_gain,
                cwnd_gain,
            } => {
                v.begin_object(&BBR);
                v.u64(&BBR_BW, bw);
                v.u64(&BBR_MIN_RTT, min_rtt.into());
                v.u64(&BBR_PACING_GAIN, pacing_gain.into());
                v.u64(&BBR_CWND_GAIN, cwnd_gain.into());
            }
            CcInfo::Dctcp {
                enabled,
                ce_state,
                alpha,
                ab_ecn,
                ab_tot,
            } => {
                v.begin_object(&DCTCP);
                v.u64(&DCTCP_ENABLED, enabled.into());
                v.u64(&DCTCP_CE_STATE, ce_state.into());
                v.u64(&DCTCP_ALPHA, alpha.into());
                v.u64(&DCTCP_AB_ECN, ab_ecn.into());
                v.u64(&DCTCP_AB_TOT, ab_tot.into());
            }
            CcInfo::Vegas {
                enabled,
                rttcnt,
                rtt,
                minrtt,
            } => {
                v.begin_object(&VEGAS);
                v.u64(&VEGAS_ENABLED, enabled.into());
                v.u64(&VEGAS_RTTCNT, rttcnt.into());
                v.u64(&VEGAS_RTT, rtt.into());
                v.u64(&VEGAS_MINRTT, minrtt.into());
            }
        }
        v.end();
    }
}

impl Describe for Socket {
    fn describe<V: Visitor>(&self, v: &mut V) {
        v.str(&NETID, self.netid.name());
        v.str(&STATE, state_name(self.state));
        v.u64(&RECV_Q, self.recv_q.into());
        v.u64(&SEND_Q, self.send_q.into());
        endpoint(&LOCAL, &self.local, self.bound_if(), v);
        endpoint(&PEER, &self.peer, None, v);
        v.u64(&UID, self.uid.into());
        v.u64(&INODE, self.inode.into());
        v.u64(&COOKIE, self.cookie);
        if let Some(t) = &self.timer {
            v.begin_object(&TIMER);
            v.str(&TIMER_NAME, t.name());
            v.u64(&EXPIRES_MS, t.expires_ms.into());
            v.u64(&RETRANS, t.retrans.into());
            v.end();
        }
        if let Some(m) = &self.skmem {
            v.begin_object(&SKMEM);
            for (field, value) in SKMEM_FIELDS.iter().zip(m) {
                v.u64(field, (*value).into());
            }
            v.end();
        }
        if let Some(c) = &self.cong {
            v.str(&CONG, c.as_str());
        }
        if let Some(t) = &self.tcp_info {
            v.begin_object(&TCP_INFO);
            t.describe(v);
            v.end();
        }
        if let Some(cc) = &self.cc_info {
            cc.describe_under_name(v);
        }
        if !self.md5keys().is_empty() {
            extra::describe_md5keys(self.md5keys(), v);
        }
        if let Some(u) = self.ulp() {
            u.describe(v);
        }
    }
}
