//! GitHub Actions workflow annotations: one `::error` (fails the policy) or `::warning` line per
//! finding, with the file and line where it shows, one per version with no file and one per
//! error; then the run's summary line. (The job summary is `markdown.rs`.)

use std::io::{self, Write};

use super::{all_errors, judged, location, message, Run};
use crate::check::Acceptation;

/// Escape an annotation's message (`%`, CR and LF) or property (also `:` and `,`).
fn escape(s: &str, property: bool) -> String {
    let mut out = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

pub(super) fn write(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    for (f, acc, fails) in judged(run) {
        if acc == Acceptation::Yes {
            continue;
        }
        let level = if fails { "error" } else { "warning" };
        let (path, line) = location(&f);
        let title = format!(
            "paralign: {} ({} → {})",
            f.flag.as_str(),
            f.source.lang,
            f.target.version.lang
        );
        writeln!(
            out,
            "::{level} file={},line={line},title={}::{}",
            escape(&path, true),
            escape(&title, true),
            escape(&message(&f), false)
        )?;
    }
    for e in all_errors(run) {
        match (e.path(), e.line()) {
            (Some(p), Some(l)) => writeln!(
                out,
                "::error file={},line={l}::{}",
                escape(&p.display().to_string(), true),
                escape(&e.to_string(), false)
            )?,
            (Some(p), None) => writeln!(
                out,
                "::error file={}::{}",
                escape(&p.display().to_string(), true),
                escape(&e.to_string(), false)
            )?,
            _ => writeln!(out, "::error::{}", escape(&e.to_string(), false))?,
        }
    }
    for w in run.warnings {
        match w.path() {
            Some(p) => writeln!(
                out,
                "::warning file={}::{}",
                escape(&p.display().to_string(), true),
                escape(&w.to_string(), false)
            )?,
            None => writeln!(out, "::warning::{}", escape(&w.to_string(), false))?,
        }
    }
    if let Some(v) = run.verdict {
        for m in &v.missing {
            let level = if m.fails { "error" } else { "warning" };
            writeln!(
                out,
                "::{level} title={}::{}",
                escape(&format!("paralign: missing ({})", m.lang), true),
                escape(&super::missing_message(m), false)
            )?;
        }
        for c in &v.coverage {
            writeln!(
                out,
                "::error title=paralign%3A coverage::{} [{}]: coverage {:.1}% is under the minimum {:.1}%",
                c.document,
                c.lang,
                c.coverage * 100.0,
                c.minimum * 100.0
            )?;
        }
        // The last line says how the run went, as the text report's does.
        writeln!(out, "paralign: {}", super::summary(run).line())?;
    }
    Ok(())
}
