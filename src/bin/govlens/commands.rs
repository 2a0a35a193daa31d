//! Each command translated into library calls, and what they return printed.
//!
//! What every command that reads documents prints about those it could not read,
//! and the exit status that says so, is [`report_skipped`], the same for `run`,
//! `kwic`, `audit` and `parallel`.

use std::io::Write;
use std::process::ExitCode;

use crate::args::{
    AuditArgs, Cli, Command, KwicArgs, LexiconCommand, MergeArgs, ParallelArgs, RunArgs,
    SegmentArgs, ValidateCommand,
};
use crate::show;
use crate::terminal::{Mode, Progress};
use govlens::analyze::Analyzer;
use govlens::config::{Overrides, Plan};
use govlens::corpus::Corpus;
use govlens::document::{self, Engine, Skipped};
use govlens::lexicon::Lexicon;
use govlens::run::Pipeline;
use govlens::{inspect, limits};

/// Exit status when the command finished but some documents could not be read.
const EXIT_SKIPPED: u8 = 3;

pub fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Run(args) => run_command(&args),
        Command::Merge(args) => merge_command(&args),
        Command::Report(args) => {
            let lexicon = govlens::report::lexicon_of(&args.run_dir)?;
            if lexicon.is_none() {
                eprintln!(
                    "govlens: the run's lexicon file has changed or moved since: frames are shown by id"
                );
            }
            let report = govlens::report::build(&args.run_dir, lexicon.as_ref())?;
            let reading = match &lexicon {
                Some(l) => govlens::explore::Reading::of_run(&args.run_dir, l)?,
                None => None,
            };
            if reading.is_none() {
                eprintln!(
                    "govlens: the run's corpus (or lexicon) is not as it was: explorer.html has \
                     no lines of terms and no texts of language versions"
                );
            }
            let caps = govlens::explore::Caps::default();
            let (explorer, skipped) =
                govlens::explore::build(&args.run_dir, lexicon.as_ref(), reading.as_ref(), caps)?;
            let files: [(&str, &[u8]); 2] = [
                ("report.html", report.as_bytes()),
                ("explorer.html", explorer.as_bytes()),
            ];
            for path in govlens::output::write_all_into_run(&args.run_dir, &files)? {
                eprintln!("govlens: wrote {}", path.display());
            }
            Ok(report_skipped(&skipped))
        }
        Command::Audit(args) => audit_command(&args),
        Command::Lexicon(LexiconCommand::Convert { file, format, out }) => {
            let lexicon = Lexicon::load(&file, format)?;
            let toml = lexicon.converted_toml(&file);
            match out {
                // Never over a file: not the dictionary itself, not any other.
                Some(path) => govlens::output::create_new_file(&path, toml.as_bytes(), "lexicon")?,
                None => std::io::stdout().lock().write_all(toml.as_bytes())?,
            }
            eprintln!(
                "govlens: {} frames read from {}",
                lexicon.frames.len(),
                file.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Lexicon(LexiconCommand::Check { file, format }) => {
            let lexicon = Lexicon::load(&file, format)?;
            let Engine { analyzer, .. } = Engine::new(&lexicon)?;
            let plain = Analyzer::new::<&str>(&[]);
            let mut out = std::io::stdout().lock();
            let warnings = inspect::lexicon_check(&lexicon, &analyzer, &plain, &mut out)?;
            out.flush()?;
            eprintln!(
                "govlens: {} Chinese expressions checked, {warnings} warnings",
                lexicon.frames.iter().map(|f| f.zh.len()).sum::<usize>()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Segment(args) => segment_command(&args),
        Command::Validate(command) => validate_command(command),
        Command::Parallel(args) => parallel_command(&args),
        Command::Kwic(args) => kwic_command(&args),
        Command::Frames(args) => {
            let lexicon = Lexicon::load_or_builtin(args.lexicon.as_deref(), args.lexicon_format)?;
            let Engine { analyzer, .. } = Engine::new(&lexicon)?;
            let mut out = std::io::stdout().lock();
            inspect::frames(&lexicon, &analyzer, &mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints one line per document that could not be read (as every command that
/// reads documents does) and returns the exit status: [`EXIT_SKIPPED`] if any.
fn report_skipped(skipped: &[Skipped]) -> ExitCode {
    for e in skipped {
        eprintln!(
            "govlens: skipped {} ({}): {}: {}",
            e.doc_id, e.path, e.kind, e.message
        );
    }
    if skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_SKIPPED)
    }
}

fn merge_command(args: &MergeArgs) -> anyhow::Result<ExitCode> {
    let plan = govlens::merge::MergePlan {
        out: args.out.clone(),
        shards: args.shards.clone(),
        threads: args.threads,
        report: !args.no_report,
    };
    let command_line: Vec<String> = std::env::args().collect();
    let observer = Progress::new(Mode::Quiet);
    let summary = govlens::merge::merge(&plan, &command_line, &observer)?;
    if !args.quiet {
        eprintln!(
            "govlens: merged {} shards: {} documents ({} unreadable) in {:.1}s → {}",
            summary.shards,
            summary.documents,
            summary.skipped,
            summary.seconds,
            summary.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn run_command(args: &RunArgs) -> anyhow::Result<ExitCode> {
    let pipeline = Pipeline::with_overrides(args.pipeline.as_deref(), args.overrides())?;
    let command_line: Vec<String> = std::env::args().collect();
    let progress = Progress::new(Mode::for_stderr(args.quiet));
    let summary = pipeline.run_to_dir(&command_line, &progress)?;
    let out = summary.out.clone().unwrap_or_default();
    let code = report_skipped(&summary.skipped);
    if args.quiet {
        return Ok(code);
    }
    let mut tokens: Vec<String> = summary
        .tokens
        .iter()
        .map(|(lang, n)| format!("{n} {lang}"))
        .collect();
    if tokens.is_empty() {
        tokens.push("0".into());
    }
    eprintln!(
        "govlens: {} documents, {} tokens, {} frame hits, {} skipped, in {:.2} s",
        summary.documents,
        tokens.join(" + "),
        summary.frame_hits,
        summary.skipped.len(),
        summary.seconds,
    );
    let report = out.join("report.html");
    let report = if report.is_file() {
        format!(", {}", report.display())
    } else {
        String::new()
    };
    eprintln!(
        "govlens: wrote {} ({} tables, run.json{report})",
        out.display(),
        summary.rows.len(),
    );
    if !summary.skipped.is_empty() {
        eprintln!(
            "govlens: {} documents skipped: see errors.parquet (exit status {EXIT_SKIPPED})",
            summary.skipped.len()
        );
    }
    Ok(code)
}

/// The flags `kwic` and `parallel` take over a pipeline: its corpus and size limit.
fn corpus_overrides(corpus: &Option<std::path::PathBuf>, max_file_mb: Option<u64>) -> Overrides {
    Overrides {
        corpus: corpus.clone(),
        max_file_mb,
        ..Default::default()
    }
}

/// The plan of a command that reads a pipeline's corpus without running it.
fn inspection_plan(
    pipeline: Option<&std::path::Path>,
    overrides: Overrides,
) -> anyhow::Result<(Plan, Lexicon, Corpus)> {
    let plan = Plan::build(pipeline, overrides)?;
    let lexicon = Lexicon::load_or_builtin(plan.lexicon.as_deref(), plan.lexicon_format)?;
    let corpus = Corpus::open(&plan.corpus)?;
    Ok((plan, lexicon, corpus))
}

fn audit_command(args: &AuditArgs) -> anyhow::Result<ExitCode> {
    at_most("--window", "window", args.window, limits::KWIC_WINDOW)?;
    let overrides = Overrides {
        corpus: args.corpus.clone(),
        lexicon: args.lexicon.clone(),
        lexicon_format: args.lexicon_format,
        max_file_mb: args.max_file_mb,
        ..Default::default()
    };
    let (plan, lexicon, corpus) = inspection_plan(args.pipeline.as_deref(), overrides)?;
    let audits = inspect::audit(&corpus, &lexicon, args.window, &plan)?;
    let mut out = std::io::stdout().lock();
    show::audit(&audits.found, args.top, &mut out)?;
    out.flush()?;
    let left: u64 = audits.found.iter().map(|a| a.left_out_total()).sum();
    let counted: u64 = audits.found.iter().map(|a| a.counted).sum();
    let code = report_skipped(&audits.skipped);
    eprintln!(
        "govlens: {} documents in {}: {counted} frame hits counted, {left} occurrences \
         left out (every one is in audit.parquet of a run), {} skipped",
        corpus.docs.len() - audits.skipped.len(),
        plan.corpus.display(),
        audits.skipped.len(),
    );
    Ok(code)
}

/// Refuses a flag's value above its limit ([`govlens::limits`]).
fn at_most(flag: &str, key: &str, value: usize, max: u64) -> anyhow::Result<()> {
    govlens::limits::at_most(key, value as u64, max)
        .map_err(|why| govlens::error::Error::Invalid(format!("{flag}: {why}")).into())
}

fn kwic_command(args: &KwicArgs) -> anyhow::Result<ExitCode> {
    at_most("--window", "window", args.window, limits::KWIC_WINDOW)?;
    at_most("--width", "width", args.width, limits::WIDTH)?;
    let overrides = corpus_overrides(&args.corpus, args.max_file_mb);
    let (plan, lexicon, corpus) = inspection_plan(args.pipeline.as_deref(), overrides)?;
    let found = inspect::concordance(&corpus, &args.term, args.window, &lexicon, &plan)?;
    let mut lines = found.found;
    let total = lines.len();
    if args.limit > 0 {
        lines.truncate(args.limit);
    }
    let mut out = std::io::stdout().lock();
    show::concordance(&lines, args.width, &mut out)?;
    out.flush()?;
    let code = report_skipped(&found.skipped);
    let shown = if total > lines.len() {
        format!(" ({} shown; --limit 0 for all)", lines.len())
    } else {
        String::new()
    };
    eprintln!(
        "govlens: {total} matches of {:?} in {}{shown}",
        args.term,
        plan.corpus.display(),
    );
    Ok(code)
}

fn segment_command(args: &SegmentArgs) -> anyhow::Result<ExitCode> {
    limits::from_one_to("max_file_mb", args.max_file_mb, limits::MAX_FILE_MB)
        .map_err(|why| govlens::error::Error::Invalid(format!("--max-file-mb: {why}")))?;
    let lexicon = Lexicon::load_or_builtin(args.lexicon.as_deref(), args.lexicon_format)?;
    let engine = Engine::new(&lexicon)?;
    let analyzer = &engine.analyzer;
    let max_bytes = args.max_file_mb.saturating_mul(1 << 20);
    let read = if args.input.as_os_str() == "-" {
        // Standard input too is read only up to the limit.
        let Some(bytes) = limits::read_at_most(std::io::stdin(), max_bytes)? else {
            return Err(govlens::error::Error::Invalid(format!(
                "standard input is larger than --max-file-mb {}",
                args.max_file_mb
            ))
            .into());
        };
        document::read_bytes(&bytes, analyzer)
    } else {
        document::read_file(&args.input, analyzer, max_bytes)
    };
    // One file named on the command line: nothing to show is an error, with the
    // problem `run` would have recorded for it.
    let doc = read.map_err(|e| anyhow::anyhow!("{}: {}: {}", e.path, e.kind, e.message))?;
    let mut out = std::io::stdout().lock();
    if args.text {
        inspect::text(&doc, &mut out)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.zones {
        show::zones(&inspect::zones(&doc), &mut out)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    show::segmented(&doc, &inspect::segment(&doc, &engine), args.tsv, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn validate_command(command: ValidateCommand) -> anyhow::Result<ExitCode> {
    match command {
        ValidateCommand::Sample {
            run_dir,
            per,
            seed,
            out,
        } => {
            if per == 0 {
                anyhow::bail!(govlens::error::Error::Invalid(
                    "--per: per must be at least 1 (hits drawn per frame and language)".into()
                ));
            }
            let rows = govlens::validate::sample(&run_dir, per, seed)?;
            govlens::validate::write_sheet(&rows, &out)?;
            let strata: std::collections::BTreeSet<(&str, &str)> = rows
                .iter()
                .map(|r| (r.frame.as_str(), r.lang.as_str()))
                .collect();
            eprintln!(
                "govlens: wrote {} ({} hits of {} frame-language strata; fill `relevant` with 1 or 0)",
                out.display(),
                rows.len(),
                strata.len()
            );
        }
        ValidateCommand::Score { sheet, run } => {
            let rows = govlens::validate::read_sheet(&sheet)?;
            if let Some(run) = &run {
                govlens::validate::check_drawn_from(run, &sheet, &rows)?;
            }
            let precision = govlens::validate::score(&rows);
            let adjusted = match &run {
                Some(run) => Some(govlens::validate::adjusted_rates(run, &precision)?),
                None => None,
            };
            let mut out = std::io::stdout().lock();
            show::scores(&precision, adjusted.as_deref(), &mut out)?;
            out.flush()?;
            let coded: u64 = precision.iter().map(|p| p.coded).sum();
            let uncoded: u64 = precision.iter().map(|p| p.uncoded).sum();
            eprintln!(
                "govlens: {coded} coded, {uncoded} not yet coded, in {}",
                sheet.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn parallel_command(args: &ParallelArgs) -> anyhow::Result<ExitCode> {
    at_most("--width", "width", args.width, limits::WIDTH)?;
    let overrides = corpus_overrides(&args.corpus, args.max_file_mb);
    let (plan, lexicon, corpus) = inspection_plan(args.pipeline.as_deref(), overrides)?;
    let found = inspect::disagreements(&corpus, &lexicon, &args.work, &plan)?;
    let mut out = std::io::stdout().lock();
    show::disagreements(&found.found, args.width, &mut out)?;
    out.flush()?;
    let code = report_skipped(&found.skipped);
    eprintln!(
        "govlens: {} aligned units of {:?} where the versions' frames differ",
        found.found.len(),
        args.work
    );
    Ok(code)
}
