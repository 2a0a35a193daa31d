//! `report.html`: a self-contained page that shows what a run found.
//!
//! The report is built from the run directory's Parquet tables (so `govlens report`
//! can rebuild it for any earlier run) and needs nothing from the network: styles
//! and charts ([`svg`]) are inline. Its eleven sections, in page order: the corpus,
//! frame rates with their bootstrap intervals, a frame × group heat map, key terms
//! per group, keywords of the first document of each jurisdiction, the map of groups
//! and frames (correspondence analysis), Wordfish positions, frame trends by year,
//! language versions, the divergence matrix, and concordance lines per frame.

pub mod svg;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::lexicon::Lexicon;
use crate::provenance::RunManifest;
use crate::tables::Table;
use svg::{Dot, esc};

/// Key terms shown per group and direction.
const TOP_TERMS: usize = 10;
/// Concordance lines shown per frame.
const KWIC_LINES: usize = 4;

/// Documents whose keywords the report shows (the first of each jurisdiction and
/// language), and keywords shown per method.
const KEYWORD_DOCS: usize = 12;
const KEYWORDS_SHOWN: i64 = 8;

/// Reads the run in `dir` and writes `dir/report.html`; returns its path.
/// Frames are labelled from `lexicon` where it names them (by id otherwise).
pub fn write(dir: &Path, lexicon: Option<&Lexicon>) -> Result<PathBuf> {
    let html = build(dir, lexicon)?;
    let path = dir.join("report.html");
    std::fs::write(&path, html).map_err(|e| Error::io(&path, e))?;
    Ok(path)
}

/// The lexicon a finished run used, for its frame labels: the file `run.json`
/// names, or the built-in one, whichever has the SHA-256 the run recorded; `None`
/// when neither has (the file was edited or moved since), and frames are shown by
/// their ids.
pub fn lexicon_of(dir: &Path) -> Result<Option<Lexicon>> {
    let run = RunManifest::read(dir)?;
    let recorded = &run.lexicon;
    let from_file = Some(Path::new(&recorded.source))
        .filter(|p| p.is_file())
        .and_then(|p| Lexicon::load(p, Some(recorded.format)).ok());
    Ok([from_file, Some(Lexicon::builtin())]
        .into_iter()
        .flatten()
        .find(|l| l.sha256 == recorded.sha256))
}

/// Frame id → label, for every frame of the lexicon.
fn labels(lexicon: Option<&Lexicon>) -> BTreeMap<String, String> {
    lexicon
        .iter()
        .flat_map(|l| &l.frames)
        .map(|f| (f.id.clone(), f.label.clone()))
        .collect()
}

/// The page's HTML.
pub fn build(dir: &Path, lexicon: Option<&Lexicon>) -> Result<String> {
    let run = RunManifest::read(dir)?;
    let labels = labels(lexicon);
    let label = |id: &str| labels.get(id).cloned().unwrap_or_else(|| id.to_string());
    let rates = Rates::read(dir)?;
    let mut body = overview(dir, &rates)?;
    body.push_str(&rate_charts(&rates, &label));
    body.push_str(&heatmap(&rates, &label));
    body.push_str(&key_terms(dir, run.settings.stats.include_stopwords)?);
    body.push_str(&keywords(dir)?);
    body.push_str(&trends(dir, &label)?);
    body.push_str(&divergence(dir)?);
    body.push_str(&ca_maps(dir, &label)?);
    body.push_str(&wordfish(dir)?);
    body.push_str(&parallel(dir, &label)?);
    body.push_str(&concordance(dir, &label)?);

    let meta = format!(
        "govlens {} · corpus {} · grouped by {} · lexicon {} ({} frames)",
        run.govlens_version,
        run.settings.corpus,
        run.settings.group_by,
        run.lexicon.source,
        run.lexicon.frames,
    );
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>govlens report</title><style>{STYLE}</style></head><body><header>\
         <h1>govlens report</h1><p class=\"meta\">{}</p><nav><a href=\"#overview\">corpus</a> \
         <a href=\"#rates\">frame rates</a> <a href=\"#heatmap\">heat map</a> \
         <a href=\"#keyness\">key terms</a> <a href=\"#keywords\">keywords</a> \
         <a href=\"#trends\">trends</a> \
         <a href=\"#divergence\">divergence</a> <a href=\"#ca\">map</a> \
         <a href=\"#wordfish\">positions</a> \
         <a href=\"#parallel\">language versions</a> \
         <a href=\"#kwic\">concordance</a></nav>\
         </header><main>{body}</main></body></html>\n",
        esc(&meta)
    ))
}

/// `frame_rates.parquet`, with the (group, language) cells and frames in table order.
struct Rates {
    g: Vec<String>,
    l: Vec<String>,
    rate: Vec<Option<f64>>,
    low: Vec<Option<f64>>,
    high: Vec<Option<f64>>,
    count: Vec<i64>,
    /// (group, lang) in table order ...
    cells: Vec<(String, String)>,
    /// ... with their documents and tokens.
    sizes: BTreeMap<(String, String), (i64, i64)>,
    /// Frames in table order, and the rows of each.
    frame_order: Vec<String>,
    by_frame: BTreeMap<String, Vec<usize>>,
}

impl Rates {
    fn read(dir: &Path) -> Result<Rates> {
        let t = Table::read(dir, "frame_rates")?;
        let (g, l, f) = (t.strs("group")?, t.strs("lang")?, t.strs("frame")?);
        let (tokens, docs_total) = (t.ints("tokens")?, t.ints("docs_total")?);
        let mut cells: Vec<(String, String)> = Vec::new();
        let mut sizes: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
        for i in 0..g.len() {
            let key = (g[i].clone(), l[i].clone());
            if let std::collections::btree_map::Entry::Vacant(e) = sizes.entry(key.clone()) {
                cells.push(key);
                e.insert((docs_total[i], tokens[i]));
            }
        }
        let mut seen = BTreeSet::new();
        let frame_order: Vec<String> = f.iter().filter(|x| seen.insert(*x)).cloned().collect();
        let mut by_frame: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, frame) in f.iter().enumerate() {
            by_frame.entry(frame.clone()).or_default().push(i);
        }
        Ok(Rates {
            rate: t.floats("rate_per_10k")?,
            low: t.floats("rate_ci_low")?,
            high: t.floats("rate_ci_high")?,
            count: t.ints("count")?,
            g,
            l,
            cells,
            sizes,
            frame_order,
            by_frame,
        })
    }

    /// The rows of `frame`.
    fn rows(&self, frame: &str) -> &[usize] {
        self.by_frame.get(frame).map_or(&[], |v| v)
    }

    fn cell_name(&self, i: usize) -> String {
        cell_name(&(self.g[i].clone(), self.l[i].clone()))
    }
}

fn cell_name((g, l): &(String, String)) -> String {
    format!("{g} · {l}")
}

/// The corpus section: documents, tokens and skipped files, and tokens per cell.
fn overview(dir: &Path, rates: &Rates) -> Result<String> {
    let (mut n_docs, mut total_tokens, mut left_out) = (0usize, 0i64, 0i64);
    Table::scan(dir, "documents", &["n_tokens", "n_tokens_left_out"], |t| {
        n_docs += t.height();
        total_tokens += t.ints("n_tokens")?.iter().sum::<i64>();
        left_out += t.ints("n_tokens_left_out")?.iter().sum::<i64>();
        Ok(())
    })?;
    let left_out = match left_out {
        0 => String::new(),
        n => format!(
            " A further {n} word tokens, in the zones the run does not count (by default \
             tables of contents, reference lists and notes; <code>count_zones</code>), were \
             left out of every count."
        ),
    };
    let mut n_skipped = 0usize;
    Table::scan(dir, "errors", &["doc_id"], |t| {
        n_skipped += t.height();
        Ok(())
    })?;
    let skipped = match n_skipped {
        0 => String::new(),
        n => format!(
            " <strong>{n} document{} could not be read</strong> and {} left out: see \
             <code>errors.parquet</code>.",
            if n == 1 { "" } else { "s" },
            if n == 1 { "is" } else { "are" }
        ),
    };
    let mut body = String::new();
    let _ = write!(
        body,
        "<section id=\"overview\"><h2>Corpus</h2><p>{n_docs} documents, {total_tokens} word \
         tokens, in {} groups by language.{left_out}{skipped} Rates below are per 10,000 word tokens of \
         the group's documents <em>in that language</em>: Chinese and English words are never \
         pooled.</p><table><thead><tr><th>group</th><th>language</th><th>documents</th>\
         <th>word tokens</th></tr></thead><tbody>",
        rates.cells.len()
    );
    for key in &rates.cells {
        let (d, t) = rates.sizes[key];
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{d}</td><td class=\"num\">{t}</td></tr>",
            esc(&key.0),
            esc(&key.1)
        );
    }
    body.push_str("</tbody></table>");
    let token_bars: Vec<(String, f64)> = rates
        .cells
        .iter()
        .map(|k| (cell_name(k), rates.sizes[k].1 as f64))
        .collect();
    if rates.cells.is_empty() {
        body.push_str("<p>No document was analysed, so there is nothing to chart.</p>");
    } else {
        body.push_str(&svg::bars(
            "Word tokens per group and language",
            "word tokens",
            &token_bars,
        ));
    }
    body.push_str("</section>");
    Ok(body)
}

/// Frame rates with intervals: one small chart per frame that occurs anywhere.
fn rate_charts(rates: &Rates, label: &dyn Fn(&str) -> String) -> String {
    let present: Vec<&String> = rates
        .frame_order
        .iter()
        .filter(|fr| rates.rows(fr).iter().any(|&i| rates.count[i] > 0))
        .collect();
    let absent: Vec<String> = rates
        .frame_order
        .iter()
        .filter(|fr| !present.contains(fr))
        .map(|fr| label(fr))
        .collect();
    let mut body = String::from(
        "<section id=\"rates\"><h2>Frame rates</h2><p>Hits per 10,000 word tokens, with 95% \
         bootstrap intervals over the group's documents (none for a group of one document).</p>\
         <div class=\"grid\">",
    );
    for frame in &present {
        let names: Vec<String> = rates
            .rows(frame)
            .iter()
            .map(|&i| rates.cell_name(i))
            .collect();
        let rows: Vec<Dot> = rates
            .rows(frame)
            .iter()
            .zip(&names)
            .map(|(&i, n)| Dot {
                label: n,
                value: rates.rate[i],
                low: rates.low[i],
                high: rates.high[i],
            })
            .collect();
        body.push_str(&svg::dot_whisker(
            &label(frame),
            "hits per 10,000 tokens",
            &rows,
        ));
    }
    body.push_str("</div>");
    if !absent.is_empty() {
        let _ = write!(
            body,
            "<p>No hits anywhere: {}.</p>",
            esc(&absent.join(", "))
        );
    }
    body.push_str("</section>");
    body
}

/// Heat map: frames × (group, language).
fn heatmap(rates: &Rates, label: &dyn Fn(&str) -> String) -> String {
    let values: Vec<Vec<Option<f64>>> = rates
        .frame_order
        .iter()
        .map(|fr| rates.rows(fr).iter().map(|&i| rates.rate[i]).collect())
        .collect();
    let row_names: Vec<String> = rates.frame_order.iter().map(|fr| label(fr)).collect();
    let col_names: Vec<String> = rates.cells.iter().map(cell_name).collect();
    let mut body = String::from("<section id=\"heatmap\"><h2>Frames across groups</h2>");
    if col_names.is_empty() {
        body.push_str("<p>No group to show.</p>");
    } else {
        body.push_str(&svg::heatmap(
            "Frame rate by group and language",
            ("frame", &row_names),
            ("group · language", &col_names),
            &values,
            "hits per 10,000 tokens",
        ));
    }
    body.push_str("</section>");
    body
}

/// Top key terms of each group against the rest, in both directions.
fn key_terms(dir: &Path, stopwords: bool) -> Result<String> {
    // (group, lang) -> the most over-used and the most under-used terms against
    // the rest, as (G2, term, log ratio); rows come G2 descending per comparison.
    type Keys = (Vec<(f64, String, f64)>, Vec<(f64, String, f64)>);
    let mut by: BTreeMap<(String, String), Keys> = BTreeMap::new();
    let columns = [
        "target",
        "reference",
        "lang",
        "term",
        "g2",
        "p_bh",
        "log_ratio",
    ];
    Table::scan(dir, "keyness", &columns, |t| {
        let (target, reference, lang, term) = (
            t.strs("target")?,
            t.strs("reference")?,
            t.strs("lang")?,
            t.strs("term")?,
        );
        let (g2, p_bh, lr) = (t.floats("g2")?, t.floats("p_bh")?, t.floats("log_ratio")?);
        for i in 0..target.len() {
            if reference[i] != crate::stats::keyness::REST || p_bh[i].is_none_or(|p| p >= 0.05) {
                continue;
            }
            let e = by.entry((target[i].clone(), lang[i].clone())).or_default();
            let g = g2[i].unwrap_or(0.0);
            let row = (g, term[i].clone(), lr[i].unwrap_or(0.0));
            if g > 0.0 {
                if e.0.len() < TOP_TERMS {
                    e.0.push(row);
                }
            } else {
                // Under-used rows come last, least negative first: keep the last ones.
                e.1.push(row);
                if e.1.len() > TOP_TERMS {
                    e.1.remove(0);
                }
            }
        }
        Ok(())
    })?;
    let mut out = format!(
        "<section id=\"keyness\"><h2>Key terms</h2><p>Each group against the rest of the corpus \
         in the same language: signed log-likelihood G², Benjamini–Hochberg adjusted p &lt; 0.05, \
         stopwords {}; the ten most over-used (more than the rest) and under-used terms. \
         Log ratio is the binary log of the ratio of relative frequencies.</p><div class=\"grid\">",
        if stopwords { "included" } else { "left out" }
    );
    for ((group, lg), (pos, neg)) in &by {
        let _ = write!(
            out,
            "<table class=\"keys\"><caption>{} · {}</caption><thead><tr><th>over-used</th>\
             <th>G²</th><th>log ratio</th><th>under-used</th><th>G²</th><th>log ratio</th>\
             </tr></thead><tbody>",
            esc(group),
            esc(lg)
        );
        let neg: Vec<&(f64, String, f64)> = neg.iter().rev().collect(); // most negative first
        for k in 0..pos.len().max(neg.len()) {
            out.push_str("<tr>");
            for row in [pos.get(k), neg.get(k).copied()] {
                match row {
                    Some((g, term, lr)) => {
                        let _ = write!(
                            out,
                            "<td>{}</td><td class=\"num\">{g:.1}</td><td class=\"num\">{lr:.2}</td>",
                            esc(term)
                        );
                    }
                    None => out.push_str("<td></td><td></td><td></td>"),
                }
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");
    }
    if by.is_empty() {
        out.push_str("<p>No term passes the threshold.</p>");
    }
    out.push_str("</div></section>");
    Ok(out)
}

/// The keywords of a few documents: the first (by doc_id) of each jurisdiction and
/// language, each method's best terms side by side.
fn keywords(dir: &Path) -> Result<String> {
    let mut chosen: BTreeMap<String, String> = BTreeMap::new();
    let mut cells = BTreeSet::new();
    let columns = ["doc_id", "jurisdiction", "lang", "title"];
    Table::scan_while(dir, "documents", &columns, |t| {
        t.each_row(&columns, |row| {
            let &[doc, jurisdiction, lang, title] = row else {
                return;
            };
            if chosen.len() < KEYWORD_DOCS
                && cells.insert((jurisdiction.to_string(), lang.to_string()))
            {
                chosen.insert(
                    doc.to_string(),
                    format!("{jurisdiction} · {lang} · {title}"),
                );
            }
        })?;
        Ok(chosen.len() < KEYWORD_DOCS)
    })?;
    let last = chosen.keys().next_back().cloned().unwrap_or_default();
    // doc_id -> method -> terms, best first.
    let mut found: BTreeMap<String, BTreeMap<String, Vec<(String, f64)>>> = BTreeMap::new();
    Table::scan_while(
        dir,
        "keywords",
        &["doc_id", "method", "rank", "term", "score"],
        |t| {
            let (doc, method, term) = (t.strs("doc_id")?, t.strs("method")?, t.strs("term")?);
            let (rank, score) = (t.ints("rank")?, t.floats("score")?);
            for i in 0..doc.len() {
                if rank[i] <= KEYWORDS_SHOWN && chosen.contains_key(&doc[i]) {
                    let terms = found.entry(doc[i].clone()).or_default();
                    let row = (term[i].clone(), score[i].unwrap_or(0.0));
                    terms.entry(method[i].clone()).or_default().push(row);
                }
            }
            Ok(doc.last().is_some_and(|d| *d <= last))
        },
    )?;
    let mut out = String::from(
        "<section id=\"keywords\"><h2>Keywords</h2><p>The best terms of the first document of \
         each jurisdiction and language: <code>tfidf</code> weighs a term's share of the \
         document by how few documents of its language have it; <code>textrank</code> (when \
         the run computed it) ranks the words by the company they keep. All documents: \
         <code>keywords.parquet</code>.</p><div class=\"grid\">",
    );
    for (doc, methods) in &found {
        let _ = write!(
            out,
            "<table class=\"keys\"><caption>{}<br><span class=\"unit\">{}</span></caption>\
             <thead><tr>",
            esc(doc),
            esc(&chosen[doc])
        );
        for method in methods.keys() {
            let _ = write!(out, "<th>{}</th><th>score</th>", esc(method));
        }
        out.push_str("</tr></thead><tbody>");
        let rows = methods.values().map(Vec::len).max().unwrap_or(0);
        for k in 0..rows {
            out.push_str("<tr>");
            for terms in methods.values() {
                match terms.get(k) {
                    Some((term, score)) => {
                        let _ = write!(
                            out,
                            "<td>{}</td><td class=\"num\">{score:.3}</td>",
                            esc(term)
                        );
                    }
                    None => out.push_str("<td></td><td></td>"),
                }
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");
    }
    if found.is_empty() {
        out.push_str("<p>No keywords in this run (<code>keywords = 0</code>).</p>");
    }
    out.push_str("</div></section>");
    Ok(out)
}

/// One correspondence-analysis map of `ca.parquet`: its first two dimensions.
#[derive(Debug, serde::Serialize)]
pub struct CaMap {
    /// `groups` or `documents`.
    pub table: String,
    pub lang: String,
    /// Share of the inertia of dimensions 1 and 2.
    pub inertia: [f64; 2],
    pub points: Vec<CaPoint>,
}

#[derive(Debug, serde::Serialize)]
pub struct CaPoint {
    /// `row` (a group or document) or `column` (a frame).
    pub kind: String,
    pub name: String,
    pub x: f64,
    pub y: f64,
    pub mass: f64,
}

/// The first two dimensions of each map of `ca.parquet` (one per table and
/// language, in the table's order; points in the order first seen).
pub fn ca_maps_of(dir: &Path) -> Result<Vec<CaMap>> {
    let t = Table::read(dir, "ca")?;
    let (table, lang, kind, point) = (
        t.strs("table")?,
        t.strs("lang")?,
        t.strs("kind")?,
        t.strs("point")?,
    );
    let (dim, coordinate, mass, share) = (
        t.ints("dim")?,
        t.floats("coordinate")?,
        t.floats("mass")?,
        t.floats("inertia_share")?,
    );
    let mut maps: Vec<CaMap> = Vec::new();
    let mut at: BTreeMap<(String, String, String, String), (usize, usize)> = BTreeMap::new();
    for i in 0..table.len() {
        if dim[i] != 1 && dim[i] != 2 {
            continue;
        }
        let m = match maps
            .iter()
            .position(|m| m.table == table[i] && m.lang == lang[i])
        {
            Some(m) => m,
            None => {
                maps.push(CaMap {
                    table: table[i].clone(),
                    lang: lang[i].clone(),
                    inertia: [0.0, 0.0],
                    points: Vec::new(),
                });
                maps.len() - 1
            }
        };
        maps[m].inertia[(dim[i] - 1) as usize] = share[i].unwrap_or(0.0);
        let key = (
            table[i].clone(),
            lang[i].clone(),
            kind[i].clone(),
            point[i].clone(),
        );
        let p = *at.entry(key).or_insert_with(|| {
            maps[m].points.push(CaPoint {
                kind: kind[i].clone(),
                name: point[i].clone(),
                x: 0.0,
                y: 0.0,
                mass: mass[i].unwrap_or(0.0),
            });
            (m, maps[m].points.len() - 1)
        });
        let c = coordinate[i].unwrap_or(0.0);
        if dim[i] == 1 {
            maps[p.0].points[p.1].x = c;
        } else {
            maps[p.0].points[p.1].y = c;
        }
    }
    Ok(maps)
}

/// The first two dimensions of the correspondence analysis of groups and frames,
/// one map per language.
fn ca_maps(dir: &Path, label: &dyn Fn(&str) -> String) -> Result<String> {
    let mut maps: Vec<CaMap> = ca_maps_of(dir)?
        .into_iter()
        .filter(|m| m.table == "groups")
        .collect();
    maps.sort_by(|a, b| a.lang.cmp(&b.lang));
    let mut out = String::from(
        "<section id=\"ca\"><h2>Map of groups and frames</h2><p>Correspondence analysis of the \
         group × frame hit counts of each language, first two dimensions (principal \
         coordinates; circles are groups, triangles frames). A group lies towards the frames \
         it uses more than the others do. All dimensions, and the document × frame analysis: \
         <code>ca.parquet</code>.</p>",
    );
    for map in &maps {
        let (lang, [s1, s2]) = (&map.lang, map.inertia);
        let names: Vec<(String, [f64; 2], bool)> = map
            .points
            .iter()
            .map(|p| {
                let frame = p.kind == "column";
                (
                    if frame {
                        label(&p.name)
                    } else {
                        p.name.clone()
                    },
                    [p.x, p.y],
                    frame,
                )
            })
            .collect();
        let dots: Vec<svg::MapPoint> = names
            .iter()
            .map(|(name, [x, y], second)| svg::MapPoint {
                label: name,
                x: *x,
                y: *y,
                second: *second,
            })
            .collect();
        out.push_str(&svg::map(
            &format!("Groups and frames · {lang}"),
            (
                &format!("dimension 1 ({:.0}% of inertia)", 100.0 * s1),
                &format!("dimension 2 ({:.0}% of inertia)", 100.0 * s2),
            ),
            &dots,
        ));
    }
    if maps.is_empty() {
        out.push_str("<p>Too few groups or frames with hits to map.</p>");
    }
    out.push_str("</section>");
    Ok(out)
}

/// Words shown at each end of the Wordfish dimension.
const WORDFISH_WORDS: usize = 12;

/// The Wordfish positions of the documents with their bootstrap intervals, and
/// the words weighing most at each end.
fn wordfish(dir: &Path) -> Result<String> {
    let t = Table::read(dir, "wordfish")?;
    let mut out = String::from("<section id=\"wordfish\"><h2>Positions (Wordfish)</h2>");
    if t.height() == 0 {
        out.push_str(
            "<p>Not fitted: set <code>wordfish = \"en\"</code> (or <code>\"zh\"</code>) under \
             <code>[stats]</code> to place one language's documents on a dimension.</p>\
             </section>",
        );
        return Ok(out);
    }
    let (lang, kind, name) = (t.strs("lang")?, t.strs("kind")?, t.strs("name")?);
    let (estimate, low, high) = (
        t.floats("estimate")?,
        t.floats("ci_low")?,
        t.floats("ci_high")?,
    );
    let (direction, ll, count) = (
        t.strs("direction")?,
        t.floats("log_likelihood")?,
        t.ints("count")?,
    );
    let (converged, iterations) = (t.bools("converged")?, t.ints("iterations")?);
    let mut docs: Vec<usize> = (0..kind.len()).filter(|&i| kind[i] == "document").collect();
    let mut words: Vec<usize> = (0..kind.len()).filter(|&i| kind[i] == "word").collect();
    let by_estimate = |a: &usize, b: &usize| {
        let (x, y) = (estimate[*a].unwrap_or(0.0), estimate[*b].unwrap_or(0.0));
        x.total_cmp(&y).then(a.cmp(b))
    };
    docs.sort_by(by_estimate);
    words.sort_by(by_estimate);
    let _ = write!(
        out,
        "<p>Wordfish (Slapin &amp; Proksch 2008) on the {} {} documents and their {} most \
         frequent terms: positions ω (mean 0, sd 1) with 95% parametric bootstrap intervals. \
         Direction: {}. Log-likelihood {:.1}. Words and their weights β: \
         <code>wordfish.parquet</code>.</p>",
        docs.len(),
        esc(&lang[0]),
        words.len(),
        esc(&direction[0]),
        ll[0].unwrap_or(f64::NAN),
    );
    if !converged[0] {
        let _ = write!(
            out,
            "<p class=\"warn\"><b>The fit did not converge</b> in {} rounds: parameters were \
             still moving. Fewer terms (<code>wordfish_terms</code>) or fewer near-duplicate \
             documents usually help; read the positions with care.</p>",
            iterations[0]
        );
    }
    let dots: Vec<Dot> = docs
        .iter()
        .map(|&i| Dot {
            label: &name[i],
            value: estimate[i],
            low: low[i],
            high: high[i],
        })
        .collect();
    out.push_str(&svg::dot_whisker(
        &format!("Document positions · {}", lang[0]),
        "ω",
        &dots,
    ));
    let list = |ids: &mut dyn Iterator<Item = &usize>| {
        ids.take(WORDFISH_WORDS)
            .map(|&i| {
                format!(
                    "{} ({:+.2}, {})",
                    esc(&name[i]),
                    estimate[i].unwrap_or(0.0),
                    count[i]
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = write!(
        out,
        "<p><b>Left end</b> (most negative β; weight, count): {}.</p>\
         <p><b>Right end</b>: {}.</p></section>",
        list(&mut words.iter()),
        list(&mut words.iter().rev()),
    );
    Ok(out)
}

/// Frame rates by year, per group and language with at least two years.
fn trends(dir: &Path, label: &dyn Fn(&str) -> String) -> Result<String> {
    let t = Table::read(dir, "frame_trends")?;
    let (g, l, frame) = (t.strs("group")?, t.strs("lang")?, t.strs("frame")?);
    let (year, rate, count) = (t.ints("year")?, t.floats("rate_per_10k")?, t.ints("count")?);
    // frame -> "group · lang" -> (year, rate) points
    type Series = BTreeMap<String, Vec<(i32, f64)>>;
    let mut by: BTreeMap<&str, Series> = BTreeMap::new();
    let mut hits: BTreeMap<&str, i64> = BTreeMap::new();
    for i in 0..g.len() {
        if let Some(r) = rate[i] {
            by.entry(frame[i].as_str())
                .or_default()
                .entry(format!("{} · {}", g[i], l[i]))
                .or_default()
                .push((year[i] as i32, r));
            *hits.entry(frame[i].as_str()).or_insert(0) += count[i];
        }
    }
    let mut out = String::from(
        "<section id=\"trends\"><h2>Frame trends</h2><p>Hits per 10,000 tokens by the \
         documents' year, for each group and language with documents in at least two years.</p>\
         <div class=\"grid\">",
    );
    let mut drawn = 0;
    for (fr, series) in &by {
        let series: Vec<(String, Vec<(i32, f64)>)> = series
            .iter()
            .filter(|(_, pts)| pts.len() >= 2)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if series.is_empty() || hits[fr] == 0 {
            continue;
        }
        out.push_str(&svg::lines(&label(fr), "hits per 10,000 tokens", &series));
        drawn += 1;
    }
    out.push_str("</div>");
    if drawn == 0 {
        out.push_str("<p>No group has documents of two or more years with frame hits.</p>");
    }
    out.push_str("</section>");
    Ok(out)
}

/// Jensen–Shannon divergence of frame distributions between groups, per language.
/// Agreement of the language versions of each work, frame by frame.
fn parallel(dir: &Path, label: &dyn Fn(&str) -> String) -> Result<String> {
    let t = Table::read(dir, "parallel_frames")?;
    let (work, frame) = (t.strs("work")?, t.strs("frame")?);
    let (aligned, both) = (t.ints("units_aligned")?, t.ints("both")?);
    let (zh, en) = (t.ints("zh_only")?, t.ints("en_only")?);
    let (agreement, kappa) = (t.floats("agreement")?, t.floats("kappa")?);
    let mut out = String::from(
        "<section id=\"parallel\"><h2>Language versions</h2><p>Documents that share the \
         manifest's <code>work</code> are versions of one text. Units are aligned by number \
         (第五条 with Article 5); a frame agrees in a unit when both versions have a hit there. \
         Agreement is the share of unit × frame cells with a hit in either version where both \
         have one; <code>govlens parallel WORK</code> shows the units where they differ.</p>",
    );
    if work.is_empty() {
        out.push_str("<p>No work has two language versions in this corpus.</p></section>");
        return Ok(out);
    }
    let pct = |x: Option<f64>| x.map_or("–".to_string(), |x| format!("{:.0}%", 100.0 * x));
    let num = |x: Option<f64>| x.map_or("–".to_string(), |x| format!("{x:.2}"));
    let works: BTreeSet<&str> = work.iter().map(String::as_str).collect();
    for w in works {
        let rows: Vec<usize> = (0..work.len())
            .filter(|&i| work[i] == w && (both[i] + zh[i] + en[i] > 0 || frame[i] == "(all)"))
            .collect();
        let units = rows.first().map_or(0, |&i| aligned[i]);
        let _ = write!(
            out,
            "<h3>{}</h3><p>{units} aligned units.</p><table><thead><tr><th>frame</th>\
             <th>both</th><th>zh only</th><th>en only</th><th>agreement</th><th>kappa</th>\
             </tr></thead><tbody>",
            esc(w)
        );
        for i in rows {
            let name = if frame[i] == "(all)" {
                "<strong>all frames</strong>".to_string()
            } else {
                esc(&label(&frame[i]))
            };
            let _ = write!(
                out,
                "<tr><td>{name}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                both[i],
                zh[i],
                en[i],
                pct(agreement[i]),
                num(kappa[i])
            );
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");
    Ok(out)
}

fn divergence(dir: &Path) -> Result<String> {
    let t = Table::read(dir, "divergence")?;
    let (lang, kind, a, b, jsd) = (
        t.strs("lang")?,
        t.strs("kind")?,
        t.strs("group_a")?,
        t.strs("group_b")?,
        t.floats("jsd")?,
    );
    let mut out = String::from(
        "<section id=\"divergence\"><h2>Divergence</h2><p>Jensen–Shannon divergence (base 2, \
         0 = the same mix of frames, 1 = no frame in common) between the frame distributions of \
         every two groups of a language.</p><div class=\"grid\">",
    );
    let langs: BTreeSet<&str> = lang.iter().map(String::as_str).collect();
    if langs.is_empty() {
        out.push_str("<p>No two groups of one language to compare.</p>");
    }
    for lg in langs {
        let rows: Vec<usize> = (0..lang.len())
            .filter(|&i| lang[i] == lg && kind[i] == "frames")
            .collect();
        let groups: Vec<String> = rows
            .iter()
            .flat_map(|&i| [a[i].clone(), b[i].clone()])
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let pos = |x: &str| groups.iter().position(|g| g == x).unwrap_or(0);
        let mut m = vec![vec![None; groups.len()]; groups.len()];
        for (k, row) in m.iter_mut().enumerate() {
            row[k] = Some(0.0);
        }
        for &i in &rows {
            let (x, y) = (pos(&a[i]), pos(&b[i]));
            m[x][y] = jsd[i];
            m[y][x] = jsd[i];
        }
        out.push_str(&svg::heatmap(
            &format!("Divergence of frame use ({lg})"),
            ("group", &groups),
            ("group", &groups),
            &m,
            "JSD",
        ));
    }
    out.push_str("</div></section>");
    Ok(out)
}

/// A few concordance lines per frame, with document and unit.
fn concordance(dir: &Path, label: &dyn Fn(&str) -> String) -> Result<String> {
    // frame -> lines (doc_id, unit, left, match, right): the first hits, one per
    // document, so a frame's lines come from several texts.
    type Line = [String; 5];
    let mut by: BTreeMap<String, Vec<Line>> = BTreeMap::new();
    // Each frame's lines: one per document with a hit, at most KWIC_LINES. Once every
    // frame has them, the rest of the table (most of it, in a large corpus) can add
    // none: its hits are past the cap or in documents already shown.
    let mut wanted: BTreeMap<String, usize> = BTreeMap::new();
    let rates = Table::read(dir, "frame_rates")?;
    for (frame, docs) in rates.strs("frame")?.into_iter().zip(rates.ints("docs")?) {
        *wanted.entry(frame).or_insert(0) += docs as usize;
    }
    let columns = ["doc_id", "frame", "left", "match", "right", "unit"];
    Table::scan_while(dir, "kwic", &columns, |t| {
        // Only the lines kept are copied out of the table.
        t.each_row(&columns, |row| {
            let &[doc, frame, left, matched, right, unit] = row else {
                return;
            };
            let lines = by.entry(frame.to_string()).or_default();
            if lines.len() < KWIC_LINES && !lines.iter().any(|l| l[0] == doc) {
                lines.push([doc, unit, left, matched, right].map(str::to_string));
            }
        })?;
        let short = |(frame, &docs): (&String, &usize)| {
            by.get(frame).map_or(0, Vec::len) < docs.min(KWIC_LINES)
        };
        Ok(wanted.iter().any(short))
    })?;
    let mut out = String::from(
        "<section id=\"kwic\"><h2>Concordance</h2><p>The first hits of each frame in \
         different documents, as written (all lines: <code>kwic.parquet</code>, or \
         <code>govlens kwic TERM</code>).</p>",
    );
    for (fr, lines) in &by {
        let _ = write!(
            out,
            "<h3>{}</h3><table class=\"kwic\"><tbody>",
            esc(&label(fr))
        );
        for [doc, unit, left, matched, right] in lines {
            let _ = write!(
                out,
                "<tr><td class=\"doc\">{}<br><span class=\"unit\">{}</span></td>\
                 <td class=\"left\">{}</td><td class=\"hit\">{}</td><td>{}</td></tr>",
                esc(doc),
                esc(unit),
                esc(left),
                esc(matched),
                esc(right)
            );
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");
    Ok(out)
}

const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI','Noto Sans','Noto Sans CJK SC','Noto Sans SC',\
'PingFang SC','Microsoft YaHei',sans-serif;margin:0;color:#222;background:#fff}\
header{padding:16px 32px;background:#0b3d6b;color:#fff}header h1{margin:0 0 4px}\
header a{color:#cfe3ff;margin-right:12px}.meta{margin:0 0 8px;font-size:13px;opacity:.85}\
main{padding:8px 32px 48px}section{margin-top:24px}h2{border-bottom:1px solid #ccc}\
.grid{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}\
table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{padding:2px 8px;text-align:left}\
thead th{border-bottom:1px solid #999}td.num{text-align:right;font-variant-numeric:tabular-nums}\
caption{font-weight:600;text-align:left}table.kwic{table-layout:fixed;width:100%;max-width:1400px}\
table.kwic td{border-bottom:1px solid #eee;overflow-wrap:anywhere}table.kwic td.doc{width:20%}\
table.kwic td.left{width:36%}table.kwic td.hit{width:10%;text-align:center}\
table.kwic td.left{text-align:right;color:#444}table.kwic td.hit{font-weight:700;color:#0b3d6b}\
td.doc{font-size:11px;color:#666}.unit{color:#999}\
svg.chart{font-size:12px;background:#fff}.chart-title{font-size:13px;font-weight:600}\
line.grid{stroke:#e5e5e5}line.axis{stroke:#555}\
.tick{fill:#555;font-size:11px}.axis-label{fill:#333;font-size:12px}.label{fill:#222}\
.dot{fill:#0b3d6b}.whisker{stroke:#0b3d6b;stroke-width:2}.bar{fill:#4e79a7}\
.cell{stroke:#fff}.cell-text{font-size:10px;fill:#222}.cell-text.dark{fill:#fff}";
