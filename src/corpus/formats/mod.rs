//! The formats govlens reads, one file each, behind one table ([`FORMATS`]).
//!
//! A text format is decoded ([`crate::corpus::decode`]: the encoding declared or
//! detected) and then its visible text extracted: plain text ([`text`]) as it is,
//! Markdown ([`markdown`]) and HTML ([`html`]) through their parsers. A binary
//! format is read from its bytes by its own reader: PDF ([`pdf`], poppler in a
//! bounded child process), Word ([`docx`]) and OpenDocument ([`odt`]), both zip
//! archives of XML walked by [`office`]. Each reader holds its own bounds (depth,
//! sizes, time) next to its code.
//!
//! Adding a format: its file here, a variant of [`Format`] and a row of
//! [`FORMATS`]; discovery, `documents.parquet`'s `format` column and the readers'
//! dispatch all come from the table.

pub mod docx;
pub mod html;
pub mod markdown;
pub mod odt;
pub mod office;
pub mod pdf;
pub mod text;
pub mod xml;

use std::path::Path;

use crate::corpus::layout::Layout;
use crate::corpus::problem::DocProblem;

/// The formats govlens reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Pdf,
    Docx,
    Odt,
}

/// A binary format's reader: the bytes to the text and its layout.
pub type ReadBinary = fn(&[u8]) -> Result<(String, Layout), DocProblem>;

/// How a format's bytes become text.
#[derive(Clone, Copy)]
pub enum Reader {
    /// Decoded, then its visible text extracted.
    Text(fn(String) -> String),
    /// Read from the bytes by the format's own reader (text and layout); the
    /// container is recorded as the document's `encoding`.
    Binary {
        container: &'static str,
        read: ReadBinary,
    },
}

/// One format: its name (in `documents.parquet`), the file extensions that name
/// it (lower case) and its reader.
pub struct FormatSpec {
    pub format: Format,
    pub name: &'static str,
    pub extensions: &'static [&'static str],
    pub reader: Reader,
}

/// Every format govlens reads: the one table of formats. [`Format::of`] reads a
/// file's format from it, a corpus without a manifest lists the files it names
/// (`discover`), and [`crate::corpus::read`] calls its reader.
pub const FORMATS: [FormatSpec; 6] = [
    FormatSpec {
        format: Format::Text,
        name: "text",
        extensions: &["txt"],
        reader: Reader::Text(text::extract),
    },
    FormatSpec {
        format: Format::Markdown,
        name: "markdown",
        extensions: &["md", "markdown"],
        reader: Reader::Text(markdown::extract),
    },
    FormatSpec {
        format: Format::Html,
        name: "html",
        extensions: &["html", "htm", "xhtml"],
        reader: Reader::Text(html::extract),
    },
    FormatSpec {
        format: Format::Pdf,
        name: "pdf",
        extensions: &["pdf"],
        reader: Reader::Binary {
            container: "pdf",
            read: |bytes| pdf::read(bytes, &pdf::Limits::from_env()),
        },
    },
    FormatSpec {
        format: Format::Docx,
        name: "docx",
        extensions: &["docx"],
        reader: Reader::Binary {
            container: "zip",
            read: docx::read,
        },
    },
    FormatSpec {
        format: Format::Odt,
        name: "odt",
        extensions: &["odt"],
        reader: Reader::Binary {
            container: "zip",
            read: odt::read,
        },
    },
];

impl Format {
    /// The format's row of [`FORMATS`].
    pub fn spec(self) -> &'static FormatSpec {
        FORMATS
            .iter()
            .find(|s| s.format == self)
            .expect("every format has its row")
    }

    /// The format an extension names, in any case.
    pub fn from_extension(ext: &str) -> Option<Format> {
        let ext = ext.to_ascii_lowercase();
        FORMATS
            .iter()
            .find(|s| s.extensions.contains(&ext.as_str()))
            .map(|s| s.format)
    }

    /// The format of a file, by its extension (plain text when unknown).
    pub fn of(path: &Path) -> Format {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Format::from_extension)
            .unwrap_or(Format::Text)
    }

    pub fn as_str(self) -> &'static str {
        self.spec().name
    }

    /// Whether files of the format are binary: read by their own reader, not
    /// decoded as text.
    pub fn is_binary(self) -> bool {
        matches!(self.spec().reader, Reader::Binary { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_is_in_the_table_once_and_named_by_its_extensions() {
        let mut seen = std::collections::BTreeSet::new();
        for spec in &FORMATS {
            let (format, extensions) = (spec.format, spec.extensions);
            assert!(!extensions.is_empty(), "{format:?}");
            assert_eq!(format.spec().name, spec.name);
            for ext in extensions {
                assert!(seen.insert(*ext), "{ext} names two formats");
                assert_eq!(Format::from_extension(ext), Some(format));
                assert_eq!(Format::from_extension(&ext.to_uppercase()), Some(format));
                assert_eq!(Format::of(Path::new(&format!("a/b.{ext}"))), format);
            }
        }
        let formats: std::collections::BTreeSet<&str> =
            FORMATS.iter().map(|f| f.format.as_str()).collect();
        assert_eq!(formats.len(), FORMATS.len());
        assert_eq!(Format::from_extension("csv"), None);
        assert_eq!(Format::of(Path::new("notes")), Format::Text);
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::of(Path::new("a/b.HTM")), Format::Html);
        assert_eq!(Format::of(Path::new("a.md")), Format::Markdown);
        assert_eq!(Format::of(Path::new("a.txt")), Format::Text);
        assert_eq!(Format::of(Path::new("README")), Format::Text);
    }
}
