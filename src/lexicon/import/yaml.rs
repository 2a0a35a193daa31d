//! quanteda's YAML dictionaries.
//!
//! The root is a mapping of category names. A value is one entry, a list of entries,
//! or a mapping of sub-categories; under a mapping, the key `__` (as quanteda writes
//! it) or an empty key holds the parent's own entries. Scalars are read as written,
//! so `no`, `null` or `1984` stay words. Anchors, aliases, tags and second documents
//! are errors: a dictionary needs none of them.

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use super::{Category, LineError};

/// The events of the text, each with its line.
struct Events<'a> {
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    last_line: usize,
    budget: super::Budget,
}

impl<'a> Events<'a> {
    fn next(&mut self) -> Result<(Event<'a>, usize), LineError> {
        match self.parser.next() {
            None => Err((self.last_line, "the YAML ends early".into())),
            Some(Err(e)) => Err((e.marker().line(), format!("YAML: {}", e.info()))),
            Some(Ok((event, span))) => {
                let line = line_of(&span);
                self.last_line = line;
                refuse_features(&event, line)?;
                Ok((event, line))
            }
        }
    }
}

fn line_of(span: &Span) -> usize {
    span.start.line().max(1)
}

/// Anchors, aliases and tags have no meaning in a dictionary.
fn refuse_features(event: &Event, line: usize) -> Result<(), LineError> {
    let (anchor, tagged) = match event {
        Event::Alias(_) => return Err((line, "YAML aliases are not supported".into())),
        Event::Scalar(_, _, anchor, tag) => (*anchor, tag.is_some()),
        Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
            (*anchor, tag.is_some())
        }
        _ => (0, false),
    };
    if anchor != 0 {
        return Err((line, "YAML anchors (&name) are not supported".into()));
    }
    if tagged {
        return Err((line, "YAML tags (!name) are not supported".into()));
    }
    Ok(())
}

pub(super) fn read(text: &str) -> Result<Vec<Category>, LineError> {
    let mut events = Events {
        parser: Parser::new_from_str(text),
        last_line: 1,
        budget: super::Budget::default(),
    };
    let mut categories = Vec::new();
    loop {
        match events.next()? {
            (Event::StreamStart | Event::DocumentStart(_), _) => {}
            (Event::MappingStart(..), _) => break,
            (Event::StreamEnd, line) => return Err((line, "empty dictionary".into())),
            (_, line) => {
                return Err((
                    line,
                    "the top level must be a mapping of category names".into(),
                ));
            }
        }
    }
    mapping(&mut events, &[], &mut categories)?;
    loop {
        match events.next()? {
            (Event::DocumentEnd, _) => {}
            (Event::StreamEnd, _) => return Ok(categories),
            (_, line) => return Err((line, "a second YAML document".into())),
        }
    }
}

/// The keys of a mapping under `path`, up to its end. Nesting is bounded
/// ([`super::check_depth`]) before it recurses, so neither the stack nor the
/// categories' paths grow with a hostile file's depth.
fn mapping(
    events: &mut Events,
    path: &[String],
    out: &mut Vec<Category>,
) -> Result<Vec<(String, usize)>, LineError> {
    let mut own = Vec::new();
    loop {
        let (key, line) = match events.next()? {
            (Event::MappingEnd, _) => return Ok(own),
            (Event::Scalar(key, ..), line) => (key.trim().to_string(), line),
            (_, line) => return Err((line, "a category name must be plain text".into())),
        };
        let own_values = key.is_empty() || key == "__";
        super::check_depth(path.len() + 1, line)?;
        let mut sub = path.to_vec();
        if !own_values {
            sub.push(key);
            events.budget.category(&sub, line)?;
        }
        let at = out.len();
        if !own_values {
            out.push(Category::new(sub.clone(), line));
        }
        let entries = value(events, &sub, out)?;
        if own_values {
            own.extend(entries);
        } else {
            out[at].entries.extend(entries);
        }
    }
}

/// The entries of one key's value (sub-categories go to `out`).
fn value(
    events: &mut Events,
    path: &[String],
    out: &mut Vec<Category>,
) -> Result<Vec<(String, usize)>, LineError> {
    match events.next()? {
        (Event::Scalar(v, style, ..), line) => {
            let entry = scalar(&v, style, line);
            if let Some((e, _)) = &entry {
                events.budget.entry(e, line)?;
            }
            Ok(entry.into_iter().collect())
        }
        (Event::MappingStart(..), _) => mapping(events, path, out),
        (Event::SequenceStart(..), _) => {
            let mut entries = Vec::new();
            loop {
                match events.next()? {
                    (Event::SequenceEnd, _) => return Ok(entries),
                    (Event::Scalar(v, style, ..), line) => {
                        let entry = scalar(&v, style, line);
                        if let Some((e, _)) = &entry {
                            events.budget.entry(e, line)?;
                        }
                        entries.extend(entry);
                    }
                    (_, line) => {
                        return Err((line, "a list of entries may hold only text".into()));
                    }
                }
            }
        }
        (_, line) => Err((line, "expected entries or sub-categories".into())),
    }
}

/// An entry, or none for an empty value (`key:` or `~`).
fn scalar(v: &str, style: ScalarStyle, line: usize) -> Option<(String, usize)> {
    let empty = style == ScalarStyle::Plain && (v.trim().is_empty() || v == "~");
    (!empty).then(|| (v.trim().to_string(), line))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_ok(text: &str) -> Vec<(String, usize, Vec<String>)> {
        read(text)
            .unwrap()
            .into_iter()
            .map(|c| {
                let entries = c.entries.into_iter().map(|(e, _)| e).collect();
                (c.path.join("/"), c.line, entries)
            })
            .collect()
    }

    #[test]
    fn nesting_lists_scalars_and_own_values() {
        let text = "# a comment\ngov:\n  law: [rule of law, \"legal*\", 法治]\n  __: [governance]\n  people:\n    - consult*\n    - no\nrisk: risk*\nempty_parent:\n  child: [x]\n";
        assert_eq!(
            read_ok(text),
            [
                ("gov".into(), 2, vec!["governance".into()]),
                (
                    "gov/law".into(),
                    3,
                    vec!["rule of law".into(), "legal*".into(), "法治".into()]
                ),
                ("gov/people".into(), 5, vec!["consult*".into(), "no".into()]),
                ("risk".into(), 8, vec!["risk*".into()]),
                ("empty_parent".into(), 9, vec![]),
                ("empty_parent/child".into(), 10, vec!["x".into()]),
            ]
        );
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            ("- a\n- b\n", 1, "mapping"),
            ("a: [x, *y]\n", 1, "anchor"),
            ("a: &k [x]\n", 1, "anchors"),
            ("a: !!str x\n", 1, "tags"),
            ("a:\n  - [x]\n", 2, "only text"),
            ("a: [x]\n---\nb: [y]\n", 2, "second YAML document"),
            ("a:\n\t- x\n", 2, "YAML"),
        ];
        for (text, line, want) in cases {
            let (at, message) = read(text).unwrap_err();
            assert_eq!(at, line, "{text:?}: {message}");
            assert!(message.contains(want), "{text:?}: {message}");
        }
    }
}
