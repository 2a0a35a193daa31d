//! Looking at what the pipeline sees, without running it: the commands `segment`,
//! `frames`, `lexicon check` ([`segment`]), `kwic` ([`kwic`]), `audit`
//! ([`audit`]) and `parallel` ([`parallel`]).
//!
//! They print to any writer, so tests read what a user would read, and those that
//! read a corpus go through the same per-document pass as `run`
//! ([`crate::document`]): the same limits, and the documents they could not read
//! handed back in [`Findings::skipped`] for the caller to report as `run` does.

pub mod audit;
pub mod kwic;
pub mod parallel;
pub mod segment;

use crate::document::Skipped;

pub use audit::{ExpressionAudit, audit, print_audit};
pub use kwic::{Line, concordance, print_concordance};
pub use parallel::{Disagreement, disagreements, print_disagreements};
pub use segment::{frames, lexicon_check, segment, text};

/// What a look at a corpus found, and the documents it could not read.
pub struct Findings<T> {
    pub found: T,
    pub skipped: Vec<Skipped>,
}
