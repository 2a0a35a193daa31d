//! report.html: what it holds, that it needs no network, and that a real browser
//! renders it (headless Chromium; `.ci/run` installs it).

use std::path::Path;
use std::process::Command;

use crate::common::{find_program, govlens, govlens_ok, run_corpus_ok, shared_corpus, skip};

fn report(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("report.html")).expect("report.html written")
}

#[test]
fn run_writes_a_self_contained_report_with_labelled_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    govlens_ok(&["run", "--out", out.to_str().unwrap(), "--quiet"]);
    let html = report(&out);
    for section in [
        "overview",
        "rates",
        "heatmap",
        "keyness",
        "keywords",
        "trends",
        "divergence",
        "ca",
        "kwic",
    ] {
        assert!(
            html.contains(&format!("<section id=\"{section}\">")),
            "{section}"
        );
    }
    // Charts are inline SVG with titles and axis units; frame labels keep their
    // Chinese; concordance lines show the text as written.
    let charts = html.matches("<svg").count();
    assert!(charts >= 8, "{charts} charts");
    assert!(html.contains("hits per 10,000 tokens"));
    assert!(html.contains("Rule of law (法治)"));
    assert!(html.contains("class=\"hit\">法治</td>"));
    // Keywords of the first document of each jurisdiction and language.
    assert!(
        html.contains("<caption>cn-algorithm-rules-zh<br>"),
        "keywords"
    );
    assert!(html.contains("<th>tfidf</th>"));
    // Nothing is fetched: no scripts, no external stylesheets, images or fonts.
    for needle in ["<script", "<link", "src=", "@import", "url("] {
        assert!(!html.contains(needle), "{needle}");
    }
    let no_xmlns = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(!no_xmlns.contains("http://") && !no_xmlns.contains("https://"));
    // The page is well-formed enough for an HTML parser to find every chart.
    let doc = scraper::Html::parse_document(&html);
    let svg = scraper::Selector::parse("svg.chart > title").unwrap();
    assert_eq!(doc.select(&svg).count(), charts);

    // `govlens report` rebuilds the same page from the tables.
    std::fs::remove_file(out.join("report.html")).unwrap();
    govlens_ok(&["report", out.to_str().unwrap()]);
    assert_eq!(report(&out), html);
}

#[test]
fn no_report_and_report_of_a_directory_that_is_not_a_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    run_corpus_ok("corpora/sample", &out, &["--no-report", "--quiet"]);
    assert!(out.join("terms.parquet").is_file());
    assert!(!out.join("report.html").exists());
    let res = govlens(&["report", dir.path().to_str().unwrap()]);
    assert_eq!(res.status.code(), Some(1));
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(err.contains("not a govlens run directory"), "{err}");
}

/// Renders `html` headless at `width` x `height`; returns the PNG's pixels
/// (RGBA), its size, and the browser's stderr.
fn screenshot(
    html: &Path,
    png: &Path,
    (width, height): (u32, u32),
) -> Option<(Vec<u8>, u32, u32, String)> {
    let browser = std::env::var_os("GOVLENS_CHROMIUM")
        .map(std::path::PathBuf::from)
        .or_else(|| find_program(&["chromium", "chromium-browser", "google-chrome"]));
    let Some(browser) = browser else {
        skip(
            "report renders in a browser",
            "no chromium on PATH (apt-get install chromium)",
            "BROWSER",
        );
        return None;
    };
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            &format!("--window-size={width},{height}"),
            &format!("--screenshot={}", png.display()),
            &format!("file://{}", html.canonicalize().unwrap().display()),
        ])
        .output()
        .expect("chromium starts");
    let log = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "chromium failed: {log}");
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    let rgba: Vec<u8> = match info.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf
            .chunks(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        other => panic!("unexpected PNG colour type {other:?}"),
    };
    Some((rgba, info.width, info.height, log))
}

#[test]
fn the_sample_report_renders_in_headless_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    govlens_ok(&["run", "--out", out.to_str().unwrap(), "--quiet"]);
    let png = dir.path().join("report.png");
    let Some((px, width, height, log)) = screenshot(&out.join("report.html"), &png, (1280, 2400))
    else {
        return;
    };
    assert_eq!((width, height), (1280, 2400));
    // The page's own console: no errors (browser housekeeping such as D-Bus is not
    // the page's).
    for line in log.lines() {
        assert!(
            !(line.contains("CONSOLE") || line.contains("Uncaught")),
            "console: {line}"
        );
    }
    let pixel = |x: u32, y: u32| {
        let i = ((y * width + x) * 4) as usize;
        (px[i], px[i + 1], px[i + 2])
    };
    // The header band is drawn in its colour (styles applied), the body is not blank.
    assert_eq!(pixel(5, 5), (11, 61, 107), "header colour");
    let inked = (0..height)
        .step_by(3)
        .flat_map(|y| (0..width).step_by(3).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            let (r, g, b) = pixel(x, y);
            y > 150 && (r < 200 || g < 200 || b < 200)
        })
        .count();
    let sampled = (height as usize / 3) * (width as usize / 3);
    assert!(
        inked * 100 > sampled,
        "only {inked} of {sampled} sampled pixels inked"
    );
    // Charts drew their blue marks (dots, bars, heat-map cells).
    let blue = (0..height)
        .step_by(2)
        .flat_map(|y| (0..width).step_by(2).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            y > 150 && {
                let (r, _, b) = pixel(x, y);
                b > 90 && r < 120 && b > r + 40
            }
        })
        .count();
    assert!(blue > 500, "{blue} blue chart pixels");
}

#[test]
fn the_shared_corpus_report_renders() {
    let Some(corpus) = shared_corpus("the_shared_corpus_report_renders") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    run_corpus_ok(&corpus, &out, &["--quiet"]);
    let html = report(&out);
    // Thirteen group-language cells, every frame with hits charted: 善治 too, once,
    // as 良善治理 in Taiwan's AI Basic Act; the language versions of the four laws.
    assert!(
        !html.contains("No hits anywhere: Good governance"),
        "good governance charted"
    );
    assert!(html.contains("<section id=\"parallel\">") && html.contains("<h3>cn-pipl-2021</h3>"));
    assert!(html.contains("TW · zh") && html.contains("CN · zh"));
    let png = dir.path().join("report.png");
    if let Some((_, w, h, _)) = screenshot(&out.join("report.html"), &png, (1400, 3000)) {
        assert_eq!((w, h), (1400, 3000));
    }
}

#[test]
fn a_run_where_nothing_could_be_read_still_gets_a_report_that_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(corpus.join("a.txt"), b"\x00\x01binary").unwrap();
    let out = dir.path().join("run");
    let res = crate::common::run_corpus(&corpus, &out, &["--quiet"]);
    assert_eq!(res.status.code(), Some(3), "documents skipped");
    let html = report(&out);
    assert!(html.contains("1 document could not be read"), "{html}");
    assert!(html.contains("No document was analysed"));
    assert!(html.contains("No two groups of one language to compare."));
    assert_eq!(html.matches("<svg").count(), 0, "no empty charts");
}
