//! Wordfish (Slapin & Proksch 2008): documents' positions on one latent dimension,
//! estimated from their word counts, as the project's `statistics.md` defines it.
//!
//! The count of term `j` in document `i` is Poisson with
//! `log λ_ij = α_i + ψ_j + β_j ω_i`: `α` is the document's length effect, `ψ` the
//! term's frequency, `β` how strongly the term separates documents, and `ω` the
//! document's position. The estimate maximises the log-likelihood with a normal
//! prior of sd 3 on every `β_j` (it keeps the weights of terms found in few
//! documents finite; there is no prior on the others), under the identification
//! `mean(ω) = 0`, `sd(ω) = 1` (the sample sd, as R's `sd`) and `α_1 = 0`.
//!
//! It is found by alternating conditional maximisation:
//!
//! 1. start from `ψ_j = ln(mean_i y_ij)`, `α_i = ln(rowsum_i / rowsum_1)`, and the first
//!    singular vectors of `ln(y + 1) - α - ψ` for `ω` and `β`;
//! 2. for every term, the `(ψ_j, β_j)` that maximise its penalised likelihood given
//!    the documents;
//! 3. for every document, the `(α_i, ω_i)` that maximise its likelihood given the
//!    terms, less `ν ω_i² / 2`, where `ν` is the multiplier of the constraint
//!    `sd(ω) = 1` ([`scale_precision`]);
//! 4. rescale to the identification, moving the difference into `β` and `ψ` so that
//!    every `λ` is unchanged;
//!
//! and 2 to 4 again, until no parameter moves by more than [`TOLERANCE`]. Each
//! conditional maximum is found by Newton's method with step halving (they are
//! concave, so it is unique); SQUAREM extrapolation cuts the number of rounds.
//!
//! Why step 3 has `ν`: with a prior on `β` alone, the likelihood is unchanged by
//! `(cω, β/c)` while the prior rewards `c > 1`, so steps 2 to 4 without it have no
//! fixed point, and drift for thousands of rounds. quanteda's `textmodel_wordfish`
//! also puts a N(0, 1) prior on `ω` (its `priors = c(Inf, Inf, 3, 1)`), and rescales
//! `ω` without compensating `β`; govlens keeps `statistics.md`'s one prior and finds
//! the constrained maximum itself, which `tests/reference/wordfish.py` computes in
//! one go with BFGS.
//!
//! The sign of the dimension is arbitrary. It is fixed by two anchor documents
//! (the first is placed left of the second) or, without anchors, by the rule that
//! the first document in `doc_id` order lies left of the last one.
//!
//! Intervals are a parametric bootstrap: counts are drawn from Poisson(`λ̂`), the
//! model is refitted from the estimate, each replicate's sign is aligned with the
//! estimate's (by the correlation of the positions), and the 2.5% and 97.5%
//! percentiles of each parameter are reported.

use std::collections::BTreeMap;

use nalgebra::DMatrix;
use rand::SeedableRng;
use rand_distr::{Distribution, Poisson};
use rand_pcg::Pcg64;
use rayon::prelude::*;

use super::intervals::quantile;
use super::profile::{DocTerms, GroupedDoc, Vocab};
use crate::corpus::Lang;
use crate::document::textrank::is_candidate;
use crate::error::Result;

/// Standard deviation of the normal prior on the word weights `β`.
pub const PRIOR_SD: f64 = 3.0;
/// The fit has converged when no parameter changed by more than this in an
/// iteration.
pub const TOLERANCE: f64 = 1e-9;
/// Rounds at most (of steps 2 to 4) of the estimate ...
pub const MAX_ITERATIONS: usize = 5000;
/// ... and of each bootstrap replicate's refit, which starts from the estimate and
/// needs far less precision than the interval's width.
pub const REPLICATE_ITERATIONS: usize = 200;
/// Documents needed at least for a fit: two positions are fixed by the scale.
pub const MIN_DOCUMENTS: usize = 3;

/// The parameters of a fit: per document `α` and `ω`, per term `ψ` and `β`.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub alpha: Vec<f64>,
    pub omega: Vec<f64>,
    pub psi: Vec<f64>,
    pub beta: Vec<f64>,
}

/// A fitted model.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub params: Params,
    /// The Poisson log-likelihood, `Σ y ln λ - λ - ln y!` (without the prior).
    pub log_likelihood: f64,
    pub iterations: usize,
    pub converged: bool,
}

/// A documents × terms matrix of counts, by rows and by columns.
#[derive(Debug, Clone)]
pub struct Counts {
    rows: Vec<Vec<f64>>,
    cols: Vec<Vec<f64>>,
}

impl Counts {
    /// The matrix of `rows` (one per document, all of one length). Every row and
    /// every column must have a count: an empty one has no finite estimate.
    pub fn new(rows: Vec<Vec<f64>>) -> Counts {
        let n_terms = rows.first().map_or(0, Vec::len);
        let cols = (0..n_terms)
            .map(|j| rows.iter().map(|r| r[j]).collect())
            .collect();
        Counts { rows, cols }
    }

    fn n_docs(&self) -> usize {
        self.rows.len()
    }

    fn n_terms(&self) -> usize {
        self.cols.len()
    }
}

/// Fits the model to `y` from the start values of step 1.
pub fn fit(y: &Counts) -> Fit {
    fit_from(y, start(y), MAX_ITERATIONS)
}

/// The start values (step 1), rescaled as in step 4.
pub fn start(y: &Counts) -> Params {
    let (n, m) = (y.n_docs(), y.n_terms());
    let psi: Vec<f64> = y
        .cols
        .iter()
        .map(|c| (c.iter().sum::<f64>() / n as f64).ln())
        .collect();
    let first: f64 = y.rows[0].iter().sum();
    let alpha: Vec<f64> = y
        .rows
        .iter()
        .map(|r| (r.iter().sum::<f64>() / first).ln())
        .collect();
    let residual = DMatrix::from_fn(n, m, |i, j| (y.rows[i][j] + 1.0).ln() - alpha[i] - psi[j]);
    let svd = residual.svd(true, true);
    let (u, v_t) = (svd.u.expect("u computed"), svd.v_t.expect("v computed"));
    let s = svd.singular_values[0];
    let mut p = Params {
        omega: (0..n).map(|i| u[(i, 0)]).collect(),
        beta: (0..m).map(|j| s * v_t[(0, j)]).collect(),
        alpha,
        psi,
    };
    normalise(&mut p);
    p
}

/// Fits the model to `y` from `p`: steps 2 to 4 until convergence (or
/// `max_iterations` steps), accelerated by
/// SQUAREM (Varadhan & Roland 2008, scheme 3): from two steps, an extrapolation
/// along their differences, which is kept only when one more step from it does not
/// lower the penalised likelihood below the two plain steps'. The extrapolation
/// changes the path, not the fixed point. `iterations` counts steps.
pub fn fit_from(y: &Counts, p: Params, max_iterations: usize) -> Fit {
    let mut x = p;
    let mut iterations = 0;
    let mut converged = false;
    while iterations < max_iterations {
        let x1 = step(y, &x);
        iterations += 1;
        let r = x1.minus(&x);
        if r.max_abs() <= TOLERANCE {
            (x, converged) = (x1, true);
            break;
        }
        let x2 = step(y, &x1);
        let v = x2.minus(&x1).minus(&r);
        let a = -(r.norm() / v.norm());
        x = if a.is_finite() && a < -1.0 {
            let x3 = step(y, &x.plus(&r, -2.0 * a).plus(&v, a * a));
            iterations += 2;
            if penalised(y, &x3) >= penalised(y, &x2) {
                x3
            } else {
                x2
            }
        } else {
            iterations += 1;
            x2
        };
    }
    Fit {
        log_likelihood: log_likelihood(y, &x),
        params: x,
        iterations,
        converged,
    }
}

/// Steps 2 to 4 once. The words' maxima are independent of each other, and so are
/// the documents', so each is found in parallel (in order, so the result does not
/// depend on the threads).
fn step(y: &Counts, p: &Params) -> Params {
    let precision = 1.0 / (PRIOR_SD * PRIOR_SD);
    let (psi, beta): (Vec<f64>, Vec<f64>) = (0..y.n_terms())
        .into_par_iter()
        .map(|j| {
            maximise(
                &y.cols[j],
                &p.alpha,
                &p.omega,
                (p.psi[j], p.beta[j]),
                precision,
            )
        })
        .unzip();
    let nu = scale_precision(&beta, precision, y.n_docs());
    let (alpha, omega): (Vec<f64>, Vec<f64>) = (0..y.n_docs())
        .into_par_iter()
        .map(|i| maximise(&y.rows[i], &psi, &beta, (p.alpha[i], p.omega[i]), nu))
        .unzip();
    let mut next = Params {
        alpha,
        omega,
        psi,
        beta,
    };
    normalise(&mut next);
    next
}

/// The log-likelihood (without its constant `ln y!`) with the prior on `β`. (Its
/// loop is [`log_likelihood`]'s; summed apart from it, the order of the additions,
/// and so the last bits of the output, would change.)
fn penalised(y: &Counts, p: &Params) -> f64 {
    let mut f = -p.beta.iter().map(|b| b * b).sum::<f64>() / (2.0 * PRIOR_SD * PRIOR_SD);
    for (i, row) in y.rows.iter().enumerate() {
        for (j, &c) in row.iter().enumerate() {
            let eta = p.alpha[i] + p.psi[j] + p.beta[j] * p.omega[i];
            f += c * eta - eta.exp();
        }
    }
    if f.is_nan() { f64::NEG_INFINITY } else { f }
}

impl Params {
    fn parts(&self) -> [&Vec<f64>; 4] {
        [&self.alpha, &self.omega, &self.psi, &self.beta]
    }

    fn map2(&self, other: &Params, f: impl Fn(f64, f64) -> f64) -> Params {
        let [a, w, s, b] = self.parts();
        let [oa, ow, os, ob] = other.parts();
        let zip = |x: &[f64], y: &[f64]| x.iter().zip(y).map(|(&x, &y)| f(x, y)).collect();
        Params {
            alpha: zip(a, oa),
            omega: zip(w, ow),
            psi: zip(s, os),
            beta: zip(b, ob),
        }
    }

    fn minus(&self, other: &Params) -> Params {
        self.map2(other, |x, y| x - y)
    }

    /// `self + k other`.
    fn plus(&self, other: &Params, k: f64) -> Params {
        self.map2(other, |x, y| x + k * y)
    }

    fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.parts().into_iter().flatten().copied()
    }

    fn max_abs(&self) -> f64 {
        self.values().fold(0.0, |m, x| m.max(x.abs()))
    }

    fn norm(&self) -> f64 {
        self.values().map(|x| x * x).sum::<f64>().sqrt()
    }
}

/// The precision `ν` of the documents' step: the Lagrange multiplier of the
/// constraint `sd(ω) = 1`. The likelihood is unchanged by `(cω, β/c)`, so at the
/// constrained maximum `Σ ω_i ∂LL/∂ω_i = Σ β_j ∂LL/∂β_j = precision Σβ²`, and
/// `∂LL/∂ω_i = ν ω_i` with `ν = precision Σβ² / (n - 1)` (n documents): there the
/// documents' step, maximising `LL - ν Σω² / 2`, stays put.
fn scale_precision(beta: &[f64], precision: f64, n_docs: usize) -> f64 {
    precision * beta.iter().map(|b| b * b).sum::<f64>() / (n_docs as f64 - 1.0)
}

/// The `(a, b)` maximising `Σ_k y_k η_k - exp(η_k) - precision b² / 2` with
/// `η_k = offset_k + a + b x_k`, by Newton's method from `start`.
fn maximise(y: &[f64], offset: &[f64], x: &[f64], start: (f64, f64), precision: f64) -> (f64, f64) {
    let objective = |a: f64, b: f64| {
        let mut f = -precision * b * b / 2.0;
        for k in 0..y.len() {
            let eta = offset[k] + a + b * x[k];
            f += y[k] * eta - eta.exp();
        }
        f
    };
    let (mut a, mut b) = start;
    let mut f = objective(a, b);
    for _ in 0..100 {
        // Gradient and the negated Hessian (positive definite).
        let (mut ga, mut gb) = (0.0, -precision * b);
        let (mut haa, mut hab, mut hbb) = (0.0, 0.0, precision);
        for k in 0..y.len() {
            let mu = (offset[k] + a + b * x[k]).exp();
            let r = y[k] - mu;
            ga += r;
            gb += r * x[k];
            haa += mu;
            hab += mu * x[k];
            hbb += mu * x[k] * x[k];
        }
        let det = haa * hbb - hab * hab;
        if !(det > 0.0 && det.is_finite()) {
            break;
        }
        let (da, db) = ((hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det);
        let size = da.abs().max(db.abs());
        if size < 1e-6 {
            // Close to the maximum, where the objective's rounding (of sums of
            // large terms) is larger than its rise: Newton's step, unchecked.
            (a, b) = (a + da, b + db);
            if size < 1e-13 {
                break;
            }
            continue;
        }
        let mut t = 1.0;
        let mut next = objective(a + da, b + db);
        while (next.is_nan() || next < f) && t > 1e-12 {
            t /= 2.0;
            next = objective(a + t * da, b + t * db);
        }
        if next.is_nan() || next < f {
            break;
        }
        (a, b, f) = (a + t * da, b + t * db, next);
    }
    (a, b)
}

/// Step 4: `ω` to mean 0 and sample sd 1, `α_1` to 0, with `λ` unchanged.
fn normalise(p: &mut Params) {
    let n = p.omega.len() as f64;
    let mean = p.omega.iter().sum::<f64>() / n;
    let sd = (p.omega.iter().map(|w| (w - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let sd = if sd > 0.0 { sd } else { 1.0 };
    for w in &mut p.omega {
        *w = (*w - mean) / sd;
    }
    let shift = p.alpha[0];
    for (psi, beta) in p.psi.iter_mut().zip(&mut p.beta) {
        *psi += *beta * mean + shift;
        *beta *= sd;
    }
    for a in &mut p.alpha {
        *a -= shift;
    }
}

/// `Σ y ln λ - λ - ln y!` over the matrix.
pub fn log_likelihood(y: &Counts, p: &Params) -> f64 {
    let mut ll = 0.0;
    for (i, row) in y.rows.iter().enumerate() {
        for (j, &c) in row.iter().enumerate() {
            let eta = p.alpha[i] + p.psi[j] + p.beta[j] * p.omega[i];
            ll += c * eta - eta.exp() - ln_factorial(c);
        }
    }
    ll
}

/// `ln(n!)` of a count.
fn ln_factorial(n: f64) -> f64 {
    (2..=n as u64).map(|k| (k as f64).ln()).sum()
}

/// Turns the dimension round (`ω` and `β` change sign; `λ` does not change).
fn flip(p: &mut Params) {
    p.omega.iter_mut().for_each(|w| *w = -*w);
    p.beta.iter_mut().for_each(|b| *b = -*b);
}

/// Places document `low` left of document `high`.
pub fn orient(fit: &mut Fit, low: usize, high: usize) {
    if fit.params.omega[low] > fit.params.omega[high] {
        flip(&mut fit.params);
    }
}

/// 95% percentile intervals of `ω` and `β` from `resamples` parametric bootstrap
/// replicates, each with its own generator seeded from `seed` and its number (so
/// the intervals do not depend on the number of threads).
pub fn bootstrap(y: &Counts, fit: &Fit, resamples: usize, seed: u64) -> Intervals {
    let p = &fit.params;
    let replicates: Vec<Params> = (0..resamples as u64)
        .into_par_iter()
        .map(|r| {
            let mut rng = Pcg64::seed_from_u64(seed ^ r.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let rows: Vec<Vec<f64>> = (0..y.n_docs())
                .map(|i| {
                    (0..y.n_terms())
                        .map(|j| {
                            let lambda = (p.alpha[i] + p.psi[j] + p.beta[j] * p.omega[i]).exp();
                            Poisson::new(lambda).map_or(0.0, |d| d.sample(&mut rng))
                        })
                        .collect()
                })
                .collect();
            let mut again = fit_from(&Counts::new(rows), p.clone(), REPLICATE_ITERATIONS).params;
            if co_deviation(&again.omega, &p.omega) < 0.0 {
                flip(&mut again);
            }
            again
        })
        .collect();
    let interval = |values: Vec<f64>| {
        let mut v: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
        v.sort_by(f64::total_cmp);
        (!v.is_empty()).then(|| (quantile(&v, 0.025), quantile(&v, 0.975)))
    };
    Intervals {
        omega: (0..y.n_docs())
            .map(|i| interval(replicates.iter().map(|r| r.omega[i]).collect()))
            .collect(),
        beta: (0..y.n_terms())
            .map(|j| interval(replicates.iter().map(|r| r.beta[j]).collect()))
            .collect(),
    }
}

/// Bootstrap intervals (low, high) per document and term; `None` without replicates.
#[derive(Debug, Clone, PartialEq)]
pub struct Intervals {
    pub omega: Vec<Option<(f64, f64)>>,
    pub beta: Vec<Option<(f64, f64)>>,
}

/// `Σ (a - ā)(b - b̄)`: it has the sign of the correlation of `a` and `b`.
fn co_deviation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum()
}

/// What the run asks of Wordfish (`[stats]` settings).
#[derive(Debug, Clone, PartialEq)]
pub struct Options<'a> {
    pub lang: Lang,
    /// The most frequent terms fitted.
    pub terms: usize,
    pub bootstrap: usize,
    pub seed: u64,
    /// doc_ids of the documents placed left and right; `None`: the rule.
    pub anchors: Option<(&'a str, &'a str)>,
}

/// One row of `wordfish.parquet`.
#[derive(Debug, Clone, PartialEq)]
pub struct WordfishRow {
    /// `document` or `word`.
    pub kind: &'static str,
    /// A document's index among the profiles, or a term's vocabulary id.
    pub id: u32,
    /// `ω` of a document, `β` of a word.
    pub estimate: f64,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// `α` of a document, `ψ` of a word.
    pub intercept: f64,
    /// The document's tokens of the fitted terms, or the word's count.
    pub count: u64,
}

/// The fit to the documents of `opts.lang` and the direction it was given (`None`
/// when there are fewer than [`MIN_DOCUMENTS`] documents with a fitted term).
pub struct Fitted {
    pub lang: Lang,
    pub rows: Vec<WordfishRow>,
    pub log_likelihood: f64,
    pub iterations: usize,
    pub converged: bool,
    pub direction: String,
}

/// Wordfish on the documents of one language, over its `opts.terms` most frequent
/// terms that can be keywords (no stopwords, numbers or one-letter words) and are
/// found in at least two documents (ties by term). Documents without any of those
/// terms have no position. When an anchor is not among the fitted documents, the
/// rule fixes the direction, and `direction` says so.
pub fn wordfish(
    docs: &[GroupedDoc],
    terms: &dyn DocTerms,
    vocab: &Vocab,
    opts: &Options<'_>,
) -> Result<Option<Fitted>> {
    let chosen = frequent_terms(docs, terms, vocab, opts)?;
    let (fitted_docs, rows) = matrix(docs, terms, opts.lang, &chosen)?;
    if fitted_docs.len() < MIN_DOCUMENTS || chosen.len() < 2 {
        return Ok(None);
    }
    let position = |doc_id: &str| fitted_docs.iter().position(|&i| docs[i].doc_id == doc_id);
    let (first, last) = (fitted_docs[0], fitted_docs[fitted_docs.len() - 1]);
    let rule = format!(
        "rule: the first document ({}) left of the last ({})",
        docs[first].doc_id, docs[last].doc_id
    );
    let (low, high, direction) = match opts.anchors {
        None => (0, fitted_docs.len() - 1, rule),
        Some((a, b)) => match (position(a), position(b)) {
            (Some(low), Some(high)) => (low, high, format!("anchors: {a} left of {b}")),
            // Only where the documents are a part of the corpus (a shard) or an
            // anchor has none of the fitted terms: the run checked the corpus has them.
            _ => (
                0,
                fitted_docs.len() - 1,
                format!("{rule} (the anchors {a} and {b} are not both among the fitted documents)"),
            ),
        },
    };
    let y = Counts::new(rows);
    let mut est = fit(&y);
    orient(&mut est, low, high);
    let ci = bootstrap(&y, &est, opts.bootstrap, opts.seed);
    let p = &est.params;
    let row = |kind, id, estimate, ci: Option<(f64, f64)>, intercept, count| WordfishRow {
        kind,
        id,
        estimate,
        ci_low: ci.map(|c| c.0),
        ci_high: ci.map(|c| c.1),
        intercept,
        count,
    };
    let mut out = Vec::with_capacity(fitted_docs.len() + chosen.len());
    for (k, &i) in fitted_docs.iter().enumerate() {
        let n = y.rows[k].iter().sum::<f64>() as u64;
        out.push(row(
            "document",
            i as u32,
            p.omega[k],
            ci.omega[k],
            p.alpha[k],
            n,
        ));
    }
    for (j, &(t, n)) in chosen.iter().enumerate() {
        out.push(row("word", t, p.beta[j], ci.beta[j], p.psi[j], n));
    }
    Ok(Some(Fitted {
        lang: opts.lang,
        rows: out,
        log_likelihood: est.log_likelihood,
        iterations: est.iterations,
        converged: est.converged,
        direction,
    }))
}

/// The `opts.terms` most frequent candidate terms of the language found in at
/// least two of its documents, with their counts, most frequent first (ties by term).
fn frequent_terms(
    docs: &[GroupedDoc],
    terms: &dyn DocTerms,
    vocab: &Vocab,
    opts: &Options<'_>,
) -> Result<Vec<(u32, u64)>> {
    // (count, documents) of each candidate term.
    let mut totals: BTreeMap<u32, (u64, u64)> = BTreeMap::new();
    terms.each(&mut |i, counts, _| {
        if docs[i].lang == opts.lang {
            for &(t, c) in counts {
                if is_candidate(vocab.term(t)) {
                    let e = totals.entry(t).or_default();
                    (e.0, e.1) = (e.0 + u64::from(c), e.1 + 1);
                }
            }
        }
        Ok(())
    })?;
    let mut chosen: Vec<(u32, u64)> = totals
        .into_iter()
        .filter(|(_, (_, df))| *df >= 2)
        .map(|(t, (n, _))| (t, n))
        .collect();
    chosen.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| vocab.term(a.0).cmp(vocab.term(b.0)))
    });
    chosen.truncate(opts.terms);
    Ok(chosen)
}

/// The documents of `lang` with a count of a `chosen` term (their indices), and
/// their rows of counts over the chosen terms.
fn matrix(
    docs: &[GroupedDoc],
    terms: &dyn DocTerms,
    lang: Lang,
    chosen: &[(u32, u64)],
) -> Result<(Vec<usize>, Vec<Vec<f64>>)> {
    let column: BTreeMap<u32, usize> = chosen
        .iter()
        .enumerate()
        .map(|(j, &(t, _))| (t, j))
        .collect();
    let (mut fitted, mut rows) = (Vec::new(), Vec::new());
    // The matrix is dense: its size is the product, bounded before it is built.
    let documents = docs.iter().filter(|d| d.lang == lang).count() as u64;
    let cells = documents.saturating_mul(chosen.len() as u64);
    if cells > crate::limits::WORDFISH_CELLS {
        return Err(crate::error::Error::Invalid(format!(
            "wordfish: {documents} documents x {} terms is {cells} cells, above the limit of \
             {}; lower [stats] wordfish_terms",
            chosen.len(),
            crate::limits::WORDFISH_CELLS
        )));
    }
    terms.each(&mut |i, counts, _| {
        if docs[i].lang == lang {
            let mut row = vec![0.0; chosen.len()];
            for &(t, c) in counts {
                if let Some(&j) = column.get(&t) {
                    row[j] = f64::from(c);
                }
            }
            if row.iter().any(|&c| c > 0.0) {
                fitted.push(i);
                rows.push(row);
            }
        }
        Ok(())
    })?;
    Ok((fitted, rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::profile::{InProfiles, tests::doc};

    /// tests/reference/wordfish.py: simulated (numpy seed 7), 8 documents × 12 words.
    const Y: [[f64; 12]; 8] = [
        [4., 1., 10., 27., 4., 18., 1., 0., 2., 20., 1., 6.],
        [4., 3., 3., 15., 2., 9., 2., 2., 1., 5., 2., 2.],
        [1., 1., 2., 12., 1., 7., 0., 0., 0., 3., 1., 2.],
        [5., 4., 5., 1., 1., 2., 1., 1., 2., 5., 3., 2.],
        [7., 3., 5., 4., 2., 3., 1., 2., 2., 2., 2., 5.],
        [2., 5., 4., 5., 2., 2., 1., 10., 3., 2., 5., 10.],
        [2., 2., 3., 1., 1., 0., 1., 7., 0., 0., 1., 5.],
        [5., 3., 3., 1., 1., 1., 1., 8., 0., 5., 5., 10.],
    ];

    fn counts(rows: &[[f64; 12]]) -> Counts {
        Counts::new(rows.iter().map(|r| r.to_vec()).collect())
    }

    fn close(got: &[f64], want: &[f64], tol: f64) {
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < tol, "{got:?}\nagainst\n{want:?}");
        }
    }

    #[test]
    fn matches_the_reference_optimum() {
        let mut f = fit(&counts(&Y));
        orient(&mut f, 0, 7);
        assert!(f.converged, "{f:?}");
        // tests/reference/wordfish.py (BFGS on the constrained posterior).
        assert!(
            (f.log_likelihood - -154.5540064405836).abs() < 1e-8,
            "{f:?}"
        );
        let p = &f.params;
        #[rustfmt::skip]
        close(&p.omega, &[-1.1997694683432691, -0.717100528422324, -1.392197370705311,
            0.17192879631482122, 0.17736439731215772, 0.794793954968312, 1.2719918120914562,
            0.8929884067841568], 1e-6);
        #[rustfmt::skip]
        close(&p.alpha, &[0.0, -0.3540464799152448, -1.275651875723074, -0.5619703534040043,
            -0.38990378958022603, -0.17788040228792526, -1.1877740138455914,
            -0.3815927753663597], 1e-6);
        #[rustfmt::skip]
        close(&p.beta, &[0.12488037292400753, 0.40805252869881425, -0.14666128928443042,
            -1.1012693007707564, -0.24796836387810417, -1.1398951193584026, 0.16209690223477727,
            1.6027309399961245, 0.04878169404742237, -0.7180844944198314, 0.5160878816472938,
            0.49124826800397486], 1e-6);
        #[rustfmt::skip]
        close(&p.psi, &[1.7804030138507019, 1.4257220914944768, 1.920805637399636,
            2.0738840029005576, 0.9845560009952814, 1.590694786274795, 0.4561090034706795,
            1.0749332700578285, 0.6837122809393323, 1.8884048353431304, 1.2989993290596848,
            2.048815592972331], 1e-6);
    }

    #[test]
    #[allow(clippy::needless_range_loop)] // indices of a matrix, as the maths writes them
    fn the_fit_is_the_constrained_maximum() {
        let y = counts(&Y);
        let f = fit(&y);
        let p = &f.params;
        let n = p.omega.len() as f64;
        let mean = p.omega.iter().sum::<f64>() / n;
        let var = p.omega.iter().map(|w| (w - mean).powi(2)).sum::<f64>() / (n - 1.0);
        assert!(mean.abs() < 1e-12 && (var - 1.0).abs() < 1e-12 && p.alpha[0] == 0.0);
        // Every word at its conditional maximum (prior included); every document's
        // alpha at its maximum and omega where the constraint's multiplier holds it.
        let precision = 1.0 / (PRIOR_SD * PRIOR_SD);
        let nu = scale_precision(&p.beta, precision, y.n_docs());
        let lambda = |i: usize, j: usize| (p.alpha[i] + p.psi[j] + p.beta[j] * p.omega[i]).exp();
        for j in 0..y.n_terms() {
            let r: Vec<f64> = (0..y.n_docs()).map(|i| Y[i][j] - lambda(i, j)).collect();
            let g_beta: f64 = (0..y.n_docs()).map(|i| r[i] * p.omega[i]).sum::<f64>();
            assert!(r.iter().sum::<f64>().abs() < 1e-7);
            assert!((g_beta - precision * p.beta[j]).abs() < 1e-7);
        }
        for i in 0..y.n_docs() {
            let r: Vec<f64> = (0..y.n_terms()).map(|j| Y[i][j] - lambda(i, j)).collect();
            let g_omega: f64 = (0..y.n_terms()).map(|j| r[j] * p.beta[j]).sum::<f64>();
            assert!(r.iter().sum::<f64>().abs() < 1e-7);
            assert!((g_omega - nu * p.omega[i]).abs() < 1e-7);
        }
    }

    #[test]
    fn recovers_simulated_positions() {
        // 30 documents at evenly spread positions, 300 words with random weights.
        let mut rng = Pcg64::seed_from_u64(11);
        let (n, m) = (30, 300);
        let truth: Vec<f64> = (0..n)
            .map(|i| -1.5 + 3.0 * i as f64 / (n - 1) as f64)
            .collect();
        let unit = rand_distr::Normal::new(0.0, 1.0).unwrap();
        let beta: Vec<f64> = (0..m).map(|_| 0.6 * unit.sample(&mut rng)).collect();
        let psi: Vec<f64> = (0..m).map(|_| 1.0 + 0.8 * unit.sample(&mut rng)).collect();
        let rows: Vec<Vec<f64>> = (0..n)
            .map(|i| {
                (0..m)
                    .map(|j| {
                        let lambda = (psi[j] + beta[j] * truth[i]).exp();
                        Poisson::new(lambda).unwrap().sample(&mut rng)
                    })
                    .collect()
            })
            .collect();
        let mut f = fit(&Counts::new(rows));
        orient(&mut f, 0, n - 1);
        assert!(f.converged);
        let w = &f.params.omega;
        let r =
            co_deviation(w, &truth) / (co_deviation(&truth, &truth) * co_deviation(w, w)).sqrt();
        assert!(r > 0.99, "correlation with the true positions {r}");
    }

    #[test]
    fn bootstrap_intervals_are_reproducible_whatever_the_threads() {
        let y = counts(&Y);
        let f = fit(&y);
        let with = |threads| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| bootstrap(&y, &f, 40, 5))
        };
        let one = with(1);
        assert_eq!(one, with(2));
        assert_ne!(one, bootstrap(&y, &f, 40, 6));
        let inside = one
            .omega
            .iter()
            .zip(&f.params.omega)
            .filter(|(ci, w)| ci.is_some_and(|(lo, hi)| lo <= **w && **w <= hi))
            .count();
        assert!(inside >= 7, "{one:?}");
        assert!(bootstrap(&y, &f, 0, 5).omega.iter().all(Option::is_none));
    }

    #[test]
    fn fits_the_frequent_terms_of_one_language_in_two_documents() {
        let mut v = Vocab::default();
        let mut docs: Vec<GroupedDoc> = (0..4)
            .map(|i| {
                let k = i as u32;
                let terms = [
                    ("market", 1 + 3 * k),
                    ("rights", 10 - 2 * k),
                    ("the", 50),
                    ("security", 2 + k),
                    ("unique", if i == 0 { 9 } else { 0 }),
                ];
                let present: Vec<(&str, u32)> = terms.into_iter().filter(|t| t.1 > 0).collect();
                doc(&format!("d{i}"), Lang::En, 100, &present, &[], &mut v)
            })
            .collect();
        docs.push(doc("zh", Lang::Zh, 9, &[("法治", 9)], &[], &mut v));
        let ids: Vec<String> = docs.iter().map(|d| d.doc_id.clone()).collect();
        let opts = |anchors| Options {
            lang: Lang::En,
            terms: 10,
            bootstrap: 0,
            seed: 1,
            anchors,
        };
        let f = wordfish(&docs, &InProfiles(&docs), &v, &opts(None))
            .unwrap()
            .unwrap();
        let words: Vec<&str> = f
            .rows
            .iter()
            .filter(|r| r.kind == "word")
            .map(|r| v.term(r.id))
            .collect();
        // By count, without the stopword or the term of one document.
        assert_eq!(words, ["rights", "market", "security"]);
        let omega: Vec<f64> = f
            .rows
            .iter()
            .filter(|r| r.kind == "document")
            .map(|r| r.estimate)
            .collect();
        assert_eq!(omega.len(), 4);
        assert!(omega[0] < omega[3], "{omega:?}");
        assert!(f.direction.contains("rule"));
        let flipped = wordfish(
            &docs,
            &InProfiles(&docs),
            &v,
            &opts(Some((&ids[3], &ids[0]))),
        )
        .unwrap()
        .unwrap();
        let first = flipped.rows.iter().find(|r| r.kind == "document").unwrap();
        assert!((first.estimate + omega[0]).abs() < 1e-12);
        assert!(
            flipped
                .direction
                .contains(&format!("{} left of {}", ids[3], ids[0]))
        );
        // The Chinese document is not among the English ones fitted: the rule.
        let other = wordfish(
            &docs,
            &InProfiles(&docs),
            &v,
            &opts(Some((&ids[4], &ids[0]))),
        );
        let other = other.unwrap().unwrap();
        assert!(other.direction.starts_with("rule") && other.direction.contains("not both"));
        assert_eq!(other.rows, f.rows);
        docs.truncate(2);
        assert!(
            wordfish(&docs, &InProfiles(&docs), &v, &opts(None))
                .unwrap()
                .is_none()
        );
    }
}
