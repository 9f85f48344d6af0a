//! `paralign export --format tmx|xliff|tsv`: the translation memory out to CAT tools and
//! spreadsheets. TMX and TSV take the segments (narrowed by languages, document, score and
//! flags); XLIFF takes every paragraph of each document in one language with its state (or
//! those `--only` names), with suggestions from the memory for those to translate.
//! The formats are `crate::exchange`'s pure writers; this file validates the flags, opens the
//! memory and writes the file whole or not at all.

use crate::text::counted;
use std::io;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::config::parse_flags;
use super::import::{clock, open_for_lookup, open_for_reading};
use super::output::write_whole;
use super::xliff::XliffVersionArg;
use super::{lang_flag, DbArgs, EXIT_OK};
use crate::align::Flag;
use crate::error::{Error, Result};
use crate::exchange::{
    write_behind, ExportFilter, TmxHeader, TmxWriter, TodoFilter, TsvWriter, XliffHeader,
    XliffVersion, XliffWriter,
};
use crate::store::Store;

/// The formats of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum ExportFormat {
    /// TMX 1.4b: the memory for CAT tools.
    Tmx,
    /// XLIFF (2.0, or 1.2 with --xliff-version): a language's version of each document for a
    /// translator, every paragraph with its state (or those --only names).
    Xliff,
    /// Tab-separated values: one segment per line, for spreadsheets.
    Tsv,
}

/// The `--segtype` values (TMX's names for the two levels the memory keeps).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum Segtype {
    // No doc comments on the values: clap would lay out the help in its long form.
    Paragraph,
    Sentence,
}

#[derive(Debug, Args)]
pub(super) struct ExportArgs {
    /// The file format.
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// Write to FILE (whole or not at all) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Only these languages, comma-separated (en,es: pairs between them; en also takes en-GB);
    /// one language alone (ru): every pair into or out of it. For xliff: the one target language.
    #[arg(long, value_name = "LANGS")]
    lang: Option<String>,
    /// Only this document.
    #[arg(long, value_name = "NAME")]
    doc: Option<String>,
    /// Only segments scoring at least SCORE (0 to 1) [tmx, tsv].
    #[arg(long, value_name = "SCORE")]
    min_score: Option<f64>,
    /// Leave out segments with any of these flags, comma-separated [tmx, tsv; tmx default:
    /// untranslated, diverging, outdated].
    #[arg(long, value_name = "FLAGS")]
    exclude_flags: Option<String>,
    /// Keep untranslated, diverging and outdated segments in a TMX file (left out by default:
    /// a CAT tool would reuse them as translations).
    #[arg(long, conflicts_with = "exclude_flags")]
    include_flagged: bool,
    /// Only the paragraphs whose pair has one of these flags, comma-separated: missing,
    /// extra, untranslated, diverging, misnumbered, reordered, outdated [xliff; default: every
    /// paragraph of the document; the units to translate before: missing,untranslated,outdated].
    #[arg(long, value_name = "FLAGS")]
    only: Option<String>,
    /// The XLIFF version to write: 1.2 for most CAT tools (Trados, memoQ, OmegaT, Okapi,
    /// Weblate) [xliff; default: 2.0].
    #[arg(long, value_enum, value_name = "VERSION")]
    xliff_version: Option<XliffVersionArg>,
    /// Which segments: paragraph (the memory's segments) or sentence (their sentence pairs,
    /// which `paralign import` stores for clean pairs; the filters apply to their paragraphs)
    /// [tmx, tsv; default: paragraph].
    #[arg(long, value_enum, value_name = "TYPE")]
    segtype: Option<Segtype>,
    #[command(flatten)]
    db: DbArgs,
}

/// The export asked for, validated (no I/O).
enum Plan {
    Segments(ExportFilter),
    Todo(TodoFilter, XliffVersion),
}

fn plan(args: &ExportArgs) -> Result<Plan> {
    let mut langs = Vec::new();
    if let Some(l) = &args.lang {
        for part in l.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            if let Some(tag) = lang_flag(Some(part), "--lang")? {
                langs.push(tag.as_str().to_string());
            }
        }
        if langs.is_empty() {
            return Err(Error::usage("--lang: name at least one language (en,es)"));
        }
    }
    if let Some(m) = args.min_score {
        if !(0.0..=1.0).contains(&m) {
            return Err(Error::usage(format!(
                "--min-score: {m} is not a score between 0 and 1"
            )));
        }
    }
    if args.format == ExportFormat::Xliff {
        return plan_xliff(args, &langs);
    }
    if args.only.is_some() {
        return Err(Error::usage("--only applies to --format xliff"));
    }
    if args.xliff_version.is_some() {
        return Err(Error::usage("--xliff-version applies to --format xliff"));
    }
    let exclude_flags = match &args.exclude_flags {
        Some(f) => {
            let v = parse_flags(f, "--exclude-flags")?;
            if v.is_empty() {
                return Err(Error::usage("--exclude-flags: name at least one flag"));
            }
            v
        }
        // A TMX file goes into CAT tools, which reuse every unit as a translation: a source
        // left in place, a diverging pair or an outdated one would come back as a match.
        None if args.format == ExportFormat::Tmx && !args.include_flagged => {
            vec![
                crate::align::Flag::Untranslated,
                crate::align::Flag::Diverging,
                crate::align::Flag::Outdated,
            ]
        }
        None => Vec::new(),
    };
    if args.include_flagged && args.format != ExportFormat::Tmx {
        return Err(Error::usage(
            "--include-flagged applies to --format tmx (tsv keeps every segment)",
        ));
    }
    Ok(Plan::Segments(ExportFilter {
        langs,
        document: args.doc.clone(),
        min_score: args.min_score,
        exclude_flags,
        sentences: args.segtype == Some(Segtype::Sentence),
    }))
}

/// The plan of `--format xliff`: the one target language, the flags `--only` names.
fn plan_xliff(args: &ExportArgs, langs: &[String]) -> Result<Plan> {
    for (given, flag) in [
        (args.min_score.is_some(), "--min-score"),
        (args.exclude_flags.is_some(), "--exclude-flags"),
        (args.include_flagged, "--include-flagged"),
        (args.segtype.is_some(), "--segtype"),
    ] {
        if given {
            return Err(Error::usage(format!(
                "{flag} applies to tmx and tsv; xliff takes --lang, --doc and --only"
            )));
        }
    }
    let [lang] = langs else {
        return Err(Error::usage(
            "--format xliff needs --lang with the one target language (--lang ru)",
        ));
    };
    Ok(Plan::Todo(
        TodoFilter {
            lang: lang.clone(),
            document: args.doc.clone(),
            only: args.only.as_deref().map(only_flags).transpose()?,
        },
        args.xliff_version.unwrap_or_default().version(),
    ))
}

/// `--only FLAG[,FLAG]` of an XLIFF export: any flag paralign gives a pair.
fn only_flags(s: &str) -> Result<Vec<Flag>> {
    let names = || {
        Flag::ALL
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut v = Vec::new();
    for p in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let f = Flag::parse(p)
            .ok_or_else(|| Error::usage(format!("--only: `{p}` is not a flag; use {}", names())))?;
        if !v.contains(&f) {
            v.push(f);
        }
    }
    if v.is_empty() {
        return Err(Error::usage(format!(
            "--only: name at least one flag: {}",
            names()
        )));
    }
    Ok(v)
}

fn to_error(e: io::Error, output: Option<&Path>) -> Error {
    super::output::io_error(e, output.unwrap_or(Path::new("<stdout>")))
}

/// Print a line about what was written: on stdout when the file went elsewhere, else stderr.
fn say(output: Option<&Path>, line: &str) {
    if output.is_some() {
        println!("{line}");
    } else {
        eprintln!("paralign: {line}");
    }
}

fn replaced_note(n: usize) {
    if n > 0 {
        eprintln!(
            "paralign: warning: {} that XML 1.0 does not allow (control characters, U+FFFE, U+FFFF) written as U+FFFD",
            counted(n, "character", "characters")
        );
    }
}

pub(super) fn run(args: ExportArgs) -> Result<i32> {
    let plan = plan(&args)?;
    let now = clock()?.now();
    // XLIFF carries suggestions from the lookup index: bring it up to date first.
    let store = if args.format == ExportFormat::Xliff {
        open_for_lookup(&args.db)?
    } else {
        open_for_reading(&args.db)?
    };
    if let Some(d) = &args.doc {
        if !store.document_names()?.iter().any(|n| n == d) {
            return Err(Error::input(format!(
                "the memory has no document `{d}`; `paralign status` lists them"
            ))
            .with_path(store.path()));
        }
    }
    let out = args.output.as_deref();
    match plan {
        Plan::Segments(f) if args.format == ExportFormat::Tmx => export_tmx(&store, &f, now, out),
        Plan::Segments(f) => export_tsv(&store, &f, out),
        Plan::Todo(f, version) => export_xliff(&store, &f, version, out),
    }
}

/// Where the file goes, for the line that says what was written.
fn target_name(out: Option<&Path>) -> String {
    out.map(|p| p.display().to_string())
        .unwrap_or_else(|| "standard output".into())
}

/// How many segments, or sentence pairs.
fn segments_counted(n: usize, f: &ExportFilter) -> String {
    if f.sentences {
        counted(n, "sentence pair", "sentence pairs")
    } else {
        counted(n, "segment", "segments")
    }
}

fn export_tmx(store: &Store, f: &ExportFilter, now: i64, out: Option<&Path>) -> Result<i32> {
    let langs = store.export_source_langs(f)?;
    let header = TmxHeader {
        srclang: match langs.as_slice() {
            [one] => one.clone(),
            _ => "*all*".into(),
        },
        segtype: if f.sentences { "sentence" } else { "paragraph" }.into(),
        created: now,
    };
    // The memory is read on this thread, the units written on another.
    let (segments, units, replaced) = write_whole(out, |w| {
        let mut n = 0;
        let (units, replaced) = write_behind(
            |unit| store.export_units(f, unit).map(|k| n = k),
            |units| {
                let mut tmx = TmxWriter::new(w, &header).map_err(|e| to_error(e, out))?;
                for u in units {
                    tmx.write_unit(&u).map_err(|e| to_error(e, out))?;
                }
                let (_, units, replaced) = tmx.finish().map_err(|e| to_error(e, out))?;
                Ok((units, replaced))
            },
        )?;
        Ok((n, units, replaced))
    })?;
    say(
        out,
        &format!(
            "exported {} ({}) to {} (TMX 1.4)",
            counted(units, "unit", "units"),
            segments_counted(segments, f),
            target_name(out)
        ),
    );
    replaced_note(replaced);
    Ok(EXIT_OK)
}

fn export_tsv(store: &Store, f: &ExportFilter, out: Option<&Path>) -> Result<i32> {
    let n = write_whole(out, |w| {
        write_behind(
            |row| store.export_rows(f, row).map(drop),
            |rows| {
                let mut tsv = TsvWriter::new(w).map_err(|e| to_error(e, out))?;
                for row in rows {
                    tsv.write_row(&row).map_err(|e| to_error(e, out))?;
                }
                let (_, n) = tsv.finish().map_err(|e| to_error(e, out))?;
                Ok(n)
            },
        )
    })?;
    say(
        out,
        &format!(
            "exported {} to {} (TSV)",
            segments_counted(n, f),
            target_name(out)
        ),
    );
    Ok(EXIT_OK)
}

/// `--format xliff`: each document's paragraphs into `f.lang` (all, or those `--only` names),
/// written whole or not at all; nothing is written when no document has one.
fn export_xliff(
    store: &Store,
    f: &TodoFilter,
    version: XliffVersion,
    out: Option<&Path>,
) -> Result<i32> {
    let target = target_name(out);
    let todo = store.todo(f)?;
    for n in &todo.notes {
        eprintln!("paralign: note: {n}");
    }
    let Some(source_lang) = todo.source_lang.clone().filter(|_| !todo.docs.is_empty()) else {
        let what = if f.only.is_some() {
            "no paragraph with those flags"
        } else {
            "nothing"
        };
        say(
            out,
            &format!("{what} to export into {}: no file written", f.lang),
        );
        return Ok(EXIT_OK);
    };
    let header = XliffHeader {
        source_lang,
        target_lang: f.lang.clone(),
    };
    // The memory's paths are relative to the folder imports ran in: recorded, so that
    // `import-xliff --write-docs` writes there wherever it runs.
    let root = std::env::current_dir()
        .ok()
        .and_then(|d| d.to_str().map(str::to_string));
    let (files, units, replaced) = write_whole(out, |w| {
        let mut x = XliffWriter::with_version(w, &header, root.as_deref(), version)
            .map_err(|e| to_error(e, out))?;
        for d in &todo.docs {
            x.write_doc(d).map_err(|e| to_error(e, out))?;
        }
        let (_, files, units, replaced) = x.finish().map_err(|e| to_error(e, out))?;
        Ok((files, units, replaced))
    })?;
    let paragraphs = || todo.docs.iter().flat_map(|d| &d.paragraphs);
    let suggested = paragraphs().filter(|p| p.suggestion.is_some()).count();
    let to_translate = paragraphs().filter(|p| p.state.to_translate()).count();
    let (units, files) = (
        counted(units, "paragraph", "paragraphs"),
        counted(files, "document", "documents"),
    );
    // The line an export of the paragraphs to translate always gave.
    let what = if to_translate == paragraphs().count() {
        format!("{units} from {files} to translate into {}", f.lang)
    } else {
        format!(
            "{units} ({to_translate} to translate) from {files} into {}",
            f.lang
        )
    };
    say(
        out,
        &format!(
            "exported {what} to {target} (XLIFF {}), {suggested} with a suggestion",
            version.as_str()
        ),
    );
    replaced_note(replaced);
    Ok(EXIT_OK)
}
