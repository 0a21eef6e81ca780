//! Reading records through their field descriptions: the console finds the values it shows by
//! their place in the description (`stats64.rx.bytes`), learns from the description whether a
//! value is a counter (shown as a rate) or a gauge, and lists every field of the simpler types
//! without knowing them.

use std::fmt::{Display, Write as _};

use crate::model::{Describe, Field, Kind, Visitor};

/// Numbers of one element at given key paths (`&["stats64", "rx", "bytes"]`), with their kind.
/// The first field at a path wins (a per-kind value of the same name later in the description
/// cannot replace it). Nothing is allocated per element: the visit keeps, for each depth, the
/// set of paths that still match as a bit mask.
pub struct Pick<const N: usize> {
    paths: [&'static [&'static str]; N],
    /// Bit `i`: path `i` matches every key of the objects the visit is in; one entry per depth.
    masks: Vec<u64>,
    found: [Option<(Kind, u64)>; N],
}

impl<const N: usize> Pick<N> {
    /// A picker of the values at `paths` (at most 64).
    pub fn new(paths: [&'static [&'static str]; N]) -> Pick<N> {
        const { assert!(N <= 64, "a Pick holds at most 64 paths") };
        Pick {
            paths,
            masks: Vec::new(),
            found: [None; N],
        }
    }

    /// The values of `element` at the paths, in path order; `None` where it has none.
    pub fn values<D: Describe>(&mut self, element: &D) -> [Option<(Kind, u64)>; N] {
        self.masks.clear();
        self.masks.push(u64::MAX >> (64 - N.max(1)));
        self.found = [None; N];
        element.describe(self);
        self.found
    }

    /// Paths of the current mask whose key at the current depth is `key`.
    fn matching(&self, key: &str, leaf: bool) -> u64 {
        let depth = self.masks.len() - 1;
        let mask = self.masks.last().copied().unwrap_or(0);
        let mut out = 0;
        for (i, path) in self.paths.iter().enumerate() {
            if mask & (1 << i) != 0
                && path.get(depth) == Some(&key)
                && (path.len() == depth + 1) == leaf
            {
                out |= 1 << i;
            }
        }
        out
    }

    fn number(&mut self, field: &Field<'_>, value: u64) {
        let hits = self.matching(field.key, true);
        for (i, slot) in self.found.iter_mut().enumerate() {
            if hits & (1 << i) != 0 && slot.is_none() {
                *slot = Some((field.kind, value));
            }
        }
    }

    fn open(&mut self, field: &Field<'_>) {
        let inner = self.matching(field.key, false);
        self.masks.push(inner);
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
        // The element's own level stays.
        if self.masks.len() > 1 {
            self.masks.pop();
        }
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

    struct Twice;

    impl Describe for Twice {
        fn describe<V: Visitor>(&self, v: &mut V) {
            v.u64(&Field::counter("drops", crate::model::Unit::Packets), 1);
            v.begin_object(&Field::label("nested"));
            v.u64(&Field::counter("drops", crate::model::Unit::Packets), 2);
            v.end();
            v.u64(&Field::gauge("drops", crate::model::Unit::None), 3);
        }
    }

    #[test]
    fn the_first_field_at_a_path_wins() {
        let mut pick = Pick::new([&["drops"], &["nested", "drops"]]);
        assert_eq!(
            pick.values(&Twice),
            [Some((Kind::Counter, 1)), Some((Kind::Counter, 2))]
        );
    }

    #[test]
    fn flat_lists_every_top_level_field() {
        let q = QueueLimits {
            ifname: "eth0".into(),
            ifname_bytes: None,
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
