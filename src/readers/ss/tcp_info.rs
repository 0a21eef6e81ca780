//! `struct tcp_info` (include/uapi/linux/tcp.h), by table.
//!
//! The kernel sends as many bytes of the struct as it knows; older kernels send less, newer
//! kernels more. The bytes are kept zero-extended to the newest layout known here, with the
//! length the kernel sent, and every field that lies within that length is reported under its
//! kernel name without the `tcpi_` prefix, in raw kernel units (µs for times, bytes, segments).

use serde::ser::{Serialize, SerializeMap, Serializer};

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
    fn size(self) -> usize {
        match self {
            Width::U8 => 1,
            Width::U16 => 2,
            Width::U32 => 4,
            Width::U64 => 8,
            Width::Bits { unit, .. } => usize::from(unit),
        }
    }
}

/// Size of the newest `struct tcp_info` known here (Linux 6.18).
pub const TCP_INFO_SIZE: usize = 280;

/// Every field: name (kernel name without `tcpi_`), byte offset, width.
pub const FIELDS: &[(&str, usize, Width)] = &[
    ("state", 0, Width::U8),
    ("ca_state", 1, Width::U8),
    ("retransmits", 2, Width::U8),
    ("probes", 3, Width::U8),
    ("backoff", 4, Width::U8),
    ("options", 5, Width::U8),
    (
        "snd_wscale",
        6,
        Width::Bits {
            shift: 0,
            bits: 4,
            unit: 1,
        },
    ),
    (
        "rcv_wscale",
        6,
        Width::Bits {
            shift: 4,
            bits: 4,
            unit: 1,
        },
    ),
    (
        "delivery_rate_app_limited",
        7,
        Width::Bits {
            shift: 0,
            bits: 1,
            unit: 1,
        },
    ),
    (
        "fastopen_client_fail",
        7,
        Width::Bits {
            shift: 1,
            bits: 2,
            unit: 1,
        },
    ),
    ("rto", 8, Width::U32),
    ("ato", 12, Width::U32),
    ("snd_mss", 16, Width::U32),
    ("rcv_mss", 20, Width::U32),
    ("unacked", 24, Width::U32),
    ("sacked", 28, Width::U32),
    ("lost", 32, Width::U32),
    ("retrans", 36, Width::U32),
    ("fackets", 40, Width::U32),
    ("last_data_sent", 44, Width::U32),
    ("last_ack_sent", 48, Width::U32),
    ("last_data_recv", 52, Width::U32),
    ("last_ack_recv", 56, Width::U32),
    ("pmtu", 60, Width::U32),
    ("rcv_ssthresh", 64, Width::U32),
    ("rtt", 68, Width::U32),
    ("rttvar", 72, Width::U32),
    ("snd_ssthresh", 76, Width::U32),
    ("snd_cwnd", 80, Width::U32),
    ("advmss", 84, Width::U32),
    ("reordering", 88, Width::U32),
    ("rcv_rtt", 92, Width::U32),
    ("rcv_space", 96, Width::U32),
    ("total_retrans", 100, Width::U32),
    ("pacing_rate", 104, Width::U64),
    ("max_pacing_rate", 112, Width::U64),
    ("bytes_acked", 120, Width::U64),
    ("bytes_received", 128, Width::U64),
    ("segs_out", 136, Width::U32),
    ("segs_in", 140, Width::U32),
    ("notsent_bytes", 144, Width::U32),
    ("min_rtt", 148, Width::U32),
    ("data_segs_in", 152, Width::U32),
    ("data_segs_out", 156, Width::U32),
    ("delivery_rate", 160, Width::U64),
    ("busy_time", 168, Width::U64),
    ("rwnd_limited", 176, Width::U64),
    ("sndbuf_limited", 184, Width::U64),
    ("delivered", 192, Width::U32),
    ("delivered_ce", 196, Width::U32),
    ("bytes_sent", 200, Width::U64),
    ("bytes_retrans", 208, Width::U64),
    ("dsack_dups", 216, Width::U32),
    ("reord_seen", 220, Width::U32),
    ("rcv_ooopack", 224, Width::U32),
    ("snd_wnd", 228, Width::U32),
    ("rcv_wnd", 232, Width::U32),
    ("rehash", 236, Width::U32),
    ("total_rto", 240, Width::U16),
    ("total_rto_recoveries", 242, Width::U16),
    ("total_rto_time", 244, Width::U32),
    ("received_ce", 248, Width::U32),
    ("delivered_e1_bytes", 252, Width::U32),
    ("delivered_e0_bytes", 256, Width::U32),
    ("delivered_ce_bytes", 260, Width::U32),
    ("received_e1_bytes", 264, Width::U32),
    ("received_e0_bytes", 268, Width::U32),
    ("received_ce_bytes", 272, Width::U32),
    (
        "ecn_mode",
        276,
        Width::Bits {
            shift: 0,
            bits: 2,
            unit: 4,
        },
    ),
    (
        "accecn_opt_seen",
        276,
        Width::Bits {
            shift: 2,
            bits: 2,
            unit: 4,
        },
    ),
    (
        "accecn_fail_mode",
        276,
        Width::Bits {
            shift: 4,
            bits: 4,
            unit: 4,
        },
    ),
    (
        "options2",
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
        let &(_, offset, width) = FIELDS.iter().find(|(n, _, _)| *n == name)?;
        (offset + width.size() <= self.len).then(|| self.read(offset, width))
    }

    /// Every field the kernel sent, in struct order.
    pub fn fields(&self) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        FIELDS
            .iter()
            .filter(|(_, offset, width)| offset + width.size() <= self.len)
            .map(|&(name, offset, width)| (name, self.read(offset, width)))
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
    /// Kernel-estimated delivery rate, bytes/s (0 when the kernel did not send it).
    pub fn delivery_rate(&self) -> u64 {
        if self.len >= 168 {
            self.read(160, Width::U64)
        } else {
            0
        }
    }
}

impl Serialize for TcpInfo {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("len", &self.len)?;
        for (name, value) in self.fields() {
            m.serialize_entry(name, &value)?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_contiguous_and_ends_at_the_struct_size() {
        // Each field starts where the previous storage ended (bitfields share their unit).
        let mut end = 0;
        for (name, offset, width) in FIELDS {
            assert!(*offset <= end, "{name} overlaps a gap");
            end = end.max(offset + width.size());
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
        let json = serde_json::to_value(&t).expect("json");
        assert_eq!(json["len"], 104);
        assert!(json.get("bytes_acked").is_none());
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
