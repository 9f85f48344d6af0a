//! Exports from the PostgreSQL memory (TMX, TSV): the segments an export takes, streamed in the
//! unit order of the SQLite memory (grouped by source text, document and label, the group's
//! first segment deciding its place, then by target language and age), so that both stores
//! write the same file. The inline codes and TMX metadata are kept as JSON text, as on SQLite.

use postgres::fallible_iterator::FallibleIterator;

use super::{lang_match, refs, Args, PgStore};
use crate::error::Result;
use crate::exchange::{ExportFilter, Grouper, Row};
use crate::store::{flag_bit, flags_of};

fn lang_clause(column: &str, langs: &[String], args: &mut Args) -> String {
    let mut any = Vec::new();
    for l in langs {
        args.push(Box::new(l.clone()));
        any.push(lang_match(column, args.len()));
    }
    format!("({})", any.join(" OR "))
}

fn export_where(f: &ExportFilter, args: &mut Args) -> String {
    let mut clauses = Vec::new();
    if f.langs.len() == 1 {
        let source = lang_clause("s.source_lang", &f.langs, args);
        let target = lang_clause("s.target_lang", &f.langs, args);
        clauses.push(format!("({source} OR {target})"));
    } else if !f.langs.is_empty() {
        clauses.push(lang_clause("s.source_lang", &f.langs, args));
        clauses.push(lang_clause("s.target_lang", &f.langs, args));
    }
    if let Some(d) = &f.document {
        args.push(Box::new(d.clone()));
        clauses.push(format!(
            "s.document_id = (SELECT id FROM document WHERE name = ${})",
            args.len()
        ));
    }
    if let Some(m) = f.min_score {
        args.push(Box::new(m));
        clauses.push(format!("s.score >= ${}", args.len()));
    }
    let bits: i64 = f.exclude_flags.iter().map(|&fl| flag_bit(fl)).sum();
    if bits != 0 {
        args.push(Box::new(bits));
        clauses.push(format!("(s.flags & ${}) = 0", args.len()));
    }
    if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    }
}

/// A JSON column (NULL: nothing).
fn from_json<T: serde::de::DeserializeOwned + Default>(
    r: &postgres::Row,
    k: usize,
) -> std::result::Result<T, String> {
    match r.get::<_, Option<&str>>(k) {
        None => Ok(T::default()),
        Some(s) => serde_json::from_str(s).map_err(|e| format!("column {k}: {e}")),
    }
}

impl PgStore {
    /// The source languages of the segments an export takes, sorted.
    pub fn export_source_langs(&self, f: &ExportFilter) -> Result<Vec<String>> {
        let mut args = Vec::new();
        let wh = export_where(f, &mut args);
        let from = if f.sentences {
            "sentence_segment x JOIN segment s ON s.id = x.segment_id"
        } else {
            "segment s"
        };
        let rows = self
            .client()
            .query(
                &format!("SELECT DISTINCT s.source_lang COLLATE \"C\" FROM {from} {wh} ORDER BY 1"),
                &refs(&args),
            )
            .map_err(|e| self.err(e))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// Stream the segments an export takes to `each`, in unit order; returns how many.
    pub fn export_rows(
        &self,
        f: &ExportFilter,
        each: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<usize> {
        let mut args = Vec::new();
        let wh = export_where(f, &mut args);
        let sql = if f.sentences {
            format!(
                "SELECT s.g, s.source_lang, s.target_lang, d.name, s.label, st.body, tt.body,
                    s.score, s.flags, s.created_at, s.changed_at
                 FROM (SELECT x.id, x.source_lang, x.target_lang, x.source_text_id,
                           x.target_text_id, s.document_id, s.label, s.score, s.flags,
                           s.created_at, s.changed_at,
                           min(x.id) OVER (PARTITION BY x.source_lang, x.source_text_id,
                               s.document_id, s.label) AS g
                       FROM sentence_segment x JOIN segment s ON s.id = x.segment_id {wh}) s
                 JOIN document d ON d.id = s.document_id
                 JOIN text st ON st.id = s.source_text_id
                 JOIN text tt ON tt.id = s.target_text_id
                 ORDER BY s.g, s.target_lang COLLATE \"C\", s.id"
            )
        } else {
            format!(
                "SELECT s.g, s.source_lang, s.target_lang, d.name, s.label, st.body, tt.body,
                    s.score, s.flags, s.created_at, s.changed_at, s.source_codes, s.target_codes,
                    s.tu_meta, s.source_meta, s.target_meta
                 FROM (SELECT s.*, min(s.id) OVER (PARTITION BY s.source_lang,
                           s.source_text_id, s.document_id, s.label) AS g
                       FROM segment s {wh}) s
                 JOIN document d ON d.id = s.document_id
                 JOIN text st ON st.id = s.source_text_id
                 JOIN text tt ON tt.id = s.target_text_id
                 ORDER BY s.g, s.target_lang COLLATE \"C\", s.id"
            )
        };
        let codes = !f.sentences;
        let mut c = self.client();
        let mut rows = c.query_raw(&sql, refs(&args)).map_err(|e| self.err(e))?;
        let mut n = 0;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let mut row = Row {
                group: r.get(0),
                source_lang: r.get(1),
                target_lang: r.get(2),
                document: r.get(3),
                label: r.get(4),
                source: r.get(5),
                target: r.get(6),
                score: r.get(7),
                flags: flags_of(r.get(8)),
                created: r.get(9),
                changed: r.get(10),
                ..Row::default()
            };
            if codes {
                let bad = |e: String| self.input(format!("a stored JSON value is damaged ({e})"));
                row.source_codes = from_json(&r, 11).map_err(bad)?;
                row.target_codes = from_json(&r, 12).map_err(bad)?;
                row.tu_meta = from_json(&r, 13).map_err(bad)?;
                row.source_meta = from_json(&r, 14).map_err(bad)?;
                row.target_meta = from_json(&r, 15).map_err(bad)?;
            }
            each(row)?;
            n += 1;
        }
        Ok(n)
    }

    /// Stream the units an export takes to `each` (see [`PgStore::export_rows`]).
    pub fn export_units(
        &self,
        f: &ExportFilter,
        each: &mut dyn FnMut(crate::exchange::Unit) -> Result<()>,
    ) -> Result<usize> {
        let mut g = Grouper::default();
        let n = self.export_rows(f, &mut |row| {
            g.push(row).into_iter().try_for_each(&mut *each)
        })?;
        g.finish().into_iter().try_for_each(each)?;
        Ok(n)
    }
}
