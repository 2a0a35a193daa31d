//! Architecture rules, checked on the source text itself.
//!
//! The top-level modules in `src/lib.rs` are listed bottom first, and each may use
//! only the modules above it in that list (below it in the stack). That keeps the
//! data path readable top to bottom: a reader can start at the first module and
//! never meet a name that has not been introduced yet. Functions stay within
//! `MAX_FN_LINES` so each one is a unit a reader can hold in their head; one that
//! must be longer says why, in a comment above it containing `Long because`.

use std::fs;
use std::path::{Path, PathBuf};

/// The longest a function may be without a `Long because` reason above it.
const MAX_FN_LINES: usize = 100;

/// The marker that excuses a long function.
const REASON: &str = "Long because";

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file below `dir`, recursively, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `path` as `src/...`, for messages.
fn relative(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = path.strip_prefix(root).unwrap_or(path);
    path.display().to_string()
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with("//")
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The identifier `s` starts with (after leading whitespace), possibly empty.
fn leading_ident(s: &str) -> &str {
    let s = s.trim_start();
    &s[..s.find(|c| !is_ident_char(c)).unwrap_or(s.len())]
}

/// The modules `src/lib.rs` declares, in file order: the layering, bottom first.
fn layers(lib: &str) -> Vec<String> {
    lib.lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line
                .strip_prefix("pub mod ")
                .or_else(|| line.strip_prefix("mod "))?;
            Some(rest.strip_suffix(';')?.trim().to_string())
        })
        .collect()
}

/// A top-level module's files: `src/NAME.rs`, else every file below `src/NAME/`.
fn module_files(name: &str) -> Vec<PathBuf> {
    let file = src_dir().join(format!("{name}.rs"));
    let dir = src_dir().join(name);
    if file.is_file() {
        vec![file]
    } else if dir.is_dir() {
        rust_files(&dir)
    } else {
        Vec::new()
    }
}

/// The leading name of each item in `a, b::c, d::{e, f}}`, up to the closing brace.
fn group_heads(group: &str) -> Vec<&str> {
    let (mut heads, mut depth, mut item) = (Vec::new(), 0, 0);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                heads.push(leading_ident(&group[item..i]));
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                heads.push(leading_ident(&group[item..i]));
                item = i + 1;
            }
            _ => {}
        }
    }
    heads
}

/// Each top-level module `code` names through `crate::`, with its 1-based line.
/// Comment lines are blanked first: an intra-doc link is not a dependency.
fn crate_references(code: &str) -> Vec<(usize, String)> {
    let blanked: Vec<&str> = code
        .lines()
        .map(|l| if is_comment(l) { "" } else { l })
        .collect();
    let code = blanked.join("\n");
    let mut refs = Vec::new();
    for (at, path) in code.match_indices("crate::") {
        if code[..at].chars().next_back().is_some_and(is_ident_char) {
            continue;
        }
        let line = code[..at].matches('\n').count() + 1;
        let rest = &code[at + path.len()..];
        let names = match rest.strip_prefix('{') {
            Some(group) => group_heads(group),
            None => vec![leading_ident(rest)],
        };
        let names = names.into_iter().filter(|n| !n.is_empty() && *n != "self");
        refs.extend(names.map(|n| (line, n.to_string())));
    }
    refs
}

#[test]
fn top_level_modules_only_use_modules_below_them() {
    let layers = layers(&read(&src_dir().join("lib.rs")));
    assert!(
        layers.len() >= 8,
        "only {} modules in src/lib.rs: {layers:?}",
        layers.len()
    );
    let mut violations = Vec::new();
    for (level, name) in layers.iter().enumerate() {
        let files = module_files(name);
        assert!(
            !files.is_empty(),
            "module {name} has no src/{name}.rs nor src/{name}/*.rs"
        );
        for file in files {
            for (line, other) in crate_references(&read(&file)) {
                if other != *name && !layers[..level].contains(&other) {
                    let file = relative(&file);
                    violations.push(format!(
                        "{file}:{line}: {name} uses {other}, which is not below it"
                    ));
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "layering, bottom first: {}\n{} violation(s):\n{}",
        layers.join(" < "),
        violations.len(),
        violations.join("\n")
    );
}

const QUALIFIERS: [&str; 6] = [
    "pub ",
    "const ",
    "async ",
    "unsafe ",
    "extern \"C\" ",
    "extern ",
];

/// One qualifier (`pub`, `pub(...)`, `const`, `async`, `unsafe`, `extern "C"`) off `s`.
fn strip_qualifier(s: &str) -> Option<&str> {
    if let Some(rest) = s.strip_prefix("pub(") {
        return Some(rest.split_once(')')?.1.trim_start());
    }
    let rest = QUALIFIERS.iter().find_map(|q| s.strip_prefix(q))?;
    Some(rest.trim_start())
}

/// The name of the function `line` declares, if it declares one.
fn fn_name(line: &str) -> Option<&str> {
    let mut rest = line.trim_start();
    while let Some(stripped) = strip_qualifier(rest) {
        rest = stripped;
    }
    Some(leading_ident(rest.strip_prefix("fn ")?)).filter(|name| !name.is_empty())
}

/// Lines from the signature at `start` to its closing brace; `None` without a body.
fn body_len(lines: &[&str], start: usize) -> Option<usize> {
    let open = lines[start];
    let close = format!("{}}}", &open[..open.len() - open.trim_start().len()]);
    let mut seen_brace = false;
    for (i, line) in lines[start..].iter().map(|l| l.trim_end()).enumerate() {
        if line == close || (i == 0 && line.contains('{') && line.ends_with('}')) {
            return Some(i + 1);
        }
        seen_brace |= line.contains('{');
        if !seen_brace && line.ends_with(';') {
            return None;
        }
    }
    None
}

/// Whether the comment and attribute lines directly above `start` give a reason.
fn says_why(lines: &[&str], start: usize) -> bool {
    lines[..start]
        .iter()
        .rev()
        .take(12)
        .map(|l| l.trim_start())
        .take_while(|l| is_comment(l) || l.starts_with("#["))
        .any(|l| l.contains(REASON))
}

/// Each function with a body in `lines`: its 0-based line, its name and its length.
fn functions<'a>(lines: &[&'a str]) -> Vec<(usize, &'a str, usize)> {
    (0..lines.len())
        .filter_map(|start| Some((start, fn_name(lines[start])?, body_len(lines, start)?)))
        .collect()
}

#[test]
fn functions_are_short_or_say_why() {
    let (mut measured, mut violations) = (0, Vec::new());
    for file in rust_files(&src_dir()) {
        let text = read(&file);
        let lines: Vec<&str> = text.lines().collect();
        for (start, name, len) in functions(&lines) {
            measured += 1;
            if len > MAX_FN_LINES && !says_why(&lines, start) {
                let at = format!("{}:{}", relative(&file), start + 1);
                violations.push(format!(
                    "{at}: fn {name} is {len} lines with no `{REASON}` reason"
                ));
            }
        }
    }
    assert!(measured > 200, "only {measured} functions measured");
    assert!(
        violations.is_empty(),
        "{} function(s) over {MAX_FN_LINES} lines:\n{}",
        violations.len(),
        violations.join("\n")
    );
}
