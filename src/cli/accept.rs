//! `paralign accept PATH... --reason TEXT`: record current findings as reviewed and accepted.
//! The acceptance file is rewritten whole (through a temporary file), never half-written.

use super::config::{parse_flags, resolve_project};
use super::{emit, lang_flag, print_errors, AcceptArgs, EXIT_ERROR, EXIT_OK};
use crate::align::Flag;
use crate::check::{findings, Acceptance, Acceptation, Accepted, CheckOptions, DocResult};
use crate::collect::collect_with;
use crate::error::{Error, Result};
use crate::language::LangTag;

pub(super) fn run(args: AcceptArgs) -> Result<i32> {
    if args.reason.trim().is_empty() {
        return Err(Error::usage("--reason: say why these findings are fine"));
    }
    let settings = resolve_project(&args.policy, &args.project)?;
    let flags = args
        .flag
        .as_deref()
        .map(|f| parse_flags(f, "--flag"))
        .transpose()?;
    let lang = lang_flag(args.lang.as_deref(), "--lang")?;
    let collection = collect_with(&args.paths, &settings.walk);
    // As check does: the memory knows which translations are outdated, and holds the
    // glossary.
    let store = super::import::open_for_check(&super::DbArgs {
        db: args.db.clone(),
    })?;
    let opts = CheckOptions {
        source_lang: settings.source_lang.clone(),
        thresholds: settings.thresholds,
        glossary: super::glossary::for_run(None, None, store.as_ref())?,
        memory: super::check::word_models(store.as_ref(), &collection.sets)?,
    };
    // Judged as check judges them, XLIFF files included.
    let docs = super::check::judge(
        collection.sets,
        &collection.xliff,
        settings.walk.max_file_size,
        &opts,
        store.as_ref(),
    )?;
    if print_errors(
        collection
            .errors
            .iter()
            .chain(docs.iter().flat_map(|d| d.errors.iter())),
    ) {
        return Ok(EXIT_ERROR);
    }
    let mut accepted = settings.policy.accepted.clone();
    let added = accept(&mut accepted, &docs, &args, flags.as_deref(), lang.as_ref());
    if added.is_empty() {
        eprintln!("paralign: no findings to accept (nothing matched, or all are accepted already)");
        return Ok(EXIT_OK);
    }
    emit(Some(&settings.accepted_path), |w| {
        w.write_all(accepted.to_toml().as_bytes())
    })?;
    emit(None, |w| {
        crate::report::accepted::write(w, &added, &settings.accepted_path)
    })?;
    Ok(EXIT_OK)
}

/// Add to `accepted` the findings of `docs` that the filters select and that are not accepted
/// yet (replacing a lapsed entry); returns the new entries.
fn accept(
    accepted: &mut Accepted,
    docs: &[DocResult],
    args: &AcceptArgs,
    flags: Option<&[Flag]>,
    lang: Option<&LangTag>,
) -> Vec<Acceptance> {
    let mut added = Vec::new();
    for f in findings(docs) {
        if flags.is_some_and(|fl| !fl.contains(&f.flag))
            || lang.is_some_and(|l| !l.same_language(&f.target.version.lang))
            || args.label.as_deref().is_some_and(|l| f.label() != Some(l))
            || args.document.as_deref().is_some_and(|d| d != f.doc.id)
            || accepted.covers(&f) == Acceptation::Yes
        {
            continue;
        }
        let entry = Accepted::entry(&f, args.reason.trim());
        added.push(entry.clone());
        // An entry that lapsed is replaced, not kept beside the new one.
        accepted.accept.retain(|a| {
            !(a.document == entry.document
                && a.lang == entry.lang
                && a.flag == entry.flag
                && a.label == entry.label
                && a.paragraph == entry.paragraph)
        });
        accepted.accept.push(entry);
    }
    added
}
