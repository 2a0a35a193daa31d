//! The Chinese segmenter: jieba's accurate mode with its HMM for unknown words.
//!
//! The dictionary is loaded once per run. The lexicon's Chinese terms are added to it
//! so that a frame term is kept whole where it is a word; a term the dictionary
//! already knows keeps jieba's own frequency, so that the segmenter still prefers
//! the usual split around it (依法/治理, not 依/法治/理).

use jieba_rs::Jieba;

use super::{Piece, Segmenter};

/// Segments runs of Han characters into words.
pub struct ChineseSegmenter {
    jieba: Jieba,
    added: Vec<String>,
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
        ChineseSegmenter { jieba, added }
    }

    /// The words that were not in jieba's dictionary and were added to it.
    pub fn added_words(&self) -> &[String] {
        &self.added
    }

    /// Whether the dictionary (default plus added words) has `word`.
    pub fn knows(&self, word: &str) -> bool {
        self.jieba.has_word(word)
    }
}

impl Segmenter for ChineseSegmenter {
    fn segment(&self, run: &str, offset: usize, emit: &mut dyn FnMut(Piece)) {
        for token in self.jieba.cut(run, true) {
            emit(Piece::Word {
                start: offset + token.byte_start,
                end: offset + token.byte_end,
            });
        }
    }
}
