//! Pipeline files: declarative runs, validated into a [`Plan`].
//!
//! A pipeline is a small TOML file (`pipelines/*.toml`). Paths in it are relative to
//! the file itself, so a pipeline works from any working directory. Unknown keys
//! are errors, not silently ignored. Command-line flags override the file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::document::structure::{CountedZones, Zone};
use crate::error::{Error, Result};
use crate::lexicon::Format;
use crate::limits;
use crate::stats::Settings;

/// The pipeline `govlens run` uses when given none.
pub const DEFAULT_PIPELINE: &str = "pipelines/default.toml";

/// The TOML form of a pipeline.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PipelineConfig {
    /// Corpus directory.
    pub corpus: PathBuf,
    /// Output directory (replaced by each run); `out/NAME` of the corpus when
    /// absent.
    #[serde(default)]
    pub out: Option<PathBuf>,
    /// Frame lexicon; the built-in one when absent.
    #[serde(default)]
    pub lexicon: Option<PathBuf>,
    /// The lexicon's format, when its extension does not say.
    #[serde(default)]
    pub lexicon_format: Option<Format>,
    /// Document column that defines groups.
    #[serde(default)]
    pub group_by: Option<String>,
    /// Worker threads; all cores when absent.
    #[serde(default)]
    pub threads: Option<usize>,
    /// Any unreadable document makes the run fail (default: record and go on).
    #[serde(default)]
    pub strict: Option<bool>,
    /// Files larger than this many MiB are refused (default 256).
    #[serde(default)]
    pub max_file_mb: Option<u64>,
    /// MiB of files analysed at a time (default 8).
    #[serde(default)]
    pub batch_mb: Option<f64>,
    /// The zones whose tokens are counted (default `["body", "annex"]`).
    #[serde(default)]
    pub count_zones: Option<Vec<String>>,
    /// Count frame words inside names of bodies, laws and programmes (default
    /// false: set aside, reason `name` in the audit).
    #[serde(default)]
    pub count_names: Option<bool>,
    /// Settings of the comparative statistics.
    #[serde(default)]
    pub stats: Settings,
}

/// A deterministic part of a corpus: shard `index` (1-based) of `count`. A document
/// belongs to shard `fnv1a(doc_id) % count + 1`, so shards are stable when documents
/// are added and can run on different machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Parses `K/N` with 1 <= K <= N, or `auto` (`auto/N`): the shard of this task
    /// of a Slurm job array or a Kubernetes indexed job ([`Shard::from_env`]).
    pub fn parse(s: &str) -> Result<Shard> {
        let spec = s.trim();
        if spec == "auto" || spec.starts_with("auto/") {
            return Shard::from_env(spec, |name| std::env::var(name).ok());
        }
        Shard::parse_fixed(s)
    }

    /// The shard of the task that runs this process, from the variables `var`
    /// gives: a Slurm array task (`SLURM_ARRAY_TASK_ID` counted from
    /// `SLURM_ARRAY_TASK_MIN` in steps of `SLURM_ARRAY_TASK_STEP`, of
    /// `SLURM_ARRAY_TASK_COUNT`), else a Kubernetes indexed job
    /// (`JOB_COMPLETION_INDEX`, from 0) whose count is given as `auto/N` or in
    /// `GOVLENS_SHARD_COUNT`.
    pub fn from_env(spec: &str, var: impl Fn(&str) -> Option<String>) -> Result<Shard> {
        let bad = |m: String| Error::Invalid(format!("--shard {spec}: {m}"));
        let number = |name: &str| -> Result<Option<u64>> {
            match var(name) {
                None => Ok(None),
                Some(v) => v
                    .trim()
                    .parse::<u64>()
                    .map(Some)
                    .map_err(|_| bad(format!("{name}={v:?} is not a whole number"))),
            }
        };
        let given: Option<u64> = match spec.strip_prefix("auto/") {
            Some(n) => Some(
                n.trim()
                    .parse()
                    .ok()
                    .filter(|&n: &u64| n > 0)
                    .ok_or_else(|| bad(format!("{n:?} is not a shard count")))?,
            ),
            None => None,
        };
        let (index, count) = if let Some(id) = number("SLURM_ARRAY_TASK_ID")? {
            let count = number("SLURM_ARRAY_TASK_COUNT")?.or(given).ok_or_else(|| {
                bad("SLURM_ARRAY_TASK_ID is set but not SLURM_ARRAY_TASK_COUNT".into())
            })?;
            let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            let step = number("SLURM_ARRAY_TASK_STEP")?.unwrap_or(1).max(1);
            if id < min || (id - min) % step != 0 {
                return Err(bad(format!(
                    "array task {id} is not in an array from {min} in steps of {step}"
                )));
            }
            ((id - min) / step + 1, count)
        } else if let Some(i) = number("JOB_COMPLETION_INDEX")? {
            let count = given
                .or(number("GOVLENS_SHARD_COUNT")?)
                .ok_or_else(|| bad("JOB_COMPLETION_INDEX is set: give the count as --shard auto/N or in GOVLENS_SHARD_COUNT".into()))?;
            (i + 1, count)
        } else {
            return Err(bad(
                "no job array here: neither SLURM_ARRAY_TASK_ID (a Slurm array task) nor JOB_COMPLETION_INDEX (a Kubernetes indexed job) is set; give K/N"
                    .into(),
            ));
        };
        if let Some(n) = given
            && n != count
        {
            return Err(bad(format!("the job array has {count} tasks, not {n}")));
        }
        if index == 0 || index > count {
            return Err(bad(format!(
                "task {index} of {count}: the array's tasks and the shard count disagree"
            )));
        }
        Ok(Shard { index, count })
    }

    /// Parses `K/N` with 1 <= K <= N.
    fn parse_fixed(s: &str) -> Result<Shard> {
        let bad = || {
            Error::Invalid(format!(
                "--shard {s:?}: expected K/N with 1 <= K <= N (e.g. 2/8), or auto"
            ))
        };
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count) = (
            k.trim().parse::<u64>().map_err(|_| bad())?,
            n.trim().parse::<u64>().map_err(|_| bad())?,
        );
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// Whether the document `doc_id` is in this shard.
    pub fn holds(&self, doc_id: &str) -> bool {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in doc_id.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h % self.count + 1 == self.index
    }
}

impl PipelineConfig {
    /// Reads a pipeline file and makes its paths absolute-or-relative-to-cwd.
    pub fn load(path: &Path) -> Result<Self> {
        let bytes = limits::read_bounded(path, limits::PIPELINE_BYTES, "pipeline file")?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::config(path, "not UTF-8 text (a pipeline is UTF-8 TOML)"))?;
        let base = path.parent().unwrap_or(Path::new(""));
        PipelineConfig::parse(&text, base, path)
    }

    /// A pipeline's TOML `text`, its paths made relative to `base`; errors name
    /// `source`.
    pub fn parse(text: &str, base: &Path, source: &Path) -> Result<Self> {
        if text.len() as u64 > limits::PIPELINE_BYTES {
            return Err(Error::config(
                source,
                format!("larger than the limit of {} bytes", limits::PIPELINE_BYTES),
            ));
        }
        let mut cfg: PipelineConfig =
            toml::from_str(text).map_err(|e| Error::toml(source, text, &e))?;
        cfg.corpus = clean(&base.join(&cfg.corpus));
        cfg.out = cfg.out.map(|o| clean(&base.join(o)));
        cfg.lexicon = cfg.lexicon.map(|l| clean(&base.join(l)));
        Ok(cfg)
    }
}

/// Removes `.` and `name/..` pairs without touching the file system, so that
/// `pipelines/../out/default` reads as `out/default`.
pub fn clean(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}

/// Everything a run needs, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub corpus: PathBuf,
    pub out: PathBuf,
    /// `None`: the built-in lexicon.
    pub lexicon: Option<PathBuf>,
    /// `None`: from the lexicon's extension.
    pub lexicon_format: Option<Format>,
    pub group_by: String,
    /// `None`: all cores.
    pub threads: Option<usize>,
    /// The pipeline file the plan came from, if any.
    pub pipeline: Option<PathBuf>,
    /// Fail on any unreadable document instead of recording it.
    pub strict: bool,
    /// Largest file read, in bytes.
    pub max_file_bytes: u64,
    /// File bytes analysed at a time, before their per-document tables are written.
    pub batch_bytes: u64,
    pub stats: Settings,
    /// The zones whose tokens count.
    pub counted_zones: CountedZones,
    /// Count the frame hits inside names too.
    pub count_names: bool,
    /// Only this part of the corpus, if given.
    pub shard: Option<Shard>,
    /// Write report.html with the tables.
    pub report: bool,
}

/// Default size limit for one file, in MiB.
pub const DEFAULT_MAX_FILE_MB: u64 = 256;

/// Default MiB of files analysed at a time.
pub const DEFAULT_BATCH_MB: f64 = 8.0;

/// Values given on the command line, which win over the pipeline file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub corpus: Option<PathBuf>,
    pub out: Option<PathBuf>,
    pub lexicon: Option<PathBuf>,
    pub lexicon_format: Option<Format>,
    pub group_by: Option<String>,
    pub threads: Option<usize>,
    pub strict: bool,
    pub max_file_mb: Option<u64>,
    pub batch_mb: Option<f64>,
    pub count_zones: Option<Vec<String>>,
    pub count_names: bool,
    pub pairs: bool,
    pub min_count: Option<u64>,
    pub bootstrap: Option<usize>,
    pub seed: Option<u64>,
    pub shard: Option<Shard>,
    pub no_report: bool,
}

impl Plan {
    /// Builds the plan from an optional pipeline file and command-line overrides.
    /// Without a pipeline and without `--corpus`, the default pipeline is used.
    pub fn build(pipeline: Option<&Path>, o: Overrides) -> Result<Plan> {
        let pipeline: Option<PathBuf> = match (pipeline, &o.corpus) {
            (Some(p), _) => Some(p.to_path_buf()),
            (None, None) => Some(PathBuf::from(DEFAULT_PIPELINE)),
            (None, Some(_)) => None,
        };
        let cfg = pipeline.as_deref().map(PipelineConfig::load).transpose()?;
        Plan::from_config(cfg, pipeline.as_deref(), o)
    }

    /// Builds the plan from a pipeline's configuration (read from `pipeline`, if
    /// it came from a file) and overrides.
    pub fn from_config(
        cfg: Option<PipelineConfig>,
        pipeline: Option<&Path>,
        o: Overrides,
    ) -> Result<Plan> {
        let file = pipeline;
        let pipeline = pipeline.map(Path::to_path_buf);
        let (threads, max_file_mb, batch_mb) = sizes(&o, cfg.as_ref(), file)?;
        let zones_from_flag = o.count_zones.is_some();
        let corpus = o
            .corpus
            .or_else(|| cfg.as_ref().map(|c| c.corpus.clone()))
            .ok_or_else(|| Error::Invalid("give a pipeline file or --corpus".into()))?;
        let out = match o.out.or_else(|| cfg.as_ref().and_then(|c| c.out.clone())) {
            Some(out) => out,
            None => {
                let name = corpus
                    .canonicalize()
                    .ok()
                    .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .unwrap_or_else(|| "run".into());
                PathBuf::from("out").join(name)
            }
        };
        let counted_zones = match o
            .count_zones
            .or_else(|| cfg.as_ref().and_then(|c| c.count_zones.clone()))
        {
            None => CountedZones::default(),
            Some(names) => counted_zones(&names)
                .map_err(|e| invalid(file, zones_from_flag, "--count-zones", e.to_string()))?,
        };
        let stats = {
            let mut s = cfg.as_ref().map(|c| c.stats.clone()).unwrap_or_default();
            s.pairs |= o.pairs;
            s.min_count = o.min_count.unwrap_or(s.min_count);
            s.bootstrap = o.bootstrap.unwrap_or(s.bootstrap);
            s.seed = o.seed.unwrap_or(s.seed);
            s
        };
        if let Err((key, why)) = stats.check() {
            let from_flag = match key {
                "bootstrap" => o.bootstrap.is_some(),
                "min_count" => o.min_count.is_some(),
                _ => false,
            };
            let flag = if key == "min_count" {
                "--min-count"
            } else {
                "--bootstrap"
            };
            let why = if from_flag {
                why
            } else {
                format!("[stats] {why}")
            };
            return Err(invalid(file, from_flag, flag, why));
        }
        if let Some(shard) = o.shard {
            limits::at_most("the shard count", shard.count, limits::SHARDS)
                .map_err(|why| invalid(file, true, "--shard", why))?;
        }
        let group_by = o
            .group_by
            .or_else(|| cfg.as_ref().and_then(|c| c.group_by.clone()))
            .unwrap_or_else(|| "jurisdiction".into());
        Ok(Plan {
            corpus,
            out,
            lexicon: o
                .lexicon
                .or_else(|| cfg.as_ref().and_then(|c| c.lexicon.clone())),
            lexicon_format: o
                .lexicon_format
                .or_else(|| cfg.as_ref().and_then(|c| c.lexicon_format)),
            group_by,
            threads,
            pipeline,
            strict: o.strict || cfg.as_ref().and_then(|c| c.strict).unwrap_or(false),
            max_file_bytes: max_file_mb.saturating_mul(1 << 20),
            batch_bytes: ((batch_mb * (1u64 << 20) as f64) as u64).max(1),
            stats,
            counted_zones,
            count_names: o.count_names || cfg.as_ref().and_then(|c| c.count_names).unwrap_or(false),
            shard: o.shard,
            report: !o.no_report,
        })
    }
}

/// A bad value: named with its flag when it came from the command line, else
/// with the pipeline file (`why` names the key).
fn invalid(file: Option<&Path>, from_flag: bool, flag: &str, why: String) -> Error {
    match file {
        Some(path) if !from_flag => Error::config(path, why),
        _ => Error::Invalid(format!("{flag}: {why}")),
    }
}

/// The run's threads, largest file (MiB) and batch (MiB), from the flags or
/// the pipeline, checked against their meaning and limits.
fn sizes(
    o: &Overrides,
    cfg: Option<&PipelineConfig>,
    file: Option<&Path>,
) -> Result<(Option<usize>, u64, f64)> {
    let threads = o.threads.or_else(|| cfg.and_then(|c| c.threads));
    if let Some(n) = threads {
        limits::from_one_to("threads", n as u64, limits::THREADS)
            .map_err(|why| invalid(file, o.threads.is_some(), "--threads", why))?;
    }
    let max_file_mb = o
        .max_file_mb
        .or_else(|| cfg.and_then(|c| c.max_file_mb))
        .unwrap_or(DEFAULT_MAX_FILE_MB);
    limits::from_one_to("max_file_mb", max_file_mb, limits::MAX_FILE_MB)
        .map_err(|why| invalid(file, o.max_file_mb.is_some(), "--max-file-mb", why))?;
    let batch_mb = o
        .batch_mb
        .or_else(|| cfg.and_then(|c| c.batch_mb))
        .unwrap_or(DEFAULT_BATCH_MB);
    if !(batch_mb > 0.0 && batch_mb <= limits::BATCH_MB) {
        let why = format!(
            "batch_mb must be a positive number of MiB up to the limit of {}, not {batch_mb}",
            limits::BATCH_MB
        );
        return Err(invalid(file, o.batch_mb.is_some(), "--batch-mb", why));
    }
    Ok((threads, max_file_mb, batch_mb))
}

/// The zones named in `count_zones`, checked.
fn counted_zones(names: &[String]) -> Result<CountedZones> {
    let known = || Zone::ALL.map(|z| z.as_str()).join(", ");
    let zones = names
        .iter()
        .map(|n| {
            Zone::parse(n.trim()).ok_or_else(|| {
                Error::Invalid(format!(
                    "count_zones: {n:?} is not a zone; zones: {}",
                    known()
                ))
            })
        })
        .collect::<Result<Vec<Zone>>>()?;
    if !zones.contains(&Zone::Body) {
        return Err(Error::Invalid(format!(
            "count_zones {names:?} leaves out the body: nothing would be counted"
        )));
    }
    Ok(CountedZones::new(&zones))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_folds_parent_components() {
        let cases = [
            ("pipelines/../out/default", "out/default"),
            ("pipelines/../../shared/corpora", "../shared/corpora"),
            ("./a/./b", "a/b"),
            ("a/..", "."),
            ("/abs/x/../y", "/abs/y"),
        ];
        for (input, want) in cases {
            assert_eq!(clean(Path::new(input)), PathBuf::from(want), "{input}");
        }
    }

    #[test]
    fn unknown_pipeline_keys_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.toml");
        std::fs::write(&p, "corpus = 'c'\nout = 'o'\ngroupby = 'year'\n").unwrap();
        let err = PipelineConfig::load(&p).unwrap_err().to_string();
        assert!(
            err.contains("p.toml") && err.contains("unknown field `groupby`"),
            "{err}"
        );
    }

    #[test]
    fn flags_override_the_pipeline() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.toml");
        std::fs::write(&p, "corpus = 'c'\nout = 'o'\ngroup_by = 'year'\n").unwrap();
        let plan = Plan::build(
            Some(&p),
            Overrides {
                out: Some("elsewhere".into()),
                threads: Some(2),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(plan.corpus, dir.path().join("c"));
        assert_eq!(plan.out, PathBuf::from("elsewhere"));
        assert_eq!((plan.group_by.as_str(), plan.threads), ("year", Some(2)));
        assert_eq!(Shard::parse("2/8").unwrap(), Shard { index: 2, count: 8 });
        for bad in ["0/3", "4/3", "x", "1/0", "1-3"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
        // Every document is in exactly one shard.
        let shards: Vec<Shard> = (1..=3).map(|i| Shard { index: i, count: 3 }).collect();
        for id in ["a", "b", "cn-pipl-2021-zh", "us-eo-14110-2023-en"] {
            assert_eq!(shards.iter().filter(|s| s.holds(id)).count(), 1, "{id}");
        }
        let zero = Plan::build(
            Some(&p),
            Overrides {
                threads: Some(0),
                ..Default::default()
            },
        );
        assert!(zero.is_err());
    }

    #[test]
    fn shard_auto_reads_the_job_array() {
        fn auto(spec: &str, vars: &[(&str, &str)]) -> Result<Shard> {
            Shard::from_env(spec, |name| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            })
        }
        // Slurm: --array=0-3 (task 2 is the third), --array=1-8:2 (task 5 is the third).
        let slurm = [
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
        ];
        assert_eq!(auto("auto", &slurm).unwrap(), Shard { index: 3, count: 4 });
        assert_eq!(
            auto("auto/4", &slurm).unwrap(),
            Shard { index: 3, count: 4 }
        );
        assert!(
            auto("auto/5", &slurm).is_err(),
            "count disagrees with the array"
        );
        let stepped = [
            ("SLURM_ARRAY_TASK_ID", "5"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
        ];
        assert_eq!(
            auto("auto", &stepped).unwrap(),
            Shard { index: 3, count: 4 }
        );
        let beyond = [
            ("SLURM_ARRAY_TASK_ID", "9"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
        ];
        assert!(auto("auto", &beyond).is_err());
        // Kubernetes indexed jobs count from 0 and need the count.
        let k8s = [("JOB_COMPLETION_INDEX", "0")];
        assert_eq!(auto("auto/3", &k8s).unwrap(), Shard { index: 1, count: 3 });
        assert!(
            auto("auto", &k8s)
                .unwrap_err()
                .to_string()
                .contains("GOVLENS_SHARD_COUNT")
        );
        let k8s_count = [("JOB_COMPLETION_INDEX", "2"), ("GOVLENS_SHARD_COUNT", "3")];
        assert_eq!(
            auto("auto", &k8s_count).unwrap(),
            Shard { index: 3, count: 3 }
        );
        // Neither: a clear error; a number that is not one: named.
        assert!(
            auto("auto", &[])
                .unwrap_err()
                .to_string()
                .contains("SLURM_ARRAY_TASK_ID")
        );
        let garbage = [
            ("SLURM_ARRAY_TASK_ID", "x"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ];
        assert!(
            auto("auto", &garbage)
                .unwrap_err()
                .to_string()
                .contains("SLURM_ARRAY_TASK_ID")
        );
    }
}
