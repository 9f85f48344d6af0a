//! Reuse queries: the candidates for a fuzzy lookup, found through the trigram index
//! (`lookup_index`, migration 0002) within a length window, and the sentence segments stored
//! beside a clean paragraph segment at import (`sentence_segment`).
//!
//! Retrieval never scans the segments: exact matches come from the index on the normalised
//! source hash, fuzzy ones from a full-text query (the query's longest words, each a substring
//! of trigrams, any of them) restricted to a rowid range, which encodes the stored text's length
//! in characters, ranked by bm25; only those few are read. Scoring is not done here
//! (`crate::reuse` does it). Nothing here prints.

use rusqlite::{params, OptionalExtension, Transaction};

use super::{flag_bit, hash64, Store};
use crate::align::Flag;
use crate::document::normalize;
use crate::error::Result;
use crate::reuse::{align_sentences, Candidate};

/// What to look for.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateQuery<'a> {
    /// The query text (any white space; it is normalised here).
    pub text: &'a str,
    /// Search words, most telling first (at most `words` of them are used).
    pub words: &'a [String],
    /// The source language (a tag; `en` matches `en-GB`), or any.
    pub source_lang: Option<&'a str>,
    /// The target languages (likewise); candidates in any of them are returned.
    pub target_langs: &'a [String],
    /// Stored source lengths (characters, as stored) worth reading, inclusive.
    pub window: (usize, usize),
    /// How many index hits to read.
    pub limit: usize,
}

/// How many of the query's words go into the full-text query.
pub const SEARCH_WORDS: usize = 8;

/// Segments that cannot serve as a translation: the target is the source text (untranslated),
/// or was made from another source text (outdated).
fn unusable() -> i64 {
    flag_bit(Flag::Untranslated) | flag_bit(Flag::Outdated)
}

/// The full-text query: any of the words, each quoted (a substring match on trigrams). Words
/// shorter than three characters cannot be searched by trigrams; long runs without spaces (as
/// in Chinese or Japanese) are cut into pieces of six characters.
pub fn match_expression(words: &[String], max: usize) -> Option<String> {
    let mut terms: Vec<String> = Vec::new();
    for w in words {
        let chars: Vec<char> = w.chars().collect();
        if chars.len() < 3 {
            continue;
        }
        let pieces: Vec<String> = if chars.len() > 12 {
            chars
                .chunks(6)
                .filter(|c| c.len() >= 3)
                .map(|c| c.iter().collect())
                .collect()
        } else {
            vec![w.clone()]
        };
        for p in pieces {
            let q = format!("\"{}\"", p.replace('"', "\"\""));
            if !terms.contains(&q) {
                terms.push(q);
            }
            if terms.len() >= max {
                break;
            }
        }
        if terms.len() >= max {
            break;
        }
    }
    (!terms.is_empty()).then(|| terms.join(" OR "))
}

fn lang_match(column: &str, n: usize) -> String {
    format!("({column} = ?{n} COLLATE NOCASE OR {column} LIKE ?{n} || '-%')")
}

impl Store {
    /// Stored segments that may match a query: those with the same normalised source text, then
    /// those whose source text the index ranks best among texts sharing its words within the
    /// length window. Segments flagged untranslated or outdated are left out. Unscored.
    pub fn candidates(&self, q: &CandidateQuery) -> Result<Vec<Candidate>> {
        let run = || -> rusqlite::Result<Vec<Candidate>> {
            let mut texts: Vec<i64> = Vec::new();
            let norm = normalize(q.text);
            let mut st = self.conn.prepare_cached(
                "SELECT source_text_id FROM segment WHERE source_hash = ?1
                 UNION SELECT source_text_id FROM sentence_segment WHERE source_hash = ?1",
            )?;
            for id in st.query_map([hash64(&norm)], |r| r.get::<_, i64>(0))? {
                texts.push(id?);
            }
            if let Some(expr) = match_expression(q.words, SEARCH_WORDS) {
                let lo = (q.window.0.min(i32::MAX as usize) as i64) << 32;
                let hi = ((q.window.1.min(i32::MAX as usize) as i64) << 32) | 0xFFFF_FFFF;
                let mut st = self.conn.prepare_cached(
                    "SELECT rowid FROM lookup_index WHERE lookup_index MATCH ?1
                     AND rowid BETWEEN ?2 AND ?3 ORDER BY rank LIMIT ?4",
                )?;
                let rows = st.query_map(params![expr, lo, hi, q.limit as i64], |r| {
                    r.get::<_, i64>(0)
                })?;
                for row in rows {
                    let id = row? & 0xFFFF_FFFF;
                    if !texts.contains(&id) {
                        texts.push(id);
                    }
                }
            }
            let mut para = format!(
                "SELECT s.id, 'paragraph', s.source_lang, s.target_lang, st.body, tt.body, d.name,
                    s.label, s.changed_at, s.flags
                 FROM segment s JOIN text st ON st.id = s.source_text_id
                    JOIN text tt ON tt.id = s.target_text_id JOIN document d ON d.id = s.document_id
                 WHERE s.source_text_id = ?1 AND (s.flags & ?2) = 0 AND {}",
                lang_match("s.target_lang", 3)
            );
            let mut sent = format!(
                "SELECT x.id, 'sentence', x.source_lang, x.target_lang, st.body, tt.body, d.name,
                    s.label, s.changed_at, s.flags
                 FROM sentence_segment x JOIN segment s ON s.id = x.segment_id
                    JOIN text st ON st.id = x.source_text_id
                    JOIN text tt ON tt.id = x.target_text_id JOIN document d ON d.id = s.document_id
                 WHERE x.source_text_id = ?1 AND (s.flags & ?2) = 0 AND {}",
                lang_match("x.target_lang", 3)
            );
            if q.source_lang.is_some() {
                para.push_str(" AND ");
                para.push_str(&lang_match("s.source_lang", 4));
                sent.push_str(" AND ");
                sent.push_str(&lang_match("x.source_lang", 4));
            }
            let sql = format!("{para} UNION ALL {sent} ORDER BY 2, 1");
            let mut st = self.conn.prepare_cached(&sql)?;
            let mut out = Vec::new();
            for id in texts {
                let map = |r: &rusqlite::Row| {
                    Ok(Candidate {
                        id: r.get(0)?,
                        level: r.get(1)?,
                        source_lang: r.get(2)?,
                        target_lang: r.get(3)?,
                        source: r.get(4)?,
                        target: r.get(5)?,
                        document: r.get(6)?,
                        label: r.get(7)?,
                        changed: r.get(8)?,
                        flags: r.get(9)?,
                    })
                };
                for tl in q.target_langs {
                    let rows = match q.source_lang {
                        Some(sl) => st.query_map(params![id, unusable(), tl, sl], map)?,
                        None => st.query_map(params![id, unusable(), tl], map)?,
                    };
                    for c in rows {
                        out.push(c?);
                    }
                }
            }
            Ok(out)
        };
        run().map_err(|e| self.err(e))
    }

    /// Segments by level: (paragraph segments, sentence segments).
    pub fn segment_levels(&self) -> Result<(usize, usize)> {
        let run = || -> rusqlite::Result<(usize, usize)> {
            self.conn
                .prepare_cached(
                    "SELECT (SELECT count(*) FROM segment), (SELECT count(*) FROM sentence_segment)",
                )?
                .query_row([], |r| Ok((r.get::<_, i64>(0)? as usize, r.get::<_, i64>(1)? as usize)))
        };
        run().map_err(|e| self.err(e))
    }
}

/// The id of a text, stored once (as the import stores texts).
fn text_id(tx: &Transaction, body: &str) -> rusqlite::Result<i64> {
    let h = hash64(body);
    let found = tx
        .prepare_cached("SELECT id FROM text WHERE hash = ?1 AND body = ?2")?
        .query_row(params![h, body], |r| r.get(0))
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    tx.prepare_cached("INSERT INTO text (hash, body) VALUES (?1, ?2)")?
        .execute(params![h, body])?;
    Ok(tx.last_insert_rowid())
}

/// A paragraph segment as read back: id, source text, target text, flags.
type ParagraphSegment = (i64, String, String, i64);

/// Store the sentence pairs of a paragraph segment beside it (`sentence_segment`), when the
/// segment is clean (no flag) and its sentences align cleanly (`crate::reuse::align_sentences`).
/// Sentence pairs already stored for it are left as they are. Called by the import for every
/// paragraph segment it writes; returns how many sentence segments were added.
pub(super) fn add_sentences(
    tx: &Transaction,
    source_lang: &str,
    target_lang: &str,
    source_text: i64,
    target_text: i64,
) -> rusqlite::Result<usize> {
    let row: Option<ParagraphSegment> = tx
        .prepare_cached(
            "SELECT s.id, st.body, tt.body, s.flags
             FROM segment s JOIN text st ON st.id = s.source_text_id
                JOIN text tt ON tt.id = s.target_text_id
             WHERE s.source_lang = ?1 AND s.target_lang = ?2 AND s.source_text_id = ?3
                AND s.target_text_id = ?4",
        )?
        .query_row(
            params![source_lang, target_lang, source_text, target_text],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((segment, source, target, flags)) = row else {
        return Ok(0);
    };
    if flags != 0 {
        return Ok(0);
    }
    let done: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM sentence_segment WHERE segment_id = ?1)")?
        .query_row([segment], |r| r.get(0))?;
    if done {
        return Ok(0);
    }
    let Some(pairs) = align_sentences(&source, &target) else {
        return Ok(0);
    };
    for (seq, p) in pairs.iter().enumerate() {
        let st = text_id(tx, &p.source)?;
        let tt = text_id(tx, &p.target)?;
        tx.prepare_cached(
            "INSERT INTO sentence_segment (segment_id, seq, source_lang, target_lang,
                source_text_id, target_text_id, source_hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            segment,
            seq as i64,
            source_lang,
            target_lang,
            st,
            tt,
            hash64(&normalize(&p.source))
        ])?;
    }
    Ok(pairs.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_expression_quotes_and_cuts() {
        let w: Vec<String> = [
            "protests",
            "a\"b\"c",
            "of",
            "東京都庁舎の展望室から見た景色",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            match_expression(&w, 8).unwrap(),
            "\"protests\" OR \"a\"\"b\"\"c\" OR \"東京都庁舎の\" OR \"展望室から見\" OR \"た景色\""
        );
        assert_eq!(match_expression(&w[2..3], 8), None);
        assert_eq!(match_expression(&w, 1).unwrap(), "\"protests\"");
    }
}
