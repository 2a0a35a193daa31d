//! One writer per output: an advisory lock the file system honours.
//!
//! A command that writes an output directory `DIR` holds an exclusive lock on the
//! file `.DIR.lock` beside it from before it looks at `DIR` until it has moved its
//! result into place. The lock is the kernel's (`flock`), so it holds across
//! processes, PID namespaces and containers on one machine, and on NFS (where
//! Linux turns it into a lock of the server's lock manager) across the nodes of a
//! cluster. A process id is never the evidence: it means nothing on another node or
//! in another namespace. The lock dies with its process, however it ends, so a run
//! killed with `kill -9` leaves a lock file that the next command simply takes.
//!
//! The file is removed when the lock is let go. A second command may have opened
//! the file just before it was removed and then lock the removed file; it notices
//! (the path no longer names the file it locked) and tries again.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The held lock of one output path; let go (and its file removed) on drop.
#[derive(Debug)]
pub struct OutputLock {
    path: PathBuf,
    // Held open: closing the file lets the lock go.
    _file: File,
}

/// How often a lock file removed under us is opened again before giving up.
const ATTEMPTS: usize = 50;

impl OutputLock {
    /// Takes the lock of `target` (whose parent must exist), or fails at once
    /// when another command holds it.
    pub fn acquire(target: &Path) -> Result<OutputLock> {
        // One lock for one directory, however its path is written.
        let path = lock_path(&super::absolute(target))?;
        for _ in 0..ATTEMPTS {
            let file = open_lock_file(&path)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    return Err(Error::Invalid(format!(
                        "{}: another govlens command is writing this output now (it holds the \
                         lock {}); wait for it to finish, or choose another output",
                        target.display(),
                        path.display()
                    )));
                }
                Err(TryLockError::Error(e)) => {
                    return Err(Error::Invalid(format!(
                        "{}: cannot lock {} ({e}); govlens writes an output only under a lock \
                         (on Lustre, mount with -o flock)",
                        target.display(),
                        path.display()
                    )));
                }
            }
            if names_file(&path, &file) {
                let mut file = file;
                // A file of that name that govlens did not write is not ours to
                // empty or remove.
                if !is_ours(&mut file) {
                    return Err(Error::Invalid(format!(
                        "{}: {} exists and was not written by govlens; govlens uses that \
                         name for its lock: move the file",
                        target.display(),
                        path.display()
                    )));
                }
                // For a person who finds the file: who holds it.
                let _ = file.set_len(0);
                let _ = std::io::Seek::rewind(&mut file);
                let _ = writeln!(
                    file,
                    "govlens {} pid {} on {}",
                    env!("CARGO_PKG_VERSION"),
                    std::process::id(),
                    hostname()
                );
                return Ok(OutputLock { path, _file: file });
            }
        }
        Err(Error::Invalid(format!(
            "{}: the lock {} was removed {ATTEMPTS} times while being taken; is another \
             program removing it?",
            target.display(),
            path.display()
        )))
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still held, so nobody can lock this file and believe it
        // is the current one.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Opens (or creates) the lock file, never through a symbolic link, and only a
/// regular file.
fn open_lock_file(path: &Path) -> Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).read(true).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    let file = options.open(path).map_err(|e| {
        Error::Invalid(format!(
            "{}: cannot open it as govlens' lock ({e}); is it a link or a folder?",
            path.display()
        ))
    })?;
    let regular = file.metadata().map(|m| m.is_file()).unwrap_or(false);
    if !regular {
        return Err(Error::Invalid(format!(
            "{}: not a regular file, so not govlens' lock: move it",
            path.display()
        )));
    }
    Ok(file)
}

/// Whether the locked file is empty or says it is govlens' (what
/// [`OutputLock::acquire`] writes into it).
fn is_ours(file: &mut File) -> bool {
    use std::io::Read;
    let mut head = Vec::new();
    let read = (&*file).take(256).read_to_end(&mut head);
    // `govlens VERSION pid N on HOST`, as acquire writes it.
    let first = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let words: Vec<&[u8]> = first.split(|&b| b == b' ').collect();
    let ours = words.len() >= 6
        && words[0] == b"govlens"
        && words[2] == b"pid"
        && words[3].iter().all(u8::is_ascii_digit)
        && words[4] == b"on";
    read.is_ok() && (head.is_empty() || ours)
}

/// `.NAME.lock` beside `target`.
pub fn lock_path(target: &Path) -> Result<PathBuf> {
    let name = target.file_name().ok_or_else(|| {
        Error::Invalid(format!("output {} has no directory name", target.display()))
    })?;
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Ok(parent.join(format!(".{}.lock", name.to_string_lossy())))
}

/// Whether `path` still names the open `file` (it was not removed and made anew
/// between our open and our lock).
#[cfg(unix)]
fn names_file(path: &Path, file: &File) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(path), file.metadata()) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn names_file(path: &Path, _file: &File) -> bool {
    path.exists()
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "this machine".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_of_one_output_is_refused_until_the_first_is_let_go() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let first = OutputLock::acquire(&target).unwrap();
        assert!(dir.path().join(".out.lock").is_file());
        // The same directory by another path is the same lock.
        let other_path = dir.path().join("sub/../out");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        assert!(OutputLock::acquire(&other_path).is_err());
        let err = OutputLock::acquire(&target).unwrap_err().to_string();
        assert!(err.contains("another govlens command"), "{err}");
        // Another output in the same folder is not blocked.
        let other = OutputLock::acquire(&dir.path().join("out2")).unwrap();
        drop(first);
        assert!(
            !dir.path().join(".out.lock").exists(),
            "removed when let go"
        );
        let again = OutputLock::acquire(&target).unwrap();
        drop((again, other));
    }

    #[test]
    fn a_file_or_link_govlens_did_not_write_is_never_taken_for_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let lock = dir.path().join(".out.lock");
        std::fs::write(&lock, "govlens plan: keep this").unwrap();
        let err = OutputLock::acquire(&target).unwrap_err().to_string();
        assert!(err.contains("not written by govlens"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&lock).unwrap(),
            "govlens plan: keep this"
        );
        std::fs::remove_file(&lock).unwrap();
        let thesis = dir.path().join("thesis.tex");
        std::fs::write(&thesis, "chapter 1").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&thesis, &lock).unwrap();
            assert!(OutputLock::acquire(&target).is_err());
            assert_eq!(std::fs::read_to_string(&thesis).unwrap(), "chapter 1");
            assert!(lock.is_symlink());
        }
    }

    #[test]
    fn a_lock_file_left_by_a_killed_process_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        std::fs::write(
            dir.path().join(".out.lock"),
            "govlens 0.1.0 pid 1 on elsewhere\n",
        )
        .unwrap();
        let lock = OutputLock::acquire(&target).unwrap();
        let held = std::fs::read_to_string(dir.path().join(".out.lock")).unwrap();
        assert!(
            held.contains(&format!("pid {}", std::process::id())),
            "{held}"
        );
        drop(lock);
    }
}
