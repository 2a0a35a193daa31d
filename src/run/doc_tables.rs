//! The per-document tables: one row per document and thing counted, written batch
//! by batch while the corpus is analysed.
//!
//! [`DocTable`] is the registry: each table is a variant that knows its schema
//! (its rows for no document) and how to turn analysed documents into rows. The
//! writers run in parallel, one table per task; within a table, rows are built and
//! written [`SLICE_ROWS`] at a time, so a document with millions of hits never has
//! all its rows built at once, and the file does not depend on the thread count.

use std::time::Instant;

use polars::prelude::DataFrame;
use rayon::prelude::*;

use crate::analyze::stopwords::is_stopword;
use crate::corpus::DocSpec;
use crate::document::Analysed;
use crate::error::Result;
use crate::lexicon::Auditor;
use crate::output::StagedDir;
use crate::table::{
    self, AuditRow, FrameRow, KwicRow, TableWriter, TermRow, UnitFrameRow, UnitRow,
};

/// The per-document tables, in the order they are listed in `run.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocTable {
    Terms,
    Frames,
    Units,
    UnitFrames,
    Kwic,
    Audit,
}

/// What a table's rows are made from: a batch of analysed documents, with the
/// frame ids and audit expressions their indices point into.
pub struct Batch<'a> {
    pub docs: &'a [(&'a DocSpec, Analysed)],
    pub frame_ids: &'a [String],
    pub auditor: &'a Auditor,
}

impl DocTable {
    pub const ALL: [DocTable; 6] = [
        DocTable::Terms,
        DocTable::Frames,
        DocTable::Units,
        DocTable::UnitFrames,
        DocTable::Kwic,
        DocTable::Audit,
    ];

    /// The table's name: its file is `NAME.parquet`.
    pub fn name(self) -> &'static str {
        match self {
            DocTable::Terms => "terms",
            DocTable::Frames => "frames",
            DocTable::Units => "units",
            DocTable::UnitFrames => "unit_frames",
            DocTable::Kwic => "kwic",
            DocTable::Audit => "audit",
        }
    }

    /// The table with no rows: its schema.
    pub fn empty(self) -> Result<DataFrame> {
        match self {
            DocTable::Terms => table::terms(&[]),
            DocTable::Frames => table::frames(&[]),
            DocTable::Units => table::units(&[]),
            DocTable::UnitFrames => table::unit_frames(&[]),
            DocTable::Kwic => table::kwic(&[]),
            DocTable::Audit => table::audit(&[]),
        }
    }

    /// Writes the table's rows for `batch`.
    fn write_rows(self, batch: &Batch<'_>, writer: &mut TableWriter) -> Result<()> {
        let (docs, frame_ids) = (batch.docs, batch.frame_ids);
        match self {
            DocTable::Terms => in_slices(
                writer,
                docs.iter().flat_map(|(doc, a)| {
                    a.counts.terms.iter().map(|(term, count)| TermRow {
                        doc_id: &doc.doc_id,
                        term,
                        lang: a.read.lang,
                        count,
                        is_stopword: is_stopword(term),
                    })
                }),
                table::terms,
            ),
            DocTable::Frames => in_slices(
                writer,
                docs.iter().flat_map(|(doc, a)| {
                    a.counts.frames.iter().map(|f| FrameRow {
                        doc_id: &doc.doc_id,
                        frame: &frame_ids[f.frame],
                        term: &f.term,
                        pattern: &f.pattern,
                        count: f.count,
                    })
                }),
                table::frames,
            ),
            DocTable::Units => in_slices(
                writer,
                docs.iter().flat_map(|(doc, a)| {
                    let units = a.counts.units.iter().zip(&a.counts.unit_tokens);
                    units.enumerate().map(|(i, (unit, &n_tokens))| UnitRow {
                        doc_id: &doc.doc_id,
                        unit_id: i as u64,
                        unit,
                        n_tokens,
                    })
                }),
                table::units,
            ),
            DocTable::UnitFrames => in_slices(
                writer,
                docs.iter().flat_map(|(doc, a)| {
                    let unit_frames = a.counts.unit_frames.iter();
                    unit_frames.map(|&(unit, frame, count)| UnitFrameRow {
                        doc_id: &doc.doc_id,
                        unit_id: unit as u64,
                        frame: &frame_ids[frame],
                        count,
                    })
                }),
                table::unit_frames,
            ),
            DocTable::Kwic => in_slices(
                writer,
                docs.iter().flat_map(|(doc, a)| {
                    a.counts.kwic.iter().map(|hit| KwicRow {
                        doc_id: &doc.doc_id,
                        frame: &frame_ids[hit.frame],
                        hit,
                        unit: &a.counts.units[hit.unit].label,
                        page: a.counts.units[hit.unit].page,
                        text: a.read.text(),
                    })
                }),
                table::kwic,
            ),
            DocTable::Audit => {
                let needles = batch.auditor.needles();
                in_slices(
                    writer,
                    docs.iter().flat_map(|(doc, a)| {
                        a.counts.audit.iter().map(|leak| AuditRow {
                            doc_id: &doc.doc_id,
                            frame: &frame_ids[leak.frame],
                            expression: &needles[leak.needle].expression,
                            leak,
                            page: a.read.loaded.layout.page_at(leak.at.start),
                            text: a.read.text(),
                        })
                    }),
                    table::audit,
                )
            }
        }
    }
}

/// The per-document tables of a run, each with its writer and the seconds spent
/// building and writing it.
pub struct DocTables {
    writers: Vec<(DocTable, TableWriter, f64)>,
}

impl DocTables {
    /// Creates every table's file in `staged`, with its schema.
    pub fn create(staged: &StagedDir) -> Result<DocTables> {
        let writers = DocTable::ALL
            .iter()
            .map(|&t| {
                let path = staged.file(&format!("{}.parquet", t.name()));
                Ok((t, TableWriter::create(&path, &t.empty()?)?, 0.0))
            })
            .collect::<Result<_>>()?;
        Ok(DocTables { writers })
    }

    /// Writes every table's rows for `batch` (in parallel, one table per task).
    pub fn write(&mut self, batch: &Batch<'_>) -> Result<()> {
        self.writers
            .par_iter_mut()
            .map(|(t, writer, secs)| {
                let started = Instant::now();
                t.write_rows(batch, writer)?;
                *secs += started.elapsed().as_secs_f64();
                Ok(())
            })
            .collect()
    }

    /// (table, rows, seconds) of each table, once all are written.
    pub fn finish(self) -> Result<Vec<(&'static str, usize, f64)>> {
        self.writers
            .into_iter()
            .map(|(t, writer, secs)| Ok((t.name(), writer.finish()?, secs)))
            .collect()
    }
}

/// Rows of a per-document table built and written at a time.
const SLICE_ROWS: usize = 1 << 17;

/// Builds and writes `rows` a slice of [`SLICE_ROWS`] at a time. Slices are cut
/// by row count alone, so the file does not depend on the thread count.
fn in_slices<R>(
    writer: &mut TableWriter,
    rows: impl Iterator<Item = R>,
    build: impl Fn(&[R]) -> Result<DataFrame>,
) -> Result<()> {
    let mut slice = Vec::with_capacity(1024);
    for row in rows {
        slice.push(row);
        if slice.len() == SLICE_ROWS {
            writer.write(build(&slice)?)?;
            slice.clear();
        }
    }
    if !slice.is_empty() {
        writer.write(build(&slice)?)?;
    }
    Ok(())
}
