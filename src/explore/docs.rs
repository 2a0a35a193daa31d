//! The run's documents and the concordance lines taken from them, as the page
//! shows them: a line's unit, its context cut to a bounded length, and lines
//! drawn from several documents in turn.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::Result;
use crate::tables::Table;

/// The run's documents: group, language, title and year by doc_id.
pub struct DocIndex {
    pub by_id: BTreeMap<String, DocInfo>,
}

pub struct DocInfo {
    pub group: String,
    pub lang: String,
    pub title: String,
    pub year: Option<i64>,
    pub sha256: String,
}

impl DocIndex {
    pub fn read(dir: &Path, group_by: &str) -> Result<DocIndex> {
        let mut by_id = BTreeMap::new();
        let columns = ["doc_id", "lang", "title", "year", "sha256", group_by];
        Table::scan(dir, "documents", &columns, |t| {
            let (ids, langs, titles) = (t.strs("doc_id")?, t.strs("lang")?, t.strs("title")?);
            let (years, shas) = (t.floats("year")?, t.strs("sha256")?);
            let groups = t.texts(group_by)?;
            for i in 0..ids.len() {
                by_id.insert(
                    ids[i].clone(),
                    DocInfo {
                        group: groups[i].clone().unwrap_or_else(|| "(missing)".into()),
                        lang: langs[i].clone(),
                        title: titles[i].clone(),
                        year: years[i].map(|y| y as i64),
                        sha256: shas[i].clone(),
                    },
                );
            }
            Ok(())
        })?;
        Ok(DocIndex { by_id })
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
