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
pub mod lang;
pub mod normalize;
#[cfg(test)]
pub(crate) mod proptests;
#[cfg(test)]
mod segmenter_suite;
pub mod script;
pub mod stopwords;
pub mod traditional;

use std::borrow::Cow;
use std::ops::Range;

use crate::span::InContext;

pub use chinese::{ChineseSegmenter, TraditionalSegmenter};
pub use english::EnglishSegmenter;
pub use lang::Lang;
pub use script::{Script, ScriptRun};
pub use traditional::TraditionalConverter;

/// One word of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'t> {
    /// Byte offset of the word in the original text.
    pub start: usize,
    /// Byte offset one past the end of the word in the original text.
    pub end: usize,
    /// The normalised form: NFKC, Latin lower-cased, Chinese in Simplified script.
    /// This is what is counted.
    pub term: Cow<'t, str>,
    /// Script of the run the word came from.
    pub script: Script,
    /// Clause number: increases at every punctuation mark and paragraph break, so
    /// two tokens with the same clause number are not separated by either.
    pub clause: u32,
}

impl Token<'_> {
    /// Where `tokens[first..=last]` stand in the text, with up to `window` tokens
    /// of context on each side.
    pub fn in_context(tokens: &[Token<'_>], first: usize, last: usize, window: usize) -> InContext {
        let to = (last + window).min(tokens.len() - 1);
        InContext {
            left_start: tokens[first.saturating_sub(window)].start,
            start: tokens[first].start,
            end: tokens[last].end,
            right_end: tokens[to].end,
        }
    }
}

/// What a segmenter reports while walking its run of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'t> {
    /// A word, as a byte span into the document; `rewritten` is its text when the
    /// segmenter changed it (Traditional converted to Simplified, compatibility
    /// forms folded), `None` when the word is its surface.
    Word {
        start: usize,
        end: usize,
        rewritten: Option<Cow<'t, str>>,
    },
    /// Punctuation or a paragraph break: a phrase may not match across it.
    Boundary,
}

impl Piece<'_> {
    /// A word that is its surface.
    pub fn word(start: usize, end: usize) -> Self {
        Piece::Word {
            start,
            end,
            rewritten: None,
        }
    }
}

/// Splits a run of text of one script into words and boundaries: the one interface
/// of the Chinese segmenters (Simplified and Traditional) and the English one, each
/// checked by the same test suite (`segmenter_suite`).
pub trait Segmenter: Send + Sync {
    /// Walks `text[range]`, calling `emit` for its words and boundaries in text
    /// order. Spans are offsets into `text` (not into the range), inside the range,
    /// on character boundaries, and do not overlap.
    fn segment<'t>(&self, text: &'t str, range: Range<usize>, emit: &mut dyn FnMut(Piece<'t>));
}

/// Whether two neighbouring words are written apart when tokens are joined back
/// into text: Chinese words run together (法治 + 建设 is 法治建设), every other
/// pair is spaced. The one statement of the rule, used for the matched text of a
/// hit, the matcher's expressions as the audit searches for them, and the token
/// stream the audit searches.
pub fn spaced(prev: Script, next: Script) -> bool {
    !(prev == Script::Han && next == Script::Han)
}

/// Appends `words` (each with its script) to `out`, joined by [`spaced`]; `at` is
/// told where in `out` each word starts.
pub fn join_words<'w>(
    words: impl IntoIterator<Item = (&'w str, Script)>,
    out: &mut String,
    mut at: impl FnMut(usize),
) {
    let mut prev = None;
    for (word, script) in words {
        if prev.is_some_and(|p| spaced(p, script)) {
            out.push(' ');
        }
        at(out.len());
        out.push_str(word);
        prev = Some(script);
    }
}

/// The terms of `tokens` joined as text: `rule of law`, `网络主权`.
pub fn join_terms(tokens: &[Token<'_>]) -> String {
    let mut out = String::new();
    join_terms_into(tokens, &mut out);
    out
}

/// [`join_terms`], appended to `out`.
pub fn join_terms_into(tokens: &[Token<'_>], out: &mut String) {
    join_words(
        tokens.iter().map(|t| (t.term.as_ref(), t.script)),
        out,
        |_| (),
    );
}

/// The script of a Chinese document's text, which decides whether it is converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChineseScript {
    /// Simplified (or no Chinese at all): segmented as it is.
    #[default]
    Simplified,
    /// Traditional: converted to Simplified (Taiwan vocabulary) before segmenting.
    Traditional,
}

/// Largest piece of a document analysed at once, in bytes: documents are cut at
/// paragraph breaks (or, failing those, line breaks or spaces) into pieces of at
/// most this size, so memory is bounded by the piece, not the document.
pub const MAX_PIECE_BYTES: usize = 1 << 20;

/// The full analysis chain, built once per run and shared by all threads.
pub struct Analyzer {
    chinese: ChineseSegmenter,
    english: EnglishSegmenter,
    traditional: TraditionalConverter,
}

impl Analyzer {
    /// Builds the analyzer; `extra_words` are Chinese words (the lexicon's terms)
    /// the Chinese segmenter must know.
    pub fn new<S: AsRef<str>>(extra_words: &[S]) -> Self {
        let traditional = TraditionalConverter::new();
        // The Taiwan vocabulary is replaced word by word, so its words must stay whole.
        let mut words: Vec<String> = extra_words.iter().map(|w| w.as_ref().to_string()).collect();
        words.extend(traditional.vocabulary_words());
        Analyzer {
            chinese: ChineseSegmenter::with_words(&words),
            english: EnglishSegmenter,
            traditional,
        }
    }

    /// The Chinese segmenter, e.g. to report dictionary facts in `run.json`.
    pub fn chinese(&self) -> &ChineseSegmenter {
        &self.chinese
    }

    /// The Traditional-to-Simplified converter (also detects the script).
    pub fn traditional(&self) -> &TraditionalConverter {
        &self.traditional
    }

    /// A document's script (the declared ISO 15924 code, else `Hans`/`Hant` detected
    /// for Chinese and `Latn` for English) and whether its Chinese is converted from
    /// Traditional before segmentation. The one place that decides it, for `run`,
    /// `segment` and `kwic` alike.
    pub fn document_script(
        &self,
        text: &str,
        lang: Lang,
        declared: Option<&str>,
    ) -> (String, ChineseScript) {
        let script = declared.unwrap_or_else(|| match lang {
            Lang::Zh => self.traditional.detect_script(text),
            Lang::En => "Latn",
        });
        let chinese = if lang == Lang::Zh && script == "Hant" {
            ChineseScript::Traditional
        } else {
            ChineseScript::Simplified
        };
        (script.to_string(), chinese)
    }

    /// Appends the tokens of `text[start..end]` to `out` (which is not cleared, so a
    /// caller can reuse one buffer). Spans are offsets into `text`.
    pub fn tokenize<'t>(
        &self,
        text: &'t str,
        range: (usize, usize),
        script: ChineseScript,
        out: &mut Vec<Token<'t>>,
    ) {
        self.tokenize_lowered(text, None, range, script, out);
    }

    /// [`Analyzer::tokenize`], given also `text` ASCII-lowercased (same length, same
    /// offsets): ASCII words then borrow their term from it instead of allocating
    /// a lower-case copy each (a capitalised word is one in every few).
    pub fn tokenize_lowered<'t>(
        &self,
        text: &'t str,
        lower: Option<&'t str>,
        (start, end): (usize, usize),
        script: ChineseScript,
        out: &mut Vec<Token<'t>>,
    ) {
        debug_assert!(lower.is_none_or(|l| l.len() == text.len()));
        let traditional = TraditionalSegmenter {
            chinese: &self.chinese,
            converter: &self.traditional,
        };
        let chinese: &dyn Segmenter = match script {
            ChineseScript::Simplified => &self.chinese,
            ChineseScript::Traditional => &traditional,
        };
        let mut clause: u32 = 0;
        let runs: Vec<ScriptRun> = script::runs(&text[start..end])
            .map(|r| ScriptRun {
                start: r.start + start,
                end: r.end + start,
                script: r.script,
            })
            .collect();
        let mut k = 0;
        while k < runs.len() {
            let run = runs[k];
            match run.script {
                Script::Han => {
                    // A Han region continues across a space or a single line break
                    // (hard-wrapped or spaced-out text): 人工智 / 能 is one word.
                    let mut region_end = run.end;
                    while k + 2 < runs.len()
                        && runs[k + 2].script == Script::Han
                        && joins_han(text, runs[k + 1].start, runs[k + 1].end)
                    {
                        region_end = runs[k + 2].end;
                        k += 2;
                    }
                    // A Han line not joined to the next (a heading) ends a clause.
                    let ends_line = runs.get(k + 1).is_some_and(|r| {
                        let between = &text[r.start..r.end];
                        english::line_breaks(between) == 1
                            && between.chars().all(normalize::is_space)
                    });
                    chinese.segment(text, run.start..region_end, &mut |p| {
                        if let Piece::Word {
                            start,
                            end,
                            rewritten,
                        } = p
                        {
                            out.push(Token {
                                start,
                                end,
                                // Han text without compatibility forms is its own NFKC
                                // form and has no case: the surface is the term.
                                term: rewritten.unwrap_or(Cow::Borrowed(&text[start..end])),
                                script: Script::Han,
                                clause,
                            })
                        }
                    });
                    if ends_line {
                        clause += 1;
                    }
                }
                Script::Other => {
                    self.english
                        .segment(text, run.start..run.end, &mut |p| match p {
                            Piece::Word { start, end, .. } => out.push(Token {
                                start,
                                end,
                                term: match lower {
                                    Some(lower) if text.as_bytes()[start..end].is_ascii() => {
                                        Cow::Borrowed(&lower[start..end])
                                    }
                                    _ => normalize::term(&text[start..end]),
                                },
                                script: Script::Other,
                                clause,
                            }),
                            Piece::Boundary => clause += 1,
                        });
                }
            }
            k += 1;
        }
    }

    /// Convenience: the tokens of all of `text` (Simplified) in a new vector.
    pub fn tokens<'t>(&self, text: &'t str) -> Vec<Token<'t>> {
        let mut out = Vec::new();
        self.tokenize(text, (0, text.len()), ChineseScript::Simplified, &mut out);
        out
    }
}

/// Shortest line (in characters) taken to be hard-wrapped rather than ended: a
/// heading such as 第一条 or a title ends its line and is not joined to the next.
pub const MIN_WRAPPED_LINE_CHARS: usize = 16;

/// Whether the non-Han run `text[start..end]` between two Han runs only separates
/// parts of one text: spaces (spaced-out text), or a single line break after a
/// long line (hard-wrapped text). A blank line or a short line (a heading) ends.
fn joins_han(text: &str, start: usize, end: usize) -> bool {
    let between = &text[start..end];
    if !between.chars().all(normalize::is_space) {
        return false;
    }
    match english::line_breaks(between) {
        0 => true,
        1 => {
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            text[line_start..start].chars().count() >= MIN_WRAPPED_LINE_CHARS
        }
        _ => false,
    }
}

/// Cuts `text` into pieces of at most `max` bytes, preferring paragraph breaks,
/// then line breaks, then spaces, then any character boundary. Phrases do not
/// match across paragraph breaks anyway, so cutting there loses nothing.
pub fn pieces(text: &str, max: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(text.len() / max.max(1) + 1);
    let mut a = 0;
    while a < text.len() {
        if text.len() - a <= max {
            out.push((a, text.len()));
            break;
        }
        let mut limit = a + max.max(4);
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let window = &text[a..limit];
        let cut = window
            .rfind("\n\n")
            .map(|i| i + 2)
            .or_else(|| window.rfind("\n\r\n").map(|i| i + 3))
            .or_else(|| window.rfind('\n').map(|i| i + 1))
            .or_else(|| window.rfind(' ').map(|i| i + 1))
            .filter(|&i| i > 0)
            .map_or(limit, |i| a + i);
        out.push((a, cut));
        a = cut;
    }
    out
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
    fn hard_wrapped_chinese_is_joined_but_headings_are_not() {
        // A long line broken inside 人工智能: one word across the break.
        let wrapped = "我们坚持发展负责任的可信赖的人工\n智能技术";
        let toks = ANALYZER.tokens(wrapped);
        let word = toks.iter().find(|t| t.term == "人工智能").expect("joined");
        assert_eq!(&wrapped[word.start..word.end], "人工\n智能");
        // A heading line is not joined to the text under it.
        assert_eq!(terms("第一条\n为了促进")[0..2], ["第一条", "为了"]);
        // Spaced-out characters (PDF extraction) are joined.
        assert!(terms("人 工 智 能").contains(&"人工智能".to_string()));
        // A blank line always separates.
        assert!(
            !terms("很长的一行文字写到这里就要换行了人工\n\n智能")
                .contains(&"人工智能".to_string())
        );
    }

    #[test]
    fn compatibility_forms_from_pdfs_are_folded() {
        // Kangxi radicals ⼈ (U+2F08) and ⼯ (U+2F2F) as PDF extraction leaves them.
        assert!(terms("\u{2F08}\u{2F2F}智能").contains(&"人工智能".to_string()));
    }

    #[test]
    fn traditional_text_is_counted_in_simplified() {
        let text = "促進以人為本之人工智慧，建構可信賴的數位環境";
        let mut toks = Vec::new();
        ANALYZER.tokenize(text, (0, text.len()), ChineseScript::Traditional, &mut toks);
        let got: Vec<(&str, &str)> = toks
            .iter()
            .map(|t| (&text[t.start..t.end], t.term.as_ref()))
            .collect();
        for want in [
            ("以人為本", "以人为本"),
            ("人工智慧", "人工智能"),
            ("可信賴", "可信赖"),
        ] {
            assert!(got.contains(&want), "{want:?} in {got:?}");
        }
    }

    #[test]
    fn pieces_cut_at_paragraphs_and_cover_the_text() {
        let text = "aaa bbb\n\nccc ddd\neee fff ggg";
        let p = pieces(text, 12);
        assert_eq!(p.first().unwrap().0, 0);
        assert_eq!(p.last().unwrap().1, text.len());
        assert!(p.windows(2).all(|w| w[0].1 == w[1].0));
        assert_eq!(&text[p[0].0..p[0].1], "aaa bbb\n\n");
        let han = "法".repeat(100);
        assert!(
            pieces(&han, 10)
                .iter()
                .all(|&(a, b)| han.is_char_boundary(a) && b - a <= 10)
        );
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
