//! Merging documents into groups and computing rates.
//!
//! A group is the value of one document column (jurisdiction by default). Within a
//! group, documents of different languages are kept apart: a rate is a count per
//! 10,000 word tokens *of that language's documents*, because a Chinese word and an
//! English word are not the same unit.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::profile::{DocTerms, GroupedDoc, Vocab, ranks};
use super::{intervals, per_10k};
use crate::corpus::Lang;
use crate::error::Result;

/// One row of `group_terms`.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupTerm {
    pub group: String,
    pub lang: Lang,
    /// Term id in the run's [`Vocab`].
    pub term: u32,
    pub count: u64,
    /// Documents of the group and language that contain the term.
    pub docs: u64,
    pub rate_per_10k: Option<f64>,
    pub is_stopword: bool,
}

/// One row of `frame_rates`.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameRate {
    pub group: String,
    pub lang: Lang,
    pub frame: String,
    pub count: u64,
    /// Word tokens in the group's documents of this language.
    pub tokens: u64,
    pub rate_per_10k: Option<f64>,
    /// Documents with at least one hit.
    pub docs: u64,
    /// Documents of the group in this language.
    pub docs_total: u64,
    /// 95% percentile bootstrap interval of the rate (resampling documents); `None`
    /// with fewer than two documents.
    pub rate_ci_low: Option<f64>,
    pub rate_ci_high: Option<f64>,
}

/// One row of `frame_trends`: a frame's rate in one group, language and year.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameTrend {
    pub group: String,
    pub lang: Lang,
    pub year: i32,
    pub frame: String,
    pub count: u64,
    pub tokens: u64,
    pub rate_per_10k: Option<f64>,
    pub docs: u64,
    pub docs_total: u64,
}

/// Frame rates per group, language and year (documents without a year are left
/// out), zeros included; sorted by group, language, year, frame.
pub fn frame_trends(docs: &[GroupedDoc], frame_ids: &[String]) -> Vec<FrameTrend> {
    let mut by: BTreeMap<(&str, Lang, i32), Vec<&GroupedDoc>> = BTreeMap::new();
    for d in docs {
        if let Some(year) = d.year {
            by.entry((&d.group, d.lang, year)).or_default().push(d);
        }
    }
    let mut rows = Vec::new();
    for ((group, lang, year), members) in by {
        let tokens: u64 = members.iter().map(|d| d.n_tokens).sum();
        let vectors: Vec<Vec<u64>> = members
            .iter()
            .map(|d| d.frame_vector(frame_ids.len()))
            .collect();
        for (fi, frame) in frame_ids.iter().enumerate() {
            let count: u64 = vectors.iter().map(|v| v[fi]).sum();
            rows.push(FrameTrend {
                group: group.to_string(),
                lang,
                year,
                frame: frame.clone(),
                count,
                tokens,
                rate_per_10k: per_10k(count, tokens),
                docs: vectors.iter().filter(|v| v[fi] > 0).count() as u64,
                docs_total: members.len() as u64,
            });
        }
    }
    rows
}

/// Tokens and documents per (group, language).
fn totals(docs: &[GroupedDoc]) -> BTreeMap<(&str, Lang), (u64, u64)> {
    let mut totals = BTreeMap::new();
    for d in docs {
        let e = totals.entry((d.group.as_str(), d.lang)).or_insert((0, 0));
        e.0 += d.n_tokens;
        e.1 += 1;
    }
    totals
}

/// Term counts per group and language, sorted by group, language, term; the
/// documents' terms come from `terms` (in one pass).
pub fn group_terms(
    docs: &[GroupedDoc],
    terms: &dyn DocTerms,
    vocab: &Vocab,
) -> Result<Vec<GroupTerm>> {
    let totals = totals(docs);
    let index: BTreeMap<(&str, Lang), usize> = totals
        .keys()
        .enumerate()
        .map(|(k, &key)| (key, k))
        .collect();
    let place: Vec<usize> = docs
        .iter()
        .map(|d| index[&(d.group.as_str(), d.lang)])
        .collect();
    // Per group: term id -> (count, documents)
    let mut acc: Vec<FxHashMap<u32, (u64, u64)>> = vec![FxHashMap::default(); index.len()];
    terms.each(&mut |i, counts, _| {
        let acc = &mut acc[place[i]];
        for &(term, n) in counts {
            let e = acc.entry(term).or_insert((0, 0));
            e.0 += n as u64;
            e.1 += 1;
        }
        Ok(())
    })?;
    let rank = ranks(vocab, vocab.len());
    let mut rows = Vec::new();
    for ((&(group, lang), &(tokens, _)), acc) in totals.iter().zip(acc) {
        let first = rows.len();
        rows.extend(acc.into_iter().map(|(term, (count, ndocs))| GroupTerm {
            group: group.to_string(),
            lang,
            term,
            count,
            docs: ndocs,
            rate_per_10k: per_10k(count, tokens),
            is_stopword: vocab.is_stopword(term),
        }));
        rows[first..].sort_unstable_by_key(|r| rank[r.term as usize]);
    }
    Ok(rows)
}

/// Frame rates for every group, language and frame, zeros included, sorted by
/// group, language, then frame in lexicon order; with bootstrap intervals from
/// `resamples` resamples of the group's documents (seeded by `seed`).
pub fn frame_rates(
    docs: &[GroupedDoc],
    frame_ids: &[String],
    resamples: usize,
    seed: u64,
) -> Vec<FrameRate> {
    let totals = totals(docs);
    // Per group and language: each document's frame counts and tokens.
    type FrameVectors<'a> = BTreeMap<(&'a str, Lang), Vec<(Vec<u64>, u64)>>;
    let mut vectors: FrameVectors = BTreeMap::new();
    for d in docs {
        vectors
            .entry((&d.group, d.lang))
            .or_default()
            .push((d.frame_vector(frame_ids.len()), d.n_tokens));
    }
    // (group, lang, frame index) -> (count, docs with a hit)
    let mut acc: BTreeMap<(&str, Lang, usize), (u64, u64)> = BTreeMap::new();
    for d in docs {
        for &(frame, n) in &d.frames {
            let e = acc
                .entry((&d.group, d.lang, frame as usize))
                .or_insert((0, 0));
            e.0 += n as u64;
            e.1 += 1;
        }
    }
    let mut rows = Vec::with_capacity(totals.len() * frame_ids.len());
    for (&(group, lang), &(tokens, docs_total)) in &totals {
        let group_docs: Vec<(&[u64], u64)> = vectors[&(group, lang)]
            .iter()
            .map(|(v, n)| (v.as_slice(), *n))
            .collect();
        let seed = intervals::seed_for(seed, group, lang.as_str());
        let ci = intervals::bootstrap(&group_docs, frame_ids.len(), resamples, seed);
        for (fi, frame) in frame_ids.iter().enumerate() {
            let (count, ndocs) = acc.get(&(group, lang, fi)).copied().unwrap_or((0, 0));
            rows.push(FrameRate {
                group: group.to_string(),
                lang,
                frame: frame.clone(),
                count,
                tokens,
                rate_per_10k: per_10k(count, tokens),
                docs: ndocs,
                docs_total,
                rate_ci_low: ci[fi].map(|i| i.low),
                rate_ci_high: ci[fi].map(|i| i.high),
            });
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::profile::tests::doc;

    #[test]
    fn group_terms_sum_counts_and_rate_within_language() {
        let mut v = Vocab::default();
        let docs = [
            doc(
                "EU",
                Lang::En,
                1000,
                &[("the", 50), ("trustworthy", 4)],
                &[],
                &mut v,
            ),
            doc("EU", Lang::En, 3000, &[("trustworthy", 2)], &[], &mut v),
            doc("EU", Lang::Zh, 500, &[("可信", 1)], &[], &mut v),
        ];
        let rows = group_terms(&docs, &crate::stats::profile::InProfiles(&docs), &v).unwrap();
        let find = |t: &str| rows.iter().find(|r| v.term(r.term) == t).unwrap();
        let tw = find("trustworthy");
        assert_eq!((tw.count, tw.docs), (6, 2));
        // 6 per 4,000 English tokens, not per 4,500 tokens of both languages.
        assert!((tw.rate_per_10k.unwrap() - 15.0).abs() < 1e-12);
        assert!((find("可信").rate_per_10k.unwrap() - 20.0).abs() < 1e-12);
        assert!(find("the").is_stopword);
        let keys: Vec<(&str, Lang, &str)> = rows
            .iter()
            .map(|r| (r.group.as_str(), r.lang, v.term(r.term)))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "sorted by group, lang, term");
        assert_eq!(keys[0], ("EU", Lang::En, "the"));
    }

    #[test]
    fn a_group_without_tokens_has_no_rate() {
        let mut v = Vocab::default();
        let docs = [doc("X", Lang::En, 0, &[], &[], &mut v)];
        let rows = frame_rates(&docs, &["f".to_string()], 0, 1);
        assert_eq!((rows[0].count, rows[0].rate_per_10k), (0, None));
    }

    #[test]
    fn frame_rates_cover_every_frame_with_zeros() {
        let mut v = Vocab::default();
        let docs = [
            doc("US", Lang::En, 2000, &[], &[(1, 3)], &mut v),
            doc("US", Lang::En, 2000, &[], &[(1, 1)], &mut v),
            doc("CN", Lang::En, 400, &[], &[], &mut v),
        ];
        let ids = vec!["f0".to_string(), "f1".to_string()];
        let rows = frame_rates(&docs, &ids, 0, 1);
        assert_eq!(rows.len(), 4, "2 groups x 1 language x 2 frames");
        let us_f1 = rows
            .iter()
            .find(|r| r.group == "US" && r.frame == "f1")
            .unwrap();
        assert_eq!(
            (us_f1.count, us_f1.tokens, us_f1.docs, us_f1.docs_total),
            (4, 4000, 2, 2)
        );
        assert!((us_f1.rate_per_10k.unwrap() - 10.0).abs() < 1e-12);
        let cn_f1 = rows
            .iter()
            .find(|r| r.group == "CN" && r.frame == "f1")
            .unwrap();
        assert_eq!(
            (cn_f1.count, cn_f1.docs, cn_f1.rate_per_10k),
            (0, 0, Some(0.0))
        );
    }
}
