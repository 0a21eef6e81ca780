//! The JSON encoder: any described value ([`Describe`]) as compact JSON, generated from its
//! field descriptions.
//!
//! The encoder writes straight into a byte buffer: keys are copied from the descriptions,
//! integers formatted with `itoa`, strings escaped only when they need it. Field groups an owner
//! shares between samples ([`Visitor::shared`]: link metadata, qdisc options) are encoded once
//! per owner and copied while the owner comes back, which is most of an `ip` or `tc` record.

use std::any::Any;
use std::fmt::Display;
use std::io::Write as _;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::model::{Describe, Field, Record, Visitor};

/// How many records an unused cached group survives.
const CACHE_KEEP: u64 = 1024;

/// An encoded group of fields and the owner it belongs to (kept alive so its address is not
/// reused by another owner while the entry exists).
struct Cached {
    _owner: Arc<dyn Any + Send + Sync>,
    bytes: Vec<u8>,
    used: u64,
}

/// Encodes records and other described values as JSON.
#[derive(Default)]
pub struct JsonEncoder {
    /// By owner address and part. Looked up for every link and qdisc of every record: a
    /// multiply-and-rotate hash, not SipHash (which took a third of encoding a link).
    cache: FxHashMap<(usize, u8), Cached>,
    generation: u64,
    /// Closing bytes of the open objects and lists, innermost last.
    stack: Vec<u8>,
    scratch: String,
}

impl JsonEncoder {
    /// A new encoder with an empty cache.
    pub fn new() -> JsonEncoder {
        JsonEncoder::default()
    }

    /// Append `record` as one JSON object (no newline).
    pub fn record(&mut self, record: &Record, out: &mut Vec<u8>) {
        self.object(record, out);
        self.end_record();
    }

    /// A record was encoded: count it, and forget cached groups no record used for a while.
    pub(super) fn end_record(&mut self) {
        self.generation += 1;
        if self.generation.is_multiple_of(CACHE_KEEP) {
            let oldest = self.generation.saturating_sub(CACHE_KEEP);
            self.cache.retain(|_, c| c.used >= oldest);
        }
    }

    /// Append `value` as one JSON object.
    pub fn object<D: Describe + ?Sized>(&mut self, value: &D, out: &mut Vec<u8>) {
        out.push(b'{');
        self.stack.clear();
        self.stack.push(b'}');
        let mut w = Writer {
            out,
            enc: self,
            comma: false,
            in_list: false,
        };
        value.describe(&mut w);
        // Close whatever a description left open, so the output stays well formed.
        while let Some(close) = w.enc.stack.pop() {
            w.out.push(close);
        }
    }
}

struct Writer<'a> {
    out: &'a mut Vec<u8>,
    enc: &'a mut JsonEncoder,
    /// A member was written at this level: the next one needs a comma.
    comma: bool,
    /// The innermost open value is a list: its members have no key.
    in_list: bool,
}

impl Writer<'_> {
    /// The comma and key that come before a member. Inlined: it runs for every field, and the
    /// call itself cost a fifth of encoding a socket.
    #[inline(always)]
    fn member(&mut self, field: &Field<'_>) {
        if self.comma {
            self.out.push(b',');
        }
        self.comma = true;
        if self.in_list {
            return;
        }
        if field.is_plain() {
            // Every key the model declares: copied without looking at it again.
            self.out.push(b'"');
            self.out.extend_from_slice(field.key.as_bytes());
            self.out.extend_from_slice(b"\":");
        } else {
            string(self.out, field.key);
            self.out.push(b':');
        }
    }

    fn open(&mut self, close: u8) {
        self.out.push(if close == b']' { b'[' } else { b'{' });
        self.enc.stack.push(close);
        self.comma = false;
        self.in_list = close == b']';
    }
}

impl Visitor for Writer<'_> {
    // Most fields are numbers: inlined into the descriptions' loops.
    #[inline(always)]
    fn u64(&mut self, field: &Field<'_>, value: u64) {
        self.member(field);
        self.out
            .extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
    }

    fn i64(&mut self, field: &Field<'_>, value: i64) {
        self.member(field);
        self.out
            .extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
    }

    fn f64(&mut self, field: &Field<'_>, value: f64) {
        self.member(field);
        // serde_json's float format (shortest round-trip, `null` for NaN and infinities).
        let _ = serde_json::to_writer(&mut *self.out, &value);
    }

    fn bool(&mut self, field: &Field<'_>, value: bool) {
        self.member(field);
        self.out
            .extend_from_slice(if value { b"true" } else { b"false" });
    }

    fn str(&mut self, field: &Field<'_>, value: &str) {
        self.member(field);
        string(self.out, value);
    }

    fn display(&mut self, field: &Field<'_>, value: &dyn Display) {
        self.member(field);
        // Written in place, then looked at: addresses and names built from numbers never need
        // escaping, and the rare text that does is escaped from a copy.
        let start = self.out.len();
        self.out.push(b'"');
        let _ = write!(self.out, "{value}");
        if self.out[start + 1..].iter().all(|&b| plain_byte(b)) {
            self.out.push(b'"');
        } else {
            self.enc.scratch.clear();
            self.enc
                .scratch
                .push_str(&String::from_utf8_lossy(&self.out[start + 1..]));
            self.out.truncate(start);
            string(self.out, &self.enc.scratch);
        }
    }

    fn null(&mut self, field: &Field<'_>) {
        self.member(field);
        self.out.extend_from_slice(b"null");
    }

    fn begin_object(&mut self, field: &Field<'_>) {
        self.member(field);
        self.open(b'}');
    }

    fn begin_list(&mut self, field: &Field<'_>) {
        self.member(field);
        self.open(b']');
    }

    fn end(&mut self) {
        // The outermost object is closed by the encoder, never by a description.
        if self.enc.stack.len() > 1
            && let Some(close) = self.enc.stack.pop()
        {
            self.out.push(close);
            self.comma = true;
            self.in_list = self.enc.stack.last() == Some(&b']');
        }
    }

    fn shared<T: Send + Sync + 'static>(
        &mut self,
        owner: &Arc<T>,
        part: u8,
        describe: impl FnOnce(&mut Self),
    ) {
        let key = (Arc::as_ptr(owner) as *const () as usize, part);
        let generation = self.enc.generation;
        if let Some(cached) = self.enc.cache.get_mut(&key) {
            cached.used = generation;
            if !cached.bytes.is_empty() {
                if self.comma {
                    self.out.push(b',');
                }
                self.out.extend_from_slice(&cached.bytes);
                self.comma = true;
            }
            return;
        }
        // Encode the group as members without a leading comma, then keep those bytes.
        let had_comma = self.comma;
        if had_comma {
            self.out.push(b',');
        }
        let start = self.out.len();
        self.comma = false;
        describe(self);
        let bytes = self.out[start..].to_vec();
        if bytes.is_empty() {
            // Nothing was written: take back the comma.
            if had_comma {
                self.out.pop();
            }
            self.comma = had_comma;
        }
        let owner: Arc<dyn Any + Send + Sync> = Arc::clone(owner) as _;
        self.enc.cache.insert(
            key,
            Cached {
                _owner: owner,
                bytes,
                used: generation,
            },
        );
    }
}

/// A byte that stands for itself inside a JSON string.
#[inline]
fn plain_byte(b: u8) -> bool {
    (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\'
}

/// A JSON string, escaped when it needs to be.
pub fn string(out: &mut Vec<u8>, s: &str) {
    if s.bytes().all(plain_byte) {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Writing into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tc::{Fields, Value};
    use crate::model::{Kind, Unit};

    struct Sample<'a>(&'a Fields);

    impl Describe for Sample<'_> {
        fn describe<V: Visitor>(&self, v: &mut V) {
            self.0.describe_as(Kind::Gauge, v);
        }
    }

    fn encode(f: &Fields) -> String {
        let mut out = Vec::new();
        JsonEncoder::new().object(&Sample(f), &mut out);
        String::from_utf8(out).expect("utf8")
    }

    #[test]
    fn strings_are_escaped_as_json_requires() {
        for s in [
            "eth0",
            "with \"quote\"",
            "tab\there",
            "é",
            "",
            "back\\slash",
        ] {
            let mut out = Vec::new();
            string(&mut out, s);
            let back: String = serde_json::from_slice(&out).expect("valid JSON string");
            assert_eq!(back, s);
        }
    }

    struct Odd;

    impl Describe for Odd {
        fn describe<V: Visitor>(&self, v: &mut V) {
            // A key read at run time (a sysfs file name) and text that needs escaping.
            v.u64(&Field::gauge("odd \"name\"", crate::model::Unit::None), 1);
            v.display(&Field::label("shown"), &"tab\there");
            v.display(&Field::label("plain"), &"10.0.0.1");
        }
    }

    #[test]
    fn keys_and_displayed_text_are_escaped_when_they_need_it() {
        assert!(!Field::label("odd \"name\"").is_plain());
        assert!(Field::label("tcp_info").is_plain());
        let mut out = Vec::new();
        JsonEncoder::new().object(&Odd, &mut out);
        let v: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
        assert_eq!(v["odd \"name\""], 1);
        assert_eq!(v["shown"], "tab\there");
        assert_eq!(v["plain"], "10.0.0.1");
    }

    #[test]
    fn floats_as_percent_g_reads() {
        let mut f = Fields::new();
        f.f("a", 0.0);
        f.f("b", 1.0);
        f.f("c", 0.25);
        f.f("d", 1e6);
        f.f("e", f64::INFINITY);
        assert_eq!(
            encode(&f),
            r#"{"a":0,"b":1,"c":0.25,"d":1000000.0,"e":null}"#
        );
    }

    #[test]
    fn keys_keep_order_and_repeats_and_nest() {
        let mut f = Fields::new();
        f.u("flows", 3u32);
        f.u("throttled", 1u32);
        f.u("throttled", 9u64);
        let mut inner = Fields::new();
        inner.s("name", "x");
        f.push(
            "list",
            Value::List(vec![Value::U(1), Value::Obj(inner), Value::Null]),
        );
        f.b("flag", false);
        assert_eq!(
            encode(&f),
            r#"{"flows":3,"throttled":1,"throttled":9,"list":[1,{"name":"x"},null],"flag":false}"#
        );
    }

    struct WithShared(Arc<Fields>, u64);

    impl Describe for WithShared {
        fn describe<V: Visitor>(&self, v: &mut V) {
            v.u64(&Field::label("before"), self.1);
            v.shared(&self.0, 0, |v| self.0.describe_as(Kind::Label, v));
            v.u64(&Field::counter("after", Unit::None), self.1);
        }
    }

    #[test]
    fn shared_groups_are_encoded_once_and_reused_with_their_commas() {
        let mut enc = JsonEncoder::new();
        let mut group = Fields::new();
        group.u("x", 1u32);
        let owner = Arc::new(group);
        let empty = Arc::new(Fields::new());
        let mut first = Vec::new();
        enc.object(&WithShared(Arc::clone(&owner), 1), &mut first);
        let mut again = Vec::new();
        enc.object(&WithShared(Arc::clone(&owner), 2), &mut again);
        let mut none = Vec::new();
        enc.object(&WithShared(Arc::clone(&empty), 3), &mut none);
        let mut none_again = Vec::new();
        enc.object(&WithShared(empty, 4), &mut none_again);
        assert_eq!(
            String::from_utf8_lossy(&first),
            r#"{"before":1,"x":1,"after":1}"#
        );
        assert_eq!(
            String::from_utf8_lossy(&again),
            r#"{"before":2,"x":1,"after":2}"#
        );
        assert_eq!(String::from_utf8_lossy(&none), r#"{"before":3,"after":3}"#);
        assert_eq!(
            String::from_utf8_lossy(&none_again),
            r#"{"before":4,"after":4}"#
        );
        assert_eq!(enc.cache.len(), 2);
    }
}
