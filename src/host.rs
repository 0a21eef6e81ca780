//! Facts about the host that a run's header records: host name, kernel release, the network
//! namespace sampled, and the settings that shape queues — read from procfs, so that they are
//! those of the namespace being sampled.

use std::hash::Hasher;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// Sysctls that shape queueing and congestion, recorded with every run (as flent records its
/// host's settings with its data).
pub const SETTINGS: [&str; 8] = [
    "net.core.default_qdisc",
    "net.ipv4.tcp_congestion_control",
    "net.ipv4.tcp_limit_output_bytes",
    "net.ipv4.tcp_notsent_lowat",
    "net.ipv4.tcp_ecn",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
    "net.core.netdev_max_backlog",
];

fn read_trimmed(path: &Path) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().replace('\t', " "))
}

/// The host name (`/proc/sys/kernel/hostname`), empty when unreadable.
pub fn host_name() -> String {
    read_trimmed(Path::new("/proc/sys/kernel/hostname")).unwrap_or_default()
}

/// The kernel release (`/proc/sys/kernel/osrelease`, what `uname -r` prints), empty when
/// unreadable.
pub fn kernel_release() -> String {
    read_trimmed(Path::new("/proc/sys/kernel/osrelease")).unwrap_or_default()
}

/// Inode of the calling thread's network namespace (0 when unknown): two runs in the same
/// namespace have the same one.
pub fn netns_inode() -> u64 {
    std::fs::metadata("/proc/thread-self/ns/net").map_or(0, |m| m.ino())
}

/// [`SETTINGS`] as this namespace has them; those it lacks are left out.
pub fn settings() -> Vec<(String, String)> {
    SETTINGS
        .iter()
        .filter_map(|name| {
            let path = Path::new("/proc/sys").join(name.replace('.', "/"));
            read_trimmed(&path).map(|value| ((*name).to_owned(), value))
        })
        .collect()
}

/// A new run identifier: 16 hexadecimal digits from the kernel's random source, or, if that is
/// unreadable, from the clock and process id.
pub fn new_run_id() -> String {
    let mut bytes = [0u8; 8];
    let random = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes))
        .is_ok();
    let value = if random {
        u64::from_ne_bytes(bytes)
    } else {
        let mut h = rustc_hash::FxHasher::default();
        h.write_u64(crate::clock::wall().as_nanos() as u64);
        h.write_u32(std::process::id());
        h.finish()
    };
    format!("{value:016x}")
}

/// The identifier of a replay of a capture: the same for every replay of the same recording
/// (derived from its first request's time and its number of exchanges), so replays are
/// reproducible byte for byte.
pub fn replay_run_id(first_request: std::time::Duration, exchanges: usize) -> String {
    let mut h = rustc_hash::FxHasher::default();
    h.write_u128(first_request.as_nanos());
    h.write_usize(exchanges);
    format!("{:016x}", h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_ids_are_hex_and_new_ones_differ() {
        let a = new_run_id();
        let b = new_run_id();
        assert_eq!(a.len(), 16);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        let d = std::time::Duration::from_nanos(1_795_000_000_123_456_789);
        assert_eq!(replay_run_id(d, 7), replay_run_id(d, 7));
        assert_ne!(replay_run_id(d, 7), replay_run_id(d, 8));
    }
}
