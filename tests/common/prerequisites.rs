//! What some tests need from the machine beyond a build: root, programs on `PATH`. `build.rs`
//! (which lists a test as ignored when its prerequisites are missing) and the tests themselves
//! (which fail, naming what is missing, when they run without them) include this one file, so
//! both judge the machine the same way. Only `std`: the build script has no dependencies.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

/// iproute2's programs: the live tests build namespaces with `ip` and compare with all three.
pub const IPROUTE2: [&str; 3] = ["ip", "tc", "ss"];

/// True when the effective user id is 0 (the second field of `Uid:` in `/proc/self/status`).
/// Read from procfs rather than through libc so that the build script needs no dependency.
pub fn is_root() -> bool {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return false;
    };
    status
        .lines()
        .find_map(|line| line.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().nth(1))
        == Some("0")
}

/// The absolute directories of `PATH`, in order. Relative entries are left out: they would
/// name different directories for the build script and for a test, which run in different
/// working directories.
pub fn path_dirs() -> Vec<PathBuf> {
    std::env::var_os("PATH")
        .map(|path| {
            std::env::split_paths(&path)
                .filter(|dir| dir.is_absolute())
                .collect()
        })
        .unwrap_or_default()
}

/// The file `program` names on `PATH`, as a command started by name finds it: the first
/// regular file of that name with an execute bit.
pub fn find_program(program: &str) -> Option<PathBuf> {
    path_dirs()
        .into_iter()
        .map(|dir| dir.join(program))
        .find(|file| {
            std::fs::metadata(file)
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}
