//! Reading records through their field descriptions: the console finds the values it shows by
//! their place in the description (`stats64.rx.bytes`), learns from the description whether a
//! value is a counter (shown as a rate) or a gauge, and lists every field of the simpler types
//! without knowing them.

use std::fmt::{Display, Write as _};

use crate::model::{Describe, Field, Kind, Visitor};

/// Numbers of one element at given key paths (`&["stats64", "rx", "bytes"]`), with their kind.
/// Its buffers are reused from element to element.
pub struct Pick<const N: usize> {
    paths: [&'static [&'static str]; N],
    /// Keys of the objects and lists the visit is in.
    stack: Vec<String>,
    found: [Option<(Kind, u64)>; N],
}

impl<const N: usize> Pick<N> {
    /// A picker of the values at `paths`.
    pub fn new(paths: [&'static [&'static str]; N]) -> Pick<N> {
        Pick {
            paths,
            stack: Vec::new(),
            found: [None; N],
        }
    }

    /// The values of `element` at the paths, in path order; `None` where it has none.
    pub fn values<D: Describe>(&mut self, element: &D) -> [Option<(Kind, u64)>; N] {
        self.stack.clear();
        self.found = [None; N];
        element.describe(self);
        self.found
    }

    fn at(&self, key: &str) -> Option<usize> {
        self.paths.iter().position(|path| {
            path.len() == self.stack.len() + 1
                && path.last() == Some(&key)
                && path.iter().zip(&self.stack).all(|(p, s)| p == s)
        })
    }

    fn number(&mut self, field: &Field<'_>, value: u64) {
        if let Some(i) = self.at(field.key) {
            self.found[i] = Some((field.kind, value));
        }
    }

    fn open(&mut self, field: &Field<'_>) {
        self.stack.push(field.key.to_owned());
    }
}

impl<const N: usize> Visitor for Pick<N> {
    fn u64(&mut self, field: &Field<'_>, value: u64) {
        self.number(field, value);
    }
    fn i64(&mut self, field: &Field<'_>, value: i64) {
        if let Ok(v) = u64::try_from(value) {
            self.number(field, v);
        }
    }
    fn f64(&mut self, _: &Field<'_>, _: f64) {}
    fn bool(&mut self, _: &Field<'_>, _: bool) {}
    fn str(&mut self, _: &Field<'_>, _: &str) {}
    fn display(&mut self, _: &Field<'_>, _: &dyn Display) {}
    fn null(&mut self, _: &Field<'_>) {}
    fn begin_object(&mut self, field: &Field<'_>) {
        self.open(field);
    }
    fn begin_list(&mut self, field: &Field<'_>) {
        self.open(field);
    }
    fn end(&mut self) {
        self.stack.pop();
    }
}

/// Every top-level scalar field of an element as `(key, kind, text)`, in description order;
/// nested objects and lists are left out.
#[derive(Default)]
pub struct Flat {
    depth: usize,
    /// The fields of the last element read.
    pub fields: Vec<(String, Kind, String)>,
}

impl Flat {
    /// Read `element`'s fields.
    pub fn read<D: Describe>(&mut self, element: &D) -> &[(String, Kind, String)] {
        self.depth = 0;
        self.fields.clear();
        element.describe(self);
        &self.fields
    }

    fn push(&mut self, field: &Field<'_>, value: &dyn Display) {
        if self.depth == 0 {
            let mut text = String::new();
            let _ = write!(text, "{value}");
            self.fields.push((field.key.to_owned(), field.kind, text));
        }
    }
}

impl Visitor for Flat {
    fn u64(&mut self, field: &Field<'_>, value: u64) {
        self.push(field, &value);
    }
    fn i64(&mut self, field: &Field<'_>, value: i64) {
        self.push(field, &value);
    }
    fn f64(&mut self, field: &Field<'_>, value: f64) {
        self.push(field, &value);
    }
    fn bool(&mut self, field: &Field<'_>, value: bool) {
        self.push(field, &value);
    }
    fn str(&mut self, field: &Field<'_>, value: &str) {
        self.push(field, &value);
    }
    fn display(&mut self, field: &Field<'_>, value: &dyn Display) {
        self.push(field, value);
    }
    fn null(&mut self, field: &Field<'_>) {
        self.push(field, &"-");
    }
    fn begin_object(&mut self, _: &Field<'_>) {
        self.depth += 1;
    }
    fn begin_list(&mut self, _: &Field<'_>) {
        self.depth += 1;
    }
    fn end(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ip::{LinkMeta, LinkSample, LinkStats64};
    use crate::model::queue_limits::QueueLimits;
    use std::sync::Arc;

    #[test]
    fn picks_by_path_with_the_kind_the_description_gives() {
        let sample = LinkSample {
            link: Arc::new(LinkMeta {
                ifindex: 3,
                ifname: "x".into(),
                mtu: Some(1500),
                ..LinkMeta::default()
            }),
            stats64: Some(LinkStats64 {
                rx_bytes: 7,
                tx_dropped: 2,
                ..LinkStats64::default()
            }),
        };
        let mut pick = Pick::new([
            &["stats64", "rx", "bytes"],
            &["stats64", "tx", "dropped"],
            &["mtu"],
            &["bytes"],
        ]);
        let got = pick.values(&sample);
        assert_eq!(got[0], Some((Kind::Counter, 7)));
        assert_eq!(got[1], Some((Kind::Counter, 2)));
        assert_eq!(got[2], Some((Kind::Gauge, 1500)));
        assert_eq!(got[3], None, "a key is matched at its own depth only");
    }

    #[test]
    fn flat_lists_every_top_level_field() {
        let q = QueueLimits {
            ifname: "eth0".into(),
            queue: "tx-0".into(),
            values: vec![
                ("limit".into(), 5),
                ("stall_cnt".into(), 1),
                ("new".into(), 9),
            ],
        };
        let mut flat = Flat::default();
        let fields: Vec<(&str, Kind, &str)> = flat
            .read(&q)
            .iter()
            .map(|(k, kind, v)| (k.as_str(), *kind, v.as_str()))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("ifname", Kind::Label, "eth0"),
                ("queue", Kind::Label, "tx-0"),
                ("limit", Kind::Gauge, "5"),
                ("stall_cnt", Kind::Counter, "1"),
                ("new", Kind::Gauge, "9"),
            ]
        );
    }
}
