//! The expensive, shared half of the per-document pass, built in one place.
//!
//! A lexicon becomes three things every document needs: the [`Analyzer`] (whose
//! Chinese dictionary holds the lexicon's words, so a frame term is cut as one
//! word), the [`Matcher`] (the expressions compiled to the analyzer's tokens) and
//! the [`Auditor`] (what the counts leave out, and why). They are built in this
//! order, once per command, and shared by every thread; each command then takes a
//! [`Pass`] from the engine with its own sizes and context. Building them anywhere
//! else would let two commands cut the same text differently.

use super::{ContextOptions, Pass};
use crate::analyze::{Analyzer, Token};
use crate::document::structure::CountedZones;
use crate::error::Result;
use crate::lexicon::{Auditor, Hit, Leak, Lexicon, Matcher};

/// The frame hits of a run of tokens, and the occurrences of frame expressions
/// left out, with their reasons.
#[derive(Debug, Clone, Default)]
pub struct Decided {
    /// In text order: the matcher's hits, and the expressions the audit finds
    /// made of whole constituents of longer Chinese words.
    pub hits: Vec<Hit>,
    pub leaks: Vec<Leak>,
}

/// Decides the frame hits of `tokens`: the one place that does, for every
/// command (`window` is the context of each leak, in tokens).
fn decide(
    matcher: &Matcher,
    auditor: &Auditor,
    analyzer: &Analyzer,
    tokens: &[Token<'_>],
    window: usize,
) -> Decided {
    let found = matcher.find_all(tokens);
    let audit = auditor.audit(tokens, &found, window, analyzer.chinese());
    let mut hits = found.hits;
    if !audit.constituents.is_empty() {
        // Constituents of longer words count as hits, in text order.
        hits.extend(audit.constituents);
        hits.sort_by_key(|h| (h.first, h.len, h.frame));
    }
    Decided {
        hits,
        leaks: audit.leaks,
    }
}

/// The analyzer, matcher and auditor of one lexicon.
pub struct Engine {
    pub analyzer: Analyzer,
    pub matcher: Matcher,
    pub auditor: Auditor,
}

impl Engine {
    /// The engine of `lexicon`: its Chinese words in the segmenter's dictionary.
    pub fn new(lexicon: &Lexicon) -> Result<Engine> {
        Engine::with_analyzer(Analyzer::new(&lexicon.chinese_words()), lexicon)
    }

    /// The engine of `lexicon` over an analyzer built already (`kwic` adds its
    /// query to the dictionary).
    pub fn with_analyzer(analyzer: Analyzer, lexicon: &Lexicon) -> Result<Engine> {
        let matcher = Matcher::new(lexicon, &analyzer)?;
        let auditor = Auditor::new(&matcher)?;
        Ok(Engine {
            analyzer,
            matcher,
            auditor,
        })
    }

    /// The frame hits of `tokens` ([`Decided`]), leaks with `window` tokens of
    /// context.
    pub fn decide(&self, tokens: &[Token<'_>], window: usize) -> Decided {
        decide(&self.matcher, &self.auditor, &self.analyzer, tokens, window)
    }

    /// The pass of a run: `context`, the size limit and the counted zones.
    pub fn pass(
        &self,
        context: ContextOptions,
        max_file_bytes: u64,
        counted_zones: CountedZones,
    ) -> Pass<'_> {
        Pass {
            analyzer: &self.analyzer,
            matcher: &self.matcher,
            auditor: &self.auditor,
            context,
            max_file_bytes,
            counted_zones,
        }
    }

    /// The pass of the commands that look at a corpus without running it: the
    /// size limit and zones of their plan, concordance context of `window` tokens,
    /// no collocates.
    pub fn inspection_pass(
        &self,
        window: usize,
        (max_file_bytes, counted_zones): (u64, CountedZones),
    ) -> Pass<'_> {
        let context = ContextOptions {
            kwic_window: window,
            collocation_window: 0,
            keywords: 0,
            ngram_max: 0,
        };
        self.pass(context, max_file_bytes, counted_zones)
    }
}

impl Pass<'_> {
    /// The frame hits of `tokens` ([`Decided`]), leaks in the pass' context.
    pub fn decide(&self, tokens: &[Token<'_>]) -> Decided {
        let window = self.context.kwic_window;
        decide(self.matcher, self.auditor, self.analyzer, tokens, window)
    }
}
