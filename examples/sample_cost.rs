//! Cost of one sample of a reader, in the output format of `shared/bench/nlfloor.c` so the two
//! can be put side by side: `what iterations elements ns_per_sample`.
//!
//! usage: sample_cost WHAT ITERATIONS [ROOT]
//! - `ip`: the reader as the sampler runs it (RTM_GETSTATS, metadata refreshed on change);
//! - `ip-getlink`: the same reader forced to refresh metadata with RTM_GETLINK every sample;
//! - `tc`: the qdisc reader as the sampler runs it;
//! - `ss`: the socket reader (four sock_diag dumps: TCP and UDP, IPv4 and IPv6);
//! - `ss-json`: the socket reader plus serialising the record to JSON, as `-j` does;
//! - `ip-exchange`, `tc-exchange`, `ss-exchange`: the reader's kernel exchanges without
//!   decoding, as a run that only records (`--record` without a logger) makes them;
//! - `ss-filter EXPR`: the socket reader asking the kernel for only the sockets EXPR (the
//!   `--ss-filter` language) selects;
//! - `queue_limits [SYSROOT]`, `small_queue [PROCROOT]`: the sysfs/procfs readers (files kept
//!   open, `pread` each sample);
//! - `queue_limits-reopen [SYSROOT]`, `small_queue-reopen [PROCROOT]`: the baseline, reading the
//!   same files with open/read/close every sample.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use std::io::Read;
use std::path::{Path, PathBuf};

use netlink_sys::constants::NETLINK_ROUTE;
use netstatspy::model::{Record, Stats};
use netstatspy::netlink::NetlinkSocket;
use netstatspy::netlink::watch::{AlwaysRefresh, Unwatched};
use netstatspy::output::json::encoder::JsonEncoder;
use netstatspy::readers::ip::IpReader;
use netstatspy::readers::queue_limits::QueueLimitsReader;
use netstatspy::readers::small_queue::{SmallQueueReader, TCP_LIMIT_OUTPUT_BYTES};
use netstatspy::readers::ss::{SsReader, filter, interface_index};
use netstatspy::readers::tc::TcReader;
use netstatspy::readers::{Collected, ReadError, Reader};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(what), Some(Ok(iterations))) = (args.get(1), args.get(2).map(|n| n.parse::<u64>()))
    else {
        eprintln!("usage: sample_cost WHAT ITERATIONS [ROOT]");
        return ExitCode::from(2);
    };
    let root = args.get(3).map(PathBuf::from);
    let sys = root.clone().unwrap_or_else(|| PathBuf::from("/sys"));
    let proc = root.unwrap_or_else(|| PathBuf::from("/proc"));
    // `ip-exchange`, `tc-exchange`, `ss-exchange`: the reader's exchanges only, as a run that
    // only records makes them.
    let exchange = what.ends_with("-exchange");
    let base = what.trim_end_matches("-exchange");
    let reader: Result<Box<dyn Reader>, String> = match base {
        "ip" => IpReader::open(&[])
            .map(|r| Box::new(r) as Box<dyn Reader>)
            .map_err(|e| e.to_string()),
        "ip-getlink" => NetlinkSocket::open(NETLINK_ROUTE)
            .map_err(|e| e.to_string())
            .and_then(|s| {
                let programs = Box::new(netstatspy::bpf::KernelPrograms);
                IpReader::with_source(s, AlwaysRefresh, programs, &[]).map_err(|e| e.to_string())
            })
            .map(|r| Box::new(r) as Box<dyn Reader>),
        "tc" => TcReader::open(&[])
            .map(|r| Box::new(r) as Box<dyn Reader>)
            .map_err(|e| e.to_string()),
        "ss" | "ss-json" => SsReader::open()
            .map(|r| Box::new(r) as Box<dyn Reader>)
            .map_err(|e| e.to_string()),
        "ss-filter" => filtered_ss(args.get(3).map_or("", String::as_str)),
        "queue_limits" => QueueLimitsReader::with_root(&sys, Unwatched, &[])
            .map(|r| Box::new(r) as Box<dyn Reader>)
            .map_err(|e| e.to_string()),
        "queue_limits-reopen" => Ok(Box::new(Reopen::new(bql_files(&sys)))),
        "small_queue" => SmallQueueReader::with_root(&proc)
            .map(|r| Box::new(r) as Box<dyn Reader>)
            .map_err(|e| e.to_string()),
        "small_queue-reopen" => Ok(Box::new(Reopen::new(vec![
            proc.join(TCP_LIMIT_OUTPUT_BYTES),
        ]))),
        other => Err(format!("unknown reader {other}")),
    };
    let mut reader = match reader {
        Ok(r) => r,
        Err(e) => {
            eprintln!("sample_cost: {e}");
            return ExitCode::from(1);
        }
    };
    let mut elements = 0;
    // One warm-up sample: the first one reads metadata in any mode.
    if let Err(e) = reader.collect() {
        eprintln!("sample_cost: {e}");
        return ExitCode::from(1);
    }
    let json = what.ends_with("-json");
    let mut line = Vec::with_capacity(1 << 20);
    let mut encoder = JsonEncoder::new();
    let start = Instant::now();
    for _ in 0..iterations {
        if exchange {
            if let Err(e) = reader.exchange() {
                eprintln!("sample_cost: {e}");
                return ExitCode::from(1);
            }
            continue;
        }
        match reader.collect() {
            Ok(c) => {
                elements = c.stats.len();
                if json {
                    line.clear();
                    let record = Record {
                        kind: reader.kind(),
                        run: "".into(),
                        sample: 0,
                        timestamp: Duration::ZERO,
                        elapsed: Duration::ZERO,
                        partial: c.partial,
                        stats: c.stats,
                    };
                    encoder.record(&record, &mut line);
                }
            }
            Err(e) => {
                eprintln!("sample_cost: {e}");
                return ExitCode::from(1);
            }
        }
    }
    let ns = start.elapsed().as_nanos() as f64 / iterations.max(1) as f64;
    println!("{what} {iterations} {elements} {ns:.0}");
    ExitCode::SUCCESS
}

/// The socket reader with a filter program.
fn filtered_ss(expr: &str) -> Result<Box<dyn Reader>, String> {
    let filter = filter::parse(expr).map_err(|e| e.to_string())?;
    let program = filter
        .compile(&mut interface_index)
        .map_err(|e| e.to_string())?;
    let reader = SsReader::open().map_err(|e| e.to_string())?;
    Ok(Box::new(reader.with_filter(&program)))
}

/// Every `byte_queue_limits` file under `sys`, as the reader finds them.
fn bql_files(sys: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(ifaces) = std::fs::read_dir(sys.join("class/net")) else {
        return files;
    };
    for iface in ifaces.flatten() {
        let Ok(queues) = std::fs::read_dir(iface.path().join("queues")) else {
            continue;
        };
        for queue in queues.flatten() {
            let Ok(bql) = std::fs::read_dir(queue.path().join("byte_queue_limits")) else {
                continue;
            };
            files.extend(bql.flatten().map(|f| f.path()));
        }
    }
    files
}

/// The baseline: open, read and close every file each sample, parsing the number.
struct Reopen {
    files: Vec<PathBuf>,
    text: String,
}

impl Reopen {
    fn new(files: Vec<PathBuf>) -> Reopen {
        Reopen {
            files,
            text: String::new(),
        }
    }
}

impl Reader for Reopen {
    fn kind(&self) -> &'static str {
        "reopen"
    }

    fn collect(&mut self) -> Result<Collected, ReadError> {
        let mut sum = 0u64;
        for path in &self.files {
            self.text.clear();
            if let Ok(mut f) = std::fs::File::open(path)
                && f.read_to_string(&mut self.text).is_ok()
            {
                sum = sum.wrapping_add(self.text.trim().parse().unwrap_or(0));
            }
        }
        std::hint::black_box(sum);
        Ok(Collected {
            stats: Stats::SmallQueue(Vec::new()),
            partial: false,
            captured_at: None,
            warnings: Vec::new(),
        })
    }
}
