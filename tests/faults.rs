//! Faults a long-running sampler meets: a full file system (filled by its own output, or by
//! someone else mid-run), SIGKILL, and running without privileges. Each must end clearly, and
//! every line already in the file must stay complete JSON.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{Need, bin, check, json_lines, require, run, scratch};

/// A small tmpfs mounted for one test, unmounted when dropped.
struct SmallFs(PathBuf);

impl SmallFs {
    fn new(size: &str) -> SmallFs {
        let dir = scratch("tmpfs");
        check(
            Command::new("mount")
                .args(["-t", "tmpfs", "-o", &format!("size={size}"), "nsp"])
                .arg(&dir),
        );
        SmallFs(dir)
    }
}

impl Drop for SmallFs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn assert_one_error_line(stderr: &[u8], needle: &str) {
    let err = String::from_utf8_lossy(stderr);
    let errors: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("netstatspy: error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert!(errors[0].contains(needle), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// The file holds only complete lines, and at least one.
fn assert_complete(path: &Path) -> usize {
    let lines = json_lines(path);
    assert!(!lines.is_empty(), "nothing was kept");
    lines.len()
}

#[test]
#[cfg_attr(not(have_root), ignore = "needs root (mounts a small tmpfs)")]
fn full_file_system_from_own_output_is_a_clear_error() {
    require(&[Need::Root]);
    let fs = SmallFs::new("256k");
    let file = fs.0.join("stats.jsonl");
    // ~3 KB per sample at 200 samples/s: full within a second or two.
    let out = run(Command::new(bin())
        .args([
            "-c",
            "-j",
            "--tc",
            "--queue-limits",
            "-f",
            "200",
            "-t",
            "30",
            "--file-name",
        ])
        .arg(&file));
    assert_eq!(out.status.code(), Some(1));
    assert_one_error_line(&out.stderr, "No space left on device");
    let kept = assert_complete(&file);
    // Nearly the whole file system holds complete lines: only the partial tail was cut.
    let size = std::fs::metadata(&file).expect("size").len();
    assert!(size > 200 * 1024, "{size} bytes kept in {kept} lines");
}

#[test]
#[cfg_attr(not(have_root), ignore = "needs root (mounts a small tmpfs)")]
fn file_system_filled_by_another_writer_mid_run() {
    require(&[Need::Root]);
    let fs = SmallFs::new("4m");
    let file = fs.0.join("stats.jsonl");
    let child = Command::new(bin())
        .args(["-c", "-j", "-f", "50", "-t", "60", "--file-name"])
        .arg(&file)
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(Duration::from_millis(1500));
    let written_before = json_lines(&file).len();
    // Someone else fills the disk.
    let _ = Command::new("dd")
        .args(["if=/dev/zero", "bs=64k", "status=none"])
        .arg(format!("of={}", fs.0.join("filler").display()))
        .stderr(Stdio::null())
        .status();
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(1));
    assert_one_error_line(&out.stderr, "No space left on device");
    let kept = assert_complete(&file);
    assert!(
        kept >= written_before,
        "lines written before the fault were lost"
    );
}

#[test]
fn sigkill_loses_at_most_the_last_second() {
    let dir = scratch("sigkill");
    let file = dir.join("stats.jsonl");
    for run_ms in [1300u64, 2700] {
        let _ = std::fs::remove_file(&file);
        let mut child = Command::new(bin())
            .args(["-c", "-j", "-f", "100", "-t", "none", "--file-name"])
            .arg(&file)
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(run_ms));
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        let lines = json_lines(&file);
        let last = lines.last().expect("some lines")["elapsed"]
            .as_f64()
            .expect("elapsed");
        // Written at least once a second: the last kept record is at most ~1 s old.
        assert!(
            last + 1.0 + 0.3 >= run_ms as f64 / 1000.0 - 0.2,
            "killed after {run_ms} ms, last record at {last} s"
        );
    }
}

/// Complete lines of `zstd -dc FILE` (the zstd program, not our code); a line cut short at the
/// end of a frame a killed run left unfinished is not complete.
fn zstd_lines(file: &std::path::Path) -> (Vec<serde_json::Value>, bool) {
    let out = run(Command::new("zstd")
        .args(["-dc", "--no-progress"])
        .arg(file));
    let text = String::from_utf8_lossy(&out.stdout);
    let complete = match text.rfind('\n') {
        Some(i) => &text[..=i],
        None => "",
    };
    let lines = complete
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .filter(|v| !common::is_run_record(v))
        .collect();
    (lines, out.status.success())
}

#[test]
#[cfg_attr(not(have_zstd), ignore = "needs zstd (the independent decoder)")]
fn sigkill_of_a_compressed_run_keeps_every_complete_frame() {
    require(&[Need::Zstd]);
    let dir = scratch("sigkill-zst");
    let file = dir.join("stats.jsonl.zst");
    let _ = std::fs::remove_file(&file);
    let mut total = 0;
    // Killed at moments spread over start-up, the first frame and later ones; each run appends.
    for (i, run_ms) in [50u64, 700, 1300, 2100, 2600].into_iter().enumerate() {
        let mut child = Command::new(bin())
            .args(["-c", "-j", "-f", "200", "-t", "none", "--file-name"])
            .arg(&file)
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(run_ms));
        child.kill().expect("SIGKILL");
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        // The file so far: zstd reads it; every line is complete JSON of this or earlier runs.
        let (lines, _) = zstd_lines(&file);
        assert!(lines.len() >= total, "run {i}: lines were lost: {stderr}");
        total = lines.len();
        if run_ms >= 1300 {
            // Written at least once a second: something of this run is in the file.
            let samples_zero = lines.iter().filter(|l| l["sample"] == 0).count();
            assert!(samples_zero >= 1, "run {i}");
        }
    }
    // A write cut short by a kill: the last frame loses its end.
    let len = std::fs::metadata(&file).expect("file").len();
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(&file)
        .expect("open");
    f.set_len(len - 7).expect("cut");
    drop(f);
    let (_, valid) = zstd_lines(&file);
    assert!(!valid, "zstd notices the cut frame");
    // A last run that ends normally appends: the cut frame is removed first (and said so), the
    // whole file is valid zstd afterwards, and the run's lines are all there.
    let out = run(Command::new(bin())
        .args(["-c", "-j", "-f", "20", "-t", "0.5", "--file-name"])
        .arg(&file));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("ended in a zstd frame cut short"),
        "{stderr}"
    );
    let (lines, valid) = zstd_lines(&file);
    assert!(valid, "zstd -dc reads the whole file without error");
    assert!(lines.len() >= 10);
    let last_run: Vec<u64> = lines[lines.len() - 10..]
        .iter()
        .map(|l| l["sample"].as_u64().expect("sample"))
        .collect();
    assert_eq!(last_run, (0..10).collect::<Vec<u64>>());
    let test = run(Command::new("zstd").args(["-t", "-q"]).arg(&file));
    assert!(
        test.status.success(),
        "zstd -t: {}",
        String::from_utf8_lossy(&test.stderr)
    );
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces; ip, tc and ss as the oracle)"
)]
fn unprivileged_user_gets_what_needs_no_privilege() {
    require(&[Need::Root, Need::Iproute2]);
    let dir = scratch("nobody");
    std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o777))
        .expect("chmod");
    let file = dir.join("stats.jsonl");
    let as_nobody = |args: &[&str]| {
        run(Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin())
            .args(args))
    };
    // Every reader reads what any user may read.
    let out = as_nobody(&[
        "--tc",
        "--ss",
        "--queue-limits",
        "--small-queue",
        "-c",
        "-j",
        "-t",
        "0.5",
        "-f",
        "4",
        "--file-name",
        file.to_str().expect("utf8"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let kinds: Vec<String> = json_lines(&file)
        .iter()
        .filter_map(|r| r["type"].as_str().map(str::to_owned))
        .collect();
    for kind in ["ip", "tc", "ss", "queue_limits", "small_queue"] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} missing: {kinds:?}");
    }
    // Entering a namespace needs CAP_SYS_ADMIN: the message says so.
    let ns = common::Netns::new("priv");
    let out = as_nobody(&["--netns", &ns.name, "-t", "1"]);
    assert_eq!(out.status.code(), Some(1));
    assert_one_error_line(&out.stderr, "CAP_SYS_ADMIN");
}

/// Everything the child wrote to its piped standard error, once it closed it.
fn stderr_of(child: &mut std::process::Child) -> String {
    use std::io::Read;
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr is piped")
        .read_to_string(&mut err)
        .expect("read stderr");
    err
}

/// The number that stands just before `word` in `text` (`9984 samples in …`).
fn number_before(text: &str, word: &str) -> u64 {
    let at = text
        .find(word)
        .unwrap_or_else(|| panic!("no {word:?} in {text}"));
    text[..at]
        .split_whitespace()
        .last()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number before {word:?} in {text}"))
}

/// Output that stalls (a reader of the JSON pipe that stops reading) never delays sampling:
/// the schedule is kept, the samples that did not fit the queue are counted and reported at
/// exit, and every line that reaches the pipe is complete.
#[test]
fn stalled_output_keeps_the_schedule_and_counts_what_it_dropped() {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;

    let fifo = scratch("stall").join("json.fifo");
    check(Command::new("mkfifo").arg(&fifo));
    // Open the read end first (without blocking), so the writer can open it; then read nothing.
    let mut reader = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&fifo)
        .expect("open the pipe for reading");
    let mut child = Command::new(bin())
        .args(["-c", "-j", "-v", "-f", "1000", "-t", "7", "--file-name"])
        .arg(&fifo)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn");
    // The pipe holds 64 KiB; the queue 4,096 samples: sampling outruns both within 7 s.
    std::thread::sleep(Duration::from_secs(8));
    let mut json = Vec::new();
    let mut buf = vec![0u8; 1 << 16];
    let status = loop {
        match reader.read(&mut buf) {
            Ok(0) => {
                if let Some(status) = child.try_wait().expect("wait") {
                    break status;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            Ok(n) => json.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if let Some(status) = child.try_wait().expect("wait") {
                    break status;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            Err(e) => panic!("read: {e}"),
        }
    };
    // Whatever the pipe still held once the writer exited.
    while let Ok(n) = reader.read(&mut buf) {
        if n == 0 {
            break;
        }
        json.extend_from_slice(&buf[..n]);
    }
    let err = stderr_of(&mut child);
    assert!(status.success(), "{err}");
    let text = String::from_utf8(json).expect("utf8");
    assert!(text.ends_with('\n'), "the last line is complete");
    let written = text.lines().count() as u64;
    for line in text.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("every line is JSON");
    }
    // The summary: samples taken, and what the outputs wrote and dropped.
    let summary = err
        .lines()
        .find(|l| l.contains(" samples in "))
        .unwrap_or_else(|| panic!("no summary in {err}"));
    let samples = number_before(summary, "samples in");
    let output = err
        .lines()
        .find(|l| l.starts_with("netstatspy: output json: "))
        .unwrap_or_else(|| panic!("no output line in {err}"));
    let queued = number_before(output, "samples written");
    let dropped = number_before(output, "dropped");
    // Samples dropped for a full queue were taken while the output was stuck: a sampler that
    // waited for its output would have dropped none.
    assert!(dropped > 0, "the stall must have dropped samples: {err}");
    // What was handed over: every sample, and the run's header and summary.
    assert_eq!(queued + dropped, samples + 2, "{err}");
    // One line (an ip record, the header or the summary) for everything that was queued.
    assert_eq!(written, queued, "{err}");
    let warning = format!("warning: json: {dropped} samples ({dropped} records) were not written");
    assert!(err.contains(&warning), "{err}");
}

/// `(rt_priority, policy)` of a thread, from fields 40 and 41 of /proc/PID/task/TID/stat.
fn scheduling(pid: u32, tid: &str) -> (u32, u32) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/stat")).expect("stat");
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest: Vec<&str> = stat
        .rsplit_once(')')
        .expect("stat format")
        .1
        .split_whitespace()
        .collect();
    // `rest[0]` is field 3 (state): field N is rest[N - 3].
    let field = |n: usize| rest[n - 3].parse::<u32>().expect("number");
    (field(40), field(41))
}

/// `--realtime=N` makes the sampling thread SCHED_FIFO at N (read from procfs, not from us);
/// the output thread keeps the normal policy; out-of-range priorities are usage errors, and a
/// user who may not raise priorities gets one clear line and exit 1.
#[test]
#[cfg_attr(
    not(have_root),
    ignore = "needs root (real-time priority, another user)"
)]
fn realtime_sampling_thread_and_its_errors() {
    require(&[Need::Root]);
    let file = scratch("rt").join("stats.jsonl");
    let child = Command::new(bin())
        .args([
            "--realtime=20",
            "-c",
            "-j",
            "-f",
            "50",
            "-t",
            "2",
            "--file-name",
        ])
        .arg(&file)
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let pid = child.id();
    std::thread::sleep(Duration::from_millis(700));
    let mut threads: Vec<(String, (u32, u32))> = std::fs::read_dir(format!("/proc/{pid}/task"))
        .expect("tasks")
        .map(|t| {
            let tid = t.expect("task").file_name().to_string_lossy().into_owned();
            let sched = scheduling(pid, &tid);
            (tid, sched)
        })
        .collect();
    threads.sort();
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let main = threads
        .iter()
        .find(|(tid, _)| *tid == pid.to_string())
        .expect("main thread");
    // SCHED_FIFO is policy 1.
    assert_eq!(main.1, (20, 1), "the sampling thread: {threads:?}");
    assert!(
        threads
            .iter()
            .any(|(tid, sched)| *tid != pid.to_string() && *sched == (0, 0)),
        "the output thread keeps SCHED_OTHER: {threads:?}"
    );
    assert_eq!(json_lines(&file).len(), 100);

    for bad in ["--realtime=0", "--realtime=100", "--realtime=x"] {
        let out = run(Command::new(bin()).args([bad, "-t", "1"]));
        assert_eq!(out.status.code(), Some(2), "{bad}");
    }
    // A user without CAP_SYS_NICE and with no RLIMIT_RTPRIO.
    let out = run(Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(bin())
        .args(["--realtime", "-t", "1"]));
    assert_eq!(out.status.code(), Some(1));
    assert_one_error_line(&out.stderr, "SCHED_FIFO");
}

/// A terminal nobody reads holds up only the console: the JSON file gets every sample, the run
/// ends on time (the stuck console given up 2 s after the end), and the console's unwritten
/// samples are counted in a warning.
#[test]
fn a_paused_console_does_not_hold_up_the_json_file() {
    let file = scratch("paused").join("stats.jsonl");
    let began = std::time::Instant::now();
    let mut child = Command::new(bin())
        // A frame per sample (--refresh 0.01 at -f 100), so the console writes enough to fill
        // a pipe.
        .args([
            "-j",
            "-v",
            "-f",
            "100",
            "-t",
            "3",
            "--refresh",
            "0.01",
            "--file-name",
        ])
        .arg(&file)
        // Read by nobody until the end: the pipe fills after a few hundred blocks.
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let err = stderr_of(&mut child);
    let status = child.wait().expect("wait");
    assert!(status.success(), "{err}");
    // 3 s of sampling and 2 s of waiting for the stuck console, not forever.
    assert!(
        began.elapsed() < Duration::from_secs(20),
        "ended after {:?}",
        began.elapsed()
    );
    // Every sample taken reached the file (the summary counts them; 300 slots less overruns).
    let samples: usize = err
        .lines()
        .find_map(|l| {
            l.strip_prefix("netstatspy: ")?
                .split_once(" samples in ")?
                .0
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("no summary in {err}"));
    assert!(samples > 250, "{err}");
    assert_eq!(json_lines(&file).len(), samples, "{err}");
    assert!(
        err.lines()
            .any(|l| l.starts_with("netstatspy: warning: console: ") && l.contains("not written")),
        "{err}"
    );
}
