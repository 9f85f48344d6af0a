//! `paralign import-glossary FILE`: bring a team's glossary (TBX, TSV, CSV) into the
//! translation memory, and the glossary that `check`, `align` and `lookup` use: `--glossary
//! FILE` when given, else the memory's when there is one. The file is read whole before the
//! memory is opened, so a malformed file writes nothing (and makes no memory).

use crate::text::counted;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;

use super::import::{db_location, print_committed};
use super::import_tmx::{open_for_writing, open_input, LimitArgs};
use super::{lang_flag, DbArgs, EXIT_OK};
use crate::align::{Concept, TermBase};
use crate::error::{Error, Result};
use crate::exchange::{read_glossary, Delimiter, GlossaryConcept, GlossaryOptions, Limits};
use crate::language::LangTag;
use crate::store::{Store, IN_MEMORY};

#[derive(Debug, Args)]
pub(super) struct ImportGlossaryArgs {
    /// The glossary: TBX (TBX-Basic or TBX-Core), or a TSV or CSV table with a column per
    /// language and a header row of language tags (en,de,fr).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The language of a table's first column, when the table has no header row.
    #[arg(long, value_name = "LANG", requires = "target_lang")]
    source_lang: Option<String>,
    /// The language of a table's second column, when the table has no header row.
    #[arg(long, value_name = "LANG", requires = "source_lang")]
    target_lang: Option<String>,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    db: DbArgs,
}

/// The table's separator by the file's extension (None: told from the first line).
fn delimiter(path: &Path) -> Option<Delimiter> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "csv" => Some(Delimiter::Comma),
        "tsv" | "tab" => Some(Delimiter::Tab),
        _ => None,
    }
}

/// Read a glossary file; errors name it. A file without a concept is an error: importing it
/// or checking with it would do nothing, silently.
pub(super) fn read_file(
    path: &Path,
    langs: Option<(LangTag, LangTag)>,
    limits: Limits,
) -> Result<Vec<GlossaryConcept>> {
    let file = open_input(path, "tbx")?;
    let opts = GlossaryOptions {
        delimiter: delimiter(path),
        langs,
        limits,
    };
    let concepts = read_glossary(file, &opts).map_err(|e| e.with_path(path))?;
    if concepts.is_empty() {
        return Err(Error::input(
            "holds no glossary entry (no termEntry or row with a term); is it the right file?",
        )
        .with_path(path));
    }
    Ok(concepts)
}

/// The concepts of a file as the aligner takes them.
fn term_base(concepts: Vec<GlossaryConcept>) -> TermBase {
    TermBase::new(
        concepts
            .into_iter()
            .map(|c| Concept {
                terms: c
                    .terms
                    .into_iter()
                    .filter_map(|t| LangTag::parse(&t.lang).ok().map(|l| (l, t.text)))
                    .collect(),
            })
            .collect(),
    )
}

/// The glossary of a run: the file given with `--glossary`, else the memory's (`store`, when
/// one is open), else none.
pub(super) fn for_run(
    file: Option<&Path>,
    langs: Option<(LangTag, LangTag)>,
    store: Option<&Store>,
) -> Result<Option<Arc<TermBase>>> {
    let base = match (file, store) {
        (Some(path), _) => {
            let given = langs.is_some();
            let concepts = read_file(path, langs, Limits::default()).map_err(|e| {
                // The import's advice (--source-lang and --target-lang) is not this command's.
                if e.is_usage() && !given {
                    Error::usage(
                        "the first row is not a header of language tags (en, de, fr); add one to use the table with --glossary",
                    )
                    .with_path(path)
                    .with_line(1)
                } else {
                    e
                }
            })?;
            term_base(concepts)
        }
        (None, Some(store)) => store.term_base()?,
        (None, None) => return Ok(None),
    };
    Ok(base.for_a_run())
}

/// The memory for a glossary when it exists (`align`, which reads nothing else from it): none,
/// and no error, when there is no file.
pub(super) fn memory_if_any(db: &DbArgs) -> Result<Option<Store>> {
    let loc = db_location(db);
    if loc.path.as_os_str() == IN_MEMORY || !loc.path.is_file() {
        return Ok(None);
    }
    Store::open_read_only(&loc.path).map(Some)
}

pub(super) fn run(args: ImportGlossaryArgs) -> Result<i32> {
    let source = lang_flag(args.source_lang.as_deref(), "--source-lang")?;
    let target = lang_flag(args.target_lang.as_deref(), "--target-lang")?;
    let limits = args.limits.limits()?;
    let concepts = read_file(&args.file, source.zip(target), limits)?;
    let mut store = open_for_writing(&args.db)?;
    let origin = args.file.display().to_string();
    let report = store.import_glossary(&origin, &concepts)?;
    let line = format!(
        "imported {} ({}, {}) from {} into {}: {} new, {} already there\n",
        counted(report.concepts, "concept", "concepts"),
        counted(report.terms, "term", "terms"),
        report.langs.join(", "),
        args.file.display(),
        store.path().display(),
        report.added,
        report.existing
    );
    print_committed(&line, store.path())?;
    Ok(EXIT_OK)
}
