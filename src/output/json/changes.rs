//! Changes-only records (`--changes-only`): an object is written only when one of its values
//! changed since it was last written, with a whole record (a keyframe) every so often.
//!
//! Each element is encoded as in a full record, then compared, as bytes, with what was last
//! written for the same object (found by its identity keys, [`identity_keys`]). The unit of
//! change is a top-level key of the element: a changed element carries its identity keys and
//! every top-level key whose encoded value differs (a nested value — `stats64`, `options`,
//! `tcp_info` — is one value, written whole). The README's "Changes-only records" section is
//! the format; `scripts/expand_changes.py` turns such a file back into full records.
//!
//! Per reader and record:
//! - a keyframe (`"keyframe":true`, every element whole) is written for the reader's first
//!   record, for its first record in each new keyframe period (`elapsed` ÷ interval, rounded
//!   down), and when the objects cannot be described as changes: two objects with the same
//!   identity (the next record is a keyframe too), or objects the kernel listed in another order
//!   than before;
//! - otherwise an element is written whole when its object is new or its set of keys changed
//!   (its identity is then also in `gone`), with identity and changed keys when a value
//!   changed, with identity keys only when it is the predecessor of a new or replaced element
//!   (it says where that one goes), and not at all when nothing changed;
//! - `gone` lists the identities of objects of the previous record that are not in this one as
//!   they were.
//!
//! Nothing is allocated per record once the objects are known: elements are encoded into one
//! reused buffer, and each object's last written bytes are kept in a buffer of its own that is
//! overwritten in place. Most objects of most records are, byte for byte, the element at the same
//! place in the reader's previous record (kept, in the buffer of the record before): those are
//! recognised with one comparison, without looking for their keys or identity.

use std::time::Duration;

use rustc_hash::FxHashMap;

use super::encoder::JsonEncoder;
use crate::model::{Describe, Record, Stats, Visitor};

/// The top-level keys that identify an object of the reader `kind`, as they are written in its
/// elements; `None` for records that are not sampled state (the run's own records, and the
/// `ss_closed` events, which are written once each anyway).
pub fn identity_keys(kind: &str) -> Option<&'static [&'static str]> {
    match kind {
        "ip" => Some(&["ifindex"]),
        // The kernel finds a qdisc by device and handle; the default children of mq all have
        // handle 0 and differ by parent. The name's bytes when it is not UTF-8, since two such
        // names can read alike.
        "tc" => Some(&["dev", "dev_bytes", "handle", "root", "parent"]),
        // The cookie alone is unique; the addresses make a changed element readable alone.
        "ss" => Some(&["netid", "local", "peer", "cookie"]),
        "queue_limits" => Some(&["ifname", "ifname_bytes", "queue"]),
        // One object: nothing to tell apart.
        "small_queue" => Some(&[]),
        _ => None,
    }
}

/// One top-level member of an encoded object, as offsets into the object's bytes:
/// `"key"` is `start..colon`, the value `colon + 1..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Member {
    start: u32,
    colon: u32,
    end: u32,
}

impl Member {
    fn text(self, bytes: &[u8]) -> &[u8] {
        &bytes[self.start as usize..self.end as usize]
    }

    /// The key without its quotes.
    fn key(self, bytes: &[u8]) -> &[u8] {
        &bytes[self.start as usize + 1..(self.colon as usize).saturating_sub(1)]
    }

    fn value(self, bytes: &[u8]) -> &[u8] {
        &bytes[self.colon as usize + 1..self.end as usize]
    }
}

/// The top-level members of one encoded JSON object (`{…}`), appended to `out`.
fn scan(object: &[u8], out: &mut Vec<Member>) {
    let (mut depth, mut in_string, mut escaped) = (0u32, false, false);
    let (mut start, mut colon) = (0usize, 0usize);
    for (i, &b) in object.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth == 1 {
                    start = i + 1;
                }
            }
            b'}' | b']' => {
                if depth == 1 && i > start {
                    out.push(member(start, colon, i));
                }
                depth = depth.saturating_sub(1);
            }
            b':' if depth == 1 && colon < start => colon = i,
            b',' if depth == 1 => {
                out.push(member(start, colon, i));
                start = i + 1;
            }
            _ => {}
        }
    }
}

fn member(start: usize, colon: usize, end: usize) -> Member {
    Member {
        start: start as u32,
        colon: colon as u32,
        end: end as u32,
    }
}

/// What became of an object since the previous record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    /// Not in the previous record.
    New,
    /// Its keys are not the ones last written: written whole, and named in `gone`.
    Replaced,
    /// A value changed.
    Changed,
    /// Nothing changed.
    Same,
}

/// One element of a record: offsets into the scratch buffers.
#[derive(Debug, Clone, Copy)]
struct Element {
    /// Its bytes in `buf`.
    start: usize,
    end: usize,
    /// Its members in `members` (offsets relative to `start`); empty when the element is the
    /// previous record's element at the same place, byte for byte (not scanned).
    members: (usize, usize),
    /// Its identity in `ids`: the identity members, comma-separated.
    id: (usize, usize),
    status: Status,
    /// Written (at least its identity) to place the element after it.
    anchor: bool,
}

/// What was last written of an object.
#[derive(Debug, Default)]
struct Object {
    bytes: Vec<u8>,
    members: Vec<Member>,
    /// Its place in the previous record (in the record being compared, once looked up).
    position: usize,
    /// The last record it was looked up in.
    seen: u64,
}

/// The objects of one reader.
#[derive(Debug, Default)]
struct ReaderState {
    objects: FxHashMap<Vec<u8>, Object>,
    /// The previous record: its elements' bytes, elements and identities.
    buf: Vec<u8>,
    elements: Vec<Element>,
    ids: Vec<u8>,
    /// The keyframe period of the last keyframe; None: the next record is a keyframe.
    keyframe_period: Option<u64>,
    generation: u64,
}

/// Writes records as changes to what was last written, per reader.
pub struct ChangesEncoder {
    keyframe_us: u64,
    readers: FxHashMap<&'static str, ReaderState>,
    buf: Vec<u8>,
    members: Vec<Member>,
    elements: Vec<Element>,
    ids: Vec<u8>,
    changed: Vec<bool>,
    /// Per element of the previous record: found again in this one.
    matched: Vec<bool>,
    gone: Vec<Vec<u8>>,
}

/// The envelope of a record, without its `stats`.
struct Envelope<'a>(&'a Record);

impl Describe for Envelope<'_> {
    fn describe<V: Visitor>(&self, v: &mut V) {
        self.0.describe_envelope(v);
    }
}

impl ChangesEncoder {
    /// A keyframe at least every `keyframe` (at least a microsecond).
    pub fn new(keyframe: Duration) -> ChangesEncoder {
        ChangesEncoder {
            keyframe_us: (keyframe.as_micros() as u64).max(1),
            readers: FxHashMap::default(),
            buf: Vec::new(),
            members: Vec::new(),
            elements: Vec::new(),
            ids: Vec::new(),
            changed: Vec::new(),
            matched: Vec::new(),
            gone: Vec::new(),
        }
    }

    /// Append `record` as one JSON object (no newline): as changes for sampled state, whole for
    /// anything else.
    pub fn record(&mut self, enc: &mut JsonEncoder, record: &Record, out: &mut Vec<u8>) {
        let Some(keys) = identity_keys(record.kind) else {
            return enc.record(record, out);
        };
        let mut state = self.readers.remove(record.kind).unwrap_or_default();
        match &record.stats {
            Stats::Ip(v) => self.encode_elements(enc, &state, v, keys),
            Stats::Tc(v) => self.encode_elements(enc, &state, v, keys),
            Stats::Ss(v) => self.encode_elements(enc, &state, v, keys),
            Stats::QueueLimits(v) => self.encode_elements(enc, &state, v, keys),
            Stats::SmallQueue(v) => self.encode_elements(enc, &state, v, keys),
            Stats::SsClosed(_) | Stats::Run(_) | Stats::RunSummary(_) => {
                self.readers.insert(record.kind, state);
                return enc.record(record, out);
            }
        }
        let keyframe = self.compare(&mut state, record);
        self.write(enc, &mut state, record, keys, keyframe, out);
        enc.end_record();
        // This record is the next one's previous record.
        std::mem::swap(&mut self.buf, &mut state.buf);
        std::mem::swap(&mut self.elements, &mut state.elements);
        std::mem::swap(&mut self.ids, &mut state.ids);
        self.readers.insert(record.kind, state);
    }

    /// Encode every element into `buf`, with its members and identity. An element that is,
    /// byte for byte, the previous record's element at the same place is the same object,
    /// unchanged: it is not scanned, and takes that element's identity.
    fn encode_elements<D: Describe>(
        &mut self,
        enc: &mut JsonEncoder,
        prev: &ReaderState,
        items: &[D],
        keys: &[&str],
    ) {
        self.buf.clear();
        self.members.clear();
        self.elements.clear();
        self.ids.clear();
        for (i, item) in items.iter().enumerate() {
            let start = self.buf.len();
            enc.object(item, &mut self.buf);
            let end = self.buf.len();
            let id0 = self.ids.len();
            let m0 = self.members.len();
            // Not after a record with two objects of one identity: which of them the object
            // holds is not known.
            let before = prev
                .elements
                .get(i)
                .filter(|_| prev.keyframe_period.is_some());
            if let Some(p) = before
                && prev.buf[p.start..p.end] == self.buf[start..end]
            {
                self.ids.extend_from_slice(&prev.ids[p.id.0..p.id.1]);
                self.elements.push(Element {
                    start,
                    end,
                    members: (m0, m0),
                    id: (id0, self.ids.len()),
                    status: Status::Same,
                    anchor: false,
                });
                continue;
            }
            scan(&self.buf[start..end], &mut self.members);
            for m in &self.members[m0..] {
                let key = m.key(&self.buf[start..end]);
                if keys.iter().any(|k| k.as_bytes() == key) {
                    if self.ids.len() > id0 {
                        self.ids.push(b',');
                    }
                    self.ids.extend_from_slice(m.text(&self.buf[start..end]));
                }
            }
            self.elements.push(Element {
                start,
                end,
                members: (m0, self.members.len()),
                id: (id0, self.ids.len()),
                status: Status::New,
                anchor: false,
            });
        }
    }

    /// Compare the encoded elements with the reader's objects; returns whether the record is a
    /// keyframe. Fills `gone` and each element's status and anchor.
    fn compare(&mut self, state: &mut ReaderState, record: &Record) -> bool {
        state.generation += 1;
        let generation = state.generation;
        let period = record.elapsed.as_micros() as u64 / self.keyframe_us;
        let mut keyframe = state.keyframe_period != Some(period);
        let mut duplicate = false;
        let mut last: Option<usize> = None;
        self.matched.clear();
        self.matched.resize(state.elements.len(), false);
        for (i, e) in self.elements.iter_mut().enumerate() {
            // Where the object was in the previous record.
            let previous = if e.status == Status::Same {
                // The previous record's element i, unchanged: its object's position is i.
                i
            } else {
                let id = &self.ids[e.id.0..e.id.1];
                let Some(obj) = state.objects.get_mut(id) else {
                    state.objects.insert(
                        id.to_vec(),
                        Object {
                            position: i,
                            seen: generation,
                            ..Object::default()
                        },
                    );
                    e.status = Status::New;
                    continue;
                };
                if obj.seen == generation {
                    // Two objects with one identity: changes could not say which is which.
                    duplicate = true;
                    continue;
                }
                obj.seen = generation;
                let previous = obj.position;
                obj.position = i;
                let bytes = &self.buf[e.start..e.end];
                let members = &self.members[e.members.0..e.members.1];
                e.status = if obj.bytes == bytes {
                    Status::Same
                } else if members.len() == obj.members.len()
                    && members
                        .iter()
                        .zip(&obj.members)
                        .all(|(a, b)| a.key(bytes) == b.key(&obj.bytes))
                {
                    Status::Changed
                } else {
                    Status::Replaced
                };
                previous
            };
            match self.matched.get_mut(previous) {
                Some(m) if !*m => *m = true,
                _ => duplicate = true,
            }
            // Objects of the previous record must come in the same order; only new ones may
            // come between them.
            if last.is_some_and(|p| previous <= p) {
                keyframe = true;
            }
            last = Some(previous);
        }
        // What the previous record had and this one has not.
        self.gone.clear();
        for (p, e) in state.elements.iter().enumerate() {
            let id = &state.ids[e.id.0..e.id.1];
            // Found again under its identity (after a record where two objects had it, the
            // previous record may name it twice).
            let found = |o: &Object| o.seen == generation;
            if !self.matched[p]
                && !state.objects.get(id).is_none_or(found)
                && let Some((id, _)) = state.objects.remove_entry(id)
            {
                self.gone.push(id);
            }
        }
        if duplicate {
            keyframe = true;
        }
        if keyframe {
            state.keyframe_period = (!duplicate).then_some(period);
        } else {
            for i in 1..self.elements.len() {
                if matches!(self.elements[i].status, Status::New | Status::Replaced) {
                    self.elements[i - 1].anchor = true;
                }
            }
        }
        keyframe
    }

    /// Write the record and remember what was written.
    fn write(
        &mut self,
        enc: &mut JsonEncoder,
        state: &mut ReaderState,
        record: &Record,
        keys: &[&str],
        keyframe: bool,
        out: &mut Vec<u8>,
    ) {
        enc.object(&Envelope(record), out);
        out.pop();
        out.extend_from_slice(b",\"changes\":true");
        if keyframe {
            out.extend_from_slice(b",\"keyframe\":true");
        }
        let replaced = |e: &Element| !keyframe && e.status == Status::Replaced;
        if !self.gone.is_empty() || self.elements.iter().any(replaced) {
            out.extend_from_slice(b",\"gone\":[");
            let ids = self.gone.iter().map(Vec::as_slice).chain(
                self.elements
                    .iter()
                    .filter(|e| replaced(e))
                    .map(|e| &self.ids[e.id.0..e.id.1]),
            );
            for (n, id) in ids.enumerate() {
                if n > 0 {
                    out.push(b',');
                }
                out.push(b'{');
                out.extend_from_slice(id);
                out.push(b'}');
            }
            out.push(b']');
        }
        out.extend_from_slice(b",\"stats\":[");
        let mut first = true;
        for e in &self.elements {
            let bytes = &self.buf[e.start..e.end];
            let whole = keyframe || matches!(e.status, Status::New | Status::Replaced);
            if !whole && e.status == Status::Same && !e.anchor {
                continue;
            }
            if !first {
                out.push(b',');
            }
            first = false;
            let id = &self.ids[e.id.0..e.id.1];
            if whole {
                out.extend_from_slice(bytes);
            } else if e.status == Status::Same {
                // Only where it is: its identity.
                out.push(b'{');
                out.extend_from_slice(id);
                out.push(b'}');
            } else {
                let members = &self.members[e.members.0..e.members.1];
                let Some(obj) = state.objects.get(id) else {
                    // Every changed element's object was found when it was compared.
                    out.extend_from_slice(bytes);
                    continue;
                };
                // Identity and changed values, in the element's order. Where a key repeats
                // (fq's two `throttled`), every occurrence is written when one changed.
                self.changed.clear();
                self.changed.extend(
                    members
                        .iter()
                        .zip(&obj.members)
                        .map(|(a, b)| a.value(bytes) != b.value(&obj.bytes)),
                );
                for j in 0..members.len() {
                    if self.changed[j] {
                        let key = members[j].key(bytes);
                        for (k, m) in members.iter().enumerate() {
                            if k != j && m.key(bytes) == key {
                                self.changed[k] = true;
                            }
                        }
                    }
                }
                out.push(b'{');
                let mut comma = false;
                for (j, m) in members.iter().enumerate() {
                    let key = m.key(bytes);
                    if self.changed[j] || keys.iter().any(|k| k.as_bytes() == key) {
                        if comma {
                            out.push(b',');
                        }
                        comma = true;
                        out.extend_from_slice(m.text(bytes));
                    }
                }
                out.push(b'}');
            }
        }
        out.extend_from_slice(b"]}");
        // Remember what changed.
        for e in self.elements.iter().filter(|e| e.status != Status::Same) {
            if let Some(obj) = state.objects.get_mut(&self.ids[e.id.0..e.id.1]) {
                obj.bytes.clear();
                obj.bytes.extend_from_slice(&self.buf[e.start..e.end]);
                obj.members.clear();
                obj.members
                    .extend_from_slice(&self.members[e.members.0..e.members.1]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_found_at_the_top_level_only() {
        let object = br#"{"a":1,"b":{"c":[1,2],"d":"x,y:}"},"e":"q\"{","f":[{"g":1}]}"#;
        let mut members = Vec::new();
        scan(object, &mut members);
        let keys: Vec<&[u8]> = members.iter().map(|m| m.key(object)).collect();
        assert_eq!(keys, [&b"a"[..], b"b", b"e", b"f"]);
        let values: Vec<&[u8]> = members.iter().map(|m| m.value(object)).collect();
        assert_eq!(
            values,
            [
                &b"1"[..],
                br#"{"c":[1,2],"d":"x,y:}"}"#,
                br#""q\"{""#,
                br#"[{"g":1}]"#
            ]
        );
        members.clear();
        scan(b"{}", &mut members);
        assert!(members.is_empty());
    }

    use std::sync::Arc;

    use crate::model::queue_limits::QueueLimits;

    fn queue(ifname: &str, queue: &str, values: &[(&str, u64)]) -> QueueLimits {
        QueueLimits {
            ifname: ifname.into(),
            ifname_bytes: None,
            queue: queue.into(),
            values: values.iter().map(|&(k, v)| (Arc::from(k), v)).collect(),
        }
    }

    /// Writes queue_limits records through one encoder, at `elapsed` milliseconds.
    struct Run {
        enc: JsonEncoder,
        changes: ChangesEncoder,
        sample: u64,
    }

    impl Run {
        fn new(keyframe_ms: u64) -> Run {
            Run {
                enc: JsonEncoder::new(),
                changes: ChangesEncoder::new(Duration::from_millis(keyframe_ms)),
                sample: 0,
            }
        }

        /// The record's text after its envelope's `elapsed`.
        fn write(&mut self, elapsed_ms: u64, queues: Vec<QueueLimits>) -> String {
            let record = Record {
                kind: "queue_limits",
                run: Arc::from(""),
                sample: self.sample,
                timestamp: Duration::ZERO,
                elapsed: Duration::from_millis(elapsed_ms),
                partial: false,
                stats: Stats::QueueLimits(queues),
            };
            self.sample += 1;
            let mut out = Vec::new();
            self.changes.record(&mut self.enc, &record, &mut out);
            let text = String::from_utf8(out).expect("utf8");
            let at = text.find(",\"changes\"").expect("changes");
            text[at..].to_owned()
        }
    }

    const A: &str = r#"{"ifname":"a","queue":"tx-0""#;

    #[test]
    fn only_changed_values_are_written_with_the_identity() {
        let mut run = Run::new(10_000);
        let q = |limit, inflight| queue("a", "tx-0", &[("limit", limit), ("inflight", inflight)]);
        assert_eq!(
            run.write(0, vec![q(10, 0), queue("b", "tx-0", &[("limit", 5)])]),
            format!(
                r#","changes":true,"keyframe":true,"stats":[{A},"limit":10,"inflight":0}},{{"ifname":"b","queue":"tx-0","limit":5}}]}}"#
            )
        );
        // Nothing changed: an empty list, still a record.
        assert_eq!(
            run.write(1, vec![q(10, 0), queue("b", "tx-0", &[("limit", 5)])]),
            r#","changes":true,"stats":[]}"#
        );
        assert_eq!(
            run.write(2, vec![q(10, 7), queue("b", "tx-0", &[("limit", 5)])]),
            format!(r#","changes":true,"stats":[{A},"inflight":7}}]}}"#)
        );
        // Compared with what was last written, not with the record before.
        assert_eq!(
            run.write(3, vec![q(10, 7), queue("b", "tx-0", &[("limit", 6)])]),
            r#","changes":true,"stats":[{"ifname":"b","queue":"tx-0","limit":6}]}"#
        );
    }

    #[test]
    fn vanished_objects_are_gone_and_new_ones_placed_after_their_predecessor() {
        let mut run = Run::new(10_000);
        let a = || queue("a", "tx-0", &[("limit", 1)]);
        let b = || queue("b", "tx-0", &[("limit", 2)]);
        let c = || queue("c", "tx-0", &[("limit", 3)]);
        run.write(0, vec![a(), b(), c()]);
        assert_eq!(
            run.write(1, vec![a(), c()]),
            r#","changes":true,"gone":[{"ifname":"b","queue":"tx-0"}],"stats":[]}"#
        );
        // b comes back between a and c: a is written (identity only) to say where.
        assert_eq!(
            run.write(2, vec![a(), b(), c()]),
            format!(
                r#","changes":true,"stats":[{A}}},{{"ifname":"b","queue":"tx-0","limit":2}}]}}"#
            )
        );
        // A new first object needs no predecessor.
        let z = queue("0", "tx-0", &[("limit", 9)]);
        assert_eq!(
            run.write(3, vec![z, a(), b(), c()]),
            r#","changes":true,"stats":[{"ifname":"0","queue":"tx-0","limit":9}]}"#
        );
    }

    #[test]
    fn an_object_whose_keys_changed_is_replaced_whole() {
        let mut run = Run::new(10_000);
        run.write(
            0,
            vec![queue("a", "tx-0", &[("limit", 1), ("inflight", 0)])],
        );
        assert_eq!(
            run.write(1, vec![queue("a", "tx-0", &[("limit", 1)])]),
            format!(r#","changes":true,"gone":[{A}}}],"stats":[{A},"limit":1}}]}}"#)
        );
    }

    #[test]
    fn reordered_or_repeated_objects_make_keyframes() {
        let mut run = Run::new(10_000);
        let a = || queue("a", "tx-0", &[("limit", 1)]);
        let b = || queue("b", "tx-0", &[("limit", 2)]);
        run.write(0, vec![a(), b()]);
        assert!(run.write(1, vec![b(), a()]).contains(r#""keyframe":true"#));
        assert!(!run.write(2, vec![b(), a()]).contains("keyframe"));
        // The same identity twice: this record and the next are keyframes.
        assert!(
            run.write(3, vec![b(), a(), a()])
                .contains(r#""keyframe":true"#)
        );
        assert!(run.write(4, vec![b(), a()]).contains(r#""keyframe":true"#));
        assert_eq!(
            run.write(5, vec![b(), a()]),
            r#","changes":true,"stats":[]}"#
        );
        // After two objects of one identity, the one that stays is known by its values.
        let mut run = Run::new(10_000);
        let a = || queue("a", "tx-0", &[("limit", 1), ("inflight", 0)]);
        let a2 = || queue("a", "tx-0", &[("limit", 2), ("inflight", 0)]);
        run.write(0, vec![a()]);
        assert!(run.write(1, vec![a(), a2()]).contains(r#""keyframe":true"#));
        let again = run.write(2, vec![a()]);
        assert!(
            again.contains(r#""keyframe":true"#) && !again.contains("gone"),
            "{again}"
        );
        assert_eq!(
            run.write(3, vec![a2()]),
            format!(r#","changes":true,"stats":[{A},"limit":2}}]}}"#)
        );
    }

    #[test]
    fn keyframes_come_with_each_new_period() {
        let mut run = Run::new(100);
        let keyframes: Vec<bool> = [0, 50, 99, 100, 150, 250, 420, 430]
            .into_iter()
            .map(|ms| {
                run.write(ms, vec![queue("a", "tx-0", &[("limit", 1)])])
                    .contains(r#""keyframe":true"#)
            })
            .collect();
        assert_eq!(
            keyframes,
            [true, false, false, true, false, true, true, false]
        );
    }

    #[test]
    fn every_occurrence_of_a_repeated_key_is_written_when_one_changed() {
        let mut run = Run::new(10_000);
        let q = |x, y, z| queue("a", "tx-0", &[("t", x), ("u", y), ("t", z)]);
        run.write(0, vec![q(1, 2, 3)]);
        assert_eq!(
            run.write(1, vec![q(1, 2, 4)]),
            format!(r#","changes":true,"stats":[{A},"t":1,"t":4}}]}}"#)
        );
        assert_eq!(
            run.write(2, vec![q(1, 5, 4)]),
            format!(r#","changes":true,"stats":[{A},"u":5}}]}}"#)
        );
    }
}
