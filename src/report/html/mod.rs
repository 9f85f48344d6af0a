//! The review page: one self-contained HTML file that a translator opens in a browser. One row
//! per aligned unit and one column per language (source first); every finding is a text badge
//! and a colour where it belongs, the numbers, links and names that disagree are highlighted in
//! both cells, and a summary with coverage and counts per flag opens each document.
//!
//! The page needs no server and no network: its style and its filter script (`html/`) are
//! inlined. Without JavaScript it shows everything; with it, filters (only problems, one flag,
//! one language, a search box, also read from the URL fragment: `#problems&flag=diverging`)
//! hide rows. Rows are laid out with `content-visibility: auto`, so that a page of tens of
//! thousands of paragraphs stays usable. Every piece of document text goes through [`esc`]
//! before it is written; nothing from the documents reaches the script. Output is a pure
//! function of the run: no clock, paths as the user gave them.
//!
//! Here: the page's head, verdict and filters. Each document's summary and grid is in
//! `document`, its rows and cells in `row`, the explanations under a flagged pair in `why`, a
//! paragraph's text with its highlights in `text`.

use crate::text::plural;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::{all_errors, judged, xml_escape as esc, Run};
use crate::align::Flag;
use crate::check::{Acceptation, DocResult, Finding};
use crate::collect::Version;
use crate::language::LangTag;
use document::section;

mod document;
mod row;
#[cfg(test)]
mod tests;
mod text;
mod why;

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("filter.js");

/// How each finding of one document was judged, by its target's and pair's indices and flag.
type Judgements = HashMap<(usize, usize, Flag), (Acceptation, bool)>;

pub(super) fn write(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    let judged = judged(run);
    // The documents with a source, with their indices in the run.
    let indexed: Vec<(usize, &DocResult, &Version)> = run
        .docs
        .iter()
        .enumerate()
        .filter_map(|(i, d)| d.source.as_ref().map(|s| (i, d, s)))
        .collect();
    let docs: Vec<(&DocResult, &Version)> = indexed.iter().map(|&(_, d, s)| (d, s)).collect();
    let columns = docs.iter().map(|(d, _)| d.targets.len() + 1).max();
    let title = match docs.as_slice() {
        [(d, _)] => format!("Review of {}", d.id),
        _ => format!("Review of {} documents", docs.len()),
    };
    // A4 portrait holds three columns; more are printed across.
    let page = if columns.unwrap_or(0) > 3 {
        "A4 landscape"
    } else {
        "A4 portrait"
    };
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} · paralign</title>\n<style>\n{STYLE}@page {{ size: {page}; margin: 12mm; }}\n\
         </style>\n<style id=\"f-cols\"></style>\n</head>\n<body>\n<header class=\"top\">\n\
         <h1>{}</h1>\n",
        esc(&title),
        esc(&title)
    )?;
    verdict(out, run, &docs, &judged)?;
    let errors = all_errors(run);
    if !errors.is_empty() {
        writeln!(out, "<ul class=\"errors\">")?;
        for e in errors {
            writeln!(out, "<li>error: {}</li>", esc(&e.to_string()))?;
        }
        writeln!(out, "</ul>")?;
    }
    filters(out, &docs)?;
    writeln!(out, "</header>\n<main>")?;
    for (k, &(di, doc, source)) in indexed.iter().enumerate() {
        let judgements: Judgements = judged
            .iter()
            .filter(|(f, ..)| f.at.doc == di)
            .map(|(f, acc, fails)| ((f.at.target, f.at.pair, f.flag), (*acc, *fails)))
            .collect();
        section(out, k, di, doc, source, &judgements)?;
    }
    write!(
        out,
        "</main>\n<script>\n{SCRIPT}</script>\n</body>\n</html>\n"
    )
}

/// The line that says how the run went.
fn verdict(
    out: &mut dyn Write,
    run: &Run,
    docs: &[(&DocResult, &Version)],
    judged: &[(Finding, Acceptation, bool)],
) -> io::Result<()> {
    let targets: usize = docs.iter().map(|(d, _)| d.targets.len()).sum();
    let accepted = judged.iter().filter(|f| f.1 == Acceptation::Yes).count();
    let mut line = format!(
        "{targets} {} of {} {}: {} {}",
        plural(targets, "translation", "translations"),
        docs.len(),
        plural(docs.len(), "document", "documents"),
        judged.len(),
        plural(judged.len(), "finding", "findings"),
    );
    if accepted > 0 {
        let _ = write!(line, ", {accepted} accepted");
    }
    let Some(v) = run.verdict else {
        return writeln!(out, "<p class=\"verdict\">{}</p>", esc(&line));
    };
    let sum = super::summary(run);
    let (class, state) = if v.fails() || sum.input_errors {
        ("fail", sum.verdict())
    } else {
        ("pass", "passed".to_string())
    };
    writeln!(
        out,
        "<p class=\"verdict {class}\">{}; <strong>{}</strong></p>",
        esc(&line),
        esc(&state)
    )?;
    for m in &v.missing {
        writeln!(
            out,
            "<p class=\"verdict {}\">missing: {}</p>",
            if m.fails { "fail" } else { "warn" },
            esc(&super::missing_message(m))
        )?;
    }
    for c in &v.coverage {
        writeln!(
            out,
            "<p class=\"verdict fail\">{} [{}]: coverage {:.1}% is under the minimum {:.1}%</p>",
            esc(&c.document),
            esc(&c.lang),
            c.coverage * 100.0,
            c.minimum * 100.0
        )?;
    }
    Ok(())
}

/// The filter controls: hidden until the script shows them, so that a page without JavaScript
/// offers nothing that does not work.
fn filters(out: &mut dyn Write, docs: &[(&DocResult, &Version)]) -> io::Result<()> {
    let mut langs: Vec<&LangTag> = Vec::new();
    for (d, _) in docs {
        for t in &d.targets {
            if !langs.contains(&&t.version.lang) {
                langs.push(&t.version.lang);
            }
        }
    }
    let mut s = String::from(
        "<form id=\"filters\" class=\"filters\" role=\"search\" hidden>\n\
         <label><input type=\"checkbox\" id=\"f-problems\"> Only problems</label>\n\
         <label>Flag <select id=\"f-flag\"><option value=\"\">any</option>",
    );
    for f in Flag::ALL {
        let _ = write!(s, "<option value=\"{0}\">{0}</option>", f.as_str());
    }
    s.push_str(
        "</select></label>\n<label>Language <select id=\"f-lang\"><option value=\"\">all</option>",
    );
    for l in langs {
        let _ = write!(
            s,
            "<option value=\"{0}\">{0} {1}</option>",
            esc(l.as_str()),
            esc(l.name())
        );
    }
    s.push_str(
        "</select></label>\n<label>Search <input type=\"search\" id=\"f-q\" \
         placeholder=\"text, label or number\"></label>\n\
         <output id=\"f-count\" aria-live=\"polite\"></output>\n</form>\n\
         <noscript><p class=\"note\">Filters need JavaScript; every row is shown.</p></noscript>\n",
    );
    out.write_all(s.as_bytes())
}

/// Whether a language is written right to left: its script subtag, else its usual script.
pub(crate) fn is_rtl(tag: &LangTag) -> bool {
    let script = tag
        .as_str()
        .split('-')
        .nth(1)
        .filter(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphabetic()));
    if let Some(s) = script {
        return matches!(
            s,
            "Arab" | "Hebr" | "Thaa" | "Syrc" | "Nkoo" | "Adlm" | "Rohg" | "Samr" | "Mand"
        );
    }
    matches!(
        tag.language(),
        "ar" | "arb"
            | "he"
            | "iw"
            | "fa"
            | "pes"
            | "prs"
            | "ur"
            | "yi"
            | "ydd"
            | "ps"
            | "pbu"
            | "sd"
            | "ug"
            | "dv"
            | "ckb"
            | "syr"
    )
}

/// The direction a version's text is shown in: its script's (an Arabic page declared `ltr`
/// still reads right to left), else the one its page declares (`dir`), else its language's.
fn version_dir(v: &crate::collect::Version) -> &'static str {
    v.doc
        .script_direction()
        .or(v.doc.dir.map(|(d, _)| d))
        .map_or_else(|| dir(&v.lang), |d| d.as_str())
}

fn dir(tag: &LangTag) -> &'static str {
    if is_rtl(tag) {
        "rtl"
    } else {
        "ltr"
    }
}
