//! Console snapshots: every capture replayed to the console, each reader's table as a user sees
//! it (rates from the recorded times, totals on the first sample, `-v` totals). Wall-clock times
//! in the sample headers are masked; everything else must stay as it is unless a change of the
//! console is intended (then review with `cargo insta review`).

mod common;

use std::path::Path;
use std::process::Command;

use common::{bin, captures, recorded_options, run};

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

/// A sysfs tree with two transmit queues of eth0 (the second of an older kernel, without the
/// `stall_*` files) and a procfs with the small-queue limit.
fn fake_trees() -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = common::scratch("console-trees");
    let (sys, proc) = (dir.join("sys"), dir.join("proc"));
    for (queue, files) in [
        (
            "tx-0",
            &[
                ("limit", "30280"),
                ("limit_max", "1879048192"),
                ("limit_min", "0"),
                ("inflight", "1514"),
                ("hold_time", "1000"),
                ("stall_thrs", "0"),
                ("stall_cnt", "0"),
                ("stall_max", "0"),
            ][..],
        ),
        (
            "tx-1",
            &[
                ("limit", "9000"),
                ("limit_max", "1879048192"),
                ("limit_min", "0"),
                ("inflight", "0"),
                ("hold_time", "1000"),
            ][..],
        ),
    ] {
        let bql = sys
            .join("class/net/eth0/queues")
            .join(queue)
            .join("byte_queue_limits");
        std::fs::create_dir_all(&bql).expect("mkdir");
        for (name, value) in files {
            std::fs::write(bql.join(name), format!("{value}\n")).expect("write");
        }
    }
    let ipv4 = proc.join("sys/net/ipv4");
    std::fs::create_dir_all(&ipv4).expect("mkdir");
    std::fs::write(ipv4.join("tcp_limit_output_bytes"), "1048576\n").expect("write");
    (sys, proc)
}

#[test]
fn queue_limits_and_small_queue_on_the_console() {
    use netstatspy::model::Record;
    use netstatspy::netlink::watch::Unwatched;
    use netstatspy::output::Output;
    use netstatspy::output::console::Console;
    use netstatspy::readers::Reader;
    use netstatspy::readers::queue_limits::QueueLimitsReader;
    use netstatspy::readers::small_queue::SmallQueueReader;
    use std::time::Duration;

    let (sys, proc) = fake_trees();
    let mut readers: Vec<Box<dyn Reader>> = vec![
        Box::new(QueueLimitsReader::with_root(&sys, Unwatched, &[]).expect("queue_limits")),
        Box::new(SmallQueueReader::with_root(&proc).expect("small_queue")),
    ];
    let mut console = Console::new(Vec::new(), false, false);
    for sample in 0..2u64 {
        for reader in &mut readers {
            let c = reader.collect().expect("collect");
            let record = Record {
                kind: reader.kind(),
                run: "".into(),
                sample,
                timestamp: Duration::from_secs(1_764_000_000 + sample),
                elapsed: Duration::from_millis(100 * sample),
                partial: false,
                stats: c.stats,
            };
            console.write(&record).expect("write");
        }
        console.end_sample().expect("end");
    }
    let text = String::from_utf8_lossy(console.get_ref()).into_owned();
    insta::assert_snapshot!("queue_limits-small_queue", mask_times(&text));
}
