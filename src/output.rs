//! The run directory, written atomically.
//!
//! Tables are written into a hidden temporary directory next to the target and moved
//! into place only when everything is written. A failed or interrupted run leaves the
//! previous output untouched (the temporary directory is removed on failure, or by
//! the next run when the process was killed), and an existing output directory is
//! replaced only by a complete new one.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A run directory being written.
pub struct StagedDir {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
}

impl StagedDir {
    /// Creates the staging directory for `target` (and `target`'s parent).
    pub fn create(target: &Path) -> Result<Self> {
        let name = target
            .file_name()
            .ok_or_else(|| {
                Error::Invalid(format!("output {} has no directory name", target.display()))
            })?
            .to_string_lossy()
            .into_owned();
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        remove_stale(&parent, &name);
        let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
        }
        std::fs::create_dir(&staging).map_err(|e| Error::io(&staging, e))?;
        Ok(StagedDir {
            target: target.to_path_buf(),
            staging,
            committed: false,
        })
    }

    /// Path of a file inside the staging directory.
    pub fn file(&self, name: &str) -> PathBuf {
        self.staging.join(name)
    }

    /// Moves the finished directory into place, replacing an older run. If the
    /// swap fails half-way, the older run is put back.
    pub fn commit(mut self) -> Result<PathBuf> {
        if self.target.exists() {
            let old = self.staging.with_file_name(format!(
                "{}.old",
                self.staging
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
            ));
            std::fs::rename(&self.target, &old).map_err(|e| Error::io(&self.target, e))?;
            if let Err(e) = std::fs::rename(&self.staging, &self.target) {
                let _ = std::fs::rename(&old, &self.target);
                return Err(Error::io(&self.target, e));
            }
            let _ = std::fs::remove_dir_all(&old);
        } else {
            std::fs::rename(&self.staging, &self.target).map_err(|e| Error::io(&self.target, e))?;
        }
        self.committed = true;
        Ok(self.target.clone())
    }
}

/// Removes staging directories left by runs of `name` that were killed (their
/// process is gone). Where liveness cannot be checked (no `/proc`), nothing is
/// removed.
fn remove_stale(parent: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let prefix = format!(".{name}.tmp-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest.trim_end_matches(".old");
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Checks, before any work, that `out` may be (re)written: it must not be or hold
/// the corpus, and an existing directory must be an earlier run (it has a
/// `run.json`) or empty, so that a mistyped `--out` never deletes someone's files.
pub fn check_target(out: &Path, corpus: &Path) -> Result<()> {
    let abs = |p: &Path| {
        p.canonicalize()
            .unwrap_or_else(|_| std::env::current_dir().unwrap_or_default().join(p))
    };
    let (out_abs, corpus_abs) = (abs(out), abs(corpus));
    if corpus_abs.starts_with(&out_abs) || out_abs.starts_with(&corpus_abs) {
        return Err(Error::Invalid(format!(
            "output {} overlaps the corpus {}: choose an output directory outside it",
            out.display(),
            corpus.display()
        )));
    }
    if out.exists() {
        let is_run = out.join("run.json").is_file();
        let is_empty = out.is_dir()
            && std::fs::read_dir(out)
                .map_err(|e| Error::io(out, e))?
                .next()
                .is_none();
        if !is_run && !is_empty {
            return Err(Error::Invalid(format!(
                "output {} exists and is not a govlens run (no run.json): \
                 refusing to replace it; choose another --out or remove it",
                out.display()
            )));
        }
    }
    Ok(())
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}
