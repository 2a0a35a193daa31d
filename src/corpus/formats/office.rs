//! What Word (`.docx`, [`super::docx`]) and OpenDocument (`.odt`,
//! [`super::odt`]) files share: zip archives of XML, read paragraph by paragraph
//! by one walk that each format's vocabulary ([`Vocabulary`]) steers.
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

use std::io::Cursor;

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::xml::reference;
use crate::corpus::layout::Layout;
use crate::corpus::problem::{DocProblem, ProblemKind};

pub const MAX_ENTRIES: usize = 10_000;
pub const MAX_PART_BYTES: u64 = 512 << 20;
pub const MAX_RATIO: u64 = 200;
pub const MAX_DEPTH: usize = 1_000;

pub(super) type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

pub(super) fn open<'a>(bytes: &'a [u8], what: &str) -> Result<Zip<'a>, DocProblem> {
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
pub(super) fn required_part(
    zip: &mut Zip<'_>,
    name: &str,
    what: &str,
) -> Result<Vec<u8>, DocProblem> {
    part(zip, name)?.ok_or_else(|| {
        DocProblem::new(
            ProblemKind::Malformed,
            format!("a zip archive without {name}: not {what}"),
        )
    })
}

/// The bytes of the archive's part `name`, if it has one, read within bounds.
pub(super) fn part(zip: &mut Zip<'_>, name: &str) -> Result<Option<Vec<u8>>, DocProblem> {
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

/// The value of attribute `name` (any prefix).
pub(super) fn val(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// A paragraph read, and whether it is a heading.
#[derive(Debug, Default)]
pub(super) struct Para {
    text: String,
    heading: bool,
}

/// The paragraphs of a document as they are read.
#[derive(Debug, Default)]
pub(super) struct Doc {
    pub(super) paragraphs: Vec<Para>,
    /// Notes met inside the body (OpenDocument keeps them in place).
    pub(super) notes: Vec<Para>,
}

impl Doc {
    /// Adds `notes` after the body, under their own `heading`.
    pub(super) fn append_notes(&mut self, heading: &str, notes: Vec<Para>) {
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
    pub(super) fn finish(self) -> (String, Layout) {
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
pub(super) enum Target {
    Body,
    Notes,
}

/// What a format's elements mean.
pub(super) trait Vocabulary {
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

/// Reads the paragraphs of `xml` into `doc`.
pub(super) fn walk(
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
