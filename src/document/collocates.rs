//! Collocates of the frame hits: the words near each frame's hits in a document,
//! a per-document analysis ([`DocCounts::collocates`], [`DocCounts::window_tokens`])
//! from which the group table `collocations` is made.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

use super::analysis::{Analysis, Piece};
use super::{ContextOptions, DocCounts};
use crate::analyze::Token;
use crate::lexicon::Hit;

/// Words within `collocation_window` tokens of a frame's hits.
pub struct Collocates;

/// A piece's collocates: (frame, word) -> co-occurrences, and the tokens inside
/// each frame's windows.
pub struct Tally<'t> {
    near: HashMap<(usize, Cow<'t, str>), u64>,
    window_tokens: Vec<u64>,
}

impl Analysis for Collocates {
    type Tally<'t> = Tally<'t>;

    fn tally<'t>(&self, piece: &Piece<'_, 't>) -> Tally<'t> {
        let mut tally = Tally {
            near: HashMap::default(),
            window_tokens: vec![0; piece.frames],
        };
        let window = piece.context.collocation_window;
        count_collocates(piece.tokens, piece.hits, window, &mut tally);
        tally
    }

    fn merge<'t>(&self, into: &mut Tally<'t>, next: Tally<'t>) {
        for (k, n) in next.near {
            *into.near.entry(k).or_insert(0) += n;
        }
        for (a, b) in into.window_tokens.iter_mut().zip(next.window_tokens) {
            *a += b;
        }
    }

    /// A collocate is a word of the document: it points at it among the terms.
    fn finish(&self, tally: Tally<'_>, _: &ContextOptions, counts: &mut DocCounts) {
        let index: HashMap<&str, usize> = if tally.near.is_empty() {
            HashMap::default()
        } else {
            counts
                .terms
                .iter()
                .enumerate()
                .map(|(i, (t, _))| (t, i))
                .collect()
        };
        let mut collocates: Vec<(usize, usize, u64)> = tally
            .near
            .into_iter()
            .map(|((f, t), n)| (f, index[t.as_ref()], n))
            .collect();
        collocates.sort_unstable();
        counts.collocates = collocates;
        counts.window_tokens = tally.window_tokens;
    }
}

/// Counts the words near each frame's hits in one piece: every token within
/// `window` of a hit and not itself part of a hit of that frame, each position once
/// even where windows overlap, so that no word is counted more often than it occurs.
fn count_collocates<'t>(tokens: &[Token<'t>], hits: &[Hit], window: usize, tally: &mut Tally<'t>) {
    if window == 0 || hits.is_empty() {
        return;
    }
    let mut frames: Vec<usize> = hits.iter().map(|h| h.frame).collect();
    frames.sort_unstable();
    frames.dedup();
    let mut near = vec![false; tokens.len()];
    for frame in frames {
        near.iter_mut().for_each(|x| *x = false);
        let of_frame = || hits.iter().filter(move |h| h.frame == frame);
        for h in of_frame() {
            let from = h.first.saturating_sub(window);
            let to = (h.first + h.len + window).min(tokens.len());
            near[from..to].iter_mut().for_each(|x| *x = true);
        }
        for h in of_frame() {
            near[h.first..h.first + h.len]
                .iter_mut()
                .for_each(|x| *x = false);
        }
        for (t, _) in tokens.iter().zip(&near).filter(|(_, n)| **n) {
            *tally.near.entry((frame, t.term.clone())).or_insert(0) += 1;
            tally.window_tokens[frame] += 1;
        }
    }
}
