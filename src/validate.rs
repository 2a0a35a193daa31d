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

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::stats::intervals::{Interval, wilson};
use crate::tables::Table;

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
    require_run(dir, "")?;
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

/// Refuses a directory that is not a finished govlens run (`flag` names where it
/// was given), before any of its tables is looked for.
fn require_run(dir: &Path, flag: &str) -> Result<()> {
    let tables = ["documents", "kwic", "frame_rates"];
    let complete = tables
        .iter()
        .all(|t| dir.join(format!("{t}.parquet")).is_file());
    let marked = crate::output::is_run(dir) || dir.join("run.json").is_file();
    if marked && complete {
        return Ok(());
    }
    Err(Error::Invalid(format!(
        "{flag}{}: not a govlens run directory (a run has run.json and {}.parquet)",
        dir.display(),
        tables.join(".parquet, ")
    )))
}

/// Writes a coding sheet to `path`, which must not exist yet (it may hold coding)
/// nor lie in a run directory (the next run replaces that).
pub fn write_sheet(rows: &[SheetRow], path: &Path) -> Result<()> {
    let fail = |e: csv::Error| Error::Output {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.serialize(row).map_err(fail)?;
    }
    let bytes = w.into_inner().map_err(|e| Error::Output {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    crate::output::create_new_file(path, &bytes, "coding sheet")
}

/// The columns a coding sheet must have (the others may be dropped).
const SHEET_COLUMNS: [&str; 8] = [
    "sample_id",
    "frame",
    "lang",
    "stratum_hits",
    "doc_id",
    "start_byte",
    "term",
    "relevant",
];

/// Reads a coding sheet; a `relevant` value that is not 1/0 (yes/no, y/n,
/// true/false), a missing column and a hit listed twice are errors naming the
/// line.
pub fn read_sheet(path: &Path) -> Result<Vec<(SheetRow, Option<bool>)>> {
    let bytes = crate::limits::read_bounded(path, crate::limits::SHEET_BYTES, "coding sheet")?;
    let at = |line: u64, message: String| Error::Manifest {
        path: path.to_path_buf(),
        line,
        message,
    };
    let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let mut reader = csv::Reader::from_reader(text);
    let headers = reader
        .headers()
        .map_err(|e| at(1, format!("not a CSV coding sheet: {e}")))?
        .iter()
        .map(str::trim)
        .collect::<csv::StringRecord>();
    let missing: Vec<&str> = SHEET_COLUMNS
        .iter()
        .copied()
        .filter(|c| !headers.iter().any(|h| h.trim() == *c))
        .collect();
    if !missing.is_empty() {
        return Err(at(
            1,
            format!(
                "the coding sheet lacks the column{} {}: it needs {} (as `govlens validate \
                 sample` writes it)",
                if missing.len() > 1 { "s" } else { "" },
                missing.join(", "),
                SHEET_COLUMNS.join(", ")
            ),
        ));
    }
    let mut out = Vec::new();
    let mut hits: HashMap<(String, String, i64), u64> = HashMap::new();
    let mut ids: HashMap<u64, u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter::new(text);
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.at(p.byte()));
                return Err(at(line, sheet_error(&e, &headers)));
            }
        }
        let line = record.position().map_or(0, |p| lines.at(p.byte()));
        let row: SheetRow = record
            .deserialize(Some(&headers))
            .map_err(|e| at(line, sheet_error(&e, &headers)))?;
        if let Some(first) = ids.insert(row.sample_id, line) {
            return Err(at(
                line,
                format!(
                    "sample_id {} is also on line {first}: each hit is coded once",
                    row.sample_id
                ),
            ));
        }
        let hit = (row.doc_id.clone(), row.frame.clone(), row.start_byte);
        if let Some(first) = hits.insert(hit, line) {
            return Err(at(
                line,
                format!(
                    "the hit of {} in {} at byte {} is also on line {first}: each hit is \
                     coded once",
                    row.frame, row.doc_id, row.start_byte
                ),
            ));
        }
        let coded = match row.relevant.trim().to_ascii_lowercase().as_str() {
            "" => None,
            "1" | "y" | "yes" | "true" => Some(true),
            "0" | "n" | "no" | "false" => Some(false),
            other => {
                return Err(at(
                    line,
                    format!(
                        "relevant {other:?}: expected 1 or 0 (or yes/no), or empty for not coded"
                    ),
                ));
            }
        };
        out.push((row, coded));
    }
    Ok(out)
}

/// The file line of a row, counted forward from its byte offset as the rows are
/// read (so linear), by line feeds: the CSV reader's own count is one short in
/// files with CRLF line ends, as spreadsheet programs write them.
struct LineCounter<'a> {
    text: &'a [u8],
    byte: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a [u8]) -> Self {
        LineCounter {
            text,
            byte: 0,
            line: 1,
        }
    }

    fn at(&mut self, byte: u64) -> u64 {
        let mut byte = (byte as usize).min(self.text.len());
        // A row's position may be the line end before it (the reader's view of
        // CRLF): the row starts after it.
        while self
            .text
            .get(byte)
            .is_some_and(|b| matches!(b, b'\r' | b'\n'))
        {
            byte += 1;
        }
        if byte >= self.byte {
            self.line += self.text[self.byte..byte]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.byte = byte;
        }
        self.line
    }
}

/// A CSV reader's complaint in words a coder can act on.
fn sheet_error(e: &csv::Error, headers: &csv::StringRecord) -> String {
    match e.kind() {
        csv::ErrorKind::Deserialize { err, .. } => {
            let field = err
                .field()
                .and_then(|i| headers.get(i as usize))
                .map_or(String::new(), |f| format!("column {f}: "));
            format!("{field}{}", err.kind())
        }
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".into(),
        _ => e.to_string(),
    }
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

/// Checks that the coded rows of `sheet` were drawn from the run in `dir`: every
/// hit (document, frame, byte) is one of its `kwic.parquet`. Precision measured on
/// another corpus's hits says nothing of this run's counts.
pub fn check_drawn_from(dir: &Path, sheet: &Path, rows: &[(SheetRow, Option<bool>)]) -> Result<()> {
    require_run(dir, "--run ")?;
    let kwic = Table::read(dir, "kwic")?;
    let starts = kwic.ints("start_byte")?;
    let hits: std::collections::HashSet<(String, String, i64)> = kwic
        .strs("doc_id")?
        .into_iter()
        .zip(kwic.strs("frame")?)
        .zip(starts)
        .map(|((d, f), b)| (d, f, b))
        .collect();
    let foreign: Vec<&SheetRow> = rows
        .iter()
        .map(|(r, _)| r)
        .filter(|r| !hits.contains(&(r.doc_id.clone(), r.frame.clone(), r.start_byte)))
        .collect();
    if let Some(first) = foreign.first() {
        return Err(Error::Invalid(format!(
            "{}: {} of its {} hits are not hits of the run {} (the first: sample_id {}, {} \
             in {} at byte {}): the sheet was drawn from another run or corpus",
            sheet.display(),
            foreign.len(),
            rows.len(),
            dir.display(),
            first.sample_id,
            first.frame,
            first.doc_id,
            first.start_byte
        )));
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const HEADER: &str = "sample_id,frame,lang,stratum_hits,doc_id,unit,start_byte,term,left,match,right,relevant,note";

    fn read_text(text: &[u8]) -> Result<Vec<(SheetRow, Option<bool>)>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.csv");
        std::fs::write(&path, text).unwrap();
        read_sheet(&path)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Whatever a spreadsheet program or a hand makes of a sheet: read or
        /// refused with a line, never a panic.
        #[test]
        fn the_sheet_reader_never_panics(
            body in prop_oneof![
                "[0-9a-z,\"\n\r ;\t\u{feff}法治-]{0,300}",
                any::<String>(),
            ],
            with_header in any::<bool>(),
        ) {
            let text = if with_header { format!("{HEADER}\n{body}") } else { body };
            if let Err(e) = read_text(text.as_bytes()) {
                prop_assert!(e.to_string().contains("s.csv"), "{e}");
            }
        }

        /// Rows written by `write_sheet` read back as written, codes and all.
        #[test]
        fn sheets_read_back_as_written(codes in proptest::collection::vec(0u8..3, 1..40)) {
            let rows: Vec<SheetRow> = codes.iter().enumerate().map(|(i, c)| SheetRow {
                sample_id: i as u64 + 1,
                frame: format!("f{}", i % 3),
                lang: "en".into(),
                stratum_hits: 40,
                doc_id: "d, \"quoted\"".into(),
                unit: String::new(),
                start_byte: i as i64 * 7,
                term: "rule of law".into(),
                left: "a\nb".into(),
                matched: "Rule of Law".into(),
                right: String::new(),
                relevant: ["", "1", "0"][*c as usize].into(),
                note: String::new(),
            }).collect();
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("s.csv");
            write_sheet(&rows, &path).unwrap();
            let back = read_sheet(&path).unwrap();
            prop_assert_eq!(back.len(), rows.len());
            for ((row, coded), (want, c)) in back.iter().zip(rows.iter().zip(&codes)) {
                prop_assert_eq!(row, want);
                prop_assert_eq!(*coded, [None, Some(true), Some(false)][*c as usize]);
            }
        }
    }

    #[test]
    fn reading_a_sheet_grows_linearly_with_its_rows() {
        // Duplicate checks by hash: 8x the rows, about 8x the time (a check by
        // scanning the rows read so far took 64x).
        let sheet = |n: usize| -> Vec<u8> {
            let mut s = format!("{HEADER}\n");
            for i in 0..n {
                s.push_str(&format!("{i},f,en,1,d{i},,{i},t,,,,1,\n"));
            }
            s.into_bytes()
        };
        let fastest = |text: &[u8]| {
            crate::limits::fastest_of_three(|| {
                read_text(text).unwrap();
            })
        };
        let (small, large) = (fastest(&sheet(5_000)), fastest(&sheet(40_000)));
        let ratio = large / small.max(1e-6);
        assert!(
            ratio < 24.0,
            "8x the rows took {ratio:.1}x ({small:.4} s, {large:.4} s)"
        );
    }
}

#[cfg(test)]
mod line_tests {
    use super::*;

    #[test]
    fn errors_name_the_file_line_of_the_row() {
        let header = "sample_id,frame,lang,stratum_hits,doc_id,start_byte,term,relevant";
        let cases = [
            // A bad code on file line 4.
            (
                format!("{header}\n1,f,en,3,d,0,t,1\n2,f,en,3,d,5,t,0\n3,f,en,3,d,9,t,maybe\n"),
                "line 4:",
            ),
            // The second row repeats the first's hit: file line 3, first on line 2.
            (
                format!("{header}\n1,f,en,3,d,0,t,1\n2,f,en,3,d,0,t,0\n"),
                "line 3: the hit of f in d at byte 0 is also on line 2",
            ),
            // CRLF line ends, as spreadsheet programs write them.
            (
                format!("{header}\r\n1,f,en,3,d,0,t,1\r\n2,f,en,3,d,5,t,0\r\n2,f,en,3,e,1,t,1\r\n"),
                "line 4: sample_id 2 is also on line 3",
            ),
            // A quoted field over two lines moves the next row down a line.
            (
                format!(
                    "{header}\n1,f,en,3,\"d\nd\",0,t,1\n2,f,en,3,x,0,t,yes\n2,f,en,3,y,0,t,no\n"
                ),
                "line 5: sample_id 2 is also on line 4",
            ),
        ];
        for (text, want) in cases {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("s.csv");
            std::fs::write(&path, &text).unwrap();
            let err = read_sheet(&path).unwrap_err().to_string();
            assert!(err.contains(want), "{want}: {err}");
        }
    }
}
