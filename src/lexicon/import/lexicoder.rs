//! Lexicoder `.lc3`: a line `+name` opens a category (Lexicoder may add a colour,
//! `+negative#AA0000`), and every other line is an entry of the category above it.
//! The format is flat; a `/` in a name separates levels (`economy/trade`).

use super::{Category, LineError, numbered_lines};

pub(super) fn read(text: &str) -> Result<Vec<Category>, LineError> {
    let mut categories: Vec<Category> = Vec::new();
    let mut budget = super::Budget::default();
    for (n, line) in numbered_lines(text) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('+') {
            let name = without_colour(name).trim();
            let path: Vec<String> = name
                .split('/')
                .map(|level| level.trim().to_string())
                .collect();
            budget.category(&path, n)?;
            if path.iter().any(String::is_empty) {
                return Err((n, format!("category name {name:?} has an empty level")));
            }
            categories.push(Category::new(path, n));
        } else {
            let category = categories.last_mut().ok_or_else(|| {
                (
                    n,
                    "an entry before the first category line (`+name`)".to_string(),
                )
            })?;
            budget.entry(line, n)?;
            category.entries.push((line.to_string(), n));
        }
    }
    Ok(categories)
}

/// `negative#AA0000` → `negative`.
fn without_colour(name: &str) -> &str {
    match name.rsplit_once('#') {
        Some((head, colour))
            if colour.len() == 6 && colour.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            head
        }
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_colours_and_entries() {
        let cats = read("+gov/law#00AA00\r\nrule of law\r\n法治\n\n+risk\nrisk*\n").unwrap();
        assert_eq!(cats.len(), 2);
        assert_eq!(cats[0].path, ["gov", "law"]);
        assert_eq!(cats[0].line, 1);
        let entries: Vec<&str> = cats[0].entries.iter().map(|(e, _)| e.as_str()).collect();
        assert_eq!(entries, ["rule of law", "法治"]);
        assert_eq!(cats[1].entries, [("risk*".to_string(), 6)]);
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(read("\nrisk*\n+risk\n").unwrap_err().0, 2);
        let (line, message) = read("+a\nx\n+\n").unwrap_err();
        assert_eq!(line, 3);
        assert!(message.contains("empty level"), "{message}");
    }
}
