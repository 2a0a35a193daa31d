//! Every table govlens writes: its schema, how its rows are made, where it goes,
//! and how it is read back, in one place that `run`, `merge` and `report` share.
//!
//! - [`document`]: the per-document tables (`documents`, `errors`, `terms`,
//!   `frames`, `units`, `unit_frames`, `kwic`, `audit`), written batch by batch
//!   while the corpus is analysed; their registry is [`document::DocTable`].
//! - [`group`]: the group tables (statistics over all documents), built once the
//!   corpus pass is done; their registry is [`group::GroupTable`].
//! - [`shard`]: what a shard writes for `govlens merge` besides its tables.
//!
//! A table's schema is the DataFrame its function builds from no rows; each
//! function fixes the columns' names and types (the README documents them column
//! by column). Counts are Int64, rates Float64, text UTF-8; key columns are never
//! null. Rows arrive sorted, so the same input gives byte-identical files. Tables
//! go to a [`Destination`]: Parquet files in a run directory, or DataFrames kept
//! in memory for a caller such as a notebook.

pub mod document;
pub mod group;
pub mod shard;

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use polars::prelude::*;

use crate::error::{Error, Result};

pub(crate) fn int(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// A column from one field of each row; `T` is any type polars makes a column of
/// (`&str`, `Option<&str>`, `i64`, `Option<i64>`, `f64`, `bool` ...).
pub(crate) fn col<'a, R, T>(name: &str, rows: &'a [R], field: impl Fn(&'a R) -> T) -> Column
where
    Series: NamedFrom<Vec<T>, [T]>,
{
    Column::new(name.into(), rows.iter().map(field).collect::<Vec<T>>())
}

pub(crate) fn frame(name: &str, columns: Vec<Column>) -> Result<DataFrame> {
    DataFrame::new_infer_height(columns).map_err(|e| Error::Output {
        path: name.into(),
        message: e.to_string(),
    })
}

/// Writes `df` to `path` as zstd-compressed Parquet with column statistics.
pub fn write_parquet(df: &mut DataFrame, path: &Path) -> Result<u64> {
    let file = File::create(path).map_err(|e| Error::io(path, e))?;
    ParquetWriter::new(file)
        .with_compression(ParquetCompression::Zstd(None))
        .finish(df)
        .map_err(|e| Error::Output {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
}

/// Where a command's tables go.
#[derive(Clone)]
pub enum Destination {
    /// Parquet files `NAME.parquet` in this directory (a run's staging directory).
    Dir(PathBuf),
    /// DataFrames kept by name, for a caller that wants them in memory.
    Memory(Arc<Mutex<Kept>>),
}

/// Tables kept in memory.
#[derive(Default, Clone)]
pub struct Kept {
    pub tables: BTreeMap<String, DataFrame>,
    /// The tables written batch by batch (each batch one chunk), which
    /// [`write_chunked`] writes as a run directory holds them.
    pub batched: std::collections::BTreeSet<String>,
}

impl Destination {
    /// Tables kept in memory.
    pub fn memory() -> Destination {
        Destination::Memory(Arc::default())
    }

    fn path(dir: &Path, name: &str) -> PathBuf {
        dir.join(format!("{name}.parquet"))
    }

    /// A table written batch by batch, starting with the schema of `empty` (the
    /// table built from no rows).
    pub fn writer(&self, name: &str, empty: &DataFrame) -> Result<TableWriter> {
        let sink = match self {
            Destination::Dir(dir) => {
                let path = Destination::path(dir, name);
                Sink::File(Box::new(ParquetFile::create(&path, empty)?))
            }
            Destination::Memory(kept) => Sink::Memory {
                kept: Arc::clone(kept),
                batches: vec![empty.clone()],
            },
        };
        Ok(TableWriter {
            name: name.to_string(),
            sink,
            rows: 0,
        })
    }

    /// Writes the whole table `name`; returns its rows.
    pub fn put(&self, name: &str, mut df: DataFrame) -> Result<usize> {
        let rows = df.height();
        match self {
            Destination::Dir(dir) => {
                write_parquet(&mut df, &Destination::path(dir, name))?;
            }
            Destination::Memory(kept) => {
                let mut kept = kept.lock().unwrap_or_else(|e| e.into_inner());
                kept.tables.insert(name.to_string(), df);
            }
        }
        Ok(rows)
    }

    /// The tables kept in memory (none for a directory).
    pub fn into_kept(self) -> Kept {
        match self {
            Destination::Dir(_) => Kept::default(),
            Destination::Memory(kept) => {
                let kept = Arc::try_unwrap(kept).unwrap_or_else(|shared| {
                    Mutex::new(shared.lock().unwrap_or_else(|e| e.into_inner()).clone())
                });
                kept.into_inner().unwrap_or_else(|e| e.into_inner())
            }
        }
    }
}

/// A table written in batches of rows as documents are analysed, so a
/// per-document table never has to be held whole on its way to a file.
pub struct TableWriter {
    name: String,
    sink: Sink,
    rows: usize,
}

enum Sink {
    File(Box<ParquetFile>),
    Memory {
        kept: Arc<Mutex<Kept>>,
        batches: Vec<DataFrame>,
    },
}

impl TableWriter {
    /// Appends the rows of `df` (same schema as at creation).
    pub fn write(&mut self, df: DataFrame) -> Result<()> {
        if df.height() == 0 {
            return Ok(());
        }
        self.rows += df.height();
        match &mut self.sink {
            Sink::File(file) => file.write(df),
            Sink::Memory { batches, .. } => {
                batches.push(df);
                Ok(())
            }
        }
    }

    /// Ends the table; returns the number of rows written.
    pub fn finish(self) -> Result<usize> {
        match self.sink {
            Sink::File(file) => file.finish()?,
            Sink::Memory { kept, batches } => {
                let mut all = DataFrame::empty();
                for (k, batch) in batches.into_iter().enumerate() {
                    if k == 0 {
                        all = batch;
                    } else {
                        all.vstack_mut_owned(batch)
                            .map_err(|e| output_error(Path::new(&self.name), e))?;
                    }
                }
                // Each batch stays one chunk, so the table can be written as the
                // run directory's file ([`write_chunked`]).
                let mut kept = kept.lock().unwrap_or_else(|e| e.into_inner());
                kept.batched.insert(self.name.clone());
                kept.tables.insert(self.name, all);
            }
        }
        Ok(self.rows)
    }
}

/// A Parquet file written batch by batch. Each batch becomes one row group (or
/// several, above 262,144 rows); batches are cut at the same documents whatever
/// the thread count, so the file is the same.
struct ParquetFile {
    path: PathBuf,
    writer: BatchedWriter<File>,
}

impl ParquetFile {
    fn create(path: &Path, empty: &DataFrame) -> Result<ParquetFile> {
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        // Tables are written in parallel with one another and with the analysis,
        // on the run's own pool: polars' pool serialising the columns too would only
        // make the two pools contend for the same cores.
        let writer = ParquetWriter::new(file)
            .with_compression(ParquetCompression::Zstd(None))
            .set_parallel(false)
            .batched(empty.schema())
            .map_err(|e| output_error(path, e))?;
        Ok(ParquetFile {
            path: path.to_path_buf(),
            writer,
        })
    }

    fn write(&mut self, mut df: DataFrame) -> Result<()> {
        df.align_chunks();
        let max = 512 * 512;
        let mut offset = 0;
        while offset < df.height() {
            let part = df.slice(offset as i64, max);
            offset += part.height();
            self.writer
                .write_batch(&part)
                .map_err(|e| output_error(&self.path, e))?;
        }
        Ok(())
    }

    /// Writes the footer.
    fn finish(self) -> Result<()> {
        self.writer
            .finish()
            .map_err(|e| output_error(&self.path, e))?;
        Ok(())
    }
}

fn output_error(path: &Path, e: PolarsError) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Writes a table kept in memory to `path` as a run directory holds it: one
/// written batch by batch ([`Kept::batched`]) a row group per batch (each batch
/// is one chunk), as [`TableWriter`] wrote it; any other whole.
pub fn write_kept(df: &DataFrame, batched: bool, path: &Path) -> Result<()> {
    if !batched {
        write_parquet(&mut df.clone(), path)?;
        return Ok(());
    }
    let mut file = ParquetFile::create(path, &df.clear())?;
    for chunk in df.clone().split_chunks() {
        if chunk.height() > 0 {
            file.write(chunk)?;
        }
    }
    file.finish()
}

/// Reads a Parquet file back (for tests and tools).
pub fn read_parquet(path: &Path) -> Result<DataFrame> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    ParquetReader::new(file)
        .finish()
        .map_err(|e| Error::Output {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
}

/// Rows read at a time from the tables that grow with the corpus.
const READ_SLICE_ROWS: usize = 1 << 16;

/// A table of a run directory read back, its columns by name (for the report
/// and the validation sheets).
pub struct Table {
    df: DataFrame,
}

impl Table {
    /// A small table (one row per group, frame ...), read whole.
    pub fn read(dir: &Path, name: &str) -> Result<Table> {
        Ok(Table {
            df: read_parquet(&dir.join(format!("{name}.parquet")))?,
        })
    }

    /// A table that grows with the corpus (per document or per term), read
    /// [`READ_SLICE_ROWS`] rows of `columns` at a time, so the report's memory does not
    /// grow with the corpus.
    pub fn scan(
        dir: &Path,
        name: &str,
        columns: &[&str],
        mut each: impl FnMut(&Table) -> Result<()>,
    ) -> Result<()> {
        Table::scan_while(dir, name, columns, |t| each(t).map(|()| true))
    }

    /// [`Table::scan`], stopping after the slice for which `each` says `false`.
    pub fn scan_while(
        dir: &Path,
        name: &str,
        columns: &[&str],
        mut each: impl FnMut(&Table) -> Result<bool>,
    ) -> Result<()> {
        use polars::prelude::{ParquetReader, SerReader};
        let path = dir.join(format!("{name}.parquet"));
        let open = || std::fs::File::open(&path).map_err(|e| Error::io(&path, e));
        let fail = |e: polars::prelude::PolarsError| Error::Output {
            path: path.clone(),
            message: e.to_string(),
        };
        let rows = ParquetReader::new(open()?).num_rows().map_err(fail)?;
        let mut offset = 0;
        while offset < rows {
            let df = ParquetReader::new(open()?)
                .with_columns(Some(columns.iter().map(|c| c.to_string()).collect()))
                .with_slice(Some((offset, READ_SLICE_ROWS)))
                .finish()
                .map_err(fail)?;
            offset += READ_SLICE_ROWS;
            if !each(&Table { df })? {
                break;
            }
        }
        Ok(())
    }

    pub fn height(&self) -> usize {
        self.df.height()
    }

    fn column(&self, name: &str) -> Result<polars::prelude::Series> {
        let c = self
            .df
            .column(name)
            .map_err(|e| output_error(Path::new(name), e))?;
        Ok(c.as_materialized_series().clone())
    }

    /// Calls `f` with each row's values of the text `columns`, borrowed from the
    /// table (a null as "").
    pub fn each_row(&self, columns: &[&str], mut f: impl FnMut(&[&str])) -> Result<()> {
        let series: Vec<polars::prelude::Series> = columns
            .iter()
            .map(|name| self.column(name))
            .collect::<Result<_>>()?;
        let cas = series
            .iter()
            .zip(columns)
            .map(|(s, name)| s.str().map_err(|e| output_error(Path::new(name), e)))
            .collect::<Result<Vec<_>>>()?;
        let mut iters: Vec<_> = cas.iter().map(|ca| ca.iter()).collect();
        let mut row: Vec<&str> = Vec::with_capacity(columns.len());
        for _ in 0..self.height() {
            row.clear();
            row.extend(iters.iter_mut().map(|it| it.next().flatten().unwrap_or("")));
            f(&row);
        }
        Ok(())
    }

    pub fn strs(&self, name: &str) -> Result<Vec<String>> {
        let s = self.column(name)?;
        let s = s.str().map_err(|e| output_error(Path::new(name), e))?;
        Ok(s.iter().map(|v| v.unwrap_or("").to_string()).collect())
    }

    /// A column of any type as text (a year as `2021`), nulls as `None`.
    pub fn texts(&self, name: &str) -> Result<Vec<Option<String>>> {
        let s = self
            .column(name)?
            .cast(&DataType::String)
            .map_err(|e| output_error(Path::new(name), e))?;
        let s = s.str().map_err(|e| output_error(Path::new(name), e))?;
        Ok(s.iter()
            .map(|v| v.filter(|v| !v.is_empty()).map(str::to_string))
            .collect())
    }

    pub fn floats(&self, name: &str) -> Result<Vec<Option<f64>>> {
        let s = self
            .column(name)?
            .cast(&DataType::Float64)
            .map_err(|e| output_error(Path::new(name), e))?;
        let s = s.f64().map_err(|e| output_error(Path::new(name), e))?;
        Ok(s.iter().collect())
    }

    /// A Boolean column (a null as false).
    pub fn bools(&self, name: &str) -> Result<Vec<bool>> {
        let s = self.column(name)?;
        let s = s.bool().map_err(|e| output_error(Path::new(name), e))?;
        Ok(s.iter().map(|b| b.unwrap_or(false)).collect())
    }

    pub fn ints(&self, name: &str) -> Result<Vec<i64>> {
        Ok(self
            .floats(name)?
            .into_iter()
            .map(|v| v.unwrap_or(0.0) as i64)
            .collect())
    }
}

/// The text column `name` of `df`.
pub(crate) fn strs<'a>(df: &'a DataFrame, name: &str) -> Result<&'a StringChunked> {
    let fail = |e| output_error(Path::new(name), e);
    df.column(name)
        .map_err(fail)?
        .as_materialized_series()
        .str()
        .map_err(fail)
}

/// The Float64 column `name` of `df`.
pub(crate) fn floats<'a>(df: &'a DataFrame, name: &str) -> Result<&'a Float64Chunked> {
    let fail = |e| output_error(Path::new(name), e);
    df.column(name)
        .map_err(fail)?
        .as_materialized_series()
        .f64()
        .map_err(fail)
}

/// The Int64 column `name` of `df`.
pub(crate) fn ints<'a>(df: &'a DataFrame, name: &str) -> Result<&'a Int64Chunked> {
    let fail = |e| output_error(Path::new(name), e);
    df.column(name)
        .map_err(fail)?
        .as_materialized_series()
        .i64()
        .map_err(fail)
}

/// Rows and seconds per table written.
#[derive(Default)]
pub struct TableLog {
    pub rows: BTreeMap<&'static str, usize>,
    pub secs: BTreeMap<&'static str, f64>,
}

impl TableLog {
    /// Builds the table `name` and writes it to `dest`.
    pub fn write(
        &mut self,
        dest: &Destination,
        name: &'static str,
        build: impl FnOnce() -> Result<DataFrame>,
    ) -> Result<()> {
        let t = Instant::now();
        let rows = dest.put(name, build()?)?;
        self.rows.insert(name, rows);
        *self.secs.entry(name).or_insert(0.0) += t.elapsed().as_secs_f64();
        Ok(())
    }
}
