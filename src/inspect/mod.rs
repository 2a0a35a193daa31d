//! Looking at what the pipeline sees, without running it: the commands `segment`,
//! `frames`, `lexicon check` ([`segment`]), `kwic` ([`kwic`]), `audit`
//! ([`audit`]) and `parallel` ([`parallel`]).
//!
//! Each returns data (concordance [`Line`]s, [`ExpressionAudit`]s,
//! [`Disagreement`]s, [`Segmented`] tokens) that a front end shows as it likes (the
//! command line's `show.rs`); `frames`, `lexicon check` and `text` write a
//! lexicon's or a document's text to a writer. Those that read a corpus go
//! through the same per-document pass as `run`
//! ([`crate::document`]): the same limits, and the documents they could not read
//! handed back in [`Findings::skipped`] for the caller to report as `run` does.

pub mod audit;
pub mod kwic;
pub mod parallel;
pub mod segment;

use crate::document::Skipped;

pub use audit::{ExpressionAudit, audit};
pub use kwic::{Line, concordance};
pub use parallel::{Disagreement, disagreements, disagreements_in};
pub use segment::{Segmented, ZoneSpan, frames, lexicon_check, segment, text, zones};

/// What a look at a corpus found, and the documents it could not read.
pub struct Findings<T> {
    pub found: T,
    pub skipped: Vec<Skipped>,
}
