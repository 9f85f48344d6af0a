//! The JSON output of `align` and `check` (`--format json`) as a contract: it is read back into
//! strict serde structs (unknown fields are an error, required fields must be there, flag and
//! reason names must be known ones) and checked against the invariants every alignment keeps.
//! Field names follow `src/report/json.rs` and `src/align/mod.rs`; fields written only when not
//! empty are `Option`s here, and must then be non-empty.

mod util;

use serde::Deserialize;
use util::{paralign, statement_with_defect, Dir};

/// The whole document.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Run {
    version: u32,
    documents: Vec<Doc>,
    errors: Option<Vec<JsonError>>,
    warnings: Option<Vec<JsonError>>,
    policy: Option<Policy>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Doc {
    id: String,
    source: Source,
    targets: Vec<Target>,
    notes: Option<Vec<String>>,
    missing: Option<Vec<Missing>>,
}

/// A required language with no file.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Missing {
    lang: String,
    path: Option<String>,
    fails: bool,
}

/// The line each paragraph of statement.en.txt starts on.
const STATEMENT_LINES: [usize; 16] = [1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 34, 37, 40, 45, 50];

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Source {
    lang: String,
    path: String,
    paragraphs: usize,
    lines: Vec<usize>,
    numbering: Option<Vec<NumberingIssue>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "issue", rename_all = "lowercase", deny_unknown_fields)]
enum NumberingIssue {
    Gap {
        index: usize,
        label: String,
        expected: String,
    },
    Duplicate {
        index: usize,
        label: String,
        first: usize,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Target {
    lang: String,
    path: String,
    paragraphs: usize,
    lines: Vec<usize>,
    coverage: f64,
    counts: Counts,
    numbering: Option<Vec<NumberingIssue>>,
    pairs: Vec<Pair>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Counts {
    pairs: usize,
    missing: usize,
    extra: usize,
    untranslated: usize,
    diverging: usize,
    misnumbered: usize,
    reordered: usize,
    outdated: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Flag {
    Missing,
    Extra,
    Untranslated,
    Diverging,
    Misnumbered,
    Reordered,
    Outdated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Reason {
    Numbers,
    Length,
    Names,
    Links,
    LowScore,
    SameText,
    SameLanguage,
    WrongLanguage,
    Label,
    SourceChanged,
    Content,
    Placeholders,
    Code,
    Tags,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Pair {
    source: Vec<usize>,
    target: Vec<usize>,
    /// Required, and null when a side is empty.
    #[serde(deserialize_with = "Option::deserialize")]
    score: Option<f64>,
    flags: Vec<Flag>,
    reasons: Vec<Reason>,
    signals: Option<serde_json::Value>,
    /// Remarks that are no findings (`identical`); absent when none.
    #[serde(default)]
    #[allow(dead_code)]
    notes: Vec<Note>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Note {
    Identical,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonError {
    message: String,
    path: Option<String>,
    line: Option<usize>,
    byte: Option<usize>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Policy {
    fail_on: Vec<Flag>,
    passed: bool,
    failing: usize,
    accepted: usize,
    lapsed: usize,
    coverage_failures: Vec<CoverageFailure>,
    missing_versions: Option<usize>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct CoverageFailure {
    document: String,
    lang: String,
    coverage: f64,
    minimum: f64,
}

/// Read stdout strictly and check every invariant of the contract.
fn read(stdout: &str) -> Run {
    let run: Run = serde_json::from_str(stdout)
        .unwrap_or_else(|e| panic!("the JSON does not follow the contract: {e}\n{stdout}"));
    assert_eq!(run.version, 1);
    assert!(stdout.ends_with("}\n"), "one JSON document and a newline");
    if let Some(errors) = &run.errors {
        assert!(!errors.is_empty(), "`errors` is left out when empty");
    }
    for doc in &run.documents {
        if let Some(notes) = &doc.notes {
            assert!(!notes.is_empty(), "`notes` is left out when empty");
        }
        if let Some(m) = &doc.missing {
            assert!(!m.is_empty(), "`missing` is left out when empty");
        }
        if let Some(n) = &doc.source.numbering {
            assert!(!n.is_empty(), "`numbering` is left out when empty");
        }
        for t in &doc.targets {
            check_target(&doc.id, &doc.source, t);
        }
    }
    run
}

/// The invariants of one target's alignment.
fn check_target(id: &str, source: &Source, t: &Target) {
    let at = format!("{id} [{}]", t.lang);
    if let Some(n) = &t.numbering {
        assert!(!n.is_empty(), "{at}: `numbering` is left out when empty");
    }
    // Every source paragraph in exactly one pair, and the pairs in source order.
    let sources: Vec<usize> = t.pairs.iter().flat_map(|p| p.source.clone()).collect();
    assert_eq!(
        sources,
        (0..source.paragraphs).collect::<Vec<_>>(),
        "{at}: source indices, read pair by pair, are each index once and in order"
    );
    // Every target paragraph in exactly one pair.
    let mut targets: Vec<usize> = t.pairs.iter().flat_map(|p| p.target.clone()).collect();
    targets.sort_unstable();
    assert_eq!(
        targets,
        (0..t.paragraphs).collect::<Vec<_>>(),
        "{at}: every target index once"
    );
    let mut counts = Counts::default();
    for p in &t.pairs {
        assert!(
            !p.source.is_empty() || !p.target.is_empty(),
            "{at}: a pair with two empty sides"
        );
        let one_sided = p.source.is_empty() || p.target.is_empty();
        match p.score {
            None => assert!(one_sided, "{at}: {p:?}: score null with both sides"),
            Some(s) => {
                assert!(!one_sided, "{at}: {p:?}: a score with an empty side");
                assert!((0.0..=1.0).contains(&s), "{at}: {p:?}: score out of [0, 1]");
            }
        }
        assert_eq!(
            p.flags.contains(&Flag::Missing),
            p.target.is_empty(),
            "{at}: {p:?}: `missing` goes with an empty target"
        );
        assert_eq!(
            p.flags.contains(&Flag::Extra),
            p.source.is_empty(),
            "{at}: {p:?}: `extra` goes with an empty source"
        );
        if let Some(s) = &p.signals {
            assert!(s.is_object(), "{at}: signals are an object");
        }
        if !one_sided {
            counts.pairs += 1;
        }
        for f in &p.flags {
            match f {
                Flag::Missing => counts.missing += p.source.len(),
                Flag::Extra => counts.extra += p.target.len(),
                Flag::Untranslated => counts.untranslated += 1,
                Flag::Diverging => counts.diverging += 1,
                Flag::Misnumbered => counts.misnumbered += 1,
                Flag::Reordered => counts.reordered += 1,
                Flag::Outdated => *counts.outdated.get_or_insert(0) += 1,
            }
        }
    }
    assert_eq!(t.counts, counts, "{at}: counts tally the pairs' flags");
    // Coverage: the share of source paragraphs paired with a target and not untranslated.
    let covered: usize = t
        .pairs
        .iter()
        .filter(|p| !p.target.is_empty() && !p.flags.contains(&Flag::Untranslated))
        .map(|p| p.source.len())
        .sum();
    let expected = if source.paragraphs == 0 {
        1.0
    } else {
        covered as f64 / source.paragraphs as f64
    };
    assert!(
        (t.coverage - expected).abs() <= 0.00005 + 1e-12,
        "{at}: coverage {} is not {covered}/{} (rounded to 4 places)",
        t.coverage,
        source.paragraphs
    );
}

const EN: &str = "fixtures/statement/statement.en.txt";

const DEFECTS: [&str; 12] = [
    "changed-number.es.txt",
    "cut.ru.txt",
    "extra.es.txt",
    "link.es.txt",
    "merged.es.txt",
    "misnumbered.es.txt",
    "missing.es.txt",
    "reordered.es.txt",
    "replaced.es.txt",
    "same-language.ru.txt",
    "untranslated.es.txt",
    "wrong-language.es.txt",
];

/// A clean alignment: pairs i with i, no flags, scores present.
fn assert_one_to_one(t: &Target, n: usize) {
    assert_eq!(t.paragraphs, n);
    assert_eq!(t.coverage, 1.0);
    assert_eq!(
        t.counts,
        Counts {
            pairs: n,
            ..Counts::default()
        }
    );
    assert_eq!(t.numbering, None);
    let shape: Vec<(Vec<usize>, Vec<usize>, usize, usize)> = t
        .pairs
        .iter()
        .map(|p| {
            (
                p.source.clone(),
                p.target.clone(),
                p.flags.len(),
                p.reasons.len(),
            )
        })
        .collect();
    let expected: Vec<_> = (0..n).map(|i| (vec![i], vec![i], 0, 0)).collect();
    assert_eq!(shape, expected);
}

#[test]
fn align_clean_statement_reads_back() {
    let out = paralign([
        "align",
        EN,
        "fixtures/statement/statement.es.txt",
        "fixtures/statement/statement.ru.txt",
        "--format",
        "json",
    ])
    .expect_code(0);
    let run = read(&out.stdout);
    assert!(run.errors.is_none());
    assert!(run.policy.is_none(), "align has no policy");
    assert_eq!(run.documents.len(), 1);
    let doc = &run.documents[0];
    assert_eq!(doc.id, "statement");
    assert_eq!(doc.notes, None);
    assert_eq!(
        doc.source,
        Source {
            lang: "en".into(),
            path: EN.into(),
            paragraphs: 16,
            lines: STATEMENT_LINES.to_vec(),
            numbering: None,
        }
    );
    let langs: Vec<(&str, &str)> = doc
        .targets
        .iter()
        .map(|t| (t.lang.as_str(), t.path.as_str()))
        .collect();
    assert_eq!(
        langs,
        [
            ("es", "fixtures/statement/statement.es.txt"),
            ("ru", "fixtures/statement/statement.ru.txt")
        ]
    );
    for t in &doc.targets {
        assert_one_to_one(t, 16);
        assert!(t.pairs.iter().all(|p| p.signals.is_some()));
    }
    // The Spanish and Russian statements keep the English one's lines.
    assert_eq!(doc.targets[0].lines, STATEMENT_LINES);
    assert_eq!(doc.targets[1].lines, STATEMENT_LINES);
    assert_eq!(out.stderr, "");
}

#[test]
fn align_every_defect_reads_back() {
    for defect in DEFECTS {
        let path = format!("fixtures/defects/{defect}");
        let out = paralign(["align", EN, &path, "--format", "json"]).expect_code(0);
        let run = read(&out.stdout);
        assert_eq!(run.documents.len(), 1, "{defect}");
        assert_eq!(run.documents[0].targets.len(), 1, "{defect}");
        assert_eq!(run.documents[0].targets[0].path, path);
    }
}

#[test]
fn align_missing_counts_and_numbering() {
    let out = paralign([
        "align",
        EN,
        "fixtures/defects/missing.es.txt",
        "--format",
        "json",
    ])
    .expect_code(0);
    let run = read(&out.stdout);
    let t = &run.documents[0].targets[0];
    assert_eq!(t.paragraphs, 15);
    assert_eq!(t.coverage, 0.9375);
    assert_eq!(
        t.counts,
        Counts {
            pairs: 15,
            missing: 1,
            ..Counts::default()
        }
    );
    // The Spanish numbering jumps from 6 to 8 at its paragraph 7.
    assert_eq!(
        t.numbering,
        Some(vec![NumberingIssue::Gap {
            index: 8,
            label: "8".into(),
            expected: "7".into()
        }])
    );
}

#[test]
fn check_folders_read_back_with_policy() {
    let out = paralign(["check", "fixtures/statement", "--format", "json"]).expect_code(0);
    let run = read(&out.stdout);
    assert_eq!(
        run.policy,
        Some(Policy {
            fail_on: vec![Flag::Missing, Flag::Untranslated],
            passed: true,
            failing: 0,
            accepted: 0,
            lapsed: 0,
            coverage_failures: vec![],
            missing_versions: None,
        })
    );
    assert_eq!(run.documents.len(), 1);
    let doc = &run.documents[0];
    assert_eq!(doc.id, "statement");
    assert_eq!(doc.source.path, "fixtures/statement/statement.en.txt");
    let langs: Vec<&str> = doc.targets.iter().map(|t| t.lang.as_str()).collect();
    assert_eq!(langs, ["es", "ru"]);
    for t in &doc.targets {
        assert_one_to_one(t, 16);
    }
}

#[test]
fn check_law_page_and_bilingual_read_back() {
    for path in [
        "fixtures/law",
        "fixtures/page/page.txt",
        "fixtures/bilingual/statement.txt",
    ] {
        let out = paralign(["check", path, "--format", "json"]).run();
        let run = read(&out.stdout);
        assert!(run.policy.is_some(), "{path}: check has a policy");
        assert_eq!(run.documents.len(), 1, "{path}");
    }
}

#[test]
fn check_every_defect_reads_back() {
    for defect in DEFECTS {
        let dir = statement_with_defect(defect);
        let out = dir.paralign(["check", ".", "--format", "json"]).run();
        let run = read(&out.stdout);
        assert_eq!(run.documents.len(), 1, "{defect}");
        let policy = run.policy.expect("check has a policy");
        assert_eq!(
            policy.passed,
            out.code == 0,
            "{defect}: passed and exit code"
        );
    }
}

#[test]
fn check_coverage_failure_is_reported() {
    let dir = statement_with_defect("missing.es.txt");
    let out = dir
        .paralign([
            "check",
            ".",
            "--format",
            "json",
            "--fail-on",
            "none",
            "--min-coverage",
            "100",
        ])
        .expect_code(1);
    let run = read(&out.stdout);
    assert_eq!(
        run.policy,
        Some(Policy {
            fail_on: vec![],
            passed: false,
            failing: 0,
            accepted: 0,
            lapsed: 0,
            coverage_failures: vec![CoverageFailure {
                document: "statement".into(),
                lang: "es".into(),
                coverage: 0.9375,
                minimum: 1.0,
            }],
            missing_versions: None,
        })
    );
}

#[test]
fn missing_versions_read_back() {
    let dir = Dir::new();
    dir.copy_fixture("projects/suffix/docs/guide.en.md", "guide.en.md");
    dir.copy_fixture("projects/suffix/docs/guide.es.md", "guide.es.md");
    let out = dir
        .paralign([
            "check",
            ".",
            "--format",
            "json",
            "--languages",
            "es,de",
            "--min-coverage",
            "de=0.5",
        ])
        .expect_code(1);
    let run = read(&out.stdout);
    assert!(run.warnings.is_none());
    assert_eq!(
        run.documents[0].missing,
        Some(vec![Missing {
            lang: "de".into(),
            path: Some("./guide.de.md".into()),
            fails: true,
        }])
    );
    assert_eq!(
        run.policy,
        Some(Policy {
            fail_on: vec![Flag::Missing, Flag::Untranslated],
            passed: false,
            failing: 0,
            accepted: 0,
            lapsed: 0,
            coverage_failures: vec![CoverageFailure {
                document: "guide".into(),
                lang: "de".into(),
                coverage: 0.0,
                minimum: 0.5,
            }],
            missing_versions: Some(1),
        })
    );
}

#[test]
fn warnings_read_back() {
    let dir = Dir::new();
    dir.copy_fixture("projects/suffix/docs/guide.en.md", "guide.en.md");
    dir.copy_fixture("projects/suffix/docs/guide.es.md", "guide.es.md");
    dir.create("guide.es.rtf", "{\\rtf1 Hola}\n");
    let out = dir
        .paralign(["check", ".", "--format", "json"])
        .expect_code(0);
    let run = read(&out.stdout);
    let w = run.warnings.expect("a warning");
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].path.as_deref(), Some("./guide.es.rtf"));
    assert_eq!(
        w[0].message,
        "./guide.es.rtf: not read: paralign reads .txt, .md, .markdown, .html, .htm, .docx and .odt files, and this looks \
         like a language version"
    );
}

#[test]
fn page_with_one_language_has_a_note() {
    let dir = Dir::new();
    dir.copy_fixture("statement/statement.en.txt", "doc.english.txt");
    let out = dir
        .paralign(["check", "doc.english.txt", "--format", "json"])
        .expect_code(0);
    let run = read(&out.stdout);
    assert_eq!(run.documents.len(), 1);
    let doc = &run.documents[0];
    assert_eq!(doc.id, "doc.english");
    assert_eq!(
        doc.source,
        Source {
            lang: "en".into(),
            path: "doc.english.txt".into(),
            paragraphs: 16,
            lines: STATEMENT_LINES.to_vec(),
            numbering: None,
        }
    );
    assert!(doc.targets.is_empty());
    assert_eq!(
        doc.notes,
        Some(vec![
            "only one language version (en) found in this file".to_string()
        ])
    );
}

#[test]
fn errors_are_listed_with_their_place() {
    let dir = Dir::new();
    dir.copy_fixture("statement/statement.en.txt", "statement.en.txt");
    dir.copy_fixture("statement/statement.es.txt", "statement.es.txt");
    dir.create("bad.en.txt", b"ok\n\xff");
    let out = dir
        .paralign(["check", ".", "nothere.en.txt", "--format", "json"])
        .expect_code(2);
    let run = read(&out.stdout);
    assert_eq!(
        run.errors,
        Some(vec![
            JsonError {
                message: "nothere.en.txt: no such file or folder".into(),
                path: Some("nothere.en.txt".into()),
                line: None,
                byte: None,
            },
            JsonError {
                message: "./bad.en.txt:2 (byte 3): invalid UTF-8; save the file as UTF-8 \
                          (or UTF-16 with a byte-order mark)"
                    .into(),
                path: Some("./bad.en.txt".into()),
                line: Some(2),
                byte: Some(3),
            },
        ])
    );
    let ids: Vec<&str> = run.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["statement"], "the good document is still reported");
    assert_one_to_one(&run.documents[0].targets[0], 16);
}

#[test]
fn unknown_fields_are_refused_by_these_structs() {
    // The strictness the other tests rely on.
    let good = r#"{"version":1,"documents":[]}"#;
    assert!(serde_json::from_str::<Run>(good).is_ok());
    let extra = r#"{"version":1,"documents":[],"surprise":0}"#;
    assert!(serde_json::from_str::<Run>(extra).is_err());
    let no_score = r#"{"source":[0],"target":[0],"flags":[],"reasons":[]}"#;
    assert!(serde_json::from_str::<Pair>(no_score).is_err());
    let bad_flag = r#"{"source":[0],"target":[0],"score":1,"flags":["odd"],"reasons":[]}"#;
    assert!(serde_json::from_str::<Pair>(bad_flag).is_err());
    let gap = r#"{"index":1,"label":"2","issue":"gap","expected":"1","x":0}"#;
    assert!(serde_json::from_str::<NumberingIssue>(gap).is_err());
}
