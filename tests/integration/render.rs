//! Documents rendered by the tests themselves: text to HTML printed to PDF by
//! headless Chromium (one or two columns, Chromium's own running header and
//! page-number footer, soft hyphens so that long words break), to Word and to
//! OpenDocument (zip archives written here), and small PDFs written byte by byte
//! for the classes of bad file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{find_program, skip};

/// The browser, or `None` after a visible skip (required in CI).
pub fn chromium(test: &str) -> Option<PathBuf> {
    let found = std::env::var_os("GOVLENS_CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| find_program(&["chromium", "chromium-browser", "google-chrome"]));
    if found.is_none() {
        skip(
            test,
            "no chromium on PATH (apt-get install chromium)",
            "BROWSER",
        );
    }
    found
}

/// Whether poppler's pdftotext is installed; a visible skip if not (required in CI).
pub fn poppler(test: &str) -> bool {
    let found = find_program(&["pdftotext"]).is_some();
    if !found {
        skip(
            test,
            "no pdftotext on PATH (apt-get install poppler-utils)",
            "PDF",
        );
    }
    found
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// How a text's lines make paragraphs.
#[derive(Clone, Copy)]
pub enum Paragraphs {
    /// Every line is a paragraph.
    Lines,
    /// Blank lines separate paragraphs; a paragraph's lines are wrapped text.
    Blocks,
}

/// The paragraphs of `text`.
pub fn split(text: &str, paragraphs: Paragraphs) -> Vec<String> {
    let all: Vec<String> = match paragraphs {
        Paragraphs::Lines => text.lines().map(str::to_string).collect(),
        // A short Chinese line (a heading) ends its paragraph, as the analyzer
        // reads plain text: 第 1 條 on a line of its own is not joined to the
        // next (an English line break is a space, short line or not).
        Paragraphs::Blocks => {
            let mut out = vec![String::new()];
            for line in text.lines() {
                let last = out.last_mut().expect("one paragraph at least");
                if line.trim().is_empty() {
                    out.push(String::new());
                    continue;
                }
                if !last.is_empty() {
                    last.push(' ');
                }
                last.push_str(line);
                let han_end = line
                    .trim_end()
                    .chars()
                    .last()
                    .is_some_and(govlens::analyze::script::is_han);
                if han_end && line.chars().count() < govlens::analyze::MIN_WRAPPED_LINE_CHARS {
                    out.push(String::new());
                }
            }
            out
        }
    };
    all.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// `text` as an HTML page, in `columns` columns, with a soft hyphen in the
/// middle of every Latin word of ten letters or more.
pub fn html(text: &str, title: &str, columns: u32, paragraphs: Paragraphs) -> String {
    let mut body = String::new();
    let blocks = split(text, paragraphs);
    for line in blocks.iter().filter(|l| !l.trim().is_empty()) {
        let words: Vec<String> = line
            .split(' ')
            .map(|w| {
                let n = w.chars().count();
                if n >= 10 && w.chars().all(|c| c.is_ascii_alphabetic()) {
                    let (a, b) = w.split_at(n / 2);
                    format!("{}&shy;{}", escape(a), escape(b))
                } else {
                    escape(w)
                }
            })
            .collect();
        body.push_str(&format!("<p>{}</p>\n", words.join(" ")));
    }
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{}</title><style>\
         body {{ font-family: 'Noto Serif CJK SC', 'Noto Sans CJK SC', serif; font-size: 11pt; \
         column-count: {columns}; column-gap: 1.5em; }} p {{ margin: 0 0 0.6em 0; }}\
         </style></head><body>\n{body}</body></html>",
        escape(title)
    )
}

/// Prints `html` to `pdf` with Chromium (with its header of date and title and
/// its footer of address and page number); returns the address it printed.
pub fn print_pdf(browser: &Path, html: &str, pdf: &Path) -> String {
    let page = pdf.with_file_name("page.html");
    std::fs::write(&page, html).unwrap();
    let address = format!("file://{}", page.canonicalize().unwrap().display());
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            &format!("--print-to-pdf={}", pdf.display()),
            &address,
        ])
        .output()
        .expect("chromium starts");
    assert!(
        pdf.is_file(),
        "chromium printed no PDF: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_file(&page).unwrap();
    address
}

/// Writes a zip archive of `(name, bytes)` parts, the first stored and the rest
/// deflated.
pub fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        for (i, (name, bytes)) in parts.iter().enumerate() {
            let method = if i == 0 {
                zip::CompressionMethod::Stored
            } else {
                zip::CompressionMethod::Deflated
            };
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(method)
                .large_file(bytes.len() > u32::MAX as usize / 2);
            z.start_file(*name, options).unwrap();
            z.write_all(bytes).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

/// A paragraph of Word XML.
pub fn w_p(text: &str, style: Option<&str>) -> String {
    let props = style.map_or(String::new(), |s| {
        format!("<w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>")
    });
    format!(
        "<w:p>{props}<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        escape(text)
    )
}

const W_NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

/// A Word document of the body XML `body` and the footnotes XML `footnotes`.
pub fn docx(body: &str, footnotes: Option<&str>) -> Vec<u8> {
    let types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document {W_NS}><w:body>{body}</w:body></w:document>"
    );
    let notes = footnotes.map(|f| {
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:footnotes {W_NS}>{f}</w:footnotes>")
    });
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ];
    if let Some(n) = &notes {
        parts.push(("word/footnotes.xml", n.as_bytes()));
    }
    zip(&parts)
}

/// `text` as a Word document: the first paragraph a title.
pub fn text_docx(text: &str) -> Vec<u8> {
    let body: String = split(text, Paragraphs::Blocks)
        .iter()
        .enumerate()
        .map(|(i, l)| w_p(l, (i == 0).then_some("Title")))
        .collect();
    docx(&body, None)
}

/// An OpenDocument text of the body XML `body`.
pub fn odt(body: &str) -> Vec<u8> {
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" office:version=\"1.3\">\
         <office:body><office:text>{body}</office:text></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.text\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
    zip(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", content.as_bytes()),
        ("META-INF/manifest.xml", manifest.as_bytes()),
    ])
}

/// `text` as an OpenDocument text: the first paragraph a heading.
pub fn text_odt(text: &str) -> Vec<u8> {
    let body: String = split(text, Paragraphs::Blocks)
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("<text:h text:outline-level=\"1\">{}</text:h>", escape(l))
            } else {
                format!("<text:p>{}</text:p>", escape(l))
            }
        })
        .collect();
    odt(&body)
}

/// A PDF of the given objects (object 1 the catalogue), with a correct
/// cross-reference table; `trailer` is added to the trailer dictionary.
pub fn pdf(objects: &[Vec<u8>], trailer: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend(o);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer}>>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A PDF stream object of `data`, with `extra` entries in its dictionary.
pub fn stream(data: &[u8], extra: &str) -> Vec<u8> {
    let mut out = format!("<< /Length {} {extra}>>\nstream\n", data.len()).into_bytes();
    out.extend(data);
    out.extend(b"\nendstream");
    out
}

/// The objects of a one-page PDF whose page draws `content` with Helvetica as /F1.
pub fn one_page(content: Vec<u8>) -> Vec<Vec<u8>> {
    vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
        content,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ]
}

/// The objects of a PDF of `n` pages that all draw `content` (object 3) with
/// Helvetica (object 4).
pub fn many_pages(content: Vec<u8>, n: usize) -> Vec<Vec<u8>> {
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", i + 5)).collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes(),
        content,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    for _ in 0..n {
        objects.push(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>".to_vec());
    }
    objects
}

/// Deflates `data` (a PDF's FlateDecode).
pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}
