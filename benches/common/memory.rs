//! The large memory the lookup and serve benchmarks share: 1,000,000 English-Spanish segments
//! (`SEGMENTS=N` for another size) built once in `target/bench-lookup` and reused (a memory
//! of an older schema is upgraded on reuse and its lookup index completed: the word index of
//! schema 6 took 26 s for the 1,000,000 texts), and queries
//! drawn from it. Words come from a Zipf distribution over 30,000 made-up words spelt with
//! English letter frequencies, so that some words (and trigrams) are everywhere and most are
//! rare, as in real text; sentences have 6 to 40 words (one in five is a paragraph of 60 to
//! 120), some with numbers. Targets spell every word differently. Included by `#[path]` from
//! the benchmarks that use it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use paralign::document::normalize;
use paralign::store::{hash64, Clock, Store};
use rusqlite::{params, Connection};

pub use crate::common::words::Words;
use crate::common::Rng;

pub fn bench_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("bench-lookup")
}

fn segments_wanted() -> usize {
    std::env::var("SEGMENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

/// The memory, built when absent (or of another size).
pub fn memory(words: &Words) -> PathBuf {
    let n = segments_wanted();
    let dir = bench_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let path = if n == 1_000_000 {
        dir.join("million.sqlite")
    } else {
        dir.join(format!("memory-{n}.sqlite"))
    };
    if path.exists() {
        let c = Connection::open(&path).unwrap();
        let have: i64 = c
            .query_row("SELECT count(*) FROM segment", [], |r| r.get(0))
            .unwrap_or(0);
        if have as usize == n {
            drop(c);
            // A memory of an older schema is upgraded, and its lookup index completed.
            let t = Instant::now();
            let mut store = Store::open(&path, Clock::Fixed(1_710_410_400)).unwrap();
            store.update_lookup_index().unwrap();
            drop(store);
            println!(
                "memory: {} ({n} segments, reused; index brought up to date in {:.1?})",
                path.display(),
                t.elapsed()
            );
            return path;
        }
        drop(c);
        std::fs::remove_file(&path).unwrap();
    }
    let started = Instant::now();
    drop(Store::open(&path, Clock::Fixed(1_710_410_400)).unwrap());
    let mut c = Connection::open(&path).unwrap();
    c.pragma_update(None, "journal_mode", "WAL").unwrap();
    c.pragma_update(None, "synchronous", "OFF").unwrap();
    let tx = c.transaction().unwrap();
    tx.execute(
        "INSERT INTO document (name, source_lang) VALUES ('generated', 'en')",
        [],
    )
    .unwrap();
    let doc = tx.last_insert_rowid();
    let mut rng = Rng(0x0DDB_1A5E_5EED_0001);
    {
        let mut text = tx
            .prepare("INSERT INTO text (hash, body) VALUES (?1, ?2)")
            .unwrap();
        let mut seg = tx
            .prepare(
                "INSERT INTO segment (source_lang, target_lang, source_text_id, target_text_id,
                    source_hash, document_id, label, score, flags, origin, created_at, changed_at)
                 VALUES ('en', 'es', ?1, ?2, ?3, ?4, ?5, 0.9, 0, 'import', 1710410400, 1710410400)",
            )
            .unwrap();
        for k in 0..n {
            let (s, t) = words.pair(&mut rng);
            text.execute(params![hash64(&s), s]).unwrap();
            let sid = tx.last_insert_rowid();
            text.execute(params![hash64(&t), t]).unwrap();
            let tid = tx.last_insert_rowid();
            seg.execute(params![
                sid,
                tid,
                hash64(&normalize(&s)),
                doc,
                (k % 1000).to_string()
            ])
            .unwrap();
            if (k + 1) % 100_000 == 0 {
                println!("  {} segments, {:.0?}", k + 1, started.elapsed());
            }
        }
    }
    tx.commit().unwrap();
    drop(c);
    let counted = Instant::now();
    let mut store = Store::open(&path, Clock::Fixed(1_710_410_400)).unwrap();
    let indexed = store.update_lookup_index().unwrap();
    store.refresh_lookup_stats().unwrap();
    drop(store);
    println!(
        "  lookup index: {indexed} texts indexed and trigrams counted in {:.1?}",
        counted.elapsed()
    );
    let c = Connection::open(&path).unwrap();
    c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;")
        .unwrap();
    drop(c);
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "memory: {} built in {:.1?}: {n} segments, {:.0} MB",
        path.display(),
        started.elapsed(),
        size as f64 / 1e6
    );
    path
}

/// The kinds of query.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Stored,
    Changed,
    New,
}

/// Queries: (kind, text, the stored source it came from).
pub fn queries(db: &Path, words: &Words, n: usize, seed: u64) -> Vec<(Kind, String, String)> {
    let c = Connection::open(db).unwrap();
    let max: i64 = c
        .query_row("SELECT max(id) FROM segment", [], |r| r.get(0))
        .unwrap();
    let mut rng = Rng(seed);
    let mut fresh = Rng(seed ^ 0xFFFF_0000_FFFF);
    let mut st = c
        .prepare(
            "SELECT t.body FROM segment s JOIN text t ON t.id = s.source_text_id WHERE s.id = ?1",
        )
        .unwrap();
    (0..n)
        .map(|k| {
            let kind = match k % 10 {
                0..=3 => Kind::Stored,
                4..=6 => Kind::Changed,
                _ => Kind::New,
            };
            let id = 1 + rng.below(max as u64) as i64;
            let stored: String = st.query_row([id], |r| r.get(0)).unwrap();
            let text = match kind {
                Kind::Stored => stored.clone(),
                Kind::Changed => {
                    let mut toks: Vec<String> = stored.split(' ').map(str::to_string).collect();
                    let i = rng.below(toks.len() as u64) as usize;
                    let digits = toks[i].chars().any(|c| c.is_ascii_digit());
                    toks[i] = if digits {
                        format!("{}", rng.below(100_000))
                    } else {
                        words.words[words.draw(&mut rng)].clone()
                    };
                    toks.join(" ")
                }
                Kind::New => words.pair(&mut fresh).0,
            };
            (kind, text, stored)
        })
        .collect()
}
