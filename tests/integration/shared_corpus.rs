//! The shared real corpus: findings a researcher can check by reading the documents.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::common::{Table, frame_count, frame_rate, govlens_ok, run_corpus_ok, shared_corpus};

/// Runs the ai-governance pipeline once for all tests here; `None` when skipped.
fn run_once(test: &str) -> Option<PathBuf> {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    shared_corpus(test)?;
    let (_, out) = OUT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("ai-governance");
        govlens_ok(&[
            "run",
            "pipelines/ai-governance.toml",
            "--out",
            out.to_str().unwrap(),
            "-q",
        ]);
        (dir, out)
    });
    Some(out.clone())
}

#[test]
fn all_documents_are_read_with_their_metadata() {
    let Some(out) = run_once("all_documents_are_read_with_their_metadata") else {
        return;
    };
    let docs = Table::read(&out, "documents");
    assert_eq!(docs.height(), 31);
    let mut j = docs.strs("jurisdiction");
    j.sort();
    j.dedup();
    assert_eq!(j.len(), 11, "{j:?}");
    // The manifest's own checksum column was verified; extra columns are carried.
    let names: Vec<String> = docs.schema();
    for c in ["issuer:str", "source:str", "license:str", "bytes:i64"] {
        assert!(names.iter().any(|n| n == c), "{c} in {names:?}");
    }
    let bytes = docs.ints("bytes");
    let chars = docs.ints("n_chars");
    for (b, c) in bytes.iter().zip(&chars) {
        assert!(c <= b && *c > 0);
    }
}

#[test]
fn trustworthy_is_a_western_frame() {
    let Some(out) = run_once("trustworthy_is_a_western_frame") else {
        return;
    };
    let rates = Table::read(&out, "frame_rates");
    let (_, _, cn, _) = frame_rate(&rates, "CN", "en", "trustworthy");
    let (_, _, us, us_docs) = frame_rate(&rates, "US", "en", "trustworthy");
    let (_, _, eu, eu_docs) = frame_rate(&rates, "EU", "en", "trustworthy");
    assert!(us > 5.0 && eu > 5.0, "US {us}, EU {eu} per 10k");
    assert!(us > cn && eu > cn, "US {us} and EU {eu} above CN {cn}");
    // In every US and EU document but one: EO 14179 names "trustworthy" only in
    // the title of the order it revokes, a name (names.parquet), not its discourse.
    assert_eq!(
        (us_docs, eu_docs),
        (5, 2),
        "used in every US and EU document but EO 14179"
    );
}

#[test]
fn chinese_frames_are_words_not_substrings() {
    let Some(out) = run_once("chinese_frames_are_words_not_substrings") else {
        return;
    };
    let dir = shared_corpus("chinese_frames_are_words_not_substrings").unwrap();
    let docs = Table::read(&out, "documents");
    let frames = Table::read(&out, "frames");
    let terms = Table::read(&out, "terms");
    let zh_docs: Vec<(String, String)> = docs
        .strs("doc_id")
        .into_iter()
        .zip(docs.strs("path"))
        .zip(docs.strs("lang"))
        .filter(|(_, l)| l == "zh")
        .map(|(d, _)| d)
        .collect();
    let substrings: usize = zh_docs
        .iter()
        .filter(|(d, _)| d.starts_with("cn-"))
        .map(|(_, p)| {
            std::fs::read_to_string(dir.join(p))
                .unwrap()
                .matches("法治")
                .count()
        })
        .sum();
    let counted = frame_count(
        &frames,
        |d| d.starts_with("cn-") && d.ends_with("-zh"),
        "rule_of_law",
    );
    // 法治 inside 依法治理 is in the text as a substring but is not the word.
    let yifa: i64 = terms
        .strs("term")
        .iter()
        .zip(terms.ints("count"))
        .zip(terms.strs("doc_id"))
        .filter(|((t, _), d)| *t == "依法治理" && d.starts_with("cn-"))
        .map(|((_, c), _)| c)
        .sum();
    assert!(yifa >= 1, "依法治理 occurs as a word");
    assert!(
        (counted as usize) < substrings,
        "rule_of_law counted {counted} < {substrings} substrings of 法治"
    );
}

/// Writes a copy of the shared corpus to `dir`, each text re-encoded by `encode`,
/// with a manifest that keeps the metadata but not the (now different) checksums,
/// and leaves the script to be detected unless `with_script`.
fn copy_corpus(
    src: &std::path::Path,
    dir: &std::path::Path,
    with_script: bool,
    encode: impl Fn(&str, &str, &str) -> Vec<u8>,
) {
    let mut reader = csv::Reader::from_path(src.join("manifest.csv")).unwrap();
    let mut manifest = String::from("file,doc_id,jurisdiction,lang,script,year,title\n");
    for record in reader.deserialize::<std::collections::HashMap<String, String>>() {
        let r = record.unwrap();
        let text = std::fs::read_to_string(src.join(&r["file"])).unwrap();
        let target = dir.join(&r["file"]);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, encode(&text, &r["lang"], &r["script"])).unwrap();
        let title = r["title"].replace('"', "\"\"");
        let script = if with_script {
            r["script"].as_str()
        } else {
            ""
        };
        manifest += &format!(
            "{},{},{},{},{script},{},\"{title}\"\n",
            r["file"], r["doc_id"], r["jurisdiction"], r["lang"], r["year"]
        );
    }
    std::fs::write(dir.join("manifest.csv"), manifest).unwrap();
}

fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut out = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        out.extend(if little_endian {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    out
}

#[test]
fn other_encodings_give_identical_tables() {
    let Some(src) = shared_corpus("other_encodings_give_identical_tables") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (plain, legacy) = (dir.path().join("utf8"), dir.path().join("legacy"));
    copy_corpus(&src, &plain, true, |text, _, _| text.as_bytes().to_vec());
    let n = std::cell::Cell::new(0usize);
    // The re-encoded copy also leaves the script (Hans/Hant) to be detected.
    copy_corpus(&src, &legacy, false, |text, lang, script| {
        n.set(n.get() + 1);
        let (bytes, _, unmappable) = match (lang, script) {
            ("zh", "Hant") => encoding_rs::BIG5.encode(text),
            ("zh", _) => encoding_rs::GBK.encode(text),
            _ => match n.get() % 3 {
                0 => return utf16(text, true),
                1 => return utf16(text, false),
                _ => return [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat(),
            },
        };
        assert!(!unmappable, "test data encodes without loss");
        bytes.into_owned()
    });
    let run = |corpus: &std::path::Path, out: &std::path::Path| {
        run_corpus_ok(corpus, out, &["-q"]);
    };
    let (a, b) = (dir.path().join("out-utf8"), dir.path().join("out-legacy"));
    run(&plain, &a);
    run(&legacy, &b);
    for name in [
        "terms",
        "group_terms",
        "frames",
        "frame_rates",
        "units",
        "unit_frames",
    ] {
        let file = format!("{name}.parquet");
        assert!(
            std::fs::read(a.join(&file)).unwrap() == std::fs::read(b.join(&file)).unwrap(),
            "{file} differs between the UTF-8 and the re-encoded corpus"
        );
    }
    let (da, db) = (Table::read(&a, "documents"), Table::read(&b, "documents"));
    for col in ["doc_id", "lang", "script", "path"] {
        assert_eq!(da.strs(col), db.strs(col), "{col}");
    }
    for col in ["n_chars", "n_tokens", "n_types", "n_units"] {
        assert_eq!(da.ints(col), db.ints(col), "{col}");
    }
    let encodings: std::collections::BTreeSet<String> = db.strs("encoding").into_iter().collect();
    let want: std::collections::BTreeSet<String> =
        ["Big5", "gb18030", "UTF-8", "UTF-16LE", "UTF-16BE"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    assert_eq!(encodings, want, "each encoding detected");
    assert_eq!(Table::read(&b, "errors").height(), 0);
}

#[test]
fn distinctive_words_a_reader_can_check() {
    let Some(_) = shared_corpus("distinctive_words_a_reader_can_check") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pairs");
    govlens_ok(&[
        "run",
        "pipelines/ai-governance.toml",
        "--out",
        out.to_str().unwrap(),
        "--pairs",
        "-q",
    ]);
    let k = Table::read(&out, "keyness");
    let (t, r, term, g2, p_bh) = (
        k.strs("target"),
        k.strs("reference"),
        k.strs("term"),
        k.floats("g2"),
        k.floats("p_bh"),
    );
    let find = |target: &str, reference: &str, word: &str| -> (f64, f64) {
        let i = (0..k.height())
            .find(|&i| t[i] == target && r[i] == reference && term[i] == word)
            .unwrap_or_else(|| panic!("{target} vs {reference}: {word}"));
        (g2[i], p_bh[i])
    };
    // "trustworthy" is key in the EU and US English texts against the Chinese ones.
    for target in ["EU", "US"] {
        let (g, p) = find(target, "CN", "trustworthy");
        assert!(g > 10.0 && p < 0.01, "{target}: G2 {g}, p_bh {p}");
    }
    // ... and in the EU against all the rest (G2 above the 1% critical value, with
    // the tables of contents and notes, which repeat it, left out).
    let (g, p) = find("EU", "(rest)", "trustworthy");
    assert!(g > 6.63 && p < 0.01, "EU vs rest: {g} {p}");
    // 网络 (network, cyber) is key in the Chinese laws against Taiwan's act.
    let (g, p) = find("CN", "TW", "网络");
    assert!(g > 10.0 && p < 0.01, "网络: {g} {p}");
    // Chinese and English are never compared with each other.
    let langs = k.strs("lang");
    assert!((0..k.height()).all(|i| !(t[i] == "TW" && r[i] == "US" && langs[i] == "zh")));
}
