//! From a document's bytes to the text that is analysed.
//!
//! [`decode`] turns bytes into a `String` (UTF-8, with or without a byte-order
//! mark); other encodings and format extraction (HTML, Markdown markup) slot in
//! after it. Markdown is read as written for now: its markup (`#`, `*`, `[`) is
//! not a word and only marks clause boundaries. The checksum is of the bytes on
//! disk, so provenance is exact whatever the decoding.

use std::path::Path;

use crate::error::{Error, Result};
use crate::lexicon::hex_sha256;

/// A document's text with the facts about its file.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub text: String,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    pub n_bytes: u64,
}

/// Reads, checks and decodes the document at `path`.
pub fn load(path: &Path, expected_sha256: Option<&str>) -> Result<Loaded> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let sha256 = hex_sha256(&bytes);
    let n_bytes = bytes.len() as u64;
    if let Some(expected) = expected_sha256
        && expected != sha256
    {
        return Err(Error::Document {
            path: path.to_path_buf(),
            message: format!(
                "sha256 is {sha256} but the manifest says {expected}: the file changed"
            ),
        });
    }
    let text = decode(bytes).map_err(|message| Error::Document {
        path: path.to_path_buf(),
        message,
    })?;
    Ok(Loaded {
        text,
        sha256,
        n_bytes,
    })
}

/// Decodes UTF-8, dropping a byte-order mark.
pub fn decode(mut bytes: Vec<u8>) -> std::result::Result<String, String> {
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    bytes.drain(..bom);
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (first bad byte at offset {}); save the file as UTF-8",
            e.utf8_error().valid_up_to() + bom
        )
    })
}
