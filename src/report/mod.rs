//! Everything for eyes and pipes: one pure writer per output format, each a function from the
//! results of a run to bytes. Writers never decide policy: they show the verdict they are given.
//! Here and in `html/`: the formats of `align` and `check`; in `memory/`: those of the
//! memory commands (`status`, `segments`, `lookup`, `analyze`, `pretranslate`, `lexicon`); in
//! `accepted.rs`: what `accept` recorded; in `serve.rs`: the HTTP server's own answers and log
//! lines.

pub(crate) mod accepted;
mod github;
mod gitlab;
mod html;
mod json;
mod junit;
mod markdown;
pub(crate) mod memory;
mod sarif;
pub(crate) mod serve;
mod terminal;
mod text;

pub(crate) use crate::text::excerpt;
use crate::text::plural;
use std::io::{self, Write};

pub use terminal::{terminal_safe, terminal_safe_lines};

use crate::align::{Flag, Reason};
use crate::check::{Acceptation, DocResult, Finding, Verdict};
use crate::error::Error;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A compact report for people.
    Text,
    /// The versioned JSON contract.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
    /// JUnit XML, one test case per document and language.
    Junit,
    /// SARIF 2.1.0.
    Sarif,
    /// A self-contained HTML page for review in a browser, languages side by side.
    Html,
    /// A Markdown summary (a GitHub job summary, a merge request comment).
    Markdown,
    /// GitLab Code Quality JSON.
    Gitlab,
}

impl Format {
    /// Every format by its name on the command line.
    pub const NAMES: &'static [(&'static str, Format)] = &[
        ("text", Format::Text),
        ("json", Format::Json),
        ("github", Format::Github),
        ("junit", Format::Junit),
        ("sarif", Format::Sarif),
        ("html", Format::Html),
        ("markdown", Format::Markdown),
        ("gitlab", Format::Gitlab),
    ];

    /// The format of a name (`junit`).
    pub fn from_name(name: &str) -> Option<Format> {
        Format::NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, f)| *f)
    }
}

/// Which command produced the run (align shows every pair, check shows findings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// `paralign align`.
    Align,
    /// `paralign check`.
    Check,
}

/// What a writer is given.
pub struct Run<'a> {
    /// The command.
    pub command: Command,
    /// The aligned documents.
    pub docs: &'a [DocResult],
    /// Errors not tied to a document.
    pub errors: &'a [Error],
    /// What was skipped without failing the run (a file of another format beside the
    /// versions, a symbolic link loop).
    pub warnings: &'a [Error],
    /// The policy's verdict (check only).
    pub verdict: Option<&'a Verdict<'a>>,
    /// The flags that fail the policy (for the summary).
    pub fail_on: &'a [Flag],
    /// Use colour.
    pub color: bool,
}

/// Write a run in a format.
pub fn write(format: Format, run: &Run, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Text => text::write(run, out),
        Format::Json => json::write(run, out),
        Format::Github => github::write(run, out),
        Format::Junit => junit::write(run, out),
        Format::Sarif => sarif::write(run, out),
        Format::Html => html::write(run, out),
        Format::Markdown => markdown::write(run, out),
        Format::Gitlab => gitlab::write(run, out),
    }
}

/// What a run's one-line summary says.
pub(crate) struct Summary {
    /// The counts: `3 translations checked in 2 documents: 4 findings, 1 missing version`.
    pub counts: String,
    /// Why the run fails, each reason on its own (empty when it passes or has input errors).
    pub reasons: Vec<String>,
    /// Whether there were input errors.
    pub input_errors: bool,
}

impl Summary {
    /// The verdict: `passed`, `FAILED: ...`.
    pub fn verdict(&self) -> String {
        if self.input_errors {
            "FAILED: input errors (listed on stderr)".to_string()
        } else if self.reasons.is_empty() {
            "passed".to_string()
        } else {
            format!("FAILED: {}", self.reasons.join("; "))
        }
    }

    /// The whole line, without colour.
    pub fn line(&self) -> String {
        format!("{}; {}", self.counts, self.verdict())
    }
}

/// The one-line summary of a check run, without colour.
pub fn summary_line(run: &Run) -> String {
    summary(run).line()
}

/// A list of at most five items, then how many more.
fn some_of(items: &[String]) -> String {
    if items.len() <= 5 {
        items.join(", ")
    } else {
        format!("{} and {} more", items[..5].join(", "), items.len() - 5)
    }
}

/// The summary of a check run: what was checked, and what failed (which findings, which
/// language's coverage under which minimum, which versions have no file).
pub(crate) fn summary(run: &Run) -> Summary {
    let errors = all_errors(run).len();
    Summary {
        counts: counts(run, errors),
        reasons: run.verdict.map(|v| reasons(run, v)).unwrap_or_default(),
        input_errors: errors > 0,
    }
}

/// What a run checked and found: `3 translations checked in 2 documents: 4 findings, ...`.
fn counts(run: &Run, errors: usize) -> String {
    let judged = judged(run);
    let targets: usize = run.docs.iter().map(|d| d.targets.len()).sum();
    let docs = run.docs.iter().filter(|d| d.source.is_some()).count();
    let mut counts = format!(
        "{} {} checked in {} {}: {} {}",
        targets,
        plural(targets, "translation", "translations"),
        docs,
        plural(docs, "document", "documents"),
        judged.len(),
        plural(judged.len(), "finding", "findings"),
    );
    let accepted = judged.iter().filter(|f| f.1 == Acceptation::Yes).count();
    if accepted > 0 {
        counts.push_str(&format!(", {accepted} accepted"));
    }
    let missing = run.verdict.map(|v| v.missing.len()).unwrap_or(0);
    if missing > 0 {
        counts.push_str(&format!(
            ", {missing} missing {}",
            plural(missing, "version", "versions")
        ));
    }
    if errors > 0 {
        counts.push_str(&format!(
            ", {errors} input {}",
            plural(errors, "error", "errors")
        ));
    }
    if !run.warnings.is_empty() {
        counts.push_str(&format!(
            ", {} {}",
            run.warnings.len(),
            plural(run.warnings.len(), "warning", "warnings")
        ));
    }
    counts
}

/// Why a verdict fails, each reason on its own (empty when it passes).
fn reasons(run: &Run, v: &Verdict) -> Vec<String> {
    let mut reasons = Vec::new();
    let failing = v.failing();
    if failing > 0 {
        let fail_on: Vec<&str> = run.fail_on.iter().map(|f| f.as_str()).collect();
        reasons.push(format!(
            "{failing} {} the policy (fail on: {})",
            plural(failing, "finding fails", "findings fail"),
            fail_on.join(", ")
        ));
    }
    let missing: Vec<String> = v
        .missing
        .iter()
        .filter(|m| m.fails)
        .map(|m| format!("{} [{}]", m.document, m.lang))
        .collect();
    if !missing.is_empty() {
        reasons.push(format!(
            "{} missing {} ({})",
            missing.len(),
            plural(missing.len(), "version", "versions"),
            some_of(&missing)
        ));
    }
    let under: Vec<String> = v
        .coverage
        .iter()
        .filter(|c| {
            !v.missing
                .iter()
                .any(|m| m.document == c.document && m.lang == c.lang)
        })
        .map(|c| {
            format!(
                "{} [{}] {:.1}% < {:.1}%",
                c.document,
                c.lang,
                c.coverage * 100.0,
                c.minimum * 100.0
            )
        })
        .collect();
    if !under.is_empty() {
        reasons.push(format!("coverage under the minimum: {}", some_of(&under)));
    }
    if !v.unmeasured.is_empty() {
        reasons.push(format!(
            "no translation to measure the minimum coverage on: {} (declare the languages: languages = [...] in paralign.toml or --languages)",
            some_of(&v.unmeasured)
        ));
    }
    reasons
}

/// Every error of a run: those not tied to a document, then each document's.
pub(crate) fn all_errors<'a>(run: &'a Run) -> Vec<&'a Error> {
    run.errors
        .iter()
        .chain(run.docs.iter().flat_map(|d| d.errors.iter()))
        .collect()
}

/// The findings of a run with their acceptance and whether they fail.
pub(crate) fn judged<'a>(run: &'a Run<'a>) -> Vec<(Finding<'a>, Acceptation, bool)> {
    match run.verdict {
        Some(v) => v.findings.clone(),
        None => crate::check::findings(run.docs)
            .into_iter()
            .map(|f| (f, Acceptation::No, false))
            .collect(),
    }
}

/// How a paragraph is named for people: by its label, else by its line.
fn para_name(doc: &crate::document::Document, i: usize) -> String {
    let p = &doc.paragraphs[i];
    match &p.label {
        Some(l) => format!("paragraph {}", l.path),
        None => doc.format.paragraph_at(p.line),
    }
}

/// The file and line a finding is shown at: the target's paragraph, or for a missing one the
/// place in the target where it should stand.
pub(crate) fn location(f: &Finding) -> (String, usize) {
    let tdoc = &f.target.version.doc;
    if let Some(&j) = f.pair.target.first() {
        return (tdoc.path.clone(), tdoc.paragraphs[j].line);
    }
    // Missing from an XLIFF file: its target belongs in the source's own unit.
    if tdoc.format == crate::document::Format::Xliff {
        if let Some(&i) = f.pair.source.first() {
            return (tdoc.path.clone(), f.source.doc.paragraphs[i].line);
        }
    }
    // Missing: the line of the last target paragraph before it.
    let pairs = &f.target.alignment.pairs;
    let line = pairs[..f.at.pair.min(pairs.len())]
        .iter()
        .rev()
        .find_map(|p| p.target.last().map(|&j| tdoc.paragraphs[j].line))
        .unwrap_or(1);
    (tdoc.path.clone(), line)
}

/// Glossary terms and their agreed translations: `"torture" → "Folter", "asylum" → "Asyl"`.
pub(crate) fn term_list(terms: &[crate::score::TermPair]) -> String {
    terms
        .iter()
        .map(|t| format!("\"{}\" → \"{}\"", t.source, t.target))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A one-line message for a finding.
pub(crate) fn message(f: &Finding) -> String {
    let sdoc = &f.source.doc;
    let tdoc = &f.target.version.doc;
    let (sl, tl) = (&f.source.lang, &f.target.version.lang);
    let src = f.pair.source.first().map(|&i| para_name(sdoc, i));
    let tgt = f.pair.target.first().map(|&j| para_name(tdoc, j));
    let src_at = f
        .pair
        .source
        .first()
        .map(|&i| format!("{}:{}", sdoc.path, sdoc.paragraphs[i].line))
        .unwrap_or_default();
    let reasons: Vec<&str> = f.pair.reasons.iter().map(|r| r.as_str()).collect();
    match f.flag {
        Flag::Missing => format!(
            "{} of the {} source ({src_at}) has no {} translation",
            src.unwrap_or_default(),
            sl,
            tl
        ),
        Flag::Extra => format!(
            "{} of the {} version has no counterpart in the {} source",
            tgt.unwrap_or_default(),
            tl,
            sl
        ),
        Flag::Untranslated => {
            let how = match reasons.first().copied() {
                Some("same-text") => format!("it is the {sl} source text"),
                Some("same-language") => format!("it is written in {}", sl.name()),
                _ => format!("it is written in a language other than {}", tl.name()),
            };
            format!(
                "{} is not translated into {}: {how} (source {src_at})",
                tgt.unwrap_or_default(),
                tl.name()
            )
        }
        Flag::Diverging => {
            let details = diverging_details(f);
            format!(
                "{} diverges from the source {src_at}: {}",
                tgt.unwrap_or_default(),
                details.join("; ")
            )
        }
        Flag::Misnumbered => {
            let label = |d: &crate::document::Document, i: usize| {
                d.paragraphs[i]
                    .label
                    .as_ref()
                    .map(|l| l.path.clone())
                    .unwrap_or_else(|| "nothing".into())
            };
            format!(
                "the translation of {} is numbered {} in the {} version ({src_at})",
                src.unwrap_or_default(),
                label(tdoc, f.pair.target[0]),
                tl
            )
        }
        Flag::Reordered => format!(
            "{} stands out of order in the {} version (source {src_at})",
            tgt.unwrap_or_default(),
            tl
        ),
        Flag::Outdated => format!(
            "{} was translated from an earlier version of the source ({src_at})",
            tgt.unwrap_or_default()
        ),
    }
}

/// What differs in a diverging pair, each signal that made it diverge in words; a pair read
/// back from the memory, which keeps its reasons but not the signals, gives its reasons.
fn diverging_details(f: &Finding) -> Vec<String> {
    let (sl, tl) = (&f.source.lang, &f.target.version.lang);
    let mut details = Vec::new();
    if let Some(s) = &f.pair.signals {
        for r in &f.pair.reasons {
            match r {
                Reason::Numbers => {
                    let mut d = Vec::new();
                    if !s.numbers_source_only.is_empty() {
                        d.push(format!("{sl} has {}", s.numbers_source_only.join(", ")));
                    }
                    if !s.numbers_target_only.is_empty() {
                        d.push(format!("{tl} has {}", s.numbers_target_only.join(", ")));
                    }
                    details.push(format!("numbers differ ({})", d.join("; ")));
                }
                Reason::Links => {
                    let mut d = Vec::new();
                    if !s.links_source_only.is_empty() {
                        d.push(format!("{sl} has {}", s.links_source_only.join(", ")));
                    }
                    if !s.links_target_only.is_empty() {
                        d.push(format!("{tl} has {}", s.links_target_only.join(", ")));
                    }
                    details.push(format!("links differ ({})", d.join("; ")));
                }
                Reason::Length => details.push(format!(
                    "length differs ({} against {} letters)",
                    s.chars[1], s.chars[0]
                )),
                Reason::Names => details.push(format!(
                    "names missing ({})",
                    s.names_source_only.join(", ")
                )),
                Reason::Term => details.push(format!(
                    "term: {} not in the translation",
                    term_list(&s.terms_not_in_target)
                )),
                Reason::LowScore | Reason::Content => {
                    details.push(if *r == Reason::Content {
                        "the words match another paragraph, or only part of the source".to_string()
                    } else {
                        format!(
                            "content does not match (score {:.2})",
                            f.pair.score.unwrap_or(0.0)
                        )
                    });
                    if !s.words_not_in_target.is_empty() {
                        details.push(format!(
                            "not in the translation: {}",
                            s.words_not_in_target.join(", ")
                        ));
                    }
                }
                // No signal to describe: when no reason gave details, their names are listed.
                Reason::SameText
                | Reason::SameLanguage
                | Reason::WrongLanguage
                | Reason::Label
                | Reason::SourceChanged
                | Reason::Placeholders
                | Reason::Code
                | Reason::Tags => {}
            }
        }
    }
    if details.is_empty() {
        // Pairs read back from the memory keep their reasons, not the signals.
        details = f
            .pair
            .reasons
            .iter()
            .map(|r| r.as_str().to_string())
            .collect();
    }
    details
}

/// The message for a version with no file: `docs/de/guide.md: there is no de version of
/// `guide` (the file is expected here)`.
pub(crate) fn missing_message(m: &crate::check::MissingVersion) -> String {
    let why = if m.required {
        ""
    } else {
        "; the documents beside it have one (declare the project's languages to require it)"
    };
    let msg = match &m.path {
        Some(p) => format!(
            "{p}: there is no {} version of `{}` (the file is expected here)",
            m.lang, m.document
        ),
        None => format!(
            "there is no {} version of `{}` (no paragraph in {})",
            m.lang, m.document, m.lang
        ),
    };
    format!("{msg}{why}")
}

/// Escape text for XML content and attributes, dropping characters XML 1.0 forbids.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
