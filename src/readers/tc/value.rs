//! Ordered key/value lists for the parts of a qdisc whose shape depends on its kind (options
//! and xstats), serialised in the order tc prints them.

use std::borrow::Cow;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// A value as `tc -j` prints it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An unsigned number.
    U(u64),
    /// A signed number.
    I(i64),
    /// A floating-point number, already rounded as C's `%g` rounds (6 significant digits).
    F(f64),
    /// `true` / `false`.
    Bool(bool),
    /// A string.
    Str(Cow<'static, str>),
    /// `null` (tc prints some flags as a key with a null value).
    Null,
    /// An array.
    List(Vec<Value>),
    /// A nested object.
    Obj(Fields),
}

/// Keys and values in print order. A key may repeat: tc prints a few twice (fq's `throttled`),
/// and so do we.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields(pub Vec<(&'static str, Value)>);

impl Fields {
    /// No fields.
    pub fn new() -> Fields {
        Fields(Vec::new())
    }

    /// Append an unsigned number.
    pub fn u(&mut self, key: &'static str, v: impl Into<u64>) {
        self.0.push((key, Value::U(v.into())));
    }

    /// Append a signed number.
    pub fn i(&mut self, key: &'static str, v: impl Into<i64>) {
        self.0.push((key, Value::I(v.into())));
    }

    /// Append a float, rounded like `%g`.
    pub fn f(&mut self, key: &'static str, v: f64) {
        self.0.push((key, Value::F(round_g(v))));
    }

    /// Append a bool.
    pub fn b(&mut self, key: &'static str, v: bool) {
        self.0.push((key, Value::Bool(v)));
    }

    /// Append a string.
    pub fn s(&mut self, key: &'static str, v: impl Into<Cow<'static, str>>) {
        self.0.push((key, Value::Str(v.into())));
    }

    /// Append a null.
    pub fn null(&mut self, key: &'static str) {
        self.0.push((key, Value::Null));
    }

    /// Append any value.
    pub fn push(&mut self, key: &'static str, v: Value) {
        self.0.push((key, v));
    }

    /// The last value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().rev().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// True when there are no fields.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Round to 6 significant digits, as C's `printf("%g")` does, so the number a JSON reader
/// gets from us equals the one it gets from tc.
pub fn round_g(v: f64) -> f64 {
    if !v.is_finite() || v == 0.0 {
        return v;
    }
    format!("{v:.5e}").parse().unwrap_or(v)
}

/// `%#llx` as C prints it: `0` for zero, `0x…` otherwise.
pub fn hex_0x(v: u64) -> String {
    if v == 0 {
        "0".to_owned()
    } else {
        format!("{v:#x}")
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::U(v) => s.serialize_u64(*v),
            Value::I(v) => s.serialize_i64(*v),
            // JSON has no infinity or NaN; tc would print `inf`/`nan`, which no parser accepts.
            Value::F(v) if !v.is_finite() => s.serialize_unit(),
            // `%g` prints integral values below 1e6 without a fraction or exponent, so a JSON
            // reader sees an integer there; keep the same type.
            Value::F(v) if v.fract() == 0.0 && v.abs() < 1e6 => s.serialize_i64(*v as i64),
            Value::F(v) => s.serialize_f64(*v),
            Value::Bool(v) => s.serialize_bool(*v),
            Value::Str(v) => s.serialize_str(v),
            Value::Null => s.serialize_unit(),
            Value::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Obj(fields) => fields.serialize(s),
        }
    }
}

impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_rounding_matches_c() {
        // Values checked against C's printf("%g").
        assert_eq!(round_g(1.0 / 65535.0), 1.5259e-05);
        assert_eq!(round_g(32.0 / 65535.0), 0.000488289);
        assert_eq!(round_g(123_456_789.0), 1.23457e+08);
        assert_eq!(round_g(0.1), 0.1);
        assert_eq!(round_g(1e6), 1e6);
        assert_eq!(round_g(0.0), 0.0);
    }

    #[test]
    fn floats_serialise_as_percent_g_reads() {
        let mut f = Fields::new();
        f.f("a", 0.0);
        f.f("b", 1.0);
        f.f("c", 0.25);
        f.f("d", 1e6);
        assert_eq!(
            serde_json::to_string(&f).expect("json"),
            r#"{"a":0,"b":1,"c":0.25,"d":1000000.0}"#
        );
    }

    #[test]
    fn hex_like_c() {
        assert_eq!(hex_0x(0), "0");
        assert_eq!(hex_0x(16), "0x10");
        assert_eq!(hex_0x(255), "0xff");
    }

    #[test]
    fn keys_keep_order_and_repeats() {
        let mut f = Fields::new();
        f.u("flows", 3u32);
        f.u("throttled", 1u32);
        f.u("throttled", 9u64);
        assert_eq!(
            serde_json::to_string(&f).expect("json"),
            r#"{"flows":3,"throttled":1,"throttled":9}"#
        );
        assert_eq!(f.get("throttled"), Some(&Value::U(9)));
    }
}
