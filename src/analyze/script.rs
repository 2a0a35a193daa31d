//! Script runs: maximal stretches of Han characters and of everything else.
//!
//! Chinese needs a dictionary segmenter, every other script in our corpora is
//! segmented by Unicode word boundaries. Splitting first lets mixed text (an English
//! name inside a Chinese law, a Chinese quotation inside an English report) go to the
//! right segmenter piece by piece.

/// The two kinds of run the analyzer distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    /// Han ideographs (Chinese characters, Simplified or Traditional).
    Han,
    /// Everything else: Latin letters, digits, punctuation, whitespace, other scripts.
    Other,
}

impl Script {
    /// The script of a word, by its first character: a word of a Han run is Han.
    pub fn of(word: &str) -> Script {
        match word.chars().next() {
            Some(c) if is_han(c) => Script::Han,
            _ => Script::Other,
        }
    }
}

/// A byte range of the text in one script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScriptRun {
    pub start: usize,
    pub end: usize,
    pub script: Script,
}

/// Whether `c` is a Han ideograph (CJK Unified Ideographs and their extensions,
/// compatibility ideographs, radicals as PDF extraction leaves them, and 〇). CJK
/// punctuation is not Han.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF
        | 0x3007
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x2FA1F
        | 0x30000..=0x323AF)
}

/// The script runs of `text`, in order, covering it completely. ASCII is never
/// Han: a run of other script skips over it without decoding characters.
pub fn runs(text: &str) -> impl Iterator<Item = ScriptRun> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let first = text[at..].chars().next()?;
        let (start, han) = (at, is_han(first));
        at += first.len_utf8();
        while at < bytes.len() {
            if !han {
                at += bytes[at..]
                    .iter()
                    .position(|b| !b.is_ascii())
                    .unwrap_or(bytes.len() - at);
            }
            match text[at..].chars().next() {
                Some(c) if is_han(c) == han => at += c.len_utf8(),
                _ => break,
            }
        }
        let script = if han { Script::Han } else { Script::Other };
        Some(ScriptRun {
            start,
            end: at,
            script,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_cover_mixed_text() {
        let text = "发展AI治理，and 可信";
        let got: Vec<(&str, Script)> = runs(text)
            .map(|r| (&text[r.start..r.end], r.script))
            .collect();
        assert_eq!(
            got,
            vec![
                ("发展", Script::Han),
                ("AI", Script::Other),
                ("治理", Script::Han),
                ("，and ", Script::Other),
                ("可信", Script::Han),
            ]
        );
    }

    proptest::proptest! {
        /// The runs are the maximal stretches of characters alike in being Han.
        #[test]
        fn runs_are_maximal_stretches(text in "[a 1\n。，é法治\u{20000}〇]{0,30}") {
            let mut expected: Vec<(usize, usize, Script)> = Vec::new();
            for (i, c) in text.char_indices() {
                let script = if is_han(c) { Script::Han } else { Script::Other };
                match expected.last_mut() {
                    Some(last) if last.2 == script => last.1 = i + c.len_utf8(),
                    _ => expected.push((i, i + c.len_utf8(), script)),
                }
            }
            let got: Vec<(usize, usize, Script)> =
                runs(&text).map(|r| (r.start, r.end, r.script)).collect();
            proptest::prop_assert_eq!(got, expected);
        }
    }

    #[test]
    fn empty_text_has_no_runs() {
        assert_eq!(runs("").count(), 0);
    }
}
