//! Live oracle tests of the ip reader: in a namespace of our own, with real traffic and counters
//! settled, every key of every interface must equal what `ip -s -s -j link` prints.

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::{
    Need, Netns, assert_same_link, assert_same_links, assert_same_metadata, bin, check, json_lines,
    require, scratch,
};
use serde_json::Value;

/// Two namespaces joined by a veth pair, plus in the first: a bridge with a veth port, a veth
/// without carrier, an ifb, a macvlan, a macvtap, a vxlan, a tun and a tap; an alias,
/// altnames, a group, a link in dormant mode, a macvlan in protodown with reasons, and XDP
/// programs in native (veth) and generic mode; and traffic across the first veth.
fn topology() -> (Netns, Netns) {
    let (a, b) = Netns::joined("ipa", "ipb", 0);
    a.ip(&["link", "add", "br0", "type", "bridge"]);
    a.ip(&["link", "add", "vp0", "type", "veth", "peer", "name", "vp1"]);
    a.ip(&["link", "set", "vp0", "master", "br0"]);
    for dev in ["br0", "vp0", "vp1"] {
        a.ip(&["link", "set", dev, "up"]);
    }
    // Up with its peer down: NO-CARRIER and LOWERLAYERDOWN.
    a.ip(&[
        "link", "add", "vx0", "mtu", "9000", "type", "veth", "peer", "name", "vx1",
    ]);
    a.ip(&["link", "set", "vx0", "up"]);
    a.ip(&["link", "add", "ifbt0", "type", "ifb"]);
    // What ip prints for some links only: an alias, alternative names, a group other than
    // the default, a link mode other than the default.
    a.ip(&["link", "set", "vx0", "alias", "uplink \"to\" b"]);
    for altname in ["vx0-second-name", "vx0-third"] {
        a.ip(&["link", "property", "add", "dev", "vx0", "altname", altname]);
    }
    a.ip(&["link", "set", "ifbt0", "group", "5"]);
    a.ip(&["link", "set", "ifbt0", "mode", "dormant"]);
    // A macvlan the protocol has put down for reasons 0, 3 and 9 (ip prints 0 and 3 only), a
    // macvtap, a vxlan with a reason but not down, a tun (no address at all) and a tap.
    a.ip(&[
        "link", "add", "link", "vx0", "name", "mv0", "type", "macvlan", "mode", "bridge",
    ]);
    for reason in ["0", "3", "9"] {
        a.ip(&["link", "set", "mv0", "protodown_reason", reason, "on"]);
    }
    a.ip(&["link", "set", "mv0", "protodown", "on"]);
    a.ip(&[
        "link", "add", "link", "vx0", "name", "mvt0", "type", "macvtap", "mode", "bridge",
    ]);
    a.ip(&[
        "link", "add", "vxl0", "type", "vxlan", "id", "42", "dstport", "4789", "dev", "va0",
    ]);
    a.ip(&["link", "set", "vxl0", "protodown_reason", "1", "on"]);
    a.ip(&["tuntap", "add", "dev", "tun0", "mode", "tun"]);
    a.ip(&["tuntap", "add", "dev", "tap0", "mode", "tap"]);
    // XDP: native on a veth, generic on an ifb.
    a.attach_xdp("vp1", "nsp_native", true);
    a.attach_xdp("ifbt0", "nsp_generic", false);
    // Let the links finish coming up before traffic, so carriers are stable.
    std::thread::sleep(Duration::from_millis(300));
    a.send_udp("10.9.0.2:9", 500, 700);
    b.send_udp("10.9.0.1:9", 120, 1300);
    (a, b)
}

/// Run netstatspy in `ns` for `samples` samples at 20 Hz, bracketed by two settled ip readings
/// that must agree (else the kernel moved counters meanwhile and the attempt is redone).
fn sample_between_ip_readings(
    ns: &Netns,
    extra: &[&str],
    samples: u32,
) -> (Vec<Value>, Vec<Value>) {
    let dir = scratch("ip-oracle");
    for attempt in 0..5 {
        let file = dir.join(format!("attempt{attempt}.jsonl"));
        let before = ns.settled_links();
        let time = format!("{}", f64::from(samples) / 20.0);
        let out = check(
            ns.command(&bin())
                .args(["-c", "-j", "-f", "20", "-t", &time, "--file-name"])
                .arg(&file)
                .args(extra),
        );
        assert!(out.is_empty(), "-c must print nothing: {out}");
        let after = ns.ip_link_json();
        if before == after {
            let records = json_lines(&file);
            assert_eq!(records.len(), samples as usize);
            return (records, after);
        }
    }
    panic!("counters kept moving across five attempts");
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces; ip, tc and ss as the oracle)"
)]
fn every_key_equals_ip_for_every_interface() {
    require(&[Need::Root, Need::Iproute2]);
    let (a, _b) = topology();
    // Several samples: the first reads RTM_GETLINK, later ones RTM_GETSTATS with cached
    // metadata; both paths must agree with ip.
    let (records, ip) = sample_between_ip_readings(&a, &[], 4);
    assert!(
        ip.len() >= 13,
        "topology has lo, va0, br0, vp0, vp1, vx0, vx1, ifbt0, mv0, mvt0, vxl0, tun0, tap0"
    );
    // The keys this topology exists for are there to compare.
    let of = |name: &str| ip.iter().find(|l| l["ifname"] == name).expect(name);
    assert_eq!(of("vp1")["xdp"]["mode"], 1, "native XDP: {}", of("vp1"));
    assert_eq!(
        of("ifbt0")["xdp"]["mode"],
        2,
        "generic XDP: {}",
        of("ifbt0")
    );
    assert_eq!(of("vp1")["xdp"]["prog"]["name"], "nsp_native");
    assert_eq!(
        of("mv0")["proto_down_reason"],
        serde_json::json!(["0", "3"])
    );
    assert_eq!(of("ifbt0")["linkmode"], "DORMANT");
    let va0 = ip.iter().find(|l| l["ifname"] == "va0").expect("va0");
    assert!(
        va0["stats64"]["tx"]["packets"].as_u64().expect("u64") >= 500,
        "traffic went through va0: {va0}"
    );
    for r in &records {
        assert_eq!(r["type"], "ip");
        assert!(r.get("partial").is_none());
        let stats = r["stats"].as_array().expect("stats array");
        assert_same_links(stats, &ip, &format!("sample {}", r["sample"]));
    }
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces; ip, tc and ss as the oracle)"
)]
fn iface_restricts_to_one_interface() {
    require(&[Need::Root, Need::Iproute2]);
    let (a, _b) = topology();
    let (records, ip) = sample_between_ip_readings(&a, &["--iface", "va0"], 2);
    let va0 = ip.iter().find(|l| l["ifname"] == "va0").expect("va0");
    for r in &records {
        let stats = r["stats"].as_array().expect("stats array");
        assert_eq!(stats.len(), 1, "only va0: {r}");
        assert_same_link(&stats[0], va0, "--iface va0");
    }
    let out = common::run(a.command(&bin()).args(["--iface", "nosuch0", "-t", "1"]));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("netstatspy: error: ") && err.contains("nosuch0"),
        "{err}"
    );
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces; ip, tc and ss as the oracle)"
)]
fn link_changes_during_a_run_reach_later_samples() {
    require(&[Need::Root, Need::Iproute2]);
    let (a, _b) = topology();
    let dir = scratch("ip-change");
    let file = dir.join("run.jsonl");
    let mut child = a
        .command(&bin())
        .args(["-c", "-j", "-f", "20", "-t", "2", "--file-name"])
        .arg(&file)
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn netstatspy");
    std::thread::sleep(Duration::from_millis(500));
    // Metadata changes (MTU, name, carrier) and a new link while sampling.
    a.ip(&["link", "set", "vx0", "mtu", "1400"]);
    a.ip(&["link", "set", "va0", "down"]);
    a.ip(&["link", "set", "va0", "up"]);
    a.ip(&["link", "add", "late0", "type", "ifb"]);
    a.ip(&["link", "del", "ifbt0"]);
    let status = child.wait().expect("wait");
    assert!(status.success());
    let records = json_lines(&file);
    assert_eq!(records.len(), 40);
    let ip = a.settled_links();
    let last = records.last().expect("records");
    let stats = last["stats"].as_array().expect("stats");
    // Only the metadata is compared here: traffic from the carrier change may still move
    // counters between the last sample and ip's reading.
    for theirs in &ip {
        let ours = stats
            .iter()
            .find(|l| l["ifindex"] == theirs["ifindex"])
            .unwrap_or_else(|| panic!("{} missing from the last sample", theirs["ifname"]));
        assert_same_metadata(ours, theirs, "after the changes");
        assert_eq!(
            ours["stats64"]["tx"]["carrier_changes"], theirs["stats64"]["tx"]["carrier_changes"],
            "carrier_changes of {}",
            theirs["ifname"]
        );
    }
    assert_eq!(stats.len(), ip.len(), "deleted link must be gone: {last}");
}

/// `parentbus` and `parentdev`, which ip prints only with `-d`, equal `ip -d`'s for every link
/// of this machine's own namespace that has a parent device (a virtio or PCI NIC; namespaces
/// of veths have none).
#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces; ip, tc and ss as the oracle)"
)]
fn parent_device_equals_ip_details() {
    require(&[Need::Root, Need::Iproute2]);
    let text = check(std::process::Command::new("ip").args(["-d", "-j", "link", "show"]));
    let ip: Vec<Value> = serde_json::from_str(&text).expect("ip -j output is JSON");
    let with_parent: Vec<&Value> = ip.iter().filter(|l| l.get("parentbus").is_some()).collect();
    if with_parent.is_empty() {
        eprintln!("skipped: no link of this namespace has a parent device (ip -d prints none)");
        return;
    }
    let file = scratch("ip-parent").join("out.jsonl");
    check(
        std::process::Command::new(bin())
            .args(["-c", "-j", "-f", "10", "-t", "0.1", "--file-name"])
            .arg(&file),
    );
    let records = json_lines(&file);
    let stats = records[0]["stats"].as_array().expect("stats");
    for theirs in &ip {
        let Some(ours) = stats.iter().find(|l| l["ifindex"] == theirs["ifindex"]) else {
            continue; // created or deleted meanwhile by someone else
        };
        for key in ["parentbus", "parentdev"] {
            assert_eq!(
                ours.get(key),
                theirs.get(key),
                "{key} of {}",
                theirs["ifname"]
            );
        }
    }
}

/// Without `CAP_SYS_ADMIN` the kernel does not open BPF programs by id: ip then prints an XDP
/// program's id only, and so must netstatspy. Both run as `nobody` in the same namespace.
#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces; ip, tc and ss as the oracle)"
)]
fn xdp_programs_seen_without_privilege_carry_their_id_only() {
    use std::os::unix::fs::PermissionsExt;
    require(&[Need::Root, Need::Iproute2]);
    let (a, _b) = topology();
    let nobody = [
        "setpriv",
        "--reuid",
        "65534",
        "--regid",
        "65534",
        "--clear-groups",
    ];
    let dir = scratch("ip-nobody");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let file = dir.join("out.jsonl");
    let ip_json = || -> Vec<Value> {
        let text = check(
            std::process::Command::new("ip")
                .args(["netns", "exec", &a.name])
                .args(nobody)
                .args(["ip", "-s", "-s", "-j", "link", "show"]),
        );
        serde_json::from_str(&text).expect("ip -j output is JSON")
    };
    let ip = ip_json();
    check(
        std::process::Command::new("ip")
            .args(["netns", "exec", &a.name])
            .args(nobody)
            .arg(bin())
            .args(["-c", "-j", "-f", "10", "-t", "0.1", "--file-name"])
            .arg(&file),
    );
    assert_eq!(ip_json().len(), ip.len());
    let records = json_lines(&file);
    let stats = records[0]["stats"].as_array().expect("stats");
    let xdp = ip.iter().filter(|l| l.get("xdp").is_some()).count();
    assert_eq!(xdp, 2, "vp1 and ifbt0 have programs");
    for theirs in &ip {
        if let Some(x) = theirs.get("xdp") {
            assert!(x["prog"].get("name").is_none(), "ip as nobody: {x}");
        }
        let ours = stats
            .iter()
            .find(|l| l["ifindex"] == theirs["ifindex"])
            .expect("same ifindex");
        // Counters may move between the two readings; the metadata may not.
        assert_same_metadata(ours, theirs, "as nobody");
    }
}

#[test]
#[cfg_attr(
    not(all(have_root, have_strace)),
    ignore = "needs root and strace (apt-get install strace)"
)]
fn no_other_program_is_executed() {
    require(&[Need::Root, Need::Strace]);
    let dir = scratch("execve");
    let trace = dir.join("trace");
    check(
        std::process::Command::new("strace")
            .args(["-f", "-qq", "-e", "trace=execve", "-o"])
            .arg(&trace)
            .arg(bin())
            .args(["-c", "-j", "-f", "10", "-t", "0.5", "--file-name"])
            .arg(dir.join("out.jsonl")),
    );
    let text = std::fs::read_to_string(&trace).expect("strace output");
    let execs: Vec<&str> = text.lines().filter(|l| l.contains("execve(")).collect();
    assert_eq!(
        execs.len(),
        1,
        "only netstatspy itself is executed: {execs:?}"
    );
    assert!(execs[0].contains("netstatspy"), "{execs:?}");
}

/// An interface name that is not UTF-8 (the kernel allows any bytes but `/`, `:`, white space)
/// is not lost: every record that names it carries the exact bytes as hex beside the readable
/// name, and no reader drops it. The bytes are the ones the test created; the ifindex is read
/// from sysfs inside the namespace.
#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces; ip, tc and ss as the oracle)"
)]
fn names_that_are_not_utf8_are_kept_exactly() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    use std::process::Command;

    require(&[Need::Root, Need::Iproute2]);
    let ns = Netns::new("name8");
    let name = OsStr::from_bytes(b"v\xff\xfe");
    check(
        Command::new("ip")
            .args(["-n", &ns.name, "link", "add", "name"])
            .arg(name)
            .args(["numtxqueues", "2", "type", "ifb"]),
    );
    check(
        Command::new("ip")
            .args(["-n", &ns.name, "link", "set"])
            .arg(name)
            .arg("up"),
    );
    let ifindex: u64 = check(
        Command::new("ip")
            .args(["netns", "exec", &ns.name, "cat"])
            .arg(OsStr::from_bytes(b"/sys/class/net/v\xff\xfe/ifindex")),
    )
    .trim()
    .parse()
    .expect("ifindex");
    let file = common::scratch("name8").join("out.jsonl");
    let out = common::run(
        ns.command(&bin())
            .args([
                "--tc",
                "--queue-limits",
                "-c",
                "-j",
                "-f",
                "10",
                "-t",
                "0.2",
            ])
            .arg("--file-name")
            .arg(&file),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records = json_lines(&file);
    let of = |kind: &str| -> Vec<serde_json::Value> {
        records
            .iter()
            .filter(|r| r["type"] == kind)
            .flat_map(|r| r["stats"].as_array().expect("stats").clone())
            .collect()
    };
    let links: Vec<_> = of("ip")
        .into_iter()
        .filter(|l| l["ifindex"] == ifindex)
        .collect();
    assert_eq!(links.len(), 2, "the link in both samples");
    for l in &links {
        assert_eq!(l["ifname"], "v\u{fffd}\u{fffd}");
        assert_eq!(l["ifname_bytes"], "76fffe");
    }
    // Other links have no ifname_bytes.
    assert!(
        of("ip")
            .iter()
            .all(|l| l["ifindex"] == ifindex || l.get("ifname_bytes").is_none())
    );
    let qdiscs: Vec<_> = of("tc")
        .into_iter()
        .filter(|q| q["dev_bytes"] == "76fffe")
        .collect();
    assert!(!qdiscs.is_empty(), "its qdiscs: {:?}", of("tc"));
    assert!(qdiscs.iter().all(|q| q["dev"] == "v\u{fffd}\u{fffd}"));
    let queues: Vec<_> = of("queue_limits")
        .into_iter()
        .filter(|q| q["ifname_bytes"] == "76fffe")
        .collect();
    // Two transmit queues, in both samples.
    assert_eq!(queues.len(), 4, "{:?}", of("queue_limits"));

    // --iface with the name's bytes: only this link, its qdiscs and its queues.
    let file = common::scratch("name8-iface").join("out.jsonl");
    let out = common::run(
        ns.command(&bin())
            .args([
                "--tc",
                "--queue-limits",
                "-c",
                "-j",
                "-f",
                "10",
                "-t",
                "0.2",
            ])
            .arg("--iface")
            .arg(name)
            .arg("--file-name")
            .arg(&file),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records = json_lines(&file);
    let of = |kind: &str| -> Vec<serde_json::Value> {
        records
            .iter()
            .filter(|r| r["type"] == kind)
            .flat_map(|r| r["stats"].as_array().expect("stats").clone())
            .collect()
    };
    let links = of("ip");
    assert_eq!(
        links.len(),
        2,
        "the link in both samples, nothing else: {links:?}"
    );
    assert!(
        links
            .iter()
            .all(|l| l["ifindex"] == ifindex && l["ifname_bytes"] == "76fffe")
    );
    let qdiscs = of("tc");
    assert!(!qdiscs.is_empty());
    assert!(
        qdiscs.iter().all(|q| q["dev_bytes"] == "76fffe"),
        "{qdiscs:?}"
    );
    let queues = of("queue_limits");
    assert_eq!(queues.len(), 4, "{queues:?}");
    assert!(queues.iter().all(|q| q["ifname_bytes"] == "76fffe"));
    // A name with the same readable text but other bytes is another interface.
    let out = common::run(
        ns.command(&bin())
            .args(["-t", "0.1", "--iface"])
            .arg(OsStr::from_bytes(b"v\xfe\xff")),
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}
