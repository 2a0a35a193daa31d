//! `explorer.html`: one self-contained page on which every number of a run is one
//! click from the lines behind it.
//!
//! The report ([`crate::report`]) is a page to read; the explorer is a page to
//! look things up in. Its four views:
//! - **terms**: the terms of one group against a reference (the rest of its
//!   language, or another group), Fightin' Words z as the colour, and a term's
//!   concordance lines in both;
//! - **frames**: the group × frame heat map of rates, a cell's concordance lines
//!   (filterable by expression) and the frame's trend over the years;
//! - **language versions**: per work, the aligned units whose frames differ, both
//!   texts side by side;
//! - **map**: correspondence analysis of groups and frames, and Wordfish
//!   positions where they were fitted.
//!
//! The page is bounded whatever the corpus: it embeds the most frequent terms,
//! and a capped number of concordance lines per term and group and per frame,
//! group and expression ([`Caps`]), and says on the page what was left out. Its
//! data is gathered by [`data`] from the run's tables and, for the lines of
//! terms and the texts of language versions, from the corpus itself ([`lines`]),
//! read again with the run's settings; the page's script and styles (`page.js`,
//! `page.css`, written for govlens) are inline, so it works from `file://` with
//! no network.

mod data;
mod docs;
mod lines;

use std::path::{Path, PathBuf};

use crate::config::{Overrides, Plan};
use crate::corpus::Corpus;
use crate::document::Skipped;
use crate::error::{Error, Result};
use crate::lexicon::Lexicon;
use crate::provenance::RunManifest;

pub use data::Explorer;

/// How much of a run the page embeds (stated on the page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Caps {
    /// Bytes of the whole page: past them, every other cap is halved until the
    /// page fits.
    pub max_bytes: usize,
    /// Groups per language (the largest, by tokens) and frames (the most hit).
    pub groups: usize,
    pub frames: usize,
    /// Terms per language in the terms view (the most frequent).
    pub terms: usize,
    /// Terms per group and language whose lines are embedded, by Fightin' Words z
    /// against the rest ...
    pub distinctive_terms: usize,
    /// ... and the most frequent terms of each language whose lines are embedded.
    pub frequent_terms: usize,
    /// Concordance lines per term and group (from different documents first), of
    /// at most `line_groups` groups per term (those that use it most).
    pub term_lines: usize,
    pub line_groups: usize,
    /// Concordance lines per frame, group, language and expression, of at most
    /// `expressions` expressions per cell (those with the most hits).
    pub frame_lines: usize,
    pub expressions: usize,
    /// Characters of context kept on each side of a match.
    pub context_chars: usize,
    /// Works shown, units shown per work, and characters of each version's text.
    pub works: usize,
    pub version_units: usize,
    pub version_chars: usize,
}

impl Default for Caps {
    fn default() -> Self {
        Caps {
            max_bytes: 9 << 20,
            groups: 40,
            frames: 60,
            terms: 3000,
            distinctive_terms: 40,
            frequent_terms: 150,
            term_lines: 3,
            line_groups: 12,
            frame_lines: 20,
            expressions: 12,
            context_chars: 90,
            works: 40,
            version_units: 60,
            version_chars: 1500,
        }
    }
}

impl Caps {
    /// Every cap but `max_bytes` halved (none below 1).
    pub fn halved(self) -> Caps {
        let h = |n: usize| (n / 2).max(1);
        Caps {
            max_bytes: self.max_bytes,
            groups: h(self.groups),
            frames: h(self.frames),
            terms: h(self.terms),
            distinctive_terms: h(self.distinctive_terms),
            frequent_terms: h(self.frequent_terms),
            term_lines: h(self.term_lines),
            line_groups: h(self.line_groups),
            frame_lines: h(self.frame_lines),
            expressions: h(self.expressions),
            context_chars: h(self.context_chars).max(20),
            works: h(self.works),
            version_units: h(self.version_units),
            version_chars: h(self.version_chars).max(80),
        }
    }
}

/// The corpus a run read, with the settings it was read with, for the lines of
/// terms and the texts of language versions.
pub struct Reading<'a> {
    pub corpus: Corpus,
    pub plan: Plan,
    /// The run's lexicon (its segmenter's words, and the frames of language
    /// versions).
    pub lexicon: &'a Lexicon,
}

impl<'a> Reading<'a> {
    /// The corpus of `plan`, as a run is writing it.
    pub fn of_plan(plan: &Plan, lexicon: &'a Lexicon) -> Result<Reading<'a>> {
        Ok(Reading {
            corpus: Corpus::open(&plan.corpus)?,
            plan: plan.clone(),
            lexicon,
        })
    }

    /// The corpus the finished run in `dir` read, with its recorded settings;
    /// `None` when that corpus is no longer there (a shard's run on another machine,
    /// a corpus moved since).
    pub fn of_run(dir: &Path, lexicon: &'a Lexicon) -> Result<Option<Reading<'a>>> {
        let run = RunManifest::read(dir)?;
        let s = &run.settings;
        let corpus = PathBuf::from(&s.corpus);
        if !corpus.is_dir() {
            return Ok(None);
        }
        let mut plan = Plan::build(
            None,
            Overrides {
                corpus: Some(corpus.clone()),
                ..Overrides::default()
            },
        )?;
        if s.max_file_bytes > 0 {
            plan.max_file_bytes = s.max_file_bytes;
        }
        let zones: Vec<_> = s
            .count_zones
            .iter()
            .filter_map(|z| crate::document::structure::Zone::parse(z))
            .collect();
        if !zones.is_empty() {
            plan.counted_zones = crate::document::structure::CountedZones::new(&zones);
        }
        plan.count_names = s.count_names;
        plan.stats = s.stats.clone();
        plan.group_by = s.group_by.clone();
        Ok(Some(Reading {
            corpus: Corpus::open(&corpus)?,
            plan,
            lexicon,
        }))
    }
}

/// What [`write`] wrote, and the documents it could not read again.
pub struct Written {
    pub path: PathBuf,
    pub bytes: u64,
    pub skipped: Vec<Skipped>,
}

/// Reads the run in `dir` and writes `dir/explorer.html`. Frames are labelled
/// from `lexicon` where it names them; without `reading` (the corpus is gone)
/// the page has no lines of terms and no texts of language versions, and says so.
pub fn write(dir: &Path, lexicon: Option<&Lexicon>, reading: Option<&Reading>) -> Result<Written> {
    let (html, skipped) = build(dir, lexicon, reading, Caps::default())?;
    let path = dir.join("explorer.html");
    std::fs::write(&path, &html).map_err(|e| Error::io(&path, e))?;
    Ok(Written {
        path,
        bytes: html.len() as u64,
        skipped,
    })
}

/// [`write`] for a finished run in `dir` (a run written from memory, a merge):
/// its corpus found through `run.json`, when it is still there and `lexicon` is
/// the run's.
pub fn write_of_run(dir: &Path, lexicon: Option<&Lexicon>) -> Result<Written> {
    let reading = match lexicon {
        Some(l) => Reading::of_run(dir, l)?,
        None => None,
    };
    write(dir, lexicon, reading.as_ref())
}

/// The page's HTML, and the documents of the corpus that could not be read again
/// (or changed since the run: their lines are left out). A page that would be
/// larger than `caps.max_bytes` is gathered again with every cap halved, until it
/// fits or the caps are all at their floor; the page says how often.
pub fn build(
    dir: &Path,
    lexicon: Option<&Lexicon>,
    reading: Option<&Reading>,
    caps: Caps,
) -> Result<(String, Vec<Skipped>)> {
    let mut caps = caps;
    for halved in 0.. {
        let (mut explorer, skipped) = data::gather(dir, lexicon, reading, caps)?;
        if halved > 0 {
            explorer.notes.insert(
                0,
                format!(
                    "size: every cap below was halved {halved} time(s) to keep the page under \
                     {} MB",
                    caps.max_bytes >> 20
                ),
            );
        }
        let html = page(&explorer)?;
        if html.len() <= caps.max_bytes || caps.halved() == caps {
            return Ok((html, skipped));
        }
        caps = caps.halved();
    }
    unreachable!("the caps reach their floor")
}

const SCRIPT: &str = include_str!("page.js");
const STYLE: &str = include_str!("page.css");

/// The page around its data: the data is JSON in a `<script type="application/json">`,
/// with `<` written as `\u003c` so no text of a document can end the element.
fn page(explorer: &Explorer) -> Result<String> {
    let json = serde_json::to_string(explorer)
        .map_err(|e| Error::Invalid(format!("explorer data: {e}")))?
        .replace('<', "\\u003c");
    let title = format!("govlens explorer · {}", explorer.meta.corpus);
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body>\
         <noscript>The explorer needs JavaScript; report.html beside it is a static page.</noscript>\
         <div id=\"app\"></div>\
         <script type=\"application/json\" id=\"govlens-data\">{json}</script>\
         <script>{SCRIPT}</script></body></html>\n",
        crate::report::svg::esc(&title)
    ))
}
