//! `netstatspy report`: synthetic runs with known series (a step in backlog, a ramp in cwnd, a
//! burst of drops) whose values the page holds (its embedded JSON, read back here) are
//! compared with the input written by the test, exactly when short and as a min/max envelope
//! that keeps every peak when long; changes-only input reports the same data as full input;
//! bad input gives one error line or a warning, never a panic; and headless Chromium opens
//! reports of every capture and the synthetic run: no script error, every plot drawn with
//! points, a screenshot kept in the test's scratch directory.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{Need, bin, capture_name, captures, replay_to_json, require, run, scratch};
use serde_json::Value;

fn report(args: &[&Path], extra: &[&str]) -> Output {
    run(Command::new(bin()).arg("report").args(args).args(extra))
}

fn report_ok(inputs: &[&Path], out: &Path, extra: &[&str]) -> String {
    let mut args: Vec<&Path> = inputs.to_vec();
    args.push(Path::new("-o"));
    args.push(out);
    let o = report(&args, extra);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "report failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// The data the page holds: the JSON of its `netstatspy-data` script element.
fn page_data(html: &Path) -> Value {
    let text = std::fs::read_to_string(html).expect("read report");
    let start = "<script type=\"application/json\" id=\"netstatspy-data\">";
    let at = text.find(start).expect("data element") + start.len();
    let end = text[at..].find("</script>").expect("end of data") + at;
    serde_json::from_str(&text[at..end]).expect("data is JSON")
}

/// The series `label` of the plot of run `run` whose title ends with `title`: (t, v, decimated).
fn series(data: &Value, run: &str, title: &str, label: &str) -> (Vec<f64>, Vec<f64>, bool) {
    let runs = data["runs"].as_array().expect("runs");
    let r = runs
        .iter()
        .find(|r| r["id"] == run)
        .unwrap_or_else(|| panic!("run {run} in {runs:?}"));
    let plot = r["plots"]
        .as_array()
        .expect("plots")
        .iter()
        .find(|p| p["title"].as_str().is_some_and(|t| t.ends_with(title)))
        .unwrap_or_else(|| panic!("plot {title}"));
    let s = plot["series"]
        .as_array()
        .expect("series")
        .iter()
        .find(|s| s["label"] == label)
        .unwrap_or_else(|| panic!("series {label} of {title}"));
    let nums = |k: &str| -> Vec<f64> {
        s[k].as_array()
            .expect("array")
            .iter()
            .map(|v| v.as_f64().expect("number"))
            .collect()
    };
    (nums("t"), nums("v"), s["decimated"] == true)
}

/// A short series is shown point for point: every shown point is an input point, the first and
/// last are shown, and an input point left out lies inside a run of equal values (the line
/// through the shown points passes through it).
fn assert_shows(expected: &[(f64, f64)], shown: &(Vec<f64>, Vec<f64>, bool), what: &str) {
    let (t, v, decimated) = shown;
    assert!(!decimated, "{what}: short series decimated");
    assert_eq!(t.first(), expected.first().map(|p| &p.0), "{what}: first");
    assert_eq!(t.last(), expected.last().map(|p| &p.0), "{what}: last");
    let mut k = 0;
    for (i, &(et, ev)) in expected.iter().enumerate() {
        if k < t.len() && t[k] == et {
            assert_eq!(v[k], ev, "{what}: value at t={et}");
            k += 1;
        } else {
            assert!(k > 0 && k < t.len(), "{what}: point {i} at {et} not shown");
            assert!(
                v[k - 1] == ev && v[k] == ev,
                "{what}: point {i} ({et}, {ev}) left out but not inside a run of equal values"
            );
        }
    }
    assert_eq!(k, t.len(), "{what}: shown points that are not input points");
}

const RUN: &str = "00000000000000aa";

/// A synthetic run: `n` samples at 1000/s of one qdisc (backlog steps from 0 to 5000 bytes at
/// the middle, a burst of 400 drops over 4 samples), one socket (cwnd ramps by one a sample,
/// bytes_acked grows), and one interface. Returns the JSON Lines and the samples' elapsed.
fn synthetic(n: usize, spike: Option<usize>) -> (String, Vec<f64>) {
    let mut out = String::new();
    writeln!(
        out,
        r#"{{"type":"run","run":"{RUN}","timestamp":1796000000.0,"version":"0.1.0","command_line":["netstatspy","--tc","--ss","-f","1000","-j","<script>"],"host":"synthetic","kernel":"6.18.0","frequency":1000.0,"readers":["ip","tc","ss"],"settings":{{"net.core.default_qdisc":"fq_codel"}}}}"#
    )
    .expect("write");
    let mut elapsed = Vec::new();
    let mut drops = 0u64;
    for i in 0..n {
        let t = format!("{:.6}", i as f64 / 1000.0);
        // As a JSON reader (the report's) reads it.
        elapsed.push(serde_json::from_str::<f64>(&t).expect("number"));
        let mut backlog = if i >= n / 2 { 5000 } else { 0 };
        if spike == Some(i) {
            backlog = 987_654;
        }
        if (n / 4..n / 4 + 4).contains(&i) {
            drops += 100;
        }
        let cwnd = 10 + i;
        let acked = 1448 * i as u64 * 10;
        let rx = 1_000_000 + 1500 * i as u64;
        writeln!(
            out,
            r#"{{"type":"tc","run":"{RUN}","sample":{i},"timestamp":1796000000.{i:06},"elapsed":{t},"stats":[{{"kind":"fq_codel","handle":"8001:","dev":"eth0","root":true,"bytes":{rx},"packets":{i},"drops":{drops},"overlimits":0,"requeues":0,"backlog":{backlog},"qlen":{q},"drop_overlimit":0,"ecn_mark":{i},"ce_mark":0}}]}}"#,
            q = backlog / 1000
        )
        .expect("write");
        writeln!(
            out,
            r#"{{"type":"ss","run":"{RUN}","sample":{i},"timestamp":1796000000.{i:06},"elapsed":{t},"stats":[{{"netid":"tcp","state":"ESTAB","recv_q":0,"send_q":{sq},"local":{{"address":"10.0.0.1","port":5201}},"peer":{{"address":"10.0.0.2","port":40000}},"cookie":7,"tcp_info":{{"snd_cwnd":{cwnd},"rtt":{rtt},"rttvar":500,"bytes_acked":{acked},"delivery_rate":125000,"pacing_rate":250000,"total_retrans":0,"unacked":3}}}}]}}"#,
            sq = i * 3,
            rtt = 1000 + i % 17
        )
        .expect("write");
        writeln!(
            out,
            r#"{{"type":"ip","run":"{RUN}","sample":{i},"timestamp":1796000000.{i:06},"elapsed":{t},"stats":[{{"ifindex":2,"ifname":"eth0","stats64":{{"rx":{{"bytes":{rx},"packets":{i},"errors":0,"dropped":0}},"tx":{{"bytes":0,"packets":0,"errors":0,"dropped":0}}}}}}]}}"#
        )
        .expect("write");
    }
    writeln!(
        out,
        r#"{{"type":"run_summary","run":"{RUN}","timestamp":1796000001.0,"elapsed":1.0,"samples":{n}}}"#
    )
    .expect("write");
    (out, elapsed)
}

#[test]
fn synthetic_series_are_held_by_the_page_as_written() {
    let dir = scratch("report-synthetic");
    let n = 400;
    let (jsonl, t) = synthetic(n, None);
    let input = dir.join("run.jsonl");
    std::fs::write(&input, &jsonl).expect("write input");
    let html = dir.join("report.html");
    report_ok(&[&input], &html, &[]);
    let data = page_data(&html);

    // The backlog's step, as a gauge.
    let backlog: Vec<(f64, f64)> = (0..n)
        .map(|i| (t[i], if i >= n / 2 { 5000.0 } else { 0.0 }))
        .collect();
    let shown = series(&data, RUN, "eth0 root 8001: fq_codel: backlog", "backlog");
    assert_shows(&backlog, &shown, "backlog");
    assert!(shown.1.len() <= 4, "a step is four points: {:?}", shown.1);

    // The burst of drops, as a rate: the counter's difference over the time between samples.
    let mut counter = Vec::new();
    let mut d = 0.0;
    for i in 0..n {
        if (n / 4..n / 4 + 4).contains(&i) {
            d += 100.0;
        }
        counter.push(d);
    }
    let drops: Vec<(f64, f64)> = (1..n)
        .map(|i| (t[i], (counter[i] - counter[i - 1]) / (t[i] - t[i - 1])))
        .collect();
    let shown = series(
        &data,
        RUN,
        "eth0 root 8001: fq_codel: drops, overlimits, requeues",
        "drops",
    );
    assert_shows(&drops, &shown, "drops");
    let peak = shown.1.iter().cloned().fold(f64::MIN, f64::max);
    assert!((peak - 100_000.0).abs() < 1.0, "drops peak {peak}/s");

    // The cwnd ramp: every point, as written.
    let cwnd: Vec<(f64, f64)> = (0..n).map(|i| (t[i], (10 + i) as f64)).collect();
    let shown = series(&data, RUN, "10.0.0.2:40000: cwnd", "cwnd");
    assert_eq!(shown.0, t, "cwnd times");
    assert_eq!(
        shown.1,
        cwnd.iter().map(|p| p.1).collect::<Vec<_>>(),
        "cwnd"
    );

    // The interface's throughput: 1500 bytes a millisecond is 12 Mbit/s.
    let shown = series(&data, RUN, "eth0: throughput", "rx");
    assert!(
        shown.1.iter().all(|v| (v - 12e6).abs() < 12e6 * 1e-9),
        "{:?}",
        &shown.1[..4]
    );

    // The header is a table, escaped.
    let text = std::fs::read_to_string(&html).expect("html");
    assert!(
        text.contains("<th>host</th><td>synthetic</td>"),
        "header table"
    );
    assert!(text.contains("&lt;script&gt;") && !text.contains("-j <script>"));
}

#[test]
fn long_series_keep_every_peak_after_decimation() {
    let dir = scratch("report-long");
    let n = 30_000;
    let spike = 17_321;
    let (jsonl, t) = synthetic(n, Some(spike));
    let input = dir.join("run.jsonl");
    std::fs::write(&input, &jsonl).expect("write input");
    let html = dir.join("report.html");
    let buckets = 100;
    report_ok(&[&input], &html, &["--buckets", &buckets.to_string()]);
    let data = page_data(&html);

    // rtt varies every sample (1000 + i % 17): the envelope must still hold its extremes, and
    // the backlog's one-sample spike.
    for (title, label, value) in [
        (
            "eth0 root 8001: fq_codel: backlog",
            "backlog",
            &(|i: usize| {
                if i == spike {
                    987_654.0
                } else if i >= n / 2 {
                    5000.0
                } else {
                    0.0
                }
            }) as &dyn Fn(usize) -> f64,
        ),
        ("10.0.0.2:40000: rtt and rttvar", "rtt", &|i: usize| {
            (1000 + i % 17) as f64
        }),
    ] {
        let (st, sv, decimated) = series(&data, RUN, title, label);
        // rtt changes every sample and is decimated; the backlog's runs of equal values are
        // kept as their ends, which fit without buckets.
        assert_eq!(decimated, label == "rtt", "{title}: {n} points, decimated");
        assert!(
            sv.len() <= 4 * buckets,
            "{title}: {} points shown",
            sv.len()
        );
        // Every shown point is an input point.
        for (k, (&x, &y)) in st.iter().zip(&sv).enumerate() {
            let i = t
                .binary_search_by(|p| p.total_cmp(&x))
                .unwrap_or_else(|_| panic!("{title}: shown time {x} is no sample's"));
            assert_eq!(y, value(i), "{title}: shown point {k}");
        }
        // Every input point lies within the envelope around its time: some shown point at most
        // two bucket widths away is at least as high, and one at most as low.
        let width = 2.0 * (t[n - 1] - t[0]) / buckets as f64;
        for (i, &x) in t.iter().enumerate() {
            // With the shown points on either side of it (inside a run of equal values, the
            // points left out lie on the line between them).
            let before = st.iter().rposition(|s| *s <= x);
            let after = st.iter().position(|s| *s >= x);
            let near: Vec<f64> = st
                .iter()
                .zip(&sv)
                .enumerate()
                .filter(|(k, (s, _))| {
                    (**s - x).abs() <= 2.0 * width || Some(*k) == before || Some(*k) == after
                })
                .map(|(_, (_, v))| *v)
                .collect();
            let v = value(i);
            assert!(
                near.iter().any(|m| *m >= v) && near.iter().any(|m| *m <= v),
                "{title}: input point {i} ({x}, {v}) outside the envelope {near:?}"
            );
        }
    }
    let (_, sv, _) = series(&data, RUN, "eth0 root 8001: fq_codel: backlog", "backlog");
    assert!(sv.contains(&987_654.0), "the spike is shown");
    let size = std::fs::metadata(&html).expect("html").len();
    assert!(
        size < 2_000_000,
        "the page holds the envelope, not {n} points: {size} bytes"
    );
}

/// Error cases: one line `netstatspy: error: …`, the status given, no panic.
fn assert_error(o: &Output, status: i32, contains: &str) {
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(status), "{stderr}");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("netstatspy: error: "))
        .collect();
    assert_eq!(errors.len(), 1, "one error line: {stderr}");
    assert!(errors[0].contains(contains), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn bad_input_is_one_error_line_or_a_warning() {
    let dir = scratch("report-bad");
    let out = dir.join("r.html");
    let o_arg = Path::new("-o");

    let not_json = dir.join("not.json");
    std::fs::write(&not_json, "hello\nworld\n").expect("write");
    assert_error(&report(&[&not_json, o_arg, &out], &[]), 1, "not JSON");

    let empty = dir.join("empty.jsonl");
    std::fs::write(&empty, "").expect("write");
    assert_error(
        &report(&[&empty, o_arg, &out], &[]),
        1,
        "no netstatspy records",
    );

    let unknown = dir.join("unknown.jsonl");
    std::fs::write(&unknown, "{\"type\":\"weather\",\"stats\":[]}\n").expect("write");
    assert_error(&report(&[&unknown, o_arg, &out], &[]), 1, "unknown type");

    let missing = dir.join("missing.jsonl");
    assert_error(&report(&[&missing, o_arg, &out], &[]), 1, "cannot read");
    assert!(!out.exists(), "no report written on error");

    // A .zst whose second frame is cut short: the first frame's records are reported, with a
    // warning; a .zst holding only a cut frame is an error.
    let (jsonl, _) = synthetic(50, None);
    let (head, tail) = jsonl.split_at(jsonl.len() / 2);
    let cut = head.rfind('\n').expect("line") + 1;
    let (head, tail) = (&jsonl[..cut], format!("{}{tail}", &head[cut..]));
    let mut zst = zstd::encode_all(head.as_bytes(), 1).expect("zstd");
    let second = zstd::encode_all(tail.as_bytes(), 1).expect("zstd");
    zst.extend_from_slice(&second[..second.len() - 20]);
    let truncated = dir.join("cut.jsonl.zst");
    std::fs::write(&truncated, &zst).expect("write");
    let stderr = report_ok(&[&truncated], &out, &[]);
    assert!(
        stderr.contains("netstatspy: warning:") && stderr.contains("cut short"),
        "{stderr}"
    );
    assert!(out.exists());
    let only_cut = dir.join("only-cut.jsonl.zst");
    std::fs::write(&only_cut, &second[..second.len() - 20]).expect("write");
    assert_error(
        &report(&[&only_cut, o_arg, &out], &[]),
        1,
        "no netstatspy records",
    );

    // Records with bad lines and unknown types among them: a report and warnings.
    let mixed = dir.join("mixed.jsonl");
    std::fs::write(
        &mixed,
        format!("not json\n{{\"type\":\"weather\"}}\n{head}{{\"type\":\"tc\",\"elapsed\":"),
    )
    .expect("write");
    let stderr = report_ok(&[&mixed], &out, &["-q"]);
    for w in ["mixed.jsonl:1: not JSON", "\"weather\"", "last line"] {
        assert!(stderr.contains(w), "warning {w}: {stderr}");
    }
    assert!(
        stderr
            .lines()
            .all(|l| l.starts_with("netstatspy: warning: ")),
        "{stderr}"
    );

    // Usage errors: exit 2.
    assert_error(&report(&[&mixed], &[]), 2, "--output");
    assert_error(&report(&[&mixed, o_arg, &out], &["--top", "x"]), 2, "--top");
    assert_error(&report(&[], &[]), 2, "FILE");
}

#[test]
fn changes_only_input_reports_the_same_data() {
    let dir = scratch("report-changes");
    let pcap = captures()
        .into_iter()
        .find(|p| p.ends_with("vm61-tc.pcap"))
        .expect("vm61-tc.pcap");
    let (full, changes) = (dir.join("full.jsonl"), dir.join("changes.jsonl.zst"));
    replay_to_json(&pcap, &full, &[]);
    replay_to_json(&pcap, &changes, &["--changes-only"]);
    let (a, b) = (dir.join("full.html"), dir.join("changes.html"));
    report_ok(&[&full], &a, &[]);
    report_ok(&[&changes], &b, &[]);
    let (a, b) = (page_data(&a), page_data(&b));
    assert!(
        a["runs"][0]["plots"]
            .as_array()
            .is_some_and(|p| !p.is_empty()),
        "{a}"
    );
    assert_eq!(
        a["runs"], b["runs"],
        "changes-only and full input report alike"
    );
}

/// The text of the element with `id` in a dumped DOM (entities of text nodes undone).
fn element_text(dom: &str, id: &str) -> (String, String) {
    let open = format!("id=\"{id}\"");
    let at = dom
        .find(&open)
        .unwrap_or_else(|| panic!("no #{id} in the DOM"));
    let start = dom[..at].rfind('<').expect("tag");
    let tag_end = dom[at..].find('>').expect("tag end") + at;
    let end = dom[tag_end..].find("</div>").expect("close") + tag_end;
    let text = dom[tag_end + 1..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    (dom[start..tag_end].to_owned(), text)
}

#[test]
#[cfg_attr(
    not(have_chromium),
    ignore = "needs chromium (apt-get install chromium)"
)]
fn chromium_draws_every_plot_of_the_captures_without_errors() {
    require(&[Need::Chromium]);
    let dir = scratch("report-chromium");
    let mut inputs = Vec::new();
    for pcap in captures() {
        let name = capture_name(&pcap);
        let json = dir.join(format!("{name}.jsonl"));
        replay_to_json(&pcap, &json, &[]);
        inputs.push(json);
    }
    let (jsonl, _) = synthetic(3000, Some(2222));
    let synthetic_input = dir.join("synthetic.jsonl");
    std::fs::write(&synthetic_input, jsonl).expect("write");
    inputs.push(synthetic_input);
    let html = dir.join("report.html");
    let paths: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    report_ok(&paths, &html, &["--buckets", "200"]);
    let data = page_data(&html);
    let expected: Vec<(String, u64)> = data["runs"]
        .as_array()
        .expect("runs")
        .iter()
        .flat_map(|r| r["plots"].as_array().expect("plots").clone())
        .map(|p| {
            let points = p["series"]
                .as_array()
                .expect("series")
                .iter()
                .map(|s| s["v"].as_array().expect("v").len() as u64)
                .sum();
            (p["id"].as_str().expect("id").to_owned(), points)
        })
        .collect();
    assert!(expected.len() > 50, "{} plots", expected.len());

    let chromium = |args: &[&str]| {
        run(Command::new("chromium")
            .args(["--headless", "--disable-gpu", "--no-sandbox"])
            .arg(format!("--user-data-dir={}", dir.join("profile").display()))
            .args(args)
            .arg(format!("file://{}", html.display())))
    };
    let o = chromium(&["--dump-dom"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let dom = String::from_utf8_lossy(&o.stdout).into_owned();
    std::fs::write(dir.join("dom.html"), &dom).expect("keep the DOM");
    let (errors_tag, errors) = element_text(&dom, "netstatspy-errors");
    assert!(
        errors_tag.contains("data-count=\"0\"") && errors.trim().is_empty(),
        "script errors in the page: {errors}"
    );
    let (status_tag, status) = element_text(&dom, "netstatspy-status");
    assert!(
        status_tag.contains("data-done=\"1\""),
        "the script finished: {status_tag}"
    );
    let drawn: Value = serde_json::from_str(&status).expect("status is JSON");
    let drawn: Vec<(String, u64)> = drawn
        .as_array()
        .expect("list")
        .iter()
        .map(|p| {
            (
                p["id"].as_str().expect("id").to_owned(),
                p["points"].as_u64().expect("points"),
            )
        })
        .collect();
    assert_eq!(drawn, expected, "every plot drawn with its points");
    assert!(drawn.iter().all(|(_, n)| *n > 0), "a plot without data");
    // Each plot's element exists in the DOM with uPlot's canvas and its point count.
    for (id, points) in &drawn {
        let (tag, _) = element_text(&dom, id);
        assert!(
            tag.contains(&format!("data-points=\"{points}\"")),
            "plot element {tag}"
        );
    }
    assert_eq!(
        dom.matches("<canvas").count(),
        drawn.len(),
        "one canvas per plot"
    );

    let shot = dir.join("report.png");
    let o = chromium(&[
        "--window-size=1280,2000",
        &format!("--screenshot={}", shot.display()),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let png = std::fs::read(&shot).expect("screenshot");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "screenshot"
    );
    eprintln!("screenshot: {}", shot.display());
}
