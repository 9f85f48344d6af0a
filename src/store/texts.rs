//! The texts and sentence segments every writer of the memory shares: a text's id (stored
//! once), and the sentence pairs stored beside a paragraph segment (read by `lookup.rs`).
//! Shared by the import (`import/`) and the exchange readers (`exchange/`), so that neither
//! reaches into the other or into `lookup.rs` for them. SQL only; which sentences pair up is
//! `crate::reuse`'s decision, and nothing here prints.

use rusqlite::{params, OptionalExtension, Transaction};

use super::{flag_bit, hash64};
use crate::align::Flag;
use crate::document::normalize;
use crate::reuse::{align_agreeing_sentences, align_sentences};

/// The id of a text, stored once (every writer of the memory stores texts through this).
pub(super) fn text_id(tx: &Transaction, body: &str) -> rusqlite::Result<i64> {
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

/// [`text_id`] for a bulk load, its two statements prepared once. (Inserting only when absent
/// in one statement, `INSERT ... SELECT ... WHERE NOT EXISTS`, is slower: SQLite stages such a
/// row in a temporary table because the statement reads the table it writes.)
pub(super) struct TextIds<'t> {
    tx: &'t Transaction<'t>,
    find: rusqlite::Statement<'t>,
    add: rusqlite::Statement<'t>,
}

impl<'t> TextIds<'t> {
    pub(super) fn new(tx: &'t Transaction<'t>) -> rusqlite::Result<TextIds<'t>> {
        Ok(TextIds {
            tx,
            find: tx.prepare("SELECT id FROM text WHERE hash = ?1 AND body = ?2")?,
            add: tx.prepare("INSERT INTO text (hash, body) VALUES (?1, ?2)")?,
        })
    }

    pub(super) fn id(&mut self, body: &str) -> rusqlite::Result<i64> {
        let h = hash64(body);
        if let Some(id) = self
            .find
            .query_row(params![h, body], |r| r.get(0))
            .optional()?
        {
            return Ok(id);
        }
        self.add.execute(params![h, body])?;
        Ok(self.tx.last_insert_rowid())
    }
}

/// A paragraph segment as read back: id, source text, target text, flags.
type ParagraphSegment = (i64, String, String, i64);

/// Store the sentence pairs of a paragraph segment beside it (`sentence_segment`), when the
/// segment is clean (no flag) and its sentences align cleanly (`crate::reuse::align_sentences`),
/// or when it is flagged `diverging` only, those of its sentences that pair up
/// (`crate::reuse::align_agreeing_sentences`).
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
    // A clean pair: all its sentences when they align; a pair flagged diverging only: those
    // of its sentences that pair up with their numbers agreeing. Others: none.
    let diverging = flags == flag_bit(Flag::Diverging);
    if flags != 0 && !diverging {
        return Ok(0);
    }
    let done: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM sentence_segment WHERE segment_id = ?1)")?
        .query_row([segment], |r| r.get(0))?;
    if done {
        return Ok(0);
    }
    let pairs = if diverging {
        align_agreeing_sentences(&source, &target)
    } else {
        align_sentences(&source, &target)
    };
    let Some(pairs) = pairs else {
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
