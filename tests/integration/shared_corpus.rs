//! The shared real corpus: findings a researcher can check by reading the documents.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::common::{Table, frame_count, frame_rate, govlens_ok, shared_corpus};

/// Runs the ai-governance pipeline once for all tests here; `None` when skipped.
fn run_once(test: &str) -> Option<PathBuf> {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    shared_corpus(test)?;
    let (_, out) = OUT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("ai-governance");
        govlens_ok(&[
            "run",
            "pipelines/ai-governance.toml",
            "--out",
            out.to_str().unwrap(),
            "-q",
        ]);
        (dir, out)
    });
    Some(out.clone())
}

#[test]
fn all_documents_are_read_with_their_metadata() {
    let Some(out) = run_once("all_documents_are_read_with_their_metadata") else {
        return;
    };
    let docs = Table::read(&out, "documents");
    assert_eq!(docs.height(), 31);
    let mut j = docs.strs("jurisdiction");
    j.sort();
    j.dedup();
    assert_eq!(j.len(), 11, "{j:?}");
    // The manifest's own checksum column was verified; extra columns are carried.
    let names: Vec<String> = docs.schema();
    for c in ["issuer:str", "source:str", "license:str", "bytes:i64"] {
        assert!(names.iter().any(|n| n == c), "{c} in {names:?}");
    }
    let bytes = docs.ints("bytes");
    let chars = docs.ints("n_chars");
    for (b, c) in bytes.iter().zip(&chars) {
        assert!(c <= b && *c > 0);
    }
}

#[test]
fn trustworthy_is_a_western_frame() {
    let Some(out) = run_once("trustworthy_is_a_western_frame") else {
        return;
    };
    let rates = Table::read(&out, "frame_rates");
    let (_, _, cn, _) = frame_rate(&rates, "CN", "en", "trustworthy");
    let (_, _, us, us_docs) = frame_rate(&rates, "US", "en", "trustworthy");
    let (_, _, eu, eu_docs) = frame_rate(&rates, "EU", "en", "trustworthy");
    assert!(us > 5.0 && eu > 5.0, "US {us}, EU {eu} per 10k");
    assert!(us > cn && eu > cn, "US {us} and EU {eu} above CN {cn}");
    assert_eq!(
        (us_docs, eu_docs),
        (6, 2),
        "used in every US and EU document"
    );
}

#[test]
fn chinese_frames_are_words_not_substrings() {
    let Some(out) = run_once("chinese_frames_are_words_not_substrings") else {
        return;
    };
    let dir = shared_corpus("chinese_frames_are_words_not_substrings").unwrap();
    let docs = Table::read(&out, "documents");
    let frames = Table::read(&out, "frames");
    let terms = Table::read(&out, "terms");
    let zh_docs: Vec<(String, String)> = docs
        .strs("doc_id")
        .into_iter()
        .zip(docs.strs("path"))
        .zip(docs.strs("lang"))
        .filter(|(_, l)| l == "zh")
        .map(|(d, _)| d)
        .collect();
    let substrings: usize = zh_docs
        .iter()
        .filter(|(d, _)| d.starts_with("cn-"))
        .map(|(_, p)| {
            std::fs::read_to_string(dir.join(p))
                .unwrap()
                .matches("法治")
                .count()
        })
        .sum();
    let counted = frame_count(
        &frames,
        |d| d.starts_with("cn-") && d.ends_with("-zh"),
        "rule_of_law",
    );
    // 法治 inside 依法治理 is in the text as a substring but is not the word.
    let yifa: i64 = terms
        .strs("term")
        .iter()
        .zip(terms.ints("count"))
        .zip(terms.strs("doc_id"))
        .filter(|((t, _), d)| *t == "依法治理" && d.starts_with("cn-"))
        .map(|((_, c), _)| c)
        .sum();
    assert!(yifa >= 1, "依法治理 occurs as a word");
    assert!(
        (counted as usize) < substrings,
        "rule_of_law counted {counted} < {substrings} substrings of 法治"
    );
}
