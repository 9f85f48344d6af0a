//! `paralign lookup TEXT --to LANG`: the closest earlier translations of a text in the
//! translation memory, with their match percentage, the stored source beside the query with the
//! differences marked, and where each came from. Text or JSON (the lookup contract, `version`
//! 1, with every input of the match formula), written by `report::memory::lookup`. Also the
//! glue `analyze` and `pretranslate` share: the candidate search through the store and the
//! exact re-scoring in `crate::reuse`.

use std::io;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::import::open_for_lookup;
use super::queries::{read_queries, Query, QueryFormat};
use super::{emit, lang_flag, DbArgs, EXIT_OK};
use std::sync::Arc;

use crate::align::{Glossary, TermBase};
use crate::error::{Error, Result};
use crate::language::LangTag;
use crate::report::memory::lookup::{write_json_lines, write_text_all, Answer, Found};
use crate::reuse::{query_sentences, Match, Prepared};
use crate::score::TermPair;
use crate::store::MatchSource;

/// Output formats of `lookup`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum LookupFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub(super) struct LookupArgs {
    /// The text to look up (a paragraph or a sentence of a new source); a text of several
    /// sentences is also looked up sentence by sentence.
    #[arg(value_name = "TEXT", required_unless_present_any = ["file", "jsonl"], conflicts_with_all = ["file", "jsonl"])]
    text: Option<String>,
    /// Look up every line of FILE, one text per line (- reads standard input): one answer per
    /// line, in one process.
    #[arg(long, value_name = "FILE", conflicts_with = "jsonl")]
    file: Option<PathBuf>,
    /// Look up JSON lines from FILE (- reads standard input), one {"text": "…", "id": …} per
    /// line; the id is echoed in the answer.
    #[arg(long, value_name = "FILE")]
    jsonl: Option<PathBuf>,
    /// The language to find translations into (BCP 47; es also matches es-419).
    #[arg(long, value_name = "LANG")]
    to: String,
    /// The language of TEXT [default: any source language in the memory].
    #[arg(long, value_name = "LANG")]
    from: Option<String>,
    /// Show matches of at least N percent.
    #[arg(long, value_name = "N", default_value_t = 50, value_parser = clap::value_parser!(u8).range(0..=100))]
    min_match: u8,
    /// Show at most N matches.
    #[arg(long, value_name = "N", default_value_t = 5)]
    limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LookupFormat::Text)]
    format: LookupFormat,
    /// Write the matches to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    db: DbArgs,
}

/// Searches the memory for one source language and some target languages.
pub(super) struct Matcher<'a> {
    /// The memory (any store that finds matches).
    pub store: &'a dyn MatchSource,
    /// The SQLite file behind it, which worker threads may open again (None: not a file).
    pub path: Option<PathBuf>,
    pub source_lang: Option<String>,
    pub target_langs: Vec<String>,
}

impl Matcher<'_> {
    /// The best matches of a prepared query at or above `min`, by target language (in the order
    /// of `target_langs`), at most `limit` each.
    pub fn best(&self, query: &Prepared, min: u8, limit: usize) -> Result<Vec<Vec<Match>>> {
        self.store.best_matches(
            query,
            self.source_lang.as_deref(),
            &self.target_langs,
            min,
            limit,
        )
    }
}

/// Parse `--to es,ru` into tags.
pub(super) fn target_langs(value: &str) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let tag = lang_flag(Some(part), "--to")?
            .map(|t| t.to_string())
            .unwrap_or_default();
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    if out.is_empty() {
        return Err(Error::usage(
            "--to: name at least one language (es, or es,ru)",
        ));
    }
    Ok(out)
}

/// The queries of a run: the one TEXT, or every line of --file or --jsonl.
fn queries(args: &LookupArgs) -> Result<Vec<Query>> {
    let (path, format) = match (&args.text, &args.file, &args.jsonl) {
        (Some(text), _, _) => {
            if text.trim().is_empty() {
                return Err(Error::usage("TEXT is empty: give the text to look up"));
            }
            return Ok(vec![Query {
                line: 0,
                id: None,
                text: text.clone(),
            }]);
        }
        (None, Some(p), _) => (p, QueryFormat::Lines),
        (None, None, Some(p)) => (p, QueryFormat::JsonLines),
        (None, None, None) => {
            return Err(Error::usage(
                "give TEXT, or --file FILE (one text per line), or --jsonl FILE",
            ))
        }
    };
    if path.as_os_str() == "-" {
        return read_queries(io::stdin().lock(), "<stdin>", format);
    }
    let file = std::fs::File::open(path).map_err(|e| Error::from(e).with_path(path))?;
    read_queries(
        io::BufReader::new(file),
        &path.display().to_string(),
        format,
    )
}

/// Look up one text: as a whole, then sentence by sentence (without the paragraph's number)
/// when it has several sentences.
pub(super) fn answer(m: &Matcher, text: &str, min: u8, limit: usize) -> Result<Answer> {
    let query = Prepared::new(text);
    let matches = m.best(&query, min, limit)?.pop().unwrap_or_default();
    let parts = query_sentences(text);
    let mut sentences = Vec::new();
    if parts.len() > 1 {
        for s in parts {
            let q = Prepared::new(s);
            let ms = m.best(&q, min, limit)?.pop().unwrap_or_default();
            sentences.push((q, ms));
        }
    }
    Ok(Answer {
        query,
        matches,
        sentences,
    })
}

pub(super) fn run(args: LookupArgs) -> Result<i32> {
    let langs = target_langs(&args.to)?;
    if langs.len() != 1 {
        return Err(Error::usage(
            "--to: lookup takes one language; `paralign analyze` takes several",
        ));
    }
    let from = lang_flag(args.from.as_deref(), "--from")?.map(|t| t.to_string());
    let queries = queries(&args)?;
    let batch = args.text.is_none();
    let store = open_for_lookup(&args.db)?;
    let matcher = Matcher {
        store: &store,
        path: Some(store.path().to_path_buf()),
        source_lang: from.clone(),
        target_langs: langs.clone(),
    };
    let answers = queries
        .iter()
        .map(|q| answer(&matcher, &q.text, args.min_match, args.limit))
        .collect::<Result<Vec<Answer>>>()?;
    let glossary = glossary(&store.term_base()?, from.as_deref(), &langs[0]);
    let terms: Vec<Vec<TermPair>> = queries
        .iter()
        .map(|q| {
            glossary
                .as_ref()
                .map(|g| terms_in(g, &q.text))
                .unwrap_or_default()
        })
        .collect();
    let found: Vec<Found> = queries
        .iter()
        .zip(&answers)
        .zip(&terms)
        .map(|((q, a), t)| Found {
            answer: a,
            line: batch.then_some(q.line),
            id: q.id.as_ref(),
            source_lang: from.as_deref(),
            target_lang: &langs[0],
            min_match: args.min_match,
            terms: t,
        })
        .collect();
    emit(args.output.as_deref(), |w| match args.format {
        LookupFormat::Text => write_text_all(&found, batch, w),
        LookupFormat::Json => write_json_lines(&found, w),
    })?;
    Ok(EXIT_OK)
}

/// The glossary into `to`, from `from` or, without it, from every other language.
pub(super) fn glossary(base: &TermBase, from: Option<&str>, to: &str) -> Option<Arc<Glossary>> {
    if base.is_empty() {
        return None;
    }
    let to = LangTag::parse(to).ok()?;
    let from = from.map(LangTag::parse).transpose().ok()?;
    base.shared(from.as_ref(), &to)
}

/// The glossary terms found in a query, one pair per target term.
pub(super) fn terms_in(g: &Glossary, text: &str) -> Vec<TermPair> {
    g.terms_in(text)
        .into_iter()
        .flat_map(|(source, targets)| {
            targets.into_iter().map(move |target| TermPair {
                source: source.clone(),
                target,
            })
        })
        .collect()
}
