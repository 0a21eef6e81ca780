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
        // The captures have no virtual function, no program offloaded or several attached,
        // and few protodown reasons: a link message of theirs with these attributes added, as
        // the kernel lays them out.
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

/// One netlink attribute, padded to 4 bytes (`struct nlattr` + payload).
fn attr(kind: u16, payload: &[u8]) -> Vec<u8> {
    let mut a = ((4 + payload.len()) as u16).to_ne_bytes().to_vec();
    a.extend(kind.to_ne_bytes());
    a.extend(payload);
    a.resize((a.len() + 3) & !3, 0);
    a
}

/// An `RTM_NEWQDISC` payload: `struct tcmsg` (20 bytes), `TCA_KIND` (1), `TCA_OPTIONS` (2),
/// and `TCA_STATS2` (7) with `TCA_STATS_APP` (4) when `xstats` is given.
fn qdisc_message(kind: &str, options: &[u8], xstats: Option<&[u8]>) -> Vec<u8> {
    let mut m = vec![0u8; 20];
    m[4..8].copy_from_slice(&7u32.to_ne_bytes());
    m.extend(attr(1, format!("{kind}\0").as_bytes()));
    m.extend(attr(2, options));
    if let Some(x) = xstats {
        m.extend(attr(7, &attr(4, x)));
    }
    m
}

/// Well-formed messages of the kinds no capture holds yet (the options and statistics of the
/// time-sensitive and newer qdiscs, fq's and netem's newer attributes), with counting values,
/// as seeds the mutations start from.
fn kind_seeds() -> &'static Vec<Vec<u8>> {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let counting = |n: usize| {
            (0..n)
                .map(|i| (i as u8).wrapping_add(1))
                .collect::<Vec<u8>>()
        };
        let u32s = |kinds: std::ops::RangeInclusive<u16>| {
            kinds
                .flat_map(|k| attr(k, &u32::from(k).to_ne_bytes()))
                .collect::<Vec<u8>>()
        };
        let nested = |k: u16, inner: Vec<u8>| attr(k | 0x8000, &inner);
        let mut mqprio = counting(82);
        mqprio[0] = 3;
        mqprio.resize(84, 0);
        mqprio.extend(attr(1, &1u16.to_ne_bytes()));
        mqprio.extend(attr(
            3,
            &[attr(3, &5u64.to_ne_bytes()), attr(3, &6u64.to_ne_bytes())].concat(),
        ));
        mqprio.extend(nested(5, u32s(1..=2)));
        let entry = attr(1, &u32s(1..=4));
        let mut taprio = attr(1, &mqprio[..82]);
        taprio.extend(attr(2, &[entry.clone(), entry.clone()].concat()));
        taprio.extend(attr(3, &9u64.to_ne_bytes()));
        taprio.extend(attr(
            7,
            &[attr(3, &1u64.to_ne_bytes()), attr(2, &entry)].concat(),
        ));
        taprio.extend(u32s(10..=11));
        taprio.extend(nested(12, u32s(1..=3)));
        let mut gred = attr(1, &counting(52 * 16));
        gred.extend(attr(3, &counting(12)));
        gred.extend(attr(5, &5u32.to_ne_bytes()));
        gred.extend(attr(6, &attr(1, &u32s(2..=12))));
        let mut fq = u32s(1..=15);
        fq.extend(attr(16, &counting(20)));
        fq.extend(attr(17, &counting(12)));
        fq.extend(attr(18, &1u32.to_ne_bytes()));
        let mut netem = counting(24);
        netem.extend(attr(10, &1_000u64.to_ne_bytes()));
        netem.extend(attr(11, &10u64.to_ne_bytes()));
        netem.extend(attr(14, &7u64.to_ne_bytes()));
        let mut dualpi2 = u32s(1..=9);
        for k in 10..=15 {
            dualpi2.extend(attr(k, &[1]));
        }
        let taprio_x = [attr(2, &1u64.to_ne_bytes()), attr(3, &2u64.to_ne_bytes())].concat();
        vec![
            qdisc_message("multiq", &counting(4), None),
            qdisc_message("skbprio", &counting(4), None),
            qdisc_message("qfq", &u32s(1..=2), None),
            qdisc_message("plug", &[], None),
            qdisc_message("teql0", &[], None),
            qdisc_message("gred", &gred, None),
            qdisc_message("cbs", &attr(1, &counting(20)), None),
            qdisc_message("etf", &attr(1, &counting(12)), None),
            qdisc_message("mqprio", &mqprio, None),
            qdisc_message("taprio", &taprio, Some(&taprio_x)),
            qdisc_message("dualpi2", &dualpi2, Some(&counting(48))),
            qdisc_message("fq", &fq, Some(&counting(152))),
            qdisc_message("netem", &netem, None),
        ]
    })
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

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 10_000,
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    /// The newer kinds' options and statistics, cut short, lengthened, and with corrupted
    /// attribute lengths: decoded or skipped, never a panic, always one JSON object.
    #[test]
    fn damaged_newer_kinds_never_panic(
        seed in any::<usize>(),
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let mut bytes = kind_seeds()[seed % kind_seeds().len()].clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        decode_and_write(36, &bytes);
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
    for payload in kind_seeds() {
        let q = decode_qdisc(payload, "dev0".into(), &Ticks::default()).expect("decoded");
        // Each seed is a kind we decode: options, never raw bytes.
        assert!(q.config.options_raw.is_none(), "{}", q.config.kind);
        let has_options = !matches!(q.config.kind.as_str(), "plug" | "teql0");
        assert_eq!(
            !q.config.options.is_empty(),
            has_options,
            "{}",
            q.config.kind
        );
        encode_valid(&q);
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

/// The socket messages that carry a bound interface, TCP-MD5 keys or ULP info
/// (`ss-bound-md5-mptcp.pcap`), for a run of their own: among all seeds they are few.
fn special_sockets() -> &'static Vec<Vec<u8>> {
    static SPECIAL: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SPECIAL.get_or_init(|| {
        let out: Vec<Vec<u8>> = seeds()
            .iter()
            .filter(|(kind, _)| *kind == 20)
            .filter(|(_, p)| decode_socket(Netid::Tcp, p).is_some_and(|s| s.extra.is_some()))
            .map(|(_, p)| p.clone())
            .collect();
        assert!(
            out.len() >= 8,
            "bound, MD5 and MPTCP sockets in the captures"
        );
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 5_000,
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    #[test]
    fn damaged_md5_ulp_and_bound_sockets_never_panic(
        seed in any::<usize>(),
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let payload = &special_sockets()[seed % special_sockets().len()];
        let mut bytes = payload.clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        decode_and_write(20, &bytes);
    }
}
