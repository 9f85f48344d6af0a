//! The HTML review page (`check --format html`) on the fixtures: exact fragments for rows,
//! cells, badges and highlights, escaping of document text, right-to-left columns, and a page
//! that needs nothing from outside. The page in a browser is tested in `browser.rs`.

mod util;

use util::{paralign, statement_with_defect, Dir};

/// Run `paralign ARGS --format html -o review.html` in `dir` (or from the crate root) and read
/// the page back.
fn page(dir: Option<&Dir>, args: &[&str], code: i32) -> String {
    let out = Dir::new();
    let file = out.join("review.html");
    let mut all: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    all.extend(["--format".into(), "html".into(), "-o".into()]);
    all.push(file.display().to_string());
    let cmd = match dir {
        Some(d) => d.paralign(&all),
        None => paralign(&all),
    };
    let run = cmd.expect_code(code);
    // The page goes to the file; `check` still leaves its summary line in the log.
    assert!(
        run.stdout.lines().count() <= 1 && !run.stdout.contains('<'),
        "the page goes to the file only: {}",
        run.stdout
    );
    std::fs::read_to_string(&file).expect("the page was written")
}

/// The page of `statement.en.txt` checked with one defect file.
fn defect_page(defect: &str, code: i32) -> String {
    let dir = statement_with_defect(defect);
    page(Some(&dir), &["check", "."], code)
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

#[track_caller]
fn has(page: &str, fragment: &str) {
    assert!(
        page.contains(fragment),
        "the page lacks\n{fragment}\n--- page body, up to 4000 bytes\n{}",
        page[page.find("<main>").unwrap_or(0)..]
            .chars()
            .take(4000)
            .collect::<String>()
    );
}

/// The row (`<div class="row` … its closing `</div>`) that contains `needle`.
fn row_with<'a>(page: &'a str, needle: &str) -> &'a str {
    let at = page
        .find(needle)
        .unwrap_or_else(|| panic!("no `{needle}` in the page"));
    let start = page[..at]
        .rfind("<div class=\"row")
        .expect("a row around it");
    let end = page[at..].find("\n</div>\n").expect("the row's end") + at;
    &page[start..end]
}

#[test]
fn clean_statement_is_sixteen_sound_rows_in_three_columns() {
    let p = page(None, &["check", "fixtures/statement"], 0);
    assert!(
        p.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
    );
    assert!(p.ends_with("</script>\n</body>\n</html>\n"));
    has(&p, "<title>Review of statement · paralign</title>");
    has(
        &p,
        "<p class=\"verdict pass\">2 translations of 1 document: 0 findings; <strong>passed</strong></p>",
    );
    has(
        &p,
        "<p class=\"src\">Source: <b>en</b> English · fixtures/statement/statement.en.txt · 16 paragraphs</p>",
    );
    has(
        &p,
        "<tr data-l=\"es\"><th scope=\"row\"><b>es</b> Spanish</th><td class=\"num\">16</td>\
         <td class=\"cov\"><span class=\"bar\" aria-hidden=\"true\"><i style=\"width:100.0%\"></i>\
         </span> 100.0% <small>(16/16)</small></td><td class=\"num zero\">0",
    );
    has(
        &p,
        "<tr data-l=\"ru\"><th scope=\"row\"><b>ru</b> Russian</th>",
    );
    has(
        &p,
        "<div class=\"grid\" role=\"table\" aria-label=\"statement, paragraph by paragraph\" style=\"--n:3\">\n\
         <div class=\"row head\" role=\"row\"><div class=\"cell\" role=\"columnheader\"><b>en</b> English \
         <small>source · fixtures/statement/statement.en.txt</small></div>\
         <div class=\"cell t\" role=\"columnheader\" data-l=\"es\"><b>es</b> Spanish \
         <small>fixtures/statement/statement.es.txt · 100.0%</small></div>\
         <div class=\"cell t\" role=\"columnheader\" data-l=\"ru\"><b>ru</b> Russian \
         <small>fixtures/statement/statement.ru.txt · 100.0%</small></div></div>\n",
    );
    assert_eq!(
        count(&p, "<div class=\"row ok\" role=\"row\" data-f=\"\">"),
        16
    );
    assert_eq!(count(&p, "class=\"row bad"), 0);
    assert_eq!(count(&p, "class=\"badge"), 0);
    // Every cell names its paragraph's label and line; the text keeps its language.
    has(
        &p,
        "<div class=\"cell s\" role=\"cell\" dir=\"ltr\"><div class=\"p\"><div class=\"pm\" dir=\"ltr\">\
         <span class=\"lb\">¶ 12</span><span class=\"ln\">line 40</span></div><p class=\"tx\" lang=\"en\">\
         <span class=\"raw\">12.          </span>",
    );
    has(
        &p,
        "<div class=\"cell t\" role=\"cell\" data-l=\"ru\" dir=\"ltr\"><div class=\"pair\">",
    );
}

#[test]
fn align_writes_the_same_rows_without_a_verdict() {
    let p = page(
        None,
        &[
            "align",
            "fixtures/statement/statement.en.txt",
            "fixtures/statement/statement.es.txt",
        ],
        0,
    );
    has(&p, "<title>Review of statement · paralign</title>");
    has(
        &p,
        "<p class=\"verdict\">1 translation of 1 document: 0 findings</p>",
    );
    has(
        &p,
        "<div class=\"cell t\" role=\"columnheader\" data-l=\"es\"><b>es</b> Spanish \
         <small>fixtures/statement/statement.es.txt · 100.0%</small></div></div>\n",
    );
    assert_eq!(
        count(&p, "<div class=\"row ok\" role=\"row\" data-f=\"\">"),
        16
    );
    assert_eq!(count(&p, "data-l=\"ru\""), 0);
    // A defect shows as in `check`, and align still exits 0.
    let dir = statement_with_defect("missing.es.txt");
    let p = page(
        Some(&dir),
        &["align", "statement.en.txt", "statement.es.txt"],
        0,
    );
    has(
        &p,
        "<p class=\"verdict\">1 translation of 1 document: 1 finding</p>",
    );
    assert_eq!(count(&p, "class=\"row bad"), 1);
}

#[test]
fn the_page_is_the_same_bytes_every_time() {
    let a = page(None, &["check", "fixtures/statement"], 0);
    let b = page(None, &["check", "fixtures/statement"], 0);
    assert_eq!(a, b);
}

#[test]
fn the_page_needs_nothing_from_outside() {
    let p = defect_page("link.es.txt", 0);
    for outside in [
        "<script src",
        "<link",
        "<img",
        "<iframe",
        "@import",
        "url(",
        "@font-face",
        " src=",
        " href=",
        "fetch(",
        "XMLHttpRequest",
    ] {
        assert!(!p.contains(outside), "the page has `{outside}`");
    }
    assert_eq!(count(&p, "<script>"), 1, "one inlined script");
    assert_eq!(count(&p, "<style>"), 1, "one inlined style sheet");
}

#[test]
fn a_changed_number_is_marked_in_both_cells() {
    let p = defect_page("changed-number.es.txt", 0);
    has(
        &p,
        "<p class=\"verdict pass\">1 translation of 1 document: 1 finding; <strong>passed</strong></p>",
    );
    let row = row_with(&p, "data-f=\"es:diverging\"");
    assert!(row
        .starts_with("<div class=\"row bad w-diverging\" role=\"row\" data-f=\"es:diverging\">\n"));
    has(
        row,
        "<div class=\"cell s\" role=\"cell\" dir=\"ltr\"><div class=\"p\"><div class=\"pm\" dir=\"ltr\">\
         <span class=\"lb\">¶ 3</span><span class=\"ln\">line 13</span></div><p class=\"tx\" lang=\"en\">\
         <span class=\"raw\">3.            </span>The figures tell their own story. In 2021, the city&apos;s \
         bus and tram network carried <mark class=\"hn\" title=\"not in es\">11.6</mark> million passengers,",
    );
    has(
        row,
        "<div class=\"cell t x-diverging\" role=\"cell\" data-l=\"es\" dir=\"ltr\"><div class=\"pair\">\
         <div class=\"meta\" dir=\"ltr\"><span class=\"badge b-diverging\" title=\"",
    );
    has(row, "\">diverging: numbers</span><span class=\"score ");
    has(
        row,
        "la red de autobuses y tranvías de la ciudad transportó a \
         <mark class=\"hn\" title=\"not in the en source\">16,1</mark> millones de pasajeros",
    );
    has(
        row,
        "<p class=\"why\" dir=\"ltr\">Numbers differ: only in en: <mark class=\"hn\">11.6</mark>; \
         only in es: <mark class=\"hn\">16,1</mark></p>",
    );
    // Nothing else is marked, in this row or any other.
    assert_eq!(count(&p, "<mark class=\"hn\" title="), 2);
    assert_eq!(count(&p, "class=\"row bad"), 1);
    assert_eq!(count(&p, "class=\"row ok\""), 15);
}

#[test]
fn a_changed_link_is_marked_as_written() {
    let p = defect_page("link.es.txt", 0);
    has(
        &p,
        "(<mark class=\"hl\" title=\"not in es\">https://news.example.net/valmora/strike-2024?id=4417</mark>)",
    );
    has(
        &p,
        "(<mark class=\"hl\" title=\"not in the en source\">https://press.example.com/estrelia/ports/strike-2024?id=4417</mark>)",
    );
    has(&p, "\">diverging: links</span>");
}

#[test]
fn a_missing_paragraph_is_an_empty_marked_cell_that_fails() {
    let p = defect_page("missing.es.txt", 1);
    has(
        &p,
        "<strong>FAILED: 1 finding fails the policy (fail on: missing, untranslated)</strong>",
    );
    let row = row_with(&p, "data-f=\"es:missing\"");
    assert!(
        row.starts_with("<div class=\"row bad w-missing\" role=\"row\" data-f=\"es:missing\">\n")
    );
    has(
        row,
        "<span class=\"lb\">¶ 7</span><span class=\"ln\">line 25</span>",
    );
    has(
        row,
        "<div class=\"cell t x-missing missing\" role=\"cell\" data-l=\"es\" dir=\"ltr\"><div class=\"pair\">\
         <div class=\"meta\" dir=\"ltr\"><span class=\"badge b-missing fail\" title=\"",
    );
    has(
        row,
        "\">missing · fails</span></div><p class=\"empty\" dir=\"ltr\">No es text for ¶ 7 (line 25).</p>\
         </div></div>",
    );
    has(
        &p,
        "<td class=\"cov\"><span class=\"bar\" aria-hidden=\"true\"><i style=\"width:93.8%\"></i></span> \
         93.8% <small>(15/16)</small></td><td class=\"num\">1<span class=\"hbar\" aria-hidden=\"true\">\
         <i class=\"f-missing\" style=\"width:6%\"></i></span></td>",
    );
}

#[test]
fn an_extra_paragraph_gets_its_own_row_where_it_falls() {
    let p = defect_page("extra.es.txt", 0);
    let row = row_with(&p, "data-f=\"es:extra\"");
    assert!(row.starts_with(
        "<div class=\"row bad w-extra\" role=\"row\" data-f=\"es:extra\" data-only=\"es\">\n\
         <div class=\"cell s none\" role=\"cell\"><span class=\"dash\" title=\"no source paragraph\">—</span></div>\n\
         <div class=\"cell t x-extra\" role=\"cell\" data-l=\"es\" dir=\"ltr\"><div class=\"pair\">"
    ));
    has(row, "\">extra</span></div><div class=\"p\"><div class=\"pm\" dir=\"ltr\"><span class=\"ln\">line 19</span></div>");
    has(
        row,
        "<p class=\"why\" dir=\"ltr\">No counterpart in the en source.</p>",
    );
    // After source paragraph 4 (index 5), before paragraph 5.
    let at = p.find(row).unwrap();
    let (before, after) = (&p[..at], &p[at + row.len()..]);
    assert!(before.contains("<span class=\"lb\">¶ 4</span>"));
    assert!(!before.contains("<span class=\"lb\">¶ 5</span>"));
    assert!(after.contains("<span class=\"lb\">¶ 5</span>"));
    assert_eq!(
        count(&p, "<div class=\"row "),
        18,
        "a header, 16 units and the extra row"
    );
}

#[test]
fn badges_say_each_flag_in_words() {
    for (defect, code, badge, why) in [
        (
            "untranslated.es.txt",
            1,
            "untranslated: same-text · fails",
            "Same text as the en source.",
        ),
        (
            "same-language.ru.txt",
            1,
            "untranslated: same-language · fails",
            "Written in English, the source's language.",
        ),
        (
            "misnumbered.es.txt",
            0,
            "misnumbered",
            "Numbered 7 here, 6 in en.",
        ),
        (
            "reordered.es.txt",
            0,
            "reordered",
            "Stands out of order in es.",
        ),
        (
            "cut.ru.txt",
            0,
            "diverging: numbers, length",
            "Length differs: ",
        ),
    ] {
        let p = defect_page(defect, code);
        let flag = badge.split([':', ' ']).next().unwrap();
        has(&p, &format!("<span class=\"badge b-{flag}"));
        assert!(
            p.contains(&format!("\">{badge}</span>")) || p.contains(&format!("\">{badge}, ")),
            "{defect}: no badge `{badge}`"
        );
        has(&p, &format!("<p class=\"why\" dir=\"ltr\">{why}"));
        assert_eq!(count(&p, "class=\"row bad"), 1, "{defect}");
    }
}

#[test]
fn several_targets_share_rows_keyed_by_source_paragraphs() {
    // Spanish joins source paragraphs 11 and 12 into one; Russian keeps them apart: they make
    // one row, with one Spanish pair and two Russian ones.
    let dir = statement_with_defect("merged.es.txt");
    dir.copy_fixture("statement/statement.ru.txt", "statement.ru.txt");
    let p = page(Some(&dir), &["check", "."], 0);
    assert_eq!(
        count(&p, "<div class=\"row ok\" role=\"row\" data-f=\"\">"),
        15
    );
    let row = row_with(&p, "<span class=\"lb\">¶ 11</span>");
    has(row, "<span class=\"lb\">¶ 12</span>");
    let cells: Vec<&str> = row.split("\n<div class=\"cell").skip(1).collect();
    assert_eq!(cells.len(), 3);
    assert_eq!(
        count(cells[0], "<div class=\"p\">"),
        2,
        "two source paragraphs"
    );
    assert!(cells[1].starts_with(" t\" role=\"cell\" data-l=\"es\""));
    assert_eq!(count(cells[1], "<div class=\"pair\">"), 1);
    assert_eq!(count(cells[2], "<div class=\"pair\">"), 2);
}

#[test]
fn document_text_is_escaped_everywhere() {
    let dir = Dir::new();
    dir.create(
        "q&a.en.txt",
        "Title of the page\n\n1. A paragraph with <script>alert(\"pwned\")</script> & 'quotes' in it.\n\n\
         2. Another one <img src=x onerror=alert(1)> here.\n",
    );
    dir.create(
        "q&a.es.txt",
        "Título de la página\n\n1. Un párrafo con <script>alert(\"pwned\")</script> & 'comillas'.\n\n\
         2. Otro <img src=x onerror=alert(1)> aquí.\n",
    );
    let p = page(Some(&dir), &["check", "."], 0);
    assert_eq!(count(&p, "<script"), 1, "only the page's own script");
    assert!(!p.contains("<img"), "no element from document text");
    has(
        &p,
        "A paragraph with &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &apos;quotes&apos; in it.",
    );
    has(&p, "Otro &lt;img src=x onerror=alert(1)&gt; aquí.");
    has(&p, "<title>Review of q&amp;a · paralign</title>");
    has(&p, "<h2 id=\"d0\">q&amp;a</h2>");
    has(&p, "aria-label=\"q&amp;a, paragraph by paragraph\"");
}

#[test]
fn right_to_left_languages_get_rtl_columns() {
    let dir = Dir::new();
    dir.create(
        "n.en.txt",
        "1. The committee met on 12 March 2024.\n\n2. It approved the plan.\n",
    );
    dir.create(
        "n.ar.txt",
        "1. اجتمعت اللجنة في 12 مارس 2024.\n\n2. ووافقت على الخطة.\n",
    );
    dir.create(
        "n.he.txt",
        "1. הוועדה התכנסה ב-12 במרץ 2024.\n\n2. היא אישרה את התוכנית.\n",
    );
    dir.create(
        "n.fa.txt",
        "1. کمیته در 12 مارس 2024 تشکیل جلسه داد.\n\n2. طرح را تصویب کرد.\n",
    );
    dir.create(
        "n.zh.txt",
        "1. 委员会于2024年3月12日举行会议。\n\n2. 它批准了该计划。\n",
    );
    let run = dir
        .paralign(["check", ".", "--format", "html", "--fail-on", "none"])
        .expect_code(0);
    let p = run.stdout;
    has(&p, "<div class=\"cell s\" role=\"cell\" dir=\"ltr\">");
    for (lang, dir) in [("ar", "rtl"), ("fa", "rtl"), ("he", "rtl"), ("zh", "ltr")] {
        assert_eq!(
            count(
                &p,
                &format!("role=\"cell\" data-l=\"{lang}\" dir=\"{dir}\">")
            ),
            2,
            "{lang}"
        );
        has(&p, &format!("<p class=\"tx\" lang=\"{lang}\">"));
    }
    // CJK and long words wrap inside their column.
    has(&p, "overflow-wrap: anywhere;");
    has(&p, "@page { size: A4 landscape; margin: 12mm; }");
}

#[test]
fn filters_are_in_the_page_and_hidden_without_javascript() {
    let p = defect_page("changed-number.es.txt", 0);
    has(
        &p,
        "<form id=\"filters\" class=\"filters\" role=\"search\" hidden>\n\
         <label><input type=\"checkbox\" id=\"f-problems\"> Only problems</label>\n\
         <label>Flag <select id=\"f-flag\"><option value=\"\">any</option>\
         <option value=\"missing\">missing</option>",
    );
    has(
        &p,
        "<label>Language <select id=\"f-lang\"><option value=\"\">all</option>\
         <option value=\"es\">es Spanish</option></select></label>\n\
         <label>Search <input type=\"search\" id=\"f-q\" placeholder=\"text, label or number\"></label>",
    );
    has(&p, "<style id=\"f-cols\"></style>");
    // No row starts hidden: without JavaScript everything shows.
    assert!(!p.contains("role=\"row\" hidden") && !p.contains(" hidden>\n<div class=\"cell"));
    // Rows far from the screen are not laid out, so that very long pages stay usable.
    has(&p, "content-visibility: auto;");
    has(&p, "@media print {");
}

#[test]
fn an_outdated_translation_is_shown_from_the_memory() {
    let dir = Dir::new();
    dir.copy_fixture("statement/statement.en.txt", "s/statement.en.txt");
    dir.copy_fixture("statement/statement.es.txt", "s/statement.es.txt");
    dir.paralign(["import", "s", "--db", "m.sqlite"])
        .expect_code(0);
    let en = dir.read("s/statement.en.txt");
    dir.create(
        "s/statement.en.txt",
        en.replace("Students from the Valmora", "Pupils from the Valmora"),
    );
    dir.paralign(["import", "s", "--db", "m.sqlite"])
        .expect_code(0);
    let p = page(Some(&dir), &["check", "s", "--db", "m.sqlite"], 0);
    let row = row_with(&p, "data-f=\"es:outdated\"");
    has(row, "<span class=\"lb\">¶ 6</span>");
    has(row, "<span class=\"badge b-outdated\" title=\"");
    has(row, "\">outdated</span>");
    has(
        row,
        "<p class=\"why\" dir=\"ltr\">Translated from an earlier version of the source.</p>",
    );
    has(&p, "<th scope=\"col\">outdated</th>");
}

#[test]
fn status_of_one_document_writes_the_same_page_from_the_memory() {
    let dir = Dir::new();
    dir.copy_fixture("statement/statement.en.txt", "s/statement.en.txt");
    dir.copy_fixture("statement/statement.es.txt", "s/statement.es.txt");
    dir.paralign(["import", "s", "--db", "m.sqlite"])
        .expect_code(0);
    let en = dir.read("s/statement.en.txt");
    dir.create(
        "s/statement.en.txt",
        en.replace("Students from the Valmora", "Pupils from the Valmora"),
    );
    dir.paralign(["import", "s", "--db", "m.sqlite"])
        .expect_code(0);
    dir.paralign([
        "status",
        "statement",
        "--db",
        "m.sqlite",
        "--format",
        "html",
        "-o",
        "r.html",
    ])
    .expect_code(0);
    let p = dir.read("r.html");
    // Sixteen rows, the outdated one marked as check shows it.
    assert_eq!(count(&p, "role=\"row\" data-f="), 16);
    let row = row_with(&p, "data-f=\"es:outdated\"");
    has(row, "<span class=\"lb\">¶ 6</span>");
    has(row, "\">outdated</span>");
    // Without a document there is no page to write.
    let out = dir
        .paralign(["status", "--db", "m.sqlite", "--format", "html"])
        .run();
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "paralign: --format html shows one document side by side: give its name \
         (paralign status statement --format html -o review.html)\n"
    );
}
