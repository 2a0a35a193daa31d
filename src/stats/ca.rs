//! Correspondence analysis of frame counts (Greenacre 2007), as the project's
//! `statistics.md` defines it: of the group × frame table and of the document ×
//! frame table, each within one language (a Chinese and an English text cut into
//! words differently, so their counts are not one table).
//!
//! Rows and columns without hits are left out (they have no profile). The sign of
//! each axis is arbitrary in the decomposition; it is fixed so that the row with the
//! largest absolute coordinate on it (the first such) is positive, which makes the
//! output deterministic.

use std::collections::BTreeMap;

use nalgebra::DMatrix;

use super::profile::GroupedDoc;
use crate::corpus::Lang;

/// Dimensions kept at most.
pub const MAX_DIMS: usize = 5;

/// A correspondence analysis: principal coordinates of rows and columns per
/// dimension, the masses, and each dimension's inertia and share of the total.
#[derive(Debug, Clone, PartialEq)]
pub struct Ca {
    pub rows: Vec<Vec<f64>>,
    pub cols: Vec<Vec<f64>>,
    pub row_mass: Vec<f64>,
    pub col_mass: Vec<f64>,
    pub inertia: Vec<f64>,
    pub share: Vec<f64>,
}

/// The analysis of `table` (rows of counts, every row and column with a count),
/// with up to `max_dims` dimensions; `None` when it has no dimension (fewer than
/// two rows or columns, or rows all in proportion).
pub fn correspondence(table: &[Vec<f64>], max_dims: usize) -> Option<Ca> {
    let (nr, nc) = (table.len(), table.first().map_or(0, Vec::len));
    if nr < 2 || nc < 2 {
        return None;
    }
    let total: f64 = table.iter().flatten().sum();
    let r: Vec<f64> = table
        .iter()
        .map(|row| row.iter().sum::<f64>() / total)
        .collect();
    let c: Vec<f64> = (0..nc)
        .map(|j| table.iter().map(|row| row[j]).sum::<f64>() / total)
        .collect();
    let s = DMatrix::from_fn(nr, nc, |i, j| {
        (table[i][j] / total - r[i] * c[j]) / (r[i] * c[j]).sqrt()
    });
    let svd = s.svd(true, true);
    let (u, v_t) = (svd.u?, svd.v_t?);
    let sigma = svd.singular_values;
    let all: f64 = sigma.iter().map(|x| x * x).sum();
    let dims = sigma
        .iter()
        .take((nr.min(nc) - 1).min(max_dims))
        .take_while(|&&x| x * x > 1e-12 * all.max(f64::MIN_POSITIVE))
        .count();
    if dims == 0 {
        return None;
    }
    let mut rows = vec![vec![0.0; dims]; nr];
    let mut cols = vec![vec![0.0; dims]; nc];
    for k in 0..dims {
        for (i, row) in rows.iter_mut().enumerate() {
            row[k] = u[(i, k)] * sigma[k] / r[i].sqrt();
        }
        for (j, col) in cols.iter_mut().enumerate() {
            col[k] = v_t[(k, j)] * sigma[k] / c[j].sqrt();
        }
        let lead = (0..nr).fold(0, |b, i| {
            if rows[i][k].abs() > rows[b][k].abs() {
                i
            } else {
                b
            }
        });
        if rows[lead][k] < 0.0 {
            rows.iter_mut().for_each(|row| row[k] = -row[k]);
            cols.iter_mut().for_each(|col| col[k] = -col[k]);
        }
    }
    let inertia: Vec<f64> = (0..dims).map(|k| sigma[k] * sigma[k]).collect();
    Some(Ca {
        share: inertia.iter().map(|x| x / all).collect(),
        inertia,
        rows,
        cols,
        row_mass: r,
        col_mass: c,
    })
}

/// One row of `ca.parquet`: a point's coordinate on one dimension.
#[derive(Debug, Clone, PartialEq)]
pub struct CaRow<'a> {
    /// `groups` (the group × frame table) or `documents` (document × frame).
    pub table: &'static str,
    pub lang: Lang,
    /// `row` (a group or document) or `column` (a frame).
    pub kind: &'static str,
    pub point: &'a str,
    pub dim: u64,
    pub coordinate: f64,
    pub mass: f64,
    pub inertia: f64,
    pub inertia_share: f64,
}

/// Both analyses of every language.
pub fn frame_ca<'a>(docs: &'a [GroupedDoc], frame_ids: &'a [String]) -> Vec<CaRow<'a>> {
    let mut by_lang: BTreeMap<Lang, Vec<&GroupedDoc>> = BTreeMap::new();
    for d in docs.iter().filter(|d| !d.frames.is_empty()) {
        by_lang.entry(d.lang).or_default().push(d);
    }
    let mut out = Vec::new();
    for (&lang, docs) in &by_lang {
        let mut groups: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        let mut per_doc: Vec<(&str, Vec<f64>)> = Vec::new();
        for d in docs {
            let counts = d.frame_vector(frame_ids.len());
            let g = groups
                .entry(&d.group)
                .or_insert_with(|| vec![0.0; frame_ids.len()]);
            for (a, &b) in g.iter_mut().zip(&counts) {
                *a += b as f64;
            }
            per_doc.push((&d.doc_id, counts.iter().map(|&n| n as f64).collect()));
        }
        let groups: Vec<(&str, Vec<f64>)> = groups.into_iter().collect();
        for (table, points) in [("groups", groups), ("documents", per_doc)] {
            push_analysis(&mut out, (table, lang), &points, frame_ids);
        }
    }
    out
}

/// The rows of one analysis of `points` (named count vectors over the frames).
fn push_analysis<'a>(
    out: &mut Vec<CaRow<'a>>,
    (table, lang): (&'static str, Lang),
    points: &[(&'a str, Vec<f64>)],
    frame_ids: &'a [String],
) {
    let used: Vec<usize> = (0..frame_ids.len())
        .filter(|&j| points.iter().any(|(_, v)| v[j] > 0.0))
        .collect();
    let matrix: Vec<Vec<f64>> = points
        .iter()
        .map(|(_, v)| used.iter().map(|&j| v[j]).collect())
        .collect();
    let Some(ca) = correspondence(&matrix, MAX_DIMS) else {
        return;
    };
    let names = points.iter().map(|(n, _)| *n);
    let frames = used.iter().map(|&j| frame_ids[j].as_str());
    let sides = [
        ("row", names.collect::<Vec<_>>(), &ca.rows, &ca.row_mass),
        ("column", frames.collect(), &ca.cols, &ca.col_mass),
    ];
    for (kind, names, coords, masses) in sides {
        for (i, name) in names.iter().enumerate() {
            for (k, &coordinate) in coords[i].iter().enumerate() {
                out.push(CaRow {
                    table,
                    lang,
                    kind,
                    point: name,
                    dim: k as u64 + 1,
                    coordinate,
                    mass: masses[i],
                    inertia: ca.inertia[k],
                    inertia_share: ca.share[k],
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_numpys_svd() {
        let table = vec![
            vec![20.0, 5.0, 3.0],
            vec![4.0, 18.0, 6.0],
            vec![2.0, 3.0, 25.0],
            vec![10.0, 10.0, 2.0],
        ];
        let ca = correspondence(&table, MAX_DIMS).unwrap();
        // tests/reference/ca.py, full precision.
        let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-10);
        assert!(
            close(&ca.inertia, &[0.4543013381325499, 0.19758658875537694]),
            "{ca:?}"
        );
        assert!(close(&ca.share, &[0.6969009846544586, 0.30309901534554146]));
        let rows = [
            [-0.6088600509470675, -0.5385199384192014],
            [-0.11594887797620934, 0.652174338578374],
            [1.0449135499710305, -0.1866074482800874],
            [-0.5023980222399621, 0.1098136474520808],
        ];
        let cols = [
            [-0.641885728002544, -0.4647331924673252],
            [-0.2893349754610565, 0.5989688029883566],
            [0.9312207034636006, -0.13423561052103142],
        ];
        for (got, want) in ca.rows.iter().zip(rows).chain(ca.cols.iter().zip(cols)) {
            assert!(close(got, &want), "{got:?} against {want:?}");
        }
        assert!(close(
            &ca.row_mass,
            &[7.0 / 27.0, 7.0 / 27.0, 15.0 / 54.0, 11.0 / 54.0]
        ));
        assert_eq!(correspondence(&table, 1).unwrap().inertia.len(), 1);
    }

    #[test]
    fn no_dimension_without_two_rows_and_columns_or_with_proportional_rows() {
        assert!(correspondence(&[vec![1.0, 2.0]], 5).is_none());
        assert!(correspondence(&[vec![1.0], vec![3.0]], 5).is_none());
        assert!(correspondence(&[vec![1.0, 2.0], vec![2.0, 4.0]], 5).is_none());
    }
}
