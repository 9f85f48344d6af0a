//! Reuse queries on the PostgreSQL memory: the candidates of a fuzzy lookup and the memory's
//! glossary. Exact matches come from the index on the normalised source hash, as on SQLite;
//! fuzzy ones from the `pg_trgm` GIN index on `text.body` (`%`: trigram similarity at least
//! `pg_trgm.similarity_threshold`), within the length window, the most similar first. The
//! candidates are then ranked by the same [`crate::reuse::rank`] as on SQLite, so a match's
//! percentage is the same on both. The index is kept up to date by PostgreSQL: there is
//! nothing to bring up to date before a lookup. Nothing here prints.

use postgres::GenericClient;

use super::{lang_match, PgStore};
use crate::align::{Concept, Flag, TermBase};
use crate::document::normalize;
use crate::error::Result;
use crate::language::LangTag;
use crate::reuse::{length_window, rank, Candidate, Match, Prepared};
use crate::store::{flag_bit, hash64, CandidateQuery, CANDIDATES};

type Pg<T> = std::result::Result<T, postgres::Error>;

/// The lowest trigram similarity (pg_trgm's measure, 0 to 1) of a fuzzy candidate: below the
/// default 0.3 so that a 50 % match of a short text is still read.
pub(super) const SIMILARITY_THRESHOLD: f64 = 0.2;

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
    let clamp = |n: usize| n.min(i32::MAX as usize) as i32;
    let fuzzy = c.query(
        "SELECT t.id FROM text t
         WHERE t.body % $1 AND char_length(t.body) BETWEEN $2 AND $3
            AND (EXISTS (SELECT 1 FROM segment s WHERE s.source_text_id = t.id)
                 OR EXISTS (SELECT 1 FROM sentence_segment x WHERE x.source_text_id = t.id))
         ORDER BY similarity(t.body, $1) DESC, t.id LIMIT $4",
        &[
            &norm,
            &clamp(q.window.0),
            &clamp(q.window.1),
            &(q.limit as i64),
        ],
    )?;
    for r in &fuzzy {
        let id: i64 = r.get(0);
        if !texts.contains(&id) {
            texts.push(id);
        }
    }
    fetch_candidates(c, &st, q, &texts[exact..], &mut out)?;
    Ok(out)
}

impl PgStore {
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
        let chars = query.norm().chars().count();
        let (lo, hi) = length_window(chars, min);
        let window = (
            (lo as f64 * 0.85) as usize,
            ((hi as f64 * 1.15) as usize).saturating_add(24),
        );
        let candidates = self.candidates(&CandidateQuery {
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
