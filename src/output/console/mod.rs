//! The console: a readable block per sample, one aligned table per reader.
//!
//! Counters are shown as per-second rates computed from the previous sample of the same
//! interface; the first sample (and an interface seen for the first time) shows totals. With
//! `-v` the raw totals follow the rates. The block of a sample is written in one piece.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::time::Duration;

mod fields;
mod table;

use self::fields::{Flat, Pick};
use self::table::Table;
pub use self::table::human;
use super::{Output, OutputError};
use crate::clock;
use crate::model::ip::{LinkSample, operstate_name};
use crate::model::ss::address::Inet;
use crate::model::ss::extra::BoundIf;
use crate::model::ss::{Netid, Socket, send_rate_bps, state_name};
use crate::model::tc::{Qdisc, TC_H_ROOT, format_classid, format_handle};
use crate::model::{Describe, Kind, Record, Stats};

/// The counters of the ip tables: where the description has them, and the headers of their rate
/// and total columns.
const IP_COLUMNS: [(&[&str], &str, &str); 8] = [
    (&["stats64", "rx", "bytes"], "rx B/s", "rx bytes"),
    (&["stats64", "rx", "packets"], "rx pkt/s", "rx pkts"),
    (&["stats64", "rx", "dropped"], "rx drop/s", "rx drop"),
    (&["stats64", "rx", "errors"], "rx err/s", "rx err"),
    (&["stats64", "tx", "bytes"], "tx B/s", "tx bytes"),
    (&["stats64", "tx", "packets"], "tx pkt/s", "tx pkts"),
    (&["stats64", "tx", "dropped"], "tx drop/s", "tx drop"),
    (&["stats64", "tx", "errors"], "tx err/s", "tx err"),
];

/// The numbers of the tc table: where the description has them, and their totals' headers
/// (bytes and packets are followed by their rates).
const TC_COLUMNS: [(&[&str], &str); 7] = [
    (&["bytes"], "sent B"),
    (&["packets"], "sent pkts"),
    (&["drops"], "drops"),
    (&["overlimits"], "overlimits"),
    (&["requeues"], "requeues"),
    (&["backlog"], "backlog B"),
    (&["qlen"], "backlog p"),
];

/// Per-sample values of one element, with the elapsed time they were read at.
type Previous<const N: usize> = (Duration, [Option<(Kind, u64)>; N]);

/// The rate of a counter between two readings, or the value of a gauge; `-` for a counter that
/// went down (reset: the device was re-created) or has no earlier reading.
fn rate_or_value(now: Option<(Kind, u64)>, before: Option<(Kind, u64)>, dt: f64) -> String {
    match (now, before) {
        (Some((Kind::Counter, n)), Some((_, b))) => n
            .checked_sub(b)
            .map_or_else(|| "-".into(), |d| human(d as f64 / dt)),
        (Some((Kind::Counter, _)), None) | (None, _) => "-".into(),
        (Some((_, n)), _) => human(n as f64),
    }
}

/// The console, writing to standard output (or any writer, for tests).
pub struct Console<W = io::Stdout> {
    out: W,
    verbose: bool,
    bold: bool,
    block: String,
    sample: Option<u64>,
    /// Previous counters per ifindex.
    prev_ip: HashMap<u32, Previous<8>>,
    /// Previous numbers per qdisc (ifindex, handle, parent).
    prev_tc: HashMap<(u32, u32, u32), Previous<7>>,
    ip_pick: Pick<8>,
    tc_pick: Pick<7>,
    flat: Flat,
}

impl Console {
    /// A console on standard output; bold headers only when it is a terminal.
    pub fn stdout(verbose: bool) -> Console {
        let out = io::stdout();
        let bold = out.is_terminal();
        Console::new(out, verbose, bold)
    }
}

impl<W: Write> Console<W> {
    /// A console on `out`.
    pub fn new(out: W, verbose: bool, bold: bool) -> Console<W> {
        Console {
            out,
            verbose,
            bold,
            block: String::with_capacity(8 * 1024),
            sample: None,
            prev_ip: HashMap::new(),
            prev_tc: HashMap::new(),
            ip_pick: Pick::new(IP_COLUMNS.map(|(path, _, _)| path)),
            tc_pick: Pick::new(TC_COLUMNS.map(|(path, _)| path)),
            flat: Flat::default(),
        }
    }

    /// The writer, e.g. to read what a test logged.
    pub fn get_ref(&self) -> &W {
        &self.out
    }

    fn header(&mut self, record: &Record) {
        let (on, off) = if self.bold {
            ("\x1b[1m", "\x1b[0m")
        } else {
            ("", "")
        };
        let _ = writeln!(
            self.block,
            "{on}sample {}  {}  +{:.3}s{off}",
            record.sample,
            clock::format_local(record.timestamp),
            record.elapsed.as_secs_f64()
        );
    }

    fn ip_tables(&mut self, record: &Record, links: &[LinkSample]) {
        let partial = if record.partial { " (partial)" } else { "" };
        let mut rate_headers = vec!["iface", "state"];
        rate_headers.extend(IP_COLUMNS.map(|(_, rate, _)| rate));
        let mut total_headers = vec!["iface", "state"];
        total_headers.extend(IP_COLUMNS.map(|(_, _, total)| total));
        let mut rates = Table::new(&rate_headers);
        let mut totals = Table::new(&total_headers);
        let mut prev = std::mem::take(&mut self.prev_ip);
        let mut fresh = 0;
        for link in links {
            let meta = &*link.link;
            let state = meta
                .operstate
                .and_then(operstate_name)
                .unwrap_or("-")
                .to_owned();
            let now = self.ip_pick.values(link);
            if now.iter().all(Option::is_none) {
                // The kernel sent no counters for this link.
                let mut row = vec![meta.ifname.clone(), state];
                row.resize(total_headers.len(), "-".into());
                totals.row(row);
                continue;
            }
            let mut total_row = vec![meta.ifname.clone(), state.clone()];
            total_row.extend(
                now.iter()
                    .map(|v| v.map_or_else(|| "-".into(), |(_, n)| human(n as f64))),
            );
            match prev.get(&meta.ifindex) {
                Some((t0, before)) if record.elapsed > *t0 => {
                    let dt = (record.elapsed - *t0).as_secs_f64();
                    let mut row = vec![meta.ifname.clone(), state];
                    row.extend(
                        now.iter()
                            .zip(before)
                            .map(|(n, b)| rate_or_value(*n, *b, dt)),
                    );
                    rates.row(row);
                    if self.verbose {
                        totals.row(total_row);
                    }
                }
                _ => {
                    fresh += 1;
                    totals.row(total_row);
                }
            }
            self.prev_ip.insert(meta.ifindex, (record.elapsed, now));
        }
        prev.clear();
        let _ = writeln!(self.block, "ip: {} interfaces{partial}", links.len());
        if !rates.rows.is_empty() {
            rates.render(&mut self.block);
        }
        if !totals.rows.is_empty() {
            if !rates.rows.is_empty() || fresh < links.len() {
                let _ = writeln!(self.block, "ip totals:");
            }
            totals.render(&mut self.block);
        }
    }
}

/// Sockets listed on the console per sample; JSON always has all of them.
pub const SS_TOP: usize = 20;

impl<W: Write> Console<W> {
    fn ss_table(&mut self, record: &Record, sockets: &[Socket]) {
        let partial = if record.partial { " (partial)" } else { "" };
        let tcp = sockets.iter().filter(|s| s.netid == Netid::Tcp).count();
        let recv_q: u64 = sockets.iter().map(|s| u64::from(s.recv_q)).sum();
        let send_q: u64 = sockets.iter().map(|s| u64::from(s.send_q)).sum();
        let retrans: u64 = sockets
            .iter()
            .filter_map(|s| s.tcp_info.as_ref())
            .map(|t| u64::from(t.total_retrans()))
            .sum();
        let _ = writeln!(
            self.block,
            "ss: {} sockets (tcp {tcp}, udp {}){partial}, recv-q {} B, send-q {} B, retrans {retrans}",
            sockets.len(),
            sockets.len() - tcp,
            human(recv_q as f64),
            human(send_q as f64),
        );
        if sockets.is_empty() {
            return;
        }
        // The busiest sockets: by the kernel's delivery rate, then by queued bytes.
        let key = |s: &Socket| {
            (
                s.tcp_info.as_ref().map_or(0, |t| t.delivery_rate()),
                u64::from(s.send_q) + u64::from(s.recv_q),
            )
        };
        let mut order: Vec<&Socket> = sockets.iter().collect();
        if order.len() > SS_TOP {
            order.select_nth_unstable_by(SS_TOP, |a, b| key(b).cmp(&key(a)));
            order.truncate(SS_TOP);
        }
        order.sort_by_key(|s| std::cmp::Reverse(key(s)));
        let mut table = Table::new(&[
            "netid",
            "state",
            "recv-q",
            "send-q",
            "local",
            "peer",
            "rtt ms",
            "cwnd",
            "send bps",
            "retrans",
            "skmem r/t/d",
        ]);
        for s in &order {
            // As ss writes them: IPv6 in brackets, both as `inet_ntop` formats them, and the
            // interface a socket is bound to after the local address (`10.0.0.1%eth0:22`).
            let addr = |(ip, port): &(std::net::IpAddr, u16), bound: Option<&BoundIf>| {
                let scope = bound.map_or(String::new(), |b| match &b.name {
                    Some(n) => format!("%{}", n.name),
                    None => format!("%if{}", b.ifindex),
                });
                match ip {
                    std::net::IpAddr::V6(_) => format!("[{}]{scope}:{port}", Inet(*ip)),
                    std::net::IpAddr::V4(v4) => format!("{v4}{scope}:{port}"),
                }
            };
            let t = s.tcp_info.as_ref();
            table.row(vec![
                s.netid.name().to_owned(),
                state_name(s.state).to_owned(),
                s.recv_q.to_string(),
                s.send_q.to_string(),
                addr(&s.local, s.bound_if()),
                addr(&s.peer, None),
                t.map_or("-".into(), |t| {
                    format!(
                        "{:.3}/{:.3}",
                        f64::from(t.rtt()) / 1000.0,
                        f64::from(t.rttvar()) / 1000.0
                    )
                }),
                t.map_or("-".into(), |t| t.snd_cwnd().to_string()),
                send_rate_bps(s).map_or("-".into(), human),
                t.map_or("-".into(), |t| {
                    format!("{}/{}", t.retrans(), t.total_retrans())
                }),
                s.skmem.map_or("-".into(), |m| {
                    format!("{}/{}/{}", human(m[0].into()), human(m[2].into()), m[8])
                }),
            ]);
        }
        table.render(&mut self.block);
        if sockets.len() > order.len() {
            let _ = writeln!(
                self.block,
                "… {} more sockets (busiest {} shown; all in JSON)",
                sockets.len() - order.len(),
                order.len()
            );
        }
    }

    fn tc_table(&mut self, record: &Record, qdiscs: &[Qdisc]) {
        let partial = if record.partial { " (partial)" } else { "" };
        let _ = writeln!(self.block, "tc: {} qdiscs{partial}", qdiscs.len());
        if qdiscs.is_empty() {
            return;
        }
        let [bytes, packets, drops, overlimits, requeues, backlog, qlen] =
            TC_COLUMNS.map(|(_, header)| header);
        let mut table = Table::new(&[
            "dev", "kind", "handle", "parent", bytes, "B/s", packets, "pkt/s", drops, overlimits,
            requeues, backlog, qlen,
        ]);
        let prev = std::mem::take(&mut self.prev_tc);
        for q in qdiscs {
            let parent = match q.parent {
                TC_H_ROOT => "root".to_owned(),
                p => format_classid(p),
            };
            let mut row = vec![
                q.config.dev.to_string(),
                q.config.kind.clone(),
                format_handle(q.handle),
                parent,
            ];
            let key = (q.ifindex, q.handle, q.parent);
            // A qdisc without statistics shows zeros (and rates of zero), as tc's "Sent 0 bytes"
            // would.
            let now = self
                .tc_pick
                .values(q)
                .map(|v| v.or(Some((Kind::Counter, 0))));
            let n = |i: usize| now[i].map_or(0, |(_, v)| v);
            let rates: [String; 2] = match prev.get(&key) {
                Some((t0, before)) if record.elapsed > *t0 => {
                    let dt = (record.elapsed - *t0).as_secs_f64();
                    [0, 1].map(|i| rate_or_value(now[i], before[i], dt))
                }
                _ => ["-".to_owned(), "-".to_owned()],
            };
            let [bps, pps] = rates;
            row.extend([
                human(n(0) as f64),
                bps,
                human(n(1) as f64),
                pps,
                n(2).to_string(),
                n(3).to_string(),
                n(4).to_string(),
                human(n(5) as f64),
                n(6).to_string(),
            ]);
            table.row(row);
            self.prev_tc.insert(key, (record.elapsed, now));
        }
        table.render(&mut self.block);
    }

    /// A table of any record type, from its description: one row per element, one column per
    /// top-level field in the order the description gives them.
    fn generic_table<D: Describe>(&mut self, kind: &str, unit: &str, elements: &[D]) {
        let _ = writeln!(self.block, "{kind}: {} {unit}", elements.len());
        if elements.is_empty() {
            return;
        }
        let rows: Vec<Vec<(String, String)>> = elements
            .iter()
            .map(|e| {
                self.flat
                    .read(e)
                    .iter()
                    .map(|(k, _, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .collect();
        // Columns: every key seen, in the order the elements report them.
        let mut keys: Vec<&str> = Vec::new();
        for row in &rows {
            for (k, _) in row {
                if !keys.contains(&k.as_str()) {
                    keys.push(k);
                }
            }
        }
        // The interface column is "iface" in every table.
        let headers: Vec<&str> = keys
            .iter()
            .map(|k| if *k == "ifname" { "iface" } else { k })
            .collect();
        let mut table = Table::new(&headers);
        for row in &rows {
            table.row(
                keys.iter()
                    .map(|k| {
                        row.iter()
                            .find(|(rk, _)| rk == k)
                            .map_or_else(|| "-".to_owned(), |(_, v)| v.clone())
                    })
                    .collect(),
            );
        }
        table.render(&mut self.block);
    }

    /// One line per element: `kind: key value …`, from the description.
    fn generic_lines<D: Describe>(&mut self, kind: &str, elements: &[D]) {
        for e in elements {
            let _ = write!(self.block, "{kind}:");
            for (k, _, v) in self.flat.read(e) {
                let _ = write!(self.block, " {k} {v}");
            }
            self.block.push('\n');
        }
    }
}

impl<W: Write + Send> Output for Console<W> {
    fn name(&self) -> &'static str {
        "console"
    }

    fn write(&mut self, record: &Record) -> Result<(), OutputError> {
        // The run's header and summary are for files; the console shows samples.
        if matches!(record.stats, Stats::Run(_) | Stats::RunSummary(_)) {
            return Ok(());
        }
        if self.sample != Some(record.sample) {
            self.sample = Some(record.sample);
            self.header(record);
        }
        match &record.stats {
            Stats::Ip(links) => self.ip_tables(record, links),
            Stats::Tc(qdiscs) => self.tc_table(record, qdiscs),
            Stats::Ss(sockets) => self.ss_table(record, sockets),
            Stats::SsClosed(closed) => {
                let _ = writeln!(self.block, "ss_closed: {} sockets closed", closed.len());
            }
            Stats::QueueLimits(queues) => self.generic_table(record.kind, "queues", queues),
            Stats::SmallQueue(values) => self.generic_lines(record.kind, values),
            Stats::Run(_) | Stats::RunSummary(_) => {}
        }
        Ok(())
    }

    fn end_sample(&mut self) -> Result<(), OutputError> {
        if self.block.is_empty() {
            return Ok(());
        }
        self.block.push('\n');
        let result = self
            .out
            .write_all(self.block.as_bytes())
            .and_then(|()| self.out.flush());
        self.block.clear();
        result.map_err(|e| match e.kind() {
            io::ErrorKind::BrokenPipe => OutputError::Closed,
            _ => OutputError::Stdout(e),
        })
    }

    fn finish(&mut self) -> Result<(), OutputError> {
        self.out.flush().map_err(|e| match e.kind() {
            io::ErrorKind::BrokenPipe => OutputError::Closed,
            _ => OutputError::Stdout(e),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ip::{LinkMeta, LinkStats64};
    use std::sync::Arc;

    #[test]
    fn human_numbers() {
        assert_eq!(human(0.0), "0");
        assert_eq!(human(999.0), "999");
        assert_eq!(human(2.5), "2.5");
        assert_eq!(human(1234.0), "1.23k");
        assert_eq!(human(45_600_000.0), "45.6M");
        assert_eq!(human(999_999.0), "1.00M");
        assert_eq!(human(f64::NAN), "-");
    }

    fn record(sample: u64, elapsed_ms: u64, rx_bytes: u64) -> Record {
        let link = Arc::new(LinkMeta {
            ifindex: 2,
            ifname: "veth0".into(),
            operstate: Some(6),
            ..Default::default()
        });
        Record {
            kind: "ip",
            run: "".into(),
            sample,
            timestamp: Duration::from_secs(1_700_000_000),
            elapsed: Duration::from_millis(elapsed_ms),
            partial: false,
            stats: Stats::Ip(vec![LinkSample {
                link,
                stats64: Some(LinkStats64 {
                    rx_bytes,
                    ..Default::default()
                }),
            }]),
        }
    }

    #[test]
    fn totals_first_then_rates() {
        let mut c = Console::new(Vec::new(), false, false);
        c.write(&record(0, 0, 1000)).expect("log");
        c.end_sample().expect("end");
        c.write(&record(1, 500, 3000)).expect("log");
        c.end_sample().expect("end");
        let text = String::from_utf8(c.get_ref().clone()).expect("utf8");
        let blocks: Vec<&str> = text.split("\n\n").collect();
        assert!(blocks[0].starts_with("sample 0  "), "{text}");
        assert!(blocks[0].contains("rx bytes"), "{text}");
        assert!(blocks[0].contains("1.00k"), "{text}");
        assert!(blocks[1].starts_with("sample 1  "), "{text}");
        assert!(blocks[1].contains("rx B/s"), "{text}");
        // (3000 - 1000) bytes in 0.5 s.
        let row = blocks[1]
            .lines()
            .find(|l| l.starts_with("veth0"))
            .expect("row");
        assert_eq!(row.split_whitespace().nth(2), Some("4.00k"), "{text}");
        assert!(!blocks[1].contains("totals"), "{text}");
    }

    #[test]
    fn bound_sockets_show_their_interface_as_ss_does() {
        use crate::model::ss::extra::IfName;
        use crate::model::ss::{Netid, Socket};
        use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
        let socket = |local: IpAddr, bound: Option<BoundIf>| Socket {
            netid: Netid::Tcp,
            state: 1,
            recv_q: 0,
            send_q: 0,
            local: (local, 43944),
            extra: bound.map(|b| {
                Box::new(crate::model::ss::Extra {
                    bound_if: Some(b),
                    ..Default::default()
                })
            }),
            peer: (local, 22),
            uid: 0,
            inode: 0,
            cookie: 0,
            timer: None,
            skmem: None,
            cong: None,
            tcp_info: None,
            cc_info: None,
        };
        let v0 = BoundIf {
            ifindex: 3,
            name: Some(IfName {
                name: "v0".into(),
                bytes: None,
            }),
        };
        let unnamed = BoundIf {
            ifindex: 7,
            name: None,
        };
        let sockets = vec![
            socket(IpAddr::V4(Ipv4Addr::new(10, 50, 0, 1)), Some(v0)),
            socket(
                IpAddr::V6(Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 1)),
                Some(unnamed),
            ),
            socket(IpAddr::V4(Ipv4Addr::LOCALHOST), None),
        ];
        let mut c = Console::new(Vec::new(), false, false);
        c.write(&Record {
            kind: "ss",
            run: "".into(),
            sample: 0,
            timestamp: Duration::from_secs(1_700_000_000),
            elapsed: Duration::ZERO,
            partial: false,
            stats: Stats::Ss(sockets),
        })
        .expect("log");
        c.end_sample().expect("end");
        let text = String::from_utf8(c.get_ref().clone()).expect("utf8");
        assert!(text.contains("10.50.0.1%v0:43944 "), "{text}");
        assert!(text.contains("[fe80::1]%if7:43944 "), "{text}");
        assert!(text.contains("127.0.0.1:43944 "), "{text}");
        assert!(!text.contains(":22%"), "{text}");
    }

    #[test]
    fn broken_pipe_is_closed() {
        struct Closed;
        impl Write for Closed {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut c = Console::new(Closed, false, false);
        c.write(&record(0, 0, 1)).expect("log");
        assert!(matches!(c.end_sample(), Err(OutputError::Closed)));
    }
}
