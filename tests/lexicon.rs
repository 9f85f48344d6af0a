//! `paralign lexicon`: what the word model learns from a memory's segments (and what the
//! memory's own word model, trained by the import, keeps: `memory:`), end to end on the
//! UDHR fixtures (real translations): the header, a word's translations with their
//! probability and segment counts, a word it learned nothing for, the glossary's agreed term
//! beside it, JSON, and the errors (exit 2). Every command runs in a temporary folder with
//! `PARALIGN_DB` removed.

mod util;

use std::path::Path;

use util::{fixture, paralign, Dir, TestCommand};

fn cmd(dir: &Path, args: &[&str]) -> TestCommand {
    paralign(args)
        .current_dir(dir)
        .env("PARALIGN_NOW", "2024-03-14T10:00:00Z")
        .env("PARALIGN_DB", "")
}

/// A memory holding the UDHR in Spanish and Russian (and English, their source).
fn memory() -> Dir {
    let d = Dir::new();
    for lang in ["en", "es", "ru"] {
        let name = format!("udhr/udhr.{lang}.txt");
        d.copy_fixture(&name, &name);
    }
    cmd(d.path(), &["import", "udhr"]).expect_code(0);
    d
}

#[test]
fn a_words_translations_with_how_sure_and_how_often() {
    let d = memory();
    let out = cmd(d.path(), &["lexicon", "es", "right", "article", "bicycle"]).stdout();
    assert_eq!(
        out,
        "en → es: learned from 92 segments in memory/paralign.sqlite\n  \
         right    in    45 segments:  derecho 0.29 (45)  de 0.14 (40)  persona 0.12 (31)\n           \
         memory: derecho 0.40, de 0.16, persona 0.12\n  \
         article  in    30 segments:  artículo 1.00 (30)\n           \
         memory: artículo 1.00\n  \
         bicycle  nothing learned\n"
    );
}

#[test]
fn the_most_frequent_words_without_a_word_and_json() {
    let d = memory();
    let out = cmd(
        d.path(),
        &["lexicon", "es", "--limit", "2", "--translations", "1"],
    )
    .stdout();
    assert_eq!(
        out,
        "en → es: learned from 92 segments in memory/paralign.sqlite\n  \
         of       in    46 segments:  de 0.33 (45)\n           \
         memory: de 0.39\n  \
         article  in    30 segments:  artículo 1.00 (30)\n           \
         memory: artículo 1.00\n"
    );
    let json = cmd(d.path(), &["lexicon", "ru", "article", "--format", "json"])
        .expect_code(0)
        .json();
    assert_eq!(json["version"], 1);
    assert_eq!(json["lexicon"]["source_lang"], "en");
    assert_eq!(json["lexicon"]["target_lang"], "ru");
    assert_eq!(json["words"][0]["word"], "article");
    assert_eq!(
        json["words"][0]["learned"]["translations"][0]["word"],
        "статья"
    );
    // The word model the import trained, kept in the memory.
    assert_eq!(json["words"][0]["memory"][0]["word"], "статья");
}

#[test]
fn the_glossary_term_stands_beside_what_was_learned() {
    let d = memory();
    let tsv = d.create("terms.tsv", "en\tes\nfreedom\tlibertad\n");
    cmd(d.path(), &["import-glossary", tsv.to_str().unwrap()]).expect_code(0);
    let out = cmd(
        d.path(),
        &["lexicon", "es", "freedom", "--translations", "1"],
    )
    .stdout();
    assert_eq!(
        out,
        "en → es: learned from 92 segments in memory/paralign.sqlite\n  \
         freedom  in    16 segments:  libertad 0.49 (15)\n           \
         memory: libertad 0.76\n           \
         glossary: libertad\n"
    );
}

#[test]
fn errors_name_what_is_wrong_and_exit_2() {
    let d = Dir::new();
    let out = cmd(d.path(), &["lexicon", "es"]).expect_code(2);
    assert_eq!(
        out.stderr_lines(),
        ["paralign: memory/paralign.sqlite: no translation memory here yet; run `paralign import PATH...` to make one, or pass --db"]
    );
    let d = memory();
    let out = cmd(d.path(), &["lexicon", "fr"]).expect_code(2);
    assert_eq!(
        out.stderr_lines(),
        ["paralign: the memory memory/paralign.sqlite holds no segment translated into fr: import translations first"]
    );
    let out = cmd(d.path(), &["lexicon", "e s"]).expect_code(2);
    assert!(out.stderr_lines()[0].starts_with("paralign: LANG: `e s` is not a language tag"));
    assert!(fixture("udhr/udhr.es.txt").is_file());
}
