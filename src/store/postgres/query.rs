//! Reading the PostgreSQL memory for people: `status`, one document paragraph by paragraph,
//! and the segments with filters, in the order the SQLite memory gives them (texts sorted
//! byte-wise with `COLLATE "C"`, as SQLite's BINARY does). Read-only.

use std::collections::HashMap;

use postgres::GenericClient;

use super::{lang_match, refs, Args, PgStore};
use crate::align::Flag;
use crate::error::Result;
use crate::store::{
    flag_bit, flags_of, hash_hex, DocDetail, DocStatus, LangDetail, LangStatus, ParaInfo,
    ParaState, Segment, SegmentFilter, SegmentPage, VersionInfo,
};

type Pg<T> = std::result::Result<T, postgres::Error>;

fn split_indices(s: &str) -> Vec<usize> {
    s.split('+').filter_map(|x| x.parse().ok()).collect()
}

/// `%text%` for ILIKE, its wildcards escaped.
fn like_pattern(text: &str) -> String {
    let mut p = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// The conditions of a segment filter, their values pushed onto `args`.
fn segment_clauses(f: &SegmentFilter, args: &mut Args) -> Vec<String> {
    let mut clauses: Vec<String> = Vec::new();
    if let Some(l) = &f.source_lang {
        args.push(Box::new(l.clone()));
        clauses.push(lang_match("s.source_lang", args.len()));
    }
    if let Some(l) = &f.target_lang {
        args.push(Box::new(l.clone()));
        clauses.push(lang_match("s.target_lang", args.len()));
    }
    if let Some(d) = &f.document {
        args.push(Box::new(d.clone()));
        clauses.push(format!("d.name = ${}", args.len()));
    }
    if let Some(m) = f.min_score {
        args.push(Box::new(m));
        clauses.push(format!("s.score >= ${}", args.len()));
    }
    if !f.flags.is_empty() || f.unflagged {
        let bits: i64 = f.flags.iter().map(|&fl| flag_bit(fl)).sum();
        let mut any = Vec::new();
        if bits != 0 {
            args.push(Box::new(bits));
            any.push(format!("(s.flags & ${}) != 0", args.len()));
        }
        if f.unflagged {
            any.push("s.flags = 0".to_string());
        }
        clauses.push(format!("({})", any.join(" OR ")));
    }
    if let Some(t) = f.text.as_deref().filter(|t| !t.is_empty()) {
        args.push(Box::new(like_pattern(t)));
        let n = args.len();
        clauses.push(format!("(st.body ILIKE ${n} OR tt.body ILIKE ${n})"));
    }
    clauses
}

fn lang_status(r: &postgres::Row) -> LangStatus {
    let n = |k: usize| r.get::<_, i64>(k) as usize;
    LangStatus {
        lang: r.get(1),
        path: r.get(2),
        paragraphs: n(3),
        source_paragraphs: n(4),
        translated: n(5),
        missing: n(6),
        extra: n(7),
        untranslated: n(8),
        diverging: n(9),
        misnumbered: n(10),
        reordered: n(11),
        outdated: n(12),
        coverage: r.get(13),
        aligned: r.get(14),
        current_source: r.get::<_, Option<bool>>(15).unwrap_or(false),
    }
}

fn status(c: &mut impl GenericClient) -> Pg<Vec<DocStatus>> {
    let rows = c.query(
        "SELECT d.id, d.name, v.lang, v.path, v.paragraphs, v.imported_at
         FROM document d
         LEFT JOIN version v ON v.document_id = d.id AND v.lang = d.source_lang
             AND v.superseded_at IS NULL
         ORDER BY d.name COLLATE \"C\"",
        &[],
    )?;
    let mut docs: Vec<(i64, DocStatus)> = rows
        .iter()
        .map(|r| {
            let source = r.get::<_, Option<String>>(2).map(|lang| VersionInfo {
                lang,
                path: r.get(3),
                paragraphs: r.get::<_, i64>(4) as usize,
                imported: r.get(5),
            });
            (
                r.get(0),
                DocStatus {
                    id: r.get(1),
                    source,
                    targets: Vec::new(),
                },
            )
        })
        .collect();
    let index: HashMap<i64, usize> = docs.iter().enumerate().map(|(k, d)| (d.0, k)).collect();
    let rows = c.query(
        "SELECT a.document_id, a.target_lang, v.path, v.paragraphs, a.source_paragraphs,
            a.translated, a.missing, a.extra, a.untranslated, a.diverging, a.misnumbered,
            a.reordered, a.outdated, a.coverage, a.created_at,
            a.source_version_id = (SELECT sv.id FROM version sv JOIN document d
                ON sv.document_id = d.id AND sv.lang = d.source_lang
                WHERE d.id = a.document_id AND sv.superseded_at IS NULL)
         FROM alignment a JOIN version v ON v.id = a.target_version_id
         WHERE a.superseded_at IS NULL
         ORDER BY a.document_id, a.target_lang COLLATE \"C\"",
        &[],
    )?;
    for r in &rows {
        if let Some(&k) = index.get(&r.get::<_, i64>(0)) {
            docs[k].1.targets.push(lang_status(r));
        }
    }
    Ok(docs.into_iter().map(|d| d.1).collect())
}

fn paragraphs(c: &mut impl GenericClient, version: i64) -> Pg<Vec<ParaInfo>> {
    Ok(c.query(
        "SELECT p.idx, p.line, p.label, t.body FROM paragraph p JOIN text t ON t.id = p.text_id
             WHERE p.version_id = $1 ORDER BY p.idx",
        &[&version],
    )?
    .iter()
    .map(|r| ParaInfo {
        index: r.get::<_, i64>(0) as usize,
        line: r.get::<_, i64>(1) as usize,
        label: r.get(2),
        text: r.get(3),
    })
    .collect())
}

type States = (Vec<Option<ParaState>>, Vec<ParaInfo>);

fn pair_states(c: &mut impl GenericClient, aid: i64, tv: i64, n: usize) -> Pg<States> {
    let mut states = vec![None; n];
    let mut extra = Vec::new();
    let tparas = paragraphs(c, tv)?;
    let rows = c.query(
        "SELECT source, target, score, flags FROM pair WHERE alignment_id = $1 ORDER BY seq",
        &[&aid],
    )?;
    for r in &rows {
        let s = split_indices(r.get(0));
        let t = split_indices(r.get(1));
        if s.is_empty() {
            extra.extend(t.iter().filter_map(|&j| tparas.get(j).cloned()));
            continue;
        }
        for &i in &s {
            if let Some(slot) = states.get_mut(i) {
                *slot = Some(ParaState {
                    target: t.clone(),
                    score: r.get(2),
                    flags: flags_of(r.get(3)),
                });
            }
        }
    }
    Ok((states, extra))
}

fn document(c: &mut impl GenericClient, name: &str) -> Pg<Option<DocDetail>> {
    let Some(r) = c.query_opt(
        "SELECT d.id, v.id, v.lang, v.path, v.paragraphs, v.imported_at
         FROM document d JOIN version v ON v.document_id = d.id
             AND v.lang = d.source_lang AND v.superseded_at IS NULL
         WHERE d.name = $1",
        &[&name],
    )?
    else {
        return Ok(None);
    };
    let (doc_id, sv): (i64, i64) = (r.get(0), r.get(1));
    let paragraphs = paragraphs(c, sv)?;
    let rows = c.query(
        "SELECT a.id, a.target_lang, v.path, a.source_version_id, v.id
         FROM alignment a JOIN version v ON v.id = a.target_version_id
         WHERE a.document_id = $1 AND a.superseded_at IS NULL
         ORDER BY a.target_lang COLLATE \"C\"",
        &[&doc_id],
    )?;
    let mut langs = Vec::new();
    for a in &rows {
        let current_source = a.get::<_, i64>(3) == sv;
        let (states, extra) = if current_source {
            pair_states(c, a.get(0), a.get(4), paragraphs.len())?
        } else {
            (Vec::new(), Vec::new())
        };
        langs.push(LangDetail {
            lang: a.get(1),
            path: a.get(2),
            current_source,
            states,
            extra,
        });
    }
    Ok(Some(DocDetail {
        id: name.to_string(),
        source: VersionInfo {
            lang: r.get(2),
            path: r.get(3),
            paragraphs: r.get::<_, i64>(4) as usize,
            imported: r.get(5),
        },
        paragraphs,
        langs,
    }))
}

fn segment(r: &postgres::Row) -> Segment {
    let flags: i64 = r.get(8);
    Segment {
        id: r.get(0),
        source_lang: r.get(1),
        target_lang: r.get(2),
        document: r.get(3),
        label: r.get(4),
        outdated: flags & flag_bit(Flag::Outdated) != 0,
        source: r.get(5),
        target: r.get(6),
        score: r.get(7),
        flags: flags_of(flags),
        source_hash: hash_hex(r.get(9)),
        origin: r.get(10),
        created: r.get(11),
        changed: r.get(12),
    }
}

impl PgStore {
    /// Every document with its source and targets, by name.
    pub fn status(&self) -> Result<Vec<DocStatus>> {
        status(&mut *self.client()).map_err(|e| self.err(e))
    }

    /// One document paragraph by paragraph (None when the memory does not know it).
    pub fn document(&self, name: &str) -> Result<Option<DocDetail>> {
        document(&mut *self.client(), name).map_err(|e| self.err(e))
    }

    /// The names of the documents the memory knows, sorted.
    pub fn document_names(&self) -> Result<Vec<String>> {
        let rows = self
            .client()
            .query("SELECT name FROM document ORDER BY name COLLATE \"C\"", &[])
            .map_err(|e| self.err(e))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// The language pairs the segments hold, (source, target), sorted as SQLite sorts them.
    pub fn language_pairs(&self) -> Result<Vec<(String, String)>> {
        let rows = self
            .client()
            .query(
                // Not `ORDER BY 1 COLLATE …`: that orders by the constant 1.
                "SELECT source_lang, target_lang FROM segment GROUP BY source_lang, target_lang \
                 ORDER BY source_lang COLLATE \"C\", target_lang COLLATE \"C\"",
                &[],
            )
            .map_err(|e| self.err(e))?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// Segments matching a filter, in the order stored, with the number matching in all.
    pub fn segments(&self, f: &SegmentFilter) -> Result<SegmentPage> {
        let mut args: Args = Vec::new();
        let clauses = segment_clauses(f, &mut args);
        let from = "FROM segment s JOIN document d ON d.id = s.document_id
             JOIN text st ON st.id = s.source_text_id JOIN text tt ON tt.id = s.target_text_id";
        let wh = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        let limit = f.limit.map_or("ALL".to_string(), |l| l.to_string());
        let mut c = self.client();
        let run = |c: &mut postgres::Client| -> Pg<SegmentPage> {
            let total: i64 = c
                .query_one(&format!("SELECT count(*) {from} {wh}"), &refs(&args))?
                .get(0);
            let rows = c.query(
                &format!(
                    "SELECT s.id, s.source_lang, s.target_lang, d.name, s.label, st.body, tt.body,
                        s.score, s.flags, s.source_hash, s.origin, s.created_at, s.changed_at
                     {from} {wh} ORDER BY s.id LIMIT {limit}"
                ),
                &refs(&args),
            )?;
            Ok(SegmentPage {
                segments: rows.iter().map(segment).collect(),
                total: total as usize,
            })
        };
        run(&mut c).map_err(|e| self.err(e))
    }

    /// Sizes of the memory: (documents, versions, segments, texts, bytes of text).
    pub fn sizes(&self) -> Result<(usize, usize, usize, usize, usize)> {
        let r = self
            .client()
            .query_one(
                "SELECT (SELECT count(*) FROM document), (SELECT count(*) FROM version),
                    (SELECT count(*) FROM segment), (SELECT count(*) FROM text),
                    (SELECT coalesce(sum(octet_length(body)), 0)::bigint FROM text)",
                &[],
            )
            .map_err(|e| self.err(e))?;
        let n = |k: usize| r.get::<_, i64>(k) as usize;
        Ok((n(0), n(1), n(2), n(3), n(4)))
    }

    /// Segments by level: (paragraph segments, sentence segments).
    pub fn segment_levels(&self) -> Result<(usize, usize)> {
        let r = self
            .client()
            .query_one(
                "SELECT (SELECT count(*) FROM segment), (SELECT count(*) FROM sentence_segment)",
                &[],
            )
            .map_err(|e| self.err(e))?;
        Ok((r.get::<_, i64>(0) as usize, r.get::<_, i64>(1) as usize))
    }
}
