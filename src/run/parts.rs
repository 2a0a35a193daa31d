//! What a shard writes for `govlens merge` besides its tables.
//!
//! The group tables of the whole corpus are rebuilt by the merge from the shards'
//! per-document tables (terms, frames, unit frames, documents), which hold every
//! per-document figure they need, except three: the words near each frame hit
//! (for the collocations), the alignment keys of the units of language versions,
//! and the shard's n-gram totals before the minimum count. A run with `--shard`
//! writes them to `shard/collocates.parquet`, `shard/versions.parquet` and
//! `shard/ngrams.parquet`; [`PartTable`] is their registry.

use crate::error::{Error, Result};
use crate::output::StagedDir;
use crate::stats::ngrams::Totals;
use crate::stats::{GroupedDoc, Vocab};
use crate::table::{self, CollocateRow, TableWriter, VersionUnitRow};
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
    dir: std::path::PathBuf,
    collocates: TableWriter,
    versions: TableWriter,
}

impl Parts {
    pub fn create(staged: &StagedDir) -> Result<Parts> {
        let dir = staged.file(DIR);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let file = |t: PartTable| staged.file(&t.file());
        Ok(Parts {
            dir,
            collocates: TableWriter::create(
                &file(PartTable::Collocates),
                &table::shard_collocates(&[])?,
            )?,
            versions: TableWriter::create(
                &file(PartTable::Versions),
                &table::shard_versions(&[])?,
            )?,
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
        self.collocates.write(table::shard_collocates(&rows)?)?;
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
        self.versions.write(table::shard_versions(&rows)?)
    }

    /// Writes the n-gram totals; rows of each part, once written.
    pub fn finish(self, ngrams: &Totals) -> Result<Vec<(&'static str, usize)>> {
        let rows = ngrams.all();
        let path = self
            .dir
            .join(format!("{}.parquet", PartTable::Ngrams.name()));
        let mut writer = TableWriter::create(&path, &table::shard_ngrams(&[])?)?;
        writer.write(table::shard_ngrams(&rows)?)?;
        Ok(vec![
            (PartTable::Collocates.name(), self.collocates.finish()?),
            (PartTable::Versions.name(), self.versions.finish()?),
            (PartTable::Ngrams.name(), writer.finish()?),
        ])
    }
}
