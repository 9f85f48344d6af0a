//! Tests of `tmx.rs`.

use super::*;
use crate::align::Flag;
use crate::exchange::markup::code;
use crate::exchange::TOOL_VERSION;

fn unit() -> Unit {
    Unit {
        source_lang: "en".into(),
        source: "Fares & \"wages\" <rise>\r\nnow\u{1}".into(),
        document: Some("statement".into()),
        label: Some("3".into()),
        targets: vec![
            Variant {
                lang: "es".into(),
                text: "Tarifas".into(),
                score: Some(0.9123),
                flags: vec![Flag::Diverging, Flag::Outdated],
                created: Some(1_710_410_400),
                changed: Some(1_710_410_460),
                ..Variant::default()
            },
            Variant {
                lang: "ru".into(),
                text: "Тарифы".into(),
                score: None,
                flags: vec![],
                created: Some(1_710_000_000),
                changed: Some(1_710_000_000),
                ..Variant::default()
            },
        ],
        ..Unit::default()
    }
}

fn write(units: &[Unit]) -> (String, usize) {
    let header = TmxHeader {
        srclang: "en".into(),
        segtype: "paragraph".into(),
        created: 1_710_410_400,
    };
    let mut w = TmxWriter::new(Vec::new(), &header).unwrap();
    for u in units {
        w.write_unit(u).unwrap();
    }
    let (bytes, _, replaced) = w.finish().unwrap();
    (String::from_utf8(bytes).unwrap(), replaced)
}

#[test]
fn writes_exact_bytes() {
    let (got, replaced) = write(&[unit()]);
    let want = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="paralign" creationtoolversion="VERSION" segtype="paragraph" o-tmf="paralign" adminlang="en" srclang="en" datatype="plaintext" creationdate="20240314T100000Z"/>
  <body>
    <tu srclang="en" creationdate="20240309T160000Z" changedate="20240314T100100Z">
      <prop type="x-document">statement</prop>
      <prop type="x-label">3</prop>
      <tuv xml:lang="en">
        <seg>Fares &amp; "wages" &lt;rise&gt;&#13;
now�</seg>
      </tuv>
      <tuv xml:lang="es" creationdate="20240314T100000Z" changedate="20240314T100100Z">
        <prop type="x-score">0.912</prop>
        <prop type="x-flags">diverging,outdated</prop>
        <seg>Tarifas</seg>
      </tuv>
      <tuv xml:lang="ru" creationdate="20240309T160000Z" changedate="20240309T160000Z">
        <seg>Тарифы</seg>
      </tuv>
    </tu>
  </body>
</tmx>
"#
        .replace("VERSION", TOOL_VERSION);
    assert_eq!(got, want);
    assert_eq!(replaced, 1);
}

#[test]
fn reads_back_what_it_writes() {
    let (text, _) = write(&[unit()]);
    let mut r = read_tmx(text.as_bytes(), ReadOptions::default()).unwrap();
    let got: Vec<Unit> = r.by_ref().collect::<Result<_>>().unwrap();
    let mut want = unit();
    want.source = "Fares & \"wages\" <rise>\r\nnow\u{FFFD}".into();
    want.targets[0].score = Some(0.912);
    assert_eq!(got, vec![want]);
    assert_eq!(r.stats().units, 1);
}

#[test]
fn inline_codes_are_kept_apart_from_the_plain_text() {
    let text = r#"<?xml version="1.0"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd" [ <!ENTITY co "Acme&#160;Co"> ]>
<tmx version="1.4"><header creationtool="X" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en-us" srclang="*all*" datatype="html"/>
<body>
<tu><tuv lang="EN-US"><seg>Click <bpt i="1">&lt;b&gt;</bpt>here<ept i="1">&lt;/b&gt;</ept><ph x="2">&lt;br/&gt;</ph> &co; <hi type="x">now</hi>&#x21;<it pos="begin">&lt;i&gt;</it><ut>{x}</ut></seg></tuv>
<tuv xml:lang="de-de"><seg>Hier <bpt i="1">&lt;b<sub>alt &amp; "neu"</sub>&gt;</bpt>klicken<ept i="1"/></seg></tuv></tu>
<tu srclang="de-DE"><tuv xml:lang="en-US"><seg>One</seg></tuv><tuv xml:lang="de-DE"><seg>Eins</seg></tuv></tu>
<tu><tuv xml:lang="en-US"><seg>alone</seg></tuv></tu>
</body></tmx>"#;
    let mut r = read_tmx(text.as_bytes(), ReadOptions::default()).unwrap();
    let got: Vec<Unit> = r.by_ref().collect::<Result<_>>().unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].source_lang, "en-US");
    assert_eq!(got[0].source, "Click here Acme\u{a0}Co now!");
    assert_eq!(
        got[0].source_codes,
        [
            code(6, "bpt", &[("i", "1")], "&lt;b&gt;"),
            code(10, "ept", &[("i", "1")], "&lt;/b&gt;"),
            code(10, "ph", &[("x", "2")], "&lt;br/&gt;"),
            code(19, "hi", &[("type", "x")], ""),
            code(22, "/hi", &[], ""),
            code(23, "it", &[("pos", "begin")], "&lt;i&gt;"),
            code(23, "ut", &[], "{x}"),
        ]
    );
    assert_eq!(got[0].targets[0].lang, "de-DE");
    assert_eq!(got[0].targets[0].text, "Hier klicken");
    assert_eq!(
        got[0].targets[0].codes,
        [
            code(
                5,
                "bpt",
                &[("i", "1")],
                "&lt;b<sub>alt &amp; \"neu\"</sub>&gt;"
            ),
            code(12, "ept", &[("i", "1")], ""),
        ]
    );
    assert_eq!(got[1].source_lang, "de-DE");
    assert_eq!(got[1].source, "Eins");
    assert!(got[1].source_codes.is_empty());
    assert_eq!(r.stats().units, 3);
    assert_eq!(r.stats().skipped, 1);

    // Written back in their places.
    let (out, _) = write(&got[..1]);
    assert!(
            out.contains("<seg>Click <bpt i=\"1\">&lt;b&gt;</bpt>here<ept i=\"1\">&lt;/b&gt;</ept><ph x=\"2\">&lt;br/&gt;</ph> Acme\u{a0}Co <hi type=\"x\">now</hi>!<it pos=\"begin\">&lt;i&gt;</it><ut>{x}</ut></seg>"),
            "{out}"
        );
    assert!(
            out.contains("<seg>Hier <bpt i=\"1\">&lt;b<sub>alt &amp; \"neu\"</sub>&gt;</bpt>klicken<ept i=\"1\"/></seg>"),
            "{out}"
        );
}

#[test]
fn attributes_props_and_notes_are_kept_in_file_order() {
    let text = r#"<tmx version="1.4"><header srclang="en"/><body>
<tu tuid="7" srclang="en" creationid="ana" creationdate="20240101T000000Z" usagecount="3">
<note>check the &lt;b&gt;</note><prop type="x-document">law</prop><prop type="client" xml:lang="en">Acme</prop>
<tuv xml:lang="en" creationid="ana" creationdate="20230101T000000Z"><prop type="x-score">0.5</prop><seg>Hi</seg></tuv>
<tuv xml:lang="fr" changeid="bo" changedate="20240202T000000Z" lastusagedate="20240303T000000Z"><note/><prop type="x-score">0.25</prop><seg>Salut</seg></tuv>
</tu></body></tmx>"#;
    let got: Vec<Unit> = read_tmx(text.as_bytes(), ReadOptions::default())
        .unwrap()
        .collect::<Result<_>>()
        .unwrap();
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(k, x)| (k.to_string(), x.to_string()))
            .collect()
    };
    let note = |text: &str| Annotation {
        element: "note".into(),
        attrs: vec![],
        text: text.into(),
    };
    let u = &got[0];
    assert_eq!(u.document.as_deref(), Some("law"));
    assert_eq!(
        u.meta,
        Meta {
            attrs: pairs(&[("tuid", "7"), ("creationid", "ana"), ("usagecount", "3")]),
            children: vec![
                note("check the <b>"),
                Annotation {
                    element: "prop".into(),
                    attrs: pairs(&[("type", "client"), ("xml:lang", "en")]),
                    text: "Acme".into(),
                },
            ],
        }
    );
    // The source keeps its dates and props as they came (paralign writes none there).
    assert_eq!(
        u.source_meta.attrs,
        pairs(&[("creationid", "ana"), ("creationdate", "20230101T000000Z")])
    );
    assert_eq!(u.source_meta.children.len(), 1);
    let t = &u.targets[0];
    assert_eq!(t.score, Some(0.25));
    assert_eq!(
        (t.created, t.changed),
        (Some(1_704_067_200), Some(1_706_832_000))
    );
    assert_eq!(
        t.meta,
        Meta {
            attrs: pairs(&[("changeid", "bo"), ("lastusagedate", "20240303T000000Z")]),
            children: vec![note("")],
        }
    );
}

#[test]
fn a_tu_keeps_dates_its_translations_do_not_give() {
    let text = r#"<tmx version="1.4"><header srclang="en"/><body>
<tu creationdate="20200101T000000Z" changedate="20240101T000000Z"><tuv xml:lang="en"><seg>a</seg></tuv>
<tuv xml:lang="fr" creationdate="20220101T000000Z" changedate="20230101T000000Z"><seg>b</seg></tuv></tu>
<tu creationdate="20200101T000000Z"><tuv xml:lang="en"><seg>c</seg></tuv><tuv xml:lang="fr"><seg>d</seg></tuv></tu>
</body></tmx>"#;
    let got: Vec<Unit> = read_tmx(text.as_bytes(), ReadOptions::default())
        .unwrap()
        .collect::<Result<_>>()
        .unwrap();
    let (out, _) = write(&got);
    let tus: Vec<&str> = out.lines().filter(|l| l.contains("<tu ")).collect();
    assert_eq!(
        tus,
        [
            r#"    <tu srclang="en" creationdate="20200101T000000Z" changedate="20240101T000000Z">"#,
            r#"    <tu srclang="en" creationdate="20200101T000000Z" changedate="20200101T000000Z">"#,
        ]
    );
    // The first unit keeps both (its translation says 2022 and 2023), the second none.
    assert_eq!(got[0].meta.attrs.len(), 2);
    assert!(got[1].meta.is_empty());
    assert_eq!(got[0].targets[0].created, Some(1_640_995_200));
}

#[test]
fn a_flood_of_codes_meets_the_segment_limit() {
    let seg = |n: usize| {
        format!(
                "<tmx><header srclang=\"en\"/><body>\n<tu><tuv xml:lang=\"en\"><seg>a{}</seg></tuv><tuv xml:lang=\"fr\"><seg>b</seg></tuv></tu></body></tmx>",
                "<ph/>".repeat(n)
            )
    };
    let opts = ReadOptions {
        limits: Limits {
            max_segment: 200,
            ..Limits::default()
        },
        ..ReadOptions::default()
    };
    // Three codes take 3 × (64 + 2) bytes: past 200 at the fourth.
    let ok: Vec<Unit> = read_tmx(seg(3).as_bytes(), opts.clone())
        .unwrap()
        .collect::<Result<_>>()
        .unwrap();
    assert_eq!(ok[0].source_codes.len(), 3);
    let e = read_tmx(seg(4).as_bytes(), opts)
        .unwrap()
        .find_map(|u| u.err())
        .unwrap();
    assert_eq!(
            e.to_string(),
            "a segment whose inline codes take more than 200 bytes (--max-segment-size); raise the limit to read it"
        );
    assert_eq!((e.line(), e.column()), (Some(2), Some(45)));
}

#[test]
fn elements_tmx_does_not_allow_in_a_seg_name_the_place() {
    for (seg, want) in [
        ("a<b>bold</b>", "<b> in a <seg>"),
        ("a<sub>x</sub>", "<sub> outside an inline code"),
    ] {
        let text = format!("<tmx><header srclang=\"en\"/><body>\n<tu><tuv xml:lang=\"en\"><seg>{seg}</seg></tuv><tuv xml:lang=\"fr\"><seg>b</seg></tuv></tu></body></tmx>");
        let e = read_tmx(text.as_bytes(), ReadOptions::default())
            .unwrap()
            .find_map(|u| u.err())
            .unwrap();
        assert!(e.to_string().contains(want), "{e}");
        assert_eq!((e.line(), e.column()), (Some(2), Some(30)), "{e}");
    }
}

#[test]
fn malformed_file_names_line_and_column() {
    let text = "<tmx version=\"1.4\"><header srclang=\"en\"/>\n<body>\n  <tu><tuv xml:lang=\"en\"><seg>a</tuv></tu>\n</body></tmx>";
    let r = read_tmx(text.as_bytes(), ReadOptions::default()).unwrap();
    let errs: Vec<Error> = r.filter_map(|u| u.err()).collect();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].line(), Some(3));
    assert_eq!(errs[0].column(), Some(32), "{}", errs[0]);
    let text = "<tmx><header/><body><tu><tuv xml:lang=\"en\"><seg>&nbsp;</seg>";
    let r = read_tmx(text.as_bytes(), ReadOptions::default()).unwrap();
    let e = r.filter_map(|u| u.err()).next().unwrap();
    assert!(e.to_string().contains("unknown entity `&nbsp;`"), "{e}");
    let cut = "<tmx><header/><body><tu>";
    let r = read_tmx(cut.as_bytes(), ReadOptions::default()).unwrap();
    let e = r.filter_map(|u| u.err()).next().unwrap();
    assert!(e.to_string().contains("cut short"), "{e}");
    let e = read_tmx(&b"<html/>"[..], ReadOptions::default())
        .err()
        .unwrap();
    assert!(e.to_string().contains("not a TMX file"), "{e}");
}
