//! A run's own records: the header written before its first sample (what was run, where, how
//! the host was set up) and the summary written after its last (what became of every slot and
//! sample). With them a file of several appended runs is self-describing.

use std::time::Duration;

use super::describe::{Describe, ELEMENT, Field, Unit, Visitor};

/// What a run is: written first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunInfo {
    /// The tool's version.
    pub version: String,
    /// The command line, argument by argument.
    pub command_line: Vec<String>,
    /// The host name.
    pub host: String,
    /// The kernel release (`uname -r`).
    pub kernel: String,
    /// The network namespace sampled: as given to `--netns` (None: the process's own).
    pub netns: Option<String>,
    /// Inode of the network namespace sampled (`stat -L /proc/self/ns/net`), 0 when unknown.
    pub netns_inode: u64,
    /// Monotonic clock at the start, the origin of every record's `elapsed`.
    pub start_monotonic: Duration,
    /// Samples per second of readers without a rate of their own; 0 for a replay.
    pub frequency: f64,
    /// Slots per reader (None: until stopped).
    pub slots: Option<u64>,
    /// Readers with a rate of their own.
    pub rates: Vec<(String, f64)>,
    /// The readers, in the order they are read.
    pub readers: Vec<&'static str>,
    /// `--iface`.
    pub iface: Option<String>,
    /// `--ss-filter`, as typed.
    pub ss_filter: Option<String>,
    /// The capture replayed, if any.
    pub replay: Option<String>,
    /// The capture recorded, if any.
    pub record: Option<String>,
    /// `--changes-only`: the keyframe interval in seconds (None: every record is whole).
    pub changes_only: Option<f64>,
    /// Host settings that shape queues (sysctl name, value as read; unreadable ones absent).
    pub settings: Vec<(String, String)>,
}

/// What became of a run: written last.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunSummary {
    /// Samples taken (times the sampler woke and read the readers due).
    pub samples: u64,
    /// Wall time of the run.
    pub wall: Duration,
    /// CPU time of the process.
    pub cpu: Duration,
    /// The run ended on a stop request.
    pub interrupted: bool,
    /// Per reader: (kind, records, slots skipped, slots failed).
    pub readers: Vec<(&'static str, u64, u64, u64)>,
    /// Per output, until this summary was handed over: (name, samples dropped).
    pub outputs: Vec<(&'static str, u64)>,
}

const VERSION: Field = Field::label("version");
const COMMAND_LINE: Field = Field::label("command_line");
const HOST: Field = Field::label("host");
const KERNEL: Field = Field::label("kernel");
const NETNS: Field = Field::label("netns");
const NETNS_INODE: Field = Field::label("netns_inode");
const START_MONOTONIC: Field = Field::gauge("start_monotonic", Unit::Seconds);
const FREQUENCY: Field = Field::gauge("frequency", Unit::None);
const SLOTS: Field = Field::label("slots");
const RATES: Field = Field::label("rates");
const READERS: Field = Field::label("readers");
const IFACE: Field = Field::label("iface");
const SS_FILTER: Field = Field::label("ss_filter");
const REPLAY: Field = Field::label("replay");
const RECORD: Field = Field::label("record");
const SETTINGS: Field = Field::label("settings");
const CHANGES_ONLY: Field = Field::gauge("changes_only", Unit::Seconds);

const SAMPLES: Field = Field::counter("samples", Unit::None);
const WALL: Field = Field::gauge("wall", Unit::Seconds);
const CPU: Field = Field::gauge("cpu", Unit::Seconds);
const INTERRUPTED: Field = Field::label("interrupted");
const OUTPUTS: Field = Field::label("outputs");
const RECORDS: Field = Field::counter("records", Unit::None);
const SKIPPED: Field = Field::counter("skipped", Unit::None);
const FAILED: Field = Field::counter("failed", Unit::None);
const DROPPED: Field = Field::counter("dropped", Unit::None);

fn seconds(d: Duration) -> f64 {
    d.as_nanos() as f64 / 1e9
}

impl Describe for RunInfo {
    fn describe<V: Visitor>(&self, v: &mut V) {
        v.str(&VERSION, &self.version);
        v.begin_list(&COMMAND_LINE);
        for arg in &self.command_line {
            v.str(&ELEMENT, arg);
        }
        v.end();
        v.str(&HOST, &self.host);
        v.str(&KERNEL, &self.kernel);
        if let Some(ns) = &self.netns {
            v.str(&NETNS, ns);
        }
        v.u64(&NETNS_INODE, self.netns_inode);
        v.f64(&START_MONOTONIC, seconds(self.start_monotonic));
        v.f64(&FREQUENCY, self.frequency);
        if let Some(n) = self.slots {
            v.u64(&SLOTS, n);
        }
        v.begin_object(&RATES);
        for (reader, rate) in &self.rates {
            v.f64(&Field::gauge(reader, Unit::None), *rate);
        }
        v.end();
        v.begin_list(&READERS);
        for r in &self.readers {
            v.str(&ELEMENT, r);
        }
        v.end();
        for (field, value) in [
            (&IFACE, &self.iface),
            (&SS_FILTER, &self.ss_filter),
            (&REPLAY, &self.replay),
            (&RECORD, &self.record),
        ] {
            if let Some(value) = value {
                v.str(field, value);
            }
        }
        if let Some(keyframe) = self.changes_only {
            v.f64(&CHANGES_ONLY, keyframe);
        }
        v.begin_object(&SETTINGS);
        for (name, value) in &self.settings {
            v.str(&Field::label(name), value);
        }
        v.end();
    }
}

impl Describe for RunSummary {
    fn describe<V: Visitor>(&self, v: &mut V) {
        v.u64(&SAMPLES, self.samples);
        v.f64(&WALL, seconds(self.wall));
        v.f64(&CPU, seconds(self.cpu));
        v.bool(&INTERRUPTED, self.interrupted);
        v.begin_object(&READERS);
        for (kind, records, skipped, failed) in &self.readers {
            v.begin_object(&Field::label(kind));
            v.u64(&RECORDS, *records);
            v.u64(&SKIPPED, *skipped);
            v.u64(&FAILED, *failed);
            v.end();
        }
        v.end();
        v.begin_object(&OUTPUTS);
        for (name, dropped) in &self.outputs {
            v.begin_object(&Field::label(name));
            v.u64(&DROPPED, *dropped);
            v.end();
        }
        v.end();
    }
}
