//! A run directory, written in a staging directory and moved into place whole.
//!
//! The tables are written into a hidden directory `.DIR.tmp-TOKEN` beside the
//! target (TOKEN is unique across processes and machines) while the output's lock
//! is held ([`super::lock`]). When everything is written, the staging directory is
//! marked as a govlens run (its [`super::RUN_MARKER`] lists every file in it) and
//! swapped with the target. A failed run removes its staging directory; a killed one
//! leaves it, and the next command that takes the lock removes it: holding the lock
//! proves that no other command is writing there. If a command was killed half-way
//! through the swap, the older run is put back rather than lost.

use std::path::{Path, PathBuf};

use super::lock::OutputLock;
use super::{ASIDE_MARKER, Input, STAGING_MARKER};
use crate::error::{Error, Result};

/// A run directory being written.
pub struct StagedDir {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
    // Declared last: the staging directory is removed before the lock goes.
    _lock: OutputLock,
}

impl StagedDir {
    /// Takes the lock of `target`, checks that `target` may be replaced (it is
    /// new, empty, or a govlens run holding nothing else and none of `inputs`),
    /// clears what killed commands left and creates the staging directory.
    pub fn create(target: &Path, inputs: &[Input]) -> Result<Self> {
        super::check_overlap(target, inputs)?;
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
        let lock = OutputLock::acquire(target)?;
        recover(&parent, &name, target)?;
        super::check_replaceable(target)?;
        let staging = parent.join(format!(
            ".{name}.tmp-{}-{:016x}",
            std::process::id(),
            fastrand::u64(..)
        ));
        std::fs::create_dir(&staging).map_err(|e| Error::io(&staging, e))?;
        let marker = staging.join(STAGING_MARKER);
        std::fs::write(&marker, "").map_err(|e| Error::io(&marker, e))?;
        Ok(StagedDir {
            target: target.to_path_buf(),
            staging,
            committed: false,
            _lock: lock,
        })
    }

    /// Path of a file inside the staging directory.
    pub fn file(&self, name: &str) -> PathBuf {
        self.staging.join(name)
    }

    /// Marks the finished directory as a govlens run and moves it into place,
    /// replacing the older run. If the swap fails half-way, the older run is put
    /// back.
    pub fn commit(mut self) -> Result<PathBuf> {
        // The staging marker stays until the directory is in place: a command
        // killed before then leaves a directory that is still staging.
        super::mark_run(&self.staging)?;
        if self.target.exists() {
            // Checked again: files may have been put there while the run worked.
            super::check_replaceable(&self.target)?;
            let aside = self.target.join(ASIDE_MARKER);
            std::fs::write(&aside, "").map_err(|e| Error::io(&aside, e))?;
            let old = old_path(&self.staging);
            if let Err(e) = std::fs::rename(&self.target, &old) {
                let _ = std::fs::remove_file(&aside);
                return Err(Error::io(&self.target, e));
            }
            if let Err(e) = std::fs::rename(&self.staging, &self.target) {
                let _ = std::fs::rename(&old, &self.target);
                let _ = std::fs::remove_file(&aside);
                return Err(Error::io(&self.target, e));
            }
            // Only what govlens wrote is removed: checked again, in case files
            // were put there between the check and the swap (kept if so).
            if super::check_replaceable(&old).is_ok() {
                let _ = std::fs::remove_dir_all(&old);
            }
        } else {
            std::fs::rename(&self.staging, &self.target).map_err(|e| Error::io(&self.target, e))?;
        }
        let _ = std::fs::remove_file(self.target.join(STAGING_MARKER));
        self.committed = true;
        Ok(self.target.clone())
    }
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

fn old_path(staging: &Path) -> PathBuf {
    let name = staging.file_name().unwrap_or_default().to_string_lossy();
    staging.with_file_name(format!("{name}.old"))
}

/// Under the lock of `target`: puts back an older run that a killed command had
/// moved aside, and removes the staging directories killed commands left. Only
/// directories named as govlens names them (`.NAME.tmp-PID-TOKEN`, `.old` after
/// it) and marked by govlens as staging or as moved aside are touched, a run only
/// when it holds nothing govlens did not write; anything else (a finished run
/// a user named so, say) is left alone.
fn recover(parent: &Path, name: &str, target: &Path) -> Result<()> {
    let prefix = format!(".{name}.tmp-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| {
            let file_name = e.file_name().to_string_lossy().into_owned();
            file_name
                .strip_prefix(&prefix)
                .is_some_and(|rest| is_token(rest.strip_suffix(".old").unwrap_or(rest)))
        })
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    found.sort();
    let target_is_run = || super::is_whole_run(target);
    for path in found {
        let is_old = path.to_string_lossy().ends_with(".old");
        if is_old {
            // An older run a killed command moved aside (it marked it so).
            let aside = path.join(ASIDE_MARKER);
            let whole = super::is_whole_run(&path);
            if !aside.is_file() || !whole {
                continue;
            }
            if !target.exists() {
                std::fs::rename(&path, target).map_err(|e| Error::io(target, e))?;
                let _ = std::fs::remove_file(target.join(ASIDE_MARKER));
            } else if target_is_run() {
                // Killed after the swap: the older run's last step, its removal.
                let _ = std::fs::remove_dir_all(&path);
            }
        } else if is_staging(&path) {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
    Ok(())
}

/// `PID-TOKEN` as [`StagedDir::create`] writes it.
fn is_token(s: &str) -> bool {
    let Some((pid, token)) = s.split_once('-') else {
        return false;
    };
    !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
        && token.len() == 16
        && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A staging directory a killed command left: it holds govlens' staging marker.
fn is_staging(path: &Path) -> bool {
    path.join(STAGING_MARKER).is_file()
}

#[cfg(test)]
mod tests {
    use super::super::RUN_MARKER;
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_committed_run_is_marked_and_replaces_the_older_one() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let s = StagedDir::create(&target, &[]).unwrap();
        std::fs::write(s.file("a.parquet"), "1").unwrap();
        std::fs::create_dir(s.file("shard")).unwrap();
        std::fs::write(s.file("shard/b.parquet"), "2").unwrap();
        s.commit().unwrap();
        assert_eq!(names(dir.path()), ["out"], "no staging, no lock left");
        let marker = std::fs::read_to_string(target.join(RUN_MARKER)).unwrap();
        assert!(marker.contains("shard/b.parquet"), "{marker}");
        let s = StagedDir::create(&target, &[]).unwrap();
        std::fs::write(s.file("c.parquet"), "3").unwrap();
        s.commit().unwrap();
        assert_eq!(names(&target), [RUN_MARKER, "c.parquet"]);
    }

    #[test]
    fn a_failed_run_leaves_nothing_and_the_older_run_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let s = StagedDir::create(&target, &[]).unwrap();
        std::fs::write(s.file("a.parquet"), "1").unwrap();
        s.commit().unwrap();
        let s = StagedDir::create(&target, &[]).unwrap();
        std::fs::write(s.file("b.parquet"), "2").unwrap();
        drop(s);
        assert_eq!(names(dir.path()), ["out"]);
        assert_eq!(names(&target), [RUN_MARKER, "a.parquet"]);
    }

    #[test]
    fn what_killed_commands_left_is_cleared_or_put_back_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let s = StagedDir::create(&target, &[]).unwrap();
        std::fs::write(s.file("a.parquet"), "1").unwrap();
        s.commit().unwrap();
        // A command killed between the two renames of the swap: the older run
        // sits aside as `.old`, the new one in its staging directory.
        std::fs::write(target.join(ASIDE_MARKER), "").unwrap();
        let aside = dir.path().join(".out.tmp-7-00000000000000aa.old");
        // Another output whose name starts like this one's staging.
        let neighbour = dir.path().join(".out.tmp-x.tmp-8-00000000000000bb");
        std::fs::create_dir(&neighbour).unwrap();
        std::fs::write(neighbour.join(STAGING_MARKER), "").unwrap();
        std::fs::rename(&target, &aside).unwrap();
        let staging = dir.path().join(".out.tmp-7-00000000000000aa");
        std::fs::create_dir(&staging).unwrap();
        std::fs::write(staging.join(STAGING_MARKER), "").unwrap();
        // A look-alike directory govlens did not write.
        let lookalike = dir.path().join(".out.tmp-mine");
        std::fs::create_dir(&lookalike).unwrap();
        std::fs::write(lookalike.join("notes.txt"), "mine").unwrap();
        // A finished run a user named like a staging directory: not govlens' to clear.
        let named = dir.path().join(".out.tmp-1-0123456789abcdef");
        let s = StagedDir::create(&named, &[]).unwrap();
        std::fs::write(s.file("b.parquet"), "2").unwrap();
        s.commit().unwrap();
        let s = StagedDir::create(&target, &[]).unwrap();
        assert_eq!(
            names(&target),
            [RUN_MARKER, "a.parquet"],
            "older run put back"
        );
        assert!(named.join("b.parquet").is_file(), "a user's run: kept");
        assert!(!staging.exists() && !aside.exists());
        assert!(lookalike.join("notes.txt").is_file(), "not govlens': kept");
        assert!(neighbour.is_dir(), "another output's staging: kept");
        drop(s);
    }
}
