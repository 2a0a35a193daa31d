//! `explorer.html` in a real Chromium, driven through the DevTools protocol
//! ([`crate::browser`]): it loads with no console error; a group chosen and a term
//! clicked in the scatter show lines that contain the term; a heat-map cell clicked
//! shows lines of that frame in that group; the keyboard reaches the cells; a URL
//! fragment reopens a view. Run on the bundled sample and on the shared corpus
//! (where the page's size and time to interactive are held to their bounds).

use std::path::Path;

use serde_json::{Value, json};

use crate::browser::Browser;
use crate::common::{govlens_ok, run_corpus_ok, shared_corpus};
use crate::render::chromium;

/// The bounds the issue sets for the shared corpus (and its ×35).
const MAX_PAGE_BYTES: u64 = 10 << 20;
const MAX_INTERACTIVE_MS: f64 = 2000.0;

fn url(page: &Path, fragment: &str) -> String {
    format!(
        "file://{}{fragment}",
        page.canonicalize().unwrap().display()
    )
}

/// JavaScript: the page's embedded data.
const DATA: &str = "JSON.parse(document.getElementById('govlens-data').textContent)";

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// Drives every view of `page`; screenshots go to `shots` when given. Returns the
/// milliseconds to interactive of the first load.
fn drive(b: &mut Browser, page: &Path, shots: Option<&Path>) -> f64 {
    let interactive = b.open(&url(page, ""));
    assert!(
        b.errors.is_empty(),
        "console errors on load: {:?}",
        b.errors
    );
    assert_eq!(b.eval("govlens.state().view"), json!("terms"));

    // Terms: choose a target group (English, the group with the most lines).
    let target = b.eval(&format!(
        "(() => {{ const D = {DATA}; const per = D.term_lines.en || {{}}; const n = {{}}; \
         for (const t in per) for (const g in per[t]) n[g] = (n[g] || 0) + 1; \
         return Object.keys(n).sort((a, b) => n[b] - n[a] || (a < b ? -1 : 1))[0]; }})()"
    ));
    let target = text(&target);
    assert!(!target.is_empty(), "no English term lines embedded");
    b.eval(&format!(
        "(() => {{ const s = document.getElementById('terms-lang'); s.value = 'en'; \
         s.dispatchEvent(new Event('change')); const t = document.getElementById('terms-target'); \
         t.value = {}; t.dispatchEvent(new Event('change')); }})()",
        json!(target)
    ));
    assert_eq!(b.eval("govlens.state().target"), json!(target));
    // A term of the target with lines whose point is on top at its centre (the most
    // distinctive drawn last): a real click there.
    let hit = b.eval(&format!(
        "(() => {{ const D = {DATA}; const st = govlens.state(); const per = D.term_lines.en; \
         const pts = [...document.querySelectorAll('#view-terms circle[data-term]')].reverse(); \
         for (const c of pts) {{ const t = c.dataset.term; if (!(per[t] && per[t][st.target])) continue; \
         c.scrollIntoView({{block: 'center', inline: 'center'}}); const r = c.getBoundingClientRect(); \
         const x = r.left + r.width / 2, y = r.top + r.height / 2; \
         if (document.elementFromPoint(x, y) === c) return [t, x, y]; }} return null; }})()"
    ));
    assert!(
        hit.is_array(),
        "no term with lines can be clicked in the scatter"
    );
    let term = text(&hit[0]);
    b.click_at(hit[1].as_f64().unwrap(), hit[2].as_f64().unwrap());
    b.wait_for("document.querySelector('#lines-target li')");
    assert_eq!(b.eval("govlens.state().term"), json!(term));
    let hash = text(&b.eval("location.hash"));
    assert!(
        hash.contains("view=terms") && hash.contains("term="),
        "{hash}"
    );
    let lines = b.eval(
        "[...document.querySelectorAll('#term-lines li')].map(li => \
         [li.closest('#lines-target') ? 'target' : 'reference', li.dataset.group, \
          li.querySelector('mark').textContent])",
    );
    let lines = lines.as_array().unwrap();
    assert!(!lines.is_empty());
    for l in lines {
        let (side, group, mark) = (text(&l[0]), text(&l[1]), text(&l[2]));
        assert!(
            mark.to_lowercase().contains(&term.to_lowercase()),
            "line of {term:?} shows {mark:?}"
        );
        assert_eq!(
            side == "target",
            group == target,
            "{side} line from {group}"
        );
    }
    // The page's statistics are those of keyness.parquet (the same definitions):
    // every comparison the table has, the same terms among those the page shows.
    stats_match_keyness(b, page.parent().unwrap());
    if let Some(dir) = shots {
        b.screenshot(&dir.join("explorer-terms.png"));
    }

    // Frames: a real click on the tab, then on the cell with the most hits.
    b.click("#tab-frames");
    assert_eq!(b.eval("govlens.state().view"), json!("frames"));
    let cell = b.eval(&format!(
        "(() => {{ const D = {DATA}; const r = D.rates.slice().sort((a, b) => b.count - a.count)[0]; \
         return [r.frame, r.group, r.lang]; }})()"
    ));
    let (frame, group, lang) = (text(&cell[0]), text(&cell[1]), text(&cell[2]));
    let selector = format!(
        "#heatmap button[data-frame=\"{frame}\"][data-group=\"{group}\"][data-lang=\"{lang}\"]"
    );
    b.click(&selector);
    b.wait_for("document.querySelector('#frame-lines li')");
    let shown = b.eval(
        "[...document.querySelectorAll('#frame-lines li')].map(li => \
         [li.dataset.frame, li.dataset.group, li.dataset.lang, li.dataset.expr, \
          li.querySelector('mark').textContent])",
    );
    let shown = shown.as_array().unwrap();
    // Each expression's lines: all its hits up to the cap.
    let expected = b.eval(&format!(
        "(() => {{ const D = {DATA}; const c = D.frame_lines.find(c => c.frame === {f} && \
         c.group === {g} && c.lang === {l}); return c.expressions.map(x => \
         [x.pattern, x.lines.length, Math.min(x.hits, D.meta.caps.frame_lines)]); }})()",
        f = json!(frame),
        g = json!(group),
        l = json!(lang)
    ));
    let mut total = 0;
    for x in expected.as_array().unwrap() {
        assert_eq!(x[1], x[2], "lines of expression {}", x[0]);
        total += x[1].as_u64().unwrap() as usize;
    }
    assert_eq!(shown.len(), total);
    for l in shown {
        assert_eq!(
            (text(&l[0]), text(&l[1]), text(&l[2])),
            (frame.clone(), group.clone(), lang.clone())
        );
        assert!(!text(&l[4]).is_empty());
    }
    // Filtered by one expression.
    let expr = text(&expected[expected.as_array().unwrap().len() - 1][0]);
    b.eval(&format!(
        "(() => {{ const s = document.getElementById('frame-expr'); s.value = {}; \
         s.dispatchEvent(new Event('change')); }})()",
        json!(expr)
    ));
    let exprs =
        b.eval("[...document.querySelectorAll('#frame-lines li')].map(li => li.dataset.expr)");
    assert!(!exprs.as_array().unwrap().is_empty());
    for e in exprs.as_array().unwrap() {
        assert_eq!(text(e), expr);
    }
    if let Some(dir) = shots {
        b.screenshot(&dir.join("explorer-frames.png"));
    }
    // By keyboard alone, on a fresh page: Tab to the heat map (one cell of it is in
    // the tab order), right and down, then Enter; the focus stays on the cell.
    b.blank();
    b.open(&url(page, "#view=frames"));
    let mut tabs = 0;
    while b.eval("document.activeElement.closest('#heatmap') !== null") != json!(true) {
        b.key("Tab");
        tabs += 1;
        assert!(tabs < 100, "Tab never reaches the heat map");
    }
    assert_eq!(
        b.eval("[document.activeElement.dataset.row, document.activeElement.dataset.col]"),
        json!(["0", "0"])
    );
    b.key("ArrowRight");
    b.key("ArrowDown");
    b.key("Enter");
    let want = b.eval(&format!(
        "(() => {{ const D = {DATA}; return [D.frames[1].id, D.cells[1].group, D.cells[1].lang]; }})()"
    ));
    let now = b.eval("(() => { const s = govlens.state(); return [s.frame, s.group, s.lang]; })()");
    assert_eq!(now, want, "the keyboard chose another cell");
    assert_eq!(
        b.eval("(() => { const d = document.activeElement.dataset; return [d.frame, d.group, d.lang]; })()"),
        want,
        "the focus stays on the cell chosen"
    );
    // Its panel (lines, or none when the cell has no hits).
    b.wait_for("document.querySelector('#frame-lines h2')");

    // A fragment reopens a view: a fresh load of each.
    let fragment = format!(
        "#view=frames&frame={frame}&group={group}&lang={lang}&expr={}",
        encode(&expr)
    );
    b.blank();
    b.open(&url(page, &fragment));
    assert_eq!(
        b.eval("(() => { const s = govlens.state(); return [s.view, s.frame, s.group, s.lang, s.expr]; })()"),
        json!(["frames", frame, group, lang, expr])
    );
    assert_eq!(
        b.eval(&format!(
            "document.querySelector({}).getAttribute('aria-pressed')",
            json!(selector)
        )),
        json!("true")
    );
    b.wait_for("document.querySelector('#frame-lines li')");
    let fragment = format!(
        "#view=terms&lang=en&target={}&ref=(rest)&term={}",
        encode(&target),
        encode(&term)
    );
    b.blank();
    b.open(&url(page, &fragment));
    assert_eq!(
        b.eval("document.getElementById('terms-target').value"),
        json!(target)
    );
    let marks =
        b.eval("[...document.querySelectorAll('#lines-target mark')].map(m => m.textContent)");
    assert!(
        !marks.as_array().unwrap().is_empty(),
        "the term's lines are not restored"
    );
    for m in marks.as_array().unwrap() {
        assert!(text(m).to_lowercase().contains(&term.to_lowercase()));
    }

    // Language versions: both texts of each differing unit.
    b.click("#tab-versions");
    let works = b.eval(&format!("{DATA}.versions.length")).as_u64().unwrap();
    if works > 0 {
        let rows = b.eval(
            "[...document.querySelectorAll('#versions tbody tr')].map(tr => \
             [...tr.querySelectorAll('td.text')].map(td => td.textContent.trim().length))",
        );
        for r in rows.as_array().unwrap() {
            assert!(
                r[0].as_u64().unwrap() > 0 && r[1].as_u64().unwrap() > 0,
                "{r}"
            );
        }
        // Each work's marks, where it has any, are drawn in its texts.
        let marked = b.eval(&format!(
            "{DATA}.versions.filter(w => w.units.some(u => u.marks_zh.length || u.marks_en.length)).map(w => w.work)"
        ));
        for work in marked.as_array().unwrap() {
            b.eval(&format!(
                "(() => {{ const s = document.getElementById('work'); s.value = {work}; \
                 s.dispatchEvent(new Event('change')); }})()"
            ));
            let marks =
                b.eval("[...document.querySelectorAll('#versions mark')].map(m => m.textContent)");
            let want = b.eval(&format!(
                "{DATA}.versions.find(w => w.work === {work}).units.flatMap(u => u.marks_zh.concat(u.marks_en))"
            ));
            let want: Vec<String> = want.as_array().unwrap().iter().map(text).collect();
            let marks = marks.as_array().unwrap();
            assert!(!marks.is_empty(), "no marks drawn for {work}");
            for m in marks {
                assert!(
                    want.contains(&text(m)),
                    "{m} is not a match of a frame of one version"
                );
            }
        }
        if let Some(dir) = shots {
            // The work with the most differing units.
            let work = b.eval(&format!(
                "{DATA}.versions.slice().sort((a, b) => b.differing - a.differing)[0].work"
            ));
            b.blank();
            b.open(&url(
                page,
                &format!("#view=versions&work={}", encode(&text(&work))),
            ));
            b.screenshot(&dir.join("explorer-versions.png"));
        }
    }

    // The map: a point per frame and group.
    b.click("#tab-map");
    let maps = b.eval(&format!("{DATA}.maps.length")).as_u64().unwrap();
    if maps > 0 {
        let points = b.eval("document.querySelectorAll('#ca-map circle, #ca-map rect').length");
        let want = b.eval(&format!("{DATA}.maps[0].points.length"));
        assert_eq!(points, want);
        if let Some(dir) = shots {
            b.screenshot(&dir.join("explorer-map.png"));
        }
    }
    assert!(b.errors.is_empty(), "console errors: {:?}", b.errors);
    interactive
}

/// A fragment value, percent-encoded as URLSearchParams reads it.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.*".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Checks the page's G2 and log-odds z of every comparison in `keyness.parquet`
/// (each group against the rest, and against each other group when the run has
/// `--pairs`) against the table's: the same terms (among those the page shows) and
/// the same values.
fn stats_match_keyness(b: &mut Browser, dir: &Path) {
    let table = keyness(dir);
    let shown = b.eval(&format!(
        "(() => {{ const D = {DATA}; const o = {{}}; \
         for (const l in D.terms) o[l] = D.terms[l].terms; return o; }})()"
    ));
    let mut comparisons = 0;
    for ((lang, target, reference), rows) in &table {
        let terms: std::collections::BTreeSet<String> = shown[lang]
            .as_array()
            .map(|a| a.iter().map(text).collect())
            .unwrap_or_default();
        let page = b.eval(&format!(
            "(() => {{ const c = govlens.compare({}, {}, {}); \
             return c ? c.rows.map(r => [r.term, r.g2, r.z]) : null; }})()",
            json!(lang),
            json!(target),
            json!(reference)
        ));
        let Some(page) = page.as_array() else {
            panic!("{lang} {target} against {reference}: the page has no comparison");
        };
        let page: std::collections::BTreeMap<String, (f64, f64)> = page
            .iter()
            .map(|r| {
                (
                    text(&r[0]),
                    (r[1].as_f64().unwrap(), r[2].as_f64().unwrap()),
                )
            })
            .collect();
        let expected: Vec<&String> = rows.keys().filter(|t| terms.contains(*t)).collect();
        assert_eq!(
            page.keys().collect::<Vec<_>>(),
            expected,
            "{lang} {target} against {reference}: the terms compared"
        );
        for (term, (pg, pz)) in &page {
            let (g2, z) = rows[term];
            assert!((pg - g2).abs() <= 1e-9 * g2.abs().max(1.0), "G2 of {term}");
            assert!((pz - z).abs() <= 1e-9 * z.abs().max(1.0), "z of {term}");
        }
        comparisons += 1;
    }
    assert!(comparisons > 1, "{comparisons} comparisons checked");
}

/// `keyness.parquet`: (lang, target, reference) → term → (G2, log-odds z).
type Keyness = std::collections::BTreeMap<
    (String, String, String),
    std::collections::BTreeMap<String, (f64, f64)>,
>;

fn keyness(dir: &Path) -> Keyness {
    use polars::prelude::*;
    let df = ParquetReader::new(std::fs::File::open(dir.join("keyness.parquet")).unwrap())
        .finish()
        .unwrap();
    let col = |n: &str| df.column(n).unwrap().as_materialized_series().clone();
    let (t, r, l, term) = (col("target"), col("reference"), col("lang"), col("term"));
    let (g2, z) = (col("g2"), col("log_odds_z"));
    let mut out = Keyness::new();
    for i in 0..df.height() {
        let s = |c: &Series| c.str().unwrap().get(i).unwrap().to_string();
        out.entry((s(&l), s(&t), s(&r))).or_default().insert(
            s(&term),
            (
                g2.f64().unwrap().get(i).unwrap(),
                z.f64().unwrap().get(i).unwrap(),
            ),
        );
    }
    out
}

#[test]
fn the_sample_explorer_answers_clicks_in_chromium() {
    let test = "the_sample_explorer_answers_clicks_in_chromium";
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    // With every pair of groups compared in keyness.parquet, to check the page's.
    govlens_ok(&["run", "--out", out.to_str().unwrap(), "--quiet", "--pairs"]);
    let page = out.join("explorer.html");
    assert!(page.is_file(), "govlens run writes explorer.html");
    let Some(chromium) = chromium(test) else {
        return;
    };
    let mut b = Browser::launch(&chromium, (1280, 900));
    drive(&mut b, &page, None);
}

#[test]
fn the_shared_corpus_explorer_is_bounded_and_answers_clicks() {
    let test = "the_shared_corpus_explorer_is_bounded_and_answers_clicks";
    let Some(corpus) = shared_corpus(test) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    run_corpus_ok(&corpus, &out, &["--quiet"]);
    let page = out.join("explorer.html");
    let bytes = std::fs::metadata(&page).unwrap().len();
    assert!(bytes < MAX_PAGE_BYTES, "explorer.html is {bytes} bytes");
    let Some(chromium) = chromium(test) else {
        return;
    };
    let mut b = Browser::launch(&chromium, (1280, 900));
    // Screenshots for docs/ when asked (GOVLENS_SCREENSHOTS=docs).
    let shots = std::env::var_os("GOVLENS_SCREENSHOTS").map(std::path::PathBuf::from);
    let interactive = drive(&mut b, &page, shots.as_deref());
    assert!(
        interactive < MAX_INTERACTIVE_MS,
        "interactive after {interactive:.0} ms"
    );
    eprintln!(
        "explorer.html of the shared corpus: {bytes} bytes, interactive after {interactive:.0} ms"
    );
}

/// The page's embedded data, read from `explorer.html`.
fn page_data(page: &Path) -> Value {
    let html = std::fs::read_to_string(page).unwrap();
    let start = html.find("id=\"govlens-data\">").unwrap() + "id=\"govlens-data\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

/// A corpus of two groups whose titles, group names and texts are markup.
fn hostile_corpus(dir: &Path) -> std::path::PathBuf {
    let c = dir.join("hostile");
    std::fs::create_dir_all(&c).unwrap();
    let body = |who: &str| {
        (0..12)
            .map(|i| {
                format!(
                    "The {who} council reviews governance <img src=x onerror=\"document.title='pwned'\"> \
                     and risk in round {i}; </script><b>bold</b> oversight follows.\n"
                )
            })
            .collect::<String>()
    };
    std::fs::write(c.join("a.txt"), body("northern")).unwrap();
    std::fs::write(c.join("b.txt"), body("southern")).unwrap();
    std::fs::write(
        c.join("manifest.csv"),
        "file,doc_id,jurisdiction,lang,title\n\
         a.txt,a,<i>North</i>,en,\"</script><script>document.title='pwned'</script>\"\n\
         b.txt,b,\"S&\"\"'\",en,<b>South</b>\n",
    )
    .unwrap();
    c
}

#[test]
fn markup_in_titles_groups_and_texts_is_shown_as_text() {
    let test = "markup_in_titles_groups_and_texts_is_shown_as_text";
    let dir = tempfile::tempdir().unwrap();
    let corpus = hostile_corpus(dir.path());
    let out = dir.path().join("run");
    run_corpus_ok(&corpus, &out, &["--quiet"]);
    let page = out.join("explorer.html");
    let data = page_data(&page);
    assert!(
        data["term_lines"]["en"]["governance"].is_object(),
        "lines of a frequent term: {}",
        data["term_lines"]
    );
    let Some(chromium) = chromium(test) else {
        return;
    };
    let mut b = Browser::launch(&chromium, (1280, 900));
    let fragment = "#view=terms&lang=en&target=%3Ci%3ENorth%3C%2Fi%3E&ref=(rest)&term=governance";
    b.open(&url(&page, fragment));
    assert!(b.errors.is_empty(), "{:?}", b.errors);
    assert_ne!(b.eval("document.title"), json!("pwned"));
    // No element made of the corpus' markup (the page itself makes no img or i).
    assert_eq!(
        b.eval("document.querySelectorAll('img, #app i').length"),
        json!(0)
    );
    assert_eq!(
        b.eval("document.querySelector('.legend b').textContent"),
        json!("<i>North</i>")
    );
    assert_eq!(b.eval("govlens.state().target"), json!("<i>North</i>"));
    let lines =
        b.eval("[...document.querySelectorAll('#term-lines li')].map(li => li.textContent)");
    let lines = lines.as_array().unwrap();
    assert!(!lines.is_empty());
    assert!(
        lines.iter().any(|l| text(l).contains("<img src=x")),
        "the markup is shown as text: {lines:?}"
    );
    b.blank();
    b.open(&url(&page, "#view=frames"));
    // A cell with hits: its lines are shown, markup as text.
    b.click("#heatmap button:not([aria-label$=': 0.0 per 10k'])");
    b.wait_for("document.querySelector('#frame-lines li')");
    assert!(b.errors.is_empty(), "{:?}", b.errors);
    assert_eq!(b.eval("document.querySelectorAll('img').length"), json!(0));
}

#[test]
fn without_its_corpus_the_explorer_is_written_and_says_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = crate::common::corpus_copy(dir.path());
    let out = dir.path().join("run");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_govlens"))
            .args(args)
            .output()
            .unwrap()
    };
    let o = run(&[
        "run",
        "--corpus",
        corpus.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success());
    let before = page_data(&out.join("explorer.html"));
    assert!(!before["term_lines"].as_object().unwrap().is_empty());
    // A document changed since the run: its lines of terms are left out, and the
    // command says so (exit 3, as for documents that could not be read).
    let changed = corpus.join("us/ai-risk-framework.en.txt");
    assert!(changed.is_file());
    let mut words = std::fs::read_to_string(&changed).unwrap();
    words.push_str("\nA sentence added after the run.\n");
    std::fs::write(&changed, words).unwrap();
    let o = run(&["report", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("changed since the run"), "{stderr}");
    let data = page_data(&out.join("explorer.html"));
    let id = "us-risk-framework-en";
    let docs: Vec<String> = data["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| text(&d["id"]))
        .collect();
    let mut others = 0;
    for per_term in data["term_lines"]["en"].as_object().unwrap().values() {
        for lines in per_term.as_object().unwrap().values() {
            for l in lines.as_array().unwrap() {
                assert_ne!(docs[l[0].as_u64().unwrap() as usize], id);
                others += 1;
            }
        }
    }
    assert!(others > 0, "the other documents' lines are still there");
    // A language version changed: its texts are not shown, and the page says why.
    let version = corpus.join("cn/ai-development-outline.en.txt");
    let mut words = std::fs::read_to_string(&version).unwrap();
    words.push_str("\nA line added after the run.\n");
    std::fs::write(&version, words).unwrap();
    run(&["report", out.to_str().unwrap()]);
    let data = page_data(&out.join("explorer.html"));
    let work = &data["versions"][0];
    assert_eq!(work["work"], json!("cn-outline"));
    assert_eq!(work["units"], json!([]));
    assert!(
        text(&work["missing"]).contains("changed since the run: cn-outline-en"),
        "{work}"
    );
    // The corpus gone: the page is still written, without lines of terms, and says why.
    std::fs::remove_dir_all(&corpus).unwrap();
    let o = run(&["report", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(stderr.contains("not as it was"), "{stderr}");
    let data = page_data(&out.join("explorer.html"));
    assert_eq!(data["term_lines"], json!({}));
    assert!(
        !data["frame_lines"].as_array().unwrap().is_empty(),
        "frame lines come from the run"
    );
    let notes = data["notes"].to_string();
    assert!(notes.contains("not where run.json says"), "{notes}");
}

#[test]
fn an_explorer_html_govlens_did_not_write_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    govlens_ok(&["run", "--out", out.to_str().unwrap(), "--quiet"]);
    let report = std::fs::read(out.join("report.html")).unwrap();
    std::fs::write(out.join("explorer.html"), "my annotated copy").unwrap();
    let o = crate::common::govlens(&["report", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        stderr.contains("explorer.html") && stderr.contains("refusing"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("explorer.html")).unwrap(),
        "my annotated copy"
    );
    assert_eq!(
        std::fs::read(out.join("report.html")).unwrap(),
        report,
        "nothing written"
    );
}

#[test]
fn many_groups_and_frames_are_capped_and_the_page_says_so() {
    // 90 groups (a document each) and a lexicon of 80 frames, all with hits: the
    // page keeps the 40 largest groups and the 60 most hit frames.
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c");
    std::fs::create_dir_all(&c).unwrap();
    let words: Vec<String> = (0..80).map(|i| format!("word{i:02}x")).collect();
    let mut manifest = String::from("file,doc_id,jurisdiction,lang\n");
    for d in 0..90 {
        // Longer documents for lower numbers: group sizes differ.
        let text: String = (0..(200 - d))
            .map(|k| format!("The board weighs {} today. ", words[(k + d) % 80]))
            .collect();
        std::fs::write(c.join(format!("d{d:02}.txt")), text).unwrap();
        manifest.push_str(&format!("d{d:02}.txt,d{d:02},G{d:02},en\n"));
    }
    std::fs::write(c.join("manifest.csv"), manifest).unwrap();
    let lexicon: String = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            format!("[[frame]]\nid = \"f{i:02}\"\nlabel = \"F{i:02}\"\nen = [\"{w}\"]\n\n")
        })
        .collect();
    std::fs::write(dir.path().join("many.toml"), lexicon).unwrap();
    let out = dir.path().join("run");
    govlens_ok(&[
        "run",
        "--corpus",
        c.to_str().unwrap(),
        "--lexicon",
        dir.path().join("many.toml").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    let data = page_data(&out.join("explorer.html"));
    let cells = data["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 40);
    // The largest groups: G00 .. G39.
    assert!(cells.iter().all(|c| text(&c["group"]).as_str() < "G40"));
    assert_eq!(data["frames"].as_array().unwrap().len(), 60);
    assert_eq!(data["rates"].as_array().unwrap().len(), 40 * 60);
    assert_eq!(data["terms"]["en"]["groups"].as_object().unwrap().len(), 40);
    let notes = data["notes"].to_string();
    assert!(notes.contains("the 40 largest of 90 groups"), "{notes}");
    assert!(
        notes.contains("the 60 of 80 frames with the most hits"),
        "{notes}"
    );
    // Lines only of the groups and frames shown.
    for c in data["frame_lines"].as_array().unwrap() {
        assert!(text(&c["group"]).as_str() < "G40");
    }
    let docs = data["docs"].as_array().unwrap();
    assert!(!docs.is_empty());
    for d in docs {
        assert!(
            text(&d["group"]).as_str() < "G40",
            "a document of a group not shown: {d}"
        );
    }
}

#[test]
fn a_page_over_its_byte_cap_is_gathered_again_with_halved_caps() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    govlens_ok(&["run", "--out", out.to_str().unwrap(), "--quiet"]);
    let full = std::fs::metadata(out.join("explorer.html")).unwrap().len() as usize;
    // A cap well under the page's size (the script and styles alone are about 43 KB).
    let max_bytes = 80_000;
    assert!(full > max_bytes, "the sample's page is {full} bytes");
    let caps = govlens::explore::Caps {
        max_bytes,
        ..Default::default()
    };
    let (html, _) = govlens::explore::build(&out, None, None, caps).unwrap();
    assert!(html.len() <= max_bytes, "{} bytes", html.len());
    assert!(
        html.contains("was halved"),
        "the page says its caps were halved"
    );
    // The default caps do not halve the sample's page.
    let (html, _) =
        govlens::explore::build(&out, None, None, govlens::explore::Caps::default()).unwrap();
    assert!(!html.contains("was halved"));
}
