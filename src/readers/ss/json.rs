//! A direct JSON writer for sockets: the same bytes as their `Serialize` implementation, written
//! without serde's per-entry machinery (static pre-quoted keys, `itoa` numbers). With 10,000
//! sockets of ~70 `tcp_info` fields each, this is what keeps JSON logging near collection cost.

use std::io::Write;

use super::tcp_info::{FIELDS, TcpInfo};
use super::{CcInfo, SKMEM_NAMES, Socket, state_name};
use crate::readers::json_out::{key, num, string};

fn endpoint(out: &mut Vec<u8>, (ip, port): &(std::net::IpAddr, u16)) {
    out.extend_from_slice(b"{\"address\":\"");
    let _ = write!(out, "{ip}");
    out.extend_from_slice(b"\",\"port\":");
    num(out, *port);
    out.push(b'}');
}

fn tcp_info(out: &mut Vec<u8>, t: &TcpInfo) {
    out.extend_from_slice(b"{\"len\":");
    num(out, t.len);
    for (name, value) in t.fields() {
        key(out, false, name);
        num(out, value);
    }
    out.push(b'}');
    debug_assert!(FIELDS.len() > 60);
}

fn cc_info(out: &mut Vec<u8>, cc: &CcInfo) {
    let (name, fields) = cc.entries();
    key(out, false, name);
    out.push(b'{');
    for (i, (k, v)) in fields.iter().enumerate() {
        key(out, i == 0, k);
        num(out, *v);
    }
    out.push(b'}');
}

/// Append `s` as JSON.
pub fn write_socket(out: &mut Vec<u8>, s: &Socket) {
    out.extend_from_slice(b"{\"netid\":\"");
    out.extend_from_slice(s.netid.name().as_bytes());
    out.extend_from_slice(b"\",\"state\":\"");
    out.extend_from_slice(state_name(s.state).as_bytes());
    out.extend_from_slice(b"\",\"recv_q\":");
    num(out, s.recv_q);
    out.extend_from_slice(b",\"send_q\":");
    num(out, s.send_q);
    out.extend_from_slice(b",\"local\":");
    endpoint(out, &s.local);
    out.extend_from_slice(b",\"peer\":");
    endpoint(out, &s.peer);
    out.extend_from_slice(b",\"uid\":");
    num(out, s.uid);
    out.extend_from_slice(b",\"inode\":");
    num(out, s.inode);
    out.extend_from_slice(b",\"cookie\":");
    num(out, s.cookie);
    if let Some(t) = &s.timer {
        out.extend_from_slice(b",\"timer\":{\"name\":");
        string(out, t.name());
        out.extend_from_slice(b",\"expires_ms\":");
        num(out, t.expires_ms);
        out.extend_from_slice(b",\"retrans\":");
        num(out, t.retrans);
        out.push(b'}');
    }
    if let Some(m) = &s.skmem {
        out.extend_from_slice(b",\"skmem\":{");
        for (i, (name, v)) in SKMEM_NAMES.iter().zip(m).enumerate() {
            key(out, i == 0, name);
            num(out, *v);
        }
        out.push(b'}');
    }
    if let Some(c) = &s.cong {
        key(out, false, "cong");
        string(out, c.as_str());
    }
    if let Some(t) = &s.tcp_info {
        key(out, false, "tcp_info");
        tcp_info(out, t);
    }
    if let Some(cc) = &s.cc_info {
        cc_info(out, cc);
    }
    out.push(b'}');
}

/// Append `sockets` as a JSON array.
pub fn write_sockets(out: &mut Vec<u8>, sockets: &[Socket]) {
    out.push(b'[');
    for (i, s) in sockets.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_socket(out, s);
    }
    out.push(b']');
}
