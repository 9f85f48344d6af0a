//! From paths to sets of language versions: the project's layout and the folder walk.
//!
//! A document's versions are found by where they live: `NAME.LANG.EXT` beside each other
//! (`guide.en.md`, `guide.es.md`), one folder per language at any depth (`docs/en/guide.md`,
//! `docs/es/guide.md`: a folder counts as a language's when a sibling folder is another
//! language's, or when the project declares that language), or path patterns the project
//! declares with `{lang}` (`i18n/{lang}/{path}`). A file named on the command line brings its
//! whole document (its source and the other versions), as a pre-commit hook names only the
//! file that changed; a file with no language anywhere in its path is read as a page that may
//! hold several language versions, split by the language of each paragraph.
//!
//! The walk is `ignore`'s (as ripgrep's): `.gitignore` and hidden entries are skipped, symbolic
//! link loops are detected, links that leave the project are not followed (unless asked), each
//! real file is read once, only regular files are read and each up to a size cap. One bad file
//! or folder never stops the batch: its error is kept and the rest is still read. Nothing here
//! prints.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::Regex;

use crate::document::{BlockKind, Document};
use crate::error::{Error, Result};
use crate::language::{detect, detect_among, LangTag};

/// The extensions of the documents paralign reads.
pub const EXTENSIONS: &[&str] = &["txt", "md", "markdown"];

/// The default cap on the size of one file read (64 MiB).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// One language version of a document.
#[derive(Debug, Clone)]
pub struct Version {
    /// Its language.
    pub lang: LangTag,
    /// The document (for a split page, the paragraphs of this language only).
    pub doc: Document,
    /// For a split page: the index of each paragraph in the file it came from.
    pub origin: Option<Vec<usize>>,
}

/// The language versions of one document, as found on disk.
#[derive(Debug, Clone)]
pub struct DocumentSet {
    /// The document's name: `NAME` (`statement`), with its folder (`sub/statement`) only where
    /// two documents found share a name.
    pub id: String,
    /// Versions in the order found (sorted by language tag for folders).
    pub versions: Vec<Version>,
    /// Files of this set that could not be read.
    pub errors: Vec<Error>,
    /// Whether the versions were split from one file.
    pub split: bool,
}

impl DocumentSet {
    /// The version in `lang`, if any.
    pub fn version(&self, lang: &LangTag) -> Option<&Version> {
        self.versions.iter().find(|v| v.lang.same_language(lang))
    }

    /// Pick the source version: the given language, else English when present, else the
    /// version with the most paragraphs (the first of equals).
    pub fn source_index(&self, source_lang: Option<&LangTag>) -> Option<usize> {
        if let Some(l) = source_lang {
            return self.versions.iter().position(|v| v.lang.same_language(l));
        }
        if let Some(i) = self.versions.iter().position(|v| v.lang.language() == "en") {
            return Some(i);
        }
        let most = self.versions.iter().map(|v| v.doc.paragraphs.len()).max()?;
        self.versions
            .iter()
            .position(|v| v.doc.paragraphs.len() == most)
    }
}

/// Where a document's versions live, for naming the file a missing language should have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The path of a version with `{lang}` where its language stands
    /// (`docs/{lang}/guide.md`, `faq.{lang}.md`); `None` for a page split by language.
    pub template: Option<String>,
    /// The languages the document's neighbours have (the documents beside it with two or more
    /// versions): what a project without declared languages is expected to have.
    pub neighbours: Vec<LangTag>,
}

impl Placement {
    /// The path where the version in `lang` is expected.
    pub fn expected_path(&self, lang: &LangTag) -> Option<String> {
        self.template
            .as_ref()
            .map(|t| t.replace("{lang}", lang.as_str()))
    }
}

/// What the walk found: document sets, and paths that gave none.
#[derive(Debug, Default)]
pub struct Collection {
    /// Document sets in a stable order.
    pub sets: Vec<DocumentSet>,
    /// Errors not tied to a set (a missing path, an unreadable folder, a FIFO).
    pub errors: Vec<Error>,
    /// Things skipped that a user should hear about, which do not fail the run (a file of a
    /// format paralign does not read beside the versions, a symbolic link loop).
    pub warnings: Vec<Error>,
    /// Where each document (by id) lives.
    pub placements: BTreeMap<String, Placement>,
}

/// A path pattern with `{lang}` a project declares.
#[derive(Debug, Clone)]
struct Pattern {
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
        let id = match c.name("name").or(c.name("path")) {
            Some(n) => strip_ext(n.as_str()).to_string(),
            None => {
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
fn strip_ext(p: &str) -> &str {
    match p.rsplit_once('.') {
        Some((a, b)) if !b.contains('/') && !a.is_empty() && !a.ends_with('/') => a,
        _ => p,
    }
}

/// How a project lays out its versions: declared path patterns, include and exclude globs
/// and languages. The default finds the common layouts by themselves.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    patterns: Vec<Pattern>,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
    languages: Vec<LangTag>,
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

/// How to walk and what to read.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// The project's root (the folder of `paralign.toml`): patterns and globs are relative to
    /// it, and a symbolic link leaving it is not followed.
    pub root: Option<PathBuf>,
    /// The layout.
    pub layout: Layout,
    /// Follow symbolic links that leave the project.
    pub follow_links: bool,
    /// The largest file read, in bytes.
    pub max_file_size: u64,
    /// A file named alone brings its whole document (its source and other versions).
    pub whole_documents: bool,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            root: None,
            layout: Layout::default(),
            follow_links: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            whole_documents: false,
        }
    }
}

/// Find the language versions under the given paths, files named alone read as they are.
pub fn collect(paths: &[PathBuf]) -> Collection {
    collect_with(paths, &WalkOptions::default())
}

/// Why a file was found: named on the command line, found under a folder named there, or
/// found around a named file only to find its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Origin {
    Context,
    Walked,
    Named,
}

/// A file found.
#[derive(Debug, Clone)]
struct Item {
    /// The path as shown (as named, or as the walk found it).
    path: PathBuf,
    /// The path relative to the project root, `/`-separated, when under it.
    rel: Option<String>,
    origin: Origin,
    /// The walk it came from (for naming documents relative to it).
    base: PathBuf,
}

/// Where one file of a document goes.
#[derive(Debug, Clone)]
struct Placed {
    lang: LangTag,
    /// The document's key: its template without the extension.
    key: String,
    /// The path with `{lang}`.
    template: String,
    /// Neighbours: documents of one scope share their languages.
    scope: String,
    /// The document's name.
    id: String,
    /// The folder added to the name where two documents share one.
    prefix: String,
}

/// Find the language versions under the given paths.
pub fn collect_with(paths: &[PathBuf], opts: &WalkOptions) -> Collection {
    let mut out = Collection::default();
    let root_abs = opts.root.as_ref().and_then(|r| absolute(r));
    let mut items: Vec<Item> = Vec::new();
    let mut context_roots: Vec<PathBuf> = Vec::new();
    let mut walked_dirs: Vec<PathBuf> = Vec::new();
    for path in paths {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                out.errors.push(Error::from(e).with_path(path));
                continue;
            }
        };
        if let Some(e) = special(path) {
            out.errors.push(e);
            continue;
        }
        if meta.is_dir() {
            walked_dirs.push(path.clone());
            let boundary = boundary_for(path, root_abs.as_deref());
            let found = walk(path, &boundary, opts, &mut out);
            for f in found {
                items.push(Item {
                    rel: rel_to(&f, root_abs.as_deref()),
                    path: f,
                    origin: Origin::Walked,
                    base: path.clone(),
                });
            }
            continue;
        }
        if !meta.is_file() {
            out.errors.push(
                Error::input(format!(
                    "not a regular file ({}): paralign reads only regular files",
                    file_kind(&meta)
                ))
                .with_path(path),
            );
            continue;
        }
        if !has_document_extension(path) {
            out.errors.push(unknown_extension(path));
            continue;
        }
        if let Some(e) = link_leaves(path, root_abs.as_deref(), opts.follow_links) {
            out.errors.push(e);
            continue;
        }
        if path.to_str().is_none() {
            out.errors.push(not_utf8(path));
            continue;
        }
        if let Some(e) = control_in_name(path) {
            out.errors.push(e);
            continue;
        }
        if opts.whole_documents {
            let ctx = context_root(path, opts.root.as_deref());
            if !context_roots.contains(&ctx) {
                context_roots.push(ctx);
            }
        }
        items.push(Item {
            rel: rel_to(path, root_abs.as_deref()),
            path: path.clone(),
            origin: Origin::Named,
            base: path.parent().map(Path::to_path_buf).unwrap_or_default(),
        });
    }
    // The folders around named files: read only to find their documents' other versions.
    for ctx in context_roots {
        let boundary = boundary_for(&ctx, root_abs.as_deref());
        let mut quiet = Collection::default();
        for f in walk(&ctx, &boundary, opts, &mut quiet) {
            let f = f.strip_prefix(".").map(Path::to_path_buf).unwrap_or(f);
            items.push(Item {
                rel: rel_to(&f, root_abs.as_deref()),
                path: f,
                origin: Origin::Context,
                base: ctx.clone(),
            });
        }
    }
    let items = dedupe(items);
    let (docs, strays): (Vec<Item>, Vec<Item>) = items
        .into_iter()
        .partition(|i| has_document_extension(&i.path));
    let lang_dirs = language_folders(&docs, &opts.layout.languages);

    // Place every file; group by document.
    let mut groups: BTreeMap<String, Vec<(Item, Placed)>> = BTreeMap::new();
    let mut pages: Vec<PathBuf> = Vec::new();
    let mut bases_placed: BTreeSet<PathBuf> = BTreeSet::new();
    for item in docs {
        match place(&item, &opts.layout, &lang_dirs) {
            Some(p) => {
                if item.origin == Origin::Walked {
                    bases_placed.insert(item.base.clone());
                }
                groups.entry(p.key.clone()).or_default().push((item, p))
            }
            None => match item.origin {
                Origin::Named => {
                    if let Some(e) = name_hint(&item.path) {
                        out.errors.push(e);
                    } else {
                        pages.push(item.path)
                    }
                }
                Origin::Walked => {
                    if let Some(e) = name_hint(&item.path) {
                        out.warnings.push(e);
                    }
                }
                Origin::Context => {}
            },
        }
    }
    for s in strays.iter().filter(|s| s.origin == Origin::Walked) {
        let tagged = place_by_name_or_folder(s, &lang_dirs).is_some();
        if tagged {
            out.warnings.push(
                Error::input(format!(
                    "not read: paralign reads {} files, and this looks like a language version",
                    formats_list()
                ))
                .with_path(&s.path),
            );
        }
    }

    for dir in &walked_dirs {
        if !bases_placed.contains(dir) {
            out.errors.push(
                Error::input(
                    "no language versions here: name files NAME.LANG.EXT (statement.en.txt, statement.es.txt) or keep one folder per language (en/statement.txt, es/statement.txt)",
                )
                .with_path(dir),
            );
        }
    }
    // The languages of each scope's documents with two or more versions.
    let mut scope_langs: BTreeMap<String, BTreeSet<LangTag>> = BTreeMap::new();
    for files in groups.values() {
        let langs: BTreeSet<LangTag> = files.iter().map(|(_, p)| p.lang.clone()).collect();
        if langs.len() >= 2 {
            scope_langs
                .entry(files[0].1.scope.clone())
                .or_default()
                .extend(langs);
        }
    }
    // Only documents with a file named or walked are checked.
    groups.retain(|_, files| files.iter().any(|(i, _)| i.origin != Origin::Context));

    // A document is named by its name alone, so that `check docs` and `check docs/statement`
    // (and the memory) agree; its folder is added only where two documents share a name.
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    for files in groups.values() {
        *ids.entry(files[0].1.id.clone()).or_default() += 1;
    }
    // Documents in the order of their paths (with `{lang}`: whichever versions exist).
    let mut groups: Vec<Vec<(Item, Placed)>> = groups.into_values().collect();
    groups.sort_by_cached_key(|files| files[0].1.template.clone());
    for mut files in groups {
        let first = files[0].1.clone();
        let id = if ids.get(&first.id).copied().unwrap_or(0) > 1 && !first.prefix.is_empty() {
            format!("{}/{}", first.prefix, first.id)
        } else {
            first.id.clone()
        };
        files.sort_by(|a, b| a.1.lang.cmp(&b.1.lang).then(a.0.path.cmp(&b.0.path)));
        let mut set = DocumentSet {
            id: id.clone(),
            versions: Vec::new(),
            errors: Vec::new(),
            split: false,
        };
        let mut langs_seen: Vec<LangTag> = Vec::new();
        for (item, placed) in files {
            if let Some(l) = langs_seen.iter().find(|l| l.same_language(&placed.lang)) {
                set.errors.push(
                    Error::input(format!(
                        "a second {l} version of `{id}`: keep one file per language"
                    ))
                    .with_path(&item.path),
                );
                continue;
            }
            langs_seen.push(placed.lang.clone());
            match read_document(&item.path, opts.max_file_size) {
                Ok(mut doc) => {
                    doc.lang = Some(placed.lang.clone());
                    set.versions.push(Version {
                        lang: placed.lang,
                        doc,
                        origin: None,
                    });
                }
                Err(e) => set.errors.push(e),
            }
        }
        out.placements.insert(
            id,
            Placement {
                template: Some(first.template.clone()),
                neighbours: scope_langs
                    .get(&first.scope)
                    .map(|s| s.iter().cloned().collect())
                    .unwrap_or_default(),
            },
        );
        out.sets.push(set);
    }
    for page in pages {
        let id = page
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("document")
            .to_string();
        out.placements.entry(id.clone()).or_insert(Placement {
            template: None,
            neighbours: Vec::new(),
        });
        match read_document(&page, opts.max_file_size) {
            Ok(doc) => out.sets.push(split(id, doc)),
            Err(e) => out.sets.push(DocumentSet {
                id,
                versions: Vec::new(),
                errors: vec![e],
                split: true,
            }),
        }
    }
    out
}

/// Keep each real file once: the first place it was found, or where it was named.
fn dedupe(items: Vec<Item>) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    let mut seen: HashMap<PathBuf, usize> = HashMap::new();
    for item in items {
        let key = std::fs::canonicalize(&item.path).unwrap_or_else(|_| item.path.clone());
        match seen.get(&key) {
            Some(&k) => {
                if item.origin > out[k].origin {
                    out[k] = item;
                }
            }
            None => {
                seen.insert(key, out.len());
                out.push(item);
            }
        }
    }
    out
}

/// The parts of a path as text (`./docs/en/a.md` -> `docs`, `en`, `a.md`).
fn parts(p: &Path) -> Vec<String> {
    p.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| match c {
            std::path::Component::RootDir => String::new(),
            c => c.as_os_str().to_string_lossy().into_owned(),
        })
        .collect()
}

/// Folders that are a language's: `(parent, language folder name)`. A folder named with a
/// language tag counts when a sibling folder is another language's, or when the project
/// declares its language.
fn language_folders(items: &[Item], declared: &[LangTag]) -> BTreeSet<(Vec<String>, String)> {
    let mut by_parent: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    for item in items {
        let ps = parts(&item.path);
        for i in 0..ps.len().saturating_sub(1) {
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
fn place(
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
                // Shown paths keep the way the file was reached.
                let shown = item.path.display().to_string();
                let template = match shown.strip_suffix(rel.as_str()) {
                    Some(head) => format!("{head}{template}"),
                    None => template,
                };
                let prefix = id_prefix(item);
                return Some(Placed {
                    lang,
                    key: format!("pattern{k}:{}", strip_ext(&template)),
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
fn id_prefix(item: &Item) -> String {
    let dir = item.path.parent().unwrap_or(Path::new(""));
    let rel = dir.strip_prefix(&item.base).unwrap_or(dir);
    parts(rel).join("/")
}

/// Place a file by its name (`NAME.LANG.EXT`) or a language folder among its parents.
fn place_by_name_or_folder(
    item: &Item,
    lang_dirs: &BTreeSet<(Vec<String>, String)>,
) -> Option<Placed> {
    let ps = parts(&item.path);
    let name = ps.last()?.clone();
    let by_name = LangTag::from_file_name(&name);
    // The outermost language folder.
    let folder = (0..ps.len().saturating_sub(1))
        .find(|&i| lang_dirs.contains(&(ps[..i].to_vec(), ps[i].clone())))
        .and_then(|i| LangTag::parse(&ps[i]).ok().map(|l| (i, l)));
    let lead = if item.path.starts_with(".") && item.path != Path::new(".") {
        "./"
    } else {
        ""
    };
    let join = |v: &[String]| format!("{lead}{}", v.join("/"));
    match (by_name, folder) {
        // A folder per language, the file named for its language too or not at all.
        (named, Some((i, lang))) if named.as_ref().is_none_or(|(_, l)| l.same_language(&lang)) => {
            let mut t = ps.clone();
            t[i] = "{lang}".into();
            let mut rest = ps[i + 1..].to_vec();
            if let Some((base, _)) = &named {
                let ext = name.rsplit_once('.').map(|x| x.1).unwrap_or("");
                let last = t.len() - 1;
                t[last] = format!("{base}.{{lang}}.{ext}");
                let rl = rest.len() - 1;
                rest[rl] = base.clone();
            } else {
                let rl = rest.len() - 1;
                rest[rl] = strip_ext(&rest[rl]).to_string();
            }
            let template = join(&t);
            Some(Placed {
                lang,
                key: format!("folder:{}", strip_ext(&template)),
                scope: format!("folder:{}", join(&ps[..i])),
                id: rest.join("/"),
                prefix: parts(
                    Path::new(&ps[..i].join("/"))
                        .strip_prefix(&item.base)
                        .unwrap_or(Path::new(&ps[..i].join("/"))),
                )
                .join("/"),
                template,
            })
        }
        (Some((base, lang)), _) => {
            let ext = name.rsplit_once('.').map(|x| x.1).unwrap_or("");
            let dir = &ps[..ps.len() - 1];
            let mut t = dir.to_vec();
            t.push(format!("{base}.{{lang}}.{ext}"));
            let template = join(&t);
            let mut key = dir.to_vec();
            key.push(format!("{base}.{{lang}}"));
            Some(Placed {
                lang,
                key: format!("name:{}", join(&key)),
                scope: format!("name:{}", join(dir)),
                id: base,
                prefix: id_prefix(item),
                template,
            })
        }
        _ => None,
    }
}

/// Common mistakes for language codes: country codes and old or three-letter codes.
const CODE_HINTS: &[(&str, &str)] = &[
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
fn name_hint(path: &Path) -> Option<Error> {
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

/// `.txt, .md and .markdown`.
pub fn formats_list() -> String {
    let e: Vec<String> = EXTENSIONS.iter().map(|e| format!(".{e}")).collect();
    format!(
        "{} and {}",
        e[..e.len() - 1].join(", "),
        e.last().map(String::as_str).unwrap_or_default()
    )
}

fn has_document_extension(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

fn unknown_extension(p: &Path) -> Error {
    Error::input(format!(
        "paralign reads {} files (plain text and Markdown); this is not one of them",
        formats_list()
    ))
    .with_path(p)
}

/// A name with a control character (a newline, an escape) would forge lines in a report or
/// drive a terminal: refused, shown escaped.
fn control_in_name(p: &Path) -> Option<Error> {
    let name = p.file_name()?.to_str()?;
    name.chars().any(char::is_control).then(|| {
        Error::input(format!(
            "the name \"{}\" holds a control character: rename the file",
            name.escape_default()
        ))
        .with_path(p.parent().unwrap_or(Path::new("")))
    })
}

fn not_utf8(p: &Path) -> Error {
    Error::input(format!(
        "the name `{}` is not valid UTF-8: rename the file",
        p.file_name().unwrap_or_default().to_string_lossy()
    ))
    .with_path(p.parent().unwrap_or(Path::new("")))
}

/// What kind of file a non-regular one is.
fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    let _ = meta;
    "not a file"
}

/// Refuse the kernel's pseudo-files (`/proc`, `/sys`, `/dev`): they are not documents and may
/// never end.
fn special(path: &Path) -> Option<Error> {
    let real = std::fs::canonicalize(path).ok()?;
    ["/proc", "/sys", "/dev"]
        .iter()
        .any(|p| real.starts_with(p))
        .then(|| {
            Error::input(format!(
                "{} is a system pseudo-file, not a document",
                real.display()
            ))
            .with_path(path)
        })
}

/// An absolute form of a path, links not resolved.
fn absolute(p: &Path) -> Option<PathBuf> {
    let p = if p.as_os_str().is_empty() {
        Path::new(".")
    } else {
        p
    };
    std::path::absolute(p).ok().map(|a| {
        // Drop `.` parts.
        a.components().collect()
    })
}

/// The path relative to the project root, `/`-separated, when under it.
fn rel_to(p: &Path, root: Option<&Path>) -> Option<String> {
    let root = root?;
    let abs = absolute(p)?;
    let rel = abs.strip_prefix(root).ok()?;
    Some(parts(rel).join("/"))
}

/// The folder a walk stays in: the project root when the path is in it, else the path.
fn boundary_for(path: &Path, root: Option<&Path>) -> PathBuf {
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if let Some(r) = root.and_then(|r| std::fs::canonicalize(r).ok()) {
        if real.starts_with(&r) {
            return r;
        }
    }
    real
}

/// The folder read around a named file to find its document: the project root when the file
/// is in it, else this folder when the file is under it, else the file's grandparent.
fn context_root(file: &Path, root: Option<&Path>) -> PathBuf {
    let abs = absolute(file).unwrap_or_else(|| file.to_path_buf());
    if let Some(r) = root {
        if absolute(r).is_some_and(|ra| abs.starts_with(ra)) {
            return if r.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                r.to_path_buf()
            };
        }
    }
    if absolute(Path::new(".")).is_some_and(|cwd| abs.starts_with(cwd)) {
        return PathBuf::from(".");
    }
    let up = file
        .parent()
        .and_then(Path::parent)
        .unwrap_or(Path::new(""));
    if up.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        up.to_path_buf()
    }
}

/// A named file that is a symbolic link leaving the project (or, without a project, its own
/// folder) is not read unless links are followed.
fn link_leaves(path: &Path, root: Option<&Path>, follow: bool) -> Option<Error> {
    if follow
        || !std::fs::symlink_metadata(path)
            .ok()?
            .file_type()
            .is_symlink()
    {
        return None;
    }
    let target = std::fs::canonicalize(path).ok()?;
    let fence = match root {
        Some(r) => std::fs::canonicalize(r).ok()?,
        None => std::fs::canonicalize(
            path.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new(".")),
        )
        .ok()?,
    };
    (!target.starts_with(&fence)).then(|| {
        Error::input(
            "a symbolic link that leaves the project: not read (pass --follow-links to read it)",
        )
        .with_path(path)
    })
}

/// Walk a folder: regular files in a stable order, `.gitignore`d, hidden and build folders
/// skipped. Links leaving `boundary` are not followed unless asked; loops are reported as
/// warnings, unreadable folders and other files that cannot be read as errors.
fn walk(dir: &Path, boundary: &Path, opts: &WalkOptions, out: &mut Collection) -> Vec<PathBuf> {
    let skipped: Arc<Mutex<Vec<Error>>> = Arc::default();
    let mut b = ignore::WalkBuilder::new(dir);
    b.standard_filters(true)
        .require_git(false)
        .follow_links(true)
        .sort_by_file_name(|a, b| a.cmp(b));
    {
        let fence = boundary.to_path_buf();
        let follow = opts.follow_links;
        let skipped = Arc::clone(&skipped);
        b.filter_entry(move |e| {
            let name = e.file_name();
            if e.depth() > 0 && (name == "target" || name == "node_modules") {
                return false;
            }
            if !e.path_is_symlink() || follow {
                return true;
            }
            let note = |msg: &str| {
                if let Ok(mut s) = skipped.lock() {
                    s.push(Error::input(msg.to_string()).with_path(e.path()));
                }
            };
            match std::fs::canonicalize(e.path()) {
                Ok(t) if t.starts_with(&fence) => true,
                Ok(_) => {
                    note("a symbolic link that leaves the project: not followed (pass --follow-links to read it)");
                    false
                }
                Err(_) => {
                    note("a symbolic link to nothing: skipped");
                    false
                }
            }
        });
    }
    let mut files = Vec::new();
    for r in b.build() {
        match r {
            Ok(e) => {
                let Some(ft) = e.file_type() else { continue };
                if ft.is_dir() {
                    continue;
                }
                let p = e.path();
                if !ft.is_file() {
                    if has_document_extension(p) {
                        let kind = std::fs::metadata(p)
                            .map(|m| file_kind(&m))
                            .unwrap_or("not a file");
                        out.errors.push(
                            Error::input(format!(
                                "not a regular file ({kind}): paralign reads only regular files"
                            ))
                            .with_path(p),
                        );
                    }
                    continue;
                }
                if p.to_str().is_none() {
                    out.errors.push(not_utf8(p));
                    continue;
                }
                if let Some(err) = control_in_name(p) {
                    out.errors.push(err);
                    continue;
                }
                if let Some(err) = special(p) {
                    out.errors.push(err);
                    continue;
                }
                files.push(p.to_path_buf());
            }
            Err(err) => match walk_error(&err) {
                WalkError::Loop(path, ancestor) => out.warnings.push(
                    Error::input(format!(
                        "a symbolic link loop (back to {}): not followed",
                        ancestor.display()
                    ))
                    .with_path(path),
                ),
                WalkError::Io(path, io) => {
                    let msg = match io.kind() {
                        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                        _ => io.to_string(),
                    };
                    let e = Error::input(format!(
                        "cannot read this ({msg}); the rest was still checked"
                    ));
                    out.errors.push(match path {
                        Some(p) => e.with_path(p),
                        None => e,
                    });
                }
                WalkError::Other(path, msg) => {
                    let e = Error::input(msg);
                    out.errors.push(match path {
                        Some(p) => e.with_path(p),
                        None => e,
                    });
                }
            },
        }
    }
    if let Ok(mut s) = skipped.lock() {
        out.warnings.append(&mut s);
    }
    files
}

enum WalkError<'a> {
    Loop(PathBuf, PathBuf),
    Io(Option<PathBuf>, &'a std::io::Error),
    Other(Option<PathBuf>, String),
}

/// What an `ignore` error is, with the path it concerns.
fn walk_error(e: &ignore::Error) -> WalkError<'_> {
    fn go<'a>(e: &'a ignore::Error, path: Option<PathBuf>) -> WalkError<'a> {
        match e {
            ignore::Error::WithPath { path, err } => go(err, Some(path.clone())),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                go(err, path)
            }
            ignore::Error::Loop { ancestor, child } => {
                WalkError::Loop(child.clone(), ancestor.clone())
            }
            ignore::Error::Io(io) => WalkError::Io(path, io),
            ignore::Error::Partial(errs) if !errs.is_empty() => go(&errs[0], path),
            other => WalkError::Other(path, other.to_string()),
        }
    }
    go(e, None)
}

/// Read a document, refusing what is not a regular file or is larger than `max` bytes.
pub fn read_document(path: &Path, max: u64) -> Result<Document> {
    let bytes = read_capped(path, max)?;
    Document::from_bytes(path, &bytes)
}

/// Read a regular file of at most `max` bytes.
pub fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::from(e).with_path(path))?;
    if !meta.is_file() {
        return Err(Error::input(format!(
            "not a regular file ({}): paralign reads only regular files",
            file_kind(&meta)
        ))
        .with_path(path));
    }
    if let Some(e) = special(path) {
        return Err(e);
    }
    let too_big = || {
        Error::input(format!(
            "larger than the {} limit for one file (raise it with --max-file-size)",
            size_text(max)
        ))
        .with_path(path)
    };
    if meta.len() > max {
        return Err(too_big());
    }
    let f = std::fs::File::open(path).map_err(|e| Error::from(e).with_path(path))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    f.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::from(e).with_path(path))?;
    if bytes.len() as u64 > max {
        return Err(too_big());
    }
    Ok(bytes)
}

/// A size for people: `64 MiB`, `1500 bytes`.
pub fn size_text(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    const KIB: u64 = 1024;
    if n >= MIB && n % MIB == 0 {
        format!("{} MiB", n / MIB)
    } else if n >= KIB && n % KIB == 0 {
        format!("{} KiB", n / KIB)
    } else {
        format!("{n} bytes")
    }
}

/// Detect the language of a whole document (by its paragraphs, weighted by their letters).
pub fn detect_document(doc: &Document) -> Option<LangTag> {
    let mut votes: BTreeMap<LangTag, f64> = BTreeMap::new();
    for p in &doc.paragraphs {
        if let Some(g) = detect(p.body()) {
            *votes.entry(g.lang).or_default() += g.letters as f64 * g.confidence.max(0.05);
        }
    }
    votes
        .into_iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(l, _)| l)
}

/// Split a page into one version per language. A paragraph's language, not its position,
/// decides; paragraphs with too little text to tell (separators, links, numbers) go with the
/// paragraph before them.
pub fn split(id: String, doc: Document) -> DocumentSet {
    let guesses: Vec<_> = doc
        .paragraphs
        .iter()
        .map(|p| {
            if p.kind == BlockKind::Separator || p.kind == BlockKind::Code {
                None
            } else {
                detect(p.body())
            }
        })
        .collect();
    // Languages present: confidently detected somewhere, or carrying a good share of the text.
    let total: usize = guesses.iter().flatten().map(|g| g.letters).sum();
    let mut share: BTreeMap<LangTag, (usize, f64)> = BTreeMap::new();
    for g in guesses.iter().flatten() {
        let e = share.entry(g.lang.clone()).or_default();
        e.0 += g.letters;
        e.1 = e.1.max(if g.letters >= 30 { g.confidence } else { 0.0 });
    }
    let mut present: Vec<LangTag> = share
        .iter()
        .filter(|(_, (letters, conf))| *conf >= 0.7 || *letters * 5 >= total.max(1))
        .map(|(l, _)| l.clone())
        .collect();
    if present.is_empty() {
        if let Some(l) = detect_document(&doc) {
            present.push(l);
        }
    }
    let mut assigned: Vec<Option<usize>> = vec![None; doc.paragraphs.len()];
    if present.len() > 1 {
        let refs: Vec<&LangTag> = present.iter().collect();
        for (k, p) in doc.paragraphs.iter().enumerate() {
            if guesses[k].is_some() {
                assigned[k] = detect_among(p.body(), &refs).map(|(i, _)| i);
            }
        }
    } else if !present.is_empty() {
        assigned = vec![Some(0); doc.paragraphs.len()];
    }
    // Fill the gaps from the paragraph before (or after, at the start).
    let first = assigned.iter().flatten().next().copied();
    let mut last = first;
    for a in assigned.iter_mut() {
        match a {
            Some(v) => last = Some(*v),
            None => *a = last,
        }
    }
    // Versions in order of first appearance.
    let mut order: Vec<usize> = Vec::new();
    for a in assigned.iter().flatten() {
        if !order.contains(a) {
            order.push(*a);
        }
    }
    let versions = order
        .into_iter()
        .map(|l| {
            let idx: Vec<usize> = (0..doc.paragraphs.len())
                .filter(|&k| assigned[k] == Some(l))
                .collect();
            let lang = present[l].clone();
            Version {
                doc: doc.subset(&idx, Some(lang.clone())),
                lang,
                origin: Some(idx),
            }
        })
        .collect();
    DocumentSet {
        id,
        versions,
        errors: Vec::new(),
        split: true,
    }
}

/// Read a single file as one version, with its language from the name, the given tag, or
/// detection.
pub fn read_version(path: &Path, lang: Option<&LangTag>) -> Result<Version> {
    let mut doc = Document::read(path)?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let lang = match lang {
        Some(l) => l.clone(),
        None => match LangTag::from_file_name(name) {
            Some((_, l)) => l,
            None => detect_document(&doc).ok_or_else(|| {
                Error::input("cannot tell the language of this file; name it NAME.LANG.txt or pass --source-lang/--target-lang")
                    .with_path(path)
            })?,
        },
    };
    doc.lang = Some(lang.clone());
    Ok(Version {
        lang,
        doc,
        origin: None,
    })
}
