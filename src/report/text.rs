//! The report for people: compact, coloured on a terminal, plain when piped.

use crate::text::plural;
use std::io::{self, Write};

use super::{excerpt, judged, location, message, terminal_safe, Command, Run};
use crate::align::Flag;
use crate::check::{Acceptation, Finding, TargetResult, Verdict};
use crate::collect::Version;

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn red(&self, s: &str) -> String {
        self.wrap("31", s)
    }
    fn yellow(&self, s: &str) -> String {
        self.wrap("33", s)
    }
    fn green(&self, s: &str) -> String {
        self.wrap("32", s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
}

pub(super) fn write(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    let paint = Paint { on: run.color };
    let judged = judged(run);
    for (di, doc) in run.docs.iter().enumerate() {
        let Some(source) = &doc.source else { continue };
        writeln!(
            out,
            "{}: {} {} ({})",
            paint.bold(&terminal_safe(&doc.id)),
            source.lang,
            terminal_safe(&source.doc.path),
            count(source.doc.paragraphs.len(), "paragraph", "paragraphs")
        )?;
        for note in &doc.notes {
            writeln!(out, "  {}", paint.dim(&format!("note: {note}")))?;
        }
        numbering(out, &paint, source, "  ")?;
        for (ti, t) in doc.targets.iter().enumerate() {
            target_line(out, &paint, source, t)?;
            numbering(out, &paint, &t.version, "    ")?;
            match run.command {
                Command::Align => pairs(out, &paint, source, t)?,
                Command::Check => {
                    let mine: Vec<_> = judged
                        .iter()
                        .filter(|(f, ..)| (f.at.doc, f.at.target) == (di, ti))
                        .collect();
                    findings(out, &paint, source, t, &mine)?;
                    thin_version(out, &paint, source, t)?;
                }
            }
        }
        if let Some(v) = run.verdict {
            missing_versions(out, &paint, v, &doc.id)?;
        }
        writeln!(out)?;
    }
    if let Some(v) = run.verdict {
        verdict(out, &paint, run, v)?;
    }
    Ok(())
}

/// A finding as the writers get it: the finding, its acceptance, whether it fails the policy.
type Judged<'a> = (Finding<'a>, Acceptation, bool);

/// The findings of one target, each with its tag, place, message and excerpt.
fn findings(
    out: &mut dyn Write,
    paint: &Paint,
    source: &Version,
    t: &TargetResult,
    mine: &[&Judged],
) -> io::Result<()> {
    let mut k = 0;
    while k < mine.len() {
        let (f, acc, fails) = mine[k];
        // A run of missing paragraphs with the same standing is one line.
        let run_len = mine[k..]
            .iter()
            .take_while(|(g, a, x)| g.flag == Flag::Missing && a == acc && x == fails)
            .count();
        let tag = match (acc, fails) {
            (Acceptation::Yes, _) => paint.dim("accepted"),
            (_, true) => paint.red("error   "),
            _ => paint.yellow("warning "),
        };
        if f.flag == Flag::Missing && run_len >= 3 {
            let idx: Vec<usize> = mine[k..k + run_len]
                .iter()
                .flat_map(|(g, ..)| g.pair.source.iter().copied())
                .collect();
            let (path, line) = location(f);
            let path = terminal_safe(&path);
            writeln!(
                out,
                "    {tag} {:<12} {path}:{line}: {} paragraphs of the {} source have no {} translation: {}",
                "missing",
                idx.len(),
                source.lang,
                t.version.lang,
                describe_paragraphs(&source.doc, &idx)
            )?;
            k += run_len;
            continue;
        }
        finding(out, paint, &tag, source, t, f, *acc)?;
        k += 1;
    }
    Ok(())
}

/// One finding: its line, a lapsed acceptance, and an excerpt of its paragraph.
fn finding(
    out: &mut dyn Write,
    paint: &Paint,
    tag: &str,
    source: &Version,
    t: &TargetResult,
    f: &Finding,
    acc: Acceptation,
) -> io::Result<()> {
    let (path, line) = location(f);
    let path = terminal_safe(&path);
    writeln!(
        out,
        "    {tag} {:<12} {path}:{line}: {}",
        f.flag.as_str(),
        message(f)
    )?;
    if acc == Acceptation::Lapsed {
        writeln!(
            out,
            "             {}",
            paint.dim("(an acceptance of this finding lapsed: the paragraph changed since)")
        )?;
    }
    let text = f
        .pair
        .target
        .first()
        .map(|&j| &t.version.doc.paragraphs[j])
        .or_else(|| f.pair.source.first().map(|&i| &source.doc.paragraphs[i]));
    if let Some(p) = text {
        writeln!(
            out,
            "             {}",
            paint.dim(&format!("“{}”", excerpt(p.body(), 90)))
        )?;
    }
    Ok(())
}

/// What a version that lacks most of the source does have.
fn thin_version(
    out: &mut dyn Write,
    paint: &Paint,
    source: &Version,
    t: &TargetResult,
) -> io::Result<()> {
    let c = t.alignment.counts();
    if c.missing * 2 > source.doc.paragraphs.len() && c.pairs > 0 {
        // Named in the target, at its own lines (where the reader looks).
        let has: Vec<usize> = t
            .alignment
            .pairs
            .iter()
            .filter(|p| !p.source.is_empty())
            .flat_map(|p| p.target.iter().copied())
            .collect();
        writeln!(
            out,
            "    {} the {} version has only {}",
            paint.dim("note:"),
            t.version.lang,
            describe_paragraphs(&t.version.doc, &has)
        )?;
    }
    Ok(())
}

/// The languages a document has no file for.
fn missing_versions(
    out: &mut dyn Write,
    paint: &Paint,
    v: &Verdict,
    document: &str,
) -> io::Result<()> {
    for m in v.missing.iter().filter(|m| m.document == document) {
        let tag = if m.fails {
            paint.red("error   ")
        } else {
            paint.yellow("warning ")
        };
        writeln!(out, "  {} (no file): coverage 0.0%", paint.bold(&m.lang))?;
        writeln!(
            out,
            "    {tag} {:<12} {}",
            "missing",
            super::missing_message(m)
        )?;
    }
    Ok(())
}

/// Coverage under the minimum, then the summary line with the verdict.
fn verdict(out: &mut dyn Write, paint: &Paint, run: &Run, v: &Verdict) -> io::Result<()> {
    for c in &v.coverage {
        writeln!(
            out,
            "{} {} [{}]: coverage {:.1}% is under the minimum {:.1}%",
            paint.red("error:"),
            c.document,
            c.lang,
            c.coverage * 100.0,
            c.minimum * 100.0
        )?;
    }
    let sum = super::summary(run);
    let verdict = if sum.input_errors || !sum.reasons.is_empty() {
        paint.red(&sum.verdict())
    } else {
        paint.green(&sum.verdict())
    };
    let line = sum.counts;
    writeln!(out, "{line}; {verdict}")
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", plural(n, one, many))
}

fn target_line(
    out: &mut dyn Write,
    paint: &Paint,
    source: &Version,
    t: &TargetResult,
) -> io::Result<()> {
    let c = t.alignment.counts();
    let n = source.doc.paragraphs.len();
    let cov = t.coverage(source);
    let covered = (cov * n as f64).round() as usize;
    let mut parts = Vec::new();
    for (k, v) in [
        ("missing", c.missing),
        ("extra", c.extra),
        ("untranslated", c.untranslated),
        ("diverging", c.diverging),
        ("misnumbered", c.misnumbered),
        ("reordered", c.reordered),
        ("outdated", c.outdated),
    ] {
        if v > 0 {
            parts.push(format!("{v} {k}"));
        }
    }
    let state = if parts.is_empty() {
        paint.green("ok")
    } else {
        paint.yellow(&parts.join(", "))
    };
    writeln!(
        out,
        "  {} {} ({}): coverage {:.1}% ({covered}/{n}), {state}",
        paint.bold(t.version.lang.as_str()),
        terminal_safe(&t.version.doc.path),
        count(t.version.doc.paragraphs.len(), "paragraph", "paragraphs"),
        cov * 100.0,
    )
}

fn numbering(out: &mut dyn Write, paint: &Paint, v: &Version, indent: &str) -> io::Result<()> {
    for n in &v.doc.numbering {
        let line = v.doc.paragraphs[n.index].line;
        let what = match &n.kind {
            crate::document::NumberingIssueKind::Gap { expected } => {
                format!("numbered {} where {expected} was due", n.label)
            }
            crate::document::NumberingIssueKind::Duplicate { first } => format!(
                "number {} is used twice (also at {} {})",
                n.label,
                v.doc.format.place(),
                v.doc.paragraphs[*first].line
            ),
        };
        writeln!(
            out,
            "{indent}{} {}:{line}: {what}",
            paint.dim("note:"),
            terminal_safe(&v.doc.path)
        )?;
    }
    Ok(())
}

fn pairs(out: &mut dyn Write, paint: &Paint, source: &Version, t: &TargetResult) -> io::Result<()> {
    let idx = |v: &[usize]| {
        if v.is_empty() {
            "-".to_string()
        } else {
            v.iter().map(usize::to_string).collect::<Vec<_>>().join("+")
        }
    };
    writeln!(out, "    {}", paint.dim("source  target  score  flags"))?;
    for p in &t.alignment.pairs {
        let score = p
            .score
            .map(|s| format!("{s:.2}"))
            .unwrap_or_else(|| "-".into());
        let mut flags: Vec<String> = p.flags.iter().map(|f| f.as_str().to_string()).collect();
        if !p.reasons.is_empty() {
            let r: Vec<&str> = p.reasons.iter().map(|r| r.as_str()).collect();
            flags.push(format!("({})", r.join(", ")));
        }
        let text = p
            .source
            .first()
            .map(|&i| source.doc.paragraphs[i].body())
            .or_else(|| {
                p.target
                    .first()
                    .map(|&j| t.version.doc.paragraphs[j].body())
            })
            .unwrap_or("");
        let flags = flags.join(" ");
        let flags = if p.flags.is_empty() {
            String::new()
        } else {
            paint.yellow(&flags)
        };
        writeln!(
            out,
            "    {:<7} {:<7} {:<6} {}{}{}",
            idx(&p.source),
            idx(&p.target),
            score,
            flags,
            if flags.is_empty() { "" } else { "  " },
            paint.dim(&excerpt(text, 60))
        )?;
    }
    Ok(())
}

/// Name a list of paragraphs for people: runs of consecutive labels become `paragraphs 1 to
/// 10`, unlabelled paragraphs are named by their line (`the title at line 1`).
fn describe_paragraphs(doc: &crate::document::Document, idx: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut k = 0;
    while k < idx.len() {
        let p = &doc.paragraphs[idx[k]];
        let Some(l) = p.label.as_ref().filter(|l| l.own.len() == 1) else {
            parts.push(if idx[k] == 0 {
                format!("the title ({} {})", doc.format.place(), p.line)
            } else {
                doc.format.paragraph_at(p.line)
            });
            k += 1;
            continue;
        };
        let first = l.path.clone();
        let mut last = first.clone();
        let mut value = l.own[0];
        let mut e = k + 1;
        while e < idx.len() && idx[e] == idx[e - 1] + 1 {
            match doc.paragraphs[idx[e]].label.as_ref() {
                Some(m) if m.own.len() == 1 && m.own[0] == value + 1 && m.kind == l.kind => {
                    value += 1;
                    last = m.path.clone();
                    e += 1;
                }
                _ => break,
            }
        }
        parts.push(match e - k {
            1 => format!("paragraph {first}"),
            2 => format!("paragraphs {first} and {last}"),
            _ => format!("paragraphs {first} to {last}"),
        });
        k = e;
    }
    match parts.len() {
        0 => String::new(),
        1 => parts.remove(0),
        _ => {
            let last = parts.pop().unwrap_or_default();
            format!("{} and {last}", parts.join(", "))
        }
    }
}
