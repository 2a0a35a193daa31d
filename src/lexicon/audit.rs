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
//! One kind of occurrence inside or across Chinese words *is* counted, and listed
//! here too so that the decision stays visible: `constituent`, where the
//! expression is made of whole constituents of the words it falls in, as the
//! segmenter itself would cut them ([`ChineseSegmenter::constituents`]): 个人信息 in
//! 个人 | 信息处理 | 者 (信息处理 is 信息 + 处理), 创新 in 技术创新. Where it straddles
//! constituents it is not: 法治 in 依法治理 (依法 + 治理), 善治 in 改善 | 治理, 合治 in
//! 综合 | 治理; nor where it takes a single character of a word (法 of 依法).
//!
//! The search runs on the tokens' normalised forms joined as written (Chinese words
//! run together, others spaced), so it sees what the matcher saw.

use std::sync::Arc;

use aho_corasick::AhoCorasick;

use super::{Hit, Matcher, Matches};
use crate::analyze::{ChineseSegmenter, Script, Token, join_words};
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
    /// Counted: made of whole constituents of the Chinese words it falls in.
    Constituent,
    /// Part of a name (of a body, office, law, programme or document), which
    /// `words` gives as written ([`super::names`]); counted only with
    /// `count_names`.
    Name,
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
            Reason::Constituent => "constituent",
            Reason::Name => "name",
        }
    }
}

/// One frame expression as the audit searches for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Needle {
    pub frame: usize,
    /// As written in the lexicon, e.g. `法治`, `trustworth*`.
    pub expression: Arc<str>,
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

/// What the audit of a token stream found: the occurrences the matcher did not
/// count (and those it now counts as constituents, with reason `constituent`),
/// and the hits those constituents make.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Audit {
    pub leaks: Vec<Leak>,
    /// Hits of frame expressions that are constituents of longer Chinese words, in
    /// text order; [`Hit::part`] is the expression's text.
    pub constituents: Vec<Hit>,
}

/// An occurrence made of constituents, before the count decides on it: (index of
/// its leak, needle, surface span, first and last token).
type Candidate = (usize, usize, (usize, usize), (usize, usize));

/// The compiled search for every expression of a lexicon.
pub struct Auditor {
    needles: Vec<Needle>,
    /// Each (frame, expression)'s needle.
    by_expression: rustc_hash::FxHashMap<(usize, Arc<str>), usize>,
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
                    expression: expression.clone(),
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
        let by_expression = needles
            .iter()
            .enumerate()
            .map(|(i, n)| ((n.frame, n.expression.clone()), i))
            .collect();
        Ok(Auditor {
            needles,
            by_expression,
            search,
        })
    }

    pub fn needles(&self) -> &[Needle] {
        &self.needles
    }

    /// The needle of a frame's expression.
    pub fn needle_of(&self, frame: usize, expression: &Arc<str>) -> Option<usize> {
        self.by_expression
            .get(&(frame, expression.clone()))
            .copied()
    }

    /// The uncounted occurrences in `tokens` (with what the matcher `found` in
    /// them), in text order, with `window` tokens of context on each side; and
    /// the occurrences inside or across Chinese words that `chinese` cuts into
    /// constituents the expression is made of, which count.
    pub fn audit(
        &self,
        tokens: &[Token<'_>],
        found: &Matches,
        window: usize,
        chinese: &ChineseSegmenter,
    ) -> Audit {
        let mut audit = Audit::default();
        if tokens.is_empty() || self.needles.is_empty() {
            return audit;
        }
        let hits = &found.hits[..];
        let mut surface = String::new();
        let mut starts = Vec::with_capacity(tokens.len());
        let words = tokens.iter().map(|t| (t.term.as_ref(), t.script));
        join_words(words, &mut surface, |at| starts.push(at));
        // The token holding surface byte `at` (a separator belongs to the token before).
        let token_at = |at: usize| starts.partition_point(|&s| s <= at) - 1;
        let mut words_buf = String::new();
        let mut seen_words: rustc_hash::FxHashSet<Arc<str>> = Default::default();
        let mut candidates: Vec<Candidate> = Vec::new();
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
            let in_words = tokens[first..=last]
                .iter()
                .all(|t| t.clause == tokens[first].clause);
            let mut reason = if excluded {
                Reason::Excluded
            } else if other {
                Reason::OtherFrameWon
            } else if overlapping {
                Reason::OverlapsOtherMatch
            } else if !in_words {
                Reason::AcrossBoundary
            } else if first == last {
                Reason::InsideWord
            } else {
                // Its edges inside words (宪法 | 治理), or whole words that are not
                // the expression's words (法 | 治 for the one word 法治, as where a
                // very long Han run is cut for the segmenter).
                Reason::SplitAcrossWords
            };
            let span = (m.start(), m.end());
            if matches!(reason, Reason::InsideWord | Reason::SplitAcrossWords)
                && made_of_constituents(&tokens[first..=last], &starts[first..=last], span, chinese)
            {
                // Decided below, leftmost-longest among the constituents of a frame.
                reason = Reason::Constituent;
                candidates.push((audit.leaks.len(), needle, span, (first, last)));
            }
            words_buf.clear();
            for (k, t) in tokens[first..=last].iter().enumerate() {
                if k > 0 {
                    words_buf.push_str(" | ");
                }
                words_buf.push_str(&t.term);
            }
            audit.leaks.push(Leak {
                frame,
                needle,
                reason,
                words: intern(&mut seen_words, &words_buf),
                at: Token::in_context(tokens, first, last, window),
            });
        }
        self.count_constituents(candidates, &mut audit);
        audit
    }

    /// The hits of `tokens`: the matcher's (`found`) and the constituents of
    /// longer Chinese words the audit counts, in text order; with the leaks
    /// (`window` tokens of context each).
    pub fn hits(
        &self,
        tokens: &[Token<'_>],
        found: Matches,
        window: usize,
        chinese: &ChineseSegmenter,
    ) -> (Vec<Hit>, Vec<Leak>) {
        let audit = self.audit(tokens, &found, window, chinese);
        let mut hits = found.hits;
        if !audit.constituents.is_empty() {
            hits.extend(audit.constituents);
            hits.sort_by_key(|h| (h.first, h.len, h.frame));
        }
        (hits, audit.leaks)
    }

    /// Counts the constituent occurrences as hits, leftmost-longest per frame (as
    /// the matcher counts words: 伦理道德 once, not 伦理 and 道德); one overlapping
    /// a counted one of its frame gets the reason `overlaps_other_match`.
    fn count_constituents(&self, mut candidates: Vec<Candidate>, audit: &mut Audit) {
        candidates.sort_by_key(|&(leak, _, (a, b), _)| (a, std::cmp::Reverse(b - a), leak));
        let mut counted: Vec<(usize, usize, usize)> = Vec::new();
        for (leak, needle, (a, b), (first, last)) in candidates {
            let frame = self.needles[needle].frame;
            if counted
                .iter()
                .any(|&(f, x, y)| f == frame && x < b && a < y)
            {
                audit.leaks[leak].reason = Reason::OverlapsOtherMatch;
                continue;
            }
            counted.push((frame, a, b));
            audit.constituents.push(Hit {
                first,
                len: last - first + 1,
                frame,
                pattern: self.needles[needle].expression.clone(),
                part: Some(self.needles[needle].surface.as_str().into()),
            });
        }
        audit
            .constituents
            .sort_by_key(|h| (h.first, h.len, h.frame));
    }
}

/// Whether the occurrence at surface bytes `span`, over `tokens` (which start at
/// surface bytes `starts`), is made of whole constituents: of every Han token it
/// touches it takes the whole token, or a run of the token's constituents of at
/// least two characters each.
fn made_of_constituents(
    tokens: &[Token<'_>],
    starts: &[usize],
    span: (usize, usize),
    chinese: &ChineseSegmenter,
) -> bool {
    tokens.iter().zip(starts).all(|(t, &start)| {
        let term = t.term.as_ref();
        let a = span.0.max(start) - start;
        let b = span.1.min(start + term.len()) - start;
        if t.script != Script::Han || a >= b {
            return false;
        }
        if a == 0 && b == term.len() {
            return true;
        }
        let cut = chinese.constituents(term);
        let inside: Vec<&(usize, usize)> = cut.iter().filter(|&&(s, e)| a <= s && e <= b).collect();
        inside.first().is_some_and(|c| c.0 == a)
            && inside.last().is_some_and(|c| c.1 == b)
            && inside
                .iter()
                .all(|&&(s, e)| term[s..e].chars().count() >= 2)
    })
}

#[cfg(test)]
mod tests {
    use crate::analyze::{Analyzer, ChineseScript};
    use crate::lexicon::{Auditor, Lexicon, Matcher};

    fn leaks(text: &str) -> Vec<(String, &'static str, String)> {
        audit(text).0
    }

    /// (expression, reason, words) of each occurrence, and the constituent hits as
    /// (frame, part).
    /// (expression, reason, words) of each occurrence.
    type Rows = Vec<(String, &'static str, String)>;

    fn audit(text: &str) -> (Rows, Vec<(String, String)>) {
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
        let audit = auditor.audit(&tokens, &found, 3, analyzer.chinese());
        let leaks = audit
            .leaks
            .into_iter()
            .map(|l| {
                (
                    auditor.needles()[l.needle].expression.to_string(),
                    l.reason.as_str(),
                    l.words.to_string(),
                )
            })
            .collect();
        let ids = matcher.frame_ids();
        let hits = audit
            .constituents
            .into_iter()
            .map(|h| (ids[h.frame].clone(), h.part.unwrap().to_string()))
            .collect();
        (leaks, hits)
    }

    #[test]
    fn constituents_of_longer_words_count_and_straddles_do_not() {
        type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)], &'a str);
        let cases: &[Case] = &[
            // (name, text, constituent hits, the reason the occurrence gets)
            (
                "个人信息 in 个人 | 信息处理 | 者",
                "个人信息处理者名单",
                &[("privacy_data_protection", "个人信息")],
                "constituent",
            ),
            (
                "安全 in 安全事件",
                "小组复盘安全事件",
                &[("safety_security", "安全")],
                "constituent",
            ),
            (
                "创新 in 技术创新",
                "乡村学校技术创新",
                &[("innovation", "创新")],
                "constituent",
            ),
            (
                "人权 straddles 个人 | 权益",
                "保护个人权益",
                &[],
                "split_across_words",
            ),
            (
                "法治 straddles 依法 + 治理",
                "推进依法治理",
                &[],
                "inside_word",
            ),
            (
                "善治 straddles 改善 | 治理",
                "不断改善治理能力",
                &[],
                "split_across_words",
            ),
            (
                "合治 straddles 综合 + 治理, one word",
                "开展综合治理工作",
                &[],
                "inside_word",
            ),
            (
                "合治 straddles 混合 | 治理",
                "混合治理对象",
                &[],
                "split_across_words",
            ),
        ];
        for (name, text, want_hits, want_reason) in cases {
            let (leaks, hits) = audit(text);
            let want: Vec<(String, String)> = want_hits
                .iter()
                .map(|(f, p)| (f.to_string(), p.to_string()))
                .collect();
            assert_eq!(hits, want, "{name}: {leaks:?}");
            assert!(
                leaks.iter().any(|(_, r, _)| r == want_reason),
                "{name}: {want_reason} in {leaks:?}"
            );
        }
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
        assert!(leaks("The office responsible for inspections.").contains(&(
            "responsible".into(),
            "excluded",
            "responsible".into()
        )));
        // A phrase expression inside a longer exclusion of its frame.
        assert!(
            leaks("Research and technology development.")
                .iter()
                .any(|(e, reason, _)| e == "technology development" && *reason == "excluded")
        );
        // Counted occurrences are not leaks.
        assert!(leaks("坚持法治。Trustworthy AI.").is_empty());
    }
}
