//! `govlens merge`: the shards of a corpus joined give the run one run over the
//! whole corpus gives, table by table; shards that do not belong together are
//! refused with a clear error, and nothing is written.

use std::path::{Path, PathBuf};

use crate::common::{Table, govlens, govlens_ok, shared_corpus};

/// Runs shard K/N of `pipeline` (with `extra` flags) into `dir/K`.
fn shard(pipeline: &str, dir: &Path, k: usize, n: usize, extra: &[&str]) -> PathBuf {
    let out = dir.join(k.to_string());
    let spec = format!("{k}/{n}");
    let mut args = vec![
        "run",
        pipeline,
        "-q",
        "--no-report",
        "--shard",
        &spec,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    govlens_ok(&args);
    out
}

/// All N shards of `pipeline` into `dir/1` ... `dir/N`.
fn shards(pipeline: &str, dir: &Path, n: usize) -> Vec<PathBuf> {
    (1..=n).map(|k| shard(pipeline, dir, k, n, &[])).collect()
}

/// `govlens merge OUT SHARDS...` (with `-q`).
fn merge(out: &Path, shards: &[PathBuf]) -> std::process::Output {
    let mut args = vec!["merge", "-q", out.to_str().unwrap()];
    args.extend(shards.iter().map(|s| s.to_str().unwrap()));
    govlens(&args)
}

/// The Parquet tables of a run directory, by file name.
fn tables(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".parquet"))
        .collect();
    names.sort();
    names
}

/// `run.json` without what depends on the invocation and the output directory.
fn provenance(dir: &Path) -> serde_json::Value {
    let mut run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).unwrap()).unwrap();
    let obj = run.as_object_mut().unwrap();
    obj.remove("invocation");
    obj.remove("merged_from");
    obj["settings"].as_object_mut().unwrap().remove("out");
    run
}

/// Every table of `merged` has the columns, types and rows (in order) of the
/// same table of `single`, and `run.json` records the same run.
pub(crate) fn assert_same_run(single: &Path, merged: &Path, what: &str) {
    let names = tables(single);
    assert_eq!(names.len(), 23, "{what}: the run's tables");
    assert_eq!(tables(merged), names, "{what}: the same tables");
    for name in &names {
        let name = name.trim_end_matches(".parquet");
        let (a, b) = (Table::read(single, name).df, Table::read(merged, name).df);
        assert_eq!(a.schema(), b.schema(), "{what}: {name} columns");
        assert!(
            a.equals_missing(&b),
            "{what}: {name} differs ({} rows against {})\n{a}\n{b}",
            a.height(),
            b.height()
        );
    }
    assert_eq!(provenance(single), provenance(merged), "{what}: run.json");
    assert!(merged.join("report.html").is_file(), "{what}: report");
    assert!(!merged.join("shard").exists(), "{what}: no shard parts");
    for dir in [single, merged] {
        assert!(
            !dir.join(".terms.spill").exists(),
            "{what}: the spill file is gone"
        );
    }
}

#[test]
fn merged_shards_of_the_shared_corpus_equal_one_run() {
    let test = "merged_shards_of_the_shared_corpus_equal_one_run";
    if shared_corpus(test).is_none() {
        return;
    }
    let pipeline = "pipelines/ai-governance.toml";
    let dir = tempfile::tempdir().unwrap();
    let single = dir.path().join("single");
    govlens_ok(&["run", pipeline, "-q", "--out", single.to_str().unwrap()]);
    assert!(Table::read(&single, "collocations").height() > 1000);
    assert!(Table::read(&single, "parallel").height() > 100);
    for n in [1, 3, 8] {
        let parts = shards(pipeline, &dir.path().join(format!("of{n}")), n);
        let merged = dir.path().join(format!("merged{n}"));
        let o = merge(&merged, &parts);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_same_run(&single, &merged, &format!("{n} shards"));
        let run: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(merged.join("run.json")).unwrap())
                .unwrap();
        let from = run["merged_from"].as_array().unwrap();
        assert_eq!(from.len(), n);
        let docs: u64 = from.iter().map(|s| s["documents"].as_u64().unwrap()).sum();
        assert_eq!(docs, Table::read(&single, "documents").height() as u64);
    }
}

#[test]
fn textrank_ngrams_similarity_and_wordfish_of_shards_merge_as_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = dir.path().join("textrank.toml");
    let corpus = crate::common::root().join("corpora/sample");
    std::fs::write(
        &pipeline,
        format!(
            "corpus = {:?}\nout = \"out\"\n[stats]\ntextrank = true\nkeywords = 5\n\
             ngrams = true\nngram_min_count = 2\nsimilarity = true\nneighbours = 3\n\
             wordfish = \"en\"\nwordfish_terms = 50\nwordfish_bootstrap = 10\n",
            corpus.display().to_string()
        ),
    )
    .unwrap();
    let pipeline = pipeline.to_str().unwrap();
    let single = dir.path().join("single");
    govlens_ok(&["run", pipeline, "-q", "--out", single.to_str().unwrap()]);
    let keywords = Table::read(&single, "keywords");
    let methods = keywords.strs("method");
    let docs = Table::read(&single, "documents").height();
    for method in ["textrank", "tfidf"] {
        let n = methods.iter().filter(|m| *m == method).count();
        assert!(
            n > docs * 3 && n <= docs * 5,
            "{method}: {n} rows for {docs} documents"
        );
    }
    let ngrams = Table::read(&single, "ngrams");
    let mut lengths = ngrams.ints("n");
    lengths.sort();
    lengths.dedup();
    // Lengths 2 to 5 (5-grams seen twice were the sample's title disclaimers, now
    // front matter and left out).
    assert!(
        lengths.starts_with(&[2, 3, 4]) && lengths.iter().all(|n| (2..=5).contains(n)),
        "n-grams of every length: {lengths:?}"
    );
    assert!(
        ngrams.ints("count").iter().all(|&c| c >= 2),
        "ngram_min_count"
    );
    let similarity = Table::read(&single, "similarity");
    let methods = similarity.strs("method");
    assert!(methods.iter().filter(|m| *m == "cosine_tfidf").count() >= docs);
    assert!(methods.iter().any(|m| m == "jsd_frames"));
    let wordfish = Table::read(&single, "wordfish");
    assert!(
        wordfish
            .strs("kind")
            .iter()
            .filter(|k| *k == "document")
            .count()
            >= 3
    );
    let parts = shards(pipeline, &dir.path().join("parts"), 3);
    let merged = dir.path().join("merged");
    let o = merge(&merged, &parts);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_same_run(
        &single,
        &merged,
        "textrank, n-grams, similarity and wordfish, 3 shards",
    );
}

#[test]
fn empty_shards_merge_as_the_empty_parts_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let single = dir.path().join("single");
    govlens_ok(&["run", "-q", "--out", single.to_str().unwrap()]);
    let n = Table::read(&single, "documents").height() + 2;
    let parts = shards("pipelines/default.toml", &dir.path().join("parts"), n);
    let empty = parts
        .iter()
        .filter(|p| Table::read(p, "documents").height() == 0)
        .count();
    assert!(empty >= 2, "{n} shards of {} documents", n - 2);
    let merged = dir.path().join("merged");
    let o = merge(&merged, &parts);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_same_run(&single, &merged, "with empty shards");
}

#[test]
fn shards_that_do_not_make_one_run_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pipeline = "pipelines/default.toml";
    let good = shards(pipeline, &d.join("good"), 3);
    let with = |k: usize, other: &Path| {
        let mut v = good.clone();
        v[k - 1] = other.to_path_buf();
        v
    };
    // Incomplete shards: a run that died before run.json, a table gone, a table
    // replaced by another shard's.
    let no_run_json = shard(pipeline, &d.join("no-run-json"), 2, 3, &[]);
    std::fs::remove_file(no_run_json.join("run.json")).unwrap();
    let no_kwic = shard(pipeline, &d.join("no-kwic"), 2, 3, &[]);
    std::fs::remove_file(no_kwic.join("kwic.parquet")).unwrap();
    let no_part = shard(pipeline, &d.join("no-part"), 2, 3, &[]);
    std::fs::remove_file(no_part.join("shard/collocates.parquet")).unwrap();
    let swapped = shard(pipeline, &d.join("swapped"), 2, 3, &[]);
    std::fs::copy(good[0].join("terms.parquet"), swapped.join("terms.parquet")).unwrap();
    // Shards of other runs.
    let min_count = shard(pipeline, &d.join("min-count"), 2, 3, &["--min-count", "7"]);
    let other_pipeline = d.join("other.toml");
    std::fs::write(
        &other_pipeline,
        format!(
            "corpus = {:?}\nout = {:?}\ngroup_by = \"lang\"\n",
            crate::common::root().join("corpora/sample"),
            d.join("unused")
        ),
    )
    .unwrap();
    let pipeline_b = shard(other_pipeline.to_str().unwrap(), &d.join("b"), 2, 3, &[]);
    let of_four = shard(pipeline, &d.join("four"), 2, 4, &[]);
    let full = d.join("full");
    govlens_ok(&["run", "-q", "--no-report", "--out", full.to_str().unwrap()]);

    let cases: Vec<(&str, Vec<PathBuf>, &str)> = vec![
        ("missing", good[..2].to_vec(), "shards missing: 3/3"),
        (
            "repeated",
            vec![
                good[0].clone(),
                good[1].clone(),
                good[1].clone(),
                good[2].clone(),
            ],
            "shard 2/3 is given twice",
        ),
        ("no run.json", with(2, &no_run_json), "has no run.json"),
        ("table gone", with(2, &no_kwic), "kwic.parquet is missing"),
        (
            "part gone",
            with(2, &no_part),
            "shard/collocates.parquet is missing",
        ),
        ("table swapped", with(2, &swapped), "terms.parquet has"),
        (
            "other settings",
            with(2, &min_count),
            "settings.stats.keyness_min_count (5 against 7)",
        ),
        (
            "other pipeline",
            with(2, &pipeline_b),
            "they differ in pipeline",
        ),
        (
            "other count",
            with(2, &of_four),
            "shard_of.count (3 against 4)",
        ),
        ("not a shard", with(2, &full), "is not a shard"),
        (
            "not there",
            with(2, &d.join("never-ran")),
            "no such directory",
        ),
    ];
    for (what, parts, want) in cases {
        let out = d.join(format!("merged-{}", what.replace(' ', "-")));
        let o = merge(&out, &parts);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{what}: merged");
        assert!(err.contains(want), "{what}: {err}");
        assert!(!out.exists(), "{what}: nothing written");
    }
    // The output may not be one of the shards.
    let o = merge(&good[0], &good);
    assert!(String::from_utf8_lossy(&o.stderr).contains("is the shard"));
    assert!(good[0].join("shard").is_dir(), "the shard is untouched");
    // Nothing half-written is left next to the outputs.
    let stray: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
    // And the good shards still merge.
    let o = merge(&d.join("merged"), &good);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
