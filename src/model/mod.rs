//! The model: plain types of one sample per reader and the record envelope, each describing its
//! fields once ([`describe`]). Readers produce these types, outputs consume them; the model
//! depends on nothing else in the crate.

pub mod describe;
pub mod ip;
pub mod queue_limits;
pub mod record;
pub mod run;
pub mod small_queue;
pub mod ss;
pub mod ss_closed;
pub mod tc;

pub use describe::{Describe, Field, Kind, Unit, Visitor};
pub use record::{Record, Stats};
