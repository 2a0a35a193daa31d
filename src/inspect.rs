//! Looking at what the pipeline sees: `govlens segment` and `govlens frames`.
//!
//! These print to any writer so that tests can read what a user would read.

use std::io::Write;

use crate::analyze::{Analyzer, stopwords::is_stopword};
use crate::lexicon::{Lexicon, Matcher};

/// Writes the tokens of `text`: by default one line per input line, words separated
/// by ` / `, clause boundaries shown as ` | ` and frame hits as `[frame]`; with
/// `tsv`, one token per line.
pub fn segment(
    text: &str,
    analyzer: &Analyzer,
    matcher: &Matcher,
    tsv: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    // A Traditional-script text is converted as a Traditional document would be.
    let script = if crate::corpus::Lang::detect(text) == crate::corpus::Lang::Zh
        && analyzer.traditional().detect_script(text) == "Hant"
    {
        crate::analyze::ChineseScript::Traditional
    } else {
        crate::analyze::ChineseScript::Simplified
    };
    let mut tokens = Vec::new();
    analyzer.tokenize(text, (0, text.len()), script, &mut tokens);
    let mut frame_at: Vec<Vec<&str>> = vec![Vec::new(); tokens.len()];
    for hit in matcher.find(&tokens) {
        frame_at[hit.first].push(matcher.frame_ids()[hit.frame].as_str());
    }
    if tsv {
        writeln!(out, "start\tend\tsurface\tterm\tstopword\tframes")?;
        for (t, frames) in tokens.iter().zip(&frame_at) {
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}",
                t.start,
                t.end,
                text[t.start..t.end].replace(['\t', '\n', '\r'], " "),
                t.term,
                is_stopword(&t.term),
                frames.join(",")
            )?;
        }
        return Ok(());
    }
    let mut line_start = 0;
    let mut k = 0;
    for line in text.split_inclusive('\n') {
        let line_end = line_start + line.len();
        let mut parts = String::new();
        let mut prev_clause = None;
        while k < tokens.len() && tokens[k].start < line_end {
            let t = &tokens[k];
            if let Some(c) = prev_clause {
                parts.push_str(if c == t.clause { " / " } else { " | " });
            }
            parts.push_str(&t.term);
            for f in &frame_at[k] {
                parts.push_str(&format!("[{f}]"));
            }
            prev_clause = Some(t.clause);
            k += 1;
        }
        writeln!(out, "{parts}")?;
        line_start = line_end;
    }
    Ok(())
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
    }
    Ok(())
}

/// Convenience for tests: compile a lexicon with a fresh analyzer.
pub fn build(lexicon: &Lexicon) -> crate::error::Result<(Analyzer, Matcher)> {
    let analyzer = Analyzer::new(&lexicon.chinese_words());
    let matcher = Matcher::new(lexicon, &analyzer)?;
    Ok((analyzer, matcher))
}
