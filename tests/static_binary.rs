//! The static binary in a bare root file system — only the binary, `/proc` and `/sys`: no
//! iproute2, no shell, no libraries — produces correct records for all five readers, and runs
//! no other program.

mod common;

use std::process::Command;

use common::{Need, Netns, check, json_lines, require, run, scratch, static_binary};

#[test]
#[cfg_attr(
    not(have_static_binary),
    ignore = "needs the static binary (tests/run.sh builds it, or set NETSTATSPY_STATIC)"
)]
fn static_binary_has_no_dynamic_dependencies() {
    require(&[Need::StaticBinary]);
    let bin = static_binary();
    let out = run(Command::new("ldd").arg(&bin));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("statically linked") || text.contains("not a dynamic executable"),
        "{text}"
    );
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2, have_strace, have_static_binary)),
    ignore = "needs root, iproute2, strace and the static binary (tests/run.sh as root provides them)"
)]
fn all_readers_work_in_a_bare_root_without_iproute2() {
    require(&[Need::Root, Need::Iproute2, Need::Strace, Need::StaticBinary]);
    let bin = static_binary();
    let ns = Netns::new("bare");
    ns.ip(&["link", "add", "ifbr0", "numtxqueues", "2", "type", "ifb"]);
    ns.ip(&["link", "add", "vr0", "type", "veth", "peer", "name", "vr1"]);
    ns.ip(&["link", "set", "vr0", "up"]);
    ns.ip(&["link", "set", "vr1", "up"]);
    check(Command::new("tc").args([
        "-n", &ns.name, "qdisc", "replace", "dev", "vr0", "root", "bfifo", "limit", "5000",
    ]));
    ns.sh("echo 222333 > /proc/sys/net/ipv4/tcp_limit_output_bytes");

    // The root: the binary and empty mount points, nothing else.
    let root = scratch("bare-root");
    for dir in ["proc", "sys", "out"] {
        std::fs::create_dir_all(root.join(dir)).expect("mkdir");
    }
    std::fs::copy(&bin, root.join("netstatspy")).expect("copy binary");
    let trace = scratch("bare-trace").join("execve");
    let script = format!(
        "mount -t proc proc {r}/proc && mount -t sysfs sysfs {r}/sys && \
         strace -f -qq -e trace=execve -o {t} chroot {r} /netstatspy --tc --ss --queue-limits \
         --small-queue -c -j -f 4 -t 0.5 --file-name /out/stats.jsonl",
        r = root.display(),
        t = trace.display()
    );
    // A private mount namespace inside the test's network namespace: nothing leaks to the host.
    let out = run(Command::new("ip")
        .args(["netns", "exec", &ns.name, "unshare", "--mount", "sh", "-c"])
        .arg(&script));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let records = json_lines(&root.join("out/stats.jsonl"));
    let kinds: Vec<&str> = records.iter().filter_map(|r| r["type"].as_str()).collect();
    for kind in ["ip", "tc", "ss", "queue_limits", "small_queue"] {
        assert_eq!(
            kinds.iter().filter(|k| **k == kind).count(),
            2,
            "{kind}: {kinds:?}"
        );
    }
    let last = |kind: &str| {
        records
            .iter()
            .rev()
            .find(|r| r["type"] == kind)
            .expect("record")
    };
    // Values from the namespace, compared with iproute2 and procfs read outside the chroot.
    let ip = ns.ip_link_json();
    let mut names: Vec<&str> = last("ip")["stats"]
        .as_array()
        .expect("ip")
        .iter()
        .filter_map(|l| l["ifname"].as_str())
        .collect();
    let mut expected: Vec<&str> = ip.iter().filter_map(|l| l["ifname"].as_str()).collect();
    names.sort();
    expected.sort();
    assert_eq!(names, expected);
    let tc = last("tc");
    assert!(
        tc["stats"]
            .as_array()
            .expect("tc")
            .iter()
            .any(|q| q["kind"] == "bfifo" && q["options"]["limit"] == 5000),
        "{tc}"
    );
    let queues: Vec<&str> = last("queue_limits")["stats"]
        .as_array()
        .expect("ql")
        .iter()
        .filter_map(|q| q["ifname"].as_str())
        .collect();
    assert_eq!(queues, ["ifbr0", "ifbr0"]);
    assert_eq!(
        last("small_queue")["stats"][0]["tcp_limit_output_bytes"],
        222_333
    );
    assert!(last("ss")["stats"].is_array());

    // Only chroot (outside) and netstatspy itself were executed.
    let text = std::fs::read_to_string(&trace).expect("trace");
    let execs: Vec<&str> = text.lines().filter(|l| l.contains("execve(")).collect();
    assert_eq!(execs.len(), 2, "{execs:?}");
    assert!(execs[1].contains("\"/netstatspy\""), "{execs:?}");
}
