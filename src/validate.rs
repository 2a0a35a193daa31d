//! Validation of the dictionary counts: coding sheets and measured precision.
//!
//! A dictionary method is only as good as its measured precision. `govlens validate
//! sample RUN_DIR` draws a seeded random sample of a finished run's frame hits,
//! stratified by frame and language (N of each, or all where there are fewer),
//! into a CSV coding sheet: document, article, the concordance line and an empty
//! `relevant` column for a researcher to fill with 1 (the hit means the frame) or
//! 0 (it does not). `govlens validate score SHEET` reads it back and reports the
//! precision of each frame and language with its Wilson 95% interval and, given
//! the run, the precision-adjusted rates (rate times precision, the interval by its
//! bounds), as `docs/statistics.md` defines them.
//!
//! The sheet is the researcher's work: it is never written into a run directory
//! (a new run replaces that whole) and never overwritten.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::stats::intervals::{Interval, wilson};
use crate::table::Table;

/// One row of a coding sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SheetRow {
    pub sample_id: u64,
    pub frame: String,
    pub lang: String,
    /// Hits of this frame and language in the run: the stratum the row stands for.
    pub stratum_hits: u64,
    pub doc_id: String,
    /// The unit (article) of the hit; this and the text columns may be dropped
    /// from a shared sheet (the hit is `doc_id`, `frame`, `start_byte` of the run's
    /// `kwic.parquet`), as when the documents' text may not be copied.
    #[serde(default)]
    pub unit: String,
    pub start_byte: i64,
    pub term: String,
    #[serde(default)]
    pub left: String,
    #[serde(default, rename = "match")]
    pub matched: String,
    #[serde(default)]
    pub right: String,
    /// The coder's judgement: 1 relevant, 0 not; empty until coded.
    pub relevant: String,
    /// Free text: why, when it is not obvious.
    #[serde(default)]
    pub note: String,
}

/// Draws `per` hits of every frame and language of the run in `dir` (all of
/// them where there are fewer), with `seed`.
pub fn sample(dir: &Path, per: usize, seed: u64) -> Result<Vec<SheetRow>> {
    let docs = Table::read(dir, "documents")?;
    let lang_of: BTreeMap<String, String> = docs
        .strs("doc_id")?
        .into_iter()
        .zip(docs.strs("lang")?)
        .collect();
    let kwic = Table::read(dir, "kwic")?;
    let columns = ["doc_id", "frame", "term", "left", "match", "right", "unit"];
    let cols: Vec<Vec<String>> = columns
        .iter()
        .map(|c| kwic.strs(c))
        .collect::<Result<_>>()?;
    let starts = kwic.ints("start_byte")?;
    // Strata in (frame, lang) order; inside each, hits in (doc_id, offset) order,
    // so the draw depends only on the run's contents and the seed.
    let mut strata: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, (doc, frame)) in cols[0].iter().zip(&cols[1]).enumerate() {
        let lang = lang_of.get(doc).cloned().unwrap_or_default();
        strata.entry((frame.clone(), lang)).or_default().push(i);
    }
    let mut rows = Vec::new();
    for ((frame, lang), mut hits) in strata {
        hits.sort_by(|&a, &b| (&cols[0][a], starts[a]).cmp(&(&cols[0][b], starts[b])));
        let stratum_hits = hits.len() as u64;
        let mut rng =
            fastrand::Rng::with_seed(crate::stats::intervals::seed_for(seed, &frame, &lang));
        rng.shuffle(&mut hits);
        hits.truncate(per);
        hits.sort_by(|&a, &b| (&cols[0][a], starts[a]).cmp(&(&cols[0][b], starts[b])));
        for i in hits {
            rows.push(SheetRow {
                sample_id: rows.len() as u64 + 1,
                frame: frame.clone(),
                lang: lang.clone(),
                stratum_hits,
                doc_id: cols[0][i].clone(),
                unit: cols[6][i].clone(),
                start_byte: starts[i],
                term: cols[2][i].clone(),
                left: cols[3][i].clone(),
                matched: cols[4][i].clone(),
                right: cols[5][i].clone(),
                relevant: String::new(),
                note: String::new(),
            });
        }
    }
    Ok(rows)
}

/// Writes a coding sheet to `path`, which must not exist yet (it may hold coding).
pub fn write_sheet(rows: &[SheetRow], path: &Path) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if dir.join("run.json").is_file() {
        return Err(Error::Invalid(format!(
            "{} is in a run directory, which the next run replaces as a whole: write the \
             coding sheet elsewhere",
            path.display()
        )));
    }
    if path.exists() {
        return Err(Error::Invalid(format!(
            "{} exists: a coding sheet is never overwritten (choose another --out)",
            path.display()
        )));
    }
    let fail = |e: csv::Error| Error::Output {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let mut w = csv::Writer::from_path(path).map_err(fail)?;
    for row in rows {
        w.serialize(row).map_err(fail)?;
    }
    w.flush().map_err(|e| Error::io(path, e))
}

/// Reads a coding sheet; a `relevant` value that is not 1/0 (yes/no, y/n,
/// true/false) is an error naming its line.
pub fn read_sheet(path: &Path) -> Result<Vec<(SheetRow, Option<bool>)>> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| Error::Output {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let mut out = Vec::new();
    for (i, row) in reader.deserialize::<SheetRow>().enumerate() {
        let line = i as u64 + 2;
        let err = |message: String| Error::Manifest {
            path: path.to_path_buf(),
            line,
            message,
        };
        let row = row.map_err(|e| err(e.to_string()))?;
        let coded = match row.relevant.trim().to_ascii_lowercase().as_str() {
            "" => None,
            "1" | "y" | "yes" | "true" => Some(true),
            "0" | "n" | "no" | "false" => Some(false),
            other => {
                return Err(err(format!(
                    "relevant {other:?}: expected 1 or 0 (or yes/no), or empty for not coded"
                )));
            }
        };
        out.push((row, coded));
    }
    Ok(out)
}

/// The precision of one frame in one language on a coded sample.
#[derive(Debug, Clone, PartialEq)]
pub struct Precision {
    pub frame: String,
    pub lang: String,
    pub coded: u64,
    pub relevant: u64,
    /// Rows of the stratum left uncoded.
    pub uncoded: u64,
    pub precision: Option<f64>,
    pub interval: Option<Interval>,
}

/// Precision per frame and language, in (frame, lang) order.
pub fn score(rows: &[(SheetRow, Option<bool>)]) -> Vec<Precision> {
    let mut by: BTreeMap<(String, String), (u64, u64, u64)> = BTreeMap::new();
    for (row, coded) in rows {
        let e = by.entry((row.frame.clone(), row.lang.clone())).or_default();
        match coded {
            Some(relevant) => {
                e.0 += 1;
                e.1 += u64::from(*relevant);
            }
            None => e.2 += 1,
        }
    }
    by.into_iter()
        .map(|((frame, lang), (coded, relevant, uncoded))| Precision {
            frame,
            lang,
            coded,
            relevant,
            uncoded,
            precision: (coded > 0).then(|| relevant as f64 / coded as f64),
            interval: wilson(relevant, coded),
        })
        .collect()
}

/// A frame rate of a run times the precision of its frame and language.
#[derive(Debug, Clone, PartialEq)]
pub struct AdjustedRate {
    pub group: String,
    pub lang: String,
    pub frame: String,
    pub rate_per_10k: Option<f64>,
    pub adjusted: Option<f64>,
    pub adjusted_low: Option<f64>,
    pub adjusted_high: Option<f64>,
}

/// The run's frame rates adjusted by `precision` (rows without a coded
/// precision for their frame and language are left out).
pub fn adjusted_rates(dir: &Path, precision: &[Precision]) -> Result<Vec<AdjustedRate>> {
    let rates = Table::read(dir, "frame_rates")?;
    let (g, l, f) = (
        rates.strs("group")?,
        rates.strs("lang")?,
        rates.strs("frame")?,
    );
    let rate = rates.floats("rate_per_10k")?;
    let by: BTreeMap<(&str, &str), &Precision> = precision
        .iter()
        .map(|p| ((p.frame.as_str(), p.lang.as_str()), p))
        .collect();
    let mut out = Vec::new();
    for i in 0..g.len() {
        let Some(p) = by.get(&(f[i].as_str(), l[i].as_str())) else {
            continue;
        };
        let times = |x: Option<f64>| rate[i].zip(x).map(|(r, x)| r * x);
        out.push(AdjustedRate {
            group: g[i].clone(),
            lang: l[i].clone(),
            frame: f[i].clone(),
            rate_per_10k: rate[i],
            adjusted: times(p.precision),
            adjusted_low: times(p.interval.map(|i| i.low)),
            adjusted_high: times(p.interval.map(|i| i.high)),
        });
    }
    Ok(out)
}
