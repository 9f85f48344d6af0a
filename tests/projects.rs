//! Whole projects (`fixtures/projects/`): the four layouts (versions named `NAME.LANG.EXT`, a
//! folder per language, a nested content tree declared by a `{lang}` pattern, and both mixed)
//! pass when complete; with a file removed, a language removed and a stray file of another
//! format, each reports exactly the versions missing, with the path expected, and fails.
//! Also: a file named alone checks its whole document, languages inferred from neighbours,
//! required languages by flag and by minimum coverage, names that are no language, and
//! several reports from one run.

mod util;

use std::fs;
use std::path::Path;

use util::{fixture, paralign, Dir};

/// Copy a fixture project into a temporary folder.
fn project(name: &str) -> Dir {
    let dir = Dir::new();
    copy_tree(&fixture(&format!("projects/{name}")), dir.path());
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dest);
        } else {
            fs::copy(e.path(), &dest).unwrap();
        }
    }
}

fn remove(dir: &Dir, rel: &str) {
    let p = dir.join(rel);
    if p.is_dir() {
        fs::remove_dir_all(&p).unwrap();
    } else {
        fs::remove_file(&p).unwrap_or_else(|e| panic!("remove {rel}: {e}"));
    }
}

const COMPLETE: &str = "4 translations checked in 2 documents: 0 findings; passed\n";

#[test]
fn complete_projects_pass() {
    for name in ["suffix", "folders", "content", "mixed"] {
        let out = paralign(["check", "."])
            .current_dir(fixture(&format!("projects/{name}")))
            .expect_code(0);
        assert!(out.stdout.ends_with(COMPLETE), "{name}:\n{}", out.stdout);
        assert_eq!(out.stdout.matches("coverage 100.0%").count(), 4, "{name}");
        assert_eq!(out.stderr, "", "{name}");
    }
}

#[test]
fn suffix_layout_complete_output() {
    let out = paralign(["check", "."])
        .current_dir(fixture("projects/suffix"))
        .expect_code(0);
    assert_eq!(
        out.stdout,
        "faq: en ./docs/faq.en.md (3 paragraphs)\n\
         \x20 de ./docs/faq.de.md (3 paragraphs): coverage 100.0% (3/3), ok\n\
         \x20 es ./docs/faq.es.md (3 paragraphs): coverage 100.0% (3/3), ok\n\
         \n\
         guide: en ./docs/guide.en.md (4 paragraphs)\n\
         \x20 de ./docs/guide.de.md (4 paragraphs): coverage 100.0% (4/4), ok\n\
         \x20 es ./docs/guide.es.md (4 paragraphs): coverage 100.0% (4/4), ok\n\
         \n\
         4 translations checked in 2 documents: 0 findings; passed\n"
    );
}

/// The report of a broken project: `faq` lost its Spanish file, German is gone altogether.
fn broken_report(faq_en: &str, guide_en: &str, guide_es: &str, faq: &str, guide: &str) -> String {
    let faq_block = format!(
        "{faq}: en {faq_en} (3 paragraphs)\n\
         \x20 note: only one language version (en) found\n\
         \x20 es (no file): coverage 0.0%\n\
         \x20   error    missing      {}: there is no es version of `{faq}` (the file is expected here)\n\
         \x20 de (no file): coverage 0.0%\n\
         \x20   error    missing      {}: there is no de version of `{faq}` (the file is expected here)\n\n",
        expected(faq_en, "es"),
        expected(faq_en, "de"),
    );
    let guide_block = format!(
        "{guide}: en {guide_en} (4 paragraphs)\n\
         \x20 es {guide_es} (4 paragraphs): coverage 100.0% (4/4), ok\n\
         \x20 de (no file): coverage 0.0%\n\
         \x20   error    missing      {}: there is no de version of `{guide}` (the file is expected here)\n\n",
        expected(guide_en, "de"),
    );
    // Documents come in the order of their files' paths.
    let (first, second) = if faq_en < guide_en {
        (faq_block, guide_block)
    } else {
        (guide_block, faq_block)
    };
    let missing = if faq_en < guide_en {
        format!("{faq} [es], {faq} [de], {guide} [de]")
    } else {
        format!("{guide} [de], {faq} [es], {faq} [de]")
    };
    format!(
        "{first}{second}1 translation checked in 2 documents: 0 findings, 3 missing versions, \
         1 warning; FAILED: 3 missing versions ({missing})\n"
    )
}

/// The path of the version in `lang`, from the English one.
fn expected(en: &str, lang: &str) -> String {
    en.replace(".en.", &format!(".{lang}."))
        .replace("/en/", &format!("/{lang}/"))
}

fn stray_warning(path: &str) -> String {
    format!(
        "paralign: warning: {path}: not read: paralign reads .txt, .md, .markdown, .html, .htm, .docx and .odt files, and \
         this looks like a language version\n"
    )
}

#[test]
fn suffix_layout_broken() {
    let dir = project("suffix");
    remove(&dir, "docs/faq.es.md");
    remove(&dir, "docs/faq.de.md");
    remove(&dir, "docs/guide.de.md");
    dir.create("docs/guide.es.rtf", "{\\rtf1 Hola}\n");
    let out = dir.paralign(["check", "."]).expect_code(1);
    assert_eq!(
        out.stdout,
        broken_report(
            "./docs/faq.en.md",
            "./docs/guide.en.md",
            "./docs/guide.es.md",
            "faq",
            "guide"
        )
    );
    assert_eq!(out.stderr, stray_warning("./docs/guide.es.rtf"));
}

#[test]
fn folder_layout_broken() {
    let dir = project("folders");
    remove(&dir, "docs/es/faq.md");
    remove(&dir, "docs/de");
    dir.create("docs/es/guide.rtf", "{\\rtf1 Hola}\n");
    let out = dir.paralign(["check", "."]).expect_code(1);
    assert_eq!(
        out.stdout,
        broken_report(
            "./docs/en/faq.md",
            "./docs/en/guide.md",
            "./docs/es/guide.md",
            "faq",
            "guide"
        )
    );
    assert_eq!(out.stderr, stray_warning("./docs/es/guide.rtf"));
}

#[test]
fn content_tree_broken() {
    let dir = project("content");
    remove(&dir, "content/es/help/faq.md");
    remove(&dir, "content/de");
    dir.create("content/es/docs/install/guide.rtf", "{\\rtf1 Hola}\n");
    let out = dir.paralign(["check", "."]).expect_code(1);
    assert_eq!(
        out.stdout,
        broken_report(
            "./content/en/help/faq.md",
            "./content/en/docs/install/guide.md",
            "./content/es/docs/install/guide.md",
            "help/faq",
            "docs/install/guide"
        )
    );
    assert_eq!(
        out.stderr,
        stray_warning("./content/es/docs/install/guide.rtf")
    );
}

#[test]
fn content_tree_exclude_keeps_drafts_out() {
    let dir = project("content");
    // An English draft nobody translates: excluded by `content/*/drafts/**`.
    dir.create(
        "content/en/drafts/roadmap.md",
        "# Roadmap\n\nNot translated yet.\n",
    );
    let out = dir.paralign(["check", "."]).expect_code(0);
    assert!(out.stdout.ends_with(COMPLETE), "{}", out.stdout);
    assert!(!out.stdout.contains("roadmap"), "{}", out.stdout);
}

#[test]
fn mixed_layout_broken() {
    let dir = project("mixed");
    remove(&dir, "faq.es.md");
    remove(&dir, "faq.de.md");
    remove(&dir, "i18n/de");
    dir.create("i18n/es/guide.rtf", "{\\rtf1 Hola}\n");
    // build/ is .gitignored: an English file there is not a document of the project.
    dir.copy_fixture("projects/mixed/i18n/en/guide.md", "build/manual.en.md");
    let out = dir.paralign(["check", "."]).expect_code(1);
    assert_eq!(
        out.stdout,
        broken_report(
            "./faq.en.md",
            "./i18n/en/guide.md",
            "./i18n/es/guide.md",
            "faq",
            "guide"
        )
    );
    assert_eq!(out.stderr, stray_warning("./i18n/es/guide.rtf"));
}

#[test]
fn broken_project_json_lists_missing_versions() {
    let dir = project("folders");
    remove(&dir, "docs/es/faq.md");
    remove(&dir, "docs/de");
    let json = dir
        .paralign(["check", ".", "--format", "json"])
        .expect_code(1)
        .json();
    let missing: Vec<(String, String, String)> = json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| {
            let id = d["id"].as_str().unwrap().to_string();
            d["missing"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(move |m| {
                    assert_eq!(m["fails"], true);
                    (
                        id.clone(),
                        m["lang"].as_str().unwrap().to_string(),
                        m["path"].as_str().unwrap().to_string(),
                    )
                })
        })
        .collect();
    let want = [
        ("faq", "es", "./docs/es/faq.md"),
        ("faq", "de", "./docs/de/faq.md"),
        ("guide", "de", "./docs/de/guide.md"),
    ];
    assert_eq!(
        missing,
        want.map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    );
    assert_eq!(json["policy"]["passed"], false);
    assert_eq!(json["policy"]["missing_versions"], 3);
}

#[test]
fn missing_versions_do_not_fail_with_fail_on_none() {
    let dir = project("suffix");
    remove(&dir, "docs/faq.de.md");
    let out = dir
        .paralign(["check", ".", "--fail-on", "none"])
        .expect_code(0);
    assert!(out.stdout.contains(
        "    warning  missing      ./docs/faq.de.md: there is no de version of `faq` (the file is expected here)\n"
    ));
    // A minimum coverage for German makes it fail again: no file is coverage 0.
    let out = dir
        .paralign([
            "check",
            ".",
            "--fail-on",
            "none",
            "--min-coverage",
            "de=100",
        ])
        .expect_code(1);
    assert!(
        out.stdout
            .ends_with("FAILED: 1 missing version (faq [de])\n"),
        "{}",
        out.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// Naming one file checks its document (as a pre-commit hook names only what changed).

#[test]
fn one_file_brings_its_document_in_a_folder_layout() {
    let dir = project("folders");
    remove(&dir, "docs/de/guide.md");
    let out = dir.paralign(["check", "docs/es/guide.md"]).expect_code(1);
    assert_eq!(
        out.stdout,
        "guide: en docs/en/guide.md (4 paragraphs)\n\
         \x20 es docs/es/guide.md (4 paragraphs): coverage 100.0% (4/4), ok\n\
         \x20 de (no file): coverage 0.0%\n\
         \x20   error    missing      docs/de/guide.md: there is no de version of `guide` (the file is expected here)\n\
         \n\
         1 translation checked in 1 document: 0 findings, 1 missing version; FAILED: 1 missing \
         version (guide [de])\n"
    );
}

#[test]
fn one_file_brings_its_document_in_a_suffix_layout() {
    let out = paralign(["check", "docs/guide.de.md"])
        .current_dir(fixture("projects/suffix"))
        .expect_code(0);
    assert_eq!(
        out.stdout,
        "guide: en docs/guide.en.md (4 paragraphs)\n\
         \x20 de docs/guide.de.md (4 paragraphs): coverage 100.0% (4/4), ok\n\
         \x20 es docs/guide.es.md (4 paragraphs): coverage 100.0% (4/4), ok\n\
         \n\
         2 translations checked in 1 document: 0 findings; passed\n"
    );
}

#[test]
fn one_file_named_absolute_or_from_a_subfolder_brings_its_document() {
    let dir = project("folders");
    remove(&dir, "docs/de/guide.md");
    let tail = "1 translation checked in 1 document: 0 findings, 1 missing version; FAILED: 1 \
                missing version (guide [de])\n";
    // An absolute path, as CI tools pass.
    let abs = dir.join("docs/es/guide.md");
    let out = dir
        .paralign(["check", abs.to_str().unwrap()])
        .expect_code(1);
    assert!(out.stdout.ends_with(tail), "{}", out.stdout);
    assert!(out.stdout.contains(&format!(
        "  es {} (4 paragraphs): coverage 100.0% (4/4), ok\n",
        abs.display()
    )));
    // From a subfolder: paralign.toml is in the parent, the project is its folder.
    let out = paralign(["check", "es/guide.md"])
        .current_dir(dir.join("docs"))
        .expect_code(1);
    assert_eq!(
        out.stdout,
        format!(
            "guide: en ../docs/en/guide.md (4 paragraphs)\n\
             \x20 es es/guide.md (4 paragraphs): coverage 100.0% (4/4), ok\n\
             \x20 de (no file): coverage 0.0%\n\
             \x20   error    missing      de/guide.md: there is no de version of `guide` \
             (the file is expected here)\n\
             \n{tail}"
        )
    );
}

#[test]
fn a_project_kept_under_a_language_named_folder_is_not_that_language() {
    let dir = Dir::new();
    for l in ["en", "es"] {
        dir.copy_fixture(
            &format!("projects/suffix/docs/guide.{l}.md"),
            &format!("es/proj/guide.{l}.md"),
        );
    }
    dir.create("es/proj/paralign.toml", "languages = [\"es\"]\n");
    let out = paralign(["check", "."])
        .current_dir(dir.join("es/proj"))
        .expect_code(0);
    assert!(
        out.stdout
            .ends_with("1 translation checked in 1 document: 0 findings; passed\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_file_named_twice_is_read_once() {
    let out = paralign([
        "check",
        "docs/guide.es.md",
        "docs/guide.es.md",
        "./docs/guide.es.md",
        "docs",
    ])
    .current_dir(fixture("projects/suffix"))
    .expect_code(0);
    assert!(out.stdout.ends_with(COMPLETE), "{}", out.stdout);
    assert_eq!(out.stdout.matches("guide: en").count(), 1);
}

#[test]
fn language_folders_holding_suffixed_files_are_one_document() {
    let dir = Dir::new();
    dir.copy_fixture("projects/suffix/docs/guide.en.md", "en/guide.en.md");
    dir.copy_fixture("projects/suffix/docs/guide.es.md", "es/guide.es.md");
    let out = dir.paralign(["check", "."]).expect_code(0);
    assert_eq!(
        out.stdout,
        "guide: en ./en/guide.en.md (4 paragraphs)\n\
         \x20 es ./es/guide.es.md (4 paragraphs): coverage 100.0% (4/4), ok\n\
         \n\
         1 translation checked in 1 document: 0 findings; passed\n"
    );
}

#[test]
fn two_documents_of_one_name_are_told_apart_and_one_language_twice_is_an_error() {
    let dir = Dir::new();
    for d in ["a", "b"] {
        for l in ["en", "es"] {
            dir.copy_fixture(
                &format!("projects/suffix/docs/guide.{l}.md"),
                &format!("{d}/guide.{l}.md"),
            );
        }
    }
    let out = dir
        .paralign(["check", "a/guide.es.md", "b/guide.es.md"])
        .expect_code(0);
    assert!(
        out.stdout.starts_with("a/guide: en a/guide.en.md"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("\nb/guide: en b/guide.en.md"),
        "{}",
        out.stdout
    );
    // Regional variants are versions of their own; one tag twice is a mistake.
    dir.copy_fixture("projects/suffix/docs/guide.es.md", "a/guide.pt-BR.md");
    dir.copy_fixture("projects/suffix/docs/guide.es.md", "a/guide.pt-PT.md");
    dir.copy_fixture("projects/suffix/docs/guide.es.md", "a/guide.es.txt");
    let out = dir.paralign(["check", "a"]).expect_code(2);
    assert!(
        out.stdout.contains("  pt-BR a/guide.pt-BR.md"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("  pt-PT a/guide.pt-PT.md"),
        "{}",
        out.stdout
    );
    assert_eq!(
        out.stderr,
        "paralign: a/guide.es.txt: a second es version of `guide`: keep one file per language\n"
    );
}

// ---------------------------------------------------------------------------------------------
// Required languages without a config.

/// guide in English and Spanish, faq in English only.
fn neighbours() -> Dir {
    let dir = Dir::new();
    for (from, to) in [
        ("projects/suffix/docs/guide.en.md", "guide.en.md"),
        ("projects/suffix/docs/guide.es.md", "guide.es.md"),
        ("projects/suffix/docs/faq.en.md", "faq.en.md"),
    ] {
        dir.copy_fixture(from, to);
    }
    dir
}

#[test]
fn a_document_lacking_its_neighbours_language_is_missing_it() {
    let dir = neighbours();
    // A guess from the neighbours is reported, and fails only once the project says so.
    let out = dir.paralign(["check", "faq.en.md"]).expect_code(0);
    assert_eq!(
        out.stdout,
        "faq: en faq.en.md (3 paragraphs)\n\
         \x20 note: only one language version (en) found\n\
         \x20 es (no file): coverage 0.0%\n\
         \x20   warning  missing      faq.es.md: there is no es version of `faq` (the file is \
         expected here); the documents beside it have one (declare the project's languages to \
         require it)\n\
         \n\
         0 translations checked in 1 document: 0 findings, 1 missing version; passed\n"
    );
    dir.paralign(["check", "faq.en.md", "--languages", "es"])
        .expect_code(1);
    let out = dir
        .paralign(["check", "faq.en.md", "--min-coverage", "90"])
        .expect_code(1);
    assert!(
        out.stdout.ends_with(
            "0 translations checked in 1 document: 0 findings, 1 missing version; FAILED: 1 \
             missing version (faq [es])\n"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn languages_flag_and_per_language_minimum_require_a_file() {
    let dir = neighbours();
    let out = dir
        .paralign(["check", "guide.en.md", "--languages", "es,fr"])
        .expect_code(1);
    assert!(out.stdout.ends_with(
        "1 translation checked in 1 document: 0 findings, 1 missing version; FAILED: 1 missing version (guide [fr])\n"
    ), "{}", out.stdout);
    // No German file at all: --min-coverage de=100 fails.
    let out = dir
        .paralign(["check", "guide.en.md", "--min-coverage", "de=100"])
        .expect_code(1);
    assert!(
        out.stdout
            .contains("error: guide [de]: coverage 0.0% is under the minimum 100.0%\n"),
        "{}",
        out.stdout
    );
    dir.paralign(["check", "guide.en.md", "--languages", "es"])
        .expect_code(0);
}

#[test]
fn a_lone_file_with_a_minimum_coverage_fails() {
    let dir = Dir::new();
    dir.copy_fixture("projects/suffix/docs/faq.en.md", "faq.en.md");
    let out = dir
        .paralign([
            "check",
            "faq.en.md",
            "--fail-on",
            "all",
            "--min-coverage",
            "100",
        ])
        .expect_code(1);
    assert!(out.stdout.ends_with(
        "0 translations checked in 1 document: 0 findings; FAILED: no translation to measure the \
         minimum coverage on: faq (declare the languages: languages = [...] in paralign.toml or \
         --languages)\n"
    ), "{}", out.stdout);
}

#[test]
fn coverage_summary_names_language_and_threshold() {
    let dir = util::statement_with_defect("missing.es.txt");
    let out = dir
        .paralign(["check", ".", "--fail-on", "none", "--min-coverage", "95"])
        .expect_code(1);
    assert!(
        out.stdout.ends_with(
            "1 translation checked in 1 document: 1 finding; FAILED: coverage under the minimum: \
             statement [es] 93.8% < 95.0%\n"
        ),
        "{}",
        out.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// No silent guesses.

#[test]
fn unknown_extension_is_refused_with_the_formats_read() {
    let dir = Dir::new();
    for name in [
        "strings.json",
        "page.rtf",
        "messages.es.po",
        "film.srt",
        "conf.yaml",
    ] {
        dir.create(name, "Hola\n");
        let out = dir.paralign(["check", name]).expect_code(2);
        assert_eq!(
            out.stderr,
            format!(
                "paralign: {name}: paralign reads .txt, .md, .markdown, .html, .htm, .docx and .odt files (plain \
                 text, Markdown, HTML, Word and OpenDocument text); this is not one of them\n"
            )
        );
    }
}

#[test]
fn a_language_like_name_part_gets_a_hint() {
    let dir = Dir::new();
    dir.copy_fixture("projects/suffix/docs/faq.en.md", "h.jp.txt");
    let out = dir.paralign(["check", "h.jp.txt"]).expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: h.jp.txt: `jp` is not a language tag: did you mean `ja` (h.ja.txt)?\n"
    );
    dir.copy_fixture("projects/suffix/docs/faq.en.md", "handbook-es.txt");
    let out = dir.paralign(["check", "handbook-es.txt"]).expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: handbook-es.txt: this file has no language in its name as paralign reads it: \
         if it is the `es` version, name it handbook.es.txt\n"
    );
    // In a folder, the same names are warnings: the rest is still checked.
    dir.copy_fixture("projects/suffix/docs/faq.en.md", "faq.en.txt");
    dir.copy_fixture("projects/suffix/docs/faq.es.md", "faq.es.txt");
    let out = dir.paralign(["check", "."]).expect_code(0);
    assert_eq!(
        out.stderr,
        "paralign: warning: ./h.jp.txt: `jp` is not a language tag: did you mean `ja` (h.ja.txt)?\n\
         paralign: warning: ./handbook-es.txt: this file has no language in its name as paralign \
         reads it: if it is the `es` version, name it handbook.es.txt\n"
    );
}

// ---------------------------------------------------------------------------------------------
// Reports for pipelines.

#[test]
fn one_run_writes_junit_sarif_and_html_and_prints_the_console_report() {
    let dir = project("folders");
    remove(&dir, "docs/de/faq.md");
    let out = dir
        .paralign([
            "check",
            ".",
            "--report",
            "junit=out/j.xml",
            "--report",
            "sarif=out/r.sarif",
            "--report",
            "html=out/r.html",
        ])
        .run();
    // out/ does not exist: nothing is half-written, the run says so.
    assert_eq!(out.code, 2, "{}", out.stderr);
    dir.create_dir("out");
    let out = dir
        .paralign([
            "check",
            ".",
            "--report",
            "junit=out/j.xml",
            "--report",
            "sarif=out/r.sarif",
            "--report",
            "html=out/r.html",
        ])
        .expect_code(1);
    assert!(out
        .stdout
        .starts_with("faq: en ./docs/en/faq.md (3 paragraphs)\n"));
    assert!(out.stdout.ends_with(
        "3 translations checked in 2 documents: 0 findings, 1 missing version; FAILED: 1 missing version (faq [de])\n"
    ), "{}", out.stdout);
    let junit = dir.read("out/j.xml");
    assert!(junit.contains(
        "<testcase classname=\"paralign.faq\" name=\"faq [de]\" file=\"./docs/de/faq.md\">\n      \
         <failure message=\"no de version (en → de)\" type=\"paralign\">missing ./docs/de/faq.md: \
         there is no de version of `faq` (the file is expected here)</failure>"
    ), "{junit}");
    assert!(
        junit.contains("<testsuites name=\"paralign\" tests=\"4\" failures=\"1\" errors=\"0\">")
    );
    let sarif: serde_json::Value = serde_json::from_str(&dir.read("out/r.sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], "missing");
    assert_eq!(results[0]["level"], "error");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "./docs/de/faq.md"
    );
    let html = dir.read("out/r.html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(
        "<p class=\"verdict fail\">missing: ./docs/de/faq.md: there is no de version of `faq` (the file is expected here)</p>"
    ));
}

#[test]
fn a_report_written_to_a_file_leaves_a_summary_line() {
    let dir = project("suffix");
    remove(&dir, "docs/faq.de.md");
    let out = dir
        .paralign(["check", ".", "--format", "junit", "-o", "j.xml"])
        .expect_code(1);
    assert_eq!(
        out.stdout,
        "3 translations checked in 2 documents: 0 findings, 1 missing version; FAILED: 1 missing \
         version (faq [de])\n"
    );
    assert!(dir.read("j.xml").starts_with("<?xml"));
}

#[test]
fn report_flag_is_checked_before_any_work() {
    let out = paralign(["check", "fixtures/statement", "--report", "pdf=x.pdf"]).expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: --report: `pdf` is not a format; use one of text, json, github, junit, sarif, \
         html, markdown, gitlab\n"
    );
    let out = paralign(["check", "fixtures/statement", "--report", "junit"]).expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: --report: `junit` is not FORMAT=PATH (junit=report.xml); formats: text, json, \
         github, junit, sarif, html, markdown, gitlab\n"
    );
    assert_eq!(out.stdout, "");
}

#[test]
fn github_format_writes_the_job_summary() {
    let dir = project("suffix");
    remove(&dir, "docs/faq.de.md");
    dir.create("summary.md", "previous step\n");
    let out = dir
        .paralign(["check", "docs", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", dir.join("summary.md"))
        .expect_code(1);
    assert_eq!(
        out.stdout,
        "::error title=paralign%3A missing (de)::docs/faq.de.md: there is no de version of `faq` \
         (the file is expected here)\n\
         paralign: 3 translations checked in 2 documents: 0 findings, 1 missing version; FAILED: \
         1 missing version (faq [de])\n"
    );
    assert_eq!(
        dir.read("summary.md"),
        "previous step\n\
         ## paralign: FAILED\n\
         \n\
         3 translations checked in 2 documents: 0 findings, 1 missing version; **FAILED: 1 \
         missing version (faq \\[de\\])**\n\
         \n\
         | Document | Language | Coverage | Findings | State |\n\
         |---|---|---:|---:|---|\n\
         | faq | es | 100.0% | 0 | ok |\n\
         | faq | de | 0.0% | no file: docs/faq.de.md | fails |\n\
         | guide | de | 100.0% | 0 | ok |\n\
         | guide | es | 100.0% | 0 | ok |\n\
         \n\
         ### What fails\n\
         \n\
         - missing: docs/faq.de.md: there is no de version of \\`faq\\` (the file is expected here)\n"
    );
}

#[test]
fn gitlab_code_quality() {
    let dir = util::statement_with_defect("missing.es.txt");
    let out = dir
        .paralign(["check", ".", "--format", "gitlab"])
        .expect_code(1);
    let issues: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), 1);
    let i = &issues[0];
    assert_eq!(i["check_name"], "paralign/missing");
    assert_eq!(i["severity"], "major");
    assert_eq!(i["location"]["path"], "./statement.es.txt");
    assert_eq!(i["location"]["lines"]["begin"], 22);
    assert_eq!(
        i["description"],
        "paragraph 7 of the en source (./statement.en.txt:25) has no es translation"
    );
    assert_eq!(i["fingerprint"].as_str().unwrap().len(), 16);
    // The fingerprint does not depend on where the run happens.
    let again = util::statement_with_defect("missing.es.txt")
        .paralign(["check", ".", "--format", "gitlab"])
        .expect_code(1);
    assert_eq!(out.stdout, again.stdout);
}
