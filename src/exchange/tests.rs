//! Tests of the values and helpers shared by the exchange formats.

use super::threads::WRITE_BEHIND_BATCH;
use super::*;
use crate::error::Error;
use std::io::{self, Read};

#[test]
fn write_behind_hands_over_every_item_in_order() {
    let got = write_behind(
        |put| (0..1000).try_for_each(&mut *put),
        |items| Ok(items.collect::<Vec<i32>>()),
    )
    .unwrap();
    assert_eq!(got, (0..1000).collect::<Vec<_>>());
    let none = write_behind::<i32, _>(|_| Ok(()), |items| Ok(items.count())).unwrap();
    assert_eq!(none, 0);
}

#[test]
fn write_behind_stops_the_producer_when_the_consumer_fails() {
    let mut made = 0;
    let e = write_behind(
        |put| {
            for i in 0..1_000_000 {
                made += 1;
                put(i)?;
            }
            Ok(())
        },
        |items| {
            for i in items {
                if i == 10 {
                    return Err(Error::input("disk full"));
                }
            }
            Ok(())
        },
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "disk full");
    // Stopped within what the channel holds: 8 batches queued, one being filled, one taken.
    assert!(made <= 10 * WRITE_BEHIND_BATCH, "{made}");
}

#[test]
fn write_behind_returns_the_producers_error() {
    let mut seen = 0;
    let e = write_behind(
        |put| {
            (0..300).try_for_each(&mut *put)?;
            Err(Error::input("database went away"))
        },
        |items| {
            seen = items.count();
            Ok(())
        },
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "database went away");
    assert_eq!(
        seen, 256,
        "the full batch went over, the partial one did not"
    );
}

#[test]
fn escaping_replaces_what_xml_forbids() {
    let mut s = String::new();
    let n = escape_into("a<b>&\"c\"\r\n\t\u{1}\u{FFFE}z", false, &mut s);
    assert_eq!(s, "a&lt;b&gt;&amp;\"c\"&#13;\n\t\u{FFFD}\u{FFFD}z");
    assert_eq!(n, 2);
    let mut s = String::new();
    escape_into("x\"\n\ty", true, &mut s);
    assert_eq!(s, "x&quot;&#10;&#9;y");
}

#[test]
fn tmx_dates_round_trip() {
    assert_eq!(tmx_date(1_710_410_400), "20240314T100000Z");
    assert_eq!(parse_tmx_date("20240314T100000Z"), Some(1_710_410_400));
    assert_eq!(parse_tmx_date("2024-03-14T10:00:00Z"), Some(1_710_410_400));
    assert_eq!(parse_tmx_date("20241314T100000Z"), None);
    for t in [0, 951_782_400, 1_709_164_800, 4_102_444_799, -86_401] {
        let want: String = crate::time::format_time(t)
            .chars()
            .filter(|c| *c != '-' && *c != ':')
            .collect();
        assert_eq!(tmx_date(t), want);
    }
}

#[test]
fn scores_have_three_decimals() {
    assert_eq!(format_score(0.8765), "0.877");
    assert_eq!(format_score(1.0), "1");
    assert_eq!(format_score(0.5), "0.5");
    assert_eq!(format_score(0.0), "0");
}

fn row(group: i64, lang: &str, target: &str) -> Row {
    Row {
        group,
        source_lang: "en".into(),
        target_lang: lang.into(),
        document: "d".into(),
        label: None,
        source: "S".into(),
        target: target.into(),
        score: None,
        flags: vec![],
        created: 1,
        changed: 2,
        ..Row::default()
    }
}

#[test]
fn a_second_translation_into_a_language_makes_a_second_unit() {
    let units = units_of(&[row(1, "es", "A"), row(1, "es", "B"), row(1, "ru", "C")]);
    assert_eq!(units.len(), 2);
    let langs = |u: &Unit| {
        u.targets
            .iter()
            .map(|t| format!("{}={}", t.lang, t.text))
            .collect::<Vec<_>>()
    };
    assert_eq!(langs(&units[0]), ["es=A", "ru=C"]);
    assert_eq!(langs(&units[1]), ["es=B"]);
    let mut g = Grouper::default();
    assert!(g.push(row(1, "es", "A")).is_empty());
    assert_eq!(g.push(row(2, "es", "B")).len(), 1);
    assert_eq!(g.finish().len(), 1);
}

#[test]
fn utf16_input_becomes_utf8() {
    let text = "<?xml version=\"1.0\"?><a>é𝄞</a>";
    let mut le = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        le.extend_from_slice(&u.to_le_bytes());
    }
    let mut out = String::new();
    utf8_input(&le[..])
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert_eq!(out, text);
    let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
    let mut out = String::new();
    utf8_input(&be[..])
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert_eq!(out, text);
}

#[test]
fn tracked_reader_knows_lines_and_columns() {
    let mut t = Tracked::new(
        io::BufReader::new(&b"ab\ncd\n\xc3\xa9f"[..]),
        Limits::default(),
    );
    let mut s = String::new();
    t.read_to_string(&mut s).unwrap();
    assert_eq!(t.place(100), (3, 3));
}
