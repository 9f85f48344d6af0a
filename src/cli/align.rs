//! `paralign align SOURCE TARGET...`: print the alignment of each target with the source.
//! Exits 0 whenever a report was produced; findings do not fail it.

use super::{color, emit, lang_flag, print_errors, AlignArgs, AlignFormat, EXIT_ERROR, EXIT_OK};
use crate::align::Thresholds;
use crate::check::{align_versions, check_linked, CheckOptions, DocResult};
use crate::collect::{is_xliff, read_version, DEFAULT_MAX_FILE_SIZE};
use crate::error::{Error, Result};
use crate::report::{self, Command, Format, Run};

pub(super) fn run(args: AlignArgs) -> Result<i32> {
    if args.targets.is_empty() {
        if is_xliff(&args.source) {
            return run_xliff(args);
        }
        return Err(Error::usage(
            "give the translations of SOURCE as TARGETs (an XLIFF file may come alone: it holds both)",
        ));
    }
    let source_lang = lang_flag(args.source_lang.as_deref(), "--source-lang")?;
    let target_lang = lang_flag(args.target_lang.as_deref(), "--target-lang")?;
    // The targets are read on a thread of their own while the source is (reading a long
    // document is mostly parsing it, on one core).
    let (source, read) = std::thread::scope(|scope| {
        let targets = scope.spawn(|| {
            args.targets
                .iter()
                .map(|t| read_version(t, target_lang.as_ref()))
                .collect::<Vec<_>>()
        });
        let source = read_version(&args.source, source_lang.as_ref());
        let read = targets
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (source, read)
    });
    let source = source?;
    let mut errors = Vec::new();
    let mut targets = Vec::new();
    for r in read {
        match r {
            Ok(v) => targets.push(v),
            Err(e) => errors.push(e),
        }
    }
    let id = args
        .source
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| crate::language::LangTag::from_file_name(n).map(|(b, _)| b))
        .or_else(|| {
            args.source
                .file_stem()
                .and_then(|s| s.to_str())
                .map(str::to_string)
        })
        .unwrap_or_else(|| "document".into());
    let store = super::glossary::memory_if_any(&super::DbArgs { db: None })?;
    let glossary = super::glossary::for_run(
        args.glossary.as_deref(),
        source_lang.clone().zip(target_lang.clone()),
        store.as_ref(),
    )?;
    let memory = match &store {
        Some(store) => {
            let mut langs = vec![source.lang.clone()];
            langs.extend(targets.iter().map(|t| t.lang.clone()));
            Some(store.word_models(Some(&langs))?)
        }
        None => None,
    };
    let targets = align_versions(
        &source,
        targets,
        &Thresholds::default(),
        glossary.as_deref(),
        memory.as_ref(),
    );
    let docs = vec![DocResult {
        id,
        source: Some(source),
        targets,
        errors: Vec::new(),
        notes: Vec::new(),
    }];
    report(&args, &docs, &errors)
}

/// `align FILE.xlf`: the XLIFF file's sources and targets, paired by its units.
fn run_xliff(args: AlignArgs) -> Result<i32> {
    if args.source_lang.is_some() || args.target_lang.is_some() {
        return Err(Error::usage(
            "--source-lang and --target-lang do not apply to an XLIFF file: its languages are its srcLang and trgLang (1.2: source-language, target-language)",
        ));
    }
    let id = super::units::names(std::slice::from_ref(&args.source)).remove(0);
    let set = super::units::read_pair(&args.source, id, DEFAULT_MAX_FILE_SIZE)?;
    let store = super::glossary::memory_if_any(&super::DbArgs { db: None })?;
    let langs = Some((set.source.lang.clone(), set.target.lang.clone()));
    let memory = match &store {
        Some(store) => {
            Some(std::sync::Arc::new(store.word_models(Some(&[
                set.source.lang.clone(),
                set.target.lang.clone(),
            ]))?))
        }
        None => None,
    };
    let opts = CheckOptions {
        source_lang: None,
        thresholds: Thresholds::default(),
        glossary: super::glossary::for_run(args.glossary.as_deref(), langs, store.as_ref())?,
        memory,
    };
    let docs = vec![check_linked(set, &opts)];
    report(&args, &docs, &[])
}

/// Write the report of an alignment; exit 0, or 2 when a target could not be read.
fn report(args: &AlignArgs, docs: &[DocResult], errors: &[Error]) -> Result<i32> {
    let run = Run {
        command: Command::Align,
        docs,
        errors,
        warnings: &[],
        verdict: None,
        fail_on: &[],
        color: color(args.out.color, args.out.output.is_some()),
    };
    let format = match args.format {
        AlignFormat::Text => Format::Text,
        AlignFormat::Json => Format::Json,
        AlignFormat::Html => Format::Html,
    };
    emit(args.out.output.as_deref(), |w| {
        report::write(format, &run, w)
    })?;
    Ok(if print_errors(errors) {
        EXIT_ERROR
    } else {
        EXIT_OK
    })
}
