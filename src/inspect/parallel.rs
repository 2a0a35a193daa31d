//! `govlens parallel WORK`: where a work's Chinese and English texts disagree.
//!
//! Both texts of the work are read and counted exactly as in `run`, their
//! units aligned as in `parallel.parquet`, and every aligned unit whose frames
//! differ is printed with both texts side by side, so a researcher can see whether
//! the lexicon or the translation is at fault.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use unicode_width::UnicodeWidthChar;

use super::Findings;
use crate::analyze::Lang;
use crate::config::Plan;
use crate::corpus::Corpus;
use crate::document::{self, Analysed, Engine, Skipped};
use crate::error::{Error, Result};
use crate::lexicon::Lexicon;
use crate::stats::Settings;
use crate::versions::aligned_keys;

/// One aligned unit whose frames differ between the versions.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    pub unit: String,
    pub label_zh: String,
    pub label_en: String,
    /// Frames with hits in this version only.
    pub zh_only: Vec<String>,
    pub en_only: Vec<String>,
    pub text_zh: String,
    pub text_en: String,
}

/// The disagreeing units of `work` in `corpus`, in unit order.
pub fn disagreements(
    corpus: &Corpus,
    lexicon: &Lexicon,
    work: &str,
    plan: &Plan,
) -> Result<Findings<Vec<Disagreement>>> {
    let engine = Engine::new(lexicon)?;
    let window = Settings::default().kwic_window;
    let limits = (plan.max_file_bytes, plan.counted_zones);
    let pass = engine.inspection_pass(window, limits);
    let docs: Vec<_> = corpus
        .docs
        .iter()
        .filter(|d| corpus.extra_value(d, "work").as_deref() == Some(work))
        .collect();
    let mut versions: BTreeMap<Lang, Vec<Analysed>> = BTreeMap::new();
    let mut skipped = Vec::new();
    for doc in &docs {
        match document::analyse(doc, &pass) {
            Ok(a) => versions.entry(a.read.lang).or_default().push(a),
            Err(p) => skipped.push(Skipped::new(doc, p)),
        }
    }
    let unreadable: Vec<String> = skipped
        .iter()
        .map(|s| format!("{} ({}): {}", s.doc_id, s.kind, s.message))
        .collect();
    let mut one = |lang: Lang| match versions.remove(&lang) {
        Some(mut v) if v.len() == 1 => Ok(v.remove(0)),
        v => Err(Error::Invalid(format!(
            "work {work:?}: {} readable {} versions in the corpus ({} documents have this \
             work{}); exactly one zh and one en are compared",
            v.map_or(0, |v| v.len()),
            lang.as_str(),
            docs.len(),
            if unreadable.is_empty() {
                String::new()
            } else {
                format!("; not readable: {}", unreadable.join("; "))
            }
        ))),
    };
    let (zh, en) = (one(Lang::Zh)?, one(Lang::En)?);
    let (z, e) = (by_key(&zh), by_key(&en));
    let ids = engine.matcher.frame_ids();
    let mut found = Vec::new();
    for (key, (label_zh, frames_zh, text_zh)) in &z {
        let Some((label_en, frames_en, text_en)) = e.get(key) else {
            continue;
        };
        if frames_zh == frames_en {
            continue;
        }
        let only = |a: &BTreeSet<usize>, b: &BTreeSet<usize>| -> Vec<String> {
            a.difference(b).map(|&f| ids[f].clone()).collect()
        };
        found.push(Disagreement {
            unit: key.clone(),
            label_zh: label_zh.clone(),
            label_en: label_en.clone(),
            zh_only: only(frames_zh, frames_en),
            en_only: only(frames_en, frames_zh),
            text_zh: text_zh.clone(),
            text_en: text_en.clone(),
        });
    }
    Ok(Findings { found, skipped })
}

/// Per aligned key of a version: its label, the frames with hits and its text.
fn by_key(a: &Analysed) -> BTreeMap<String, (String, BTreeSet<usize>, String)> {
    let (units, text) = (&a.counts.units, a.read.text());
    let mut out: BTreeMap<String, (String, BTreeSet<usize>, String)> = BTreeMap::new();
    let keys = aligned_keys(units);
    for (i, unit) in units.iter().enumerate() {
        let Some(key) = keys[i].clone() else { continue };
        let end = units.get(i + 1).map_or(text.len(), |u| u.start);
        let entry = out
            .entry(key)
            .or_insert_with(|| (unit.label.clone(), BTreeSet::new(), String::new()));
        entry.2.push_str(&text[unit.start..end]);
    }
    for &(unit, frame, _) in &a.counts.unit_frames {
        if let Some(key) = &keys[unit]
            && let Some(entry) = out.get_mut(key)
        {
            entry.1.insert(frame);
        }
    }
    out
}

/// Prints each disagreement: the unit, the frames found in one version only, and
/// the two texts side by side in columns of `width` display columns.
pub fn print_disagreements(
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
    for c in crate::span::one_line(text).chars() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_fit_their_column() {
        let text = "小组每周三下午讨论可信赖与问责 and on Wednesdays the group talks trust and answerability";
        let lines = wrap(text, 20);
        assert!(lines.iter().all(|l| display_width(l) <= 20), "{lines:?}");
        assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
    }
}
