//! `status`'s table: where each document and language stands in the translation memory
//! (translated, missing, diverging, outdated, coverage), as text, Markdown (for a pull request
//! comment) and JSON (the status contract, `version` 1). Pure writers from the store's answer to
//! bytes; one document paragraph by paragraph is `status_doc`.

use std::io::{self, Write};

use serde::Serialize;

use super::Form;
use crate::report::terminal_safe;
use crate::store::{format_time, DocStatus, LangStatus};
use crate::text::{self, round4};

/// Write the table of every document in a format.
pub(crate) fn write(docs: &[DocStatus], form: Form, out: &mut dyn Write) -> io::Result<()> {
    match form {
        Form::Text => write_text(docs, out),
        Form::Json => write_json(docs, out),
        Form::Markdown => write_markdown(docs, out),
    }
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

pub(super) fn md_escape(s: &str) -> String {
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
pub(super) struct JsonVersion<'a> {
    pub lang: &'a str,
    pub path: &'a str,
    pub paragraphs: usize,
    pub imported: String,
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
#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::VersionInfo;

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
}
