//! Exchange through the library: units with awkward text (markup characters, quotes, a
//! carriage return, tabs, a character XML forbids, several translations into one language)
//! merged into an empty memory, exported as TMX, read back by paralign's reader and merged into
//! a second memory, whose export is the same bytes.

use std::path::Path;

use paralign::align::Flag;
use paralign::exchange::{
    read_tmx, ExportFilter, Grouper, ReadOptions, TmxHeader, TmxWriter, Unit, Variant,
};
use paralign::store::{Clock, Store};

fn variant(lang: &str, text: &str, score: Option<f64>, flags: Vec<Flag>) -> Variant {
    Variant {
        lang: lang.into(),
        text: text.into(),
        score,
        flags,
        created: Some(1_700_000_000),
        changed: Some(1_700_000_100),
        ..Variant::default()
    }
}

fn units() -> Vec<Unit> {
    vec![
        Unit {
            source_lang: "en".into(),
            source: "Fares <rise> & \"wages\" 'fall'\r\nsecond\tline".into(),
            document: Some("statement".into()),
            label: Some("2".into()),
            targets: vec![
                variant("es", "Las tarifas <suben> & …", Some(0.91), vec![]),
                variant("es", "Otra traducción", Some(0.4), vec![Flag::Diverging]),
                variant("ru", "Тарифы растут", None, vec![Flag::Outdated]),
            ],
            ..Unit::default()
        },
        Unit {
            source_lang: "fr".into(),
            source: "Règlement".into(),
            document: None,
            label: None,
            targets: vec![variant("de", "Verordnung", Some(1.0), vec![])],
            ..Unit::default()
        },
    ]
}

fn export(store: &Store) -> String {
    let header = TmxHeader {
        srclang: "*all*".into(),
        segtype: "paragraph".into(),
        created: 1_710_410_400,
    };
    let mut w = TmxWriter::new(Vec::new(), &header).unwrap();
    let mut g = Grouper::default();
    store
        .export_rows(&ExportFilter::default(), &mut |row| {
            for u in g.push(row) {
                w.write_unit(&u).unwrap();
            }
            Ok(())
        })
        .unwrap();
    for u in g.finish() {
        w.write_unit(&u).unwrap();
    }
    let (bytes, _, _) = w.finish().unwrap();
    String::from_utf8(bytes).unwrap()
}

#[test]
fn merge_export_read_merge_export_is_stable() {
    let mut a = Store::open(Path::new(":memory:"), Clock::Fixed(1_710_410_400)).unwrap();
    let report = a
        .merge_units("test", "loose", &mut units().into_iter().map(Ok))
        .unwrap();
    assert_eq!(report.added, 4);
    assert_eq!(report.documents_created, 2);
    assert_eq!(report.langs, ["de", "en", "es", "fr", "ru"]);
    let first = export(&a);
    // Two Spanish translations of one source: two units, the second with Spanish alone.
    assert_eq!(first.matches("<tu ").count(), 3);
    assert!(first.contains("&#13;\n"), "a carriage return survives");

    let reader = read_tmx(first.as_bytes(), ReadOptions::default()).unwrap();
    let mut b = Store::open(Path::new(":memory:"), Clock::Fixed(1)).unwrap();
    let report = b
        .merge_units("tmx", "unused", &mut reader.into_iter())
        .unwrap();
    assert_eq!(report.units, 3);
    assert_eq!(report.added, 4);
    assert_eq!(export(&b), first);

    // Merging again adds nothing.
    let reader = read_tmx(first.as_bytes(), ReadOptions::default()).unwrap();
    let report = b
        .merge_units("tmx", "unused", &mut reader.into_iter())
        .unwrap();
    assert_eq!((report.added, report.existing), (0, 4));
}

#[test]
fn an_error_midway_writes_nothing() {
    let mut a = Store::open(Path::new(":memory:"), Clock::Fixed(0)).unwrap();
    let mut items = units()
        .into_iter()
        .map(Ok)
        .chain(std::iter::once(Err(paralign::Error::input("broken"))));
    assert!(a.merge_units("test", "d", &mut items).is_err());
    assert_eq!(export(&a).matches("<tu ").count(), 0);
}

#[test]
fn forbidden_characters_are_replaced_and_counted() {
    let header = TmxHeader {
        srclang: "en".into(),
        segtype: "paragraph".into(),
        created: 0,
    };
    let mut w = TmxWriter::new(Vec::new(), &header).unwrap();
    let mut u = units().remove(0);
    u.source = "bell\u{7} and \u{FFFF}".into();
    w.write_unit(&u).unwrap();
    let (bytes, n, replaced) = w.finish().unwrap();
    assert_eq!((n, replaced), (1, 2));
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("<seg>bell\u{FFFD} and \u{FFFD}</seg>"));
    let back: Vec<Unit> = read_tmx(text.as_bytes(), ReadOptions::default())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(back[0].source, "bell\u{FFFD} and \u{FFFD}");
}
