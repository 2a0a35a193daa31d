//! Uncertainty of a group's frame rate: a percentile bootstrap over documents.
//!
//! A national corpus is often a handful of documents, and one long law can carry
//! a rate. Resampling whole documents with replacement and recomputing the pooled
//! rate shows how much the rate depends on which documents happen to be in the
//! corpus. The generator is seeded per group and language from the run's seed, so
//! intervals are reproducible and do not depend on thread scheduling or on the
//! order in which groups are processed.

use super::per_10k;

/// A 95% percentile interval of a rate per 10,000 tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// 95% percentile bootstrap intervals of the pooled rate of every frame, for one
/// group's documents given as (frame counts, tokens). Documents without tokens are
/// left out. `None` for every frame when fewer than two documents remain (nothing
/// to resample) or there are no resamples.
pub fn bootstrap(
    docs: &[(&[u64], u64)],
    n_frames: usize,
    resamples: usize,
    seed: u64,
) -> Vec<Option<Interval>> {
    let docs: Vec<(&[u64], u64)> = docs.iter().copied().filter(|(_, n)| *n > 0).collect();
    if docs.len() < 2 || resamples == 0 {
        return vec![None; n_frames];
    }
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut rates: Vec<Vec<f64>> = vec![Vec::with_capacity(resamples); n_frames];
    let mut counts = vec![0u64; n_frames];
    for _ in 0..resamples {
        counts.iter_mut().for_each(|c| *c = 0);
        let mut tokens = 0u64;
        for _ in 0..docs.len() {
            let (doc_counts, doc_tokens) = docs[rng.usize(..docs.len())];
            tokens += doc_tokens;
            for (c, d) in counts.iter_mut().zip(doc_counts) {
                *c += d;
            }
        }
        for (f, &c) in counts.iter().enumerate() {
            rates[f].push(per_10k(c, tokens).unwrap_or(0.0));
        }
    }
    rates
        .into_iter()
        .map(|mut r| {
            r.sort_by(f64::total_cmp);
            Some(Interval {
                low: quantile(&r, 0.025),
                high: quantile(&r, 0.975),
            })
        })
        .collect()
}

/// Quantile of sorted values with linear interpolation (numpy's default).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// A seed for one group and language, from the run's seed (FNV-1a over the names).
pub fn seed_for(seed: u64, group: &str, lang: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for b in group.bytes().chain([0]).chain(lang.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_like_numpy() {
        // numpy.quantile([1, 2, 3, 4], [0.025, 0.975]) = [1.075, 3.925]
        let v = [1.0, 2.0, 3.0, 4.0];
        assert!((quantile(&v, 0.025) - 1.075).abs() < 1e-12);
        assert!((quantile(&v, 0.975) - 3.925).abs() < 1e-12);
    }

    #[test]
    fn intervals_bracket_the_rate_and_are_reproducible() {
        let (a, b, c) = ([10u64, 0], [2u64, 1], [4u64, 0]);
        let docs: Vec<(&[u64], u64)> = vec![(&a, 1000), (&b, 1000), (&c, 2000)];
        let one = bootstrap(&docs, 2, 2000, 7);
        assert_eq!(
            one,
            bootstrap(&docs, 2, 2000, 7),
            "same seed, same interval"
        );
        let i = one[0].unwrap();
        let rate = 16.0 * 1e4 / 4000.0;
        assert!(i.low < rate && rate < i.high, "{i:?} around {rate}");
        assert!(
            i.low >= 1e4 * 2.0 / 1000.0 - 1e-9,
            "never below the lowest document"
        );
        assert!(
            i.high <= 1e4 * 10.0 / 1000.0 + 1e-9,
            "never above the highest document"
        );
    }

    #[test]
    fn a_single_document_has_no_interval() {
        let a = [3u64];
        assert_eq!(bootstrap(&[(&a, 100)], 1, 1000, 1), vec![None]);
    }
}

/// The Wilson score 95% interval of a proportion of `k` in `n` (a frame's
/// precision on a coded sample); `None` when nothing was coded.
pub fn wilson(k: u64, n: u64) -> Option<Interval> {
    if n == 0 {
        return None;
    }
    let (z, n_f) = (1.96f64, n as f64);
    let p = k as f64 / n_f;
    let denominator = 1.0 + z * z / n_f;
    let centre = (p + z * z / (2.0 * n_f)) / denominator;
    let half = z * (p * (1.0 - p) / n_f + z * z / (4.0 * n_f * n_f)).sqrt() / denominator;
    Some(Interval {
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    })
}

#[cfg(test)]
mod wilson_tests {
    use super::wilson;

    /// Pinned against the same formula computed independently in Python
    /// (statsmodels' `proportion_confint(k, n, method="wilson")` gives these too).
    #[test]
    fn wilson_intervals() {
        let cases = [
            (18, 20, 0.699_0, 0.972_1),
            (20, 20, 0.838_9, 1.0),
            (0, 10, 0.0, 0.277_5),
            (5, 10, 0.236_6, 0.763_4),
        ];
        for (k, n, low, high) in cases {
            let i = wilson(k, n).unwrap();
            assert!(
                (i.low - low).abs() < 5e-4 && (i.high - high).abs() < 5e-4,
                "{k}/{n}: {i:?}"
            );
        }
        assert!(wilson(0, 0).is_none());
    }
}
