//! Tests of the built binary: defaults, JSON Lines output, appending, signals, closed pipes and
//! errors. These need no privileges (RTM_GETLINK and RTM_GETSTATS are open to every user).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{all_json_lines, bin, json_lines, run, scratch};

/// The slots a reader skipped, from the exit warning (`ip 1 of 10 slots skipped`), 0 without
/// it: a loaded machine may skip a slot, and the run says so.
fn skipped(stderr: &str, reader: &str) -> usize {
    stderr
        .lines()
        .filter(|l| l.contains("samples missing"))
        .find_map(|l| {
            let at = l.find(&format!(" {reader} "))? + reader.len() + 2;
            l[at..].split_whitespace().next()?.parse().ok()
        })
        .unwrap_or(0)
}

#[test]
fn defaults_log_one_sample_per_second_for_ten_seconds() {
    let started = Instant::now();
    let out = run(&mut Command::new(bin()));
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let text = String::from_utf8_lossy(&out.stdout);
    let headers: Vec<&str> = text.lines().filter(|l| l.starts_with("sample ")).collect();
    // Ten blocks, one per slot, less any slot the run reports it skipped on a loaded machine.
    assert_eq!(headers.len() + skipped(&stderr, "ip"), 10, "{text}{stderr}");
    assert!(headers.len() >= 8, "{text}{stderr}");
    let mut last = None;
    for header in &headers {
        // "sample K  YYYY-MM-DD HH:MM:SS.uuuuuu  +E.EEEs …"
        let fields: Vec<&str> = header.split_whitespace().collect();
        let k: u64 = fields[1].parse().expect("sample number");
        assert!(last.is_none_or(|l| k > l) && k < 10, "{header}");
        last = Some(k);
        let elapsed: f64 = fields[4]
            .trim_start_matches('+')
            .trim_end_matches('s')
            .parse()
            .expect("elapsed seconds");
        // On the absolute schedule: sample k starts at k seconds, never before, and less than
        // a period after (a sample a whole period late is skipped instead).
        assert!(
            elapsed >= k as f64 && elapsed < k as f64 + 1.0,
            "sample {k} at {elapsed} s"
        );
    }
    // Every interface of this host is in every block (lo always exists).
    assert_eq!(text.matches("\nlo ").count(), headers.len(), "{text}");
    assert!(took >= Duration::from_secs(9), "ran {took:?}");
    if headers.len() == 10 {
        assert!(out.stderr.is_empty(), "{stderr}");
    }
}

#[test]
fn json_run_appends_exactly_the_scheduled_lines() {
    let dir = scratch("json");
    let file = dir.join("stats.txt");
    let args = ["-j", "-c", "-t", "2", "-f", "5"];
    let mut before = 0;
    for _ in 1..=2 {
        let out = run(Command::new(bin()).args(args).current_dir(&dir));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(out.stdout.is_empty(), "-c prints nothing");
        let lines = json_lines(&file);
        // A second run appends: a line per slot of its 10 after the first run's, less any slot
        // the run reports it skipped on a loaded machine.
        let this_run = &lines[before..];
        assert_eq!(this_run.len() + skipped(&stderr, "ip"), 10, "{stderr}");
        assert!(this_run.len() >= 8, "{stderr}");
        before = lines.len();
        let mut last = None;
        for line in this_run {
            assert_eq!(line["type"], "ip");
            let k = line["sample"].as_u64().expect("sample");
            assert!(last.is_none_or(|l| k > l) && k < 10, "{line}");
            last = Some(k);
            assert!(line["timestamp"].as_f64().expect("timestamp") > 1.6e9);
            assert!(!line["stats"].as_array().expect("stats").is_empty());
        }
        let elapsed: Vec<f64> = this_run
            .iter()
            .map(|l| l["elapsed"].as_f64().expect("elapsed"))
            .collect();
        assert!(elapsed.windows(2).all(|w| w[0] < w[1]), "{elapsed:?}");
        let stamps: Vec<f64> = this_run
            .iter()
            .map(|l| l["timestamp"].as_f64().expect("ts"))
            .collect();
        assert!(stamps.windows(2).all(|w| w[0] < w[1]), "{stamps:?}");
    }
}

#[test]
fn sigint_mid_run_leaves_only_complete_lines() {
    let dir = scratch("sigint");
    let file = dir.join("out.jsonl");
    // Moments spread over start-up, the first flush and later samples.
    for (i, delay_ms) in [
        37u64, 60, 150, 233, 420, 512, 777, 901, 1010, 1234, 1333, 1499,
    ]
    .into_iter()
    .enumerate()
    {
        let child = Command::new(bin())
            .args(["-j", "-c", "-f", "200", "-t", "none", "--file-name"])
            .arg(&file)
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let signal = if i % 2 == 0 {
            libc::SIGINT
        } else {
            libc::SIGTERM
        };
        // SAFETY: sending a signal to our own child.
        unsafe { libc::kill(child.id() as i32, signal) };
        let out = child.wait_with_output().expect("wait");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Nothing but, on a busy machine, the account of slots skipped at 200/s.
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr
                .lines()
                .all(|l| l.starts_with("netstatspy: warning: samples missing: ip ")),
            "{stderr}"
        );
        // json_lines fails on a partial or invalid line (a very early signal may leave none).
        json_lines(&file);
    }
    assert!(!json_lines(&file).is_empty());
}

/// `--file-name -`: JSON Lines on standard output, each sample as it comes (no console there),
/// and a closed pipe ends the run quietly.
#[test]
fn json_to_standard_output_streams_and_ends_quietly() {
    let started = Instant::now();
    let mut child = Command::new(bin())
        .args(["-j", "--file-name", "-", "-f", "20", "-t", "30"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
    let mut header = String::new();
    reader.read_line(&mut header).expect("read the header");
    assert!(header.starts_with(r#"{"type":"run","#), "{header}");
    for k in 0..3u64 {
        let mut line = String::new();
        reader.read_line(&mut line).expect("read a line");
        let value: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
        assert_eq!(
            (value["type"].as_str(), value["sample"].as_u64()),
            (Some("ip"), Some(k))
        );
    }
    // Three samples at 20/s: streamed, not held for the once-a-second write of a file.
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    drop(reader);
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

/// Each run's first line is its header, its last its summary, and every record in between names
/// the run: two runs appended to one file are told apart. The header's facts are checked
/// against `uname`, `hostname` and the sysctls as the test reads them.
#[test]
fn runs_describe_themselves_and_appended_runs_are_told_apart() {
    let dir = scratch("runs");
    let file = dir.join("stats.jsonl");
    let args = [
        "-c",
        "-j",
        "--tc",
        "--small-queue",
        "-f",
        "20",
        "-t",
        "0.25",
        "--rate",
    ];
    for _ in 0..2 {
        let out = run(Command::new(bin())
            .args(args)
            .arg("small_queue=40")
            .arg("--file-name")
            .arg(&file));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let lines = all_json_lines(&file);
    let uname = |flag: &str| {
        let out = run(Command::new("uname").arg(flag));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let sysctl = |name: &str| {
        let path = format!("/proc/sys/{}", name.replace('.', "/"));
        std::fs::read_to_string(path)
            .map(|s| s.trim().replace('\t', " "))
            .ok()
    };
    let mut runs = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let header = &lines[i];
        assert_eq!(header["type"], "run", "line {i} starts a run: {header}");
        let id = header["run"].as_str().expect("run id").to_owned();
        assert_eq!(id.len(), 16);
        assert_eq!(header["kernel"], uname("-r"));
        assert_eq!(header["host"], uname("-n"));
        assert_eq!(header["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(header["frequency"], 20.0);
        assert_eq!(header["rates"]["small_queue"], 40.0);
        assert_eq!(
            header["readers"],
            serde_json::json!(["ip", "tc", "small_queue"])
        );
        let command_line: Vec<&str> = header["command_line"]
            .as_array()
            .expect("command line")
            .iter()
            .skip(1)
            .map(|a| a.as_str().expect("arg"))
            .collect();
        assert_eq!(&command_line[..args.len()], &args[..]);
        for name in [
            "net.core.default_qdisc",
            "net.ipv4.tcp_congestion_control",
            "net.ipv4.tcp_limit_output_bytes",
            "net.ipv4.tcp_notsent_lowat",
            "net.ipv4.tcp_ecn",
        ] {
            assert_eq!(
                header["settings"][name].as_str().map(str::to_owned),
                sysctl(name),
                "{name}"
            );
        }
        let netns = std::fs::metadata("/proc/self/ns/net").expect("netns");
        assert_eq!(
            header["netns_inode"].as_u64(),
            Some(std::os::unix::fs::MetadataExt::ino(&netns))
        );
        // The run's records, then its summary.
        let mut counts = std::collections::BTreeMap::<String, u64>::new();
        i += 1;
        while lines[i]["type"] != "run_summary" {
            assert_eq!(lines[i]["run"], id.as_str(), "{}", lines[i]);
            *counts
                .entry(lines[i]["type"].as_str().expect("type").to_owned())
                .or_default() += 1;
            i += 1;
        }
        let summary = &lines[i];
        assert_eq!(summary["run"], id.as_str());
        for (reader, slots) in [("ip", 5), ("tc", 5), ("small_queue", 10)] {
            let r = &summary["readers"][reader];
            let records = r["records"].as_u64().expect("records");
            // The summary counts exactly the records written; with the slots skipped (on a busy
            // machine), every slot of the schedule.
            assert_eq!(
                counts.get(reader).copied().unwrap_or(0),
                records,
                "{reader}"
            );
            assert_eq!(
                records + r["skipped"].as_u64().expect("skipped"),
                slots,
                "{reader}"
            );
        }
        assert_eq!(summary["outputs"]["json"]["dropped"], 0);
        assert_eq!(summary["interrupted"], false);
        runs.push(id);
        i += 1;
    }
    assert_eq!(runs.len(), 2);
    assert_ne!(runs[0], runs[1], "appended runs are told apart");
}

#[test]
fn closed_stdout_ends_the_run_quietly() {
    let started = Instant::now();
    let mut child = Command::new(bin())
        .args(["-f", "20", "-t", "30"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("read a line");
    // Not a terminal: plain blocks, the first at the end of the first second.
    assert!(first.starts_with("sample "), "{first}");
    // The reader is dropped here, like `netstatspy | head -1`.
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

/// Run with `args`; expect exit `code` and exactly one stderr line starting with `prefix`.
fn expect_one_line(args: &[&str], code: i32, prefix: &str) -> String {
    let dir = scratch("errors");
    let out = run(Command::new(bin()).args(args).current_dir(&dir));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err}");
    assert!(err.starts_with(prefix), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    for args in [
        &["-f", "0"][..],
        &["-f", "-1"],
        &["-f", "abc"],
        &["-f", "1e9"],
        &["-f", "nan"],
        &["-t", "-5"],
        &["-t", "1e300"],
        &["--no-ip"],
        &["--iface", "x/y"],
        &["--iface", &"a".repeat(300)],
        &["--unknown-flag"],
        &["-j", "--file-name", "/"],
        &["--rate", "ss=10"],
        &["--rate", "tc"],
        &["--tc", "--rate", "tc=0"],
        &["--tc", "--rate", "xx=5"],
        &["--ss-filter", "dport = :1"],
        &["--ss", "--ss-filter", "dport = :x"],
        &["--refresh", "0"],
        &["--refresh", "-1"],
        &["--refresh", "soon"],
        &["--refresh", "inf"],
        &["--console", "fancy"],
    ] {
        expect_one_line(args, 2, "netstatspy: error: ");
    }
}

#[test]
fn runtime_errors_exit_1_with_one_line() {
    let err = expect_one_line(&["--iface", "nosuch0", "-t", "1"], 1, "netstatspy: error: ");
    assert!(err.contains("nosuch0"), "{err}");
    let err = expect_one_line(
        &["-j", "--file-name", "/no/such/dir/x", "-t", "1"],
        1,
        "netstatspy: error: ",
    );
    assert!(err.contains("/no/such/dir/x"), "{err}");
}

#[test]
fn console_off_without_json_warns_and_runs() {
    let err = expect_one_line(&["-c", "-t", "0.1"], 0, "netstatspy: warning: ");
    assert!(err.contains("-j"), "{err}");
}

#[test]
fn help_lists_every_option_of_the_original() {
    let out = run(Command::new(bin()).arg("-h"));
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for opt in [
        "-h, --help",
        "-v, --verbose",
        "--iface <IFACE>",
        "-f, --frequency <FREQUENCY>",
        "-t, --time <TIME>",
        "-c, --no-console",
        "-j, --json",
        "--file-name <FILE_NAME>",
        "--no-ip",
        "--tc",
        "--ss",
        "--queue-limits",
        "--small-queue",
    ] {
        assert!(help.contains(opt), "{opt} missing from:\n{help}");
    }
    // Paths are whole: the sysfs directory of --queue-limits as sysfs has it.
    assert!(
        help.contains("/sys/class/net/IFACE/queues/tx-N/byte_queue_limits"),
        "{help}"
    );
    // Durations with units are documented where -t is.
    assert!(help.contains("500ms") && help.contains("1h"), "{help}");
}

#[test]
fn verbose_prints_a_summary_at_exit() {
    let out = run(Command::new(bin()).args(["-v", "-c", "-f", "50", "-t", "0.2"]));
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("10 samples"), "{err}");
    assert!(err.contains("lateness p50"), "{err}");
}

/// `--rate`: each reader at its own rate, on its own schedule, for ceil(TIME × RATE) samples.
#[test]
fn each_reader_samples_at_its_own_rate() {
    let dir = scratch("rates");
    let file = dir.join("out.jsonl");
    let out = run(Command::new(bin())
        .args([
            "-c",
            "-j",
            "-v",
            "--small-queue",
            "-f",
            "4",
            "-t",
            "1.5",
            "--rate",
        ])
        .args(["small_queue=40", "--file-name"])
        .arg(&file));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let lines = json_lines(&file);
    for (kind, slots, period) in [("ip", 6u64, 0.25), ("small_queue", 60, 0.025)] {
        let records: Vec<(u64, f64)> = lines
            .iter()
            .filter(|l| l["type"] == kind)
            .map(|l| {
                let sample = l["sample"].as_u64().expect("sample");
                (sample, l["elapsed"].as_f64().expect("elapsed"))
            })
            .collect();
        // Every slot of the reader's own schedule is a record or a counted skip (a busy machine
        // may skip one); the account at exit says which.
        let account = err
            .lines()
            .find(|l| l.starts_with(&format!("netstatspy: reader {kind}: ")))
            .unwrap_or_else(|| panic!("{err}"));
        let numbers: Vec<u64> = account
            .split_whitespace()
            .filter_map(|w| w.trim_end_matches(',').parse().ok())
            .collect();
        assert_eq!(numbers[0], records.len() as u64, "{account}");
        assert_eq!(numbers[0] + numbers[1], slots, "{account}");
        assert!(records.len() as u64 >= slots * 9 / 10, "{account}");
        let mut last = None;
        for (sample, elapsed) in &records {
            assert!(
                *sample < slots && last.is_none_or(|l| *sample > l),
                "{records:?}"
            );
            last = Some(*sample);
            // Slot k of a reader is due at k of its periods: never before.
            let due = *sample as f64 * period;
            assert!(
                *elapsed >= due - 1e-6 && *elapsed < due + 0.2,
                "{sample}: {elapsed}"
            );
        }
    }
}

#[test]
fn man_page_and_completions_cover_every_option() {
    // `cargo test` builds the examples next to the binary.
    let gen_docs = bin()
        .parent()
        .expect("target dir")
        .join("examples/gen_docs");
    let dir = scratch("docs");
    let out = run(Command::new(&gen_docs).arg(&dir));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let man = std::fs::read_to_string(dir.join("netstatspy.1")).expect("man page");
    let bash = std::fs::read_to_string(dir.join("netstatspy.bash")).expect("bash");
    assert!(dir.join("_netstatspy").exists() && dir.join("netstatspy.fish").exists());
    for opt in [
        "verbose",
        "iface",
        "frequency",
        "time",
        "no\\-console",
        "json",
        "file\\-name",
        "no\\-ip",
        "tc",
        "ss",
        "queue\\-limits",
        "small\\-queue",
        "record",
        "replay",
        "netns",
        "realtime",
        "rate",
        "ss\\-filter",
        "ss\\-closed",
        "listen",
        "refresh",
        "console",
        "all\\-rows",
    ] {
        assert!(
            man.contains(&format!("\\-\\-{opt}")),
            "--{opt} missing from the man page"
        );
        let plain = opt.replace("\\-", "-");
        assert!(
            bash.contains(&format!("--{plain}")),
            "--{plain} missing from bash completions"
        );
    }
}

/// Counts in messages are singular for one: a one-sample `-v` run reports "1 sample", "1
/// record", never "1 samples".
#[test]
fn messages_count_in_the_singular_for_one() {
    let out =
        run(Command::new(bin()).args(["-v", "-c", "-j", "--file-name", "/dev/null", "-t", "1"]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("netstatspy: 1 sample in "), "{err}");
    assert!(
        err.contains("reader ip: 1 record, 0 slots skipped"),
        "{err}"
    );
    for wrong in [
        " 1 samples",
        " 1 records",
        " 1 overruns",
        " 1 slots",
        " 1 read errors",
    ] {
        assert!(!err.contains(wrong), "{wrong:?} in {err}");
    }
}

/// The CPU share of `-v` is the process's CPU time over the process's own time: it cannot
/// exceed what the machine's cores can give, even for a run of one sample (whose sampling takes
/// a fraction of a millisecond while start-up takes several).
#[test]
fn verbose_cpu_share_is_of_the_process_lifetime() {
    let started = Instant::now();
    let out =
        run(Command::new(bin()).args(["-v", "-c", "-j", "--file-name", "/dev/null", "-t", "1"]));
    let outside = started.elapsed().as_secs_f64();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let line = err
        .lines()
        .find(|l| l.contains(" in ") && l.contains("% of one core"))
        .unwrap_or_else(|| panic!("no summary: {err}"));
    // "... CPU 0.006 s in 0.008 s (76.7% of one core) ..."
    let after = |word: &str| -> f64 {
        let rest =
            &line[line.find(word).unwrap_or_else(|| panic!("{word}: {line}")) + word.len()..];
        rest.split_whitespace()
            .next()
            .and_then(|w| w.trim_start_matches('(').trim_end_matches('%').parse().ok())
            .unwrap_or_else(|| panic!("{word}: {line}"))
    };
    let cpu = after("CPU ");
    let lifetime = after(&format!("CPU {cpu:.3} s in "));
    let share = after(&format!("in {lifetime:.3} s "));
    // The process's time as it says it is no longer than the test saw it run.
    assert!(
        lifetime <= outside + 0.001,
        "{lifetime} s > {outside} s: {line}"
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    assert!(
        share <= 100.0 * cores + 1.0,
        "{share}% on {cores} cores: {line}"
    );
    if lifetime > 0.0 {
        assert!(
            (share - 100.0 * cpu / lifetime).abs() <= 100.0 * 0.0011 / lifetime + 0.1,
            "{line}"
        );
    }
}

/// Durations: units on -t, a bare number still seconds; the run takes ceil(TIME × FREQUENCY)
/// slots of the duration as written.
#[test]
fn time_takes_units() {
    let dir = scratch("units");
    for (time, frequency, slots) in [("500ms", "10", 5u64), ("1s", "4", 4), ("0.25", "8", 2)] {
        let file = dir.join(format!("{time}.jsonl"));
        let out = run(Command::new(bin())
            .args(["-c", "-j", "-t", time, "-f", frequency, "--file-name"])
            .arg(&file));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let lines = all_json_lines(&file);
        assert_eq!(lines[0]["slots"], slots, "{time}");
        let ip = lines.iter().filter(|l| l["type"] == "ip").count() as u64;
        let summary = lines.last().expect("summary");
        let skipped = summary["readers"]["ip"]["skipped"]
            .as_u64()
            .expect("skipped");
        assert_eq!(ip + skipped, slots, "-t {time} -f {frequency}");
    }
    // A unit that is not one, and two units in one value, are errors that say so.
    let err = expect_one_line(&["-t", "5x"], 2, "netstatspy: error: ");
    assert!(err.contains("ms, s, m, h"), "{err}");
    let err = expect_one_line(&["-t", "1h30m"], 2, "netstatspy: error: ");
    assert!(err.contains("1h30m"), "{err}");
}

/// Error messages name the real cause.
#[test]
fn errors_name_the_real_cause() {
    let err = expect_one_line(&["-f", "-1"], 2, "netstatspy: error: ");
    assert!(
        err.contains("positive") && !err.contains("unexpected argument"),
        "{err}"
    );
    let err = expect_one_line(&["-t", "-1"], 2, "netstatspy: error: ");
    assert!(
        err.contains("positive") && !err.contains("unexpected argument"),
        "{err}"
    );
    // A file that is not a namespace: setns refuses it whoever asks (EINVAL before any
    // privilege check), and the message says what it is, not which capability is missing.
    let err = expect_one_line(
        &["--netns", "/etc/passwd", "-t", "1"],
        1,
        "netstatspy: error: ",
    );
    assert!(
        err.contains("/etc/passwd is not a network namespace"),
        "{err}"
    );
    assert!(!err.contains("CAP_SYS_ADMIN"), "{err}");
}

/// An option that has no effect in the combination given is warned about, once, and the run
/// goes on.
#[test]
fn options_without_effect_are_warned_about_once() {
    let dir = scratch("ignored");
    let capture = common::captures()
        .into_iter()
        .find(|c| c.file_name().is_some_and(|n| n == "iproute2-ip-link.pcap"))
        .expect("capture");
    let capture = capture.to_str().expect("utf8");
    for (args, what) in [
        (
            &["-t", "0.1", "--file-name", "x.json"][..],
            "--file-name x.json without -j",
        ),
        (
            &[
                "-t",
                "0.1",
                "-c",
                "-j",
                "--file-name",
                "/dev/null",
                "--no-ip",
                "--small-queue",
                "--iface",
                "lo",
            ],
            "--iface without",
        ),
        (
            &[
                "--replay",
                capture,
                "-c",
                "-j",
                "--file-name",
                "/dev/null",
                "-f",
                "5",
            ],
            "-f with --replay: ignored",
        ),
        (
            &[
                "--replay",
                capture,
                "-c",
                "-j",
                "--file-name",
                "/dev/null",
                "-t",
                "1m",
                "--rate",
                "ip=2",
            ],
            "-t, --rate with --replay: ignored",
        ),
    ] {
        let out = run(Command::new(bin()).args(args).current_dir(&dir));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {err}");
        assert_eq!(
            err.matches("netstatspy: warning: ").count(),
            1,
            "{args:?}: {err}"
        );
        assert_eq!(err.matches(what).count(), 1, "{args:?}: {err}");
    }
    // --file-name without -j wrote nothing.
    assert!(!dir.join("x.json").exists());
}

/// The export's and the report's summaries count in the singular for one.
#[test]
fn subcommand_summaries_count_in_the_singular_for_one() {
    let dir = scratch("singular");
    let input = dir.join("one.jsonl");
    std::fs::write(
        &input,
        "{\"type\":\"small_queue\",\"run\":\"0\",\"sample\":0,\"timestamp\":1.0,\"elapsed\":0.0,\
         \"stats\":[{\"tcp_limit_output_bytes\":1048576}]}\n",
    )
    .expect("write");
    let out = run(Command::new(bin())
        .arg("export")
        .arg(&input)
        .arg("-o")
        .arg(dir.join("parquet")));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("exported 1 line ("), "{err}");
    assert!(err.contains("small_queue.parquet 1 row"), "{err}");
    assert!(!err.contains("1 rows") && !err.contains("1 lines"), "{err}");
    let out = run(Command::new(bin())
        .arg("report")
        .arg(&input)
        .arg("-o")
        .arg(dir.join("r.html")));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("report of 1 line (1 record, 1 run)"), "{err}");
}
