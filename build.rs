//! Probes what the integration tests need beyond a build, so that `cargo test` lists a test
//! whose prerequisites this machine lacks as ignored, with the reason, in libtest's own
//! summary, instead of running it into a failure or counting a skip as a pass.
//!
//! Each prerequisite sets a cfg when it is present: `have_root` (effective uid 0: network
//! namespaces, mounts), `have_iproute2` (`ip`, `tc` and `ss` on `PATH`), `have_strace`,
//! `have_tshark`, `have_zstd`, `have_python3` (runs the reference reader of changes-only
//! records), `have_pyarrow` (python3 with pyarrow, which reads the exported Parquet files),
//! `have_prometheus` (`prometheus` and `promtool`: a real scraper of the metrics endpoint),
//! `have_static_binary` (the static build the bare-root tests copy), `have_chromium` (headless
//! Chromium, which opens the HTML reports), `have_man` (man-db's `man`, which renders the man
//! page and reports what it cannot format), `have_tmux` (a terminal the console's terminal
//! view is run in). A test carries
//! `#[cfg_attr(not(have_X), ignore = "needs X …")]`. With `CI` set every cfg is set:
//! CI must run every test, so there a missing prerequisite fails the test (`require` in
//! `tests/common`) instead of being ignored.
//!
//! The probes rerun only when something they looked at changes, never on every build: a rerun
//! recompiles the library and every test.

use std::collections::BTreeSet;
use std::env;
use std::path::{Path, PathBuf};

#[path = "tests/common/prerequisites.rs"]
mod prerequisites;

use prerequisites::{IPROUTE2, find_program, is_root, path_dirs, pyarrow};

/// Where the README's static build puts the binary, below the target directory.
const STATIC_IN_TARGET: &str = "x86_64-unknown-linux-gnu/release/netstatspy";

fn main() {
    let ci = env::var_os("CI").is_some();
    println!("cargo::rerun-if-env-changed=CI");
    println!(
        "cargo::rustc-check-cfg=cfg(have_root, have_iproute2, have_strace, have_tshark, \
         have_zstd, have_python3, have_pyarrow, have_static_binary, have_chromium, \
         have_prometheus, have_man, have_tmux)"
    );
    let mut watch = Watch::new();
    let set = |cfg: &str, present: bool| {
        if present || ci {
            println!("cargo::rustc-cfg={cfg}");
        }
    };

    // Who runs the build runs the tests. sudo, su and runuser set USER: a rebuild under another
    // user probes again.
    println!("cargo::rerun-if-env-changed=USER");
    set("have_root", is_root());

    println!("cargo::rerun-if-env-changed=PATH");
    for (cfg, programs) in [
        ("have_iproute2", &IPROUTE2[..]),
        ("have_strace", &["strace"]),
        ("have_tshark", &["tshark"]),
        ("have_zstd", &["zstd"]),
        ("have_prometheus", &["prometheus", "promtool"]),
        ("have_python3", &["python3"]),
        ("have_chromium", &["chromium"]),
        ("have_man", &["man"]),
        ("have_tmux", &["tmux"]),
    ] {
        let mut present = true;
        for program in programs {
            match find_program(program) {
                // Removed or replaced: probe again.
                Some(file) => watch.add(&file),
                // Installed later: it appears in one of these directories, which changes the
                // directory's modification time.
                None => {
                    present = false;
                    for dir in path_dirs() {
                        watch.add(&dir);
                    }
                }
            }
        }
        set(cfg, present);
    }

    // pyarrow: python3 is watched above when it is missing (PATH); once it is there, the
    // package's directory (removed) or the directories an install would put it in.
    match pyarrow() {
        Ok(dir) => {
            watch.add(&dir);
            set("have_pyarrow", true);
        }
        Err(dirs) => {
            if let Some(python) = find_program("python3") {
                watch.add(&python);
            } else {
                for dir in path_dirs() {
                    watch.add(&dir);
                }
            }
            for dir in dirs {
                watch.add(&dir);
            }
            set("have_pyarrow", false);
        }
    }

    let binary = static_binary();
    // The path is resolved once, here, so the tests use the binary that was probed.
    println!(
        "cargo::rustc-env=NETSTATSPY_STATIC_BINARY={}",
        binary.display()
    );
    let present = binary.is_file();
    // The static build itself (crt-static) writes that binary after this script ran: watching
    // it would make every such build a rebuild.
    let static_build = env::var("CARGO_CFG_TARGET_FEATURE")
        .is_ok_and(|features| features.split(',').any(|f| f == "crt-static"));
    if !static_build {
        if present {
            watch.add(&binary);
        } else if let Some(dir) = binary.parent() {
            // Built later: it appears in this directory. When even the directory is missing
            // nothing can be watched (cargo reruns a script on every build while a path it
            // watches is missing); setting NETSTATSPY_STATIC, as tests/run.sh does, probes again.
            watch.add(dir);
        }
    }
    set("have_static_binary", present);

    watch.emit();
}

/// The static binary the bare-root tests copy: `NETSTATSPY_STATIC`, or where the README's
/// static build puts it in the target directory (`CARGO_TARGET_DIR`, by default `target`).
/// Relative paths are taken from the package root, where tests run.
fn static_binary() -> PathBuf {
    println!("cargo::rerun-if-env-changed=NETSTATSPY_STATIC");
    println!("cargo::rerun-if-env-changed=CARGO_TARGET_DIR");
    let root = env::var_os("CARGO_MANIFEST_DIR").map_or_else(PathBuf::new, PathBuf::from);
    match env::var_os("NETSTATSPY_STATIC") {
        Some(path) => root.join(path),
        None => root
            .join(env::var_os("CARGO_TARGET_DIR").unwrap_or_else(|| "target".into()))
            .join(STATIC_IN_TARGET),
    }
}

/// The files and directories whose change reruns the probes.
struct Watch {
    /// Where this build writes after the probes ran: its profile directory (`target/debug`,
    /// `target/<triple>/release`) and, through its ancestors, the whole target directory.
    /// Watching there would rerun the probes after every build.
    out_dir: Option<PathBuf>,
    profile_dir: Option<PathBuf>,
    paths: BTreeSet<PathBuf>,
}

impl Watch {
    fn new() -> Watch {
        let out_dir = env::var_os("OUT_DIR").and_then(|dir| Path::new(&dir).canonicalize().ok());
        // OUT_DIR is <profile dir>/build/<package>-<hash>/out.
        let profile_dir = out_dir
            .as_deref()
            .and_then(|dir| dir.ancestors().nth(3))
            .map(Path::to_path_buf);
        Watch {
            out_dir,
            profile_dir,
            paths: BTreeSet::new(),
        }
    }

    /// Watch `path` if it exists (cargo reruns a script on every build while a path it watches
    /// is missing) and is not where this build writes.
    fn add(&mut self, path: &Path) {
        let Ok(path) = path.canonicalize() else {
            return;
        };
        let (Some(out_dir), Some(profile_dir)) = (&self.out_dir, &self.profile_dir) else {
            return;
        };
        if out_dir.starts_with(&path) || path.starts_with(profile_dir) {
            return;
        }
        self.paths.insert(path);
    }

    fn emit(self) {
        for path in self.paths {
            // A path that is not UTF-8 cannot be written on this line; it is not watched.
            if let Some(path) = path.to_str() {
                println!("cargo::rerun-if-changed={path}");
            }
        }
    }
}
