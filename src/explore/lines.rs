//! Concordance lines of terms, read again from the corpus.
//!
//! A run keeps the lines of frame hits (`kwic.parquet`) but not of every term.
//! For the terms the page wants, `terms.parquet` says which documents hold them;
//! for each term and group the documents with the most occurrences are chosen (up
//! to `term_lines` of them), and only those documents are read again, with the
//! run's settings and segmenter, through the same per-document pass as `kwic`. A
//! document whose bytes changed since the run is left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::data::DocIndex;
use super::{Caps, Reading};
use crate::analyze::Analyzer;
use crate::corpus::Corpus;
use crate::document::{self, Engine, Skipped};
use crate::error::Result;
use crate::lexicon::{Format, Frame, Lexicon};
use crate::tables::Table;

/// The (language, term, group) whose lines are wanted.
#[derive(Default)]
pub struct Wanted {
    set: BTreeSet<(String, String, String)>,
    terms: BTreeSet<(String, String)>,
}

impl Wanted {
    pub fn add(&mut self, lang: &str, term: &str, group: &str) {
        // A term the lexicon syntax would read otherwise (a wildcard, a space) is
        // not looked for.
        if term.contains(['*', ' ']) || term.is_empty() {
            return;
        }
        self.set
            .insert((lang.to_string(), term.to_string(), group.to_string()));
        self.terms.insert((lang.to_string(), term.to_string()));
    }
}

/// A line found.
pub struct Found {
    pub doc_id: String,
    pub unit: String,
    pub left: String,
    pub matched: String,
    pub right: String,
}

/// Lines per (language, term, group), and the documents not read.
pub struct TermLines {
    pub lines: Vec<(String, String, String, Vec<Found>)>,
    pub skipped: Vec<Skipped>,
}

pub fn of_terms(
    dir: &Path,
    docs: &DocIndex,
    wanted: &Wanted,
    reading: &Reading,
    caps: Caps,
) -> Result<TermLines> {
    let n = caps.term_lines;
    // (lang, term, group) → its best documents: (count, doc_id), most first.
    let mut best: BTreeMap<(String, String, String), Vec<(i64, String)>> = BTreeMap::new();
    Table::scan(dir, "terms", &["doc_id", "term", "lang", "count"], |t| {
        let (d, term, lang, count) = (
            t.strs("doc_id")?,
            t.strs("term")?,
            t.strs("lang")?,
            t.ints("count")?,
        );
        for i in 0..d.len() {
            let Some(doc) = docs.by_id.get(&d[i]) else { continue };
            let key = (lang[i].clone(), term[i].clone(), doc.group.clone());
            if !wanted.set.contains(&key) {
                continue;
            }
            let list = best.entry(key).or_default();
            list.push((count[i], d[i].clone()));
            if list.len() > 4 * n.max(1) {
                keep_docs(list, n);
            }
        }
        Ok(())
    })?;
    for list in best.values_mut() {
        keep_docs(list, n);
    }
    // Document → the (lang, term, group) it is read for.
    let mut reads: BTreeMap<&str, Vec<&(String, String, String)>> = BTreeMap::new();
    for (key, list) in &best {
        for (_, d) in list {
            reads.entry(d.as_str()).or_default().push(key);
        }
    }
    // The query: one frame per term, as `kwic` builds one for its term.
    let frames_of: Vec<&(String, String)> = wanted.terms.iter().collect();
    let frames: Vec<Frame> = frames_of
        .iter()
        .enumerate()
        .map(|(i, (lang, term))| Frame {
            id: format!("t{i}"),
            label: term.clone(),
            description: String::new(),
            zh: if lang == "zh" { vec![term.clone()] } else { Vec::new() },
            en: if lang == "zh" { Vec::new() } else { vec![term.clone()] },
            exclude: Vec::new(),
        })
        .collect();
    let query = Lexicon {
        frames,
        exclude: Vec::new(),
        source: "explorer terms".into(),
        sha256: String::new(),
        format: Format::Toml,
        names: Default::default(),
    };
    let engine = Engine::with_analyzer(Analyzer::new(&reading.lexicon.chinese_words()), &query)?;
    let plan = &reading.plan;
    let pass = engine
        .inspection_pass(plan.stats.kwic_window, (plan.max_file_bytes, plan.counted_zones))
        // Terms are counted inside names too.
        .counting_names(true);
    let corpus = Corpus {
        root: reading.corpus.root.clone(),
        manifest: reading.corpus.manifest.clone(),
        extra_columns: reading.corpus.extra_columns.clone(),
        docs: reading
            .corpus
            .docs
            .iter()
            .filter(|d| reads.contains_key(d.doc_id.as_str()))
            .cloned()
            .collect(),
    };
    // (lang, term, group) → document → its lines (at most n).
    type PerDoc = BTreeMap<String, Vec<Found>>;
    let mut found: BTreeMap<(String, String, String), PerDoc> = BTreeMap::new();
    let mut changed = Vec::new();
    let skipped = document::each(&corpus, &pass, |doc, a| {
        let Some(info) = docs.by_id.get(&doc.doc_id) else { return };
        if info.sha256 != a.read.loaded.sha256 {
            changed.push(Skipped {
                doc_id: doc.doc_id.clone(),
                path: doc.file.clone(),
                kind: "changed",
                message: "the file's bytes changed since the run".into(),
            });
            return;
        }
        let text = a.read.text();
        let counts = &a.counts;
        for hit in &counts.kwic {
            let (lang, term) = frames_of[hit.frame];
            let key = (lang.clone(), term.clone(), info.group.clone());
            let Some(list) = best.get(&key) else { continue };
            if !list.iter().any(|(_, d)| *d == doc.doc_id) {
                continue;
            }
            let lines = found
                .entry(key)
                .or_default()
                .entry(doc.doc_id.clone())
                .or_default();
            if lines.len() < n {
                let unit = &counts.units[hit.unit];
                lines.push(Found {
                    doc_id: doc.doc_id.clone(),
                    unit: unit_label(&unit.label, unit.page),
                    left: cut_left(&hit.at.left(text), caps.context_chars),
                    matched: hit.at.matched(text).to_string(),
                    right: cut_right(&hit.at.right(text), caps.context_chars),
                });
            }
        }
    });
    let mut skipped = skipped;
    skipped.extend(changed);
    let lines = found
        .into_iter()
        .map(|((lang, term, group), per_doc)| {
            // Documents in the order chosen (most occurrences first).
            let order = &best[&(lang.clone(), term.clone(), group.clone())];
            let mut per_doc = per_doc;
            let lists: Vec<Vec<Found>> = order
                .iter()
                .filter_map(|(_, d)| per_doc.remove(d))
                .collect();
            (lang, term, group, round_robin(lists, n))
        })
        .collect();
    Ok(TermLines { lines, skipped })
}

/// Keeps the `n` documents with the most occurrences (ties by doc_id).
fn keep_docs(list: &mut Vec<(i64, String)>, n: usize) {
    list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    list.truncate(n);
}

/// The first line of each list, then the second of each ..., `n` in all.
pub fn round_robin(lists: Vec<Vec<Found>>, n: usize) -> Vec<Found> {
    let mut iters: Vec<_> = lists.into_iter().map(Vec::into_iter).collect();
    let mut out = Vec::new();
    while out.len() < n {
        let before = out.len();
        for it in iters.iter_mut() {
            if out.len() == n {
                break;
            }
            out.extend(it.next());
        }
        if out.len() == before {
            break;
        }
    }
    out
}

/// A unit's heading, with the page of a paged document.
pub fn unit_label(unit: &str, page: Option<u32>) -> String {
    match (unit.trim(), page) {
        ("", Some(p)) => format!("p. {p}"),
        (u, Some(p)) => format!("{u} · p. {p}"),
        (u, None) => u.to_string(),
    }
}

/// The last `max` characters of a left context (with `…` where cut).
pub fn cut_left(text: &str, max: usize) -> String {
    let n = text.chars().count();
    if n <= max {
        return text.to_string();
    }
    let cut: String = text.chars().skip(n - max).collect();
    format!("…{}", cut.trim_start())
}

/// The first `max` characters of a right context (with `…` where cut).
pub fn cut_right(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}
