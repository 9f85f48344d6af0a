//! Reading what the walk found: each document's versions (one file per language, a warning
//! where a file's declared direction contradicts its script), a page with several languages
//! split by the language of each paragraph, and a single file read as one version.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::document::{BlockKind, Direction, Document};
use crate::error::{Error, Result};
use crate::language::{detect, detect_among, LangTag};

use super::walk::read_document;
use super::{
    parts, Collection, DocumentSet, Groups, Item, Placed, Placement, Version, WalkOptions,
    DEFAULT_MAX_FILE_SIZE,
};

/// Read every document's versions into `out.sets`, with their placements.
pub(super) fn read_sets(
    groups: Groups,
    scope_langs: &BTreeMap<String, BTreeSet<LangTag>>,
    opts: &WalkOptions,
    out: &mut Collection,
) {
    // A document is named by its name alone, so that `check docs` and `check docs/statement`
    // (and the memory) agree; its folder is added only where two documents share a name.
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    for files in groups.values() {
        *ids.entry(files[0].1.id.clone()).or_default() += 1;
    }
    // Documents in the order of their paths (with `{lang}`: whichever versions exist).
    let mut groups: Vec<Vec<(Item, Placed)>> = groups.into_values().collect();
    groups.sort_by_cached_key(|files| files[0].1.template.clone());
    for files in groups {
        let first = files[0].1.clone();
        let id = if ids.get(&first.id).copied().unwrap_or(0) > 1 {
            // The folder relative to the walk, else the folder as shown.
            let prefix = if first.prefix.is_empty() {
                let t = Path::new(&first.template);
                parts(t.parent().unwrap_or(Path::new(""))).join("/")
            } else {
                first.prefix.clone()
            };
            if prefix.is_empty() {
                first.id.clone()
            } else {
                format!("{prefix}/{}", first.id)
            }
        } else {
            first.id.clone()
        };
        out.placements.insert(
            id.clone(),
            Placement {
                template: Some(first.template.clone()),
                neighbours: scope_langs
                    .get(&first.scope)
                    .map(|s| s.iter().cloned().collect())
                    .unwrap_or_default(),
            },
        );
        out.sets.push(read_set(id, files, opts, &mut out.warnings));
    }
}

/// Read one document's versions; a version whose declared direction contradicts its script
/// is a warning.
fn read_set(
    id: String,
    mut files: Vec<(Item, Placed)>,
    opts: &WalkOptions,
    warnings: &mut Vec<Error>,
) -> DocumentSet {
    files.sort_by(|a, b| a.1.lang.cmp(&b.1.lang).then(a.0.path.cmp(&b.0.path)));
    let mut set = DocumentSet {
        id,
        versions: Vec::new(),
        errors: Vec::new(),
        split: false,
    };
    // pt-BR beside pt-PT is two versions; guide.en.md beside guide.en.txt is one twice: the
    // first file of each language is read, all of them at once.
    let mut langs_seen: Vec<&LangTag> = Vec::new();
    let second: Vec<bool> = files
        .iter()
        .map(|(_, placed)| {
            let seen = langs_seen.contains(&&placed.lang);
            langs_seen.push(&placed.lang);
            seen
        })
        .collect();
    let paths: Vec<&Path> = files
        .iter()
        .zip(&second)
        .filter(|(_, &second)| !second)
        .map(|((item, _), _)| item.path.as_path())
        .collect();
    let mut read = read_all(&paths, opts.max_file_size).into_iter();
    for ((item, placed), second) in files.into_iter().zip(second) {
        if second {
            set.errors.push(
                Error::input(format!(
                    "a second {} version of `{}`: keep one file per language",
                    placed.lang, set.id
                ))
                .with_path(&item.path),
            );
            continue;
        }
        let Some(result) = read.next() else { break };
        match result {
            Ok(mut doc) => {
                doc.lang = Some(placed.lang.clone());
                warnings.extend(direction_warning(&doc, &item.path));
                set.versions.push(Version {
                    lang: placed.lang,
                    doc,
                    origin: None,
                });
            }
            Err(e) => set.errors.push(e),
        }
    }
    set
}

/// Read the documents at `paths`, in order, on every core (reading a long document is mostly
/// parsing it).
fn read_all(paths: &[&Path], max: u64) -> Vec<Result<Document>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
        .min(paths.len());
    if threads < 2 {
        return paths.iter().map(|p| read_document(p, max)).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, Result<Document>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(path) = paths.get(k) else { break };
                        mine.push((k, read_document(path, max)));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    done.sort_by_key(|(k, _)| *k);
    done.into_iter().map(|(_, r)| r).collect()
}

/// A warning for a document whose declared direction its script contradicts: a browser would
/// lay its text out backwards. One per file, never a finding: the translation is not at fault,
/// and a page that mixes scripts (under [`crate::document::DIRECTION_SHARE`] of either) is
/// left alone.
fn direction_warning(doc: &Document, path: &Path) -> Option<Error> {
    let (declared, line, script) = doc.direction_conflict()?;
    let runs = |d: Direction| match d {
        Direction::Ltr => "left to right",
        Direction::Rtl => "right to left",
    };
    Some(
        Error::input(format!(
            "dir=\"{}\" says the text runs {}, but it is written in a script that runs {}: a browser lays it out backwards; write dir=\"{}\"",
            declared.as_str(),
            runs(declared),
            runs(script),
            script.as_str()
        ))
        .with_path(path)
        .with_line(line),
    )
}

/// Read the named pages (files with no language in their path), each split by language.
pub(super) fn read_pages(pages: Vec<PathBuf>, opts: &WalkOptions, out: &mut Collection) {
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
    let mut doc = read_document(path, DEFAULT_MAX_FILE_SIZE)?;
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
