//! Language versions compared unit by unit: `parallel.parquet`,
//! `parallel_frames.parquet` and `govlens parallel`.

use std::path::Path;

use crate::common::{Table, govlens, govlens_ok, run_corpus_ok, shared_corpus};

/// (unit, frame) -> (count_zh, count_en) of one work.
fn cells(out: &Path, work: &str) -> std::collections::BTreeMap<(String, String), (i64, i64)> {
    let t = Table::read(out, "parallel");
    let (w, u, f, z, e) = (
        t.strs("work"),
        t.strs("unit"),
        t.strs("frame"),
        t.ints("count_zh"),
        t.ints("count_en"),
    );
    (0..w.len())
        .filter(|&i| w[i] == work)
        .map(|i| ((u[i].clone(), f[i].clone()), (z[i], e[i])))
        .collect()
}

/// Checks the summary of `work` against its cells; returns its (all) agreement.
fn summary_holds_together(out: &Path, work: &str) -> f64 {
    let cells = cells(out, work);
    let s = Table::read(out, "parallel_frames");
    let (w, f) = (s.strs("work"), s.strs("frame"));
    let (both, zh, en) = (s.ints("both"), s.ints("zh_only"), s.ints("en_only"));
    let agreement = s.opt_floats("agreement");
    let mut all = None;
    for i in (0..w.len()).filter(|&i| w[i] == work) {
        let of: Vec<&(i64, i64)> = cells
            .iter()
            .filter(|((_, frame), _)| f[i] == "(all)" || *frame == f[i])
            .map(|(_, c)| c)
            .collect();
        let count = |p: fn(&&&(i64, i64)) -> bool| of.iter().filter(p).count() as i64;
        assert_eq!(both[i], count(|c| c.0 > 0 && c.1 > 0), "{work} {}", f[i]);
        assert_eq!(zh[i], count(|c| c.0 > 0 && c.1 == 0), "{work} {}", f[i]);
        assert_eq!(en[i], count(|c| c.0 == 0 && c.1 > 0), "{work} {}", f[i]);
        if both[i] + zh[i] + en[i] > 0 {
            let want = both[i] as f64 / (both[i] + zh[i] + en[i]) as f64;
            assert!(
                (agreement[i].unwrap() - want).abs() < 1e-12,
                "{work} {}",
                f[i]
            );
        } else {
            assert_eq!(
                agreement[i], None,
                "{work} {}: no cells, no agreement",
                f[i]
            );
        }
        if f[i] == "(all)" {
            all = agreement[i];
        }
    }
    all.expect("an (all) row")
}

#[test]
fn the_sample_translation_is_compared_article_by_article() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    govlens_ok(&["run", "--out", out.to_str().unwrap(), "-q"]);
    let c = cells(&out, "cn-outline");
    // Article 3: 法治 twice in the Chinese (依法治理 does not count), "rule of law" once.
    assert_eq!(c[&("article 3".into(), "rule_of_law".into())], (2, 1));
    // Article 6: 主权 twice, "sovereignty" once.
    assert_eq!(c[&("article 6".into(), "sovereignty".into())], (2, 1));
    // Article 1: the translation paraphrases 以人为本 ("puts people first").
    assert_eq!(c[&("article 1".into(), "human_centred".into())], (1, 0));
    // Article 2: 竞争力 has no English hit since "competitive" alone is not the race
    // frame (frames-CHANGELOG.md, 2026-12-07): "made more competitive abroad".
    assert_eq!(
        c[&("article 2".into(), "leadership_competition".into())],
        (1, 0)
    );
    let all = summary_holds_together(&out, "cn-outline");
    assert!((all - 9.0 / 17.0).abs() < 1e-12, "{all}");
    // The command shows the three articles where the versions differ, both texts.
    let shown = govlens_ok(&["parallel", "cn-outline", "--width", "40"]);
    let heads: Vec<&str> = shown
        .lines()
        .filter(|l| l.starts_with("article "))
        .collect();
    assert_eq!(heads.len(), 3, "{shown}");
    assert!(
        heads[0].starts_with("article 1 (第一条 | Article 1): zh only [human_centred"),
        "{shown}"
    );
    assert!(
        shown.contains("以人为本") && shown.contains("puts"),
        "{shown}"
    );
    // A work the corpus lacks is an error that says what was found.
    let missing = govlens(&["parallel", "no-such-work"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("0 readable zh versions"));
}

#[test]
fn the_shared_laws_and_their_translations_are_aligned() {
    let Some(_) = shared_corpus("the_shared_laws_and_their_translations_are_aligned") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ai");
    run_corpus_ok(
        "../shared/corpora/ai-governance",
        &out,
        &["-q", "--no-report"],
    );
    for work in [
        "cn-pipl-2021",
        "cn-genai-interim-measures-2023",
        "cn-network-data-security-regulations-2024",
        "tw-ai-basic-act-2026",
    ] {
        let agreement = summary_holds_together(&out, work);
        assert!((0.5..=1.0).contains(&agreement), "{work}: {agreement}");
    }
    let s = Table::read(&out, "parallel_frames");
    let works: std::collections::BTreeSet<String> = s.strs("work").into_iter().collect();
    assert_eq!(
        works.len(),
        4,
        "only the works with two versions: {works:?}"
    );
    // The PIPL has 74 articles in both versions (and its chapters).
    let (w, f, n) = (s.strs("work"), s.strs("frame"), s.ints("units_aligned"));
    let pipl = (0..w.len())
        .find(|&i| w[i] == "cn-pipl-2021" && f[i] == "(all)")
        .unwrap();
    assert!(n[pipl] >= 74, "{}", n[pipl]);

    let par = dir.path().join("par");
    run_corpus_ok("../shared/corpora/parallel", &par, &["-q", "--no-report"]);
    for work in [
        "tw-personal-data-protection-act-2023",
        "tw-cyber-security-management-act-2018",
        "tw-csma-enforcement-rules-2021",
        "tw-electronic-signatures-act-2024",
    ] {
        let agreement = summary_holds_together(&par, work);
        assert!((0.5..=1.0).contains(&agreement), "{work}: {agreement}");
    }
}

/// A Hong Kong style pair, written for this test: the Chinese numbers sections
/// 第N條 and the English "Section N", parts 第N部 / "Part N", divisions 第N分部 /
/// "Division N", schedules 附表N / "Schedule N", and a lettered section 第20A條 /
/// "Section 20A". Every unit aligns, and no hit is left unaligned.
#[test]
fn a_hong_kong_style_pair_aligns_every_unit() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("hk");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(
        corpus.join("manifest.csv"),
        "file,doc_id,jurisdiction,lang,work\n\
         ord.zh.txt,ord-zh,HK,zh,ord\n\
         ord.en.txt,ord-en,HK,en,ord\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("ord.zh.txt"),
        "第1部\n湖畔事務\n\n第1條 燈塔\n看守人每晚記錄潮汐。\n\n第2條 燈光\n\
         看守人以可信的燈光守護漁船安全。\n\n第2部\n港口\n\n第1分部\n碼頭\n\n\
         第3條 碼頭\n碼頭的發展以人為本。\n\n第20A條 帳目\n港務員公開帳目以求透明度。\n\n\
         附表1\n船名\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("ord.en.txt"),
        "Part 1\nLakeside matters\n\nSection 1 Lighthouses\nKeepers write down the tides \
         every night.\n\nSection 2 Lamps\nKeepers guard the fishing boats' safety with \
         trustworthy lamps.\n\nPart 2\nThe port\n\nDivision 1\nQuays\n\n\
         Section 3 Quays\nThe development of the quays is human-centred.\n\n\
         Section 20A Accounts\nThe harbour clerk shows the accounts for transparency.\n\n\
         Schedule 1\nBoat names\n",
    )
    .unwrap();
    let overrides = govlens::config::Overrides {
        corpus: Some(corpus),
        ..Default::default()
    };
    let output = govlens::Pipeline::with_overrides(None, overrides)
        .unwrap()
        .run(&govlens::progress::Silent)
        .unwrap();
    let s = output.table("parallel_frames").unwrap();
    let frames = s.column("frame").unwrap().str().unwrap();
    let all = (0..s.height())
        .find(|&i| frames.get(i) == Some("(all)"))
        .expect("an (all) row");
    let int = |name: &str| s.column(name).unwrap().i64().unwrap().get(all).unwrap();
    // part 1, article 1, 2, part 2, division 1, article 3, 20a, schedule 1.
    assert_eq!(int("units_aligned"), 8);
    assert_eq!((int("unaligned_zh"), int("unaligned_en")), (0, 0));
    assert!(int("both") >= 4, "both {}", int("both"));
    let cells = output.table("parallel").unwrap();
    let texts = |name: &str| -> Vec<&str> {
        let column = cells.column(name).unwrap().str().unwrap();
        column.iter().flatten().collect()
    };
    let units = texts("unit");
    assert!(units.contains(&"article 20a"), "{units:?}");
    let (zh, en) = (texts("label_zh"), texts("label_en"));
    assert!(
        zh.contains(&"第20A條") && en.contains(&"Section 20A"),
        "{zh:?} {en:?}"
    );
}
