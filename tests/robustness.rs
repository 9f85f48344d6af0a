//! Never a panic: documents made of random pieces (labels of every kind, digits of several
//! scripts, links, e-mail addresses, CJK, right-to-left text, combining marks, stray
//! punctuation, empty lines) are read, aligned and judged, and the alignment keeps its contract.
//! A fixed seed keeps the run reproducible.

use paralign::align::{align, Options};
use paralign::document::{Document, Format};
use paralign::language::LangTag;
use paralign::ErrorKind;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const PIECES: &[&str] = &[
    "1.",
    "2)",
    "(3)",
    "§ 4",
    "1.2.",
    "IV.",
    "(iv)",
    "Article 5",
    "Статья 6",
    "第七条",
    "١٢.",
    "Chapter XL",
    "11,6",
    "1.000",
    "1 000",
    "40 %",
    "٢٠٢٤",
    "۱۲٫۵",
    "3月",
    "2024年3月14日",
    "0.",
    "99999.",
    "1.2.3.4.5.",
    "https://example.org/a_(b)",
    "www.example.org.",
    "(http://x.y/z?q=1).",
    "a@b.co",
    "@",
    "://",
    "www.",
    "Kazakhstan",
    "Казахстан",
    "Καζακστάν",
    "كازاخستان",
    "קזחסטן",
    "カザフスタン",
    "哈萨克斯坦",
    "ყაზახეთი",
    "e\u{301}",
    "\u{200B}",
    "\u{FEFF}",
    "ﬁ",
    "１２",
    "«",
    "»",
    "“",
    "”",
    "¿",
    "?",
    "!",
    "(",
    ")",
    "…",
    "—",
    "* * *",
    "---",
    "#",
    "the",
    "and",
    "of",
    "la",
    "de",
    "и",
    "в",
    "strike",
    "huelga",
    "забастовка",
    "I",
    "I.",
    "M.",
    "MMMM.",
    "x",
    "",
    " ",
    "\t",
];

fn random_doc(rng: &mut Rng) -> String {
    let paragraphs = 1 + rng.next() % 12;
    let mut out = String::new();
    for _ in 0..paragraphs {
        let words = rng.next() % 25;
        for _ in 0..words {
            out.push_str(rng.pick(PIECES));
            out.push(if rng.next() % 9 == 0 { '\n' } else { ' ' });
        }
        out.push_str("\n\n");
    }
    out
}

#[test]
fn random_documents_never_panic_and_keep_the_contract() {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    for round in 0..400 {
        let (a, b) = (random_doc(&mut rng), random_doc(&mut rng));
        let format = if round % 2 == 0 {
            Format::Text
        } else {
            Format::Markdown
        };
        let s = Document::parse("s.en.txt", &a, format);
        let t = Document::parse("t.es.txt", &b, format);
        let opts = Options {
            source_lang: LangTag::parse("en").ok(),
            target_lang: LangTag::parse("es").ok(),
            signals: true,
            ..Options::default()
        };
        let al = align(&s, &t, &opts);
        // Every paragraph on each side appears in exactly one pair.
        let mut seen_s = vec![0; s.paragraphs.len()];
        let mut seen_t = vec![0; t.paragraphs.len()];
        for p in &al.pairs {
            for &i in &p.source {
                seen_s[i] += 1;
            }
            for &j in &p.target {
                seen_t[j] += 1;
            }
            assert_eq!(
                p.score.is_none(),
                p.source.is_empty() || p.target.is_empty(),
                "round {round}"
            );
            if let Some(sc) = p.score {
                assert!((0.0..=1.0).contains(&sc), "round {round}: score {sc}");
            }
        }
        assert!(
            seen_s.iter().all(|&n| n == 1),
            "round {round}: source {seen_s:?}\n{a:?}\n{b:?}"
        );
        assert!(
            seen_t.iter().all(|&n| n == 1),
            "round {round}: target {seen_t:?}\n{a:?}\n{b:?}"
        );
    }
}

#[test]
fn random_bytes_are_text_or_a_clear_error() {
    let mut rng = Rng(0xB17E_5EED_0000_0002);
    for _ in 0..2000 {
        let len = (rng.next() % 64) as usize;
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let bom: &[u8] = match rng.next() % 4 {
            0 => &[0xFF, 0xFE],
            1 => &[0xFE, 0xFF],
            2 => &[0xEF, 0xBB, 0xBF],
            _ => &[],
        };
        bytes.splice(0..0, bom.iter().copied());
        match paralign::document::decode(&bytes) {
            Ok(text) => {
                // Clean text: no carriage return, no control character but tab, line feed,
                // vertical tab and form feed, no C1 control; something besides white space.
                assert!(!text.trim().is_empty(), "{bytes:?}");
                assert!(
                    !text
                        .chars()
                        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\x0B' | '\x0C')),
                    "{bytes:?} gave {text:?}"
                );
                let d = Document::parse("x.en.txt", &text, Format::Markdown);
                assert!(d.paragraphs.iter().all(|p| p.line >= 1));
            }
            // One of the kinds that say what is wrong with the bytes, and where when there is
            // a where (a byte offset inside the file).
            Err(e) => match e.kind() {
                ErrorKind::Empty => assert_eq!(e.byte(), None),
                ErrorKind::Binary | ErrorKind::Encoding(_) => {
                    if let Some(b) = e.byte() {
                        assert!(b <= bytes.len() + 1, "{e} for {} bytes", bytes.len());
                    } else {
                        assert!(matches!(e.kind(), ErrorKind::Binary), "{e}");
                    }
                }
                other => panic!("{other:?} for {bytes:?}"),
            },
        }
    }
}
