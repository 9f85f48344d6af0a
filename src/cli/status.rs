//! `paralign status [DOC]`: where each document and language stands in the translation memory
//! (translated, missing, diverging, outdated, coverage), or one document paragraph by paragraph.
//! Formats: text, JSON (the status contract, `version` 1) and Markdown (for a pull request
//! comment), written by `report::memory`; HTML is the review page of one document. Read-only.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::import::open_for_reading;
use super::{emit, DbArgs, EXIT_OK};
use crate::error::{Error, Result};
use crate::report::memory::{status, status_doc, Form};
use crate::report::terminal_safe;
use crate::store::Store;

/// Output formats of `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum StatusFormat {
    Text,
    Json,
    Markdown,
    /// The review page of one document (with DOC), as `check --format html` writes it.
    Html,
}

#[derive(Debug, Args)]
pub(super) struct StatusArgs {
    /// Show this document paragraph by paragraph, with its state in each language.
    #[arg(value_name = "DOC")]
    doc: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = StatusFormat::Text)]
    format: StatusFormat,
    /// Write the report to FILE instead of standard output (written whole or not at all).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    db: DbArgs,
}

pub(super) fn run(args: StatusArgs) -> Result<i32> {
    // None: the review page of one document, written by `report` as `check` writes it.
    let form = match args.format {
        StatusFormat::Text => Some(Form::Text),
        StatusFormat::Json => Some(Form::Json),
        StatusFormat::Markdown => Some(Form::Markdown),
        StatusFormat::Html => None,
    };
    let Some(name) = &args.doc else {
        let Some(form) = form else {
            return Err(Error::usage(
                "--format html shows one document side by side: give its name (paralign status statement --format html -o review.html)",
            ));
        };
        let docs = open_for_reading(&args.db)?.status()?;
        emit(args.output.as_deref(), |w| status::write(&docs, form, w))?;
        return Ok(EXIT_OK);
    };
    let store = open_for_reading(&args.db)?;
    let Some(detail) = store.document(name)? else {
        return Err(not_found(&store, name)?);
    };
    match form {
        Some(form) => emit(args.output.as_deref(), |w| {
            status_doc::write(&detail, form, w)
        })?,
        None => {
            // The review page, from what the memory holds (outdated pairs included).
            let docs: Vec<_> = store.doc_result(name)?.into_iter().collect();
            let run = crate::report::Run {
                command: crate::report::Command::Check,
                docs: &docs,
                errors: &[],
                warnings: &[],
                verdict: None,
                fail_on: &[],
                color: false,
            };
            emit(args.output.as_deref(), |w| {
                crate::report::write(crate::report::Format::Html, &run, w)
            })?;
        }
    }
    Ok(EXIT_OK)
}

/// The error for a document the memory does not show: one with imported segments only, or
/// none of that name (with the names it knows).
pub(super) fn not_found(store: &Store, name: &str) -> Result<Error> {
    let names = store.document_names()?;
    if names.iter().any(|n| n == name) {
        return Ok(Error::usage(format!(
            "the document `{}` in the memory {} holds only segments imported from a TMX or XLIFF file, no aligned versions to show; `paralign segments --doc {}` lists them",
            terminal_safe(name),
            store.path().display(),
            terminal_safe(name)
        )));
    }
    let hint = if names.is_empty() {
        "the memory holds no documents yet".to_string()
    } else {
        let shown: Vec<&str> = names.iter().take(8).map(String::as_str).collect();
        format!(
            "it knows: {}{}",
            shown.join(", "),
            if names.len() > shown.len() {
                ", …"
            } else {
                ""
            }
        )
    };
    Ok(Error::usage(format!(
        "no document `{name}` in the memory {}; {hint}",
        store.path().display()
    )))
}
