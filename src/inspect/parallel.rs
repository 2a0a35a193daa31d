//! `govlens parallel WORK`: where a work's Chinese and English texts disagree.
//!
//! Both texts of the work are read and counted exactly as in `run`, their
//! units aligned as in `parallel.parquet`, and every aligned unit whose frames
//! differ is printed with both texts side by side, so a researcher can see whether
//! the lexicon or the translation is at fault.

use std::collections::{BTreeMap, BTreeSet};

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
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
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
    disagreements_in(&Engine::new(lexicon)?, corpus, work, plan)
}

/// [`disagreements`] with an engine built already (of the lexicon the frames are
/// compared in), so that a caller comparing many works builds it once.
pub fn disagreements_in(
    engine: &Engine,
    corpus: &Corpus,
    work: &str,
    plan: &Plan,
) -> Result<Findings<Vec<Disagreement>>> {
    let window = Settings::default().kwic_window;
    let limits = (plan.max_file_bytes, plan.counted_zones);
    let pass = engine
        .inspection_pass(window, limits)
        .counting_names(plan.count_names);
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
