//! The review page's unit tests: escaping and highlighting, the page's exact bytes for a run
//! built by hand, and the direction of each script.

use super::text::highlight;
use super::text::{Kind, Token};
use super::*;
use crate::align::{Pair, Reason};
use crate::check::TargetResult;
use crate::document::{Document, Format, Paragraph};
use crate::score::Signals;

fn para(text: &str) -> Paragraph {
    Document::parse("x.txt", text, Format::Text).paragraphs[0].clone()
}

fn tok(kind: Kind, text: &str) -> Token {
    Token {
        kind,
        text: text.into(),
        langs: vec!["es".into()],
        title: "not in es".into(),
    }
}

#[test]
fn text_is_escaped_and_tokens_marked() {
    let p = para("3.   In 2021 <script>alert(1)</script> carried 11.6 million & 2021.");
    let got = highlight(&p, &[tok(Kind::Number, "11.6"), tok(Kind::Number, "2021")]);
    assert_eq!(
        got,
        "<span class=\"raw\">3.   </span>In <mark class=\"hn\" title=\"not in es\">2021</mark> \
         &lt;script&gt;alert(1)&lt;/script&gt; carried \
         <mark class=\"hn\" title=\"not in es\">11.6</mark> million &amp; \
         <mark class=\"hn\" title=\"not in es\">2021</mark>."
    );
}

#[test]
fn numbers_are_marked_whole_and_never_in_the_label() {
    let p = para("1. From 1,250 to 250 and 1 250 in 2024.");
    let got = highlight(&p, &[tok(Kind::Number, "250"), tok(Kind::Number, "1")]);
    assert_eq!(
        got,
        "<span class=\"raw\">1. </span>From 1,250 to \
         <mark class=\"hn\" title=\"not in es\">250</mark> and \
         <mark class=\"hn\" title=\"not in es\">1</mark> \
         <mark class=\"hn\" title=\"not in es\">250</mark> in 2024."
    );
}

#[test]
fn links_are_marked_as_written() {
    let p = para("See (https://www.Example.org/a/) and mail ME@x.org.");
    let got = highlight(
        &p,
        &[
            tok(Kind::Link, "example.org/a"),
            tok(Kind::Link, "mailto:me@x.org"),
        ],
    );
    assert_eq!(
        got,
        "See (<mark class=\"hl\" title=\"not in es\">https://www.Example.org/a/</mark>) \
         and mail <mark class=\"hl\" title=\"not in es\">ME@x.org</mark>."
    );
}

#[test]
fn names_match_whole_words_across_normalisation() {
    let p = para("Tomas\u{00A0}Berger  met Tomasz and ﬁne Berger.");
    let got = highlight(&p, &[tok(Kind::Name, "Berger"), tok(Kind::Name, "Tomas")]);
    assert_eq!(
        got,
        "<mark class=\"hm\" title=\"not in es\">Tomas</mark>\u{00A0}\
         <mark class=\"hm\" title=\"not in es\">Berger</mark>  met Tomasz and ﬁne \
         <mark class=\"hm\" title=\"not in es\">Berger</mark>."
    );
}

/// A run built by hand, so that the page's bytes do not move with the scorer.
fn page() -> String {
    use crate::align::Alignment;
    use crate::check::Policy;
    use crate::score::PairModel;
    let version = |path: &str, lang: &str, text: &str| Version {
        lang: LangTag::parse(lang).unwrap(),
        doc: Document::parse(path, text, Format::Text),
        origin: None,
    };
    let source = version(
        "doc.en.txt",
        "en",
        "Title\n\n1. In 2021 we met Anna.\n\n2. See www.example.org.\n\n3. Gone.\n",
    );
    let target = version(
        "doc.ar.txt",
        "ar",
        "عنوان\n\n1. في 2020 التقينا.\n\n2. انظر www.example.org.\n\n<script>x</script> & \"q\"\n",
    );
    let pair = |s: &[usize], t: &[usize], score: Option<f64>, flags: &[Flag], reasons| Pair {
        source: s.to_vec(),
        target: t.to_vec(),
        score,
        flags: flags.to_vec(),
        reasons,
        signals: None,
        notes: Vec::new(),
    };
    let mut diverging = pair(
        &[1],
        &[1],
        Some(0.35),
        &[Flag::Diverging],
        vec![Reason::Numbers, Reason::Names],
    );
    diverging.signals = Some(Signals {
        numbers_source_only: vec!["2021".into()],
        numbers_target_only: vec!["2020".into()],
        names_source_only: vec!["Anna".into()],
        ..Signals::default()
    });
    let pairs = vec![
        pair(&[0], &[0], Some(0.97), &[], vec![]),
        diverging,
        pair(&[2], &[2], Some(0.9), &[], vec![]),
        pair(&[3], &[], None, &[Flag::Missing], vec![]),
        pair(&[], &[3], None, &[Flag::Extra], vec![]),
    ];
    let docs = vec![DocResult {
        id: "doc".into(),
        source: Some(source),
        targets: vec![TargetResult {
            version: target,
            alignment: Alignment {
                pairs,
                model: PairModel::default(),
            },
        }],
        errors: Vec::new(),
        notes: Vec::new(),
    }];
    let policy = Policy::default();
    let verdict = policy.judge(&docs);
    let run = Run {
        command: super::super::Command::Check,
        docs: &docs,
        errors: &[],
        warnings: &[],
        verdict: Some(&verdict),
        fail_on: &policy.fail_on,
        color: false,
    };
    let mut out = Vec::new();
    write(&run, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn page_bytes() {
    let page = page();
    assert!(
        page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
    );
    assert!(page.contains("@page { size: A4 portrait; margin: 12mm; }\n</style>\n"));
    assert!(page.ends_with("</script>\n</body>\n</html>\n"));
    let body = &page[page.find("<body>").unwrap()..page.find("<script>").unwrap()];
    assert_eq!(body, EXPECTED_BODY, "\n{body}");
}

const EXPECTED_BODY: &str = r#"<body>
<header class="top">
<h1>Review of doc</h1>
<p class="verdict fail">1 translation of 1 document: 3 findings; <strong>FAILED: 1 finding fails the policy (fail on: missing, untranslated)</strong></p>
<form id="filters" class="filters" role="search" hidden>
<label><input type="checkbox" id="f-problems"> Only problems</label>
<label>Flag <select id="f-flag"><option value="">any</option><option value="missing">missing</option><option value="extra">extra</option><option value="untranslated">untranslated</option><option value="diverging">diverging</option><option value="misnumbered">misnumbered</option><option value="reordered">reordered</option><option value="outdated">outdated</option></select></label>
<label>Language <select id="f-lang"><option value="">all</option><option value="ar">ar Arabic</option></select></label>
<label>Search <input type="search" id="f-q" placeholder="text, label or number"></label>
<output id="f-count" aria-live="polite"></output>
</form>
<noscript><p class="note">Filters need JavaScript; every row is shown.</p></noscript>
</header>
<main>
<section class="doc" aria-labelledby="d0">
<h2 id="d0">doc</h2>
<p class="src">Source: <b>en</b> English · doc.en.txt · 4 paragraphs</p>
<table class="summary">
<caption>Coverage and findings per language</caption>
<thead><tr><th scope="col">Language</th><th scope="col">Paragraphs</th><th scope="col">Coverage</th><th scope="col">missing</th><th scope="col">extra</th><th scope="col">untranslated</th><th scope="col">diverging</th><th scope="col">misnumbered</th><th scope="col">reordered</th></tr></thead>
<tbody>
<tr data-l="ar"><th scope="row"><b>ar</b> Arabic</th><td class="num">4</td><td class="cov"><span class="bar" aria-hidden="true"><i style="width:75.0%"></i></span> 75.0% <small>(3/4)</small></td><td class="num">1<span class="hbar" aria-hidden="true"><i class="f-missing" style="width:25%"></i></span></td><td class="num">1<span class="hbar" aria-hidden="true"><i class="f-extra" style="width:25%"></i></span></td><td class="num zero">0<span class="hbar" aria-hidden="true"><i class="f-untranslated" style="width:0%"></i></span></td><td class="num">1<span class="hbar" aria-hidden="true"><i class="f-diverging" style="width:25%"></i></span></td><td class="num zero">0<span class="hbar" aria-hidden="true"><i class="f-misnumbered" style="width:0%"></i></span></td><td class="num zero">0<span class="hbar" aria-hidden="true"><i class="f-reordered" style="width:0%"></i></span></td></tr>
</tbody>
</table>
<div class="grid" role="table" aria-label="doc, paragraph by paragraph" style="--n:2">
<div class="row head" role="row"><div class="cell" role="columnheader"><b>en</b> English <small>source · doc.en.txt</small></div><div class="cell t" role="columnheader" data-l="ar"><b>ar</b> Arabic <small>doc.ar.txt · 75.0%</small></div></div>
<div class="row ok" role="row" data-f="">
<div class="cell s" role="cell" dir="ltr"><div class="p"><div class="pm" dir="ltr"><span class="ln">line 1</span></div><p class="tx" lang="en">Title</p></div></div>
<div class="cell t" role="cell" data-l="ar" dir="rtl"><div class="pair"><div class="meta" dir="ltr"><span class="score s-hi" title="how likely the two are translations">score 0.97<span class="bar" aria-hidden="true"><i style="width:97%"></i></span></span></div><div class="p"><div class="pm" dir="ltr"><span class="ln">line 1</span></div><p class="tx" lang="ar">عنوان</p></div></div></div>
</div>
<div class="row bad w-diverging" role="row" data-f="ar:diverging">
<div class="cell s" role="cell" dir="ltr"><div class="p"><div class="pm" dir="ltr"><span class="lb">¶ 1</span><span class="ln">line 3</span></div><p class="tx" lang="en"><span class="raw">1. </span>In <mark class="hn" title="not in ar">2021</mark> we met <mark class="hm" title="not in ar">Anna</mark>.</p></div></div>
<div class="cell t x-diverging" role="cell" data-l="ar" dir="rtl"><div class="pair"><div class="meta" dir="ltr"><span class="badge b-diverging" title="paragraph 1 diverges from the source doc.en.txt:3: numbers differ (en has 2021; ar has 2020); names missing (Anna)">diverging: numbers, names</span><span class="score s-lo" title="how likely the two are translations">score 0.35<span class="bar" aria-hidden="true"><i style="width:35%"></i></span></span></div><div class="p"><div class="pm" dir="ltr"><span class="lb">¶ 1</span><span class="ln">line 3</span></div><p class="tx" lang="ar"><span class="raw">1. </span>في <mark class="hn" title="not in the en source">2020</mark> التقينا.</p></div><p class="why" dir="ltr">Numbers differ: only in en: <mark class="hn">2021</mark>; only in ar: <mark class="hn">2020</mark></p><p class="why" dir="ltr">Names not found in ar: <mark class="hm">Anna</mark></p></div></div>
</div>
<div class="row ok" role="row" data-f="">
<div class="cell s" role="cell" dir="ltr"><div class="p"><div class="pm" dir="ltr"><span class="lb">¶ 2</span><span class="ln">line 5</span></div><p class="tx" lang="en"><span class="raw">2. </span>See www.example.org.</p></div></div>
<div class="cell t" role="cell" data-l="ar" dir="rtl"><div class="pair"><div class="meta" dir="ltr"><span class="score s-hi" title="how likely the two are translations">score 0.90<span class="bar" aria-hidden="true"><i style="width:90%"></i></span></span></div><div class="p"><div class="pm" dir="ltr"><span class="lb">¶ 2</span><span class="ln">line 5</span></div><p class="tx" lang="ar"><span class="raw">2. </span>انظر www.example.org.</p></div></div></div>
</div>
<div class="row bad w-missing" role="row" data-f="ar:missing">
<div class="cell s" role="cell" dir="ltr"><div class="p"><div class="pm" dir="ltr"><span class="lb">¶ 3</span><span class="ln">line 7</span></div><p class="tx" lang="en"><span class="raw">3. </span>Gone.</p></div></div>
<div class="cell t x-missing missing" role="cell" data-l="ar" dir="rtl"><div class="pair"><div class="meta" dir="ltr"><span class="badge b-missing fail" title="paragraph 3 of the en source (doc.en.txt:7) has no ar translation">missing · fails</span></div><p class="empty" dir="ltr">No ar text for ¶ 3 (line 7).</p></div></div>
</div>
<div class="row bad w-extra" role="row" data-f="ar:extra" data-only="ar">
<div class="cell s none" role="cell"><span class="dash" title="no source paragraph">—</span></div>
<div class="cell t x-extra" role="cell" data-l="ar" dir="rtl"><div class="pair"><div class="meta" dir="ltr"><span class="badge b-extra" title="the paragraph at line 7 of the ar version has no counterpart in the en source">extra</span></div><div class="p"><div class="pm" dir="ltr"><span class="ln">line 7</span></div><p class="tx" lang="ar">&lt;script&gt;x&lt;/script&gt; &amp; &quot;q&quot;</p></div><p class="why" dir="ltr">No counterpart in the en source.</p></div></div>
</div>
</div>
</section>
</main>
"#;

#[test]
fn right_to_left_by_language_or_script() {
    for (tag, rtl) in [
        ("ar", true),
        ("he", true),
        ("fa", true),
        ("ur", true),
        ("yi", true),
        ("ps", true),
        ("sd", true),
        ("ug", true),
        ("dv", true),
        ("en", false),
        ("zh-Hans", false),
        ("az-Arab", true),
        ("sd-Deva", false),
    ] {
        assert_eq!(is_rtl(&LangTag::parse(tag).unwrap()), rtl, "{tag}");
    }
}

/// A version read from HTML under a language tag.
fn html_version(lang: &str, body: &str) -> Version {
    let tag = LangTag::parse(lang).unwrap();
    let mut doc = crate::document::Document::parse("x.html", body, crate::document::Format::Html);
    doc.lang = Some(tag.clone());
    Version {
        lang: tag,
        doc,
        origin: None,
    }
}

#[test]
fn text_is_shown_in_its_scripts_direction_else_the_declared_one_else_the_languages() {
    let arabic = "<p>منذ الساعات الأولى من يوم 11 مارس 2024، توقف العمل تمامًا في الميناء</p>";
    let latin = "<p>Since the early hours of 11 March 2024, the port has stood still.</p>";
    let page = |dir: &str, body: &str| format!("<html dir=\"{dir}\"><body>{body}");
    // The script decides where there is text enough to tell it.
    assert_eq!(
        version_dir(&html_version("ar", &page("ltr", arabic))),
        "rtl"
    );
    assert_eq!(version_dir(&html_version("he", &page("rtl", latin))), "ltr");
    // A title alone does not tell: the page's dir, else the language's usual direction.
    let short = "<p>عنوان</p>";
    assert_eq!(version_dir(&html_version("ks", &page("rtl", short))), "rtl");
    assert_eq!(version_dir(&html_version("ks", short)), "ltr");
    assert_eq!(version_dir(&html_version("ar", short)), "rtl");
}
