//! Zones and non-words: tables of contents, reference lists and notes are left out
//! of the counts by default (and said to be), URLs and footnote markers are not
//! words, and numbers and heading labels are flagged with the stopwords.

use crate::common::{Table, run_corpus_ok};

/// A team-written document with a contents list, a body, references and notes.
const TEXT: &str = "A Strategy for Trustworthy AI\n\nContents\n\nTrustworthy AI 1\n\
Risk and safety 4\nReferences 9\n\nTrustworthy AI\n\nWe want trustworthy AI by 2030 and we manage risk \
with care.[footnote 1] See https://example.org/trustworthy-ai for more, or write to \
trust@example.org.\n\nReferences\n\n1. A. Author, Trustworthy AI and risk, 2020.\n\nNotes\n\n\
1 Trustworthy again.\n";

#[test]
fn zones_are_left_out_by_default_and_counted_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c");
    std::fs::create_dir_all(corpus.join("us")).unwrap();
    std::fs::write(corpus.join("us/strategy.txt"), TEXT).unwrap();
    let trustworthy = |out: &std::path::Path| {
        let f = Table::read(out, "frames");
        let (frame, count) = (f.strs("frame"), f.ints("count"));
        (0..frame.len())
            .filter(|&i| frame[i] == "trustworthy")
            .map(|i| count[i])
            .sum::<i64>()
    };
    let out = dir.path().join("default");
    run_corpus_ok(&corpus, &out, &["-q", "--no-report"]);
    // The body's heading (which ends the contents list: it repeats an entry) and
    // the body's sentence: two. Not the title before the first sentence (front
    // matter), the contents entry, the reference or the note.
    assert_eq!(trustworthy(&out), 2);
    let d = Table::read(&out, "documents");
    let (toc, refs, notes, front) = (
        d.ints("tokens_toc")[0],
        d.ints("tokens_references")[0],
        d.ints("tokens_footnotes")[0],
        d.ints("tokens_front")[0],
    );
    assert!(toc > 0 && refs > 0 && notes > 0, "{toc} {refs} {notes}");
    assert_eq!(front, 5, "A Strategy for Trustworthy AI");
    assert_eq!(d.ints("n_tokens_left_out")[0], toc + refs + notes + front);
    // The URL, the e-mail address and the footnote marker are no words.
    let terms = Table::read(&out, "terms");
    let words = terms.strs("term");
    for w in ["https", "example", "org", "footnote", "trust"] {
        assert!(!words.iter().any(|t| t == w), "{w} is not a word here");
    }
    // Numbers are flagged with the stopwords.
    let flags = terms.bools("is_stopword");
    let (i, _) = words
        .iter()
        .enumerate()
        .find(|(_, t)| *t == "2030")
        .expect("the number 2030");
    assert!(flags[i]);
    // Counted on request: all six.
    let all = dir.path().join("all");
    let zones = "body,toc,references,footnotes,annex,front";
    run_corpus_ok(
        &corpus,
        &all,
        &["-q", "--no-report", "--count-zones", zones],
    );
    assert_eq!(trustworthy(&all), 6);
    assert_eq!(
        Table::read(&all, "documents").ints("n_tokens_left_out")[0],
        0
    );
    let units = Table::read(&out, "units");
    assert!(units.strs("zone").iter().any(|z| z == "references"));
}

#[test]
fn segment_zones_prints_each_line_left_out_with_its_zone() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("strategy.txt");
    std::fs::write(&file, TEXT).unwrap();
    let out = crate::common::govlens_ok(&["segment", "--zones", file.to_str().unwrap()]);
    let zone_of = |needle: &str| {
        out.lines()
            .find(|l| l.contains(needle))
            .and_then(|l| l.split_whitespace().next())
            .unwrap_or_else(|| panic!("{needle} in {out}"))
            .to_string()
    };
    assert_eq!(zone_of("A Strategy for Trustworthy AI"), "front");
    assert_eq!(zone_of("Risk and safety 4"), "toc");
    assert_eq!(zone_of("A. Author"), "references");
    assert_eq!(zone_of("Trustworthy again"), "footnotes");
    // The body's sentence is not listed; each line gives its byte offset.
    assert!(!out.contains("We want trustworthy AI"), "{out}");
    let offset: usize = out
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(offset, 0);
}
