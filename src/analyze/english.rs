//! The segmenter for every non-Han run: Unicode word boundaries (UAX #29).
//!
//! A segment with a letter or digit is a word. Whitespace is skipped, except a blank
//! line, which ends a paragraph and so is a boundary. Any other punctuation is a
//! boundary too, except the joiners inside compounds and elisions (hyphens,
//! apostrophes), so that "human-centred" can match the phrase "human centred" while
//! "good. Governance" never matches "good governance".

use unicode_segmentation::{UWordBoundIndices, UnicodeSegmentation};

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::{Piece, Segmenter};

/// Word-boundary segments of `text` with their byte offsets: the UAX #29 segments
/// of `unicode-segmentation`, except that a run of ASCII whitespace is one segment.
///
/// Most English text is ASCII, where the UAX #29 rules reduce to a few byte
/// classes; the table lookup per character is the costliest step of English
/// segmentation. So chunks of ASCII between whitespace are segmented here, and any
/// chunk with a non-ASCII character (with the whitespace before it, which a
/// combining mark could attach to) goes to `unicode-segmentation`. A break before
/// and after ASCII whitespace is certain under UAX #29 (the joining rules need
/// letters, digits or marks on both sides), so the chunks can be cut there. The
/// property tests check this against `unicode-segmentation` itself.
pub struct WordBounds<'a> {
    text: &'a str,
    pos: usize,
    /// End of the ASCII chunk being cut (`pos` is inside it when `pos < chunk_end`).
    chunk_end: usize,
    fallback: Option<(usize, UWordBoundIndices<'a>)>,
}

impl<'a> WordBounds<'a> {
    pub fn new(text: &'a str) -> Self {
        WordBounds {
            text,
            pos: 0,
            chunk_end: 0,
            fallback: None,
        }
    }
}

fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
}

/// UAX #29 word-break classes of ASCII characters other than whitespace.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Numeric,
    MidLetter,
    MidNum,
    MidNumLetQ,
    ExtendNumLet,
    Other,
}

fn class(b: u8) -> Class {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
        b'0'..=b'9' => Class::Numeric,
        b':' => Class::MidLetter,
        b',' | b';' => Class::MidNum,
        b'.' | b'\'' => Class::MidNumLetQ,
        b'_' => Class::ExtendNumLet,
        _ => Class::Other,
    }
}

/// Whether UAX #29 breaks between `chunk[i - 1]` and `chunk[i]` (ASCII, no
/// whitespace; context beyond the chunk is whitespace, which joins nothing).
fn breaks_at(chunk: &[u8], i: usize) -> bool {
    use Class::*;
    let at = |k: usize| chunk.get(k).map_or(Other, |&b| class(b));
    let (a, b) = (at(i - 1), at(i));
    let before = if i >= 2 { at(i - 2) } else { Other };
    let after = at(i + 1);
    let joins = match (a, b) {
        (Letter, Letter) => true,                                           // WB5
        (Letter, MidLetter | MidNumLetQ) => after == Letter,                // WB6
        (MidLetter | MidNumLetQ, Letter) => before == Letter,               // WB7
        (Numeric, Numeric) | (Letter, Numeric) | (Numeric, Letter) => true, // WB8-10
        (MidNum | MidNumLetQ, Numeric) => before == Numeric,                // WB11
        (Numeric, MidNum | MidNumLetQ) => after == Numeric,                 // WB12
        (Letter | Numeric | ExtendNumLet, ExtendNumLet) => true,            // WB13a
        (ExtendNumLet, Letter | Numeric) => true,                           // WB13b
        _ => false,
    };
    !joins
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The length of the first UAX #29 segment of `chunk` (ASCII, not empty, no
/// whitespace).
fn segment_len(chunk: &[u8]) -> usize {
    // Letters, digits and underscores always join one another (WB5, WB8-10,
    // WB13a-b): skip over them, and test the rules only elsewhere.
    let mut len = 1;
    loop {
        if is_word_byte(chunk[len - 1]) {
            len += chunk[len..]
                .iter()
                .position(|&b| !is_word_byte(b))
                .unwrap_or(chunk.len() - len);
        }
        if len >= chunk.len() || breaks_at(chunk, len) {
            return len;
        }
        len += 1;
    }
}

impl<'a> Iterator for WordBounds<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        if let Some((offset, segments)) = &mut self.fallback {
            match segments.next() {
                Some((i, s)) => return Some((*offset + i, s)),
                None => self.fallback = None,
            }
        }
        let bytes = self.text.as_bytes();
        let start = self.pos;
        if start >= bytes.len() {
            return None;
        }
        let chunk_end = |from: usize| {
            bytes[from..]
                .iter()
                .position(|&b| is_ascii_space(b))
                .map_or(bytes.len(), |k| from + k)
        };
        if is_ascii_space(bytes[start]) {
            let end = bytes[start..]
                .iter()
                .position(|&b| !is_ascii_space(b))
                .map_or(bytes.len(), |k| start + k);
            if end < bytes.len() && !bytes[end].is_ascii() {
                // The next chunk is not ASCII: a mark there may attach to the space.
                return self.fall_back(start, chunk_end(end));
            }
            self.pos = end;
            return Some((start, &self.text[start..end]));
        }
        if start >= self.chunk_end {
            let end = chunk_end(start);
            if !bytes[start..end].is_ascii() {
                return self.fall_back(start, end);
            }
            self.chunk_end = end;
        }
        let len = segment_len(&bytes[start..self.chunk_end]);
        self.pos = start + len;
        Some((start, &self.text[start..start + len]))
    }
}

impl<'a> WordBounds<'a> {
    /// Hands `text[start..end]` to `unicode-segmentation` and yields its first segment.
    fn fall_back(&mut self, start: usize, end: usize) -> Option<(usize, &'a str)> {
        self.pos = end;
        self.fallback = Some((start, self.text[start..end].split_word_bound_indices()));
        self.next()
    }
}

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
    /// URLs and e-mail addresses are not words: each is a boundary, and the text
    /// between them is cut by word boundaries.
    fn segment<'t>(&self, text: &'t str, range: Range<usize>, emit: &mut dyn FnMut(Piece<'t>)) {
        let mut at = range.start;
        for (a, b) in addresses(&text[range.clone()]) {
            let (a, b) = (range.start + a, range.start + b);
            segment_run(&text[at..a], at, emit);
            emit(Piece::Boundary);
            at = b;
        }
        segment_run(&text[at..range.end], at, emit);
    }
}

/// Words and boundaries of `run` (at byte `offset` of the document): its ASCII
/// stretches by [`segment_ascii`], each chunk with a non-ASCII character (and the
/// whitespace before it, as [`WordBounds`] takes them) by [`segment_with`]. Every
/// stretch starts at whitespace or the run's start and ends before whitespace or at
/// the run's end, where no joiner can look past the whitespace; only the line
/// breaks counted so far carry over (a chunk may be all non-ASCII spacing).
fn segment_run<'a>(run: &'a str, offset: usize, emit: &mut dyn FnMut(Piece<'a>)) {
    let bytes = run.as_bytes();
    let (mut at, mut newlines) = (0, 0);
    while at < bytes.len() {
        let Some(k) = bytes[at..].iter().position(|&b| !b.is_ascii()) else {
            segment_ascii(&run[at..], offset + at, &mut newlines, emit);
            return;
        };
        let p = at + k;
        let chunk_start = bytes[at..p]
            .iter()
            .rposition(|&b| is_ascii_space(b))
            .map_or(at, |j| at + j + 1);
        let spaces_start = bytes[at..chunk_start]
            .iter()
            .rposition(|&b| !is_ascii_space(b))
            .map_or(at, |j| at + j + 1);
        let chunk_end = bytes[p..]
            .iter()
            .position(|&b| is_ascii_space(b))
            .map_or(bytes.len(), |j| p + j);
        segment_ascii(&run[at..spaces_start], offset + at, &mut newlines, emit);
        let other = &run[spaces_start..chunk_end];
        let segments = WordBounds::new(other);
        segment_carrying(other, offset + spaces_start, segments, &mut newlines, emit);
        at = chunk_end;
    }
}

/// [`segment_with`] over [`WordBounds`] for ASCII text, in one pass over the bytes:
/// most English text is ASCII, and the segments need not be made to be judged.
/// The property tests check that the two agree.
fn segment_ascii<'a>(
    text: &str,
    offset: usize,
    newlines: &mut usize,
    emit: &mut dyn FnMut(Piece<'a>),
) {
    debug_assert!(text.is_ascii());
    let run = text.as_bytes();
    let (mut i, n) = (0, run.len());
    let mut prev_word_end: Option<usize> = None;
    // The chunk of non-whitespace being cut ends here.
    let mut chunk_end = 0;
    while i < n {
        if is_ascii_space(run[i]) {
            let (before, start) = (*newlines, i);
            i += run[i..]
                .iter()
                .position(|&b| !is_ascii_space(b))
                .unwrap_or(n - i);
            *newlines += line_breaks(&text[start..i]);
            if before < 2 && *newlines >= 2 {
                emit(Piece::Boundary);
            }
            prev_word_end = None;
            continue;
        }
        if i >= chunk_end {
            chunk_end = run[i..]
                .iter()
                .position(|&b| is_ascii_space(b))
                .map_or(n, |k| i + k);
        }
        let end = i + segment_len(&run[i..chunk_end]);
        *newlines = 0;
        let segment = &run[i..end];
        if segment.iter().any(u8::is_ascii_alphanumeric) {
            emit(Piece::word(offset + i, offset + end));
            prev_word_end = Some(end);
        } else {
            // A hyphen or apostrophe between two words joins them.
            let joins = is_joiner(&text[i..end])
                && prev_word_end == Some(i)
                && end < chunk_end
                && run[end..end + segment_len(&run[end..chunk_end])]
                    .iter()
                    .any(u8::is_ascii_alphanumeric);
            if !joins {
                emit(Piece::Boundary);
            }
            prev_word_end = None;
        }
        i = end;
    }
}

/// Byte ranges of the URLs (`https://…`, `www.…`), e-mail addresses and footnote
/// markers (`[footnote 3]`) in `run`, in order, without the punctuation that ends a
/// sentence after them.
pub fn addresses(run: &str) -> Vec<(usize, usize)> {
    static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            // ASCII word boundaries: a Unicode `\b` would keep the regex from its
            // fast engines on every non-ASCII text.
            r"(?i)(?-u:\b)(?:(?:https?|ftp)://|www\.)[^\s<>\x22\x27()\[\]{}]+|(?-u:\b)[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+|\[(?:footnote|note|fn)\s*[0-9]+\]",
        )
        .expect("a valid address pattern")
    });
    if !(run.contains("://")
        || run.contains("www.")
        || run.contains('@')
        || run.contains("[f")
        || run.contains("[n")
        || run.contains("[F")
        || run.contains("[N"))
    {
        return Vec::new();
    }
    ADDRESS
        .find_iter(run)
        .map(|m| {
            let trimmed = m.as_str().trim_end_matches(['.', ',', ';', ':', '!', '?']);
            (m.start(), m.start() + trimmed.len())
        })
        .filter(|(a, b)| a < b)
        .collect()
}

/// Words and boundaries of `run`, from its word-boundary `segments`.
#[cfg(test)]
pub(crate) fn segment_with<'a>(
    run: &'a str,
    offset: usize,
    segments: impl Iterator<Item = (usize, &'a str)>,
    emit: &mut dyn FnMut(Piece<'a>),
) {
    segment_carrying(run, offset, segments, &mut 0, emit);
}

/// [`segment_with`], given the line breaks since the last word or punctuation
/// before `run` (`newlines`, left as they are after it).
fn segment_carrying<'a>(
    run: &'a str,
    offset: usize,
    segments: impl Iterator<Item = (usize, &'a str)>,
    newlines: &mut usize,
    emit: &mut dyn FnMut(Piece<'a>),
) {
    {
        // UAX #29 breaks before and after every line feed, so a blank line arrives
        // as several whitespace segments: count the line breaks across them (the LF
        // of a CR LF split over two segments is not counted twice).
        let mut prev_word_end: Option<usize> = None;
        let mut segments = segments.peekable();
        while let Some((i, segment)) = segments.next() {
            if segment.chars().all(super::normalize::is_space) {
                let before = *newlines;
                let mut breaks = line_breaks(segment);
                if segment.starts_with('\n') && run[..i].ends_with('\r') {
                    breaks = breaks.saturating_sub(1);
                }
                *newlines += breaks;
                if before < 2 && *newlines >= 2 {
                    emit(Piece::Boundary);
                }
                prev_word_end = None;
                continue;
            }
            *newlines = 0;
            if is_word(segment) {
                // A combining mark after a space makes UAX #29 glue the space to
                // it, and a narrow no-break space (U+202F) joins words: the words
                // are the parts between spacing.
                if segment.is_ascii() {
                    // Cut by the ASCII path: never holds spacing.
                    emit(Piece::word(offset + i, offset + i + segment.len()));
                    prev_word_end = Some(i + segment.len());
                    continue;
                }
                let mut at = 0;
                for part in segment.split(char::is_whitespace) {
                    if is_word(part) {
                        emit(Piece::word(offset + i + at, offset + i + at + part.len()));
                    }
                    at += part.len()
                        + segment[at + part.len()..]
                            .chars()
                            .next()
                            .map_or(0, char::len_utf8);
                }
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
    use proptest::prelude::*;

    /// Segments that are not all whitespace, with their offsets.
    fn solid<'a>(segments: impl Iterator<Item = (usize, &'a str)>) -> Vec<(usize, &'a str)> {
        segments
            .filter(|(_, s)| !s.chars().all(char::is_whitespace))
            .collect()
    }

    fn pieces_with<'a>(
        text: &'a str,
        segments: impl Iterator<Item = (usize, &'a str)>,
    ) -> Vec<Piece<'a>> {
        let mut out = Vec::new();
        segment_with(text, 0, segments, &mut |p| out.push(p));
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]
        /// The fast path gives unicode-segmentation's segments and the same words
        /// and boundaries, on text dense in the cases where they could differ.
        #[test]
        fn fast_word_bounds_agree_with_unicode_segmentation(
            text in r"[a-zA-Z0-9 \n\r\t\x0B\x0C.,;:'\x22_\-!?()/%$#@é’\x{301}\x{A0}\x{2029}—ß文]{0,80}"
        ) {
            let fast = solid(WordBounds::new(&text));
            let uax = solid(text.split_word_bound_indices());
            prop_assert_eq!(fast, uax);
            prop_assert_eq!(
                pieces_with(&text, WordBounds::new(&text)),
                pieces_with(&text, text.split_word_bound_indices())
            );
            let mut stretches = Vec::new();
            segment_run(&text, 0, &mut |p| stretches.push(p));
            prop_assert_eq!(stretches, pieces_with(&text, WordBounds::new(&text)));
            // Together the segments cover the text, in order.
            let mut at = 0;
            for (i, s) in WordBounds::new(&text) {
                prop_assert_eq!(i, at);
                at += s.len();
            }
            prop_assert_eq!(at, text.len());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]
        /// On ASCII text the one-pass path gives the words and boundaries that the
        /// segments of [`WordBounds`] give.
        #[test]
        fn ascii_path_agrees_with_word_bounds(
            text in r"[a-zA-Z0-9 \n\r\t\x0B\x0C.,;:'\x22_\-!?()/%]{0,80}"
        ) {
            let mut fused = Vec::new();
            segment_ascii(&text, 0, &mut 0, &mut |p| fused.push(p));
            prop_assert_eq!(fused, pieces_with(&text, WordBounds::new(&text)));
        }
    }

    #[test]
    fn a_long_chunk_without_spaces_is_cut_in_one_pass() {
        // A million bytes and no whitespace: each segment must not rescan the rest.
        let text = "a,".repeat(500_000);
        let words = WordBounds::new(&text).filter(|(_, s)| *s == "a").count();
        assert_eq!(words, 500_000);
    }

    #[test]
    fn ascii_rules_as_uax29() {
        for text in [
            "U.S. law's 1,000.50 e.g. a:b a_1 _x 3a x--y 'quoted' end.",
            "don't  \t\r\n\r\n Ph.D. 2024-01-01 v1.2.3 a..b 1,,2",
        ] {
            assert_eq!(
                solid(WordBounds::new(text)),
                solid(text.split_word_bound_indices()),
                "{text}"
            );
        }
    }

    fn pieces(text: &str) -> String {
        let mut out = Vec::new();
        EnglishSegmenter.segment(text, 0..text.len(), &mut |p| match p {
            Piece::Word { start, end, .. } => out.push(text[start..end].to_string()),
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
            (
                "narrow no-break space separates words",
                "good\u{202F}governance",
                "good governance",
            ),
            (
                "soft hyphen stays inside the word",
                "trust\u{AD}worthy AI",
                "trust\u{AD}worthy AI",
            ),
            (
                "zero-width space is spacing, not punctuation",
                "good\u{200B}governance",
                "good governance",
            ),
            (
                "a URL is not words",
                "see https://www.example.org/ai-governance/report.pdf. Then",
                "see | | Then",
            ),
            (
                "nor an e-mail address",
                "write to ai.office@example.eu for trustworthy AI",
                "write to | for trustworthy AI",
            ),
            (
                "a bare www address",
                "at www.example.gov today",
                "at | today",
            ),
        ];
        for (name, input, want) in cases {
            assert_eq!(pieces(input), want, "{name}");
        }
    }
}
