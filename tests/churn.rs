//! Churn: interfaces, qdiscs and sockets created and deleted continuously while sampling; and an
//! `--iface` interface that disappears and comes back.

mod common;

use std::net::{TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::{Need, Netns, bin, json_lines, require, run, scratch};

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces; ip, tc and ss as the oracle)"
)]
fn iface_that_vanishes_warns_once_and_is_announced_back() {
    require(&[Need::Root, Need::Iproute2]);
    let ns = Netns::new("vanish");
    // Up, so the device gets its default qdisc.
    ns.ip(&["link", "add", "ifw0", "numtxqueues", "2", "type", "ifb"]);
    ns.ip(&["link", "set", "ifw0", "up"]);
    let file = scratch("vanish").join("out.jsonl");
    let child = ns
        .command(&bin())
        .args([
            "--iface",
            "ifw0",
            "--tc",
            "--queue-limits",
            "-c",
            "-j",
            "-f",
            "20",
            "-t",
            "3",
        ])
        .arg("--file-name")
        .arg(&file)
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(Duration::from_millis(800));
    ns.ip(&["link", "del", "ifw0"]);
    std::thread::sleep(Duration::from_millis(800));
    ns.ip(&["link", "add", "ifw0", "numtxqueues", "2", "type", "ifb"]);
    ns.ip(&["link", "set", "ifw0", "up"]);
    let out = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    // One line when it goes (whichever reader misses it first), one when the last reader that
    // missed it reads it again.
    // (On a loaded machine the run may also account for slots it skipped.)
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| !l.starts_with("netstatspy: warning: samples missing:"))
        .collect();
    assert_eq!(
        warnings.len(),
        2,
        "one line for going, one for coming back: {err}"
    );
    assert!(warnings[0].contains("\"ifw0\" is gone"), "{err}");
    assert!(
        warnings[1].starts_with("netstatspy: warning: ")
            && warnings[1].contains("\"ifw0\" is back"),
        "{err}"
    );
    let records = json_lines(&file);
    for kind in ["ip", "tc", "queue_limits"] {
        let sizes: Vec<usize> = records
            .iter()
            .filter(|r| r["type"] == kind)
            .map(|r| r["stats"].as_array().expect("stats").len())
            .collect();
        assert_eq!(sizes.len(), 60, "{kind}: every sample logged");
        // ip: the interface; tc: mq and its two children; queue_limits: two queues.
        let full = match kind {
            "ip" => 1,
            _ => 3 - usize::from(kind == "queue_limits"),
        };
        assert_eq!(sizes[0], full, "{kind} before: {sizes:?}");
        assert!(sizes.contains(&0), "{kind} gap: {sizes:?}");
        assert_eq!(
            *sizes.last().expect("last"),
            full,
            "{kind} resumed: {sizes:?}"
        );
    }
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces; ip, tc and ss as the oracle)"
)]
fn churn_while_sampling_at_100_hz() {
    require(&[Need::Root, Need::Iproute2]);
    let ns = Netns::new("churn");
    let stop = Arc::new(AtomicBool::new(false));
    // Sockets come and go: connections opened and closed in a loop inside the namespace.
    let sockets = {
        let stop = Arc::clone(&stop);
        let path = format!("/var/run/netns/{}", ns.name);
        std::thread::spawn(move || {
            let f = std::fs::File::open(&path).expect("netns");
            // SAFETY: a valid namespace fd; changes only this thread.
            assert_eq!(unsafe { libc::setns(f.as_raw_fd(), libc::CLONE_NEWNET) }, 0);
            let listener = TcpListener::bind("127.0.0.1:0").expect("listen");
            let addr = listener.local_addr().expect("addr");
            let mut held = Vec::new();
            let mut rounds = 0u64;
            while !stop.load(Ordering::Relaxed) {
                for _ in 0..50 {
                    let c = TcpStream::connect(addr).expect("connect");
                    let (s, _) = listener.accept().expect("accept");
                    held.push((c, s));
                }
                held.drain(..held.len() / 2);
                rounds += 1;
            }
            rounds
        })
    };
    let file = scratch("churn").join("out.jsonl");
    let child = ns
        .command(&bin())
        .args([
            "--tc",
            "--ss",
            "--queue-limits",
            "--small-queue",
            "-c",
            "-j",
            "-v",
        ])
        .args(["-f", "100", "-t", "12", "--file-name"])
        .arg(&file)
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Links and qdiscs come and go.
    let started = Instant::now();
    let mut churned = 0;
    while started.elapsed() < Duration::from_secs(11) {
        let batch: String = (0..10)
            .flat_map(|i| {
                [
                    format!("link add vc{i} type veth peer name vd{i}"),
                    format!("link set vc{i} up"),
                    format!("link add ifc{i} type ifb"),
                ]
            })
            .chain((0..10).flat_map(|i| [format!("link del vc{i}"), format!("link del ifc{i}")]))
            .collect::<Vec<_>>()
            .join("\n");
        let mut ip = Command::new("ip")
            .args(["-n", &ns.name, "-force", "-batch", "-"])
            .stdin(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("ip");
        use std::io::Write;
        ip.stdin
            .take()
            .expect("stdin")
            .write_all(batch.as_bytes())
            .expect("batch");
        let _ = ip.wait();
        let _ = run(Command::new("tc").args([
            "-n", &ns.name, "qdisc", "replace", "dev", "lo", "root", "pfifo",
        ]));
        let _ = run(Command::new("tc").args(["-n", &ns.name, "qdisc", "del", "dev", "lo", "root"]));
        churned += 1;
    }
    let out = child.wait_with_output().expect("wait");
    stop.store(true, Ordering::Relaxed);
    let rounds = sockets.join().expect("sockets");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        !err.contains("netstatspy: error") && !err.contains("panicked"),
        "{err}"
    );
    assert!(
        churned > 10 && rounds > 10,
        "the churn ran: {churned} link rounds, {rounds} socket rounds"
    );
    // The exit summary reports the dump recoveries (whatever the kernel made necessary).
    assert!(err.contains("samples in"), "{err}");
    assert!(err.contains("dumps"), "{err}");
    // Every scheduled slot of every reader is a record, a counted skip or a counted failure,
    // and the records in the file are exactly those counted.
    let records = json_lines(&file);
    for kind in ["ip", "tc", "ss", "queue_limits", "small_queue"] {
        let line = err
            .lines()
            .find(|l| l.starts_with(&format!("netstatspy: reader {kind}: ")))
            .unwrap_or_else(|| panic!("no account of {kind}: {err}"));
        let numbers: Vec<usize> = line
            .split_whitespace()
            .filter_map(|w| w.trim_end_matches(',').parse().ok())
            .collect();
        let [written, skipped, failed] = numbers[..] else {
            panic!("{line}");
        };
        assert_eq!(written + skipped + failed, 1200, "{line}");
        let n = records.iter().filter(|r| r["type"] == kind).count();
        assert_eq!(n, written, "{kind} records: {line}");
    }
    assert!(records.iter().all(|r| r["stats"].is_array()));
}
