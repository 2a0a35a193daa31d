//! What the counts leave out: audit.parquet, `govlens audit`, `govlens lexicon check`.

use crate::common::{Table, govlens, govlens_ok};

#[test]
fn audit_table_shows_uncounted_occurrences_and_never_a_counted_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    govlens_ok(&["run", "--out", out.to_str().unwrap(), "--quiet"]);
    let audit = Table::read(&out, "audit");
    let rows: Vec<(String, String, String, String, String)> = (0..audit.height())
        .map(|i| {
            (
                audit.strs("doc_id")[i].clone(),
                audit.strs("expression")[i].clone(),
                audit.strs("reason")[i].clone(),
                audit.strs("words")[i].clone(),
                audit.strs("match")[i].clone(),
            )
        })
        .collect();
    // The sample outline says 依法治理 (one word): 法治 is inside it, not rule of law.
    assert!(
        rows.iter()
            .any(|r| r.1 == "法治" && r.2 == "inside_word" && r.3 == "依法治理"),
        "{rows:?}"
    );
    // No occurrence the audit lists as left out was counted for its frame: its span is
    // never a concordance line's span of the same frame; and every one it lists as a
    // constituent of a longer word was (技术创新 holds 创新 in the sample outline).
    assert!(
        rows.iter()
            .any(|r| r.1 == "创新" && r.2 == "constituent" && r.3 == "技术创新"),
        "{rows:?}"
    );
    let kwic = Table::read(&out, "kwic");
    let counted: std::collections::HashSet<(String, String, i64)> = (0..kwic.height())
        .map(|i| {
            (
                kwic.strs("doc_id")[i].clone(),
                kwic.strs("frame")[i].clone(),
                kwic.ints("start_byte")[i],
            )
        })
        .collect();
    let (frames, starts) = (audit.strs("frame"), audit.ints("start_byte"));
    for (i, r) in rows.iter().enumerate() {
        let in_kwic = counted.contains(&(r.0.clone(), frames[i].clone(), starts[i]));
        assert_eq!(in_kwic, r.2 == "constituent", "{r:?}: counted {in_kwic}");
    }
}

#[test]
fn audit_command_summarises_per_expression_with_examples() {
    let stdout = govlens_ok(&["audit", "--top", "2"]);
    let header = stdout.lines().next().unwrap();
    assert_eq!(
        header,
        "frame\texpression\tcounted\tinside_word\tsplit_across_words\tacross_boundary\t\
         other_frame_won\toverlaps_other_match\texcluded\tname\tconstituent"
    );
    let row = stdout
        .lines()
        .find(|l| l.starts_with("rule_of_law\t法治\t"))
        .expect("a row for 法治");
    let cells: Vec<&str> = row.split('\t').collect();
    assert_eq!(&cells[2..4], &["2", "2"], "{row}");
    assert!(stdout.contains("依法治理  (inside_word)"), "{stdout}");
    assert!(stdout.contains("e.g. [inside_word] "), "{stdout}");
}

#[test]
fn lexicon_check_warns_where_the_segmenter_would_not_keep_a_term_whole() {
    let stdout = govlens_ok(&["lexicon", "check", "pipelines/frames.toml"]);
    assert!(stdout.contains("rule_of_law\t法治\tok: a word of jieba's dictionary"));
    assert!(
        stdout.contains(
            "cooperative_governance\t协同治理\tWARN: jieba's dictionary splits it (协同 / 治理)"
        ),
        "{stdout}"
    );
    let dir = tempfile::tempdir().unwrap();
    let lex = dir.path().join("lex.toml");
    std::fs::write(
        &lex,
        "[[frame]]\nid = 'sovereignty'\nlabel = 'Sovereignty'\nzh = ['網絡主權', '主权']\n",
    )
    .unwrap();
    let out = govlens(&["lexicon", "check", lex.to_str().unwrap()]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("網絡主權\tWARN: written in Traditional characters"),
        "{stdout}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("2 Chinese expressions checked, 1 warnings")
    );
}
