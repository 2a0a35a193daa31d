//! The team-written fixtures (`tests/fixtures/corpus`): every encoding and format
//! gives the same words, Traditional text is counted as Simplified, boilerplate is
//! dropped, legal structure is found.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use crate::common::{Table, counts_by_doc, frame_count, govlens_ok, root, run_corpus_ok};

/// Runs the fixture corpus once for all tests here.
fn out() -> PathBuf {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("fixtures");
        let corpus = root().join("tests/fixtures/corpus");
        run_corpus_ok(&corpus, &out, &["-q"]);
        (dir, out)
    })
    .1
    .clone()
}

#[test]
fn every_encoding_is_detected_and_gives_the_same_words() {
    let out = out();
    let docs = Table::read(&out, "documents");
    let encoding: BTreeMap<String, String> = docs
        .strs("doc_id")
        .into_iter()
        .zip(docs.strs("encoding"))
        .collect();
    let want = [
        ("enc-utf8", "UTF-8"),
        ("enc-utf8-bom", "UTF-8"),
        ("enc-gbk", "gb18030"),
        ("enc-gb18030-declared", "gb18030"),
        ("enc-utf16le", "UTF-16LE"),
        ("enc-utf16be", "UTF-16BE"),
        ("enc-big5", "Big5"),
    ];
    for (doc, enc) in want {
        assert_eq!(encoding[doc], enc, "{doc}");
    }
    let terms = counts_by_doc(&out, "terms", "term");
    for (doc, _) in &want[1..] {
        assert_eq!(
            terms[*doc], terms["enc-utf8"],
            "{doc} has the words of the UTF-8 file"
        );
    }
    assert_eq!(Table::read(&out, "errors").height(), 0);
}

#[test]
fn traditional_text_is_counted_as_its_simplified_twin() {
    let out = out();
    let docs = Table::read(&out, "documents");
    let script: BTreeMap<String, String> = docs
        .strs("doc_id")
        .into_iter()
        .zip(docs.strs("script"))
        .collect();
    assert_eq!(
        (script["pair-hans"].as_str(), script["pair-hant"].as_str()),
        ("Hans", "Hant")
    );
    let terms = counts_by_doc(&out, "terms", "term");
    assert_eq!(terms["pair-hant"], terms["pair-hans"]);
    let frames = Table::read(&out, "frames");
    for frame in [
        "rule_of_law",
        "trustworthy",
        "sovereignty",
        "good_governance",
        "cooperative_governance",
    ] {
        let hans = frame_count(&frames, |d| d == "pair-hans", frame);
        assert!(hans > 0, "{frame}");
        assert_eq!(
            frame_count(&frames, |d| d == "pair-hant", frame),
            hans,
            "{frame}"
        );
    }
    // 依法治理 is not 法治 in either script: 法治 once per text.
    assert_eq!(frame_count(&frames, |d| d == "pair-hant", "rule_of_law"), 1);
}

#[test]
fn html_boilerplate_and_markdown_markup_are_dropped() {
    let out = out();
    let frames = Table::read(&out, "frames");
    // The page's nav, header, aside, footer and script all say 法治/善治/合治;
    // only the main text counts: 法治 once, 善治 once, 合治 once.
    for frame in ["rule_of_law", "good_governance", "cooperative_governance"] {
        assert_eq!(
            frame_count(&frames, |d| d == "html-page", frame),
            1,
            "{frame}"
        );
    }
    let terms = counts_by_doc(&out, "terms", "term");
    assert!(
        !terms["html-page"].contains_key("首页"),
        "navigation dropped"
    );
    assert!(
        !terms["html-page"].contains_key("tracking"),
        "script dropped"
    );
    // Markdown: the link text and the emphasised phrase are words; the URL is not.
    assert_eq!(
        frame_count(&frames, |d| d == "markdown-rules", "rule_of_law"),
        1
    );
    assert_eq!(
        frame_count(&frames, |d| d == "markdown-rules", "trustworthy"),
        1
    );
    assert!(!terms["markdown-rules"].contains_key("https"));
    let docs = Table::read(&out, "documents");
    let format: BTreeMap<String, String> = docs
        .strs("doc_id")
        .into_iter()
        .zip(docs.strs("format"))
        .collect();
    assert_eq!(
        (
            format["html-page"].as_str(),
            format["markdown-rules"].as_str()
        ),
        ("html", "markdown")
    );
}

#[test]
fn articles_are_found_in_both_languages_and_line_up() {
    let out = out();
    let units = Table::read(&out, "units");
    let rows: Vec<(String, String, String, Option<i64>)> = (0..units.height())
        .map(|i| {
            let n = units.df.column("number").unwrap().i64().unwrap().get(i);
            (
                units.strs("doc_id")[i].clone(),
                units.strs("kind")[i].clone(),
                units.strs("label")[i].clone(),
                n,
            )
        })
        .collect();
    let of = |doc: &str| -> Vec<(String, Option<i64>)> {
        rows.iter()
            .filter(|r| r.0 == doc && r.1 == "article")
            .map(|r| (r.2.clone(), r.3))
            .collect()
    };
    assert_eq!(
        of("pair-hans"),
        vec![
            ("第一条".to_string(), Some(1)),
            ("第二条".to_string(), Some(2))
        ]
    );
    assert_eq!(
        of("pair-hant"),
        vec![
            ("第一條".to_string(), Some(1)),
            ("第二條".to_string(), Some(2))
        ]
    );
    assert_eq!(
        of("structure-en"),
        vec![
            ("Article 1".to_string(), Some(1)),
            ("Article 2".to_string(), Some(2))
        ]
    );
    // Frame hits are attributed to the article they occur in.
    let uf = Table::read(&out, "unit_frames");
    let hits: Vec<(String, i64, String)> = (0..uf.height())
        .map(|i| {
            (
                uf.strs("doc_id")[i].clone(),
                uf.ints("unit_id")[i],
                uf.strs("frame")[i].clone(),
            )
        })
        .collect();
    let article_of = |doc: &str, frame: &str| -> Vec<String> {
        hits.iter()
            .filter(|h| h.0 == doc && h.2 == frame)
            .map(|h| {
                let i = rows.iter().position(|r| r.0 == doc).unwrap() + h.1 as usize;
                rows[i].2.clone()
            })
            .collect()
    };
    assert_eq!(article_of("pair-hans", "sovereignty"), vec!["第二条"]);
    assert_eq!(article_of("structure-en", "sovereignty"), vec!["Article 2"]);
    assert_eq!(article_of("structure-en", "rule_of_law"), vec!["Article 1"]);
}

#[test]
fn fixture_tables_do_not_depend_on_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = root().join("tests/fixtures/corpus");
    let run = |threads: &str| {
        let out = dir.path().join(format!("t{threads}"));
        govlens_ok(&[
            "run",
            "--corpus",
            corpus.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--threads",
            threads,
            "-q",
        ]);
        out
    };
    let (one, three) = (run("1"), run("3"));
    for (name, _) in crate::sample::SCHEMAS {
        let file = format!("{name}.parquet");
        assert!(
            std::fs::read(one.join(&file)).unwrap() == std::fs::read(three.join(&file)).unwrap(),
            "{file}"
        );
    }
}
