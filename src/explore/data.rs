//! What the page embeds, gathered from the run's tables (and, through [`super::lines`],
//! from its corpus), every part capped by [`Caps`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use super::docs::{self, DocIndex, Found};
use super::lines::{self, Wanted};
use super::{Caps, Reading};
use crate::document::Skipped;
use crate::error::Result;
use crate::lexicon::Lexicon;
use crate::provenance::RunManifest;
use crate::report::CaMap;
use crate::tables::Table;

/// The comparison against all other groups of a language, as `keyness.parquet`
/// names it.
const REST: &str = "(rest)";
/// Points of a correspondence-analysis map above which its documents are not drawn.
const MAX_MAP_POINTS: usize = 500;
/// Distinct matches marked in one version of a unit.
const MAX_MARKS: usize = 20;

/// Everything the page shows, serialised into it as JSON.
#[derive(Debug, Serialize)]
pub struct Explorer {
    pub meta: Meta,
    /// (group, language) cells in `frame_rates` order.
    pub cells: Vec<Cell>,
    pub frames: Vec<FrameInfo>,
    pub rates: Vec<Rate>,
    pub trends: Vec<Trend>,
    /// Per language.
    pub terms: BTreeMap<String, TermSpace>,
    /// Language → term → group → lines.
    pub term_lines: BTreeMap<String, BTreeMap<String, BTreeMap<String, Vec<Line>>>>,
    pub frame_lines: Vec<FrameCell>,
    /// The documents lines come from (lines refer to them by index).
    pub docs: Vec<Doc>,
    pub versions: Vec<Work>,
    pub maps: Vec<CaMap>,
    pub wordfish: Vec<Position>,
    /// What the page leaves out, in words, shown on it.
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Meta {
    pub govlens_version: String,
    pub corpus: String,
    pub group_by: String,
    pub lexicon: String,
    pub min_count: u64,
    pub include_stopwords: bool,
    pub caps: Caps,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub group: String,
    pub lang: String,
    pub docs: i64,
    pub tokens: i64,
}

#[derive(Debug, Serialize)]
pub struct FrameInfo {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Serialize)]
pub struct Rate {
    pub group: String,
    pub lang: String,
    pub frame: String,
    pub count: i64,
    pub rate: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub docs: i64,
}

#[derive(Debug, Serialize)]
pub struct Trend {
    pub group: String,
    pub lang: String,
    pub year: i64,
    pub frame: String,
    pub count: i64,
    pub tokens: i64,
    pub rate: Option<f64>,
}

/// The terms of one language: the shown vocabulary and each group's counts of it.
#[derive(Debug, Serialize)]
pub struct TermSpace {
    /// Tokens of the language's whole corpus (F of the log-odds prior).
    pub tokens: i64,
    /// Terms tested (not stopwords unless included, at least `min_count` in all),
    /// of which `terms` are the most frequent.
    pub tested: usize,
    pub terms: Vec<String>,
    /// Count in the whole corpus of the language (f of the prior).
    pub total: Vec<i64>,
    pub groups: BTreeMap<String, GroupTerms>,
}

#[derive(Debug, Serialize)]
pub struct GroupTerms {
    pub tokens: i64,
    pub counts: Vec<i64>,
    /// Documents of the group containing the term.
    pub range: Vec<i64>,
    /// Gries' DP over the group's documents (`keyness.parquet`), null where the
    /// term was not tested or the group has one document.
    pub dp: Vec<Option<f64>>,
}

/// A concordance line: document (index into `docs`), unit (article or page),
/// left context, match, right context.
pub type Line = (usize, String, String, String, String);

/// A frame's lines in one group and language, per expression.
#[derive(Debug, Serialize)]
pub struct FrameCell {
    pub frame: String,
    pub group: String,
    pub lang: String,
    pub expressions: Vec<Expression>,
}

#[derive(Debug, Serialize)]
pub struct Expression {
    pub pattern: String,
    /// Hits of the expression in the cell, of which `lines` are embedded.
    pub hits: i64,
    pub lines: Vec<Line>,
}

#[derive(Debug, Serialize)]
pub struct Doc {
    pub id: String,
    pub title: String,
    pub group: String,
    pub lang: String,
    pub year: Option<i64>,
}

/// A work's language versions where their frames differ.
#[derive(Debug, Serialize)]
pub struct Work {
    pub work: String,
    pub units_aligned: i64,
    pub agreement: Option<f64>,
    pub kappa: Option<f64>,
    /// Aligned units whose frames differ, of which `units` are shown.
    pub differing: usize,
    pub units: Vec<VersionUnit>,
    /// Why the texts are missing, when they are.
    pub missing: Option<String>,
}

/// A differing unit as `govlens parallel` finds it (its texts cut), and its marks.
#[derive(Debug, Serialize)]
pub struct VersionUnit {
    #[serde(flatten)]
    pub unit: crate::inspect::Disagreement,
    /// The matches, as written, of the frames found in this version only: what the
    /// other version lacks, marked in the text.
    pub marks_zh: Vec<String>,
    pub marks_en: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Position {
    pub lang: String,
    pub name: String,
    pub estimate: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// Reads the run in `dir` (and its corpus, when `reading` is given) into the page's data.
pub fn gather(
    dir: &Path,
    lexicon: Option<&Lexicon>,
    reading: Option<&Reading>,
    caps: Caps,
) -> Result<(Explorer, Vec<Skipped>)> {
    let run = RunManifest::read(dir)?;
    let stats = &run.settings.stats;
    let labels: BTreeMap<String, String> = lexicon
        .iter()
        .flat_map(|l| &l.frames)
        .map(|f| (f.id.clone(), f.label.clone()))
        .collect();
    let mut notes = Vec::new();
    let docs = DocIndex::read(dir, &run.settings.group_by)?;

    let heat = Heat::read(dir, &labels, caps, &mut notes)?;
    let shown = &heat.shown;
    let (terms, wanted) = terms(dir, &heat.all_cells, shown, stats, caps)?;
    for (lang, space) in &terms {
        if space.tested > space.terms.len() {
            notes.push(format!(
                "terms ({lang}): the {} most frequent of {} terms tested are shown",
                space.terms.len(),
                space.tested
            ));
        }
    }
    // One engine of the run's lexicon (its segmenter is the costly part): the
    // language versions' frames first, then the same segmenter finds the terms.
    let engine = match reading {
        Some(r) => Some(crate::document::Engine::new(r.lexicon)?),
        None => None,
    };
    let versions = versions(dir, &docs, reading.zip(engine.as_ref()), caps, &mut notes)?;
    let mut used = UsedDocs::default();
    let (term_lines, skipped) = match reading.zip(engine) {
        Some(with) => term_lines(dir, &docs, &wanted, with, caps, &mut used, &mut notes)?,
        None => {
            notes.push(
                "term lines: the run's corpus is not where run.json says it was, so no \
                 concordance lines of terms are embedded (govlens kwic reads them)"
                    .to_string(),
            );
            (BTreeMap::new(), Vec::new())
        }
    };
    let frame_lines = frame_lines(dir, &docs, shown, &mut used, caps, &mut notes)?;
    let maps = maps(dir, &mut notes)?;
    let wordfish = wordfish(dir, &mut notes)?;
    let meta = Meta {
        govlens_version: run.govlens_version.clone(),
        corpus: run.settings.corpus.clone(),
        group_by: run.settings.group_by.clone(),
        lexicon: run.lexicon.source.clone(),
        min_count: stats.min_count,
        include_stopwords: stats.include_stopwords,
        caps,
    };
    Ok((
        Explorer {
            meta,
            cells: heat.cells,
            frames: heat.frames,
            rates: heat.rates,
            trends: heat.trends,
            terms,
            term_lines,
            frame_lines,
            docs: used.docs,
            versions,
            maps,
            wordfish,
            notes,
        },
        skipped,
    ))
}

/// The heat map's rows, columns and rates, and its trends: of the groups and
/// frames shown; every cell of the run in `all_cells` (the terms' "rest").
struct Heat {
    all_cells: Vec<Cell>,
    shown: Shown,
    cells: Vec<Cell>,
    frames: Vec<FrameInfo>,
    rates: Vec<Rate>,
    trends: Vec<Trend>,
}

impl Heat {
    fn read(
        dir: &Path,
        labels: &BTreeMap<String, String>,
        caps: Caps,
        notes: &mut Vec<String>,
    ) -> Result<Heat> {
        let (all_cells, rates, frame_order) = rates(dir)?;
        let shown = Shown::choose(&all_cells, &rates, &frame_order, caps, notes);
        let cells: Vec<Cell> = all_cells
            .iter()
            .filter(|c| shown.cell(&c.group, &c.lang))
            .cloned()
            .collect();
        let rates: Vec<Rate> = rates
            .into_iter()
            .filter(|r| shown.cell(&r.group, &r.lang) && shown.frames.contains(&r.frame))
            .collect();
        let frames = frame_order
            .iter()
            .filter(|id| shown.frames.contains(*id))
            .map(|id| FrameInfo {
                id: id.clone(),
                label: labels.get(id).cloned().unwrap_or_else(|| id.clone()),
            })
            .collect();
        let trends: Vec<Trend> = trends(dir)?
            .into_iter()
            .filter(|t| shown.cell(&t.group, &t.lang) && shown.frames.contains(&t.frame))
            .collect();
        Ok(Heat {
            all_cells,
            shown,
            cells,
            frames,
            rates,
            trends,
        })
    }
}

/// The groups and frames the page shows: every one, up to the caps.
struct Shown {
    cells: BTreeSet<(String, String)>,
    frames: BTreeSet<String>,
}

impl Shown {
    /// The `groups` largest groups of each language (by tokens) and the `frames`
    /// frames with the most hits, saying on the page what is left out.
    fn choose(
        cells: &[Cell],
        rates: &[Rate],
        frames: &[String],
        caps: Caps,
        notes: &mut Vec<String>,
    ) -> Shown {
        let mut by_lang: BTreeMap<&str, Vec<&Cell>> = BTreeMap::new();
        for c in cells {
            by_lang.entry(&c.lang).or_default().push(c);
        }
        let mut shown = BTreeSet::new();
        for (lang, mut list) in by_lang {
            list.sort_by(|a, b| b.tokens.cmp(&a.tokens).then(a.group.cmp(&b.group)));
            if list.len() > caps.groups {
                notes.push(format!(
                    "groups ({lang}): the {} largest of {} groups are shown",
                    caps.groups,
                    list.len()
                ));
            }
            shown.extend(
                list.iter()
                    .take(caps.groups)
                    .map(|c| (c.group.clone(), c.lang.clone())),
            );
        }
        let mut hits: BTreeMap<&str, i64> = BTreeMap::new();
        for r in rates {
            *hits.entry(&r.frame).or_insert(0) += r.count;
        }
        let mut order: Vec<&String> = frames.iter().collect();
        order.sort_by(|a, b| hits[b.as_str()].cmp(&hits[a.as_str()]).then(a.cmp(b)));
        if order.len() > caps.frames {
            notes.push(format!(
                "frames: the {} of {} frames with the most hits are shown",
                caps.frames,
                order.len()
            ));
        }
        Shown {
            cells: shown,
            frames: order.into_iter().take(caps.frames).cloned().collect(),
        }
    }

    fn cell(&self, group: &str, lang: &str) -> bool {
        self.cells.contains(&(group.to_string(), lang.to_string()))
    }
}

/// Language → term → group → lines.
type TermLines = BTreeMap<String, BTreeMap<String, BTreeMap<String, Vec<Line>>>>;

/// The lines of the terms `wanted`, read again from the corpus, and the documents
/// that could not be.
fn term_lines(
    dir: &Path,
    docs: &DocIndex,
    wanted: &Wanted,
    (reading, engine): (&Reading, crate::document::Engine),
    caps: Caps,
    used: &mut UsedDocs,
    notes: &mut Vec<String>,
) -> Result<(TermLines, Vec<Skipped>)> {
    let found = lines::of_terms(dir, docs, wanted, reading, engine, caps)?;
    let mut out: TermLines = BTreeMap::new();
    for (lang, term, group, ls) in found.lines {
        let ls: Vec<Line> = ls.into_iter().map(|l| used.line(docs, l)).collect();
        out.entry(lang)
            .or_default()
            .entry(term)
            .or_default()
            .insert(group, ls);
    }
    notes.push(format!(
        "term lines: for the {} terms of each group and language most distinctive against \
         the rest and the {} most frequent terms of each language, up to {} lines per group \
         (of the {} groups that use the term most, and its own), from different documents \
         first",
        caps.distinctive_terms, caps.frequent_terms, caps.term_lines, caps.line_groups
    ));
    if !found.skipped.is_empty() {
        notes.push(format!(
            "term lines: {} documents could not be read again or changed since the run; \
             their lines are left out",
            found.skipped.len()
        ));
    }
    Ok((out, found.skipped))
}

/// The documents lines refer to, in the order first used.
#[derive(Default)]
struct UsedDocs {
    docs: Vec<Doc>,
    at: BTreeMap<String, usize>,
}

impl UsedDocs {
    /// A found line, its document by index.
    fn line(&mut self, all: &DocIndex, l: Found) -> Line {
        (
            self.index(all, &l.doc_id),
            l.unit,
            l.left,
            l.matched,
            l.right,
        )
    }

    fn index(&mut self, all: &DocIndex, id: &str) -> usize {
        if let Some(&i) = self.at.get(id) {
            return i;
        }
        let info = all.by_id.get(id);
        self.docs.push(Doc {
            id: id.to_string(),
            // A title is the manifest's, of any length: cut as a line's context is.
            title: info.map_or_else(String::new, |d| docs::cut_right(&d.title, 200)),
            group: info.map(|d| d.group.clone()).unwrap_or_default(),
            lang: info.map(|d| d.lang.clone()).unwrap_or_default(),
            year: info.and_then(|d| d.year),
        });
        self.at.insert(id.to_string(), self.docs.len() - 1);
        self.docs.len() - 1
    }
}

/// `frame_rates.parquet`: the cells, the rates and the frames in lexicon order.
fn rates(dir: &Path) -> Result<(Vec<Cell>, Vec<Rate>, Vec<String>)> {
    let t = Table::read(dir, "frame_rates")?;
    let (g, l, f) = (t.strs("group")?, t.strs("lang")?, t.strs("frame")?);
    let (count, tokens, docs, total) = (
        t.ints("count")?,
        t.ints("tokens")?,
        t.ints("docs")?,
        t.ints("docs_total")?,
    );
    let (rate, low, high) = (
        t.floats("rate_per_10k")?,
        t.floats("rate_ci_low")?,
        t.floats("rate_ci_high")?,
    );
    let mut cells: Vec<Cell> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut frames = Vec::new();
    let mut rows = Vec::new();
    for i in 0..g.len() {
        if seen.insert((g[i].clone(), l[i].clone())) {
            cells.push(Cell {
                group: g[i].clone(),
                lang: l[i].clone(),
                docs: total[i],
                tokens: tokens[i],
            });
        }
        if !frames.contains(&f[i]) {
            frames.push(f[i].clone());
        }
        rows.push(Rate {
            group: g[i].clone(),
            lang: l[i].clone(),
            frame: f[i].clone(),
            count: count[i],
            rate: rate[i],
            low: low[i],
            high: high[i],
            docs: docs[i],
        });
    }
    Ok((cells, rows, frames))
}

fn trends(dir: &Path) -> Result<Vec<Trend>> {
    let t = Table::read(dir, "frame_trends")?;
    let (g, l, f) = (t.strs("group")?, t.strs("lang")?, t.strs("frame")?);
    let (year, count, tokens, rate) = (
        t.ints("year")?,
        t.ints("count")?,
        t.ints("tokens")?,
        t.floats("rate_per_10k")?,
    );
    Ok((0..g.len())
        .map(|i| Trend {
            group: g[i].clone(),
            lang: l[i].clone(),
            year: year[i],
            frame: f[i].clone(),
            count: count[i],
            tokens: tokens[i],
            rate: rate[i],
        })
        .collect())
}

/// Term → (count in the language, group → (count, documents)).
type Counts = BTreeMap<String, (i64, BTreeMap<String, (i64, i64)>)>;
/// (language, group) → its terms of highest z against the rest, with their z.
type Top = BTreeMap<(String, String), Vec<(f64, String)>>;
/// (language, group, term) → DP over the group's documents.
type Dp = BTreeMap<(String, String, String), f64>;

/// `group_terms.parquet` by language (stopwords left out unless included).
fn group_counts(dir: &Path, include_stopwords: bool) -> Result<BTreeMap<String, Counts>> {
    let mut by_lang: BTreeMap<String, Counts> = BTreeMap::new();
    let columns = ["group", "term", "lang", "count", "docs", "is_stopword"];
    Table::scan(dir, "group_terms", &columns, |t| {
        let (g, term, l) = (t.strs("group")?, t.strs("term")?, t.strs("lang")?);
        let (count, docs, stop) = (t.ints("count")?, t.ints("docs")?, t.bools("is_stopword")?);
        for i in 0..g.len() {
            if stop[i] && !include_stopwords {
                continue;
            }
            let e = by_lang
                .entry(l[i].clone())
                .or_default()
                .entry(term[i].clone())
                .or_default();
            e.0 += count[i];
            e.1.insert(g[i].clone(), (count[i], docs[i]));
        }
        Ok(())
    })?;
    Ok(by_lang)
}

/// From the comparisons of `keyness.parquet` against the rest: each group's most
/// distinctive terms, and every term's dispersion.
fn keyness_rest(dir: &Path, keep: &Shown, caps: Caps) -> Result<(Top, Dp)> {
    let mut top = Top::new();
    let mut dp = Dp::new();
    let columns = ["target", "reference", "lang", "term", "log_odds_z", "dp"];
    Table::scan(dir, "keyness", &columns, |t| {
        let (target, reference) = (t.strs("target")?, t.strs("reference")?);
        let (l, term) = (t.strs("lang")?, t.strs("term")?);
        let (z, d) = (t.floats("log_odds_z")?, t.floats("dp")?);
        for i in 0..target.len() {
            if reference[i] != REST || !keep.cell(&target[i], &l[i]) {
                continue;
            }
            if let Some(d) = d[i] {
                dp.insert((l[i].clone(), target[i].clone(), term[i].clone()), d);
            }
            if let Some(z) = z[i].filter(|z| *z > 0.0) {
                let list = top.entry((l[i].clone(), target[i].clone())).or_default();
                list.push((z, term[i].clone()));
                // Kept short as it fills: the best `distinctive_terms`.
                if list.len() > 4 * caps.distinctive_terms.max(1) {
                    keep_best(list, caps.distinctive_terms);
                }
            }
        }
        Ok(())
    })?;
    for list in top.values_mut() {
        keep_best(list, caps.distinctive_terms);
    }
    Ok((top, dp))
}

/// The vocabulary of each language with each group's counts (`group_terms`) and
/// dispersion (`keyness`), and the terms whose lines are wanted.
fn terms(
    dir: &Path,
    cells: &[Cell],
    keep: &Shown,
    stats: &crate::stats::Settings,
    caps: Caps,
) -> Result<(BTreeMap<String, TermSpace>, Wanted)> {
    let min_count = stats.min_count;
    let by_lang = group_counts(dir, stats.include_stopwords)?;
    let (top, dp) = keyness_rest(dir, keep, caps)?;
    let mut wanted = Wanted::default();
    let mut spaces = BTreeMap::new();
    for (lang, counts) in by_lang {
        let mut tested: Vec<(&String, i64)> = counts
            .iter()
            .filter(|(_, (total, _))| *total >= min_count as i64)
            .map(|(t, (total, _))| (t, *total))
            .collect();
        tested.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let mut lines_of: BTreeSet<String> = tested
            .iter()
            .take(caps.frequent_terms)
            .map(|(t, _)| (*t).clone())
            .collect();
        // Term → the groups it is among the most distinctive terms of.
        let mut distinctive_of: BTreeMap<&str, BTreeSet<&String>> = BTreeMap::new();
        for ((l, g), list) in &top {
            if *l == lang && keep.cell(g, l) {
                lines_of.extend(list.iter().map(|(_, t)| t.clone()));
                for (_, t) in list {
                    distinctive_of.entry(t.as_str()).or_default().insert(g);
                }
            }
        }
        let mut shown: BTreeSet<&String> =
            tested.iter().take(caps.terms).map(|(t, _)| *t).collect();
        shown.extend(lines_of.iter().filter(|t| counts.contains_key(*t)));
        let mut order: Vec<&String> = shown.into_iter().collect();
        order.sort_by(|a, b| counts[*b].0.cmp(&counts[*a].0).then(a.cmp(b)));
        let mut groups = BTreeMap::new();
        let lang_tokens: i64 = cells
            .iter()
            .filter(|c| c.lang == lang)
            .map(|c| c.tokens)
            .sum();
        for cell in cells
            .iter()
            .filter(|c| c.lang == lang && keep.cell(&c.group, &c.lang))
        {
            let g = &cell.group;
            let of = |t: &String| counts[t].1.get(g).copied().unwrap_or((0, 0));
            groups.insert(
                g.clone(),
                GroupTerms {
                    tokens: cell.tokens,
                    counts: order.iter().map(|t| of(t).0).collect(),
                    range: order.iter().map(|t| of(t).1).collect(),
                    dp: order
                        .iter()
                        .map(|t| dp.get(&(lang.clone(), g.clone(), (*t).clone())).copied())
                        .collect(),
                },
            );
        }
        want_lines(
            &mut wanted,
            (&lang, &counts),
            &lines_of,
            &distinctive_of,
            cells,
            keep,
            caps,
        );
        spaces.insert(
            lang.clone(),
            TermSpace {
                tokens: lang_tokens,
                tested: tested.len(),
                total: order.iter().map(|t| counts[*t].0).collect(),
                terms: order.into_iter().cloned().collect(),
                groups,
            },
        );
    }
    Ok((spaces, wanted))
}

/// The (language, term, group) whose lines are wanted, for each term of
/// `lines_of`: the `line_groups` groups that use it most (by rate), and those it is
/// among the most distinctive terms of.
fn want_lines(
    wanted: &mut Wanted,
    (lang, counts): (&str, &Counts),
    lines_of: &BTreeSet<String>,
    distinctive_of: &BTreeMap<&str, BTreeSet<&String>>,
    cells: &[Cell],
    keep: &Shown,
    caps: Caps,
) {
    let tokens_of: BTreeMap<&str, i64> = cells
        .iter()
        .filter(|c| c.lang == lang)
        .map(|c| (c.group.as_str(), c.tokens))
        .collect();
    for t in lines_of {
        let Some((_, per_group)) = counts.get(t) else {
            continue;
        };
        let mut groups: Vec<(&String, f64)> = per_group
            .iter()
            .filter(|(g, _)| keep.cell(g, lang))
            .map(|(g, (n, _))| (g, *n as f64 / tokens_of[g.as_str()].max(1) as f64))
            .collect();
        groups.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        let own = distinctive_of.get(t.as_str());
        for (k, (g, _)) in groups.iter().enumerate() {
            if k < caps.line_groups || own.is_some_and(|o| o.contains(g)) {
                wanted.add(lang, t, g);
            }
        }
    }
}

/// Keeps the `n` entries of highest z (ties by term).
fn keep_best(list: &mut Vec<(f64, String)>, n: usize) {
    list.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    list.truncate(n);
}

/// "doc\0frame\0term" → the expressions that matched it.
type Patterns = rustc_hash::FxHashMap<String, Vec<String>>;
/// (frame, group, language, expression) → hits.
type Hits = BTreeMap<(String, String, String, String), i64>;

/// From `frames.parquet`: the expressions that matched each document's terms, and
/// each expression's hits per frame, group and language.
fn expressions(dir: &Path, docs: &DocIndex) -> Result<(Patterns, Hits)> {
    let mut patterns: rustc_hash::FxHashMap<String, Vec<String>> = Default::default();
    let mut hits: BTreeMap<(String, String, String, String), i64> = BTreeMap::new();
    Table::scan(
        dir,
        "frames",
        &["doc_id", "frame", "term", "pattern", "count"],
        |t| {
            let count = t.ints("count")?;
            let mut i = 0;
            t.each_row(&["doc_id", "frame", "term", "pattern"], |r| {
                let list = patterns
                    .entry(format!("{}\0{}\0{}", r[0], r[1], r[2]))
                    .or_default();
                if !list.iter().any(|p| p == r[3]) {
                    list.push(r[3].to_string());
                }
                if let Some(doc) = docs.by_id.get(r[0]) {
                    let key = (
                        r[1].into(),
                        doc.group.clone(),
                        doc.lang.clone(),
                        r[3].into(),
                    );
                    *hits.entry(key).or_insert(0) += count[i];
                }
                i += 1;
            })
        },
    )?;
    Ok((patterns, hits))
}

/// Up to `frame_lines` lines of each frame, group, language and expression, taken
/// from `kwic.parquet` round the documents (each document's first line, then
/// their second ...).
fn frame_lines(
    dir: &Path,
    docs: &DocIndex,
    shown: &Shown,
    used: &mut UsedDocs,
    caps: Caps,
    notes: &mut Vec<String>,
) -> Result<Vec<FrameCell>> {
    let (patterns, hits) = expressions(dir, docs)?;
    // "frame\0group\0lang\0expression" → document → its first lines; at most
    // `frame_lines` documents, each with at most `frame_lines` lines.
    let mut found: BTreeMap<String, BTreeMap<String, Vec<Found>>> = BTreeMap::new();
    let n = caps.frame_lines;
    // The same key → the SHA-256 of its documents.
    let mut files: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    let columns = [
        "doc_id", "frame", "term", "left", "match", "right", "unit", "page",
    ];
    Table::scan(dir, "kwic", &columns, |t| {
        let page = t.floats("page")?;
        let mut i = 0;
        t.each_row(&columns[..7], |r| {
            let at = i;
            i += 1;
            let Some(doc) = docs.by_id.get(r[0]) else {
                return;
            };
            if !shown.frames.contains(r[1]) || !shown.cell(&doc.group, &doc.lang) {
                return;
            }
            let joined = patterns.get(&format!("{}\0{}\0{}", r[0], r[1], r[2]));
            let pattern = joined.map_or_else(|| r[2].to_string(), |p| p.join(" | "));
            let key = format!("{}\0{}\0{}\0{pattern}", r[1], doc.group, doc.lang);
            let taken = files.entry(key.clone()).or_default();
            let per_doc = found.entry(key).or_default();
            if !per_doc.contains_key(r[0]) {
                // A new document: not past the cap, and not a copy of one taken (a
                // file listed twice would repeat its lines).
                if per_doc.len() >= n || !taken.insert(doc.sha256.as_str()) {
                    return;
                }
            }
            let list = per_doc.entry(r[0].to_string()).or_default();
            if list.len() < n {
                list.push(Found {
                    doc_id: r[0].to_string(),
                    unit: docs::unit_label(r[6], page[at].map(|p| p as u32)),
                    left: docs::cut_left(r[3], caps.context_chars),
                    matched: r[4].to_string(),
                    right: docs::cut_right(r[5], caps.context_chars),
                });
            }
        })
    })?;
    Ok(frame_cells(found, &hits, docs, used, caps, notes))
}

/// The lines found, per cell and expression, as the page's cells: each cell's
/// expressions with the most hits first, at most `expressions` of them.
fn frame_cells(
    found: BTreeMap<String, BTreeMap<String, Vec<Found>>>,
    hits: &Hits,
    docs: &DocIndex,
    used: &mut UsedDocs,
    caps: Caps,
    notes: &mut Vec<String>,
) -> Vec<FrameCell> {
    let n = caps.frame_lines;
    // Cell → its expressions: (pattern, hits, lines).
    type Lines = Vec<(String, i64, Vec<Found>)>;
    let mut cells: BTreeMap<(String, String, String), Lines> = BTreeMap::new();
    for (key, per_doc) in found {
        let mut parts = key.splitn(4, '\0').map(str::to_string);
        let mut next = || parts.next().unwrap_or_default();
        let (frame, group, lang, pattern) = (next(), next(), next(), next());
        let total = pattern
            .split(" | ")
            .filter_map(|p| hits.get(&(frame.clone(), group.clone(), lang.clone(), p.to_string())))
            .max()
            .copied()
            .unwrap_or(0);
        let picked = docs::round_robin(per_doc.into_values().collect(), n);
        cells
            .entry((frame, group, lang))
            .or_default()
            .push((pattern, total, picked));
    }
    let mut cut = 0;
    let out = cells
        .into_iter()
        .map(|((frame, group, lang), mut expressions)| {
            expressions.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            if expressions.len() > caps.expressions {
                cut += 1;
                expressions.truncate(caps.expressions);
            }
            let expressions = expressions
                .into_iter()
                .map(|(pattern, hits, lines)| Expression {
                    pattern,
                    hits,
                    lines: lines.into_iter().map(|l| used.line(docs, l)).collect(),
                })
                .collect();
            FrameCell {
                frame,
                group,
                lang,
                expressions,
            }
        })
        .collect();
    notes.push(format!(
        "frame lines: up to {} lines per frame, group, language and expression, from \
         different documents first; context cut to {} characters a side{}",
        caps.frame_lines,
        caps.context_chars,
        if cut > 0 {
            format!(
                "; in {cut} cells only the {} expressions with the most hits",
                caps.expressions
            )
        } else {
            String::new()
        }
    ));
    out
}

/// The works of `parallel_frames.parquet`, with the texts of their differing units
/// read from the corpus.
fn versions(
    dir: &Path,
    docs: &DocIndex,
    reading: Option<(&Reading, &crate::document::Engine)>,
    caps: Caps,
    notes: &mut Vec<String>,
) -> Result<Vec<Work>> {
    let t = Table::read(dir, "parallel_frames")?;
    let (work, frame) = (t.strs("work")?, t.strs("frame")?);
    let (aligned, agreement, kappa) = (
        t.ints("units_aligned")?,
        t.floats("agreement")?,
        t.floats("kappa")?,
    );
    let listed: Vec<usize> = (0..work.len())
        .filter(|&i| frame[i] == "(all)" && aligned[i] > 0)
        .collect();
    if listed.len() > caps.works {
        notes.push(format!(
            "language versions: the first {} of {} works (in work order) are shown",
            caps.works,
            listed.len()
        ));
    }
    let listed = &listed[..listed.len().min(caps.works)];
    let names: BTreeSet<&str> = listed.iter().map(|&i| work[i].as_str()).collect();
    let hits = match reading {
        Some(_) if !names.is_empty() => unit_hits(dir, &names)?,
        _ => BTreeMap::new(),
    };
    let mut out = Vec::new();
    for &i in listed {
        let mut w = Work {
            work: work[i].clone(),
            units_aligned: aligned[i],
            agreement: agreement[i],
            kappa: kappa[i],
            differing: 0,
            units: Vec::new(),
            missing: None,
        };
        let changed = reading
            .map(|(r, _)| changed_since(r, docs, &w.work))
            .unwrap_or_default();
        match reading {
            None => {
                w.missing = Some("the run's corpus is not where run.json says it was".into());
            }
            Some(_) if !changed.is_empty() => {
                w.missing = Some(format!("changed since the run: {}", changed.join(", ")));
            }
            Some((r, engine)) => {
                match crate::inspect::disagreements_in(engine, &r.corpus, &w.work, &r.plan) {
                    Ok(found) => {
                        w.differing = found.found.len();
                        w.units = version_units(&w.work, found.found, &hits, caps);
                    }
                    Err(e) => w.missing = Some(e.to_string()),
                }
            }
        }
        out.push(w);
    }
    if out.iter().any(|w| w.differing > caps.version_units) {
        notes.push(format!(
            "language versions: the first {} differing units of a work are shown",
            caps.version_units
        ));
    }
    if !out.is_empty() {
        notes.push(format!(
            "language versions: each text cut to {} characters",
            caps.version_chars
        ));
    }
    Ok(out)
}

/// The first `version_units` differing units of `work`, their texts cut, and in
/// each version's text the matches of the frames found in it only.
fn version_units(
    work: &str,
    found: Vec<crate::inspect::Disagreement>,
    hits: &UnitHits,
    caps: Caps,
) -> Vec<VersionUnit> {
    let marks = |lang: &str, label: &str, frames: &[String]| {
        let key = (work.to_string(), lang.to_string(), label.to_string());
        let mut out: Vec<String> = hits
            .get(&key)
            .into_iter()
            .flatten()
            .filter(|(f, _)| frames.contains(f))
            .map(|(_, m)| m.clone())
            .collect();
        out.sort();
        out.dedup();
        out.truncate(MAX_MARKS);
        out
    };
    found
        .into_iter()
        .take(caps.version_units)
        .map(|mut d| {
            d.text_zh = docs::cut_right(d.text_zh.trim(), caps.version_chars);
            d.text_en = docs::cut_right(d.text_en.trim(), caps.version_chars);
            VersionUnit {
                marks_zh: marks("zh", &d.label_zh, &d.zh_only),
                marks_en: marks("en", &d.label_en, &d.en_only),
                unit: d,
            }
        })
        .collect()
}

/// The documents of `work` whose bytes are not those the run read (or that are gone):
/// their texts would not be the evidence of the run's numbers.
fn changed_since<'a>(reading: &'a Reading, docs: &DocIndex, work: &str) -> Vec<&'a str> {
    reading
        .corpus
        .docs
        .iter()
        .filter(|d| reading.corpus.extra_value(d, "work").as_deref() == Some(work))
        .filter(|d| {
            docs.by_id.get(&d.doc_id).is_some_and(|run| {
                crate::digest::file_sha256(&d.path).ok().as_deref() != Some(run.sha256.as_str())
            })
        })
        .map(|d| d.doc_id.as_str())
        .collect()
}

/// (work, language, unit heading) → the frame hits there: (frame, match as written).
type UnitHits = BTreeMap<(String, String, String), Vec<(String, String)>>;

/// The frame hits of the versions of `works`, by unit heading, from `kwic.parquet`
/// (one pass over it for all works).
fn unit_hits(dir: &Path, works: &BTreeSet<&str>) -> Result<UnitHits> {
    // doc_id → (work, language).
    let mut docs: BTreeMap<String, (String, String)> = BTreeMap::new();
    Table::scan(dir, "documents", &["doc_id", "lang", "work"], |t| {
        let (ids, langs, of) = (t.strs("doc_id")?, t.strs("lang")?, t.texts("work")?);
        for i in 0..ids.len() {
            if let Some(w) = of[i].as_deref().filter(|w| works.contains(w)) {
                docs.insert(ids[i].clone(), (w.to_string(), langs[i].clone()));
            }
        }
        Ok(())
    })?;
    let mut out = UnitHits::new();
    Table::scan(dir, "kwic", &["doc_id", "frame", "match", "unit"], |t| {
        t.each_row(&["doc_id", "frame", "match", "unit"], |r| {
            if let Some((work, lang)) = docs.get(r[0]) {
                out.entry((work.clone(), lang.clone(), r[3].to_string()))
                    .or_default()
                    .push((r[1].to_string(), r[2].to_string()));
            }
        })
    })?;
    Ok(out)
}

/// The maps of `ca.parquet` of at most `MAX_MAP_POINTS` points.
fn maps(dir: &Path, notes: &mut Vec<String>) -> Result<Vec<CaMap>> {
    let mut maps = crate::report::ca_maps_of(dir)?;
    let before = maps.len();
    maps.retain(|m| m.points.len() <= MAX_MAP_POINTS);
    if maps.len() < before {
        notes.push(format!(
            "map: maps of more than {MAX_MAP_POINTS} points (documents) are left out; \
             ca.parquet has them"
        ));
    }
    Ok(maps)
}

fn wordfish(dir: &Path, notes: &mut Vec<String>) -> Result<Vec<Position>> {
    let t = Table::read(dir, "wordfish")?;
    let (lang, kind, name) = (t.strs("lang")?, t.strs("kind")?, t.strs("name")?);
    let (estimate, low, high) = (
        t.floats("estimate")?,
        t.floats("ci_low")?,
        t.floats("ci_high")?,
    );
    let documents: Vec<usize> = (0..lang.len()).filter(|&i| kind[i] == "document").collect();
    if documents.len() > MAX_MAP_POINTS {
        notes.push(format!(
            "positions: the first {MAX_MAP_POINTS} of {} documents (doc_id order) are drawn; \
             wordfish.parquet has them all",
            documents.len()
        ));
    }
    Ok(documents
        .into_iter()
        .take(MAX_MAP_POINTS)
        .map(|i| Position {
            lang: lang[i].clone(),
            name: name[i].clone(),
            estimate: estimate[i].unwrap_or(0.0),
            low: low[i],
            high: high[i],
        })
        .collect())
}
