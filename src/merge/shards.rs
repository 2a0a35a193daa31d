//! The shard directories a merge is given, read and checked before anything is
//! written: every one a finished run of `--shard K/N` with all its files, all of one
//! corpus, lexicon, settings and govlens build, each K of 1..N exactly once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::digest::hex_sha256;
use crate::error::{Error, Result};
use crate::provenance::{RunManifest, ShardRecord};
use crate::run::parts::PartTable;

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
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::Invalid(format!(
                    "shard {shown} is incomplete: it has no run.json (its run failed or is \
                     still running); run that shard again before merging"
                )));
            }
            Err(e) => return Err(Error::io(&path, e)),
        };
        let run = RunManifest::read(dir)?;
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
    let missing: Vec<String> = (1..=count)
        .filter(|k| !seen.contains_key(k))
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

/// What must be equal in the shards of one run, by name (the settings key by
/// key, without the output directory and the shard).
fn fingerprint(s: &ShardDir) -> BTreeMap<String, Value> {
    fn json<T: serde::Serialize>(v: &T) -> Value {
        serde_json::to_value(v).unwrap_or(Value::Null)
    }
    let mut out = BTreeMap::new();
    let run = &s.run;
    out.insert("govlens version".into(), json(&run.govlens_version));
    out.insert("crate versions".into(), json(&run.versions));
    out.insert("pipeline".into(), json(&run.pipeline));
    out.insert("lexicon".into(), json(&run.lexicon));
    out.insert("dictionary".into(), json(&run.dictionary));
    out.insert("script conversion".into(), json(&run.script_conversion));
    out.insert("token definition".into(), json(&run.tokens_definition));
    out.insert("shard count".into(), json(&s.record.count));
    out.insert("corpus".into(), json(&s.record.corpus_listing_sha256));
    out.insert("frames".into(), json(&s.record.frames));
    if let Value::Object(settings) = json(&run.settings) {
        for (k, v) in settings {
            if k != "out" && k != "shard" {
                out.insert(format!("setting {k}"), v);
            }
        }
    }
    out
}

/// A value for an error message, cut short.
fn short(v: &Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}
