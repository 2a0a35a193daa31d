//! The expensive, shared half of the per-document pass, built in one place.
//!
//! A lexicon becomes three things every document needs: the [`Analyzer`] (whose
//! Chinese dictionary holds the lexicon's words, so a frame term is cut as one
//! word), the [`Matcher`] (the expressions compiled to the analyzer's tokens) and
//! the [`Auditor`] (what the counts leave out, and why). They are built in this
//! order, once per command, and shared by every thread; each command then takes a
//! [`Pass`] from the engine with its own sizes and context. Building them anywhere
//! else would let two commands cut the same text differently.

use std::sync::Arc;

use super::{ContextOptions, Pass};
use crate::analyze::{Analyzer, Token};
use crate::document::structure::CountedZones;
use crate::error::Result;
use crate::lexicon::{Auditor, Hit, Leak, Lexicon, Matcher, Reason, names};

/// The frame hits of a run of tokens, and the occurrences of frame expressions
/// left out, with their reasons.
#[derive(Debug, Clone, Default)]
pub struct Decided {
    /// In text order: the matcher's hits, and the expressions the audit finds
    /// made of whole constituents of longer Chinese words.
    pub hits: Vec<Hit>,
    pub leaks: Vec<Leak>,
}

/// Decides the frame hits of `tokens` (whose spans point into `text`): the one
/// place that does, for every command. The matcher's hits and the constituents
/// the audit finds, in text order; a hit inside a name ([`names`]) is left out,
/// as a leak with reason `name`, unless `count_names` (`window` is the context
/// of each leak, in tokens).
fn decide(
    engine: (&Matcher, &Auditor, &Analyzer),
    text: &str,
    tokens: &[Token<'_>],
    window: usize,
    count_names: bool,
) -> Decided {
    let (matcher, auditor, analyzer) = engine;
    let found = matcher.find_all(tokens);
    let (mut hits, mut leaks) = auditor.hits(tokens, found, window, analyzer.chinese());
    if !count_names && !hits.is_empty() {
        hits = set_names_aside((matcher, auditor), text, tokens, window, hits, &mut leaks);
    }
    Decided { hits, leaks }
}

/// The hits not inside a name; those inside one become leaks with reason `name`
/// and the name as written (a constituent's leak is the one it had). A name the
/// rule finds that holds one the lexicon lists to count is no name; a hit inside
/// a name the lexicon lists to set aside is inside a name.
fn set_names_aside(
    (matcher, auditor): (&Matcher, &Auditor),
    text: &str,
    tokens: &[Token<'_>],
    window: usize,
    hits: Vec<Hit>,
    leaks: &mut Vec<Leak>,
) -> Vec<Hit> {
    let names = names::names_of_hits(text, tokens, &hits);
    let (Some(head), Some(tail)) = (tokens.first(), tokens.last()) else {
        return hits;
    };
    let listed = matcher.names.set_aside_in(text, (head.start, tail.end));
    if names.iter().all(Option::is_none) && listed.is_empty() {
        return hits;
    }
    let mut kept = Vec::with_capacity(hits.len());
    for (hit, name) in hits.into_iter().zip(names) {
        let (start, end) = (tokens[hit.first].start, tokens[hit.first + hit.len - 1].end);
        let found = name
            .map(|(a, b)| &text[tokens[a].start..tokens[b].end])
            .filter(|written| !matcher.names.counts(written));
        // A listed name holding the hit's words.
        let i = listed.partition_point(|&(_, e)| e < end);
        let listed_name = listed
            .get(i)
            .filter(|&&(s, e)| s <= start && end <= e)
            .map(|&(s, e)| &text[s..e]);
        let Some(written) = found.or(listed_name) else {
            kept.push(hit);
            continue;
        };
        let written: Arc<str> = crate::span::one_line(written).into();
        let last = hit.first + hit.len - 1;
        let at = Token::in_context(tokens, hit.first, last, window);
        // Only a constituent hit has a leak already (reason `constituent`).
        let constituent = hit.part.as_ref().and_then(|_| {
            leaks.iter_mut().find(|l| {
                l.reason == Reason::Constituent && l.frame == hit.frame && l.at.start == at.start
            })
        });
        match constituent {
            Some(leak) => {
                leak.reason = Reason::Name;
                leak.words = written;
            }
            None => {
                let Some(needle) = auditor.needle_of(hit.frame, &hit.pattern) else {
                    // Every expression has its needle; kept, were one missing.
                    kept.push(hit);
                    continue;
                };
                leaks.push(Leak {
                    frame: hit.frame,
                    needle,
                    reason: Reason::Name,
                    words: written,
                    at,
                });
            }
        }
    }
    leaks.sort_by_key(|l| l.at.start);
    kept
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

    /// The frame hits of `tokens` ([`Decided`]), whose spans point into
    /// `text`, leaks with `window` tokens of context; names set aside.
    pub fn decide(&self, text: &str, tokens: &[Token<'_>], window: usize) -> Decided {
        let engine = (&self.matcher, &self.auditor, &self.analyzer);
        decide(engine, text, tokens, window, false)
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
            count_names: false,
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

impl<'a> Pass<'a> {
    /// The frame hits of `tokens` ([`Decided`]), whose spans point into `text`,
    /// leaks in the pass' context.
    pub fn decide(&self, text: &str, tokens: &[Token<'_>]) -> Decided {
        let engine = (self.matcher, self.auditor, self.analyzer);
        let window = self.context.kwic_window;
        decide(engine, text, tokens, window, self.count_names)
    }

    /// The pass, counting the frame hits inside names too (or not).
    pub fn counting_names(self, count_names: bool) -> Pass<'a> {
        Pass {
            count_names,
            ..self
        }
    }
}
