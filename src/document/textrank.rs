//! TextRank keywords of one document (Mihalcea & Tarau 2004), as jieba defines them
//! (`jieba.analyse.textrank`): candidate words within a span of 5 positions are
//! linked, each link weighted by how often the two meet, and the graph is ranked
//! by PageRank with damping 0.85 over 10 sweeps, each node updated in turn in the
//! order of its term; the ranks are then scaled as jieba scales them,
//! `(w - min/10) / (max - min/10)`, so the top word scores 1.
//!
//! Two departures, both because govlens has no part-of-speech tagger for English:
//! a candidate is any term of at least two characters with a letter that is not a
//! stopword (jieba also keeps only nouns and verbs), and positions are word tokens
//! (jieba counts punctuation as positions too).

use std::borrow::Cow;

use rustc_hash::FxHashMap as HashMap;

use super::analysis::{Analysis, Piece};
use super::{ContextOptions, DocCounts};
use crate::analyze::Token;
use crate::analyze::stopwords::is_stopword;

/// Positions a link reaches: a word and the next `SPAN - 1`.
pub const SPAN: usize = 5;
pub const DAMPING: f64 = 0.85;
pub const SWEEPS: usize = 10;

/// The co-occurrences of the candidates in one piece of a document: the
/// candidates' terms, and counts by pairs of their numbers (the lesser first).
#[derive(Default)]
pub struct Pairs<'t> {
    terms: Vec<Cow<'t, str>>,
    counts: HashMap<(u32, u32), u32>,
}

/// Whether a term can be a keyword (of TextRank or TF-IDF).
pub fn is_candidate(term: &str) -> bool {
    let mut chars = term.chars();
    let long_enough = chars.next().is_some() && chars.next().is_some();
    long_enough && term.chars().any(char::is_alphabetic) && !is_stopword(term)
}

/// The co-occurrences of the candidates among `tokens` (one piece, in order).
pub fn count_pairs<'t>(tokens: &[Token<'t>]) -> Pairs<'t> {
    // Each distinct term once: its number among the candidates, or none.
    let mut ids: HashMap<&str, Option<u32>> = HashMap::default();
    let mut terms: Vec<Cow<'t, str>> = Vec::new();
    let sequence: Vec<Option<u32>> = tokens
        .iter()
        .map(|t| {
            *ids.entry(t.term.as_ref()).or_insert_with(|| {
                is_candidate(&t.term).then(|| {
                    terms.push(t.term.clone());
                    terms.len() as u32 - 1
                })
            })
        })
        .collect();
    let mut counts: HashMap<(u32, u32), u32> = HashMap::default();
    for (i, a) in sequence.iter().enumerate() {
        let Some(a) = *a else { continue };
        for b in sequence[i + 1..(i + SPAN).min(sequence.len())]
            .iter()
            .flatten()
        {
            *counts.entry((a.min(*b), a.max(*b))).or_insert(0) += 1;
        }
    }
    Pairs { terms, counts }
}

/// TextRank keywords as a per-document analysis: each piece's co-occurrences,
/// ranked over the whole document ([`DocCounts::keywords`]).
pub struct TextRank;

impl Analysis for TextRank {
    type Tally<'t> = Vec<Pairs<'t>>;

    fn tally<'t>(&self, piece: &Piece<'_, 't>) -> Vec<Pairs<'t>> {
        match piece.context.keywords {
            0 => Vec::new(),
            _ => vec![count_pairs(piece.tokens)],
        }
    }

    fn merge<'t>(&self, into: &mut Vec<Pairs<'t>>, next: Vec<Pairs<'t>>) {
        into.extend(next);
    }

    fn finish(&self, pairs: Vec<Pairs<'_>>, context: &ContextOptions, counts: &mut DocCounts) {
        counts.keywords = rank(&pairs, context.keywords);
    }
}

/// The `top` terms by TextRank score (highest first, ties by term) of the
/// document whose pieces' co-occurrences are `pieces`.
pub fn rank(pieces: &[Pairs<'_>], top: usize) -> Vec<(String, f64)> {
    if top == 0 || pieces.iter().all(|p| p.counts.is_empty()) {
        return Vec::new();
    }
    // The document's candidates in term order: node numbers follow it.
    let mut terms: Vec<&str> = pieces
        .iter()
        .flat_map(|p| p.terms.iter().map(|t| t.as_ref()))
        .collect();
    terms.sort_unstable();
    terms.dedup();
    let mut counts: HashMap<(u32, u32), u32> = HashMap::default();
    for piece in pieces {
        let global: Vec<u32> = piece
            .terms
            .iter()
            .map(|t| terms.binary_search(&t.as_ref()).expect("a candidate") as u32)
            .collect();
        for (&(a, b), &n) in &piece.counts {
            let (a, b) = (global[a as usize], global[b as usize]);
            *counts.entry((a.min(b), a.max(b))).or_insert(0) += n;
        }
    }
    let mut links: Vec<((u32, u32), u32)> = counts.into_iter().collect();
    links.sort_unstable();
    // Only linked words are nodes; each node's links, both ends (a word linked to
    // itself has its link twice).
    let mut edges: Vec<Vec<(usize, f64)>> = vec![Vec::new(); terms.len()];
    for &((a, b), n) in &links {
        let w = f64::from(n);
        edges[a as usize].push((b as usize, w));
        edges[b as usize].push((a as usize, w));
    }
    let nodes: Vec<usize> = (0..terms.len()).filter(|&n| !edges[n].is_empty()).collect();
    let out: Vec<f64> = edges
        .iter()
        .map(|e| e.iter().map(|&(_, w)| w).sum())
        .collect();
    let mut score = vec![1.0 / nodes.len() as f64; terms.len()];
    for _ in 0..SWEEPS {
        for &n in &nodes {
            let s: f64 = edges[n].iter().map(|&(m, w)| w / out[m] * score[m]).sum();
            score[n] = (1.0 - DAMPING) + DAMPING * s;
        }
    }
    let min = nodes
        .iter()
        .map(|&n| score[n])
        .fold(f64::INFINITY, f64::min);
    let max = nodes
        .iter()
        .map(|&n| score[n])
        .fold(f64::NEG_INFINITY, f64::max);
    let mut ranked: Vec<(usize, f64)> = nodes
        .iter()
        .map(|&n| (n, (score[n] - min / 10.0) / (max - min / 10.0)))
        .collect();
    // Nodes are in term order, so a stable sort breaks ties by term.
    ranked.sort_by(|x, y| y.1.total_cmp(&x.1));
    ranked.truncate(top);
    ranked
        .into_iter()
        .map(|(n, w)| (terms[n].to_string(), w))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::Analyzer;

    #[test]
    fn candidates_are_words_of_two_letters_or_more_that_are_not_stopwords() {
        for (term, want) in [
            ("governance", true),
            ("治理", true),
            ("ai", true),
            ("a", false),
            ("法", false),
            ("the", false),
            ("我们", false),
            ("2024", false),
            ("--", false),
        ] {
            assert_eq!(is_candidate(term), want, "{term}");
        }
    }

    #[test]
    fn ranks_match_jiebas_definition() {
        // tests/reference/keywords.py computes the same text's ranks with jieba's
        // formulas (numbers printed to full precision).
        let analyzer = Analyzer::new::<&str>(&[]);
        let text = "Data governance needs data protection. Governance of data needs \
                    rules, and rules need governance of risk.";
        let tokens = analyzer.tokens(text);
        let pairs = count_pairs(&tokens);
        let id = |t: &str| pairs.terms.iter().position(|x| x == t).unwrap() as u32;
        let (d, g) = (id("data"), id("governance"));
        assert_eq!(pairs.counts[&(d.min(g), d.max(g))], 4);
        let got = rank(std::slice::from_ref(&pairs), 10);
        // A document cut in two pieces: no link crosses the cut.
        let (first, second) = tokens.split_at(7);
        let cut = rank(&[count_pairs(first), count_pairs(second)], 10);
        assert_ne!(cut, got);
        assert_eq!(cut.len(), 7);
        let want = [
            ("governance", 1.0),
            ("data", 0.9522994933189594),
            ("rules", 0.7977303249397845),
            ("needs", 0.7006541500061318),
            ("protection", 0.4569401191413647),
            ("need", 0.38503518677343307),
            ("risk", 0.2611334345518598),
        ];
        let terms: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(terms.len(), want.len(), "{got:?}");
        for ((term, score), (want_term, want_score)) in got.iter().zip(want) {
            assert_eq!(term, want_term);
            assert!((score - want_score).abs() < 1e-12, "{term}: {score}");
        }
        assert_eq!(rank(std::slice::from_ref(&pairs), 2).len(), 2);
    }
}
