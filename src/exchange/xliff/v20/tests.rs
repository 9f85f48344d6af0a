//! Tests of `v20.rs`.

use super::super::*;
use crate::align::Flag;

fn doc() -> TodoDoc {
    TodoDoc {
        document: "sub/statement".into(),
        paragraphs: vec![
            TodoParagraph {
                index: 3,
                line: 10,
                label: Some("2".into()),
                text: "2. Fares <rise> & \"more\"\nagain\u{1}".into(),
                state: TodoState::Missing,
                suggestion: Some(Suggestion {
                    source: "2. Fares rise".into(),
                    target: "2. Las tarifas suben".into(),
                    similarity: 87.0,
                    origin: "paralign memory".into(),
                }),
                draft: None,
                translation: None,
                flags: Vec::new(),
            },
            TodoParagraph {
                index: 4,
                line: 12,
                label: None,
                text: "Title".into(),
                state: TodoState::Outdated,
                suggestion: None,
                draft: None,
                translation: None,
                flags: Vec::new(),
            },
        ],
    }
}

fn write() -> String {
    let header = XliffHeader {
        source_lang: "en".into(),
        target_lang: "es".into(),
    };
    let mut w = XliffWriter::new(Vec::new(), &header).unwrap();
    w.write_doc(&doc()).unwrap();
    w.write_doc(&TodoDoc {
        document: "empty".into(),
        paragraphs: vec![],
    })
    .unwrap();
    let (bytes, files, units, replaced) = w.finish().unwrap();
    assert_eq!((files, units, replaced), (1, 2, 1));
    String::from_utf8(bytes).unwrap()
}

#[test]
fn writes_exact_bytes() {
    let want = r##"<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:mtc="urn:oasis:names:tc:xliff:matches:2.0" xmlns:mda="urn:oasis:names:tc:xliff:metadata:2.0" version="2.0" srcLang="en" trgLang="es">
  <file id="f1" original="sub/statement" canResegment="no" xml:space="preserve">
    <unit id="p3" name="2">
      <mtc:matches>
        <mtc:match ref="#s1" similarity="87.0" type="tm" origin="paralign memory">
          <source>2. Fares rise</source>
          <target>2. Las tarifas suben</target>
        </mtc:match>
      </mtc:matches>
      <mda:metadata>
        <mda:metaGroup category="paralign">
          <mda:meta type="document">sub/statement</mda:meta>
          <mda:meta type="paragraph">3</mda:meta>
          <mda:meta type="line">10</mda:meta>
          <mda:meta type="label">2</mda:meta>
          <mda:meta type="state">missing</mda:meta>
        </mda:metaGroup>
      </mda:metadata>
      <segment id="s1" state="initial">
        <source>2. Fares &lt;rise&gt; &amp; "more"
again\u{FFFD}</source>
      </segment>
    </unit>
    <unit id="p4">
      <mda:metadata>
        <mda:metaGroup category="paralign">
          <mda:meta type="document">sub/statement</mda:meta>
          <mda:meta type="paragraph">4</mda:meta>
          <mda:meta type="line">12</mda:meta>
          <mda:meta type="state">outdated</mda:meta>
        </mda:metaGroup>
      </mda:metadata>
      <segment id="s1" state="initial">
        <source>Title</source>
      </segment>
    </unit>
  </file>
</xliff>
"##
        .replace("\\u{FFFD}", "\u{FFFD}");
    assert_eq!(write(), want);
}

#[test]
fn writes_translations_final_and_flagged_ones_translated_with_their_flags() {
    let para = |index: usize, text: &str, state, translation: &str, flags| TodoParagraph {
        index,
        line: index + 1,
        label: None,
        text: text.into(),
        state,
        suggestion: None,
        draft: None,
        translation: Some(translation.into()),
        flags,
    };
    let doc = TodoDoc {
        document: "d".into(),
        paragraphs: vec![
            para(0, "Done", TodoState::Translated, "Hecho", vec![]),
            para(
                1,
                "Odd 38",
                TodoState::Flagged,
                "Raro 83",
                vec![Flag::Diverging, Flag::Reordered],
            ),
        ],
    };
    let header = XliffHeader {
        source_lang: "en".into(),
        target_lang: "es".into(),
    };
    let mut w = XliffWriter::new(Vec::new(), &header).unwrap();
    w.write_doc(&doc).unwrap();
    let text = String::from_utf8(w.finish().unwrap().0).unwrap();
    let units = &text[text.find("    <unit id=\"p0\">").unwrap()..text.find("  </file>").unwrap()];
    assert_eq!(
        units,
        r#"    <unit id="p0">
      <mda:metadata>
        <mda:metaGroup category="paralign">
          <mda:meta type="document">d</mda:meta>
          <mda:meta type="paragraph">0</mda:meta>
          <mda:meta type="line">1</mda:meta>
          <mda:meta type="state">translated</mda:meta>
        </mda:metaGroup>
      </mda:metadata>
      <segment id="s1" state="final">
        <source>Done</source>
        <target>Hecho</target>
      </segment>
    </unit>
    <unit id="p1">
      <mda:metadata>
        <mda:metaGroup category="paralign">
          <mda:meta type="document">d</mda:meta>
          <mda:meta type="paragraph">1</mda:meta>
          <mda:meta type="line">2</mda:meta>
          <mda:meta type="state">flagged</mda:meta>
          <mda:meta type="flags">diverging,reordered</mda:meta>
        </mda:metaGroup>
      </mda:metadata>
      <segment id="s1" state="translated" subState="paralign:diverging,reordered">
        <source>Odd 38</source>
        <target>Raro 83</target>
      </segment>
    </unit>
"#
    );
}

#[test]
fn reads_a_filled_file() {
    let filled = write().replace(
            "again\u{FFFD}</source>\n      </segment>",
            "again\u{FFFD}</source>\n        <target>2. Tarifas <pc id=\"1\">suben</pc><ph id=\"2\"/> &amp; <cp hex=\"0001\"/></target>\n      </segment>",
        );
    let x = read_xliff(filled.as_bytes()).unwrap();
    assert_eq!(
        (x.source_lang.as_str(), x.target_lang.as_str()),
        ("en", "es")
    );
    assert_eq!(x.units.len(), 2);
    let u = &x.units[0];
    assert_eq!(u.document, "sub/statement");
    assert_eq!(u.index, Some(3));
    assert_eq!(u.source, "2. Fares <rise> & \"more\"\nagain\u{FFFD}");
    assert_eq!(u.target.as_deref(), Some("2. Tarifas suben & \u{FFFD}"));
    assert_eq!(u.state.as_deref(), Some("initial"));
    assert_eq!(u.place.0, 4);
    assert_eq!(x.units[1].target, None);
}

#[test]
fn segments_of_a_unit_are_joined() {
    let text = r#"<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr">
<file id="f1" original="d"><unit id="p7"><segment><source>One. </source><target>Un. </target></segment>
<ignorable><source> </source></ignorable><segment><source>Two.</source><target>Deux.</target></segment></unit></file></xliff>"#;
    let x = read_xliff(text.as_bytes()).unwrap();
    assert_eq!(x.units[0].index, Some(7));
    assert_eq!(x.units[0].source, "One.  Two.");
    assert_eq!(x.units[0].target.as_deref(), Some("Un.  Deux."));
    let no = r#"<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr">
<file id="f1" original="d" translate="no"><group id="g"><unit id="p1"><segment state="final"><source>a</source><target>a</target></segment></unit></group>
<unit id="p2" translate="yes"><segment><source>b</source><target>B</target></segment></unit></file></xliff>"#;
    let x = read_xliff(no.as_bytes()).unwrap();
    let got: Vec<_> = x
        .units
        .iter()
        .map(|u| (u.target.as_deref(), u.state.as_deref()))
        .collect();
    assert_eq!(got, [(None, None), (Some("B"), None)]);
    let e = read_xliff(&b"<xliff version=\"3.0\"/>"[..]).unwrap_err();
    assert!(e.to_string().contains("XLIFF version 3.0"), "{e}");
    let e = read_xliff(&b"<xliff version=\"2.0\"><file id=\"f\">"[..]).unwrap_err();
    assert!(e.to_string().contains("cut short"), "{e}");
}
