//! The translation memory through the binary: import, status and segments end to end, their
//! JSON read back into strict structs (the contracts), `check --db`, where the default
//! database is, bad databases (exit 2, one line, no damage), an import killed halfway, and two
//! imports at once. Every command runs in a temporary folder with `PARALIGN_DB` removed, so
//! the project's default memory is never written.

mod util;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;
use util::Dir;

const NOW: &str = "2024-03-14T10:00:00Z";

/// A `paralign` command run in `dir`, with a fixed clock and no memory named by the environment.
fn cmd(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_paralign"));
    c.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("PARALIGN_NOW", NOW)
        .env_remove("PARALIGN_DB");
    c
}

struct Out {
    stdout: String,
    stderr: String,
    code: i32,
}

fn run_cmd(mut c: Command) -> Out {
    let o = c.output().expect("paralign runs");
    let out = Out {
        stdout: String::from_utf8(o.stdout).unwrap(),
        stderr: String::from_utf8(o.stderr).unwrap(),
        code: o.status.code().expect("not killed"),
    };
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    out
}

fn run(dir: &Path, args: &[&str]) -> Out {
    run_cmd(cmd(dir, args))
}

/// Run, expect `code`, return the output.
fn expect(dir: &Path, args: &[&str], code: i32) -> Out {
    let out = run(dir, args);
    assert_eq!(
        out.code, code,
        "paralign {args:?} exited {}\n--- stdout\n{}--- stderr\n{}",
        out.code, out.stdout, out.stderr
    );
    out
}

fn ok(dir: &Path, args: &[&str]) -> String {
    expect(dir, args, 0).stdout
}

/// A folder with `docs/` holding the statement (en, es, ru) and the law (en, fr).
fn docs() -> Dir {
    let dir = Dir::new();
    for lang in ["en", "es", "ru"] {
        dir.copy_fixture(
            &format!("statement/statement.{lang}.txt"),
            &format!("docs/statement.{lang}.txt"),
        );
    }
    for lang in ["en", "fr"] {
        dir.copy_fixture(
            &format!("law/law.{lang}.md"),
            &format!("docs/law.{lang}.md"),
        );
    }
    dir
}

fn edit(path: &Path, from: &str, to: &str) {
    let t = fs::read_to_string(path).unwrap();
    assert!(t.contains(from), "{} lacks {from:?}", path.display());
    fs::write(path, t.replacen(from, to, 1)).unwrap();
}

/// The English paragraph "5." (index 6) reworded, without touching its numbers or names.
fn edit_source(dir: &Dir) {
    edit(
        &dir.join("docs/statement.en.txt"),
        "chosen to threaten rather than to negotiate",
        "chosen to intimidate rather than to negotiate",
    );
}

// ---- the JSON contracts, read strictly -------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Status {
    version: u32,
    documents: Vec<StatusDoc>,
    totals: Totals,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusVersion {
    lang: String,
    path: String,
    paragraphs: usize,
    imported: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusDoc {
    id: String,
    source: Option<StatusVersion>,
    targets: Vec<StatusTarget>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // every field is read by serde: the contract is that they are all there
struct StatusTarget {
    lang: String,
    path: String,
    paragraphs: usize,
    source_paragraphs: usize,
    translated: usize,
    missing: usize,
    extra: usize,
    untranslated: usize,
    diverging: usize,
    misnumbered: usize,
    reordered: usize,
    outdated: usize,
    coverage: f64,
    aligned: String,
    current_source: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Totals {
    documents: usize,
    translations: usize,
    source_paragraphs: usize,
    translated: usize,
    missing: usize,
    diverging: usize,
    outdated: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Detail {
    version: u32,
    id: String,
    source: StatusVersion,
    languages: Vec<DetailLang>,
    paragraphs: Vec<DetailPara>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct DetailLang {
    lang: String,
    path: String,
    current_source: bool,
    extra: Vec<DetailExtra>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct DetailExtra {
    index: usize,
    line: usize,
    label: Option<String>,
    text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct DetailPara {
    index: usize,
    line: usize,
    label: Option<String>,
    text: String,
    states: Vec<DetailState>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct DetailState {
    lang: String,
    state: String,
    flags: Vec<String>,
    target: Vec<usize>,
    score: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Segments {
    version: u32,
    total: usize,
    segments: Vec<SegmentJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct SegmentJson {
    id: i64,
    source_lang: String,
    target_lang: String,
    document: String,
    label: Option<String>,
    source: String,
    target: String,
    score: Option<f64>,
    flags: Vec<String>,
    source_hash: String,
    outdated: bool,
    origin: String,
    created: String,
    changed: String,
}

fn status(dir: &Path, db: &str) -> Status {
    let s: Status =
        serde_json::from_str(&ok(dir, &["status", "--format", "json", "--db", db])).unwrap();
    assert_eq!(s.version, 1);
    s
}

fn outdated_counts(s: &Status) -> Vec<(String, String, usize)> {
    s.documents
        .iter()
        .flat_map(|d| {
            d.targets
                .iter()
                .map(|t| (d.id.clone(), t.lang.clone(), t.outdated))
        })
        .collect()
}

fn triple(d: &str, l: &str, n: usize) -> (String, String, usize) {
    (d.into(), l.into(), n)
}

// ---- end to end ------------------------------------------------------------------------------

#[test]
fn import_status_and_segments_round_trip() {
    let dir = docs();
    let p = dir.path();
    let first = ok(p, &["import", "docs", "--db", "m.sqlite"]);
    assert_eq!(
        first,
        "\
law [en] docs/law.en.md: new (source)
law [fr] docs/law.fr.md: new: 13 pairs, 13 segments new
statement [en] docs/statement.en.txt: new (source)
statement [es] docs/statement.es.txt: new: 16 pairs, 16 segments new
statement [ru] docs/statement.ru.txt: new: 16 pairs, 16 segments new
imported 2 documents into m.sqlite: 5 new, 0 changed, 0 unchanged; 45 segments new, 0 updated
"
    );
    let again = ok(p, &["import", "docs", "--db", "m.sqlite"]);
    assert!(
        again
            .ends_with("nothing to import: all 5 versions are already in m.sqlite and unchanged\n"),
        "{again}"
    );
    assert_eq!(
        ok(p, &["status", "--db", "m.sqlite"]),
        "\
document   source   lang  translated  missing  diverging  outdated  coverage
law        en (13)  fr         13/13        0          0         0    100.0%
statement  en (16)  es         16/16        0          0         0    100.0%
statement  en (16)  ru         16/16        0          0         0    100.0%
2 documents, 3 translations: 45/45 paragraphs translated, 0 missing, 0 diverging, 0 outdated
"
    );

    edit_source(&dir);
    let second = ok(p, &["import", "docs", "--db", "m.sqlite"]);
    assert!(second.contains("statement [en] docs/statement.en.txt: changed (source)"));
    assert!(second.contains(
        "statement [es] docs/statement.es.txt: unchanged, re-aligned with the new source: 16 pairs, 1 segment new, 1 outdated"
    ), "{second}");
    assert!(second.contains("law [fr] docs/law.fr.md: unchanged\n"));
    assert!(second.ends_with("; 2 translations outdated\n"), "{second}");

    let s = status(p, "m.sqlite");
    assert_eq!(
        outdated_counts(&s),
        vec![
            triple("law", "fr", 0),
            triple("statement", "es", 1),
            triple("statement", "ru", 1)
        ]
    );
    assert_eq!(s.totals.outdated, 2);
    let src = s.documents[1].source.as_ref().unwrap();
    assert_eq!(
        (
            src.lang.as_str(),
            src.path.as_str(),
            src.paragraphs,
            src.imported.as_str()
        ),
        ("en", "docs/statement.en.txt", 16, NOW)
    );
    let md = ok(p, &["status", "--db", "m.sqlite", "--format", "markdown"]);
    assert!(md.contains("| statement | en (16) | es | 16/16 | 0 | 0 | 1 | 100.0% |"));

    // One document paragraph by paragraph: only paragraph index 6 is outdated.
    let d: Detail = serde_json::from_str(&ok(
        p,
        &[
            "status",
            "statement",
            "--db",
            "m.sqlite",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    assert_eq!(
        (d.version, d.id.as_str(), d.source.paragraphs),
        (1, "statement", 16)
    );
    let langs: Vec<&str> = d.languages.iter().map(|l| l.lang.as_str()).collect();
    assert_eq!(langs, ["es", "ru"]);
    for para in &d.paragraphs {
        for st in &para.states {
            assert_eq!(
                st.flags.iter().any(|f| f == "outdated"),
                para.index == 6,
                "{} {}",
                st.lang,
                para.index
            );
        }
    }
    let text = ok(p, &["status", "statement", "--db", "m.sqlite"]);
    let row = text
        .lines()
        .find(|l| l.trim_start().starts_with("6 "))
        .unwrap();
    assert!(row.contains("outdated"), "{row}");

    // Segments: the outdated ones remember the earlier source text's hash.
    let seg: Segments = serde_json::from_str(&ok(
        p,
        &[
            "segments", "--db", "m.sqlite", "--flag", "outdated", "--format", "json",
        ],
    ))
    .unwrap();
    assert_eq!((seg.version, seg.total), (1, 2));
    for s in &seg.segments {
        assert!(s.outdated && s.source.contains("intimidate"));
        assert_eq!((s.created.as_str(), s.changed.as_str()), (NOW, NOW));
        assert_eq!(s.source_hash.len(), 16);
    }
    let es: Segments = serde_json::from_str(&ok(
        p,
        &[
            "segments",
            "--db",
            "m.sqlite",
            "--lang-pair",
            "en:es",
            "--limit",
            "0",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    assert_eq!(es.total, 17);
    assert_eq!(es.segments.len(), 17);
    let found = ok(
        p,
        &[
            "segments",
            "Kessler",
            "--db",
            "m.sqlite",
            "--target-lang",
            "fr",
        ],
    );
    assert_eq!(found, "0 segments\n");
    let found = ok(
        p,
        &[
            "segments",
            "Kessler",
            "--db",
            "m.sqlite",
            "--doc",
            "statement",
        ],
    );
    assert!(
        found.lines().next().unwrap().contains("statement"),
        "{found}"
    );
    let listed = ok(p, &["segments", "--db", "m.sqlite", "--limit", "3"]);
    assert!(
        listed.ends_with("3 of 47 segments shown (--limit 0 shows all)\n"),
        "{listed}"
    );

    // A new Spanish text for the paragraph ends it for Spanish.
    edit(
        &dir.join("docs/statement.es.txt"),
        "han optado por amenazar",
        "han optado por intimidar",
    );
    ok(p, &["import", "docs", "--db", "m.sqlite"]);
    assert_eq!(
        outdated_counts(&status(p, "m.sqlite")),
        vec![
            triple("law", "fr", 0),
            triple("statement", "es", 0),
            triple("statement", "ru", 1)
        ]
    );
}

#[test]
fn importing_one_file_reads_the_rest_from_the_memory() {
    let dir = docs();
    let p = dir.path();
    ok(p, &["import", "docs", "--db", "m.sqlite"]);
    // Only the Russian file: nothing changes, and Russian does not become the source.
    let out = ok(p, &["import", "docs/statement.ru.txt", "--db", "m.sqlite"]);
    assert!(out.starts_with("statement [en] docs/statement.en.txt: unchanged (source)\n"));
    assert!(out.contains("nothing to import"), "{out}");
    // Only the changed source: both translations are re-aligned and outdated.
    edit_source(&dir);
    let out = ok(p, &["import", "docs/statement.en.txt", "--db", "m.sqlite"]);
    assert!(out.ends_with("; 2 translations outdated\n"), "{out}");
    // A translation whose file is gone is left as it was, with a note.
    fs::remove_file(dir.join("docs/statement.ru.txt")).unwrap();
    edit(&dir.join("docs/statement.en.txt"), "intimidate", "frighten");
    let out = expect(
        p,
        &["import", "docs/statement.en.txt", "--db", "m.sqlite"],
        0,
    );
    assert!(
        out.stderr
            .contains("the ru version (docs/statement.ru.txt) is no longer there"),
        "{}",
        out.stderr
    );
    let s = status(p, "m.sqlite");
    let ru = &s.documents[1].targets[1];
    assert_eq!((ru.lang.as_str(), ru.current_source), ("ru", false));
    let text = ok(p, &["status", "--db", "m.sqlite"]);
    assert!(text.contains("100.0%*"), "{text}");
}

#[test]
fn check_reports_outdated_from_the_memory() {
    let dir = docs();
    let p = dir.path();
    // Into the default memory of this folder (a temporary one).
    ok(p, &["import", "docs"]);
    assert!(dir.join("memory/paralign.sqlite").is_file());
    edit_source(&dir);
    let flags = |out: &str| -> Vec<(String, Vec<u64>)> {
        let v: serde_json::Value = serde_json::from_str(out).unwrap();
        let mut found = Vec::new();
        for d in v["documents"].as_array().unwrap() {
            for t in d["targets"].as_array().unwrap() {
                for pair in t["pairs"].as_array().unwrap() {
                    if pair["flags"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|f| f == "outdated")
                    {
                        assert!(pair["reasons"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|r| r == "source-changed"));
                        found.push((
                            t["lang"].as_str().unwrap().to_string(),
                            pair["source"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .map(|i| i.as_u64().unwrap())
                                .collect(),
                        ));
                    }
                }
            }
        }
        found
    };
    let want = vec![("es".to_string(), vec![6]), ("ru".to_string(), vec![6])];
    // The default memory, when it exists.
    let out = ok(p, &["check", "docs", "--format", "json"]);
    assert_eq!(flags(&out), want);
    // --fail-on accepts it.
    let out = expect(p, &["check", "docs", "--fail-on", "outdated"], 1);
    assert!(out.stdout.contains("outdated"), "{}", out.stdout);
    // --db and PARALIGN_DB name one; a folder without one has none.
    fs::rename(dir.join("memory/paralign.sqlite"), dir.join("other.sqlite")).unwrap();
    let out = ok(p, &["check", "docs", "--format", "json"]);
    assert!(flags(&out).is_empty());
    let out = ok(
        p,
        &["check", "docs", "--format", "json", "--db", "other.sqlite"],
    );
    assert_eq!(flags(&out), want);
    let mut c = cmd(p, &["check", "docs", "--format", "json"]);
    c.env("PARALIGN_DB", "other.sqlite");
    let out = run_cmd(c);
    assert_eq!((out.code, flags(&out.stdout)), (0, want));
    // A memory named but missing is an error.
    let out = expect(p, &["check", "docs", "--db", "missing.sqlite"], 2);
    assert!(
        out.stderr.starts_with("paralign: missing.sqlite: "),
        "{}",
        out.stderr
    );
}

#[test]
fn the_default_memory_is_in_the_project_root() {
    let dir = docs();
    dir.create("paralign.toml", "");
    let sub = dir.create_dir("work/deeper");
    let out = ok(&sub, &["import", "../../docs"]);
    assert!(
        out.ends_with("into ../../memory/paralign.sqlite: 5 new, 0 changed, 0 unchanged; 45 segments new, 0 updated\n"),
        "{out}"
    );
    assert!(dir.join("memory/paralign.sqlite").is_file());
    assert!(!sub.join("memory").exists());
    ok(&sub, &["status"]);
    // PARALIGN_DB overrides it, --db overrides that.
    let mut c = cmd(dir.path(), &["import", "docs"]);
    c.env("PARALIGN_DB", "env.sqlite");
    assert_eq!(run_cmd(c).code, 0);
    assert!(dir.join("env.sqlite").is_file());
    let mut c = cmd(dir.path(), &["import", "docs", "--db", "flag.sqlite"]);
    c.env("PARALIGN_DB", "env.sqlite");
    assert_eq!(run_cmd(c).code, 0);
    assert!(dir.join("flag.sqlite").is_file());
    // A throw-away memory leaves nothing behind.
    let before: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    let out = ok(dir.path(), &["import", "docs", "--db", ":memory:"]);
    assert!(out.contains("into :memory:"), "{out}");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), before.len());
}

#[test]
fn usage_errors_exit_2() {
    let dir = docs();
    let p = dir.path();
    ok(p, &["import", "docs", "--db", "m.sqlite"]);
    for args in [
        &["segments", "--db", "m.sqlite", "--lang-pair", "en-es"][..],
        &["segments", "--db", "m.sqlite", "--min-score", "2"],
        &["segments", "--db", "m.sqlite", "--flag", "stale"],
        &[
            "segments",
            "--db",
            "m.sqlite",
            "--source-lang",
            "xx-invalid-",
        ],
        &["status", "nosuch", "--db", "m.sqlite"],
        &["status", "--db", "absent.sqlite"],
        &["segments", "--db", "absent.sqlite"],
        &["status", "--db", "m.sqlite", "--format", "html"],
    ] {
        let out = expect(p, args, 2);
        assert_eq!(out.stderr.lines().count(), 1, "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty());
    }
    let out = expect(p, &["status", "nosuch", "--db", "m.sqlite"], 2);
    assert!(
        out.stderr.contains("it knows: law, statement"),
        "{}",
        out.stderr
    );
    let mut c = cmd(p, &["import", "docs", "--db", "m.sqlite"]);
    c.env("PARALIGN_NOW", "yesterday");
    let out = run_cmd(c);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("PARALIGN_NOW"), "{}", out.stderr);
    assert!(!dir.join("absent.sqlite").exists());
}

#[test]
fn two_documents_of_one_name_in_one_import_are_refused() {
    let dir = docs();
    dir.copy_fixture("bilingual/statement.txt", "page/statement.txt");
    let out = expect(
        dir.path(),
        &["import", "docs", "page/statement.txt", "--db", "m.sqlite"],
        2,
    );
    assert!(
        out.stderr
            .starts_with("paralign: page/statement.txt: document `statement` was found twice"),
        "{}",
        out.stderr
    );
    // The rest was imported.
    assert!(
        out.stdout.contains("imported 2 documents"),
        "{}",
        out.stdout
    );
}

#[test]
fn help_documents_the_memory_commands() {
    let dir = Dir::new();
    let help = ok(dir.path(), &["--help"]);
    for c in ["import", "status", "segments"] {
        assert!(help.contains(c), "{help}");
    }
    let help = ok(dir.path(), &["import", "--help"]);
    assert!(
        help.contains("Exit codes:") && help.contains("PARALIGN_DB"),
        "{help}"
    );
    let help = ok(dir.path(), &["check", "--help"]);
    assert!(help.contains("--db"), "{help}");
}

// ---- bad databases ---------------------------------------------------------------------------

/// Every memory command on `db` exits 2 with one line naming it; the file is not changed.
fn refused(dir: &Dir, db: &str, what: &str, commands: &[&[&str]]) {
    let before = fs::read(dir.join(db)).unwrap();
    for c in commands {
        let mut args: Vec<&str> = c.to_vec();
        args.extend(["--db", db]);
        let out = expect(dir.path(), &args, 2);
        let lines: Vec<&str> = out.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{args:?}: {}", out.stderr);
        assert!(
            lines[0].starts_with(&format!("paralign: {db}: ")) && lines[0].contains(what),
            "{args:?}: {}",
            lines[0]
        );
    }
    assert_eq!(fs::read(dir.join(db)).unwrap(), before, "{db} changed");
}

const ALL: &[&[&str]] = &[
    &["import", "docs"],
    &["status"],
    &["segments"],
    &["check", "docs"],
];

#[test]
fn bad_databases_exit_2_without_damage() {
    let dir = docs();
    dir.create("notes.sqlite", "my notes\n".repeat(500));
    refused(
        &dir,
        "notes.sqlite",
        "not a paralign translation memory",
        ALL,
    );

    {
        let c = rusqlite::Connection::open(dir.join("other.sqlite")).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    refused(
        &dir,
        "other.sqlite",
        "not a paralign translation memory",
        ALL,
    );

    ok(dir.path(), &["import", "docs", "--db", "newer.sqlite"]);
    {
        let c = rusqlite::Connection::open(dir.join("newer.sqlite")).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    refused(&dir, "newer.sqlite", "newer paralign", ALL);

    ok(dir.path(), &["import", "docs", "--db", "ro.sqlite"]);
    let mut perm = fs::metadata(dir.join("ro.sqlite")).unwrap().permissions();
    perm.set_readonly(true);
    fs::set_permissions(dir.join("ro.sqlite"), perm).unwrap();
    edit_source(&dir);
    refused(&dir, "ro.sqlite", "read-only", &[&["import", "docs"]]);
    // Reading a read-only memory works.
    ok(dir.path(), &["status", "--db", "ro.sqlite"]);

    ok(dir.path(), &["import", "docs", "--db", "corrupt.sqlite"]);
    let mut bytes = fs::read(dir.join("corrupt.sqlite")).unwrap();
    let n = bytes.len();
    for (k, b) in bytes[4096..n].iter_mut().enumerate() {
        *b = (k * 13 % 251) as u8;
    }
    fs::write(dir.join("corrupt.sqlite"), &bytes).unwrap();
    refused(
        &dir,
        "corrupt.sqlite",
        "corrupt",
        &[&["status"], &["segments"]],
    );
}

// ---- faults: killed halfway, two at once ------------------------------------------------------

/// Common English words, for generated documents that language detection reads as English.
const WORDS: [&str; 40] = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "that",
    "for",
    "with",
    "as",
    "was",
    "on",
    "are",
    "by",
    "this",
    "from",
    "have",
    "not",
    "workers",
    "union",
    "city",
    "council",
    "port",
    "railway",
    "strike",
    "fare",
    "rise",
    "public",
    "transport",
    "people",
    "support",
    "government",
    "law",
    "right",
    "work",
    "day",
    "year",
    "week",
    "month",
    "new",
];

/// `docs` English-only documents of `paragraphs` numbered paragraphs under `folder` (a set
/// with one version still stores its paragraphs, without aligning anything).
fn generate(dir: &Dir, folder: &str, docs: usize, paragraphs: usize, seed: u64) {
    let prefix = folder;
    let mut x = seed | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for d in 0..docs {
        let mut text = String::new();
        for p in 0..paragraphs {
            let words: Vec<String> = (0..20 + next() % 20)
                .map(|_| match next() % 20 {
                    0 => (next() % 100_000).to_string(),
                    _ => WORDS[(next() % WORDS.len() as u64) as usize].to_string(),
                })
                .collect();
            text.push_str(&format!("{}. {}.\n\n", p + 1, words.join(" ")));
        }
        dir.create(&format!("{folder}/{prefix}{d:04}.en.txt"), text);
    }
}

/// Every row of every (real) table, sorted.
fn dump(db: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(db).unwrap();
    let tables: Vec<String> = c
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'
             ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut out = Vec::new();
    for t in tables {
        let mut st = c.prepare(&format!("SELECT * FROM {t}")).unwrap();
        let n = st.column_count();
        out.extend(
            st.query_map([], |r| {
                Ok((0..n)
                    .map(|k| format!("{:?}", r.get_ref(k).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .map(|r| format!("{t}: {}", r.unwrap())),
        );
    }
    // Rows in a stable order whatever the table's key.
    out.sort();
    out
}

fn wal_size(db: &Path) -> u64 {
    fs::metadata(format!("{}-wal", db.display()))
        .map(|m| m.len())
        .unwrap_or(0)
}

#[test]
fn an_import_killed_halfway_leaves_the_memory_as_it_was() {
    let dir = docs();
    let db = dir.join("m.sqlite");
    ok(dir.path(), &["import", "docs", "--db", "m.sqlite"]);
    let before = dump(&db);
    // Large enough that the transaction spills pages to the WAL long before it commits.
    generate(&dir, "big", 120, 300, 7);
    let start_wal = wal_size(&db);
    let mut child = cmd(dir.path(), &["import", "big", "docs", "--db", "m.sqlite"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    // Wait until the import writes (its WAL grows), then kill it.
    loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import finished before it could be killed; make the input larger"
        );
        if wal_size(&db) > start_wal + 512 * 1024 {
            child.kill().unwrap();
            break;
        }
        assert!(t0.elapsed() < Duration::from_secs(300), "import too slow");
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(!child.wait().unwrap().success(), "killed, not finished");
    assert_eq!(dump(&db), before, "the killed import left changes");
    // The memory is sound and the next import does the whole work.
    let out = ok(dir.path(), &["import", "big", "docs", "--db", "m.sqlite"]);
    assert!(out.contains("imported 122 documents"), "{out}");
    let s = status(dir.path(), "m.sqlite");
    assert_eq!(s.documents.len(), 122);
}

#[test]
fn two_imports_at_once_both_finish() {
    let dir = docs();
    generate(&dir, "one", 40, 150, 11);
    generate(&dir, "two", 40, 150, 13);
    // Create the memory, then start both writers together.
    ok(dir.path(), &["import", "docs", "--db", "m.sqlite"]);
    let spawn = |folder: &str| {
        cmd(dir.path(), &["import", folder, "--db", "m.sqlite"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let a = spawn("one");
    let b = spawn("two");
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Every document of both is there, and the memory is sound.
    let s = status(dir.path(), "m.sqlite");
    assert_eq!(s.documents.len(), 82);
    let c = rusqlite::Connection::open(dir.join("m.sqlite")).unwrap();
    let check: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let versions: i64 = c
        .query_row("SELECT count(*) FROM version WHERE lang = 'en'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(versions, 2 + 80);
}
