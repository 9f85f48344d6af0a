//! The memory's word models (memory/0005): loading them for `check` and `align`, training them
//! on the segments stored since the last training (after every import), and building them
//! again from every segment (`paralign rebuild-model`). What a model learns and keeps is
//! decided in `model::memory`; this file only reads and writes rows, and writes only the rows
//! a training changed.

use std::collections::BTreeMap;
use std::sync::Arc;

use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};

use super::{db_error, flag_bit, SqliteStore};
use crate::align::Flag;
use crate::error::Result;
use crate::language::LangTag;
use crate::model::memory::Rate;
use crate::model::memory::{BATCH_PAIRS, REBUILD_PAIRS};
use crate::model::tokens::tokens;
use crate::model::{MemoryModel, MemoryModels};

/// What training did to one language pair's model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelUpdate {
    /// Source and target language (primary subtags).
    pub langs: (String, String),
    /// Segments read (new ones, or all of them for a rebuild).
    pub segments: usize,
    /// Pairs the model has been trained on in all.
    pub pairs: u64,
    /// Tokens with a translation, both directions.
    pub entries: usize,
}

/// A language tag as the word models key it: its primary subtag (None: not a tag).
pub(super) fn key_lang(tag: &str) -> Option<String> {
    LangTag::parse(tag).ok().map(|t| t.language().to_string())
}

/// Segments a model learns from: those not flagged untranslated, diverging or outdated.
pub(super) fn trusted_mask() -> i64 {
    [Flag::Untranslated, Flag::Diverging, Flag::Outdated]
        .into_iter()
        .map(flag_bit)
        .sum()
}

impl SqliteStore {
    /// The word models of every language pair between two of `langs` (all of them when None).
    pub fn word_models(&self, langs: Option<&[LangTag]>) -> Result<MemoryModels> {
        let keys: Option<Vec<&str>> = langs.map(|l| l.iter().map(LangTag::language).collect());
        let mut st = self
            .conn
            .prepare_cached("SELECT id, source_lang, target_lang FROM word_model ORDER BY id")
            .map_err(|e| self.err(e))?;
        let rows: Vec<(i64, String, String)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.err(e))?;
        let mut out = MemoryModels::default();
        for (id, s, t) in rows {
            let wanted = |l: &str| keys.as_ref().is_none_or(|k| k.contains(&l));
            if wanted(&s) && wanted(&t) {
                let model = load(&self.conn, id).map_err(|e| self.err(e))?;
                out.pairs.insert((s, t), Arc::new(model));
            }
        }
        Ok(out)
    }

    /// Train the word models on the segments stored since they were last trained, in one
    /// transaction (see `model::memory` for the rule).
    pub fn train_word_models(&mut self) -> Result<Vec<ModelUpdate>> {
        self.train_since(false)
    }

    /// Build the word models again from every segment, in one transaction.
    pub fn rebuild_word_models(&mut self) -> Result<Vec<ModelUpdate>> {
        self.train_since(true)
    }

    fn train_since(&mut self, rebuild: bool) -> Result<Vec<ModelUpdate>> {
        let now = self.clock.now();
        let path = self.path.clone();
        let err = |e| db_error(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        if rebuild {
            tx.execute_batch(
                "DELETE FROM word_model; UPDATE word_model_state SET value = 0 WHERE key = 'segment'",
            )
            .map_err(err)?;
        }
        let updates = train(&mut SqliteRows(&tx), now, rebuild).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(updates)
    }
}

/// What a training reads and writes, in a store's transaction: the same steps on SQLite (here)
/// and on PostgreSQL (`postgres/word_model.rs`), driven by [`train`].
pub(super) trait ModelRows {
    /// The store's error.
    type Error;
    /// The highest segment id the models have been trained on.
    fn trained_to(&mut self) -> Result<i64, Self::Error>;
    /// How many segments were stored after `since`.
    fn segments_after(&mut self, since: i64) -> Result<i64, Self::Error>;
    /// The trusted segments after `since` whose id is a multiple of `step`, grouped by
    /// language pair, and the highest segment id.
    fn new_segments(&mut self, since: i64, step: i64) -> Result<(Groups, i64), Self::Error>;
    /// A language pair's model id, if it has one.
    fn model_id(&mut self, langs: (&str, &str)) -> Result<Option<i64>, Self::Error>;
    /// Read one model.
    fn load(&mut self, id: i64) -> Result<MemoryModel, Self::Error>;
    /// Add an empty model for a language pair; its id.
    fn add_model(&mut self, langs: (&str, &str), now: i64) -> Result<i64, Self::Error>;
    /// Write what changed from `old` to `new`.
    fn save(
        &mut self,
        id: i64,
        old: &MemoryModel,
        new: &MemoryModel,
        now: i64,
    ) -> Result<(), Self::Error>;
    /// Record the highest segment id trained on.
    fn set_trained_to(&mut self, last: i64) -> Result<(), Self::Error>;
}

/// The body of a training, in its transaction: the segments stored since the last training
/// (all of them for a rebuild), sampled by id before their texts are read (at most about
/// [`BATCH_PAIRS`], or [`REBUILD_PAIRS`] for a rebuild from nothing), teach each language
/// pair's model.
pub(super) fn train<R: ModelRows>(
    rows: &mut R,
    now: i64,
    rebuild: bool,
) -> Result<Vec<ModelUpdate>, R::Error> {
    let since = rows.trained_to()?;
    let count = rows.segments_after(since)?;
    let bound = if since == 0 && rebuild {
        REBUILD_PAIRS
    } else {
        BATCH_PAIRS
    };
    let step = (count as usize).div_ceil(bound).max(1) as i64;
    let (groups, last) = rows.new_segments(since, step)?;
    let mut updates = Vec::new();
    for ((s, t), pairs) in groups {
        let id = rows.model_id((&s, &t))?;
        let old = match id {
            Some(id) => rows.load(id)?,
            None => MemoryModel::default(),
        };
        let mut model = old.clone();
        let refs: Vec<(&[u32], &[u32])> = pairs
            .iter()
            .map(|(a, b)| (a.as_slice(), b.as_slice()))
            .collect();
        if rebuild {
            model.update_all(&refs);
        } else {
            model.update(&refs);
        }
        let id = match id {
            Some(id) => id,
            None => rows.add_model((&s, &t), now)?,
        };
        rows.save(id, &old, &model, now)?;
        updates.push(ModelUpdate {
            langs: (s, t),
            segments: pairs.len(),
            pairs: model.pairs,
            entries: model.counts.iter().map(|c| c.len()).sum(),
        });
    }
    rows.set_trained_to(last.max(since))?;
    Ok(updates)
}

/// [`ModelRows`] in a SQLite transaction.
struct SqliteRows<'a>(&'a Transaction<'a>);

impl ModelRows for SqliteRows<'_> {
    type Error = rusqlite::Error;

    fn trained_to(&mut self) -> rusqlite::Result<i64> {
        self.0.query_row(
            "SELECT value FROM word_model_state WHERE key = 'segment'",
            [],
            |r| r.get(0),
        )
    }

    fn segments_after(&mut self, since: i64) -> rusqlite::Result<i64> {
        self.0
            .query_row("SELECT count(*) FROM segment WHERE id > ?1", [since], |r| {
                r.get(0)
            })
    }

    fn new_segments(&mut self, since: i64, step: i64) -> rusqlite::Result<(Groups, i64)> {
        new_segments(self.0, since, step)
    }

    fn model_id(&mut self, (s, t): (&str, &str)) -> rusqlite::Result<Option<i64>> {
        self.0
            .query_row(
                "SELECT id FROM word_model WHERE source_lang = ?1 AND target_lang = ?2",
                [s, t],
                |r| r.get(0),
            )
            .optional()
    }

    fn load(&mut self, id: i64) -> rusqlite::Result<MemoryModel> {
        load(self.0, id)
    }

    fn add_model(&mut self, (s, t): (&str, &str), now: i64) -> rusqlite::Result<i64> {
        self.0.execute(
            "INSERT INTO word_model (source_lang, target_lang, pairs, translated_found,
                translated_known, unrelated_found, unrelated_known, trained_at)
             VALUES (?1, ?2, 0, 0, 0, 0, 0, ?3)",
            params![s, t, now],
        )?;
        Ok(self.0.last_insert_rowid())
    }

    fn save(
        &mut self,
        id: i64,
        old: &MemoryModel,
        new: &MemoryModel,
        now: i64,
    ) -> rusqlite::Result<()> {
        save(self.0, id, old, new, now)
    }

    fn set_trained_to(&mut self, last: i64) -> rusqlite::Result<()> {
        self.0.execute(
            "UPDATE word_model_state SET value = ?1 WHERE key = 'segment'",
            [last],
        )?;
        Ok(())
    }
}

/// Token sets of a language pair's segments.
pub(super) type Groups = BTreeMap<(String, String), Vec<(Vec<u32>, Vec<u32>)>>;

/// The trusted segments stored after `since` whose id is a multiple of `step`, as token sets
/// grouped by language pair, and the highest segment id.
fn new_segments(tx: &Transaction, since: i64, step: i64) -> rusqlite::Result<(Groups, i64)> {
    let last: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM segment", [], |r| r.get(0))?;
    let mut st = tx.prepare_cached(
        "SELECT s.id, s.source_lang, s.target_lang, st.body, tt.body, s.flags
         FROM segment s JOIN text st ON st.id = s.source_text_id
                        JOIN text tt ON tt.id = s.target_text_id
         WHERE s.id > ?1 AND s.id % ?2 = 0 ORDER BY s.id",
    )?;
    let mut rows = st.query([since, step])?;
    let mut groups = Groups::new();
    let mut keys: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mask = trusted_mask();
    while let Some(r) = rows.next()? {
        if r.get::<_, i64>(5)? & mask != 0 {
            continue;
        }
        let mut key = |tag: String| keys.entry(tag).or_insert_with_key(|t| key_lang(t)).clone();
        let (Some(s), Some(t)) = (key(r.get(1)?), key(r.get(2)?)) else {
            continue;
        };
        let pair = (
            tokens(r.get_ref(3)?.as_str()?),
            tokens(r.get_ref(4)?.as_str()?),
        );
        if !pair.0.is_empty() && !pair.1.is_empty() {
            groups.entry((s, t)).or_default().push(pair);
        }
    }
    Ok((groups, last))
}

/// Read one model.
fn load(conn: &rusqlite::Connection, id: i64) -> rusqlite::Result<MemoryModel> {
    let mut m = conn.query_row(
        "SELECT pairs, translated_found, translated_known, unrelated_found, unrelated_known
         FROM word_model WHERE id = ?1",
        [id],
        |r| {
            Ok(MemoryModel {
                pairs: r.get::<_, i64>(0)? as u64,
                translated: Rate {
                    found: r.get::<_, i64>(1)? as u64,
                    known: r.get::<_, i64>(2)? as u64,
                },
                unrelated: Rate {
                    found: r.get::<_, i64>(3)? as u64,
                    known: r.get::<_, i64>(4)? as u64,
                },
                ..MemoryModel::default()
            })
        },
    )?;
    let mut st =
        conn.prepare_cached("SELECT side, token, pairs FROM word_token WHERE model_id = ?1")?;
    let mut rows = st.query([id])?;
    while let Some(r) = rows.next()? {
        let side = r.get::<_, i64>(0)? as usize;
        m.df[side & 1].insert(r.get::<_, i64>(1)? as u32, r.get::<_, i64>(2)? as u64);
    }
    let mut st = conn.prepare_cached(
        "SELECT side, token, translation, count FROM word_translation WHERE model_id = ?1",
    )?;
    let mut rows = st.query([id])?;
    while let Some(r) = rows.next()? {
        let side = r.get::<_, i64>(0)? as usize;
        m.counts[side & 1]
            .entry(r.get::<_, i64>(1)? as u32)
            .or_default()
            .push((r.get::<_, i64>(2)? as u32, r.get(3)?));
    }
    for side in &mut m.counts {
        for row in side.values_mut() {
            row.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        }
    }
    Ok(m)
}

/// Write what changed from `old` to `new` (tokens and translations added, changed or dropped).
fn save(
    tx: &Transaction,
    id: i64,
    old: &MemoryModel,
    new: &MemoryModel,
    now: i64,
) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE word_model SET pairs = ?2, translated_found = ?3, translated_known = ?4,
            unrelated_found = ?5, unrelated_known = ?6, trained_at = ?7 WHERE id = ?1",
        params![
            id,
            new.pairs as i64,
            new.translated.found as i64,
            new.translated.known as i64,
            new.unrelated.found as i64,
            new.unrelated.known as i64,
            now
        ],
    )?;
    let mut put = tx.prepare_cached(
        "INSERT OR REPLACE INTO word_token (model_id, side, token, pairs) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut drop = tx.prepare_cached(
        "DELETE FROM word_token WHERE model_id = ?1 AND side = ?2 AND token = ?3",
    )?;
    for side in 0..2usize {
        for (&t, &n) in &new.df[side] {
            if old.df[side].get(&t) != Some(&n) {
                put.execute(params![id, side as i64, i64::from(t as i32), n as i64])?;
            }
        }
        for &t in old.df[side]
            .keys()
            .filter(|t| !new.df[side].contains_key(t))
        {
            drop.execute(params![id, side as i64, i64::from(t as i32)])?;
        }
    }
    let mut clear = tx.prepare_cached(
        "DELETE FROM word_translation WHERE model_id = ?1 AND side = ?2 AND token = ?3",
    )?;
    let mut add = tx.prepare_cached(
        "INSERT INTO word_translation (model_id, side, token, translation, count)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for side in 0..2 {
        for (&e, row) in &new.counts[side] {
            if old.counts[side].get(&e) == Some(row) {
                continue;
            }
            clear.execute(params![id, side as i64, i64::from(e as i32)])?;
            for &(f, c) in row {
                add.execute(params![
                    id,
                    side as i64,
                    i64::from(e as i32),
                    i64::from(f as i32),
                    c
                ])?;
            }
        }
        for &e in old.counts[side]
            .keys()
            .filter(|e| !new.counts[side].contains_key(e))
        {
            clear.execute(params![id, side as i64, i64::from(e as i32)])?;
        }
    }
    Ok(())
}
