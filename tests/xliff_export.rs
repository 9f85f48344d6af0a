//! `export --format xliff` writes every paragraph of a document: a sound translation as a
//! target in state `final` (2.0 segment, 1.2 target), a flagged one in 2.0 `translated` with
//! paralign's flags in `subState` and in 1.2 `needs-review-translation`, a paragraph with no
//! translation without target in 2.0 (`initial`) and with an empty 1.2 target `new`.
//! `--only FLAG,...` takes any flag and keeps the paragraphs whose pair has one of them.

mod util;

use paralign::exchange::read_xliff;
use util::Dir;

/// A memory with the English statement and the Spanish version `defect` (from fixtures/defects).
fn memory(defect: &str) -> Dir {
    let dir = util::statement_with_defect(defect);
    dir.paralign(["import", ".", "--db", "m.sqlite"])
        .expect_code(0);
    dir
}

/// Each unit as read back: id, state, target.
fn units(dir: &Dir, file: &str) -> Vec<(String, Option<String>, Option<String>)> {
    let x = read_xliff(dir.read(file).as_bytes()).unwrap();
    x.units
        .into_iter()
        .map(|u| (u.id, u.state, u.target))
        .collect()
}

fn export(dir: &Dir, extra: &[&str]) -> util::Output {
    let mut args = vec![
        "export", "--db", "m.sqlite", "--format", "xliff", "--lang", "es",
    ];
    args.extend_from_slice(extra);
    dir.paralign(args).run()
}

#[test]
fn every_paragraph_goes_out_final_but_the_missing_one() {
    let dir = memory("missing.es.txt");
    for version in ["2.0", "1.2"] {
        let file = format!("all.{version}.xlf");
        let out = export(&dir, &["--xliff-version", version, "-o", &file]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_eq!(
            out.stdout,
            format!("exported 16 paragraphs (1 to translate) from 1 document into es to {file} (XLIFF {version}), 0 with a suggestion\n")
        );
        let units = units(&dir, &file);
        assert_eq!(units.len(), 16);
        for (i, (id, state, target)) in units.iter().enumerate() {
            assert_eq!(id, &format!("p{i}"));
            if i == 8 {
                // 2.0: no target, state initial; 1.2: an empty target `new` (read as initial).
                assert_eq!(state.as_deref(), Some("initial"), "{version} p8");
                let empty = (version == "1.2").then(String::new);
                assert_eq!(target, &empty, "{version} p8");
            } else {
                assert_eq!(state.as_deref(), Some("final"), "{version} {id}");
                assert!(target.as_deref().is_some_and(|t| !t.is_empty()));
            }
        }
    }
    let text = dir.read("all.1.2.xlf");
    assert_eq!(text.matches("<target state=\"final\">").count(), 15);
    assert_eq!(text.matches("<target state=\"new\"></target>").count(), 1);
    let text = dir.read("all.2.0.xlf");
    assert_eq!(
        text.matches("<segment id=\"s1\" state=\"final\">").count(),
        15
    );
    assert_eq!(
        text.matches("<segment id=\"s1\" state=\"initial\">")
            .count(),
        1
    );
}

#[test]
fn a_flagged_translation_goes_out_for_review_and_only_takes_any_flag() {
    let dir = memory("changed-number.es.txt");
    let out = export(&dir, &["--only", "diverging", "-o", "d.xlf"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "exported 1 paragraph (0 to translate) from 1 document into es to d.xlf (XLIFF 2.0), 0 with a suggestion\n"
    );
    let text = dir.read("d.xlf");
    assert!(
        text.contains("<segment id=\"s1\" state=\"translated\" subState=\"paralign:diverging\">"),
        "{text}"
    );
    assert!(text.contains("<mda:meta type=\"flags\">diverging</mda:meta>"));
    let u = units(&dir, "d.xlf");
    assert_eq!(u.len(), 1);
    assert_eq!(u[0].0, "p4");
    assert!(u[0].2.as_deref().unwrap().contains("16,1 millones"));
    let out = export(
        &dir,
        &[
            "--only",
            "diverging",
            "--xliff-version",
            "1.2",
            "-o",
            "d12.xlf",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = dir.read("d12.xlf");
    assert!(
        text.contains("<target state=\"needs-review-translation\">3."),
        "{text}"
    );
    assert!(
        text.contains("state: flagged; line: 13; flags: diverging; label: 3</note>"),
        "{text}"
    );
    // The units to translate, as the export gave them before: none here.
    let out = export(
        &dir,
        &["--only", "missing,untranslated,outdated", "-o", "t.xlf"],
    );
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (
            0,
            "no paragraph with those flags to export into es: no file written\n"
        )
    );
    assert!(!dir.join("t.xlf").exists());
}

#[test]
fn only_refuses_what_is_no_flag_and_names_the_flags() {
    let dir = memory("missing.es.txt");
    for bad in ["final", "missing,nope", ","] {
        let out = export(&dir, &["--only", bad, "-o", "x.xlf"]);
        assert_eq!(out.code, 2, "{bad}");
        let want = match bad {
            "," => "paralign: --only: name at least one flag: missing, extra, untranslated, diverging, misnumbered, reordered, outdated",
            "final" => "paralign: --only: `final` is not a flag; use missing, extra, untranslated, diverging, misnumbered, reordered, outdated",
            _ => "paralign: --only: `nope` is not a flag; use missing, extra, untranslated, diverging, misnumbered, reordered, outdated",
        };
        assert_eq!(out.stderr_lines(), [want], "{bad}");
        assert!(!dir.join("x.xlf").exists());
    }
}

#[test]
fn an_exported_file_checks_as_its_document_pair() {
    // The whole-document export read back by `check`: the one missing paragraph.
    let dir = memory("missing.es.txt");
    assert_eq!(export(&dir, &["-o", "all.xlf"]).code, 0);
    let json = dir
        .paralign(["check", "all.xlf", "--format", "json", "--fail-on", "none"])
        .expect_code(0)
        .json();
    let flagged = util::flagged(&util::pairs(&json, 0, 0));
    assert_eq!(flagged, vec![util::pair(&[8], &[], &["missing"], &[])]);
}
