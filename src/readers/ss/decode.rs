//! Decoding of `SOCK_DIAG_BY_FAMILY` replies: `struct inet_diag_msg` read from the raw bytes
//! (the crate's parser drops the retransmit count and unknown timer kinds) and the attributes
//! `ss -inm` reports. Pure functions of bytes.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::model::ss::extra::{BoundIf, Md5Key, MptcpSubflow, ShortName, TlsInfo, Ulp};
use crate::model::ss::tcp_info::TcpInfo;
use crate::model::ss::{CcInfo, Cong, Extra, Netid, Socket, Timer};
use crate::netlink::attrs::{Attrs, Padded, u16_at};
use crate::uapi::inet_diag::inet_ulp_info::{
    INET_ULP_INFO_MPTCP, INET_ULP_INFO_NAME, INET_ULP_INFO_TLS,
};
use crate::uapi::inet_diag::{
    INET_DIAG_BBRINFO, INET_DIAG_CONG, INET_DIAG_DCTCPINFO, INET_DIAG_INFO, INET_DIAG_MD5SIG,
    INET_DIAG_MEMINFO, INET_DIAG_SKMEMINFO, INET_DIAG_ULP_INFO, INET_DIAG_VEGASINFO,
    inet_diag_meminfo, inet_diag_msg, inet_diag_sockid, tcp_bbr_info, tcp_dctcp_info,
    tcpvegas_info,
};
use crate::uapi::mptcp::{
    MPTCP_SUBFLOW_ATTR_FLAGS, MPTCP_SUBFLOW_ATTR_ID_LOC, MPTCP_SUBFLOW_ATTR_ID_REM,
    MPTCP_SUBFLOW_ATTR_MAP_DATALEN, MPTCP_SUBFLOW_ATTR_MAP_SEQ, MPTCP_SUBFLOW_ATTR_MAP_SFSEQ,
    MPTCP_SUBFLOW_ATTR_PAD, MPTCP_SUBFLOW_ATTR_RELWRITE_SEQ, MPTCP_SUBFLOW_ATTR_SSN_OFFSET,
    MPTCP_SUBFLOW_ATTR_TOKEN_LOC, MPTCP_SUBFLOW_ATTR_TOKEN_REM,
};
use crate::uapi::sock_diag::SK_MEMINFO_VARS;
use crate::uapi::tcp::{TCP_MD5SIG_MAXKEYLEN, tcp_diag_md5sig};
use crate::uapi::tls::{
    TLS_INFO_CIPHER, TLS_INFO_RX_NO_PAD, TLS_INFO_RXCONF, TLS_INFO_TXCONF, TLS_INFO_VERSION,
    TLS_INFO_ZC_RO_TX,
};

pub use crate::uapi::sock_diag::SOCK_DIAG_BY_FAMILY;
/// `sdiag_family`/`idiag_family` of IPv4 sockets (a `u8` in the diag structs).
pub const AF_INET: u8 = libc::AF_INET as u8;
/// The family of IPv6 sockets.
pub const AF_INET6: u8 = libc::AF_INET6 as u8;
/// `sdiag_protocol` of TCP.
pub const IPPROTO_TCP: u8 = libc::IPPROTO_TCP as u8;
/// `sdiag_protocol` of UDP.
pub const IPPROTO_UDP: u8 = libc::IPPROTO_UDP as u8;
/// Attribute types indexed: up to the last one reported (`INET_DIAG_ULP_INFO`).
const INET_DIAG_TABLE: usize = INET_DIAG_ULP_INFO + 1;

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

/// The keys of an `INET_DIAG_MD5SIG` payload: an array of `struct tcp_diag_md5sig`. As ss
/// reads it, a trailing partial struct counts as one (zero-extended here); the key length is
/// capped at `TCP_MD5SIG_MAXKEYLEN`. Rare, and kept out of line of the per-socket path.
#[cold]
#[inline(never)]
pub fn decode_md5keys(b: &[u8]) -> Vec<Md5Key> {
    use tcp_diag_md5sig as m;
    b.chunks(m::SIZE)
        .map(|chunk| {
            let k = Padded::<{ m::SIZE }>::new(chunk);
            let family = k.u8(m::TCPM_FAMILY);
            let keylen = usize::from(k.u16(m::TCPM_KEYLEN)).min(TCP_MD5SIG_MAXKEYLEN);
            let addr = &k.0[m::TCPM_ADDR..m::TCPM_ADDR + 16];
            Md5Key {
                address: address(family, addr),
                prefixlen: k.u8(m::TCPM_PREFIXLEN),
                key: k.0[m::TCPM_KEY..m::TCPM_KEY + keylen].to_vec(),
            }
        })
        .collect()
}

/// A `u16` attribute (ss reads two bytes).
fn u16_of(b: Option<&[u8]>) -> Option<u16> {
    u16_at(b?, 0)
}

/// The `INET_DIAG_ULP_INFO` nest: the ULP's name and its kTLS or MPTCP subflow state. Rare, and
/// kept out of line of the per-socket path.
#[cold]
#[inline(never)]
pub fn decode_ulp(b: &[u8]) -> Ulp {
    let a: Attrs<{ INET_ULP_INFO_MPTCP + 1 }> = Attrs::parse(b);
    let tls = a.get(INET_ULP_INFO_TLS).map(|t| {
        let t: Attrs<{ TLS_INFO_RX_NO_PAD + 1 }> = Attrs::parse(t);
        TlsInfo {
            version: u16_of(t.get(TLS_INFO_VERSION)),
            cipher: u16_of(t.get(TLS_INFO_CIPHER)),
            txconf: u16_of(t.get(TLS_INFO_TXCONF)),
            rxconf: u16_of(t.get(TLS_INFO_RXCONF)),
            zc_ro_tx: t.has(TLS_INFO_ZC_RO_TX),
            rx_no_pad: t.has(TLS_INFO_RX_NO_PAD),
        }
    });
    let mptcp = a.get(INET_ULP_INFO_MPTCP).map(|m| {
        let m: Attrs<{ MPTCP_SUBFLOW_ATTR_PAD + 1 }> = Attrs::parse(m);
        MptcpSubflow {
            flags: m.u32(MPTCP_SUBFLOW_ATTR_FLAGS),
            token_rem: m.u32(MPTCP_SUBFLOW_ATTR_TOKEN_REM),
            id_rem: m.u8(MPTCP_SUBFLOW_ATTR_ID_REM),
            token_loc: m.u32(MPTCP_SUBFLOW_ATTR_TOKEN_LOC),
            id_loc: m.u8(MPTCP_SUBFLOW_ATTR_ID_LOC),
            relwrite_seq: m.u32(MPTCP_SUBFLOW_ATTR_RELWRITE_SEQ),
            map_seq: m.u64(MPTCP_SUBFLOW_ATTR_MAP_SEQ),
            map_sfseq: m.u32(MPTCP_SUBFLOW_ATTR_MAP_SFSEQ),
            ssn_offset: m.u32(MPTCP_SUBFLOW_ATTR_SSN_OFFSET),
            map_datalen: u16_of(m.get(MPTCP_SUBFLOW_ATTR_MAP_DATALEN)),
        }
    });
    Ulp {
        name: a.get(INET_ULP_INFO_NAME).map(ShortName::new),
        tls,
        mptcp,
    }
}

/// The rarer parts of a socket, when it has any.
fn decode_extra(ifindex: u32, a: &Attrs<'_, INET_DIAG_TABLE>) -> Option<Box<Extra>> {
    let (md5, ulp) = (a.get(INET_DIAG_MD5SIG), a.get(INET_DIAG_ULP_INFO));
    if ifindex == 0 && md5.is_none() && ulp.is_none() {
        return None;
    }
    Some(Box::new(Extra {
        // The name is the reader's to find: decoding stays a function of these bytes.
        bound_if: (ifindex != 0).then_some(BoundIf {
            ifindex,
            name: None,
        }),
        md5keys: md5.map(decode_md5keys).unwrap_or_default(),
        ulp: ulp.map(decode_ulp),
    }))
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
    let ifindex = p.u32(msg::ID + id::IDIAG_IF);
    Some(Socket {
        netid,
        state: p.u8(msg::IDIAG_STATE),
        recv_q: p.u32(msg::IDIAG_RQUEUE),
        send_q: p.u32(msg::IDIAG_WQUEUE),
        local: (addr(id::IDIAG_SRC), port(id::IDIAG_SPORT)),
        // The name is the reader's to find: decoding stays a function of these bytes.
        peer: (addr(id::IDIAG_DST), port(id::IDIAG_DPORT)),
        uid: p.u32(msg::IDIAG_UID),
        inode: p.u32(msg::IDIAG_INODE),
        cookie: u64::from(p.u32(cookie)) | u64::from(p.u32(cookie + 4)) << 32,
        timer,
        skmem,
        cong: a.get(INET_DIAG_CONG).map(Cong::new),
        tcp_info: a.get(INET_DIAG_INFO).map(TcpInfo::decode),
        cc_info,
        extra: decode_extra(ifindex, &a),
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

    fn json(s: &Socket) -> serde_json::Value {
        let mut out = Vec::new();
        crate::output::json::encoder::JsonEncoder::new().object(s, &mut out);
        serde_json::from_slice(&out).expect("json")
    }

    /// `struct tcp_diag_md5sig`, field by field.
    fn md5sig(family: u8, prefixlen: u8, addr: &[u8], key: &[u8]) -> Vec<u8> {
        let mut m = vec![family, prefixlen];
        m.extend_from_slice(&(key.len() as u16).to_ne_bytes());
        let mut a = [0u8; 16];
        a[..addr.len()].copy_from_slice(addr);
        m.extend_from_slice(&a);
        let mut k = [0u8; 80];
        k[..key.len()].copy_from_slice(key);
        m.extend_from_slice(&k);
        assert_eq!(m.len(), tcp_diag_md5sig::SIZE);
        m
    }

    #[test]
    fn decodes_bound_interface_and_md5_keys() {
        let mut m = header(0);
        let at = inet_diag_msg::ID + inet_diag_sockid::IDIAG_IF;
        m[at..at + 4].copy_from_slice(&7u32.to_ne_bytes());
        let v6 = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2];
        let long_key: Vec<u8> = (1..=80).collect();
        let mut keys = md5sig(AF_INET, 24, &[10, 1, 2, 3], b"secret-one");
        keys.extend(md5sig(AF_INET6, 128, &v6, &long_key));
        m.extend(attr(INET_DIAG_MD5SIG as u16, &keys));
        let s = decode_socket(Netid::Tcp, &m).expect("socket");
        assert_eq!(s.bound_if().map(|b| b.ifindex), Some(7));
        assert_eq!(s.md5keys().len(), 2);
        let j = json(&s);
        // No name learnt: ss's fallback name.
        assert_eq!(j["local"]["ifindex"], 7);
        assert_eq!(j["local"]["ifname"], "if7");
        assert!(j["peer"].get("ifindex").is_none());
        assert_eq!(j["md5keys"][0]["address"], "10.1.2.3");
        assert_eq!(j["md5keys"][0]["prefixlen"], 24);
        assert_eq!(j["md5keys"][0]["key"], "7365637265742d6f6e65");
        assert_eq!(j["md5keys"][1]["address"], "fe80::1:2");
        assert_eq!(j["md5keys"][1]["prefixlen"], 128);
        let hex: String = long_key.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(j["md5keys"][1]["key"], hex);
        // A socket without them has neither key.
        let plain = json(&decode_socket(Netid::Tcp, &header(0)).expect("socket"));
        assert!(plain.get("md5keys").is_none() && plain["local"].get("ifname").is_none());
        // A trailing partial struct is one more key, zero-extended; a key length beyond the
        // array is capped.
        let mut odd = md5sig(AF_INET, 32, &[1, 2, 3, 4], b"k");
        odd[2..4].copy_from_slice(&500u16.to_ne_bytes());
        odd.extend_from_slice(&[AF_INET, 8]);
        let k = decode_md5keys(&odd);
        assert_eq!(k.len(), 2);
        assert_eq!(k[0].key.len(), 80);
        assert_eq!((k[1].prefixlen, k[1].key.len()), (8, 0));
    }

    #[test]
    fn decodes_ktls_info() {
        use crate::uapi::tls::*;
        let mut tls = attr(TLS_INFO_VERSION as u16, &0x0304u16.to_ne_bytes());
        tls.extend(attr(TLS_INFO_CIPHER as u16, &52u16.to_ne_bytes()));
        tls.extend(attr(TLS_INFO_TXCONF as u16, &3u16.to_ne_bytes()));
        tls.extend(attr(TLS_INFO_RXCONF as u16, &2u16.to_ne_bytes()));
        tls.extend(attr(TLS_INFO_ZC_RO_TX as u16, &[]));
        tls.extend(attr(TLS_INFO_RX_NO_PAD as u16, &[]));
        let mut ulp = attr(INET_ULP_INFO_NAME as u16, b"tls\0");
        ulp.extend(attr(INET_ULP_INFO_TLS as u16 | 0x8000, &tls));
        let mut m = header(0);
        m.extend(attr(INET_DIAG_ULP_INFO as u16, &ulp));
        let s = decode_socket(Netid::Tcp, &m).expect("socket");
        let t = s.ulp().and_then(|u| u.tls).expect("tls");
        assert_eq!(
            (t.version, t.cipher, t.txconf, t.rxconf),
            (Some(0x0304), Some(52), Some(3), Some(2))
        );
        let j = json(&s);
        assert_eq!(j["ulp"]["name"], "tls");
        let t = &j["ulp"]["tls"];
        assert_eq!(t["version"], "1.3");
        assert_eq!(t["cipher"], "aes-gcm-256");
        assert_eq!(t["txconf"], "hw");
        assert_eq!(t["rxconf"], "sw");
        assert_eq!(
            (t["zc_ro_tx"].clone(), t["rx_no_pad"].clone()),
            (true.into(), true.into())
        );
        assert!(j["ulp"].get("mptcp").is_none());
        // Codes without a name are printed as ss prints them; absent flags are false.
        let mut tls = attr(TLS_INFO_VERSION as u16, &0x0102u16.to_ne_bytes());
        tls.extend(attr(TLS_INFO_TXCONF as u16, &9u16.to_ne_bytes()));
        tls.extend(attr(TLS_INFO_CIPHER as u16, &[51])); // too short: absent
        let u = decode_ulp(&attr(INET_ULP_INFO_TLS as u16, &tls));
        let mut s = s.clone();
        s.extra = Some(Box::new(Extra {
            ulp: Some(u),
            ..Extra::default()
        }));
        let t = &json(&s)["ulp"]["tls"];
        assert_eq!(t["version"], "unknown(258)");
        assert_eq!(t["txconf"], "unknown(9)");
        assert!(t.get("cipher").is_none() && t.get("rxconf").is_none());
        assert_eq!(t["zc_ro_tx"], false);
    }

    #[test]
    fn decodes_mptcp_subflow_info() {
        use crate::uapi::mptcp::*;
        let mut sf = attr(
            MPTCP_SUBFLOW_ATTR_TOKEN_REM as u16,
            &0x1111_1111u32.to_ne_bytes(),
        );
        sf.extend(attr(
            MPTCP_SUBFLOW_ATTR_TOKEN_LOC as u16,
            &0x2222_2222u32.to_ne_bytes(),
        ));
        sf.extend(attr(
            MPTCP_SUBFLOW_ATTR_RELWRITE_SEQ as u16,
            &0x33u32.to_ne_bytes(),
        ));
        sf.extend(attr(MPTCP_SUBFLOW_ATTR_PAD as u16, &[]));
        sf.extend(attr(
            MPTCP_SUBFLOW_ATTR_MAP_SEQ as u16,
            &0x4444_0000_0000_0044u64.to_ne_bytes(),
        ));
        sf.extend(attr(
            MPTCP_SUBFLOW_ATTR_MAP_SFSEQ as u16,
            &0x55u32.to_ne_bytes(),
        ));
        sf.extend(attr(
            MPTCP_SUBFLOW_ATTR_SSN_OFFSET as u16,
            &0x66u32.to_ne_bytes(),
        ));
        sf.extend(attr(
            MPTCP_SUBFLOW_ATTR_MAP_DATALEN as u16,
            &0x77u16.to_ne_bytes(),
        ));
        sf.extend(attr(
            MPTCP_SUBFLOW_ATTR_FLAGS as u16,
            &0b1_1100_0011u32.to_ne_bytes(),
        ));
        sf.extend(attr(MPTCP_SUBFLOW_ATTR_ID_REM as u16, &[8]));
        sf.extend(attr(MPTCP_SUBFLOW_ATTR_ID_LOC as u16, &[9]));
        let mut ulp = attr(INET_ULP_INFO_NAME as u16, b"mptcp\0");
        ulp.extend(attr(INET_ULP_INFO_MPTCP as u16, &sf));
        let mut m = header(0);
        m.extend(attr(INET_DIAG_ULP_INFO as u16, &ulp));
        let j = json(&decode_socket(Netid::Tcp, &m).expect("socket"));
        assert_eq!(j["ulp"]["name"], "mptcp");
        let x = &j["ulp"]["mptcp"];
        assert_eq!(x["flags"], "Mmecv");
        assert_eq!(x["token_rem"], 0x1111_1111);
        assert_eq!(x["token_loc"], 0x2222_2222);
        assert_eq!(x["relwrite_seq"], 0x33);
        assert_eq!(x["map_seq"], 0x4444_0000_0000_0044u64);
        assert_eq!(x["map_sfseq"], 0x55);
        assert_eq!(x["ssn_offset"], 0x66);
        assert_eq!(x["map_datalen"], 0x77);
        assert_eq!(x["id_rem"], 8);
        assert_eq!(x["id_loc"], 9);
        // Tokens are sent only to CAP_NET_ADMIN on newer kernels: absent, not zero.
        let only_flags = attr(MPTCP_SUBFLOW_ATTR_FLAGS as u16, &0u32.to_ne_bytes());
        let u = decode_ulp(&attr(INET_ULP_INFO_MPTCP as u16, &only_flags));
        let sf = u.mptcp.expect("subflow");
        assert_eq!((sf.flags, sf.token_rem, sf.map_seq), (Some(0), None, None));
        assert!(u.name.is_none());
    }

    #[test]
    fn short_and_long_new_attributes_never_panic() {
        for len in 0..300 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let _ = decode_md5keys(&bytes);
            let _ = decode_ulp(&bytes);
            for kind in [INET_DIAG_MD5SIG, INET_DIAG_ULP_INFO] {
                let mut m = header(0);
                m.extend(attr(kind as u16, &bytes));
                let s = decode_socket(Netid::Tcp, &m).expect("socket");
                let _ = json(&s);
            }
            // Each nested attribute cut or padded to this length.
            for inner in 1..=10u16 {
                let nest = attr(inner, &bytes);
                for outer in [INET_ULP_INFO_TLS, INET_ULP_INFO_MPTCP, INET_ULP_INFO_NAME] {
                    let u = decode_ulp(&attr(outer as u16, &nest));
                    let mut s = decode_socket(Netid::Tcp, &header(0)).expect("socket");
                    s.extra = Some(Box::new(Extra {
                        ulp: Some(u),
                        ..Extra::default()
                    }));
                    let _ = json(&s);
                }
            }
        }
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
