//! Per-document tables of the shards read back in the whole corpus' doc_id order,
//! a slice at a time.
//!
//! Each shard's table holds its documents' rows in doc_id order, so the merged
//! table is a k-way merge: for every document, in the corpus' order, the rows at
//! the head of its shard's [`Cursor`] that carry its doc_id. Memory is a slice of
//! rows per shard, whatever the size of the tables.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::tables::{Destination, TableWriter};

/// Rows read from a shard's table at a time.
const SLICE_ROWS: usize = 1 << 16;

/// Rows gathered before they are written as one batch.
const WRITE_ROWS: usize = 1 << 17;

pub fn polars_error(path: &Path, e: PolarsError) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// A shard's table, read from the front.
pub struct Cursor {
    path: PathBuf,
    rows: usize,
    next: usize,
    slice: DataFrame,
    ids: StringChunked,
    at: usize,
}

impl Cursor {
    pub fn open(path: &Path) -> Result<Cursor> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let rows = ParquetReader::new(file)
            .num_rows()
            .map_err(|e| polars_error(path, e))?;
        Ok(Cursor {
            path: path.to_path_buf(),
            rows,
            next: 0,
            slice: DataFrame::empty(),
            ids: StringChunked::default(),
            at: 0,
        })
    }

    /// Reads the next slice; false at the end of the table.
    fn load(&mut self) -> Result<bool> {
        if self.next >= self.rows {
            return Ok(false);
        }
        let file = std::fs::File::open(&self.path).map_err(|e| Error::io(&self.path, e))?;
        let fail = |e| polars_error(&self.path, e);
        let mut df = ParquetReader::new(file)
            .with_slice(Some((self.next, SLICE_ROWS)))
            .finish()
            .map_err(fail)?;
        df.align_chunks();
        self.next += df.height().max(1);
        let ids = df.column("doc_id").map_err(fail)?;
        self.ids = ids
            .as_materialized_series()
            .str()
            .map_err(fail)?
            .rechunk()
            .into_owned();
        self.slice = df;
        self.at = 0;
        Ok(true)
    }

    /// Appends to `out` the rows of `doc_id` at the front (none when the front
    /// rows are another document's).
    pub fn take(&mut self, doc_id: &str, out: &mut Vec<DataFrame>) -> Result<()> {
        loop {
            if self.at == self.slice.height() && !self.load()? {
                return Ok(());
            }
            let start = self.at;
            while self.at < self.slice.height() && self.ids.get(self.at) == Some(doc_id) {
                self.at += 1;
            }
            if self.at > start {
                out.push(self.slice.slice(start as i64, self.at - start));
            }
            if self.at < self.slice.height() {
                return Ok(());
            }
        }
    }

    /// Fails when rows are left: they belong to no document of the shard, or are
    /// out of doc_id order.
    pub fn finish(mut self) -> Result<()> {
        if self.at == self.slice.height() && !self.load()? {
            return Ok(());
        }
        Err(Error::Invalid(format!(
            "{} has rows of document {:?} where its documents.parquet has none (or its \
             rows are not in doc_id order): the shard's files do not belong together",
            self.path.display(),
            self.ids.get(self.at).unwrap_or("")
        )))
    }
}

/// A merged table being written: rows gathered and written in batches.
pub struct Merged {
    writer: TableWriter,
    pending: Vec<DataFrame>,
    pending_rows: usize,
    path: PathBuf,
}

impl Merged {
    /// Starts the table at `path` with the schema of `empty`.
    /// Starts the table `name` in `dest`, with the schema of `empty`.
    pub fn create(dest: &Destination, name: &str, empty: &DataFrame) -> Result<Merged> {
        let path = match dest {
            Destination::Dir(dir) => dir.join(format!("{name}.parquet")),
            Destination::Memory(_) => PathBuf::from(name),
        };
        Ok(Merged {
            writer: dest.writer(name, empty)?,
            pending: Vec::new(),
            pending_rows: 0,
            path,
        })
    }

    pub fn push(&mut self, pieces: &mut Vec<DataFrame>) -> Result<()> {
        for p in pieces.drain(..) {
            self.pending_rows += p.height();
            self.pending.push(p);
        }
        if self.pending_rows >= WRITE_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        let mut parts = std::mem::take(&mut self.pending).into_iter();
        self.pending_rows = 0;
        let Some(mut df) = parts.next() else {
            return Ok(());
        };
        for p in parts {
            df.vstack_mut(&p).map_err(|e| polars_error(&self.path, e))?;
        }
        self.writer.write(df)
    }

    /// Writes what is left and the footer; returns the rows written.
    pub fn finish(mut self) -> Result<usize> {
        self.flush()?;
        self.writer.finish()
    }
}
