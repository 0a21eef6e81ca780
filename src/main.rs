//! `netstatspy`: the command-line front end. Everything but wiring lives in the library.

use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use netlink_sys::constants::NETLINK_SOCK_DIAG;
use netstatspy::capture::{Capture, CaptureWriter, ReplayState};
use netstatspy::cli::{self, Config, Parsed};
use netstatspy::export::{Event as ExportEvent, ExportConfig};
use netstatspy::model::run::RunInfo;
use netstatspy::model::{Record, Stats};
use netstatspy::output::console::{self, Console};
use netstatspy::output::json::encoder::JsonEncoder;
use netstatspy::output::pipeline::{Bounds, Pipeline};
use netstatspy::output::{Output, json::JsonLines, metrics};
use netstatspy::readers::queue_limits::QueueLimitsReader;
use netstatspy::readers::small_queue::SmallQueueReader;
use netstatspy::readers::ss::closed::ClosedReader;
use netstatspy::readers::ss::{SsReader, sock_diag_open_error};
use netstatspy::readers::tc::{TcReader, kernel_ticks};
use netstatspy::readers::{Reader, Warning, ip::IpReader};
use netstatspy::sampler::{Event, Sampler, Schedule, Second, Summary};
use netstatspy::source::Source;
use netstatspy::{count, count_as};

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if cli::is_export(&args) {
        return export(&args);
    }
    if cli::is_report(&args) {
        return html_report(&args);
    }
    let config = match cli::parse(args) {
        Ok(Parsed::Run(config)) => config,
        Ok(Parsed::Print(text)) => {
            print!("{text}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("netstatspy: error: {e} (see netstatspy --help)");
            return ExitCode::from(2);
        }
    };
    for warning in &config.warnings {
        eprintln!("netstatspy: warning: {warning}");
    }
    match run(&config) {
        Ok(summary) => {
            warn_dropped(&summary);
            if config.verbose {
                report(&summary, started.elapsed());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("netstatspy: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(config: &Config) -> anyhow::Result<Summary> {
    let mut config = config.clone();
    let config = &mut config;
    // First of all, so a signal during start-up also ends the run cleanly.
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // A second signal while the first is being honoured ends the process at once.
        signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&stop))?;
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    // Bound before entering --netns: the endpoint stays reachable where netstatspy was started,
    // and its series carry the sampled namespace as a label.
    let listener = match config.listen {
        Some(addr) => Some(
            std::net::TcpListener::bind(addr)
                .with_context(|| format!("cannot listen on {addr}"))?,
        ),
        None => None,
    };
    if let Some(spec) = &config.netns {
        netstatspy::netns::enter(&netstatspy::netns::resolve(spec))?;
    }
    let (source, schedule) = match (&config.record.clone(), &config.replay.clone()) {
        (_, Some(path)) => {
            let capture = Capture::read(path)?;
            replay_as_recorded(config, &capture, path)?;
            if capture.truncated {
                eprintln!(
                    "netstatspy: warning: {} ends in a partial packet (recording cut short); \
                     replaying what precedes it",
                    path.display()
                );
            }
            (
                Source::Replay(ReplayState::new(capture)),
                Schedule::UntilEndOfInput,
            )
        }
        (Some(path), None) => (
            Source::Record(CaptureWriter::create(path)?.shared()),
            Schedule::Every {
                frequency: config.frequency,
                samples: config.samples,
            },
        ),
        (None, None) => (
            Source::Live,
            Schedule::Every {
                frequency: config.frequency,
                samples: config.samples,
            },
        ),
    };
    let iface = &config.iface[..];
    let mut readers: Vec<Box<dyn Reader>> = Vec::new();
    if config.readers.ip {
        let (transport, watch) = source.route_reader(libc::RTM_GETSTATS)?;
        readers.push(Box::new(IpReader::with_source(
            transport,
            watch,
            source.programs(),
            iface,
        )?));
    }
    if config.readers.tc {
        let (transport, watch) = source.route_reader(libc::RTM_GETQDISC)?;
        let ticks = kernel_ticks();
        readers.push(Box::new(TcReader::with_source(
            transport, watch, iface, ticks,
        )?));
    }
    if config.readers.ss {
        // Names of bound sockets' interfaces: subscribed to link changes before the first dump.
        let names = source.link_names(NETLINK_SOCK_DIAG)?;
        let transport = source
            .transport(NETLINK_SOCK_DIAG)
            .map_err(sock_diag_open_error)?;
        let mut reader = SsReader::with_source(transport).with_names(names);
        if let Some(filter) = &config.ss_filter {
            // A replayed capture answers with what the recording kernel sent: the filter it
            // was recorded with already chose the sockets.
            if !matches!(source, Source::Replay(_)) {
                let program = filter
                    .compile(&mut netstatspy::readers::ss::interface_index)
                    .map_err(|e| anyhow::anyhow!("--ss-filter: {e}"))?;
                reader = reader.with_filter(&program);
            }
        }
        readers.push(Box::new(reader));
    }
    if config.readers.ss_closed {
        let filter = match &config.ss_filter {
            Some(f) => Some(
                f.resolved(&mut netstatspy::readers::ss::interface_index)
                    .map_err(|e| anyhow::anyhow!("--ss-filter: {e}"))?,
            ),
            None => None,
        };
        readers.push(Box::new(ClosedReader::open(filter)?));
    }
    if config.readers.queue_limits {
        readers.push(Box::new(QueueLimitsReader::open(&config.iface)?));
    }
    if config.readers.small_queue {
        readers.push(Box::new(SmallQueueReader::open()?));
    }
    // A run whose only product is its recording reads nothing a recording cannot hold, and
    // decodes nothing: replaying the recording decodes it later.
    let exchange_only = config.record.is_some() && config.json.is_none() && !config.console;
    if exchange_only {
        let (kept, dropped): (Vec<_>, Vec<_>) = readers.into_iter().partition(|r| r.recordable());
        for r in &dropped {
            eprintln!(
                "netstatspy: warning: {}: not read, as nothing is logged and a recording cannot \
                 hold it (add -j to log it)",
                r.kind()
            );
        }
        if kept.is_empty() {
            anyhow::bail!("nothing to record: the readers chosen read nothing a recording holds");
        }
        readers = kept;
    }
    let mut outputs: Vec<Box<dyn Output>> = Vec::new();
    if let Some(path) = &config.json {
        let mut json = JsonLines::open(path)?;
        if let Some(keyframe) = config.changes_only {
            json = json.changes_only(std::time::Duration::from_secs_f64(keyframe));
        }
        if let Some(bytes) = json.repaired() {
            eprintln!(
                "netstatspy: warning: {} ended in a zstd frame cut short ({bytes} bytes, left by a \
                 run that was killed); it was cut off before appending",
                path.display()
            );
        }
        outputs.push(Box::new(json));
    }
    if let Some(listener) = listener {
        let labels: Vec<(&str, &str)> = config
            .netns
            .as_deref()
            .map(|netns| ("netns", netns))
            .into_iter()
            .collect();
        let mut store = metrics::Store::new(&labels);
        if let Some(max) = config.metrics_sockets {
            store = store.with_sockets(max as usize);
        }
        let store = Arc::new(Mutex::new(store));
        metrics::http::serve(
            listener,
            Arc::clone(&store),
            metrics::http::Limits::default(),
        )
        .context("cannot start the metrics endpoint")?;
        outputs.push(Box::new(metrics::Metrics::new(store)));
    }
    // Last, so that nothing fails between taking the terminal over and the run.
    if config.console {
        outputs.push(Box::new(
            Console::stdout(console_options(config), Arc::clone(&stop))
                .context("cannot take over the terminal for the console")?,
        ));
    }
    let pipeline =
        Pipeline::start(outputs, Bounds::default()).context("cannot start the output thread")?;
    let (run_id, info) = run_header(config, &source, &readers);
    if let Source::Record(writer) = &source {
        // The capture says what it was recorded with, so `--replay` can reproduce the run.
        let header = Record {
            kind: "run",
            run: run_id.as_str().into(),
            sample: 0,
            timestamp: netstatspy::clock::wall(),
            elapsed: std::time::Duration::ZERO,
            partial: false,
            stats: Stats::Run(Box::new(info.clone())),
        };
        let mut json = Vec::new();
        JsonEncoder::new().record(&header, &mut json);
        writer.borrow_mut().write_run_header(&json);
    }
    let mut sampler = Sampler::new(readers, pipeline, schedule, stop)
        .with_run(&run_id, Some(info))
        .with_progress(config.verbose)
        .with_realtime(config.realtime)
        .exchange_only(exchange_only);
    if config.replay.is_none() {
        for (reader, frequency, samples) in &config.rates {
            sampler = sampler.with_rate(reader, *frequency, *samples);
        }
    }
    let summary = sampler.run(&mut print_event);
    // The capture is completed whatever became of the run: it is what a bug report needs.
    if let Source::Record(writer) = &source {
        writer
            .borrow_mut()
            .finish()
            .context("recording incomplete")?;
    }
    Ok(summary?)
}

/// The console's settings from the command line.
fn console_options(config: &Config) -> console::Options {
    use netstatspy::cli::ConsoleView;
    use std::io::IsTerminal;
    let period = config
        .replay
        .is_none()
        .then(|| std::time::Duration::from_secs_f64(1.0 / config.frequency));
    let top = match config.console_view {
        ConsoleView::Top => true,
        ConsoleView::Plain => false,
        ConsoleView::Auto => std::io::stdout().is_terminal(),
    };
    // Plain blocks fit COLUMNS when it is set, as a terminal's width would be.
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|w| *w > 0);
    console::Options {
        verbose: config.verbose,
        bold: false,
        refresh: std::time::Duration::from_secs_f64(config.refresh.unwrap_or(1.0)),
        period,
        last_sample: if config.replay.is_none() && config.rates.is_empty() {
            config.samples.and_then(|n| n.checked_sub(1))
        } else {
            None
        },
        all_rows: config.all_rows,
        view: if top {
            // Not a terminal (`--console top` into a file): the size COLUMNS and LINES give.
            console::View::Top {
                size: (!std::io::stdout().is_terminal()).then(console::terminal::size_from_env),
            }
        } else {
            console::View::Plain { width }
        },
    }
}

/// The run's identifier and header: what was run, where, and the host's queue settings (read
/// here, after entering the namespace sampled).
fn run_header(config: &Config, source: &Source, readers: &[Box<dyn Reader>]) -> (String, RunInfo) {
    let run_id = match source {
        Source::Replay(state) => {
            let state = state.borrow();
            let (first, count) = state.first_request();
            netstatspy::host::replay_run_id(first, count)
        }
        _ => netstatspy::host::new_run_id(),
    };
    let replay = config.replay.is_some();
    let text = |p: &std::path::Path| p.to_string_lossy().into_owned();
    let info = RunInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        command_line: std::env::args_os()
            .map(|a| a.to_string_lossy().into_owned())
            .collect(),
        host: netstatspy::host::host_name(),
        kernel: netstatspy::host::kernel_release(),
        netns: config.netns.clone(),
        netns_inode: if replay {
            0
        } else {
            netstatspy::host::netns_inode()
        },
        start_monotonic: std::time::Duration::ZERO,
        frequency: if replay { 0.0 } else { config.frequency },
        slots: if replay { None } else { config.samples },
        rates: if replay {
            Vec::new()
        } else {
            config
                .rates
                .iter()
                .map(|(r, f, _)| (r.clone(), *f))
                .collect()
        },
        readers: readers.iter().map(|r| r.kind()).collect(),
        iface: (!config.iface.is_empty()).then(|| {
            config
                .iface
                .iter()
                .map(|n| n.to_string_lossy())
                .collect::<Vec<_>>()
                .join(",")
        }),
        ss_filter: config.ss_filter.as_ref().map(|f| f.text.clone()),
        replay: config.replay.as_deref().map(text),
        record: config.record.as_deref().map(text),
        changes_only: config.changes_only,
        // A replay's settings are the recording host's, which the capture does not hold.
        settings: if replay {
            Vec::new()
        } else {
            netstatspy::host::settings()
        },
    };
    (run_id, info)
}

/// A replay reads what its capture holds: with no reader or interface asked for, those it was
/// recorded with (from the run header a recording carries, or, for other captures, the readers
/// whose requests it holds); asking for a reader or an interface it cannot answer is an error.
fn replay_as_recorded(
    config: &mut Config,
    capture: &Capture,
    path: &std::path::Path,
) -> anyhow::Result<()> {
    use netstatspy::capture::RequestKey;
    let holds = |protocol: isize, kind: u16| {
        capture
            .exchanges
            .iter()
            .any(|e: &netstatspy::capture::Exchange| {
                let k: RequestKey = e.key;
                k.protocol == protocol as u16 && (kind == 0 || k.kind == kind)
            })
    };
    let route = netlink_sys::constants::NETLINK_ROUTE;
    let has_qdiscs = holds(route, libc::RTM_GETQDISC);
    let answers = |reader: &str| match reader {
        "ip" => {
            holds(route, libc::RTM_GETSTATS) || (holds(route, libc::RTM_GETLINK) && !has_qdiscs)
        }
        "tc" => has_qdiscs,
        "ss" => holds(NETLINK_SOCK_DIAG, 0),
        _ => false,
    };
    let recorded: Vec<String> = match capture.run.as_ref().and_then(|r| r["readers"].as_array()) {
        Some(list) => list
            .iter()
            .filter_map(|r| r.as_str().map(str::to_owned))
            .filter(|r| answers(r))
            .collect(),
        None => ["ip", "tc", "ss"]
            .into_iter()
            .filter(|r| answers(r))
            .map(str::to_owned)
            .collect(),
    };
    let asked = config.readers.tc
        || config.readers.ss
        || !config.readers.ip
        || config.readers.queue_limits
        || config.readers.small_queue;
    if !asked {
        if recorded.is_empty() {
            anyhow::bail!("{} holds no answers any reader can use", path.display());
        }
        config.readers.ip = recorded.iter().any(|r| r == "ip");
        config.readers.tc = recorded.iter().any(|r| r == "tc");
        config.readers.ss = recorded.iter().any(|r| r == "ss");
    } else {
        for (reader, on) in [
            ("ip", config.readers.ip),
            ("tc", config.readers.tc),
            ("ss", config.readers.ss),
        ] {
            if on && !answers(reader) {
                anyhow::bail!(
                    "{} holds no answers for the {reader} reader (it was recorded with: {})",
                    path.display(),
                    if recorded.is_empty() {
                        "none".to_owned()
                    } else {
                        recorded.join(", ")
                    }
                );
            }
        }
    }
    let recorded_ifaces: Vec<std::ffi::OsString> = capture
        .run
        .as_ref()
        .and_then(|r| r["iface"].as_str())
        .map(|list| list.split(',').map(Into::into).collect())
        .unwrap_or_default();
    if config.iface.is_empty() {
        config.iface = recorded_ifaces;
    } else if !recorded_ifaces.is_empty()
        && let Some(other) = config.iface.iter().find(|i| !recorded_ifaces.contains(i))
    {
        anyhow::bail!(
            "{} was recorded for --iface {}, not {}",
            path.display(),
            recorded_ifaces
                .iter()
                .map(|i| i.to_string_lossy())
                .collect::<Vec<_>>()
                .join(","),
            other.to_string_lossy()
        );
    }
    Ok(())
}

/// What the run reports, on standard error.
fn print_event(event: Event) {
    match event {
        // A recording that stopped is the run's, not the reader's that noticed it.
        Event::Warning {
            warning: warning @ Warning::Transport(_),
            ..
        } => eprintln!("netstatspy: warning: {warning}"),
        Event::Warning { reader, warning } => {
            eprintln!("netstatspy: warning: {reader}: {warning}");
        }
        Event::ReaderFailing {
            reader,
            slot,
            error,
        } => eprintln!(
            "netstatspy: warning: {reader}: {error} (sample {slot}; retrying each sample)"
        ),
        Event::Second(s) => print_second(&s),
    }
}

/// The `-v` timing line of one second.
fn print_second(s: &Second) {
    let collect: Vec<String> = s
        .collect
        .iter()
        .map(|(k, d)| format!("{k} {}µs", d.as_micros()))
        .collect();
    eprintln!(
        "netstatspy: [{}s] {}, {}, lateness p50 {}µs p99 {}µs; per sample: \
         collect {}, submit {}µs; {} waiting for output, {} dropped",
        s.second,
        count(s.samples, "sample"),
        count(s.overruns, "overrun"),
        s.lateness_p50.as_micros(),
        s.lateness_p99.as_micros(),
        collect.join(", "),
        s.submit.as_micros(),
        s.queued,
        s.dropped,
    );
}

/// Skipped slots, failed reads and samples an output could not keep up with are never lost
/// silently: one line each at exit, with or without `-v`.
fn warn_dropped(s: &Summary) {
    let short: Vec<String> = s
        .readers
        .iter()
        .filter(|r| r.skipped > 0 || r.failed > 0)
        .map(|r| {
            let slots = r.records + r.skipped + r.failed;
            let mut text = format!(
                "{} {} of {} skipped",
                r.kind,
                r.skipped,
                count(slots, "slot")
            );
            if r.failed > 0 {
                text += &format!(", {} failed", r.failed);
            }
            text
        })
        .collect();
    if !short.is_empty() {
        eprintln!(
            "netstatspy: warning: samples missing: {} (a sample that would start a whole period \
             late is skipped; see -v for timing)",
            short.join("; ")
        );
    }
    for d in s.delivery.iter().filter(|d| d.samples_dropped > 0) {
        eprintln!(
            "netstatspy: warning: {}: {} ({}) {} not written: the output fell behind by more \
             than its queue holds",
            d.output,
            count(d.samples_dropped, "sample"),
            count(d.records_dropped, "record"),
            if d.samples_dropped == 1 {
                "was"
            } else {
                "were"
            }
        );
    }
}

fn report(s: &Summary, process: std::time::Duration) {
    // The CPU time is the whole process's (start-up, output threads): it is set against the
    // process's own time, never against the run's alone, which one sample makes almost zero.
    let load = if process.is_zero() {
        0.0
    } else {
        100.0 * s.cpu.as_secs_f64() / process.as_secs_f64()
    };
    eprintln!(
        "netstatspy: {} in {:.3} s, {}, lateness p50 {} µs p99 {} µs, CPU {:.3} s in {:.3} s \
         ({load:.1}% of one core), {}, {}{}",
        count(s.samples, "sample"),
        s.wall.as_secs_f64(),
        count(s.overruns, "overrun"),
        s.lateness_p50.as_micros(),
        s.lateness_p99.as_micros(),
        s.cpu.as_secs_f64(),
        process.as_secs_f64(),
        count(s.read_errors, "read error"),
        count(s.partial, "partial record"),
        if s.interrupted { ", interrupted" } else { "" },
    );
    for r in &s.readers {
        eprintln!(
            "netstatspy: reader {}: {}, {} skipped, {} failed",
            r.kind,
            count(r.records, "record"),
            count(r.skipped, "slot"),
            r.failed
        );
    }
    for d in &s.delivery {
        eprintln!(
            "netstatspy: output {}: {} written, {} dropped, at most {} waiting",
            d.output,
            count(d.samples_written, "sample"),
            d.samples_dropped,
            d.max_queued
        );
    }
    let mut quiet = true;
    for (kind, d) in &s.dumps {
        if *d != Default::default() {
            quiet = false;
            eprintln!(
                "netstatspy: {kind} dumps: {} redone (interrupted), {} partial, {}, {}",
                d.redone_interrupted,
                d.partial,
                count(d.reopened, "socket reopen"),
                count(d.regrown, "buffer regrowth")
            );
        }
    }
    if quiet {
        eprintln!("netstatspy: netlink dumps: none redone, partial or reopened");
    }
}

/// `netstatspy export …`.
fn export(args: &[std::ffi::OsString]) -> ExitCode {
    let cli = match cli::parse_export(args) {
        Ok(cli::ExportParsed::Run(cli)) => cli,
        Ok(cli::ExportParsed::Print(text)) => {
            print!("{text}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("netstatspy: error: {e} (see netstatspy export --help)");
            return ExitCode::from(2);
        }
    };
    let config = ExportConfig {
        files: cli.files,
        output: cli.output,
        row_group_rows: usize::try_from(cli.row_group_rows).unwrap_or(usize::MAX),
    };
    let started = std::time::Instant::now();
    let quiet = cli.quiet;
    let mut report = |event: ExportEvent| match event {
        ExportEvent::Warning(w) => eprintln!("netstatspy: warning: {w}"),
        ExportEvent::Progress { pass, read, total } if !quiet => {
            let mb = |b: u64| b as f64 / 1e6;
            eprintln!(
                "netstatspy: export: pass {pass} of 2 ({}), {:.0} of {:.0} MB read ({:.0}%)",
                if pass == 1 {
                    "finding columns"
                } else {
                    "writing"
                },
                mb(read),
                mb(total),
                100.0 * read as f64 / total.max(1) as f64
            );
        }
        ExportEvent::Progress { .. } => {}
    };
    match netstatspy::export::export(&config, &mut report) {
        Ok(s) => {
            if s.misfits > 0 {
                eprintln!(
                    "netstatspy: warning: {} values did not fit the type their column was given \
                     (an input file changed between the two passes) and were written as null",
                    s.misfits
                );
            }
            if s.malformed > MALFORMED_SHOWN_NOTE {
                eprintln!(
                    "netstatspy: warning: {} malformed lines in all were not exported (the first \
                     {MALFORMED_SHOWN_NOTE} are named above)",
                    s.malformed
                );
            }
            if !quiet {
                let tables: Vec<String> = s
                    .tables
                    .iter()
                    .map(|(name, rows)| format!("{name} {}", count(*rows, "row")))
                    .collect();
                let secs = started.elapsed().as_secs_f64();
                eprintln!(
                    "netstatspy: exported {} ({:.1} MB of JSON, {:.1} MB/s) to {}: {}{}{}",
                    count(s.lines, "line"),
                    s.json_bytes as f64 / 1e6,
                    s.json_bytes as f64 / 1e6 / secs.max(1e-9),
                    config.output.display(),
                    if tables.is_empty() {
                        "no records".to_owned()
                    } else {
                        tables.join(", ")
                    },
                    if s.runs + s.run_summaries > 0 {
                        format!(
                            "; {}, {} in the metadata",
                            count(s.runs as u64, "run header"),
                            count_as(s.run_summaries as u64, "run summary", "run summaries")
                        )
                    } else {
                        String::new()
                    },
                    if s.malformed > 0 {
                        format!("; {} not exported", count(s.malformed, "malformed line"))
                    } else {
                        String::new()
                    },
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("netstatspy: error: {}", netstatspy::error_chain(&e));
            ExitCode::from(1)
        }
    }
}

/// `netstatspy report …`.
fn html_report(args: &[std::ffi::OsString]) -> ExitCode {
    let cli = match cli::parse_report(args) {
        Ok(cli::ReportParsed::Run(cli)) => cli,
        Ok(cli::ReportParsed::Print(text)) => {
            print!("{text}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("netstatspy: error: {e} (see netstatspy report --help)");
            return ExitCode::from(2);
        }
    };
    let config = netstatspy::report::ReportConfig {
        files: cli.files,
        output: cli.output,
        top: usize::try_from(cli.top).unwrap_or(usize::MAX),
        buckets: usize::try_from(cli.buckets).unwrap_or(usize::MAX),
    };
    let started = std::time::Instant::now();
    let mut warn = |w: String| eprintln!("netstatspy: warning: {w}");
    match netstatspy::report::report(&config, &mut warn) {
        Ok(s) => {
            if !cli.quiet {
                eprintln!(
                    "netstatspy: report of {} ({}, {}) in {:.1} s: {}, {:.1} MB of HTML in {}",
                    count(s.lines, "line"),
                    count(s.records, "record"),
                    count(s.runs as u64, "run"),
                    started.elapsed().as_secs_f64(),
                    count(s.plots as u64, "plot"),
                    s.html_bytes as f64 / 1e6,
                    config.output.display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("netstatspy: error: {}", netstatspy::error_chain(&e));
            ExitCode::from(1)
        }
    }
}

/// Malformed lines the export names one by one (the library's limit).
const MALFORMED_SHOWN_NOTE: u64 = netstatspy::export::MALFORMED_SHOWN;
