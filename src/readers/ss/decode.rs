//! Decoding of `SOCK_DIAG_BY_FAMILY` replies: `struct inet_diag_msg` read from the raw bytes
//! (the crate's parser drops the retransmit count and unknown timer kinds) and the attributes
//! `ss -inm` reports. Pure functions of bytes.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::model::ss::tcp_info::TcpInfo;
use crate::model::ss::{CcInfo, Cong, Netid, Socket, Timer};
use crate::netlink::attrs::{Attrs, Padded};
use crate::uapi::inet_diag::{
    INET_DIAG_BBRINFO, INET_DIAG_CONG, INET_DIAG_DCTCPINFO, INET_DIAG_INFO, INET_DIAG_MEMINFO,
    INET_DIAG_SKMEMINFO, INET_DIAG_VEGASINFO, inet_diag_meminfo, inet_diag_msg, inet_diag_sockid,
    tcp_bbr_info, tcp_dctcp_info, tcpvegas_info,
};
use crate::uapi::sock_diag::SK_MEMINFO_VARS;

pub use crate::uapi::sock_diag::SOCK_DIAG_BY_FAMILY;
/// `sdiag_family`/`idiag_family` of IPv4 sockets (a `u8` in the diag structs).
pub const AF_INET: u8 = libc::AF_INET as u8;
/// The family of IPv6 sockets.
pub const AF_INET6: u8 = libc::AF_INET6 as u8;
/// `sdiag_protocol` of TCP.
pub const IPPROTO_TCP: u8 = libc::IPPROTO_TCP as u8;
/// `sdiag_protocol` of UDP.
pub const IPPROTO_UDP: u8 = libc::IPPROTO_UDP as u8;
/// Attribute types indexed: up to the last one reported (`INET_DIAG_BBRINFO`).
const INET_DIAG_TABLE: usize = INET_DIAG_BBRINFO + 1;

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
    use inet_diag_msg as msg;
    use inet_diag_sockid as id;
    let h = payload.get(..msg::SIZE)?;
    let p = Padded::<{ msg::SIZE }>::new(h);
    let family = p.u8(msg::IDIAG_FAMILY);
    let a: Attrs<INET_DIAG_TABLE> = Attrs::parse(&payload[msg::SIZE..]);
    // The crate's parser drops idiag_retrans and timer kinds it does not know: read them here.
    let timer = (p.u8(msg::IDIAG_TIMER) != 0).then(|| Timer {
        kind: p.u8(msg::IDIAG_TIMER),
        expires_ms: p.u32(msg::IDIAG_EXPIRES),
        retrans: p.u8(msg::IDIAG_RETRANS),
    });
    let skmem = a.get(INET_DIAG_SKMEMINFO).map(|m| {
        let m = Padded::<{ SK_MEMINFO_VARS * 4 }>::new(m);
        std::array::from_fn(|i| m.u32(i * 4))
    });
    // Kernels before 3.x only answer INET_DIAG_MEMINFO (rmem, wmem, fmem, tmem).
    let skmem = skmem.or_else(|| {
        a.get(INET_DIAG_MEMINFO).map(|m| {
            use inet_diag_meminfo as mi;
            let m = Padded::<{ mi::SIZE }>::new(m);
            let (rmem, wmem) = (m.u32(mi::IDIAG_RMEM), m.u32(mi::IDIAG_WMEM));
            let (fmem, tmem) = (m.u32(mi::IDIAG_FMEM), m.u32(mi::IDIAG_TMEM));
            [rmem, 0, wmem, 0, fmem, tmem, 0, 0, 0]
        })
    });
    let cc_info = if let Some(b) = a.get(INET_DIAG_BBRINFO) {
        use tcp_bbr_info as bbr;
        let b = Padded::<{ bbr::SIZE }>::new(b);
        Some(CcInfo::Bbr {
            bw: u64::from(b.u32(bbr::BBR_BW_LO)) | u64::from(b.u32(bbr::BBR_BW_HI)) << 32,
            min_rtt: b.u32(bbr::BBR_MIN_RTT),
            pacing_gain: b.u32(bbr::BBR_PACING_GAIN),
            cwnd_gain: b.u32(bbr::BBR_CWND_GAIN),
        })
    } else if let Some(d) = a.get(INET_DIAG_DCTCPINFO) {
        use tcp_dctcp_info as dc;
        let d = Padded::<{ dc::SIZE }>::new(d);
        Some(CcInfo::Dctcp {
            enabled: d.u16(dc::DCTCP_ENABLED),
            ce_state: d.u16(dc::DCTCP_CE_STATE),
            alpha: d.u32(dc::DCTCP_ALPHA),
            ab_ecn: d.u32(dc::DCTCP_AB_ECN),
            ab_tot: d.u32(dc::DCTCP_AB_TOT),
        })
    } else {
        a.get(INET_DIAG_VEGASINFO).map(|v| {
            use tcpvegas_info as ve;
            let v = Padded::<{ ve::SIZE }>::new(v);
            CcInfo::Vegas {
                enabled: v.u32(ve::TCPV_ENABLED),
                rttcnt: v.u32(ve::TCPV_RTTCNT),
                rtt: v.u32(ve::TCPV_RTT),
                minrtt: v.u32(ve::TCPV_MINRTT),
            }
        })
    };
    let port = |at: usize| u16::from_be_bytes([h[msg::ID + at], h[msg::ID + at + 1]]);
    let addr = |at: usize| address(family, &h[msg::ID + at..msg::ID + at + 16]);
    let cookie = msg::ID + id::IDIAG_COOKIE;
    Some(Socket {
        netid,
        state: p.u8(msg::IDIAG_STATE),
        recv_q: p.u32(msg::IDIAG_RQUEUE),
        send_q: p.u32(msg::IDIAG_WQUEUE),
        local: (addr(id::IDIAG_SRC), port(id::IDIAG_SPORT)),
        peer: (addr(id::IDIAG_DST), port(id::IDIAG_DPORT)),
        uid: p.u32(msg::IDIAG_UID),
        inode: p.u32(msg::IDIAG_INODE),
        cookie: u64::from(p.u32(cookie)) | u64::from(p.u32(cookie + 4)) << 32,
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
        assert_eq!(h.len(), inet_diag_msg::SIZE);
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
        for i in inet_diag_msg::SIZE..m.len() {
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
