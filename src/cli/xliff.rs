//! `paralign import-xliff FILE.xlf`: a translator's filled XLIFF file (2.0 or 1.2, told by its
//! root element) back into the memory
//! (units whose source text no longer matches the document are refused and named), and with
//! `--write-docs` the updated target documents with the new paragraphs in their places.
//! Exit 0 when every filled unit was taken, 2 when some were refused or a document could not
//! be written (the others are still stored and written).
//!
//! The memory's document paths are relative to the folder the imports ran in, which the XLIFF
//! export records (`paralign:root`); documents are written there (or under `--root`), never
//! outside it, through symlinks to the file they point to, and atomically with the file's mode
//! and owner kept.

use crate::text::counted;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use clap::{Args, ValueEnum};

use super::import::print_committed;
use super::import_tmx::{open_for_writing, open_input, LimitArgs};
use super::output::replace_file;
use super::{DbArgs, EXIT_ERROR, EXIT_OK};
use crate::error::{Error, Result};
use crate::exchange::{read_xliff_with, ApplyReport, TargetDoc, XliffFile, XliffVersion};
use crate::language::LangTag;
use crate::store::Store;

/// `--xliff-version` of the commands that write XLIFF: one flag with the same name and values
/// for `export --format xliff` and `pretranslate --xliff FILE`, since pretranslate takes a path
/// rather than a format name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub(super) enum XliffVersionArg {
    // No doc comments on the values: clap would then lay out every help page that takes the
    // flag in its long form.
    #[value(name = "1.2")]
    V12,
    #[default]
    #[value(name = "2.0")]
    V20,
}

impl XliffVersionArg {
    /// The version the writers take.
    pub(super) fn version(self) -> XliffVersion {
        match self {
            XliffVersionArg::V12 => XliffVersion::V12,
            XliffVersionArg::V20 => XliffVersion::V20,
        }
    }
}

#[derive(Debug, Args)]
pub(super) struct ImportXliffArgs {
    /// The filled XLIFF file, 2.0 or 1.2 (as `paralign export --format xliff` wrote it, or a CAT
    /// tool gave it back).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Also write each document's target version with the new paragraphs in their places:
    /// over the file it was imported from, or beside the source as NAME.LANG.EXT.
    #[arg(long)]
    write_docs: bool,
    /// Write the documents into DIR instead, made if absent (implies --write-docs).
    #[arg(long, value_name = "DIR")]
    docs_dir: Option<PathBuf>,
    /// The folder the memory's document paths are relative to [default: the one the XLIFF
    /// export recorded]; nothing is written outside it.
    #[arg(long, value_name = "DIR", conflicts_with = "docs_dir")]
    root: Option<PathBuf>,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    db: DbArgs,
}

/// The target's file name beside a source file `NAME.SRC.EXT`: `NAME.LANG.EXT`.
fn beside(source: &str, lang: &str) -> PathBuf {
    let p = Path::new(source);
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let new = match LangTag::from_file_name(&name) {
        Some((stem, _)) => {
            let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("txt");
            format!("{stem}.{lang}.{ext}")
        }
        None => format!("{name}.{lang}.txt"),
    };
    p.with_file_name(new)
}

/// A path with `.` and `..` resolved by its text alone (None when `..` climbs above its start).
fn lexical(p: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    let mut depth = 0usize;
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if depth == 0 {
                    return None;
                }
                out.pop();
                depth -= 1;
            }
            Component::Normal(n) => {
                out.push(n);
                depth += 1;
            }
            Component::RootDir | Component::Prefix(_) => {
                out.push(c.as_os_str());
                depth = 0;
            }
        }
    }
    Some(out)
}

/// Where a document goes: `rel` under `root`, refused when it leaves the root by its text or
/// through a symlink. Returns the real file to replace (a symlink's target).
fn destination(root: &Path, rel: &Path) -> Result<PathBuf> {
    let leaves = |shown: &Path| {
        Error::input(format!(
            "the memory's path `{}` leaves the document root {}; not written (pass --root, or --docs-dir DIR)",
            rel.display(),
            root.display()
        ))
        .with_path(shown)
    };
    let real_root = root.canonicalize().map_err(|e| {
        Error::input(format!(
            "the document root cannot be used ({e}); pass --root DIR, the folder the documents were imported from"
        ))
        .with_path(root)
    })?;
    let joined = lexical(&root.join(rel)).ok_or_else(|| leaves(rel))?;
    let lexical_root = lexical(root).unwrap_or_else(|| root.to_path_buf());
    if !joined.starts_with(&lexical_root) {
        return Err(leaves(&joined));
    }
    let real = match joined.canonicalize() {
        Ok(r) => r,
        Err(_) => {
            let parent = joined.parent().unwrap_or(Path::new("."));
            let name = joined.file_name().ok_or_else(|| leaves(&joined))?;
            parent
                .canonicalize()
                .map_err(|e| Error::from(e).with_path(parent))?
                .join(name)
        }
    };
    if !real.starts_with(&real_root) {
        return Err(leaves(&joined));
    }
    Ok(real)
}

/// The folder the documents are written under with `--write-docs`: `--root`, else the one
/// the file records (None when not writing, or writing to `--docs-dir`).
fn docs_root(
    args: &ImportXliffArgs,
    x: &XliffFile,
    writing: bool,
    path: &Path,
) -> Result<Option<PathBuf>> {
    Ok(match (&args.root, &x.root) {
        _ if !writing || args.docs_dir.is_some() => None,
        (Some(r), _) => Some(r.clone()),
        (None, Some(r)) => Some(PathBuf::from(r)),
        (None, None) => {
            return Err(Error::usage(
                "the XLIFF file does not record the folder its documents are in (an older paralign wrote it); pass --root DIR with --write-docs",
            )
            .with_path(path))
        }
    })
}

/// The file's target language, as a tag.
fn target_lang(x: &XliffFile, path: &Path) -> Result<String> {
    Ok(LangTag::parse(&x.target_lang)
        .map_err(|_| {
            Error::input(format!(
                "the file's target language (trgLang, or target-language in 1.2) `{}` is not a language tag; it must name the language translated into",
                x.target_lang
            ))
            .with_path(path)
        })?
        .as_str()
        .to_string())
}

/// Write the documents the applied translations belong to (`--write-docs`, `--docs-dir`);
/// returns whether one could not be written (said on standard error).
fn write_docs(
    store: &Store,
    report: &ApplyReport,
    lang: &str,
    docs_dir: Option<&Path>,
    root: Option<&Path>,
) -> Result<bool> {
    let mut failed = false;
    let mut by_doc: BTreeMap<&str, BTreeMap<usize, String>> = BTreeMap::new();
    for (doc, idx, text) in &report.applied {
        by_doc.entry(doc).or_default().insert(*idx, text.clone());
    }
    for (doc, translations) in by_doc {
        let Some(td) = store.target_doc(doc, lang, &translations)? else {
            continue;
        };
        if !write_doc(store, &td, lang, docs_dir, root)? {
            failed = true;
        }
    }
    if !report.applied.is_empty() {
        eprintln!("paralign: note: run `paralign import` on the written documents to align them in the memory");
    }
    Ok(failed)
}

/// Write one rebuilt document; false when it could not be (said on standard error).
fn write_doc(
    store: &Store,
    td: &TargetDoc,
    lang: &str,
    docs_dir: Option<&Path>,
    root: Option<&Path>,
) -> Result<bool> {
    let doc = &td.document;
    let dest = td
        .path
        .as_deref()
        .map(PathBuf::from)
        .unwrap_or_else(|| beside(&td.source_path, lang));
    if td.stale {
        eprintln!(
            "paralign: {doc}: its {lang} version ({}) is aligned with an earlier source version; run `paralign import` on it, then import the file again to write it",
            dest.display()
        );
        return Ok(false);
    }
    let (dest, real) = match (docs_dir, root) {
        (Some(dir), _) => {
            let d = dir.join(dest.file_name().unwrap_or_default());
            let real = d.canonicalize().unwrap_or_else(|_| d.clone());
            (d, real)
        }
        (None, Some(root)) => match destination(root, &dest) {
            Ok(real) => (root.join(&dest), real),
            Err(e) => {
                eprintln!("paralign: {e}");
                return Ok(false);
            }
        },
        (None, None) => return Err(Error::usage("--write-docs needs --root DIR")),
    };
    if !crate::document::Format::from_path(&dest).is_plain() {
        eprintln!(
            "paralign: {}: paralign writes only .txt and .md documents; the translations are in the memory (`paralign export`)",
            dest.display()
        );
        return Ok(false);
    }
    let mut text = td.paragraphs.join("\n\n");
    text.push('\n');
    replace_file(&real, &dest, |w| {
        w.write_all(text.as_bytes())
            .map_err(|e| Error::from(e).with_path(&dest))
    })?;
    print_committed(
        &format!(
            "wrote {}: {}, {} new\n",
            dest.display(),
            counted(td.paragraphs.len(), "paragraph", "paragraphs"),
            td.replaced
        ),
        store.path(),
    )?;
    if dest
        .extension()
        .is_some_and(|e| e == "md" || e == "markdown")
    {
        eprintln!(
            "paralign: note: {}: written as plain paragraphs; Markdown markup (headings, lists) is not restored",
            dest.display()
        );
    }
    Ok(true)
}

pub(super) fn run(args: ImportXliffArgs) -> Result<i32> {
    let path: &Path = &args.file;
    let limits = args.limits.limits()?;
    let file = open_input(path, "xlf")?;
    let x = read_xliff_with(file, limits).map_err(|e| e.with_path(path))?;
    let writing = args.write_docs || args.docs_dir.is_some();
    let root = docs_root(&args, &x, writing, path)?;
    let lang = target_lang(&x, path)?;
    if let Some(dir) = &args.docs_dir {
        // Made before the memory is written, so that a folder that cannot be made stops the
        // import with nothing changed.
        std::fs::create_dir_all(dir).map_err(|e| Error::from(e).with_path(dir))?;
    }
    let mut store = open_for_writing(&args.db)?;
    let report = store.apply_translations(&x, &lang)?;
    print_committed(
        &format!(
            "imported {} into {}: {} translated into {lang} ({} new in the memory), {} without a translation, {} refused\n",
            path.display(),
            store.path().display(),
            counted(report.applied.len(), "paragraph", "paragraphs"),
            report.added,
            report.empty,
            report.refused.len()
        ),
        store.path(),
    )?;
    store.train_word_models()?;
    let mut failed = !report.refused.is_empty();
    for ((line, col), why) in &report.refused {
        eprintln!("paralign: {}:{line}:{col}: {why}", path.display());
    }
    if writing {
        let dir = args.docs_dir.as_deref();
        failed |= write_docs(&store, &report, &lang, dir, root.as_deref())?;
    }
    Ok(if failed { EXIT_ERROR } else { EXIT_OK })
}
