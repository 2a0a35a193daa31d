//! Keywords of each document, by two methods as jieba defines them:
//!
//! - `tfidf` (`jieba.analyse.extract_tags`): a candidate's share of the document's
//!   candidate words times its inverse document frequency, `ln(N / df)`, with `N`
//!   and `df` counted in the run's own corpus of the document's language (jieba
//!   ships an IDF table of its own corpus instead; here every term is in the table,
//!   so jieba's median IDF for unknown words never applies). A term found in every
//!   document of its language scores 0 and is not listed.
//! - `textrank`: computed while the document is analysed
//!   ([`crate::document::textrank`]), when the settings ask for it.
//!
//! Candidates are the same for both ([`is_candidate`]).

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::profile::{DocTerms, GroupedDoc, Vocab};
use crate::corpus::Lang;
use crate::document::textrank::is_candidate;
use crate::error::Result;

/// One row of `keywords.parquet`, compact (a corpus of many small documents has
/// millions): the document's index among the profiles, the term's vocabulary id.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeywordRow {
    pub doc: u32,
    pub method: Method,
    pub rank: u32,
    pub term: u32,
    pub score: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    TextRank,
    TfIdf,
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Method::TextRank => "textrank",
            Method::TfIdf => "tfidf",
        }
    }
}

/// Per language: its number of documents and, for each term `keep` accepts, the
/// number of its documents holding the term.
pub type Frequencies = BTreeMap<Lang, (u64, FxHashMap<u32, u64>)>;

/// The [`Frequencies`] of the documents' terms (one pass over `terms`).
pub fn document_frequencies(
    docs: &[GroupedDoc],
    terms: &dyn DocTerms,
    keep: &dyn Fn(u32) -> bool,
) -> Result<Frequencies> {
    let mut df = Frequencies::new();
    terms.each(&mut |i, counts, _| {
        let (n, lang_df) = df.entry(docs[i].lang).or_default();
        *n += 1;
        for &(t, _) in counts.iter().filter(|(t, _)| keep(*t)) {
            *lang_df.entry(t).or_insert(0) += 1;
        }
        Ok(())
    })?;
    Ok(df)
}

/// The `top` keywords of every document by each method, in document order, then
/// method (`textrank`, `tfidf`), then rank.
pub fn keywords(
    docs: &[GroupedDoc],
    terms: &dyn DocTerms,
    vocab: &Vocab,
    top: usize,
) -> Result<Vec<KeywordRow>> {
    if top == 0 {
        return Ok(Vec::new());
    }
    let candidate: Vec<bool> = (0..vocab.len() as u32)
        .map(|t| is_candidate(vocab.term(t)))
        .collect();
    let df = document_frequencies(docs, terms, &|t| candidate[t as usize])?;
    let mut rows = Vec::new();
    terms.each(&mut |i, counts, _| {
        let doc = &docs[i];
        let row = |rank: usize, term: u32, score: f64, method| KeywordRow {
            doc: i as u32,
            method,
            rank: rank as u32 + 1,
            term,
            score,
        };
        for (rank, &(term, score)) in doc.textrank.iter().take(top).enumerate() {
            rows.push(row(rank, term, score, Method::TextRank));
        }
        let (n, lang_df) = &df[&doc.lang];
        let kept = || counts.iter().filter(|(t, _)| candidate[*t as usize]);
        let total: u64 = kept().map(|&(_, c)| u64::from(c)).sum();
        let mut scored: Vec<(u32, f64)> = kept()
            .map(|&(t, c)| {
                let idf = (*n as f64 / lang_df[&t] as f64).ln();
                (t, f64::from(c) / total as f64 * idf)
            })
            .filter(|&(_, s)| s > 0.0)
            .collect();
        scored.sort_unstable_by(|x, y| {
            y.1.total_cmp(&x.1)
                .then_with(|| vocab.term(x.0).cmp(vocab.term(y.0)))
        });
        for (rank, &(term, score)) in scored.iter().take(top).enumerate() {
            rows.push(row(rank, term, score, Method::TfIdf));
        }
        Ok(())
    })?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::profile::{InProfiles, tests::doc};

    #[test]
    fn tfidf_matches_jiebas_definition() {
        let mut v = Vocab::default();
        let docs = [
            doc(
                "A",
                Lang::En,
                6,
                &[("rule", 2), ("of", 1), ("law", 1), ("and", 1), ("data", 1)],
                &[],
                &mut v,
            ),
            doc(
                "B",
                Lang::En,
                5,
                &[("data", 2), ("protection", 1), ("and", 1), ("risk", 1)],
                &[],
                &mut v,
            ),
            doc(
                "C",
                Lang::En,
                6,
                &[("risk", 2), ("of", 1), ("harm", 1), ("and", 1), ("rule", 1)],
                &[],
                &mut v,
            ),
            doc("D", Lang::Zh, 3, &[("法治", 3)], &[], &mut v),
        ];
        let rows = keywords(&docs, &InProfiles(&docs), &v, 10).unwrap();
        let got: Vec<(&str, u32, &str, f64)> = rows
            .iter()
            .map(|r| {
                (
                    docs[r.doc as usize].doc_id.as_str(),
                    r.rank,
                    v.term(r.term),
                    r.score,
                )
            })
            .collect();
        // tests/reference/keywords.py (the same three documents), full precision.
        let want = [
            (docs[0].doc_id.as_str(), 1, "law", 0.27465307216702745),
            (docs[0].doc_id.as_str(), 2, "rule", 0.2027325540540822),
            (docs[0].doc_id.as_str(), 3, "data", 0.1013662770270411),
            (
                docs[1].doc_id.as_str(),
                1,
                "protection",
                0.27465307216702745,
            ),
            (docs[1].doc_id.as_str(), 2, "data", 0.2027325540540822),
            (docs[1].doc_id.as_str(), 3, "risk", 0.1013662770270411),
            (docs[2].doc_id.as_str(), 1, "harm", 0.27465307216702745),
            (docs[2].doc_id.as_str(), 2, "risk", 0.2027325540540822),
            (docs[2].doc_id.as_str(), 3, "rule", 0.1013662770270411),
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for (g, w) in got.iter().zip(want) {
            assert_eq!((g.0, g.1, g.2), (w.0, w.1, w.2));
            assert!((g.3 - w.3).abs() < 1e-12, "{g:?}");
        }
        assert!(rows.iter().all(|r| r.method == Method::TfIdf));
        // 法治 is in every Chinese document (the only one): IDF 0, not listed.
        assert!(rows.iter().all(|r| v.term(r.term) != "法治"));
        assert_eq!(keywords(&docs, &InProfiles(&docs), &v, 1).unwrap().len(), 3);
    }
}
