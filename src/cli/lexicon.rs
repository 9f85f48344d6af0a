//! `paralign lexicon LANG [WORD...]`: what the word model learns from the translation memory's
//! segments of one language pair (the sound ones: untranslated, diverging and outdated
//! segments teach nothing), with the glossary's agreed terms beside it, so that a user can see
//! why a pair scored as it did. Below a word, `memory:` shows what the memory's own word model
//! (trained by every import, used by `check` and `align`) keeps for it. Text or JSON, written
//! by `report::memory::lexicon`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::import::db_location;
use super::lookup::glossary;
use super::{emit, lang_flag, DbArgs, EXIT_OK};
use crate::align::{Flag, Glossary};
use crate::error::{Error, Result};
use crate::exchange::ExportFilter;
use crate::language::LangTag;
use crate::model::lexicon::{Entry, Lexicon};
use crate::model::tokens::tokens;
use crate::model::{MemoryModel, KEEP};
use crate::report::memory::lexicon::{
    write_json, write_text, Head, Learned, MemoryTranslation, Shown, ShownTranslation,
};
use crate::store::Store;

/// Output formats of `lexicon`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum LexiconFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub(super) struct LexiconArgs {
    /// The target language (BCP 47; es also takes es-419).
    #[arg(value_name = "LANG")]
    lang: String,
    /// Words to show [default: the most frequent words of the source language].
    #[arg(value_name = "WORD")]
    words: Vec<String>,
    /// The source language [default: the memory's only source language into LANG].
    #[arg(long, value_name = "LANG")]
    from: Option<String>,
    /// Without WORD, show the N most frequent words with a translation sure enough for scoring.
    #[arg(long, value_name = "N", default_value_t = 20)]
    limit: usize,
    /// Show at most N translations of each word.
    #[arg(long, value_name = "N", default_value_t = 3)]
    translations: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LexiconFormat::Text)]
    format: LexiconFormat,
    /// Write the lexicon to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    db: DbArgs,
}
/// The source language: the one given, else the memory's only one into `to`.
fn source_lang(store: &Store, from: Option<LangTag>, to: &LangTag) -> Result<LangTag> {
    if let Some(f) = from {
        return Ok(f);
    }
    let filter = ExportFilter {
        langs: vec![to.to_string()],
        ..ExportFilter::default()
    };
    let langs: Vec<String> = store
        .export_source_langs(&filter)?
        .into_iter()
        .filter(|l| LangTag::parse(l).is_ok_and(|l| !l.same_language(to)))
        .collect();
    match langs.as_slice() {
        [one] => LangTag::parse(one).map_err(|e| Error::input(format!("{one}: {e}"))),
        [] => Err(Error::usage(format!(
            "the memory {} holds no segment translated into {to}: import translations first",
            store.path().display()
        ))),
        many => Err(Error::usage(format!(
            "the memory holds {to} translations from {}: say which with --from",
            many.join(", ")
        ))),
    }
}

/// The sound segments from `from` into `to`, as (source, target) texts.
fn segments(store: &Store, from: &LangTag, to: &LangTag) -> Result<Vec<(String, String)>> {
    let filter = ExportFilter {
        langs: vec![from.to_string(), to.to_string()],
        exclude_flags: vec![Flag::Untranslated, Flag::Diverging, Flag::Outdated],
        ..ExportFilter::default()
    };
    let mut out = Vec::new();
    store.export_rows(&filter, &mut |row| {
        let into = |l: &str, want: &LangTag| LangTag::parse(l).is_ok_and(|l| l.same_language(want));
        if into(&row.source_lang, from) && into(&row.target_lang, to) {
            out.push((row.source, row.target));
        }
        Ok(())
    })?;
    Ok(out)
}

pub(super) fn run(args: LexiconArgs) -> Result<i32> {
    let to = LangTag::parse(&args.lang).map_err(|e| Error::usage(format!("LANG: {e}")))?;
    let from = lang_flag(args.from.as_deref(), "--from")?;
    let loc = db_location(&args.db);
    let store = Store::open_read_only(&loc.path)?;
    let from = source_lang(&store, from, &to)?;
    let pairs = segments(&store, &from, &to)?;
    let lexicon = Lexicon::learn(pairs.iter().map(|(s, t)| (s.as_str(), t.as_str())));
    let terms = glossary(
        &store.term_base()?,
        Some(&from.to_string()),
        &to.to_string(),
    );
    let model = store
        .word_models(Some(&[from.clone(), to.clone()]))?
        .pair(&from, &to);
    let entries = chosen(&lexicon, &args);
    let mut shown = shown(entries, terms.as_deref(), args.translations);
    for s in &mut shown {
        s.memory = memory_entries(model.as_deref(), &lexicon, s.word, args.translations);
    }
    let head = Head {
        source_lang: from.to_string(),
        target_lang: to.to_string(),
        pairs: lexicon.pairs,
        segments: pairs.len(),
        sampled: lexicon.sampled,
        memory: loc.path.display().to_string(),
    };
    emit(args.output.as_deref(), |w| match args.format {
        LexiconFormat::Text => write_text(w, &head, &shown),
        LexiconFormat::Json => write_json(w, &head, &shown),
    })?;
    Ok(EXIT_OK)
}

/// The words to show: those given, else the most frequent ones with a translation sure enough
/// for scoring.
fn chosen<'a>(lexicon: &'a Lexicon, args: &'a LexiconArgs) -> Vec<(&'a str, Option<&'a Entry>)> {
    if args.words.is_empty() {
        // The words whose translation scoring uses (t(f | e) >= KEEP): function words, whose
        // weight EM spreads thin, are left to WORD.
        lexicon
            .entries()
            .iter()
            .filter(|e| {
                e.translations
                    .first()
                    .is_some_and(|t| t.probability >= KEEP)
            })
            .take(args.limit)
            .map(|e| (e.word.as_str(), Some(e)))
            .collect()
    } else {
        args.words
            .iter()
            .map(|w| (w.as_str(), lexicon.get(w)))
            .collect()
    }
}

/// Each word as shown: at most `translations` of what was learned, and the glossary's terms.
fn shown<'a>(
    entries: Vec<(&'a str, Option<&'a Entry>)>,
    terms: Option<&Glossary>,
    translations: usize,
) -> Vec<Shown<'a>> {
    entries
        .into_iter()
        .map(|(word, e)| Shown {
            word,
            learned: e.map(|e| Learned {
                form: &e.word,
                pairs: e.pairs,
                translations: e
                    .translations
                    .iter()
                    .take(translations)
                    .map(|t| ShownTranslation {
                        word: &t.word,
                        probability: (f64::from(t.probability) * 1000.0).round() / 1000.0,
                        together: t.together,
                    })
                    .collect(),
            }),
            glossary: terms
                .map(|g| {
                    g.terms_in(word)
                        .into_iter()
                        .flat_map(|(_, targets)| targets)
                        .collect()
                })
                .unwrap_or_default(),
            memory: Vec::new(),
        })
        .collect()
}

/// The memory model's translations of a word (its first token), at most `limit`, those whose
/// target word the segments learned from show.
fn memory_entries(
    model: Option<&MemoryModel>,
    lexicon: &Lexicon,
    word: &str,
    limit: usize,
) -> Vec<MemoryTranslation> {
    let (Some(model), Some(&token)) = (model, tokens(word).first()) else {
        return Vec::new();
    };
    model
        .probabilities(0, token)
        .into_iter()
        .filter_map(|(f, p)| {
            Some(MemoryTranslation {
                word: lexicon.target_form(f)?.to_string(),
                probability: (p * 1000.0).round() / 1000.0,
            })
        })
        .take(limit)
        .collect()
}
