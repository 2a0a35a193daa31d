//! notebooks/start-here.ipynb, executed headless (it runs the sample corpus in-process
//! with the Python package), so it never rots. `.ci/run` installs its Python packages
//! (notebooks/requirements.txt, and the package itself) into target/notebook-venv.

use std::path::PathBuf;
use std::process::Command;

use crate::common::{root, skip};

/// A Python with the notebook's packages: `GOVLENS_NOTEBOOK_PYTHON`, or the venv
/// `.ci/run` makes.
fn notebook_python() -> Option<PathBuf> {
    let python = std::env::var_os("GOVLENS_NOTEBOOK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/notebook-venv/bin/python"));
    let ready = Command::new(&python)
        .args([
            "-c",
            "import nbclient, nbformat, ipykernel, polars, duckdb, statsmodels, matplotlib, pyarrow, govlens",
        ])
        .output()
        .is_ok_and(|o| o.status.success());
    if ready {
        Some(python)
    } else {
        skip(
            "the_notebook_runs_against_the_sample_run",
            &format!(
                "{} lacks the notebook's packages (pip install -r notebooks/requirements.txt, \
                 and pip install ./python)",
                python.display()
            ),
            "NOTEBOOK",
        );
        None
    }
}

#[test]
fn the_notebook_runs_against_the_sample_run() {
    let Some(python) = notebook_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let figures = dir.path().join("figures");
    let executed = dir.path().join("executed.ipynb");
    let script = "import sys, nbformat, nbclient\n\
                  nb = nbformat.read(sys.argv[1], as_version=4)\n\
                  nbclient.NotebookClient(nb, timeout=600, kernel_name='python3',\n\
                      resources={'metadata': {'path': sys.argv[3]}}).execute()\n\
                  nbformat.write(nb, sys.argv[2])\n";
    let notebooks = root().join("notebooks");
    let out = Command::new(&python)
        .arg("-c")
        .arg(script)
        .arg(notebooks.join("start-here.ipynb"))
        .arg(&executed)
        .arg(&notebooks)
        .env("GOVLENS_FIGURES", &figures)
        .env("MPLBACKEND", "Agg")
        .output()
        .expect("python starts");
    assert!(
        out.status.success(),
        "the notebook failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let nb: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&executed).unwrap()).unwrap();
    let outputs: Vec<&serde_json::Value> = nb["cells"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["outputs"].as_array().into_iter().flatten())
        .collect();
    assert!(
        outputs.iter().all(|o| o["output_type"] != "error"),
        "error output"
    );
    let text: String = outputs.iter().map(|o| o.to_string()).collect();
    // The model was fitted and its rate ratios shown; the plot was drawn; the
    // edited lexicon found its new expression.
    assert!(text.contains("Generalized Linear Model Regression Results"));
    assert!(text.contains("rate_ratio"));
    assert!(text.contains("count_edited") && text.contains("dependable"));
    assert!(figures.join("notebook-trustworthy-en.png").is_file());
}
