//! HTML, Word and OpenDocument files read as the same documents as their text versions: the
//! statement and each of its defects (made by `scripts/fixtures/make-formats.py` from the
//! .txt fixtures) give exactly the findings of the .txt versions. HTML positions are the same
//! lines; DOCX and ODT positions are paragraph numbers (the paragraph's index + 1). PDF and
//! unknown formats are refused with a hint, a broken package with a message naming the file.

mod util;

use std::fs;

use util::Dir;

const FORMATS: [&str; 3] = ["html", "docx", "odt"];

/// A folder with the English statement and one defective translation in format `ext`.
fn with_defect(defect: &str, ext: &str) -> Dir {
    let dir = Dir::new();
    let lang = defect.split('.').nth(1).expect("NAME.LANG.txt");
    if ext == "txt" {
        dir.copy_fixture("statement/statement.en.txt", "statement.en.txt");
        dir.copy_fixture(
            &format!("defects/{defect}"),
            &format!("statement.{lang}.txt"),
        );
    } else {
        let stem = defect.trim_end_matches(".txt");
        dir.copy_fixture(
            &format!("formats/{ext}/statement.en.{ext}"),
            &format!("statement.en.{ext}"),
        );
        dir.copy_fixture(
            &format!("formats/defects/{stem}.{ext}"),
            &format!("statement.{lang}.{ext}"),
        );
    }
    dir
}

/// `check` in JSON and text, the file extension written `.X`; the JSON without the versions'
/// `lines` (Word and OpenDocument places are paragraph numbers: see the text report).
fn findings(dir: &Dir, ext: &str) -> (String, String) {
    let run = |format: &str| {
        dir.paralign(["check", ".", "--fail-on", "none", "--format", format])
            .expect_code(0)
            .stdout
            .replace(&format!(".{ext}"), ".X")
    };
    let mut json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    for doc in json["documents"].as_array_mut().unwrap() {
        doc["source"].as_object_mut().unwrap().remove("lines");
        for t in doc["targets"].as_array_mut().unwrap() {
            t.as_object_mut().unwrap().remove("lines");
        }
    }
    (json.to_string(), run("text"))
}

/// The 1-based line on which each paragraph of a .txt file starts.
fn starts(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut inside = false;
    for (i, line) in text.split('\n').enumerate() {
        let blank = line.trim().is_empty();
        if !blank && !inside {
            out.push(i + 1);
        }
        inside = !blank;
    }
    out
}

/// A text report with each file line replaced by the paragraph number it starts, as a Word or
/// OpenDocument file's report names places: `paragraph 7` for `the paragraph at line 13`,
/// `also at paragraph 3`, `(paragraph 1)`.
fn lines_to_paragraphs(report: &str, en: &[usize], other: &[usize]) -> String {
    let re = regex::Regex::new(
        r"statement\.(\w+)\.X:(\d+)|the paragraph at line (\d+)|also at line (\d+)|\(line (\d+)\)",
    )
    .unwrap();
    let number = |starts: &[usize], line: &str| {
        let line: usize = line.parse().unwrap();
        starts.iter().position(|&s| s == line).map_or(0, |i| i + 1)
    };
    // A line named in a message is a line of the translation.
    re.replace_all(report, |c: &regex::Captures| {
        if let (Some(lang), Some(line)) = (c.get(1), c.get(2)) {
            let s = if lang.as_str() == "en" { en } else { other };
            return format!("statement.{}.X:{}", lang.as_str(), number(s, line.as_str()));
        }
        let n = |k: usize| number(other, c.get(k).unwrap().as_str());
        if c.get(3).is_some() {
            format!("paragraph {}", n(3))
        } else if c.get(4).is_some() {
            format!("also at paragraph {}", n(4))
        } else {
            format!("(paragraph {})", n(5))
        }
    })
    .into_owned()
}

#[test]
fn every_defect_gives_the_findings_of_its_text_version_in_every_format() {
    let en = starts(&String::from_utf8(util::fixture_bytes("statement/statement.en.txt")).unwrap());
    let mut defects: Vec<String> = fs::read_dir(util::fixture("defects"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    defects.sort();
    assert!(defects.len() >= 10, "{defects:?}");
    for defect in &defects {
        let (json, text) = findings(&with_defect(defect, "txt"), "txt");
        let other =
            starts(&String::from_utf8(util::fixture_bytes(&format!("defects/{defect}"))).unwrap());
        for ext in FORMATS {
            let (j, t) = findings(&with_defect(defect, ext), ext);
            assert_eq!(j, json, "{defect} as .{ext}: JSON findings");
            if ext == "html" {
                assert_eq!(
                    t, text,
                    "{defect} as .{ext}: the text report, lines included"
                );
            } else {
                assert_eq!(
                    t,
                    lines_to_paragraphs(&text, &en, &other),
                    "{defect} as .{ext}: the text report, paragraph numbers for lines"
                );
            }
        }
    }
}

#[test]
fn the_statement_in_every_format_has_no_findings() {
    for ext in FORMATS {
        let out = util::paralign(["check", &format!("fixtures/formats/{ext}")]).expect_code(0);
        assert!(
            out.stdout.contains("(16 paragraphs)") && out.stdout.contains("0 findings; passed"),
            ".{ext}: {}",
            out.stdout
        );
    }
}

#[test]
fn pdf_and_unknown_formats_are_refused_with_what_is_read() {
    let dir = Dir::new();
    dir.create("report.en.pdf", "%PDF-1.4 plain enough to pass as text\n");
    dir.create("report.es.rtf", "{\\rtf1 hola}\n");
    let out = dir.paralign(["check", "report.en.pdf"]).expect_code(2);
    assert!(out.stderr.contains("pdftotext -layout"), "{}", out.stderr);
    let out = dir.paralign(["check", "report.es.rtf"]).expect_code(2);
    assert!(
        out.stderr
            .contains("paralign reads .txt, .md, .markdown, .html, .htm, .docx and .odt files"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_broken_package_is_an_input_error_naming_the_file() {
    let dir = Dir::new();
    dir.create("a.en.docx", "not a zip at all");
    dir.copy_fixture("formats/docx/statement.es.docx", "a.es.docx");
    let out = dir.paralign(["check", "."]).expect_code(2);
    assert!(
        out.stderr.contains("a.en.docx") && out.stderr.contains("not a readable DOCX file"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
}
