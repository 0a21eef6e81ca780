//! The record: one reader's statistics of one sample, with the envelope every logger shares.

use std::time::Duration;

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::readers::ip::LinkSample;
use crate::readers::queue_limits::QueueLimits;
use crate::readers::small_queue::SmallQueue;
use crate::readers::ss::Socket;
use crate::readers::tc::Qdisc;

/// Statistics of one reader for one sample, typed per reader.
#[derive(Debug, Clone)]
pub enum Stats {
    /// `ip`: one element per interface.
    Ip(Vec<LinkSample>),
    /// `tc`: one element per qdisc.
    Tc(Vec<Qdisc>),
    /// `ss`: one element per socket.
    Ss(Vec<Socket>),
    /// `queue_limits`: one element per transmit queue with byte queue limits.
    QueueLimits(Vec<QueueLimits>),
    /// `small_queue`: one element.
    SmallQueue(Vec<SmallQueue>),
}

impl Stats {
    /// Number of elements (interfaces, qdiscs, sockets, …).
    pub fn len(&self) -> usize {
        match self {
            Stats::Ip(v) => v.len(),
            Stats::Tc(v) => v.len(),
            Stats::Ss(v) => v.len(),
            Stats::QueueLimits(v) => v.len(),
            Stats::SmallQueue(v) => v.len(),
        }
    }

    /// True when there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Serialize for Stats {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Stats::Ip(v) => v.serialize(s),
            Stats::Tc(v) => v.serialize(s),
            Stats::Ss(v) => v.serialize(s),
            Stats::QueueLimits(v) => v.serialize(s),
            Stats::SmallQueue(v) => v.serialize(s),
        }
    }
}

/// One line of output: `{"type","sample","timestamp","elapsed","partial"?,"stats"}`.
#[derive(Debug, Clone)]
pub struct Record {
    /// The reader's kind (`"ip"`, `"tc"`, …).
    pub kind: &'static str,
    /// Index of the schedule slot this sample belongs to, from 0.
    pub sample: u64,
    /// Wall-clock time when the read began, since the Unix epoch.
    pub timestamp: Duration,
    /// Monotonic time since the run started.
    pub elapsed: Duration,
    /// True when a dump stayed inconsistent (`NLM_F_DUMP_INTR`) after every retry.
    pub partial: bool,
    /// The statistics.
    pub stats: Stats,
}

/// Serialises any `Display` value as a JSON string, without an intermediate `String`.
pub struct AsStr<T>(pub T);

impl<T: std::fmt::Display> Serialize for AsStr<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// Seconds with microsecond precision, as a JSON number.
fn seconds(d: Duration) -> f64 {
    d.as_micros() as f64 / 1e6
}

impl Serialize for Record {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(if self.partial { 6 } else { 5 }))?;
        m.serialize_entry("type", self.kind)?;
        m.serialize_entry("sample", &self.sample)?;
        m.serialize_entry("timestamp", &seconds(self.timestamp))?;
        m.serialize_entry("elapsed", &seconds(self.elapsed))?;
        if self.partial {
            m.serialize_entry("partial", &true)?;
        }
        m.serialize_entry("stats", &self.stats)?;
        m.end()
    }
}

impl Record {
    /// Append this record as one JSON line (without the newline): the bytes of its `Serialize`
    /// implementation, with the bulk of large samples (interfaces, sockets) written directly.
    pub fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        if !matches!(self.stats, Stats::Ip(_) | Stats::Tc(_) | Stats::Ss(_)) {
            return serde_json::to_writer(&mut *out, self);
        }
        out.extend_from_slice(b"{\"type\":");
        serde_json::to_writer(&mut *out, self.kind)?;
        out.extend_from_slice(b",\"sample\":");
        serde_json::to_writer(&mut *out, &self.sample)?;
        out.extend_from_slice(b",\"timestamp\":");
        serde_json::to_writer(&mut *out, &seconds(self.timestamp))?;
        out.extend_from_slice(b",\"elapsed\":");
        serde_json::to_writer(&mut *out, &seconds(self.elapsed))?;
        if self.partial {
            out.extend_from_slice(b",\"partial\":true");
        }
        out.extend_from_slice(b",\"stats\":");
        match &self.stats {
            Stats::Ip(links) => crate::readers::ip::write_links(out, links),
            Stats::Tc(qdiscs) => crate::readers::tc::write_qdiscs(out, qdiscs),
            Stats::Ss(sockets) => crate::readers::ss::json::write_sockets(out, sockets),
            other => serde_json::to_writer(&mut *out, other)?,
        }
        out.push(b'}');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_keys_and_precision() {
        let r = Record {
            kind: "ip",
            sample: 3,
            timestamp: Duration::new(1_764_000_000, 123_456_789),
            elapsed: Duration::from_nanos(12_345),
            partial: false,
            stats: Stats::Ip(Vec::new()),
        };
        let line = serde_json::to_string(&r).expect("serialise");
        assert_eq!(
            line,
            r#"{"type":"ip","sample":3,"timestamp":1764000000.123456,"elapsed":0.000012,"stats":[]}"#
        );
        let mut direct = Vec::new();
        r.write_json(&mut direct).expect("direct");
        assert_eq!(String::from_utf8_lossy(&direct), line);
        let ss = Record {
            kind: "ss",
            partial: true,
            stats: Stats::Ss(Vec::new()),
            ..r.clone()
        };
        let mut direct = Vec::new();
        ss.write_json(&mut direct).expect("direct");
        assert_eq!(
            String::from_utf8_lossy(&direct),
            serde_json::to_string(&ss).expect("serde")
        );
        let partial = Record { partial: true, ..r };
        let v: serde_json::Value =
            serde_json::from_str(&serde_json::to_string(&partial).expect("ser")).expect("json");
        assert_eq!(v["partial"], serde_json::Value::Bool(true));
    }
}
