//! The memory's side of exchange (TMX, XLIFF, TSV): the queries that feed the writers of
//! `crate::exchange` and the writes its readers bring back. SQL only; the formats live in
//! `crate::exchange`, the files and the terminal in `crate::cli`.
//!
//! - Export streams segments in a stable order: grouped by source text, document and label
//!   (the group's first segment decides its place), then by target language and age, so that a
//!   file exported, imported into an empty memory and exported again is the same.
//! - Merging units (TMX import) is one transaction: texts are stored once, a segment the memory
//!   has (same languages and texts) is left as it is, an error anywhere writes nothing.
//! - XLIFF: each document's paragraphs with where they stand in a language (their pair's flags
//!   and translation), a suggestion from the memory (the best match of `paralign lookup`) for
//!   those to translate, and the filled translations back, each checked against the current
//!   source paragraph.

//!
//! The export and what the memory keeps as JSON are here; the merge in `merge.rs`, the XLIFF
//! side in `xliff.rs`.

mod merge;
mod xliff;

use rusqlite::params_from_iter;
use rusqlite::types::Value;

use super::{flag_bit, flags_of, SqliteStore};
use crate::error::Result;
use crate::exchange::{ExportFilter, Grouper, InlineCode, Meta, Row, Unit};

fn lang_clause(column: &str, langs: &[String], args: &mut Vec<Value>) -> String {
    let mut any = Vec::new();
    for l in langs {
        args.push(Value::Text(l.clone()));
        args.push(Value::Text(format!("{l}-%")));
        let n = args.len();
        any.push(format!(
            "{column} = ?{} COLLATE NOCASE OR {column} LIKE ?{n}",
            n - 1
        ));
    }
    format!("({})", any.join(" OR "))
}

impl SqliteStore {
    fn export_where(&self, f: &ExportFilter, args: &mut Vec<Value>) -> Result<String> {
        let mut clauses = Vec::new();
        if f.langs.len() == 1 {
            // One language: every pair into or out of it (`--lang ru`: the Russian pairs).
            let source = lang_clause("s.source_lang", &f.langs, args);
            let target = lang_clause("s.target_lang", &f.langs, args);
            clauses.push(format!("({source} OR {target})"));
        } else if !f.langs.is_empty() {
            clauses.push(lang_clause("s.source_lang", &f.langs, args));
            clauses.push(lang_clause("s.target_lang", &f.langs, args));
        }
        if let Some(d) = &f.document {
            args.push(Value::Text(d.clone()));
            clauses.push(format!(
                "s.document_id = (SELECT id FROM document WHERE name = ?{})",
                args.len()
            ));
        }
        if let Some(m) = f.min_score {
            args.push(Value::Real(m));
            clauses.push(format!("s.score >= ?{}", args.len()));
        }
        let bits: i64 = f.exclude_flags.iter().map(|&fl| flag_bit(fl)).sum();
        if bits != 0 {
            args.push(Value::Integer(bits));
            clauses.push(format!("(s.flags & ?{}) = 0", args.len()));
        }
        Ok(if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        })
    }

    /// The source languages of the segments an export takes, sorted.
    pub fn export_source_langs(&self, f: &ExportFilter) -> Result<Vec<String>> {
        let mut args = Vec::new();
        let wh = self.export_where(f, &mut args)?;
        let q = || -> rusqlite::Result<Vec<String>> {
            let from = if f.sentences {
                "sentence_segment x JOIN segment s ON s.id = x.segment_id"
            } else {
                "segment s"
            };
            let mut st = self.conn.prepare(&format!(
                "SELECT DISTINCT s.source_lang FROM {from} {wh} ORDER BY 1"
            ))?;
            let rows = st.query_map(params_from_iter(args.iter()), |r| r.get(0))?;
            rows.collect()
        };
        q().map_err(|e| self.err(e))
    }

    /// Stream the segments an export takes to `each`, in unit order (see the module's doc);
    /// returns how many. An error from `each` stops the export and is returned.
    pub fn export_rows(
        &self,
        f: &ExportFilter,
        each: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<usize> {
        let mut args = Vec::new();
        let wh = self.export_where(f, &mut args)?;
        if f.sentences {
            return self.export_sentence_rows(&wh, &args, each);
        }
        // Rows come out in the subquery's order without a second sort (that would carry the
        // texts): its LIMIT makes SQLite keep its ORDER BY (without one, a subquery joined to
        // other tables has its ORDER BY dropped, which changed the unit order of an export
        // imported and exported again), and CROSS JOIN keeps it the outer loop.
        let sql = format!(
            "SELECT s.g, s.source_lang, s.target_lang, d.name, s.label, st.body, tt.body,
                s.score, s.flags, s.created_at, s.changed_at, s.source_codes, s.target_codes,
                s.tu_meta, s.source_meta, s.target_meta
             FROM (SELECT s.id, s.source_lang, s.target_lang, s.source_text_id, s.target_text_id,
                       s.document_id, s.label, s.score, s.flags, s.created_at, s.changed_at,
                       s.source_codes, s.target_codes, s.tu_meta, s.source_meta, s.target_meta,
                       min(s.id) OVER (PARTITION BY s.source_lang, s.source_text_id,
                           s.document_id, s.label) AS g
                   FROM segment s {wh}
                   ORDER BY g, s.target_lang, s.id LIMIT -1) s
             CROSS JOIN document d ON d.id = s.document_id
             CROSS JOIN text st ON st.id = s.source_text_id
             CROSS JOIN text tt ON tt.id = s.target_text_id"
        );
        self.each_row(&sql, &args, true, each)
    }

    /// [`SqliteStore::export_rows`] for the sentence pairs of the segments taken: grouped by source
    /// sentence, document and label, in the order of their paragraphs and places; the
    /// document, label, score, flags and dates are those of their paragraph segment, and they
    /// carry no inline codes.
    fn export_sentence_rows(
        &self,
        wh: &str,
        args: &[Value],
        each: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<usize> {
        // As in export_rows: LIMIT -1 keeps the subquery's order, CROSS JOIN keeps it outside.
        let sql = format!(
            "SELECT s.g, s.source_lang, s.target_lang, d.name, s.label, st.body, tt.body,
                s.score, s.flags, s.created_at, s.changed_at
             FROM (SELECT x.id, x.source_lang, x.target_lang, x.source_text_id,
                       x.target_text_id, s.document_id, s.label, s.score, s.flags,
                       s.created_at, s.changed_at,
                       min(x.id) OVER (PARTITION BY x.source_lang, x.source_text_id,
                           s.document_id, s.label) AS g
                   FROM sentence_segment x JOIN segment s ON s.id = x.segment_id {wh}
                   ORDER BY g, x.target_lang, x.id LIMIT -1) s
             CROSS JOIN document d ON d.id = s.document_id
             CROSS JOIN text st ON st.id = s.source_text_id
             CROSS JOIN text tt ON tt.id = s.target_text_id"
        );
        self.each_row(&sql, args, false, each)
    }

    /// Run an export's `sql` and hand each row to `each`: its columns are the group, the
    /// languages, the document, the label, both texts, the score, the flags and the dates,
    /// then (when `codes`) the inline codes and what the TMX unit carried, as JSON. Returns
    /// how many rows.
    fn each_row(
        &self,
        sql: &str,
        args: &[Value],
        codes: bool,
        each: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<usize> {
        let mut st = self.conn.prepare(sql).map_err(|e| self.err(e))?;
        let mut rows = st
            .query(params_from_iter(args.iter()))
            .map_err(|e| self.err(e))?;
        let mut n = 0;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let get = || -> rusqlite::Result<Row> {
                let mut row = Row {
                    group: r.get(0)?,
                    source_lang: r.get(1)?,
                    target_lang: r.get(2)?,
                    document: r.get(3)?,
                    label: r.get(4)?,
                    source: r.get(5)?,
                    target: r.get(6)?,
                    score: r.get(7)?,
                    flags: flags_of(r.get(8)?),
                    created: r.get(9)?,
                    changed: r.get(10)?,
                    ..Row::default()
                };
                if codes {
                    row.source_codes = from_json(r, 11)?;
                    row.target_codes = from_json(r, 12)?;
                    row.tu_meta = from_json(r, 13)?;
                    row.source_meta = from_json(r, 14)?;
                    row.target_meta = from_json(r, 15)?;
                }
                Ok(row)
            };
            each(get().map_err(|e| self.err(e))?)?;
            n += 1;
        }
        Ok(n)
    }

    /// Stream the units an export takes to `each`: its segments (see [`SqliteStore::export_rows`])
    /// grouped into multilingual units as TMX holds them. Returns how many segments.
    pub fn export_units(
        &self,
        f: &ExportFilter,
        each: &mut dyn FnMut(Unit) -> Result<()>,
    ) -> Result<usize> {
        let mut g = Grouper::default();
        let n = self.export_rows(f, &mut |row| {
            g.push(row).into_iter().try_for_each(&mut *each)
        })?;
        g.finish().into_iter().try_for_each(each)?;
        Ok(n)
    }
}

/// What the memory keeps as JSON (inline codes, what a TMX element carried): None when empty.
trait Kept: serde::Serialize + serde::de::DeserializeOwned + Default {
    fn is_nothing(&self) -> bool;
}

impl Kept for Vec<InlineCode> {
    fn is_nothing(&self) -> bool {
        self.is_empty()
    }
}

impl Kept for Meta {
    fn is_nothing(&self) -> bool {
        self.is_empty()
    }
}

fn to_json<T: Kept>(v: &T) -> Option<String> {
    if v.is_nothing() {
        return None;
    }
    // Plain strings and numbers: serialising them cannot fail.
    serde_json::to_string(v).ok()
}

/// A JSON column as written by [`to_json`] (NULL: nothing).
fn from_json<T: Kept>(r: &rusqlite::Row, k: usize) -> rusqlite::Result<T> {
    match r.get_ref(k)?.as_str_or_null()? {
        None => Ok(T::default()),
        Some(s) => serde_json::from_str(s).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(k, rusqlite::types::Type::Text, Box::new(e))
        }),
    }
}

#[cfg(test)]
mod tests;
