//! Built-in stopword lists for Chinese and English.
//!
//! Stopwords, and the numbers and heading labels of the documents' apparatus, are
//! flagged (`is_stopword` in the term tables), never dropped: every
//! rate divides by all word tokens, and a researcher may well want to study
//! function words. The lists are short and conservative: grammatical words only,
//! no content words that could carry framing ("development", "安全"), and not
//! "us", which lower-cased is also the United States.

use std::sync::LazyLock;

const ENGLISH: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "either",
    "etc",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "may",
    "me",
    "might",
    "more",
    "most",
    "must",
    "my",
    "myself",
    "neither",
    "no",
    "nor",
    "not",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "per",
    "same",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "thus",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "very",
    "via",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

const CHINESE: &[&str] = &[
    "的", "地", "得", "了", "着", "过", "和", "与", "及", "以及", "或", "或者", "而", "而且", "并",
    "并且", "且", "在", "是", "为", "以", "于", "对", "对于", "由", "由于", "从", "向", "将", "把",
    "被", "给", "按照", "依照", "根据", "等", "等等", "之", "其", "其他", "其中", "该", "此", "这",
    "那", "这些", "那些", "这个", "那个", "之一", "所", "所有", "各", "每", "也", "都", "就", "又",
    "还", "再", "即", "则", "但", "但是", "如", "如果", "若", "因", "因此", "因为", "所以", "从而",
    "以便", "不", "没有", "无", "非", "已", "已经", "应", "应当", "可", "可以", "能", "能够", "会",
    "要", "有", "我", "我们", "你", "你们", "他", "他们", "她", "它", "它们", "自己", "个", "上",
    "下", "中", "内", "外", "时", "后", "前", "之间", "方面", "有关", "相关", "进行", "通过",
];

static SET: LazyLock<rustc_hash::FxHashSet<&'static str>> =
    LazyLock::new(|| ENGLISH.iter().chain(CHINESE).copied().collect());

/// Whether a normalised term is a stopword in either language.
pub fn is_stopword(term: &str) -> bool {
    SET.contains(term) || is_number_or_label(term)
}

/// Words of the documents' apparatus rather than of their discourse, flagged with
/// the stopwords (and so left out of keyness by default): numbers (`1`, `2024`,
/// `3.2`, 十二, ２０), single letters of list items (`a`, `r`), Roman numerals of
/// headings (`ii`, `iv`), and the words of article labels (第, 条, 條, 章, 节, 款,
/// 项, 编 and `article`, `section`, `chapter`, `paragraph`, `annex`, `art`).
pub fn is_number_or_label(term: &str) -> bool {
    const LABELS: &[&str] = &[
        "第",
        "条",
        "條",
        "章",
        "节",
        "節",
        "款",
        "项",
        "項",
        "编",
        "編",
        "article",
        "articles",
        "section",
        "sections",
        "chapter",
        "chapters",
        "paragraph",
        "paragraphs",
        "annex",
        "art",
        "sec",
        "para",
    ];
    let mut chars = term.chars();
    let single_letter = chars
        .next()
        .is_some_and(|c| c.is_alphabetic() && !crate::analyze::script::is_han(c))
        && chars.next().is_none();
    let number = !term.is_empty()
        && term
            .chars()
            .all(|c| c.is_numeric() || matches!(c, '.' | ',' | '-' | '/'))
        && term.chars().any(char::is_numeric);
    let chinese_numeral = !term.is_empty()
        && term
            .chars()
            .all(|c| "〇零一二三四五六七八九十百千万两".contains(c));
    // Roman numerals of headings; not "xi" or "li", which are also names.
    const ROMAN: &[&str] = &[
        "ii", "iii", "iv", "vi", "vii", "viii", "ix", "xii", "xiii", "xiv", "xv", "xvi", "xvii",
        "xviii", "xix", "xx",
    ];
    let roman = ROMAN.contains(&term);
    single_letter || number || chinese_numeral || roman || LABELS.contains(&term)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_function_words_not_frames() {
        for w in ["the", "of", "的", "和"] {
            assert!(is_stopword(w), "{w}");
        }
        for w in [
            "governance",
            "trustworthy",
            "法治",
            "安全",
            "The",
            "ai",
            "5g",
            "十分",
            "civil",
            "xi",
            "li",
        ] {
            assert!(!is_stopword(w), "{w}");
        }
        for w in [
            "1", "2024", "3.2", "十二", "r", "iv", "第", "条", "條", "article", "section",
        ] {
            assert!(is_stopword(w), "numbers and labels are flagged: {w}");
        }
    }
}
