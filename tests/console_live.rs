//! The console on a live namespace with traffic: the busiest sockets are those the test itself
//! made busy, and the terminal view, run in a real terminal (tmux) and read back with
//! `capture-pane`, fits the pane, updates in place, follows a resize and quits on `q` with exit
//! status 0 and a complete JSON file.

mod common;

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::{Need, Netns, all_json_lines, bin, require, run, scratch};

/// Run `f` on a new thread inside namespace `ns`.
fn spawn_in<T: Send + 'static>(ns: &str, f: impl FnOnce() -> T + Send + 'static) -> JoinHandle<T> {
    let path = format!("/var/run/netns/{ns}");
    std::thread::spawn(move || {
        let file = File::open(&path).expect("open netns");
        // SAFETY: a valid network namespace fd; setns changes only this thread.
        let rc = unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) };
        assert_eq!(rc, 0, "setns: {}", std::io::Error::last_os_error());
        f()
    })
}

/// Traffic in and between two joined namespaces: `idle` connections on a's loopback that
/// exchanged 1 KB each way once and then stay quiet (both ends in a), and `bulk` connections
/// from a to b that send all the time (paced, so the loaded machine keeps up) until dropped.
struct Traffic {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
    _idle: Vec<TcpStream>,
    /// The local ports (in a) of the bulk connections.
    bulk_ports: BTreeSet<u16>,
}

impl Traffic {
    fn start(a: &Netns, b: &Netns, subnet: u8, idle: usize, bulk: usize) -> Traffic {
        let server = format!("10.9.{subnet}.2");
        let stop = Arc::new(AtomicBool::new(false));
        let mut threads = Vec::new();
        // a: an echo of 1 KB on its loopback, port 5001 (connections kept open), where the
        // kernel's delivery rate of a quiet connection is highest; b: a sink on port 5002.
        let idle_l = spawn_in(&a.name, || TcpListener::bind(("127.0.0.1", 5001)))
            .join()
            .expect("listener")
            .expect("bind 5001");
        let bulk_l = {
            let server = server.clone();
            spawn_in(&b.name, move || TcpListener::bind((server.as_str(), 5002)))
                .join()
                .expect("listener")
                .expect("bind 5002")
        };
        threads.push(std::thread::spawn(move || {
            let mut kept = Vec::new();
            for _ in 0..idle {
                let Ok((mut s, _)) = idle_l.accept() else {
                    return;
                };
                let mut buf = [0u8; 1024];
                if s.read_exact(&mut buf).is_ok() {
                    let _ = s.write_all(&buf);
                }
                kept.push(s);
            }
            // Keep them open until the clients close.
            for mut s in kept {
                let mut buf = [0u8; 16];
                let _ = s.read(&mut buf);
            }
        }));
        {
            let stop = Arc::clone(&stop);
            threads.push(std::thread::spawn(move || {
                let mut sinks = Vec::new();
                for _ in 0..bulk {
                    let Ok((mut s, _)) = bulk_l.accept() else {
                        return;
                    };
                    let stop = Arc::clone(&stop);
                    sinks.push(std::thread::spawn(move || {
                        let mut buf = vec![0u8; 65536];
                        while !stop.load(Ordering::Relaxed) {
                            match s.read(&mut buf) {
                                Ok(0) | Err(_) => return,
                                Ok(_) => {}
                            }
                        }
                    }));
                }
                for s in sinks {
                    let _ = s.join();
                }
            }));
        }
        let idle_streams = {
            spawn_in(&a.name, move || {
                (0..idle)
                    .map(|_| {
                        let mut s = TcpStream::connect(("127.0.0.1", 5001)).expect("connect");
                        s.write_all(&[7u8; 1024]).expect("send 1 KB");
                        let mut buf = [0u8; 1024];
                        s.read_exact(&mut buf).expect("echo");
                        s
                    })
                    .collect::<Vec<_>>()
            })
            .join()
            .expect("idle connections")
        };
        let mut bulk_ports = BTreeSet::new();
        for _ in 0..bulk {
            let server = server.clone();
            let stop = Arc::clone(&stop);
            let (tx, rx) = std::sync::mpsc::channel();
            threads.push(spawn_in(&a.name, move || {
                let mut s = TcpStream::connect((server.as_str(), 5002)).expect("connect bulk");
                let _ = tx.send(s.local_addr().expect("local").port());
                let chunk = vec![0x5au8; 64 * 1024];
                while !stop.load(Ordering::Relaxed) {
                    if s.write_all(&chunk).is_err() {
                        return;
                    }
                    // About 6 MB/s per connection.
                    std::thread::sleep(Duration::from_millis(10));
                }
            }));
            bulk_ports.insert(rx.recv().expect("bulk port"));
        }
        Traffic {
            stop,
            threads,
            _idle: idle_streams,
            bulk_ports,
        }
    }
}

impl Drop for Traffic {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self._idle.clear();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces)"
)]
fn four_bulk_flows_are_the_top_four_sockets() {
    require(&[Need::Root, Need::Iproute2]);
    let (a, b) = Netns::joined("cbulk-a", "cbulk-b", 61);
    let traffic = Traffic::start(&a, &b, 61, 300, 4);
    let out = run(Command::new(bin())
        .args([
            "--netns", &a.name, "--no-ip", "--ss", "-f", "100", "-t", "3",
        ])
        .args(["--console", "plain", "--all-rows"]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bulk = traffic.bulk_ports.clone();
    drop(traffic);
    let text = String::from_utf8_lossy(&out.stdout);
    let blocks: Vec<&str> = text.split("\n\n").filter(|b| !b.is_empty()).collect();
    // -f 100 for 3 s: a frame a second, the last at the last sample.
    assert_eq!(blocks.len(), 3, "{text}");
    for block in &blocks {
        let rows: Vec<&str> = block
            .lines()
            .skip_while(|l| !l.starts_with("local "))
            .skip(1)
            .collect();
        assert!(rows.len() >= 8, "the busiest and then idle ones: {block}");
        let top: BTreeSet<u16> = rows[..4]
            .iter()
            .filter_map(|r| r.split_whitespace().next())
            .filter_map(|local| local.rsplit(':').next())
            .filter_map(|port| port.parse().ok())
            .collect();
        assert_eq!(top, bulk, "{block}");
        assert!(
            block.contains("604 sockets") && block.contains(", 4 moving data"),
            "{block}"
        );
    }
}

/// A tmux server of this test's own (its own socket), killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn cmd(&self, args: &[&str]) -> std::process::Output {
        run(Command::new("tmux").args(["-L", &self.socket]).args(args))
    }

    /// The pane's visible lines, a line the terminal wrapped joined with its continuation
    /// (`-J`): so a line wider than the pane shows as such, although tmux wraps it.
    fn capture(&self) -> Vec<String> {
        let out = self.cmd(&["capture-pane", "-p", "-J", "-t", "console"]);
        assert!(out.status.success(), "capture-pane failed");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

/// Wait for `what` up to `limit`.
fn wait_for(limit: Duration, mut what: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if what() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

/// The screen fits `width` × `height` and shows a frame.
fn assert_fits(screen: &[String], width: usize, height: usize) {
    assert!(
        screen.len() <= height,
        "{} lines: {screen:#?}",
        screen.len()
    );
    for line in screen {
        assert!(
            line.chars().count() <= width,
            "wider than {width}: {line:?}"
        );
    }
    assert!(
        screen.first().is_some_and(|l| l.starts_with("sample ")),
        "{screen:#?}"
    );
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2, have_tmux)),
    ignore = "needs root, iproute2 (network namespaces) and tmux"
)]
fn terminal_view_in_tmux_fits_updates_resizes_and_quits_on_q() {
    require(&[Need::Root, Need::Iproute2, Need::Tmux]);
    let (a, b) = Netns::joined("ctmux-a", "ctmux-b", 62);
    let _traffic = Traffic::start(&a, &b, 62, 50, 2);
    let dir = scratch("console-tmux");
    let json = dir.join("stats.txt");
    let status = dir.join("status");
    let script = format!(
        "'{}' --netns {} --tc --ss -f 100 -t none -j --file-name '{}'; echo $? > '{}'",
        bin().display(),
        a.name,
        json.display(),
        status.display()
    );
    let tmux = Tmux {
        socket: format!("nsp-console-{}", std::process::id()),
    };
    let out = tmux.cmd(&[
        "new-session",
        "-d",
        "-s",
        "console",
        "-x",
        "100",
        "-y",
        "40",
        "sh",
        "-c",
        &script,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The first frame comes after 1 s.
    let mut first = Vec::new();
    assert!(
        wait_for(Duration::from_secs(20), || {
            first = tmux.capture();
            first.iter().any(|l| l.starts_with("ss: "))
        }),
        "no frame: {first:#?}"
    );
    assert_fits(&first, 100, 40);
    assert!(first.iter().any(|l| l.starts_with("ip: ")), "{first:#?}");
    assert!(first.iter().any(|l| l.starts_with("tc: ")), "{first:#?}");
    // In place: the same screen shows a later frame, still within the pane.
    let mut second = Vec::new();
    assert!(
        wait_for(Duration::from_secs(20), || {
            second = tmux.capture();
            second.first() != first.first()
        }),
        "the screen never changed: {second:#?}"
    );
    assert_fits(&second, 100, 40);
    // A smaller window: the next frames fit it.
    let out = tmux.cmd(&["resize-window", "-t", "console", "-x", "60", "-y", "15"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut resized = Vec::new();
    assert!(
        wait_for(Duration::from_secs(20), || {
            resized = tmux.capture();
            resized.len() <= 15
                && resized.iter().all(|l| l.chars().count() <= 60)
                && resized.first() != second.first()
                && resized.first().is_some_and(|l| l.starts_with("sample "))
        }),
        "never fitted 60 x 15: {resized:#?}"
    );
    assert_fits(&resized, 60, 15);
    // q: the run ends as on SIGINT.
    let out = tmux.cmd(&["send-keys", "-t", "console", "q"]);
    assert!(out.status.success());
    assert!(
        wait_for(Duration::from_secs(20), || status.exists()
            && std::fs::read_to_string(&status)
                .is_ok_and(|s| s.ends_with('\n'))),
        "the run did not end on q"
    );
    assert_eq!(
        std::fs::read_to_string(&status).expect("status").trim(),
        "0"
    );
    let records = all_json_lines(&json);
    assert!(records.len() > 3, "{} records", records.len());
    let last = records.last().expect("records");
    assert_eq!(last["type"], "run_summary", "{last}");
}
