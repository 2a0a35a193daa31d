//! Documents as they are published: PDF, Word and OpenDocument in, the same
//! counts out. The files are rendered here ([`crate::render`]) from texts whose
//! words are known, read back by `govlens run`, and compared with the text.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use polars::prelude::*;

use crate::common::{Table, counts_by_doc, govlens_env, root, run_corpus_ok, shared_corpus};
use crate::render::{self, chromium, poppler};

/// Every row of `table` in `out`, each cell as text, sorted.
fn rows(out: &Path, table: &str) -> Vec<Vec<String>> {
    let t = Table::read(out, table);
    let cols: Vec<Vec<String>> =
        t.df.columns()
            .iter()
            .map(|c| {
                let s = c.cast(&DataType::String).unwrap();
                let s = s.as_materialized_series().str().unwrap().clone();
                s.iter().map(|v| v.unwrap_or("∅").to_string()).collect()
            })
            .collect();
    let mut rows: Vec<Vec<String>> = (0..t.height())
        .map(|i| cols.iter().map(|c| c[i].clone()).collect())
        .collect();
    rows.sort();
    rows
}

/// doc_id -> term -> count, from `terms.parquet`.
fn terms(out: &Path) -> BTreeMap<String, BTreeMap<String, i64>> {
    counts_by_doc(out, "terms", "term")
}

/// doc_id -> frame -> hits, from `frames.parquet`.
fn frames(out: &Path) -> BTreeMap<String, BTreeMap<String, i64>> {
    counts_by_doc(out, "frames", "frame")
}

/// Word-token F1 of `got` against `want` (multisets of terms).
fn token_f1(want: &BTreeMap<String, i64>, got: &BTreeMap<String, i64>) -> f64 {
    let common: i64 = want
        .iter()
        .map(|(t, n)| (*n).min(*got.get(t).unwrap_or(&0)))
        .sum();
    let (w, g): (i64, i64) = (want.values().sum(), got.values().sum());
    if w + g == 0 {
        return 1.0;
    }
    2.0 * common as f64 / (w + g) as f64
}

/// The sample corpus written again with every document as `ext`, made by `make`.
fn sample_as(
    dir: &Path,
    ext: &str,
    mut make: impl FnMut(usize, &str, &Path),
) -> std::path::PathBuf {
    let sample = root().join("corpora/sample");
    let manifest = std::fs::read_to_string(sample.join("manifest.csv")).unwrap();
    let corpus = dir.join(ext);
    let mut files = Vec::new();
    for line in manifest.lines().skip(1) {
        files.push(line.split(',').next().unwrap().to_string());
    }
    for (i, file) in files.iter().enumerate() {
        let text = std::fs::read_to_string(sample.join(file)).unwrap();
        let target = corpus.join(file).with_extension(ext);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        make(i, &text, &target);
    }
    std::fs::write(
        corpus.join("manifest.csv"),
        manifest.replace(".txt,", &format!(".{ext},")),
    )
    .unwrap();
    corpus
}

#[test]
fn the_sample_corpus_as_pdf_docx_and_odt_gives_the_same_frames_and_terms() {
    let test = "the sample corpus as PDF, Word and OpenDocument";
    let Some(browser) = chromium(test) else {
        return;
    };
    if !poppler(test) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let txt = root().join("corpora/sample");
    // What Chromium prints around the page, which a one-page document cannot
    // show to be running (nothing repeats): title, address, date and page number.
    let mut around = String::from("AM PM");
    let pdf = sample_as(dir.path(), "pdf", |i, text, target| {
        // Every other document in two columns.
        let columns = 1 + (i as u32 % 2);
        let title = format!("Sample {i} printed");
        let html = render::html(text, &title, columns, render::Paragraphs::Blocks);
        let address = render::print_pdf(&browser, &html, target);
        around.push_str(&format!(" {title} {address}"));
    });
    let analyzer = govlens::analyze::Analyzer::new::<&str>(&[]);
    let header_terms: std::collections::HashSet<String> = analyzer
        .tokens(&around)
        .iter()
        .map(|t| t.term.to_string())
        .collect();
    let header_row = |row: &Vec<String>| {
        header_terms.contains(&row[1]) || row[1].chars().all(|c| c.is_ascii_digit())
    };
    let docx = sample_as(dir.path(), "docx", |_, text, target| {
        std::fs::write(target, render::text_docx(text)).unwrap();
    });
    let odt = sample_as(dir.path(), "odt", |_, text, target| {
        std::fs::write(target, render::text_odt(text)).unwrap();
    });
    let outs: Vec<(&str, std::path::PathBuf)> =
        [("txt", &txt), ("pdf", &pdf), ("docx", &docx), ("odt", &odt)]
            .into_iter()
            .map(|(name, corpus)| {
                let out = dir.path().join(format!("out-{name}"));
                // The zones found from a page's layout (a title and the page's
                // header as front matter, its footer as a signature) differ with
                // the layout; this test is about reading the text, so it counts them.
                run_corpus_ok(
                    corpus,
                    &out,
                    &[
                        "-q",
                        "--no-report",
                        "--count-zones",
                        "body,annex,front,signature,lists,labels",
                    ],
                );
                (name, out)
            })
            .collect();
    let (_, base) = &outs[0];
    for (name, out) in &outs[1..] {
        for table in ["frames", "terms"] {
            let (mut want, mut got) = (rows(base, table), rows(out, table));
            if *name == "pdf" && table == "terms" {
                want.retain(|r| !header_row(r));
                got.retain(|r| !header_row(r));
            }
            let first_difference = want
                .iter()
                .zip(&got)
                .find(|(a, b)| a != b)
                .map(|(a, b)| format!("{a:?} vs {b:?}"));
            assert!(
                want == got,
                "{table} of the {name} corpus differ from the text's ({} vs {} rows): {first_difference:?}",
                want.len(),
                got.len()
            );
        }
    }
    // The PDFs' units carry their pages; the other formats' do not.
    let units = Table::read(&outs[1].1, "units");
    let pages = units.df.column("page").unwrap();
    assert_eq!(pages.null_count(), 0, "every PDF unit has a page");
    let units = Table::read(&outs[2].1, "units");
    assert_eq!(
        units.df.column("page").unwrap().null_count(),
        units.height()
    );
    // The Word title is a heading unit.
    assert!(units.strs("kind").iter().any(|k| k == "heading"));
}

#[test]
fn shared_documents_printed_to_pdf_keep_their_words_and_frame_counts() {
    let test = "shared documents printed to PDF";
    let Some(shared) = shared_corpus(test) else {
        return;
    };
    let Some(browser) = chromium(test) else {
        return;
    };
    if !poppler(test) {
        return;
    }
    let docs = [
        ("cn/aidp-2017.zh.txt", "zh"),
        ("us/nist-ai-rmf-1.0-2023.en.txt", "en"),
        ("tw/ai-basic-act-2026.zh.txt", "zh"),
        ("tw/ai-basic-act-2026.en.txt", "en"),
    ];
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let mut manifest = String::from("file,doc_id,jurisdiction,lang\n");
    let mut pages = BTreeMap::new();
    for (k, (file, lang)) in docs.iter().enumerate() {
        let text = std::fs::read_to_string(shared.join(file)).unwrap();
        let txt = format!("d{k}.txt");
        std::fs::write(corpus.join(&txt), &text).unwrap();
        manifest.push_str(&format!("{txt},d{k},X,{lang}\n"));
        let docx = format!("d{k}.docx");
        let paragraphs = render::split(&text, render::Paragraphs::Lines);
        let body: String = paragraphs.iter().map(|p| render::w_p(p, None)).collect();
        std::fs::write(corpus.join(&docx), render::docx(&body, None)).unwrap();
        manifest.push_str(&format!("{docx},d{k}-docx,X,{lang}\n"));
        for columns in [1, 2] {
            let name = format!("d{k}-{columns}col.pdf");
            let title = format!("Rendered {file}");
            let html = render::html(&text, &title, columns, render::Paragraphs::Lines);
            render::print_pdf(&browser, &html, &corpus.join(&name));
            manifest.push_str(&format!("{name},d{k}-{columns}col,X,{lang}\n"));
            let info = std::process::Command::new("pdfinfo")
                .arg(corpus.join(&name))
                .output()
                .unwrap();
            let info = String::from_utf8_lossy(&info.stdout).into_owned();
            let n: i64 = info
                .lines()
                .find_map(|l| l.strip_prefix("Pages:"))
                .and_then(|n| n.trim().parse().ok())
                .expect("pdfinfo gives the page count");
            pages.insert(format!("d{k}-{columns}col"), n);
        }
    }
    std::fs::write(corpus.join("manifest.csv"), manifest).unwrap();
    let out = dir.path().join("out");
    run_corpus_ok(&corpus, &out, &["-q", "--no-report"]);
    let (terms, frames) = (terms(&out), frames(&out));
    let units = Table::read(&out, "units");
    for (k, (file, _)) in docs.iter().enumerate() {
        let want = &terms[&format!("d{k}")];
        // Word: the same words and frames, exactly.
        let docx = format!("d{k}-docx");
        assert_eq!(Some(want), terms.get(&docx), "{file} as Word: terms");
        assert_eq!(
            frames.get(&format!("d{k}")),
            frames.get(&docx),
            "{file} as Word: frame counts"
        );
        for columns in [1, 2] {
            let id = format!("d{k}-{columns}col");
            let f1 = token_f1(want, &terms[&id]);
            eprintln!("{file} printed in {columns} column(s): word-token F1 {f1:.4}");
            assert!(f1 >= 0.99, "{file}, {columns} columns: F1 {f1:.4}");
            assert_eq!(
                frames.get(&format!("d{k}")),
                frames.get(&id),
                "{file}, {columns} columns: frame counts"
            );
            // Pages: the units of the last page name it.
            let last = units
                .strs("doc_id")
                .iter()
                .zip(units.opt_ints("page"))
                .filter(|(d, _)| **d == id)
                .filter_map(|(_, p)| p)
                .max();
            assert_eq!(last, Some(pages[&id]), "{id}: last page");
            // Page numbers (`7/29`) are gone: the page count is no more
            // frequent than in the text.
            let got = &terms[&id];
            let total = pages[&id].to_string();
            assert_eq!(got.get(&total), want.get(&total), "{id}: page numbers");
            // Words broken at soft hyphens are whole again: the long words.
            let long = |t: &BTreeMap<String, i64>| -> i64 {
                t.iter()
                    .filter(|(w, _)| {
                        w.chars().count() >= 10 && w.chars().all(|c| c.is_ascii_alphabetic())
                    })
                    .map(|(_, n)| n)
                    .sum()
            };
            let whole = match long(want) {
                0 => 1.0,
                n => long(got).min(n) as f64 / n as f64,
            };
            assert!(whole >= 0.995, "{id}: long words whole {whole:.4}");
            // Chromium's header (the title) and footer (the file's address) are gone.
            for marker in ["rendered", "file", "html"] {
                assert_eq!(
                    got.get(marker),
                    want.get(marker),
                    "{id}: running header or footer word {marker:?}"
                );
            }
        }
    }
}

#[test]
fn word_and_opendocument_headings_lists_tables_and_footnotes() {
    use render::w_p;
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let body = format!(
        "{}{}<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>\
         <w:r><w:t>First listed duty of openness.</w:t></w:r></w:p>\
         <w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>\
         <w:p><w:r><w:t>Systems must be trustworthy</w:t></w:r><w:r><w:footnoteReference w:id=\"1\"/></w:r>\
         <w:r><w:delText>deleted sovereignty</w:delText></w:r></w:p>",
        w_p("Principles of Governance", Some("Heading1")),
        w_p("The state keeps the rule of law.", None),
        w_p("Table cell on accountability", None),
        w_p("Second cell", None),
    );
    let notes = "<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>\
         <w:footnote w:id=\"1\"><w:p><w:r><w:t>A note on sovereignty and sovereignty.</w:t></w:r></w:p></w:footnote>";
    std::fs::write(corpus.join("a.docx"), render::docx(&body, Some(notes))).unwrap();
    let odt_body = "<text:h text:outline-level=\"1\">Principles of Governance</text:h>\
         <text:p>The state keeps the rule<text:s/>of law.<text:note text:note-class=\"footnote\">\
         <text:note-citation>1</text:note-citation><text:note-body><text:p>A note on sovereignty and sovereignty.</text:p>\
         </text:note-body></text:note></text:p>\
         <text:list><text:list-item><text:p>First listed duty of openness.</text:p></text:list-item></text:list>\
         <table:table><table:table-row><table:table-cell><text:p>Table cell on accountability</text:p></table:table-cell>\
         <table:table-cell><text:p>Second cell</text:p></table:table-cell></table:table-row></table:table>\
         <text:p>Systems must be trustworthy</text:p>";
    std::fs::write(corpus.join("b.odt"), render::odt(odt_body)).unwrap();
    std::fs::write(
        corpus.join("manifest.csv"),
        "file,doc_id,jurisdiction,lang\na.docx,docx,X,en\nb.odt,odt,X,en\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    // The heading before the first sentence is the documents' title (front
    // matter): counted here, as the test is about what is read.
    run_corpus_ok(
        &corpus,
        &out,
        &["-q", "--no-report", "--count-zones", "body,annex,front"],
    );
    let terms = terms(&out);
    let frames = frames(&out);
    for id in ["docx", "odt"] {
        let t = &terms[id];
        for word in [
            "openness",
            "accountability",
            "trustworthy",
            "law",
            "governance",
        ] {
            assert_eq!(t.get(word), Some(&1), "{id}: {word} in {t:?}");
        }
        // Notes are read, into the notes zone, and not counted; deleted text is not read.
        assert_eq!(t.get("sovereignty"), None, "{id}: {t:?}");
        let f = &frames[id];
        assert_eq!(f.get("sovereignty"), None, "{id}: {f:?}");
        assert_eq!(f.get("rule_of_law"), Some(&1), "{id}: {f:?}");
    }
    let docs = Table::read(&out, "documents");
    assert!(
        docs.ints("tokens_footnotes").iter().all(|&n| n >= 6),
        "notes zone"
    );
    let units = Table::read(&out, "units");
    let headings: Vec<(String, String)> = units
        .strs("kind")
        .into_iter()
        .zip(units.strs("label"))
        .filter(|(k, _)| k == "heading")
        .collect();
    let want = |l: &str| ("heading".to_string(), l.to_string());
    assert_eq!(
        headings,
        vec![
            want("Principles of Governance"),
            want("Footnotes"),
            want("Principles of Governance"),
            want("Footnotes")
        ]
    );
}

/// A PDF whose one page has 300 MB of content (spaces) to parse.
fn slow_pdf() -> Vec<u8> {
    use render::{deflate, one_page, pdf, stream};
    let content = deflate(&vec![b' '; 300 << 20]);
    pdf(&one_page(stream(&content, "/Filter /FlateDecode ")), "")
}

/// A PDF of 3,000 pages that all draw one content stream of 17,000 words.
fn wordy_pdf() -> Vec<u8> {
    use render::{deflate, pdf, stream};
    let row = "(ab cd ef gh ij kl mn op qr st uv wx yz ab cd ef gh ij kl mn op qr st uv wx yz) Tj 0 -1.2 Td ";
    let page = format!("BT /F1 1 Tf 1 790 Td {}ET", row.repeat(650));
    let content = stream(&deflate(page.as_bytes()), "/Filter /FlateDecode ");
    pdf(&render::many_pages(content, 3_000), "")
}

/// A corpus of one good text and every class of bad PDF, Word and OpenDocument file.
fn bad_files(corpus: &Path) -> Vec<(&'static str, &'static str)> {
    use render::{one_page, pdf, stream};
    std::fs::create_dir_all(corpus).unwrap();
    let text = stream(
        b"BT /F1 12 Tf 72 720 Td (Hello trustworthy world) Tj ET",
        "",
    );
    let write = |name: &str, bytes: &[u8]| std::fs::write(corpus.join(name), bytes).unwrap();
    write("good.txt", b"The rule of law matters.");
    write("good.pdf", &pdf(&one_page(text.clone()), ""));
    // A scan: the page draws a filled rectangle and no text.
    write(
        "scanned.pdf",
        &pdf(&one_page(stream(b"0 0 1 rg 0 0 612 792 re f", "")), ""),
    );
    // Encrypted with a user password (the security handler's keys do not open it).
    let mut objects = one_page(text.clone());
    objects.push(
        format!(
            "<< /Filter /Standard /V 1 /R 2 /O <{}> /U <{}> /P -4 >>",
            "ab".repeat(32),
            "cd".repeat(32)
        )
        .into_bytes(),
    );
    write(
        "encrypted.pdf",
        &pdf(
            &objects,
            "/Encrypt 6 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] ",
        ),
    );
    write(
        "broken.pdf",
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\ngarbage",
    );
    // Objects nested 100,000 deep.
    let mut nested = one_page(text);
    nested[0] = format!(
        "<< /Type /Catalog /Pages 2 0 R /Deep {}{} >>",
        "[".repeat(100_000),
        "]".repeat(100_000)
    )
    .into_bytes();
    write("nested.pdf", &pdf(&nested, ""));
    let good_docx = render::text_docx("Title\nThe rule of law matters.");
    write("truncated.docx", &good_docx[..good_docx.len() / 2]);
    // 300 MB of XML in a few hundred KB: a zip bomb.
    let bomb_xml = format!(
        "<w:document><w:body><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:body></w:document>",
        " ".repeat(300 << 20)
    );
    write(
        "bomb.docx",
        &render::zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", bomb_xml.as_bytes()),
        ]),
    );
    let deep = format!("{}{}", "<w:sdt>".repeat(5_000), "</w:sdt>".repeat(5_000));
    write("deep.docx", &render::docx(&deep, None));
    write(
        "locked.docx",
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest of a compound file",
    );
    write("notzip.odt", b"PK\x03\x04 not really a zip archive");
    // PDF bombs: 300 MB of content in a few hundred KB (seconds of parsing), and
    // 3,000 pages of 17,000 words each in 60 KB (gigabytes of words).
    write("slow.pdf", &slow_pdf());
    write("wordy.pdf", &wordy_pdf());
    vec![
        ("slow.pdf", "limit_exceeded"),
        ("wordy.pdf", "limit_exceeded"),
        ("bomb.docx", "limit_exceeded"),
        ("broken.pdf", "malformed"),
        ("deep.docx", "limit_exceeded"),
        ("encrypted.pdf", "encrypted"),
        ("locked.docx", "encrypted"),
        ("notzip.odt", "malformed"),
        ("scanned.pdf", "no_text_layer"),
        ("truncated.docx", "malformed"),
    ]
}

#[test]
fn each_class_of_bad_pdf_or_office_file_is_recorded_and_the_run_goes_on() {
    if !poppler("bad PDF and office files") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let want = bad_files(&corpus);
    let out = dir.path().join("out");
    let started = Instant::now();
    // Poppler gets 1 s per PDF here (120 by default). With 2 s, poppler sometimes
    // finished slow.pdf in time on an idle machine (1 run in 3 failed here).
    let (corpus, out_dir) = (corpus.to_str().unwrap(), out.to_str().unwrap());
    let run = govlens_env(
        &["run", "--no-report", "--corpus", corpus, "--out", out_dir],
        &[("GOVLENS_PDF_TIMEOUT_SECS", "1")],
        &[],
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(3), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(120), "bounded");
    let errors = Table::read(&out, "errors");
    let got: BTreeMap<String, (String, String)> = errors
        .strs("doc_id")
        .into_iter()
        .zip(errors.strs("kind").into_iter().zip(errors.strs("message")))
        .collect();
    for (file, kind) in &want {
        let (k, message) = got
            .get(*file)
            .unwrap_or_else(|| panic!("{file} not in errors: {got:?}"));
        assert_eq!(k, kind, "{file}: {message}");
        assert!(!message.is_empty());
    }
    let docs = Table::read(&out, "documents");
    let read = docs.strs("doc_id");
    assert!(read.contains(&"good.txt".to_string()) && read.contains(&"good.pdf".to_string()));
    // The deeply nested PDF is read or refused, never lost.
    assert!(
        read.contains(&"nested.pdf".to_string()) ^ got.contains_key("nested.pdf"),
        "nested.pdf: {got:?}"
    );
    assert_eq!(read.len() + got.len(), want.len() + 3);
}

#[test]
fn poppler_is_stopped_at_its_limits() {
    use govlens::corpus::formats::pdf::{Limits, read};
    use govlens::corpus::read::ProblemKind;
    if !poppler("poppler is stopped at its limits") {
        return;
    }
    let (slow, wordy) = (slow_pdf(), wordy_pdf());
    let cases = [
        (
            "time",
            &slow,
            Limits {
                time: Duration::from_secs(1),
                ..Limits::default()
            },
        ),
        (
            "output",
            &wordy,
            Limits {
                output_bytes: 8 << 20,
                ..Limits::default()
            },
        ),
        (
            "memory",
            &wordy,
            Limits {
                // Poppler needs about 35 MB for one such page.
                memory_bytes: 30 << 20,
                ..Limits::default()
            },
        ),
    ];
    for (what, bytes, limits) in cases {
        let started = Instant::now();
        let got = read(bytes, &limits);
        let took = started.elapsed();
        let problem = got
            .err()
            .unwrap_or_else(|| panic!("{what}: read within the limit"));
        assert_eq!(
            problem.kind,
            ProblemKind::LimitExceeded,
            "{what}: {problem:?}"
        );
        assert!(took < Duration::from_secs(30), "{what}: took {took:?}");
        eprintln!("{what} limit: stopped after {took:?}: {}", problem.message);
    }
}

#[test]
fn a_missing_pdftotext_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    bad_files(&corpus);
    let out = dir.path().join("out");
    let missing = dir.path().join("no-such-program");
    let run = govlens_env(
        &[
            "run",
            "-q",
            "--no-report",
            "--corpus",
            corpus.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[("GOVLENS_PDFTOTEXT", missing.to_str().unwrap())],
        &[],
    );
    assert_eq!(run.status.code(), Some(3));
    let errors = Table::read(&out, "errors");
    let rows: Vec<(String, String, String)> = errors
        .strs("doc_id")
        .into_iter()
        .zip(errors.strs("kind"))
        .zip(errors.strs("message"))
        .map(|((d, k), m)| (d, k, m))
        .filter(|(d, _, _)| d == "good.pdf")
        .collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].1, "tool_missing");
    assert!(rows[0].2.contains("poppler-utils"), "{}", rows[0].2);
}

#[test]
fn mutated_files_never_crash_the_readers() {
    use govlens::corpus::formats::Format;
    use govlens::corpus::read::from_bytes;
    let with_pdf = poppler("mutated PDF files");
    let seeds: Vec<(Format, Vec<u8>)> = vec![
        (
            Format::Pdf,
            render::pdf(
                &render::one_page(render::stream(
                    b"BT /F1 12 Tf 72 720 Td (Hello trustworthy world) Tj ET",
                    "",
                )),
                "",
            ),
        ),
        (
            Format::Docx,
            render::text_docx("Title\nThe rule of law.\n法治与善治"),
        ),
        (
            Format::Odt,
            render::text_odt("Title\nThe rule of law.\n法治与善治"),
        ),
    ];
    let mut rng = fastrand::Rng::with_seed(12);
    for (format, seed) in &seeds {
        if *format == Format::Pdf && !with_pdf {
            continue;
        }
        let rounds = if *format == Format::Pdf { 150 } else { 400 };
        for _ in 0..rounds {
            let mut bytes = seed.clone();
            for _ in 0..rng.usize(1..8) {
                match rng.u8(0..3) {
                    0 => {
                        let i = rng.usize(0..bytes.len());
                        bytes[i] = rng.u8(..);
                    }
                    1 => bytes.truncate(rng.usize(0..bytes.len()).max(1)),
                    _ => {
                        let i = rng.usize(0..bytes.len());
                        let n = rng.usize(1..64);
                        bytes.splice(i..i, std::iter::repeat_n(rng.u8(..), n));
                    }
                }
            }
            // Either text or a recorded problem; never a panic.
            if let Ok(e) = from_bytes(&bytes, None, *format) {
                assert!(!e.text.trim().is_empty());
                assert!(e.layout.pages.iter().all(|&p| e.text.is_char_boundary(p)));
            }
        }
    }
}
