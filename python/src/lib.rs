//! `govlens._govlens`: the Python package's native half, a thin translation of
//! the library's API (`govlens::Pipeline`, `inspect::segment`). The Python half
//! (`python/govlens/__init__.py`) gives it its shape: keyword settings, `Run`,
//! exceptions, warnings.
//!
//! Tables cross as Arrow C streams (the Arrow PyCapsule interface): a [`Table`]
//! has `__arrow_c_stream__`, which polars, pyarrow or DuckDB take without a
//! copy through a file, and without tying the package to one polars release.

use std::ffi::CString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use govlens::config::{Overrides, Shard};
use govlens::polars::prelude::*;
use govlens::progress::Observer;
use govlens::{Error, Pipeline, RunOutput};
use polars_arrow::array::{Array, StructArray};
use polars_arrow::datatypes::{ArrowDataType, Field as ArrowField};
use polars_arrow::ffi::{ArrowArrayStream, export_iterator};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyKeyboardInterrupt};
use pyo3::prelude::*;
use pyo3::types::PyCapsule;

create_exception!(
    govlens,
    GovlensError,
    PyException,
    "Any error govlens reports."
);
create_exception!(
    govlens,
    ManifestError,
    GovlensError,
    "A manifest line is wrong."
);
create_exception!(
    govlens,
    LexiconError,
    GovlensError,
    "A lexicon or dictionary is wrong."
);
create_exception!(
    govlens,
    PipelineError,
    GovlensError,
    "A pipeline file or setting is wrong."
);
create_exception!(
    govlens,
    SettingsError,
    PipelineError,
    "A setting's value is invalid."
);
create_exception!(
    govlens,
    CorpusError,
    GovlensError,
    "The corpus cannot be used."
);
create_exception!(
    govlens,
    DocumentError,
    GovlensError,
    "A document cannot be read."
);
create_exception!(
    govlens,
    OutputError,
    GovlensError,
    "A table or directory cannot be written."
);
create_exception!(
    govlens,
    FileError,
    GovlensError,
    "A file cannot be read or written."
);

/// One table, as an Arrow C stream of record batches.
#[pyclass(module = "govlens._govlens", name = "Table", frozen)]
struct Table {
    df: DataFrame,
}

#[pymethods]
impl Table {
    /// The Arrow PyCapsule interface: a stream of the table's record batches.
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        // The schema is the table's own; a consumer casts if it wants another.
        let _ = requested_schema;
        let stream = Stream(arrow_stream(&self.df));
        let name = CString::new("arrow_array_stream").expect("no NUL");
        PyCapsule::new_with_destructor(py, stream, Some(name), |stream, _| drop(stream))
    }

    fn __len__(&self) -> usize {
        self.df.height()
    }

    /// The column names, in order.
    fn columns(&self) -> Vec<String> {
        self.df
            .get_column_names()
            .iter()
            .map(|n| n.to_string())
            .collect()
    }
}

/// An [`ArrowArrayStream`] a capsule may own: the stream's batches are owned
/// data, moved to whichever thread consumes them.
#[repr(transparent)]
struct Stream(ArrowArrayStream);
// SAFETY: the stream's private data (its batches and field) is owned and only
// read through the stream's callbacks by one consumer at a time.
unsafe impl Send for Stream {}

/// The table's record batches as one C stream (struct arrays of its columns).
fn arrow_stream(df: &DataFrame) -> ArrowArrayStream {
    let mut df = df.clone();
    df.align_chunks_par();
    let level = CompatLevel::newest();
    let fields: Vec<ArrowField> = df
        .columns()
        .iter()
        .map(|c| c.field().to_arrow(level))
        .collect();
    let dtype = ArrowDataType::Struct(fields);
    let batches: Vec<Box<dyn Array>> = df
        .iter_chunks(level, false)
        .map(|batch| {
            let height = batch.height();
            Box::new(StructArray::new(
                dtype.clone(),
                height,
                batch.into_arrays(),
                None,
            )) as Box<dyn Array>
        })
        .collect();
    let field = ArrowField::new("".into(), dtype, false);
    export_iterator(Box::new(batches.into_iter().map(Ok)), field)
}

/// A run kept in memory: its tables, its `run.json`, and writing it out.
#[pyclass(module = "govlens._govlens", name = "RunHandle")]
struct RunHandle {
    output: RunOutput,
}

#[pymethods]
impl RunHandle {
    /// The names of the tables, in order.
    fn table_names(&self) -> Vec<String> {
        self.output.table_names().map(str::to_string).collect()
    }

    /// One table.
    fn table(&self, name: &str) -> Option<Table> {
        self.output.table(name).map(|df| Table { df: df.clone() })
    }

    /// `run.json`, as JSON text.
    fn manifest_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.output.manifest)
            .map_err(|e| GovlensError::new_err(e.to_string()))
    }

    /// Writes the run directory `out` as `govlens run` would (with `report.html`
    /// when `report`), under the same rules: a directory govlens did not write is
    /// never replaced.
    fn write(&self, py: Python<'_>, out: PathBuf, report: bool) -> PyResult<String> {
        let written = py
            .allow_threads(|| self.output.write(&out, report))
            .map_err(|e| to_py(e, &Context::default()))?;
        Ok(written.display().to_string())
    }
}

/// What the error translation needs to know: which file was the pipeline.
#[derive(Default)]
struct Context {
    pipeline: Option<PathBuf>,
}

/// The library's error as the Python exception of its kind, with `path`,
/// `line` and `key` attributes where the error names them.
fn to_py(e: Error, context: &Context) -> PyErr {
    let message = e.to_string();
    let (err, path, line): (PyErr, Option<PathBuf>, Option<u64>) = match &e {
        Error::Manifest { path, line, .. } => (
            ManifestError::new_err(message),
            Some(path.clone()),
            Some(*line),
        ),
        Error::Dictionary { path, line, .. } => (
            LexiconError::new_err(message),
            Some(path.clone()),
            Some(*line as u64),
        ),
        Error::Config { path, message: m } => {
            let line = line_of(m);
            let is_pipeline = context.pipeline.as_deref() == Some(path.as_path())
                || path == Path::new("(pipeline text)");
            let err = if is_pipeline {
                PipelineError::new_err(message)
            } else {
                LexiconError::new_err(message)
            };
            (err, Some(path.clone()), line)
        }
        Error::Corpus { path, .. } => (CorpusError::new_err(message), Some(path.clone()), None),
        Error::Document { path, .. } => (DocumentError::new_err(message), Some(path.clone()), None),
        Error::Output { path, .. } => (OutputError::new_err(message), Some(path.clone()), None),
        Error::Io { path, .. } => (FileError::new_err(message), Some(path.clone()), None),
        // The output rules (a directory govlens did not write) are settings to
        // the library, and about the output to a notebook's user.
        Error::Invalid(m) if m.starts_with("output ") => {
            (OutputError::new_err(message), None, None)
        }
        Error::Invalid(_) => (SettingsError::new_err(message), None, None),
        Error::Cancelled => return PyKeyboardInterrupt::new_err(message),
    };
    Python::with_gil(|py| {
        let value = err.value(py);
        let _ = value.setattr("path", path.map(|p| p.display().to_string()));
        let _ = value.setattr("line", line);
        let _ = value.setattr("key", key_of(&e));
    });
    err
}

/// The line a TOML error names ("line 12, column 3: …").
fn line_of(message: &str) -> Option<u64> {
    let rest = message.split("line ").nth(1)?;
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// The setting or key a message names first, in backticks or quotes.
fn key_of(e: &Error) -> Option<String> {
    let message = e.to_string();
    let start = message.find(['`', '"'])?;
    let quote = message[start..].chars().next()?;
    let rest = &message[start + 1..];
    let end = rest.find(quote)?;
    Some(rest[..end].to_string())
}

/// Progress the Python side polls, and the flag that stops the run.
#[derive(Default)]
struct Shared {
    docs: AtomicU64,
    done: AtomicU64,
    stop: AtomicBool,
    warnings: std::sync::Mutex<Vec<String>>,
}

struct Watch(Arc<Shared>);

impl Observer for Watch {
    fn start(&self, docs: u64, _bytes: u64) {
        self.0.docs.store(docs, Ordering::Relaxed);
    }
    fn document_done(&self, _bytes: u64) {
        self.0.done.fetch_add(1, Ordering::Relaxed);
    }
    fn warn(&self, message: &str) {
        if let Ok(mut w) = self.0.warnings.lock() {
            w.push(message.to_string());
        }
    }
    fn cancelled(&self) -> bool {
        self.0.stop.load(Ordering::Relaxed)
    }
}

/// Runs a pipeline in memory. `pipeline` is a pipeline file (or none);
/// `settings` a TOML table of keys over it (paths absolute); `progress` a
/// callable taking (documents done, documents) every tenth of a second.
/// The run does not hold the GIL; an interrupt (Ctrl-C) stops it within about
/// a tenth of a second after the document in hand, and nothing is kept.
#[pyfunction]
#[pyo3(signature = (pipeline, settings, shard = None, progress = None, out = None))]
fn run(
    py: Python<'_>,
    pipeline: Option<PathBuf>,
    settings: &str,
    shard: Option<(u64, u64)>,
    progress: Option<PyObject>,
    out: Option<PathBuf>,
) -> PyResult<(RunHandle, Vec<String>)> {
    let context = Context {
        pipeline: pipeline.clone(),
    };
    let plan = build(pipeline.as_deref(), settings, shard).map_err(|e| to_py(e, &context))?;
    // The directory the run will be written to is checked before the run, not
    // after it: a directory govlens did not write is refused up front.
    if let Some(out) = &out {
        govlens::output::check_replaceable(out).map_err(|e| to_py(e, &context))?;
    }
    let shared = Arc::new(Shared::default());
    let watch = Watch(shared.clone());
    let worker = std::thread::spawn(move || plan.run(&watch));
    let report = |py: Python<'_>| -> PyResult<()> {
        if let Some(callback) = &progress {
            let (done, docs) = (
                shared.done.load(Ordering::Relaxed),
                shared.docs.load(Ordering::Relaxed),
            );
            callback.call1(py, (done, docs))?;
        }
        Ok(())
    };
    loop {
        if worker.is_finished() {
            break;
        }
        py.allow_threads(|| std::thread::sleep(Duration::from_millis(100)));
        let checked = py.check_signals().and_then(|()| report(py));
        if let Err(interrupt) = checked {
            shared.stop.store(true, Ordering::Relaxed);
            // The run ends at its next check; what it made is dropped.
            let _ = py.allow_threads(|| worker.join());
            return Err(interrupt);
        }
    }
    let output = worker
        .join()
        .map_err(|_| GovlensError::new_err("the run panicked"))?
        .map_err(|e| to_py(e, &context))?;
    report(py)?;
    let warnings = shared
        .warnings
        .lock()
        .map(|w| w.clone())
        .unwrap_or_default();
    Ok((RunHandle { output }, warnings))
}

/// The pipeline file's keys with `settings` laid over them (a key of `[stats]`
/// inside `stats`), checked as a file is.
fn build(
    pipeline: Option<&Path>,
    settings: &str,
    shard: Option<(u64, u64)>,
) -> govlens::Result<Pipeline> {
    let invalid = |m: String| Error::Invalid(m);
    let over: toml::Table =
        toml::from_str(settings).map_err(|e| invalid(format!("settings: {e}")))?;
    let (mut table, base) = match pipeline {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            // The file is checked alone first, so that its errors name it and its
            // lines; only a corpus it leaves to the keyword settings is allowed.
            let base = path.parent().unwrap_or(Path::new("."));
            if let Err(e) = govlens::config::PipelineConfig::parse(&text, base, path) {
                let missing_corpus = e.to_string().contains("missing field `corpus`");
                if !(missing_corpus && over_has_corpus(settings)) {
                    return Err(e);
                }
            }
            let table: toml::Table = toml::from_str(&text).map_err(|e| Error::Config {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
            let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
            (table, base)
        }
        None => (
            toml::Table::new(),
            std::env::current_dir().map_err(|e| Error::io(".", e))?,
        ),
    };
    for (key, value) in over {
        match (key.as_str(), value) {
            ("stats", toml::Value::Table(stats)) => {
                let entry = table
                    .entry("stats")
                    .or_insert_with(|| toml::Value::Table(toml::Table::new()));
                let toml::Value::Table(into) = entry else {
                    return Err(invalid("stats: must be a table".into()));
                };
                into.extend(stats);
            }
            (_, value) => {
                table.insert(key, value);
            }
        }
    }
    if !table.contains_key("corpus") {
        return Err(invalid(
            "no corpus: give corpus=… or a pipeline file that names one".into(),
        ));
    }
    let shard = shard
        .map(|(k, n)| Shard::parse(&format!("{k}/{n}")))
        .transpose()?;
    let overrides = Overrides {
        shard,
        ..Overrides::default()
    };
    let text = toml::to_string(&table).map_err(|e| invalid(e.to_string()))?;
    Pipeline::from_toml_with(&text, base, overrides)
}

/// Whether the keyword settings name a corpus.
fn over_has_corpus(settings: &str) -> bool {
    toml::from_str::<toml::Table>(settings).is_ok_and(|t| t.contains_key("corpus"))
}

/// The tokens of `text` as a run sees them: byte spans (in the text as given,
/// UTF-8), surface, term, stopword flag, clause (phrases do not cross one) and
/// the frames a token starts, comma-separated.
#[pyfunction]
#[pyo3(signature = (text, lexicon = None))]
fn segment(py: Python<'_>, text: &str, lexicon: Option<PathBuf>) -> PyResult<Table> {
    let context = Context::default();
    py.allow_threads(|| {
        let lexicon = govlens::lexicon::Lexicon::load_or_builtin(lexicon.as_deref(), None)?;
        let engine = govlens::document::Engine::new(&lexicon)?;
        let doc = govlens::document::read_bytes(text.as_bytes(), &engine.analyzer)
            .map_err(|e| Error::Invalid(format!("{}: {}", e.kind, e.message)))?;
        let tokens = govlens::inspect::segment(&doc, &engine);
        let df = DataFrame::new_infer_height(vec![
            Column::new(
                "start".into(),
                tokens.iter().map(|t| t.start as u64).collect::<Vec<_>>(),
            ),
            Column::new(
                "end".into(),
                tokens.iter().map(|t| t.end as u64).collect::<Vec<_>>(),
            ),
            Column::new(
                "surface".into(),
                tokens.iter().map(|t| t.surface).collect::<Vec<_>>(),
            ),
            Column::new(
                "term".into(),
                tokens.iter().map(|t| t.term.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "is_stopword".into(),
                tokens.iter().map(|t| t.stopword).collect::<Vec<_>>(),
            ),
            Column::new(
                "clause".into(),
                tokens.iter().map(|t| t.clause).collect::<Vec<_>>(),
            ),
            Column::new(
                "frames".into(),
                tokens
                    .iter()
                    .map(|t| t.frames.join(","))
                    .collect::<Vec<_>>(),
            ),
        ])
        .map_err(|e| Error::Invalid(e.to_string()))?;
        Ok(Table { df })
    })
    .map_err(|e: Error| to_py(e, &context))
}

/// Every occurrence of `term` in the corpus of `pipeline` + `settings`, with
/// `window` tokens of context; and the documents that could not be read.
#[pyfunction]
#[pyo3(signature = (term, pipeline, settings, window = 8))]
fn kwic(
    py: Python<'_>,
    term: &str,
    pipeline: Option<PathBuf>,
    settings: &str,
    window: usize,
) -> PyResult<(Table, Vec<(String, String)>)> {
    let context = Context {
        pipeline: pipeline.clone(),
    };
    py.allow_threads(|| -> govlens::Result<(Table, Vec<(String, String)>)> {
        if window as u64 > govlens::limits::KWIC_WINDOW {
            return Err(Error::Invalid(format!(
                "window: at most {} tokens",
                govlens::limits::KWIC_WINDOW
            )));
        }
        let (pipeline, lexicon, corpus) = inspection(pipeline.as_deref(), settings)?;
        let plan = pipeline.plan();
        let found = govlens::inspect::concordance(&corpus, term, window, &lexicon, plan)?;
        let lines = &found.found;
        let df = DataFrame::new_infer_height(vec![
            Column::new(
                "doc_id".into(),
                lines.iter().map(|l| l.doc_id.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "unit".into(),
                lines.iter().map(|l| l.unit.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "page".into(),
                lines.iter().map(|l| l.page).collect::<Vec<_>>(),
            ),
            Column::new(
                "left".into(),
                lines.iter().map(|l| l.left.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "match".into(),
                lines.iter().map(|l| l.matched.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "right".into(),
                lines.iter().map(|l| l.right.as_str()).collect::<Vec<_>>(),
            ),
        ])
        .map_err(|e| Error::Invalid(e.to_string()))?;
        let skipped = found
            .skipped
            .iter()
            .map(|s| (s.doc_id.clone(), s.message.clone()))
            .collect();
        Ok((Table { df }, skipped))
    })
    .map_err(|e| to_py(e, &context))
}

/// The aligned units of `work` where its Chinese and English versions' frames
/// differ: unit, labels, the frames of one version only (comma-separated) and
/// both texts.
#[pyfunction]
fn parallel(
    py: Python<'_>,
    work: &str,
    pipeline: Option<PathBuf>,
    settings: &str,
) -> PyResult<Table> {
    let context = Context {
        pipeline: pipeline.clone(),
    };
    py.allow_threads(|| -> govlens::Result<Table> {
        let (pipeline, lexicon, corpus) = inspection(pipeline.as_deref(), settings)?;
        let plan = pipeline.plan();
        let found = govlens::inspect::disagreements(&corpus, &lexicon, work, plan)?;
        let d = &found.found;
        let text = |name: &str, pick: fn(&govlens::inspect::Disagreement) -> String| {
            Column::new(name.into(), d.iter().map(pick).collect::<Vec<String>>())
        };
        let df = DataFrame::new_infer_height(vec![
            text("unit", |r| r.unit.clone()),
            text("label_zh", |r| r.label_zh.clone()),
            text("label_en", |r| r.label_en.clone()),
            text("zh_only", |r| r.zh_only.join(",")),
            text("en_only", |r| r.en_only.join(",")),
            text("text_zh", |r| r.text_zh.clone()),
            text("text_en", |r| r.text_en.clone()),
        ])
        .map_err(|e| Error::Invalid(e.to_string()))?;
        Ok(Table { df })
    })
    .map_err(|e| to_py(e, &context))
}

/// What an inspection command (kwic, parallel) reads, as `govlens kwic` does:
/// the pipeline of `settings` over `pipeline`, its lexicon and its corpus.
fn inspection(
    pipeline: Option<&Path>,
    settings: &str,
) -> govlens::Result<(Pipeline, govlens::lexicon::Lexicon, govlens::corpus::Corpus)> {
    let pipeline = build(pipeline, settings, None)?;
    let plan = pipeline.plan();
    let lexicon =
        govlens::lexicon::Lexicon::load_or_builtin(plan.lexicon.as_deref(), plan.lexicon_format)?;
    let corpus = govlens::corpus::Corpus::open(&plan.corpus)?;
    Ok((pipeline, lexicon, corpus))
}

fn load_lexicon(
    path: Option<&Path>,
    format: Option<&str>,
) -> govlens::Result<govlens::lexicon::Lexicon> {
    let format = format
        .map(|f| f.parse::<govlens::lexicon::Format>())
        .transpose()
        .map_err(|e| Error::Invalid(format!("format: {e}")))?;
    govlens::lexicon::Lexicon::load_or_builtin(path, format)
}

/// A row of [`lexicon_frames`]: frame, label, description, lang, expression, kind.
type Entry<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, &'a str);

/// A lexicon's frames, one row per expression or exclusion: frame, label,
/// description, lang (zh, en, or "" for a frame-wide exclusion), expression,
/// kind ("expression" or "exclude").
#[pyfunction]
#[pyo3(signature = (path = None, format = None))]
fn lexicon_frames(py: Python<'_>, path: Option<PathBuf>, format: Option<&str>) -> PyResult<Table> {
    let lexicon = py
        .allow_threads(|| load_lexicon(path.as_deref(), format))
        .map_err(|e| to_py(e, &Context::default()))?;
    let mut rows: Vec<Entry<'_>> = Vec::new();
    for f in &lexicon.frames {
        for e in &f.zh {
            rows.push((&f.id, &f.label, &f.description, "zh", e, "expression"));
        }
        for e in &f.en {
            rows.push((&f.id, &f.label, &f.description, "en", e, "expression"));
        }
        for e in &f.exclude {
            rows.push((&f.id, &f.label, &f.description, "", e, "exclude"));
        }
    }
    let col = |name: &str, pick: fn(&Entry<'_>) -> String| {
        Column::new(name.into(), rows.iter().map(pick).collect::<Vec<String>>())
    };
    let df = DataFrame::new_infer_height(vec![
        col("frame", |r| r.0.to_string()),
        col("label", |r| r.1.to_string()),
        col("description", |r| r.2.to_string()),
        col("lang", |r| r.3.to_string()),
        col("expression", |r| r.4.to_string()),
        col("kind", |r| r.5.to_string()),
    ])
    .map_err(|e| GovlensError::new_err(e.to_string()))?;
    Ok(Table { df })
}

/// The lexicon as govlens TOML (a dictionary in another format converted).
#[pyfunction]
#[pyo3(signature = (path = None, format = None))]
fn lexicon_toml(path: Option<PathBuf>, format: Option<&str>) -> PyResult<String> {
    let lexicon =
        load_lexicon(path.as_deref(), format).map_err(|e| to_py(e, &Context::default()))?;
    Ok(lexicon.to_toml())
}

/// How the segmenter cuts each Chinese expression, as `govlens lexicon check`
/// prints it, and the number of warnings.
#[pyfunction]
#[pyo3(signature = (path = None, format = None))]
fn lexicon_check(
    py: Python<'_>,
    path: Option<PathBuf>,
    format: Option<&str>,
) -> PyResult<(String, usize)> {
    py.allow_threads(|| lexicon_check_text(path, format))
}

fn lexicon_check_text(path: Option<PathBuf>, format: Option<&str>) -> PyResult<(String, usize)> {
    let lexicon =
        load_lexicon(path.as_deref(), format).map_err(|e| to_py(e, &Context::default()))?;
    let engine =
        govlens::document::Engine::new(&lexicon).map_err(|e| to_py(e, &Context::default()))?;
    let plain = govlens::analyze::Analyzer::new::<&str>(&[]);
    let mut out = Vec::new();
    let warnings = govlens::inspect::lexicon_check(&lexicon, &engine.analyzer, &plain, &mut out)
        .map_err(|e| GovlensError::new_err(e.to_string()))?;
    Ok((String::from_utf8_lossy(&out).into_owned(), warnings))
}

/// Draws a coding sheet from the run directory `run`: `per` hits per frame and
/// language, seeded; written to `out` (never overwritten).
#[pyfunction]
fn validate_sample(
    py: Python<'_>,
    run: PathBuf,
    per: usize,
    seed: u64,
    out: PathBuf,
) -> PyResult<usize> {
    py.allow_threads(|| -> govlens::Result<usize> {
        if per == 0 {
            return Err(Error::Invalid(
                "per: at least 1 hit per frame and language".into(),
            ));
        }
        let rows = govlens::validate::sample(&run, per, seed)?;
        govlens::validate::write_sheet(&rows, &out)?;
        Ok(rows.len())
    })
    .map_err(|e| to_py(e, &Context::default()))
}

/// Precision per frame and language of a coded sheet (checked against the run
/// directory `run` when given), with Wilson 95% intervals.
#[pyfunction]
#[pyo3(signature = (sheet, run = None))]
fn validate_score(py: Python<'_>, sheet: PathBuf, run: Option<PathBuf>) -> PyResult<Table> {
    py.allow_threads(|| -> govlens::Result<Table> {
        let rows = govlens::validate::read_sheet(&sheet)?;
        if let Some(run) = &run {
            govlens::validate::check_drawn_from(run, &sheet, &rows)?;
        }
        let p = govlens::validate::score(&rows);
        let df = DataFrame::new_infer_height(vec![
            Column::new(
                "frame".into(),
                p.iter().map(|r| r.frame.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "lang".into(),
                p.iter().map(|r| r.lang.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "coded".into(),
                p.iter().map(|r| r.coded).collect::<Vec<_>>(),
            ),
            Column::new(
                "relevant".into(),
                p.iter().map(|r| r.relevant).collect::<Vec<_>>(),
            ),
            Column::new(
                "uncoded".into(),
                p.iter().map(|r| r.uncoded).collect::<Vec<_>>(),
            ),
            Column::new(
                "precision".into(),
                p.iter().map(|r| r.precision).collect::<Vec<_>>(),
            ),
            Column::new(
                "ci_low".into(),
                p.iter()
                    .map(|r| r.interval.map(|i| i.low))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "ci_high".into(),
                p.iter()
                    .map(|r| r.interval.map(|i| i.high))
                    .collect::<Vec<_>>(),
            ),
        ])
        .map_err(|e| Error::Invalid(e.to_string()))?;
        Ok(Table { df })
    })
    .map_err(|e| to_py(e, &Context::default()))
}

/// Joins the run directories of the shards of one corpus into the run
/// directory `out` one run over the whole corpus would have written.
#[pyfunction]
#[pyo3(signature = (out, shards, threads = None, report = true))]
fn merge(
    py: Python<'_>,
    out: PathBuf,
    shards: Vec<PathBuf>,
    threads: Option<usize>,
    report: bool,
) -> PyResult<String> {
    let plan = govlens::merge::MergePlan {
        out,
        shards,
        threads,
        report,
    };
    let command_line = vec!["govlens.merge".to_string()];
    let summary = py
        .allow_threads(|| govlens::merge::merge(&plan, &command_line, &govlens::progress::Silent))
        .map_err(|e| to_py(e, &Context::default()))?;
    Ok(summary.out.display().to_string())
}

#[pymodule]
fn _govlens(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Table>()?;
    m.add_class::<RunHandle>()?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(segment, m)?)?;
    m.add_function(wrap_pyfunction!(merge, m)?)?;
    m.add_function(wrap_pyfunction!(kwic, m)?)?;
    m.add_function(wrap_pyfunction!(parallel, m)?)?;
    m.add_function(wrap_pyfunction!(lexicon_frames, m)?)?;
    m.add_function(wrap_pyfunction!(lexicon_toml, m)?)?;
    m.add_function(wrap_pyfunction!(lexicon_check, m)?)?;
    m.add_function(wrap_pyfunction!(validate_sample, m)?)?;
    m.add_function(wrap_pyfunction!(validate_score, m)?)?;
    m.add("GovlensError", py.get_type::<GovlensError>())?;
    m.add("ManifestError", py.get_type::<ManifestError>())?;
    m.add("LexiconError", py.get_type::<LexiconError>())?;
    m.add("PipelineError", py.get_type::<PipelineError>())?;
    m.add("SettingsError", py.get_type::<SettingsError>())?;
    m.add("CorpusError", py.get_type::<CorpusError>())?;
    m.add("DocumentError", py.get_type::<DocumentError>())?;
    m.add("OutputError", py.get_type::<OutputError>())?;
    m.add("FileError", py.get_type::<FileError>())?;
    Ok(())
}
