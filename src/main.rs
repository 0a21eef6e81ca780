//! `netstatspy`: the command-line front end. Everything but wiring lives in the library.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use anyhow::Context;
use netstatspy::capture::{Capture, CaptureWriter, ReplayState};
use netstatspy::cli::{self, Config, Parsed};
use netstatspy::loggers::{Logger, console::ConsoleLogger, json::JsonLogger};
use netstatspy::readers::queue_limits::QueueLimitsReader;
use netstatspy::readers::small_queue::SmallQueueReader;
use netstatspy::readers::ss::SsReader;
use netstatspy::readers::tc::TcReader;
use netstatspy::readers::{Reader, ip::IpReader};
use netstatspy::sampler::{Sampler, Schedule, Summary};
use netstatspy::source::Source;

fn main() -> ExitCode {
    let config = match cli::parse(std::env::args_os()) {
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
            if config.verbose {
                report(&summary);
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
    // First of all, so a signal during start-up also ends the run cleanly.
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // A second signal while the first is being honoured ends the process at once.
        signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&stop))?;
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    if let Some(spec) = &config.netns {
        netstatspy::netns::enter(&netstatspy::netns::resolve(spec))?;
    }
    let (source, schedule) = match (&config.record, &config.replay) {
        (_, Some(path)) => {
            let capture = Capture::read(path)?;
            if capture.truncated {
                eprintln!(
                    "netstatspy: warning: {} ends in a partial packet (recording cut short);                      replaying what precedes it",
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
    let mut readers: Vec<Box<dyn Reader>> = Vec::new();
    if config.readers.ip {
        readers.push(Box::new(IpReader::from_source(
            &source,
            config.iface.as_deref(),
        )?));
    }
    if config.readers.tc {
        readers.push(Box::new(TcReader::from_source(
            &source,
            config.iface.as_deref(),
        )?));
    }
    if config.readers.ss {
        readers.push(Box::new(SsReader::from_source(&source)?));
    }
    if config.readers.queue_limits {
        readers.push(Box::new(QueueLimitsReader::open(config.iface.as_deref())?));
    }
    if config.readers.small_queue {
        readers.push(Box::new(SmallQueueReader::open()?));
    }
    let mut loggers: Vec<Box<dyn Logger>> = Vec::new();
    if let Some(path) = &config.json {
        loggers.push(Box::new(JsonLogger::open(path)?));
    }
    if config.console {
        loggers.push(Box::new(ConsoleLogger::stdout(config.verbose)));
    }
    let mut sampler = Sampler::new(readers, loggers, schedule, stop).with_progress(config.verbose);
    let summary = sampler.run();
    // The capture is completed whatever became of the run: it is what a bug report needs.
    if let Source::Record(writer) = &source {
        writer
            .borrow_mut()
            .finish()
            .context("recording incomplete")?;
    }
    Ok(summary?)
}

fn report(s: &Summary) {
    let load = if s.wall.is_zero() {
        0.0
    } else {
        100.0 * s.cpu.as_secs_f64() / s.wall.as_secs_f64()
    };
    eprintln!(
        "netstatspy: {} samples in {:.3} s, {} overruns, lateness p50 {} µs p99 {} µs, \
         CPU {:.3} s ({load:.1}% of one core), {} read errors, {} partial records{}",
        s.samples,
        s.wall.as_secs_f64(),
        s.overruns,
        s.lateness_p50.as_micros(),
        s.lateness_p99.as_micros(),
        s.cpu.as_secs_f64(),
        s.read_errors,
        s.partial,
        if s.interrupted { ", interrupted" } else { "" },
    );
    let mut quiet = true;
    for (kind, d) in &s.dumps {
        if *d != Default::default() {
            quiet = false;
            eprintln!(
                "netstatspy: {kind} dumps: {} redone (interrupted), {} partial, {} socket \
                 reopens, {} buffer regrowths",
                d.redone_interrupted, d.partial, d.reopened, d.regrown
            );
        }
    }
    if quiet {
        eprintln!("netstatspy: netlink dumps: none redone, partial or reopened");
    }
}
