//! The English statement against its translations in eighteen languages and ten scripts
//! (fixtures/statement and fixtures/multilingual): a sound translation is paired one to one
//! with no flag, in every language; a defect injected into one paragraph raises exactly its
//! flag. The wider measurement (three document shapes, every paragraph, every defect) is
//! `cargo bench --bench accuracy`.

mod util;

use util::{pair, pairs, Dir};

const LANGS: [&str; 18] = [
    "es", "ru", "ar", "de", "el", "fa", "fr", "he", "hi", "it", "ja", "ka", "ko", "pl", "pt", "tr",
    "uk", "zh-Hans",
];

fn translation(lang: &str) -> String {
    let dir = if lang == "es" || lang == "ru" {
        "statement"
    } else {
        "multilingual"
    };
    std::fs::read_to_string(format!("fixtures/{dir}/statement.{lang}.txt")).unwrap()
}

fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// Align the English source with a translation written to a temp dir.
fn align(lang: &str, paras: &[String]) -> serde_json::Value {
    let dir = Dir::new();
    let name = format!("statement.{lang}.txt");
    dir.create(&name, paras.join("\n\n").as_bytes());
    let source = format!(
        "{}/fixtures/statement/statement.en.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    dir.paralign(["align", &source, &name, "--format", "json"])
        .expect_code(0)
        .json()
}

fn flagged(json: &serde_json::Value) -> Vec<util::PairView> {
    pairs(json, 0, 0)
        .into_iter()
        .filter(|p| !p.flags.is_empty())
        .collect()
}

#[test]
fn every_sound_translation_is_one_to_one_and_unflagged() {
    let one_to_one: Vec<_> = (0..16).map(|i| pair(&[i], &[i], &[], &[])).collect();
    for lang in LANGS {
        let json = align(lang, &paragraphs(&translation(lang)));
        assert_eq!(pairs(&json, 0, 0), one_to_one, "{lang}");
    }
}

#[test]
fn a_deleted_paragraph_is_missing_in_every_language() {
    for lang in LANGS {
        let mut p = paragraphs(&translation(lang));
        p.remove(6); // paragraph "5."
        assert_eq!(
            flagged(&align(lang, &p)),
            [pair(&[6], &[], &["missing"], &[])],
            "{lang}"
        );
    }
}

#[test]
fn a_changed_figure_diverges_in_every_language() {
    for lang in LANGS {
        let mut p = paragraphs(&translation(lang));
        // Paragraph "3." holds the year 2021 in every language's digits but Persian's.
        let (from, to) = if lang == "fa" {
            ("۲۰۲۱", "۲۰۱۲")
        } else {
            ("2021", "2012")
        };
        assert!(p[4].contains(from), "{lang}");
        p[4] = p[4].replacen(from, to, 1);
        assert_eq!(
            flagged(&align(lang, &p)),
            [pair(&[4], &[4], &["diverging"], &["numbers"])],
            "{lang}"
        );
    }
}

#[test]
fn the_english_text_left_in_place_is_untranslated_in_every_language() {
    let en = paragraphs(&std::fs::read_to_string("fixtures/statement/statement.en.txt").unwrap());
    for lang in LANGS {
        let mut p = paragraphs(&translation(lang));
        p[9] = en[9].clone(); // paragraph "8."
        assert_eq!(
            flagged(&align(lang, &p)),
            [pair(&[9], &[9], &["untranslated"], &["same-text"])],
            "{lang}"
        );
    }
}

#[test]
fn an_inserted_paragraph_is_extra_in_every_language() {
    for lang in LANGS {
        let mut p = paragraphs(&translation(lang));
        p.insert(
            8,
            "Zürich, 3 May 1999: the orchestra (founded in 1861) plays Mahler's Fifth at 19:30."
                .into(),
        );
        assert_eq!(
            flagged(&align(lang, &p)),
            [pair(&[], &[8], &["extra"], &[])],
            "{lang}"
        );
    }
}
