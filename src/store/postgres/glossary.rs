//! The PostgreSQL memory's glossary (`glossary_concept`, `glossary_term`, memory/postgres/0001),
//! imported as `store/glossary.rs` imports it on SQLite: one transaction, a concept with the
//! same terms as one the memory has left as it is. (Reading it back is `lookup.rs`'s
//! `term_base`.)

use super::PgStore;
use crate::align::term_key;
use crate::error::Result;
use crate::exchange::GlossaryConcept;
use crate::store::glossary::content_hash;
use crate::store::GlossaryReport;

/// The advisory lock key that serialises glossary imports ('PALT' as an integer).
const GLOSSARY_LOCK: i64 = 0x5041_4C54;

impl PgStore {
    /// Store a glossary's concepts, in one transaction (see
    /// [`crate::store::Store::import_glossary`]).
    pub fn import_glossary(
        &mut self,
        origin: &str,
        concepts: &[GlossaryConcept],
    ) -> Result<GlossaryReport> {
        let now = self.clock.now();
        let mut report = GlossaryReport {
            concepts: concepts.len(),
            ..GlossaryReport::default()
        };
        let mut run = |c: &mut postgres::Client| -> super::Pg<()> {
            let mut tx = c.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&GLOSSARY_LOCK])?;
            for c in concepts {
                report.terms += c.terms.len();
                for t in &c.terms {
                    if !report.langs.contains(&t.lang) {
                        report.langs.push(t.lang.clone());
                    }
                }
                let hash = content_hash(c);
                let known = tx.query_opt(
                    "SELECT id FROM glossary_concept WHERE content_hash = $1",
                    &[&hash],
                )?;
                if known.is_some() {
                    report.existing += 1;
                    continue;
                }
                let id: i64 = tx
                    .query_one(
                        "INSERT INTO glossary_concept (content_hash, origin, imported_at)
                         VALUES ($1, $2, $3) RETURNING id",
                        &[&hash, &origin, &now],
                    )?
                    .get(0);
                for (seq, t) in c.terms.iter().enumerate() {
                    tx.execute(
                        "INSERT INTO glossary_term (concept_id, seq, lang, term, lookup_key,
                            part_of_speech, note)
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        &[
                            &id,
                            &(seq as i64),
                            &t.lang,
                            &t.text,
                            &term_key(&t.text),
                            &t.part_of_speech,
                            &t.note,
                        ],
                    )?;
                }
                report.added += 1;
            }
            tx.commit()
        };
        let client = self.client.get_mut().unwrap_or_else(|p| p.into_inner());
        run(client).map_err(|e| super::pg_error(&self.path, &e))?;
        Ok(report)
    }

    /// How many concepts and terms the glossary holds.
    pub fn glossary_counts(&self) -> Result<(usize, usize)> {
        let row = self
            .client()
            .query_one(
                "SELECT (SELECT count(*) FROM glossary_concept), (SELECT count(*) FROM glossary_term)",
                &[],
            )
            .map_err(|e| self.err(e))?;
        Ok((row.get::<_, i64>(0) as usize, row.get::<_, i64>(1) as usize))
    }
}
