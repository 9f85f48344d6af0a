//! The direction of dependencies: every `crate::` path in `src/` points at a module on a lower
//! layer of ARCHITECTURE.md's `layers` block. A new edge that points up (or sideways, inside a
//! layer) fails here with the file and line, before it grows into a circle.
//!
//! Test code (`#[cfg(test)]` modules and files declared under it) may reach anything: it is
//! not part of the library's graph. Comments do not count.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

mod util;

/// The layers, bottom first, as ARCHITECTURE.md lists them (top first) in its `layers` block.
fn layers() -> BTreeMap<String, usize> {
    let text = fs::read_to_string(util::root().join("ARCHITECTURE.md")).unwrap();
    let block = text
        .split("```layers\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("ARCHITECTURE.md has a ```layers block");
    let lines: Vec<&str> = block.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut out = BTreeMap::new();
    for (depth, line) in lines.iter().rev().enumerate() {
        for m in line.split_whitespace() {
            assert!(
                out.insert(m.to_string(), depth).is_none(),
                "{m} is listed twice in ARCHITECTURE.md"
            );
        }
    }
    out
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The files declared under `#[cfg(test)]` (`#[cfg(test)] mod corpus;` in `document/mod.rs`).
fn test_only_files(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for f in files {
        let text = fs::read_to_string(f).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let dir = if f.ends_with("mod.rs") || f.ends_with("lib.rs") {
            f.parent().unwrap().to_path_buf()
        } else {
            f.with_extension("")
        };
        for w in lines.windows(2) {
            if w[0].trim() == "#[cfg(test)]" {
                if let Some(name) = w[1]
                    .trim()
                    .strip_prefix("mod ")
                    .and_then(|r| r.strip_suffix(';'))
                {
                    out.push(dir.join(format!("{name}.rs")));
                    out.push(dir.join(name).join("mod.rs"));
                }
            }
        }
    }
    out
}

/// The top-level module a file belongs to (`src/store/import.rs` → `store`).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The modules a line of code names with `crate::` (`crate::store::x`, `crate::{a, b::c}`).
fn named(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = group.split('}').next().unwrap_or("");
            for item in group.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.push(name);
            }
        } else {
            out.push(
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect(),
            );
        }
    }
    out.retain(|n| !n.is_empty());
    out
}

#[test]
fn no_module_uses_one_above_it() {
    let layers = layers();
    let src = util::root().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let test_only = test_only_files(&files);
    let mut wrong = Vec::new();
    for f in files.iter().filter(|f| !test_only.contains(f)) {
        let from = module_of(&src, f);
        if from == "lib" || from == "main" {
            continue;
        }
        let Some(&here) = layers.get(&from) else {
            wrong.push(format!(
                "{}: module `{from}` is not in ARCHITECTURE.md's layers",
                f.display()
            ));
            continue;
        };
        let text = fs::read_to_string(f).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            let next = lines.get(n + 1).map_or("", |l| l.trim());
            if line.trim() == "#[cfg(test)]" && next.starts_with("mod ") && next.ends_with('{') {
                break; // the test module closes the file
            }
            for to in named(code) {
                if to == from {
                    continue;
                }
                match layers.get(&to) {
                    Some(&there) if there < here => {}
                    // Items of the crate root (`crate::Result`) are not modules.
                    None if to.starts_with(char::is_uppercase) => {}
                    _ => wrong.push(format!(
                        "{}:{}: `{from}` uses `{to}`, which is not below it",
                        f.display(),
                        n + 1
                    )),
                }
            }
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn the_lines_of_code_name_their_modules() {
    assert_eq!(named("use crate::store::{a, b};"), ["store"]);
    assert_eq!(
        named("use crate::{align::Flag, error::Error};"),
        ["align", "error"]
    );
    assert_eq!(named("let t = crate::time::format_time(x);"), ["time"]);
}

/// The sibling modules a line of code names through `super::` (`super::texts::text_id`,
/// `super::{import::Basis, hash64}`: `texts`, `import`, `hash64`); `super::super::` is not a
/// sibling.
fn siblings_named(code: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    for (i, _) in code.match_indices("super::") {
        if code[..i].ends_with("super::") {
            continue;
        }
        let rest = &code[i + "super::".len()..];
        if rest.starts_with("super::") {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            // The first name of every item at the group's own depth.
            let mut depth = 0;
            let mut start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && depth == 0 && !c.is_whitespace() => {
                        out.push(ident(&group[j..]));
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            out.push(ident(rest));
        }
    }
    out.retain(|n| !n.is_empty());
    out
}

/// A circle in `edges`, as the names along it, if there is one.
fn circle(edges: &BTreeMap<String, Vec<String>>) -> Option<Vec<String>> {
    fn visit(
        at: &str,
        edges: &BTreeMap<String, Vec<String>>,
        path: &mut Vec<String>,
        done: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == at) {
            let mut c = path[i..].to_vec();
            c.push(at.to_string());
            return Some(c);
        }
        if done.iter().any(|d| d == at) {
            return None;
        }
        path.push(at.to_string());
        for next in edges.get(at).into_iter().flatten() {
            if let Some(c) = visit(next, edges, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.push(at.to_string());
        None
    }
    let mut done = Vec::new();
    edges
        .keys()
        .find_map(|k| visit(k, edges, &mut Vec::new(), &mut done))
}

/// Inside a module, the files beside each other use one another without a circle
/// (`store/import.rs` using `lookup.rs`, which used `import.rs`, was one): what two files share
/// goes into a third that both use.
#[test]
fn no_circle_among_the_files_of_a_module() {
    let src = util::root().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let test_only = test_only_files(&files);
    let mut dirs: BTreeMap<PathBuf, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for f in files.iter().filter(|f| !test_only.contains(f)) {
        let dir = f.parent().unwrap();
        if dir == src || f.ends_with("mod.rs") {
            continue;
        }
        let me = f.file_stem().unwrap().to_string_lossy().to_string();
        let is_sibling = |n: &str| dir.join(format!("{n}.rs")).is_file() || dir.join(n).is_dir();
        let text = fs::read_to_string(f).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let mut uses = Vec::new();
        for (n, line) in lines.iter().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            let next = lines.get(n + 1).map_or("", |l| l.trim());
            if line.trim() == "#[cfg(test)]" && next.starts_with("mod ") && next.ends_with('{') {
                break;
            }
            for to in siblings_named(code) {
                if to != me && is_sibling(&to) && !uses.contains(&to) {
                    uses.push(to);
                }
            }
        }
        dirs.entry(dir.to_path_buf()).or_default().insert(me, uses);
    }
    let mut wrong = Vec::new();
    for (dir, edges) in &dirs {
        let rel = dir
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if let Some(c) = circle(edges) {
            wrong.push(format!("src/{rel}: {}", c.join(" -> ")));
        }
    }
    assert!(
        wrong.is_empty(),
        "circles among files:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_lines_of_code_name_their_siblings() {
    assert_eq!(siblings_named("use super::texts::text_id;"), ["texts"]);
    assert_eq!(
        siblings_named("use super::{import::{a, b}, hash64};"),
        ["import", "hash64"]
    );
    assert!(siblings_named("super::super::schema::X").is_empty());
    let edges: BTreeMap<String, Vec<String>> = [
        ("import".to_string(), vec!["lookup".to_string()]),
        ("lookup".to_string(), vec!["import".to_string()]),
    ]
    .into();
    assert_eq!(circle(&edges).unwrap(), ["import", "lookup", "import"]);
}

/// A file's lines with string and character literals emptied and `//` comments cut, so that
/// the braces left are the code's.
fn code_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| {
            let mut out = String::with_capacity(line.len());
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '"' => {
                        // Skip to the closing quote (escapes included).
                        while let Some(d) = chars.next() {
                            if d == '\\' {
                                chars.next();
                            } else if d == '"' {
                                break;
                            }
                        }
                        out.push_str("\"\"");
                    }
                    '\'' => {
                        // A character literal ('{', '\n'); a lifetime ('a) is kept.
                        let rest: String = chars.clone().take(3).collect();
                        let len = if rest.starts_with('\\') {
                            rest.find('\'').map(|k| k + 1)
                        } else {
                            (rest.chars().nth(1) == Some('\'')).then_some(2)
                        };
                        if let Some(n) = len {
                            for _ in 0..n {
                                chars.next();
                            }
                            out.push_str("''");
                        } else {
                            out.push(c);
                        }
                    }
                    '/' if chars.peek() == Some(&'/') => break,
                    c => out.push(c),
                }
            }
            out
        })
        .collect()
}

/// Each function of a file with its first line and its length in lines.
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let lines = code_lines(text);
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some(at) = words.iter().position(|w| *w == "fn") else {
            continue;
        };
        let before_ok = words[..at]
            .iter()
            .all(|w| w.starts_with("pub") || matches!(*w, "const" | "async" | "unsafe" | "extern"));
        if !before_ok || at + 1 >= words.len() {
            continue;
        }
        let name: String = words[at + 1]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let (mut depth, mut opened) = (0i32, false);
        for (j, l) in lines.iter().enumerate().skip(i) {
            for c in l.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            if opened && depth == 0 {
                out.push((name.clone(), i + 1, j - i + 1));
                break;
            }
            // A declaration without a body (in a trait).
            if !opened && l.contains(';') {
                break;
            }
        }
    }
    out
}

/// No file in `src/` over 600 lines and no function over 80 (the generated numeral tables
/// excepted): past that, a reader loses the thread; split by job, as ARCHITECTURE.md says.
#[test]
fn no_module_over_600_lines_and_no_function_over_80() {
    let src = util::root().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut wrong = Vec::new();
    for f in &files {
        if f.ends_with("document/numerals/table.rs") {
            continue;
        }
        let text = fs::read_to_string(f).unwrap();
        let rel = f.strip_prefix(&src).unwrap().display().to_string();
        let n = text.lines().count();
        if n > 600 {
            wrong.push(format!("src/{rel}: {n} lines"));
        }
        for (name, line, len) in functions(&text) {
            if len > 80 {
                wrong.push(format!("src/{rel}:{line}: fn {name} is {len} lines"));
            }
        }
    }
    assert!(wrong.is_empty(), "too long:\n{}", wrong.join("\n"));
}

#[test]
fn functions_are_measured_from_their_line_to_their_closing_brace() {
    let text = "pub(crate) fn a(x: char) -> bool {\n    matches!(x, '{' | '}')\n}\n\
                trait T {\n    fn b(&self);\n}\nasync fn c() {\n    let s = \"{{\"; // {\n}\n";
    assert_eq!(
        functions(text),
        [("a".to_string(), 1, 3), ("c".to_string(), 7, 3)]
    );
}
