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

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension, Transaction, TransactionBehavior};

use super::texts::{add_sentences, text_id, TextIds};
use super::{db_error, flag_bit, flags_of, hash64, Store};
use crate::align::Flag;
use crate::document::normalize;
use crate::error::Result;
use crate::exchange::{
    ApplyReport, ExportFilter, Grouper, InlineCode, MergeReport, Meta, Row, Suggestion, TargetDoc,
    TodoDoc, TodoFilter, TodoParagraph, TodoReport, TodoState, Unit, XliffFile,
};

/// The smallest match percentage a suggestion needs.
const SUGGEST_MIN: u8 = 70;
/// The page cache of a merge, in KiB.
const MERGE_CACHE_KIB: i64 = 32 * 1024;

/// A document to look at: name, source language, id, current source version.
type DocRow = (String, String, i64, i64);
/// A paragraph of a version: index, line, label, text.
type TodoRow = (usize, usize, Option<String>, String);
/// Where a source paragraph stands in a language: its pair's flags, and its translation.
type Standing = (Vec<Flag>, Option<String>);

/// What an XLIFF export makes of a paragraph with these flags (and a translation or not).
fn todo_state(flags: &[Flag], translated: bool) -> TodoState {
    let has = |f: Flag| flags.contains(&f);
    if !translated || has(Flag::Missing) {
        TodoState::Missing
    } else if has(Flag::Untranslated) {
        TodoState::Untranslated
    } else if has(Flag::Outdated) {
        TodoState::Outdated
    } else if flags.is_empty() {
        TodoState::Translated
    } else {
        TodoState::Flagged
    }
}

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

impl Store {
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
        let mut st = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = st
            .query(params_from_iter(args.iter()))
            .map_err(|e| self.err(e))?;
        let mut n = 0;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let get = || -> rusqlite::Result<Row> {
                Ok(Row {
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
                    source_codes: from_json(r, 11)?,
                    target_codes: from_json(r, 12)?,
                    tu_meta: from_json(r, 13)?,
                    source_meta: from_json(r, 14)?,
                    target_meta: from_json(r, 15)?,
                })
            };
            let row = get().map_err(|e| self.err(e))?;
            each(row)?;
            n += 1;
        }
        Ok(n)
    }

    /// [`Store::export_rows`] for the sentence pairs of the segments taken: grouped by source
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
        let mut st = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = st
            .query(params_from_iter(args.iter()))
            .map_err(|e| self.err(e))?;
        let mut n = 0;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let get = || -> rusqlite::Result<Row> {
                Ok(Row {
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
                })
            };
            each(get().map_err(|e| self.err(e))?)?;
            n += 1;
        }
        Ok(n)
    }

    /// Stream the units an export takes to `each`: its segments (see [`Store::export_rows`])
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

    /// Merge units into the memory in one transaction: each translation becomes a segment of
    /// (source language, target language, source text, target text) unless the memory has it.
    /// Units without a document go to `default_document`. `origin` says how they came (`tmx`).
    /// The first error (from the units or the database) rolls everything back.
    pub fn merge_units(
        &mut self,
        origin: &str,
        default_document: &str,
        units: &mut dyn Iterator<Item = Result<Unit>>,
    ) -> Result<MergeReport> {
        self.merge_units_with(origin, default_document, units, BULK)
    }

    /// [`Store::merge_units`], counting as bulk from `bulk` segments on (see [`BULK`]).
    fn merge_units_with(
        &mut self,
        origin: &str,
        default_document: &str,
        units: &mut dyn Iterator<Item = Result<Unit>>,
        bulk: usize,
    ) -> Result<MergeReport> {
        let now = self.clock.now();
        let path = self.path.clone();
        let err = |e| db_error(&path, e);
        let cache: i64 = self
            .conn
            .pragma_query_value(None, "cache_size", |r| r.get(0))
            .map_err(err)?;
        // For the length of the merge: a bigger page cache, as the indexes of `text` and
        // `segment` take random inserts (a fixed amount, whatever the file's size); and no
        // foreign key checks, which cost a lookup in `text` and `document` per segment and a
        // statement journal per insert, while the merge writes only ids it has just read or
        // written in the same transaction. Both are set back however the merge ends.
        self.conn
            .execute_batch(&format!(
                "PRAGMA cache_size = -{MERGE_CACHE_KIB}; PRAGMA foreign_keys = OFF"
            ))
            .map_err(err)?;
        let merged = (|| -> Result<MergeReport> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(err)?;
            let report =
                merge(&tx, now, origin, default_document, units, bulk).map_err(|e| match e {
                    MergeError::Db(e) => err(e),
                    MergeError::Input(e) => e,
                })?;
            tx.commit().map_err(err)?;
            Ok(report)
        })();
        let restored = self
            .conn
            .execute_batch(&format!(
                "PRAGMA cache_size = {cache}; PRAGMA foreign_keys = ON"
            ))
            .map_err(err);
        let report = merged?;
        restored?;
        Ok(report)
    }

    /// The closest earlier translation of `text` into `target_lang`, as `paralign lookup`
    /// finds and scores it (at least [`SUGGEST_MIN`] percent), if any.
    pub fn suggest(
        &self,
        source_lang: &str,
        target_lang: &str,
        text: &str,
    ) -> Result<Option<Suggestion>> {
        let query = crate::reuse::Prepared::new(text);
        let found = self.best_matches(
            &query,
            Some(source_lang),
            &[target_lang.to_string()],
            SUGGEST_MIN,
            1,
        )?;
        Ok(found.into_iter().flatten().next().map(|m| Suggestion {
            source: m.candidate.source,
            target: m.candidate.target,
            similarity: f64::from(m.score.percent),
            origin: "paralign memory".into(),
        }))
    }

    /// The paragraphs a language lacks in each document (missing, untranslated, outdated, as
    /// asked), each with a suggestion from the memory when it has one. Documents in another
    /// source language than most, or aligned with an earlier source version, are left out
    /// with a note.
    pub fn todo(&self, f: &TodoFilter) -> Result<TodoReport> {
        let q = || -> rusqlite::Result<(Vec<DocRow>, Vec<String>)> {
            // (name, source_lang, document id, source version id)
            let mut st = self.conn.prepare_cached(
                "SELECT d.name, d.source_lang, d.id, v.id FROM document d
                 JOIN version v ON v.document_id = d.id AND v.lang = d.source_lang
                     AND v.superseded_at IS NULL
                 WHERE ?1 IS NULL OR d.name = ?1
                 ORDER BY d.name",
            )?;
            let rows = st
                .query_map([&f.document], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok((rows, Vec::new()))
        };
        let (docs, mut notes) = q().map_err(|e| self.err(e))?;
        let primary = |l: &str| l.split('-').next().unwrap_or(l).to_ascii_lowercase();
        let target_primary = primary(&f.lang);
        // The source language most documents have (ties: the first by name).
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for (_, sl, ..) in &docs {
            if primary(sl) != target_primary {
                *counts.entry(sl.clone()).or_default() += 1;
            }
        }
        let source_lang = counts
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(l, _)| l.clone());
        let mut report = TodoReport {
            source_lang: source_lang.clone(),
            ..TodoReport::default()
        };
        for (name, sl, doc_id, sv) in docs {
            if primary(&sl) == target_primary {
                continue;
            }
            if Some(&sl) != source_lang.as_ref() {
                notes.push(format!(
                    "{name}: its source is in {sl}, not {}; export it with --doc {name} on its own",
                    source_lang.as_deref().unwrap_or("-")
                ));
                continue;
            }
            let doc = self.todo_doc(&name, &sl, doc_id, sv, f, &mut notes)?;
            if let Some(doc) = doc {
                if !doc.paragraphs.is_empty() {
                    report.docs.push(doc);
                }
            }
        }
        report.notes = notes;
        Ok(report)
    }

    fn todo_doc(
        &self,
        name: &str,
        source_lang: &str,
        doc_id: i64,
        sv: i64,
        f: &TodoFilter,
        notes: &mut Vec<String>,
    ) -> Result<Option<TodoDoc>> {
        let paras = self.todo_paragraphs(sv).map_err(|e| self.err(e))?;
        let standing = self
            .todo_standing(doc_id, sv, &f.lang, paras.len())
            .map_err(|e| self.err(e))?;
        let Some(standing) = standing else {
            notes.push(format!(
                "{name}: its {} version is aligned with an earlier source version; run `paralign import` on the document first",
                f.lang
            ));
            return Ok(None);
        };
        let mut out = TodoDoc {
            document: name.to_string(),
            paragraphs: Vec::with_capacity(paras.len()),
        };
        for ((index, line, label, text), (flags, translation)) in paras.into_iter().zip(standing) {
            if let Some(only) = &f.only {
                if !flags.iter().any(|fl| only.contains(fl)) {
                    continue;
                }
            }
            let state = todo_state(&flags, translation.is_some());
            // A suggestion helps only where a translation is still to be made.
            let suggestion = if state.to_translate() {
                self.suggest(source_lang, &f.lang, &text)?
            } else {
                None
            };
            out.paragraphs.push(TodoParagraph {
                index,
                line,
                label,
                text,
                state,
                suggestion,
                draft: None,
                translation: translation.filter(|_| !state.to_translate()),
                flags,
            });
        }
        Ok(Some(out))
    }

    /// The source version's paragraphs: index, line, label, text.
    fn todo_paragraphs(&self, sv: i64) -> rusqlite::Result<Vec<TodoRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT p.idx, p.line, p.label, t.body FROM paragraph p
             JOIN text t ON t.id = p.text_id WHERE p.version_id = ?1 ORDER BY p.idx",
        )?;
        let rows = st.query_map([sv], |r| {
            Ok((
                r.get::<_, i64>(0)? as usize,
                r.get::<_, i64>(1)? as usize,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        rows.collect()
    }

    /// For each of `n` source paragraphs, the flags of its pair in the current alignment into
    /// `lang` and its translation (the pair's target paragraphs joined; given to the first
    /// source paragraph of a merge only): `missing` and none where the language has no
    /// alignment, `None` when the alignment is with an earlier source version.
    fn todo_standing(
        &self,
        doc_id: i64,
        sv: i64,
        lang: &str,
        n: usize,
    ) -> rusqlite::Result<Option<Vec<Standing>>> {
        let mut standing: Vec<Standing> = vec![(vec![Flag::Missing], None); n];
        let alignment: Option<(i64, i64, i64)> = self
            .conn
            .prepare_cached(
                "SELECT id, source_version_id, target_version_id FROM alignment
                 WHERE document_id = ?1 AND target_lang = ?2 COLLATE NOCASE
                     AND superseded_at IS NULL",
            )?
            .query_row(params![doc_id, lang], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let (aid, tv) = match alignment {
            None => return Ok(Some(standing)),
            Some((_, asv, _)) if asv != sv => return Ok(None),
            Some((aid, _, tv)) => (aid, tv),
        };
        let targets: HashMap<usize, String> = self
            .todo_paragraphs(tv)?
            .into_iter()
            .map(|(i, _, _, text)| (i, text))
            .collect();
        let mut pst = self
            .conn
            .prepare_cached("SELECT source, target, flags FROM pair WHERE alignment_id = ?1")?;
        let pairs = pst.query_map([aid], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        let indices = |s: &str| -> Vec<usize> {
            s.split('+')
                .filter_map(|x| x.parse::<usize>().ok())
                .collect()
        };
        for p in pairs {
            let (s, t, bits) = p?;
            let texts: Vec<&str> = indices(&t)
                .iter()
                .filter_map(|j| targets.get(j).map(String::as_str))
                .collect();
            let translation = (!texts.is_empty()).then(|| texts.join("\n"));
            let mut flags = flags_of(bits);
            if texts.is_empty() && !flags.contains(&Flag::Missing) {
                flags.insert(0, Flag::Missing);
            }
            for (k, i) in indices(&s).into_iter().enumerate() {
                if let Some(slot) = standing.get_mut(i) {
                    *slot = (flags.clone(), translation.clone().filter(|_| k == 0));
                }
            }
        }
        Ok(Some(standing))
    }

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
        // document name -> (id, source language, source version)
        let mut docs: HashMap<String, Option<(i64, String, i64)>> = HashMap::new();
        for u in &file.units {
            let Some(target) = u.target.as_deref().filter(|t| !t.trim().is_empty()) else {
                report.empty += 1;
                continue;
            };
            let doc = match docs.get(&u.document) {
                Some(d) => d.clone(),
                None => {
                    let d: Option<(i64, String, i64)> = tx
                        .prepare_cached(
                            "SELECT d.id, d.source_lang, v.id FROM document d
                             JOIN version v ON v.document_id = d.id AND v.lang = d.source_lang
                                 AND v.superseded_at IS NULL
                             WHERE d.name = ?1",
                        )
                        .and_then(|mut s| {
                            s.query_row([&u.document], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                                .optional()
                        })
                        .map_err(err)?;
                    docs.insert(u.document.clone(), d.clone());
                    d
                }
            };
            let Some((doc_id, source_lang, sv)) = doc else {
                report.refused.push((
                    u.place,
                    format!("unit {}: the memory has no document `{}`", u.id, u.document),
                ));
                continue;
            };
            let Some(index) = u.index else {
                report.refused.push((
                    u.place,
                    format!(
                        "unit {}: no paragraph index (mda:meta type=\"paragraph\" or an id pN)",
                        u.id
                    ),
                ));
                continue;
            };
            let para: Option<(i64, Option<String>, String)> = tx
                .prepare_cached(
                    "SELECT p.text_id, p.label, t.body FROM paragraph p JOIN text t ON t.id = p.text_id
                     WHERE p.version_id = ?1 AND p.idx = ?2",
                )
                .and_then(|mut s| {
                    s.query_row(params![sv, index as i64], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })
                    .optional()
                })
                .map_err(err)?;
            let Some((src_id, label, body)) = para else {
                report.refused.push((
                    u.place,
                    format!(
                        "unit {}: `{}` has no paragraph {index} any more; export the file again",
                        u.id, u.document
                    ),
                ));
                continue;
            };
            let norm = normalize(&body);
            if normalize(&u.source) != norm {
                report.refused.push((
                    u.place,
                    format!(
                        "unit {}: the source of `{}` paragraph {index} has changed since the file was exported (now: {}); export it again",
                        u.id,
                        u.document,
                        crate::text::excerpt(&body, 60)
                    ),
                ));
                continue;
            }
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
                        source_lang,
                        target_lang,
                        src_id,
                        tgt,
                        hash64(&norm),
                        doc_id,
                        label,
                        now
                    ])
                })
                .map_err(err)?;
            report.added += added;
            // Its sentence pairs, as `paralign import` stores them, for lookup.
            add_sentences(&tx, &source_lang, target_lang, src_id, tgt).map_err(err)?;
            report
                .applied
                .push((u.document.clone(), index, target.to_string()));
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
            let mut st = self.conn.prepare_cached(
                "SELECT t.body FROM paragraph p JOIN text t ON t.id = p.text_id
                 WHERE p.version_id = ?1 ORDER BY p.idx",
            )?;
            let tparas = st
                .query_map([tv], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut pst = self.conn.prepare_cached(
                "SELECT source, target FROM pair WHERE alignment_id = ?1 ORDER BY seq",
            )?;
            let pairs = pst
                .query_map([aid], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let split =
                |s: &str| -> Vec<usize> { s.split('+').filter_map(|x| x.parse().ok()).collect() };
            for (s, t) in pairs {
                let s = split(&s);
                let t = split(&t);
                let new: Vec<&String> = s.iter().filter_map(|i| translations.get(i)).collect();
                if new.is_empty() {
                    out.paragraphs
                        .extend(t.iter().filter_map(|&j| tparas.get(j).cloned()));
                    continue;
                }
                out.replaced += new.len();
                out.paragraphs.extend(new.into_iter().cloned());
                if s.iter().any(|i| !translations.contains_key(i)) {
                    out.paragraphs
                        .extend(t.iter().filter_map(|&j| tparas.get(j).cloned()));
                }
            }
            Ok(Some(out))
        };
        q().map_err(|e| self.err(e))
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

/// Why a merge stopped: the units (an input error, already placed) or the database.
enum MergeError {
    Input(crate::error::Error),
    Db(rusqlite::Error),
}

impl From<rusqlite::Error> for MergeError {
    fn from(e: rusqlite::Error) -> MergeError {
        MergeError::Db(e)
    }
}

/// The secondary indexes of `segment`, as memory/0002 creates them. A bulk merge drops them
/// and creates them again at its end, in the same transaction: one sort then costs less than
/// a random insert into each for every segment.
const SEGMENT_INDEXES: [(&str, &str); 2] = [
    (
        "segment_by_source_hash",
        "CREATE INDEX segment_by_source_hash ON segment (source_hash)",
    ),
    (
        "segment_by_source_text",
        "CREATE INDEX segment_by_source_text ON segment (source_text_id)",
    ),
];

/// A merge counts as bulk, and drops [`SEGMENT_INDEXES`] until its end, once it has brought
/// this many segments and at least as many as the memory had (so that building the indexes
/// anew never costs much more than keeping them would have).
const BULK: usize = 50_000;

/// The body of [`Store::merge_units`], in its transaction.
fn merge(
    tx: &Transaction,
    now: i64,
    origin: &str,
    default_document: &str,
    units: &mut dyn Iterator<Item = Result<Unit>>,
    bulk_from: usize,
) -> std::result::Result<MergeReport, MergeError> {
    let mut report = MergeReport::default();
    let mut docs: HashMap<String, i64> = HashMap::new();
    let mut langs: BTreeSet<String> = BTreeSet::new();
    let had: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM segment", [], |r| r.get(0))?;
    let mut find_doc = tx.prepare("SELECT id FROM document WHERE name = ?1")?;
    let mut add_doc = tx.prepare("INSERT INTO document (name) VALUES (?1)")?;
    let mut texts = TextIds::new(tx)?;
    let mut add = tx.prepare(
        "INSERT INTO segment (source_lang, target_lang, source_text_id, target_text_id,
            source_hash, document_id, label, score, flags, origin, created_at, changed_at,
            source_codes, target_codes, tu_meta, source_meta, target_meta)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
         ON CONFLICT (source_lang, target_lang, source_text_id, target_text_id) DO NOTHING",
    )?;
    let mut bulk = false;
    for unit in units {
        let unit = unit.map_err(MergeError::Input)?;
        report.units += 1;
        let name = unit.document.as_deref().unwrap_or(default_document);
        let doc_id = match docs.get(name) {
            Some(&id) => id,
            None => {
                let id = match find_doc.query_row([name], |r| r.get(0)).optional()? {
                    Some(id) => id,
                    None => {
                        add_doc.execute([name])?;
                        report.documents_created += 1;
                        tx.last_insert_rowid()
                    }
                };
                docs.insert(name.to_string(), id);
                id
            }
        };
        let src = texts.id(&unit.source)?;
        let source_codes = to_json(&unit.source_codes);
        let tu_meta = to_json(&unit.meta);
        let source_meta = to_json(&unit.source_meta);
        let src_hash = hash64(&normalize(&unit.source));
        if !langs.contains(&unit.source_lang) {
            langs.insert(unit.source_lang.clone());
        }
        for t in &unit.targets {
            if !langs.contains(&t.lang) {
                langs.insert(t.lang.clone());
            }
            let tgt = texts.id(&t.text)?;
            let flags: i64 = t.flags.iter().map(|&f| flag_bit(f)).sum();
            let created = t.created.unwrap_or(now);
            let changed = t.changed.unwrap_or(created);
            let added = add.execute(params![
                unit.source_lang,
                t.lang,
                src,
                tgt,
                src_hash,
                doc_id,
                unit.label,
                t.score,
                flags,
                origin,
                created,
                changed,
                source_codes,
                to_json(&t.codes),
                tu_meta,
                source_meta,
                to_json(&t.meta),
            ])?;
            report.added += added;
            report.existing += 1 - added;
        }
        let seen = report.added + report.existing;
        if !bulk && seen >= bulk_from && seen as i64 >= had {
            for (name, _) in SEGMENT_INDEXES {
                tx.execute_batch(&format!("DROP INDEX IF EXISTS {name}"))?;
            }
            bulk = true;
        }
    }
    if bulk {
        for (_, create) in SEGMENT_INDEXES {
            tx.execute_batch(create)?;
        }
    }
    report.langs = langs.into_iter().collect();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::Variant;
    use crate::store::Clock;
    use std::path::Path;

    fn units(n: usize) -> Vec<Unit> {
        (0..n)
            .map(|i| Unit {
                source_lang: "en".into(),
                source: format!("Paragraph {i}."),
                document: Some(format!("doc{}", i % 2)),
                label: Some(i.to_string()),
                targets: vec![Variant {
                    lang: "es".into(),
                    text: format!("Párrafo {i}."),
                    score: Some(0.5),
                    flags: vec![],
                    created: Some(1),
                    changed: Some(2),
                    ..Variant::default()
                }],
                ..Unit::default()
            })
            .collect()
    }

    fn memory() -> Store {
        Store::open(Path::new(":memory:"), Clock::Fixed(0)).unwrap()
    }

    /// The definitions of the memory's indexes, and its foreign key and cache settings.
    fn settings(s: &Store) -> (Vec<String>, i64, i64) {
        let mut st = s
            .conn
            .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
            .unwrap();
        let indexes = st
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<Vec<String>>>()
            .unwrap();
        let fk = s
            .conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        let cache = s
            .conn
            .pragma_query_value(None, "cache_size", |r| r.get(0))
            .unwrap();
        (indexes, fk, cache)
    }

    fn rows(s: &Store) -> Vec<(i64, String, String, String, String)> {
        let mut st = s
            .conn
            .prepare(
                "SELECT s.id, d.name, s.label, a.body, b.body FROM segment s
                 JOIN document d ON d.id = s.document_id
                 JOIN text a ON a.id = s.source_text_id JOIN text b ON b.id = s.target_text_id
                 ORDER BY s.id",
            )
            .unwrap();
        st.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    }

    #[test]
    fn a_bulk_merge_builds_the_indexes_again_as_the_schema_has_them() {
        let fresh = settings(&memory());
        assert_eq!(fresh.0.len(), 8, "{:?}", fresh.0);
        assert!(fresh.0.contains(&SEGMENT_INDEXES[0].1.to_string()));
        assert!(fresh.0.contains(&SEGMENT_INDEXES[1].1.to_string()));

        let mut bulk = memory();
        let all = units(5);
        let r = bulk
            .merge_units_with("test", "d", &mut all.clone().into_iter().map(Ok), 2)
            .unwrap();
        assert_eq!((r.units, r.added, r.existing), (5, 5, 0));
        assert_eq!(settings(&bulk), fresh);
        let violations: Option<String> = bulk
            .conn
            .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
            .optional()
            .unwrap();
        assert_eq!(violations, None);

        // The same rows as a merge that never counts as bulk.
        let mut plain = memory();
        plain
            .merge_units_with(
                "test",
                "d",
                &mut all.clone().into_iter().map(Ok),
                usize::MAX,
            )
            .unwrap();
        assert_eq!(rows(&bulk), rows(&plain));
        assert_eq!(
            rows(&bulk)[4],
            (
                5,
                "doc0".into(),
                "4".into(),
                "Paragraph 4.".into(),
                "Párrafo 4.".into()
            )
        );

        // Again, in bulk: nothing new, and the indexes are there still.
        let r = bulk
            .merge_units_with("test", "d", &mut all.into_iter().map(Ok), 2)
            .unwrap();
        assert_eq!((r.added, r.existing), (0, 5));
        assert_eq!(settings(&bulk), fresh);
    }

    #[test]
    fn a_bulk_merge_that_fails_keeps_the_indexes_and_writes_nothing() {
        let mut s = memory();
        let fresh = settings(&s);
        let mut items = units(4)
            .into_iter()
            .map(Ok)
            .chain(std::iter::once(Err(crate::Error::input("broken"))));
        let e = s.merge_units_with("test", "d", &mut items, 2).unwrap_err();
        assert_eq!(e.to_string(), "broken");
        assert_eq!(settings(&s), fresh);
        assert!(rows(&s).is_empty());
    }

    #[test]
    fn a_version_3_memory_upgrades_and_its_segments_export_without_codes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v3.sqlite");
        {
            let c = rusqlite::Connection::open(&path).unwrap();
            for sql in &super::super::schema::MIGRATIONS[..3] {
                c.execute_batch(sql).unwrap();
            }
            c.execute_batch(
                "PRAGMA user_version = 3; PRAGMA application_id = 1346456647;
                 INSERT INTO document (id, name) VALUES (1, 'law');
                 INSERT INTO text (id, hash, body) VALUES (1, 0, 'Hello'), (2, 0, 'Hola');
                 INSERT INTO segment (source_lang, target_lang, source_text_id, target_text_id,
                     source_hash, document_id, label, score, flags, origin, created_at,
                     changed_at)
                 VALUES ('en', 'es', 1, 2, 0, 1, '1', 0.5, 0, 'import', 10, 20);",
            )
            .unwrap();
        }
        let s = Store::open(&path, Clock::Fixed(0)).unwrap();
        assert_eq!(
            s.schema_version().unwrap(),
            super::super::schema::SCHEMA_VERSION
        );
        let mut got = Vec::new();
        s.export_rows(&ExportFilter::default(), &mut |r| {
            got.push(r);
            Ok(())
        })
        .unwrap();
        let want = Row {
            group: 1,
            source_lang: "en".into(),
            target_lang: "es".into(),
            document: "law".into(),
            label: Some("1".into()),
            source: "Hello".into(),
            target: "Hola".into(),
            score: Some(0.5),
            flags: vec![],
            created: 10,
            changed: 20,
            ..Row::default()
        };
        assert_eq!(got, [want]);
    }

    #[test]
    fn codes_and_meta_go_through_the_memory() {
        let mut u = units(1).remove(0);
        u.source_codes = vec![InlineCode {
            at: 4,
            tag: "ph".into(),
            attrs: vec![("x".into(), "1".into())],
            content: "&lt;br/&gt;".into(),
        }];
        u.meta.attrs = vec![("creationid".into(), "ana".into())];
        u.source_meta.attrs = vec![("creationdate".into(), "20240101T000000Z".into())];
        u.targets[0].codes = vec![InlineCode {
            at: 0,
            tag: "hi".into(),
            ..InlineCode::default()
        }];
        u.targets[0].meta.children = vec![crate::exchange::Annotation {
            element: "note".into(),
            attrs: vec![],
            text: "checked".into(),
        }];
        let mut s = memory();
        s.merge_units("tmx", "d", &mut std::iter::once(Ok(u.clone())))
            .unwrap();
        let mut got = Vec::new();
        s.export_units(&ExportFilter::default(), &mut |x| {
            got.push(x);
            Ok(())
        })
        .unwrap();
        assert_eq!(got, [u]);
    }
}
