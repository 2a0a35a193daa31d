//! One govlens run: corpus in, tables out.
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
//! [`Pipeline`] is the way in: a plan validated once, run into a run directory
//! ([`Pipeline::run_to_dir`], tables streamed to Parquet batch by batch, the
//! directory put in place at the end) or into memory ([`Pipeline::run`], a
//! [`RunOutput`] of polars DataFrames and the run's `run.json`). The tables
//! themselves are defined in [`crate::tables`]; `run.json` is the typed
//! [`RunManifest`].

pub mod spill;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use polars::prelude::DataFrame;
use rayon::prelude::*;

use crate::config::{Overrides, PipelineConfig, Plan};
use crate::corpus::read::{DocProblem, ProblemKind};
use crate::corpus::{Corpus, DocSpec};
use crate::digest::hex_sha256;
use crate::document::{self, Analysed, Engine, Pass, Skipped};
use crate::error::{Error, Result};
use crate::lexicon::Lexicon;
use crate::output::{Input, Scratch, StagedDir};
use crate::progress::Observer;
use crate::provenance::{self, RunManifest};
use crate::stats::{GroupedDoc, Vocab};
use crate::tables::document::{self as doc_tables, Batch, DocTables, DocumentRow};
use crate::tables::group::{Inputs, write_group_tables};
use crate::tables::shard::Parts;
use crate::tables::{Destination, Kept, TableLog, TableWriter};
use crate::versions::VersionDoc;
use spill::{Records, SpillWriter, Spilled};

/// A run, validated: what to read, how to count it and where its tables go.
#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline {
    plan: Plan,
}

impl Pipeline {
    /// The pipeline of a file (`pipelines/*.toml`; its paths are relative to it).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Pipeline> {
        Pipeline::with_overrides(Some(path.as_ref()), Overrides::default())
    }

    /// The pipeline of a TOML text, as a pipeline file holds it; its paths are
    /// relative to `base` (say, the notebook's directory).
    pub fn from_toml(text: &str, base: impl AsRef<Path>) -> Result<Pipeline> {
        Pipeline::from_toml_with(text, base, Overrides::default())
    }

    /// [`Pipeline::from_toml`] with `overrides` over it, as a front end passes
    /// what is not a key of the file (a shard of the corpus).
    pub fn from_toml_with(
        text: &str,
        base: impl AsRef<Path>,
        overrides: Overrides,
    ) -> Result<Pipeline> {
        let config = PipelineConfig::parse(text, base.as_ref(), Path::new("(pipeline text)"))?;
        let plan = Plan::from_config(Some(config), None, overrides)?;
        Ok(Pipeline { plan })
    }

    /// The pipeline of a configuration value (paths as given).
    pub fn from_config(config: PipelineConfig) -> Result<Pipeline> {
        let plan = Plan::from_config(Some(config), None, Overrides::default())?;
        Ok(Pipeline { plan })
    }

    /// The default settings on a corpus directory.
    pub fn for_corpus(corpus: impl AsRef<Path>) -> Result<Pipeline> {
        let overrides = Overrides {
            corpus: Some(corpus.as_ref().to_path_buf()),
            ..Overrides::default()
        };
        Pipeline::with_overrides(None, overrides)
    }

    /// A pipeline file (or none: the default pipeline, unless `overrides` names
    /// a corpus) with values that win over it, as the command line gives them.
    pub fn with_overrides(file: Option<&Path>, overrides: Overrides) -> Result<Pipeline> {
        Ok(Pipeline {
            plan: Plan::build(file, overrides)?,
        })
    }

    /// The validated plan.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Runs into the plan's output directory, which is put in place only when
    /// every table, `run.json` and the report are written; `command_line` is
    /// recorded in `run.json`.
    pub fn run_to_dir(&self, command_line: &[String], observer: &dyn Observer) -> Result<Summary> {
        let started = Instant::now();
        let plan = &self.plan;
        let (mut setup, staged) = Setup::prepare(plan, true)?;
        let staged = staged.expect("staged when asked");
        let dest = Destination::Dir(staged.file(""));
        let done = execute(plan, &mut setup, &dest, &staged.file(""), observer, started)?;
        done.manifest(plan, &setup, command_line)
            .write(&staged.file(""))?;
        let lexicon = setup.lexicon;
        if plan.report {
            crate::report::write(&staged.file(""), Some(&lexicon))?;
            let reading = crate::explore::Reading::of_plan(plan, &lexicon)?;
            let dir = staged.file("");
            setup
                .pool
                .install(|| crate::explore::write(&dir, Some(&lexicon), Some(&reading)))?;
        }
        let mut summary = done.summary;
        summary.out = Some(staged.commit()?);
        Ok(summary)
    }

    /// Runs with every table kept in memory (nothing is written but the scratch
    /// files of the pass, in a temporary directory removed at the end).
    pub fn run(&self, observer: &dyn Observer) -> Result<RunOutput> {
        let started = Instant::now();
        let plan = &self.plan;
        let (mut setup, _) = Setup::prepare(plan, false)?;
        let scratch = Scratch::create()?;
        let dest = Destination::memory();
        let done = execute(plan, &mut setup, &dest, scratch.path(), observer, started)?;
        let manifest = done.manifest(plan, &setup, &[]);
        Ok(RunOutput {
            kept: dest.into_kept(),
            manifest,
            summary: done.summary,
            lexicon: setup.lexicon,
        })
    }
}

/// What a finished run reports.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The run directory, for a run written to one.
    pub out: Option<PathBuf>,
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

/// A run held in memory: every table as a polars DataFrame, and `run.json`.
pub struct RunOutput {
    kept: Kept,
    pub manifest: RunManifest,
    pub summary: Summary,
    lexicon: Lexicon,
}

impl RunOutput {
    /// The table `name` (`frame_rates`, `terms`, `shard/ngrams` ...).
    pub fn table(&self, name: &str) -> Option<&DataFrame> {
        self.kept.tables.get(name)
    }

    /// The names of the tables, sorted.
    pub fn table_names(&self) -> impl Iterator<Item = &str> {
        self.kept.tables.keys().map(String::as_str)
    }

    /// The tables, taken out of the output.
    pub fn into_tables(self) -> BTreeMap<String, DataFrame> {
        self.kept.tables
    }

    /// Writes the run to the directory `out` as `govlens run` would (the same
    /// tables, `run.json` and report; the directory put in place at the end, and
    /// only over an earlier run); returns the directory.
    pub fn write(&self, out: &Path, report: bool) -> Result<PathBuf> {
        let staged = StagedDir::create(out, &[])?;
        let dir = staged.file("");
        for (name, df) in &self.kept.tables {
            if let Some(folder) = Path::new(name).parent() {
                let folder = dir.join(folder);
                std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
            }
            let batched = self.kept.batched.contains(name);
            crate::tables::write_kept(df, batched, &dir.join(format!("{name}.parquet")))?;
        }
        let mut manifest = self.manifest.clone();
        manifest.settings.out = out.display().to_string();
        manifest.write(&dir)?;
        if report {
            crate::report::write(&dir, Some(&self.lexicon))?;
            crate::explore::write_of_run(&dir, Some(&self.lexicon))?;
        }
        staged.commit()
    }
}

/// Carries out `plan` into `dest`, with its scratch files in `scratch`.
fn execute(
    plan: &Plan,
    setup: &mut Setup,
    dest: &Destination,
    scratch: &Path,
    observer: &dyn Observer,
    started: Instant,
) -> Result<Done> {
    let mut log = TableLog::default();
    let mut pass = analyse_corpus(plan, setup, dest, scratch, observer, &mut log)?;
    // The segmenter's dictionaries are not needed for the group tables.
    setup.engine = None;
    crate::memory::release_freed();
    log.write(dest, "errors", || doc_tables::errors(&pass.skipped))?;
    let inputs = Inputs {
        grouped: &pass.grouped,
        terms: pass.terms.as_ref().expect("the corpus pass spills"),
        vocab: &pass.vocab,
        versions: &pass.versions,
        ngrams: &pass.ngrams,
        frame_ids: &setup.facts.frame_ids,
        settings: plan.stats.clone(),
        observer,
    };
    if observer.cancelled() {
        return Err(Error::Cancelled);
    }
    let group_secs = write_group_tables(&inputs, &setup.pool, dest, &mut log)?;
    // The spill file goes before the directory is committed.
    pass.terms = None;
    let timings = provenance::Timings {
        setup: setup.secs,
        analyse_and_document_tables: pass.secs,
        group_tables: group_secs,
        total: started.elapsed().as_secs_f64(),
        tables: log.secs.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
    };
    let frame_hits = pass.grouped.iter().map(GroupedDoc::frame_hits).sum();
    // The profiles, which grow with the corpus, go first.
    (pass.grouped, pass.versions, pass.vocab) = Default::default();
    crate::memory::release_freed();
    let summary = Summary {
        out: None,
        documents: pass.documents,
        skipped: pass.skipped.clone(),
        tokens: pass.tokens.clone(),
        rows: log.rows.clone(),
        frame_hits,
        seconds: timings.total,
    };
    Ok(Done {
        pass,
        log,
        timings,
        summary,
    })
}

/// A run's tables written, and what `run.json` records of it.
struct Done {
    pass: CorpusPass,
    log: TableLog,
    timings: provenance::Timings,
    summary: Summary,
}

impl Done {
    fn manifest(&self, plan: &Plan, setup: &Setup, command_line: &[String]) -> RunManifest {
        let inputs = self.pass.inputs.clone().expect("the digest is kept");
        record(
            plan,
            setup,
            &self.pass,
            inputs,
            &self.log,
            command_line,
            self.timings.clone(),
        )
    }
}

/// Everything built and checked before the first document is read.
struct Setup {
    lexicon: Lexicon,
    corpus: Corpus,
    /// The per-document analysis, until the corpus pass is done ...
    engine: Option<Engine>,
    /// ... and what the group tables and `run.json` need of it.
    facts: EngineFacts,
    pool: rayon::ThreadPool,
    threads: usize,
    /// The shard's place in the whole corpus, when the run is one shard.
    shard: Option<provenance::ShardRecord>,
    /// Seconds to build the analyzer, matcher and audit.
    secs: f64,
}

impl Setup {
    /// Reads and checks everything, takes the output (its lock, and a staging
    /// directory) if `stage`, before the costly builds, and builds the analysis.
    fn prepare(plan: &Plan, stage: bool) -> Result<(Setup, Option<StagedDir>)> {
        let lexicon = Lexicon::load_or_builtin(plan.lexicon.as_deref(), plan.lexicon_format)?;
        let mut corpus = Corpus::open(&plan.corpus)?;
        plan.stats.check_anchors(&corpus.docs)?;
        let shard = plan.shard.map(|shard| {
            let record = shard_record(shard, &corpus, &lexicon);
            corpus.docs.retain(|d| shard.holds(&d.doc_id));
            record
        });
        check_group_column(&corpus, &plan.group_by)?;
        let staged = match stage {
            true => Some(StagedDir::create(&plan.out, &inputs(plan))?),
            false => None,
        };
        let t = Instant::now();
        let engine = Engine::new(&lexicon)?;
        let secs = t.elapsed().as_secs_f64();
        let (pool, threads) = crate::limits::thread_pool(plan.threads)?;
        let facts = EngineFacts {
            frame_ids: engine.matcher.frame_ids().to_vec(),
            added_words: engine.analyzer.chinese().added_words().to_vec(),
            vocabulary_sha256: engine.analyzer.traditional().vocabulary_sha256().into(),
        };
        let setup = Setup {
            lexicon,
            corpus,
            engine: Some(engine),
            facts,
            pool,
            threads,
            shard,
            secs,
        };
        Ok((setup, staged))
    }

    /// The per-document analysis (during the corpus pass).
    fn engine(&self) -> &Engine {
        self.engine.as_ref().expect("until the corpus pass is done")
    }

    fn pass(&self, plan: &Plan) -> Pass<'_> {
        let context = plan.stats.context();
        self.engine()
            .pass(context, plan.max_file_bytes, plan.counted_zones)
            .counting_names(plan.count_names)
    }
}

/// What the group tables and `run.json` need of the analysis once it is gone.
struct EngineFacts {
    frame_ids: Vec<String>,
    /// Words added to the segmenter's dictionary.
    added_words: Vec<String>,
    /// The SHA-256 of the Taiwan vocabulary applied to Traditional documents.
    vocabulary_sha256: String,
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
    dest: &Destination,
    scratch: &Path,
    progress: &dyn Observer,
    log: &mut TableLog,
) -> Result<CorpusPass> {
    let t = Instant::now();
    let corpus = &setup.corpus;
    let pass = setup.pass(plan);
    let mut doc_tables = DocTables::create(dest)?;
    let mut out = CorpusPass::new(corpus.docs.len());
    let mut parts = setup
        .shard
        .as_ref()
        .map(|_| Parts::create(dest))
        .transpose()?;
    let mut spill = SpillWriter::create(&scratch.join(".terms.spill"))?;
    let is_int = doc_tables::extra_column_is_int(&corpus.docs, corpus.extra_columns.len());
    let mut documents = dest.writer(
        "documents",
        &doc_tables::documents(&[], &corpus.extra_columns, &is_int)?,
    )?;
    let mut documents_secs = 0.0;
    let mut profiles = Records::create(&scratch.join(".profiles.spill"))?;
    let sizes = file_sizes(corpus);
    progress.start(corpus.docs.len() as u64, sizes.iter().sum());
    let ranges = batches(&sizes, plan.batch_bytes);
    // Batch k is analysed while batch k - 1's tables are written: the two share
    // the pool, so a core that finishes its part of one takes up the other. Batches
    // are kept in order, so nothing written depends on the overlap.
    let mut ready: Option<AnalysedBatch<'_>> = None;
    for k in 0..=ranges.len() {
        if progress.cancelled() {
            return Err(Error::Cancelled);
        }
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
            if progress.cancelled() {
                // Not analysed: the batch loop ends the run before keeping it.
                return (
                    doc,
                    Err(DocProblem::new(ProblemKind::Unreadable, "cancelled")),
                );
            }
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
    documents.write(doc_tables::documents(rows, extra_columns, is_int)?)?;
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
        frame_ids: setup.engine().matcher.frame_ids(),
        auditor: &setup.engine().auditor,
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
        let frame_ids = setup.engine().matcher.frame_ids();
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
    let added = &setup.facts.added_words;
    let lexicon = &setup.lexicon;
    RunManifest {
        govlens_version: env!("CARGO_PKG_VERSION").into(),
        pipeline: plan.pipeline.as_ref().map(|p| p.display().to_string()),
        settings: provenance::RecordedSettings {
            corpus: plan.corpus.display().to_string(),
            count_names: plan.count_names,
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
            vocabulary_sha256: setup.facts.vocabulary_sha256.clone(),
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
