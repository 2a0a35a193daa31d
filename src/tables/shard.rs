//! What a shard writes for `govlens merge` besides its tables.
//!
//! The group tables of the whole corpus are rebuilt by the merge from the shards'
//! per-document tables (terms, frames, unit frames, documents), which hold every
//! per-document figure they need, except three: the words near each frame hit
//! (for the collocations), the alignment keys of the units of language versions,
//! and the shard's n-gram totals before the minimum count. A run with `--shard`
//! writes them to `shard/collocates.parquet`, `shard/versions.parquet` and
//! `shard/ngrams.parquet`; [`PartTable`] is their registry; each part's schema, writer and
//! reader are here.

use polars::prelude::*;

use super::{Destination, TableWriter, col, frame, int, ints, strs};
use crate::corpus::Lang;
use crate::error::{Error, Result};
use crate::stats::ngrams::Totals;
use crate::stats::{GroupedDoc, Vocab};
use crate::versions::VersionDoc;

/// The directory of a shard's parts, inside its run directory.
pub const DIR: &str = "shard";

/// The parts, in the order they are written and listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartTable {
    Collocates,
    Versions,
    /// The shard's n-gram totals per group and language, before the minimum count
    /// (not per document: written once, at the end).
    Ngrams,
}

impl PartTable {
    pub const ALL: [PartTable; 3] = [
        PartTable::Collocates,
        PartTable::Versions,
        PartTable::Ngrams,
    ];

    pub fn name(self) -> &'static str {
        match self {
            PartTable::Collocates => "collocates",
            PartTable::Versions => "versions",
            PartTable::Ngrams => "ngrams",
        }
    }

    /// The part's path relative to the run directory.
    pub fn file(self) -> String {
        format!("{DIR}/{}.parquet", self.name())
    }
}

/// The writers of a shard's parts.
pub struct Parts {
    dest: Destination,
    collocates: TableWriter,
    versions: TableWriter,
}

impl Parts {
    /// Starts the parts in `dest` (in a directory, its folder `shard/`).
    pub fn create(dest: &Destination) -> Result<Parts> {
        if let Destination::Dir(dir) = dest {
            let dir = dir.join(DIR);
            std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        let name = |t: PartTable| format!("{DIR}/{}", t.name());
        Ok(Parts {
            dest: dest.clone(),
            collocates: dest.writer(&name(PartTable::Collocates), &shard_collocates(&[])?)?,
            versions: dest.writer(&name(PartTable::Versions), &shard_versions(&[])?)?,
        })
    }

    /// Writes the parts of a batch: its documents' ids with their profiles, and
    /// the batch's documents that have a `work`.
    pub fn write(
        &mut self,
        docs: &[(&str, &GroupedDoc)],
        vocab: &Vocab,
        versions: &[VersionDoc],
        frame_ids: &[String],
    ) -> Result<()> {
        let mut rows = Vec::new();
        for &(doc_id, g) in docs {
            for (f, &w) in g.window_tokens.iter().enumerate() {
                if w > 0 {
                    rows.push(CollocateRow {
                        doc_id,
                        frame: &frame_ids[f],
                        collocate: None,
                        count: w,
                    });
                }
            }
            rows.extend(g.collocates.iter().map(|&(f, t, n)| CollocateRow {
                doc_id,
                frame: &frame_ids[f as usize],
                collocate: Some(vocab.term(t)),
                count: u64::from(n),
            }));
        }
        self.collocates.write(shard_collocates(&rows)?)?;
        let rows: Vec<VersionUnitRow<'_>> = versions
            .iter()
            .flat_map(|v| {
                v.units
                    .iter()
                    .enumerate()
                    .map(|(i, (key, label))| VersionUnitRow {
                        doc_id: &v.doc_id,
                        work: &v.work,
                        unit_id: i as u64,
                        key,
                        label,
                    })
            })
            .collect();
        self.versions.write(shard_versions(&rows)?)
    }

    /// Writes the n-gram totals; rows of each part, once written.
    pub fn finish(self, ngrams: &Totals) -> Result<Vec<(&'static str, usize)>> {
        let rows = ngrams.all();
        let name = format!("{DIR}/{}", PartTable::Ngrams.name());
        let mut writer = self.dest.writer(&name, &shard_ngrams(&[])?)?;
        writer.write(shard_ngrams(&rows)?)?;
        Ok(vec![
            (PartTable::Collocates.name(), self.collocates.finish()?),
            (PartTable::Versions.name(), self.versions.finish()?),
            (PartTable::Ngrams.name(), writer.finish()?),
        ])
    }
}

/// A shard's n-gram totals, before the minimum count (`shard/ngrams.parquet`).
pub fn shard_ngrams(rows: &[NgramTotal<'_>]) -> Result<DataFrame> {
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

/// Rows of `shard/collocates` read back: (frame, collocate, count); a null
/// collocate is the tokens inside the frame's windows.
pub fn read_collocates(
    rows: &DataFrame,
) -> Result<impl Iterator<Item = (&str, Option<&str>, i64)>> {
    let (frames, words) = (strs(rows, "frame")?, strs(rows, "collocate")?);
    let counts = ints(rows, "count")?;
    Ok(frames
        .iter()
        .zip(words.iter())
        .zip(counts.iter())
        .map(|((f, w), n)| (f.unwrap_or(""), w, n.unwrap_or(0))))
}

/// Rows of `shard/versions` read back: (key, label).
pub fn read_versions(rows: &DataFrame) -> Result<impl Iterator<Item = (Option<&str>, &str)>> {
    let (keys, labels) = (strs(rows, "key")?, strs(rows, "label")?);
    Ok(keys
        .iter()
        .zip(labels.iter())
        .map(|(k, l)| (k, l.unwrap_or(""))))
}

/// A row of `shard/ngrams`: (group, lang, ngram, count, docs).
pub type NgramTotal<'a> = (&'a str, Lang, &'a str, u64, u64);

/// Rows of `shard/ngrams` read back.
pub fn read_ngrams(df: &DataFrame) -> Result<Vec<NgramTotal<'_>>> {
    let (groups, langs, grams) = (strs(df, "group")?, strs(df, "lang")?, strs(df, "ngram")?);
    let (counts, docs) = (ints(df, "count")?, ints(df, "docs")?);
    let mut out = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let lang_name = langs.get(i).unwrap_or("");
        let lang = Lang::parse(lang_name)
            .ok_or_else(|| Error::Invalid(format!("unknown language {lang_name:?}")))?;
        out.push((
            groups.get(i).unwrap_or(""),
            lang,
            grams.get(i).unwrap_or(""),
            counts.get(i).unwrap_or(0) as u64,
            docs.get(i).unwrap_or(0) as u64,
        ));
    }
    Ok(out)
}
