//! The library reports to the observer its caller gives, and never prints: a run
//! driven through the API with a recording observer sees the work announced,
//! every document done, and the warnings, while stderr stays empty.

use std::sync::Mutex;

use govlens::progress::Observer;

#[derive(Default)]
struct Recorder {
    events: Mutex<Vec<String>>,
}

impl Observer for Recorder {
    fn start(&self, docs: u64, _bytes: u64) {
        self.events.lock().unwrap().push(format!("start {docs}"));
    }
    fn document_done(&self, _bytes: u64) {
        self.events.lock().unwrap().push("done".into());
    }
    fn finish(&self) {
        self.events.lock().unwrap().push("finish".into());
    }
    fn warn(&self, message: &str) {
        self.events.lock().unwrap().push(format!("warn {message}"));
    }
}

#[test]
fn a_run_reports_progress_and_warnings_to_its_observer() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c");
    std::fs::create_dir(&c).unwrap();
    std::fs::write(c.join("a.txt"), "A heron counts the lanterns on the wall.").unwrap();
    std::fs::write(
        c.join("b.txt"),
        "The ferryman writes tide tables in green ink.",
    )
    .unwrap();
    std::fs::write(
        c.join("manifest.csv"),
        "file,doc_id,lang\na.txt,a,en\nb.txt,b,en\n",
    )
    .unwrap();
    // Wordfish needs three documents: with two, its table is empty and the
    // observer is told why.
    let pipeline = dir.path().join("p.toml");
    std::fs::write(
        &pipeline,
        "corpus = 'c'\nout = 'out'\n[stats]\nwordfish = 'en'\nbootstrap = 0\n",
    )
    .unwrap();
    let recorder = Recorder::default();
    let summary = govlens::run::Pipeline::from_file(&pipeline)
        .unwrap()
        .run_to_dir(&[], &recorder)
        .unwrap();
    assert_eq!(summary.documents, 2);
    let events = recorder.events.into_inner().unwrap();
    assert_eq!(events[0], "start 2", "{events:?}");
    assert_eq!(
        events.iter().filter(|e| *e == "done").count(),
        2,
        "{events:?}"
    );
    assert!(events.iter().any(|e| e == "finish"), "{events:?}");
    let warned: Vec<&String> = events.iter().filter(|e| e.starts_with("warn ")).collect();
    assert_eq!(warned.len(), 1, "{events:?}");
    assert!(warned[0].contains("wordfish"), "{warned:?}");
    assert!(dir.path().join("out/wordfish.parquet").is_file());
}
