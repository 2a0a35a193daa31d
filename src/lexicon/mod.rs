//! The frame lexicon: bilingual concepts matched on token sequences.
//!
//! A frame (rule of law, trustworthy AI, sovereignty ...) is data the researcher edits
//! in TOML: an id, a label, a description, and Chinese and English expressions.
//! The folder follows the life of an expression:
//!
//! - here, the file and its validation ([`Lexicon::load`]);
//! - [`compile`]: each expression cut into token parts by the same analyzer the
//!   documents go through, so an expression and a text are cut the same way;
//! - [`matcher`]: the compiled expressions found in a token stream, leftmost-longest,
//!   never across a clause boundary. Matching is on tokens, never on raw
//!   substrings: 依法治理 is 依法/治理 and holds no 法治;
//! - [`audit`]: the other side of that rule, every place an expression's characters
//!   occur but were not counted, and why. It is built from the matcher's
//!   expressions and does not belong to it.

pub mod audit;
pub mod compile;
pub mod import;
pub mod matcher;
pub mod names;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub use audit::{Audit, Auditor, Leak, Needle, Reason};
pub use import::Format;
pub use matcher::{Excluded, Hit, Matcher, Matches};

/// The lexicon shipped with govlens (also at `pipelines/frames.toml`).
pub const DEFAULT_LEXICON: &str = include_str!("../../pipelines/frames.toml");

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    /// Phrases that count for no frame.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    exclude: Vec<String>,
    #[serde(rename = "frame", default)]
    frames: Vec<Frame>,
    /// The lexicon's own decisions on names (`[names]`).
    #[serde(default, skip_serializing_if = "NameLists::is_empty")]
    names: NameLists,
}

/// Names the rule of [`names`] decides wrongly for a corpus: `count` lists names
/// whose frame words count though the rule finds a name there ("Responsible AI
/// Principles" written as a concept); `set_aside` lists names the rule misses (a
/// name written in lower case, a body without one of the Chinese endings), whose
/// frame words are set aside as a name's. Both are matched ignoring ASCII case,
/// with their words separated by single spaces; Chinese in Simplified script.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct NameLists {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub count: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set_aside: Vec<String>,
}

impl NameLists {
    pub fn is_empty(&self) -> bool {
        self.count.is_empty() && self.set_aside.is_empty()
    }
}

/// One concept with its expressions in both languages.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Frame {
    /// Identifier used in the tables: lower case, digits, underscores; `/` between
    /// the levels of an imported dictionary's categories (`economy/trade`).
    pub id: String,
    /// Human-readable name.
    pub label: String,
    /// What the frame captures and why these expressions.
    #[serde(default)]
    pub description: String,
    /// Chinese expressions (Simplified script): whole words or word sequences.
    #[serde(default)]
    pub zh: Vec<String>,
    /// English expressions: words or phrases, a trailing `*` for inflections.
    #[serde(default)]
    pub en: Vec<String>,
    /// Longer phrases, in either language, that contain an expression but do not
    /// count for this frame ("responsible for", 负责人): where one is the longest
    /// match, its words count for this frame nowhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
}

/// A validated lexicon and where it came from.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub frames: Vec<Frame>,
    /// Phrases that count for no frame ("research and development").
    pub exclude: Vec<String>,
    /// `builtin` or the file path.
    pub source: String,
    /// SHA-256 of the file's bytes, recorded in `run.json`.
    pub sha256: String,
    /// The file's format: govlens TOML, or a dictionary format read in.
    pub format: Format,
    /// Names to count, or to set aside, whatever the names rule finds.
    pub names: NameLists,
}

impl Lexicon {
    /// Reads and validates a lexicon file: govlens TOML, or a dictionary in one of
    /// the formats of [`Format`], named by `format` or else by the file's extension.
    pub fn load(path: &Path, format: Option<Format>) -> Result<Self> {
        let format = match format {
            Some(f) => f,
            None => Format::of_path(path)?,
        };
        let bytes = crate::limits::read_bounded(path, crate::limits::LEXICON_BYTES, "lexicon")?;
        let source = path.display().to_string();
        if format == Format::Toml {
            let text = String::from_utf8(bytes).map_err(|_| {
                Error::config(path, "not UTF-8 text (a govlens lexicon is UTF-8 TOML)")
            })?;
            return Self::parse(&text, source, path);
        }
        let file = import::read(&bytes, format, path)?;
        Self::validate(file, source, &bytes, format, path)
    }

    /// The lexicon at `path`, or the built-in one when there is none.
    pub fn load_or_builtin(path: Option<&Path>, format: Option<Format>) -> Result<Self> {
        match path {
            Some(p) => Self::load(p, format),
            None => Ok(Self::builtin()),
        }
    }

    /// The lexicon as govlens TOML, for `govlens lexicon convert`.
    pub fn to_toml(&self) -> String {
        let file = LexiconFile {
            exclude: self.exclude.clone(),
            frames: self.frames.clone(),
            names: self.names.clone(),
        };
        toml::to_string(&file).expect("a lexicon serialises as TOML")
    }

    /// The lexicon as govlens TOML with a first line saying where it was read
    /// from, for `govlens lexicon convert`.
    pub fn converted_toml(&self, from: &Path) -> String {
        format!(
            "# govlens lexicon converted from {} ({}) by govlens lexicon convert\n\n{}",
            from.display(),
            self.format.name(),
            self.to_toml()
        )
    }

    /// The built-in default lexicon.
    pub fn builtin() -> Self {
        Self::parse(
            DEFAULT_LEXICON,
            "builtin".into(),
            Path::new("pipelines/frames.toml"),
        )
        .expect("the built-in lexicon is valid (checked by a test)")
    }

    fn parse(text: &str, source: String, path: &Path) -> Result<Self> {
        let file: LexiconFile = toml::from_str(text).map_err(|e| Error::toml(path, text, &e))?;
        Self::validate(file, source, text.as_bytes(), Format::Toml, path)
    }

    /// Checks a lexicon read from `bytes` (in any format) against govlens' rules.
    fn validate(
        file: LexiconFile,
        source: String,
        bytes: &[u8],
        format: Format,
        path: &Path,
    ) -> Result<Self> {
        let err = |m: String| Error::config(PathBuf::from(path), m);
        if file.frames.is_empty() {
            return Err(err("no [[frame]] entries".into()));
        }
        let mut seen = HashMap::new();
        for (i, f) in file.frames.iter().enumerate() {
            if !valid_id(&f.id) {
                return Err(err(format!(
                    "frame #{}: id {:?} must be lower-case ASCII letters, digits or _ \
                     (levels of a category separated by /)",
                    i + 1,
                    f.id
                )));
            }
            if let Some(prev) = seen.insert(f.id.as_str(), i) {
                return Err(err(format!(
                    "frame id {:?} is used twice (frames #{} and #{})",
                    f.id,
                    prev + 1,
                    i + 1
                )));
            }
            if f.zh.is_empty() && f.en.is_empty() {
                return Err(err(format!("frame {:?} has no zh or en expressions", f.id)));
            }
            for e in f.zh.iter().chain(&f.en).chain(&f.exclude) {
                if e.trim().is_empty() {
                    return Err(err(format!("frame {:?}: empty expression", f.id)));
                }
            }
            let expressions: std::collections::HashSet<&String> =
                f.zh.iter().chain(&f.en).collect();
            if let Some(e) = f.exclude.iter().find(|e| expressions.contains(e)) {
                return Err(err(format!(
                    "frame {:?}: {e:?} is both an expression and an exclusion",
                    f.id
                )));
            }
            let exprs = f.zh.iter().map(|e| ("zh", e));
            for (lang, e) in exprs.chain(f.en.iter().map(|e| ("en", e))) {
                if let Err(why) = check_wildcards(lang, e) {
                    return Err(err(format!(
                        "frame {:?}: {lang} expression {e:?}: {why}",
                        f.id
                    )));
                }
            }
        }
        if file.exclude.iter().any(|e| e.trim().is_empty()) {
            return Err(err("exclude: empty expression".into()));
        }
        for (list, names) in [
            ("count", &file.names.count),
            ("set_aside", &file.names.set_aside),
        ] {
            if let Some(n) = names.iter().find(|n| n.trim().is_empty()) {
                return Err(err(format!("names.{list}: empty name {n:?}")));
            }
        }
        if let Some(n) = file.names.count.iter().find(|n| {
            file.names
                .set_aside
                .iter()
                .any(|s| s.eq_ignore_ascii_case(n))
        }) {
            return Err(err(format!(
                "names: {n:?} is listed both to count and to set aside"
            )));
        }
        Ok(Lexicon {
            frames: file.frames,
            exclude: file.exclude,
            source,
            sha256: crate::digest::hex_sha256(bytes),
            format,
            names: file.names,
        })
    }

    /// The Chinese expressions and exclusions that are one run of Han characters:
    /// the words the segmenter's dictionary must know. (An expression with spaces or Latin
    /// letters is matched as a token sequence instead.)
    pub fn chinese_words(&self) -> Vec<String> {
        let exclusions = self.frames.iter().flat_map(|f| &f.exclude);
        self.frames
            .iter()
            .flat_map(|f| &f.zh)
            .chain(exclusions.chain(&self.exclude))
            .map(|e| e.trim())
            .filter(|e| e.chars().all(crate::analyze::script::is_han))
            .map(str::to_string)
            .collect()
    }
}

/// A frame id: one or more `/`-separated levels of lower-case ASCII letters, digits
/// and underscores.
fn valid_id(id: &str) -> bool {
    id.split('/').all(|level| {
        !level.is_empty()
            && level
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    })
}

/// Where an expression of language `lang` may have a `*`: nowhere in Chinese, and in
/// English only at the end of a word.
fn check_wildcards(lang: &str, expression: &str) -> std::result::Result<(), &'static str> {
    if lang == "zh" && expression.contains('*') {
        return Err("wildcards are for English only (a Chinese prefix would count substrings)");
    }
    let misplaced = |w: &str| w.trim_end_matches('*').contains('*') || w == "*";
    if expression.split_whitespace().any(misplaced) {
        return Err("`*` may only end a word, as in trustworth*");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::Analyzer;
    use std::sync::LazyLock;

    const TEST_LEXICON: &str = r#"
exclude = ["research and development", "科研发展"]

[[frame]]
id = "rule_of_law"
label = "Rule of law"
zh = ["法治"]
en = ["rule of law"]

[[frame]]
id = "good_governance"
label = "Good governance"
zh = ["善治"]
en = ["good governance"]

[[frame]]
id = "cooperative_governance"
label = "Cooperative governance"
zh = ["合治"]
en = ["cooperative governance", "multi-stakeholder*"]

[[frame]]
id = "trustworthy"
label = "Trustworthy"
zh = ["可信", "可信赖"]
en = ["trustworth*", "trustworthy ai"]

[[frame]]
id = "law"
label = "Law alone, to test longest match"
en = ["law"]

[[frame]]
id = "human_centred"
label = "Human-centred"
en = ["human-centred"]

[[frame]]
id = "responsible"
label = "Responsible"
zh = ["负责任"]
en = ["responsible"]
exclude = ["responsible for", "负责任人"]

[[frame]]
id = "responsible_duty"
label = "Shares a word with an exclusion of another frame"
en = ["responsible for"]

[[frame]]
id = "development"
label = "Development"
zh = ["发展"]
en = ["development"]
"#;

    static SETUP: LazyLock<(Lexicon, Analyzer, Matcher)> = LazyLock::new(|| {
        let lex = Lexicon::parse(TEST_LEXICON, "test".into(), Path::new("test.toml")).unwrap();
        let analyzer = Analyzer::new(&lex.chinese_words());
        let matcher = Matcher::new(&lex, &analyzer).unwrap();
        (lex, analyzer, matcher)
    });

    /// (frame, matched text, pattern) for every hit in `text`.
    fn hits(text: &str) -> Vec<(String, String, String)> {
        let (_, analyzer, matcher) = &*SETUP;
        let tokens = analyzer.tokens(text);
        matcher
            .find(&tokens)
            .into_iter()
            .map(|h| {
                (
                    matcher.frame_ids()[h.frame].clone(),
                    crate::analyze::join_terms(&tokens[h.first..h.first + h.len]),
                    h.pattern.to_string(),
                )
            })
            .collect()
    }

    fn frames_of(text: &str) -> Vec<String> {
        hits(text).into_iter().map(|h| h.0).collect()
    }

    #[test]
    fn matching_cases() {
        let cases: &[(&str, &str, &[&str])] = &[
            ("chinese word", "坚持法治原则", &["rule_of_law"]),
            ("依法治理 holds no 法治", "推进依法治理", &[]),
            ("改善治理 holds no 善治", "改善治理能力", &[]),
            ("综合治理 holds no 合治", "开展综合治理", &[]),
            ("混合治理 holds no 合治", "混合治理对象", &[]),
            (
                "善治 and 合治 as words",
                "推动善治与合治",
                &["good_governance", "cooperative_governance"],
            ),
            ("phrase", "the rule of law applies", &["rule_of_law"]),
            ("phrase, any case", "The Rule Of Law", &["rule_of_law"]),
            (
                "longest wins over law",
                "rule of law and law",
                &["rule_of_law", "law"],
            ),
            (
                "phrase across a line break",
                "good\ngovernance",
                &["good_governance"],
            ),
            ("not across a full stop", "good. Governance", &[]),
            ("not across a comma", "good, governance", &[]),
            ("not across a blank line", "good\n\ngovernance", &[]),
            ("not across Chinese punctuation", "rule of，law", &["law"]),
            (
                "wildcard inflections",
                "trustworthy, trustworthiness",
                &["trustworthy", "trustworthy"],
            ),
            ("wildcard needs the prefix", "trust and trusted", &[]),
            (
                "longer phrase wins within a frame",
                "trustworthy AI",
                &["trustworthy"],
            ),
            (
                "hyphen variants",
                "human-centred and human centred",
                &["human_centred", "human_centred"],
            ),
            (
                "wildcard after a hyphenated prefix",
                "multi-stakeholders",
                &["cooperative_governance"],
            ),
            (
                "full-width text",
                "ＴＲＵＳＴＷＯＲＴＨＹ",
                &["trustworthy"],
            ),
            ("chinese 可信赖 whole", "可信赖的系统", &["trustworthy"]),
            (
                "word sense: the frame's sense",
                "responsible AI",
                &["responsible"],
            ),
            (
                "word sense: an exclusion of the frame wins",
                "the authority responsible for surveillance",
                &["responsible_duty"],
            ),
            ("a global exclusion wins", "research and development", &[]),
            (
                "outside it the word counts",
                "sustainable development",
                &["development"],
            ),
            ("a Chinese exclusion", "科研发展", &[]),
            (
                "a global exclusion across a comma",
                "research, and development",
                &["development"],
            ),
        ];
        for (name, text, want) in cases {
            assert_eq!(frames_of(text), *want, "{name}: {text}");
        }
    }

    #[test]
    fn hits_report_term_and_pattern() {
        assert_eq!(
            hits("Trustworthiness matters; TRUSTWORTHY AI too"),
            vec![
                (
                    "trustworthy".into(),
                    "trustworthiness".into(),
                    "trustworth*".into()
                ),
                (
                    "trustworthy".into(),
                    "trustworthy ai".into(),
                    "trustworthy ai".into()
                ),
            ]
        );
        assert_eq!(
            hits("坚持法治"),
            vec![("rule_of_law".into(), "法治".into(), "法治".into())]
        );
    }

    #[test]
    fn builtin_lexicon_is_valid_and_has_the_core_frames() {
        let lex = Lexicon::builtin();
        let ids: Vec<&str> = lex.frames.iter().map(|f| f.id.as_str()).collect();
        for want in [
            "good_governance",
            "cooperative_governance",
            "rule_of_law",
            "sovereignty",
            "trustworthy",
            "human_centred",
            "safety_security",
            "ethics",
        ] {
            assert!(ids.contains(&want), "{want} missing");
        }
        for f in &lex.frames {
            assert!(!f.description.is_empty(), "{} lacks a description", f.id);
        }
        let analyzer = Analyzer::new(&lex.chinese_words());
        Matcher::new(&lex, &analyzer).expect("compiles");
    }

    #[test]
    fn invalid_lexicons_are_rejected_with_a_reason() {
        let cases = [
            ("malformed toml", "[[frame]\nid=", "expected"),
            (
                "unknown key",
                "[[frame]]\nid='a'\nlabel='A'\nen=['x']\nzn=['y']",
                "unknown field",
            ),
            ("no frames", "", "no [[frame]]"),
            (
                "bad id",
                "[[frame]]\nid='Rule Of Law'\nlabel='A'\nen=['x']",
                "lower-case",
            ),
            (
                "duplicate id",
                "[[frame]]\nid='a'\nlabel='A'\nen=['x']\n[[frame]]\nid='a'\nlabel='B'\nen=['y']",
                "used twice",
            ),
            (
                "no expressions",
                "[[frame]]\nid='a'\nlabel='A'",
                "no zh or en",
            ),
            (
                "chinese wildcard",
                "[[frame]]\nid='a'\nlabel='A'\nzh=['法*']",
                "English only",
            ),
            (
                "star inside a word",
                "[[frame]]\nid='a'\nlabel='A'\nen=['tr*st']",
                "may only end",
            ),
            (
                "empty expression",
                "[[frame]]\nid='a'\nlabel='A'\nen=['  ']",
                "empty expression",
            ),
            (
                "empty exclusion",
                "[[frame]]\nid='a'\nlabel='A'\nen=['x']\nexclude=['']",
                "empty expression",
            ),
            (
                "an exclusion that is an expression",
                "[[frame]]\nid='a'\nlabel='A'\nen=['x y']\nexclude=['x y']",
                "both an expression and an exclusion",
            ),
            (
                "empty global exclusion",
                "exclude=[' ']\n[[frame]]\nid='a'\nlabel='A'\nen=['x']",
                "exclude: empty",
            ),
        ];
        for (name, text, want) in cases {
            let err = Lexicon::parse(text, "t".into(), Path::new("bad.toml"))
                .expect_err(name)
                .to_string();
            assert!(err.starts_with("bad.toml"), "{name}: {err}");
            assert!(err.contains(want), "{name}: {err}");
        }
    }

    #[test]
    fn expressions_the_matcher_cannot_read_are_rejected() {
        let cases = [
            ("Chinese prefix in the en list", "法*", "English only"),
            ("punctuation inside", "rule, of law", "punctuation"),
        ];
        for (name, expr, want) in cases {
            let text = format!("[[frame]]\nid='a'\nlabel='A'\nen=['{expr}']");
            let lex = Lexicon::parse(&text, "t".into(), Path::new("p.toml")).unwrap();
            let analyzer = Analyzer::new(&lex.chinese_words());
            let err = Matcher::new(&lex, &analyzer).err().expect(name).to_string();
            assert!(err.contains(want), "{name}: {err}");
        }
    }
}
