//! Architecture rules, checked on the source text itself.
//!
//! The top-level modules in `src/lib.rs` are listed bottom first, and each may use
//! only the modules above it in that list (below it in the stack). That keeps the
//! data path readable top to bottom: a reader can start at the first module and
//! never meet a name that has not been introduced yet. Functions stay within
//! `MAX_FN_LINES` so each one is a unit a reader can hold in their head; one that
//! must be longer says why, in a comment above it containing `Long because`.

use std::collections::{BTreeMap, BTreeSet};
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

/// `code` with its comment lines blank (kept, so line numbers hold): an
/// intra-doc link is not a dependency.
fn without_comments(code: &str) -> String {
    let lines: Vec<&str> = code
        .lines()
        .map(|l| if is_comment(l) { "" } else { l })
        .collect();
    lines.join("\n")
}

/// Each top-level module `code` names through `crate::`, with its 1-based line.
/// Comment lines are blanked first: an intra-doc link is not a dependency.
fn crate_references(code: &str) -> Vec<(usize, String)> {
    let code = without_comments(code);
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

/// The folder of the binary (`main.rs` and the modules it declares); every
/// other file under `src/` is the library.
const BINARY: &str = "src/bin/govlens";

/// The library's files: every `.rs` file under `src/` but the binary's.
fn library_files() -> Vec<PathBuf> {
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join(BINARY);
    let files = rust_files(&src_dir());
    files
        .into_iter()
        .filter(|f| !f.starts_with(&binary))
        .collect()
}

#[test]
fn the_library_never_prints_nor_exits() {
    // The library is driven by two front ends (the command line and Python): it
    // reports through return values and an observer, never to the terminal.
    let forbidden = [
        "println!",
        "eprintln!",
        "print!(",
        "eprint!(",
        "process::exit",
    ];
    let mut violations = Vec::new();
    let mut library = 0;
    for file in library_files() {
        let name = relative(&file);
        library += 1;
        for (i, line) in read(&file).lines().enumerate() {
            if is_comment(line) {
                continue;
            }
            if let Some(f) = forbidden.iter().find(|f| line.contains(*f)) {
                violations.push(format!("{name}:{}: {f}", i + 1));
            }
        }
    }
    assert!(library > 50, "only {library} library files read");
    assert!(
        violations.is_empty(),
        "library code prints or exits:\n{}",
        violations.join("\n")
    );
    // The binary's files are its modules, each declared by its main.rs.
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join(BINARY);
    let main = read(&binary.join("main.rs"));
    let modules = rust_files(&binary);
    assert!(modules.len() >= 3, "{modules:?}");
    for file in modules.iter().filter(|f| !f.ends_with("main.rs")) {
        let module = file.file_stem().unwrap().to_string_lossy();
        assert!(
            main.contains(&format!("mod {module};")),
            "{}",
            file.display()
        );
    }
    // The library is built without the command line's crates.
    let manifest = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"));
    for line in manifest.lines().filter(|l| {
        ["clap ", "indicatif ", "tikv-jemallocator "]
            .iter()
            .any(|c| l.starts_with(c))
    }) {
        assert!(line.contains("optional = true"), "{line}");
    }
}

/// A file's module path: `src/corpus/pdf/bbox.rs` is `corpus::formats::pdf::bbox`,
/// `src/corpus/pdf/mod.rs` is `corpus::pdf`.
fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src_dir()).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The module paths `code` (of the module `at`) names through `crate::`,
/// `super::` or, in a folder's `mod.rs`, a child's name.
fn module_references(code: &str, at: &[String], children: &[String]) -> Vec<Vec<String>> {
    let code = without_comments(code);
    let mut refs = Vec::new();
    let mut starts: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        if !code[..i].chars().next_back().is_some_and(is_ident_char) {
            starts.push((i + "crate::".len(), Vec::new()));
        }
    }
    for (i, _) in code.match_indices("super::") {
        // Only the first of a chain of `super::`.
        if code[..i].ends_with("super::") {
            continue;
        }
        let (mut base, mut j) = (at.to_vec(), i);
        while code[j..].starts_with("super::") {
            base.pop();
            j += "super::".len();
        }
        starts.push((j, base));
    }
    for child in children {
        for (i, _) in code.match_indices(&format!("{child}::")) {
            let before = code[..i].chars().next_back();
            if !before.is_some_and(|c| is_ident_char(c) || c == ':') {
                starts.push((i, at.to_vec()));
            }
        }
    }
    for (start, base) in starts {
        let mut path = base;
        let mut rest = &code[start..];
        loop {
            if let Some(group) = rest.strip_prefix('{') {
                for head in group_heads(group) {
                    let mut p = path.clone();
                    p.push(head.to_string());
                    refs.push(p);
                }
                break;
            }
            let name = leading_ident(rest);
            if name.is_empty() {
                break;
            }
            path.push(name.to_string());
            rest = &rest[rest.find(name).unwrap() + name.len()..];
            match rest.strip_prefix("::") {
                Some(r) => rest = r,
                None => break,
            }
        }
        refs.push(path);
    }
    refs
}

#[test]
fn no_folder_imports_itself_in_a_circle() {
    // Within a top-level module, its files may use each other only one way: a
    // file may use its ancestors' items (a folder's mod.rs is its hub), but two
    // files that need each other, directly or round a circle, are one concern
    // split badly (the readers once took their error type back from the dispatch
    // that called them).
    let files = library_files();
    let modules: Vec<Vec<String>> = files.iter().map(|f| module_path(f)).collect();
    let known: BTreeSet<Vec<String>> = modules.iter().cloned().collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (file, at) in files.iter().zip(&modules) {
        let children: Vec<String> = known
            .iter()
            .filter(|m| m.len() == at.len() + 1 && m.starts_with(at))
            .map(|m| m.last().unwrap().clone())
            .collect();
        for path in module_references(&read(file), at, &children) {
            // The longest module the path names.
            let Some(target) = (1..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|p| known.contains(p))
            else {
                continue;
            };
            let same_tree = at.len() >= 2 && target.len() >= 2 && at[0] == target[0];
            if same_tree && target != *at && !at.starts_with(&target) {
                edges.entry(at.clone()).or_default().insert(target);
            }
        }
    }
    assert!(
        edges.values().map(BTreeSet::len).sum::<usize>() > 20,
        "too few imports found: {edges:?}"
    );
    // Depth-first search for a circle.
    fn visit(
        m: &Vec<String>,
        edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        stack: &mut Vec<Vec<String>>,
        done: &mut BTreeSet<Vec<String>>,
    ) -> Option<Vec<Vec<String>>> {
        if let Some(i) = stack.iter().position(|s| s == m) {
            let mut circle = stack[i..].to_vec();
            circle.push(m.clone());
            return Some(circle);
        }
        if !done.insert(m.clone()) {
            return None;
        }
        stack.push(m.clone());
        for next in edges.get(m).into_iter().flatten() {
            if let Some(c) = visit(next, edges, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    for m in edges.keys() {
        if let Some(circle) = visit(m, &edges, &mut Vec::new(), &mut done) {
            let names: Vec<String> = circle.iter().map(|m| m.join("::")).collect();
            panic!("a circle of imports: {}", names.join(" -> "));
        }
    }
}
