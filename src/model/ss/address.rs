//! Socket addresses as ss prints them: ss formats with the C library's `inet_ntop`, which writes
//! an IPv6 address whose first 96 bits are zero (IPv4-compatible, `::10.60.0.1`) or whose first 80
//! are zero and next 16 ones (IPv4-mapped, `::ffff:10.60.0.1`) with its last 32 bits dotted. Rust's
//! `Ipv6Addr` formats only the second kind that way, so the first would not match ss's text.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An address formatted as `inet_ntop` formats it.
pub struct Inet(pub IpAddr);

impl fmt::Display for Inet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            IpAddr::V4(v4) => v4.fmt(f),
            IpAddr::V6(v6) => Inet6(v6).fmt(f),
        }
    }
}

struct Inet6(Ipv6Addr);

impl fmt::Display for Inet6 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let words = self.0.segments();
        // The longest run of two or more zero words (the first of equal runs) becomes `::`.
        let (mut best, mut run) = (None::<(usize, usize)>, None::<(usize, usize)>);
        for (i, &w) in words.iter().enumerate() {
            if w == 0 {
                let (base, len) = run.map_or((i, 1), |(b, l)| (b, l + 1));
                run = Some((base, len));
                if len >= 2 && best.is_none_or(|(_, l)| len > l) {
                    best = Some((base, len));
                }
            } else {
                run = None;
            }
        }
        let mut i = 0;
        while i < 8 {
            if let Some((base, len)) = best
                && i == base
            {
                f.write_str(":")?;
                i += len;
                if i == 8 {
                    f.write_str(":")?;
                }
                continue;
            }
            if i > 0 {
                f.write_str(":")?;
            }
            // An encapsulated IPv4 address: the zero run covers the first six words, or the
            // first five and the sixth is ffff.
            if i == 6
                && let Some((0, len)) = best
                && (len == 6 || (len == 5 && words[5] == 0xffff))
            {
                let o = self.0.octets();
                return Ipv4Addr::new(o[12], o[13], o[14], o[15]).fmt(f);
            }
            write!(f, "{:x}", words[i])?;
            i += 1;
        }
        Ok(())
    }
}
