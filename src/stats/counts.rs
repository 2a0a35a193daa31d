//! Term and frame counts of one document.

use std::collections::HashMap;

use crate::analyze::{Analyzer, Script, Token};
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
}

impl DocCounts {
    /// Number of distinct terms.
    pub fn n_types(&self) -> u64 {
        self.terms.len() as u64
    }
}

/// Segments `text` and counts its terms and frame hits.
pub fn count_document(text: &str, analyzer: &Analyzer, matcher: &Matcher) -> DocCounts {
    let tokens = analyzer.tokens(text);
    let mut terms: HashMap<&str, u64> = HashMap::new();
    for t in &tokens {
        *terms.entry(t.term.as_ref()).or_insert(0) += 1;
    }
    let mut terms: Vec<(String, u64)> =
        terms.into_iter().map(|(t, n)| (t.to_string(), n)).collect();
    terms.sort_unstable();

    let mut frames: HashMap<(usize, String, String), u64> = HashMap::new();
    for hit in matcher.find(&tokens) {
        let text = join_terms(&tokens[hit.first..hit.first + hit.len]);
        *frames.entry((hit.frame, text, hit.pattern)).or_insert(0) += 1;
    }
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

    DocCounts {
        n_tokens: tokens.len() as u64,
        terms,
        frames,
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
