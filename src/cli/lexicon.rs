//! `paralign lexicon LANG [WORD...]`: what the word model learns from the translation memory's
//! segments of one language pair (the sound ones: untranslated, diverging and outdated
//! segments teach nothing), with the glossary's agreed terms beside it, so that a user can see
//! why a pair scored as it did. Below a word, `memory:` shows what the memory's own word model
//! (trained by every import, used by `check` and `align`) keeps for it.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::import::db_location;
use super::lookup::glossary;
use super::{emit, lang_flag, DbArgs, EXIT_OK};
use crate::align::Flag;
use crate::error::{Error, Result};
use crate::exchange::ExportFilter;
use crate::language::LangTag;
use crate::model::lexicon::{Entry, Lexicon};
use crate::model::tokens::tokens;
use crate::model::{MemoryModel, KEEP};
use crate::report::terminal_safe;
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

/// One word as shown: what was learned, and the glossary's terms for it.
#[derive(Serialize)]
struct Shown<'a> {
    word: &'a str,
    /// None when the memory taught nothing for the word.
    learned: Option<Learned<'a>>,
    glossary: Vec<String>,
    /// What the memory's word model (trained by imports) keeps for the word.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    memory: Vec<MemoryTranslation>,
}

/// A translation the memory's word model keeps (its target word as the segments write it).
#[derive(Serialize)]
struct MemoryTranslation {
    word: String,
    probability: f64,
}

#[derive(Serialize)]
struct Learned<'a> {
    /// The word as the model knows it (its most frequent form).
    form: &'a str,
    pairs: usize,
    translations: Vec<ShownTranslation<'a>>,
}

#[derive(Serialize)]
struct ShownTranslation<'a> {
    word: &'a str,
    probability: f64,
    together: usize,
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
    let entries: Vec<(&str, Option<&Entry>)> = if args.words.is_empty() {
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
    };
    let shown: Vec<Shown> = entries
        .into_iter()
        .map(|(word, e)| Shown {
            word,
            learned: e.map(|e| Learned {
                form: &e.word,
                pairs: e.pairs,
                translations: e
                    .translations
                    .iter()
                    .take(args.translations)
                    .map(|t| ShownTranslation {
                        word: &t.word,
                        probability: (f64::from(t.probability) * 1000.0).round() / 1000.0,
                        together: t.together,
                    })
                    .collect(),
            }),
            glossary: terms
                .as_ref()
                .map(|g| {
                    g.terms_in(word)
                        .into_iter()
                        .flat_map(|(_, targets)| targets)
                        .collect()
                })
                .unwrap_or_default(),
            memory: memory_entries(model.as_deref(), &lexicon, word, args.translations),
        })
        .collect();
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
        LexiconFormat::Json => {
            let doc = Json {
                version: 1,
                lexicon: &head,
                words: &shown,
            };
            serde_json::to_writer_pretty(&mut *w, &doc)?;
            writeln!(w)
        }
    })?;
    Ok(EXIT_OK)
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

/// The JSON document (version 1; fields are only ever added).
#[derive(Serialize)]
struct Json<'a> {
    version: u32,
    lexicon: &'a Head,
    words: &'a [Shown<'a>],
}

/// What the lexicon was learned from.
#[derive(Serialize)]
struct Head {
    source_lang: String,
    target_lang: String,
    /// Pairs learned from (at most `model::lexicon::MAX_PAIRS` of the segments).
    pairs: usize,
    /// Sound segments of the language pair in the memory.
    segments: usize,
    /// Whether an even sample of them was read (more than `model::lexicon::MAX_PAIRS`).
    sampled: bool,
    memory: String,
}

fn write_text(w: &mut dyn Write, head: &Head, shown: &[Shown]) -> std::io::Result<()> {
    let from = if head.sampled {
        format!(
            "{} of {} segments (an even sample)",
            head.pairs, head.segments
        )
    } else if head.pairs < head.segments {
        format!(
            "{} segments ({} without words)",
            head.pairs,
            head.segments - head.pairs
        )
    } else {
        format!("{} segments", head.pairs)
    };
    writeln!(
        w,
        "{} → {}: learned from {from} in {}",
        head.source_lang, head.target_lang, head.memory
    )?;
    if head.pairs == 0 {
        writeln!(
            w,
            "  (no sound segment of this language pair to learn from)"
        )?;
    }
    let width = shown
        .iter()
        .map(|s| crate::text::width(s.word))
        .max()
        .unwrap_or(0);
    for s in shown {
        let word = terminal_safe(s.word);
        let mut line = format!("  {}", crate::text::pad_right(&word, width));
        match &s.learned {
            Some(l) => {
                let unit = if l.pairs == 1 {
                    "segment: "
                } else {
                    "segments:"
                };
                line.push_str(&format!("  in {:>5} {unit}", l.pairs));
                for t in &l.translations {
                    line.push_str(&format!(
                        "  {} {:.2} ({})",
                        terminal_safe(t.word),
                        t.probability,
                        t.together
                    ));
                }
            }
            None => line.push_str("  nothing learned"),
        }
        writeln!(w, "{}", line.trim_end())?;
        if !s.memory.is_empty() {
            let shown: Vec<String> = s
                .memory
                .iter()
                .map(|m| format!("{} {:.2}", terminal_safe(&m.word), m.probability))
                .collect();
            writeln!(w, "  {}  memory: {}", " ".repeat(width), shown.join(", "))?;
        }
        for g in &s.glossary {
            writeln!(w, "  {}  glossary: {}", " ".repeat(width), terminal_safe(g))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_says_what_was_learned_from() {
        let head = |pairs, segments, sampled| Head {
            source_lang: "en".into(),
            target_lang: "es".into(),
            pairs,
            segments,
            sampled,
            memory: "m.sqlite".into(),
        };
        let text = |h: Head| {
            let mut out = Vec::new();
            write_text(&mut out, &h, &[]).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(
            text(head(50_000, 60_000, true)),
            "en → es: learned from 50000 of 60000 segments (an even sample) in m.sqlite\n"
        );
        assert_eq!(
            text(head(2433, 2644, false)),
            "en → es: learned from 2433 segments (211 without words) in m.sqlite\n"
        );
        assert_eq!(
            text(head(0, 0, false)),
            "en → es: learned from 0 segments in m.sqlite\n  (no sound segment of this language pair to learn from)\n"
        );
    }
}
