//! `check` and `align` of XLIFF files: an .xlf file (1.2 or 2.0) is a document pair, its
//! sources one language version and its targets the other, one paragraph per unit, placed by
//! the line of the unit's `<source>` or `<target>`. The fixtures `formats/xliff/defects.xlf`
//! (2.0) and `defects-1.2.xlf` (1.2) hold the statement with five defects (see
//! fixtures/README.md): each gives exactly its findings, in every report naming file and line.

mod util;

use util::{fixture, flagged, pair, pairs, paralign, Dir};

const V20: &str = "fixtures/formats/xliff/defects.xlf";
const V12: &str = "fixtures/formats/xliff/defects-1.2.xlf";

/// The finding lines of a text report (without the excerpts).
fn finding_lines(report: &str) -> Vec<String> {
    report
        .lines()
        .filter(|l| l.starts_with("    warning") || l.starts_with("    error"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// The findings of a fixture, its lines of `<source>` and `<target>` given per defect:
/// (diverging target, diverging source, missing 4, missing 5, untranslated target, its source).
fn expected(path: &str, l: [usize; 6]) -> Vec<String> {
    vec![
        format!("warning diverging {path}:{}: paragraph 2 diverges from the source {path}:{}: numbers differ (en has 38; es has 83)", l[0], l[1]),
        format!("error missing {path}:{}: paragraph 4 of the en source ({path}:{}) has no es translation", l[2], l[2]),
        format!("error missing {path}:{}: paragraph 5 of the en source ({path}:{}) has no es translation", l[3], l[3]),
        format!("error untranslated {path}:{}: paragraph 8 is not translated into Spanish: it is the en source text (source {path}:{})", l[4], l[5]),
    ]
}

#[test]
fn xliff_2_0_gives_its_findings_at_the_lines_of_its_units() {
    let out = paralign(["check", V20]).expect_code(1).stdout;
    assert_eq!(finding_lines(&out), expected(V20, [25, 24, 36, 41, 60, 59]));
    assert!(out.contains(&format!(
        "es {V20} (13 paragraphs): coverage 80.0% (12/15), 2 missing, 1 untranslated, 1 diverging"
    )));
}

#[test]
fn xliff_1_2_gives_the_same_findings_at_its_own_lines() {
    let out = paralign(["check", V12]).expect_code(1).stdout;
    assert_eq!(finding_lines(&out), expected(V12, [19, 18, 26, 29, 42, 41]));
}

#[test]
fn json_pairs_follow_the_units_and_leave_out_the_one_not_to_translate() {
    for path in [V20, V12] {
        let json = paralign(["check", path, "--format", "json", "--fail-on", "none"])
            .expect_code(0)
            .json();
        let doc = &json["documents"][0];
        assert_eq!(doc["source"]["lang"], "en");
        assert_eq!(doc["source"]["path"], path);
        // 16 units, one marked translate="no": 15 paragraphs; 2 of them without target.
        assert_eq!(doc["source"]["paragraphs"], 15);
        assert_eq!(doc["targets"][0]["lang"], "es");
        assert_eq!(doc["targets"][0]["paragraphs"], 13);
        assert_eq!(
            flagged(&pairs(&json, 0, 0)),
            vec![
                pair(&[3], &[3], &["diverging"], &["numbers"]),
                pair(&[5], &[], &["missing"], &[]),
                pair(&[6], &[], &["missing"], &[]),
                pair(&[9], &[7], &["untranslated"], &["same-text"]),
            ],
            "{path}"
        );
        assert_eq!(pairs(&json, 0, 0).len(), 15);
    }
}

#[test]
fn github_annotations_name_the_xliff_file_and_line() {
    let out = paralign(["check", V20, "--format", "github"])
        .expect_code(1)
        .stdout;
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("::"))
        .map(|l| l.split("::").nth(1).unwrap_or(""))
        .collect();
    assert_eq!(
        lines,
        [
            format!("warning file={V20},line=25,title=paralign%3A diverging (en → es)"),
            format!("error file={V20},line=36,title=paralign%3A missing (en → es)"),
            format!("error file={V20},line=41,title=paralign%3A missing (en → es)"),
            format!("error file={V20},line=60,title=paralign%3A untranslated (en → es)"),
        ]
    );
}

#[test]
fn a_folder_of_xliff_files_is_one_document_per_file() {
    let dir = Dir::new();
    dir.copy_fixture("formats/xliff/defects.xlf", "xlf/defects.xlf");
    dir.copy_fixture("formats/xliff/defects-1.2.xlf", "xlf/defects-1.2.xliff");
    let json = dir
        .paralign(["check", "xlf", "--format", "json", "--fail-on", "none"])
        .expect_code(0)
        .json();
    let ids: Vec<&str> = json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["defects-1.2", "defects"]);
    assert!(json.get("errors").is_none(), "{json}");
}

#[test]
fn a_cut_xliff_file_is_refused_with_its_file_and_line() {
    let dir = Dir::new();
    let text = std::fs::read_to_string(fixture("formats/xliff/defects.xlf")).unwrap();
    let cut: String = text.lines().take(30).map(|l| format!("{l}\n")).collect();
    dir.create("cut.xlf", cut);
    let out = dir.paralign(["check", "cut.xlf"]).expect_code(2);
    assert_eq!(
        out.stderr_lines(),
        ["paralign: cut.xlf:31:1: the file ends inside <segment>: is it cut short?"]
    );
}

#[test]
fn an_xliff_file_without_a_target_language_is_refused() {
    let dir = Dir::new();
    let text = std::fs::read_to_string(fixture("formats/xliff/defects.xlf")).unwrap();
    dir.create("n.xlf", text.replace(" trgLang=\"es\"", ""));
    let out = dir.paralign(["check", "n.xlf"]).expect_code(2);
    assert_eq!(
        out.stderr_lines(),
        ["paralign: n.xlf: the XLIFF file names no trgLang on <xliff> (1.2: target-language on <file>): paralign checks a translation against its source only when both languages are given"]
    );
}

#[test]
fn a_unit_not_to_translate_is_not_checked_and_a_file_of_only_those_is_refused() {
    let dir = Dir::new();
    dir.create(
        "no.xlf",
        r#"<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="de">
<file id="f" translate="no"><unit id="u"><segment><source>Hello</source><target>Hello</target></segment></unit></file>
</xliff>
"#,
    );
    let out = dir.paralign(["check", "no.xlf"]).expect_code(2);
    assert_eq!(
        out.stderr_lines(),
        ["paralign: no.xlf: the XLIFF file holds no unit to check (every unit is empty or marked translate=\"no\")"]
    );
}

#[test]
fn align_reads_an_xliff_file_alone_as_its_pair() {
    let json = paralign(["align", V12, "--format", "json"])
        .expect_code(0)
        .json();
    assert_eq!(
        flagged(&pairs(&json, 0, 0)),
        vec![
            pair(&[3], &[3], &["diverging"], &["numbers"]),
            pair(&[5], &[], &["missing"], &[]),
            pair(&[6], &[], &["missing"], &[]),
            pair(&[9], &[7], &["untranslated"], &["same-text"]),
        ]
    );
    let out = paralign(["align", V12, "--target-lang", "de"]).expect_code(2);
    assert_eq!(
        out.stderr_lines(),
        ["paralign: --source-lang and --target-lang do not apply to an XLIFF file: its languages are its srcLang and trgLang (1.2: source-language, target-language)"]
    );
    let out = paralign(["align", "fixtures/statement/statement.en.txt"]).expect_code(2);
    assert_eq!(
        out.stderr_lines(),
        ["paralign: give the translations of SOURCE as TARGETs (an XLIFF file may come alone: it holds both)"]
    );
}

#[test]
fn json_gives_each_paragraph_the_line_of_its_source_or_target() {
    let json = paralign(["check", V12, "--format", "json", "--fail-on", "none"])
        .expect_code(0)
        .json();
    let lines = |v: &serde_json::Value| -> Vec<u64> {
        v["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_u64().unwrap())
            .collect()
    };
    let doc = &json["documents"][0];
    // Units p0…p15 each take four lines (three without a target) from line 6; p14 is left out.
    assert_eq!(
        lines(&doc["source"]),
        [6, 10, 14, 18, 22, 26, 29, 33, 37, 41, 45, 49, 53, 57, 65]
    );
    assert_eq!(
        lines(&doc["targets"][0]),
        [7, 11, 15, 19, 23, 34, 38, 42, 46, 50, 54, 58, 66]
    );
}

#[test]
fn hostile_xliff_files_are_refused_by_check_as_by_import() {
    for (name, says) in [
        (
            "bad-srclang.xlf",
            ":2:1: srcLang: `en;drop table` is not a language tag",
        ),
        (
            "billion-laughs-1.2.xlf",
            ":17:29: maximum entity amplification factor exceeded",
        ),
        (
            "control-raw.xlf",
            ":4:56: the character U+001B (a control character)",
        ),
        ("deep.xlf", ":4:2793: elements nested more than 256 deep"),
        (
            "no-end-1.2.xlf",
            ":9:1: the file ends inside <xliff>: is it cut short?",
        ),
        ("text-after.xlf", ":7:9: text after </xliff> is not allowed"),
    ] {
        let path = format!("tests/hostile/corpus/{name}");
        let out = paralign(["check", &path]).expect_code(2);
        let first = out.stderr_lines()[0].to_string();
        assert!(
            first.starts_with(&format!("paralign: {path}{says}")),
            "{name}: {first}"
        );
    }
}
