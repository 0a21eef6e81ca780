//! Link messages: `RTM_NEWLINK` (metadata and counters) and `RTM_NEWSTATS` (counters only),
//! decoded into the model's link types. Shared by every reader that needs links (ip for its
//! records, tc for interface names).

use netlink_packet_core::NlasIterator;
use netlink_packet_route::link::LinkHeader;

use crate::model::ip::{
    LinkMeta, LinkStats64, VfEntry, VfInfo, VfStats, VfVlan, Xdp, XdpProg, split_name,
};
use crate::netlink::attrs::{Attrs, Padded, each};
use crate::uapi::if_link::{
    IFLA_PARENT_DEV_BUS_NAME, IFLA_PARENT_DEV_NAME, IFLA_PROTO_DOWN_REASON_VALUE,
    IFLA_VF_BROADCAST, IFLA_VF_IB_NODE_GUID, IFLA_VF_IB_PORT_GUID, IFLA_VF_INFO,
    IFLA_VF_LINK_STATE, IFLA_VF_MAC, IFLA_VF_RATE, IFLA_VF_RSS_QUERY_EN, IFLA_VF_SPOOFCHK,
    IFLA_VF_STATS, IFLA_VF_TRUST, IFLA_VF_TX_RATE, IFLA_VF_VLAN, IFLA_VF_VLAN_LIST,
    IFLA_XDP_ATTACHED, IFLA_XDP_DRV_PROG_ID, IFLA_XDP_HW_PROG_ID, IFLA_XDP_PROG_ID,
    IFLA_XDP_SKB_PROG_ID, XDP_ATTACHED_NONE, ifla_vf_guid, ifla_vf_mac, ifla_vf_rate,
    ifla_vf_setting, ifla_vf_stats, ifla_vf_vlan, ifla_vf_vlan_info,
};

use crate::uapi::if_link::{IFLA_STATS_LINK_64, if_stats_msg};
use libc::{
    IFLA_ADDRESS, IFLA_ALT_IFNAME, IFLA_BROADCAST, IFLA_CARRIER_CHANGES, IFLA_GROUP, IFLA_IFALIAS,
    IFLA_IFNAME, IFLA_LINK, IFLA_LINK_NETNSID, IFLA_LINKMODE, IFLA_MASTER, IFLA_MTU, IFLA_NUM_VF,
    IFLA_OPERSTATE, IFLA_PERM_ADDRESS, IFLA_PROP_LIST, IFLA_PROTO_DOWN, IFLA_PROTO_DOWN_REASON,
    IFLA_QDISC, IFLA_STATS64, IFLA_TXQLEN, IFLA_VFINFO_LIST, IFLA_XDP,
};

/// `sizeof(struct ifinfomsg)`: the header before a link's attributes.
const IFINFOMSG_LEN: usize = std::mem::size_of::<libc::ifinfomsg>();

/// Decode the payload of an `RTM_NEWLINK` message (after the netlink header) into metadata and
/// the `IFLA_STATS64` counters. A malformed attribute ends the walk; what came before is kept.
pub fn decode_link(payload: &[u8]) -> Option<(LinkMeta, Option<LinkStats64>)> {
    let header = LinkHeader::parse(payload).ok()?;
    let mut meta = LinkMeta {
        ifindex: header.index,
        flags: header.flags.bits(),
        link_type: u16::from(header.link_layer_type),
        ..LinkMeta::default()
    };
    let mut stats = None;
    for nla in NlasIterator::new(payload.get(IFINFOMSG_LEN..)?) {
        let Ok(nla) = nla else { break };
        let v = nla.value();
        match nla.kind() {
            IFLA_IFNAME => {
                let end = v.iter().position(|&b| b == 0).unwrap_or(v.len());
                (meta.ifname, meta.ifname_bytes) = split_name(&v[..end]);
            }
            IFLA_MTU => meta.mtu = u32_of(v),
            IFLA_QDISC => meta.qdisc = Some(c_string(v)),
            IFLA_TXQLEN => meta.txqlen = u32_of(v),
            IFLA_LINKMODE => meta.linkmode = v.first().copied(),
            IFLA_GROUP => meta.group = u32_of(v),
            IFLA_PERM_ADDRESS => meta.perm_address = Some(v.to_vec()),
            IFLA_PROTO_DOWN => meta.proto_down = v.first().copied(),
            IFLA_PROTO_DOWN_REASON => {
                meta.proto_down_reason =
                    Attrs::<3>::parse(v).u32(usize::from(IFLA_PROTO_DOWN_REASON_VALUE));
            }
            IFLA_XDP => meta.xdp = decode_xdp(v),
            IFLA_NUM_VF => meta.num_vf = u32_of(v),
            IFLA_PARENT_DEV_BUS_NAME => meta.parent_bus = Some(c_string(v)),
            IFLA_PARENT_DEV_NAME => meta.parent_dev = Some(c_string(v)),
            IFLA_VFINFO_LIST => meta.vfinfo_list = Some(decode_vfinfo_list(v)),
            IFLA_IFALIAS => meta.ifalias = Some(c_string(v)),
            IFLA_PROP_LIST => {
                // A nest; only alternative names are in it today.
                meta.altnames = NlasIterator::new(v)
                    .map_while(Result::ok)
                    .filter(|a| a.kind() == IFLA_ALT_IFNAME)
                    .map(|a| c_string(a.value()))
                    .collect();
            }
            IFLA_OPERSTATE => meta.operstate = v.first().copied(),
            IFLA_ADDRESS => meta.address = Some(v.to_vec()),
            IFLA_BROADCAST => meta.broadcast = Some(v.to_vec()),
            IFLA_CARRIER_CHANGES => meta.carrier_changes = u32_of(v),
            IFLA_LINK => meta.link = u32_of(v),
            IFLA_LINK_NETNSID => meta.link_netnsid = u32_of(v).map(|n| n as i32),
            IFLA_MASTER => meta.master = u32_of(v),
            IFLA_STATS64 => stats = Some(LinkStats64::decode(v)),
            _ => {}
        }
    }
    Some((meta, stats))
}

/// Decode the payload of an `RTM_NEWSTATS` message into its ifindex and
/// `IFLA_STATS_LINK_64` counters.
pub fn decode_stats(payload: &[u8]) -> Option<(u32, Option<LinkStats64>)> {
    let head = payload.get(..if_stats_msg::SIZE)?;
    let ifindex = u32_of(&head[if_stats_msg::IFINDEX..])?;
    let mut stats = None;
    for nla in NlasIterator::new(&payload[if_stats_msg::SIZE..]) {
        let Ok(nla) = nla else { break };
        if nla.kind() == IFLA_STATS_LINK_64 {
            stats = Some(LinkStats64::decode(nla.value()));
        }
    }
    Some((ifindex, stats))
}

/// `IFLA_XDP`: `None` when no program is attached.
pub fn decode_xdp(v: &[u8]) -> Option<Xdp> {
    let a = Attrs::<8>::parse(v);
    let mode = a.u8(usize::from(IFLA_XDP_ATTACHED))?;
    if mode == XDP_ATTACHED_NONE {
        return None;
    }
    let prog = |kind: u16| a.u32(usize::from(kind)).map(XdpProg::new);
    Some(Xdp {
        mode,
        prog: prog(IFLA_XDP_PROG_ID),
        skb: prog(IFLA_XDP_SKB_PROG_ID),
        drv: prog(IFLA_XDP_DRV_PROG_ID),
        hw: prog(IFLA_XDP_HW_PROG_ID),
    })
}

/// `IFLA_VFINFO_LIST`: every entry in order, `IFLA_VF_INFO` nests decoded.
pub fn decode_vfinfo_list(v: &[u8]) -> Vec<VfEntry> {
    each(v)
        .map(|(kind, nest)| match kind {
            IFLA_VF_INFO => VfEntry::Vf(Box::new(decode_vf(nest))),
            _ => VfEntry::Other,
        })
        .collect()
}

/// One `IFLA_VF_INFO` nest. Fixed-layout structs shorter than their layout read as zero past
/// their end.
pub fn decode_vf(v: &[u8]) -> VfInfo {
    let a = Attrs::<14>::parse(v);
    let get = |kind: u16| a.get(usize::from(kind));
    let setting = |kind: u16| {
        get(kind).map(|b| Padded::<{ ifla_vf_setting::SIZE }>::new(b).u32(ifla_vf_setting::VALUE))
    };
    let guid = |kind: u16| {
        get(kind).map(|b| Padded::<{ ifla_vf_guid::SIZE }>::new(b).u64(ifla_vf_guid::GUID))
    };
    let bytes32 = |b: &[u8], from: usize| {
        let mut out = [0u8; 32];
        let src = b.get(from..).unwrap_or_default();
        let n = src.len().min(32);
        out[..n].copy_from_slice(&src[..n]);
        out
    };
    VfInfo {
        mac: get(IFLA_VF_MAC).map(|b| {
            let p = Padded::<{ ifla_vf_mac::SIZE }>::new(b);
            (p.u32(ifla_vf_mac::VF), bytes32(b, ifla_vf_mac::MAC))
        }),
        broadcast: get(IFLA_VF_BROADCAST).map(|b| bytes32(b, 0)),
        vlan: get(IFLA_VF_VLAN).map(|b| {
            let p = Padded::<{ ifla_vf_vlan::SIZE }>::new(b);
            (p.u32(ifla_vf_vlan::VLAN), p.u32(ifla_vf_vlan::QOS))
        }),
        vlan_list: get(IFLA_VF_VLAN_LIST).map(|list| {
            // ip reads every entry of the list as a `struct ifla_vf_vlan_info`.
            each(list)
                .map(|(_, b)| {
                    let p = Padded::<{ ifla_vf_vlan_info::SIZE }>::new(b);
                    VfVlan {
                        vlan: p.u32(ifla_vf_vlan_info::VLAN),
                        qos: p.u32(ifla_vf_vlan_info::QOS),
                        proto: u16::from_be(p.u16(ifla_vf_vlan_info::VLAN_PROTO)),
                    }
                })
                .collect()
        }),
        tx_rate: setting(IFLA_VF_TX_RATE),
        rate: get(IFLA_VF_RATE).map(|b| {
            let p = Padded::<{ ifla_vf_rate::SIZE }>::new(b);
            (
                p.u32(ifla_vf_rate::MIN_TX_RATE),
                p.u32(ifla_vf_rate::MAX_TX_RATE),
            )
        }),
        spoofchk: setting(IFLA_VF_SPOOFCHK),
        node_guid: guid(IFLA_VF_IB_NODE_GUID),
        port_guid: guid(IFLA_VF_IB_PORT_GUID),
        link_state: setting(IFLA_VF_LINK_STATE),
        trust: setting(IFLA_VF_TRUST),
        rss_query_en: setting(IFLA_VF_RSS_QUERY_EN),
        stats: get(IFLA_VF_STATS).map(|b| {
            let s = Attrs::<{ ifla_vf_stats::MAX + 1 }>::parse(b);
            VfStats {
                rx_bytes: s.u64(ifla_vf_stats::RX_BYTES),
                rx_packets: s.u64(ifla_vf_stats::RX_PACKETS),
                multicast: s.u64(ifla_vf_stats::MULTICAST),
                broadcast: s.u64(ifla_vf_stats::BROADCAST),
                rx_dropped: s.u64(ifla_vf_stats::RX_DROPPED),
                tx_bytes: s.u64(ifla_vf_stats::TX_BYTES),
                tx_packets: s.u64(ifla_vf_stats::TX_PACKETS),
                tx_dropped: s.u64(ifla_vf_stats::TX_DROPPED),
            }
        }),
    }
}

fn u32_of(v: &[u8]) -> Option<u32> {
    Some(u32::from_ne_bytes(v.get(..4)?.try_into().ok()?))
}

fn c_string(v: &[u8]) -> String {
    let end = v.iter().position(|&b| b == 0).unwrap_or(v.len());
    String::from_utf8_lossy(&v[..end]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ip::LinkSample;
    use crate::netlink::testing::{attribute, emitted, veth_message};
    use std::sync::Arc;

    #[test]
    fn decodes_what_the_crate_emits() {
        let (meta, stats) = decode_link(&emitted(&veth_message())).expect("decode");
        assert_eq!(meta.ifindex, 7);
        assert_eq!(meta.ifname, "va0");
        assert_eq!(meta.mtu, Some(1500));
        assert_eq!(meta.qdisc.as_deref(), Some("noqueue"));
        assert_eq!(meta.operstate, Some(3));
        assert_eq!(meta.txqlen, Some(1000));
        assert_eq!(meta.link_type, 1);
        assert_eq!(meta.address.as_deref(), Some(&[2, 0, 0, 0, 0, 0xab][..]));
        assert_eq!(meta.carrier_changes, Some(3));
        assert_eq!(stats, None);
    }

    #[test]
    fn serialises_like_ip_json() {
        let (meta, _) = decode_link(&emitted(&veth_message())).expect("decode");
        let sample = LinkSample {
            link: Arc::new(meta),
            stats64: Some(LinkStats64 {
                rx_bytes: 10,
                tx_packets: 2,
                rx_nohandler: 4,
                ..Default::default()
            }),
        };
        let mut out = Vec::new();
        crate::output::json::encoder::JsonEncoder::new().object(&sample, &mut out);
        let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
        // UP without RUNNING: iproute2 prints NO-CARRIER first.
        assert_eq!(
            v["flags"],
            serde_json::json!(["NO-CARRIER", "BROADCAST", "MULTICAST", "UP"])
        );
        assert_eq!(v["operstate"], "LOWERLAYERDOWN");
        assert_eq!(v["link_type"], "ether");
        assert_eq!(v["address"], "02:00:00:00:00:ab");
        assert_eq!(v["broadcast"], "ff:ff:ff:ff:ff:ff");
        assert_eq!(v["stats64"]["rx"]["bytes"], 10);
        assert_eq!(v["stats64"]["rx"]["nohandler"], 4);
        assert!(v["stats64"]["rx"].get("otherhost").is_none());
        assert!(v["stats64"]["rx"].get("compressed").is_none());
        assert_eq!(v["stats64"]["tx"]["packets"], 2);
        assert_eq!(v["stats64"]["tx"]["carrier_changes"], 3);
    }

    #[test]
    fn decodes_the_keys_ip_prints_for_some_links_only() {
        use netlink_packet_route::link::{LinkAttribute, LinkMode, Prop};
        let mut m = veth_message();
        m.attributes.extend([
            LinkAttribute::Mode(LinkMode::Dormant),
            LinkAttribute::Group(5),
            LinkAttribute::PermAddress(vec![0x02, 0, 0, 0, 0, 0xcd]),
            LinkAttribute::ProtoDown(1),
            LinkAttribute::IfAlias("uplink".into()),
            LinkAttribute::PropList(vec![
                Prop::AltIfName("va0-long".into()),
                Prop::AltIfName("va0-other".into()),
            ]),
            LinkAttribute::LinkNetNsId(3),
        ]);
        let (meta, _) = decode_link(&emitted(&m)).expect("decode");
        assert_eq!(meta.linkmode, Some(1));
        assert_eq!(meta.group, Some(5));
        assert_eq!(
            meta.perm_address.as_deref(),
            Some(&[2, 0, 0, 0, 0, 0xcd][..])
        );
        assert_eq!(meta.proto_down, Some(1));
        assert_eq!(meta.ifalias.as_deref(), Some("uplink"));
        assert_eq!(meta.altnames, vec!["va0-long", "va0-other"]);
        assert_eq!(meta.link_netnsid, Some(3));
        let sample = LinkSample {
            link: Arc::new(meta),
            stats64: None,
        };
        let mut out = Vec::new();
        crate::output::json::encoder::JsonEncoder::new().object(&sample, &mut out);
        let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
        assert_eq!(v["linkmode"], "DORMANT");
        assert_eq!(v["group"], "5");
        assert_eq!(v["permaddr"], "02:00:00:00:00:cd");
        assert_eq!(v["proto_down"], true);
        assert_eq!(v["ifalias"], "uplink");
        assert_eq!(v["altnames"], serde_json::json!(["va0-long", "va0-other"]));
        assert_eq!(v["link_netnsid"], 3);
    }

    /// The JSON text of a link decoded from `payload`, in the encoder's key order.
    fn link_text(payload: &[u8]) -> String {
        let (meta, _) = decode_link(payload).expect("decode");
        let sample = LinkSample {
            link: Arc::new(meta),
            stats64: None,
        };
        let mut out = Vec::new();
        crate::output::json::encoder::JsonEncoder::new().object(&sample, &mut out);
        String::from_utf8(out).expect("UTF-8")
    }

    /// The JSON of a link decoded from `payload`.
    fn link_json(payload: &[u8]) -> serde_json::Value {
        serde_json::from_str(&link_text(payload)).expect("json")
    }

    /// True when the keys appear in `text` in this order.
    fn in_order(text: &str, keys: &[&str]) -> bool {
        let at: Vec<usize> = keys
            .iter()
            .map(|k| text.find(&format!("\"{k}\"")).expect(k))
            .collect();
        at.windows(2).all(|w| w[0] < w[1])
    }

    #[test]
    fn xdp_as_ip_prints_it() {
        use netlink_packet_route::link::{LinkAttribute, LinkXdp, XdpAttached};
        use serde_json::json;
        let text = |xdp: Vec<LinkXdp>| {
            let mut m = veth_message();
            m.attributes.insert(2, LinkAttribute::Xdp(xdp));
            link_text(&emitted(&m))
        };
        let with = |xdp: Vec<LinkXdp>| -> serde_json::Value {
            serde_json::from_str(&text(xdp)).expect("json")
        };
        // One generic program: the kernel sends its id twice.
        let v = with(vec![
            LinkXdp::Attached(XdpAttached::SocketBuffer),
            LinkXdp::ProgId(42),
            LinkXdp::SkbProgId(42),
        ]);
        assert_eq!(
            v["xdp"],
            json!({"mode": 2, "prog": {"id": 42}, "attached": [{"mode": 2, "prog": {"id": 42}}]})
        );
        // Right after mtu, before qdisc; mode, prog, attached.
        let t = text(vec![
            LinkXdp::Attached(XdpAttached::SocketBuffer),
            LinkXdp::ProgId(42),
            LinkXdp::SkbProgId(42),
        ]);
        assert!(t.contains(r#""mtu":1500,"xdp":{"mode":2,"prog":{"id":42},"attached":[{"mode":2,"prog":{"id":42}}]},"qdisc""#), "{t}");
        // Several programs: no top-level prog, each attachment with its own mode, in ip's
        // order (generic, native, offloaded) whatever the kernel's.
        let v = with(vec![
            LinkXdp::Attached(XdpAttached::Multiple),
            LinkXdp::HwProgId(9),
            LinkXdp::DrvProgId(8),
            LinkXdp::SkbProgId(7),
        ]);
        assert_eq!(
            v["xdp"],
            json!({"mode": 4, "attached": [
                {"mode": 2, "prog": {"id": 7}},
                {"mode": 1, "prog": {"id": 8}},
                {"mode": 3, "prog": {"id": 9}},
            ]})
        );
        // A kernel before 4.19: the program id only, attached in the link's mode.
        let v = with(vec![
            LinkXdp::Attached(XdpAttached::Driver),
            LinkXdp::ProgId(5),
        ]);
        assert_eq!(
            v["xdp"],
            json!({"mode": 1, "prog": {"id": 5}, "attached": [{"mode": 1, "prog": {"id": 5}}]})
        );
        // Nothing attached: no key.
        let v = with(vec![LinkXdp::Attached(XdpAttached::None)]);
        assert!(v.get("xdp").is_none(), "{v}");
        let v = with(vec![LinkXdp::ProgId(5)]);
        assert!(v.get("xdp").is_none(), "{v}");
    }

    #[test]
    fn xdp_program_information_follows_the_id() {
        use crate::model::ip::ProgInfo;
        let mut xdp = decode_xdp(
            &[
                attribute(2, &[2]),
                attribute(4, &42u32.to_ne_bytes()),
                attribute(6, &42u32.to_ne_bytes()),
            ]
            .concat(),
        )
        .expect("attached");
        let info = Arc::new(ProgInfo {
            name: "nsp_pass".into(),
            tag: [0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x07, 0x18],
            jited: true,
        });
        for p in xdp.programs_mut() {
            p.info = Some(Arc::clone(&info));
        }
        let (mut meta, _) = decode_link(&emitted(&veth_message())).expect("decode");
        meta.xdp = Some(xdp);
        let sample = LinkSample {
            link: Arc::new(meta),
            stats64: None,
        };
        let mut out = Vec::new();
        crate::output::json::encoder::JsonEncoder::new().object(&sample, &mut out);
        let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
        let prog = serde_json::json!({"id": 42, "name": "nsp_pass", "tag": "a1b2c3d4e5f60718", "jited": 1});
        assert_eq!(v["xdp"]["prog"], prog);
        assert_eq!(v["xdp"]["attached"][0]["prog"], prog);
    }

    #[test]
    fn parent_device_where_ip_d_prints_it() {
        let mut m = veth_message();
        m.attributes
            .push(netlink_packet_route::link::LinkAttribute::IfAlias(
                "a".into(),
            ));
        let mut bytes = emitted(&m);
        bytes.extend(attribute(IFLA_PARENT_DEV_NAME, b"virtio2\0"));
        bytes.extend(attribute(IFLA_PARENT_DEV_BUS_NAME, b"virtio\0"));
        let text = link_text(&bytes);
        assert!(
            text.contains(r#""parentbus":"virtio","parentdev":"virtio2","ifalias":"a""#),
            "{text}"
        );
    }

    #[test]
    fn proto_down_reasons_under_ips_rules() {
        let reason = |value: u32, broadcast: bool| {
            let mut m = veth_message();
            if !broadcast {
                m.attributes.retain(|a| {
                    !matches!(a, netlink_packet_route::link::LinkAttribute::Broadcast(_))
                });
            }
            let mut bytes = emitted(&m);
            // Mask first: the value is looked up by type, not by place.
            let nest = [
                attribute(1, &0xffff_ffffu32.to_ne_bytes()),
                attribute(IFLA_PROTO_DOWN_REASON_VALUE, &value.to_ne_bytes()),
            ]
            .concat();
            bytes.extend(attribute(IFLA_PROTO_DOWN_REASON | 0x8000, &nest));
            link_json(&bytes).get("proto_down_reason").cloned()
        };
        // Bits 0, 3 and 9: ip reads one byte of the value, so reason 9 is not printed.
        let bits = (1 << 0) | (1 << 3) | (1 << 9);
        assert_eq!(reason(bits, true), Some(serde_json::json!(["0", "3"])));
        assert_eq!(reason(1 << 7, true), Some(serde_json::json!(["7"])));
        assert_eq!(reason(1 << 9, true), None);
        // ip looks for the value in the link's table, where its type is IFLA_BROADCAST.
        assert_eq!(reason(bits, false), None);
        assert_eq!(reason(0, true), None);
    }

    /// One VF as the kernel lays it out (include/uapi/linux/if_link.h), distinct values in
    /// every field, so a field read at another offset shows.
    fn vf_nest() -> Vec<u8> {
        let words = |w: &[u32]| w.iter().flat_map(|x| x.to_ne_bytes()).collect::<Vec<u8>>();
        let mut mac = words(&[5]);
        mac.extend([0x02, 0x11, 0x22, 0x33, 0x44, 0x55]);
        mac.resize(36, 0xee);
        let broadcast: Vec<u8> = (0xe0..=0xff).collect();
        let mut vlan_info = words(&[5, 200, 4]);
        vlan_info.extend(0x88a8u16.to_be_bytes());
        vlan_info.extend([0, 0]);
        let mut vlan_8021q = words(&[5, 0, 0]);
        vlan_8021q.extend(0x8100u16.to_be_bytes());
        vlan_8021q.extend([0, 0]);
        let vlan_list = [attribute(1, &vlan_info), attribute(1, &vlan_8021q)].concat();
        let mut guid = words(&[5, 0xdead_beef]);
        guid.extend(0x0102_0304_0506_0708u64.to_ne_bytes());
        let stats: Vec<u8> = (0..=8u16)
            .filter(|&k| k != 6)
            .flat_map(|k| attribute(k, &(11 + u64::from(k)).to_ne_bytes()))
            .collect();
        [
            attribute(IFLA_VF_MAC, &mac),
            attribute(IFLA_VF_VLAN, &words(&[5, 100, 3])),
            attribute(IFLA_VF_VLAN_LIST, &vlan_list),
            attribute(IFLA_VF_TX_RATE, &words(&[5, 1000])),
            attribute(IFLA_VF_RATE, &words(&[5, 10, 2000])),
            attribute(IFLA_VF_SPOOFCHK, &words(&[5, 0])),
            attribute(IFLA_VF_LINK_STATE, &words(&[5, 1])),
            attribute(IFLA_VF_TRUST, &words(&[5, u32::MAX])),
            attribute(IFLA_VF_RSS_QUERY_EN, &words(&[5, 1])),
            attribute(IFLA_VF_IB_NODE_GUID, &guid),
            attribute(IFLA_VF_STATS, &stats),
            attribute(IFLA_VF_BROADCAST, &broadcast),
        ]
        .concat()
    }

    #[test]
    fn vfinfo_list_as_ip_prints_it() {
        let mut bytes = emitted(&veth_message());
        let list = [attribute(IFLA_VF_INFO, &vf_nest()), attribute(2, &[0; 4])].concat();
        bytes.extend(attribute(IFLA_VFINFO_LIST, &list));
        // Without IFLA_NUM_VF ip prints no list.
        assert!(link_json(&bytes).get("vfinfo_list").is_none());
        bytes.extend(attribute(IFLA_NUM_VF, &2u32.to_ne_bytes()));
        let v = link_json(&bytes);
        let expected = serde_json::json!([
            {
                "vf": 5,
                "link_type": "ether",
                "address": "02:11:22:33:44:55",
                "broadcast": "e0:e1:e2:e3:e4:e5",
                "vlan_list": [{"vlan": 200, "qos": 4, "protocol": "802.1ad"}, {}],
                "tx_rate": 1000,
                "rate": {"max_tx": 2000, "min_tx": 10},
                "spoofchk": false,
                "node guid": "01:02:03:04:05:06:07:08",
                "link_state": "enable",
                "query_rss_en": true,
                "stats": {
                    "rx": {"bytes": 13, "packets": 11, "multicast": 16, "broadcast": 15, "dropped": 18},
                    "tx": {"tx_bytes": 14, "tx_packets": 12, "dropped": 19}
                }
            },
            {}
        ]);
        assert_eq!(v["vfinfo_list"], expected);
        // Key order too, as ip prints them.
        let text = link_text(&bytes);
        let order = [
            "vf",
            "link_type",
            "address",
            "broadcast",
            "vlan_list",
            "tx_rate",
            "rate",
            "max_tx",
            "min_tx",
            "spoofchk",
            "node guid",
            "link_state",
            "query_rss_en",
            "stats",
            "bytes",
            "packets",
            "multicast",
            "dropped",
            "tx_bytes",
            "tx_packets",
        ];
        let vf_text = &text[text.find("vfinfo_list").expect("list")..];
        assert!(in_order(vf_text, &order), "{vf_text}");
    }

    #[test]
    fn short_and_long_vf_attributes_never_panic() {
        let nest = vf_nest();
        for cut in 0..nest.len() {
            let _ = decode_vf(&nest[..cut]);
            let _ = decode_vfinfo_list(&attribute(IFLA_VF_INFO, &nest[..cut]));
        }
        // Every attribute 1 byte long, and 200 bytes long.
        for len in [1usize, 200] {
            let nest: Vec<u8> = (0..14u16)
                .flat_map(|k| attribute(k, &vec![0x5a; len]))
                .collect();
            let vf = decode_vf(&nest);
            assert!(vf.mac.is_some());
            let _ = decode_xdp(&nest);
        }
        // A one-byte TX_RATE reads as zero past its end; ip prints no tx_rate then.
        let vf = decode_vf(&attribute(IFLA_VF_TX_RATE, &[7]));
        assert_eq!(vf.tx_rate, Some(0));
    }

    #[test]
    fn malformed_attribute_keeps_what_came_before() {
        let mut bytes = emitted(&veth_message());
        // Append an attribute header that claims more bytes than there are.
        bytes.extend_from_slice(&200u16.to_ne_bytes());
        bytes.extend_from_slice(&IFLA_MTU.to_ne_bytes());
        let (meta, _) = decode_link(&bytes).expect("decode");
        assert_eq!(meta.ifname, "va0");
        assert_eq!(meta.mtu, Some(1500));
        assert_eq!(decode_link(&bytes[..10]), None);
    }

    #[test]
    fn short_stats64_is_zero_extended() {
        // A pre-6.9 kernel's struct: 24 u64 counters, no rx_otherhost_dropped.
        let mut raw = Vec::new();
        for i in 1..=24u64 {
            raw.extend_from_slice(&i.to_ne_bytes());
        }
        let s = LinkStats64::decode(&raw);
        assert_eq!((s.rx_packets, s.tx_bytes, s.rx_nohandler), (1, 4, 24));
        assert_eq!(s.rx_otherhost_dropped, 0);
    }
}
