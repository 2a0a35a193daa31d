//! The segmenter for every non-Han run: Unicode word boundaries (UAX #29).
//!
//! A segment with a letter or digit is a word. Whitespace is skipped, except a blank
//! line, which ends a paragraph and so is a boundary. Any other punctuation is a
//! boundary too, except the joiners inside compounds and elisions (hyphens,
//! apostrophes), so that "human-centred" can match the phrase "human centred" while
//! "good. Governance" never matches "good governance".

use unicode_segmentation::UnicodeSegmentation;

use super::{Piece, Segmenter};

/// Segments Latin (and any other non-Han) text into words.
#[derive(Debug, Clone, Copy, Default)]
pub struct EnglishSegmenter;

/// Punctuation that joins the parts of a word rather than separating clauses.
fn is_joiner(segment: &str) -> bool {
    matches!(
        segment,
        "-" | "\u{2010}" | "\u{2011}" | "'" | "\u{2019}" | "\u{FF0D}"
    )
}

impl Segmenter for EnglishSegmenter {
    fn segment(&self, run: &str, offset: usize, emit: &mut dyn FnMut(Piece)) {
        // UAX #29 breaks before and after every line feed, so a blank line arrives
        // as several whitespace segments: count the line breaks across them.
        let mut newlines = 0usize;
        for (i, segment) in run.split_word_bound_indices() {
            if segment.chars().all(char::is_whitespace) {
                let before = newlines;
                newlines += segment
                    .chars()
                    .filter(|&c| c == '\n' || c == '\u{2029}')
                    .count();
                if before < 2 && newlines >= 2 {
                    emit(Piece::Boundary);
                }
                continue;
            }
            newlines = 0;
            if segment.chars().any(char::is_alphanumeric) {
                emit(Piece::Word {
                    start: offset + i,
                    end: offset + i + segment.len(),
                });
            } else if !is_joiner(segment) {
                emit(Piece::Boundary);
            }
        }
    }
}
