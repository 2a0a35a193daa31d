//! HTML (`.html`, `.htm`, `.xhtml`) through a real parser (html5ever, via
//! scraper): scripts, styles and clearly marked navigation boilerplate (`nav`,
//! `header`, `footer`, `aside`, ARIA navigation roles) are dropped, and block
//! elements become paragraph breaks. The tree walk is iterative, so deep nesting
//! cannot overflow; past [`MAX_HTML_DEPTH`] a linear tag stripper reads the page.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

use super::text::paragraph_break;

/// The visible text of a decoded HTML page.
pub fn extract(decoded: String) -> String {
    html(&decoded)
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
        let text = html(page);
        assert_eq!(
            text,
            "人工智能 治理\n\nThe rule of law applies.\n\n第二段\n下一行\n"
        );
    }

    #[test]
    fn deeply_nested_html_is_read_in_linear_time() {
        let depth = 200_000;
        let page = "<div>".repeat(depth)
            + "深处的<b>法治</b> &amp; rule<script>x()</script>"
            + &"</div>".repeat(depth);
        assert_eq!(nesting_depth(&page), depth + 1);
        assert_eq!(html(&page), "深处的法治 & rule\n");
        assert_eq!(
            nesting_depth("<div>a<br>b<img src=x/></div><div>c</div>"),
            1
        );
    }

    #[test]
    fn headers_inside_articles_are_content() {
        let page = "<body><header>Site</header><article><header><h1>第一章 总则</h1></header>\
                    <p>正文</p><footer>注释一</footer></article><footer>版权</footer></body>";
        assert_eq!(html(page), "第一章 总则\n\n正文\n\n注释一\n");
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
}
