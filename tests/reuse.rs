//! Reuse through the library: sentence segments stored at import from the fixtures, lookups
//! through `Store::best_matches` (exact first at 100, a changed number in 95-99, another
//! language pair with nothing), and a version-1 memory upgraded by migration 0002 whose
//! segments are found through the backfilled index. Every memory lives in a temporary folder.

use std::path::{Path, PathBuf};

use paralign::check::{check_sets, CheckOptions};
use paralign::collect::collect;
use paralign::document::normalize;
use paralign::reuse::{match_score, split_sentences, Prepared};
use paralign::store::{hash64, Clock, Store, SCHEMA_VERSION};
use rusqlite::{params, Connection};

const T1: i64 = 1_710_410_400; // 2024-03-14T10:00:00Z

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

fn paragraphs(rel: &str) -> Vec<String> {
    std::fs::read_to_string(fixture(rel))
        .unwrap()
        .split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

fn imported() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.sqlite");
    let mut store = Store::open(&db, Clock::Fixed(T1)).unwrap();
    let c = collect(&[fixture("statement")]);
    let mut docs = check_sets(c.sets, &CheckOptions::default());
    store.import(&mut docs, &mut |_| {}).unwrap();
    // The lookup index follows imports on demand (the CLI's lookups do this first).
    assert!(store.lookup_index_stale().unwrap());
    assert!(store.update_lookup_index().unwrap() > 0);
    assert!(!store.lookup_index_stale().unwrap());
    (dir, store)
}

fn langs(l: &str) -> Vec<String> {
    vec![l.to_string()]
}

#[test]
fn import_stores_sentence_segments_of_clean_pairs() {
    let (_dir, store) = imported();
    let (paragraphs, sentences) = store.segment_levels().unwrap();
    assert_eq!(paragraphs, 32);
    // Every numbered paragraph of the statement is several sentences that align one to one
    // in Spanish and in Russian; title, byline, separator and closing note are one sentence.
    let en = paragraphs_of_statement();
    let expected: usize = en
        .iter()
        .skip(2)
        .take(12)
        .map(|p| split_sentences(p).len())
        .sum();
    assert_eq!(sentences, 2 * expected, "{sentences} vs 2 × {expected}");
}

fn paragraphs_of_statement() -> Vec<String> {
    paragraphs("statement/statement.en.txt")
}

#[test]
fn best_matches_exact_changed_and_other_pairs() {
    let (_dir, store) = imported();
    let en = paragraphs_of_statement();
    let es = paragraphs("statement/statement.es.txt");
    for (i, p) in en.iter().enumerate() {
        if p.starts_with("* * *") {
            continue;
        }
        let m = store
            .best_matches(&Prepared::new(p), Some("en"), &langs("es"), 50, 3)
            .unwrap();
        let first = &m[0][0];
        assert_eq!(first.score.percent, 100, "paragraph {i}");
        assert_eq!(first.candidate.target, es[i], "paragraph {i}");
        assert_eq!(first.candidate.level, "paragraph");
    }
    // Paragraph 7 (index 8) with one number changed: first, in 95-99.
    let changed = en[8].replace("4.2%", "4.7%");
    assert_ne!(changed, en[8]);
    let m = store
        .best_matches(&Prepared::new(&changed), Some("en"), &langs("es"), 50, 3)
        .unwrap();
    let first = &m[0][0];
    assert!(
        (95..=99).contains(&first.score.percent),
        "{:?}",
        first.score
    );
    assert_eq!(first.candidate.target, es[8]);
    // Into French, or from Spanish: no pair in the memory.
    let m = store
        .best_matches(&Prepared::new(&en[4]), Some("en"), &langs("fr"), 0, 3)
        .unwrap();
    assert!(m[0].is_empty());
    let m = store
        .best_matches(&Prepared::new(&es[4]), Some("es"), &langs("ru"), 0, 3)
        .unwrap();
    assert!(m[0].is_empty());
}

#[test]
fn unrelated_text_stays_below_50() {
    let (_dir, store) = imported();
    let text = "Heavy rain flooded the football pitch, so the referee postponed the derby until next spring.";
    let m = store
        .best_matches(&Prepared::new(text), Some("en"), &langs("es"), 0, 5)
        .unwrap();
    assert!(m[0].iter().all(|m| m.score.percent < 50), "{:?}", m[0]);
    let en = paragraphs_of_statement();
    for p in &en {
        assert!(match_score(text, p).percent < 50);
    }
}

#[test]
fn a_version_1_memory_is_upgraded_and_its_segments_found() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v1.sqlite");
    let source = "The strike was called jointly by the two unions of the port.";
    let target = "La huelga fue convocada conjuntamente por los dos sindicatos del puerto.";
    {
        let c = Connection::open(&db).unwrap();
        c.execute_batch(include_str!("../memory/0001_initial.sql"))
            .unwrap();
        c.pragma_update(None, "user_version", 1).unwrap();
        c.execute(
            "INSERT INTO document (name, source_lang) VALUES ('old', 'en')",
            [],
        )
        .unwrap();
        for (id, body) in [(1, source), (2, target)] {
            c.execute(
                "INSERT INTO text (id, hash, body) VALUES (?1, ?2, ?3)",
                params![id, hash64(body), body],
            )
            .unwrap();
        }
        c.execute(
            "INSERT INTO segment (source_lang, target_lang, source_text_id, target_text_id,
                source_hash, document_id, label, score, flags, origin, created_at, changed_at)
             VALUES ('en', 'es', 1, 2, ?1, 1, NULL, 0.9, 0, 'import', ?2, ?2)",
            params![hash64(&normalize(source)), T1],
        )
        .unwrap();
    }
    let mut store = Store::open(&db, Clock::Fixed(T1)).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(store.update_lookup_index().unwrap(), 1);
    // Found through the trigram index (not the exact hash): one word changed.
    let query = "The strike was called jointly by the three unions of the port.";
    let m = store
        .best_matches(&Prepared::new(query), Some("en"), &langs("es"), 50, 3)
        .unwrap();
    let first = &m[0][0];
    assert_eq!(first.candidate.target, target);
    assert!(
        (75..100).contains(&first.score.percent),
        "{:?}",
        first.score
    );
    let m = store
        .best_matches(&Prepared::new(source), None, &langs("es"), 50, 3)
        .unwrap();
    assert_eq!(m[0][0].score.percent, 100);
}
