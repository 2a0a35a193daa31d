//! The `govlens` binary: parse flags, run, map errors to exit codes.

use std::io::{Read, Write};
use std::process::ExitCode;

use clap::Parser;
use govlens::cli::{Cli, Command};
use govlens::config::Plan;
use govlens::{inspect, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
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

fn dispatch(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Run(args) => {
            let plan = Plan::build(args.pipeline.as_deref(), args.overrides())?;
            let command_line: Vec<String> = std::env::args().collect();
            let summary = run::run(&plan, &command_line)?;
            if !args.quiet {
                let tokens: Vec<String> = summary
                    .tokens
                    .iter()
                    .map(|(lang, n)| format!("{n} {lang}"))
                    .collect();
                eprintln!(
                    "govlens: {} documents, {} tokens, {} frame rows, in {:.2} s -> {}",
                    summary.documents,
                    tokens.join(" + "),
                    summary.rows.get("frames").copied().unwrap_or(0),
                    summary.seconds,
                    summary.out.display()
                );
            }
        }
        Command::Segment(args) => {
            let lexicon = run::load_lexicon(args.lexicon.as_deref())?;
            let (analyzer, matcher) = inspect::build(&lexicon)?;
            let text = if args.input.as_os_str() == "-" {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s)?;
                s
            } else {
                let bytes =
                    std::fs::read(&args.input).map_err(|e| govlens::Error::io(&args.input, e))?;
                govlens::corpus::read::decode(bytes)
                    .map_err(|m| anyhow::anyhow!("{}: {m}", args.input.display()))?
            };
            let mut out = std::io::stdout().lock();
            inspect::segment(&text, &analyzer, &matcher, args.tsv, &mut out)?;
            out.flush()?;
        }
        Command::Frames(args) => {
            let lexicon = run::load_lexicon(args.lexicon.as_deref())?;
            let (analyzer, _) = inspect::build(&lexicon)?;
            let mut out = std::io::stdout().lock();
            inspect::frames(&lexicon, &analyzer, &mut out)?;
            out.flush()?;
        }
    }
    Ok(())
}
