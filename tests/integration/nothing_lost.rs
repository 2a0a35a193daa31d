//! Nothing a researcher made is lost, and no input costs without bound.
//!
//! The reproductions of a hostile probe's findings, one table-driven case each:
//! the command is refused with exit 1 and a one-line message naming the file or key
//! and what is wrong, and the tree it was given is byte for byte what it was (nothing
//! written, nothing removed); or, where the command may go on, it does and loses
//! nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::common::{corpus_copy, root, skip};

/// Every file under `dir` (hidden ones too) and its bytes; directories as empty.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let rel = p.strip_prefix(dir).unwrap().to_path_buf();
            if e.file_type().unwrap().is_dir() {
                stack.push(p);
                out.insert(rel, None);
            } else {
                out.insert(rel, Some(std::fs::read(&p).unwrap()));
            }
        }
    }
    out
}

/// Asserts a refusal: exit 1, one line naming each of `want`.
fn refused(args: &[&str], out: &Output, want: &[&str]) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
    assert!(stderr.starts_with("govlens: error: "), "{args:?}: {stderr}");
    assert!(
        !stderr.contains("Binary(") && !stderr.contains("Error {"),
        "{stderr}"
    );
    for w in want {
        assert!(stderr.contains(w), "{args:?}: {stderr:?} lacks {w:?}");
    }
}

/// Runs `args` in `dir` (paths relative to it) and asserts a refusal that left
/// `dir` exactly as it was.
fn refused_untouched(dir: &Path, args: &[&str], want: &[&str]) {
    let before = tree(dir);
    let out = Command::new(env!("CARGO_BIN_EXE_govlens"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    refused(args, &out, want);
    let after = tree(dir);
    let changed: Vec<&PathBuf> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert!(changed.is_empty(), "{args:?} changed {changed:?}");
}

fn ok_in(dir: &Path, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_govlens"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn merge_never_removes_its_shards_nor_writes_inside_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    corpus_copy(d);
    let flags = ["-q", "--no-report"];
    ok_in(
        d,
        &[&["run", "--corpus", "c", "--out", "R"][..], &flags[..]].concat(),
    );
    for k in 1..=3 {
        let (out, spec) = (format!("R/s{k}"), format!("{k}/3"));
        let args = ["run", "--corpus", "c", "--out", &out, "--shard", &spec];
        ok_in(d, &[&args[..], &flags[..]].concat());
    }
    let shards = ["R/s1", "R/s2", "R/s3"];
    let cases: &[(&str, &[&str])] = &[
        ("R", &["output R holds the shard R/s1"]),
        ("R/s1/merged", &["lies inside the shard R/s1"]),
        ("R/s2", &["output R/s2 is the shard R/s2"]),
    ];
    for (out, want) in cases {
        let args = [&["merge", "-q", *out][..], &shards[..]].concat();
        refused_untouched(d, &args, want);
    }
    // Beside them it works, and the shards are still there.
    ok_in(d, &[&["merge", "-q", "M"][..], &shards[..]].concat());
    for s in shards {
        assert!(d.join(s).join("run.json").is_file(), "{s}");
    }
    // A run over R now refuses to remove the shards inside it.
    refused_untouched(
        d,
        &["run", "--corpus", "c", "--out", "R", "-q"],
        &["output R", "govlens did not write", "s1/", "s2/", "s3/"],
    );
}

#[test]
fn what_the_researcher_keeps_in_or_beside_a_run_is_never_removed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    corpus_copy(d);
    ok_in(d, &["run", "--corpus", "c", "--out", "base", "-q"]);
    std::fs::create_dir(d.join("base/sub")).unwrap();
    // The sheet is not written where the next run would have removed it ...
    refused_untouched(
        d,
        &["validate", "sample", "base", "--out", "base/sub/s.csv"],
        &["base/sub/s.csv", "inside the run directory"],
    );
    // ... and what a researcher puts there by hand stops the next run.
    std::fs::write(d.join("base/sub/s.csv"), "sample_id,relevant\n1,1\n").unwrap();
    refused_untouched(
        d,
        &["run", "--corpus", "c", "--out", "base", "-q"],
        &["output base", "govlens did not write there (sub/)"],
    );
    std::fs::remove_dir_all(d.join("base/sub")).unwrap();

    // A run.json proves nothing: a folder with `{}` in it is not a run.
    std::fs::create_dir(d.join("mine")).unwrap();
    std::fs::write(d.join("mine/run.json"), "{}").unwrap();
    std::fs::write(d.join("mine/thesis.tex"), "chapter 1").unwrap();
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["run", "--corpus", "c", "--out", "mine", "-q"],
            &["output mine", "no .govlens-run marker"],
        ),
        (
            &["run", "--corpus", "c", "--out", "c/out", "-q"],
            &["lies inside the corpus c"],
        ),
        (
            &["run", "--corpus", "c", "--out", ".", "-q"],
            &["holds the corpus c"],
        ),
        // The lexicon and pipeline are inputs too.
        (
            &[
                "run",
                "--corpus",
                "c",
                "--out",
                "lexdir",
                "--lexicon",
                "lexdir/l.toml",
            ],
            &["holds the lexicon lexdir/l.toml"],
        ),
        (&["report", "mine"], &["mine", "not a govlens run"]),
    ];
    std::fs::create_dir(d.join("lexdir")).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/dictionaries/mini.toml"),
        d.join("lexdir/l.toml"),
    )
    .unwrap();
    for (args, want) in cases {
        refused_untouched(d, args, want);
    }
    // The report of a run is rewritten in place, and the run stays replaceable.
    ok_in(d, &["report", "base"]);
    ok_in(d, &["run", "--corpus", "c", "--out", "base", "-q"]);
    // A file govlens wrote that the researcher then changed is theirs now.
    std::fs::write(d.join("base/report.html"), "my notes").unwrap();
    refused_untouched(d, &["report", "base"], &["report.html", "changed since"]);
    refused_untouched(
        d,
        &["run", "--corpus", "c", "--out", "base", "-q"],
        &["report.html changed since govlens wrote it"],
    );
    refused_untouched(
        d,
        &["validate", "sample", "mine", "--out", "s.csv"],
        &["mine", "not a govlens run directory"],
    );
}

#[test]
fn files_written_for_the_user_never_replace_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(
        root().join("tests/fixtures/dictionaries/mini-2015.dic"),
        d.join("x.dic"),
    )
    .unwrap();
    std::fs::write(d.join("notes.toml"), "# mine").unwrap();
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["lexicon", "convert", "x.dic", "-o", "x.dic"],
            &["x.dic exists", "never overwrites"],
        ),
        (
            &["lexicon", "convert", "x.dic", "-o", "notes.toml"],
            &["notes.toml exists"],
        ),
    ];
    for (args, want) in cases {
        refused_untouched(d, args, want);
    }
    ok_in(d, &["lexicon", "convert", "x.dic", "-o", "x.toml"]);
    assert!(d.join("x.toml").is_file());
}

/// A corpus of `n` English documents of about `kb` KiB each, in `dir`.
fn big_corpus(dir: &Path, n: usize, kb: usize) -> PathBuf {
    let c = dir.join("big");
    std::fs::create_dir_all(&c).unwrap();
    let mut manifest = String::from("file,doc_id,lang,jurisdiction\n");
    // The team's own filler: only its size matters here.
    let para = "Seven copper kettles hum on the harbour wall while a heron counts the \
                lanterns, and the ferryman writes the tide tables in green ink. ";
    let text = para.repeat(kb * 1024 / para.len() + 1);
    for i in 0..n {
        std::fs::write(c.join(format!("d{i}.txt")), &text).unwrap();
        manifest.push_str(&format!("d{i}.txt,d{i},en,J{}\n", i % 3));
    }
    std::fs::write(c.join("manifest.csv"), manifest).unwrap();
    c
}

#[test]
fn two_runs_to_one_output_leave_one_whole_run_and_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    big_corpus(d, 150, 64);
    corpus_copy(d);
    let first = Command::new(env!("CARGO_BIN_EXE_govlens"))
        .args([
            "run",
            "--corpus",
            "big",
            "--out",
            "E",
            "--threads",
            "1",
            "-q",
        ])
        .current_dir(d)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the first run is writing (its staging directory exists).
    let started = std::time::Instant::now();
    let staging = || {
        std::fs::read_dir(d)
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(".E.tmp-"))
    };
    while !staging() {
        assert!(
            started.elapsed().as_secs() < 120,
            "the first run never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // The second run, in its own PID namespace where it can (there every process
    // id of the first run's namespace means nothing), else a plain process.
    let second_args = ["run", "--corpus", "c", "--out", "E", "-q"];
    let unshare = crate::common::find_program(&["unshare"]);
    let in_namespace = unshare.as_ref().is_some_and(|u| {
        Command::new(u)
            .args(["-p", "-f", "--mount-proc", "true"])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let second = if in_namespace {
        Command::new(unshare.unwrap())
            .args(["-p", "-f", "--mount-proc", env!("CARGO_BIN_EXE_govlens")])
            .args(second_args)
            .current_dir(d)
            .output()
            .unwrap()
    } else {
        skip(
            "two_runs_to_one_output (PID namespace)",
            "unshare -p needs root; the second run is a plain process",
            "NAMESPACE",
        );
        Command::new(env!("CARGO_BIN_EXE_govlens"))
            .args(second_args)
            .current_dir(d)
            .output()
            .unwrap()
    };
    let still_running = staging();
    let first = first.wait_with_output().unwrap();
    let first_err = String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "the first run: {first_err}");
    assert!(
        still_running,
        "the second run ended while the first was running"
    );
    refused(
        &second_args,
        &second,
        &["E", "another govlens command is writing this output"],
    );
    // One whole run: the first's, all 150 documents; nothing left beside it.
    let docs = govlens::tables::read_parquet(&d.join("E/documents.parquet")).unwrap();
    assert_eq!(docs.height(), 150);
    let left: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".E"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn settings_that_would_cost_without_bound_are_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    corpus_copy(d);
    std::fs::write(d.join("p.toml"), "corpus = 'c'\nout = 'o'\nthreads = 0\n").unwrap();
    std::fs::write(
        d.join("b.toml"),
        "corpus = 'c'\nout = 'o'\n[stats]\nbootstrap = 10000000\n",
    )
    .unwrap();
    std::fs::write(
        d.join("w.toml"),
        "corpus = 'c'\nout = 'o'\n[stats]\nwordfish = 'en'\nwordfish_bootstrap = 1000000\n",
    )
    .unwrap();
    let cases: &[(&[&str], &[&str])] = &[
        (
            &[
                "run",
                "--corpus",
                "c",
                "--out",
                "o",
                "--bootstrap",
                "10000000",
            ],
            &[
                "--bootstrap",
                "bootstrap = 10000000 is above the limit of 100000",
            ],
        ),
        (
            &[
                "run",
                "--corpus",
                "c",
                "--out",
                "o",
                "--bootstrap",
                "100000000000",
            ],
            &["bootstrap = 100000000000 is above the limit"],
        ),
        (
            &["run", "--corpus", "c", "--out", "o", "--threads", "0"],
            &["--threads", "at least 1"],
        ),
        (
            &["run", "--corpus", "c", "--out", "o", "--threads", "100000"],
            &["threads = 100000", "limit of 1024"],
        ),
        (
            &[
                "run",
                "--corpus",
                "c",
                "--out",
                "o",
                "--max-file-mb",
                "999999999",
            ],
            &["--max-file-mb", "max_file_mb = 999999999", "limit"],
        ),
        (
            &["run", "--corpus", "c", "--out", "o", "--batch-mb", "1e12"],
            &["--batch-mb", "limit"],
        ),
        (
            &[
                "run",
                "--corpus",
                "c",
                "--out",
                "o",
                "--shard",
                "1/100000000000",
            ],
            &["--shard", "limit"],
        ),
        (
            &["run", "p.toml"],
            &["p.toml", "threads must be at least 1"],
        ),
        (
            &["run", "b.toml"],
            &[
                "b.toml",
                "[stats] bootstrap = 10000000 is above the limit of 100000",
            ],
        ),
        (
            &["run", "w.toml"],
            &["w.toml", "[stats] wordfish_bootstrap = 1000000", "limit"],
        ),
        (
            &["merge", "m", "c", "--threads", "0"],
            &["--threads", "at least 1"],
        ),
        (
            &["run", "--corpus", "c", "--out", "o", "--min-count", "0"],
            &["--min-count", "min_count must be at least 1"],
        ),
        (
            &["segment", "--max-file-mb", "0", "x.txt"],
            &["--max-file-mb", "at least 1"],
        ),
        (
            &["kwic", "law", "--corpus", "c", "--window", "1000000"],
            &["window = 1000000", "limit"],
        ),
        (
            &["segment", "--max-file-mb", "99999999", "x.txt"],
            &["max_file_mb = 99999999", "limit"],
        ),
    ];
    for (args, want) in cases {
        refused_untouched(d, args, want);
    }
}

/// Runs govlens with `args` in `dir` and measures its peak resident memory in
/// MiB, or `None` (said visibly) without python3. The measuring parent must be
/// small: Linux counts a child's peak from the memory of the process it was
/// forked from, and this test process holds hundreds of MB of other tests' data.
fn run_measured(args: &[&str], dir: &Path) -> Option<(Output, f64)> {
    const MEASURE: &str = "import resource, subprocess, sys\n\
        p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n\
        sys.stderr.buffer.write(p.stderr)\n\
        print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n\
        sys.exit(p.returncode)\n";
    let Some(python) = crate::common::find_program(&["python3"]) else {
        skip(
            "peak memory of a govlens command",
            "python3 not found",
            "PYTHON",
        );
        return None;
    };
    let out = Command::new(python)
        .args(["-c", MEASURE, env!("CARGO_BIN_EXE_govlens")])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let kib: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    Some((out, kib / 1024.0))
}

#[test]
fn hostile_dictionaries_are_refused_in_bounded_time_and_memory() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // 5,000 levels of block-style YAML (12.5 MB): refused at the depth limit.
    let mut deep = String::new();
    for level in 0..5000 {
        deep.push_str(&" ".repeat(level));
        deep.push_str("a:\n");
    }
    deep.push_str(&" ".repeat(5000));
    deep.push_str("- x\n");
    std::fs::write(d.join("deep.yml"), &deep).unwrap();
    let args = ["lexicon", "check", "deep.yml"];
    let measured = run_measured(&args, d);
    if let Some((out, peak_mb)) = &measured {
        refused(&args, out, &["deep.yml", "line 65", "more than 64 levels"]);
        assert!(
            *peak_mb < 100.0,
            "5,000-deep YAML peaked at {peak_mb:.0} MB"
        );
    }

    // The same faults in every dictionary format.
    for ext in ["dic", "yml", "lc3", "cat"] {
        std::fs::write(
            d.join(format!("garbage.{ext}")),
            b"\x00\x01\x02\x7fELF\x00\xff\xfe\x00",
        )
        .unwrap();
    }
    std::fs::write(
        d.join("repeated.dic"),
        "%\n1\tgov\n2\tgov\n%\nlaw\t1\nrisk\t2\n",
    )
    .unwrap();
    std::fs::write(d.join("repeated.lc3"), "+gov\nlaw\n+gov\nrisk\n").unwrap();
    std::fs::write(d.join("repeated.cat"), "GOV\n\tLAW (1)\nGOV\n\tRISK (1)\n").unwrap();
    std::fs::write(
        d.join("repeated.yml"),
        "Gov: [law]\nRisk: [risk]\nGov: [risk]\n",
    )
    .unwrap();
    std::fs::write(d.join("long.lc3"), format!("+a\n{}\n", "x".repeat(300))).unwrap();
    std::fs::write(d.join("name.lc3"), format!("+{}\nx\n", "n".repeat(300))).unwrap();
    let mut wide = String::from("%\n1 a\n%\nword");
    wide.push_str(&" 1".repeat(10));
    wide.push('\n');
    std::fs::write(d.join("wide.dic"), wide).unwrap();
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["lexicon", "check", "/dev/zero", "--format", "liwc"],
            &["/dev/zero", "limit of 64 MiB"],
        ),
        (
            &[
                "run",
                "--corpus",
                "c",
                "--lexicon",
                "/dev/zero",
                "--lexicon-format",
                "yaml",
            ],
            &["/dev/zero", "limit of 64 MiB"],
        ),
        (
            &["lexicon", "check", "garbage.dic"],
            &["garbage.dic", "cannot read as a liwc dictionary"],
        ),
        (
            &["lexicon", "check", "garbage.yml"],
            &["garbage.yml", "cannot read as a yaml dictionary"],
        ),
        (
            &["lexicon", "check", "garbage.lc3"],
            &["garbage.lc3", "cannot read as a lexicoder dictionary"],
        ),
        (
            &["lexicon", "check", "garbage.cat"],
            &["garbage.cat", "cannot read as a wordstat dictionary"],
        ),
        (
            &["lexicon", "check", "repeated.dic"],
            &[
                "repeated.dic",
                "line 3",
                "\"gov\" is also declared on line 2",
            ],
        ),
        (
            &["lexicon", "check", "repeated.lc3"],
            &[
                "repeated.lc3",
                "line 3",
                "\"gov\" is also declared on line 1",
            ],
        ),
        (
            &["lexicon", "check", "repeated.cat"],
            &[
                "repeated.cat",
                "line 3",
                "\"GOV\" is also declared on line 1",
            ],
        ),
        (
            &["lexicon", "check", "repeated.yml"],
            &[
                "repeated.yml",
                "line 3",
                "category \"Gov\" is also declared on line 1",
            ],
        ),
        (
            &["lexicon", "check", "long.lc3"],
            &["long.lc3", "line 2", "above the limit of 256"],
        ),
        (
            &["lexicon", "check", "name.lc3"],
            &[
                "name.lc3",
                "line 1",
                "category name",
                "above the limit of 256 for a name",
            ],
        ),
    ];
    for (args, want) in cases {
        match run_measured(args, d) {
            Some((out, peak_mb)) => {
                refused(args, &out, want);
                assert!(peak_mb < 200.0, "{args:?} peaked at {peak_mb:.0} MB");
            }
            None => refused_untouched(d, args, want),
        }
    }
    // A category number repeated on a line counts once, not ten times.
    ok_in(d, &["lexicon", "convert", "wide.dic", "-o", "wide.toml"]);
    let toml = std::fs::read_to_string(d.join("wide.toml")).unwrap();
    assert_eq!(toml.matches("\"word\"").count(), 1, "{toml}");
}

#[test]
fn dictionary_import_of_200000_entries_in_one_category_finishes() {
    // Quadratic import took 30.8 s for this; linear takes well under a second
    // (the time is measured by `benches/analysis.rs`, not here).
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut dic = String::from("%\n1\tgov\n%\n");
    for i in 0..200_000 {
        dic.push_str(&format!("w{i}\t1\n"));
    }
    std::fs::write(d.join("big.dic"), dic).unwrap();
    ok_in(d, &["lexicon", "convert", "big.dic", "-o", "big.toml"]);
    let toml = std::fs::read_to_string(d.join("big.toml")).unwrap();
    assert!(toml.contains("\"w199999\""));
}

#[test]
fn coding_sheets_are_checked_before_they_are_scored() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    corpus_copy(d);
    ok_in(
        d,
        &["run", "--corpus", "c", "--out", "r", "-q", "--no-report"],
    );
    ok_in(
        d,
        &["validate", "sample", "r", "--per", "2", "--out", "s.csv"],
    );
    let mut reader = csv::Reader::from_path(d.join("s.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert!(rows.len() >= 2, "{rows:?}");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let write = |name: &str, header: &csv::StringRecord, rows: &[csv::StringRecord]| {
        let mut w = csv::Writer::from_path(d.join(name)).unwrap();
        w.write_record(header).unwrap();
        for r in rows {
            w.write_record(r).unwrap();
        }
        w.flush().unwrap();
    };
    let with = |r: &csv::StringRecord, column: usize, value: &str| -> csv::StringRecord {
        r.iter()
            .enumerate()
            .map(|(i, v)| if i == column { value } else { v })
            .collect()
    };
    // The first hit again, with a new sample_id and the other code.
    let mut dup = rows.clone();
    dup.insert(
        1,
        with(
            &with(&rows[0], col("sample_id"), "9999"),
            col("relevant"),
            "0",
        ),
    );
    write("dup.csv", &header, &dup);
    // Two rows with one sample_id.
    let mut ids = rows.clone();
    ids[1] = with(&rows[1], col("sample_id"), &rows[0][col("sample_id")]);
    write("ids.csv", &header, &ids);
    // Without the relevant column.
    write("nocol.csv", &with(&header, col("relevant"), "coded"), &rows);
    // Drawn from another corpus: its hits are not this run's.
    let foreign: Vec<csv::StringRecord> = rows
        .iter()
        .map(|r| with(r, col("doc_id"), "other-doc"))
        .collect();
    write("foreign.csv", &header, &foreign);
    std::fs::create_dir(d.join("notrun")).unwrap();
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["validate", "score", "dup.csv"],
            &["dup.csv", "is also on line 2", "coded once"],
        ),
        (
            &["validate", "score", "ids.csv"],
            &["ids.csv", "is also on line 2", "each hit is coded once"],
        ),
        (
            &["validate", "score", "nocol.csv"],
            &["nocol.csv", "line 1", "lacks the column relevant"],
        ),
        (
            &["validate", "score", "foreign.csv", "--run", "r"],
            &[
                "foreign.csv",
                "not hits of the run r",
                "another run or corpus",
            ],
        ),
        (
            &["validate", "score", "s.csv", "--run", "notrun"],
            &["--run notrun", "not a govlens run"],
        ),
    ];
    for (args, want) in cases {
        refused_untouched(d, args, want);
    }
    ok_in(d, &["validate", "score", "s.csv", "--run", "r"]);
}

#[test]
fn a_killed_run_leaves_the_older_run_whole_and_the_next_run_clears_up() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    corpus_copy(d);
    big_corpus(d, 100, 64);
    ok_in(
        d,
        &["run", "--corpus", "c", "--out", "E", "-q", "--no-report"],
    );
    let before = tree(&d.join("E"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_govlens"))
        .args([
            "run",
            "--corpus",
            "big",
            "--out",
            "E",
            "--threads",
            "1",
            "-q",
        ])
        .current_dir(d)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let staging = || {
        std::fs::read_dir(d)
            .unwrap()
            .flatten()
            .find(|e| e.file_name().to_string_lossy().starts_with(".E.tmp-"))
            .map(|e| e.path())
    };
    while staging().is_none() {
        assert!(started.elapsed().as_secs() < 120);
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(tree(&d.join("E")), before, "the older run is whole");
    let left = staging().expect("a killed run leaves its staging");
    assert!(left.join(".govlens-staging").is_file());
    ok_in(
        d,
        &["run", "--corpus", "c", "--out", "E", "-q", "--no-report"],
    );
    assert!(
        staging().is_none(),
        "cleared by the next run under the lock"
    );
    // Reproducible: the same tables as before.
    let after = tree(&d.join("E"));
    for (k, v) in &before {
        if k.to_string_lossy().ends_with(".parquet") {
            assert_eq!(after.get(k), Some(v), "{}", k.display());
        }
    }
}
