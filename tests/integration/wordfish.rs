//! Wordfish (`wordfish.parquet`): switched on in a pipeline, on the sample corpus
//! and on the shared real corpus.

use std::path::{Path, PathBuf};

use crate::common::{Table, govlens, govlens_ok, root, shared_corpus};

/// A pipeline over `corpus` with `stats` under `[stats]`, in `dir`.
fn pipeline(dir: &Path, corpus: &Path, stats: &str) -> PathBuf {
    let path = dir.join("wordfish.toml");
    std::fs::write(
        &path,
        format!(
            "corpus = {:?}\nout = \"out\"\nlexicon = {:?}\n[stats]\n{stats}\n",
            corpus.display().to_string(),
            root().join("pipelines/frames.toml").display().to_string(),
        ),
    )
    .unwrap();
    path
}

/// Document rows of `wordfish.parquet`: (doc_id, omega, ci_low, ci_high).
fn positions(out: &Path) -> Vec<(String, f64, f64, f64)> {
    let t = Table::read(out, "wordfish");
    let (kind, name) = (t.strs("kind"), t.strs("name"));
    let (w, lo, hi) = (
        t.floats("estimate"),
        t.floats("ci_low"),
        t.floats("ci_high"),
    );
    (0..t.height())
        .filter(|&i| kind[i] == "document")
        .map(|i| (name[i].clone(), w[i], lo[i], hi[i]))
        .collect()
}

#[test]
fn the_sample_corpus_english_documents_get_positions_and_the_report_a_chart() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let p = pipeline(
        dir.path(),
        &root().join("corpora/sample"),
        "wordfish = \"en\"\nwordfish_terms = 40\nwordfish_bootstrap = 20",
    );
    govlens_ok(&[
        "run",
        p.to_str().unwrap(),
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    let docs = Table::read(&out, "documents");
    let english = docs.strs("lang").iter().filter(|l| *l == "en").count();
    let pos = positions(&out);
    assert!(pos.len() >= 3 && pos.len() <= english, "{pos:?}");
    let omega: Vec<f64> = pos.iter().map(|p| p.1).collect();
    let n = omega.len() as f64;
    let mean = omega.iter().sum::<f64>() / n;
    let var = omega.iter().map(|w| (w - mean).powi(2)).sum::<f64>() / (n - 1.0);
    assert!(mean.abs() < 1e-9 && (var - 1.0).abs() < 1e-9, "{omega:?}");
    // The rule: the first document left of the last (doc_id order).
    assert!(pos[0].1 < pos[pos.len() - 1].1);
    let t = Table::read(&out, "wordfish");
    let words = t.strs("kind").iter().filter(|k| *k == "word").count();
    assert!(words > 1 && words <= 40);
    assert!(t.bools("converged").iter().all(|&c| c));
    assert!(t.strs("direction")[0].starts_with("rule: the first document"));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<section id=\"wordfish\">") && html.contains("Document positions · en"));
    // Off by default: the table is there, empty, and the report says how to switch it on.
    let default = dir.path().join("default");
    govlens_ok(&["run", "-q", "--out", default.to_str().unwrap()]);
    assert_eq!(Table::read(&default, "wordfish").height(), 0);
    let html = std::fs::read_to_string(default.join("report.html")).unwrap();
    assert!(html.contains("Not fitted: set <code>wordfish = \"en\"</code>"));
}

#[test]
fn bad_wordfish_settings_are_errors_that_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let sample = root().join("corpora/sample");
    for (stats, says) in [
        ("wordfish = \"fr\"", "\"fr\" is not a language"),
        (
            "wordfish = \"en\"\nwordfish_terms = 1",
            "wordfish_terms must be at least 2",
        ),
        (
            "wordfish = \"en\"\nwordfish_anchors = [\"a\"]",
            "wordfish_anchors must be two different doc_ids",
        ),
        (
            "wordfish = \"en\"\nwordfish_anchors = [\"no-such-doc\", \"other\"]",
            "wordfish_anchors: \"no-such-doc\" is not a document of the corpus",
        ),
    ] {
        let p = pipeline(dir.path(), &sample, stats);
        let out = dir.path().join("out");
        let o = govlens(&[
            "run",
            p.to_str().unwrap(),
            "-q",
            "--out",
            out.to_str().unwrap(),
        ]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            !o.status.success() && stderr.contains(says),
            "{stats}: {stderr}"
        );
    }
}

#[test]
fn the_english_documents_of_the_shared_corpus_are_scaled_reproducibly() {
    let test = "the_english_documents_of_the_shared_corpus_are_scaled_reproducibly";
    let Some(corpus) = shared_corpus(test) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let p = pipeline(
        dir.path(),
        &corpus,
        "wordfish = \"en\"\nwordfish_bootstrap = 20\n\
         wordfish_anchors = [\"eu-ai-act-2024-en\", \"jp-ai-promotion-act-2025-en\"]",
    );
    let run = |threads: &str| {
        let out = dir.path().join(format!("t{threads}"));
        let p = p.to_str().unwrap();
        govlens_ok(&[
            "run",
            p,
            "-q",
            "--threads",
            threads,
            "--out",
            out.to_str().unwrap(),
        ]);
        out
    };
    let (one, two) = (run("1"), run("2"));
    let bytes = |d: &Path| std::fs::read(d.join("wordfish.parquet")).unwrap();
    assert!(
        bytes(&one) == bytes(&two),
        "wordfish.parquet differs by threads"
    );
    let pos = positions(&one);
    let english = Table::read(&one, "documents")
        .strs("lang")
        .iter()
        .filter(|l| *l == "en")
        .count();
    assert_eq!(pos.len(), english);
    let at = |id: &str| pos.iter().find(|p| p.0 == id).unwrap().1;
    // The anchors: the EU's regulation left of Japan's promotion act.
    assert!(at("eu-ai-act-2024-en") < at("jp-ai-promotion-act-2025-en"));
    // What the dimension is: the EU act and China's data laws (market and
    // compliance law) at one end, the two Asian AI promotion acts at the other.
    let mut order: Vec<&(String, f64, f64, f64)> = pos.iter().collect();
    order.sort_by(|a, b| a.1.total_cmp(&b.1));
    let names: Vec<&str> = order.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(names[0], "eu-ai-act-2024-en", "{names:?}");
    assert!(names[..3].contains(&"cn-pipl-2021-en"), "{names:?}");
    let top: Vec<&str> = names[names.len() - 3..].to_vec();
    assert!(
        top.contains(&"jp-ai-promotion-act-2025-en")
            && top.contains(&"kr-ai-framework-act-2025-en"),
        "{names:?}"
    );
    // Intervals: ordered, and most contain their estimate.
    assert!(order.iter().all(|p| p.2 <= p.3));
    let inside = order.iter().filter(|p| p.2 <= p.1 && p.1 <= p.3).count();
    assert!(inside * 10 >= order.len() * 8, "{order:?}");
}
