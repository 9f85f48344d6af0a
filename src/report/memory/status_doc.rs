//! `status DOC`: one document of the translation memory paragraph by paragraph, with its state
//! in each language, as text, Markdown and JSON (the document contract, `version` 1). Pure
//! writers from the store's answer to bytes.

use std::io::{self, Write};

use serde::Serialize;

use super::status::{md_escape, JsonVersion};
use super::Form;
use crate::align::Flag;
use crate::report::excerpt;
use crate::store::{format_time, DocDetail};
use crate::text::{self, pad_right};

/// Write one document's view in a format.
pub(crate) fn write(d: &DocDetail, form: Form, out: &mut dyn Write) -> io::Result<()> {
    match form {
        Form::Text => write_doc_text(d, out),
        Form::Json => write_doc_json(d, out),
        Form::Markdown => write_doc_markdown(d, out),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{ParaInfo, ParaState, VersionInfo};

    fn text(f: impl Fn(&mut dyn Write) -> io::Result<()>) -> String {
        let mut v = Vec::new();
        f(&mut v).unwrap();
        String::from_utf8(v).unwrap()
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
