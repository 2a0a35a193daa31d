//! govlens: comparative discourse analysis of governance documents.
//!
//! A batch pipeline that reads corpora of Chinese and English policy documents,
//! segments them into words, counts terms and bilingual framing terms per document
//! and per group, and writes tidy Parquet tables for notebooks.
//!
//! The way in is [`Pipeline`]: a run validated once, from a pipeline file, a
//! TOML text, a configuration value or a corpus directory, run into a run
//! directory or into memory ([`RunOutput`]: every table a polars DataFrame, and
//! `run.json`). Progress and warnings reach the caller through a
//! [`progress::Observer`]; the library never prints.
//!
//! ```no_run
//! let output = govlens::Pipeline::from_file("pipelines/default.toml")?
//!     .run(&govlens::progress::Silent)?;
//! let rates = output.table("frame_rates").expect("every run has it");
//! # Ok::<(), govlens::Error>(())
//! ```
//!
//! The modules are declared bottom first, and a module uses only those above it
//! in this list (a test checks it): small helpers ([`error`], [`limits`] (the bound of
//! every size and count), [`memory`] (giving freed memory back), [`digest`], [`span`],
//! [`progress`] (the observer a caller gives)), then the data path — [`analyze`]
//! (text to tokens), [`corpus`] (what to read, one reader per format), [`lexicon`]
//! (frames matched on tokens, and the audit of what they leave out), [`document`]
//! (the per-document pass every command shares, built by its `Engine`, and the
//! document's structure and zones), [`stats`] (group statistics), [`versions`] (a
//! work's language versions compared unit by unit), [`tables`] (every table's
//! schema, writer and reader) — then the run around it: [`config`], [`output`] (what
//! may be deleted or overwritten), [`provenance`] (`run.json`), [`report`],
//! [`validate`] (coding sheets and precision), [`inspect`] (the commands that look
//! without running), [`explore`] (`explorer.html`, every number one click from its
//! lines), [`run`] (the [`Pipeline`]) and [`merge`] (shards joined into
//! one run). The command line is the binary in `src/bin/govlens/` (its flags, its
//! terminal observer and allocator, behind the default feature `cli`), which only
//! translates flags into these calls. `docs/ARCHITECTURE.md` walks through it.

pub mod error;
pub mod limits;
pub mod memory;
pub mod digest;
pub mod span;
pub mod progress;
pub mod analyze;
pub mod corpus;
pub mod lexicon;
pub mod document;
pub mod stats;
pub mod versions;
pub mod tables;
pub mod config;
pub mod output;
pub mod provenance;
pub mod report;
pub mod validate;
pub mod inspect;
pub mod explore;
pub mod run;
pub mod merge;

pub use error::{Error, Result};
/// The polars govlens builds its tables with, for a caller to match.
pub use polars;
pub use run::{Pipeline, RunOutput};
