//! `paralign check PATH...`: align the language versions found, print findings, and exit 1
//! when the policy fails, 2 on input errors (the other documents are still checked).

use super::config::resolve;
use super::{
    color, emit, print_errors, CheckArgs, CheckFormat, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK,
};
use crate::check::{check_sets, CheckOptions};
use crate::collect::collect;
use crate::error::Result;
use crate::report::{self, Command, Format, Run};

pub(super) fn run(args: CheckArgs) -> Result<i32> {
    let settings = resolve(&args.policy)?;
    if args.dump_config {
        let mut text = String::new();
        if let Some(p) = &settings.config_path {
            text.push_str(&format!("# read from {}\n", p.display()));
        }
        text.push_str(&toml::to_string(&settings.resolved).unwrap_or_default());
        emit(args.out.output.as_deref(), |w| w.write_all(text.as_bytes()))?;
        return Ok(EXIT_OK);
    }
    let collection = collect(&args.paths);
    let opts = CheckOptions {
        source_lang: settings.source_lang.clone(),
        thresholds: settings.thresholds,
    };
    let mut docs = check_sets(collection.sets, &opts);
    // The translation memory, when there is one, knows which translations are outdated.
    if let Some(store) = super::import::open_for_check(&super::DbArgs {
        db: args.db.clone(),
    })? {
        store.mark_docs(&mut docs)?;
    }
    let verdict = settings.policy.judge(&docs);
    let format = match args.format {
        CheckFormat::Text => Format::Text,
        CheckFormat::Json => Format::Json,
        CheckFormat::Github => Format::Github,
        CheckFormat::Junit => Format::Junit,
        CheckFormat::Sarif => Format::Sarif,
        CheckFormat::Html => Format::Html,
    };
    let run = Run {
        command: Command::Check,
        docs: &docs,
        errors: &collection.errors,
        verdict: Some(&verdict),
        fail_on: &settings.policy.fail_on,
        color: color(args.out.color, args.out.output.is_some()),
    };
    emit(args.out.output.as_deref(), |w| {
        report::write(format, &run, w)
    })?;
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
