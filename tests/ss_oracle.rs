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

use common::{Netns, bin, check, json_lines, live_tests_possible, scratch};
use serde_json::Value;

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

/// One socket line of `ss -tuinmHOn -o`: the columns, `key:value` tokens and bare words.
#[derive(Debug, Clone, Default)]
struct SsLine {
    recv_q: u64,
    send_q: u64,
    values: HashMap<String, String>,
    words: HashSet<String>,
}

type Key = (String, String, String);

fn parse_ss(text: &str) -> HashMap<Key, SsLine> {
    let mut out = HashMap::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let mut tokens = line.split_whitespace();
        let mut next = || tokens.next().expect("column").to_owned();
        let (netid, recv_q, send_q, local, peer) = (next(), next(), next(), next(), next());
        let mut s = SsLine {
            recv_q: recv_q.parse().expect("recv-q"),
            send_q: send_q.parse().expect("send-q"),
            ..SsLine::default()
        };
        let rest: Vec<&str> = tokens.collect();
        let mut i = 0;
        while i < rest.len() {
            let t = rest[i];
            if ["send", "pacing_rate", "delivery_rate"].contains(&t) && i + 1 < rest.len() {
                s.values.insert(t.to_owned(), rest[i + 1].to_owned());
                i += 2;
                continue;
            }
            match t.split_once(':') {
                Some((k, v)) => {
                    s.values.insert(k.to_owned(), v.to_owned());
                }
                None => {
                    s.words.insert(t.to_owned());
                }
            }
            i += 1;
        }
        out.insert((netid, local, peer), s);
    }
    out
}

/// ss's address column for one endpoint of our JSON.
fn endpoint(e: &Value) -> String {
    let a = e["address"].as_str().expect("address");
    let port = e["port"].as_u64().expect("port");
    if a.contains(':') {
        format!("[{a}]:{port}")
    } else {
        format!("{a}:{port}")
    }
}

/// ss 6.1's `print_ms_timer`.
fn ms_timer(t: u64) -> String {
    let mut secs = t / 1000;
    let minutes = secs / 60;
    secs %= 60;
    let mut msecs = t % 1000;
    let mut buf = String::new();
    if minutes > 0 {
        msecs = 0;
        buf += &format!("{minutes}min");
        if minutes > 9 {
            secs = 0;
        }
    }
    if secs > 0 {
        if secs > 9 {
            msecs = 0;
        }
        buf += &format!("{secs}{}", if msecs > 0 { "." } else { "sec" });
    }
    if msecs > 0 {
        buf += &format!("{msecs:03}ms");
    }
    buf
}

fn num(s: &str) -> f64 {
    s.trim_end_matches("bps")
        .parse()
        .unwrap_or_else(|_| panic!("number: {s}"))
}

/// `ours` lies between ss's two readings of the token (absent = 0, as ss omits zeros).
fn between(ours: f64, before: Option<&String>, after: Option<&String>, what: &str) {
    let b = before.map_or(0.0, |v| num(v));
    let a = after.map_or(0.0, |v| num(v));
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    let eps = 1e-9 * hi.abs().max(1.0);
    assert!(
        ours >= lo - eps && ours <= hi + eps,
        "{what}: ours {ours}, ss {b} .. {a}"
    );
}

#[test]
fn every_socket_and_value_equals_ss() {
    if !live_tests_possible("every_socket_and_value_equals_ss") {
        return;
    }
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
    let ours: HashMap<Key, &Value> = records[0]["stats"]
        .as_array()
        .expect("stats")
        .iter()
        .map(|s| {
            let netid = s["netid"].as_str().expect("netid").to_owned();
            ((netid, endpoint(&s["local"]), endpoint(&s["peer"])), s)
        })
        .collect();

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

    // (ss token, tcp_info field, divisor to ss's unit)
    let fields: &[(&str, &str, f64)] = &[
        ("rto", "rto", 1000.0),
        ("ato", "ato", 1000.0),
        ("mss", "snd_mss", 1.0),
        ("pmtu", "pmtu", 1.0),
        ("rcvmss", "rcv_mss", 1.0),
        ("advmss", "advmss", 1.0),
        ("cwnd", "snd_cwnd", 1.0),
        ("bytes_sent", "bytes_sent", 1.0),
        ("bytes_retrans", "bytes_retrans", 1.0),
        ("bytes_acked", "bytes_acked", 1.0),
        ("bytes_received", "bytes_received", 1.0),
        ("segs_out", "segs_out", 1.0),
        ("segs_in", "segs_in", 1.0),
        ("data_segs_out", "data_segs_out", 1.0),
        ("data_segs_in", "data_segs_in", 1.0),
        ("lastsnd", "last_data_sent", 1.0),
        ("lastrcv", "last_data_recv", 1.0),
        ("lastack", "last_ack_recv", 1.0),
        ("delivered", "delivered", 1.0),
        ("unacked", "unacked", 1.0),
        ("lost", "lost", 1.0),
        ("backoff", "backoff", 1.0),
        ("rcv_rtt", "rcv_rtt", 1000.0),
        ("rcv_space", "rcv_space", 1.0),
        ("rcv_ssthresh", "rcv_ssthresh", 1.0),
        ("notsent", "notsent_bytes", 1.0),
        ("minrtt", "min_rtt", 1000.0),
        ("snd_wnd", "snd_wnd", 1.0),
    ];
    let mut keepalives = 0;
    let mut unread = 0;
    for (key, s) in &ours {
        let (b, a) = (&before[key], &after[key]);
        let ctx = format!("{key:?}");
        between(
            s["recv_q"].as_f64().expect("q"),
            Some(&b.recv_q.to_string()),
            Some(&a.recv_q.to_string()),
            &format!("{ctx} recv_q"),
        );
        between(
            s["send_q"].as_f64().expect("q"),
            Some(&b.send_q.to_string()),
            Some(&a.send_q.to_string()),
            &format!("{ctx} send_q"),
        );
        // skmem:(r..,rb..,t..,tb..,f..,w..,o..,bl..,d..)
        for (k, field) in
            [(&b, "before"), (&a, "after")].map(|(l, w)| (l.values.get("skmem").cloned(), w))
        {
            assert!(k.is_some(), "{ctx}: no skmem {field}");
        }
        let skmem = |l: &SsLine| -> HashMap<String, String> {
            let v = l.values["skmem"]
                .trim_start_matches('(')
                .trim_end_matches(')');
            v.split(',')
                .map(|kv| {
                    let split = kv.find(|c: char| c.is_ascii_digit()).expect("digits");
                    (kv[..split].to_owned(), kv[split..].to_owned())
                })
                .collect()
        };
        let (sb, sa) = (skmem(b), skmem(a));
        for letter in ["r", "rb", "t", "tb", "f", "w", "o", "bl", "d"] {
            between(
                s["skmem"][letter].as_f64().expect("skmem"),
                sb.get(letter),
                sa.get(letter),
                &format!("{ctx} skmem {letter}"),
            );
        }
        if s["netid"] == "udp" {
            assert!(
                s.get("tcp_info").is_none() && s.get("timer").is_none(),
                "{ctx}"
            );
            continue;
        }
        let t = &s["tcp_info"];
        let get = |f: &str| {
            t[f].as_f64()
                .unwrap_or_else(|| panic!("{ctx}: tcp_info.{f} missing"))
        };
        assert!(t["len"].as_u64().expect("len") >= 232, "{ctx}: {t}");
        assert!(
            a.words.contains(s["cong"].as_str().expect("cong")),
            "{ctx}: cong"
        );
        assert_eq!(
            a.values["wscale"],
            format!("{},{}", t["snd_wscale"], t["rcv_wscale"]),
            "{ctx}"
        );
        let (rtt_b, rtt_a) = (&b.values["rtt"], &a.values["rtt"]);
        let split = |v: &String| {
            let (x, y) = v.split_once('/').expect("rtt/rttvar");
            (x.to_owned(), y.to_owned())
        };
        let ((rb_, vb), (ra, va)) = (split(rtt_b), split(rtt_a));
        between(
            get("rtt") / 1000.0,
            Some(&rb_),
            Some(&ra),
            &format!("{ctx} rtt"),
        );
        between(
            get("rttvar") / 1000.0,
            Some(&vb),
            Some(&va),
            &format!("{ctx} rttvar"),
        );
        for (token, field, div) in fields {
            if *token == "rto" && get("rto") == 3_000_000.0 {
                continue;
            }
            between(
                get(field) / div,
                b.values.get(*token),
                a.values.get(*token),
                &format!("{ctx} {token}"),
            );
        }
        let retrans = format!("{}/{}", t["retrans"], t["total_retrans"]);
        assert_eq!(
            a.values.get("retrans").cloned().unwrap_or("0/0".into()),
            retrans,
            "{ctx}"
        );
        match (s.get("timer"), a.values.get("timer")) {
            (None, None) => {}
            (Some(ours), Some(theirs)) => {
                let inner = theirs.trim_start_matches('(').trim_end_matches(')');
                let parts: Vec<&str> = inner.split(',').collect();
                assert_eq!(ours["name"], parts[0], "{ctx} timer name");
                assert_eq!(
                    ours["retrans"].as_u64().map(|r| r.to_string()).as_deref(),
                    Some(parts[2])
                );
                let expiry = ms_timer(ours["expires_ms"].as_u64().expect("expires"));
                let before_timer = b.values.get("timer").cloned().unwrap_or_default();
                assert!(
                    parts[1] == expiry || before_timer.contains(&format!(",{expiry},")),
                    "{ctx} timer expiry {expiry} vs {theirs} / {before_timer}"
                );
                keepalives += usize::from(parts[0] == "keepalive");
            }
            (o, t) => panic!("{ctx}: timer ours {o:?} ss {t:?}"),
        }
        unread += usize::from(s["recv_q"].as_u64() > Some(0));
    }
    // The scenario really exercised timers and queues.
    assert_eq!(keepalives, 60, "every fifth client of 300 has keepalive");
    assert!(
        unread >= 100,
        "half the servers leave data unread: {unread}"
    );
}
