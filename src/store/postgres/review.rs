//! A stored document in the shape a report renders, read from the PostgreSQL memory (for
//! `paralign status DOC --format html`); built from the rows as on SQLite
//! (`store/review.rs`).

use postgres::Client;

use super::{Pg, PgStore};
use crate::check::DocResult;
use crate::collect::Version;
use crate::error::Result;
use crate::store::review::{doc_from, pair_from_row, version_from_rows};

impl PgStore {
    /// The document `name` as the memory holds it now, or None when it has no such document
    /// (see [`crate::store::Store::doc_result`]).
    pub fn doc_result(&self, name: &str) -> Result<Option<DocResult>> {
        let run = |c: &mut Client| -> Pg<Option<DocResult>> {
            let Some(doc) = c.query_opt(
                "SELECT id, source_lang FROM document WHERE name = $1",
                &[&name],
            )?
            else {
                return Ok(None);
            };
            let (doc_id, source_lang): (i64, Option<String>) = (doc.get(0), doc.get(1));
            let alignments: Vec<(i64, i64, i64)> = c
                .query(
                    "SELECT id, source_version_id, target_version_id FROM alignment
                     WHERE document_id = $1 AND superseded_at IS NULL
                     ORDER BY target_lang COLLATE \"C\"",
                    &[&doc_id],
                )?
                .iter()
                .map(|r| (r.get(0), r.get(1), r.get(2)))
                .collect();
            let source_version: Option<i64> = match alignments.first() {
                Some(a) => Some(a.1),
                None => c
                    .query_opt(
                        "SELECT id FROM version WHERE document_id = $1 AND lang = $2
                         AND superseded_at IS NULL",
                        &[&doc_id, &source_lang.unwrap_or_default()],
                    )?
                    .map(|r| r.get(0)),
            };
            let source = source_version.map(|v| version_of(c, v)).transpose()?;
            let mut targets = Vec::new();
            for (id, _, target_version) in alignments {
                let pairs = c
                    .query(
                        "SELECT source, target, score, flags, reasons FROM pair
                         WHERE alignment_id = $1 ORDER BY seq",
                        &[&id],
                    )?
                    .iter()
                    .map(|r| pair_from_row(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
                    .collect();
                targets.push((version_of(c, target_version)?, pairs));
            }
            Ok(Some(doc_from(name, source, targets)))
        };
        run(&mut self.client()).map_err(|e| self.err(e))
    }
}

/// A stored version as a [`Version`]: its paragraphs rebuilt from their text and line.
fn version_of(c: &mut Client, version: i64) -> Pg<Version> {
    let v = c.query_one("SELECT lang, path FROM version WHERE id = $1", &[&version])?;
    let rows: Vec<(usize, String)> = c
        .query(
            "SELECT p.line, t.body FROM paragraph p JOIN text t ON t.id = p.text_id
             WHERE p.version_id = $1 ORDER BY p.idx",
            &[&version],
        )?
        .iter()
        .map(|r| (r.get::<_, i64>(0) as usize, r.get(1)))
        .collect();
    Ok(version_from_rows(v.get(0), v.get(1), rows))
}
