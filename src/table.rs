//! Typed rows into polars DataFrames, and Parquet files.
//!
//! Each output table has one function here that fixes its columns and types, so the
//! schema lives in one place (and the README documents it column by column).
//! Counts are Int64, rates Float64, text UTF-8; key columns are never null. Rows
//! arrive sorted, so the same input gives byte-identical files.

use std::fs::File;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::corpus::{DocSpec, Lang, MetaValue};
use crate::document::structure::{Unit, Zone};
use crate::document::{Analysed, Skipped};
use crate::error::{Error, Result};
use crate::stats::ca::CaRow;
use crate::stats::collocations::CollocationRow;
use crate::stats::divergence::DivergenceRow;
use crate::stats::groups::FrameTrend;
use crate::stats::keyness::KeyRow;
use crate::stats::keywords::KeywordRow;
use crate::stats::ngrams::NgramRow;
use crate::stats::profile::{GroupedDoc, Vocab};
use crate::stats::similarity::Neighbour;
use crate::stats::wordfish::{Fitted, WordfishRow};
use crate::stats::{FrameRate, GroupTerm};
use crate::versions::{CellRow, FrameAgreement};

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
    pub zone_tokens: [u64; 5],
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

fn int(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// A column from one field of each row; `T` is any type polars makes a column of
/// (`&str`, `Option<&str>`, `i64`, `Option<i64>`, `f64`, `bool` ...).
fn col<'a, R, T>(name: &str, rows: &'a [R], field: impl Fn(&'a R) -> T) -> Column
where
    Series: NamedFrom<Vec<T>, [T]>,
{
    Column::new(name.into(), rows.iter().map(field).collect::<Vec<T>>())
}

fn frame(name: &str, columns: Vec<Column>) -> Result<DataFrame> {
    DataFrame::new_infer_height(columns).map_err(|e| Error::Output {
        path: name.into(),
        message: e.to_string(),
    })
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
        col("tokens_toc", rows, |r| {
            int(r.zone_tokens[Zone::Toc as usize])
        }),
        col("tokens_references", rows, |r| {
            int(r.zone_tokens[Zone::References as usize])
        }),
        col("tokens_footnotes", rows, |r| {
            int(r.zone_tokens[Zone::Footnotes as usize])
        }),
        col("tokens_annex", rows, |r| {
            int(r.zone_tokens[Zone::Annex as usize])
        }),
    ];
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

/// `group_terms.parquet`; terms are named by the run's vocabulary.
pub fn group_terms(rows: &[GroupTerm], vocab: &Vocab) -> Result<DataFrame> {
    frame(
        "group_terms",
        vec![
            col("group", rows, |r| r.group.as_str()),
            col("term", rows, |r| vocab.term(r.term)),
            col("lang", rows, |r| r.lang.as_str()),
            col("count", rows, |r| int(r.count)),
            col("docs", rows, |r| int(r.docs)),
            col("rate_per_10k", rows, |r| r.rate_per_10k),
            col("is_stopword", rows, |r| r.is_stopword),
        ],
    )
}

/// `similarity.parquet`; documents named by their profiles.
pub fn similarity(rows: &[Neighbour], docs: &[GroupedDoc]) -> Result<DataFrame> {
    let id = |i: u32| docs[i as usize].doc_id.as_str();
    frame(
        "similarity",
        vec![
            col("doc_id", rows, |r| id(r.doc)),
            col("method", rows, |r| r.method),
            col("rank", rows, |r| int(u64::from(r.rank))),
            col("neighbour", rows, |r| id(r.neighbour)),
            col("score", rows, |r| r.score),
        ],
    )
}

/// `wordfish.parquet` (empty without a fit); documents named by their profiles,
/// words by the vocabulary. The fit's own values are repeated on every row.
pub fn wordfish(fitted: Option<&Fitted>, docs: &[GroupedDoc], vocab: &Vocab) -> Result<DataFrame> {
    let rows = fitted.map_or(&[][..], |f| &f.rows);
    // Called only for rows, which come from a fit.
    let fit = |_: &WordfishRow| fitted.expect("rows come from a fit");
    let name = |r: &WordfishRow| match r.kind {
        "document" => docs[r.id as usize].doc_id.as_str(),
        _ => vocab.term(r.id),
    };
    frame(
        "wordfish",
        vec![
            col("lang", rows, |r| fit(r).lang.as_str()),
            col("kind", rows, |r| r.kind),
            col("name", rows, name),
            col("estimate", rows, |r| r.estimate),
            col("ci_low", rows, |r| r.ci_low),
            col("ci_high", rows, |r| r.ci_high),
            col("intercept", rows, |r| r.intercept),
            col("count", rows, |r| int(r.count)),
            col("log_likelihood", rows, |r| fit(r).log_likelihood),
            col("iterations", rows, |r| int(fit(r).iterations as u64)),
            col("converged", rows, |r| fit(r).converged),
            col("direction", rows, |r| fit(r).direction.as_str()),
        ],
    )
}

/// `ca.parquet`.
pub fn ca(rows: &[CaRow<'_>]) -> Result<DataFrame> {
    frame(
        "ca",
        vec![
            col("table", rows, |r| r.table),
            col("lang", rows, |r| r.lang.as_str()),
            col("kind", rows, |r| r.kind),
            col("point", rows, |r| r.point),
            col("dim", rows, |r| int(r.dim)),
            col("coordinate", rows, |r| r.coordinate),
            col("mass", rows, |r| r.mass),
            col("inertia", rows, |r| r.inertia),
            col("inertia_share", rows, |r| r.inertia_share),
        ],
    )
}

/// `ngrams.parquet`.
pub fn ngrams(rows: &[NgramRow<'_>]) -> Result<DataFrame> {
    frame(
        "ngrams",
        vec![
            col("group", rows, |r| r.group),
            col("lang", rows, |r| r.lang.as_str()),
            col("n", rows, |r| int(r.n)),
            col("ngram", rows, |r| r.ngram),
            col("count", rows, |r| int(r.count)),
            col("docs", rows, |r| int(r.docs)),
            col("rate_per_10k", rows, |r| r.rate_per_10k),
            col("stopword_edge", rows, |r| r.stopword_edge),
        ],
    )
}

/// A shard's n-gram totals, before the minimum count (`shard/ngrams.parquet`).
pub fn shard_ngrams(rows: &[(&str, Lang, &str, u64, u64)]) -> Result<DataFrame> {
    frame(
        "shard/ngrams",
        vec![
            col("group", rows, |r| r.0),
            col("lang", rows, |r| r.1.as_str()),
            col("ngram", rows, |r| r.2),
            col("count", rows, |r| int(r.3)),
            col("docs", rows, |r| int(r.4)),
        ],
    )
}

/// `keywords.parquet`; documents named by their profiles, terms by the vocabulary.
pub fn keywords(rows: &[KeywordRow], docs: &[GroupedDoc], vocab: &Vocab) -> Result<DataFrame> {
    frame(
        "keywords",
        vec![
            col("doc_id", rows, |r| docs[r.doc as usize].doc_id.as_str()),
            col("method", rows, |r| r.method.name()),
            col("rank", rows, |r| int(u64::from(r.rank))),
            col("term", rows, |r| vocab.term(r.term)),
            col("score", rows, |r| r.score),
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

/// `frame_rates.parquet`.
pub fn frame_rates(rows: &[FrameRate]) -> Result<DataFrame> {
    frame(
        "frame_rates",
        vec![
            col("group", rows, |r| r.group.as_str()),
            col("lang", rows, |r| r.lang.as_str()),
            col("frame", rows, |r| r.frame.as_str()),
            col("count", rows, |r| int(r.count)),
            col("tokens", rows, |r| int(r.tokens)),
            col("rate_per_10k", rows, |r| r.rate_per_10k),
            col("docs", rows, |r| int(r.docs)),
            col("docs_total", rows, |r| int(r.docs_total)),
            col("rate_ci_low", rows, |r| r.rate_ci_low),
            col("rate_ci_high", rows, |r| r.rate_ci_high),
        ],
    )
}

/// `frame_trends.parquet`.
pub fn frame_trends(rows: &[FrameTrend]) -> Result<DataFrame> {
    frame(
        "frame_trends",
        vec![
            col("group", rows, |r| r.group.as_str()),
            col("lang", rows, |r| r.lang.as_str()),
            col("year", rows, |r| r.year),
            col("frame", rows, |r| r.frame.as_str()),
            col("count", rows, |r| int(r.count)),
            col("tokens", rows, |r| int(r.tokens)),
            col("rate_per_10k", rows, |r| r.rate_per_10k),
            col("docs", rows, |r| int(r.docs)),
            col("docs_total", rows, |r| int(r.docs_total)),
        ],
    )
}

/// `keyness.parquet` (item column `term`) or `frame_keyness.parquet` (`frame`).
pub fn keyness(name: &str, item: &str, rows: &[KeyRow<'_>]) -> Result<DataFrame> {
    frame(
        name,
        vec![
            col("target", rows, |r| r.target),
            col("reference", rows, |r| r.reference),
            col("lang", rows, |r| r.lang.as_str()),
            col(item, rows, |r| r.term),
            col("count_target", rows, |r| int(r.count_target)),
            col("count_reference", rows, |r| int(r.count_reference)),
            col("tokens_target", rows, |r| int(r.tokens_target)),
            col("tokens_reference", rows, |r| int(r.tokens_reference)),
            col("g2", rows, |r| r.g2),
            col("p", rows, |r| r.p),
            col("p_bonferroni", rows, |r| r.p_bonferroni),
            col("p_bh", rows, |r| r.p_bh),
            col("chi2", rows, |r| r.chi2),
            col("log_ratio", rows, |r| r.log_ratio),
            col("pct_diff", rows, |r| r.pct_diff),
            col("bic", rows, |r| r.bic),
            col("log_odds", rows, |r| r.log_odds),
            col("log_odds_z", rows, |r| r.log_odds_z),
            col("log_odds_a0", rows, |r| r.log_odds_a0),
            col("range", rows, |r| int(r.dispersion.range)),
            col("dp", rows, |r| r.dispersion.dp),
            col("dp_norm", rows, |r| r.dispersion.dp_norm),
            col("juilland_d", rows, |r| r.dispersion.juilland_d),
            col("juilland_u", rows, |r| r.dispersion.juilland_u),
        ],
    )
}

/// `parallel.parquet`: aligned units of language versions, per frame with a hit.
pub fn parallel(rows: &[CellRow]) -> Result<DataFrame> {
    frame(
        "parallel",
        vec![
            col("work", rows, |r| r.work.as_str()),
            col("unit", rows, |r| r.unit.as_str()),
            col("label_zh", rows, |r| r.label_zh.as_str()),
            col("label_en", rows, |r| r.label_en.as_str()),
            col("frame", rows, |r| r.frame.as_str()),
            col("count_zh", rows, |r| int(r.count_zh)),
            col("count_en", rows, |r| int(r.count_en)),
        ],
    )
}

/// `parallel_frames.parquet`: agreement of language versions per work and frame.
pub fn parallel_frames(rows: &[FrameAgreement]) -> Result<DataFrame> {
    frame(
        "parallel_frames",
        vec![
            col("work", rows, |r| r.work.as_str()),
            col("frame", rows, |r| r.frame.as_str()),
            col("units_aligned", rows, |r| int(r.units_aligned)),
            col("both", rows, |r| int(r.both)),
            col("zh_only", rows, |r| int(r.zh_only)),
            col("en_only", rows, |r| int(r.en_only)),
            col("agreement", rows, |r| r.agreement),
            col("kappa", rows, |r| r.kappa),
            col("unaligned_zh", rows, |r| int(r.unaligned_zh)),
            col("unaligned_en", rows, |r| int(r.unaligned_en)),
        ],
    )
}

/// `divergence.parquet`.
pub fn divergence(rows: &[DivergenceRow]) -> Result<DataFrame> {
    frame(
        "divergence",
        vec![
            col("lang", rows, |r| r.lang.as_str()),
            col("kind", rows, |r| r.kind),
            col("group_a", rows, |r| r.group_a.as_str()),
            col("group_b", rows, |r| r.group_b.as_str()),
            col("jsd", rows, |r| r.jsd),
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

/// `collocations.parquet`.
pub fn collocations(rows: &[CollocationRow]) -> Result<DataFrame> {
    frame(
        "collocations",
        vec![
            col("group", rows, |r| r.group.as_str()),
            col("lang", rows, |r| r.lang.as_str()),
            col("frame", rows, |r| r.frame.as_str()),
            col("collocate", rows, |r| r.collocate.as_str()),
            col("count", rows, |r| int(r.count)),
            col("window_tokens", rows, |r| int(r.window_tokens)),
            col("collocate_total", rows, |r| int(r.collocate_total)),
            col("ll", rows, |r| r.ll),
            col("mi", rows, |r| r.mi),
        ],
    )
}

/// One row of a shard's `shard/collocates.parquet` (what `govlens merge` needs for
/// the collocations and the per-document tables do not hold): a collocate's
/// co-occurrences with a frame in one document, or with `collocate` null the
/// tokens inside that frame's windows.
pub struct CollocateRow<'a> {
    pub doc_id: &'a str,
    pub frame: &'a str,
    pub collocate: Option<&'a str>,
    pub count: u64,
}

/// A shard's `shard/collocates.parquet`.
pub fn shard_collocates(rows: &[CollocateRow<'_>]) -> Result<DataFrame> {
    frame(
        "shard/collocates",
        vec![
            col("doc_id", rows, |r| r.doc_id),
            col("frame", rows, |r| r.frame),
            col("collocate", rows, |r| r.collocate),
            col("count", rows, |r| int(r.count)),
        ],
    )
}

/// One row of a shard's `shard/versions.parquet`: a unit of a document with a
/// `work`, and the key it is aligned by across language versions.
pub struct VersionUnitRow<'a> {
    pub doc_id: &'a str,
    pub work: &'a str,
    pub unit_id: u64,
    pub key: Option<&'a str>,
    pub label: &'a str,
}

/// A shard's `shard/versions.parquet`.
pub fn shard_versions(rows: &[VersionUnitRow<'_>]) -> Result<DataFrame> {
    frame(
        "shard/versions",
        vec![
            col("doc_id", rows, |r| r.doc_id),
            col("work", rows, |r| r.work),
            col("unit_id", rows, |r| int(r.unit_id)),
            col("key", rows, |r| r.key),
            col("label", rows, |r| r.label),
        ],
    )
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

/// A Parquet file written in batches of rows as documents are analysed, so a
/// per-document table never has to be held whole. Each batch becomes one row
/// group (or several, above 262,144 rows); batches are cut at the same documents
/// whatever the thread count, so the file is the same.
pub struct TableWriter {
    path: PathBuf,
    writer: BatchedWriter<File>,
    rows: usize,
}

impl TableWriter {
    /// Starts `path` with the schema of `empty` (the table built from no rows).
    pub fn create(path: &Path, empty: &DataFrame) -> Result<TableWriter> {
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        // Tables are written in parallel with one another and with the analysis,
        // on the run's own pool: polars' pool serialising the columns too would only
        // make the two pools contend for the same cores.
        let writer = ParquetWriter::new(file)
            .with_compression(ParquetCompression::Zstd(None))
            .set_parallel(false)
            .batched(empty.schema())
            .map_err(|e| output_error(path, e))?;
        Ok(TableWriter {
            path: path.to_path_buf(),
            writer,
            rows: 0,
        })
    }

    /// Appends the rows of `df` (same schema as at creation).
    pub fn write(&mut self, mut df: DataFrame) -> Result<()> {
        if df.height() == 0 {
            return Ok(());
        }
        self.rows += df.height();
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

    /// Writes the footer; returns the number of rows written.
    pub fn finish(self) -> Result<usize> {
        self.writer
            .finish()
            .map_err(|e| output_error(&self.path, e))?;
        Ok(self.rows)
    }
}

fn output_error(path: &Path, e: PolarsError) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
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
