//! A work's Chinese and English texts, compared unit by unit.
//!
//! A law published in Chinese and in an authorised English rendering says the same
//! thing in both, article by article, so the frames found in article k of one should be found in
//! article k of the other. The manifest column `work` marks the texts that belong
//! together. Units are aligned by kind and number (第五条 with Article 5,
//! 第 1-1 條 with Article 1-1, 第二章 with Chapter II); for every aligned unit and
//! frame the counts of both versions are kept, and per work and frame the cells
//! found in both, in zh only and in en only give the agreement
//! (both / (both + zh only + en only), `docs/statistics.md`) and Cohen's kappa over
//! all aligned unit × frame cells. What cannot be aligned is said: hits in units
//! without a number or with a number only one version has, and works without
//! exactly one version in each language.

use std::collections::BTreeMap;

use crate::analyze::Lang;
use crate::document::DocCounts;
use crate::document::structure::{Unit, UnitKind, Zone, parse_number};

/// What the comparison keeps of one document with a `work`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct VersionDoc {
    pub doc_id: String,
    pub work: String,
    pub lang: Lang,
    /// Per unit: its alignment key (`article 5`, `chapter 2`), if it has one, and label.
    pub units: UnitKeys,
    /// (unit index, frame index, hits), sorted.
    pub unit_frames: Vec<(usize, usize, u64)>,
}

/// The units of a version document, each its alignment key (if any) and label, in
/// one string: a run keeps them for every document with a `work` until the end,
/// so they are a few allocations per document rather than two per unit.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct UnitKeys {
    text: String,
    /// Per unit: where its key ends (`NO_KEY` without one) and where its label
    /// ends in `text`; each starts where the previous ends.
    ends: Vec<(u32, u32)>,
}

const NO_KEY: u32 = u32::MAX;

impl UnitKeys {
    pub fn push(&mut self, key: Option<&str>, label: &str) {
        let key_end = match key {
            Some(k) => {
                self.text.push_str(k);
                self.text.len() as u32
            }
            None => NO_KEY,
        };
        self.text.push_str(label);
        self.ends.push((key_end, self.text.len() as u32));
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Unit `i`'s key and label.
    pub fn get(&self, i: usize) -> (Option<&str>, &str) {
        let start = if i == 0 {
            0
        } else {
            self.ends[i - 1].1 as usize
        };
        let (key_end, end) = self.ends[i];
        match key_end {
            NO_KEY => (None, &self.text[start..end as usize]),
            k => (
                Some(&self.text[start..k as usize]),
                &self.text[k as usize..end as usize],
            ),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (Option<&str>, &str)> {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Gives back the room reserved while pushing.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

impl VersionDoc {
    pub fn new(doc_id: &str, work: &str, lang: Lang, counts: &DocCounts) -> VersionDoc {
        VersionDoc {
            doc_id: doc_id.into(),
            work: work.into(),
            lang,
            units: {
                let mut units = UnitKeys::default();
                for (key, u) in aligned_keys(&counts.units).iter().zip(&counts.units) {
                    units.push(key.as_deref(), &u.label);
                }
                units.shrink_to_fit();
                units
            },
            unit_frames: counts.unit_frames.clone(),
        }
    }
}

/// The alignment key of every unit: its own ([`unit_key`]), or for a numbered
/// paragraph the key of the unit it belongs to (the article it numbers the
/// paragraphs of), so that an article is compared whole.
pub fn aligned_keys(units: &[Unit]) -> Vec<Option<String>> {
    let mut last: Option<String> = None;
    units
        .iter()
        .map(|u| {
            let key = unit_key(u);
            if key.is_some() || u.kind != UnitKind::Paragraph {
                last.clone_from(&key);
                key
            } else {
                last.clone()
            }
        })
        .collect()
}

/// The key that aligns a unit with its counterpart in another language: its kind
/// (a Chinese 节 is a section) and its number with any sub-number (1-1 for
/// 第 1-1 條, Article 1-1 and 第一條之一); `None` for the preamble, numbered
/// paragraphs, units without a number and the entries of a table of contents.
pub fn unit_key(unit: &Unit) -> Option<String> {
    // A table of contents lists the headings: its entries are not the units.
    if unit.zone == Zone::Toc {
        return None;
    }
    let kind = match unit.kind {
        UnitKind::Schedule
        | UnitKind::Part
        | UnitKind::Division
        | UnitKind::Chapter
        | UnitKind::Section
        | UnitKind::Article => unit.kind.as_str(),
        UnitKind::Preamble | UnitKind::Heading | UnitKind::Paragraph => return None,
    };
    let number = unit.number?;
    // The sub-number, after the main number: `-1`, `之一`.
    let label = unit.label.as_str();
    let sub = label
        .rfind(['-', '之'])
        .map(|i| label[i..].trim_start_matches(['-', '之']))
        .map(|rest| rest.trim_end_matches(['條', '条', ' ']).trim())
        .and_then(parse_number);
    // A lettered number: Section 20A, 第20A條.
    let letter = label
        .find(|c: char| c.is_ascii_digit())
        .map(|i| label[i..].trim_start_matches(|c: char| c.is_ascii_digit()))
        .and_then(|rest| rest.chars().next())
        .filter(char::is_ascii_alphabetic)
        .map_or(String::new(), |c| c.to_ascii_lowercase().to_string());
    Some(match sub {
        Some(s) => format!("{kind} {number}{letter}-{s}"),
        None => format!("{kind} {number}{letter}"),
    })
}

/// The kinds of one version's units as the other names them: where the Chinese
/// version numbers articles (條) and the English one has no article but
/// sections, the English sections are the articles (Hong Kong's ordinances:
/// 第12條 is Section 12; Taiwan's laws say Article 12). Other kinds are named
/// alike in both (部 Part, 分部 Division, 附表 Schedule, 章 Chapter).
fn section_is_article(zh: &VersionDoc, en: &VersionDoc) -> bool {
    let has = |d: &VersionDoc, kind: &str| {
        d.units
            .iter()
            .any(|(k, _)| k.is_some_and(|k| k.starts_with(kind)))
    };
    has(zh, "article ") && !has(zh, "section ") && !has(en, "article ") && has(en, "section ")
}

/// One aligned unit and frame with a hit in either version: a row of
/// `parallel.parquet`.
#[derive(Debug, Clone, PartialEq)]
pub struct CellRow {
    pub work: String,
    pub unit: String,
    pub label_zh: String,
    pub label_en: String,
    pub frame: String,
    pub count_zh: u64,
    pub count_en: u64,
}

/// Per work and frame: a row of `parallel_frames.parquet`.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameAgreement {
    pub work: String,
    /// A frame id, or `(all)` for all frames together.
    pub frame: String,
    pub units_aligned: u64,
    pub both: u64,
    pub zh_only: u64,
    pub en_only: u64,
    /// both / (both + zh_only + en_only); `None` without such cells.
    pub agreement: Option<f64>,
    /// Cohen's kappa of hit / no hit over all aligned unit × frame cells.
    pub kappa: Option<f64>,
    /// Hits in units of the zh (en) version that have no counterpart.
    pub unaligned_zh: u64,
    pub unaligned_en: u64,
}

impl FrameAgreement {
    /// A row of `work` and `frame` over `units_aligned` units, nothing counted yet.
    fn empty(work: &str, frame: &str, units_aligned: u64) -> FrameAgreement {
        FrameAgreement {
            work: work.into(),
            frame: frame.into(),
            units_aligned,
            both: 0,
            zh_only: 0,
            en_only: 0,
            agreement: None,
            kappa: None,
            unaligned_zh: 0,
            unaligned_en: 0,
        }
    }
}

/// Both tables for the version documents `docs`, works in order. A work of one
/// document is left out; a work of several without exactly one zh and one en
/// version gets one `(all)` row saying so (no aligned units, its hits unaligned).
pub fn compare(docs: &[VersionDoc], frame_ids: &[String]) -> (Vec<CellRow>, Vec<FrameAgreement>) {
    let mut works: BTreeMap<&str, Vec<&VersionDoc>> = BTreeMap::new();
    for d in docs {
        works.entry(&d.work).or_default().push(d);
    }
    let (mut cells, mut summary) = (Vec::new(), Vec::new());
    for (work, versions) in works {
        if versions.len() < 2 {
            continue; // one version: nothing to compare, nothing to say
        }
        let one = |lang| {
            let of: Vec<&&VersionDoc> = versions.iter().filter(|d| d.lang == lang).collect();
            (of.len() == 1).then(|| *of[0])
        };
        match (one(Lang::Zh), one(Lang::En)) {
            (Some(zh), Some(en)) => {
                let (c, s) = compare_pair(work, zh, en, frame_ids);
                cells.extend(c);
                summary.extend(s);
            }
            _ => summary.push(FrameAgreement {
                unaligned_zh: hits_of(&versions, Lang::Zh),
                unaligned_en: hits_of(&versions, Lang::En),
                ..FrameAgreement::empty(work, "(all)", 0)
            }),
        }
    }
    (cells, summary)
}

fn hits_of(versions: &[&VersionDoc], lang: Lang) -> u64 {
    versions
        .iter()
        .filter(|d| d.lang == lang)
        .flat_map(|d| d.unit_frames.iter().map(|&(_, _, n)| n))
        .sum()
}

/// Hits per aligned key and frame of one version, the labels of its keys, and
/// its hits per frame in units without a key or with a key the other lacks.
struct Keyed<'a> {
    counts: BTreeMap<(String, usize), u64>,
    labels: BTreeMap<String, &'a str>,
    unkeyed: BTreeMap<usize, u64>,
}

/// `doc`'s units by key; with `sections_as_articles`, its `section N` keys read
/// `article N` ([`section_is_article`]).
fn keyed(doc: &VersionDoc, sections_as_articles: bool) -> Keyed<'_> {
    let mut k = Keyed {
        counts: BTreeMap::new(),
        labels: BTreeMap::new(),
        unkeyed: BTreeMap::new(),
    };
    let name = |key: &str| match key.strip_prefix("section ") {
        Some(n) if sections_as_articles => format!("article {n}"),
        _ => key.to_string(),
    };
    for (key, label) in doc.units.iter() {
        if let Some(key) = key {
            k.labels.entry(name(key)).or_insert(label);
        }
    }
    for &(unit, frame, n) in &doc.unit_frames {
        match doc.units.get(unit).0 {
            Some(key) => *k.counts.entry((name(key), frame)).or_insert(0) += n,
            None => *k.unkeyed.entry(frame).or_insert(0) += n,
        }
    }
    k
}

fn compare_pair(
    work: &str,
    zh: &VersionDoc,
    en: &VersionDoc,
    frame_ids: &[String],
) -> (Vec<CellRow>, Vec<FrameAgreement>) {
    let (z, e) = (keyed(zh, false), keyed(en, section_is_article(zh, en)));
    let aligned: Vec<&str> = z
        .labels
        .keys()
        .filter(|k| e.labels.contains_key(*k))
        .map(String::as_str)
        .collect();
    let mut cells = Vec::new();
    let mut per_frame = Vec::new();
    let mut total = FrameAgreement::empty(work, "(all)", aligned.len() as u64);
    for (f, frame) in frame_ids.iter().enumerate() {
        let mut row = FrameAgreement::empty(work, frame, aligned.len() as u64);
        for &key in &aligned {
            let cell = (key.to_string(), f);
            let (cz, ce) = (z.counts.get(&cell), e.counts.get(&cell));
            let (cz, ce) = (cz.copied().unwrap_or(0), ce.copied().unwrap_or(0));
            match (cz > 0, ce > 0) {
                (true, true) => row.both += 1,
                (true, false) => row.zh_only += 1,
                (false, true) => row.en_only += 1,
                (false, false) => continue,
            }
            cells.push(CellRow {
                work: work.into(),
                unit: key.into(),
                label_zh: z.labels[key].into(),
                label_en: e.labels[key].into(),
                frame: frame.clone(),
                count_zh: cz,
                count_en: ce,
            });
        }
        let unaligned = |k: &Keyed, other: &Keyed| -> u64 {
            let keyed: u64 = k
                .counts
                .iter()
                .filter(|((key, ff), _)| *ff == f && !other.labels.contains_key(key))
                .map(|(_, n)| n)
                .sum();
            keyed + k.unkeyed.get(&f).copied().unwrap_or(0)
        };
        row.unaligned_zh = unaligned(&z, &e);
        row.unaligned_en = unaligned(&e, &z);
        finish(&mut row);
        total.both += row.both;
        total.zh_only += row.zh_only;
        total.en_only += row.en_only;
        total.unaligned_zh += row.unaligned_zh;
        total.unaligned_en += row.unaligned_en;
        per_frame.push(row);
    }
    total.units_aligned *= frame_ids.len() as u64;
    finish(&mut total);
    total.units_aligned = aligned.len() as u64;
    per_frame.push(total);
    cells.sort_by(|a, b| (&a.unit, &a.frame).cmp(&(&b.unit, &b.frame)));
    (cells, per_frame)
}

/// Agreement and kappa of a row whose counts are filled; `units_aligned` is the
/// number of cells compared.
fn finish(row: &mut FrameAgreement) {
    let hit_cells = row.both + row.zh_only + row.en_only;
    row.agreement = (hit_cells > 0).then(|| row.both as f64 / hit_cells as f64);
    let n = row.units_aligned as f64;
    if n == 0.0 {
        return;
    }
    let neither = n - hit_cells as f64;
    let observed = (row.both as f64 + neither) / n;
    let p_zh = (row.both + row.zh_only) as f64 / n;
    let p_en = (row.both + row.en_only) as f64 / n;
    let expected = p_zh * p_en + (1.0 - p_zh) * (1.0 - p_en);
    row.kappa = (expected < 1.0).then(|| (observed - expected) / (1.0 - expected));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::structure::units;

    fn doc(lang: Lang, text: &str, hits: &[(usize, usize, u64)]) -> VersionDoc {
        VersionDoc {
            doc_id: format!("d-{}", lang.as_str()),
            work: "w".into(),
            lang,
            units: {
                let mut keys = UnitKeys::default();
                for u in units(text) {
                    keys.push(unit_key(&u).as_deref(), &u.label);
                }
                keys
            },
            unit_frames: hits.to_vec(),
        }
    }

    #[test]
    fn units_align_by_kind_and_number() {
        let zh = units("序言\n第一章 开头\n第一条 内容\n第 1-1 條 内容\n第十條之一 内容\n");
        let en = units(
            "Preface\nChapter I General\nArticle 1 Text\nArticle 1-1 Text\nArticle 10-1 Text\n",
        );
        let keys = |u: &[Unit]| u.iter().map(unit_key).collect::<Vec<_>>();
        let want = vec![
            None,
            Some("chapter 1".to_string()),
            Some("article 1".to_string()),
            Some("article 1-1".to_string()),
            Some("article 10-1".to_string()),
        ];
        assert_eq!(keys(&zh), want);
        assert_eq!(keys(&en), want);
    }

    #[test]
    fn numbered_paragraphs_belong_to_their_article() {
        let en = units(
            "Intro\n1. Not in an article.\nArticle 4 Principles\n1. Fairness.\n2. Openness.\nArticle 5 Next\n",
        );
        let keys = aligned_keys(&en);
        let want: Vec<Option<&str>> = vec![
            None,
            None,
            Some("article 4"),
            Some("article 4"),
            Some("article 4"),
            Some("article 5"),
        ];
        assert_eq!(keys.iter().map(|k| k.as_deref()).collect::<Vec<_>>(), want);
    }

    #[test]
    fn agreement_counts_cells_with_a_hit_in_either_version() {
        // Units: preamble, Article 1, Article 2, Article 3 (zh) / Article 4 (en).
        let zh = doc(
            Lang::Zh,
            "前言\n第一条 甲\n第二条 乙\n第三条 丙\n",
            &[(0, 0, 1), (1, 0, 2), (2, 1, 1), (3, 0, 1)],
        );
        let en = doc(
            Lang::En,
            "Intro\nArticle 1 A\nArticle 2 B\nArticle 4 D\n",
            &[(1, 0, 1), (2, 0, 1), (3, 1, 5)],
        );
        let frames = vec!["f0".to_string(), "f1".to_string()];
        let (cells, summary) = compare(&[zh, en], &frames);
        // Aligned: article 1 and 2. f0: both in article 1, en only in article 2;
        // f1: zh only in article 2.
        assert_eq!(cells.len(), 3, "{cells:?}");
        let f0 = &summary[0];
        assert_eq!((f0.both, f0.zh_only, f0.en_only), (1, 0, 1));
        assert_eq!(f0.agreement, Some(0.5));
        // Unaligned: the preamble hit and article 3 (zh), article 4 (en).
        assert_eq!((f0.unaligned_zh, f0.unaligned_en), (2, 0));
        let f1 = &summary[1];
        assert_eq!((f1.both, f1.zh_only, f1.en_only), (0, 1, 0));
        assert_eq!((f1.unaligned_zh, f1.unaligned_en), (0, 5));
        let all = &summary[2];
        assert_eq!(
            (all.frame.as_str(), all.both, all.zh_only, all.en_only),
            ("(all)", 1, 1, 1)
        );
        assert_eq!(all.units_aligned, 2);
        assert!((all.agreement.unwrap() - 1.0 / 3.0).abs() < 1e-12);
        // Kappa over 2 units x 2 frames = 4 cells: observed (1 both + 1 neither) / 4
        // = 0.5; p_zh = p_en = 0.5; expected 0.5: kappa 0.
        assert!(all.kappa.unwrap().abs() < 1e-12, "{all:?}");
    }

    #[test]
    fn a_work_without_both_versions_is_said_to_be_unaligned() {
        let zh = doc(Lang::Zh, "第一条 甲\n", &[(0, 0, 3)]);
        let (_, summary) = compare(std::slice::from_ref(&zh), &["f0".to_string()]);
        assert!(summary.is_empty(), "one version: nothing to compare");
        let (cells, summary) = compare(&[zh.clone(), zh], &["f0".to_string()]);
        assert!(cells.is_empty());
        assert_eq!(summary.len(), 1);
        assert_eq!((summary[0].units_aligned, summary[0].unaligned_zh), (0, 6));
    }
}
