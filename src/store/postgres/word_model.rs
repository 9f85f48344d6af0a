//! The PostgreSQL memory's word models (memory/postgres/0002), as `store/word_model.rs` keeps
//! them on SQLite: loaded for `check`, `accept` and `align`, trained on the segments stored
//! since the last training (after every import) and built again from every segment
//! (`rebuild-model`). A training holds a transaction-level advisory lock, so that two imports
//! finishing at once train one after the other; the rows a training changed are deleted and
//! written again by `COPY`.

use std::collections::BTreeMap;
use std::sync::Arc;

use postgres::{GenericClient, Transaction};

use super::write::copy_rows;
use super::{Pg, PgStore};
use crate::error::Result;
use crate::language::LangTag;
use crate::model::memory::Rate;
use crate::model::tokens::tokens;
use crate::model::{MemoryModel, MemoryModels};
use crate::store::word_model::{key_lang, train, trusted_mask, Groups, ModelRows};
use crate::store::ModelUpdate;

/// The advisory lock key that serialises trainings ('PALW' as an integer).
const TRAINING_LOCK: i64 = 0x5041_4C57;

impl PgStore {
    /// The word models of every language pair between two of `langs` (all of them when None).
    pub fn word_models(&self, langs: Option<&[LangTag]>) -> Result<MemoryModels> {
        let keys: Option<Vec<&str>> = langs.map(|l| l.iter().map(LangTag::language).collect());
        let mut c = self.client();
        let q = |c: &mut postgres::Client| -> Pg<MemoryModels> {
            let rows = c.query(
                "SELECT id, source_lang, target_lang FROM word_model ORDER BY id",
                &[],
            )?;
            let mut out = MemoryModels::default();
            for r in &rows {
                let (id, s, t): (i64, String, String) = (r.get(0), r.get(1), r.get(2));
                let wanted = |l: &str| keys.as_ref().is_none_or(|k| k.contains(&l));
                if wanted(&s) && wanted(&t) {
                    out.pairs.insert((s, t), Arc::new(load(c, id)?));
                }
            }
            Ok(out)
        };
        q(&mut c).map_err(|e| self.err(e))
    }

    /// Train the word models on the segments stored since they were last trained, in one
    /// transaction.
    pub fn train_word_models(&mut self) -> Result<Vec<ModelUpdate>> {
        self.train_since(false)
    }

    /// Build the word models again from every segment, in one transaction.
    pub fn rebuild_word_models(&mut self) -> Result<Vec<ModelUpdate>> {
        self.train_since(true)
    }

    fn train_since(&mut self, rebuild: bool) -> Result<Vec<ModelUpdate>> {
        let now = self.clock.now();
        let run = |c: &mut postgres::Client| -> Pg<Vec<ModelUpdate>> {
            let mut tx = c.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&TRAINING_LOCK])?;
            if rebuild {
                tx.batch_execute(
                    "DELETE FROM word_model; UPDATE word_model_state SET value = 0 WHERE key = 'segment'",
                )?;
            }
            let updates = train(&mut PgRows(&mut tx), now, rebuild)?;
            tx.commit()?;
            Ok(updates)
        };
        let client = self.client.get_mut().unwrap_or_else(|p| p.into_inner());
        run(client).map_err(|e| super::pg_error(&self.path, &e))
    }
}

/// [`ModelRows`] in a PostgreSQL transaction.
struct PgRows<'a, 'b>(&'a mut Transaction<'b>);

impl ModelRows for PgRows<'_, '_> {
    type Error = postgres::Error;

    fn trained_to(&mut self) -> Pg<i64> {
        Ok(self
            .0
            .query_one(
                "SELECT value FROM word_model_state WHERE key = 'segment'",
                &[],
            )?
            .get(0))
    }

    fn segments_after(&mut self, since: i64) -> Pg<i64> {
        Ok(self
            .0
            .query_one("SELECT count(*) FROM segment WHERE id > $1", &[&since])?
            .get(0))
    }

    fn new_segments(&mut self, since: i64, step: i64) -> Pg<(Groups, i64)> {
        new_segments(self.0, since, step)
    }

    fn model_id(&mut self, (s, t): (&str, &str)) -> Pg<Option<i64>> {
        Ok(self
            .0
            .query_opt(
                "SELECT id FROM word_model WHERE source_lang = $1 AND target_lang = $2",
                &[&s, &t],
            )?
            .map(|r| r.get(0)))
    }

    fn load(&mut self, id: i64) -> Pg<MemoryModel> {
        load(self.0, id)
    }

    fn add_model(&mut self, (s, t): (&str, &str), now: i64) -> Pg<i64> {
        Ok(self
            .0
            .query_one(
                "INSERT INTO word_model (source_lang, target_lang, pairs, translated_found,
                    translated_known, unrelated_found, unrelated_known, trained_at)
                 VALUES ($1, $2, 0, 0, 0, 0, 0, $3) RETURNING id",
                &[&s, &t, &now],
            )?
            .get(0))
    }

    fn save(&mut self, id: i64, old: &MemoryModel, new: &MemoryModel, now: i64) -> Pg<()> {
        save(self.0, id, old, new, now)
    }

    fn set_trained_to(&mut self, last: i64) -> Pg<()> {
        self.0.execute(
            "UPDATE word_model_state SET value = $1 WHERE key = 'segment'",
            &[&last],
        )?;
        Ok(())
    }
}

/// The trusted segments stored after `since` whose id is a multiple of `step`, as token sets
/// grouped by language pair, and the highest segment id.
fn new_segments(tx: &mut Transaction, since: i64, step: i64) -> Pg<(Groups, i64)> {
    let last: i64 = tx
        .query_one("SELECT coalesce(max(id), 0) FROM segment", &[])?
        .get(0);
    let rows = tx.query(
        "SELECT s.id, s.source_lang, s.target_lang, st.body, tt.body, s.flags
         FROM segment s JOIN text st ON st.id = s.source_text_id
                        JOIN text tt ON tt.id = s.target_text_id
         WHERE s.id > $1 AND s.id % $2 = 0 ORDER BY s.id",
        &[&since, &step],
    )?;
    let mut groups = Groups::new();
    let mut keys: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mask = trusted_mask();
    for r in &rows {
        if r.get::<_, i64>(5) & mask != 0 {
            continue;
        }
        let mut key = |tag: String| keys.entry(tag).or_insert_with_key(|t| key_lang(t)).clone();
        let (Some(s), Some(t)) = (key(r.get(1)), key(r.get(2))) else {
            continue;
        };
        let pair = (tokens(r.get(3)), tokens(r.get(4)));
        if !pair.0.is_empty() && !pair.1.is_empty() {
            groups.entry((s, t)).or_default().push(pair);
        }
    }
    Ok((groups, last))
}

/// A token as stored: its 32 bits, signed.
fn stored(t: u32) -> i64 {
    i64::from(t as i32)
}

/// Read one model.
fn load(c: &mut impl GenericClient, id: i64) -> Pg<MemoryModel> {
    let r = c.query_one(
        "SELECT pairs, translated_found, translated_known, unrelated_found, unrelated_known
         FROM word_model WHERE id = $1",
        &[&id],
    )?;
    let n = |k: usize| r.get::<_, i64>(k) as u64;
    let mut m = MemoryModel {
        pairs: n(0),
        translated: Rate {
            found: n(1),
            known: n(2),
        },
        unrelated: Rate {
            found: n(3),
            known: n(4),
        },
        ..MemoryModel::default()
    };
    for r in c.query(
        "SELECT side, token, pairs FROM word_token WHERE model_id = $1",
        &[&id],
    )? {
        let side = r.get::<_, i64>(0) as usize;
        m.df[side & 1].insert(r.get::<_, i64>(1) as u32, r.get::<_, i64>(2) as u64);
    }
    for r in c.query(
        "SELECT side, token, translation, count FROM word_translation WHERE model_id = $1",
        &[&id],
    )? {
        let side = r.get::<_, i64>(0) as usize;
        m.counts[side & 1]
            .entry(r.get::<_, i64>(1) as u32)
            .or_default()
            .push((r.get::<_, i64>(2) as u32, r.get(3)));
    }
    for side in &mut m.counts {
        for row in side.values_mut() {
            row.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        }
    }
    Ok(m)
}

/// Write what changed from `old` to `new`: the rows of every token whose count or
/// translations changed or that was dropped are deleted, and those of `new` written again.
fn save(tx: &mut Transaction, id: i64, old: &MemoryModel, new: &MemoryModel, now: i64) -> Pg<()> {
    let n = |x: u64| x as i64;
    tx.execute(
        "UPDATE word_model SET pairs = $2, translated_found = $3, translated_known = $4,
            unrelated_found = $5, unrelated_known = $6, trained_at = $7 WHERE id = $1",
        &[
            &id,
            &n(new.pairs),
            &n(new.translated.found),
            &n(new.translated.known),
            &n(new.unrelated.found),
            &n(new.unrelated.known),
            &now,
        ],
    )?;
    let row = |fields: &[i64]| -> Vec<Option<String>> {
        fields.iter().map(|f| Some(f.to_string())).collect()
    };
    for side in 0..2usize {
        let s = side as i64;
        let (was, now_df) = (&old.df[side], &new.df[side]);
        let changed: Vec<i64> = now_df
            .iter()
            .filter(|(t, n)| was.get(t) != Some(n))
            .map(|(&t, _)| stored(t))
            .chain(
                was.keys()
                    .filter(|t| !now_df.contains_key(t))
                    .map(|&t| stored(t)),
            )
            .collect();
        tx.execute(
            "DELETE FROM word_token WHERE model_id = $1 AND side = $2 AND token = ANY($3)",
            &[&id, &s, &changed],
        )?;
        let rows: Vec<Vec<Option<String>>> = now_df
            .iter()
            .filter(|(t, n)| was.get(t) != Some(n))
            .map(|(&t, &k)| row(&[id, s, stored(t), k as i64]))
            .collect();
        copy_rows(tx, "word_token (model_id, side, token, pairs)", &rows)?;

        let (was, now_tr) = (&old.counts[side], &new.counts[side]);
        let changed: Vec<i64> = now_tr
            .iter()
            .filter(|(e, r)| was.get(e) != Some(r))
            .map(|(&e, _)| stored(e))
            .chain(
                was.keys()
                    .filter(|e| !now_tr.contains_key(e))
                    .map(|&e| stored(e)),
            )
            .collect();
        tx.execute(
            "DELETE FROM word_translation WHERE model_id = $1 AND side = $2 AND token = ANY($3)",
            &[&id, &s, &changed],
        )?;
        let mut rows: Vec<Vec<Option<String>>> = Vec::new();
        for (&e, r) in now_tr.iter().filter(|(e, r)| was.get(e) != Some(r)) {
            for &(f, c) in r {
                let mut fields = row(&[id, s, stored(e), stored(f)]);
                fields.push(Some(format!("{c:?}")));
                rows.push(fields);
            }
        }
        copy_rows(
            tx,
            "word_translation (model_id, side, token, translation, count)",
            &rows,
        )?;
    }
    Ok(())
}
