//! Netlink attribute tables and fixed-layout field reads, shared by the decoders.
//!
//! The rules follow how iproute2 reads attributes, so the values match what it prints:
//! the `NLA_F_NESTED` bit (0x8000) is masked from the type, types above the table are ignored,
//! the first occurrence of a type wins, and the walk stops at the first malformed attribute
//! (what came before it is kept). Structs shorter than the layout read as zero past their end.

/// `NLA_F_NESTED` (libc's is a `c_int`; attribute types are `u16`).
const NLA_F_NESTED: u16 = libc::NLA_F_NESTED as u16;

/// Attributes by type, `0..N`. Kept compact (offsets, not slices): tables are built for every
/// qdisc of every sample.
#[derive(Debug, Clone, Copy)]
pub struct Attrs<'a, const N: usize> {
    bytes: &'a [u8],
    /// Payload offset + 1 of each type (0 = absent).
    start: [u32; N],
    len: [u16; N],
}

impl<'a, const N: usize> Attrs<'a, N> {
    /// Index the attributes in `bytes` (types `0..N`).
    pub fn parse(bytes: &'a [u8]) -> Attrs<'a, N> {
        let mut a = Attrs {
            bytes,
            start: [0; N],
            len: [0; N],
        };
        let mut at = 0;
        while let Some(h) = bytes.get(at..at + 4) {
            let len = usize::from(u16::from_ne_bytes([h[0], h[1]]));
            let kind = usize::from(u16::from_ne_bytes([h[2], h[3]]) & !NLA_F_NESTED);
            if len < 4 || at + len > bytes.len() {
                break;
            }
            if kind < N && a.start[kind] == 0 {
                a.start[kind] = (at + 4 + 1) as u32;
                a.len[kind] = (len - 4) as u16;
            }
            at += (len + 3) & !3;
        }
        a
    }

    /// The payload of attribute `kind`.
    pub fn get(&self, kind: usize) -> Option<&'a [u8]> {
        let start = *self.start.get(kind)? as usize;
        if start == 0 {
            return None;
        }
        let from = start - 1;
        self.bytes.get(from..from + usize::from(self.len[kind]))
    }

    /// True when attribute `kind` is present.
    pub fn has(&self, kind: usize) -> bool {
        self.get(kind).is_some()
    }

    /// Attribute `kind` as a u8 (payload of at least 1 byte).
    pub fn u8(&self, kind: usize) -> Option<u8> {
        self.get(kind)?.first().copied()
    }

    /// Attribute `kind` as a u32 (payload of at least 4 bytes).
    pub fn u32(&self, kind: usize) -> Option<u32> {
        u32_at(self.get(kind)?, 0)
    }

    /// Attribute `kind` as an i32 (payload of at least 4 bytes).
    pub fn i32(&self, kind: usize) -> Option<i32> {
        self.u32(kind).map(|v| v as i32)
    }

    /// Attribute `kind` as a u64 (payload of at least 8 bytes).
    pub fn u64(&self, kind: usize) -> Option<u64> {
        u64_at(self.get(kind)?, 0)
    }
}

/// Every attribute in `bytes`, in order, as `(type without NLA_F_NESTED, payload)`.
pub fn each(bytes: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let h = bytes.get(at..at + 4)?;
        let len = usize::from(u16::from_ne_bytes([h[0], h[1]]));
        let kind = u16::from_ne_bytes([h[2], h[3]]) & !NLA_F_NESTED;
        if len < 4 || at + len > bytes.len() {
            return None;
        }
        let payload = &bytes[at + 4..at + len];
        at += (len + 3) & !3;
        Some((kind, payload))
    })
}

/// The native-endian u32 at `off`, if the bytes reach that far.
pub fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(b.get(off..off + 4)?.try_into().ok()?))
}

/// The native-endian u64 at `off`.
pub fn u64_at(b: &[u8], off: usize) -> Option<u64> {
    Some(u64::from_ne_bytes(b.get(off..off + 8)?.try_into().ok()?))
}

/// The native-endian u16 at `off`.
pub fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    Some(u16::from_ne_bytes(b.get(off..off + 2)?.try_into().ok()?))
}

/// A fixed-layout struct read with zero-extension: bytes past the end of what the kernel sent
/// read as zero (older kernels send shorter structs), bytes past the layout are ignored
/// (newer kernels send longer ones).
#[derive(Debug, Clone, Copy)]
pub struct Padded<const N: usize>(pub [u8; N]);

impl<const N: usize> Padded<N> {
    /// Copy up to `N` bytes of `b`, zero-filling the rest.
    pub fn new(b: &[u8]) -> Padded<N> {
        let mut buf = [0u8; N];
        let n = b.len().min(N);
        buf[..n].copy_from_slice(&b[..n]);
        Padded(buf)
    }

    /// u8 at `off`.
    pub fn u8(&self, off: usize) -> u8 {
        self.0.get(off).copied().unwrap_or(0)
    }

    /// u16 at `off`.
    pub fn u16(&self, off: usize) -> u16 {
        u16_at(&self.0, off).unwrap_or(0)
    }

    /// u32 at `off`.
    pub fn u32(&self, off: usize) -> u32 {
        u32_at(&self.0, off).unwrap_or(0)
    }

    /// i32 at `off`.
    pub fn i32(&self, off: usize) -> i32 {
        self.u32(off) as i32
    }

    /// u64 at `off`.
    pub fn u64(&self, off: usize) -> u64 {
        u64_at(&self.0, off).unwrap_or(0)
    }

    /// i64 at `off`.
    pub fn i64(&self, off: usize) -> i64 {
        self.u64(off) as i64
    }
}

/// Lower-case hex of `bytes`, for what cannot be decoded.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::testing::attribute as attr;

    #[test]
    fn first_wins_nested_bit_masked_and_bad_tail_ignored() {
        let mut b = attr(1, &7u32.to_ne_bytes());
        b.extend(attr(1, &8u32.to_ne_bytes()));
        b.extend(attr(2 | 0x8000, &9u32.to_ne_bytes()));
        b.extend(attr(40, &1u32.to_ne_bytes()));
        b.extend([200, 0, 3, 0]); // claims 200 bytes
        let a: Attrs<4> = Attrs::parse(&b);
        assert_eq!(a.u32(1), Some(7));
        assert_eq!(a.u32(2), Some(9));
        assert_eq!(a.u32(3), None);
        assert_eq!(each(&b).count(), 4);
    }

    #[test]
    fn short_values_are_absent_and_structs_zero_extend() {
        let b = attr(1, &[1, 2]);
        let a: Attrs<2> = Attrs::parse(&b);
        assert_eq!(a.u32(1), None);
        assert_eq!(a.u8(1), Some(1));
        let p: Padded<8> = Padded::new(&[1, 0, 0, 0, 2]);
        assert_eq!((p.u32(0), p.u32(4)), (1, 2));
        assert_eq!(hex(&[0, 0xab]), "00ab");
    }
}
