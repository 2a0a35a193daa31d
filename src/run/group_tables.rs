//! The group tables: statistics over all documents, built once the corpus pass is
//! done, from the documents' compact profiles.
//!
//! [`GroupTable`] is the registry: each variant builds its DataFrame from the same
//! [`Inputs`]. They are independent, so they are built in parallel, and written in
//! the registry's order.

use polars::prelude::DataFrame;

use crate::error::Result;
use crate::stats::keyness::{CountsVisitor, keyness};
use crate::stats::profile::Frames;
use crate::stats::{self, DocTerms, GroupedDoc, Settings, Vocab};
use crate::table;
use crate::versions::{self, VersionDoc};

/// The group tables, in the order they are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupTable {
    GroupTerms,
    FrameRates,
    FrameTrends,
    Keyness,
    FrameKeyness,
    Divergence,
    Collocations,
    Keywords,
    Ngrams,
    Ca,
    Similarity,
    Wordfish,
    Parallel,
    ParallelFrames,
}

/// What every group table is built from.
pub struct Inputs<'a> {
    pub grouped: &'a [GroupedDoc],
    /// The documents' terms and collocates (in `grouped`, or spilled by the run).
    pub terms: &'a dyn DocTerms,
    pub vocab: &'a Vocab,
    /// The documents with a `work`, for the comparison of language versions.
    pub versions: &'a [VersionDoc],
    /// N-gram totals per group and language.
    pub ngrams: &'a crate::stats::ngrams::Totals,
    pub frame_ids: &'a [String],
    pub settings: Settings,
    /// Told of what is not an error (a table left empty, and why).
    pub observer: &'a dyn crate::progress::Observer,
}

impl GroupTable {
    pub const ALL: [GroupTable; 14] = [
        GroupTable::GroupTerms,
        GroupTable::FrameRates,
        GroupTable::FrameTrends,
        GroupTable::Keyness,
        GroupTable::FrameKeyness,
        GroupTable::Divergence,
        GroupTable::Collocations,
        GroupTable::Keywords,
        GroupTable::Ngrams,
        GroupTable::Ca,
        GroupTable::Similarity,
        GroupTable::Wordfish,
        GroupTable::Parallel,
        GroupTable::ParallelFrames,
    ];

    /// The table's name: its file is `NAME.parquet`.
    pub fn name(self) -> &'static str {
        match self {
            GroupTable::GroupTerms => "group_terms",
            GroupTable::FrameRates => "frame_rates",
            GroupTable::FrameTrends => "frame_trends",
            GroupTable::Keyness => "keyness",
            GroupTable::FrameKeyness => "frame_keyness",
            GroupTable::Divergence => "divergence",
            GroupTable::Collocations => "collocations",
            GroupTable::Keywords => "keywords",
            GroupTable::Ngrams => "ngrams",
            GroupTable::Ca => "ca",
            GroupTable::Similarity => "similarity",
            GroupTable::Wordfish => "wordfish",
            GroupTable::Parallel => "parallel",
            GroupTable::ParallelFrames => "parallel_frames",
        }
    }

    /// Computes the table.
    pub fn build(self, i: &Inputs<'_>) -> Result<DataFrame> {
        let (grouped, vocab, frame_ids, st) = (i.grouped, i.vocab, i.frame_ids, &i.settings);
        let terms = i.terms;
        match self {
            GroupTable::GroupTerms => {
                table::group_terms(&stats::group_terms(grouped, terms, vocab)?, vocab)
            }
            GroupTable::FrameRates => table::frame_rates(&stats::frame_rates(
                grouped,
                frame_ids,
                st.bootstrap,
                st.seed,
            )),
            GroupTable::FrameTrends => {
                table::frame_trends(&stats::groups::frame_trends(grouped, frame_ids))
            }
            GroupTable::Keyness => {
                let each = |f: &mut CountsVisitor<'_>| terms.each(&mut |i, counts, _| f(i, counts));
                let rows = keyness(grouped, &each, vocab, st.keyness())?;
                table::keyness("keyness", "term", &rows)
            }
            GroupTable::FrameKeyness => {
                let each = |f: &mut CountsVisitor<'_>| {
                    let mut docs = grouped.iter().enumerate();
                    docs.try_for_each(|(i, d)| f(i, &d.frames))
                };
                let frames = Frames(frame_ids);
                let rows = keyness(grouped, &each, &frames, st.frame_keyness())?;
                table::keyness("frame_keyness", "frame", &rows)
            }
            GroupTable::Divergence => table::divergence(&stats::divergence::divergence(
                grouped,
                terms,
                vocab,
                frame_ids.len(),
            )?),
            GroupTable::Collocations => table::collocations(&stats::collocations::collocations(
                grouped,
                terms,
                vocab,
                frame_ids,
                st.collocation_min_count,
            )?),
            GroupTable::Keywords => table::keywords(
                &stats::keywords::keywords(grouped, terms, vocab, st.keywords)?,
                grouped,
                vocab,
            ),
            GroupTable::Ngrams => table::ngrams(&i.ngrams.rows(grouped, st.ngram_min_count)),
            GroupTable::Ca => table::ca(&stats::ca::frame_ca(grouped, frame_ids)),
            GroupTable::Similarity => {
                let k = if st.similarity { st.neighbours } else { 0 };
                let rows =
                    stats::similarity::neighbours(grouped, terms, vocab, frame_ids.len(), k)?;
                table::similarity(&rows, grouped)
            }
            GroupTable::Wordfish => {
                let fitted = match st.wordfish() {
                    Some(opts) => stats::wordfish::wordfish(grouped, terms, vocab, &opts)?,
                    None => None,
                };
                if fitted.is_none()
                    && let Some(lang) = &st.wordfish
                {
                    i.observer.warn(&format!(
                        "wordfish: fewer than {} {lang} documents with terms to fit; \
                         wordfish.parquet is empty",
                        stats::wordfish::MIN_DOCUMENTS
                    ));
                }
                table::wordfish(fitted.as_ref(), grouped, vocab)
            }
            GroupTable::Parallel => table::parallel(&versions::compare(i.versions, frame_ids).0),
            GroupTable::ParallelFrames => {
                table::parallel_frames(&versions::compare(i.versions, frame_ids).1)
            }
        }
    }
}
