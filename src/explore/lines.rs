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

use super::docs::{DocIndex, Found, cut_left, cut_right, round_robin, unit_label};
use super::{Caps, Reading};
use crate::corpus::DocSpec;
use crate::document::{self, Engine, Pass, Skipped};
use crate::error::Result;
use crate::lexicon::{Format, Frame, Lexicon};
use crate::tables::Table;

/// The (language, term, group) whose lines are wanted.
#[derive(Default)]
pub struct Wanted {
    set: BTreeSet<(String, String, String)>,
    terms: BTreeSet<(String, String)>,
    by_lang: BTreeMap<String, rustc_hash::FxHashSet<String>>,
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
        self.by_lang
            .entry(lang.to_string())
            .or_default()
            .insert(term.to_string());
    }

    fn has_term(&self, lang: &str, term: &str) -> bool {
        self.by_lang.get(lang).is_some_and(|t| t.contains(term))
    }
}

/// (language, term, group).
type Key = (String, String, String);
/// A document that holds a term: its count of it, doc_id and SHA-256.
type Candidate = (i64, String, String);

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
    engine: Engine,
    caps: Caps,
) -> Result<TermLines> {
    use rayon::prelude::*;
    let n = caps.term_lines;
    let best = choose_documents(dir, docs, wanted, n)?;
    let chosen: BTreeSet<&str> = best
        .values()
        .flat_map(|list| list.iter().map(|(_, d, _)| d.as_str()))
        .collect();
    let frames_of: Vec<&(String, String)> = wanted.terms.iter().collect();
    let query = query(&frames_of);
    // The run's segmenter (of its lexicon's words), matching the terms instead.
    let engine = Engine::with_analyzer(engine.analyzer, &query)?;
    let plan = &reading.plan;
    let pass = engine
        .inspection_pass(
            plan.stats.kwic_window,
            (plan.max_file_bytes, plan.counted_zones),
        )
        // Terms are counted inside names too.
        .counting_names(true);
    let to_read: Vec<_> = reading
        .corpus
        .docs
        .iter()
        .filter(|d| chosen.contains(d.doc_id.as_str()))
        .collect();
    // Each document read on its own thread; only its lines (at most n per term
    // and group) are kept, in corpus order.
    let per_doc: Vec<std::result::Result<Vec<(Key, Found)>, Skipped>> = to_read
        .par_iter()
        .map(|doc| lines_of_document(doc, &pass, docs, &best, &frames_of, caps))
        .collect();
    let mut skipped = Vec::new();
    let mut found: BTreeMap<Key, BTreeMap<String, Vec<Found>>> = BTreeMap::new();
    for r in per_doc {
        match r {
            Ok(lines) => {
                for (key, line) in lines {
                    let doc = line.doc_id.clone();
                    found
                        .entry(key)
                        .or_default()
                        .entry(doc)
                        .or_default()
                        .push(line);
                }
            }
            Err(s) => skipped.push(s),
        }
    }
    let lines = found
        .into_iter()
        .map(|((lang, term, group), mut per_doc)| {
            // Documents in the order chosen (most occurrences first).
            let order = &best[&(lang.clone(), term.clone(), group.clone())];
            let lists: Vec<Vec<Found>> = order
                .iter()
                .filter_map(|(_, d, _)| per_doc.remove(d))
                .collect();
            (lang, term, group, round_robin(lists, n))
        })
        .collect();
    Ok(TermLines { lines, skipped })
}

/// The lines of one chosen document: its hits of the terms it was chosen for, at
/// most `term_lines` of each; the document as skipped when it cannot be read or
/// its bytes changed since the run.
fn lines_of_document(
    doc: &DocSpec,
    pass: &Pass<'_>,
    docs: &DocIndex,
    best: &BTreeMap<Key, Vec<Candidate>>,
    frames_of: &[&(String, String)],
    caps: Caps,
) -> std::result::Result<Vec<(Key, Found)>, Skipped> {
    let n = caps.term_lines;
    let a = document::analyse(doc, pass).map_err(|p| Skipped::new(doc, p))?;
    let Some(info) = docs.by_id.get(&doc.doc_id) else {
        return Ok(Vec::new());
    };
    if info.sha256 != a.read.loaded.sha256 {
        return Err(Skipped {
            doc_id: doc.doc_id.clone(),
            path: doc.file.clone(),
            kind: "changed",
            message: "the file's bytes changed since the run".into(),
        });
    }
    let (text, counts) = (a.read.text(), &a.counts);
    let mut found: Vec<(Key, Found)> = Vec::new();
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    for hit in &counts.kwic {
        let (lang, term) = frames_of[hit.frame];
        let key = (lang.clone(), term.clone(), info.group.clone());
        let Some(list) = best.get(&key) else { continue };
        if !list.iter().any(|(_, d, _)| *d == doc.doc_id) {
            continue;
        }
        let k = taken.entry(hit.frame).or_insert(0);
        if *k == n {
            continue;
        }
        *k += 1;
        let unit = &counts.units[hit.unit];
        found.push((
            key,
            Found {
                doc_id: doc.doc_id.clone(),
                unit: unit_label(&unit.label, unit.page),
                left: cut_left(&hit.at.left(text), caps.context_chars),
                matched: hit.at.matched(text).to_string(),
                right: cut_right(&hit.at.right(text), caps.context_chars),
            },
        ));
    }
    Ok(found)
}

/// (lang, term, group) → its best documents: (count, doc_id, sha256), most first;
/// of documents with the same bytes (a file listed twice) only the first, whose
/// lines would be the same.
fn choose_documents(
    dir: &Path,
    docs: &DocIndex,
    wanted: &Wanted,
    n: usize,
) -> Result<BTreeMap<Key, Vec<Candidate>>> {
    let mut best: BTreeMap<Key, Vec<Candidate>> = BTreeMap::new();
    Table::scan(dir, "terms", &["doc_id", "term", "lang", "count"], |t| {
        let count = t.ints("count")?;
        let mut i = 0;
        t.each_row(&["doc_id", "term", "lang"], |row| {
            let (d, term, lang) = (row[0], row[1], row[2]);
            let at = i;
            i += 1;
            if !wanted.has_term(lang, term) {
                return;
            }
            let Some(doc) = docs.by_id.get(d) else { return };
            let key = (lang.to_string(), term.to_string(), doc.group.clone());
            if !wanted.set.contains(&key) {
                return;
            }
            let list = best.entry(key).or_default();
            match list.iter_mut().find(|e| e.2 == doc.sha256) {
                Some(same) if same.1.as_str() > d => same.1 = d.to_string(),
                Some(_) => {}
                None => list.push((count[at], d.to_string(), doc.sha256.clone())),
            }
            if list.len() > 4 * n.max(1) {
                keep_docs(list, n);
            }
        })
    })?;
    for list in best.values_mut() {
        keep_docs(list, n);
    }
    Ok(best)
}

/// The query: one frame per (language, term), as `kwic` builds one for its term.
fn query(terms: &[&(String, String)]) -> Lexicon {
    let frames: Vec<Frame> = terms
        .iter()
        .enumerate()
        .map(|(i, (lang, term))| Frame {
            id: format!("t{i}"),
            label: term.clone(),
            description: String::new(),
            zh: if lang == "zh" {
                vec![term.clone()]
            } else {
                Vec::new()
            },
            en: if lang == "zh" {
                Vec::new()
            } else {
                vec![term.clone()]
            },
            exclude: Vec::new(),
        })
        .collect();
    Lexicon {
        frames,
        exclude: Vec::new(),
        source: "explorer terms".into(),
        sha256: String::new(),
        format: Format::Toml,
        names: Default::default(),
    }
}

/// Keeps the `n` documents with the most occurrences (ties by doc_id).
fn keep_docs(list: &mut Vec<Candidate>, n: usize) {
    list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    list.truncate(n);
}
