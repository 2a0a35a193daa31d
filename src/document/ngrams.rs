//! N-grams (AntConc's clusters): runs of 2 to `max` consecutive words of one
//! clause, never across punctuation or a paragraph break, written as their terms
//! joined by one space (in Chinese too, so the segmentation shows: 人工 智能).

use rustc_hash::FxHashMap as HashMap;

use super::analysis::{Analysis, Piece};
use super::{ContextOptions, DocCounts};
use crate::analyze::Token;

/// The longest n-gram counted.
pub const MAX_N: usize = 5;

/// N-gram counts as a per-document analysis ([`DocCounts::ngrams`]).
pub struct Ngrams;

impl Analysis for Ngrams {
    type Tally<'t> = HashMap<String, u32>;

    fn tally<'t>(&self, piece: &Piece<'_, 't>) -> HashMap<String, u32> {
        let mut counts = HashMap::default();
        if piece.context.ngram_max > 1 {
            count_ngrams(piece.tokens, piece.context.ngram_max, &mut counts);
        }
        counts
    }

    fn merge<'t>(&self, into: &mut HashMap<String, u32>, next: HashMap<String, u32>) {
        for (k, n) in next {
            *into.entry(k).or_insert(0) += n;
        }
    }

    fn finish(&self, counts: HashMap<String, u32>, _: &ContextOptions, doc: &mut DocCounts) {
        doc.ngrams = counts.into_iter().collect();
    }
}

/// Adds the n-grams of `tokens` (one piece, in order), 2 to `max` words long, to
/// `counts`.
pub fn count_ngrams(tokens: &[Token<'_>], max: usize, counts: &mut HashMap<String, u32>) {
    let mut key = String::new();
    for (i, first) in tokens.iter().enumerate() {
        key.clear();
        key.push_str(&first.term);
        for next in tokens[i + 1..].iter().take(max.saturating_sub(1)) {
            if next.clause != first.clause {
                break;
            }
            key.push(' ');
            key.push_str(&next.term);
            match counts.get_mut(key.as_str()) {
                Some(n) => *n += 1,
                None => {
                    counts.insert(key.clone(), 1);
                }
            }
        }
    }
}

/// The number of words of an n-gram.
pub fn words(ngram: &str) -> usize {
    ngram.matches(' ').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::Analyzer;

    fn ngrams(text: &str, max: usize) -> Vec<(String, u32)> {
        let analyzer = Analyzer::new(&["法治"]);
        let tokens = analyzer.tokens(text);
        let mut counts = HashMap::default();
        count_ngrams(&tokens, max, &mut counts);
        let mut v: Vec<(String, u32)> = counts.into_iter().collect();
        v.sort();
        v
    }

    #[test]
    fn counted_by_hand_within_clauses() {
        // "the rule of law" twice, then a comma: nothing runs across it.
        let got = ngrams("The rule of law, the rule of law. Law", 3);
        let want: Vec<(String, u32)> = [
            ("of law", 2),
            ("rule of", 2),
            ("rule of law", 2),
            ("the rule", 2),
            ("the rule of", 2),
        ]
        .iter()
        .map(|(g, n)| (g.to_string(), *n))
        .collect();
        assert_eq!(got, want);
        assert_eq!(ngrams("rule of law", 2).len(), 2, "max 2: bigrams only");
        assert!(ngrams("law", 5).is_empty());
    }

    #[test]
    fn chinese_ngrams_are_sequences_of_words() {
        let got = ngrams("坚持法治原则。", 5);
        let grams: Vec<&str> = got.iter().map(|(g, _)| g.as_str()).collect();
        assert_eq!(grams, ["坚持 法治", "坚持 法治 原则", "法治 原则"]);
        assert_eq!(words("坚持 法治 原则"), 3);
    }
}
