//! The PostgreSQL memory's rows for an XLIFF export (`export --format xliff`): what
//! [`crate::store::todo`] decides from them is shared with SQLite.

use super::PgStore;
use crate::error::Result;
use crate::store::todo::{DocRow, TodoReads, TodoRow};

impl TodoReads for PgStore {
    fn todo_docs(&self, document: Option<&str>) -> Result<Vec<DocRow>> {
        let rows = self
            .client()
            .query(
                "SELECT d.name, d.source_lang, d.id, v.id FROM document d
                 JOIN version v ON v.document_id = d.id AND v.lang = d.source_lang
                     AND v.superseded_at IS NULL
                 WHERE $1::text IS NULL OR d.name = $1
                 ORDER BY d.name COLLATE \"C\"",
                &[&document],
            )
            .map_err(|e| self.err(e))?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect())
    }

    fn version_paragraphs(&self, version: i64) -> Result<Vec<TodoRow>> {
        let rows = self
            .client()
            .query(
                "SELECT p.idx, p.line, p.label, t.body FROM paragraph p
                 JOIN text t ON t.id = p.text_id WHERE p.version_id = $1 ORDER BY p.idx",
                &[&version],
            )
            .map_err(|e| self.err(e))?;
        Ok(rows
            .iter()
            .map(|r| {
                (
                    r.get::<_, i64>(0) as usize,
                    r.get::<_, i64>(1) as usize,
                    r.get(2),
                    r.get(3),
                )
            })
            .collect())
    }

    fn current_alignment(&self, doc_id: i64, lang: &str) -> Result<Option<(i64, i64, i64)>> {
        let row = self
            .client()
            .query_opt(
                "SELECT id, source_version_id, target_version_id FROM alignment
                 WHERE document_id = $1 AND lower(target_lang) = lower($2)
                     AND superseded_at IS NULL",
                &[&doc_id, &lang],
            )
            .map_err(|e| self.err(e))?;
        Ok(row.map(|r| (r.get(0), r.get(1), r.get(2))))
    }

    fn alignment_pairs(&self, alignment: i64) -> Result<Vec<(String, String, i64)>> {
        let rows = self
            .client()
            .query(
                "SELECT source, target, flags FROM pair WHERE alignment_id = $1 ORDER BY seq",
                &[&alignment],
            )
            .map_err(|e| self.err(e))?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect())
    }
}
