//! The library seam: a pipeline run through the API, its tables in memory, the
//! same as the command line's files.

use std::collections::BTreeSet;
use std::path::Path;

use govlens::Pipeline;
use govlens::config::{Overrides, Shard};
use govlens::progress::Silent;
use govlens::tables::read_parquet;

use crate::common::root;

/// Every `*.parquet` under `dir`, relative to it.
fn parquet_files(dir: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let sub = path.file_name().unwrap().to_string_lossy().into_owned();
            found.extend(
                parquet_files(&path)
                    .into_iter()
                    .map(|f| format!("{sub}/{f}")),
            );
        } else if path.extension().is_some_and(|e| e == "parquet") {
            found.insert(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    found
}

/// In memory, written by `RunOutput::write`, and by `run_to_dir` (what `govlens
/// run` calls): the same tables, and byte-identical files, of a whole run and of
/// a shard (whose parts are in `shard/`).
#[test]
fn tables_in_memory_are_the_run_directorys() {
    let pipeline = root().join("pipelines/default.toml");
    for shard in [None, Some(Shard { index: 1, count: 2 })] {
        let dir = tempfile::tempdir().unwrap();
        let (streamed, written) = (dir.path().join("streamed"), dir.path().join("written"));
        let overrides = Overrides {
            out: Some(streamed.clone()),
            shard,
            ..Overrides::default()
        };
        let to_dir = Pipeline::with_overrides(Some(&pipeline), overrides).unwrap();
        let summary = to_dir.run_to_dir(&[], &Silent).unwrap();
        assert_eq!(summary.out.as_deref(), Some(streamed.as_path()));

        // (Its scratch directory is removed when the run ends: `output::Scratch`'s
        // unit test; other tests of this process run in memory at the same time.)
        let output = to_dir.run(&Silent).unwrap();
        assert_eq!(output.summary.documents, summary.documents);
        assert_eq!(output.summary.rows, summary.rows);
        let names: BTreeSet<String> = output
            .table_names()
            .map(|n| format!("{n}.parquet"))
            .collect();
        assert_eq!(names, parquet_files(&streamed), "shard {shard:?}");
        assert_eq!(names.len(), if shard.is_some() { 26 } else { 23 });
        for name in output.table_names() {
            let file = read_parquet(&streamed.join(format!("{name}.parquet"))).unwrap();
            let kept = output.table(name).unwrap();
            assert!(kept.equals_missing(&file), "{name} differs in memory");
        }

        assert_eq!(output.write(&written, true).unwrap(), written);
        for name in &names {
            let (a, b) = (streamed.join(name), written.join(name));
            assert!(
                std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap(),
                "{name}"
            );
        }
        let report = |d: &Path| std::fs::read(d.join("report.html")).unwrap();
        assert!(report(&streamed) == report(&written));
        // Written again over itself: a run directory govlens wrote is replaced.
        output.write(&written, false).unwrap();
        assert!(!written.join("report.html").exists());
    }
}

/// The output rules hold for a run written from memory too: never over a
/// directory govlens did not write, and the directory left as it was.
#[test]
fn writing_from_memory_keeps_what_govlens_did_not_write() {
    let output = Pipeline::from_file(root().join("pipelines/default.toml"))
        .unwrap()
        .run(&Silent)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    std::fs::write(notes.join("coding.csv"), "hit,relevant\n1,1\n").unwrap();
    let e = output.write(&notes, true).unwrap_err().to_string();
    assert!(e.contains("not a govlens run"), "{e}");
    assert_eq!(std::fs::read_dir(&notes).unwrap().count(), 1);
    assert_eq!(
        std::fs::read_to_string(notes.join("coding.csv")).unwrap(),
        "hit,relevant\n1,1\n"
    );
}

/// A pipeline given as text: paths relative to the base given, and a bad key
/// named in the error, as in a file.
#[test]
fn a_pipeline_from_text_is_checked_like_a_file() {
    let text = "corpus = 'corpora/sample'\n[stats]\nmin_count = 2\n";
    let pipeline = Pipeline::from_toml(text, root()).unwrap();
    assert_eq!(pipeline.plan().corpus, root().join("corpora/sample"));
    assert_eq!(pipeline.plan().stats.min_count, 2);
    let output = pipeline.run(&Silent).unwrap();
    assert_eq!(output.summary.documents, 9);
    assert_eq!(output.manifest.settings.stats.min_count, 2);

    let e = Pipeline::from_toml("corpus = 'c'\nbootstrapp = 5\n", root()).unwrap_err();
    assert!(e.to_string().contains("bootstrapp"), "{e}");
    let e = Pipeline::from_toml("corpus = 'c'\n[stats]\nbootstrap = 10000000\n", root());
    assert!(e.unwrap_err().to_string().contains("bootstrap"));
    let huge = format!("corpus = 'c'\n# {}\n", "x".repeat(2 << 20));
    let e = Pipeline::from_toml(&huge, root()).unwrap_err();
    assert!(e.to_string().contains("limit"), "{e}");
}

/// An observer that asks the run to stop once `after` documents are done.
struct StopAfter {
    after: u64,
    done: std::sync::atomic::AtomicU64,
}

impl govlens::progress::Observer for StopAfter {
    fn document_done(&self, _bytes: u64) {
        self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    fn cancelled(&self) -> bool {
        self.done.load(std::sync::atomic::Ordering::Relaxed) >= self.after
    }
}

#[test]
fn a_cancelled_run_ends_with_cancelled_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let overrides = Overrides {
        corpus: Some(root().join("corpora/sample")),
        out: Some(out.clone()),
        ..Overrides::default()
    };
    let pipeline = Pipeline::with_overrides(None, overrides).unwrap();
    let stop = StopAfter {
        after: 2,
        done: Default::default(),
    };
    let err = pipeline.run_to_dir(&[], &stop).unwrap_err();
    assert!(matches!(err, govlens::Error::Cancelled), "{err}");
    assert!(!out.exists());
    // Not every document was analysed.
    assert!(stop.done.load(std::sync::atomic::Ordering::Relaxed) < 9);
    let in_memory = pipeline.run(&StopAfter {
        after: 0,
        done: Default::default(),
    });
    assert!(matches!(in_memory, Err(govlens::Error::Cancelled)));
}
