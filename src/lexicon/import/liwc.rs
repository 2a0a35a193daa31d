//! LIWC `.dic` (2007 and 2015 styles).
//!
//! Between the first two lines that are `%` is the legend, one category a line
//! (`number name`; in 2015-style files a leading tab per level nests a category
//! under the one above). After it, each line is an entry (a word, a stem ending in
//! `*`, or a phrase) and the numbers of its categories. When the line has a tab, the
//! entry is what comes before the first tab, so phrases may hold spaces; otherwise
//! the trailing numbers are the categories and the words before them the entry.
//! A `/` in a category name separates levels, as in the other flat formats.
//!
//! LIWC's conditional entries (`(02 134)125/464`, `<of>131/125`, `(i) like*`) count a
//! word by its neighbours, which a lexicon cannot say: they are an error naming the
//! line, never read as the bare word.

use std::collections::HashMap;

use super::{Category, LineError, numbered_lines};

pub(super) fn read(text: &str) -> Result<Vec<Category>, LineError> {
    let mut lines = numbered_lines(text).filter(|(_, l)| !l.trim().is_empty());
    match lines.next() {
        Some((_, l)) if l.trim() == "%" => {}
        Some((n, _)) => {
            return Err((
                n,
                "a LIWC dictionary starts with a line `%` before its category legend".into(),
            ));
        }
        None => return Err((1, "empty dictionary".into())),
    }
    let mut categories: Vec<Category> = Vec::new();
    let mut budget = super::Budget::default();
    let mut by_number: HashMap<u64, usize> = HashMap::new();
    let mut parents: Vec<(usize, Vec<String>)> = Vec::new();
    let mut legend_closed = false;
    for (n, line) in lines.by_ref() {
        if line.trim() == "%" {
            legend_closed = true;
            break;
        }
        let depth = line.len() - line.trim_start_matches('\t').len();
        super::check_depth(depth + 1, n)?;
        let (number, name) = legend_line(line.trim()).ok_or_else(|| {
            (
                n,
                format!(
                    "legend line {} is not `number name`",
                    super::shorten(line.trim())
                ),
            )
        })?;
        while parents.last().is_some_and(|(d, _)| *d >= depth) {
            parents.pop();
        }
        let mut path = parents.last().map(|(_, p)| p.clone()).unwrap_or_default();
        let name = name.unwrap_or_else(|| number.to_string());
        path.extend(name.split('/').map(|level| level.trim().to_string()));
        budget.category(&path, n)?;
        if let Some(&first) = by_number.get(&number) {
            let first = categories[first].line;
            return Err((
                n,
                format!("category number {number} is also declared on line {first}"),
            ));
        }
        by_number.insert(number, categories.len());
        parents.push((depth, path.clone()));
        let mut category = Category::new(path, n);
        category.key = Some(number.to_string());
        categories.push(category);
    }
    if !legend_closed {
        return Err((
            text.lines().count().max(1),
            "the category legend is not closed by a second `%` line".into(),
        ));
    }
    for (n, line) in lines {
        if line.trim() == "%" {
            return Err((n, "a third `%` line: the legend is already closed".into()));
        }
        let (entry, mut numbers) = body_line(line).map_err(|m| (n, m))?;
        numbers.sort_unstable();
        numbers.dedup();
        for number in numbers {
            budget.entry(&entry, n)?;
            let i = by_number
                .get(&number)
                .ok_or_else(|| (n, format!("category number {number} is not in the legend")))?;
            categories[*i].entries.push((entry.clone(), n));
        }
    }
    Ok(categories)
}

/// `12 name` → (12, Some("name")); `12` alone → (12, None).
fn legend_line(line: &str) -> Option<(u64, Option<String>)> {
    let (number, name) = match line.split_once(char::is_whitespace) {
        Some((number, name)) => (number, Some(name.trim().to_string())),
        None => (line, None),
    };
    let number = number.parse().ok()?;
    Some((number, name.filter(|n| !n.is_empty())))
}

/// An entry line → (entry, category numbers).
fn body_line(line: &str) -> Result<(String, Vec<u64>), String> {
    let line = line.trim_end();
    let (entry, categories): (String, Vec<&str>) = match line.split_once('\t') {
        Some((entry, rest)) => (entry.trim().to_string(), rest.split_whitespace().collect()),
        None => {
            let words: Vec<&str> = line.split_whitespace().collect();
            let first_number = words
                .iter()
                .rposition(|w| !is_category_token(w))
                .map_or(0, |i| i + 1);
            (
                words[..first_number].join(" "),
                words[first_number..].to_vec(),
            )
        }
    };
    if entry.starts_with('(') || entry.starts_with('<') {
        return Err(format!(
            "conditional entry {entry:?}: govlens cannot count a word by its neighbours; \
             write the phrase itself as an entry, or delete the line"
        ));
    }
    if entry.is_empty() {
        return Err("a line with category numbers but no entry".into());
    }
    if categories.is_empty() {
        return Err(format!("entry {entry:?} has no category number"));
    }
    categories
        .iter()
        .map(|c| {
            c.parse().map_err(|_| {
                if is_category_token(c) {
                    format!(
                        "conditional category {c:?}: govlens cannot count a word by its \
                         neighbours; list the entry under plain category numbers"
                    )
                } else {
                    format!("{c:?} is not a category number")
                }
            })
        })
        .collect::<Result<Vec<u64>, String>>()
        .map(|numbers| (entry, numbers))
}

/// A plain category number, or a piece of LIWC 2007's conditional forms of one
/// (`(02`, `134)125/464`, `<of>131/125`).
fn is_category_token(w: &str) -> bool {
    let digits = w.bytes().any(|b| b.is_ascii_digit());
    digits && (w.bytes().all(|b| b.is_ascii_digit()) || w.contains(['(', ')', '<', '>', '/']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths_and_entries(text: &str) -> Vec<(String, Vec<String>)> {
        read(text)
            .unwrap()
            .into_iter()
            .map(|c| {
                (
                    c.path.join("/"),
                    c.entries.into_iter().map(|(e, _)| e).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn reads_the_legend_and_entries_with_tabs_or_spaces() {
        let text =
            "%\n01\tgovernance\n2 risk\n%\nrule of law\t1\nrisk*  2\noversight 1 02\n\n法治\t1\n";
        assert_eq!(
            paths_and_entries(text),
            [
                (
                    "governance".to_string(),
                    vec!["rule of law".to_string(), "oversight".into(), "法治".into()]
                ),
                (
                    "risk".to_string(),
                    vec!["risk*".to_string(), "oversight".into()]
                ),
            ]
        );
    }

    #[test]
    fn a_nested_legend_gives_paths() {
        let text = "%\n1\tgov\n\t2\tlaw\n\t3\tpeople\n4\trisk\n%\nlegal*\t2\n";
        let paths: Vec<String> = paths_and_entries(text).into_iter().map(|p| p.0).collect();
        assert_eq!(paths, ["gov", "gov/law", "gov/people", "risk"]);
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            ("1\tgov\n%\n", 1, "starts with a line `%`"),
            ("%\n1\tgov\nlaw\t1\n", 3, "not `number name`"),
            ("%\n1\tgov\n", 2, "not closed"),
            ("%\n1\ta\n1\tb\n%\n", 3, "also declared on line 2"),
            ("%\n1\ta\n%\nlaw\t2\n", 4, "not in the legend"),
            ("%\n1\ta\n%\nlaw\n", 4, "no category number"),
            ("%\n1\ta\n%\nkind\t<of>1/1\n", 4, "conditional category"),
            ("%\n1\ta\n%\nlike\t(02 134)1/1\n", 4, "conditional"),
            ("%\n1\ta\n%\n(i) like*\t1\n", 4, "conditional entry"),
            ("%\n1\ta\n%\nx\t1\n%\n", 5, "third"),
        ];
        for (text, line, want) in cases {
            let (at, message) = read(text).unwrap_err();
            assert_eq!(at, line, "{text:?}: {message}");
            assert!(message.contains(want), "{text:?}: {message}");
        }
    }
}
