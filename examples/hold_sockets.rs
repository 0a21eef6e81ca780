//! Opens a varied set of established sockets and holds them, for recording socket captures on
//! a machine without python (the capture VM of `captures/vm/record.sh`):
//!
//! - TCP over loopback, IPv4 and IPv6, with each congestion control named on the command line,
//!   half with the sent data read by the peer and half with it left unread (queues fill, the
//!   window closes), keepalive on every third client, a reply on every fourth;
//! - a connected UDP pair per address family, one datagram queued;
//! - with `--remote ADDR:PORT`, a connection to that listener; once the file named by `--go`
//!   exists (the caller has taken the peer's link down), 5000 bytes are sent to it, so the
//!   connection retransmits.
//!
//! Prints `READY` when the sockets are open and `SENT` after the remote send, then sleeps until
//! killed.
//!
//! With `--blast ADDR:PORT`, it instead sends 3000 UDP datagrams of 1200 bytes to that address
//! as fast as the socket takes them and exits: unlike TCP, which the kernel holds to a few
//! packets in the queue per socket, this overflows a shaped qdisc, so its drop counters move.
//!
//! ```text
//! hold_sockets [--cc NAME]... [--remote ADDR:PORT --go FILE]
//! hold_sockets --blast ADDR:PORT
//! ```

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::fd::AsRawFd;
use std::path::PathBuf;
use std::thread::sleep;
use std::time::Duration;

fn setsockopt(fd: &impl AsRawFd, level: i32, name: i32, value: &[u8]) -> io::Result<()> {
    // SAFETY: `value` is a valid buffer of the length passed; the descriptor is open.
    let rc = unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            name,
            value.as_ptr().cast(),
            value.len() as libc::socklen_t,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

fn congestion(fd: &impl AsRawFd, cc: &str) -> io::Result<()> {
    setsockopt(fd, libc::IPPROTO_TCP, libc::TCP_CONGESTION, cc.as_bytes())
        .map_err(|e| io::Error::new(e.kind(), format!("congestion control {cc}: {e}")))
}

/// The system's default congestion control (`net.ipv4.tcp_congestion_control`), which new
/// sockets start with: DCTCP negotiates ECN only when it is in place from the SYN on, so it is
/// set before connecting (as root; otherwise only the per-socket option applies).
const DEFAULT_CC: &str = "/proc/sys/net/ipv4/tcp_congestion_control";

fn keepalive(fd: &impl AsRawFd) -> io::Result<()> {
    setsockopt(
        fd,
        libc::SOL_SOCKET,
        libc::SO_KEEPALIVE,
        &1i32.to_ne_bytes(),
    )
}

struct Args {
    blast: Option<SocketAddr>,
    ccs: Vec<String>,
    remote: Option<SocketAddr>,
    go: Option<PathBuf>,
}

fn args() -> Result<Args, String> {
    let mut args = Args {
        blast: None,
        ccs: Vec::new(),
        remote: None,
        go: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--cc" => args.ccs.push(value()?),
            "--remote" => {
                let v = value()?;
                args.remote = Some(v.parse().map_err(|e| format!("--remote {v}: {e}"))?);
            }
            "--go" => args.go = Some(PathBuf::from(value()?)),
            "--blast" => {
                let v = value()?;
                args.blast = Some(v.parse().map_err(|e| format!("--blast {v}: {e}"))?);
            }
            _ => return Err(format!("unknown argument {a}")),
        }
    }
    if args.ccs.is_empty() {
        args.ccs.push("cubic".into());
    }
    if args.remote.is_some() != args.go.is_some() {
        return Err("--remote and --go go together".into());
    }
    Ok(args)
}

fn blast(to: SocketAddr) -> io::Result<()> {
    let socket = UdpSocket::bind(if to.is_ipv4() { "0.0.0.0:0" } else { "[::]:0" })?;
    socket.connect(to)?;
    let datagram = [b'u'; 1200];
    for _ in 0..3000 {
        // A full queue refuses some (ENOBUFS), and the peer's port unreachable reports come
        // back as ECONNREFUSED: both are what a blast expects.
        let _ = socket.send(&datagram);
    }
    Ok(())
}

fn hold(args: &Args) -> io::Result<()> {
    if let Some(to) = args.blast {
        return blast(to);
    }
    let mut keep_tcp: Vec<TcpStream> = Vec::new();
    let mut keep_listeners: Vec<TcpListener> = Vec::new();
    let mut keep_udp: Vec<UdpSocket> = Vec::new();
    let mut i = 0usize;
    let default_cc = std::fs::read_to_string(DEFAULT_CC).ok();
    for cc in &args.ccs {
        if let Err(e) = std::fs::write(DEFAULT_CC, cc) {
            eprintln!("hold_sockets: {cc} is set per socket only ({DEFAULT_CC}: {e})");
        }
        for host in ["127.0.0.1:0", "[::1]:0"] {
            let listener = TcpListener::bind(host)?;
            congestion(&listener, cc)?;
            for unread in [false, true] {
                i += 1;
                let mut client = TcpStream::connect(listener.local_addr()?)?;
                congestion(&client, cc)?;
                let (mut server, _) = listener.accept()?;
                if i.is_multiple_of(3) {
                    keepalive(&client)?;
                }
                let size = 1000 + 9973 * i + if unread { 300_000 } else { 0 };
                client.set_nonblocking(true)?;
                let data = vec![b'x'; size];
                let mut sent = 0;
                // Send what the queues take: with the data left unread they fill up.
                for _ in 0..200 {
                    match client.write(&data[sent..]) {
                        Ok(n) => sent += n,
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                        Err(e) => return Err(e),
                    }
                    if sent == size {
                        break;
                    }
                    if !unread {
                        drain(&mut server)?;
                    }
                    sleep(Duration::from_millis(5));
                }
                if !unread {
                    drain(&mut server)?;
                }
                if i.is_multiple_of(4) {
                    server.write_all(&vec![b'y'; 100 + i])?;
                }
                keep_tcp.push(client);
                keep_tcp.push(server);
            }
            keep_listeners.push(listener);
        }
    }
    if let Some(cc) = default_cc {
        // Best effort: the sockets made above keep theirs.
        let _ = std::fs::write(DEFAULT_CC, cc.trim());
    }
    for host in ["127.0.0.1:0", "[::1]:0"] {
        let a = UdpSocket::bind(host)?;
        let b = UdpSocket::bind(host)?;
        a.connect(b.local_addr()?)?;
        b.connect(a.local_addr()?)?;
        a.send(&[b'z'; 50])?;
        keep_udp.push(a);
        keep_udp.push(b);
    }
    let remote = match args.remote {
        Some(addr) => Some(TcpStream::connect(addr)?),
        None => None,
    };
    println!("READY");
    if let (Some(mut stream), Some(go)) = (remote, &args.go) {
        while !go.exists() {
            sleep(Duration::from_millis(50));
        }
        stream.write_all(&[b'r'; 5000])?;
        println!("SENT");
        keep_tcp.push(stream);
    }
    io::stdout().flush()?;
    loop {
        sleep(Duration::from_secs(3600));
    }
}

/// Read what has arrived without blocking.
fn drain(stream: &mut TcpStream) -> io::Result<()> {
    stream.set_nonblocking(true)?;
    let mut buf = [0u8; 65536];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
            Err(e) => return Err(e),
        }
    }
}

fn main() {
    let result = args()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))
        .and_then(|a| hold(&a));
    if let Err(e) = result {
        eprintln!("hold_sockets: error: {e}");
        std::process::exit(1);
    }
}
