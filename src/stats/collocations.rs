//! What frame terms keep company with: the words within a few tokens of each frame
//! hit, per group and language, scored by log-likelihood and mutual information.
//!
//! For a frame (the node) and a word w in a group with N tokens: O = occurrences of
//! w in the windows around the frame's hits, W = tokens in those windows, f = the
//! count of w in the group. Expected E = W f / N; MI = log2(O / E); LL is the signed
//! 4-cell G2 of O in W against f - O in N - W. A token near two hits is counted
//! once, and the frame's own tokens are not its collocates.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::measures::g2;
use super::profile::{DocTerms, GroupedDoc, Vocab};
use crate::corpus::Lang;
use crate::error::Result;

/// One row of `collocations.parquet`.
#[derive(Debug, Clone, PartialEq)]
pub struct CollocationRow {
    pub group: String,
    pub lang: Lang,
    pub frame: String,
    pub collocate: String,
    /// O: co-occurrences within the window.
    pub count: u64,
    /// W: tokens in the windows around this frame's hits.
    pub window_tokens: u64,
    /// f: occurrences of the collocate in the group.
    pub collocate_total: u64,
    pub ll: f64,
    pub mi: f64,
}

/// Collocates of each frame with at least `min_count` co-occurrences, stopwords
/// left out; sorted by group, language, frame (lexicon order), LL descending.
pub fn collocations(
    docs: &[GroupedDoc],
    doc_terms: &dyn DocTerms,
    vocab: &Vocab,
    frame_ids: &[String],
    min_count: u64,
) -> Result<Vec<CollocationRow>> {
    #[derive(Default)]
    struct Acc {
        tokens: u64,
        windows: Vec<u64>,
        terms: FxHashMap<u32, u64>,
        near: FxHashMap<(u32, u32), u64>,
    }
    let mut by: BTreeMap<(&str, Lang), Acc> = BTreeMap::new();
    for d in docs {
        let acc = by.entry((&d.group, d.lang)).or_default();
        acc.windows.resize(frame_ids.len(), 0);
        acc.tokens += d.n_tokens;
        for (w, n) in acc.windows.iter_mut().zip(&d.window_tokens) {
            *w += n;
        }
    }
    doc_terms.each(&mut |i, terms, collocates| {
        let d = &docs[i];
        let acc = by
            .get_mut(&(d.group.as_str(), d.lang))
            .expect("every group");
        for &(f, t, n) in collocates {
            *acc.near.entry((f, t)).or_insert(0) += n as u64;
        }
        // Only collocates need their group totals.
        for &(t, n) in terms {
            *acc.terms.entry(t).or_insert(0) += n as u64;
        }
        Ok(())
    })?;
    let mut rows = Vec::new();
    for ((group, lang), acc) in &by {
        // With its frame's index, to sort by lexicon order.
        let mut group_rows: Vec<(usize, CollocationRow)> = Vec::new();
        for (&(frame, term), &o) in &acc.near {
            if o < min_count || vocab.is_stopword(term) {
                continue;
            }
            // Windows never overlap and never hold the frame's own tokens, so
            // o <= f and w < n.
            let frame = frame as usize;
            let w = acc.windows[frame];
            let f = acc.terms.get(&term).copied().unwrap_or(o);
            let n = acc.tokens;
            let (of, wf, ff, nf) = (o as f64, w as f64, f as f64, n as f64);
            group_rows.push((
                frame,
                CollocationRow {
                    group: group.to_string(),
                    lang: *lang,
                    frame: frame_ids[frame].clone(),
                    collocate: vocab.term(term).to_string(),
                    count: o,
                    window_tokens: w,
                    collocate_total: f,
                    ll: g2(of, ff - of, wf, nf - wf),
                    mi: (of * nf / (wf * ff)).log2(),
                },
            ));
        }
        // A total order (a frame's collocates are distinct), so unstable is exact.
        group_rows.sort_unstable_by(|(fx, x), (fy, y)| {
            fx.cmp(fy)
                .then(y.ll.total_cmp(&x.ll))
                .then_with(|| x.collocate.cmp(&y.collocate))
        });
        rows.extend(group_rows.into_iter().map(|(_, row)| row));
    }
    Ok(rows)
}
