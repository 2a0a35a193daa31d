//! `govlens audit`: per frame expression, the hits counted and the occurrences
//! left out, with the words they fell in and an example of each reason.

use super::Findings;
use crate::config::Plan;
use crate::corpus::Corpus;
use crate::document::{self, Engine};
use crate::error::Result;
use crate::lexicon::{Lexicon, Reason};

/// What `govlens audit` found for one frame expression.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExpressionAudit {
    pub frame: String,
    pub expression: String,
    /// Hits counted for the frame by this expression.
    pub counted: u64,
    /// Occurrences left out, per reason (in [`Reason`] order); those with reason
    /// `constituent` were counted (they are in `counted` too).
    pub left_out: std::collections::BTreeMap<Reason, u64>,
    /// The words they fell in, with how often, most frequent first.
    pub words: Vec<(String, Reason, u64)>,
    /// One example line per reason: (doc_id, left, match, right).
    pub examples: Vec<(Reason, String, String, String, String)>,
}

impl ExpressionAudit {
    /// Occurrences not counted (all reasons but `constituent`, which counts).
    pub fn left_out_total(&self) -> u64 {
        self.left_out
            .iter()
            .filter(|(r, _)| **r != Reason::Constituent)
            .map(|(_, n)| n)
            .sum()
    }
}

/// Counts, for every expression of `lexicon`, the hits and the occurrences left
/// out in `corpus`; files over `max_file_bytes` are refused, as `run` refuses them.
pub fn audit(
    corpus: &Corpus,
    lexicon: &Lexicon,
    window: usize,
    plan: &Plan,
) -> Result<Findings<Vec<ExpressionAudit>>> {
    use std::collections::BTreeMap;
    let engine = Engine::new(lexicon)?;
    let (matcher, auditor) = (&engine.matcher, &engine.auditor);
    let needles = auditor.needles();
    let ids = matcher.frame_ids();
    let mut by: BTreeMap<(usize, String), ExpressionAudit> = BTreeMap::new();
    for n in needles {
        by.entry((n.frame, n.expression.to_string()))
            .or_insert_with(|| ExpressionAudit {
                frame: ids[n.frame].clone(),
                expression: n.expression.to_string(),
                ..Default::default()
            });
    }
    let mut words: BTreeMap<(usize, String), BTreeMap<(String, Reason), u64>> = BTreeMap::new();
    let limits = (plan.max_file_bytes, plan.counted_zones);
    let pass = engine
        .inspection_pass(window, limits)
        .counting_names(plan.count_names);
    let skipped = document::each(corpus, &pass, |doc, a| {
        let (text, counts) = (a.read.text(), &a.counts);
        for f in &counts.frames {
            if let Some(e) = by.get_mut(&(f.frame, f.pattern.clone())) {
                e.counted += f.count;
            }
        }
        for leak in &counts.audit {
            let key = (leak.frame, needles[leak.needle].expression.to_string());
            let Some(e) = by.get_mut(&key) else {
                continue; // every needle has an entry, made above
            };
            *e.left_out.entry(leak.reason).or_insert(0) += 1;
            if !e.examples.iter().any(|x| x.0 == leak.reason) {
                let page = a.read.loaded.layout.page_at(leak.at.start);
                e.examples.push((
                    leak.reason,
                    page.map_or_else(|| doc.doc_id.clone(), |p| format!("{} p.{p}", doc.doc_id)),
                    leak.at.left(text).into_owned(),
                    leak.at.matched(text).to_string(),
                    leak.at.right(text).into_owned(),
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
