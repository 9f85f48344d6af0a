//! `import-xliff --write-docs`: documents are written under the folder the XLIFF export
//! recorded (or `--root`), wherever the command runs; never outside it; through symlinks;
//! keeping the file's mode. And a summary that cannot be printed after a commit is an error
//! that says the import is committed, not a panic.

mod util;

use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};

use util::Dir;

/// Import the statement (its Spanish version lacks a paragraph) from `from` (paths as given),
/// export the paragraphs to translate as XLIFF and fill them in: returns the filled file.
fn filled_xliff(dir: &Path, paths: &str) -> String {
    let ok = |args: &[&str]| {
        util::paralign(args).current_dir(dir).expect_code(0);
    };
    ok(&["import", "--db", "m.sqlite", paths]);
    ok(&[
        "export", "--db", "m.sqlite", "--format", "xliff", "--lang", "es", "-o", "todo.xlf",
    ]);
    let text = fs::read_to_string(dir.join("todo.xlf")).unwrap();
    assert!(
        text.contains(&format!("paralign:root=\"{}\"", dir.display())),
        "{text}"
    );
    let filled = text.replace(
        "</source>\n      </segment>",
        "</source>\n        <target>TRADUCIDO.</target>\n      </segment>",
    );
    assert_ne!(filled, text);
    fs::write(dir.join("done.xlf"), &filled).unwrap();
    dir.join("done.xlf").display().to_string()
}

#[test]
fn documents_are_written_under_the_recorded_root_wherever_it_runs() {
    let dir = util::statement_with_defect("missing.es.txt");
    let xlf = filled_xliff(dir.path(), ".");
    let db = dir.join("m.sqlite").display().to_string();
    // The Spanish version is a symlink to a file elsewhere in the project, mode 0640.
    let es = fs::read(dir.join("statement.es.txt")).unwrap();
    fs::create_dir(dir.join("shared")).unwrap();
    fs::write(dir.join("shared/es.txt"), &es).unwrap();
    fs::set_permissions(dir.join("shared/es.txt"), fs::Permissions::from_mode(0o640)).unwrap();
    fs::remove_file(dir.join("statement.es.txt")).unwrap();
    symlink("shared/es.txt", dir.join("statement.es.txt")).unwrap();
    let elsewhere = Dir::new();
    let out = elsewhere
        .paralign(["import-xliff", &xlf, "--db", &db, "--write-docs"])
        .expect_code(0);
    assert!(out.stdout.contains("1 new"), "{}", out.stdout);
    assert!(
        fs::read_dir(elsewhere.path()).unwrap().next().is_none(),
        "wrote into the current folder"
    );
    let link = fs::symlink_metadata(dir.join("statement.es.txt")).unwrap();
    assert!(link.file_type().is_symlink(), "the symlink was replaced");
    let written = fs::read_to_string(dir.join("shared/es.txt")).unwrap();
    assert!(written.contains("\n\nTRADUCIDO.\n\n"), "{written}");
    let mode = fs::metadata(dir.join("shared/es.txt"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
}

#[test]
fn a_path_that_leaves_the_root_is_not_written() {
    let top = Dir::new();
    top.copy_fixture("statement/statement.en.txt", "docs/statement.en.txt");
    top.create(
        "docs/statement.es.txt",
        util::fixture_bytes("defects/missing.es.txt"),
    );
    let project = top.create_dir("project");
    // Imported from project/ as ../docs: the memory's paths climb out of the project.
    let xlf = filled_xliff(&project, "../docs");
    let before = fs::read(top.join("docs/statement.es.txt")).unwrap();
    let out = util::paralign(["import-xliff", &xlf, "--db", "m.sqlite", "--write-docs"])
        .current_dir(&project)
        .expect_code(2);
    assert!(
        out.stderr
            .contains("the memory's path `../docs/statement.es.txt` leaves the document root"),
        "{}",
        out.stderr
    );
    assert_eq!(fs::read(top.join("docs/statement.es.txt")).unwrap(), before);
    // --root names the folder the paths are relative to; they still leave it.
    util::paralign([
        "import-xliff",
        &xlf,
        "--db",
        "m.sqlite",
        "--write-docs",
        "--root",
        project.to_str().unwrap(),
    ])
    .current_dir(&project)
    .expect_code(2);
    assert_eq!(fs::read(top.join("docs/statement.es.txt")).unwrap(), before);
}

#[test]
fn a_symlink_out_of_the_root_is_not_written_through() {
    let dir = util::statement_with_defect("missing.es.txt");
    let xlf = filled_xliff(dir.path(), ".");
    let outside = Dir::new();
    let secret = outside.create("secret.txt", "do not touch\n");
    fs::remove_file(dir.join("statement.es.txt")).unwrap();
    symlink(&secret, dir.join("statement.es.txt")).unwrap();
    let out = dir
        .paralign(["import-xliff", &xlf, "--db", "m.sqlite", "--write-docs"])
        .expect_code(2);
    assert!(
        out.stderr.contains("leaves the document root"),
        "{}",
        out.stderr
    );
    assert_eq!(fs::read_to_string(&secret).unwrap(), "do not touch\n");
}

#[test]
fn a_full_stdout_after_a_commit_is_an_error_not_a_panic() {
    let dir = Dir::new();
    dir.create(
        "small.tmx",
        fs::read(util::root().join("tests/hostile/corpus/small.tmx")).unwrap(),
    );
    let out = Command::new(env!("CARGO_BIN_EXE_paralign"))
        .args(["import-tmx", "small.tmx", "--db", "m.sqlite"])
        .current_dir(dir.path())
        .stdout(fs::File::create("/dev/full").unwrap())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("paralign: cannot write the summary to standard output ("),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("); the import itself is committed in m.sqlite\n"),
        "{stderr}"
    );
    // Committed indeed.
    let s = util::paralign(["segments", "--db", "m.sqlite"])
        .current_dir(dir.path())
        .stdout();
    assert!(s.ends_with("2 segments\n"), "{s}");
}

#[test]
fn a_full_stderr_is_not_a_panic() {
    // Errors, warnings and notes all go to stderr; with stderr full (or closed) the exit code
    // is the only message left, and it must be the right one, not a panic's 101.
    let dir = Dir::new();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_paralign"))
            .args(args)
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(fs::File::create("/dev/full").unwrap())
            .status()
            .unwrap()
            .code()
    };
    assert_eq!(run(&["check", "no-such-folder"]), Some(2));
    assert_eq!(run(&["align", "--nonsense"]), Some(2));
    dir.create("d.en.txt", "One.\n");
    dir.create("d.de.txt", "Eins.\n");
    assert_eq!(
        run(&["export", "--format", "xliff", "--to", "de", "--db", "m.sqlite"]),
        Some(2)
    );
}

#[test]
fn a_pretranslated_xliff_writes_its_document_back() {
    pretranslated_xliff_comes_back("2.0");
}

#[test]
fn a_pretranslated_xliff_1_2_writes_its_document_back() {
    // The same in XLIFF 1.2: the root travels as the same namespaced attribute.
    pretranslated_xliff_comes_back("1.2");
}

fn pretranslated_xliff_comes_back(version: &str) {
    // pretranslate --xliff records the root as export does: the translated XLIFF comes back
    // into the document the memory knows, wherever import-xliff runs.
    let dir = Dir::new();
    dir.copy_fixture("statement/statement.en.txt", "statement.en.txt");
    dir.copy_fixture("statement/statement.es.txt", "statement.es.txt");
    let en = dir.read("statement.en.txt").replace("In 2021", "In 2022");
    dir.create("new/report.en.txt", en);
    let ok = |args: &[&str]| {
        util::paralign(args).current_dir(dir.path()).expect_code(0);
    };
    ok(&["import", ".", "--db", "m.sqlite"]);
    ok(&[
        "pretranslate",
        "new/report.en.txt",
        "--to",
        "es",
        "-o",
        "new/draft.es.txt",
        "--xliff",
        "r.xlf",
        "--xliff-version",
        version,
        "--db",
        "m.sqlite",
    ]);
    let xlf = dir.read("r.xlf");
    assert!(xlf.contains(&format!("version=\"{version}\"")), "{xlf}");
    assert!(
        xlf.contains(&format!("paralign:root=\"{}\"", dir.path().display())),
        "{xlf}"
    );
    let elsewhere = dir.create_dir("elsewhere");
    let db = dir.join("m.sqlite").display().to_string();
    let xlf = dir.join("r.xlf").display().to_string();
    util::paralign(["import-xliff", &xlf, "--write-docs", "--db", &db])
        .current_dir(&elsewhere)
        .expect_code(0);
    let written = dir.read("new/report.es.txt");
    assert_eq!(written.matches("\n\n").count() + 1, 15, "{written}");
    assert!(written.contains("En 2021"), "{written}");
}

#[test]
fn a_docs_dir_is_made_first_or_nothing_is_written() {
    let dir = util::statement_with_defect("missing.es.txt");
    let xlf = filled_xliff(dir.path(), ".");
    let db = dir.join("m.sqlite").display().to_string();
    let count = || {
        util::paralign([
            "segments",
            "--db",
            &db,
            "--target-lang",
            "es",
            "--limit",
            "0",
        ])
        .expect_code(0)
        .stdout
    };
    let before = count();
    // A folder under a file cannot be made: exit 2 naming it, the memory as it was.
    fs::write(dir.join("a-file"), "x").unwrap();
    let blocked = dir.join("a-file/out");
    let out = util::paralign([
        "import-xliff",
        &xlf,
        "--db",
        &db,
        "--docs-dir",
        &blocked.display().to_string(),
    ])
    .expect_code(2);
    assert!(
        out.stderr
            .starts_with(&format!("paralign: {}: ", blocked.display())),
        "{}",
        out.stderr
    );
    assert_eq!(count(), before);
    // A folder that does not exist yet is made, two levels down.
    let nested = dir.join("out/es");
    util::paralign([
        "import-xliff",
        &xlf,
        "--db",
        &db,
        "--docs-dir",
        &nested.display().to_string(),
    ])
    .expect_code(0);
    let written = fs::read_to_string(nested.join("statement.es.txt")).unwrap();
    assert!(written.contains("\n\nTRADUCIDO.\n\n"), "{written}");
    assert_ne!(count(), before);
}
