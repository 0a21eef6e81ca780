//! Console snapshots: every capture replayed to the console, each reader's table as a user sees
//! it (rates from the recorded times, totals on the first sample, `-v` totals). Wall-clock times
//! in the sample headers are masked; everything else must stay as it is unless a change of the
//! console is intended (then review with `cargo insta review`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{bin, run};

fn captures() -> Vec<PathBuf> {
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

/// The options a capture was recorded with (its description's `options:` line).
fn recorded_options(pcap: &Path) -> Vec<String> {
    let meta = std::fs::read_to_string(pcap.with_extension("txt")).expect("capture description");
    meta.lines()
        .find_map(|l| l.strip_prefix("options:"))
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// `sample N  YYYY-MM-DD HH:MM:SS.ffffff  +E.EEEs` with the wall-clock time masked.
fn mask_times(text: &str) -> String {
    text.lines()
        .map(|line| match line.strip_prefix("sample ") {
            Some(rest) => {
                let mut parts = rest.splitn(2, "  ");
                let n = parts.next().unwrap_or_default();
                let elapsed = parts
                    .next()
                    .and_then(|r| r.rsplit_once("  "))
                    .map_or("", |(_, e)| e);
                format!("sample {n}  [time]  {elapsed}")
            }
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn console_of(pcap: &Path, extra: &[&str]) -> String {
    let out = run(Command::new(bin())
        .env("TZ", "UTC")
        .arg("--replay")
        .arg(pcap)
        .args(recorded_options(pcap))
        .args(extra));
    assert!(
        out.status.success(),
        "{}: {}",
        pcap.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    mask_times(&String::from_utf8_lossy(&out.stdout))
}

#[test]
fn every_capture_on_the_console() {
    for pcap in captures() {
        let name = pcap
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        insta::assert_snapshot!(name.clone(), console_of(&pcap, &[]));
    }
}

#[test]
fn verbose_console_adds_totals() {
    for name in ["link-kinds", "vm61-link", "vm61-tc"] {
        let pcap = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("captures")
            .join(format!("{name}.pcap"));
        insta::assert_snapshot!(format!("{name}-verbose"), console_of(&pcap, &["-v"]));
    }
}

#[test]
fn masking_keeps_everything_but_the_time() {
    assert_eq!(
        mask_times("sample 2  2026-11-25 01:20:58.123456  +0.200s\nip: 3 interfaces"),
        "sample 2  [time]  +0.200s\nip: 3 interfaces"
    );
}
