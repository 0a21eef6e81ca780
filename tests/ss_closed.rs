//! Live oracle test of `--ss-closed`: in a namespace, hundreds of short TCP connections and UDP
//! sockets open and close between two samples at 1/s. Each appears exactly once in the
//! `ss_closed` records, with the values `ss -E` (iproute2, listening to the same kernel reports
//! beside us) prints for it, and the byte counts equal what the test sent.

mod common;

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{Need, Netns, bin, enter_netns, json_lines, require, scratch};
use serde_json::Value;

const CONNECTIONS: usize = 200;
const UDP_SOCKETS: u16 = 50;
const PORT: u16 = 7100;

/// Open, use and close the connections and UDP sockets inside `ns`; returns each TCP
/// client's local port with the bytes it sent.
fn churn(ns: &Netns) -> Vec<(u16, usize)> {
    let name = ns.name.clone();
    std::thread::spawn(move || {
        enter_netns(&name);
        let listener = TcpListener::bind(("127.0.0.1", PORT)).expect("listen");
        let mut sent = Vec::new();
        for i in 0..CONNECTIONS {
            let n = 300 + 37 * i;
            let mut c = TcpStream::connect(("127.0.0.1", PORT)).expect("connect");
            let (mut s, _) = listener.accept().expect("accept");
            c.write_all(&vec![b'x'; n]).expect("send");
            let mut got = vec![0; n];
            s.read_exact(&mut got).expect("receive");
            sent.push((c.local_addr().expect("addr").port(), n));
            drop(c);
            // The client's FIN: read to the end, then close.
            let mut rest = Vec::new();
            s.read_to_end(&mut rest).expect("EOF");
            drop(s);
        }
        for i in 0..UDP_SOCKETS {
            let u = UdpSocket::bind(("127.0.0.1", 7200 + i)).expect("udp");
            u.connect(("127.0.0.1", 9)).expect("udp connect");
        }
        sent
    })
    .join()
    .expect("churn thread")
}

/// `ss -E -tuin -O -H` lines by (netid, local, peer): state, queues and `key:value` tokens.
fn parse_events(text: &str) -> HashMap<(String, String, String), Vec<HashMap<String, String>>> {
    let mut out: HashMap<_, Vec<_>> = HashMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let c: Vec<&str> = line.split_whitespace().collect();
        if c.len() < 6 {
            continue;
        }
        let mut values: HashMap<String, String> = c[6..]
            .iter()
            .filter_map(|t| t.split_once(':'))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        values.insert("state".into(), c[1].to_owned());
        out.entry((c[0].to_owned(), c[4].to_owned(), c[5].to_owned()))
            .or_default()
            .push(values);
    }
    out
}

/// A few more connections on another port, in `ns`: how many.
fn churn_again(ns: &Netns) -> usize {
    let name = ns.name.clone();
    std::thread::spawn(move || {
        enter_netns(&name);
        let listener = TcpListener::bind(("127.0.0.1", PORT + 1)).expect("listen");
        for _ in 0..10 {
            let c = TcpStream::connect(("127.0.0.1", PORT + 1)).expect("connect");
            let (s, _) = listener.accept().expect("accept");
            drop((c, s));
        }
        10
    })
    .join()
    .expect("churn thread")
}

fn endpoint(e: &Value) -> String {
    format!(
        "{}:{}",
        e["address"].as_str().expect("address"),
        e["port"].as_u64().expect("port")
    )
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces; ss -E as the oracle)"
)]
fn every_closed_socket_is_logged_once_with_what_ss_reports() {
    require(&[Need::Root, Need::Iproute2]);
    let ns = Netns::new("closed");
    let dir = scratch("ss-closed");
    let events = dir.join("ss-E.txt");
    let file = dir.join("closed.jsonl");
    let mut ss = Command::new("ip")
        .args(["netns", "exec", &ns.name, "stdbuf", "-oL"])
        .args(["ss", "-E", "-tuin", "-O", "-H"])
        .stdout(File::create(&events).expect("events file"))
        .spawn()
        .expect("ss -E");
    let ours = ns
        .command(&bin())
        .args([
            "--no-ip",
            "--ss-closed",
            "-f",
            "1",
            "-t",
            "4",
            "-c",
            "-j",
            "--file-name",
        ])
        .arg(&file)
        .stderr(Stdio::piped())
        .spawn()
        .expect("netstatspy");
    std::thread::sleep(Duration::from_millis(600));
    let sent = churn(&ns);
    let out = ours.wait_with_output().expect("netstatspy");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // SAFETY: signalling our own child.
    unsafe { libc::kill(ss.id() as i32, libc::SIGINT) };
    let _ = ss.wait();
    let theirs = parse_events(&std::fs::read_to_string(&events).expect("events"));

    let records = json_lines(&file);
    assert!(records.iter().all(|r| r["type"] == "ss_closed"));
    let mut logged: HashMap<(String, String, String), Vec<&Value>> = HashMap::new();
    for r in &records {
        for s in r["stats"].as_array().expect("stats") {
            let key = (
                s["netid"].as_str().expect("netid").to_owned(),
                endpoint(&s["local"]),
                endpoint(&s["peer"]),
            );
            logged.entry(key).or_default().push(s);
        }
    }
    let server = format!("127.0.0.1:{PORT}");
    let tcp_values = [
        "bytes_sent",
        "bytes_acked",
        "bytes_received",
        "segs_out",
        "segs_in",
        "data_segs_out",
        "data_segs_in",
    ];
    for (port, n) in &sent {
        let client = format!("127.0.0.1:{port}");
        for (local, peer, bytes_key, want) in [
            // What the client sent; the server received it and the FIN, which tcp_info
            // counts in sequence space.
            (&client, &server, "bytes_sent", *n as u64),
            (&server, &client, "bytes_received", *n as u64 + 1),
        ] {
            let key = ("tcp".to_owned(), local.clone(), peer.clone());
            let ours = logged.get(&key).map_or(&[][..], Vec::as_slice);
            assert_eq!(ours.len(), 1, "{key:?} logged {} times", ours.len());
            let theirs = theirs
                .get(&key)
                .unwrap_or_else(|| panic!("ss -E missed {key:?}"));
            assert_eq!(theirs.len(), 1, "{key:?}");
            let (s, t) = (ours[0], &theirs[0]);
            assert_eq!(s["tcp_info"][bytes_key].as_u64(), Some(want), "{key:?}");
            assert_eq!(
                s["state"].as_str(),
                t.get("state").map(String::as_str),
                "{key:?}"
            );
            for k in tcp_values {
                let ss_value = t.get(k).map(|v| v.parse::<u64>().expect("number"));
                let our_value = s["tcp_info"][k].as_u64().filter(|&v| v != 0);
                assert_eq!(our_value, ss_value, "{key:?} {k}");
            }
        }
    }
    for i in 0..UDP_SOCKETS {
        let key = (
            "udp".to_owned(),
            format!("127.0.0.1:{}", 7200 + i),
            "127.0.0.1:9".to_owned(),
        );
        assert_eq!(logged.get(&key).map_or(0, Vec::len), 1, "{key:?}");
        assert!(theirs.contains_key(&key), "ss -E saw {key:?} too");
    }
    // The closes happened between two samples: one record holds them all.
    let busiest = records
        .iter()
        .map(|r| r["stats"].as_array().expect("stats").len())
        .max()
        .unwrap_or(0);
    assert!(busiest >= 2 * CONNECTIONS, "{busiest}");
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces)"
)]
fn the_filter_applies_and_any_user_may_listen() {
    require(&[Need::Root, Need::Iproute2]);
    let ns = Netns::new("closed-f");
    let file = scratch("ss-closed-filter").join("closed.jsonl");
    let ours = ns
        .command(&bin())
        .args([
            "--no-ip",
            "--ss-closed",
            "--ss-filter",
            "sport = :7100",
            "-f",
            "1",
        ])
        .args(["-t", "3", "-c", "-j", "--file-name"])
        .arg(&file)
        .spawn()
        .expect("netstatspy");
    std::thread::sleep(Duration::from_millis(600));
    let sent = churn(&ns);
    let out = ours.wait_with_output().expect("netstatspy");
    assert!(out.status.success());
    let closed: Vec<Value> = json_lines(&file)
        .iter()
        .flat_map(|r| r["stats"].as_array().expect("stats").clone())
        .collect();
    // Only the server ends of the connections (local port 7100), each once, and the
    // listener itself.
    assert!(closed.iter().all(|s| s["local"]["port"] == PORT));
    let accepted = closed.iter().filter(|s| s["peer"]["port"] != 0).count();
    assert_eq!(accepted, sent.len());
    assert_eq!(closed.len(), sent.len() + 1);

    // The kernel lets every user listen to these reports (sock_diag's groups are open to
    // unprivileged receivers): a user without capabilities sees the closes of its namespace.
    let file = scratch("ss-closed-nobody").join("closed.jsonl");
    std::fs::write(&file, "").expect("create");
    std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o666))
        .expect("chmod");
    let ours = Command::new("ip")
        .args([
            "netns",
            "exec",
            &ns.name,
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
        ])
        .args(["--clear-groups", "--inh-caps=-all"])
        .arg(bin())
        .args([
            "--no-ip",
            "--ss-closed",
            "-f",
            "1",
            "-t",
            "3",
            "-c",
            "-j",
            "--file-name",
        ])
        .arg(&file)
        .stderr(Stdio::piped())
        .spawn()
        .expect("netstatspy as nobody");
    std::thread::sleep(Duration::from_millis(600));
    let sent = churn_again(&ns);
    let out = ours.wait_with_output().expect("netstatspy");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let closed = json_lines(&file)
        .iter()
        .map(|r| r["stats"].as_array().expect("stats").len())
        .sum::<usize>();
    assert_eq!(
        closed,
        2 * sent + 1,
        "both ends of each connection and the listener"
    );
}
