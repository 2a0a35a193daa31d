//! Term, frame and unit counts of one document.
//!
//! The document is analysed piece by piece (pieces of at most
//! [`MAX_PIECE_BYTES`](crate::analyze::MAX_PIECE_BYTES), cut at paragraph breaks),
//! so the token buffer is bounded by the piece, not the document; the counts are
//! merged as they come. Phrases never cross a paragraph break, so cutting there
//! changes no count.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::analyze::structure::{Unit, unit_at, units};
use crate::analyze::{Analyzer, ChineseScript, MAX_PIECE_BYTES, Script, Token, pieces};
use crate::lexicon::Matcher;

/// How often one frame expression matched in a document, and as what text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FrameCount {
    /// Index of the frame in the lexicon.
    pub frame: usize,
    /// The matched tokens as normalised, e.g. `trustworthy`, `rule of law`, `法治`.
    pub term: String,
    /// The lexicon expression that matched, e.g. `trustworth*`.
    pub pattern: String,
    pub count: u64,
}

/// Everything counted in one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocCounts {
    /// Word tokens, stopwords included: the denominator of every rate.
    pub n_tokens: u64,
    /// Distinct terms with their counts, sorted by term.
    pub terms: Vec<(String, u64)>,
    /// Frame hits, sorted by frame, term, pattern.
    pub frames: Vec<FrameCount>,
    /// The document's structural units (the first is the preamble or the first
    /// heading), with their token counts in `unit_tokens`.
    pub units: Vec<Unit>,
    pub unit_tokens: Vec<u64>,
    /// Frame hits per (unit index, frame index), sorted.
    pub unit_frames: Vec<(usize, usize, u64)>,
}

impl DocCounts {
    /// Number of distinct terms.
    pub fn n_types(&self) -> u64 {
        self.terms.len() as u64
    }
}

/// Segments `text` and counts its terms, frame hits and units.
pub fn count_document(
    text: &str,
    script: ChineseScript,
    analyzer: &Analyzer,
    matcher: &Matcher,
) -> DocCounts {
    let units = units(text);
    let mut unit_tokens = vec![0u64; units.len()];
    let mut terms: HashMap<Cow<'_, str>, u64> = HashMap::new();
    let mut frames: HashMap<(usize, String, String), u64> = HashMap::new();
    let mut unit_frames: HashMap<(usize, usize), u64> = HashMap::new();
    let mut n_tokens = 0u64;
    let mut tokens: Vec<Token<'_>> = Vec::new();
    for range in pieces(text, MAX_PIECE_BYTES) {
        tokens.clear();
        analyzer.tokenize(text, range, script, &mut tokens);
        n_tokens += tokens.len() as u64;
        for hit in matcher.find(&tokens) {
            let matched = join_terms(&tokens[hit.first..hit.first + hit.len]);
            *frames.entry((hit.frame, matched, hit.pattern)).or_insert(0) += 1;
            let unit = unit_at(&units, tokens[hit.first].start);
            *unit_frames.entry((unit, hit.frame)).or_insert(0) += 1;
        }
        for t in tokens.drain(..) {
            unit_tokens[unit_at(&units, t.start)] += 1;
            *terms.entry(t.term).or_insert(0) += 1;
        }
    }
    let mut terms: Vec<(String, u64)> = terms
        .into_iter()
        .map(|(t, n)| (t.into_owned(), n))
        .collect();
    terms.sort_unstable();
    let mut frames: Vec<FrameCount> = frames
        .into_iter()
        .map(|((frame, term, pattern), count)| FrameCount {
            frame,
            term,
            pattern,
            count,
        })
        .collect();
    frames.sort_unstable();
    let mut unit_frames: Vec<(usize, usize, u64)> = unit_frames
        .into_iter()
        .map(|((u, f), n)| (u, f, n))
        .collect();
    unit_frames.sort_unstable();

    DocCounts {
        n_tokens,
        terms,
        frames,
        units,
        unit_tokens,
        unit_frames,
    }
}

/// Joins tokens as text: Chinese words run together, others are spaced.
pub fn join_terms(tokens: &[Token<'_>]) -> String {
    let mut out = String::new();
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 && !(t.script == Script::Han && tokens[i - 1].script == Script::Han) {
            out.push(' ');
        }
        out.push_str(&t.term);
    }
    out
}
