//! iproute2's names of link values (ip/ipaddress.c, lib/ll_types.c): interface flags,
//! operational states, link types, and link-layer addresses as `ip` prints them.

use std::fmt;

use crate::uapi::if_arp::{
    ARPHRD_6LOWPAN, ARPHRD_CAIF, ARPHRD_IEEE802154_MONITOR, ARPHRD_IP6GRE, ARPHRD_NETLINK,
    ARPHRD_NONE, ARPHRD_PHONET, ARPHRD_PHONET_PIPE, ARPHRD_VOID,
};

/// `IFF_*` names in the order iproute2 prints them; `IFF_RUNNING` is not printed but turns
/// into `NO-CARRIER` when missing on an `UP` link.
const FLAG_NAMES: [(u32, &str); 18] = [
    (libc::IFF_LOOPBACK as u32, "LOOPBACK"),
    (libc::IFF_BROADCAST as u32, "BROADCAST"),
    (libc::IFF_POINTOPOINT as u32, "POINTOPOINT"),
    (libc::IFF_MULTICAST as u32, "MULTICAST"),
    (libc::IFF_NOARP as u32, "NOARP"),
    (libc::IFF_ALLMULTI as u32, "ALLMULTI"),
    (libc::IFF_PROMISC as u32, "PROMISC"),
    (libc::IFF_MASTER as u32, "MASTER"),
    (libc::IFF_SLAVE as u32, "SLAVE"),
    (libc::IFF_DEBUG as u32, "DEBUG"),
    (libc::IFF_DYNAMIC as u32, "DYNAMIC"),
    (libc::IFF_AUTOMEDIA as u32, "AUTOMEDIA"),
    (libc::IFF_PORTSEL as u32, "PORTSEL"),
    (libc::IFF_NOTRAILERS as u32, "NOTRAILERS"),
    (libc::IFF_UP as u32, "UP"),
    (libc::IFF_LOWER_UP as u32, "LOWER_UP"),
    (libc::IFF_DORMANT as u32, "DORMANT"),
    (libc::IFF_ECHO as u32, "ECHO"),
];
/// `IFF_*` flags (libc's are `c_int`; these are the `u32` of `ifi_flags`).
pub(super) const IFF_UP: u32 = libc::IFF_UP as u32;
const IFF_RUNNING: u32 = libc::IFF_RUNNING as u32;
pub(super) const IFF_POINTOPOINT: u32 = libc::IFF_POINTOPOINT as u32;

/// RFC 2863 operational states (`IF_OPER_*`), as iproute2 names them.
const OPER_STATES: [&str; 7] = [
    "UNKNOWN",
    "NOTPRESENT",
    "DOWN",
    "LOWERLAYERDOWN",
    "TESTING",
    "DORMANT",
    "UP",
];

/// An interface name as the kernel has it, split for JSON: the text (invalid UTF-8 replaced by
/// U+FFFD, as a reader expects a string) and, only when the name is not valid UTF-8, its exact
/// bytes, so that nothing is lost (written as hex under a `…_bytes` key beside the name).
pub fn split_name(bytes: &[u8]) -> (String, Option<Vec<u8>>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), None),
        Err(_) => (
            String::from_utf8_lossy(bytes).into_owned(),
            Some(bytes.to_vec()),
        ),
    }
}

/// Bytes as lowercase hex, two digits each.
pub struct Hex<'a>(pub &'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// Link modes (`IF_LINK_MODE_*`), as iproute2 names them.
const LINK_MODES: [&str; 3] = ["DEFAULT", "DORMANT", "TESTING"];

/// The link mode's name, as `ip` prints it (`None`: ip prints the number as `linkmode_index`).
pub fn linkmode_name(mode: u8) -> Option<&'static str> {
    LINK_MODES.get(usize::from(mode)).copied()
}

/// An interface group as `ip` prints it: `default` for group 0 (the name iproute2's group table
/// gives it), the number otherwise — as text, which is what ip writes in JSON too.
pub struct GroupName(pub u32);

impl fmt::Display for GroupName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0 => f.write_str("default"),
            n => write!(f, "{n}"),
        }
    }
}

/// The operational state's name, as `ip` prints it.
pub fn operstate_name(state: u8) -> Option<&'static str> {
    OPER_STATES.get(usize::from(state)).copied()
}

/// The names of `flags`, as `ip` prints them (unknown bits as one hex string).
pub fn flag_names(flags: u32) -> impl Iterator<Item = FlagName> {
    let no_carrier = flags & IFF_UP != 0 && flags & IFF_RUNNING == 0;
    let mut rest = flags & !IFF_RUNNING;
    let mut names = Vec::with_capacity(8);
    if no_carrier {
        names.push(FlagName::Known("NO-CARRIER"));
    }
    for (bit, name) in FLAG_NAMES {
        if rest & bit != 0 {
            rest &= !bit;
            names.push(FlagName::Known(name));
        }
    }
    if rest != 0 {
        names.push(FlagName::Other(rest));
    }
    names.into_iter()
}

/// One entry of the flag list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagName {
    /// A flag iproute2 names.
    Known(&'static str),
    /// The remaining bits, printed in hex.
    Other(u32),
}

impl fmt::Display for FlagName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlagName::Known(s) => f.write_str(s),
            FlagName::Other(bits) => write!(f, "{bits:x}"),
        }
    }
}

/// iproute2's names of `ARPHRD_FCFABRIC + N`.
const FCFABRIC_NAMES: [&str; 13] = [
    "fcfb0", "fcfb1", "fcfb2", "fcfb3", "fcfb4", "fcfb5", "fcfb6", "fcfb7", "fcfb8", "fcfb9",
    "fcfb10", "fcfb11", "fcfb12",
];

/// `ARPHRD_*` names as iproute2's `ll_type_n2a` gives them (lib/ll_types.c).
pub fn link_type_name(t: u16) -> Option<&'static str> {
    Some(match t {
        libc::ARPHRD_NETROM => "netrom",
        libc::ARPHRD_ETHER => "ether",
        libc::ARPHRD_EETHER => "eether",
        libc::ARPHRD_AX25 => "ax25",
        libc::ARPHRD_PRONET => "pronet",
        libc::ARPHRD_CHAOS => "chaos",
        libc::ARPHRD_IEEE802 => "ieee802",
        libc::ARPHRD_ARCNET => "arcnet",
        libc::ARPHRD_APPLETLK => "atalk",
        libc::ARPHRD_DLCI => "dlci",
        libc::ARPHRD_ATM => "atm",
        libc::ARPHRD_METRICOM => "metricom",
        libc::ARPHRD_IEEE1394 => "ieee1394",
        libc::ARPHRD_INFINIBAND => "infiniband",
        libc::ARPHRD_SLIP => "slip",
        libc::ARPHRD_CSLIP => "cslip",
        libc::ARPHRD_SLIP6 => "slip6",
        libc::ARPHRD_CSLIP6 => "cslip6",
        libc::ARPHRD_RSRVD => "rsrvd",
        libc::ARPHRD_ADAPT => "adapt",
        libc::ARPHRD_ROSE => "rose",
        libc::ARPHRD_X25 => "x25",
        libc::ARPHRD_HWX25 => "hwx25",
        libc::ARPHRD_CAN => "can",
        libc::ARPHRD_PPP => "ppp",
        libc::ARPHRD_CISCO => "hdlc",
        libc::ARPHRD_LAPB => "lapb",
        libc::ARPHRD_DDCMP => "ddcmp",
        libc::ARPHRD_RAWHDLC => "rawhdlc",
        libc::ARPHRD_TUNNEL => "ipip",
        libc::ARPHRD_TUNNEL6 => "tunnel6",
        libc::ARPHRD_FRAD => "frad",
        libc::ARPHRD_SKIP => "skip",
        libc::ARPHRD_LOOPBACK => "loopback",
        libc::ARPHRD_LOCALTLK => "ltalk",
        libc::ARPHRD_FDDI => "fddi",
        libc::ARPHRD_BIF => "bif",
        libc::ARPHRD_SIT => "sit",
        libc::ARPHRD_IPDDP => "ip/ddp",
        libc::ARPHRD_IPGRE => "gre",
        libc::ARPHRD_PIMREG => "pimreg",
        libc::ARPHRD_HIPPI => "hippi",
        libc::ARPHRD_ASH => "ash",
        libc::ARPHRD_ECONET => "econet",
        libc::ARPHRD_IRDA => "irda",
        libc::ARPHRD_FCPP => "fcpp",
        libc::ARPHRD_FCAL => "fcal",
        libc::ARPHRD_FCPL => "fcpl",
        // iproute2 names ARPHRD_FCFABRIC and the eleven Fibre Channel fabric types after it by
        // their offset from it.
        t if (libc::ARPHRD_FCFABRIC..=libc::ARPHRD_FCFABRIC + 12).contains(&t) => {
            FCFABRIC_NAMES[usize::from(t - libc::ARPHRD_FCFABRIC)]
        }
        libc::ARPHRD_IEEE802_TR => "tr",
        libc::ARPHRD_IEEE80211 => "ieee802.11",
        libc::ARPHRD_IEEE80211_PRISM => "ieee802.11/prism",
        libc::ARPHRD_IEEE80211_RADIOTAP => "ieee802.11/radiotap",
        libc::ARPHRD_IEEE802154 => "ieee802.15.4",
        ARPHRD_IEEE802154_MONITOR => "ieee802.15.4/monitor",
        ARPHRD_PHONET => "phonet",
        ARPHRD_PHONET_PIPE => "phonet_pipe",
        ARPHRD_CAIF => "caif",
        ARPHRD_IP6GRE => "gre6",
        ARPHRD_NETLINK => "netlink",
        ARPHRD_6LOWPAN => "6lowpan",
        ARPHRD_NONE => "none",
        ARPHRD_VOID => "void",
        _ => return None,
    })
}

/// A link-layer address formatted as `ip` does: IPv4/IPv6 text for IP tunnels, else hex with
/// colons.
pub struct LinkAddress<'a> {
    /// Raw address bytes.
    pub bytes: &'a [u8],
    /// `ARPHRD_*` type of the link.
    pub link_type: u16,
}

impl fmt::Display for LinkAddress<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::uapi::if_arp::ARPHRD_IP6GRE as IP6GRE;
        use libc::{
            ARPHRD_IPGRE as IPGRE, ARPHRD_SIT as SIT, ARPHRD_TUNNEL as TUNNEL,
            ARPHRD_TUNNEL6 as TUNNEL6,
        };
        let b = self.bytes;
        if let Ok(v4) = <[u8; 4]>::try_from(b)
            && matches!(self.link_type, TUNNEL | SIT | IPGRE)
        {
            return std::net::Ipv4Addr::from(v4).fmt(f);
        }
        if let Ok(v6) = <[u8; 16]>::try_from(b)
            && matches!(self.link_type, TUNNEL6 | IP6GRE)
        {
            return std::net::Ipv6Addr::from(v6).fmt(f);
        }
        for (i, byte) in b.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

/// A link type as `ip` names it, `[N]` when it has no name.
pub(super) struct LinkTypeName(pub(super) u16);

impl fmt::Display for LinkTypeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match link_type_name(self.0) {
            Some(name) => f.write_str(name),
            None => write!(f, "[{}]", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_types_by_their_kernel_numbers() {
        // Numbers from include/uapi/linux/if_arp.h, names from iproute2's lib/ll_types.c.
        for (number, name) in [
            (1, "ether"),
            (513, "hdlc"),
            (772, "loopback"),
            (787, "fcfb0"),
            (788, "fcfb1"),
            (799, "fcfb12"),
            (805, "ieee802.15.4/monitor"),
            (823, "gre6"),
            (824, "netlink"),
            (825, "6lowpan"),
            (0xfffe, "none"),
            (0xffff, "void"),
        ] {
            assert_eq!(link_type_name(number), Some(name), "{number}");
        }
        assert_eq!(link_type_name(9), None);
        let names: Vec<FlagName> = flag_names(0x1 | 0x8 | 0x40 | 0x10000).collect();
        assert_eq!(
            names,
            vec![
                FlagName::Known("LOOPBACK"),
                FlagName::Known("UP"),
                FlagName::Known("LOWER_UP")
            ]
        );
    }

    #[test]
    fn tunnel_addresses_print_as_ip() {
        let a = LinkAddress {
            bytes: &[10, 0, 0, 1],
            link_type: 768,
        };
        assert_eq!(a.to_string(), "10.0.0.1");
        let a = LinkAddress {
            bytes: &[10, 0, 0, 1],
            link_type: 1,
        };
        assert_eq!(a.to_string(), "0a:00:00:01");
        assert_eq!(LinkTypeName(4242).to_string(), "[4242]");
    }
}
