//! The per-document analyses beyond terms and frame hits: each one component
//! that the pass calls.
//!
//! A long document is counted piece by piece, in parallel, and the pieces'
//! tallies merged in text order ([`super::counts`]). An [`Analysis`] takes part in
//! that: it tallies a [`Piece`] (its counted tokens and the frame hits decided
//! among them), merges two tallies, and finishes the merged tally into the
//! document's [`DocCounts`]. `counts::Analyses` lists the ones every document
//! gets: collocates of the frame hits ([`super::collocates`]), TextRank keywords
//! ([`super::textrank`]) and n-grams ([`super::ngrams`]).
//!
//! Adding one: its file with a type that implements [`Analysis`]; in
//! `counts.rs`, its field of [`DocCounts`] (what its table is made from), its
//! setting in [`ContextOptions`] if it has one, and its place in
//! `counts::Analyses`.

use super::{ContextOptions, DocCounts};
use crate::analyze::Token;
use crate::lexicon::Hit;

/// What one piece of a document gives the analyses.
pub struct Piece<'p, 't> {
    /// The counted tokens, in text order (none in a zone not counted).
    pub tokens: &'p [Token<'t>],
    /// The frame hits among them, in text order.
    pub hits: &'p [Hit],
    /// The number of frames of the lexicon.
    pub frames: usize,
    pub context: ContextOptions,
}

/// A per-document analysis, tallied piece by piece.
pub trait Analysis: Sync {
    /// What it keeps of a piece (borrowing the document's text).
    type Tally<'t>: Send;
    fn tally<'t>(&self, piece: &Piece<'_, 't>) -> Self::Tally<'t>;
    /// Adds the tally of the next piece (in text order) to `into`.
    fn merge<'t>(&self, into: &mut Self::Tally<'t>, next: Self::Tally<'t>);
    /// Puts the document's merged tally into its counts (whose terms are final).
    fn finish(&self, tally: Self::Tally<'_>, context: &ContextOptions, counts: &mut DocCounts);
}

/// Two analyses are one, so a list of them nests: `(A, (B, C))`.
impl<A: Analysis, B: Analysis> Analysis for (A, B) {
    type Tally<'t> = (A::Tally<'t>, B::Tally<'t>);

    fn tally<'t>(&self, piece: &Piece<'_, 't>) -> Self::Tally<'t> {
        (self.0.tally(piece), self.1.tally(piece))
    }

    fn merge<'t>(&self, into: &mut Self::Tally<'t>, next: Self::Tally<'t>) {
        self.0.merge(&mut into.0, next.0);
        self.1.merge(&mut into.1, next.1);
    }

    fn finish(&self, tally: Self::Tally<'_>, context: &ContextOptions, counts: &mut DocCounts) {
        self.0.finish(tally.0, context, counts);
        self.1.finish(tally.1, context, counts);
    }
}
