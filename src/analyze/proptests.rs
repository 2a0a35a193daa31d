//! Property tests: analysis never panics, and token spans always point at the
//! text they came from, whatever the input.

use proptest::prelude::*;
use std::sync::LazyLock;

use super::{Analyzer, ChineseScript, Script, normalize};

static ANALYZER: LazyLock<Analyzer> = LazyLock::new(|| Analyzer::new(&["善治", "合治"]));

/// Text mixing the scripts and the characters that stress the analyzer.
fn mixed_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 \n\r\t.,;:!?'\\-‐’一-龥，。、；：「」（）ＡＩ２０⼈⼯\u{F900}\u{2029}\u{3000}]{0,300}",
        any::<String>(),
    ]
}

/// Checks the tokens of `text`: spans inside the text, on character boundaries,
/// in text order, each term its surface normalised (also used by the reading
/// tests of `document`).
pub(crate) fn check_spans(text: &str, script: ChineseScript) {
    let mut tokens = Vec::new();
    ANALYZER.tokenize(text, (0, text.len()), script, &mut tokens);
    let mut last_start = 0;
    for t in &tokens {
        assert!(
            t.start < t.end && t.end <= text.len(),
            "span inside the text"
        );
        assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        assert!(t.start >= last_start, "tokens in text order");
        last_start = t.start;
        assert!(!t.term.is_empty());
        if script == ChineseScript::Simplified {
            // A Chinese word may span a line break of hard-wrapped text, which is
            // not part of the word.
            let surface: String = match t.script {
                Script::Han => text[t.start..t.end].split_whitespace().collect(),
                Script::Other => text[t.start..t.end].to_string(),
            };
            assert_eq!(
                normalize::term(&surface),
                t.term,
                "the term is the surface, normalised"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn spans_rebuild_the_surface(text in mixed_text()) {
        check_spans(&text, ChineseScript::Simplified);
    }

    #[test]
    fn traditional_conversion_keeps_spans_valid(text in mixed_text()) {
        check_spans(&text, ChineseScript::Traditional);
    }

    #[test]
    fn normalisation_never_panics(text in any::<String>()) {
        let _ = normalize::term(&text);
    }
}

#[test]
fn invisible_characters_neither_split_nor_join_words() {
    let terms = |text: &str| -> Vec<String> {
        ANALYZER
            .tokens(text)
            .iter()
            .map(|t| t.term.to_string())
            .collect()
    };
    assert_eq!(terms("trust\u{AD}worthy AI"), ["trustworthy", "ai"]);
    assert_eq!(
        terms("\u{FEFF}good\u{200B}governance"),
        ["good", "governance"]
    );
    assert_eq!(terms("善\u{200B}治"), ["善治"]);
    assert_eq!(terms("good\u{202F}governance"), ["good", "governance"]);
}
