//! Markdown (`.md`, `.markdown`) through pulldown-cmark: markup is dropped, link
//! and heading text kept, blocks separated by blank lines, numbered items keep
//! their numbers.

use super::text::paragraph_break;

/// The text of a decoded Markdown file.
pub fn extract(decoded: String) -> String {
    markdown(&decoded)
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
    fn markdown_drops_markup_and_keeps_text() {
        let md = "# Rule of law\n\nThe **rule of law** and [good governance](http://x.org).\n\
                  - 法治\n- 善治\n\n<div>raw html</div>\n";
        let text = markdown(md);
        assert_eq!(
            text,
            "Rule of law\n\nThe rule of law and good governance.\n\n法治\n\n善治\n"
        );
    }

    #[test]
    fn markdown_lists_keep_items_apart_and_numbers() {
        let md =
            "- 法\n  - 治\n\n1. First item\n2. Second item\n\n| a | b |\n|---|---|\n| 法 | 治 |\n";
        let text = markdown(md);
        assert!(!text.contains("法治"), "{text:?}");
        assert!(
            text.contains("1. First item") && text.contains("2. Second item"),
            "{text:?}"
        );
        assert!(!text.contains("|---"), "{text:?}");
    }
}
