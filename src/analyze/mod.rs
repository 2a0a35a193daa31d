//! Text analysis: from a document's text to a stream of normalised word tokens.
//!
//! The analyzer reads like a sentence: split the text into script runs
//! ([`script`]), hand Han runs to the [`ChineseSegmenter`] and everything else to the
//! [`EnglishSegmenter`], normalise each word ([`normalize`]), and mark clause
//! boundaries so that phrases never match across punctuation or paragraphs.
//! Tokens borrow from the text and carry byte spans into it; a token's term is
//! allocated only when normalisation changes it.

pub mod chinese;
pub mod english;
pub mod normalize;
pub mod script;
pub mod stopwords;

use std::borrow::Cow;

pub use chinese::ChineseSegmenter;
pub use english::EnglishSegmenter;
pub use script::{Script, ScriptRun};

/// One word of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'t> {
    /// Byte offset of the word in the original text.
    pub start: usize,
    /// Byte offset one past the end of the word in the original text.
    pub end: usize,
    /// The normalised form: NFKC, Latin lower-cased. This is what is counted.
    pub term: Cow<'t, str>,
    /// Script of the run the word came from.
    pub script: Script,
    /// Clause number: increases at every punctuation mark and paragraph break, so
    /// two tokens with the same clause number are not separated by either.
    pub clause: u32,
}

/// What a segmenter reports while walking one script run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// A word, as a byte span into the original text.
    Word { start: usize, end: usize },
    /// Punctuation or a paragraph break: a phrase may not match across it.
    Boundary,
}

/// Splits one script run into words and boundaries.
///
/// `offset` is the run's byte position in the document, so that emitted spans
/// point into the document rather than into the run.
pub trait Segmenter: Send + Sync {
    fn segment(&self, run: &str, offset: usize, emit: &mut dyn FnMut(Piece));
}

/// The full analysis chain, built once per run and shared by all threads.
pub struct Analyzer {
    chinese: ChineseSegmenter,
    english: EnglishSegmenter,
}

impl Analyzer {
    /// Builds the analyzer; `extra_words` are Chinese words (the lexicon's terms)
    /// the Chinese segmenter must know.
    pub fn new<S: AsRef<str>>(extra_words: &[S]) -> Self {
        Analyzer {
            chinese: ChineseSegmenter::with_words(extra_words),
            english: EnglishSegmenter,
        }
    }

    /// The Chinese segmenter, e.g. to report dictionary facts in `run.json`.
    pub fn chinese(&self) -> &ChineseSegmenter {
        &self.chinese
    }

    /// Appends the tokens of `text` to `out` (which is not cleared, so a caller can
    /// reuse one buffer).
    pub fn tokenize<'t>(&self, text: &'t str, out: &mut Vec<Token<'t>>) {
        let mut clause: u32 = 0;
        for run in script::runs(text) {
            let segmenter: &dyn Segmenter = match run.script {
                Script::Han => &self.chinese,
                Script::Other => &self.english,
            };
            segmenter.segment(&text[run.start..run.end], run.start, &mut |piece| match piece {
                Piece::Word { start, end } => out.push(Token {
                    start,
                    end,
                    term: normalize::term(&text[start..end]),
                    script: run.script,
                    clause,
                }),
                Piece::Boundary => clause += 1,
            });
        }
    }

    /// Convenience: the tokens of `text` in a new vector.
    pub fn tokens<'t>(&self, text: &'t str) -> Vec<Token<'t>> {
        let mut out = Vec::new();
        self.tokenize(text, &mut out);
        out
    }
}
