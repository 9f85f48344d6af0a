//! The JSON contract, `version` 1: documents, their source and targets, and every pair.
//! Fields never change meaning within a version; new fields may be added.

use std::io::{self, Write};

use serde::Serialize;

use super::{all_errors, judged, Run};
use crate::align::{Counts, Flag, Pair};
use crate::check::Acceptation;
use crate::collect::Version;
use crate::document::NumberingIssue;

#[derive(Serialize)]
struct JsonRun<'a> {
    version: u32,
    documents: Vec<JsonDoc<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<JsonError>,
    /// What was skipped without failing (added in 1: absent when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<JsonError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<JsonPolicy<'a>>,
}

#[derive(Serialize)]
struct JsonDoc<'a> {
    id: &'a str,
    source: JsonVersion<'a>,
    targets: Vec<JsonTarget<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<&'a str>,
    /// Languages with no file (added in 1: absent when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    missing: Vec<JsonMissing<'a>>,
}

#[derive(Serialize)]
struct JsonMissing<'a> {
    lang: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    fails: bool,
}

#[derive(Serialize)]
struct JsonVersion<'a> {
    lang: &'a str,
    path: &'a str,
    paragraphs: usize,
    /// Where each paragraph starts, by index (added in 1).
    lines: Vec<usize>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    numbering: &'a [NumberingIssue],
}

#[derive(Serialize)]
struct JsonTarget<'a> {
    lang: &'a str,
    path: &'a str,
    paragraphs: usize,
    /// Where each paragraph starts, by index (added in 1).
    lines: Vec<usize>,
    coverage: f64,
    counts: Counts,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    numbering: &'a [NumberingIssue],
    pairs: &'a [Pair],
}

#[derive(Serialize)]
struct JsonError {
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte: Option<usize>,
}

#[derive(Serialize)]
struct JsonPolicy<'a> {
    fail_on: &'a [Flag],
    passed: bool,
    failing: usize,
    accepted: usize,
    lapsed: usize,
    coverage_failures: &'a [crate::check::CoverageFailure],
    /// How many versions have no file (added in 1: absent when none).
    #[serde(skip_serializing_if = "is_zero")]
    missing_versions: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn version(v: &Version) -> JsonVersion<'_> {
    JsonVersion {
        lang: v.lang.as_str(),
        path: &v.doc.path,
        paragraphs: v.doc.paragraphs.len(),
        lines: lines(v),
        numbering: &v.doc.numbering,
    }
}

/// The place of each paragraph of a version: its line (Word, OpenDocument: its number).
fn lines(v: &Version) -> Vec<usize> {
    v.doc.paragraphs.iter().map(|p| p.line).collect()
}

pub(super) fn write(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    let documents = run
        .docs
        .iter()
        .filter_map(|d| {
            let source = d.source.as_ref()?;
            Some(JsonDoc {
                id: &d.id,
                source: version(source),
                targets: d
                    .targets
                    .iter()
                    .map(|t| JsonTarget {
                        lang: t.version.lang.as_str(),
                        path: &t.version.doc.path,
                        paragraphs: t.version.doc.paragraphs.len(),
                        lines: lines(&t.version),
                        coverage: round(t.coverage(source), 4),
                        counts: t.alignment.counts(),
                        numbering: &t.version.doc.numbering,
                        pairs: &t.alignment.pairs,
                    })
                    .collect(),
                notes: d.notes.iter().map(String::as_str).collect(),
                missing: run
                    .verdict
                    .map(|v| v.missing.as_slice())
                    .unwrap_or_default()
                    .iter()
                    .filter(|m| m.document == d.id)
                    .map(|m| JsonMissing {
                        lang: &m.lang,
                        path: m.path.as_deref(),
                        fails: m.fails,
                    })
                    .collect(),
            })
        })
        .collect();
    let as_json = |e: &crate::error::Error| JsonError {
        message: e.to_string(),
        path: e.path().map(|p| p.display().to_string()),
        line: e.line(),
        byte: e.byte(),
    };
    let errors = all_errors(run).into_iter().map(as_json).collect();
    let warnings = run.warnings.iter().map(as_json).collect();
    let policy = run.verdict.map(|v| {
        let j = judged(run);
        JsonPolicy {
            fail_on: run.fail_on,
            passed: !v.fails(),
            failing: v.failing(),
            accepted: j.iter().filter(|f| f.1 == Acceptation::Yes).count(),
            lapsed: j.iter().filter(|f| f.1 == Acceptation::Lapsed).count(),
            coverage_failures: &v.coverage,
            missing_versions: v.missing.len(),
        }
    });
    let doc = JsonRun {
        version: 1,
        documents,
        errors,
        warnings,
        policy,
    };
    serde_json::to_writer(&mut *out, &doc).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// Round for output (scores to 3 places, coverage to 4).
pub(crate) fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}
