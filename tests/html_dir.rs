//! HTML `dir`: the direction a page declares (on `<body>`, else `<html>`) is kept with the
//! document; a page whose declared direction its script contradicts (Arabic under
//! `dir="ltr"`, Latin under `dir="rtl"`) gets one warning naming the file and the line of the
//! declaration, which does not fail the check; the HTML report shows each version's text in
//! its script's direction.

mod util;

use util::{fixture_bytes, Dir};

/// `text` (paragraphs separated by blank lines) as an HTML page whose root tag is `root`,
/// each paragraph on its own line.
fn page(root: &str, text: &str) -> String {
    let mut s = format!("{root}\n<body>\n");
    for p in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        s.push_str(&format!("<p>{p}</p>\n"));
    }
    s.push_str("</body></html>\n");
    s
}

/// The English statement and its version `lang` (from `fixture`) as a page under `root`.
fn statement(lang: &str, fixture: &str, root: &str) -> Dir {
    let dir = Dir::new();
    dir.copy_fixture("statement/statement.en.txt", "statement.en.txt");
    let text = String::from_utf8(fixture_bytes(fixture)).unwrap();
    dir.create(&format!("statement.{lang}.html"), page(root, &text));
    dir
}

fn check(dir: &Dir, format: &str) -> util::Output {
    dir.paralign(["check", ".", "--fail-on", "none", "--format", format])
        .expect_code(0)
}

#[test]
fn arabic_under_ltr_is_one_warning_at_the_declaration() {
    let dir = statement(
        "ar",
        "multilingual/statement.ar.txt",
        "<!DOCTYPE html>\n<html lang=\"ar\" dir=\"ltr\">",
    );
    let out = check(&dir, "text");
    assert_eq!(
        out.stderr_lines(),
        ["paralign: warning: ./statement.ar.html:2: dir=\"ltr\" says the text runs left to right, but it is written in a script that runs right to left: a browser lays it out backwards; write dir=\"rtl\""]
    );
    let json = check(&dir, "json").json();
    assert_eq!(json["warnings"][0]["path"], "./statement.ar.html");
    assert_eq!(json["warnings"][0]["line"], 2);
    assert_eq!(json["warnings"].as_array().unwrap().len(), 1);
    // The report shows the Arabic text right to left all the same.
    let html = check(&dir, "html").stdout;
    assert!(html.contains("data-l=\"ar\" dir=\"rtl\""), "{html}");
    assert!(!html.contains("data-l=\"ar\" dir=\"ltr\""));
}

#[test]
fn latin_under_rtl_on_body_is_a_warning_and_is_shown_ltr() {
    let dir = statement(
        "es",
        "statement/statement.es.txt",
        "<html lang=\"es\">\n<meta charset=\"utf-8\">",
    );
    let text = dir
        .read("statement.es.html")
        .replace("<body>", "<body dir=\"rtl\">");
    dir.create("statement.es.html", text);
    let out = check(&dir, "text");
    assert_eq!(
        out.stderr_lines(),
        ["paralign: warning: ./statement.es.html:3: dir=\"rtl\" says the text runs right to left, but it is written in a script that runs left to right: a browser lays it out backwards; write dir=\"ltr\""]
    );
    let html = check(&dir, "html").stdout;
    assert!(html.contains("data-l=\"es\" dir=\"ltr\""), "{html}");
}

#[test]
fn a_direction_that_fits_the_script_says_nothing() {
    for (lang, fixture, root) in [
        ("ar", "multilingual/statement.ar.txt", "<html dir=\"rtl\">"),
        ("he", "multilingual/statement.he.txt", "<html dir=\"RTL\">"),
        ("es", "statement/statement.es.txt", "<html dir=\"ltr\">"),
        ("ar", "multilingual/statement.ar.txt", "<html dir=\"auto\">"),
        ("ar", "multilingual/statement.ar.txt", "<html>"),
    ] {
        let dir = statement(lang, fixture, root);
        let out = check(&dir, "text");
        assert_eq!(out.stderr, "", "{lang} {root}");
    }
}
