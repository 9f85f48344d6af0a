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
#[path = "common/memory.rs"]
mod memory;

use memory::{bench_dir, memory, queries, Kind, Words};

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use paralign::reuse::Prepared;
use paralign::store::Store;

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
