//! What `ss -i` shows of a TCP socket beyond `tcp_info`: the interface it is bound to, its
//! TCP-MD5 keys (`INET_DIAG_MD5SIG`) and its upper layer protocol (`INET_DIAG_ULP_INFO`: kTLS or
//! an MPTCP subflow), with ss's names for the values it names.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use super::address::Inet;
use crate::model::describe::{ELEMENT, Field, Unit, Visitor};
use crate::model::ip::names::Hex;
use crate::uapi::tls::{
    TLS_1_2_VERSION, TLS_1_3_VERSION, TLS_CIPHER_AES_GCM_128, TLS_CIPHER_AES_GCM_256,
    TLS_CONF_BASE, TLS_CONF_HW, TLS_CONF_HW_RECORD, TLS_CONF_SW,
};

/// An interface name and, only when it is not valid UTF-8, its exact bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IfName {
    /// The name, invalid UTF-8 replaced by U+FFFD.
    pub name: Arc<str>,
    /// The exact bytes, when the name is not valid UTF-8.
    pub bytes: Option<Arc<[u8]>>,
}

/// The interface a socket is bound to (`idiag_if`: `SO_BINDTODEVICE`, or the scope of an IPv6
/// link-local address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundIf {
    /// Its index.
    pub ifindex: u32,
    /// Its name, when the reader could learn it (ss then prints `if<index>`).
    pub name: Option<IfName>,
}

const IFINDEX: Field = Field::label("ifindex");
const IFNAME: Field = Field::label("ifname");
const IFNAME_BYTES: Field = Field::label("ifname_bytes");

impl BoundIf {
    /// Visit `ifindex`, `ifname` (and `ifname_bytes`) inside the `local` object.
    pub(super) fn describe<V: Visitor>(&self, v: &mut V) {
        v.u64(&IFINDEX, self.ifindex.into());
        match &self.name {
            Some(n) => {
                v.str(&IFNAME, &n.name);
                if let Some(bytes) = &n.bytes {
                    v.display(&IFNAME_BYTES, &Hex(bytes));
                }
            }
            None => v.display(&IFNAME, &format_args!("if{}", self.ifindex)),
        }
    }
}

/// One TCP-MD5 key (`struct tcp_diag_md5sig`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Md5Key {
    /// The peer address (or prefix) the key applies to.
    pub address: IpAddr,
    /// The prefix length.
    pub prefixlen: u8,
    /// The key (at most `TCP_MD5SIG_MAXKEYLEN` bytes).
    pub key: Vec<u8>,
}

const MD5KEYS: Field = Field::label("md5keys");
const MD5_ADDRESS: Field = Field::label("address");
const MD5_PREFIXLEN: Field = Field::label("prefixlen");
const MD5_KEY: Field = Field::label("key");

/// Visit `md5keys`: `[{"address","prefixlen","key"}]`, the key in hex.
pub(super) fn describe_md5keys<V: Visitor>(keys: &[Md5Key], v: &mut V) {
    v.begin_list(&MD5KEYS);
    for k in keys {
        v.begin_object(&ELEMENT);
        v.display(&MD5_ADDRESS, &Inet(k.address));
        v.u64(&MD5_PREFIXLEN, k.prefixlen.into());
        v.display(&MD5_KEY, &Hex(&k.key));
        v.end();
    }
    v.end();
}

/// A short kernel name (a ULP's, at most `TCP_ULP_NAME_MAX` = 16 bytes).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ShortName {
    name: [u8; 16],
    len: u8,
}

impl ShortName {
    /// The name in a string attribute: up to the first NUL, at most 16 bytes.
    pub fn new(b: &[u8]) -> ShortName {
        let end = b.iter().position(|&c| c == 0).unwrap_or(b.len()).min(16);
        let mut name = [0u8; 16];
        name[..end].copy_from_slice(&b[..end]);
        ShortName {
            name,
            len: end as u8,
        }
    }

    /// The name (invalid UTF-8 replaced).
    pub fn as_str(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.name[..usize::from(self.len)])
    }
}

impl fmt::Debug for ShortName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_str().fmt(f)
    }
}

/// kTLS state of a socket (`INET_ULP_INFO_TLS`: `TLS_INFO_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TlsInfo {
    /// `TLS_INFO_VERSION` (`0x0303` is TLS 1.2).
    pub version: Option<u16>,
    /// `TLS_INFO_CIPHER` (`TLS_CIPHER_*`).
    pub cipher: Option<u16>,
    /// `TLS_INFO_TXCONF` (`TLS_CONF_*`).
    pub txconf: Option<u16>,
    /// `TLS_INFO_RXCONF`.
    pub rxconf: Option<u16>,
    /// `TLS_INFO_ZC_RO_TX`: zero-copy sendfile on a read-only transmit path.
    pub zc_ro_tx: bool,
    /// `TLS_INFO_RX_NO_PAD`: the receiver expects no padding (TLS 1.3).
    pub rx_no_pad: bool,
}

/// An MPTCP subflow's state (`INET_ULP_INFO_MPTCP`: `MPTCP_SUBFLOW_ATTR_*`); each value when
/// the kernel sent it (the tokens only to `CAP_NET_ADMIN` on newer kernels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MptcpSubflow {
    /// `MPTCP_SUBFLOW_ATTR_FLAGS` (`MPTCP_SUBFLOW_FLAG_*`).
    pub flags: Option<u32>,
    /// `MPTCP_SUBFLOW_ATTR_TOKEN_REM`.
    pub token_rem: Option<u32>,
    /// `MPTCP_SUBFLOW_ATTR_ID_REM`.
    pub id_rem: Option<u8>,
    /// `MPTCP_SUBFLOW_ATTR_TOKEN_LOC`.
    pub token_loc: Option<u32>,
    /// `MPTCP_SUBFLOW_ATTR_ID_LOC`.
    pub id_loc: Option<u8>,
    /// `MPTCP_SUBFLOW_ATTR_RELWRITE_SEQ`.
    pub relwrite_seq: Option<u32>,
    /// `MPTCP_SUBFLOW_ATTR_MAP_SEQ`.
    pub map_seq: Option<u64>,
    /// `MPTCP_SUBFLOW_ATTR_MAP_SFSEQ`.
    pub map_sfseq: Option<u32>,
    /// `MPTCP_SUBFLOW_ATTR_SSN_OFFSET`.
    pub ssn_offset: Option<u32>,
    /// `MPTCP_SUBFLOW_ATTR_MAP_DATALEN`.
    pub map_datalen: Option<u16>,
}

/// The letters ss prints for `MPTCP_SUBFLOW_FLAG_*`, by bit.
pub const MPTCP_FLAG_LETTERS: [char; 9] = ['M', 'm', 'J', 'j', 'B', 'b', 'e', 'c', 'v'];

/// ss's letters for subflow flags: `M` MP_CAPABLE from the peer, `m` requested here, `J`/`j`
/// MP_JOIN, `B`/`b` backup, `e` fully established, `c` connected, `v` mapping valid.
pub struct MptcpFlags(pub u32);

impl fmt::Display for MptcpFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (bit, letter) in MPTCP_FLAG_LETTERS.iter().enumerate() {
            if self.0 & (1 << bit) != 0 {
                write!(f, "{letter}")?;
            }
        }
        Ok(())
    }
}

/// The upper layer protocol of a TCP socket (`INET_DIAG_ULP_INFO`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ulp {
    /// `INET_ULP_INFO_NAME`: `tls`, `mptcp`, …
    pub name: Option<ShortName>,
    /// `INET_ULP_INFO_TLS`.
    pub tls: Option<TlsInfo>,
    /// `INET_ULP_INFO_MPTCP`.
    pub mptcp: Option<MptcpSubflow>,
}

/// A named code, or `unknown(N)` as ss prints codes it has no name for.
struct Named(Option<&'static str>, u16);

impl fmt::Display for Named {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(name) => f.write_str(name),
            None => write!(f, "unknown({})", self.1),
        }
    }
}

/// ss's name of a TLS version: `1.2`, `1.3`.
pub fn tls_version_name(v: u16) -> Option<&'static str> {
    match v {
        TLS_1_2_VERSION => Some("1.2"),
        TLS_1_3_VERSION => Some("1.3"),
        _ => None,
    }
}

/// The name of a kTLS cipher (`TLS_CIPHER_*`): ss's for the two it names, the header's in the
/// same style for the others.
pub fn tls_cipher_name(c: u16) -> Option<&'static str> {
    match c {
        TLS_CIPHER_AES_GCM_128 => Some("aes-gcm-128"),
        TLS_CIPHER_AES_GCM_256 => Some("aes-gcm-256"),
        53 => Some("aes-ccm-128"),
        54 => Some("chacha20-poly1305"),
        55 => Some("sm4-gcm"),
        56 => Some("sm4-ccm"),
        57 => Some("aria-gcm-128"),
        58 => Some("aria-gcm-256"),
        _ => None,
    }
}

/// ss's name of a kTLS configuration (`TLS_CONF_*`).
pub fn tls_conf_name(c: u16) -> Option<&'static str> {
    match c {
        TLS_CONF_BASE => Some("none"),
        TLS_CONF_SW => Some("sw"),
        TLS_CONF_HW => Some("hw"),
        TLS_CONF_HW_RECORD => Some("hw-record"),
        _ => None,
    }
}

const ULP: Field = Field::label("ulp");
const ULP_NAME: Field = Field::label("name");
const TLS: Field = Field::label("tls");
const TLS_VERSION: Field = Field::label("version");
const TLS_CIPHER: Field = Field::label("cipher");
const TLS_RXCONF: Field = Field::label("rxconf");
const TLS_TXCONF: Field = Field::label("txconf");
const TLS_ZC_RO_TX: Field = Field::label("zc_ro_tx");
const TLS_RX_NO_PAD: Field = Field::label("rx_no_pad");
const MPTCP: Field = Field::label("mptcp");
const SF_FLAGS: Field = Field::label("flags");
const SF_TOKEN_REM: Field = Field::label("token_rem");
const SF_ID_REM: Field = Field::label("id_rem");
const SF_TOKEN_LOC: Field = Field::label("token_loc");
const SF_ID_LOC: Field = Field::label("id_loc");
const SF_RELWRITE_SEQ: Field = Field::label("relwrite_seq");
const SF_MAP_SEQ: Field = Field::label("map_seq");
const SF_MAP_SFSEQ: Field = Field::label("map_sfseq");
const SF_SSN_OFFSET: Field = Field::label("ssn_offset");
const SF_MAP_DATALEN: Field = Field::gauge("map_datalen", Unit::Bytes);

impl Ulp {
    /// Visit the `ulp` object.
    pub(super) fn describe<V: Visitor>(&self, v: &mut V) {
        v.begin_object(&ULP);
        if let Some(n) = &self.name {
            v.str(&ULP_NAME, &n.as_str());
        }
        if let Some(t) = &self.tls {
            v.begin_object(&TLS);
            if let Some(x) = t.version {
                v.display(&TLS_VERSION, &Named(tls_version_name(x), x));
            }
            if let Some(x) = t.cipher {
                v.display(&TLS_CIPHER, &Named(tls_cipher_name(x), x));
            }
            if let Some(x) = t.rxconf {
                v.display(&TLS_RXCONF, &Named(tls_conf_name(x), x));
            }
            if let Some(x) = t.txconf {
                v.display(&TLS_TXCONF, &Named(tls_conf_name(x), x));
            }
            v.bool(&TLS_ZC_RO_TX, t.zc_ro_tx);
            v.bool(&TLS_RX_NO_PAD, t.rx_no_pad);
            v.end();
        }
        if let Some(m) = &self.mptcp {
            v.begin_object(&MPTCP);
            if let Some(x) = m.flags {
                v.display(&SF_FLAGS, &MptcpFlags(x));
            }
            let u32s = [
                (&SF_TOKEN_REM, m.token_rem),
                (&SF_ID_REM, m.id_rem.map(u32::from)),
                (&SF_TOKEN_LOC, m.token_loc),
                (&SF_ID_LOC, m.id_loc.map(u32::from)),
                (&SF_RELWRITE_SEQ, m.relwrite_seq),
            ];
            for (field, value) in u32s {
                if let Some(x) = value {
                    v.u64(field, x.into());
                }
            }
            if let Some(x) = m.map_seq {
                v.u64(&SF_MAP_SEQ, x);
            }
            let rest = [
                (&SF_MAP_SFSEQ, m.map_sfseq),
                (&SF_SSN_OFFSET, m.ssn_offset),
                (&SF_MAP_DATALEN, m.map_datalen.map(u32::from)),
            ];
            for (field, value) in rest {
                if let Some(x) = value {
                    v.u64(field, x.into());
                }
            }
            v.end();
        }
        v.end();
    }
}
