//! `struct tcp_info` (include/uapi/linux/tcp.h), by table.
//!
//! The kernel sends as many bytes of the struct as it knows; older kernels send less, newer
//! kernels more. The bytes are kept zero-extended to the newest layout known here, with the
//! length the kernel sent, and every field that lies within that length is reported under its
//! kernel name without the `tcpi_` prefix, in raw kernel units (µs for times, bytes, segments).

use crate::model::describe::{Field, Unit, Visitor};

/// How a field is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// `__u8`.
    U8,
    /// `__u16`.
    U16,
    /// `__u32`.
    U32,
    /// `__u64`.
    U64,
    /// A bitfield: `bits` bits from bit `shift` of the `u32` read at the field's offset
    /// (little-endian GCC layout: the first declared bitfield takes the lowest bits).
    Bits {
        /// Lowest bit.
        shift: u8,
        /// Width in bits.
        bits: u8,
        /// Bytes the storage unit occupies (a field counts as sent when they all were).
        unit: u8,
    },
}

impl Width {
    const fn size(self) -> usize {
        match self {
            Width::U8 => 1,
            Width::U16 => 2,
            Width::U32 => 4,
            Width::U64 => 8,
            Width::Bits { unit, .. } => unit as usize,
        }
    }
}

/// Size of the newest `struct tcp_info` known here (Linux 6.18).
pub const TCP_INFO_SIZE: usize = 280;

/// One field of the struct: how it is described (kernel name without `tcpi_`, kind, unit), where
/// it lies and how it is stored.
#[derive(Debug, Clone, Copy)]
pub struct TcpInfoField {
    /// The description.
    pub field: Field<'static>,
    /// Byte offset.
    pub offset: usize,
    /// Storage.
    pub width: Width,
    /// The struct length from which on the kernel sent this field (offset + storage size).
    pub end: usize,
}

impl TcpInfoField {
    const fn new(field: Field<'static>, offset: usize, width: Width) -> TcpInfoField {
        TcpInfoField {
            field,
            offset,
            width,
            end: offset + width.size(),
        }
    }
}

/// Every field, in struct order.
pub const FIELDS: &[TcpInfoField] = &[
    TcpInfoField::new(Field::label("state"), 0, Width::U8),
    TcpInfoField::new(Field::label("ca_state"), 1, Width::U8),
    TcpInfoField::new(Field::gauge("retransmits", Unit::None), 2, Width::U8),
    TcpInfoField::new(Field::gauge("probes", Unit::None), 3, Width::U8),
    TcpInfoField::new(Field::gauge("backoff", Unit::None), 4, Width::U8),
    TcpInfoField::new(Field::label("options"), 5, Width::U8),
    TcpInfoField::new(
        Field::label("snd_wscale"),
        6,
        Width::Bits {
            shift: 0,
            bits: 4,
            unit: 1,
        },
    ),
    TcpInfoField::new(
        Field::label("rcv_wscale"),
        6,
        Width::Bits {
            shift: 4,
            bits: 4,
            unit: 1,
        },
    ),
    TcpInfoField::new(
        Field::label("delivery_rate_app_limited"),
        7,
        Width::Bits {
            shift: 0,
            bits: 1,
            unit: 1,
        },
    ),
    TcpInfoField::new(
        Field::label("fastopen_client_fail"),
        7,
        Width::Bits {
            shift: 1,
            bits: 2,
            unit: 1,
        },
    ),
    TcpInfoField::new(Field::gauge("rto", Unit::Microseconds), 8, Width::U32),
    TcpInfoField::new(Field::gauge("ato", Unit::Microseconds), 12, Width::U32),
    TcpInfoField::new(Field::gauge("snd_mss", Unit::Bytes), 16, Width::U32),
    TcpInfoField::new(Field::gauge("rcv_mss", Unit::Bytes), 20, Width::U32),
    TcpInfoField::new(Field::gauge("unacked", Unit::Segments), 24, Width::U32),
    TcpInfoField::new(Field::gauge("sacked", Unit::Segments), 28, Width::U32),
    TcpInfoField::new(Field::gauge("lost", Unit::Segments), 32, Width::U32),
    TcpInfoField::new(Field::gauge("retrans", Unit::Segments), 36, Width::U32),
    TcpInfoField::new(Field::gauge("fackets", Unit::Segments), 40, Width::U32),
    TcpInfoField::new(
        Field::gauge("last_data_sent", Unit::Milliseconds),
        44,
        Width::U32,
    ),
    TcpInfoField::new(
        Field::gauge("last_ack_sent", Unit::Milliseconds),
        48,
        Width::U32,
    ),
    TcpInfoField::new(
        Field::gauge("last_data_recv", Unit::Milliseconds),
        52,
        Width::U32,
    ),
    TcpInfoField::new(
        Field::gauge("last_ack_recv", Unit::Milliseconds),
        56,
        Width::U32,
    ),
    TcpInfoField::new(Field::gauge("pmtu", Unit::Bytes), 60, Width::U32),
    TcpInfoField::new(Field::gauge("rcv_ssthresh", Unit::Bytes), 64, Width::U32),
    TcpInfoField::new(Field::gauge("rtt", Unit::Microseconds), 68, Width::U32),
    TcpInfoField::new(Field::gauge("rttvar", Unit::Microseconds), 72, Width::U32),
    TcpInfoField::new(Field::gauge("snd_ssthresh", Unit::Segments), 76, Width::U32),
    TcpInfoField::new(Field::gauge("snd_cwnd", Unit::Segments), 80, Width::U32),
    TcpInfoField::new(Field::gauge("advmss", Unit::Bytes), 84, Width::U32),
    TcpInfoField::new(Field::gauge("reordering", Unit::Segments), 88, Width::U32),
    TcpInfoField::new(Field::gauge("rcv_rtt", Unit::Microseconds), 92, Width::U32),
    TcpInfoField::new(Field::gauge("rcv_space", Unit::Bytes), 96, Width::U32),
    TcpInfoField::new(
        Field::counter("total_retrans", Unit::Segments),
        100,
        Width::U32,
    ),
    TcpInfoField::new(
        Field::gauge("pacing_rate", Unit::BytesPerSecond),
        104,
        Width::U64,
    ),
    TcpInfoField::new(
        Field::gauge("max_pacing_rate", Unit::BytesPerSecond),
        112,
        Width::U64,
    ),
    TcpInfoField::new(Field::counter("bytes_acked", Unit::Bytes), 120, Width::U64),
    TcpInfoField::new(
        Field::counter("bytes_received", Unit::Bytes),
        128,
        Width::U64,
    ),
    TcpInfoField::new(Field::counter("segs_out", Unit::Segments), 136, Width::U32),
    TcpInfoField::new(Field::counter("segs_in", Unit::Segments), 140, Width::U32),
    TcpInfoField::new(Field::gauge("notsent_bytes", Unit::Bytes), 144, Width::U32),
    TcpInfoField::new(Field::gauge("min_rtt", Unit::Microseconds), 148, Width::U32),
    TcpInfoField::new(
        Field::counter("data_segs_in", Unit::Segments),
        152,
        Width::U32,
    ),
    TcpInfoField::new(
        Field::counter("data_segs_out", Unit::Segments),
        156,
        Width::U32,
    ),
    TcpInfoField::new(
        Field::gauge("delivery_rate", Unit::BytesPerSecond),
        160,
        Width::U64,
    ),
    TcpInfoField::new(
        Field::counter("busy_time", Unit::Microseconds),
        168,
        Width::U64,
    ),
    TcpInfoField::new(
        Field::counter("rwnd_limited", Unit::Microseconds),
        176,
        Width::U64,
    ),
    TcpInfoField::new(
        Field::counter("sndbuf_limited", Unit::Microseconds),
        184,
        Width::U64,
    ),
    TcpInfoField::new(Field::counter("delivered", Unit::Segments), 192, Width::U32),
    TcpInfoField::new(
        Field::counter("delivered_ce", Unit::Segments),
        196,
        Width::U32,
    ),
    TcpInfoField::new(Field::counter("bytes_sent", Unit::Bytes), 200, Width::U64),
    TcpInfoField::new(
        Field::counter("bytes_retrans", Unit::Bytes),
        208,
        Width::U64,
    ),
    TcpInfoField::new(Field::counter("dsack_dups", Unit::None), 216, Width::U32),
    TcpInfoField::new(Field::counter("reord_seen", Unit::None), 220, Width::U32),
    TcpInfoField::new(
        Field::counter("rcv_ooopack", Unit::Packets),
        224,
        Width::U32,
    ),
    TcpInfoField::new(Field::gauge("snd_wnd", Unit::Bytes), 228, Width::U32),
    TcpInfoField::new(Field::gauge("rcv_wnd", Unit::Bytes), 232, Width::U32),
    TcpInfoField::new(Field::counter("rehash", Unit::None), 236, Width::U32),
    TcpInfoField::new(Field::counter("total_rto", Unit::None), 240, Width::U16),
    TcpInfoField::new(
        Field::counter("total_rto_recoveries", Unit::None),
        242,
        Width::U16,
    ),
    TcpInfoField::new(
        Field::counter("total_rto_time", Unit::Milliseconds),
        244,
        Width::U32,
    ),
    TcpInfoField::new(
        Field::counter("received_ce", Unit::Packets),
        248,
        Width::U32,
    ),
    TcpInfoField::new(
        Field::counter("delivered_e1_bytes", Unit::Bytes),
        252,
        Width::U32,
    ),
    TcpInfoField::new(
        Field::counter("delivered_e0_bytes", Unit::Bytes),
        256,
        Width::U32,
    ),
    TcpInfoField::new(
        Field::counter("delivered_ce_bytes", Unit::Bytes),
        260,
        Width::U32,
    ),
    TcpInfoField::new(
        Field::counter("received_e1_bytes", Unit::Bytes),
        264,
        Width::U32,
    ),
    TcpInfoField::new(
        Field::counter("received_e0_bytes", Unit::Bytes),
        268,
        Width::U32,
    ),
    TcpInfoField::new(
        Field::counter("received_ce_bytes", Unit::Bytes),
        272,
        Width::U32,
    ),
    TcpInfoField::new(
        Field::label("ecn_mode"),
        276,
        Width::Bits {
            shift: 0,
            bits: 2,
            unit: 4,
        },
    ),
    TcpInfoField::new(
        Field::label("accecn_opt_seen"),
        276,
        Width::Bits {
            shift: 2,
            bits: 2,
            unit: 4,
        },
    ),
    TcpInfoField::new(
        Field::label("accecn_fail_mode"),
        276,
        Width::Bits {
            shift: 4,
            bits: 4,
            unit: 4,
        },
    ),
    TcpInfoField::new(
        Field::label("options2"),
        276,
        Width::Bits {
            shift: 8,
            bits: 24,
            unit: 4,
        },
    ),
];

/// A `struct tcp_info` as the kernel sent it.
#[derive(Clone, PartialEq, Eq)]
pub struct TcpInfo {
    /// Bytes the kernel sent (may exceed [`TCP_INFO_SIZE`] on a newer kernel).
    pub len: usize,
    raw: [u8; TCP_INFO_SIZE],
}

impl std::fmt::Debug for TcpInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TcpInfo")
            .field("len", &self.len)
            .field("rtt", &self.rtt())
            .field("snd_cwnd", &self.snd_cwnd())
            .finish_non_exhaustive()
    }
}

impl TcpInfo {
    /// Keep the payload of `INET_DIAG_INFO`, zero-extended.
    pub fn decode(payload: &[u8]) -> TcpInfo {
        let mut raw = [0u8; TCP_INFO_SIZE];
        let n = payload.len().min(TCP_INFO_SIZE);
        raw[..n].copy_from_slice(&payload[..n]);
        TcpInfo {
            len: payload.len(),
            raw,
        }
    }

    fn read(&self, offset: usize, width: Width) -> u64 {
        let b = &self.raw;
        match width {
            Width::U8 => b[offset].into(),
            Width::U16 => u16::from_ne_bytes([b[offset], b[offset + 1]]).into(),
            Width::U32 => {
                u32::from_ne_bytes([b[offset], b[offset + 1], b[offset + 2], b[offset + 3]]).into()
            }
            Width::U64 => u64::from_ne_bytes(b[offset..offset + 8].try_into().unwrap_or_default()),
            Width::Bits { shift, bits, unit } => {
                let mut word = [0u8; 4];
                let unit = usize::from(unit);
                word[..unit].copy_from_slice(&b[offset..offset + unit]);
                (u32::from_le_bytes(word) >> shift) as u64 & ((1u64 << bits) - 1)
            }
        }
    }

    /// The field named `name` (kernel name without `tcpi_`), if the kernel sent it.
    pub fn get(&self, name: &str) -> Option<u64> {
        let f = FIELDS.iter().find(|f| f.field.key == name)?;
        (f.end <= self.len).then(|| self.read(f.offset, f.width))
    }

    /// Every field the kernel sent, in struct order.
    pub fn fields(&self) -> impl Iterator<Item = (&'static Field<'static>, u64)> + '_ {
        FIELDS
            .iter()
            .filter(|f| f.end <= self.len)
            .map(|f| (&f.field, self.read(f.offset, f.width)))
    }

    fn u32_at(&self, offset: usize) -> u32 {
        self.read(offset, Width::U32) as u32
    }

    /// Smoothed round-trip time, µs.
    pub fn rtt(&self) -> u32 {
        self.u32_at(68)
    }
    /// Round-trip time variance, µs.
    pub fn rttvar(&self) -> u32 {
        self.u32_at(72)
    }
    /// Congestion window, segments.
    pub fn snd_cwnd(&self) -> u32 {
        self.u32_at(80)
    }
    /// Sending MSS, bytes.
    pub fn snd_mss(&self) -> u32 {
        self.u32_at(16)
    }
    /// Retransmitted segments over the connection's life.
    pub fn total_retrans(&self) -> u32 {
        self.u32_at(100)
    }
    /// Segments currently being retransmitted.
    pub fn retrans(&self) -> u32 {
        self.u32_at(36)
    }
    /// Segments sent and not yet acknowledged.
    pub fn unacked(&self) -> u32 {
        self.u32_at(24)
    }
    /// Bytes acknowledged over the connection's life (`None` before Linux 4.1).
    pub fn bytes_acked(&self) -> Option<u64> {
        (self.len >= 128).then(|| self.read(120, Width::U64))
    }
    /// Bytes received over the connection's life (`None` before Linux 4.1).
    pub fn bytes_received(&self) -> Option<u64> {
        (self.len >= 136).then(|| self.read(128, Width::U64))
    }
    /// Kernel-estimated delivery rate, bytes/s (0 when the kernel did not send it).
    pub fn delivery_rate(&self) -> u64 {
        if self.len >= 168 {
            self.read(160, Width::U64)
        } else {
            0
        }
    }
}

/// `len`: the bytes the kernel sent, before the fields.
const LEN: Field = Field::label("len");

impl TcpInfo {
    /// Visit `len` and every field the kernel sent, in struct order.
    pub fn describe<V: Visitor>(&self, v: &mut V) {
        v.u64(&LEN, self.len as u64);
        for (field, value) in self.fields() {
            v.u64(field, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_contiguous_and_ends_at_the_struct_size() {
        // Each field starts where the previous storage ended (bitfields share their unit).
        let mut end = 0;
        for f in FIELDS {
            assert!(f.offset <= end, "{} overlaps a gap", f.field.key);
            assert_eq!(f.end, f.offset + f.width.size(), "{}", f.field.key);
            end = end.max(f.end);
        }
        assert_eq!(end, TCP_INFO_SIZE);
    }

    #[test]
    fn short_struct_reports_only_what_was_sent() {
        // An old kernel's struct ending after tcpi_total_retrans (104 bytes, Linux 3.x).
        let mut raw = vec![0u8; 104];
        raw[6] = 0x97; // snd_wscale 7, rcv_wscale 9
        raw[7] = 0x05; // app_limited 1, fastopen_client_fail 2
        raw[68..72].copy_from_slice(&1234u32.to_ne_bytes());
        raw[100..104].copy_from_slice(&3u32.to_ne_bytes());
        let t = TcpInfo::decode(&raw);
        assert_eq!(t.get("snd_wscale"), Some(7));
        assert_eq!(t.get("rcv_wscale"), Some(9));
        assert_eq!(t.get("delivery_rate_app_limited"), Some(1));
        assert_eq!(t.get("fastopen_client_fail"), Some(2));
        assert_eq!(t.rtt(), 1234);
        assert_eq!(t.get("total_retrans"), Some(3));
        assert_eq!(t.get("pacing_rate"), None);
        assert_eq!(t.fields().count(), 34);
    }

    #[test]
    fn longer_struct_is_not_an_error() {
        let t = TcpInfo::decode(&[1u8; TCP_INFO_SIZE + 24]);
        assert_eq!(t.len, TCP_INFO_SIZE + 24);
        assert_eq!(t.fields().count(), FIELDS.len());
        assert_eq!(t.get("options2"), Some(0x0001_0101));
    }
}
