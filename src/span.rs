//! Byte spans of a document's text with some context around them.
//!
//! A document can have millions of frame hits and audit rows. Each keeps four byte
//! offsets into the document's text rather than strings; the strings of a
//! concordance line are made only when its table is written, a slice of rows at a
//! time. This module is the one definition of such a span and of how its context
//! is shown, shared by the concordance and the audit.

use std::borrow::Cow;
use std::sync::Arc;

/// Where tokens stand in a document, with some context, as byte ranges of its
/// text: `text[left_start..start]` is the left context, `text[start..end]` the
/// tokens as written (Traditional characters stay so), `text[end..right_end]` the
/// right context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InContext {
    pub left_start: usize,
    pub start: usize,
    pub end: usize,
    pub right_end: usize,
}

impl InContext {
    /// The left context, whitespace shown as single spaces.
    pub fn left<'t>(&self, text: &'t str) -> Cow<'t, str> {
        one_line(&text[self.left_start..self.start])
    }

    /// The tokens as written.
    pub fn matched<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }

    /// The right context, whitespace shown as single spaces.
    pub fn right<'t>(&self, text: &'t str) -> Cow<'t, str> {
        one_line(&text[self.end..self.right_end])
    }
}

/// `text` with every run of whitespace shown as one space, trimmed: borrowed when
/// it is so already (most contexts are).
pub fn one_line(text: &str) -> Cow<'_, str> {
    let mut prev_space = true;
    let single_spaced = text.chars().all(|c| {
        let ok = if c.is_whitespace() {
            c == ' ' && !prev_space
        } else {
            true
        };
        prev_space = c.is_whitespace();
        ok
    }) && !prev_space;
    if single_spaced || text.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    Cow::Owned(out)
}

/// The shared copy of `text` in `seen`, added if new: a document's many hits with
/// the same text hold one string between them.
pub fn intern(seen: &mut rustc_hash::FxHashSet<Arc<str>>, text: &str) -> Arc<str> {
    if let Some(t) = seen.get(text) {
        return t.clone();
    }
    let t: Arc<str> = text.into();
    seen.insert(t.clone());
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_is_shown_on_one_line() {
        let text = "before\n\n  the  match\tafter it";
        let at = InContext {
            left_start: 0,
            start: text.find("the").unwrap(),
            end: text.find("match").unwrap() + 5,
            right_end: text.len(),
        };
        assert_eq!(at.left(text), "before");
        assert_eq!(at.matched(text), "the  match");
        assert_eq!(at.right(text), "after it");
    }

    proptest::proptest! {
        /// Borrowed or not, the context reads as its words joined by single spaces.
        #[test]
        fn one_line_is_the_words_single_spaced(text in "[a \t\n\u{3000}\u{a0}法治]{0,12}") {
            let words: Vec<&str> = text.split_whitespace().collect();
            let shown = one_line(&text);
            proptest::prop_assert_eq!(&*shown, words.join(" "));
            proptest::prop_assert_eq!(matches!(shown, Cow::Borrowed(_)), *shown == *text);
        }
    }

    #[test]
    fn interned_strings_are_shared() {
        let mut seen = Default::default();
        let a = intern(&mut seen, "法治");
        let b = intern(&mut seen, "法治");
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(seen.len(), 1);
    }
}
