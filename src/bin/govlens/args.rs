//! The command line's flags: clap structs only, translated by `commands`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use govlens::config::Overrides;
use govlens::lexicon::Format;

const EXAMPLES: &str = "\
Examples:
  govlens run                                  run pipelines/default.toml (bundled sample corpus)
  govlens run pipelines/ai-governance.toml     run a pipeline file
  govlens run --corpus my-corpus --out out/my --group-by year
  govlens segment doc.txt                      show the tokens govlens sees
  echo '坚持依法治理和法治' | govlens segment -
  govlens frames                               list frames and their expressions
  govlens run --shard 2/8 --out out/shards/2   one of 8 shards of a large corpus
  govlens merge out/all out/shards/*           join the 8 shards into one run
  govlens report out/default                   (re)write out/default/report.html
  govlens audit pipelines/ai-governance.toml   what the frame counts leave out, and why
  govlens lexicon check pipelines/frames.toml  how the segmenter reads each Chinese term
  govlens run --lexicon my-dictionary.dic      count a LIWC (.dic), YAML, .lc3 or .cat dictionary
  govlens lexicon convert my.cat -o my.toml    a dictionary as govlens TOML, to edit";

/// govlens: comparative discourse analysis of governance documents (Chinese and English).
#[derive(Debug, Parser)]
#[command(name = "govlens", version, about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse a corpus and write the Parquet tables and run.json.
    #[command(after_help = EXAMPLES)]
    Run(RunArgs),
    /// Print the tokens of a text as the pipeline sees them.
    Segment(SegmentArgs),
    /// List the frames of a lexicon and how each expression is read.
    Frames(FramesArgs),
    /// Print an aligned concordance of a word or phrase (any language) in a corpus.
    Kwic(KwicArgs),
    /// Join the run directories of the N shards of a corpus (`run --shard K/N`) into
    /// the run directory one run over the whole corpus would have written.
    Merge(MergeArgs),
    /// Write report.html (charts and tables, self-contained) for a finished run.
    Report(ReportArgs),
    /// Show where frame expressions occur but were not counted, and why.
    Audit(AuditArgs),
    /// Check a lexicon file.
    #[command(subcommand)]
    Lexicon(LexiconCommand),
    /// Print the aligned units where the language versions of a work disagree.
    Parallel(ParallelArgs),
    /// Measure the precision of the frame counts on a coded sample.
    #[command(subcommand)]
    Validate(ValidateCommand),
}

#[derive(Debug, Args)]
pub struct ParallelArgs {
    /// The work (manifest column `work`) whose zh and en versions to compare.
    pub work: String,
    /// Pipeline whose corpus and lexicon to use (default: pipelines/default.toml).
    pub pipeline: Option<PathBuf>,
    /// Corpus directory instead of a pipeline's.
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Display width of each text column.
    #[arg(long, default_value_t = 60)]
    pub width: usize,
    /// Refuse files larger than this many MiB (default: the pipeline's, else 256).
    #[arg(long)]
    pub max_file_mb: Option<u64>,
}

#[derive(Debug, Subcommand)]
pub enum ValidateCommand {
    /// Draw a seeded random sample of a run's frame hits, N per frame and language,
    /// into a CSV coding sheet with an empty `relevant` column.
    Sample {
        /// The run directory.
        run_dir: PathBuf,
        /// Hits drawn per frame and language (all where there are fewer).
        #[arg(long, default_value_t = 20)]
        per: usize,
        /// Seed of the draw.
        #[arg(long, default_value_t = 2024)]
        seed: u64,
        /// The sheet to write (never overwritten).
        #[arg(long, default_value = "validation-sample.csv")]
        out: PathBuf,
    },
    /// Precision per frame and language of a coded sheet, with Wilson 95%
    /// intervals; with --run, the run's frame rates adjusted by it.
    Score {
        /// The coded sheet.
        sheet: PathBuf,
        /// A run directory whose frame rates to adjust.
        #[arg(long)]
        run: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Pipeline whose corpus and lexicon to audit (default: pipelines/default.toml).
    pub pipeline: Option<PathBuf>,
    /// Corpus directory instead of a pipeline's.
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Lexicon instead of the pipeline's: govlens TOML or a LIWC, YAML, Lexicoder or
    /// WordStat dictionary.
    #[arg(long)]
    pub lexicon: Option<PathBuf>,
    /// The lexicon file's format when its extension does not say: toml, liwc (.dic),
    /// yaml (.yml), lexicoder (.lc3) or wordstat (.cat).
    #[arg(long, value_name = "FORMAT")]
    pub lexicon_format: Option<Format>,
    /// Words shown per expression.
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    /// Tokens of context in the example lines.
    #[arg(long, default_value_t = 6)]
    pub window: usize,
    /// Refuse files larger than this many MiB (default: the pipeline's, else 256),
    /// as `run` does.
    #[arg(long)]
    pub max_file_mb: Option<u64>,
}

#[derive(Debug, Subcommand)]
pub enum LexiconCommand {
    /// Show how each Chinese expression is segmented; warn where the segmenter
    /// would not keep it whole.
    Check {
        /// The lexicon file: TOML or a dictionary.
        file: PathBuf,
        #[arg(long, value_name = "FORMAT")]
        /// The file's format when its extension does not say.
        format: Option<Format>,
    },
    /// Read a LIWC, YAML, Lexicoder or WordStat dictionary and write it as govlens TOML,
    /// to edit (add the other language's expressions, exclusions, descriptions).
    Convert {
        /// The dictionary file.
        file: PathBuf,
        /// The file's format when its extension does not say.
        #[arg(long, value_name = "FORMAT")]
        format: Option<Format>,
        /// Where to write the TOML (default: standard output).
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The run directory (the `out` of a `govlens run`).
    pub run_dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct KwicArgs {
    /// The word or phrase: 法治, "rule of law", trustworth* ...
    pub term: String,
    /// Pipeline whose corpus to search (default: pipelines/default.toml).
    pub pipeline: Option<PathBuf>,
    /// Corpus directory instead of a pipeline.
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Tokens of context on each side (the default is the default kwic_window).
    #[arg(long, default_value_t = govlens::stats::Settings::default().kwic_window)]
    pub window: usize,
    /// Most lines to print (0: all).
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Display width of the left and right context columns.
    #[arg(long, default_value_t = 40)]
    pub width: usize,
    /// Refuse files larger than this many MiB (default: the pipeline's, else 256),
    /// as `run` does.
    #[arg(long)]
    pub max_file_mb: Option<u64>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Pipeline file (default: pipelines/default.toml, unless --corpus is given).
    pub pipeline: Option<PathBuf>,
    /// Corpus directory (with manifest.csv, or any folder of .txt/.md/.html files).
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Output directory; replaced as a whole when the run succeeds.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Document column that defines the groups compared (default: jurisdiction).
    #[arg(long)]
    pub group_by: Option<String>,
    /// Frame lexicon (default: the built-in pipelines/frames.toml): govlens TOML, or a
    /// LIWC (.dic), quanteda YAML (.yml), Lexicoder (.lc3) or WordStat (.cat) dictionary.
    #[arg(long)]
    pub lexicon: Option<PathBuf>,
    /// The lexicon file's format when its extension does not say: toml, liwc (.dic),
    /// yaml (.yml), lexicoder (.lc3) or wordstat (.cat).
    #[arg(long, value_name = "FORMAT")]
    pub lexicon_format: Option<Format>,
    /// Worker threads (default: all cores). Output does not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Fail (writing nothing) if any document cannot be read, instead of recording
    /// it in errors.parquet and going on.
    #[arg(long)]
    pub strict: bool,
    /// Refuse files larger than this many MiB (default 256).
    #[arg(long)]
    pub max_file_mb: Option<u64>,
    /// MiB of files analysed together (default 8): each batch's per-document
    /// tables are written before the next starts, so less means less memory.
    /// Table contents do not depend on it (Parquet row groups do).
    #[arg(long)]
    pub batch_mb: Option<f64>,
    /// Zones whose tokens are counted, comma-separated (default body,annex; also
    /// toc, references, footnotes).
    #[arg(long, value_delimiter = ',')]
    pub count_zones: Option<Vec<String>>,
    /// Count frame words inside names of bodies, laws and programmes too (by
    /// default they are set aside, reason `name` in audit.parquet).
    #[arg(long)]
    pub count_names: bool,
    /// Keyness of every pair of groups too, not only each group against the rest.
    #[arg(long)]
    pub pairs: bool,
    /// Least count (in target or reference) for a term to be tested for keyness
    /// (default 5).
    #[arg(long)]
    pub min_count: Option<u64>,
    /// Bootstrap resamples for the rate intervals (default 1000; 0 for none).
    #[arg(long)]
    pub bootstrap: Option<usize>,
    /// Seed of the bootstrap (default 2024).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Only shard K of N (e.g. 2/8): a deterministic subset of the documents, to split
    /// a large corpus across machines; per-document tables of all shards concatenate.
    /// `auto` takes K/N from a Slurm job array (SLURM_ARRAY_TASK_ID, _MIN, _STEP,
    /// _COUNT) or a Kubernetes indexed job (JOB_COMPLETION_INDEX, with `auto/N` or
    /// GOVLENS_SHARD_COUNT).
    #[arg(long, value_parser = govlens::config::Shard::parse)]
    pub shard: Option<govlens::config::Shard>,
    /// Do not write report.html.
    #[arg(long)]
    pub no_report: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

impl RunArgs {
    /// The values that override the pipeline file.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            corpus: self.corpus.clone(),
            out: self.out.clone(),
            lexicon: self.lexicon.clone(),
            lexicon_format: self.lexicon_format,
            group_by: self.group_by.clone(),
            threads: self.threads,
            strict: self.strict,
            max_file_mb: self.max_file_mb,
            batch_mb: self.batch_mb,
            count_zones: self.count_zones.clone(),
            count_names: self.count_names,
            pairs: self.pairs,
            min_count: self.min_count,
            bootstrap: self.bootstrap,
            seed: self.seed,
            shard: self.shard,
            no_report: self.no_report,
        }
    }
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The merged run directory to write.
    pub out: PathBuf,
    /// The run directories of all N shards, in any order.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Worker threads for the group tables (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Do not write report.html.
    #[arg(long)]
    pub no_report: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct SegmentArgs {
    /// Text file to segment, or - for standard input.
    #[arg(default_value = "-")]
    pub input: PathBuf,
    /// Lexicon whose Chinese terms the segmenter knows and whose frames are marked.
    #[arg(long)]
    pub lexicon: Option<PathBuf>,
    /// The lexicon file's format when its extension does not say: toml, liwc (.dic),
    /// yaml (.yml), lexicoder (.lc3) or wordstat (.cat).
    #[arg(long, value_name = "FORMAT")]
    pub lexicon_format: Option<Format>,
    /// One token per line with byte span, surface, term, stopword flag and frame.
    #[arg(long)]
    pub tsv: bool,
    /// Print the text as govlens reads it from the file (a PDF's pages separated
    /// by form feeds), not its tokens.
    #[arg(long, conflicts_with = "tsv")]
    pub text: bool,
    /// Print the text's zones other than the body, line by line with the zone's
    /// name (front, signature, lists, labels, toc, references, footnotes, annex):
    /// what a run leaves out, and why.
    #[arg(long, conflicts_with_all = ["tsv", "text"])]
    pub zones: bool,
    /// Refuse a file larger than this many MiB (default 256), as `run` does.
    #[arg(long, default_value_t = govlens::config::DEFAULT_MAX_FILE_MB)]
    pub max_file_mb: u64,
}

#[derive(Debug, Args)]
pub struct FramesArgs {
    /// Lexicon (default: the built-in one): TOML or a dictionary file.
    #[arg(long)]
    pub lexicon: Option<PathBuf>,
    /// The lexicon file's format when its extension does not say: toml, liwc (.dic),
    /// yaml (.yml), lexicoder (.lc3) or wordstat (.cat).
    #[arg(long, value_name = "FORMAT")]
    pub lexicon_format: Option<Format>,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;
    use govlens::config::{DEFAULT_BATCH_MB, DEFAULT_MAX_FILE_MB};
    use govlens::stats::Settings;

    /// The help text names defaults that live elsewhere (the statistics settings,
    /// the run limits): it must say what they are.
    #[test]
    fn help_states_the_defaults_the_code_uses() {
        let mut cli = Cli::command();
        let run = cli.find_subcommand_mut("run").expect("a run command");
        let help = run.render_long_help().to_string();
        let s = Settings::default();
        for want in [
            format!("(default {})", s.min_count),
            format!("(default {}; 0 for none)", s.bootstrap),
            format!("(default {})", s.seed),
            format!("(default {DEFAULT_MAX_FILE_MB})"),
            format!("(default {DEFAULT_BATCH_MB})"),
        ] {
            assert!(
                help.contains(&want),
                "`govlens run --help` lacks {want:?}:\n{help}"
            );
        }
    }
}
