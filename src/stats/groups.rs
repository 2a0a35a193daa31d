//! Merging documents into groups and computing rates.
//!
//! A group is the value of one document column (jurisdiction by default). Within a
//! group, documents of different languages are kept apart: a rate is a count per
//! 10,000 word tokens *of that language's documents*, because a Chinese word and an
//! English word are not the same unit.

use std::collections::BTreeMap;

use super::{DocCounts, per_10k};
use crate::analyze::stopwords::is_stopword;
use crate::corpus::Lang;

/// A document as the group statistics see it.
pub struct GroupedDoc<'a> {
    pub group: &'a str,
    pub lang: Lang,
    pub counts: &'a DocCounts,
}

/// One row of `group_terms`.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupTerm {
    pub group: String,
    pub lang: Lang,
    pub term: String,
    pub count: u64,
    /// Documents of the group and language that contain the term.
    pub docs: u64,
    pub rate_per_10k: f64,
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
    pub rate_per_10k: f64,
    /// Documents with at least one hit.
    pub docs: u64,
    /// Documents of the group in this language.
    pub docs_total: u64,
}

/// Tokens and documents per (group, language).
fn totals<'a>(docs: &[GroupedDoc<'a>]) -> BTreeMap<(&'a str, Lang), (u64, u64)> {
    let mut totals = BTreeMap::new();
    for d in docs {
        let e = totals.entry((d.group, d.lang)).or_insert((0, 0));
        e.0 += d.counts.n_tokens;
        e.1 += 1;
    }
    totals
}

/// Term counts per group and language, sorted by group, language, term.
pub fn group_terms(docs: &[GroupedDoc<'_>]) -> Vec<GroupTerm> {
    let totals = totals(docs);
    let mut acc: BTreeMap<(&str, Lang, &str), (u64, u64)> = BTreeMap::new();
    for d in docs {
        for (term, n) in &d.counts.terms {
            let e = acc.entry((d.group, d.lang, term.as_str())).or_insert((0, 0));
            e.0 += n;
            e.1 += 1;
        }
    }
    acc.into_iter()
        .map(|((group, lang, term), (count, ndocs))| {
            let tokens = totals[&(group, lang)].0;
            GroupTerm {
                group: group.to_string(),
                lang,
                term: term.to_string(),
                count,
                docs: ndocs,
                rate_per_10k: per_10k(count, tokens),
                is_stopword: is_stopword(term),
            }
        })
        .collect()
}

/// Frame rates for every group, language and frame, zeros included, sorted by
/// group, language, then frame in lexicon order.
pub fn frame_rates(docs: &[GroupedDoc<'_>], frame_ids: &[String]) -> Vec<FrameRate> {
    let totals = totals(docs);
    // (group, lang, frame index) -> (count, docs with a hit)
    let mut acc: BTreeMap<(&str, Lang, usize), (u64, u64)> = BTreeMap::new();
    for d in docs {
        let mut per_frame: BTreeMap<usize, u64> = BTreeMap::new();
        for fc in &d.counts.frames {
            *per_frame.entry(fc.frame).or_insert(0) += fc.count;
        }
        for (frame, n) in per_frame {
            let e = acc.entry((d.group, d.lang, frame)).or_insert((0, 0));
            e.0 += n;
            e.1 += 1;
        }
    }
    let mut rows = Vec::with_capacity(totals.len() * frame_ids.len());
    for (&(group, lang), &(tokens, docs_total)) in &totals {
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
            });
        }
    }
    rows
}
