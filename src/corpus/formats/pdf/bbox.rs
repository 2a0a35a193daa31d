//! The words of a PDF and where they stand on their pages, as poppler's
//! `pdftotext -bbox-layout` writes them (XHTML: `page` > `flow` > `block` > `line`
//! > `word`, each with its box in points from the top left).
//!
//! Only pages, lines and words are kept: poppler's flows and blocks are its own
//! guess at reading order, which [`layout`](super::layout) makes again from the
//! lines (poppler joins the two columns of a page into one block when the fonts'
//! boxes are tall, as Noto CJK's are).

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::corpus::formats::xml::reference;

/// One page: its size and its lines, in poppler's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub width: f64,
    pub height: f64,
    pub lines: Vec<Line>,
}

/// One line of text, as poppler found it: words on one baseline in one column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Line {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    pub words: Vec<Word>,
}

impl Line {
    /// The vertical middle of the line: the boxes of tall fonts overlap from one
    /// line to the next, their middles do not.
    pub fn middle(&self) -> f64 {
        (self.y0 + self.y1) / 2.0
    }

    pub fn width(&self) -> f64 {
        self.x1 - self.x0
    }
}

/// One word and its horizontal extent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Word {
    pub x0: f64,
    pub x1: f64,
    pub text: String,
}

/// The pages of `xhtml`, or what is wrong with it.
pub fn parse(xhtml: &[u8]) -> Result<Vec<Page>, String> {
    let mut reader = Reader::from_reader(xhtml);
    reader.config_mut().check_end_names = false;
    let mut pages: Vec<Page> = Vec::new();
    let mut buf = Vec::new();
    // The word being read, if any.
    let mut word: Option<Word> = None;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("poppler's word list is not well-formed XML: {e}"))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.local_name().as_ref() {
                    b"page" => pages.push(Page {
                        width: attr(e, b"width"),
                        height: attr(e, b"height"),
                        lines: Vec::new(),
                    }),
                    b"line" => {
                        if let Some(page) = pages.last_mut() {
                            page.lines.push(Line {
                                x0: attr(e, b"xMin"),
                                y0: attr(e, b"yMin"),
                                x1: attr(e, b"xMax"),
                                y1: attr(e, b"yMax"),
                                words: Vec::new(),
                            });
                        }
                    }
                    b"word" if !empty => {
                        word = Some(Word {
                            x0: attr(e, b"xMin"),
                            x1: attr(e, b"xMax"),
                            text: String::new(),
                        })
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some(w) = word.as_mut() {
                    // A word poppler could not write as UTF-8 (a lone surrogate
                    // from a font's map) is kept with U+FFFD, not the file lost.
                    w.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(w) = word.as_mut()
                    && let Some(c) = reference(&r.decode().unwrap_or_default())
                {
                    w.text.push(c);
                }
            }
            Event::End(e) if e.local_name().as_ref() == b"word" => {
                if let (Some(w), Some(line)) = (
                    word.take(),
                    pages.last_mut().and_then(|p| p.lines.last_mut()),
                ) && !w.text.is_empty()
                {
                    line.words.push(w);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    for page in &mut pages {
        page.lines.retain(|l| !l.words.is_empty());
    }
    Ok(pages)
}

/// A numeric attribute; 0 when it is missing or not a number.
fn attr(e: &BytesStart<'_>, name: &[u8]) -> f64 {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| std::str::from_utf8(&a.value).ok()?.parse::<f64>().ok())
        .filter(|v| v.is_finite())
        // Far beyond any page, and small enough for arithmetic on positions.
        .map(|v| v.clamp(-1e7, 1e7))
        .unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_lines_and_words_with_their_boxes() {
        let xhtml = br#"<html><body><doc>
<page width="612" height="792"><flow><block xMin="1" yMin="2" xMax="3" yMax="4">
<line xMin="10" yMin="20" xMax="110" yMax="32"><word xMin="10" yMin="20" xMax="50" yMax="32">R&amp;D</word><word xMin="55" yMin="20" xMax="110" yMax="32">&#26032;&#x4EE3;</word></line>
<line xMin="10" yMin="40" xMax="20" yMax="52"><word xMin="10" yMin="40" xMax="20" yMax="52"></word></line>
</block></flow></page><page width="300" height="400"></page></doc></body></html>"#;
        let pages = parse(xhtml).unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!((pages[0].width, pages[1].height), (612.0, 400.0));
        // The line of one empty word is dropped.
        assert_eq!(pages[0].lines.len(), 1);
        let line = &pages[0].lines[0];
        assert_eq!((line.x0, line.middle()), (10.0, 26.0));
        let words: Vec<&str> = line.words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(words, ["R&D", "新代"]);
        assert!(pages[1].lines.is_empty());
    }

    #[test]
    fn a_word_cut_off_by_the_end_of_the_file_is_not_kept() {
        let pages = parse(b"<page width='1' height='1'><line xMin='0'><word xMin='0'>cut")
            .unwrap_or_default();
        assert!(pages.iter().all(|p| p.lines.is_empty()), "{pages:?}");
        assert!(parse(b"").unwrap().is_empty());
    }
}
