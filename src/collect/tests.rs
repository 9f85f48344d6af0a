//! The collector on real folders: which files make which document sets, in which languages,
//! under which names, and what is reported about the rest. Each case builds its tree in a
//! temporary folder and checks the whole outcome.

use std::fs;
use std::path::{Path, PathBuf};

use super::*;

/// A tree of files (`path`, text) under a new temporary folder.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    dir
}

/// Each set as `id: lang=relative path (paragraphs), ...`, and each error and warning with the
/// temporary folder's path taken out.
fn outcome(c: &Collection, root: &Path) -> (Vec<String>, Vec<String>, Vec<String>) {
    let strip = |s: String| s.replace(&format!("{}/", root.display()), "");
    let sets = c
        .sets
        .iter()
        .map(|s| {
            let versions: Vec<String> = s
                .versions
                .iter()
                .map(|v| {
                    let path = strip(v.doc.path.clone());
                    format!("{}={path} ({})", v.lang, v.doc.paragraphs.len())
                })
                .collect();
            let split = if s.split { " [split]" } else { "" };
            format!("{}{split}: {}", s.id, versions.join(", "))
        })
        .collect();
    let errors = c.errors.iter().map(|e| strip(e.to_string())).collect();
    let warnings = c.warnings.iter().map(|e| strip(e.to_string())).collect();
    (sets, errors, warnings)
}

fn run(dir: &tempfile::TempDir, named: &[&str], opts: &WalkOptions) -> Collection {
    let paths: Vec<PathBuf> = named.iter().map(|n| dir.path().join(n)).collect();
    collect_with(&paths, opts)
}

const EN: &str = "Title\n\n1. The first paragraph of the text.\n\n2. The second one.\n";
const ES: &str = "Título\n\n1. El primer párrafo del texto.\n\n2. El segundo.\n";
const FR: &str = "Titre\n\n1. Le premier paragraphe du texte.\n";

#[test]
fn versions_beside_each_other_make_one_set_per_name() {
    let dir = tree(&[
        ("statement.en.txt", EN),
        ("statement.es.txt", ES),
        ("guide.en.md", EN),
        ("guide.fr.md", FR),
    ]);
    let c = run(&dir, &[""], &WalkOptions::default());
    let (sets, errors, warnings) = outcome(&c, dir.path());
    assert_eq!(
        sets,
        [
            "guide: en=guide.en.md (3), fr=guide.fr.md (2)",
            "statement: en=statement.en.txt (3), es=statement.es.txt (3)",
        ]
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(c.xliff.is_empty());
}

#[test]
fn one_folder_per_language_at_any_depth() {
    let dir = tree(&[
        ("docs/en/guide.md", EN),
        ("docs/es/guide.md", ES),
        ("docs/en/faq/intro.md", EN),
        ("docs/fr/faq/intro.md", FR),
    ]);
    let c = run(&dir, &["docs"], &WalkOptions::default());
    let (sets, errors, warnings) = outcome(&c, dir.path());
    assert_eq!(
        sets,
        [
            "faq/intro: en=docs/en/faq/intro.md (3), fr=docs/fr/faq/intro.md (2)",
            "guide: en=docs/en/guide.md (3), es=docs/es/guide.md (3)",
        ]
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        c.placements["guide"].expected_path(&LangTag::parse("de").unwrap()),
        Some(dir.path().join("docs/de/guide.md").display().to_string())
    );
}

#[test]
fn a_file_named_alone_brings_its_whole_document_when_asked() {
    let dir = tree(&[
        ("statement.en.txt", EN),
        ("statement.es.txt", ES),
        ("other.en.txt", EN),
    ]);
    let alone = run(&dir, &["statement.es.txt"], &WalkOptions::default());
    let whole = run(
        &dir,
        &["statement.es.txt"],
        &WalkOptions {
            root: Some(dir.path().to_path_buf()),
            whole_documents: true,
            ..WalkOptions::default()
        },
    );
    assert_eq!(
        outcome(&alone, dir.path()).0,
        ["statement: es=statement.es.txt (3)"]
    );
    assert_eq!(
        outcome(&whole, dir.path()).0,
        ["statement: en=statement.en.txt (3), es=statement.es.txt (3)"]
    );
}

#[test]
fn two_documents_of_one_name_are_told_apart_by_their_folder() {
    let dir = tree(&[
        ("a/note.en.txt", EN),
        ("a/note.es.txt", ES),
        ("b/note.en.txt", EN),
        ("b/note.fr.txt", FR),
    ]);
    let c = run(&dir, &[""], &WalkOptions::default());
    assert_eq!(
        outcome(&c, dir.path()).0,
        [
            "a/note: en=a/note.en.txt (3), es=a/note.es.txt (3)",
            "b/note: en=b/note.en.txt (3), fr=b/note.fr.txt (2)",
        ]
    );
}

#[test]
fn a_declared_pattern_places_files_the_names_do_not() {
    let dir = tree(&[
        ("i18n/en/pages/home.txt", EN),
        ("i18n/es/pages/home.txt", ES),
    ]);
    let opts = WalkOptions {
        root: Some(dir.path().to_path_buf()),
        layout: Layout::new(&["i18n/{lang}/{path}".to_string()], &[], &[], &[]).unwrap(),
        ..WalkOptions::default()
    };
    let c = run(&dir, &["i18n"], &opts);
    let (sets, errors, _) = outcome(&c, dir.path());
    assert_eq!(
        sets,
        ["pages/home: en=i18n/en/pages/home.txt (3), es=i18n/es/pages/home.txt (3)"]
    );
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn what_is_not_a_document_is_reported_and_the_rest_still_read() {
    let dir = tree(&[
        ("statement.en.txt", EN),
        ("statement.es.txt", ES),
        ("statement.de.pdf", "%PDF-1.4"),
        ("broken.en.txt", ""),
        ("broken.es.txt", ES),
        ("units.xlf", "<xliff/>"),
        ("empty/.keep", ""),
    ]);
    let c = run(&dir, &["", "empty", "missing"], &WalkOptions::default());
    let (sets, errors, warnings) = outcome(&c, dir.path());
    assert_eq!(
        sets,
        [
            "broken: es=broken.es.txt (3)",
            "statement: en=statement.en.txt (3), es=statement.es.txt (3)",
        ]
    );
    let broken: Vec<String> = c.sets[0].errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        broken,
        [format!(
            "{}: the file holds no text",
            dir.path().join("broken.en.txt").display()
        )]
    );
    assert_eq!(
        errors,
        [
            "missing: no such file or folder",
            "empty: no language versions here: name files NAME.LANG.EXT (statement.en.txt, \
             statement.es.txt) or keep one folder per language (en/statement.txt, es/statement.txt)",
        ]
    );
    assert_eq!(
        warnings,
        [
            "statement.de.pdf: not read: paralign reads .txt, .md, .markdown, .html, .htm, .docx \
          and .odt files, and this looks like a language version"
        ]
    );
    assert_eq!(c.xliff, [dir.path().join("units.xlf")]);
}
