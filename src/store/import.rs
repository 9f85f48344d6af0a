//! Import: aligned documents into the memory, in one transaction.
//!
//! A version whose paragraphs are unchanged is not written again; a changed one is added and
//! supersedes the old row (kept as history). A target is re-aligned when its version or its
//! source's changed: the new alignment supersedes the current one and its pairs become
//! segments. Each pair remembers the *basis* of its translation: the hash of the source text
//! the target text was aligned with when that target text first arrived. A target paragraph
//! whose text is unchanged keeps its basis; when the source text it is now paired with differs,
//! the pair is `outdated` (reason `source-changed`) until a target with a new text for it
//! arrives. The same rule, read from the memory, marks `check`'s pairs ([`Store::mark_docs`]).

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};
use serde::Serialize;

use super::texts::{add_sentences, text_id};
use super::{flag_bit, hash64, reason_bit, Store};
use crate::align::{self, Flag};
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
fn content_hash(doc: &Document) -> i64 {
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

fn indices(v: &[usize]) -> String {
    v.iter().map(usize::to_string).collect::<Vec<_>>().join("+")
}

/// A version as stored.
struct VersionRow {
    id: i64,
    change: Change,
    /// Text ids by paragraph index (filled when the version was written, else loaded on demand).
    texts: Option<Vec<i64>>,
}

/// Store a version unless the current one has the same paragraphs.
fn put_version(
    tx: &Transaction,
    doc_id: i64,
    v: &Version,
    now: i64,
) -> rusqlite::Result<VersionRow> {
    let lang = v.lang.as_str();
    let hash = content_hash(&v.doc);
    let current: Option<(i64, i64, String)> = tx
        .prepare_cached(
            "SELECT id, content_hash, path FROM version
             WHERE document_id = ?1 AND lang = ?2 AND superseded_at IS NULL",
        )?
        .query_row(params![doc_id, lang], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    if let Some((id, h, path)) = &current {
        if *h == hash {
            if *path != v.doc.path {
                tx.prepare_cached("UPDATE version SET path = ?2 WHERE id = ?1")?
                    .execute(params![id, v.doc.path])?;
            }
            return Ok(VersionRow {
                id: *id,
                change: Change::Unchanged,
                texts: None,
            });
        }
        tx.prepare_cached("UPDATE version SET superseded_at = ?2 WHERE id = ?1")?
            .execute(params![id, now])?;
    }
    tx.prepare_cached(
        "INSERT INTO version (document_id, lang, path, content_hash, paragraphs, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        doc_id,
        lang,
        v.doc.path,
        hash,
        v.doc.paragraphs.len() as i64,
        now
    ])?;
    let id = tx.last_insert_rowid();
    let mut texts = Vec::with_capacity(v.doc.paragraphs.len());
    for p in &v.doc.paragraphs {
        let t = text_id(tx, &p.text)?;
        tx.prepare_cached(
            "INSERT INTO paragraph (version_id, idx, line, label, text_id) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            id,
            p.index as i64,
            p.line as i64,
            p.label.as_ref().map(|l| l.path.as_str()),
            t
        ])?;
        texts.push(t);
    }
    Ok(VersionRow {
        id,
        change: if current.is_some() {
            Change::Changed
        } else {
            Change::New
        },
        texts: Some(texts),
    })
}

/// The text ids of a stored version's paragraphs.
fn version_texts(tx: &Transaction, row: &mut VersionRow) -> rusqlite::Result<()> {
    if row.texts.is_some() {
        return Ok(());
    }
    let mut st =
        tx.prepare_cached("SELECT text_id FROM paragraph WHERE version_id = ?1 ORDER BY idx")?;
    let texts = st
        .query_map([row.id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    row.texts = Some(texts);
    Ok(())
}

/// The text id of one side of a pair (a new text for several paragraphs, joined by a blank line).
fn side_text(
    tx: &Transaction,
    texts: &[i64],
    doc: &Document,
    idx: &[usize],
) -> rusqlite::Result<i64> {
    match idx {
        [i] => Ok(texts[*i]),
        _ => {
            let t: Vec<&str> = idx
                .iter()
                .map(|&i| doc.paragraphs[i].text.as_str())
                .collect();
            text_id(tx, &t.join("\n\n"))
        }
    }
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

fn target_summary(t: &TargetResult, realigned: bool) -> TargetImport {
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

/// Store one document; None when it has no source.
fn import_doc(
    tx: &Transaction,
    doc: &mut DocResult,
    now: i64,
    first_new_segment: i64,
) -> rusqlite::Result<Option<DocImport>> {
    let Some(source) = &doc.source else {
        return Ok(None);
    };
    let slang = source.lang.as_str();
    let found: Option<(i64, Option<String>)> = tx
        .prepare_cached("SELECT id, source_lang FROM document WHERE name = ?1")?
        .query_row([&doc.id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (doc_id, stored_lang) = match found {
        Some(f) => f,
        None => {
            tx.prepare_cached("INSERT INTO document (name, source_lang) VALUES (?1, ?2)")?
                .execute(params![doc.id, slang])?;
            (tx.last_insert_rowid(), Some(slang.to_string()))
        }
    };
    let switched = stored_lang.as_deref() != Some(slang);
    if switched {
        tx.prepare_cached("UPDATE document SET source_lang = ?2 WHERE id = ?1")?
            .execute(params![doc_id, slang])?;
        // The new source language is no longer a target.
        tx.prepare_cached(
            "UPDATE alignment SET superseded_at = ?3
             WHERE document_id = ?1 AND target_lang = ?2 AND superseded_at IS NULL",
        )?
        .execute(params![doc_id, slang, now])?;
    }
    let mut src = put_version(tx, doc_id, source, now)?;
    let mut out = DocImport {
        id: doc.id.clone(),
        versions: vec![VersionImport {
            lang: slang.to_string(),
            path: source.doc.path.clone(),
            change: src.change,
        }],
        targets: Vec::new(),
    };
    for t in doc.targets.iter_mut() {
        let lang = t.version.lang.as_str().to_string();
        let mut tv = put_version(tx, doc_id, &t.version, now)?;
        out.versions.push(VersionImport {
            lang: lang.clone(),
            path: t.version.doc.path.clone(),
            change: tv.change,
        });
        let current = current_alignment(tx, doc_id, &lang)?;
        if let Some((id, s, v)) = current {
            if s == src.id && v == tv.id {
                // Nothing new: show the caller the stored verdict.
                let basis = basis_of(tx, id)?;
                mark_outdated(t, source, &basis);
                out.targets.push(target_summary(t, false));
                continue;
            }
        }
        let basis = match current {
            Some((id, ..)) if !switched => basis_of(tx, id)?,
            _ => Basis::default(),
        };
        let hashes = mark_outdated(t, source, &basis);
        if let Some((id, ..)) = current {
            tx.prepare_cached("UPDATE alignment SET superseded_at = ?2 WHERE id = ?1")?
                .execute(params![id, now])?;
        }
        let c = t.alignment.counts();
        let translated: usize = t
            .alignment
            .pairs
            .iter()
            .filter(|p| !p.target.is_empty() && !p.flags.contains(&Flag::Untranslated))
            .map(|p| p.source.len())
            .sum();
        tx.prepare_cached(
            "INSERT INTO alignment (document_id, target_lang, source_version_id, target_version_id,
                created_at, source_paragraphs, translated, missing, extra, untranslated, diverging,
                misnumbered, reordered, outdated, coverage)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )?
        .execute(params![
            doc_id,
            lang,
            src.id,
            tv.id,
            now,
            source.doc.paragraphs.len() as i64,
            translated as i64,
            c.missing as i64,
            c.extra as i64,
            c.untranslated as i64,
            c.diverging as i64,
            c.misnumbered as i64,
            c.reordered as i64,
            c.outdated as i64,
            t.coverage(source),
        ])?;
        let aid = tx.last_insert_rowid();
        version_texts(tx, &mut src)?;
        version_texts(tx, &mut tv)?;
        let src_texts = src.texts.as_deref().unwrap_or_default();
        let tgt_texts = tv.texts.as_deref().unwrap_or_default();
        let mut summary = target_summary(t, true);
        for (seq, (p, h)) in t.alignment.pairs.iter().zip(&hashes).enumerate() {
            let flags: i64 = p.flags.iter().map(|&f| flag_bit(f)).sum();
            let reasons: i64 = p.reasons.iter().map(|&r| reason_bit(r)).sum();
            tx.prepare_cached(
                "INSERT INTO pair (alignment_id, seq, source, target, score, flags, reasons,
                    source_hash, target_hash, basis_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                aid,
                seq as i64,
                indices(&p.source),
                indices(&p.target),
                p.score,
                flags,
                reasons,
                h.source,
                h.target,
                h.basis
            ])?;
            let (Some(shash), false, false) = (h.source, p.source.is_empty(), p.target.is_empty())
            else {
                continue;
            };
            let st = side_text(tx, src_texts, &source.doc, &p.source)?;
            let tt = side_text(tx, tgt_texts, &t.version.doc, &p.target)?;
            let label = p
                .source
                .first()
                .and_then(|&i| source.doc.paragraphs[i].label.as_ref())
                .map(|l| l.path.as_str());
            let id: Option<i64> = tx
                .prepare_cached(
                    "INSERT INTO segment (source_lang, target_lang, source_text_id, target_text_id,
                        source_hash, document_id, label, score, flags, origin, created_at, changed_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'import', ?10, ?10)
                     ON CONFLICT (source_lang, target_lang, source_text_id, target_text_id)
                     DO UPDATE SET source_hash = excluded.source_hash,
                        document_id = excluded.document_id, label = excluded.label,
                        score = excluded.score, flags = excluded.flags,
                        changed_at = excluded.changed_at
                     WHERE source_hash IS NOT excluded.source_hash
                        OR document_id IS NOT excluded.document_id
                        OR label IS NOT excluded.label
                        OR score IS NOT excluded.score
                        OR flags IS NOT excluded.flags
                     RETURNING id",
                )?
                .query_row(
                    params![
                        slang,
                        lang,
                        st,
                        tt,
                        h.basis.unwrap_or(shash),
                        doc_id,
                        label,
                        p.score,
                        flags,
                        now
                    ],
                    |r| r.get(0),
                )
                .optional()?;
            match id {
                Some(id) if id >= first_new_segment => summary.segments_new += 1,
                Some(_) => summary.segments_changed += 1,
                None => {}
            }
            add_sentences(tx, slang, &lang, st, tt)?;
        }
        out.targets.push(summary);
    }
    Ok(Some(out))
}

impl Store {
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
            if let Some(d) = import_doc(&tx, doc, now, first_new_segment).map_err(err)? {
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
                let (pairs, outdated): (i64, i64) = self
                    .conn
                    .prepare_cached(
                        "SELECT (SELECT count(*) FROM pair
                                 WHERE alignment_id = ?1 AND source != '' AND target != ''),
                            outdated FROM alignment WHERE id = ?1",
                    )?
                    .query_row([aid], |r| Ok((r.get(0)?, r.get(1)?)))?;
                out.versions.push(VersionImport {
                    lang: lang.to_string(),
                    path: v.doc.path.clone(),
                    change: Change::Unchanged,
                });
                out.targets.push(TargetImport {
                    lang: lang.to_string(),
                    realigned: false,
                    pairs: pairs as usize,
                    outdated: outdated as usize,
                    segments_new: 0,
                    segments_changed: 0,
                });
            }
            Ok(Some(out))
        };
        q().map_err(|e| self.err(e))
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

    /// Mark the outdated pairs of checked documents from what the memory knows; returns how
    /// many pairs were marked. Nothing is written.
    pub fn mark_docs(&self, docs: &mut [DocResult]) -> Result<usize> {
        let mut n = 0;
        for doc in docs.iter_mut() {
            let Some(source) = &doc.source else { continue };
            for t in doc.targets.iter_mut() {
                let basis = self.basis(&doc.id, t.version.lang.as_str())?;
                if basis.is_empty() {
                    continue;
                }
                n += mark_outdated(t, source, &basis)
                    .iter()
                    .filter(|h| h.basis.is_some())
                    .count();
            }
        }
        Ok(n)
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
}
