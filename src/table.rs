//! Typed rows into polars DataFrames, and Parquet files.
//!
//! Each output table has one function here that fixes its columns and types, so the
//! schema lives in one place (and the README documents it column by column).
//! Counts are Int64, rates Float64, text UTF-8; key columns are never null. Rows
//! arrive sorted, so the same input gives byte-identical files.

use std::fs::File;
use std::path::Path;

use polars::prelude::*;

use crate::corpus::{Lang, MetaValue};
use crate::error::{Error, Result};
use crate::stats::{FrameRate, GroupTerm};

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
    pub sha256: String,
    pub n_chars: u64,
    pub n_tokens: u64,
    pub n_types: u64,
    pub extra: Vec<Option<MetaValue>>,
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

fn col<T, V>(name: &str, values: V) -> Column
where
    Series: NamedFrom<V, T>,
    V: AsRef<T>,
    T: ?Sized,
{
    Column::new(name.into(), values)
}

fn frame(path_hint: &str, columns: Vec<Column>) -> Result<DataFrame> {
    DataFrame::new_infer_height(columns).map_err(|e| Error::Output {
        path: path_hint.into(),
        message: e.to_string(),
    })
}

/// `documents.parquet`, with the manifest's extra columns at the end.
pub fn documents(rows: &[DocumentRow], extra_columns: &[String]) -> Result<DataFrame> {
    let mut columns = vec![
        col(
            "doc_id",
            rows.iter().map(|r| r.doc_id.as_str()).collect::<Vec<_>>(),
        ),
        col(
            "jurisdiction",
            rows.iter()
                .map(|r| r.jurisdiction.as_str())
                .collect::<Vec<_>>(),
        ),
        col(
            "lang",
            rows.iter().map(|r| r.lang.as_str()).collect::<Vec<_>>(),
        ),
        col(
            "script",
            rows.iter().map(|r| r.script.as_str()).collect::<Vec<_>>(),
        ),
        col("year", rows.iter().map(|r| r.year).collect::<Vec<_>>()),
        col(
            "title",
            rows.iter().map(|r| r.title.as_deref()).collect::<Vec<_>>(),
        ),
        col(
            "path",
            rows.iter().map(|r| r.path.as_str()).collect::<Vec<_>>(),
        ),
        col(
            "sha256",
            rows.iter().map(|r| r.sha256.as_str()).collect::<Vec<_>>(),
        ),
        col(
            "n_chars",
            rows.iter().map(|r| int(r.n_chars)).collect::<Vec<_>>(),
        ),
        col(
            "n_tokens",
            rows.iter().map(|r| int(r.n_tokens)).collect::<Vec<_>>(),
        ),
        col(
            "n_types",
            rows.iter().map(|r| int(r.n_types)).collect::<Vec<_>>(),
        ),
    ];
    for (k, name) in extra_columns.iter().enumerate() {
        let values = rows.iter().map(|r| r.extra.get(k).cloned().flatten());
        let is_int = rows
            .iter()
            .all(|r| !matches!(r.extra.get(k), Some(Some(MetaValue::Text(_)))));
        columns.push(if is_int {
            col(
                name,
                values
                    .map(|v| match v {
                        Some(MetaValue::Int(i)) => Some(i),
                        _ => None,
                    })
                    .collect::<Vec<_>>(),
            )
        } else {
            col(
                name,
                values
                    .map(|v| match v {
                        Some(MetaValue::Text(s)) => Some(s),
                        Some(MetaValue::Int(i)) => Some(i.to_string()),
                        None => None,
                    })
                    .collect::<Vec<_>>(),
            )
        });
    }
    frame("documents", columns)
}

/// `terms.parquet`.
pub fn terms(rows: &[TermRow<'_>]) -> Result<DataFrame> {
    frame(
        "terms",
        vec![
            col("doc_id", rows.iter().map(|r| r.doc_id).collect::<Vec<_>>()),
            col("term", rows.iter().map(|r| r.term).collect::<Vec<_>>()),
            col(
                "lang",
                rows.iter().map(|r| r.lang.as_str()).collect::<Vec<_>>(),
            ),
            col(
                "count",
                rows.iter().map(|r| int(r.count)).collect::<Vec<_>>(),
            ),
            col(
                "is_stopword",
                rows.iter().map(|r| r.is_stopword).collect::<Vec<_>>(),
            ),
        ],
    )
}

/// `group_terms.parquet`.
pub fn group_terms(rows: &[GroupTerm]) -> Result<DataFrame> {
    frame(
        "group_terms",
        vec![
            col(
                "group",
                rows.iter().map(|r| r.group.as_str()).collect::<Vec<_>>(),
            ),
            col(
                "term",
                rows.iter().map(|r| r.term.as_str()).collect::<Vec<_>>(),
            ),
            col(
                "lang",
                rows.iter().map(|r| r.lang.as_str()).collect::<Vec<_>>(),
            ),
            col(
                "count",
                rows.iter().map(|r| int(r.count)).collect::<Vec<_>>(),
            ),
            col("docs", rows.iter().map(|r| int(r.docs)).collect::<Vec<_>>()),
            col(
                "rate_per_10k",
                rows.iter().map(|r| r.rate_per_10k).collect::<Vec<_>>(),
            ),
            col(
                "is_stopword",
                rows.iter().map(|r| r.is_stopword).collect::<Vec<_>>(),
            ),
        ],
    )
}

/// `frames.parquet`.
pub fn frames(rows: &[FrameRow<'_>]) -> Result<DataFrame> {
    frame(
        "frames",
        vec![
            col("doc_id", rows.iter().map(|r| r.doc_id).collect::<Vec<_>>()),
            col("frame", rows.iter().map(|r| r.frame).collect::<Vec<_>>()),
            col("term", rows.iter().map(|r| r.term).collect::<Vec<_>>()),
            col(
                "pattern",
                rows.iter().map(|r| r.pattern).collect::<Vec<_>>(),
            ),
            col(
                "count",
                rows.iter().map(|r| int(r.count)).collect::<Vec<_>>(),
            ),
        ],
    )
}

/// `frame_rates.parquet`.
pub fn frame_rates(rows: &[FrameRate]) -> Result<DataFrame> {
    frame(
        "frame_rates",
        vec![
            col(
                "group",
                rows.iter().map(|r| r.group.as_str()).collect::<Vec<_>>(),
            ),
            col(
                "lang",
                rows.iter().map(|r| r.lang.as_str()).collect::<Vec<_>>(),
            ),
            col(
                "frame",
                rows.iter().map(|r| r.frame.as_str()).collect::<Vec<_>>(),
            ),
            col(
                "count",
                rows.iter().map(|r| int(r.count)).collect::<Vec<_>>(),
            ),
            col(
                "tokens",
                rows.iter().map(|r| int(r.tokens)).collect::<Vec<_>>(),
            ),
            col(
                "rate_per_10k",
                rows.iter().map(|r| r.rate_per_10k).collect::<Vec<_>>(),
            ),
            col("docs", rows.iter().map(|r| int(r.docs)).collect::<Vec<_>>()),
            col(
                "docs_total",
                rows.iter().map(|r| int(r.docs_total)).collect::<Vec<_>>(),
            ),
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
