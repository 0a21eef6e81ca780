//! Decoders against damaged kernel replies: every reply message of every capture, mutated by
//! proptest (byte flips, truncations, insertions, corrupted lengths), is decoded and written as
//! JSON. Nothing may panic, and what is written must be one valid JSON object. Bounded: a few
//! seconds per run, reproducible from proptest's printed seed on failure.

mod common;

use std::path::Path;
use std::sync::{Arc, OnceLock};

use netstatspy::capture::Capture;
use netstatspy::model::Describe;
use netstatspy::model::ip::LinkSample;
use netstatspy::model::ss::Netid;
use netstatspy::netlink::Messages;
use netstatspy::netlink::link::{decode_link, decode_stats};
use netstatspy::output::json::encoder::JsonEncoder;
use netstatspy::readers::ss::decode::decode_socket;
use netstatspy::readers::ss::filter;
use netstatspy::readers::tc::decode::decode_qdisc;
use netstatspy::readers::tc::kinds::Ticks;
use proptest::prelude::*;

/// (message type, payload) of every reply message in every capture.
fn seeds() -> &'static Vec<(u16, Vec<u8>)> {
    static SEEDS: OnceLock<Vec<(u16, Vec<u8>)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
        let mut out = Vec::new();
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("captures")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "pcap"))
            .collect();
        files.sort();
        for path in files {
            let capture = Capture::read(&path).expect("capture");
            for d in capture.exchanges.iter().flat_map(|e| e.replies.iter()) {
                for m in Messages::new(d) {
                    if matches!(m.header.kind, 16 | 92 | 36 | 20) {
                        out.push((m.header.kind, m.payload.to_vec()));
                    }
                }
            }
        }
        assert!(out.len() > 200, "seeds from the captures");
        // The captures have no XDP program, protodown reason or virtual function: a link
        // message of theirs with these attributes added, as the kernel lays them out.
        let link = out
            .iter()
            .find(|(kind, _)| *kind == 16)
            .map(|(_, p)| p.clone())
            .expect("a link message");
        let mut with = link;
        with.extend(link_extras());
        // About a tenth of the cases start from it.
        let copies = out.len() / 10;
        out.extend(std::iter::repeat_n((16, with), copies));
        out
    })
}

/// One netlink attribute, padded.
fn attr(kind: u16, payload: &[u8]) -> Vec<u8> {
    let len = 4 + payload.len();
    let mut v = (len as u16).to_ne_bytes().to_vec();
    v.extend_from_slice(&kind.to_ne_bytes());
    v.extend_from_slice(payload);
    v.resize(len.div_ceil(4) * 4, 0);
    v
}

/// IFLA_XDP with several programs, IFLA_PROTO_DOWN_REASON, IFLA_NUM_VF and an
/// IFLA_VFINFO_LIST of one VF with every attribute (include/uapi/linux/if_link.h).
fn link_extras() -> Vec<u8> {
    let words = |w: &[u32]| w.iter().flat_map(|x| x.to_ne_bytes()).collect::<Vec<u8>>();
    let xdp = [
        attr(2, &[4]),
        attr(5, &words(&[8])),
        attr(6, &words(&[7])),
        attr(7, &words(&[9])),
    ]
    .concat();
    let reason = [attr(1, &words(&[0xff])), attr(2, &words(&[0x209]))].concat();
    let mut mac = words(&[1]);
    mac.resize(36, 0x42);
    let vlan_info = [words(&[1, 2, 3]), vec![0x88, 0xa8, 0, 0]].concat();
    let stats: Vec<u8> = (0..9u16)
        .flat_map(|k| attr(k, &u64::from(k).to_ne_bytes()))
        .collect();
    let vf = [
        attr(1, &mac),
        attr(2, &words(&[1, 2, 3])),
        attr(3, &words(&[1, 4])),
        attr(4, &words(&[1, 1])),
        attr(5, &words(&[1, 2])),
        attr(6, &words(&[1, 5, 6])),
        attr(7, &words(&[1, 0])),
        attr(8, &stats),
        attr(9, &words(&[1, u32::MAX])),
        attr(10, &words(&[1, 0, 7, 8])),
        attr(11, &words(&[1, 0, 9, 10])),
        attr(12, &attr(1, &vlan_info)),
        attr(13, &[0xff; 32]),
    ]
    .concat();
    [
        attr(43 | 0x8000, &xdp),
        attr(55 | 0x8000, &reason),
        attr(21, &words(&[1])),
        attr(22, &attr(1, &vf)),
    ]
    .concat()
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Truncate(usize),
    Insert(usize, Vec<u8>),
    /// Overwrite a 16-bit field (attribute lengths live in 16 bits) with a chosen value.
    Length(usize, u16),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1u8..=255).prop_map(|(i, x)| Mutation::Flip(i, x)),
        any::<usize>().prop_map(Mutation::Truncate),
        (
            any::<usize>(),
            proptest::collection::vec(any::<u8>(), 1..16)
        )
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        (
            any::<usize>(),
            prop_oneof![Just(0u16), Just(3), Just(4), Just(0xffff), any::<u16>()]
        )
            .prop_map(|(i, v)| Mutation::Length(i, v)),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    let n = bytes.len();
    match m {
        Mutation::Flip(i, x) => bytes[i % n] ^= x,
        Mutation::Truncate(i) => bytes.truncate(i % n),
        Mutation::Insert(i, b) => {
            let at = i % n;
            bytes.splice(at..at, b.iter().copied());
        }
        Mutation::Length(i, v) => {
            let at = (i % n) & !1;
            if at + 2 <= n {
                bytes[at..at + 2].copy_from_slice(&v.to_ne_bytes());
            }
        }
    }
}

/// The JSON encoder's output for `value`, which must be one valid JSON object.
fn encode_valid<D: Describe>(value: &D) {
    let mut out = Vec::new();
    JsonEncoder::new().object(value, &mut out);
    let parsed: Result<serde_json::Value, _> = serde_json::from_slice(&out);
    assert!(
        parsed.as_ref().is_ok_and(serde_json::Value::is_object),
        "not a JSON object: {}",
        String::from_utf8_lossy(&out)
    );
}

fn decode_and_write(kind: u16, payload: &[u8]) {
    let ticks = Ticks::default();
    match kind {
        16 => {
            if let Some((meta, stats64)) = decode_link(payload) {
                encode_valid(&LinkSample {
                    link: Arc::new(meta),
                    stats64,
                });
            }
        }
        92 => {
            let _ = decode_stats(payload);
        }
        36 => {
            if let Some(q) = decode_qdisc(payload, "dev0".into(), &ticks) {
                encode_valid(&q);
            }
        }
        _ => {
            for netid in [Netid::Tcp, Netid::Udp] {
                if let Some(s) = decode_socket(netid, payload) {
                    encode_valid(&s);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 20_000,
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    #[test]
    fn damaged_replies_never_panic(
        seed in any::<usize>(),
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let (kind, payload) = &seeds()[seed % seeds().len()];
        let mut bytes = payload.clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        decode_and_write(*kind, &bytes);
    }
}

#[test]
fn the_added_link_attributes_decode() {
    let (_, payload) = seeds().last().expect("seeds");
    let (meta, _) = decode_link(payload).expect("decode");
    let xdp = meta.xdp.expect("xdp");
    assert_eq!(
        (xdp.skb.map(|p| p.id), xdp.drv.map(|p| p.id)),
        (Some(7), Some(8))
    );
    assert_eq!(meta.proto_down_reason, Some(0x209));
    assert_eq!(meta.num_vf, Some(1));
    assert_eq!(meta.vfinfo_list.map(|l| l.len()), Some(1));
}

#[test]
fn every_seed_decodes_unmutated() {
    for (kind, payload) in seeds() {
        decode_and_write(*kind, payload);
    }
}

/// Words and fragments of the socket filter language, and some that are not.
const FILTER_WORDS: &[&str] = &[
    "src",
    "dst",
    "sport",
    "dport",
    "dev",
    "fwmark",
    "autobound",
    "cgroup",
    "and",
    "or",
    "not",
    "!",
    "&",
    "&&",
    "|",
    "||",
    "(",
    ")",
    "=",
    "==",
    "!=",
    "<",
    ">",
    "<=",
    ">=",
    "eq",
    "ne",
    "gt",
    "lt",
    "ge",
    "le",
    ":22",
    "22",
    "*",
    ":*",
    "10.0.0.1",
    "10.0.0.0/8",
    "10.0.0.0/33",
    "[::1]",
    "[fd00::/16]:80",
    "fd00::/8",
    "::1",
    "[::1",
    "*:80",
    "lo",
    "0x10/0xf0",
    "65536",
    "-1",
    "x",
    "",
];

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 5_000,
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    /// Any sequence of words, or any text at all, parses or is refused with a message; what
    /// parses compiles or is refused. Never a panic.
    #[test]
    fn filter_expressions_never_panic(
        words in proptest::collection::vec(proptest::sample::select(FILTER_WORDS), 0..24),
        text in ".{0,64}",
    ) {
        for input in [words.join(" "), words.concat(), text] {
            match filter::parse(&input) {
                Ok(f) => {
                    let _ = f.compile(&mut |name| (name == "lo").then_some(1));
                }
                Err(e) => prop_assert!(!e.0.is_empty()),
            }
        }
    }
}
