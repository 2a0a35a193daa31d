//! The frame lexicon: bilingual concepts matched on token sequences.
//!
//! A frame (rule of law, trustworthy AI, sovereignty ...) is data the researcher edits
//! in TOML: an id, a label, a description, and Chinese and English expressions.
//! [`Lexicon::load`] validates the file; [`Matcher::new`] compiles the expressions with
//! the same analyzer the documents go through, so an expression and a text are cut
//! into tokens the same way. Matching is on tokens, never on raw substrings:
//! 依法治理 is 依法/治理 and holds no 法治. An English word ending in `*` matches any
//! token starting with it (`trustworth*`). Expressions match leftmost-longest and do
//! not overlap; a phrase never spans a clause boundary.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::analyze::{Analyzer, Token};
use crate::error::{Error, Result};

/// The lexicon shipped with govlens (also at `pipelines/frames.toml`).
pub const DEFAULT_LEXICON: &str = include_str!("../pipelines/frames.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    #[serde(rename = "frame", default)]
    frames: Vec<Frame>,
}

/// One concept with its expressions in both languages.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Frame {
    /// Identifier used in the tables: lower case, digits, underscores.
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
}

/// A validated lexicon and where it came from.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub frames: Vec<Frame>,
    /// `builtin` or the file path.
    pub source: String,
    /// SHA-256 of the TOML text, recorded in `run.json`.
    pub sha256: String,
}

impl Lexicon {
    /// Reads and validates a lexicon file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::parse(&text, path.display().to_string(), path)
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
        let err = |m: String| Error::config(PathBuf::from(path), m);
        if file.frames.is_empty() {
            return Err(err("no [[frame]] entries".into()));
        }
        let mut seen = HashMap::new();
        for (i, f) in file.frames.iter().enumerate() {
            let valid_id = !f.id.is_empty()
                && f.id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !valid_id {
                return Err(err(format!(
                    "frame #{}: id {:?} must be non-empty lower-case ASCII letters, digits or _",
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
            for e in f.zh.iter().chain(&f.en) {
                if e.trim().is_empty() {
                    return Err(err(format!("frame {:?}: empty expression", f.id)));
                }
            }
            for e in &f.zh {
                if e.contains('*') {
                    return Err(err(format!(
                        "frame {:?}: zh expression {e:?}: wildcards are for English only \
                         (a Chinese prefix would count substrings)",
                        f.id
                    )));
                }
            }
            for e in &f.en {
                if e.split_whitespace()
                    .any(|w| w.trim_end_matches('*').contains('*') || w == "*")
                {
                    return Err(err(format!(
                        "frame {:?}: en expression {e:?}: `*` may only end a word, as in trustworth*",
                        f.id
                    )));
                }
            }
        }
        Ok(Lexicon {
            frames: file.frames,
            source,
            sha256: hex_sha256(text.as_bytes()),
        })
    }

    /// The Chinese expressions that are one run of Han characters: the words the
    /// segmenter's dictionary must know. (An expression with spaces or Latin
    /// letters is matched as a token sequence instead.)
    pub fn chinese_words(&self) -> Vec<String> {
        self.frames
            .iter()
            .flat_map(|f| &f.zh)
            .map(|e| e.trim())
            .filter(|e| e.chars().all(crate::analyze::script::is_han))
            .map(str::to_string)
            .collect()
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One token of a compiled expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Part {
    Exact(String),
    Prefix(String),
}

impl Part {
    fn matches(&self, term: &str) -> bool {
        match self {
            Part::Exact(w) => term == w,
            Part::Prefix(p) => term.starts_with(p.as_str()),
        }
    }
}

/// A distinct token sequence and the frames whose expressions compile to it.
#[derive(Debug)]
struct Pattern {
    parts: Vec<Part>,
    /// (frame index, the expression as written in that frame)
    owners: Vec<(usize, std::sync::Arc<str>)>,
}

/// One frame hit in a token stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index of the first token of the match.
    pub first: usize,
    /// Number of tokens matched.
    pub len: usize,
    /// Index of the frame in [`Lexicon::frames`].
    pub frame: usize,
    /// The lexicon expression that matched, as written (e.g. `trustworth*`);
    /// shared with the matcher, so a hit does not allocate it.
    pub pattern: std::sync::Arc<str>,
}

/// The compiled lexicon: finds frame hits in token streams.
pub struct Matcher {
    auditor: crate::audit::Auditor,
    patterns: Vec<Pattern>,
    by_exact_first: rustc_hash::FxHashMap<String, Vec<usize>>,
    by_prefix_first: Vec<(String, usize)>,
    /// First bytes of the prefix patterns: a token starting otherwise matches none.
    prefix_first_bytes: [bool; 256],
    /// (first byte, length up to 63) of the exact first words, as bits: most
    /// tokens are ruled out without hashing them.
    exact_first_shapes: [u64; 256],
    frame_ids: Vec<String>,
}

impl Matcher {
    /// Compiles every expression of `lexicon` with `analyzer`.
    pub fn new(lexicon: &Lexicon, analyzer: &Analyzer) -> Result<Self> {
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut index: HashMap<Vec<Part>, usize> = HashMap::new();
        for (fi, frame) in lexicon.frames.iter().enumerate() {
            for expr in frame.zh.iter().chain(&frame.en) {
                let parts = compile(expr, analyzer).map_err(|m| {
                    Error::config(
                        &lexicon.source,
                        format!("frame {:?}: expression {expr:?}: {m}", frame.id),
                    )
                })?;
                let pi = *index.entry(parts.clone()).or_insert_with(|| {
                    patterns.push(Pattern {
                        parts,
                        owners: Vec::new(),
                    });
                    patterns.len() - 1
                });
                if !patterns[pi].owners.iter().any(|(f, _)| *f == fi) {
                    patterns[pi].owners.push((fi, expr.as_str().into()));
                }
            }
        }
        let mut by_exact_first: rustc_hash::FxHashMap<String, Vec<usize>> = Default::default();
        let mut by_prefix_first = Vec::new();
        for (pi, p) in patterns.iter().enumerate() {
            match &p.parts[0] {
                Part::Exact(w) => by_exact_first.entry(w.clone()).or_default().push(pi),
                Part::Prefix(w) => by_prefix_first.push((w.clone(), pi)),
            }
        }
        let needles = patterns
            .iter()
            .flat_map(|p| {
                let mut surface = String::new();
                for (i, part) in p.parts.iter().enumerate() {
                    let (Part::Exact(w) | Part::Prefix(w)) = part;
                    let han =
                        |w: &str| w.chars().next().is_some_and(crate::analyze::script::is_han);
                    if i > 0 {
                        let (Part::Exact(prev) | Part::Prefix(prev)) = &p.parts[i - 1];
                        if !(han(prev) && han(w)) {
                            surface.push(' ');
                        }
                    }
                    surface.push_str(w);
                }
                p.owners
                    .iter()
                    .map(move |(frame, expression)| crate::audit::Needle {
                        frame: *frame,
                        expression: expression.to_string(),
                        surface: surface.clone(),
                    })
            })
            .collect();
        let mut prefix_first_bytes = [false; 256];
        for (prefix, _) in &by_prefix_first {
            if let Some(&b) = prefix.as_bytes().first() {
                prefix_first_bytes[b as usize] = true;
            }
        }
        let mut exact_first_shapes = [0u64; 256];
        for word in by_exact_first.keys() {
            if let Some(&b) = word.as_bytes().first() {
                exact_first_shapes[b as usize] |= shape_bit(word.len());
            }
        }
        Ok(Matcher {
            exact_first_shapes,
            prefix_first_bytes,
            auditor: crate::audit::Auditor::new(needles),
            patterns,
            by_exact_first,
            by_prefix_first,
            frame_ids: lexicon.frames.iter().map(|f| f.id.clone()).collect(),
        })
    }

    /// The search for occurrences the counts leave out.
    pub fn auditor(&self) -> &crate::audit::Auditor {
        &self.auditor
    }

    /// Frame ids in lexicon order (the indices of [`Hit::frame`]).
    pub fn frame_ids(&self) -> &[String] {
        &self.frame_ids
    }

    /// All frame hits in `tokens`, in text order.
    ///
    /// At each position the longest matching expression wins and the scan resumes
    /// after it. When expressions of several frames match with that length, each of
    /// those frames gets one hit (a frame's first-listed expression names it).
    pub fn find(&self, tokens: &[Token<'_>]) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut i = 0;
        // Buffers reused at every position.
        let (mut candidates, mut best, mut frames_done): (Vec<usize>, Vec<usize>, Vec<usize>) =
            Default::default();
        while i < tokens.len() {
            candidates.clear();
            let term = tokens[i].term.as_bytes();
            let Some(&first) = term.first() else {
                i += 1;
                continue;
            };
            if self.exact_first_shapes[first as usize] & shape_bit(term.len()) != 0
                && let Some(list) = self.by_exact_first.get(tokens[i].term.as_ref())
            {
                candidates.extend(list);
            }
            if term
                .first()
                .is_some_and(|&b| self.prefix_first_bytes[b as usize])
            {
                for (prefix, pi) in &self.by_prefix_first {
                    if term.starts_with(prefix.as_bytes()) {
                        candidates.push(*pi);
                    }
                }
            }
            let mut best_len = 0;
            best.clear();
            for &pi in &candidates {
                let len = self.patterns[pi].parts.len();
                if len < best_len || !self.matches_at(pi, tokens, i) {
                    continue;
                }
                if len > best_len {
                    best_len = len;
                    best.clear();
                }
                best.push(pi);
            }
            if best_len == 0 {
                i += 1;
                continue;
            }
            // Lexicon order, so the expression reported for a frame is its first listed.
            best.sort_unstable();
            frames_done.clear();
            for &pi in &best {
                for (fi, expr) in &self.patterns[pi].owners {
                    if !frames_done.contains(fi) {
                        frames_done.push(*fi);
                        hits.push(Hit {
                            first: i,
                            len: best_len,
                            frame: *fi,
                            pattern: expr.clone(),
                        });
                    }
                }
            }
            i += best_len;
        }
        hits
    }

    fn matches_at(&self, pi: usize, tokens: &[Token<'_>], i: usize) -> bool {
        let parts = &self.patterns[pi].parts;
        let Some(window) = tokens.get(i..i + parts.len()) else {
            return false;
        };
        let clause = window[0].clause;
        window
            .iter()
            .zip(parts)
            .all(|(t, p)| t.clause == clause && p.matches(&t.term))
    }
}

/// The bit for a word of `len` bytes in a shape mask (63 stands for 63 and more).
fn shape_bit(len: usize) -> u64 {
    1 << len.min(63)
}

/// Cuts an expression into parts with the documents' analyzer. A `*` ends the
/// word before it and makes that word a prefix.
fn compile(expr: &str, analyzer: &Analyzer) -> std::result::Result<Vec<Part>, String> {
    let mut body = String::with_capacity(expr.len());
    let mut star_at = Vec::new();
    for c in expr.chars() {
        if c == '*' {
            star_at.push(body.len());
            // The star stands for the rest of a word: what follows is a new word.
            body.push(' ');
        } else {
            body.push(c);
        }
    }
    let tokens = analyzer.tokens(&body);
    if tokens.is_empty() {
        return Err("has no word in it".into());
    }
    if tokens.iter().any(|t| t.clause != tokens[0].clause) {
        return Err("contains punctuation that would split it".into());
    }
    if let Some(pos) = star_at
        .iter()
        .find(|&&p| !tokens.iter().any(|t| t.end == p))
    {
        return Err(format!("`*` at byte {pos} does not end a word"));
    }
    if tokens
        .iter()
        .any(|t| t.script == crate::analyze::Script::Han && star_at.contains(&t.end))
    {
        return Err(
            "wildcards are for English only (a Chinese prefix would count substrings)".into(),
        );
    }
    Ok(tokens
        .into_iter()
        .map(|t| {
            let term = t.term.into_owned();
            if star_at.contains(&t.end) {
                Part::Prefix(term)
            } else {
                Part::Exact(term)
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    const TEST_LEXICON: &str = r#"
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
                    crate::stats::counts::join_terms(&tokens[h.first..h.first + h.len]),
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
