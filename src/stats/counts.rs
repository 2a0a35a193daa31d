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
    /// Every frame hit in context, in text order.
    pub kwic: Vec<KwicHit>,
    /// Words near frame hits: (frame index, term) -> co-occurrences, sorted.
    pub collocates: Vec<(usize, String, u64)>,
    /// Tokens inside the collocation windows of each frame (lexicon order).
    pub window_tokens: Vec<u64>,
}

/// One frame hit with its context, as the original text shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct KwicHit {
    pub frame: usize,
    /// The matched tokens, normalised.
    pub term: String,
    pub left: String,
    /// The match as written in the document (Traditional characters stay so).
    pub matched: String,
    pub right: String,
    pub start: usize,
    pub end: usize,
    pub unit: usize,
}

/// Context sizes, in tokens on each side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContextOptions {
    pub kwic_window: usize,
    pub collocation_window: usize,
}

impl Default for ContextOptions {
    fn default() -> Self {
        ContextOptions {
            kwic_window: 8,
            collocation_window: 5,
        }
    }
}

/// `text` with every run of whitespace shown as one space, trimmed.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl DocCounts {
    /// Number of distinct terms.
    pub fn n_types(&self) -> u64 {
        self.terms.len() as u64
    }
}

/// Segments `text` and counts its terms, frame hits (with their contexts and
/// collocates) and units.
pub fn count_document(
    text: &str,
    script: ChineseScript,
    analyzer: &Analyzer,
    matcher: &Matcher,
    context: ContextOptions,
) -> DocCounts {
    let units = units(text);
    let mut unit_tokens = vec![0u64; units.len()];
    let mut terms: HashMap<Cow<'_, str>, u64> = HashMap::new();
    let mut frames: HashMap<(usize, String, String), u64> = HashMap::new();
    let mut unit_frames: HashMap<(usize, usize), u64> = HashMap::new();
    let mut n_tokens = 0u64;
    let mut kwic = Vec::new();
    let mut collocates: HashMap<(usize, String), u64> = HashMap::new();
    let mut window_tokens = vec![0u64; matcher.frame_ids().len()];
    let mut tokens: Vec<Token<'_>> = Vec::new();
    for range in pieces(text, MAX_PIECE_BYTES) {
        tokens.clear();
        analyzer.tokenize(text, range, script, &mut tokens);
        n_tokens += tokens.len() as u64;
        for hit in matcher.find(&tokens) {
            let matched = join_terms(&tokens[hit.first..hit.first + hit.len]);
            *frames
                .entry((hit.frame, matched.clone(), hit.pattern))
                .or_insert(0) += 1;
            let unit = unit_at(&units, tokens[hit.first].start);
            *unit_frames.entry((unit, hit.frame)).or_insert(0) += 1;

            let last = hit.first + hit.len - 1;
            let (start, end) = (tokens[hit.first].start, tokens[last].end);
            let from = hit.first.saturating_sub(context.kwic_window);
            let to = (last + context.kwic_window).min(tokens.len() - 1);
            kwic.push(KwicHit {
                frame: hit.frame,
                term: matched.clone(),
                left: one_line(&text[tokens[from].start..start]),
                matched: text[start..end].to_string(),
                right: one_line(&text[end..tokens[to].end]),
                start,
                end,
                unit,
            });
            let w = context.collocation_window;
            let before = hit.first.saturating_sub(w)..hit.first;
            let after = (last + 1)..(last + 1 + w).min(tokens.len());
            for t in &tokens[before.start..before.end] {
                *collocates
                    .entry((hit.frame, t.term.to_string()))
                    .or_insert(0) += 1;
                window_tokens[hit.frame] += 1;
            }
            for t in &tokens[after.start..after.end] {
                *collocates
                    .entry((hit.frame, t.term.to_string()))
                    .or_insert(0) += 1;
                window_tokens[hit.frame] += 1;
            }
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

    let mut collocates: Vec<(usize, String, u64)> = collocates
        .into_iter()
        .map(|((f, t), n)| (f, t, n))
        .collect();
    collocates.sort_unstable();

    DocCounts {
        n_tokens,
        terms,
        frames,
        units,
        unit_tokens,
        unit_frames,
        kwic,
        collocates,
        window_tokens,
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
