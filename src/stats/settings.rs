//! The settings of the statistics, and their defaults, in one place.
//!
//! A pipeline's `[stats]` table deserialises into [`Settings`]; the command line
//! overrides it; `run.json` records it. The options each computation takes
//! (keyness, concordance context) are made from it, so a default is written once.

use serde::{Deserialize, Serialize};

use super::keyness::KeynessOptions;
use super::wordfish::Options as WordfishOptions;
use crate::document::ContextOptions;

/// The `[stats]` table of a pipeline: settings of keyness, intervals, concordance
/// and collocations. Every key is optional; [`Settings::default`] is the one
/// place their defaults are written.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// A term is tested for keyness when it occurs this often in the target or the
    /// reference.
    pub min_count: u64,
    /// Test stopwords too.
    pub include_stopwords: bool,
    /// Compare every pair of groups, not only each group with the rest.
    pub pairs: bool,
    /// Yates' continuity correction for the chi-square column.
    pub yates: bool,
    /// Bootstrap resamples for rate intervals (0: no intervals).
    pub bootstrap: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
    /// Tokens of context on each side in `kwic.parquet`.
    pub kwic_window: usize,
    /// Tokens on each side counted as collocates.
    pub collocation_window: usize,
    /// Least co-occurrences for a collocate to be listed.
    pub collocation_min_count: u64,
    /// Keywords per document and method in `keywords.parquet` (0: none).
    pub keywords: usize,
    /// TextRank keywords too (they cost about half again the run's time).
    pub textrank: bool,
    /// Count n-grams (`ngrams.parquet`), 2 to `ngram_max` words.
    pub ngrams: bool,
    pub ngram_max: usize,
    /// Least count of an n-gram in a group for its row.
    pub ngram_min_count: u64,
    /// Each document's nearest neighbours (`similarity.parquet`), and how many.
    pub similarity: bool,
    pub neighbours: usize,
    /// Fit Wordfish to the documents of this language (`wordfish.parquet`),
    /// `"en"` or `"zh"`; none when unset.
    pub wordfish: Option<String>,
    /// The most frequent terms it fits.
    pub wordfish_terms: usize,
    /// Parametric bootstrap replicates for its intervals (0: none).
    pub wordfish_bootstrap: usize,
    /// Two doc_ids: the first is placed left of the second (empty: the first
    /// document left of the last).
    pub wordfish_anchors: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            min_count: 5,
            include_stopwords: false,
            pairs: false,
            yates: false,
            bootstrap: 1000,
            seed: 2024,
            kwic_window: 8,
            collocation_window: 5,
            collocation_min_count: 3,
            keywords: 10,
            textrank: false,
            ngrams: false,
            ngram_max: 5,
            ngram_min_count: 5,
            similarity: false,
            neighbours: 5,
            wordfish: None,
            wordfish_terms: 500,
            wordfish_bootstrap: 50,
            wordfish_anchors: Vec::new(),
        }
    }
}

impl Settings {
    /// The options of the term keyness table.
    pub fn keyness(&self) -> KeynessOptions {
        KeynessOptions {
            min_count: self.min_count,
            include_stopwords: self.include_stopwords,
            pairs: self.pairs,
            yates: self.yates,
        }
    }

    /// The options of the frame keyness table: every frame with a hit is tested.
    pub fn frame_keyness(&self) -> KeynessOptions {
        KeynessOptions {
            min_count: 1,
            ..self.keyness()
        }
    }

    /// The language Wordfish is fitted to, if any (checked when the plan is made).
    pub fn wordfish_lang(&self) -> Option<crate::corpus::Lang> {
        self.wordfish
            .as_deref()
            .and_then(crate::corpus::Lang::parse)
    }

    /// The options of the Wordfish fit, when one is asked for.
    pub fn wordfish(&self) -> Option<WordfishOptions<'_>> {
        let anchors = match self.wordfish_anchors.as_slice() {
            [a, b] => Some((a.as_str(), b.as_str())),
            _ => None,
        };
        Some(WordfishOptions {
            lang: self.wordfish_lang()?,
            terms: self.wordfish_terms,
            bootstrap: self.wordfish_bootstrap,
            seed: self.seed,
            anchors,
        })
    }

    /// Checks every value against its meaning and its limit
    /// ([`crate::limits`]); the error is the key and what is wrong.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        use crate::limits::{self, at_most};
        let bounded = [
            ("bootstrap", self.bootstrap, limits::BOOTSTRAP),
            ("kwic_window", self.kwic_window, limits::KWIC_WINDOW),
            (
                "collocation_window",
                self.collocation_window,
                limits::COLLOCATION_WINDOW,
            ),
            ("keywords", self.keywords, limits::KEYWORDS),
            ("neighbours", self.neighbours, limits::NEIGHBOURS),
            (
                "wordfish_terms",
                self.wordfish_terms,
                limits::WORDFISH_TERMS,
            ),
            (
                "wordfish_bootstrap",
                self.wordfish_bootstrap,
                limits::WORDFISH_BOOTSTRAP,
            ),
        ];
        for (key, value, max) in bounded {
            at_most(key, value as u64, max).map_err(|why| (key, why))?;
        }
        if self.min_count == 0 {
            return Err(("min_count", "min_count must be at least 1".into()));
        }
        let max_n = crate::document::ngrams::MAX_N;
        if !(2..=max_n).contains(&self.ngram_max) {
            return Err((
                "ngram_max",
                format!("ngram_max must be 2 to {max_n}, not {}", self.ngram_max),
            ));
        }
        if let Some(lang) = &self.wordfish
            && self.wordfish_lang().is_none()
        {
            return Err((
                "wordfish",
                format!("wordfish: {lang:?} is not a language; it is \"en\" or \"zh\""),
            ));
        }
        if self.wordfish_terms < 2 {
            return Err((
                "wordfish_terms",
                format!(
                    "wordfish_terms must be at least 2, not {}",
                    self.wordfish_terms
                ),
            ));
        }
        let anchors = &self.wordfish_anchors;
        if !(anchors.is_empty() || anchors.len() == 2 && anchors[0] != anchors[1]) {
            return Err((
                "wordfish_anchors",
                format!(
                    "wordfish_anchors must be two different doc_ids (left, right), not {anchors:?}"
                ),
            ));
        }
        Ok(())
    }

    /// Context sizes of the concordance and the collocates.
    pub fn context(&self) -> ContextOptions {
        ContextOptions {
            kwic_window: self.kwic_window,
            collocation_window: self.collocation_window,
            keywords: if self.textrank { self.keywords } else { 0 },
            ngram_max: if self.ngrams { self.ngram_max } else { 0 },
        }
    }
}
