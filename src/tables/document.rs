//! The per-document tables: one row per document and thing counted, written batch
//! by batch while the corpus is analysed.
//!
//! Each table's schema is its function here (`terms`, `frames` ...), fed by a row
//! type. [`DocTable`] is the registry: each table is a variant that knows its
//! schema (its rows for no document) and how to turn analysed documents into
//! rows. The writers run in parallel, one table per task; within a table, rows
//! are built and written [`SLICE_ROWS`] at a time, so a document with millions of
//! hits never has all its rows built at once, and the file does not depend on
//! the thread count. What `govlens merge` reads back of a document's rows is here
//! too ([`read_terms`], [`read_frames`], [`read_unit_frames`]).

use std::time::Instant;

use polars::prelude::*;
use rayon::prelude::*;

use super::{Destination, TableWriter, col, frame, int, ints, strs};
use crate::analyze::stopwords::is_stopword;
use crate::corpus::{DocSpec, Lang, MetaValue};
use crate::document::structure::{Unit, Zone};
use crate::document::{Analysed, Skipped};
use crate::error::Result;
use crate::lexicon::{Auditor, Reason};

/// One row of `documents.parquet`.
#[derive(Debug, Clone)]
pub struct DocumentRow {
    pub doc_id: String,
    pub jurisdiction: String,
    pub lang: Lang,
    pub script: String,
    pub year: Option<i32>,
    pub title: Option<String>,
    pub path: String,
    /// `text`, `markdown`, `html`, `pdf`, `docx` or `odt`.
    pub format: &'static str,
    /// The encoding the file was decoded with.
    pub encoding: &'static str,
    pub sha256: String,
    pub n_bytes: u64,
    pub n_chars: u64,
    pub n_tokens: u64,
    pub n_types: u64,
    pub n_units: u64,
    /// Word tokens in zones not counted (tables of contents, references, notes).
    pub n_tokens_left_out: u64,
    /// Word tokens each zone held, in [`Zone::ALL`] order.
    pub zone_tokens: [u64; Zone::ALL.len()],
    pub extra: Vec<Option<MetaValue>>,
}

impl DocumentRow {
    /// The row of an analysed document.
    pub fn of(doc: &DocSpec, a: &Analysed) -> DocumentRow {
        let (loaded, counts) = (&a.read.loaded, &a.counts);
        DocumentRow {
            doc_id: doc.doc_id.clone(),
            jurisdiction: doc.jurisdiction.clone(),
            lang: a.read.lang,
            script: a.read.script.clone(),
            year: doc.year,
            title: doc.title.clone(),
            path: doc.file.clone(),
            format: loaded.format.as_str(),
            encoding: loaded.encoding,
            sha256: loaded.sha256.clone(),
            n_bytes: loaded.n_bytes,
            n_chars: loaded.text.chars().count() as u64,
            n_tokens: counts.n_tokens,
            n_types: counts.n_types(),
            n_units: counts.units.len() as u64,
            n_tokens_left_out: counts.left_out,
            zone_tokens: counts.zone_tokens,
            extra: doc.extra.clone(),
        }
    }
}

/// One row of `units.parquet`.
pub struct UnitRow<'a> {
    pub doc_id: &'a str,
    pub unit_id: u64,
    pub unit: &'a Unit,
    pub n_tokens: u64,
}

/// One row of `unit_frames.parquet`.
pub struct UnitFrameRow<'a> {
    pub doc_id: &'a str,
    pub unit_id: u64,
    pub frame: &'a str,
    pub count: u64,
}

/// One row of `terms.parquet`.
pub struct TermRow<'a> {
    pub doc_id: &'a str,
    pub term: &'a str,
    pub lang: Lang,
    pub count: u64,
    pub is_stopword: bool,
}

/// One row of `frames.parquet`.
pub struct FrameRow<'a> {
    pub doc_id: &'a str,
    pub frame: &'a str,
    pub term: &'a str,
    pub pattern: &'a str,
    pub count: u64,
}

/// Which of the manifest's extra columns are numbers: those whose values, over
/// every document the corpus lists, are all integers (or empty); the others are
/// text. Decided from the manifest, so `documents.parquet` can be written batch
/// by batch (and a column's type does not depend on which documents could be read).
pub fn extra_column_is_int(docs: &[DocSpec], n_columns: usize) -> Vec<bool> {
    (0..n_columns)
        .map(|k| {
            docs.iter().all(|d| {
                !matches!(
                    d.extra.get(k).and_then(Option::as_ref),
                    Some(MetaValue::Text(_))
                )
            })
        })
        .collect()
}

/// `documents.parquet`, with the manifest's extra columns at the end (typed as
/// [`extra_column_is_int`] says).
pub fn documents(
    rows: &[DocumentRow],
    extra_columns: &[String],
    is_int: &[bool],
) -> Result<DataFrame> {
    let mut columns = vec![
        col("doc_id", rows, |r| r.doc_id.as_str()),
        col("jurisdiction", rows, |r| r.jurisdiction.as_str()),
        col("lang", rows, |r| r.lang.as_str()),
        col("script", rows, |r| r.script.as_str()),
        col("year", rows, |r| r.year),
        col("title", rows, |r| r.title.as_deref()),
        col("path", rows, |r| r.path.as_str()),
        col("format", rows, |r| r.format),
        col("encoding", rows, |r| r.encoding),
        col("sha256", rows, |r| r.sha256.as_str()),
        col("n_bytes", rows, |r| int(r.n_bytes)),
        col("n_chars", rows, |r| int(r.n_chars)),
        col("n_tokens", rows, |r| int(r.n_tokens)),
        col("n_types", rows, |r| int(r.n_types)),
        col("n_units", rows, |r| int(r.n_units)),
        col("n_tokens_left_out", rows, |r| int(r.n_tokens_left_out)),
    ];
    // Tokens per zone other than the body: tokens_toc, tokens_references, …
    for zone in &Zone::ALL[1..] {
        let i = *zone as usize;
        columns.push(col(&format!("tokens_{}", zone.as_str()), rows, |r| {
            int(r.zone_tokens[i])
        }));
    }
    for (k, name) in extra_columns.iter().enumerate() {
        let value = |r: &DocumentRow| r.extra.get(k).cloned().flatten();
        columns.push(if is_int[k] {
            col(name, rows, |r| match value(r) {
                Some(MetaValue::Int(i)) => Some(i),
                _ => None,
            })
        } else {
            col(name, rows, |r| match value(r) {
                Some(MetaValue::Text(s)) => Some(s),
                Some(MetaValue::Int(i)) => Some(i.to_string()),
                None => None,
            })
        });
    }
    frame("documents", columns)
}

/// `errors.parquet` (written even when empty, so notebooks can always read it).
pub fn errors(rows: &[Skipped]) -> Result<DataFrame> {
    frame(
        "errors",
        vec![
            col("doc_id", rows, |r| r.doc_id.as_str()),
            col("path", rows, |r| r.path.as_str()),
            col("kind", rows, |r| r.kind),
            col("message", rows, |r| r.message.as_str()),
        ],
    )
}

/// `terms.parquet`.
pub fn terms(rows: &[TermRow<'_>]) -> Result<DataFrame> {
    frame(
        "terms",
        vec![
            col("doc_id", rows, |r| r.doc_id),
            col("term", rows, |r| r.term),
            col("lang", rows, |r| r.lang.as_str()),
            col("count", rows, |r| int(r.count)),
            col("is_stopword", rows, |r| r.is_stopword),
        ],
    )
}

/// `frames.parquet`.
pub fn frames(rows: &[FrameRow<'_>]) -> Result<DataFrame> {
    frame(
        "frames",
        vec![
            col("doc_id", rows, |r| r.doc_id),
            col("frame", rows, |r| r.frame),
            col("term", rows, |r| r.term),
            col("pattern", rows, |r| r.pattern),
            col("count", rows, |r| int(r.count)),
        ],
    )
}

/// `units.parquet`.
pub fn units(rows: &[UnitRow<'_>]) -> Result<DataFrame> {
    frame(
        "units",
        vec![
            col("doc_id", rows, |r| r.doc_id),
            col("unit_id", rows, |r| int(r.unit_id)),
            col("kind", rows, |r| r.unit.kind.as_str()),
            col("label", rows, |r| r.unit.label.as_str()),
            col("number", rows, |r| r.unit.number),
            col("parent", rows, |r| r.unit.parent.as_deref()),
            col("zone", rows, |r| r.unit.zone.as_str()),
            col("start_byte", rows, |r| int(r.unit.start as u64)),
            col("page", rows, |r| r.unit.page.map(i64::from)),
            col("n_tokens", rows, |r| int(r.n_tokens)),
        ],
    )
}

/// `unit_frames.parquet`.
pub fn unit_frames(rows: &[UnitFrameRow<'_>]) -> Result<DataFrame> {
    frame(
        "unit_frames",
        vec![
            col("doc_id", rows, |r| r.doc_id),
            col("unit_id", rows, |r| int(r.unit_id)),
            col("frame", rows, |r| r.frame),
            col("count", rows, |r| int(r.count)),
        ],
    )
}

/// One row of `kwic.parquet`.
pub struct KwicRow<'a> {
    pub doc_id: &'a str,
    pub frame: &'a str,
    pub hit: &'a crate::document::KwicHit,
    pub unit: &'a str,
    /// The page of the hit, in a paged document (PDF).
    pub page: Option<u32>,
    /// The document's text, which the hit's ranges point into.
    pub text: &'a str,
}

/// `kwic.parquet`.
pub fn kwic(rows: &[KwicRow<'_>]) -> Result<DataFrame> {
    frame(
        "kwic",
        vec![
            col("doc_id", rows, |r| r.doc_id),
            col("frame", rows, |r| r.frame),
            col("term", rows, |r| &*r.hit.term),
            col("left", rows, |r| r.hit.at.left(r.text)),
            col("match", rows, |r| r.hit.at.matched(r.text)),
            col("right", rows, |r| r.hit.at.right(r.text)),
            col("start_byte", rows, |r| int(r.hit.at.start as u64)),
            col("end_byte", rows, |r| int(r.hit.at.end as u64)),
            col("unit_id", rows, |r| int(r.hit.unit as u64)),
            col("unit", rows, |r| r.unit),
            col("page", rows, |r| r.page.map(i64::from)),
        ],
    )
}

/// One row of `names.parquet`.
pub struct NameRow<'a> {
    pub doc_id: &'a str,
    pub name: &'a str,
    pub frame: &'a str,
    pub count: u64,
}

/// `names.parquet`: the names of bodies, laws and programmes that hold a frame's
/// words, per document, and how many of its hits each set aside.
pub fn names(rows: &[NameRow<'_>]) -> Result<DataFrame> {
    frame(
        "names",
        vec![
            col("doc_id", rows, |r| r.doc_id),
            col("name", rows, |r| r.name),
            col("frame", rows, |r| r.frame),
            col("count", rows, |r| int(r.count)),
        ],
    )
}

/// One row of `audit.parquet`.
pub struct AuditRow<'a> {
    pub doc_id: &'a str,
    pub frame: &'a str,
    pub expression: &'a str,
    pub leak: &'a crate::lexicon::Leak,
    /// The page of the occurrence, in a paged document (PDF).
    pub page: Option<u32>,
    /// The document's text, which the leak's ranges point into.
    pub text: &'a str,
}

/// `audit.parquet`: occurrences of frame expressions that were not counted.
pub fn audit(rows: &[AuditRow<'_>]) -> Result<DataFrame> {
    frame(
        "audit",
        vec![
            col("doc_id", rows, |r| r.doc_id),
            col("frame", rows, |r| r.frame),
            col("expression", rows, |r| r.expression),
            col("reason", rows, |r| r.leak.reason.as_str()),
            col("words", rows, |r| &*r.leak.words),
            col("left", rows, |r| r.leak.at.left(r.text)),
            col("match", rows, |r| r.leak.at.matched(r.text)),
            col("right", rows, |r| r.leak.at.right(r.text)),
            col("start_byte", rows, |r| int(r.leak.at.start as u64)),
            col("end_byte", rows, |r| int(r.leak.at.end as u64)),
            col("page", rows, |r| r.page.map(i64::from)),
        ],
    )
}

/// The per-document tables, in the order they are listed in `run.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocTable {
    Terms,
    Frames,
    Units,
    UnitFrames,
    Kwic,
    Audit,
    Names,
}

/// What a table's rows are made from: a batch of analysed documents, with the
/// frame ids and audit expressions their indices point into.
pub struct Batch<'a> {
    pub docs: &'a [(&'a DocSpec, Analysed)],
    pub frame_ids: &'a [String],
    pub auditor: &'a Auditor,
}

impl DocTable {
    pub const ALL: [DocTable; 7] = [
        DocTable::Terms,
        DocTable::Frames,
        DocTable::Units,
        DocTable::UnitFrames,
        DocTable::Kwic,
        DocTable::Audit,
        DocTable::Names,
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
            DocTable::Names => "names",
        }
    }

    /// The table with no rows: its schema.
    pub fn empty(self) -> Result<DataFrame> {
        match self {
            DocTable::Terms => terms(&[]),
            DocTable::Frames => frames(&[]),
            DocTable::Units => units(&[]),
            DocTable::UnitFrames => unit_frames(&[]),
            DocTable::Kwic => kwic(&[]),
            DocTable::Audit => audit(&[]),
            DocTable::Names => names(&[]),
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
                terms,
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
                frames,
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
                units,
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
                unit_frames,
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
                kwic,
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
                    audit,
                )
            }
            DocTable::Names => in_slices(
                writer,
                docs.iter()
                    .flat_map(|(doc, a)| name_rows(&doc.doc_id, a, frame_ids)),
                names,
            ),
        }
    }
}

/// A document's names holding frame expressions, with how often each frame's
/// words were set aside in each, sorted by name and frame.
fn name_rows<'a>(doc_id: &'a str, a: &'a Analysed, frame_ids: &'a [String]) -> Vec<NameRow<'a>> {
    let mut counts: std::collections::BTreeMap<(&str, &str), u64> = Default::default();
    for leak in a.counts.audit.iter().filter(|l| l.reason == Reason::Name) {
        *counts
            .entry((&leak.words, &frame_ids[leak.frame]))
            .or_insert(0) += 1;
    }
    counts
        .into_iter()
        .map(|((name, frame), count)| NameRow {
            doc_id,
            name,
            frame,
            count,
        })
        .collect()
}

/// The per-document tables of a run, each with its writer and the seconds spent
/// building and writing it.
pub struct DocTables {
    writers: Vec<(DocTable, TableWriter, f64)>,
}

impl DocTables {
    /// Starts every table in `dest`, with its schema.
    pub fn create(dest: &Destination) -> Result<DocTables> {
        let writers = DocTable::ALL
            .iter()
            .map(|&t| Ok((t, dest.writer(t.name(), &t.empty()?)?, 0.0)))
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

/// Rows of `terms` read back: (term, count).
pub fn read_terms(rows: &DataFrame) -> Result<impl Iterator<Item = (&str, i64)>> {
    let (terms, counts) = (strs(rows, "term")?, ints(rows, "count")?);
    Ok(terms
        .iter()
        .zip(counts.iter())
        .map(|(t, n)| (t.unwrap_or(""), n.unwrap_or(0))))
}

/// Rows of `frames` read back: (frame, count).
pub fn read_frames(rows: &DataFrame) -> Result<impl Iterator<Item = (&str, i64)>> {
    let (frames, counts) = (strs(rows, "frame")?, ints(rows, "count")?);
    Ok(frames
        .iter()
        .zip(counts.iter())
        .map(|(f, n)| (f.unwrap_or(""), n.unwrap_or(0))))
}

/// Rows of `unit_frames` read back: (unit_id, frame, count).
pub fn read_unit_frames(rows: &DataFrame) -> Result<impl Iterator<Item = (i64, &str, i64)>> {
    let (units, frames) = (ints(rows, "unit_id")?, strs(rows, "frame")?);
    let counts = ints(rows, "count")?;
    Ok(units
        .iter()
        .zip(frames.iter())
        .zip(counts.iter())
        .map(|((u, f), n)| (u.unwrap_or(0), f.unwrap_or(""), n.unwrap_or(0))))
}
