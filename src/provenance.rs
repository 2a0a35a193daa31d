//! `run.json`: what a run was, typed.
//!
//! A run directory records how its tables came about: the tool and the versions
//! of the crates its numbers depend on (taken from Cargo.lock by the build script),
//! the settings, the lexicon and dictionary fingerprints, the inputs, what was
//! skipped, rows per table, and (in `invocation` only) the command line, threads
//! and timings. `run` writes a [`RunManifest`]; `report` reads one back and fails
//! with a clear error when the file is missing or is not a govlens run, rather
//! than drawing a page from silent defaults.
//!
//! Fields are declared in alphabetical order, so the file reads as before this
//! was typed (keys sorted), and everything but `invocation` depends only on the
//! inputs and settings.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::lexicon::Format;
use crate::stats::Settings;

/// The versions of the crates a run's numbers depend on, from the build.
pub fn versions() -> Versions {
    Versions {
        ferrous_opencc: env!("GOVLENS_VERSION_FERROUS_OPENCC").into(),
        jieba_rs: env!("GOVLENS_VERSION_JIEBA_RS").into(),
        polars: env!("GOVLENS_VERSION_POLARS").into(),
    }
}

/// The whole of `run.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunManifest {
    pub dictionary: Dictionary,
    pub govlens_version: String,
    pub inputs: Inputs,
    pub invocation: Invocation,
    pub lexicon: LexiconRecord,
    pub pipeline: Option<String>,
    pub rows: BTreeMap<String, usize>,
    /// This and the other `default` fields are absent from the runs of earlier
    /// govlens versions, whose reports can still be rebuilt; what the report
    /// shows is required.
    #[serde(default)]
    pub script_conversion: ScriptConversion,
    pub settings: RecordedSettings,
    /// What a run with `--shard` records for `govlens merge`; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_of: Option<ShardRecord>,
    /// The shards a `govlens merge` joined; absent from other runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_from: Option<Vec<MergedShard>>,
    #[serde(default)]
    pub skipped: Vec<SkippedInput>,
    pub tokens: BTreeMap<String, u64>,
    #[serde(default)]
    pub tokens_definition: BTreeMap<String, String>,
    /// Absent from the runs of govlens before it recorded them.
    #[serde(default)]
    pub versions: Versions,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Versions {
    #[serde(rename = "ferrous-opencc")]
    pub ferrous_opencc: String,
    #[serde(rename = "jieba-rs")]
    pub jieba_rs: String,
    pub polars: String,
}

/// The segmenter's dictionary: jieba's own plus the words the lexicon added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dictionary {
    pub added_words: Vec<String>,
    pub segmenter: String,
    pub sha256: String,
}

/// The documents a run read: a digest over them (their checksums themselves are
/// in `documents.parquet`, `sha256`), so that `run.json` stays small for a corpus
/// of millions of files. Runs of earlier versions listed every input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Inputs {
    Digest(InputsDigest),
    Listed(Vec<Input>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputsDigest {
    /// Documents read (those skipped are in `skipped`).
    pub documents: u64,
    /// SHA-256 over one line per document in doc_id order:
    /// `doc_id TAB path TAB sha256 TAB encoding LF`.
    pub sha256: String,
    /// Where the per-file checksums are.
    pub per_file: String,
}

impl Inputs {
    /// The digest of `inputs` (in doc_id order).
    pub fn digest(inputs: &[Input]) -> Inputs {
        let mut d = InputsHasher::default();
        for i in inputs {
            d.add(&i.doc_id, &i.path, &i.sha256, &i.encoding);
        }
        d.finish()
    }
}

/// The digest of [`Inputs`], a document at a time (in doc_id order).
#[derive(Default, Clone)]
pub struct InputsHasher {
    hasher: sha2::Sha256,
    documents: u64,
}

impl InputsHasher {
    pub fn add(&mut self, doc_id: &str, path: &str, sha256: &str, encoding: &str) {
        use sha2::Digest;
        self.hasher
            .update(format!("{doc_id}\t{path}\t{sha256}\t{encoding}\n").as_bytes());
        self.documents += 1;
    }

    pub fn finish(self) -> Inputs {
        use sha2::Digest;
        let hash = self.hasher.finalize();
        Inputs::Digest(InputsDigest {
            documents: self.documents,
            sha256: crate::digest::hex(&hash),
            per_file: "documents.parquet: doc_id, path, sha256, encoding".into(),
        })
    }
}

/// A shard's place in the whole corpus, so that `govlens merge` can check that its
/// shards are the parts of one corpus under one lexicon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardRecord {
    /// K of K/N (1-based).
    pub index: u64,
    /// N of K/N.
    pub count: u64,
    /// Documents in the whole corpus, before the shard took its part.
    pub corpus_documents: u64,
    /// SHA-256 over one line per document of the whole corpus, in doc_id order:
    /// `doc_id TAB path LF`.
    pub corpus_listing_sha256: String,
    /// Frame ids in lexicon order (what the per-document tables' `frame` columns name).
    pub frames: Vec<String>,
    /// Rows of each part the shard wrote for the merge (`shard/NAME.parquet`).
    pub parts: BTreeMap<String, usize>,
}

/// One shard a merged run was made of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergedShard {
    pub dir: String,
    pub shard: String,
    pub documents: u64,
    pub skipped: u64,
    /// SHA-256 of the shard's `run.json`.
    pub run_json_sha256: String,
}

/// One document read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    pub doc_id: String,
    pub encoding: String,
    pub path: String,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedInput {
    pub doc_id: String,
    pub kind: String,
    pub path: String,
}

/// What depends on the machine and the moment, not on the inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invocation {
    pub command_line: Vec<String>,
    pub threads: usize,
    pub timings_seconds: Timings,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    pub analyse_and_document_tables: f64,
    pub group_tables: f64,
    pub setup: f64,
    /// Per table: building its rows, its DataFrame and its file.
    pub tables: BTreeMap<String, f64>,
    pub total: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LexiconRecord {
    pub frames: usize,
    pub sha256: String,
    /// `builtin` or the file's path.
    pub source: String,
    /// The file's format (`toml`, or the dictionary format it was read from).
    #[serde(default = "toml_format")]
    pub format: Format,
}

fn toml_format() -> Format {
    Format::Toml
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScriptConversion {
    pub applies_to: String,
    pub characters: String,
    pub vocabulary: String,
    pub vocabulary_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedSettings {
    #[serde(default)]
    pub batch_bytes: u64,
    pub corpus: String,
    /// Whether frame hits inside names were counted.
    #[serde(default)]
    pub count_names: bool,
    /// The zones whose tokens were counted.
    #[serde(default)]
    pub count_zones: Vec<String>,
    pub group_by: String,
    pub lexicon: String,
    #[serde(default)]
    pub max_file_bytes: u64,
    pub out: String,
    #[serde(default)]
    pub shard: Option<String>,
    /// The statistics' settings, as [`Settings`] records itself.
    pub stats: Settings,
    pub strict: bool,
}

/// What a token is, per language, as `run.json` states it.
pub fn tokens_definition() -> BTreeMap<String, String> {
    BTreeMap::from([
        (
            "en".to_string(),
            "a Unicode (UAX #29) word containing a letter or digit, NFKC-normalised and \
             lower-cased; URLs, e-mail addresses and footnote markers are not words; tokens \
             of the zones not counted (settings.count_zones) are left out"
                .to_string(),
        ),
        (
            "zh".to_string(),
            "a word from jieba-rs accurate mode with HMM, run on each region of Han \
             characters (Traditional script converted to Simplified first: OpenCC tw2s \
             characters, then the Taiwan vocabulary word by word); tokens of the zones not \
             counted (settings.count_zones) are left out"
                .to_string(),
        ),
    ])
}

impl RunManifest {
    /// Writes `run.json` into `dir`.
    pub fn write(&self, dir: &Path) -> Result<()> {
        let path = dir.join("run.json");
        let text = serde_json::to_string_pretty(self).map_err(|e| Error::Output {
            path: path.clone(),
            message: e.to_string(),
        })?;
        std::fs::write(&path, text + "\n").map_err(|e| Error::io(&path, e))
    }

    /// Reads `run.json` of the run directory `dir`.
    pub fn read(dir: &Path) -> Result<RunManifest> {
        let path = dir.join("run.json");
        if std::fs::symlink_metadata(&path).is_err() {
            return Err(Error::Invalid(format!(
                "{} is not a govlens run directory (no run.json); run `govlens run` first",
                dir.display()
            )));
        }
        let bytes = crate::limits::read_bounded(&path, crate::limits::RUN_JSON_BYTES, "run.json")?;
        Self::parse(&path, &bytes)
    }

    /// Parses the bytes of the `run.json` at `path`.
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<RunManifest> {
        serde_json::from_slice(bytes).map_err(|e| Error::Output {
            path: path.to_path_buf(),
            message: format!("not a govlens run.json: {e}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_come_from_the_lock_file() {
        let lock = include_str!("../Cargo.lock");
        let v = versions();
        for (name, version) in [
            ("jieba-rs", &v.jieba_rs),
            ("ferrous-opencc", &v.ferrous_opencc),
            ("polars", &v.polars),
        ] {
            assert!(
                lock.contains(&format!("name = \"{name}\"\nversion = \"{version}\"")),
                "{name} {version} is the locked version"
            );
        }
    }

    #[test]
    fn a_file_that_is_not_a_run_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = RunManifest::read(dir.path()).unwrap_err().to_string();
        assert!(err.contains("not a govlens run directory"), "{err}");
        std::fs::write(dir.path().join("run.json"), "{\"rows\": 3}").unwrap();
        let err = RunManifest::read(dir.path()).unwrap_err().to_string();
        assert!(err.contains("not a govlens run.json"), "{err}");
    }
}
