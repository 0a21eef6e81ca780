//! `netstatspy export`: JSON Lines to Parquet, one file per record type, for pandas, polars
//! and DuckDB.
//!
//! Each element of a record's `stats` list becomes a row, with the envelope's keys (`sample`,
//! `timestamp`, `elapsed`, `partial`, `run`, …) as columns beside the element's; nested objects
//! become dotted column names ([`schema`]). The input is read twice: the first pass finds every
//! record type, column and column type, the second writes rows in bounded batches
//! ([`mod@write`]), so memory does not grow with the input. Run headers (`"type":"run"`) and run
//! summaries (`"type":"run_summary"`) go into every file's metadata (`netstatspy.runs`,
//! `netstatspy.run_summaries`, JSON arrays), not into rows. Column field metadata carries the
//! model's kind and unit where the model describes the column ([`units`]).

pub mod changes;
pub mod input;
pub mod schema;
pub mod units;
pub mod write;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow_schema::{Field, Schema};
use serde_json::{Map, Value};

use self::input::{Cut, Line, Lines};
use self::schema::{ColumnType, Scalar, Seen, flatten};
use self::units::Catalogue;
use self::write::{Table, WriteError};

/// Metadata key of the run headers, a JSON array.
pub const RUNS_KEY: &str = "netstatspy.runs";
/// Metadata key of the run summaries, a JSON array.
pub const RUN_SUMMARIES_KEY: &str = "netstatspy.run_summaries";
/// Malformed lines reported one by one; the rest are counted.
pub const MALFORMED_SHOWN: u64 = 10;
/// Progress is reported at most this often.
const PROGRESS_EVERY: Duration = Duration::from_secs(2);

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportConfig {
    /// JSON Lines files, plain or `.zst`, read in this order.
    pub files: Vec<PathBuf>,
    /// Directory the `TYPE.parquet` files are written to.
    pub output: PathBuf,
    /// Rows per row group at most.
    pub row_group_rows: usize,
}

/// What an export reports while it runs.
#[derive(Debug)]
pub enum Event {
    /// Input bytes read (compressed bytes of `.zst` files) in pass `pass` (1 or 2) of 2.
    Progress {
        /// 1: finding the columns, 2: writing.
        pass: u8,
        /// Bytes read in this pass so far.
        read: u64,
        /// Bytes of all input files.
        total: u64,
    },
    /// Something in the input that was not exported, with where it is.
    Warning(String),
}

/// What an export wrote.
#[derive(Debug, Default)]
pub struct Summary {
    /// Each file written (`ip.parquet`, …) and its rows, in the order the types first appear.
    pub tables: Vec<(String, u64)>,
    /// Lines read.
    pub lines: u64,
    /// Bytes of JSON read (uncompressed), newlines included.
    pub json_bytes: u64,
    /// Lines that were not a record (not JSON, no type, …): counted and reported.
    pub malformed: u64,
    /// Run headers found.
    pub runs: usize,
    /// Run summaries found.
    pub run_summaries: usize,
    /// Files whose end was cut short (an unfinished line or zstd frame).
    pub cut: usize,
    /// Values that did not fit their column (the input changed between the two passes).
    pub misfits: u64,
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// An input file cannot be opened or read.
    #[error("cannot read {}", path.display())]
    Input {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// An output file or the directory cannot be written.
    #[error("cannot write {}", path.display())]
    Output {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: WriteError,
    },
}

/// The columns of one part of a row (envelope or element), in the order first seen.
#[derive(Debug, Default)]
struct Columns {
    names: Vec<String>,
    seen: Vec<Seen>,
    index: HashMap<String, usize>,
}

impl Columns {
    fn add(&mut self, name: &str, value: &Value) {
        let i = match self.index.get(name) {
            Some(&i) => i,
            None => {
                self.names.push(name.to_owned());
                self.seen.push(Seen::default());
                self.index.insert(name.to_owned(), self.names.len() - 1);
                self.names.len() - 1
            }
        };
        self.seen[i].add(value);
    }
}

/// What the first pass learnt about one record type.
#[derive(Debug, Default)]
struct Kind {
    name: String,
    envelope: Columns,
    element: Columns,
    /// Records came with a `stats` list (reader records), so `partial` is a column.
    has_stats: bool,
}

/// A line, understood.
enum Record<'v> {
    /// A run header or run summary.
    Header(&'v str),
    /// Rows of a record type.
    Rows {
        kind: &'v str,
        envelope: &'v Map<String, Value>,
        /// The elements of `stats`; `None`: the record itself is the one row (a record type
        /// without a `stats` list).
        elements: Option<&'v [Value]>,
    },
}

/// The record types the readers write.
const READER_TYPES: [&str; 5] = ["ip", "tc", "ss", "queue_limits", "small_queue"];

fn classify(value: &Value) -> Result<Record<'_>, String> {
    let Value::Object(object) = value else {
        return Err("not a JSON object".into());
    };
    let Some(kind) = object.get("type").and_then(Value::as_str) else {
        return Err("no \"type\" string".into());
    };
    if kind.is_empty()
        || kind.len() > 64
        || !kind
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        || kind.starts_with('-')
    {
        return Err(format!("type {kind:?} cannot name a file"));
    }
    if kind == "run" || kind == "run_summary" {
        return Ok(Record::Header(kind));
    }
    let elements = match object.get("stats") {
        Some(Value::Array(items)) => {
            if !items.iter().all(Value::is_object) {
                return Err("an element of \"stats\" is not an object".into());
            }
            Some(items.as_slice())
        }
        Some(_) => return Err("\"stats\" is not a list".into()),
        None if READER_TYPES.contains(&kind) => return Err("no \"stats\" list".into()),
        None => None,
    };
    Ok(Record::Rows {
        kind,
        envelope: object,
        elements,
    })
}

/// Every envelope leaf: the record's keys but `type` and `stats`, flattened.
fn envelope_leaves<'v>(
    envelope: &'v Map<String, Value>,
    prefix: &mut String,
    leaf: &mut impl FnMut(&str, &'v Value),
) {
    for (key, value) in envelope {
        if key == "type" || key == "stats" {
            continue;
        }
        prefix.clear();
        prefix.push_str(key);
        match value {
            Value::Object(inner) => flatten(inner, prefix, leaf),
            _ => leaf(prefix, value),
        }
    }
}

/// What [`Reader::each_line`] calls for each line: the file, the line's number, the line parsed
/// (or why it is not JSON), and its length in bytes.
type EachLine<'a> = dyn FnMut(&Path, u64, Result<Value, String>, u64) + 'a;

/// Reads every line of every file once, calling `each(file, line number, line)`.
struct Reader<'a> {
    config: &'a ExportConfig,
    report: &'a mut dyn FnMut(Event),
    total: u64,
    pass: u8,
    /// Changes-only records before their reader's first keyframe: they cannot be made whole.
    incomplete: u64,
}

impl Reader<'_> {
    /// `limits`: lines to read per file (the second pass reads what the first read, even if a
    /// run is still appending). Returns the lines read per file and how each file ended.
    fn each_line(
        &mut self,
        limits: Option<&[u64]>,
        each: &mut EachLine<'_>,
    ) -> Result<Vec<(u64, Option<Cut>)>, ExportError> {
        let mut ended = Vec::new();
        let mut done = 0u64;
        // Changes-only records are made whole again, in file order, before anything sees them.
        let mut expander = changes::Expander::default();
        let mut last_report = Instant::now();
        for (f, path) in self.config.files.iter().enumerate() {
            let input_error = |source| ExportError::Input {
                path: path.clone(),
                source,
            };
            let mut lines = Lines::open(path).map_err(input_error)?;
            let limit = limits.and_then(|l| l.get(f).copied()).unwrap_or(u64::MAX);
            while lines.number < limit {
                let (parsed, len) = match lines.next_line().map_err(input_error)? {
                    None => break,
                    Some(Line::Complete(bytes)) => (
                        serde_json::from_slice::<Value>(bytes).map_err(|e| e.to_string()),
                        bytes.len() + 1,
                    ),
                    // A last line without its newline counts when it is whole JSON.
                    Some(Line::Last(bytes)) => match serde_json::from_slice::<Value>(bytes) {
                        Ok(v) => (Ok(v), bytes.len()),
                        Err(_) => {
                            lines.cut = Some(Cut::UnfinishedLine { bytes: bytes.len() });
                            lines.number -= 1;
                            break;
                        }
                    },
                };
                let parsed = match parsed.map(|v| expander.expand(v)) {
                    Ok(Ok(changes::Expanded::AsIs(v) | changes::Expanded::Full(v))) => Ok(v),
                    Ok(Ok(changes::Expanded::Incomplete)) => {
                        self.incomplete += 1;
                        continue;
                    }
                    Ok(Err(why)) | Err(why) => Err(why),
                };
                each(path, lines.number, parsed, len as u64);
                if lines.number.is_multiple_of(64) && last_report.elapsed() >= PROGRESS_EVERY {
                    last_report = Instant::now();
                    (self.report)(Event::Progress {
                        pass: self.pass,
                        read: done + lines.bytes_read(),
                        total: self.total,
                    });
                }
            }
            done += lines.bytes_read();
            ended.push((lines.number, lines.cut.take()));
        }
        Ok(ended)
    }
}

/// Export `config.files` to Parquet files in `config.output`; `report` receives progress and
/// warnings.
pub fn export(
    config: &ExportConfig,
    report: &mut dyn FnMut(Event),
) -> Result<Summary, ExportError> {
    let total = config
        .files
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    let mut summary = Summary::default();
    let mut kinds: Vec<Kind> = Vec::new();
    let mut kind_index: HashMap<String, usize> = HashMap::new();
    let mut runs: Vec<Value> = Vec::new();
    let mut run_summaries: Vec<Value> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();

    // Pass 1: record types, columns and their types; headers; malformed lines.
    let (ended, incomplete) = {
        let mut reader = Reader {
            config,
            report: &mut *report,
            total,
            pass: 1,
            incomplete: 0,
        };
        let mut prefix = String::new();
        let ended = reader.each_line(None, &mut |path, number, parsed, len| {
            summary.lines += 1;
            summary.json_bytes += len;
            let malformed = |why: String, summary: &mut Summary, warnings: &mut Vec<String>| {
                summary.malformed += 1;
                if summary.malformed <= MALFORMED_SHOWN {
                    warnings.push(format!(
                        "{}:{number}: malformed line, not exported: {why}",
                        path.display()
                    ));
                }
            };
            let value = match parsed {
                Ok(v) => v,
                Err(why) => return malformed(why, &mut summary, &mut warnings),
            };
            match classify(&value) {
                Err(why) => malformed(why, &mut summary, &mut warnings),
                Ok(Record::Header(kind)) => {
                    if kind == "run" {
                        runs.push(value.clone());
                    } else {
                        run_summaries.push(value.clone());
                    }
                }
                Ok(Record::Rows {
                    kind,
                    envelope,
                    elements,
                }) => {
                    let i = *kind_index.entry(kind.to_owned()).or_insert_with(|| {
                        kinds.push(Kind {
                            name: kind.to_owned(),
                            ..Kind::default()
                        });
                        kinds.len() - 1
                    });
                    let k = &mut kinds[i];
                    k.has_stats |= elements.is_some();
                    envelope_leaves(envelope, &mut prefix, &mut |name, v| {
                        k.envelope.add(name, v);
                    });
                    for element in elements.unwrap_or_default() {
                        if let Value::Object(element) = element {
                            prefix.clear();
                            flatten(element, &mut prefix, &mut |name, v| {
                                k.element.add(name, v);
                            });
                        }
                    }
                }
            }
        })?;
        (ended, reader.incomplete)
    };
    if incomplete > 0 {
        warnings.push(format!(
            "{incomplete} changes-only records come before their reader's first keyframe in \
             their run, so they cannot be made whole: not exported"
        ));
    }
    // Byte counts come from the line lengths; the lines are read again in pass 2.
    for w in warnings.drain(..) {
        report(Event::Warning(w));
    }
    for (path, (number, cut)) in config.files.iter().zip(&ended) {
        if let Some(cut) = cut {
            summary.cut += 1;
            report(Event::Warning(match cut {
                Cut::UnfinishedLine { bytes } => format!(
                    "{}:{}: the last line is unfinished ({bytes} bytes, no newline) and is not \
                     exported",
                    path.display(),
                    number + 1
                ),
                Cut::UnfinishedFrame { bytes } => format!(
                    "{}: ends in a zstd frame that is cut short ({bytes} bytes, as a run killed \
                     while writing leaves it): its lines are not exported; the {number} lines \
                     of the complete frames before it are",
                    path.display()
                ),
                Cut::Frame { error, bytes } => format!(
                    "{}: the compressed data does not decode after line {number} ({error}); \
                     the rest of the file is not exported{}",
                    path.display(),
                    if *bytes > 0 {
                        format!(" (nor the {bytes} bytes of the line it interrupts)")
                    } else {
                        String::new()
                    }
                ),
            }));
        }
    }
    let limits: Vec<u64> = ended.iter().map(|(n, _)| *n).collect();

    // Pass 2: rows.
    std::fs::create_dir_all(&config.output).map_err(|e| ExportError::Output {
        path: config.output.clone(),
        source: e.into(),
    })?;
    let catalogue = Catalogue::new();
    let mut tables = Vec::new();
    let mut layouts = Vec::new();
    for kind in &kinds {
        let path = config.output.join(format!("{}.parquet", kind.name));
        let layout = Layout::new(kind, &catalogue);
        let table = Table::create(
            &path,
            Arc::clone(&layout.schema),
            &layout.types,
            layout.partial,
            config.row_group_rows,
        );
        match table {
            Ok(t) => tables.push(t),
            Err(source) => {
                tables.into_iter().for_each(Table::abandon);
                return Err(ExportError::Output { path, source });
            }
        }
        layouts.push(layout);
    }
    let mut failure: Option<(String, WriteError)> = None;
    let second = {
        let mut reader = Reader {
            config,
            report: &mut *report,
            total,
            pass: 2,
            incomplete: 0,
        };
        let mut prefix = String::new();
        reader.each_line(Some(&limits), &mut |_, _, parsed, _| {
            if failure.is_some() {
                return;
            }
            let Ok(value) = parsed else { return };
            let Ok(Record::Rows {
                kind,
                envelope,
                elements,
            }) = classify(&value)
            else {
                return;
            };
            let Some(&i) = kind_index.get(kind) else {
                return;
            };
            let layout = &layouts[i];
            let mut values: Vec<Option<&Value>> = vec![None; layout.types.len()];
            envelope_leaves(envelope, &mut prefix, &mut |name, v| {
                if let Some(&c) = layout.envelope.get(name) {
                    values[c] = Some(v);
                }
            });
            let result = match elements {
                None => tables[i].push(&values),
                Some(elements) => {
                    let mut result = Ok(());
                    for element in elements {
                        let Value::Object(element) = element else {
                            continue;
                        };
                        values[layout.first_element..].fill(None);
                        prefix.clear();
                        flatten(element, &mut prefix, &mut |name, v| {
                            if let Some(&c) = layout.element.get(name) {
                                values[c] = Some(v);
                            }
                        });
                        result = tables[i].push(&values);
                        if result.is_err() {
                            break;
                        }
                    }
                    result
                }
            };
            if let Err(e) = result {
                failure = Some((kinds[i].name.clone(), e));
            }
        })
    };
    let second = match (second, failure) {
        (Err(e), _) => Err(e),
        (Ok(_), Some((kind, source))) => Err(ExportError::Output {
            path: config.output.join(format!("{kind}.parquet")),
            source,
        }),
        (Ok(_), None) => Ok(()),
    };
    if let Err(e) = second {
        tables.into_iter().for_each(Table::abandon);
        return Err(e);
    }
    let (runs_count, summaries_count) = (runs.len(), run_summaries.len());
    let metadata = vec![
        (RUNS_KEY.to_owned(), Value::Array(runs).to_string()),
        (
            RUN_SUMMARIES_KEY.to_owned(),
            Value::Array(run_summaries).to_string(),
        ),
    ];
    summary.runs = runs_count;
    summary.run_summaries = summaries_count;
    let mut tables = tables.into_iter();
    for kind in &kinds {
        let Some(table) = tables.next() else { break };
        summary.misfits += table.misfits;
        let path = config.output.join(format!("{}.parquet", kind.name));
        match table.finish(metadata.clone()) {
            Ok(rows) => summary
                .tables
                .push((format!("{}.parquet", kind.name), rows)),
            Err(source) => {
                tables.for_each(Table::abandon);
                return Err(ExportError::Output { path, source });
            }
        }
    }
    Ok(summary)
}

/// The columns of one record type's file: the envelope's, then the elements' (an element key
/// that an envelope key already names is prefixed with `stats.`).
struct Layout {
    schema: arrow_schema::SchemaRef,
    types: Vec<ColumnType>,
    envelope: HashMap<String, usize>,
    element: HashMap<String, usize>,
    first_element: usize,
    partial: Option<usize>,
}

impl Layout {
    fn new(kind: &Kind, catalogue: &Catalogue) -> Layout {
        let mut fields = Vec::new();
        let mut types = Vec::new();
        let mut envelope = HashMap::new();
        let mut element = HashMap::new();
        let column = |name: &str,
                      column_type: ColumnType,
                      meaning: Option<units::Meaning>,
                      fields: &mut Vec<Field>,
                      types: &mut Vec<ColumnType>| {
            let mut metadata = meaning.map(units::Meaning::metadata).unwrap_or_default();
            if column_type == ColumnType::Json {
                metadata.insert("encoding".to_owned(), "json".to_owned());
            }
            fields.push(Field::new(name, column_type.data_type(), true).with_metadata(metadata));
            types.push(column_type);
        };
        for (name, seen) in kind.envelope.names.iter().zip(&kind.envelope.seen) {
            let mut t = seen.column_type();
            if name == "partial" && t == ColumnType::Scalar(Scalar::Null) {
                t = ColumnType::Scalar(Scalar::Boolean);
            }
            envelope.insert(name.clone(), fields.len());
            column(name, t, catalogue.envelope(name), &mut fields, &mut types);
        }
        // `partial` is written only when true; the column says false for every other record.
        let mut partial = envelope.get("partial").copied();
        if partial.is_none() && kind.has_stats {
            partial = Some(fields.len());
            envelope.insert("partial".to_owned(), fields.len());
            column(
                "partial",
                ColumnType::Scalar(Scalar::Boolean),
                catalogue.envelope("partial"),
                &mut fields,
                &mut types,
            );
        }
        if partial.is_some_and(|p| types[p] != ColumnType::Scalar(Scalar::Boolean)) {
            partial = None;
        }
        let first_element = fields.len();
        for (name, seen) in kind.element.names.iter().zip(&kind.element.seen) {
            let column_name = if envelope.contains_key(name) {
                format!("stats.{name}")
            } else {
                name.clone()
            };
            element.insert(name.clone(), fields.len());
            column(
                &column_name,
                seen.column_type(),
                catalogue.element(&kind.name, name),
                &mut fields,
                &mut types,
            );
        }
        Layout {
            schema: Arc::new(Schema::new(fields)),
            types,
            envelope,
            element,
            first_element,
            partial,
        }
    }
}
