//! Integration tests: the `govlens` binary run as a user would, tables read back.
//!
//! One test binary with a module per concern. Tests that need the shared real corpus
//! (`../shared/corpora/ai-governance`) print a visible SKIPPED line when it is absent,
//! and fail instead when `GOVLENS_REQUIRE_SHARED=1` (as CI sets it).

mod api;
mod architecture;
mod audit;
mod bad_input;
mod browser;
mod common;
mod dictionaries;
mod docs;
mod documents;
mod explorer;

mod fixtures;
mod merge;
mod names;
mod nothing_lost;
mod observer;
mod notebook;
mod parallel;
mod pathological;
mod pipelines;
mod render;
mod report;
mod sample;
mod shared_corpus;
mod slurm;
mod validate;
mod wordfish;
mod zones;
