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
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

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
    /// A system call failed.
    #[error("network namespace {}: {call} failed (entering a namespace needs CAP_SYS_ADMIN)", path.display())]
    Call {
        /// The namespace file.
        path: PathBuf,
        /// The call.
        call: &'static str,
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

fn check(rc: libc::c_int, path: &Path, call: &'static str) -> Result<(), NetnsError> {
    if rc < 0 {
        return Err(NetnsError::Call {
            path: path.to_owned(),
            call,
            source: io::Error::last_os_error(),
        });
    }
    Ok(())
}

/// Move this (still single-threaded) process into the network namespace at `path` and give it
/// a sysfs of that namespace.
pub fn enter(path: &Path) -> Result<(), NetnsError> {
    let file = File::open(path).map_err(|source| NetnsError::Open {
        path: path.to_owned(),
        source,
    })?;
    // SAFETY: a valid fd; setns only changes this process's namespace.
    check(
        unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) },
        path,
        "setns",
    )?;
    // SAFETY: unshare with a flag constant; affects only this process.
    check(unsafe { libc::unshare(libc::CLONE_NEWNS) }, path, "unshare")?;
    let root = c"/";
    let sys = c"/sys";
    let sysfs = c"sysfs";
    let none = c"none";
    // Keep our mounts from propagating back to the host.
    // SAFETY: valid NUL-terminated strings; null data is allowed.
    check(
        unsafe {
            libc::mount(
                none.as_ptr(),
                root.as_ptr(),
                std::ptr::null(),
                libc::MS_REC | libc::MS_SLAVE,
                std::ptr::null(),
            )
        },
        path,
        "mount --make-rslave /",
    )?;
    // SAFETY: valid NUL-terminated path; a lazy unmount of our private copy of /sys.
    unsafe { libc::umount2(sys.as_ptr(), libc::MNT_DETACH) };
    // SAFETY: valid NUL-terminated strings; null data is allowed.
    check(
        unsafe {
            libc::mount(
                sysfs.as_ptr(),
                sys.as_ptr(),
                sysfs.as_ptr(),
                0,
                std::ptr::null(),
            )
        },
        path,
        "mount sysfs",
    )?;
    Ok(())
}
