//! The module graph, read from the source: which module refers to which (`crate::…` and
//! `super::…` paths outside test code). It must have the shape the README describes: the model
//! depends on nothing, there is no cycle between top-level modules, readers never depend on each
//! other nor on replay, and outputs never touch the kernel. The README's layout table must name
//! every source file that exists, and only files that exist.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/readers/tc/kinds.rs` → `["readers", "tc", "kinds"]`; `mod.rs` names its directory.
fn module_of(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(root().join("src")).expect("under src");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if parts
        .last()
        .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
    {
        parts.pop();
    }
    parts
}

/// The first path segments after each `crate::` and `super::` (with `{a, b}` groups expanded),
/// as absolute module paths, in the non-test part of `text`.
fn references(module: &[String], is_mod_rs: bool, text: &str) -> BTreeSet<Vec<String>> {
    // Test modules sit at the end of a file, after `#[cfg(test)]`.
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    let code: String = code
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut found = BTreeSet::new();
    for (prefix, base) in [
        ("crate::", Vec::new()),
        ("super::", {
            // `super` of a `mod.rs` module is its parent; of a file module, the directory's module.
            let mut b = module.to_vec();
            if is_mod_rs || !b.is_empty() {
                b.pop();
            }
            b
        }),
    ] {
        for (at, _) in code.match_indices(prefix) {
            // `self::super::` or a path ending in `super::` is not used here.
            let rest = &code[at + prefix.len()..];
            let heads: Vec<String> = if let Some(group) = rest.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or_default();
                inner
                    .split(',')
                    .map(|p| ident(p.trim()))
                    .filter(|p| !p.is_empty())
                    .collect()
            } else {
                vec![ident(rest)]
            };
            for head in heads {
                // A second segment, for references into readers:: and output::.
                let after = rest
                    .strip_prefix(&head)
                    .and_then(|r| r.strip_prefix("::"))
                    .map(ident)
                    .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_lowercase() || c == '_'));
                let mut path = base.clone();
                path.push(head);
                if let Some(second) = after {
                    path.push(second);
                }
                found.insert(path);
            }
        }
    }
    found
}

/// Module → modules it refers to, for every source file.
fn graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let mut g = BTreeMap::new();
    for file in files {
        let module = module_of(&file);
        let is_mod_rs = file.file_name().is_some_and(|n| n == "mod.rs");
        let text = std::fs::read_to_string(&file).expect("read source");
        g.insert(module.clone(), references(&module, is_mod_rs, &text));
    }
    g
}

fn top(path: &[String]) -> &str {
    path.first().map_or("", String::as_str)
}

#[test]
fn the_model_depends_on_nothing_but_kernel_constants() {
    for (module, refs) in graph() {
        match top(&module) {
            "model" => {
                for r in refs {
                    assert!(
                        matches!(top(&r), "model" | "uapi"),
                        "{module:?} refers to {r:?}"
                    );
                }
            }
            "uapi" => {
                for r in refs {
                    assert_eq!(top(&r), "uapi", "{module:?} refers to {r:?}");
                }
            }
            _ => {}
        }
    }
}

#[test]
fn no_cycle_between_top_level_modules() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, refs) in graph() {
        // The binary's root wires everything and is referred to by nothing.
        if module.is_empty() {
            continue;
        }
        for r in refs {
            if top(&r) != top(&module) && !top(&r).is_empty() {
                edges
                    .entry(top(&module).to_owned())
                    .or_default()
                    .insert(top(&r).to_owned());
            }
        }
    }
    // Depth-first search for a back edge.
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if done.contains(node) {
            return;
        }
        if let Some(at) = path.iter().position(|n| n == node) {
            panic!("cycle: {:?} -> {node}", &path[at..]);
        }
        path.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            visit(next, edges, path, done);
        }
        path.pop();
        done.insert(node.to_owned());
    }
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        visit(node, &edges, &mut Vec::new(), &mut done);
    }
    assert!(
        edges.contains_key("readers"),
        "the graph was not read: {edges:?}"
    );
}

/// The reader module a path lies in: a module under readers/ (a file or a directory), but not
/// the shared file helper; items of readers/mod.rs itself (the trait) belong to no reader.
fn reader_of(path: &[String]) -> Option<&str> {
    let name = path.get(1).filter(|_| top(path) == "readers")?;
    let dir = root().join("src/readers");
    let is_module = dir.join(format!("{name}.rs")).exists() || dir.join(name).is_dir();
    (is_module && name != "kernel_file").then_some(name.as_str())
}

#[test]
fn readers_never_depend_on_each_other_nor_on_replay() {
    for (module, refs) in graph() {
        let Some(reader) = reader_of(&module) else {
            continue;
        };
        for r in refs {
            if let Some(other) = reader_of(&r) {
                assert_eq!(other, reader, "{module:?} refers to {r:?}");
            }
            assert!(
                !matches!(top(&r), "capture" | "source" | "output" | "sampler"),
                "{module:?} refers to {r:?}"
            );
        }
    }
}

#[test]
fn outputs_never_touch_the_kernel() {
    for (module, refs) in graph() {
        if top(&module) != "output" {
            continue;
        }
        for r in refs {
            assert!(
                !matches!(
                    top(&r),
                    "readers" | "netlink" | "capture" | "source" | "netns"
                ),
                "{module:?} refers to {r:?}"
            );
        }
    }
}

#[test]
fn unsafe_code_lives_in_sys_only() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    for file in files {
        if file.ends_with("src/sys.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("read source");
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        assert!(
            !code.contains("unsafe "),
            "{} has unsafe code outside src/sys.rs",
            file.display()
        );
    }
}

/// The files a layout-table row names, resolved to paths from the root: the first column's
/// paths as they are; in the second, each backticked file or directory name relative to the
/// directory it is described under — the innermost `dir/ (…)` group it stands in, else the
/// row's first directory — or, holding a `/`, from the root when it exists there.
fn row_paths(row: &str) -> Vec<(String, bool)> {
    let mut cells = row.split('|').skip(1);
    let first = cells.next().unwrap_or_default();
    let role = cells.next().unwrap_or_default();
    let mut out = Vec::new();
    let mut base = None;
    for (i, part) in first.split('`').enumerate() {
        if i % 2 == 1 {
            if base.is_none() && part.ends_with('/') {
                base = Some(part.to_owned());
            }
            out.push((part.to_owned(), true));
        }
    }
    let base = base.unwrap_or_default();
    let is_path = |t: &str| {
        !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
            && (t.ends_with('/')
                || [".rs", ".js", ".css", ".py", ".sh"]
                    .iter()
                    .any(|x| t.ends_with(x)))
            && !t.starts_with('-')
    };
    // Directories of the open parentheses; the last name seen, which a `(` opens.
    let mut stack: Vec<String> = vec![base.clone()];
    let mut last: Option<String> = None;
    for (i, part) in role.split('`').enumerate() {
        if i % 2 == 1 {
            if is_path(part) {
                let context = stack.last().cloned().unwrap_or_default();
                let path = if part.trim_end_matches('/').contains('/') && root().join(part).exists()
                {
                    part.to_owned()
                } else {
                    format!("{context}{part}")
                };
                last = Some(path.clone());
                out.push((path, false));
            } else {
                last = None;
            }
            continue;
        }
        for c in part.chars() {
            match c {
                '(' => {
                    let context = stack.last().cloned().unwrap_or_default();
                    let opened = match &last {
                        Some(dir) if dir.ends_with('/') => dir.clone(),
                        _ => context,
                    };
                    stack.push(opened);
                    last = None;
                }
                ')' => {
                    if stack.len() > 1 {
                        stack.pop();
                    }
                    last = None;
                }
                c if c.is_whitespace() => {}
                _ => last = None,
            }
        }
    }
    out
}

#[test]
fn readme_layout_table_matches_the_tree() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let table: Vec<&str> = readme
        .split("| path | role |")
        .nth(1)
        .expect("the README has a layout table (| path | role |)")
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .collect();
    // Every path a row names exists where the row puts it.
    let mut named = Vec::new();
    for row in &table {
        for (path, first_column) in row_paths(row) {
            assert!(
                root().join(&path).exists(),
                "README's layout table names {path}{}, which does not exist: {row}",
                if first_column {
                    ""
                } else {
                    " (by the directory it describes it under)"
                }
            );
            named.push(path);
        }
    }
    // Every source file is named in the row of its directory: itself, or, for a module's
    // `mod.rs`, by its directory.
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    for file in files {
        let rel = file
            .strip_prefix(root())
            .expect("under root")
            .to_string_lossy()
            .into_owned();
        let dir_of_mod = rel.strip_suffix("mod.rs");
        let covered = named
            .iter()
            .any(|n| n == &rel || dir_of_mod.is_some_and(|d| n == d));
        assert!(covered, "{rel} is not in the README's layout table");
    }
}

/// The table's parsing: a file is placed under the directory of the group it stands in.
#[test]
fn layout_rows_place_files_under_their_directory() {
    let row = "| `src/x/` | `mod.rs` the root; `a/` (`mod.rs` theirs, `b.rs` (with `c.rs`)), `d.rs`; `report/page.js` |";
    let paths: Vec<String> = row_paths(row).into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        paths,
        [
            "src/x/",
            "src/x/mod.rs",
            "src/x/a/",
            "src/x/a/mod.rs",
            "src/x/a/b.rs",
            "src/x/a/c.rs",
            "src/x/d.rs",
            "report/page.js",
        ]
    );
}
