//! Term, frame and unit counts of one document, and the other analyses of it
//! ([`super::analysis`]).
//!
//! The document is analysed piece by piece (pieces of at most
//! [`MAX_PIECE_BYTES`](crate::analyze::MAX_PIECE_BYTES)), so the token buffer is
//! bounded by the piece, not the document; the counts are merged as they come.
//! Pieces are cut at paragraph breaks where there are any, where phrases cannot
//! match anyway; only a paragraph longer than a piece is cut at a line break or a
//! space, where a phrase (or a context window) straddling the cut is lost.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::sync::Arc;

use super::Pass;
use super::analysis::{Analysis, Piece};
use super::collocates::Collocates;
use super::engine::Decided;
use super::ngrams::Ngrams;
use super::structure::{Unit, Zone, unit_at, units_in_zones, zone_at, zones};
use super::textrank::TextRank;
use crate::analyze::{ChineseScript, MAX_PIECE_BYTES, Token, join_terms_into, pieces};
use crate::corpus::layout::Layout;
use crate::lexicon::Leak;
use crate::span::{InContext, intern};

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
    pub terms: Terms,
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
    /// (frame index, index of the word in `terms`, co-occurrences), sorted.
    pub collocates: Vec<(usize, usize, u64)>,
    /// Tokens inside the collocation windows of each frame (lexicon order).
    pub window_tokens: Vec<u64>,
    /// Occurrences of frame expressions that were not counted, in text order.
    pub audit: Vec<Leak>,
    /// Word tokens each zone held (in [`Zone::ALL`] order), counted or not.
    pub zone_tokens: [u64; Zone::ALL.len()],
    /// Word tokens of the zones not counted (not in `n_tokens`).
    pub left_out: u64,
    /// The document's TextRank keywords and their scores, best first.
    pub keywords: Vec<(String, f64)>,
    /// N-grams of 2 to `ngram_max` words and their counts, in no order.
    pub ngrams: Vec<(String, u32)>,
}

/// A document's distinct terms and their counts, sorted by term, held in one
/// string (a document has thousands of distinct terms: one allocation, not one
/// each).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Terms {
    text: String,
    /// (start, end) in `text`, count.
    entries: Vec<(usize, usize, u64)>,
}

impl Terms {
    /// From distinct terms and counts, in any order.
    pub fn new(mut terms: Vec<(&str, u64)>) -> Terms {
        terms.sort_unstable();
        let mut text = String::with_capacity(terms.iter().map(|(t, _)| t.len()).sum());
        let entries = terms
            .into_iter()
            .map(|(t, n)| {
                let start = text.len();
                text.push_str(t);
                (start, text.len(), n)
            })
            .collect();
        Terms { text, entries }
    }

    /// The `i`-th term (in term order).
    pub fn term(&self, i: usize) -> &str {
        let (a, b, _) = self.entries[i];
        &self.text[a..b]
    }

    /// (term, count), sorted by term.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> + '_ {
        self.entries.iter().map(|&(a, b, n)| (&self.text[a..b], n))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// One frame hit with its context, as byte ranges of the document's text (a
/// document can have millions of hits: the strings are made when its table is
/// written, a slice of rows at a time).
#[derive(Debug, Clone, PartialEq)]
pub struct KwicHit {
    pub frame: usize,
    /// The matched tokens, normalised (shared by all hits with that text).
    pub term: Arc<str>,
    pub at: InContext,
    pub unit: usize,
}

/// Context sizes, in tokens on each side (their defaults are the statistics
/// settings', [`crate::stats::Settings`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContextOptions {
    pub kwic_window: usize,
    pub collocation_window: usize,
    /// TextRank keywords kept per document (0: none computed).
    pub keywords: usize,
    /// The longest n-gram counted (0: no n-grams).
    pub ngram_max: usize,
}

impl DocCounts {
    /// Number of distinct terms.
    pub fn n_types(&self) -> u64 {
        self.terms.len() as u64
    }
}

/// The analyses every document gets besides its terms and frame hits
/// ([`super::analysis`]), in the order they finish.
type Analyses = (Collocates, (TextRank, Ngrams));

const ANALYSES: Analyses = (Collocates, (TextRank, Ngrams));

/// What one piece of a document holds; pieces are tallied in parallel and merged
/// in text order.
struct PieceTally<'t> {
    n_tokens: u64,
    terms: HashMap<Cow<'t, str>, u64>,
    unit_tokens: Vec<u64>,
    zone_tokens: [u64; Zone::ALL.len()],
    left_out: u64,
    hits: HitTally,
    /// The tallies of the other analyses ([`ANALYSES`]).
    analyses: <Analyses as Analysis>::Tally<'t>,
}

/// The frame hits of a piece, and the occurrences left out.
#[derive(Default)]
struct HitTally {
    frames: HashMap<(usize, Arc<str>, Arc<str>), u64>,
    /// Each distinct matched text once, shared by its hits.
    hit_terms: rustc_hash::FxHashSet<Arc<str>>,
    unit_frames: HashMap<(usize, usize), u64>,
    kwic: Vec<KwicHit>,
    audit: Vec<Leak>,
}

impl HitTally {
    fn merge(&mut self, other: HitTally) {
        for (k, n) in other.frames {
            *self.frames.entry(k).or_insert(0) += n;
        }
        for (k, n) in other.unit_frames {
            *self.unit_frames.entry(k).or_insert(0) += n;
        }
        self.kwic.extend(other.kwic);
        self.audit.extend(other.audit);
        self.hit_terms.extend(other.hit_terms);
    }
}

impl<'t> PieceTally<'t> {
    fn merge(&mut self, other: PieceTally<'t>) {
        self.n_tokens += other.n_tokens;
        for (k, n) in other.terms {
            *self.terms.entry(k).or_insert(0) += n;
        }
        for (a, b) in self.unit_tokens.iter_mut().zip(other.unit_tokens) {
            *a += b;
        }
        self.hits.merge(other.hits);
        for (a, b) in self.zone_tokens.iter_mut().zip(other.zone_tokens) {
            *a += b;
        }
        self.left_out += other.left_out;
        ANALYSES.merge(&mut self.analyses, other.analyses);
    }
}

/// Everything needed to tally one piece.
struct Tallier<'a, 't> {
    text: &'t str,
    /// `text` ASCII-lowercased, for the terms of ASCII words.
    lower: &'t str,
    units: &'a [Unit],
    /// The document's zones other than the body.
    zones: &'a [(usize, usize, Zone)],
    script: ChineseScript,
    pass: &'a Pass<'a>,
}

impl<'t> Tallier<'_, 't> {
    fn tally(&self, range: (usize, usize)) -> PieceTally<'t> {
        // About one token per five bytes of English, fewer of Chinese.
        let mut tokens: Vec<Token<'t>> = Vec::with_capacity((range.1 - range.0) / 5 + 16);
        self.pass.analyzer.tokenize_lowered(
            self.text,
            Some(self.lower),
            range,
            self.script,
            &mut tokens,
        );
        // A piece lies in one zone (pieces are cut at zone boundaries): a zone not
        // counted is tallied for its size and nothing else, so no phrase, context
        // or collocation window reaches across it.
        let zone = zone_at(self.zones, range.0);
        let mut zone_tokens = [0; Zone::ALL.len()];
        zone_tokens[zone as usize] = tokens.len() as u64;
        let mut left_out = 0;
        if !self.pass.counted_zones.contains(zone) {
            left_out = tokens.len() as u64;
            tokens.clear();
        }
        let decided = self.pass.decide(self.text, &tokens);
        let piece = Piece {
            tokens: &tokens,
            hits: &decided.hits,
            frames: self.pass.matcher.frame_ids().len(),
            context: self.pass.context,
        };
        let analyses = ANALYSES.tally(&piece);
        let hits = self.hit_tally(&tokens, decided);
        let (terms, unit_tokens) = self.term_tally(tokens);
        PieceTally {
            n_tokens: unit_tokens.iter().sum(),
            terms,
            unit_tokens,
            zone_tokens,
            left_out,
            hits,
            analyses,
        }
    }

    /// The frame counts, concordance lines and leaks of a piece's decided hits.
    fn hit_tally(&self, tokens: &[Token<'t>], decided: Decided) -> HitTally {
        let mut p = HitTally {
            audit: decided.leaks,
            ..HitTally::default()
        };
        let window = self.pass.context.kwic_window;
        let mut matched = String::new();
        for hit in decided.hits {
            matched.clear();
            match &hit.part {
                Some(part) => matched.push_str(part),
                None => join_terms_into(&tokens[hit.first..hit.first + hit.len], &mut matched),
            }
            let term = intern(&mut p.hit_terms, &matched);
            let unit = unit_at(self.units, tokens[hit.first].start);
            *p.unit_frames.entry((unit, hit.frame)).or_insert(0) += 1;
            let last = hit.first + hit.len - 1;
            p.kwic.push(KwicHit {
                frame: hit.frame,
                term: term.clone(),
                at: Token::in_context(tokens, hit.first, last, window),
                unit,
            });
            *p.frames.entry((hit.frame, term, hit.pattern)).or_insert(0) += 1;
        }
        p
    }

    /// The terms of a piece and its tokens per unit.
    fn term_tally(&self, tokens: Vec<Token<'t>>) -> (HashMap<Cow<'t, str>, u64>, Vec<u64>) {
        let units = self.units;
        let mut terms = HashMap::default();
        let mut unit_tokens = vec![0; units.len()];
        // Tokens are in text order: walk the units along with them.
        let mut unit = tokens.first().map_or(0, |t| unit_at(units, t.start));
        for t in tokens {
            while unit + 1 < units.len() && units[unit + 1].start <= t.start {
                unit += 1;
            }
            unit_tokens[unit] += 1;
            *terms.entry(t.term).or_insert(0) += 1;
        }
        (terms, unit_tokens)
    }
}

/// Segments `text` and counts its terms, frame hits (with their contexts and
/// collocates) and units. A long document's pieces are analysed in parallel, so a
/// single 100 MB law does not run on one core; the result does not depend on it.
pub fn count_document(text: &str, script: ChineseScript, pass: &Pass<'_>) -> DocCounts {
    count_document_in(text, &Layout::default(), script, pass)
}

/// [`count_document`] of a text with the pages and headings its format gives.
pub fn count_document_in(
    text: &str,
    layout: &Layout,
    script: ChineseScript,
    pass: &Pass<'_>,
) -> DocCounts {
    use rayon::prelude::*;
    let zones = zones(text);
    let units = units_in_zones(text, layout, &zones);
    let lower = text.to_ascii_lowercase();
    let tallier = Tallier {
        text,
        lower: &lower,
        units: &units,
        zones: &zones,
        script,
        pass,
    };
    let ranges = cut_at_zones(pieces(text, MAX_PIECE_BYTES), &zones);
    let mut tallies: Vec<PieceTally> = if ranges.len() > 1 {
        ranges.par_iter().map(|&r| tallier.tally(r)).collect()
    } else {
        ranges.iter().map(|&r| tallier.tally(r)).collect()
    };
    let mut total = if tallies.is_empty() {
        tallier.tally((0, 0))
    } else {
        tallies.remove(0)
    };
    for t in tallies {
        total.merge(t);
    }
    let PieceTally {
        n_tokens,
        terms,
        unit_tokens,
        zone_tokens,
        left_out,
        hits,
        analyses,
    } = total;
    let terms = Terms::new(terms.iter().map(|(t, n)| (t.as_ref(), *n)).collect());
    let mut frames: Vec<FrameCount> = hits
        .frames
        .into_iter()
        .map(|((frame, term, pattern), count)| FrameCount {
            frame,
            term: term.to_string(),
            pattern: pattern.to_string(),
            count,
        })
        .collect();
    frames.sort_unstable();
    let mut unit_frames: Vec<(usize, usize, u64)> = hits
        .unit_frames
        .into_iter()
        .map(|((u, f), n)| (u, f, n))
        .collect();
    unit_frames.sort_unstable();
    let mut counts = DocCounts {
        n_tokens,
        terms,
        frames,
        units,
        unit_tokens,
        unit_frames,
        kwic: hits.kwic,
        audit: hits.audit,
        zone_tokens,
        left_out,
        ..DocCounts::default()
    };
    ANALYSES.finish(analyses, &pass.context, &mut counts);
    counts
}

/// `ranges` cut again at every zone boundary, so that each lies in one zone.
fn cut_at_zones(
    ranges: Vec<(usize, usize)>,
    zones: &[(usize, usize, Zone)],
) -> Vec<(usize, usize)> {
    if zones.is_empty() {
        return ranges;
    }
    let mut cuts: Vec<usize> = zones.iter().flat_map(|&(a, b, _)| [a, b]).collect();
    cuts.sort_unstable();
    let mut out = Vec::with_capacity(ranges.len() + cuts.len());
    for (a, b) in ranges {
        let mut start = a;
        let first = cuts.partition_point(|&c| c <= a);
        for &c in cuts[first..].iter().take_while(|&&c| c < b) {
            out.push((start, c));
            start = c;
        }
        out.push((start, b));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Engine;
    use crate::lexicon::Lexicon;

    #[test]
    fn collocates_are_counted_once_per_position_and_exclude_the_node() {
        let engine = Engine::new(&Lexicon::builtin()).unwrap();
        let context = ContextOptions {
            kwic_window: 2,
            collocation_window: 2,
            keywords: 3,
            ngram_max: 0,
        };
        let pass = engine.pass(context, u64::MAX, Default::default());
        let matcher = &engine.matcher;
        let text = "Trustworthy AI is trustworthy today";
        let c = count_document(text, ChineseScript::Simplified, &pass);
        let trust = matcher
            .frame_ids()
            .iter()
            .position(|f| f == "trustworthy")
            .unwrap();
        let near: Vec<(&str, u64)> = c
            .collocates
            .iter()
            .filter(|(f, _, _)| *f == trust)
            .map(|&(_, t, n)| (c.terms.term(t), n))
            .collect();
        // "ai" and "is" sit in both windows but are counted once; the node is not
        // its own collocate.
        assert_eq!(near, vec![("ai", 1), ("is", 1), ("today", 1)]);
        assert_eq!(c.window_tokens[trust], 3);
        // TextRank over the whole document: the repeated word leads, scaled to 1.
        let mut keywords: Vec<&str> = c.keywords.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(keywords[0], "trustworthy");
        keywords.sort();
        assert_eq!(keywords, ["ai", "today", "trustworthy"]);
        assert_eq!(c.keywords[0].1, 1.0);
        // Two concordance lines with two tokens of context, as written.
        let lines: Vec<(String, &str, String)> = c
            .kwic
            .iter()
            .filter(|k| k.frame == trust)
            .map(|k| {
                let (l, r) = (k.at.left(text), k.at.right(text));
                (l.into_owned(), k.at.matched(text), r.into_owned())
            })
            .collect();
        assert_eq!(
            lines,
            vec![
                ("".into(), "Trustworthy", "AI is".into()),
                ("AI is".into(), "trustworthy", "today".into())
            ]
        );
    }
}
