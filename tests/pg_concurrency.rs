//! The PostgreSQL memory under concurrent use: 8 writers each importing documents of their own
//! while 16 readers look up, for `PARALIGN_PG_SOAK_SECS` seconds (5 by default; the issue's
//! 60 s run is `PARALIGN_PG_SOAK_SECS=60 cargo test --release --test pg_concurrency --
//! --nocapture`). Writers of different documents must not wait for each other (their
//! advisory locks are per document), no operation may fail, and no row may be lost: every
//! import adds exactly the segments it reports, and the memory holds exactly their sum.

mod util;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use paralign::check::{check_sets, CheckOptions};
use paralign::collect::collect;
use paralign::reuse::Prepared;
use paralign::store::{Clock, SegmentFilter, Store};

const WRITERS: usize = 8;
const READERS: usize = 16;

/// The statement fixture as document `name`, every line tagged so that its texts are its own.
fn write_doc(dir: &Path, name: &str) -> PathBuf {
    let folder = dir.join(name);
    fs::create_dir_all(&folder).unwrap();
    for lang in ["en", "es"] {
        let text =
            fs::read_to_string(util::fixture(&format!("statement/statement.{lang}.txt"))).unwrap();
        let tagged: Vec<String> = text
            .lines()
            .map(|l| {
                if l.trim().is_empty() {
                    l.to_string()
                } else {
                    format!("{l} ({name})")
                }
            })
            .collect();
        fs::write(folder.join(format!("{name}.{lang}.txt")), tagged.join("\n")).unwrap();
    }
    folder
}

/// Import one document; the segments it reports new.
fn import(db: &str, folder: &Path) -> Result<usize, String> {
    let c = collect(&[folder.to_path_buf()]);
    if !c.errors.is_empty() {
        return Err(format!("{:?}", c.errors));
    }
    let mut docs = check_sets(c.sets, &CheckOptions::default());
    let mut store =
        Store::open(Path::new(db), Clock::Fixed(1_710_410_400)).map_err(|e| e.to_string())?;
    let report = store
        .import(&mut docs, &mut |_| {})
        .map_err(|e| e.to_string())?;
    Ok(report
        .documents
        .iter()
        .flat_map(|d| &d.targets)
        .map(|t| t.segments_new)
        .sum())
}

#[test]
fn eight_writers_and_sixteen_readers_lose_nothing() {
    let secs: u64 = std::env::var("PARALIGN_PG_SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let db = util::pg::fresh_db();
    let dir = tempfile::tempdir().unwrap();
    let seed = import(&db, &write_doc(dir.path(), "seed")).unwrap();
    assert_eq!(seed, 16);
    let query = fs::read_to_string(dir.path().join("seed/seed.en.txt"))
        .unwrap()
        .lines()
        .find(|l| l.starts_with("5."))
        .unwrap()
        .to_string();
    let deadline = Instant::now() + Duration::from_secs(secs);
    let lookups = AtomicUsize::new(0);
    let (imports, added): (Vec<usize>, Vec<usize>) = std::thread::scope(|s| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                let (db, dir) = (&db, dir.path());
                s.spawn(move || {
                    let (mut n, mut added) = (0, 0);
                    while Instant::now() < deadline {
                        let folder = write_doc(dir, &format!("w{w}-d{n}"));
                        let new = import(db, &folder).unwrap_or_else(|e| panic!("writer {w}: {e}"));
                        assert_eq!(new, 16, "writer {w}, document {n}");
                        added += new;
                        n += 1;
                    }
                    (n, added)
                })
            })
            .collect();
        for r in 0..READERS {
            let (db, query, lookups) = (&db, &query, &lookups);
            s.spawn(move || {
                let store = Store::open_read_only(Path::new(db)).unwrap();
                let q = Prepared::new(query);
                while Instant::now() < deadline {
                    let m = store
                        .best_matches(&q, Some("en"), &["es".to_string()], 50, 1)
                        .unwrap_or_else(|e| panic!("reader {r}: {e}"));
                    assert_eq!(
                        m[0].first().map(|m| m.score.percent),
                        Some(100),
                        "reader {r}"
                    );
                    lookups.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
        writers.into_iter().map(|w| w.join().unwrap()).unzip()
    });
    let store = Store::open_read_only(Path::new(&db)).unwrap();
    let docs: usize = imports.iter().sum();
    let (documents, _, segments, _, _) = store.sizes().unwrap();
    assert_eq!(documents, 1 + docs);
    assert_eq!(segments, seed + added.iter().sum::<usize>());
    assert_eq!(segments, 16 * (1 + docs));
    let page = store.segments(&SegmentFilter::default()).unwrap();
    assert_eq!(page.total, segments);
    println!(
        "{secs} s: {docs} documents imported by {WRITERS} writers ({segments} segments), {} lookups by {READERS} readers, 0 failures",
        lookups.load(Ordering::Relaxed)
    );
    assert!(
        imports.iter().all(|&n| n > 0),
        "a writer imported nothing: {imports:?}"
    );
}
