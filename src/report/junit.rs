//! JUnit XML: one test suite per document, one test case per target language; a case fails
//! when any of its findings fails the policy or its coverage is under the minimum.

use std::io::{self, Write};

use super::{judged, location, message, xml_escape as esc, Run};
use crate::check::Acceptation;

pub(super) fn write(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    let judged = judged(run);
    let mut suites = String::new();
    let (mut total, mut failed) = (0usize, 0usize);
    for (di, doc) in run.docs.iter().enumerate() {
        let Some(source) = &doc.source else { continue };
        let mut cases = String::new();
        let (mut n, mut nf) = (0usize, 0usize);
        for (ti, t) in doc.targets.iter().enumerate() {
            n += 1;
            let mine: Vec<_> = judged
                .iter()
                .filter(|(f, ..)| (f.at.doc, f.at.target) == (di, ti))
                .collect();
            let failing: Vec<String> = mine
                .iter()
                .filter(|(_, _, fails)| *fails)
                .map(|(f, ..)| {
                    let (path, line) = location(f);
                    format!("{} {path}:{line}: {}", f.flag.as_str(), message(f))
                })
                .collect();
            let coverage: Vec<String> = run
                .verdict
                .map(|v| {
                    v.coverage
                        .iter()
                        .filter(|c| c.document == doc.id && c.lang == t.version.lang.as_str())
                        .map(|c| {
                            format!(
                                "coverage {:.1}% is under the minimum {:.1}%",
                                c.coverage * 100.0,
                                c.minimum * 100.0
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let others: Vec<String> = mine
                .iter()
                .filter(|(_, acc, fails)| !*fails && *acc != Acceptation::Yes)
                .map(|(f, ..)| {
                    let (path, line) = location(f);
                    format!("{} {path}:{line}: {}", f.flag.as_str(), message(f))
                })
                .collect();
            cases.push_str(&format!(
                "    <testcase classname=\"paralign.{}\" name=\"{} [{}]\" file=\"{}\">\n",
                esc(&doc.id),
                esc(&doc.id),
                esc(t.version.lang.as_str()),
                esc(&t.version.doc.path)
            ));
            let all_fail: Vec<String> = failing.into_iter().chain(coverage).collect();
            if !all_fail.is_empty() {
                nf += 1;
                cases.push_str(&format!(
                    "      <failure message=\"{} finding(s) fail the policy ({} → {})\" type=\"paralign\">{}</failure>\n",
                    all_fail.len(),
                    esc(source.lang.as_str()),
                    esc(t.version.lang.as_str()),
                    esc(&all_fail.join("\n"))
                ));
            }
            if !others.is_empty() {
                cases.push_str(&format!(
                    "      <system-out>{}</system-out>\n",
                    esc(&others.join("\n"))
                ));
            }
            cases.push_str("    </testcase>\n");
        }
        for m in run
            .verdict
            .map(|v| v.missing.as_slice())
            .unwrap_or_default()
            .iter()
            .filter(|m| m.document == doc.id)
        {
            n += 1;
            cases.push_str(&format!(
                "    <testcase classname=\"paralign.{}\" name=\"{} [{}]\"{}>\n",
                esc(&doc.id),
                esc(&doc.id),
                esc(&m.lang),
                m.path
                    .as_deref()
                    .map(|p| format!(" file=\"{}\"", esc(p)))
                    .unwrap_or_default()
            ));
            let msg = super::missing_message(m);
            if m.fails {
                nf += 1;
                cases.push_str(&format!(
                    "      <failure message=\"no {} version ({} → {})\" type=\"paralign\">missing {}</failure>\n",
                    esc(&m.lang),
                    esc(source.lang.as_str()),
                    esc(&m.lang),
                    esc(&msg)
                ));
            } else {
                cases.push_str(&format!(
                    "      <system-out>missing {}</system-out>\n",
                    esc(&msg)
                ));
            }
            cases.push_str("    </testcase>\n");
        }
        for e in &doc.errors {
            n += 1;
            nf += 1;
            cases.push_str(&format!(
                "    <testcase classname=\"paralign.{}\" name=\"{} (input)\">\n      <error message=\"{}\" type=\"input\"/>\n    </testcase>\n",
                esc(&doc.id),
                esc(&doc.id),
                esc(&e.to_string())
            ));
        }
        total += n;
        failed += nf;
        suites.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{n}\" failures=\"{nf}\" errors=\"0\">\n{cases}  </testsuite>\n",
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
        failed += loose.len();
        suites.push_str(&format!(
            "  <testsuite name=\"input\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n{cases}  </testsuite>\n",
            loose.len(),
            loose.len()
        ));
    }
    write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"paralign\" tests=\"{total}\" failures=\"{failed}\">\n{suites}</testsuites>\n"
    )
}
