//! Criterion benchmarks of the analysis stages, on the bundled sample corpus.
//!
//! Each benchmark asserts the number of tokens (or hits) it produced, so a change
//! that makes a stage faster by doing less work fails instead of looking good.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use govlens::analyze::{ChineseScript, EnglishSegmenter, Piece, Segmenter, script};
use govlens::corpus::Corpus;
use govlens::corpus::Lang;
use govlens::document::{Engine, count_document};
use govlens::lexicon::Lexicon;
use govlens::stats::Settings;
use govlens::tables::{self, document::TermRow};

/// The sample corpus's texts, Chinese and English apart.
fn sample_texts() -> (String, String) {
    let corpus = Corpus::open(Path::new("corpora/sample")).expect("sample corpus");
    let (mut zh, mut en) = (String::new(), String::new());
    for doc in &corpus.docs {
        let text = std::fs::read_to_string(&doc.path).unwrap();
        match doc.lang.map(|l| l.as_str()) {
            Some("zh") => zh.push_str(&text),
            _ => en.push_str(&text),
        }
        zh.push('\n');
        en.push('\n');
    }
    // Repeat so that one iteration is long enough to time well.
    (zh.repeat(20), en.repeat(20))
}

fn benches(c: &mut Criterion) {
    let lexicon = Lexicon::builtin();
    let engine = Engine::new(&lexicon).unwrap();
    let pass = engine.pass(Settings::default().context(), u64::MAX, Default::default());
    let (analyzer, matcher) = (&engine.analyzer, &engine.matcher);
    let (zh, en) = sample_texts();
    let zh_tokens = analyzer.tokens(&zh).len();
    let en_tokens = analyzer.tokens(&en).len();

    let mut g = c.benchmark_group("analysis");
    g.throughput(Throughput::Bytes(zh.len() as u64));
    g.bench_function("script_runs_zh", |b| {
        b.iter(|| assert!(script::runs(black_box(&zh)).count() > 0))
    });
    g.bench_function("tokenize_zh", |b| {
        b.iter(|| assert_eq!(analyzer.tokens(black_box(&zh)).len(), zh_tokens))
    });
    g.throughput(Throughput::Bytes(en.len() as u64));
    g.bench_function("segment_en_only", |b| {
        b.iter(|| {
            let mut words = 0;
            EnglishSegmenter.segment(black_box(&en), 0..en.len(), &mut |p| {
                if matches!(p, Piece::Word { .. }) {
                    words += 1
                }
            });
            assert_eq!(words, en_tokens);
        })
    });
    g.bench_function("tokenize_en", |b| {
        b.iter(|| assert_eq!(analyzer.tokens(black_box(&en)).len(), en_tokens))
    });
    let en_toks = analyzer.tokens(&en);
    let hits = matcher.find(&en_toks).len();
    assert!(hits > 0);
    g.bench_function("match_frames_en", |b| {
        b.iter(|| assert_eq!(matcher.find(black_box(&en_toks)).len(), hits))
    });
    g.bench_function("count_document_en", |b| {
        b.iter(|| {
            let counts = count_document(black_box(&en), ChineseScript::Simplified, &pass);
            assert_eq!(counts.n_tokens as usize, en_tokens);
        })
    });
    g.throughput(Throughput::Bytes(zh.len() as u64));
    g.bench_function("count_document_zh", |b| {
        b.iter(|| {
            let counts = count_document(black_box(&zh), ChineseScript::Simplified, &pass);
            assert_eq!(counts.n_tokens as usize, zh_tokens);
        })
    });
    // Parquet: the terms table of the English text, 100 times over (as 100 documents).
    let counts = count_document(&en, ChineseScript::Simplified, &pass);
    let ids: Vec<String> = (0..100).map(|i| format!("doc-{i:03}")).collect();
    let rows: Vec<TermRow> = ids
        .iter()
        .flat_map(|id| {
            counts.terms.iter().map(move |(term, count)| TermRow {
                doc_id: id,
                term,
                lang: Lang::En,
                count,
                is_stopword: false,
            })
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("terms.parquet");
    g.throughput(Throughput::Elements(rows.len() as u64));
    g.bench_function("write_terms_parquet", |b| {
        b.iter(|| {
            let mut df = tables::document::terms(black_box(&rows)).unwrap();
            assert_eq!(df.height(), rows.len());
            tables::write_parquet(&mut df, &path).unwrap();
        })
    });
    g.finish();
}

/// 200,000 entries in one category, written in every dictionary format, and the
/// same entries as govlens TOML: import must stay within 2x of TOML (it was
/// quadratic, 30.8 s for the `.dic`).
fn dictionary_import(c: &mut Criterion) {
    const N: usize = 200_000;
    let words: Vec<String> = (0..N).map(|i| format!("w{i}")).collect();
    let lines = |head: &str, each: &dyn Fn(&str) -> String| -> String {
        std::iter::once(head.to_string())
            .chain(words.iter().map(|w| each(w)))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let toml = format!(
        "[[frame]]\nid = \"gov\"\nlabel = \"Gov\"\nen = [{}]\n",
        words
            .iter()
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let files = [
        ("toml", toml),
        ("dic", lines("%\n1\tgov\n%", &|w| format!("{w}\t1"))),
        ("yml", lines("gov:", &|w| format!("  - {w}"))),
        ("lc3", lines("+gov", &|w| w.to_string())),
        ("cat", lines("GOV", &|w| format!("\t{w} (1)"))),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut g = c.benchmark_group("dictionary_import_200k_one_category");
    g.sample_size(10);
    g.throughput(Throughput::Elements(N as u64));
    for (ext, text) in files {
        let path = dir.path().join(format!("d.{ext}"));
        std::fs::write(&path, text).unwrap();
        g.bench_function(ext, |b| {
            b.iter(|| {
                let lexicon = Lexicon::load(black_box(&path), None).unwrap();
                assert_eq!(lexicon.frames[0].en.len(), N);
            })
        });
    }
    g.finish();
}

criterion_group!(analysis, benches);
criterion_group!(dictionaries, dictionary_import);
criterion_main!(analysis, dictionaries);
