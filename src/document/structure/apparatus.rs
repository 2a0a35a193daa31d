//! The apparatus around a document's discourse that no heading announces.
//!
//! Tables of contents, references, notes and annexes start at a heading of their
//! own ([`super::zones`]); what is found here has none and is recognised by its
//! lines:
//!
//! - **front**: the lines before the first line of discourse: a cover or title
//!   page, the title, a date, an addressee or subject block, a resolution's
//!   agenda header;
//! - **signature**: the short lines after the last line of discourse: a
//!   signatory, a place and date;
//! - **lists**: runs of lines that are names (panelists with their posts,
//!   organisations), or one long line that is nothing but names;
//! - **labels**: figure and table labels (`Figure 2: …`, `Table 1 …`, 图1, 表2);
//! - **toc**: a table of contents without its heading: three or more lines in a
//!   row that are entries with page numbers.
//!
//! A line of discourse ([`prose`]) is a sentence: it ends with a sentence's
//! punctuation and has at least six words, or it is long and holds a sentence
//! break. Every rule looks at one line, or a bounded run of them, so the cost is
//! linear in the text.

use std::sync::LazyLock;

use regex::Regex;

use super::{HEADINGS, UnitKind, Zone, marks_before_heading, zone_at, zone_heading};

/// The front is looked for within this many non-blank lines and bytes; a text
/// with no line of discourse by then has no front.
const FRONT_LINES: usize = 80;
const FRONT_BYTES: usize = 48 * 1024;
/// A signature block has at most this many lines, each of at most this many words.
const SIGNATURE_LINES: usize = 6;
const SIGNATURE_WORDS: f64 = 10.0;
/// Lines longer than this are never apparatus (and are not looked at word by word).
const MAX_LINE: usize = 8 * 1024;
/// A run of name lines or contents entries is apparatus from this many lines on.
const RUN: usize = 3;
/// A hard-wrapped sentence is looked for over at most this many lines.
const WRAPPED: usize = 6;
/// A single line of names is a list from this many names' words on.
const LONG_LIST_WORDS: usize = 20;

/// Lower-case words that join the capitalised words of a name.
const CONNECTORS: &[&str] = &[
    "of", "and", "for", "the", "on", "in", "at", "to", "&", "|", "de", "du", "la", "with", "a",
];

/// A non-blank line of the text.
struct Line<'a> {
    start: usize,
    end: usize,
    /// The line without Markdown marks, bullets or surrounding spaces.
    bare: &'a str,
    /// The zone the headings gave it.
    zone: Zone,
}

/// The apparatus zones of `text`, laid over the zones its headings give
/// (`base`, sorted and disjoint): only lines of the body or an annex become
/// apparatus, and an annex is cut around them.
pub(super) fn overlay(text: &str, base: Vec<(usize, usize, Zone)>) -> Vec<(usize, usize, Zone)> {
    let lines = lines(text, &base);
    let extra = apparatus(&lines);
    if extra.is_empty() {
        return base;
    }
    let mut out = Vec::with_capacity(base.len() + 2 * extra.len());
    let mut extra = extra.into_iter().peekable();
    for (a, b, zone) in base {
        while let Some(&e) = extra.peek()
            && e.1 <= a
        {
            out.push(e);
            extra.next();
        }
        let mut start = a;
        // Apparatus lies only in the body or an annex, never across a boundary.
        while let Some(&e) = extra.peek()
            && e.0 < b
        {
            if start < e.0 {
                out.push((start, e.0, zone));
            }
            out.push(e);
            start = e.1;
            extra.next();
        }
        if start < b {
            out.push((start, b, zone));
        }
    }
    out.extend(extra);
    out
}

fn lines<'a>(text: &'a str, base: &[(usize, usize, Zone)]) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    let mut at = 0;
    for raw in text.split_inclusive('\n') {
        let start = at;
        at += raw.len();
        let marks = marks_before_heading(raw);
        let bare = raw[marks..]
            .trim()
            .trim_start_matches(['•', '·', '▪', '●', '◦', '–'])
            .trim();
        if bare.is_empty() {
            continue;
        }
        out.push(Line {
            start,
            end: at,
            bare,
            zone: zone_at(base, start),
        });
    }
    out
}

/// Sorted, disjoint ranges of apparatus, each within the body or one annex.
fn apparatus(lines: &[Line<'_>]) -> Vec<(usize, usize, Zone)> {
    // What each line is: None for the discourse.
    let mut kind: Vec<Option<Zone>> = vec![None; lines.len()];
    let open = |l: &Line<'_>| matches!(l.zone, Zone::Body | Zone::Annex);

    // The front: from the first line to the first sentence of discourse (a
    // hard-wrapped sentence is one, though none of its lines is) or heading.
    let front = lines
        .iter()
        .take(FRONT_LINES)
        .take_while(|l| l.end <= FRONT_BYTES)
        .enumerate()
        .position(|(i, l)| l.zone != Zone::Body || sentence_at(lines, i) || starts_body(l.bare));
    if let Some(n) = front {
        kind[..n].fill(Some(Zone::Front));
    }
    let front_end = front.unwrap_or(0);

    // The signature: short lines after the last paragraph of discourse of the body.
    // (Not before an annex: the body's last lines there are a heading or a sentence.)
    let last_body = lines.iter().rposition(|l| l.zone == Zone::Body);
    if let Some(last) = last_body.filter(|&i| lines[i..].iter().all(|l| l.zone != Zone::Annex)) {
        let mut i = last + 1;
        while i > front_end + 1 && last + 1 - (i - 1) <= SIGNATURE_LINES {
            let l = &lines[i - 1];
            if l.zone != Zone::Body
                || sentence_at(lines, i - 1)
                || continues(lines, i - 1)
                || !signature_line(l.bare)
            {
                break;
            }
            i -= 1;
        }
        if i <= last {
            kind[i..=last].fill(Some(Zone::Signature));
        }
    }

    for (i, l) in lines.iter().enumerate() {
        if kind[i].is_none() && open(l) && label(l.bare) {
            kind[i] = Some(Zone::Labels);
        }
    }
    mark_runs(lines, &mut kind, Zone::Toc, toc_entry);
    mark_runs(lines, &mut kind, Zone::Lists, name_line);
    for (i, l) in lines.iter().enumerate() {
        if kind[i].is_none() && open(l) && long_name_line(l.bare) {
            kind[i] = Some(Zone::Lists);
        }
    }

    // Consecutive lines of one kind and one base zone are one range.
    let mut out: Vec<(usize, usize, Zone)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(z) = kind[i] else { continue };
        let joins = i > 0 && kind[i - 1] == Some(z) && lines[i - 1].zone == l.zone;
        match out.last_mut() {
            Some(last) if joins => last.1 = l.end,
            _ => out.push((l.start, l.end, z)),
        }
    }
    out
}

/// Whether line `i` goes on from the line before it, as a hard-wrapped sentence
/// does: no blank line between, and the line before is long (eight words or
/// more) and does not end a sentence or clause.
fn continues(lines: &[Line<'_>], i: usize) -> bool {
    i > 0
        && lines[i].start == lines[i - 1].end
        && !starts_body(lines[i].bare)
        && words(lines[i - 1].bare) >= 8.0
        && !lines[i - 1]
            .bare
            .ends_with(['.', '。', ';', '；', ':', '：', '!', '?', '！', '？'])
}

/// Whether the sentence that starts at line `i` is prose: the line with the
/// lines that go on from it (at most [`WRAPPED`]), joined.
fn sentence_at(lines: &[Line<'_>], i: usize) -> bool {
    if prose(lines[i].bare) {
        return true;
    }
    let mut joined = lines[i].bare.to_string();
    for j in i + 1..lines.len().min(i + WRAPPED) {
        if !continues(lines, j) || joined.len() > MAX_LINE {
            break;
        }
        joined.push(' ');
        joined.push_str(lines[j].bare);
        if prose(&joined) {
            return true;
        }
    }
    false
}

/// Marks as `zone` every run of at least [`RUN`] lines in a row, of the body or
/// of one annex and not yet apparatus, for which `is` holds.
fn mark_runs(lines: &[Line<'_>], kind: &mut [Option<Zone>], zone: Zone, is: fn(&str) -> bool) {
    let ok: Vec<bool> = lines
        .iter()
        .zip(kind.iter())
        .map(|(l, k)| {
            k.is_none()
                && matches!(l.zone, Zone::Body | Zone::Annex)
                && l.bare.len() <= MAX_LINE
                && is(l.bare)
        })
        .collect();
    let mut i = 0;
    while i < lines.len() {
        if !ok[i] {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < lines.len() && ok[j] && lines[j].zone == lines[i].zone {
            j += 1;
        }
        if j - i >= RUN {
            kind[i..j].fill(Some(zone));
        }
        i = j;
    }
}

/// The size of a line in words: English words, and Han characters two to a word.
fn words(line: &str) -> f64 {
    let (mut han, mut latin) = (0usize, 0usize);
    for w in line.split_whitespace() {
        let mut letters = false;
        for c in w.chars() {
            if is_han(c) {
                han += 1;
            } else if !letters && (c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic()))
            {
                letters = true;
            }
        }
        latin += usize::from(letters);
    }
    latin as f64 + han as f64 / 2.0
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{3134f}')
}

/// Whether a line is a sentence of the discourse: it ends (before any footnote
/// number and closing quote or bracket) with a sentence's full stop, semicolon,
/// question or exclamation mark and has at least six words (any size after 。),
/// or with a comma or colon and has at least 15 words, or it has at least 25
/// words and a sentence break inside (and is not a long title-case title).
pub(super) fn prose(line: &str) -> bool {
    if line.len() > MAX_LINE {
        return true;
    }
    let end = strip_note(line.trim_end().trim_end_matches(CLOSERS)).trim_end_matches(CLOSERS);
    if end.ends_with('。') {
        return true;
    }
    let ends = end.ends_with(['.', ';', '；', '!', '?', '！', '？', '…']);
    // A clause that goes on (a resolution's "Recalling …,", "… as follows:").
    let goes_on = end.ends_with([',', '，', ':', '：']);
    let breaks = line.contains(". ") || line.contains('。') || line.contains("; ");
    if !(ends || goes_on || breaks) {
        return false;
    }
    let size = words(line);
    // A long title ("Memorandum on …; Guarding …; and Promoting …") has its
    // words capitalised.
    let title = || capitals(line).is_some_and(|(capital, content)| capital * 100 >= content * 80);
    (ends && size >= 6.0) || (goes_on && size >= 15.0) || (size >= 25.0 && breaks && !title())
}

/// Quotes and brackets that may close a sentence after its full stop.
const CLOSERS: &[char] = &[
    ')', '）', ']', '】', '」', '』', '”', '’', '"', '\'', '*', '†', '‡',
];

/// A sentence without the footnote number after its full stop: "… a day.12" is
/// "… a day.", while "(H/31/L.7" and "version 1.0" keep their numbers (the stop
/// must follow a word of two letters or more).
fn strip_note(line: &str) -> &str {
    let head = line
        .trim_end_matches(|c: char| c.is_ascii_digit() || "¹²³⁴⁵⁶⁷⁸⁹⁰".contains(c))
        .trim_end();
    if head.len() == line.len() || line.len() - head.len() > 9 {
        return line;
    }
    let mut before = head.trim_end_matches(CLOSERS).chars().rev();
    let stop = before.next();
    let word = before
        .take_while(|c| c.is_alphabetic() || CLOSERS.contains(c))
        .filter(|c| c.is_alphabetic())
        .count();
    if stop.is_some_and(|c| ".;,:。；".contains(c)) && word >= 2 {
        head
    } else {
        line
    }
}

/// Whether a line begins the body: a unit heading (article, section, chapter,
/// part …; not a numbered paragraph) or a zone's heading.
fn starts_body(line: &str) -> bool {
    HEADINGS
        .iter()
        .any(|(kind, re)| *kind != UnitKind::Paragraph && re.is_match(line))
        || zone_heading(line).is_some()
}

/// A line of a signature block: short, not a sentence, heading or list item, and
/// a name, post or place (its words capitalised), a date, or a short Chinese
/// line without a clause's commas (an issuer, 2031年3月3日).
fn signature_line(line: &str) -> bool {
    if words(line) > SIGNATURE_WORDS
        || prose(line)
        || starts_body(line)
        || enumerated(line)
        || line.ends_with([':', '：', ';', '；', '，'])
        || line.contains(['‘', '“', '"', '「'])
        || line.contains("http")
    {
        return false;
    }
    if line.chars().any(is_han) {
        return !line.contains(['，', '、', '。', '；']);
    }
    super::has_year(line) || capitals(line).is_some_and(|(c, n)| c * 100 >= n * 85)
}

/// Whether a line starts with an enumeration: `1.`, `2)`, `(a)`, `(iv)`, `a)`.
fn enumerated(line: &str) -> bool {
    static ENUM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\(?[0-9]{1,3}[.)]|\([a-zA-Z]{1,4}\)|[a-z]\))(?:\s|$)")
            .expect("valid enumeration pattern")
    });
    ENUM.is_match(line)
}

/// A figure or table label: `Figure 2: …`, `Fig. 3.1 …`, `Table 1 – …`, `Box 4.`,
/// 图1, 表 2, 圖三.
fn label(line: &str) -> bool {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:(?:Figure|FIGURE|Fig\.|Table|TABLE|Chart|Box|Exhibit|Diagram)[ \t]+[0-9]{1,3}(?:\.[0-9]{1,3})?[A-Za-z]?(?:[ \t]*[.:\u{2013}\u{2014}-][ \t]|[ \t]*$|[ \t]+[A-Z])|[图表圖][ \t]*[0-9一二三四五六七八九十]{1,3}(?:[ \t\u{3000}.:：、]|$))",
        )
        .expect("valid label pattern")
    });
    let starts = |c: char| "FTCBEDfF图表圖".contains(c);
    line.len() <= 400
        && line.chars().next().is_some_and(starts)
        && LABEL.is_match(line)
        && !prose_after_label(line)
}

/// "Table 2 shows that …": a sentence about a table, not its label.
fn prose_after_label(line: &str) -> bool {
    let size = words(line);
    size > 30.0 || (size >= 12.0 && line.contains(". "))
}

/// An entry of a table of contents without its heading: a title with its page
/// number first or last (`12 Conclusion`, `Risk management 14`), or a line of
/// several numbered sections with their pages (`5 1.1 Tides 6 1.2 Lamps`).
fn toc_entry(line: &str) -> bool {
    static SECTION: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b[0-9]{1,2}\.[0-9]{1,2} [A-Z]").expect("valid pattern"));
    let page =
        |w: Option<&str>| w.is_some_and(|w| w.len() <= 3 && w.chars().all(|c| c.is_ascii_digit()));
    let first = line.split_whitespace().next();
    let last = line.split_whitespace().next_back();
    // Most lines have no page number at either end: ruled out before reading them.
    if !(page(first) || page(last)) || prose(line) || line.contains("http") {
        return false;
    }
    let titled = line
        .split_whitespace()
        .any(|w| w.chars().next().is_some_and(char::is_uppercase));
    let size = words(line);
    let numbered = (page(first) || page(last)) && titled && size >= 1.0;
    (numbered && size <= 15.0) || (page(first) && SECTION.find_iter(line).count() >= 2)
}

/// The capitalised share of a line's words, and how many words it has (not
/// counting connectors): `None` for a line with Han text or no words.
fn capitals(line: &str) -> Option<(usize, usize)> {
    if line.chars().any(is_han) {
        return None;
    }
    let mut content = 0;
    let mut capital = 0;
    for w in line.split_whitespace() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '&' && c != '|');
        if w.is_empty() || CONNECTORS.contains(&w) {
            continue;
        }
        let Some(first) = w.chars().find(|c| c.is_alphanumeric()) else {
            continue;
        };
        content += 1;
        if first.is_uppercase() || first.is_ascii_digit() {
            capital += 1;
        }
    }
    (content > 0).then_some((capital, content))
}

/// A line that is a name, or a name with its post: `Jane Doe, Director, Office of
/// Lighthouses` — capitalised words (at least 85% of them, connectors aside), at
/// least three, or with a comma, or two both capitalised (`Harbour Council`); not a
/// sentence, not a heading or numbered item.
fn name_line(line: &str) -> bool {
    if line.ends_with([':', '.', '。', ';'])
        || line.contains(": ")
        || enumerated(line)
        || starts_body(line)
    {
        return false;
    }
    if line.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return false;
    }
    match capitals(line) {
        Some((capital, content)) => {
            (content >= 3 || line.contains(", ") || (content == 2 && capital == 2))
                && capital * 100 >= content * 85
        }
        None => false,
    }
}

/// One long line of nothing but names (a list of organisations run together).
fn long_name_line(line: &str) -> bool {
    line.len() <= MAX_LINE
        && !line.ends_with(['.', ';', ':', ',', '!', '?', '。', '；', '：', '，'])
        && !line.contains(". ")
        && !prose(line)
        && capitals(line).is_some_and(|(capital, content)| {
            content >= LONG_LIST_WORDS && capital * 100 >= content * 90
        })
}

#[cfg(test)]
mod tests {
    use super::super::zones;
    use super::*;

    fn zone_of(text: &str, needle: &str) -> Zone {
        let at = text.find(needle).expect("needle in text");
        zone_at(&zones(text), at)
    }

    #[test]
    fn a_title_and_addressee_block_is_front_until_the_first_sentence() {
        let text = "Memorandum on Lighthouse Safety and Harbour Innovation\n\nMarch 3, 2031\n\n\
                    NOTE TO THE WARDEN OF HARBOUR LAMPS\n\nTHE KEEPER OF THE TIDE TABLES\n\n\
                    SUBJECT: Lighthouse Safety\n\nSection 1. Purpose. This memorandum sets out how keepers report safety incidents.\n";
        assert_eq!(zone_of(text, "Harbour Innovation"), Zone::Front);
        assert_eq!(zone_of(text, "WARDEN OF HARBOUR"), Zone::Front);
        assert_eq!(zone_of(text, "SUBJECT"), Zone::Front);
        assert_eq!(zone_of(text, "keepers report safety"), Zone::Body);
    }

    #[test]
    fn a_chinese_notice_has_its_title_number_and_addressee_in_front() {
        let text = "湖区灯塔署关于灯塔守护办法的告示\n\n湖灯〔2031〕7号\n\n各港口灯塔站，署内各科：\n\n\
                    兹将《灯塔守护办法》发送各站，望逐条对照并认真落实。\n\n一、守灯要点\n\n夜间巡灯两次，灯罩每日擦拭。\n\n湖区灯塔署\n\n2031年3月3日\n";
        assert_eq!(zone_of(text, "灯塔守护办法的告示"), Zone::Front);
        assert_eq!(zone_of(text, "各港口"), Zone::Front);
        assert_eq!(zone_of(text, "兹将"), Zone::Body);
        assert_eq!(zone_of(text, "夜间巡灯"), Zone::Body);
        // The issuer and date after the last sentence are its signature.
        assert_eq!(zone_of(text, "2031年3月3日"), Zone::Signature);
    }

    #[test]
    fn a_text_that_starts_with_a_sentence_or_an_article_has_no_front() {
        let text = "Keepers shall report every safety incident within a day.\nARTHUR KEEPER\n";
        assert_eq!(zone_of(text, "Keepers shall"), Zone::Body);
        let law = "第一条 灯塔由守灯人日夜看护。\n第二条 本规定从2031年1月1日开始实行。\n";
        assert!(zones(law).is_empty());
    }

    #[test]
    fn a_hard_wrapped_first_sentence_is_not_front() {
        let text = "Harbour Safety Rules\n\nKeepers shall report every safety incident to the\n\
                    harbour office within one day, and the office\nshall keep the reports.\n\n\
                    Lamps are checked monthly by the keepers of the\nharbour.\n";
        assert_eq!(zone_of(text, "Harbour Safety Rules"), Zone::Front);
        assert_eq!(zone_of(text, "Keepers shall"), Zone::Body);
        assert_eq!(zone_of(text, "harbour.\n"), Zone::Body);
    }

    #[test]
    fn a_text_without_any_sentence_has_no_front() {
        let text = "Lighthouse Safety\nHarbour Innovation\nTide Tables\n".repeat(40);
        assert!(zones(&text).iter().all(|z| z.2 != Zone::Front));
    }

    #[test]
    fn panelists_with_their_posts_are_a_list() {
        let text = "The panel met twice and discussed how keepers report safety incidents.\n\nPanelists:\n\n\
                    • Jane Doe, Director, Office of Lighthouse Innovation\n\n\
                    • John Roe, Professor of Tidal Engineering, Harbour University\n\n\
                    • Ada Poe, Senior Fellow, Centre for Maritime Safety and Security\n\n\
                    The panel then weighed automated lamps against keepers on night watch.\n";
        assert_eq!(zone_of(text, "Lighthouse Innovation"), Zone::Lists);
        assert_eq!(zone_of(text, "Maritime Safety"), Zone::Lists);
        assert_eq!(zone_of(text, "weighed automated"), Zone::Body);
        assert_eq!(zone_of(text, "The panel met"), Zone::Body);
    }

    #[test]
    fn a_line_of_organisations_run_together_is_a_list() {
        let text = "The office received comments from the organisations listed below, which it read in full.\n\
                    Harbour Safety Council Lighthouse Keepers Union Maritime Innovation Forum Tidal Data Trust \
                    Coastal Privacy Alliance Beacon Labs Centre for Responsible Navigation Fog Signal Institute \
                    Ocean Rights Watch Port Security Association\n\
                    The comments are summarised in the next section of this report.\n";
        assert_eq!(zone_of(text, "Maritime Innovation Forum"), Zone::Lists);
        assert_eq!(zone_of(text, "summarised"), Zone::Body);
    }

    #[test]
    fn title_case_items_that_are_numbered_or_few_stay_in_the_body() {
        let text = "The guide covers five dimensions of harbour governance in turn.\n\
                    1. Answerability\n2. Records\n3. Sound Lamp Building and Lighting\n4. Outage Notices\n\
                    Every heading is set out below, with the choices open to the keepers.\n\
                    Responsible Lighthouse Innovation\n\
                    Keepers should innovate responsibly and report what they learn.\n";
        assert_eq!(zone_of(text, "Sound Lamp Building"), Zone::Body);
        assert_eq!(zone_of(text, "Responsible Lighthouse"), Zone::Body);
    }

    #[test]
    fn figure_and_table_labels_are_labels_but_sentences_about_them_are_not() {
        let text = "Keepers report safety incidents to the harbour office every week.\n\
                    Figure 2: Trustworthy lamp lifecycle\n\
                    Table 1 – Safety incidents by harbour\n\
                    图3 灯塔安全事件\n\
                    Table 1 shows that safety incidents fell in every harbour. The trend held in every season of the year.\n";
        assert_eq!(zone_of(text, "Trustworthy lamp"), Zone::Labels);
        assert_eq!(zone_of(text, "by harbour"), Zone::Labels);
        assert_eq!(zone_of(text, "灯塔安全事件"), Zone::Labels);
        assert_eq!(zone_of(text, "shows that"), Zone::Body);
    }

    #[test]
    fn contents_without_a_heading_are_a_table_of_contents() {
        let text = "Keepers report safety incidents to the harbour office every week.\n\
                    2 Introduction 01\n5 1.1 Tides 6 1.2 Lamps of the Harbour 8 1.3 Keepers Today\n\
                    18 Conclusion 04\n38 Appendix: Use Cases\n\
                    Lamps are inspected monthly, and every inspection is logged by the keeper.\n";
        assert_eq!(zone_of(text, "Keepers Today"), Zone::Toc);
        assert_eq!(zone_of(text, "Use Cases"), Zone::Toc);
        assert_eq!(zone_of(text, "inspected monthly"), Zone::Body);
    }

    #[test]
    fn apparatus_in_an_annex_cuts_the_annex_around_it() {
        let text = "The rules apply to every harbour and every keeper in the lake district.\n\
                    Annex I\nThe annex lists the lamps that the rules cover in each harbour.\n\
                    Figure 1: Lamp types\n\
                    Lamps of every type are inspected monthly by a certified keeper.\n";
        let z = zones(text);
        assert_eq!(zone_at(&z, text.find("Lamp types").unwrap()), Zone::Labels);
        assert_eq!(
            zone_at(&z, text.find("The annex lists").unwrap()),
            Zone::Annex
        );
        assert_eq!(
            zone_at(&z, text.find("Lamps of every").unwrap()),
            Zone::Annex
        );
        // Sorted and disjoint.
        assert!(z.windows(2).all(|w| w[0].1 <= w[1].0));
    }

    #[test]
    fn a_sentence_is_prose_and_a_title_is_not() {
        assert!(prose(
            "Keepers shall report every safety incident within a day.1"
        ));
        assert!(prose(
            "兹将《灯塔安全规划》发送各单位，望结合实际认真落实。"
        ));
        assert!(!prose(
            "Memorandum on Lighthouse Safety and Harbour Innovation"
        ));
        assert!(!prose("JANE R. DOE JR."));
        assert!(!prose("The Harbour Assembly,"));
        assert!(prose("本规定从2031年1月1日开始实行。"));
        assert!(prose(
            "Keeping in view its earlier decision 31/7 of 3 March 2031 on lamps, keepers and harbours at night, 2"
        ));
        assert!(!prose("各区县人民政府，委员会各部门："));
        assert!(!prose("Lamp Safety Framework for Harbours (LSF 1.0)"));
        assert!(!prose(
            "[adopted without a vote of the Lamp Committee (H/31/L.7)]"
        ));
        assert!(prose(
            "Keepers report every incident to the harbour office.”12"
        ));
        assert!(!prose(
            "Memorandum on Lamp Design for the Harbour; Guarding Lamps for Maritime Purposes; \
             and Promoting the Care, Upkeep, and Reliability of Lamps and Their Keepers in \
             Every Harbour of the Lake District"
        ));
    }
}
