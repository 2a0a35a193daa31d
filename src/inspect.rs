//! Looking at what the pipeline sees: `govlens segment` and `govlens frames`.
//!
//! These print to any writer so that tests can read what a user would read.

use std::io::Write;

use crate::analyze::{Analyzer, join_terms, stopwords::is_stopword};
use crate::corpus::Corpus;
use crate::document::{self, ContextOptions, Pass, ReadDoc, Skipped};
use crate::error::Result;
use crate::lexicon::{Auditor, Lexicon, Matcher, Reason};

/// Writes the tokens of `text`: by default one line per input line, words separated
/// by ` / `, clause boundaries shown as ` | ` and frame hits as `[frame]`; with
/// `tsv`, one token per line.
pub fn segment(
    doc: &ReadDoc,
    analyzer: &Analyzer,
    matcher: &Matcher,
    tsv: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    // A Traditional-script text is converted as a Traditional document would be.
    let text = doc.text();
    let mut tokens = Vec::new();
    analyzer.tokenize(text, (0, text.len()), doc.chinese, &mut tokens);
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

/// A lexicon compiled with a fresh analyzer that knows its words.
pub fn build(lexicon: &Lexicon) -> Result<(Analyzer, Matcher)> {
    let analyzer = Analyzer::new(&lexicon.chinese_words());
    let matcher = Matcher::new(lexicon, &analyzer)?;
    Ok((analyzer, matcher))
}

/// What a look at a corpus found, and the documents it could not read.
pub struct Findings<T> {
    pub found: T,
    pub skipped: Vec<Skipped>,
}

/// One concordance line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub doc_id: String,
    pub unit: String,
    pub left: String,
    pub matched: String,
    pub right: String,
}

/// Every occurrence of `term` (a word, a phrase or a `*` wildcard, as in the lexicon)
/// in the corpus, with `window` tokens of context as the documents show it; files
/// over `max_file_bytes` are refused, as `run` refuses them.
pub fn concordance(
    corpus: &Corpus,
    term: &str,
    window: usize,
    lexicon: &Lexicon,
    max_file_bytes: u64,
) -> Result<Findings<Vec<Line>>> {
    use crate::analyze::ChineseScript;
    let han = term.chars().any(crate::analyze::script::is_han);
    // The segmenter knows the lexicon and the query. Documents are counted in
    // Simplified, so a Traditional query is converted first and the segmenter
    // rebuilt to know the converted query: only that case builds two.
    let one_han_word = |t: &str| {
        let t = t.trim();
        t.chars()
            .all(crate::analyze::script::is_han)
            .then(|| t.to_string())
    };
    let mut words = lexicon.chinese_words();
    let n_lexicon = words.len();
    words.extend(one_han_word(term));
    let mut analyzer = Analyzer::new(&words);
    let simplified;
    let converted = han && analyzer.traditional().detect_script(term) == "Hant";
    let term = if converted {
        let mut tokens = Vec::new();
        analyzer.tokenize(
            term,
            (0, term.len()),
            ChineseScript::Traditional,
            &mut tokens,
        );
        simplified = join_terms(&tokens);
        simplified.as_str()
    } else {
        term
    };
    let query = crate::lexicon::Frame {
        id: "query".into(),
        label: term.into(),
        description: String::new(),
        zh: if han {
            vec![term.to_string()]
        } else {
            Vec::new()
        },
        en: if han {
            Vec::new()
        } else {
            vec![term.to_string()]
        },
    };
    let query = Lexicon {
        frames: vec![query],
        source: "query".into(),
        sha256: String::new(),
    };
    if converted {
        words.truncate(n_lexicon);
        words.extend(one_han_word(term));
        analyzer = Analyzer::new(&words);
    }
    let matcher = Matcher::new(&query, &analyzer)?;
    let auditor = Auditor::new(&matcher)?;
    let pass = Pass {
        analyzer: &analyzer,
        matcher: &matcher,
        auditor: &auditor,
        context: ContextOptions {
            kwic_window: window,
            collocation_window: 0,
        },
        max_file_bytes,
    };
    let mut lines = Vec::new();
    let skipped = document::each(corpus, &pass, |doc, a| {
        let (text, counts) = (a.read.text(), &a.counts);
        for hit in &counts.kwic {
            lines.push(Line {
                doc_id: doc.doc_id.clone(),
                unit: counts.units[hit.unit].label.clone(),
                left: hit.at.left(text),
                matched: hit.at.matched(text).to_string(),
                right: hit.at.right(text),
            });
        }
    });
    Ok(Findings {
        found: lines,
        skipped,
    })
}

/// Writes concordance lines aligned on the match, measuring display width (a
/// Chinese character takes two columns): the left context right-aligned and cut
/// from the left, the right context cut at `width` columns.
pub fn print_concordance(lines: &[Line], width: usize, out: &mut dyn Write) -> std::io::Result<()> {
    use unicode_width::UnicodeWidthStr;
    let source: Vec<String> = lines
        .iter()
        .map(|l| {
            if l.unit.is_empty() {
                l.doc_id.clone()
            } else {
                format!("{} {}", l.doc_id, l.unit)
            }
        })
        .collect();
    let source_width = source.iter().map(|s| s.width()).max().unwrap_or(0);
    for (l, src) in lines.iter().zip(&source) {
        let left = keep_end(&l.left, width);
        let right = keep_start(&l.right, width);
        writeln!(
            out,
            "{src}{}  {}{left} [{}] {right}",
            " ".repeat(source_width - src.width()),
            " ".repeat(width - left.width()),
            l.matched
        )?;
    }
    Ok(())
}

/// The longest end of `s` that fits in `width` columns.
fn keep_end(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut used = 0;
    let mut start = s.len();
    for (i, c) in s.char_indices().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        start = i;
    }
    s[start..].to_string()
}

/// The longest start of `s` that fits in `width` columns.
fn keep_start(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut used = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        end = i + c.len_utf8();
    }
    s[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn concordance_aligns_double_width_text() {
        let lines = vec![
            Line {
                doc_id: "cn".into(),
                unit: "第一条".into(),
                left: "坚持依法治理，推进".into(),
                matched: "法治".into(),
                right: "建设，发展可信赖的人工智能".into(),
            },
            Line {
                doc_id: "eu".into(),
                unit: String::new(),
                left: "respect for the".into(),
                matched: "rule of law".into(),
                right: "and democracy".into(),
            },
        ];
        let mut out = Vec::new();
        print_concordance(&lines, 12, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let columns: Vec<usize> = text
            .lines()
            .map(|l| l[..l.find('[').unwrap()].width())
            .collect();
        assert_eq!(
            columns[0], columns[1],
            "matches start in the same column:\n{text}"
        );
        // Contexts are cut to 12 columns: six Chinese characters, twelve letters.
        assert!(
            text.contains(" 法治理，推进 [法治] 建设，发展可\n"),
            "{text}"
        );
        assert!(
            text.contains(" pect for the [rule of law] and democrac\n"),
            "{text}"
        );
    }
}

/// What `govlens audit` found for one frame expression.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExpressionAudit {
    pub frame: String,
    pub expression: String,
    /// Hits counted for the frame by this expression.
    pub counted: u64,
    /// Occurrences left out, per reason (in [`Reason`] order).
    pub left_out: std::collections::BTreeMap<Reason, u64>,
    /// The words they fell in, with how often, most frequent first.
    pub words: Vec<(String, Reason, u64)>,
    /// One example line per reason: (doc_id, left, match, right).
    pub examples: Vec<(Reason, String, String, String, String)>,
}

/// Counts, for every expression of `lexicon`, the hits and the occurrences left
/// out in `corpus`; files over `max_file_bytes` are refused, as `run` refuses them.
pub fn audit(
    corpus: &Corpus,
    lexicon: &Lexicon,
    window: usize,
    max_file_bytes: u64,
) -> Result<Findings<Vec<ExpressionAudit>>> {
    use std::collections::BTreeMap;
    let (analyzer, matcher) = build(lexicon)?;
    let auditor = Auditor::new(&matcher)?;
    let needles = auditor.needles();
    let ids = matcher.frame_ids();
    let mut by: BTreeMap<(usize, String), ExpressionAudit> = BTreeMap::new();
    for n in needles {
        by.entry((n.frame, n.expression.clone()))
            .or_insert_with(|| ExpressionAudit {
                frame: ids[n.frame].clone(),
                expression: n.expression.clone(),
                ..Default::default()
            });
    }
    let mut words: BTreeMap<(usize, String), BTreeMap<(String, Reason), u64>> = BTreeMap::new();
    let pass = Pass {
        analyzer: &analyzer,
        matcher: &matcher,
        auditor: &auditor,
        context: ContextOptions {
            kwic_window: window,
            collocation_window: 0,
        },
        max_file_bytes,
    };
    let skipped = document::each(corpus, &pass, |doc, a| {
        let (text, counts) = (a.read.text(), &a.counts);
        for f in &counts.frames {
            if let Some(e) = by.get_mut(&(f.frame, f.pattern.clone())) {
                e.counted += f.count;
            }
        }
        for leak in &counts.audit {
            let key = (leak.frame, needles[leak.needle].expression.clone());
            let Some(e) = by.get_mut(&key) else {
                continue; // every needle has an entry, made above
            };
            *e.left_out.entry(leak.reason).or_insert(0) += 1;
            if !e.examples.iter().any(|x| x.0 == leak.reason) {
                e.examples.push((
                    leak.reason,
                    doc.doc_id.clone(),
                    leak.at.left(text),
                    leak.at.matched(text).to_string(),
                    leak.at.right(text),
                ));
            }
            *words
                .entry(key)
                .or_default()
                .entry((leak.words.to_string(), leak.reason))
                .or_insert(0) += 1;
        }
    });
    for (key, counted) in words {
        let Some(e) = by.get_mut(&key) else { continue };
        e.words = counted.into_iter().map(|((w, r), n)| (w, r, n)).collect();
        e.words
            .sort_by(|a, b| b.2.cmp(&a.2).then_with(|| (&a.0, a.1).cmp(&(&b.0, b.1))));
        e.examples.sort_by_key(|x| x.0);
    }
    Ok(Findings {
        found: by.into_values().collect(),
        skipped,
    })
}

/// Prints the audit: one line per expression with anything left out, then the
/// words it fell in (`top` per expression) and an example line per reason.
pub fn print_audit(
    audits: &[ExpressionAudit],
    top: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    use Reason;
    let reasons = [
        Reason::InsideWord,
        Reason::SplitAcrossWords,
        Reason::AcrossBoundary,
        Reason::OtherFrameWon,
        Reason::OverlapsOtherMatch,
    ];
    writeln!(
        out,
        "frame\texpression\tcounted\t{}",
        reasons.map(|r| r.as_str()).join("\t")
    )?;
    for a in audits {
        let n = |r: Reason| a.left_out.get(&r).copied().unwrap_or(0);
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            a.frame,
            a.expression,
            a.counted,
            reasons.map(|r| n(r).to_string()).join("\t")
        )?;
    }
    for a in audits.iter().filter(|a| !a.left_out.is_empty()) {
        let left: u64 = a.left_out.values().sum();
        writeln!(
            out,
            "\n{} {:?}: {} counted, {left} left out",
            a.frame, a.expression, a.counted
        )?;
        for (w, r, n) in a.words.iter().take(top) {
            writeln!(out, "  {n:>5}  {w}  ({})", r.as_str())?;
        }
        for (r, doc, l, m, rt) in &a.examples {
            writeln!(out, "  e.g. [{}] {doc}: …{l} [{m}] {rt}…", r.as_str())?;
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
