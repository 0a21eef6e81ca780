//! The `ip` statistics of one sample: per-interface metadata and `struct rtnl_link_stats64`
//! counters, described with the keys, order and omission rules of `ip -s -s -j link`
//! (iproute2's ip/ipaddress.c), and the iproute2 names of flags, states and link types.

pub mod names;
pub mod vf;

use std::sync::Arc;

pub use self::names::{
    FlagName, GroupName, LinkAddress, flag_names, link_type_name, linkmode_name, operstate_name,
    split_name,
};
use self::names::{Hex, IFF_POINTOPOINT, IFF_UP, LinkTypeName};
pub use self::vf::{ProgInfo, VfEntry, VfInfo, VfStats, VfVlan, Xdp, XdpProg};
use super::describe::{Describe, ELEMENT, Field, Unit, Visitor};

/// Declares [`LinkStats64`] with its counters in `struct rtnl_link_stats64` order, once, for
/// both the struct and its decoder.
macro_rules! link_stats64 {
    ($($field:ident),* $(,)?) => {
        /// Counters of `struct rtnl_link_stats64` (include/uapi/linux/if_link.h), kernel names.
        ///
        /// Kernels before 6.9 send the struct without `rx_otherhost_dropped`; missing trailing
        /// fields read as zero, as iproute2 does.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub struct LinkStats64 {
            $(pub $field: u64,)*
        }

        impl LinkStats64 {
            /// Number of counters in the newest `struct rtnl_link_stats64` known here.
            pub const COUNTERS: usize = [$(stringify!($field)),*].len();

            /// Decode a `struct rtnl_link_stats64` payload: native-endian `__u64` counters in
            /// declaration order. A shorter payload (older kernel) leaves the missing trailing
            /// counters zero; counters a newer kernel appends are ignored. On the hot path (one
            /// call per interface per sample), so it reads straight from the bytes.
            pub fn decode(payload: &[u8]) -> LinkStats64 {
                let mut words = payload
                    .chunks_exact(8)
                    .map(|b| u64::from_ne_bytes(b.try_into().unwrap_or_default()));
                LinkStats64 {
                    $($field: words.next().unwrap_or(0),)*
                }
            }
        }
    };
}

link_stats64!(
    rx_packets,
    tx_packets,
    rx_bytes,
    tx_bytes,
    rx_errors,
    tx_errors,
    rx_dropped,
    tx_dropped,
    multicast,
    collisions,
    rx_length_errors,
    rx_over_errors,
    rx_crc_errors,
    rx_frame_errors,
    rx_fifo_errors,
    rx_missed_errors,
    tx_aborted_errors,
    tx_carrier_errors,
    tx_fifo_errors,
    tx_heartbeat_errors,
    tx_window_errors,
    rx_compressed,
    tx_compressed,
    rx_nohandler,
    rx_otherhost_dropped,
);

/// What changes only when the kernel announces a link change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkMeta {
    /// Interface index.
    pub ifindex: u32,
    /// Interface name (`IFLA_IFNAME`); invalid UTF-8 replaced by U+FFFD.
    pub ifname: String,
    /// The name's exact bytes, only when they are not valid UTF-8 (JSON `ifname_bytes`, hex).
    pub ifname_bytes: Option<Vec<u8>>,
    /// `IFF_*` flags of `struct ifinfomsg`.
    pub flags: u32,
    /// `IFLA_MTU`.
    pub mtu: Option<u32>,
    /// `IFLA_QDISC`: the root qdisc's kind.
    pub qdisc: Option<String>,
    /// `IFLA_OPERSTATE` (RFC 2863 state, `IF_OPER_*`).
    pub operstate: Option<u8>,
    /// `IFLA_TXQLEN`.
    pub txqlen: Option<u32>,
    /// `IFLA_LINKMODE` (`IF_LINK_MODE_*`).
    pub linkmode: Option<u8>,
    /// `IFLA_GROUP`: the interface group.
    pub group: Option<u32>,
    /// `IFLA_PERM_ADDRESS`: the permanent hardware address, raw bytes.
    pub perm_address: Option<Vec<u8>>,
    /// `IFLA_PROTO_DOWN`: the protocol has put the link down (`ip link set … protodown on`).
    pub proto_down: Option<u8>,
    /// `IFLA_PROTO_DOWN_REASON` / `IFLA_PROTO_DOWN_REASON_VALUE`: the bit set of reasons.
    pub proto_down_reason: Option<u32>,
    /// `IFLA_XDP`, when a program is attached (`IFLA_XDP_ATTACHED` not `XDP_ATTACHED_NONE`).
    pub xdp: Option<Xdp>,
    /// `IFLA_PARENT_DEV_BUS_NAME`: the bus of the device the link belongs to (`pci`, `virtio`).
    pub parent_bus: Option<String>,
    /// `IFLA_PARENT_DEV_NAME`: that device's name on its bus.
    pub parent_dev: Option<String>,
    /// `IFLA_NUM_VF`: the number of virtual functions.
    pub num_vf: Option<u32>,
    /// `IFLA_VFINFO_LIST`: the virtual functions.
    pub vfinfo_list: Option<Vec<VfEntry>>,
    /// `IFLA_IFALIAS`: the link's alias (`ip link set … alias …`).
    pub ifalias: Option<String>,
    /// `IFLA_PROP_LIST` / `IFLA_ALT_IFNAME`: alternative names, in the kernel's order.
    pub altnames: Vec<String>,
    /// `ARPHRD_*` link type.
    pub link_type: u16,
    /// `IFLA_ADDRESS`, raw bytes.
    pub address: Option<Vec<u8>>,
    /// `IFLA_BROADCAST` (the peer for point-to-point links), raw bytes.
    pub broadcast: Option<Vec<u8>>,
    /// `IFLA_CARRIER_CHANGES`.
    pub carrier_changes: Option<u32>,
    /// `IFLA_LINK`: the ifindex of the link this one sits on (veth peer, VLAN parent, …).
    pub link: Option<u32>,
    /// `IFLA_LINK_NETNSID`: set when `link` is in another network namespace.
    pub link_netnsid: Option<i32>,
    /// `IFLA_MASTER`: the ifindex of the bridge or bond this link is enslaved to.
    pub master: Option<u32>,
    /// Resolved from the other links of the same dump: the name of `link` (when in this
    /// namespace), the name of `master`, and whether `link` is down (`M-DOWN`).
    pub resolved: Resolved,
}

/// What a link's metadata says about other links, resolved against the whole link list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolved {
    /// Name of the `IFLA_LINK` interface; `if<N>` when it is unknown.
    pub link_name: Option<String>,
    /// Name of the master interface; `if<N>` when it is unknown.
    pub master_name: Option<String>,
    /// The `IFLA_LINK` interface in this namespace is not up (iproute2's `M-DOWN`).
    pub link_down: bool,
}

/// Fill in [`LinkMeta::resolved`] for every link of `links` (sorted by ifindex), as iproute2
/// does: names of unknown indexes read `if<N>`, and an unknown parent counts as down.
pub fn resolve_links(links: &mut [LinkMeta]) {
    let find = |links: &[LinkMeta], index: u32| {
        links
            .binary_search_by_key(&index, |l| l.ifindex)
            .ok()
            .map(|i| (links[i].ifname.clone(), links[i].flags))
    };
    for i in 0..links.len() {
        let mut r = Resolved::default();
        if let Some(parent) = links[i].link.filter(|&p| p != 0)
            && links[i].link_netnsid.is_none()
        {
            let found = find(links, parent);
            r.link_down = found.as_ref().is_none_or(|(_, flags)| flags & IFF_UP == 0);
            r.link_name = Some(found.map_or_else(|| format!("if{parent}"), |(name, _)| name));
        }
        if let Some(master) = links[i].master {
            r.master_name =
                Some(find(links, master).map_or_else(|| format!("if{master}"), |(name, _)| name));
        }
        links[i].resolved = r;
    }
}

/// One interface of one sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSample {
    /// Metadata, shared between samples until the link changes.
    pub link: Arc<LinkMeta>,
    /// Counters; `None` when the kernel sent none for this link.
    pub stats64: Option<LinkStats64>,
}

// ---- Fields, in `ip -s -s -j link` order ----

const IFINDEX: Field = Field::label("ifindex");
const LINK: Field = Field::label("link");
const LINK_INDEX: Field = Field::label("link_index");
const IFNAME: Field = Field::label("ifname");
const IFNAME_BYTES: Field = Field::label("ifname_bytes");
const FLAGS: Field = Field::label("flags");
const MTU: Field = Field::gauge("mtu", Unit::Bytes);
const QDISC: Field = Field::label("qdisc");
const MASTER: Field = Field::label("master");
const OPERSTATE: Field = Field::label("operstate");
const OPERSTATE_INDEX: Field = Field::label("operstate_index");
const TXQLEN: Field = Field::gauge("txqlen", Unit::Packets);
const LINKMODE: Field = Field::label("linkmode");
const LINKMODE_INDEX: Field = Field::label("linkmode_index");
const GROUP: Field = Field::label("group");
const PERMADDR: Field = Field::label("permaddr");
const LINK_NETNSID: Field = Field::label("link_netnsid");
const PROTO_DOWN: Field = Field::label("proto_down");
const PROTO_DOWN_REASON: Field = Field::label("proto_down_reason");
const VFINFO_LIST: Field = Field::label("vfinfo_list");
const PARENTBUS: Field = Field::label("parentbus");
const PARENTDEV: Field = Field::label("parentdev");
const IFALIAS: Field = Field::label("ifalias");
const ALTNAMES: Field = Field::label("altnames");
const LINK_TYPE: Field = Field::label("link_type");
const ADDRESS: Field = Field::label("address");
const LINK_POINTTOPOINT: Field = Field::label("link_pointtopoint");
const BROADCAST: Field = Field::label("broadcast");
const STATS64: Field = Field::label("stats64");
const RX: Field = Field::label("rx");
const TX: Field = Field::label("tx");
const BYTES: Field = Field::counter("bytes", Unit::Bytes);
const PACKETS: Field = Field::counter("packets", Unit::Packets);
const ERRORS: Field = Field::counter("errors", Unit::Packets);
const DROPPED: Field = Field::counter("dropped", Unit::Packets);
const OVER_ERRORS: Field = Field::counter("over_errors", Unit::Packets);
const MULTICAST: Field = Field::counter("multicast", Unit::Packets);
const COMPRESSED: Field = Field::counter("compressed", Unit::Packets);
const LENGTH_ERRORS: Field = Field::counter("length_errors", Unit::Packets);
const CRC_ERRORS: Field = Field::counter("crc_errors", Unit::Packets);
const FRAME_ERRORS: Field = Field::counter("frame_errors", Unit::Packets);
const FIFO_ERRORS: Field = Field::counter("fifo_errors", Unit::Packets);
const MISSED_ERRORS: Field = Field::counter("missed_errors", Unit::Packets);
const NOHANDLER: Field = Field::counter("nohandler", Unit::Packets);
const OTHERHOST: Field = Field::counter("otherhost", Unit::Packets);
const CARRIER_ERRORS: Field = Field::counter("carrier_errors", Unit::Packets);
const COLLISIONS: Field = Field::counter("collisions", Unit::Packets);
const ABORTED_ERRORS: Field = Field::counter("aborted_errors", Unit::Packets);
const WINDOW_ERRORS: Field = Field::counter("window_errors", Unit::Packets);
const HEARTBEAT_ERRORS: Field = Field::counter("heartbeat_errors", Unit::Packets);
const CARRIER_CHANGES: Field = Field::counter("carrier_changes", Unit::None);

impl LinkMeta {
    /// The metadata keys of a link element, in `ip -j` order.
    fn describe_meta<V: Visitor>(&self, v: &mut V) {
        v.u64(&IFINDEX, self.ifindex.into());
        match (self.link, self.link_netnsid, &self.resolved.link_name) {
            (Some(0), _, _) => v.null(&LINK),
            (Some(index), Some(_), _) => v.u64(&LINK_INDEX, index.into()),
            (Some(_), None, Some(name)) => v.str(&LINK, name),
            _ => {}
        }
        v.str(&IFNAME, &self.ifname);
        if let Some(bytes) = &self.ifname_bytes {
            v.display(&IFNAME_BYTES, &Hex(bytes));
        }
        v.begin_list(&FLAGS);
        for name in flag_names(self.flags) {
            match name {
                FlagName::Known(n) => v.str(&ELEMENT, n),
                FlagName::Other(_) => v.display(&ELEMENT, &name),
            }
        }
        if self.resolved.link_down {
            v.str(&ELEMENT, "M-DOWN");
        }
        v.end();
        if let Some(mtu) = self.mtu {
            v.u64(&MTU, mtu.into());
        }
        if let Some(xdp) = &self.xdp {
            xdp.describe(v);
        }
        if let Some(q) = &self.qdisc {
            v.str(&QDISC, q);
        }
        if let Some(master) = &self.resolved.master_name {
            v.str(&MASTER, master);
        }
        if let Some(state) = self.operstate {
            match operstate_name(state) {
                Some(name) => v.str(&OPERSTATE, name),
                None => v.u64(&OPERSTATE_INDEX, state.into()),
            }
        }
        if let Some(mode) = self.linkmode {
            match linkmode_name(mode) {
                Some(name) => v.str(&LINKMODE, name),
                None => v.u64(&LINKMODE_INDEX, mode.into()),
            }
        }
        if let Some(group) = self.group {
            v.display(&GROUP, &GroupName(group));
        }
        // iproute2 prints the queue length only when it is not zero.
        if let Some(q) = self.txqlen.filter(|&q| q != 0) {
            v.u64(&TXQLEN, q.into());
        }
        v.display(&LINK_TYPE, &LinkTypeName(self.link_type));
        if let Some(a) = &self.address {
            let addr = LinkAddress {
                bytes: a,
                link_type: self.link_type,
            };
            v.display(&ADDRESS, &addr);
        }
        if let Some(b) = &self.broadcast {
            if self.flags & IFF_POINTOPOINT != 0 {
                v.bool(&LINK_POINTTOPOINT, true);
            }
            let addr = LinkAddress {
                bytes: b,
                link_type: self.link_type,
            };
            v.display(&BROADCAST, &addr);
        }
        // The permanent address only when it is not the current one.
        if let Some(perm) = self
            .perm_address
            .as_ref()
            .filter(|p| self.address.as_ref() != Some(*p))
        {
            let addr = LinkAddress {
                bytes: perm,
                link_type: self.link_type,
            };
            v.display(&PERMADDR, &addr);
        }
        if let Some(id) = self.link_netnsid {
            v.i64(&LINK_NETNSID, id.into());
        }
        if self.proto_down.is_some_and(|d| d != 0) {
            v.bool(&PROTO_DOWN, true);
        }
        if let Some(reason) = self.proto_down_reason {
            // iproute2 (6.1 to 6.15) reads the reasons as a u8 (the first byte of the value:
            // reasons 0 to 7), and looks for the value in the link's own attribute table, where
            // its type (2) is IFLA_BROADCAST: it prints reasons only for a link with a
            // broadcast address. Reasons print as their bit numbers, the names ip takes from
            // /etc/iproute2/protodown_reasons.d are not read.
            let byte = reason.to_ne_bytes()[0];
            if byte != 0 && self.broadcast.is_some() {
                v.begin_list(&PROTO_DOWN_REASON);
                for bit in (0..8).filter(|b| byte & (1 << b) != 0) {
                    v.display(&ELEMENT, &bit);
                }
                v.end();
            }
        }
        // ip prints the parent device only with -d, at this place; netstatspy always does.
        if let Some(bus) = &self.parent_bus {
            v.str(&PARENTBUS, bus);
        }
        if let Some(dev) = &self.parent_dev {
            v.str(&PARENTDEV, dev);
        }
        if let Some(alias) = &self.ifalias {
            v.str(&IFALIAS, alias);
        }
    }

    /// What ip prints after the counters: the virtual functions and the alternative names.
    fn describe_after_stats<V: Visitor>(&self, v: &mut V) {
        if let (Some(list), Some(_)) = (&self.vfinfo_list, self.num_vf) {
            v.begin_list(&VFINFO_LIST);
            for vf in list {
                vf.describe(self.link_type, self.flags, v);
            }
            v.end();
        }
        if !self.altnames.is_empty() {
            v.begin_list(&ALTNAMES);
            for name in &self.altnames {
                v.str(&ELEMENT, name);
            }
            v.end();
        }
    }
}

impl LinkStats64 {
    /// `stats64.rx` and `stats64.tx` as ip prints them: a few counters only when not zero, and
    /// the link's carrier changes at the end of `tx`.
    fn describe_rx_tx<V: Visitor>(&self, carrier_changes: Option<u32>, v: &mut V) {
        let s = self;
        v.begin_object(&RX);
        v.u64(&BYTES, s.rx_bytes);
        v.u64(&PACKETS, s.rx_packets);
        v.u64(&ERRORS, s.rx_errors);
        v.u64(&DROPPED, s.rx_dropped);
        v.u64(&OVER_ERRORS, s.rx_over_errors);
        v.u64(&MULTICAST, s.multicast);
        if s.rx_compressed != 0 {
            v.u64(&COMPRESSED, s.rx_compressed);
        }
        v.u64(&LENGTH_ERRORS, s.rx_length_errors);
        v.u64(&CRC_ERRORS, s.rx_crc_errors);
        v.u64(&FRAME_ERRORS, s.rx_frame_errors);
        v.u64(&FIFO_ERRORS, s.rx_fifo_errors);
        v.u64(&MISSED_ERRORS, s.rx_missed_errors);
        if s.rx_nohandler != 0 {
            v.u64(&NOHANDLER, s.rx_nohandler);
        }
        if s.rx_otherhost_dropped != 0 {
            v.u64(&OTHERHOST, s.rx_otherhost_dropped);
        }
        v.end();
        v.begin_object(&TX);
        v.u64(&BYTES, s.tx_bytes);
        v.u64(&PACKETS, s.tx_packets);
        v.u64(&ERRORS, s.tx_errors);
        v.u64(&DROPPED, s.tx_dropped);
        v.u64(&CARRIER_ERRORS, s.tx_carrier_errors);
        v.u64(&COLLISIONS, s.collisions);
        if s.tx_compressed != 0 {
            v.u64(&COMPRESSED, s.tx_compressed);
        }
        v.u64(&ABORTED_ERRORS, s.tx_aborted_errors);
        v.u64(&FIFO_ERRORS, s.tx_fifo_errors);
        v.u64(&WINDOW_ERRORS, s.tx_window_errors);
        v.u64(&HEARTBEAT_ERRORS, s.tx_heartbeat_errors);
        if let Some(cc) = carrier_changes {
            v.u64(&CARRIER_CHANGES, cc.into());
        }
        v.end();
    }
}

impl Describe for LinkSample {
    fn describe<V: Visitor>(&self, v: &mut V) {
        // Metadata changes only with the link: outputs may render it once per change.
        v.shared(&self.link, 0, |v| self.link.describe_meta(v));
        if let Some(st) = &self.stats64 {
            v.begin_object(&STATS64);
            st.describe_rx_tx(self.link.carrier_changes, v);
            v.end();
        }
        v.shared(&self.link, 1, |v| self.link.describe_after_stats(v));
    }
}
