//! Bad input: a clear one-line error naming the file, a non-zero exit, and no output
//! directory left behind (nor an older one damaged).

use std::path::Path;

use crate::common::{govlens, run_corpus};

/// A small valid corpus in `dir/c`; returns its path.
fn corpus(dir: &Path) -> std::path::PathBuf {
    let c = dir.join("c");
    std::fs::create_dir_all(&c).unwrap();
    std::fs::write(c.join("a.txt"), "坚持法治").unwrap();
    std::fs::write(c.join("b.txt"), "the rule of law").unwrap();
    std::fs::write(
        c.join("manifest.csv"),
        "file,doc_id,lang\na.txt,a,zh\nb.txt,b,en\n",
    )
    .unwrap();
    c
}

/// Runs govlens, expects failure with `want` in a one-line message; returns it.
fn fails(args: &[&str], want: &[&str]) -> String {
    let out = govlens(args);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!out.status.success(), "{args:?} should fail");
    assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("govlens: error: "), "{stderr}");
    for w in want {
        assert!(stderr.contains(w), "{args:?}: {stderr:?} lacks {w:?}");
    }
    stderr
}

#[test]
fn manifest_errors_are_fatal_and_leave_nothing() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "missing column",
            "file,doc_id\na.txt,a\n",
            &["manifest.csv", "line 1", "lang"],
        ),
        (
            "unknown lang",
            "file,doc_id,lang\na.txt,a,fr\n",
            &["manifest.csv", "line 2", "\"fr\""],
        ),
        (
            "duplicate doc_id",
            "file,doc_id,lang\na.txt,a,zh\nb.txt,a,en\n",
            &["manifest.csv", "line 3", "duplicate doc_id"],
        ),
    ];
    for (name, manifest, want) in cases {
        let dir = tempfile::tempdir().unwrap();
        let c = corpus(dir.path());
        std::fs::write(c.join("manifest.csv"), manifest).unwrap();
        let out = dir.path().join("out");
        fails(
            &[
                "run",
                "--corpus",
                c.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            want,
        );
        assert!(!out.exists(), "{name}: no output directory");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "{name}: only the corpus remains");
    }
}

/// A corpus with one good document and one of each kind of bad one.
fn bad_corpus(dir: &Path) -> std::path::PathBuf {
    let c = corpus(dir);
    std::fs::write(c.join("empty.txt"), "").unwrap();
    std::fs::write(c.join("blank.md"), "   \n\n  ").unwrap();
    std::fs::write(c.join("binary.txt"), b"\x00\x01\x02ELF\x00\x00").unwrap();
    std::fs::write(c.join("doc.pdf.txt"), b"%PDF-1.7\n%binary").unwrap();
    std::fs::write(c.join("broken.txt"), b"rule of law \xff\xfe broken").unwrap();
    std::fs::write(c.join("big.txt"), "law ".repeat(300_000)).unwrap();
    std::fs::write(
        c.join("manifest.csv"),
        format!(
            "file,doc_id,lang,encoding,sha256\n\
             a.txt,a,zh,,\n\
             b.txt,b,en,,{}\n\
             gone.txt,gone,en,,\n\
             empty.txt,empty,en,,\n\
             blank.md,blank,en,,\n\
             binary.txt,binary,en,,\n\
             doc.pdf.txt,pdf,en,,\n\
             broken.txt,broken,en,utf-8,\n\
             big.txt,big,en,,\n",
            "0".repeat(64)
        ),
    )
    .unwrap();
    c
}

#[test]
fn unreadable_documents_are_recorded_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let c = bad_corpus(dir.path());
    let out = dir.path().join("out");
    let run = run_corpus(&c, &out, &["--max-file-mb", "1"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(
        run.status.code(),
        Some(3),
        "exit 3 when documents were skipped: {stderr}"
    );
    assert!(stderr.contains("8 documents skipped"), "{stderr}");
    assert!(
        stderr.contains("skipped gone (gone.txt): missing"),
        "{stderr}"
    );
    let errors = crate::common::Table::read(&out, "errors");
    let got: Vec<(String, String)> = errors
        .strs("doc_id")
        .into_iter()
        .zip(errors.strs("kind"))
        .collect();
    let want = [
        ("b", "checksum_mismatch"),
        ("big", "too_large"),
        ("binary", "binary"),
        ("blank", "empty"),
        ("broken", "undecodable"),
        ("empty", "empty"),
        ("gone", "missing"),
        ("pdf", "binary"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, want);
    assert!(errors.strs("message").iter().all(|m| !m.is_empty()));
    let docs = crate::common::Table::read(&out, "documents");
    assert_eq!(docs.strs("doc_id"), vec!["a"]);
    let run_json = std::fs::read_to_string(out.join("run.json")).unwrap();
    assert!(run_json.contains("\"kind\": \"too_large\""), "{run_json}");
}

/// The `govlens: skipped ...` lines of a command's standard error.
fn skipped_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("govlens: skipped "))
        .collect()
}

#[test]
fn kwic_and_audit_report_unreadable_documents_as_run_does() {
    let dir = tempfile::tempdir().unwrap();
    let c = bad_corpus(dir.path());
    let corpus = c.to_str().unwrap();
    let run = run_corpus(&c, dir.path().join("out"), &["--max-file-mb", "1"]);
    let run_err = String::from_utf8_lossy(&run.stderr).to_string();
    let want = skipped_lines(&run_err);
    assert_eq!(want.len(), 8, "{run_err}");
    assert!(
        want.iter().any(|l| l.contains("big (big.txt): too_large")),
        "{run_err}"
    );
    for args in [
        vec!["kwic", "法治", "--corpus", corpus, "--max-file-mb", "1"],
        vec!["audit", "--corpus", corpus, "--max-file-mb", "1"],
    ] {
        let out = govlens(&args);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(
            out.status.code(),
            Some(3),
            "{args:?}: exit 3 as run: {stderr}"
        );
        assert_eq!(
            skipped_lines(&stderr),
            want,
            "{args:?}: the same documents, the same words"
        );
        // The readable document is still read.
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(stdout.contains("法治"), "{args:?}: {stdout}");
    }
    // Without the limit, the large file is read by kwic as by run.
    let out = govlens(&["kwic", "law", "--corpus", corpus]);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!stderr.contains("too_large"), "{stderr}");
    assert!(stderr.contains("300000 matches"), "{stderr}");
}

#[test]
fn strict_makes_a_bad_document_fatal_and_keeps_the_previous_run() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    let out = dir.path().join("out");
    let ok = run_corpus(&c, &out, &[]);
    assert!(ok.status.success());
    let before = std::fs::read(out.join("terms.parquet")).unwrap();

    std::fs::write(c.join("b.txt"), b"rule of law \xff\xfe broken").unwrap();
    std::fs::write(
        c.join("manifest.csv"),
        "file,doc_id,lang,encoding\na.txt,a,zh,\nb.txt,b,en,utf-8\n",
    )
    .unwrap();
    fails(
        &[
            "run",
            "--corpus",
            c.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--strict",
        ],
        &["b.txt", "not valid UTF-8", "offset 12", "--strict"],
    );
    assert_eq!(
        std::fs::read(out.join("terms.parquet")).unwrap(),
        before,
        "old run intact"
    );
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains(".tmp")),
        "no staging left: {names:?}"
    );
}

#[test]
fn configuration_errors_name_the_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    let p = dir.path().join("bad.toml");
    std::fs::write(&p, "corpus = 'c'\nout = [\n").unwrap();
    fails(&["run", p.to_str().unwrap()], &["bad.toml", "line 2"]);

    std::fs::write(&p, "corpus = 'c'\nout = 'o'\ncolour = 'red'\n").unwrap();
    fails(&["run", p.to_str().unwrap()], &["bad.toml", "colour"]);

    let lex = dir.path().join("lex.toml");
    std::fs::write(&lex, "[[frame]]\nid = 'x'\nlabel = 'X'\nzh = ['法*']\n").unwrap();
    fails(
        &[
            "run",
            "--corpus",
            c.to_str().unwrap(),
            "--lexicon",
            lex.to_str().unwrap(),
        ],
        &["lex.toml", "wildcards"],
    );

    fails(
        &[
            "run",
            "--corpus",
            c.to_str().unwrap(),
            "--group-by",
            "jurisdiciton",
        ],
        &["jurisdiciton", "did you mean \"jurisdiction\""],
    );
    fails(
        &["run", "--corpus", dir.path().join("nope").to_str().unwrap()],
        &["nope", "not found"],
    );
    fails(
        &["run", "--corpus", c.to_str().unwrap(), "--batch-mb", "0"],
        &["batch_mb must be a positive number"],
    );
    fails(
        &["run", dir.path().join("missing.toml").to_str().unwrap()],
        &["missing.toml"],
    );
    fails(
        &["segment", dir.path().join("none.txt").to_str().unwrap()],
        &["none.txt"],
    );
}

#[test]
fn empty_corpus_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fails(
        &["run", "--corpus", dir.path().to_str().unwrap()],
        &["no documents"],
    );
}

#[test]
fn output_that_is_not_a_run_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    let precious = dir.path().join("thesis");
    std::fs::create_dir(&precious).unwrap();
    std::fs::write(precious.join("chapter1.tex"), "my work").unwrap();
    fails(
        &[
            "run",
            "--corpus",
            c.to_str().unwrap(),
            "--out",
            precious.to_str().unwrap(),
        ],
        &["thesis", "not a govlens run"],
    );
    assert_eq!(
        std::fs::read_to_string(precious.join("chapter1.tex")).unwrap(),
        "my work"
    );
    fails(
        &[
            "run",
            "--corpus",
            c.to_str().unwrap(),
            "--out",
            c.join("out").to_str().unwrap(),
        ],
        &["lies inside the corpus"],
    );
    // An empty directory, or an earlier run, may be (re)written.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    for _ in 0..2 {
        let out = run_corpus(&c, &empty, &[]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn io_errors_are_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = fails(
        &["run", dir.path().join("gone.toml").to_str().unwrap()],
        &["gone.toml"],
    );
    assert_eq!(stderr.matches("No such file").count(), 1, "{stderr}");
}

#[test]
fn a_killed_run_leaves_no_partial_output() {
    let dir = tempfile::tempdir().unwrap();
    // A corpus large enough that the run is still going when it is killed.
    let c = dir.path().join("big");
    std::fs::create_dir_all(c.join("cn")).unwrap();
    std::fs::create_dir_all(c.join("us")).unwrap();
    let zh = "第一条 坚持以人为本，推进依法治理和法治建设，发展可信赖的人工智能。\n".repeat(400);
    let en =
        "Article 1. Trustworthy AI requires the rule of law and good governance.\n".repeat(400);
    for i in 0..80 {
        std::fs::write(c.join(format!("cn/{i:03}.txt")), &zh).unwrap();
        std::fs::write(c.join(format!("us/{i:03}.txt")), &en).unwrap();
    }
    let out = dir.path().join("out");
    let args = [
        "run",
        "--corpus",
        c.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ];

    // First, with no earlier run: kill it mid-way, nothing may appear at --out.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_govlens"))
        .args(args)
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let finished_early = child.try_wait().unwrap().is_some();
    child.kill().ok();
    child.wait().unwrap();
    if !finished_early {
        assert!(
            !out.exists(),
            "a killed first run leaves no output directory"
        );
    }

    // A complete run, then a killed one: the complete run stays as it was.
    let done = govlens(&args);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let before = std::fs::read(out.join("run.json")).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_govlens"))
        .args(args)
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    child.kill().ok();
    child.wait().unwrap();
    assert_eq!(std::fs::read(out.join("run.json")).unwrap(), before);
    assert!(out.join("terms.parquet").is_file());

    // The next run clears what the killed ones left behind.
    let again = govlens(&args);
    assert!(again.status.success());
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".out.tmp"))
        .collect();
    assert!(leftovers.is_empty(), "stale staging removed: {leftovers:?}");
}
