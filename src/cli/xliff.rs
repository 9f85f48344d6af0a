//! `paralign import-xliff FILE.xlf`: a translator's filled XLIFF 2.0 file back into the memory
//! (units whose source text no longer matches the document are refused and named), and with
//! `--write-docs` the updated target documents with the new paragraphs in their places.
//! Exit 0 when every filled unit was taken, 2 when some were refused or a document could not
//! be written (the others are still stored and written).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Args;

use super::export::write_whole;
use super::import_tmx::open_for_writing;
use super::{DbArgs, EXIT_ERROR, EXIT_OK};
use crate::error::{Error, Result};
use crate::exchange::read_xliff;
use crate::language::LangTag;

#[derive(Debug, Args)]
pub(super) struct ImportXliffArgs {
    /// The filled XLIFF 2.0 file (as `paralign export --format xliff` wrote it).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Also write each document's target version with the new paragraphs in their places:
    /// over the file it was imported from, or beside the source as NAME.LANG.EXT.
    #[arg(long)]
    write_docs: bool,
    /// Write the documents into DIR instead (implies --write-docs).
    #[arg(long, value_name = "DIR")]
    docs_dir: Option<PathBuf>,
    #[command(flatten)]
    db: DbArgs,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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

pub(super) fn run(args: ImportXliffArgs) -> Result<i32> {
    let path: &Path = &args.file;
    let file = std::fs::File::open(path).map_err(|e| Error::from(e).with_path(path))?;
    let x = read_xliff(file).map_err(|e| e.with_path(path))?;
    let lang = LangTag::parse(&x.target_lang)
        .map_err(|_| {
            Error::input(format!(
                "the file's trgLang `{}` is not a language tag; it must name the language translated into",
                x.target_lang
            ))
            .with_path(path)
        })?
        .as_str()
        .to_string();
    let mut store = open_for_writing(&args.db)?;
    let report = store.apply_translations(&x, &lang)?;
    println!(
        "imported {} into {}: {} translated into {lang} ({} new in the memory), {} without a translation, {} refused",
        path.display(),
        store.path().display(),
        plural(report.applied.len(), "paragraph", "paragraphs"),
        report.added,
        report.empty,
        report.refused.len()
    );
    let mut failed = !report.refused.is_empty();
    for ((line, col), why) in &report.refused {
        eprintln!("paralign: {}:{line}:{col}: {why}", path.display());
    }
    if args.write_docs || args.docs_dir.is_some() {
        let mut by_doc: BTreeMap<&str, BTreeMap<usize, String>> = BTreeMap::new();
        for (doc, idx, text) in &report.applied {
            by_doc.entry(doc).or_default().insert(*idx, text.clone());
        }
        for (doc, translations) in by_doc {
            let Some(td) = store.target_doc(doc, &lang, &translations)? else {
                continue;
            };
            let dest = td
                .path
                .as_deref()
                .map(PathBuf::from)
                .unwrap_or_else(|| beside(&td.source_path, &lang));
            if td.stale {
                eprintln!(
                    "paralign: {doc}: its {lang} version ({}) is aligned with an earlier source version; run `paralign import` on it, then import the file again to write it",
                    dest.display()
                );
                failed = true;
                continue;
            }
            let dest = match &args.docs_dir {
                Some(dir) => dir.join(dest.file_name().unwrap_or_default()),
                None => dest,
            };
            let mut text = td.paragraphs.join("\n\n");
            text.push('\n');
            write_whole(Some(&dest), |w| {
                w.write_all(text.as_bytes())
                    .map_err(|e| Error::from(e).with_path(&dest))
            })?;
            println!(
                "wrote {}: {}, {} new",
                dest.display(),
                plural(td.paragraphs.len(), "paragraph", "paragraphs"),
                td.replaced
            );
            if dest
                .extension()
                .is_some_and(|e| e == "md" || e == "markdown")
            {
                eprintln!(
                    "paralign: note: {}: written as plain paragraphs; Markdown markup (headings, lists) is not restored",
                    dest.display()
                );
            }
        }
        if !report.applied.is_empty() {
            eprintln!("paralign: note: run `paralign import` on the written documents to align them in the memory");
        }
    }
    Ok(if failed { EXIT_ERROR } else { EXIT_OK })
}
