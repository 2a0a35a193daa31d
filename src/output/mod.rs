//! What govlens writes, and the rules that keep everything it did not write.
//!
//! Researchers keep hours of work beside their runs: coding sheets, shards of a
//! cluster job, lexicons, notes. The rules, each enforced here and nowhere else:
//!
//! 1. **A run directory is replaced only when govlens wrote it.** Every run
//!    directory carries a marker, [`RUN_MARKER`], listing each file the run wrote.
//!    A directory is replaced only when it is empty or holds that marker and
//!    nothing it does not list; a `run.json` alone proves nothing.
//! 2. **Never an input.** An output never lies inside an input of the command (the
//!    corpus, a shard, a lexicon, a pipeline file) nor holds one.
//! 3. **One writer per output.** The directory is written in a staging directory
//!    owned through an advisory lock the file system honours across processes and
//!    nodes ([`lock`]); only the holder of the lock removes a staging directory,
//!    and only one govlens marked ([`staged`]).
//! 4. **A file written for the user never replaces a file.** A coding sheet or a
//!    converted lexicon is created new ([`create_new_file`]), and never inside a
//!    run directory, which the next run replaces.
//! 5. **Scratch space is govlens' own.** A run kept in memory spills to a
//!    [`Scratch`] directory it creates new, and removes only that.

pub mod lock;
pub mod staged;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub use lock::OutputLock;
pub use staged::StagedDir;

/// The marker of a finished govlens run directory: the files it wrote.
pub const RUN_MARKER: &str = ".govlens-run";

/// The marker of a staging directory being written.
pub const STAGING_MARKER: &str = ".govlens-staging";

/// The marker of an older run moved aside while a new one takes its place.
pub const ASIDE_MARKER: &str = ".govlens-aside";

/// Most entries looked at in a directory govlens is asked to replace: a run
/// writes a few dozen, so a directory with more is not one to replace.
const MAX_ENTRIES: usize = 10_000;

/// An input of a command, which its output must neither hold nor lie inside.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// What it is, for the message: "corpus", "shard", "lexicon" ...
    pub kind: &'static str,
    pub path: &'a Path,
}

impl<'a> Input<'a> {
    pub fn new(kind: &'static str, path: &'a Path) -> Self {
        Input { kind, path }
    }
}

/// The contents of [`RUN_MARKER`].
#[derive(Debug, Serialize, Deserialize)]
struct RunMarker {
    written_by: String,
    /// Paths relative to the run directory, `/`-separated; directories end in `/`
    /// (and have no contents recorded).
    files: BTreeMap<String, Option<Written>>,
}

/// What govlens wrote to a file: enough to know whether someone changed it since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Written {
    bytes: u64,
    /// Last modification, `seconds.nanoseconds` since the epoch: when it and the
    /// size are as written, the contents are not read again.
    modified: String,
    sha256: String,
}

impl Written {
    /// The file at `path` as it is now.
    fn of(path: &Path) -> std::io::Result<Written> {
        let meta = std::fs::metadata(path)?;
        Ok(Written {
            bytes: meta.len(),
            modified: modified(&meta),
            sha256: crate::digest::file_sha256(path)?,
        })
    }

    /// Whether the file at `path` still holds what was written.
    fn unchanged(&self, path: &Path) -> bool {
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return false;
        };
        if !meta.is_file() || meta.len() != self.bytes {
            return false;
        }
        // Same size and time: as written. Otherwise (a copied run, say) the
        // contents decide.
        modified(&meta) == self.modified || Written::of(path).is_ok_and(|w| w.sha256 == self.sha256)
    }
}

fn modified(meta: &std::fs::Metadata) -> String {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(String::new(), |d| {
            format!("{}.{:09}", d.as_secs(), d.subsec_nanos())
        })
}

/// Whether an entry of a run directory is one of govlens' own markers.
fn is_marker(entry: &str) -> bool {
    [RUN_MARKER, STAGING_MARKER, ASIDE_MARKER].contains(&entry)
}

/// The path as absolute as the file system allows: canonical where it exists,
/// else its nearest existing ancestor's canonical path with the rest appended.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut rest = Vec::new();
    let mut at = joined.as_path();
    loop {
        if let Ok(c) = at.canonicalize() {
            let mut out = c;
            out.extend(rest.iter().rev());
            return crate::config::clean(&out);
        }
        match (at.parent(), at.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                at = parent;
            }
            _ => return crate::config::clean(&joined),
        }
    }
}

/// Refuses an output that holds, or lies inside, one of `inputs`.
pub fn check_overlap(out: &Path, inputs: &[Input]) -> Result<()> {
    let out_abs = absolute(out);
    for input in inputs {
        let in_abs = absolute(input.path);
        let relation = if in_abs == out_abs {
            "is"
        } else if in_abs.starts_with(&out_abs) {
            "holds"
        } else if out_abs.starts_with(&in_abs) {
            "lies inside"
        } else {
            continue;
        };
        return Err(Error::Invalid(format!(
            "output {} {relation} the {} {}: choose an output directory outside the \
             command's inputs",
            out.display(),
            input.kind,
            input.path.display()
        )));
    }
    Ok(())
}

/// Checks that `out` may be replaced by a new run: it does not exist, or is an
/// empty directory, or is a run govlens wrote that holds nothing else.
pub fn check_replaceable(out: &Path) -> Result<()> {
    let meta = match std::fs::symlink_metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(out, e)),
    };
    let refuse = |why: String| {
        Err(Error::Invalid(format!(
            "output {} {why}: refusing to replace it; choose another output, or move \
             or remove it yourself",
            out.display()
        )))
    };
    if meta.file_type().is_symlink() {
        return refuse("is a symbolic link".into());
    }
    if !meta.is_dir() {
        return refuse("exists and is not a directory".into());
    }
    let found = entries(out)?;
    if found.is_empty() {
        return Ok(());
    }
    let Some(marker) = read_marker(out) else {
        let why = if out.join("run.json").exists() {
            format!(
                "has a run.json but no {RUN_MARKER} marker, so it was not written by this \
                 govlens"
            )
        } else {
            "exists and is not a govlens run".into()
        };
        return refuse(why);
    };
    // The entries it does not list; of a folder it does not list, the folder alone
    // (sorted, a folder's entries follow it). And the files it lists that were
    // changed since.
    let mut foreign: Vec<&str> = Vec::new();
    let mut changed: Vec<&str> = Vec::new();
    let mut inside: Option<&str> = None;
    for f in &found {
        if inside.is_some_and(|dir| f.starts_with(dir)) || is_marker(f) {
            continue;
        }
        match marker.files.get(f.as_str()) {
            None => {
                foreign.push(f);
                inside = f.ends_with('/').then_some(f.as_str());
            }
            Some(Some(written)) if !written.unchanged(&out.join(f)) => changed.push(f),
            Some(_) => {}
        }
    }
    if let Some(first) = changed.first() {
        return refuse(format!(
            "is a govlens run but {first}{} changed since govlens wrote it",
            if changed.len() > 1 {
                format!(" (and {} more)", changed.len() - 1)
            } else {
                String::new()
            }
        ));
    }
    if foreign.is_empty() {
        return Ok(());
    }
    let shown: Vec<&str> = foreign.iter().take(3).copied().collect();
    let more = if foreign.len() > 3 {
        format!(" and {} more", foreign.len() - 3)
    } else {
        String::new()
    };
    refuse(format!(
        "is a govlens run but holds files govlens did not write there ({}{more})",
        shown.join(", ")
    ))
}

/// Every entry under `dir`, relative and `/`-separated, directories ending in
/// `/`; symbolic links are entries, never followed. More than [`MAX_ENTRIES`] is an
/// error.
fn entries(dir: &Path) -> Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((path, prefix)) = stack.pop() {
        let listing = std::fs::read_dir(&path).map_err(|e| Error::io(&path, e))?;
        for entry in listing {
            let entry = entry.map_err(|e| Error::io(&path, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
            let rel = format!("{prefix}{name}{}", if is_dir { "/" } else { "" });
            if is_dir {
                stack.push((entry.path(), rel.clone()));
            }
            out.insert(rel);
            if out.len() > MAX_ENTRIES {
                return Err(Error::Invalid(format!(
                    "output {} holds more than {MAX_ENTRIES} files: it is not a govlens run; \
                     refusing to replace it",
                    dir.display()
                )));
            }
        }
    }
    Ok(out)
}

fn read_marker(dir: &Path) -> Option<RunMarker> {
    let path = dir.join(RUN_MARKER);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > 1 << 20 {
        return None;
    }
    serde_json::from_slice(&std::fs::read(&path).ok()?).ok()
}

/// Whether `dir` is a run directory govlens wrote.
pub fn is_run(dir: &Path) -> bool {
    read_marker(dir).is_some()
}

/// Whether `dir` is a run govlens wrote that holds nothing else and nothing
/// changed: one govlens may remove.
fn is_whole_run(dir: &Path) -> bool {
    is_run(dir) && check_replaceable(dir).is_ok()
}

/// Writes the marker of a finished run: every file now in `dir`, with what it
/// holds.
pub(crate) fn mark_run(dir: &Path) -> Result<()> {
    let mut files = BTreeMap::new();
    for f in entries(dir)?.into_iter().filter(|f| !is_marker(f)) {
        let written = match f.ends_with('/') {
            true => None,
            false => {
                let path = dir.join(&f);
                Some(Written::of(&path).map_err(|e| Error::io(&path, e))?)
            }
        };
        files.insert(f, written);
    }
    write_marker(dir, files)
}

/// Writes the marker whole or not at all (a temporary file renamed over it).
fn write_marker(dir: &Path, files: BTreeMap<String, Option<Written>>) -> Result<()> {
    let marker = RunMarker {
        written_by: format!("govlens {}", env!("CARGO_PKG_VERSION")),
        files,
    };
    let json = serde_json::to_string_pretty(&marker).expect("a marker serialises") + "\n";
    replace_file(dir, RUN_MARKER, json.as_bytes()).map(|_| ())
}

/// Writes `dir/name` by a new temporary file renamed over it, so that it is
/// never half-written and never written through a link.
fn replace_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf> {
    let path = dir.join(name);
    let staged = dir.join(format!(
        ".{name}.tmp-{}-{:016x}",
        std::process::id(),
        fastrand::u64(..)
    ));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&staged)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.flush()))
        .and_then(|()| std::fs::rename(&staged, &path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&staged);
        return Err(Error::io(&path, e));
    }
    Ok(path)
}

/// A new directory of scratch files under the system's temporary directory,
/// removed with its contents when dropped: created by this process (never one
/// that existed), so nothing else is in it.
pub struct Scratch {
    path: PathBuf,
}

impl Scratch {
    pub fn create() -> Result<Scratch> {
        let path = std::env::temp_dir().join(format!(
            "govlens-scratch-{}-{:016x}",
            std::process::id(),
            fastrand::u64(..)
        ));
        // `create_dir`, not `create_dir_all`: an existing directory is an error.
        std::fs::create_dir(&path).map_err(|e| Error::io(&path, e))?;
        Ok(Scratch { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Writes (or rewrites) the file `name` of the finished run in `dir`, under the
/// run's lock, and adds it to the run's marker first. A file of that name that
/// the run did not write is never replaced.
pub fn write_into_run(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf> {
    let mut paths = write_all_into_run(dir, &[(name, bytes)])?;
    Ok(paths.remove(0))
}

/// [`write_into_run`] for several files: all are checked before any is written,
/// so a refusal changes nothing.
pub fn write_all_into_run(dir: &Path, files: &[(&str, &[u8])]) -> Result<Vec<PathBuf>> {
    let _lock = OutputLock::acquire(dir)?;
    let Some(mut marker) = read_marker(dir) else {
        return Err(Error::Invalid(format!(
            "{} is not a govlens run directory (no {RUN_MARKER} marker)",
            dir.display()
        )));
    };
    for (name, _) in files {
        let path = dir.join(name);
        let exists = std::fs::symlink_metadata(&path).is_ok();
        let ours = match marker.files.get(*name) {
            Some(Some(written)) => written.unchanged(&path),
            _ => !exists,
        };
        if exists && !ours {
            return Err(Error::Invalid(format!(
                "{} was not written by govlens, or was changed since: refusing to replace it",
                path.display()
            )));
        }
    }
    let mut paths = Vec::new();
    for (name, bytes) in files {
        let path = replace_file(dir, name, bytes)?;
        let written = Written::of(&path).map_err(|e| Error::io(&path, e))?;
        marker.files.insert(name.to_string(), Some(written));
        write_marker(dir, marker.files.clone())?;
        paths.push(path);
    }
    Ok(paths)
}

/// The govlens run directory that `path` lies inside (or is), if any.
pub fn enclosing_run(path: &Path) -> Option<PathBuf> {
    let abs = absolute(path);
    abs.ancestors()
        // A run of an older govlens has no marker, but its run.json and tables.
        .find(|dir| {
            dir.join(RUN_MARKER).is_file()
                || dir.join("run.json").is_file() && dir.join("documents.parquet").is_file()
        })
        .map(Path::to_path_buf)
}

/// Creates the new file `path` with `bytes`: never over an existing file (the
/// check and the creation are one step) and never inside a run directory. `what`
/// names the file in messages ("coding sheet").
pub fn create_new_file(path: &Path, bytes: &[u8], what: &str) -> Result<()> {
    if let Some(run) = enclosing_run(path) {
        return Err(Error::Invalid(format!(
            "{}: the {what} would be inside the run directory {}, which the next run \
             replaces; write it elsewhere",
            path.display(),
            run.display()
        )));
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::Invalid(format!(
                "{} exists: govlens never overwrites a file (the {what} is not written); \
                 choose another path or remove it yourself",
                path.display()
            )),
            _ => Error::io(path, e),
        })?;
    let written = file.write_all(bytes).and_then(|()| file.flush());
    if let Err(e) = written {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(Error::io(path, e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_is_new_and_removed_with_what_it_holds() {
        let scratch = Scratch::create().unwrap();
        let path = scratch.path().to_path_buf();
        assert!(path.is_dir());
        assert_eq!(std::fs::read_dir(&path).unwrap().count(), 0);
        std::fs::write(path.join(".terms.spill"), b"x").unwrap();
        let other = Scratch::create().unwrap();
        assert_ne!(other.path(), path);
        drop(scratch);
        assert!(!path.exists());
        assert!(other.path().is_dir());
    }

    fn run_dir(at: &Path) {
        let s = StagedDir::create(at, &[]).unwrap();
        std::fs::write(s.file("run.json"), "{}").unwrap();
        std::fs::write(s.file("terms.parquet"), "x").unwrap();
        s.commit().unwrap();
    }

    #[test]
    fn only_a_run_govlens_wrote_and_nothing_more_is_replaceable() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        type Make = Box<dyn Fn(&Path)>;
        let cases: Vec<(&str, Make, Option<&str>)> = vec![
            ("missing", Box::new(|_: &Path| {}), None),
            (
                "empty directory",
                Box::new(|d: &Path| std::fs::create_dir(d).unwrap()),
                None,
            ),
            ("a govlens run", Box::new(run_dir), None),
            (
                "a file",
                Box::new(|d: &Path| std::fs::write(d, "x").unwrap()),
                Some("not a directory"),
            ),
            (
                "run.json of {} and a user's file",
                Box::new(|d: &Path| {
                    std::fs::create_dir(d).unwrap();
                    std::fs::write(d.join("run.json"), "{}").unwrap();
                    std::fs::write(d.join("notes.txt"), "mine").unwrap();
                }),
                Some("no .govlens-run marker"),
            ),
            (
                "a run with a sheet in a subfolder",
                Box::new(|d: &Path| {
                    run_dir(d);
                    std::fs::create_dir(d.join("sub")).unwrap();
                    std::fs::write(d.join("sub/s.csv"), "coded").unwrap();
                }),
                Some("(sub/)"),
            ),
            (
                "a run with shards inside",
                Box::new(|d: &Path| {
                    run_dir(d);
                    for k in 1..=4 {
                        run_dir(&d.join(format!("s{k}")));
                    }
                }),
                Some("and 1 more"),
            ),
            (
                "a run whose marker is not JSON",
                Box::new(|d: &Path| {
                    run_dir(d);
                    std::fs::write(d.join(RUN_MARKER), "{").unwrap();
                }),
                Some("no .govlens-run marker"),
            ),
        ];
        for (i, (name, make, want)) in cases.into_iter().enumerate() {
            let out = p.join(format!("case{i}"));
            make(&out);
            match (check_replaceable(&out), want) {
                (Ok(()), None) => {}
                (Err(e), Some(want)) => {
                    let e = e.to_string();
                    assert!(e.contains(want) && e.contains("refusing"), "{name}: {e}");
                }
                (got, want) => panic!("{name}: {got:?}, wanted {want:?}"),
            }
        }
    }

    #[test]
    fn outputs_never_hold_or_lie_inside_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::create_dir_all(p.join("r/s1")).unwrap();
        std::fs::write(p.join("lex.toml"), "").unwrap();
        let cases = [
            ("r", "shard", "r/s1", Some("holds the shard")),
            ("r/s1/m", "shard", "r/s1", Some("lies inside the shard")),
            ("r/s1", "shard", "r/s1", Some("is the shard")),
            ("r/./s1/../s1", "shard", "r/s1", Some("is the shard")),
            ("out", "lexicon", "lex.toml", None),
            (".", "lexicon", "lex.toml", Some("holds the lexicon")),
            ("r/s2", "shard", "r/s1", None),
        ];
        for (out, kind, input, want) in cases {
            let got = check_overlap(&p.join(out), &[Input::new(kind, &p.join(input))]);
            match (got, want) {
                (Ok(()), None) => {}
                (Err(e), Some(want)) => assert!(e.to_string().contains(want), "{out}: {e}"),
                (got, want) => panic!("{out}: {got:?}, wanted {want:?}"),
            }
        }
    }

    #[test]
    fn new_files_never_replace_files_nor_go_into_runs() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        let sheet = p.join("s.csv");
        create_new_file(&sheet, b"a", "coding sheet").unwrap();
        let err = create_new_file(&sheet, b"b", "coding sheet").unwrap_err();
        assert!(err.to_string().contains("never overwrites"), "{err}");
        assert_eq!(std::fs::read(&sheet).unwrap(), b"a");
        run_dir(&p.join("run"));
        std::fs::create_dir(p.join("run/sub")).unwrap();
        let err = create_new_file(&p.join("run/sub/s.csv"), b"a", "coding sheet").unwrap_err();
        assert!(
            err.to_string().contains("inside the run directory"),
            "{err}"
        );
        assert!(!p.join("run/sub/s.csv").exists());
    }

    #[test]
    fn a_file_added_to_a_run_is_recorded_and_a_foreign_one_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let run = dir.path().join("run");
        run_dir(&run);
        write_into_run(&run, "report.html", b"<p>1</p>").unwrap();
        write_into_run(&run, "report.html", b"<p>2</p>").unwrap();
        check_replaceable(&run).unwrap();
        // A file govlens wrote, then changed by someone: neither rewritten nor
        // removed with the run.
        std::fs::write(run.join("report.html"), "my notes").unwrap();
        let err = write_into_run(&run, "report.html", b"x").unwrap_err();
        assert!(err.to_string().contains("changed since"), "{err}");
        assert_eq!(std::fs::read(run.join("report.html")).unwrap(), b"my notes");
        let err = check_replaceable(&run).unwrap_err().to_string();
        assert!(
            err.contains("report.html changed since govlens wrote it"),
            "{err}"
        );
        std::fs::remove_file(run.join("report.html")).unwrap();
        // A copy with the same contents (new times) is still the run.
        let copy = dir.path().join("copy");
        std::fs::create_dir(&copy).unwrap();
        for e in std::fs::read_dir(&run).unwrap().flatten() {
            std::fs::copy(e.path(), copy.join(e.file_name())).unwrap();
        }
        check_replaceable(&copy).unwrap();
        std::fs::write(run.join("mine.html"), "mine").unwrap();
        assert!(write_into_run(&run, "mine.html", b"x").is_err());
        assert_eq!(std::fs::read(run.join("mine.html")).unwrap(), b"mine");
        let not_run = dir.path().join("plain");
        std::fs::create_dir(&not_run).unwrap();
        assert!(write_into_run(&not_run, "report.html", b"x").is_err());
    }
}
