//! A bulk load into an empty PostgreSQL memory (a merge of 50,000 segments or more, which takes
//! the tables for itself and builds indexes and constraints at the end) stores what SQLite
//! stores from the same units: the same report, the same segments in the same order, the same
//! lookups; and one that fails leaves the memory as it was, indexes and constraints included.

mod util;

use std::path::Path;

use paralign::exchange::{Unit, Variant};
use paralign::reuse::Prepared;
use paralign::store::{Clock, SegmentFilter, Store};
use paralign::{Error, Result};

const T: i64 = 1_710_410_400;
const UNITS: usize = 60_000;

const WORDS: [&str; 24] = [
    "gate", "strike", "port", "city", "council", "garden", "land", "owned", "workers", "union",
    "talks", "offer", "wage", "night", "shift", "crane", "ship", "dock", "rule", "law", "vote",
    "Élan", "año", "38",
];

/// Unit `k`: made-up sentences, with repeats (the same unit again, a source with a second
/// target, a target that is another unit's source) and two language pairs.
fn unit(k: usize) -> Unit {
    let k = if k % 997 == 996 { k / 3 } else { k };
    let words = |mut x: usize, n: usize| -> String {
        let mut out = Vec::new();
        for _ in 0..n {
            out.push(WORDS[x % WORDS.len()]);
            x /= WORDS.len();
            x += 7;
        }
        out.join(" ")
    };
    let source = format!("{} {k}.", words(k * 31 + 5, 3 + k % 9));
    let target = if k % 101 == 3 {
        // another unit's source: a text both target and source
        format!("{} {}.", words((k + 1) * 31 + 5, 3 + (k + 1) % 9), k + 1)
    } else {
        format!("{} {}", words(k * 17 + 1, 3 + k % 7), k % 5000)
    };
    let lang = if k % 10 == 0 { "fr" } else { "es" };
    let mut targets = vec![Variant {
        lang: lang.into(),
        text: target,
        score: Some(0.5 + (k % 5) as f64 / 10.0),
        created: Some(T),
        changed: Some(T + (k % 3) as i64),
        ..Variant::default()
    }];
    if k % 50 == 0 {
        targets.push(Variant {
            lang: "es".into(),
            text: format!("otra {k}"),
            ..Variant::default()
        });
    }
    Unit {
        source_lang: "en".into(),
        source: source.clone(),
        document: Some(format!("doc-{}", k % 7)),
        label: (k % 4 != 0).then(|| format!("p{}", k % 13)),
        targets,
        ..Unit::default()
    }
}

/// Everything read back: the merge's report, every segment, some lookups.
fn load(db: &Path) -> Vec<String> {
    let mut store = Store::open(db, Clock::Fixed(T)).unwrap();
    let mut units = (0..UNITS).map(|k| Ok(unit(k)));
    let report = store.merge_units("tmx", "bulk", &mut units).unwrap();
    store.update_lookup_index().unwrap();
    let mut out = vec![format!("report {report:?}")];
    let all = store.segments(&SegmentFilter::default()).unwrap();
    out.push(format!("segments {}", all.total));
    out.extend(all.segments.iter().map(|s| format!("{s:?}")));
    for k in [0, 3, 996, 12_345, 59_999] {
        let u = unit(k);
        for q in [u.source.clone(), u.source.replacen(' ', " port ", 1)] {
            let langs = ["es".to_string(), "fr".to_string()];
            let m = store
                .best_matches(&Prepared::new(&q), Some("en"), &langs, 50, 3)
                .unwrap();
            out.push(format!("lookup {q:?} {m:?}"));
        }
    }
    out
}

#[test]
fn a_bulk_load_stores_what_sqlite_stores() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = load(&dir.path().join("memory.sqlite"));
    assert_eq!(
        sqlite[0],
        "report MergeReport { units: 60000, added: 61159, existing: 40, documents_created: 7, langs: [\"en\", \"es\", \"fr\"] }"
    );
    let pg = load(Path::new(&util::pg::fresh_db()));
    assert_eq!(sqlite.len(), pg.len());
    for (k, (a, b)) in sqlite.iter().zip(&pg).enumerate() {
        assert_eq!(a, b, "line {k} differs");
    }
}

/// The indexes and constraints of the tables a bulk load changes.
fn schema(db: &str) -> Vec<String> {
    let mut c = postgres::Client::connect(db, postgres::NoTls).unwrap();
    let mut out: Vec<String> = c
        .query(
            "SELECT indexdef FROM pg_indexes WHERE tablename IN ('text', 'segment')
             UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
             WHERE conrelid IN ('text'::regclass, 'segment'::regclass)",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    out.sort();
    out
}

#[test]
fn a_failed_bulk_load_leaves_the_memory_as_it_was() {
    let db = util::pg::fresh_db();
    let mut store = Store::open(Path::new(&db), Clock::Fixed(T)).unwrap();
    let before = schema(&db);
    assert!(before.iter().any(|d| d.contains("text_by_hash")));
    let mut units = (0..UNITS + 1).map(|k| -> Result<Unit> {
        if k == UNITS {
            Err(Error::input("the file ends early"))
        } else {
            Ok(unit(k))
        }
    });
    let e = store.merge_units("tmx", "bulk", &mut units).unwrap_err();
    assert!(e.to_string().contains("the file ends early"), "{e}");
    assert_eq!(schema(&db), before);
    assert_eq!(store.sizes().unwrap(), (0, 0, 0, 0, 0));
    assert!(!store.lookup_index_stale().unwrap());
    // and the memory takes a load afterwards
    let mut units = (0..10).map(|k| Ok(unit(k)));
    let report = store.merge_units("tmx", "bulk", &mut units).unwrap();
    assert_eq!(report.added, 11);
    assert_eq!(store.update_lookup_index().unwrap(), 10);
}
