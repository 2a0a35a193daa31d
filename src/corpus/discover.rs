//! A corpus without a manifest: every file below the directory whose extension
//! names a format ([`FORMATS`](super::formats::FORMATS): text, Markdown, HTML,
//! PDF, Word, OpenDocument).
//!
//! The relative path is the `doc_id`, the first folder is the jurisdiction, and the
//! language is detected from the text when it is read. Hidden files and folders are
//! skipped; the walk is sorted so that the same tree always gives the same corpus.

use std::path::{Path, PathBuf};

use super::formats::Format;
use super::{Corpus, DocSpec, first_folder};
use crate::error::{Error, Result};

/// Lists the documents below `root`.
pub fn scan(root: &Path) -> Result<Corpus> {
    let mut files = Vec::new();
    walk(root, &mut files)?;
    files.sort();
    let docs: Vec<DocSpec> = files
        .into_iter()
        .map(|path| {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let jurisdiction = first_folder(&rel);
            DocSpec::undeclared(rel, jurisdiction, path)
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    for d in &docs {
        if !seen.insert(d.doc_id.as_str()) {
            return Err(Error::Corpus {
                path: d.path.clone(),
                message: format!(
                    "two files map to doc_id {:?} (file names that are not valid UTF-8?): rename one or add a manifest.csv",
                    d.doc_id
                ),
            });
        }
    }
    Ok(Corpus {
        root: root.to_path_buf(),
        manifest: None,
        extra_columns: Vec::new(),
        docs,
    })
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type().map_err(|e| Error::io(&path, e))?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| Format::from_extension(e).is_some())
        {
            out.push(path);
        }
    }
    Ok(())
}
