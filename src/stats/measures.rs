//! The measures of `../shared/docs/statistics.md`, as plain functions on counts.
//!
//! Notation for a term compared between a target T and a reference R: `a` and `b`
//! its counts, `n1` and `n2` the token totals; `c = n1 - a`, `d = n2 - b`,
//! `N = n1 + n2`. Each function is pinned in the tests against values computed
//! independently (scipy), including zero counts and equal rates.

/// Log-likelihood G2, 4-cell form (Dunning 1993), signed: positive when the term
/// is relatively more frequent in the target. 0 ln 0 = 0.
pub fn g2(a: f64, b: f64, n1: f64, n2: f64) -> f64 {
    let n = n1 + n2;
    if n1 <= 0.0 || n2 <= 0.0 || a + b <= 0.0 {
        return 0.0;
    }
    let e1 = n1 * (a + b) / n;
    let e2 = n2 * (a + b) / n;
    let cells = [(a, e1), (b, e2), (n1 - a, n1 - e1), (n2 - b, n2 - e2)];
    let g: f64 = 2.0
        * cells
            .iter()
            .map(|&(o, e)| {
                if o > 0.0 && e > 0.0 {
                    o * (o / e).ln()
                } else {
                    0.0
                }
            })
            .sum::<f64>();
    let g = g.max(0.0);
    if a / n1 >= b / n2 { g } else { -g }
}

/// P-value of a chi-square statistic with one degree of freedom: P(X >= |x|).
pub fn p_chi2_1df(x: f64) -> f64 {
    libm::erfc((x.abs() / 2.0).sqrt()).clamp(0.0, 1.0)
}

/// Pearson chi-square on the 2x2 table, optionally with Yates' continuity
/// correction; unsigned.
pub fn chi2(a: f64, b: f64, n1: f64, n2: f64, yates: bool) -> f64 {
    let (c, d) = (n1 - a, n2 - b);
    let n = n1 + n2;
    let rows = (a + b) * (c + d);
    let denom = rows * n1 * n2;
    if denom <= 0.0 {
        return 0.0;
    }
    let mut diff = (a * d - b * c).abs();
    if yates {
        diff = (diff - n / 2.0).max(0.0);
    }
    n * diff * diff / denom
}

/// Log Ratio (Hardie 2014): log2 of the ratio of relative frequencies, a zero
/// count replaced by 0.5. +1 means twice as frequent in the target.
pub fn log_ratio(a: f64, b: f64, n1: f64, n2: f64) -> f64 {
    let a = if a == 0.0 { 0.5 } else { a };
    let b = if b == 0.0 { 0.5 } else { b };
    ((a / n1) / (b / n2)).log2()
}

/// The prior of [`log_odds`]: its size `a0` and the corpus the word's share of it
/// comes from (the word's count `f` among `n` tokens).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prior {
    pub a0: f64,
    pub f: f64,
    pub n: f64,
}

/// Fightin' Words (Monroe, Colaresi & Quinn 2008): the log-odds ratio of a word in
/// the target (`a` of `n1`) against the reference (`b` of `n2`), smoothed by an
/// informative Dirichlet prior, `a_w = a0 * f / n`; and its z-score, the ratio over
/// its approximate standard deviation `sqrt(1/(a + a_w) + 1/(b + a_w))`.
pub fn log_odds(a: f64, b: f64, n1: f64, n2: f64, prior: Prior) -> (f64, f64) {
    let aw = prior.a0 * prior.f / prior.n;
    let odds = |y: f64, n: f64| ((y + aw) / (n + prior.a0 - y - aw)).ln();
    let delta = odds(a, n1) - odds(b, n2);
    let sd = (1.0 / (a + aw) + 1.0 / (b + aw)).sqrt();
    (delta, delta / sd)
}

/// %DIFF (Gabrielatos & Marchi 2012) on frequencies per 10,000 tokens; `None`
/// when the term is absent from the reference (the ratio is infinite).
pub fn pct_diff(a: f64, b: f64, n1: f64, n2: f64) -> Option<f64> {
    let nf1 = a / n1 * 1e4;
    let nf2 = b / n2 * 1e4;
    (nf2 > 0.0).then(|| 100.0 * (nf1 - nf2) / nf2)
}

/// BIC approximation (Wilson 2013) from an unsigned G2, one degree of freedom.
pub fn bic(g2_unsigned: f64, n: f64) -> f64 {
    g2_unsigned - n.ln()
}

/// Bonferroni-adjusted p-values.
pub fn bonferroni(p: &[f64]) -> Vec<f64> {
    let m = p.len() as f64;
    p.iter().map(|&x| (x * m).min(1.0)).collect()
}

/// Benjamini-Hochberg adjusted p-values (the step-up false discovery rate).
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&i, &j| p[j].total_cmp(&p[i]));
    let mut adjusted = vec![0.0; m];
    let mut running = 1.0f64;
    for (k, &i) in order.iter().enumerate() {
        let rank = (m - k) as f64;
        running = running.min(p[i] * m as f64 / rank);
        adjusted[i] = running.min(1.0);
    }
    adjusted
}

/// Dispersion of a term over the parts (documents) of a corpus.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dispersion {
    /// Parts containing the term.
    pub range: u64,
    /// Gries' DP: 0 = spread exactly as the parts' sizes, towards 1 = in one part.
    pub dp: Option<f64>,
    /// DP divided by its maximum, 1 - min s_i.
    pub dp_norm: Option<f64>,
    /// Juilland's D (population standard deviation): 1 = even, 0 = concentrated.
    pub juilland_d: Option<f64>,
    /// Juilland's U = f * D: a frequency discounted by uneven spread.
    pub juilland_u: Option<f64>,
}

impl Dispersion {
    /// Only the range: with fewer than two parts, or no occurrence, nothing can be
    /// spread and the other measures are undefined.
    fn range_only(range: u64) -> Dispersion {
        Dispersion {
            range,
            dp: None,
            dp_norm: None,
            juilland_d: None,
            juilland_u: None,
        }
    }
}

/// Dispersion of a term with counts `v[i]` in parts of `sizes[i]` tokens. Parts
/// without tokens are left out. Undefined measures (a term that never occurs, a
/// single part, where nothing can be spread) are `None`.
pub fn dispersion(v: &[f64], sizes: &[f64]) -> Dispersion {
    // The parts with tokens, as (count, size); called once per term and group, so
    // the sums below walk them without collecting.
    let parts = || {
        v.iter()
            .zip(sizes)
            .filter(|(_, s)| **s > 0.0)
            .map(|(&vi, &si)| (vi, si))
    };
    let n = parts().count();
    let f: f64 = parts().map(|(vi, _)| vi).sum();
    let total: f64 = parts().map(|(_, si)| si).sum();
    let range = parts().filter(|&(vi, _)| vi > 0.0).count() as u64;
    if n < 2 || f <= 0.0 || total <= 0.0 {
        return Dispersion::range_only(range);
    }
    let dp = 0.5
        * parts()
            .map(|(vi, si)| (vi / f - si / total).abs())
            .sum::<f64>();
    let min_s = parts()
        .map(|(_, si)| si / total)
        .fold(f64::INFINITY, f64::min);
    let dp_norm = (min_s < 1.0).then(|| dp / (1.0 - min_s));
    let juilland_d = Some({
        let mean = parts().map(|(vi, si)| vi / si).sum::<f64>() / n as f64;
        let var = parts()
            .map(|(vi, si)| (vi / si - mean).powi(2))
            .sum::<f64>()
            / n as f64;
        1.0 - (var.sqrt() / mean) / ((n - 1) as f64).sqrt()
    });
    Dispersion {
        range,
        dp: Some(dp),
        dp_norm,
        juilland_d,
        juilland_u: juilland_d.map(|d| f * d),
    }
}

/// The parts (documents) of a group, ready for the dispersion of many terms:
/// what does not depend on the term (sizes, proportions, the smallest) is worked
/// out once, and each term's dispersion is computed from the parts it occurs in
/// (the others contribute in closed form), not by walking every part.
#[derive(Debug, Clone)]
pub struct Parts {
    /// Size of each document; documents without tokens are not parts.
    sizes: Vec<f64>,
    n: usize,
    total: f64,
    min_s: f64,
}

impl Parts {
    pub fn new(sizes: &[f64]) -> Parts {
        let kept = || sizes.iter().copied().filter(|&s| s > 0.0);
        let total: f64 = kept().sum();
        Parts {
            sizes: sizes.to_vec(),
            n: kept().count(),
            total,
            min_s: kept().map(|s| s / total).fold(f64::INFINITY, f64::min),
        }
    }

    /// [`dispersion`] of a term with counts `occurrences` (document index, count;
    /// each document at most once, any order); documents not listed have none.
    pub fn dispersion(
        &self,
        occurrences: impl Iterator<Item = (usize, f64)> + Clone,
    ) -> Dispersion {
        let mut s = Spread::default();
        for (i, v) in occurrences.clone() {
            self.first_pass(&mut s, i, v);
        }
        for (i, v) in occurrences {
            self.second_pass(&mut s, i, v);
        }
        self.finish(&s)
    }

    /// Adds the term's count `v` in part `i` to the sums of the first pass over
    /// its occurrences (which the second pass needs: its total and mean).
    pub fn first_pass(&self, s: &mut Spread, i: usize, v: f64) {
        let size = self.sizes[i];
        if size > 0.0 && v > 0.0 {
            s.f += v;
            s.range += 1;
            s.s_with += size / self.total;
            s.sum_x += v / size;
        }
    }

    /// Adds the count `v` in part `i` to the sums of the second pass, once the
    /// first has seen every occurrence.
    pub fn second_pass(&self, s: &mut Spread, i: usize, v: f64) {
        let size = self.sizes[i];
        if size > 0.0 && v > 0.0 {
            s.dp_sum += (v / s.f - size / self.total).abs();
            let mean = s.sum_x / self.n as f64;
            s.var_sum += (v / size - mean).powi(2);
        }
    }

    /// The dispersion of a term from its two passes' sums. Parts without the term
    /// contribute in closed form: each adds |0 - s_i| = s_i to DP (together 1 - the
    /// s_i of the parts with it) and mean² to the variance.
    pub fn finish(&self, s: &Spread) -> Dispersion {
        let (n, f, range) = (self.n, s.f, s.range);
        if n < 2 || f <= 0.0 || self.total <= 0.0 {
            return Dispersion::range_only(range);
        }
        let dp = 0.5 * (s.dp_sum + (1.0 - s.s_with).max(0.0));
        let dp_norm = (self.min_s < 1.0).then(|| dp / (1.0 - self.min_s));
        let mean = s.sum_x / n as f64;
        let var = (s.var_sum + (n - range as usize) as f64 * mean * mean) / n as f64;
        let juilland_d = Some(1.0 - (var.sqrt() / mean) / ((n - 1) as f64).sqrt());
        Dispersion {
            range,
            dp: Some(dp),
            dp_norm,
            juilland_d,
            juilland_u: juilland_d.map(|d| f * d),
        }
    }
}

/// The sums [`Parts::finish`] makes a term's dispersion of, gathered in two passes
/// over the documents where it occurs (so a corpus can be streamed, not held).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Spread {
    f: f64,
    range: u64,
    s_with: f64,
    sum_x: f64,
    dp_sum: f64,
    var_sum: f64,
}

/// Jensen-Shannon divergence, base 2 (in [0, 1]), between two count vectors over
/// the same categories; `None` when either is all zeros.
pub fn jensen_shannon(p: &[f64], q: &[f64]) -> Option<f64> {
    let (sp, sq): (f64, f64) = (p.iter().sum(), q.iter().sum());
    if sp <= 0.0 || sq <= 0.0 {
        return None;
    }
    let kl = |x: &[f64], sx: f64| -> f64 {
        x.iter()
            .zip(p.iter().zip(q))
            .map(|(&xi, (&pi, &qi))| {
                let xi = xi / sx;
                let m = 0.5 * (pi / sp + qi / sq);
                if xi > 0.0 { xi * (xi / m).log2() } else { 0.0 }
            })
            .sum()
    };
    Some((0.5 * kl(p, sp) + 0.5 * kl(q, sq)).clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    /// (a, b, n1, n2, G2, p, chi2, chi2 with Yates), G2/p/chi2 from scipy
    /// (`chi2_contingency(..., lambda_="log-likelihood")`, `chi2.sf`).
    type Case = (f64, f64, f64, f64, f64, f64, f64, f64);
    const CASES: &[Case] = &[
        (
            100.0,
            50.0,
            10000.0,
            20000.0,
            69.691919319328,
            6.932954906177781e-17,
            75.376884422111,
            73.876884422111,
        ),
        (
            0.0,
            10.0,
            1000.0,
            5000.0,
            3.649768548912,
            5.607_700_378_361_66e-2,
            2.003338898164,
            0.981636060100,
        ),
        (10.0, 20.0, 1000.0, 2000.0, 0.0, 1.0, 0.0, 0.0),
        (
            5.0,
            0.0,
            300.0,
            700.0,
            12.098486465447,
            5.046276843074947e-04,
            11.725293132328,
            8.614501076813,
        ),
        (1.0, 1.0, 2.0, 2.0, 0.0, 1.0, 0.0, 0.0),
    ];

    #[test]
    fn keyness_statistics_match_scipy() {
        for &(a, b, n1, n2, g, p, c, y) in CASES {
            let name = format!("a={a} b={b} n1={n1} n2={n2}");
            assert!(
                close(g2(a, b, n1, n2).abs(), g, 1e-9),
                "{name}: g2 {}",
                g2(a, b, n1, n2)
            );
            assert!(close(p_chi2_1df(g), p, 1e-9), "{name}: p {}", p_chi2_1df(g));
            assert!(close(chi2(a, b, n1, n2, false), c, 1e-9), "{name}: chi2");
            assert!(close(chi2(a, b, n1, n2, true), y, 1e-9), "{name}: yates");
        }
    }

    #[test]
    fn g2_is_signed_by_direction() {
        assert!(g2(100.0, 50.0, 10000.0, 20000.0) > 0.0);
        assert!(
            g2(0.0, 10.0, 1000.0, 5000.0) < 0.0,
            "absent in target: negative"
        );
        assert_eq!(g2(0.0, 0.0, 10.0, 10.0), 0.0);
    }

    #[test]
    fn effect_sizes_by_hand() {
        // 100 per 10,000 against 25 per 10,000: four times as frequent.
        assert!(close(log_ratio(100.0, 50.0, 10000.0, 20000.0), 2.0, 1e-12));
        assert!(close(
            pct_diff(100.0, 50.0, 10000.0, 20000.0).unwrap(),
            300.0,
            1e-12
        ));
        assert_eq!(pct_diff(3.0, 0.0, 100.0, 100.0), None);
        // A zero count counts as 0.5: log2((5/300) / (0.5/700)).
        assert!(close(
            log_ratio(5.0, 0.0, 300.0, 700.0),
            (5.0f64 / 300.0 / (0.5 / 700.0)).log2(),
            1e-12
        ));
        assert!(close(
            bic(69.691919319328, 30000.0),
            69.691919319328 - 30000f64.ln(),
            1e-12
        ));
    }

    #[test]
    fn adjusted_p_values_match_scipy() {
        let p = [0.01, 0.04, 0.03, 0.5, 0.001];
        // scipy.stats.false_discovery_control(p)
        let bh = [0.025, 0.05, 0.05, 0.5, 0.005];
        for (got, want) in benjamini_hochberg(&p).iter().zip(bh) {
            assert!(close(*got, want, 1e-12), "{got} {want}");
        }
        assert_eq!(bonferroni(&p), vec![0.05, 0.2, 0.15, 1.0, 0.005]);
    }

    #[test]
    fn dispersion_by_hand() {
        // numpy: v = [5, 0, 1], sizes = [1000, 3000, 500]
        let d = dispersion(&[5.0, 0.0, 1.0], &[1000.0, 3000.0, 500.0]);
        assert_eq!(d.range, 2);
        assert!(close(d.dp.unwrap(), 0.666666666667, 1e-9));
        assert!(close(d.dp_norm.unwrap(), 0.75, 1e-9));
        assert!(close(d.juilland_d.unwrap(), 0.377300150923, 1e-9));
        assert!(close(d.juilland_u.unwrap(), 6.0 * 0.377300150923, 1e-9));
        // A part without tokens is not a part.
        assert_eq!(
            dispersion(&[5.0, 0.0, 1.0, 0.0], &[1000.0, 3000.0, 500.0, 0.0]),
            d
        );
        assert!(close(d.juilland_u.unwrap(), 6.0 * 0.377300150923, 1e-9));
        // A part without tokens is not a part.
        assert_eq!(
            dispersion(&[5.0, 0.0, 1.0, 0.0], &[1000.0, 3000.0, 500.0, 0.0]),
            d
        );
        // Spread exactly as the parts: DP 0, D 1.
        let even = dispersion(&[1.0, 3.0], &[100.0, 300.0]);
        assert!(close(even.dp.unwrap(), 0.0, 1e-12) && close(even.juilland_d.unwrap(), 1.0, 1e-12));
        // One part: nothing can be spread, every measure is undefined.
        let one = dispersion(&[4.0], &[100.0]);
        assert_eq!(
            (one.range, one.dp, one.dp_norm, one.juilland_d),
            (1, None, None, None)
        );
        assert_eq!(dispersion(&[0.0, 0.0], &[5.0, 5.0]).dp, None);
    }

    #[test]
    fn jensen_shannon_matches_scipy() {
        // scipy.spatial.distance.jensenshannon(p, q, base=2) ** 2
        let got = jensen_shannon(&[1.0, 2.0, 3.0, 0.0], &[0.0, 2.0, 3.0, 5.0]).unwrap();
        assert!(close(got, 0.363710664717, 1e-9), "{got}");
        assert!(close(
            jensen_shannon(&[1.0, 2.0], &[2.0, 4.0]).unwrap(),
            0.0,
            1e-12
        ));
        assert!(close(
            jensen_shannon(&[1.0, 0.0], &[0.0, 1.0]).unwrap(),
            1.0,
            1e-12
        ));
        assert_eq!(jensen_shannon(&[0.0], &[1.0]), None);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn g2_p_and_log_ratio_behave(
            a in 0u32..5_000, b in 0u32..5_000, extra1 in 1u32..50_000, extra2 in 1u32..50_000,
        ) {
            let (a, b) = (f64::from(a), f64::from(b));
            let (n1, n2) = (a + f64::from(extra1), b + f64::from(extra2));
            let g = g2(a, b, n1, n2);
            let p = p_chi2_1df(g);
            prop_assert!((0.0..=1.0).contains(&p));
            // Swapping target and reference flips the signs.
            prop_assert!((g + g2(b, a, n2, n1)).abs() < 1e-6 * g.abs().max(1.0));
            prop_assert!((log_ratio(a, b, n1, n2) + log_ratio(b, a, n2, n1)).abs() < 1e-9);
            // The sign follows the relative frequencies.
            if a / n1 > b / n2 { prop_assert!(g >= 0.0) } else if a / n1 < b / n2 { prop_assert!(g <= 0.0) }
        }

        #[test]
        fn g2_is_zero_for_equal_rates_and_grows_with_the_difference(
            rate in 1u32..100, n in 1_000u32..100_000, k in 2u32..5,
        ) {
            let n1 = f64::from(n);
            let n2 = n1 * f64::from(k);
            let a = f64::from(rate);
            prop_assert!(g2(a, a * f64::from(k), n1, n2).abs() < 1e-6);
            let more = g2(a * 2.0, a * f64::from(k), n1, n2);
            let most = g2(a * 3.0, a * f64::from(k), n1, n2);
            prop_assert!(0.0 < more && more < most);
        }
    }

    #[test]
    fn sparse_dispersion_agrees_with_the_definition() {
        let sizes = [100.0, 0.0, 250.0, 40.0, 610.0, 5.0];
        let parts = Parts::new(&sizes);
        let cases: [&[f64]; 5] = [
            &[3.0, 0.0, 0.0, 1.0, 9.0, 0.0],
            &[0.0, 0.0, 7.0, 0.0, 0.0, 0.0],
            &[1.0, 4.0, 1.0, 1.0, 1.0, 1.0],
            &[0.0; 6],
            &[10.0, 0.0, 25.0, 4.0, 61.0, 0.5],
        ];
        for v in cases {
            let dense = dispersion(v, &sizes);
            let sparse = parts.dispersion(
                v.iter()
                    .enumerate()
                    .filter(|(_, x)| **x > 0.0)
                    .map(|(i, x)| (i, *x)),
            );
            assert_eq!(dense.range, sparse.range, "{v:?}");
            for (a, b) in [
                (dense.dp, sparse.dp),
                (dense.dp_norm, sparse.dp_norm),
                (dense.juilland_d, sparse.juilland_d),
                (dense.juilland_u, sparse.juilland_u),
            ] {
                match (a, b) {
                    (Some(a), Some(b)) => assert!((a - b).abs() < 1e-12, "{v:?}: {a} vs {b}"),
                    (a, b) => assert_eq!(a, b, "{v:?}"),
                }
            }
        }
    }
}
