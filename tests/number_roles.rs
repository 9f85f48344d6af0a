//! Numbers read as what they are: a caption's or a heading's number, a footnote marker, a
//! cross-reference and a version are read whole and compared whole, never split into figures
//! that only one side has (the cases of issue 11, from the Debian Reference).

use paralign::align::{align, Options};
use paralign::document::{Document, Format};
use paralign::language::LangTag;

/// Align a one-paragraph document with its translation and return the pair's flags and
/// reasons, with the labels of both sides.
fn judge(en: &str, tgt: &str, lang: &str) -> (Vec<String>, Option<String>, Option<String>) {
    let s = Document::parse("doc.en.txt", en, Format::Text);
    let t = Document::parse(&format!("doc.{lang}.txt"), tgt, Format::Text);
    let opts = Options {
        source_lang: LangTag::parse("en").ok(),
        target_lang: LangTag::parse(lang).ok(),
        ..Options::default()
    };
    let a = align(&s, &t, &opts);
    assert_eq!(a.pairs.len(), 1, "{en}");
    let p = &a.pairs[0];
    let mut out: Vec<String> = p.flags.iter().map(|f| f.as_str().to_string()).collect();
    out.extend(p.reasons.iter().map(|r| r.as_str().to_string()));
    let label = |d: &Document| d.paragraphs[0].label.as_ref().map(|l| l.path.clone());
    (out, label(&s), label(&t))
}

#[test]
fn captions_cross_references_footnotes_and_versions_are_read_whole() {
    let none = Vec::<String>::new();
    let cases: [(&str, &str, &str, Option<&str>); 7] = [
        (
            "Table 3.2. The meaning of the access permissions",
            "Tabelle 3.2. Bedeutung der Zugriffsberechtigungen",
            "de",
            Some("3.2"),
        ),
        (
            "See Section 9.3.4, “Customized display of time and date”.",
            "参考第 9.3.4 节 “自定义时间和日期的显示”。",
            "zh-Hans",
            None,
        ),
        (
            "Section 12.5.2",
            "Sección 12.5.2",
            "es",
            Some("12.5.2"),
        ),
        ("Linux 2.4 NAT HOWTO", "CÓMO Linux 2.4 NAT", "es", None),
        (
            "[1] Even the older vim can enable the sane \"set nocompatible\" behavior by starting it with the \"-N\" option.",
            "[1] Auch ältere vim-Versionen können das sinnvolle \"set nocompatible\"-Verhalten aktivieren, wenn sie mit der Option \"-N\" gestartet werden.",
            "de",
            Some("1"),
        ),
        (
            "The 1.0 source package format is the oldest one and is still supported.",
            "1.0 ソースパッケージ形式は最も古いもので、今でもサポートされています。",
            "ja",
            None,
        ),
        ("Article 5(2) applies.", "Se aplica el artículo 5(2).", "es", None),
    ];
    for (en, tgt, lang, label) in cases {
        let (flags, sl, tl) = judge(&format!("{en}\n"), &format!("{tgt}\n"), lang);
        assert_eq!(flags, none, "{en} / {tgt}");
        assert_eq!(sl.as_deref(), label, "{en}");
        assert_eq!(tl.as_deref(), label, "{tgt}");
    }
}
