//! From a document on disk to the text that is analysed, or a recorded problem.
//!
//! Three steps: the file's bytes (size-checked and hashed here), then the
//! format's reader from the table of [`formats`](super::formats): a text format
//! [`decode`](super::decode)d and its visible text extracted, a binary one read
//! by its own reader. The checksum is of the bytes on disk, so provenance
//! is exact whatever the encoding. A document that cannot be read becomes a
//! [`DocProblem`] with a kind a notebook can filter on; the run decides whether
//! that is fatal (`--strict`) or recorded in `errors.parquet`.

use super::DocSpec;
use super::decode::{DecodeError, decode};
use super::formats::{Format, Reader};
pub use super::problem::{DocProblem, ProblemKind};
use crate::corpus::layout::Layout;
use crate::digest::hex_sha256;

/// A document's text with the facts about its file.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub text: String,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    pub n_bytes: u64,
    /// Encoding the bytes were decoded with.
    pub encoding: &'static str,
    pub format: Format,
    /// The pages (PDF) and marked headings (Word, OpenDocument) of the text.
    pub layout: Layout,
}

/// A document's text as its format gives it.
#[derive(Debug, Clone)]
pub struct Extracted {
    pub text: String,
    /// Encoding of the bytes (`pdf`, `zip` for the binary formats).
    pub encoding: &'static str,
    pub format: Format,
    pub layout: Layout,
}

impl Extracted {
    /// The document loaded from `bytes`, whose SHA-256 is `sha256`.
    pub fn loaded(self, sha256: String, bytes: &[u8]) -> Loaded {
        Loaded {
            text: self.text,
            sha256,
            n_bytes: bytes.len() as u64,
            encoding: self.encoding,
            format: self.format,
            layout: self.layout,
        }
    }
}

/// Reads, checks, decodes and extracts the document `doc`; files over
/// `max_bytes` are refused before they are read.
pub fn load(doc: &DocSpec, max_bytes: u64) -> Result<Loaded, DocProblem> {
    let path = &doc.path;
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => DocProblem::new(ProblemKind::Missing, "file not found"),
        _ => DocProblem::new(ProblemKind::Unreadable, e.to_string()),
    })?;
    if !meta.is_file() {
        return Err(DocProblem::new(
            ProblemKind::Unreadable,
            "not a regular file",
        ));
    }
    if meta.len() > max_bytes {
        return Err(DocProblem::new(
            ProblemKind::TooLarge,
            format!(
                "{} bytes, over the limit of {} bytes (raise max_file_mb / --max-file-mb)",
                meta.len(),
                max_bytes
            ),
        ));
    }
    // Read no further than the limit, even if the file grew since it was measured.
    let read = std::fs::File::open(path)
        .and_then(|f| crate::limits::read_at_most(f, max_bytes))
        .map_err(|e| DocProblem::new(ProblemKind::Unreadable, e.to_string()))?;
    let Some(bytes) = read else {
        return Err(DocProblem::new(
            ProblemKind::TooLarge,
            format!("grew past the limit of {max_bytes} bytes while being read"),
        ));
    };
    let sha256 = hex_sha256(&bytes);
    if let Some(expected) = &doc.expected_sha256
        && *expected != sha256
    {
        return Err(DocProblem::new(
            ProblemKind::ChecksumMismatch,
            format!("sha256 is {sha256} but the manifest says {expected}: the file changed"),
        ));
    }
    from_bytes(&bytes, doc.encoding, Format::of(path)).map(|e| e.loaded(sha256, &bytes))
}

/// Decodes and extracts in-memory bytes: the part of [`load`] that sees content
/// (also the fuzzing entry point).
pub fn from_bytes(
    bytes: &[u8],
    declared: Option<&'static encoding_rs::Encoding>,
    format: Format,
) -> Result<Extracted, DocProblem> {
    if bytes.is_empty() {
        return Err(DocProblem::new(ProblemKind::Empty, "the file is empty"));
    }
    let (text, layout, encoding) = match format.spec().reader {
        Reader::Binary { container, read } => {
            let (text, layout) = read(bytes)?;
            (text, layout, container)
        }
        Reader::Text(extract) => {
            let decoded = decode(bytes, declared).map_err(|e| match e {
                DecodeError::Binary(m) => DocProblem::new(ProblemKind::Binary, m),
                DecodeError::Malformed(m) => DocProblem::new(ProblemKind::Undecodable, m),
            })?;
            (extract(decoded.text), Layout::default(), decoded.encoding)
        }
    };
    if text.trim().is_empty() {
        return Err(DocProblem::new(
            ProblemKind::Empty,
            format!("no text in it (read as {})", format.as_str()),
        ));
    }
    Ok(Extracted {
        text,
        encoding,
        format,
        layout,
    })
}
