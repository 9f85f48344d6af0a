//! Reuse queries on the PostgreSQL memory: the candidates of a fuzzy lookup and the memory's
//! glossary. Exact matches come from the index on the normalised source hash, as on SQLite.
//! Fuzzy ones as on SQLite too, through pg_trgm's GIN index on the source texts instead of
//! FTS5: the query's rarest trigrams of letters and digits (by `lookup_stats`, counted on a
//! sample of the source texts; one from each stretch of the text, then the rarest of the rest,
//! [`pick_trigrams`]) are looked up together (`body ILIKE '%abc%'` each, which the index
//! answers from the trigram's posting list), within the length window, and the texts holding
//! the most of them are read. A common trigram would read a long posting list, a rare one a
//! short one. The candidates are ranked by the same [`crate::reuse::rank`] as on SQLite, so a
//! match's percentage is the same on both. The index follows every write; only the counts are
//! brought up to date before a lookup when the memory has grown by a tenth. Nothing here prints.

use postgres::GenericClient;

use super::{lang_match, PgStore};
use crate::align::{Concept, Flag, TermBase};
use crate::document::normalize;
use crate::error::Result;
use crate::language::LangTag;
use crate::reuse::{Candidate, Match, Prepared};
use crate::store::{flag_bit, hash64, pick_trigrams, trigrams, CandidateQuery, SEARCH_TRIGRAMS};

type Pg<T> = std::result::Result<T, postgres::Error>;

/// At most this many of a query's trigrams have their counts read (spread over the text).
const COUNTED_TRIGRAMS: usize = 96;

/// About this many source texts are read to count the trigrams.
const SAMPLED_TEXTS: f64 = 200_000.0;

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

/// The paragraph and sentence segments of one source text ($1) into one target language ($3;
/// and one source language, $4, when the query names one), leaving out those flagged as in $2.
fn candidate_sql(q: &CandidateQuery) -> String {
    let mut para = format!(
        "SELECT s.id, 'paragraph', s.source_lang, s.target_lang, st.body, tt.body, d.name,
            s.label, s.changed_at, s.flags
         FROM segment s JOIN text st ON st.id = s.source_text_id
            JOIN text tt ON tt.id = s.target_text_id JOIN document d ON d.id = s.document_id
         WHERE s.source_text_id = $1 AND (s.flags & $2) = 0 AND {}",
        lang_match("s.target_lang", 3)
    );
    let mut sent = format!(
        "SELECT x.id, 'sentence', x.source_lang, x.target_lang, st.body, tt.body, d.name,
            s.label, s.changed_at, s.flags
         FROM sentence_segment x JOIN segment s ON s.id = x.segment_id
            JOIN text st ON st.id = x.source_text_id
            JOIN text tt ON tt.id = x.target_text_id JOIN document d ON d.id = s.document_id
         WHERE x.source_text_id = $1 AND (s.flags & $2) = 0 AND {}",
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

fn fetch_candidates(
    c: &mut impl GenericClient,
    st: &postgres::Statement,
    q: &CandidateQuery,
    ids: &[i64],
    out: &mut Vec<Candidate>,
) -> Pg<()> {
    for &id in ids {
        for tl in q.target_langs {
            let rows = match q.source_lang {
                Some(sl) => c.query(st, &[&id, &unusable(), tl, &sl])?,
                None => c.query(st, &[&id, &unusable(), tl])?,
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
        }
    }
    Ok(())
}

fn candidates(c: &mut impl GenericClient, q: &CandidateQuery) -> Pg<Vec<Candidate>> {
    let norm = normalize(q.text);
    let mut texts: Vec<i64> = c
        .query(
            "SELECT source_text_id FROM segment WHERE source_hash = $1
             UNION SELECT source_text_id FROM sentence_segment WHERE source_hash = $1
             ORDER BY 1",
            &[&hash64(&norm)],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let st = c.prepare(&candidate_sql(q))?;
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
    for (id, _) in fuzzy_texts(c, q, &norm)?.into_iter().take(q.limit) {
        if !texts.contains(&id) {
            texts.push(id);
        }
    }
    fetch_candidates(c, &st, q, &texts[exact..], &mut out)?;
    Ok(out)
}

/// The source texts within the window holding the most of the query's picked trigrams, with
/// how many, most first (then by id).
fn fuzzy_texts(c: &mut impl GenericClient, q: &CandidateQuery, norm: &str) -> Pg<Vec<(i64, i64)>> {
    let all: Vec<String> = trigrams(norm)
        .into_iter()
        .filter(|g| g.chars().all(char::is_alphanumeric))
        .collect();
    let step = all.len().div_ceil(COUNTED_TRIGRAMS).max(1);
    let grams: Vec<String> = all.into_iter().step_by(step).collect();
    let mut unique = grams.clone();
    unique.sort();
    unique.dedup();
    let counts: std::collections::HashMap<String, i64> = c
        .query(
            "SELECT term, docs FROM lookup_stats WHERE term = ANY($1)",
            &[&unique],
        )?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    // Counted on a sample: a trigram not in it is rare, not absent.
    let picked = pick_trigrams(
        &grams,
        &mut |g| counts.get(g).copied(),
        false,
        SEARCH_TRIGRAMS,
    );
    if picked.is_empty() {
        return Ok(Vec::new());
    }
    let patterns: Vec<String> = picked.iter().map(|g| format!("%{g}%")).collect();
    let hits: Vec<String> = (0..patterns.len())
        .map(|k| format!("(t.body ILIKE ${})::int", k + 4))
        .collect();
    let any: Vec<String> = (0..patterns.len())
        .map(|k| format!("t.body ILIKE ${}", k + 4))
        .collect();
    let sql = format!(
        "SELECT t.id, {} AS hits FROM text t
         WHERE t.is_source AND char_length(t.body) BETWEEN $1 AND $2 AND ({})
         ORDER BY hits DESC, t.id LIMIT $3",
        hits.join(" + "),
        any.join(" OR ")
    );
    let clamp = |n: usize| n.min(i32::MAX as usize) as i32;
    let (lo, hi, limit) = (clamp(q.window.0), clamp(q.window.1), q.limit as i64);
    let mut args: Vec<&(dyn postgres::types::ToSql + Sync)> = vec![&lo, &hi, &limit];
    for p in &patterns {
        args.push(p);
    }
    Ok(c.query(&sql, &args)?
        .iter()
        .map(|r| (r.get(0), i64::from(r.get::<_, i32>(1))))
        .collect())
}

/// Whether the trigram counts are older than a tenth of the texts.
fn stats_stale(c: &mut impl GenericClient) -> Pg<bool> {
    let r = c.query_one(
        "SELECT coalesce((SELECT docs FROM lookup_stats WHERE term = ''), 0),
            (SELECT coalesce(max(id), 0) FROM text)",
        &[],
    )?;
    let (at, now): (i64, i64) = (r.get(0), r.get(1));
    Ok(at * 10 < now * 9 || (now > 0 && at == 0))
}

/// Count the trigrams of the source texts again, on a sample of about [`SAMPLED_TEXTS`] of them.
fn refresh_stats(c: &mut postgres::Client) -> Pg<()> {
    let mut tx = c.transaction()?;
    let texts: i64 = tx
        .query_one("SELECT coalesce(max(id), 0) FROM text", &[])?
        .get(0);
    let percent = (100.0 * SAMPLED_TEXTS / (texts.max(1) as f64)).clamp(0.01, 100.0);
    let sample = if percent >= 100.0 {
        String::new()
    } else {
        format!("TABLESAMPLE SYSTEM ({percent})")
    };
    let scale = 100.0 / percent;
    tx.batch_execute(&format!(
        "DELETE FROM lookup_stats;
         INSERT INTO lookup_stats (term, docs)
            SELECT g, ceil(count(*) * {scale})::bigint
            FROM (SELECT unnest(show_trgm(body)) AS g FROM text {sample} WHERE is_source) x
            WHERE g !~ '\\s' GROUP BY g;
         INSERT INTO lookup_stats (term, docs) VALUES ('', {texts})"
    ))?;
    tx.commit()
}

impl PgStore {
    /// Whether the trigram counts lag the memory by more than a tenth.
    pub fn lookup_index_stale(&self) -> Result<bool> {
        stats_stale(&mut *self.client()).map_err(|e| self.err(e))
    }

    /// Count the trigrams again when they lag (the index itself follows every write); 0 texts
    /// added, as the index has them all.
    pub fn update_lookup_index(&mut self) -> Result<usize> {
        if self.lookup_index_stale()? {
            self.refresh_lookup_stats()?;
        }
        Ok(0)
    }

    /// Count the trigrams of the source texts again (after a bulk load).
    pub fn refresh_lookup_stats(&mut self) -> Result<()> {
        refresh_stats(&mut self.client()).map_err(|e| self.err(e))
    }

    /// Stored segments that may match a query (see [`crate::store::Store::candidates`]).
    pub fn candidates(&self, q: &CandidateQuery) -> Result<Vec<Candidate>> {
        candidates(&mut *self.client(), q).map_err(|e| self.err(e))
    }

    /// The best matches of a prepared query, as on SQLite (the same window, the same ranking).
    pub fn best_matches(
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
