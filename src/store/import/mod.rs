//! Import: aligned documents into the memory, in one transaction.
//!
//! A version whose paragraphs are unchanged is not written again; a changed one is added and
//! supersedes the old row (kept as history). A target is re-aligned when its version or its
//! source's changed: the new alignment supersedes the current one and its pairs become
//! segments. Each pair remembers the *basis* of its translation: the hash of the source text
//! the target text was aligned with when that target text first arrived. A target paragraph
//! whose text is unchanged keeps its basis; when the source text it is now paired with differs,
//! the pair is `outdated` (reason `source-changed`) until a target with a new text for it
//! arrives. The same rule, read from the memory, marks `check`'s pairs ([`super::Store::mark_docs`]).
//! The types and the reads are here; the writes, step by step, in `write.rs`.

mod write;

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde::Serialize;

use super::{hash64, SqliteStore};
use crate::align;
use crate::check::{DocResult, TargetResult};
use crate::collect::{DocumentSet, Version};
use crate::document::Document;
use crate::error::Result;
use crate::language::LangTag;

/// What the memory knows of a document: its source language and current versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    /// The language of its current source version.
    pub source_lang: Option<String>,
    /// Each current version: language and path as imported, in language order.
    pub versions: Vec<(String, String)>,
}

/// What an import did to a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// First seen.
    New,
    /// Its paragraphs changed since the last import (the old version is kept as history).
    Changed,
    /// Same paragraphs as the current version: nothing written.
    Unchanged,
}

/// One version of an import.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionImport {
    /// Its language.
    pub lang: String,
    /// Its path as given.
    pub path: String,
    /// What happened to it.
    pub change: Change,
}

/// One target of an import.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetImport {
    /// Its language.
    pub lang: String,
    /// Whether a new alignment was stored (false: version and source unchanged).
    pub realigned: bool,
    /// Pairs with both sides.
    pub pairs: usize,
    /// Pairs flagged outdated.
    pub outdated: usize,
    /// Segments added to the memory.
    pub segments_new: usize,
    /// Segments already there whose attributes changed.
    pub segments_changed: usize,
}

/// One document of an import.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocImport {
    /// The document's name.
    pub id: String,
    /// Its source, then its targets.
    pub versions: Vec<VersionImport>,
    /// Its targets' alignments.
    pub targets: Vec<TargetImport>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportReport {
    /// Documents in the order given.
    pub documents: Vec<DocImport>,
}

impl ImportReport {
    /// Whether anything was written.
    pub fn changed(&self) -> bool {
        self.documents.iter().any(|d| {
            d.versions.iter().any(|v| v.change != Change::Unchanged)
                || d.targets.iter().any(|t| t.realigned)
        })
    }
}

/// The basis of each target text of an alignment: target hash to the hash of the source text
/// it was translated from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Basis {
    map: HashMap<i64, i64>,
}

impl Basis {
    /// A basis read from a store (target hash to source hash).
    pub(crate) fn from_map(map: HashMap<i64, i64>) -> Basis {
        Basis { map }
    }

    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// The hashes of one pair, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairHashes {
    /// The source paragraphs' normalised text (None when the side is empty).
    pub source: Option<i64>,
    /// The target paragraphs' normalised text.
    pub target: Option<i64>,
    /// The source text the target was translated from, when not `source` (the pair is outdated).
    pub basis: Option<i64>,
}

/// Hash of the normalised text of some paragraphs (joined by `\n`).
fn side_hash(doc: &Document, idx: &[usize]) -> Option<i64> {
    match idx {
        [] => None,
        [i] => Some(hash64(&doc.paragraphs[*i].norm)),
        _ => {
            let t: Vec<&str> = idx
                .iter()
                .map(|&i| doc.paragraphs[i].norm.as_str())
                .collect();
            Some(hash64(&t.join("\n")))
        }
    }
}

/// The hashes of every pair of a target, as stored, marking those whose target text was
/// translated from another source text than the one it is paired with now (by `basis`). The
/// store only supplies the hashes; whether a pair is outdated is [`align::mark_outdated`]'s
/// decision.
pub fn mark_outdated(
    target: &mut TargetResult,
    source: &Version,
    basis: &Basis,
) -> Vec<PairHashes> {
    let tdoc = &target.version.doc;
    target
        .alignment
        .pairs
        .iter_mut()
        .map(|p| {
            let s = side_hash(&source.doc, &p.source);
            let t = side_hash(tdoc, &p.target);
            let b = match (s, t) {
                (Some(s), Some(t)) => align::mark_outdated(p, s, basis.map.get(&t).copied()),
                _ => None,
            };
            PairHashes {
                source: s,
                target: t,
                basis: b,
            }
        })
        .collect()
}

/// Hash of a version's paragraphs: an unchanged hash means nothing to import.
pub(crate) fn content_hash(doc: &Document) -> i64 {
    let mut s = String::new();
    for p in &doc.paragraphs {
        s.push_str(&p.line.to_string());
        s.push('\t');
        if let Some(l) = &p.label {
            s.push_str(&l.path);
        }
        s.push('\t');
        s.push_str(p.kind.stored_name());
        s.push('\t');
        s.push_str(&p.text);
        s.push('\u{1}');
    }
    hash64(&s)
}

/// Read the basis of a stored alignment.
fn basis_of(conn: &rusqlite::Connection, alignment: i64) -> rusqlite::Result<Basis> {
    let mut st = conn.prepare_cached(
        "SELECT target_hash, coalesce(basis_hash, source_hash) FROM pair
         WHERE alignment_id = ?1 AND target_hash IS NOT NULL AND source_hash IS NOT NULL",
    )?;
    let map = st
        .query_map([alignment], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<HashMap<i64, i64>>>()?;
    Ok(Basis { map })
}

/// The current alignment of a document's target language: (id, source version, target version).
fn current_alignment(
    conn: &rusqlite::Connection,
    doc_id: i64,
    lang: &str,
) -> rusqlite::Result<Option<(i64, i64, i64)>> {
    conn.prepare_cached(
        "SELECT id, source_version_id, target_version_id FROM alignment
         WHERE document_id = ?1 AND target_lang = ?2 AND superseded_at IS NULL",
    )?
    .query_row(params![doc_id, lang], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })
    .optional()
}

/// What an import says of one target before any segment is written: its pairs and outdated
/// pairs, and whether it was aligned anew (both stores' imports start from it).
pub(crate) fn target_summary(t: &TargetResult, realigned: bool) -> TargetImport {
    let c = t.alignment.counts();
    TargetImport {
        lang: t.version.lang.as_str().to_string(),
        realigned,
        pairs: c.pairs,
        outdated: c.outdated,
        segments_new: 0,
        segments_changed: 0,
    }
}

impl SqliteStore {
    /// Store aligned documents in one transaction, marking outdated pairs in `docs` as it goes.
    /// `progress` is called with the number of documents done. Documents without a source are
    /// skipped (their errors are the caller's to report). On any error nothing is written.
    pub fn import(
        &mut self,
        docs: &mut [DocResult],
        progress: &mut dyn FnMut(usize),
    ) -> Result<ImportReport> {
        let now = self.clock.now();
        let path = self.path.clone();
        let err = |e| super::db_error(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let first_new_segment: i64 = tx
            .query_row("SELECT coalesce(max(id), 0) + 1 FROM segment", [], |r| {
                r.get(0)
            })
            .map_err(err)?;
        let mut report = ImportReport::default();
        for (k, doc) in docs.iter_mut().enumerate() {
            if let Some(d) = write::import_doc(&tx, doc, now, first_new_segment).map_err(err)? {
                report.documents.push(d);
            }
            progress(k + 1);
        }
        tx.commit().map_err(err)?;
        Ok(report)
    }

    /// When every version of a set is stored unchanged and aligned with the current source,
    /// what an import of it would report (nothing to write, so nothing to align); else None.
    pub fn unchanged(
        &self,
        set: &DocumentSet,
        source_lang: Option<&LangTag>,
    ) -> Result<Option<DocImport>> {
        if !set.errors.is_empty() {
            return Ok(None);
        }
        let Some(si) = set.source_index(source_lang) else {
            return Ok(None);
        };
        let q = || -> rusqlite::Result<Option<DocImport>> {
            let source = &set.versions[si];
            let found: Option<(i64, Option<String>)> = self
                .conn
                .prepare_cached("SELECT id, source_lang FROM document WHERE name = ?1")?
                .query_row([&set.id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let Some((doc_id, Some(slang))) = found else {
                return Ok(None);
            };
            if slang != source.lang.as_str() {
                return Ok(None);
            }
            let Some(ids) = self.unchanged_versions(doc_id, set)? else {
                return Ok(None);
            };
            let mut out = DocImport {
                id: set.id.clone(),
                versions: vec![VersionImport {
                    lang: slang.clone(),
                    path: source.doc.path.clone(),
                    change: Change::Unchanged,
                }],
                targets: Vec::new(),
            };
            for (k, v) in set.versions.iter().enumerate() {
                if k == si {
                    continue;
                }
                let lang = v.lang.as_str();
                let Some((aid, sv, tv)) = current_alignment(&self.conn, doc_id, lang)? else {
                    return Ok(None);
                };
                if sv != ids[si] || tv != ids[k] {
                    return Ok(None);
                }
                out.versions.push(VersionImport {
                    lang: lang.to_string(),
                    path: v.doc.path.clone(),
                    change: Change::Unchanged,
                });
                out.targets.push(self.stored_target(aid, lang)?);
            }
            Ok(Some(out))
        };
        q().map_err(|e| self.err(e))
    }

    /// The ids of the current versions of a set's languages, when each has the same
    /// paragraphs and path as the set's; else None.
    fn unchanged_versions(
        &self,
        doc_id: i64,
        set: &DocumentSet,
    ) -> rusqlite::Result<Option<Vec<i64>>> {
        let mut ids = Vec::with_capacity(set.versions.len());
        for v in &set.versions {
            let cur: Option<(i64, i64, String)> = self
                .conn
                .prepare_cached(
                    "SELECT id, content_hash, path FROM version
                     WHERE document_id = ?1 AND lang = ?2 AND superseded_at IS NULL",
                )?
                .query_row(params![doc_id, v.lang.as_str()], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()?;
            match cur {
                Some((id, h, path)) if h == content_hash(&v.doc) && path == v.doc.path => {
                    ids.push(id)
                }
                _ => return Ok(None),
            }
        }
        Ok(Some(ids))
    }

    /// A stored alignment as an import that left it as it is reports it.
    fn stored_target(&self, aid: i64, lang: &str) -> rusqlite::Result<TargetImport> {
        let (pairs, outdated): (i64, i64) = self
            .conn
            .prepare_cached(
                "SELECT (SELECT count(*) FROM pair
                         WHERE alignment_id = ?1 AND source != '' AND target != ''),
                    outdated FROM alignment WHERE id = ?1",
            )?
            .query_row([aid], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(TargetImport {
            lang: lang.to_string(),
            realigned: false,
            pairs: pairs as usize,
            outdated: outdated as usize,
            segments_new: 0,
            segments_changed: 0,
        })
    }

    /// What the memory knows of a document, if anything.
    pub fn known(&self, name: &str) -> Result<Option<Known>> {
        let q = || -> rusqlite::Result<Option<Known>> {
            let found: Option<(i64, Option<String>)> = self
                .conn
                .prepare_cached("SELECT id, source_lang FROM document WHERE name = ?1")?
                .query_row([name], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let Some((id, source_lang)) = found else {
                return Ok(None);
            };
            let mut st = self.conn.prepare_cached(
                "SELECT lang, path FROM version WHERE document_id = ?1 AND superseded_at IS NULL
                 ORDER BY lang",
            )?;
            let versions = st
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<(String, String)>>>()?;
            Ok(Some(Known {
                source_lang,
                versions,
            }))
        };
        q().map_err(|e| self.err(e))
    }

    /// The basis of the current alignment of a document's target language (empty when none).
    pub fn basis(&self, document: &str, lang: &str) -> Result<Basis> {
        let q = || -> rusqlite::Result<Basis> {
            let id: Option<i64> = self
                .conn
                .prepare_cached("SELECT id FROM document WHERE name = ?1")?
                .query_row([document], |r| r.get(0))
                .optional()?;
            let Some(id) = id else {
                return Ok(Basis::default());
            };
            match current_alignment(&self.conn, id, lang)? {
                Some((aid, ..)) => basis_of(&self.conn, aid),
                None => Ok(Basis::default()),
            }
        };
        q().map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::content_hash;
    use crate::document::{Document, Format};

    #[test]
    fn content_hashes_are_pinned() {
        // Stored in every memory: a change here marks every document changed at its next
        // import. Every kind of block is in it.
        let d = Document::parse(
            "d.en.md",
            "# Title\n\n1. One\n\n```\ncode\n```\n\n---\n\nText.\n",
            Format::Markdown,
        );
        let kinds: Vec<&str> = d.paragraphs.iter().map(|p| p.kind.stored_name()).collect();
        assert_eq!(kinds, ["Heading", "Item", "Code", "Separator", "Text"]);
        assert_eq!(content_hash(&d), 167623041548641203);
    }

    #[test]
    fn the_content_hash_of_each_kind_is_pinned() {
        // One short document ending in a paragraph of each kind, so that a changed stored name
        // of any one kind shows here. The values are those of the hash built from the kinds'
        // Debug names before `stored_name` (the same strings): never change one.
        let cases = [
            ("Text.\n", "Text", 512346990312114777),
            ("# Title\n", "Heading", -518062492091608291),
            ("1. One\n", "Item", 3848942056129951865),
            ("```\ncode\n```\n", "Code", 3668010920898501828),
            ("Text.\n\n---\n", "Separator", 7735047490050616629),
        ];
        for (text, kind, hash) in cases {
            let d = Document::parse("d.en.md", text, Format::Markdown);
            assert_eq!(d.paragraphs.last().unwrap().kind.stored_name(), kind);
            assert_eq!(content_hash(&d), hash, "{kind}");
        }
    }
}
