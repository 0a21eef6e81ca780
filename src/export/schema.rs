//! Records as rows of flat columns: nested objects flattened to dotted names, and the column
//! type each name gets from every value seen under it.
//!
//! The rules, also in the README:
//! - an object is walked, its keys joined to the parent's with `.` (`stats64.rx.bytes`); an
//!   empty object gives no column;
//! - non-negative integers are `UInt64`; with a negative integer among them `Int64`, or `Float64`
//!   when a value is also above `i64::MAX`; integers and floats together are `Float64`;
//! - strings are `Utf8`; a string or a boolean mixed with another type makes the column `Utf8`,
//!   the other values written as their JSON text (`5`, `true`);
//! - a list of scalars is a list column whose element type follows the same rules (an element
//!   type never seen, as in lists that were always empty, is `Utf8`); a list holding objects or
//!   lists is a `Utf8` column of the list's JSON text; lists mixed with scalars under one name
//!   make a `Utf8` column of JSON text;
//! - a name that only ever held `null` is a column of type `Null`.

use arrow_schema::DataType;
use serde_json::{Map, Value};

/// Calls `leaf(path, value)` for every leaf of `object`: nested objects are walked with their
/// keys joined to `prefix` by `.`; scalars, `null` and lists are leaves.
pub fn flatten<'v>(
    object: &'v Map<String, Value>,
    prefix: &mut String,
    leaf: &mut impl FnMut(&str, &'v Value),
) {
    for (key, value) in object {
        let len = prefix.len();
        if len > 0 {
            prefix.push('.');
        }
        prefix.push_str(key);
        match value {
            Value::Object(inner) => flatten(inner, prefix, leaf),
            _ => leaf(prefix, value),
        }
        prefix.truncate(len);
    }
}

/// The type of a scalar column, or of a list column's elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    /// Only `null` was seen.
    Null,
    /// `true` / `false`.
    Boolean,
    /// Non-negative integers.
    UInt64,
    /// Integers, some negative, all within `i64`.
    Int64,
    /// Floats, or integers mixed with floats or beyond both `i64` and `u64`'s common range.
    Float64,
    /// Strings, or values of mixed types as their JSON text.
    Utf8,
}

impl Scalar {
    /// The Arrow type.
    pub fn data_type(self) -> DataType {
        match self {
            Scalar::Null => DataType::Null,
            Scalar::Boolean => DataType::Boolean,
            Scalar::UInt64 => DataType::UInt64,
            Scalar::Int64 => DataType::Int64,
            Scalar::Float64 => DataType::Float64,
            Scalar::Utf8 => DataType::Utf8,
        }
    }
}

/// The type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// One value per row.
    Scalar(Scalar),
    /// A list of values per row.
    List(Scalar),
    /// Lists holding objects or lists: the list's JSON text.
    Json,
}

/// What kinds of values a column has held, to choose its type once every value was seen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seen {
    null: bool,
    boolean: bool,
    unsigned: bool,
    /// An unsigned integer above `i64::MAX`.
    big: bool,
    negative: bool,
    float: bool,
    string: bool,
    list: bool,
    /// A list held an object or a list.
    nested: bool,
    /// What lists' scalar elements were.
    elements: Option<Box<Seen>>,
}

impl Seen {
    /// Take one more value into account.
    pub fn add(&mut self, value: &Value) {
        match value {
            Value::Null => self.null = true,
            Value::Bool(_) => self.boolean = true,
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    self.unsigned = true;
                    self.big |= u > i64::MAX as u64;
                } else if n.is_i64() {
                    self.negative = true;
                } else {
                    self.float = true;
                }
            }
            Value::String(_) => self.string = true,
            Value::Array(items) => {
                self.list = true;
                let elements = self.elements.get_or_insert_default();
                for item in items {
                    match item {
                        Value::Array(_) | Value::Object(_) => self.nested = true,
                        _ => elements.add(item),
                    }
                }
            }
            // Flattening never yields an object as a leaf.
            Value::Object(_) => self.nested = true,
        }
    }

    fn any_scalar(&self) -> bool {
        self.boolean || self.unsigned || self.negative || self.float || self.string
    }

    fn scalar(&self) -> Scalar {
        let numeric = self.unsigned || self.negative || self.float;
        if self.string || (self.boolean && numeric) {
            Scalar::Utf8
        } else if self.boolean {
            Scalar::Boolean
        } else if self.float || (self.negative && self.big) {
            Scalar::Float64
        } else if self.negative {
            Scalar::Int64
        } else if self.unsigned {
            Scalar::UInt64
        } else {
            Scalar::Null
        }
    }

    /// The column type for everything seen.
    pub fn column_type(&self) -> ColumnType {
        if !self.list {
            return ColumnType::Scalar(self.scalar());
        }
        if self.any_scalar() {
            return ColumnType::Scalar(Scalar::Utf8);
        }
        if self.nested {
            return ColumnType::Json;
        }
        match self.elements.as_deref().map_or(Scalar::Null, Seen::scalar) {
            Scalar::Null => ColumnType::List(Scalar::Utf8),
            element => ColumnType::List(element),
        }
    }
}

impl ColumnType {
    /// The Arrow type (list elements are nullable and named `item`, as pyarrow names them).
    pub fn data_type(self) -> DataType {
        match self {
            ColumnType::Scalar(s) => s.data_type(),
            ColumnType::List(s) => DataType::new_list(s.data_type(), true),
            ColumnType::Json => DataType::Utf8,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn type_of(values: &[Value]) -> ColumnType {
        let mut seen = Seen::default();
        for v in values {
            seen.add(v);
        }
        seen.column_type()
    }

    #[test]
    fn flattens_nested_objects_to_dotted_names_in_order() {
        let v = json!({"ifname": "lo", "stats64": {"rx": {"bytes": 1, "packets": 2}, "tx": {}},
                       "flags": ["UP"], "tins": [{"a": 1}], "z": null});
        let mut leaves = Vec::new();
        flatten(
            v.as_object().expect("object"),
            &mut String::new(),
            &mut |k, v| {
                leaves.push((k.to_owned(), v.clone()));
            },
        );
        let names: Vec<&str> = leaves.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "ifname",
                "stats64.rx.bytes",
                "stats64.rx.packets",
                "flags",
                "tins",
                "z"
            ]
        );
        assert_eq!(leaves[1].1, json!(1));
        assert_eq!(leaves[3].1, json!(["UP"]));
    }

    #[test]
    fn integers_stay_unsigned_and_widen_only_when_they_must() {
        use ColumnType::Scalar as S;
        assert_eq!(type_of(&[json!(1), json!(u64::MAX)]), S(Scalar::UInt64));
        assert_eq!(type_of(&[json!(1), json!(null)]), S(Scalar::UInt64));
        assert_eq!(type_of(&[json!(1), json!(-1)]), S(Scalar::Int64));
        assert_eq!(type_of(&[json!(-1), json!(u64::MAX)]), S(Scalar::Float64));
        assert_eq!(type_of(&[json!(1), json!(0.5)]), S(Scalar::Float64));
        assert_eq!(type_of(&[json!(0.5)]), S(Scalar::Float64));
        assert_eq!(type_of(&[json!(true), json!(null)]), S(Scalar::Boolean));
        assert_eq!(type_of(&[json!(true), json!(1)]), S(Scalar::Utf8));
        assert_eq!(type_of(&[json!("a"), json!(1)]), S(Scalar::Utf8));
        assert_eq!(type_of(&[json!(null)]), S(Scalar::Null));
        assert_eq!(type_of(&[]), S(Scalar::Null));
    }

    #[test]
    fn lists_keep_their_element_type_or_become_json() {
        assert_eq!(
            type_of(&[json!(["UP", "LOWER_UP"]), json!([])]),
            ColumnType::List(Scalar::Utf8)
        );
        assert_eq!(
            type_of(&[json!([1, 2]), json!([3])]),
            ColumnType::List(Scalar::UInt64)
        );
        assert_eq!(
            type_of(&[json!([1, -2.5])]),
            ColumnType::List(Scalar::Float64)
        );
        assert_eq!(type_of(&[json!([])]), ColumnType::List(Scalar::Utf8));
        assert_eq!(type_of(&[json!([{"a": 1}]), json!([])]), ColumnType::Json);
        assert_eq!(type_of(&[json!([[1]])]), ColumnType::Json);
        assert_eq!(
            type_of(&[json!([1]), json!(1)]),
            ColumnType::Scalar(Scalar::Utf8)
        );
    }
}
