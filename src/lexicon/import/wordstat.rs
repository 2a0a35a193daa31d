//! WordStat `.cat`: one category or entry a line, nested by leading tabs. An entry
//! ends in its weight, `FREE_TRADE (1)`; a line without one is a category, and the
//! entries one tab deeper belong to it. `_` joins the words of a phrase.
//!
//! govlens counts every match once, so a weight other than 1 is an error naming the
//! line rather than a weight silently dropped.

use super::{Category, LineError, numbered_lines};

pub(super) fn read(text: &str) -> Result<Vec<Category>, LineError> {
    let mut categories: Vec<Category> = Vec::new();
    let mut budget = super::Budget::default();
    // The open categories, outermost first: (depth, index in `categories`).
    let mut open: Vec<(usize, usize)> = Vec::new();
    for (n, line) in numbered_lines(text) {
        let body = line.trim();
        if body.is_empty() {
            continue;
        }
        let indent = &line[..line.len() - line.trim_start().len()];
        let depth = indent.matches('\t').count();
        while open.last().is_some_and(|(d, _)| *d >= depth) {
            open.pop();
        }
        match weighted(body) {
            Some((entry, weight)) => {
                let &(_, i) = open.last().filter(|(d, _)| d + 1 == depth).ok_or_else(|| {
                    (
                        n,
                        "an entry must be one tab deeper than its category".to_string(),
                    )
                })?;
                if weight != "1" {
                    return Err((
                        n,
                        format!(
                            "weight ({weight}): govlens counts every match once; \
                             set the weight to 1 to import the entry"
                        ),
                    ));
                }
                budget.entry(entry, n)?;
                categories[i].entries.push((entry.replace('_', " "), n));
            }
            None => {
                if depth != open.last().map_or(0, |(d, _)| d + 1) {
                    return Err((
                        n,
                        "a category indented deeper than its parent allows".into(),
                    ));
                }
                let parent = open.last().map(|&(_, i)| &categories[i].path);
                let mut path = parent.cloned().unwrap_or_default();
                path.push(body.to_string());
                budget.category(&path, n)?;
                open.push((depth, categories.len()));
                categories.push(Category::new(path, n));
            }
        }
    }
    Ok(categories)
}

/// `TARIFF* (1)` → (`TARIFF*`, `1`); `None` for a line without a weight.
fn weighted(line: &str) -> Option<(&str, &str)> {
    let inner = line.strip_suffix(')')?;
    let (entry, weight) = inner.rsplit_once(" (")?;
    let number = weight.strip_prefix('-').unwrap_or(weight);
    let numeric = !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit());
    numeric.then(|| (entry.trim(), weight))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_nest_and_weights_mark_entries() {
        let text = "GOV\n\tLAW\n\t\tRULE_OF_LAW (1)\n  \t\t法治 (1)\n\tPEOPLE\n\t\tCONSULT* (1)\nNA\n\tNA (1)\n";
        let cats = read(text).unwrap();
        let got: Vec<(String, Vec<String>)> = cats
            .into_iter()
            .map(|c| {
                let entries = c.entries.into_iter().map(|(e, _)| e).collect();
                (c.path.join("/"), entries)
            })
            .collect();
        assert_eq!(
            got,
            [
                ("GOV".into(), vec![]),
                ("GOV/LAW".into(), vec!["RULE OF LAW".into(), "法治".into()]),
                ("GOV/PEOPLE".into(), vec!["CONSULT*".into()]),
                ("NA".into(), vec!["NA".into()]),
            ]
        );
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            ("X (1)\n", 1, "one tab deeper"),
            ("GOV\n\t\tLAW\n", 2, "deeper than its parent"),
            ("GOV\n\tLAW (2)\n", 2, "weight (2)"),
            ("GOV\n\tLAW (-1)\n", 2, "weight (-1)"),
        ];
        for (text, line, want) in cases {
            let (at, message) = read(text).unwrap_err();
            assert_eq!(at, line, "{text:?}: {message}");
            assert!(message.contains(want), "{text:?}: {message}");
        }
    }
}
