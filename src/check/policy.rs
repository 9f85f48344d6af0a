//! The policy of a check: which findings fail it (flags that fail, unless accepted), the
//! minimum coverage of each language, the languages every document must have; and the
//! verdict of a run under it. Computes the verdict only; the CLI picks the exit code.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{findings, Acceptation, Accepted, DocResult, Finding};
use crate::align::Flag;
use crate::collect::Placement;
use crate::language::LangTag;

/// What fails a check.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Flags that fail (default: missing, untranslated).
    pub fail_on: Vec<Flag>,
    /// Minimum coverage in [0, 1] for every language.
    pub min_coverage: Option<f64>,
    /// Minimum coverage per language (by language subtag), overriding `min_coverage`.
    pub min_coverage_lang: BTreeMap<String, f64>,
    /// Accepted findings.
    pub accepted: Accepted,
    /// The languages every document must have (besides its source); when empty, a document
    /// must have the languages its neighbours have.
    pub languages: Vec<LangTag>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            fail_on: vec![Flag::Missing, Flag::Untranslated],
            min_coverage: None,
            min_coverage_lang: BTreeMap::new(),
            accepted: Accepted::default(),
            languages: Vec::new(),
        }
    }
}

/// A language version a document should have and has not: no file at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingVersion {
    /// The document.
    pub document: String,
    /// The language it lacks.
    pub lang: String,
    /// Where the file is expected (none for a page split by language).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Whether it fails the policy: a required language (declared, or given a minimum) while
    /// `missing` is a flag that fails, or any language a minimum coverage applies to.
    pub fails: bool,
    /// Whether the language is required (declared or given a minimum), not only had by the
    /// documents beside it.
    #[serde(skip)]
    pub required: bool,
}

/// A target whose coverage is under the minimum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageFailure {
    /// The document.
    pub document: String,
    /// The target language.
    pub lang: String,
    /// Its coverage.
    pub coverage: f64,
    /// The minimum it had to reach.
    pub minimum: f64,
}

/// The judgement of a run.
#[derive(Debug, Clone)]
pub struct Verdict<'a> {
    /// Every finding with its acceptance and whether it fails the policy.
    pub findings: Vec<(Finding<'a>, Acceptation, bool)>,
    /// Targets under the minimum coverage (a missing version has coverage 0).
    pub coverage: Vec<CoverageFailure>,
    /// Language versions with no file at all.
    pub missing: Vec<MissingVersion>,
    /// Documents with no translation and no known languages to expect, while a minimum
    /// coverage is asked for: nothing could be measured, which fails.
    pub unmeasured: Vec<String>,
}

impl Verdict<'_> {
    /// Whether anything fails the policy.
    pub fn fails(&self) -> bool {
        !self.coverage.is_empty()
            || !self.unmeasured.is_empty()
            || self.missing.iter().any(|m| m.fails)
            || self.findings.iter().any(|f| f.2)
    }

    /// How many findings fail the policy.
    pub fn failing(&self) -> usize {
        self.findings.iter().filter(|f| f.2).count()
    }
}

impl Policy {
    /// The minimum coverage for a language, if any.
    fn minimum(&self, lang: &LangTag) -> Option<f64> {
        self.min_coverage_lang
            .get(lang.language())
            .or(self.min_coverage_lang.get(lang.as_str()))
            .copied()
            .or(self.min_coverage)
    }

    /// Judge a run of documents whose placements are unknown (no expected paths, no
    /// neighbours).
    pub fn judge<'a>(&self, docs: &'a [DocResult]) -> Verdict<'a> {
        self.judge_project(docs, &BTreeMap::new())
    }

    /// The languages a document should have besides its source, each with whether it is
    /// required: the declared ones and every language given its own minimum coverage are;
    /// without declared languages, its neighbours' are expected but only reported (a guess
    /// does not fail a run, a minimum coverage still applies to it).
    pub fn expected_languages(&self, placement: Option<&Placement>) -> Vec<(LangTag, bool)> {
        let mut out: Vec<(LangTag, bool)> = Vec::new();
        let neighbours = placement.map(|p| p.neighbours.as_slice()).unwrap_or(&[]);
        let per_lang: Vec<LangTag> = self
            .min_coverage_lang
            .iter()
            .filter(|(_, v)| **v > 0.0)
            .filter_map(|(k, _)| LangTag::parse(k).ok())
            .collect();
        let declared = self
            .languages
            .iter()
            .chain(per_lang.iter())
            .map(|l| (l, true));
        let guessed = if self.languages.is_empty() {
            neighbours
        } else {
            &[]
        };
        for (l, required) in declared.chain(guessed.iter().map(|l| (l, false))) {
            if !out.iter().any(|(o, _)| o.same_language(l)) {
                out.push((l.clone(), required));
            }
        }
        out
    }

    /// Judge a run, with where each document lives (to find the languages it lacks).
    pub fn judge_project<'a>(
        &self,
        docs: &'a [DocResult],
        placements: &BTreeMap<String, Placement>,
    ) -> Verdict<'a> {
        let findings = findings(docs)
            .into_iter()
            .map(|f| {
                let acc = self.accepted.covers(&f);
                let fails = self.fail_on.contains(&f.flag) && acc != Acceptation::Yes;
                (f, acc, fails)
            })
            .collect();
        let mut coverage = Vec::new();
        let mut missing = Vec::new();
        let mut unmeasured = Vec::new();
        for doc in docs {
            let Some(source) = &doc.source else { continue };
            let placement = placements.get(&doc.id);
            let expected = self.expected_languages(placement);
            for (lang, required) in &expected {
                if source.lang.same_language(lang)
                    || doc
                        .targets
                        .iter()
                        .any(|t| t.version.lang.same_language(lang))
                {
                    continue;
                }
                let min = self.minimum(lang).filter(|m| *m > 0.0);
                if let Some(min) = min {
                    coverage.push(CoverageFailure {
                        document: doc.id.clone(),
                        lang: lang.to_string(),
                        coverage: 0.0,
                        minimum: min,
                    });
                }
                missing.push(MissingVersion {
                    document: doc.id.clone(),
                    lang: lang.to_string(),
                    path: placement.and_then(|p| p.expected_path(lang)),
                    fails: min.is_some() || (*required && self.fail_on.contains(&Flag::Missing)),
                    required: *required,
                });
            }
            if doc.targets.is_empty()
                && expected.is_empty()
                && self.min_coverage.is_some_and(|m| m > 0.0)
            {
                unmeasured.push(doc.id.clone());
            }
            for t in &doc.targets {
                let min = self.minimum(&t.version.lang);
                let cov = t.coverage(source);
                if let Some(min) = min {
                    if cov + 1e-9 < min {
                        coverage.push(CoverageFailure {
                            document: doc.id.clone(),
                            lang: t.version.lang.to_string(),
                            coverage: cov,
                            minimum: min,
                        });
                    }
                }
            }
        }
        Verdict {
            findings,
            coverage,
            missing,
            unmeasured,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::{Alignment, Pair};
    use crate::check::{Acceptance, TargetResult};
    use crate::collect::Version;
    use crate::document::{Document, Format};
    use crate::score::PairModel;

    fn version(lang: &str, text: &str) -> Version {
        Version {
            lang: LangTag::parse(lang).unwrap(),
            doc: Document::parse(&format!("d.{lang}.txt"), text, Format::Text),
            origin: None,
        }
    }

    fn pair(source: &[usize], target: &[usize], flags: &[Flag]) -> Pair {
        Pair {
            source: source.to_vec(),
            target: target.to_vec(),
            score: None,
            flags: flags.to_vec(),
            reasons: Vec::new(),
            signals: None,
            notes: Vec::new(),
        }
    }

    /// One document, four English paragraphs and a German target paired by hand (no
    /// alignment runs): paragraph 0 fine, 1 diverging, 2 missing, 3 untranslated.
    fn docs(target_lang: &str) -> Vec<DocResult> {
        let alignment = Alignment {
            pairs: vec![
                pair(&[0], &[0], &[]),
                pair(&[1], &[1], &[Flag::Diverging]),
                pair(&[2], &[], &[Flag::Missing]),
                pair(&[3], &[2], &[Flag::Untranslated]),
            ],
            model: PairModel::default(),
        };
        vec![DocResult {
            id: "d".into(),
            source: Some(version("en", "One.\n\nTwo.\n\nThree.\n\nFour.\n")),
            targets: vec![TargetResult {
                version: version(target_lang, "Eins.\n\nZwo.\n\nFour.\n"),
                alignment,
            }],
            errors: Vec::new(),
            notes: Vec::new(),
        }]
    }

    /// The findings as (flag, acceptance, fails).
    fn judged<'a>(v: &Verdict<'a>) -> Vec<(Flag, Acceptation, bool)> {
        v.findings
            .iter()
            .map(|(f, a, fails)| (f.flag, *a, *fails))
            .collect()
    }

    #[test]
    fn the_flags_of_fail_on_fail_unless_accepted() {
        let docs = docs("de");
        let v = Policy::default().judge(&docs);
        assert_eq!(
            judged(&v),
            [
                (Flag::Diverging, Acceptation::No, false),
                (Flag::Missing, Acceptation::No, true),
                (Flag::Untranslated, Acceptation::No, true),
            ]
        );
        assert_eq!(v.failing(), 2);
        assert!(v.fails());

        // Only `diverging` fails: one finding.
        let diverging = Policy {
            fail_on: vec![Flag::Diverging],
            ..Policy::default()
        };
        let v = diverging.judge(&docs);
        assert_eq!(v.failing(), 1);
        assert!(v.fails());

        // Nothing fails: the findings are still listed.
        let none = Policy {
            fail_on: Vec::new(),
            ..Policy::default()
        };
        let v = none.judge(&docs);
        assert_eq!(v.findings.len(), 3);
        assert_eq!(v.failing(), 0);
        assert!(!v.fails());
    }

    #[test]
    fn an_acceptance_lifts_its_finding_lapses_on_change_and_ignores_other_languages() {
        let docs = docs("de");
        let found = Policy::default().judge(&docs);
        let entries: Vec<Acceptance> = found.findings[1..]
            .iter()
            .map(|(f, _, _)| Accepted::entry(f, "reviewed"))
            .collect();
        let with = |accept: Vec<Acceptance>| Policy {
            accepted: Accepted { accept },
            ..Policy::default()
        };

        // Both failing findings accepted: nothing fails.
        let v = with(entries.clone()).judge(&docs);
        assert_eq!(
            judged(&v),
            [
                (Flag::Diverging, Acceptation::No, false),
                (Flag::Missing, Acceptation::Yes, false),
                (Flag::Untranslated, Acceptation::Yes, false),
            ]
        );
        assert!(!v.fails());

        // The texts changed since the missing one was accepted: it lapsed and fails again.
        let mut changed = entries.clone();
        changed[0].text = "0000000000000000".into();
        let v = with(changed).judge(&docs);
        assert_eq!(v.findings[1].1, Acceptation::Lapsed);
        assert!(v.findings[1].2);
        assert_eq!(v.failing(), 1);

        // An acceptance for German covers de-AT (same language), not French.
        let (austrian, french) = (self::docs("de-AT"), self::docs("fr"));
        assert_eq!(with(entries.clone()).judge(&austrian).failing(), 0);
        assert_eq!(with(entries).judge(&french).failing(), 2);
    }

    #[test]
    fn coverage_under_the_minimum_fails_and_a_language_minimum_overrides() {
        // Covered: paragraphs 0 and 1 (2 is missing, 3 untranslated): one half.
        let docs = docs("de");
        let policy = Policy {
            fail_on: Vec::new(),
            min_coverage: Some(0.6),
            ..Policy::default()
        };
        let v = policy.judge(&docs);
        assert_eq!(
            v.coverage,
            [CoverageFailure {
                document: "d".into(),
                lang: "de".into(),
                coverage: 0.5,
                minimum: 0.6,
            }]
        );
        assert!(v.fails());
        // German's own minimum, by its language subtag, takes the general one's place.
        let policy = Policy {
            min_coverage_lang: [("de".to_string(), 0.5)].into_iter().collect(),
            ..policy
        };
        let v = policy.judge(&docs);
        assert_eq!(v.coverage, []);
        assert!(!v.fails());
    }

    #[test]
    fn declared_languages_and_languages_with_a_minimum_are_required() {
        let policy = Policy {
            languages: vec![LangTag::parse("fr").unwrap()],
            min_coverage_lang: [("it".to_string(), 0.5), ("es".to_string(), 0.0)]
                .into_iter()
                .collect(),
            ..Policy::default()
        };
        let expected: Vec<(String, bool)> = policy
            .expected_languages(None)
            .into_iter()
            .map(|(l, r)| (l.to_string(), r))
            .collect();
        assert_eq!(
            expected,
            [("fr".to_string(), true), ("it".to_string(), true)]
        );
        // French is absent: with `missing` failing, a required language fails the run;
        // Italian has a minimum, so its absence is coverage 0 as well.
        let docs = docs("de");
        let v = policy.judge(&docs);
        let missing: Vec<(&str, bool)> = v
            .missing
            .iter()
            .map(|m| (m.lang.as_str(), m.fails))
            .collect();
        assert_eq!(missing, [("fr", true), ("it", true)]);
        let under: Vec<(&str, f64)> = v
            .coverage
            .iter()
            .map(|c| (c.lang.as_str(), c.coverage))
            .collect();
        assert_eq!(under, [("it", 0.0)]);
    }
}
