//! `--netns`: sampling another network namespace from outside it. Every reader must see that
//! namespace — compared with iproute2 and sysfs/procfs read inside it with `ip netns exec`.

mod common;

use std::collections::HashSet;
use std::process::Command;

use common::ss::{keyed, parse_ss};
use common::{
    Need, Netns, assert_covers, assert_same_links, bin, check, json_lines, queue_names, require,
    scratch,
};
use serde_json::Value;

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces; ip, tc and ss as the oracle)"
)]
fn every_reader_sees_the_named_namespace() {
    require(&[Need::Root, Need::Iproute2]);
    // The peer namespace lives as long as the test: vb0 is in it.
    let (a, _b) = Netns::joined("nsa", "nsb", 2);
    a.ip(&["link", "add", "ifbn0", "numtxqueues", "3", "type", "ifb"]);
    check(Command::new("tc").args([
        "-n", &a.name, "qdisc", "replace", "dev", "va0", "root", "pfifo", "limit", "77",
    ]));
    // A value the host does not have, so reading the host's procfs would show.
    a.sh("echo 123457 > /proc/sys/net/ipv4/tcp_limit_output_bytes");
    a.send_udp("10.9.2.2:9", 50, 300);
    // A connected UDP socket pair inside the namespace, held by this test.
    let path = format!("/var/run/netns/{}", a.name);
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        use std::os::fd::AsRawFd;
        let f = std::fs::File::open(&path).expect("netns");
        // SAFETY: a valid namespace fd; changes only this thread.
        assert_eq!(unsafe { libc::setns(f.as_raw_fd(), libc::CLONE_NEWNET) }, 0);
        let u1 = std::net::UdpSocket::bind("10.9.2.1:0").expect("udp");
        let u2 = std::net::UdpSocket::bind("10.9.2.1:0").expect("udp");
        u1.connect(u2.local_addr().expect("addr")).expect("connect");
        u2.connect(u1.local_addr().expect("addr")).expect("connect");
        let _ = ready_tx.send(());
        let _ = rx.recv();
        drop((u1, u2));
    });
    ready_rx.recv().expect("sockets");

    let file = scratch("netns").join("out.jsonl");
    let links_before = a.settled_links();
    let tc_before = check(Command::new("tc").args(["-n", &a.name, "-s", "-j", "qdisc", "show"]));
    // The path form of --netns; the name form is the same file.
    let spec = format!("/var/run/netns/{}", a.name);
    let out = check(
        Command::new(bin())
            .args([
                "--netns",
                &spec,
                "--tc",
                "--ss",
                "--queue-limits",
                "--small-queue",
            ])
            .args(["-c", "-j", "-t", "0.5", "--file-name"])
            .arg(&file),
    );
    assert!(out.is_empty());
    let links_after = a.ip_link_json();
    let tc_after = check(Command::new("tc").args(["-n", &a.name, "-s", "-j", "qdisc", "show"]));
    let ss = parse_ss(&check(
        Command::new("ip").args(["netns", "exec", &a.name]).args([
            "ss",
            "-tuinmHOn",
            "-o",
            "state",
            "established",
        ]),
    ));
    drop(tx);
    holder.join().expect("holder");
    assert_eq!(
        links_before, links_after,
        "link counters moved during the run"
    );
    assert_eq!(tc_before, tc_after, "qdisc counters moved during the run");

    let records = json_lines(&file);
    let of = |kind: &str| {
        records
            .iter()
            .find(|r| r["type"] == kind)
            .unwrap_or_else(|| panic!("{kind}"))
    };
    assert_same_links(
        of("ip")["stats"].as_array().expect("ip"),
        &links_after,
        "--netns ip",
    );
    let tc: Vec<Value> = serde_json::from_str(&tc_after).expect("tc json");
    let ours = of("tc")["stats"].as_array().expect("tc");
    assert_eq!(ours.len(), tc.len());
    for (o, t) in ours.iter().zip(&tc) {
        assert_covers(o, t, "--netns tc");
    }
    let sockets = keyed(&of("ss")["stats"]);
    let ours_keys: HashSet<_> = sockets.keys().cloned().collect();
    let ss_keys: HashSet<_> = ss.keys().cloned().collect();
    assert_eq!(ours_keys, ss_keys, "--netns ss");
    assert_eq!(
        ours_keys.len(),
        2,
        "the two connected UDP sockets: {ours_keys:?}"
    );
    let queues = of("queue_limits")["stats"].as_array().expect("ql");
    let names = queue_names(of("queue_limits"));
    // Only the namespace's ifb: the host's interfaces (eth0, ifb0) are not visible.
    assert_eq!(names, ["ifbn0/tx-0", "ifbn0/tx-1", "ifbn0/tx-2"]);
    for q in queues {
        let limit_max = a.sh(&format!(
            "cat /sys/class/net/ifbn0/queues/{}/byte_queue_limits/limit_max",
            q["queue"].as_str().expect("queue")
        ));
        assert_eq!(q["limit_max"].as_u64(), limit_max.trim().parse().ok());
    }
    assert_eq!(
        of("small_queue")["stats"][0]["tcp_limit_output_bytes"],
        123_457
    );
    // The host's own sysfs was not changed by the run.
    assert!(std::path::Path::new("/sys/class/net/lo").exists());
    assert!(!std::path::Path::new("/sys/class/net/ifbn0").exists());
}

#[test]
fn unknown_namespace_is_a_clear_error() {
    let out = common::run(Command::new(bin()).args(["--netns", "no-such-namespace-x", "-t", "1"]));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("netstatspy: error: network namespace /var/run/netns/no-such-namespace-x"),
        "{err}"
    );
}

/// `--iface a,b` (and `--iface a --iface b`) report exactly the union of `--iface a` and
/// `--iface b`: the same interfaces for ip, the same qdiscs for tc.
#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces)"
)]
fn several_interfaces_are_the_union_of_single_ones() {
    use std::collections::BTreeSet;
    require(&[Need::Root, Need::Iproute2]);
    let ns = Netns::new("ifaces");
    for (a, b) in [("ua", "ub"), ("uc", "ud")] {
        ns.ip(&["link", "add", a, "type", "veth", "peer", "name", b]);
    }
    ns.sh("tc qdisc add dev ua root handle 1: pfifo limit 10; \
           tc qdisc add dev uc root handle 2: htb default 1; \
           tc qdisc add dev ub root handle 3: pfifo_fast");
    let dir = scratch("ifaces");
    let read = |tag: &str, args: &[&str]| -> (BTreeSet<String>, BTreeSet<String>) {
        let file = dir.join(format!("{tag}.jsonl"));
        check(
            ns.command(&bin())
                .args(["--tc", "-c", "-j", "-t", "0.1"])
                .args(args)
                .arg("--file-name")
                .arg(&file),
        );
        let mut links = BTreeSet::new();
        let mut qdiscs = BTreeSet::new();
        for r in json_lines(&file) {
            for e in r["stats"].as_array().expect("stats") {
                match r["type"].as_str() {
                    Some("ip") => links.insert(e["ifname"].to_string()),
                    Some("tc") => qdiscs.insert(format!("{} {}", e["dev"], e["handle"])),
                    _ => false,
                };
            }
        }
        (links, qdiscs)
    };
    let (la, qa) = read("a", &["--iface", "ua"]);
    let (lc, qc) = read("c", &["--iface", "uc"]);
    assert_eq!(la.len(), 1);
    assert_eq!(lc.len(), 1);
    let union = |x: &BTreeSet<String>, y: &BTreeSet<String>| -> BTreeSet<String> {
        x.union(y).cloned().collect()
    };
    for args in [
        &["--iface", "ua,uc"][..],
        &["--iface", "uc", "--iface", "ua"],
        &["--iface", "ua,uc,ua"],
    ] {
        let (l, q) = read("both", args);
        assert_eq!(l, union(&la, &lc), "{args:?}");
        assert_eq!(q, union(&qa, &qc), "{args:?}");
    }
    // Every name must exist.
    let out = common::run(
        ns.command(&bin())
            .args(["--iface", "ua,nosuch0", "-c", "-t", "0.1"]),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("nosuch0"), "{err}");
}

/// `--record` without a logger makes the kernel exchanges only (nothing decoded), yet the
/// recording replays exactly as one of a decoding run would: every sample, while links come and
/// go (the exchanges follow the same link-refresh logic as decoding does).
#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces)"
)]
fn recording_without_decoding_replays_every_sample() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    require(&[Need::Root, Need::Iproute2]);
    let ns = Netns::new("rawrec");
    ns.ip(&["link", "add", "ra", "type", "veth", "peer", "name", "rb"]);
    let dir = scratch("rawrec");
    let pcap = dir.join("raw.pcap");
    let stop = Arc::new(AtomicBool::new(false));
    let churn = {
        let (stop, name) = (Arc::clone(&stop), ns.name.clone());
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let _ = common::run(Command::new("ip").args([
                    "-n",
                    &name,
                    "link",
                    "add",
                    &format!("c{n}"),
                    "type",
                    "veth",
                    "peer",
                    "name",
                    &format!("d{n}"),
                ]));
                std::thread::sleep(std::time::Duration::from_millis(60));
                let _ = common::run(Command::new("ip").args([
                    "-n",
                    &name,
                    "link",
                    "del",
                    &format!("c{n}"),
                ]));
                n += 1;
            }
            n
        })
    };
    let out = common::run(
        ns.command(&bin())
            .args([
                "--tc", "--ss", "-c", "-f", "50", "-t", "2", "-v", "--record",
            ])
            .arg(&pcap),
    );
    stop.store(true, Ordering::Relaxed);
    let rounds = churn.join().expect("churn");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(rounds > 5, "links came and went: {rounds}");
    let exchanged = |kind: &str| -> u64 {
        let line = err
            .lines()
            .find(|l| l.starts_with(&format!("netstatspy: reader {kind}: ")))
            .unwrap_or_else(|| panic!("{err}"));
        line.split_whitespace()
            .nth(3)
            .and_then(|n| n.parse().ok())
            .expect("records")
    };
    let file = dir.join("replayed.jsonl");
    let out = common::run(
        Command::new(bin())
            .args(["--tc", "--ss", "-c", "-j", "--replay"])
            .arg(&pcap)
            .arg("--file-name")
            .arg(&file),
    );
    let replay_err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{replay_err}");
    assert!(!replay_err.contains("warning"), "{replay_err}");
    let records = json_lines(&file);
    for kind in ["ip", "tc", "ss"] {
        let n = records.iter().filter(|r| r["type"] == kind).count() as u64;
        assert_eq!(n, exchanged(kind), "{kind}: {err}");
    }
    // And the links are decoded: every ip record names ra and rb.
    for r in records.iter().filter(|r| r["type"] == "ip") {
        let names: Vec<&str> = r["stats"]
            .as_array()
            .expect("stats")
            .iter()
            .filter_map(|l| l["ifname"].as_str())
            .collect();
        assert!(names.contains(&"ra") && names.contains(&"rb"), "{names:?}");
    }
}
