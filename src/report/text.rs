//! The report for people: compact, coloured on a terminal, plain when piped.

use std::io::{self, Write};

use super::{excerpt, judged, location, message, Command, Run};
use crate::check::{Acceptation, TargetResult};
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
    for doc in run.docs {
        let Some(source) = &doc.source else { continue };
        writeln!(
            out,
            "{}: {} {} ({} paragraphs)",
            paint.bold(&doc.id),
            source.lang,
            source.doc.path,
            source.doc.paragraphs.len()
        )?;
        for note in &doc.notes {
            writeln!(out, "  {}", paint.dim(&format!("note: {note}")))?;
        }
        numbering(out, &paint, source, "  ")?;
        for t in &doc.targets {
            target_line(out, &paint, source, t)?;
            numbering(out, &paint, &t.version, "    ")?;
            match run.command {
                Command::Align => pairs(out, &paint, source, t)?,
                Command::Check => {
                    for (f, acc, fails) in judged.iter().filter(|(f, ..)| std::ptr::eq(f.target, t))
                    {
                        let tag = match (acc, fails) {
                            (Acceptation::Yes, _) => paint.dim("accepted"),
                            (_, true) => paint.red("error   "),
                            _ => paint.yellow("warning "),
                        };
                        let (path, line) = location(f);
                        writeln!(
                            out,
                            "    {tag} {:<12} {path}:{line}: {}",
                            f.flag.as_str(),
                            message(f)
                        )?;
                        if *acc == Acceptation::Lapsed {
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
                    }
                }
            }
        }
        writeln!(out)?;
    }
    if let Some(v) = run.verdict {
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
        let targets: usize = run.docs.iter().map(|d| d.targets.len()).sum();
        let failing = v.failing();
        let accepted = judged.iter().filter(|f| f.1 == Acceptation::Yes).count();
        let docs = run.docs.iter().filter(|d| d.source.is_some()).count();
        let fail_on: Vec<&str> = run.fail_on.iter().map(|f| f.as_str()).collect();
        let mut line = format!(
            "{} {} checked in {} {}: {} {}",
            targets,
            plural(targets, "translation", "translations"),
            docs,
            plural(docs, "document", "documents"),
            judged.len(),
            plural(judged.len(), "finding", "findings"),
        );
        if accepted > 0 {
            line.push_str(&format!(", {accepted} accepted"));
        }
        let verdict = if v.fails() {
            paint.red(&format!(
                "FAILED: {failing} {} fail the policy (fail on: {})",
                plural(failing, "finding", "findings"),
                fail_on.join(", ")
            ))
        } else {
            paint.green("passed")
        };
        writeln!(out, "{line}; {verdict}")?;
    }
    Ok(())
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
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
        "  {} {} ({} paragraphs): coverage {:.1}% ({covered}/{n}), {state}",
        paint.bold(t.version.lang.as_str()),
        t.version.doc.path,
        t.version.doc.paragraphs.len(),
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
                "number {} is used twice (also at line {})",
                n.label, v.doc.paragraphs[*first].line
            ),
        };
        writeln!(
            out,
            "{indent}{} {}:{line}: {what}",
            paint.dim("note:"),
            v.doc.path
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
