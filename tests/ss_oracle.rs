//! Live oracle test of the ss reader: in a namespace of our own, a few hundred TCP connections
//! over IPv4 and IPv6 with data sent (some left unread, some with keepalive) and connected UDP
//! sockets; `ss -tuinmHOn -o state established` read just before and just after netstatspy. The
//! set of sockets must equal ss's, and every value ss prints must equal ours in ss's units —
//! or, for values that move with time, lie between ss's two readings.

mod common;

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::os::fd::AsRawFd;
use std::process::Command;
use std::sync::mpsc;
use std::thread::JoinHandle;

use common::ss::{Key, SsLine, assert_socket, keyed, parse_ss};
use common::{Need, Netns, bin, check, json_lines, require, scratch};

/// Sockets held open by a thread inside the namespace until dropped.
struct Held {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Held {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn keepalive(s: &TcpStream) {
    let on: libc::c_int = 1;
    // SAFETY: a valid socket and a pointer to a c_int of the right size.
    let rc = unsafe {
        libc::setsockopt(
            s.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_KEEPALIVE,
            (&on as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    assert_eq!(rc, 0, "SO_KEEPALIVE");
}

/// Open `v4` + `v6` TCP connections and `udp` connected UDP pairs in `ns`, with traffic.
fn hold_sockets(ns: &Netns, v4: usize, v6: usize, udp: usize) -> Held {
    let path = format!("/var/run/netns/{}", ns.name);
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let (ready_tx, ready_rx) = mpsc::channel::<()>();
    let thread = std::thread::spawn(move || {
        let f = File::open(&path).expect("netns");
        // SAFETY: a valid network namespace fd; setns changes only this thread.
        assert_eq!(unsafe { libc::setns(f.as_raw_fd(), libc::CLONE_NEWNET) }, 0);
        let mut keep: Vec<Box<dyn std::any::Any>> = Vec::new();
        for (count, bind) in [(v4, "127.0.0.1:0"), (v6, "[::1]:0")] {
            let listener = TcpListener::bind(bind).expect("listen");
            let addr = listener.local_addr().expect("addr");
            for i in 0..count {
                let mut c = TcpStream::connect(addr).expect("connect");
                let (mut s, _) = listener.accept().expect("accept");
                if i % 5 == 0 {
                    keepalive(&c);
                }
                let n = 1 + (i * 397) % 6000;
                c.write_all(&vec![b'x'; n]).expect("write");
                if i % 2 == 0 {
                    // Read everything: the receive queue drains. Odd ones keep data queued.
                    let mut buf = vec![0; n];
                    s.read_exact(&mut buf).expect("read");
                }
                if i % 3 == 0 {
                    s.write_all(&vec![b'y'; 100 + i]).expect("write back");
                }
                keep.push(Box::new(c));
                keep.push(Box::new(s));
            }
            keep.push(Box::new(listener));
        }
        for i in 0..udp {
            let bind = if i % 2 == 0 { "127.0.0.1:0" } else { "[::1]:0" };
            let a = UdpSocket::bind(bind).expect("udp");
            let b = UdpSocket::bind(bind).expect("udp");
            a.connect(b.local_addr().expect("addr")).expect("connect");
            b.connect(a.local_addr().expect("addr")).expect("connect");
            a.send(&[7; 50]).expect("send");
            keep.push(Box::new(a));
            keep.push(Box::new(b));
        }
        let _ = ready_tx.send(());
        let _ = stop_rx.recv();
        drop(keep);
    });
    ready_rx.recv().expect("sockets ready");
    Held {
        stop: Some(stop_tx),
        thread: Some(thread),
    }
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces; ip, tc and ss as the oracle)"
)]
fn every_socket_and_value_equals_ss() {
    require(&[Need::Root, Need::Iproute2]);
    let ns = Netns::new("ss");
    // IPv6 on loopback (the namespace helper turns IPv6 off to keep link counters still).
    ns.sh("echo 0 > /proc/sys/net/ipv6/conf/lo/disable_ipv6");
    let _held = hold_sockets(&ns, 200, 100, 20);
    // Let delayed ACKs go out, so queues and counters are settled.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let ss = || {
        parse_ss(&check(
            Command::new("ip").args(["netns", "exec", &ns.name]).args([
                "ss",
                "-tuinmHOn",
                "-o",
                "state",
                "established",
            ]),
        ))
    };
    let file = scratch("ss-oracle").join("ss.jsonl");
    let before = ss();
    check(
        ns.command(&bin())
            .args(["--no-ip", "--ss", "-c", "-j", "-t", "0.5", "--file-name"])
            .arg(&file),
    );
    let after = ss();
    let records = json_lines(&file);
    assert_eq!(records.len(), 1);
    let ours = keyed(&records[0]["stats"]);

    // The same sockets: 600 TCP (both ends of 300 connections) and 40 UDP.
    let keys = |m: &HashMap<Key, SsLine>| m.keys().cloned().collect::<HashSet<Key>>();
    assert_eq!(
        keys(&before),
        keys(&after),
        "sockets changed during the test"
    );
    assert_eq!(ours.keys().cloned().collect::<HashSet<Key>>(), keys(&after));
    assert_eq!(ours.values().filter(|s| s["netid"] == "tcp").count(), 600);
    assert_eq!(ours.values().filter(|s| s["netid"] == "udp").count(), 40);
    let mut keepalives = 0;
    let mut unread = 0;
    for (key, s) in &ours {
        let timer = assert_socket(s, &before[key], &after[key], &format!("{key:?}"));
        keepalives += usize::from(timer.as_deref() == Some("keepalive"));
        unread += usize::from(s["recv_q"].as_u64() > Some(0));
    }
    // The scenario really exercised timers and queues.
    assert_eq!(keepalives, 60, "every fifth client of 300 has keepalive");
    assert!(
        unread >= 100,
        "half the servers leave data unread: {unread}"
    );
}

#[test]
fn ss_timer_strings_round_trip() {
    for ms in [
        7_186_080, 600_500, 65_432, 90_000, 12_345, 5000, 1440, 6400, 200, 3,
    ] {
        let text = common::ss::ms_timer(ms);
        let back = common::ss::ms_of_timer(&text);
        assert!(back <= ms && ms - back < 60_000, "{ms} -> {text} -> {back}");
    }
    assert_eq!(common::ss::ms_of_timer("1.440ms"), 1440);
    assert_eq!(common::ss::ms_of_timer("1min5sec"), 65_000);
}
