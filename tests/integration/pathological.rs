//! Pathological inputs finish and give sensible tables: one huge line, one
//! character repeated a million times, Han text with no punctuation at all, deeply
//! nested HTML, a file that mixes encodings. (Their time and memory at full size
//! are measured with the release build by `benches/pathological.sh`.)

use crate::common::{Table, run_corpus};

#[test]
fn pathological_inputs_finish_with_sensible_counts() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c");
    std::fs::create_dir_all(&c).unwrap();
    let line = "the rule of law and good governance ".repeat(60_000); // 2.2 MB, no newline
    std::fs::write(c.join("one-line.txt"), &line).unwrap();
    std::fs::write(c.join("one-char.txt"), "法".repeat(350_000)).unwrap(); // 1 MB
    let han = "坚持依法治理推进法治建设发展可信赖的人工智能".repeat(20_000); // 1.3 MB
    std::fs::write(c.join("no-punctuation.txt"), &han).unwrap();
    let depth = 100_000;
    let html = "<div>".repeat(depth) + "<p>坚持法治</p>" + &"</div>".repeat(depth);
    std::fs::write(c.join("nested.html"), html).unwrap();
    let mut mixed = "这是一个用统一码写成的段落，讲的是法治与善治。\n"
        .repeat(50)
        .into_bytes();
    mixed.extend_from_slice(&encoding_rs::GBK.encode("这一段却是国标码。").0);
    std::fs::write(c.join("mixed.txt"), mixed).unwrap();
    std::fs::write(
        c.join("manifest.csv"),
        "file,doc_id,lang\none-line.txt,one-line,en\none-char.txt,one-char,zh\n\
         no-punctuation.txt,no-punctuation,zh\nnested.html,nested,zh\nmixed.txt,mixed,zh\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = run_corpus(&c, &out, &[]);
    assert_eq!(
        run.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let docs = Table::read(&out, "documents");
    let tokens: std::collections::BTreeMap<String, i64> = docs
        .strs("doc_id")
        .into_iter()
        .zip(docs.ints("n_tokens"))
        .collect();
    assert_eq!(tokens["one-line"], 7 * 60_000);
    assert!(tokens["one-char"] > 100_000, "{}", tokens["one-char"]);
    assert!(tokens["no-punctuation"] > 100_000);
    assert_eq!(tokens["nested"], 2, "坚持 / 法治");

    let frames = Table::read(&out, "frames");
    let count = |doc: &str, frame: &str| crate::common::frame_count(&frames, |d| d == doc, frame);
    // A line over 1 MiB is cut at a space into pieces; a phrase straddling a cut
    // is lost, at most one per cut.
    let cuts = (line.len() >> 20) as i64 + 1;
    for frame in ["rule_of_law", "good_governance"] {
        let n = count("one-line", frame);
        assert!((60_000 - cuts..=60_000).contains(&n), "{frame}: {n}");
    }
    // Cut into pieces for jieba, the text still holds its 法治 words (a word cut
    // at a piece boundary may be lost, so allow a handful).
    assert!((19_990..=20_000).contains(&count("no-punctuation", "rule_of_law")));

    // Long documents are analysed piece by piece in parallel; one thread gives the
    // same tables.
    let single = dir.path().join("single");
    let run1 = run_corpus(&c, &single, &["--threads", "1"]);
    assert_eq!(run1.status.code(), Some(3));
    for name in ["terms", "frames", "kwic", "collocations", "units"] {
        let file = format!("{name}.parquet");
        assert!(
            std::fs::read(out.join(&file)).unwrap() == std::fs::read(single.join(&file)).unwrap(),
            "{file}"
        );
    }

    let errors = Table::read(&out, "errors");
    assert_eq!(errors.strs("doc_id"), vec!["mixed"]);
    assert_eq!(errors.strs("kind"), vec!["undecodable"]);
    assert!(errors.strs("message")[0].contains("mixed encodings"));
}
