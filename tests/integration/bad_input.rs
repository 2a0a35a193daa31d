//! Bad input: a clear one-line error naming the file, a non-zero exit, and no output
//! directory left behind (nor an older one damaged).

use std::path::Path;

use crate::common::govlens;

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
            "missing file",
            "file,doc_id,lang\nz.txt,a,zh\n",
            &["manifest.csv", "line 2", "z.txt"],
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

#[test]
fn invalid_utf8_fails_and_keeps_the_previous_run() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    let out = dir.path().join("out");
    let ok = govlens(&[
        "run",
        "--corpus",
        c.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(ok.status.success());
    let before = std::fs::read(out.join("terms.parquet")).unwrap();

    std::fs::write(c.join("b.txt"), b"rule of law \xff\xfe broken").unwrap();
    fails(
        &[
            "run",
            "--corpus",
            c.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &["b.txt", "not valid UTF-8", "offset 12"],
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
fn changed_file_fails_its_manifest_checksum() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    std::fs::write(
        c.join("manifest.csv"),
        format!(
            "file,doc_id,lang,sha256\na.txt,a,zh,{}\nb.txt,b,en,\n",
            "0".repeat(64)
        ),
    )
    .unwrap();
    fails(
        &[
            "run",
            "--corpus",
            c.to_str().unwrap(),
            "--out",
            "/tmp/unused",
        ],
        &["a.txt", "sha256"],
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
        &["overlaps the corpus"],
    );
    // An empty directory, or an earlier run, may be (re)written.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    for _ in 0..2 {
        let out = govlens(&[
            "run",
            "--corpus",
            c.to_str().unwrap(),
            "--out",
            empty.to_str().unwrap(),
        ]);
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
