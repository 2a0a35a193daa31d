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
}

impl Format {
    /// The format of a file, by its extension (plain text when unknown).
    pub fn of(path: &Path) -> Format {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("md" | "markdown") => Format::Markdown,
            Some("html" | "htm" | "xhtml") => Format::Html,
            _ => Format::Text,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }
}

/// The text of `decoded` in `format`.
pub fn extract(decoded: String, format: Format) -> String {
    match format {
        Format::Text => decoded,
        Format::Markdown => markdown(&decoded),
        Format::Html => html(&decoded),
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
    // Depth inside skipped elements, and inside <pre>.
    let (mut skip, mut pre) = (0usize, 0usize);
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let name = el.name();
                    let role = el.attr("role").unwrap_or("");
                    let hidden =
                        el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true");
                    if skip > 0
                        || INVISIBLE.contains(&name)
                        || BOILERPLATE.contains(&name)
                        || BOILERPLATE_ROLES.contains(&role)
                        || hidden
                    {
                        skip += 1;
                    } else if name == "br" {
                        out.push('\n');
                    } else if name == "pre" {
                        pre += 1;
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

/// An estimate of the deepest element nesting, from the tags alone.
fn nesting_depth(source: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let bytes = source.as_bytes();
    let mut i = 0;
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'<') {
        i += off + 1;
        let rest = &source[i..];
        if rest.starts_with('/') {
            depth = depth.saturating_sub(1);
            continue;
        }
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '!'))
            .unwrap_or(rest.len());
        let name = rest[..name_len].to_ascii_lowercase();
        if name.is_empty() || VOID.contains(&name.as_str()) {
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

/// The text of HTML by dropping tags (and script and style content): linear time,
/// for documents too deeply nested to parse.
fn strip_tags(source: &str) -> String {
    static HIDDEN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?is)<(script|style)\b.*?</(script|style)\s*>").expect("valid")
    });
    static TAG: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"(?s)<[^>]*>").expect("valid"));
    let visible = HIDDEN.replace_all(source, " ");
    let mut out = String::with_capacity(visible.len() / 2);
    for piece in TAG.split(&visible) {
        push_collapsed(&mut out, &decode_entities(piece));
    }
    out.trim().to_string() + "\n"
}

/// The few character references a tag stripper must decode.
fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return s.into();
    }
    s.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .into()
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
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::with_capacity(source.len());
    for event in Parser::new(source) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
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
            Event::End(TagEnd::TableCell) => out.push(' '),
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
        assert_eq!(nesting_depth("<p>a<br>b<img src=x/></p><p>c</p>"), 1);
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::of(Path::new("a/b.HTM")), Format::Html);
        assert_eq!(Format::of(Path::new("a.md")), Format::Markdown);
        assert_eq!(Format::of(Path::new("a.txt")), Format::Text);
        assert_eq!(Format::of(Path::new("README")), Format::Text);
    }
}
