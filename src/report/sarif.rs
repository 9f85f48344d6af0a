//! SARIF 2.1.0: one rule per flag, one result per finding (level `error` when it fails the
//! policy, `warning` otherwise, `note` when accepted), located at the file and line.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{all_errors, judged, location, message, Run};
use crate::align::Flag;
use crate::check::Acceptation;

fn rule_text(f: Flag) -> &'static str {
    match f {
        Flag::Missing => "A source paragraph has no translation.",
        Flag::Extra => "A target paragraph has no source.",
        Flag::Untranslated => {
            "A paragraph is left in the source language or written in another language."
        }
        Flag::Diverging => {
            "A translation disagrees with its source in numbers, names, links or length."
        }
        Flag::Misnumbered => "A translation carries another number than its source.",
        Flag::Reordered => "A translation stands out of order.",
        Flag::Outdated => "A translation was made from an earlier version of its source.",
    }
}

pub(super) fn write(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    let rules: Vec<Value> = Flag::ALL
        .iter()
        .map(|f| json!({"id": f.as_str(), "shortDescription": {"text": rule_text(*f)}}))
        .collect();
    let mut results: Vec<Value> = judged(run)
        .into_iter()
        .map(|(f, acc, fails)| {
            let (path, line) = location(&f);
            let level = match (acc, fails) {
                (Acceptation::Yes, _) => "note",
                (_, true) => "error",
                _ => "warning",
            };
            json!({
                "ruleId": f.flag.as_str(),
                "level": level,
                "message": {"text": message(&f)},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": path},
                    "region": {"startLine": line}
                }}],
                "properties": {"document": f.doc.id, "sourceLang": f.source.lang.as_str(),
                               "targetLang": f.target.version.lang.as_str(),
                               "reasons": f.pair.reasons.iter().map(|r| r.as_str()).collect::<Vec<_>>()}
            })
        })
        .collect();
    for m in run
        .verdict
        .map(|v| v.missing.as_slice())
        .unwrap_or_default()
    {
        let mut r = json!({
            "ruleId": "missing",
            "level": if m.fails { "error" } else { "warning" },
            "message": {"text": super::missing_message(m)},
            "properties": {"document": m.document, "targetLang": m.lang, "version": "missing"}
        });
        if let Some(p) = &m.path {
            r["locations"] = json!([{"physicalLocation": {"artifactLocation": {"uri": p}}}]);
        }
        results.push(r);
    }
    for e in all_errors(run) {
        let mut r =
            json!({"ruleId": "input", "level": "error", "message": {"text": e.to_string()}});
        if let Some(p) = e.path() {
            let mut region = json!({});
            if let Some(l) = e.line() {
                region = json!({"startLine": l});
            }
            r["locations"] = json!([{"physicalLocation": {"artifactLocation": {"uri": p.display().to_string()}, "region": region}}]);
        }
        results.push(r);
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "paralign",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules
            }},
            "results": results
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::from)?;
    out.write_all(b"\n")
}
