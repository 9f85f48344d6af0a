//! The translation memory through the library: the outdated round trip on the fixtures,
//! history, de-duplication and filters, bad databases left untouched, concurrent writers.
//! Every memory lives in a temporary folder; the default database is never opened.

use std::fs;
use std::path::{Path, PathBuf};

use paralign::align::{Flag, Reason};
use paralign::check::{check_sets, CheckOptions, DocResult};
use paralign::collect::collect;
use paralign::store::{hash64, hash_hex, Change, Clock, SegmentFilter, Store, SCHEMA_VERSION};
use rusqlite::Connection;

const T1: i64 = 1_710_410_400; // 2024-03-14T10:00:00Z

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// A temporary folder with a copy of fixtures/statement (and law, when asked).
fn workspace(with_law: bool) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("paralign-store-")
        .tempdir()
        .unwrap();
    let mut sets = vec!["statement"];
    if with_law {
        sets.push("law");
    }
    for set in sets {
        fs::create_dir_all(dir.path().join(set)).unwrap();
        for e in fs::read_dir(fixture(set)).unwrap() {
            let e = e.unwrap();
            fs::copy(e.path(), dir.path().join(set).join(e.file_name())).unwrap();
        }
    }
    dir
}

fn aligned(paths: &[PathBuf]) -> Vec<DocResult> {
    let c = collect(paths);
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    check_sets(c.sets, &CheckOptions::default())
}

fn import(
    db: &Path,
    at: i64,
    paths: &[PathBuf],
) -> (Vec<DocResult>, paralign::store::ImportReport) {
    let mut store = Store::open(db, Clock::Fixed(at)).unwrap();
    let mut docs = aligned(paths);
    let report = store.import(&mut docs, &mut |_| {}).unwrap();
    (docs, report)
}

/// Replace text in a file (the text must be there).
fn edit(path: &Path, from: &str, to: &str) {
    let t = fs::read_to_string(path).unwrap();
    assert!(t.contains(from), "{} lacks {from:?}", path.display());
    fs::write(path, t.replacen(from, to, 1)).unwrap();
}

/// The source indices of the outdated pairs of each target, by language.
fn outdated(docs: &[DocResult]) -> Vec<(String, Vec<usize>)> {
    let mut out = Vec::new();
    for d in docs {
        for t in &d.targets {
            let o: Vec<usize> = t
                .alignment
                .pairs
                .iter()
                .filter(|p| p.flags.contains(&Flag::Outdated))
                .inspect(|p| assert!(p.reasons.contains(&Reason::SourceChanged)))
                .flat_map(|p| p.source.clone())
                .collect();
            out.push((t.version.lang.to_string(), o));
        }
    }
    out
}

/// Every row of every (real) table, sorted: equal dumps mean equal memories.
fn dump(db: &Path) -> Vec<String> {
    let c = Connection::open(db).unwrap();
    let mut tables: Vec<String> = c
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'
             ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    tables.retain(|t| !t.starts_with("sqlite_"));
    let mut out = Vec::new();
    for t in tables {
        let mut st = c.prepare(&format!("SELECT * FROM {t}")).unwrap();
        let n = st.column_count();
        let rows = st
            .query_map([], |r| {
                let cells: Vec<String> = (0..n)
                    .map(|k| format!("{:?}", r.get_ref(k).unwrap()))
                    .collect();
                Ok(format!("{t}: {}", cells.join(" | ")))
            })
            .unwrap()
            .map(Result::unwrap);
        out.extend(rows);
    }
    // Rows in a stable order whatever the table's key.
    out.sort();
    out
}

#[test]
fn round_trip_marks_exactly_the_translations_of_the_edited_paragraph() {
    let ws = workspace(true);
    let db = ws.path().join("memory.sqlite");
    let paths = vec![ws.path().join("statement"), ws.path().join("law")];

    let (docs, report) = import(&db, T1, &paths);
    assert!(report.changed());
    assert!(outdated(&docs).iter().all(|(_, o)| o.is_empty()));

    // Paragraph "5." (index 6) of the English source changes.
    let en = ws.path().join("statement/statement.en.txt");
    edit(&en, "Gate 4", "Gate 5");

    // check, before importing the change, already sees it.
    let store = Store::open_read_only(&db).unwrap();
    let mut checked = aligned(&paths);
    assert_eq!(store.mark_docs(&mut checked).unwrap(), 2);
    drop(store);
    let want = vec![
        ("fr".to_string(), vec![]),
        ("es".to_string(), vec![6]),
        ("ru".to_string(), vec![6]),
    ];
    let mut got = outdated(&checked);
    got.sort();
    let mut w = want.clone();
    w.sort();
    assert_eq!(got, w);

    let (docs, report) = import(&db, T1 + 60, &paths);
    let st = report
        .documents
        .iter()
        .find(|d| d.id == "statement")
        .unwrap();
    let changes: Vec<(&str, Change)> = st
        .versions
        .iter()
        .map(|v| (v.lang.as_str(), v.change))
        .collect();
    assert_eq!(
        changes,
        vec![
            ("en", Change::Changed),
            ("es", Change::Unchanged),
            ("ru", Change::Unchanged)
        ]
    );
    assert!(st.targets.iter().all(|t| t.realigned && t.outdated == 1));
    let law = report.documents.iter().find(|d| d.id == "law").unwrap();
    assert!(law.versions.iter().all(|v| v.change == Change::Unchanged));
    assert!(law.targets.iter().all(|t| !t.realigned));
    let mut got = outdated(&docs);
    got.sort();
    assert_eq!(got, w);

    // status shows it, per language and per paragraph.
    let store = Store::open_read_only(&db).unwrap();
    let status = store.status().unwrap();
    let counts: Vec<(String, String, usize, usize)> = status
        .iter()
        .flat_map(|d| {
            d.targets
                .iter()
                .map(|t| (d.id.clone(), t.lang.clone(), t.outdated, t.translated))
        })
        .collect();
    assert_eq!(
        counts,
        vec![
            ("law".into(), "fr".into(), 0, 13),
            ("statement".into(), "es".into(), 1, 16),
            ("statement".into(), "ru".into(), 1, 16),
        ]
    );
    let detail = store.document("statement").unwrap().unwrap();
    for l in &detail.langs {
        for (i, s) in l.states.iter().enumerate() {
            let s = s.as_ref().unwrap();
            assert_eq!(s.flags.contains(&Flag::Outdated), i == 6, "{} {i}", l.lang);
        }
    }
    // The outdated segments remember the source text they were translated from.
    let page = store
        .segments(&SegmentFilter {
            flags: vec![Flag::Outdated],
            ..SegmentFilter::default()
        })
        .unwrap();
    assert_eq!(page.total, 2);
    let old = fs::read_to_string(fixture("statement/statement.en.txt")).unwrap();
    let old_para = old.lines().find(|l| l.contains("Gate 4")).unwrap();
    let old_hash = hash_hex(hash64(&paralign::document::normalize(old_para)));
    for s in &page.segments {
        assert!(s.outdated && s.source.contains("Gate 5"));
        assert_eq!(s.source_hash, old_hash);
        assert_eq!((s.created, s.changed), (T1 + 60, T1 + 60));
    }
    drop(store);

    // A new Spanish text for that paragraph ends it for Spanish only.
    let es = ws.path().join("statement/statement.es.txt");
    edit(&es, "puerta 4", "puerta 5");
    let (docs, _) = import(&db, T1 + 120, &paths);
    let mut got = outdated(&docs);
    got.sort();
    assert_eq!(
        got,
        vec![
            ("es".to_string(), vec![]),
            ("fr".to_string(), vec![]),
            ("ru".to_string(), vec![6]),
        ]
    );
    // The English going back to the text the Russian was made from ends it for Russian, and
    // makes the new Spanish text the outdated one.
    edit(&en, "Gate 5", "Gate 4");
    let (docs, _) = import(&db, T1 + 240, &paths);
    let mut got = outdated(&docs);
    got.sort();
    assert_eq!(
        got,
        vec![
            ("es".to_string(), vec![6]),
            ("fr".to_string(), vec![]),
            ("ru".to_string(), vec![]),
        ]
    );
}

#[test]
fn an_unchanged_import_writes_nothing() {
    let ws = workspace(true);
    let db = ws.path().join("m.sqlite");
    let paths = vec![ws.path().to_path_buf()];
    import(&db, T1, &paths);
    let before = dump(&db);
    let (_, report) = import(&db, T1 + 3600, &paths);
    assert!(!report.changed());
    assert_eq!(dump(&db), before);
    // The memory also says so before anything is aligned.
    let store = Store::open(&db, Clock::Fixed(T1)).unwrap();
    let c = collect(&paths);
    for set in &c.sets {
        let same = store.unchanged(set, None).unwrap().expect("unchanged");
        assert!(same.versions.iter().all(|v| v.change == Change::Unchanged));
    }
}

#[test]
fn a_changed_target_replaces_its_alignment_and_keeps_history() {
    let ws = workspace(false);
    let db = ws.path().join("m.sqlite");
    let paths = vec![ws.path().join("statement")];
    import(&db, T1, &paths);
    edit(
        &ws.path().join("statement/statement.es.txt"),
        "puerta 4",
        "puerta 5",
    );
    let (_, report) = import(&db, T1 + 10, &paths);
    let es = &report.documents[0].versions[1];
    assert_eq!((es.lang.as_str(), es.change), ("es", Change::Changed));
    let c = Connection::open(&db).unwrap();
    let rows: Vec<(i64, Option<i64>)> = c
        .prepare("SELECT imported_at, superseded_at FROM version WHERE lang = 'es' ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows, vec![(T1, Some(T1 + 10)), (T1 + 10, None)]);
    let alignments: Vec<(i64, Option<i64>)> = c
        .prepare(
            "SELECT created_at, superseded_at FROM alignment WHERE target_lang = 'es' ORDER BY id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(alignments, vec![(T1, Some(T1 + 10)), (T1 + 10, None)]);
    // The old version's paragraphs and pairs are still there.
    let paragraphs: i64 = c
        .query_row(
            "SELECT count(*) FROM paragraph p JOIN version v ON v.id = p.version_id
             WHERE v.lang = 'es'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(paragraphs, 32);
    // The Russian alignment was not touched.
    let ru: i64 = c
        .query_row(
            "SELECT count(*) FROM alignment WHERE target_lang = 'ru'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(ru, 1);
}

#[test]
fn segments_are_deduplicated_and_filtered() {
    let ws = workspace(false);
    // The same texts under another document name.
    let copy = ws.path().join("copy");
    fs::create_dir_all(&copy).unwrap();
    for lang in ["en", "es", "ru"] {
        fs::copy(
            ws.path().join(format!("statement/statement.{lang}.txt")),
            copy.join(format!("again.{lang}.txt")),
        )
        .unwrap();
    }
    let db = ws.path().join("m.sqlite");
    import(&db, T1, &[ws.path().join("statement")]);
    let store = Store::open_read_only(&db).unwrap();
    let all = store.segments(&SegmentFilter::default()).unwrap();
    assert_eq!(all.total, 32);
    drop(store);
    let (_, report) = import(&db, T1 + 5, &[copy]);
    assert!(report.documents[0]
        .targets
        .iter()
        .all(|t| t.segments_new == 0 && t.segments_changed == 16));
    let store = Store::open_read_only(&db).unwrap();
    let all = store.segments(&SegmentFilter::default()).unwrap();
    assert_eq!(all.total, 32, "the same pairs are stored once");
    assert!(all.segments.iter().all(|s| s.document == "again"));
    assert!(all
        .segments
        .iter()
        .all(|s| s.created == T1 && s.changed == T1 + 5));

    let count = |f: SegmentFilter| store.segments(&f).unwrap().total;
    let es = || Some("es".to_string());
    assert_eq!(
        count(SegmentFilter {
            source_lang: Some("en".into()),
            target_lang: es(),
            ..Default::default()
        }),
        16
    );
    assert_eq!(
        count(SegmentFilter {
            target_lang: Some("ES".into()),
            ..Default::default()
        }),
        16
    );
    assert_eq!(
        count(SegmentFilter {
            document: Some("statement".into()),
            ..Default::default()
        }),
        0
    );
    assert_eq!(
        count(SegmentFilter {
            text: Some("valmora".into()),
            target_lang: es(),
            ..Default::default()
        }),
        count(SegmentFilter {
            text: Some("Valmora".into()),
            target_lang: es(),
            ..Default::default()
        })
    );
    assert!(
        count(SegmentFilter {
            text: Some("Valmora".into()),
            ..Default::default()
        }) > 0
    );
    assert_eq!(
        count(SegmentFilter {
            text: Some("100%_".into()),
            ..Default::default()
        }),
        0,
        "% and _ are literal"
    );
    let scored = store
        .segments(&SegmentFilter {
            min_score: Some(0.9),
            ..Default::default()
        })
        .unwrap();
    assert!(scored.segments.iter().all(|s| s.score.unwrap() >= 0.9));
    let clean = count(SegmentFilter {
        unflagged: true,
        ..Default::default()
    });
    let flagged = count(SegmentFilter {
        flags: Flag::ALL.to_vec(),
        ..Default::default()
    });
    assert_eq!(clean + flagged, 32);
    let page = store
        .segments(&SegmentFilter {
            limit: Some(5),
            ..Default::default()
        })
        .unwrap();
    assert_eq!((page.segments.len(), page.total), (5, 32));
    let ids: Vec<i64> = page.segments.iter().map(|s| s.id).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
}

/// Assert that opening fails with a message naming the file and containing `what`, and that
/// the file's bytes did not change.
fn refused(path: &Path, what: &str) {
    let before = fs::read(path).unwrap();
    for write in [true, false] {
        let e = if write {
            Store::open(path, Clock::Fixed(T1))
                .and_then(|mut s| s.import(&mut [], &mut |_| {}).map(|_| ()))
        } else {
            Store::open_read_only(path).and_then(|s| s.status().map(|_| ()))
        }
        .expect_err("refused");
        let msg = e.to_string();
        assert!(
            msg.starts_with(&path.display().to_string()) && msg.contains(what),
            "{msg}"
        );
        assert!(!msg.contains('\n'), "{msg}");
    }
    assert_eq!(
        fs::read(path).unwrap(),
        before,
        "{} changed",
        path.display()
    );
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    assert!(!wal.exists() || fs::metadata(&wal).unwrap().len() == 0);
}

#[test]
fn bad_databases_are_refused_without_damage() {
    let dir = tempfile::tempdir().unwrap();

    let text = dir.path().join("notes.sqlite");
    fs::write(&text, "These are my notes, not a database.\n".repeat(200)).unwrap();
    refused(&text, "not a paralign translation memory");

    let other = dir.path().join("other.sqlite");
    {
        let c = Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ann');")
            .unwrap();
    }
    refused(&other, "not a paralign translation memory");

    let newer = dir.path().join("newer.sqlite");
    drop(Store::open(&newer, Clock::Fixed(T1)).unwrap());
    {
        let c = Connection::open(&newer).unwrap();
        c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    refused(&newer, "newer paralign");

    // A memory with data whose pages are overwritten past the header.
    let ws = workspace(false);
    let corrupt = dir.path().join("corrupt.sqlite");
    import(&corrupt, T1, &[ws.path().join("statement")]);
    let mut bytes = fs::read(&corrupt).unwrap();
    let n = bytes.len();
    assert!(n > 8192);
    for (k, b) in bytes[4096..n].iter_mut().enumerate() {
        *b = (k * 7 % 251) as u8;
    }
    fs::write(&corrupt, &bytes).unwrap();
    refused(&corrupt, "corrupt");

    // Read-only: refused for writing, readable for status.
    let ro = dir.path().join("ro.sqlite");
    import(&ro, T1, &[ws.path().join("statement")]);
    let mut perm = fs::metadata(&ro).unwrap().permissions();
    perm.set_readonly(true);
    fs::set_permissions(&ro, perm).unwrap();
    let before = fs::read(&ro).unwrap();
    let e = Store::open(&ro, Clock::Fixed(T1)).unwrap_err().to_string();
    assert!(e.contains("read-only") && e.contains("ro.sqlite"), "{e}");
    let s = Store::open_read_only(&ro).unwrap();
    assert_eq!(s.status().unwrap().len(), 1);
    drop(s);
    assert_eq!(fs::read(&ro).unwrap(), before);

    // No memory yet.
    let e = Store::open_read_only(&dir.path().join("none.sqlite"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("none.sqlite") && e.contains("paralign import"),
        "{e}"
    );
    // A folder.
    let e = Store::open(dir.path(), Clock::System)
        .unwrap_err()
        .to_string();
    assert!(e.contains("folder"), "{e}");
}

#[test]
fn a_new_memory_has_the_schema_and_settings() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.sqlite");
    let store = Store::open(&db, Clock::System).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    store.integrity_check().unwrap();
    drop(store);
    let c = Connection::open(&db).unwrap();
    let mode: String = c
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let app: i64 = c
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    assert_eq!(app, paralign::store::APPLICATION_ID);
}

#[test]
fn a_throw_away_memory_works_in_memory() {
    let ws = workspace(false);
    let (docs, report) = import(Path::new(":memory:"), T1, &[ws.path().join("statement")]);
    assert_eq!(docs.len(), 1);
    assert!(report.changed());
    assert!(!ws.path().join(":memory:").exists());
}

#[test]
fn concurrent_writers_both_finish() {
    let ws = workspace(true);
    let db = ws.path().join("shared.sqlite");
    // Create the memory first, so that both writers open an existing file... and once more
    // with a fresh file, so that both race to create it.
    for fresh in [false, true] {
        if fresh {
            fs::remove_file(&db).ok();
        } else {
            drop(Store::open(&db, Clock::Fixed(T1)).unwrap());
        }
        let handles: Vec<_> = ["statement", "law"]
            .into_iter()
            .map(|set| {
                let db = db.clone();
                let path = ws.path().join(set);
                std::thread::spawn(move || {
                    for k in 0..3 {
                        let mut store = Store::open(&db, Clock::Fixed(T1 + k)).unwrap();
                        let mut docs = aligned(std::slice::from_ref(&path));
                        store.import(&mut docs, &mut |_| {}).unwrap();
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().expect("writer finished");
        }
        let store = Store::open_read_only(&db).unwrap();
        let names: Vec<String> = store.status().unwrap().into_iter().map(|d| d.id).collect();
        assert_eq!(names, vec!["law", "statement"]);
        store.integrity_check().unwrap();
        drop(store);
        fs::remove_file(&db).ok();
        fs::remove_file(format!("{}-wal", db.display())).ok();
        fs::remove_file(format!("{}-shm", db.display())).ok();
    }
}
