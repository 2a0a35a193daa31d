//! The `govlens` binary: parse flags, run, map errors to exit codes.

use std::io::{Read, Write};

use govlens::corpus::extract::Format;
use govlens::corpus::read;
use std::process::ExitCode;

use clap::Parser;
use govlens::cli::{Cli, Command};
use govlens::config::Plan;
use govlens::progress::{Mode, Progress};
use govlens::{inspect, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(code) => code,
        // `govlens segment big.txt | head` is not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("govlens: error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Exit status when the run finished but some documents could not be read.
const EXIT_SKIPPED: u8 = 3;

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Run(args) => {
            let plan = Plan::build(args.pipeline.as_deref(), args.overrides())?;
            let command_line: Vec<String> = std::env::args().collect();
            let mut progress = Progress::new(Mode::for_stderr(args.quiet));
            let summary = run::run(&plan, &command_line, &mut progress)?;
            for e in &summary.skipped {
                eprintln!(
                    "govlens: skipped {} ({}): {}: {}",
                    e.doc_id, e.path, e.kind, e.message
                );
            }
            if !args.quiet {
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
                let report = summary.out.join("report.html");
                eprintln!(
                    "govlens: wrote {} ({} tables, run.json{})",
                    summary.out.display(),
                    summary.rows.len(),
                    if report.is_file() {
                        format!(", {}", report.display())
                    } else {
                        String::new()
                    }
                );
                if !summary.skipped.is_empty() {
                    eprintln!(
                        "govlens: {} documents skipped: see errors.parquet (exit status {EXIT_SKIPPED})",
                        summary.skipped.len()
                    );
                }
            }
            if !summary.skipped.is_empty() {
                return Ok(ExitCode::from(EXIT_SKIPPED));
            }
        }
        Command::Report(args) => {
            let lexicon = govlens::report::lexicon_of(&args.run_dir)?;
            if lexicon.is_none() {
                eprintln!(
                    "govlens: the run's lexicon file has changed or moved since: frames are shown by id"
                );
            }
            let path = govlens::report::write(&args.run_dir, lexicon.as_ref())?;
            eprintln!("govlens: wrote {}", path.display());
        }
        Command::Audit(args) => {
            let plan = Plan::build(
                args.pipeline.as_deref(),
                govlens::config::Overrides {
                    corpus: args.corpus.clone(),
                    lexicon: args.lexicon.clone(),
                    ..Default::default()
                },
            )?;
            let lexicon = run::load_lexicon(plan.lexicon.as_deref())?;
            let corpus = govlens::corpus::Corpus::open(&plan.corpus)?;
            let audits = inspect::audit(&corpus, &lexicon, args.window)?;
            let mut out = std::io::stdout().lock();
            inspect::print_audit(&audits, args.top, &mut out)?;
            out.flush()?;
            let left: u64 = audits.iter().flat_map(|a| a.left_out.values()).sum();
            let counted: u64 = audits.iter().map(|a| a.counted).sum();
            eprintln!(
                "govlens: {} documents in {}: {counted} frame hits counted, {left} occurrences \
                 left out (every one is in audit.parquet of a run)",
                corpus.docs.len(),
                plan.corpus.display()
            );
        }
        Command::Lexicon(govlens::cli::LexiconCommand::Check { file }) => {
            let lexicon = govlens::lexicon::Lexicon::load(&file)?;
            let (analyzer, _) = inspect::build(&lexicon)?;
            let plain = govlens::analyze::Analyzer::new::<&str>(&[]);
            let mut out = std::io::stdout().lock();
            let warnings = inspect::lexicon_check(&lexicon, &analyzer, &plain, &mut out)?;
            out.flush()?;
            eprintln!(
                "govlens: {} Chinese expressions checked, {warnings} warnings",
                lexicon.frames.iter().map(|f| f.zh.len()).sum::<usize>()
            );
        }
        Command::Segment(args) => {
            let lexicon = run::load_lexicon(args.lexicon.as_deref())?;
            let (analyzer, matcher) = inspect::build(&lexicon)?;
            let text = if args.input.as_os_str() == "-" {
                let mut bytes = Vec::new();
                std::io::stdin().read_to_end(&mut bytes)?;
                read::from_bytes(&bytes, None, Format::Text)
                    .map(|(text, _, _)| text)
                    .map_err(|p| anyhow::anyhow!("standard input: {}", p.message))?
            } else {
                read::text_of_file(&args.input).map_err(|m| anyhow::anyhow!(m))?
            };
            let mut out = std::io::stdout().lock();
            inspect::segment(&text, &analyzer, &matcher, args.tsv, &mut out)?;
            out.flush()?;
        }
        Command::Kwic(args) => {
            let plan = Plan::build(
                args.pipeline.as_deref(),
                govlens::config::Overrides {
                    corpus: args.corpus.clone(),
                    ..Default::default()
                },
            )?;
            let lexicon = run::load_lexicon(plan.lexicon.as_deref())?;
            let corpus = govlens::corpus::Corpus::open(&plan.corpus)?;
            let mut lines = inspect::concordance(&corpus, &args.term, args.window, &lexicon)?;
            let total = lines.len();
            if args.limit > 0 {
                lines.truncate(args.limit);
            }
            let mut out = std::io::stdout().lock();
            inspect::print_concordance(&lines, args.width, &mut out)?;
            out.flush()?;
            eprintln!(
                "govlens: {total} matches of {:?} in {}{}",
                args.term,
                plan.corpus.display(),
                if total > lines.len() {
                    format!(" ({} shown; --limit 0 for all)", lines.len())
                } else {
                    String::new()
                }
            );
        }
        Command::Frames(args) => {
            let lexicon = run::load_lexicon(args.lexicon.as_deref())?;
            let (analyzer, _) = inspect::build(&lexicon)?;
            let mut out = std::io::stdout().lock();
            inspect::frames(&lexicon, &analyzer, &mut out)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
