//! The console: a readable block per sample, one aligned table per reader.
//!
//! Counters are shown as per-second rates computed from the previous sample of the same
//! interface; the first sample (and an interface seen for the first time) shows totals. With
//! `-v` the raw totals follow the rates. The block of a sample is written in one piece.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::time::Duration;

use super::{Output, OutputError};
use crate::clock;
use crate::model::ip::{LinkSample, LinkStats64, operstate_name};
use crate::model::queue_limits::QueueLimits;
use crate::model::small_queue::SmallQueue;
use crate::model::ss::{Netid, Socket, send_rate_bps, state_name};
use crate::model::tc::{Qdisc, TC_H_ROOT, format_classid, format_handle};
use crate::model::{Record, Stats};

/// The console, writing to standard output (or any writer, for tests).
pub struct Console<W = io::Stdout> {
    out: W,
    verbose: bool,
    bold: bool,
    block: String,
    sample: Option<u64>,
    /// Previous counters per ifindex, with the elapsed time they were read at.
    prev_ip: HashMap<u32, (Duration, LinkStats64)>,
    /// Previous sent bytes and packets per qdisc (ifindex, handle, parent).
    prev_tc: HashMap<(u32, u32, u32), (Duration, u64, u64)>,
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
        let mut rates = Table::new(&[
            "iface",
            "state",
            "rx B/s",
            "rx pkt/s",
            "rx drop/s",
            "rx err/s",
            "tx B/s",
            "tx pkt/s",
            "tx drop/s",
            "tx err/s",
        ]);
        let mut totals = Table::new(&[
            "iface", "state", "rx bytes", "rx pkts", "rx drop", "rx err", "tx bytes", "tx pkts",
            "tx drop", "tx err",
        ]);
        let mut prev = std::mem::take(&mut self.prev_ip);
        let mut fresh = 0;
        for link in links {
            let meta = &*link.link;
            let state = meta
                .operstate
                .and_then(operstate_name)
                .unwrap_or("-")
                .to_owned();
            let Some(st) = link.stats64 else {
                let mut row = vec![meta.ifname.clone(), state];
                row.resize(10, "-".into());
                totals.row(row);
                continue;
            };
            let cols = |s: &LinkStats64| {
                [
                    s.rx_bytes,
                    s.rx_packets,
                    s.rx_dropped,
                    s.rx_errors,
                    s.tx_bytes,
                    s.tx_packets,
                    s.tx_dropped,
                    s.tx_errors,
                ]
            };
            let now = cols(&st);
            let mut total_row = vec![meta.ifname.clone(), state.clone()];
            total_row.extend(now.iter().map(|&v| human(v as f64)));
            match prev.get(&meta.ifindex) {
                Some((t0, before)) if record.elapsed > *t0 => {
                    let dt = (record.elapsed - *t0).as_secs_f64();
                    let mut row = vec![meta.ifname.clone(), state];
                    for (n, b) in now.iter().zip(cols(before)) {
                        // A counter that went down was reset (device re-created): no rate.
                        row.push(match n.checked_sub(b) {
                            Some(d) => human(d as f64 / dt),
                            None => "-".into(),
                        });
                    }
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
            self.prev_ip.insert(meta.ifindex, (record.elapsed, st));
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
            let addr = |(ip, port): &(std::net::IpAddr, u16)| match ip {
                std::net::IpAddr::V6(v6) => format!("[{v6}]:{port}"),
                std::net::IpAddr::V4(v4) => format!("{v4}:{port}"),
            };
            let t = s.tcp_info.as_ref();
            table.row(vec![
                s.netid.name().to_owned(),
                state_name(s.state).to_owned(),
                s.recv_q.to_string(),
                s.send_q.to_string(),
                addr(&s.local),
                addr(&s.peer),
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
        let mut table = Table::new(&[
            "dev",
            "kind",
            "handle",
            "parent",
            "sent B",
            "B/s",
            "sent pkts",
            "pkt/s",
            "drops",
            "overlimits",
            "requeues",
            "backlog B",
            "backlog p",
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
            let st = q.stats.unwrap_or_default();
            let basic = st.basic.unwrap_or_default();
            let queue = st.queue.unwrap_or_default();
            let key = (q.ifindex, q.handle, q.parent);
            let rate = |now: u64, before: u64, dt: f64| {
                now.checked_sub(before)
                    .map_or_else(|| "-".to_owned(), |d| human(d as f64 / dt))
            };
            let (bps, pps) = match prev.get(&key) {
                Some((t0, b0, p0)) if record.elapsed > *t0 => {
                    let dt = (record.elapsed - *t0).as_secs_f64();
                    (rate(basic.bytes, *b0, dt), rate(basic.packets, *p0, dt))
                }
                _ => ("-".to_owned(), "-".to_owned()),
            };
            row.extend([
                human(basic.bytes as f64),
                bps,
                human(basic.packets as f64),
                pps,
                queue.drops.to_string(),
                queue.overlimits.to_string(),
                queue.requeues.to_string(),
                human(f64::from(queue.backlog)),
                queue.qlen.to_string(),
            ]);
            table.row(row);
            self.prev_tc
                .insert(key, (record.elapsed, basic.bytes, basic.packets));
        }
        table.render(&mut self.block);
    }

    fn queue_limits_table(&mut self, queues: &[QueueLimits]) {
        let _ = writeln!(self.block, "queue_limits: {} queues", queues.len());
        if queues.is_empty() {
            return;
        }
        // Columns: every file name seen, in the order the queues report them.
        let mut names: Vec<&str> = Vec::new();
        for q in queues {
            for (name, _) in &q.values {
                if !names.contains(&&**name) {
                    names.push(name);
                }
            }
        }
        let mut headers = vec!["iface", "queue"];
        headers.extend(&names);
        let mut table = Table::new(&headers);
        for q in queues {
            let mut row = vec![q.ifname.to_string(), q.queue.to_string()];
            for name in &names {
                row.push(
                    q.values
                        .iter()
                        .find(|(n, _)| &**n == *name)
                        .map_or_else(|| "-".to_owned(), |(_, v)| v.to_string()),
                );
            }
            table.row(row);
        }
        table.render(&mut self.block);
    }

    fn small_queue_line(&mut self, values: &[SmallQueue]) {
        for v in values {
            let _ = writeln!(
                self.block,
                "small_queue: tcp_limit_output_bytes {}",
                v.tcp_limit_output_bytes
            );
        }
    }
}

impl<W: Write + Send> Output for Console<W> {
    fn write(&mut self, record: &Record) -> Result<(), OutputError> {
        if self.sample != Some(record.sample) {
            self.sample = Some(record.sample);
            self.header(record);
        }
        match &record.stats {
            Stats::Ip(links) => self.ip_tables(record, links),
            Stats::Tc(qdiscs) => self.tc_table(record, qdiscs),
            Stats::Ss(sockets) => self.ss_table(record, sockets),
            Stats::QueueLimits(queues) => self.queue_limits_table(queues),
            Stats::SmallQueue(values) => self.small_queue_line(values),
        }
        Ok(())
    }

    fn end_sample(&mut self) -> Result<(), OutputError> {
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

/// A number in at most four significant characters with an SI suffix: `999`, `1.23k`, `45.6M`.
pub fn human(v: f64) -> String {
    const UNITS: [&str; 6] = ["", "k", "M", "G", "T", "P"];
    if !v.is_finite() {
        return "-".into();
    }
    let mut v = v;
    let mut unit = 0;
    while v.abs() >= 999.5 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        if v.fract() == 0.0 || v.abs() >= 100.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.1}")
        }
    } else if v.abs() >= 99.95 {
        format!("{v:.0}{}", UNITS[unit])
    } else if v.abs() >= 9.995 {
        format!("{v:.1}{}", UNITS[unit])
    } else {
        format!("{v:.2}{}", UNITS[unit])
    }
}

/// A table: first column left-aligned, the others right-aligned.
struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    fn row(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    fn render(&self, out: &mut String) {
        let n = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        for line in std::iter::once(&self.headers).chain(&self.rows) {
            let mut text = String::new();
            for (i, cell) in line.iter().take(n).enumerate() {
                let w = widths[i];
                if i == 0 {
                    let _ = write!(text, "{cell:<w$}");
                } else {
                    let _ = write!(text, "  {cell:>w$}");
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ip::LinkMeta;
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
