//! The `align`, `check` and `accept` commands as a user runs them: for every defect fixture the
//! exact pairs flagged (as `fixtures/README.md` describes them), the exit codes of the policy
//! flags, pages and bilingual files, the Markdown law, the CI output formats, `--help`, and the
//! accept-then-lapse flow. Exit codes: 0 clean, 1 findings fail the policy, 2 input error.

mod util;

use util::{
    align_defect, flagged, flagged_in_defect, pair, pairs, paralign, statement_with_defect, Dir,
};

// ---------------------------------------------------------------------------------------------
// The defect fixtures, aligned with the English statement (README table).

#[test]
fn defect_missing() {
    assert_eq!(
        flagged_in_defect("missing.es.txt"),
        [pair(&[8], &[], &["missing"], &[])]
    );
}

#[test]
fn defect_extra() {
    assert_eq!(
        flagged_in_defect("extra.es.txt"),
        [pair(&[], &[6], &["extra"], &[])]
    );
}

#[test]
fn defect_untranslated() {
    assert_eq!(
        flagged_in_defect("untranslated.es.txt"),
        [pair(&[4], &[4], &["untranslated"], &["same-text"])]
    );
}

#[test]
fn defect_same_language() {
    assert_eq!(
        flagged_in_defect("same-language.ru.txt"),
        [pair(&[7], &[7], &["untranslated"], &["same-language"])]
    );
}

#[test]
fn defect_wrong_language() {
    assert_eq!(
        flagged_in_defect("wrong-language.es.txt"),
        [pair(&[9], &[9], &["untranslated"], &["wrong-language"])]
    );
}

#[test]
fn defect_changed_number() {
    assert_eq!(
        flagged_in_defect("changed-number.es.txt"),
        [pair(&[4], &[4], &["diverging"], &["numbers"])]
    );
}

#[test]
fn defect_misnumbered() {
    assert_eq!(
        flagged_in_defect("misnumbered.es.txt"),
        [pair(&[7], &[7], &["misnumbered"], &["label"])]
    );
}

#[test]
fn defect_link() {
    assert_eq!(
        flagged_in_defect("link.es.txt"),
        [pair(&[10], &[10], &["diverging"], &["links"])]
    );
}

#[test]
fn defect_merged_is_a_sound_two_to_one() {
    let all = pairs(&align_defect("merged.es.txt"), 0, 0);
    assert_eq!(flagged(&all), []);
    let merged: Vec<_> = all.iter().filter(|p| p.source.len() > 1).collect();
    assert_eq!(merged, [&pair(&[12, 13], &[12], &[], &[])]);
    // Everything else one to one: 0..=11 with themselves, 14 and 15 with 13 and 14.
    let mut expected: Vec<_> = (0..12).map(|i| pair(&[i], &[i], &[], &[])).collect();
    expected.push(pair(&[12, 13], &[12], &[], &[]));
    expected.push(pair(&[14], &[13], &[], &[]));
    expected.push(pair(&[15], &[14], &[], &[]));
    assert_eq!(all, expected);
}

#[test]
fn clean_translations_have_no_findings() {
    let json = paralign([
        "align",
        "fixtures/statement/statement.en.txt",
        "fixtures/statement/statement.es.txt",
        "fixtures/statement/statement.ru.txt",
        "--format",
        "json",
    ])
    .expect_code(0)
    .json();
    let one_to_one: Vec<_> = (0..16).map(|i| pair(&[i], &[i], &[], &[])).collect();
    assert_eq!(pairs(&json, 0, 0), one_to_one, "es");
    assert_eq!(pairs(&json, 0, 1), one_to_one, "ru");
}

// ---------------------------------------------------------------------------------------------
// check: the policy and its exit codes.

#[test]
fn check_clean_statement_passes() {
    let out = paralign(["check", "fixtures/statement"]).expect_code(0);
    assert_eq!(
        out.stdout,
        "statement: en fixtures/statement/statement.en.txt (16 paragraphs)\n\
         \x20 es fixtures/statement/statement.es.txt (16 paragraphs): coverage 100.0% (16/16), ok\n\
         \x20 ru fixtures/statement/statement.ru.txt (16 paragraphs): coverage 100.0% (16/16), ok\n\
         \n\
         2 translations checked in 1 document: 0 findings; passed\n"
    );
    assert_eq!(out.stderr, "");
}

#[test]
fn check_default_policy_fails_on_missing_and_untranslated_only() {
    let expected = [
        ("missing.es.txt", 1),
        ("extra.es.txt", 0),
        ("untranslated.es.txt", 1),
        ("same-language.ru.txt", 1),
        ("wrong-language.es.txt", 1),
        ("changed-number.es.txt", 0),
        ("cut.ru.txt", 0),
        ("replaced.es.txt", 0),
        ("misnumbered.es.txt", 0),
        ("reordered.es.txt", 0),
        ("link.es.txt", 0),
        ("merged.es.txt", 0),
    ];
    for (defect, code) in expected {
        let dir = statement_with_defect(defect);
        let out = dir.paralign(["check", "."]).expect_code(code);
        assert_eq!(out.stderr, "", "{defect}");
    }
}

#[test]
fn check_fail_on_diverging() {
    let dir = statement_with_defect("changed-number.es.txt");
    dir.paralign(["check", "."]).expect_code(0);
    dir.paralign(["check", ".", "--fail-on", "diverging"])
        .expect_code(1);
    dir.paralign(["check", ".", "--fail-on", "all"])
        .expect_code(1);
    dir.paralign(["check", ".", "--fail-on", "missing,untranslated"])
        .expect_code(0);
}

#[test]
fn check_fail_on_none() {
    let dir = statement_with_defect("missing.es.txt");
    dir.paralign(["check", "."]).expect_code(1);
    dir.paralign(["check", ".", "--fail-on", "none"])
        .expect_code(0);
}

#[test]
fn check_min_coverage() {
    // missing.es.txt covers 15 of 16 paragraphs: 93.75%.
    let dir = statement_with_defect("missing.es.txt");
    let run = |extra: &[&str], code: i32| {
        let mut args = vec!["check", ".", "--fail-on", "none"];
        args.extend_from_slice(extra);
        dir.paralign(args).expect_code(code)
    };
    run(&["--min-coverage", "100"], 1);
    run(&["--min-coverage", "es=90"], 0);
    run(&["--min-coverage", "90"], 0);
    run(&["--min-coverage", "93.75"], 0);
    run(&["--min-coverage", "90,es=100"], 1);
    run(&["--min-coverage", "100", "--min-coverage", "es=90"], 0);
    // A language given its own minimum must be there: no Russian file is coverage 0.
    run(&["--min-coverage", "ru=100"], 1);
    run(&["--min-coverage", "ru=0"], 0);
    // 0.9 is a fraction (90 %), as the JSON reports coverage; 90% is percent.
    run(&["--min-coverage", "0.9"], 0);
    run(&["--min-coverage", "0.95"], 1);
    run(&["--min-coverage", "90%"], 0);
    run(&["--min-coverage", "95%"], 1);
    // Without --fail-on none the missing paragraph fails as well.
    dir.paralign(["check", ".", "--min-coverage", "es=90"])
        .expect_code(1);
}

#[test]
fn check_page_splits_languages() {
    let out = paralign(["check", "fixtures/page/page.txt", "--format", "json"]).expect_code(1);
    let json = out.json();
    let doc = &json["documents"][0];
    assert_eq!(doc["id"], "page");
    assert_eq!(doc["source"]["lang"], "en");
    assert_eq!(doc["source"]["paragraphs"], 16);
    let langs: Vec<&str> = doc["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["lang"].as_str().unwrap())
        .collect();
    assert_eq!(langs, ["es", "ru"]);
    let mut expected = vec![pair(&[0], &[0], &[], &[])];
    expected.extend((1..16).map(|i| pair(&[i], &[], &["missing"], &[])));
    for t in 0..2 {
        assert_eq!(doc["targets"][t]["paragraphs"], 1);
        assert_eq!(doc["targets"][t]["counts"]["pairs"], 1);
        assert_eq!(doc["targets"][t]["counts"]["missing"], 15);
        assert_eq!(pairs(&json, 0, t), expected, "{}", langs[t]);
    }
    assert_eq!(out.stderr, "");
}

#[test]
fn check_bilingual_file() {
    let out = paralign([
        "check",
        "fixtures/bilingual/statement.txt",
        "--format",
        "json",
    ])
    .expect_code(0);
    let json = out.json();
    let doc = &json["documents"][0];
    assert_eq!(doc["id"], "statement");
    assert_eq!(doc["source"]["lang"], "en");
    assert_eq!(doc["source"]["paragraphs"], 16);
    assert_eq!(doc["targets"].as_array().unwrap().len(), 1);
    assert_eq!(doc["targets"][0]["lang"], "es");
    assert_eq!(doc["targets"][0]["paragraphs"], 16);
    let one_to_one: Vec<_> = (0..16).map(|i| pair(&[i], &[i], &[], &[])).collect();
    assert_eq!(pairs(&json, 0, 0), one_to_one);
}

#[test]
fn check_markdown_law() {
    let out = paralign(["check", "fixtures/law", "--format", "json"]).expect_code(0);
    let json = out.json();
    let doc = &json["documents"][0];
    assert_eq!(doc["id"], "law");
    assert_eq!(doc["source"]["path"], "fixtures/law/law.en.md");
    assert_eq!(doc["targets"][0]["path"], "fixtures/law/law.fr.md");
    assert_eq!(doc["targets"][0]["lang"], "fr");
    assert_eq!(doc["targets"][0]["counts"]["pairs"], 13);
    // Labels restart under each article: nested, they do not repeat, so no numbering issues.
    assert_eq!(doc["source"].get("numbering"), None);
    assert_eq!(doc["targets"][0].get("numbering"), None);
    let one_to_one: Vec<_> = (0..13).map(|i| pair(&[i], &[i], &[], &[])).collect();
    assert_eq!(pairs(&json, 0, 0), one_to_one);
}

#[test]
fn law_labels_are_nested() {
    // Drop Article 2 paragraph 1 (index 6) from the French: the gap and the finding name "2.1".
    let fr = util::fixture_bytes("law/law.fr.md");
    let fr = String::from_utf8(fr).unwrap();
    let paras: Vec<&str> = fr.trim_end().split("\n\n").collect();
    assert_eq!(paras.len(), 13);
    assert!(paras[6].starts_with("1. "), "{}", paras[6]);
    let kept: Vec<&str> = paras
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 6)
        .map(|(_, p)| *p)
        .collect();
    let dir = Dir::new();
    dir.copy_fixture("law/law.en.md", "law.en.md");
    dir.create("law.fr.md", kept.join("\n\n") + "\n");
    let json = dir
        .paralign(["check", ".", "--format", "json"])
        .expect_code(1)
        .json();
    assert_eq!(
        json["documents"][0]["targets"][0]["numbering"],
        serde_json::json!([{"index": 6, "label": "2.2", "issue": "gap", "expected": "2.1"}])
    );
    assert_eq!(
        flagged(&pairs(&json, 0, 0)),
        [pair(&[6], &[], &["missing"], &[])]
    );
    let out = dir
        .paralign(["check", ".", "--format", "github"])
        .expect_code(1);
    assert_eq!(
        out.stdout,
        "::error file=./law.fr.md,line=11,title=paralign%3A missing (en → fr)::\
         paragraph 2.1 of the en source (./law.en.md:13) has no fr translation\n\
         paralign: 1 translation checked in 1 document: 1 finding; FAILED: 1 finding fails the \
         policy (fail on: missing, untranslated)\n"
    );
}

// ---------------------------------------------------------------------------------------------
// CI formats.

#[test]
fn github_annotations_for_missing() {
    let dir = statement_with_defect("missing.es.txt");
    let out = dir
        .paralign(["check", ".", "--format", "github"])
        .expect_code(1);
    assert_eq!(
        out.stdout,
        "::error file=./statement.es.txt,line=22,title=paralign%3A missing (en → es)::\
         paragraph 7 of the en source (./statement.en.txt:25) has no es translation\n\
         paralign: 1 translation checked in 1 document: 1 finding; FAILED: 1 finding fails the \
         policy (fail on: missing, untranslated)\n"
    );
    assert_eq!(out.stderr, "");
}

#[test]
fn github_warnings_for_findings_that_do_not_fail() {
    let dir = statement_with_defect("changed-number.es.txt");
    dir.copy_fixture("defects/same-language.ru.txt", "statement.ru.txt");
    let out = dir
        .paralign(["check", ".", "--format", "github"])
        .expect_code(1);
    assert_eq!(
        out.stdout,
        "::warning file=./statement.es.txt,line=13,title=paralign%3A diverging (en → es)::\
         paragraph 3 diverges from the source ./statement.en.txt:13: numbers differ \
         (en has 11.6; es has 16,1)\n\
         ::error file=./statement.ru.txt,line=22,title=paralign%3A untranslated (en → ru)::\
         paragraph 6 is not translated into Russian: it is written in English \
         (source ./statement.en.txt:22)\n\
         paralign: 2 translations checked in 1 document: 2 findings; FAILED: 1 finding fails the \
         policy (fail on: missing, untranslated)\n"
    );
}

#[test]
fn github_one_line_per_missing_paragraph_of_a_page() {
    let out = paralign(["check", "fixtures/page/page.txt", "--format", "github"]).expect_code(1);
    let mut lines: Vec<&str> = out.stdout.lines().collect();
    // The last line is the summary.
    assert_eq!(
        lines.pop(),
        Some(
            "paralign: 2 translations checked in 1 document: 30 findings; FAILED: 30 findings \
             fail the policy (fail on: missing, untranslated)"
        )
    );
    assert_eq!(lines.len(), 30);
    for l in &lines {
        assert!(
            l.starts_with("::error file=fixtures/page/page.txt,line=")
                && l.contains(",title=paralign%3A missing (en → "),
            "{l}"
        );
    }
}

/// A tiny well-formedness check: one root, tags balanced, attributes quoted, entities known.
fn assert_well_formed_xml(xml: &str) {
    let body = xml
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .expect("an XML declaration");
    let mut stack: Vec<&str> = Vec::new();
    let mut roots = 0;
    let mut rest = body;
    let check_text = |text: &str| {
        let mut t = text;
        while let Some(i) = t.find('&') {
            t = &t[i + 1..];
            assert!(
                ["amp;", "lt;", "gt;", "quot;", "apos;"]
                    .iter()
                    .any(|e| t.starts_with(e)),
                "a bare & in {text:?}"
            );
        }
        assert!(!text.contains('>'), "a bare > in {text:?}");
    };
    while let Some(open) = rest.find('<') {
        check_text(&rest[..open]);
        if stack.is_empty() {
            assert!(rest[..open].trim().is_empty(), "text outside the root");
        }
        let close = rest[open..].find('>').expect("an unclosed tag") + open;
        let tag = &rest[open + 1..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name.trim()), "mismatched </{name}>");
            continue;
        }
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let name = tag.split_whitespace().next().expect("a tag name");
        let attrs = tag[name.len()..].trim();
        assert_eq!(
            attrs.matches('"').count() % 2,
            0,
            "unquoted attribute: {tag}"
        );
        check_text(&attrs.replace('"', ""));
        if stack.is_empty() {
            roots += 1;
        }
        if !self_closing {
            stack.push(name);
        }
    }
    assert!(rest.trim().is_empty(), "text after the root");
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    assert_eq!(roots, 1, "one root element");
}

#[test]
fn xml_check_refuses_malformed_xml() {
    let decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    assert_well_formed_xml(&format!("{decl}<a x=\"1\"><b/>t &amp; u</a>\n"));
    for bad in [
        "<a><b></a></b>",
        "<a>t & u</a>",
        "<a></a><a></a>",
        "<a x=\"1></a>",
        "<a>",
        "text<a></a>",
    ] {
        let xml = format!("{decl}{bad}");
        let refused = std::panic::catch_unwind(|| assert_well_formed_xml(&xml)).is_err();
        assert!(refused, "accepted {bad:?}");
    }
}

#[test]
fn junit_one_testcase_per_language() {
    let out = paralign(["check", "fixtures/statement", "--format", "junit"]).expect_code(0);
    assert_well_formed_xml(&out.stdout);
    assert_eq!(out.stdout.matches("<testcase ").count(), 2);
    assert_eq!(out.stdout.matches("<failure ").count(), 0);
    assert!(out
        .stdout
        .contains("<testsuites name=\"paralign\" tests=\"2\" failures=\"0\" errors=\"0\">"));
    assert!(out
        .stdout
        .contains("name=\"statement [es]\" file=\"fixtures/statement/statement.es.txt\""));
    assert!(out
        .stdout
        .contains("name=\"statement [ru]\" file=\"fixtures/statement/statement.ru.txt\""));
}

#[test]
fn junit_counts_a_file_that_could_not_be_read_as_an_error() {
    let dir = statement_with_defect("changed-number.es.txt");
    std::fs::write(dir.path().join("statement.ru.txt"), b"\x00\x01binary\x00").unwrap();
    let out = dir
        .paralign(["check", ".", "--format", "junit"])
        .expect_code(2);
    assert_well_formed_xml(&out.stdout);
    assert_eq!(out.stdout.matches("<error ").count(), 1);
    assert!(out
        .stdout
        .contains("<testsuites name=\"paralign\" tests=\"3\" failures=\"0\" errors=\"1\">"));
    assert!(out
        .stdout
        .contains("<testsuite name=\"statement\" tests=\"3\" failures=\"0\" errors=\"1\">"));
}

#[test]
fn junit_failure_for_the_failing_language() {
    let dir = statement_with_defect("changed-number.es.txt");
    dir.copy_fixture("defects/same-language.ru.txt", "statement.ru.txt");
    let out = dir
        .paralign(["check", ".", "--format", "junit"])
        .expect_code(1);
    assert_well_formed_xml(&out.stdout);
    assert_eq!(
        out.stdout,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<testsuites name=\"paralign\" tests=\"2\" failures=\"1\" errors=\"0\">\n  \
<testsuite name=\"statement\" tests=\"2\" failures=\"1\" errors=\"0\">\n    \
<testcase classname=\"paralign.statement\" name=\"statement [es]\" file=\"./statement.es.txt\">\n      \
<system-out>diverging ./statement.es.txt:13: paragraph 3 diverges from the source ./statement.en.txt:13: \
numbers differ (en has 11.6; es has 16,1)</system-out>\n    \
</testcase>\n    \
<testcase classname=\"paralign.statement\" name=\"statement [ru]\" file=\"./statement.ru.txt\">\n      \
<failure message=\"1 finding(s) fail the policy (en → ru)\" type=\"paralign\">untranslated \
./statement.ru.txt:22: paragraph 6 is not translated into Russian: it is written in English \
(source ./statement.en.txt:22)</failure>\n    \
</testcase>\n  \
</testsuite>\n\
</testsuites>\n"
    );
}

#[test]
fn junit_page_is_well_formed() {
    let out = paralign(["check", "fixtures/page/page.txt", "--format", "junit"]).expect_code(1);
    assert_well_formed_xml(&out.stdout);
    assert_eq!(out.stdout.matches("<testcase ").count(), 2);
    assert_eq!(out.stdout.matches("<failure ").count(), 2);
}

#[test]
fn sarif_results_carry_the_flag() {
    let dir = statement_with_defect("changed-number.es.txt");
    dir.copy_fixture("defects/same-language.ru.txt", "statement.ru.txt");
    let out = dir
        .paralign(["check", ".", "--format", "sarif"])
        .expect_code(1);
    let json = out.json();
    assert_eq!(json["version"], "2.1.0");
    assert_eq!(json["runs"].as_array().unwrap().len(), 1);
    let run = &json["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "paralign");
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "missing",
            "extra",
            "untranslated",
            "diverging",
            "misnumbered",
            "reordered",
            "outdated"
        ]
    );
    let results: Vec<(&str, &str, &str, u64)> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap(),
                r["level"].as_str().unwrap(),
                loc["artifactLocation"]["uri"].as_str().unwrap(),
                loc["region"]["startLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        results,
        [
            ("diverging", "warning", "./statement.es.txt", 13),
            ("untranslated", "error", "./statement.ru.txt", 22),
        ]
    );
    assert_eq!(
        run["results"][1]["properties"],
        serde_json::json!({"document": "statement", "sourceLang": "en", "targetLang": "ru",
                           "reasons": ["same-language"]})
    );
}

#[test]
fn sarif_missing() {
    let dir = statement_with_defect("missing.es.txt");
    let json = dir
        .paralign(["check", ".", "--format", "sarif"])
        .expect_code(1)
        .json();
    assert_eq!(json["version"], "2.1.0");
    let results = json["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], "missing");
    assert_eq!(results[0]["level"], "error");
    assert_eq!(
        results[0]["message"]["text"],
        "paragraph 7 of the en source (./statement.en.txt:25) has no es translation"
    );
}

// ---------------------------------------------------------------------------------------------
// Help.

const EXIT_CODES: &str = "\
Exit codes:
  0  nothing fails the policy (align: a report was produced)
  1  findings fail the policy (check: --fail-on flags, --min-coverage)
  2  usage or input error (missing or unreadable file, bad encoding, unknown flag value)
";

#[test]
fn help_documents_exit_codes() {
    let out = paralign(["--help"]).expect_code(0);
    assert!(out.stdout.contains(EXIT_CODES), "{}", out.stdout);
    assert!(out.stdout.starts_with("Align translated documents"));
    assert_eq!(out.stderr, "");
}

// ---------------------------------------------------------------------------------------------
// accept: findings reviewed and accepted, until the paragraph changes.

#[test]
fn accept_then_lapse() {
    let dir = statement_with_defect("changed-number.es.txt");
    dir.create("paralign.toml", "");
    dir.paralign(["check", ".", "--fail-on", "diverging"])
        .expect_code(1);

    let out = dir
        .paralign(["accept", ".", "--reason", "rounded", "--flag", "diverging"])
        .expect_code(0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert_eq!(lines[0], "accepted statement [es] diverging paragraph 3");
    assert!(
        lines[1].starts_with("1 finding written to ")
            && lines[1].ends_with("paralign.accepted.toml"),
        "{}",
        lines[1]
    );

    let file: toml::Table = toml::from_str(&dir.read("paralign.accepted.toml")).unwrap();
    let entries = file["accept"].as_array().expect("[[accept]] entries");
    assert_eq!(entries.len(), 1);
    let e = entries[0].as_table().unwrap();
    let mut keys: Vec<&str> = e.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["document", "flag", "label", "lang", "reason", "text"]
    );
    assert_eq!(e["document"].as_str(), Some("statement"));
    assert_eq!(e["lang"].as_str(), Some("es"));
    assert_eq!(e["label"].as_str(), Some("3"));
    assert_eq!(e["flag"].as_str(), Some("diverging"));
    assert_eq!(e["reason"].as_str(), Some("rounded"));
    let hash = e["text"].as_str().unwrap();
    assert!(
        hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "{hash}"
    );

    dir.paralign(["check", ".", "--fail-on", "diverging"])
        .expect_code(0);
    let json = dir
        .paralign(["check", ".", "--fail-on", "diverging", "--format", "json"])
        .expect_code(0)
        .json();
    assert_eq!(json["policy"]["accepted"], 1);
    assert_eq!(json["policy"]["lapsed"], 0);

    // Edit the accepted paragraph: the acceptance lapses and the check fails again.
    let es = dir.read("statement.es.txt");
    assert_eq!(es.matches("16,1").count(), 1);
    dir.create("statement.es.txt", es.replace("16,1", "16,2"));
    dir.paralign(["check", ".", "--fail-on", "diverging"])
        .expect_code(1);
    let json = dir
        .paralign(["check", ".", "--fail-on", "diverging", "--format", "json"])
        .expect_code(1)
        .json();
    assert_eq!(json["policy"]["accepted"], 0);
    assert_eq!(json["policy"]["lapsed"], 1);
    assert_eq!(json["policy"]["failing"], 1);
}

#[test]
fn accept_with_nothing_to_accept_writes_nothing() {
    let dir = Dir::new();
    dir.copy_fixture("statement/statement.en.txt", "statement.en.txt");
    dir.copy_fixture("statement/statement.es.txt", "statement.es.txt");
    dir.create("paralign.toml", "");
    let out = dir
        .paralign(["accept", ".", "--reason", "fine"])
        .expect_code(0);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "paralign: no findings to accept (nothing matched, or all are accepted already)\n"
    );
    assert!(!dir.join("paralign.accepted.toml").exists());
}

// README: cut.ru.txt → paragraph 4 (index 5), diverging for length; the cut also drops two
// figures and the score falls.
#[test]
fn defect_cut() {
    assert_eq!(
        flagged_in_defect("cut.ru.txt"),
        [pair(
            &[5],
            &[5],
            &["diverging"],
            &["numbers", "length", "low-score"]
        )]
    );
}

// README: replaced.es.txt → paragraph 10 (index 11), diverging with a low score; none of the
// source's names is in the recipe.
#[test]
fn defect_replaced() {
    assert_eq!(
        flagged_in_defect("replaced.es.txt"),
        [pair(&[11], &[11], &["diverging"], &["names", "low-score"])]
    );
}

// README: reordered.es.txt → the pair out of order (source 6, target 7) is reordered; the other
// swapped paragraph stays in order.
#[test]
fn defect_reordered() {
    assert_eq!(
        flagged_in_defect("reordered.es.txt"),
        [pair(&[6], &[7], &["reordered"], &[])]
    );
}

// Every subcommand's --help documents the exit codes 0, 1 and 2 (habit 1).
#[test]
fn subcommand_help_documents_exit_codes() {
    for cmd in ["check", "align", "accept"] {
        let out = paralign([cmd, "--help"]).expect_code(0);
        assert!(out.stdout.contains(EXIT_CODES), "{cmd}: {}", out.stdout);
    }
}

#[test]
fn completions_cover_every_command_and_refuse_unknown_shells() {
    let bash = paralign(["completions", "bash"]).expect_code(0);
    assert!(
        bash.stdout.starts_with("_paralign() {\n"),
        "{}",
        bash.stdout
    );
    assert!(bash
        .stdout
        .ends_with("complete -F _paralign -o nosort -o bashdefault -o default paralign\nelse\n    complete -F _paralign -o bashdefault -o default paralign\nfi\n"));
    for cmd in [
        "align",
        "check",
        "accept",
        "import",
        "status",
        "segments",
        "lookup",
        "analyze",
        "pretranslate",
        "export",
        "import-tmx",
        "import-xliff",
        "completions",
    ] {
        assert!(
            bash.stdout.contains(&format!("paralign,{cmd})")),
            "no completion for {cmd}"
        );
    }
    assert!(bash.stdout.contains("--fail-on"));
    assert_eq!(bash.stderr, "");
    let fish = paralign(["completions", "fish"]).expect_code(0);
    assert!(fish
        .stdout
        .contains("-a \"import-tmx\" -d 'Merge a TMX file (from a CAT tool or another memory) into the translation memory; a malformed file writes nothing'"));
    let bad = paralign(["completions", "nushell"]).expect_code(2);
    assert_eq!(
        bad.stderr,
        "paralign: invalid value 'nushell' for '<SHELL>' [possible values: bash, elvish, fish, powershell, zsh]\n"
    );
    assert_eq!(bad.stdout, "");
}

#[test]
fn the_note_on_a_version_with_only_a_title_points_at_its_line() {
    let out = paralign(["check", "fixtures/page/page.txt", "--color", "never"]).expect_code(1);
    let notes: Vec<String> = out
        .stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("note:"))
        .map(|l| l.trim().to_string())
        .collect();
    assert_eq!(
        notes,
        [
            "note: the es version has only the title (line 4)",
            "note: the ru version has only the title (line 6)"
        ]
    );
}

#[test]
fn colour_follows_the_terminal_conventions() {
    // Piped, the report is plain; CLICOLOR_FORCE colours it anyway, and NO_COLOR wins over it.
    let run = |no_color: &str, force: &str| {
        paralign(["check", "fixtures/statement"])
            .env("NO_COLOR", no_color)
            .env("CLICOLOR_FORCE", force)
            .run()
            .stdout
            .contains('\u{1b}')
    };
    assert!(!run("", ""));
    assert!(run("", "1"));
    assert!(!run("1", "1"));
}
