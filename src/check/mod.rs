//! Checking: align every target version of each document set with its source, list the
//! findings, and judge them against a policy (flags that fail, minimum coverage, findings a team
//! has accepted). The CLI turns the verdict into an exit code; this module only computes it.

use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::align::{
    align_features, align_linked, align_owned_features, Alignment, Flag, Options, Pair, TermBase,
    Thresholds,
};
use crate::collect::{DocumentSet, Version};
use crate::error::Error;
use crate::language::LangTag;
use crate::model::MemoryModels;
use crate::score::Features;

mod accept;
mod policy;
#[cfg(test)]
mod tests;

pub use accept::{Acceptance, Acceptation, Accepted};
pub use policy::{CoverageFailure, MissingVersion, Policy, Verdict};

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
    // The last target takes the source's features; the others align with a copy (the word
    // model numbers each pair's tokens in them).
    let last = targets.len().saturating_sub(1);
    let mut sf = Some(Features::of_all(&source.doc.paragraphs));
    targets
        .into_iter()
        .enumerate()
        .map(|(k, t)| {
            let tf = Features::of_all(&t.doc.paragraphs);
            let opts = Options {
                source_lang: Some(source.lang.clone()),
                target_lang: Some(t.lang.clone()),
                thresholds: *thresholds,
                signals: true,
                glossary: glossary.and_then(|g| g.shared_pair(&source.lang, &t.lang)),
                memory: memory.and_then(|m| m.pair(&source.lang, &t.lang)),
            };
            let alignment = match sf.take_if(|_| k == last) {
                Some(owned) => align_owned_features(&source.doc, &t.doc, owned, tf, &opts),
                None => align_features(
                    &source.doc,
                    &t.doc,
                    sf.as_deref().unwrap_or(&[]),
                    &tf,
                    &opts,
                ),
            };
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
