//! The `queue_limits` statistics of one sample: byte queue limits (BQL) of every transmit queue,
//! from `/sys/class/net/<if>/queues/tx-<n>/byte_queue_limits/`.

use std::sync::Arc;

use super::describe::{Describe, Field, Unit, Visitor};
use super::ip::names::Hex;

/// The files of a `byte_queue_limits` directory, in the order they are reported, with their
/// kind and unit; the `stall_*` files exist since Linux 6.9. Files a newer kernel adds are
/// reported after these, by name, as gauges.
pub const BQL_FILES: [Field<'static>; 8] = [
    Field::gauge("limit", Unit::Bytes),
    Field::gauge("limit_max", Unit::Bytes),
    Field::gauge("limit_min", Unit::Bytes),
    Field::gauge("inflight", Unit::Bytes),
    Field::gauge("hold_time", Unit::Milliseconds),
    Field::gauge("stall_thrs", Unit::Milliseconds),
    Field::counter("stall_cnt", Unit::None),
    Field::gauge("stall_max", Unit::Milliseconds),
];

/// The description of the BQL file `name`.
pub fn bql_field(name: &str) -> Field<'_> {
    BQL_FILES
        .iter()
        .find(|f| f.key == name)
        .map_or(Field::gauge(name, Unit::None), |f| f.with_key(name))
}

/// One transmit queue of one sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueLimits {
    /// Interface name; invalid UTF-8 replaced by U+FFFD.
    pub ifname: Arc<str>,
    /// The name's exact bytes, only when they are not valid UTF-8 (JSON `ifname_bytes`, hex).
    pub ifname_bytes: Option<Arc<[u8]>>,
    /// Queue directory name, `tx-<n>`.
    pub queue: Arc<str>,
    /// `(file name, value)` for every file that was read.
    pub values: Vec<(Arc<str>, u64)>,
}

const IFNAME: Field = Field::label("ifname");
const IFNAME_BYTES: Field = Field::label("ifname_bytes");
const QUEUE: Field = Field::label("queue");

impl Describe for QueueLimits {
    fn describe<V: Visitor>(&self, v: &mut V) {
        v.str(&IFNAME, &self.ifname);
        if let Some(bytes) = &self.ifname_bytes {
            v.display(&IFNAME_BYTES, &Hex(bytes));
        }
        v.str(&QUEUE, &self.queue);
        for (name, value) in &self.values {
            v.u64(&bql_field(name), *value);
        }
    }
}
