//! Keyness: which terms (and frames) are distinctive of a group, and how evenly
//! they are spread over the group's documents.
//!
//! Each group is compared with the rest of the corpus (one-vs-rest) and, on
//! request, with every other group (pairs), always within one language: Chinese and
//! English tokens are never compared. A term is tested when it occurs at least
//! `min_count` times in the target or in the reference. p-values are adjusted over
//! the terms of one comparison (Bonferroni and Benjamini-Hochberg).

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::measures::{
    Dispersion, Parts, Prior, Spread, benjamini_hochberg, bic, bonferroni, chi2, g2, log_odds,
    log_ratio, p_chi2_1df, pct_diff,
};
use super::profile::{GroupedDoc, Items};
use crate::corpus::Lang;
use crate::error::Result;

/// Label of the reference in one-vs-rest comparisons.
pub const REST: &str = "(rest)";

/// Settings of the keyness tables (made by [`super::Settings::keyness`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeynessOptions {
    pub min_count: u64,
    pub include_stopwords: bool,
    pub pairs: bool,
    pub yates: bool,
}

/// One row of `keyness.parquet` (or `frame_keyness.parquet`, where `term` is a frame).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyRow<'a> {
    pub target: &'a str,
    pub reference: &'a str,
    pub lang: Lang,
    pub term: &'a str,
    pub count_target: u64,
    pub count_reference: u64,
    pub tokens_target: u64,
    pub tokens_reference: u64,
    pub g2: f64,
    pub p: f64,
    pub p_bonferroni: f64,
    pub p_bh: f64,
    pub chi2: f64,
    pub log_ratio: f64,
    pub pct_diff: Option<f64>,
    pub bic: f64,
    /// Fightin' Words: log-odds ratio with an informative Dirichlet prior, its z-score,
    /// and the prior's size (the reference's tokens; the term's share of it is its
    /// share of the language's whole corpus).
    pub log_odds: f64,
    pub log_odds_z: f64,
    pub log_odds_a0: f64,
    /// Dispersion of the term over the target's documents.
    pub dispersion: Dispersion,
}

/// One group of one language: its documents' sizes, its items' totals, and each
/// item's spread over its documents.
#[derive(Default)]
struct Group {
    sizes: Vec<f64>,
    totals: FxHashMap<u32, u64>,
    tokens: u64,
    spread: FxHashMap<u32, Spread>,
}

impl Group {
    fn count(&self, item: u32) -> u64 {
        self.totals.get(&item).copied().unwrap_or(0)
    }
}

/// Each document's counts of the items keyness compares (its terms, or its
/// frames), in document order: `each(&mut |document index, counts| ...)`.
pub type EachDoc<'a> = &'a (dyn Fn(&mut CountsVisitor<'_>) -> Result<()> + Sync);

/// What [`EachDoc`] calls: (document index, its counts).
pub type CountsVisitor<'a> = dyn FnMut(usize, &[(u32, u32)]) -> Result<()> + 'a;

/// The groups of one keyness table: (language, name) -> index, and by index each
/// group and its parts.
type Gathered<'a> = (BTreeMap<(Lang, &'a str), usize>, Vec<Group>, Vec<Parts>);

/// Keyness of the items counted in each document of `docs` (given by `each`, in
/// three passes: totals, then the two of dispersion, so the documents' counts
/// can be streamed), named by `names`.
pub fn keyness<'a>(
    docs: &'a [GroupedDoc],
    each: EachDoc<'_>,
    names: &'a (dyn Items + Sync),
    opts: KeynessOptions,
) -> Result<Vec<KeyRow<'a>>> {
    let (index, groups, parts) = gather(docs, each)?;
    let mut by_lang: BTreeMap<Lang, BTreeMap<&'a str, (&Group, &Parts)>> = BTreeMap::new();
    for (&(lang, name), &g) in &index {
        by_lang
            .entry(lang)
            .or_default()
            .insert(name, (&groups[g], &parts[g]));
    }
    let mut rows = Vec::new();
    for (lang, groups) in &by_lang {
        let mut all: FxHashMap<u32, u64> = FxHashMap::default();
        for (g, _) in groups.values() {
            for (&item, &n) in &g.totals {
                *all.entry(item).or_insert(0) += n;
            }
        }
        let all_tokens: u64 = groups.values().map(|(g, _)| g.tokens).sum();
        let mut vocab: Vec<u32> = all
            .keys()
            .copied()
            .filter(|&t| opts.include_stopwords || !names.is_stopword(t))
            .collect();
        vocab.sort_unstable_by(|&a, &b| names.name(a).cmp(names.name(b)));
        // Each group's comparisons are independent: in parallel, rows in group order.
        let targets: Vec<(&str, &(&Group, &Parts))> = groups.iter().map(|(&n, g)| (n, g)).collect();
        let per_group: Vec<Vec<KeyRow>> = targets
            .par_iter()
            .map(|&(name, &(g, p))| {
                let mut rows = Vec::new();
                let corpus = |item: u32| all.get(&item).copied().unwrap_or(0);
                let rest = |item: u32| corpus(item) - g.count(item);
                let whole = (&corpus as &dyn Fn(u32) -> u64, all_tokens);
                compare(
                    &mut rows,
                    (name, REST),
                    *lang,
                    (g, p),
                    (all_tokens - g.tokens, &rest),
                    whole,
                    (&vocab, names),
                    opts,
                );
                if opts.pairs {
                    for (&other, (h, _)) in groups {
                        if other != name {
                            let theirs = |item: u32| h.count(item);
                            compare(
                                &mut rows,
                                (name, other),
                                *lang,
                                (g, p),
                                (h.tokens, &theirs),
                                whole,
                                (&vocab, names),
                                opts,
                            );
                        }
                    }
                }
                rows
            })
            .collect();
        rows.extend(per_group.into_iter().flatten());
    }
    Ok(rows)
}

/// The groups of `docs` by language, then name (each with its index in the two
/// vectors): their sizes, item totals and items' spread, from three passes over
/// `each`; and each group's parts.
fn gather<'a>(docs: &'a [GroupedDoc], each: EachDoc<'_>) -> Result<Gathered<'a>> {
    // Groups by language, then name; each document's group and place in it.
    let mut index: BTreeMap<(Lang, &'a str), usize> = BTreeMap::new();
    for d in docs {
        index.entry((d.lang, d.group.as_str())).or_insert(0);
    }
    for (k, slot) in index.values_mut().enumerate() {
        *slot = k;
    }
    let mut groups: Vec<Group> = (0..index.len()).map(|_| Group::default()).collect();
    let mut place = Vec::with_capacity(docs.len());
    for d in docs {
        let g = index[&(d.lang, d.group.as_str())];
        place.push((g, groups[g].sizes.len()));
        groups[g].sizes.push(d.n_tokens as f64);
        groups[g].tokens += d.n_tokens;
    }
    each(&mut |i, counts| {
        let g = &mut groups[place[i].0];
        for &(item, n) in counts {
            *g.totals.entry(item).or_insert(0) += n as u64;
        }
        Ok(())
    })?;
    let parts: Vec<Parts> = groups.iter().map(|g| Parts::new(&g.sizes)).collect();
    for second in [false, true] {
        each(&mut |i, counts| {
            let (g, at) = place[i];
            let (group, parts) = (&mut groups[g], &parts[g]);
            for &(item, n) in counts {
                let s = group.spread.entry(item).or_default();
                if second {
                    parts.second_pass(s, at, n as f64);
                } else {
                    parts.first_pass(s, at, n as f64);
                }
            }
            Ok(())
        })?;
    }
    Ok((index, groups, parts))
}

/// Appends the rows of one comparison: target group `g` against a reference with
/// `n2` tokens whose count of an item is `reference(item)`; `corpus` counts an item
/// in the language's whole corpus of `n` tokens (the log-odds prior).
#[allow(clippy::too_many_arguments)]
fn compare<'a>(
    rows: &mut Vec<KeyRow<'a>>,
    (target, reference_name): (&'a str, &'a str),
    lang: Lang,
    (g, parts): (&Group, &Parts),
    (n2, reference): (u64, &dyn Fn(u32) -> u64),
    (corpus, n): (&dyn Fn(u32) -> u64, u64),
    (vocab, names): (&[u32], &'a (dyn Items + Sync)),
    opts: KeynessOptions,
) {
    if g.tokens == 0 || n2 == 0 {
        return;
    }
    let (n1f, n2f) = (g.tokens as f64, n2 as f64);
    let first = rows.len();
    for &item in vocab {
        let (a, b) = (g.count(item), reference(item));
        if a.max(b) < opts.min_count {
            continue;
        }
        let (af, bf) = (a as f64, b as f64);
        let g2v = g2(af, bf, n1f, n2f);
        let prior = Prior {
            a0: n2f,
            f: corpus(item) as f64,
            n: n as f64,
        };
        let (lo, lo_z) = log_odds(af, bf, n1f, n2f, prior);
        let spread = g.spread.get(&item).copied().unwrap_or_default();
        rows.push(KeyRow {
            target,
            reference: reference_name,
            lang,
            term: names.name(item),
            count_target: a,
            count_reference: b,
            tokens_target: g.tokens,
            tokens_reference: n2,
            g2: g2v,
            p: p_chi2_1df(g2v),
            p_bonferroni: 0.0,
            p_bh: 0.0,
            chi2: chi2(af, bf, n1f, n2f, opts.yates),
            log_ratio: log_ratio(af, bf, n1f, n2f),
            pct_diff: pct_diff(af, bf, n1f, n2f),
            bic: bic(g2v.abs(), n1f + n2f),
            log_odds: lo,
            log_odds_z: lo_z,
            log_odds_a0: prior.a0,
            dispersion: parts.finish(&spread),
        });
    }
    let family = &mut rows[first..];
    let p: Vec<f64> = family.iter().map(|r| r.p).collect();
    for ((row, pb), pbh) in family
        .iter_mut()
        .zip(bonferroni(&p))
        .zip(benjamini_hochberg(&p))
    {
        row.p_bonferroni = pb;
        row.p_bh = pbh;
    }
    // Most distinctive first; ties by term, so the order never depends on anything
    // else (a family's terms are distinct: the order is total and unstable is exact).
    family.sort_unstable_by(|x, y| y.g2.total_cmp(&x.g2).then_with(|| x.term.cmp(y.term)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::profile::{Vocab, tests::doc};

    /// Keyness of the documents' terms.
    fn term_keyness<'a>(
        docs: &'a [GroupedDoc],
        v: &'a Vocab,
        opts: KeynessOptions,
    ) -> Vec<KeyRow<'a>> {
        let each = |f: &mut CountsVisitor<'_>| {
            docs.iter()
                .enumerate()
                .try_for_each(|(i, d)| f(i, &d.terms))
        };
        keyness(docs, &each, v, opts).unwrap()
    }

    #[test]
    fn one_vs_rest_within_language_with_adjusted_p() {
        let mut v = Vocab::default();
        let docs = [
            doc(
                "A",
                Lang::En,
                10000,
                &[("trust", 100), ("the", 900)],
                &[],
                &mut v,
            ),
            doc(
                "A",
                Lang::En,
                10000,
                &[("trust", 100), ("the", 900)],
                &[],
                &mut v,
            ),
            doc(
                "B",
                Lang::En,
                20000,
                &[("trust", 50), ("the", 1800), ("rare", 1)],
                &[],
                &mut v,
            ),
            doc("A", Lang::Zh, 500, &[("法治", 9)], &[], &mut v),
        ];
        let rows = term_keyness(&docs, &v, crate::stats::Settings::default().keyness());
        // The Chinese group has nothing to compare with; stopwords are left out;
        // "rare" is under the minimum count.
        let keys: Vec<(&str, &str)> = rows.iter().map(|r| (r.target, r.term)).collect();
        assert_eq!(keys, vec![("A", "trust"), ("B", "trust")]);
        let a = &rows[0];
        assert_eq!(
            (
                a.count_target,
                a.count_reference,
                a.tokens_target,
                a.tokens_reference
            ),
            (200, 50, 20000, 20000)
        );
        // scipy: 4-cell G2 for [[200, 50], [19800, 19950]]
        assert!((a.g2 - 96.93841759012632).abs() < 1e-6, "{}", a.g2);
        assert!(rows[1].g2 < 0.0, "B uses it less");
        assert!(
            (a.log_ratio + rows[1].log_ratio).abs() < 1e-12,
            "antisymmetric"
        );
        assert_eq!(a.dispersion.range, 2);
        assert!(
            a.dispersion.dp.unwrap().abs() < 1e-12,
            "spread as the documents' sizes"
        );
        assert_eq!(
            (a.p_bonferroni, a.p_bh),
            (a.p, a.p),
            "one test per comparison"
        );
        let with_stopwords = KeynessOptions {
            include_stopwords: true,
            ..crate::stats::Settings::default().keyness()
        };
        let rows = term_keyness(&docs, &v, with_stopwords);
        assert!(rows.iter().any(|r| r.term == "the"));
    }

    #[test]
    fn pairs_compare_every_ordered_pair() {
        let mut v = Vocab::default();
        let docs = [
            doc("A", Lang::En, 1000, &[("xenon", 10)], &[], &mut v),
            doc("B", Lang::En, 1000, &[("xenon", 5)], &[], &mut v),
            doc("C", Lang::En, 1000, &[("xenon", 5)], &[], &mut v),
        ];
        let opts = KeynessOptions {
            pairs: true,
            ..crate::stats::Settings::default().keyness()
        };
        let rows = term_keyness(&docs, &v, opts);
        let refs: Vec<(&str, &str)> = rows.iter().map(|r| (r.target, r.reference)).collect();
        assert_eq!(
            refs,
            vec![
                ("A", REST),
                ("A", "B"),
                ("A", "C"),
                ("B", REST),
                ("B", "A"),
                ("B", "C"),
                ("C", REST),
                ("C", "A"),
                ("C", "B")
            ]
        );
        let bc = rows
            .iter()
            .find(|r| r.target == "B" && r.reference == "C")
            .unwrap();
        assert_eq!(bc.g2, 0.0, "equal rates");
        assert_eq!(bc.p, 1.0);
    }
    #[test]
    fn log_odds_match_an_independent_computation() {
        let mut v = Vocab::default();
        let docs = [
            doc(
                "A",
                Lang::En,
                1000,
                &[("data", 3), ("law", 30), ("risk", 5), ("trust", 12)],
                &[],
                &mut v,
            ),
            doc(
                "B",
                Lang::En,
                1500,
                &[("data", 14), ("law", 10), ("risk", 20), ("trust", 6)],
                &[],
                &mut v,
            ),
            doc(
                "C",
                Lang::En,
                800,
                &[("data", 2), ("law", 4), ("risk", 9), ("trust", 25)],
                &[],
                &mut v,
            ),
        ];
        let opts = KeynessOptions {
            pairs: true,
            min_count: 1,
            ..crate::stats::Settings::default().keyness()
        };
        let rows = term_keyness(&docs, &v, opts);
        let row = |t: &str, r: &str, w: &str| {
            rows.iter()
                .find(|x| x.target == t && x.reference == r && x.term == w)
                .unwrap()
        };
        // tests/reference/fightin_words.py (numpy), printed to full precision.
        let want = [
            ("A", REST, "law", 0.6470980475007586, 3.2821166623655307),
            ("A", REST, "data", -0.2573033466595964, -0.8314653787767885),
            ("B", REST, "trust", -0.6400019853029812, -2.848197891230634),
            ("B", REST, "data", 0.5512331420384484, 1.6920337025410421),
            ("C", REST, "trust", 0.5525792236510254, 2.867274529489391),
            ("C", REST, "risk", 0.03723718277336996, 0.16913381946565412),
            ("A", "B", "law", 0.7032995520239629, 3.0453763926148363),
            ("A", "B", "risk", -0.371397878837179, -1.3376086886379674),
        ];
        for (t, r, w, delta, z) in want {
            let got = row(t, r, w);
            assert!(
                (got.log_odds - delta).abs() < 1e-12,
                "{t} {r} {w}: {}",
                got.log_odds
            );
            assert!(
                (got.log_odds_z - z).abs() < 1e-12,
                "{t} {r} {w}: {}",
                got.log_odds_z
            );
            assert_eq!(got.log_odds_a0, got.tokens_reference as f64);
        }
    }
}
