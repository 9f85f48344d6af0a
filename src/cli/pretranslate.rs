//! `paralign pretranslate FILE --to LANG -o OUT`: a draft translation of a new document in its
//! own format (plain text or Markdown), with every exact match from the translation memory
//! filled in, fuzzy matches of at least `--min-match` filled in and marked `[fuzzy NN%]` for
//! review (a mark `paralign check` reports), and the other paragraphs left in the source and
//! listed. A paragraph with no match of its own is also filled when each of its sentences has
//! one among the memory's sentence segments. The draft is written whole or not at all; the
//! report on standard output is written by `report::memory::pretranslate`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::analyze::translatable;
use super::import::open_for_lookup;
use super::leverage::paragraph_best;
use super::lookup::{target_langs, Matcher};
use super::xliff::XliffVersionArg;
use super::{emit, lang_flag, DbArgs, EXIT_OK};
use crate::collect::read_version;
use crate::document::{decode, Document};
use crate::error::{Error, Result};
use crate::exchange::{Draft, TodoDoc, TodoParagraph, TodoState, XliffHeader, XliffWriter};
use crate::report::memory::pretranslate::{write_json, write_text, Entry, Summary};
use crate::reuse::{draft, Fill};

/// Formats of the report on standard output (the draft goes to OUT).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum PretranslateFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub(super) struct PretranslateArgs {
    /// The new source document (NAME.LANG.txt or .md; else give --from).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The language to translate into.
    #[arg(long, value_name = "LANG")]
    to: String,
    /// The document's language [default: from its name, else detected].
    #[arg(long, value_name = "LANG")]
    from: Option<String>,
    /// Write the draft to OUT (same format as FILE).
    #[arg(short, long, value_name = "OUT")]
    output: PathBuf,
    /// Fill fuzzy matches of at least N percent (marked for review); 100 fills exact matches only.
    #[arg(long, value_name = "N", default_value_t = 75, value_parser = clap::value_parser!(u8).range(50..=100))]
    min_match: u8,
    /// Also write the same as XLIFF for a CAT tool: every paragraph a unit, exact matches as
    /// translated targets, fuzzy ones as targets to revise (with their match), the rest to do.
    #[arg(long, value_name = "FILE")]
    xliff: Option<PathBuf>,
    /// The XLIFF version of --xliff: 1.2 for most CAT tools [default: 2.0].
    #[arg(long, value_enum, value_name = "VERSION", requires = "xliff")]
    xliff_version: Option<XliffVersionArg>,
    /// Format of the report on standard output.
    #[arg(long, value_enum, default_value_t = PretranslateFormat::Text)]
    format: PretranslateFormat,
    #[command(flatten)]
    db: DbArgs,
}
/// What a paragraph was filled with: the percentage used and whether sentence by sentence.
type FillInfo = (Option<u8>, bool);

/// Decide each paragraph's fill, by [`paragraph_best`] (the decision `analyze` counts by).
fn fills(matcher: &Matcher, doc: &Document, min: u8) -> Result<(Vec<Fill>, Vec<FillInfo>)> {
    let mut out = Vec::with_capacity(doc.paragraphs.len());
    let mut info = Vec::with_capacity(doc.paragraphs.len());
    for p in &doc.paragraphs {
        if !translatable(p.kind) {
            out.push(Fill::Keep);
            info.push((None, false));
            continue;
        }
        let best = paragraph_best(matcher, &p.text, min)?
            .pop()
            .unwrap_or_default();
        let fill = match (best.percent, best.target) {
            (Some(100), Some(target)) => Fill::Exact(target),
            (Some(percent), Some(target)) => Fill::Fuzzy { target, percent },
            _ => Fill::Keep,
        };
        let filled = !matches!(fill, Fill::Keep);
        out.push(fill);
        info.push(if filled {
            (best.percent, best.by_sentence)
        } else {
            (None, false)
        });
    }
    Ok((out, info))
}

pub(super) fn run(args: PretranslateArgs) -> Result<i32> {
    let langs = target_langs(&args.to)?;
    if langs.len() != 1 {
        return Err(Error::usage(
            "--to: pretranslate makes one language at a time",
        ));
    }
    let from = lang_flag(args.from.as_deref(), "--from")?;
    let version = read_version(&args.file, from.as_ref())?;
    if !version.doc.format.is_plain() {
        return Err(Error::usage(
            "pretranslate writes drafts of .txt and .md files; save this document as text or Markdown first",
        )
        .with_path(&args.file));
    }
    let bytes = std::fs::read(&args.file).map_err(|e| Error::from(e).with_path(&args.file))?;
    let text = decode(&bytes).map_err(|e| e.with_path(&args.file))?;
    let store = open_for_lookup(&args.db)?;
    let matcher = Matcher {
        store: &store,
        path: Some(store.path().to_path_buf()),
        source_lang: Some(version.lang.to_string()),
        target_langs: langs.clone(),
    };
    let doc = &version.doc;
    let (fills, info) = fills(&matcher, doc, args.min_match)?;
    let (draft_text, filled) = draft(&text, doc, &fills);
    emit(Some(&args.output), |w| w.write_all(draft_text.as_bytes()))?;
    if let Some(path) = &args.xliff {
        let todo = xliff_doc(&args.file, doc, &fills);
        let header = XliffHeader {
            source_lang: version.lang.to_string(),
            target_lang: langs[0].clone(),
        };
        // Recorded as `export --format xliff` does, so that `import-xliff --write-docs` of the
        // translated file writes the document next to the memory's other versions.
        let root = std::env::current_dir()
            .ok()
            .and_then(|d| d.to_str().map(str::to_string));
        emit(Some(path), |w| {
            let version = args.xliff_version.unwrap_or_default().version();
            let mut x = XliffWriter::with_version(w, &header, root.as_deref(), version)?;
            x.write_doc(&todo)?;
            x.finish().map(|_| ())
        })?;
    }
    let entries: Vec<Entry> = doc
        .paragraphs
        .iter()
        .zip(filled)
        .zip(info)
        .map(|((p, f), (percent, by_sentence))| Entry {
            index: p.index,
            line: p.line,
            label: p.label.as_ref().map(|l| l.path.clone()),
            filled: f,
            percent,
            by_sentence,
            text: p.text.clone(),
        })
        .collect();
    let summary = Summary {
        file: args.file.display().to_string(),
        output: args.output.display().to_string(),
        source_lang: version.lang.to_string(),
        target_lang: langs[0].clone(),
        min_match: args.min_match,
        entries,
    };
    emit(None, |w| match args.format {
        PretranslateFormat::Text => write_text(&summary, w),
        PretranslateFormat::Json => write_json(&summary, w),
    })?;
    Ok(EXIT_OK)
}

/// The draft as an XLIFF document: one unit per translatable paragraph, with its fill as the
/// target where there is one (state `translated` when exact, `initial` when fuzzy, and the
/// match percentage in the metadata).
fn xliff_doc(file: &std::path::Path, doc: &Document, fills: &[Fill]) -> TodoDoc {
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| crate::language::LangTag::from_file_name(n).map(|(b, _)| b))
        .or_else(|| {
            file.file_stem()
                .and_then(|s| s.to_str())
                .map(str::to_string)
        })
        .unwrap_or_else(|| "document".into());
    let paragraphs = doc
        .paragraphs
        .iter()
        .zip(fills)
        .filter(|(p, _)| translatable(p.kind))
        .map(|(p, f)| {
            let draft = match f {
                Fill::Exact(t) => Some(Draft {
                    text: t.clone(),
                    exact: true,
                    percent: 100,
                }),
                Fill::Fuzzy { target, percent } => Some(Draft {
                    text: target.clone(),
                    exact: false,
                    percent: *percent,
                }),
                Fill::Keep => None,
            };
            TodoParagraph {
                index: p.index,
                line: p.line,
                label: p.label.as_ref().map(|l| l.path.clone()),
                text: p.text.clone(),
                state: TodoState::Missing,
                suggestion: None,
                draft,
                translation: None,
                flags: Vec::new(),
            }
        })
        .collect();
    TodoDoc {
        document: name,
        paragraphs,
    }
}
