//! Live oracle test of the ss reader: in a namespace of our own, a few hundred TCP connections
//! over IPv4 and IPv6 with data sent (some left unread, some with keepalive) and connected UDP
//! sockets; `ss -tuinmHOn -o state established` read just before and just after netstatspy. The
//! set of sockets must equal ss's, and every value ss prints must equal ours in ss's units —
//! or, for values that move with time, lie between ss's two readings. A second scenario holds
//! sockets bound to an interface (IPv4 by `SO_BINDTODEVICE`, IPv6 by a link-local scope), TCP-MD5
//! connections, MPTCP subflows and, where the kernel has kTLS, a kTLS pair, compared the same
//! way, and its recording must replay to the same JSON; a third renames the bound interface
//! during a run.

mod common;

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::os::fd::AsRawFd;
use std::process::Command;
use std::sync::mpsc;

use common::ss::{Key, SsLine, assert_socket, keyed, parse_ss};
use common::{Held, Need, Netns, bin, check, enter_netns, json_lines, require, scratch};

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

// ---- Bound, TCP-MD5, MPTCP and kTLS sockets ----

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV6};
use std::os::fd::{FromRawFd, OwnedFd};

use serde_json::Value;

const IPPROTO_MPTCP: libc::c_int = 262;
const TCP_MD5SIG: libc::c_int = 14;
const TCP_MD5SIG_EXT: libc::c_int = 32;
const TCP_MD5SIG_FLAG_PREFIX: u8 = 1;
const TCP_ULP: libc::c_int = 31;
const SOL_TLS: libc::c_int = 282;

fn check_rc(rc: libc::c_int, what: &str) {
    assert!(rc >= 0, "{what}: {}", std::io::Error::last_os_error());
}

fn raw_socket(family: libc::c_int, protocol: libc::c_int) -> OwnedFd {
    // SAFETY: socket(2) with constant arguments; the fd is owned from here on.
    let fd = unsafe { libc::socket(family, libc::SOCK_STREAM, protocol) };
    check_rc(fd, "socket");
    // SAFETY: a fresh fd that nothing else owns.
    unsafe { OwnedFd::from_raw_fd(fd) }
}

fn set_opt(fd: &OwnedFd, level: libc::c_int, name: libc::c_int, value: &[u8], what: &str) -> bool {
    // SAFETY: a valid fd and a buffer of the given length.
    let rc = unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            name,
            value.as_ptr().cast(),
            value.len() as libc::socklen_t,
        )
    };
    if what.is_empty() {
        return rc == 0;
    }
    check_rc(rc, what);
    true
}

/// `struct sockaddr_in`/`sockaddr_in6` of `addr`, as bytes, in a `sockaddr_storage`.
fn sockaddr(addr: SocketAddr) -> (libc::sockaddr_storage, libc::socklen_t) {
    // SAFETY: all-zero is a valid sockaddr_storage.
    let mut ss: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let len = match addr {
        SocketAddr::V4(a) => {
            let sin = libc::sockaddr_in {
                sin_family: libc::AF_INET as libc::sa_family_t,
                sin_port: a.port().to_be(),
                sin_addr: libc::in_addr {
                    s_addr: u32::from_ne_bytes(a.ip().octets()),
                },
                sin_zero: [0; 8],
            };
            // SAFETY: sockaddr_in fits in sockaddr_storage.
            unsafe { std::ptr::write((&mut ss as *mut libc::sockaddr_storage).cast(), sin) };
            std::mem::size_of::<libc::sockaddr_in>()
        }
        SocketAddr::V6(a) => {
            let sin6 = libc::sockaddr_in6 {
                sin6_family: libc::AF_INET6 as libc::sa_family_t,
                sin6_port: a.port().to_be(),
                sin6_flowinfo: 0,
                sin6_addr: libc::in6_addr {
                    s6_addr: a.ip().octets(),
                },
                sin6_scope_id: a.scope_id(),
            };
            // SAFETY: sockaddr_in6 fits in sockaddr_storage.
            unsafe { std::ptr::write((&mut ss as *mut libc::sockaddr_storage).cast(), sin6) };
            std::mem::size_of::<libc::sockaddr_in6>()
        }
    };
    (ss, len as libc::socklen_t)
}

fn bind_listen(fd: &OwnedFd, addr: SocketAddr) {
    let (ss, len) = sockaddr(addr);
    // SAFETY: a valid fd and sockaddr of `len` bytes.
    check_rc(
        unsafe {
            libc::bind(
                fd.as_raw_fd(),
                (&ss as *const libc::sockaddr_storage).cast(),
                len,
            )
        },
        &format!("bind {addr}"),
    );
    // SAFETY: a valid fd.
    check_rc(unsafe { libc::listen(fd.as_raw_fd(), 16) }, "listen");
}

fn connect(fd: OwnedFd, addr: SocketAddr) -> TcpStream {
    let (ss, len) = sockaddr(addr);
    // SAFETY: a valid fd and sockaddr of `len` bytes.
    let rc = unsafe {
        libc::connect(
            fd.as_raw_fd(),
            (&ss as *const libc::sockaddr_storage).cast(),
            len,
        )
    };
    check_rc(rc, &format!("connect {addr}"));
    TcpStream::from(fd)
}

fn listener(fd: OwnedFd) -> TcpListener {
    TcpListener::from(fd)
}

/// `struct tcp_md5sig` for `peer` (with a prefix length when given) and `key`.
fn md5sig(peer: IpAddr, prefix: Option<u8>, key: &[u8]) -> Vec<u8> {
    let (ss, _) = sockaddr(SocketAddr::new(peer, 0));
    // SAFETY: reading the plain bytes of a sockaddr_storage.
    let storage: [u8; 128] = unsafe { std::mem::transmute(ss) };
    let mut m = storage.to_vec();
    m.push(if prefix.is_some() {
        TCP_MD5SIG_FLAG_PREFIX
    } else {
        0
    });
    m.push(prefix.unwrap_or(0));
    m.extend_from_slice(&(key.len() as u16).to_ne_bytes());
    m.extend_from_slice(&0i32.to_ne_bytes());
    let mut k = [0u8; 80];
    k[..key.len()].copy_from_slice(key);
    m.extend_from_slice(&k);
    m
}

fn add_md5(fd: &OwnedFd, peer: IpAddr, prefix: Option<u8>, key: &[u8]) {
    let opt = if prefix.is_some() {
        TCP_MD5SIG_EXT
    } else {
        TCP_MD5SIG
    };
    set_opt(
        fd,
        libc::IPPROTO_TCP,
        opt,
        &md5sig(peer, prefix, key),
        "TCP_MD5SIG",
    );
}

/// `struct tls12_crypto_info_aes_gcm_128` with a fixed key.
fn tls12_aes_gcm_128() -> Vec<u8> {
    let mut c = 0x0303u16.to_ne_bytes().to_vec();
    c.extend_from_slice(&51u16.to_ne_bytes());
    c.extend_from_slice(&[1; 8]); // iv
    c.extend_from_slice(&[2; 16]); // key
    c.extend_from_slice(&[3; 4]); // salt
    c.extend_from_slice(&[0; 8]); // rec_seq
    c
}

/// What the scenario could build: kTLS is not available on every kernel.
struct Built {
    held: Held,
    tls: Result<(), String>,
}

/// In `a` (measured) and `b`: sockets bound to `va0` (IPv4 by SO_BINDTODEVICE, IPv6 by a
/// link-local address's scope), in both directions; TCP-MD5 connections over loopback (IPv4
/// with two keys, one of them a prefix, and IPv6; keys with bytes ss escapes); MPTCP
/// connections over loopback (IPv4 and IPv6); a kTLS pair when the kernel has kTLS.
fn hold_special_sockets(a: &Netns, b: &Netns, subnet: u8) -> Built {
    let (a, b) = (a.name.clone(), b.name.clone());
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let (ready_tx, ready_rx) = mpsc::channel::<Result<(), String>>();
    let thread = std::thread::spawn(move || {
        let mut keep: Vec<Box<dyn std::any::Any>> = Vec::new();
        let v4 = |last: u8| IpAddr::V4(Ipv4Addr::new(10, 9, subnet, last));
        let ll = |last: u16| Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, last);
        // Listeners in b.
        enter_netns(&b);
        // SAFETY: a NUL-terminated name.
        let vb0 = unsafe { libc::if_nametoindex(c"vb0".as_ptr()) };
        let lb4 = raw_socket(libc::AF_INET, 0);
        bind_listen(&lb4, SocketAddr::new(v4(2), 7000));
        let lb6 = raw_socket(libc::AF_INET6, 0);
        bind_listen(&lb6, SocketAddr::V6(SocketAddrV6::new(ll(2), 7002, 0, vb0)));
        // Listeners in a: bound to va0; MD5; MPTCP; plain for kTLS.
        enter_netns(&a);
        // SAFETY: a NUL-terminated name.
        let va0 = unsafe { libc::if_nametoindex(c"va0".as_ptr()) };
        let la4 = raw_socket(libc::AF_INET, 0);
        set_opt(
            &la4,
            libc::SOL_SOCKET,
            libc::SO_BINDTODEVICE,
            b"va0\0",
            "bind to va0",
        );
        bind_listen(&la4, SocketAddr::new(v4(1), 7100));
        let la6 = raw_socket(libc::AF_INET6, 0);
        bind_listen(&la6, SocketAddr::V6(SocketAddrV6::new(ll(1), 7102, 0, va0)));
        let lo4 = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let lo6 = IpAddr::V6(Ipv6Addr::LOCALHOST);
        let md5_keys: [&[u8]; 2] = [b"k e,y\\\x01\xff-4", b"six-key"];
        let lm4 = raw_socket(libc::AF_INET, 0);
        add_md5(&lm4, lo4, None, md5_keys[0]);
        bind_listen(&lm4, SocketAddr::new(lo4, 7200));
        let lm6 = raw_socket(libc::AF_INET6, 0);
        add_md5(&lm6, lo6, None, md5_keys[1]);
        bind_listen(&lm6, SocketAddr::new(lo6, 7202));
        let lp4 = raw_socket(libc::AF_INET, IPPROTO_MPTCP);
        bind_listen(&lp4, SocketAddr::new(lo4, 7300));
        let lp6 = raw_socket(libc::AF_INET6, IPPROTO_MPTCP);
        bind_listen(&lp6, SocketAddr::new(lo6, 7302));
        let lt = raw_socket(libc::AF_INET, 0);
        bind_listen(&lt, SocketAddr::new(lo4, 7400));
        let (la4, la6, lm4, lm6, lp4, lp6, lt) = (
            listener(la4),
            listener(la6),
            listener(lm4),
            listener(lm6),
            listener(lp4),
            listener(lp6),
            listener(lt),
        );
        // Clients in a.
        let c = raw_socket(libc::AF_INET, 0);
        set_opt(
            &c,
            libc::SOL_SOCKET,
            libc::SO_BINDTODEVICE,
            b"va0\0",
            "bind to va0",
        );
        let mut streams = vec![connect(c, SocketAddr::new(v4(2), 7000))];
        streams.push(connect(
            raw_socket(libc::AF_INET6, 0),
            SocketAddr::V6(SocketAddrV6::new(ll(2), 7002, 0, va0)),
        ));
        let c = raw_socket(libc::AF_INET, 0);
        add_md5(&c, lo4, None, md5_keys[0]);
        // A second key, for a prefix: ss lists both.
        add_md5(&c, v4(0), Some(24), b"prefix,key");
        streams.push(connect(c, SocketAddr::new(lo4, 7200)));
        let c = raw_socket(libc::AF_INET6, 0);
        add_md5(&c, lo6, None, md5_keys[1]);
        streams.push(connect(c, SocketAddr::new(lo6, 7202)));
        streams.push(connect(
            raw_socket(libc::AF_INET, IPPROTO_MPTCP),
            SocketAddr::new(lo4, 7300),
        ));
        streams.push(connect(
            raw_socket(libc::AF_INET6, IPPROTO_MPTCP),
            SocketAddr::new(lo6, 7302),
        ));
        let tls_client = connect(raw_socket(libc::AF_INET, 0), SocketAddr::new(lo4, 7400));
        // Clients in b, to a's bound listeners.
        enter_netns(&b);
        streams.push(connect(
            raw_socket(libc::AF_INET, 0),
            SocketAddr::new(v4(1), 7100),
        ));
        streams.push(connect(
            raw_socket(libc::AF_INET6, 0),
            SocketAddr::V6(SocketAddrV6::new(ll(1), 7102, 0, vb0)),
        ));
        enter_netns(&a);
        for l in [&la4, &la6, &lm4, &lm6, &lp4, &lp6] {
            streams.push(l.accept().expect("accept").0);
        }
        let (tls_server, _) = lt.accept().expect("accept");
        // kTLS, when this kernel has it: TLS_TX on the client, TLS_RX on the server.
        let tls = (|| {
            let (cf, sf) = (OwnedFd::from(tls_client), OwnedFd::from(tls_server));
            for fd in [&cf, &sf] {
                if !set_opt(fd, libc::IPPROTO_TCP, TCP_ULP, b"tls", "") {
                    return Err(format!(
                        "setsockopt(TCP_ULP, \"tls\"): {} (no kTLS in this kernel)",
                        std::io::Error::last_os_error()
                    ));
                }
            }
            set_opt(&cf, SOL_TLS, 1, &tls12_aes_gcm_128(), "TLS_TX");
            set_opt(&sf, SOL_TLS, 2, &tls12_aes_gcm_128(), "TLS_RX");
            keep.push(Box::new(cf));
            keep.push(Box::new(sf));
            Ok(())
        })();
        // Some data both ways on every connection.
        for (i, s) in streams.iter_mut().enumerate() {
            s.write_all(&vec![b'x'; 100 + i * 37]).expect("write");
        }
        keep.push(Box::new(streams));
        keep.push(Box::new((la4, la6, lm4, lm6, lp4, lp6, lt, lb4, lb6)));
        let _ = ready_tx.send(tls);
        let _ = stop_rx.recv();
        drop(keep);
    });
    let tls = ready_rx.recv().expect("sockets ready");
    Built {
        held: Held {
            stop: Some(stop_tx),
            thread: Some(thread),
        },
        tls,
    }
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces; ip, tc and ss as the oracle)"
)]
fn bound_md5_mptcp_and_tls_sockets_equal_ss() {
    require(&[Need::Root, Need::Iproute2]);
    let (a, b) = Netns::joined("ssx-a", "ssx-b", 61);
    for (ns, dev, addr) in [(&a, "va0", "fe80::1/64"), (&b, "vb0", "fe80::2/64")] {
        ns.sh(&format!(
            "echo 0 > /proc/sys/net/ipv6/conf/lo/disable_ipv6; \
             echo 0 > /proc/sys/net/ipv6/conf/{dev}/disable_ipv6"
        ));
        ns.ip(&["-6", "addr", "add", addr, "dev", dev, "nodad"]);
    }
    a.sh("echo 1 > /proc/sys/net/mptcp/enabled");
    let built = hold_special_sockets(&a, &b, 61);
    if let Err(why) = &built.tls {
        println!("kTLS sockets left out: {why}");
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let ss_text = || {
        check(Command::new("ip").args(["netns", "exec", &a.name]).args([
            "ss",
            "-tuinmHOn",
            "-o",
            "state",
            "established",
        ]))
    };
    let dir = scratch("ss-special");
    let (file, pcap) = (dir.join("ss.jsonl"), dir.join("ss.pcap"));
    let before = parse_ss(&ss_text());
    check(
        a.command(&bin())
            .args(["--no-ip", "--ss", "-c", "-j", "-t", "0.5", "--file-name"])
            .arg(&file)
            .arg("--record")
            .arg(&pcap),
    );
    let after_text = ss_text();
    let after = parse_ss(&after_text);
    let records = json_lines(&file);
    assert_eq!(records.len(), 1);
    let ours = keyed(&records[0]["stats"]);
    let keys = |m: &HashMap<Key, SsLine>| m.keys().cloned().collect::<HashSet<Key>>();
    assert_eq!(
        keys(&before),
        keys(&after),
        "sockets changed during the test"
    );
    // The keys' bytes: where ss 6.1 printed them, in the order of the sockets (the kernel's dump
    // order, which is ours too), each as ss escapes it.
    let keys_in_order = common::ss::md5_keys_as_ss_leaks(&records[0]["stats"]);
    let leaked = common::ss::leaked_md5_keys(&after_text);
    if !leaked.is_empty() {
        assert_eq!(keys_in_order, leaked, "md5 keys as ss printed them");
    }
    assert_eq!(ours.keys().cloned().collect::<HashSet<Key>>(), keys(&after));
    for (key, s) in &ours {
        assert_socket(s, &before[key], &after[key], &format!("{key:?}"));
    }
    // The scenario held what it should: 4 bound sockets (a client and an accepted socket, IPv4
    // and IPv6), 4 with MD5 keys (one with two), 4 MPTCP subflows, and kTLS when available.
    let count = |f: &dyn Fn(&Value) -> bool| ours.values().filter(|s| f(s)).count();
    assert_eq!(count(&|s| s["local"]["ifname"] == "va0"), 4);
    assert_eq!(count(&|s| s.get("md5keys").is_some()), 4);
    assert_eq!(
        count(&|s| s["md5keys"].as_array().is_some_and(|k| k.len() == 2)),
        1
    );
    assert_eq!(count(&|s| s["ulp"]["name"] == "mptcp"), 4);
    if built.tls.is_ok() {
        assert_eq!(count(&|s| s["ulp"]["name"] == "tls"), 2);
    }
    // The recording replays to the same JSON, names of bound interfaces included.
    let replayed = dir.join("replayed.jsonl");
    check(
        Command::new(bin())
            .arg("--replay")
            .arg(&pcap)
            .args(["--no-ip", "--ss", "-c", "-j", "--file-name"])
            .arg(&replayed),
    );
    assert_eq!(json_lines(&replayed)[0]["stats"], records[0]["stats"]);
    drop(built.held);
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces; ip, tc and ss as the oracle)"
)]
fn a_renamed_interface_is_named_anew_and_replays_so() {
    require(&[Need::Root, Need::Iproute2]);
    let (a, b) = Netns::joined("ssr-a", "ssr-b", 62);
    let (an, bn) = (a.name.clone(), b.name.clone());
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let (ready_tx, ready_rx) = mpsc::channel::<()>();
    let thread = std::thread::spawn(move || {
        enter_netns(&bn);
        let l = raw_socket(libc::AF_INET, 0);
        bind_listen(&l, "10.9.62.2:7000".parse().expect("addr"));
        enter_netns(&an);
        let c = raw_socket(libc::AF_INET, 0);
        set_opt(
            &c,
            libc::SOL_SOCKET,
            libc::SO_BINDTODEVICE,
            b"va0\0",
            "bind to va0",
        );
        let c = connect(c, "10.9.62.2:7000".parse().expect("addr"));
        let s = listener(l).accept().expect("accept");
        let _ = ready_tx.send(());
        let _ = stop_rx.recv();
        drop((c, s));
    });
    ready_rx.recv().expect("connected");
    let _held = Held {
        stop: Some(stop_tx),
        thread: Some(thread),
    };
    let dir = scratch("ss-rename");
    let (file, pcap) = (dir.join("ss.jsonl"), dir.join("ss.pcap"));
    let run = a
        .command(&bin())
        .args([
            "--no-ip",
            "--ss",
            "-c",
            "-j",
            "-f",
            "10",
            "-t",
            "2",
            "--file-name",
        ])
        .arg(&file)
        .arg("--record")
        .arg(&pcap)
        .spawn()
        .expect("netstatspy");
    std::thread::sleep(std::time::Duration::from_millis(700));
    a.ip(&["link", "set", "va0", "down"]);
    a.ip(&["link", "set", "va0", "name", "vr0"]);
    a.ip(&["link", "set", "vr0", "up"]);
    let out = run.wait_with_output().expect("netstatspy ends");
    assert!(out.status.success());
    let ss = parse_ss(&a.sh("ss -tuinmHOn -o state established"));
    let records = json_lines(&file);
    let names: Vec<&Value> = records
        .iter()
        .map(|r| &r["stats"][0]["local"]["ifname"])
        .collect();
    assert_eq!(
        names.first().copied(),
        Some(&Value::from("va0")),
        "{names:?}"
    );
    assert_eq!(
        names.last().copied(),
        Some(&Value::from("vr0")),
        "{names:?}"
    );
    // The last sample's socket is the one ss shows, under the new name.
    let last = keyed(&records[records.len() - 1]["stats"]);
    assert_eq!(
        last.keys().collect::<HashSet<_>>(),
        ss.keys().collect::<HashSet<_>>()
    );
    // The name was asked for at the first sample and again only in samples after link
    // notifications (the down, the rename, the up and the carrier change may fall into a few
    // samples), not in every sample.
    let capture = netstatspy::capture::Capture::read(&pcap).expect("capture");
    let asked = capture
        .exchanges
        .iter()
        .filter(|e| e.key.kind == libc::RTM_GETLINK && !e.key.dump)
        .count();
    assert!(
        (2..=5).contains(&asked) && asked < records.len() / 2,
        "{asked} requests in {} samples",
        records.len()
    );
    // Replayed, the recording asks for the name where the run did and gives the same JSON.
    let replayed = dir.join("replayed.jsonl");
    check(
        Command::new(bin())
            .arg("--replay")
            .arg(&pcap)
            .args(["--no-ip", "--ss", "-c", "-j", "--file-name"])
            .arg(&replayed),
    );
    let replayed = json_lines(&replayed);
    assert_eq!(replayed.len(), records.len());
    for (r, l) in replayed.iter().zip(&records) {
        assert_eq!(r["stats"], l["stats"], "sample {}", l["sample"]);
    }
}

/// kTLS is not in every kernel (this one's `tcp_available_ulp` may lack `tls`), so its part of
/// the oracle is checked on the text ss 6.1's `tcp_tls_*` functions print.
#[test]
fn ss_ktls_text_is_read() {
    let line = "tcp 0 0 127.0.0.1:7400 127.0.0.1:40000 skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d0) \
                tcp-ulp-tls version: 1.2 cipher: aes-gcm-128 rxconf: sw txconf: hw zc_ro_tx";
    let parsed = parse_ss(line);
    let l = parsed.values().next().expect("one socket");
    assert_eq!(l.values["version"], "1.2");
    assert_eq!(l.values["cipher"], "aes-gcm-128");
    assert_eq!(l.values["rxconf"], "sw");
    assert_eq!(l.values["txconf"], "hw");
    assert!(l.words.contains("tcp-ulp-tls") && l.words.contains("zc_ro_tx"));
    assert_eq!(
        common::ss::unescape("k\\040e\\054y\\134\\001"),
        b"k e,y\\\x01"
    );
    assert_eq!(
        common::ss::escape(b"k e,y\\\x01\xff"),
        "k\\040e\\054y\\134\\001\\377"
    );
    assert_eq!(
        common::ss::leaked_md5_keys("ab\\040ctcp 0 0 a b\nudp 0 0 c d\nxyzudp 0 0 e f"),
        "ab\\040cxyz"
    );
}
