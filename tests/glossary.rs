//! The glossary end to end: `import-glossary` from the TBX, TSV and CSV fixtures (exact
//! summaries and rows), importing twice, malformed files (exit 2, one line naming the file and
//! the line, the memory unchanged), `lookup` listing the terms of a query, and `check`/`align`
//! flagging a translation that lacks the agreed term (`diverging (term)`), from the memory or
//! from `--glossary FILE`. Every command runs in a temporary folder with `PARALIGN_DB` removed.

mod util;

use std::path::Path;

use util::{fixture, paralign, Dir, Output, TestCommand};

const NOW: &str = "2024-03-14T10:00:00Z";

/// `paralign ARGS` in `dir`, with a fixed clock and no memory named by the environment.
fn cmd(dir: &Path, args: &[&str]) -> TestCommand {
    paralign(args)
        .current_dir(dir)
        .env("PARALIGN_NOW", NOW)
        .env("PARALIGN_DB", "")
}

fn fx(rel: &str) -> String {
    fixture(rel).display().to_string()
}

/// The rows of the memory's glossary: (concept, language, term, lookup key, part of speech,
/// note), in order.
type TermRow = (i64, String, String, String, Option<String>, Option<String>);

fn terms(db: &Path) -> Vec<TermRow> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut st = c
        .prepare(
            "SELECT concept_id, lang, term, lookup_key, part_of_speech, note FROM glossary_term
             ORDER BY id",
        )
        .unwrap();
    st.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn import(dir: &Path, file: &str) -> Output {
    cmd(dir, &["import-glossary", file]).expect_code(0)
}

#[test]
fn tbx_imports_every_language_of_every_concept_once() {
    let d = Dir::new();
    let tbx = fx("glossary/human-rights.tbx");
    let out = import(d.path(), &tbx);
    assert_eq!(
        out.stdout,
        format!("imported 8 concepts (33 terms, en, fr, es, de) from {tbx} into memory/paralign.sqlite: 8 new, 0 already there\n")
    );
    let db = d.join("memory/paralign.sqlite");
    let rows = terms(&db);
    assert_eq!(rows.len(), 33);
    assert_eq!(
        rows[..5],
        [
            (
                1,
                "en".into(),
                "human rights".into(),
                "human rights".into(),
                Some("noun".into()),
                None
            ),
            (
                1,
                "fr".into(),
                "droits de l'homme".into(),
                "droits de l'homme".into(),
                Some("noun".into()),
                None
            ),
            (
                1,
                "fr".into(),
                "droits humains".into(),
                "droits humains".into(),
                Some("noun".into()),
                Some("preferred in recent texts".into())
            ),
            (
                1,
                "es".into(),
                "derechos humanos".into(),
                "derechos humanos".into(),
                Some("noun".into()),
                None
            ),
            (
                1,
                "de".into(),
                "Menschenrechte".into(),
                "menschenrechte".into(),
                Some("noun".into()),
                None
            ),
        ]
    );
    assert!(rows.contains(&(
        8,
        "de".into(),
        "Staatsangehörigkeit".into(),
        "staatsangehörigkeit".into(),
        Some("noun".into()),
        None
    )));
    // Again: nothing new, nothing duplicated.
    let again = import(d.path(), &tbx);
    assert!(
        again.stdout.ends_with(": 0 new, 8 already there\n"),
        "{}",
        again.stdout
    );
    assert_eq!(terms(&db), rows);
}

#[test]
fn tsv_and_csv_tables() {
    let d = Dir::new();
    let tsv = fx("glossary/human-rights.tsv");
    let csv = fx("glossary/human-rights.csv");
    assert_eq!(
        import(d.path(), &tsv).stdout,
        format!("imported 4 concepts (8 terms, en, de) from {tsv} into memory/paralign.sqlite: 4 new, 0 already there\n")
    );
    assert_eq!(
        import(d.path(), &csv).stdout,
        format!("imported 4 concepts (12 terms, en, fr, es) from {csv} into memory/paralign.sqlite: 4 new, 0 already there\n")
    );
    let rows = terms(&d.join("memory/paralign.sqlite"));
    let texts: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r.0 >= 7)
        .map(|r| (r.1.as_str(), r.2.as_str()))
        .collect();
    // RFC 4180: a comma and doubled quotes inside quoted fields.
    assert_eq!(
        texts,
        [
            ("en", "freedom of opinion, expression"),
            ("fr", "liberté d'opinion et d'expression"),
            ("es", "libertad de opinión y de expresión"),
            ("en", "the so-called \"safe country\""),
            ("fr", "le « pays sûr »"),
            ("es", "el «país seguro»"),
        ]
    );
    // Twice: no duplicates.
    assert!(import(d.path(), &csv)
        .stdout
        .ends_with(": 0 new, 4 already there\n"));
    assert_eq!(terms(&d.join("memory/paralign.sqlite")).len(), 20);
}

#[test]
fn a_table_without_header_needs_the_languages() {
    let d = Dir::new();
    d.create("plain.tsv", "torture\tFolter\nasylum\tAsyl\n");
    let out = cmd(d.path(), &["import-glossary", "plain.tsv"]).expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: plain.tsv:1: the first row is not a header of language tags (en, de, fr); add one, or give --source-lang and --target-lang\n"
    );
    assert!(!d.join("memory").exists(), "no memory is made");
    let out = cmd(
        d.path(),
        &[
            "import-glossary",
            "plain.tsv",
            "--source-lang",
            "en",
            "--target-lang",
            "de",
        ],
    )
    .expect_code(0);
    assert_eq!(
        out.stdout,
        "imported 2 concepts (4 terms, en, de) from plain.tsv into memory/paralign.sqlite: 2 new, 0 already there\n"
    );
}

#[test]
fn malformed_files_write_nothing() {
    let d = Dir::new();
    import(d.path(), &fx("glossary/human-rights.tsv"));
    let db = d.join("memory/paralign.sqlite");
    let before = std::fs::read(&db).unwrap();
    d.create("empty.tbx", "");
    d.create("binary.tsv", b"en\tde\n\x00\x01\x02\x03binary\n");
    d.create(
        "cut.tbx",
        "<?xml version=\"1.0\"?>\n<martif type=\"TBX-Basic\">\n<text><body>\n<termEntry><langSet xml:lang=\"en\"><tig><term>asylum</tig>\n",
    );
    d.create(
        "nolang.tbx",
        "<martif>\n<text><body>\n<termEntry>\n<langSet><tig><term>asylum</term></tig></langSet>\n</termEntry></body></text></martif>\n",
    );
    d.create("ragged.csv", "en,de\ntorture,Folter\nasylum,Asyl,asile\n");
    d.create("open-quote.csv", "en,de\ntorture,Folter\n\"asylum,Asyl\n");
    d.create("other.xml", "<html><body>terms</body></html>\n");
    // A billion laughs: ten entities each made of ten of the one before.
    let mut bomb =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE martif [\n<!ENTITY a0 \"lol\">\n");
    for i in 1..10 {
        bomb.push_str(&format!(
            "<!ENTITY a{i} \"{}\">\n",
            format!("&a{};", i - 1).repeat(10)
        ));
    }
    bomb.push_str("]>\n<martif><text><body><termEntry><langSet xml:lang=\"en\"><tig><term>&a9;</term></tig></langSet></termEntry></body></text></martif>\n");
    d.create("bomb.tbx", bomb);
    for (file, msg) in [
        ("missing.tbx", "missing.tbx: no such file or folder"),
        ("empty.tbx", "empty.tbx: the file holds no text"),
        (
            "binary.tsv",
            "binary.tsv: the file looks binary (it has NUL or control bytes), not a text document",
        ),
        (
            "cut.tbx",
            "cut.tbx:4:52: malformed XML: expected `</term>`, but `</tig>` was found",
        ),
        (
            "nolang.tbx",
            "nolang.tbx:4:1: <langSet> has no xml:lang; add the language of its terms (xml:lang=\"en\")",
        ),
        (
            "ragged.csv",
            "ragged.csv:3: this row has 3 fields where the header has 2; every row needs one field per language (quote a field that holds a separator)",
        ),
        (
            "open-quote.csv",
            "open-quote.csv:3: a quoted field that starts on this line never ends; close its quote (\")",
        ),
        (
            "bomb.tbx",
            "bomb.tbx:14:66: maximum entity amplification factor exceeded: internal entities make more than 5 times the bytes of the file read so far (--max-entity-expansion 5); is it an entity bomb?",
        ),
        (
            "other.xml",
            "other.xml:1:1: not a TBX file: the root element is <html>, not <martif> or <tbx>",
        ),
    ] {
        let out = cmd(d.path(), &["import-glossary", file]).expect_code(2);
        assert_eq!(out.stdout, "", "{file}");
        assert_eq!(out.stderr, format!("paralign: {msg}\n"), "{file}");
        assert_eq!(std::fs::read(&db).unwrap(), before, "{file} changed the memory");
    }
}

#[test]
fn lookup_lists_the_terms_of_the_query() {
    let d = Dir::new();
    import(d.path(), &fx("glossary/human-rights.tbx"));
    let out = cmd(
        d.path(),
        &[
            "lookup",
            "No one shall be subjected to Torture or arbitrary detention.",
            "--from",
            "en",
            "--to",
            "de",
        ],
    )
    .expect_code(0);
    assert_eq!(
        out.stdout,
        "no match of 50% or more into de in the memory\nglossary: \"torture\" → \"Folter\", \"arbitrary detention\" → \"willkürliche Haft\"\n"
    );
    let out = cmd(
        d.path(),
        &[
            "lookup",
            "Human rights for all.",
            "--to",
            "fr",
            "--format",
            "json",
        ],
    )
    .expect_code(0);
    assert_eq!(
        out.json()["terms"],
        serde_json::json!([
            {"source": "human rights", "target": "droits de l'homme"},
            {"source": "human rights", "target": "droits humains"},
        ])
    );
    // No term in the query: no field.
    let out = cmd(
        d.path(),
        &["lookup", "Nothing here.", "--to", "fr", "--format", "json"],
    )
    .expect_code(0);
    assert!(out.json().get("terms").is_none(), "{}", out.stdout);
}

const SOURCE: &str = "Universal Declaration of Human Rights

1. All human beings are born free and equal in dignity and rights. They are endowed with reason and conscience and should act towards one another in a spirit of brotherhood.

2. No one shall be subjected to torture or to cruel, inhuman or degrading treatment or punishment.

3. Everyone has the right to seek and to enjoy in other countries asylum from persecution.
";

const TARGET: &str = "Allgemeine Erklärung der Menschenrechte

1. Alle Menschen sind frei und gleich an Würde und Rechten geboren. Sie sind mit Vernunft und Gewissen begabt und sollen einander im Geist der Brüderlichkeit begegnen.

2. Niemand darf der Folter oder grausamer, unmenschlicher oder erniedrigender Behandlung oder Strafe unterworfen werden.

3. Jeder hat das Recht, in anderen Ländern vor Verfolgung Asyl zu suchen und zu genießen.
";

/// A document pair in `dir/decl/`, the German one saying `Misshandlung` instead of `Folter`
/// when `lacking`.
fn documents(d: &Dir, lacking: bool) {
    d.create("decl/decl.en.txt", SOURCE);
    let target = if lacking {
        TARGET.replace("der Folter", "der Misshandlung")
    } else {
        TARGET.to_string()
    };
    d.create("decl/decl.de.txt", target);
}

/// The (flag, reasons) of every finding of `check --format json`.
fn findings(out: &Output) -> Vec<(String, Vec<String>, String)> {
    let v = out.json();
    let mut found = Vec::new();
    for doc in v["documents"].as_array().unwrap() {
        for t in doc["targets"].as_array().unwrap() {
            for p in t["pairs"].as_array().unwrap() {
                for f in p["flags"].as_array().unwrap() {
                    let reasons = p["reasons"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|r| r.as_str().unwrap().to_string())
                        .collect();
                    let terms = p["signals"]["terms_not_in_target"].to_string();
                    found.push((f.as_str().unwrap().to_string(), reasons, terms));
                }
            }
        }
    }
    found
}

#[test]
fn check_flags_the_missing_term_from_the_memory() {
    let d = Dir::new();
    import(d.path(), &fx("glossary/human-rights.tbx"));
    documents(&d, true);
    let out = cmd(d.path(), &["check", "decl", "--fail-on", "diverging"]).expect_code(1);
    assert_eq!(
        out.stdout,
        "decl: en decl/decl.en.txt (4 paragraphs)
  de decl/decl.de.txt (4 paragraphs): coverage 100.0% (4/4), 1 diverging
    error    diverging    decl/decl.de.txt:5: paragraph 2 diverges from the source decl/decl.en.txt:5: term: \"torture\" → \"Folter\" not in the translation
             “Niemand darf der Misshandlung oder grausamer, unmenschlicher oder erniedrigender Behandlu…”

1 translation checked in 1 document: 1 finding; FAILED: 1 finding fails the policy (fail on: diverging)
"
    );
    let json = cmd(d.path(), &["check", "decl", "--format", "json"]).expect_code(0);
    assert_eq!(
        findings(&json),
        [(
            "diverging".to_string(),
            vec!["term".to_string()],
            r#"[{"source":"torture","target":"Folter"}]"#.to_string()
        )]
    );
    // Every report names the term: Markdown and HTML too.
    let md = cmd(
        d.path(),
        &[
            "check",
            "decl",
            "--fail-on",
            "diverging",
            "--format",
            "markdown",
        ],
    )
    .expect_code(1);
    assert!(
        md.stdout.contains(
            "- diverging `decl/decl.de.txt:5`: paragraph 2 diverges from the source decl/decl.en.txt:5: term: \"torture\" → \"Folter\" not in the translation"
        ),
        "{}",
        md.stdout
    );
    let html = cmd(d.path(), &["check", "decl", "--format", "html"]).expect_code(0);
    assert!(
        html.stdout.contains(
            "Glossary terms not in the translation: &quot;torture&quot; → &quot;Folter&quot;"
        ),
        "{}",
        html.stdout
    );
    // align reads the memory's glossary too.
    let out = cmd(d.path(), &["align", "decl/decl.en.txt", "decl/decl.de.txt"]).expect_code(0);
    assert_eq!(
        out.stdout
            .lines()
            .filter(|l| l.contains("diverging (term)"))
            .count(),
        1,
        "{}",
        out.stdout
    );
    // With the term: nothing.
    documents(&d, false);
    let json = cmd(d.path(), &["check", "decl", "--format", "json"]).expect_code(0);
    assert_eq!(findings(&json), []);
}

#[test]
fn check_and_align_take_a_glossary_file() {
    let d = Dir::new();
    documents(&d, true);
    // No memory and no --glossary: no glossary, no error.
    let json = cmd(d.path(), &["check", "decl", "--format", "json"]).expect_code(0);
    assert_eq!(findings(&json), []);
    assert!(!d.join("memory").exists());
    let tsv = fx("glossary/human-rights.tsv");
    let json = cmd(
        d.path(),
        &["check", "decl", "--format", "json", "--glossary", &tsv],
    )
    .expect_code(0);
    assert_eq!(findings(&json).len(), 1);
    assert_eq!(findings(&json)[0].1, ["term"]);
    let out = cmd(
        d.path(),
        &[
            "align",
            "decl/decl.en.txt",
            "decl/decl.de.txt",
            "--glossary",
            &tsv,
        ],
    )
    .expect_code(0);
    let flagged: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.contains("(term)"))
        .collect();
    assert_eq!(flagged.len(), 1, "{}", out.stdout);
    assert!(
        flagged[0].contains("No one shall be subjected to torture"),
        "{}",
        out.stdout
    );
    // A table without a header cannot say its languages here.
    d.create("plain.csv", "torture,Folter\n");
    let out = cmd(d.path(), &["check", "decl", "--glossary", "plain.csv"]).expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: plain.csv:1: the first row is not a header of language tags (en, de, fr); add one to use the table with --glossary\n"
    );
    // align can: its --source-lang and --target-lang name the columns.
    let out = cmd(
        d.path(),
        &[
            "align",
            "decl/decl.en.txt",
            "decl/decl.de.txt",
            "--source-lang",
            "en",
            "--target-lang",
            "de",
            "--glossary",
            "plain.csv",
        ],
    )
    .expect_code(0);
    assert_eq!(
        out.stdout
            .lines()
            .filter(|l| l.contains("diverging (term)"))
            .count(),
        1,
        "{}",
        out.stdout
    );
    // A bad glossary file is an input error.
    d.create("bad.csv", "en,de\na,b,c\n");
    let out = cmd(d.path(), &["check", "decl", "--glossary", "bad.csv"]).expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: bad.csv:2: this row has 3 fields where the header has 2; every row needs one field per language (quote a field that holds a separator)\n"
    );
}

#[test]
fn import_stores_the_term_reason() {
    let d = Dir::new();
    import(d.path(), &fx("glossary/human-rights.tsv"));
    documents(&d, true);
    cmd(d.path(), &["import", "decl"]).expect_code(0);
    let c = rusqlite::Connection::open(d.join("memory/paralign.sqlite")).unwrap();
    let pairs: Vec<(i64, i64, i64)> = c
        .prepare("SELECT seq, flags, reasons FROM pair ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    // Pair 2 (paragraph 2, torture): diverging (8), term (16384).
    assert_eq!(pairs, [(0, 0, 0), (1, 0, 0), (2, 8, 16384), (3, 0, 0)]);
    let status = cmd(d.path(), &["status"]).expect_code(0);
    assert!(status.stdout.contains("1 diverging"), "{}", status.stdout);
}
