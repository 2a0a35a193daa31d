//! govlens: comparative discourse analysis of governance documents.
//!
//! A batch pipeline that reads corpora of Chinese and English policy documents,
//! segments them into words, counts terms and bilingual framing terms per document
//! and per group, and writes tidy Parquet tables for notebooks. The stages follow
//! the folders: [`corpus`] (what to read), [`analyze`] (text to tokens),
//! [`lexicon`] (frames matched on tokens), [`stats`] (counts and rates), [`table`]
//! (Parquet), tied together by [`run`]; [`report`] draws a run as a web page.

pub mod analyze;
pub mod audit;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod error;
pub mod inspect;
pub mod lexicon;
pub mod output;
pub mod progress;
pub mod report;
pub mod run;
pub mod stats;
pub mod table;

pub use error::{Error, Result};
