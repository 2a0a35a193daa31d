//! How differently two groups distribute their frames (or their vocabulary):
//! Jensen-Shannon divergence, base 2, between every pair of groups of a language.

use std::collections::{BTreeMap, BTreeSet};

use super::groups::GroupedDoc;
use super::measures::jensen_shannon;
use crate::analyze::stopwords::is_stopword;
use crate::corpus::Lang;

/// One row of `divergence.parquet`.
#[derive(Debug, Clone, PartialEq)]
pub struct DivergenceRow {
    pub lang: Lang,
    /// `frames` or `terms`.
    pub kind: &'static str,
    pub group_a: String,
    pub group_b: String,
    pub jsd: Option<f64>,
}

/// Divergence between every pair of groups (a < b) within each language, of frame
/// distributions and of term distributions (stopwords left out).
pub fn divergence(docs: &[GroupedDoc<'_>], n_frames: usize) -> Vec<DivergenceRow> {
    type Profile<'a> = (Vec<f64>, BTreeMap<&'a str, f64>);
    let mut by: BTreeMap<(Lang, &str), Profile<'_>> = BTreeMap::new();
    for d in docs {
        let (frames, terms) = by
            .entry((d.lang, d.group))
            .or_insert_with(|| (vec![0.0; n_frames], BTreeMap::new()));
        for f in &d.counts.frames {
            frames[f.frame] += f.count as f64;
        }
        for (t, n) in &d.counts.terms {
            if !is_stopword(t) {
                *terms.entry(t.as_str()).or_insert(0.0) += *n as f64;
            }
        }
    }
    let mut rows = Vec::new();
    let keys: Vec<(Lang, &str)> = by.keys().copied().collect();
    for (i, &(lang, a)) in keys.iter().enumerate() {
        for &(lang_b, b) in &keys[i + 1..] {
            if lang_b != lang {
                continue;
            }
            let (pa, pb) = (&by[&(lang, a)], &by[&(lang, b)]);
            let vocab: BTreeSet<&str> = pa.1.keys().chain(pb.1.keys()).copied().collect();
            let va: Vec<f64> = vocab
                .iter()
                .map(|t| pa.1.get(t).copied().unwrap_or(0.0))
                .collect();
            let vb: Vec<f64> = vocab
                .iter()
                .map(|t| pb.1.get(t).copied().unwrap_or(0.0))
                .collect();
            for (kind, jsd) in [
                ("frames", jensen_shannon(&pa.0, &pb.0)),
                ("terms", jensen_shannon(&va, &vb)),
            ] {
                rows.push(DivergenceRow {
                    lang,
                    kind,
                    group_a: a.to_string(),
                    group_b: b.to_string(),
                    jsd,
                });
            }
        }
    }
    rows.sort_by(|x, y| {
        (x.lang, x.kind, &x.group_a, &x.group_b).cmp(&(y.lang, y.kind, &y.group_a, &y.group_b))
    });
    rows
}
