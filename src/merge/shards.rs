//! The shard directories a merge is given, read and checked before anything is
//! written: every one a finished run of `--shard K/N` with all its files, all of one
//! corpus, lexicon, settings and govlens build, each K of 1..N exactly once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::digest::hex_sha256;
use crate::error::{Error, Result};
use crate::provenance::{RunManifest, ShardRecord};
use crate::tables::shard::PartTable;

/// One shard's run directory.
pub struct ShardDir {
    pub dir: PathBuf,
    pub run: RunManifest,
    pub record: ShardRecord,
    pub run_json_sha256: String,
}

impl ShardDir {
    /// `K/N`.
    pub fn name(&self) -> String {
        format!("{}/{}", self.record.index, self.record.count)
    }

    /// Reads the shard in `dir` and checks that it is complete.
    fn open(dir: &Path) -> Result<ShardDir> {
        let shown = dir.display();
        if !dir.is_dir() {
            return Err(Error::Invalid(format!(
                "shard {shown}: no such directory (did its task fail, or not run yet?)"
            )));
        }
        let path = dir.join("run.json");
        if !path.is_file() {
            return Err(Error::Invalid(format!(
                "shard {shown} is incomplete: it has no run.json (its run failed or is \
                 still running); run that shard again before merging"
            )));
        }
        let bytes = crate::limits::read_bounded(&path, crate::limits::RUN_JSON_BYTES, "run.json")?;
        let run = RunManifest::parse(&path, &bytes)?;
        if run.merged_from.is_some() {
            return Err(Error::Invalid(format!(
                "{shown} is a merged run, not a shard: merge the shards it was made of"
            )));
        }
        let Some(record) = run.shard_of.clone() else {
            return Err(Error::Invalid(format!(
                "{shown} is not a shard: it was run without --shard (or by a govlens \
                 older than `merge`)"
            )));
        };
        if record.count > crate::limits::SHARDS || record.index == 0 || record.index > record.count
        {
            return Err(Error::Invalid(format!(
                "{shown}: run.json says shard {}/{}, which is not a shard of at most {} \
                 (was the file edited?)",
                record.index,
                record.count,
                crate::limits::SHARDS
            )));
        }
        let shard = ShardDir {
            dir: dir.to_path_buf(),
            run,
            record,
            run_json_sha256: hex_sha256(&bytes),
        };
        shard.check_files()?;
        Ok(shard)
    }

    /// Every table `run.json` lists, and every part, is there with its rows.
    fn check_files(&self) -> Result<()> {
        let tables = self
            .run
            .rows
            .iter()
            .map(|(t, &n)| (format!("{t}.parquet"), n));
        let parts = PartTable::ALL.iter().map(|p| {
            let rows = self.record.parts.get(p.name()).copied();
            (p.file(), rows.unwrap_or(usize::MAX))
        });
        for (file, want) in tables.chain(parts) {
            let path = self.dir.join(&file);
            let incomplete = |what: String| {
                Error::Invalid(format!(
                    "shard {} ({}) is incomplete: {file} {what}; run that shard again",
                    self.name(),
                    self.dir.display()
                ))
            };
            if want == usize::MAX {
                return Err(incomplete("is not recorded in its run.json".into()));
            }
            let rows = std::fs::File::open(&path)
                .map_err(|_| incomplete("is missing".into()))
                .and_then(|f| {
                    use polars::prelude::{ParquetReader, SerReader};
                    ParquetReader::new(f)
                        .num_rows()
                        .map_err(|e| incomplete(format!("cannot be read ({e})")))
                })?;
            if rows != want {
                return Err(incomplete(format!(
                    "has {rows} rows where its run.json says {want}"
                )));
            }
        }
        Ok(())
    }
}

/// Reads and checks the shards in `dirs`; returns them in shard order.
pub fn open_all(dirs: &[PathBuf]) -> Result<Vec<ShardDir>> {
    if dirs.is_empty() {
        return Err(Error::Invalid(
            "no shards to merge: give the run directories of all N shards".into(),
        ));
    }
    let mut shards = dirs
        .iter()
        .map(|d| ShardDir::open(d))
        .collect::<Result<Vec<_>>>()?;
    let first = &shards[0];
    let want = fingerprint(first);
    for other in &shards[1..] {
        let got = fingerprint(other);
        for (name, value) in &want {
            if got.get(name) != Some(value) {
                return Err(Error::Invalid(format!(
                    "shards {} ({}) and {} ({}) are not parts of one run: they differ in \
                     {name} ({} against {}); merge only shards run with the same pipeline, \
                     corpus, lexicon and govlens",
                    first.name(),
                    first.dir.display(),
                    other.name(),
                    other.dir.display(),
                    short(value),
                    short(got.get(name).unwrap_or(&Value::Null)),
                )));
            }
        }
    }
    let count = first.record.count;
    let mut seen: BTreeMap<u64, &ShardDir> = BTreeMap::new();
    for s in &shards {
        if let Some(before) = seen.insert(s.record.index, s) {
            return Err(Error::Invalid(format!(
                "shard {} is given twice: {} and {}",
                s.name(),
                before.dir.display(),
                s.dir.display()
            )));
        }
    }
    // The first few missing shards are named, however many there are.
    let missing: Vec<String> = (1..=count)
        .filter(|k| !seen.contains_key(k))
        .take(10)
        .map(|k| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(Error::Invalid(format!(
            "shards missing: {} (of {count}); a merge needs every shard",
            missing.join(", ")
        )));
    }
    shards.sort_by_key(|s| s.record.index);
    Ok(shards)
}

/// What must be equal in the shards of one run, by name: `run.json` flattened to
/// dotted keys, without what differs by shard or by where it ran (the output
/// directory, the shard, the invocation, the counts) and without paths whose
/// contents are checked instead (the corpus by its listing, the lexicon by its
/// SHA-256); the pipeline is compared by its file name.
fn fingerprint(s: &ShardDir) -> BTreeMap<String, Value> {
    const PER_SHARD: [&str; 12] = [
        "settings.out",
        "settings.shard",
        "settings.corpus",
        "settings.lexicon",
        "lexicon.source",
        "invocation",
        "inputs",
        "skipped",
        "rows",
        "tokens",
        "shard_of.index",
        "shard_of.parts",
    ];
    let mut out = BTreeMap::new();
    let json = serde_json::to_value(&s.run).unwrap_or(Value::Null);
    flatten("", &json, &mut out);
    // The pipeline by its file name: the path is relative to where the shard ran.
    if let Some(Value::String(p)) = out.get_mut("pipeline") {
        *p = Path::new(p.as_str())
            .file_name()
            .map_or_else(|| p.clone(), |n| n.to_string_lossy().into_owned());
    }
    out.retain(|k, _| {
        !PER_SHARD
            .iter()
            .any(|p| k == p || k.starts_with(&format!("{p}.")))
    });
    out
}

fn flatten(prefix: &str, v: &Value, out: &mut BTreeMap<String, Value>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        _ => {
            out.insert(prefix.to_string(), v.clone());
        }
    }
}

/// A value for an error message, cut short.
fn short(v: &Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}
