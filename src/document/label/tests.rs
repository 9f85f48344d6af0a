//! Labels' unit tests: leading numbers in many languages, nesting, gaps and duplicates.

use super::*;
use crate::document::{normalize, Document, Format};

fn label(s: &str) -> Option<(String, String)> {
    let n = normalize(s);
    fixed(&n, BlockKind::Text)
        .or_else(|| prior(&n, BlockKind::Text))
        .map(|(l, b)| (l.path, normalize(s)[b..].to_string()))
}

#[test]
fn leading_numbers() {
    let some = |p: &str, b: &str| Some((p.to_string(), b.to_string()));
    assert_eq!(
        label("1.            Kazakhstan is"),
        some("1", "Kazakhstan is")
    );
    assert_eq!(label("12)\tText"), some("12", "Text"));
    assert_eq!(label("(3) Text"), some("3", "Text"));
    assert_eq!(label("§ 4 Text"), some("4", "Text"));
    assert_eq!(label("§4. Text"), some("4", "Text"));
    assert_eq!(label("1.2. Text"), some("1.2", "Text"));
    assert_eq!(label("1.2 Scope"), some("1.2", "Scope"));
    assert_eq!(label("IV. The rise"), some("4", "The rise"));
    assert_eq!(label("(iv) text"), some("4", "text"));
    assert_eq!(label("١٢. نص"), some("12", "نص"));
    assert_eq!(label("5 people came"), None);
    assert_eq!(label("2022 was a year"), None);
    assert_eq!(label("IIII. no"), None);
    assert_eq!(label("I think so."), None);
    assert_eq!(label("11,6 billion"), None);
}

#[test]
fn heading_numbers_in_many_languages() {
    let some = |p: &str| Some(p.to_string());
    let path = |s: &str| label(s).map(|(p, _)| p);
    assert_eq!(path("Article 5"), some("5"));
    assert_eq!(path("Artículo 5. Objeto"), some("5"));
    assert_eq!(path("Статья 5 — Предмет"), some("5"));
    assert_eq!(path("Madde 5"), some("5"));
    assert_eq!(path("Chapter IV"), some("4"));
    assert_eq!(path("第五条"), some("5"));
    assert_eq!(path("第十二章 总则"), some("12"));
    assert_eq!(path("अनुच्छेद १०."), some("10"));
    assert_eq!(path("ধারা ১২"), some("12"));
    assert_eq!(path("Άρθρο 10"), some("10"));
    assert_eq!(path("ΑΡΘΡΟ 30"), some("30"));
    assert_eq!(path("\u{94d}क 5"), None, "a word opens with a letter");
    assert_eq!(path("In 2019 we won."), None);
    assert_eq!(path("Table 5 shows the rise"), None);
}

#[test]
fn nested_numbering_gaps_and_duplicates() {
    let d = Document::parse(
        "law.en.txt",
        "Article 1\n\n1. a\n\n2. b\n\nArticle 2\n\n1. c\n\n3. d\n\n3. e\n",
        Format::Text,
    );
    let paths: Vec<String> = d
        .paragraphs
        .iter()
        .map(|p| p.label.as_ref().unwrap().path.clone())
        .collect();
    assert_eq!(paths, ["1", "1.1", "1.2", "2", "2.1", "2.3", "2.3"]);
    assert_eq!(
        d.numbering,
        vec![
            NumberingIssue {
                index: 5,
                label: "2.3".into(),
                kind: NumberingIssueKind::Gap {
                    expected: "2.2".into()
                }
            },
            NumberingIssue {
                index: 6,
                label: "2.3".into(),
                kind: NumberingIssueKind::Duplicate { first: 5 }
            },
        ]
    );
}
