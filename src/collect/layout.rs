//! Where a document's versions live: declared path patterns with `{lang}`, include and exclude
//! globs, `NAME.LANG.EXT` names and folders per language; and hints for names whose language
//! part is no language. Pure: paths in, placements out; nothing here reads the disk.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::Regex;

use super::{parts, Item, Placed};
use crate::error::{Error, Result};
use crate::language::LangTag;

/// A path pattern with `{lang}` a project declares.
#[derive(Debug, Clone)]
pub(super) struct Pattern {
    re: Regex,
}

impl Pattern {
    /// Compile `docs/{lang}/**/*.md`, `{name}.{lang}.{ext}` or `i18n/{lang}/{path}`: `{lang}`
    /// (required, once) is a language tag, `{name}` and `{ext}` one path part without a dot
    /// (`{name}` may hold dots), `{path}` any path, `**` any folders, `*` and `?` as in a glob.
    fn new(text: &str) -> Result<Pattern> {
        let bad = |why: &str| Error::usage(format!("path pattern `{text}`: {why}"));
        if text.matches("{lang}").count() != 1 {
            return Err(bad("it must hold `{lang}` once (docs/{lang}/**/*.md)"));
        }
        if text.starts_with('/') || text.split('/').any(|p| p == "..") {
            return Err(bad("it must be relative to the project, without `..`"));
        }
        let mut re = String::from("^");
        let mut rest = text;
        while !rest.is_empty() {
            let (piece, len) = if rest.starts_with("{lang}") {
                (
                    "(?P<lang>[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)".to_string(),
                    6,
                )
            } else if rest.starts_with("{name}") {
                ("(?P<name>[^/]+?)".to_string(), 6)
            } else if rest.starts_with("{ext}") {
                ("(?P<ext>[^/.]+)".to_string(), 5)
            } else if rest.starts_with("{path}") {
                ("(?P<path>.+?)".to_string(), 6)
            } else if rest.starts_with("**/") {
                ("(?:.*/)?".to_string(), 3)
            } else if rest.starts_with("**") {
                (".*".to_string(), 2)
            } else if rest.starts_with('*') {
                ("[^/]*".to_string(), 1)
            } else if rest.starts_with('?') {
                ("[^/]".to_string(), 1)
            } else if rest.starts_with('{') {
                return Err(bad(
                    "unknown placeholder; use {lang}, {name}, {ext} or {path}",
                ));
            } else {
                let c = rest.chars().next().unwrap_or('/');
                (regex::escape(&c.to_string()), c.len_utf8())
            };
            re.push_str(&piece);
            rest = &rest[len..];
        }
        re.push('$');
        let re = Regex::new(&re).map_err(|e| bad(&e.to_string()))?;
        Ok(Pattern { re })
    }

    /// Match a path relative to the project: the language, the document's key (the path with
    /// `{lang}` in place of the language) and its id.
    fn place(&self, rel: &str) -> Option<(LangTag, String, String)> {
        let c = self.re.captures(rel)?;
        let m = c.name("lang")?;
        let lang = LangTag::parse(m.as_str()).ok()?;
        let template = format!("{}{{lang}}{}", &rel[..m.start()], &rel[m.end()..]);
        let id = match (c.name("name"), c.name("path")) {
            (Some(n), _) => n.as_str().to_string(),
            (None, Some(p)) => strip_ext(p.as_str()).to_string(),
            (None, None) => {
                let after = rel[m.end()..].trim_start_matches(['/', '.']);
                let after = strip_ext(after);
                if after.is_empty() {
                    strip_ext(rel[..m.start()].trim_end_matches(['/', '.', '-', '_'])).to_string()
                } else {
                    after.to_string()
                }
            }
        };
        Some((lang, template, id))
    }
}

/// A path without its last extension (`api/intro.md` -> `api/intro`).
pub(super) fn strip_ext(p: &str) -> &str {
    match p.rsplit_once('.') {
        Some((a, b)) if !b.contains('/') && !a.is_empty() && !a.ends_with('/') => a,
        _ => p,
    }
}

/// How a project lays out its versions: declared path patterns, include and exclude globs
/// and languages. The default finds the common layouts by themselves.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub(super) patterns: Vec<Pattern>,
    pub(super) include: Option<GlobSet>,
    pub(super) exclude: Option<GlobSet>,
    pub(super) languages: Vec<LangTag>,
}

impl Layout {
    /// A layout from path patterns, include and exclude globs (relative to the project root)
    /// and the project's languages (a folder named for one of them is that language's).
    pub fn new(
        patterns: &[String],
        include: &[String],
        exclude: &[String],
        languages: &[LangTag],
    ) -> Result<Layout> {
        let globs = |list: &[String], what: &str| -> Result<Option<GlobSet>> {
            if list.is_empty() {
                return Ok(None);
            }
            let mut b = GlobSetBuilder::new();
            for g in list {
                b.add(Glob::new(g).map_err(|e| Error::usage(format!("{what} `{g}`: {e}")))?);
            }
            b.build()
                .map(Some)
                .map_err(|e| Error::usage(format!("{what}: {e}")))
        };
        Ok(Layout {
            patterns: patterns
                .iter()
                .map(|p| Pattern::new(p))
                .collect::<Result<_>>()?,
            include: globs(include, "include")?,
            exclude: globs(exclude, "exclude")?,
            languages: languages.to_vec(),
        })
    }
}

/// Folders that are a language's: `(parent, language folder name)`. A folder named with a
/// language tag counts when a sibling folder is another language's, or when the project
/// declares its language.
pub(super) fn language_folders(
    items: &[Item],
    declared: &[LangTag],
) -> BTreeSet<(Vec<String>, String)> {
    let mut by_parent: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    for item in items {
        let ps = &item.abs;
        for i in item.floor..ps.len().saturating_sub(1) {
            if LangTag::parse(&ps[i]).is_ok() && ps[i].len() <= 8 {
                by_parent
                    .entry(ps[..i].to_vec())
                    .or_default()
                    .insert(ps[i].clone());
            }
        }
    }
    let mut out = BTreeSet::new();
    for (parent, names) in by_parent {
        let langs: BTreeSet<String> = names
            .iter()
            .filter_map(|n| LangTag::parse(n).ok())
            .map(|l| l.language().to_string())
            .collect();
        for n in names {
            let declared_here =
                LangTag::parse(&n).is_ok_and(|l| declared.iter().any(|d| d.same_language(&l)));
            if langs.len() >= 2 || declared_here {
                out.insert((parent.clone(), n));
            }
        }
    }
    out
}

/// Place a file of a document: by a declared pattern, else by the common layouts.
pub(super) fn place(
    item: &Item,
    layout: &Layout,
    lang_dirs: &BTreeSet<(Vec<String>, String)>,
) -> Option<Placed> {
    if let Some(rel) = &item.rel {
        if let Some(inc) = &layout.include {
            if !inc.is_match(rel) {
                return None;
            }
        }
        if let Some(exc) = &layout.exclude {
            if exc.is_match(rel) {
                return None;
            }
        }
        for (k, pat) in layout.patterns.iter().enumerate() {
            if let Some((lang, template, id)) = pat.place(rel) {
                let key = template.clone();
                // Shown paths keep the way the file was reached.
                let shown = item.path.display().to_string();
                let template = match shown.strip_suffix(rel.as_str()) {
                    Some(head) => format!("{head}{template}"),
                    None => template,
                };
                let prefix = id_prefix(item);
                return Some(Placed {
                    lang,
                    key: format!("pattern{k}:{}", strip_ext(&key)),
                    template,
                    scope: format!("pattern{k}"),
                    id,
                    prefix,
                });
            }
        }
    }
    place_by_name_or_folder(item, lang_dirs)
}

/// The folder (relative to the walk) added to a document's name where two share one.
pub(super) fn id_prefix(item: &Item) -> String {
    let dir = item.path.parent().unwrap_or(Path::new(""));
    let rel = dir.strip_prefix(&item.base).unwrap_or(dir);
    parts(rel).join("/")
}

/// Place a file by its name (`NAME.LANG.EXT`) or a language folder among its parents.
pub(super) fn place_by_name_or_folder(
    item: &Item,
    lang_dirs: &BTreeSet<(Vec<String>, String)>,
) -> Option<Placed> {
    // Placed by the absolute path; shown as reached.
    let ap = &item.abs;
    let name = ap.last()?;
    let by_name = LangTag::from_file_name(name);
    // The outermost language folder.
    let folder = (item.floor..ap.len().saturating_sub(1))
        .find(|&i| lang_dirs.contains(&(ap[..i].to_vec(), ap[i].clone())))
        .and_then(|i| LangTag::parse(&ap[i]).ok().map(|l| (i, l)));
    let shown = Shown::of(item);
    match (by_name, folder) {
        // A folder per language, the file named for its language too or not at all.
        (named, Some((i, lang))) if named.as_ref().is_none_or(|(_, l)| l.same_language(&lang)) => {
            Some(placed_by_folder(item, &shown, i, lang, named.map(|n| n.0)))
        }
        (Some((base, lang)), _) => Some(placed_by_name(item, &shown, base, lang)),
        _ => None,
    }
}

/// How a file was reached, to show its path templates the same way (absolute where `..` got
/// in the way).
struct Shown {
    /// The path as reached, in parts.
    parts: Vec<String>,
    /// Whether the absolute path ends with the path as reached.
    plain: bool,
    /// Where the path as reached starts in the absolute path.
    off: usize,
    /// `./` where the path was reached that way.
    lead: &'static str,
}

impl Shown {
    fn of(item: &Item) -> Shown {
        let ap = &item.abs;
        let parts = parts(&item.path);
        let off = ap.len().saturating_sub(parts.len());
        let plain = ap.len() >= parts.len() && ap[off..] == parts[..];
        let lead = if item.path.starts_with(".") && item.path != Path::new(".") {
            "./"
        } else {
            ""
        };
        Shown {
            parts,
            plain,
            off,
            lead,
        }
    }

    /// A path template (absolute parts) as the user reached the file.
    fn template(&self, t: &[String]) -> String {
        if self.plain {
            format!("{}{}", self.lead, t[self.off..].join("/"))
        } else {
            t.join("/")
        }
    }
}

/// A file in the language folder `ap[i]` (language `lang`), named for its language too
/// (`named`: the name's base) or not at all.
fn placed_by_folder(
    item: &Item,
    shown: &Shown,
    i: usize,
    lang: LangTag,
    named: Option<String>,
) -> Placed {
    let ap = &item.abs;
    let name = &ap[ap.len() - 1];
    let mut t = ap.clone();
    t[i] = "{lang}".into();
    let mut rest = ap[i + 1..].to_vec();
    if let Some(base) = &named {
        let ext = name.rsplit_once('.').map(|x| x.1).unwrap_or("");
        let last = t.len() - 1;
        t[last] = format!("{base}.{{lang}}.{ext}");
        let rl = rest.len() - 1;
        rest[rl] = base.clone();
    } else {
        let rl = rest.len() - 1;
        rest[rl] = strip_ext(&rest[rl]).to_string();
    }
    let parent = &ap[..i];
    let prefix = if shown.plain && i >= shown.off {
        let shown_parent = PathBuf::from(shown.parts[..i - shown.off].join("/"));
        parts(
            shown_parent
                .strip_prefix(&item.base)
                .unwrap_or(&shown_parent),
        )
        .join("/")
    } else {
        parent.last().cloned().unwrap_or_default()
    };
    Placed {
        lang,
        key: format!("folder:{}", strip_ext(&t.join("/"))),
        scope: format!("folder:{}", parent.join("/")),
        id: rest.join("/"),
        prefix,
        template: shown.template(&t),
    }
}

/// A file named for its language (`base.lang.ext`), in no language folder.
fn placed_by_name(item: &Item, shown: &Shown, base: String, lang: LangTag) -> Placed {
    let ap = &item.abs;
    let name = &ap[ap.len() - 1];
    let ext = name.rsplit_once('.').map(|x| x.1).unwrap_or("");
    let dir = &ap[..ap.len() - 1];
    let mut t = dir.to_vec();
    t.push(format!("{base}.{{lang}}.{ext}"));
    let mut key = dir.to_vec();
    key.push(format!("{base}.{{lang}}"));
    Placed {
        lang,
        key: format!("name:{}", key.join("/")),
        scope: format!("name:{}", dir.join("/")),
        id: base,
        prefix: id_prefix(item),
        template: shown.template(&t),
    }
}

/// Common mistakes for language codes: country codes and old or three-letter codes.
pub(super) const CODE_HINTS: &[(&str, &str)] = &[
    ("jp", "ja"),
    ("cn", "zh"),
    ("kr", "ko"),
    ("gr", "el"),
    ("dk", "da"),
    ("cz", "cs"),
    ("ua", "uk"),
    ("vn", "vi"),
    ("ir", "fa"),
    ("il", "he"),
    ("iw", "he"),
    ("ji", "yi"),
    ("in", "id"),
    ("gb", "en"),
    ("us", "en"),
    ("eng", "en"),
    ("esp", "es"),
    ("spa", "es"),
    ("ger", "de"),
    ("deu", "de"),
    ("fre", "fr"),
    ("fra", "fr"),
    ("rus", "ru"),
    ("chi", "zh"),
    ("zho", "zh"),
    ("jpn", "ja"),
    ("br", "pt-BR"),
];

/// A hint for a file name whose language part is no language (`h.jp.txt`: did you mean `ja`?)
/// or is not where paralign looks (`handbook-es.txt`: name it `handbook.es.txt`).
pub(super) fn name_hint(path: &Path) -> Option<Error> {
    let name = path.file_name()?.to_str()?;
    let (stem, ext) = name.rsplit_once('.')?;
    if let Some((base, code)) = stem.rsplit_once('.') {
        if !base.is_empty()
            && (2..=3).contains(&code.len())
            && code.bytes().all(|b| b.is_ascii_alphabetic())
            && LangTag::parse(code).is_err()
        {
            let lower = code.to_ascii_lowercase();
            let hint = CODE_HINTS
                .iter()
                .find(|(k, _)| *k == lower)
                .map(|(_, v)| format!(": did you mean `{v}` ({base}.{v}.{ext})?"))
                .unwrap_or_else(|| {
                    ": use a BCP 47 language tag (en, es, ja, zh-Hans, pt-BR)".to_string()
                });
            return Some(
                Error::input(format!("`{code}` is not a language tag{hint}")).with_path(path),
            );
        }
    }
    if let Some((base, code)) = stem.rsplit_once(['-', '_']) {
        if !base.is_empty()
            && (2..=3).contains(&code.len())
            && code.bytes().all(|b| b.is_ascii_lowercase())
            && LangTag::parse(code).is_ok()
            && CODE_HINTS.iter().all(|(k, _)| *k != code)
        {
            return Some(
                Error::input(format!(
                    "this file has no language in its name as paralign reads it: if it is the `{code}` version, name it {base}.{code}.{ext}"
                ))
                .with_path(path),
            );
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::collect::Origin;

    fn item(path: &str) -> Item {
        Item::new(
            PathBuf::from(path),
            None,
            Origin::Walked,
            PathBuf::from("."),
        )
    }

    fn placed(p: Option<Placed>) -> Option<(String, String, String)> {
        p.map(|p| (p.lang.to_string(), p.template, p.id))
    }

    #[test]
    fn patterns_place_language_template_and_id() {
        let p = Pattern::new("content/{lang}/{path}.md").unwrap();
        let (lang, template, id) = p.place("content/es/docs/install/guide.md").unwrap();
        assert_eq!(
            (lang.as_str(), template.as_str(), id.as_str()),
            (
                "es",
                "content/{lang}/docs/install/guide.md",
                "docs/install/guide"
            )
        );
        let p = Pattern::new("{name}.{lang}.{ext}").unwrap();
        let (lang, template, id) = p.place("read.me.pt-BR.txt").unwrap();
        assert_eq!(
            (lang.as_str(), template.as_str(), id.as_str()),
            ("pt-BR", "read.me.{lang}.txt", "read.me")
        );
        let p = Pattern::new("docs/{lang}/**/*.md").unwrap();
        assert_eq!(p.place("docs/de/a/b/c.md").unwrap().2, "a/b/c");
        assert!(p.place("docs/de/a.txt").is_none());
        // A language-like part that is no language does not match.
        assert!(p.place("docs/xx/a.md").is_none());
    }

    #[test]
    fn bad_patterns_are_refused() {
        let err = |t: &str| Pattern::new(t).unwrap_err().to_string();
        assert_eq!(
            err("docs/*.md"),
            "path pattern `docs/*.md`: it must hold `{lang}` once (docs/{lang}/**/*.md)"
        );
        assert_eq!(
            err("../{lang}/a.md"),
            "path pattern `../{lang}/a.md`: it must be relative to the project, without `..`"
        );
        assert_eq!(
            err("{lang}/{file}.md"),
            "path pattern `{lang}/{file}.md`: unknown placeholder; use {lang}, {name}, {ext} or {path}"
        );
    }

    #[test]
    fn language_folders_need_a_sibling_or_a_declared_language() {
        let items = [
            item("docs/en/a.md"),
            item("docs/es/a.md"),
            item("src/it/x.md"),
        ];
        let dirs = language_folders(&items, &[]);
        let names: Vec<String> = dirs
            .iter()
            .map(|(p, n)| format!("{}|{n}", p.last().unwrap()))
            .collect();
        assert_eq!(names, ["docs|en", "docs|es"]);
        // `it` alone is Italian only when the project says so.
        let dirs = language_folders(&items, &[LangTag::parse("it").unwrap()]);
        assert!(dirs
            .iter()
            .any(|(p, n)| p.last().unwrap() == "src" && n == "it"));
        assert_eq!(
            placed(place_by_name_or_folder(&item("docs/es/a.md"), &dirs)),
            Some(("es".into(), "docs/{lang}/a.md".into(), "a".into()))
        );
        assert_eq!(
            placed(place_by_name_or_folder(&item("lib/x.md"), &dirs)),
            None
        );
    }

    #[test]
    fn names_and_folders_together() {
        let items = [item("en/x.en.txt"), item("es/x.es.txt")];
        let dirs = language_folders(&items, &[]);
        assert_eq!(
            placed(place_by_name_or_folder(&items[1], &dirs)),
            Some(("es".into(), "{lang}/x.{lang}.txt".into(), "x".into()))
        );
        // The name's language wins where the folder says another.
        assert_eq!(
            placed(place_by_name_or_folder(&item("en/y.fr.txt"), &dirs)),
            Some(("fr".into(), "en/y.{lang}.txt".into(), "y".into()))
        );
    }

    #[test]
    fn hints_for_names_that_are_no_language() {
        let hint = |n: &str| name_hint(Path::new(n)).map(|e| e.to_string());
        assert_eq!(
            hint("h.jp.txt").as_deref(),
            Some("h.jp.txt: `jp` is not a language tag: did you mean `ja` (h.ja.txt)?")
        );
        assert_eq!(
            hint("notes.xq.md").as_deref(),
            Some("notes.xq.md: `xq` is not a language tag: use a BCP 47 language tag (en, es, ja, zh-Hans, pt-BR)")
        );
        assert_eq!(
            hint("handbook-es.txt").as_deref(),
            Some("handbook-es.txt: this file has no language in its name as paralign reads it: if it is the `es` version, name it handbook.es.txt")
        );
        assert_eq!(hint("page.txt"), None);
        assert_eq!(hint("guide.es.md"), None);
        assert_eq!(hint("user-guide.md"), None);
    }

    #[test]
    fn strip_ext_keeps_folders() {
        assert_eq!(strip_ext("api/intro.md"), "api/intro");
        assert_eq!(strip_ext("a.b/c"), "a.b/c");
        assert_eq!(strip_ext(".hidden"), ".hidden");
    }
}
