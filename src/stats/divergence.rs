//! How differently two groups distribute their frames (or their vocabulary):
//! Jensen-Shannon divergence, base 2, between every pair of groups of a language.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::measures::jensen_shannon;
use super::profile::{DocTerms, GroupedDoc, Vocab};
use crate::corpus::Lang;
use crate::error::Result;

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
pub fn divergence(
    docs: &[GroupedDoc],
    doc_terms: &dyn DocTerms,
    vocab: &Vocab,
    n_frames: usize,
) -> Result<Vec<DivergenceRow>> {
    type Profile = (Vec<f64>, FxHashMap<u32, f64>);
    let mut by: BTreeMap<(Lang, &str), Profile> = BTreeMap::new();
    for d in docs {
        let (frames, _) = by
            .entry((d.lang, &d.group))
            .or_insert_with(|| (vec![0.0; n_frames], FxHashMap::default()));
        for &(f, n) in &d.frames {
            frames[f as usize] += n as f64;
        }
    }
    doc_terms.each(&mut |i, counts, _| {
        let d = &docs[i];
        let terms = &mut by
            .get_mut(&(d.lang, d.group.as_str()))
            .expect("every group")
            .1;
        for &(t, n) in counts {
            if !vocab.is_stopword(t) {
                *terms.entry(t).or_insert(0.0) += n as f64;
            }
        }
        Ok(())
    })?;
    let mut rows = Vec::new();
    let keys: Vec<(Lang, &str)> = by.keys().copied().collect();
    for (i, &(lang, a)) in keys.iter().enumerate() {
        for &(lang_b, b) in &keys[i + 1..] {
            if lang_b != lang {
                continue;
            }
            let (pa, pb) = (&by[&(lang, a)], &by[&(lang, b)]);
            // The union of both vocabularies, in id order (the sums do not depend
            // on the order beyond rounding, and id order is fixed by the input).
            let mut union: Vec<u32> = pa.1.keys().chain(pb.1.keys()).copied().collect();
            union.sort_unstable();
            union.dedup();
            let va: Vec<f64> = union
                .iter()
                .map(|t| pa.1.get(t).copied().unwrap_or(0.0))
                .collect();
            let vb: Vec<f64> = union
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
    Ok(rows)
}
