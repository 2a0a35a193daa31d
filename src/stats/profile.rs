//! What the group statistics keep of each document once its own tables are written.
//!
//! A run streams: each document's terms, frames, units and concordance lines go to
//! Parquet as soon as its batch of documents is analysed, and only a compact
//! profile stays in memory: the document's group, language, year and size, its
//! term counts as (term id, count) pairs over one run-wide [`Vocab`], its frame
//! counts and its collocates. Dispersion needs every document's count of every
//! term, so this is the least a run can keep; at 8 bytes a (document, term) pair it
//! is a small fraction of what the documents' text and tables take.

use rustc_hash::FxHashMap;

use crate::analyze::stopwords::is_stopword;
use crate::corpus::Lang;
use crate::document::DocCounts;
use crate::error::{Error, Result};

/// The run's terms, each with a dense id in order of first appearance (documents
/// are added in doc_id order, so the ids do not depend on thread scheduling).
#[derive(Debug, Default)]
pub struct Vocab {
    index: FxHashMap<Box<str>, u32>,
    terms: Vec<Box<str>>,
    stopword: Vec<bool>,
}

impl Vocab {
    /// The id of `term`, adding it if new; an error past 2^32 distinct terms.
    pub fn id(&mut self, term: &str) -> Result<u32> {
        if let Some(&id) = self.index.get(term) {
            return Ok(id);
        }
        let id = u32::try_from(self.terms.len()).map_err(|_| {
            Error::Invalid(
                "the corpus has more than 2^32 distinct terms: run it in shards (--shard)".into(),
            )
        })?;
        self.index.insert(term.into(), id);
        self.terms.push(term.into());
        self.stopword.push(is_stopword(term));
        Ok(id)
    }

    pub fn term(&self, id: u32) -> &str {
        &self.terms[id as usize]
    }

    pub fn is_stopword(&self, id: u32) -> bool {
        self.stopword[id as usize]
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// Names of counted items (terms or frames), for the statistics that treat both
/// alike (keyness).
pub trait Items {
    fn name(&self, id: u32) -> &str;
    /// Left out of keyness unless stopwords are asked for.
    fn is_stopword(&self, id: u32) -> bool;
}

impl Items for Vocab {
    fn name(&self, id: u32) -> &str {
        self.term(id)
    }
    fn is_stopword(&self, id: u32) -> bool {
        Vocab::is_stopword(self, id)
    }
}

/// Frames, named by their ids in lexicon order; never stopwords.
pub struct Frames<'a>(pub &'a [String]);

impl Items for Frames<'_> {
    fn name(&self, id: u32) -> &str {
        &self.0[id as usize]
    }
    fn is_stopword(&self, _: u32) -> bool {
        false
    }
}

/// Sparse counts: (item id, count) pairs, sorted by id, counts above zero.
pub type Sparse = Vec<(u32, u32)>;

/// A document as the group statistics see it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GroupedDoc {
    pub doc_id: String,
    pub group: String,
    pub lang: Lang,
    /// The document's year, for trends.
    pub year: Option<i32>,
    /// Word tokens, stopwords included: the denominator of every rate.
    pub n_tokens: u64,
    pub terms: Sparse,
    /// Hits per frame, in lexicon order (sparse).
    pub frames: Sparse,
    /// (frame, term id, co-occurrences), sorted.
    pub collocates: Vec<(u32, u32, u32)>,
    /// Tokens inside the collocation windows of each frame (lexicon order).
    pub window_tokens: Vec<u64>,
    /// TextRank keywords (term id, score), best first.
    pub textrank: Vec<(u32, f64)>,
}

/// A document's count in the profile's 32 bits; a document counting 2^32 of
/// anything (a file of many GB, past any `max_file_mb`) is an error.
fn small(n: u64) -> Result<u32> {
    u32::try_from(n).map_err(|_| {
        Error::Invalid(format!(
            "a document counts {n} of one thing, more than 2^32: split it into smaller files"
        ))
    })
}

impl GroupedDoc {
    /// Frame hits in the document, all frames together.
    pub fn frame_hits(&self) -> u64 {
        self.frames.iter().map(|&(_, n)| u64::from(n)).sum()
    }

    /// The profile of a document's counts, interning its terms in `vocab`.
    pub fn new(
        (doc_id, group): (&str, String),
        lang: Lang,
        year: Option<i32>,
        counts: &DocCounts,
        vocab: &mut Vocab,
    ) -> Result<GroupedDoc> {
        // Vocabulary ids of the document's terms, in the order of `counts.terms`.
        let ids: Vec<u32> = counts
            .terms
            .iter()
            .map(|(t, _)| vocab.id(t))
            .collect::<Result<_>>()?;
        let mut terms: Sparse = ids
            .iter()
            .zip(counts.terms.iter())
            .map(|(&id, (_, n))| Ok((id, small(n)?)))
            .collect::<Result<_>>()?;
        terms.sort_unstable();
        let mut frames: FxHashMap<u32, u64> = FxHashMap::default();
        for f in &counts.frames {
            *frames.entry(f.frame as u32).or_insert(0) += f.count;
        }
        let mut frames: Sparse = frames
            .into_iter()
            .map(|(f, n)| Ok((f, small(n)?)))
            .collect::<Result<_>>()?;
        frames.sort_unstable();
        let mut collocates: Vec<(u32, u32, u32)> = counts
            .collocates
            .iter()
            .map(|&(f, t, n)| Ok((f as u32, ids[t], small(n)?)))
            .collect::<Result<_>>()?;
        collocates.sort_unstable();
        let textrank = counts
            .keywords
            .iter()
            .map(|(t, w)| Ok((vocab.id(t)?, *w)))
            .collect::<Result<_>>()?;
        Ok(GroupedDoc {
            doc_id: doc_id.to_string(),
            group,
            lang,
            year,
            n_tokens: counts.n_tokens,
            terms,
            frames,
            collocates,
            window_tokens: counts.window_tokens.clone(),
            textrank,
        })
    }

    /// Hits per frame as a dense vector of `n_frames`.
    pub fn frame_vector(&self, n_frames: usize) -> Vec<u64> {
        let mut v = vec![0u64; n_frames];
        for &(f, n) in &self.frames {
            v[f as usize] += n as u64;
        }
        v
    }
}

/// Each document's term counts and collocates, in the documents' order: held in
/// the profiles themselves, or read back from the file a run spilled them to, so
/// that a run need not hold every document's terms (the largest part of a profile)
/// for the group tables. The statistics walk them in passes, document by document.
pub trait DocTerms: Sync {
    /// Calls `each(document index, terms, collocates)` for every document, in order.
    fn each(&self, each: &mut TermsVisitor<'_>) -> Result<()>;
}

/// What [`DocTerms::each`] calls: (document index, terms, collocates).
pub type TermsVisitor<'a> = dyn FnMut(usize, &[(u32, u32)], &[(u32, u32, u32)]) -> Result<()> + 'a;

/// The terms held in the profiles themselves.
pub struct InProfiles<'a>(pub &'a [GroupedDoc]);

impl DocTerms for InProfiles<'_> {
    fn each(&self, each: &mut TermsVisitor<'_>) -> Result<()> {
        for (i, d) in self.0.iter().enumerate() {
            each(i, &d.terms, &d.collocates)?;
        }
        Ok(())
    }
}

/// Ranks of ids when their names are sorted: sorting rows by rank sorts them by name.
pub fn ranks(items: &dyn Items, n: usize) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_unstable_by(|&a, &b| items.name(a).cmp(items.name(b)));
    let mut rank = vec![0u32; n];
    for (r, id) in order.into_iter().enumerate() {
        rank[id as usize] = r as u32;
    }
    rank
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A profile from term and frame counts given by name (for tests).
    pub fn doc(
        group: &str,
        lang: Lang,
        n_tokens: u64,
        terms: &[(&str, u32)],
        frames: &[(u32, u32)],
        vocab: &mut Vocab,
    ) -> GroupedDoc {
        let mut terms: Sparse = terms
            .iter()
            .map(|(t, n)| (vocab.id(t).unwrap(), *n))
            .collect();
        terms.sort_unstable();
        GroupedDoc {
            doc_id: format!("{group}-{}", vocab.len()),
            group: group.into(),
            lang,
            n_tokens,
            year: None,
            terms,
            frames: frames.to_vec(),
            collocates: Vec::new(),
            window_tokens: Vec::new(),
            textrank: Vec::new(),
        }
    }

    #[test]
    fn ids_follow_first_appearance_and_ranks_follow_names() {
        let mut v = Vocab::default();
        let mut id = |t| v.id(t).unwrap();
        assert_eq!((id("zeta"), id("alpha"), id("zeta")), (0, 1, 0));
        assert_eq!(v.len(), 2);
        assert_eq!(v.term(1), "alpha");
        assert!(!v.is_stopword(0));
        let the = v.id("the").unwrap();
        assert!(v.is_stopword(the));
        assert_eq!(ranks(&v, v.len()), vec![2, 0, 1]);
    }
}
