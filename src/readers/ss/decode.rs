//! Decoding of `SOCK_DIAG_BY_FAMILY` replies: `struct inet_diag_msg` read from the raw bytes
//! (the crate's parser drops the retransmit count and unknown timer kinds) and the attributes
//! `ss -inm` reports. Pure functions of bytes.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::model::ss::tcp_info::TcpInfo;
use crate::model::ss::{CcInfo, Cong, Netid, Socket, Timer};
use crate::netlink::attrs::{Attrs, Padded};

/// `SOCK_DIAG_BY_FAMILY`: the request and reply message type.
pub const SOCK_DIAG_BY_FAMILY: u16 = 20;
/// `sizeof(struct inet_diag_msg)`.
const INET_DIAG_MSG_LEN: usize = 72;
/// `sdiag_family`/`idiag_family` of IPv4 sockets (a `u8` in the diag structs).
pub const AF_INET: u8 = libc::AF_INET as u8;
/// The family of IPv6 sockets.
pub const AF_INET6: u8 = libc::AF_INET6 as u8;
/// `sdiag_protocol` of TCP.
pub const IPPROTO_TCP: u8 = libc::IPPROTO_TCP as u8;
/// `sdiag_protocol` of UDP.
pub const IPPROTO_UDP: u8 = libc::IPPROTO_UDP as u8;
// INET_DIAG_* attributes (include/uapi/linux/inet_diag.h).
const INET_DIAG_MEMINFO: usize = 1;
const INET_DIAG_INFO: usize = 2;
const INET_DIAG_VEGASINFO: usize = 3;
const INET_DIAG_CONG: usize = 4;
const INET_DIAG_SKMEMINFO: usize = 7;
const INET_DIAG_DCTCPINFO: usize = 9;
const INET_DIAG_BBRINFO: usize = 16;
const INET_DIAG_TABLE: usize = 17;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ss::CcInfo;
    use crate::netlink::testing::attribute as attr;
    use std::net::Ipv4Addr;

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
        let mut out = Vec::new();
        crate::output::json::encoder::JsonEncoder::new().object(&s, &mut out);
        let json: serde_json::Value = serde_json::from_slice(&out).expect("json");
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
                let mut out = Vec::new();
                crate::output::json::encoder::JsonEncoder::new().object(&s, &mut out);
                let _: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
            }
        }
        assert!(decode_socket(Netid::Tcp, &m[..71]).is_none());
    }
}
