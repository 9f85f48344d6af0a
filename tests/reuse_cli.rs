//! `lookup`, `analyze` and `pretranslate` as a user runs them, on a memory made from
//! fixtures/statement (English source, Spanish and Russian translations) in a temporary folder:
//! exact matches at 100, a paragraph with one number changed in 95-99 (never 100), unrelated
//! text and other language pairs with no match, the bands of a new document, and a draft whose
//! fuzzy fills `check` reports. Every run names its memory with --db; the default database is
//! never touched.

mod util;

use util::{fixture, paralign, Dir};

/// The paragraphs of a fixture (blocks separated by blank lines).
fn paragraphs(rel: &str) -> Vec<String> {
    let text = std::fs::read_to_string(fixture(rel)).unwrap();
    text.split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// A temporary folder with a memory of fixtures/statement at `memory.sqlite`.
fn memory() -> Dir {
    let dir = Dir::new();
    let db = dir.join("memory.sqlite");
    paralign(["import", "fixtures/statement", "--db", &s(&db)]).expect_code(0);
    dir
}

fn s(p: &std::path::Path) -> String {
    p.display().to_string()
}

fn db(dir: &Dir) -> String {
    dir.join("memory.sqlite").display().to_string()
}

const CHANGED_FROM: &str = "11.6 million";
const CHANGED_TO: &str = "16.1 million";

#[test]
fn lookup_finds_the_exact_translation_first_at_100() {
    let dir = memory();
    let en = paragraphs("statement/statement.en.txt");
    let es = paragraphs("statement/statement.es.txt");
    let out = paralign([
        "lookup",
        &en[4],
        "--to",
        "es",
        "--format",
        "json",
        "--db",
        &db(&dir),
    ])
    .expect_code(0)
    .json();
    let first = &out["matches"][0];
    assert_eq!(first["percent"], 100);
    assert_eq!(first["level"], "paragraph");
    assert_eq!(first["document"], "statement");
    assert_eq!(first["label"], "3");
    assert_eq!(first["target"], es[4].as_str());
    assert_eq!(first["formula"]["exact"], true);
    // The Russian memory answers --to ru.
    let ru = paragraphs("statement/statement.ru.txt");
    let out = paralign([
        "lookup",
        &en[4],
        "--to",
        "ru",
        "--format",
        "json",
        "--db",
        &db(&dir),
    ])
    .expect_code(0)
    .json();
    assert_eq!(out["matches"][0]["percent"], 100);
    assert_eq!(out["matches"][0]["target"], ru[4].as_str());
}

#[test]
fn lookup_of_a_changed_number_is_95_to_99_and_marks_it() {
    let dir = memory();
    let en = paragraphs("statement/statement.en.txt");
    let es = paragraphs("statement/statement.es.txt");
    let query = en[4].replace(CHANGED_FROM, CHANGED_TO);
    let out = paralign([
        "lookup",
        &query,
        "--to",
        "es",
        "--format",
        "json",
        "--db",
        &db(&dir),
    ])
    .expect_code(0)
    .json();
    let first = &out["matches"][0];
    let pct = first["percent"].as_u64().unwrap();
    assert!((95..=99).contains(&pct), "{first}");
    assert_eq!(pct, 98);
    assert_eq!(first["level"], "paragraph");
    assert_eq!(first["target"], es[4].as_str());
    assert_eq!(first["formula"]["number_edits"], 1);
    assert_eq!(first["formula"]["token_edits"], 0);
    assert_eq!(first["formula"]["penalty"], 2);
    assert!(first["marked"]
        .as_str()
        .unwrap()
        .contains("[-11.6-]{+16.1+} million"));
    // No match of 100 anywhere in the list.
    assert!(out["matches"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["percent"] != 100));
    // The text report shows the same.
    let text = paralign(["lookup", &query, "--to", "es", "--db", &db(&dir)]).stdout();
    assert!(
        text.starts_with("98%  en→es  statement ¶3 (paragraph, "),
        "{text}"
    );
    assert!(text.contains("[-11.6-]{+16.1+}"), "{text}");
}

#[test]
fn lookup_of_one_sentence_finds_the_sentence_segment() {
    let dir = memory();
    let out = paralign([
        "lookup",
        "The figures tell their own story.",
        "--to",
        "es",
        "--format",
        "json",
        "--db",
        &db(&dir),
    ])
    .expect_code(0)
    .json();
    let first = &out["matches"][0];
    assert_eq!(first["level"], "sentence");
    assert_eq!(first["target"], "Las cifras hablan por sí solas.");
    // The stored sentence is without its paragraph's number (3.).
    assert_eq!(first["percent"], 100);
    assert_eq!(first["label"], "3");
}

#[test]
fn unrelated_text_and_other_language_pairs_find_nothing() {
    let dir = memory();
    let en = paragraphs("statement/statement.en.txt");
    let es = paragraphs("statement/statement.es.txt");
    // Unrelated English text: nothing at 50 or more.
    let out = paralign([
        "lookup",
        "Heavy rain flooded the football pitch, so the referee postponed the derby until next spring.",
        "--to",
        "es",
        "--format",
        "json",
        "--db",
        &db(&dir),
    ])
    .expect_code(0)
    .json();
    assert_eq!(out["matches"], serde_json::json!([]));
    // The exact English paragraph into French: the memory has no English-French pairs.
    let out = paralign([
        "lookup",
        &en[4],
        "--to",
        "fr",
        "--format",
        "json",
        "--db",
        &db(&dir),
    ])
    .expect_code(0)
    .json();
    assert_eq!(out["matches"], serde_json::json!([]));
    // The Spanish paragraph as a source into Russian: the memory's sources are English.
    let out = paralign([
        "lookup",
        &es[4],
        "--from",
        "es",
        "--to",
        "ru",
        "--format",
        "json",
        "--db",
        &db(&dir),
    ])
    .expect_code(0)
    .json();
    assert_eq!(out["matches"], serde_json::json!([]));
    let text = paralign(["lookup", &en[4], "--to", "fr", "--db", &db(&dir)]).stdout();
    assert_eq!(text, "no match of 50% or more into fr in the memory\n");
}

/// A new English document: title and byline unchanged, paragraph 3 with one number changed,
/// a new paragraph twice, paragraph 5 unchanged.
fn new_document(dir: &Dir) -> std::path::PathBuf {
    let en = paragraphs("statement/statement.en.txt");
    let fresh = "Heavy rain flooded the football pitch, so the referee postponed the derby until next spring.";
    let parts = [
        en[0].clone(),
        en[1].clone(),
        en[4].replace(CHANGED_FROM, CHANGED_TO),
        fresh.to_string(),
        fresh.to_string(),
        en[6].clone(),
    ];
    dir.create("new.en.txt", parts.join("\n\n") + "\n")
}

fn words(text: &str) -> usize {
    paralign::reuse::Prepared::new(text).words()
}

#[test]
fn analyze_counts_bands_and_repetitions() {
    let dir = memory();
    let file = new_document(&dir);
    let en = paragraphs("statement/statement.en.txt");
    let out = paralign([
        "analyze",
        &s(&file),
        "--to",
        "es,fr",
        "--format",
        "json",
        "--db",
        &db(&dir),
    ])
    .expect_code(0)
    .json();
    assert_eq!(out["source_lang"], "en");
    let es = &out["languages"][0];
    assert_eq!(es["lang"], "es");
    let band = |lang: &serde_json::Value, name: &str| -> (u64, u64) {
        let b = lang["bands"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["band"] == name)
            .unwrap();
        (
            b["segments"].as_u64().unwrap(),
            b["words"].as_u64().unwrap(),
        )
    };
    let w = |i: usize| words(&en[i]) as u64;
    let fresh = words("Heavy rain flooded the football pitch, so the referee postponed the derby until next spring.") as u64;
    assert_eq!(band(es, "100"), (3, w(0) + w(1) + w(6)));
    assert_eq!(band(es, "95-99"), (1, w(4)));
    assert_eq!(band(es, "no-match"), (1, fresh));
    assert_eq!(band(es, "repetition"), (1, fresh));
    assert_eq!(band(es, "85-94"), (0, 0));
    assert_eq!(band(es, "75-84"), (0, 0));
    assert_eq!(band(es, "50-74"), (0, 0));
    assert_eq!(es["total"]["segments"], 6);
    // French: another language pair, nothing but no match and the repetition.
    let fr = &out["languages"][1];
    assert_eq!(fr["lang"], "fr");
    assert_eq!(band(fr, "100"), (0, 0));
    assert_eq!(band(fr, "repetition"), (1, fresh));
    assert_eq!(band(fr, "no-match").0, 5);
    // Each paragraph's best match.
    let p = &out["paragraphs"][2];
    assert_eq!(p["best"][0]["percent"], 98);
    assert_eq!(p["best"][0]["band"], "95-99");
    assert_eq!(p["best"][1]["percent"], serde_json::Value::Null);
    // CSV and the text table.
    let csv = paralign([
        "analyze",
        &s(&file),
        "--to",
        "es",
        "--format",
        "csv",
        "--db",
        &db(&dir),
    ])
    .stdout();
    assert!(
        csv.starts_with("lang,band,segments,words\nes,100,3,"),
        "{csv}"
    );
    assert!(csv.contains(&format!("\nes,95-99,1,{}\n", w(4))), "{csv}");
    assert!(
        csv.contains(&format!("\nes,repetition,1,{fresh}\n")),
        "{csv}"
    );
    let text = paralign(["analyze", &s(&file), "--to", "es", "--db", &db(&dir)]).stdout();
    assert!(
        text.contains("band         segments    words  words%"),
        "{text}"
    );
    assert!(text.contains("\n100%                3 "), "{text}");
}

#[test]
fn pretranslate_fills_marks_and_lists() {
    let dir = memory();
    let file = new_document(&dir);
    let es = paragraphs("statement/statement.es.txt");
    let out_path = dir.join("new.es.txt");
    let report = paralign([
        "pretranslate",
        &s(&file),
        "--to",
        "es",
        "--db",
        &db(&dir),
        "-o",
        &s(&out_path),
    ])
    .expect_code(0)
    .stdout;
    assert!(
        report.contains(
            ": 3 exact, 1 fuzzy (≥ 75%, marked [fuzzy NN%] for review), 2 left in the source"
        ),
        "{report}"
    );
    assert!(
        report.contains("line 5 ¶3: fuzzy 98%: 3. The figures"),
        "{report}"
    );
    assert!(
        report.contains("line 7 ¶-: untouched: Heavy rain"),
        "{report}"
    );
    let draft = dir.read("new.es.txt");
    let got: Vec<&str> = draft.split("\n\n").map(str::trim).collect();
    assert_eq!(got[0], es[0]);
    assert_eq!(got[1], es[1]);
    assert_eq!(got[2], format!("{} [fuzzy 98%]", es[4]));
    assert!(got[3].starts_with("Heavy rain"));
    assert_eq!(got[5], es[6]);
    // `check` of the draft against its source reports the fuzzy fill and the untouched ones.
    let check = paralign([
        "check",
        &s(&file),
        &s(&out_path),
        "--format",
        "json",
        "--no-config",
    ])
    .run();
    let json = check.json();
    let pairs = json["documents"][0]["targets"][0]["pairs"]
        .as_array()
        .unwrap()
        .clone();
    let flagged: Vec<(u64, Vec<String>)> = pairs
        .iter()
        .filter(|p| !p["flags"].as_array().unwrap().is_empty())
        .map(|p| {
            (
                p["source"][0].as_u64().unwrap(),
                p["reasons"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    assert!(
        flagged
            .iter()
            .any(|(s, r)| *s == 2 && r.contains(&"numbers".to_string())),
        "{flagged:?}"
    );
    assert!(
        flagged
            .iter()
            .any(|(s, r)| *s == 3 && r.contains(&"same-text".to_string())),
        "{flagged:?}"
    );
}

#[test]
fn pretranslate_min_match_100_fills_exact_only() {
    let dir = memory();
    let file = new_document(&dir);
    let out_path = dir.join("draft.es.txt");
    let out = paralign([
        "pretranslate",
        &s(&file),
        "--to",
        "es",
        "--min-match",
        "100",
        "--format",
        "json",
        "--db",
        &db(&dir),
        "-o",
        &s(&out_path),
    ])
    .expect_code(0)
    .json();
    assert_eq!(out["exact"], 3);
    assert_eq!(out["fuzzy"], 0);
    assert_eq!(out["untouched"], 3);
    assert!(!dir.read("draft.es.txt").contains("[fuzzy"));
}

#[test]
fn pretranslate_keeps_markdown() {
    let dir = Dir::new();
    let db = dir.join("memory.sqlite");
    paralign(["import", "fixtures/law", "--db", &s(&db)]).expect_code(0);
    let out_path = dir.join("law.fr.md");
    paralign([
        "pretranslate",
        "fixtures/law/law.en.md",
        "--to",
        "fr",
        "--db",
        &s(&db),
        "-o",
        &s(&out_path),
    ])
    .expect_code(0);
    let draft = dir.read("law.fr.md");
    let want = std::fs::read_to_string(fixture("law/law.fr.md")).unwrap();
    // Every paragraph is an exact match: the draft reads as the French fixture, markup included,
    // up to inline markup and line wrapping inside a paragraph.
    let lines = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    };
    assert_eq!(lines(&draft).len(), lines(&want).len(), "{draft}");
    assert!(draft.starts_with("# "), "{draft}");
    assert!(!draft.contains("[fuzzy"), "{draft}");
}

#[test]
fn usage_errors_exit_2() {
    let dir = memory();
    let out = paralign(["lookup", "text", "--to", "es,ru", "--db", &db(&dir)]).expect_code(2);
    assert!(
        out.stderr.contains("--to: lookup takes one language"),
        "{}",
        out.stderr
    );
    let out = paralign([
        "lookup",
        "text",
        "--to",
        "es",
        "--min-match",
        "101",
        "--db",
        &db(&dir),
    ])
    .expect_code(2);
    assert!(out.stderr.contains("--min-match"), "{}", out.stderr);
    let missing = dir.join("none.sqlite");
    let out = paralign(["lookup", "text", "--to", "es", "--db", &s(&missing)]).expect_code(2);
    assert!(out.stderr.contains("none.sqlite"), "{}", out.stderr);
    let out =
        paralign(["analyze", "nowhere.en.txt", "--to", "es", "--db", &db(&dir)]).expect_code(2);
    assert!(out.stderr.contains("nowhere.en.txt"), "{}", out.stderr);
}

#[test]
fn pretranslate_writes_the_same_as_xliff_for_a_cat_tool() {
    let dir = memory();
    let file = new_document(&dir);
    let es = paragraphs("statement/statement.es.txt");
    let xlf = dir.join("new.es.xlf");
    paralign([
        "pretranslate",
        &s(&file),
        "--to",
        "es",
        "--db",
        &db(&dir),
        "-o",
        &s(&dir.join("new.es.txt")),
        "--xliff",
        &s(&xlf),
    ])
    .expect_code(0);
    let text = std::fs::read_to_string(&xlf).unwrap();
    let file = paralign::exchange::read_xliff(text.as_bytes()).unwrap();
    assert_eq!(
        (file.source_lang.as_str(), file.target_lang.as_str()),
        ("en", "es")
    );
    // Six paragraphs: three exact (translated), one fuzzy (to revise), two with no match.
    let units: Vec<(String, Option<String>)> = file
        .units
        .iter()
        .map(|u| (u.id.clone(), u.target.clone()))
        .collect();
    assert_eq!(
        units,
        vec![
            ("p0".to_string(), Some(es[0].clone())),
            ("p1".to_string(), Some(es[1].clone())),
            ("p2".to_string(), Some(es[4].clone())),
            ("p3".to_string(), None),
            ("p4".to_string(), None),
            ("p5".to_string(), Some(es[6].clone())),
        ]
    );
    assert_eq!(text.matches("state=\"translated\"").count(), 3);
    assert_eq!(text.matches("state=\"initial\"").count(), 3);
    assert!(
        text.contains("<mda:meta type=\"match\">98</mda:meta>"),
        "{text}"
    );
}

#[test]
fn pretranslate_writes_the_same_as_xliff_1_2() {
    // --xliff-version 1.2: the same units read back (ids, targets), drafts as 1.2 states, the
    // match percentage in paralign's note.
    let dir = memory();
    let file = new_document(&dir);
    let units = |version: &str| {
        let xlf = dir.join(&format!("new.{version}.xlf"));
        paralign([
            "pretranslate",
            &s(&file),
            "--to",
            "es",
            "--db",
            &db(&dir),
            "-o",
            &s(&dir.join("new.es.txt")),
            "--xliff",
            &s(&xlf),
            "--xliff-version",
            version,
        ])
        .expect_code(0);
        let text = std::fs::read_to_string(&xlf).unwrap();
        let x = paralign::exchange::read_xliff(text.as_bytes()).unwrap();
        let units: Vec<(String, String, Option<String>)> = x
            .units
            .into_iter()
            // 1.2 gives a paragraph left to translate an empty target (state `new`).
            .map(|u| (u.id, u.source, u.target.filter(|t| !t.is_empty())))
            .collect();
        (x.source_lang, x.target_lang, units, text)
    };
    let (src, trg, v12, text) = units("1.2");
    let (src20, trg20, v20, _) = units("2.0");
    assert_eq!((src, trg, v12), (src20, trg20, v20));
    assert_eq!(text.matches("state=\"translated\"").count(), 3);
    assert_eq!(
        text.matches("state=\"needs-review-translation\"").count(),
        1
    );
    assert!(text.contains("; match: 98</note>"), "{text}");
    assert_eq!(text.matches("<target state=\"new\"></target>").count(), 2);
}
