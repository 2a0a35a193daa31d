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

/// Punctuation that joins the parts of a word rather than separating clauses, when
/// it stands between two words with no space: human-centred, AI's.
fn is_joiner(segment: &str) -> bool {
    matches!(
        segment,
        "-" | "\u{2010}" | "\u{2011}" | "'" | "\u{2019}" | "\u{FF0D}"
    )
}

/// Line breaks in a whitespace segment; CR LF counts once. A paragraph separator
/// counts as two, so that it ends a clause by itself.
pub(crate) fn line_breaks(segment: &str) -> usize {
    let mut n = 0;
    let mut prev_cr = false;
    for c in segment.chars() {
        match c {
            '\n' if prev_cr => {}
            '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' => n += 1,
            '\u{2029}' => n += 2,
            _ => {}
        }
        prev_cr = c == '\r';
    }
    n
}

fn is_word(segment: &str) -> bool {
    segment.chars().any(char::is_alphanumeric)
}

impl Segmenter for EnglishSegmenter {
    fn segment(&self, run: &str, offset: usize, emit: &mut dyn FnMut(Piece)) {
        // UAX #29 breaks before and after every line feed, so a blank line arrives
        // as several whitespace segments: count the line breaks across them (the LF
        // of a CR LF split over two segments is not counted twice).
        let mut newlines = 0usize;
        let mut prev_word_end: Option<usize> = None;
        let mut segments = run.split_word_bound_indices().peekable();
        while let Some((i, segment)) = segments.next() {
            if segment.chars().all(char::is_whitespace) {
                let before = newlines;
                let mut breaks = line_breaks(segment);
                if segment.starts_with('\n') && run[..i].ends_with('\r') {
                    breaks = breaks.saturating_sub(1);
                }
                newlines += breaks;
                if before < 2 && newlines >= 2 {
                    emit(Piece::Boundary);
                }
                prev_word_end = None;
                continue;
            }
            newlines = 0;
            if is_word(segment) {
                // A combining mark after a space makes UAX #29 glue the space to it.
                let lead = segment.len() - segment.trim_start().len();
                let trail = segment.len() - segment.trim_end().len();
                emit(Piece::Word {
                    start: offset + i + lead,
                    end: offset + i + segment.len() - trail,
                });
                prev_word_end = Some(i + segment.len());
                continue;
            }
            let joins = is_joiner(segment)
                && prev_word_end == Some(i)
                && segments.peek().is_some_and(|&(_, next)| is_word(next));
            if !joins {
                emit(Piece::Boundary);
            }
            prev_word_end = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> String {
        let mut out = Vec::new();
        EnglishSegmenter.segment(text, 0, &mut |p| match p {
            Piece::Word { start, end } => out.push(text[start..end].to_string()),
            Piece::Boundary => out.push("|".into()),
        });
        out.join(" ")
    }

    #[test]
    fn named_cases() {
        let cases = [
            (
                "hyphen inside a word joins",
                "human-centred AI",
                "human centred AI",
            ),
            (
                "spaced dash separates",
                "good - governance",
                "good | governance",
            ),
            (
                "double dash separates",
                "good--governance",
                "good | | governance",
            ),
            ("apostrophe stays in the word", "AI's role", "AI's role"),
            (
                "one line break joins",
                "good\ngovernance",
                "good governance",
            ),
            (
                "blank line separates",
                "good\n\ngovernance",
                "good | governance",
            ),
            (
                "CRLF blank line separates",
                "good\r\n\r\ngovernance",
                "good | governance",
            ),
            (
                "CRLF line break joins",
                "good\r\ngovernance",
                "good governance",
            ),
            (
                "old Mac blank line",
                "good\r\rgovernance",
                "good | governance",
            ),
            (
                "paragraph separator",
                "good\u{2029}governance",
                "good | governance",
            ),
            (
                "full stop separates",
                "good. Governance",
                "good | Governance",
            ),
        ];
        for (name, input, want) in cases {
            assert_eq!(pieces(input), want, "{name}");
        }
    }
}
