//! `manifest.csv`: the researcher's description of a corpus.
//!
//! Required columns: `file` (relative to the corpus directory), `doc_id` (unique),
//! `lang` (`zh` or `en`). Known optional columns: `jurisdiction`, `script`, `year`,
//! `title`, `sha256` (verified against the file), `encoding` (a WHATWG label). Every other column is metadata
//! carried into `documents.parquet`: as integers when every value is one, else as
//! text. Everything is validated here, before any document is read, and every
//! error names the manifest line.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{Corpus, DocSpec, Lang, MetaValue, first_folder};
use crate::error::{Error, Result};

/// Columns the manifest must have.
pub const REQUIRED: &[&str] = &["file", "doc_id", "lang"];
/// Columns the manifest may have with a fixed meaning.
pub const KNOWN: &[&str] = &[
    "jurisdiction",
    "script",
    "year",
    "title",
    "sha256",
    "encoding",
];
/// Columns govlens computes; a manifest column may not take their name.
pub const COMPUTED: &[&str] = &[
    "path",
    "format",
    "n_bytes",
    "n_chars",
    "n_tokens",
    "n_types",
    "n_units",
    "n_tokens_left_out",
    "tokens_toc",
    "tokens_references",
    "tokens_footnotes",
    "tokens_annex",
    "tokens_front",
    "tokens_signature",
    "tokens_lists",
    "tokens_labels",
];

/// Names people give the required columns, and the name govlens expects.
const ALIASES: &[(&str, &str)] = &[
    ("language", "lang"),
    ("lng", "lang"),
    ("id", "doc_id"),
    ("docid", "doc_id"),
    ("document_id", "doc_id"),
    ("doc", "doc_id"),
    ("path", "file"),
    ("filename", "file"),
    ("file_name", "file"),
    ("filepath", "file"),
];

/// The required or known column `header` is probably a typo of, if any: one
/// edit or swap away (`titel`, `years`), or two for long names (`jurisdicton`).
fn near_known(header: &str) -> Option<&'static str> {
    let h = header.to_ascii_lowercase();
    let names = || REQUIRED.iter().chain(KNOWN);
    if names().any(|k| *k == h) {
        return None;
    }
    names()
        .map(|k| (strsim::osa_distance(k, &h), *k))
        .filter(|&(d, k)| k.len() >= 4 && (d == 1 || (d == 2 && k.len() >= 8)))
        .min()
        .map(|(_, k)| k)
}

/// Reads and validates `manifest` for the corpus at `root`.
pub fn read(root: &Path, manifest: &Path) -> Result<Corpus> {
    let err = |line: u64, message: String| Error::Manifest {
        path: manifest.to_path_buf(),
        line,
        message,
    };
    let bytes = crate::limits::read_bounded(manifest, crate::limits::MANIFEST_BYTES, "manifest")?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| err(1, e.to_string()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let col = columns(&headers, &err)?;
    let extra_idx: Vec<usize> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| !REQUIRED.contains(&h.as_str()) && !KNOWN.contains(&h.as_str()))
        .map(|(i, _)| i)
        .collect();

    let mut docs = Vec::new();
    let mut raw_extra: Vec<Vec<String>> = Vec::new();
    let mut ids: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| match e.kind() {
            csv::ErrorKind::UnequalLengths {
                pos,
                expected_len,
                len,
                ..
            } => err(
                pos.as_ref().map_or(0, |p| p.line()),
                format!("{len} fields where the header has {expected_len}"),
            ),
            _ => err(e.position().map_or(0, |p| p.line()), e.to_string()),
        })?;
        docs.push(document(&record, &col, root, &mut ids, &err)?);
        raw_extra.push(
            extra_idx
                .iter()
                .map(|&i| record.get(i).unwrap_or("").trim().to_string())
                .collect(),
        );
    }
    if docs.is_empty() {
        return Err(err(1, "the manifest lists no documents".into()));
    }
    type_extra_columns(&mut docs, &raw_extra, extra_idx.len());
    let unique: HashSet<&str> = docs.iter().map(|d| d.doc_id.as_str()).collect();
    debug_assert_eq!(unique.len(), docs.len());

    Ok(Corpus {
        root: root.to_path_buf(),
        manifest: Some(manifest.to_path_buf()),
        extra_columns: extra_idx.iter().map(|&i| headers[i].clone()).collect(),
        docs,
    })
}

/// An error at a line of the manifest.
type LineError<'a> = dyn Fn(u64, String) -> Error + 'a;

/// The column of each header, once the headers are checked: names unique and
/// lower case, no typo of a known name, no clash with a computed column, every
/// required column present (with a hint where a common alias was used).
fn columns<'h>(headers: &'h [String], err: &LineError<'_>) -> Result<HashMap<&'h str, usize>> {
    let mut col = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        if h.is_empty() {
            return Err(err(1, format!("column {} has an empty name", i + 1)));
        }
        if col.insert(h.as_str(), i).is_some() {
            return Err(err(1, format!("column {h:?} appears twice")));
        }
        let lower = h.to_ascii_lowercase();
        if lower != *h && (REQUIRED.contains(&lower.as_str()) || KNOWN.contains(&lower.as_str())) {
            return Err(err(
                1,
                format!("column {h:?}: did you mean {lower:?}? (names are lower case)"),
            ));
        }
        if let Some(near) = near_known(h) {
            return Err(err(
                1,
                format!(
                    "column {h:?}: did you mean {near:?}? (a column this close to a known \
                     name is taken for a typo; rename it if it is meant as an extra column)"
                ),
            ));
        }
        if COMPUTED.contains(&h.as_str()) {
            return Err(err(
                1,
                format!("column {h:?} clashes with a column govlens computes; rename it"),
            ));
        }
    }
    check_required(headers, &col, err)?;
    Ok(col)
}

/// Fails when a required column is missing, naming any alias that stands for it.
fn check_required(
    headers: &[String],
    col: &HashMap<&str, usize>,
    err: &LineError<'_>,
) -> Result<()> {
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|r| !col.contains_key(r))
        .collect();
    if !missing.is_empty() {
        let hints: Vec<String> = missing
            .iter()
            .filter_map(|m| {
                headers
                    .iter()
                    .find(|h| {
                        ALIASES
                            .iter()
                            .any(|(a, to)| to == m && *a == h.to_lowercase())
                    })
                    .map(|h| format!("{h:?} for {m:?}?"))
            })
            .collect();
        return Err(err(
            1,
            format!(
                "missing required column(s) {}; found {}{}",
                missing.join(", "),
                headers.join(", "),
                if hints.is_empty() {
                    String::new()
                } else {
                    format!(" (rename {})", hints.join(", "))
                }
            ),
        ));
    }
    Ok(())
}

/// The document of one manifest record, its values checked.
fn document(
    record: &csv::StringRecord,
    col: &HashMap<&str, usize>,
    root: &Path,
    ids: &mut HashMap<String, u64>,
    err: &LineError<'_>,
) -> Result<DocSpec> {
    let line = record.position().map_or(0, |p| p.line());
    let get = |name: &str| -> Option<&str> {
        col.get(name)
            .and_then(|&i| record.get(i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let file = get("file").ok_or_else(|| err(line, "empty `file`".into()))?;
    let file = clean_relative(file).ok_or_else(|| {
        err(
            line,
            format!("file {file:?} must be a relative path inside the corpus directory"),
        )
    })?;
    let file = file.as_str();
    let doc_id = get("doc_id").ok_or_else(|| err(line, "empty `doc_id`".into()))?;
    if let Some(first) = ids.insert(doc_id.to_string(), line) {
        return Err(err(
            line,
            format!("duplicate doc_id {doc_id:?} (first on line {first})"),
        ));
    }
    let lang_raw = get("lang").unwrap_or("");
    let lang = Lang::parse(lang_raw).ok_or_else(|| {
        err(
            line,
            format!("lang {lang_raw:?} for {doc_id:?}: expected zh or en"),
        )
    })?;
    let year = match get("year") {
        None => None,
        Some(y) => Some(
            y.parse::<i32>()
                .map_err(|_| err(line, format!("year {y:?} for {doc_id:?} is not an integer")))?,
        ),
    };
    // A missing or unreadable file is a problem of that document, reported
    // when it is read; the manifest itself is fine.
    let path = root.join(file);
    let file = file.to_string();
    let encoding = match get("encoding") {
        None => None,
        Some(label) => Some(super::decode::encoding_for_label(label).ok_or_else(|| {
            err(
                line,
                format!(
                    "encoding {label:?} for {doc_id:?} is not a known label \
                         (e.g. utf-8, gb18030, gbk, big5, utf-16le)"
                ),
            )
        })?),
    };
    let script = match get("script") {
        None => None,
        Some(s) => Some(canonical_script(s).ok_or_else(|| {
            err(
                line,
                format!("script {s:?} for {doc_id:?}: expected Hans, Hant or Latn"),
            )
        })?),
    };
    Ok(DocSpec {
        doc_id: doc_id.to_string(),
        jurisdiction: get("jurisdiction")
            .map(str::to_string)
            .unwrap_or_else(|| first_folder(&file)),
        file,
        path,
        lang: Some(lang),
        script,
        year,
        title: get("title").map(str::to_string),
        expected_sha256: get("sha256").map(|s| s.to_ascii_lowercase()),
        encoding,
        extra: Vec::new(),
    })
}

/// Types the extra columns: integers if every non-empty value is one (written
/// plainly: no sign, no leading zero, so codes like 007 stay text), else text.
fn type_extra_columns(docs: &mut [DocSpec], raw_extra: &[Vec<String>], n_columns: usize) {
    for k in 0..n_columns {
        let numeric = raw_extra
            .iter()
            .map(|row| row[k].as_str())
            .filter(|v| !v.is_empty())
            .all(|v| {
                v.parse::<i64>().is_ok()
                    && !v.starts_with('+')
                    && !(v.len() > 1 && v.starts_with('0'))
            });
        for (doc, row) in docs.iter_mut().zip(raw_extra) {
            let v = &row[k];
            doc.extra.push(if v.is_empty() {
                None
            } else {
                match v.parse() {
                    Ok(i) if numeric => Some(MetaValue::Int(i)),
                    _ => Some(MetaValue::Text(v.clone())),
                }
            });
        }
    }
}

/// An ISO 15924 code in its usual spelling (`hant` -> `Hant`), if it is one govlens
/// knows.
fn canonical_script(s: &str) -> Option<String> {
    ["Hans", "Hant", "Hani", "Latn"]
        .iter()
        .find(|k| k.eq_ignore_ascii_case(s))
        .map(|k| k.to_string())
}

/// `file` as a clean relative path with `/` separators, or `None` when it is
/// absolute or leaves the corpus directory.
fn clean_relative(file: &str) -> Option<String> {
    let unified = file.replace('\\', "/");
    if unified.starts_with('/') || unified.as_bytes().get(1) == Some(&b':') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in unified.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a corpus with `manifest` and two small files; returns its directory.
    fn corpus(manifest: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("cn")).unwrap();
        std::fs::write(dir.path().join("cn/a.txt"), "坚持法治").unwrap();
        std::fs::write(dir.path().join("b.txt"), "rule of law").unwrap();
        std::fs::write(dir.path().join("manifest.csv"), manifest).unwrap();
        dir
    }

    fn read_err(manifest: &str) -> String {
        let dir = corpus(manifest);
        read(dir.path(), &dir.path().join("manifest.csv"))
            .expect_err("should fail")
            .to_string()
    }

    #[test]
    fn reads_known_and_extra_columns() {
        let dir = corpus(
            "file,doc_id,lang,year,issuer,pages\n\
             cn/a.txt,a,zh,2021,NPC,12\n\
             b.txt,b,EN,,Lab,\n",
        );
        let c = read(dir.path(), &dir.path().join("manifest.csv")).unwrap();
        assert_eq!(c.extra_columns, vec!["issuer", "pages"]);
        let a = &c.docs[0];
        assert_eq!(
            (a.lang, a.year, a.jurisdiction.as_str()),
            (Some(Lang::Zh), Some(2021), "cn")
        );
        assert_eq!(
            a.extra,
            vec![
                Some(MetaValue::Text("NPC".into())),
                Some(MetaValue::Int(12))
            ]
        );
        let b = &c.docs[1];
        assert_eq!(
            (b.lang, b.year, b.jurisdiction.as_str()),
            (Some(Lang::En), None, "unassigned")
        );
        assert_eq!(b.extra[1], None);
    }

    #[test]
    fn paths_are_cleaned_and_codes_stay_text() {
        let dir = corpus("file,doc_id,lang,code\n.\\cn\\a.txt,a,zh,007\n./b.txt,b,en,12\n");
        let c = read(dir.path(), &dir.path().join("manifest.csv")).unwrap();
        assert_eq!(c.docs[0].file, "cn/a.txt");
        assert_eq!(c.docs[0].jurisdiction, "cn");
        assert_eq!(c.docs[1].file, "b.txt");
        assert_eq!(c.docs[0].extra, vec![Some(MetaValue::Text("007".into()))]);
        assert_eq!(c.docs[1].extra, vec![Some(MetaValue::Text("12".into()))]);
    }

    #[test]
    fn bad_manifests_name_the_line_and_problem() {
        let cases = [
            (
                "missing column",
                "file,doc_id\ncn/a.txt,a\n",
                "line 1: missing required column(s) lang",
            ),
            (
                "aliased column",
                "file,doc_id,language\ncn/a.txt,a,zh\n",
                "(rename \"language\" for \"lang\"?)",
            ),
            (
                "misspelt column",
                "file,doc_id,lang,jurisdicton\ncn/a.txt,a,zh,CN\n",
                "column \"jurisdicton\": did you mean \"jurisdiction\"?",
            ),
            (
                "unknown lang",
                "file,doc_id,lang\ncn/a.txt,a,ja\n",
                "line 2: lang \"ja\"",
            ),
            (
                "duplicate id",
                "file,doc_id,lang\ncn/a.txt,a,zh\nb.txt,a,en\n",
                "line 3: duplicate doc_id \"a\" (first on line 2)",
            ),
            (
                "unknown encoding",
                "file,doc_id,lang,encoding\ncn/a.txt,a,zh,klingon\n",
                "line 2: encoding \"klingon\"",
            ),
            (
                "unknown script",
                "file,doc_id,lang,script\ncn/a.txt,a,zh,Hanz\n",
                "line 2: script \"Hanz\"",
            ),
            (
                "bad year",
                "file,doc_id,lang,year\ncn/a.txt,a,zh,2021a\n",
                "not an integer",
            ),
            (
                "computed column",
                "file,doc_id,lang,n_tokens\ncn/a.txt,a,zh,3\n",
                "clashes",
            ),
            (
                "duplicate header",
                "file,doc_id,lang,lang\ncn/a.txt,a,zh,zh\n",
                "appears twice",
            ),
            (
                "empty doc_id",
                "file,doc_id,lang\ncn/a.txt,,zh\n",
                "line 2: empty `doc_id`",
            ),
            (
                "ragged row",
                "file,doc_id,lang\ncn/a.txt,a\n",
                "line 2: 2 fields where the header has 3",
            ),
            (
                "header case",
                "file,doc_id,lang,Year\ncn/a.txt,a,zh,2021\n",
                "did you mean \"year\"",
            ),
            (
                "absolute path",
                "file,doc_id,lang\n/etc/passwd,a,zh\n",
                "relative path inside",
            ),
            (
                "escaping path",
                "file,doc_id,lang\n../a.txt,a,zh\n",
                "relative path inside",
            ),
            ("header only", "file,doc_id,lang\n", "lists no documents"),
        ];
        for (name, manifest, want) in cases {
            let err = read_err(manifest);
            assert!(err.contains("manifest.csv"), "{name}: {err}");
            assert!(err.contains(want), "{name}: {err}");
        }
    }
}
