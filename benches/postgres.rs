//! The PostgreSQL memory at scale (not a timed test): a bulk load by COPY and fuzzy lookups.
//!
//! `cargo bench --bench postgres` loads `SEGMENTS` (default 1,000,000) generated English-Spanish
//! segments (`common/words.rs`, the same text as `benches/lookup.rs`) through
//! `Store::merge_units` (what `paralign import-tmx` runs: into an empty memory, from 50,000
//! segments on, a bulk load that locks the tables, writes texts and segments by binary COPY a
//! batch at a time while a thread of its own gathers the lookup index's posting lists, which
//! follow by binary COPY, and builds the other indexes and the constraints at the end, all in
//! one transaction) and prints segments per second, then runs
//! 1,000 lookups through `Store::best_matches` (40% stored sources, 30% with one word or number
//! changed, 30% new text) and prints their median, 99th percentile and maximum (after `VACUUM
//! ANALYZE`, `Store::update_lookup_index`, which finds nothing left to index after a bulk load,
//! and counting the trigrams again, each timed). The server is
//! `PARALIGN_BENCH_PG` (an empty database; its data is left there), else a throw-away cluster
//! started as the tests start theirs (`tests/util/pg.rs`: fsync and synchronous commit off,
//! which a bulk load in one transaction hardly notices) and removed at the end.

mod common;
#[path = "../tests/util/pg.rs"]
mod pg;

use common::words::Words;
use common::Rng;

use std::path::Path;
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use paralign::exchange::{Unit, Variant};
use paralign::reuse::Prepared;
use paralign::store::{Clock, Store};

const T: i64 = 1_710_410_400;

fn segments_wanted() -> usize {
    std::env::var("SEGMENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// Load `n` segments; a sample of the stored sources (one in `n / 2000`).
fn load(db: &str, words: &Words, n: usize) -> Vec<String> {
    let (tx, rx) = sync_channel::<(Unit, Option<String>)>(4096);
    let every = (n / 2000).max(1);
    std::thread::scope(|s| {
        s.spawn(move || {
            let mut rng = Rng(0x0DDB_1A5E_5EED_0001);
            for k in 0..n {
                let (src, tgt) = words.pair(&mut rng);
                let sample = (k % every == 0).then(|| src.clone());
                let unit = Unit {
                    source_lang: "en".into(),
                    source: src,
                    document: Some(format!("generated-{}", k % 100)),
                    label: Some((k % 1000).to_string()),
                    targets: vec![Variant {
                        lang: "es".into(),
                        text: tgt,
                        score: Some(0.9),
                        created: Some(T),
                        changed: Some(T),
                        ..Variant::default()
                    }],
                    ..Unit::default()
                };
                if tx.send((unit, sample)).is_err() {
                    return;
                }
            }
        });
        let mut store = Store::open(Path::new(db), Clock::Fixed(T)).unwrap();
        let mut samples = Vec::new();
        let started = Instant::now();
        let mut units = rx.into_iter().enumerate().map(|(k, (u, sample))| {
            samples.extend(sample);
            if (k + 1) % 1_000_000 == 0 {
                println!("  {} segments, {:.0?}", k + 1, started.elapsed());
            }
            Ok(u)
        });
        let report = store.merge_units("tmx", "generated", &mut units).unwrap();
        let took = started.elapsed();
        drop(units);
        println!(
            "load (COPY, one transaction): {} segments added ({} already there) in {took:.1?}: {:.0} segments/s",
            report.added,
            report.existing,
            n as f64 / took.as_secs_f64()
        );
        samples
    })
}

fn bench_lookup(db: &str, words: &Words, stored: &[String]) {
    let store = Store::open_read_only(Path::new(db)).unwrap();
    let langs = vec!["es".to_string()];
    let mut rng = Rng(42);
    let mut fresh = Rng(42 ^ 0xFFFF_0000_FFFF);
    let qs: Vec<(usize, String, String)> = (0..1_000)
        .map(|k| {
            let s = stored[rng.below(stored.len() as u64) as usize].clone();
            match k % 10 {
                0..=3 => (0, s.clone(), s),
                4..=6 => {
                    let mut toks: Vec<String> = s.split(' ').map(str::to_string).collect();
                    let i = rng.below(toks.len() as u64) as usize;
                    toks[i] = words.words[words.draw(&mut rng)].clone();
                    (1, toks.join(" "), s)
                }
                _ => (2, words.pair(&mut fresh).0, s),
            }
        })
        .collect();
    for (_, q, _) in qs.iter().take(50) {
        store
            .best_matches(&Prepared::new(q), Some("en"), &langs, 50, 5)
            .unwrap();
    }
    let mut times = Vec::with_capacity(qs.len());
    let mut ok = [0usize; 3];
    let mut n = [0usize; 3];
    for (kind, q, stored) in &qs {
        let t = Instant::now();
        let m = store
            .best_matches(&Prepared::new(q), Some("en"), &langs, 50, 5)
            .unwrap();
        times.push(t.elapsed());
        let top = m[0].first();
        n[*kind] += 1;
        let good = match kind {
            0 => top.is_some_and(|m| m.score.percent == 100 && &m.candidate.source == stored),
            1 => top.is_some_and(|m| m.score.percent < 100 && &m.candidate.source == stored),
            _ => top.is_none_or(|m| m.score.percent < 100),
        };
        ok[*kind] += usize::from(good);
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
        "  stored sources first at 100: {}/{}; one word changed, the stored source first: {}/{}; new text not at 100: {}/{}",
        ok[0], n[0], ok[1], n[1], ok[2], n[2]
    );
}

fn main() {
    let n = segments_wanted();
    let db = match std::env::var("PARALIGN_BENCH_PG") {
        Ok(url) if !url.is_empty() => url,
        _ => pg::fresh_db(),
    };
    let words = Words::new();
    let stored = load(&db, &words, n);
    let t = Instant::now();
    let mut c = postgres::Client::connect(&db, postgres::NoTls).unwrap();
    c.batch_execute("VACUUM ANALYZE").unwrap();
    println!("vacuum analyze: {:.1?}", t.elapsed());
    let size: i64 = c
        .query_one("SELECT pg_database_size(current_database())", &[])
        .unwrap()
        .get(0);
    println!("database: {:.0} MB", size as f64 / 1e6);
    drop(c);
    let t = Instant::now();
    let mut store = Store::open(Path::new(&db), Clock::Fixed(T)).unwrap();
    let indexed = store.update_lookup_index().unwrap();
    println!(
        "lookup index update: {indexed} texts indexed in {:.1?}",
        t.elapsed()
    );
    let t = Instant::now();
    store.refresh_lookup_stats().unwrap();
    drop(store);
    println!("trigram counts: {:.1?}", t.elapsed());
    bench_lookup(&db, &words, &stored);
}
