//! The command line, identical to the Python original's, and its validation into a [`Config`].

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::Parser;

use crate::readers::ss::filter::{self, Filter};

/// Highest sampling frequency accepted (samples per second).
pub const MAX_FREQUENCY: f64 = 100_000.0;
/// Longest finite run, in samples; longer runs use `-t none`.
pub const MAX_SAMPLES: f64 = 9_007_199_254_740_992.0; // 2^53: exact in an f64
/// Longest interface name the kernel accepts (`IFNAMSIZ` - 1).
pub const MAX_IFNAME: usize = 15;

/// Sample Linux network statistics (ip, tc, ss, byte queue limits, TCP small queues) at high
/// frequency, straight from the kernel over netlink, to the console and to a JSON Lines file.
#[derive(Debug, Clone, Parser)]
#[command(name = "netstatspy", version)]
pub struct Cli {
    /// Verbose output: on the console, byte totals beside the rates (interfaces' rx and tx,
    /// qdiscs' sent); on standard error a timing line every second (samples, overruns, schedule lateness, collect time per reader, time to
    /// hand a sample to the outputs, samples waiting and dropped) and a summary at exit (with
    /// CPU use, dump retries and what the outputs wrote and dropped).
    #[arg(short, long)]
    pub verbose: bool,

    /// Only report this interface (applies to the ip, tc and queue_limits readers); several
    /// are given comma-separated (eth0,eth1) or by repeating the option.
    #[arg(
        long,
        value_name = "IFACE",
        value_parser = clap::builder::TypedValueParser::try_map(
            clap::builder::OsStringValueParser::new(),
            parse_ifaces
        )
    )]
    pub iface: Vec<Vec<OsString>>,

    /// Sampling frequency in samples per second; fractions allowed (0.5 = every 2 s).
    #[arg(short, long, value_name = "FREQUENCY", default_value = "1",
          allow_negative_numbers = true, value_parser = parse_frequency)]
    pub frequency: f64,

    /// How long to sample: seconds (fractions allowed) or a number with a unit, 500ms, 10s, 2m,
    /// 1h; "none" or "inf" samples until interrupted (Ctrl-C).
    #[arg(short, long, value_name = "TIME", default_value = "10",
          allow_hyphen_values = true, value_parser = parse_time)]
    pub time: RunTime,

    /// Do not log to the console.
    #[arg(short = 'c', long = "no-console")]
    pub no_console: bool,

    /// Log to a JSON Lines file (see --file-name); records are appended.
    #[arg(short, long)]
    pub json: bool,

    /// The JSON file -j appends to: zstd-compressed when the name ends in .zst; "-" writes to
    /// standard output instead of the console.
    #[arg(long, value_name = "FILE_NAME", default_value = "stats.txt")]
    pub file_name: PathBuf,

    /// Do not collect interface statistics (ip -s link).
    #[arg(long)]
    pub no_ip: bool,

    /// Collect queueing discipline statistics (tc -s qdisc).
    #[arg(long)]
    pub tc: bool,

    /// Collect established TCP and UDP socket statistics (ss -inm --tcp --udp -o state
    /// established).
    #[arg(long)]
    pub ss: bool,

    /// Also log every TCP and UDP socket that closes, with its last tcp_info (records of type
    /// ss_closed, what `ss -E` shows): connections shorter than a sampling period are seen
    /// too. --ss-filter applies.
    #[arg(long)]
    pub ss_closed: bool,

    /// Only the sockets that match EXPR, in ss's filter language (e.g. `dport = :443 and dst
    /// 10.0.0.0/8`; the README lists it), run by the kernel: sockets that do not match are never
    /// copied out. Quote it as one argument.
    #[arg(long, value_name = "EXPR")]
    pub ss_filter: Option<String>,

    /// Collect byte queue limits of transmit queues
    /// (/sys/class/net/IFACE/queues/tx-N/byte_queue_limits).
    #[arg(long)]
    pub queue_limits: bool,

    /// Collect the TCP small queue limit (/proc/sys/net/ipv4/tcp_limit_output_bytes).
    #[arg(long)]
    pub small_queue: bool,

    /// Also record every netlink request and reply of the run to this pcap file
    /// (LINKTYPE_NETLINK, as `tcpdump -i nlmon0` writes; Wireshark reads it). Overwrites FILE.
    #[arg(long, value_name = "FILE", conflicts_with = "replay")]
    pub record: Option<PathBuf>,

    /// Sample another network namespace: a name under /var/run/netns (`ip netns add`) or a
    /// path such as /proc/PID/ns/net. All readers then see that namespace (needs root).
    #[arg(long, value_name = "NAME|PATH", conflicts_with = "replay")]
    pub netns: Option<String>,

    /// Read netlink replies from this capture (made with --record or `tcpdump -i nlmon0`)
    /// instead of the kernel; every sample it holds is replayed, -f and -t are ignored.
    #[arg(long, value_name = "FILE")]
    pub replay: Option<PathBuf>,

    /// Run the sampling thread at real-time priority (SCHED_FIFO, PRIORITY 1-99, 10 when not
    /// given), so that the kernel's own work (disk writeback, softirqs) and busy processes
    /// cannot delay samples; the outputs stay at normal priority. Needs root or CAP_SYS_NICE.
    /// For rates whose samples take a small part of the period: a sampler busy all the time
    /// would hold a core.
    #[arg(
        long,
        value_name = "PRIORITY",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "10",
        value_parser = clap::value_parser!(u8).range(1..=99)
    )]
    pub realtime: Option<u8>,

    /// Sample some readers at rates of their own, e.g. `ss=10,tc=1000` (readers: ip, tc, ss,
    /// ss_closed, queue_limits, small_queue); the others sample at -f. Each reader keeps its own absolute
    /// schedule and takes ceil(TIME × RATE) samples. May be repeated.
    #[arg(long, value_name = "READER=RATE,...", value_parser = parse_rates)]
    pub rate: Vec<Vec<(String, f64)>>,

    /// JSON: write an interface, qdisc, socket or queue only when one of its values changed
    /// since it was last written (with its identity keys; objects that vanished are listed in
    /// "gone"), and every record whole (a keyframe) every KEYFRAME_SECONDS (10 when not given;
    /// seconds, or a duration with a unit as for -t: 500ms, 1m).
    /// Records carry "changes": true; scripts/expand_changes.py turns them back into full
    /// records. Needs -j.
    #[arg(
        long,
        value_name = "KEYFRAME_SECONDS",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "10",
        value_parser = parse_keyframe
    )]
    pub changes_only: Option<f64>,
    /// Serve the statistics at http://ADDR:PORT/metrics in Prometheus's text format or
    /// OpenMetrics (with the maximum and quantiles of bursty gauges since the previous scrape)
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: Option<SocketAddr>,
    /// Also serve the sockets --ss-filter selects at --listen, at most MAX of them (a socket
    /// keeps its series while it lives; the sockets left out are counted)
    #[arg(long, value_name = "MAX", value_parser = clap::value_parser!(u32).range(1..))]
    pub metrics_sockets: Option<u32>,

    /// Console: show a frame every SECONDS (decimal; default 1, or every sample when sampling
    /// is slower), with rates over the samples of that interval and the peaks within it.
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub refresh: Option<f64>,

    /// Console view: "top" redraws one screen in place, fitted to the terminal (q quits);
    /// "plain" appends a block per frame; "auto" (default) is top when standard output is a
    /// terminal, plain otherwise.
    #[arg(long, value_name = "VIEW", default_value = "auto")]
    pub console: ConsoleView,

    /// Console: also list idle interfaces and qdiscs (hidden in the top view) and sockets that
    /// moved no data in the interval (hidden in both views).
    #[arg(long)]
    pub all_rows: bool,
}

/// `--console`: how the console shows its frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ConsoleView {
    /// Top on a terminal, plain otherwise.
    Auto,
    /// A block per frame, appended.
    Plain,
    /// One screen, redrawn in place.
    Top,
}

/// Longest display interval accepted, in seconds (a day).
const MAX_REFRESH: f64 = 86_400.0;

/// A duration in seconds, a positive decimal number (`0.5`, `2`); the one place durations of
/// display options are read, so that unit suffixes, when added, apply to all of them.
pub fn parse_seconds(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number of seconds"))?;
    if !v.is_finite() || v <= 0.0 || v > MAX_REFRESH {
        return Err(format!(
            "must be a positive number of seconds up to {MAX_REFRESH}, not {s}"
        ));
    }
    Ok(v)
}

/// How long a run lasts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RunTime {
    /// This many seconds.
    Seconds(f64),
    /// Until interrupted.
    Unbounded,
}

fn parse_frequency(s: &str) -> Result<f64, String> {
    let f: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number"))?;
    if !f.is_finite() || f <= 0.0 {
        return Err(format!(
            "must be a positive number of samples per second, not {s}"
        ));
    }
    if f > MAX_FREQUENCY {
        return Err(format!(
            "{s} is above the highest supported frequency, {MAX_FREQUENCY}"
        ));
    }
    Ok(f)
}

fn parse_time(s: &str) -> Result<RunTime, String> {
    let t = s.trim();
    if ["none", "inf", "infinity"]
        .iter()
        .any(|w| t.eq_ignore_ascii_case(w))
    {
        return Ok(RunTime::Unbounded);
    }
    let secs =
        parse_duration(t).map_err(|e| format!("{e} (use \"none\" to run until interrupted)"))?;
    if secs <= 0.0 {
        return Err(format!(
            "must be a positive duration, not {s} (use \"none\" to run until interrupted)"
        ));
    }
    Ok(RunTime::Seconds(secs))
}

/// The units a duration may carry, with their length in seconds. A bare number is seconds.
pub const DURATION_UNITS: [(&str, f64); 4] = [("ms", 1e-3), ("s", 1.0), ("m", 60.0), ("h", 3600.0)];

/// A duration in seconds: a non-negative decimal number (fractions and exponents allowed, as
/// `-t` always took them), optionally followed by one unit of [`DURATION_UNITS`]: `2.5`,
/// `500ms`, `10s`, `1.5m`, `1h`. One number and one unit, nothing else: `1h30m` is an error
/// (write `90m`).
pub fn parse_duration(s: &str) -> Result<f64, String> {
    let t = s.trim();
    let not_a_duration =
        || format!("{s:?} is not a duration (seconds, or a number with ms, s, m or h)");
    // The unit starts at the first letter that cannot belong to the number (`e` of an exponent
    // can).
    let split = t
        .find(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let value: f64 = number.parse().map_err(|_| not_a_duration())?;
    if !value.is_finite() {
        return Err(not_a_duration());
    }
    let scale = if unit.is_empty() {
        1.0
    } else {
        DURATION_UNITS
            .iter()
            .find(|(u, _)| *u == unit)
            .map(|(_, scale)| *scale)
            .ok_or_else(|| {
                format!(
                    "{s:?}: the unit {unit:?} is not one of ms, s, m, h (a bare number is seconds)"
                )
            })?
    };
    let secs = value * scale;
    if !secs.is_finite() {
        return Err(format!("{s:?} is too long a duration"));
    }
    Ok(secs)
}

fn parse_keyframe(s: &str) -> Result<f64, String> {
    let secs = parse_duration(s)?;
    if secs < 1e-6 {
        return Err(format!(
            "the keyframe interval must be at least a microsecond, not {s}"
        ));
    }
    Ok(secs)
}

fn parse_rates(s: &str) -> Result<Vec<(String, f64)>, String> {
    s.split(',')
        .map(|item| {
            let (reader, rate) = item
                .split_once('=')
                .ok_or_else(|| format!("{item:?} is not READER=RATE (e.g. ss=10)"))?;
            let reader = reader.trim().replace('-', "_");
            if !READER_NAMES.contains(&reader.as_str()) {
                return Err(format!(
                    "{reader:?} is not a reader (one of {})",
                    READER_NAMES.join(", ")
                ));
            }
            Ok((reader, parse_frequency(rate.trim())?))
        })
        .collect()
}

/// The readers' names, as records and `--rate` name them.
pub const READER_NAMES: [&str; 6] = ["ip", "tc", "ss", "ss_closed", "queue_limits", "small_queue"];

/// One or more interface names, comma-separated.
fn parse_ifaces(s: OsString) -> Result<Vec<OsString>, String> {
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    s.as_bytes()
        .split(|&b| b == b',')
        .map(|name| parse_iface(OsString::from_vec(name.to_vec())))
        .collect()
}

/// An interface name as the kernel accepts it (`dev_valid_name`): 1 to 15 bytes of anything
/// but `/`, `:` and white space, not `.` or `..`. The bytes need not be UTF-8.
fn parse_iface(s: OsString) -> Result<OsString, String> {
    use std::os::unix::ffi::OsStrExt;
    let b = s.as_bytes();
    if b.is_empty() || b.len() > MAX_IFNAME {
        return Err(format!(
            "interface names are 1 to {MAX_IFNAME} bytes long, {s:?} is {}",
            b.len()
        ));
    }
    // The kernel's isspace() (lib/ctype.c): \t to \r, space and Latin-1's no-break space.
    let space = |c: u8| matches!(c, b'\t'..=b'\r' | b' ' | 0xa0);
    if b == b"." || b == b".." || b.iter().any(|&c| c == b'/' || c == b':' || space(c)) {
        return Err(format!("{s:?} is not a valid interface name"));
    }
    Ok(s)
}

/// Which readers a run uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReaderSet {
    /// `ip`
    pub ip: bool,
    /// `tc`
    pub tc: bool,
    /// `ss`
    pub ss: bool,
    /// `ss_closed`
    pub ss_closed: bool,
    /// `queue_limits`
    pub queue_limits: bool,
    /// `small_queue`
    pub small_queue: bool,
}

/// A validated run configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Verbose output.
    pub verbose: bool,
    /// Restrict interface-based readers to these interfaces (their names' bytes); empty: all.
    pub iface: Vec<OsString>,
    /// Samples per second.
    pub frequency: f64,
    /// Number of samples, `None` for an unbounded run.
    pub samples: Option<u64>,
    /// Log to the console.
    pub console: bool,
    /// Append JSON Lines to this file.
    pub json: Option<PathBuf>,
    /// The readers.
    pub readers: ReaderSet,
    /// Record the run's netlink traffic to this pcap file.
    pub record: Option<PathBuf>,
    /// Replay this capture instead of asking the kernel.
    pub replay: Option<PathBuf>,
    /// Enter this network namespace (name or path) before opening anything.
    pub netns: Option<String>,
    /// Sample at this SCHED_FIFO priority.
    pub realtime: Option<u8>,
    /// Only sockets that match this filter (the ss reader).
    pub ss_filter: Option<Filter>,
    /// Readers with a schedule of their own: (reader, samples per second, samples).
    pub rates: Vec<(String, f64, Option<u64>)>,
    /// `--changes-only`: the keyframe interval in seconds.
    pub changes_only: Option<f64>,
    /// `--listen`: where to serve Prometheus metrics.
    pub listen: Option<SocketAddr>,
    /// `--metrics-sockets`: the most sockets served at `--listen`.
    pub metrics_sockets: Option<u32>,
    /// `--refresh`: seconds between console frames (`None`: 1 s, or every sample when slower).
    pub refresh: Option<f64>,
    /// `--console`: the console's view.
    pub console_view: ConsoleView,
    /// `--all-rows`: idle rows on the console too.
    pub all_rows: bool,
    /// Warnings to show before the run (the run still happens).
    pub warnings: Vec<String>,
}

/// A usage error: exit code 2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// What parsing the command line leads to.
#[derive(Debug)]
pub enum Parsed {
    /// Run with this configuration.
    Run(Box<Config>),
    /// Print this text (help or version) to standard output and exit 0.
    Print(String),
}

/// Parse and validate the command line (`args` includes the program name).
pub fn parse<I, T>(args: I) -> Result<Parsed, UsageError>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    use clap::{CommandFactory, FromArgMatches};
    let parsed = Cli::command()
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m).map(|cli| (cli, m)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => {
            use clap::error::ErrorKind;
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    Ok(Parsed::Print(e.render().to_string()))
                }
                _ => Err(UsageError(one_line(&e))),
            };
        }
    };
    let given = |id: &str| matches.value_source(id) == Some(clap::parser::ValueSource::CommandLine);
    Config::new(cli, &given).map(|c| Parsed::Run(Box::new(c)))
}

/// clap's message without its "error: " prefix, usage and tip lines.
fn one_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let first = text.lines().next().unwrap_or("invalid arguments");
    first.strip_prefix("error: ").unwrap_or(first).to_owned()
}

/// Samples in a run of `time` at `frequency`: `ceil(TIME × FREQUENCY)`, `None` when unbounded.
fn samples_in(time: RunTime, frequency: f64) -> Result<Option<u64>, UsageError> {
    match time {
        RunTime::Unbounded => Ok(None),
        RunTime::Seconds(secs) => {
            // Tolerate binary rounding of decimal input: 0.3 s × 10 Hz is 3 samples, not 4.
            let n = (secs * frequency - 1e-9).ceil().max(1.0);
            if n > MAX_SAMPLES {
                return Err(UsageError(format!(
                    "-t {secs} at {frequency} samples/s is more samples than can be counted; \
                     use -t none to run until interrupted"
                )));
            }
            Ok(Some(n as u64))
        }
    }
}

impl TryFrom<Cli> for Config {
    type Error = UsageError;

    /// The configuration of `cli`; an option whose value is its default counts as not given.
    fn try_from(cli: Cli) -> Result<Config, UsageError> {
        let defaults = Cli::parse_from(["netstatspy"]);
        let given = |id: &str| match id {
            "frequency" => cli.frequency != defaults.frequency,
            "time" => cli.time != defaults.time,
            "file_name" => cli.file_name != defaults.file_name,
            _ => false,
        };
        Config::new(cli.clone(), &given)
    }
}

impl Config {
    /// Validate `cli`; `given(id)` says whether the option of that id was on the command line
    /// (rather than its default), for the warnings about options that have no effect.
    fn new(cli: Cli, given: &dyn Fn(&str) -> bool) -> Result<Config, UsageError> {
        let readers = ReaderSet {
            ip: !cli.no_ip,
            tc: cli.tc,
            ss: cli.ss,
            ss_closed: cli.ss_closed,
            queue_limits: cli.queue_limits,
            small_queue: cli.small_queue,
        };
        if readers == ReaderSet::default() {
            return Err(UsageError(
                "no reader selected: --no-ip leaves nothing to collect; add --tc, --ss, \
                 --queue-limits or --small-queue"
                    .into(),
            ));
        }
        let samples = samples_in(cli.time, cli.frequency)?;
        let mut rates: Vec<(String, f64, Option<u64>)> = Vec::new();
        for (reader, frequency) in cli.rate.iter().flatten() {
            let selected = match reader.as_str() {
                "ip" => readers.ip,
                "tc" => readers.tc,
                "ss" => readers.ss,
                "ss_closed" => readers.ss_closed,
                "queue_limits" => readers.queue_limits,
                _ => readers.small_queue,
            };
            if !selected {
                return Err(UsageError(format!(
                    "--rate {reader}={frequency}: the {reader} reader is not selected"
                )));
            }
            rates.retain(|(r, _, _)| r != reader);
            rates.push((
                reader.clone(),
                *frequency,
                samples_in(cli.time, *frequency)?,
            ));
        }
        if cli.json && cli.file_name.is_dir() {
            return Err(UsageError(format!(
                "--file-name {} is a directory",
                cli.file_name.display()
            )));
        }
        if cli.replay.is_some() && (readers.queue_limits || readers.small_queue) {
            return Err(UsageError(
                "--queue-limits and --small-queue read sysfs and procfs, which a netlink \
                 capture does not hold: they cannot be replayed"
                    .into(),
            ));
        }
        if let Some(path) = cli.record.as_ref().filter(|p| p.is_dir()) {
            return Err(UsageError(format!(
                "--record {} is a directory",
                path.display()
            )));
        }
        if cli.ss_filter.is_some() && !cli.ss && !cli.ss_closed {
            return Err(UsageError(
                "--ss-filter needs --ss or --ss-closed (it selects the sockets they log)".into(),
            ));
        }
        if cli.ss_closed && cli.replay.is_some() {
            return Err(UsageError(
                "--ss-closed logs close reports as they happen, which a capture does not hold: \
                 it cannot be replayed"
                    .into(),
            ));
        }
        if cli.metrics_sockets.is_some() && cli.listen.is_none() {
            return Err(UsageError(
                "--metrics-sockets chooses the sockets served at --listen: it needs --listen"
                    .into(),
            ));
        }
        if cli.metrics_sockets.is_some() && (cli.ss_filter.is_none() || !cli.ss) {
            return Err(UsageError(
                "--metrics-sockets serves only the sockets a filter selects: it needs --ss and \
                 --ss-filter"
                    .into(),
            ));
        }
        if cli.changes_only.is_some() && !cli.json {
            return Err(UsageError(
                "--changes-only shapes the JSON records: it needs -j".into(),
            ));
        }
        let ss_filter = match &cli.ss_filter {
            Some(text) => {
                Some(filter::parse(text).map_err(|e| UsageError(format!("--ss-filter: {e}")))?)
            }
            None => None,
        };
        let mut warnings = Vec::new();
        if cli.ss_closed && cli.record.is_some() {
            warnings.push(
                "--ss-closed with --record: close reports are logged but not recorded (they are \
                 not answers to requests)"
                    .into(),
            );
        }
        if cli.no_console && !cli.json && cli.record.is_none() && cli.listen.is_none() {
            warnings.push(
                "-c without -j: nothing will be logged (add -j to write the JSON file)".into(),
            );
        }
        if !cli.json && given("file_name") {
            warnings.push(format!(
                "--file-name {} without -j: nothing is written to it (add -j to write JSON)",
                cli.file_name.display()
            ));
        }
        if cli.replay.is_some() {
            let ignored: Vec<&str> = [("frequency", "-f"), ("time", "-t")]
                .into_iter()
                .filter(|(id, _)| given(id))
                .map(|(_, flag)| flag)
                .chain((!cli.rate.is_empty()).then_some("--rate"))
                .collect();
            if !ignored.is_empty() {
                warnings.push(format!(
                    "{} with --replay: ignored (a replay takes every sample the capture holds, \
                     at its recorded times)",
                    ignored.join(", ")
                ));
            }
            if cli.ss_filter.is_some() {
                warnings.push(
                    "--ss-filter with --replay: not applied again (the capture holds the sockets \
                     the recording kernel selected)"
                        .into(),
                );
            }
            if cli.realtime.is_some() {
                warnings.push(
                    "--realtime with --replay: no effect (a replay keeps no schedule)".into(),
                );
            }
        }
        // With --replay and no reader asked for, the readers are those of the recording.
        let readers_from_capture = cli.replay.is_some()
            && readers
                == ReaderSet {
                    ip: true,
                    ..ReaderSet::default()
                };
        if !cli.iface.is_empty()
            && !readers.ip
            && !readers.tc
            && !readers.queue_limits
            && !readers_from_capture
        {
            warnings.push(
                "--iface without the ip, tc or queue_limits reader: ignored (the ss and \
                 small_queue readers are not per interface)"
                    .into(),
            );
        }
        let selected: Vec<&str> = [
            ("ip", readers.ip),
            ("tc", readers.tc),
            ("ss", readers.ss),
            ("ss_closed", readers.ss_closed),
            ("queue_limits", readers.queue_limits),
            ("small_queue", readers.small_queue),
        ]
        .into_iter()
        .filter_map(|(name, on)| on.then_some(name))
        .collect();
        if cli.replay.is_none()
            && given("frequency")
            && selected
                .iter()
                .all(|name| rates.iter().any(|(r, _, _)| r == name))
        {
            warnings
                .push("-f without effect: every reader selected samples at its own --rate".into());
        }
        let json_to_stdout = cli.json && cli.file_name == Path::new("-");
        Ok(Config {
            verbose: cli.verbose,
            iface: {
                let mut names: Vec<OsString> = Vec::new();
                for name in cli.iface.into_iter().flatten() {
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
                names
            },
            frequency: cli.frequency,
            samples,
            // JSON to standard output takes the console's place there.
            console: !cli.no_console && !json_to_stdout,
            json: cli.json.then_some(cli.file_name),
            readers,
            record: cli.record,
            replay: cli.replay,
            netns: cli.netns,
            realtime: cli.realtime,
            ss_filter,
            rates,
            changes_only: cli.changes_only,
            listen: cli.listen,
            metrics_sockets: cli.metrics_sockets,
            refresh: cli.refresh,
            console_view: cli.console,
            all_rows: cli.all_rows,
            warnings,
        })
    }
}

/// `netstatspy export`: the subcommand that turns JSON Lines into Parquet files. It is chosen
/// only when `export` is the first argument ([`is_export`]); any other command line is the
/// original's, parsed by [`parse`] exactly as before.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "netstatspy-export",
    bin_name = "netstatspy export",
    version,
    about = "Turn netstatspy JSON Lines into Parquet files, one per record type (ip.parquet, \
             tc.parquet, ss.parquet, ...), with one row per element of each record's stats and \
             flat, typed columns."
)]
pub struct ExportCli {
    /// JSON Lines files written by `netstatspy -j` (zstd-compressed when the name ends in
    /// .zst), read in the order given.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// The directory to write TYPE.parquet to; created when missing. Files of the same names
    /// in it are replaced.
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,

    /// Rows per Parquet row group at most (a row group is also closed at 32 MiB of encoded
    /// data).
    #[arg(long, value_name = "ROWS", default_value = "16384",
          value_parser = clap::value_parser!(u64).range(1..=(1 << 30)))]
    pub row_group_rows: u64,

    /// No progress and no summary on standard error (warnings are still printed).
    #[arg(short, long)]
    pub quiet: bool,
}

/// True when the command line (`args` includes the program name) is `netstatspy export …`.
/// The original command line takes no positional argument, so no command line it accepted
/// starts with `export`.
pub fn is_export<T: AsRef<std::ffi::OsStr>>(args: &[T]) -> bool {
    args.get(1).is_some_and(|a| a.as_ref() == "export")
}

/// What parsing `netstatspy export …` leads to.
#[derive(Debug)]
pub enum ExportParsed {
    /// Export with these arguments.
    Run(ExportCli),
    /// Print this text (help or version) to standard output and exit 0.
    Print(String),
}

/// Parse `netstatspy export …` (`args` includes the program name and `export`).
pub fn parse_export<T: Into<OsString> + Clone>(args: &[T]) -> Result<ExportParsed, UsageError> {
    let argv = std::iter::once(OsString::from("netstatspy export"))
        .chain(args.iter().skip(2).cloned().map(Into::into));
    match ExportCli::try_parse_from(argv) {
        Ok(cli) => Ok(ExportParsed::Run(cli)),
        Err(e) => {
            use clap::error::ErrorKind;
            match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    Ok(ExportParsed::Print(e.render().to_string()))
                }
                _ => Err(UsageError(one_line_with_list(&e))),
            }
        }
    }
}

/// `netstatspy report`: the subcommand that turns JSON Lines into one self-contained HTML file
/// with plots. It is chosen only when `report` is the first argument ([`is_report`]).
#[derive(Debug, Clone, Parser)]
#[command(
    name = "netstatspy-report",
    bin_name = "netstatspy report",
    version,
    about = "Turn netstatspy JSON Lines into one self-contained HTML file with plots (run \
             headers, interfaces, qdiscs, the busiest sockets, byte queue limits, the TCP small \
             queue limit) that opens offline."
)]
pub struct ReportCli {
    /// JSON Lines files written by `netstatspy -j` (zstd-compressed when the name ends in
    /// .zst; changes-only records are made whole), read in the order given.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// The HTML file to write (replaced when it exists).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,

    /// Sockets shown: the busiest by bytes acknowledged per second.
    #[arg(long, value_name = "N", default_value = "10",
          value_parser = clap::value_parser!(u64).range(0..=1000))]
    pub top: u64,

    /// Buckets per series: a longer series is shown as the minimum and maximum of each bucket
    /// (every peak kept), at most 4 points per bucket.
    #[arg(long, value_name = "N", default_value = "1000",
          value_parser = clap::value_parser!(u64).range(10..=1_000_000))]
    pub buckets: u64,

    /// No summary on standard error (warnings are still printed).
    #[arg(short, long)]
    pub quiet: bool,
}

/// True when the command line (`args` includes the program name) is `netstatspy report …`.
pub fn is_report<T: AsRef<std::ffi::OsStr>>(args: &[T]) -> bool {
    args.get(1).is_some_and(|a| a.as_ref() == "report")
}

/// What parsing `netstatspy report …` leads to.
#[derive(Debug)]
pub enum ReportParsed {
    /// Report with these arguments.
    Run(ReportCli),
    /// Print this text (help or version) to standard output and exit 0.
    Print(String),
}

/// Parse `netstatspy report …` (`args` includes the program name and `report`).
pub fn parse_report<T: Into<OsString> + Clone>(args: &[T]) -> Result<ReportParsed, UsageError> {
    let argv = std::iter::once(OsString::from("netstatspy report"))
        .chain(args.iter().skip(2).cloned().map(Into::into));
    match ReportCli::try_parse_from(argv) {
        Ok(cli) => Ok(ReportParsed::Run(cli)),
        Err(e) => {
            use clap::error::ErrorKind;
            match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    Ok(ReportParsed::Print(e.render().to_string()))
                }
                _ => Err(UsageError(one_line_with_list(&e))),
            }
        }
    }
}

/// clap's message on one line, with the list some messages put on the lines after a colon
/// (the missing required arguments) joined to it.
fn one_line_with_list(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let first = one_line(e);
    if !first.ends_with(':') {
        return first;
    }
    let list: Vec<&str> = text
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with(' '))
        .map(str::trim)
        .collect();
    format!("{first} {}", list.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Config, String> {
        let argv = std::iter::once("netstatspy").chain(args.iter().copied());
        match parse(argv) {
            Ok(Parsed::Run(c)) => Ok(*c),
            Ok(Parsed::Print(t)) => Err(format!("printed: {t}")),
            Err(e) => Err(e.0),
        }
    }

    #[test]
    fn defaults_match_the_original() {
        let c = run(&[]).expect("defaults");
        assert_eq!(c.frequency, 1.0);
        assert_eq!(c.samples, Some(10));
        assert!(c.console);
        assert_eq!(c.json, None);
        assert!(c.iface.is_empty());
        assert!(c.readers.ip && !c.readers.tc && !c.readers.ss);
        assert!(!c.readers.queue_limits && !c.readers.small_queue);
        let c = run(&["--no-ip", "--queue-limits", "--small-queue"]).expect("sysfs readers");
        assert!(!c.readers.ip && c.readers.queue_limits && c.readers.small_queue);
        assert!(c.warnings.is_empty());
    }

    #[test]
    fn every_option_parses() {
        let c = run(&[
            "-v",
            "--iface",
            "eth0",
            "-f",
            "2.5",
            "-t",
            "4",
            "-j",
            "--file-name",
            "out.jsonl",
        ])
        .expect("parse");
        assert!(c.verbose);
        assert_eq!(c.iface, vec![OsString::from("eth0")]);
        assert_eq!(c.frequency, 2.5);
        assert_eq!(c.samples, Some(10));
        assert_eq!(c.json, Some(PathBuf::from("out.jsonl")));
        let c = run(&[
            "--frequency",
            "5",
            "--time",
            "2",
            "--json",
            "--no-console",
            "--verbose",
        ])
        .expect("long forms");
        assert_eq!(c.samples, Some(10));
        assert!(!c.console && c.verbose && c.json.is_some());
    }

    #[test]
    fn sample_count_is_ceiling_of_time_times_frequency() {
        assert_eq!(run(&["-t", "0.3", "-f", "10"]).expect("t").samples, Some(3));
        assert_eq!(run(&["-t", "2.1", "-f", "1"]).expect("t").samples, Some(3));
        assert_eq!(run(&["-t", "0.01", "-f", "1"]).expect("t").samples, Some(1));
        for none in ["none", "inf", "INF", "None"] {
            assert_eq!(run(&["-t", none]).expect("t").samples, None, "{none}");
        }
    }

    #[test]
    fn bad_numbers_are_usage_errors() {
        for args in [
            &["-f", "0"][..],
            &["-f", "-1"],
            &["-f", "abc"],
            &["-f", "nan"],
            &["-f", "inf"],
            &["-f", "1e9"],
            &["-t", "-5"],
            &["-t", "0"],
            &["-t", "nan"],
            &["-t", "abc"],
            &["-t", "1e300"],
            &["--iface", "this-name-is-too-long"],
            &["--iface", ""],
            &["--iface", "a/b"],
            &["--bogus"],
        ] {
            let e = run(args).expect_err(&format!("{args:?} must fail"));
            assert!(!e.contains('\n'), "one line: {e}");
            assert!(!e.starts_with("error:"), "{e}");
        }
    }

    #[test]
    fn no_reader_is_an_error_and_no_output_a_warning() {
        assert!(run(&["--no-ip"]).expect_err("none").contains("no reader"));
        let c = run(&["-c"]).expect("runs");
        assert_eq!(c.warnings.len(), 1);
        assert!(run(&["-c", "-j"]).expect("runs").warnings.is_empty());
    }

    #[test]
    fn record_and_replay_are_exclusive() {
        let c = run(&["--record", "a.pcap"]).expect("record");
        assert_eq!(c.record, Some(PathBuf::from("a.pcap")));
        let c = run(&["--replay", "a.pcap"]).expect("replay");
        assert_eq!(c.replay, Some(PathBuf::from("a.pcap")));
        let e = run(&["--record", "a.pcap", "--replay", "b.pcap"]).expect_err("both");
        assert!(e.contains("--record") && e.contains("--replay"), "{e}");
        assert!(
            run(&["--record", "/"])
                .expect_err("dir")
                .contains("directory")
        );
    }

    #[test]
    fn changes_only_takes_an_optional_keyframe_interval_and_needs_json() {
        assert_eq!(run(&["-j"]).expect("full").changes_only, None);
        let c = run(&["-j", "--changes-only"]).expect("bare");
        assert_eq!(c.changes_only, Some(10.0));
        let c = run(&["-j", "--changes-only=0.5"]).expect("interval");
        assert_eq!(c.changes_only, Some(0.5));
        for bad in ["--changes-only=0", "--changes-only=-1", "--changes-only=x"] {
            assert!(run(&["-j", bad]).is_err(), "{bad}");
        }
        assert!(
            run(&["--changes-only"])
                .expect_err("no -j")
                .contains("needs -j")
        );
    }

    #[test]
    fn durations_take_units_and_bare_numbers_stay_seconds() {
        for (text, secs) in [
            ("10", 10.0),
            ("0.5", 0.5),
            ("2.5e1", 25.0),
            ("500ms", 0.5),
            ("10s", 10.0),
            ("2m", 120.0),
            ("1.5m", 90.0),
            ("1h", 3600.0),
            (" 3s ", 3.0),
        ] {
            assert_eq!(parse_duration(text), Ok(secs), "{text}");
        }
        for bad in [
            "", "s", "1x", "1 h", "1h30m", "1H", "nan", "inf", "1e400", "ms5", "1.2.3s",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        // -t: 0.5 s at 10/s is 5 samples, 2 minutes at 1/s 120.
        assert_eq!(
            run(&["-t", "500ms", "-f", "10"]).expect("ms").samples,
            Some(5)
        );
        assert_eq!(run(&["-t", "2m"]).expect("m").samples, Some(120));
        assert_eq!(
            run(&["-t", "1h", "-f", "2"]).expect("h").samples,
            Some(7200)
        );
        assert_eq!(run(&["-t", "1s"]).expect("s").samples, Some(1));
        let c = run(&["-j", "--changes-only=1m"]).expect("keyframe with a unit");
        assert_eq!(c.changes_only, Some(60.0));
        for bad in ["-5", "0", "-1s", "0ms"] {
            let e = run(&["-t", bad]).expect_err(bad);
            assert!(e.contains("positive"), "{bad}: {e}");
        }
    }

    #[test]
    fn negative_frequencies_are_named_as_such() {
        let e = run(&["-f", "-1"]).expect_err("-f -1");
        assert!(e.contains("positive number"), "{e}");
        assert!(!e.contains("unexpected argument"), "{e}");
    }

    #[test]
    fn options_without_effect_are_warned_about_once() {
        let warned = |args: &[&str], what: &str| {
            let c = run(args).expect("runs");
            let hits = c.warnings.iter().filter(|w| w.contains(what)).count();
            assert_eq!(hits, 1, "{args:?}: {:?}", c.warnings);
        };
        warned(&["--file-name", "x.json"], "--file-name x.json without -j");
        warned(&["--replay", "a.pcap", "-f", "5"], "-f with --replay");
        warned(
            &["--replay", "a.pcap", "-t", "5", "--rate", "ip=2"],
            "-t, --rate with --replay",
        );
        warned(
            &["--replay", "a.pcap", "--ss", "--ss-filter", "dport = :1"],
            "--ss-filter with --replay",
        );
        warned(
            &["--replay", "a.pcap", "--realtime"],
            "--realtime with --replay",
        );
        warned(&["--no-ip", "--ss", "--iface", "lo"], "--iface without");
        warned(
            &["--tc", "-f", "5", "--rate", "ip=2,tc=3"],
            "-f without effect",
        );
        // Given where they act, or left at their defaults: no warning.
        for args in [
            &["-j", "--file-name", "x.json"][..],
            &["--replay", "a.pcap"],
            &["--replay", "a.pcap", "--iface", "lo"],
            &["--tc", "--iface", "lo"],
            &["--ss", "--ss-filter", "dport = :1"],
            &["-f", "5", "-t", "3"],
            &["--tc", "-f", "5", "--rate", "tc=3"],
            &["--rate", "ip=2"],
        ] {
            assert!(run(args).expect("runs").warnings.is_empty(), "{args:?}");
        }
        // Built from a Cli value, not a command line: a value other than the default counts as
        // given.
        let cli = Cli::parse_from(["netstatspy", "--file-name", "y.json"]);
        let c = Config::try_from(cli).expect("config");
        assert_eq!(c.warnings.len(), 1, "{:?}", c.warnings);
    }

    #[test]
    fn help_and_version_are_printed() {
        let argv = ["netstatspy", "--help"];
        match parse(argv).expect("help") {
            Parsed::Print(t) => {
                for opt in [
                    "--verbose",
                    "--iface",
                    "--frequency",
                    "--time",
                    "--no-console",
                    "--json",
                    "--file-name",
                    "--no-ip",
                    "--tc",
                    "--ss",
                    "--queue-limits",
                    "--small-queue",
                ] {
                    assert!(t.contains(opt), "{opt} missing from help");
                }
            }
            Parsed::Run(_) => panic!("help must print"),
        }
        assert!(matches!(parse(["netstatspy", "-h"]), Ok(Parsed::Print(_))));
    }
}
