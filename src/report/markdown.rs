//! A Markdown summary of a check: the verdict, a table with one row per document and language
//! (coverage, findings, state) and the findings that fail. Written for a GitHub job summary
//! (`$GITHUB_STEP_SUMMARY`) or a merge request comment; text from the documents is escaped so
//! that it cannot open a link, an image or HTML.

use std::io::{self, Write};

use super::{all_errors, judged, location, message, missing_message, summary, Run};
use crate::check::{Acceptation, Finding};

/// Escape text for a Markdown table cell or list item.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// At most this many failing findings are listed.
const MAX_LISTED: usize = 50;

pub(super) fn write(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    let sum = summary(run);
    let passed = !sum.input_errors && sum.reasons.is_empty();
    writeln!(
        out,
        "## paralign: {}\n\n{}; **{}**\n",
        if passed { "passed" } else { "FAILED" },
        esc(&sum.counts),
        esc(&sum.verdict())
    )?;
    let judged = judged(run);
    table(run, &judged, out)?;
    let failing: Vec<_> = judged.iter().filter(|f| f.2).collect();
    let errors = all_errors(run);
    if !failing.is_empty()
        || !errors.is_empty()
        || run.verdict.is_some_and(|v| !v.missing.is_empty())
    {
        writeln!(out, "\n### What fails\n")?;
        if let Some(v) = run.verdict {
            for m in v.missing.iter().filter(|m| m.fails) {
                writeln!(out, "- missing: {}", esc(&missing_message(m)))?;
            }
        }
        for (f, ..) in failing.iter().take(MAX_LISTED) {
            let (path, line) = location(f);
            writeln!(
                out,
                "- {} `{}:{line}`: {}",
                f.flag.as_str(),
                path.replace('`', "'"),
                esc(&message(f))
            )?;
        }
        if failing.len() > MAX_LISTED {
            writeln!(
                out,
                "- … and {} more (see the full report)",
                failing.len() - MAX_LISTED
            )?;
        }
        for e in errors {
            writeln!(out, "- input error: {}", esc(&e.to_string()))?;
        }
    }
    for w in run.warnings {
        writeln!(out, "- warning: {}", esc(&w.to_string()))?;
    }
    Ok(())
}

/// The table: one row per document and language, with its coverage, findings and state.
fn table(
    run: &Run,
    judged: &[(Finding, Acceptation, bool)],
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "| Document | Language | Coverage | Findings | State |\n|---|---|---:|---:|---|"
    )?;
    for (di, doc) in run.docs.iter().enumerate() {
        let Some(source) = &doc.source else { continue };
        for (ti, t) in doc.targets.iter().enumerate() {
            let mine: Vec<_> = judged
                .iter()
                .filter(|(f, ..)| (f.at.doc, f.at.target) == (di, ti))
                .collect();
            let failing = mine.iter().filter(|f| f.2).count();
            let under = run.verdict.is_some_and(|v| {
                v.coverage
                    .iter()
                    .any(|c| c.document == doc.id && c.lang == t.version.lang.as_str())
            });
            let state = if failing > 0 || under {
                "fails"
            } else if mine.is_empty() {
                "ok"
            } else {
                "warnings"
            };
            writeln!(
                out,
                "| {} | {} | {:.1}% | {} | {state} |",
                esc(&doc.id),
                esc(t.version.lang.as_str()),
                t.coverage(source) * 100.0,
                mine.len()
            )?;
        }
        if let Some(v) = run.verdict {
            for m in v.missing.iter().filter(|m| m.document == doc.id) {
                writeln!(
                    out,
                    "| {} | {} | 0.0% | no file{} | {} |",
                    esc(&doc.id),
                    esc(&m.lang),
                    m.path
                        .as_deref()
                        .map(|p| format!(": {}", esc(p)))
                        .unwrap_or_default(),
                    if m.fails { "fails" } else { "warnings" }
                )?;
            }
        }
    }
    Ok(())
}
