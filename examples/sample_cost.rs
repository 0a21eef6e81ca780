//! Cost of one sample of a reader, in the output format of `shared/bench/nlfloor.c` so the two
//! can be put side by side: `what iterations elements ns_per_sample`.
//!
//! usage: sample_cost ip|ip-getlink ITERATIONS
//! - `ip`: the reader as the sampler runs it (RTM_GETSTATS, metadata refreshed on change);
//! - `ip-getlink`: the same reader forced to refresh metadata with RTM_GETLINK every sample.

use std::process::ExitCode;
use std::time::Instant;

use netlink_sys::constants::NETLINK_ROUTE;
use netstatspy::netlink::NetlinkSocket;
use netstatspy::readers::Reader;
use netstatspy::readers::ip::{AlwaysRefresh, IpReader};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(what), Some(Ok(iterations))) = (args.get(1), args.get(2).map(|n| n.parse::<u64>()))
    else {
        eprintln!("usage: sample_cost ip|ip-getlink ITERATIONS");
        return ExitCode::from(2);
    };
    let reader: Result<Box<dyn Reader>, String> = match what.as_str() {
        "ip" => IpReader::open(None)
            .map(|r| Box::new(r) as Box<dyn Reader>)
            .map_err(|e| e.to_string()),
        "ip-getlink" => NetlinkSocket::open(NETLINK_ROUTE)
            .map_err(|e| e.to_string())
            .and_then(|s| IpReader::with_source(s, AlwaysRefresh, None).map_err(|e| e.to_string()))
            .map(|r| Box::new(r) as Box<dyn Reader>),
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
    let start = Instant::now();
    for _ in 0..iterations {
        match reader.collect() {
            Ok(c) => elements = c.stats.len(),
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
