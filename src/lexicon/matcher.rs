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

/// A distinct token sequence, the frames whose expressions compile to it, and the
/// exclusions that do.
#[derive(Debug)]
struct Pattern {
    parts: Vec<Part>,
    /// (frame index, the expression as written in that frame)
    owners: Vec<(usize, Arc<str>)>,
    /// (the frame it is excluded from, `None` for every frame; the exclusion as
    /// written)
    excludes: Vec<(Option<usize>, Arc<str>)>,
}

/// Where an exclusion won the leftmost-longest match: the words it took count for
/// the frame it names (for every frame, when `frame` is `None`) nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    pub first: usize,
    pub len: usize,
    pub frame: Option<usize>,
    /// The exclusion as written in the lexicon, e.g. `responsible for`.
    pub expression: Arc<str>,
}

impl Excluded {
    /// Whether this exclusion keeps `frame` from the words `first..=last`.
    pub fn covers(&self, frame: usize, first: usize, last: usize) -> bool {
        self.frame.is_none_or(|f| f == frame) && self.first <= first && last < self.first + self.len
    }
}

/// What the matcher found in a token stream: the hits, and where exclusions won.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matches {
    pub hits: Vec<Hit>,
    pub excluded: Vec<Excluded>,
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
    /// For a hit inside longer Chinese words (a constituent, found by the audit),
    /// the expression's text (个人信息 of 个人 | 信息处理 | 者); `None` for a hit
    /// of whole tokens.
    pub part: Option<Arc<str>>,
}

/// The compiled lexicon: finds frame hits in token streams.
pub struct Matcher {
    patterns: Vec<Pattern>,
    by_exact_first: rustc_hash::FxHashMap<String, Vec<usize>>,
    /// The prefix patterns' first words by their first byte (in pattern order):
    /// a token is compared only with the prefixes that start as it does.
    by_prefix_first: Vec<Vec<(String, usize)>>,
    /// (first byte, length up to 63) of the exact first words, as bits: most
    /// tokens are ruled out without hashing them.
    exact_first_shapes: [u64; 256],
    frame_ids: Vec<String>,
    /// The lexicon's lists of names to count and to set aside.
    pub names: super::names::Lists,
}

impl Matcher {
    /// Compiles every expression of `lexicon` with `analyzer`.
    pub fn new(lexicon: &Lexicon, analyzer: &Analyzer) -> Result<Self> {
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut index: HashMap<Vec<Part>, usize> = HashMap::new();
        let mut pattern_of = |parts: Vec<Part>| {
            *index.entry(parts.clone()).or_insert_with(|| {
                patterns.push(Pattern {
                    parts,
                    owners: Vec::new(),
                    excludes: Vec::new(),
                });
                patterns.len() - 1
            })
        };
        let compiled = |frame: &str, expr: &str| {
            compile(expr, analyzer).map_err(|m| {
                Error::config(
                    &lexicon.source,
                    format!("{frame}: expression {expr:?}: {m}"),
                )
            })
        };
        // Expressions first, so their patterns keep the lexicon's order; then the
        // exclusions, of each frame and of the whole lexicon.
        let mut owners = Vec::new();
        for (fi, frame) in lexicon.frames.iter().enumerate() {
            for expr in frame.zh.iter().chain(&frame.en) {
                let pi = pattern_of(compiled(&format!("frame {:?}", frame.id), expr)?);
                owners.push((pi, fi, expr));
            }
        }
        let mut excludes = Vec::new();
        for (fi, frame) in lexicon.frames.iter().enumerate() {
            for expr in &frame.exclude {
                let pi = pattern_of(compiled(&format!("frame {:?}: exclude", frame.id), expr)?);
                excludes.push((pi, Some(fi), expr));
            }
        }
        for expr in &lexicon.exclude {
            excludes.push((pattern_of(compiled("exclude", expr)?), None, expr));
        }
        for (pi, fi, expr) in owners {
            if !patterns[pi].owners.iter().any(|(f, _)| *f == fi) {
                patterns[pi].owners.push((fi, expr.as_str().into()));
            }
        }
        for (pi, fi, expr) in excludes {
            patterns[pi].excludes.push((fi, expr.as_str().into()));
        }
        let mut by_exact_first: rustc_hash::FxHashMap<String, Vec<usize>> = Default::default();
        let mut by_prefix_first = vec![Vec::new(); 256];
        for (pi, p) in patterns.iter().enumerate() {
            match &p.parts[0] {
                Part::Exact(w) => by_exact_first.entry(w.clone()).or_default().push(pi),
                Part::Prefix(w) => {
                    if let Some(&b) = w.as_bytes().first() {
                        by_prefix_first[b as usize].push((w.clone(), pi));
                    }
                }
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
            patterns,
            by_exact_first,
            by_prefix_first,
            frame_ids: lexicon.frames.iter().map(|f| f.id.clone()).collect(),
            names: super::names::Lists::new(&lexicon.names)?,
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
    pub fn find(&self, tokens: &[Token<'_>]) -> Vec<Hit> {
        self.find_all(tokens).hits
    }

    /// All frame hits in `tokens`, in text order, and where exclusions won.
    ///
    /// At each position the longest matching expression or exclusion wins and the
    /// scan resumes after it. When expressions of several frames match with that
    /// length, each of those frames gets one hit (a frame's first-listed expression
    /// names it), except the frames an exclusion of that length names.
    pub fn find_all(&self, tokens: &[Token<'_>]) -> Matches {
        let mut found = Matches::default();
        let mut i = 0;
        // Buffers reused at every position.
        let (mut candidates, mut best, mut frames_done): (Vec<usize>, Vec<usize>, Vec<usize>) =
            Default::default();
        while i < tokens.len() {
            candidates.clear();
            self.candidates_at(&tokens[i], &mut candidates);
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
            self.record(&best, (i, best_len), &mut frames_done, &mut found);
            i += best_len;
        }
        found
    }

    /// The patterns whose first part may match `token`.
    fn candidates_at(&self, token: &Token<'_>, candidates: &mut Vec<usize>) {
        let term = token.term.as_bytes();
        let Some(&first) = term.first() else {
            return;
        };
        if self.exact_first_shapes[first as usize] & shape_bit(term.len()) != 0
            && let Some(list) = self.by_exact_first.get(token.term.as_ref())
        {
            candidates.extend(list);
        }
        for (prefix, pi) in &self.by_prefix_first[first as usize] {
            if term.starts_with(prefix.as_bytes()) {
                candidates.push(*pi);
            }
        }
    }

    /// The hits and exclusions of the patterns `best`, all matching `len` tokens
    /// from `first`; `frames_done` is a reused buffer.
    fn record(
        &self,
        best: &[usize],
        (first, len): (usize, usize),
        frames_done: &mut Vec<usize>,
        found: &mut Matches,
    ) {
        let start = found.excluded.len();
        for &pi in best {
            for (frame, expression) in &self.patterns[pi].excludes {
                found.excluded.push(Excluded {
                    first,
                    len,
                    frame: *frame,
                    expression: expression.clone(),
                });
            }
        }
        let excluded = &found.excluded[start..];
        frames_done.clear();
        for &pi in best {
            for (fi, expr) in &self.patterns[pi].owners {
                let kept = !excluded.iter().any(|e| e.frame.is_none_or(|f| f == *fi));
                if kept && !frames_done.contains(fi) {
                    frames_done.push(*fi);
                    found.hits.push(Hit {
                        first,
                        len,
                        frame: *fi,
                        pattern: expr.clone(),
                        part: None,
                    });
                }
            }
        }
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
