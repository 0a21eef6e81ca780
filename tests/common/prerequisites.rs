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

/// Where python3 finds the `pyarrow` package (its directory), or `Err` with the directories
/// where installing it would put it (python3's site-packages), or nothing when there is no
/// python3. The export tests read Parquet files with pyarrow.
pub fn pyarrow() -> Result<PathBuf, Vec<PathBuf>> {
    let python = |code: &str| {
        std::process::Command::new(find_program("python3")?)
            .args(["-c", code])
            .stderr(std::process::Stdio::null())
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    if let Some(dir) = python("import os, pyarrow; print(os.path.dirname(pyarrow.__file__))") {
        return Ok(PathBuf::from(dir));
    }
    Err(python(
        "import site, sys; print('\\n'.join(site.getsitepackages() + [site.getusersitepackages()]))",
    )
    .map(|dirs| {
        dirs.lines()
            .map(PathBuf::from)
            .filter(|d| d.is_absolute())
            .collect()
    })
    .unwrap_or_default())
}
