//! Normalisation of a word's surface into the term that is counted.
//!
//! NFKC folds full-width letters and digits (ＡＩ → AI, ２０２３ → 2023) and
//! compatibility ideographs; Latin text is then lower-cased and a typographic
//! apostrophe becomes a plain one. ASCII words, by far the
//! most common, take a fast path that allocates only when there is an upper-case letter.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// Characters that show nothing and separate nothing, left in text by PDF
/// extraction and web pages: the soft hyphen, zero-width space, (non-)joiner,
/// word joiner and byte-order mark. They are dropped from terms (trust\u{AD}worthy
/// is trustworthy) and count as spacing between words.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Whitespace, or an invisible character (see [`is_invisible`]).
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || is_invisible(c)
}

/// The counted form of a word.
pub fn term(surface: &str) -> Cow<'_, str> {
    if !surface.is_ascii() && surface.contains(is_invisible) {
        let visible: String = surface.chars().filter(|&c| !is_invisible(c)).collect();
        return Cow::Owned(term(&visible).into_owned());
    }
    if surface.is_ascii() {
        return if surface.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(surface.to_ascii_lowercase())
        } else {
            Cow::Borrowed(surface)
        };
    }
    let nfkc_needed = is_nfkc_quick(surface.chars()) != IsNormalized::Yes;
    let has_upper = surface.chars().any(char::is_uppercase);
    let has_curly = surface.contains(['\u{2019}', '\u{02BC}']);
    let folded = match (nfkc_needed, has_upper) {
        (false, false) => Cow::Borrowed(surface),
        (false, true) => Cow::Owned(surface.to_lowercase()),
        (true, _) => Cow::Owned(surface.nfkc().collect::<String>().to_lowercase()),
    };
    if has_curly {
        // AI’s and AI's are the same word.
        Cow::Owned(folded.replace(['\u{2019}', '\u{02BC}'], "'"))
    } else {
        folded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_cases() {
        let cases = [
            ("ascii lower stays borrowed", "governance", "governance"),
            ("ascii upper is lowered", "Trustworthy", "trustworthy"),
            ("full-width letters fold", "ＡＩ", "ai"),
            ("full-width digits fold", "２０２３", "2023"),
            ("chinese is unchanged", "法治", "法治"),
            ("compatibility ideograph folds", "\u{F900}", "\u{8C48}"),
            ("accented latin lowers", "Élan", "élan"),
            ("curly apostrophe folds", "AI\u{2019}s", "ai's"),
            ("soft hyphen is dropped", "Trust\u{AD}worthy", "trustworthy"),
            ("joiners are dropped", "\u{FEFF}AI\u{200D}", "ai"),
        ];
        for (name, input, want) in cases {
            assert_eq!(term(input), want, "{name}");
        }
    }

    #[test]
    fn borrowed_when_unchanged() {
        assert!(matches!(term("rule"), Cow::Borrowed(_)));
        assert!(matches!(term("主权"), Cow::Borrowed(_)));
    }
}
