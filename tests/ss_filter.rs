//! Live oracle test of `--ss-filter`: in a namespace with a few hundred sockets — TCP and UDP,
//! IPv4, IPv6 and IPv4-mapped IPv6, several ports and prefixes, some bound to an interface, some
//! with a mark — each expression selects exactly the sockets that
//! `ss -tuinmHOn -o state established EXPR` (iproute2) lists, read just before and just after.

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::fd::AsRawFd;
use std::process::Command;
use std::sync::mpsc;

use common::ss::endpoint;
use common::{Held, Need, Netns, bin, check, enter_netns, json_lines, require, run, scratch};

fn set_int(fd: &impl AsRawFd, level: i32, name: i32, value: libc::c_int) {
    // SAFETY: a valid socket and a pointer to a c_int of the right size.
    let rc = unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&value as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    assert_eq!(
        rc,
        0,
        "setsockopt {name}: {}",
        std::io::Error::last_os_error()
    );
}

/// A TCP connection to `to` from a socket bound to `device` (SO_BINDTODEVICE) before connect.
fn connect_bound(to: SocketAddr, device: &str) -> TcpStream {
    // SAFETY: plain socket calls; the descriptor is handed to TcpStream, which owns it.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0);
        assert!(fd >= 0);
        let rc = libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_BINDTODEVICE,
            device.as_ptr().cast(),
            device.len() as libc::socklen_t,
        );
        assert_eq!(
            rc,
            0,
            "SO_BINDTODEVICE: {}",
            std::io::Error::last_os_error()
        );
        let SocketAddr::V4(v4) = to else {
            panic!("IPv4 only")
        };
        let sin = libc::sockaddr_in {
            sin_family: libc::AF_INET as libc::sa_family_t,
            sin_port: v4.port().to_be(),
            sin_addr: libc::in_addr {
                s_addr: u32::from_ne_bytes(v4.ip().octets()),
            },
            sin_zero: [0; 8],
        };
        let rc = libc::connect(
            fd,
            (&sin as *const libc::sockaddr_in).cast(),
            std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t,
        );
        assert_eq!(rc, 0, "connect: {}", std::io::Error::last_os_error());
        use std::os::fd::FromRawFd;
        TcpStream::from_raw_fd(fd)
    }
}

/// The scenario: sockets in `a` (sampled), some connected to listeners in `b` over the veth.
fn hold(a: &Netns, b: &Netns, peer: &str) -> Held {
    let (a, b) = (a.name.clone(), b.name.clone());
    let peer: std::net::Ipv4Addr = peer.parse().expect("peer address");
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let (ready_tx, ready_rx) = mpsc::channel::<()>();
    let thread = std::thread::spawn(move || {
        let mut keep: Vec<Box<dyn std::any::Any>> = Vec::new();
        // Listeners in the far namespace, reached over the veth.
        enter_netns(&b);
        let far_bound = TcpListener::bind((peer, 7000)).expect("listen 7000");
        let far_free = TcpListener::bind((peer, 7001)).expect("listen 7001");
        enter_netns(&a);
        let pair =
            |c: TcpStream, listener: &TcpListener, keep: &mut Vec<Box<dyn std::any::Any>>| {
                let (mut s, _) = listener.accept().expect("accept");
                let _ = (&c).write_all(b"hello");
                let _ = s.write_all(b"world");
                keep.push(Box::new(c));
                keep.push(Box::new(s));
            };
        for _ in 0..20 {
            let c = connect_bound(SocketAddr::from((peer, 7000)), "va0");
            pair(c, &far_bound, &mut keep);
        }
        for i in 0..10 {
            let c = TcpStream::connect((peer, 7001)).expect("connect 7001");
            if i % 2 == 0 {
                set_int(&c, libc::SOL_SOCKET, libc::SO_MARK, 0x10 + i);
            }
            pair(c, &far_free, &mut keep);
        }
        // Loopback, IPv4: several local addresses and ports (22 below 1024).
        for (addr, port, count) in [
            ("127.0.0.1", 5201, 20),
            ("127.0.0.1", 5202, 15),
            ("127.0.1.1", 8080, 15),
            ("127.0.1.1", 22, 10),
            ("127.0.2.9", 5201, 10),
        ] {
            let l = TcpListener::bind((addr, port)).expect("listen v4");
            for i in 0..count {
                let c = TcpStream::connect((addr, port)).expect("connect v4");
                if i % 4 == 0 {
                    set_int(&c, libc::SOL_SOCKET, libc::SO_MARK, 0x20 + i);
                }
                pair(c, &l, &mut keep);
            }
            keep.push(Box::new(l));
        }
        // IPv6: two prefixes, and a dual-stack listener that IPv4 clients reach (its sockets
        // are IPv6 with IPv4-mapped addresses).
        for (addr, port, count) in [("fd00::1", 443, 15), ("fd00:1::1", 5201, 15)] {
            let l = TcpListener::bind((addr.parse::<std::net::Ipv6Addr>().expect("v6"), port))
                .expect("listen v6");
            for _ in 0..count {
                let c = TcpStream::connect(l.local_addr().expect("addr")).expect("connect v6");
                pair(c, &l, &mut keep);
            }
            keep.push(Box::new(l));
        }
        let dual = TcpListener::bind("[::]:6000").expect("listen dual");
        for _ in 0..10 {
            let c = TcpStream::connect("127.0.0.1:6000").expect("connect mapped");
            pair(c, &dual, &mut keep);
        }
        keep.push(Box::new(dual));
        // Connected UDP pairs on fixed ports.
        for i in 0..10u16 {
            let (x, y) = if i % 2 == 0 {
                (
                    format!("127.0.0.1:{}", 9000 + i),
                    format!("127.0.1.1:{}", 9100 + i),
                )
            } else {
                (
                    format!("[fd00::1]:{}", 9000 + i),
                    format!("[fd00:1::1]:{}", 9100 + i),
                )
            };
            let a = UdpSocket::bind(&x).expect("udp");
            let b = UdpSocket::bind(&y).expect("udp");
            a.connect(&y).expect("udp connect");
            b.connect(&x).expect("udp connect");
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

/// An address column without the interface ss appends for bound sockets (`10.0.0.1%va0:80`):
/// the set of sockets is what this test compares.
fn without_interface(column: &str) -> String {
    match column.find('%') {
        None => column.to_owned(),
        Some(at) => {
            let end = column[at..]
                .find(']')
                .or_else(|| column[at..].rfind(':'))
                .map_or(column.len(), |e| at + e);
            format!("{}{}", &column[..at], &column[end..])
        }
    }
}

type Key = (String, String, String);

fn ss_sockets(ns: &Netns, expr: &str) -> BTreeSet<Key> {
    let out = check(
        Command::new("ip")
            .args(["netns", "exec", &ns.name])
            .args(["ss", "-tuinmHOn", "-o", "state", "established"])
            .args(expr.split_whitespace()),
    );
    out.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split_whitespace().collect();
            (
                c[0].to_owned(),
                without_interface(c[3]),
                without_interface(c[4]),
            )
        })
        .collect()
}

fn our_sockets(ns: &Netns, expr: &str, tag: usize) -> BTreeSet<Key> {
    let file = scratch("ss-filter").join(format!("f{tag}.jsonl"));
    check(
        ns.command(&bin())
            .args([
                "--no-ip",
                "--ss",
                "-c",
                "-j",
                "-t",
                "0.1",
                "--ss-filter",
                expr,
            ])
            .arg("--file-name")
            .arg(&file),
    );
    let records = json_lines(&file);
    assert_eq!(records.len(), 1, "{expr}");
    records[0]["stats"]
        .as_array()
        .expect("stats")
        .iter()
        .map(|s| {
            (
                s["netid"].as_str().expect("netid").to_owned(),
                without_interface(&endpoint(&s["local"])),
                without_interface(&endpoint(&s["peer"])),
            )
        })
        .collect()
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces; ss as the oracle)"
)]
fn each_filter_selects_what_ss_selects() {
    require(&[Need::Root, Need::Iproute2]);
    let (a, b) = Netns::joined("ssf-a", "ssf-b", 77);
    a.sh("echo 0 > /proc/sys/net/ipv6/conf/all/disable_ipv6; \
          echo 0 > /proc/sys/net/ipv6/conf/lo/disable_ipv6");
    a.ip(&["addr", "add", "fd00::1/64", "dev", "lo", "nodad"]);
    a.ip(&["addr", "add", "fd00:1::1/64", "dev", "lo", "nodad"]);
    let _held = hold(&a, &b, "10.9.77.2");
    let links: Vec<serde_json::Value> =
        serde_json::from_str(&a.ip(&["-j", "link", "show", "va0"])).expect("ip -j");
    let va0 = links[0]["ifindex"].as_u64().expect("ifindex").to_string();

    let all = ss_sockets(&a, "");
    assert!(all.len() >= 250, "the scenario holds {} sockets", all.len());
    let expressions = [
        "sport = :5201".to_owned(),
        "dport = :5201".into(),
        "dport == 8080".into(),
        "dport eq :22".into(),
        "dport != :5201".into(),
        "dport ne 8080".into(),
        "sport < :1024".into(),
        "sport lt 1024".into(),
        "dport > :5201".into(),
        "dport gt 6000".into(),
        "sport <= :5202".into(),
        "dport >= 8080".into(),
        "dport geq 5202".into(),
        "dport le 5201".into(),
        "src 127.0.1.1".into(),
        "dst 127.0.0.0/16".into(),
        "dst 127.0.1.0/24:8080".into(),
        "src [fd00::1]".into(),
        "dst [fd00::/16]:443".into(),
        "src fd00::/8".into(),
        "dst [::ffff:127.0.0.1]".into(),
        "src 127.0.0.1:6000".into(),
        "dst *:7000".into(),
        "src :6000".into(),
        "dst 10.9.77.0/24".into(),
        "dev va0".into(),
        "dev = va0".into(),
        format!("dev {va0}"),
        "not dev va0".into(),
        "fwmark 0x10/0xf0".into(),
        "fwmark = 0x20".into(),
        "not dport = :5201".into(),
        "! ( sport = :5201 or dport = :5201 )".into(),
        "( sport = :5201 or sport = :5202 ) and dst 127.0.0.1".into(),
        "sport = :22 or dport = :22 and src 127.0.1.1".into(),
        "dport >= :5000 && dport <= :6000 || dev va0".into(),
        "( dst 10.9.0.0/16 or src [fd00::/16] ) and not sport = :443".into(),
        "sport = :9000 or sport = :9102 or dport = :9003".into(),
        "src 127.0.0.0/8 dport > 9000".into(),
    ];
    let mut selective = 0;
    for (i, expr) in expressions.iter().enumerate() {
        let before = ss_sockets(&a, expr);
        let ours = our_sockets(&a, expr, i);
        let after = ss_sockets(&a, expr);
        assert_eq!(
            before, after,
            "{expr}: ss changed its answer during the test"
        );
        let missing: Vec<_> = after.difference(&ours).collect();
        let extra: Vec<_> = ours.difference(&after).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{expr}: ss lists {} sockets, we {}; only ss's: {missing:?}; only ours: {extra:?}",
            after.len(),
            ours.len()
        );
        // Every expression selects some sockets and leaves out others, or it tests nothing.
        assert!(!ours.is_empty(), "{expr} selects nothing");
        selective += usize::from(ours.len() < all.len());
    }
    assert_eq!(
        selective,
        expressions.len(),
        "every expression leaves some out"
    );
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces)"
)]
fn bad_filters_are_one_line_errors() {
    require(&[Need::Root, Need::Iproute2]);
    for (args, code, needle) in [
        (
            vec!["--ss", "--ss-filter", "dport = :http"],
            2,
            "`:http` is not a port",
        ),
        (
            vec!["--ss", "--ss-filter", "( dport = :1"],
            2,
            "`(` is never closed",
        ),
        (
            vec!["--ss", "--ss-filter", "sport > and"],
            2,
            "needs a value, found `and`",
        ),
        (
            vec!["--ss-filter", "dport = :1"],
            2,
            "--ss-filter needs --ss",
        ),
        (
            vec!["--ss", "--ss-filter", "dev nosuch0"],
            1,
            "no interface named `nosuch0`",
        ),
    ] {
        let file = scratch("ss-filter-errors").join("out.jsonl");
        let out = run(Command::new(bin())
            .args(["-c", "-t", "0.1", "-j", "--file-name"])
            .arg(&file)
            .args(&args));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("netstatspy: error: ") && stderr.contains(needle),
            "{args:?}: {stderr}"
        );
    }
}
