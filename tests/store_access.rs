//! How the memory file is opened: a read-only memory in a read-only folder is read (opened
//! immutable), and a file paralign refuses is left byte for byte as it was (no switch to WAL,
//! no journal or shared-memory file made beside it).

mod util;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use util::Dir;

/// Run paralign as a user without the right to write the memory: as `nobody` through setpriv
/// when the tests run as root (root may write anything), else as the user running the tests.
fn as_reader(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let bin = env!("CARGO_BIN_EXE_paralign");
    let root = fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"));
    let mut cmd = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
        c
    } else {
        Command::new(bin)
    };
    let out = cmd
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        stderr,
    )
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_read_only_memory_in_a_read_only_folder_is_read() {
    let dir = Dir::new();
    dir.copy_fixture("statement/statement.en.txt", "docs/statement.en.txt");
    dir.copy_fixture("statement/statement.es.txt", "docs/statement.es.txt");
    dir.create_dir("mem");
    dir.paralign(["import", "docs", "--db", "mem/m.sqlite"])
        .expect_code(0);
    let commands: [&[&str]; 5] = [
        &["status"],
        &["segments", "--limit", "3"],
        &["lookup", "The fares rise on Monday.", "--to", "es"],
        &["export", "--format", "tsv"],
        &["check", "docs", "--no-config"],
    ];
    // What each prints while the memory can be written (the lookup index brought up to date).
    let want: Vec<String> = commands
        .iter()
        .map(|c| {
            let mut args = c.to_vec();
            args.extend(["--db", "mem/m.sqlite"]);
            dir.paralign(&args).run().stdout
        })
        .collect();
    let mem = dir.join("mem");
    let bytes = fs::read(mem.join("m.sqlite")).unwrap();
    // An empty write-ahead log left behind (the last process to close was a reader, or was
    // killed), without its shared-memory file, which a reader cannot make here.
    fs::write(mem.join("m.sqlite-wal"), b"").unwrap();
    let _ = fs::remove_file(mem.join("m.sqlite-shm"));
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(mem.join("m.sqlite"), fs::Permissions::from_mode(0o444)).unwrap();
    fs::set_permissions(&mem, fs::Permissions::from_mode(0o555)).unwrap();
    let before = files_in(&mem);
    for (c, want) in commands.iter().zip(&want) {
        let mut args = c.to_vec();
        args.extend(["--db", "mem/m.sqlite"]);
        let (code, stdout, stderr) = as_reader(dir.path(), &args);
        assert!(
            code == 0 || (c[0] == "check" && code == 1),
            "{c:?} exited {code}: {stderr}"
        );
        assert_eq!(&stdout, want, "{c:?}");
    }
    assert_eq!(files_in(&mem), before);
    assert_eq!(fs::read(mem.join("m.sqlite")).unwrap(), bytes);
    fs::set_permissions(&mem, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn a_refused_file_is_left_as_it_was() {
    let dir = Dir::new();
    dir.copy_fixture("statement/statement.en.txt", "docs/statement.en.txt");
    dir.copy_fixture("statement/statement.es.txt", "docs/statement.es.txt");
    // Another application's database, in rollback-journal mode.
    {
        let c = rusqlite::Connection::open(dir.join("foreign.sqlite")).unwrap();
        c.execute_batch(
            "PRAGMA journal_mode = DELETE; CREATE TABLE t (x); INSERT INTO t VALUES (1);",
        )
        .unwrap();
    }
    // A memory from a newer paralign, in rollback-journal mode.
    dir.paralign(["import", "docs", "--db", "newer.sqlite"])
        .expect_code(0);
    {
        let c = rusqlite::Connection::open(dir.join("newer.sqlite")).unwrap();
        c.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA user_version = 99;")
            .unwrap();
    }
    dir.create(
        "u.tmx",
        fs::read(util::root().join("tests/hostile/corpus/small.tmx")).unwrap(),
    );
    for db in ["foreign.sqlite", "newer.sqlite"] {
        let bytes = fs::read(dir.join(db)).unwrap();
        let before = files_in(dir.path());
        for c in [
            &["import", "docs"][..],
            &["import-tmx", "u.tmx"],
            &["lookup", "The fares rise.", "--to", "es"],
            &["status"],
            &["export", "--format", "tmx"],
        ] {
            let mut args = c.to_vec();
            args.extend(["--db", db]);
            let out = dir.paralign(&args).expect_code(2);
            assert!(out.stderr.contains(db), "{}", out.stderr);
        }
        assert_eq!(fs::read(dir.join(db)).unwrap(), bytes, "{db} was changed");
        assert_eq!(files_in(dir.path()), before, "{db}: files made beside it");
        let mode: String = rusqlite::Connection::open(dir.join(db))
            .unwrap()
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete", "{db}");
    }
}
