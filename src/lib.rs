//! netstatspy: sample Linux network statistics at high frequency, straight from netlink.
//!
//! The pipeline is `Config → Sampler → Reader::collect() → model → Pipeline → Output`:
//! - [`model`] holds the plain types of one sample per reader and the record envelope, each
//!   describing its fields once (key, label/counter/gauge, unit); every output is generated
//!   from those descriptions;
//! - [`readers`] own their kernel handles and decode netlink replies and sysfs/procfs files
//!   into the model (the same numbers `ip`, `tc` and `ss` print);
//! - [`netlink`] is the socket, the dump loop and the decoding every netlink reader shares;
//! - [`output`] turns records into a console table or JSON Lines on a thread of its own,
//!   behind a bounded queue;
//! - [`sampler`] runs the readers on an absolute schedule and reports what happens as events;
//! - [`capture`] and [`source`] record and replay the netlink traffic;
//! - [`export`] turns JSON Lines into Parquet files, offline (`netstatspy export`).
//! - [`report`] turns JSON Lines into one self-contained HTML file with plots, offline
//!   (`netstatspy report`).
//!
//! ```no_run
//! use netstatspy::model::Stats;
//! use netstatspy::output::json::encoder::JsonEncoder;
//! use netstatspy::readers::{Reader, ip::IpReader};
//!
//! let mut reader = IpReader::open(&[])?;
//! let collected = reader.collect()?;
//! if let Stats::Ip(links) = &collected.stats {
//!     for link in links {
//!         let mut json = Vec::new();
//!         JsonEncoder::new().object(link, &mut json);
//!         println!("{}", String::from_utf8_lossy(&json));
//!     }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod bpf;
pub mod capture;
pub mod cli;
pub mod clock;
pub mod export;
pub mod histogram;
pub mod host;
pub mod model;
pub mod netlink;
pub mod netns;
pub mod output;
pub mod readers;
pub mod report;
pub mod sampler;
pub mod source;
mod sys;
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

/// `n` and the noun, plural unless `n` is 1: `count(1, "sample")` is `1 sample`,
/// `count(3, "sample")` is `3 samples`. Every noun a message counts takes an `s`.
pub fn count(n: u64, noun: &str) -> String {
    count_as(n, noun, &format!("{noun}s"))
}

/// `n` and `one` when `n` is 1, `many` otherwise: `count_as(2, "summary", "summaries")`.
pub fn count_as(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_singular_only_for_one() {
        assert_eq!(super::count(0, "sample"), "0 samples");
        assert_eq!(super::count(1, "sample"), "1 sample");
        assert_eq!(super::count(2, "read error"), "2 read errors");
        assert_eq!(
            super::count_as(1, "run summary", "run summaries"),
            "1 run summary"
        );
        assert_eq!(
            super::count_as(2, "run summary", "run summaries"),
            "2 run summaries"
        );
    }
}
