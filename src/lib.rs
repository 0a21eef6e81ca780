//! netstatspy: sample Linux network statistics at high frequency, straight from netlink.
//!
//! The pipeline is `Config → Sampler → Reader::collect() → Record → Logger::log()`:
//! - [`readers`] own their kernel handles and decode netlink replies into typed, serialisable
//!   statistics (the same numbers `ip`, `tc` and `ss` print);
//! - [`loggers`] turn records into a console table or JSON Lines;
//! - [`sampler`] runs the readers on an absolute schedule and feeds the loggers;
//! - [`netlink`] is the socket and dump loop every netlink reader shares.
//!
//! ```no_run
//! use netstatspy::readers::{Reader, ip::IpReader};
//!
//! let mut reader = IpReader::open(None)?;
//! let collected = reader.collect()?;
//! println!("{}", serde_json::to_string(&collected.stats)?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod capture;
pub mod cli;
pub mod clock;
pub mod loggers;
pub mod netlink;
pub mod netns;
pub mod readers;
pub mod record;
pub mod sampler;
pub mod source;
pub mod uapi;

/// An error and its causes on one line, `outer: inner: innermost`.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}
