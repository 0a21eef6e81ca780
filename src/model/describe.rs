//! Field descriptions: how each statistics type names its values, once, for every output.
//!
//! A stats type implements [`Describe`] by visiting its fields in output order, each with a
//! static [`Field`] (the JSON key, whether the value is a label, a counter or a gauge, and its
//! unit). Whether a field is present, and the order of fields, are decided in that one
//! `describe` function — the omission rules of iproute2 (e.g. `txqlen` only when it is not
//! zero) live there and nowhere else. Outputs are [`Visitor`]s: the JSON writer turns the visit
//! into bytes, the console picks the fields it shows and computes rates of counters, and any
//! later output (columnar files, metrics) reads the same visit.

use std::fmt::Display;
use std::sync::Arc;

/// What a value is, for outputs that treat values differently (rates of counters, quantiles
/// of gauges, labels as dimensions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Identifies or qualifies the element (names, states, addresses, configuration).
    Label,
    /// Only grows while the object lives (a reset shows as a decrease).
    Counter,
    /// Goes up and down (queue lengths, windows, estimates).
    Gauge,
}

/// The unit of a value, as the kernel reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// No unit (names, flags, counts of events).
    None,
    /// Bytes.
    Bytes,
    /// Packets.
    Packets,
    /// TCP segments.
    Segments,
    /// Seconds.
    Seconds,
    /// Milliseconds.
    Milliseconds,
    /// Microseconds.
    Microseconds,
    /// Nanoseconds.
    Nanoseconds,
    /// Bytes per second.
    BytesPerSecond,
    /// Packets per second.
    PacketsPerSecond,
    /// A fraction of one.
    Ratio,
}

/// One field of a stats type: its output key, kind and unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Field<'k> {
    /// The JSON key (iproute2's name where iproute2 prints the value).
    pub key: &'k str,
    /// Label, counter or gauge.
    pub kind: Kind,
    /// The unit.
    pub unit: Unit,
    /// Worked out once, when the field is made (at compile time for the constant fields).
    plain: bool,
}

/// True when `key` is made only of ASCII letters, digits, `_`, `-` and `.`.
const fn plain_key(key: &str) -> bool {
    let bytes = key.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if !(c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.') {
            return false;
        }
        i += 1;
    }
    true
}

impl<'k> Field<'k> {
    /// A field of any kind.
    pub const fn new(key: &'k str, kind: Kind, unit: Unit) -> Field<'k> {
        Field {
            key,
            kind,
            unit,
            plain: plain_key(key),
        }
    }

    /// A label.
    pub const fn label(key: &'k str) -> Field<'k> {
        Field::new(key, Kind::Label, Unit::None)
    }

    /// A counter in `unit`.
    pub const fn counter(key: &'k str, unit: Unit) -> Field<'k> {
        Field::new(key, Kind::Counter, unit)
    }

    /// A gauge in `unit`.
    pub const fn gauge(key: &'k str, unit: Unit) -> Field<'k> {
        Field::new(key, Kind::Gauge, unit)
    }

    /// The same kind and unit under another key (one known only at run time, such as a sysfs
    /// file name).
    pub const fn with_key<'o>(self, key: &'o str) -> Field<'o> {
        Field::new(key, self.kind, self.unit)
    }

    /// True when the key is made only of ASCII letters, digits, `_`, `-` and `.`, so outputs
    /// can use it as it is (no JSON escaping, a valid column or metric name part). Every key
    /// the model declares is; keys read at run time (sysfs file names) may not be.
    pub const fn is_plain(&self) -> bool {
        self.plain
    }
}

/// The field of a list element: lists are visited element by element under this field, and
/// outputs write no key for it.
pub const ELEMENT: Field<'static> = Field::label("");

/// Receives the fields of a described value, in output order.
///
/// Objects and lists nest: [`Visitor::begin_object`] / [`Visitor::begin_list`] open them under a
/// field, [`Visitor::end`] closes the innermost one. Inside a list, elements come with
/// [`ELEMENT`].
pub trait Visitor {
    /// An unsigned number.
    fn u64(&mut self, field: &Field<'_>, value: u64);
    /// A signed number.
    fn i64(&mut self, field: &Field<'_>, value: i64);
    /// A floating-point number (descriptions round it as the reference tool prints it).
    fn f64(&mut self, field: &Field<'_>, value: f64);
    /// A boolean.
    fn bool(&mut self, field: &Field<'_>, value: bool);
    /// A string.
    fn str(&mut self, field: &Field<'_>, value: &str);
    /// A value written as text (addresses, names built from numbers), without an intermediate
    /// `String`.
    fn display(&mut self, field: &Field<'_>, value: &dyn Display);
    /// A key with no value (`null`), as tc prints some flags.
    fn null(&mut self, field: &Field<'_>);
    /// Open a nested object.
    fn begin_object(&mut self, field: &Field<'_>);
    /// Open a list.
    fn begin_list(&mut self, field: &Field<'_>);
    /// Close the innermost object or list.
    fn end(&mut self);

    /// Fields that belong to `owner`, an allocation shared between samples for as long as it
    /// does not change (link metadata, qdisc options). `part` tells several such groups of one
    /// owner apart. An output may keep what it made of them and reuse it while the same owner
    /// comes back; the default visits them every time.
    ///
    /// The contract that makes reuse correct: for one `(owner, part)`, `describe` visits the
    /// same fields every time, and the group is always visited in the same context (members of
    /// an object, never elements of a list).
    fn shared<T: Send + Sync + 'static>(
        &mut self,
        owner: &Arc<T>,
        part: u8,
        describe: impl FnOnce(&mut Self),
    ) where
        Self: Sized,
    {
        let _ = (owner, part);
        describe(self);
    }
}

/// A type that describes its fields to a [`Visitor`].
pub trait Describe {
    /// Visit every field, in output order, skipping those that are absent.
    fn describe<V: Visitor>(&self, v: &mut V);
}

impl<T: Describe> Describe for [T] {
    /// A list of elements.
    fn describe<V: Visitor>(&self, v: &mut V) {
        for item in self {
            v.begin_object(&ELEMENT);
            item.describe(v);
            v.end();
        }
    }
}
