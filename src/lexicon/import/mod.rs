//! Dictionaries researchers already have, read as lexicons.
//!
//! Each reader turns its format into [`Category`]s: a path of names (nesting in the
//! file, or `/` inside a name in the flat formats), the line it was declared on, and
//! its entries with their lines. One function, [`to_lexicon`], then applies the same
//! rules to every format:
//!
//! - a category with entries of its own becomes a frame; its id is the path, each
//!   level slugged (`Economy / Free Trade` → `economy/free_trade`), its label the
//!   names as written (`Economy / Free Trade`);
//! - an entry with a Han character is a `zh` expression (in Simplified script, as the
//!   documents are matched), any other an `en` expression;
//! - wildcards follow govlens' rules (a `*` ends an English word; none in Chinese),
//!   and an entry listed twice in a category counts once. Entries are lower-cased
//!   (matching ignores case; WordStat writes its entries in capitals).
//!
//! What govlens cannot honour is an error naming the line, never a silent change:
//! LIWC's conditional entries, WordStat weights other than 1, leading or inner
//! wildcards, and categories left without entries.

mod lexicoder;
mod liwc;
mod wordstat;
mod yaml;

use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Frame, LexiconFile, check_wildcards};
use crate::analyze::script::is_han;
use crate::analyze::traditional::TraditionalConverter;
use crate::error::{Error, Result};
use crate::limits;

/// The file formats a lexicon is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// govlens' own TOML (`pipelines/frames.toml`).
    Toml,
    /// LIWC `.dic`, 2007 and 2015 styles.
    Liwc,
    /// quanteda's YAML dictionaries (`.yml`, `.yaml`).
    Yaml,
    /// Lexicoder `.lc3`.
    Lexicoder,
    /// WordStat `.cat`.
    Wordstat,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Toml,
        Format::Liwc,
        Format::Yaml,
        Format::Lexicoder,
        Format::Wordstat,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Toml => "toml",
            Format::Liwc => "liwc",
            Format::Yaml => "yaml",
            Format::Lexicoder => "lexicoder",
            Format::Wordstat => "wordstat",
        }
    }

    /// The format a file's extension names.
    pub fn of_path(path: &Path) -> Result<Format> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("toml") => Ok(Format::Toml),
            Some("dic") => Ok(Format::Liwc),
            Some("yml" | "yaml") => Ok(Format::Yaml),
            Some("lc3") => Ok(Format::Lexicoder),
            Some("cat") => Ok(Format::Wordstat),
            _ => Err(Error::config(
                path,
                "unknown lexicon format: name it with --lexicon-format (toml, liwc, yaml, \
                 lexicoder, wordstat) or use the extension .toml, .dic, .yml/.yaml, .lc3 or .cat",
            )),
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!("unknown lexicon format {s:?}: toml, liwc, yaml, lexicoder or wordstat")
            })
    }
}

/// One category of a dictionary, as its reader found it.
#[derive(Debug, Clone, PartialEq)]
struct Category {
    /// The names from the top level down, as written.
    path: Vec<String>,
    /// Where the category is declared (1-based).
    line: usize,
    /// A fallback id level for a name that slugs to nothing (LIWC's number).
    key: Option<String>,
    /// Entries and their lines.
    entries: Vec<(String, usize)>,
}

impl Category {
    fn new(path: Vec<String>, line: usize) -> Self {
        Category {
            path,
            line,
            key: None,
            entries: Vec::new(),
        }
    }
}

/// A reader's complaint: the line and what is wrong there.
type LineError = (usize, String);

/// Reads the dictionary in `bytes` as a lexicon file.
pub(super) fn read(bytes: &[u8], format: Format, path: &Path) -> Result<LexiconFile> {
    use crate::corpus::decode::DecodeError;
    let text = crate::corpus::decode::decode(bytes, None)
        .map_err(|e| {
            let why = match e {
                DecodeError::Binary(why) | DecodeError::Malformed(why) => why,
            };
            Error::config(
                path,
                format!("cannot read as a {} dictionary: {why}", format.name()),
            )
        })?
        .text;
    let categories = match format {
        Format::Liwc => liwc::read(&text),
        Format::Yaml => yaml::read(&text),
        Format::Lexicoder => lexicoder::read(&text),
        Format::Wordstat => wordstat::read(&text),
        Format::Toml => unreachable!("TOML is parsed by Lexicon::parse"),
    };
    let at = |(line, message): LineError| Error::Dictionary {
        path: path.to_path_buf(),
        line,
        message,
    };
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    to_lexicon(categories.map_err(at)?, format, &name).map_err(at)
}

/// The shared rules: categories with entries become frames, entries expressions.
fn to_lexicon(
    categories: Vec<Category>,
    format: Format,
    file: &str,
) -> std::result::Result<LexiconFile, LineError> {
    check_repeated(&categories)?;
    // Every path that is above another category (a parent, declared or not).
    let mut parents: FxHashSet<&[String]> = FxHashSet::default();
    for c in &categories {
        for n in 1..c.path.len() {
            parents.insert(&c.path[..n]);
        }
    }
    let has_children = |c: &Category| parents.contains(c.path.as_slice());
    let converter = categories
        .iter()
        .flat_map(|c| &c.entries)
        .any(|(e, _)| e.chars().any(is_han))
        .then(TraditionalConverter::new);
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut frames = Vec::new();
    for (n, c) in categories.iter().enumerate() {
        if c.entries.is_empty() {
            if has_children(c) {
                continue;
            }
            return Err((
                c.line,
                format!(
                    "category {:?} has no entries (give it some, or delete it)",
                    c.path.join("/")
                ),
            ));
        }
        let id = frame_id(c, n);
        if let Some(first) = ids.insert(id.clone(), c.line) {
            return Err((
                c.line,
                format!("category id {id:?} is also the id of the category on line {first}"),
            ));
        }
        let mut frame = Frame {
            id,
            label: c.path.join(" / "),
            description: format!(
                "Imported from {file} ({}), category on line {}.",
                format.name(),
                c.line
            ),
            zh: Vec::new(),
            en: Vec::new(),
            exclude: Vec::new(),
        };
        for (entry, line) in &c.entries {
            add_entry(&mut frame, entry, *line, converter.as_ref())?;
        }
        dedupe(&mut frame.zh);
        dedupe(&mut frame.en);
        frames.push(frame);
    }
    if frames.is_empty() {
        return Err((1, "no categories with entries".into()));
    }
    Ok(LexiconFile {
        exclude: Vec::new(),
        frames,
        names: Default::default(),
    })
}

/// A category declared twice is an error naming both lines: its two lists would
/// silently become one frame.
fn check_repeated(categories: &[Category]) -> std::result::Result<(), LineError> {
    let mut first: FxHashMap<&[String], usize> = FxHashMap::default();
    for c in categories {
        if let Some(line) = first.insert(&c.path, c.line) {
            return Err((
                c.line,
                format!(
                    "category {:?} is also declared on line {line}: give each category once",
                    c.path.join("/")
                ),
            ));
        }
    }
    Ok(())
}

/// Refuses an entry longer than [`limits::ENTRY_BYTES`].
fn check_entry(entry: &str, line: usize) -> std::result::Result<(), LineError> {
    if entry.len() > limits::ENTRY_BYTES {
        return Err((
            line,
            format!(
                "entry {} of {} bytes: above the limit of {} for an entry",
                shorten(entry),
                entry.len(),
                limits::ENTRY_BYTES
            ),
        ));
    }
    Ok(())
}

/// Refuses a dictionary whose entries, counted so far, pass
/// [`limits::DICTIONARY_ENTRIES`].
fn check_entries(entries: usize, line: usize) -> std::result::Result<(), LineError> {
    if entries > limits::DICTIONARY_ENTRIES {
        return Err((
            line,
            format!(
                "more than {} entries: above the limit for a dictionary",
                limits::DICTIONARY_ENTRIES
            ),
        ));
    }
    Ok(())
}

/// Refuses nesting deeper than [`limits::DICTIONARY_DEPTH`] levels, before a
/// reader builds a path that deep.
fn check_depth(levels: usize, line: usize) -> std::result::Result<(), LineError> {
    if levels > limits::DICTIONARY_DEPTH {
        return Err((
            line,
            format!(
                "categories nested more than {} levels deep: above the limit for a dictionary",
                limits::DICTIONARY_DEPTH
            ),
        ));
    }
    Ok(())
}

/// What a reader has taken in so far, checked against the limits as it reads:
/// every category's path is bounded before a child copies it, so no file makes
/// a reader's memory grow faster than the file.
#[derive(Default)]
struct Budget {
    categories: usize,
    entries: usize,
}

impl Budget {
    /// A category about to be kept, with its whole path.
    fn category(&mut self, path: &[String], line: usize) -> std::result::Result<(), LineError> {
        check_depth(path.len(), line)?;
        if let Some(long) = path.iter().find(|n| n.len() > limits::NAME_BYTES) {
            return Err((
                line,
                format!(
                    "category name {} of {} bytes: above the limit of {} for a name",
                    shorten(long),
                    long.len(),
                    limits::NAME_BYTES
                ),
            ));
        }
        let bytes: usize = path.iter().map(String::len).sum();
        if bytes > limits::PATH_BYTES {
            return Err((
                line,
                format!(
                    "category path of {bytes} bytes: above the limit of {} for a path",
                    limits::PATH_BYTES
                ),
            ));
        }
        self.categories += 1;
        if self.categories > limits::DICTIONARY_CATEGORIES {
            return Err((
                line,
                format!(
                    "more than {} categories: above the limit for a dictionary",
                    limits::DICTIONARY_CATEGORIES
                ),
            ));
        }
        Ok(())
    }

    /// An entry about to be kept (once for each category it is kept in).
    fn entry(&mut self, entry: &str, line: usize) -> std::result::Result<(), LineError> {
        check_entry(entry, line)?;
        self.entries += 1;
        check_entries(self.entries, line)
    }
}

/// At most 60 characters of `s`, quoted, for a message.
fn shorten(s: &str) -> String {
    if s.chars().count() <= 60 {
        return format!("{s:?}");
    }
    let head: String = s.chars().take(60).collect();
    format!("{head:?}…")
}

/// The frame id of a category: each level slugged, joined by `/`.
fn frame_id(c: &Category, n: usize) -> String {
    let last = c.path.len().saturating_sub(1);
    let levels: Vec<String> = c
        .path
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let slug = slug(name);
            match (slug.is_empty(), &c.key) {
                (false, _) => slug,
                (true, Some(key)) if i == last => format!("cat_{}", slug_or(key, n)),
                (true, _) => format!("cat_{}", n + 1),
            }
        })
        .collect();
    levels.join("/")
}

fn slug_or(key: &str, n: usize) -> String {
    let s = slug(key);
    if s.is_empty() { (n + 1).to_string() } else { s }
}

/// Lower-case ASCII letters and digits, every other run of characters one `_`.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// Adds one entry to the frame in its language ([`dedupe`] keeps it once).
fn add_entry(
    frame: &mut Frame,
    entry: &str,
    line: usize,
    converter: Option<&TraditionalConverter>,
) -> std::result::Result<(), LineError> {
    let mut text = normalise_entry(entry);
    while text.ends_with("**") {
        text.pop();
    }
    if text.is_empty() {
        return Err((line, "empty entry".into()));
    }
    let han = text.chars().any(is_han);
    if han && let Some(conv) = converter {
        text = conv.convert(&text).text;
    }
    let lang = if han { "zh" } else { "en" };
    if text.contains('*') {
        check_wildcards(lang, &text).map_err(|why| (line, format!("entry {text:?}: {why}")))?;
    }
    if text.contains('?') {
        return Err((
            line,
            format!("entry {text:?}: `?` wildcards are not supported (use a trailing `*`)"),
        ));
    }
    let list = if han { &mut frame.zh } else { &mut frame.en };
    list.push(text);
    Ok(())
}

/// Keeps the first of each entry listed twice, by hashing (linear in the entries).
fn dedupe(list: &mut Vec<String>) {
    let keep: Vec<bool> = {
        let mut seen: FxHashSet<&str> =
            FxHashSet::with_capacity_and_hasher(list.len(), Default::default());
        list.iter().map(|e| seen.insert(e.as_str())).collect()
    };
    let mut keep = keep.into_iter();
    list.retain(|_| keep.next().unwrap_or(true));
}

/// An entry lower-cased, its runs of white space one space, in one pass.
fn normalise_entry(entry: &str) -> String {
    let mut out = String::with_capacity(entry.len());
    for word in entry.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    out
}

/// A line's text without a trailing carriage return, and its 1-based number.
fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(i, l)| (i + 1, l))
}

#[cfg(test)]
mod proptests {
    //! Every reader, on generated text: never a panic, and the same work per
    //! entry however many entries one category holds.
    use proptest::prelude::*;

    use super::*;

    /// Text made of the characters the formats give meaning to.
    fn dictionary_text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[%+#_()<>/:\\-\\[\\]{}*?&!|'\"., \t\n\r0-9a-zA-Z法治可信]{0,400}",
            any::<String>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn readers_never_panic(text in dictionary_text()) {
            for format in [Format::Liwc, Format::Yaml, Format::Lexicoder, Format::Wordstat] {
                let _ = read(text.as_bytes(), format, Path::new("d"));
            }
        }

        #[test]
        fn nesting_of_any_depth_is_read_or_refused_without_panic(depth in 0usize..300) {
            let mut yaml = String::new();
            for level in 0..depth {
                yaml.push_str(&" ".repeat(level));
                yaml.push_str("a:\n");
            }
            yaml.push_str(&" ".repeat(depth));
            yaml.push_str("- x\n");
            let flow = format!("{}x{}", "{a: ".repeat(depth), "}".repeat(depth));
            let tabs: String = (0..depth).map(|d| format!("{}c{d}\n", "\t".repeat(d))).collect();
            let wordstat = format!("{tabs}{}X (1)\n", "\t".repeat(depth));
            for (text, format) in [
                (yaml.as_str(), Format::Yaml),
                (flow.as_str(), Format::Yaml),
                (wordstat.as_str(), Format::Wordstat),
            ] {
                let got = read(text.as_bytes(), format, Path::new("d"));
                if depth > limits::DICTIONARY_DEPTH {
                    let e = got.err().map(|e| e.to_string()).unwrap_or_default();
                    // The YAML parser's own bound may come first in flow style.
                    let bounded = e.contains("levels deep") || e.contains("recursion limit");
                    prop_assert!(bounded, "{format:?} {depth}: {e}");
                } else if depth > 0 {
                    prop_assert!(got.is_ok(), "{format:?} {depth}: {:?}", got.err());
                }
            }
        }
    }

    /// The time of the fastest of three imports of `text`.
    fn fastest(text: &str, format: Format) -> f64 {
        limits::fastest_of_three(|| {
            read(text.as_bytes(), format, Path::new("d")).unwrap();
        })
    }

    /// Not a speed claim (that is `benches/analysis.rs`) but one of growth: eight
    /// times the entries in one category take about eight times as long, where a
    /// quadratic reader took sixty-four. The bound, 24, leaves room for a noisy
    /// machine and still fails a quadratic reader by far.
    #[test]
    fn import_grows_linearly_with_the_entries_of_one_category() {
        let make = |n: usize, format: Format| -> String {
            let entries = (0..n).map(|i| format!("w{i}"));
            match format {
                Format::Liwc => std::iter::once("%\n1\tgov\n%".to_string())
                    .chain(entries.map(|e| format!("{e}\t1")))
                    .collect::<Vec<_>>()
                    .join("\n"),
                Format::Yaml => std::iter::once("gov:".to_string())
                    .chain(entries.map(|e| format!("  - {e}")))
                    .collect::<Vec<_>>()
                    .join("\n"),
                Format::Lexicoder => std::iter::once("+gov".to_string())
                    .chain(entries)
                    .collect::<Vec<_>>()
                    .join("\n"),
                Format::Wordstat => std::iter::once("GOV".to_string())
                    .chain(entries.map(|e| format!("\t{e} (1)")))
                    .collect::<Vec<_>>()
                    .join("\n"),
                Format::Toml => unreachable!(),
            }
        };
        for format in [
            Format::Liwc,
            Format::Yaml,
            Format::Lexicoder,
            Format::Wordstat,
        ] {
            let small = fastest(&make(5_000, format), format);
            let large = fastest(&make(40_000, format), format);
            let ratio = large / small.max(1e-6);
            assert!(
                ratio < 24.0,
                "{format:?}: 8x the entries took {ratio:.1}x the time ({small:.4} s, {large:.4} s)"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat(path: &[&str], line: usize, entries: &[&str]) -> Category {
        let mut c = Category::new(path.iter().map(|s| s.to_string()).collect(), line);
        c.entries = entries.iter().map(|e| (e.to_string(), line + 1)).collect();
        c
    }

    #[test]
    fn slugs_make_ids_and_fall_back_to_the_key() {
        assert_eq!(slug("Free Trade"), "free_trade");
        assert_eq!(slug("  +STATE+ "), "state");
        assert_eq!(slug("CULTURE-HIGH"), "culture_high");
        assert_eq!(slug("经济"), "");
        let mut c = cat(&["经济"], 3, &["经济"]);
        c.key = Some("12".into());
        assert_eq!(frame_id(&c, 0), "cat_12");
        assert_eq!(
            frame_id(&cat(&["经济", "Trade"], 3, &["x"]), 4),
            "cat_5/trade"
        );
    }

    #[test]
    fn categories_become_frames_by_the_shared_rules() {
        let file = to_lexicon(
            vec![
                cat(&["Economy"], 1, &[]),
                cat(
                    &["Economy", "Trade"],
                    2,
                    &["free  trade", "TARIFF**", "贸易", "tariff*"],
                ),
                cat(&["Security"], 9, &["secur*", "資訊安全"]),
            ],
            Format::Lexicoder,
            "d.lc3",
        )
        .unwrap();
        let ids: Vec<&str> = file.frames.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["economy/trade", "security"]);
        let trade = &file.frames[0];
        assert_eq!(trade.label, "Economy / Trade");
        assert_eq!(trade.en, ["free trade", "tariff*"]);
        assert_eq!(trade.zh, ["贸易"]);
        assert_eq!(
            file.frames[1].zh,
            ["资讯安全"],
            "Traditional script converted"
        );
        assert!(
            trade
                .description
                .contains("d.lc3 (lexicoder), category on line 2")
        );
    }

    #[test]
    fn what_govlens_cannot_count_is_an_error_naming_the_line() {
        let cases = [
            (vec![cat(&["a"], 1, &["*tion"])], 2, "may only end a word"),
            (vec![cat(&["a"], 1, &["法*"])], 2, "English only"),
            (vec![cat(&["a"], 1, &["colo?r"])], 2, "`?`"),
            (
                vec![cat(&["a"], 1, &[]), cat(&["b"], 4, &["x"])],
                1,
                "no entries",
            ),
            (
                vec![cat(&["A b"], 1, &["x"]), cat(&["a_b"], 5, &["y"])],
                5,
                "line 1",
            ),
            (
                vec![cat(&["Gov"], 1, &["law"]), cat(&["Gov"], 3, &["risk"])],
                3,
                "also declared on line 1",
            ),
        ];
        for (categories, line, want) in cases {
            let (at, message) = to_lexicon(categories, Format::Yaml, "d.yml").unwrap_err();
            assert_eq!(at, line, "{message}");
            assert!(message.contains(want), "{message}");
        }
    }

    #[test]
    fn formats_come_from_extensions_and_names() {
        assert_eq!(Format::of_path(Path::new("a/B.DIC")).unwrap(), Format::Liwc);
        assert_eq!(Format::of_path(Path::new("x.yaml")).unwrap(), Format::Yaml);
        assert!(Format::of_path(Path::new("x.txt")).is_err());
        assert_eq!("WordStat".parse::<Format>().unwrap(), Format::Wordstat);
        assert!("csv".parse::<Format>().is_err());
    }
}
