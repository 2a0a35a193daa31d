//! Word (`.docx`) and OpenDocument (`.odt`) files: zip archives of XML.
//!
//! The text is the body's paragraphs in order, one per paragraph (blank lines
//! between): headings (Word heading and title styles, or any style with an
//! outline level; OpenDocument `text:h`) marked as such in the [`Layout`], list
//! items and table cells as paragraphs of their own. Footnotes and endnotes are
//! gathered after the body under a `Footnotes` / `Endnotes` heading, so that they
//! are the notes zone and not counted by default; running headers and footers,
//! comments, deleted text of tracked changes, field codes and the fallback copy
//! of text boxes are not read.
//!
//! Bounded: at most [`MAX_ENTRIES`] archive entries, each part read up to
//! [`MAX_PART_BYTES`] and at most [`MAX_RATIO`] times its compressed size (a zip
//! bomb ends there), elements nested at most [`MAX_DEPTH`] deep.

use std::collections::HashMap;
use std::io::Cursor;

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::problem::{DocProblem, ProblemKind};
use super::xml::reference;
use crate::corpus::layout::Layout;

pub const MAX_ENTRIES: usize = 10_000;
pub const MAX_PART_BYTES: u64 = 512 << 20;
pub const MAX_RATIO: u64 = 200;
pub const MAX_DEPTH: usize = 1_000;

/// The text and headings of a Word document.
pub fn docx(bytes: &[u8]) -> Result<(String, Layout), DocProblem> {
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

/// The text and headings of an OpenDocument text.
pub fn odt(bytes: &[u8]) -> Result<(String, Layout), DocProblem> {
    let mut zip = open(bytes, "OpenDocument")?;
    let content = required_part(&mut zip, "content.xml", "an OpenDocument text")?;
    let mut doc = Doc::default();
    walk(&content, &mut doc, &Odf, Target::Body)?;
    let notes = std::mem::take(&mut doc.notes);
    doc.append_notes("Footnotes", notes);
    Ok(doc.finish())
}

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

fn open<'a>(bytes: &'a [u8], what: &str) -> Result<Zip<'a>, DocProblem> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(DocProblem::new(
            ProblemKind::Encrypted,
            format!(
                "an OLE compound file, not a zip archive: a password-protected {what} file (or a legacy .doc); remove the password or save it again"
            ),
        ));
    }
    let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        DocProblem::new(
            ProblemKind::Malformed,
            format!("not a readable {what} file (zip archive): {e}"),
        )
    })?;
    if zip.len() > MAX_ENTRIES {
        return Err(DocProblem::new(
            ProblemKind::LimitExceeded,
            format!(
                "{} entries in its archive, over the limit of {MAX_ENTRIES}",
                zip.len()
            ),
        ));
    }
    Ok(zip)
}

/// The bytes of the part `name` without which the archive is not `what`.
fn required_part(zip: &mut Zip<'_>, name: &str, what: &str) -> Result<Vec<u8>, DocProblem> {
    part(zip, name)?.ok_or_else(|| {
        DocProblem::new(
            ProblemKind::Malformed,
            format!("a zip archive without {name}: not {what}"),
        )
    })
}

/// The bytes of the archive's part `name`, if it has one, read within bounds.
fn part(zip: &mut Zip<'_>, name: &str) -> Result<Option<Vec<u8>>, DocProblem> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => {
            return Err(DocProblem::new(
                match e {
                    zip::result::ZipError::UnsupportedArchive(m)
                        if m == zip::result::ZipError::PASSWORD_REQUIRED
                            || m.contains("ncrypt") =>
                    {
                        ProblemKind::Encrypted
                    }
                    _ => ProblemKind::Malformed,
                },
                format!("its part {name} cannot be read: {e}"),
            ));
        }
    };
    let limit = MAX_PART_BYTES.min(
        file.compressed_size()
            .max(1 << 10)
            .saturating_mul(MAX_RATIO),
    );
    let read = crate::limits::read_at_most(file, limit).map_err(|e| {
        DocProblem::new(
            ProblemKind::Malformed,
            format!("its part {name} cannot be decompressed: {e}"),
        )
    })?;
    let Some(out) = read else {
        return Err(DocProblem::new(
            ProblemKind::LimitExceeded,
            format!(
                "its part {name} expands to more than {} MB ({}x its compressed size at most): a zip bomb?",
                limit >> 20,
                MAX_RATIO
            ),
        ));
    };
    Ok(Some(out))
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

/// The value of attribute `name` (any prefix).
fn val(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// A paragraph read, and whether it is a heading.
#[derive(Debug, Default)]
struct Para {
    text: String,
    heading: bool,
}

/// The paragraphs of a document as they are read.
#[derive(Debug, Default)]
struct Doc {
    paragraphs: Vec<Para>,
    /// Notes met inside the body (OpenDocument keeps them in place).
    notes: Vec<Para>,
}

impl Doc {
    fn append_notes(&mut self, heading: &str, notes: Vec<Para>) {
        let notes: Vec<Para> = notes
            .into_iter()
            .filter(|p| !p.text.trim().is_empty())
            .collect();
        if notes.is_empty() {
            return;
        }
        self.paragraphs.push(Para {
            text: heading.into(),
            heading: true,
        });
        self.paragraphs.extend(notes);
    }

    /// The text, paragraphs separated by blank lines, and the heading offsets.
    fn finish(self) -> (String, Layout) {
        let mut text = String::new();
        let mut layout = Layout::default();
        for p in self.paragraphs {
            let t = p.text.trim();
            if t.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            if p.heading {
                layout.headings.push(text.len());
            }
            text.push_str(t);
        }
        (text, layout)
    }
}

/// Where the walk puts what it reads.
#[derive(Clone, Copy, PartialEq)]
enum Target {
    Body,
    Notes,
}

/// What a format's elements mean.
trait Vocabulary {
    /// Whether the element starts (and its end ends) a paragraph; a heading if so.
    fn paragraph(&self, e: &BytesStart<'_>) -> Option<bool>;
    /// Whether the paragraph property `e` makes the open paragraph a heading.
    fn marks_heading(&self, e: &BytesStart<'_>) -> bool;
    /// Whether the element holds text to read (when text is not read anywhere
    /// inside a paragraph).
    fn is_text(&self, name: &[u8]) -> bool;
    /// Whether any text inside a paragraph is read.
    fn text_anywhere(&self) -> bool {
        false
    }
    /// Whether the element and all inside it are not read.
    fn skips(&self, name: &[u8]) -> bool;
    /// Whether the element holds a note, read into the notes.
    fn is_note_body(&self, name: &[u8]) -> bool;
    /// Spacing an empty or start element stands for.
    fn spacing(&self, e: &BytesStart<'_>) -> Option<String>;
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

/// Reads the paragraphs of `xml` into `doc`.
fn walk(
    xml: &[u8],
    doc: &mut Doc,
    vocabulary: &dyn Vocabulary,
    target: Target,
) -> Result<(), DocProblem> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut walker = Walker {
        doc,
        vocabulary,
        target,
        open: Vec::new(),
        depth: 0,
        skip_from: None,
        text_depth: None,
        notes_from: Vec::new(),
    };
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            DocProblem::new(
                ProblemKind::Malformed,
                format!("its XML is not well-formed: {e}"),
            )
        })?;
        match event {
            Event::Start(ref e) => walker.start(e, false)?,
            Event::Empty(ref e) => walker.start(e, true)?,
            Event::End(_) => walker.end(),
            Event::Text(t) if walker.reads_text() => {
                let text = t.decode().map_err(|e| {
                    DocProblem::new(
                        ProblemKind::Malformed,
                        format!("text that is not UTF-8: {e}"),
                    )
                })?;
                walker.push(&text);
            }
            Event::GeneralRef(r) if walker.reads_text() => {
                if let Some(c) = reference(&r.decode().unwrap_or_default()) {
                    walker.push(c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    // Paragraphs a truncated part leaves open are kept, not lost.
    while walker.depth > 0 && !walker.open.is_empty() {
        walker.end();
    }
    Ok(())
}

/// Where the walk through a part's elements stands.
struct Walker<'a> {
    doc: &'a mut Doc,
    vocabulary: &'a dyn Vocabulary,
    target: Target,
    /// Open paragraphs (a text box's paragraph inside a paragraph is its own),
    /// with the depth each opened at and where it goes.
    open: Vec<(Para, usize, Target)>,
    depth: usize,
    /// Depth of the element being skipped with all inside it.
    skip_from: Option<usize>,
    /// Depth of the text element being read (Word's `w:t`).
    text_depth: Option<usize>,
    /// Depths of the note bodies being read.
    notes_from: Vec<usize>,
}

impl Walker<'_> {
    fn start(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), DocProblem> {
        let name = e.local_name();
        let name = name.as_ref();
        if !empty {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(DocProblem::new(
                    ProblemKind::LimitExceeded,
                    format!("its XML is nested more than {MAX_DEPTH} elements deep"),
                ));
            }
        }
        if self.skip_from.is_some() {
            return Ok(());
        }
        let v = self.vocabulary;
        if v.skips(name) {
            if !empty {
                self.skip_from = Some(self.depth);
            }
            return Ok(());
        }
        if v.is_note_body(name) && !empty {
            self.notes_from.push(self.depth);
        }
        let goes = if self.notes_from.is_empty() {
            self.target
        } else {
            Target::Notes
        };
        if let Some(heading) = v.paragraph(e) {
            if !empty {
                let para = Para {
                    text: String::new(),
                    heading,
                };
                self.open.push((para, self.depth, goes));
            }
        } else if v.marks_heading(e) {
            if let Some((p, _, _)) = self.open.last_mut() {
                p.heading = true;
            }
        } else if let Some(space) = v.spacing(e) {
            self.push(&space);
        } else if v.is_text(name) && !empty {
            self.text_depth.get_or_insert(self.depth);
        }
        Ok(())
    }

    fn end(&mut self) {
        let depth = self.depth;
        if self.skip_from == Some(depth) {
            self.skip_from = None;
        } else if self.skip_from.is_none() {
            if self.open.last().is_some_and(|(_, d, _)| *d == depth) {
                let (para, _, goes) = self.open.pop().expect("checked");
                match goes {
                    Target::Body => self.doc.paragraphs.push(para),
                    Target::Notes => self.doc.notes.push(para),
                }
            }
            if self.text_depth == Some(depth) {
                self.text_depth = None;
            }
            if self.notes_from.last() == Some(&depth) {
                self.notes_from.pop();
            }
        }
        self.depth = depth.saturating_sub(1);
    }

    /// Whether text met now is read.
    fn reads_text(&self) -> bool {
        self.skip_from.is_none() && (self.text_depth.is_some() || self.vocabulary.text_anywhere())
    }

    fn push(&mut self, text: &str) {
        if let Some((p, _, _)) = self.open.last_mut() {
            p.text.push_str(text);
        }
    }
}
