//! Decoders against damaged kernel replies: every reply message of every capture, mutated by
//! proptest (byte flips, truncations, insertions, corrupted lengths), is decoded and written as
//! JSON by both writers. Nothing may panic, and the two JSON writers must agree. Bounded: a few
//! seconds per run, reproducible from proptest's printed seed on failure.

mod common;

use std::path::Path;
use std::sync::{Arc, OnceLock};

use netstatspy::capture::Capture;
use netstatspy::netlink::Messages;
use netstatspy::readers::{ip, ss, tc};
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
        out
    })
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

fn decode_and_write(kind: u16, payload: &[u8]) {
    let ticks = tc::kinds::Ticks::default();
    match kind {
        16 => {
            if let Some((mut meta, stats64)) = ip::decode_link(payload) {
                meta.render_json();
                let links = vec![ip::LinkSample {
                    link: Arc::new(meta),
                    stats64,
                }];
                let mut fast = Vec::new();
                ip::write_links(&mut fast, &links);
                assert_eq!(fast, serde_json::to_vec(&links).expect("serde"));
            }
        }
        92 => {
            let _ = ip::decode_stats(payload);
        }
        36 => {
            if let Some(q) = tc::decode_qdisc(payload, "dev0".into(), &ticks) {
                let qs = vec![q];
                let mut fast = Vec::new();
                tc::write_qdiscs(&mut fast, &qs);
                assert_eq!(fast, serde_json::to_vec(&qs).expect("serde"));
            }
        }
        _ => {
            for netid in [ss::Netid::Tcp, ss::Netid::Udp] {
                if let Some(s) = ss::decode_socket(netid, payload) {
                    let v = vec![s];
                    let mut fast = Vec::new();
                    ss::json::write_sockets(&mut fast, &v);
                    assert_eq!(fast, serde_json::to_vec(&v).expect("serde"));
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
fn every_seed_decodes_unmutated() {
    for (kind, payload) in seeds() {
        decode_and_write(*kind, payload);
    }
}
