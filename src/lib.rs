//! govlens: comparative discourse analysis of governance documents.
//!
//! A batch pipeline that reads corpora of Chinese and English policy documents,
//! segments them into words, counts terms and bilingual framing terms per document
//! and per group, and writes tidy Parquet tables for notebooks.
//!
//! The modules are declared bottom first, and a module uses only those above it
//! in this list (a test checks it): small helpers ([`error`], [`limits`] (the bound of
//! every size and count), [`memory`] (giving freed memory back), [`digest`], [`span`]),
//! then the data path — [`analyze`] (text to tokens), [`corpus`] (what to read),
//! [`lexicon`] (frames matched on tokens, and the audit of what they leave out),
//! [`document`] (the per-document pass every command shares, built by its
//! `Engine`), [`stats`] (group statistics), [`versions`] (a work's language versions
//! compared unit by unit), [`table`] (Parquet) — then the run around it: [`config`],
//! [`output`] (what may be deleted or overwritten), [`progress`] (the observer a
//! caller gives), [`provenance`] (`run.json`), [`report`], [`validate`] (coding
//! sheets and precision), [`inspect`] (the commands that look without running),
//! [`run`], [`merge`] (shards joined into one run) and [`cli`]. The binary
//! (`main.rs`, with its terminal observer in `terminal.rs`) only translates flags;
//! the library never prints. `docs/ARCHITECTURE.md`
//! walks through it.

pub mod error;
pub mod limits;
pub mod memory;
pub mod digest;
pub mod span;
pub mod analyze;
pub mod corpus;
pub mod lexicon;
pub mod document;
pub mod stats;
pub mod versions;
pub mod table;
pub mod config;
pub mod output;
pub mod progress;
pub mod provenance;
pub mod report;
pub mod validate;
pub mod inspect;
pub mod run;
pub mod merge;
pub mod cli;

pub use error::{Error, Result};
