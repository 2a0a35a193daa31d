//! Document language: Chinese or English.
//!
//! The language decides which stopword list applies and, above all, which
//! denominator a rate has: Chinese and English tokens are different units and are
//! never pooled. It lives with the analysis because detecting it is a question about
//! the text's characters; the corpus records what the manifest declares.

/// Document language: decides which stopword list and rate denominator apply.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Lang {
    // Declared in alphabetical order, so sorting by language sorts by its code.
    En,
    Zh,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// Parses `zh` or `en` (case-insensitive, surrounding spaces ignored).
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Guesses the language of a text from its characters: Chinese when Han
    /// characters are at least a third as many as Latin letters (a Chinese word is
    /// one or two characters, an English word about five letters).
    pub fn detect(text: &str) -> Lang {
        let (mut han, mut latin) = (0usize, 0usize);
        for c in text.chars() {
            if super::script::is_han(c) {
                han += 1;
            } else if c.is_alphabetic() {
                latin += 1;
            }
        }
        if han > 0 && han * 3 >= latin {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}
