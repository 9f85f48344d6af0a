//! Fuzzy lookup speed on a large generated memory (not a timed test).
//!
//! `cargo bench --bench lookup` builds (once, then reuses) a memory of 1,000,000 English-Spanish
//! segments in `target/bench-lookup/million.sqlite`, then:
//! - `lookup`: 1,000 lookups through `Store::best_matches` (what `paralign lookup` runs): 40%
//!   stored sources, 30% stored sources with one word or number changed, 30% new text from the
//!   same vocabulary. Prints the median, 99th percentile and maximum, and how often the stored
//!   source came back first (at 100 for the first kind, in 50-99 for the second).
//! - `analyze`: `paralign analyze` (the release binary) of a 1,000-paragraph document made the
//!   same way, timed as a user would see it.
//!
//! `cargo bench --bench lookup -- lookup` (or `analyze`) runs one; `SEGMENTS=N` builds a
//! smaller memory elsewhere in target/bench-lookup. The generator draws words from a Zipf
//! distribution over 30,000 made-up words spelt with English letter frequencies, so that some
//! words (and trigrams) are everywhere and most are rare, as in real text; sentences have 6 to 40 words (one in five is a paragraph of 60 to 120),
//! some with numbers. Targets spell every word differently.

mod common;

use common::words::Words;
use common::Rng;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use paralign::document::normalize;
use paralign::reuse::Prepared;
use paralign::store::{hash64, Clock, Store};
use rusqlite::{params, Connection};

fn bench_dir() -> PathBuf {
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
fn memory(words: &Words) -> PathBuf {
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
            println!("memory: {} ({n} segments, reused)", path.display());
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
enum Kind {
    Stored,
    Changed,
    New,
}

/// Queries: (kind, text, the stored source it came from).
fn queries(db: &Path, words: &Words, n: usize, seed: u64) -> Vec<(Kind, String, String)> {
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

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn bench_lookup(db: &Path, words: &Words) {
    let store = Store::open_read_only(db).unwrap();
    let langs = vec!["es".to_string()];
    let qs = queries(db, words, 1_000, 42);
    // Warm the page cache as a user's second lookup would find it.
    for (_, q, _) in qs.iter().take(50) {
        store
            .best_matches(&Prepared::new(q), Some("en"), &langs, 50, 5)
            .unwrap();
    }
    let mut times = Vec::with_capacity(qs.len());
    let (mut first_ok, mut changed_ok, mut new_below) = (0, 0, 0);
    let (mut stored_n, mut changed_n, mut new_n) = (0, 0, 0);
    for (kind, q, stored) in &qs {
        let t = Instant::now();
        let m = store
            .best_matches(&Prepared::new(q), Some("en"), &langs, 50, 5)
            .unwrap();
        times.push(t.elapsed());
        let top = m[0].first();
        match kind {
            Kind::Stored => {
                stored_n += 1;
                if top.is_some_and(|m| m.score.percent == 100 && &m.candidate.source == stored) {
                    first_ok += 1;
                }
            }
            Kind::Changed => {
                changed_n += 1;
                if top.is_some_and(|m| m.score.percent < 100 && &m.candidate.source == stored) {
                    changed_ok += 1;
                }
            }
            Kind::New => {
                new_n += 1;
                if top.is_none_or(|m| m.score.percent < 100) {
                    new_below += 1;
                }
            }
        }
    }
    times.sort();
    println!(
        "lookup: {} queries: median {:.2?}, p99 {:.2?}, max {:.2?}",
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times[times.len() - 1]
    );
    println!(
        "  stored sources first at 100: {first_ok}/{stored_n}; one word or number changed, the stored source first: {changed_ok}/{changed_n}; new text not at 100: {new_below}/{new_n}"
    );
}

fn bench_analyze(db: &Path, words: &Words) {
    let qs = queries(db, words, 1_000, 7);
    let file = bench_dir().join("new.en.txt");
    let text: Vec<&str> = qs.iter().map(|q| q.1.as_str()).collect();
    std::fs::write(&file, text.join("\n\n") + "\n").unwrap();
    let bin = env!("CARGO_BIN_EXE_paralign");
    // once to warm the page cache
    let run = || {
        let t = Instant::now();
        let out = Command::new(bin)
            .args([
                "analyze",
                file.to_str().unwrap(),
                "--to",
                "es",
                "--format",
                "csv",
            ])
            .arg("--db")
            .arg(db)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (t.elapsed(), String::from_utf8(out.stdout).unwrap())
    };
    run();
    let (took, csv) = run();
    println!("analyze: 1,000 paragraphs against the memory in {took:.2?}");
    for line in csv.lines() {
        println!("  {line}");
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let want = |case: &str| args.is_empty() || args.iter().any(|a| a == case);
    let words = Words::new();
    let db = memory(&words);
    if want("lookup") {
        bench_lookup(&db, &words);
    }
    if want("analyze") {
        bench_analyze(&db, &words);
    }
}
