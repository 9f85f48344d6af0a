//! From paths to sets of language versions.
//!
//! Folders are walked (sorted, hidden entries and build folders skipped) for files named
//! `NAME.LANG.EXT`, grouped by folder and `NAME`. A file named on the command line without a
//! language in its name is read as a page that may hold several language versions and is split
//! by the language of each paragraph. One bad file never stops the batch: its error is kept
//! with the set and the other files are still read. Nothing here prints.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::document::{BlockKind, Document};
use crate::error::{Error, Result};
use crate::language::{detect, detect_among, LangTag};

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

/// What the walk found: document sets, and paths that gave none.
#[derive(Debug, Default)]
pub struct Collection {
    /// Document sets in a stable order.
    pub sets: Vec<DocumentSet>,
    /// Errors not tied to a set (a missing path, a folder with no language versions).
    pub errors: Vec<Error>,
}

/// Files of one document: its id and each file with its language.
type Group = (String, Vec<(PathBuf, LangTag)>);

/// Find the language versions under the given paths.
pub fn collect(paths: &[PathBuf]) -> Collection {
    let mut out = Collection::default();
    // (group key) -> (id, files)
    let mut groups: BTreeMap<(String, String), Group> = BTreeMap::new();
    let mut pages: Vec<PathBuf> = Vec::new();
    for path in paths {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                out.errors.push(Error::from(e).with_path(path));
                continue;
            }
        };
        if meta.is_dir() {
            let mut files = Vec::new();
            if let Err(e) = walk(path, &mut files) {
                out.errors.push(e);
                continue;
            }
            let before = groups.len();
            let mut found = false;
            for f in files {
                let name = f
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default()
                    .to_string();
                if let Some((base, lang)) = LangTag::from_file_name(&name) {
                    found = true;
                    let dir = f.parent().unwrap_or(Path::new("")).to_path_buf();
                    let rel = dir.strip_prefix(path).unwrap_or(&dir).to_path_buf();
                    let id = if rel.as_os_str().is_empty() {
                        base.clone()
                    } else {
                        format!("{}/{}", rel.display(), base)
                    };
                    groups
                        .entry((dir.display().to_string(), base))
                        .or_insert_with(|| (id, Vec::new()))
                        .1
                        .push((f, lang));
                }
            }
            if !found && groups.len() == before {
                out.errors.push(
                    Error::input(
                        "no language versions here: name files NAME.LANG.txt or NAME.LANG.md (statement.en.txt, statement.es.txt)",
                    )
                    .with_path(path),
                );
            }
        } else {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            match LangTag::from_file_name(&name) {
                Some((base, lang)) => groups
                    .entry((String::new(), base.clone()))
                    .or_insert_with(|| (base, Vec::new()))
                    .1
                    .push((path.clone(), lang)),
                None => pages.push(path.clone()),
            }
        }
    }
    // A document is named by NAME alone, so that `check docs` and `check docs/statement` (and
    // the memory) agree; the folder is added only where two documents share a NAME.
    let mut bases: BTreeMap<String, usize> = BTreeMap::new();
    for (_, base) in groups.keys() {
        *bases.entry(base.clone()).or_default() += 1;
    }
    for ((_, base), (id, mut files)) in groups {
        let id = if bases.get(&base).copied().unwrap_or(0) > 1 {
            id
        } else {
            base
        };
        files.sort_by(|a, b| a.1.cmp(&b.1));
        let mut set = DocumentSet {
            id,
            versions: Vec::new(),
            errors: Vec::new(),
            split: false,
        };
        for (path, lang) in files {
            match Document::read(&path) {
                Ok(mut doc) => {
                    doc.lang = Some(lang.clone());
                    set.versions.push(Version {
                        lang,
                        doc,
                        origin: None,
                    });
                }
                Err(e) => set.errors.push(e),
            }
        }
        out.sets.push(set);
    }
    for page in pages {
        let id = page
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("document")
            .to_string();
        match Document::read(&page) {
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

/// Collect the files of a folder, sorted, skipping hidden entries and build output.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::from(e).with_path(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with('.') || name == "target" || name == "node_modules" {
            continue;
        }
        if p.is_dir() {
            walk(&p, out)?;
        } else if matches!(
            p.extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .as_deref(),
            Some("txt" | "md" | "markdown")
        ) {
            out.push(p);
        }
    }
    Ok(())
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
