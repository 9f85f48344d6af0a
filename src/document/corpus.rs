//! A test corpus generated from the CLDR tables: the same 30-article document with its
//! headings written in 44 languages and four styles (word before the number, word after it,
//! an ordinal word, numeral letters or characters), articles 1 to 150 across the languages.
//! Every heading must carry its label, the clean pairs no flag, and a renumbered, skipped or
//! doubled heading must be `misnumbered`. Test code only.

use crate::align::{align, Flag, Options};
use crate::document::{Document, Format};
use crate::language::LangTag;

use super::numerals::{sets, spell};

/// Each language's word for a law's article (the frame; any word would do).
const ARTICLE: [(&str, &str); 44] = [
    ("fr", "Article"),
    ("es", "Artículo"),
    ("de", "Artikel"),
    ("it", "Articolo"),
    ("pt", "Artigo"),
    ("nl", "Artikel"),
    ("sv", "Artikel"),
    ("da", "Artikel"),
    ("no", "Artikkel"),
    ("fi", "Artikla"),
    ("is", "Grein"),
    ("pl", "Artykuł"),
    ("cs", "Článek"),
    ("sk", "Článok"),
    ("sl", "Člen"),
    ("hr", "Članak"),
    ("sr", "Члан"),
    ("bg", "Член"),
    ("mk", "Член"),
    ("ru", "Статья"),
    ("uk", "Стаття"),
    ("be", "Артыкул"),
    ("lt", "Straipsnis"),
    ("lv", "Pants"),
    ("et", "Artikkel"),
    ("hu", "Cikk"),
    ("ro", "Articolul"),
    ("tr", "Madde"),
    ("az", "Maddə"),
    ("kk", "Бап"),
    ("el", "Άρθρο"),
    ("he", "סעיף"),
    ("ar", "المادة"),
    ("fa", "ماده"),
    ("hi", "अनुच्छेद"),
    ("th", "มาตรา"),
    ("vi", "Điều"),
    ("id", "Pasal"),
    ("sw", "Kifungu"),
    ("ka", "მუხლი"),
    ("hy", "Հոդված"),
    ("zh", "条"),
    ("ja", "条"),
    ("ko", "조"),
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Style {
    WordBefore,
    WordAfter,
    Ordinal,
    Letters,
}

const STYLES: [Style; 4] = [
    Style::WordBefore,
    Style::WordAfter,
    Style::Ordinal,
    Style::Letters,
];

/// The language's ordinal words (its first ordinal rule set), else its cardinal ones.
fn ordinal(lang: &str, n: u32) -> String {
    let sets = sets(lang);
    let set = sets
        .iter()
        .find(|s| s.starts_with("ordinal"))
        .or_else(|| sets.first())
        .unwrap_or_else(|| panic!("no words for {lang}"));
    spell(lang, set, n)
        .unwrap_or_else(|| panic!("{lang} {set} {n}"))
        .to_string()
}

/// Digits of another script (`٣`, `۳`, `३`, `๓`).
fn digits(n: u32, zero: u32) -> String {
    n.to_string()
        .chars()
        .map(|c| char::from_u32(zero + c as u32 - '0' as u32).unwrap())
        .collect()
}

/// Numeral letters or characters: the script's own where it has them, else roman numerals.
fn letters(lang: &str, n: u32) -> String {
    let set = match lang {
        "he" => "hebrew",
        "el" => "greek-lower",
        "hy" => "armenian-upper",
        "ka" => "georgian",
        "ar" => return digits(n, 0x0660),
        "fa" => return digits(n, 0x06F0),
        "hi" => return digits(n, 0x0966),
        "th" => return digits(n, 0x0E50),
        "zh" | "ja" => return spell(lang, "cardinal", n).unwrap().to_string(),
        "ko" => return spell(lang, "cardinal-sinokorean", n).unwrap().to_string(),
        _ => return super::numerals::to_roman(n),
    };
    spell("letters", set, n).unwrap().to_string()
}

/// Article `n`'s heading in a language and style.
fn heading(lang: &str, word: &str, style: Style, n: u32) -> String {
    let cjk = matches!(lang, "zh" | "ja");
    let korean = lang == "ko";
    match style {
        Style::WordBefore if cjk => format!("第{n}{word}"),
        Style::WordBefore if korean => format!("제 {n} {word}"),
        Style::WordBefore => format!("{word} {n}"),
        Style::WordAfter if cjk || korean => format!("{n}{word}"),
        Style::WordAfter => format!("{n} {}", word.to_lowercase()),
        Style::Ordinal if cjk => format!("{}{word}", ordinal(lang, n)),
        Style::Ordinal if korean => format!("{} {word}", ordinal(lang, n)),
        Style::Ordinal => format!("{word} {}", ordinal(lang, n)),
        Style::Letters if cjk => format!("第{}{word}", letters(lang, n)),
        Style::Letters if korean => format!("제 {} {word}", letters(lang, n)),
        Style::Letters => format!("{word} {}", letters(lang, n)),
    }
}

/// An article's text: figures and a name, the same in every language (no words to judge).
fn body(n: u32) -> String {
    format!(
        "Valmora · {} · {}–{} · {}",
        n * 37 + 11,
        1900 + n,
        1960 + n % 40,
        (n * 113) % 997 + 1000
    )
}

/// A document of articles `first..first + 30`, the headings given by `number(k)` for the
/// k-th article (its true number unless a test changes it).
fn document(first: u32, head: impl Fn(u32) -> String) -> String {
    let mut out = String::new();
    for n in first..first + 30 {
        out.push_str(&head(n));
        out.push_str("\n\n");
        out.push_str(&body(n));
        out.push_str("\n\n");
    }
    out
}

/// The flagged pairs: source paragraphs and flags.
type Flagged = Vec<(Vec<usize>, Vec<Flag>)>;

fn aligned(source: &str, target: &str, lang: &str) -> (Document, Flagged) {
    let s = Document::parse("law.en.txt", source, Format::Text);
    let t = Document::parse(&format!("law.{lang}.txt"), target, Format::Text);
    let opts = Options {
        source_lang: LangTag::parse("en").ok(),
        target_lang: LangTag::parse(lang).ok(),
        ..Options::default()
    };
    let a = align(&s, &t, &opts);
    let flagged = a
        .pairs
        .iter()
        .filter(|p| !p.flags.is_empty())
        .map(|p| (p.source.clone(), p.flags.clone()))
        .collect();
    (t, flagged)
}

#[test]
fn headings_in_44_languages_and_four_styles() {
    let mut checked = 0;
    for (k, &(lang, word)) in ARTICLE.iter().enumerate() {
        // Articles 1-30, 31-60, ... 121-150 in turn.
        let first = 1 + 30 * (k as u32 % 5);
        let source = document(first, |n| format!("Article {n}"));
        for (s, &style) in STYLES.iter().enumerate() {
            let target = document(first, |n| heading(lang, word, style, n));
            let (t, flagged) = aligned(&source, &target, lang);
            let labels: Vec<Option<String>> = t
                .paragraphs
                .iter()
                .step_by(2)
                .map(|p| p.label.as_ref().map(|l| l.path.clone()))
                .collect();
            let want: Vec<Option<String>> =
                (first..first + 30).map(|n| Some(n.to_string())).collect();
            assert_eq!(labels, want, "{lang} {style:?}: {:?}", t.paragraphs[0].norm);
            assert_eq!(flagged, vec![], "{lang} {style:?}");
            assert_eq!(t.numbering, vec![], "{lang} {style:?}");
            // Each language's headings are changed in one style (in turn): the changed pairs
            // are misnumbered and nothing else is flagged.
            if s != k % 4 {
                checked += 1;
                continue;
            }
            let at = first + 10;
            let renumbered = document(first, |n| {
                heading(lang, word, style, if n == at { n + 50 } else { n })
            });
            let misnumbered = |i: u32| (vec![2 * (i - first) as usize], vec![Flag::Misnumbered]);
            assert_eq!(
                aligned(&source, &renumbered, lang).1,
                vec![misnumbered(at)],
                "{lang} {style:?} renumbered"
            );
            // One number skipped: the heading and every one after it are numbered one up.
            let skipped = document(first, |n| {
                heading(lang, word, style, if n >= at { n + 1 } else { n })
            });
            assert_eq!(
                aligned(&source, &skipped, lang).1,
                (at..first + 30).map(misnumbered).collect::<Vec<_>>(),
                "{lang} {style:?} skipped"
            );
            let doubled = document(first, |n| {
                heading(lang, word, style, if n == at { n - 1 } else { n })
            });
            assert_eq!(
                aligned(&source, &doubled, lang).1,
                vec![misnumbered(at)],
                "{lang} {style:?} doubled"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 44 * 4);
}
