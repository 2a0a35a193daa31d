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
/// place their defaults are written. `run.json` records this same type, under
/// the names it has always used where they differ from the pipeline's (each such
/// field says so, and reads either name), so every run.json still reads.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// A term is tested for keyness when it occurs this often in the target or the
    /// reference.
    #[serde(rename(serialize = "keyness_min_count"), alias = "keyness_min_count")]
    pub min_count: u64,
    /// Test stopwords too.
    #[serde(
        rename(serialize = "keyness_include_stopwords"),
        alias = "keyness_include_stopwords"
    )]
    pub include_stopwords: bool,
    /// Compare every pair of groups, not only each group with the rest.
    #[serde(rename(serialize = "keyness_pairs"), alias = "keyness_pairs")]
    pub pairs: bool,
    /// Yates' continuity correction for the chi-square column.
    #[serde(rename(serialize = "chi2_yates"), alias = "chi2_yates")]
    pub yates: bool,
    /// Bootstrap resamples for rate intervals (0: no intervals).
    #[serde(
        rename(serialize = "bootstrap_resamples"),
        alias = "bootstrap_resamples"
    )]
    pub bootstrap: usize,
    /// Seed of the bootstrap.
    #[serde(rename(serialize = "bootstrap_seed"), alias = "bootstrap_seed")]
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
    #[serde(rename(serialize = "keywords_textrank"), alias = "keywords_textrank")]
    pub textrank: bool,
    /// Count n-grams (`ngrams.parquet`), 2 to `ngram_max` words.
    pub ngrams: bool,
    pub ngram_max: usize,
    /// Least count of an n-gram in a group for its row.
    pub ngram_min_count: u64,
    /// Each document's nearest neighbours (`similarity.parquet`), and how many.
    pub similarity: bool,
    #[serde(
        rename(serialize = "similarity_neighbours"),
        alias = "similarity_neighbours"
    )]
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

    /// Checks the Wordfish anchors against the corpus' documents (all of them,
    /// when the run is a shard): each a document of it, in the language fitted
    /// where the manifest declares one. The rest of Wordfish's settings are
    /// checked by [`Settings::check`].
    pub fn check_anchors(&self, docs: &[crate::corpus::DocSpec]) -> crate::error::Result<()> {
        let Some(lang) = self.wordfish_lang() else {
            return Ok(());
        };
        let invalid =
            |why: String| crate::error::Error::Invalid(format!("wordfish_anchors: {why}"));
        for anchor in &self.wordfish_anchors {
            match docs.iter().find(|d| &d.doc_id == anchor) {
                None => {
                    return Err(invalid(format!(
                        "{anchor:?} is not a document of the corpus"
                    )));
                }
                Some(d) if d.lang.is_some_and(|l| l != lang) => {
                    let lang = lang.as_str();
                    return Err(invalid(format!("{anchor:?} is not an {lang} document")));
                }
                Some(_) => {}
            }
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_json_records_the_one_settings_type_and_reads_either_name() {
        let mut s = Settings {
            min_count: 7,
            bootstrap: 12,
            textrank: true,
            ..Settings::default()
        };
        s.wordfish = Some("en".into());
        // Written under run.json's names ...
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["keyness_min_count"], 7);
        assert_eq!(json["bootstrap_resamples"], 12);
        assert_eq!(json["keywords_textrank"], true);
        assert!(json.get("min_count").is_none());
        // ... and read back, as a pipeline's names are.
        assert_eq!(serde_json::from_value::<Settings>(json).unwrap(), s);
        let pipeline: Settings = toml::from_str("min_count = 7\nbootstrap = 12\n").unwrap();
        assert_eq!((pipeline.min_count, pipeline.bootstrap), (7, 12));
        // A run.json written before newer keys existed still reads, with defaults.
        let old: Settings =
            serde_json::from_str(r#"{"bootstrap_resamples": 3, "chi2_yates": true}"#).unwrap();
        assert_eq!((old.bootstrap, old.yates), (3, true));
        assert_eq!(old.wordfish_terms, Settings::default().wordfish_terms);
        assert!(serde_json::from_str::<Settings>(r#"{"nonsense": 1}"#).is_err());
    }
}
