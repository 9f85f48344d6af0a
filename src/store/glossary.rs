//! The memory's glossary (`glossary_concept`, `glossary_term`, memory/0003): importing the
//! concepts of a file in one transaction, and reading them back as an
//! [`crate::align::TermBase`] for `check`, `align` and `lookup`.

use rusqlite::{params, OptionalExtension, TransactionBehavior};

use super::{db_error, hash64, SqliteStore};
use crate::align::{term_key, Concept, TermBase};
use crate::error::Result;
use crate::exchange::GlossaryConcept;
use crate::language::LangTag;

/// What importing a glossary did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GlossaryReport {
    /// Concepts read from the file.
    pub concepts: usize,
    /// Their terms.
    pub terms: usize,
    /// Concepts added.
    pub added: usize,
    /// Concepts the memory already had (the same terms): left as they were.
    pub existing: usize,
    /// The languages of the file, in the order first met.
    pub langs: Vec<String>,
}

/// The content hash of a concept: its terms in file order, each field on its own.
pub(super) fn content_hash(c: &GlossaryConcept) -> i64 {
    let mut s = String::new();
    for t in &c.terms {
        for f in [
            t.lang.as_str(),
            t.text.as_str(),
            t.part_of_speech.as_deref().unwrap_or(""),
            t.note.as_deref().unwrap_or(""),
        ] {
            s.push_str(f);
            s.push('\u{1F}');
        }
        s.push('\u{1E}');
    }
    hash64(&s)
}

impl SqliteStore {
    /// Store a glossary's concepts, in one transaction: a concept with the same terms as one
    /// the memory has is not stored again. `origin` is the file, as named on the command line.
    pub fn import_glossary(
        &mut self,
        origin: &str,
        concepts: &[GlossaryConcept],
    ) -> Result<GlossaryReport> {
        let now = self.clock.now();
        let path = self.path.clone();
        let err = |e| db_error(&path, e);
        let mut report = GlossaryReport {
            concepts: concepts.len(),
            ..GlossaryReport::default()
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        {
            let mut find = tx
                .prepare_cached("SELECT id FROM glossary_concept WHERE content_hash = ?1")
                .map_err(err)?;
            let mut add = tx
                .prepare_cached(
                    "INSERT INTO glossary_concept (content_hash, origin, imported_at) VALUES (?1, ?2, ?3)",
                )
                .map_err(err)?;
            let mut term = tx
                .prepare_cached(
                    "INSERT INTO glossary_term (concept_id, seq, lang, term, lookup_key, part_of_speech, note)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(err)?;
            for c in concepts {
                report.terms += c.terms.len();
                for t in &c.terms {
                    if !report.langs.contains(&t.lang) {
                        report.langs.push(t.lang.clone());
                    }
                }
                let hash = content_hash(c);
                let known: Option<i64> = find
                    .query_row([hash], |r| r.get(0))
                    .optional()
                    .map_err(err)?;
                if known.is_some() {
                    report.existing += 1;
                    continue;
                }
                add.execute(params![hash, origin, now]).map_err(err)?;
                let id = tx.last_insert_rowid();
                for (seq, t) in c.terms.iter().enumerate() {
                    term.execute(params![
                        id,
                        seq as i64,
                        t.lang,
                        t.text,
                        term_key(&t.text),
                        t.part_of_speech,
                        t.note
                    ])
                    .map_err(err)?;
                }
                report.added += 1;
            }
        }
        tx.commit().map_err(err)?;
        Ok(report)
    }

    /// Every concept of the memory's glossary (empty for a memory older than schema 3, which
    /// a read-only opening does not migrate).
    pub fn term_base(&self) -> Result<TermBase> {
        if self.schema_version()? < 3 {
            return Ok(TermBase::default());
        }
        let err = |e| db_error(&self.path, e);
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT concept_id, lang, term FROM glossary_term ORDER BY concept_id, seq",
            )
            .map_err(err)?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(err)?;
        let mut concepts: Vec<Concept> = Vec::new();
        let mut last = None;
        for row in rows {
            let (id, lang, text) = row.map_err(err)?;
            // A tag this binary cannot read is left out rather than failing the check.
            let Ok(lang) = LangTag::parse(&lang) else {
                continue;
            };
            if last != Some(id) {
                concepts.push(Concept::default());
                last = Some(id);
            }
            if let Some(c) = concepts.last_mut() {
                c.terms.push((lang, text));
            }
        }
        Ok(TermBase::new(concepts))
    }

    /// How many concepts and terms the glossary holds.
    pub fn glossary_counts(&self) -> Result<(usize, usize)> {
        if self.schema_version()? < 3 {
            return Ok((0, 0));
        }
        self.conn
            .query_row(
                "SELECT (SELECT count(*) FROM glossary_concept), (SELECT count(*) FROM glossary_term)",
                [],
                |r| Ok((r.get::<_, i64>(0)? as usize, r.get::<_, i64>(1)? as usize)),
            )
            .map_err(|e| db_error(&self.path, e))
    }
}
