//! N-grams per group and language: each n-gram's count, its range (documents
//! holding it) and its rate per 10,000 word tokens of the group in that language.
//!
//! The totals grow with the distinct n-grams of the corpus, not with its documents:
//! each document's n-grams are added as it is kept, and a shard's totals (before
//! the minimum count) add up to the whole corpus' in `govlens merge`.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::profile::GroupedDoc;
use crate::analyze::stopwords::is_stopword;
use crate::corpus::Lang;
use crate::document::ngrams::words;

/// One group and language's n-grams: n-gram → (count, documents).
type Cell = FxHashMap<Box<str>, (u64, u64)>;

/// (group, language) → its n-grams.
#[derive(Debug, Default)]
pub struct Totals {
    cells: BTreeMap<(String, Lang), Cell>,
}

/// One row of `ngrams.parquet`.
#[derive(Debug, Clone, PartialEq)]
pub struct NgramRow<'a> {
    pub group: &'a str,
    pub lang: Lang,
    pub n: u64,
    pub ngram: &'a str,
    pub count: u64,
    pub docs: u64,
    pub rate_per_10k: Option<f64>,
    /// The n-gram begins or ends with a stopword ("of the", "the rule of").
    pub stopword_edge: bool,
}

impl Totals {
    /// Adds one document's n-grams.
    pub fn add_document(&mut self, group: &str, lang: Lang, ngrams: &[(String, u32)]) {
        if ngrams.is_empty() {
            return;
        }
        let cell = self.cells.entry((group.to_string(), lang)).or_default();
        for (g, n) in ngrams {
            match cell.get_mut(g.as_str()) {
                Some(e) => *e = (e.0 + u64::from(*n), e.1 + 1),
                None => {
                    cell.insert(g.as_str().into(), (u64::from(*n), 1));
                }
            }
        }
    }

    /// Adds a part of the totals (a shard's).
    pub fn add(&mut self, group: &str, lang: Lang, ngram: &str, count: u64, docs: u64) {
        let cell = self.cells.entry((group.to_string(), lang)).or_default();
        let e = cell.entry(ngram.into()).or_insert((0, 0));
        e.0 += count;
        e.1 += docs;
    }

    /// Every total, unfiltered, sorted (what a shard writes).
    pub fn all(&self) -> Vec<(&str, Lang, &str, u64, u64)> {
        let mut rows: Vec<_> = self
            .cells
            .iter()
            .flat_map(|((g, l), m)| {
                m.iter()
                    .map(move |(k, &(c, d))| (g.as_str(), *l, &**k, c, d))
            })
            .collect();
        rows.sort_unstable_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
        rows
    }

    /// The rows of n-grams counted at least `min_count` times in their group and
    /// language, sorted by group, language, n, count (descending), n-gram.
    pub fn rows<'a>(&'a self, docs: &[GroupedDoc], min_count: u64) -> Vec<NgramRow<'a>> {
        let mut tokens: BTreeMap<(&str, Lang), u64> = BTreeMap::new();
        for d in docs {
            *tokens.entry((d.group.as_str(), d.lang)).or_insert(0) += d.n_tokens;
        }
        let mut rows = Vec::new();
        for ((group, lang), cell) in &self.cells {
            let n_tokens = tokens.get(&(group.as_str(), *lang)).copied().unwrap_or(0);
            let first = rows.len();
            for (ngram, &(count, docs)) in cell {
                if count < min_count.max(1) {
                    continue;
                }
                let edge = |w: Option<&str>| w.is_some_and(is_stopword);
                rows.push(NgramRow {
                    group,
                    lang: *lang,
                    n: words(ngram) as u64,
                    ngram,
                    count,
                    docs,
                    rate_per_10k: super::per_10k(count, n_tokens),
                    stopword_edge: edge(ngram.split(' ').next()) || edge(ngram.rsplit(' ').next()),
                });
            }
            rows[first..]
                .sort_unstable_by(|a, b| (a.n, b.count, a.ngram).cmp(&(b.n, a.count, b.ngram)));
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::profile::{Vocab, tests::doc};

    #[test]
    fn totals_add_documents_and_parts_alike() {
        let mut v = Vocab::default();
        let docs = [
            doc("A", Lang::En, 100, &[], &[], &mut v),
            doc("A", Lang::En, 300, &[], &[], &mut v),
        ];
        let one = [("rule of law".to_string(), 3), ("of the".to_string(), 9)];
        let two = [("rule of law".to_string(), 2)];
        let mut whole = Totals::default();
        whole.add_document("A", Lang::En, &one);
        whole.add_document("A", Lang::En, &two);
        let rows = whole.rows(&docs, 2);
        let got: Vec<(&str, u64, u64, u64, bool)> = rows
            .iter()
            .map(|r| (r.ngram, r.n, r.count, r.docs, r.stopword_edge))
            .collect();
        assert_eq!(
            got,
            [("of the", 2, 9, 1, true), ("rule of law", 3, 5, 2, false)]
        );
        assert_eq!(rows[1].rate_per_10k, Some(5.0 * 10_000.0 / 400.0));
        assert!(whole.rows(&docs, 6).iter().all(|r| r.ngram == "of the"));
        // A shard's totals added give the same rows.
        let (mut a, mut b) = (Totals::default(), Totals::default());
        a.add_document("A", Lang::En, &one);
        b.add_document("A", Lang::En, &two);
        let mut merged = Totals::default();
        for (g, l, k, c, d) in a.all().into_iter().chain(b.all()) {
            merged.add(g, l, k, c, d);
        }
        assert_eq!(merged.rows(&docs, 2), rows);
    }
}
