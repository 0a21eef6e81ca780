//! The deployment examples of `deploy/` (a systemd unit, a unit per network namespace, a
//! container image, a Prometheus configuration) work as written: their command lines are run
//! as the service manager or the image would run them, the endpoint they open is scraped, and
//! what it serves is compared with `ip -s -s -j link`; `promtool check config` reads the
//! Prometheus configuration; the README shows each file as it is.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Need, Netns, Running, bin, check, http_get, require, scratch, static_binary};
use serde_json::Value;

fn deploy(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("deploy")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The arguments of a unit's `ExecStart=` (after the program), `%i` and `${LISTEN}` replaced.
fn exec_start(unit: &str, instance: &str, listen: &str) -> Vec<String> {
    let line = unit
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .expect("an ExecStart= line");
    let mut words = line.split_whitespace();
    assert_eq!(words.next(), Some("/usr/local/bin/netstatspy"));
    words
        .map(|w| w.replace("%i", instance).replace("${LISTEN}", listen))
        .collect()
}

/// The `--listen` address of a command line.
fn listen_of(args: &[String]) -> String {
    let i = args.iter().position(|a| a == "--listen").expect("--listen");
    args[i + 1].clone()
}

/// Scrape `addr` from inside `ns` (or from here) until the links are served; the body.
fn scrape(ns: Option<&Netns>, addr: &str, log: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let addr2 = addr.to_owned();
        let got = match ns {
            Some(ns) => ns.in_thread(move || http_get(&addr2, "/metrics", None)),
            None => http_get(addr, "/metrics", None),
        };
        if let Some((200, _, body)) = &got
            && body.contains("netstatspy_link_rx_bytes_total{")
        {
            return body.clone();
        }
        assert!(
            Instant::now() < deadline,
            "no links served at {addr}: {got:?}\n{}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A namespace with a quiet veth pair, `vd0`/`vd1`.
fn quiet_namespace(tag: &str) -> Netns {
    let ns = Netns::new(tag);
    ns.ip(&["link", "add", "vd0", "type", "veth", "peer", "name", "vd1"]);
    ns.ip(&["link", "set", "vd0", "up"]);
    ns.ip(&["link", "set", "vd1", "up"]);
    ns
}

/// Every stats64 counter `ip -s -s -j link` prints for `vd0` is served with its value, under
/// `labels` (besides `device`).
fn assert_serves_vd0(ns: &Netns, body: &str, labels: &str) {
    let link: Value = ns
        .ip_link_json()
        .into_iter()
        .find(|l| l["ifname"] == "vd0")
        .expect("vd0");
    let mut compared = 0;
    for dir in ["rx", "tx"] {
        for (key, value) in link["stats64"][dir].as_object().expect("stats64") {
            let series = format!("netstatspy_link_{dir}_{key}_total{{{labels}device=\"vd0\"}}");
            let want = value.as_u64().expect("a counter").to_string();
            let got = body
                .lines()
                .find_map(|l| l.strip_prefix(&series)?.strip_prefix(' '));
            assert_eq!(got, Some(want.as_str()), "{series}:\n{body}");
            compared += 1;
        }
    }
    assert!(compared >= 20, "{compared} counters compared");
}

/// Run `program args` inside `ns` as user nobody, as `DynamicUser=yes` runs it.
fn as_nobody(ns: &Netns, program: &Path, args: &[String], log: &Path) -> Running {
    Running(
        Command::new("ip")
            .args(["netns", "exec", &ns.name])
            .args([
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
            ])
            .arg(program)
            .args(args)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(log).expect("log"))
            .spawn()
            .expect("start netstatspy"),
    )
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces)"
)]
fn the_systemd_unit_serves_what_ip_reports() {
    require(&[Need::Root, Need::Iproute2]);
    let args = exec_start(&deploy("netstatspy.service"), "", "");
    let ns = quiet_namespace("unit");
    let log = scratch("deploy-unit").join("stderr");
    let _nsp = as_nobody(&ns, &bin(), &args, &log);
    let body = scrape(Some(&ns), &listen_of(&args), &log);
    assert_serves_vd0(&ns, &body, "");
    assert!(body.contains("netstatspy_qdisc_qlen{"), "{body}");
    assert!(
        body.contains("netstatspy_tcp_limit_output_bytes "),
        "{body}"
    );
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2)),
    ignore = "needs root and iproute2 (network namespaces)"
)]
fn the_namespace_unit_labels_its_namespace() {
    require(&[Need::Root, Need::Iproute2]);
    let ns = quiet_namespace("unit-netns");
    let free = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let listen = free.local_addr().expect("addr").to_string();
    drop(free);
    let args = exec_start(&deploy("netstatspy-netns@.service"), &ns.name, &listen);
    let log = scratch("deploy-unit-netns").join("stderr");
    // As root (the unit keeps CAP_SYS_ADMIN to enter the namespace), from this namespace.
    let _nsp = Running(
        Command::new(bin())
            .args(&args)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log"))
            .spawn()
            .expect("start netstatspy"),
    );
    let body = scrape(None, &listen, &log);
    assert_serves_vd0(&ns, &body, &format!("netns=\"{}\",", ns.name));
}

#[test]
#[cfg_attr(
    not(all(have_root, have_iproute2, have_static_binary)),
    ignore = "needs root, iproute2 and the static binary (tests/run.sh builds it)"
)]
fn the_container_image_command_serves_what_ip_reports() {
    require(&[Need::Root, Need::Iproute2, Need::StaticBinary]);
    let file = deploy("Containerfile");
    let array = |instruction: &str| -> Vec<String> {
        let line = file
            .lines()
            .find_map(|l| l.strip_prefix(instruction))
            .unwrap_or_else(|| panic!("no {instruction}"));
        serde_json::from_str(line.trim()).expect("an exec-form array")
    };
    let entrypoint = array("ENTRYPOINT ");
    let cmd = array("CMD ");
    assert_eq!(entrypoint, ["/netstatspy"]);
    assert!(
        file.contains("\nFROM scratch\n"),
        "the image holds the binary only"
    );
    assert!(file.contains(
        "\nCOPY --from=build /src/target/x86_64-unknown-linux-gnu/release/netstatspy /netstatspy\n"
    ));
    assert!(file.contains("\nUSER 65534:65534\n"));
    // What the image is: the static binary alone in an empty root, run as 65534.
    let ns = quiet_namespace("image");
    let root: PathBuf = scratch("deploy-image");
    for dir in ["proc", "sys"] {
        std::fs::create_dir_all(root.join(dir)).expect("mkdir");
    }
    std::fs::copy(static_binary(), root.join("netstatspy")).expect("copy binary");
    let log = root.with_extension("stderr");
    let script = format!(
        "mount -t proc proc {r}/proc && mount -t sysfs sysfs {r}/sys && \
         exec chroot --userspec=65534:65534 {r} /netstatspy \"$@\"",
        r = root.display()
    );
    let _nsp = Running(
        Command::new("ip")
            .args(["netns", "exec", &ns.name, "unshare", "--mount", "sh", "-c"])
            .arg(&script)
            .arg("sh")
            .args(&cmd)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log"))
            .spawn()
            .expect("start the image's command"),
    );
    let listen = listen_of(&cmd).replace("0.0.0.0", "127.0.0.1");
    let body = scrape(Some(&ns), &listen, &log);
    assert_serves_vd0(&ns, &body, "");
    assert!(body.contains("netstatspy_qdisc_qlen{"), "{body}");
}

#[test]
#[cfg_attr(not(have_prometheus), ignore = "needs prometheus (promtool)")]
fn the_prometheus_configuration_is_valid() {
    require(&[Need::Prometheus]);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/prometheus.yml");
    let out = check(
        Command::new("promtool")
            .arg("check")
            .arg("config")
            .arg(&path),
    );
    assert!(out.contains("SUCCESS"), "{out}");
    // Its targets are the ports the units listen on.
    let config = deploy("prometheus.yml");
    assert!(config.contains("'127.0.0.1:9417'"));
    assert!(exec_start(&deploy("netstatspy.service"), "", "").contains(&"127.0.0.1:9417".into()));
}

#[test]
fn the_readme_shows_the_deployment_files_as_they_are() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    for (name, lang) in [
        ("netstatspy.service", "ini"),
        ("netstatspy-netns@.service", "ini"),
        ("Containerfile", "dockerfile"),
        ("prometheus.yml", "yaml"),
    ] {
        let block = format!("```{lang}\n{}```\n", deploy(name));
        assert!(
            readme.contains(&block),
            "the README does not show deploy/{name} as it is"
        );
    }
}
