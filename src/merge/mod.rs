//! `govlens merge`: the run directories of the N shards of a corpus
//! (`govlens run --shard K/N`) joined into the run directory that one run over the
//! whole corpus would have written: every table with the same contents, `run.json`
//! (naming the shards it merged) and the report.
//!
//! The per-document tables are merged in the corpus' doc_id order ([`stream`]);
//! while they pass, the documents' compact profiles are rebuilt from them (terms,
//! frames, unit frames, the documents' group, language, year and size) and from the
//! two parts a shard writes for the merge ([`crate::run::parts`]); the group tables
//! are then computed from the profiles exactly as a run computes them, in the
//! same document order, so every statistic — sums, dispersion, bootstrap intervals —
//! is the single run's. The shards are checked first ([`shards`]); a merge that
//! fails writes nothing.

pub mod shards;
pub mod stream;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use polars::prelude::*;
use rustc_hash::FxHashMap;

use crate::analyze::Lang;
use crate::error::{Error, Result};
use crate::output::{Input, StagedDir};
use crate::provenance::{self, MergedShard};
use crate::stats::ngrams::Totals;
use crate::stats::profile::InProfiles;
use crate::stats::{GroupedDoc, Vocab};
use crate::tables::document::{self as doc_tables, DocTable};
use crate::tables::group::{self as group_tables, Inputs, write_group_tables};
use crate::tables::shard::{self as parts, PartTable};
use crate::tables::{Destination, TableLog, ints, read_parquet, strs};
use crate::versions::VersionDoc;
use shards::ShardDir;
use stream::{Cursor, Merged, polars_error};

/// What a finished merge reports.
#[derive(Debug, Clone)]
pub struct MergeSummary {
    pub out: PathBuf,
    pub shards: usize,
    pub documents: usize,
    pub skipped: usize,
    pub rows: BTreeMap<&'static str, usize>,
    pub seconds: f64,
}

/// How to merge.
#[derive(Debug, Clone)]
pub struct MergePlan {
    pub out: PathBuf,
    pub shards: Vec<PathBuf>,
    pub threads: Option<usize>,
    pub report: bool,
}

/// Merges the shards of `plan` into `plan.out`, telling `observer` what is not
/// an error; `command_line` is recorded in `run.json`.
pub fn merge(
    plan: &MergePlan,
    command_line: &[String],
    observer: &dyn crate::progress::Observer,
) -> Result<MergeSummary> {
    let started = Instant::now();
    let (pool, threads) = crate::limits::thread_pool(plan.threads)?;
    let shards = shards::open_all(&plan.shards)?;
    let first = &shards[0];
    let staged = StagedDir::create(&plan.out, &inputs(&shards))?;
    let docs = Documents::read(&shards)?;
    let frame_ids = &first.record.frames;
    let mut profiles = Profiles::new(&docs, &first.run.settings.group_by, frame_ids)?;
    let setup_secs = started.elapsed().as_secs_f64();

    let mut log = TableLog::default();
    let t = Instant::now();
    let dest = Destination::Dir(staged.file(""));
    log.write(&dest, "documents", || Ok(docs.documents.clone()))?;
    log.write(&dest, "errors", || Ok(docs.errors.clone()))?;
    for table in DocTable::ALL {
        let t = Instant::now();
        let name = table.name();
        let target = Some((&dest, name, table.empty()?));
        let kind = match table {
            DocTable::Terms => Kind::Terms,
            DocTable::Frames => Kind::Frames,
            DocTable::UnitFrames => Kind::UnitFrames,
            _ => Kind::Other,
        };
        let rows = merge_table(
            &shards,
            &docs,
            &format!("{name}.parquet"),
            target,
            |i, p| profiles.visit(kind, i, p),
        )?;
        log.rows.insert(name, rows);
        log.secs.insert(name, t.elapsed().as_secs_f64());
    }
    let mut ngrams = Totals::default();
    for part in PartTable::ALL {
        let kind = match part {
            PartTable::Collocates => Kind::Collocates,
            PartTable::Versions => Kind::Versions,
            PartTable::Ngrams => {
                for shard in &shards {
                    add_ngrams(&shard.dir.join(part.file()), &mut ngrams)?;
                }
                continue;
            }
        };
        merge_table(&shards, &docs, &part.file(), None, |i, p| {
            profiles.visit(kind, i, p)
        })?;
    }
    // TextRank needs a document's words, which only its shard saw: its rows come
    // from the shard's keywords table (TF-IDF is recomputed over the whole corpus).
    merge_table(&shards, &docs, "keywords.parquet", None, |i, p| {
        profiles.visit(Kind::TextRank, i, p)
    })?;
    let doc_secs = t.elapsed().as_secs_f64();

    let (grouped, vocab, versions) = profiles.finish();
    let inputs = Inputs {
        grouped: &grouped,
        terms: &InProfiles(&grouped),
        vocab: &vocab,
        versions: &versions,
        ngrams: &ngrams,
        frame_ids,
        settings: first.run.settings.stats.clone(),
        observer,
    };
    let group_secs = write_group_tables(&inputs, &pool, &dest, &mut log)?;
    drop((grouped, vocab, versions));

    let timings = provenance::Timings {
        setup: setup_secs,
        analyse_and_document_tables: doc_secs,
        group_tables: group_secs,
        total: started.elapsed().as_secs_f64(),
        tables: log.secs.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
    };
    let run = record(plan, &shards, &docs, &log, command_line, threads, timings)?;
    run.write(&staged.file(""))?;
    if plan.report {
        let lexicon = crate::report::lexicon_of(&first.dir)?;
        crate::report::write(&staged.file(""), lexicon.as_ref())?;
        crate::explore::write_of_run(&staged.file(""), lexicon.as_ref())?;
    }
    Ok(MergeSummary {
        out: staged.commit()?,
        shards: shards.len(),
        documents: docs.order.len(),
        skipped: docs.errors.height(),
        rows: log.rows,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// What a merge reads, which its output must neither hold nor lie inside: the
/// shards, and the corpus they were run on.
fn inputs(shards: &[ShardDir]) -> Vec<Input<'_>> {
    let corpus = Path::new(&shards[0].run.settings.corpus);
    let shards = shards.iter().map(|s| Input::new("shard", &s.dir));
    shards.chain([Input::new("corpus", corpus)]).collect()
}

/// The merged `run.json`: the shards' settings and provenance (equal in all of
/// them), with the whole corpus' inputs, skipped documents, rows and tokens.
fn record(
    plan: &MergePlan,
    shards: &[ShardDir],
    docs: &Documents,
    log: &TableLog,
    command_line: &[String],
    threads: usize,
    timings: provenance::Timings,
) -> Result<provenance::RunManifest> {
    let mut run = shards[0].run.clone();
    run.settings.out = plan.out.display().to_string();
    run.settings.shard = None;
    run.shard_of = None;
    run.merged_from = Some(
        shards
            .iter()
            .map(|s| MergedShard {
                dir: s.dir.display().to_string(),
                shard: s.name(),
                documents: s.run.rows.get("documents").copied().unwrap_or(0) as u64,
                skipped: s.run.skipped.len() as u64,
                run_json_sha256: s.run_json_sha256.clone(),
            })
            .collect(),
    );
    let d = &docs.documents;
    let (ids, paths) = (strs(d, "doc_id")?, strs(d, "path")?);
    let (sha, encoding) = (strs(d, "sha256")?, strs(d, "encoding")?);
    let inputs: Vec<provenance::Input> = (0..d.height())
        .map(|i| provenance::Input {
            doc_id: ids.get(i).unwrap_or("").into(),
            path: paths.get(i).unwrap_or("").into(),
            sha256: sha.get(i).unwrap_or("").into(),
            encoding: encoding.get(i).unwrap_or("").into(),
        })
        .collect();
    run.inputs = provenance::Inputs::digest(&inputs);
    let e = &docs.errors;
    let (ids, paths, kinds) = (strs(e, "doc_id")?, strs(e, "path")?, strs(e, "kind")?);
    run.skipped = (0..e.height())
        .map(|i| provenance::SkippedInput {
            doc_id: ids.get(i).unwrap_or("").into(),
            path: paths.get(i).unwrap_or("").into(),
            kind: kinds.get(i).unwrap_or("").into(),
        })
        .collect();
    run.rows = log.rows.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    let (langs, tokens) = (strs(d, "lang")?, ints(d, "n_tokens")?);
    run.tokens = BTreeMap::new();
    for (lang, n) in langs.iter().zip(tokens.iter()) {
        *run.tokens.entry(lang.unwrap_or("").into()).or_insert(0) += n.unwrap_or(0) as u64;
    }
    run.invocation = provenance::Invocation {
        command_line: command_line.to_vec(),
        threads,
        timings_seconds: timings,
    };
    Ok(run)
}

/// The shards' `documents` and `errors`, merged, and which shard holds each
/// analysed document.
struct Documents {
    /// `documents.parquet` of the whole corpus, in doc_id order.
    documents: DataFrame,
    errors: DataFrame,
    /// (doc_id, shard index) of every analysed document, in doc_id order.
    order: Vec<(String, usize)>,
}

impl Documents {
    fn read(shards: &[ShardDir]) -> Result<Documents> {
        let (documents, order) = merged_by_doc_id(shards, "documents")?;
        let (errors, failed) = merged_by_doc_id(shards, "errors")?;
        // A document is in one shard only, read or not.
        let mut all: Vec<&(String, usize)> = order.iter().chain(&failed).collect();
        all.sort();
        check_unique(shards, all.iter().map(|&&(ref id, s)| (id.as_str(), s)))?;
        Ok(Documents {
            documents,
            errors,
            order,
        })
    }
}

/// The table `name` of every shard (small: one row per document) in one frame
/// sorted by doc_id, with the shard of each row.
fn merged_by_doc_id(shards: &[ShardDir], name: &str) -> Result<(DataFrame, Vec<(String, usize)>)> {
    let mut frames = Vec::with_capacity(shards.len());
    for s in shards {
        frames.push((s, read_parquet(&s.dir.join(format!("{name}.parquet")))?));
    }
    let path = shards[0].dir.join(format!("{name}.parquet"));
    let fail = |e| polars_error(&path, e);
    // Manifest columns are Int64 in a shard whose values are all numbers (or
    // none) and text in another: text, as in one run over both.
    let names: Vec<PlSmallStr> = frames[0].1.get_column_names_owned();
    for (s, df) in &frames {
        if df.get_column_names_owned() != names {
            return Err(Error::Invalid(format!(
                "shards {} and {} have different {name} columns (different manifests?)",
                shards[0].name(),
                s.name()
            )));
        }
    }
    for col_name in &names {
        let texts = frames.iter().any(|(_, df)| {
            df.column(col_name)
                .is_ok_and(|c| c.dtype() == &DataType::String)
        });
        if !texts {
            continue;
        }
        for (_, df) in frames.iter_mut() {
            let c = df.column(col_name).map_err(fail)?;
            if c.dtype() != &DataType::String {
                let cast = c.cast(&DataType::String).map_err(fail)?;
                df.with_column(cast).map_err(fail)?;
            }
        }
    }
    let mut keys: Vec<(String, usize, IdxSize)> = Vec::new();
    let mut all: Option<DataFrame> = None;
    for (k, (_, df)) in frames.into_iter().enumerate() {
        for id in strs(&df, "doc_id")?.iter() {
            let row = keys.len() as IdxSize;
            keys.push((id.unwrap_or("").to_string(), k, row));
        }
        match all.as_mut() {
            None => all = Some(df),
            Some(all) => {
                all.vstack_mut(&df).map_err(fail)?;
            }
        }
    }
    let all = all.unwrap_or_default();
    keys.sort();
    check_unique(shards, keys.iter().map(|(id, s, _)| (id.as_str(), *s)))?;
    let take = IdxCa::from_vec("row".into(), keys.iter().map(|k| k.2).collect());
    let mut sorted = all.take(&take).map_err(fail)?;
    sorted.align_chunks();
    Ok((sorted, keys.into_iter().map(|(id, s, _)| (id, s)).collect()))
}

/// Fails when a doc_id (the input sorted by it) is in two shards.
fn check_unique<'a>(
    shards: &[ShardDir],
    sorted: impl Iterator<Item = (&'a str, usize)>,
) -> Result<()> {
    let mut last: Option<(&str, usize)> = None;
    for (id, s) in sorted {
        if let Some((prev, ps)) = last
            && prev == id
        {
            return Err(Error::Invalid(format!(
                "document {id:?} is in shard {} ({}) and in shard {} ({}): shards of one \
                 run never share a document",
                shards[ps].name(),
                shards[ps].dir.display(),
                shards[s].name(),
                shards[s].dir.display()
            )));
        }
        last = Some((id, s));
    }
    Ok(())
}

/// Merges the per-document table `file` of every shard in doc_id order, writing
/// it to `target` (path and schema) if given and showing every document's rows to
/// `visit` (document index, rows); returns the rows.
fn merge_table(
    shards: &[ShardDir],
    docs: &Documents,
    file: &str,
    target: Option<(&Destination, &str, DataFrame)>,
    mut visit: impl FnMut(usize, &DataFrame) -> Result<()>,
) -> Result<usize> {
    let mut cursors = shards
        .iter()
        .map(|s| Cursor::open(&s.dir.join(file)))
        .collect::<Result<Vec<_>>>()?;
    let mut merged = target
        .map(|(dest, name, empty)| Merged::create(dest, name, &empty))
        .transpose()?;
    let (mut pieces, mut rows) = (Vec::new(), 0);
    for (i, (doc_id, s)) in docs.order.iter().enumerate() {
        cursors[*s].take(doc_id, &mut pieces)?;
        for p in &pieces {
            visit(i, p)?;
            rows += p.height();
        }
        match merged.as_mut() {
            Some(m) => m.push(&mut pieces)?,
            None => pieces.clear(),
        }
    }
    for c in cursors {
        c.finish()?;
    }
    if let Some(m) = merged {
        m.finish()?;
    }
    Ok(rows)
}

/// Which per-document rows a profile is rebuilt from.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Terms,
    Frames,
    UnitFrames,
    Collocates,
    Versions,
    TextRank,
    Other,
}

/// The documents' compact profiles (what a run keeps for the group tables),
/// rebuilt from their rows in doc_id order.
struct Profiles {
    frame_index: FxHashMap<String, u32>,
    vocab: Vocab,
    grouped: Vec<GroupedDoc>,
    /// Per document: its version profile, if it has a `work`.
    versions: Vec<Option<VersionDoc>>,
}

impl Profiles {
    /// Every document's group, language, year and size, from `documents`.
    fn new(docs: &Documents, group_by: &str, frame_ids: &[String]) -> Result<Profiles> {
        let d = &docs.documents;
        let fail = |e| polars_error(Path::new("documents.parquet"), e);
        let group = d
            .column(group_by)
            .map_err(fail)?
            .cast(&DataType::String)
            .map_err(fail)?;
        let group = group.as_materialized_series().str().map_err(fail)?.clone();
        let year = d
            .column("year")
            .map_err(fail)?
            .cast(&DataType::Int64)
            .map_err(fail)?;
        let year = year.as_materialized_series().i64().map_err(fail)?.clone();
        let (ids, langs, tokens) = (strs(d, "doc_id")?, strs(d, "lang")?, ints(d, "n_tokens")?);
        let work = match d.column("work") {
            Ok(c) => Some(
                c.cast(&DataType::String)
                    .map_err(fail)?
                    .as_materialized_series()
                    .str()
                    .map_err(fail)?
                    .clone(),
            ),
            Err(_) => None,
        };
        let mut grouped = Vec::with_capacity(d.height());
        let mut versions = Vec::with_capacity(d.height());
        for i in 0..d.height() {
            let lang_name = langs.get(i).unwrap_or("");
            let lang = Lang::parse(lang_name).ok_or_else(|| {
                Error::Invalid(format!("documents.parquet: unknown language {lang_name:?}"))
            })?;
            let doc_id = ids.get(i).unwrap_or("");
            grouped.push(GroupedDoc {
                doc_id: doc_id.to_string(),
                group: group.get(i).unwrap_or("(missing)").to_string(),
                lang,
                year: year.get(i).map(|y| y as i32),
                n_tokens: tokens.get(i).unwrap_or(0) as u64,
                terms: Vec::new(),
                frames: Vec::new(),
                collocates: Vec::new(),
                window_tokens: vec![0; frame_ids.len()],
                textrank: Vec::new(),
            });
            versions.push(work.as_ref().and_then(|w| w.get(i)).map(|w| VersionDoc {
                doc_id: doc_id.to_string(),
                work: w.to_string(),
                lang,
                units: Default::default(),
                unit_frames: Vec::new(),
            }));
        }
        Ok(Profiles {
            frame_index: frame_ids
                .iter()
                .enumerate()
                .map(|(i, f)| (f.clone(), i as u32))
                .collect(),
            vocab: Vocab::default(),
            grouped,
            versions,
        })
    }

    fn frame(&self, id: &str) -> Result<u32> {
        self.frame_index.get(id).copied().ok_or_else(|| {
            Error::Invalid(format!(
                "a shard's table names frame {id:?}, which its lexicon does not have"
            ))
        })
    }

    /// Takes a document's rows of one table into its profile.
    fn visit(&mut self, kind: Kind, i: usize, rows: &DataFrame) -> Result<()> {
        match kind {
            Kind::Terms => {
                for (t, n) in doc_tables::read_terms(rows)? {
                    let id = self.vocab.id(t)?;
                    self.grouped[i].terms.push((id, small(n)?));
                }
            }
            Kind::Frames => {
                for (f, n) in doc_tables::read_frames(rows)? {
                    let f = self.frame(f)?;
                    self.grouped[i].frames.push((f, small(n)?));
                }
            }
            Kind::UnitFrames => {
                if self.versions[i].is_none() {
                    return Ok(());
                }
                let mut found = Vec::with_capacity(rows.height());
                for (u, f, n) in doc_tables::read_unit_frames(rows)? {
                    found.push((u as usize, self.frame(f)? as usize, n as u64));
                }
                if let Some(v) = self.versions[i].as_mut() {
                    v.unit_frames.extend(found);
                }
            }
            Kind::Collocates => {
                for (f, w, n) in parts::read_collocates(rows)? {
                    let f = self.frame(f)?;
                    let n = small(n)?;
                    match w {
                        None => self.grouped[i].window_tokens[f as usize] = u64::from(n),
                        Some(w) => {
                            let id = self.vocab.id(w)?;
                            self.grouped[i].collocates.push((f, id, n));
                        }
                    }
                }
            }
            Kind::Versions => {
                if let Some(v) = self.versions[i].as_mut() {
                    for (k, l) in parts::read_versions(rows)? {
                        v.units.push(k, l);
                    }
                }
            }
            Kind::TextRank => {
                let found = group_tables::read_keywords(rows)?;
                for (_, t, w) in found.filter(|(m, _, _)| *m == "textrank") {
                    let id = self.vocab.id(t)?;
                    self.grouped[i].textrank.push((id, w));
                }
            }
            Kind::Other => {}
        }
        Ok(())
    }

    /// The profiles as a run leaves them: sparse counts sorted by id (frames
    /// summed over their terms).
    fn finish(self) -> (Vec<GroupedDoc>, Vocab, Vec<VersionDoc>) {
        let mut grouped = self.grouped;
        for g in &mut grouped {
            g.terms.sort_unstable();
            g.frames.sort_unstable();
            g.frames.dedup_by(|b, a| {
                if a.0 == b.0 {
                    a.1 += b.1;
                    true
                } else {
                    false
                }
            });
            g.collocates.sort_unstable();
        }
        let versions = self.versions.into_iter().flatten().collect();
        (grouped, self.vocab, versions)
    }
}

/// Adds a shard's n-gram totals (its part `shard/ngrams.parquet`).
fn add_ngrams(path: &Path, totals: &mut Totals) -> Result<()> {
    let df = read_parquet(path)?;
    let rows =
        parts::read_ngrams(&df).map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?;
    for (group, lang, ngram, count, docs) in rows {
        totals.add(group, lang, ngram, count, docs);
    }
    Ok(())
}

/// A count of a shard's table as a profile holds it.
fn small(n: i64) -> Result<u32> {
    u32::try_from(n).map_err(|_| Error::Invalid(format!("a shard's table has a count of {n}")))
}
