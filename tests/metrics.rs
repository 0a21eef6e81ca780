//! The metrics endpoint (`--listen`): scraped by a real Prometheus server, whose stored values
//! are compared with what `ip -s -s -j link` and `tc -s -j qdisc` read at about the same moment;
//! its text checked by `promtool check metrics`; attacked by stalled and garbage-sending
//! clients while sampling at 1000/s; and its start-up errors.

mod common;

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Need, Netns, Running, bin, http_get, json_lines, require, run, scratch};
use serde_json::Value;

/// `GET path` over HTTP/1.0 from inside `ns`; (status, body), or None when the connection
/// failed.
fn get(ns: &Netns, addr: &str, path: &str) -> Option<(u16, String)> {
    let (addr, path) = (addr.to_owned(), path.to_owned());
    ns.in_thread(move || get_from(&addr, &path))
}

/// `GET path` of the endpoint from this thread's namespace: (status, body).
fn get_here(path: &str) -> Option<(u16, String)> {
    get_from(ENDPOINT, path)
}

/// `GET path` over HTTP/1.0 from this thread's namespace: (status, body).
fn get_from(addr: &str, path: &str) -> Option<(u16, String)> {
    http_get(addr, path, None).map(|(status, _, body)| (status, body))
}

/// `GET path` with an `Accept` header from inside `ns`: (status, head, body).
fn get_with(ns: &Netns, addr: &str, path: &str, accept: &str) -> Option<(u16, String, String)> {
    let (addr, path, accept) = (addr.to_owned(), path.to_owned(), accept.to_owned());
    ns.in_thread(move || http_get(&addr, &path, Some(&accept)))
}

/// `promtool check metrics`, Prometheus's own linter, finds nothing to say about `text`.
fn promtool_check(text: &str) {
    let mut promtool = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool");
    promtool
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("feed promtool");
    let checked = promtool.wait_with_output().expect("promtool");
    assert!(
        checked.status.success() && checked.stdout.is_empty() && checked.stderr.is_empty(),
        "promtool check metrics: {}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// An instant query to Prometheus's HTTP API: each result's labels and value.
fn query(ns: &Netns, prom: &str, q: &str) -> Vec<(HashMap<String, String>, f64)> {
    let (status, body) = get(
        ns,
        prom,
        &format!("/api/v1/query?query={}", percent_encode(q)),
    )
    .unwrap_or_else(|| panic!("query {q}: no answer"));
    assert_eq!(status, 200, "query {q}: {body}");
    let v: Value = serde_json::from_str(&body).expect("the API answers JSON");
    v["data"]["result"]
        .as_array()
        .expect("a vector")
        .iter()
        .map(|r| {
            let labels = r["metric"]
                .as_object()
                .expect("labels")
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                .collect();
            let value = r["value"][1]
                .as_str()
                .and_then(|s| s.parse().ok())
                .expect("a number");
            (labels, value)
        })
        .collect()
}

/// The value of series `name` of `device` in `results`.
fn value_of(results: &[(HashMap<String, String>, f64)], name: &str, device: &str) -> Option<f64> {
    results
        .iter()
        .find(|(l, _)| {
            l.get("__name__").map(String::as_str) == Some(name)
                && l.get("device").map(String::as_str) == Some(device)
        })
        .map(|(_, v)| *v)
}

/// `ip -s -s -j link` of one interface.
fn link(ns: &Netns, ifname: &str) -> Value {
    ns.ip_link_json()
        .into_iter()
        .find(|l| l["ifname"] == ifname)
        .unwrap_or_else(|| panic!("no {ifname}"))
}

/// `tc -s -j qdisc show dev DEV`, the root qdisc.
fn root_qdisc(ns: &Netns, dev: &str) -> Value {
    let text = ns.sh(&format!("tc -s -j qdisc show dev {dev} root"));
    let list: Vec<Value> = serde_json::from_str(&text).expect("tc -j is JSON");
    list.into_iter().next().expect("a root qdisc")
}

/// Wait until `ifname`'s counters and its root qdisc read the same twice in a row.
fn settled(ns: &Netns, ifname: &str) -> (Value, Value) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut last = (link(ns, ifname), root_qdisc(ns, ifname));
    loop {
        std::thread::sleep(Duration::from_millis(300));
        let now = (link(ns, ifname), root_qdisc(ns, ifname));
        if now == last {
            return now;
        }
        assert!(Instant::now() < deadline, "{ifname} never settled");
        last = now;
    }
}

fn wait_for(what: &str, secs: u64, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Held by the tests that sample at hundreds per second, so that they do not run beside each
/// other: the attack test compares two runs' lateness, which the other's load would disturb.
fn alone() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Start netstatspy inside `ns` with `args`, its stderr to `dir/stderr`.
fn netstatspy(ns: &Netns, dir: &Path, args: &[&str]) -> (Running, PathBuf) {
    let err = dir.join("netstatspy.stderr");
    let child = ns
        .command(&bin())
        .args(args)
        .stdout(Stdio::null())
        .stderr(File::create(&err).expect("stderr file"))
        .spawn()
        .expect("start netstatspy");
    (Running(child), err)
}

const ENDPOINT: &str = "127.0.0.1:19100";
const PROMETHEUS: &str = "127.0.0.1:19101";

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2, have_prometheus)),
    ignore = "needs root, iproute2 and prometheus (apt-get install prometheus)"
)]
fn prometheus_stores_what_ip_and_tc_report() {
    require(&[Need::Root, Need::Iproute2, Need::Prometheus]);
    let _alone = alone();
    let (a, _b) = Netns::joined("prom-a", "prom-b", 71);
    // A shaper that holds a burst for a few tens of milliseconds: far less than a scrape
    // interval.
    a.sh("tc qdisc replace dev va0 root tbf rate 50mbit burst 5kb limit 2mb");
    let dir = scratch("metrics-prometheus");
    let json = dir.join("stats.jsonl");
    let json_arg = json.to_str().expect("utf-8 path");
    let (mut nsp, nsp_err) = netstatspy(
        &a,
        &dir,
        &[
            "--tc",
            "-f",
            "500",
            "-t",
            "none",
            "-c",
            "-j",
            "--file-name",
            json_arg,
            "--listen",
            ENDPOINT,
        ],
    );
    wait_for("the endpoint", 20, || {
        get(&a, ENDPOINT, "/metrics").is_some_and(|(s, _)| s == 200)
    });

    // promtool, Prometheus's own linter, on the exposition text.
    let (_, text) = get(&a, ENDPOINT, "/metrics").expect("scrape");
    assert!(
        text.contains("netstatspy_qdisc_backlog_bytes_max{"),
        "{text}"
    );
    promtool_check(&text);
    // Prometheus asks for OpenMetrics: the answer says so and ends as the format wants.
    let (status, head, om) = get_with(
        &a,
        ENDPOINT,
        "/metrics",
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;\
         version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
    )
    .expect("scrape");
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/openmetrics-text; version=1.0.0"),
        "{head}"
    );
    assert!(om.ends_with("\n# EOF\n"), "{om}");

    let config = dir.join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  \
             - job_name: netstatspy\n    static_configs:\n      - targets: ['{ENDPOINT}']\n"
        ),
    )
    .expect("write config");
    let prom_log = dir.join("prometheus.log");
    let _prom = Running(
        a.command(Path::new("prometheus"))
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("tsdb").display()
            ))
            .arg(format!("--web.listen-address={PROMETHEUS}"))
            .stdout(Stdio::null())
            .stderr(File::create(&prom_log).expect("log file"))
            .spawn()
            .expect("start prometheus"),
    );
    wait_for("prometheus to scrape netstatspy", 60, || {
        get(&a, PROMETHEUS, "/-/ready").is_some_and(|(s, _)| s == 200)
            && !query(&a, PROMETHEUS, "netstatspy_qdisc_qlen").is_empty()
    });

    // A burst through the shaper: its backlog rises and drains between two scrapes.
    a.send_udp("10.9.71.2:9", 150, 1000);
    let (va0_before, tbf_before) = settled(&a, "va0");
    let lo_before = link(&a, "lo");
    // Two scrapes later, every value Prometheus holds was read after `before`.
    std::thread::sleep(Duration::from_millis(2500));
    let stored = query(
        &a,
        PROMETHEUS,
        r#"{__name__=~"netstatspy_(link|qdisc)_.+"}"#,
    );
    let (va0_after, tbf_after) = (link(&a, "va0"), root_qdisc(&a, "va0"));
    let lo_after = link(&a, "lo");
    assert_eq!(va0_before, va0_after, "va0 moved while it should be still");
    assert_eq!(
        tbf_before, tbf_after,
        "the tbf qdisc moved while it should be still"
    );

    // Interfaces: every stats64 counter ip prints, under the name the README gives it.
    let mut compared = 0;
    for (ifname, before, after) in [
        ("va0", &va0_before, &va0_after),
        ("lo", &lo_before, &lo_after),
    ] {
        for dir in ["rx", "tx"] {
            let counters = before["stats64"][dir].as_object().expect("stats64");
            for (key, low) in counters {
                let name = format!("netstatspy_link_{dir}_{key}_total");
                let got = value_of(&stored, &name, ifname)
                    .unwrap_or_else(|| panic!("Prometheus has no {name} of {ifname}"));
                let low = low.as_u64().expect("a counter") as f64;
                let high = after["stats64"][dir][key].as_u64().expect("a counter") as f64;
                assert!(
                    low <= got && got <= high,
                    "{name}{{device={ifname}}}: Prometheus {got}, ip {low}..{high}"
                );
                compared += 1;
            }
        }
    }
    assert!(compared >= 40, "only {compared} link counters compared");
    assert!(
        va0_before["stats64"]["tx"]["packets"].as_u64() >= Some(150),
        "the burst went through va0"
    );

    // The qdisc: generic statistics, still, hence equal.
    for (key, name) in [
        ("bytes", "netstatspy_qdisc_bytes_total"),
        ("packets", "netstatspy_qdisc_packets_total"),
        ("drops", "netstatspy_qdisc_drops_total"),
        ("overlimits", "netstatspy_qdisc_overlimits_total"),
        ("requeues", "netstatspy_qdisc_requeues_total"),
        ("backlog", "netstatspy_qdisc_backlog_bytes"),
        ("qlen", "netstatspy_qdisc_qlen"),
    ] {
        let want = tbf_before[key].as_u64().expect("a number") as f64;
        let got = stored
            .iter()
            .find(|(l, _)| {
                l.get("__name__").map(String::as_str) == Some(name)
                    && l.get("device").map(String::as_str) == Some("va0")
                    && l.get("kind").map(String::as_str) == Some("tbf")
                    && l.get("parent").map(String::as_str) == Some("root")
            })
            .map(|(_, v)| *v)
            .unwrap_or_else(|| panic!("Prometheus has no {name} of va0's tbf"));
        assert_eq!(got, want, "{name}: Prometheus {got}, tc {want}");
    }

    // Prometheus took every scrape as OpenMetrics (it asks for it first): none failed
    // while netstatspy ran.
    let up = query(
        &a,
        PROMETHEUS,
        r#"min_over_time(up{job="netstatspy"}[10m])"#,
    );
    assert_eq!(up.len(), 1, "{up:?}");
    assert_eq!(up[0].1, 1.0, "a scrape failed");

    // The burst's backlog, shorter than a scrape interval, shows in the _max series: its
    // largest value over the run is the largest backlog of any sample netstatspy took.
    nsp.stop();
    let peak = query(
        &a,
        PROMETHEUS,
        r#"max_over_time(netstatspy_qdisc_backlog_bytes_max{device="va0"}[10m])"#,
    );
    let plain = query(
        &a,
        PROMETHEUS,
        r#"max_over_time(netstatspy_qdisc_backlog_bytes{device="va0"}[10m])"#,
    );
    let sampled = json_lines(&json)
        .iter()
        .filter(|r| r["type"] == "tc")
        .flat_map(|r| r["stats"].as_array().cloned().unwrap_or_default())
        .filter(|q| q["dev"] == "va0" && q["kind"] == "tbf")
        .filter_map(|q| q["backlog"].as_u64())
        .max()
        .expect("va0's tbf in the JSON records");
    let err = std::fs::read_to_string(&nsp_err).unwrap_or_default();
    assert!(!err.contains("dropped"), "{err}");
    assert_eq!(peak.len(), 1, "{peak:?}");
    eprintln!(
        "backlog peak: _max series {}, plain series {:?}, JSON {sampled}",
        peak[0].1,
        plain.first().map(|p| p.1)
    );
    assert!(sampled >= 30_000, "the burst queued only {sampled} bytes");
    assert_eq!(peak[0].1, sampled as f64, "the _max series missed the peak");

    // The quantiles of the burst's interval: the 99th percentile saw the queue (the burst
    // lasted several samples of the 500 per second), and no quantile exceeds the peak.
    let tbf = r#"device="va0",kind="tbf""#;
    let q99 = query(
        &a,
        PROMETHEUS,
        &format!(
            r#"max_over_time(netstatspy_qdisc_backlog_bytes_samples{{{tbf},quantile="0.99"}}[10m])"#
        ),
    );
    assert_eq!(q99.len(), 1, "{q99:?}");
    assert!(
        q99[0].1 > 0.0 && q99[0].1 <= peak[0].1,
        "0.99 quantile {} with a peak of {}",
        q99[0].1,
        peak[0].1
    );
    // Every sample went into the summary: its count is the number of tc records written.
    let count = query(
        &a,
        PROMETHEUS,
        &format!(r#"max_over_time(netstatspy_qdisc_backlog_bytes_samples_count{{{tbf}}}[10m])"#),
    );
    let records = json_lines(&json)
        .iter()
        .filter(|r| r["type"] == "tc")
        .count();
    assert_eq!(count.len(), 1, "{count:?}");
    // The last scrape may precede the last few samples.
    assert!(
        count[0].1 <= records as f64 && count[0].1 >= records as f64 - 1500.0,
        "summary count {} of {records} records",
        count[0].1
    );
}

/// The summary line of a `-v` run: (samples, overruns, lateness p99 in µs).
fn summary(stderr: &str) -> (u64, u64, u64) {
    let line = stderr
        .lines()
        .find(|l| l.contains(" samples in ") && l.contains("lateness"))
        .unwrap_or_else(|| panic!("no summary: {stderr}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    let after = |w: &str| -> u64 {
        let i = words
            .iter()
            .position(|x| x.trim_end_matches(',') == w)
            .unwrap_or_else(|| panic!("no {w} in {line}"));
        words[i + 1].trim_end_matches(',').parse().expect("number")
    };
    let samples = words[1].parse().expect("samples");
    let overruns = words
        .iter()
        .position(|w| w.starts_with("overrun"))
        .and_then(|i| words[i - 1].parse().ok())
        .expect("overruns");
    (samples, overruns, after("p99"))
}

/// One `-v` run at 1000/s for 3 s in `ns`, with `attack` run while it samples.
fn sampled_run(ns: &Netns, dir: &Path, attack: impl FnOnce()) -> (u64, u64, u64, String) {
    let (mut nsp, err) = netstatspy(
        ns,
        dir,
        &[
            "--tc", "-f", "1000", "-t", "8", "-c", "-v", "--listen", ENDPOINT,
        ],
    );
    wait_for("the endpoint", 20, || {
        get(ns, ENDPOINT, "/metrics").is_some_and(|(s, _)| s == 200)
    });
    attack();
    let status = nsp.0.wait().expect("wait");
    let text = std::fs::read_to_string(err).expect("stderr");
    assert!(status.success(), "{text}");
    assert!(!text.contains("panicked"), "{text}");
    let (samples, overruns, p99) = summary(&text);
    (samples, overruns, p99, text)
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces)"
)]
fn stalled_and_garbage_clients_do_not_delay_sampling() {
    require(&[Need::Root, Need::Iproute2]);
    let _alone = alone();
    let ns = Netns::new("prom-fault");
    let dir = scratch("metrics-fault");
    let (base_samples, base_overruns, base_p99, _) = sampled_run(&ns, &dir, || {});

    let (samples, overruns, p99, text) = sampled_run(&ns, &dir, || {
        ns.in_thread(|| {
            // 200 clients that connect and then say nothing, or half a request line.
            let mut stalled = Vec::new();
            for i in 0..200 {
                if let Ok(mut s) = TcpStream::connect(ENDPOINT) {
                    if i % 2 == 0 {
                        let _ = s.write_all(b"GET /metr");
                    }
                    stalled.push(s);
                }
            }
            // Garbage, an oversized head and an unknown path: each answered 4xx or closed,
            // never a 200.
            let mut answers = Vec::new();
            let started = Instant::now();
            while started.elapsed() < Duration::from_millis(1500) {
                for request in [
                    &b"\x00\xff\xfe garbage \r\n\r\n"[..],
                    &b"GET /nothing HTTP/1.1\r\n\r\n"[..],
                    &[b'A'; 20_000][..],
                    &b"GET /metrics HTTP/1.1\r\nX: \xff\r\n\r\n"[..],
                ] {
                    let Ok(mut s) = TcpStream::connect(ENDPOINT) else {
                        continue;
                    };
                    // Short: a request that waits behind the stalled ones is not answered in
                    // time, which is allowed; the loop must not outlast the run.
                    let _ = s.set_read_timeout(Some(Duration::from_millis(300)));
                    let _ = s.write_all(request);
                    let mut reply = Vec::new();
                    let _ = s.read_to_end(&mut reply);
                    answers.push(String::from_utf8_lossy(&reply).into_owned());
                }
            }
            drop(stalled);
            // The server notices that they left as its workers' reads end (2 s at most): from
            // then on, requests are answered again.
            let deadline = Instant::now() + Duration::from_secs(10);
            let (status, _) = loop {
                match get_here("/nothing") {
                    Some(answer) => break answer,
                    None if Instant::now() < deadline => {
                        std::thread::sleep(Duration::from_millis(100));
                    }
                    None => panic!("no answer within 10 s of the stalled clients leaving"),
                }
            };
            assert_eq!(status, 404);
            for a in &answers {
                assert!(
                    a.is_empty() || a.starts_with("HTTP/1.1 4"),
                    "a bad request was answered: {a}"
                );
            }
        });
        // Once the stalled clients are gone, scrapes are answered again.
        wait_for("the endpoint after the attack", 10, || {
            get(&ns, ENDPOINT, "/metrics").is_some_and(|(s, _)| s == 200)
        });
    });
    eprintln!(
        "without clients: {base_samples} samples, {base_overruns} overruns, p99 {base_p99} µs; \
         attacked: {samples} samples, {overruns} overruns, p99 {p99} µs"
    );
    // The machine may be shared: allow noise of 10% of the 8,000 slots, far less than a
    // sampler held up by its clients would lose (every slot while they stall: 1.5 s of
    // garbage beside them, then up to 2 s until the workers give up on them).
    assert!(
        samples + 800 >= base_samples,
        "{samples} samples against {base_samples}: {text}"
    );
    assert!(
        overruns <= base_overruns + 800,
        "overruns {overruns} against {base_overruns}: {text}"
    );
    assert!(
        p99 <= base_p99 * 3 + 1000,
        "lateness p99 {p99} µs against {base_p99} µs: {text}"
    );
}

#[test]
fn an_address_in_use_or_not_local_is_one_error_line() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    for (addr, why) in [
        (format!("127.0.0.1:{port}"), "in use"),
        ("192.0.2.1:9100".to_owned(), "not a local address"),
    ] {
        let out = run(Command::new(bin()).args(["-t", "1", "-c", "--listen", &addr]));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{why}: {err}");
        let errors: Vec<&str> = err
            .lines()
            .filter(|l| l.starts_with("netstatspy: error: "))
            .collect();
        assert_eq!(errors.len(), 1, "{why}: {err}");
        assert!(
            errors[0].contains(&format!("cannot listen on {addr}")),
            "{why}: {err}"
        );
        assert!(!err.contains("panicked"), "{why}: {err}");
    }
    let out = run(Command::new(bin()).args(["--listen", "nowhere"]));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces)"
)]
fn with_netns_the_endpoint_stays_here_and_labels_the_namespace() {
    require(&[Need::Root, Need::Iproute2]);
    let ns = Netns::new("prom-netns");
    ns.ip(&[
        "link", "add", "nsv0", "type", "veth", "peer", "name", "nsv1",
    ]);
    let free = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = free.local_addr().expect("addr").to_string();
    drop(free);
    let dir = scratch("metrics-netns");
    let err = dir.join("stderr");
    let _nsp = Running(
        Command::new(bin())
            .args(["-f", "10", "-t", "none", "-c", "--netns", &ns.name])
            .args(["--listen", &addr])
            .stdout(Stdio::null())
            .stderr(File::create(&err).expect("stderr file"))
            .spawn()
            .expect("start netstatspy"),
    );
    let mut body = String::new();
    wait_for("the endpoint in this namespace", 20, || {
        match get_from(&addr, "/metrics") {
            Some((200, text)) if text.contains("netstatspy_link_rx_bytes_total{") => {
                body = text;
                true
            }
            _ => false,
        }
    });
    let want = format!(
        "netstatspy_link_rx_bytes_total{{netns=\"{}\",device=\"nsv0\"}} 0",
        ns.name
    );
    assert!(
        body.lines().any(|l| l == want),
        "{want} not in:\n{body}\n{}",
        std::fs::read_to_string(&err).unwrap_or_default()
    );
    // The sampled namespace's links only.
    assert!(!body.contains("device=\"eth0\""), "{body}");
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2, have_prometheus)),
    ignore = "needs root, iproute2 and prometheus (promtool)"
)]
fn sockets_served_are_those_ss_selects_up_to_the_cap() {
    require(&[Need::Root, Need::Iproute2, Need::Prometheus]);
    let ns = Netns::new("prom-ss");
    // Six connections to :5201 (twelve sockets match the filter) and three to :6000.
    let held = ns.in_thread(|| {
        let mut held = Vec::new();
        for port in [5201u16, 6000] {
            let listener = TcpListener::bind(("127.0.0.1", port)).expect("listen");
            let n = if port == 5201 { 6 } else { 3 };
            for i in 0..n {
                let mut client = TcpStream::connect(("127.0.0.1", port)).expect("connect");
                let (mut server, _) = listener.accept().expect("accept");
                // A different amount each, so that values tell sockets apart.
                client.write_all(&vec![7u8; 1000 * (i + 1)]).expect("send");
                let mut got = vec![0u8; 1000 * (i + 1)];
                server.read_exact(&mut got).expect("receive");
                held.push(client);
                held.push(server);
            }
            // The connections stay established without their listener.
            drop(listener);
        }
        held
    });
    let filter = "sport = :5201 or dport = :5201";
    let ss = |ns: &Netns| {
        common::ss::parse_ss(&ns.sh(&format!("ss -tuinHOn state established '( {filter} )'")))
    };
    let before = ss(&ns);
    assert_eq!(before.len(), 12, "{before:?}");
    let dir = scratch("metrics-sockets");
    let addr = "127.0.0.1:19102";
    let (_nsp, err) = netstatspy(
        &ns,
        &dir,
        &[
            "--no-ip",
            "--ss",
            "--ss-filter",
            filter,
            "--metrics-sockets",
            "5",
            "-f",
            "20",
            "-t",
            "none",
            "-c",
            "--listen",
            addr,
        ],
    );
    let mut text = String::new();
    wait_for("sockets at the endpoint", 20, || {
        match get(&ns, addr, "/metrics") {
            Some((200, body)) if body.contains("netstatspy_socket_snd_cwnd{") => {
                text = body;
                true
            }
            _ => false,
        }
    });
    let after = ss(&ns);
    assert_eq!(
        before.keys().collect::<std::collections::BTreeSet<_>>(),
        after.keys().collect(),
        "the sockets changed"
    );
    promtool_check(&text);
    let series = |name: &str| -> Vec<(String, String, String, f64)> {
        text.lines()
            .filter_map(|l| l.strip_prefix(name)?.strip_prefix('{'))
            .map(|l| {
                let (labels, value) = l.rsplit_once("} ").expect("labels and value");
                let label = |k: &str| {
                    labels
                        .split(',')
                        .find_map(|p| p.strip_prefix(&format!("{k}=\"")))
                        .map(|v| v.trim_end_matches('"').to_owned())
                        .unwrap_or_else(|| panic!("no {k} in {labels}"))
                };
                (
                    label("netid"),
                    label("local"),
                    label("peer"),
                    value.parse().expect("number"),
                )
            })
            .collect()
    };
    let cwnd = series("netstatspy_socket_snd_cwnd");
    assert_eq!(cwnd.len(), 5, "the cap is 5:\n{text}");
    let value = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or_else(|| panic!("no {name}:\n{text}"))
    };
    assert_eq!(value("netstatspy_sockets_exported"), 5.0);
    assert_eq!(value("netstatspy_sockets_cut"), 7.0);
    assert!(value("netstatspy_socket_readings_cut_total") >= 7.0);
    // Each socket served is one ss lists for the filter, with ss's values.
    let acked = series("netstatspy_socket_bytes_acked_bytes_total");
    let received = series("netstatspy_socket_bytes_received_bytes_total");
    let rtt = series("netstatspy_socket_rtt_seconds");
    for (netid, local, peer, cwnd) in &cwnd {
        let key = (netid.clone(), local.clone(), peer.clone());
        let line = before
            .get(&key)
            .unwrap_or_else(|| panic!("{key:?} is not one of ss's:\n{before:?}"));
        let ss_value = |k: &str| -> f64 {
            line.values
                .get(k)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0.0)
        };
        assert_eq!(*cwnd, ss_value("cwnd"), "{key:?} cwnd");
        let find = |list: &[(String, String, String, f64)]| {
            list.iter()
                .find(|(n, l, p, _)| (n, l, p) == (&key.0, &key.1, &key.2))
                .map(|x| x.3)
                .unwrap_or_else(|| panic!("{key:?} lacks a series"))
        };
        // ss omits zero counters.
        assert_eq!(find(&acked), ss_value("bytes_acked"), "{key:?} bytes_acked");
        assert_eq!(
            find(&received),
            ss_value("bytes_received"),
            "{key:?} bytes_received"
        );
        // ss prints rtt in milliseconds with three decimals.
        let ss_rtt = line.values["rtt"]
            .split('/')
            .next()
            .expect("rtt")
            .parse::<f64>()
            .expect("rtt ms");
        assert!(
            (find(&rtt) * 1000.0 - ss_rtt).abs() <= 0.0011,
            "{key:?} rtt {} s, ss {ss_rtt} ms",
            find(&rtt)
        );
    }
    assert!(
        !text.contains(":6000"),
        "an unfiltered socket is served:\n{text}"
    );
    assert!(text.contains("# TYPE netstatspy_socket_rtt_seconds_samples summary\n"));
    assert!(
        !std::fs::read_to_string(err)
            .unwrap_or_default()
            .contains("panicked")
    );
    drop(held);
}
