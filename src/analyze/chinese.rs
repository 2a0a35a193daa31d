//! The Chinese segmenter: jieba's accurate mode with its HMM for unknown words.
//!
//! The dictionary is loaded once per run. The lexicon's Chinese terms are added to it
//! so that a frame term is kept whole where it is a word; a term the dictionary
//! already knows keeps jieba's own frequency, so that the segmenter still prefers
//! the usual split around it (依法/治理, not 依/法治/理).
//!
//! A Han region may hold what jieba must not see: a line break of hard-wrapped
//! text (人工智\n能), compatibility forms (Kangxi radicals from PDF extraction),
//! Traditional characters. Such a region is first rewritten into a clean Simplified
//! string whose every character remembers its span in the document; the common
//! clean region is cut in place, with no copy.

use super::normalize::is_space;
use std::borrow::Cow;
use std::ops::Range;

use std::sync::Mutex;

use jieba_rs::Jieba;
use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;

use super::traditional::TraditionalConverter;
use super::{Piece, Segmenter};

impl Segmenter for ChineseSegmenter {
    /// Simplified text, cut as it is (compatibility forms folded, spacing of
    /// spaced-out or hard-wrapped text skipped).
    fn segment<'t>(&self, text: &'t str, range: Range<usize>, emit: &mut dyn FnMut(Piece<'t>)) {
        self.cut(
            text,
            range.start,
            range.end,
            None,
            &mut |start, end, rewritten| {
                emit(Piece::Word {
                    start,
                    end,
                    rewritten,
                })
            },
        );
    }
}

/// The Chinese segmenter for Traditional text: characters converted to Simplified
/// (OpenCC tw2s), Taiwan words replaced by their mainland equivalents, then cut as
/// Simplified text would be; spans point at the Traditional characters as written.
pub struct TraditionalSegmenter<'a> {
    pub chinese: &'a ChineseSegmenter,
    pub converter: &'a TraditionalConverter,
}

impl Segmenter for TraditionalSegmenter<'_> {
    fn segment<'t>(&self, text: &'t str, range: Range<usize>, emit: &mut dyn FnMut(Piece<'t>)) {
        let converter = Some(self.converter);
        let mut each = |start, end, rewritten| {
            emit(Piece::Word {
                start,
                end,
                rewritten,
            })
        };
        self.chinese
            .cut(text, range.start, range.end, converter, &mut each);
    }
}

/// Longest stretch handed to jieba at once, in bytes. Longer Han regions (a
/// pathological file with no punctuation) are cut here; a word straddling the cut
/// is split, which is the price of bounded time and memory.
pub const MAX_CUT_BYTES: usize = 64 * 1024;

/// Longest word, in characters, that [`ChineseSegmenter::constituents`] cuts.
pub const MAX_CONSTITUENT_CHARS: usize = 16;

/// The sum of the frequencies of jieba's default dictionary (349,045 words), by
/// which jieba turns a word's frequency into its probability.
const JIEBA_TOTAL_FREQ: u64 = 60_101_964;

/// Segments runs of Han characters into words.
pub struct ChineseSegmenter {
    jieba: Jieba,
    added: Vec<String>,
    /// [`ChineseSegmenter::constituents`] of the words asked so far: a word's cut
    /// costs a jieba cut per piece, and the same compounds recur.
    constituents: Mutex<FxHashMap<String, Vec<(usize, usize)>>>,
}

impl ChineseSegmenter {
    /// jieba's default dictionary plus `words`.
    pub fn with_words<S: AsRef<str>>(words: &[S]) -> Self {
        let mut jieba = Jieba::new();
        let mut added = Vec::new();
        for word in words {
            let word = word.as_ref();
            if !word.is_empty() && !jieba.has_word(word) {
                jieba.add_word(word, None, None);
                added.push(word.to_owned());
            }
        }
        added.sort();
        added.dedup();
        ChineseSegmenter {
            jieba,
            added,
            constituents: Mutex::default(),
        }
    }

    /// The segmenter's own best cut of `word` into smaller pieces, as byte ranges
    /// of `word`: the most probable path through jieba's dictionary (the product
    /// of its words' frequencies over the dictionary's total, as jieba scores a
    /// path) that does not keep the whole word. A character jieba does not know
    /// counts as a word of frequency 1, as in jieba. Words over
    /// [`MAX_CONSTITUENT_CHARS`] characters are not cut (an empty result).
    ///
    /// 信息处理 is 信息 + 处理, 依法治理 is 依法 + 治理, 网络安全 is 网络 + 安全: the
    /// constituents a frame term may be (个人信息 in 个人 | 信息处理 | 者) or straddle
    /// (法治 in 依法治理).
    pub fn constituents(&self, word: &str) -> Vec<(usize, usize)> {
        // A poisoned cache (a panic elsewhere) is only a cache: compute afresh.
        if let Ok(cache) = self.constituents.lock()
            && let Some(cut) = cache.get(word)
        {
            return cut.clone();
        }
        let cut = self.best_inner_cut(word);
        if let Ok(mut cache) = self.constituents.lock() {
            cache.insert(word.to_string(), cut.clone());
        }
        cut
    }

    #[allow(clippy::needless_range_loop)]
    fn best_inner_cut(&self, word: &str) -> Vec<(usize, usize)> {
        let chars: Vec<usize> = word
            .char_indices()
            .map(|(i, _)| i)
            .chain([word.len()])
            .collect();
        let n = chars.len() - 1;
        if !(2..=MAX_CONSTITUENT_CHARS).contains(&n) {
            return Vec::new();
        }
        let log_total = (JIEBA_TOTAL_FREQ as f64).ln();
        let log_p = |i: usize, j: usize| -> Option<f64> {
            let piece = &word[chars[i]..chars[j]];
            let freq = if self.jieba.has_word(piece) {
                self.jieba.suggest_freq(piece).saturating_sub(1).max(1)
            } else if j == i + 1 {
                1
            } else {
                return None;
            };
            Some((freq as f64).ln() - log_total)
        };
        // best[i]: the best score of word[i..] and the end of its first piece,
        // filled from the end (a DP over piece ends, hence the index loops).
        let mut best = vec![(0.0f64, n); n + 1];
        for i in (0..n).rev() {
            let mut here: Option<(f64, usize)> = None;
            for j in i + 1..=n {
                if i == 0 && j == n {
                    continue; // the whole word
                }
                if let Some(p) = log_p(i, j) {
                    let score = p + best[j].0;
                    if here.is_none_or(|(s, _)| score > s) {
                        here = Some((score, j));
                    }
                }
            }
            best[i] = here.unwrap_or((f64::NEG_INFINITY, i + 1));
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < n {
            let j = best[i].1;
            out.push((chars[i], chars[j]));
            i = j;
        }
        out
    }

    /// The words that were not in jieba's dictionary and were added to it.
    pub fn added_words(&self) -> &[String] {
        &self.added
    }

    /// Segments the Han region `text[start..end]`, calling `emit(start, end, term)`
    /// for each word with its span in `text`; `term` is `None` when the word is its
    /// own surface. With `converter`, Traditional characters become Simplified.
    fn cut<'t>(
        &self,
        text: &'t str,
        start: usize,
        end: usize,
        converter: Option<&TraditionalConverter>,
        emit: &mut dyn FnMut(usize, usize, Option<Cow<'t, str>>),
    ) {
        let region = &text[start..end];
        let clean = converter.is_none() && region.chars().all(|c| !is_space(c) && !needs_nfkc(c));
        if clean {
            for piece in cut_points(region) {
                for t in self.jieba.cut(&region[piece.0..piece.1], true) {
                    let (a, b) = (start + piece.0 + t.byte_start, start + piece.0 + t.byte_end);
                    emit(a, b, None);
                }
            }
            return;
        }
        // Rewrite: drop whitespace, fold compatibility forms, convert the script.
        let mut feed = String::with_capacity(region.len());
        let mut spans: Vec<(usize, usize)> = Vec::with_capacity(region.len() / 3);
        for (i, c) in region.char_indices() {
            if is_space(c) {
                continue;
            }
            let span = (start + i, start + i + c.len_utf8());
            if needs_nfkc(c) {
                for n in std::iter::once(c).nfkc() {
                    feed.push(n);
                    spans.push(span);
                }
            } else {
                feed.push(c);
                spans.push(span);
            }
        }
        if let Some(conv) = converter {
            let converted = conv.convert(&feed);
            spans = converted
                .source
                .iter()
                .map(|&(first, last)| (spans[first].0, spans[last].1))
                .collect();
            feed = converted.text;
            // Taiwan vocabulary, word by word: a first cut finds the words, the
            // mainland ones replace them, and the text is cut again so that the
            // result segments as Simplified text would (网路/主权 -> 网络主权).
            let (rebuilt, rebuilt_spans) = self.replace_vocabulary(&feed, &spans, conv);
            feed = rebuilt;
            spans = rebuilt_spans;
        }
        let char_starts: Vec<usize> = feed.char_indices().map(|(i, _)| i).collect();
        for piece in cut_points(&feed) {
            for t in self.jieba.cut(&feed[piece.0..piece.1], true) {
                let (a, b) = (piece.0 + t.byte_start, piece.0 + t.byte_end);
                let first = char_starts.partition_point(|&s| s < a);
                let last = char_starts.partition_point(|&s| s < b) - 1;
                let (span_start, span_end) = (spans[first].0, spans[last].1.max(spans[first].0));
                let surface = &text[span_start..span_end];
                let term = if surface == t.word {
                    None
                } else {
                    Some(Cow::Owned(t.word.to_string()))
                };
                emit(span_start, span_end, term);
            }
        }
    }
}

impl ChineseSegmenter {
    /// Replaces the Taiwan words of `feed` by their mainland equivalents; every
    /// character of the result keeps the span of the word it replaced.
    fn replace_vocabulary(
        &self,
        feed: &str,
        spans: &[(usize, usize)],
        conv: &TraditionalConverter,
    ) -> (String, Vec<(usize, usize)>) {
        let char_starts: Vec<usize> = feed.char_indices().map(|(i, _)| i).collect();
        let mut rebuilt = String::with_capacity(feed.len());
        let mut rebuilt_spans = Vec::with_capacity(spans.len());
        for piece in cut_points(feed) {
            for t in self.jieba.cut(&feed[piece.0..piece.1], true) {
                let (a, b) = (piece.0 + t.byte_start, piece.0 + t.byte_end);
                let first = char_starts.partition_point(|&s| s < a);
                let last = char_starts.partition_point(|&s| s < b) - 1;
                match conv.mainland(t.word) {
                    Some(mainland) => {
                        let span = (spans[first].0, spans[last].1);
                        rebuilt_spans.extend(mainland.chars().map(|_| span));
                        rebuilt.push_str(mainland);
                    }
                    None => {
                        rebuilt_spans.extend_from_slice(&spans[first..=last]);
                        rebuilt.push_str(t.word);
                    }
                }
            }
        }
        (rebuilt, rebuilt_spans)
    }
}

/// Characters that NFKC changes and that jieba's dictionary would not know:
/// compatibility ideographs and Kangxi / supplementary radicals.
fn needs_nfkc(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x2FDF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

/// Byte ranges of at most [`MAX_CUT_BYTES`], on character boundaries.
fn cut_points(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(s.len() / MAX_CUT_BYTES + 1);
    let mut a = 0;
    while a < s.len() {
        let mut b = (a + MAX_CUT_BYTES).min(s.len());
        while !s.is_char_boundary(b) {
            b -= 1;
        }
        out.push((a, b));
        a = b;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constituents_are_the_segmenters_best_inner_cut() {
        let seg = ChineseSegmenter::with_words(&["个人信息"]);
        let cases = [
            ("a compound of two words", "信息处理", vec!["信息", "处理"]),
            (
                "依法治理 is 依法 + 治理, not 依 + 法治 + 理",
                "依法治理",
                vec!["依法", "治理"],
            ),
            ("网络安全", "网络安全", vec!["网络", "安全"]),
            ("综合治理 is 综合 + 治理", "综合治理", vec!["综合", "治理"]),
            (
                "a two-character word is two characters",
                "治理",
                vec!["治", "理"],
            ),
            ("one character has none", "法", vec![]),
        ];
        for (name, word, want) in cases {
            let got: Vec<&str> = seg
                .constituents(word)
                .into_iter()
                .map(|(a, b)| &word[a..b])
                .collect();
            assert_eq!(got, want, "{name}");
        }
    }
}
