//! Tests of `v12.rs`.

use super::super::*;
use crate::align::Flag;

fn doc() -> TodoDoc {
    let para = |index, line, label: Option<&str>, text: &str, state| TodoParagraph {
        index,
        line,
        label: label.map(String::from),
        text: text.into(),
        state,
        suggestion: None,
        draft: None,
        translation: None,
        flags: Vec::new(),
    };
    let mut first = para(
        3,
        10,
        Some("2"),
        "2. Fares <rise> & \"more\"\nagain\u{1}",
        TodoState::Missing,
    );
    first.suggestion = Some(Suggestion {
        source: "2. Fares rise".into(),
        target: "2. Las tarifas suben".into(),
        similarity: 87.0,
        origin: "paralign memory".into(),
    });
    let mut second = para(4, 12, None, "Title", TodoState::Outdated);
    second.draft = Some(Draft {
        text: "Título".into(),
        exact: false,
        percent: 91,
    });
    let mut third = para(5, 14, Some("3"), "3. Done", TodoState::Translated);
    third.translation = Some("3. Hecho".into());
    let mut fourth = para(6, 16, None, "Odd 38", TodoState::Flagged);
    fourth.translation = Some("Raro 83".into());
    fourth.flags = vec![Flag::Diverging, Flag::Misnumbered];
    TodoDoc {
        document: "sub/statement".into(),
        paragraphs: vec![first, second, third, fourth],
    }
}

fn write(version: XliffVersion) -> String {
    let header = XliffHeader {
        source_lang: "en".into(),
        target_lang: "es".into(),
    };
    let mut w = XliffWriter::with_version(Vec::new(), &header, Some("/w"), version).unwrap();
    w.write_doc(&doc()).unwrap();
    let (bytes, files, units, replaced) = w.finish().unwrap();
    assert_eq!((files, units, replaced), (1, 4, 1));
    String::from_utf8(bytes).unwrap()
}

#[test]
fn writes_exact_bytes() {
    let want = r##"<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2" xmlns:paralign="urn:paralign:xliff:1" paralign:root="/w">
  <file original="sub/statement" source-language="en" target-language="es" datatype="plaintext" xml:space="preserve">
    <body>
      <trans-unit id="p3" resname="2">
        <source>2. Fares &lt;rise&gt; &amp; "more"
again\u{FFFD}</source>
        <target state="new"></target>
        <note from="paralign">state: missing; line: 10; label: 2</note>
        <alt-trans match-quality="87.0" origin="paralign memory">
          <source>2. Fares rise</source>
          <target>2. Las tarifas suben</target>
        </alt-trans>
      </trans-unit>
      <trans-unit id="p4">
        <source>Title</source>
        <target state="needs-review-translation">Título</target>
        <note from="paralign">state: outdated; line: 12; match: 91</note>
      </trans-unit>
      <trans-unit id="p5" resname="3">
        <source>3. Done</source>
        <target state="final">3. Hecho</target>
        <note from="paralign">state: translated; line: 14; label: 3</note>
      </trans-unit>
      <trans-unit id="p6">
        <source>Odd 38</source>
        <target state="needs-review-translation">Raro 83</target>
        <note from="paralign">state: flagged; line: 16; flags: diverging,misnumbered</note>
      </trans-unit>
    </body>
  </file>
</xliff>
"##
        .replace("\\u{FFFD}", "\u{FFFD}");
    assert_eq!(write(XliffVersion::V12), want);
}

/// A unit as compared: document, index, id, source, target, state.
type Unit = (
    String,
    Option<usize>,
    String,
    String,
    Option<String>,
    Option<String>,
);

/// The same file in both versions reads into the same units (the place aside).
#[test]
fn both_versions_read_alike() {
    let key = |x: XliffFile| {
        let units: Vec<_> = x
            .units
            .into_iter()
            .map(|u| (u.document, u.index, u.id, u.source, u.target, u.state))
            .collect();
        (x.source_lang, x.target_lang, x.root, units)
    };
    let v12 = key(read_xliff(write(XliffVersion::V12).as_bytes()).unwrap());
    let v20 = key(read_xliff(write(XliffVersion::V20).as_bytes()).unwrap());
    assert_eq!(v12.3[1].4.as_deref(), Some("Título"));
    assert_eq!(v12.2.as_deref(), Some("/w"));
    // 2.0 states every segment, 1.2 a target, empty for a paragraph to translate; 2.0 has
    // no state for a translation to review, and a 1.2 `needs-review-translation` has a
    // translation.
    let states = |v: &(String, String, Option<String>, Vec<Unit>)| -> Vec<Option<String>> {
        v.3.iter().map(|u| u.5.clone()).collect()
    };
    let named = |s: [&str; 4]| s.map(|s| Some(s.to_string())).to_vec();
    assert_eq!(
        states(&v20),
        named(["initial", "initial", "final", "translated"])
    );
    assert_eq!(
        states(&v12),
        named(["initial", "translated", "final", "translated"])
    );
    assert_eq!(v12.3[0].4.as_deref(), Some(""));
    assert_eq!(v20.3[0].4, None);
    let (mut v12, mut v20) = (v12, v20);
    for u in v12.3.iter_mut().chain(v20.3.iter_mut()) {
        u.5 = None;
        u.4 = u.4.take().filter(|t| !t.is_empty());
    }
    assert_eq!(v12, v20);
}

fn unit(body: &str) -> XliffUnit {
    let text = format!(
        r#"<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="d" source-language="en" target-language="fr" datatype="plaintext"><body>{body}</body></file></xliff>"#
    );
    let mut x = read_xliff(text.as_bytes()).unwrap();
    assert_eq!(x.units.len(), 1, "{body}");
    x.units.remove(0)
}

#[test]
fn inline_codes_are_dropped_and_their_text_kept() {
    let u = unit(
        r#"<trans-unit id="p2"><source>A <g id="1" ctype="bold">bold</g> word<x id="2"/>, <bpt id="3">&lt;i&gt;</bpt>slanted<ept id="3">&lt;/i&gt;</ept><ph id="4">{0}<sub>alt</sub></ph> <it id="5" pos="open">&lt;u&gt;</it>end<bx id="6"/><ex id="6"/>.</source>
<target state="translated">Un mot <g id="1">gras</g><x id="2"/>, <bpt id="3">&lt;i&gt;</bpt>penché<ept id="3">&lt;/i&gt;</ept><ph id="4">{0}</ph> <mrk mtype="term">fin</mrk>.</target></trans-unit>"#,
    );
    assert_eq!(u.index, Some(2));
    assert_eq!(u.source, "A bold word, slanted end.");
    assert_eq!(u.target.as_deref(), Some("Un mot gras, penché fin."));
    assert_eq!(u.state.as_deref(), Some("translated"));
}

#[test]
fn segments_pair_by_mid() {
    let u = unit(
        r#"<group id="g1"><group id="g2"><trans-unit id="p7"><source>One. Two. Three.</source>
<seg-source><mrk mtype="seg" mid="1">One.</mrk> <mrk mtype="seg" mid="2">Two.</mrk> <mrk mtype="seg" mid="3">Three.</mrk></seg-source>
<target state="needs-review-translation"><mrk mtype="seg" mid="2">Deux.</mrk> <mrk mtype="seg" mid="1">Un.</mrk></target>
<alt-trans match-quality="50"><source>One.</source><target>Faux.</target></alt-trans><note>n</note></trans-unit></group></group>"#,
    );
    assert_eq!(u.source, "One. Two. Three.");
    assert_eq!(u.target.as_deref(), Some("Un. Deux. Three."));
    assert_eq!(u.state.as_deref(), Some("translated"));
}

#[test]
fn states_take_the_names_of_2_0() {
    let state = |given: &str| {
        unit(&format!(
                r#"<trans-unit id="p1"><source>a</source><target state="{given}">b</target></trans-unit>"#
            ))
            .state
    };
    for (given, want) in [
        ("new", Some("initial")),
        ("needs-translation", Some("initial")),
        ("translated", Some("translated")),
        ("needs-review-translation", Some("translated")),
        ("signed-off", Some("reviewed")),
        ("final", Some("final")),
        ("x-custom", None),
    ] {
        assert_eq!(state(given).as_deref(), want, "{given}");
    }
    let approved = unit(
        r#"<trans-unit id="p1" approved="yes"><source>a</source><target>b</target></trans-unit>"#,
    );
    assert_eq!(approved.state.as_deref(), Some("final"));
    let no = unit(
        r#"<trans-unit id="p1" translate="no"><source>a</source><target>b</target></trans-unit>"#,
    );
    assert_eq!((no.target, no.state), (None, None));
    let inherited = unit(
        r#"<group translate="no"><group><trans-unit id="p1"><source>a</source><target state="final">b</target></trans-unit></group></group>"#,
    );
    assert_eq!((inherited.target, inherited.state), (None, None));
    let back = unit(
        r#"<group translate="no"><trans-unit id="p1" translate="yes"><source>a</source><target>b</target></trans-unit></group>"#,
    );
    assert_eq!(back.target.as_deref(), Some("b"));
    let empty = unit(r#"<trans-unit id="p1"><source>a</source><target/></trans-unit>"#);
    assert_eq!(empty.target.as_deref(), Some(""));
}

#[test]
fn malformed_files_name_the_place() {
    let err = |text: &str| {
        let e = read_xliff(text.as_bytes()).unwrap_err();
        format!("{}: {e}", e.line().unwrap_or(0))
    };
    assert_eq!(
            err("<xliff version=\"1.2\">\n<file original=\"d\" datatype=\"plaintext\"><body/></file></xliff>"),
            "2: <file> has no source-language, which XLIFF 1.2 requires; add the language the file is translated from (source-language=\"en\")"
        );
    assert_eq!(
            err("<xliff version=\"1.3\"><file/></xliff>"),
            "1: XLIFF version 1.3: paralign reads XLIFF 1.2 and 2.0 (the files `paralign export --format xliff` writes)"
        );
    let e = err("<xliff version=\"1.2\">\n<file original=\"d\" source-language=\"en\"><body><trans-unit id=\"p1\"><source>a</trans-unit>");
    assert!(e.starts_with("2:"), "{e}");
    let e = err("<xliff xmlns=\"urn:oasis:names:tc:xliff:document:1.2\"><file original=\"d\" source-language=\"en\" target-language=\"fr\"/><file original=\"e\" source-language=\"en\" target-language=\"de\"/></xliff>");
    assert!(e.contains("target-language `de` differs"), "{e}");
}
