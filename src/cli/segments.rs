//! `paralign segments [TEXT]`: list or search the translation memory's segments, filtered by
//! languages, document, minimum score and flags, as text or JSON (the segments contract,
//! `version` 1). Read-only; the writers are pure functions from the store's answer to bytes.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::config::parse_flags;
use super::import::open_for_reading;
use super::{emit, lang_flag, DbArgs, EXIT_OK};
use crate::align::Flag;
use crate::error::{Error, Result};
use crate::report::{excerpt, terminal_safe};
use crate::store::{format_time, SegmentFilter, SegmentPage};

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
    text: Option<String>,
    /// Only this pair of languages, SOURCE:TARGET (en:es).
    #[arg(long, value_name = "SRC:TGT", conflicts_with_all = ["source_lang", "target_lang"])]
    lang_pair: Option<String>,
    /// Only this source language (en also matches en-GB).
    #[arg(long, value_name = "LANG")]
    source_lang: Option<String>,
    /// Only this target language.
    #[arg(long, value_name = "LANG")]
    target_lang: Option<String>,
    /// Only segments last seen in this document.
    #[arg(long, value_name = "NAME")]
    doc: Option<String>,
    /// Only segments scoring at least SCORE (0 to 1).
    #[arg(long, value_name = "SCORE")]
    min_score: Option<f64>,
    /// Only segments with any of these flags (comma-separated); `none` for segments without any.
    #[arg(long, value_name = "FLAGS")]
    flag: Option<String>,
    /// Show at most N segments; 0 shows all.
    #[arg(long, value_name = "N", default_value_t = 50)]
    limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SegmentsFormat::Text)]
    format: SegmentsFormat,
    /// Write the list to FILE instead of standard output (written whole or not at all).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    db: DbArgs,
}

/// Validate the flags into a filter (no I/O).
fn filter(args: &SegmentsArgs) -> Result<SegmentFilter> {
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

fn write_text(page: &SegmentPage, out: &mut dyn Write) -> io::Result<()> {
    for s in &page.segments {
        let mut head = format!(
            "#{} {}→{} {}",
            s.id, s.source_lang, s.target_lang, s.document
        );
        if let Some(l) = &s.label {
            head.push_str(&format!(" ¶{l}"));
        }
        match s.score {
            Some(x) => head.push_str(&format!(" score {x:.2}")),
            None => head.push_str(" score -"),
        }
        if !s.flags.is_empty() {
            let f: Vec<&str> = s.flags.iter().map(|f| f.as_str()).collect();
            head.push_str(&format!(" [{}]", f.join(", ")));
        }
        // Stored text may hold what drives a terminal: written as escapes.
        writeln!(out, "{}", terminal_safe(&head))?;
        writeln!(
            out,
            "  {}: {}",
            s.source_lang,
            terminal_safe(&excerpt(&s.source, 100))
        )?;
        writeln!(
            out,
            "  {}: {}",
            s.target_lang,
            terminal_safe(&excerpt(&s.target, 100))
        )?;
    }
    let n = page.segments.len();
    if n == page.total {
        writeln!(out, "{} {}", n, if n == 1 { "segment" } else { "segments" })
    } else {
        writeln!(
            out,
            "{n} of {} segments shown (--limit 0 shows all)",
            page.total
        )
    }
}

#[derive(Serialize)]
struct JsonSegments<'a> {
    version: u32,
    total: usize,
    segments: Vec<JsonSegment<'a>>,
}

#[derive(Serialize)]
struct JsonSegment<'a> {
    id: i64,
    source_lang: &'a str,
    target_lang: &'a str,
    document: &'a str,
    label: Option<&'a str>,
    source: &'a str,
    target: &'a str,
    score: Option<f64>,
    flags: &'a [Flag],
    source_hash: &'a str,
    outdated: bool,
    origin: &'a str,
    created: String,
    changed: String,
}

fn write_json(page: &SegmentPage, out: &mut dyn Write) -> io::Result<()> {
    let doc = JsonSegments {
        version: 1,
        total: page.total,
        segments: page
            .segments
            .iter()
            .map(|s| JsonSegment {
                id: s.id,
                source_lang: &s.source_lang,
                target_lang: &s.target_lang,
                document: &s.document,
                label: s.label.as_deref(),
                source: &s.source,
                target: &s.target,
                score: s.score.map(|x| (x * 1000.0).round() / 1000.0),
                flags: &s.flags,
                source_hash: &s.source_hash,
                outdated: s.outdated,
                origin: &s.origin,
                created: format_time(s.created),
                changed: format_time(s.changed),
            })
            .collect(),
    };
    serde_json::to_writer(&mut *out, &doc).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Segment;

    fn page() -> SegmentPage {
        SegmentPage {
            segments: vec![Segment {
                id: 3,
                source_lang: "en".into(),
                target_lang: "es".into(),
                document: "statement".into(),
                label: Some("2".into()),
                source: "2. Fares rose by 38%.".into(),
                target: "2. Las tarifas subieron un 38 %.".into(),
                score: Some(0.9123),
                flags: vec![Flag::Outdated],
                source_hash: "00000000000000ff".into(),
                outdated: true,
                origin: "import".into(),
                created: 0,
                changed: 60,
            }],
            total: 7,
        }
    }

    #[test]
    fn text_is_exact() {
        let mut v = Vec::new();
        write_text(&page(), &mut v).unwrap();
        assert_eq!(
            String::from_utf8(v).unwrap(),
            "#3 en→es statement ¶2 score 0.91 [outdated]\n  en: 2. Fares rose by 38%.\n  es: 2. Las tarifas subieron un 38 %.\n1 of 7 segments shown (--limit 0 shows all)\n"
        );
    }

    #[test]
    fn json_is_exact() {
        let mut v = Vec::new();
        write_json(&page(), &mut v).unwrap();
        assert_eq!(
            String::from_utf8(v).unwrap(),
            r#"{"version":1,"total":7,"segments":[{"id":3,"source_lang":"en","target_lang":"es","document":"statement","label":"2","source":"2. Fares rose by 38%.","target":"2. Las tarifas subieron un 38 %.","score":0.912,"flags":["outdated"],"source_hash":"00000000000000ff","outdated":true,"origin":"import","created":"1970-01-01T00:00:00Z","changed":"1970-01-01T00:01:00Z"}]}
"#
        );
    }
}
