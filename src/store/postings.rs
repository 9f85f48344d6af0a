//! The word index of lookups (`lookup_words`, migration 0006): for each word of the indexed
//! source texts, the texts that hold it, as compact lists of `lookup_index` rowids (length and
//! text id). A trigram is in thousands of the texts of a large memory and a rare word in a few,
//! so reading the lists of a query's rarest words costs a fraction of reading its trigrams'
//! (`lookup.rs` picks them and falls back to the trigrams when the words cannot serve).
//!
//! Filled by the lookup index update (`update_words`), never by imports. Also holds what both
//! searches share: counting the hits of each text and keeping the best ([`top_texts`]). Only
//! SQL and arithmetic: nothing here prints.

use std::collections::HashMap;

use rusqlite::{params, Connection, Transaction};

use crate::document::normalize;

/// Words longer than this (in characters) are neither indexed nor looked up: so long a run of
/// letters is a sentence of a script written without spaces, which the trigram index serves.
pub(super) const MAX_WORD_CHARS: usize = 32;

/// A word held by more texts than this keeps no list (one row of batch 0 says so): reading it
/// would cost what a trigram costs, and a query always has rarer words, or uses the trigrams.
pub(super) const COMMON_WORD: i64 = 10_000;

/// Texts read per pass of an update: its memory is about 30 words a text, 8 bytes each.
const TEXTS_PER_PASS: usize = 100_000;

/// A word's lists are merged into one when an update would give it more than this many.
const MAX_LISTS: usize = 16;

/// The words of a text as the index holds them: runs of letters and digits of NFKC text,
/// lower-cased, at most [`MAX_WORD_CHARS`] long, in order, with repeats.
pub(super) fn words(text: &str) -> Vec<String> {
    normalize(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.chars().count() <= MAX_WORD_CHARS)
        .map(|w| w.chars().flat_map(char::to_lowercase).collect())
        .collect()
}

/// Ascending rowids as LEB128 varints of their differences (the first from 0).
fn encode(ids: &[i64]) -> Vec<u8> {
    let mut out = Vec::with_capacity(ids.len() * 4);
    let mut last = 0i64;
    for &id in ids {
        let mut d = (id - last) as u64;
        last = id;
        while d >= 0x80 {
            out.push((d as u8 & 0x7F) | 0x80);
            d >>= 7;
        }
        out.push(d as u8);
    }
    out
}

/// The rowids of an [`encode`]d list within `lo..=hi`, onto `out`. A damaged list ends early.
fn decode_into(bytes: &[u8], (lo, hi): (i64, i64), out: &mut Vec<i64>) {
    let (mut id, mut d, mut shift) = (0i64, 0u64, 0u32);
    for &b in bytes {
        if shift >= 64 {
            return;
        }
        d |= u64::from(b & 0x7F) << shift;
        shift += 7;
        if b & 0x80 == 0 {
            id = id.wrapping_add(d as i64);
            if id > hi {
                return;
            }
            if id >= lo {
                out.push(id);
            }
            (d, shift) = (0, 0);
        }
    }
}

/// The lookup state's value of `key`.
fn state(conn: &Connection, key: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT value FROM lookup_state WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
}

/// Whether the word index holds the texts the trigram index holds (a memory upgraded to
/// version 6 and opened read-only before its next update has an empty one).
pub(super) fn current(conn: &Connection) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT (SELECT value FROM lookup_state WHERE key = 'segment')
                  = (SELECT value FROM lookup_state WHERE key = 'word_segment')
            AND (SELECT value FROM lookup_state WHERE key = 'sentence_segment')
                  = (SELECT value FROM lookup_state WHERE key = 'word_sentence_segment')",
    )?
    .query_row([], |r| r.get(0))
}

/// How many indexed texts hold a word; None when none does or too many ([`COMMON_WORD`]).
pub(super) fn docs(conn: &Connection, word: &str) -> rusqlite::Result<Option<i64>> {
    let (first, docs): (Option<i64>, i64) = conn
        .prepare_cached("SELECT min(batch), total(docs) FROM lookup_words WHERE term = ?1")?
        .query_row([word], |r| Ok((r.get(0)?, r.get::<_, f64>(1)? as i64)))?;
    Ok(first.filter(|&b| b > 0).map(|_| docs))
}

/// The rowids within `window` (inclusive) of the texts holding `word`, onto `out`.
pub(super) fn texts_holding(
    conn: &Connection,
    word: &str,
    window: (i64, i64),
    out: &mut Vec<i64>,
) -> rusqlite::Result<()> {
    let mut st =
        conn.prepare_cached("SELECT ids FROM lookup_words WHERE term = ?1 AND batch > 0")?;
    let mut rows = st.query([word])?;
    while let Some(r) = rows.next()? {
        decode_into(r.get_ref(0)?.as_blob()?, window, out);
    }
    Ok(())
}

/// The `keep` texts that appear most often among `rows` (rowids, one per hit), with how many
/// hits, most first, then by text id. A text's rowid appears once in each list holding it:
/// sorted, its hits are one run. Counting so, and selecting the best `keep` before sorting
/// them, keeps a query with long lists from hashing and sorting every hit twice.
pub(super) fn top_texts(mut rows: Vec<i64>, keep: usize) -> Vec<(i64, u32)> {
    if keep == 0 {
        return Vec::new();
    }
    rows.sort_unstable();
    let mut ranked: Vec<(i64, u32)> = rows
        .chunk_by(|a, b| a == b)
        .map(|run| (run[0] & 0xFFFF_FFFF, run.len() as u32))
        .collect();
    let order = |a: &(i64, u32), b: &(i64, u32)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
    if ranked.len() > keep {
        ranked.select_nth_unstable_by(keep - 1, order);
        ranked.truncate(keep);
    }
    ranked.sort_by(order);
    ranked
}

/// Add the words of the texts that `texts_sql` selects (rowid and body; its parameters the
/// highest segment and sentence segment ids already indexed) to the word index, and record the
/// ids it holds up to. Returns how many texts were read.
pub(super) fn update_words(tx: &Transaction, texts_sql: &str) -> rusqlite::Result<usize> {
    let (segment, sentence) = (
        state(tx, "word_segment")?,
        state(tx, "word_sentence_segment")?,
    );
    let mut batch = state(tx, "word_batch")?;
    let mut st = tx.prepare(texts_sql)?;
    let mut rows = st.query(params![segment, sentence])?;
    let mut lists: HashMap<String, Vec<i64>> = HashMap::new();
    let (mut read, mut pending) = (0, 0);
    while let Some(r) = rows.next()? {
        let rowid: i64 = r.get(0)?;
        let mut ws = words(r.get_ref(1)?.as_str()?);
        ws.sort_unstable();
        ws.dedup();
        for w in ws {
            lists.entry(w).or_default().push(rowid);
        }
        (read, pending) = (read + 1, pending + 1);
        if pending == TEXTS_PER_PASS {
            batch += 1;
            flush(tx, batch, std::mem::take(&mut lists), COMMON_WORD)?;
            pending = 0;
        }
    }
    if pending > 0 {
        batch += 1;
        flush(tx, batch, lists, COMMON_WORD)?;
    }
    tx.execute(
        "UPDATE lookup_state SET value = CASE key
             WHEN 'word_segment' THEN (SELECT coalesce(max(id), 0) FROM segment)
             WHEN 'word_sentence_segment' THEN (SELECT coalesce(max(id), 0) FROM sentence_segment)
             ELSE ?1 END
         WHERE key IN ('word_segment', 'word_sentence_segment', 'word_batch')",
        [batch],
    )?;
    Ok(read)
}

/// Write the lists gathered by one pass, in the order of their words.
fn flush(
    tx: &Transaction,
    batch: i64,
    lists: HashMap<String, Vec<i64>>,
    common: i64,
) -> rusqlite::Result<()> {
    let mut lists: Vec<(String, Vec<i64>)> = lists.into_iter().collect();
    lists.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (word, mut ids) in lists {
        ids.sort_unstable();
        ids.dedup();
        add_list(tx, &word, batch, ids, common)?;
    }
    Ok(())
}

/// Add one list of a word: a row of its own, or one row holding all of the word's lists when it
/// has [`MAX_LISTS`], or the row of batch 0 when the word is in more than `common` texts.
fn add_list(
    tx: &Transaction,
    word: &str,
    batch: i64,
    ids: Vec<i64>,
    common: i64,
) -> rusqlite::Result<()> {
    let lists: Vec<(i64, i64)> = tx
        .prepare_cached("SELECT batch, docs FROM lookup_words WHERE term = ?1")?
        .query_map([word], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if lists.iter().any(|l| l.0 == 0) {
        return Ok(());
    }
    let total = lists.iter().map(|l| l.1).sum::<i64>() + ids.len() as i64;
    let mut insert = tx.prepare_cached(
        "INSERT INTO lookup_words (term, batch, docs, ids) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut delete = tx.prepare_cached("DELETE FROM lookup_words WHERE term = ?1")?;
    if total > common {
        delete.execute([word])?;
        insert.execute(params![word, 0, total, Vec::<u8>::new()])?;
    } else if lists.len() >= MAX_LISTS {
        let mut all = ids;
        texts_holding(tx, word, (i64::MIN, i64::MAX), &mut all)?;
        all.sort_unstable();
        delete.execute([word])?;
        insert.execute(params![word, batch, total, encode(&all)])?;
    } else {
        insert.execute(params![word, batch, ids.len() as i64, encode(&ids)])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_runs_of_letters_and_digits() {
        assert_eq!(
            words("Ｓave the FILE, file-2 «Größe» 東京都"),
            ["save", "the", "file", "file", "2", "größe", "東京都"]
        );
        assert!(words(&"x".repeat(MAX_WORD_CHARS + 1)).is_empty());
    }

    #[test]
    fn lists_round_trip_within_a_window() {
        let ids = [3i64, 130, (5 << 32) | 7, (5 << 32) | 9, (400 << 32) | 1];
        let bytes = encode(&ids);
        let mut out = Vec::new();
        decode_into(&bytes, (i64::MIN, i64::MAX), &mut out);
        assert_eq!(out, ids);
        out.clear();
        decode_into(&bytes, (100, (5 << 32) | 8), &mut out);
        assert_eq!(out, [130, (5 << 32) | 7]);
        out.clear();
        decode_into(&[0xFF; 12], (i64::MIN, i64::MAX), &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn hits_rank_texts_then_ids() {
        let rows = vec![
            (1 << 32) | 5,
            (2 << 32) | 3,
            (1 << 32) | 5,
            9,
            (2 << 32) | 3,
            4,
        ];
        assert_eq!(top_texts(rows.clone(), 3), [(3, 2), (5, 2), (4, 1)]);
        assert_eq!(top_texts(rows, 0), []);
    }

    #[test]
    fn lists_merge_and_common_words_keep_none() {
        let mut c = Connection::open_in_memory().unwrap();
        for sql in super::super::schema::MIGRATIONS {
            c.execute_batch(sql).unwrap();
        }
        let tx = c.transaction().unwrap();
        for b in 1..=MAX_LISTS as i64 + 1 {
            add_list(&tx, "rare", b, vec![100 - b], 1000).unwrap();
        }
        let rows: i64 = tx
            .query_row("SELECT count(*) FROM lookup_words", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 1);
        let mut got = Vec::new();
        texts_holding(&tx, "rare", (0, 200), &mut got).unwrap();
        assert_eq!(got, (83..=99).collect::<Vec<i64>>());
        assert_eq!(docs(&tx, "rare").unwrap(), Some(17));
        add_list(&tx, "often", 1, (0..5).collect(), 8).unwrap();
        add_list(&tx, "often", 2, (5..10).collect(), 8).unwrap();
        add_list(&tx, "often", 3, vec![20], 8).unwrap();
        assert_eq!(docs(&tx, "often").unwrap(), None);
        assert_eq!(docs(&tx, "unknown").unwrap(), None);
        let mut got = Vec::new();
        texts_holding(&tx, "often", (i64::MIN, i64::MAX), &mut got).unwrap();
        assert!(got.is_empty());
    }
}

#[cfg(test)]
mod update_tests {
    use crate::store::{Clock, SqliteStore};
    use std::path::Path;

    #[test]
    fn an_update_indexes_new_texts_once() {
        let mut s = SqliteStore::open(Path::new(":memory:"), Clock::Fixed(0)).unwrap();
        let add = |s: &SqliteStore, k: i64, body: &str| {
            s.conn
                .execute_batch(&format!(
                    "INSERT INTO text (id, hash, body) VALUES ({k}, {k}, '{body}'), ({}, 0, 'x');
                     INSERT OR IGNORE INTO document (id, name, source_lang) VALUES (1, 'd', 'en');
                     INSERT INTO segment (source_lang, target_lang, source_text_id, target_text_id,
                        source_hash, document_id, score, flags, origin, created_at, changed_at)
                     VALUES ('en', 'es', {k}, {}, 0, 1, 1, 0, 'import', 0, 0)",
                    k + 1000,
                    k + 1000
                ))
                .unwrap();
        };
        add(&s, 1, "Save the file");
        s.update_lookup_index().unwrap();
        s.update_lookup_index().unwrap();
        add(&s, 2, "Save the world");
        s.update_lookup_index().unwrap();
        s.update_lookup_index().unwrap();
        let docs = super::docs(&s.conn, "save").unwrap();
        assert_eq!(docs, Some(2));
        assert_eq!(super::docs(&s.conn, "world").unwrap(), Some(1));
        // 40 texts sharing rare words: the word index serves the query, and a text with one
        // word changed finds its source among the 16 candidates.
        for k in 0..40 {
            let body = format!(
                "Rare{} sharedone sharedtwo word{k} sharedthree tail{}",
                k % 2,
                k % 3
            );
            add(&s, 10 + k, &body);
        }
        s.update_lookup_index().unwrap();
        let q = crate::store::CandidateQuery {
            text: "Rare1 sharedone sharedtwo word7 sharedthree tailx",
            source_lang: Some("en"),
            target_langs: &["es".to_string()],
            window: (0, 100),
            limit: 16,
            stop_at_exact: false,
        };
        let found = s.candidates(&q).unwrap();
        assert_eq!(found.len(), 16);
        assert!(found.iter().any(|c| c.source.contains("word7")));
    }
}
