//! A pipeline run through the library, every table kept in memory as a polars
//! DataFrame: the five highest frame rates of the bundled sample corpus.
//!
//! `cargo run --release --example pipeline [PIPELINE.toml]`

use govlens::polars::prelude::*;
use govlens::{Pipeline, progress::Silent};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let file = std::env::args().nth(1);
    let pipeline = Pipeline::from_file(file.as_deref().unwrap_or("pipelines/default.toml"))?;
    let output = pipeline.run(&Silent)?;
    let rates = output.table("frame_rates").ok_or("no frame_rates")?;
    let by_rate = SortMultipleOptions::default().with_order_descending(true);
    let top = rates.sort(["rate_per_10k"], by_rate)?.head(Some(5));
    let (group, frame) = (top.column("group")?.str()?, top.column("frame")?.str()?);
    let rate = top.column("rate_per_10k")?.f64()?;
    for i in 0..top.height() {
        let (g, f) = (group.get(i).unwrap_or(""), frame.get(i).unwrap_or(""));
        let r = rate.get(i).unwrap_or(0.0);
        println!("{g:<8} {f:<24} {r:>8.1} per 10k tokens");
    }
    let tables = output.table_names().count();
    println!(
        "{} documents; {tables} tables in memory",
        output.summary.documents
    );
    Ok(())
}

/// `cargo test` builds this example and runs it on the sample corpus.
#[test]
fn runs_on_the_sample_corpus() {
    main().unwrap();
}
