//! One error type for the whole library.
//!
//! Every variant names the file (and where it helps, the line or key) so that the
//! one-line message printed by `main` tells the user exactly what to fix. Variants are
//! grouped by where the problem lies: configuration, corpus, documents, output.

use std::path::PathBuf;

/// Result alias used throughout the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in a govlens run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A TOML file (pipeline or lexicon) is malformed or has wrong keys.
    #[error("{path}: {message}")]
    Config { path: PathBuf, message: String },
    /// The manifest is malformed: missing columns, bad values, duplicates.
    #[error("{path}: line {line}: {message}")]
    Manifest {
        path: PathBuf,
        line: u64,
        message: String,
    },
    /// A dictionary file (LIWC, YAML, Lexicoder, WordStat) cannot be read as a lexicon.
    #[error("{path}: line {line}: {message}")]
    Dictionary {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// The corpus as a whole is unusable (no documents, missing directory, ...).
    #[error("{path}: {message}")]
    Corpus { path: PathBuf, message: String },
    /// One document could not be turned into text.
    #[error("{path}: {message}")]
    Document { path: PathBuf, message: String },
    /// A setting given on the command line or in a pipeline is invalid.
    #[error("{0}")]
    Invalid(String),
    /// Building or writing an output table failed.
    #[error("writing {path}: {message}")]
    Output { path: PathBuf, message: String },
    /// The caller stopped the run ([`crate::progress::Observer::cancelled`]).
    #[error("the run was cancelled; nothing was written")]
    Cancelled,
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// A TOML parse or schema error in `path`, on one line with its position.
    pub fn toml(path: impl Into<PathBuf>, text: &str, err: &toml::de::Error) -> Self {
        let at = err.span().map(|span| {
            let before = text.get(..span.start).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: ")
        });
        Error::config(
            path,
            format!("{}{}", at.unwrap_or_default(), err.message().trim()),
        )
    }

    /// A configuration error in `path`.
    pub fn config(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Config {
            path: path.into(),
            message: message.into(),
        }
    }
}
