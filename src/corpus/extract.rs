//! From a decoded file to the plain text that is analysed, by format.
//!
//! Plain text is analysed as it is (hard-wrapped lines are joined by the analyzer,
//! which keeps byte offsets pointing into the text). HTML goes through a real
//! parser (html5ever, via scraper): scripts, styles and clearly marked navigation
//! boilerplate (`nav`, `header`, `footer`, `aside`, ARIA navigation roles) are
//! dropped, and block elements become paragraph breaks. Markdown goes through
//! pulldown-cmark: markup is dropped, link and heading text kept, blocks separated
//! by blank lines. The tree walk is iterative, so deep nesting cannot overflow.

use std::path::Path;

use ego_tree::iter::Edge;
use scraper::{Html, Node};

/// The formats govlens reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    /// Read by [`pdf`](super::pdf), not decoded.
    Pdf,
    /// Read by [`office`](super::office), not decoded.
    Docx,
    Odt,
}

/// Every format and the file extensions that name it (lower case): the one table
/// of formats. [`Format::of`] reads a file's format from it, and a corpus without
/// a manifest lists the files it names (`discover`).
pub const FORMATS: [(Format, &[&str]); 6] = [
    (Format::Text, &["txt"]),
    (Format::Markdown, &["md", "markdown"]),
    (Format::Html, &["html", "htm", "xhtml"]),
    (Format::Pdf, &["pdf"]),
    (Format::Docx, &["docx"]),
    (Format::Odt, &["odt"]),
];

impl Format {
    /// The format an extension names, in any case.
    pub fn from_extension(ext: &str) -> Option<Format> {
        let ext = ext.to_ascii_lowercase();
        FORMATS
            .iter()
            .find(|(_, exts)| exts.contains(&ext.as_str()))
            .map(|&(format, _)| format)
    }

    /// The format of a file, by its extension (plain text when unknown).
    pub fn of(path: &Path) -> Format {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Format::from_extension)
            .unwrap_or(Format::Text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Odt => "odt",
        }
    }

    /// Whether files of the format are binary: read by their own reader, not
    /// decoded as text.
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Pdf | Format::Docx | Format::Odt)
    }
}

/// The text of `decoded` in `format`.
pub fn extract(decoded: String, format: Format) -> String {
    match format {
        Format::Text => decoded,
        Format::Markdown => markdown(&decoded),
        Format::Html => html(&decoded),
        // Binary formats never reach here (see `read::from_bytes`).
        Format::Pdf | Format::Docx | Format::Odt => decoded,
    }
}

/// Elements whose content is never visible text.
const INVISIBLE: &[&str] = &[
    "script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object",
];
/// Elements that mark navigation-like boilerplate.
const BOILERPLATE: &[&str] = &["nav", "header", "footer", "aside", "menu"];
const BOILERPLATE_ROLES: &[&str] = &["navigation", "banner", "contentinfo", "menu", "menubar"];
/// Elements that end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "caption",
    "figure",
    "figcaption",
    "hr",
    "address",
    "body",
    "title",
    "form",
    "fieldset",
    "details",
    "summary",
];

/// Deepest element nesting given to the HTML parser. html5ever checks scopes by
/// walking the stack of open elements, which is quadratic in depth (100,000 nested
/// `div`s take half a minute); deeper documents, which no real page is, are read by
/// a linear tag stripper instead.
pub const MAX_HTML_DEPTH: usize = 2_000;

fn html(source: &str) -> String {
    if nesting_depth(source) > MAX_HTML_DEPTH {
        return strip_tags(source);
    }
    let doc = Html::parse_document(source);
    let mut out = String::with_capacity(source.len() / 2);
    // Depth inside skipped elements, inside <pre>, and inside content sectioning
    // (where <header> and <footer> hold headings and notes, not site boilerplate).
    let (mut skip, mut pre, mut content) = (0usize, 0usize, 0usize);
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let name = el.name();
                    let role = el.attr("role").unwrap_or("");
                    let hidden =
                        el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true");
                    let boilerplate = BOILERPLATE.contains(&name)
                        && !(content > 0 && matches!(name, "header" | "footer"));
                    if skip > 0
                        || INVISIBLE.contains(&name)
                        || boilerplate
                        || BOILERPLATE_ROLES.contains(&role)
                        || hidden
                    {
                        skip += 1;
                    } else if name == "br" {
                        out.push('\n');
                    } else if name == "pre" {
                        pre += 1;
                    } else if matches!(name, "article" | "main" | "section") {
                        content += 1;
                    }
                    if skip == 0 && BLOCKS.contains(&name) {
                        paragraph_break(&mut out);
                    }
                }
                Node::Text(t) if skip == 0 => {
                    if pre > 0 {
                        out.push_str(t);
                    } else {
                        push_collapsed(&mut out, t);
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    if skip > 0 {
                        skip -= 1;
                    } else {
                        if el.name() == "pre" {
                            pre = pre.saturating_sub(1);
                        }
                        if matches!(el.name(), "article" | "main" | "section") {
                            content = content.saturating_sub(1);
                        }
                        if BLOCKS.contains(&el.name()) {
                            paragraph_break(&mut out);
                        }
                    }
                }
            }
        }
    }
    out.trim().to_string() + "\n"
}

/// Void elements, which never hold content and never close.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "!doctype",
];

/// Elements whose end tag may be left out, so they do not reliably nest.
const OPTIONAL_END: &[&str] = &[
    "p", "li", "td", "th", "tr", "dt", "dd", "option", "optgroup", "thead", "tbody", "tfoot",
    "colgroup", "caption", "rb", "rt", "rp",
];

/// An estimate of the deepest element nesting, from the tags alone (comments,
/// declarations, elements with optional end tags and script or style content are
/// not counted).
fn nesting_depth(source: &str) -> usize {
    let lower = source.to_ascii_lowercase();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(off) = lower[i..].find('<') {
        i += off + 1;
        let rest = &lower[i..];
        if rest.starts_with('!') || rest.starts_with('?') {
            continue;
        }
        if rest.starts_with('/') {
            depth = depth.saturating_sub(1);
            continue;
        }
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        if name.is_empty() || VOID.contains(&name) || OPTIONAL_END.contains(&name) {
            continue;
        }
        if name == "script" || name == "style" {
            // Skip to the end of the element: its content is not markup.
            match rest.find(&format!("</{name}")) {
                Some(close) => i += close,
                None => break,
            }
            continue;
        }
        let self_closing = rest[name_len..]
            .find('>')
            .is_some_and(|end| rest[..name_len + end].ends_with('/'));
        if !self_closing {
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

/// The text of HTML by dropping tags (and script and style content), with block
/// elements as paragraph breaks: linear time, for documents too deeply nested to
/// parse. Navigation boilerplate is not recognised here.
fn strip_tags(source: &str) -> String {
    static HIDDEN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?is)<(script|style)\b.*?</(script|style)\s*>|<!--.*?-->")
            .expect("valid")
    });
    static TAG: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?s)<\s*(/?)\s*([a-zA-Z0-9]*)[^>]*>").expect("valid")
    });
    let visible = HIDDEN.replace_all(source, " ");
    let mut out = String::with_capacity(visible.len() / 2);
    let mut last = 0;
    for caps in TAG.captures_iter(&visible) {
        let whole = caps.get(0).expect("match");
        push_collapsed(&mut out, &decode_entities(&visible[last..whole.start()]));
        let name = caps[2].to_ascii_lowercase();
        if name == "br" {
            out.push('\n');
        } else if BLOCKS.contains(&name.as_str()) {
            paragraph_break(&mut out);
        }
        last = whole.end();
    }
    push_collapsed(&mut out, &decode_entities(&visible[last..]));
    out.trim().to_string() + "\n"
}

/// The character references a tag stripper must decode: the common named ones and
/// numeric ones.
fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    static ENTITY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,6});").expect("valid")
    });
    if !s.contains('&') {
        return s.into();
    }
    ENTITY.replace_all(s, |caps: &regex::Captures| {
        let body = &caps[1];
        let code = if let Some(hex) = body.strip_prefix("#x").or_else(|| body.strip_prefix("#X")) {
            u32::from_str_radix(hex, 16).ok()
        } else if let Some(dec) = body.strip_prefix('#') {
            dec.parse().ok()
        } else {
            match body {
                "nbsp" => Some(0x20),
                "lt" => Some(0x3C),
                "gt" => Some(0x3E),
                "quot" => Some(0x22),
                "apos" => Some(0x27),
                "amp" => Some(0x26),
                _ => None,
            }
        };
        code.and_then(char::from_u32)
            .map_or_else(|| caps[0].to_string(), |c| c.to_string())
    })
}

/// Appends text with runs of whitespace collapsed to one space, as a browser shows it.
fn push_collapsed(out: &mut String, text: &str) {
    let mut space = out.ends_with([' ', '\n']) || out.is_empty();
    for c in text.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.push(c);
            space = false;
        }
    }
}

/// Ends the current paragraph with a blank line (once).
fn paragraph_break(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if out.is_empty() || out.ends_with("\n\n") {
        return;
    }
    out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
}

fn markdown(source: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES;
    let mut out = String::with_capacity(source.len());
    // The next number of each open ordered list (None for a bullet list).
    let mut lists: Vec<Option<u64>> = Vec::new();
    for event in Parser::new_ext(source, options) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::Start(Tag::List(start)) => {
                paragraph_break(&mut out);
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                paragraph_break(&mut out);
            }
            Event::Start(Tag::Item) => {
                paragraph_break(&mut out);
                // Numbered items keep their number: they may be numbered paragraphs.
                if let Some(Some(n)) = lists.last_mut() {
                    out.push_str(&format!("{n}. "));
                    *n += 1;
                }
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::FootnoteDefinition,
            ) => paragraph_break(&mut out),
            Event::End(TagEnd::TableCell) => out.push_str(" | "),
            Event::Rule => paragraph_break(&mut out),
            // Inline and block HTML in Markdown is markup, not text.
            _ => {}
        }
    }
    out.trim().to_string() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_is_in_the_table_once_and_named_by_its_extensions() {
        let mut seen = std::collections::BTreeSet::new();
        for (format, extensions) in FORMATS {
            assert!(!extensions.is_empty(), "{format:?}");
            for ext in extensions {
                assert!(seen.insert(*ext), "{ext} names two formats");
                assert_eq!(Format::from_extension(ext), Some(format));
                assert_eq!(Format::from_extension(&ext.to_uppercase()), Some(format));
                assert_eq!(Format::of(Path::new(&format!("a/b.{ext}"))), format);
            }
        }
        let formats: std::collections::BTreeSet<&str> =
            FORMATS.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(formats.len(), FORMATS.len());
        assert_eq!(Format::from_extension("csv"), None);
        assert_eq!(Format::of(Path::new("notes")), Format::Text);
    }

    #[test]
    fn html_keeps_visible_text_and_paragraphs() {
        let page = r##"<!doctype html><html><head><title>T</title>
            <style>p { color: red }</style><script>var x = "法治";</script></head>
            <body><nav><a href="/">Home</a> | <a href="/en">English</a></nav>
            <header>Site banner</header>
            <div role="navigation">Skip links</div>
            <h1>人工智能   治理</h1>
            <p>The <b>rule</b>
               of <a href="#">law</a> applies.</p><p>第二段<br>下一行</p>
            <footer>Copyright</footer></body></html>"##;
        let text = extract(page.to_string(), Format::Html);
        assert_eq!(
            text,
            "人工智能 治理\n\nThe rule of law applies.\n\n第二段\n下一行\n"
        );
    }

    #[test]
    fn markdown_drops_markup_and_keeps_text() {
        let md = "# Rule of law\n\nThe **rule of law** and [good governance](http://x.org).\n\
                  - 法治\n- 善治\n\n<div>raw html</div>\n";
        let text = extract(md.to_string(), Format::Markdown);
        assert_eq!(
            text,
            "Rule of law\n\nThe rule of law and good governance.\n\n法治\n\n善治\n"
        );
    }

    #[test]
    fn deeply_nested_html_is_read_in_linear_time() {
        let depth = 200_000;
        let page = "<div>".repeat(depth)
            + "深处的<b>法治</b> &amp; rule<script>x()</script>"
            + &"</div>".repeat(depth);
        assert_eq!(nesting_depth(&page), depth + 1);
        assert_eq!(extract(page, Format::Html), "深处的法治 & rule\n");
        assert_eq!(
            nesting_depth("<div>a<br>b<img src=x/></div><div>c</div>"),
            1
        );
    }

    #[test]
    fn headers_inside_articles_are_content() {
        let page = "<body><header>Site</header><article><header><h1>第一章 总则</h1></header>\
                    <p>正文</p><footer>注释一</footer></article><footer>版权</footer></body>";
        assert_eq!(
            extract(page.to_string(), Format::Html),
            "第一章 总则\n\n正文\n\n注释一\n"
        );
    }

    #[test]
    fn ordinary_pages_are_not_mistaken_for_deep_ones() {
        let mut page = String::from("<html><body>");
        for i in 0..3_000 {
            page += &format!("<!-- c{i} --><p>段落{i}<li>项<td>格<script>if (i<n) {{}}</script>");
        }
        assert!(nesting_depth(&page) < 10, "{}", nesting_depth(&page));
        // The linear fallback still separates block elements and decodes references.
        let text =
            strip_tags("<table><tr><td>法</td><td>治</td></tr></table>&#20154;&amp;&#x5DE5;");
        assert_eq!(text, "法\n\n治\n\n人&工\n");
    }

    #[test]
    fn markdown_lists_keep_items_apart_and_numbers() {
        let md =
            "- 法\n  - 治\n\n1. First item\n2. Second item\n\n| a | b |\n|---|---|\n| 法 | 治 |\n";
        let text = extract(md.to_string(), Format::Markdown);
        assert!(!text.contains("法治"), "{text:?}");
        assert!(
            text.contains("1. First item") && text.contains("2. Second item"),
            "{text:?}"
        );
        assert!(!text.contains("|---"), "{text:?}");
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::of(Path::new("a/b.HTM")), Format::Html);
        assert_eq!(Format::of(Path::new("a.md")), Format::Markdown);
        assert_eq!(Format::of(Path::new("a.txt")), Format::Text);
        assert_eq!(Format::of(Path::new("README")), Format::Text);
    }
}
