//! Matches as CAT tools count them, end to end (issue #16, part 4): a paragraph's number is not
//! part of its first sentence, `analyze` and `pretranslate` agree paragraph by paragraph (one
//! decision, `src/cli/leverage.rs`), the same text under two numbers is a repetition, a query
//! made of stored sentences is matched sentence by sentence, and a `diverging` pair's sentences
//! that pair up are in the memory. On a memory of fixtures/statement in a temporary folder.

mod util;

use util::{fixture, paralign, Dir};

/// The bodies of the English statement's paragraphs (without their numbers).
fn bodies() -> Vec<String> {
    let text = std::fs::read_to_string(fixture("statement/statement.en.txt")).unwrap();
    text.split("\n\n")
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once(".  ") {
            Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => rest.trim().to_string(),
            _ => p.to_string(),
        })
        .collect()
}

fn memory() -> (Dir, String) {
    let dir = Dir::new();
    let db = dir.join("memory.sqlite").display().to_string();
    paralign(["import", "fixtures/statement", "--db", &db]).expect_code(0);
    (dir, db)
}

/// A new document: paragraph 1 of the statement under number 5, paragraph 3 under 7, a new
/// paragraph under 9 and again under 10, paragraph 3's first sentence twice under 8, and
/// paragraph 3 with a number inserted in its second sentence under 11.
fn new_document(dir: &Dir) -> std::path::PathBuf {
    let b = bodies();
    let first = b[4].split(". ").next().unwrap();
    let text = format!(
        "5.   {}\n\n7.   {}\n\n8.   {first}. {first}.\n\n9.   A sentence nobody wrote before. And a second one.\n\n10.   A sentence nobody wrote before. And a second one.\n\n11.   {}\n",
        b[2],
        b[4],
        b[4].replace("bus and tram", "bus and 2 tram")
    );
    dir.create("new.en.txt", text)
}

#[test]
fn analyze_and_pretranslate_agree_and_labels_do_not_count() {
    let (dir, db) = memory();
    let file = new_document(&dir);
    let file = file.display().to_string();
    let json = paralign([
        "analyze", &file, "--to", "es", "--format", "json", "--db", &db,
    ])
    .expect_code(0)
    .json();
    let bands: Vec<(String, serde_json::Value)> = json["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["best"][0]["band"].as_str().unwrap().to_string(),
                p["best"][0]["percent"].clone(),
            )
        })
        .collect();
    let want = [
        ("100", serde_json::json!(100)),
        ("100", serde_json::json!(100)),
        ("100", serde_json::json!(100)),
        ("no-match", serde_json::Value::Null),
        ("repetition", serde_json::Value::Null),
        // 98 by sentence (one number inserted); as a whole it would be 96 (3 → 11 as well).
        ("95-99", serde_json::json!(98)),
    ];
    assert_eq!(
        bands,
        want.iter()
            .map(|(b, p)| (b.to_string(), p.clone()))
            .collect::<Vec<_>>()
    );
    let out = dir.join("new.es.txt").display().to_string();
    let report = paralign([
        "pretranslate",
        &file,
        "--to",
        "es",
        "-o",
        &out,
        "--format",
        "json",
        "--db",
        &db,
    ])
    .expect_code(0)
    .json();
    let filled: Vec<(&str, serde_json::Value)> = report["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["filled"].as_str().unwrap(), e["percent"].clone()))
        .collect();
    assert_eq!(
        filled,
        [
            ("exact", serde_json::json!(100)),
            ("exact", serde_json::json!(100)),
            ("exact", serde_json::json!(100)),
            ("untouched", serde_json::Value::Null),
            ("untouched", serde_json::Value::Null),
            ("fuzzy", serde_json::json!(98)),
        ]
    );
    assert_eq!(report["entries"][5]["by_sentence"], true);
    // The paragraph's own number goes in front of a translation made of sentences.
    let draft = dir.read("new.es.txt");
    assert!(
        draft.starts_with("5.   Desde primera hora del 11 de marzo de 2024"),
        "{draft}"
    );
    assert!(
        draft.contains("\n8.   Las cifras hablan por sí solas. Las cifras hablan por sí solas.\n"),
        "{draft}"
    );
}

/// A sentence of paragraph 3 that is stored as a sentence segment.
fn stored_sentence() -> String {
    bodies()[4].split(". ").nth(1).unwrap().to_string() + "."
}

#[test]
fn a_query_of_several_sentences_is_matched_sentence_by_sentence() {
    let (_dir, db) = memory();
    let s = stored_sentence();
    let twice = format!("{s} {s}");
    let json = paralign([
        "lookup", &twice, "--to", "es", "--format", "json", "--db", &db,
    ])
    .expect_code(0)
    .json();
    let sentences = json["sentences"].as_array().unwrap();
    assert_eq!(sentences.len(), 2);
    for x in sentences {
        assert_eq!(x["query"], s.as_str());
        assert_eq!(x["matches"][0]["percent"], 100);
        assert_eq!(x["matches"][0]["level"], "sentence");
    }
    // One sentence: no sentence list.
    let json = paralign(["lookup", &s, "--to", "es", "--format", "json", "--db", &db])
        .expect_code(0)
        .json();
    assert_eq!(json["sentences"], serde_json::json!([]));
    assert_eq!(json["matches"][0]["percent"], 100);
}

#[test]
fn batch_lookup_answers_every_line_in_one_process() {
    let (dir, db) = memory();
    let s = stored_sentence();
    let with_number = s.replace("bus and tram", "bus and 2 tram");
    let file = dir.create(
        "queries.txt",
        format!("{s}\n\nNothing like this was ever stored.\n{with_number}\n"),
    );
    let out = paralign([
        "lookup",
        "--file",
        &file.display().to_string(),
        "--to",
        "es",
        "--format",
        "json",
        "--db",
        &db,
    ])
    .stdout();
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<(u64, Option<u64>)> = lines
        .iter()
        .map(|l| {
            (
                l["line"].as_u64().unwrap(),
                l["matches"][0]["percent"].as_u64(),
            )
        })
        .collect();
    assert_eq!(got, [(1, Some(100)), (3, None), (4, Some(98))]);
    // Text: one block per query, headed by its line.
    let text = paralign([
        "lookup",
        "--file",
        &file.display().to_string(),
        "--to",
        "es",
        "--db",
        &db,
    ])
    .stdout();
    let heads: Vec<&str> = text.lines().filter(|l| l.starts_with("== line ")).collect();
    assert_eq!(heads.len(), 3);
    assert!(
        heads[1].starts_with("== line 3: Nothing like this"),
        "{text}"
    );
    // JSON lines on standard input, ids echoed.
    let input = format!(
        "{}\n{}\n",
        serde_json::json!({"text": s, "id": "u1"}),
        serde_json::json!({"text": with_number, "id": 2})
    );
    let out = paralign([
        "lookup", "--jsonl", "-", "--to", "es", "--format", "json", "--db", &db,
    ])
    .stdin(input)
    .stdout();
    let ids: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].clone())
        .collect();
    assert_eq!(ids, [serde_json::json!("u1"), serde_json::json!(2)]);
}

#[test]
fn bad_batch_input_exits_2_naming_the_line() {
    let (dir, db) = memory();
    let out = paralign(["lookup", "--jsonl", "-", "--to", "es", "--db", &db])
        .stdin("{\"text\": \"fine\"}\n{\"txt\": \"typo\"}\n")
        .expect_code(2);
    assert!(
        out.stderr.contains("<stdin>:2: not a query object"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "");
    let missing = dir.join("nowhere.txt").display().to_string();
    let out = paralign(["lookup", "--file", &missing, "--to", "es", "--db", &db]).expect_code(2);
    assert!(out.stderr.contains("nowhere.txt"), "{}", out.stderr);
    paralign([
        "lookup", "text", "--file", &missing, "--to", "es", "--db", &db,
    ])
    .expect_code(2);
}

#[test]
fn a_diverging_pair_keeps_the_sentences_that_pair_up() {
    // Paragraph 3's Spanish says 16,1 where the English says 11.6: the pair is diverging.
    let dir = util::statement_with_defect("changed-number.es.txt");
    let db = dir.join("memory.sqlite").display().to_string();
    dir.paralign(["import", ".", "--db", &db]).expect_code(0);
    let sentences: Vec<String> = bodies()[4].split(". ").map(str::to_string).collect();
    let lookup = |text: &str| {
        paralign([
            "lookup", text, "--to", "es", "--format", "json", "--limit", "1", "--db", &db,
        ])
        .expect_code(0)
        .json()["matches"][0]
            .clone()
    };
    // Its other sentences are in the memory, as sentences.
    let third = format!("{}.", sentences[2]);
    let m = lookup(&third);
    assert_eq!(
        (m["percent"].as_u64(), m["level"].as_str()),
        (Some(100), Some("sentence"))
    );
    assert!(
        m["target"]
            .as_str()
            .unwrap()
            .starts_with("En el mismo periodo"),
        "{m}"
    );
    // The sentence whose number differs is not stored as a sentence pair.
    let second = format!("{}.", sentences[1]);
    let m = lookup(&second);
    assert_ne!(m["level"].as_str(), Some("sentence"), "{m}");
}
