//! Decoder and JSON-writer speed on recorded kernel bytes (the captures in `captures/`):
//! what one sample costs in user space once the kernel's datagrams have arrived.
//!
//! `cargo bench --bench decode`

use std::path::Path;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use netstatspy::capture::Capture;
use netstatspy::model::Describe;
use netstatspy::model::ip::LinkSample;
use netstatspy::model::ss::Netid;
use netstatspy::model::{Record, Stats};
use netstatspy::netlink::Messages;
use netstatspy::netlink::link::{decode_link, decode_stats};
use netstatspy::output::json::changes::ChangesEncoder;
use netstatspy::output::json::encoder::JsonEncoder;
use netstatspy::readers::ss::decode::decode_socket;
use netstatspy::readers::tc::decode::decode_qdisc;
use netstatspy::readers::tc::kinds::Ticks;

/// Encode every element as JSON with one encoder kept across iterations, as the JSON output
/// keeps it across samples (shared metadata is encoded once).
fn encode_all<D: Describe>(enc: &mut JsonEncoder, out: &mut Vec<u8>, items: &[D]) -> usize {
    out.clear();
    for item in items {
        enc.object(item, out);
    }
    out.len()
}

/// The data messages (payload after the netlink header) of every reply in a capture, by type.
fn payloads(capture: &str, kind: u16) -> Vec<Vec<u8>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("captures")
        .join(capture);
    let capture = Capture::read(&path).expect("capture");
    capture
        .exchanges
        .iter()
        .flat_map(|e| e.replies.iter())
        .flat_map(|d| {
            Messages::new(d)
                .filter(|m| m.header.kind == kind)
                .map(|m| m.payload.to_vec())
                .collect::<Vec<_>>()
        })
        .collect()
}

fn ip(c: &mut Criterion) {
    let links = payloads("link-kinds.pcap", 16);
    let stats = payloads("link-kinds.pcap", 92);
    let mut g = c.benchmark_group("ip");
    g.throughput(Throughput::Elements(links.len() as u64));
    g.bench_function("decode_link (RTM_NEWLINK)", |b| {
        b.iter(|| links.iter().filter_map(|p| decode_link(p)).count())
    });
    g.throughput(Throughput::Elements(stats.len() as u64));
    g.bench_function("decode_stats (RTM_NEWSTATS)", |b| {
        b.iter(|| stats.iter().filter_map(|p| decode_stats(p)).count())
    });
    let samples: Vec<LinkSample> = links
        .iter()
        .filter_map(|p| decode_link(p))
        .map(|(meta, stats64)| LinkSample {
            link: Arc::new(meta),
            stats64,
        })
        .collect();
    let mut out = Vec::with_capacity(1 << 16);
    g.throughput(Throughput::Elements(samples.len() as u64));
    let mut enc = JsonEncoder::new();
    g.bench_function("encode links (JSON)", |b| {
        b.iter(|| encode_all(&mut enc, &mut out, &samples))
    });
    // A whole record, full and as changes where nothing changed (the steady state of quiet
    // links): what --changes-only adds to encoding, or saves.
    let record = Record {
        kind: "ip",
        run: Arc::from("0123456789abcdef"),
        sample: 1,
        timestamp: std::time::Duration::from_secs(1_800_000_000),
        elapsed: std::time::Duration::from_millis(1),
        partial: false,
        stats: Stats::Ip(samples.clone()),
    };
    g.bench_function("encode record (JSON)", |b| {
        b.iter(|| {
            out.clear();
            enc.record(&record, &mut out);
            out.len()
        })
    });
    let mut changes = ChangesEncoder::new(std::time::Duration::from_secs(3600));
    g.bench_function("encode record (changes-only, nothing changed)", |b| {
        b.iter(|| {
            out.clear();
            changes.record(&mut enc, &record, &mut out);
            out.len()
        })
    });
    g.finish();
}

fn tc(c: &mut Criterion) {
    let mut qdiscs = payloads("tc-kinds.pcap", 36);
    for synth in [
        "tc-synth-fq_codel.pcap",
        "tc-synth-cake.pcap",
        "tc-synth-fq.pcap",
        "tc-synth-netem.pcap",
    ] {
        qdiscs.extend(payloads(synth, 36));
    }
    let dev: Arc<str> = Arc::from("eth0");
    let ticks = Ticks::default();
    let mut g = c.benchmark_group("tc");
    g.throughput(Throughput::Elements(qdiscs.len() as u64));
    g.bench_function("decode_qdisc (options, stats, xstats)", |b| {
        b.iter(|| {
            qdiscs
                .iter()
                .filter_map(|p| decode_qdisc(p, Arc::clone(&dev), &ticks))
                .count()
        })
    });
    let decoded: Vec<_> = qdiscs
        .iter()
        .filter_map(|p| decode_qdisc(p, Arc::clone(&dev), &ticks))
        .collect();
    let mut out = Vec::with_capacity(1 << 16);
    let mut enc = JsonEncoder::new();
    g.bench_function("encode qdiscs (JSON)", |b| {
        b.iter(|| encode_all(&mut enc, &mut out, &decoded))
    });
    g.finish();
}

fn ss(c: &mut Criterion) {
    let sockets = payloads("ss-loopback.pcap", 20);
    let mut g = c.benchmark_group("ss");
    g.throughput(Throughput::Elements(sockets.len() as u64));
    g.bench_function("decode_socket", |b| {
        b.iter(|| {
            sockets
                .iter()
                .filter_map(|p| decode_socket(Netid::Tcp, p))
                .count()
        })
    });
    let decoded: Vec<_> = sockets
        .iter()
        .filter_map(|p| decode_socket(Netid::Tcp, p))
        .collect();
    let mut out = Vec::with_capacity(1 << 20);
    let mut enc = JsonEncoder::new();
    g.bench_function("encode sockets (JSON)", |b| {
        b.iter(|| encode_all(&mut enc, &mut out, &decoded))
    });
    g.finish();
}

criterion_group!(benches, ip, tc, ss);
criterion_main!(benches);
