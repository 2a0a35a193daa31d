//! Word segmentation F1 of govlens' analyzer against SIGHAN 2005 gold files.
//!
//! The gold (PKU, MSR: one sentence a line, words separated by spaces) is research
//! data and stays in `../shared/data/sighan2005`; this only reads it. Each line's
//! words are joined into the raw sentence, the sentence is analysed as a document
//! would be (with the lexicon's words in the dictionary, as in a run), and the
//! words are compared as byte spans: precision, recall and F1 over the words that
//! hold a letter, digit or Han character (govlens makes no tokens of punctuation,
//! so punctuation is left out on both sides).
//!
//! ```text
//! cargo run --release --example sighan_f1 -- [--lexicon FILE] GOLD...
//! ```

use std::collections::HashSet;

use govlens::analyze::ChineseScript;
use govlens::analyze::script::is_han;
use govlens::lexicon::Lexicon;

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let mut lexicon = None;
    let mut golds = Vec::new();
    while let Some(a) = args.next() {
        if a == "--lexicon" {
            lexicon = args.next().map(std::path::PathBuf::from);
        } else {
            golds.push(a);
        }
    }
    if golds.is_empty() {
        eprintln!("usage: sighan_f1 [--lexicon FILE] GOLD...");
        std::process::exit(2);
    }
    let lexicon = Lexicon::load_or_builtin(lexicon.as_deref(), None).unwrap_or_else(|e| {
        eprintln!("sighan_f1: {e}");
        std::process::exit(1)
    });
    // The analyzer of a run over this lexicon (its words in the dictionary).
    let engine = govlens::document::Engine::new(&lexicon).unwrap_or_else(|e| {
        eprintln!("sighan_f1: {e}");
        std::process::exit(1)
    });
    let analyzer = &engine.analyzer;
    println!(
        "lexicon: {} (sha256 {})",
        lexicon.source,
        &lexicon.sha256[..12]
    );
    println!(
        "{:<28} {:>9} {:>9} {:>9} {:>9}",
        "gold", "words", "precision", "recall", "F1"
    );
    for gold in golds {
        let text = std::fs::read_to_string(&gold).unwrap_or_else(|e| {
            eprintln!("sighan_f1: {gold}: {e}");
            std::process::exit(1)
        });
        let (mut n_gold, mut n_pred, mut n_both) = (0usize, 0usize, 0usize);
        for line in text.lines() {
            let (raw, gold_spans) = gold_line(line);
            let mut tokens = Vec::new();
            analyzer.tokenize(&raw, (0, raw.len()), ChineseScript::Simplified, &mut tokens);
            let pred: HashSet<(usize, usize)> = tokens
                .iter()
                .filter(|t| is_word(&raw[t.start..t.end]))
                .map(|t| (t.start, t.end))
                .collect();
            n_gold += gold_spans.len();
            n_pred += pred.len();
            n_both += gold_spans.iter().filter(|s| pred.contains(s)).count();
        }
        let p = n_both as f64 / n_pred.max(1) as f64;
        let r = n_both as f64 / n_gold.max(1) as f64;
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        let name = std::path::Path::new(&gold)
            .file_name()
            .map_or(gold.clone(), |n| n.to_string_lossy().into_owned());
        println!("{name:<28} {n_gold:>9} {p:>9.4} {r:>9.4} {f1:>9.4}");
    }
}

/// The raw sentence of a gold line and the byte spans of its words.
fn gold_line(line: &str) -> (String, HashSet<(usize, usize)>) {
    let mut raw = String::with_capacity(line.len());
    let mut spans = HashSet::new();
    for word in line.split_whitespace() {
        let start = raw.len();
        raw.push_str(word);
        if is_word(word) {
            spans.insert((start, raw.len()));
        }
    }
    (raw, spans)
}

/// Whether a word holds a letter, digit or Han character.
fn is_word(w: &str) -> bool {
    w.chars().any(|c| c.is_alphanumeric() || is_han(c))
}
