//! Records the versions of the crates whose behaviour a run's numbers depend on
//! (the segmenter, the script converter, the Parquet writer), read from Cargo.lock,
//! so `run.json` states what was built rather than what someone once typed.

use std::path::Path;

/// The crates whose versions `run.json` records, and the variables that carry them.
const RECORDED: [(&str, &str); 3] = [
    ("jieba-rs", "GOVLENS_VERSION_JIEBA_RS"),
    ("ferrous-opencc", "GOVLENS_VERSION_FERROUS_OPENCC"),
    ("polars", "GOVLENS_VERSION_POLARS"),
];

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let lock = Path::new(&dir).join("Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    let text = std::fs::read_to_string(&lock).unwrap_or_default();
    for (name, var) in RECORDED {
        let version = locked_version(&text, name).unwrap_or_else(|| "unknown".into());
        println!("cargo:rustc-env={var}={version}");
    }
}

/// The version of package `name` in a Cargo.lock: the `version` line of the
/// `[[package]]` entry whose `name` line is `name`.
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let want = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == want {
            let version = lines.next()?.trim();
            let version = version.strip_prefix("version = \"")?.strip_suffix('"')?;
            return Some(version.to_string());
        }
    }
    None
}
