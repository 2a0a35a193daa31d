//! One test suite for every [`Segmenter`]: the Simplified and Traditional Chinese
//! segmenters and the English one each get the same checks (as charabia gives
//! every segmenter of its own), so a new segmenter is held to the same contract:
//!
//! - it never panics, whatever the input;
//! - its spans rebuild the input: in text order, inside the range, on character
//!   boundaries, not overlapping, and nothing but spacing and punctuation falls
//!   between them (no letter, digit or Han character is lost);
//! - it cuts known words as a reader would.

use std::sync::LazyLock;

use proptest::prelude::*;

use super::{
    ChineseSegmenter, EnglishSegmenter, Piece, Segmenter, TraditionalConverter,
    TraditionalSegmenter,
};

static CHINESE: LazyLock<ChineseSegmenter> =
    LazyLock::new(|| ChineseSegmenter::with_words(&["善治", "合治"]));
static CONVERTER: LazyLock<TraditionalConverter> = LazyLock::new(TraditionalConverter::new);

static TRADITIONAL: LazyLock<TraditionalSegmenter<'static>> =
    LazyLock::new(|| TraditionalSegmenter {
        chinese: &CHINESE,
        converter: &CONVERTER,
    });

/// The words of `text[range]` as (span, term), with `|` for a boundary.
fn pieces(
    seg: &dyn Segmenter,
    text: &str,
    range: std::ops::Range<usize>,
) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    seg.segment(text, range, &mut |p| match p {
        Piece::Word {
            start,
            end,
            rewritten,
        } => out.push((
            start,
            end,
            rewritten.map_or_else(|| text[start..end].to_string(), |t| t.into_owned()),
        )),
        Piece::Boundary => out.push((usize::MAX, usize::MAX, "|".into())),
    });
    out
}

/// The contract every segmenter keeps on `text[range]`.
fn check_contract(seg: &dyn Segmenter, text: &str, range: std::ops::Range<usize>) {
    let words: Vec<(usize, usize, String)> = pieces(seg, text, range.clone())
        .into_iter()
        .filter(|w| w.0 != usize::MAX)
        .collect();
    let mut at = range.start;
    for (start, end, term) in &words {
        assert!(
            range.start <= *start && start < end && *end <= range.end,
            "{text:?}: span {start}..{end} outside {range:?}"
        );
        assert!(
            text.is_char_boundary(*start) && text.is_char_boundary(*end),
            "{text:?}: span off a character boundary"
        );
        assert!(
            *start >= at,
            "{text:?}: spans overlap or go backwards at {start}"
        );
        assert!(!term.is_empty(), "{text:?}: empty term");
        assert_nothing_lost(&text[at..*start], text);
        at = *end;
    }
    assert_nothing_lost(&text[at..range.end], text);
}

/// Between words there may be spacing and punctuation, never a word character.
fn assert_nothing_lost(gap: &str, text: &str) {
    assert!(
        !gap.chars().any(char::is_alphanumeric),
        "{text:?}: {gap:?} between words holds word characters"
    );
}

fn terms(seg: &dyn Segmenter, text: &str) -> Vec<String> {
    pieces(seg, text, 0..text.len())
        .into_iter()
        .map(|w| w.2)
        .collect()
}

/// The suite, for a segmenter built by `$make`, on random text of its script
/// (`$script`, a proptest regex), with named known-word cases `$cases`:
/// (name, input, the words and boundaries joined by spaces).
macro_rules! segmenter_suite {
    ($name:ident, $make:expr, $script:expr, $cases:expr) => {
        mod $name {
            use super::*;

            proptest! {
                #![proptest_config(ProptestConfig::with_cases(256))]

                #[test]
                fn never_panics_on_any_input(text in any::<String>()) {
                    let seg: &dyn Segmenter = $make;
                    let _ = pieces(seg, &text, 0..text.len());
                }

                #[test]
                fn spans_rebuild_the_input(text in $script, cut in 0usize..64) {
                    let seg: &dyn Segmenter = $make;
                    check_contract(seg, &text, 0..text.len());
                    // A range inside a larger text: spans stay inside it.
                    let mut from = cut.min(text.len());
                    while !text.is_char_boundary(from) {
                        from -= 1;
                    }
                    check_contract(seg, &text, from..text.len());
                }
            }

            #[test]
            fn known_words() {
                let seg: &dyn Segmenter = $make;
                let cases: &[(&str, &str, &str)] = &$cases;
                for (name, input, want) in cases {
                    assert_eq!(terms(seg, input).join(" "), *want, "{name}");
                }
            }
        }
    };
}

segmenter_suite!(
    chinese_simplified,
    &*CHINESE,
    "[一-龥 \n，。、]{0,80}",
    [
        ("a dictionary word", "坚持法治", "坚持 法治"),
        (
            "依法治理 is 依法/治理, not 法治",
            "推进依法治理",
            "推进 依法治理"
        ),
        ("an added word stays whole", "走向善治", "走向 善治"),
        ("a spaced-out word is one word", "人 工 智 能", "人工智能"),
        (
            "Kangxi radicals are folded",
            "\u{2F08}\u{2F2F}智能",
            "人工智能"
        ),
    ]
);

segmenter_suite!(
    chinese_traditional,
    &*TRADITIONAL,
    "[一-龥 \n，。、]{0,80}",
    [
        ("converted to Simplified", "人工智慧", "人工智能"),
        ("Taiwan vocabulary, word by word", "數位發展", "数字 发展"),
        (
            "可信賴 as a word",
            "建構可信賴的環境",
            "建构 可信赖 的 环境"
        ),
    ]
);

segmenter_suite!(
    english,
    &EnglishSegmenter,
    "[a-zA-Z0-9 \n.,;'\\-é’\u{301}\u{2029}—]{0,80}",
    [
        ("words", "Trustworthy AI", "Trustworthy AI"),
        ("a hyphen joins", "human-centred", "human centred"),
        (
            "a full stop is a boundary",
            "good. Governance",
            "good | Governance"
        ),
        (
            "a blank line is a boundary",
            "rule\n\nof law",
            "rule | of law"
        ),
        ("numbers are words", "Article 10", "Article 10"),
    ]
);
