//! The bundled sample corpus: the default job, table schemas, counts we can verify
//! by reading the texts, determinism across thread counts.

use std::collections::HashMap;
use std::path::Path;

use crate::common::{Table, frame_count, frame_rate, govlens_env, govlens_ok, run_corpus_ok};

/// Runs the default pipeline into `out`.
fn run_default(out: &Path, threads: &str) {
    run_default_with(out, &["--threads", threads]);
}

fn run_default_with(out: &Path, args: &[&str]) {
    let mut all = vec!["run", "--out", out.to_str().unwrap(), "--quiet"];
    all.extend_from_slice(args);
    govlens_ok(&all);
}

/// The schema contract: every table's columns and types, as the README lists them.
pub const SCHEMAS: &[(&str, &str)] = &[
    (
        "documents",
        "doc_id:str jurisdiction:str lang:str script:str year:i32 title:str path:str \
         format:str encoding:str sha256:str n_bytes:i64 n_chars:i64 n_tokens:i64 \
         n_types:i64 n_units:i64 n_tokens_left_out:i64 tokens_toc:i64 tokens_references:i64 \
         tokens_footnotes:i64 tokens_annex:i64 tokens_front:i64 tokens_signature:i64 \
         tokens_lists:i64 tokens_labels:i64",
    ),
    (
        "terms",
        "doc_id:str term:str lang:str count:i64 is_stopword:bool",
    ),
    (
        "group_terms",
        "group:str term:str lang:str count:i64 docs:i64 rate_per_10k:f64 is_stopword:bool",
    ),
    (
        "frames",
        "doc_id:str frame:str term:str pattern:str count:i64",
    ),
    (
        "frame_rates",
        "group:str lang:str frame:str count:i64 tokens:i64 rate_per_10k:f64 docs:i64 \
         docs_total:i64 rate_ci_low:f64 rate_ci_high:f64",
    ),
    (
        "frame_trends",
        "group:str lang:str year:i32 frame:str count:i64 tokens:i64 rate_per_10k:f64 \
         docs:i64 docs_total:i64",
    ),
    (
        "keyness",
        "target:str reference:str lang:str term:str count_target:i64 count_reference:i64 \
         tokens_target:i64 tokens_reference:i64 g2:f64 p:f64 p_bonferroni:f64 p_bh:f64 \
         chi2:f64 log_ratio:f64 pct_diff:f64 bic:f64 log_odds:f64 log_odds_z:f64 \
         log_odds_a0:f64 range:i64 dp:f64 dp_norm:f64 \
         juilland_d:f64 juilland_u:f64",
    ),
    (
        "frame_keyness",
        "target:str reference:str lang:str frame:str count_target:i64 count_reference:i64 \
         tokens_target:i64 tokens_reference:i64 g2:f64 p:f64 p_bonferroni:f64 p_bh:f64 \
         chi2:f64 log_ratio:f64 pct_diff:f64 bic:f64 log_odds:f64 log_odds_z:f64 \
         log_odds_a0:f64 range:i64 dp:f64 dp_norm:f64 \
         juilland_d:f64 juilland_u:f64",
    ),
    (
        "divergence",
        "lang:str kind:str group_a:str group_b:str jsd:f64",
    ),
    (
        "kwic",
        "doc_id:str frame:str term:str left:str match:str right:str start_byte:i64 \
         end_byte:i64 unit_id:i64 unit:str page:i64",
    ),
    (
        "collocations",
        "group:str lang:str frame:str collocate:str count:i64 window_tokens:i64 \
         collocate_total:i64 ll:f64 mi:f64",
    ),
    (
        "units",
        "doc_id:str unit_id:i64 kind:str label:str number:i64 parent:str zone:str \
         start_byte:i64 page:i64 n_tokens:i64",
    ),
    ("unit_frames", "doc_id:str unit_id:i64 frame:str count:i64"),
    (
        "keywords",
        "doc_id:str method:str rank:i64 term:str score:f64",
    ),
    (
        "ca",
        "table:str lang:str kind:str point:str dim:i64 coordinate:f64 mass:f64 inertia:f64 \
         inertia_share:f64",
    ),
    (
        "similarity",
        "doc_id:str method:str rank:i64 neighbour:str score:f64",
    ),
    (
        "wordfish",
        "lang:str kind:str name:str estimate:f64 ci_low:f64 ci_high:f64 intercept:f64 \
         count:i64 log_likelihood:f64 iterations:i64 converged:bool direction:str",
    ),
    (
        "ngrams",
        "group:str lang:str n:i64 ngram:str count:i64 docs:i64 rate_per_10k:f64 \
         stopword_edge:bool",
    ),
    (
        "audit",
        "doc_id:str frame:str expression:str reason:str words:str left:str match:str \
         right:str start_byte:i64 end_byte:i64 page:i64",
    ),
    ("names", "doc_id:str name:str frame:str count:i64"),
    ("errors", "doc_id:str path:str kind:str message:str"),
    (
        "parallel",
        "work:str unit:str label_zh:str label_en:str frame:str count_zh:i64 count_en:i64",
    ),
    (
        "parallel_frames",
        "work:str frame:str units_aligned:i64 both:i64 zh_only:i64 en_only:i64 \
         agreement:f64 kappa:f64 unaligned_zh:i64 unaligned_en:i64",
    ),
];

#[test]
fn default_job_writes_all_tables_with_the_documented_schema() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    run_default(&out, "2");
    for (name, schema) in SCHEMAS {
        let mut want: Vec<&str> = schema.split_whitespace().collect();
        if *name == "documents" {
            // the sample manifest's extra columns
            want.extend(["kind:str", "work:str"]);
        }
        assert_eq!(Table::read(&out, name).schema(), want, "{name}");
    }
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["rows"]["documents"], 9);
    // A digest over the inputs, not their list (documents.parquet holds it).
    assert_eq!(run["inputs"]["documents"], 9);
    assert_eq!(run["inputs"]["sha256"].as_str().unwrap().len(), 64);
    let docs = Table::read(&out, "documents");
    let lines: String = docs
        .strs("doc_id")
        .iter()
        .zip(docs.strs("path"))
        .zip(docs.strs("sha256").iter().zip(docs.strs("encoding")))
        .map(|((d, p), (h, e))| format!("{d}\t{p}\t{h}\t{e}\n"))
        .collect();
    assert_eq!(
        run["inputs"]["sha256"].as_str().unwrap(),
        govlens::digest::hex_sha256(lines.as_bytes())
    );
    assert_eq!(run["lexicon"]["sha256"].as_str().unwrap().len(), 64);
    assert!(
        run["invocation"]["timings_seconds"]["total"]
            .as_f64()
            .unwrap()
            > 0.0
    );
}

#[test]
fn counts_are_consistent_across_tables() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    run_default(&out, "2");
    let docs = Table::read(&out, "documents");
    let terms = Table::read(&out, "terms");
    let mut sum: HashMap<String, (i64, i64)> = HashMap::new();
    for (d, c) in terms.strs("doc_id").into_iter().zip(terms.ints("count")) {
        let e = sum.entry(d).or_default();
        e.0 += c;
        e.1 += 1;
    }
    for ((id, n_tokens), n_types) in docs
        .strs("doc_id")
        .iter()
        .zip(docs.ints("n_tokens"))
        .zip(docs.ints("n_types"))
    {
        assert!(n_tokens > 0, "{id} has tokens");
        assert_eq!(
            sum[id],
            (n_tokens, n_types),
            "{id}: terms sum to n_tokens, rows to n_types"
        );
    }
    let ids = docs.strs("doc_id");
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "documents sorted by doc_id");

    // Every group x language x frame has a row, zeros included.
    let rates = Table::read(&out, "frame_rates");
    let frames = govlens::lexicon::Lexicon::builtin().frames.len();
    // CN has zh and en documents; TW zh; US, EU, UN en: 6 group-language pairs.
    assert_eq!(rates.height(), 6 * frames);
}

#[test]
fn frame_terms_are_counted_as_words_not_substrings() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    run_default(&out, "2");
    let frames = Table::read(&out, "frames");
    let doc = |id: &'static str| move |d: &str| d == id;
    // cn-outline-zh: 法治 twice (法治保障, 以法治方式); 依法治理 is not 法治.
    assert_eq!(frame_count(&frames, doc("cn-outline-zh"), "rule_of_law"), 2);
    // 善治 once; 改善治理 is not 善治.
    assert_eq!(
        frame_count(&frames, doc("cn-outline-zh"), "good_governance"),
        1
    );
    // 合治 and 共治; 综合治理 is not 合治.
    assert_eq!(
        frame_count(&frames, doc("cn-outline-zh"), "cooperative_governance"),
        2
    );
    // 混合治理 is not 合治; 法治化 is rule of law.
    assert_eq!(
        frame_count(
            &frames,
            doc("cn-algorithm-rules-zh"),
            "cooperative_governance"
        ),
        0
    );
    assert_eq!(
        frame_count(&frames, doc("cn-algorithm-rules-zh"), "rule_of_law"),
        1
    );
    // "good. Governance" is not a phrase; "Good\ngovernance" is.
    assert_eq!(
        frame_count(&frames, doc("us-risk-framework-en"), "good_governance"),
        0
    );
    assert_eq!(
        frame_count(&frames, doc("eu-guidelines-en"), "good_governance"),
        1
    );
    // trustworth* finds trustworthy and trustworthiness.
    assert_eq!(
        frame_count(&frames, doc("us-risk-framework-en"), "trustworthy"),
        3
    );

    let rates = Table::read(&out, "frame_rates");
    let (eu_count, eu_tokens, eu_rate, eu_docs) = frame_rate(&rates, "EU", "en", "trustworthy");
    // Not the title "Regulation on Trustworthy AI …": front matter.
    assert_eq!((eu_count, eu_docs), (3, 2));
    assert!((eu_rate - eu_count as f64 * 1e4 / eu_tokens as f64).abs() < 1e-9);
    let (_, _, cn_rate, _) = frame_rate(&rates, "CN", "en", "trustworthy");
    assert!(eu_rate > cn_rate, "EU {eu_rate} > CN {cn_rate}");
}

#[test]
fn output_is_byte_identical_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one");
    let two = dir.path().join("two");
    run_default(&one, "1");
    run_default(&two, "4");
    for (name, _) in SCHEMAS {
        let file = format!("{name}.parquet");
        let a = std::fs::read(one.join(&file)).unwrap();
        let b = std::fs::read(two.join(&file)).unwrap();
        assert!(a == b, "{file} differs between 1 and 4 threads");
    }
    // The pages too (the explorer reads documents again on every thread).
    for file in ["report.html", "explorer.html"] {
        let (a, b) = (one.join(file), two.join(file));
        assert!(
            std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap(),
            "{file} differs between 1 and 4 threads"
        );
    }
    // run.json too, once its `invocation` (command line, threads, timings) is set aside.
    let json = |dir: &Path| {
        let mut v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).unwrap()).unwrap();
        v.as_object_mut()
            .unwrap()
            .remove("invocation")
            .expect("has invocation");
        v["settings"]["out"] = serde_json::Value::Null;
        v
    };
    assert_eq!(json(&one), json(&two));
}

#[test]
fn small_batches_give_the_same_tables_and_the_same_bytes_whatever_the_threads() {
    // About 2 KiB of files per batch: the 9 sample documents take several batches,
    // so per-document tables are written in pieces and profiles kept across them.
    let dir = tempfile::tempdir().unwrap();
    let (whole, one, four) = (
        dir.path().join("whole"),
        dir.path().join("one"),
        dir.path().join("four"),
    );
    run_default_with(&whole, &["--threads", "2"]);
    run_default_with(&one, &["--threads", "1", "--batch-mb", "0.002"]);
    run_default_with(&four, &["--threads", "4", "--batch-mb", "0.002"]);
    let batches = |dir: &Path| {
        let text = std::fs::read_to_string(dir.join("run.json")).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["settings"]["batch_bytes"].as_u64().unwrap()
    };
    assert_eq!(batches(&one), 2097);
    for (name, _) in SCHEMAS {
        let a = Table::read(&whole, name).df;
        let b = Table::read(&one, name).df;
        assert!(
            a.equals_missing(&b),
            "{name}: small batches changed the table"
        );
        let file = format!("{name}.parquet");
        let (x, y) = (
            std::fs::read(one.join(&file)).unwrap(),
            std::fs::read(four.join(&file)).unwrap(),
        );
        assert!(x == y, "{file} differs between 1 and 4 threads");
    }
    // The terms table really came in several row groups.
    let whole_size = std::fs::metadata(whole.join("terms.parquet"))
        .unwrap()
        .len();
    let small_size = std::fs::metadata(one.join("terms.parquet")).unwrap().len();
    assert!(small_size > whole_size, "{small_size} vs {whole_size}");
}

#[test]
fn group_by_any_document_column() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    govlens_ok(&[
        "run",
        "--out",
        out.to_str().unwrap(),
        "--group-by",
        "kind",
        "-q",
    ]);
    let groups = Table::read(&out, "frame_rates").strs("group");
    for g in ["regulation", "guideline", "strategy"] {
        assert!(groups.iter().any(|x| x == g), "group {g}");
    }
}

#[test]
fn a_directory_without_manifest_is_a_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c");
    std::fs::create_dir_all(corpus.join("cn")).unwrap();
    std::fs::create_dir_all(corpus.join("eu/sub")).unwrap();
    std::fs::write(corpus.join("cn/law.txt"), "坚持法治，推进依法治理。ＡＩ").unwrap();
    std::fs::write(
        corpus.join("eu/sub/guide.md"),
        "# Trustworthy AI\n\nThe rule of law.",
    )
    .unwrap();
    std::fs::write(corpus.join("eu/notes.rtf"), "not a format govlens reads").unwrap();
    let out = dir.path().join("out");
    run_corpus_ok(&corpus, &out, &[]);
    let docs = Table::read(&out, "documents");
    assert_eq!(docs.strs("doc_id"), vec!["cn/law.txt", "eu/sub/guide.md"]);
    assert_eq!(docs.strs("lang"), vec!["zh", "en"]);
    assert_eq!(docs.strs("jurisdiction"), vec!["cn", "eu"]);
    let frames = Table::read(&out, "frames");
    assert_eq!(
        frame_count(&frames, |d| d == "cn/law.txt", "rule_of_law"),
        1
    );
    assert_eq!(
        frame_count(&frames, |d| d == "eu/sub/guide.md", "rule_of_law"),
        1
    );
    assert_eq!(
        frame_count(&frames, |d| d == "eu/sub/guide.md", "trustworthy"),
        1
    );
}

#[test]
fn segment_shows_words_boundaries_and_frames() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("t.txt");
    std::fs::write(
        &f,
        "坚持依法治理和法治。\nGood. Governance, good\ngovernance",
    )
    .unwrap();
    let out = govlens_ok(&["segment", f.to_str().unwrap()]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "坚持 / 依法治理 / 和 / 法治[rule_of_law]");
    assert_eq!(lines[1], "good | governance | good[good_governance]");
    assert_eq!(lines[2], "governance");
    let tsv = govlens_ok(&["segment", "--tsv", f.to_str().unwrap()]);
    assert!(
        tsv.lines()
            .any(|l| l == "21\t27\t法治\t法治\tfalse\trule_of_law"),
        "{tsv}"
    );
}

#[test]
fn frames_lists_every_frame() {
    let out = govlens_ok(&["frames"]);
    for f in govlens::lexicon::Lexicon::builtin().frames {
        assert!(
            out.contains(&format!("\n{}  {}", f.id, f.label)),
            "{}",
            f.id
        );
    }
}

#[test]
fn kwic_prints_aligned_lines_with_the_original_text() {
    let out = govlens_ok(&["kwic", "法治", "--window", "4"]);
    let lines: Vec<&str> = out.lines().collect();
    // 法治 is a word twice in cn-outline-zh (依法治理 there and in the Taiwan text is not),
    // and a constituent of 法治化 (法治 + 化) once in cn-algorithm-rules-zh.
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines
            .iter()
            .filter(|l| l.starts_with("cn-outline-zh 第三条") && l.contains("[法治]"))
            .count()
            == 2,
        "{out}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("cn-algorithm-rules-zh 第五条") && l.contains("[法治化]")),
        "{out}"
    );
    // A Simplified query finds the Traditional text, shown as written, with its article.
    let trad = govlens_ok(&["kwic", "以人为本"]);
    assert!(
        trad.lines()
            .any(|l| l.starts_with("tw-principles-zh 第 1 條") && l.contains("[以人為本]")),
        "{trad}"
    );
    assert!(trad.lines().any(|l| l.contains("[以人为本]")), "{trad}");
    let phrase = govlens_ok(&["kwic", "rule of law", "--limit", "2"]);
    assert_eq!(phrase.lines().count(), 2);
    assert!(
        phrase
            .lines()
            .all(|l| l.to_lowercase().contains("[rule of law]")),
        "{phrase}"
    );
}

#[test]
fn statistics_tables_hold_together() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    run_default(&out, "2");
    // Intervals bracket the rate where a group has two or more documents.
    let rates = Table::read(&out, "frame_rates");
    let docs = rates.ints("docs_total");
    let rate = rates.floats("rate_per_10k");
    let low = rates
        .df
        .column("rate_ci_low")
        .unwrap()
        .f64()
        .unwrap()
        .clone();
    let high = rates
        .df
        .column("rate_ci_high")
        .unwrap()
        .f64()
        .unwrap()
        .clone();
    for i in 0..rates.height() {
        match (low.get(i), high.get(i)) {
            (Some(l), Some(h)) => {
                assert!(docs[i] >= 2 && l <= rate[i] + 1e-9 && rate[i] <= h + 1e-9)
            }
            (None, None) => assert!(docs[i] < 2),
            other => panic!("half an interval: {other:?}"),
        }
    }
    // Keyness within a language; one-vs-rest by default.
    let key = Table::read(&out, "keyness");
    assert!(key.strs("reference").iter().all(|r| r == "(rest)"));
    assert!(key.height() > 0);
    // Every frame hit has a concordance line.
    let frames = Table::read(&out, "frames");
    let hits: i64 = frames.ints("count").iter().sum();
    assert_eq!(Table::read(&out, "kwic").height() as i64, hits);
    // Divergence: a value in [0, 1] for every pair of groups within a language.
    let div = Table::read(&out, "divergence");
    for (a, b) in div.strs("group_a").iter().zip(div.strs("group_b")) {
        assert!(*a < b);
    }
}

#[test]
fn kwic_takes_a_traditional_query() {
    let out = govlens_ok(&["kwic", "以人為本"]);
    assert_eq!(out.lines().count(), 2, "both scripts found: {out}");
}

#[test]
fn shards_partition_the_corpus_and_their_tables_concatenate() {
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().join("full");
    run_default(&full, "2");
    let all_terms = Table::read(&full, "terms");
    let key = |t: &Table| -> Vec<(String, String, i64)> {
        let mut v: Vec<(String, String, i64)> = t
            .strs("doc_id")
            .into_iter()
            .zip(t.strs("term"))
            .zip(t.ints("count"))
            .map(|((d, w), c)| (d, w, c))
            .collect();
        v.sort();
        v
    };
    let (mut docs, mut terms) = (Vec::new(), Vec::new());
    for k in 1..=3 {
        let out = dir.path().join(format!("shard{k}"));
        govlens_ok(&[
            "run",
            "--out",
            out.to_str().unwrap(),
            "--shard",
            &format!("{k}/3"),
            "-q",
        ]);
        docs.extend(Table::read(&out, "documents").strs("doc_id"));
        terms.extend(key(&Table::read(&out, "terms")));
    }
    docs.sort();
    terms.sort();
    assert_eq!(
        docs,
        Table::read(&full, "documents").strs("doc_id"),
        "each document in one shard"
    );
    assert_eq!(terms, key(&all_terms));
}

#[test]
fn shard_auto_takes_the_task_of_a_slurm_array_or_an_indexed_job() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, shard: &str, vars: &[(&str, &str)]| {
        let out = dir.path().join(name);
        let unset = [
            "SLURM_ARRAY_TASK_ID",
            "SLURM_ARRAY_TASK_COUNT",
            "SLURM_ARRAY_TASK_MIN",
            "SLURM_ARRAY_TASK_STEP",
            "JOB_COMPLETION_INDEX",
            "GOVLENS_SHARD_COUNT",
        ];
        let args = [
            "run",
            "-q",
            "--no-report",
            "--shard",
            shard,
            "--out",
            out.to_str().unwrap(),
        ];
        (govlens_env(&args, vars, &unset), out)
    };
    let (fixed, fixed_out) = run("fixed", "2/3", &[]);
    assert!(fixed.status.success());
    let want = Table::read(&fixed_out, "documents").strs("doc_id");
    let slurm = [
        ("SLURM_ARRAY_TASK_ID", "1"),
        ("SLURM_ARRAY_TASK_COUNT", "3"),
        ("SLURM_ARRAY_TASK_MIN", "0"),
    ];
    let k8s = [("JOB_COMPLETION_INDEX", "1")];
    for (name, shard, vars) in [("slurm", "auto", &slurm[..]), ("k8s", "auto/3", &k8s[..])] {
        let (o, out) = run(name, shard, vars);
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(
            Table::read(&out, "documents").strs("doc_id"),
            want,
            "{name}"
        );
        let manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
        assert_eq!(manifest["settings"]["shard"], "2/3", "{name}");
    }
    // Outside a job array: a clear error, nothing written.
    let (o, out) = run("none", "auto", &[]);
    assert_eq!(o.status.code(), Some(2), "usage error");
    assert!(String::from_utf8_lossy(&o.stderr).contains("SLURM_ARRAY_TASK_ID"));
    assert!(!out.exists());
}

#[test]
fn progress_lines_and_summary_on_stderr_nothing_when_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let run = |extra: &[&str]| {
        let mut args = vec!["run", "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_govlens"))
            .args(&args)
            .current_dir(crate::common::root())
            .env("GOVLENS_PROGRESS_SECONDS", "0")
            .output()
            .unwrap();
        assert!(o.status.success());
        String::from_utf8(o.stderr).unwrap()
    };
    // Not a terminal: plain progress lines (every document with a 0 s interval),
    // then the summary.
    let stderr = run(&[]);
    let progress: Vec<&str> = stderr.lines().filter(|l| l.contains("MB/s")).collect();
    assert_eq!(progress.len(), 9, "{stderr}");
    assert!(
        progress[8].starts_with("govlens: 9/9 documents, "),
        "{stderr}"
    );
    assert!(
        stderr.contains("govlens: 9 documents, 654 en + 275 zh tokens, 111 frame hits, 0 skipped"),
        "{stderr}"
    );
    assert!(stderr.contains("report.html"), "{stderr}");
    assert_eq!(run(&["--quiet"]), "");
}

/// The README's column tables, per Parquet table: "name:type" in order. A row's
/// first cell names one or more columns in backticks (`a`, `b`); its type cell
/// gives one type for all or one per column ("i64, str"), "nullable" aside. A
/// parenthesis "(`x` in other)" renames the row's column for table `other`. Rows
/// without a backticked name (the manifest's *extra* columns) are not columns.
fn readme_schemas() -> Vec<(String, Vec<String>)> {
    let readme = std::fs::read_to_string(crate::common::root().join("docs/guide.md")).unwrap();
    let ticked = |s: &str| -> Vec<String> {
        s.split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, t)| t.to_string())
            .collect()
    };
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    for line in readme.lines() {
        if line.starts_with('#') {
            current.clear();
            if line.starts_with("### ") {
                for name in ticked(line) {
                    if let Some(table) = name.strip_suffix(".parquet") {
                        out.push((table.to_string(), Vec::new()));
                        current.push(out.len() - 1);
                    }
                }
            }
            continue;
        }
        let cells: Vec<&str> = line.split(" | ").map(str::trim).collect();
        if current.is_empty() || !line.starts_with("| `") || cells.len() < 3 {
            continue;
        }
        let first = cells[0].trim_start_matches("| ");
        let (names, rename) = match first.split_once('(') {
            Some((names, paren)) => (ticked(names), Some(paren.to_string())),
            None => (ticked(first), None),
        };
        let types: Vec<&str> = cells[1].split(", ").filter(|t| *t != "nullable").collect();
        for &k in &current {
            let table = out[k].0.clone();
            for (i, name) in names.iter().enumerate() {
                let name = match &rename {
                    Some(paren) if paren.contains(&format!("in {table}")) => {
                        ticked(paren)[0].clone()
                    }
                    _ => name.clone(),
                };
                let ty = if types.len() == names.len() {
                    types[i]
                } else {
                    types[0]
                };
                out[k].1.push(format!("{name}:{ty}"));
            }
        }
    }
    out
}

#[test]
fn readme_documents_every_table_and_column_as_the_code_writes_them() {
    let documented = readme_schemas();
    let names: Vec<&str> = documented.iter().map(|(n, _)| n.as_str()).collect();
    let mut want: Vec<&str> = SCHEMAS.iter().map(|(n, _)| *n).collect();
    let mut got = names.clone();
    want.sort();
    got.sort();
    assert_eq!(got, want, "tables in the README vs the tables written");
    for (name, schema) in SCHEMAS {
        let readme = &documented.iter().find(|(n, _)| n == name).unwrap().1;
        let code: Vec<&str> = schema.split_whitespace().collect();
        assert_eq!(readme, &code, "README columns of {name}");
    }
}
