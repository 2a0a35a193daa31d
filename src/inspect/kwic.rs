//! `govlens kwic`: a concordance of any word or phrase, in any corpus, aligned on
//! the match for a terminal.

use std::io::Write;

use super::Findings;
use crate::analyze::{Analyzer, join_terms};
use crate::config::Plan;
use crate::corpus::Corpus;
use crate::document::{self, Engine};
use crate::error::Result;
use crate::lexicon::Lexicon;

/// One concordance line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub doc_id: String,
    pub unit: String,
    /// The page of a paged document (PDF).
    pub page: Option<u32>,
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
    plan: &Plan,
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
        exclude: Vec::new(),
    };
    let query = Lexicon {
        frames: vec![query],
        exclude: Vec::new(),
        source: "query".into(),
        sha256: String::new(),
        format: crate::lexicon::Format::Toml,
    };
    if converted {
        words.truncate(n_lexicon);
        words.extend(one_han_word(term));
        analyzer = Analyzer::new(&words);
    }
    let engine = Engine::with_analyzer(analyzer, &query)?;
    let limits = (plan.max_file_bytes, plan.counted_zones);
    let pass = engine.inspection_pass(window, limits);
    let mut lines = Vec::new();
    let skipped = document::each(corpus, &pass, |doc, a| {
        let (text, counts) = (a.read.text(), &a.counts);
        for hit in &counts.kwic {
            lines.push(Line {
                doc_id: doc.doc_id.clone(),
                unit: counts.units[hit.unit].label.clone(),
                page: counts.units[hit.unit].page,
                left: hit.at.left(text).into_owned(),
                matched: hit.at.matched(text).to_string(),
                right: hit.at.right(text).into_owned(),
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
            let mut source = l.doc_id.clone();
            if !l.unit.is_empty() {
                source = format!("{source} {}", l.unit);
            }
            if let Some(page) = l.page {
                source = format!("{source} p.{page}");
            }
            source
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
                page: None,
                left: "坚持依法治理，推进".into(),
                matched: "法治".into(),
                right: "建设，发展可信赖的人工智能".into(),
            },
            Line {
                doc_id: "eu".into(),
                unit: String::new(),
                page: Some(4),
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
        // A PDF's line names its page.
        assert!(
            text.starts_with("cn 第一条 ") && text.contains("\neu p.4 "),
            "{text}"
        );
    }
}
