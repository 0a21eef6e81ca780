//! Cost of one link and one qdisc dump through rtnetlink next to netstatspy's readers, measured
//! in one run (run inside the loaded-host scenario's namespace; see bench/README.md).
//!
//! usage: rtnetlink-cost ITERATIONS

use std::time::Instant;

use futures::TryStreamExt;
use netstatspy::netlink::watch::AlwaysRefresh;
use netstatspy::readers::Reader;
use netstatspy::readers::ip::IpReader;
use netstatspy::readers::tc::TcReader;

fn per_iteration(iterations: u32, mut f: impl FnMut() -> usize) -> (f64, usize) {
    let mut items = f(); // warm-up
    let start = Instant::now();
    for _ in 0..iterations {
        items = f();
    }
    (start.elapsed().as_nanos() as f64 / f64::from(iterations), items)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let iterations: u32 = std::env::args()
        .nth(1)
        .map_or(Ok(500), |n| n.parse())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    let (connection, handle, _) = runtime.block_on(async { rtnetlink::new_connection() })?;
    runtime.spawn(connection);

    let (rt_link, links) = per_iteration(iterations, || {
        runtime.block_on(async {
            let dump = handle.link().get().execute();
            dump.try_collect::<Vec<_>>().await.map_or(0, |v| v.len())
        })
    });
    let (rt_qdisc, qdiscs) = per_iteration(iterations, || {
        runtime.block_on(async {
            let dump = handle.qdisc().get().execute();
            dump.try_collect::<Vec<_>>().await.map_or(0, |v| v.len())
        })
    });

    let mut ip_getlink = IpReader::with_source(
        netstatspy::netlink::NetlinkSocket::open(NETLINK_ROUTE)?,
        AlwaysRefresh,
        Box::new(netstatspy::bpf::KernelPrograms),
        None,
    )?;
    let (ours_getlink, _) = per_iteration(iterations, || {
        ip_getlink.collect().map_or(0, |c| c.stats.len())
    });
    let mut ip = IpReader::open(None)?;
    let (ours_ip, _) = per_iteration(iterations, || ip.collect().map_or(0, |c| c.stats.len()));
    let mut tc = TcReader::open(None)?;
    let (ours_tc, _) = per_iteration(iterations, || tc.collect().map_or(0, |c| c.stats.len()));

    println!("{links} links, {qdiscs} qdiscs, {iterations} iterations");
    println!("{:<58} {:>12} {:>8}", "what", "ns/sample", "ratio");
    let row = |what: &str, ns: f64, base: f64| println!("{what:<58} {ns:>12.0} {:>8.2}", ns / base);
    row("rtnetlink: link dump (RTM_GETLINK, LinkMessage)", rt_link, rt_link);
    row("netstatspy ip reader, RTM_GETLINK every sample", ours_getlink, rt_link);
    row("netstatspy ip reader, as sampled (RTM_GETSTATS)", ours_ip, rt_link);
    row("rtnetlink: qdisc dump (RTM_GETQDISC, TcMessage)", rt_qdisc, rt_qdisc);
    row("netstatspy tc reader, as sampled", ours_tc, rt_qdisc);
    Ok(())
}

/// `NETLINK_ROUTE` (linux/netlink.h).
const NETLINK_ROUTE: isize = 0;
