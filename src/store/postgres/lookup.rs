//! Reuse queries on the PostgreSQL memory: the candidates of a fuzzy lookup and the memory's
//! glossary. Exact matches come from the index on the normalised source hash, as on SQLite.
//! Fuzzy ones as on SQLite too: the query's rarest trigrams (by `lookup_stats`, the exact
//! counts of the index; one from each stretch of the text, then the rarest of the rest,
//! [`pick_trigrams`]) are looked up in the memory's own posting lists (`postings.rs`, which
//! holds the same trigrams as SQLite's FTS5 index), within the length window, and the texts
//! holding the most of them are read. A common trigram would read a long posting list, a rare
//! one a short one. The candidates are ranked by the same [`crate::reuse::rank`] as on SQLite,
//! so a match's percentage is the same on both. As on SQLite, the index takes the texts
//! written since its last update when a lookup asks for it ([`PgStore::update_lookup_index`]).
//! Nothing here prints.

use std::collections::HashMap;

use postgres::{Client, Statement};

use super::postings::{
    best_texts, gram_code, index_pending, refresh_stats, stats_lag, word_code, INDEX_LOCK, POSTINGS,
};
use super::{lang_match, PgStore, Statements};
use crate::align::{Concept, Flag, TermBase};
use crate::document::normalize;
use crate::error::Result;
use crate::language::LangTag;
use crate::reuse::{Candidate, Match, Prepared};
use crate::store::lookup::{MatchSource, COUNTED_WORDS, MIN_WORDS, SEARCH_WORDS};
use crate::store::postings::{words, COMMON_WORD};
use crate::store::{flag_bit, hash64, pick_trigrams, trigrams, CandidateQuery, SEARCH_TRIGRAMS};

use super::Pg;

/// At most this many of a query's trigrams have their counts read (spread over the text).
const COUNTED_TRIGRAMS: usize = 96;

/// Segments that cannot serve as a translation (untranslated or outdated).
fn unusable() -> i64 {
    flag_bit(Flag::Untranslated) | flag_bit(Flag::Outdated)
}

/// Whether a stored tag is the asked language or one of its variants (es matches es-419).
fn lang_is(stored: &str, asked: &str) -> bool {
    stored.eq_ignore_ascii_case(asked)
        || (stored.len() > asked.len()
            && stored.is_char_boundary(asked.len())
            && stored[..asked.len()].eq_ignore_ascii_case(asked)
            && stored.as_bytes()[asked.len()] == b'-')
}

/// The paragraph and sentence segments of the source texts $1 into the target languages $3
/// (and one source language, $4, when the query names one), leaving out those flagged as in
/// $2: for each text in turn, for each language in turn, by level and id (as one query per
/// text and language would give them, in one round trip).
fn candidate_sql(q: &CandidateQuery) -> String {
    let lang = |col: &str| format!("(lower({col}) = lower(l.tl) OR {col} LIKE l.tl || '-%')");
    let from = "unnest($1::bigint[]) WITH ORDINALITY q(id, o)
            CROSS JOIN unnest($3::text[]) WITH ORDINALITY l(tl, o)";
    let mut para = format!(
        "SELECT s.id, 'paragraph', s.source_lang, s.target_lang, st.body, tt.body, d.name,
            s.label, s.changed_at, s.flags, q.o, l.o
         FROM {from} JOIN segment s ON s.source_text_id = q.id
            JOIN text st ON st.id = s.source_text_id
            JOIN text tt ON tt.id = s.target_text_id JOIN document d ON d.id = s.document_id
         WHERE (s.flags & $2) = 0 AND {}",
        lang("s.target_lang")
    );
    let mut sent = format!(
        "SELECT x.id, 'sentence', x.source_lang, x.target_lang, st.body, tt.body, d.name,
            s.label, s.changed_at, s.flags, q.o, l.o
         FROM {from} JOIN sentence_segment x ON x.source_text_id = q.id
            JOIN segment s ON s.id = x.segment_id
            JOIN text st ON st.id = x.source_text_id
            JOIN text tt ON tt.id = x.target_text_id JOIN document d ON d.id = s.document_id
         WHERE (s.flags & $2) = 0 AND {}",
        lang("x.target_lang")
    );
    if q.source_lang.is_some() {
        para.push_str(" AND ");
        para.push_str(&lang_match("s.source_lang", 4));
        sent.push_str(" AND ");
        sent.push_str(&lang_match("x.source_lang", 4));
    }
    format!("{para} UNION ALL {sent} ORDER BY 11, 12, 2, 1")
}

fn fetch_candidates(
    c: &mut Client,
    st: &Statement,
    q: &CandidateQuery,
    ids: &[i64],
    out: &mut Vec<Candidate>,
) -> Pg<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let rows = match q.source_lang {
        Some(sl) => c.query(st, &[&ids, &unusable(), &q.target_langs, &sl])?,
        None => c.query(st, &[&ids, &unusable(), &q.target_langs])?,
    };
    out.extend(rows.iter().map(|r| Candidate {
        id: r.get(0),
        level: r.get(1),
        source_lang: r.get(2),
        target_lang: r.get(3),
        source: r.get(4),
        target: r.get(5),
        document: r.get(6),
        label: r.get(7),
        changed: r.get(8),
        flags: r.get(9),
    }));
    Ok(())
}

/// A statement prepared once per connection.
fn prepared(c: &mut Client, cache: &mut Statements, sql: &str) -> Pg<Statement> {
    if let Some(st) = cache.get(sql) {
        return Ok(st.clone());
    }
    let st = c.prepare(sql)?;
    cache.insert(sql.to_string(), st.clone());
    Ok(st)
}

fn candidates(c: &mut Client, cache: &mut Statements, q: &CandidateQuery) -> Pg<Vec<Candidate>> {
    let norm = normalize(q.text);
    let exact = prepared(
        c,
        cache,
        "SELECT source_text_id FROM segment WHERE source_hash = $1
         UNION SELECT source_text_id FROM sentence_segment WHERE source_hash = $1
         ORDER BY 1",
    )?;
    let mut texts: Vec<i64> = c
        .query(&exact, &[&hash64(&norm)])?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let st = prepared(c, cache, &candidate_sql(q))?;
    let mut out = Vec::new();
    fetch_candidates(c, &st, q, &texts, &mut out)?;
    let covered = q
        .target_langs
        .iter()
        .all(|tl| out.iter().any(|c| lang_is(&c.target_lang, tl)));
    if q.stop_at_exact && covered {
        return Ok(out);
    }
    let exact = texts.len();
    for (id, _) in fuzzy_texts(c, cache, q, &norm)?.into_iter().take(q.limit) {
        if !texts.contains(&id) {
            texts.push(id);
        }
    }
    fetch_candidates(c, &st, q, &texts[exact..], &mut out)?;
    Ok(out)
}

/// The source texts within the window that share the most of the query's rarest words, with
/// how many, most first (then by id); when the words cannot serve the query (fewer than
/// [`MIN_WORDS`] of them indexed and not common, or fewer texts found than asked), those
/// holding the most of its picked trigrams: SQLite's rule (`store/lookup.rs`), on the posting
/// lists of both kept in `lookup_posting`.
fn fuzzy_texts(
    c: &mut Client,
    cache: &mut Statements,
    q: &CandidateQuery,
    norm: &str,
) -> Pg<Vec<(i64, u32)>> {
    if let Some(ranked) = word_texts(c, cache, q, norm)? {
        if ranked.len() >= q.limit {
            return Ok(ranked);
        }
    }
    let all = trigrams(norm);
    let step = all.len().div_ceil(COUNTED_TRIGRAMS).max(1);
    let grams: Vec<String> = all.into_iter().step_by(step).collect();
    let mut unique = grams.clone();
    unique.sort();
    unique.dedup();
    // The counts of the query's trigrams, those of the memory's size when they were taken
    // (the empty term) and the memory's size now (no term).
    let st = prepared(
        c,
        cache,
        "SELECT term, docs FROM lookup_stats WHERE term = ANY($1) OR term = ''
         UNION ALL SELECT NULL, coalesce(max(id), 0) FROM text",
    )?;
    let mut counts: HashMap<String, i64> = HashMap::new();
    let (mut at, mut now): (i64, i64) = (0, 0);
    for r in c.query(&st, &[&unique])? {
        match r.get::<_, Option<String>>(0) {
            None => now = r.get(1),
            Some(t) if t.is_empty() => at = r.get(1),
            Some(t) => {
                counts.insert(t, r.get(1));
            }
        }
    }
    let fresh = at > 0 && at * 10 >= now * 9;
    let picked = pick_trigrams(
        &grams,
        &mut |g| counts.get(g).copied(),
        fresh,
        SEARCH_TRIGRAMS,
    );
    let codes: Vec<i64> = picked.iter().filter_map(|g| gram_code(g)).collect();
    let st = prepared(c, cache, POSTINGS)?;
    best_texts(c, &st, &codes, q.window, q.limit)
}

impl PgStore {
    /// Whether source texts wait to be indexed, or the trigram counts lag the memory by more
    /// than a tenth.
    pub fn lookup_index_stale(&self) -> Result<bool> {
        let mut c = self.client();
        let run = |c: &mut postgres::Client| -> Pg<bool> {
            let pending: bool = c
                .query_one("SELECT EXISTS (SELECT 1 FROM lookup_pending)", &[])?
                .get(0);
            Ok(pending || stats_lag(c)?)
        };
        run(&mut c).map_err(|e| self.err(e))
    }

    /// Index the source texts written since the last update (and count the trigrams again
    /// when the counts lag by a tenth); how many texts were indexed.
    pub fn update_lookup_index(&mut self) -> Result<usize> {
        index_pending(&mut self.client()).map_err(|e| self.err(e))
    }

    /// Count the trigrams of the source texts again (after a bulk load).
    pub fn refresh_lookup_stats(&mut self) -> Result<()> {
        let mut c = self.client();
        let run = |c: &mut postgres::Client| -> Pg<()> {
            let mut tx = c.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&INDEX_LOCK])?;
            refresh_stats(&mut tx)?;
            tx.commit()
        };
        run(&mut c).map_err(|e| self.err(e))
    }

    /// Stored segments that may match a query (see [`crate::store::Store::candidates`]).
    pub fn candidates(&self, q: &CandidateQuery) -> Result<Vec<Candidate>> {
        let mut cache = self.statements.lock().unwrap_or_else(|p| p.into_inner());
        candidates(&mut self.client(), &mut cache, q).map_err(|e| self.err(e))
    }

    /// Every concept of the memory's glossary.
    pub fn term_base(&self) -> Result<TermBase> {
        let rows = self
            .client()
            .query(
                "SELECT concept_id, lang, term FROM glossary_term ORDER BY concept_id, seq",
                &[],
            )
            .map_err(|e| self.err(e))?;
        let mut concepts: Vec<Concept> = Vec::new();
        let mut last = None;
        for r in &rows {
            let id: i64 = r.get(0);
            let Ok(lang) = LangTag::parse(r.get::<_, &str>(1)) else {
                continue;
            };
            if last != Some(id) {
                concepts.push(Concept::default());
                last = Some(id);
            }
            if let Some(c) = concepts.last_mut() {
                c.terms.push((lang, r.get(2)));
            }
        }
        Ok(TermBase::new(concepts))
    }
}

/// Blocks of a word read to count its texts, at most, before it is known to be common.
const COUNTED_BLOCKS: i64 = 64;

/// How many texts hold each of the words `codes` (none when none does): exact up to
/// [`COMMON_WORD`], above it only more than that. A common word's list is thousands of blocks
/// in a large memory, and summing them all took most of a lookup's time: its first
/// [`COUNTED_BLOCKS`] blocks tell it apart, and only a word with more blocks than that but
/// fewer texts than [`COMMON_WORD`] (small blocks, from many updates) is counted in full.
fn word_counts(c: &mut Client, cache: &mut Statements, codes: &[i64]) -> Pg<HashMap<i64, i64>> {
    let st = prepared(
        c,
        cache,
        "SELECT w.gram, x.blocks, x.texts FROM unnest($1::bigint[]) w(gram)
         CROSS JOIN LATERAL (SELECT count(*) AS blocks, coalesce(sum(n), 0)::bigint AS texts
            FROM (SELECT n FROM lookup_posting p WHERE p.gram = w.gram LIMIT $2) b) x",
    )?;
    let mut counts = HashMap::new();
    let mut again = Vec::new();
    for r in c.query(&st, &[&codes, &COUNTED_BLOCKS])? {
        let (gram, blocks, texts): (i64, i64, i64) = (r.get(0), r.get(1), r.get(2));
        if blocks >= COUNTED_BLOCKS && texts <= COMMON_WORD {
            again.push(gram);
        } else if texts > 0 {
            counts.insert(gram, texts);
        }
    }
    if !again.is_empty() {
        let st = prepared(
            c,
            cache,
            "SELECT gram, sum(n)::bigint FROM lookup_posting WHERE gram = ANY($1) GROUP BY gram",
        )?;
        for r in c.query(&st, &[&again])? {
            counts.insert(r.get(0), r.get(1));
        }
    }
    Ok(counts)
}

/// [`fuzzy_texts`] by the query's rarest words (picked as trigrams are, by their exact counts:
/// a word in more than [`COMMON_WORD`] texts is not searched, as SQLite keeps no list for it);
/// None when fewer than [`MIN_WORDS`] can be searched.
fn word_texts(
    c: &mut Client,
    cache: &mut Statements,
    q: &CandidateQuery,
    norm: &str,
) -> Pg<Option<Vec<(i64, u32)>>> {
    let all = words(norm);
    let step = all.len().div_ceil(COUNTED_WORDS).max(1);
    let picked_from: Vec<String> = all.into_iter().step_by(step).collect();
    let mut codes: Vec<i64> = picked_from.iter().map(|w| word_code(w)).collect();
    codes.sort_unstable();
    codes.dedup();
    let counts = word_counts(c, cache, &codes)?;
    let mut count = |w: &str| {
        counts
            .get(&word_code(w))
            .copied()
            .filter(|&n| n > 0 && n <= COMMON_WORD)
    };
    let picked = pick_trigrams(&picked_from, &mut count, true, SEARCH_WORDS);
    if picked.len() < MIN_WORDS {
        return Ok(None);
    }
    let codes: Vec<i64> = picked.iter().map(|w| word_code(w)).collect();
    let st = prepared(c, cache, POSTINGS)?;
    Ok(Some(best_texts(c, &st, &codes, q.window, q.limit)?))
}

impl MatchSource for PgStore {
    /// The best matches of a prepared query, as on SQLite (the same window, the same ranking).
    fn best_matches(
        &self,
        query: &Prepared,
        source_lang: Option<&str>,
        target_langs: &[String],
        min: u8,
        limit: usize,
    ) -> Result<Vec<Vec<Match>>> {
        crate::store::lookup::best_of(query, source_lang, target_langs, min, limit, |q| {
            self.candidates(q)
        })
    }
}
