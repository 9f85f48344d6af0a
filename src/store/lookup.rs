//! Reuse queries: the candidates for a fuzzy lookup, found through the trigram index
//! (`lookup_index`, migration 0002) within a length window, over the paragraph segments and the
//! sentence segments stored beside them at import (`sentence_segment`, written by `texts.rs`).
//!
//! Retrieval never scans the segments. Exact matches come from the index on the normalised
//! source hash. Fuzzy ones come from the full-text index: the query's rarest trigrams (by the
//! counts in `lookup_stats`, one from each stretch of the text so that a local change cannot
//! hide them all, then the rarest of the rest) are looked up one by one, each restricted to a
//! rowid range that encodes the stored text's length, and the texts holding the most of them
//! are read. A common trigram would make the index read a long posting list, a rare one reads a
//! short one. Scoring is not done here (`crate::reuse` does it). Nothing here prints.

use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};

use super::postings::{self, top_texts};
use super::{flag_bit, hash64, SqliteStore};
use crate::align::Flag;
use crate::document::normalize;
use crate::error::Result;
use crate::reuse::{length_window, rank, Candidate, Match, Prepared};

/// What to look for.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateQuery<'a> {
    /// The query text (any white space; it is normalised here).
    pub text: &'a str,
    /// The source language (a tag; `en` matches `en-GB`), or any.
    pub source_lang: Option<&'a str>,
    /// The target languages (likewise); candidates in any of them are returned.
    pub target_langs: &'a [String],
    /// Stored source lengths (characters, as stored) worth reading, inclusive.
    pub window: (usize, usize),
    /// How many index hits to read.
    pub limit: usize,
    /// Skip the fuzzy search when every target language has a segment with the same
    /// normalised source text (for callers that want the best match only).
    pub stop_at_exact: bool,
}

/// The source texts of the segments and sentence segments stored after segment ?1 and sentence
/// segment ?2 that none stored up to them has (each text once): their `lookup_index` rowid and
/// body.
const NEW_TEXTS: &str = "SELECT (length(t.body) << 32) | t.id, t.body FROM text t
     WHERE t.id IN (SELECT source_text_id FROM segment WHERE id > ?1
                    UNION SELECT source_text_id FROM sentence_segment WHERE id > ?2)
       AND NOT EXISTS (SELECT 1 FROM segment s WHERE s.source_text_id = t.id AND s.id <= ?1)
       AND NOT EXISTS (SELECT 1 FROM sentence_segment s
                       WHERE s.source_text_id = t.id AND s.id <= ?2)";

/// At most this many of a query's trigrams have their counts read (spread over the text).
const COUNTED_TRIGRAMS: usize = 96;

/// How many of the query's trigrams go into the full-text query.
pub const SEARCH_TRIGRAMS: usize = 12;

/// How many index hits are read and scored per query.
pub const CANDIDATES: usize = 16;

/// At most this many of a query's words have their counts read (spread over the text).
pub(super) const COUNTED_WORDS: usize = 48;

/// How many of the query's words go into the word search: one from each of three stretches,
/// then the rarest of the rest. Measured on the 1,000,000-segment benchmark memory: 6 words
/// read a median of about 900 hits (12 trigrams: about 39,000) and found the stored source of
/// every query with one word changed among the 16 best.
pub const SEARCH_WORDS: usize = 6;

/// The word search serves a query with at least this many of its words indexed and not
/// common; a query with fewer (a short text of common words, a script written without
/// spaces) is searched by its trigrams.
pub(super) const MIN_WORDS: usize = 3;

/// Segments that cannot serve as a translation: the target is the source text (untranslated),
/// or was made from another source text (outdated).
fn unusable() -> i64 {
    flag_bit(Flag::Untranslated) | flag_bit(Flag::Outdated)
}

/// The trigrams of a text as the index holds them (case folded), in order, with repeats.
pub fn trigrams(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    chars.windows(3).map(|w| w.iter().collect()).collect()
}

/// Pick the trigrams to search: the text cut into `max / 2` stretches, the rarest known
/// trigram of each, then the rarest of the others, up to `max`. `docs` gives a trigram's count
/// (None: not in the counts). Trigrams unknown to fresh counts are in no indexed text and are
/// skipped; with stale counts they are taken as rare.
pub fn pick_trigrams(
    grams: &[String],
    docs: &mut dyn FnMut(&str) -> Option<i64>,
    fresh: bool,
    max: usize,
) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut known: Vec<(usize, i64, &str)> = Vec::new();
    for (k, g) in grams.iter().enumerate() {
        if g.chars().all(char::is_whitespace) || !seen.insert(g.as_str()) {
            continue;
        }
        match docs(g) {
            Some(n) if n > 0 => known.push((k, n, g)),
            _ if !fresh => known.push((k, 0, g)),
            _ => {}
        }
    }
    let mut out: Vec<String> = Vec::new();
    let stretches = (max / 2).max(1);
    if !known.is_empty() {
        let len = grams.len().max(1);
        for s in 0..stretches {
            let (lo, hi) = (s * len / stretches, (s + 1) * len / stretches);
            if let Some(best) = known
                .iter()
                .filter(|(k, _, _)| (lo..hi).contains(k))
                .min_by_key(|(k, n, _)| (*n, *k))
            {
                if !out.iter().any(|o| o == best.2) {
                    out.push(best.2.to_string());
                }
            }
        }
    }
    known.sort_by_key(|(k, n, _)| (*n, *k));
    for (_, _, g) in known {
        if out.len() >= max {
            break;
        }
        if !out.iter().any(|o| o == g) {
            out.push(g.to_string());
        }
    }
    out
}

/// The full-text query: any of the trigrams, each quoted.
pub fn match_expression(grams: &[String]) -> Option<String> {
    let terms: Vec<String> = grams
        .iter()
        .map(|g| format!("\"{}\"", g.replace('"', "\"\"")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" OR "))
}

fn lang_match(column: &str, n: usize) -> String {
    format!("({column} = ?{n} COLLATE NOCASE OR {column} LIKE ?{n} || '-%')")
}

/// Whether a stored tag is the asked language or one of its variants (es matches es-419).
fn lang_is(stored: &str, asked: &str) -> bool {
    stored.eq_ignore_ascii_case(asked)
        || (stored.len() > asked.len()
            && stored.is_char_boundary(asked.len())
            && stored[..asked.len()].eq_ignore_ascii_case(asked)
            && stored.as_bytes()[asked.len()] == b'-')
}

/// The best matches of a prepared query at or above `min` percent, for each of the target
/// languages (in their order), at most `limit` each, from the candidates a store finds in the
/// length window that `min` allows (widened, since stores count characters as written), scored
/// exactly by [`crate::reuse::rank`]. Both stores answer through this, so that a query ranks
/// alike on SQLite and PostgreSQL.
pub(crate) fn best_of(
    query: &Prepared,
    source_lang: Option<&str>,
    target_langs: &[String],
    min: u8,
    limit: usize,
    candidates: impl FnOnce(&CandidateQuery) -> Result<Vec<Candidate>>,
) -> Result<Vec<Vec<Match>>> {
    let chars = query.norm().chars().count();
    let (lo, hi) = length_window(chars, min);
    let window = (
        (lo as f64 * 0.85) as usize,
        ((hi as f64 * 1.15) as usize).saturating_add(24),
    );
    let candidates = candidates(&CandidateQuery {
        text: query.norm(),
        source_lang,
        target_langs,
        window,
        limit: CANDIDATES,
        stop_at_exact: limit == 1,
    })?;
    Ok(target_langs
        .iter()
        .map(|tl| {
            let mine: Vec<Candidate> = candidates
                .iter()
                .filter(|c| lang_is(&c.target_lang, tl))
                .cloned()
                .collect();
            rank(query, mine, min, limit)
        })
        .collect())
}

/// The query reading the paragraph and sentence segments of one source text (?1) into one
/// target language (?3; and one source language, ?4, when the query names one), leaving out
/// those flagged as in ?2.
fn candidate_sql(q: &CandidateQuery) -> String {
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
    format!("{para} UNION ALL {sent} ORDER BY 2, 1")
}

/// The segments of the source texts `ids` into each of the query's target languages (in
/// their order), read with [`candidate_sql`]'s statement, onto `out`.
fn fetch_candidates(
    st: &mut rusqlite::CachedStatement,
    q: &CandidateQuery,
    ids: &[i64],
    out: &mut Vec<Candidate>,
) -> rusqlite::Result<()> {
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
    for &id in ids {
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
    Ok(())
}

impl SqliteStore {
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
            let mut seg_st = self.conn.prepare_cached(&candidate_sql(q))?;
            let mut out = Vec::new();
            fetch_candidates(&mut seg_st, q, &texts, &mut out)?;
            let covered = q
                .target_langs
                .iter()
                .all(|tl| out.iter().any(|c| lang_is(&c.target_lang, tl)));
            if q.stop_at_exact && covered {
                return Ok(out);
            }
            let exact = texts.len();
            for (id, _) in self.fuzzy_texts(q, &norm, q.limit)? {
                if !texts.contains(&id) {
                    texts.push(id);
                }
            }
            fetch_candidates(&mut seg_st, q, &texts[exact..], &mut out)?;
            Ok(out)
        };
        run().map_err(|e| self.err(e))
    }

    /// The `keep` source texts within the query's length window that share the most of the
    /// query's rarest words, with how many, most first (then by id); when the word index cannot
    /// serve the query (fewer than [`MIN_WORDS`] of its words indexed and not common, fewer than
    /// `keep` texts found, or the index behind), those sharing the most of its picked trigrams.
    fn fuzzy_texts(
        &self,
        q: &CandidateQuery,
        norm: &str,
        keep: usize,
    ) -> rusqlite::Result<Vec<(i64, u32)>> {
        // Each list's texts within the window (rowids: length and text id).
        let lo = (q.window.0.min(i32::MAX as usize) as i64) << 32;
        let hi = ((q.window.1.min(i32::MAX as usize) as i64) << 32) | 0xFFFF_FFFF;
        if let Some(rows) = self.word_hits(norm, (lo, hi))? {
            let ranked = top_texts(rows, keep);
            if ranked.len() >= keep {
                return Ok(ranked);
            }
        }
        let (fresh, mut counts) = self.trigram_counts()?;
        let all = trigrams(norm);
        let step = all.len().div_ceil(COUNTED_TRIGRAMS).max(1);
        let grams: Vec<String> = all.into_iter().step_by(step).collect();
        let picked = pick_trigrams(&grams, &mut counts, fresh, SEARCH_TRIGRAMS);
        let mut rows: Vec<i64> = Vec::new();
        let mut st = self.conn.prepare_cached(
            "SELECT rowid FROM lookup_index WHERE lookup_index MATCH ?1
             AND rowid BETWEEN ?2 AND ?3",
        )?;
        for g in &picked {
            let Some(expr) = match_expression(std::slice::from_ref(g)) else {
                continue;
            };
            for row in st.query_map(params![expr, lo, hi], |r| r.get::<_, i64>(0))? {
                rows.push(row?);
            }
        }
        Ok(top_texts(rows, keep))
    }

    /// The hits of the query's rarest words (picked as trigrams are: one from each stretch of
    /// the text, then the rarest of the rest) within the rowid window, one rowid per text and
    /// word; None when the word index cannot serve the query.
    fn word_hits(&self, norm: &str, window: (i64, i64)) -> rusqlite::Result<Option<Vec<i64>>> {
        if !postings::current(&self.conn)? {
            return Ok(None);
        }
        let all = postings::words(norm);
        let step = all.len().div_ceil(COUNTED_WORDS).max(1);
        let words: Vec<String> = all.into_iter().step_by(step).collect();
        let mut docs = std::collections::HashMap::new();
        for w in &words {
            if !docs.contains_key(w.as_str()) {
                docs.insert(w.as_str(), postings::docs(&self.conn, w)?);
            }
        }
        let mut count = |w: &str| docs.get(w).copied().flatten();
        let picked = pick_trigrams(&words, &mut count, true, SEARCH_WORDS);
        if picked.len() < MIN_WORDS {
            return Ok(None);
        }
        let mut rows = Vec::new();
        for w in &picked {
            postings::texts_holding(&self.conn, w, window, &mut rows)?;
        }
        Ok(Some(rows))
    }

    /// Whether the trigram counts are fresh (taken when the memory held at least nine tenths of
    /// the texts it holds now, by text id), and a lookup of one trigram's count.
    #[allow(clippy::type_complexity)]
    fn trigram_counts(&self) -> rusqlite::Result<(bool, impl FnMut(&str) -> Option<i64> + '_)> {
        let at: Option<i64> = self
            .conn
            .prepare_cached("SELECT docs FROM lookup_stats WHERE term = ''")?
            .query_row([], |r| r.get(0))
            .optional()?;
        let now: i64 = self
            .conn
            .prepare_cached("SELECT coalesce(max(id), 0) FROM text")?
            .query_row([], |r| r.get(0))?;
        let fresh = at.is_some_and(|a| a * 10 >= now * 9);
        let mut st = self
            .conn
            .prepare_cached("SELECT docs FROM lookup_stats WHERE term = ?1")
            .ok();
        let lookup = move |g: &str| -> Option<i64> {
            st.as_mut()?
                .query_row([g], |r| r.get(0))
                .optional()
                .ok()
                .flatten()
        };
        Ok((fresh, lookup))
    }

    /// Whether segments were stored since the lookup index was last brought up to date.
    pub fn lookup_index_stale(&self) -> Result<bool> {
        let run = || -> rusqlite::Result<bool> {
            self.conn
                .prepare_cached(
                    "SELECT (SELECT coalesce(max(id), 0) FROM segment)
                              > (SELECT min(value) FROM lookup_state
                                 WHERE key IN ('segment', 'word_segment'))
                         OR (SELECT coalesce(max(id), 0) FROM sentence_segment)
                              > (SELECT min(value) FROM lookup_state
                                 WHERE key IN ('sentence_segment', 'word_sentence_segment'))",
                )?
                .query_row([], |r| r.get(0))
        };
        run().map_err(|e| self.err(e))
    }

    /// Bring the lookup index up to date: index the source texts of the segments stored since
    /// the last update (each text once, in row-id order, in one transaction), then count the
    /// trigrams again if the index grew by a tenth. Imports leave this to the first lookup, so
    /// that a bulk load stays fast and small. Returns how many texts were added.
    pub fn update_lookup_index(&mut self) -> Result<usize> {
        let path = self.path.clone();
        let run = |tx: &Transaction| -> rusqlite::Result<usize> {
            let state = |key: &str| -> rusqlite::Result<i64> {
                tx.query_row(
                    "SELECT value FROM lookup_state WHERE key = ?1",
                    [key],
                    |r| r.get(0),
                )
            };
            let (segment, sentence) = (state("segment")?, state("sentence_segment")?);
            let added = tx.execute(
                &format!("INSERT INTO lookup_index (rowid, body) {NEW_TEXTS} ORDER BY 1"),
                params![segment, sentence],
            )?;
            tx.execute(
                "UPDATE lookup_state SET value = CASE key
                     WHEN 'segment' THEN (SELECT coalesce(max(id), 0) FROM segment)
                     ELSE (SELECT coalesce(max(id), 0) FROM sentence_segment) END
                 WHERE key IN ('segment', 'sentence_segment')",
                [],
            )?;
            refresh_stats_if_stale(tx)?;
            postings::update_words(tx, NEW_TEXTS)?;
            Ok(added)
        };
        // IMMEDIATE: the write lock is taken first (waiting on the busy handler), never by
        // upgrading a read, which fails at once when another process wrote in between.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| super::db_error(&path, e))?;
        let added = run(&tx).map_err(|e| super::db_error(&path, e))?;
        tx.commit().map_err(|e| super::db_error(&path, e))?;
        Ok(added)
    }

    /// Count again how many indexed texts hold each trigram (after a bulk load; the index
    /// update does it by itself when the index has grown by a tenth).
    pub fn refresh_lookup_stats(&mut self) -> Result<()> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| super::db_error(&path, e))?;
        refresh_stats(&tx).map_err(|e| super::db_error(&path, e))?;
        tx.commit().map_err(|e| super::db_error(&path, e))
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

/// What the reuse commands (`lookup`, `analyze`, `pretranslate`, `serve`) need of a translation
/// memory: the best matches of a query. [`crate::store::Store`] implements it, on SQLite (FTS5
/// trigrams) and PostgreSQL (`pg_trgm`) alike, and the commands run on either.
pub trait MatchSource {
    /// The best matches of a prepared query at or above `min` percent, for each of the target
    /// languages (in their order), at most `limit` each, ranked by [`crate::reuse::rank`].
    fn best_matches(
        &self,
        query: &Prepared,
        source_lang: Option<&str>,
        target_langs: &[String],
        min: u8,
        limit: usize,
    ) -> Result<Vec<Vec<Match>>>;
}

impl MatchSource for SqliteStore {
    /// The best matches of a prepared query at or above `min` percent, for each of the target
    /// languages (in their order), at most `limit` each: the candidates of
    /// [`SqliteStore::candidates`] in the length window that `min` allows (widened, since the store
    /// counts characters as written), scored exactly by [`crate::reuse::rank`].
    fn best_matches(
        &self,
        query: &Prepared,
        source_lang: Option<&str>,
        target_langs: &[String],
        min: u8,
        limit: usize,
    ) -> Result<Vec<Vec<Match>>> {
        best_of(query, source_lang, target_langs, min, limit, |q| {
            self.candidates(q)
        })
    }
}

/// Copy the trigram counts of the index into `lookup_stats` (with the highest text id, a
/// measure of the memory's size, under the empty term).
fn refresh_stats(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(
        "DELETE FROM lookup_stats;
         INSERT INTO lookup_stats (term, docs) SELECT term, doc FROM lookup_vocab;
         INSERT INTO lookup_stats (term, docs)
             VALUES ('', (SELECT coalesce(max(id), 0) FROM text));",
    )
}

/// Refresh the trigram counts when the index has grown by a tenth since they were taken.
/// Called by the index update before it commits.
fn refresh_stats_if_stale(tx: &Transaction) -> rusqlite::Result<()> {
    let at: i64 = tx
        .prepare_cached("SELECT coalesce((SELECT docs FROM lookup_stats WHERE term = ''), 0)")?
        .query_row([], |r| r.get(0))?;
    let now: i64 = tx
        .prepare_cached("SELECT coalesce(max(id), 0) FROM text")?
        .query_row([], |r| r.get(0))?;
    if at * 10 < now * 9 || (now > 0 && at == 0) {
        refresh_stats(tx)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_variants_match() {
        assert!(lang_is("es-419", "es"));
        assert!(lang_is("ES", "es"));
        assert!(!lang_is("est", "es"));
    }

    #[test]
    fn rare_trigrams_from_every_stretch() {
        let grams = trigrams("Abcdefgh");
        assert_eq!(grams, ["abc", "bcd", "cde", "def", "efg", "fgh"]);
        let mut count = |g: &str| -> Option<i64> {
            match g {
                "abc" => Some(50),
                "bcd" => Some(3),
                "cde" => Some(900),
                "def" => Some(10),
                "efg" => Some(7),
                _ => None,
            }
        };
        // Two stretches: the rarest of the first half (bcd), of the second (efg), then def.
        assert_eq!(
            pick_trigrams(&grams, &mut count, true, 4),
            ["bcd", "efg", "def", "abc"]
        );
        // Stale counts: the unknown fgh may be new, so it counts as rare.
        assert_eq!(pick_trigrams(&grams, &mut count, false, 2), ["fgh", "bcd"]);
        assert_eq!(
            pick_trigrams(&grams, &mut count, false, 3),
            ["fgh", "bcd", "efg"]
        );
        assert_eq!(
            match_expression(&["a\"b".to_string(), "xyz".to_string()]).unwrap(),
            "\"a\"\"b\" OR \"xyz\""
        );
        assert_eq!(match_expression(&[]), None);
    }
}
