//! Reading a corpus: which documents there are, their metadata, and their text.
//!
//! A corpus is a directory. With a `manifest.csv` ([`manifest`]) the researcher says
//! what each document is; without one ([`discover`]) every file of a format govlens reads below
//! the directory is a document and its metadata is inferred. Either way the result
//! is a [`Corpus`]: a validated list of [`DocSpec`]s, checked up front so that a run
//! fails before any work is done. [`read`] turns one document's bytes into text
//! (by the format's reader from the table of [`formats`], one file per format;
//! [`decode`] the encoding of a text format), or into a recorded problem
//! ([`problem`]); [`layout`] is the pages and headings a reader found.

pub mod decode;
pub mod discover;
pub mod formats;
pub mod layout;
pub mod manifest;
pub mod problem;
pub mod read;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub use crate::analyze::Lang;

/// A metadata value from the manifest's extra columns.
#[derive(Debug, Clone, PartialEq)]
pub enum MetaValue {
    Int(i64),
    Text(String),
}

/// One document to analyse, as the corpus describes it.
#[derive(Debug, Clone)]
pub struct DocSpec {
    /// Unique identifier (manifest `doc_id`, or the relative path).
    pub doc_id: String,
    /// Path relative to the corpus directory, with `/` separators.
    pub file: String,
    /// Where to read it.
    pub path: PathBuf,
    /// Language; `None` means detect it from the text.
    pub lang: Option<Lang>,
    /// Jurisdiction (manifest column, else the first folder of `file`).
    pub jurisdiction: String,
    /// ISO 15924 script code if the manifest gives one.
    pub script: Option<String>,
    pub year: Option<i32>,
    pub title: Option<String>,
    /// The checksum the manifest promises, verified when the file is read.
    pub expected_sha256: Option<String>,
    /// The encoding the manifest states; detected when `None`.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Values of the manifest's extra columns, in [`Corpus::extra_columns`] order.
    pub extra: Vec<Option<MetaValue>>,
}

impl DocSpec {
    /// A file named on the command line, read as a document of its own: nothing
    /// declared, everything detected.
    pub fn for_file(path: &Path) -> DocSpec {
        let name = path.display().to_string();
        DocSpec::undeclared(name, "unassigned".into(), path.to_path_buf())
    }

    /// A document known by its file alone, `file` its id: language, script and
    /// encoding detected, no metadata.
    pub fn undeclared(file: String, jurisdiction: String, path: PathBuf) -> DocSpec {
        DocSpec {
            doc_id: file.clone(),
            jurisdiction,
            file,
            path,
            lang: None,
            script: None,
            year: None,
            title: None,
            expected_sha256: None,
            encoding: None,
            extra: Vec::new(),
        }
    }
}

/// A validated corpus.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub root: PathBuf,
    /// The manifest, if the corpus has one.
    pub manifest: Option<PathBuf>,
    /// Names of the manifest's extra metadata columns.
    pub extra_columns: Vec<String>,
    pub docs: Vec<DocSpec>,
}

impl Corpus {
    /// Opens the corpus at `root`: its manifest if there is one, else its files.
    pub fn open(root: &Path) -> Result<Corpus> {
        if !root.is_dir() {
            return Err(Error::Corpus {
                path: root.to_path_buf(),
                message: "corpus directory not found".into(),
            });
        }
        let manifest = root.join("manifest.csv");
        let mut corpus = if manifest.is_file() {
            manifest::read(root, &manifest)?
        } else {
            discover::scan(root)?
        };
        if corpus.docs.is_empty() {
            return Err(Error::Corpus {
                path: root.to_path_buf(),
                message: "no documents: no manifest.csv and no .txt, .md or .html files below it"
                    .into(),
            });
        }
        corpus.docs.sort_by(|a, b| a.doc_id.cmp(&b.doc_id));
        Ok(corpus)
    }

    /// The value of the extra manifest column `column` for `doc`, as text.
    pub fn extra_value(&self, doc: &DocSpec, column: &str) -> Option<String> {
        let k = self.extra_columns.iter().position(|c| c == column)?;
        doc.extra.get(k).cloned().flatten().map(|v| match v {
            MetaValue::Int(i) => i.to_string(),
            MetaValue::Text(s) => s,
        })
    }

    /// Names of the columns a run can group by.
    pub fn groupable_columns(&self) -> Vec<String> {
        let mut cols: Vec<String> = ["jurisdiction", "lang", "script", "year", "title"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        cols.extend(self.extra_columns.iter().cloned());
        cols
    }
}

/// First folder of a relative path, the jurisdiction when nothing else says it.
pub fn first_folder(file: &str) -> String {
    match file.split_once('/') {
        Some((dir, _)) if !dir.is_empty() => dir.to_string(),
        _ => "unassigned".to_string(),
    }
}
