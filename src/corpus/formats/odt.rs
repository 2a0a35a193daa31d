//! OpenDocument texts (`.odt`): paragraphs and headings (`text:h`) in order,
//! notes after the body under a `Footnotes` heading. Read by the walk of
//! [`super::office`], with OpenDocument's vocabulary.

use quick_xml::events::BytesStart;

use super::office::{Doc, Target, Vocabulary, open, required_part, val, walk};
use crate::corpus::layout::Layout;
use crate::corpus::problem::DocProblem;

/// The text and headings of an OpenDocument text.
pub fn read(bytes: &[u8]) -> Result<(String, Layout), DocProblem> {
    let mut zip = open(bytes, "OpenDocument")?;
    let content = required_part(&mut zip, "content.xml", "an OpenDocument text")?;
    let mut doc = Doc::default();
    walk(&content, &mut doc, &Odf, Target::Body)?;
    let notes = std::mem::take(&mut doc.notes);
    doc.append_notes("Footnotes", notes);
    Ok(doc.finish())
}

struct Odf;

impl Vocabulary for Odf {
    fn paragraph(&self, e: &BytesStart<'_>) -> Option<bool> {
        match e.local_name().as_ref() {
            b"p" => Some(false),
            b"h" => Some(true),
            _ => None,
        }
    }
    fn marks_heading(&self, _: &BytesStart<'_>) -> bool {
        false
    }
    fn is_text(&self, _: &[u8]) -> bool {
        false
    }
    fn text_anywhere(&self) -> bool {
        true
    }
    fn skips(&self, name: &[u8]) -> bool {
        matches!(
            name,
            b"note-citation"
                | b"annotation"
                | b"tracked-changes"
                | b"automatic-styles"
                | b"font-face-decls"
                | b"sequence-decls"
                | b"variable-decls"
                | b"user-field-decls"
        )
    }
    fn is_note_body(&self, name: &[u8]) -> bool {
        name == b"note-body"
    }
    fn spacing(&self, e: &BytesStart<'_>) -> Option<String> {
        match e.local_name().as_ref() {
            b"s" => {
                let n: usize = val(e, b"c").and_then(|c| c.parse().ok()).unwrap_or(1);
                Some(" ".repeat(n.min(100)))
            }
            b"tab" => Some("\t".into()),
            b"line-break" => Some("\n".into()),
            _ => None,
        }
    }
}
