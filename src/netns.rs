//! Entering another network namespace for the whole run (`--netns NAME|PATH`).
//!
//! Netlink sockets belong to the namespace of the process that opens them, and
//! `/proc/sys/net` shows the namespace of the process that reads it, so `setns(CLONE_NEWNET)`
//! before any reader opens anything covers ip, tc, ss and small_queue. sysfs is different: it
//! shows the devices of the namespace it was *mounted* in. As `ip netns exec` does, the process
//! moves to a private mount namespace and mounts a fresh sysfs over `/sys`, so queue_limits reads
//! the target namespace's devices. The host's mounts are not touched.

use std::fs::File;
use std::io;
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};

use crate::sys;

/// Where named namespaces live (`ip netns add`).
pub const NETNS_RUN_DIR: &str = "/var/run/netns";

/// An error entering a namespace.
#[derive(Debug, thiserror::Error)]
pub enum NetnsError {
    /// The namespace file could not be opened.
    #[error("network namespace {}: cannot open", path.display())]
    Open {
        /// The namespace file.
        path: PathBuf,
        /// What failed.
        #[source]
        source: io::Error,
    },
    /// The file is not a network namespace (`setns` answers `EINVAL`).
    #[error(
        "{} is not a network namespace (give a name from `ip netns list` or a path such as \
         /proc/PID/ns/net)",
        path.display()
    )]
    NotNetns {
        /// The file.
        path: PathBuf,
    },
    /// A system call failed.
    #[error("network namespace {}: {call} failed{hint}", path.display())]
    Call {
        /// The namespace file.
        path: PathBuf,
        /// The call.
        call: &'static str,
        /// What the failure most likely means: the privilege missing when it is `EPERM`.
        hint: &'static str,
        /// What failed.
        #[source]
        source: io::Error,
    },
}

/// The namespace file for `--netns`: a name under [`NETNS_RUN_DIR`], or a path (anything with a
/// `/`, such as `/proc/PID/ns/net`).
pub fn resolve(spec: &str) -> PathBuf {
    if spec.contains('/') {
        PathBuf::from(spec)
    } else {
        Path::new(NETNS_RUN_DIR).join(spec)
    }
}

/// Move this (still single-threaded) process into the network namespace at `path` and give it
/// a sysfs of that namespace.
pub fn enter(path: &Path) -> Result<(), NetnsError> {
    let file = File::open(path).map_err(|source| NetnsError::Open {
        path: path.to_owned(),
        source,
    })?;
    let call = |what: &'static str| {
        move |source: io::Error| NetnsError::Call {
            path: path.to_owned(),
            call: what,
            hint: match source.raw_os_error() {
                Some(libc::EPERM) => " (entering a namespace needs CAP_SYS_ADMIN)",
                _ => "",
            },
            source,
        }
    };
    sys::enter_network_namespace(file.as_fd()).map_err(|e| {
        if e.raw_os_error() == Some(libc::EINVAL) {
            NetnsError::NotNetns {
                path: path.to_owned(),
            }
        } else {
            call("setns")(e)
        }
    })?;
    sys::unshare_mounts().map_err(call("unshare"))?;
    sys::make_mounts_slave().map_err(call("mount --make-rslave /"))?;
    sys::remount_sysfs().map_err(call("mount sysfs"))?;
    Ok(())
}
