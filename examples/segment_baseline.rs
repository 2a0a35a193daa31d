//! The bare segmentation baseline for `benches/compare.sh`: the same texts govlens
//! reads, cut line by line (jieba-rs accurate mode with HMM for Chinese documents,
//! Unicode word boundaries for English ones) on a thread pool, nothing normalised,
//! counted or written. This is the practical speed limit of the design.
//!
//! Usage: cargo run --release --example segment_baseline -- CORPUS_DIR [--repeat N] [--threads N]

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let corpus = PathBuf::from(args.get(1).expect("CORPUS_DIR"));
    let flag = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map_or(default, |v| v.parse().expect("a number"))
    };
    let (repeat, threads) = (flag("--repeat", 1), flag("--threads", 2));
    let mut reader = csv::Reader::from_path(corpus.join("manifest.csv")).expect("manifest.csv");
    let headers = reader.headers().expect("header").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect("column");
    let (file, lang) = (col("file"), col("lang"));
    let docs: Vec<(bool, String)> = reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            let text = std::fs::read_to_string(corpus.join(&r[file])).expect("UTF-8 text");
            (&r[lang] == "zh", text)
        })
        .collect();
    // The dictionary loads before the clock starts: this measures cutting only.
    let jieba = jieba_rs::Jieba::new();
    let started = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let (bytes, tokens): (usize, usize) = pool.install(|| {
        (0..repeat)
            .into_par_iter()
            .flat_map_iter(|_| docs.iter())
            .map(|(zh, text)| {
                let tokens: usize = text
                    .lines()
                    .map(|line| {
                        if *zh {
                            jieba.cut(line, true).len()
                        } else {
                            line.split_word_bounds().count()
                        }
                    })
                    .sum();
                (text.len(), tokens)
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "segment-baseline bytes={bytes} tokens={tokens} threads={threads} seconds={secs:.3} MBps={:.3}",
        bytes as f64 / secs / 1e6
    );
}
