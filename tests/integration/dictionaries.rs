//! The dictionaries researchers already have: one small dictionary of ours written
//! in govlens TOML and in each dictionary format (`tests/fixtures/dictionaries/`),
//! read as the same lexicon and counting the same.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use govlens::document::Engine;
use govlens::lexicon::{Format, Lexicon};

use crate::common::{Table, govlens, govlens_ok, root, run_corpus_ok};

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/dictionaries").join(name)
}

const FORMATS: [(&str, Format); 5] = [
    ("mini-2007.dic", Format::Liwc),
    ("mini-2015.dic", Format::Liwc),
    ("mini.yml", Format::Yaml),
    ("mini.lc3", Format::Lexicoder),
    ("mini.cat", Format::Wordstat),
];

/// Each frame's id, label and case-folded expressions in each language.
type Shape = Vec<(String, String, BTreeSet<String>, BTreeSet<String>)>;

fn shape(lexicon: &Lexicon) -> Shape {
    let folded = |v: &[String]| v.iter().map(|e| e.to_lowercase()).collect();
    lexicon
        .frames
        .iter()
        .map(|f| (f.id.clone(), f.label.clone(), folded(&f.zh), folded(&f.en)))
        .collect()
}

/// Hits per frame in `text`.
fn counts(lexicon: &Lexicon, text: &str) -> BTreeMap<String, usize> {
    let Engine {
        analyzer, matcher, ..
    } = Engine::new(lexicon).expect("compiles");
    let tokens = analyzer.tokens(text);
    let mut counts = BTreeMap::new();
    for hit in matcher.find(&tokens) {
        *counts
            .entry(matcher.frame_ids()[hit.frame].clone())
            .or_default() += 1;
    }
    counts
}

const TEXT: &str = "The rule of law needs legal oversight. Public participation and \
    consultation with stakeholders reduce risks and harm. 坚持法治和监督，鼓励公众参与，\
    通过协商化解分歧，防范风险与危害。";

#[test]
fn every_format_reads_as_the_toml_and_counts_the_same() {
    let toml = Lexicon::load(&fixture("mini.toml"), None).unwrap();
    assert_eq!(toml.format, Format::Toml);
    let want = counts(&toml, TEXT);
    // Counted by hand: rule of law, legal, oversight, 法治, 监督; public participation,
    // consultation, stakeholders, 参与, 协商; risks, harm, oversight, 风险, 危害.
    let by_hand: BTreeMap<String, usize> = [
        ("governance/participation", 5),
        ("governance/rule_of_law", 5),
        ("risk", 5),
    ]
    .into_iter()
    .map(|(f, n)| (f.to_string(), n))
    .collect();
    assert_eq!(want, by_hand);
    for (name, format) in FORMATS {
        let lexicon = Lexicon::load(&fixture(name), None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(lexicon.format, format, "{name}");
        assert_eq!(shape(&lexicon), shape(&toml), "{name}");
        assert_eq!(counts(&lexicon, TEXT), want, "{name}");
        let named = Lexicon::load(&fixture(name), Some(format)).unwrap();
        assert_eq!(shape(&named), shape(&toml), "{name} with its format named");
    }
}

#[test]
fn a_run_with_a_dictionary_writes_the_tables_of_its_toml() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = root().join("corpora/sample");
    let runs: Vec<PathBuf> = ["mini.toml", "mini.cat", "mini-2015.dic"]
        .iter()
        .map(|name| {
            let out = dir.path().join(name);
            let lexicon = fixture(name);
            run_corpus_ok(&corpus, &out, &["--lexicon", lexicon.to_str().unwrap()]);
            out
        })
        .collect();
    for table in ["frames", "frame_rates", "unit_frames", "kwic", "audit"] {
        let want = Table::read(&runs[0], table).df;
        assert!(want.height() > 0, "{table} is empty");
        for run in &runs[1..] {
            let got = Table::read(run, table).df;
            assert!(got.equals_missing(&want), "{table} of {}", run.display());
        }
    }
    let manifest = std::fs::read_to_string(runs[1].join("run.json")).unwrap();
    assert!(manifest.contains("\"format\": \"wordstat\""), "{manifest}");
}

#[test]
fn convert_writes_toml_that_loads_as_the_dictionary() {
    let dir = tempfile::tempdir().unwrap();
    for (name, _) in FORMATS {
        let out = dir.path().join(format!("{name}.toml"));
        govlens_ok(&[
            "lexicon",
            "convert",
            fixture(name).to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        let converted = Lexicon::load(&out, None).unwrap_or_else(|e| panic!("{e}"));
        let original = Lexicon::load(&fixture(name), None).unwrap();
        assert_eq!(converted.frames, original.frames, "{name}");
    }
    let stdout = govlens_ok(&["lexicon", "convert", fixture("mini.lc3").to_str().unwrap()]);
    assert!(
        stdout.contains("id = \"governance/participation\""),
        "{stdout}"
    );
}

#[test]
fn a_bad_dictionary_is_refused_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "weights.cat",
            "RISK\n\tHARM* (1)\n\tRISK* (3)\n",
            "line 3",
            "weight (3)",
        ),
        (
            "cond.dic",
            "%\n1\tRisk\n%\nrisk*\t1\nkind\t<of>1/1\n",
            "line 5",
            "conditional",
        ),
        (
            "star.yml",
            "risk:\n  - risk*\n  - '*harm'\n",
            "line 3",
            "may only end a word",
        ),
        (
            "orphan.lc3",
            "risk*\n+Risk\n",
            "line 1",
            "before the first category",
        ),
        ("dictionary.txt", "+Risk\nrisk*\n", "", "--lexicon-format"),
    ];
    for (name, text, line, why) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let out = govlens(&["frames", "--lexicon", path.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name} was accepted");
        assert!(err.contains(&format!("{name}: {line}")), "{name}: {err}");
        assert!(err.contains(why), "{name}: {err}");
    }
    let path = dir.path().join("dictionary.txt");
    let listed = govlens_ok(&[
        "frames",
        "--lexicon",
        path.to_str().unwrap(),
        "--lexicon-format",
        "lexicoder",
    ]);
    assert!(listed.contains("risk"), "{listed}");
}

#[test]
fn the_pipeline_file_may_name_a_dictionary_and_its_format() {
    let dir = tempfile::tempdir().unwrap();
    let dictionary = dir.path().join("risk.txt");
    std::fs::write(&dictionary, "Risk\n\tRISK* (1)\n").unwrap();
    let pipeline = dir.path().join("p.toml");
    let corpus = root().join("corpora/sample");
    std::fs::write(
        &pipeline,
        format!(
            "corpus = {:?}\nout = {:?}\nlexicon = \"risk.txt\"\nlexicon_format = \"wordstat\"\n",
            corpus.display().to_string(),
            dir.path().join("out").display().to_string()
        ),
    )
    .unwrap();
    govlens_ok(&["run", pipeline.to_str().unwrap()]);
    let frames = Table::read(&dir.path().join("out"), "frames");
    assert!(frames.strs("frame").iter().all(|f| f == "risk"));
    assert!(Path::new(&dir.path().join("out/run.json")).is_file());
}
