//! Tests of the memory's side of exchange.

use super::merge::SEGMENT_INDEXES;
use super::*;
use crate::exchange::Variant;
use crate::store::Clock;
use rusqlite::OptionalExtension;
use std::path::Path;

fn units(n: usize) -> Vec<Unit> {
    (0..n)
        .map(|i| Unit {
            source_lang: "en".into(),
            source: format!("Paragraph {i}."),
            document: Some(format!("doc{}", i % 2)),
            label: Some(i.to_string()),
            targets: vec![Variant {
                lang: "es".into(),
                text: format!("Párrafo {i}."),
                score: Some(0.5),
                flags: vec![],
                created: Some(1),
                changed: Some(2),
                ..Variant::default()
            }],
            ..Unit::default()
        })
        .collect()
}

fn memory() -> SqliteStore {
    SqliteStore::open(Path::new(":memory:"), Clock::Fixed(0)).unwrap()
}

/// The definitions of the memory's indexes, and its foreign key and cache settings.
fn settings(s: &SqliteStore) -> (Vec<String>, i64, i64) {
    let mut st = s
        .conn
        .prepare(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
        )
        .unwrap();
    let indexes = st
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<Vec<String>>>()
        .unwrap();
    let fk = s
        .conn
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    let cache = s
        .conn
        .pragma_query_value(None, "cache_size", |r| r.get(0))
        .unwrap();
    (indexes, fk, cache)
}

fn rows(s: &SqliteStore) -> Vec<(i64, String, String, String, String)> {
    let mut st = s
        .conn
        .prepare(
            "SELECT s.id, d.name, s.label, a.body, b.body FROM segment s
                 JOIN document d ON d.id = s.document_id
                 JOIN text a ON a.id = s.source_text_id JOIN text b ON b.id = s.target_text_id
                 ORDER BY s.id",
        )
        .unwrap();
    st.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

#[test]
fn a_bulk_merge_builds_the_indexes_again_as_the_schema_has_them() {
    let fresh = settings(&memory());
    assert_eq!(fresh.0.len(), 8, "{:?}", fresh.0);
    assert!(fresh.0.contains(&SEGMENT_INDEXES[0].1.to_string()));
    assert!(fresh.0.contains(&SEGMENT_INDEXES[1].1.to_string()));

    let mut bulk = memory();
    let all = units(5);
    let r = bulk
        .merge_units_with("test", "d", &mut all.clone().into_iter().map(Ok), 2)
        .unwrap();
    assert_eq!((r.units, r.added, r.existing), (5, 5, 0));
    assert_eq!(settings(&bulk), fresh);
    let violations: Option<String> = bulk
        .conn
        .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
        .optional()
        .unwrap();
    assert_eq!(violations, None);

    // The same rows as a merge that never counts as bulk.
    let mut plain = memory();
    plain
        .merge_units_with(
            "test",
            "d",
            &mut all.clone().into_iter().map(Ok),
            usize::MAX,
        )
        .unwrap();
    assert_eq!(rows(&bulk), rows(&plain));
    assert_eq!(
        rows(&bulk)[4],
        (
            5,
            "doc0".into(),
            "4".into(),
            "Paragraph 4.".into(),
            "Párrafo 4.".into()
        )
    );

    // Again, in bulk: nothing new, and the indexes are there still.
    let r = bulk
        .merge_units_with("test", "d", &mut all.into_iter().map(Ok), 2)
        .unwrap();
    assert_eq!((r.added, r.existing), (0, 5));
    assert_eq!(settings(&bulk), fresh);
}

#[test]
fn a_bulk_merge_that_fails_keeps_the_indexes_and_writes_nothing() {
    let mut s = memory();
    let fresh = settings(&s);
    let mut items = units(4)
        .into_iter()
        .map(Ok)
        .chain(std::iter::once(Err(crate::Error::input("broken"))));
    let e = s.merge_units_with("test", "d", &mut items, 2).unwrap_err();
    assert_eq!(e.to_string(), "broken");
    assert_eq!(settings(&s), fresh);
    assert!(rows(&s).is_empty());
}

#[test]
fn a_version_3_memory_upgrades_and_its_segments_export_without_codes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.sqlite");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        for sql in &super::super::schema::MIGRATIONS[..3] {
            c.execute_batch(sql).unwrap();
        }
        c.execute_batch(
            "PRAGMA user_version = 3; PRAGMA application_id = 1346456647;
                 INSERT INTO document (id, name) VALUES (1, 'law');
                 INSERT INTO text (id, hash, body) VALUES (1, 0, 'Hello'), (2, 0, 'Hola');
                 INSERT INTO segment (source_lang, target_lang, source_text_id, target_text_id,
                     source_hash, document_id, label, score, flags, origin, created_at,
                     changed_at)
                 VALUES ('en', 'es', 1, 2, 0, 1, '1', 0.5, 0, 'import', 10, 20);",
        )
        .unwrap();
    }
    let s = SqliteStore::open(&path, Clock::Fixed(0)).unwrap();
    assert_eq!(
        s.schema_version().unwrap(),
        super::super::schema::SCHEMA_VERSION
    );
    let mut got = Vec::new();
    s.export_rows(&ExportFilter::default(), &mut |r| {
        got.push(r);
        Ok(())
    })
    .unwrap();
    let want = Row {
        group: 1,
        source_lang: "en".into(),
        target_lang: "es".into(),
        document: "law".into(),
        label: Some("1".into()),
        source: "Hello".into(),
        target: "Hola".into(),
        score: Some(0.5),
        flags: vec![],
        created: 10,
        changed: 20,
        ..Row::default()
    };
    assert_eq!(got, [want]);
}

#[test]
fn codes_and_meta_go_through_the_memory() {
    let mut u = units(1).remove(0);
    u.source_codes = vec![InlineCode {
        at: 4,
        tag: "ph".into(),
        attrs: vec![("x".into(), "1".into())],
        content: "&lt;br/&gt;".into(),
    }];
    u.meta.attrs = vec![("creationid".into(), "ana".into())];
    u.source_meta.attrs = vec![("creationdate".into(), "20240101T000000Z".into())];
    u.targets[0].codes = vec![InlineCode {
        at: 0,
        tag: "hi".into(),
        ..InlineCode::default()
    }];
    u.targets[0].meta.children = vec![crate::exchange::Annotation {
        element: "note".into(),
        attrs: vec![],
        text: "checked".into(),
    }];
    let mut s = memory();
    s.merge_units("tmx", "d", &mut std::iter::once(Ok(u.clone())))
        .unwrap();
    let mut got = Vec::new();
    s.export_units(&ExportFilter::default(), &mut |x| {
        got.push(x);
        Ok(())
    })
    .unwrap();
    assert_eq!(got, [u]);
}
