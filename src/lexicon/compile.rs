//! Expressions into token parts.
//!
//! An expression is cut by the documents' own analyzer, so 可信赖 in the lexicon and
//! 可信赖 in a law are the same token, and "Human-Centred" compiles to the lower-case
//! words the English segmenter makes of it. A `*` ends the word before it and makes
//! that word a prefix (`trustworth*`); Chinese prefixes are refused, because a
//! Chinese prefix would count substrings, which is what govlens exists not to do.

use crate::analyze::Analyzer;

/// One token of a compiled expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Part {
    Exact(String),
    Prefix(String),
}

impl Part {
    /// The word (for a prefix, the part before the `*`).
    pub fn word(&self) -> &str {
        let (Part::Exact(w) | Part::Prefix(w)) = self;
        w
    }

    /// Whether a token's term matches this part.
    pub fn matches(&self, term: &str) -> bool {
        match self {
            Part::Exact(w) => term == w,
            Part::Prefix(p) => term.starts_with(p.as_str()),
        }
    }
}

/// Cuts an expression into parts with the documents' analyzer. A `*` ends the
/// word before it and makes that word a prefix.
pub fn compile(expr: &str, analyzer: &Analyzer) -> std::result::Result<Vec<Part>, String> {
    let mut body = String::with_capacity(expr.len());
    let mut star_at = Vec::new();
    for c in expr.chars() {
        if c == '*' {
            star_at.push(body.len());
            // The star stands for the rest of a word: what follows is a new word.
            body.push(' ');
        } else {
            body.push(c);
        }
    }
    let tokens = analyzer.tokens(&body);
    if tokens.is_empty() {
        return Err("has no word in it".into());
    }
    if tokens.iter().any(|t| t.clause != tokens[0].clause) {
        return Err("contains punctuation that would split it".into());
    }
    if let Some(pos) = star_at
        .iter()
        .find(|&&p| !tokens.iter().any(|t| t.end == p))
    {
        return Err(format!("`*` at byte {pos} does not end a word"));
    }
    if tokens
        .iter()
        .any(|t| t.script == crate::analyze::Script::Han && star_at.contains(&t.end))
    {
        return Err(
            "wildcards are for English only (a Chinese prefix would count substrings)".into(),
        );
    }
    Ok(tokens
        .into_iter()
        .map(|t| {
            let term = t.term.into_owned();
            if star_at.contains(&t.end) {
                Part::Prefix(term)
            } else {
                Part::Exact(term)
            }
        })
        .collect())
}
