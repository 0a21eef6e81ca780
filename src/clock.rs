//! Clocks: the monotonic clock the schedule runs on, wall-clock timestamps, and absolute sleeps.
//!
//! The schedule is kept in integer nanoseconds of `CLOCK_MONOTONIC` and slept with
//! `clock_nanosleep(TIMER_ABSTIME)`, so deadlines never drift with the time spent sampling.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::sys;

/// Nanoseconds of `CLOCK_MONOTONIC`.
pub fn monotonic_ns() -> u64 {
    sys::monotonic_ns()
}

/// Time since the Unix epoch (wall clock).
pub fn wall() -> Duration {
    // A clock set before 1970 reads as the epoch rather than failing the sample.
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// Outcome of [`sleep_until`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// The deadline was reached.
    Deadline,
    /// A signal handler ran before the deadline.
    Interrupted,
}

/// Sleep until `deadline_ns` of `CLOCK_MONOTONIC`; returns early when a signal arrives (a
/// handler makes `clock_nanosleep` return `EINTR` whatever `SA_RESTART` says).
pub fn sleep_until(deadline_ns: u64) -> Wake {
    // EINVAL cannot happen for a normalised timespec; treat anything but EINTR as woken.
    if sys::sleep_until_monotonic(deadline_ns) == libc::EINTR {
        Wake::Interrupted
    } else {
        Wake::Deadline
    }
}

/// Broken-down local time of a wall-clock instant: `(year, month, day, hour, minute, second)`.
pub fn local_time(t: Duration) -> (i32, u32, u32, u32, u32, u32) {
    sys::local_time(t.as_secs() as i64).unwrap_or((1970, 1, 1, 0, 0, 0))
}

/// `YYYY-MM-DD HH:MM:SS.uuuuuu` in local time.
pub fn format_local(t: Duration) -> String {
    let (y, mo, d, h, mi, s) = local_time(t);
    format!(
        "{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}.{:06}",
        t.subsec_micros()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sleep_until_past_deadline_returns_at_once() {
        let now = monotonic_ns();
        assert_eq!(sleep_until(now.saturating_sub(1_000_000)), Wake::Deadline);
        assert!(monotonic_ns() >= now);
    }

    #[test]
    fn local_time_matches_tm_fields() {
        // 2021-01-01 00:00:00 UTC; compare with what the C library says for the same instant.
        let t = Duration::from_secs(1_609_459_200);
        let text = format_local(t + Duration::from_micros(42));
        assert!(text.ends_with(".000042"), "{text}");
        assert_eq!(text.len(), "2021-01-01 00:00:00.000042".len());
    }
}
