//! Golden tests on the recorded captures in `captures/`: each is replayed through the binary
//! and every decoded value is compared with iproute2's output recorded beside it — with both
//! iproute2 versions' where the capture has both (iproute2 6.1's and 6.15's, read at the same
//! settled moment), every key either prints, but for the documented version differences in
//! [`VERSION_DIFFERENCES`]. Damaged copies must give a clear error or a replay without the
//! damaged part, never a panic.

mod common;

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{
    Need, assert_same_link, bin, capture_name, json_lines, recorded_options, require, run, scratch,
};
use pcap_file::pcap::{PcapPacket, PcapReader};
use serde_json::Value;

fn captures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("captures")
}

/// Captures that have iproute2's reading with the given suffix beside them.
fn captures_with(suffix: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(captures_dir())
        .expect("captures/ exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "pcap"))
        .filter(|p| p.with_extension(suffix).exists())
        .collect();
    found.sort();
    assert!(
        found.len() >= 2,
        "golden captures with {suffix} are missing: {found:?}"
    );
    found
}

/// Captures that have iproute2's `ip -s -s -j link` reading beside them.
fn link_captures() -> Vec<PathBuf> {
    captures_with("ip-s-s-j-link.json")
}

/// Every capture in captures/.
fn all_captures() -> Vec<PathBuf> {
    let mut all = link_captures();
    all.extend(captures_with("tc-s-j-qdisc.json"));
    all.extend(captures_with("ss.after.txt"));
    all
}

/// A `key: value` line of a capture's description.
fn described(pcap: &Path, key: &str) -> String {
    described_if_any(pcap, key).unwrap_or_else(|| panic!("{}: no {key}: line", pcap.display()))
}

/// A `key: value` line a capture's description may carry.
fn described_if_any(pcap: &Path, key: &str) -> Option<String> {
    let meta = std::fs::read_to_string(pcap.with_extension("txt")).expect("capture description");
    meta.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .map(|v| v.trim().to_owned())
}

/// The `samples:` line of a capture's description.
fn recorded_samples(pcap: &Path) -> usize {
    described(pcap, "samples").parse().expect("samples: N")
}

/// The second iproute2 version whose readings lie beside the VM's captures: `NAME.pcap` has
/// iproute2 6.1's reading in `NAME.SUFFIX` and iproute2 6.15's in `NAME.iproute2-6.15.SUFFIX`.
const NEWER: &str = "iproute2-6.15";

/// iproute2 6.15's reading with `suffix` beside `pcap`, when the capture has one (the captures
/// recorded on this machine and the synthesised ones have iproute2 6.1's only).
fn newer_reading(pcap: &Path, suffix: &str) -> Option<PathBuf> {
    let p = pcap.with_extension(format!("{NEWER}.{suffix}"));
    p.exists().then_some(p)
}

/// How a documented difference between iproute2 6.1 and 6.15 is compared.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Rule {
    /// The value's computation changed: ours follows 6.15 and is compared with 6.15's reading
    /// only (with a 6.1 reading alone, the value is not compared).
    Newer,
    /// 6.15 prints the key with a trailing space (`"priomap "`), which we write without it: ours
    /// under the trimmed key is compared with 6.15's value.
    TrailingSpace,
    /// Not from netlink (ip asks bpf(2) for an XDP program's name, tag and JIT state by its
    /// id), so not in a capture: compared with neither version; ours need not carry it.
    NotInCapture,
}

/// A documented difference between iproute2 versions, at the keys it names.
struct VersionDifference {
    /// `ip`, `tc` or `ss`.
    reader: &'static str,
    /// The qdisc kind it applies to (`tc`), or `None` for every element.
    kind: Option<&'static str>,
    /// The key path from the element, `.`-separated; `*` stands for any one key or index.
    path: &'static str,
    rule: Rule,
    why: &'static str,
}

/// Every documented difference between iproute2 6.1's and 6.15's readings, and nothing broader:
/// any other key on which the two versions disagree fails the comparison as undocumented.
const VERSION_DIFFERENCES: &[VersionDifference] = &[
    VersionDifference {
        reader: "ip",
        kind: None,
        path: "xdp.prog.name",
        rule: Rule::NotInCapture,
        why: "ip reads the XDP program's name by bpf(BPF_OBJ_GET_INFO_BY_FD), not from netlink",
    },
    VersionDifference {
        reader: "ip",
        kind: None,
        path: "xdp.prog.tag",
        rule: Rule::NotInCapture,
        why: "ip reads the XDP program's tag by bpf(BPF_OBJ_GET_INFO_BY_FD), not from netlink",
    },
    VersionDifference {
        reader: "ip",
        kind: None,
        path: "xdp.prog.jited",
        rule: Rule::NotInCapture,
        why: "ip reads whether the XDP program is JIT-compiled by bpf(2), not from netlink",
    },
    VersionDifference {
        reader: "ip",
        kind: None,
        path: "xdp.attached.*.prog.name",
        rule: Rule::NotInCapture,
        why: "ip reads the XDP program's name by bpf(BPF_OBJ_GET_INFO_BY_FD), not from netlink",
    },
    VersionDifference {
        reader: "ip",
        kind: None,
        path: "xdp.attached.*.prog.tag",
        rule: Rule::NotInCapture,
        why: "ip reads the XDP program's tag by bpf(BPF_OBJ_GET_INFO_BY_FD), not from netlink",
    },
    VersionDifference {
        reader: "ip",
        kind: None,
        path: "xdp.attached.*.prog.jited",
        rule: Rule::NotInCapture,
        why: "ip reads whether the XDP program is JIT-compiled by bpf(2), not from netlink",
    },
    VersionDifference {
        reader: "tc",
        kind: Some("tbf"),
        path: "options.burst",
        rule: Rule::Newer,
        why: "tc 6.15 rounds when it turns the kernel's buffer time back into bytes \
              (tc_calc_xmitsize), where 6.1 truncated: 16384 where 6.1 printed 16382",
    },
    VersionDifference {
        reader: "tc",
        kind: Some("tbf"),
        path: "options.minburst",
        rule: Rule::Newer,
        why: "the same rounding for tbf's minburst (the peak rate's bucket)",
    },
    VersionDifference {
        reader: "tc",
        kind: Some("tbf"),
        path: "options.lat",
        rule: Rule::Newer,
        why: "tc 6.15 subtracts the buffer's time without truncating it to whole microseconds \
              first: up to 1 us less than 6.1",
    },
    VersionDifference {
        reader: "tc",
        kind: Some("netem"),
        path: "options.delay.delay",
        rule: Rule::Newer,
        why: "tc 6.15 reads the delay in nanoseconds (TCA_NETEM_LATENCY64), 6.1 the struct's \
              64 ns ticks truncated to whole microseconds: 1e-05 where 6.1 printed 9e-06",
    },
    VersionDifference {
        reader: "tc",
        kind: Some("netem"),
        path: "options.delay.jitter",
        rule: Rule::Newer,
        why: "the same for the jitter (TCA_NETEM_JITTER64)",
    },
    VersionDifference {
        reader: "tc",
        kind: Some("taprio"),
        path: "options.schedule.*.cmd",
        rule: Rule::Newer,
        why: "tc 6.15 names the set-and-hold and set-and-release gate commands H and R, 6.1 \
              Invalid",
    },
    VersionDifference {
        reader: "tc",
        kind: Some("fq"),
        path: "options.priomap ",
        rule: Rule::TrailingSpace,
        why: "tc 6.15 prints fq's band priomap under the key \"priomap \" (trailing space)",
    },
    VersionDifference {
        reader: "tc",
        kind: Some("fq"),
        path: "options.weights ",
        rule: Rule::TrailingSpace,
        why: "tc 6.15 prints fq's band weights under the key \"weights \" (trailing space)",
    },
];

/// The documented difference at `path` of an element of `reader` (qdisc `kind`), if any.
fn version_difference(
    reader: &str,
    kind: &str,
    path: &[String],
) -> Option<&'static VersionDifference> {
    VERSION_DIFFERENCES.iter().find(|d| {
        d.reader == reader
            && d.kind.is_none_or(|k| k == kind)
            && d.path.split('.').count() == path.len()
            && d.path.split('.').zip(path).all(|(p, k)| p == "*" || p == k)
    })
}

/// Two JSON values are the same reading: equal, numbers by value and by being integer or not.
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x.as_f64() == y.as_f64() && x.is_f64() == (y.is_f64() && !y.is_u64() && !y.is_i64())
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_value(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_value(v, w)))
        }
        _ => a == b,
    }
}

/// Our element against iproute2 6.1's reading and, when the capture has it, 6.15's: every key
/// either version prints, recursively through objects and arrays, must be ours with the same
/// value (ours may carry more keys, e.g. `xstats_raw`). Where the two versions disagree, the
/// difference must be one of [`VERSION_DIFFERENCES`], which says how ours is compared.
/// Returns every failed comparison, one line each.
fn compare_versions(
    ours: &Value,
    old: Option<&Value>,
    new: Option<&Value>,
    reader: &str,
    context: &str,
) -> Vec<String> {
    let kind = ours["kind"].as_str().unwrap_or_default().to_owned();
    let mut failures = Vec::new();
    let mut walk = Walk {
        reader,
        kind: &kind,
        element: ours,
        context,
        path: Vec::new(),
        failures: &mut failures,
    };
    walk.compare(Some(ours), old, new);
    failures
}

/// [`compare_versions`], failing at once with every failed comparison.
fn assert_versions(
    ours: &Value,
    old: Option<&Value>,
    new: Option<&Value>,
    reader: &str,
    context: &str,
) {
    let failures = compare_versions(ours, old, new, reader, context);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Fails with every message in `failures`, if there are any (the comparisons of a whole
/// test, so that one failing key does not hide the others).
fn assert_none_failed(failures: &std::collections::BTreeSet<String>, what: &str) {
    assert!(
        failures.is_empty(),
        "{} comparisons with {what} failed:\n{}",
        failures.len(),
        failures.iter().cloned().collect::<Vec<_>>().join("\n")
    );
}

/// What `check` returns, or the message it panicked with (a comparison written with
/// assertions, collected with the others instead of ending the test).
fn failure_of<T>(check: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(check)).map_err(|e| {
        e.downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|m| m.to_string()))
            .unwrap_or_else(|| "a comparison failed".to_owned())
    })
}

/// One element's comparison in progress: where it is, and what failed so far.
struct Walk<'a> {
    reader: &'a str,
    kind: &'a str,
    /// Our whole element (tbf's rate bounds its documented difference).
    element: &'a Value,
    context: &'a str,
    path: Vec<String>,
    failures: &'a mut Vec<String>,
}

impl Walk<'_> {
    fn fail(&mut self, message: String) {
        self.failures.push(format!(
            "{}: {}: {message}",
            self.context,
            self.path.join(".")
        ));
    }

    fn compare(&mut self, ours: Option<&Value>, old: Option<&Value>, new: Option<&Value>) {
        let Some(theirs) = new.or(old) else { return };
        let documented = version_difference(self.reader, self.kind, &self.path);
        let why = documented.map_or(String::new(), |d| format!(" ({})", d.why));
        match documented.map(|d| d.rule) {
            Some(Rule::NotInCapture) => return,
            Some(Rule::Newer) => {
                let Some(n) = new else {
                    // iproute2 6.1's reading alone: ours may differ from it only as the README
                    // documents (common::tc_6_1_difference), never more.
                    let path = self.path.join(".");
                    match (ours, old) {
                        (Some(o), Some(t)) if same_value(o, t) => {}
                        (Some(o), Some(t))
                            if common::tc_6_1_difference(self.element, None, &path, o, t) => {}
                        (o, t) => self.fail(format!(
                            "ours {o:?}, iproute2 6.1 {t:?}: more than the documented \
                             difference{why}"
                        )),
                    }
                    return;
                };
                match ours {
                    Some(o) if same_value(o, n) => {}
                    Some(o) => self.fail(format!("ours {o}, iproute2 6.15 {n}, 6.1 {old:?}{why}")),
                    None => self.fail(format!("missing in ours, iproute2 6.15 prints {n}{why}")),
                }
                return;
            }
            Some(Rule::TrailingSpace) | None => {}
        }
        let Some(ours) = ours else {
            return self.fail(format!("missing in ours, iproute2 prints {theirs}{why}"));
        };
        let both_objects = old.is_none_or(Value::is_object) && new.is_none_or(Value::is_object);
        let both_arrays = old.is_none_or(Value::is_array) && new.is_none_or(Value::is_array);
        if both_objects {
            let Some(mine) = ours.as_object() else {
                return self.fail(format!("ours {ours} is not an object like {theirs}"));
            };
            let (o, n) = (
                old.and_then(Value::as_object),
                new.and_then(Value::as_object),
            );
            let mut keys: Vec<&String> = o.into_iter().flat_map(|m| m.keys()).collect();
            for k in n.into_iter().flat_map(|m| m.keys()) {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
            for k in keys {
                self.path.push(k.clone());
                let rule = version_difference(self.reader, self.kind, &self.path).map(|d| d.rule);
                let ours_key = match rule {
                    Some(Rule::TrailingSpace) => k.trim_end(),
                    _ => k.as_str(),
                };
                self.compare(
                    mine.get(ours_key),
                    o.and_then(|m| m.get(k)),
                    n.and_then(|m| m.get(k)),
                );
                self.path.pop();
            }
        } else if both_arrays {
            let (o, n) = (old.and_then(Value::as_array), new.and_then(Value::as_array));
            if let (Some(o), Some(n)) = (o, n)
                && o.len() != n.len()
            {
                return self.fail(format!(
                    "undocumented difference between iproute2 6.1 ({old:?}) and 6.15 ({new:?})"
                ));
            }
            let len = n.or(o).map_or(0, Vec::len);
            match ours.as_array() {
                Some(mine) if mine.len() == len => {
                    for i in 0..len {
                        self.path.push(i.to_string());
                        self.compare(
                            mine.get(i),
                            o.and_then(|a| a.get(i)),
                            n.and_then(|a| a.get(i)),
                        );
                        self.path.pop();
                    }
                }
                _ => self.fail(format!("ours {ours}, iproute2 {theirs}")),
            }
        } else {
            if let (Some(o), Some(n)) = (old, new)
                && !same_value(o, n)
            {
                return self.fail(format!(
                    "undocumented difference between iproute2 6.1 ({o}) and 6.15 ({n}); ours {ours}"
                ));
            }
            if !same_value(ours, theirs) {
                self.fail(format!("ours {ours}, iproute2 {theirs}{why}"));
            }
        }
    }
}

/// A JSON reading of iproute2 beside `pcap`: 6.1's in `NAME.SUFFIX`, 6.15's if present.
fn json_readings(pcap: &Path, suffix: &str) -> (Value, Option<Value>) {
    let read = |p: &Path| -> Value {
        serde_json::from_str(&std::fs::read_to_string(p).expect("oracle"))
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    };
    (
        read(&pcap.with_extension(suffix)),
        newer_reading(pcap, suffix).map(|p| read(&p)),
    )
}

fn replay(pcap: &Path, extra: &[&str]) -> (Output, PathBuf) {
    let out_file = scratch("replay").join("replay.jsonl");
    let out = run(Command::new(bin())
        .arg("--replay")
        .arg(pcap)
        .args(["-c", "-j", "--file-name"])
        .arg(&out_file)
        .args(extra));
    (out, out_file)
}

/// Replay `pcap` with `args`: it must succeed and yield the samples its description records.
fn replay_recorded(pcap: &Path, args: &[&str]) -> Vec<Value> {
    let (out, file) = replay(pcap, args);
    assert!(
        out.status.success(),
        "{}: {}",
        pcap.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let records = json_lines(&file);
    assert_eq!(records.len(), recorded_samples(pcap), "{}", pcap.display());
    records
}

/// The interfaces whose counters grow with the recording itself (the nlmon device a capture
/// was taken through): the `moving:` line of the description, names before the remark.
fn moving_links(pcap: &Path) -> Vec<String> {
    described_if_any(pcap, "moving")
        .map(|v| {
            v.split_whitespace()
                .take_while(|w| !w.starts_with('('))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// A link whose counters moved during the recording: every key but `stats64` as iproute2
/// printed it (both versions; the failed comparisons are returned), and every counter at most
/// what each version read after the recording.
fn compare_moving_link(
    ours: &Value,
    old: &Value,
    new: Option<&Value>,
    context: &str,
) -> Vec<String> {
    let without_counters = |l: &Value| {
        let mut l = l.clone();
        if let Some(o) = l.as_object_mut() {
            o.remove("stats64");
        }
        l
    };
    let failures = compare_versions(
        &without_counters(ours),
        Some(&without_counters(old)),
        new.map(without_counters).as_ref(),
        "ip",
        context,
    );
    fn at_most(o: &Value, t: &Value, context: &str) {
        match (o, t) {
            (Value::Object(o), Value::Object(t)) => {
                assert_eq!(o.len(), t.len(), "{context}: keys");
                for (k, tv) in t {
                    at_most(&o[k], tv, &format!("{context}.{k}"));
                }
            }
            _ => {
                let (a, b) = (o.as_u64().expect("counter"), t.as_u64().expect("counter"));
                assert!(a <= b, "{context}: {a} > ip's later {b}");
            }
        }
    }
    for theirs in std::iter::once(old).chain(new) {
        at_most(
            &ours["stats64"],
            &theirs["stats64"],
            &format!("{context} {}", theirs["ifname"]),
        );
    }
    failures
}

/// The elements of a reading (a JSON array), kept when `keep` says so.
fn elements(reading: &Value, keep: impl Fn(&Value) -> bool) -> Vec<Value> {
    reading
        .as_array()
        .expect("a JSON array")
        .iter()
        .filter(|l| keep(l))
        .cloned()
        .collect()
}

/// The protodown reason names the capture VM gives ip (`captures/vm/record.sh` writes them to
/// the guest's /etc/iproute2/protodown_reasons.d): bit number by name, read from that script.
fn vm_protodown_reason_names() -> Vec<(String, String)> {
    let script = std::fs::read_to_string(captures_dir().join("vm/record.sh")).expect("record.sh");
    let line = script
        .lines()
        .find(|l| l.contains("printf") && l.contains("protodown_reasons.d/"))
        .expect("record.sh writes the protodown reason names");
    let table = line.split('\'').nth(1).expect("printf '...'");
    table
        .split("\\n")
        .filter_map(|entry| {
            let (number, name) = entry.split_once(' ')?;
            Some((name.to_owned(), number.to_owned()))
        })
        .collect()
}

/// ip's reading of a link with its protodown reasons by number: netstatspy prints them so
/// (README, "Protodown reasons"), where ip on the capture VM printed the names of its
/// configuration.
fn reasons_by_number(mut link: Value, names: &[(String, String)]) -> Value {
    if let Some(reasons) = link
        .get_mut("proto_down_reason")
        .and_then(Value::as_array_mut)
    {
        for r in reasons {
            if let Some((_, number)) = names.iter().find(|(name, _)| r == name.as_str()) {
                *r = Value::String(number.clone());
            }
        }
    }
    link
}

/// A replayed XDP program is its id and nothing else (README, "XDP programs"): the name, tag
/// and JIT state come from bpf(2), not from the capture, and the ids are the recording
/// host's. The failures, one line each.
fn replayed_programs_have_ids_only(ours: &Value, context: &str) -> Vec<String> {
    let Some(xdp) = ours.get("xdp") else {
        return Vec::new();
    };
    let attached = xdp["attached"].as_array().cloned().unwrap_or_default();
    std::iter::once(xdp.get("prog"))
        .chain(attached.iter().map(|a| a.get("prog")))
        .flatten()
        .filter(|p| {
            p.as_object()
                .is_none_or(|o| o.len() != 1 || !o.contains_key("id"))
        })
        .map(|p| format!("{context}: a replayed XDP program is its id only: {p}"))
        .collect()
}

#[test]
fn replayed_captures_equal_iproute2_readings() {
    let mut all_failures = BTreeSet::new();
    for pcap in link_captures() {
        let (old, new) = json_readings(&pcap, "ip-s-s-j-link.json");
        // Replayed with the options it was recorded with, a capture yields the recorded samples.
        let options = described(&pcap, "options");
        let options: Vec<&str> = options.split_whitespace().collect();
        let iface = options
            .iter()
            .position(|o| *o == "--iface")
            .map(|i| options[i + 1]);
        let keep = |l: &Value| iface.is_none_or(|i| l["ifname"] == i);
        let (old, new) = (elements(&old, keep), new.map(|n| elements(&n, keep)));
        let reason_names = vm_protodown_reason_names();
        let by_number = |r: Vec<Value>| -> Vec<Value> {
            r.into_iter()
                .map(|l| reasons_by_number(l, &reason_names))
                .collect()
        };
        let (old, new) = (by_number(old), new.map(by_number));
        if let Some(new) = &new {
            let names = |r: &[Value]| r.iter().map(|l| l["ifname"].clone()).collect::<Vec<_>>();
            assert_eq!(
                names(&old),
                names(new),
                "{}: iproute2 6.1 and 6.15 read the same links",
                pcap.display()
            );
        }
        let records = replay_recorded(&pcap, &options);
        let moving = moving_links(&pcap);
        let mut last_ts = 0.0;
        let mut failures = BTreeSet::new();
        for r in &records {
            assert_eq!(r["type"], "ip");
            // Replayed records carry the recorded times.
            let ts = r["timestamp"].as_f64().expect("timestamp");
            assert!(ts > 1.7e9 && ts >= last_ts, "{ts}");
            last_ts = ts;
            let stats = r["stats"].as_array().expect("stats");
            let context = format!("{} sample {}", pcap.display(), r["sample"]);
            let mut names: Vec<String> = stats.iter().map(|l| l["ifname"].to_string()).collect();
            let mut expected: Vec<String> = old.iter().map(|l| l["ifname"].to_string()).collect();
            names.sort();
            expected.sort();
            assert_eq!(names, expected, "{context}: interface sets differ");
            for (i, theirs) in old.iter().enumerate() {
                let ours = stats
                    .iter()
                    .find(|l| l["ifindex"] == theirs["ifindex"])
                    .expect("same ifindex");
                let newer = new.as_ref().map(|n| &n[i]);
                // Every sample reads the same settled links: one line per failed comparison.
                let context = format!("{} {}", pcap.display(), theirs["ifname"]);
                failures.extend(replayed_programs_have_ids_only(ours, &context));
                if moving.iter().any(|m| theirs["ifname"] == m.as_str()) {
                    failures.extend(compare_moving_link(ours, theirs, newer, &context));
                } else {
                    failures.extend(compare_versions(ours, Some(theirs), newer, "ip", &context));
                }
            }
        }
        all_failures.extend(failures);
    }
    assert_none_failed(&all_failures, "iproute2's link readings");
}

/// Keys of our ip elements that ip prints only with `-d` (a device's bus and its name on it).
const DETAILED_KEYS: &[&str] = &["parentbus", "parentdev"];

/// Where the VM's link captures have `ip -d -s -s -j link show` beside them (both versions),
/// every [`DETAILED_KEYS`] key it prints is ours with the same value, and ours has none it
/// does not print.
#[test]
fn replayed_links_carry_the_keys_ip_prints_with_details() {
    let mut failures = BTreeSet::new();
    let pcaps = captures_with("ip-d-s-s-j-link.json");
    for pcap in pcaps {
        let (old, new) = json_readings(&pcap, "ip-d-s-s-j-link.json");
        let options = described(&pcap, "options");
        let options: Vec<&str> = options.split_whitespace().collect();
        let records = replay_recorded(&pcap, &options);
        let stats = records[0]["stats"].as_array().expect("stats");
        let mut seen = 0;
        for (version, reading) in
            std::iter::once(("6.1", &old)).chain(new.iter().map(|n| ("6.15", n)))
        {
            for theirs in reading.as_array().expect("links") {
                let ours = stats
                    .iter()
                    .find(|l| l["ifindex"] == theirs["ifindex"])
                    .expect("same ifindex");
                for key in DETAILED_KEYS {
                    seen += usize::from(theirs.get(*key).is_some());
                    if ours.get(*key) != theirs.get(*key) {
                        failures.insert(format!(
                            "{} {}: {key}: ours {:?}, ip {version} -d {:?}",
                            pcap.display(),
                            theirs["ifname"],
                            ours.get(*key),
                            theirs.get(*key)
                        ));
                    }
                }
            }
        }
        assert!(
            seen > 0,
            "{}: ip -d printed no {DETAILED_KEYS:?}",
            pcap.display()
        );
    }
    assert_none_failed(&failures, "ip -d");
}

/// One qdisc as tc printed it: its JSON object, or, where tc's JSON for it is not valid JSON
/// (iproute2 6.1 prints hfsc's `default` as bare text inside `"options"`), its block of
/// `tc -s qdisc show` text output.
enum TcReading {
    Json(Value),
    Text(String),
}

/// The top-level `{...}` objects of a JSON array, cut by brace depth outside strings, so that
/// one malformed object does not hide the others.
fn json_objects(text: &str) -> Vec<&str> {
    let (mut depth, mut start, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    let mut objects = Vec::new();
    for (i, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    objects.push(&text[start..=i]);
                }
            }
            _ => {}
        }
    }
    objects
}

/// tc's reading beside `pcap`, qdisc by qdisc: iproute2 6.1's (`version` `None`), or the
/// reading of `NAME.VERSION.tc-s-j-qdisc.json` (and its text beside it), if the capture has one.
fn tc_readings(pcap: &Path, version: Option<&str>) -> Option<Vec<TcReading>> {
    let file = |suffix: &str| match version {
        Some(v) => pcap.with_extension(format!("{v}.{suffix}")),
        None => pcap.with_extension(suffix),
    };
    let json = std::fs::read_to_string(file("tc-s-j-qdisc.json")).ok()?;
    if let Ok(Value::Array(all)) = serde_json::from_str::<Value>(&json) {
        return Some(all.into_iter().map(TcReading::Json).collect());
    }
    let text_file = file("tc-s-qdisc.txt");
    let text = std::fs::read_to_string(&text_file).unwrap_or_else(|_| {
        panic!(
            "{}: tc's JSON is malformed and no text reading ({}) is beside it",
            pcap.display(),
            text_file.display()
        )
    });
    let blocks: Vec<String> = text
        .split("\nqdisc ")
        .map(|b| format!("qdisc {}", b.trim_start_matches("qdisc ")))
        .collect();
    let objects = json_objects(&json);
    assert_eq!(
        objects.len(),
        blocks.len(),
        "{}: the JSON and text readings hold the same qdiscs",
        text_file.display()
    );
    let readings = objects
        .into_iter()
        .zip(blocks)
        .map(|(o, block)| match serde_json::from_str(o) {
            Ok(v) => TcReading::Json(v),
            Err(e) => {
                eprintln!(
                    "{}: tc's JSON for `{}` is malformed ({e}); compared with tc's text output",
                    pcap.display(),
                    block.lines().next().unwrap_or_default().trim()
                );
                TcReading::Text(block)
            }
        })
        .collect();
    Some(readings)
}

/// Our qdisc against its block of `tc -s qdisc show`: the header (kind, handle, dev,
/// root/parent, refcnt, then every option as `name value`, which must be ours), the `Sent`
/// line and the `backlog` line.
fn assert_text_qdisc(ours: &Value, block: &str, context: &str) {
    let mut lines = block.lines();
    let header: Vec<&str> = lines.next().expect("header").split_whitespace().collect();
    assert_eq!(header[0], "qdisc", "{context}");
    assert_eq!(ours["kind"], header[1], "{context}: kind");
    assert_eq!(ours["handle"], header[2], "{context}: handle");
    assert_eq!(
        (header[3], &ours["dev"]),
        ("dev", &Value::from(header[4])),
        "{context}: dev"
    );
    let mut rest = &header[5..];
    match rest {
        ["root", tail @ ..] => {
            assert_eq!(ours["root"], true, "{context}: root");
            rest = tail;
        }
        ["parent", p, tail @ ..] => {
            assert_eq!(ours["parent"], *p, "{context}: parent");
            rest = tail;
        }
        _ => panic!("{context}: no root/parent in {header:?}"),
    }
    if let ["refcnt", n, tail @ ..] = rest {
        assert_eq!(
            ours["refcnt"].as_u64().unwrap_or(1).to_string(),
            *n,
            "{context}: refcnt"
        );
        rest = tail;
    }
    assert!(rest.len().is_multiple_of(2), "{context}: options {rest:?}");
    for pair in rest.chunks(2) {
        let value = &ours["options"][pair[0]];
        let shown = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        assert_eq!(shown, pair[1], "{context}: option {}", pair[0]);
    }
    let numbers = |line: &str| -> Vec<u64> {
        line.split(|c: char| !c.is_ascii_digit())
            .filter(|w| !w.is_empty())
            .map(|w| w.parse().expect("number"))
            .collect()
    };
    let sent = lines.next().expect("Sent line");
    assert!(sent.trim_start().starts_with("Sent "), "{context}: {sent}");
    let keys = ["bytes", "packets", "drops", "overlimits", "requeues"];
    for (k, v) in keys.iter().zip(numbers(sent)) {
        assert_eq!(ours[*k], v, "{context}: {k}");
    }
    let backlog = lines.next().expect("backlog line");
    assert!(
        backlog.trim_start().starts_with("backlog "),
        "{context}: {backlog}"
    );
    for (k, v) in ["backlog", "qlen", "requeues"].iter().zip(numbers(backlog)) {
        assert_eq!(ours[*k], v, "{context}: {k}");
    }
}

#[test]
fn replayed_tc_captures_equal_tc_readings() {
    let mut failures = BTreeSet::new();
    for pcap in captures_with("tc-s-j-qdisc.json") {
        let old = tc_readings(&pcap, None).expect("tc's reading");
        let new = tc_readings(&pcap, Some(NEWER));
        if let Some(new) = &new {
            assert_eq!(
                old.len(),
                new.len(),
                "{}: tc 6.1 and 6.15 read the same qdiscs",
                pcap.display()
            );
        }
        let options = described(&pcap, "options");
        let options: Vec<&str> = options.split_whitespace().collect();
        let records = replay_recorded(&pcap, &options);
        for r in &records {
            assert_eq!(r["type"], "tc");
            let ours = r["stats"].as_array().expect("stats");
            assert_eq!(ours.len(), old.len(), "{}: same qdiscs", pcap.display());
            for (i, (o, t)) in ours.iter().zip(&old).enumerate() {
                // Every sample reads the same settled qdiscs: one line per failed comparison.
                let context = format!(
                    "{} {} {} {}",
                    pcap.display(),
                    o["dev"],
                    o["kind"],
                    o["handle"]
                );
                // Where a version's JSON is malformed, that version's text block is compared
                // instead, and the other version's JSON on its own.
                let (mut old_json, mut new_json) = (None, None);
                match t {
                    TcReading::Json(t) => old_json = Some(t),
                    TcReading::Text(block) => {
                        failures.extend(failure_of(|| assert_text_qdisc(o, block, &context)).err())
                    }
                }
                match new.as_ref().map(|n| &n[i]) {
                    Some(TcReading::Json(n)) => {
                        assert_eq!(
                            (&n["dev"], &n["handle"]),
                            (&o["dev"], &o["handle"]),
                            "{context}: tc 6.15's qdisc in the same place"
                        );
                        new_json = Some(n);
                    }
                    Some(TcReading::Text(block)) => failures.extend(
                        failure_of(|| assert_text_qdisc(o, block, &format!("{context} (tc 6.15)")))
                            .err(),
                    ),
                    None => {}
                }
                if old_json.is_some() || new_json.is_some() {
                    failures.extend(compare_versions(o, old_json, new_json, "tc", &context));
                }
            }
        }
    }
    assert_none_failed(&failures, "tc's readings");
}

/// The text fallback can fail: a changed counter or option is caught.
#[test]
fn text_qdisc_comparison_catches_differences() {
    let block = "qdisc hfsc 1: dev q0 root refcnt 2 default 20 \n Sent 500 bytes 7 pkt (dropped 1, overlimits 2 requeues 0) \n backlog 0b 0p requeues 0";
    let ours = serde_json::json!({"kind": "hfsc", "handle": "1:", "dev": "q0", "root": true,
        "refcnt": 2, "options": {"default": "20"}, "bytes": 500, "packets": 7, "drops": 1,
        "overlimits": 2, "requeues": 0, "backlog": 0, "qlen": 0});
    assert_text_qdisc(&ours, block, "same");
    for (path, wrong) in [
        ("bytes", serde_json::json!(501)),
        ("overlimits", serde_json::json!(3)),
    ] {
        let mut changed = ours.clone();
        changed[path] = wrong;
        let r = std::panic::catch_unwind(|| assert_text_qdisc(&changed, block, "changed"));
        assert!(r.is_err(), "{path} changed must fail");
    }
    let mut changed = ours.clone();
    changed["options"]["default"] = "21".into();
    assert!(std::panic::catch_unwind(|| assert_text_qdisc(&changed, block, "x")).is_err());
}

/// The two-version comparison can fail: a value of either version's, a key only one version
/// prints, and a disagreement between the versions that no documented difference names.
#[test]
fn version_comparison_catches_differences() {
    use serde_json::json;
    let fails = |ours: &Value, old: &Value, new: &Value| {
        std::panic::catch_unwind(|| assert_versions(ours, Some(old), Some(new), "tc", "x")).is_err()
    };
    let old = json!({"kind": "fq", "options": {"limit": 10}, "bytes": 5});
    let new = json!({"kind": "fq", "options": {"limit": 10, "priomap ": [1, 2], "horizon": 3},
        "bytes": 5, "band0_pkts": 0});
    let ours = json!({"kind": "fq", "options": {"limit": 10, "priomap": [1, 2], "horizon": 3},
        "bytes": 5, "band0_pkts": 0, "xstats_raw": "00"});
    assert!(
        !fails(&ours, &old, &new),
        "the union of both, fq's priomap without the space"
    );
    let mut missing = ours.clone();
    missing
        .as_object_mut()
        .expect("object")
        .remove("band0_pkts");
    assert!(fails(&missing, &old, &new), "a key only 6.15 prints");
    let mut wrong = ours.clone();
    wrong["options"]["priomap"] = json!([1, 3]);
    assert!(fails(&wrong, &old, &new), "a value under a renamed key");
    wrong = ours.clone();
    wrong["bytes"] = json!(5.0);
    assert!(fails(&wrong, &old, &new), "an integer written as a float");
    let mut disagree = new.clone();
    disagree["options"]["limit"] = json!(11);
    assert!(
        fails(&ours, &old, &disagree),
        "an undocumented version difference"
    );
    // XDP: the program's id and mode from netlink are compared, its name, tag and JIT state
    // (from bpf(2)) are not.
    let prog = json!({"id": 7, "name": "p", "tag": "00", "jited": 1});
    let ip = json!({"ifname": "a", "xdp": {"mode": 2, "prog": prog,
        "attached": [{"mode": 2, "prog": prog}]}});
    let ours = json!({"ifname": "a", "xdp": {"mode": 2, "prog": {"id": 7},
        "attached": [{"mode": 2, "prog": {"id": 7}}]}});
    let ip_fails = |ours: &Value| {
        std::panic::catch_unwind(|| assert_versions(ours, Some(&ip), Some(&ip), "ip", "x")).is_err()
    };
    assert!(!ip_fails(&ours));
    let mut wrong = ours.clone();
    wrong["xdp"]["attached"][0]["prog"]["id"] = json!(8);
    assert!(ip_fails(&wrong), "the attached program's id");
    // A documented difference (tbf's burst): ours follows 6.15.
    let old = json!({"kind": "tbf", "options": {"burst": 16382}});
    let new = json!({"kind": "tbf", "options": {"burst": 16384}});
    assert!(!fails(&new, &old, &new));
    assert!(fails(&old, &old, &new));
}

#[test]
fn replayed_ss_captures_equal_ss_readings() {
    let mut failures = BTreeSet::new();
    for pcap in captures_with("ss.after.txt") {
        let read = |suffix: &str| {
            common::ss::parse_ss(
                &std::fs::read_to_string(pcap.with_extension(suffix)).expect("oracle"),
            )
        };
        // iproute2 6.1's readings, and 6.15's where the capture has them.
        let mut versions = vec![(
            common::ss::Ss::V6_1,
            read("ss.before.txt"),
            read("ss.after.txt"),
        )];
        if newer_reading(&pcap, "ss.after.txt").is_some() {
            versions.push((
                common::ss::Ss::V6_15,
                read(&format!("{NEWER}.ss.before.txt")),
                read(&format!("{NEWER}.ss.after.txt")),
            ));
        }
        let records = replay_recorded(&pcap, &["--no-ip", "--ss"]);
        let ours = common::ss::keyed(&records[0]["stats"]);
        // TCP-MD5 keys where ss 6.1 printed them: ahead of its lines, in the sockets' order.
        let after_text = std::fs::read_to_string(pcap.with_extension("ss.after.txt")).expect("ss");
        let leaked = common::ss::leaked_md5_keys(&after_text);
        assert_eq!(
            leaked,
            common::ss::md5_keys_as_ss_leaks(&records[0]["stats"]),
            "{}: md5 keys as ss printed them",
            pcap.display()
        );
        let mut keys: Vec<_> = ours.keys().cloned().collect();
        keys.sort();
        let mut timers = Vec::new();
        for (version, before, after) in &versions {
            let mut expected: Vec<_> = after.keys().cloned().collect();
            expected.sort();
            assert_eq!(
                keys,
                expected,
                "{}: the same sockets as ss {version:?}",
                pcap.display()
            );
            for (key, s) in &ours {
                let ctx = format!("{} ss {version:?} {key:?}", pcap.display());
                // One socket's first failed comparison, and on to the next socket.
                let checked = failure_of(|| {
                    // Every token ss printed is one the comparison reads.
                    common::ss::assert_tokens_compared(s, &before[key], &ctx);
                    common::ss::assert_tokens_compared(s, &after[key], &ctx);
                    common::ss::assert_socket_by(s, &before[key], &after[key], &ctx, *version)
                });
                match checked {
                    Ok(timer) => timers.extend(timer),
                    Err(failure) => {
                        failures.insert(failure);
                    }
                }
            }
        }
        // Every capture holds keepalive and retransmit timers, IPv6 and UDP sockets.
        assert!(
            timers.iter().any(|t| t == "keepalive"),
            "{}: {timers:?}",
            pcap.display()
        );
        assert!(
            timers.iter().any(|t| t == "on"),
            "{}: {timers:?}",
            pcap.display()
        );
        assert!(
            keys.iter().any(|k| k.1.starts_with('[')),
            "{}: IPv6",
            pcap.display()
        );
        assert!(keys.iter().any(|k| k.0 == "udp"), "{}: UDP", pcap.display());
        let name = pcap.to_string_lossy();
        if name.contains("bound-md5-mptcp") || name.contains("ss-extra") {
            // Bound sockets both ways over IPv4 and IPv6, MD5 over both (one with two keys),
            // MPTCP subflows over both.
            let count = |f: &dyn Fn(&Value) -> bool| ours.values().filter(|s| f(s)).count();
            assert_eq!(count(&|s| s["local"]["ifname"] == "vc0"), 4);
            assert_eq!(count(&|s| s.get("md5keys").is_some()), 4);
            assert_eq!(count(&|s| s["ulp"]["name"] == "mptcp"), 4);
            assert!(!leaked.is_empty());
        }
        if pcap.to_string_lossy().contains("short") {
            for s in ours.values().filter(|s| s["netid"] == "tcp") {
                assert_eq!(s["tcp_info"]["len"], 104);
                assert!(s["tcp_info"].get("pacing_rate").is_none());
                assert!(s["tcp_info"].get("total_retrans").is_some());
            }
        }
    }
    assert_none_failed(&failures, "ss's readings");
}

#[test]
fn replay_honours_iface() {
    let pcap = captures_dir().join("link-kinds.pcap");
    let ip: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(pcap.with_extension("ip-s-s-j-link.json")).expect("oracle"),
    )
    .expect("oracle JSON");
    let va0 = ip.iter().find(|l| l["ifname"] == "va0").expect("va0");
    let (out, file) = replay(&pcap, &["--iface", "va0"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for r in json_lines(&file) {
        let stats = r["stats"].as_array().expect("stats");
        assert_eq!(stats.len(), 1);
        assert_same_link(&stats[0], va0, "--iface va0 replay");
    }
}

/// tshark's reading of `pcap`: a line per frame, its protocols and `field`, tab-separated.
fn tshark_fields(pcap: &Path, field: &str) -> String {
    let out = run(Command::new("tshark").arg("-r").arg(pcap).args([
        "-T",
        "fields",
        "-e",
        "frame.protocols",
        "-e",
        field,
    ]));
    assert!(
        out.status.success(),
        "tshark -r {}: {}",
        pcap.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
#[cfg_attr(not(have_tshark), ignore = "needs tshark (apt-get install tshark)")]
fn every_capture_is_valid_pcap_for_tshark() {
    require(&[Need::Tshark]);
    for pcap in all_captures() {
        let text = tshark_fields(&pcap, "netlink.hdr_len");
        assert!(text.lines().count() >= 4, "{text}");
        for line in text.lines() {
            // Every frame is dissected as netlink, with its message headers read.
            let protocols = line.split('\t').next().unwrap_or("");
            assert!(
                protocols.split(':').next() == Some("netlink"),
                "{}: {line}",
                pcap.display()
            );
            assert!(
                line.split('\t').nth(1).is_some_and(|t| !t.is_empty()),
                "{line}"
            );
        }
        let route = text
            .lines()
            .filter(|l| l.contains("netlink-route") || l.contains("netlink-sock_diag"))
            .count();
        assert!(
            route >= 2,
            "requests and link replies dissected as rtnetlink: {text}"
        );
    }
}

/// Copy `pcap` to a scratch file, applying `damage` to the data of packet `index`.
fn damaged(pcap: &Path, index: usize, damage: impl Fn(&mut Vec<u8>)) -> PathBuf {
    let mut reader =
        PcapReader::new(BufReader::new(File::open(pcap).expect("open"))).expect("pcap");
    let header = reader.header();
    let path = scratch("damaged").join("damaged.pcap");
    let mut out = Vec::new();
    header.write_to(&mut out).expect("header");
    let mut i = 0;
    while let Some(p) = reader.next_packet() {
        let p = p.expect("packet");
        let mut data = p.data.to_vec();
        if i == index {
            damage(&mut data);
        }
        PcapPacket::new(p.timestamp, data.len() as u32, &data)
            .write_to::<_, byteorder::NativeEndian>(&mut out, header.ts_resolution, header.snaplen)
            .expect("packet");
        i += 1;
    }
    File::create(&path)
        .expect("create")
        .write_all(&out)
        .expect("write");
    path
}

/// Offset of the first netlink message in a packet (after the 16-byte cooked header).
const NL: usize = 16;

fn assert_clear_failure(out: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("netstatspy: error: ") && err.contains(needle),
        "{err}"
    );
}

#[test]
fn truncated_message_is_a_clear_error() {
    let pcap = captures_dir().join("link-kinds.pcap");
    // Packet 1 is the first RTM_GETLINK reply datagram; cut it in the middle of a message.
    let bad = damaged(&pcap, 1, |d| d.truncate(d.len() - 100));
    let (out, _) = replay(&bad, &[]);
    assert_clear_failure(&out, "malformed reply");
}

#[test]
fn bad_message_length_is_a_clear_error() {
    let pcap = captures_dir().join("link-kinds.pcap");
    let bad = damaged(&pcap, 1, |d| {
        d[NL..NL + 4].copy_from_slice(&8u32.to_ne_bytes())
    });
    let (out, _) = replay(&bad, &[]);
    assert_clear_failure(&out, "bad length");
}

#[test]
fn unknown_attribute_is_skipped() {
    let pcap = captures_dir().join("link-kinds.pcap");
    // The first attribute of the first link message (after nlmsghdr and ifinfomsg) is
    // IFLA_IFNAME (3); renumber it to a type no kernel has sent yet.
    let bad = damaged(&pcap, 1, |d| {
        let at = NL + 16 + 16;
        assert_eq!(
            u16::from_ne_bytes([d[at + 2], d[at + 3]]),
            3,
            "IFLA_IFNAME first"
        );
        d[at + 2..at + 4].copy_from_slice(&0x3ff0u16.to_ne_bytes());
    });
    let (out, file) = replay(&bad, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records = json_lines(&file);
    let first = records[0]["stats"].as_array().expect("stats");
    // The link lost its name and nothing else.
    assert_eq!(first[0]["ifname"], "");
    assert_eq!(first[0]["ifindex"], 1);
    assert_eq!(first[0]["mtu"], 65536);
    assert_eq!(first[1]["ifname"], "va0");
}

#[test]
fn damaged_files_are_clear_errors() {
    let dir = scratch("notpcap");
    let text = dir.join("text.pcap");
    std::fs::write(&text, "not a capture").expect("write");
    let (out, _) = replay(&text, &[]);
    assert_clear_failure(&out, "not a pcap file");

    let ether = dir.join("ether.pcap");
    let mut bytes = Vec::new();
    pcap_file::pcap::PcapHeader::default()
        .write_to(&mut bytes)
        .expect("header");
    std::fs::write(&ether, bytes).expect("write");
    let (out, _) = replay(&ether, &[]);
    assert_clear_failure(&out, "not LINKTYPE_NETLINK");

    let missing = dir.join("missing.pcap");
    let (out, _) = replay(&missing, &[]);
    assert_clear_failure(&out, "missing.pcap");

    // A capture cut short in the middle of a packet replays what precedes the cut.
    let pcap = captures_dir().join("link-kinds.pcap");
    let bytes = std::fs::read(&pcap).expect("read");
    let cut = dir.join("cut.pcap");
    std::fs::write(&cut, &bytes[..bytes.len() - 10]).expect("write");
    let (out, file) = replay(&cut, &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("partial packet"), "{err}");
    assert_eq!(json_lines(&file).len(), recorded_samples(&pcap) - 1);
}

#[test]
fn replay_of_a_recording_reproduces_the_live_json() {
    let dir = scratch("record");
    let pcap = dir.join("run.pcap");
    let live = dir.join("live.jsonl");
    let out = run(Command::new(bin())
        .args(["-c", "-j", "-f", "20", "-t", "0.5", "--record"])
        .arg(&pcap)
        .arg("--file-name")
        .arg(&live));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (out, replayed) = replay(&pcap, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let live = json_lines(&live);
    let replayed = json_lines(&replayed);
    // Ten slots; on a busy machine one may have been skipped (and reported).
    assert!(live.len() >= 8 && live.len() <= 10, "{}", live.len());
    assert_eq!(replayed.len(), live.len());
    // A replay numbers the samples it holds in order; the live run's numbers have a gap where a
    // slot was skipped.
    let gapless = live
        .iter()
        .enumerate()
        .all(|(i, l)| l["sample"] == i as u64);
    for (l, r) in live.iter().zip(&replayed) {
        assert_eq!(l["type"], r["type"]);
        if gapless {
            assert_eq!(l["sample"], r["sample"]);
        }
        assert_eq!(l["stats"], r["stats"], "sample {}", l["sample"]);
        // The replay's time is the recorded request's, a moment after the live read began.
        let (lt, rt) = (
            l["timestamp"].as_f64().expect("ts"),
            r["timestamp"].as_f64().expect("ts"),
        );
        assert!((rt - lt).abs() < 0.005, "{lt} vs {rt}");
    }
}

/// Every capture replayed with the options it was recorded with writes exactly the bytes of the
/// reference in tests/golden/json (see its README): the JSON writer keeps every key, its order,
/// omission rules and number formats. With `NETSTATSPY_BLESS=1` in the environment, the test
/// writes the references instead (for a deliberate change of the output, or new captures).
#[test]
fn replayed_json_is_byte_identical_to_the_reference() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/json");
    let bless = std::env::var_os("NETSTATSPY_BLESS").is_some_and(|v| v == "1");
    let mut pcaps: Vec<PathBuf> = std::fs::read_dir(captures_dir())
        .expect("captures/ exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "pcap"))
        .collect();
    pcaps.sort();
    assert!(pcaps.len() >= 20, "captures are missing: {pcaps:?}");
    for pcap in pcaps {
        let name = capture_name(&pcap);
        let options = recorded_options(&pcap);
        let args: Vec<&str> = options.iter().map(String::as_str).collect();
        let (out, file) = replay(&pcap, &args);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The run's header and summary name the host and times of this replay: the samples'
        // records are what the reference pins.
        let ours: Vec<u8> = std::fs::read_to_string(&file)
            .expect("replayed JSON")
            .lines()
            .filter(|l| {
                !l.starts_with(r#"{"type":"run","#) && !l.starts_with(r#"{"type":"run_summary","#)
            })
            .flat_map(|l| l.bytes().chain(std::iter::once(b'\n')))
            .collect();
        if bless {
            std::fs::write(golden.join(format!("{name}.jsonl")), &ours).expect("write reference");
            continue;
        }
        let reference = std::fs::read(golden.join(format!("{name}.jsonl")))
            .unwrap_or_else(|e| panic!("{name}: no reference JSON: {e}"));
        if ours != reference {
            let ours = String::from_utf8_lossy(&ours);
            let reference = String::from_utf8_lossy(&reference);
            let (line, (o, r)) = ours
                .lines()
                .chain(std::iter::repeat(""))
                .zip(reference.lines().chain(std::iter::repeat("")))
                .enumerate()
                .find(|(_, (o, r))| o != r)
                .expect("a differing line");
            let at = o.bytes().zip(r.bytes()).take_while(|(a, b)| a == b).count();
            let tail = |s: &str| {
                s.chars()
                    .skip(at.saturating_sub(80))
                    .take(240)
                    .collect::<String>()
            };
            panic!(
                "{name}: line {} differs from the reference at byte {at}:\n ours: …{}\n  ref: …{}",
                line + 1,
                tail(o),
                tail(r)
            );
        }
    }
}

/// The allowance for iproute2 6.1's readings takes the differences the README documents and
/// nothing broader: other keys, other kinds, and wider gaps still fail.
#[test]
fn documented_6_1_differences_are_narrow() {
    use serde_json::json;
    let tbf = json!({"kind": "tbf", "options": {"rate": 2_500_000}});
    let netem = json!({"kind": "netem", "options": {}});
    let allowed = |q: &Value, peak: Option<u64>, path: &str, o: Value, t: Value| {
        common::tc_6_1_difference(q, peak, path, &o, &t)
    };
    // burst: up to rate / 10^6 + 1 = 3.5 bytes more than 6.1's.
    assert!(allowed(
        &tbf,
        None,
        "options.burst",
        json!(16384),
        json!(16382)
    ));
    assert!(!allowed(
        &tbf,
        None,
        "options.burst",
        json!(16386),
        json!(16382)
    ));
    assert!(!allowed(
        &tbf,
        None,
        "options.burst",
        json!(16381),
        json!(16382)
    ));
    assert!(allowed(
        &tbf,
        Some(7_500_000),
        "options.minburst",
        json!(1599),
        json!(1597)
    ));
    assert!(!allowed(
        &tbf,
        None,
        "options.minburst",
        json!(1599),
        json!(1597)
    ));
    assert!(!allowed(
        &tbf,
        Some(7_500_000),
        "options.minburst",
        json!(1607),
        json!(1597)
    ));
    // lat: at most 1 µs less than 6.1's.
    assert!(allowed(
        &tbf,
        None,
        "options.lat",
        json!(39999),
        json!(40000)
    ));
    assert!(!allowed(
        &tbf,
        None,
        "options.lat",
        json!(39998),
        json!(40000)
    ));
    assert!(!allowed(
        &tbf,
        None,
        "options.lat",
        json!(40001),
        json!(40000)
    ));
    // netem: less than 1 µs more than 6.1's.
    let d = "options.delay.delay";
    assert!(allowed(&netem, None, d, json!(1e-5), json!(9e-6)));
    assert!(allowed(
        &netem,
        None,
        "options.delay.jitter",
        json!(0.0100009),
        json!(0.01)
    ));
    assert!(!allowed(&netem, None, d, json!(1.1e-5), json!(9e-6)));
    assert!(!allowed(&netem, None, d, json!(8e-6), json!(9e-6)));
    // Nothing else.
    assert!(!allowed(
        &tbf,
        None,
        "options.rate",
        json!(2_500_001),
        json!(2_500_000)
    ));
    assert!(!allowed(
        &netem,
        None,
        "options.burst",
        json!(16384),
        json!(16382)
    ));
    assert!(!allowed(&netem, None, "options.limit", json!(1), json!(2)));
    assert!(!allowed(
        &tbf,
        None,
        "options.burst",
        json!("16384"),
        json!("16382")
    ));
    assert_eq!(common::tc_text_rate("60Mbit"), Some(7_500_000));
    assert_eq!(common::tc_text_rate("800Kbit"), Some(100_000));
    assert_eq!(common::tc_text_rate("96bit"), Some(12));
}

/// A recording carries the header of the run that made it: `--replay FILE` with no reader or
/// interface options replays that run's readers and interfaces; asking for a reader or an
/// interface it cannot answer is a one-line error; tshark reads the header as a netlink no-op.
#[test]
fn a_replay_knows_the_run_it_replays() {
    let dir = scratch("knows");
    let pcap = dir.join("run.pcap");
    let live = dir.join("live.jsonl");
    let out = run(Command::new(bin())
        .args([
            "--tc", "--iface", "lo", "-c", "-j", "-f", "20", "-t", "0.3", "--record",
        ])
        .arg(&pcap)
        .arg("--file-name")
        .arg(&live));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let replayed = dir.join("replayed.jsonl");
    let out = run(Command::new(bin())
        .args(["-c", "-j", "--replay"])
        .arg(&pcap)
        .arg("--file-name")
        .arg(&replayed));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (live, replayed) = (json_lines(&live), json_lines(&replayed));
    let kinds = |v: &[Value]| v.iter().map(|r| r["type"].clone()).collect::<Vec<_>>();
    assert_eq!(
        kinds(&replayed),
        kinds(&live),
        "the recorded readers, ip and tc"
    );
    for (l, r) in live.iter().zip(&replayed) {
        assert_eq!(l["stats"], r["stats"], "only lo, as recorded");
    }
    let header = common::all_json_lines(&dir.join("replayed.jsonl"))
        .into_iter()
        .next()
        .expect("header");
    assert_eq!(header["iface"], "lo");
    for (args, needle) in [
        (
            &["--ss"][..],
            "holds no answers for the ss reader (it was recorded with: ip, tc)",
        ),
        (
            &["--iface", "eth9"],
            "was recorded for --iface lo, not eth9",
        ),
    ] {
        let out = run(Command::new(bin())
            .args(["-c", "-j", "--file-name", "/dev/null", "--replay"])
            .arg(&pcap)
            .args(args));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("netstatspy: error: ") && err.contains(needle),
            "{err}"
        );
    }
    // A capture without a header (recorded by tcpdump): the readers whose requests it holds.
    let tc_only = captures_dir().join("vm61-iproute2-tc.pcap");
    let file = dir.join("tc-only.jsonl");
    let out = run(Command::new(bin())
        .args(["-c", "-j", "--replay"])
        .arg(&tc_only)
        .arg("--file-name")
        .arg(&file));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(json_lines(&file).iter().all(|r| r["type"] == "tc"));
}

#[test]
#[cfg_attr(not(have_tshark), ignore = "needs tshark (apt-get install tshark)")]
fn the_run_header_in_a_recording_is_a_netlink_no_op_for_tshark() {
    require(&[Need::Tshark]);
    let dir = scratch("header-tshark");
    let pcap = dir.join("run.pcap");
    let out = run(Command::new(bin())
        .args(["-c", "-f", "20", "-t", "0.1", "--record"])
        .arg(&pcap));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = tshark_fields(&pcap, "netlink.hdr_type");
    assert!(
        text.lines()
            .all(|l| l.starts_with("sll:netlink") || l.starts_with("netlink")),
        "{text}"
    );
    // The header: a no-op message (type 1) among the route exchanges.
    assert!(
        text.lines()
            .any(|l| l.ends_with("\t1") || l.ends_with("\t0x0001")),
        "{text}"
    );
}
