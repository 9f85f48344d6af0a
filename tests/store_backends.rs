//! The two implementations of the memory give the same results: the same documents imported
//! into SQLite and into PostgreSQL (a throw-away cluster, `util/pg.rs`) give the same import
//! reports, `status`, documents paragraph by paragraph, segments, exports and lookups, after a
//! first import and after a changed source marks translations outdated. Then the commands as a
//! user runs them with `--db postgres://…`, and what PostgreSQL refuses. Without PostgreSQL
//! these tests fail, saying how to install it.

mod util;

use std::fs;
use std::path::{Path, PathBuf};

use paralign::check::{check_sets, CheckOptions, DocResult};
use paralign::collect::collect;
use paralign::exchange::ExportFilter;
use paralign::reuse::Prepared;
use paralign::store::{Clock, SegmentFilter, Store};

const T1: i64 = 1_710_410_400; // 2024-03-14T10:00:00Z
const T2: i64 = T1 + 3600;

/// A temporary folder with a copy of fixtures/statement and fixtures/law.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("paralign-backends-")
        .tempdir()
        .unwrap();
    for set in ["statement", "law"] {
        fs::create_dir_all(dir.path().join(set)).unwrap();
        for e in fs::read_dir(util::fixture(set)).unwrap() {
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

/// Everything a user can read back from a memory, as text: equal texts, equal memories.
fn read_back(store: &Store) -> Vec<String> {
    let mut out = Vec::new();
    out.push(format!("status {:?}", store.status().unwrap()));
    for name in store.document_names().unwrap() {
        out.push(format!("document {:?}", store.document(&name).unwrap()));
    }
    let all = store.segments(&SegmentFilter::default()).unwrap();
    out.push(format!("segments {}", all.total));
    out.extend(all.segments.iter().map(|s| format!("segment {s:?}")));
    let es = SegmentFilter {
        target_lang: Some("ES".into()),
        text: Some("gate".into()),
        limit: Some(2),
        ..SegmentFilter::default()
    };
    out.push(format!("filtered {:?}", store.segments(&es).unwrap()));
    out.push(format!("levels {:?}", store.segment_levels().unwrap()));
    for sentences in [false, true] {
        let f = ExportFilter {
            sentences,
            ..ExportFilter::default()
        };
        out.push(format!(
            "langs {:?}",
            store.export_source_langs(&f).unwrap()
        ));
        store
            .export_rows(&f, &mut |r| {
                out.push(format!("row {r:?}"));
                Ok(())
            })
            .unwrap();
    }
    for q in [
        "The authorities have chosen to threaten rather than to negotiate.",
        "The authorities chose to threaten instead of negotiating.",
        "It is the broadest industrial action the city has seen in a generation.",
        "This Regulation applies to all community gardens established on land owned by the Municipality.",
        "Nothing like this is in the memory at all.",
    ] {
        let langs = ["es".to_string(), "fr".to_string(), "ru".to_string()];
        let m2 = store
            .best_matches(&Prepared::new(q), None, &langs, 50, 1)
            .unwrap();
        out.push(format!("best {q:?} {m2:?}"));
        let m = store
            .best_matches(&Prepared::new(q), Some("en"), &langs, 50, 3)
            .unwrap();
        out.push(format!("lookup {q:?} {m:?}"));
    }
    out
}

/// Import the fixtures, change a source paragraph, import again; what each step reports and
/// what the memory reads back after each.
fn scenario(db: &Path) -> Vec<String> {
    let ws = workspace();
    let paths = vec![ws.path().join("statement"), ws.path().join("law")];
    let mut out = Vec::new();
    let mut store = Store::open(db, Clock::Fixed(T1)).unwrap();
    let mut docs = aligned(&paths);
    out.push(format!(
        "import {:?}",
        store.import(&mut docs, &mut |_| {}).unwrap()
    ));
    store.update_lookup_index().unwrap();
    out.extend(read_back(&store));
    drop(store);

    let en = ws.path().join("statement/statement.en.txt");
    let text = fs::read_to_string(&en).unwrap();
    assert!(text.contains("Gate 4"));
    fs::write(&en, text.replacen("Gate 4", "Gate 5", 1)).unwrap();
    let reader = Store::open_read_only(db).unwrap();
    let mut checked = aligned(&paths);
    out.push(format!(
        "marked {}",
        reader.mark_docs(&mut checked).unwrap()
    ));
    drop(reader);

    let mut store = Store::open(db, Clock::Fixed(T2)).unwrap();
    let mut docs = aligned(&paths);
    out.push(format!(
        "import {:?}",
        store.import(&mut docs, &mut |_| {}).unwrap()
    ));
    let set = collect(&paths).sets.remove(0);
    out.push(format!(
        "unchanged {:?}",
        store.unchanged(&set, None).unwrap()
    ));
    out.push(format!("known {:?}", store.known("law").unwrap()));
    store.update_lookup_index().unwrap();
    out.extend(read_back(&store));
    // The paths as imported name this run's folder.
    let ws = ws.path().to_string_lossy().to_string();
    out.iter().map(|l| l.replace(&ws, "WS")).collect()
}

#[test]
fn postgres_reads_back_what_sqlite_does() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = scenario(&dir.path().join("memory.sqlite"));
    // What the scenario reads back, pinned on SQLite (the reference) before comparing.
    assert!(sqlite.contains(&"segments 45".to_string()));
    assert!(sqlite.contains(&"levels (47, 94)".to_string()));
    assert!(sqlite.contains(&"marked 2".to_string()));
    let fuzzy = sqlite
        .iter()
        .find(|l| l.starts_with("lookup \"The authorities chose"))
        .unwrap();
    assert!(fuzzy
        .contains("source: \"The authorities have chosen to threaten rather than to negotiate.\""));
    let pg = scenario(Path::new(&util::pg::fresh_db()));
    assert_eq!(sqlite.len(), pg.len());
    for (k, (a, b)) in sqlite.iter().zip(&pg).enumerate() {
        assert_eq!(a, b, "line {k} differs");
    }
}

/// What the memory commands print on one memory (its address replaced by `DB`).
fn commands(db: &str) -> Vec<String> {
    let run = |args: &[&str]| -> String {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--db", db]);
        let out = util::paralign(&all)
            .env("PARALIGN_NOW", "2024-03-14T10:00:00Z")
            .expect_code(0);
        format!("{}\n{}", out.stdout, out.stderr).replace(db, "DB")
    };
    let text = "The authorities chose to threaten instead of negotiating.";
    vec![
        run(&["import", "fixtures/statement", "fixtures/law"]),
        run(&["import", "fixtures/statement"]),
        run(&["status"]),
        run(&["status", "--format", "json"]),
        run(&["status", "statement"]),
        run(&["segments", "--limit", "0", "--format", "json"]),
        run(&["segments", "--target-lang", "ru", "--flag", "none"]),
        run(&["lookup", "--to", "es", text]),
        run(&[
            "lookup",
            "--to",
            "fr",
            "--format",
            "json",
            "--min-match",
            "30",
            text,
        ]),
        run(&[
            "analyze",
            "fixtures/statement/statement.en.txt",
            "--to",
            "es",
        ]),
        run(&["export", "--format", "tmx"]),
        run(&["export", "--format", "tsv", "--lang", "ru"]),
        run(&["export", "--format", "tsv", "--segtype", "sentence"]),
        run(&["import-tmx", "fixtures/tmx/round-trip.tmx"]),
        run(&["import-tmx", "fixtures/tmx/round-trip.tmx"]),
        run(&["segments", "--limit", "0", "--format", "json"]),
        run(&["export", "--format", "tmx"]),
        // The word models: trained by the imports, read back, built again, used by check.
        run(&["lexicon", "es", "--format", "json"]),
        run(&["rebuild-model"]),
        run(&["lexicon", "ru", "--limit", "5"]),
        run(&[
            "check",
            "fixtures/statement",
            "fixtures/law",
            "--format",
            "json",
        ]),
        // The glossary: imported once, then found there already; its terms in the lexicon.
        run(&["import-glossary", "fixtures/glossary/human-rights.tsv"]),
        run(&["import-glossary", "fixtures/glossary/human-rights.tbx"]),
        run(&["import-glossary", "fixtures/glossary/human-rights.tbx"]),
        run(&["lexicon", "es", "torture", "--format", "json"]),
        // A document's review page, rebuilt from what the memory holds.
        run(&["status", "statement", "--format", "html"]),
        // What is left to translate, with the memory's suggestions, as XLIFF 2.0 and 1.2.
        run(&["export", "--format", "xliff", "--lang", "es"]),
        run(&[
            "export",
            "--format",
            "xliff",
            "--lang",
            "ru",
            "--xliff-version",
            "1.2",
        ]),
    ]
}

#[test]
fn the_commands_print_the_same_on_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = dir.path().join("memory.sqlite");
    let want = commands(&sqlite.to_string_lossy());
    assert!(want[0].contains("45 segments new"), "{}", want[0]);
    let pg = util::pg::fresh_db();
    let got = commands(&pg);
    for (a, b) in want.iter().zip(&got) {
        assert_eq!(a, b);
    }
    // A filled XLIFF file's translations written back, and the target document rebuilt with
    // them: the same document from both stores.
    let mut written = Vec::new();
    for (db, out) in [(sqlite.to_string_lossy().into_owned(), "a"), (pg, "b")] {
        let docs = dir.path().join(out);
        std::fs::create_dir(&docs).unwrap();
        let args = [
            "import-xliff",
            "fixtures/formats/xliff/statement.fr.2.0.xlf",
            "--docs-dir",
            &docs.to_string_lossy(),
            "--db",
            &db,
        ];
        let run = util::paralign(args)
            .env("PARALIGN_NOW", "2024-03-14T10:00:00Z")
            .expect_code(0);
        assert!(
            run.stdout
                .contains("3 paragraphs translated into fr (3 new in the memory)"),
            "{}",
            run.stdout
        );
        written.push(std::fs::read_to_string(docs.join("statement.fr.txt")).unwrap());
        let segments = util::paralign([
            "segments",
            "--target-lang",
            "fr",
            "--format",
            "json",
            "--db",
            &db,
        ])
        .expect_code(0);
        written.push(segments.stdout);
    }
    assert!(
        written[1].contains("\"origin\":\"xliff\""),
        "{}",
        written[1]
    );
    assert_eq!(written[0], written[2]);
    assert_eq!(written[1], written[3]);
}

#[test]
fn postgres_refuses_what_it_does_not_do_and_names_the_address_without_the_password() {
    let db = util::pg::fresh_db();
    util::paralign(["import", "fixtures/statement", "--db", &db]).expect_code(0);
    // SQLite's integrity check (`PRAGMA integrity_check`) has no counterpart: refused, with
    // the address.
    let store = Store::open_read_only(Path::new(&db)).unwrap();
    let e = store.integrity_check().unwrap_err().to_string();
    assert!(
        e.ends_with(": an integrity check: not supported on a PostgreSQL memory yet; use a SQLite memory (--db FILE) for this"),
        "{e}"
    );
    // The address is named without its password, however the connection fails.
    let port = db.rsplit_once(':').unwrap().1.split('/').next().unwrap();
    let wrong = format!("postgres://nobody:s3cret@127.0.0.1:{port}/x");
    let out = util::paralign(["status", "--db", &wrong]).expect_code(2);
    assert!(
        out.stderr.starts_with(&format!(
            "paralign: postgres://nobody@127.0.0.1:{port}/x: cannot connect to the PostgreSQL memory (db error: FATAL: "
        )),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("s3cret"));
    // PARALIGN_DB chooses it as --db does; an empty database is not a memory yet.
    let empty = util::pg::fresh_db();
    let out = util::paralign(["status"])
        .env("PARALIGN_DB", &empty)
        .expect_code(2);
    assert_eq!(
        out.stderr,
        format!("paralign: {empty}: no translation memory in this database yet; run `paralign import PATH...` with this --db to make one\n")
    );
}
