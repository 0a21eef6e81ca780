//! `netstatspy`: the command-line front end. Everything but wiring lives in the library.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use netstatspy::cli::{self, Config, Parsed};
use netstatspy::loggers::{Logger, console::ConsoleLogger, json::JsonLogger};
use netstatspy::readers::{Reader, ip::IpReader};
use netstatspy::sampler::{Sampler, Summary};

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
    let mut readers: Vec<Box<dyn Reader>> = Vec::new();
    if config.readers.ip {
        readers.push(Box::new(IpReader::open(config.iface.as_deref())?));
    }
    let mut loggers: Vec<Box<dyn Logger>> = Vec::new();
    if let Some(path) = &config.json {
        loggers.push(Box::new(JsonLogger::open(path)?));
    }
    if config.console {
        loggers.push(Box::new(ConsoleLogger::stdout(config.verbose)));
    }
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // A second signal while the first is being honoured ends the process at once.
        signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&stop))?;
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    let mut sampler = Sampler::new(readers, loggers, config.frequency, config.samples, stop);
    Ok(sampler.run()?)
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
    for (kind, d) in &s.dumps {
        eprintln!(
            "netstatspy: {kind} dumps: {} redone (interrupted), {} partial, {} socket reopens, \
             {} buffer regrowths",
            d.redone_interrupted, d.partial, d.reopened, d.regrown
        );
    }
}
