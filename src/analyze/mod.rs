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
            segmenter.segment(
                &text[run.start..run.end],
                run.start,
                &mut |piece| match piece {
                    Piece::Word { start, end } => out.push(Token {
                        start,
                        end,
                        term: normalize::term(&text[start..end]),
                        script: run.script,
                        clause,
                    }),
                    Piece::Boundary => clause += 1,
                },
            );
        }
    }

    /// Convenience: the tokens of `text` in a new vector.
    pub fn tokens<'t>(&self, text: &'t str) -> Vec<Token<'t>> {
        let mut out = Vec::new();
        self.tokenize(text, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    static ANALYZER: LazyLock<Analyzer> =
        LazyLock::new(|| Analyzer::new(&["善治", "合治", "可信赖"]));

    fn terms(text: &str) -> Vec<String> {
        ANALYZER
            .tokens(text)
            .iter()
            .map(|t| t.term.to_string())
            .collect()
    }

    /// Words that look like frame terms as substrings but are not those words.
    #[test]
    fn substring_traps_are_not_frame_words() {
        let cases = [
            ("依法治理 is not 法治", "坚持依法治理", "法治"),
            ("改善治理 is not 善治", "不断改善治理能力", "善治"),
            ("综合治理 is not 合治", "开展综合治理工作", "合治"),
            ("混合治理 is not 合治", "混合治理对象", "合治"),
        ];
        for (name, text, word) in cases {
            let got = terms(text);
            assert!(!got.iter().any(|t| t == word), "{name}: {got:?}");
        }
    }

    #[test]
    fn frame_words_stay_whole() {
        let cases = [
            ("法治", "坚持法治原则", "法治"),
            ("善治 (added word)", "走向善治之路", "善治"),
            ("合治 (added word)", "推动合治", "合治"),
            ("可信赖 (added word)", "构建可信赖的人工智能", "可信赖"),
        ];
        for (name, text, word) in cases {
            let got = terms(text);
            assert!(got.iter().any(|t| t == word), "{name}: {got:?}");
        }
    }

    #[test]
    fn full_width_and_case_are_normalised() {
        assert_eq!(terms("ＡＩ治理２０２３"), vec!["ai", "治理", "2023"]);
        assert_eq!(terms("Trustworthy AI"), vec!["trustworthy", "ai"]);
    }

    #[test]
    fn mixed_scripts_are_segmented_run_by_run() {
        assert_eq!(
            terms("发展AI治理 and 可信赖 systems"),
            vec!["发展", "ai", "治理", "and", "可信赖", "systems"]
        );
    }

    #[test]
    fn punctuation_and_whitespace_are_not_tokens() {
        assert_eq!(
            terms("法治、善治。 -- (rule) !"),
            vec!["法治", "善治", "rule"]
        );
        assert!(terms("  ，。！？\n\n").is_empty());
    }

    #[test]
    fn clauses_break_at_punctuation_and_blank_lines_only() {
        let toks = ANALYZER.tokens("good governance\nrule. of\n\nlaw human-centred");
        let clause: Vec<(String, u32)> = toks
            .iter()
            .map(|t| (t.term.to_string(), t.clause))
            .collect();
        let c = |i: usize| clause[i].1;
        assert_eq!(c(0), c(1), "same sentence");
        assert_eq!(c(1), c(2), "a single line break does not end a clause");
        assert_ne!(c(2), c(3), "a full stop does");
        assert_ne!(c(3), c(4), "a blank line does");
        assert_eq!(c(5), c(6), "a hyphen joins");
    }

    #[test]
    fn spans_point_at_the_surface() {
        let text = "第一条　ＡＩ与Rule of Law，可信赖。";
        for t in ANALYZER.tokens(text) {
            let surface = &text[t.start..t.end];
            assert_eq!(normalize::term(surface), t.term, "{surface}");
        }
    }

    #[test]
    fn arbitrary_text_never_panics_and_spans_stay_inside() {
        let samples = [
            "",
            "\u{0}\u{FEFF}\u{200B}",
            "🙂🙂 emoji 😀治理",
            "ｱｲｳ half-width katakana, 한국어 텍스트, العربية",
            "\u{20000}\u{2A6D6}𠀀法治",
            "a\r\nb\r\n\r\nc",
            "'''---...",
        ];
        for text in samples {
            for t in ANALYZER.tokens(text) {
                assert!(t.start < t.end && t.end <= text.len(), "{text:?}");
                assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            }
        }
    }
}
