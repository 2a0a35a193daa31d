//! How the pipeline reads a text and a lexicon: `govlens segment` (the tokens,
//! clauses and frame hits of a text), `govlens frames` (each frame and how its
//! Chinese expressions are cut) and `govlens lexicon check`.

use std::io::Write;

use crate::analyze::{Analyzer, stopwords::is_stopword};
use crate::document::structure::Zone;
use crate::document::{Engine, ReadDoc};
use crate::lexicon::Lexicon;

/// Writes the text of `doc` as it is analysed, with a form feed where each page
/// after the first starts (PDF).
pub fn text(doc: &ReadDoc, out: &mut dyn Write) -> std::io::Result<()> {
    let text = doc.text();
    let mut from = 0;
    for &page in doc.loaded.layout.pages.iter().filter(|&&p| p > 0) {
        out.write_all(&text.as_bytes()[from..page])?;
        out.write_all(b"\x0c")?;
        from = page;
    }
    out.write_all(&text.as_bytes()[from..])?;
    if !text.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// One token of a text as the pipeline reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Segmented<'a> {
    /// Byte offsets of the word in the text.
    pub start: usize,
    pub end: usize,
    /// The word as written.
    pub surface: &'a str,
    /// What is counted: the normalised term.
    pub term: String,
    pub stopword: bool,
    /// Clause number: two tokens with the same one are not separated by
    /// punctuation or a paragraph break.
    pub clause: u32,
    /// The frames whose hits start at this token.
    pub frames: Vec<&'a str>,
}

/// The tokens of `doc` with the frame hits a run counts (constituents of longer
/// Chinese words included); a Traditional-script text is converted as a
/// Traditional document would be.
pub fn segment<'a>(doc: &'a ReadDoc, engine: &'a Engine) -> Vec<Segmented<'a>> {
    let text = doc.text();
    let mut tokens = Vec::new();
    engine
        .analyzer
        .tokenize(text, (0, text.len()), doc.chinese, &mut tokens);
    let mut frames: Vec<Vec<&str>> = vec![Vec::new(); tokens.len()];
    let frame_ids = engine.matcher.frame_ids();
    for hit in engine.decide(text, &tokens, 0).hits {
        frames[hit.first].push(frame_ids[hit.frame].as_str());
    }
    tokens
        .iter()
        .zip(frames)
        .map(|(t, frames)| Segmented {
            start: t.start,
            end: t.end,
            surface: &text[t.start..t.end],
            term: t.term.to_string(),
            stopword: is_stopword(&t.term),
            clause: t.clause,
            frames,
        })
        .collect()
}

/// Writes each frame with its expressions; Chinese expressions show how the
/// segmenter cuts them, with a warning when it does not keep one whole.
pub fn frames(lexicon: &Lexicon, analyzer: &Analyzer, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "lexicon: {} ({} frames)",
        lexicon.source,
        lexicon.frames.len()
    )?;
    if !lexicon.exclude.is_empty() {
        writeln!(out, "counted for no frame: {}", lexicon.exclude.join(", "))?;
    }
    for f in &lexicon.frames {
        writeln!(out, "\n{}  {}", f.id, f.label)?;
        if !f.description.is_empty() {
            writeln!(out, "  {}", f.description)?;
        }
        let zh: Vec<String> =
            f.zh.iter()
                .map(|e| {
                    let cut: Vec<String> = analyzer
                        .tokens(e)
                        .iter()
                        .map(|t| t.term.to_string())
                        .collect();
                    if cut.len() == 1 {
                        e.clone()
                    } else {
                        format!(
                            "{e} (segmented as {}: matched as a sequence)",
                            cut.join("/")
                        )
                    }
                })
                .collect();
        if !zh.is_empty() {
            writeln!(out, "  zh: {}", zh.join(", "))?;
        }
        if !f.en.is_empty() {
            writeln!(out, "  en: {}", f.en.join(", "))?;
        }
        if !f.exclude.is_empty() {
            writeln!(out, "  not counted: {}", f.exclude.join(", "))?;
        }
    }
    Ok(())
}

/// Checks how the segmenter reads each Chinese expression of `lexicon`: alone with
/// jieba's own dictionary and with govlens' (which adds the lexicon's words).
/// `analyzer` is govlens' for this lexicon, `plain` one without added words.
/// Writes one line per expression and returns the number of warnings.
pub fn lexicon_check(
    lexicon: &Lexicon,
    analyzer: &Analyzer,
    plain: &Analyzer,
    out: &mut dyn Write,
) -> std::io::Result<usize> {
    let cut = |a: &Analyzer, e: &str| -> Vec<String> {
        a.tokens(e).iter().map(|t| t.term.to_string()).collect()
    };
    let mut warnings = 0;
    writeln!(
        out,
        "lexicon: {} ({} frames)",
        lexicon.source,
        lexicon.frames.len()
    )?;
    for f in &lexicon.frames {
        for e in &f.zh {
            let (jieba, ours) = (cut(plain, e), cut(analyzer, e));
            let traditional = analyzer.traditional().detect_script(e) == "Hant";
            let status = if traditional {
                "WARN: written in Traditional characters; documents are matched in Simplified, \
                 so write the Simplified form"
                    .to_string()
            } else if ours.len() > 1 {
                format!(
                    "WARN: not kept whole even as a lexicon word ({}): matched only as that \
                     sequence of words",
                    ours.join(" / ")
                )
            } else if jieba.len() > 1 {
                format!(
                    "WARN: jieba's dictionary splits it ({}); govlens adds it as a word, but a \
                     longer dictionary word around it can still cut it (see `govlens audit`)",
                    jieba.join(" / ")
                )
            } else {
                "ok: a word of jieba's dictionary".to_string()
            };
            if status.starts_with("WARN") {
                warnings += 1;
            }
            writeln!(out, "{}\t{e}\t{status}", f.id)?;
        }
    }
    Ok(warnings)
}

/// A stretch of a document outside its body, as a run finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneSpan<'a> {
    pub zone: Zone,
    /// Byte span in the text as read.
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
}

/// The zones of `doc` other than its body (tables of contents, notes, front
/// matter, lists of names …), in order: what a run leaves out by default, and
/// annexes, which it counts.
pub fn zones(doc: &ReadDoc) -> Vec<ZoneSpan<'_>> {
    let text = doc.text();
    crate::document::structure::zones(text)
        .into_iter()
        .map(|(start, end, zone)| ZoneSpan {
            zone,
            start,
            end,
            text: &text[start..end],
        })
        .collect()
}
