//! What the frame counts leave out, and why.
//!
//! govlens counts words, not substrings: 法治 inside 依法治理 (segmented 依法 / 治理)
//! is not rule of law. The audit makes that visible. For every frame expression it
//! finds the places where the expression's characters (or words) occur in a
//! document's normalised token stream but were *not* counted as that frame, and
//! says why:
//!
//! - `inside_word`: inside one longer word (trustworthy in untrustworthy, 主权 in a
//!   word the segmenter keeps whole, 法治 in 依法治理);
//! - `split_across_words`: across two words (法治 in 宪法 | 治理);
//! - `across_boundary`: across punctuation or a paragraph break (法。治);
//! - `other_frame_won`: inside a longer expression of another frame, which wins;
//! - `overlaps_other_match`: partly inside another match, which came first
//!   (leftmost-longest: "personal data protection" is "personal data" + protection);
//! - `excluded`: inside an exclusion of the lexicon that won the match
//!   ("responsible" in "responsible for").
//!
//! The search runs on the tokens' normalised forms joined as written (Chinese words
//! run together, others spaced), so it sees what the matcher saw.

use std::sync::Arc;

use aho_corasick::AhoCorasick;

use super::{Hit, Matcher, Matches};
use crate::analyze::{Script, Token, join_words};
use crate::error::{Error, Result};
use crate::span::{InContext, intern};

/// Why an occurrence was not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    InsideWord,
    SplitAcrossWords,
    AcrossBoundary,
    OtherFrameWon,
    OverlapsOtherMatch,
    Excluded,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::InsideWord => "inside_word",
            Reason::SplitAcrossWords => "split_across_words",
            Reason::AcrossBoundary => "across_boundary",
            Reason::OtherFrameWon => "other_frame_won",
            Reason::OverlapsOtherMatch => "overlaps_other_match",
            Reason::Excluded => "excluded",
        }
    }
}

/// One frame expression as the audit searches for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Needle {
    pub frame: usize,
    /// As written in the lexicon, e.g. `法治`, `trustworth*`.
    pub expression: String,
    /// As it appears in the joined token stream, e.g. `法治`, `trustworth`.
    pub surface: String,
}

/// An occurrence that was not counted, with its context (as a concordance line).
#[derive(Debug, Clone, PartialEq)]
pub struct Leak {
    pub frame: usize,
    /// Index into the auditor's needles.
    pub needle: usize,
    pub reason: Reason,
    /// The words the occurrence falls in, normalised, joined by ` | `.
    pub words: Arc<str>,
    /// The words as written, with context.
    pub at: InContext,
}

/// The compiled search for every expression of a lexicon.
pub struct Auditor {
    needles: Vec<Needle>,
    search: AhoCorasick,
}

impl Auditor {
    /// The search for every expression `matcher` looks for, written as the joined
    /// token stream shows it (a prefix `trustworth*` as `trustworth`).
    pub fn new(matcher: &Matcher) -> Result<Auditor> {
        let needles: Vec<Needle> = matcher
            .expressions()
            .map(|(frame, expression, parts)| {
                let mut surface = String::new();
                let words = parts.iter().map(|p| (p.word(), Script::of(p.word())));
                join_words(words, &mut surface, |_| ());
                Needle {
                    frame,
                    expression: expression.to_string(),
                    surface,
                }
            })
            .collect();
        // A DFA: the fastest overlapping search, and a lexicon is small. A lexicon
        // too large for one is an error the user can act on, not a panic.
        let search = AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(needles.iter().map(|n| n.surface.as_str()))
            .map_err(|e| {
                Error::Invalid(format!(
                    "the lexicon's {} expressions do not build the audit's search: {e}",
                    needles.len()
                ))
            })?;
        Ok(Auditor { needles, search })
    }

    pub fn needles(&self) -> &[Needle] {
        &self.needles
    }

    /// The uncounted occurrences in `tokens` (with what the matcher `found` in
    /// them), in text order; `window` tokens of context on each side.
    pub fn leaks(&self, tokens: &[Token<'_>], found: &Matches, window: usize) -> Vec<Leak> {
        let hits = &found.hits[..];
        if tokens.is_empty() || self.needles.is_empty() {
            return Vec::new();
        }
        let mut surface = String::new();
        let mut starts = Vec::with_capacity(tokens.len());
        let words = tokens.iter().map(|t| (t.term.as_ref(), t.script));
        join_words(words, &mut surface, |at| starts.push(at));
        // The token holding surface byte `at` (a separator belongs to the token before).
        let token_at = |at: usize| starts.partition_point(|&s| s <= at) - 1;
        let mut leaks = Vec::new();
        let mut words_buf = String::new();
        let mut seen_words: rustc_hash::FxHashSet<Arc<str>> = Default::default();
        for m in self.search.find_overlapping_iter(&surface) {
            let needle = m.pattern().as_usize();
            let frame = self.needles[needle].frame;
            let (first, last) = (token_at(m.start()), token_at(m.end() - 1));
            // The hits touching these words: hits are in text order and do not
            // overlap (leftmost-longest), so their ends are in order too.
            let from = hits.partition_point(|h| h.first + h.len <= first);
            let touching = || hits[from..].iter().take_while(|h| h.first <= last);
            let covers = |h: &&Hit| h.first <= first && last < h.first + h.len;
            // Counted when a hit of the frame covers these words (by this expression
            // or a longer one of the same frame, such as 网络空间主权 for 主权).
            if touching().filter(covers).any(|h| h.frame == frame) {
                continue;
            }
            let other = touching().any(|h| covers(&h));
            let overlapping = touching().next().is_some();
            let excluded = found.excluded.iter().any(|e| e.covers(frame, first, last));
            let reason = if excluded {
                Reason::Excluded
            } else if other {
                Reason::OtherFrameWon
            } else if overlapping {
                Reason::OverlapsOtherMatch
            } else if tokens[first..=last]
                .iter()
                .any(|t| t.clause != tokens[first].clause)
            {
                Reason::AcrossBoundary
            } else if first == last {
                Reason::InsideWord
            } else {
                // Its edges inside words (宪法 | 治理), or whole words that are not
                // the expression's words (法 | 治 for the one word 法治, as where a
                // very long Han run is cut for the segmenter).
                Reason::SplitAcrossWords
            };
            words_buf.clear();
            for (k, t) in tokens[first..=last].iter().enumerate() {
                if k > 0 {
                    words_buf.push_str(" | ");
                }
                words_buf.push_str(&t.term);
            }
            leaks.push(Leak {
                frame,
                needle,
                reason,
                words: intern(&mut seen_words, &words_buf),
                at: Token::in_context(tokens, first, last, window),
            });
        }
        leaks
    }
}

#[cfg(test)]
mod tests {
    use crate::analyze::{Analyzer, ChineseScript};
    use crate::lexicon::{Auditor, Lexicon, Matcher};

    fn leaks(text: &str) -> Vec<(String, &'static str, String)> {
        let lexicon = Lexicon::builtin();
        let analyzer = Analyzer::new(&lexicon.chinese_words());
        let matcher = Matcher::new(&lexicon, &analyzer).unwrap();
        let mut tokens = Vec::new();
        analyzer.tokenize(
            text,
            (0, text.len()),
            ChineseScript::Simplified,
            &mut tokens,
        );
        let found = matcher.find_all(&tokens);
        let auditor = Auditor::new(&matcher).unwrap();
        auditor
            .leaks(&tokens, &found, 3)
            .into_iter()
            .map(|l| {
                (
                    auditor.needles()[l.needle].expression.clone(),
                    l.reason.as_str(),
                    l.words.to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn words_the_counts_leave_out_are_found_with_their_reason() {
        // 依法治理 is one word: 法治 is inside it, not rule of law.
        assert_eq!(
            leaks("坚持依法治理。"),
            vec![("法治".into(), "inside_word", "依法治理".into())]
        );
        // 宪法治理 is 宪法 | 治理: 法治 is split across words.
        assert!(leaks("完善宪法治理体系").contains(&(
            "法治".into(),
            "split_across_words",
            "宪法 | 治理".into()
        )));
        // Across a full stop.
        assert!(
            leaks("依法。治国")
                .iter()
                .any(|(e, r, _)| e == "法治" && *r == "across_boundary")
        );
        // Inside a longer English word.
        assert!(leaks("An untrustworthy system.").contains(&(
            "trustworth*".into(),
            "inside_word",
            "untrustworthy".into()
        )));
        // "personal data" came first, so "data protection" lost its first word.
        assert!(leaks("Personal data protection matters.").contains(&(
            "data protection".into(),
            "overlaps_other_match",
            "data | protection".into()
        )));
        // An exclusion of the frame won: its own reason.
        assert!(
            leaks("The authority responsible for market surveillance.").contains(&(
                "responsible".into(),
                "excluded",
                "responsible".into()
            ))
        );
        assert!(leaks("Research and development.").contains(&(
            "development".into(),
            "excluded",
            "development".into()
        )));
        // Counted occurrences are not leaks.
        assert!(leaks("坚持法治。Trustworthy AI.").is_empty());
    }
}
