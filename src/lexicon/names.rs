//! Names that hold frame expressions: a frame's words inside the name of a body,
//! an office, a law, a programme or a document are the name, not the frame
//! (an invented "Lakeside Digital Innovation Hubs", a "Secretary of Harbour
//! Security", a law titled 《湖区数据安全守则》).
//!
//! The rule, per hit:
//! - **English.** A name is a run of capitalised words (or words in capitals)
//!   joined by lower-case connectors (`of`, `and`, `for`, `the`, `on`, `in`, `to`,
//!   `&`) inside one clause, with at least two capitalised words. A hit whose
//!   words all lie in such a run is inside a name when the run holds another
//!   capitalised word that is not the hit's own, not a sentence's first word and
//!   not `AI` / `Artificial Intelligence` ("Westmark Sovereign AI", "Charter of the
//!   Lakeside League"). So a capitalised phrase that is the frame itself is not a
//!   name ("Trustworthy AI", "Rule of Law" in a sentence), nor is a sentence's
//!   first capital, nor a line that is nothing but the run (a title-case heading),
//!   nor a heading's or list item's title in running text (the run holds a
//!   heading's label, `Chapter II`, `Article 9`, or follows an item's number).
//! - **Chinese.** A hit inside a title in 《》 or 〈〉, or followed within five
//!   words of its clause by a word that names a body (…部, …局, …委员会,
//!   …办公室, …中心 ...), a document named without brackets (…纲领, …纲要,
//!   …白皮书), a law (a word of three characters or more ending in 法:
//!   港区资讯安全守护法; 本法, 无法, 算法 are two) or a regulation (…条例, …办法).
//!
//! Where it errs: a concept written in title case with another capitalised word
//! ("Westmark Trustworthy AI Guidelines" is a name, rightly; "Responsible Innovation
//! Policy" as a concept is taken for one), and a name written without capitals.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::analyze::{Script, Token};
use crate::error::{Error, Result};

use super::{Hit, NameLists};

/// The lexicon's lists of names ([`NameLists`]), ready to match.
#[derive(Debug, Clone, Default)]
pub struct Lists {
    /// Names whose frame words count: lower case, spaces collapsed.
    count: Vec<String>,
    /// Names whose frame words are set aside, found ignoring ASCII case.
    set_aside: Option<AhoCorasick>,
}

impl Lists {
    pub fn new(names: &NameLists) -> Result<Lists> {
        let set_aside = if names.set_aside.is_empty() {
            None
        } else {
            let patterns: Vec<String> = names.set_aside.iter().map(|n| squeeze(n)).collect();
            let automaton = AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                .map_err(|e| Error::Invalid(format!("names.set_aside: {e}")))?;
            Some(automaton)
        };
        Ok(Lists {
            count: names
                .count
                .iter()
                .map(|n| squeeze(n).to_lowercase())
                .collect(),
            set_aside,
        })
    }

    /// Whether a name the rule found, as written, holds a name listed to count.
    pub fn counts(&self, written: &str) -> bool {
        if self.count.is_empty() {
            return false;
        }
        let written = squeeze(written).to_lowercase();
        self.count.iter().any(|c| contains_words(&written, c))
    }

    /// The listed names to set aside in `text[start..end]`, as sorted byte
    /// spans of `text`; an English name only as whole words.
    pub fn set_aside_in(&self, text: &str, (start, end): (usize, usize)) -> Vec<(usize, usize)> {
        let Some(automaton) = &self.set_aside else {
            return Vec::new();
        };
        let stretch = &text[start..end];
        automaton
            .find_iter(stretch)
            .filter(|m| whole_words(stretch, m.start(), m.end()))
            .map(|m| (start + m.start(), start + m.end()))
            .collect()
    }
}

/// A name with its words separated by single spaces.
fn squeeze(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `needle` is in `hay` as whole words (both lower case, squeezed).
fn contains_words(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle)
        .any(|(at, _)| whole_words(hay, at, at + needle.len()))
}

/// Whether `text[a..b]` does not begin or end inside a Latin word.
fn whole_words(text: &str, a: usize, b: usize) -> bool {
    let latin = |c: char| c.is_alphanumeric() && !c.is_ascii_digit() && (c as u32) < 0x2E80;
    let before = text[..a].chars().next_back();
    let after = text[b..].chars().next();
    let first = text[a..b].chars().next();
    let last = text[a..b].chars().next_back();
    let joined = |x: Option<char>, y: Option<char>| x.is_some_and(latin) && y.is_some_and(latin);
    !joined(before, first) && !joined(last, after)
}

/// Lower-case words that join the capitalised words of a name.
const CONNECTORS: [&str; 9] = ["of", "and", "for", "the", "on", "in", "to", "&", "de"];

/// Capitalised words that do not make a frame phrase a name.
const GENERIC: [&str; 4] = ["ai", "a.i.", "artificial", "intelligence"];

/// Words that end the name of a body, office or programme in Chinese (the word
/// itself, or a word ending with one of the longer ones).
const BODY_WORDS: [&str; 8] = ["部", "局", "署", "委", "厅", "司", "办", "院"];
const BODY_ENDINGS: [&str; 12] = [
    "委员会",
    "办公室",
    "中心",
    "管理局",
    "总局",
    "研究院",
    "研究所",
    "工作组",
    // Documents named without 《》: 湖区智能发展纲领.
    "纲领",
    "綱領",
    "纲要",
    "白皮书",
];

/// Whether a Chinese word ends the name of a body, a document, a law or a
/// regulation after the frame's word: …委员会, …纲领, …管理法 (a word of three
/// characters or more ending in 法: 本法, 无法, 不法 and 算法 are two), …条例,
/// …办法, …细则 (港区数据守护办法).
fn ends_name(term: &str) -> bool {
    let law = term.ends_with('法') && term.chars().count() >= 3;
    let regulation = ["条例", "條例", "办法", "辦法", "细则", "細則"]
        .iter()
        .any(|e| term.ends_with(e) && !term.starts_with('本'));
    law || regulation
        || BODY_WORDS.contains(&term)
        || BODY_ENDINGS.iter().any(|e| term.ends_with(e))
}

/// Words that join a modifier to what it modifies (…发展的数据中心, 以…为中心):
/// the frame's word before one is not part of the name after it.
const NOT_IN_NAMES: [&str; 5] = ["的", "为", "為", "以", "是"];

/// For each hit (in order), the name it lies in, as (first, last) token indices,
/// or `None`. `text` is the text the tokens' spans point into.
pub fn names_of_hits(
    text: &str,
    tokens: &[Token<'_>],
    hits: &[Hit],
) -> Vec<Option<(usize, usize)>> {
    let (Some(head), Some(tail)) = (tokens.first(), tokens.last()) else {
        return vec![None; hits.len()];
    };
    let runs = capital_runs(text, tokens);
    // Only the tokens' stretch of the text is searched (a piece of a long
    // document, not all of it for every piece).
    let titles = titles(text, (head.start, tail.end));
    // Which tokens are a hit's own words.
    let mut in_hit = vec![false; tokens.len()];
    for h in hits {
        in_hit[h.first..h.first + h.len].fill(true);
    }
    hits.iter()
        .map(|h| {
            let (first, last) = (h.first, h.first + h.len - 1);
            match tokens[first].script {
                Script::Han => han_name(tokens, (first, last), &titles),
                Script::Other => latin_name(text, tokens, (first, last), &in_hit, &runs),
            }
        })
        .collect()
}

/// How a token takes part in a name.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    Capital,
    Connector,
    None,
}

fn role(text: &str, t: &Token<'_>) -> Role {
    let surface = &text[t.start..t.end];
    let first = surface.chars().next();
    if t.script == Script::Other && first.is_some_and(|c| c.is_uppercase()) {
        return Role::Capital;
    }
    if CONNECTORS.contains(&t.term.as_ref()) {
        return Role::Connector;
    }
    Role::None
}

/// The runs of capitalised words and connectors in one clause, beginning and
/// ending with a capitalised word, with at least two: (first, last) tokens.
fn capital_runs(text: &str, tokens: &[Token<'_>]) -> Vec<(usize, usize)> {
    let roles: Vec<Role> = tokens.iter().map(|t| role(text, t)).collect();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if roles[i] != Role::Capital {
            i += 1;
            continue;
        }
        let (start, mut end, mut capitals) = (i, i, 1);
        // A line that begins with the run ends it there (a heading is not joined
        // to the next line's words).
        let heads_line = line_before(text, tokens[i].start)
            .is_some_and(|lead| lead.chars().all(|c| !c.is_alphanumeric()));
        let mut j = i + 1;
        while j < tokens.len() && tokens[j].clause == tokens[start].clause && roles[j] != Role::None
        {
            let gap = &text[tokens[j - 1].end..tokens[j].start];
            // Two names joined by "and the" are two names.
            let and_the = roles[j] == Role::Connector
                && tokens[j - 1].term == "and"
                && roles[j - 1] == Role::Connector;
            if (heads_line && gap.contains('\n')) || and_the {
                break;
            }
            if roles[j] == Role::Capital {
                end = j;
                capitals += 1;
            }
            j += 1;
        }
        if capitals >= 2 {
            runs.push((start, end));
        }
        i = end + 1;
    }
    runs
}

/// Whether token `i` begins a sentence: nothing but space before it, or a
/// sentence's end or a line break since the token before.
fn starts_sentence(text: &str, tokens: &[Token<'_>], i: usize) -> bool {
    let from = if i == 0 { 0 } else { tokens[i - 1].end };
    let gap = &text[from..tokens[i].start];
    i == 0 || gap.contains(['.', '!', '?', ':', ';', '\n', '•'])
}

/// Words that label a heading when a number follows them.
const HEADING_WORDS: [&str; 6] = [
    "chapter", "part", "section", "article", "division", "schedule",
];

/// Whether the run `(first, last)` is the title of a heading or a list item in
/// running text: it holds a heading's label ("Chapter II Harbour Data Security
/// Rules Article 9": the chapter's title runs into the next article's
/// label), or it follows an item's number ("1. Balanced Development and ...").
fn is_title(text: &str, tokens: &[Token<'_>], (first, last): (usize, usize)) -> bool {
    let number = |t: &Token<'_>| {
        let s = &text[t.start..t.end];
        s.starts_with(|c: char| c.is_ascii_digit())
            || (s.len() <= 6 && s.chars().all(|c| "IVXLC".contains(c)))
    };
    // The run's words, and the word after it (the next heading's label).
    let label = (first..=(last + 1).min(tokens.len() - 1)).any(|k| {
        HEADING_WORDS.contains(&tokens[k].term.as_ref()) && tokens.get(k + 1).is_some_and(&number)
    });
    let from = if first == 0 { 0 } else { tokens[first - 1].end };
    let gap = text[from..tokens[first].start].trim_end();
    let item =
        first > 0 && number(&tokens[first - 1]) && (gap.ends_with('.') || gap.ends_with(')'));
    label || item
}

/// Whether the run `(first, last)` is a line of its own (a heading).
fn is_line(text: &str, tokens: &[Token<'_>], (first, last): (usize, usize)) -> bool {
    let (Some(lead), Some(trail)) = (
        line_before(text, tokens[first].start),
        line_after(text, tokens[last].end),
    ) else {
        return false;
    };
    let bare = |s: &str| s.chars().all(|c| !c.is_alphabetic());
    bare(lead.trim()) && bare(trail.trim())
}

/// Bytes looked at around a word for the start or end of its line: a heading
/// is shorter, and a document that is one long line is not searched through
/// for every word.
const LINE_LOOK: usize = 512;

/// The text from the start of `at`'s line to `at`, if the line starts within
/// [`LINE_LOOK`] bytes (or the text does).
fn line_before(text: &str, at: usize) -> Option<&str> {
    let mut from = at.saturating_sub(LINE_LOOK);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let window = &text[from..at];
    match window.rfind('\n') {
        Some(i) => Some(&window[i + 1..]),
        None => (from == 0).then_some(window),
    }
}

/// The text from `at` to the end of its line, if the line ends within
/// [`LINE_LOOK`] bytes (or the text does).
fn line_after(text: &str, at: usize) -> Option<&str> {
    let mut to = (at + LINE_LOOK).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let window = &text[at..to];
    match window.find('\n') {
        Some(i) => Some(&window[..i]),
        None => (to == text.len()).then_some(window),
    }
}

fn latin_name(
    text: &str,
    tokens: &[Token<'_>],
    (first, last): (usize, usize),
    in_hit: &[bool],
    runs: &[(usize, usize)],
) -> Option<(usize, usize)> {
    // The runs are in text order and apart: the one that could hold the hit is
    // the last to start at or before it.
    let k = runs.partition_point(|&(a, _)| a <= first).checked_sub(1)?;
    let (a, b) = runs[k];
    if last > b {
        return None;
    }
    if is_line(text, tokens, (a, b)) || is_title(text, tokens, (a, b)) {
        return None;
    }
    // Tokens of any hit inside the run are the frame's own words.
    let other_capital = (a..=b).any(|k| {
        role(text, &tokens[k]) == Role::Capital
            && !in_hit[k]
            && !GENERIC.contains(&without_possessive(&tokens[k].term))
            && (k != a || !starts_sentence(text, tokens, k))
    });
    // "The" (or another connector) capitalised at the start is not the name's.
    let a = (a..=first)
        .find(|&k| !CONNECTORS.contains(&tokens[k].term.as_ref()))
        .unwrap_or(first);
    other_capital.then_some((a, b))
}

/// A word without its possessive `'s` (`AI’s` is `AI`).
fn without_possessive(term: &str) -> &str {
    term.strip_suffix("’s")
        .or_else(|| term.strip_suffix("'s"))
        .unwrap_or(term)
}

/// The byte ranges inside 《》 and 〈〉 (book and article titles) within the
/// byte range `(start, end)` of `text`, in text order.
fn titles(text: &str, (start, end): (usize, usize)) -> Vec<(usize, usize)> {
    let text = &text[..end];
    let mut out = Vec::new();
    for (open, close) in [('《', '》'), ('〈', '〉')] {
        let mut from = start;
        while let Some(a) = text[from..].find(open).map(|i| from + i) {
            let inner = a + open.len_utf8();
            // A title is short and on one line; an unmatched bracket is not one.
            match text[inner..].find([close, '\n', open]).map(|i| inner + i) {
                Some(b) if text[b..].starts_with(close) && b - inner <= 300 => {
                    out.push((inner, b));
                    from = b;
                }
                _ => from = inner,
            }
        }
    }
    out.sort_unstable();
    out
}

fn han_name(
    tokens: &[Token<'_>],
    (first, last): (usize, usize),
    titles: &[(usize, usize)],
) -> Option<(usize, usize)> {
    let (start, end) = (tokens[first].start, tokens[last].end);
    // Titles do not overlap: the one that could hold the hit is the last to
    // start at or before it.
    let k = titles.partition_point(|&(a, _)| a <= start);
    let title = k
        .checked_sub(1)
        .map(|k| titles[k])
        .filter(|&(_, b)| end <= b);
    if let Some((a, b)) = title {
        // The title's tokens.
        let from = (0..=first)
            .rev()
            .take_while(|&k| tokens[k].start >= a)
            .last()?;
        let to = (last..tokens.len())
            .take_while(|&k| tokens[k].end <= b)
            .last()?;
        return Some((from, to));
    }
    let clause = tokens[last].clause;
    (last + 1..tokens.len())
        .take(5)
        .take_while(|&k| {
            let t = &tokens[k];
            t.clause == clause
                && t.script == Script::Han
                && !NOT_IN_NAMES.contains(&t.term.as_ref())
        })
        .find(|&k| ends_name(&tokens[k].term))
        .map(|k| (first, k))
}

#[cfg(test)]
mod tests {
    use crate::analyze::{Analyzer, ChineseScript};
    use crate::lexicon::{Auditor, Lexicon, Matcher};

    /// (frame, name) of each hit of `text` that lies in a name.
    fn named(text: &str) -> Vec<(String, String)> {
        let lexicon = Lexicon::builtin();
        let analyzer = Analyzer::new(&lexicon.chinese_words());
        let matcher = Matcher::new(&lexicon, &analyzer).unwrap();
        let auditor = Auditor::new(&matcher).unwrap();
        let mut tokens = Vec::new();
        analyzer.tokenize(
            text,
            (0, text.len()),
            ChineseScript::Simplified,
            &mut tokens,
        );
        let found = matcher.find_all(&tokens);
        let (hits, _) = auditor.hits(&tokens, found, 3, analyzer.chinese());
        let names = super::names_of_hits(text, &tokens, &hits);
        hits.iter()
            .zip(names)
            .filter_map(|(h, n)| {
                let (a, b) = n?;
                let name = &text[tokens[a].start..tokens[b].end];
                Some((matcher.frame_ids()[h.frame].clone(), name.to_string()))
            })
            .collect()
    }

    #[test]
    fn names_of_bodies_laws_and_programmes_are_found() {
        // Invented names of a fund, an act and an office.
        let text = "The plan funds the Lakeside Smart Innovation Hubs and the Meadow \
                    Innovation and Skills Act, and the Secretary of Harbour Security \
                    writes to the board. Innovation Hubs of Westmark grow.";
        let found = named(text);
        let names: Vec<&str> = found.iter().map(|(_, n)| n.as_str()).collect();
        assert!(
            names.contains(&"Lakeside Smart Innovation Hubs"),
            "{found:?}"
        );
        assert!(
            names.contains(&"Meadow Innovation and Skills Act"),
            "{found:?}"
        );
        assert!(
            names.contains(&"Secretary of Harbour Security"),
            "{found:?}"
        );
        // A name the frame's word begins, at a sentence's start.
        assert!(names.contains(&"Innovation Hubs of Westmark"), "{found:?}");
    }

    #[test]
    fn the_frame_itself_a_first_capital_and_a_heading_are_not_names() {
        // The capitalised phrase is the frame; a sentence's first word is
        // capitalised by position; a line of its own is a heading.
        for text in [
            "We build Trustworthy AI for all, and Trustworthy AI’s benefits follow.",
            "Countries uphold the Rule of Law in every case.",
            "Good. Responsible Innovation drives growth.",
            "Promoting Innovation and Leadership\nThe plan says more.",
            "the secretary of harbour security reports.",
        ] {
            assert_eq!(named(text), vec![], "{text}");
        }
        // Two names joined by "and the" stay two.
        let found = named("Ask the Secretary of Fisheries and the Secretary of Harbour Security.");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, "Secretary of Harbour Security");
    }

    #[test]
    fn chinese_titles_and_bodies_are_names() {
        let found = named("依照《湖区数据安全守则》，由港区安全协调办公室统筹，我们重视数据安全。");
        let names: Vec<&str> = found.iter().map(|(_, n)| n.as_str()).collect();
        assert!(
            names.iter().any(|n| n.contains("数据安全守则")),
            "{found:?}"
        );
        assert!(names.iter().any(|n| n.ends_with("办公室")), "{found:?}");
        // The last 数据安全 is in neither.
        assert_eq!(found.len(), 2, "{found:?}");
    }
}
