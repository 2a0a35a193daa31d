//! From the positioned lines of a PDF's pages to text in reading order.
//!
//! A page is a set of lines on a sheet; text is paragraphs in order. The steps:
//!
//! 1. **Running headers and footers** go: a line in the top or bottom eighth of its
//!    page whose text (digits aside) recurs in that margin on at least two pages
//!    and two fifths of them, and a bare page number (`7`, `7/12`, `Page 7 of 12`,
//!    `- 7 -`, `第7页`) standing first or last on its page.
//! 2. **Reading order**: where a page's narrow lines leave a vertical gutter with
//!    a column on either side (each aligned on its left edge), the left column is
//!    read before the right, band by band between lines that span both; columns
//!    are looked for again inside each column (three and more columns).
//! 3. **Paragraphs**: a line continues the one before unless there is a wider gap
//!    than the page's usual line pitch, the one before left room for the first
//!    word of this one (so it ended on purpose, in ragged and justified text
//!    alike), or a new column or page starts after a line that ends a sentence. Lines of a paragraph are joined with a space, without one
//!    between two CJK characters (a Chinese line break is no word boundary), and
//!    a word broken with a hyphen is made whole (`join_lines`).
//! 4. **Characters**: spaces that some PDFs put between every Han character of a
//!    line are removed, soft hyphens dropped, ligatures and CJK compatibility
//!    forms (ﬁ, ⼈) normalised.
//!
//! Paragraphs are separated by a blank line; the byte offset at which each page
//! starts is returned with the text, so that units and concordance lines can name
//! their page.

use std::collections::{HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;

use super::bbox::{Line, Page};
use crate::analyze::script::is_han;

/// Share of a page's height at the top and at the bottom where running headers
/// and footers are looked for.
const MARGIN: f64 = 0.125;
/// Share of the pages a margin line must recur on to be a running header.
const RUNNING_SHARE: f64 = 0.4;

/// A line ready to be placed: its text and its box.
#[derive(Debug, Clone)]
struct Placed {
    text: String,
    x0: f64,
    x1: f64,
    mid: f64,
    /// Width of the line's first word (of its first character, in CJK text):
    /// what the line before would have had room for had it not ended there.
    first_word: f64,
}

/// The text of `pages`, with the byte offset at which each page starts.
pub fn text(pages: &[Page]) -> (String, Vec<usize>) {
    let running = running_lines(pages);
    let placed: Vec<Vec<Placed>> = pages
        .iter()
        .zip(&running)
        .map(|(page, drop)| {
            page.lines
                .iter()
                .zip(drop)
                .filter(|(_, d)| !**d)
                .flat_map(|(line, _)| split_at_gaps(line))
                .map(|line| Placed {
                    text: line_text(&line),
                    x0: line.x0,
                    x1: line.x1,
                    mid: line.middle(),
                    first_word: first_word_width(&line),
                })
                .filter(|p| !p.text.trim().is_empty())
                .collect()
        })
        .collect();
    let vocabulary = Vocabulary::of(placed.iter().flatten().map(|p| p.text.as_str()));
    let mut out = Writer {
        text: String::new(),
        vocabulary,
        open: None,
    };
    let mut page_starts = Vec::with_capacity(pages.len());
    for lines in &placed {
        let order = reading_order(lines, (0..lines.len()).collect(), 0);
        let pitch = line_pitch(lines, &order);
        let columns = Columns::of(lines);
        let mut starts_page = true;
        let mut prev: Option<&Placed> = None;
        for &i in &order {
            let line = &lines[i];
            let continues = match prev {
                Some(p) if line.mid >= p.mid && (line.x0 - p.x0).abs() <= 0.3 * columns.width => {
                    line.mid - p.mid <= 1.25 * pitch && columns.room(p) <= line.first_word
                }
                // A new page or column.
                _ => out.open.as_ref().is_some_and(|o| o.may_continue_in(line)),
            };
            let at = out.push(line, continues, columns.room(line));
            if starts_page {
                page_starts.push(at);
                starts_page = false;
            }
            prev = Some(line);
        }
        if starts_page {
            page_starts.push(out.text.len());
        }
    }
    // A page with no lines starts where the text then ended, which a word joined
    // across the break may since have shortened: starts never run backwards.
    let mut next = out.text.len();
    for start in page_starts.iter_mut().rev() {
        *start = (*start).min(next);
        while !out.text.is_char_boundary(*start) {
            *start -= 1;
        }
        next = *start;
    }
    (out.text, page_starts)
}

/// The text being written and the paragraph it ends in.
struct Writer {
    text: String,
    vocabulary: Vocabulary,
    open: Option<Open>,
}

/// What the last line written says about whether the next may continue it.
struct Open {
    /// The line ended a sentence.
    ended: bool,
    /// Room left on the line before its column's right edge.
    room: f64,
}

impl Open {
    /// Whether `line`, first in a new column or page, continues the paragraph:
    /// the paragraph did not end a sentence, its last line had no room for the
    /// first word of `line`, and `line` starts as a continuation does (a
    /// lower-case letter or a CJK character).
    fn may_continue_in(&self, line: &Placed) -> bool {
        let first = line.text.chars().next().unwrap_or(' ');
        !self.ended && self.room <= line.first_word && (first.is_lowercase() || is_cjk(first))
    }
}

impl Writer {
    /// Appends `line`, continuing the open paragraph or starting a new one;
    /// returns the byte offset at which the line's text starts.
    fn push(&mut self, line: &Placed, continues: bool, room: f64) -> usize {
        let text = line.text.trim();
        if continues && !self.text.is_empty() {
            join_lines(&mut self.text, text, &self.vocabulary);
        } else {
            if !self.text.is_empty() {
                self.text.push_str("\n\n");
            }
            self.text.push_str(text);
        }
        let at = self.text.len() - text.len().min(self.text.len());
        let at = (0..=at)
            .rev()
            .find(|&i| self.text.is_char_boundary(i))
            .unwrap_or(0);
        let last = text.chars().last().unwrap_or('.');
        self.open = Some(Open {
            ended: ends_sentence(last),
            room,
        });
        at
    }
}

/// The words of the document, to tell a hyphen that breaks a word at the end of
/// a line from one that joins a compound.
struct Vocabulary {
    /// Words written whole, lower-cased (`trustworthy`, `decision-making`).
    words: HashSet<String>,
    /// The first parts of compounds written whole (`decision-`).
    prefixes: HashSet<String>,
}

impl Vocabulary {
    /// The words of `lines`, but for the parts of words broken at a line's end
    /// (the last word of a line ending in a hyphen and the first of the next).
    fn of<'a>(lines: impl Iterator<Item = &'a str>) -> Vocabulary {
        let mut words = HashSet::new();
        let mut prefixes = HashSet::new();
        let mut after_break = false;
        for line in lines {
            let broken = line.trim_end().ends_with(is_hyphen);
            let mut parts: Vec<&str> = line
                .split(|c: char| !(c.is_alphanumeric() || c == '-'))
                .map(|w| w.trim_matches('-'))
                .filter(|w| !w.is_empty())
                .collect();
            if broken {
                parts.pop();
            }
            if after_break && !parts.is_empty() {
                parts.remove(0);
            }
            after_break = broken;
            for w in parts {
                let lower = w.to_lowercase();
                if let Some((first, _)) = lower.split_once('-') {
                    prefixes.insert(format!("{first}-"));
                    for part in lower.split('-') {
                        words.insert(part.to_string());
                    }
                }
                words.insert(lower);
            }
        }
        Vocabulary { words, prefixes }
    }

    /// Whether `head`-`tail`, broken at the end of a line after a hyphen, is a
    /// compound to keep hyphenated rather than one word to join: it is, unless
    /// the joined word is written elsewhere in the document (and the compound,
    /// or its first part with a hyphen, is not). A line-end hyphen that only
    /// breaks a word is written as a soft hyphen by most producers, which is
    /// always joined; where it is not (typesetters that hyphenate), the words
    /// that matter recur, joined, elsewhere.
    fn keeps_hyphen(&self, head: &str, tail: &str) -> bool {
        let (head, tail) = (head.to_lowercase(), tail.to_lowercase());
        self.words.contains(&format!("{head}-{tail}"))
            || self.prefixes.contains(&format!("{head}-"))
            || !self.words.contains(&format!("{head}{tail}"))
    }
}

/// Appends `next` to `text`, which ends a line of the same paragraph.
fn join_lines(text: &mut String, next: &str, vocabulary: &Vocabulary) {
    let last = text.chars().last().unwrap_or(' ');
    let first = next.chars().next().unwrap_or(' ');
    if first.is_lowercase() && is_hyphen(last) {
        let without = text.trim_end_matches(is_hyphen);
        let soft = text[without.len()..].contains(['\u{AD}', '\u{2010}']);
        let before = without.chars().last().unwrap_or(' ');
        if before.is_alphabetic() {
            let head_start = without
                .rfind(|c: char| !c.is_alphanumeric())
                .map_or(0, |i| {
                    i + without[i..].chars().next().map_or(1, char::len_utf8)
                });
            let head = &without[head_start..];
            let tail_len = next
                .find(|c: char| !c.is_alphanumeric())
                .unwrap_or(next.len());
            let keep = !soft && vocabulary.keeps_hyphen(head, &next[..tail_len]);
            text.truncate(without.len());
            if keep {
                text.push('-');
            }
            text.push_str(next);
            return;
        }
    }
    if !(is_cjk(last) && is_cjk(first)) {
        text.push(' ');
    }
    text.push_str(next);
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{AD}' | '\u{2010}' | '\u{2011}')
}

/// Han characters and the punctuation and full-width forms of CJK text.
pub fn is_cjk(c: char) -> bool {
    is_han(c)
        || matches!(c as u32,
            0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F | 0x31A0..=0x31BF
            | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF)
}

fn ends_sentence(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | ':' | ';' | '。' | '！' | '？' | '：' | '；' | '」' | '』' | '”' | '"'
    )
}

/// The text of a line: its words joined by spaces, except between the Han
/// characters of a line that spaces every one of them; soft hyphens dropped,
/// ligatures and compatibility forms normalised.
fn line_text(line: &Line) -> String {
    let words = &line.words;
    let single_han = words
        .iter()
        .filter(|w| {
            let mut c = w.text.chars();
            c.next().is_some_and(is_han) && c.next().is_none()
        })
        .count();
    let spaced_out = words.len() >= 4 && single_han * 10 >= words.len() * 6;
    let mut gaps: Vec<f64> = words.windows(2).map(|w| w[1].x0 - w[0].x1).collect();
    gaps.sort_by(f64::total_cmp);
    let usual_gap = gaps.get(gaps.len() / 2).copied().unwrap_or(0.0);
    // Poppler cuts a word where a soft hyphen or a change of font stands,
    // without a gap: no space there.
    let touching = 0.08 * em(line).unwrap_or(0.0);
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            let prev = &words[i - 1];
            let gap = w.x0 - prev.x1;
            let han_pair = prev.text.chars().last().is_some_and(is_cjk)
                && w.text.chars().next().is_some_and(is_cjk);
            // The hyphen drawn where a soft hyphen broke the line belongs to
            // the word before it.
            let line_end_hyphen = i + 1 == words.len() && w.text.chars().all(is_hyphen);
            let closed_up = spaced_out && han_pair && gap <= 2.5 * usual_gap.max(0.5);
            if !(closed_up || line_end_hyphen || gap < touching) {
                out.push(' ');
            }
        }
        for c in w.text.chars() {
            push_normalised(&mut out, c);
        }
    }
    // A soft hyphen that ends the line is where a word broke: kept for joining.
    if words.last().is_some_and(|w| w.text.ends_with('\u{AD}')) {
        out.push('\u{AD}');
    }
    out
}

/// Appends `c`, without soft hyphens, ligatures and CJK compatibility forms.
fn push_normalised(out: &mut String, c: char) {
    match c as u32 {
        0xAD => {}
        0xFB00..=0xFB06 | 0x2E80..=0x2FDF | 0xF900..=0xFAFF => out.extend(c.to_string().nfkc()),
        _ => out.push(c),
    }
}

/// The width of the first word of `line` and the space before it. In CJK text,
/// where a line may break after any character, of two and a half characters:
/// line-breaking rules (no comma at the start of a line) carry a character or
/// two over with the punctuation after it.
fn first_word_width(line: &Line) -> f64 {
    let Some(w) = line.words.first() else {
        return 0.0;
    };
    let width = w.x1 - w.x0;
    let n = w.text.chars().count().max(1) as f64;
    if w.text.chars().next().is_some_and(is_cjk) {
        2.5 * width / n
    } else {
        // Plus a space, about a quarter of an em, an em about two letters.
        width + 0.5 * width / n
    }
}

/// About how wide an em is on `line`: the median over its words of their width
/// per character (a Latin letter about half an em, a Han character one).
fn em(line: &Line) -> Option<f64> {
    let mut ems: Vec<f64> = line
        .words
        .iter()
        .map(|w| {
            let n = w.text.chars().count().max(1) as f64;
            let per_char = (w.x1 - w.x0) / n;
            if w.text.chars().any(is_cjk) {
                per_char
            } else {
                2.0 * per_char
            }
        })
        .filter(|e| *e > 0.0)
        .collect();
    ems.sort_by(f64::total_cmp);
    ems.get(ems.len() / 2).copied()
}

/// A line cut where a gap between its words is wider than about an em: poppler
/// makes one line of the two columns' lines that stand on one baseline.
fn split_at_gaps(line: &Line) -> Vec<Line> {
    let Some(em) = em(line) else {
        return vec![line.clone()];
    };
    let mut out: Vec<Line> = Vec::new();
    for (i, w) in line.words.iter().enumerate() {
        let cut = i == 0 || w.x0 - line.words[i - 1].x1 > 0.9 * em;
        if cut {
            out.push(Line {
                x0: w.x0,
                y0: line.y0,
                x1: w.x1,
                y1: line.y1,
                words: Vec::new(),
            });
        }
        let part = out.last_mut().expect("a part was started");
        part.x1 = w.x1;
        part.words.push(w.clone());
    }
    out
}

/// Lines of each page that are running headers, footers or page numbers.
///
/// Margin lines are grouped by their text with digits folded (and top or
/// bottom); a group is running when it recurs on enough pages (or is a bare page
/// number, first or last on at least two pages) and its numbers behave as a
/// running line's do: all the same, but for one that counts the pages (the page
/// index plus a constant). Headings that happen to stand at the top of pages
/// (Article 14, Article 17) fold alike but do not count the pages.
fn running_lines(pages: &[Page]) -> Vec<Vec<bool>> {
    let mut drop: Vec<Vec<bool>> = pages.iter().map(|p| vec![false; p.lines.len()]).collect();
    if pages.len() < 2 {
        return drop;
    }
    // The top and bottom line middles of each page.
    let bounds: Vec<(f64, f64)> = pages
        .iter()
        .map(|p| {
            p.lines
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), l| {
                    (a.min(l.middle()), b.max(l.middle()))
                })
        })
        .collect();
    // Margin lines by folded text and top or bottom: (page, line, numbers, outermost).
    type Entry = (usize, usize, Vec<u64>, bool);
    let mut groups: HashMap<(String, bool), Vec<Entry>> = HashMap::new();
    for (p, page) in pages.iter().enumerate() {
        if page.height <= 0.0 {
            continue;
        }
        for (l, line) in page.lines.iter().enumerate() {
            let mid = line.middle();
            let y = mid / page.height;
            if (MARGIN..=1.0 - MARGIN).contains(&y) {
                continue;
            }
            let text = line_text(line);
            let outermost = mid <= bounds[p].0 || mid >= bounds[p].1;
            groups.entry((fold(&text), y < 0.5)).or_default().push((
                p,
                l,
                numbers(&text),
                outermost,
            ));
        }
    }
    let needed = (RUNNING_SHARE * pages.len() as f64).max(2.0);
    for ((folded, _), entries) in &groups {
        let n_pages = entries.iter().map(|e| e.0).collect::<HashSet<_>>().len();
        let page_number = is_page_number(folded);
        let enough = n_pages as f64 >= needed || (page_number && n_pages >= 2);
        if !enough || !counts_pages(entries) {
            continue;
        }
        for (p, l, _, outermost) in entries {
            if *outermost || !page_number {
                drop[*p][*l] = true;
            }
        }
    }
    drop
}

/// The runs of digits in `text`, as numbers (saturating).
fn numbers(text: &str) -> Vec<u64> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|d| !d.is_empty())
        .map(|d| d.parse().unwrap_or(u64::MAX))
        .collect()
}

/// Whether the numbers of a group's lines are those of a running line: every
/// position the same on all pages, except at most one that is the page index
/// plus a constant.
fn counts_pages(entries: &[(usize, usize, Vec<u64>, bool)]) -> bool {
    let Some(first) = entries.first() else {
        return false;
    };
    let width = first.2.len();
    if entries.iter().any(|e| e.2.len() != width) {
        return false;
    }
    let mut counting = 0;
    for j in 0..width {
        let same = entries.iter().all(|e| e.2[j] == first.2[j]);
        let offset = |e: &(usize, usize, Vec<u64>, bool)| e.2[j] as i128 - e.0 as i128;
        let steps = entries.iter().all(|e| offset(e) == offset(first));
        if !same {
            if !steps {
                return false;
            }
            counting += 1;
        }
    }
    counting <= 1
}

/// A line's text for comparing margins across pages: lower case, without
/// spacing, every run of digits one `#`.
fn fold(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_whitespace() {
            continue;
        }
        if c.is_ascii_digit() {
            if !out.ends_with('#') {
                out.push('#');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a folded line is a page number alone.
fn is_page_number(folded: &str) -> bool {
    let bare = folded
        .trim_matches(|c: char| matches!(c, '-' | '–' | '—' | '|' | '·' | '[' | ']' | '(' | ')'));
    matches!(
        bare,
        "#" | "#/#"
            | "page#"
            | "page#of#"
            | "p.#"
            | "#of#"
            | "第#页"
            | "第#頁"
            | "第#页共#页"
            | "第#頁共#頁"
            | "共#页第#页"
    ) || (!bare.is_empty()
        && bare.len() <= 6
        && bare.chars().all(|c| matches!(c, 'i' | 'v' | 'x' | 'l')))
}

/// The lines `idx` of a page in reading order.
fn reading_order(lines: &[Placed], mut idx: Vec<usize>, depth: usize) -> Vec<usize> {
    idx.sort_by(|&a, &b| {
        lines[a]
            .mid
            .total_cmp(&lines[b].mid)
            .then(lines[a].x0.total_cmp(&lines[b].x0))
    });
    // Columns within columns, to a depth no real page has.
    let Some(gutter) = gutter(lines, &idx).filter(|_| depth < 6) else {
        return idx;
    };
    let mut out = Vec::with_capacity(idx.len());
    let (mut left, mut right) = (Vec::new(), Vec::new());
    for i in idx {
        let l = &lines[i];
        if l.x1 <= gutter {
            left.push(i);
        } else if l.x0 >= gutter {
            right.push(i);
        } else {
            out.extend(reading_order(lines, std::mem::take(&mut left), depth + 1));
            out.extend(reading_order(lines, std::mem::take(&mut right), depth + 1));
            out.push(i);
        }
    }
    out.extend(reading_order(lines, left, depth + 1));
    out.extend(reading_order(lines, right, depth + 1));
    out
}

/// The x position of a gutter between two columns of the lines `idx`, if they
/// stand in columns: a vertical strip in the middle three fifths that (almost)
/// no narrow line crosses, with at least three lines on each side, the right ones aligned
/// on a common left edge, and both sides side by side on the page.
fn gutter(lines: &[Placed], idx: &[usize]) -> Option<f64> {
    if idx.len() < 6 {
        return None;
    }
    let x_min = idx
        .iter()
        .map(|&i| lines[i].x0)
        .fold(f64::INFINITY, f64::min);
    let x_max = idx
        .iter()
        .map(|&i| lines[i].x1)
        .fold(f64::NEG_INFINITY, f64::max);
    let width = x_max - x_min;
    if width.is_nan() || width <= 0.0 {
        return None;
    }
    let narrow: Vec<&Placed> = idx
        .iter()
        .map(|&i| &lines[i])
        .filter(|l| l.x1 - l.x0 < 0.55 * width)
        .collect();
    // How many narrow lines cross each of BINS vertical strips: a gutter is the
    // widest run of strips in the middle three fifths that at most one line in
    // fifty crosses (a title or running header across it spans the columns).
    const BINS: usize = 1_000;
    let bin = |x: f64| (((x - x_min) / width * BINS as f64) as usize).min(BINS);
    let mut crossing = vec![0i64; BINS + 2];
    for l in &narrow {
        let (a, b) = (bin(l.x0) + 1, bin(l.x1));
        if a < b {
            crossing[a] += 1;
            crossing[b] -= 1;
        }
    }
    for i in 1..crossing.len() {
        crossing[i] += crossing[i - 1];
    }
    let allowed = (narrow.len() / 50).max(1) as i64;
    let (lo, hi) = (bin(x_min + 0.2 * width), bin(x_max - 0.2 * width));
    let mut best: Option<(usize, usize)> = None;
    let mut i = lo;
    while i <= hi {
        if crossing[i] > allowed {
            i += 1;
            continue;
        }
        let start = i;
        while i <= hi && crossing[i] <= allowed {
            i += 1;
        }
        if i - start > best.map_or(0, |(a, b)| b - a) {
            best = Some((start, i));
        }
    }
    let (ga, gb) = best?;
    let to_x = |b: usize| x_min + b as f64 / BINS as f64 * width;
    let (ga, gb) = (to_x(ga), to_x(gb));
    if gb - ga < 2.0 {
        return None;
    }
    let g = (ga + gb) / 2.0;
    let left: Vec<&Placed> = idx
        .iter()
        .map(|&i| &lines[i])
        .filter(|l| l.x1 <= g)
        .collect();
    let right: Vec<&Placed> = idx
        .iter()
        .map(|&i| &lines[i])
        .filter(|l| l.x0 >= g)
        .collect();
    if left.len() < 3 || right.len() < 3 {
        return None;
    }
    let mut edges: HashMap<i64, usize> = HashMap::new();
    for l in &right {
        *edges.entry((l.x0 / 2.0).round() as i64).or_default() += 1;
    }
    let aligned = edges.values().max().copied().unwrap_or(0);
    let (l_top, l_bottom) = extent(&left);
    let (r_top, r_bottom) = extent(&right);
    let overlap = l_bottom.min(r_bottom) - l_top.max(r_top);
    let side_by_side = overlap > 0.3 * (r_bottom - r_top).min(l_bottom - l_top);
    (aligned * 2 >= right.len() && side_by_side).then_some(g)
}

fn extent(lines: &[&Placed]) -> (f64, f64) {
    let top = lines.iter().map(|l| l.mid).fold(f64::INFINITY, f64::min);
    let bottom = lines
        .iter()
        .map(|l| l.mid)
        .fold(f64::NEG_INFINITY, f64::max);
    (top, bottom)
}

/// The usual distance between the middles of consecutive lines of a page.
fn line_pitch(lines: &[Placed], order: &[usize]) -> f64 {
    let mut steps: Vec<f64> = order
        .windows(2)
        .map(|w| lines[w[1]].mid - lines[w[0]].mid)
        .filter(|d| *d > 0.5)
        .collect();
    steps.sort_by(f64::total_cmp);
    steps.get(steps.len() / 2).copied().unwrap_or(f64::INFINITY)
}

/// The columns of a page, as far as paragraphs need them: the usual width of
/// a line, and how far right the lines starting at each left edge reach.
struct Columns {
    width: f64,
    /// Furthest right edge of the lines whose left edge is in each 20-point band.
    edges: HashMap<i64, f64>,
}

impl Columns {
    fn of(lines: &[Placed]) -> Columns {
        let mut widths: Vec<f64> = lines.iter().map(|l| l.x1 - l.x0).collect();
        widths.sort_by(f64::total_cmp);
        let mut edges: HashMap<i64, f64> = HashMap::new();
        for l in lines {
            let e = edges.entry(band(l.x0)).or_insert(l.x1);
            *e = e.max(l.x1);
        }
        Columns {
            width: widths.get(widths.len() * 3 / 4).copied().unwrap_or(0.0),
            edges,
        }
    }

    /// The room `line` leaves before the right edge of its column: the edge is
    /// the furthest a line starting near where it starts reaches. A line that
    /// leaves room for the next line's first word ended there on purpose (the
    /// last line of a paragraph, a heading), in ragged and justified text alike.
    fn room(&self, line: &Placed) -> f64 {
        let b = band(line.x0);
        let edge = (b - 1..=b + 1)
            .filter_map(|k| self.edges.get(&k))
            .fold(line.x1, |a, &e| a.max(e));
        edge - line.x1
    }
}

fn band(x: f64) -> i64 {
    (x / 20.0).round() as i64
}

#[cfg(test)]
mod tests {
    use super::super::bbox::Word;
    use super::*;

    /// A line of `words` at `x` with its top at `y`, each character 6 points wide
    /// (12 for Han), words a space apart.
    fn line(x: f64, y: f64, text: &str) -> Line {
        let mut words = Vec::new();
        let mut at = x;
        for w in text.split(' ') {
            let width: f64 = w.chars().map(|c| if is_cjk(c) { 12.0 } else { 6.0 }).sum();
            words.push(Word {
                x0: at,
                x1: at + width,
                text: w.to_string(),
            });
            at += width + 4.0;
        }
        Line {
            x0: x,
            y0: y,
            x1: words.last().map_or(x, |w| w.x1),
            y1: y + 12.0,
            words,
        }
    }

    fn page(lines: Vec<Line>) -> Page {
        Page {
            width: 612.0,
            height: 792.0,
            lines,
        }
    }

    #[test]
    fn two_columns_are_read_left_then_right_and_headers_go() {
        let mut pages = Vec::new();
        for n in 1..=3 {
            let mut lines = vec![
                line(20.0, 10.0, "Running title"),
                line(550.0, 770.0, &format!("{n}/3")),
            ];
            for k in 0..6 {
                let y = 100.0 + 16.0 * k as f64;
                lines.push(line(
                    40.0,
                    y,
                    &format!("left{n}{k} aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii"),
                ));
                lines.push(line(
                    340.0,
                    y + 3.0,
                    &format!("right{n}{k} aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii"),
                ));
            }
            pages.push(page(lines));
        }
        let (text, starts) = text(&pages);
        assert!(!text.contains("Running") && !text.contains("/3"), "{text}");
        let pos = |w: &str| text.find(w).unwrap_or_else(|| panic!("{w} in {text}"));
        assert!(pos("left15") < pos("right10"), "{text}");
        assert!(pos("right15") < pos("left20"));
        assert_eq!(starts.len(), 3);
        assert_eq!(&text[starts[1]..starts[1] + 6], "left20");
    }

    #[test]
    fn hyphenated_words_are_whole_and_compounds_keep_their_hyphen() {
        let lines = vec![
            line(40.0, 100.0, "systems that are made trust-"),
            line(40.0, 116.0, "worthy and built on decision-"),
            line(40.0, 132.0, "making as decision-making soft\u{AD}\u{2010}"),
            line(40.0, 148.0, "ware should be trustworthy, human-"),
            line(40.0, 164.0, "centred and done."),
        ];
        let (text, _) = text(&[page(lines)]);
        // trust-worthy is joined (trustworthy is written elsewhere), decision-
        // making kept (written whole elsewhere), the soft hyphen joined, and
        // human-centred, of which nothing else is known, kept.
        assert_eq!(
            text,
            "systems that are made trustworthy and built on decision-making as decision-making software should be trustworthy, human-centred and done."
        );
    }

    #[test]
    fn chinese_lines_join_without_a_space_and_spaced_han_closes_up() {
        let lines = vec![
            line(40.0, 100.0, "我们的小组每周讨论一次课题，今天谈到了人工"),
            line(40.0, 116.0, "智能的用途。"),
            line(40.0, 160.0, "可 信 赖 的 人 工 智 能"),
        ];
        let (text, _) = text(&[page(lines)]);
        assert_eq!(
            text,
            "我们的小组每周讨论一次课题，今天谈到了人工智能的用途。\n\n可信赖的人工智能"
        );
    }

    #[test]
    fn page_numbers_and_ligatures() {
        assert!(is_page_number(&fold("Page 3 of 10")));
        assert!(is_page_number(&fold("- 12 -")));
        assert!(is_page_number(&fold("第 3 页")));
        assert!(!is_page_number(&fold("3 Principles")));
        let mut s = String::new();
        for c in "ﬁne ⼈".chars() {
            push_normalised(&mut s, c);
        }
        assert_eq!(s, "fine 人");
    }

    #[test]
    fn odd_hyphens_empty_pages_and_huge_boxes_do_not_break_the_text() {
        // A non-breaking hyphen (three bytes) at a line's end.
        let (joined, _) = text(&[page(vec![
            line(40.0, 100.0, "a long line that ends non\u{2011}"),
            line(40.0, 116.0, "linear and goes on."),
        ])]);
        assert_eq!(joined, "a long line that ends non-linear and goes on.");
        // A word broken across a page that holds only its running header.
        let header = |n: usize| line(20.0, 10.0, &format!("Running title {n}"));
        let pages = vec![
            page(vec![
                header(1),
                line(40.0, 100.0, "we need systems that are trust\u{2010}"),
            ]),
            page(vec![header(2)]),
            page(vec![
                header(3),
                line(40.0, 100.0, "worthy and trustworthy."),
            ]),
        ];
        let (across, starts) = text(&pages);
        assert_eq!(
            across,
            "we need systems that are trustworthy and trustworthy."
        );
        assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");
        assert!(starts.iter().all(|&s| across.is_char_boundary(s)));
        // Boxes far off any page.
        let mut far = line(40.0, 100.0, "far away words here");
        far.x1 = 1e7;
        far.words[0].x0 = -1e7;
        let (farther, _) = text(&[page(vec![far, line(1e7, 1e7, "more words")])]);
        assert!(
            farther.contains("far away") && farther.contains("more words"),
            "{farther}"
        );
    }

    #[test]
    fn headings_at_the_top_of_pages_are_not_running_headers() {
        let body = |n: usize| line(40.0, 200.0, &format!("body text of page {n} goes on here"));
        let pages: Vec<Page> = (1..=4)
            .map(|n| {
                let mut lines = vec![body(n), line(550.0, 770.0, &format!("Page {n} of 4"))];
                if n % 2 == 0 {
                    lines.push(line(40.0, 60.0, &format!("Article {}", 10 + 3 * n)));
                }
                page(lines)
            })
            .collect();
        let (text, _) = text(&pages);
        assert!(
            text.contains("Article 16") && text.contains("Article 22"),
            "{text}"
        );
        assert!(!text.contains("of 4"), "{text}");
    }
}
