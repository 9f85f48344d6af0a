//! The check's unit tests: a run aligned, its findings judged against policies.

use super::*;
use crate::document::{Document, Format};

const EN: &str = "1. The fares rose by 38% in April, the city council decided.\n\n\
                  2. Workers of the bus and tram network went on strike on 3 May.\n\n\
                  3. The strike ended after nine days with an agreement on wages.\n";
/// Paragraph 2 left out.
const ES: &str = "1. Las tarifas subieron un 38 % en abril, decidió el ayuntamiento.\n\n\
                  3. La huelga terminó tras nueve días con un acuerdo salarial.\n";

fn version(lang: &str, text: &str) -> Version {
    Version {
        lang: LangTag::parse(lang).unwrap(),
        doc: Document::parse(&format!("d.{lang}.txt"), text, Format::Text),
        origin: None,
    }
}

fn run(targets: &[(&str, &str)]) -> Vec<DocResult> {
    let set = DocumentSet {
        id: "d".into(),
        versions: std::iter::once(version("en", EN))
            .chain(targets.iter().map(|(l, t)| version(l, t)))
            .collect(),
        errors: Vec::new(),
        split: false,
    };
    vec![check_set(set, &CheckOptions::default())]
}

/// The findings as (language, flag, label, fails).
fn judged(v: &Verdict) -> Vec<(String, &'static str, Option<String>, bool)> {
    v.findings
        .iter()
        .map(|(f, _, fails)| {
            (
                f.target.version.lang.to_string(),
                f.flag.as_str(),
                f.label().map(str::to_string),
                *fails,
            )
        })
        .collect()
}

#[test]
fn a_missing_paragraph_fails_the_default_policy_and_an_acceptance_lifts_it() {
    let docs = run(&[("es", ES)]);
    let policy = Policy::default();
    let v = policy.judge(&docs);
    assert_eq!(
        judged(&v),
        [("es".to_string(), "missing", Some("2".to_string()), true)]
    );
    assert!(v.fails());
    assert_eq!(v.failing(), 1);
    // Accepted: it no longer fails, and says so.
    let entry = Accepted::entry(&v.findings[0].0, "paragraph 2 is not published in Spanish");
    let accepted = Policy {
        accepted: Accepted {
            accept: vec![entry.clone()],
        },
        ..Policy::default()
    };
    let v = accepted.judge(&docs);
    assert_eq!(v.findings[0].1, Acceptation::Yes);
    assert!(!v.fails());
    // The source paragraph changes: the acceptance lapses and the finding fails again.
    let changed = EN.replace("3 May", "4 May");
    let set = DocumentSet {
        id: "d".into(),
        versions: vec![version("en", &changed), version("es", ES)],
        errors: Vec::new(),
        split: false,
    };
    let docs = vec![check_set(set, &CheckOptions::default())];
    let v = accepted.judge(&docs);
    assert_eq!(v.findings[0].1, Acceptation::Lapsed);
    assert!(v.fails());
}

#[test]
fn flags_outside_fail_on_are_reported_without_failing() {
    let docs = run(&[("es", ES)]);
    let policy = Policy {
        fail_on: vec![Flag::Untranslated],
        ..Policy::default()
    };
    let v = policy.judge(&docs);
    assert_eq!(
        judged(&v),
        [("es".to_string(), "missing", Some("2".to_string()), false)]
    );
    assert!(!v.fails());
}

#[test]
fn minimum_coverage_per_language_and_required_languages() {
    let docs = run(&[("es", ES)]);
    // 2 of 3 paragraphs: under 90 % for Spanish; German is required and absent.
    let policy = Policy {
        fail_on: Vec::new(),
        min_coverage_lang: [("es".to_string(), 0.9)].into_iter().collect(),
        languages: vec![LangTag::parse("de").unwrap()],
        ..Policy::default()
    };
    let v = policy.judge(&docs);
    assert_eq!(
        v.coverage,
        [CoverageFailure {
            document: "d".into(),
            lang: "es".into(),
            coverage: 2.0 / 3.0,
            minimum: 0.9,
        }]
    );
    // German is missing; with `missing` not in fail_on and no minimum for it, it is
    // reported, not failing.
    assert_eq!(
        v.missing,
        [MissingVersion {
            document: "d".into(),
            lang: "de".into(),
            path: None,
            fails: false,
            required: true,
        }]
    );
    assert!(v.fails(), "the Spanish coverage fails");
    // A general minimum applies to the absent German too (coverage 0).
    let policy = Policy {
        min_coverage: Some(0.5),
        languages: vec![LangTag::parse("de").unwrap()],
        ..Policy::default()
    };
    let v = policy.judge(&docs);
    let under: Vec<(&str, f64)> = v
        .coverage
        .iter()
        .map(|c| (c.lang.as_str(), c.coverage))
        .collect();
    assert_eq!(under, [("de", 0.0)]);
    assert!(v.missing[0].fails);
}

#[test]
fn a_document_alone_with_a_minimum_is_unmeasured() {
    let docs = run(&[]);
    let policy = Policy {
        min_coverage: Some(1.0),
        ..Policy::default()
    };
    let v = policy.judge(&docs);
    assert_eq!(v.unmeasured, ["d"]);
    assert!(v.fails());
    assert!(!Policy::default().judge(&docs).fails());
}

#[test]
fn an_acceptance_file_is_typed_when_read() {
    let entry = |lang: &str, flag: &str| {
        format!(
            "[[accept]]\ndocument = \"d\"\nlang = \"{lang}\"\nlabel = \"2\"\nflag = \"{flag}\"\ntext = \"0\"\nreason = \"r\"\n"
        )
    };
    let ok = Accepted::parse(&entry("es-ES", "missing")).unwrap();
    assert_eq!(ok.accept[0].lang, LangTag::parse("es-ES").unwrap());
    assert_eq!(ok.accept[0].flag, Flag::Missing);
    // Written back as read.
    assert_eq!(Accepted::parse(&ok.to_toml()).unwrap(), ok);
    let bad_flag = Accepted::parse(&entry("es", "gone"))
        .unwrap_err()
        .to_string();
    assert!(
        bad_flag.contains("`gone` is not a flag (missing, extra, untranslated"),
        "{bad_flag}"
    );
    let bad_lang = Accepted::parse(&entry("español", "missing")).unwrap_err();
    assert_eq!(
        bad_lang.to_string(),
        "not an acceptance file: `español` is not a language tag"
    );
    assert_eq!(bad_lang.line(), Some(3));
}
