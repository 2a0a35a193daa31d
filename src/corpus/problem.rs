//! Why a document could not be read: a kind a notebook can filter on, and a
//! message. Its own file so that every reader (text, Word and OpenDocument, PDF)
//! can say it without importing the dispatch that calls them.

/// What kind of problem kept a document out of the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProblemKind {
    Missing,
    TooLarge,
    Unreadable,
    Binary,
    Undecodable,
    ChecksumMismatch,
    Empty,
    /// A PDF whose pages have no text layer (a scan).
    NoTextLayer,
    /// A PDF or office file that needs a password.
    Encrypted,
    /// A PDF, zip archive or XML part that cannot be parsed.
    Malformed,
    /// A file that would take more time, memory or output than allowed (a bomb).
    LimitExceeded,
    /// A program the format needs (poppler's pdftotext) is not installed.
    ToolMissing,
}

impl ProblemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::Missing => "missing",
            ProblemKind::TooLarge => "too_large",
            ProblemKind::Unreadable => "unreadable",
            ProblemKind::Binary => "binary",
            ProblemKind::Undecodable => "undecodable",
            ProblemKind::ChecksumMismatch => "checksum_mismatch",
            ProblemKind::Empty => "empty",
            ProblemKind::NoTextLayer => "no_text_layer",
            ProblemKind::Encrypted => "encrypted",
            ProblemKind::Malformed => "malformed",
            ProblemKind::LimitExceeded => "limit_exceeded",
            ProblemKind::ToolMissing => "tool_missing",
        }
    }
}

/// A document that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocProblem {
    pub kind: ProblemKind,
    pub message: String,
}

impl DocProblem {
    pub fn new(kind: ProblemKind, message: impl Into<String>) -> Self {
        DocProblem {
            kind,
            message: message.into(),
        }
    }
}
