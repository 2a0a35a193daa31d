//! Frame hits in a token stream.
//!
//! The compiled expressions are grouped by their first part, so most tokens are
//! ruled out by a table lookup on (first byte, length) before anything is hashed.
//! At each position the longest matching expression wins and the scan resumes
//! after it (leftmost-longest, as aho-corasick's `MatchKind::LeftmostLongest`), and
//! an expression never matches across a clause boundary.

use std::collections::HashMap;
use std::sync::Arc;

use super::Lexicon;
use super::compile::{Part, compile};
use crate::analyze::{Analyzer, Token};
use crate::error::{Error, Result};

/// A distinct token sequence and the frames whose expressions compile to it.
#[derive(Debug)]
struct Pattern {
    parts: Vec<Part>,
    /// (frame index, the expression as written in that frame)
    owners: Vec<(usize, Arc<str>)>,
}

/// One frame hit in a token stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index of the first token of the match.
    pub first: usize,
    /// Number of tokens matched.
    pub len: usize,
    /// Index of the frame in [`Lexicon::frames`].
    pub frame: usize,
    /// The lexicon expression that matched, as written (e.g. `trustworth*`);
    /// shared with the matcher, so a hit does not allocate it.
    pub pattern: Arc<str>,
}

/// The compiled lexicon: finds frame hits in token streams.
pub struct Matcher {
    patterns: Vec<Pattern>,
    by_exact_first: rustc_hash::FxHashMap<String, Vec<usize>>,
    by_prefix_first: Vec<(String, usize)>,
    /// First bytes of the prefix patterns: a token starting otherwise matches none.
    prefix_first_bytes: [bool; 256],
    /// (first byte, length up to 63) of the exact first words, as bits: most
    /// tokens are ruled out without hashing them.
    exact_first_shapes: [u64; 256],
    frame_ids: Vec<String>,
}

impl Matcher {
    /// Compiles every expression of `lexicon` with `analyzer`.
    pub fn new(lexicon: &Lexicon, analyzer: &Analyzer) -> Result<Self> {
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut index: HashMap<Vec<Part>, usize> = HashMap::new();
        for (fi, frame) in lexicon.frames.iter().enumerate() {
            for expr in frame.zh.iter().chain(&frame.en) {
                let parts = compile(expr, analyzer).map_err(|m| {
                    Error::config(
                        &lexicon.source,
                        format!("frame {:?}: expression {expr:?}: {m}", frame.id),
                    )
                })?;
                let pi = *index.entry(parts.clone()).or_insert_with(|| {
                    patterns.push(Pattern {
                        parts,
                        owners: Vec::new(),
                    });
                    patterns.len() - 1
                });
                if !patterns[pi].owners.iter().any(|(f, _)| *f == fi) {
                    patterns[pi].owners.push((fi, expr.as_str().into()));
                }
            }
        }
        let mut by_exact_first: rustc_hash::FxHashMap<String, Vec<usize>> = Default::default();
        let mut by_prefix_first = Vec::new();
        for (pi, p) in patterns.iter().enumerate() {
            match &p.parts[0] {
                Part::Exact(w) => by_exact_first.entry(w.clone()).or_default().push(pi),
                Part::Prefix(w) => by_prefix_first.push((w.clone(), pi)),
            }
        }
        let mut prefix_first_bytes = [false; 256];
        for (prefix, _) in &by_prefix_first {
            if let Some(&b) = prefix.as_bytes().first() {
                prefix_first_bytes[b as usize] = true;
            }
        }
        let mut exact_first_shapes = [0u64; 256];
        for word in by_exact_first.keys() {
            if let Some(&b) = word.as_bytes().first() {
                exact_first_shapes[b as usize] |= shape_bit(word.len());
            }
        }
        Ok(Matcher {
            exact_first_shapes,
            prefix_first_bytes,
            patterns,
            by_exact_first,
            by_prefix_first,
            frame_ids: lexicon.frames.iter().map(|f| f.id.clone()).collect(),
        })
    }

    /// Every expression the matcher looks for: (frame index, the expression as
    /// written, its compiled parts), in pattern order, a frame's expressions in
    /// lexicon order. The audit searches for these.
    pub fn expressions(&self) -> impl Iterator<Item = (usize, &Arc<str>, &[Part])> + '_ {
        self.patterns.iter().flat_map(|p| {
            p.owners
                .iter()
                .map(move |(frame, expression)| (*frame, expression, &p.parts[..]))
        })
    }

    /// Frame ids in lexicon order (the indices of [`Hit::frame`]).
    pub fn frame_ids(&self) -> &[String] {
        &self.frame_ids
    }

    /// All frame hits in `tokens`, in text order.
    ///
    /// At each position the longest matching expression wins and the scan resumes
    /// after it. When expressions of several frames match with that length, each of
    /// those frames gets one hit (a frame's first-listed expression names it).
    pub fn find(&self, tokens: &[Token<'_>]) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut i = 0;
        // Buffers reused at every position.
        let (mut candidates, mut best, mut frames_done): (Vec<usize>, Vec<usize>, Vec<usize>) =
            Default::default();
        while i < tokens.len() {
            candidates.clear();
            let term = tokens[i].term.as_bytes();
            let Some(&first) = term.first() else {
                i += 1;
                continue;
            };
            if self.exact_first_shapes[first as usize] & shape_bit(term.len()) != 0
                && let Some(list) = self.by_exact_first.get(tokens[i].term.as_ref())
            {
                candidates.extend(list);
            }
            if term
                .first()
                .is_some_and(|&b| self.prefix_first_bytes[b as usize])
            {
                for (prefix, pi) in &self.by_prefix_first {
                    if term.starts_with(prefix.as_bytes()) {
                        candidates.push(*pi);
                    }
                }
            }
            let mut best_len = 0;
            best.clear();
            for &pi in &candidates {
                let len = self.patterns[pi].parts.len();
                if len < best_len || !self.matches_at(pi, tokens, i) {
                    continue;
                }
                if len > best_len {
                    best_len = len;
                    best.clear();
                }
                best.push(pi);
            }
            if best_len == 0 {
                i += 1;
                continue;
            }
            // Lexicon order, so the expression reported for a frame is its first listed.
            best.sort_unstable();
            frames_done.clear();
            for &pi in &best {
                for (fi, expr) in &self.patterns[pi].owners {
                    if !frames_done.contains(fi) {
                        frames_done.push(*fi);
                        hits.push(Hit {
                            first: i,
                            len: best_len,
                            frame: *fi,
                            pattern: expr.clone(),
                        });
                    }
                }
            }
            i += best_len;
        }
        hits
    }

    fn matches_at(&self, pi: usize, tokens: &[Token<'_>], i: usize) -> bool {
        let parts = &self.patterns[pi].parts;
        let Some(window) = tokens.get(i..i + parts.len()) else {
            return false;
        };
        let clause = window[0].clause;
        window
            .iter()
            .zip(parts)
            .all(|(t, p)| t.clause == clause && p.matches(&t.term))
    }
}

/// The bit for a word of `len` bytes in a shape mask (63 stands for 63 and more).
fn shape_bit(len: usize) -> u64 {
    1 << len.min(63)
}
