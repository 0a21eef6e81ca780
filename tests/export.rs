//! `netstatspy export`: every capture replayed to JSON Lines and exported to Parquet, then read
//! back with pyarrow by `tests/export_check.py`, which reads the JSON with Python's own json
//! module and checks every row, column, value and type (u64 stays uint64); compressed input
//! with appended runs and a frame cut short; malformed lines; errors; memory on large input;
//! and the original command line, unchanged by the subcommand.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{
    Need, bin, capture_name, captures, check, recorded_options, replay_to_json, require, run,
    scratch,
};
use serde_json::Value;

fn export(args: &[&Path], extra: &[&str]) -> Output {
    run(Command::new(bin()).arg("export").args(args).args(extra))
}

fn export_ok(inputs: &[&Path], out: &Path) -> String {
    let mut args: Vec<&Path> = inputs.to_vec();
    args.push(Path::new("-o"));
    args.push(out);
    let o = export(&args, &[]);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "export failed: {stderr}");
    assert!(o.stdout.is_empty(), "export writes nothing to stdout");
    stderr
}

/// Run tests/export_check.py on (JSON files, export directory) pairs.
fn pyarrow_check(dir: &Path, pairs: &[(Vec<PathBuf>, PathBuf)]) {
    let manifest: Vec<Value> = pairs
        .iter()
        .map(|(json, out)| serde_json::json!({"json": json, "dir": out}))
        .collect();
    let path = dir.join("manifest.json");
    std::fs::write(&path, Value::Array(manifest).to_string()).expect("manifest");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/export_check.py");
    let out = run(Command::new("python3").arg(script).arg(&path));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "pyarrow disagrees with the JSON:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{stdout}");
}

#[test]
#[cfg_attr(
    not(have_pyarrow),
    ignore = "needs python3 with pyarrow (python3 -m pip install pyarrow)"
)]
fn every_capture_exported_reads_back_equal_to_its_json() {
    require(&[Need::Pyarrow]);
    let dir = scratch("export-captures");
    let mut pairs = Vec::new();
    let mut all = Vec::new();
    for pcap in captures() {
        let name = capture_name(&pcap);
        let json = dir.join(format!("{name}.jsonl"));
        replay_to_json(&pcap, &json, &[]);
        let out = dir.join(&name);
        export_ok(&[&json], &out);
        pairs.push((vec![json.clone()], out));
        all.push(json);
    }
    // Every capture at once: several record types and kernels in one export, so columns
    // meet values from different runs.
    let out = dir.join("all");
    let inputs: Vec<&Path> = all.iter().map(PathBuf::as_path).collect();
    let stderr = export_ok(&inputs, &out);
    for kind in ["ip", "tc", "ss"] {
        assert!(
            stderr.contains(&format!("{kind}.parquet ")),
            "summary names {kind}.parquet: {stderr}"
        );
    }
    pairs.push((all, out));
    pyarrow_check(&dir, &pairs);
    let _ = std::fs::remove_dir_all(&dir);
}

/// JSON Lines of `pcap`'s replay with `"run": run` added to every record.
fn run_lines(pcap: &Path, run: u64, dir: &Path) -> Vec<String> {
    let json = dir.join(format!("run{run}.jsonl"));
    replay_to_json(pcap, &json, &[]);
    std::fs::read_to_string(&json)
        .expect("replayed JSON")
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("JSON"))
        // The replay's own header and summary: this test writes its own.
        .filter(|v| !common::is_run_record(v))
        .map(|mut v| {
            v["run"] = run.into();
            v.to_string()
        })
        .collect()
}

fn zstd_frame(lines: &[String]) -> Vec<u8> {
    let mut text = lines.join("\n");
    text.push('\n');
    let mut c = zstd::bulk::Compressor::new(1).expect("compressor");
    c.include_checksum(true).expect("checksum");
    c.compress(text.as_bytes()).expect("compress")
}

#[test]
#[cfg_attr(
    not(have_pyarrow),
    ignore = "needs python3 with pyarrow (python3 -m pip install pyarrow)"
)]
fn compressed_appended_runs_with_a_cut_frame() {
    require(&[Need::Pyarrow]);
    let dir = scratch("export-zst");
    let captures = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
    let header =
        |run: u64| format!(r#"{{"type":"run","run":{run},"version":"0.1.0","options":["-j"]}}"#);
    let summary =
        |run: u64| format!(r#"{{"type":"run_summary","run":{run},"samples":{{"ss":1}}}}"#);
    let mut first = vec![header(1)];
    first.extend(run_lines(&captures.join("ss-loopback.pcap"), 1, &dir));
    first.push(summary(1));
    let mut second = vec![header(2)];
    second.extend(run_lines(&captures.join("link-kinds.pcap"), 2, &dir));
    // A record type netstatspy does not write: its own file, its keys flattened, its
    // types widened across rows (u64 with i64, integer with float).
    second.push(r#"{"type":"custom","sample":0,"x":1,"y":{"z":-2},"w":[1,2]}"#.into());
    second.push(r#"{"type":"custom","sample":1,"x":1.5,"y":{"z":3},"w":[]}"#.into());
    second.push(r#"{"type":"custom","sample":2,"x":18446744073709551615,"y":{"z":"s"}}"#.into());
    second.push(summary(2));
    let mut zst = Vec::new();
    // Two frames per run, as a run writes a frame per flush.
    for run in [&first, &second] {
        let half = run.len() / 2;
        zst.extend(zstd_frame(&run[..half]));
        zst.extend(zstd_frame(&run[half..]));
    }
    // A frame a killed run left unfinished: its lines are not exported.
    let more = run_lines(&captures.join("ss-loopback.pcap"), 3, &dir);
    let cut = zstd_frame(&more);
    zst.extend(&cut[..cut.len() / 2]);
    let input = dir.join("stats.jsonl.zst");
    std::fs::write(&input, &zst).expect("write zst");
    let plain = dir.join("complete.jsonl");
    std::fs::write(
        &plain,
        format!("{}\n{}\n", first.join("\n"), second.join("\n")),
    )
    .expect("write plain");

    let out = dir.join("out");
    let stderr = export_ok(&[&input], &out);
    assert!(stderr.contains("cut short"), "{stderr}");
    assert!(
        stderr.contains(&format!("the {} lines", first.len() + second.len())),
        "{stderr}"
    );
    assert!(
        stderr.contains("2 run headers, 2 run summaries"),
        "{stderr}"
    );
    assert!(out.join("custom.parquet").exists());
    pyarrow_check(&dir, &[(vec![plain], out)]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_damaged_zstd_frame_ends_the_file_with_a_warning() {
    let dir = scratch("export-damaged");
    let line = |sample: u64| {
        format!(
            r#"{{"type":"small_queue","sample":{sample},"stats":[{{"tcp_limit_output_bytes":{}}}]}}"#,
            1_048_576 + sample
        )
    };
    let first: Vec<String> = (0..3).map(line).collect();
    let second: Vec<String> = (3..400).map(line).collect();
    let mut zst = zstd_frame(&first);
    let good = zst.len();
    let mut damaged = zstd_frame(&second);
    // Whole headers, wrong content: the checksum (or the block itself) does not match.
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0xff;
    zst.extend(damaged);
    let input = dir.join("damaged.jsonl.zst");
    std::fs::write(&input, &zst).expect("write");
    assert!(good < zst.len());
    let out = dir.join("out");
    let stderr = export_ok(&[&input], &out);
    assert!(
        stderr.contains("does not decode") && stderr.contains("damaged.jsonl.zst"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    // The first frame's lines are exported; of the damaged frame, at most what decoded before
    // the damage, and never a partial line.
    let rows: u64 = stderr
        .split("small_queue.parquet ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("rows in {stderr}"));
    assert!((3..400).contains(&rows), "{rows} rows: {stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn malformed_lines_are_counted_and_named() {
    let dir = scratch("export-malformed");
    let input = dir.join("bad.jsonl");
    let ip = r#"{"type":"ip","sample":0,"timestamp":1.5,"elapsed":0.0,"stats":[{"ifname":"a"},{"ifname":"b"}]}"#;
    let lines = [
        ip,
        "not json",
        "[1,2]",
        r#"{"no":"type"}"#,
        r#"{"type":"ip","stats":5}"#,
        r#"{"type":"../x","stats":[]}"#,
        r#"{"type":"ip","sample":1,"stats":[1]}"#,
        ip,
    ];
    let mut text = lines.join("\n");
    text.push_str("\n{\"type\":\"ip\",\"sam");
    std::fs::write(&input, text).expect("write");
    let out = dir.join("out");
    let o = export(&[&input, Path::new("-o"), &out], &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    for line in 2..=7 {
        assert!(
            stderr.contains(&format!("bad.jsonl:{line}: malformed line")),
            "line {line} named: {stderr}"
        );
    }
    assert!(
        stderr.contains("bad.jsonl:9: the last line is unfinished"),
        "{stderr}"
    );
    assert!(stderr.contains("ip.parquet 4 rows"), "{stderr}");
    assert!(
        stderr.contains("6 malformed lines not exported"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let names: Vec<String> = std::fs::read_dir(&out)
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["ip.parquet"], "no temporary file is left");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn errors_are_one_line_with_their_exit_status() {
    let dir = scratch("export-errors");
    let good = dir.join("good.jsonl");
    std::fs::write(
        &good,
        "{\"type\":\"small_queue\",\"stats\":[{\"tcp_limit_output_bytes\":1}]}\n",
    )
    .expect("write");
    let blocker = dir.join("file");
    std::fs::write(&blocker, "").expect("write");
    let missing = dir.join("missing.jsonl");
    let o = |args: &[&str]| {
        let out = run(Command::new(bin()).args(args));
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let s = |p: &Path| p.to_str().expect("UTF-8 path").to_owned();
    let out = s(&dir.join("out"));
    for (args, status, says) in [
        (
            vec!["export".to_owned(), s(&missing), "-o".into(), out.clone()],
            1,
            "cannot read",
        ),
        (
            vec!["export".to_owned(), s(&dir), "-o".into(), out.clone()],
            1,
            "cannot read",
        ),
        (
            vec![
                "export".to_owned(),
                s(&good),
                "-o".into(),
                s(&blocker.join("sub")),
            ],
            1,
            "cannot write",
        ),
        (vec!["export".to_owned()], 2, "required"),
        (vec!["export".to_owned(), s(&good)], 2, "--output"),
        (
            vec!["export".to_owned(), "-o".into(), out.clone()],
            2,
            "FILE",
        ),
        (
            vec![
                "export".to_owned(),
                s(&good),
                "-o".into(),
                out.clone(),
                "--bogus".into(),
            ],
            2,
            "--bogus",
        ),
        (
            vec![
                "export".to_owned(),
                s(&good),
                "-o".into(),
                out.clone(),
                "--row-group-rows".into(),
                "0".into(),
            ],
            2,
            "row-group-rows",
        ),
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, stderr, _) = o(&args);
        assert_eq!(code, Some(status), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: one line: {stderr}");
        assert!(
            stderr.starts_with("netstatspy: error: "),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains(says), "{args:?}: {says} in {stderr}");
    }
    let (code, _, stdout) = o(&["export", "--help"]);
    assert_eq!(code, Some(0));
    assert!(
        stdout.contains("Usage: netstatspy export") && stdout.contains("--output"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_original_command_line_is_unchanged() {
    use netstatspy::cli::{self, Parsed};
    // The help is clap's for the original options, byte for byte, and says nothing new.
    let help = match cli::parse(["netstatspy", "--help"]) {
        Ok(Parsed::Print(text)) => text,
        other => panic!("help: {other:?}"),
    };
    let out = run(Command::new(bin()).arg("--help"));
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), help);
    assert!(!help.contains("export"));
    // Every option of the original still parses, alone and together, and none is the
    // subcommand.
    let original: [&[&str]; 14] = [
        &["-h"],
        &["--help"],
        &["-v"],
        &["--verbose"],
        &["--iface", "export"],
        &["-f", "2.5"],
        &["-t", "none"],
        &["-c", "-j"],
        &["--file-name", "export"],
        &["--no-ip", "--tc"],
        &["--ss"],
        &["--queue-limits"],
        &["--small-queue"],
        &[
            "-v",
            "--iface",
            "lo",
            "-f",
            "10",
            "-t",
            "5",
            "-c",
            "-j",
            "--file-name",
            "x.txt",
            "--tc",
            "--ss",
            "--queue-limits",
            "--small-queue",
        ],
    ];
    for args in original {
        let argv: Vec<&str> = std::iter::once("netstatspy")
            .chain(args.iter().copied())
            .collect();
        assert!(!cli::is_export(&argv), "{args:?}");
        assert!(cli::parse(argv.clone()).is_ok(), "{args:?}");
    }
    let c = match cli::parse([
        "netstatspy",
        "--file-name",
        "export",
        "-j",
        "--iface",
        "export",
    ]) {
        Ok(Parsed::Run(c)) => c,
        other => panic!("{other:?}"),
    };
    assert_eq!(c.json, Some(PathBuf::from("export")));
    assert_eq!(c.iface, vec![std::ffi::OsString::from("export")]);
    // As before, `export` after an option is an unexpected argument: a usage error.
    let out = run(Command::new(bin()).args(["-c", "export"]));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unexpected argument 'export'"), "{stderr}");
    // A replay writing to a file named `export` is the original command line at work.
    let dir = scratch("export-cli");
    let pcap = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/link-iface.pcap");
    check(
        Command::new(bin())
            .current_dir(&dir)
            .args([
                "--file-name",
                "export",
                "-c",
                "-j",
                "--iface",
                "va0",
                "--replay",
            ])
            .arg(&pcap),
    );
    assert!(dir.join("export").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Peak resident memory (KiB) of `cmd`, from the kernel's accounting of the child, and its
/// exit status and standard error.
// The child is reaped by wait4, which also returns its resource use; `Child::wait` would not.
#[allow(clippy::zombie_processes)]
fn peak_rss_kib(cmd: &mut Command, stderr: &Path) -> (u64, Output) {
    let file = std::fs::File::create(stderr).expect("stderr file");
    let child = cmd
        .stdout(Stdio::null())
        .stderr(file)
        .spawn()
        .expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a plain C struct of integers, for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; the pointers are valid for the call.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid, "wait4: {}", std::io::Error::last_os_error());
    let out = Output {
        status: std::os::unix::process::ExitStatusExt::from_raw(status),
        stdout: Vec::new(),
        stderr: std::fs::read(stderr).unwrap_or_default(),
    };
    (usage.ru_maxrss as u64, out)
}

/// A JSON Lines file of about `bytes`, ss records of 37 sockets each, samples counting up.
fn large_input(path: &Path, bytes: u64, template: &Value) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    let mut written = 0u64;
    let mut sample = 0u64;
    while written < bytes {
        let mut record = template.clone();
        record["sample"] = sample.into();
        record["timestamp"] = (1.8e9 + sample as f64 / 1000.0).into();
        if let Some(stats) = record["stats"].as_array_mut() {
            for s in stats {
                s["tcp_info"]["bytes_acked"] = (sample * 1448 + u64::from(u32::MAX)).into();
            }
        }
        let line = record.to_string();
        f.write_all(line.as_bytes()).expect("write");
        f.write_all(b"\n").expect("write");
        written += line.len() as u64 + 1;
        sample += 1;
    }
    f.flush().expect("flush");
}

#[test]
fn memory_stays_flat_as_the_input_grows() {
    let dir = scratch("export-memory");
    let one = dir.join("one.jsonl");
    replay_to_json(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/vm61-ss.pcap"),
        &one,
        &[],
    );
    let template: Value = common::json_lines(&one)
        .into_iter()
        .next()
        .expect("a sample's record");
    // Small row groups, so that even the smaller input fills several: this build is
    // unoptimised, and the point is the shape (bench/export.sh measures the default on 200 MB).
    // Memory settles after the first row groups (buffers reach their working size), then stays.
    let mut peaks = Vec::new();
    for mb in [16u64, 64] {
        let input = dir.join(format!("{mb}.jsonl"));
        large_input(&input, mb << 20, &template);
        let out = dir.join(format!("out{mb}"));
        let (peak, o) = peak_rss_kib(
            Command::new(bin())
                .arg("export")
                .arg(&input)
                .arg("-o")
                .arg(&out)
                .args(["--row-group-rows", "8192", "-q"]),
            &dir.join("stderr"),
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        std::fs::remove_file(&input).expect("remove input");
        eprintln!("{mb} MB of JSON: peak RSS {} MB", peak / 1024);
        peaks.push(peak);
    }
    // Memory in proportion to the input would be 4 times as much for the larger one.
    let (small, large) = (peaks[0], peaks[1]);
    assert!(
        large * 2 < small * 3,
        "peak RSS grew with the input: {small} KiB for 16 MB, {large} KiB for 64 MB"
    );
    // And less than the input itself, whose every row passed through.
    assert!(large < 64 * 1024, "peak RSS {large} KiB for 64 MB of JSON");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A changes-only file exports to the same rows as the full file of the same run: every
/// capture replayed both ways (one keyframe, and a keyframe every 0.1 s), each exported, and the
/// Parquet tables compared by pyarrow, column by column.
#[test]
#[cfg_attr(
    not(have_pyarrow),
    ignore = "needs python3 with pyarrow (python3 -m pip install pyarrow)"
)]
fn changes_only_files_export_to_the_full_rows() {
    require(&[Need::Pyarrow]);
    let dir = scratch("export-changes");
    let mut pairs = Vec::new();
    for name in ["vm61-link", "vm612-tc", "link-iface", "ss-loopback"] {
        let pcap = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("captures")
            .join(format!("{name}.pcap"));
        let full = dir.join(format!("{name}.jsonl"));
        replay_to_json(&pcap, &full, &[]);
        export_ok(&[&full], &dir.join(format!("{name}-full")));
        for keyframes in ["3600", "0.1"] {
            let changes = dir.join(format!("{name}-{keyframes}.jsonl"));
            check(
                Command::new(bin())
                    .arg("--replay")
                    .arg(&pcap)
                    .args([
                        "-c",
                        "-j",
                        &format!("--changes-only={keyframes}"),
                        "--file-name",
                    ])
                    .arg(&changes)
                    .args(recorded_options(&pcap)),
            );
            let out = dir.join(format!("{name}-{keyframes}"));
            export_ok(&[&changes], &out);
            pairs.push((dir.join(format!("{name}-full")), out));
        }
    }
    let script = r#"
import sys, glob, os, pyarrow.parquet as pq
for full, changes in zip(sys.argv[1::2], sys.argv[2::2]):
    names = sorted(os.path.basename(p) for p in glob.glob(full + "/*.parquet"))
    assert names == sorted(os.path.basename(p) for p in glob.glob(changes + "/*.parquet")), (full, changes)
    assert names, full
    for n in names:
        a = pq.read_table(os.path.join(full, n))
        b = pq.read_table(os.path.join(changes, n))
        assert a.num_rows == b.num_rows and a.num_rows > 0, (n, a.num_rows, b.num_rows)
        assert a.column_names == b.column_names, (n, a.column_names, b.column_names)
        for c in a.column_names:
            assert a[c].type == b[c].type, (n, c, a[c].type, b[c].type)
            assert a[c].to_pylist() == b[c].to_pylist(), (n, c)
print("ok", len(sys.argv) // 2)
"#;
    let mut cmd = Command::new("python3");
    cmd.arg("-c").arg(script);
    for (full, changes) in &pairs {
        cmd.arg(full).arg(changes);
    }
    let out = check(&mut cmd);
    assert!(out.starts_with("ok"), "{out}");
}
