//! How the commands show what the library returns: aligned concordance lines,
//! the audit, language versions side by side, precision tables and segmented
//! text, measured in display columns (a Chinese character takes two).

use std::io::Write;

use govlens::document::ReadDoc;
use govlens::inspect::{Disagreement, ExpressionAudit, Line, Segmented, ZoneSpan};
use govlens::lexicon::Reason;
use govlens::validate::{AdjustedRate, Precision};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Writes the tokens of a text: by default one line per input line, words
/// separated by ` / `, clause boundaries shown as ` | ` and frame hits as
/// `[frame]`; with `tsv`, one token per line.
pub fn segmented(
    doc: &ReadDoc,
    tokens: &[Segmented<'_>],
    tsv: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if tsv {
        writeln!(out, "start\tend\tsurface\tterm\tstopword\tframes")?;
        for t in tokens {
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}",
                t.start,
                t.end,
                t.surface.replace(['\t', '\n', '\r'], " "),
                t.term,
                t.stopword,
                t.frames.join(",")
            )?;
        }
        return Ok(());
    }
    let mut line_start = 0;
    let mut k = 0;
    for line in doc.text().split_inclusive('\n') {
        let line_end = line_start + line.len();
        let mut parts = String::new();
        let mut prev_clause = None;
        while k < tokens.len() && tokens[k].start < line_end {
            let t = &tokens[k];
            if let Some(c) = prev_clause {
                parts.push_str(if c == t.clause { " / " } else { " | " });
            }
            parts.push_str(&t.term);
            for f in &t.frames {
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

/// Writes concordance lines aligned on the match, measuring display width (a
/// Chinese character takes two columns): the left context right-aligned and cut
/// from the left, the right context cut at `width` columns.
pub fn concordance(lines: &[Line], width: usize, out: &mut dyn Write) -> std::io::Result<()> {
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

/// Prints the audit: one line per expression with anything left out, then the
/// words it fell in (`top` per expression) and an example line per reason.
pub fn audit(audits: &[ExpressionAudit], top: usize, out: &mut dyn Write) -> std::io::Result<()> {
    let reasons = [
        Reason::InsideWord,
        Reason::SplitAcrossWords,
        Reason::AcrossBoundary,
        Reason::OtherFrameWon,
        Reason::OverlapsOtherMatch,
        Reason::Excluded,
        Reason::Name,
        Reason::Constituent,
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
        let constituents = a.left_out.get(&Reason::Constituent).copied().unwrap_or(0);
        writeln!(
            out,
            "\n{} {:?}: {} counted ({constituents} as constituents of longer words), {} left out",
            a.frame,
            a.expression,
            a.counted,
            a.left_out_total()
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

/// Prints each disagreement: the unit, the frames found in one version only, and
/// the two texts side by side in columns of `width` display columns.
pub fn disagreements(
    rows: &[Disagreement],
    width: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for d in rows {
        writeln!(
            out,
            "\n{} ({} | {}): zh only [{}]; en only [{}]",
            d.unit,
            d.label_zh,
            d.label_en,
            d.zh_only.join(", "),
            d.en_only.join(", ")
        )?;
        let (left, right) = (wrap(&d.text_zh, width), wrap(&d.text_en, width));
        for i in 0..left.len().max(right.len()) {
            let l = left.get(i).map_or("", String::as_str);
            let r = right.get(i).map_or("", String::as_str);
            let pad = width.saturating_sub(display_width(l));
            writeln!(out, "  {l}{} | {r}", " ".repeat(pad))?;
        }
    }
    Ok(())
}

fn display_width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// `text` on lines of at most `width` display columns, whitespace shown as single
/// spaces; a line breaks at its last space when it has one, else anywhere.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut lines = Vec::new();
    let mut line = String::new();
    for c in govlens::span::one_line(text).chars() {
        if display_width(&line) + c.width().unwrap_or(0) > width {
            let cut = line.rfind(' ').filter(|&i| i > 0).unwrap_or(line.len());
            let rest = line[cut..].trim_start().to_string();
            line.truncate(cut);
            lines.push(std::mem::replace(&mut line, rest));
        }
        line.push(c);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Writes the precision of each frame and language and, when given, the
/// adjusted rates, as tab-separated tables (what `govlens validate score` prints).
pub fn scores(
    precision: &[Precision],
    adjusted: Option<&[AdjustedRate]>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let f = |x: Option<f64>| x.map_or(String::new(), |x| format!("{x:.3}"));
    writeln!(
        out,
        "frame\tlang\tcoded\trelevant\tprecision\tci_low\tci_high\tuncoded"
    )?;
    for p in precision {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            p.frame,
            p.lang,
            p.coded,
            p.relevant,
            f(p.precision),
            f(p.interval.map(|i| i.low)),
            f(p.interval.map(|i| i.high)),
            p.uncoded
        )?;
    }
    let Some(adjusted) = adjusted else {
        return Ok(());
    };
    writeln!(
        out,
        "\ngroup\tlang\tframe\trate_per_10k\tadjusted\tadjusted_low\tadjusted_high"
    )?;
    for r in adjusted {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            r.group,
            r.lang,
            r.frame,
            f(r.rate_per_10k),
            f(r.adjusted),
            f(r.adjusted_low),
            f(r.adjusted_high)
        )?;
    }
    Ok(())
}

/// Each zone's lines, prefixed with the zone's name and the line's byte offset;
/// a line is cut at 120 columns.
pub fn zones(spans: &[ZoneSpan<'_>], out: &mut dyn Write) -> std::io::Result<()> {
    if spans.is_empty() {
        return writeln!(out, "(all body: no zone found)");
    }
    for span in spans {
        let mut at = span.start;
        for line in span.text.split_inclusive('\n') {
            let shown = line.trim_end();
            if !shown.is_empty() {
                let mut cut = String::new();
                let mut width = 0;
                for c in shown.chars() {
                    width += c.width().unwrap_or(0);
                    if width > 120 {
                        cut.push('…');
                        break;
                    }
                    cut.push(c);
                }
                writeln!(out, "{:<10} {:>8}  {cut}", span.zone.as_str(), at)?;
            }
            at += line.len();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        concordance(&lines, 12, &mut out).unwrap();
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

    #[test]
    fn wrapped_lines_fit_their_column() {
        let text = "小组每周三下午讨论可信赖与问责 and on Wednesdays the group talks trust and answerability";
        let lines = wrap(text, 20);
        assert!(lines.iter().all(|l| display_width(l) <= 20), "{lines:?}");
        assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
    }
}
