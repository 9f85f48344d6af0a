//! Tests of `glossary.rs`.

use super::*;

fn read(s: &str) -> Result<Vec<GlossaryConcept>> {
    read_glossary(s.as_bytes(), &GlossaryOptions::default())
}

fn texts(c: &[GlossaryConcept]) -> Vec<Vec<(String, String)>> {
    c.iter()
        .map(|c| {
            c.terms
                .iter()
                .map(|t| (t.lang.clone(), t.text.clone()))
                .collect()
        })
        .collect()
}

fn pairs(v: &[&[(&str, &str)]]) -> Vec<Vec<(String, String)>> {
    v.iter()
        .map(|c| {
            c.iter()
                .map(|(l, t)| (l.to_string(), t.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn csv_quotes_as_rfc_4180() {
    let c = read("en,de\n\"rights, human\",\"\"\"Menschen\"\"\nrechte\"\r\ntorture,Folter\n\n")
        .unwrap();
    assert_eq!(
        texts(&c),
        pairs(&[
            &[("en", "rights, human"), ("de", "\"Menschen\" rechte")],
            &[("en", "torture"), ("de", "Folter")],
        ])
    );
}

#[test]
fn tsv_with_empty_cells() {
    let c = read("en\tfr\tes\ntorture\ttorture\ttortura\nasylum\t\tasilo\n").unwrap();
    assert_eq!(
        texts(&c),
        pairs(&[
            &[("en", "torture"), ("fr", "torture"), ("es", "tortura")],
            &[("en", "asylum"), ("es", "asilo")],
        ])
    );
}

#[test]
fn table_errors_name_the_line() {
    let e = read("en,de\na,b\n\"c\nd\",e,f\n").unwrap_err();
    assert_eq!(e.line(), Some(3));
    assert!(
        e.to_string().contains("3 fields where the header has 2"),
        "{e}"
    );
    let e = read("en,de\na,\"b\n").unwrap_err();
    assert_eq!(e.line(), Some(2));
    let e = read("torture,Folter\n").unwrap_err();
    assert!(e.is_usage());
    let opts = GlossaryOptions {
        langs: Some((LangTag::parse("en").unwrap(), LangTag::parse("de").unwrap())),
        ..GlossaryOptions::default()
    };
    let c = read_glossary(&b"torture,Folter\n"[..], &opts).unwrap();
    assert_eq!(texts(&c), pairs(&[&[("en", "torture"), ("de", "Folter")]]));
}

#[test]
fn tbx_in_utf16() {
    let xml = "<martif><text><body><termEntry><langSet xml:lang=\"en\"><tig><term>asylum</term></tig></langSet><langSet xml:lang=\"de\"><tig><term>Asyl</term></tig></langSet></termEntry></body></text></martif>";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(xml.encode_utf16().flat_map(u16::to_le_bytes));
    let c = read_glossary(&bytes[..], &GlossaryOptions::default()).unwrap();
    assert_eq!(texts(&c), pairs(&[&[("en", "asylum"), ("de", "Asyl")]]));
}

#[test]
fn tbx_core_and_basic() {
    let tbx = r#"<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Core" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <text><body>
    <conceptEntry id="c1">
      <langSec xml:lang="en"><termSec><term>human  rights</term></termSec></langSec>
      <langSec xml:lang="de"><termSec><term>Menschenrechte</term>
        <termNote type="partOfSpeech">noun</termNote></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>"#;
    let c = read(tbx).unwrap();
    assert_eq!(
        texts(&c),
        pairs(&[&[("en", "human rights"), ("de", "Menschenrechte")]])
    );
    assert_eq!(c[0].terms[1].part_of_speech.as_deref(), Some("noun"));
    let e = read("<martif>\n<text><body>\n<termEntry><langSet xml:lang=\"en\"><tig><term>x</tig>")
        .unwrap_err();
    assert_eq!(e.line(), Some(3), "{e}");
    let e = read("<html></html>").unwrap_err();
    assert!(e.to_string().contains("not a TBX file"), "{e}");
}
