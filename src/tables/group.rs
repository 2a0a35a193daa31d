//! The group tables: statistics over all documents, built once the corpus pass is
//! done, from the documents' compact profiles.
//!
//! Each table's schema is its function here, fed by the rows its statistic in
//! [`crate::stats`] makes. [`GroupTable`] is the registry: each variant builds its
//! DataFrame from the same [`Inputs`]. They are independent:
//! [`write_group_tables`] builds them a few at a time (one per thread) and hands
//! each to the destination as soon as it is built.

use std::time::Instant;

use polars::prelude::*;

use super::{Destination, TableLog, col, floats, frame, int, strs};
use crate::error::Result;
use crate::stats::ca::CaRow;
use crate::stats::collocations::CollocationRow;
use crate::stats::divergence::DivergenceRow;
use crate::stats::groups::FrameTrend;
use crate::stats::keyness::{self as key, CountsVisitor, KeyRow};
use crate::stats::keywords::KeywordRow;
use crate::stats::ngrams::NgramRow;
use crate::stats::profile::Frames;
use crate::stats::similarity::Neighbour;
use crate::stats::wordfish::{Fitted, WordfishRow};
use crate::stats::{self, DocTerms, FrameRate, GroupTerm, GroupedDoc, Settings, Vocab};
use crate::versions::{self, CellRow, FrameAgreement, VersionDoc};

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
    /// Every group table, in the order they are listed.
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
                group_terms(&stats::group_terms(grouped, terms, vocab)?, vocab)
            }
            GroupTable::FrameRates => frame_rates(&stats::frame_rates(
                grouped,
                frame_ids,
                st.bootstrap,
                st.seed,
            )),
            GroupTable::FrameTrends => {
                frame_trends(&stats::groups::frame_trends(grouped, frame_ids))
            }
            GroupTable::Keyness => {
                let each = |f: &mut CountsVisitor<'_>| terms.each(&mut |i, counts, _| f(i, counts));
                let rows = key::keyness(grouped, &each, vocab, st.keyness())?;
                keyness("keyness", "term", &rows)
            }
            GroupTable::FrameKeyness => {
                let each = |f: &mut CountsVisitor<'_>| {
                    let mut docs = grouped.iter().enumerate();
                    docs.try_for_each(|(i, d)| f(i, &d.frames))
                };
                let frames = Frames(frame_ids);
                let rows = key::keyness(grouped, &each, &frames, st.frame_keyness())?;
                keyness("frame_keyness", "frame", &rows)
            }
            GroupTable::Divergence => divergence(&stats::divergence::divergence(
                grouped,
                terms,
                vocab,
                frame_ids.len(),
            )?),
            GroupTable::Collocations => collocations(&stats::collocations::collocations(
                grouped,
                terms,
                vocab,
                frame_ids,
                st.collocation_min_count,
            )?),
            GroupTable::Keywords => keywords(
                &stats::keywords::keywords(grouped, terms, vocab, st.keywords)?,
                grouped,
                vocab,
            ),
            GroupTable::Ngrams => ngrams(&i.ngrams.rows(grouped, st.ngram_min_count)),
            GroupTable::Ca => ca(&stats::ca::frame_ca(grouped, frame_ids)),
            GroupTable::Similarity => {
                let k = if st.similarity { st.neighbours } else { 0 };
                let rows =
                    stats::similarity::neighbours(grouped, terms, vocab, frame_ids.len(), k)?;
                similarity(&rows, grouped)
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
                wordfish(fitted.as_ref(), grouped, vocab)
            }
            GroupTable::Parallel => parallel(&versions::compare(i.versions, frame_ids).0),
            GroupTable::ParallelFrames => {
                parallel_frames(&versions::compare(i.versions, frame_ids).1)
            }
        }
    }
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

/// The group tables in the order they are taken up: the bootstrap intervals of
/// the frame rates first (the longest to compute, and small), then the tables
/// that grow with the number of documents, one after another on the other
/// thread (so they are not held at the same time), then the rest.
const BUILD_ORDER: [GroupTable; 14] = [
    GroupTable::FrameRates,
    GroupTable::Keywords,
    GroupTable::Ca,
    GroupTable::Similarity,
    GroupTable::Wordfish,
    GroupTable::Keyness,
    GroupTable::GroupTerms,
    GroupTable::Collocations,
    GroupTable::Divergence,
    GroupTable::FrameKeyness,
    GroupTable::FrameTrends,
    GroupTable::Ngrams,
    GroupTable::Parallel,
    GroupTable::ParallelFrames,
];

/// Builds the group tables and gives each to `dest` as soon as it is built;
/// returns the seconds it took. A table's time in the log is its own building
/// and its writing.
///
/// One worker per thread of the pool takes the next table of [`BUILD_ORDER`]
/// until none is left (a table may use the pool inside), so at most that many
/// tables are held at once. Built all at once, the tables that grow with the
/// number of documents (keywords, correspondence analysis) were held together:
/// 100,000 one-line documents peaked at 331 MB.
pub fn write_group_tables(
    inputs: &Inputs<'_>,
    pool: &rayon::ThreadPool,
    dest: &Destination,
    log: &mut TableLog,
) -> Result<f64> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let t = Instant::now();
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(GroupTable, Result<usize>, f64)>> = Mutex::new(Vec::new());
    let worker = || {
        while let Some(&table) = BUILD_ORDER.get(next.fetch_add(1, Ordering::Relaxed)) {
            let t = Instant::now();
            // A cancelled run stops at the next table (and writes nothing).
            let rows = if inputs.observer.cancelled() {
                Err(crate::error::Error::Cancelled)
            } else {
                table
                    .build(inputs)
                    .and_then(|df| dest.put(table.name(), df))
            };
            let failed = rows.is_err();
            let entry = (table, rows, t.elapsed().as_secs_f64());
            done.lock().unwrap_or_else(|e| e.into_inner()).push(entry);
            if failed {
                // The others stop at their next table.
                next.store(BUILD_ORDER.len(), Ordering::Relaxed);
            }
        }
    };
    pool.install(|| {
        rayon::scope(|s| {
            for _ in 0..rayon::current_num_threads() {
                s.spawn(|_| worker());
            }
        })
    });
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    // Errors are reported in registry order, whatever finished first.
    done.sort_by_key(|(table, _, _)| GroupTable::ALL.iter().position(|t| t == table));
    for (table, rows, secs) in done {
        log.rows.insert(table.name(), rows?);
        *log.secs.entry(table.name()).or_insert(0.0) += secs;
    }
    Ok(t.elapsed().as_secs_f64())
}

/// Rows of `keywords` read back: (method, term, score).
pub fn read_keywords(rows: &DataFrame) -> Result<impl Iterator<Item = (&str, &str, f64)>> {
    let (methods, terms) = (strs(rows, "method")?, strs(rows, "term")?);
    let scores = floats(rows, "score")?;
    Ok(methods
        .iter()
        .zip(terms.iter())
        .zip(scores.iter())
        .map(|((m, t), s)| (m.unwrap_or(""), t.unwrap_or(""), s.unwrap_or(0.0))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_group_table_is_built_once() {
        let mut order = BUILD_ORDER.map(GroupTable::name);
        let mut all = GroupTable::ALL.map(GroupTable::name);
        order.sort_unstable();
        all.sort_unstable();
        assert_eq!(order, all);
    }
}
