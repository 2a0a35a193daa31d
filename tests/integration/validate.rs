//! `govlens validate`: a coding sheet drawn from a run, coded, and scored.

use crate::common::{govlens, govlens_ok};

#[test]
fn a_sample_is_drawn_coded_and_scored() {
    let dir = tempfile::tempdir().unwrap();
    let (out, sheet) = (dir.path().join("run"), dir.path().join("sheet.csv"));
    let (out_s, sheet_s) = (out.to_str().unwrap(), sheet.to_str().unwrap());
    govlens_ok(&["run", "--out", out_s, "-q"]);
    let draw = |path: &str| govlens(&["validate", "sample", out_s, "--per", "3", "--out", path]);
    assert!(draw(sheet_s).status.success());
    // The same run and seed draw the same sheet; an existing sheet is never overwritten.
    let again = dir.path().join("again.csv");
    assert!(draw(again.to_str().unwrap()).status.success());
    let text = std::fs::read_to_string(&sheet).unwrap();
    assert_eq!(text, std::fs::read_to_string(&again).unwrap());
    let refused = draw(sheet_s);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("never overwrites"));
    // Nor written into the run directory, which the next run replaces.
    let inside = out.join("sheet.csv");
    let refused = draw(inside.to_str().unwrap());
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("inside the run directory"));

    // At most 3 per frame and language, each with its stratum's size, relevant empty.
    let mut reader = csv::Reader::from_path(&sheet).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let mut per: std::collections::BTreeMap<(String, String), usize> = Default::default();
    for r in &rows {
        *per.entry((r[col("frame")].to_string(), r[col("lang")].to_string()))
            .or_default() += 1;
        assert_eq!(&r[col("relevant")], "");
        assert!(r[col("stratum_hits")].parse::<usize>().unwrap() >= 1);
    }
    assert!(per.values().all(|&n| n <= 3), "{per:?}");
    assert!(per.len() > 10, "{per:?}");

    // Code it (here by a rule, for the test): the first row of each stratum 0, the rest 1.
    let mut w = csv::Writer::from_path(&sheet).unwrap();
    w.write_record(&headers).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    let mut want: std::collections::BTreeMap<(String, String), (u64, u64)> = Default::default();
    for r in &rows {
        let key = (r[col("frame")].to_string(), r[col("lang")].to_string());
        let relevant = if seen.insert(key.clone()) { "0" } else { "1" };
        let e = want.entry(key).or_default();
        e.0 += 1;
        e.1 += u64::from(relevant == "1");
        let mut cells: Vec<&str> = r.iter().collect();
        cells[col("relevant")] = relevant;
        w.write_record(&cells).unwrap();
    }
    w.flush().unwrap();
    let scored = govlens_ok(&["validate", "score", sheet_s, "--run", out_s]);
    let (precision, adjusted) = scored.split_once("\n\n").expect("two tables");
    for line in precision.lines().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        let (n, k) = want[&(c[0].to_string(), c[1].to_string())];
        assert_eq!(
            (c[2], c[3]),
            (n.to_string().as_str(), k.to_string().as_str()),
            "{line}"
        );
        assert_eq!(c[4], format!("{:.3}", k as f64 / n as f64), "{line}");
        let (low, high): (f64, f64) = (c[5].parse().unwrap(), c[6].parse().unwrap());
        assert!(
            low <= k as f64 / n as f64 && k as f64 / n as f64 <= high,
            "{line}"
        );
    }
    // Adjusted rates are the run's rates times the precision.
    let rates = crate::common::Table::read(&out, "frame_rates");
    let (g, l, f, r) = (
        rates.strs("group"),
        rates.strs("lang"),
        rates.strs("frame"),
        rates.floats("rate_per_10k"),
    );
    let mut checked = 0;
    for line in adjusted.lines().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        let i = (0..g.len())
            .find(|&i| g[i] == c[0] && l[i] == c[1] && f[i] == c[2])
            .unwrap();
        let (n, k) = want[&(c[2].to_string(), c[1].to_string())];
        let expected = r[i] * k as f64 / n as f64;
        assert!(
            (c[4].parse::<f64>().unwrap() - expected).abs() < 1e-3,
            "{line}"
        );
        checked += 1;
    }
    assert!(checked > 10);

    // A value that is not 1 or 0 is an error naming its line.
    let bad = dir.path().join("bad.csv");
    let text = std::fs::read_to_string(&sheet).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[2] = lines[2]
        .replacen(",1,", ",maybe,", 1)
        .replacen(",0,", ",maybe,", 1);
    std::fs::write(&bad, lines.join("\n")).unwrap();
    let out = govlens(&["validate", "score", bad.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("line 3") && stderr.contains("\"maybe\""),
        "{stderr}"
    );
}

/// The team's coded sheets are complete, and the README's precision table is what
/// the scorer makes of them.
#[test]
fn the_shipped_coding_scores_as_the_readme_says() {
    let readme = std::fs::read_to_string(crate::common::root().join("docs/guide.md")).unwrap();
    let section = readme
        .split("## Validation: measured precision")
        .nth(1)
        .expect("a validation section");
    for (round, column) in [("round1", 2), ("round2", 3)] {
        let sheet = format!("validation/ai-governance-{round}.csv");
        let out = govlens(&["validate", "score", &sheet]);
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains(" 0 not yet coded"));
        let stdout = String::from_utf8(out.stdout).unwrap();
        let mut checked = 0;
        for line in stdout.lines().skip(1) {
            let c: Vec<&str> = line.split('\t').collect();
            let want = format!("{} ({})", c[4], c[2]);
            let row = section
                .lines()
                .find(|l| l.starts_with(&format!("| {} | {} |", c[0], c[1])))
                .unwrap_or_else(|| panic!("README row for {} {}", c[0], c[1]));
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            assert_eq!(cells[column + 1], want, "{round}: {row}");
            checked += 1;
        }
        assert!(checked >= 35, "{round}: {checked} strata");
    }
}
