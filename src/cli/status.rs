//! `paralign status [DOC]`: where each document and language stands in the translation memory
//! (translated, missing, diverging, outdated, coverage), or one document paragraph by paragraph.
//! Formats: text, JSON (the status contract, `version` 1) and Markdown (for a pull request
//! comment). Each writer is a pure function from the store's answer to bytes. Read-only.

use crate::text::round4;
use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::import::open_for_reading;
use super::{emit, DbArgs, EXIT_OK};
use crate::align::Flag;
use crate::error::{Error, Result};
use crate::report::{excerpt, terminal_safe};
use crate::store::{format_time, DocDetail, DocStatus, LangStatus};
use crate::text::{self, pad_right};

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
    if args.format == StatusFormat::Html && args.doc.is_none() {
        return Err(Error::usage(
            "--format html shows one document side by side: give its name (paralign status statement --format html -o review.html)",
        ));
    }
    let store = open_for_reading(&args.db)?;
    match &args.doc {
        None => {
            let docs = store.status()?;
            emit(args.output.as_deref(), |w| match args.format {
                StatusFormat::Text => write_text(&docs, w),
                StatusFormat::Json => write_json(&docs, w),
                StatusFormat::Markdown => write_markdown(&docs, w),
                StatusFormat::Html => unreachable_html(),
            })?;
        }
        Some(name) => {
            let Some(detail) = store.document(name)? else {
                let names = store.document_names()?;
                if names.iter().any(|n| n == name) {
                    return Err(Error::usage(format!(
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
                return Err(Error::usage(format!(
                    "no document `{name}` in the memory {}; {hint}",
                    store.path().display()
                )));
            };
            if args.format == StatusFormat::Html {
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
                return Ok(EXIT_OK);
            }
            emit(args.output.as_deref(), |w| match args.format {
                StatusFormat::Text => write_doc_text(&detail, w),
                StatusFormat::Json => write_doc_json(&detail, w),
                StatusFormat::Markdown => write_doc_markdown(&detail, w),
                StatusFormat::Html => unreachable_html(),
            })?;
        }
    }
    Ok(EXIT_OK)
}

fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// The rows of the table: document, source, language and the counts.
fn rows(docs: &[DocStatus]) -> Vec<[String; 8]> {
    let mut out = Vec::new();
    for d in docs {
        let source = d
            .source
            .as_ref()
            .map(|s| format!("{} ({})", s.lang, s.paragraphs))
            .unwrap_or_else(|| "-".into());
        if d.targets.is_empty() {
            let dash = || "-".to_string();
            out.push([
                d.id.clone(),
                source.clone(),
                dash(),
                dash(),
                dash(),
                dash(),
                dash(),
                dash(),
            ]);
        }
        for t in &d.targets {
            out.push([
                d.id.clone(),
                source.clone(),
                t.lang.clone(),
                format!("{}/{}", t.translated, t.source_paragraphs),
                t.missing.to_string(),
                t.diverging.to_string(),
                t.outdated.to_string(),
                format!(
                    "{}{}",
                    percent(t.coverage),
                    if t.current_source { "" } else { "*" }
                ),
            ]);
        }
    }
    out
}

const HEADER: [&str; 8] = [
    "document",
    "source",
    "lang",
    "translated",
    "missing",
    "diverging",
    "outdated",
    "coverage",
];

struct Totals {
    docs: usize,
    targets: usize,
    translated: usize,
    paragraphs: usize,
    missing: usize,
    diverging: usize,
    outdated: usize,
    stale: usize,
}

fn totals(docs: &[DocStatus]) -> Totals {
    let all: Vec<&LangStatus> = docs.iter().flat_map(|d| &d.targets).collect();
    Totals {
        docs: docs.len(),
        targets: all.len(),
        translated: all.iter().map(|t| t.translated).sum(),
        paragraphs: all.iter().map(|t| t.source_paragraphs).sum(),
        missing: all.iter().map(|t| t.missing).sum(),
        diverging: all.iter().map(|t| t.diverging).sum(),
        outdated: all.iter().map(|t| t.outdated).sum(),
        stale: all.iter().filter(|t| !t.current_source).count(),
    }
}

fn totals_line(t: &Totals) -> String {
    format!(
        "{} {}, {} {}: {}/{} paragraphs translated, {} missing, {} diverging, {} outdated",
        t.docs,
        if t.docs == 1 { "document" } else { "documents" },
        t.targets,
        if t.targets == 1 {
            "translation"
        } else {
            "translations"
        },
        t.translated,
        t.paragraphs,
        t.missing,
        t.diverging,
        t.outdated
    )
}

const STALE_NOTE: &str = "* aligned with an earlier source version: the translation's file was not found when the source changed";

fn write_text(docs: &[DocStatus], out: &mut dyn Write) -> io::Result<()> {
    if docs.is_empty() {
        return writeln!(out, "the memory holds no documents yet");
    }
    let rows = rows(docs);
    let mut width = HEADER.map(str::len);
    for r in &rows {
        for (k, c) in r.iter().enumerate() {
            width[k] = width[k].max(text::width(c));
        }
    }
    let line = |cells: [&str; 8]| {
        let mut s = String::new();
        for (k, c) in cells.iter().enumerate() {
            let pad = width[k].saturating_sub(text::width(c));
            if k >= 3 {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                if k < 7 {
                    s.push_str(&" ".repeat(pad));
                }
            }
            if k < 7 {
                s.push_str("  ");
            }
        }
        s.trim_end().to_string()
    };
    writeln!(out, "{}", line(HEADER))?;
    for r in &rows {
        writeln!(
            out,
            "{}",
            terminal_safe(&line(r.each_ref().map(String::as_str)))
        )?;
    }
    let t = totals(docs);
    writeln!(out, "{}", totals_line(&t))?;
    if t.stale > 0 {
        writeln!(out, "{STALE_NOTE}")?;
    }
    Ok(())
}

fn md_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
}

fn write_markdown(docs: &[DocStatus], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "### Translation status\n")?;
    if docs.is_empty() {
        return writeln!(out, "The memory holds no documents yet.");
    }
    writeln!(
        out,
        "| Document | Source | Language | Translated | Missing | Diverging | Outdated | Coverage |"
    )?;
    writeln!(out, "|---|---|---|--:|--:|--:|--:|--:|")?;
    for r in rows(docs) {
        let cells: Vec<String> = r.iter().map(|c| md_escape(c)).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    let t = totals(docs);
    writeln!(out, "\n{}.", totals_line(&t))?;
    if t.stale > 0 {
        writeln!(out, "\n\\{STALE_NOTE}.")?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonStatus<'a> {
    version: u32,
    documents: Vec<JsonDoc<'a>>,
    totals: JsonTotals,
}

#[derive(Serialize)]
struct JsonVersion<'a> {
    lang: &'a str,
    path: &'a str,
    paragraphs: usize,
    imported: String,
}

#[derive(Serialize)]
struct JsonDoc<'a> {
    id: &'a str,
    source: Option<JsonVersion<'a>>,
    targets: Vec<JsonTarget<'a>>,
}

#[derive(Serialize)]
struct JsonTarget<'a> {
    lang: &'a str,
    path: &'a str,
    paragraphs: usize,
    source_paragraphs: usize,
    translated: usize,
    missing: usize,
    extra: usize,
    untranslated: usize,
    diverging: usize,
    misnumbered: usize,
    reordered: usize,
    outdated: usize,
    coverage: f64,
    aligned: String,
    current_source: bool,
}

#[derive(Serialize)]
struct JsonTotals {
    documents: usize,
    translations: usize,
    source_paragraphs: usize,
    translated: usize,
    missing: usize,
    diverging: usize,
    outdated: usize,
}

fn write_json(docs: &[DocStatus], out: &mut dyn Write) -> io::Result<()> {
    let t = totals(docs);
    let doc = JsonStatus {
        version: 1,
        documents: docs
            .iter()
            .map(|d| JsonDoc {
                id: &d.id,
                source: d.source.as_ref().map(|s| JsonVersion {
                    lang: &s.lang,
                    path: &s.path,
                    paragraphs: s.paragraphs,
                    imported: format_time(s.imported),
                }),
                targets: d
                    .targets
                    .iter()
                    .map(|t| JsonTarget {
                        lang: &t.lang,
                        path: &t.path,
                        paragraphs: t.paragraphs,
                        source_paragraphs: t.source_paragraphs,
                        translated: t.translated,
                        missing: t.missing,
                        extra: t.extra,
                        untranslated: t.untranslated,
                        diverging: t.diverging,
                        misnumbered: t.misnumbered,
                        reordered: t.reordered,
                        outdated: t.outdated,
                        coverage: round4(t.coverage),
                        aligned: format_time(t.aligned),
                        current_source: t.current_source,
                    })
                    .collect(),
            })
            .collect(),
        totals: JsonTotals {
            documents: t.docs,
            translations: t.targets,
            source_paragraphs: t.paragraphs,
            translated: t.translated,
            missing: t.missing,
            diverging: t.diverging,
            outdated: t.outdated,
        },
    };
    serde_json::to_writer(&mut *out, &doc).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// The state word of source paragraph `i` in each language ("stale" when the language was
/// aligned with an earlier source version).
fn states(d: &DocDetail, i: usize) -> Vec<String> {
    d.langs
        .iter()
        .map(|l| {
            if !l.current_source {
                return "stale".into();
            }
            match l.states.get(i).and_then(|s| s.as_ref()) {
                Some(s) => s.word(),
                None => "-".into(),
            }
        })
        .collect()
}

fn write_doc_text(d: &DocDetail, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{}: {} {} ({} paragraphs, imported {})",
        d.id,
        d.source.lang,
        d.source.path,
        d.source.paragraphs,
        format_time(d.source.imported)
    )?;
    let langs: Vec<&str> = d.langs.iter().map(|l| l.lang.as_str()).collect();
    let all: Vec<Vec<String>> = d.paragraphs.iter().map(|p| states(d, p.index)).collect();
    let state_w = all
        .iter()
        .flatten()
        .map(|s| text::width(s))
        .chain(langs.iter().map(|l| text::width(l)))
        .max()
        .unwrap_or(2);
    let label_w = d
        .paragraphs
        .iter()
        .map(|p| text::width(p.label.as_deref().unwrap_or("-")))
        .max()
        .unwrap_or(1)
        .max(5);
    let mut head = format!("{:>4}  {:>5}  {}", "#", "line", pad_right("label", label_w));
    for l in &langs {
        head.push_str(&format!("  {}", pad_right(l, state_w)));
    }
    head.push_str("  text");
    writeln!(out, "{head}")?;
    for (p, words) in d.paragraphs.iter().zip(&all) {
        let mut line = format!(
            "{:>4}  {:>5}  {}",
            p.index,
            p.line,
            pad_right(p.label.as_deref().unwrap_or("-"), label_w)
        );
        for s in words {
            line.push_str(&format!("  {}", pad_right(s, state_w)));
        }
        line.push_str("  ");
        line.push_str(&excerpt(&p.text, 60));
        writeln!(out, "{}", line.trim_end())?;
    }
    for l in &d.langs {
        if !l.current_source {
            writeln!(
                out,
                "{}: aligned with an earlier source version ({} was not found when the source changed)",
                l.lang, l.path
            )?;
        }
        for p in &l.extra {
            writeln!(
                out,
                "{}: extra paragraph {} at {}:{}: {}",
                l.lang,
                p.label.as_deref().unwrap_or("(unlabelled)"),
                l.path,
                p.line,
                excerpt(&p.text, 60)
            )?;
        }
    }
    Ok(())
}

fn write_doc_markdown(d: &DocDetail, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "### {} ({}, {} paragraphs)\n",
        md_escape(&d.id),
        d.source.lang,
        d.source.paragraphs
    )?;
    let mut head = String::from("| # | Label |");
    let mut rule = String::from("|--:|---|");
    for l in &d.langs {
        head.push_str(&format!(" {} |", md_escape(&l.lang)));
        rule.push_str("---|");
    }
    head.push_str(" Text |");
    rule.push_str("---|");
    writeln!(out, "{head}\n{rule}")?;
    for p in &d.paragraphs {
        let mut line = format!(
            "| {} | {} |",
            p.index,
            md_escape(p.label.as_deref().unwrap_or("-"))
        );
        for s in states(d, p.index) {
            line.push_str(&format!(" {s} |"));
        }
        line.push_str(&format!(" {} |", md_escape(&excerpt(&p.text, 60))));
        writeln!(out, "{line}")?;
    }
    for l in &d.langs {
        for p in &l.extra {
            writeln!(
                out,
                "\n- {}: extra paragraph {} at line {}",
                md_escape(&l.lang),
                md_escape(p.label.as_deref().unwrap_or("(unlabelled)")),
                p.line
            )?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonDocDetail<'a> {
    version: u32,
    id: &'a str,
    source: JsonVersion<'a>,
    languages: Vec<JsonLang<'a>>,
    paragraphs: Vec<JsonPara<'a>>,
}

#[derive(Serialize)]
struct JsonLang<'a> {
    lang: &'a str,
    path: &'a str,
    current_source: bool,
    extra: Vec<JsonExtra<'a>>,
}

#[derive(Serialize)]
struct JsonExtra<'a> {
    index: usize,
    line: usize,
    label: Option<&'a str>,
    text: &'a str,
}

#[derive(Serialize)]
struct JsonPara<'a> {
    index: usize,
    line: usize,
    label: Option<&'a str>,
    text: &'a str,
    states: Vec<JsonState<'a>>,
}

#[derive(Serialize)]
struct JsonState<'a> {
    lang: &'a str,
    state: String,
    flags: &'a [Flag],
    target: &'a [usize],
    score: Option<f64>,
}

fn write_doc_json(d: &DocDetail, out: &mut dyn Write) -> io::Result<()> {
    let doc = JsonDocDetail {
        version: 1,
        id: &d.id,
        source: JsonVersion {
            lang: &d.source.lang,
            path: &d.source.path,
            paragraphs: d.source.paragraphs,
            imported: format_time(d.source.imported),
        },
        languages: d
            .langs
            .iter()
            .map(|l| JsonLang {
                lang: &l.lang,
                path: &l.path,
                current_source: l.current_source,
                extra: l
                    .extra
                    .iter()
                    .map(|p| JsonExtra {
                        index: p.index,
                        line: p.line,
                        label: p.label.as_deref(),
                        text: &p.text,
                    })
                    .collect(),
            })
            .collect(),
        paragraphs: d
            .paragraphs
            .iter()
            .map(|p| {
                let words = states(d, p.index);
                JsonPara {
                    index: p.index,
                    line: p.line,
                    label: p.label.as_deref(),
                    text: &p.text,
                    states: d
                        .langs
                        .iter()
                        .zip(words)
                        .map(|(l, word)| {
                            let s = l.states.get(p.index).and_then(|s| s.as_ref());
                            JsonState {
                                lang: &l.lang,
                                state: word,
                                flags: s.map(|s| s.flags.as_slice()).unwrap_or_default(),
                                target: s.map(|s| s.target.as_slice()).unwrap_or_default(),
                                score: s
                                    .and_then(|s| s.score)
                                    .map(|x| (x * 1000.0).round() / 1000.0),
                            }
                        })
                        .collect(),
                }
            })
            .collect(),
    };
    serde_json::to_writer(&mut *out, &doc).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// The HTML page is written before the text writers are reached.
fn unreachable_html() -> io::Result<()> {
    Err(io::Error::other("html is written as a review page"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{ParaInfo, ParaState, VersionInfo};

    fn sample() -> Vec<DocStatus> {
        let t = |lang: &str, outdated: usize, current: bool| LangStatus {
            lang: lang.into(),
            path: format!("d/statement.{lang}.txt"),
            paragraphs: 16,
            source_paragraphs: 16,
            translated: 15,
            missing: 1,
            extra: 0,
            untranslated: 0,
            diverging: 2,
            misnumbered: 0,
            reordered: 0,
            outdated,
            coverage: 15.0 / 16.0,
            aligned: 0,
            current_source: current,
        };
        vec![
            DocStatus {
                id: "law".into(),
                source: Some(VersionInfo {
                    lang: "en".into(),
                    path: "d/law.en.md".into(),
                    paragraphs: 13,
                    imported: 0,
                }),
                targets: vec![],
            },
            DocStatus {
                id: "statement".into(),
                source: Some(VersionInfo {
                    lang: "en".into(),
                    path: "d/statement.en.txt".into(),
                    paragraphs: 16,
                    imported: 0,
                }),
                targets: vec![t("es", 1, true), t("ru", 0, false)],
            },
        ]
    }

    fn text(f: impl Fn(&mut dyn Write) -> io::Result<()>) -> String {
        let mut v = Vec::new();
        f(&mut v).unwrap();
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn text_table_is_aligned_and_exact() {
        let got = text(|w| write_text(&sample(), w));
        let want = "\
document   source   lang  translated  missing  diverging  outdated  coverage
law        en (13)  -              -        -          -         -         -
statement  en (16)  es         15/16        1          2         1     93.8%
statement  en (16)  ru         15/16        1          2         0    93.8%*
2 documents, 2 translations: 30/32 paragraphs translated, 2 missing, 4 diverging, 1 outdated
* aligned with an earlier source version: the translation's file was not found when the source changed
";
        assert_eq!(got, want);
    }

    #[test]
    fn markdown_table_is_exact() {
        let got = text(|w| write_markdown(&sample()[1..], w));
        let want = "\
### Translation status

| Document | Source | Language | Translated | Missing | Diverging | Outdated | Coverage |
|---|---|---|--:|--:|--:|--:|--:|
| statement | en (16) | es | 15/16 | 1 | 2 | 1 | 93.8% |
| statement | en (16) | ru | 15/16 | 1 | 2 | 0 | 93.8%* |

1 document, 2 translations: 30/32 paragraphs translated, 2 missing, 4 diverging, 1 outdated.

\\* aligned with an earlier source version: the translation's file was not found when the source changed.
";
        assert_eq!(got, want);
    }

    #[test]
    fn json_reads_back() {
        let got = text(|w| write_json(&sample(), w));
        let v: serde_json::Value = serde_json::from_str(&got).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["documents"][1]["targets"][0]["outdated"], 1);
        assert_eq!(v["documents"][1]["targets"][0]["coverage"], 0.9375);
        assert_eq!(
            v["documents"][0]["source"]["imported"],
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(v["totals"]["outdated"], 1);
    }

    #[test]
    fn document_view_shows_each_paragraph_state() {
        let d = DocDetail {
            id: "statement".into(),
            source: VersionInfo {
                lang: "en".into(),
                path: "statement.en.txt".into(),
                paragraphs: 2,
                imported: 0,
            },
            paragraphs: vec![
                ParaInfo {
                    index: 0,
                    line: 1,
                    label: None,
                    text: "Title".into(),
                },
                ParaInfo {
                    index: 1,
                    line: 3,
                    label: Some("1".into()),
                    text: "1. The strike.".into(),
                },
            ],
            langs: vec![crate::store::LangDetail {
                lang: "es".into(),
                path: "statement.es.txt".into(),
                current_source: true,
                states: vec![
                    Some(ParaState {
                        target: vec![0],
                        score: Some(0.9),
                        flags: vec![],
                    }),
                    Some(ParaState {
                        target: vec![1],
                        score: Some(0.8),
                        flags: vec![Flag::Outdated],
                    }),
                ],
                extra: vec![],
            }],
        };
        let got = text(|w| write_doc_text(&d, w));
        let want = "\
statement: en statement.en.txt (2 paragraphs, imported 1970-01-01T00:00:00Z)
   #   line  label  es        text
   0      1  -      ok        Title
   1      3  1      outdated  1. The strike.
";
        assert_eq!(got, want);
    }
}
