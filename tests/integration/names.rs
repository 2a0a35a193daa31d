//! Frame words inside names (of bodies, laws, programmes) are set aside by
//! default, listed in names.parquet and audit.parquet, and counted with
//! `count_names`.

use govlens::config::Overrides;
use govlens::progress::Silent;
use govlens::{Pipeline, RunOutput};

fn run(count_names: bool) -> RunOutput {
    run_with(count_names, None)
}

/// A run of the two documents, with the built-in lexicon and `names` (a TOML
/// `[names]` table) added to it.
fn run_with(count_names: bool, names: Option<&str>) -> RunOutput {
    let dir = tempfile::tempdir().unwrap();
    let lexicon = names.map(|names| {
        let path = dir.path().join("lexicon.toml");
        std::fs::write(&path, format!("{}\n{names}\n", without_names())).unwrap();
        path
    });
    let corpus = dir.path().join("c");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(
        corpus.join("a.txt"),
        "The Secretary of Harbour Security met the committee. Security of systems \
         matters, and Trustworthy AI is the goal of the plan.\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("b.txt"),
        "依照《湖区数据安全守则》，我们重视数据安全。\n",
    )
    .unwrap();
    let overrides = Overrides {
        corpus: Some(corpus),
        count_names,
        lexicon,
        ..Overrides::default()
    };
    let pipeline = Pipeline::with_overrides(None, overrides).unwrap();
    pipeline.run(&Silent).unwrap()
}

/// The built-in lexicon without its own `[names]` table (the last in the file).
fn without_names() -> &'static str {
    let text = govlens::lexicon::DEFAULT_LEXICON;
    text.find("\n[names]").map_or(text, |at| &text[..at])
}

/// (doc_id, frame, count) of frames.parquet, summed over terms.
fn frame_counts(out: &RunOutput) -> Vec<(String, String, i64)> {
    let df = out.table("frames").unwrap();
    let (d, f, n) = (
        df.column("doc_id").unwrap().str().unwrap(),
        df.column("frame").unwrap().str().unwrap(),
        df.column("count").unwrap().i64().unwrap(),
    );
    let mut sums: std::collections::BTreeMap<(String, String), i64> = Default::default();
    for i in 0..df.height() {
        let key = (d.get(i).unwrap().to_string(), f.get(i).unwrap().to_string());
        *sums.entry(key).or_insert(0) += n.get(i).unwrap();
    }
    sums.into_iter().map(|((d, f), n)| (d, f, n)).collect()
}

fn count(out: &RunOutput, doc: &str, frame: &str) -> i64 {
    let found = frame_counts(out);
    found
        .iter()
        .find(|(d, f, _)| d == doc && f == frame)
        .map_or(0, |r| r.2)
}

#[test]
fn names_are_set_aside_listed_and_counted_on_request() {
    let out = run(false);
    // The office's "Security" is a name; the sentence's own is counted, and so
    // is the capitalised frame "Trustworthy AI".
    assert_eq!(count(&out, "a.txt", "safety_security"), 1);
    assert_eq!(count(&out, "a.txt", "trustworthy"), 1);
    // The law's title is a name; the clause after it is not.
    assert_eq!(count(&out, "b.txt", "safety_security"), 1);
    let names = out.table("names").unwrap();
    let listed: Vec<(&str, &str, i64)> = (0..names.height())
        .map(|i| {
            (
                names
                    .column("doc_id")
                    .unwrap()
                    .str()
                    .unwrap()
                    .get(i)
                    .unwrap(),
                names.column("name").unwrap().str().unwrap().get(i).unwrap(),
                names
                    .column("count")
                    .unwrap()
                    .i64()
                    .unwrap()
                    .get(i)
                    .unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        vec![
            ("a.txt", "Secretary of Harbour Security", 1),
            ("b.txt", "湖区数据安全守则", 1)
        ]
    );
    let audit = out.table("audit").unwrap();
    let reasons = audit.column("reason").unwrap().str().unwrap();
    assert_eq!(reasons.iter().filter(|r| *r == Some("name")).count(), 2);
    assert!(!out.manifest.settings.count_names);

    let counted = run(true);
    assert_eq!(count(&counted, "a.txt", "safety_security"), 2);
    assert_eq!(count(&counted, "b.txt", "safety_security"), 2);
    assert_eq!(counted.table("names").unwrap().height(), 0);
    assert!(counted.manifest.settings.count_names);
}

#[test]
fn the_lexicon_lists_names_to_count_and_names_to_set_aside() {
    let out = run_with(
        false,
        Some(
            "[names]\ncount = [\"secretary of  harbour security\"]\n\
             set_aside = [\"重视数据安全\"]",
        ),
    );
    // The office the rule finds is listed to count (case and spacing aside); the
    // lower-case clause is listed as a name the rule does not find.
    assert_eq!(count(&out, "a.txt", "safety_security"), 2);
    assert_eq!(count(&out, "b.txt", "safety_security"), 0);
    let names = out.table("names").unwrap();
    let written: Vec<&str> = names
        .column("name")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    assert_eq!(written, ["湖区数据安全守则", "重视数据安全"]);
    // A name listed both ways, or empty, is refused with the lexicon's path.
    for bad in [
        "[names]\ncount = [\"Harbour Office\"]\nset_aside = [\"harbour office\"]",
        "[names]\nset_aside = [\" \"]",
        "[names]\nignore = [\"Harbour Office\"]",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lexicon.toml");
        std::fs::write(&path, format!("{}\n{bad}\n", without_names())).unwrap();
        let err = govlens::lexicon::Lexicon::load(&path, None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("lexicon.toml"), "{bad}: {err}");
    }
}
