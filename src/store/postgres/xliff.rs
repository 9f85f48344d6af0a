//! `import-xliff` on the PostgreSQL memory: the translations of a filled XLIFF file written as
//! segments (with their sentence pairs) in one transaction, and a target document rebuilt with
//! them. Which source paragraph a unit translates, and how a document is rebuilt, is
//! `store/xliff_apply.rs`'s, shared with SQLite. The documents the file names are locked for
//! the transaction (advisory locks, in one order), as an import locks its documents.

use std::collections::BTreeMap;

use postgres::Transaction;

use super::write::{add_sentences, mark_sources, text_id};
use super::{Pg, PgStore};
use crate::error::Result;
use crate::exchange::{ApplyReport, TargetDoc, XliffFile};
use crate::store::hash64;
use crate::store::xliff_apply::{
    put_translations, unit_source, ParagraphRow, SourceDocs, UnitReads,
};

/// The reads of [`unit_source`] in a PostgreSQL transaction.
struct PgUnits<'a, 'b>(&'a mut Transaction<'b>);

impl UnitReads for PgUnits<'_, '_> {
    type Error = postgres::Error;

    fn source_doc(&mut self, name: &str) -> Pg<Option<(i64, String, i64)>> {
        Ok(self
            .0
            .query_opt(
                "SELECT d.id, d.source_lang, v.id FROM document d
                 JOIN version v ON v.document_id = d.id AND v.lang = d.source_lang
                     AND v.superseded_at IS NULL
                 WHERE d.name = $1",
                &[&name],
            )?
            .map(|r| (r.get(0), r.get(1), r.get(2))))
    }

    fn paragraph(&mut self, version: i64, index: i64) -> Pg<Option<ParagraphRow>> {
        Ok(self
            .0
            .query_opt(
                "SELECT p.text_id, p.label, t.body FROM paragraph p JOIN text t ON t.id = p.text_id
                 WHERE p.version_id = $1 AND p.idx = $2",
                &[&version, &index],
            )?
            .map(|r| (r.get(0), r.get(1), r.get(2))))
    }
}

impl PgStore {
    /// Write the translations of a filled XLIFF file into the memory, in one transaction (see
    /// [`crate::store::Store::apply_translations`]).
    pub fn apply_translations(
        &mut self,
        file: &XliffFile,
        target_lang: &str,
    ) -> Result<ApplyReport> {
        let now = self.clock.now();
        let client = self.client.get_mut().unwrap_or_else(|p| p.into_inner());
        let run = |c: &mut postgres::Client| -> Pg<ApplyReport> {
            let mut tx = c.transaction()?;
            let mut keys: Vec<i64> = file.units.iter().map(|u| hash64(&u.document)).collect();
            keys.sort_unstable();
            keys.dedup();
            for k in &keys {
                tx.execute("SELECT pg_advisory_xact_lock($1)", &[k])?;
            }
            let mut report = ApplyReport::default();
            let mut docs = SourceDocs::new();
            for u in &file.units {
                let Some(target) = u.target.as_deref().filter(|t| !t.trim().is_empty()) else {
                    report.empty += 1;
                    continue;
                };
                let at = match unit_source(&mut PgUnits(&mut tx), u, &mut docs)? {
                    Ok(at) => at,
                    Err(why) => {
                        report.refused.push((u.place, why));
                        continue;
                    }
                };
                let tgt = text_id(&mut tx, target)?;
                // Not `ON CONFLICT DO NOTHING`, which takes a sequence value even when the
                // segment is there: ids stay those SQLite gives.
                let added = tx.execute(
                    "INSERT INTO segment (source_lang, target_lang, source_text_id,
                        target_text_id, source_hash, document_id, label, score, flags, origin,
                        created_at, changed_at)
                     SELECT $1, $2, $3, $4, $5, $6, $7, NULL, 0, 'xliff', $8, $8
                     WHERE NOT EXISTS (SELECT 1 FROM segment WHERE source_lang = $1
                        AND target_lang = $2 AND source_text_id = $3 AND target_text_id = $4)",
                    &[
                        &at.source_lang,
                        &target_lang,
                        &at.text,
                        &tgt,
                        &at.hash,
                        &at.doc_id,
                        &at.label,
                        &now,
                    ],
                )?;
                report.added += added as usize;
                // A source now: queued for the lookup index.
                mark_sources(&mut tx, &[at.text])?;
                // Its sentence pairs, as `paralign import` stores them, for lookup.
                add_sentences(&mut tx, &at.source_lang, target_lang, at.text, tgt)?;
                report
                    .applied
                    .push((u.document.clone(), at.index, target.to_string()));
            }
            tx.commit()?;
            Ok(report)
        };
        run(client).map_err(|e| super::pg_error(&self.path, &e))
    }

    /// A document's `lang` version rebuilt with new translations (see
    /// [`crate::store::Store::target_doc`]).
    pub fn target_doc(
        &self,
        document: &str,
        lang: &str,
        translations: &BTreeMap<usize, String>,
    ) -> Result<Option<TargetDoc>> {
        let mut c = self.client();
        let q = |c: &mut postgres::Client| -> Pg<Option<TargetDoc>> {
            let Some(found) = c.query_opt(
                "SELECT d.id, v.id, v.path FROM document d
                 JOIN version v ON v.document_id = d.id AND v.lang = d.source_lang
                     AND v.superseded_at IS NULL
                 WHERE d.name = $1",
                &[&document],
            )?
            else {
                return Ok(None);
            };
            let (doc_id, sv): (i64, i64) = (found.get(0), found.get(1));
            let alignment = c.query_opt(
                "SELECT a.id, a.source_version_id, a.target_version_id, v.path
                 FROM alignment a JOIN version v ON v.id = a.target_version_id
                 WHERE a.document_id = $1 AND lower(a.target_lang) = lower($2)
                     AND a.superseded_at IS NULL",
                &[&doc_id, &lang],
            )?;
            let mut out = TargetDoc {
                document: document.to_string(),
                path: None,
                source_path: found.get(2),
                paragraphs: Vec::new(),
                replaced: 0,
                stale: false,
            };
            let Some(a) = alignment else {
                out.paragraphs = translations.values().cloned().collect();
                out.replaced = translations.len();
                return Ok(Some(out));
            };
            let (aid, asv, tv): (i64, i64, i64) = (a.get(0), a.get(1), a.get(2));
            out.path = Some(a.get(3));
            if asv != sv {
                // Aligned with an earlier source: the pairs' indices are not this source's.
                out.stale = true;
                return Ok(Some(out));
            }
            let tparas: Vec<String> = c
                .query(
                    "SELECT t.body FROM paragraph p JOIN text t ON t.id = p.text_id
                     WHERE p.version_id = $1 ORDER BY p.idx",
                    &[&tv],
                )?
                .iter()
                .map(|r| r.get(0))
                .collect();
            let pairs: Vec<(String, String)> = c
                .query(
                    "SELECT source, target FROM pair WHERE alignment_id = $1 ORDER BY seq",
                    &[&aid],
                )?
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect();
            put_translations(&mut out, pairs, &tparas, translations);
            Ok(Some(out))
        };
        q(&mut c).map_err(|e| self.err(e))
    }
}
