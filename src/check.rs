//! Checking: align every target version of each document set with its source, list the
//! findings, and judge them against a policy (flags that fail, minimum coverage, findings a team
//! has accepted). The CLI turns the verdict into an exit code; this module only computes it.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::align::{
    align_features, align_linked, Alignment, Flag, Options, Pair, TermBase, Thresholds,
};
use crate::collect::{DocumentSet, Placement, Version};
use crate::error::{Error, ErrorKind, Result};
use crate::language::LangTag;
use crate::model::MemoryModels;
use crate::score::Features;

/// One target version aligned with its source.
#[derive(Debug, Clone)]
pub struct TargetResult {
    /// The target version.
    pub version: Version,
    /// Its alignment with the source.
    pub alignment: Alignment,
}

impl TargetResult {
    /// Share of source paragraphs covered by a translation.
    pub fn coverage(&self, source: &Version) -> f64 {
        self.alignment.coverage(source.doc.paragraphs.len())
    }
}

/// A document set aligned: its source and every target.
#[derive(Debug, Clone)]
pub struct DocResult {
    /// The document's name.
    pub id: String,
    /// The source version (None when the set had none that could be read).
    pub source: Option<Version>,
    /// Targets in the order found.
    pub targets: Vec<TargetResult>,
    /// Problems with this set (unreadable files, no source, one language only).
    pub errors: Vec<Error>,
    /// Notes that are not errors (for example: a page with one language only).
    pub notes: Vec<String>,
}

/// Settings of a check.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The source language (else English when present, else the longest version).
    pub source_lang: Option<LangTag>,
    /// Where signals turn into flags.
    pub thresholds: Thresholds,
    /// The glossary (every language): each target is checked against its language pair's
    /// terms (reason `term`).
    pub glossary: Option<Arc<TermBase>>,
    /// The memory's word models: each target's language pair's is a prior of its word model.
    pub memory: Option<Arc<MemoryModels>>,
}

/// Align every set.
pub fn check_sets(sets: Vec<DocumentSet>, opts: &CheckOptions) -> Vec<DocResult> {
    sets.into_iter().map(|s| check_set(s, opts)).collect()
}

/// Align one set's targets with its source.
pub fn check_set(mut set: DocumentSet, opts: &CheckOptions) -> DocResult {
    let mut errors = std::mem::take(&mut set.errors);
    let mut notes = Vec::new();
    let Some(si) = set.source_index(opts.source_lang.as_ref()) else {
        if let Some(l) = &opts.source_lang {
            if !set.versions.is_empty() {
                errors.push(Error::input(format!(
                    "document `{}` has no version in the source language {} (found: {})",
                    set.id,
                    l,
                    set.versions
                        .iter()
                        .map(|v| v.lang.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
        return DocResult {
            id: set.id,
            source: None,
            targets: Vec::new(),
            errors,
            notes,
        };
    };
    let source = set.versions.remove(si);
    if set.versions.is_empty() && errors.is_empty() {
        notes.push(format!(
            "only one language version ({}) found{}",
            source.lang,
            if set.split { " in this file" } else { "" }
        ));
    }
    let targets = align_versions(
        &source,
        set.versions,
        &opts.thresholds,
        opts.glossary.as_deref(),
        opts.memory.as_deref(),
    );
    DocResult {
        id: set.id,
        source: Some(source),
        targets,
        errors,
        notes,
    }
}

/// A document whose source and target paragraphs are paired already: the units of an XLIFF
/// file, each a source paragraph with its translation or none.
#[derive(Debug, Clone)]
pub struct LinkedSet {
    /// The document's name.
    pub id: String,
    /// The source version.
    pub source: Version,
    /// The target version: the translations, in unit order.
    pub target: Version,
    /// In source order, each source paragraph with its target paragraph, if it has one.
    pub links: Vec<(usize, Option<usize>)>,
}

/// Judge a linked set's pairs as they are paired (no paragraph is moved).
pub fn check_linked(set: LinkedSet, opts: &CheckOptions) -> DocResult {
    let LinkedSet {
        id,
        source,
        target,
        links,
    } = set;
    let options = Options {
        source_lang: Some(source.lang.clone()),
        target_lang: Some(target.lang.clone()),
        thresholds: opts.thresholds,
        signals: true,
        glossary: opts
            .glossary
            .as_deref()
            .and_then(|g| g.shared_pair(&source.lang, &target.lang)),
        memory: opts
            .memory
            .as_deref()
            .and_then(|m| m.pair(&source.lang, &target.lang)),
    };
    let alignment = align_linked(&source.doc, &target.doc, &links, &options);
    DocResult {
        id,
        source: Some(source),
        targets: vec![TargetResult {
            version: target,
            alignment,
        }],
        errors: Vec::new(),
        notes: Vec::new(),
    }
}

/// Align targets with a source (the source's features are extracted once).
pub fn align_versions(
    source: &Version,
    targets: Vec<Version>,
    thresholds: &Thresholds,
    glossary: Option<&TermBase>,
    memory: Option<&MemoryModels>,
) -> Vec<TargetResult> {
    let sf = Features::of_all(&source.doc.paragraphs);
    targets
        .into_iter()
        .map(|t| {
            let tf = Features::of_all(&t.doc.paragraphs);
            let opts = Options {
                source_lang: Some(source.lang.clone()),
                target_lang: Some(t.lang.clone()),
                thresholds: *thresholds,
                signals: true,
                glossary: glossary.and_then(|g| g.shared_pair(&source.lang, &t.lang)),
                memory: memory.and_then(|m| m.pair(&source.lang, &t.lang)),
            };
            let alignment = align_features(&source.doc, &t.doc, &sf, &tf, &opts);
            TargetResult {
                version: t,
                alignment,
            }
        })
        .collect()
}

/// A stable short hash of text (16 hex digits of SHA-256), for acceptance and the memory.
pub fn text_hash(text: &str) -> String {
    let d = Sha256::digest(text.as_bytes());
    d.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Where a finding stands in a run's results: the indices of its document (in the run's
/// list), of the target (in the document's targets) and of the pair (in the alignment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct At {
    /// The document's index.
    pub doc: usize,
    /// The target's index.
    pub target: usize,
    /// The pair's index.
    pub pair: usize,
}

/// One finding: a flag on a pair of one target of one document.
#[derive(Debug, Clone, Copy)]
pub struct Finding<'a> {
    /// Where it stands, by index (how writers find a finding's pair or target again).
    pub at: At,
    /// The document.
    pub doc: &'a DocResult,
    /// The source version.
    pub source: &'a Version,
    /// The target.
    pub target: &'a TargetResult,
    /// The pair.
    pub pair: &'a Pair,
    /// The flag.
    pub flag: Flag,
}

impl Finding<'_> {
    /// The label that identifies the pair: the source label, else the target's.
    pub fn label(&self) -> Option<&str> {
        let s = self
            .pair
            .source
            .first()
            .and_then(|&i| self.source.doc.paragraphs[i].label.as_ref());
        let t = self
            .pair
            .target
            .first()
            .and_then(|&j| self.target.version.doc.paragraphs[j].label.as_ref());
        s.or(t).map(|l| l.path.as_str())
    }

    /// Hash of the paragraph that identifies the pair where it has no label.
    pub fn paragraph_hash(&self) -> String {
        match self.pair.source.first() {
            Some(&i) => text_hash(&self.source.doc.paragraphs[i].norm),
            None => text_hash(&self.target.version.doc.paragraphs[self.pair.target[0]].norm),
        }
    }

    /// Hash of both sides' texts: an acceptance lapses when it changes.
    pub fn text_hash(&self) -> String {
        let mut t = String::new();
        for &i in &self.pair.source {
            t.push_str(&self.source.doc.paragraphs[i].norm);
            t.push('\n');
        }
        t.push('\u{1}');
        for &j in &self.pair.target {
            t.push_str(&self.target.version.doc.paragraphs[j].norm);
            t.push('\n');
        }
        text_hash(&t)
    }
}

/// Every finding of a run, in document, target and pair order.
pub fn findings(docs: &[DocResult]) -> Vec<Finding<'_>> {
    let mut out = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        let Some(source) = &doc.source else { continue };
        for (t, target) in doc.targets.iter().enumerate() {
            for (p, pair) in target.alignment.pairs.iter().enumerate() {
                for &flag in &pair.flags {
                    out.push(Finding {
                        at: At {
                            doc: d,
                            target: t,
                            pair: p,
                        },
                        doc,
                        source,
                        target,
                        pair,
                        flag,
                    });
                }
            }
        }
    }
    out
}

/// A finding a team reviewed and accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Acceptance {
    /// The document's name.
    pub document: String,
    /// The target language (a file whose tag does not parse is refused when read).
    #[serde(with = "lang_text")]
    pub lang: LangTag,
    /// The paragraph's label, where it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The paragraph's text hash, where it has no label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<String>,
    /// The accepted flag.
    #[serde(with = "flag_text")]
    pub flag: Flag,
    /// Hash of both sides' texts when accepted: a change makes the acceptance lapse.
    pub text: String,
    /// Why it is fine.
    pub reason: String,
}

/// An acceptance's language as the file writes it: a tag, parsed once when the file is read.
mod lang_text {
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    use crate::language::LangTag;

    pub fn serialize<S: Serializer>(l: &LangTag, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(l.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<LangTag, D::Error> {
        let text = String::deserialize(d)?;
        LangTag::parse(&text)
            .map_err(|_| D::Error::custom(format!("`{text}` is not a language tag")))
    }
}

/// An acceptance's flag as the file writes it: its name (`missing`, `diverging`, ...).
mod flag_text {
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    use crate::align::Flag;

    pub fn serialize<S: Serializer>(f: &Flag, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(f.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Flag, D::Error> {
        let text = String::deserialize(d)?;
        Flag::parse(&text).ok_or_else(|| {
            let names: Vec<&str> = Flag::ALL.iter().map(|f| f.as_str()).collect();
            D::Error::custom(format!("`{text}` is not a flag ({})", names.join(", ")))
        })
    }
}

/// The acceptance file: `[[accept]]` entries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accepted {
    /// The entries.
    #[serde(default)]
    pub accept: Vec<Acceptance>,
}

/// Whether and how an acceptance covers a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acceptation {
    /// Not accepted.
    No,
    /// Accepted and unchanged since.
    Yes,
    /// Accepted, but the paragraph changed since: the acceptance lapsed.
    Lapsed,
}

impl Accepted {
    /// Parse an acceptance file.
    pub fn parse(text: &str) -> Result<Accepted> {
        // The message and the line only: the error's own rendering quotes the line, which
        // must not leak a file that is not an acceptance file into a log.
        toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| 1 + text[..s.start].matches('\n').count());
            let err = Error::new(ErrorKind::Config(format!(
                "not an acceptance file: {}",
                e.message().lines().collect::<Vec<_>>().join("; ")
            )));
            match line {
                Some(l) => err.with_line(l),
                None => err,
            }
        })
    }

    /// Write the file back.
    pub fn to_toml(&self) -> String {
        let mut out = String::from(
            "# Findings reviewed and accepted: `paralign check` no longer fails on them.\n\
             # An entry lapses when either paragraph changes (its `text` hash).\n",
        );
        for a in &self.accept {
            out.push_str("\n[[accept]]\n");
            out.push_str(&toml::to_string(a).unwrap_or_default());
        }
        out
    }

    /// The entry for a finding.
    pub fn entry(f: &Finding, reason: &str) -> Acceptance {
        let label = f.label().map(str::to_string);
        Acceptance {
            document: f.doc.id.clone(),
            lang: f.target.version.lang.clone(),
            paragraph: if label.is_none() {
                Some(f.paragraph_hash())
            } else {
                None
            },
            label,
            flag: f.flag,
            text: f.text_hash(),
            reason: reason.to_string(),
        }
    }

    /// Whether a finding is accepted.
    pub fn covers(&self, f: &Finding) -> Acceptation {
        let mut lapsed = false;
        for a in &self.accept {
            if a.document != f.doc.id
                || !a.lang.same_language(&f.target.version.lang)
                || a.flag != f.flag
            {
                continue;
            }
            let place = match (&a.label, &a.paragraph) {
                (Some(l), _) => f.label() == Some(l.as_str()),
                (None, Some(h)) => *h == f.paragraph_hash(),
                (None, None) => false,
            };
            if !place {
                continue;
            }
            if a.text == f.text_hash() {
                return Acceptation::Yes;
            }
            lapsed = true;
        }
        if lapsed {
            Acceptation::Lapsed
        } else {
            Acceptation::No
        }
    }
}

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
}
