//! Frame words inside names (of bodies, laws, programmes) are set aside by
//! default, listed in names.parquet and audit.parquet, and counted with
//! `count_names`.

use govlens::config::Overrides;
use govlens::progress::Silent;
use govlens::{Pipeline, RunOutput};

fn run(count_names: bool) -> RunOutput {
    let dir = tempfile::tempdir().unwrap();
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
        ..Overrides::default()
    };
    let pipeline = Pipeline::with_overrides(None, overrides).unwrap();
    pipeline.run(&Silent).unwrap()
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
