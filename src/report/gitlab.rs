//! GitLab Code Quality JSON: an array of issues (description, check name, fingerprint,
//! severity, location), one per finding not accepted, per version with no file and per input
//! error. A finding that fails the policy is `major`, one that does not is `minor`, an input
//! error `critical`. The fingerprint is stable across runs: it hashes the document, language,
//! flag and the paragraph's label (or text hash), not line numbers.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{all_errors, judged, location, message, missing_message, Run};
use crate::check::{text_hash, Acceptation};

pub(super) fn write(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    let mut issues: Vec<Value> = Vec::new();
    for (f, acc, fails) in judged(run) {
        if acc == Acceptation::Yes {
            continue;
        }
        let (path, line) = location(&f);
        let place = f
            .label()
            .map(str::to_string)
            .unwrap_or_else(|| f.paragraph_hash());
        issues.push(json!({
            "description": message(&f),
            "check_name": format!("paralign/{}", f.flag.as_str()),
            "fingerprint": text_hash(&format!(
                "{}\u{1}{}\u{1}{}\u{1}{}",
                f.doc.id,
                f.target.version.lang,
                f.flag.as_str(),
                place
            )),
            "severity": if fails { "major" } else { "minor" },
            "location": {"path": path, "lines": {"begin": line}}
        }));
    }
    if let Some(v) = run.verdict {
        for m in &v.missing {
            let path = m.path.clone().unwrap_or_else(|| m.document.clone());
            issues.push(json!({
                "description": missing_message(m),
                "check_name": "paralign/missing-version",
                "fingerprint": text_hash(&format!("{}\u{1}{}\u{1}missing-version", m.document, m.lang)),
                "severity": if m.fails { "major" } else { "minor" },
                "location": {"path": path, "lines": {"begin": 1}}
            }));
        }
        for c in &v.coverage {
            let path = run
                .docs
                .iter()
                .find(|d| d.id == c.document)
                .and_then(|d| d.targets.iter().find(|t| t.version.lang.as_str() == c.lang))
                .map(|t| t.version.doc.path.clone());
            let Some(path) = path else { continue };
            issues.push(json!({
                "description": format!(
                    "{} [{}]: coverage {:.1}% is under the minimum {:.1}%",
                    c.document, c.lang, c.coverage * 100.0, c.minimum * 100.0
                ),
                "check_name": "paralign/coverage",
                "fingerprint": text_hash(&format!("{}\u{1}{}\u{1}coverage", c.document, c.lang)),
                "severity": "major",
                "location": {"path": path, "lines": {"begin": 1}}
            }));
        }
    }
    for e in all_errors(run) {
        let path = e
            .path()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        issues.push(json!({
            "description": e.to_string(),
            "check_name": "paralign/input",
            "fingerprint": text_hash(&format!("input\u{1}{e}")),
            "severity": "critical",
            "location": {"path": path, "lines": {"begin": e.line().unwrap_or(1)}}
        }));
    }
    serde_json::to_writer_pretty(&mut *out, &issues).map_err(io::Error::from)?;
    out.write_all(b"\n")
}
