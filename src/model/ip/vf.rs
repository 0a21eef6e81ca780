//! Virtual functions of an SR-IOV device (`IFLA_VFINFO_LIST`) and the interface's XDP programs
//! (`IFLA_XDP`), with the keys, order and omission rules of `ip -s -s -j link`
//! (iproute2's `print_vfinfo`, `print_vf_stats64` in ip/ipaddress.c and `xdp_dump` in
//! ip/iplink_xdp.c).

use std::sync::Arc;

use super::names::{Hex, LinkAddress, LinkTypeName};
use crate::model::describe::{ELEMENT, Field, Unit, Visitor};

/// What the kernel says of one BPF program (`struct bpf_prog_info`), the part ip prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgInfo {
    /// `name`: the name it was loaded with (up to 15 bytes).
    pub name: String,
    /// `tag`: the hash of its instructions.
    pub tag: [u8; 8],
    /// `jited_prog_len != 0`: it was compiled to machine code.
    pub jited: bool,
}

/// An attached XDP program: its id, and what the kernel said of it when it could be asked
/// (`None` without `CAP_SYS_ADMIN`, on replay, or when it went away meanwhile).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XdpProg {
    /// The program id of the `IFLA_XDP_*PROG_ID` attribute.
    pub id: u32,
    /// Its name, tag and jited state.
    pub info: Option<Arc<ProgInfo>>,
}

impl XdpProg {
    /// A program known only by its id.
    pub fn new(id: u32) -> XdpProg {
        XdpProg { id, info: None }
    }
}

/// `IFLA_XDP` of a link with a program attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Xdp {
    /// `IFLA_XDP_ATTACHED`: `XDP_ATTACHED_*` (1 native, 2 generic, 3 offloaded, 4 several).
    pub mode: u8,
    /// `IFLA_XDP_PROG_ID`: the program, when only one is attached.
    pub prog: Option<XdpProg>,
    /// `IFLA_XDP_SKB_PROG_ID`: the generic (skb) program.
    pub skb: Option<XdpProg>,
    /// `IFLA_XDP_DRV_PROG_ID`: the native (driver) program.
    pub drv: Option<XdpProg>,
    /// `IFLA_XDP_HW_PROG_ID`: the offloaded program.
    pub hw: Option<XdpProg>,
}

impl Xdp {
    /// Every program of the attachment, to fill in their information.
    pub fn programs_mut(&mut self) -> impl Iterator<Item = &mut XdpProg> {
        [&mut self.prog, &mut self.skb, &mut self.drv, &mut self.hw]
            .into_iter()
            .flatten()
    }
}

/// One VLAN of a VF's `IFLA_VF_VLAN_LIST` (`struct ifla_vf_vlan_info`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VfVlan {
    /// `vlan`.
    pub vlan: u32,
    /// `qos`.
    pub qos: u32,
    /// `vlan_proto`, converted to host order.
    pub proto: u16,
}

/// `IFLA_VF_STATS` counters; `None` for one the kernel did not send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[allow(missing_docs)]
pub struct VfStats {
    pub rx_bytes: Option<u64>,
    pub rx_packets: Option<u64>,
    pub multicast: Option<u64>,
    pub broadcast: Option<u64>,
    pub rx_dropped: Option<u64>,
    pub tx_bytes: Option<u64>,
    pub tx_packets: Option<u64>,
    pub tx_dropped: Option<u64>,
}

/// One VF of `IFLA_VFINFO_LIST` (an `IFLA_VF_INFO` nest). Each value is `None` when its
/// attribute was absent; structs shorter than their layout read as zero past their end.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VfInfo {
    /// `IFLA_VF_MAC`: `vf` and the 32 bytes of `mac`.
    pub mac: Option<(u32, [u8; 32])>,
    /// `IFLA_VF_BROADCAST`: 32 bytes.
    pub broadcast: Option<[u8; 32]>,
    /// `IFLA_VF_VLAN`: `vlan`, `qos`.
    pub vlan: Option<(u32, u32)>,
    /// `IFLA_VF_VLAN_LIST`.
    pub vlan_list: Option<Vec<VfVlan>>,
    /// `IFLA_VF_TX_RATE`: `rate` (Mbit/s).
    pub tx_rate: Option<u32>,
    /// `IFLA_VF_RATE`: `min_tx_rate`, `max_tx_rate` (Mbit/s).
    pub rate: Option<(u32, u32)>,
    /// `IFLA_VF_SPOOFCHK`: `setting` (`u32::MAX`: not reported).
    pub spoofchk: Option<u32>,
    /// `IFLA_VF_IB_NODE_GUID`: `guid`.
    pub node_guid: Option<u64>,
    /// `IFLA_VF_IB_PORT_GUID`: `guid`.
    pub port_guid: Option<u64>,
    /// `IFLA_VF_LINK_STATE`: `IFLA_VF_LINK_STATE_*`.
    pub link_state: Option<u32>,
    /// `IFLA_VF_TRUST`: `setting` (`u32::MAX`: not reported).
    pub trust: Option<u32>,
    /// `IFLA_VF_RSS_QUERY_EN`: `setting` (`u32::MAX`: not reported).
    pub rss_query_en: Option<u32>,
    /// `IFLA_VF_STATS`.
    pub stats: Option<VfStats>,
}

/// An entry of `IFLA_VFINFO_LIST`: a VF, or an attribute of another type, which ip prints as
/// an empty object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VfEntry {
    /// An `IFLA_VF_INFO` nest.
    Vf(Box<VfInfo>),
    /// Any other attribute.
    Other,
}

const XDP: Field = Field::label("xdp");
const MODE: Field = Field::label("mode");
const PROG: Field = Field::label("prog");
const ATTACHED: Field = Field::label("attached");
const ID: Field = Field::label("id");
const NAME: Field = Field::label("name");
const TAG: Field = Field::label("tag");
const JITED: Field = Field::label("jited");

const VF: Field = Field::label("vf");
const LINK_TYPE: Field = Field::label("link_type");
const ADDRESS: Field = Field::label("address");
const LINK_POINTTOPOINT: Field = Field::label("link_pointtopoint");
const BROADCAST_ADDR: Field = Field::label("broadcast");
const VLAN_LIST: Field = Field::label("vlan_list");
const VLAN: Field = Field::label("vlan");
const QOS: Field = Field::label("qos");
const PROTOCOL: Field = Field::label("protocol");
const TX_RATE: Field = Field::gauge("tx_rate", Unit::None);
const RATE: Field = Field::label("rate");
const MAX_TX: Field = Field::gauge("max_tx", Unit::None);
const MIN_TX: Field = Field::gauge("min_tx", Unit::None);
const SPOOFCHK: Field = Field::label("spoofchk");
const NODE_GUID: Field = Field::label("node guid");
const PORT_GUID: Field = Field::label("port guid");
const LINK_STATE: Field = Field::label("link_state");
const TRUST: Field = Field::label("trust");
const QUERY_RSS_EN: Field = Field::label("query_rss_en");
const STATS: Field = Field::label("stats");
const RX: Field = Field::label("rx");
const TX: Field = Field::label("tx");
const BYTES: Field = Field::counter("bytes", Unit::Bytes);
const PACKETS: Field = Field::counter("packets", Unit::Packets);
const MULTICAST: Field = Field::counter("multicast", Unit::Packets);
const BROADCAST: Field = Field::counter("broadcast", Unit::Packets);
const DROPPED: Field = Field::counter("dropped", Unit::Packets);
const TX_BYTES: Field = Field::counter("tx_bytes", Unit::Bytes);
const TX_PACKETS: Field = Field::counter("tx_packets", Unit::Packets);

use crate::uapi::if_link::{
    IFLA_VF_LINK_STATE_AUTO, IFLA_VF_LINK_STATE_ENABLE, XDP_ATTACHED_DRV, XDP_ATTACHED_HW,
    XDP_ATTACHED_SKB,
};

fn describe_prog<V: Visitor>(prog: &XdpProg, v: &mut V) {
    v.begin_object(&PROG);
    v.u64(&ID, prog.id.into());
    if let Some(info) = &prog.info {
        v.str(&NAME, &info.name);
        v.display(&TAG, &Hex(&info.tag));
        v.u64(&JITED, info.jited.into());
    }
    v.end();
}

impl Xdp {
    /// The `xdp` object ip prints after `mtu` (nothing when no program is attached).
    pub(super) fn describe<V: Visitor>(&self, v: &mut V) {
        v.begin_object(&XDP);
        v.u64(&MODE, self.mode.into());
        if let Some(prog) = self.prog.as_ref().filter(|p| p.id != 0) {
            describe_prog(prog, v);
        }
        v.begin_list(&ATTACHED);
        let one = |prog: &XdpProg, mode: u8, v: &mut V| {
            v.begin_object(&ELEMENT);
            v.u64(&MODE, mode.into());
            describe_prog(prog, v);
            v.end();
        };
        if self.skb.is_some() || self.drv.is_some() || self.hw.is_some() {
            for (prog, mode) in [
                (&self.skb, XDP_ATTACHED_SKB),
                (&self.drv, XDP_ATTACHED_DRV),
                (&self.hw, XDP_ATTACHED_HW),
            ] {
                if let Some(prog) = prog {
                    one(prog, mode, v);
                }
            }
        } else if let Some(prog) = &self.prog {
            // Kernels before 4.19 report the one program by IFLA_XDP_PROG_ID only.
            one(prog, self.mode, v);
        }
        v.end();
        v.end();
    }
}

/// `ETH_P_8021Q`, the VLAN protocol ip does not print.
const ETH_P_8021Q: u16 = 0x8100;
/// `ETH_P_8021AD`.
const ETH_P_8021AD: u16 = 0x88a8;

/// A VLAN protocol as ip's `ll_proto_n2a` names it: the kernel accepts only 802.1Q and
/// 802.1ad for a VF, so only 802.1ad is named here; any other number is printed as `[N]`.
struct VlanProto(u16);

impl std::fmt::Display for VlanProto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            ETH_P_8021AD => f.write_str("802.1ad"),
            n => write!(f, "[{n}]"),
        }
    }
}

/// A setting ip prints as a boolean unless it is -1 (not reported by the driver).
fn setting<V: Visitor>(field: &'static Field, value: Option<u32>, v: &mut V) {
    if let Some(s) = value.filter(|&s| s != u32::MAX) {
        v.bool(field, s != 0);
    }
}

impl VfEntry {
    /// One element of `vfinfo_list`, for a link of `link_type` with `flags`.
    pub(super) fn describe<V: Visitor>(&self, link_type: u16, flags: u32, v: &mut V) {
        v.begin_object(&ELEMENT);
        if let VfEntry::Vf(vf) = self {
            vf.describe(link_type, flags, v);
        }
        v.end();
    }
}

impl VfInfo {
    fn describe<V: Visitor>(&self, link_type: u16, flags: u32, v: &mut V) {
        // ip prints an Ethernet VF's addresses with 6 bytes, any other with InfiniBand's 20.
        let len = if link_type == libc::ARPHRD_ETHER {
            6
        } else {
            20
        };
        fn addr(bytes: &[u8; 32], len: usize, link_type: u16) -> LinkAddress<'_> {
            LinkAddress {
                bytes: &bytes[..len],
                link_type,
            }
        }
        if let Some((vf, mac)) = &self.mac {
            v.i64(&VF, (*vf as i32).into());
            v.display(&LINK_TYPE, &LinkTypeName(link_type));
            v.display(&ADDRESS, &addr(mac, len, link_type));
        } else {
            v.display(&LINK_TYPE, &LinkTypeName(link_type));
        }
        if let Some(b) = &self.broadcast {
            if flags & (libc::IFF_POINTOPOINT as u32) != 0 {
                v.bool(&LINK_POINTTOPOINT, true);
            }
            v.display(&BROADCAST_ADDR, &addr(b, len, link_type));
        }
        if let Some(list) = &self.vlan_list {
            v.begin_list(&VLAN_LIST);
            for vlan in list {
                v.begin_object(&ELEMENT);
                if vlan.vlan != 0 {
                    v.i64(&VLAN, (vlan.vlan as i32).into());
                }
                if vlan.qos != 0 {
                    v.i64(&QOS, (vlan.qos as i32).into());
                }
                if vlan.proto != 0 && vlan.proto != ETH_P_8021Q {
                    v.display(&PROTOCOL, &VlanProto(vlan.proto));
                }
                v.end();
            }
            v.end();
        } else if let Some((vlan, qos)) = self.vlan {
            if vlan != 0 {
                v.i64(&VLAN, (vlan as i32).into());
            }
            if qos != 0 {
                v.i64(&QOS, (qos as i32).into());
            }
        }
        if let Some(rate) = self.tx_rate.filter(|&r| r != 0) {
            v.u64(&TX_RATE, rate.into());
        }
        if let Some((min, max)) = self.rate {
            v.begin_object(&RATE);
            v.u64(&MAX_TX, max.into());
            v.u64(&MIN_TX, min.into());
            v.end();
        }
        setting(&SPOOFCHK, self.spoofchk, v);
        for (field, guid) in [(&NODE_GUID, self.node_guid), (&PORT_GUID, self.port_guid)] {
            if let Some(guid) = guid {
                let bytes = guid.to_be_bytes();
                let a = LinkAddress {
                    bytes: &bytes,
                    link_type: libc::ARPHRD_INFINIBAND,
                };
                v.display(field, &a);
            }
        }
        if let Some(state) = self.link_state {
            v.str(
                &LINK_STATE,
                match state {
                    IFLA_VF_LINK_STATE_AUTO => "auto",
                    IFLA_VF_LINK_STATE_ENABLE => "enable",
                    _ => "disable",
                },
            );
        }
        setting(&TRUST, self.trust, v);
        setting(&QUERY_RSS_EN, self.rss_query_en, v);
        if let Some(s) = &self.stats {
            let put = |field: &'static Field, value: Option<u64>, v: &mut V| {
                if let Some(n) = value {
                    v.u64(field, n);
                }
            };
            v.begin_object(&STATS);
            v.begin_object(&RX);
            put(&BYTES, s.rx_bytes, v);
            put(&PACKETS, s.rx_packets, v);
            put(&MULTICAST, s.multicast, v);
            put(&BROADCAST, s.broadcast, v);
            put(&DROPPED, s.rx_dropped, v);
            v.end();
            v.begin_object(&TX);
            put(&TX_BYTES, s.tx_bytes, v);
            put(&TX_PACKETS, s.tx_packets, v);
            put(&DROPPED, s.tx_dropped, v);
            v.end();
            v.end();
        }
    }
}
