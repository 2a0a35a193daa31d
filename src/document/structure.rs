//! Document structure: the article, section and chapter headings of legal texts.
//!
//! Laws and regulations are cited by article (第十条, 第 10 條, Article 10, § 10),
//! so counts and, later, concordance lines should be too. Headings are recognised
//! at the start of a line; each starts a *unit* that runs to the next heading (text
//! before the first heading is the preamble). Units are flat and ordered; each knows
//! its parent (an article's chapter, a numbered paragraph's article) and its number,
//! parsed from Chinese, Arabic or Roman numerals so that parallel Chinese and English
//! versions can be joined article by article.
//!
//! Each unit also lies in a [`Zone`]: the body, or the apparatus around it that is
//! not the document's discourse (a table of contents, references, gathered notes,
//! an annex), recognised by its heading. [`CountedZones`] says which zones' tokens
//! count (by default the body and annexes); the others are left out of the counts
//! and reported as left out.

use std::sync::LazyLock;

use regex::Regex;

use crate::corpus::layout::Layout;

mod apparatus;

/// The kind of a unit, from the largest to the smallest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum UnitKind {
    Preamble,
    /// A heading marked as one by the document's format (a Word or OpenDocument
    /// heading style) that is not an article, section, chapter or part heading.
    Heading,
    /// A schedule appended to an ordinance (附表1, Schedule 1).
    Schedule,
    Part,
    /// A division of a part (第1分部, Division 1).
    Division,
    Chapter,
    Section,
    Article,
    Paragraph,
}

impl UnitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Preamble => "preamble",
            UnitKind::Heading => "heading",
            UnitKind::Schedule => "schedule",
            UnitKind::Part => "part",
            UnitKind::Division => "division",
            UnitKind::Chapter => "chapter",
            UnitKind::Section => "section",
            UnitKind::Article => "article",
            UnitKind::Paragraph => "paragraph",
        }
    }
}

/// One unit of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Byte offset of the heading (0 for the preamble).
    pub start: usize,
    pub kind: UnitKind,
    /// The heading as written, e.g. `第十条`, `Article 10`, `§ 3.2`.
    pub label: String,
    /// The number in the heading, when it has one (第十条 -> 10, Chapter IV -> 4).
    pub number: Option<i64>,
    /// Label of the enclosing larger unit (an article's chapter), if any.
    pub parent: Option<String>,
    /// The zone the heading stands in ([`zones`]).
    pub zone: Zone,
    /// The page the unit is on, in a paged document (PDF): a unit that runs over
    /// a page break is cut there, and each part is a unit of its own page.
    pub page: Option<u32>,
}

const ZH_NUM: &str = r"[0-9０-９一二三四五六七八九十百千零〇两]{1,10}";
/// What may follow a heading's number: a sub-number (第6-1條, 第十條之一), then a
/// space or the end of the line, so that a cross-reference wrapped to the start of
/// a line (第十条 followed at once by the sentence that cites it) is not a heading.
const ZH_AFTER: &str = r"(?:[-之][0-9０-９一二三四五六七八九十]{1,4})?)(?:[ \t\u{3000}]|$)";
/// What may follow an English heading's number: the end of the line, punctuation
/// that ends a heading, or a capitalised title. Not "Article 5 of", "Section 2(a)".
const EN_AFTER: &str =
    r"(?:[ \t]*$|[.:\u{2013}\u{2014}][ \t]|[.:]$|[ \t]+[A-Z0-9\p{Han}\u{201C}\x22])";

/// Heading patterns, each run on one line and anchored at its start (so a long
/// line is not searched position by position).
static HEADINGS: LazyLock<Vec<(UnitKind, Regex)>> = LazyLock::new(|| {
    // Group 1 is the label, group 2 the number.
    let zh = |suffix: &str| {
        let pattern = format!(
            r"^[ \t\u{{3000}}]*(第[ \t]*({ZH_NUM}(?:-[0-9０-９]{{1,4}})?)[A-Za-z]?[ \t]*{suffix}{ZH_AFTER}"
        );
        Regex::new(&pattern).expect("valid heading pattern")
    };
    // A Hong Kong schedule: 附表1, 附表 2, 附表三 (no 第).
    let schedule_zh = Regex::new(&format!(
        r"^[ \t\u{{3000}}]*(附表[ \t]*({ZH_NUM})[A-Za-z]?)(?:[ \t\u{{3000}}]|$)"
    ))
    .expect("valid heading pattern");
    let en = |pattern: &str| {
        Regex::new(&format!("^[ \t]*({pattern}){EN_AFTER}")).expect("valid heading pattern")
    };
    vec![
        (UnitKind::Part, zh("[编編部]")),
        (UnitKind::Division, zh("分部")),
        (UnitKind::Schedule, schedule_zh),
        (UnitKind::Chapter, zh("章")),
        (UnitKind::Section, zh("[节節]")),
        (UnitKind::Article, zh("[条條]")),
        (
            UnitKind::Part,
            en(r"(?i:part)[ \t]+([0-9]{1,4}|[IVXLC]{1,8})\b"),
        ),
        (
            UnitKind::Division,
            en(r"(?i:division)[ \t]+([0-9]{1,4}|[IVXLC]{1,8})[A-Z]?\b"),
        ),
        (
            UnitKind::Schedule,
            en(r"(?i:schedule)[ \t]+([0-9]{1,4}|[IVXLC]{1,8})[A-Z]?\b"),
        ),
        (
            UnitKind::Chapter,
            en(r"(?i:chapter)[ \t]+([0-9]{1,4}|[IVXLC]{1,8})\b"),
        ),
        (
            UnitKind::Section,
            en(r"(?:(?i:section)|Sec\.|§)[ \t]*([0-9]{1,4}(?:\.[0-9]{1,4})*)[A-Za-z]?\b"),
        ),
        (
            UnitKind::Article,
            en(r"(?i:article)[ \t]+([0-9]{1,4}(?:-[0-9]{1,4})?)[A-Za-z]?\b"),
        ),
        (UnitKind::Paragraph, en(r"([0-9]{1,3})\.")),
    ]
});

/// The units of `text`, in order; the first is always the preamble at offset 0.
pub fn units(text: &str) -> Vec<Unit> {
    units_in(text, &Layout::default())
}

/// The units of `text` with what its format knows of its `layout`: lines marked
/// as headings start `heading` units (unless they are article, section, chapter
/// or part headings, which keep their kind), and units are cut at page breaks.
pub fn units_in(text: &str, layout: &Layout) -> Vec<Unit> {
    units_in_zones(text, layout, &zones(text))
}

/// [`units_in`], given the [`zones`] of `text`.
pub fn units_in_zones(text: &str, layout: &Layout, zones: &[(usize, usize, Zone)]) -> Vec<Unit> {
    let mut units = heading_units(text, layout);
    if !layout.pages.is_empty() {
        units = cut_at_pages(units, layout);
    }
    if !zones.is_empty() {
        for u in &mut units {
            u.zone = zone_at(zones, u.start);
        }
    }
    units
}

/// A unit that runs over a page break continues, under the same heading, as a
/// unit of the next page; every unit gets its page.
fn cut_at_pages(units: Vec<Unit>, layout: &Layout) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::with_capacity(units.len() + layout.pages.len());
    let mut breaks = layout.pages.iter().copied().filter(|&p| p > 0).peekable();
    for (i, unit) in units.iter().enumerate() {
        let end = units.get(i + 1).map_or(usize::MAX, |u| u.start);
        out.push(unit.clone());
        while let Some(&at) = breaks.peek() {
            if at >= end {
                break;
            }
            breaks.next();
            if at > unit.start && out.last().is_none_or(|u| u.start < at) {
                out.push(Unit {
                    start: at,
                    ..unit.clone()
                });
            }
        }
    }
    for u in &mut out {
        u.page = layout.page_at(u.start);
    }
    out
}

/// The units of the headings in `text`, found by pattern and marked by `layout`.
fn heading_units(text: &str, layout: &Layout) -> Vec<Unit> {
    let mut found: Vec<(usize, UnitKind, String, Option<i64>)> = Vec::new();
    // Headings start a line, and with one of a few characters: only such lines are
    // handed to the patterns (running them over whole documents was the slowest
    // part of the analysis).
    let mut locations: Vec<regex::CaptureLocations> = HEADINGS
        .iter()
        .map(|(_, re)| re.capture_locations())
        .collect();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let offset = line_start;
        line_start += line.len();
        // Markdown heading marks, quote and list marks and emphasis before a heading
        // (`## 第 1 條`, `- Article 2`, `**Section 3**`) are not part of it.
        let marks = marks_before_heading(line);
        let (offset, line) = (offset + marks, &line[marks..]);
        let Some(first) = heading_start(line.trim_start_matches([' ', '\t', '\u{3000}'])) else {
            continue;
        };
        let line = line
            .trim_end_matches(['\n', '\r'])
            .trim_end_matches(['*', '_']);
        for ((kind, re), locs) in HEADINGS.iter().zip(&mut locations) {
            if !first.may_be(*kind) || re.captures_read(locs, line).is_none() {
                continue;
            }
            let (Some(whole), Some(num)) = (locs.get(1), locs.get(2)) else {
                continue;
            };
            found.push((
                offset + whole.0,
                *kind,
                line[whole.0..whole.1].to_string(),
                parse_number(&line[num.0..num.1]),
            ));
        }
    }
    // A marked heading line is a unit of its own, unless a pattern found the
    // heading it holds (`found` is in text order here).
    let mut marked = Vec::new();
    for &at in &layout.headings {
        let Some(line) = text.get(at..).and_then(|t| t.lines().next()) else {
            continue;
        };
        let end = at + line.len();
        let k = found.partition_point(|h| h.0 < at);
        let has_pattern = found.get(k).is_some_and(|h| h.0 < end.max(at + 1));
        if !has_pattern && !line.trim().is_empty() {
            let trimmed = line.trim_start();
            let start = at + (line.len() - trimmed.len());
            marked.push((
                start,
                UnitKind::Heading,
                trimmed.trim_end().to_string(),
                None,
            ));
        }
    }
    found.extend(marked);
    // One heading per position (the largest kind wins), in text order.
    found.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    found.dedup_by_key(|h| h.0);

    let mut units = vec![Unit {
        start: 0,
        kind: UnitKind::Preamble,
        label: String::new(),
        number: None,
        parent: None,
        zone: Zone::Body,
        page: None,
    }];
    // The open heading of each kind, to name parents.
    let mut open: Vec<(UnitKind, String)> = Vec::new();
    for (start, kind, label, number) in found {
        open.retain(|(k, _)| *k < kind);
        let parent = open.last().map(|(_, l)| l.clone());
        open.push((kind, label.clone()));
        if start == 0 {
            units.clear();
        }
        units.push(Unit {
            start,
            kind,
            label,
            number,
            parent,
            zone: Zone::Body,
            page: None,
        });
    }
    units
}

/// Bytes of `line` before a heading could start: spacing, then any of `#`
/// (Markdown heading marks), `>`, a list bullet (`-`, `+`, `*`) and emphasis marks
/// (`**`, `__`), each with the spacing after it.
fn marks_before_heading(line: &str) -> usize {
    let mut at = 0;
    let bytes = line.as_bytes();
    loop {
        let before = at;
        while at < bytes.len() && matches!(bytes[at], b' ' | b'\t') {
            at += 1;
        }
        let mark_start = at;
        while at < bytes.len() && matches!(bytes[at], b'#' | b'>' | b'-' | b'+' | b'*' | b'_') {
            at += 1;
        }
        // A mark must be followed by spacing (`## `) unless it is emphasis (`**`).
        let emphasis = line[mark_start..at].chars().all(|c| c == '*' || c == '_');
        let spaced = bytes.get(at).is_some_and(|b| matches!(b, b' ' | b'\t'));
        if at == mark_start || !(spaced || emphasis) {
            return if at == mark_start { at } else { before };
        }
        if at == before {
            return at;
        }
    }
}

/// How a line that may hold a heading starts.
#[derive(Clone, Copy)]
enum HeadingStart {
    /// 第 ...: the Chinese patterns.
    Chinese,
    /// A digit: a numbered paragraph.
    Digit,
    /// An English heading word, or §.
    Word(UnitKind),
}

impl HeadingStart {
    fn may_be(self, kind: UnitKind) -> bool {
        match self {
            HeadingStart::Chinese => kind != UnitKind::Paragraph,
            HeadingStart::Digit => kind == UnitKind::Paragraph,
            HeadingStart::Word(k) => k == kind,
        }
    }
}

/// A cheap look at the start of a line, before any pattern runs: only lines that
/// can start a heading are tried, and only with the patterns that could match.
fn heading_start(line: &str) -> Option<HeadingStart> {
    let starts = |p: &str| {
        line.get(..p.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(p))
    };
    if line.starts_with('第') || line.starts_with("附表") {
        Some(HeadingStart::Chinese)
    } else if line.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        Some(HeadingStart::Digit)
    } else if starts("article") {
        Some(HeadingStart::Word(UnitKind::Article))
    } else if starts("chapter") {
        Some(HeadingStart::Word(UnitKind::Chapter))
    } else if starts("section") || line.starts_with("Sec.") || line.starts_with('§') {
        Some(HeadingStart::Word(UnitKind::Section))
    } else if starts("part") {
        Some(HeadingStart::Word(UnitKind::Part))
    } else if starts("division") {
        Some(HeadingStart::Word(UnitKind::Division))
    } else if starts("schedule") {
        Some(HeadingStart::Word(UnitKind::Schedule))
    } else {
        None
    }
}

/// A zone of a document: its body, or the apparatus around it that is not its
/// discourse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Zone {
    Body,
    /// A table of contents.
    Toc,
    /// A list of references or a bibliography.
    References,
    /// Endnotes or footnotes gathered under a heading.
    Footnotes,
    /// An annex or appendix.
    Annex,
    /// Before the first line of discourse: a cover or title page, the title, an
    /// addressee or subject block, an agenda header.
    Front,
    /// After the last line of discourse: a signatory, a place and date.
    Signature,
    /// Lines that are names: panelists with their posts, organisations.
    Lists,
    /// Figure and table labels.
    Labels,
}

/// The zones whose tokens are counted; the others are left out (and said so).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountedZones([bool; Zone::ALL.len()]);

impl CountedZones {
    pub fn new(zones: &[Zone]) -> CountedZones {
        let mut set = [false; Zone::ALL.len()];
        for z in zones {
            set[*z as usize] = true;
        }
        CountedZones(set)
    }

    pub fn contains(self, zone: Zone) -> bool {
        self.0[zone as usize]
    }

    /// The counted zones, in [`Zone::ALL`] order.
    pub fn zones(self) -> Vec<Zone> {
        Zone::ALL
            .into_iter()
            .filter(|z| self.contains(*z))
            .collect()
    }
}

impl Default for CountedZones {
    /// The body and annexes; not tables of contents, reference lists or notes.
    fn default() -> Self {
        CountedZones::new(&[Zone::Body, Zone::Annex])
    }
}

impl Zone {
    pub const ALL: [Zone; 9] = [
        Zone::Body,
        Zone::Toc,
        Zone::References,
        Zone::Footnotes,
        Zone::Annex,
        Zone::Front,
        Zone::Signature,
        Zone::Lists,
        Zone::Labels,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Zone::Body => "body",
            Zone::Toc => "toc",
            Zone::References => "references",
            Zone::Footnotes => "footnotes",
            Zone::Annex => "annex",
            Zone::Front => "front",
            Zone::Signature => "signature",
            Zone::Lists => "lists",
            Zone::Labels => "labels",
        }
    }

    pub fn parse(s: &str) -> Option<Zone> {
        Zone::ALL.into_iter().find(|z| z.as_str() == s)
    }
}

/// The zones of `text` other than the body, as sorted, disjoint byte ranges.
///
/// A zone starts at a line that is its heading alone (`Contents`, `Table of
/// contents`, 目录 / 目錄; `References`, `Bibliography`, 参考文献 / 參考文獻; `Notes`,
/// `Endnotes`, `Footnotes`, 注释 / 註釋; `Annex …`, `Appendix …`, 附件, 附录 / 附錄 —
/// after any numbering, Markdown marks and emphasis). A table of contents ends at
/// the first line that is not one of its entries (blank, ending with a page number,
/// with dot leaders, or a short line that is not a sentence), or at the first line
/// that repeats an entry (the body's first heading). References and notes end at
/// the next zone heading or heading of the body: a Markdown heading, a full
/// article, section, chapter or part heading, or a short numbered title (`2.
/// Governance`); annexes end only at the next zone heading.
///
/// The apparatus no heading announces (front matter, a signature block, lists of
/// names, figure and table labels, a table of contents without its heading) is
/// then laid over the body and annexes: see [`apparatus`].
pub fn zones(text: &str) -> Vec<(usize, usize, Zone)> {
    apparatus::overlay(text, heading_zones(text))
}

/// The zones that start at a heading (and numbered citations).
fn heading_zones(text: &str) -> Vec<(usize, usize, Zone)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, Zone)> = None;
    // The entries of an open table of contents, normalised.
    let mut entries: std::collections::HashSet<String> = Default::default();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let at = line_start;
        line_start += line.len();
        let marks = marks_before_heading(line);
        let bare = line[marks..].trim().trim_end_matches(['*', '_']).trim_end();
        // Inside a table of contents, a zone's heading is one of its entries.
        let in_toc = matches!(open, Some((_, Zone::Toc)));
        let heading = zone_heading(bare).filter(|_| !in_toc);
        // A numbered citation of legislation in the body or an annex (an EU act's
        // footnotes, and its annex's list of acts) is a note of its own line.
        let body_or_annex = matches!(open, None | Some((_, Zone::Annex)));
        if body_or_annex && heading.is_none() && is_citation(bare) {
            if let Some((start, Zone::Annex)) = open {
                if start < at {
                    out.push((start, at, Zone::Annex));
                }
                open = Some((line_start, Zone::Annex));
            }
            out.push((at, line_start, Zone::Footnotes));
            continue;
        }
        let ends = match (open, heading) {
            (Some(_), Some(_)) => true,
            (Some((_, Zone::Toc)), None) => {
                let entry = toc_key(bare);
                let repeated = !entry.is_empty() && entries.contains(&entry);
                entries.insert(entry);
                repeated || !toc_entry(bare)
            }
            (Some((_, Zone::Annex)), None) => false,
            (Some(_), None) => {
                (marks > 0 && line.trim_start().starts_with('#')) || body_heading(bare)
            }
            (None, _) => false,
        };
        if ends && let Some((start, zone)) = open.take() {
            out.push((start, at, zone));
            entries.clear();
        }
        if let Some(zone) = heading
            && open.is_none()
        {
            open = Some((at, zone));
        }
    }
    if let Some((start, zone)) = open {
        out.push((start, text.len(), zone));
    }
    out
}

/// A contents entry as it compares with the heading it lists: without its page
/// number or dot leaders, lower case.
fn toc_key(line: &str) -> String {
    line.trim_end_matches(|c: char| {
        c.is_ascii_digit() || c == '.' || c == '…' || c == '·' || c.is_whitespace()
    })
    .trim()
    .to_lowercase()
}

/// Whether `line` is a heading of the body that ends a reference list or notes: a
/// full article, section, chapter or part heading, or a short numbered title.
fn body_heading(line: &str) -> bool {
    let full = HEADINGS
        .iter()
        .any(|(kind, re)| *kind != UnitKind::Paragraph && re.is_match(line));
    // `2. Governance`, `3.1 Trustworthy AI`: short, no final full stop, and no year
    // or address, which a numbered reference entry has.
    let numbered_title = line.split_once([' ', '\t']).is_some_and(|(n, rest)| {
        !n.is_empty()
            && n.trim_end_matches('.')
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.')
            && !rest.trim().is_empty()
    }) && line.chars().count() <= 80
        && !line.ends_with(['.', ',', ';'])
        && !line.contains("http")
        && !line.chars().any(|c| c == '(' || c == '“' || c == '"')
        && !has_year(line);
    full || numbered_title
}

/// Whether `line` holds a four-digit number from 1800 to 2099 (a citation's year).
fn has_year(line: &str) -> bool {
    line.split(|c: char| !c.is_ascii_digit()).any(|w| {
        w.len() == 4 && (w.starts_with("18") || w.starts_with("19") || w.starts_with("20"))
    })
}

/// A numbered citation of an act with its Official Journal reference, on a line
/// of its own: a footnote "(N) Regulation (EU) YEAR/NUMBER of … on … (OJ L …,
/// DATE, p. N)." or an annex's list entry "N. Directive … (OJ L …);". Its words
/// are the act's title.
fn is_citation(line: &str) -> bool {
    static CITATION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:\(\*?[0-9]{1,3}\)|[0-9]{1,3}\.)[ \t]*(?:Council |Commission )?(?:Regulation|Directive|Decision)\b.*\(OJ [^)]{1,80}\)",
        )
        .expect("valid citation pattern")
    });
    line.len() < 2_000 && line.contains("(OJ ") && CITATION.is_match(line)
}

/// The zone a line names when it is that zone's heading alone.
fn zone_heading(line: &str) -> Option<Zone> {
    if line.chars().count() > 60 {
        return None;
    }
    // Numbering before the word, with its dot or bracket: `7. References`,
    // `VII. Annex`; a bare number is a page number of a contents entry.
    let numbered = line
        .split_once(['.', ')'])
        .filter(|(n, _)| {
            !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || "IVXLC".contains(c))
        })
        .map_or(line, |(_, rest)| rest);
    let word = numbered.trim().trim_end_matches([':', '：']).trim();
    let lower = word.to_lowercase();
    let squeezed: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    match squeezed.as_str() {
        "contents" | "tableofcontents" | "目录" | "目錄" | "目次" => return Some(Zone::Toc),
        "references" | "bibliography" | "workscited" | "referencelist" | "参考文献"
        | "參考文獻" | "参考资料" | "參考資料" => {
            return Some(Zone::References);
        }
        "notes" | "endnotes" | "footnotes" | "注释" | "註釋" | "附注" | "附註" => {
            return Some(Zone::Footnotes);
        }
        _ => {}
    }
    let annex = ["annex", "annexes", "appendix", "appendices"]
        .iter()
        .any(|w| lower == *w || lower.starts_with(&format!("{w} ")))
        || squeezed.starts_with("附件")
        || squeezed.starts_with("附录")
        || squeezed.starts_with("附錄");
    annex.then_some(Zone::Annex)
}

/// Whether a line can be an entry of a table of contents: blank, ending with a
/// page number, with dot leaders, or a short line that is not a sentence (a
/// heading listed without its page).
fn toc_entry(line: &str) -> bool {
    let ends_with_page = line
        .rsplit(char::is_whitespace)
        .next()
        .is_some_and(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit()));
    // Numbering (`1. Introduction`) is not a sentence's full stop.
    let text = line
        .split_once(". ")
        .filter(|(n, _)| {
            !n.is_empty()
                && n.chars().all(|c| c.is_ascii_alphanumeric() && c.is_ascii())
                && n.len() <= 4
        })
        .map_or(line, |(_, rest)| rest);
    let heading_like = line.chars().count() <= 100
        && !text.ends_with(['.', ',', ';', '。', '，', '；'])
        && !text.contains(". ")
        && !text.contains('。');
    line.is_empty()
        || ends_with_page
        || heading_like
        || line.contains("....")
        || line.contains("……")
        || line.contains("···")
}

/// The zone holding byte `offset`, given the zones of [`zones`].
pub fn zone_at(zones: &[(usize, usize, Zone)], offset: usize) -> Zone {
    let i = zones.partition_point(|z| z.1 <= offset);
    match zones.get(i) {
        Some(&(start, _, zone)) if start <= offset => zone,
        _ => Zone::Body,
    }
}

/// The index of the unit holding byte `offset` (units as returned by [`units`]).
pub fn unit_at(units: &[Unit], offset: usize) -> usize {
    units
        .partition_point(|u| u.start <= offset)
        .saturating_sub(1)
}

/// Parses Arabic (also full-width), Chinese and Roman numerals.
pub fn parse_number(s: &str) -> Option<i64> {
    let s = s.trim();
    let ascii: String = s
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    if let Some(first) = ascii.split(['.', '-', '之']).next()
        && let Ok(n) = first.parse::<i64>()
    {
        return Some(n);
    }
    if ascii.chars().all(|c| "IVXLC".contains(c)) && !ascii.is_empty() {
        return roman(&ascii);
    }
    chinese(&ascii)
}

fn roman(s: &str) -> Option<i64> {
    let value = |c| match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        'C' => 100,
        _ => 0,
    };
    let digits: Vec<i64> = s.chars().map(value).collect();
    let mut total = 0;
    for (i, &d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|&next| next > d) {
            total -= d;
        } else {
            total += d;
        }
    }
    (total > 0).then_some(total)
}

fn chinese(s: &str) -> Option<i64> {
    let digit = |c| match c {
        '零' | '〇' => Some(0),
        '一' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    };
    let (mut total, mut current) = (0i64, 0i64);
    let mut any = false;
    for c in s.chars() {
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => {
                current = current.checked_mul(10)?.checked_add(digit(c)?)?;
                any = true;
                continue;
            }
        };
        let multiple = if current == 0 { 1 } else { current };
        total = total.checked_add(multiple.checked_mul(unit)?)?;
        current = 0;
        any = true;
    }
    if any {
        total.checked_add(current)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cut_units_and_marked_headings_are_units() {
        let text = "Intro text\n第一条 内容一\n更多内容\nOverview\n第二条 内容二\n";
        let at = |s: &str| text.find(s).unwrap();
        let layout = Layout {
            pages: vec![0, at("更多"), at("更多")],
            headings: vec![at("Overview"), at("第二条")],
        };
        let got: Vec<(UnitKind, String, usize, Option<u32>)> = units_in(text, &layout)
            .into_iter()
            .map(|u| (u.kind, u.label, u.start, u.page))
            .collect();
        use UnitKind::*;
        // Page 2 is empty: the article continued after the break is on page 3.
        // The marked 第二条 stays an article.
        let want = [
            (Preamble, "", 0, Some(1)),
            (Article, "第一条", at("第一条"), Some(1)),
            (Article, "第一条", at("更多"), Some(3)),
            (Heading, "Overview", at("Overview"), Some(3)),
            (Article, "第二条", at("第二条"), Some(3)),
        ];
        let want: Vec<(UnitKind, String, usize, Option<u32>)> = want
            .into_iter()
            .map(|(k, l, s, p)| (k, l.to_string(), s, p))
            .collect();
        assert_eq!(got, want);
        assert_eq!(layout.page_at(0), Some(1));
        assert_eq!(Layout::default().page_at(5), None);
        assert!(units(text).iter().all(|u| u.page.is_none()));
    }

    #[test]
    fn numbers() {
        let cases = [
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("二十三", 23),
            ("一百零五", 105),
            ("两百", 200),
            ("１０", 10),
            ("10", 10),
            ("IV", 4),
            ("XII", 12),
            ("3.2", 3),
        ];
        for (s, n) in cases {
            assert_eq!(parse_number(s), Some(n), "{s}");
        }
    }

    /// (kind, label, number, parent) of each unit of `text`.
    fn outline(text: &str) -> Vec<(&'static str, String, Option<i64>, Option<String>)> {
        units(text)
            .into_iter()
            .map(|u| (u.kind.as_str(), u.label, u.number, u.parent))
            .collect()
    }

    /// The same, from literals.
    fn want(
        rows: &[(&'static str, &str, Option<i64>, Option<&str>)],
    ) -> Vec<(&'static str, String, Option<i64>, Option<String>)> {
        rows.iter()
            .map(|&(k, l, n, p)| (k, l.to_string(), n, p.map(str::to_string)))
            .collect()
    }

    #[test]
    fn chinese_law_structure() {
        let text = "某某法\n\n第一章 开头\n\n第一条 甲项……\n第二条　乙项……\n第二章 末尾\n第 10 條 末尾內容。\n";
        assert_eq!(
            outline(text),
            want(&[
                ("preamble", "", None, None),
                ("chapter", "第一章", Some(1), None),
                ("article", "第一条", Some(1), Some("第一章")),
                ("article", "第二条", Some(2), Some("第一章")),
                ("chapter", "第二章", Some(2), None),
                ("article", "第 10 條", Some(10), Some("第二章")),
            ])
        );
    }

    #[test]
    fn english_structure() {
        let text = "Title\nChapter IV General\nArticle 5 Scope\n1. This applies.\n2. That too.\n\
                    Sec. 3. Policy\n§ 4.1 Rules\nArticles 3 and 4 are cited here, not headings.\n";
        assert_eq!(
            outline(text),
            want(&[
                ("preamble", "", None, None),
                ("chapter", "Chapter IV", Some(4), None),
                ("article", "Article 5", Some(5), Some("Chapter IV")),
                ("paragraph", "1.", Some(1), Some("Article 5")),
                ("paragraph", "2.", Some(2), Some("Article 5")),
                ("section", "Sec. 3", Some(3), Some("Chapter IV")),
                ("section", "§ 4.1", Some(4), Some("Chapter IV")),
            ])
        );
        let u = units(text);
        assert_eq!(u[unit_at(&u, text.find("applies").unwrap())].label, "1.");
        assert_eq!(u[unit_at(&u, 0)].kind, UnitKind::Preamble);
    }

    #[test]
    fn cross_references_at_a_line_start_are_not_headings() {
        let text = "依照本纲要\n第十条所说的事项另行说明。\nArticle 5 of the Act applies.\n\
                    Section 230(c) protects hosts.\nArticle 6(1) lists the bases.\n\
                    第 6-1 條 本條新增。\n第十條之一 補充規定。\n";
        let all = units(text);
        let got: Vec<(&str, Option<i64>)> =
            all.iter().map(|u| (u.label.as_str(), u.number)).collect();
        assert_eq!(
            got,
            vec![("", None), ("第 6-1 條", Some(6)), ("第十條之一", Some(10))]
        );
    }

    #[test]
    fn absurd_numbers_do_not_overflow() {
        assert_eq!(
            parse_number("九九九九九九九九九九九九九九九九九九九九九"),
            None
        );
        assert_eq!(
            units("第九九九九九九九九九九九九九九九九九九九九九条 内容\n").len(),
            1
        );
    }

    #[test]
    fn headings_after_markdown_marks_and_spacing_variants() {
        let cases: &[(&str, &str, &str, Option<i64>)] = &[
            ("Markdown chapter", "# 第 一 章 起始\n", "第 一 章", Some(1)),
            (
                "Markdown article, spaced",
                "## 第 1 條\n",
                "第 1 條",
                Some(1),
            ),
            (
                "Markdown article, sub-number",
                "## 第 1-1 條\n",
                "第 1-1 條",
                Some(1),
            ),
            ("no space, with a title", "第1條 簡稱\n", "第1條", Some(1)),
            (
                "full-width space",
                "　第三十條　內容\n",
                "第三十條",
                Some(30),
            ),
            ("English article", "## Article 1\n", "Article 1", Some(1)),
            (
                "English article, sub-number",
                "## Article 1-1\n",
                "Article 1-1",
                Some(1),
            ),
            (
                "English chapter",
                "# Chapter I Opening Rules\n",
                "Chapter I",
                Some(1),
            ),
            (
                "section with a title",
                "Section 2 Interpretation\n",
                "Section 2",
                Some(2),
            ),
            ("a list bullet", "- Article 7 Scope\n", "Article 7", Some(7)),
            ("bold", "**Article 8**\n", "Article 8", Some(8)),
            ("a quote", "> 第三条 内容\n", "第三条", Some(3)),
        ];
        for (name, line, label, number) in cases {
            let text = format!("Preamble.\n{line}Body text.\n");
            let u = units(&text);
            assert_eq!(u.len(), 2, "{name}: {u:?}");
            assert_eq!(
                (u[1].label.as_str(), u[1].number),
                (*label, *number),
                "{name}"
            );
            assert_eq!(
                &text[u[1].start..u[1].start + label.len()],
                *label,
                "{name}: offset"
            );
        }
        // Marks alone, or marks that are text, make no heading.
        for text in [
            "## Overview\n",
            "- the article 5 of\n",
            "#第一条\n",
            "--- \n",
        ] {
            assert_eq!(units(text).len(), 1, "{text:?}");
        }
    }

    #[test]
    fn citations_of_acts_are_notes_in_the_body_and_in_an_annex() {
        // Invented acts, cited as an EU act cites them.
        let text = "Body text about safety.\n\
                    (7) Regulation (EU) 2031/77 of the Harbour Assembly of 3 March 2031 \
                    on lighthouse lamps and their safety (OJ L 999, 4.3.2031, p. 5).\n\
                    More body text.\nAnnex I\nList of acts\n\
                    1. Directive 2030/12/EU of the Harbour Assembly on quay cranes \
                    (OJ L 998, 9.9.2030, p. 2);\nThe annex goes on.\n";
        let found: Vec<(Zone, &str)> = heading_zones(text)
            .into_iter()
            .map(|(a, b, z)| (z, text[a..b].trim()))
            .collect();
        let kinds: Vec<Zone> = found.iter().map(|f| f.0).collect();
        assert_eq!(
            kinds,
            [Zone::Footnotes, Zone::Annex, Zone::Footnotes, Zone::Annex],
            "{found:?}"
        );
        assert!(found[0].1.starts_with("(7) Regulation") && found[0].1.ends_with("p. 5)."));
        assert!(found[3].1.ends_with("The annex goes on."), "{found:?}");
        // A citation in a sentence of the body, or without its OJ reference, is not one.
        for line in [
            "(12) Regulation (EU) 2031/77 applies to every lamp of the harbour.",
            "as Regulation (EU) 2031/77 provides (OJ L 999, 4.3.2031, p. 5).",
        ] {
            assert!(!is_citation(line), "{line}");
        }
    }

    #[test]
    fn zones_are_found_from_their_headings() {
        let text = "Title\nTable of Contents\n\nIntroduction 1\nPillar I: Innovation 3\n\n\
                    Introduction\nThe body starts here, in prose.\n## References\n\
                    1. Someone, A report on trustworthy AI. https://example.org\n\
                    Annex I Lists\nA list.\nNotes\n1 See above.\n";
        let z = heading_zones(text);
        let named: Vec<(Zone, &str)> = z
            .iter()
            .map(|&(a, b, zone)| (zone, text[a..b].lines().next().unwrap()))
            .collect();
        assert_eq!(
            named,
            vec![
                (Zone::Toc, "Table of Contents"),
                (Zone::References, "## References"),
                (Zone::Annex, "Annex I Lists"),
                (Zone::Footnotes, "Notes"),
            ]
        );
        // The table of contents ends where the body's first heading repeats an entry.
        let body = text.find("Introduction\nThe body").unwrap();
        assert_eq!(z[0].1, body);
        assert_eq!(zone_at(&z, body + 20), Zone::Body);
        assert_eq!(zone_at(&z, text.find("Someone").unwrap()), Zone::References);
        assert_eq!(
            zone_at(&z, text.find("See above").unwrap()),
            Zone::Footnotes
        );
        // A heading word inside prose, a long line, or a contents entry with its
        // page number, starts no zone.
        for prose in [
            "50 References\n",
            "See the references below.\n",
            "Notes on how the plan is carried out come in the next chapter of this long text\n",
            "The annex lists systems.\n",
        ] {
            assert!(heading_zones(prose).is_empty(), "{prose}");
        }
        // Inside a table of contents, the headings of zones are entries.
        let toc = "Contents\nIntroduction 1\nAppendix 9\nEndnotes 12\n\nIntroduction\n\
                   Prose begins.\n7. References\nA. Book.\n";
        let z = heading_zones(toc);
        let kinds: Vec<Zone> = z.iter().map(|z| z.2).collect();
        assert_eq!(kinds, [Zone::Toc, Zone::References]);
        assert_eq!(zone_at(&z, toc.find("Prose").unwrap()), Zone::Body);
        // Chinese headings, in both scripts.
        let zh = "正文内容\n参考文献\n［1］某报告\n";
        assert_eq!(heading_zones(zh)[0].2, Zone::References);
        assert_eq!(
            heading_zones("正文\n參考文獻\n某報告\n")[0].2,
            Zone::References
        );
        assert_eq!(heading_zones("正文\n目錄\n第一章 起始 1\n")[0].2, Zone::Toc);
        // Notes in the middle end at the next heading of the body; a reference
        // entry that starts like a heading word does not end the list.
        let mid = "Intro.\nNotes\n1 A note.\n2. Governance\nBody text here.\nReferences\n\
                   Partnership on AI (2019). Report.\nArticle 19 (2018), Privacy.\n";
        let z = heading_zones(mid);
        assert_eq!(z.len(), 2, "{z:?}");
        assert_eq!(zone_at(&z, mid.find("Body text").unwrap()), Zone::Body);
        assert_eq!(
            zone_at(&z, mid.find("Article 19").unwrap()),
            Zone::References
        );
        // Bold zone headings.
        assert_eq!(
            heading_zones("Text.\n**References**\nA book, 2020.\n")[0].2,
            Zone::References
        );
    }

    #[test]
    fn a_heading_at_the_very_start_replaces_the_preamble() {
        let u = units("第一条 内容");
        assert_eq!(u.len(), 1);
        assert_eq!(u[0].label, "第一条");
    }
}
