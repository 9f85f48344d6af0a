//! Reading the memory for people: where each document and language stands (`status`), one
//! document paragraph by paragraph, and the segments with filters. Read-only; stable order.

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension};
use serde::Serialize;

use super::{flag_bit, flags_of, hash_hex, SqliteStore};
use crate::align::Flag;
use crate::error::Result;

/// A stored version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionInfo {
    /// Its language.
    pub lang: String,
    /// Its path as imported.
    pub path: String,
    /// Its number of paragraphs.
    pub paragraphs: usize,
    /// When it was imported (seconds since 1970 UTC).
    pub imported: i64,
}

/// Where one target language of a document stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LangStatus {
    /// The target language.
    pub lang: String,
    /// Its path as imported.
    pub path: String,
    /// Its number of paragraphs.
    pub paragraphs: usize,
    /// Paragraphs of the source it was aligned with.
    pub source_paragraphs: usize,
    /// Source paragraphs with a translation.
    pub translated: usize,
    /// Source paragraphs with none.
    pub missing: usize,
    /// Target paragraphs with no source.
    pub extra: usize,
    /// Pairs flagged untranslated.
    pub untranslated: usize,
    /// Pairs flagged diverging.
    pub diverging: usize,
    /// Pairs flagged misnumbered.
    pub misnumbered: usize,
    /// Pairs flagged reordered.
    pub reordered: usize,
    /// Pairs flagged outdated.
    pub outdated: usize,
    /// translated / source paragraphs.
    pub coverage: f64,
    /// When this alignment was made.
    pub aligned: i64,
    /// Whether it was aligned with the current source version (false: the target could not be
    /// read again when the source changed).
    pub current_source: bool,
}

/// Where one document stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocStatus {
    /// The document's name.
    pub id: String,
    /// Its current source version.
    pub source: Option<VersionInfo>,
    /// Its target languages, by tag.
    pub targets: Vec<LangStatus>,
}

/// A stored paragraph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParaInfo {
    /// 0-based index.
    pub index: usize,
    /// 1-based line.
    pub line: usize,
    /// Its number, if any.
    pub label: Option<String>,
    /// Its text.
    pub text: String,
}

/// The state of one source paragraph in one language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParaState {
    /// Target paragraphs it is paired with (empty: missing).
    pub target: Vec<usize>,
    /// The pair's score.
    pub score: Option<f64>,
    /// The pair's flags.
    pub flags: Vec<Flag>,
}

impl ParaState {
    /// The state in a word or two: `missing`, the flags joined by `+`, else `ok`.
    pub fn word(&self) -> String {
        if self.target.is_empty() {
            return "missing".into();
        }
        if self.flags.is_empty() {
            return "ok".into();
        }
        let f: Vec<&str> = self.flags.iter().map(|f| f.as_str()).collect();
        f.join("+")
    }
}

/// One language of a document, paragraph by paragraph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LangDetail {
    /// The target language.
    pub lang: String,
    /// Its path as imported.
    pub path: String,
    /// Whether it was aligned with the current source version; when not, `states` is empty.
    pub current_source: bool,
    /// The state of each source paragraph, by index.
    pub states: Vec<Option<ParaState>>,
    /// Target paragraphs with no source.
    pub extra: Vec<ParaInfo>,
}

/// One document paragraph by paragraph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocDetail {
    /// The document's name.
    pub id: String,
    /// Its current source version.
    pub source: VersionInfo,
    /// The source's paragraphs.
    pub paragraphs: Vec<ParaInfo>,
    /// Its target languages, by tag.
    pub langs: Vec<LangDetail>,
}

/// Which segments to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SegmentFilter {
    /// Source language (a tag, matching its subtags too: `en` matches `en-GB`).
    pub source_lang: Option<String>,
    /// Target language, likewise.
    pub target_lang: Option<String>,
    /// Document name.
    pub document: Option<String>,
    /// Minimum score.
    pub min_score: Option<f64>,
    /// Segments with any of these flags.
    pub flags: Vec<Flag>,
    /// Only segments without any flag.
    pub unflagged: bool,
    /// Text found in either side (case-insensitive for ASCII letters).
    pub text: Option<String>,
    /// At most this many (None: all).
    pub limit: Option<usize>,
}

/// A stored segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    /// Its id in the memory.
    pub id: i64,
    /// Source language.
    pub source_lang: String,
    /// Target language.
    pub target_lang: String,
    /// The document where it was last seen.
    pub document: String,
    /// The source paragraph's label there.
    pub label: Option<String>,
    /// Source text.
    pub source: String,
    /// Target text.
    pub target: String,
    /// Score.
    pub score: Option<f64>,
    /// Flags.
    pub flags: Vec<Flag>,
    /// Hash of the source text the target was aligned with (16 hex digits).
    pub source_hash: String,
    /// Whether that is not the hash of `source` (the translation is of an earlier source text).
    pub outdated: bool,
    /// How it arrived (`import`).
    pub origin: String,
    /// When first stored.
    pub created: i64,
    /// When last changed.
    pub changed: i64,
}

/// A page of segments and how many match in all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentPage {
    /// The segments, in the order stored.
    pub segments: Vec<Segment>,
    /// How many match the filter.
    pub total: usize,
}

fn split_indices(s: &str) -> Vec<usize> {
    s.split('+').filter_map(|x| x.parse().ok()).collect()
}

fn lang_clause(column: &str, value: &str, args: &mut Vec<Value>) -> String {
    args.push(Value::Text(value.to_string()));
    args.push(Value::Text(format!("{value}-%")));
    let n = args.len();
    format!(
        "({column} = ?{} COLLATE NOCASE OR {column} LIKE ?{n})",
        n - 1
    )
}

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
fn segment_clauses(f: &SegmentFilter, args: &mut Vec<Value>) -> Vec<String> {
    let mut clauses: Vec<String> = Vec::new();
    if let Some(l) = &f.source_lang {
        clauses.push(lang_clause("s.source_lang", l, args));
    }
    if let Some(l) = &f.target_lang {
        clauses.push(lang_clause("s.target_lang", l, args));
    }
    if let Some(d) = &f.document {
        args.push(Value::Text(d.clone()));
        clauses.push(format!("d.name = ?{}", args.len()));
    }
    if let Some(m) = f.min_score {
        args.push(Value::Real(m));
        clauses.push(format!("s.score >= ?{}", args.len()));
    }
    if !f.flags.is_empty() || f.unflagged {
        let bits: i64 = f.flags.iter().map(|&fl| flag_bit(fl)).sum();
        let mut any = Vec::new();
        if bits != 0 {
            args.push(Value::Integer(bits));
            any.push(format!("(s.flags & ?{}) != 0", args.len()));
        }
        if f.unflagged {
            any.push("s.flags = 0".to_string());
        }
        clauses.push(format!("({})", any.join(" OR ")));
    }
    if let Some(t) = f.text.as_deref().filter(|t| !t.is_empty()) {
        args.push(Value::Text(like_pattern(t)));
        let n = args.len();
        clauses.push(format!(
            "(st.body LIKE ?{n} ESCAPE '\\' OR tt.body LIKE ?{n} ESCAPE '\\')"
        ));
    }
    clauses
}

impl SqliteStore {
    /// Every document with its source and targets, by name.
    pub fn status(&self) -> Result<Vec<DocStatus>> {
        let q = || -> rusqlite::Result<Vec<DocStatus>> {
            let mut st = self.conn.prepare_cached(
                "SELECT d.id, d.name, v.lang, v.path, v.paragraphs, v.imported_at
                 FROM document d
                 LEFT JOIN version v ON v.document_id = d.id AND v.lang = d.source_lang
                     AND v.superseded_at IS NULL
                 ORDER BY d.name",
            )?;
            let mut docs: Vec<(i64, DocStatus)> = st
                .query_map([], |r| {
                    let lang: Option<String> = r.get(2)?;
                    let source = match lang {
                        Some(lang) => Some(VersionInfo {
                            lang,
                            path: r.get(3)?,
                            paragraphs: r.get::<_, i64>(4)? as usize,
                            imported: r.get(5)?,
                        }),
                        None => None,
                    };
                    Ok((
                        r.get(0)?,
                        DocStatus {
                            id: r.get(1)?,
                            source,
                            targets: Vec::new(),
                        },
                    ))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let index: HashMap<i64, usize> =
                docs.iter().enumerate().map(|(k, d)| (d.0, k)).collect();
            let mut st = self.conn.prepare_cached(
                "SELECT a.document_id, a.target_lang, v.path, v.paragraphs, a.source_paragraphs,
                    a.translated, a.missing, a.extra, a.untranslated, a.diverging, a.misnumbered,
                    a.reordered, a.outdated, a.coverage, a.created_at,
                    a.source_version_id = (SELECT sv.id FROM version sv JOIN document d
                        ON sv.document_id = d.id AND sv.lang = d.source_lang
                        WHERE d.id = a.document_id AND sv.superseded_at IS NULL)
                 FROM alignment a JOIN version v ON v.id = a.target_version_id
                 WHERE a.superseded_at IS NULL
                 ORDER BY a.document_id, a.target_lang",
            )?;
            let rows = st.query_map([], |r| {
                let n = |k: usize| -> rusqlite::Result<usize> { Ok(r.get::<_, i64>(k)? as usize) };
                Ok((
                    r.get::<_, i64>(0)?,
                    LangStatus {
                        lang: r.get(1)?,
                        path: r.get(2)?,
                        paragraphs: n(3)?,
                        source_paragraphs: n(4)?,
                        translated: n(5)?,
                        missing: n(6)?,
                        extra: n(7)?,
                        untranslated: n(8)?,
                        diverging: n(9)?,
                        misnumbered: n(10)?,
                        reordered: n(11)?,
                        outdated: n(12)?,
                        coverage: r.get(13)?,
                        aligned: r.get(14)?,
                        current_source: r.get::<_, Option<bool>>(15)?.unwrap_or(false),
                    },
                ))
            })?;
            for row in rows {
                let (doc, lang) = row?;
                if let Some(&k) = index.get(&doc) {
                    docs[k].1.targets.push(lang);
                }
            }
            Ok(docs.into_iter().map(|d| d.1).collect())
        };
        q().map_err(|e| self.err(e))
    }

    /// One document paragraph by paragraph (None when the memory does not know it).
    pub fn document(&self, name: &str) -> Result<Option<DocDetail>> {
        let q = || -> rusqlite::Result<Option<DocDetail>> {
            let found: Option<(i64, i64, String, String, i64, i64)> = self
                .conn
                .prepare_cached(
                    "SELECT d.id, v.id, v.lang, v.path, v.paragraphs, v.imported_at
                     FROM document d JOIN version v ON v.document_id = d.id
                         AND v.lang = d.source_lang AND v.superseded_at IS NULL
                     WHERE d.name = ?1",
                )?
                .query_row([name], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                })
                .optional()?;
            let Some((doc_id, sv, lang, path, n, imported)) = found else {
                return Ok(None);
            };
            let paragraphs = self.paragraphs(sv)?;
            let mut langs = Vec::new();
            let mut st = self.conn.prepare_cached(
                "SELECT a.id, a.target_lang, v.path, a.source_version_id, v.id
                 FROM alignment a JOIN version v ON v.id = a.target_version_id
                 WHERE a.document_id = ?1 AND a.superseded_at IS NULL
                 ORDER BY a.target_lang",
            )?;
            let rows = st
                .query_map([doc_id], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, i64>(4)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for (aid, tlang, tpath, asv, tv) in rows {
                let current_source = asv == sv;
                let (states, extra) = if current_source {
                    self.pair_states(aid, tv, paragraphs.len())?
                } else {
                    (Vec::new(), Vec::new())
                };
                langs.push(LangDetail {
                    lang: tlang,
                    path: tpath,
                    current_source,
                    states,
                    extra,
                });
            }
            Ok(Some(DocDetail {
                id: name.to_string(),
                source: VersionInfo {
                    lang,
                    path,
                    paragraphs: n as usize,
                    imported,
                },
                paragraphs,
                langs,
            }))
        };
        q().map_err(|e| self.err(e))
    }

    /// Where each of `n` source paragraphs stands in an alignment with target version `tv`
    /// (its pair's target, score and flags), and the target paragraphs paired with no source.
    fn pair_states(
        &self,
        aid: i64,
        tv: i64,
        n: usize,
    ) -> rusqlite::Result<(Vec<Option<ParaState>>, Vec<ParaInfo>)> {
        let mut states = vec![None; n];
        let mut extra = Vec::new();
        let tparas = self.paragraphs(tv)?;
        let mut pst = self.conn.prepare_cached(
            "SELECT source, target, score, flags FROM pair
             WHERE alignment_id = ?1 ORDER BY seq",
        )?;
        let pairs = pst
            .query_map([aid], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<f64>>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (s, t, score, flags) in pairs {
            let s = split_indices(&s);
            let t = split_indices(&t);
            if s.is_empty() {
                extra.extend(t.iter().filter_map(|&j| tparas.get(j).cloned()));
                continue;
            }
            for &i in &s {
                if let Some(slot) = states.get_mut(i) {
                    *slot = Some(ParaState {
                        target: t.clone(),
                        score,
                        flags: flags_of(flags),
                    });
                }
            }
        }
        Ok((states, extra))
    }

    fn paragraphs(&self, version: i64) -> rusqlite::Result<Vec<ParaInfo>> {
        let mut st = self.conn.prepare_cached(
            "SELECT p.idx, p.line, p.label, t.body FROM paragraph p JOIN text t ON t.id = p.text_id
             WHERE p.version_id = ?1 ORDER BY p.idx",
        )?;
        let rows = st.query_map([version], |r| {
            Ok(ParaInfo {
                index: r.get::<_, i64>(0)? as usize,
                line: r.get::<_, i64>(1)? as usize,
                label: r.get(2)?,
                text: r.get(3)?,
            })
        })?;
        rows.collect()
    }

    /// The names of the documents the memory knows, sorted.
    pub fn document_names(&self) -> Result<Vec<String>> {
        let q = || -> rusqlite::Result<Vec<String>> {
            let mut st = self
                .conn
                .prepare_cached("SELECT name FROM document ORDER BY name")?;
            let rows = st.query_map([], |r| r.get(0))?;
            rows.collect()
        };
        q().map_err(|e| self.err(e))
    }

    /// The language pairs the segments hold, (source, target), sorted (read through the
    /// segments' unique index).
    pub fn language_pairs(&self) -> Result<Vec<(String, String)>> {
        let q = || -> rusqlite::Result<Vec<(String, String)>> {
            let mut st = self.conn.prepare_cached(
                "SELECT DISTINCT source_lang, target_lang FROM segment ORDER BY 1, 2",
            )?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        };
        q().map_err(|e| self.err(e))
    }

    /// Segments matching a filter, in the order stored, with the number matching in all.
    pub fn segments(&self, f: &SegmentFilter) -> Result<SegmentPage> {
        let mut args: Vec<Value> = Vec::new();
        let clauses = segment_clauses(f, &mut args);
        let from = "FROM segment s JOIN document d ON d.id = s.document_id
             JOIN text st ON st.id = s.source_text_id JOIN text tt ON tt.id = s.target_text_id";
        let wh = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        let q = || -> rusqlite::Result<SegmentPage> {
            let total: i64 = self
                .conn
                .prepare_cached(&format!("SELECT count(*) {from} {wh}"))?
                .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
            let limit = f.limit.map(|l| l as i64).unwrap_or(-1);
            let mut st = self.conn.prepare_cached(&format!(
                "SELECT s.id, s.source_lang, s.target_lang, d.name, s.label, st.body, tt.body,
                    s.score, s.flags, s.source_hash, s.origin, s.created_at, s.changed_at
                 {from} {wh} ORDER BY s.id LIMIT {limit}"
            ))?;
            let rows = st.query_map(params_from_iter(args.iter()), |r| {
                let source: String = r.get(5)?;
                let hash: i64 = r.get(9)?;
                let flags: i64 = r.get(8)?;
                Ok(Segment {
                    id: r.get(0)?,
                    source_lang: r.get(1)?,
                    target_lang: r.get(2)?,
                    document: r.get(3)?,
                    label: r.get(4)?,
                    outdated: flags & flag_bit(Flag::Outdated) != 0,
                    source,
                    target: r.get(6)?,
                    score: r.get(7)?,
                    flags: flags_of(flags),
                    source_hash: hash_hex(hash),
                    origin: r.get(10)?,
                    created: r.get(11)?,
                    changed: r.get(12)?,
                })
            })?;
            Ok(SegmentPage {
                segments: rows.collect::<rusqlite::Result<_>>()?,
                total: total as usize,
            })
        };
        q().map_err(|e| self.err(e))
    }

    /// Sizes of the memory: (documents, versions, segments, texts, bytes of text).
    pub fn sizes(&self) -> Result<(usize, usize, usize, usize, usize)> {
        let q = || -> rusqlite::Result<(usize, usize, usize, usize, usize)> {
            let one = |sql: &str| -> rusqlite::Result<i64> {
                self.conn
                    .prepare_cached(sql)?
                    .query_row(params![], |r| r.get(0))
            };
            Ok((
                one("SELECT count(*) FROM document")? as usize,
                one("SELECT count(*) FROM version")? as usize,
                one("SELECT count(*) FROM segment")? as usize,
                one("SELECT count(*) FROM text")? as usize,
                one("SELECT coalesce(sum(length(CAST(body AS BLOB))), 0) FROM text")? as usize,
            ))
        };
        q().map_err(|e| self.err(e))
    }
}
