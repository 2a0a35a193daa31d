//! One govlens run: corpus in, run directory out.
//!
//! The shape is a map-reduce decided here and nowhere else: documents are analysed
//! in parallel (each on its own, sequential and deterministic inside, by
//! [`crate::document`]), the results come back in doc_id order, and the group
//! statistics and tables are built from them. Everything that can be checked before
//! the work starts (pipeline, lexicon, manifest, group column, output directory) is
//! checked first, so a bad run fails fast and leaves no output behind. A document
//! that cannot be read is recorded in `errors.parquet` and the run goes on, unless
//! the plan is strict.
//!
//! [`doc_tables`] and [`group_tables`] are the registries of the tables; `run.json`
//! is the typed [`RunManifest`].

pub mod doc_tables;
pub mod group_tables;
pub mod parts;
pub mod spill;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use polars::prelude::DataFrame;
use rayon::prelude::*;

use crate::config::Plan;
use crate::corpus::read::DocProblem;
use crate::corpus::{Corpus, DocSpec};
use crate::digest::hex_sha256;
use crate::document::{self, Analysed, Engine, Pass, Skipped};
use crate::error::{Error, Result};
use crate::lexicon::Lexicon;
use crate::output::{Input, StagedDir};
use crate::progress::Observer;
use crate::provenance::{self, RunManifest};
use crate::stats::{GroupedDoc, Vocab};
use crate::table::{self, DocumentRow, TableWriter};
use crate::versions::VersionDoc;
use doc_tables::{Batch, DocTables};
use group_tables::{GroupTable, Inputs};
use parts::Parts;
use spill::{Records, SpillWriter, Spilled};

/// What a finished run reports.
#[derive(Debug, Clone)]
pub struct Summary {
    pub out: PathBuf,
    pub documents: usize,
    /// Documents that could not be read, with their problems, in doc_id order.
    pub skipped: Vec<Skipped>,
    /// Word tokens per document language.
    pub tokens: BTreeMap<&'static str, u64>,
    /// Rows per table.
    pub rows: BTreeMap<&'static str, usize>,
    /// Frame hits in all documents.
    pub frame_hits: u64,
    pub seconds: f64,
}

/// Carries out `plan`, reporting progress and warnings to `observer`;
/// `command_line` is recorded
/// in `run.json`.
pub fn run(plan: &Plan, command_line: &[String], observer: &dyn Observer) -> Result<Summary> {
    let started = Instant::now();
    let (setup, staged) = Setup::prepare(plan)?;
    let mut log = TableLog::default();
    let mut pass = analyse_corpus(plan, &setup, &staged, observer, &mut log)?;
    log.write(&staged, "errors", || table::errors(&pass.skipped))?;
    let inputs = Inputs {
        grouped: &pass.grouped,
        terms: pass.terms.as_ref().expect("the corpus pass spills"),
        vocab: &pass.vocab,
        versions: &pass.versions,
        ngrams: &pass.ngrams,
        frame_ids: setup.engine.matcher.frame_ids(),
        settings: plan.stats.clone(),
        observer,
    };
    let group_secs = write_group_tables(&inputs, &setup.pool, &staged, &mut log)?;
    // The spill file goes before the directory is committed.
    pass.terms = None;
    let timings = provenance::Timings {
        setup: setup.secs,
        analyse_and_document_tables: pass.secs,
        group_tables: group_secs,
        total: started.elapsed().as_secs_f64(),
        tables: log.secs.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
    };
    let tokens = pass.tokens.clone();
    let inputs = pass.inputs.take().expect("the digest is taken once");
    record(
        plan,
        &setup,
        &pass,
        inputs,
        &log,
        command_line,
        timings.clone(),
    )
    .write(&staged.file(""))?;
    let frame_hits = pass.grouped.iter().map(GroupedDoc::frame_hits).sum();
    // The report reads the tables back: the profiles, which grow with the corpus,
    // go first.
    (pass.grouped, pass.versions, pass.vocab) = Default::default();
    crate::memory::release_freed();
    if plan.report {
        crate::report::write(&staged.file(""), Some(&setup.lexicon))?;
    }
    Ok(Summary {
        out: staged.commit()?,
        documents: pass.documents,
        skipped: pass.skipped,
        tokens,
        rows: log.rows,
        frame_hits,
        seconds: timings.total,
    })
}

/// Everything built and checked before the first document is read.
struct Setup {
    lexicon: Lexicon,
    corpus: Corpus,
    engine: Engine,
    pool: rayon::ThreadPool,
    threads: usize,
    /// The shard's place in the whole corpus, when the run is one shard.
    shard: Option<provenance::ShardRecord>,
    /// Seconds to build the analyzer, matcher and audit.
    secs: f64,
}

impl Setup {
    /// Reads and checks everything, takes the output (its lock, and a staging
    /// directory) before the costly builds, and builds the analysis.
    fn prepare(plan: &Plan) -> Result<(Setup, StagedDir)> {
        let lexicon = Lexicon::load_or_builtin(plan.lexicon.as_deref(), plan.lexicon_format)?;
        let mut corpus = Corpus::open(&plan.corpus)?;
        check_wordfish_anchors(&corpus, &plan.stats)?;
        let shard = plan.shard.map(|shard| {
            let record = shard_record(shard, &corpus, &lexicon);
            corpus.docs.retain(|d| shard.holds(&d.doc_id));
            record
        });
        check_group_column(&corpus, &plan.group_by)?;
        let staged = StagedDir::create(&plan.out, &inputs(plan))?;
        let t = Instant::now();
        let engine = Engine::new(&lexicon)?;
        let secs = t.elapsed().as_secs_f64();
        let (pool, threads) = thread_pool(plan.threads)?;
        let setup = Setup {
            lexicon,
            corpus,
            engine,
            pool,
            threads,
            shard,
            secs,
        };
        Ok((setup, staged))
    }

    fn pass(&self, plan: &Plan) -> Pass<'_> {
        let context = plan.stats.context();
        self.engine
            .pass(context, plan.max_file_bytes, plan.counted_zones)
    }
}

/// What the run reads, which its output must neither hold nor lie inside.
fn inputs(plan: &Plan) -> Vec<Input<'_>> {
    let mut inputs = vec![Input::new("corpus", &plan.corpus)];
    inputs.extend(plan.lexicon.as_deref().map(|l| Input::new("lexicon", l)));
    inputs.extend(
        plan.pipeline
            .as_deref()
            .map(|p| Input::new("pipeline file", p)),
    );
    inputs
}

/// The worker threads of a run (or merge): `threads`, or one per core.
pub(crate) fn thread_pool(threads: Option<usize>) -> Result<(rayon::ThreadPool, usize)> {
    // rayon reads 0 as "one per core": here it is a mistake, as in a pipeline.
    if let Some(n) = threads {
        crate::limits::from_one_to("threads", n as u64, crate::limits::THREADS)
            .map_err(|why| Error::Invalid(format!("--threads: {why}")))?;
    }
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Invalid(format!("cannot start {threads} threads: {e}")))?;
    Ok((pool, threads))
}

/// The Wordfish anchors are documents of the corpus (all of it, when the run is a
/// shard), in the language fitted where the manifest declares one.
fn check_wordfish_anchors(corpus: &Corpus, stats: &crate::stats::Settings) -> Result<()> {
    let Some(lang) = stats.wordfish_lang() else {
        return Ok(());
    };
    for anchor in &stats.wordfish_anchors {
        match corpus.docs.iter().find(|d| &d.doc_id == anchor) {
            None => {
                return Err(Error::Invalid(format!(
                    "wordfish_anchors: {anchor:?} is not a document of the corpus"
                )));
            }
            Some(d) if d.lang.is_some_and(|l| l != lang) => {
                return Err(Error::Invalid(format!(
                    "wordfish_anchors: {anchor:?} is not an {} document",
                    lang.as_str()
                )));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// What a shard records of the whole corpus and the lexicon, for `govlens merge`.
fn shard_record(
    shard: crate::config::Shard,
    corpus: &Corpus,
    lexicon: &Lexicon,
) -> provenance::ShardRecord {
    let mut listing = String::new();
    for d in &corpus.docs {
        listing.push_str(&format!("{}\t{}\n", d.doc_id, d.file));
    }
    provenance::ShardRecord {
        index: shard.index,
        count: shard.count,
        corpus_documents: corpus.docs.len() as u64,
        corpus_listing_sha256: hex_sha256(listing.as_bytes()),
        frames: lexicon.frames.iter().map(|f| f.id.clone()).collect(),
        parts: BTreeMap::new(),
    }
}

/// Rows and seconds per table written.
#[derive(Default)]
pub(crate) struct TableLog {
    pub(crate) rows: BTreeMap<&'static str, usize>,
    pub(crate) secs: BTreeMap<&'static str, f64>,
}

impl TableLog {
    /// Builds the table `name` and writes it to `staged`.
    pub(crate) fn write(
        &mut self,
        staged: &StagedDir,
        name: &'static str,
        build: impl FnOnce() -> Result<DataFrame>,
    ) -> Result<()> {
        let t = Instant::now();
        let df = build()?;
        self.write_built(staged, name, df)?;
        *self.secs.entry(name).or_insert(0.0) += t.elapsed().as_secs_f64();
        Ok(())
    }

    /// Writes the built table `name` to `staged` (its time is the caller's to add).
    fn write_built(
        &mut self,
        staged: &StagedDir,
        name: &'static str,
        mut df: DataFrame,
    ) -> Result<()> {
        self.rows.insert(name, df.height());
        table::write_parquet(&mut df, &staged.file(&format!("{name}.parquet")))?;
        Ok(())
    }
}

/// What the corpus pass leaves for the group tables and `run.json`.
struct CorpusPass {
    /// Each analysed document's compact profile, in doc_id order, without its
    /// terms and collocates ...
    grouped: Vec<GroupedDoc>,
    /// ... which are spilled to a file.
    terms: Option<Spilled>,
    vocab: Vocab,
    /// The documents with a `work` (language versions of one document).
    versions: Vec<VersionDoc>,
    /// Documents analysed (their rows are written batch by batch), their word
    /// tokens per language, and the digest of them for `run.json`.
    documents: usize,
    tokens: BTreeMap<&'static str, u64>,
    inputs: Option<provenance::InputsHasher>,
    skipped: Vec<Skipped>,
    /// Rows of each part a shard writes for `govlens merge`.
    parts: Vec<(&'static str, usize)>,
    /// N-gram totals per group and language (when the settings ask for n-grams).
    ngrams: crate::stats::ngrams::Totals,
    secs: f64,
}

impl CorpusPass {
    /// Nothing analysed yet, of a corpus of `n` documents.
    fn new(n: usize) -> CorpusPass {
        CorpusPass {
            grouped: Vec::with_capacity(n),
            terms: None,
            vocab: Vocab::default(),
            versions: Vec::new(),
            documents: 0,
            tokens: BTreeMap::new(),
            inputs: Some(provenance::InputsHasher::default()),
            skipped: Vec::new(),
            parts: Vec::new(),
            ngrams: Default::default(),
            secs: 0.0,
        }
    }
}

/// Analyses the corpus a batch at a time (in parallel inside the batch); each
/// batch's per-document tables are written at once and only the documents'
/// compact profiles are kept for the group statistics.
fn analyse_corpus(
    plan: &Plan,
    setup: &Setup,
    staged: &StagedDir,
    progress: &dyn Observer,
    log: &mut TableLog,
) -> Result<CorpusPass> {
    let t = Instant::now();
    let corpus = &setup.corpus;
    let pass = setup.pass(plan);
    let mut doc_tables = DocTables::create(staged)?;
    let mut out = CorpusPass::new(corpus.docs.len());
    let mut parts = setup
        .shard
        .as_ref()
        .map(|_| Parts::create(staged))
        .transpose()?;
    let mut spill = SpillWriter::create(&staged.file(".terms.spill"))?;
    let is_int = table::extra_column_is_int(&corpus.docs, corpus.extra_columns.len());
    let mut documents = TableWriter::create(
        &staged.file("documents.parquet"),
        &table::documents(&[], &corpus.extra_columns, &is_int)?,
    )?;
    let mut documents_secs = 0.0;
    let mut profiles = Records::create(&staged.file(".profiles.spill"))?;
    let sizes = file_sizes(corpus);
    progress.start(corpus.docs.len() as u64, sizes.iter().sum());
    let ranges = batches(&sizes, plan.batch_bytes);
    // Batch k is analysed while batch k - 1's tables are written: the two share
    // the pool, so a core that finishes its part of one takes up the other. Batches
    // are kept in order, so nothing written depends on the overlap.
    let mut ready: Option<AnalysedBatch<'_>> = None;
    for k in 0..=ranges.len() {
        let next = ranges.get(k).cloned();
        let mut keep = Keep {
            doc_tables: &mut doc_tables,
            parts: parts.as_mut(),
            spill: &mut spill,
            profiles: &mut profiles,
            documents: &mut documents,
            is_int: &is_int,
        };
        let (results, kept) = setup.pool.install(|| {
            rayon::join(
                || next.map(|range| analyse_batch(corpus, &sizes, range, &pass, progress)),
                || match ready.take() {
                    Some(batch) => keep_batch(plan, setup, batch, &mut keep, &mut out),
                    None => Ok(0.0),
                },
            )
        });
        documents_secs += kept?;
        let Some(results) = results else { break };
        let mut batch = AnalysedBatch::default();
        for (doc, result) in results {
            match result {
                Ok((a, row)) => {
                    batch.docs.push((doc, a));
                    batch.rows.push(row);
                }
                Err(p) => out.skipped.push(Skipped::new(doc, p)),
            }
        }
        if plan.strict && !out.skipped.is_empty() {
            progress.finish();
            return Err(strict_error(corpus, &out.skipped));
        }
        ready = Some(batch);
    }
    out.terms = Some(spill.finish()?);
    // The profiles come back now that the batches' memory is free (and returned).
    crate::memory::release_freed();
    for (g, v) in profiles.read_all()? {
        out.grouped.push(g);
        out.versions.extend(v);
    }
    if let Some(parts) = parts {
        out.parts = parts.finish(&out.ngrams)?;
    }
    progress.finish();
    for (name, rows, secs) in doc_tables.finish()? {
        log.rows.insert(name, rows);
        log.secs.insert(name, secs);
    }
    log.rows.insert("documents", documents.finish()?);
    log.secs.insert("documents", documents_secs);
    out.secs = t.elapsed().as_secs_f64();
    Ok(out)
}

/// A batch's documents as analysed, with their rows of `documents.parquet` (the
/// documents that could not be read are left out).
#[derive(Default)]
struct AnalysedBatch<'c> {
    docs: Vec<(&'c DocSpec, Analysed)>,
    rows: Vec<DocumentRow>,
}

type BatchResult<'c> = Vec<(
    &'c DocSpec,
    std::result::Result<(Analysed, DocumentRow), DocProblem>,
)>;

/// Analyses the documents of `range` in parallel, in order.
fn analyse_batch<'c>(
    corpus: &'c Corpus,
    sizes: &[u64],
    range: std::ops::Range<usize>,
    pass: &Pass<'_>,
    progress: &dyn Observer,
) -> BatchResult<'c> {
    corpus.docs[range.clone()]
        .par_iter()
        .zip(&sizes[range])
        .map(|(doc, &size)| {
            // The document's row is made here, in parallel, like its counts.
            let result = document::analyse(doc, pass).map(|a| {
                let row = DocumentRow::of(doc, &a);
                (a, row)
            });
            progress.document_done(size);
            (doc, result)
        })
        .collect()
}

/// The documents' file sizes, for batching and progress (a file that cannot be
/// read counts 0).
fn file_sizes(corpus: &Corpus) -> Vec<u64> {
    let size = |d: &DocSpec| std::fs::metadata(corpus.root.join(&d.file)).map_or(0, |m| m.len());
    corpus.docs.iter().map(size).collect()
}

/// Writes a batch's rows of `documents.parquet` and adds them to the run's counts
/// and input digest.
fn keep_documents(
    rows: &[DocumentRow],
    documents: &mut TableWriter,
    extra_columns: &[String],
    is_int: &[bool],
    out: &mut CorpusPass,
) -> Result<()> {
    documents.write(table::documents(rows, extra_columns, is_int)?)?;
    let digest = out.inputs.as_mut().expect("until the pass ends");
    for row in rows {
        digest.add(&row.doc_id, &row.path, &row.sha256, row.encoding);
        *out.tokens.entry(row.lang.as_str()).or_insert(0) += row.n_tokens;
    }
    out.documents += rows.len();
    Ok(())
}

/// Where a batch's results go: the per-document tables, a shard's parts, and the
/// spill file of the profiles' terms.
struct Keep<'a> {
    doc_tables: &'a mut DocTables,
    parts: Option<&'a mut Parts>,
    spill: &'a mut SpillWriter,
    /// The rest of each profile, and its version document if it has a `work`.
    profiles: &'a mut Records<(GroupedDoc, Option<VersionDoc>)>,
    documents: &'a mut TableWriter,
    /// Which of the manifest's extra columns are integers.
    is_int: &'a [bool],
}

/// Writes a batch's per-document tables while it makes the batch's profiles, and
/// spills them (terms apart from the rest); then its rows of `documents.parquet`.
/// Returns the seconds those rows took.
fn keep_batch(
    plan: &Plan,
    setup: &Setup,
    batch: AnalysedBatch<'_>,
    keep: &mut Keep<'_>,
    out: &mut CorpusPass,
) -> Result<f64> {
    keep_profiles(plan, setup, &batch.docs, keep, out)?;
    drop(batch.docs);
    let t = Instant::now();
    let extra_columns = &setup.corpus.extra_columns;
    keep_documents(&batch.rows, keep.documents, extra_columns, keep.is_int, out)?;
    Ok(t.elapsed().as_secs_f64())
}

/// The per-document tables and profiles of a batch.
fn keep_profiles(
    plan: &Plan,
    setup: &Setup,
    analysed: &[(&DocSpec, Analysed)],
    keep: &mut Keep<'_>,
    out: &mut CorpusPass,
) -> Result<()> {
    let doc_tables = &mut *keep.doc_tables;
    let batch = Batch {
        docs: analysed,
        frame_ids: setup.engine.matcher.frame_ids(),
        auditor: &setup.engine.auditor,
    };
    let vocab = &mut out.vocab;
    let (written, profiled) = setup.pool.install(|| {
        rayon::join(
            || doc_tables.write(&batch),
            || -> Result<Vec<(GroupedDoc, Option<VersionDoc>)>> {
                let mut profiles = Vec::with_capacity(analysed.len());
                for (doc, a) in analysed {
                    let group = group_value(doc, a, &setup.corpus, &plan.group_by);
                    let (lang, year) = (a.read.lang, doc.year);
                    let g = GroupedDoc::new((&doc.doc_id, group), lang, year, &a.counts, vocab)?;
                    let v = setup
                        .corpus
                        .extra_value(doc, "work")
                        .map(|work| VersionDoc::new(&doc.doc_id, &work, lang, &a.counts));
                    profiles.push((g, v));
                }
                Ok(profiles)
            },
        )
    });
    written?;
    let mut profiles = profiled?;
    if let Some(parts) = keep.parts.as_deref_mut() {
        let docs: Vec<(&str, &GroupedDoc)> = analysed
            .iter()
            .map(|(doc, _)| doc.doc_id.as_str())
            .zip(profiles.iter().map(|(g, _)| g))
            .collect();
        let versions: Vec<VersionDoc> = profiles.iter().filter_map(|(_, v)| v.clone()).collect();
        let frame_ids = setup.engine.matcher.frame_ids();
        parts.write(&docs, &out.vocab, &versions, frame_ids)?;
    }
    for ((_, a), (g, _)) in analysed.iter().zip(&profiles) {
        out.ngrams.add_document(&g.group, g.lang, &a.counts.ngrams);
    }
    for profile in &mut profiles {
        let g = &mut profile.0;
        keep.spill.push(&g.terms, &g.collocates)?;
        g.terms = Vec::new();
        g.collocates = Vec::new();
        keep.profiles.push(profile)?;
    }
    Ok(())
}

/// Builds the group tables in parallel and writes them in the registry's order;
/// returns the seconds it took. A table's time in the log is its own building (in
/// parallel with the others) and its writing.
pub(crate) fn write_group_tables(
    inputs: &Inputs<'_>,
    pool: &rayon::ThreadPool,
    staged: &StagedDir,
    log: &mut TableLog,
) -> Result<f64> {
    let t = Instant::now();
    let built: Vec<(GroupTable, Result<DataFrame>, f64)> = pool.install(|| {
        GroupTable::ALL
            .par_iter()
            .map(|&table| {
                let t = Instant::now();
                (table, table.build(inputs), t.elapsed().as_secs_f64())
            })
            .collect()
    });
    for (table, df, build_secs) in built {
        let t = Instant::now();
        log.write_built(staged, table.name(), df?)?;
        *log.secs.entry(table.name()).or_insert(0.0) += t.elapsed().as_secs_f64() + build_secs;
    }
    Ok(t.elapsed().as_secs_f64())
}

/// The typed `run.json` of this run.
fn record(
    plan: &Plan,
    setup: &Setup,
    pass: &CorpusPass,
    inputs: provenance::InputsHasher,
    log: &TableLog,
    command_line: &[String],
    timings: provenance::Timings,
) -> RunManifest {
    let versions = provenance::versions();
    let added = setup.engine.analyzer.chinese().added_words();
    let lexicon = &setup.lexicon;
    RunManifest {
        govlens_version: env!("CARGO_PKG_VERSION").into(),
        pipeline: plan.pipeline.as_ref().map(|p| p.display().to_string()),
        settings: provenance::RecordedSettings {
            corpus: plan.corpus.display().to_string(),
            count_zones: plan
                .counted_zones
                .zones()
                .iter()
                .map(|z| z.as_str().into())
                .collect(),
            out: plan.out.display().to_string(),
            group_by: plan.group_by.clone(),
            lexicon: lexicon.source.clone(),
            strict: plan.strict,
            max_file_bytes: plan.max_file_bytes,
            batch_bytes: plan.batch_bytes,
            shard: plan.shard.map(|s| format!("{}/{}", s.index, s.count)),
            stats: plan.stats.clone(),
        },
        tokens_definition: provenance::tokens_definition(),
        shard_of: setup.shard.clone().map(|mut record| {
            record.parts = pass
                .parts
                .iter()
                .map(|&(k, n)| (k.to_string(), n))
                .collect();
            record
        }),
        merged_from: None,
        lexicon: provenance::LexiconRecord {
            source: lexicon.source.clone(),
            sha256: lexicon.sha256.clone(),
            frames: lexicon.frames.len(),
            format: lexicon.format,
        },
        dictionary: provenance::Dictionary {
            segmenter: format!("jieba-rs {} default dictionary", versions.jieba_rs),
            added_words: added.to_vec(),
            sha256: hex_sha256(added.join("\n").as_bytes()),
        },
        script_conversion: provenance::ScriptConversion {
            applies_to: "zh documents with script Hant (given or detected)".into(),
            characters: format!(
                "OpenCC tw2s (ferrous-opencc {}): script only",
                versions.ferrous_opencc
            ),
            vocabulary: "pipelines/taiwan-vocabulary.toml (built in), applied to whole words"
                .into(),
            vocabulary_sha256: setup
                .engine
                .analyzer
                .traditional()
                .vocabulary_sha256()
                .into(),
        },
        inputs: inputs.finish(),
        skipped: pass
            .skipped
            .iter()
            .map(|e| provenance::SkippedInput {
                doc_id: e.doc_id.clone(),
                path: e.path.clone(),
                kind: e.kind.into(),
            })
            .collect(),
        rows: log.rows.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        tokens: pass.tokens.iter().map(|(&k, &v)| (k.into(), v)).collect(),
        invocation: provenance::Invocation {
            command_line: command_line.to_vec(),
            threads: setup.threads,
            timings_seconds: timings,
        },
        versions,
    }
}

/// Most documents in one batch: a batch of small files holds every one's
/// counts, concordance lines and text at once (8 MiB of one-line files would be
/// 50,000 of them).
const MAX_BATCH_DOCS: usize = 1_024;

/// Documents (given their file sizes, in doc_id order) cut into runs of about
/// `max_bytes` of files and at most [`MAX_BATCH_DOCS`] documents, at least one
/// document each. The cut does not depend on the thread count, so neither do the
/// row groups of the per-document tables.
fn batches(sizes: &[u64], max_bytes: u64) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, &size) in sizes.iter().enumerate() {
        if i > start && (bytes + size > max_bytes || i - start >= MAX_BATCH_DOCS) {
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
fn strict_error(corpus: &Corpus, skipped: &[Skipped]) -> Error {
    let first = &skipped[0];
    let more = match skipped.len() {
        1 => String::new(),
        n => format!(
            ", and {} more unreadable documents found before stopping",
            n - 1
        ),
    };
    Error::Document {
        path: corpus.root.join(&first.path),
        message: format!(
            "{} ({}){more}; --strict: nothing written",
            first.message, first.kind
        ),
    }
}

/// The value of the grouping column for one document; `(missing)` when empty.
fn group_value(spec: &DocSpec, a: &Analysed, corpus: &Corpus, column: &str) -> String {
    let value = match column {
        "jurisdiction" => Some(spec.jurisdiction.clone()),
        "lang" => Some(a.read.lang.as_str().to_string()),
        "script" => Some(a.read.script.clone()),
        "year" => spec.year.map(|y| y.to_string()),
        "title" => spec.title.clone(),
        other => corpus.extra_value(spec, other),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_are_cut_by_bytes_and_by_documents() {
        assert_eq!(batches(&[5, 5, 5, 20, 1], 10), vec![0..2, 2..3, 3..4, 4..5]);
        assert_eq!(batches(&[], 10), Vec::<std::ops::Range<usize>>::new());
        // Small files: at most MAX_BATCH_DOCS a batch, however few bytes.
        let tiny = vec![1u64; 2 * MAX_BATCH_DOCS + 3];
        let cut = batches(&tiny, 1 << 30);
        assert_eq!(
            cut,
            vec![
                0..MAX_BATCH_DOCS,
                MAX_BATCH_DOCS..2 * MAX_BATCH_DOCS,
                2 * MAX_BATCH_DOCS..2 * MAX_BATCH_DOCS + 3
            ]
        );
    }
}
