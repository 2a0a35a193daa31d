//! One govlens run: corpus in, run directory out.
//!
//! The shape is a map-reduce decided here and nowhere else: documents are analysed
//! in parallel (each on its own, sequential and deterministic inside), the results
//! come back in doc_id order, and the group statistics and tables are built from
//! them. Everything that can be checked before the work starts (pipeline, lexicon,
//! manifest, group column, output directory) is checked first, so a bad run fails
//! fast and leaves no output behind. A document that cannot be read is recorded in
//! `errors.parquet` and the run goes on, unless the plan is strict.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;
use serde_json::json;

use crate::analyze::Analyzer;
use crate::config::Plan;
use crate::corpus::read::{self, DocProblem};
use crate::corpus::{Corpus, DocSpec, Lang, MetaValue};
use crate::error::{Error, Result};
use crate::lexicon::{Lexicon, Matcher, hex_sha256};
use crate::output::StagedDir;
use crate::progress::Progress;
use crate::stats::keyness::{KeynessOptions, keyness};
use crate::stats::profile::Frames;
use crate::stats::{self, DocCounts, GroupedDoc, Vocab, count_document};
use crate::table::{
    self, AuditRow, DocumentRow, ErrorRow, FrameRow, KwicRow, TableWriter, TermRow, UnitFrameRow,
    UnitRow,
};

/// What a finished run reports.
#[derive(Debug, Clone)]
pub struct Summary {
    pub out: PathBuf,
    pub documents: usize,
    /// Documents that could not be read, with their problems, in doc_id order.
    pub skipped: Vec<ErrorRow>,
    /// Word tokens per document language.
    pub tokens: BTreeMap<&'static str, u64>,
    /// Rows per table.
    pub rows: BTreeMap<&'static str, usize>,
    /// Frame hits in all documents.
    pub frame_hits: u64,
    pub seconds: f64,
}

/// An analysed document.
struct Analysed {
    row: DocumentRow,
    counts: DocCounts,
    /// The extracted text, which concordance and audit ranges point into; kept
    /// until the document's tables are written.
    text: String,
}

/// Reads the lexicon the plan names, or the built-in one.
pub fn load_lexicon(path: Option<&std::path::Path>) -> Result<Lexicon> {
    match path {
        Some(p) => Lexicon::load(p),
        None => Ok(Lexicon::builtin()),
    }
}

/// Carries out `plan`, showing progress on `progress`; `command_line` is recorded
/// in `run.json`.
pub fn run(plan: &Plan, command_line: &[String], progress: &mut Progress) -> Result<Summary> {
    let started = Instant::now();
    let lexicon = load_lexicon(plan.lexicon.as_deref())?;
    let mut corpus = Corpus::open(&plan.corpus)?;
    if let Some(shard) = plan.shard {
        corpus.docs.retain(|d| shard.holds(&d.doc_id));
    }
    check_group_column(&corpus, &plan.group_by)?;
    crate::output::check_target(&plan.out, &plan.corpus)?;

    let t = Instant::now();
    let analyzer = Analyzer::new(&lexicon.chinese_words());
    let matcher = Matcher::new(&lexicon, &analyzer)?;
    let setup_secs = t.elapsed().as_secs_f64();

    let threads = plan
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Invalid(format!("cannot start {threads} threads: {e}")))?;
    let staged = StagedDir::create(&plan.out)?;
    let frame_ids = matcher.frame_ids();

    // Documents are analysed a batch at a time (in parallel inside the batch); each
    // batch's per-document tables are written at once and only the documents'
    // compact profiles are kept for the group statistics.
    let t = Instant::now();
    let mut doc_tables = DocTables::create(&staged)?;
    let mut vocab = Vocab::default();
    let mut grouped: Vec<GroupedDoc> = Vec::with_capacity(corpus.docs.len());
    let mut doc_rows: Vec<DocumentRow> = Vec::with_capacity(corpus.docs.len());
    let mut skipped = Vec::new();
    // File sizes, for batching and progress (a file that cannot be read counts 0).
    let sizes: Vec<u64> = corpus
        .docs
        .iter()
        .map(|d| std::fs::metadata(corpus.root.join(&d.file)).map_or(0, |m| m.len()))
        .collect();
    progress.start(corpus.docs.len() as u64, sizes.iter().sum());
    let progress = &*progress;
    for range in batches(&sizes, plan.batch_bytes) {
        let batch = &corpus.docs[range.clone()];
        let results: Vec<std::result::Result<Analysed, DocProblem>> = pool.install(|| {
            batch
                .par_iter()
                .zip(&sizes[range])
                .map(|(doc, &size)| {
                    let result = analyse(doc, plan, &analyzer, &matcher);
                    progress.document_done(size);
                    result
                })
                .collect()
        });
        let mut analysed = Vec::with_capacity(results.len());
        for (doc, result) in batch.iter().zip(results) {
            match result {
                Ok(a) => analysed.push((doc, a)),
                Err(p) => skipped.push(ErrorRow {
                    doc_id: doc.doc_id.clone(),
                    path: doc.file.clone(),
                    kind: p.kind.as_str(),
                    message: p.message,
                }),
            }
        }
        if plan.strict && !skipped.is_empty() {
            progress.finish();
            return Err(strict_error(&corpus, &skipped));
        }
        let (written, ()) = pool.install(|| {
            rayon::join(
                || doc_tables.write(&analysed, &matcher),
                || {
                    for (doc, a) in &analysed {
                        let group = group_value(doc, &a.row, &corpus, &plan.group_by);
                        grouped.push(GroupedDoc::new(
                            group, a.row.lang, a.row.year, &a.counts, &mut vocab,
                        ))
                    }
                },
            )
        });
        written?;
        doc_rows.extend(analysed.into_iter().map(|(_, a)| a.row));
    }
    progress.finish();
    let analyse_secs = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let mut rows = BTreeMap::new();
    // Seconds per table: building its rows, its DataFrame and its file (for the
    // per-document tables, summed over the batches).
    let mut table_secs: BTreeMap<&'static str, f64> = BTreeMap::new();
    for (name, rows_written, secs) in doc_tables.finish()? {
        rows.insert(name, rows_written);
        table_secs.insert(name, secs);
    }
    let mut write = |name: &'static str, mut df: polars::prelude::DataFrame| -> Result<()> {
        let t = Instant::now();
        rows.insert(name, df.height());
        table::write_parquet(&mut df, &staged.file(&format!("{name}.parquet")))?;
        *table_secs.entry(name).or_insert(0.0) += t.elapsed().as_secs_f64();
        Ok(())
    };
    write(
        "documents",
        table::documents(&doc_rows, &corpus.extra_columns)?,
    )?;
    write("errors", table::errors(&skipped)?)?;

    // The group-level tables are independent: build them in parallel, write them
    // in a fixed order.
    let st = plan.stats;
    let opts = KeynessOptions {
        min_count: st.min_count,
        include_stopwords: st.include_stopwords,
        pairs: st.pairs,
        yates: st.yates,
    };
    let frame_opts = KeynessOptions {
        min_count: 1,
        ..opts
    };
    let (grouped, vocab) = (&grouped, &vocab);
    type Built = Result<polars::prelude::DataFrame>;
    type Job<'a> = (&'static str, Box<dyn Fn() -> Built + Send + Sync + 'a>);
    let jobs: Vec<Job> = vec![
        (
            "group_terms",
            Box::new(|| table::group_terms(&stats::group_terms(grouped, vocab), vocab)),
        ),
        (
            "frame_rates",
            Box::new(|| {
                table::frame_rates(&stats::frame_rates(
                    grouped,
                    frame_ids,
                    st.bootstrap,
                    st.seed,
                ))
            }),
        ),
        (
            "frame_trends",
            Box::new(|| table::frame_trends(&stats::groups::frame_trends(grouped, frame_ids))),
        ),
        (
            "keyness",
            Box::new(|| {
                let items: Vec<&[(u32, u32)]> = grouped.iter().map(|d| &d.terms[..]).collect();
                table::keyness("keyness", "term", &keyness(grouped, &items, vocab, opts))
            }),
        ),
        (
            "frame_keyness",
            Box::new(|| {
                let items: Vec<&[(u32, u32)]> = grouped.iter().map(|d| &d.frames[..]).collect();
                let frames = Frames(frame_ids);
                let rows = keyness(grouped, &items, &frames, frame_opts);
                table::keyness("frame_keyness", "frame", &rows)
            }),
        ),
        (
            "divergence",
            Box::new(|| {
                table::divergence(&stats::divergence::divergence(
                    grouped,
                    vocab,
                    frame_ids.len(),
                ))
            }),
        ),
        (
            "collocations",
            Box::new(|| {
                table::collocations(&stats::collocations::collocations(
                    grouped,
                    vocab,
                    frame_ids,
                    st.collocation_min_count,
                ))
            }),
        ),
    ];
    let built: Vec<(&'static str, Built, f64)> = pool.install(|| {
        jobs.par_iter()
            .map(|(name, job)| {
                let t = Instant::now();
                (*name, job(), t.elapsed().as_secs_f64())
            })
            .collect()
    });
    let mut build_secs = Vec::new();
    for (name, df, secs) in built {
        write(name, df?)?;
        build_secs.push((name, secs));
    }
    // A group table's time is its own building (in parallel with the others)
    // and its writing.
    for (name, secs) in build_secs {
        *table_secs.entry(name).or_insert(0.0) += secs;
    }
    let write_secs = t.elapsed().as_secs_f64();

    let mut tokens: BTreeMap<&'static str, u64> = BTreeMap::new();
    for row in &doc_rows {
        *tokens.entry(row.lang.as_str()).or_insert(0) += row.n_tokens;
    }
    let total_secs = started.elapsed().as_secs_f64();
    let added = analyzer.chinese().added_words();
    // Everything but `invocation` depends only on the inputs and settings, so two
    // runs of the same corpus give the same file whatever the thread count.
    let manifest = json!({
        "govlens_version": env!("CARGO_PKG_VERSION"),
        "pipeline": plan.pipeline.as_ref().map(|p| p.display().to_string()),
        "settings": {
            "corpus": plan.corpus.display().to_string(),
            "out": plan.out.display().to_string(),
            "group_by": plan.group_by,
            "lexicon": lexicon.source,
            "strict": plan.strict,
            "max_file_bytes": plan.max_file_bytes,
            "batch_bytes": plan.batch_bytes,
            "shard": plan.shard.map(|s| format!("{}/{}", s.index, s.count)),
            "stats": {
                "keyness_min_count": plan.stats.min_count,
                "keyness_include_stopwords": plan.stats.include_stopwords,
                "keyness_pairs": plan.stats.pairs,
                "chi2_yates": plan.stats.yates,
                "bootstrap_resamples": plan.stats.bootstrap,
                "bootstrap_seed": plan.stats.seed,
                "kwic_window": plan.stats.kwic_window,
                "collocation_window": plan.stats.collocation_window,
                "collocation_min_count": plan.stats.collocation_min_count,
            },
        },
        "tokens_definition": {
            "zh": "a word from jieba-rs accurate mode with HMM, run on each region of Han characters (Traditional script converted to Simplified first: OpenCC tw2s characters, then the Taiwan vocabulary word by word)",
            "en": "a Unicode (UAX #29) word containing a letter or digit, NFKC-normalised and lower-cased",
        },
        "lexicon": {
            "source": lexicon.source,
            "sha256": lexicon.sha256,
            "frames": lexicon.frames.len(),
        },
        "dictionary": {
            "segmenter": "jieba-rs 0.11 default dictionary",
            "added_words": added,
            "sha256": hex_sha256(added.join("\n").as_bytes()),
        },
        "script_conversion": {
            "applies_to": "zh documents with script Hant (given or detected)",
            "characters": "OpenCC tw2s (ferrous-opencc 0.4): script only",
            "vocabulary": "pipelines/taiwan-vocabulary.toml (built in), applied to whole words",
            "vocabulary_sha256": analyzer.traditional().vocabulary_sha256(),
        },
        "inputs": doc_rows.iter().map(|row| json!({
            "doc_id": row.doc_id,
            "path": row.path,
            "sha256": row.sha256,
            "encoding": row.encoding,
        })).collect::<Vec<_>>(),
        "skipped": skipped.iter().map(|e| json!({
            "doc_id": e.doc_id,
            "path": e.path,
            "kind": e.kind,
        })).collect::<Vec<_>>(),
        "rows": rows,
        "tokens": tokens,
        "invocation": {
            "command_line": command_line,
            "threads": threads,
            "timings_seconds": {
                "setup": setup_secs,
                "analyse_and_document_tables": analyse_secs,
                "group_tables": write_secs,
                "total": total_secs,
                "tables": table_secs,
            },
        },
    });
    let run_json = staged.file("run.json");
    let text = serde_json::to_string_pretty(&manifest).expect("JSON values serialise");
    std::fs::write(&run_json, text + "\n").map_err(|e| Error::io(&run_json, e))?;
    if plan.report {
        crate::report::write(&staged.file(""), Some(&lexicon))?;
    }
    let out = staged.commit()?;

    Ok(Summary {
        out,
        documents: doc_rows.len(),
        skipped,
        tokens,
        rows,
        frame_hits: grouped
            .iter()
            .flat_map(|d| d.frames.iter().map(|&(_, n)| n as u64))
            .sum(),
        seconds: total_secs,
    })
}

/// Documents (given their file sizes, in doc_id order) cut into runs of about
/// `max_bytes` of files, at least one document each. The cut does not depend on
/// the thread count, so neither do the row groups of the per-document tables.
fn batches(sizes: &[u64], max_bytes: u64) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, &size) in sizes.iter().enumerate() {
        if i > start && bytes + size > max_bytes {
            out.push(start..i);
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    if start < sizes.len() {
        out.push(start..sizes.len());
    }
    out
}

/// The error of a strict run: the first unreadable document, and how many more.
fn strict_error(corpus: &Corpus, skipped: &[ErrorRow]) -> Error {
    let first = &skipped[0];
    Error::Document {
        path: corpus.root.join(&first.path),
        message: format!(
            "{} ({}){}; --strict: nothing written",
            first.message,
            first.kind,
            match skipped.len() {
                1 => String::new(),
                n => format!(
                    ", and {} more unreadable documents found before stopping",
                    n - 1
                ),
            }
        ),
    }
}

/// The per-document tables, written batch by batch.
struct DocTables {
    writers: Vec<(&'static str, TableWriter, f64)>,
}

impl DocTables {
    const NAMES: [&'static str; 6] = ["terms", "frames", "units", "unit_frames", "kwic", "audit"];

    fn create(staged: &StagedDir) -> Result<DocTables> {
        let writers = Self::NAMES
            .iter()
            .map(|&name| {
                let empty = Self::empty(name)?;
                let w = TableWriter::create(&staged.file(&format!("{name}.parquet")), &empty)?;
                Ok((name, w, 0.0))
            })
            .collect::<Result<_>>()?;
        Ok(DocTables { writers })
    }

    /// Writes the tables' rows for `docs` (in parallel, one table per task).
    fn write(&mut self, docs: &[(&DocSpec, Analysed)], matcher: &Matcher) -> Result<()> {
        self.writers
            .par_iter_mut()
            .map(|(name, writer, secs)| {
                let t = Instant::now();
                Self::write_rows(name, docs, matcher, writer)?;
                *secs += t.elapsed().as_secs_f64();
                Ok(())
            })
            .collect()
    }

    /// (table, rows, seconds) of each table, once all are written.
    fn finish(self) -> Result<Vec<(&'static str, usize, f64)>> {
        self.writers
            .into_iter()
            .map(|(name, writer, secs)| Ok((name, writer.finish()?, secs)))
            .collect()
    }

    /// A table with no rows: its schema.
    fn empty(name: &str) -> Result<polars::prelude::DataFrame> {
        match name {
            "terms" => table::terms(&[]),
            "frames" => table::frames(&[]),
            "units" => table::units(&[]),
            "unit_frames" => table::unit_frames(&[]),
            "kwic" => table::kwic(&[]),
            "audit" => table::audit(&[]),
            other => unreachable!("no per-document table {other}"),
        }
    }

    /// Writes one table's rows for `docs`, [`SLICE_ROWS`] at a time, so that a
    /// document with millions of hits never has all its rows built at once.
    fn write_rows(
        name: &str,
        docs: &[(&DocSpec, Analysed)],
        matcher: &Matcher,
        writer: &mut TableWriter,
    ) -> Result<()> {
        let frame_ids = matcher.frame_ids();
        let analysed = docs.iter().map(|(_, a)| a);
        match name {
            "terms" => in_slices(
                writer,
                analysed.flat_map(|a| {
                    a.counts.terms.iter().map(|(term, count)| TermRow {
                        doc_id: &a.row.doc_id,
                        term,
                        lang: a.row.lang,
                        count,
                        is_stopword: crate::analyze::stopwords::is_stopword(term),
                    })
                }),
                table::terms,
            ),
            "frames" => in_slices(
                writer,
                analysed.flat_map(|a| {
                    a.counts.frames.iter().map(|f| FrameRow {
                        doc_id: &a.row.doc_id,
                        frame: &frame_ids[f.frame],
                        term: &f.term,
                        pattern: &f.pattern,
                        count: f.count,
                    })
                }),
                table::frames,
            ),
            "units" => in_slices(
                writer,
                analysed.flat_map(|a| {
                    let units = a.counts.units.iter().zip(&a.counts.unit_tokens);
                    units.enumerate().map(|(i, (unit, &n_tokens))| UnitRow {
                        doc_id: &a.row.doc_id,
                        unit_id: i as u64,
                        unit,
                        n_tokens,
                    })
                }),
                table::units,
            ),
            "unit_frames" => in_slices(
                writer,
                analysed.flat_map(|a| {
                    a.counts
                        .unit_frames
                        .iter()
                        .map(|&(unit, frame, count)| UnitFrameRow {
                            doc_id: &a.row.doc_id,
                            unit_id: unit as u64,
                            frame: &frame_ids[frame],
                            count,
                        })
                }),
                table::unit_frames,
            ),
            "kwic" => in_slices(
                writer,
                analysed.flat_map(|a| {
                    a.counts.kwic.iter().map(|hit| KwicRow {
                        doc_id: &a.row.doc_id,
                        frame: &frame_ids[hit.frame],
                        hit,
                        unit: &a.counts.units[hit.unit].label,
                        text: &a.text,
                    })
                }),
                table::kwic,
            ),
            "audit" => {
                let needles = matcher.auditor().needles();
                in_slices(
                    writer,
                    analysed.flat_map(|a| {
                        a.counts.audit.iter().map(|leak| AuditRow {
                            doc_id: &a.row.doc_id,
                            frame: &frame_ids[leak.frame],
                            expression: &needles[leak.needle].expression,
                            leak,
                            text: &a.text,
                        })
                    }),
                    table::audit,
                )
            }
            other => unreachable!("no per-document table {other}"),
        }
    }
}

/// Rows of a per-document table built and written at a time.
const SLICE_ROWS: usize = 1 << 17;

/// Builds and writes `rows` a slice of [`SLICE_ROWS`] at a time. Slices are cut
/// by row count alone, so the file does not depend on the thread count.
fn in_slices<R>(
    writer: &mut TableWriter,
    rows: impl Iterator<Item = R>,
    build: impl Fn(&[R]) -> Result<polars::prelude::DataFrame>,
) -> Result<()> {
    let mut slice = Vec::with_capacity(1024);
    for row in rows {
        slice.push(row);
        if slice.len() == SLICE_ROWS {
            writer.write(build(&slice)?)?;
            slice.clear();
        }
    }
    if !slice.is_empty() {
        writer.write(build(&slice)?)?;
    }
    Ok(())
}

/// Reads, segments and counts one document.
fn analyse(
    doc: &DocSpec,
    plan: &Plan,
    analyzer: &Analyzer,
    matcher: &Matcher,
) -> std::result::Result<Analysed, DocProblem> {
    let loaded = read::load(doc, plan.max_file_bytes)?;
    let lang = doc.lang.unwrap_or_else(|| Lang::detect(&loaded.text));
    let (script, chinese) = analyzer.document_script(&loaded.text, lang, doc.script.as_deref());
    let context = stats::ContextOptions {
        kwic_window: plan.stats.kwic_window,
        collocation_window: plan.stats.collocation_window,
    };
    let counts = count_document(&loaded.text, chinese, analyzer, matcher, context);
    Ok(Analysed {
        row: DocumentRow {
            doc_id: doc.doc_id.clone(),
            jurisdiction: doc.jurisdiction.clone(),
            lang,
            script,
            year: doc.year,
            title: doc.title.clone(),
            path: doc.file.clone(),
            format: loaded.format.as_str(),
            encoding: loaded.encoding,
            sha256: loaded.sha256,
            n_bytes: loaded.n_bytes,
            n_chars: loaded.text.chars().count() as u64,
            n_tokens: counts.n_tokens,
            n_types: counts.n_types(),
            n_units: counts.units.len() as u64,
            extra: doc.extra.clone(),
        },
        counts,
        text: loaded.text,
    })
}

/// The value of the grouping column for one document; `(missing)` when empty.
fn group_value(spec: &DocSpec, row: &DocumentRow, corpus: &Corpus, column: &str) -> String {
    let value = match column {
        "jurisdiction" => Some(row.jurisdiction.clone()),
        "lang" => Some(row.lang.as_str().to_string()),
        "script" => Some(row.script.clone()),
        "year" => row.year.map(|y| y.to_string()),
        "title" => row.title.clone(),
        other => corpus
            .extra_columns
            .iter()
            .position(|c| c == other)
            .and_then(|k| spec.extra.get(k).cloned().flatten())
            .map(|v| match v {
                MetaValue::Int(i) => i.to_string(),
                MetaValue::Text(s) => s,
            }),
    };
    value.unwrap_or_else(|| "(missing)".to_string())
}

/// Fails with a suggestion when the group column does not exist.
fn check_group_column(corpus: &Corpus, column: &str) -> Result<()> {
    let available = corpus.groupable_columns();
    if available.iter().any(|c| c == column) {
        return Ok(());
    }
    let closest = available
        .iter()
        .min_by_key(|c| strsim::levenshtein(c, column))
        .filter(|c| strsim::levenshtein(c, column) <= 3);
    let hint = closest.map_or(String::new(), |c| format!(" (did you mean {c:?}?)"));
    Err(Error::Invalid(format!(
        "group_by {column:?}: no such document column{hint}; available: {}",
        available.join(", ")
    )))
}
