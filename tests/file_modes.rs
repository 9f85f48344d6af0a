//! Files paralign writes: a new one gets the mode any program would give it (0666 less the
//! umask, as `fs::write` does), a replaced one keeps its mode, for every command with `-o`
//! and for `import-xliff --write-docs`, which share one writer.
#![cfg(unix)]

mod util;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

/// The mode a new file gets here (the umask of the test run applied).
fn umask_mode(dir: &util::Dir) -> u32 {
    let p = dir.create("probe", "x");
    let m = mode(&p);
    fs::remove_file(p).unwrap();
    m
}

#[test]
fn export_and_reports_create_files_with_the_umask_mode_and_keep_a_replaced_files_mode() {
    let dir = util::statement_with_defect("missing.es.txt");
    let normal = umask_mode(&dir);
    assert_ne!(normal, 0o600, "the test needs a umask that is not 077");
    dir.paralign(["import", "--db", "m.sqlite", "."])
        .expect_code(0);
    let runs: [&[&str]; 4] = [
        &[
            "export", "--db", "m.sqlite", "--format", "tmx", "-o", "out.tmx",
        ],
        &[
            "export", "--db", "m.sqlite", "--format", "tsv", "-o", "out.tsv",
        ],
        &[
            "export", "--db", "m.sqlite", "--format", "xliff", "--lang", "es", "-o", "out.xlf",
        ],
        &[
            "align",
            "statement.en.txt",
            "statement.es.txt",
            "-o",
            "out.txt",
        ],
    ];
    for args in runs {
        let out = args[args.len() - 1];
        dir.paralign(args).expect_code(0);
        assert_eq!(mode(&dir.join(out)), normal, "{args:?}: a new file");
        fs::set_permissions(dir.join(out), fs::Permissions::from_mode(0o640)).unwrap();
        dir.paralign(args).expect_code(0);
        assert_eq!(mode(&dir.join(out)), 0o640, "{args:?}: a replaced file");
    }
    let leftovers: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".paralign-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn import_xliff_write_docs_keeps_the_translations_mode() {
    let dir = util::statement_with_defect("missing.es.txt");
    dir.paralign(["import", "--db", "m.sqlite", "."])
        .expect_code(0);
    dir.paralign([
        "export", "--db", "m.sqlite", "--format", "xliff", "--lang", "es", "-o", "todo.xlf",
    ])
    .expect_code(0);
    let filled = dir.read("todo.xlf").replace(
        "</source>\n      </segment>",
        "</source>\n        <target>TRADUCIDO.</target>\n      </segment>",
    );
    dir.create("done.xlf", filled);
    fs::set_permissions(
        dir.join("statement.es.txt"),
        fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    dir.paralign([
        "import-xliff",
        "done.xlf",
        "--db",
        "m.sqlite",
        "--write-docs",
    ])
    .expect_code(0);
    assert!(dir.read("statement.es.txt").contains("TRADUCIDO."));
    assert_eq!(mode(&dir.join("statement.es.txt")), 0o644);
}
