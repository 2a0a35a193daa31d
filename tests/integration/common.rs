//! Helpers shared by the integration tests.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use polars::prelude::*;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the govlens binary from the repository root.
pub fn govlens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_govlens"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("govlens runs")
}

/// Runs govlens and asserts success, returning stdout.
pub fn govlens_ok(args: &[&str]) -> String {
    let out = govlens(args);
    assert!(
        out.status.success(),
        "govlens {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// `govlens run --corpus CORPUS --out OUT EXTRA...`
pub fn run_corpus(corpus: impl AsRef<Path>, out: impl AsRef<Path>, extra: &[&str]) -> Output {
    let (corpus, out) = (
        corpus.as_ref().to_str().unwrap(),
        out.as_ref().to_str().unwrap(),
    );
    let mut args = vec!["run", "--corpus", corpus, "--out", out];
    args.extend_from_slice(extra);
    govlens(&args)
}

/// [`run_corpus`], asserting success; returns stdout.
pub fn run_corpus_ok(corpus: impl AsRef<Path>, out: impl AsRef<Path>, extra: &[&str]) -> String {
    let out = run_corpus(corpus, out, extra);
    assert!(
        out.status.success(),
        "govlens run failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// The sample corpus copied into `dir/c` (a corpus the test may change).
pub fn corpus_copy(dir: &Path) -> PathBuf {
    let c = dir.join("c");
    let src = root().join("corpora/sample");
    let mut stack = vec![src.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let to = c.join(e.path().strip_prefix(&src).unwrap());
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                std::fs::create_dir_all(to.parent().unwrap()).unwrap();
                std::fs::copy(e.path(), to).unwrap();
            }
        }
    }
    c
}

/// The shared real corpus, or `None` after printing a visible skip notice.
/// With `GOVLENS_REQUIRE_SHARED=1` a missing corpus is a failure.
pub fn shared_corpus(test: &str) -> Option<PathBuf> {
    let dir = root().join("../shared/corpora/ai-governance");
    if dir.join("manifest.csv").is_file() {
        return Some(dir);
    }
    skip(test, "../shared/corpora/ai-governance not found", "SHARED");
    None
}

/// Says visibly that `test` is skipped because of `reason`; fails instead when
/// `GOVLENS_REQUIRE_<what>=1` (CI sets these, so nothing is skipped there).
pub fn skip(test: &str, reason: &str, what: &str) {
    if std::env::var(format!("GOVLENS_REQUIRE_{what}")).as_deref() == Ok("1") {
        panic!("{test}: {reason}, and GOVLENS_REQUIRE_{what}=1");
    }
    // Written to stderr directly, past the test harness's capture, so it shows.
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {reason}");
}

/// The first of `names` found on PATH.
pub fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// doc_id -> `key` -> the sum of `count`, from `table` in the run directory `out`
/// (`terms` by `term`, `frames` by `frame` ...).
pub fn counts_by_doc(
    out: &Path,
    table: &str,
    key: &str,
) -> std::collections::BTreeMap<String, std::collections::BTreeMap<String, i64>> {
    let t = Table::read(out, table);
    let mut by: std::collections::BTreeMap<String, std::collections::BTreeMap<String, i64>> =
        Default::default();
    for ((d, k), n) in t
        .strs("doc_id")
        .into_iter()
        .zip(t.strs(key))
        .zip(t.ints("count"))
    {
        *by.entry(d).or_default().entry(k).or_default() += n;
    }
    by
}

/// Runs the govlens binary from the repository root with `set` added to its
/// environment and `unset` removed from it.
pub fn govlens_env(args: &[&str], set: &[(&str, &str)], unset: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_govlens"));
    command.args(args).current_dir(root());
    for var in unset {
        command.env_remove(var);
    }
    command
        .envs(set.iter().copied())
        .output()
        .expect("govlens runs")
}

/// A Parquet table read back with polars.
pub struct Table {
    pub df: DataFrame,
}

impl Table {
    pub fn read(dir: &Path, name: &str) -> Table {
        let df = govlens::tables::read_parquet(&dir.join(format!("{name}.parquet")))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        Table { df }
    }

    pub fn height(&self) -> usize {
        self.df.height()
    }

    fn series(&self, col: &str) -> &Series {
        self.df
            .column(col)
            .unwrap_or_else(|e| panic!("{col}: {e}"))
            .as_materialized_series()
    }

    pub fn strs(&self, col: &str) -> Vec<String> {
        self.series(col)
            .str()
            .unwrap_or_else(|e| panic!("{col}: {e}"))
            .iter()
            .map(|v| v.unwrap_or_else(|| panic!("null in {col}")).to_string())
            .collect()
    }

    pub fn ints(&self, col: &str) -> Vec<i64> {
        self.series(col)
            .i64()
            .unwrap_or_else(|e| panic!("{col}: {e}"))
            .iter()
            .map(|v| v.unwrap_or_else(|| panic!("null in {col}")))
            .collect()
    }

    pub fn floats(&self, col: &str) -> Vec<f64> {
        self.series(col)
            .f64()
            .unwrap_or_else(|e| panic!("{col}: {e}"))
            .iter()
            .map(|v| v.unwrap_or_else(|| panic!("null in {col}")))
            .collect()
    }

    pub fn bools(&self, col: &str) -> Vec<bool> {
        self.series(col)
            .bool()
            .unwrap_or_else(|e| panic!("{col}: {e}"))
            .iter()
            .map(|v| v.unwrap_or_else(|| panic!("null in {col}")))
            .collect()
    }

    /// A nullable i64 column.
    pub fn opt_ints(&self, col: &str) -> Vec<Option<i64>> {
        self.series(col)
            .i64()
            .unwrap_or_else(|e| panic!("{col}: {e}"))
            .iter()
            .collect()
    }

    /// A nullable f64 column.
    pub fn opt_floats(&self, col: &str) -> Vec<Option<f64>> {
        self.series(col)
            .f64()
            .unwrap_or_else(|e| panic!("{col}: {e}"))
            .iter()
            .collect()
    }

    /// Column names and dtypes, as `name:dtype` strings.
    pub fn schema(&self) -> Vec<String> {
        self.df
            .columns()
            .iter()
            .map(|c| format!("{}:{}", c.name(), c.dtype()))
            .collect()
    }
}

/// Sum of `count` over `frames` rows matching doc predicate and frame.
pub fn frame_count(frames: &Table, doc: impl Fn(&str) -> bool, frame: &str) -> i64 {
    let docs = frames.strs("doc_id");
    let fr = frames.strs("frame");
    let counts = frames.ints("count");
    (0..frames.height())
        .filter(|&i| doc(&docs[i]) && fr[i] == frame)
        .map(|i| counts[i])
        .sum()
}

/// The `frame_rates` row for (group, lang, frame): (count, tokens, rate, docs).
pub fn frame_rate(rates: &Table, group: &str, lang: &str, frame: &str) -> (i64, i64, f64, i64) {
    let g = rates.strs("group");
    let l = rates.strs("lang");
    let f = rates.strs("frame");
    let i = (0..rates.height())
        .find(|&i| g[i] == group && l[i] == lang && f[i] == frame)
        .unwrap_or_else(|| panic!("no frame_rates row {group}/{lang}/{frame}"));
    (
        rates.ints("count")[i],
        rates.ints("tokens")[i],
        rates.floats("rate_per_10k")[i],
        rates.ints("docs")[i],
    )
}
