//! Helpers shared by the integration tests: the built binary, network namespaces, and iproute2
//! as the independent oracle.
#![allow(dead_code)]

pub mod prerequisites;
pub mod ss;
pub mod xdp;

use std::fs::File;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The netstatspy binary under test.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_netstatspy"))
}

/// A fresh scratch directory for one test.
pub fn scratch(tag: &str) -> PathBuf {
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "netstatspy-test-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// What a test needs from the machine beyond a build.
#[derive(Clone, Copy, Debug)]
pub enum Need {
    /// Root: network namespaces, mounts.
    Root,
    /// iproute2's `ip`, `tc` and `ss`: namespaces are built with them, and they are the oracle.
    Iproute2,
    /// strace: proves that no other program is executed.
    Strace,
    /// tshark: reads the captures as an independent pcap reader.
    Tshark,
    /// zstd: reads our compressed JSON as an independent decoder.
    Zstd,
    /// Prometheus (`prometheus` and `promtool`): scrapes the metrics endpoint as a real server.
    Prometheus,
    /// python3: runs scripts/expand_changes.py, the reference reader of changes-only records.
    Python3,
    /// python3 with pyarrow: reads the exported Parquet files as an independent reader.
    Pyarrow,
    /// The static binary (`NETSTATSPY_STATIC`, or the README's static build).
    StaticBinary,
    /// Chromium: opens the HTML reports headless, as an independent browser.
    Chromium,
    /// man-db's `man`: renders the man page and reports what it cannot format.
    Man,
    /// tmux: a terminal to run the console's terminal view in, read back with capture-pane.
    Tmux,
}

impl Need {
    /// Why the machine does not meet this need, or None when it does.
    fn unmet(self) -> Option<String> {
        let program = |name: &str, package: &str| {
            prerequisites::find_program(name)
                .is_none()
                .then(|| format!("{name} is not on PATH (apt-get install {package})"))
        };
        match self {
            Need::Root => (!prerequisites::is_root())
                .then(|| "not root (network namespaces and mounts need root)".to_owned()),
            Need::Iproute2 => prerequisites::IPROUTE2
                .iter()
                .find_map(|name| program(name, "iproute2")),
            Need::Strace => program("strace", "strace"),
            Need::Tshark => program("tshark", "tshark"),
            Need::Zstd => program("zstd", "zstd"),
            Need::Man => program("man", "man-db"),
            Need::Prometheus => {
                program("prometheus", "prometheus").or_else(|| program("promtool", "prometheus"))
            }
            Need::Python3 => program("python3", "python3"),
            Need::Chromium => program("chromium", "chromium"),
            Need::Tmux => program("tmux", "tmux"),
            Need::Pyarrow => prerequisites::pyarrow().err().map(|_| {
                "python3 cannot import pyarrow (python3 -m pip install pyarrow; tests/run.sh \
                 installs it)"
                    .to_owned()
            }),
            Need::StaticBinary => (!static_binary().is_file()).then(|| {
                format!(
                    "no static binary at {} (tests/run.sh builds it; NETSTATSPY_STATIC names \
                     another)",
                    static_binary().display()
                )
            }),
        }
    }
}

/// Fails the test, naming what is missing, unless the machine meets every need. build.rs
/// judges the machine with the same code and lists such a test as ignored; it still runs, and
/// fails here, in CI (where every test must run) or with `--include-ignored`.
#[track_caller]
pub fn require(needs: &[Need]) {
    let unmet: Vec<String> = needs.iter().filter_map(|need| need.unmet()).collect();
    assert!(
        unmet.is_empty(),
        "prerequisites missing: {}{}",
        unmet.join("; "),
        if std::env::var_os("CI").is_some() {
            " (CI is set, so every test runs; tests/run.sh, run as root, provides what is missing)"
        } else {
            ""
        }
    );
}

/// The static binary the bare-root tests copy, as build.rs resolved and probed it.
pub fn static_binary() -> PathBuf {
    PathBuf::from(env!("NETSTATSPY_STATIC_BINARY"))
}

/// Run a command and return its output, failing the test if it cannot be started.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

/// Run a command that must succeed; returns its stdout.
pub fn check(cmd: &mut Command) -> String {
    let out = run(cmd);
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every capture in `captures/`, sorted.
pub fn captures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("captures/ exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "pcap"))
        .collect();
    found.sort();
    assert!(found.len() >= 20, "captures are missing: {found:?}");
    found
}

/// A capture's name: its file name without `.pcap`.
pub fn capture_name(pcap: &Path) -> String {
    pcap.file_stem()
        .expect("a capture's name")
        .to_string_lossy()
        .into_owned()
}

/// The options a capture was recorded with: its description's `options:` line, which every
/// capture's description has.
pub fn recorded_options(pcap: &Path) -> Vec<String> {
    let meta = std::fs::read_to_string(pcap.with_extension("txt")).expect("capture description");
    meta.lines()
        .find_map(|l| l.strip_prefix("options:"))
        .unwrap_or_else(|| panic!("{}: no options: line", pcap.display()))
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// Replay `pcap` with the options it was recorded with and `extra`, appending JSON Lines to
/// `json`, without the console.
pub fn replay_to_json(pcap: &Path, json: &Path, extra: &[&str]) {
    check(
        Command::new(bin())
            .arg("--replay")
            .arg(pcap)
            .args(["-c", "-j", "--file-name"])
            .arg(json)
            .args(recorded_options(pcap))
            .args(extra),
    );
}

/// Move the calling thread into the network namespace named `ns` (`/var/run/netns/NS`).
pub fn enter_netns(ns: &str) {
    let f = File::open(format!("/var/run/netns/{ns}")).expect("netns");
    // SAFETY: a valid network namespace fd; setns changes only this thread.
    assert_eq!(unsafe { libc::setns(f.as_raw_fd(), libc::CLONE_NEWNET) }, 0);
}

/// Sockets held open by a thread (inside a namespace) until dropped: dropping tells the thread
/// to close them and waits for it.
pub struct Held {
    pub stop: Option<std::sync::mpsc::Sender<()>>,
    pub thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Held {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

pub struct Netns {
    pub name: String,
}

impl Netns {
    pub fn new(tag: &str) -> Netns {
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "nsp-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        check(Command::new("ip").args(["netns", "add", &name]));
        let ns = Netns { name };
        // No IPv6: router solicitations and MLD reports would move counters on their own.
        ns.sh("echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; \
               echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6");
        ns.ip(&["link", "set", "lo", "up"]);
        ns
    }

    /// Two new namespaces joined by a veth pair, `va0` in the first (10.9.SUBNET.1/24) and
    /// `vb0` in the second (10.9.SUBNET.2/24), both up.
    pub fn joined(tag_a: &str, tag_b: &str, subnet: u8) -> (Netns, Netns) {
        let a = Netns::new(tag_a);
        let b = Netns::new(tag_b);
        a.ip(&[
            "link", "add", "va0", "type", "veth", "peer", "name", "vb0", "netns", &b.name,
        ]);
        a.ip(&["addr", "add", &format!("10.9.{subnet}.1/24"), "dev", "va0"]);
        b.ip(&["addr", "add", &format!("10.9.{subnet}.2/24"), "dev", "vb0"]);
        a.ip(&["link", "set", "va0", "up"]);
        b.ip(&["link", "set", "vb0", "up"]);
        (a, b)
    }

    /// `ip -n NS ARGS`, which must succeed.
    pub fn ip(&self, args: &[&str]) -> String {
        check(Command::new("ip").arg("-n").arg(&self.name).args(args))
    }

    /// A shell command inside the namespace, which must succeed.
    pub fn sh(&self, script: &str) -> String {
        check(
            Command::new("ip")
                .args(["netns", "exec", &self.name, "sh", "-c"])
                .arg(script),
        )
    }

    /// A command to run inside the namespace.
    pub fn command(&self, program: &Path) -> Command {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &self.name]).arg(program);
        c
    }

    /// `ip -s -s -j link` in the namespace, parsed.
    pub fn ip_link_json(&self) -> Vec<Value> {
        let text = self.ip(&["-s", "-s", "-j", "link", "show"]);
        serde_json::from_str(&text).expect("ip -j output is JSON")
    }

    /// Wait until two consecutive `ip -s -s -j link` readings are equal; returns the reading.
    pub fn settled_links(&self) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut last = self.ip_link_json();
        loop {
            std::thread::sleep(Duration::from_millis(150));
            let now = self.ip_link_json();
            if now == last {
                return now;
            }
            assert!(Instant::now() < deadline, "counters never settled");
            last = now;
        }
    }

    /// Run `f` on a thread inside the namespace and return what it returns.
    pub fn in_thread<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> T {
        let path = format!("/var/run/netns/{}", self.name);
        std::thread::spawn(move || {
            let ns = File::open(&path).expect("open netns");
            // SAFETY: valid fd of a network namespace; setns only affects this thread.
            let rc = unsafe { libc::setns(ns.as_raw_fd(), libc::CLONE_NEWNET) };
            assert_eq!(rc, 0, "setns: {}", std::io::Error::last_os_error());
            f()
        })
        .join()
        .expect("thread in the namespace")
    }

    /// Load an XDP program that passes everything, named `name`, and attach it to `ifname`
    /// in native (driver) mode or else generic mode.
    pub fn attach_xdp(&self, ifname: &str, name: &str, native: bool) {
        let (ifname, name) = (ifname.to_owned(), name.to_owned());
        let flags = if native {
            xdp::XDP_FLAGS_DRV_MODE
        } else {
            xdp::XDP_FLAGS_SKB_MODE
        };
        self.in_thread(move || xdp::attach_pass(&ifname, &name, flags))
            .unwrap_or_else(|e| panic!("XDP: {e}"));
    }

    /// Send `count` UDP datagrams of `size` bytes from inside the namespace to `to`.
    pub fn send_udp(&self, to: &str, count: usize, size: usize) {
        let path = format!("/var/run/netns/{}", self.name);
        let to = to.to_owned();
        std::thread::spawn(move || {
            let ns = File::open(&path).expect("open netns");
            // SAFETY: valid fd of a network namespace; setns only affects this thread.
            let rc = unsafe { libc::setns(ns.as_raw_fd(), libc::CLONE_NEWNET) };
            assert_eq!(rc, 0, "setns: {}", std::io::Error::last_os_error());
            let sock = std::net::UdpSocket::bind("0.0.0.0:0").expect("bind");
            let payload = vec![0x5a; size];
            for _ in 0..count {
                // Unreachable-port errors coming back are expected and fine.
                let _ = sock.send_to(&payload, &to);
            }
        })
        .join()
        .expect("sender thread");
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .stderr(Stdio::null())
            .status();
    }
}

/// Read a JSON Lines file into values, the samples' records only (see [`all_json_lines`]); every
/// line must be complete JSON.
pub fn json_lines(path: &Path) -> Vec<Value> {
    all_json_lines(path)
        .into_iter()
        .filter(|v| !is_run_record(v))
        .collect()
}

/// True for a run's own records (its header and summary), which are not samples.
pub fn is_run_record(v: &Value) -> bool {
    matches!(v["type"].as_str(), Some("run" | "run_summary"))
}

/// Every line of a JSON Lines file, the runs' headers and summaries included.
pub fn all_json_lines(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).expect("read JSON file");
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "file does not end with a complete line"
    );
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect()
}

/// Compare one netstatspy element with ip's element for the same interface: every key ip
/// prints (at any depth: `stats64.rx.bytes` too) must be in ours with the same value. Ours may
/// carry keys ip does not print; today `parentbus` and `parentdev`, which ip prints with `-d`.
pub fn assert_same_link(ours: &Value, theirs: &Value, context: &str) {
    let (Value::Object(o), Value::Object(t)) = (ours, theirs) else {
        panic!("{context}: not link objects: {ours} / {theirs}");
    };
    for (key, tv) in t {
        assert_eq!(
            o.get(key),
            Some(tv),
            "{context}: key {key} of {} differs (netstatspy vs ip)",
            theirs["ifname"]
        );
    }
}

/// Every key ip prints but `stats64`, as [`assert_same_link`] compares them.
pub fn assert_same_metadata(ours: &Value, theirs: &Value, context: &str) {
    let without_counters = |l: &Value| {
        let mut l = l.clone();
        if let Some(o) = l.as_object_mut() {
            o.remove("stats64");
        }
        l
    };
    assert_same_link(&without_counters(ours), &without_counters(theirs), context);
}

pub fn assert_same_links(ours: &[Value], theirs: &[Value], context: &str) {
    let mut names: Vec<_> = ours.iter().map(|l| l["ifname"].clone()).collect();
    let mut expected: Vec<_> = theirs.iter().map(|l| l["ifname"].clone()).collect();
    names.sort_by_key(|v| v.to_string());
    expected.sort_by_key(|v| v.to_string());
    assert_eq!(names, expected, "{context}: interface sets differ");
    for theirs in theirs {
        let ours = ours
            .iter()
            .find(|l| l["ifindex"] == theirs["ifindex"])
            .expect("same ifindex");
        assert_same_link(ours, theirs, context);
    }
}

/// Every key of `theirs` (recursively through objects) has the same value in `ours`; `ours`
/// may carry more keys (e.g. `xstats_raw`). Arrays and scalars must be equal.
pub fn assert_covers(ours: &Value, theirs: &Value, context: &str) {
    assert_covers_but(ours, theirs, context, "", &|_, _, _| false);
}

/// [`assert_covers`], except where `allowed(path, ours, theirs)` accepts a differing value
/// (`path` is the key path from the top, `options.delay.jitter`).
pub fn assert_covers_but(
    ours: &Value,
    theirs: &Value,
    context: &str,
    path: &str,
    allowed: &dyn Fn(&str, &Value, &Value) -> bool,
) {
    if !path.is_empty() && ours != theirs && allowed(path, ours, theirs) {
        return;
    }
    match (ours, theirs) {
        (Value::Object(o), Value::Object(t)) => {
            for (k, tv) in t {
                let ov = o
                    .get(k)
                    .unwrap_or_else(|| panic!("{context}: key {k} missing in netstatspy's {ours}"));
                let path = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                assert_covers_but(ov, tv, &format!("{context}.{k}"), &path, allowed);
            }
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64().is_some() && b.as_f64().is_some() => {
            assert_eq!(a.as_f64(), b.as_f64(), "{context}: {a} vs {b}");
            assert_eq!(
                a.is_f64(),
                b.is_f64() && !b.is_u64() && !b.is_i64(),
                "{context}: {a} vs {b}"
            );
        }
        _ => assert_eq!(ours, theirs, "{context}"),
    }
}

/// `ifname/queue` of every element of a `queue_limits` record.
pub fn queue_names(record: &Value) -> Vec<String> {
    record["stats"]
        .as_array()
        .expect("stats")
        .iter()
        .map(|q| {
            format!(
                "{}/{}",
                q["ifname"].as_str().expect("ifname"),
                q["queue"].as_str().expect("queue")
            )
        })
        .collect()
}

/// The values netstatspy computes as iproute2 6.15 does, where iproute2 6.1 (the oracle on this
/// machine and beside the 6.1 captures) computed them differently — exactly the differences
/// the README documents, nothing broader. `qdisc` is netstatspy's element; `peakrate` tbf's
/// peak rate in bytes per second, when known (tc's JSON does not carry it).
///
/// - tbf `burst` and `minburst`: 6.1 truncated the buffer's time to whole microseconds before
///   multiplying by the rate (peak rate for `minburst`), so its value is smaller by at most
///   the bytes of one microsecond at that rate, plus one for the truncation of the product.
/// - tbf `lat`: 6.1 subtracted the truncated time, so its value is larger by at most 1 µs.
/// - netem `delay.delay` and `delay.jitter`: 6.1 read 64 ns ticks and truncated them to whole
///   microseconds; 6.15 reads the nanoseconds. 6.1's value is smaller by less than 1 µs (both
///   rounded to six significant digits, as `%g` prints them).
/// - taprio `schedule` (and `admin.schedule`): 6.1 names the gate commands H and R `Invalid`;
///   every other key of every entry is the same.
pub fn tc_6_1_difference(
    qdisc: &Value,
    peakrate: Option<u64>,
    path: &str,
    ours: &Value,
    theirs: &Value,
) -> bool {
    if qdisc["kind"] == "taprio" && matches!(path, "options.schedule" | "options.admin.schedule") {
        let (Some(o), Some(t)) = (ours.as_array(), theirs.as_array()) else {
            return false;
        };
        return o.len() == t.len()
            && o.iter().zip(t).all(|(o, t)| {
                let (mut o, mut t) = (o.clone(), t.clone());
                let renamed = t["cmd"] == "Invalid" && (o["cmd"] == "H" || o["cmd"] == "R");
                if renamed {
                    o["cmd"] = Value::Null;
                    t["cmd"] = Value::Null;
                }
                o == t
            });
    }
    let (Some(o), Some(t)) = (ours.as_f64(), theirs.as_f64()) else {
        return false;
    };
    let rate = qdisc["options"]["rate"].as_u64();
    match (qdisc["kind"].as_str(), path) {
        (Some("tbf"), "options.burst") => {
            rate.is_some_and(|r| o >= t && o - t <= r as f64 / 1e6 + 1.0)
        }
        (Some("tbf"), "options.minburst") => {
            peakrate.is_some_and(|r| o >= t && o - t <= r as f64 / 1e6 + 1.0)
        }
        (Some("tbf"), "options.lat") => o <= t && t - o <= 1.0,
        (Some("netem"), "options.delay.delay" | "options.delay.jitter") => {
            let rounding = 1e-5 * o.abs().max(t.abs());
            o + rounding >= t && o - t < 1e-6 + rounding
        }
        _ => false,
    }
}

/// A tc rate as tc's text output prints it (`60Mbit`, `800Kbit`, `1Gbit`, `96bit`), in bytes per
/// second.
pub fn tc_text_rate(text: &str) -> Option<u64> {
    let number = text.strip_suffix("bit")?;
    let (digits, scale) = match number.char_indices().last()? {
        (i, 'K') => (&number[..i], 1e3),
        (i, 'M') => (&number[..i], 1e6),
        (i, 'G') => (&number[..i], 1e9),
        (i, 'T') => (&number[..i], 1e12),
        _ => (number, 1.0),
    };
    let bits: f64 = digits.parse().ok()?;
    Some((bits * scale / 8.0) as u64)
}

/// A child process killed (SIGTERM, then SIGKILL) and reaped when dropped.
pub struct Running(pub Child);

impl Running {
    /// SIGTERM, and wait for it to end; returns its stderr file's text when given.
    pub fn stop(&mut self) {
        // SAFETY: kill(2) on our own child's pid.
        unsafe { libc::kill(self.0.id() as libc::pid_t, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            self.stop();
        }
    }
}

/// `GET path` over HTTP/1.0 from this thread's namespace: (status, head, body).
pub fn http_get(addr: &str, path: &str, accept: Option<&str>) -> Option<(u16, String, String)> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let accept = accept.map_or(String::new(), |a| format!("Accept: {a}\r\n"));
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n{accept}\r\n").ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n")?;
    Some((
        head.split(' ').nth(1)?.parse().ok()?,
        head.to_owned(),
        body.to_owned(),
    ))
}
