//! One Parquet file per record type, written in batches of rows as the input is read: a
//! column builder per column, a batch handed to the Parquet writer every [`BATCH_ROWS`] rows,
//! and a row group closed when it reaches the configured rows or [`ROW_GROUP_BYTES`] of encoded
//! data, so memory stays bounded whatever the input's size.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{
    ArrayBuilder, BooleanBuilder, Float64Builder, Int64Builder, ListBuilder, NullBuilder,
    StringBuilder, UInt64Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{ArrowError, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::errors::ParquetError;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use serde_json::Value;

use super::schema::{ColumnType, Scalar};

/// Rows per batch handed to the Parquet writer.
pub const BATCH_ROWS: usize = 8192;
/// A row group is closed when its encoded data reaches this size.
pub const ROW_GROUP_BYTES: usize = 32 << 20;

/// A column being filled.
enum Builder {
    Null(NullBuilder),
    Boolean(BooleanBuilder),
    UInt64(UInt64Builder),
    Int64(Int64Builder),
    Float64(Float64Builder),
    Utf8(StringBuilder),
    ListBoolean(ListBuilder<BooleanBuilder>),
    ListUInt64(ListBuilder<UInt64Builder>),
    ListInt64(ListBuilder<Int64Builder>),
    ListFloat64(ListBuilder<Float64Builder>),
    ListUtf8(ListBuilder<StringBuilder>),
    Json(StringBuilder),
}

/// A value's JSON text, for `Utf8` columns of mixed types and lists kept as JSON.
fn json_text(value: &Value) -> String {
    value.to_string()
}

fn append_bool(b: &mut BooleanBuilder, v: &Value) -> bool {
    b.append_option(v.as_bool());
    v.is_null() || v.is_boolean()
}
fn append_u64(b: &mut UInt64Builder, v: &Value) -> bool {
    b.append_option(v.as_u64());
    v.is_null() || v.is_u64()
}
fn append_i64(b: &mut Int64Builder, v: &Value) -> bool {
    b.append_option(v.as_i64());
    v.is_null() || v.is_i64()
}
fn append_f64(b: &mut Float64Builder, v: &Value) -> bool {
    b.append_option(v.as_f64());
    v.is_null() || v.is_number()
}
fn append_str(b: &mut StringBuilder, v: &Value) -> bool {
    match v {
        Value::Null => b.append_null(),
        Value::String(s) => b.append_value(s),
        other => b.append_value(json_text(other)),
    }
    true
}

macro_rules! append_list {
    ($builder:expr, $value:expr, $append:ident) => {{
        match $value {
            Value::Array(items) => {
                let mut fits = true;
                for item in items {
                    fits &= $append($builder.values(), item);
                }
                $builder.append(true);
                fits
            }
            Value::Null => {
                $builder.append(false);
                true
            }
            _ => {
                $builder.append(false);
                false
            }
        }
    }};
}

impl Builder {
    fn new(column: ColumnType, capacity: usize) -> Builder {
        match column {
            ColumnType::Scalar(Scalar::Null) => Builder::Null(NullBuilder::new()),
            ColumnType::Scalar(Scalar::Boolean) => {
                Builder::Boolean(BooleanBuilder::with_capacity(capacity))
            }
            ColumnType::Scalar(Scalar::UInt64) => {
                Builder::UInt64(UInt64Builder::with_capacity(capacity))
            }
            ColumnType::Scalar(Scalar::Int64) => {
                Builder::Int64(Int64Builder::with_capacity(capacity))
            }
            ColumnType::Scalar(Scalar::Float64) => {
                Builder::Float64(Float64Builder::with_capacity(capacity))
            }
            ColumnType::Scalar(Scalar::Utf8) => Builder::Utf8(StringBuilder::new()),
            ColumnType::List(Scalar::Boolean) => {
                Builder::ListBoolean(ListBuilder::new(BooleanBuilder::new()))
            }
            ColumnType::List(Scalar::UInt64) => {
                Builder::ListUInt64(ListBuilder::new(UInt64Builder::new()))
            }
            ColumnType::List(Scalar::Int64) => {
                Builder::ListInt64(ListBuilder::new(Int64Builder::new()))
            }
            ColumnType::List(Scalar::Float64) => {
                Builder::ListFloat64(ListBuilder::new(Float64Builder::new()))
            }
            ColumnType::List(Scalar::Utf8 | Scalar::Null) => {
                Builder::ListUtf8(ListBuilder::new(StringBuilder::new()))
            }
            ColumnType::Json => Builder::Json(StringBuilder::new()),
        }
    }

    /// Append `value` (`None`: the key is absent); false when it does not fit the column's
    /// type (the input changed between the passes), in which case a null is appended.
    fn append(&mut self, value: Option<&Value>) -> bool {
        let v = value.unwrap_or(&Value::Null);
        match self {
            Builder::Null(b) => {
                b.append_null();
                v.is_null()
            }
            Builder::Boolean(b) => append_bool(b, v),
            Builder::UInt64(b) => append_u64(b, v),
            Builder::Int64(b) => append_i64(b, v),
            Builder::Float64(b) => append_f64(b, v),
            Builder::Utf8(b) => append_str(b, v),
            Builder::ListBoolean(b) => append_list!(b, v, append_bool),
            Builder::ListUInt64(b) => append_list!(b, v, append_u64),
            Builder::ListInt64(b) => append_list!(b, v, append_i64),
            Builder::ListFloat64(b) => append_list!(b, v, append_f64),
            Builder::ListUtf8(b) => append_list!(b, v, append_str),
            Builder::Json(b) => {
                if v.is_null() {
                    b.append_null();
                } else {
                    b.append_value(json_text(v));
                }
                true
            }
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Null(b) => Arc::new(b.finish()),
            Builder::Boolean(b) => Arc::new(b.finish()),
            Builder::UInt64(b) => Arc::new(b.finish()),
            Builder::Int64(b) => Arc::new(b.finish()),
            Builder::Float64(b) => Arc::new(b.finish()),
            Builder::Utf8(b) | Builder::Json(b) => Arc::new(b.finish()),
            Builder::ListBoolean(b) => Arc::new(b.finish()),
            Builder::ListUInt64(b) => Arc::new(b.finish()),
            Builder::ListInt64(b) => Arc::new(b.finish()),
            Builder::ListFloat64(b) => Arc::new(b.finish()),
            Builder::ListUtf8(b) => Arc::new(b.finish()),
        }
    }

    fn len(&self) -> usize {
        match self {
            Builder::Null(b) => b.len(),
            Builder::Boolean(b) => b.len(),
            Builder::UInt64(b) => b.len(),
            Builder::Int64(b) => b.len(),
            Builder::Float64(b) => b.len(),
            Builder::Utf8(b) | Builder::Json(b) => b.len(),
            Builder::ListBoolean(b) => b.len(),
            Builder::ListUInt64(b) => b.len(),
            Builder::ListInt64(b) => b.len(),
            Builder::ListFloat64(b) => b.len(),
            Builder::ListUtf8(b) => b.len(),
        }
    }
}

/// Why a Parquet file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The Parquet writer.
    #[error("{0}")]
    Parquet(#[from] ParquetError),
    /// Building a batch.
    #[error("{0}")]
    Arrow(#[from] ArrowError),
}

/// One record type's Parquet file, written under a temporary name and renamed into place
/// when complete, so a failed export leaves no file that looks whole.
pub struct Table {
    schema: SchemaRef,
    builders: Vec<Builder>,
    /// Whose value is `false` when absent (the envelope's `partial`).
    false_when_absent: Option<usize>,
    writer: ArrowWriter<BufWriter<File>>,
    temporary: PathBuf,
    path: PathBuf,
    /// Rows written.
    pub rows: u64,
    /// Values that did not fit their column's type (written as null).
    pub misfits: u64,
}

impl Table {
    /// Create the file `path` (under a temporary name until [`Table::finish`]).
    pub fn create(
        path: &Path,
        schema: SchemaRef,
        columns: &[ColumnType],
        false_when_absent: Option<usize>,
        row_group_rows: usize,
    ) -> Result<Table, WriteError> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temporary = path.with_file_name(format!(".{name}.partial"));
        let file = File::create(&temporary)?;
        let properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
            .set_max_row_group_row_count(Some(row_group_rows.max(1)))
            .set_max_row_group_bytes(Some(ROW_GROUP_BYTES))
            .build();
        let writer = ArrowWriter::try_new(
            BufWriter::with_capacity(1 << 20, file),
            Arc::clone(&schema),
            Some(properties),
        )?;
        Ok(Table {
            builders: columns
                .iter()
                .map(|c| Builder::new(*c, BATCH_ROWS))
                .collect(),
            schema,
            false_when_absent,
            writer,
            temporary,
            path: path.to_owned(),
            rows: 0,
            misfits: 0,
        })
    }

    /// Append one row: `values[i]` for column `i` (`None`: absent).
    pub fn push(&mut self, values: &[Option<&Value>]) -> Result<(), WriteError> {
        for (i, (builder, value)) in self.builders.iter_mut().zip(values).enumerate() {
            let value = match value {
                None if self.false_when_absent == Some(i) => Some(&Value::Bool(false)),
                v => *v,
            };
            if !builder.append(value) {
                self.misfits += 1;
            }
        }
        self.rows += 1;
        if self.builders.first().map_or(0, Builder::len) >= BATCH_ROWS {
            self.write_batch()?;
        }
        Ok(())
    }

    fn write_batch(&mut self) -> Result<(), WriteError> {
        if self.builders.first().map_or(0, Builder::len) == 0 {
            return Ok(());
        }
        let columns: Vec<ArrayRef> = self.builders.iter_mut().map(Builder::finish).collect();
        let batch = RecordBatch::try_new(Arc::clone(&self.schema), columns)?;
        self.writer.write(&batch)?;
        if self.writer.in_progress_size() >= ROW_GROUP_BYTES {
            self.writer.flush()?;
        }
        Ok(())
    }

    /// Write what is left, the file metadata, and move the file into place.
    pub fn finish(mut self, metadata: Vec<(String, String)>) -> Result<u64, WriteError> {
        self.write_batch()?;
        for (key, value) in metadata {
            self.writer
                .append_key_value_metadata(KeyValue::new(key, value));
        }
        let out = self.writer.into_inner()?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&self.temporary, &self.path)?;
        Ok(self.rows)
    }

    /// Remove the unfinished file.
    pub fn abandon(self) {
        let _ = std::fs::remove_file(&self.temporary);
    }
}
