//! `paralign analyze FILE --to es,ru`: how much of a new document the translation memory
//! already translates, per target language, in segments (paragraphs) and words by band: 100,
//! repetitions inside the document, 95-99, 85-94, 75-84, 50-74 and no match. Text table, JSON
//! (the analysis contract, `version` 1, with each paragraph's best match) or CSV. Read-only; the
//! writers are in `report::memory::analyze`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::import::open_for_lookup;
use super::leverage::paragraph_best;
use super::lookup::{target_langs, Matcher};
use super::{emit, lang_flag, DbArgs, EXIT_OK};
use crate::collect::read_version;
use crate::document::{normalize, BlockKind, Document};
use crate::error::Result;
use crate::report::memory::analyze::{write_csv, write_json, write_text, Best, Report, Row};
use crate::reuse::{assign, label_prefix, Analysis, Prepared};

/// Output formats of `analyze`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum AnalyzeFormat {
    Text,
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub(super) struct AnalyzeArgs {
    /// The new source document (NAME.LANG.txt or .md; else give --from).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Target languages, comma-separated (es,ru).
    #[arg(long, value_name = "LANGS")]
    to: String,
    /// The document's language [default: from its name, else detected].
    #[arg(long, value_name = "LANG")]
    from: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AnalyzeFormat::Text)]
    format: AnalyzeFormat,
    /// Write the analysis to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    db: DbArgs,
}
/// Whether a paragraph is for translation (code blocks and separators are not).
pub(super) fn translatable(kind: BlockKind) -> bool {
    !matches!(kind, BlockKind::Code | BlockKind::Separator)
}

/// One paragraph's best match per language: percentage and segment id.
type BestOf = Vec<Option<(u8, i64)>>;

/// Each paragraph's best match per language (percentage and segment id, by
/// [`paragraph_best`], the decision `pretranslate` fills by), on two threads (each with its
/// own connection) for a long document in a memory on disk.
fn best_all(matcher: &Matcher, texts: &[&str]) -> Result<Vec<BestOf>> {
    let one = |m: &Matcher, ts: &[&str]| -> Result<Vec<BestOf>> {
        ts.iter()
            .map(|t| {
                Ok(paragraph_best(m, t, 50)?
                    .into_iter()
                    .map(|b| b.percent.zip(b.segment))
                    .collect())
            })
            .collect()
    };
    let path = match &matcher.path {
        Some(p) if texts.len() >= 64 && p.as_os_str() != crate::store::IN_MEMORY => p.clone(),
        _ => return one(matcher, texts),
    };
    let (first, second) = texts.split_at(texts.len() / 2);
    let (source_lang, target_langs) = (matcher.source_lang.clone(), matcher.target_langs.clone());
    std::thread::scope(|scope| {
        let other = scope.spawn(move || -> Result<Vec<BestOf>> {
            let store = crate::store::Store::open_read_only(&path)?;
            let m = Matcher {
                store: &store,
                path: None,
                source_lang,
                target_langs,
            };
            one(&m, second)
        });
        let mut out = one(matcher, first)?;
        let rest = other
            .join()
            .map_err(|_| crate::error::Error::input("analyze: a worker thread failed"))??;
        out.extend(rest);
        Ok(out)
    })
}

/// The key a repetition is found by: the normalised text without the paragraph's number, so
/// that the same text under two numbers is a repetition.
fn repetition_key(text: &str) -> String {
    normalize(&text[label_prefix(text).len()..])
}

/// Analyse a document against the memory.
pub(super) fn analyze(matcher: &Matcher, doc: &Document) -> Result<(Vec<Analysis>, Vec<Row>)> {
    let paras: Vec<_> = doc
        .paragraphs
        .iter()
        .filter(|p| translatable(p.kind))
        .collect();
    let texts: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
    let best = best_all(matcher, &texts)?;
    let n = matcher.target_langs.len();
    let mut rows = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    let mut per_lang: Vec<Vec<Option<u8>>> = vec![Vec::new(); n];
    let mut segs: Vec<Vec<Option<i64>>> = vec![Vec::new(); n];
    for (p, b) in paras.iter().zip(best) {
        for (k, m) in b.into_iter().enumerate() {
            per_lang[k].push(m.map(|m| m.0));
            segs[k].push(m.map(|m| m.1));
        }
        keys.push(repetition_key(&p.text));
        rows.push(Row {
            index: p.index,
            line: p.line,
            label: p.label.as_ref().map(|l| l.path.clone()),
            words: Prepared::new(&p.text).words(),
            best: Vec::new(),
        });
    }
    let mut out = Vec::new();
    for (k, lang) in matcher.target_langs.iter().enumerate() {
        let bands = assign(
            keys.iter()
                .map(String::as_str)
                .zip(per_lang[k].iter().copied()),
        );
        let mut a = Analysis::new(lang);
        for (i, band) in bands.into_iter().enumerate() {
            a.add(band, rows[i].words);
            rows[i].best.push(Best {
                lang: lang.clone(),
                percent: per_lang[k][i],
                band,
                segment: segs[k][i],
            });
        }
        out.push(a);
    }
    Ok((out, rows))
}

pub(super) fn run(args: AnalyzeArgs) -> Result<i32> {
    let langs = target_langs(&args.to)?;
    let from = lang_flag(args.from.as_deref(), "--from")?;
    let version = read_version(&args.file, from.as_ref())?;
    let store = open_for_lookup(&args.db)?;
    let matcher = Matcher {
        store: &store,
        path: Some(store.path().to_path_buf()),
        source_lang: Some(version.lang.to_string()),
        target_langs: langs,
    };
    let (languages, rows) = analyze(&matcher, &version.doc)?;
    let report = Report {
        file: args.file.display().to_string(),
        source_lang: version.lang.to_string(),
        languages,
        rows,
    };
    emit(args.output.as_deref(), |w| match args.format {
        AnalyzeFormat::Text => write_text(&report, w),
        AnalyzeFormat::Json => write_json(&report, w),
        AnalyzeFormat::Csv => write_csv(&report, w),
    })?;
    Ok(EXIT_OK)
}
