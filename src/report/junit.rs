//! JUnit XML: one test suite per document, one test case per target language; a case fails
//! when any of its findings fails the policy or its coverage is under the minimum.

use std::io::{self, Write};

use super::{judged, location, message, xml_escape as esc, Run};
use crate::check::{Acceptation, DocResult, Finding, MissingVersion, TargetResult};
use crate::collect::Version;

/// The test cases of one suite as XML, with their counts.
#[derive(Default)]
struct Cases {
    xml: String,
    tests: usize,
    failures: usize,
    /// Cases that could not run (a file that could not be read): JUnit's errors.
    errors: usize,
}

impl Cases {
    /// Add one case (its XML), failing or not.
    fn push(&mut self, xml: String, fails: bool) {
        self.xml.push_str(&xml);
        self.tests += 1;
        self.failures += usize::from(fails);
    }

    /// Add a case that could not run, with its `<error>`.
    fn push_error(&mut self, xml: String) {
        self.xml.push_str(&xml);
        self.tests += 1;
        self.errors += 1;
    }
}

pub(super) fn write(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    let judged = judged(run);
    let mut suites = String::new();
    let (mut total, mut failed, mut errors) = (0usize, 0usize, 0usize);
    for (di, doc) in run.docs.iter().enumerate() {
        let Some(source) = &doc.source else { continue };
        let mut cases = Cases::default();
        for (ti, t) in doc.targets.iter().enumerate() {
            let mine: Vec<_> = judged
                .iter()
                .filter(|(f, ..)| (f.at.doc, f.at.target) == (di, ti))
                .collect();
            let (xml, fails) = target_case(run, doc, source, t, &mine);
            cases.push(xml, fails);
        }
        for m in run
            .verdict
            .map(|v| v.missing.as_slice())
            .unwrap_or_default()
            .iter()
            .filter(|m| m.document == doc.id)
        {
            cases.push(missing_case(doc, source, m), m.fails);
        }
        for e in &doc.errors {
            cases.push_error(format!(
                "    <testcase classname=\"paralign.{}\" name=\"{} (input)\">\n      <error message=\"{}\" type=\"input\"/>\n    </testcase>\n",
                esc(&doc.id),
                esc(&doc.id),
                esc(&e.to_string())
            ));
        }
        let Cases {
            xml: cases,
            tests: n,
            failures: nf,
            errors: ne,
        } = cases;
        total += n;
        failed += nf;
        errors += ne;
        suites.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{n}\" failures=\"{nf}\" errors=\"{ne}\">\n{cases}  </testsuite>\n",
            esc(&doc.id)
        ));
    }
    let loose: Vec<String> = run.errors.iter().map(|e| e.to_string()).collect();
    if !loose.is_empty() {
        let cases: String = loose
            .iter()
            .map(|m| format!("    <testcase classname=\"paralign\" name=\"input\">\n      <error message=\"{}\" type=\"input\"/>\n    </testcase>\n", esc(m)))
            .collect();
        total += loose.len();
        errors += loose.len();
        suites.push_str(&format!(
            "  <testsuite name=\"input\" tests=\"{}\" failures=\"0\" errors=\"{}\">\n{cases}  </testsuite>\n",
            loose.len(),
            loose.len()
        ));
    }
    write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"paralign\" tests=\"{total}\" failures=\"{failed}\" errors=\"{errors}\">\n{suites}</testsuites>\n"
    )
}

/// One target language's case: its failing findings and coverage as the failure, the others
/// (not accepted) as system-out. Returns the XML and whether it fails.
fn target_case(
    run: &Run,
    doc: &DocResult,
    source: &Version,
    t: &TargetResult,
    mine: &[&(Finding, Acceptation, bool)],
) -> (String, bool) {
    let line = |f: &Finding| {
        let (path, line) = location(f);
        format!("{} {path}:{line}: {}", f.flag.as_str(), message(f))
    };
    let failing = mine
        .iter()
        .filter(|(_, _, fails)| *fails)
        .map(|(f, ..)| line(f));
    let coverage = run
        .verdict
        .map(|v| v.coverage.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|c| c.document == doc.id && c.lang == t.version.lang.as_str())
        .map(|c| {
            format!(
                "coverage {:.1}% is under the minimum {:.1}%",
                c.coverage * 100.0,
                c.minimum * 100.0
            )
        });
    let all_fail: Vec<String> = failing.chain(coverage).collect();
    let others: Vec<String> = mine
        .iter()
        .filter(|(_, acc, fails)| !*fails && *acc != Acceptation::Yes)
        .map(|(f, ..)| line(f))
        .collect();
    let mut xml = format!(
        "    <testcase classname=\"paralign.{}\" name=\"{} [{}]\" file=\"{}\">\n",
        esc(&doc.id),
        esc(&doc.id),
        esc(t.version.lang.as_str()),
        esc(&t.version.doc.path)
    );
    if !all_fail.is_empty() {
        xml.push_str(&format!(
            "      <failure message=\"{} finding(s) fail the policy ({} → {})\" type=\"paralign\">{}</failure>\n",
            all_fail.len(),
            esc(source.lang.as_str()),
            esc(t.version.lang.as_str()),
            esc(&all_fail.join("\n"))
        ));
    }
    if !others.is_empty() {
        xml.push_str(&format!(
            "      <system-out>{}</system-out>\n",
            esc(&others.join("\n"))
        ));
    }
    xml.push_str("    </testcase>\n");
    (xml, !all_fail.is_empty())
}

/// The case of a language the document has no file for.
fn missing_case(doc: &DocResult, source: &Version, m: &MissingVersion) -> String {
    let mut xml = format!(
        "    <testcase classname=\"paralign.{}\" name=\"{} [{}]\"{}>\n",
        esc(&doc.id),
        esc(&doc.id),
        esc(&m.lang),
        m.path
            .as_deref()
            .map(|p| format!(" file=\"{}\"", esc(p)))
            .unwrap_or_default()
    );
    let msg = super::missing_message(m);
    if m.fails {
        xml.push_str(&format!(
            "      <failure message=\"no {} version ({} → {})\" type=\"paralign\">missing {}</failure>\n",
            esc(&m.lang),
            esc(source.lang.as_str()),
            esc(&m.lang),
            esc(&msg)
        ));
    } else {
        xml.push_str(&format!(
            "      <system-out>missing {}</system-out>\n",
            esc(&msg)
        ));
    }
    xml.push_str("    </testcase>\n");
    xml
}
