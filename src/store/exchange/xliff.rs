//! The memory's side of XLIFF: each document's paragraphs with where they stand in a
//! language, a suggestion from the memory for those to translate, the filled translations
//! written back (each checked against the current source paragraph), and a target document
//! rebuilt with them. SQL only.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{params, OptionalExtension, TransactionBehavior};

use crate::error::Result;
use crate::exchange::{ApplyReport, TargetDoc, XliffFile};
use crate::store::texts::{add_sentences, text_id};
use crate::store::todo::{DocRow, TodoReads, TodoRow};
use crate::store::xliff_apply::{put_translations, unit_source, ParagraphRow, UnitReads};
use crate::store::{db_error, SqliteStore};

/// The reads of [`unit_source`] in a SQLite transaction.
struct SqliteUnits<'a>(&'a rusqlite::Transaction<'a>);

impl UnitReads for SqliteUnits<'_> {
    type Error = rusqlite::Error;

    fn source_doc(&mut self, name: &str) -> rusqlite::Result<Option<(i64, String, i64)>> {
        self.0
            .prepare_cached(
                "SELECT d.id, d.source_lang, v.id FROM document d
                 JOIN version v ON v.document_id = d.id AND v.lang = d.source_lang
                     AND v.superseded_at IS NULL
                 WHERE d.name = ?1",
            )
            .and_then(|mut s| {
                s.query_row([name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .optional()
            })
    }

    fn paragraph(&mut self, version: i64, index: i64) -> rusqlite::Result<Option<ParagraphRow>> {
        self.0
            .prepare_cached(
                "SELECT p.text_id, p.label, t.body FROM paragraph p JOIN text t ON t.id = p.text_id
                 WHERE p.version_id = ?1 AND p.idx = ?2",
            )
            .and_then(|mut s| {
                s.query_row(params![version, index], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()
            })
    }
}

impl TodoReads for SqliteStore {
    fn todo_docs(&self, document: Option<&str>) -> Result<Vec<DocRow>> {
        let q = || -> rusqlite::Result<Vec<DocRow>> {
            let mut st = self.conn.prepare_cached(
                "SELECT d.name, d.source_lang, d.id, v.id FROM document d
                 JOIN version v ON v.document_id = d.id AND v.lang = d.source_lang
                     AND v.superseded_at IS NULL
                 WHERE ?1 IS NULL OR d.name = ?1
                 ORDER BY d.name",
            )?;
            let rows = st.query_map([document], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
            rows.collect()
        };
        q().map_err(|e| self.err(e))
    }

    fn version_paragraphs(&self, version: i64) -> Result<Vec<TodoRow>> {
        let q = || -> rusqlite::Result<Vec<TodoRow>> {
            let mut st = self.conn.prepare_cached(
                "SELECT p.idx, p.line, p.label, t.body FROM paragraph p
                 JOIN text t ON t.id = p.text_id WHERE p.version_id = ?1 ORDER BY p.idx",
            )?;
            let rows = st.query_map([version], |r| {
                Ok((
                    r.get::<_, i64>(0)? as usize,
                    r.get::<_, i64>(1)? as usize,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?;
            rows.collect()
        };
        q().map_err(|e| self.err(e))
    }

    fn current_alignment(&self, doc_id: i64, lang: &str) -> Result<Option<(i64, i64, i64)>> {
        self.conn
            .prepare_cached(
                "SELECT id, source_version_id, target_version_id FROM alignment
                 WHERE document_id = ?1 AND target_lang = ?2 COLLATE NOCASE
                     AND superseded_at IS NULL",
            )
            .and_then(|mut st| {
                st.query_row(params![doc_id, lang], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()
            })
            .map_err(|e| self.err(e))
    }

    fn alignment_pairs(&self, alignment: i64) -> Result<Vec<(String, String, i64)>> {
        let q = || -> rusqlite::Result<Vec<(String, String, i64)>> {
            let mut st = self.conn.prepare_cached(
                "SELECT source, target, flags FROM pair WHERE alignment_id = ?1 ORDER BY seq",
            )?;
            let rows = st.query_map([alignment], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect()
        };
        q().map_err(|e| self.err(e))
    }
}

impl SqliteStore {
    /// Write the translations of a filled XLIFF file into the memory (one transaction). A
    /// unit is refused when its document or paragraph is unknown or its source text is not the
    /// paragraph's current text (compared normalised: NFKC, white space folded).
    pub fn apply_translations(
        &mut self,
        file: &XliffFile,
        target_lang: &str,
    ) -> Result<ApplyReport> {
        let now = self.clock.now();
        let path = self.path.clone();
        let err = |e| db_error(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let mut report = ApplyReport::default();
        let mut docs = HashMap::new();
        for u in &file.units {
            let Some(target) = u.target.as_deref().filter(|t| !t.trim().is_empty()) else {
                report.empty += 1;
                continue;
            };
            let at = match unit_source(&mut SqliteUnits(&tx), u, &mut docs).map_err(err)? {
                Ok(at) => at,
                Err(why) => {
                    report.refused.push((u.place, why));
                    continue;
                }
            };
            let tgt = text_id(&tx, target).map_err(err)?;
            let sql = "INSERT INTO segment (source_lang, target_lang, source_text_id,
                    target_text_id, source_hash, document_id, label, score, flags, origin,
                    created_at, changed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL, 0, 'xliff', ?8, ?8)
                 ON CONFLICT (source_lang, target_lang, source_text_id, target_text_id) DO NOTHING";
            let added = tx
                .prepare_cached(sql)
                .and_then(|mut s| {
                    s.execute(params![
                        at.source_lang,
                        target_lang,
                        at.text,
                        tgt,
                        at.hash,
                        at.doc_id,
                        at.label,
                        now
                    ])
                })
                .map_err(err)?;
            report.added += added;
            // Its sentence pairs, as `paralign import` stores them, for lookup.
            add_sentences(&tx, &at.source_lang, target_lang, at.text, tgt).map_err(err)?;
            report
                .applied
                .push((u.document.clone(), at.index, target.to_string()));
        }
        tx.commit().map_err(err)?;
        Ok(report)
    }

    /// A document's `lang` version rebuilt with new translations (by source paragraph index)
    /// in their places: the current alignment's pairs in order, a translated source paragraph's
    /// new text replacing (or, where missing, inserted instead of) its target paragraphs, the
    /// other target paragraphs kept. Without a current alignment, the translations alone in
    /// source order. None when the memory does not know the document.
    pub fn target_doc(
        &self,
        document: &str,
        lang: &str,
        translations: &BTreeMap<usize, String>,
    ) -> Result<Option<TargetDoc>> {
        let q = || -> rusqlite::Result<Option<TargetDoc>> {
            let found: Option<(i64, i64, String)> = self
                .conn
                .prepare_cached(
                    "SELECT d.id, v.id, v.path FROM document d
                     JOIN version v ON v.document_id = d.id AND v.lang = d.source_lang
                         AND v.superseded_at IS NULL
                     WHERE d.name = ?1",
                )?
                .query_row([document], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            let Some((doc_id, sv, source_path)) = found else {
                return Ok(None);
            };
            let alignment: Option<(i64, i64, i64, String)> = self
                .conn
                .prepare_cached(
                    "SELECT a.id, a.source_version_id, a.target_version_id, v.path
                     FROM alignment a JOIN version v ON v.id = a.target_version_id
                     WHERE a.document_id = ?1 AND a.target_lang = ?2 COLLATE NOCASE
                         AND a.superseded_at IS NULL",
                )?
                .query_row(params![doc_id, lang], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })
                .optional()?;
            let mut out = TargetDoc {
                document: document.to_string(),
                path: None,
                source_path,
                paragraphs: Vec::new(),
                replaced: 0,
                stale: false,
            };
            let Some((aid, asv, tv, tpath)) = alignment else {
                out.paragraphs = translations.values().cloned().collect();
                out.replaced = translations.len();
                return Ok(Some(out));
            };
            out.path = Some(tpath);
            if asv != sv {
                // Aligned with an earlier source: the pairs' indices are not this source's.
                out.stale = true;
                return Ok(Some(out));
            }
            let tparas = self.paragraph_texts(tv)?;
            let pairs = self.pair_sides(aid)?;
            put_translations(&mut out, pairs, &tparas, translations);
            Ok(Some(out))
        };
        q().map_err(|e| self.err(e))
    }

    /// The texts of a version's paragraphs, in order.
    fn paragraph_texts(&self, version: i64) -> rusqlite::Result<Vec<String>> {
        let mut st = self.conn.prepare_cached(
            "SELECT t.body FROM paragraph p JOIN text t ON t.id = p.text_id
             WHERE p.version_id = ?1 ORDER BY p.idx",
        )?;
        let texts = st
            .query_map([version], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(texts)
    }

    /// The pairs of an alignment in order, as stored: source and target paragraph indices.
    fn pair_sides(&self, alignment: i64) -> rusqlite::Result<Vec<(String, String)>> {
        let mut pst = self.conn.prepare_cached(
            "SELECT source, target FROM pair WHERE alignment_id = ?1 ORDER BY seq",
        )?;
        let pairs = pst
            .query_map([alignment], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(pairs)
    }
}
