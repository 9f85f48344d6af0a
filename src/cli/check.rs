//! `paralign check PATH...`: align the language versions found, print findings, and exit 1
//! when the policy fails, 2 on input errors (the other documents are still checked).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::config::resolve_project;
use super::{color, emit, print_errors, CheckArgs, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::check::{check_sets, CheckOptions, DocResult};
use crate::collect::{collect_with, DocumentSet};
use crate::error::{Error, Result};
use crate::language::LangTag;
use crate::model::MemoryModels;
use crate::report::{self, Command, Format, Run};
use crate::store::Store;
use std::sync::Arc;

/// The memory's word models of the language pairs among the versions of `sets`, when there is
/// a memory and it has any.
pub(super) fn word_models(
    store: Option<&Store>,
    sets: &[DocumentSet],
) -> Result<Option<Arc<MemoryModels>>> {
    let Some(store) = store else {
        return Ok(None);
    };
    let mut langs: Vec<LangTag> = sets
        .iter()
        .flat_map(|s| s.versions.iter().map(|v| v.lang.clone()))
        .collect();
    langs.sort_by(|a, b| a.language().cmp(b.language()));
    langs.dedup_by(|a, b| a.language() == b.language());
    let models = store.word_models(Some(&langs))?;
    Ok((!models.pairs.is_empty()).then(|| Arc::new(models)))
}

/// Judge every document of a run, as `check` and `accept` both do: the language versions
/// collected, then each XLIFF file as a document pair, then (with a memory) which pairs are
/// outdated.
pub(super) fn judge(
    sets: Vec<DocumentSet>,
    xliff: &[PathBuf],
    max_file: u64,
    opts: &CheckOptions,
    store: Option<&Store>,
) -> Result<Vec<DocResult>> {
    let mut docs = check_sets(sets, opts);
    docs.extend(super::units::check_xliff(xliff, max_file, opts));
    if let Some(store) = store {
        store.mark_docs(&mut docs)?;
    }
    Ok(docs)
}

pub(super) fn run(args: CheckArgs) -> Result<i32> {
    let settings = resolve_project(&args.policy, &args.project)?;
    if args.dump_config {
        return dump_config(&settings, args.out.output.as_deref());
    }
    let collection = collect_with(&args.paths, &settings.walk);
    // The translation memory, when there is one, knows which translations are outdated, and
    // holds the glossary.
    let store = super::import::open_for_check(&super::DbArgs {
        db: args.db.clone(),
    })?;
    let opts = CheckOptions {
        source_lang: settings.source_lang.clone(),
        thresholds: settings.thresholds,
        glossary: super::glossary::for_run(args.glossary.as_deref(), None, store.as_ref())?,
        memory: word_models(store.as_ref(), &collection.sets)?,
    };
    let docs = judge(
        collection.sets,
        &collection.xliff,
        settings.walk.max_file_size,
        &opts,
        store.as_ref(),
    )?;
    let verdict = settings.policy.judge_project(&docs, &collection.placements);
    let format = args.format.format();
    let reports = parse_reports(&args.report)?;
    let run = Run {
        command: Command::Check,
        docs: &docs,
        errors: &collection.errors,
        warnings: &collection.warnings,
        verdict: Some(&verdict),
        fail_on: &settings.policy.fail_on,
        color: color(args.out.color, args.out.output.is_some()),
    };
    emit(args.out.output.as_deref(), |w| {
        report::write(format, &run, w)
    })?;
    // A report written to a file still leaves a line in the log saying how the run went.
    if args.out.output.is_some() && format != Format::Text {
        let line = report::summary_line(&run);
        emit(None, |w| writeln!(w, "{line}"))?;
    }
    let plain = Run {
        color: false,
        ..run
    };
    for (f, path) in &reports {
        emit(Some(path), |w| report::write(*f, &plain, w))?;
    }
    // In GitHub Actions, the job summary gets the Markdown report.
    if format == Format::Github {
        if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
            append_summary(Path::new(&path), &plain)?;
        }
    }
    for w in &collection.warnings {
        eprintln!("paralign: warning: {w}");
    }
    let had_errors = print_errors(
        collection
            .errors
            .iter()
            .chain(docs.iter().flat_map(|d| d.errors.iter())),
    );
    Ok(if had_errors {
        EXIT_ERROR
    } else if verdict.fails() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// `--dump-config`: the settings resolved, and the file they were read from.
fn dump_config(settings: &super::config::Settings, output: Option<&Path>) -> Result<i32> {
    let mut text = String::new();
    if let Some(p) = &settings.config_path {
        text.push_str(&format!("# read from {}\n", p.display()));
    }
    text.push_str(&toml::to_string(&settings.resolved).unwrap_or_default());
    emit(output, |w| w.write_all(text.as_bytes()))?;
    Ok(EXIT_OK)
}

/// `--report FORMAT=PATH`, each checked before any work is done.
fn parse_reports(items: &[String]) -> Result<Vec<(Format, PathBuf)>> {
    let mut out: Vec<(Format, PathBuf)> = Vec::new();
    for item in items {
        let names: Vec<&str> = Format::NAMES.iter().map(|(n, _)| *n).collect();
        let Some((name, path)) = item.split_once('=').filter(|(_, p)| !p.trim().is_empty()) else {
            return Err(Error::usage(format!(
                "--report: `{item}` is not FORMAT=PATH (junit=report.xml); formats: {}",
                names.join(", ")
            )));
        };
        let Some(f) = Format::from_name(name.trim()) else {
            return Err(Error::usage(format!(
                "--report: `{name}` is not a format; use one of {}",
                names.join(", ")
            )));
        };
        let path = PathBuf::from(path);
        if out.iter().any(|(_, p)| *p == path) {
            return Err(Error::usage(format!(
                "--report: {} is named twice; give each report its own file",
                path.display()
            )));
        }
        out.push((f, path));
    }
    Ok(out)
}

/// Append the Markdown summary to a GitHub job summary file.
fn append_summary(path: &Path, run: &Run) -> Result<()> {
    let mut bytes = Vec::new();
    report::write(Format::Markdown, run, &mut bytes).map_err(|e| Error::from(e).with_path(path))?;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .map_err(|e| Error::from(e).with_path(path))?;
    f.write_all(&bytes)
        .map_err(|e| Error::from(e).with_path(path))
}
