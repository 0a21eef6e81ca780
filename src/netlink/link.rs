//! Link messages: `RTM_NEWLINK` (metadata and counters) and `RTM_NEWSTATS` (counters only),
//! decoded into the model's link types. Shared by every reader that needs links (ip for its
//! records, tc for interface names).

use netlink_packet_core::NlasIterator;
use netlink_packet_route::link::LinkHeader;

use crate::model::ip::{LinkMeta, LinkStats64, split_name};

use crate::uapi::if_link::{IFLA_STATS_LINK_64, if_stats_msg};
use libc::{
    IFLA_ADDRESS, IFLA_ALT_IFNAME, IFLA_BROADCAST, IFLA_CARRIER_CHANGES, IFLA_GROUP, IFLA_IFALIAS,
    IFLA_IFNAME, IFLA_LINK, IFLA_LINK_NETNSID, IFLA_LINKMODE, IFLA_MASTER, IFLA_MTU,
    IFLA_OPERSTATE, IFLA_PERM_ADDRESS, IFLA_PROP_LIST, IFLA_PROTO_DOWN, IFLA_QDISC, IFLA_STATS64,
    IFLA_TXQLEN,
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
    use crate::netlink::testing::{emitted, veth_message};
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
