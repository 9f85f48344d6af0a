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

mod layout;
mod read;
mod walk;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::document::Document;
use crate::error::Error;
use crate::language::LangTag;

pub use layout::Layout;
use layout::{language_folders, name_hint, place, place_by_name_or_folder};
pub use read::{detect_document, read_version, split};
use read::{read_pages, read_sets};
use walk::{
    absolute, boundary_for, context_root, control_in_name, file_kind, has_document_extension,
    link_leaves, not_utf8, rel_to, special, unknown_extension, walk,
};
pub use walk::{formats_list, read_capped, read_document, size_text};

/// The extensions of the documents paralign reads.
pub const EXTENSIONS: &[&str] = &["txt", "md", "markdown", "html", "htm", "docx", "odt"];

/// The extensions of XLIFF files: found here, read by the caller (`exchange` reads XLIFF) as
/// a document pair.
pub const XLIFF_EXTENSIONS: &[&str] = &["xlf", "xliff"];

/// Whether a path names an XLIFF file (by its extension).
pub fn is_xliff(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| XLIFF_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

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
    /// XLIFF files named or found under a folder named, in a stable order: each a document
    /// pair the caller reads (`exchange::linked_set`).
    pub xliff: Vec<PathBuf>,
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
    /// The parts of its absolute path: files reached by different paths (`docs/a.md`,
    /// `../docs/a.md`, `/work/docs/a.md`) are placed alike.
    abs: Vec<String>,
    /// How many of `abs`'s parts lie above the project (the folder of paralign.toml, else this
    /// folder): they are never a language's folder (a project kept under `/home/es/` is not
    /// Spanish).
    floor: usize,
}

impl Item {
    fn new(path: PathBuf, root: Option<&Path>, origin: Origin, base: PathBuf) -> Item {
        let abs = absolute(&path).unwrap_or_else(|| path.clone());
        let top = [root.map(Path::to_path_buf), absolute(Path::new("."))]
            .into_iter()
            .flatten()
            .find(|r| abs.starts_with(r))
            .or_else(|| absolute(&base).and_then(|a| a.parent().map(Path::to_path_buf)));
        Item {
            rel: rel_to(&path, root),
            floor: top.map(|t| parts(&t).len()).unwrap_or(0),
            abs: parts(&abs),
            path,
            origin,
            base,
        }
    }
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
    let (items, walked_dirs) = gather(paths, opts, root_abs.as_deref(), &mut out);
    let items = dedupe(items);
    // XLIFF files found by the walk go to the caller, which reads them as document pairs.
    let (xliff, items): (Vec<Item>, Vec<Item>) = items
        .into_iter()
        .partition(|i| i.origin == Origin::Walked && is_xliff(&i.path));
    let mut bases_placed: BTreeSet<PathBuf> = BTreeSet::new();
    for x in xliff {
        bases_placed.insert(x.base.clone());
        out.xliff.push(x.path);
    }
    let (docs, strays): (Vec<Item>, Vec<Item>) = items
        .into_iter()
        .partition(|i| has_document_extension(&i.path));
    let lang_dirs = language_folders(&docs, &opts.layout.languages);
    let (mut groups, pages) = place_all(docs, opts, &lang_dirs, &mut bases_placed, &mut out);
    warn_strays(&strays, &lang_dirs, &mut out);
    for dir in walked_dirs.iter().filter(|d| !bases_placed.contains(*d)) {
        out.errors.push(
            Error::input(
                "no language versions here: name files NAME.LANG.EXT (statement.en.txt, statement.es.txt) or keep one folder per language (en/statement.txt, es/statement.txt)",
            )
            .with_path(dir),
        );
    }
    let scope_langs = scope_languages(&groups);
    // Only documents with a file named or walked are checked.
    groups.retain(|_, files| files.iter().any(|(i, _)| i.origin != Origin::Context));
    read_sets(groups, &scope_langs, opts, &mut out);
    read_pages(pages, opts, &mut out);
    out
}

/// The files under the paths given: those named, those under the folders named, and those
/// around named files (to find their documents' other versions); and the folders walked.
fn gather(
    paths: &[PathBuf],
    opts: &WalkOptions,
    root_abs: Option<&Path>,
    out: &mut Collection,
) -> (Vec<Item>, Vec<PathBuf>) {
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
            let boundary = boundary_for(path, root_abs);
            for f in walk(path, &boundary, opts, out) {
                items.push(Item::new(f, root_abs, Origin::Walked, path.clone()));
            }
            continue;
        }
        if let Some(item) = named_file(path, &meta, opts, root_abs, out) {
            // Only a file that may have other versions needs its surroundings read.
            let may_have_versions = !opts.layout.patterns.is_empty()
                || parts(path)
                    .iter()
                    .any(|p| LangTag::parse(p).is_ok() || LangTag::from_file_name(p).is_some());
            if opts.whole_documents && may_have_versions {
                let ctx = context_root(path, opts.root.as_deref());
                if !context_roots.contains(&ctx) {
                    context_roots.push(ctx);
                }
            }
            items.push(item);
        }
    }
    // The folders around named files: read only to find their documents' other versions.
    for ctx in context_roots {
        let boundary = boundary_for(&ctx, root_abs);
        let mut quiet = Collection::default();
        for f in walk(&ctx, &boundary, opts, &mut quiet) {
            let f = f.strip_prefix(".").map(Path::to_path_buf).unwrap_or(f);
            items.push(Item::new(f, root_abs, Origin::Context, ctx.clone()));
        }
    }
    (items, walked_dirs)
}

/// A file named on the command line, if it is one to read as a document (an XLIFF file goes
/// to `out.xliff`; one that cannot be read is an error in `out`).
fn named_file(
    path: &Path,
    meta: &std::fs::Metadata,
    opts: &WalkOptions,
    root_abs: Option<&Path>,
    out: &mut Collection,
) -> Option<Item> {
    let refused = if !meta.is_file() {
        Some(
            Error::input(format!(
                "not a regular file ({}): paralign reads only regular files",
                file_kind(meta)
            ))
            .with_path(path),
        )
    } else if is_xliff(path) {
        out.xliff.push(path.to_path_buf());
        return None;
    } else if !has_document_extension(path) {
        Some(unknown_extension(path))
    } else if let Some(e) = link_leaves(path, root_abs, opts.follow_links) {
        Some(e)
    } else if path.to_str().is_none() {
        Some(not_utf8(path))
    } else {
        control_in_name(path)
    };
    if let Some(e) = refused {
        out.errors.push(e);
        return None;
    }
    Some(Item::new(
        path.to_path_buf(),
        root_abs,
        Origin::Named,
        path.parent().map(Path::to_path_buf).unwrap_or_default(),
    ))
}

/// The files of each document, by its key.
type Groups = BTreeMap<String, Vec<(Item, Placed)>>;

/// The language folders found (see `layout::language_folders`).
type LangDirs = BTreeSet<(Vec<String>, String)>;

/// The documents' files, grouped by document, and the named files that are pages (no
/// language in their path); the folders whose files were placed go into `bases_placed`.
fn place_all(
    docs: Vec<Item>,
    opts: &WalkOptions,
    lang_dirs: &LangDirs,
    bases_placed: &mut BTreeSet<PathBuf>,
    out: &mut Collection,
) -> (Groups, Vec<PathBuf>) {
    let mut groups: Groups = BTreeMap::new();
    let mut pages: Vec<PathBuf> = Vec::new();
    for item in docs {
        match place(&item, &opts.layout, lang_dirs) {
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
    (groups, pages)
}

/// A walked file of a format paralign does not read that looks like a language version.
fn warn_strays(strays: &[Item], lang_dirs: &LangDirs, out: &mut Collection) {
    for s in strays.iter().filter(|s| s.origin == Origin::Walked) {
        let tagged = place_by_name_or_folder(s, lang_dirs).is_some();
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
}

/// The languages of each scope's documents with two or more versions.
fn scope_languages(groups: &Groups) -> BTreeMap<String, BTreeSet<LangTag>> {
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
    scope_langs
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
