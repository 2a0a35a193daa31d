//! Counting: from tokens to the numbers in the tables.
//!
//! A document's own counts come from [`crate::document`]; here they become group
//! statistics. [`profile`] keeps each document's counts compactly; [`groups`]
//! merges documents into groups (jurisdiction by default) and computes rates per
//! 10,000 tokens within each language. Everything is sorted before it leaves this
//! module, so output never depends on thread scheduling.

pub mod ca;
pub mod collocations;
pub mod divergence;
pub mod groups;
pub mod intervals;
pub mod keyness;
pub mod keywords;
pub mod measures;
pub mod ngrams;
pub mod profile;
pub mod settings;
pub mod similarity;
pub mod wordfish;

pub use groups::{FrameRate, GroupTerm, frame_rates, group_terms};
pub use profile::{DocTerms, GroupedDoc, Vocab};
pub use settings::Settings;

/// Rate per 10,000 tokens; `None` (null in the tables) when there are no tokens,
/// because a rate over nothing is unknown, not zero.
pub fn per_10k(count: u64, tokens: u64) -> Option<f64> {
    (tokens > 0).then(|| count as f64 * 10_000.0 / tokens as f64)
}
