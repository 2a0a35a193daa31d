//! Each document's nearest neighbours among the documents of its language, by two
//! measures:
//!
//! - `cosine_tfidf`: the cosine of the documents' TF-IDF vectors over the terms that
//!   are not stopwords (tf = the term's count, idf = ln(N / df) over the documents
//!   of the language); 1 = the same vocabulary in the same proportions;
//! - `jsd_frames`: the Jensen-Shannon divergence (base 2, as `divergence.parquet`)
//!   of the documents' frame profiles (hits per frame); 0 = the same profile.
//!   Documents without hits have no profile and no neighbours by it.
//!
//! Every pair of documents of a language is compared, so the cost grows with the
//! square of the documents: the table is off by default.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::keywords::document_frequencies;
use super::measures::jensen_shannon;
use super::profile::{DocTerms, GroupedDoc, Vocab};
use crate::corpus::Lang;
use crate::error::Result;

/// One row of `similarity.parquet`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Neighbour {
    pub doc: u32,
    pub method: &'static str,
    pub rank: u32,
    pub neighbour: u32,
    pub score: f64,
}

/// The `k` nearest neighbours of every document by each measure, in document
/// order, then method, then rank (ties by the neighbour's order).
pub fn neighbours(
    docs: &[GroupedDoc],
    terms: &dyn DocTerms,
    vocab: &Vocab,
    n_frames: usize,
    k: usize,
) -> Result<Vec<Neighbour>> {
    if k == 0 {
        return Ok(Vec::new());
    }
    let cosine = cosine_neighbours(docs, terms, vocab, k)?;
    let mut by_lang: BTreeMap<Lang, Vec<usize>> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        by_lang.entry(d.lang).or_default().push(i);
    }
    let profiles: Vec<Vec<f64>> = docs
        .iter()
        .map(|d| d.frame_vector(n_frames).iter().map(|&n| n as f64).collect())
        .collect();
    let mut rows = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        rows.extend(
            cosine[i]
                .iter()
                .enumerate()
                .map(|(r, &(j, s))| row(i, "cosine_tfidf", r, j, s)),
        );
        let mut near: Vec<(usize, f64)> = by_lang[&d.lang]
            .iter()
            .filter(|&&j| j != i)
            .filter_map(|&j| Some((j, jensen_shannon(&profiles[i], &profiles[j])?)))
            .collect();
        near.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        near.truncate(k);
        if !d.frames.is_empty() {
            rows.extend(
                near.iter()
                    .enumerate()
                    .map(|(r, &(j, s))| row(i, "jsd_frames", r, j, s)),
            );
        }
    }
    Ok(rows)
}

fn row(doc: usize, method: &'static str, rank: usize, neighbour: usize, score: f64) -> Neighbour {
    Neighbour {
        doc: doc as u32,
        method,
        rank: rank as u32 + 1,
        neighbour: neighbour as u32,
        score,
    }
}

/// Per document, its `k` most similar documents of the same language by cosine.
fn cosine_neighbours(
    docs: &[GroupedDoc],
    terms: &dyn DocTerms,
    vocab: &Vocab,
    k: usize,
) -> Result<Vec<Vec<(usize, f64)>>> {
    // Document frequencies per language, then each document's weighted vector.
    let df = document_frequencies(docs, terms, &|t| !vocab.is_stopword(t))?;
    let mut vectors: Vec<Vec<(u32, f64)>> = vec![Vec::new(); docs.len()];
    terms.each(&mut |i, counts, _| {
        let (n, lang_df) = &df[&docs[i].lang];
        vectors[i] = counts
            .iter()
            .filter(|(t, _)| !vocab.is_stopword(*t))
            .map(|&(t, c)| (t, f64::from(c) * (*n as f64 / lang_df[&t] as f64).ln()))
            .filter(|&(_, w)| w > 0.0)
            .collect();
        Ok(())
    })?;
    let norms: Vec<f64> = vectors
        .iter()
        .map(|v| v.iter().map(|(_, w)| w * w).sum::<f64>().sqrt())
        .collect();
    // Postings per (language, term), in document order.
    let mut postings: FxHashMap<(Lang, u32), Vec<(usize, f64)>> = FxHashMap::default();
    for (i, v) in vectors.iter().enumerate() {
        for &(t, w) in v {
            postings.entry((docs[i].lang, t)).or_default().push((i, w));
        }
    }
    let mut out = Vec::with_capacity(docs.len());
    let mut dot = vec![0.0; docs.len()];
    for (i, v) in vectors.iter().enumerate() {
        let mut touched: Vec<usize> = Vec::new();
        for &(t, w) in v {
            for &(j, x) in &postings[&(docs[i].lang, t)] {
                if dot[j] == 0.0 {
                    touched.push(j);
                }
                dot[j] += w * x;
            }
        }
        let mut near: Vec<(usize, f64)> = touched
            .iter()
            .filter(|&&j| j != i)
            .map(|&j| (j, dot[j] / (norms[i] * norms[j])))
            .collect();
        for &j in &touched {
            dot[j] = 0.0;
        }
        near.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        near.truncate(k);
        out.push(near);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::profile::{InProfiles, tests::doc};

    #[test]
    fn neighbours_match_an_independent_computation() {
        let mut v = Vocab::default();
        let docs = [
            doc(
                "A",
                Lang::En,
                9,
                &[("law", 4), ("data", 1), ("court", 2)],
                &[(0, 3), (1, 1)],
                &mut v,
            ),
            doc(
                "B",
                Lang::En,
                8,
                &[("law", 3), ("court", 3), ("risk", 1)],
                &[(0, 2), (1, 2)],
                &mut v,
            ),
            doc(
                "C",
                Lang::En,
                7,
                &[("data", 4), ("risk", 3), ("the", 5)],
                &[(1, 4)],
                &mut v,
            ),
            doc("D", Lang::En, 5, &[("risk", 2), ("harm", 3)], &[], &mut v),
            doc("E", Lang::Zh, 4, &[("法治", 4)], &[(0, 1)], &mut v),
        ];
        let rows = neighbours(&docs, &InProfiles(&docs), &v, 2, 2).unwrap();
        let got = |doc: u32, method: &str| -> Vec<(u32, f64)> {
            rows.iter()
                .filter(|r| r.doc == doc && r.method == method)
                .map(|r| (r.neighbour, r.score))
                .collect()
        };
        // tests/reference/similarity.py (numpy), full precision.
        let want_cos = [
            (0, vec![(1, 0.9214216940200511), (2, 0.20835695801953172)]),
            (2, vec![(0, 0.20835695801953172), (3, 0.04073010292294458)]),
        ];
        for (doc, want) in want_cos {
            let g = got(doc, "cosine_tfidf");
            assert_eq!(g.len(), want.len(), "{doc}: {g:?}");
            for ((gj, gs), (wj, ws)) in g.iter().zip(&want) {
                assert_eq!(gj, wj, "{doc}: {g:?}");
                assert!((gs - ws).abs() < 1e-12, "{doc}: {gs} against {ws}");
            }
        }
        let jsd = got(0, "jsd_frames");
        assert_eq!(jsd.iter().map(|n| n.0).collect::<Vec<_>>(), [1, 2]);
        assert!((jsd[0].1 - 0.04879494069539858).abs() < 1e-12, "{jsd:?}");
        assert!(got(3, "jsd_frames").is_empty(), "no hits, no profile");
        assert!(got(4, "cosine_tfidf").is_empty(), "alone in its language");
    }
}
