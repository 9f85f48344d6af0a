//! A stored document in the shape a report renders: its current source version and every
//! current alignment, rebuilt from the memory (for `paralign status DOC --format html`).

use rusqlite::{params, OptionalExtension};

use super::{flags_of, reasons_of, SqliteStore};
use crate::align::{Alignment, Pair};
use crate::check::{DocResult, TargetResult};
use crate::collect::Version;
use crate::document::{Block, BlockKind, Document, Format};
use crate::error::Result;
use crate::language::LangTag;
use crate::score::PairModel;

impl SqliteStore {
    /// The document `name` as the memory holds it now, or None when it has no such document.
    /// Paragraphs are rebuilt from their stored text and line (labels found again); pairs carry
    /// their stored score, flags and reasons, without the signals behind them.
    pub fn doc_result(&self, name: &str) -> Result<Option<DocResult>> {
        let run = || -> rusqlite::Result<Option<DocResult>> {
            let Some((doc_id, source_lang)) = self
                .conn
                .query_row(
                    "SELECT id, source_lang FROM document WHERE name = ?1",
                    [name],
                    |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?)),
                )
                .optional()?
            else {
                return Ok(None);
            };
            let alignments: Vec<(i64, i64, i64)> = self
                .conn
                .prepare(
                    "SELECT id, source_version_id, target_version_id FROM alignment
                     WHERE document_id = ?1 AND superseded_at IS NULL ORDER BY target_lang",
                )?
                .query_map([doc_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let source_version: Option<i64> = match alignments.first() {
                Some(a) => Some(a.1),
                None => self
                    .conn
                    .query_row(
                        "SELECT id FROM version WHERE document_id = ?1 AND lang = ?2
                         AND superseded_at IS NULL",
                        params![doc_id, source_lang.unwrap_or_default()],
                        |r| r.get(0),
                    )
                    .optional()?,
            };
            let source = source_version.map(|v| self.version_of(v)).transpose()?;
            let mut targets = Vec::new();
            for (id, _, target_version) in alignments {
                let pairs = self
                    .conn
                    .prepare(
                        "SELECT source, target, score, flags, reasons FROM pair
                         WHERE alignment_id = ?1 ORDER BY seq",
                    )?
                    .query_map([id], |r| {
                        Ok(pair_from_row(
                            &r.get::<_, String>(0)?,
                            &r.get::<_, String>(1)?,
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                        ))
                    })?
                    .collect::<rusqlite::Result<Vec<Pair>>>()?;
                targets.push((self.version_of(target_version)?, pairs));
            }
            Ok(Some(doc_from(name, source, targets)))
        };
        run().map_err(|e| self.err(e))
    }

    /// A stored version as a [`Version`]: its paragraphs rebuilt from their text and line.
    fn version_of(&self, version: i64) -> rusqlite::Result<Version> {
        let (lang, path): (String, String) = self.conn.query_row(
            "SELECT lang, path FROM version WHERE id = ?1",
            [version],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let rows: Vec<(usize, String)> = self
            .conn
            .prepare(
                "SELECT p.line, t.body FROM paragraph p JOIN text t ON t.id = p.text_id
                 WHERE p.version_id = ?1 ORDER BY p.idx",
            )?
            .query_map([version], |r| {
                Ok((r.get::<_, i64>(0)? as usize, r.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(version_from_rows(lang, path, rows))
    }
}

/// A stored version's rows (each paragraph's line and text, in order) as a [`Version`].
pub(super) fn version_from_rows(lang: String, path: String, rows: Vec<(usize, String)>) -> Version {
    let blocks: Vec<Block> = rows
        .into_iter()
        .map(|(line, text)| {
            let kind = if crate::document::is_separator(&text) {
                BlockKind::Separator
            } else {
                BlockKind::Text
            };
            Block {
                text,
                line,
                kind,
                // The memory keeps the text only: no link targets to compare.
                targets: Vec::new(),
            }
        })
        .collect();
    let format = Format::from_path(std::path::Path::new(&path));
    let lang = LangTag::parse(&lang).unwrap_or_else(|_| LangTag::from_code(&lang));
    let mut doc = Document::from_blocks(&path, blocks, format);
    doc.lang = Some(lang.clone());
    Version {
        lang,
        doc,
        origin: None,
    }
}

/// A stored pair (its sides as `1+2`, score, flag and reason bits) as a [`Pair`], without the
/// signals behind it.
pub(super) fn pair_from_row(
    source: &str,
    target: &str,
    score: Option<f64>,
    flags: i64,
    reasons: i64,
) -> Pair {
    let side = |s: &str| -> Vec<usize> { s.split('+').filter_map(|x| x.parse().ok()).collect() };
    Pair {
        source: side(source),
        target: side(target),
        score,
        flags: flags_of(flags),
        reasons: reasons_of(reasons),
        signals: None,
        notes: Vec::new(),
    }
}

/// A stored document's result from its source version and its current alignments.
pub(super) fn doc_from(
    name: &str,
    source: Option<Version>,
    targets: Vec<(Version, Vec<Pair>)>,
) -> DocResult {
    DocResult {
        id: name.to_string(),
        source,
        targets: targets
            .into_iter()
            .map(|(version, pairs)| TargetResult {
                version,
                alignment: Alignment {
                    pairs,
                    model: PairModel::default(),
                },
            })
            .collect(),
        errors: Vec::new(),
        notes: Vec::new(),
    }
}
