//! Every call into the C library that Rust's standard library does not wrap, in one place: the
//! only `unsafe` code of the crate. Each function is a safe wrapper with the reason it is sound
//! next to the call.

use std::io;
use std::os::fd::{AsRawFd, BorrowedFd};
use std::time::Duration;

use crate::uapi::bpf::bpf_prog_info;

/// Nanoseconds of `CLOCK_MONOTONIC`.
pub fn monotonic_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; CLOCK_MONOTONIC always exists on Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// `clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)` until `deadline_ns`; returns the error
/// number (0 when the deadline was reached, `EINTR` when a signal handler ran).
pub fn sleep_until_monotonic(deadline_ns: u64) -> i32 {
    let ts = libc::timespec {
        tv_sec: (deadline_ns / 1_000_000_000) as libc::time_t,
        tv_nsec: (deadline_ns % 1_000_000_000) as libc::c_long,
    };
    // SAFETY: `ts` is a valid timespec; the remainder pointer may be null with TIMER_ABSTIME.
    unsafe {
        libc::clock_nanosleep(
            libc::CLOCK_MONOTONIC,
            libc::TIMER_ABSTIME,
            &ts,
            std::ptr::null_mut(),
        )
    }
}

/// Broken-down local time of `secs` since the epoch: `(year, month, day, hour, minute,
/// second)`, or `None` when the C library cannot convert it.
pub fn local_time(secs: i64) -> Option<(i32, u32, u32, u32, u32, u32)> {
    let secs = secs as libc::time_t;
    // SAFETY: an all-zero `tm` is a valid value to be overwritten.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are valid for the call; localtime_r is the thread-safe variant.
    let ok = unsafe { !libc::localtime_r(&secs, &mut tm).is_null() };
    ok.then(|| {
        (
            tm.tm_year + 1900,
            (tm.tm_mon + 1) as u32,
            tm.tm_mday as u32,
            tm.tm_hour as u32,
            tm.tm_min as u32,
            tm.tm_sec as u32,
        )
    })
}

/// Timer slack of the calling thread (`PR_SET_TIMERSLACK`), in nanoseconds.
pub fn set_timer_slack(ns: u64) {
    // SAFETY: PR_SET_TIMERSLACK takes an integer and only affects this thread.
    unsafe { libc::prctl(libc::PR_SET_TIMERSLACK, ns as libc::c_ulong) };
}

/// Make the calling thread a `SCHED_FIFO` thread of `priority` (1-99). Threads it creates
/// later inherit the policy; threads created before keep theirs.
pub fn set_fifo_priority(priority: u8) -> io::Result<()> {
    let param = libc::sched_param {
        sched_priority: libc::c_int::from(priority),
    };
    // SAFETY: `param` is valid for the call; pid 0 is the calling thread.
    result(unsafe { libc::sched_setscheduler(0, libc::SCHED_FIFO, &param) })
}

/// Block SIGINT and SIGTERM in the calling thread, so the kernel delivers them to a thread that
/// waits for them (the sampling thread's sleep is what a stop request must interrupt).
pub fn block_stop_signals() {
    // SAFETY: an all-zero sigset_t is a valid value for sigemptyset to initialise.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: `set` is a valid sigset_t for every call; the old mask may be null.
    unsafe {
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::sigaddset(&mut set, libc::SIGTERM);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}

/// CPU time (user + system) this process used so far.
pub fn cpu_time() -> Duration {
    // SAFETY: an all-zero rusage is valid to be overwritten.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_SELF with a valid pointer cannot fail.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

/// `SO_RCVTIMEO` of a socket.
pub fn set_recv_timeout(socket: &impl AsRawFd, timeout: Duration) -> io::Result<()> {
    let tv = libc::timeval {
        tv_sec: timeout.as_secs() as libc::time_t,
        tv_usec: timeout.subsec_micros() as libc::suseconds_t,
    };
    // SAFETY: `tv` is a valid timeval that lives across the call, and its size is passed.
    let rc = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVTIMEO,
            (&tv as *const libc::timeval).cast(),
            std::mem::size_of::<libc::timeval>() as libc::socklen_t,
        )
    };
    result(rc)
}

/// Ask for a socket receive buffer of `bytes`: beyond `net.core.rmem_max` with CAP_NET_ADMIN
/// (`SO_RCVBUFFORCE`), else up to it (`SO_RCVBUF`). Best effort.
pub fn set_recv_buffer(socket: &impl AsRawFd, bytes: usize) {
    let value = libc::c_int::try_from(bytes).unwrap_or(libc::c_int::MAX);
    for option in [libc::SO_RCVBUFFORCE, libc::SO_RCVBUF] {
        // SAFETY: `value` is a valid c_int that lives across the call, and its size is passed.
        let rc = unsafe {
            libc::setsockopt(
                socket.as_raw_fd(),
                libc::SOL_SOCKET,
                option,
                (&value as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        };
        if rc == 0 {
            return;
        }
    }
}

/// Move this thread into the network namespace `ns` (`setns(CLONE_NEWNET)`).
pub fn enter_network_namespace(ns: BorrowedFd<'_>) -> io::Result<()> {
    // SAFETY: a valid fd for the call's duration; setns only changes this thread's namespace.
    result(unsafe { libc::setns(ns.as_raw_fd(), libc::CLONE_NEWNET) })
}

/// Give this process a mount namespace of its own (`unshare(CLONE_NEWNS)`).
pub fn unshare_mounts() -> io::Result<()> {
    // SAFETY: unshare with a flag constant; affects only this process.
    result(unsafe { libc::unshare(libc::CLONE_NEWNS) })
}

/// Keep this process's mounts from propagating back to the host (`mount --make-rslave /`).
pub fn make_mounts_slave() -> io::Result<()> {
    // SAFETY: valid NUL-terminated strings; null data is allowed.
    result(unsafe {
        libc::mount(
            c"none".as_ptr(),
            c"/".as_ptr(),
            std::ptr::null(),
            libc::MS_REC | libc::MS_SLAVE,
            std::ptr::null(),
        )
    })
}

/// Replace this process's `/sys` by a sysfs of its current network namespace.
pub fn remount_sysfs() -> io::Result<()> {
    // A lazy unmount of our private copy of /sys; it may not be a mount point at all.
    // SAFETY: valid NUL-terminated path.
    unsafe { libc::umount2(c"/sys".as_ptr(), libc::MNT_DETACH) };
    // SAFETY: valid NUL-terminated strings; null data is allowed.
    result(unsafe {
        libc::mount(
            c"sysfs".as_ptr(),
            c"/sys".as_ptr(),
            c"sysfs".as_ptr(),
            0,
            std::ptr::null(),
        )
    })
}

/// The first `bpf_prog_info::SIZE` bytes of `struct bpf_prog_info` of the BPF program `id`
/// (`bpf(BPF_PROG_GET_FD_BY_ID)` then `bpf(BPF_OBJ_GET_INFO_BY_FD)`, as iproute2 asks), and how
/// many of them the kernel filled. Opening a program by id needs `CAP_SYS_ADMIN` (`EPERM`
/// otherwise); a program that went away gives `ENOENT`.
pub fn bpf_prog_info(id: u32) -> io::Result<([u8; bpf_prog_info::SIZE], usize)> {
    use crate::uapi::bpf::{BPF_OBJ_GET_INFO_BY_FD, BPF_PROG_GET_FD_BY_ID};
    use std::os::fd::{FromRawFd, OwnedFd};
    // The `union bpf_attr` member of BPF_PROG_GET_FD_BY_ID: prog_id, next_id, open_flags.
    let by_id: [u32; 3] = [id, 0, 0];
    // SAFETY: `by_id` is a valid, initialised prefix of `union bpf_attr` of the size passed;
    // the kernel zero-extends a shorter attr and only reads it.
    let fd = unsafe {
        libc::syscall(
            libc::SYS_bpf,
            BPF_PROG_GET_FD_BY_ID,
            by_id.as_ptr(),
            std::mem::size_of_val(&by_id) as libc::c_uint,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the kernel returned a new descriptor that nothing else owns.
    let fd = unsafe { OwnedFd::from_raw_fd(fd as libc::c_int) };
    let mut info = [0u8; bpf_prog_info::SIZE];
    // The member of BPF_OBJ_GET_INFO_BY_FD: bpf_fd (u32), info_len (u32), info (u64 pointer).
    #[repr(C)]
    struct InfoAttr {
        bpf_fd: u32,
        info_len: u32,
        info: u64,
    }
    let mut attr = InfoAttr {
        bpf_fd: fd.as_raw_fd() as u32,
        info_len: info.len() as u32,
        info: info.as_mut_ptr() as u64,
    };
    // SAFETY: `attr` is a valid prefix of `union bpf_attr`; `info` points to `info_len` writable
    // bytes that outlive the call. The kernel writes at most `info_len` bytes there and updates
    // `attr.info_len`; every pointer member of the info it writes is zero, so it copies nothing
    // else to user memory.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_bpf,
            BPF_OBJ_GET_INFO_BY_FD,
            &mut attr as *mut InfoAttr,
            std::mem::size_of::<InfoAttr>() as libc::c_uint,
        )
    };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok((info, (attr.info_len as usize).min(info.len())))
}

fn result(rc: libc::c_int) -> io::Result<()> {
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// The index of the interface named `name` in this thread's network namespace
/// (`if_nametoindex`), `None` when there is none.
pub fn interface_index(name: &str) -> Option<u32> {
    let name = std::ffi::CString::new(name).ok()?;
    // SAFETY: `name` is a valid NUL-terminated string for the duration of the call.
    let index = unsafe { libc::if_nametoindex(name.as_ptr()) };
    (index != 0).then_some(index)
}
