//! Hostile files: the corpus of `tests/hostile/` (written by `tests/hostile/generate.py`, listed
//! with the expected exit code and message in `tests/hostile/cases.tsv`), every truncation of a
//! small TMX and XLIFF file, and what a refused file leaves behind (nothing).

mod util;

use std::path::Path;

use paralign::exchange::{read_tmx, read_xliff, ReadOptions};
use util::{root, Dir};

/// The message every entity bomb must end with (libxml2's words).
const AMPLIFICATION: &str = "maximum entity amplification factor exceeded";

struct Case {
    file: String,
    command: String,
    args: Vec<String>,
    code: i32,
    message: String,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(root().join("tests/hostile/cases.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 5, "{l}");
            Case {
                file: f[0].into(),
                command: f[1].into(),
                args: f[2].split_whitespace().map(String::from).collect(),
                code: f[3].parse().unwrap(),
                message: if f[4] == "AMPLIFICATION" {
                    AMPLIFICATION.into()
                } else {
                    f[4].into()
                },
            }
        })
        .collect()
}

/// How many segments a memory holds (0 when there is no file).
fn segments_in(db: &Path) -> usize {
    if !db.exists() {
        return 0;
    }
    let store = paralign::store::Store::open_read_only(db).unwrap();
    store.sizes().unwrap().2
}

#[test]
fn every_corpus_case_exits_and_says_what_cases_tsv_says() {
    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    for c in &cases {
        let dir = Dir::new();
        let db = dir.join("m.sqlite");
        let file = root().join("tests/hostile/corpus").join(&c.file);
        let mut args = vec![c.command.clone(), file.display().to_string()];
        args.extend(c.args.iter().cloned());
        args.extend(["--db".to_string(), db.display().to_string()]);
        let out = util::paralign(&args).expect_code(c.code);
        let said = format!("{}{}", out.stdout, out.stderr);
        assert!(
            said.contains(&c.message),
            "{}: expected `{}` in:\n{said}",
            c.file,
            c.message
        );
        if c.code == 2 {
            // One line naming the file and the place.
            let line = out.stderr.lines().next().unwrap_or_default();
            let prefix = format!("paralign: {}:", file.display());
            assert!(line.starts_with(&prefix), "{}: {line}", c.file);
            assert_eq!(
                segments_in(&db),
                0,
                "{}: a refused file stored segments",
                c.file
            );
        }
    }
}

#[test]
fn the_bombs_stop_before_their_text_is_made() {
    // Read in-process too: each bomb fails with the amplification message, never a panic or an
    // allocation failure.
    for c in cases()
        .iter()
        .filter(|c| c.message == AMPLIFICATION && c.args.is_empty())
    {
        let bytes = std::fs::read(root().join("tests/hostile/corpus").join(&c.file)).unwrap();
        let err = if c.file.ends_with(".tmx") {
            read_tmx(&bytes[..], ReadOptions::default())
                .unwrap()
                .find_map(|u| u.err())
                .unwrap()
        } else {
            read_xliff(&bytes[..]).unwrap_err()
        };
        assert!(err.to_string().contains(AMPLIFICATION), "{}: {err}", c.file);
    }
}

/// The small file's bytes, without the final line feed (the shortest complete document).
fn small(name: &str) -> Vec<u8> {
    let mut b = std::fs::read(root().join("tests/hostile/corpus").join(name)).unwrap();
    assert_eq!(b.pop(), Some(b'\n'));
    b
}

#[test]
fn every_truncation_of_a_small_tmx_is_refused() {
    let full = small("small.tmx");
    let whole: Vec<_> = read_tmx(&full[..], ReadOptions::default())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(whole.len(), 2);
    for cut in 0..full.len() {
        let prefix = &full[..cut];
        let err = match read_tmx(prefix, ReadOptions::default()) {
            Err(e) => e,
            Ok(r) => r
                .collect::<Result<Vec<_>, _>>()
                .err()
                .unwrap_or_else(|| panic!("cut at {cut} was accepted")),
        };
        let msg = err.to_string();
        assert!(
            msg.contains("cut short")
                || msg.contains("malformed XML")
                || msg.contains("not a TMX file")
                || msg.contains("malformed attribute"),
            "cut at {cut}: {msg}"
        );
        assert!(err.line().is_some(), "cut at {cut}: no line in {msg}");
    }
}

#[test]
fn every_truncation_of_a_small_xliff_is_refused() {
    for name in ["small.xlf", "small-1.2.xlf"] {
        every_truncation_of_an_xliff_is_refused(name);
    }
}

fn every_truncation_of_an_xliff_is_refused(name: &str) {
    let full = small(name);
    assert_eq!(read_xliff(&full[..]).unwrap().units.len(), 2, "{name}");
    for cut in 0..full.len() {
        let err = read_xliff(&full[..cut])
            .err()
            .unwrap_or_else(|| panic!("{name} cut at {cut} was accepted"));
        let msg = err.to_string();
        assert!(
            msg.contains("cut short")
                || msg.contains("malformed XML")
                || msg.contains("not an XLIFF file")
                || msg.contains("malformed attribute"),
            "{name} cut at {cut}: {msg}"
        );
        assert!(
            err.line().is_some(),
            "{name} cut at {cut}: no line in {msg}"
        );
    }
}

#[test]
fn truncated_files_exit_2_from_the_command_line() {
    // Every 17th offset through the binary (every offset is read in-process above).
    let dir = Dir::new();
    let db = dir.join("m.sqlite");
    for (name, command) in [
        ("small.tmx", "import-tmx"),
        ("small.xlf", "import-xliff"),
        ("small-1.2.xlf", "import-xliff"),
    ] {
        let full = small(name);
        for cut in (0..full.len()).step_by(17) {
            let path = dir.create(&format!("cut-{cut}-{name}"), &full[..cut]);
            let out = util::paralign([
                command,
                path.to_str().unwrap(),
                "--db",
                db.to_str().unwrap(),
            ])
            .expect_code(2);
            assert!(
                out.stderr
                    .starts_with(&format!("paralign: {}", path.display())),
                "{}",
                out.stderr
            );
        }
    }
    assert_eq!(segments_in(&db), 0);
}

#[test]
fn a_device_is_not_read_as_a_tmx_file() {
    let dir = Dir::new();
    let out = dir
        .paralign(["import-tmx", "/dev/zero", "--db", "m.sqlite"])
        .expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: /dev/zero: is a device or socket, not a file; name a .tmx file\n"
    );
    assert!(!dir.join("m.sqlite").exists());
}

#[test]
fn control_characters_never_reach_the_terminal() {
    // U+009B is CSI, a control sequence start to many terminals: a text document may hold it.
    // It is stored as U+FFFD, as from TMX; a folder's name is printed escaped.
    let dir = Dir::new();
    let folder = "x\ny";
    dir.create(
        &format!("{folder}/d.en.txt"),
        "The fares rise \u{9b}31m red today.\n\nWages fall.\n",
    );
    dir.create(
        &format!("{folder}/d.es.txt"),
        "Las tarifas suben \u{9b}31m rojo hoy.\n\nLos salarios bajan.\n",
    );
    dir.paralign(["import", folder, "--db", "m.sqlite"])
        .expect_code(0);
    let raw = |s: &str| s.chars().any(|c| c.is_control() && c != '\n' && c != '\t');
    let segments = dir.paralign(["segments", "--db", "m.sqlite"]).stdout();
    assert!(
        segments.contains("  en: The fares rise \u{FFFD}31m red today.\n"),
        "{segments}"
    );
    assert!(
        segments.contains("  es: Las tarifas suben \u{FFFD}31m rojo hoy.\n"),
        "{segments}"
    );
    let lookup = dir
        .paralign([
            "lookup",
            "The fares rise red today.",
            "--to",
            "es",
            "--db",
            "m.sqlite",
        ])
        .stdout();
    assert!(
        lookup.contains("  en: The fares rise [-\u{FFFD}31m-] red today.\n"),
        "{lookup}"
    );
    assert!(
        lookup.contains("  es: Las tarifas suben \u{FFFD}31m rojo hoy.\n"),
        "{lookup}"
    );
    let tsv = dir
        .paralign(["export", "--format", "tsv", "--db", "m.sqlite"])
        .stdout();
    assert!(tsv.contains("The fares rise \u{FFFD}31m red today.\tLas tarifas suben \u{FFFD}31m rojo hoy.\ten\tes\td\t"), "{tsv}");
    let report = dir.paralign(["check", folder, "--no-config"]).stdout();
    assert!(
        report.contains("d: en x\\u000ay/d.en.txt (2 paragraphs)\n"),
        "{report}"
    );
    for out in [&segments, &lookup, &tsv, &report] {
        assert!(!raw(out), "{out:?}");
    }
}

#[test]
fn c1_controls_from_tmx_are_stored_as_replacement_characters() {
    let dir = Dir::new();
    let tmx = std::fs::read_to_string(root().join("tests/hostile/corpus/small.tmx"))
        .unwrap()
        .replace("Fares rise.", "Fares\u{85} rise\u{9b}.");
    dir.create("c1.tmx", tmx);
    dir.paralign(["import-tmx", "c1.tmx", "--db", "m.sqlite"])
        .expect_code(0);
    let tsv = dir
        .paralign(["export", "--format", "tsv", "--db", "m.sqlite"])
        .stdout();
    assert!(
        tsv.contains("Fares\u{FFFD} rise\u{FFFD}.\tSuben las tarifas."),
        "{tsv}"
    );
}

#[test]
fn status_of_a_document_with_only_tmx_segments_says_so() {
    let dir = Dir::new();
    dir.create(
        "v.tmx",
        std::fs::read(root().join("tests/hostile/corpus/small.tmx")).unwrap(),
    );
    dir.paralign(["import-tmx", "v.tmx", "--db", "m.sqlite"])
        .expect_code(0);
    let out = dir
        .paralign(["status", "v.tmx", "--db", "m.sqlite"])
        .expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: the document `v.tmx` in the memory m.sqlite holds only segments imported from a TMX or XLIFF file, no aligned versions to show; `paralign segments --doc v.tmx` lists them\n"
    );
}
