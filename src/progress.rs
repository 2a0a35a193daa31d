//! What a long command tells its caller while it works.
//!
//! The library never prints: a run or a merge reports progress and warnings to
//! an [`Observer`] its caller gives, and returns the documents it skipped as data.
//! [`Silent`] drops everything (a notebook, a test); the command line's observer
//! (`src/bin/govlens/terminal.rs`, part of the binary) draws a bar or writes log lines.

/// What a run or a merge reports while it works. Every method has a default
/// that does nothing, so an observer implements only what it shows; it is
/// called from the worker threads.
pub trait Observer: Sync {
    /// The work is known: `docs` documents of `bytes` file bytes.
    fn start(&self, _docs: u64, _bytes: u64) {}
    /// One more document is done (read and analysed, or skipped).
    fn document_done(&self, _bytes: u64) {}
    /// The documents are done; the group tables follow.
    fn finish(&self) {}
    /// Something the caller should know that is not an error (a table left
    /// empty, and why).
    fn warn(&self, _message: &str) {}
    /// Whether the caller has asked the run to stop (a notebook's interrupt): it
    /// is asked before each document and each stage, and the run then ends with
    /// [`crate::Error::Cancelled`], writing nothing.
    fn cancelled(&self) -> bool {
        false
    }
}

/// An observer that shows nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Observer for Silent {}
