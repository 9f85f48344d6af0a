//! `paralign segments [TEXT]`: list or search the translation memory's segments, filtered by
//! languages, document, minimum score and flags, as text or JSON (the segments contract,
//! `version` 1). Read-only; the writers are in `report::memory::segments`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::config::parse_flags;
use super::import::open_for_reading;
use super::{emit, lang_flag, DbArgs, EXIT_OK};
use crate::align::Flag;
use crate::error::{Error, Result};
use crate::report::memory::segments::{write_json, write_text};
use crate::store::SegmentFilter;

/// Output formats of `segments`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum SegmentsFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub(super) struct SegmentsArgs {
    /// Only segments whose source or target contains TEXT (case-insensitive for ASCII letters).
    #[arg(value_name = "TEXT")]
    pub(super) text: Option<String>,
    /// Only this pair of languages, SOURCE:TARGET (en:es).
    #[arg(long, value_name = "SRC:TGT", conflicts_with_all = ["source_lang", "target_lang"])]
    pub(super) lang_pair: Option<String>,
    /// Only this source language (en also matches en-GB).
    #[arg(long, value_name = "LANG")]
    pub(super) source_lang: Option<String>,
    /// Only this target language.
    #[arg(long, value_name = "LANG")]
    pub(super) target_lang: Option<String>,
    /// Only segments last seen in this document.
    #[arg(long, value_name = "NAME")]
    pub(super) doc: Option<String>,
    /// Only segments scoring at least SCORE (0 to 1).
    #[arg(long, value_name = "SCORE")]
    pub(super) min_score: Option<f64>,
    /// Only segments with any of these flags (comma-separated); `none` for segments without any.
    #[arg(long, value_name = "FLAGS")]
    pub(super) flag: Option<String>,
    /// Show at most N segments; 0 shows all.
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub(super) limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SegmentsFormat::Text)]
    pub(super) format: SegmentsFormat,
    /// Write the list to FILE instead of standard output (written whole or not at all).
    #[arg(short, long, value_name = "FILE")]
    pub(super) output: Option<PathBuf>,
    #[command(flatten)]
    pub(super) db: DbArgs,
}

/// Validate the flags into a filter (no I/O).
pub(super) fn filter(args: &SegmentsArgs) -> Result<SegmentFilter> {
    let (source, target) = match &args.lang_pair {
        Some(p) => {
            let (s, t) = p.split_once(':').ok_or_else(|| {
                Error::usage(format!(
                    "--lang-pair: `{p}` is not SOURCE:TARGET (en:es, en:zh-Hans)"
                ))
            })?;
            (Some(s.to_string()), Some(t.to_string()))
        }
        None => (args.source_lang.clone(), args.target_lang.clone()),
    };
    let source_lang = lang_flag(source.as_deref(), "--source-lang")?.map(|l| l.to_string());
    let target_lang = lang_flag(target.as_deref(), "--target-lang")?.map(|l| l.to_string());
    if let Some(m) = args.min_score {
        if !(0.0..=1.0).contains(&m) {
            return Err(Error::usage(format!(
                "--min-score: {m} is not a score between 0 and 1"
            )));
        }
    }
    let mut flags: Vec<Flag> = Vec::new();
    let mut unflagged = false;
    if let Some(f) = &args.flag {
        unflagged = f.split(',').any(|p| p.trim() == "none");
        flags = parse_flags(f, "--flag")?;
        if flags.is_empty() && !unflagged {
            return Err(Error::usage("--flag: name at least one flag, or `none`"));
        }
    }
    Ok(SegmentFilter {
        source_lang,
        target_lang,
        document: args.doc.clone(),
        min_score: args.min_score,
        flags,
        unflagged,
        text: args.text.clone(),
        limit: if args.limit == 0 {
            None
        } else {
            Some(args.limit)
        },
    })
}

pub(super) fn run(args: SegmentsArgs) -> Result<i32> {
    let f = filter(&args)?;
    let store = open_for_reading(&args.db)?;
    let page = store.segments(&f)?;
    emit(args.output.as_deref(), |w| match args.format {
        SegmentsFormat::Text => write_text(&page, w),
        SegmentsFormat::Json => write_json(&page, w),
    })?;
    Ok(EXIT_OK)
}
