//! Changes-only records (`--changes-only`), read back by the reference reader
//! `scripts/expand_changes.py` (Python's standard library, no code of ours) and compared with
//! the full records of the same samples, key by key and value by value, in order.
//!
//! - Every capture is replayed full and changes-only (a keyframe interval that leaves only the
//!   first record a keyframe, and a short one; to a plain file, a `.zst` file and standard
//!   output): the expanded series must be the full replay.
//! - A live run (ip, tc, ss) in a namespace where one veth carries UDP and TCP traffic and
//!   other interfaces are quiet, a pair is deleted and one added, a connection opened and one
//!   closed while it runs: the quiet ones appear only in the keyframe (or by identity alone,
//!   to place a new one), the busy one in every record where the kernel's counters moved, the
//!   deleted interface and the closed socket in `gone`, the added ones whole; the expanded
//!   live file must equal the full replay of the run's own recording, and that recording
//!   replayed changes-only must expand to it too. Then readers at rates of their own.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::{
    Need, Netns, all_json_lines, bin, capture_name, captures, check, recorded_options, require,
    run, scratch,
};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Compares two JSON Lines files as Python reads them: objects as their (key, value) pairs in
/// order (repeated keys kept), numbers with their type (1 is not 1.0), the runs' own records
/// left out, and the envelope keys named in argv[3] (comma-separated) ignored.
const COMPARE: &str = r#"
import json, sys

def strict(v):
    if isinstance(v, tuple):
        return ("object", [(k, strict(x)) for k, x in v[1]])
    if isinstance(v, list):
        return ("array", [strict(x) for x in v])
    return (type(v).__name__, v)

def load(path, ignore):
    records = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line, object_pairs_hook=lambda p: ("obj", p))
            if dict(r[1]).get("type") in ("run", "run_summary"):
                continue
            records.append(("obj", [(k, v) for k, v in r[1] if k not in ignore]))
    return records

def first_difference(a, b, path):
    if type(a) is not type(b):
        return f"{path}: {a!r} vs {b!r}"
    if isinstance(a, tuple) and a[0] == "object":
        ka, kb = [k for k, _ in a[1]], [k for k, _ in b[1]]
        if ka != kb:
            return f"{path}: keys {ka} vs {kb}"
        for (k, x), (_, y) in zip(a[1], b[1]):
            d = first_difference(x, y, f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, tuple) and a[0] == "array":
        if len(a[1]) != len(b[1]):
            return f"{path}: {len(a[1])} elements vs {len(b[1])}"
        for i, (x, y) in enumerate(zip(a[1], b[1])):
            d = first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{path}: {a!r} vs {b!r}"

ignore = set(filter(None, sys.argv[3].split(",")))
ours, full = load(sys.argv[1], ignore), load(sys.argv[2], ignore)
if len(ours) != len(full):
    sys.exit(f"{len(ours)} records expanded, {len(full)} full")
for i, (x, y) in enumerate(zip(ours, full)):
    d = first_difference(strict(x), strict(y), f"record {i}")
    if d:
        sys.exit(d)
"#;

/// Run the reference reader on `changes` (JSON Lines, decompressed); returns the full records'
/// file. It must succeed and leave nothing out.
fn expand(changes: &Path) -> PathBuf {
    let expanded = changes.with_extension("expanded.jsonl");
    let out = run(Command::new("python3")
        .arg(root().join("scripts/expand_changes.py"))
        .arg(changes)
        .stdout(Stdio::from(
            std::fs::File::create(&expanded).expect("create expanded file"),
        )));
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "expand_changes.py {}: {}",
        changes.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    expanded
}

/// The expanded records equal the full ones (but for the envelope keys in `ignore`).
fn assert_same_series(expanded: &Path, full: &Path, ignore: &[&str], context: &str) {
    let out = run(Command::new("python3")
        .args(["-c", COMPARE])
        .arg(expanded)
        .arg(full)
        .arg(ignore.join(",")));
    assert!(
        out.status.success(),
        "{context}: the expanded changes differ from the full records: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Replay `pcap` with `args`, JSON to `file` (`-`: standard output, kept in `stdout_to`).
fn replay(pcap: &Path, file: &Path, args: &[String], stdout_to: Option<&Path>) {
    let out = run(Command::new(bin())
        .arg("--replay")
        .arg(pcap)
        .args(["-c", "-j", "--file-name"])
        .arg(file)
        .args(args));
    assert!(
        out.status.success(),
        "{}: {}",
        pcap.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    if let Some(path) = stdout_to {
        std::fs::write(path, &out.stdout).expect("write standard output");
    }
}

/// The samples' records of a changes-only file, each checked to say so.
fn changes_records(path: &Path) -> Vec<Value> {
    let records: Vec<Value> = all_json_lines(path)
        .into_iter()
        .filter(|r| !common::is_run_record(r))
        .collect();
    for r in &records {
        assert_eq!(r["changes"], true, "{}: {r}", path.display());
    }
    records
}

fn is_keyframe(r: &Value) -> bool {
    r["keyframe"] == true
}

/// Keyframe flags per record type, in file order.
fn keyframes_by_type(records: &[Value]) -> std::collections::BTreeMap<String, Vec<bool>> {
    let mut by_type = std::collections::BTreeMap::<String, Vec<bool>>::new();
    for r in records {
        by_type
            .entry(r["type"].as_str().expect("type").to_owned())
            .or_default()
            .push(is_keyframe(r));
    }
    by_type
}

#[test]
#[cfg_attr(
    not(all(have_python3, have_zstd)),
    ignore = "needs python3 (the reference reader) and zstd (the independent decoder)"
)]
fn every_capture_replayed_changes_only_expands_to_its_full_replay() {
    require(&[Need::Python3, Need::Zstd]);
    for pcap in captures() {
        let name = capture_name(&pcap);
        let dir = scratch("changes-capture");
        let options = recorded_options(&pcap);
        let with = |extra: &str| -> Vec<String> {
            let mut args = options.clone();
            args.push(extra.to_owned());
            args
        };
        let full = dir.join("full.jsonl");
        replay(&pcap, &full, &options, None);

        // Only the first record of each reader a keyframe: every later one is changes.
        let long = dir.join("long.jsonl");
        replay(&pcap, &long, &with("--changes-only=3600"), None);
        for (kind, keyframes) in keyframes_by_type(&changes_records(&long)) {
            assert!(
                keyframes[0],
                "{name} {kind}: the first record is a keyframe"
            );
            assert!(
                keyframes[1..].iter().all(|k| !k),
                "{name} {kind}: keyframes {keyframes:?} with an interval of an hour"
            );
        }
        assert_same_series(&expand(&long), &full, &[], &format!("{name}, 3600 s"));

        // A keyframe every 0.1 s of the recorded time (the captures' samples are 0.1 s
        // apart), compressed.
        let short_zst = dir.join("short.jsonl.zst");
        replay(&pcap, &short_zst, &with("--changes-only=0.1"), None);
        let short = dir.join("short.jsonl");
        check(
            Command::new("zstd")
                .args(["-q", "-d", "-f"])
                .arg(&short_zst)
                .arg("-o")
                .arg(&short),
        );
        let records = changes_records(&short);
        let full_records = common::json_lines(&full);
        for (r, f) in records.iter().zip(&full_records) {
            assert_eq!(r["elapsed"], f["elapsed"]);
        }
        // A record is a keyframe when its elapsed time enters a new 0.1 s period.
        let mut last_period = None;
        for r in &records {
            let period = (r["elapsed"].as_f64().expect("elapsed") * 1e6).round() as u64 / 100_000;
            assert_eq!(
                is_keyframe(r),
                last_period != Some(period),
                "{name}: keyframe at elapsed {}",
                r["elapsed"]
            );
            if is_keyframe(r) {
                last_period = Some(period);
            }
        }
        assert_same_series(&expand(&short), &full, &[], &format!("{name}, 0.1 s"));

        // To standard output.
        let piped = dir.join("stdout.jsonl");
        replay(&pcap, Path::new("-"), &with("--changes-only"), Some(&piped));
        changes_records(&piped);
        assert_same_series(&expand(&piped), &full, &[], &format!("{name}, stdout"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Enters the network namespace named `ns` on this thread.
fn enter(ns: &str) {
    use std::os::fd::AsRawFd;
    let file = std::fs::File::open(format!("/var/run/netns/{ns}")).expect("open netns");
    // SAFETY: a valid fd of a network namespace; setns changes only this thread.
    let rc = unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) };
    assert_eq!(rc, 0, "setns: {}", std::io::Error::last_os_error());
}

/// Traffic from `a` to `b` (10.9.61.2) through the veth until `stop`: a UDP datagram and 100
/// bytes on a TCP connection every millisecond; a second TCP connection opens after 1 s, and
/// the first closes after 1.5 s.
fn traffic(a: &Netns, b: &Netns, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream, UdpSocket};
    let (a, b) = (a.name.clone(), b.name.clone());
    std::thread::spawn(move || {
        let started = Instant::now();
        enter(&b);
        let listener = TcpListener::bind("10.9.61.2:0").expect("listen");
        let at = listener.local_addr().expect("address");
        enter(&a);
        let udp = UdpSocket::bind("0.0.0.0:0").expect("bind");
        let connect = || {
            let client = TcpStream::connect(at).expect("connect");
            let (server, _) = listener.accept().expect("accept");
            client.set_nonblocking(true).expect("nonblocking");
            server.set_nonblocking(true).expect("nonblocking");
            (client, server)
        };
        let mut first = Some(connect());
        let mut second = None;
        let mut buf = [0u8; 65536];
        while !stop.load(Ordering::Relaxed) {
            let _ = udp.send_to(&[0x5a; 200], "10.9.61.2:9");
            for (client, server) in first.iter_mut().chain(second.iter_mut()) {
                let _ = client.write(&[0x5a; 100]);
                let _ = server.read(&mut buf);
            }
            if second.is_none() && started.elapsed() >= Duration::from_millis(1000) {
                second = Some(connect());
            }
            if first.is_some() && started.elapsed() >= Duration::from_millis(1500) {
                first = None;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    })
}

fn stats(record: &Value) -> &Vec<Value> {
    record["stats"].as_array().expect("stats")
}

fn names(record: &Value) -> Vec<&str> {
    stats(record)
        .iter()
        .filter_map(|e| e["ifname"].as_str())
        .collect()
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2, have_python3)),
    ignore = "needs root, iproute2 (namespaces) and python3 (the reference reader)"
)]
fn live_changes_follow_the_busy_interface_and_mark_deleted_and_added_ones() {
    require(&[Need::Root, Need::Iproute2, Need::Python3]);
    let (a, b) = Netns::joined("chg-a", "chg-b", 61);
    // Veth pairs within the namespace (this kernel may lack dummy): both ends up, no traffic.
    a.ip(&[
        "link", "add", "quiet0", "type", "veth", "peer", "name", "quiet1",
    ]);
    a.ip(&["link", "set", "quiet0", "up"]);
    a.ip(&["link", "set", "quiet1", "up"]);
    a.ip(&[
        "link", "add", "doomed0", "type", "veth", "peer", "name", "doomed1",
    ]);
    a.sh("tc qdisc add dev va0 root pfifo limit 1000 && tc qdisc add dev quiet0 root pfifo limit 100");
    let va0 = a.ip_link_json();
    let index = |name: &str| {
        va0.iter()
            .find(|l| l["ifname"] == name)
            .and_then(|l| l["ifindex"].as_u64())
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let (va0_index, quiet_index, lo_index, doomed_index) =
        (index("va0"), index("quiet0"), index("lo"), index("doomed0"));
    // Counters settle (the links just came up) before the run starts.
    a.settled_links();

    let dir = scratch("changes-live");
    let file = dir.join("changes.jsonl");
    let pcap = dir.join("run.pcap");
    let stop = Arc::new(AtomicBool::new(false));
    let traffic = traffic(&a, &b, Arc::clone(&stop));
    let started = Instant::now();
    let child = a
        .command(&bin())
        .args(["-c", "-j", "--tc", "--ss", "-f", "50", "-t", "2"])
        .args(["--changes-only", "--file-name"])
        .arg(&file)
        .arg("--record")
        .arg(&pcap)
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn netstatspy");
    std::thread::sleep(Duration::from_millis(700).saturating_sub(started.elapsed()));
    a.ip(&["link", "del", "doomed0"]);
    std::thread::sleep(Duration::from_millis(1300).saturating_sub(started.elapsed()));
    a.ip(&[
        "link", "add", "fresh0", "type", "veth", "peer", "name", "fresh1",
    ]);
    let out = child.wait_with_output().expect("wait");
    stop.store(true, Ordering::Relaxed);
    traffic.join().expect("traffic thread");
    assert!(
        out.status.success(),
        "netstatspy: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let records = changes_records(&file);
    let ip: Vec<&Value> = records.iter().filter(|r| r["type"] == "ip").collect();
    let tc: Vec<&Value> = records.iter().filter(|r| r["type"] == "tc").collect();
    assert_eq!(ip.len(), 100, "-f 50 -t 2: 100 ip records");
    assert_eq!(tc.len(), 100, "100 tc records");
    assert!(is_keyframe(ip[0]) && is_keyframe(tc[0]));
    assert!(ip[1..].iter().chain(&tc[1..]).all(|r| !is_keyframe(r)));
    // The keyframe has every interface, with every key.
    for name in ["lo", "va0", "quiet0", "doomed0"] {
        assert!(names(ip[0]).contains(&name), "{name} in the keyframe");
    }
    let ifindexes = |r: &Value| -> Vec<u64> {
        stats(r)
            .iter()
            .filter_map(|e| e["ifindex"].as_u64())
            .collect()
    };
    // What the kernel said, sample by sample: the run's recording replayed full (its times are
    // the recorded requests', a moment after the live reads).
    let full = dir.join("full.jsonl");
    replay(&pcap, &full, &["--tc".to_owned(), "--ss".to_owned()], None);
    let full_ip: Vec<Value> = common::json_lines(&full)
        .into_iter()
        .filter(|r| r["type"] == "ip")
        .collect();
    assert_eq!(full_ip.len(), ip.len());
    let counters = |r: &Value, index: u64| -> Value {
        stats(r)
            .iter()
            .find(|e| e["ifindex"] == index)
            .map_or(Value::Null, |e| e["stats64"].clone())
    };
    let mut busy_records = 0;
    for (i, r) in ip.iter().enumerate().skip(1) {
        let present = ifindexes(r);
        // The busy veth in every record where its counters moved (the sender is a thread of
        // a shared machine: it may miss a 20 ms period), with its counters and without its
        // unchanged metadata.
        let moved = counters(&full_ip[i], va0_index) != counters(&full_ip[i - 1], va0_index);
        let busy = stats(r).iter().find(|e| e["ifindex"] == va0_index);
        assert_eq!(busy.is_some(), moved, "va0 in ip record {i}: {r}");
        let Some(busy) = busy else { continue };
        busy_records += 1;
        assert_eq!(busy["stats64"], counters(&full_ip[i], va0_index));
        assert!(
            busy.get("mtu").is_none() && busy.get("ifname").is_none(),
            "{busy}"
        );
        // The quiet ones only in the keyframe, but for their identity where they say where a
        // new interface that follows them goes.
        for quiet in [quiet_index, lo_index] {
            let Some(at) = present.iter().position(|&x| x == quiet) else {
                continue;
            };
            assert_eq!(
                stats(r)[at],
                serde_json::json!({ "ifindex": quiet }),
                "ifindex {quiet} in record {i}: {r}"
            );
            let next = stats(r).get(at + 1).unwrap_or(&Value::Null);
            assert!(
                next.get("ifname").is_some(),
                "ifindex {quiet} in record {i} without a new interface after it: {r}"
            );
        }
    }
    assert!(
        busy_records >= 90,
        "va0 moved in {busy_records} of 99 records"
    );
    // The deleted interface is gone once, in the first record without it, and never written
    // again.
    let gone: Vec<usize> = ip
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r["gone"]
                .as_array()
                .is_some_and(|g| g.iter().any(|id| id["ifindex"] == doomed_index))
        })
        .map(|(i, _)| i)
        .collect();
    assert_eq!(gone.len(), 1, "doomed0 marked gone once: {gone:?}");
    assert_eq!(
        ip[gone[0]]["gone"]
            .as_array()
            .map(|g| g.iter().find(|id| id["ifindex"] == doomed_index)),
        Some(Some(&serde_json::json!({ "ifindex": doomed_index })))
    );
    assert!(
        ip[gone[0]..]
            .iter()
            .all(|r| !ifindexes(r).contains(&doomed_index))
    );
    // The added interface appears whole once.
    let fresh: Vec<&Value> = ip
        .iter()
        .flat_map(|r| stats(r))
        .filter(|e| e["ifname"] == "fresh0")
        .collect();
    assert_eq!(fresh.len(), 1, "fresh0 written whole once: {fresh:?}");
    for key in [
        "ifindex",
        "flags",
        "mtu",
        "operstate",
        "link_type",
        "address",
    ] {
        assert!(
            fresh[0].get(key).is_some(),
            "fresh0 whole: {key} in {}",
            fresh[0]
        );
    }
    // tc: the busy veth's pfifo in every record where it moved, the quiet pfifo only in the
    // keyframe.
    let full_tc: Vec<Value> = common::json_lines(&full)
        .into_iter()
        .filter(|r| r["type"] == "tc")
        .collect();
    assert_eq!(full_tc.len(), tc.len());
    let qdisc = |r: &Value, dev: &str| -> Value {
        stats(r)
            .iter()
            .find(|e| e["dev"] == dev)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let mut busy_records = 0;
    for (i, r) in tc.iter().enumerate().skip(1) {
        let devs: Vec<&str> = stats(r).iter().filter_map(|e| e["dev"].as_str()).collect();
        let moved = qdisc(&full_tc[i], "va0") != qdisc(&full_tc[i - 1], "va0");
        assert_eq!(
            devs.contains(&"va0"),
            moved,
            "va0's qdisc in tc record {i}: {r}"
        );
        busy_records += usize::from(moved);
        assert!(!devs.contains(&"quiet0"), "quiet0's qdisc in {r}");
    }
    assert!(
        busy_records >= 90,
        "va0's qdisc moved in {busy_records} of 99 records"
    );

    // ss: the first connection's socket is gone once, by its identity; the second's is
    // written whole once.
    let ss: Vec<&Value> = records.iter().filter(|r| r["type"] == "ss").collect();
    assert_eq!(ss.len(), 100, "100 ss records");
    let gone: Vec<&Value> = ss
        .iter()
        .flat_map(|r| r["gone"].as_array().into_iter().flatten())
        .collect();
    assert!(
        gone.iter().any(|id| {
            let mut keys: Vec<&String> = id
                .as_object()
                .map(|o| o.keys().collect())
                .unwrap_or_default();
            keys.sort();
            keys == ["cookie", "local", "netid", "peer"] && id["peer"]["address"] == "10.9.61.2"
        }),
        "the first connection's socket gone: {gone:?}"
    );
    assert!(
        ss[1..]
            .iter()
            .flat_map(|r| stats(r))
            .any(|e| e.get("tcp_info").is_some() && e.get("state").is_some()),
        "the second connection's socket written whole"
    );
    // The full series the changes stand for is what the kernel said.
    assert_same_series(
        &expand(&file),
        &full,
        &["timestamp", "elapsed", "run"],
        "the live changes-only file",
    );
    // The recording replayed changes-only, with a keyframe every 0.5 s, expands to it too.
    let again = dir.join("replayed.jsonl");
    replay(
        &pcap,
        &again,
        &[
            "--tc".to_owned(),
            "--ss".to_owned(),
            "--changes-only=0.5".to_owned(),
        ],
        None,
    );
    let keyframes = changes_records(&again)
        .iter()
        .filter(|r| is_keyframe(r))
        .count();
    assert_eq!(
        keyframes, 12,
        "ip's, tc's and ss's keyframes in 2 s at 0.5 s"
    );
    assert_same_series(
        &expand(&again),
        &full,
        &[],
        "the recording replayed changes-only",
    );

    // Readers at rates of their own keep their own changes and keyframes (a recording of such a
    // run does not replay, so the check is on the file alone): tc at 25/s beside ip at 50/s,
    // a keyframe every 0.5 s, and the expanded records hold every interface and qdisc.
    let rated = dir.join("rated.jsonl");
    let out = run(a
        .command(&bin())
        .args(["-c", "-j", "--tc", "-f", "50", "-t", "1", "--rate", "tc=25"])
        .args(["--changes-only=0.5", "--file-name"])
        .arg(&rated));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records = changes_records(&rated);
    let keyframes = keyframes_by_type(&records);
    assert_eq!(keyframes["ip"].len(), 50);
    assert_eq!(keyframes["tc"].len(), 25);
    for (kind, flags) in &keyframes {
        let at: Vec<usize> = (0..flags.len()).filter(|&i| flags[i]).collect();
        assert_eq!(at.len(), 2, "{kind}: keyframes at {at:?}");
    }
    let expanded = all_json_lines(&expand(&rated));
    let now = a.ip_link_json();
    for r in expanded.iter().filter(|r| r["type"] == "ip") {
        assert_eq!(stats(r).len(), now.len(), "every interface in {r}");
    }
    for r in expanded.iter().filter(|r| r["type"] == "tc") {
        let devs: Vec<&str> = stats(r).iter().filter_map(|e| e["dev"].as_str()).collect();
        assert!(devs.contains(&"va0") && devs.contains(&"quiet0"), "{r}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
