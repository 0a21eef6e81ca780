//! Console snapshots: every capture replayed to the console, each reader's table as a user sees
//! it, in the plain view and in the terminal view, 80 and 200 columns wide (rates over the
//! replayed interval; `-v` totals). Wall-clock times in the frame headers are masked;
//! everything else must stay as it is unless a change of the console is intended (then review
//! with `cargo insta review`). The terminal view's bytes are played on a small screen model
//! here (cursor moves and clears, as a terminal does), and what that screen shows is the
//! snapshot: lines wider than the screen, or more lines than it has, fail the test.

mod common;

use std::path::Path;
use std::process::Command;

use common::{bin, capture_name, captures, recorded_options, run};

/// `sample N  YYYY-MM-DD HH:MM:SS.ffffff  +E.EEEs  interval I.IIIs` with the wall-clock time
/// masked.
fn mask_times(text: &str) -> String {
    text.lines()
        .map(|line| match line.strip_prefix("sample ") {
            Some(rest) => {
                let parts: Vec<&str> = rest.split("  ").collect();
                let mut out = format!("sample {}  [time]", parts[0]);
                for p in parts.iter().skip(2) {
                    out.push_str("  ");
                    out.push_str(p);
                }
                out
            }
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a terminal of `width` × `height` shows on its alternate screen after `bytes`, until
/// the view leaves it: the escape sequences the terminal view uses (cursor position, clear to
/// end of line, clear below, alternate screen and cursor visibility), text written where the
/// cursor is. Panics on a line wider than the screen or a row below it: the view must never
/// wrap or scroll.
fn screen(bytes: &str, width: usize, height: usize) -> Vec<String> {
    let mut rows = vec![String::new(); height];
    let mut row = 0usize;
    let mut chars = bytes.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            assert_eq!(chars.next(), Some('['), "an escape sequence: {bytes:?}");
            let mut params = String::new();
            let mut end = ' ';
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    end = c;
                    break;
                }
                params.push(c);
            }
            match end {
                'H' => {
                    let r: usize = params
                        .split(';')
                        .next()
                        .unwrap_or("1")
                        .parse()
                        .expect("row");
                    row = r - 1;
                    assert!(row < height, "row {row} beyond a screen of {height}");
                    rows[row].clear();
                }
                'K' => {}
                'J' => rows.iter_mut().skip(row + 1).for_each(String::clear),
                // Leaving the alternate screen: the view is over.
                'l' if params == "?1049" => break,
                'h' | 'l' => {}
                other => panic!("unexpected escape sequence ending in {other:?}"),
            }
            continue;
        }
        assert!(
            c != '\n' && c != '\r',
            "the terminal view writes no newlines"
        );
        rows[row].push(c);
        assert!(
            rows[row].chars().count() <= width,
            "line wider than {width}: {:?}",
            rows[row]
        );
    }
    while rows.last().is_some_and(String::is_empty) {
        rows.pop();
    }
    rows
}

fn console_of(pcap: &Path, extra: &[&str], columns: usize) -> String {
    let out = run(Command::new(bin())
        .env("TZ", "UTC")
        .env("COLUMNS", columns.to_string())
        .env("LINES", "40")
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
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The plain view at 80 and 200 columns (and with every row), and the terminal view (80 × 40,
/// 200 × 40).
fn every_view(pcap: &Path, extra: &[&str]) -> String {
    let mut text = String::new();
    for columns in [80, 200] {
        let plain = console_of(pcap, &[extra, &["--console", "plain"]].concat(), columns);
        for line in plain.lines() {
            assert!(line.chars().count() <= columns, "{line:?}");
        }
        text.push_str(&format!("== plain, {columns} columns ==\n"));
        text.push_str(&mask_times(&plain));
        text.push('\n');
    }
    let all = console_of(
        pcap,
        &[extra, &["--console", "plain", "--all-rows"]].concat(),
        200,
    );
    text.push_str("== plain, 200 columns, --all-rows ==\n");
    text.push_str(&mask_times(&all));
    text.push('\n');
    for columns in [80, 200] {
        let top = console_of(pcap, &[extra, &["--console", "top"]].concat(), columns);
        text.push_str(&format!("== terminal, {columns} x 40 ==\n"));
        let shown = screen(&top, columns, 40);
        // After the view, on the normal screen: its last frame, as it was shown (without the
        // hint that q quits).
        let after = top.rsplit_once("\x1b[?1049l").map_or("", |(_, a)| a);
        let mut last = shown.clone();
        if let Some(first) = last.first_mut() {
            *first = first.trim_end_matches("  (q quits)").to_owned();
        }
        assert_eq!(
            after.lines().collect::<Vec<_>>(),
            last,
            "{}",
            pcap.display()
        );
        text.push_str(&mask_times(&shown.join("\n")));
        text.push_str("\n\n");
    }
    text
}

#[test]
fn every_capture_on_the_console() {
    for pcap in captures() {
        let name = capture_name(&pcap);
        insta::assert_snapshot!(name.clone(), every_view(&pcap, &[]));
    }
}

#[test]
fn verbose_console_adds_totals() {
    for name in ["link-kinds", "vm61-link", "vm61-tc"] {
        let pcap = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("captures")
            .join(format!("{name}.pcap"));
        insta::assert_snapshot!(format!("{name}-verbose"), every_view(&pcap, &["-v"]));
    }
}

#[test]
fn masking_keeps_everything_but_the_time() {
    assert_eq!(
        mask_times(
            "sample 2  2026-11-25 01:20:58.123456  +0.200s  interval 0.200s\nip: 3 interfaces"
        ),
        "sample 2  [time]  +0.200s  interval 0.200s\nip: 3 interfaces"
    );
}

#[test]
fn the_screen_model_follows_the_cursor() {
    let shown = screen(
        "\x1b[?1049h\x1b[1;1Hab\x1b[K\x1b[2;1Hcd\x1b[1;1Hxy\x1b[J",
        10,
        3,
    );
    assert_eq!(shown, vec!["xy".to_owned()]);
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
    use netstatspy::output::console::{Console, Options};
    use netstatspy::readers::Reader;
    use netstatspy::readers::queue_limits::QueueLimitsReader;
    use netstatspy::readers::small_queue::SmallQueueReader;
    use std::time::Duration;

    let (sys, proc) = fake_trees();
    let mut readers: Vec<Box<dyn Reader>> = vec![
        Box::new(QueueLimitsReader::with_root(&sys, Unwatched, &[]).expect("queue_limits")),
        Box::new(SmallQueueReader::with_root(&proc).expect("small_queue")),
    ];
    let mut console = Console::new(Vec::new(), Options::default());
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
    console.finish().expect("finish");
    let text = String::from_utf8_lossy(console.get_ref()).into_owned();
    insta::assert_snapshot!("queue_limits-small_queue", mask_times(&text));
}
