//! Word documents (`.docx`): the body's paragraphs in order, headings (Word heading
//! and title styles, or any style with an outline level) marked in the layout,
//! footnotes and endnotes after the body under their own heading. Read by the
//! walk of [`super::office`], with Word's vocabulary.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::office::{Doc, Target, Vocabulary, open, part, required_part, val, walk};
use crate::corpus::layout::Layout;
use crate::corpus::problem::{DocProblem, ProblemKind};

/// The text and headings of a Word document.
pub fn read(bytes: &[u8]) -> Result<(String, Layout), DocProblem> {
    let mut zip = open(bytes, "Word")?;
    let styles = match part(&mut zip, "word/styles.xml")? {
        Some(xml) => heading_styles(&xml)?,
        None => HashMap::new(),
    };
    let body = required_part(&mut zip, "word/document.xml", "a Word document")?;
    let mut doc = Doc::default();
    walk(&body, &mut doc, &Word { styles: &styles }, Target::Body)?;
    for (name, heading) in [
        ("word/footnotes.xml", "Footnotes"),
        ("word/endnotes.xml", "Endnotes"),
    ] {
        if let Some(xml) = part(&mut zip, name)? {
            let mut notes = Doc::default();
            walk(&xml, &mut notes, &Word { styles: &styles }, Target::Body)?;
            doc.append_notes(heading, notes.paragraphs);
        }
    }
    Ok(doc.finish())
}

/// Word style ids that are headings: heading and title styles by name, and any
/// style with an outline level.
fn heading_styles(xml: &[u8]) -> Result<HashMap<String, bool>, DocProblem> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut styles = HashMap::new();
    let mut current: Option<String> = None;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                b"style" => current = val(&e, b"styleId"),
                b"name" => {
                    if let (Some(id), Some(name)) = (&current, val(&e, b"val")) {
                        let name = name.to_lowercase();
                        if name.starts_with("heading") || name == "title" {
                            styles.insert(id.clone(), true);
                        }
                    }
                }
                b"outlineLvl" => {
                    if let Some(id) = &current
                        && val(&e, b"val").is_some_and(|v| v != "9")
                    {
                        styles.insert(id.clone(), true);
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) => break,
            Err(e) => {
                return Err(DocProblem::new(
                    ProblemKind::Malformed,
                    format!("its styles are not well-formed XML: {e}"),
                ));
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(styles)
}

struct Word<'a> {
    styles: &'a HashMap<String, bool>,
}

impl Vocabulary for Word<'_> {
    fn paragraph(&self, e: &BytesStart<'_>) -> Option<bool> {
        (e.local_name().as_ref() == b"p").then_some(false)
    }
    fn marks_heading(&self, e: &BytesStart<'_>) -> bool {
        match e.local_name().as_ref() {
            b"pStyle" => val(e, b"val").is_some_and(|id| {
                self.styles.get(&id).copied().unwrap_or(false)
                    || id.to_lowercase().starts_with("heading")
                    || id == "Title"
            }),
            b"outlineLvl" => val(e, b"val").is_some_and(|v| v != "9"),
            _ => false,
        }
    }
    fn is_text(&self, name: &[u8]) -> bool {
        name == b"t"
    }
    fn skips(&self, name: &[u8]) -> bool {
        matches!(
            name,
            b"delText"
                | b"instrText"
                | b"Fallback"
                | b"commentReference"
                | b"rPr"
                // Tracked changes: text moved away (it is read where it went)
                // and the paragraph's former properties (a former heading style).
                | b"moveFrom"
                | b"pPrChange"
        )
    }
    fn is_note_body(&self, _: &[u8]) -> bool {
        false
    }
    fn spacing(&self, e: &BytesStart<'_>) -> Option<String> {
        match e.local_name().as_ref() {
            b"tab" | b"ptab" => Some("\t".into()),
            b"br" | b"cr" => Some("\n".into()),
            b"noBreakHyphen" => Some("-".into()),
            _ => None,
        }
    }
}
