//! Write the man page and shell completions, generated from the command-line definition.
//!
//! usage: cargo run --example gen_docs -- OUTDIR
//! writes OUTDIR/netstatspy.1, OUTDIR/netstatspy.bash, OUTDIR/_netstatspy (zsh),
//! OUTDIR/netstatspy.fish
//!
//! The page's NAME, SYNOPSIS, DESCRIPTION and OPTIONS are clap_mangen's rendering of
//! `netstatspy::cli::Cli`; the subcommands' options are those of `ExportCli` and `ReportCli`;
//! the record types' keys come from the model's descriptions (`export::units::Catalogue`), the
//! sysfs and procfs files from the readers' own constants. The rest is written here.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;
use netstatspy::cli::{Cli, DURATION_UNITS, ExportCli, ReportCli};
use netstatspy::export::units::{Catalogue, unit_name};
use netstatspy::host::SETTINGS;
use netstatspy::model::queue_limits::BQL_FILES;
use roff::{Roff, bold, italic, roman};

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: gen_docs OUTDIR");
        return ExitCode::from(2);
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("gen_docs: cannot create {}: {e}", dir.display());
        return ExitCode::from(1);
    }
    let mut cmd = Cli::command();
    let page = match man_page(cmd.clone()) {
        Ok(page) => page,
        Err(e) => {
            eprintln!("gen_docs: man page: {e}");
            return ExitCode::from(1);
        }
    };
    if let Err(e) = std::fs::write(dir.join("netstatspy.1"), page) {
        eprintln!("gen_docs: cannot write the man page: {e}");
        return ExitCode::from(1);
    }
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        if let Err(e) = clap_complete::generate_to(shell, &mut cmd, "netstatspy", &dir) {
            eprintln!("gen_docs: {shell} completions: {e}");
            return ExitCode::from(1);
        }
    }
    println!(
        "wrote the man page and bash, zsh and fish completions to {}",
        dir.display()
    );
    ExitCode::SUCCESS
}

/// The examples of the man page, as the README's usage examples give them.
const EXAMPLES: [(&str, &str); 14] = [
    (
        "netstatspy",
        "all interfaces, once a second for 10 s, on the console",
    ),
    (
        "netstatspy --iface eth0 -f 100 -t 1m -j -c",
        "eth0 at 100 samples/s for a minute, JSON only (to stats.txt)",
    ),
    (
        "netstatspy -f 10 -t none -j",
        "until Ctrl-C, console and JSON",
    ),
    (
        "netstatspy --tc --ss -f 100 -t none",
        "on a terminal, a view redrawn in place once a second with the busiest sockets; q quits",
    ),
    (
        "netstatspy -f 1000 --refresh 0.5 --console plain",
        "a block of rates twice a second, appended, even on a terminal",
    ),
    (
        "netstatspy --tc -f 1000 -j -c --realtime",
        "qdiscs at 1000 samples/s, punctual even while the disk flushes",
    ),
    (
        "netstatspy --ss --ss-filter 'dport = :5201 or sport = :5201' -f 100 -j -c",
        "the sockets of iperf3 flows only",
    ),
    (
        "netstatspy --tc --ss -f 1000 --rate ss=10 -j -c",
        "qdiscs at 1000 samples/s, sockets at 10/s",
    ),
    (
        "netstatspy --tc -f 1000 -t none -j -c --file-name s.jsonl.zst --changes-only",
        "only what changed, zstd-compressed",
    ),
    (
        "netstatspy --record host.pcap -c -t 1",
        "record what the kernel answered, for a bug report",
    ),
    (
        "netstatspy --replay host.pcap -c -j",
        "decode a recording as the live run did",
    ),
    (
        "netstatspy --tc --queue-limits -f 1000 -t none -c --listen 127.0.0.1:9417",
        "serve the latest sample to Prometheus",
    ),
    (
        "netstatspy export stats.txt -o run1/",
        "to Parquet: run1/ip.parquet, run1/tc.parquet, ...",
    ),
    (
        "netstatspy report stats.txt -o report.html",
        "plots in one HTML file",
    ),
];

fn man_page(cmd: clap::Command) -> std::io::Result<Vec<u8>> {
    let man = clap_mangen::Man::new(cmd);
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    let mut roff = Roff::new();
    paragraph(
        &mut roff,
        "netstatspy answers the questions of ip -s link, tc -s qdisc and ss -inm --tcp --udp -o \
         state established (plus byte queue limits and the TCP small queue limit) without running \
         them: it asks the kernel over netlink (RTM_GETLINK, RTM_GETSTATS, RTM_GETQDISC, \
         sock_diag) and reads sysfs and procfs. Each reader has its slots at start + k / RATE on \
         the monotonic clock; a reader that would start a whole period late skips to its current \
         slot, and the skipped slots are counted and reported at exit.",
    );
    roff.to_writer(&mut page)?;
    man.render_options_section(&mut page)?;

    let mut roff = Roff::new();
    // Lists of dotted names and paths: left-aligned, never hyphenated.
    roff.control("ad", ["l"]);
    roff.control("nh", []);
    section(&mut roff, "DURATIONS");
    let units: Vec<String> = DURATION_UNITS
        .iter()
        .map(|(u, _)| (*u).to_owned())
        .collect();
    paragraph(
        &mut roff,
        &format!(
            "-t and --changes-only take a duration: a number of seconds (fractions allowed: 0.5), \
             or a number followed by one unit, {} (500ms, 10s, 1.5m, 1h). -t also takes none or \
             inf: sample until interrupted.",
            units.join(", ")
        ),
    );
    section(&mut roff, "SUBCOMMANDS");
    paragraph(
        &mut roff,
        "A subcommand is chosen only when it is the first argument; any other command line is \
         the one above.",
    );
    for sub in [ExportCli::command(), ReportCli::command()] {
        subcommand(&mut roff, sub);
    }
    output_format(&mut roff);
    exit_status(&mut roff);
    files(&mut roff);
    section(&mut roff, "EXAMPLES");
    for (command, what) in EXAMPLES {
        roff.control("TP", []);
        roff.text([bold(command)]);
        roff.text([roman(what)]);
    }
    section(&mut roff, "SEE ALSO");
    roff.text([
        bold("ip"),
        roman("(8), "),
        bold("tc"),
        roman("(8), "),
        bold("ss"),
        roman("(8), "),
        bold("tcpdump"),
        roman("(8), "),
        bold("zstd"),
        roman("(1)"),
    ]);
    roff.to_writer(&mut page)?;
    man.render_version_section(&mut page)?;
    Ok(page)
}

fn section(roff: &mut Roff, name: &str) {
    roff.control("SH", [name]);
}

fn paragraph(roff: &mut Roff, text: &str) {
    roff.control("PP", []);
    roff.text([roman(text)]);
}

fn item(roff: &mut Roff, tag: &str, text: &str) {
    roff.control("TP", []);
    roff.text([bold(tag)]);
    roff.text([roman(text)]);
}

/// A subcommand's synopsis and options, from its clap definition.
fn subcommand(roff: &mut Roff, mut cmd: clap::Command) {
    cmd.build();
    let name = cmd.get_bin_name().unwrap_or(cmd.get_name()).to_owned();
    roff.control("SS", [name.as_str()]);
    if let Some(about) = cmd.get_about() {
        roff.text([roman(about.to_string())]);
    }
    for arg in cmd.get_arguments() {
        if matches!(arg.get_id().as_str(), "help" | "version") {
            continue;
        }
        let takes_value = arg.get_action().takes_values();
        let value = arg
            .get_value_names()
            .filter(|_| takes_value)
            .map(|v| {
                v.iter()
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
        let mut tag = match (arg.get_short(), arg.get_long()) {
            (Some(s), Some(l)) => format!("-{s}, --{l}"),
            (None, Some(l)) => format!("--{l}"),
            (Some(s), None) => format!("-{s}"),
            (None, None) => String::new(),
        };
        if !value.is_empty() {
            if !tag.is_empty() {
                tag.push(' ');
            }
            tag.push_str(&value);
            if arg.is_positional() {
                tag.push_str("...");
            }
        }
        let mut help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
        if let Some(default) = arg.get_default_values().first().filter(|_| takes_value) {
            help.push_str(&format!(" [default: {}]", default.to_string_lossy()));
        }
        roff.control("TP", []);
        roff.text([bold(tag)]);
        roff.text([roman(help)]);
    }
}

/// The console, the JSON Lines and every record type with its keys.
fn output_format(roff: &mut Roff) {
    section(roff, "OUTPUT");
    paragraph(
        roff,
        "The console shows a frame per display interval (--refresh, one a second by default, \
         or every sample when sampling is slower): a header line (sample number, time, seconds \
         since the start, the interval), then a table per reader with rates over the interval: \
         throughput in bit/s and rates per second with SI prefixes, byte amounts with binary \
         prefixes (KiB, MiB), a qdisc's largest backlog and queue length of the interval, the \
         sockets that moved most data. On a terminal (--console top) one screen is redrawn in \
         place, fitted to its size, idle rows hidden, and q stops the run; otherwise \
         (--console plain) a block per frame is appended. Warnings and errors go to standard \
         error, one line each, starting netstatspy: warning: or netstatspy: error:.",
    );
    paragraph(
        roff,
        "With -j every sample of every reader is one line of JSON appended to --file-name, \
         written whole at least once a second. A run writes a header (type run: version, \
         command line, host, kernel, namespace, frequency, slots, readers, settings) as its \
         first line and a summary (type run_summary: samples, wall and CPU time, records, \
         skipped and failed slots per reader, samples each output dropped) as its last. Every \
         record of a sample has the envelope type, run, sample (the reader's slot), timestamp \
         (Unix seconds), elapsed (seconds since the start), partial (only when true) and stats, \
         the list of the reader's elements.",
    );
    section(roff, "RECORD TYPES");
    paragraph(
        roff,
        "The keys of each reader's elements, grouped by the object they are nested in, with \
         their unit where they have one. A key is left out when the kernel does not send it or \
         iproute2 would not print it. The README describes every key.",
    );
    for (kind, columns) in Catalogue::new().columns() {
        // Keys of one nested object together: "stats64.rx: bytes (bytes), packets (packets)".
        let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
        for (name, meaning) in &columns {
            let (parent, key) = name.rsplit_once('.').unwrap_or(("", name));
            let key = match unit_name(meaning.unit) {
                Some(unit) => format!("{key} ({unit})"),
                None => key.to_owned(),
            };
            match groups.last_mut() {
                Some((p, keys)) if *p == parent => keys.push(key),
                _ => groups.push((parent, vec![key])),
            }
        }
        roff.control("TP", []);
        roff.text([bold(kind)]);
        for (parent, keys) in groups {
            if parent.is_empty() {
                roff.text([roman(format!("{};", keys.join(", ")))]);
            } else {
                roff.text([
                    italic(format!("{parent}:")),
                    roman(format!(" {};", keys.join(", "))),
                ]);
            }
        }
        if kind == "tc" {
            roff.text([roman(
                "options (an object of the kind's options, as tc prints them), and the kind's \
                 extended statistics under tc's names, beside the keys above.",
            )]);
        }
    }
    item(
        roff,
        "ss_closed",
        "closed_at (Unix seconds), then the keys of ss that the kernel reports of a destroyed \
         socket.",
    );
}

fn exit_status(roff: &mut Roff) {
    section(roff, "EXIT STATUS");
    item(
        roff,
        "0",
        "The run completed, was stopped by SIGINT or SIGTERM (the current sample is finished \
         and every record written), or its console reader went away (a closed pipe).",
    );
    item(
        roff,
        "1",
        "A runtime error: an unknown interface, a JSON file that cannot be opened or written, a \
         request the kernel refuses, a namespace that cannot be entered, --realtime not \
         permitted, an address --listen cannot use.",
    );
    item(
        roff,
        "2",
        "A usage error: a malformed or out-of-range value, no reader selected, an invalid \
         interface name, --file-name naming a directory, --record with --replay.",
    );
    item(
        roff,
        "130",
        "A second SIGINT or SIGTERM while the first was being honoured.",
    );
}

fn files(roff: &mut Roff) {
    section(roff, "FILES");
    item(
        roff,
        "stats.txt",
        "The JSON Lines file of -j when --file-name is not given, in the current directory; \
         appended to, never truncated.",
    );
    let bql: Vec<&str> = BQL_FILES.iter().map(|f| f.key).collect();
    item(
        roff,
        "/sys/class/net/IFACE/queues/tx-N/byte_queue_limits/",
        &format!(
            "Read by --queue-limits: {} (each when the kernel has it).",
            bql.join(", ")
        ),
    );
    item(
        roff,
        "/proc/sys/net/ipv4/tcp_limit_output_bytes",
        "Read by --small-queue.",
    );
    let settings: Vec<String> = SETTINGS
        .iter()
        .map(|s| format!("/proc/sys/{}", s.replace('.', "/")))
        .collect();
    item(
        roff,
        "/proc/sys/kernel/hostname, /proc/sys/kernel/osrelease",
        "The host name and kernel release of the run header.",
    );
    roff.control("TP", []);
    roff.text([bold("/proc/sys/net/...")]);
    roff.text([roman(format!(
        "The settings of the run header, read once at the start: {}.",
        settings.join(", ")
    ))]);
    item(
        roff,
        "/proc/net/psched",
        "The packet scheduler's clock, to turn tc's ticks into times (--tc).",
    );
    roff.control("TP", []);
    roff.text([bold("/var/run/netns/"), italic("NAME")]);
    roff.text([roman(
        "The namespace --netns NAME enters (ip netns add); --netns also takes a path such as \
         /proc/PID/ns/net. sysfs is mounted anew, privately, for the run.",
    )]);
}
