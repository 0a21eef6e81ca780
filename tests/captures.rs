//! Golden tests on the recorded captures in `captures/`: each is replayed through the binary
//! and every decoded value is compared with iproute2's output recorded beside it. Damaged
//! copies must give a clear error or a replay without the damaged part, never a panic.

mod common;

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{
    Need, assert_covers, assert_same_link, assert_same_links, assert_same_metadata, bin,
    json_lines, require, run, scratch,
};
use pcap_file::pcap::{PcapPacket, PcapReader};
use serde_json::Value;

fn captures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("captures")
}

/// Captures that have iproute2's reading with the given suffix beside them.
fn captures_with(suffix: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(captures_dir())
        .expect("captures/ exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "pcap"))
        .filter(|p| p.with_extension(suffix).exists())
        .collect();
    found.sort();
    assert!(
        found.len() >= 2,
        "golden captures with {suffix} are missing: {found:?}"
    );
    found
}

/// Captures that have iproute2's `ip -s -s -j link` reading beside them.
fn link_captures() -> Vec<PathBuf> {
    captures_with("ip-s-s-j-link.json")
}

/// Every capture in captures/.
fn all_captures() -> Vec<PathBuf> {
    let mut all = link_captures();
    all.extend(captures_with("tc-s-j-qdisc.json"));
    all.extend(captures_with("ss.after.txt"));
    all
}

/// A `key: value` line of a capture's description.
fn described(pcap: &Path, key: &str) -> String {
    described_if_any(pcap, key).unwrap_or_else(|| panic!("{}: no {key}: line", pcap.display()))
}

/// A `key: value` line a capture's description may carry.
fn described_if_any(pcap: &Path, key: &str) -> Option<String> {
    let meta = std::fs::read_to_string(pcap.with_extension("txt")).expect("capture description");
    meta.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .map(|v| v.trim().to_owned())
}

/// The `samples:` line of a capture's description.
fn recorded_samples(pcap: &Path) -> usize {
    described(pcap, "samples").parse().expect("samples: N")
}

fn replay(pcap: &Path, extra: &[&str]) -> (Output, PathBuf) {
    let out_file = scratch("replay").join("replay.jsonl");
    let out = run(Command::new(bin())
        .arg("--replay")
        .arg(pcap)
        .args(["-c", "-j", "--file-name"])
        .arg(&out_file)
        .args(extra));
    (out, out_file)
}

/// Replay `pcap` with `args`: it must succeed and yield the samples its description records.
fn replay_recorded(pcap: &Path, args: &[&str]) -> Vec<Value> {
    let (out, file) = replay(pcap, args);
    assert!(
        out.status.success(),
        "{}: {}",
        pcap.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let records = json_lines(&file);
    assert_eq!(records.len(), recorded_samples(pcap), "{}", pcap.display());
    records
}

/// The interfaces whose counters grow with the recording itself (the nlmon device a capture
/// was taken through): the `moving:` line of the description, names before the remark.
fn moving_links(pcap: &Path) -> Vec<String> {
    described_if_any(pcap, "moving")
        .map(|v| {
            v.split_whitespace()
                .take_while(|w| !w.starts_with('('))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// A link whose counters moved during the recording: every key as ip printed it, and every
/// counter at most what ip read after the recording.
fn assert_moving_link(ours: &Value, theirs: &Value, context: &str) {
    assert_same_metadata(ours, theirs, context);
    fn at_most(o: &Value, t: &Value, context: &str) {
        match (o, t) {
            (Value::Object(o), Value::Object(t)) => {
                assert_eq!(o.len(), t.len(), "{context}: keys");
                for (k, tv) in t {
                    at_most(&o[k], tv, &format!("{context}.{k}"));
                }
            }
            _ => {
                let (a, b) = (o.as_u64().expect("counter"), t.as_u64().expect("counter"));
                assert!(a <= b, "{context}: {a} > ip's later {b}");
            }
        }
    }
    at_most(
        &ours["stats64"],
        &theirs["stats64"],
        &format!("{context} {}", theirs["ifname"]),
    );
}

#[test]
fn replayed_captures_equal_iproute2_readings() {
    for pcap in link_captures() {
        let ip: Vec<Value> = serde_json::from_str(
            &std::fs::read_to_string(pcap.with_extension("ip-s-s-j-link.json")).expect("oracle"),
        )
        .expect("oracle JSON");
        // Replayed with the options it was recorded with, a capture yields the recorded samples.
        let options = described(&pcap, "options");
        let options: Vec<&str> = options.split_whitespace().collect();
        let ip: Vec<Value> = match options.iter().position(|o| *o == "--iface") {
            Some(i) => ip
                .into_iter()
                .filter(|l| l["ifname"] == options[i + 1])
                .collect(),
            None => ip,
        };
        let records = replay_recorded(&pcap, &options);
        let moving = moving_links(&pcap);
        let (moving_ip, ip): (Vec<Value>, Vec<Value>) = ip
            .into_iter()
            .partition(|l| moving.iter().any(|m| l["ifname"] == m.as_str()));
        let mut last_ts = 0.0;
        for r in &records {
            assert_eq!(r["type"], "ip");
            // Replayed records carry the recorded times.
            let ts = r["timestamp"].as_f64().expect("timestamp");
            assert!(ts > 1.7e9 && ts >= last_ts, "{ts}");
            last_ts = ts;
            let stats = r["stats"].as_array().expect("stats");
            let context = format!("{} sample {}", pcap.display(), r["sample"]);
            let (moving_ours, steady): (Vec<Value>, Vec<Value>) = stats
                .iter()
                .cloned()
                .partition(|l| moving.iter().any(|m| l["ifname"] == m.as_str()));
            assert_same_links(&steady, &ip, &context);
            assert_eq!(moving_ours.len(), moving_ip.len(), "{context}: {moving:?}");
            for t in &moving_ip {
                let o = moving_ours
                    .iter()
                    .find(|l| l["ifindex"] == t["ifindex"])
                    .expect("same ifindex");
                assert_moving_link(o, t, &context);
            }
        }
    }
}

/// One qdisc as tc printed it: its JSON object, or, where tc's JSON for it is not valid JSON
/// (iproute2 6.1 prints hfsc's `default` as bare text inside `"options"`), its block of
/// `tc -s qdisc show` text output.
enum TcReading {
    Json(Value),
    Text(String),
}

/// The top-level `{...}` objects of a JSON array, cut by brace depth outside strings, so that
/// one malformed object does not hide the others.
fn json_objects(text: &str) -> Vec<&str> {
    let (mut depth, mut start, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    let mut objects = Vec::new();
    for (i, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    objects.push(&text[start..=i]);
                }
            }
            _ => {}
        }
    }
    objects
}

/// tc's reading beside `pcap`, qdisc by qdisc.
fn tc_readings(pcap: &Path) -> Vec<TcReading> {
    let json = std::fs::read_to_string(pcap.with_extension("tc-s-j-qdisc.json")).expect("oracle");
    if let Ok(Value::Array(all)) = serde_json::from_str::<Value>(&json) {
        return all.into_iter().map(TcReading::Json).collect();
    }
    let text_file = pcap.with_extension("tc-s-qdisc.txt");
    let text = std::fs::read_to_string(&text_file).unwrap_or_else(|_| {
        panic!(
            "{}: tc's JSON is malformed and no text reading ({}) is beside it",
            pcap.display(),
            text_file.display()
        )
    });
    let blocks: Vec<String> = text
        .split("\nqdisc ")
        .map(|b| format!("qdisc {}", b.trim_start_matches("qdisc ")))
        .collect();
    let objects = json_objects(&json);
    assert_eq!(
        objects.len(),
        blocks.len(),
        "{}: the JSON and text readings hold the same qdiscs",
        pcap.display()
    );
    objects
        .into_iter()
        .zip(blocks)
        .map(|(o, block)| match serde_json::from_str(o) {
            Ok(v) => TcReading::Json(v),
            Err(e) => {
                eprintln!(
                    "{}: tc's JSON for `{}` is malformed ({e}); compared with tc's text output",
                    pcap.display(),
                    block.lines().next().unwrap_or_default().trim()
                );
                TcReading::Text(block)
            }
        })
        .collect()
}

/// Our qdisc against its block of `tc -s qdisc show`: the header (kind, handle, dev,
/// root/parent, refcnt, then every option as `name value`, which must be ours), the `Sent`
/// line and the `backlog` line.
fn assert_text_qdisc(ours: &Value, block: &str, context: &str) {
    let mut lines = block.lines();
    let header: Vec<&str> = lines.next().expect("header").split_whitespace().collect();
    assert_eq!(header[0], "qdisc", "{context}");
    assert_eq!(ours["kind"], header[1], "{context}: kind");
    assert_eq!(ours["handle"], header[2], "{context}: handle");
    assert_eq!(
        (header[3], &ours["dev"]),
        ("dev", &Value::from(header[4])),
        "{context}: dev"
    );
    let mut rest = &header[5..];
    match rest {
        ["root", tail @ ..] => {
            assert_eq!(ours["root"], true, "{context}: root");
            rest = tail;
        }
        ["parent", p, tail @ ..] => {
            assert_eq!(ours["parent"], *p, "{context}: parent");
            rest = tail;
        }
        _ => panic!("{context}: no root/parent in {header:?}"),
    }
    if let ["refcnt", n, tail @ ..] = rest {
        assert_eq!(
            ours["refcnt"].as_u64().unwrap_or(1).to_string(),
            *n,
            "{context}: refcnt"
        );
        rest = tail;
    }
    assert!(rest.len().is_multiple_of(2), "{context}: options {rest:?}");
    for pair in rest.chunks(2) {
        let value = &ours["options"][pair[0]];
        let shown = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        assert_eq!(shown, pair[1], "{context}: option {}", pair[0]);
    }
    let numbers = |line: &str| -> Vec<u64> {
        line.split(|c: char| !c.is_ascii_digit())
            .filter(|w| !w.is_empty())
            .map(|w| w.parse().expect("number"))
            .collect()
    };
    let sent = lines.next().expect("Sent line");
    assert!(sent.trim_start().starts_with("Sent "), "{context}: {sent}");
    let keys = ["bytes", "packets", "drops", "overlimits", "requeues"];
    for (k, v) in keys.iter().zip(numbers(sent)) {
        assert_eq!(ours[*k], v, "{context}: {k}");
    }
    let backlog = lines.next().expect("backlog line");
    assert!(
        backlog.trim_start().starts_with("backlog "),
        "{context}: {backlog}"
    );
    for (k, v) in ["backlog", "qlen", "requeues"].iter().zip(numbers(backlog)) {
        assert_eq!(ours[*k], v, "{context}: {k}");
    }
}

#[test]
fn replayed_tc_captures_equal_tc_readings() {
    for pcap in captures_with("tc-s-j-qdisc.json") {
        let tc = tc_readings(&pcap);
        let options = described(&pcap, "options");
        let options: Vec<&str> = options.split_whitespace().collect();
        let records = replay_recorded(&pcap, &options);
        for r in &records {
            assert_eq!(r["type"], "tc");
            let ours = r["stats"].as_array().expect("stats");
            assert_eq!(ours.len(), tc.len(), "{}: same qdiscs", pcap.display());
            for (o, t) in ours.iter().zip(&tc) {
                let context = format!(
                    "{} {} {} {}",
                    pcap.display(),
                    o["dev"],
                    o["kind"],
                    o["handle"]
                );
                match t {
                    TcReading::Json(t) => assert_covers(o, t, &context),
                    TcReading::Text(block) => assert_text_qdisc(o, block, &context),
                }
            }
        }
    }
}

/// The text fallback can fail: a changed counter or option is caught.
#[test]
fn text_qdisc_comparison_catches_differences() {
    let block = "qdisc hfsc 1: dev q0 root refcnt 2 default 20 \n Sent 500 bytes 7 pkt (dropped 1, overlimits 2 requeues 0) \n backlog 0b 0p requeues 0";
    let ours = serde_json::json!({"kind": "hfsc", "handle": "1:", "dev": "q0", "root": true,
        "refcnt": 2, "options": {"default": "20"}, "bytes": 500, "packets": 7, "drops": 1,
        "overlimits": 2, "requeues": 0, "backlog": 0, "qlen": 0});
    assert_text_qdisc(&ours, block, "same");
    for (path, wrong) in [
        ("bytes", serde_json::json!(501)),
        ("overlimits", serde_json::json!(3)),
    ] {
        let mut changed = ours.clone();
        changed[path] = wrong;
        let r = std::panic::catch_unwind(|| assert_text_qdisc(&changed, block, "changed"));
        assert!(r.is_err(), "{path} changed must fail");
    }
    let mut changed = ours.clone();
    changed["options"]["default"] = "21".into();
    assert!(std::panic::catch_unwind(|| assert_text_qdisc(&changed, block, "x")).is_err());
}

#[test]
fn replayed_ss_captures_equal_ss_readings() {
    for pcap in captures_with("ss.after.txt") {
        let read = |suffix: &str| {
            common::ss::parse_ss(
                &std::fs::read_to_string(pcap.with_extension(suffix)).expect("oracle"),
            )
        };
        let (before, after) = (read("ss.before.txt"), read("ss.after.txt"));
        let records = replay_recorded(&pcap, &["--no-ip", "--ss"]);
        let ours = common::ss::keyed(&records[0]["stats"]);
        let mut keys: Vec<_> = ours.keys().cloned().collect();
        let mut expected: Vec<_> = after.keys().cloned().collect();
        keys.sort();
        expected.sort();
        assert_eq!(keys, expected, "{}: the same sockets", pcap.display());
        let mut timers = Vec::new();
        for (key, s) in &ours {
            let ctx = format!("{} {key:?}", pcap.display());
            timers.extend(common::ss::assert_socket(
                s,
                &before[key],
                &after[key],
                &ctx,
            ));
        }
        // Every capture holds keepalive and retransmit timers, IPv6 and UDP sockets.
        assert!(
            timers.iter().any(|t| t == "keepalive"),
            "{}: {timers:?}",
            pcap.display()
        );
        assert!(
            timers.iter().any(|t| t == "on"),
            "{}: {timers:?}",
            pcap.display()
        );
        assert!(
            keys.iter().any(|k| k.1.starts_with('[')),
            "{}: IPv6",
            pcap.display()
        );
        assert!(keys.iter().any(|k| k.0 == "udp"), "{}: UDP", pcap.display());
        if pcap.to_string_lossy().contains("short") {
            for s in ours.values().filter(|s| s["netid"] == "tcp") {
                assert_eq!(s["tcp_info"]["len"], 104);
                assert!(s["tcp_info"].get("pacing_rate").is_none());
                assert!(s["tcp_info"].get("total_retrans").is_some());
            }
        }
    }
}

#[test]
fn replay_honours_iface() {
    let pcap = captures_dir().join("link-kinds.pcap");
    let ip: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(pcap.with_extension("ip-s-s-j-link.json")).expect("oracle"),
    )
    .expect("oracle JSON");
    let va0 = ip.iter().find(|l| l["ifname"] == "va0").expect("va0");
    let (out, file) = replay(&pcap, &["--iface", "va0"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for r in json_lines(&file) {
        let stats = r["stats"].as_array().expect("stats");
        assert_eq!(stats.len(), 1);
        assert_same_link(&stats[0], va0, "--iface va0 replay");
    }
}

#[test]
#[cfg_attr(not(have_tshark), ignore = "needs tshark (apt-get install tshark)")]
fn every_capture_is_valid_pcap_for_tshark() {
    require(&[Need::Tshark]);
    for pcap in all_captures() {
        let out = run(Command::new("tshark").arg("-r").arg(&pcap).args([
            "-T",
            "fields",
            "-e",
            "frame.protocols",
            "-e",
            "netlink.hdr_len",
        ]));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "tshark -r {}: {}",
            pcap.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.lines().count() >= 4, "{text}");
        for line in text.lines() {
            // Every frame is dissected as netlink, with its message headers read.
            let protocols = line.split('\t').next().unwrap_or("");
            assert!(
                protocols.split(':').next() == Some("netlink"),
                "{}: {line}",
                pcap.display()
            );
            assert!(
                line.split('\t').nth(1).is_some_and(|t| !t.is_empty()),
                "{line}"
            );
        }
        let route = text
            .lines()
            .filter(|l| l.contains("netlink-route") || l.contains("netlink-sock_diag"))
            .count();
        assert!(
            route >= 2,
            "requests and link replies dissected as rtnetlink: {text}"
        );
    }
}

/// Copy `pcap` to a scratch file, applying `damage` to the data of packet `index`.
fn damaged(pcap: &Path, index: usize, damage: impl Fn(&mut Vec<u8>)) -> PathBuf {
    let mut reader =
        PcapReader::new(BufReader::new(File::open(pcap).expect("open"))).expect("pcap");
    let header = reader.header();
    let path = scratch("damaged").join("damaged.pcap");
    let mut out = Vec::new();
    header.write_to(&mut out).expect("header");
    let mut i = 0;
    while let Some(p) = reader.next_packet() {
        let p = p.expect("packet");
        let mut data = p.data.to_vec();
        if i == index {
            damage(&mut data);
        }
        PcapPacket::new(p.timestamp, data.len() as u32, &data)
            .write_to::<_, byteorder::NativeEndian>(&mut out, header.ts_resolution, header.snaplen)
            .expect("packet");
        i += 1;
    }
    File::create(&path)
        .expect("create")
        .write_all(&out)
        .expect("write");
    path
}

/// Offset of the first netlink message in a packet (after the 16-byte cooked header).
const NL: usize = 16;

fn assert_clear_failure(out: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("netstatspy: error: ") && err.contains(needle),
        "{err}"
    );
}

#[test]
fn truncated_message_is_a_clear_error() {
    let pcap = captures_dir().join("link-kinds.pcap");
    // Packet 1 is the first RTM_GETLINK reply datagram; cut it in the middle of a message.
    let bad = damaged(&pcap, 1, |d| d.truncate(d.len() - 100));
    let (out, _) = replay(&bad, &[]);
    assert_clear_failure(&out, "malformed reply");
}

#[test]
fn bad_message_length_is_a_clear_error() {
    let pcap = captures_dir().join("link-kinds.pcap");
    let bad = damaged(&pcap, 1, |d| {
        d[NL..NL + 4].copy_from_slice(&8u32.to_ne_bytes())
    });
    let (out, _) = replay(&bad, &[]);
    assert_clear_failure(&out, "bad length");
}

#[test]
fn unknown_attribute_is_skipped() {
    let pcap = captures_dir().join("link-kinds.pcap");
    // The first attribute of the first link message (after nlmsghdr and ifinfomsg) is
    // IFLA_IFNAME (3); renumber it to a type no kernel has sent yet.
    let bad = damaged(&pcap, 1, |d| {
        let at = NL + 16 + 16;
        assert_eq!(
            u16::from_ne_bytes([d[at + 2], d[at + 3]]),
            3,
            "IFLA_IFNAME first"
        );
        d[at + 2..at + 4].copy_from_slice(&0x3ff0u16.to_ne_bytes());
    });
    let (out, file) = replay(&bad, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records = json_lines(&file);
    let first = records[0]["stats"].as_array().expect("stats");
    // The link lost its name and nothing else.
    assert_eq!(first[0]["ifname"], "");
    assert_eq!(first[0]["ifindex"], 1);
    assert_eq!(first[0]["mtu"], 65536);
    assert_eq!(first[1]["ifname"], "va0");
}

#[test]
fn damaged_files_are_clear_errors() {
    let dir = scratch("notpcap");
    let text = dir.join("text.pcap");
    std::fs::write(&text, "not a capture").expect("write");
    let (out, _) = replay(&text, &[]);
    assert_clear_failure(&out, "not a pcap file");

    let ether = dir.join("ether.pcap");
    let mut bytes = Vec::new();
    pcap_file::pcap::PcapHeader::default()
        .write_to(&mut bytes)
        .expect("header");
    std::fs::write(&ether, bytes).expect("write");
    let (out, _) = replay(&ether, &[]);
    assert_clear_failure(&out, "not LINKTYPE_NETLINK");

    let missing = dir.join("missing.pcap");
    let (out, _) = replay(&missing, &[]);
    assert_clear_failure(&out, "missing.pcap");

    // A capture cut short in the middle of a packet replays what precedes the cut.
    let pcap = captures_dir().join("link-kinds.pcap");
    let bytes = std::fs::read(&pcap).expect("read");
    let cut = dir.join("cut.pcap");
    std::fs::write(&cut, &bytes[..bytes.len() - 10]).expect("write");
    let (out, file) = replay(&cut, &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("partial packet"), "{err}");
    assert_eq!(json_lines(&file).len(), recorded_samples(&pcap) - 1);
}

#[test]
fn replay_of_a_recording_reproduces_the_live_json() {
    let dir = scratch("record");
    let pcap = dir.join("run.pcap");
    let live = dir.join("live.jsonl");
    let out = run(Command::new(bin())
        .args(["-c", "-j", "-f", "20", "-t", "0.5", "--record"])
        .arg(&pcap)
        .arg("--file-name")
        .arg(&live));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (out, replayed) = replay(&pcap, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let live = json_lines(&live);
    let replayed = json_lines(&replayed);
    assert_eq!(live.len(), 10);
    assert_eq!(replayed.len(), live.len());
    for (l, r) in live.iter().zip(&replayed) {
        assert_eq!(l["type"], r["type"]);
        assert_eq!(l["sample"], r["sample"]);
        assert_eq!(l["stats"], r["stats"], "sample {}", l["sample"]);
        // The replay's time is the recorded request's, a moment after the live read began.
        let (lt, rt) = (
            l["timestamp"].as_f64().expect("ts"),
            r["timestamp"].as_f64().expect("ts"),
        );
        assert!((rt - lt).abs() < 0.005, "{lt} vs {rt}");
    }
}

/// The options a capture was recorded with (its description's `options:` line).
fn recorded_options(pcap: &Path) -> Vec<String> {
    described_if_any(pcap, "options")
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// Every capture replayed with the options it was recorded with writes exactly the bytes of the
/// reference in tests/golden/json (see its README): the JSON writer keeps every key, its order,
/// omission rules and number formats.
#[test]
fn replayed_json_is_byte_identical_to_the_reference() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/json");
    let mut pcaps: Vec<PathBuf> = std::fs::read_dir(captures_dir())
        .expect("captures/ exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "pcap"))
        .collect();
    pcaps.sort();
    assert!(pcaps.len() >= 20, "captures are missing: {pcaps:?}");
    for pcap in pcaps {
        let name = pcap
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let options = recorded_options(&pcap);
        let args: Vec<&str> = options.iter().map(String::as_str).collect();
        let (out, file) = replay(&pcap, &args);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The run's header and summary name the host and times of this replay: the samples'
        // records are what the reference pins.
        let ours: Vec<u8> = std::fs::read_to_string(&file)
            .expect("replayed JSON")
            .lines()
            .filter(|l| {
                !l.starts_with(r#"{"type":"run","#) && !l.starts_with(r#"{"type":"run_summary","#)
            })
            .flat_map(|l| l.bytes().chain(std::iter::once(b'\n')))
            .collect();
        let reference = std::fs::read(golden.join(format!("{name}.jsonl")))
            .unwrap_or_else(|e| panic!("{name}: no reference JSON: {e}"));
        if ours != reference {
            let ours = String::from_utf8_lossy(&ours);
            let reference = String::from_utf8_lossy(&reference);
            let (line, (o, r)) = ours
                .lines()
                .chain(std::iter::repeat(""))
                .zip(reference.lines().chain(std::iter::repeat("")))
                .enumerate()
                .find(|(_, (o, r))| o != r)
                .expect("a differing line");
            let at = o.bytes().zip(r.bytes()).take_while(|(a, b)| a == b).count();
            let tail = |s: &str| {
                s.chars()
                    .skip(at.saturating_sub(80))
                    .take(240)
                    .collect::<String>()
            };
            panic!(
                "{name}: line {} differs from the reference at byte {at}:\n ours: …{}\n  ref: …{}",
                line + 1,
                tail(o),
                tail(r)
            );
        }
    }
}
