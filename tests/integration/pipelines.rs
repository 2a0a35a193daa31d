//! Every pipeline shipped in `pipelines/` runs (the data files they use excepted).

use crate::common::{Table, govlens_ok, root, shared_corpus};

/// Files in `pipelines/` that are data, not pipelines.
const DATA_FILES: &[&str] = &["frames.toml", "taiwan-vocabulary.toml"];

#[test]
fn every_shipped_pipeline_runs() {
    let mut ran = 0;
    let mut paths: Vec<_> = std::fs::read_dir(root().join("pipelines"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| !DATA_FILES.iter().any(|d| n == *d))
        })
        .collect();
    paths.sort();
    for p in paths {
        let cfg = govlens::config::PipelineConfig::load(&p).unwrap();
        if cfg.corpus.to_string_lossy().contains("shared/") && shared_corpus("pipeline").is_none() {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        govlens_ok(&[
            "run",
            p.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "-q",
        ]);
        assert!(
            Table::read(&out, "documents").height() > 0,
            "{}",
            p.display()
        );
        ran += 1;
    }
    assert!(ran >= 1, "at least the default pipeline ran");
}
