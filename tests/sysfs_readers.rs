//! The queue_limits and small_queue readers: on fake sysfs/procfs trees built by the test
//! (missing, unreadable and non-numeric files, queues that vanish), and live in a namespace of
//! our own, compared with what the test itself reads from sysfs/procfs.

mod common;

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::rc::Rc;
use std::time::Duration;

use common::{Need, Netns, bin, json_lines, queue_names, require, scratch};
use netstatspy::model::Stats;
use netstatspy::model::queue_limits::QueueLimits;
use netstatspy::netlink::watch::{LinkWatch, Unwatched};
use netstatspy::output::json::encoder::JsonEncoder;
use netstatspy::readers::queue_limits::QueueLimitsReader;
use netstatspy::readers::small_queue::SmallQueueReader;
use netstatspy::readers::{ReadError, Reader};

/// Write a fake `byte_queue_limits` directory for `iface`/`tx-N` with `files`.
fn fake_queue(sys: &Path, iface: &str, queue: u32, files: &[(&str, &str)]) -> PathBuf {
    let dir = sys.join(format!(
        "class/net/{iface}/queues/tx-{queue}/byte_queue_limits"
    ));
    std::fs::create_dir_all(&dir).expect("mkdir");
    for (name, content) in files {
        std::fs::write(dir.join(name), content).expect("write");
    }
    dir
}

const FULL: [(&str, &str); 8] = [
    ("limit", "2465\n"),
    ("limit_max", "1879048192\n"),
    ("limit_min", "0\n"),
    ("inflight", "0\n"),
    ("hold_time", "1000\n"),
    ("stall_thrs", "0\n"),
    ("stall_cnt", "0\n"),
    ("stall_max", "0\n"),
];

fn queues(reader: &mut impl Reader) -> (Vec<QueueLimits>, Vec<String>) {
    let c = reader.collect().expect("collect");
    match c.stats {
        Stats::QueueLimits(q) => (q, c.warnings.iter().map(|w| w.to_string()).collect()),
        other => panic!("unexpected stats {other:?}"),
    }
}

/// The elements of `stats` as the JSON output writes them.
fn json_of(stats: &Stats) -> serde_json::Value {
    fn each<D: netstatspy::model::Describe>(items: &[D]) -> serde_json::Value {
        let mut enc = JsonEncoder::new();
        serde_json::Value::Array(
            items
                .iter()
                .map(|item| {
                    let mut out = Vec::new();
                    enc.object(item, &mut out);
                    serde_json::from_slice(&out).expect("valid JSON")
                })
                .collect(),
        )
    }
    match stats {
        Stats::QueueLimits(q) => each(q),
        Stats::SmallQueue(v) => each(v),
        other => panic!("unexpected stats {other:?}"),
    }
}

fn value(q: &QueueLimits, name: &str) -> Option<u64> {
    q.values.iter().find(|(n, _)| &**n == name).map(|(_, v)| *v)
}

/// A watch the test triggers by hand.
#[derive(Clone, Default)]
struct Trigger(Rc<Cell<bool>>);
impl LinkWatch for Trigger {
    fn changed(&mut self) -> bool {
        self.0.replace(false)
    }
}

#[test]
fn fake_tree_values_order_and_absent_interfaces() {
    let sys = scratch("sys");
    fake_queue(&sys, "eth0", 0, &FULL);
    fake_queue(&sys, "eth0", 10, &FULL[..5]);
    fake_queue(
        &sys,
        "eth0",
        2,
        &[("limit", "7\n"), ("bql_new_knob", "5\n")],
    );
    // lo: queues without BQL; veth0: no queues directory at all.
    std::fs::create_dir_all(sys.join("class/net/lo/queues/tx-0")).expect("mkdir");
    std::fs::create_dir_all(sys.join("class/net/veth0")).expect("mkdir");
    let mut r = QueueLimitsReader::with_root(&sys, Unwatched, &[]).expect("reader");
    assert_eq!(r.kind(), "queue_limits");
    let (q, warnings) = queues(&mut r);
    assert!(warnings.is_empty(), "{warnings:?}");
    let names: Vec<_> = q
        .iter()
        .map(|q| format!("{}/{}", q.ifname, q.queue))
        .collect();
    // Queues in numeric order; interfaces without BQL absent.
    assert_eq!(names, ["eth0/tx-0", "eth0/tx-2", "eth0/tx-10"]);
    let keys: Vec<&str> = q[0].values.iter().map(|(n, _)| &**n).collect();
    assert_eq!(keys, FULL.map(|(n, _)| n));
    assert_eq!(value(&q[0], "limit_max"), Some(1_879_048_192));
    assert_eq!(value(&q[0], "hold_time"), Some(1000));
    // Missing files are missing keys; a file of a newer kernel is read too.
    assert_eq!(q[2].values.len(), 5);
    assert_eq!(value(&q[2], "stall_cnt"), None);
    assert_eq!(value(&q[1], "bql_new_knob"), Some(5));
    let json = json_of(&Stats::QueueLimits(q.clone()))[1].clone();
    assert_eq!(
        json,
        serde_json::json!({"ifname":"eth0","queue":"tx-2","limit":7,"bql_new_knob":5})
    );
}

#[test]
fn values_are_reread_each_sample() {
    let sys = scratch("sys");
    let dir = fake_queue(&sys, "eth0", 0, &FULL);
    let mut r = QueueLimitsReader::with_root(&sys, Unwatched, &[]).expect("reader");
    assert_eq!(value(&queues(&mut r).0[0], "limit_min"), Some(0));
    std::fs::write(dir.join("limit_min"), "1514\n").expect("write");
    assert_eq!(value(&queues(&mut r).0[0], "limit_min"), Some(1514));
}

#[test]
fn bad_files_warn_and_leave_the_rest() {
    let sys = scratch("sys");
    let dir = fake_queue(&sys, "eth0", 0, &FULL);
    std::fs::write(dir.join("limit"), "garbage\n").expect("write");
    // A file that opens but cannot be read (as root, permissions do not stop reads).
    std::fs::remove_file(dir.join("inflight")).expect("rm");
    std::os::unix::fs::symlink("/proc/self/mem", dir.join("inflight")).expect("symlink");
    let mut r = QueueLimitsReader::with_root(&sys, Unwatched, &[]).expect("reader");
    let (q, warnings) = queues(&mut r);
    assert_eq!(q.len(), 1);
    assert_eq!(value(&q[0], "limit"), None);
    assert_eq!(value(&q[0], "inflight"), None);
    assert_eq!(value(&q[0], "limit_max"), Some(1_879_048_192));
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings.iter().any(|w| w.contains("\"garbage\"")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("inflight")),
        "{warnings:?}"
    );
}

#[test]
fn queues_that_come_and_go_are_noticed_on_link_changes() {
    let sys = scratch("sys");
    fake_queue(&sys, "eth0", 0, &FULL);
    fake_queue(&sys, "eth0", 1, &FULL);
    let trigger = Trigger::default();
    let mut r = QueueLimitsReader::with_root(&sys, trigger.clone(), &[]).expect("reader");
    assert_eq!(queues(&mut r).0.len(), 2);
    std::fs::remove_dir_all(sys.join("class/net/eth0/queues/tx-1")).expect("rm");
    fake_queue(&sys, "eth1", 0, &FULL);
    // Without a link notification the tree is not listed again.
    assert_eq!(queues(&mut r).0.len(), 2);
    trigger.0.set(true);
    let (q, warnings) = queues(&mut r);
    let names: Vec<_> = q
        .iter()
        .map(|q| format!("{}/{}", q.ifname, q.queue))
        .collect();
    assert_eq!(names, ["eth0/tx-0", "eth1/tx-0"]);
    assert!(warnings.is_empty());
    // Everything gone: an empty sample, not an error.
    std::fs::remove_dir_all(sys.join("class/net")).expect("rm");
    trigger.0.set(true);
    let (q, warnings) = queues(&mut r);
    assert!(q.is_empty());
    assert_eq!(warnings.len(), 1, "{warnings:?}");
}

#[test]
fn iface_restricts_and_must_exist() {
    let sys = scratch("sys");
    fake_queue(&sys, "eth0", 0, &FULL);
    fake_queue(&sys, "eth1", 0, &FULL);
    let mut r = QueueLimitsReader::with_root(&sys, Unwatched, &["eth1".into()]).expect("reader");
    let (q, _) = queues(&mut r);
    assert_eq!(q.len(), 1);
    assert_eq!(&*q[0].ifname, "eth1");
    let err = QueueLimitsReader::with_root(&sys, Unwatched, &["nosuch0".into()])
        .err()
        .expect("missing interface");
    assert!(matches!(err, ReadError::NoSuchInterface(_)), "{err}");
    // Several: exactly the union of each alone.
    fake_queue(&sys, "eth2", 0, &FULL);
    fake_queue(&sys, "eth2", 1, &FULL);
    let names = |ifaces: &[std::ffi::OsString]| -> Vec<String> {
        let mut r = QueueLimitsReader::with_root(&sys, Unwatched, ifaces).expect("reader");
        let mut n: Vec<String> = queues(&mut r)
            .0
            .iter()
            .map(|q| format!("{} {}", q.ifname, q.queue))
            .collect();
        n.sort();
        n
    };
    let mut union = names(&["eth0".into()]);
    union.extend(names(&["eth2".into()]));
    union.sort();
    assert_eq!(union.len(), 3);
    assert_eq!(names(&["eth2".into(), "eth0".into()]), union);
    // One of several missing: the run cannot start.
    let err = QueueLimitsReader::with_root(&sys, Unwatched, &["eth0".into(), "nosuch0".into()])
        .err()
        .expect("missing interface");
    assert!(
        matches!(err, ReadError::NoSuchInterface(ref n) if n == "nosuch0"),
        "{err}"
    );
}

#[test]
fn small_queue_fake_tree() {
    let proc = scratch("proc");
    let file = proc.join("sys/net/ipv4/tcp_limit_output_bytes");
    // Missing file: a clear error naming it.
    let err = SmallQueueReader::with_root(&proc).err().expect("missing");
    assert!(
        netstatspy::error_chain(&err).contains("tcp_limit_output_bytes"),
        "{err}"
    );
    std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
    std::fs::write(&file, "lots\n").expect("write");
    let err = SmallQueueReader::with_root(&proc)
        .err()
        .expect("not a number");
    assert!(err.to_string().contains("does not hold a number"), "{err}");
    std::fs::write(&file, "262144\n").expect("write");
    let mut r = SmallQueueReader::with_root(&proc).expect("reader");
    let c = r.collect().expect("collect");
    assert_eq!(
        json_of(&c.stats),
        serde_json::json!([{"tcp_limit_output_bytes": 262144}])
    );
    std::fs::write(&file, "131072\n").expect("write");
    let c = r.collect().expect("collect");
    assert_eq!(
        json_of(&c.stats),
        serde_json::json!([{"tcp_limit_output_bytes": 131072}])
    );
}

/// Read a file inside the namespace's own sysfs/procfs, as the test's independent reading.
fn read_in(ns: &Netns, path: &str) -> u64 {
    ns.sh(&format!("cat {path}"))
        .trim()
        .parse()
        .expect("number")
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces; ip, tc and ss as the oracle)"
)]
fn live_values_and_changes_during_a_run() {
    require(&[Need::Root, Need::Iproute2]);
    let ns = Netns::new("bql");
    // ifb devices have byte queue limits; veth and lo do not.
    ns.ip(&["link", "add", "ifbq0", "numtxqueues", "4", "type", "ifb"]);
    ns.ip(&["link", "add", "ifbq1", "type", "ifb"]);
    ns.ip(&["link", "add", "vq0", "type", "veth", "peer", "name", "vq1"]);
    let bql = "/sys/class/net/ifbq0/queues/tx-2/byte_queue_limits";
    let file = scratch("bql").join("run.jsonl");
    let child = ns
        .command(&bin())
        .args(["--no-ip", "--queue-limits", "--small-queue", "-c", "-j"])
        .args(["-f", "20", "-t", "2.5", "--file-name"])
        .arg(&file)
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(Duration::from_millis(700));
    ns.sh(&format!("echo 3000 > {bql}/limit_min"));
    ns.sh("echo 65536 > /proc/sys/net/ipv4/tcp_limit_output_bytes");
    ns.ip(&["link", "del", "ifbq1"]);
    ns.ip(&["link", "add", "ifbq2", "type", "ifb"]);
    let out = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.is_empty(), "a removed device is not a warning: {err}");

    let records = json_lines(&file);
    assert_eq!(records.len(), 2 * 50);
    let of = |kind: &str| -> Vec<&serde_json::Value> {
        records.iter().filter(|r| r["type"] == kind).collect()
    };
    let (first, last) = (
        of("queue_limits")[0],
        *of("queue_limits").last().expect("last"),
    );
    assert_eq!(
        queue_names(first),
        [
            "ifbq0/tx-0",
            "ifbq0/tx-1",
            "ifbq0/tx-2",
            "ifbq0/tx-3",
            "ifbq1/tx-0"
        ]
    );
    assert_eq!(
        queue_names(last),
        [
            "ifbq0/tx-0",
            "ifbq0/tx-1",
            "ifbq0/tx-2",
            "ifbq0/tx-3",
            "ifbq2/tx-0"
        ]
    );
    // Every value of the last sample equals what the test reads from the namespace's sysfs.
    for q in last["stats"].as_array().expect("stats") {
        let dir = format!(
            "/sys/class/net/{}/queues/{}/byte_queue_limits",
            q["ifname"].as_str().expect("s"),
            q["queue"].as_str().expect("s")
        );
        let listing = ns.sh(&format!("ls {dir}"));
        let files: Vec<&str> = listing.split_whitespace().collect();
        let obj = q.as_object().expect("object");
        assert_eq!(obj.len(), files.len() + 2, "every file is reported: {q}");
        for f in files {
            assert_eq!(
                obj[f].as_u64(),
                Some(read_in(&ns, &format!("{dir}/{f}"))),
                "{dir}/{f}"
            );
        }
    }
    let tx2 = |r: &serde_json::Value| r["stats"][2]["limit_min"].as_u64();
    assert_eq!(tx2(first), Some(0));
    assert_eq!(tx2(last), Some(3000));
    let sq = of("small_queue");
    assert_eq!(
        sq.last().expect("last")["stats"][0]["tcp_limit_output_bytes"],
        read_in(&ns, "/proc/sys/net/ipv4/tcp_limit_output_bytes")
    );
    assert_ne!(sq[0]["stats"][0], sq.last().expect("last")["stats"][0]);
}
