//! The README and the man page against the program: every option of `--help` is documented in
//! both; the README's usage examples parse, and are the man page's; an output shown in the
//! README is the program's output for the command written above it (`<!-- output of: … -->`,
//! run by this test on a replayed capture), and a JSON example of a live run has the keys that
//! run writes (`<!-- keys of: … -->`). `NETSTATSPY_BLESS=1` rewrites those README blocks from
//! the program after a deliberate change. The man page renders without a warning from man.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::CommandFactory;
use common::{Need, bin, require, run, scratch};
use netstatspy::cli::{Cli, ExportCli, ReportCli};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).expect("README.md")
}

/// The man page as gen_docs writes it (roff source).
fn man_source() -> String {
    let gen_docs = bin()
        .parent()
        .expect("target dir")
        .join("examples/gen_docs");
    let dir = scratch("docs-man");
    let out = run(Command::new(&gen_docs).arg(&dir));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(dir.join("netstatspy.1")).expect("man page")
}

/// The roff source as text: escapes of `-` undone, font changes dropped.
fn man_text() -> String {
    man_source()
        .replace("\\-", "-")
        .replace("\\fB", "")
        .replace("\\fI", "")
        .replace("\\fR", "")
        .replace("\\(aq", "'")
        .replace("\\*(Aq", "'")
}

/// The rows of the README table that starts with `header`.
fn table<'a>(readme: &'a str, header: &str) -> Vec<&'a str> {
    readme
        .split(header)
        .nth(1)
        .unwrap_or_else(|| panic!("the README has a table {header}"))
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .collect()
}

/// The flags of every option of a command: `--long` and `-s`.
fn flags(mut cmd: clap::Command) -> Vec<(String, Vec<String>)> {
    cmd.build();
    cmd.get_arguments()
        .filter(|a| !a.is_hide_set() && !a.is_positional())
        .map(|a| {
            let mut f = Vec::new();
            if let Some(l) = a.get_long() {
                f.push(format!("--{l}"));
            }
            if let Some(s) = a.get_short() {
                f.push(format!("-{s}"));
            }
            (a.get_id().to_string(), f)
        })
        .collect()
}

/// Every option the command line defines — read from its definition, so that an option added
/// later is checked too — is in the README's options table and in the man page.
#[test]
fn every_option_is_in_the_readme_and_the_man_page() {
    let readme = readme();
    let man = man_text();
    for (cmd, header) in [
        (
            Cli::command(),
            "| option | meaning | default |\n|---|---|---|\n| `-h`",
        ),
        (ExportCli::command(), "```\nnetstatspy export"),
        (ReportCli::command(), "```\nnetstatspy report"),
    ] {
        // The table after the synopsis (the export's and report's) or the main one.
        let rows: Vec<&str> = if header.starts_with("```") {
            table(&readme, header)
                .into_iter()
                .chain(table(
                    readme.split(header).nth(1).expect("synopsis"),
                    "| option | meaning | default |",
                ))
                .collect()
        } else {
            table(&readme, "| option | meaning | default |")
        };
        let first_column: Vec<&str> = rows
            .iter()
            .map(|r| r.split(" | ").next().unwrap_or_default())
            .collect();
        let name = cmd.get_name().to_owned();
        let subcommand = name != "netstatspy";
        for (id, flags) in flags(cmd) {
            // The subcommands' tables leave out -h and -V, which every command has.
            if subcommand && (id == "help" || id == "version") {
                continue;
            }
            for flag in &flags {
                // `--iface IFACE`, `--changes-only[=…]`, `-f`, …: the flag, then not a letter.
                let documented = first_column.iter().any(|cell| {
                    cell.match_indices(&format!("`{flag}")).any(|(i, m)| {
                        !cell[i + m.len()..]
                            .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-')
                    })
                });
                assert!(
                    documented,
                    "{name}: {flag} ({id}) is not in the README's table"
                );
                assert!(
                    man.contains(flag.as_str()),
                    "{name}: {flag} ({id}) is not in the man page"
                );
            }
        }
    }
}

/// Words of a shell command line: white space separates, single and double quotes group.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.get_or_insert_default().push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                word.get_or_insert_default();
            }
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_default().push(c),
        }
    }
    assert!(quote.is_none(), "unbalanced quotes: {line}");
    words.extend(word);
    words
}

/// The README's usage examples: `netstatspy …` lines of the block after "Examples:", without
/// their comments.
fn readme_examples(readme: &str) -> Vec<String> {
    readme
        .split("Examples:\n\n```sh\n")
        .nth(1)
        .expect("the README has usage examples")
        .lines()
        .take_while(|l| !l.starts_with("```"))
        .map(|l| l.split(" # ").next().unwrap_or(l).trim().to_owned())
        .collect()
}

/// Every usage example of the README is a command line the program accepts, and the man
/// page's EXAMPLES are the same commands, in the same order.
#[test]
fn usage_examples_parse_and_are_the_man_pages() {
    let examples = readme_examples(&readme());
    assert!(examples.len() >= 10, "{examples:?}");
    for example in &examples {
        let words = shell_words(example);
        assert_eq!(words[0], "netstatspy", "{example}");
        let ok = if netstatspy::cli::is_export(&words) {
            matches!(
                netstatspy::cli::parse_export(&words),
                Ok(netstatspy::cli::ExportParsed::Run(_))
            )
        } else if netstatspy::cli::is_report(&words) {
            matches!(
                netstatspy::cli::parse_report(&words),
                Ok(netstatspy::cli::ReportParsed::Run(_))
            )
        } else {
            matches!(
                netstatspy::cli::parse(&words),
                Ok(netstatspy::cli::Parsed::Run(_))
            )
        };
        assert!(ok, "the README's example does not parse: {example}");
    }
    let man = man_text();
    let section = man
        .split(".SH EXAMPLES")
        .nth(1)
        .expect("the man page has EXAMPLES")
        .split(".SH ")
        .next()
        .unwrap_or_default();
    let man_examples: Vec<String> = section
        .split(".TP\n")
        .skip(1)
        .filter_map(|item| item.lines().next().map(str::to_owned))
        .collect();
    assert_eq!(
        man_examples, examples,
        "the man page's EXAMPLES and the README's"
    );
}

/// One README block the program writes: the command in the comment above it and the block's
/// text, with its place in the README.
struct Generated {
    directive: &'static str,
    command: String,
    start: usize,
    end: usize,
}

const OUTPUT_OF: &str = "<!-- output of: ";
const KEYS_OF: &str = "<!-- keys of: ";

fn generated_blocks(readme: &str) -> Vec<Generated> {
    let mut found = Vec::new();
    let mut offset = 0;
    let lines: Vec<&str> = readme.split_inclusive('\n').collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let directive = [OUTPUT_OF, KEYS_OF]
            .into_iter()
            .find(|d| line.starts_with(d));
        offset += line.len();
        i += 1;
        let Some(directive) = directive else {
            continue;
        };
        let command = line[directive.len()..]
            .trim_end()
            .strip_suffix("-->")
            .unwrap_or_else(|| panic!("an unclosed comment: {line}"))
            .trim()
            .replace("&#45;", "-");
        assert!(
            lines.get(i).is_some_and(|l| l.starts_with("```")),
            "a fenced block must follow: {line}"
        );
        offset += lines[i].len();
        i += 1;
        let start = offset;
        while i < lines.len() && !lines[i].starts_with("```") {
            offset += lines[i].len();
            i += 1;
        }
        found.push(Generated {
            directive,
            command,
            start,
            end: offset,
        });
    }
    found
}

/// Run a README command line: `[NAME=VALUE…] netstatspy ARGS [| head -N | grep -F TEXT …]`,
/// in the repository (where `captures/` is), and return what it printed.
fn run_example(command: &str) -> String {
    let mut stages = Vec::new();
    let mut stage = String::new();
    let mut quote = None;
    for c in command.chars() {
        match (quote, c) {
            (None, '|') => stages.push(std::mem::take(&mut stage)),
            (Some(q), c) if c == q => {
                quote = None;
                stage.push(c);
            }
            (None, '\'' | '"') => {
                quote = Some(c);
                stage.push(c);
            }
            _ => stage.push(c),
        }
    }
    stages.push(stage);
    let mut words = shell_words(&stages[0]).into_iter().peekable();
    let mut cmd = Command::new(bin());
    cmd.current_dir(root()).env_remove("TZ");
    while let Some((name, value)) = words.peek().and_then(|w| w.split_once('=')) {
        cmd.env(name, value);
        words.next();
    }
    assert_eq!(words.next().as_deref(), Some("netstatspy"), "{command}");
    let out = run(cmd.args(words));
    assert!(
        out.status.success(),
        "{command}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut text = String::from_utf8(out.stdout).expect("UTF-8 output");
    for filter in &stages[1..] {
        let words = shell_words(filter);
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        text = match words[..] {
            ["head", n] => {
                let n: usize = n.trim_start_matches('-').parse().expect("head -N");
                text.split_inclusive('\n').take(n).collect()
            }
            ["grep", "-F", pattern] => text
                .split_inclusive('\n')
                .filter(|l| l.contains(pattern))
                .collect(),
            _ => panic!("{command}: only `head -N` and `grep -F TEXT` are understood"),
        };
    }
    text
}

/// The shape of a JSON value: its keys, in order, and theirs; a value that is not an object is
/// its type (an array that of its first element).
fn shape(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), shape(v))).collect()),
        Value::Array(a) => Value::Array(a.iter().take(1).map(shape).collect()),
        Value::String(_) => "string".into(),
        Value::Number(_) => "number".into(),
        Value::Bool(_) => "bool".into(),
        Value::Null => "null".into(),
    }
}

/// Each README block marked with the command that writes it is what that command writes now:
/// byte for byte for `output of` (replays of captures, which are deterministic), key for key
/// for `keys of` (live runs, whose values are this machine's).
#[test]
fn readme_outputs_are_the_programs() {
    let bless = std::env::var_os("NETSTATSPY_BLESS").is_some_and(|v| v == "1");
    let mut text = readme();
    let blocks = generated_blocks(&text);
    assert!(
        blocks.iter().filter(|b| b.directive == OUTPUT_OF).count() >= 2
            && blocks.iter().any(|b| b.directive == KEYS_OF),
        "the README marks its console and JSON examples"
    );
    let mut stale = Vec::new();
    // From the end, so that rewriting a block leaves the places of the others.
    for block in blocks.iter().rev() {
        let shown = &text[block.start..block.end];
        let output = run_example(&block.command);
        let same = if block.directive == OUTPUT_OF {
            shown == output
        } else {
            let shapes = |t: &str| -> Vec<Value> {
                t.lines()
                    .map(|l| shape(&serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))))
                    .collect()
            };
            shapes(shown) == shapes(&output)
        };
        if !same {
            stale.push(format!(
                "{}:\n--- README\n{shown}--- program\n{output}",
                block.command
            ));
            if bless {
                text.replace_range(block.start..block.end, &output);
            }
        }
    }
    if bless && !stale.is_empty() {
        std::fs::write(root().join("README.md"), &text).expect("rewrite README.md");
        return;
    }
    assert!(
        stale.is_empty(),
        "README blocks differ from the program (NETSTATSPY_BLESS=1 rewrites them after a \
         deliberate change):\n{}",
        stale.join("\n")
    );
}

/// The man page's keys of ip and tc elements hold every key iproute2 printed for the links of
/// the recorded captures (`ip -s -s -j link`), and the generic keys of every qdisc (`tc -s -j
/// qdisc`); its FILES name every byte queue limit file of this machine's sysfs.
#[test]
fn man_page_keys_hold_what_iproute2_and_sysfs_show() {
    let man = man_text();
    let section = |name: &str| -> String {
        man.split(&format!(".SH {name}\n"))
            .nth(1)
            .unwrap_or_else(|| panic!("no {name}"))
            .split("\n.SH ")
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    let types = section("\"RECORD TYPES\"");
    let entry = |kind: &str| -> Vec<String> {
        let text = types
            .split(".TP\n")
            .find(|item| item.starts_with(&format!("{kind}\n")))
            .unwrap_or_else(|| panic!("no {kind} entry"));
        text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .map(str::to_owned)
            .collect()
    };
    let read = |p: &Path| -> Option<Vec<Value>> {
        serde_json::from_str(&std::fs::read_to_string(p).ok()?).ok()
    };
    let captures = root().join("captures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&captures)
        .expect("captures/")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let ip = entry("ip");
    let mut links = 0;
    for file in files
        .iter()
        .filter(|f| f.to_string_lossy().ends_with(".ip-s-s-j-link.json"))
    {
        for link in read(file).unwrap_or_default() {
            links += 1;
            for key in link.as_object().expect("object").keys() {
                assert!(
                    ip.contains(key),
                    "ip key {key} ({}) missing",
                    file.display()
                );
            }
        }
    }
    assert!(links > 50, "{links} links read");
    // The keys every qdisc of every reading has: the generic ones (options and extended
    // statistics differ by kind). Some of tc's readings are not JSON (tc prints a few values
    // as text): those are left out.
    let tc = entry("tc");
    let mut qdiscs = 0;
    let mut common: Option<Vec<String>> = None;
    for file in files
        .iter()
        .filter(|f| f.to_string_lossy().ends_with(".tc-s-j-qdisc.json"))
    {
        for qdisc in read(file).unwrap_or_default() {
            qdiscs += 1;
            let keys: Vec<String> = qdisc.as_object().expect("object").keys().cloned().collect();
            common = Some(match common {
                None => keys,
                Some(c) => c.into_iter().filter(|k| keys.contains(k)).collect(),
            });
        }
    }
    let common = common.unwrap_or_default();
    assert!(common.len() >= 8, "{common:?}");
    for key in common {
        assert!(tc.contains(&key), "tc key {key} missing");
    }
    assert!(qdiscs > 20, "{qdiscs} qdiscs read");
    let files_section = section("FILES");
    let mut bql = 0;
    for dev in std::fs::read_dir("/sys/class/net").expect("/sys/class/net") {
        let queues = dev.expect("entry").path().join("queues");
        for q in std::fs::read_dir(queues).into_iter().flatten().flatten() {
            for f in std::fs::read_dir(q.path().join("byte_queue_limits"))
                .into_iter()
                .flatten()
                .flatten()
            {
                let name = f.file_name().to_string_lossy().into_owned();
                bql += 1;
                assert!(files_section.contains(&name), "{name} missing from FILES");
            }
        }
    }
    eprintln!("{links} links, {qdiscs} qdiscs, {bql} byte queue limit files compared");
}

/// `man` renders the page without a warning, with every section.
#[test]
#[cfg_attr(not(have_man), ignore = "needs man (apt-get install man-db)")]
fn man_renders_every_section_without_warnings() {
    require(&[Need::Man]);
    let dir = scratch("docs-render");
    let page = dir.join("netstatspy.1");
    std::fs::write(&page, man_source()).expect("write");
    let out = run(Command::new("man")
        .args(["--warnings", "-l"])
        .arg(&page)
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.trim().is_empty(), "man warns: {err}");
    let text = String::from_utf8_lossy(&out.stdout);
    for section in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "OPTIONS",
        "DURATIONS",
        "SUBCOMMANDS",
        "OUTPUT",
        "RECORD TYPES",
        "EXIT STATUS",
        "FILES",
        "EXAMPLES",
        "SEE ALSO",
    ] {
        assert!(
            text.lines().any(|l| l == section),
            "{section} not rendered:\n{text}"
        );
    }
    for reference in ["ip(8)", "tc(8)", "ss(8)"] {
        assert!(text.contains(reference), "{reference}");
    }
}
