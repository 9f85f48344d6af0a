//! Helpers shared by the integration tests: run the built `paralign` binary and look at what it
//! printed, and a temporary folder per test for files the fixtures do not have.
//!
//! Commands run from the crate root (so fixture paths read `fixtures/...` in the output) with
//! `NO_COLOR=1`, unless a test moves them into its temporary folder. Every run checks that the
//! binary did not panic. Nothing here knows what paralign's output should be.
#![allow(dead_code)] // each test crate uses a part of these helpers

pub mod http;
pub mod pg;

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The crate root, where the fixtures are.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture's path, absolute (`fixture("statement/statement.en.txt")`).
pub fn fixture(rel: &str) -> PathBuf {
    root().join("fixtures").join(rel)
}

/// The bytes of a fixture.
pub fn fixture_bytes(rel: &str) -> Vec<u8> {
    fs::read(fixture(rel)).unwrap_or_else(|e| panic!("reading fixture {rel}: {e}"))
}

/// What a run printed and how it ended.
#[derive(Debug, Clone)]
pub struct Output {
    /// The command line, for failure messages.
    pub command: String,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// The exit code.
    pub code: i32,
}

impl Output {
    /// Standard output read as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "`{}`: stdout is not JSON ({e}):\n{}",
                self.command, self.stdout
            )
        })
    }

    /// The lines of standard error.
    pub fn stderr_lines(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }
}

/// A `paralign` command being built.
#[derive(Debug)]
pub struct TestCommand {
    cmd: Command,
    shown: String,
    stdin: Option<Vec<u8>>,
}

/// A `paralign` command with these arguments, run from the crate root with `NO_COLOR=1`.
pub fn paralign<I, S>(args: I) -> TestCommand
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_paralign"));
    let mut shown = String::from("paralign");
    for a in args {
        shown.push(' ');
        shown.push_str(&a.as_ref().to_string_lossy());
        cmd.arg(a);
    }
    cmd.current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE");
    TestCommand {
        cmd,
        shown,
        stdin: None,
    }
}

impl TestCommand {
    /// Set an environment variable.
    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> TestCommand {
        self.cmd.env(key, value);
        self
    }

    /// Give these bytes on standard input (else it is empty).
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> TestCommand {
        self.stdin = Some(bytes.into());
        self
    }

    /// Run from another folder.
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> TestCommand {
        self.cmd.current_dir(dir);
        self
    }

    /// Run and return what it printed, whatever the exit code (it must not have panicked).
    pub fn run(mut self) -> Output {
        let out = match self.stdin.take() {
            None => self.cmd.output(),
            Some(bytes) => {
                use std::io::Write;
                use std::process::Stdio;
                self.cmd
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped());
                self.cmd.spawn().and_then(|mut child| {
                    if let Some(mut input) = child.stdin.take() {
                        input.write_all(&bytes)?;
                    }
                    child.wait_with_output()
                })
            }
        }
        .unwrap_or_else(|e| panic!("`{}` did not start: {e}", self.shown));
        let output = Output {
            command: self.shown,
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
            code: out
                .status
                .code()
                .expect("the process was not killed by a signal"),
        };
        assert!(
            !output.stderr.contains("panicked"),
            "`{}` panicked:\n{}",
            output.command,
            output.stderr
        );
        output
    }

    /// Run and assert the exit code.
    pub fn expect_code(self, code: i32) -> Output {
        let out = self.run();
        assert_eq!(
            out.code, code,
            "`{}` exited {} instead of {code}\n--- stdout\n{}\n--- stderr\n{}",
            out.command, out.code, out.stdout, out.stderr
        );
        out
    }

    /// Run, assert exit code 0 and return stdout.
    pub fn stdout(self) -> String {
        self.expect_code(0).stdout
    }
}

/// A temporary folder for one test, removed when dropped.
#[derive(Debug)]
pub struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    /// A new empty folder.
    pub fn new() -> Dir {
        Dir {
            tmp: tempfile::Builder::new()
                .prefix("paralign-test-")
                .tempdir()
                .expect("create a temporary folder"),
        }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// A path inside it.
    pub fn join(&self, rel: &str) -> PathBuf {
        self.path().join(rel)
    }

    /// Write a file (parent folders are created).
    pub fn create(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.join(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).expect("create parent folders");
        }
        fs::write(&p, contents).unwrap_or_else(|e| panic!("write {}: {e}", p.display()));
        p
    }

    /// Make a folder.
    pub fn create_dir(&self, rel: &str) -> PathBuf {
        let p = self.join(rel);
        fs::create_dir_all(&p).expect("create folder");
        p
    }

    /// Copy a fixture in under another name.
    pub fn copy_fixture(&self, fixture_rel: &str, rel: &str) -> PathBuf {
        self.create(rel, fixture_bytes(fixture_rel))
    }

    /// Read a file back as text.
    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// A `paralign` command run from this folder.
    pub fn paralign<I, S>(&self, args: I) -> TestCommand
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        paralign(args).current_dir(self.path())
    }
}

/// A folder holding `statement.en.txt` and a defect file renamed `statement.LANG.txt` (the
/// language taken from the defect's name: `cut.ru.txt` becomes `statement.ru.txt`).
pub fn statement_with_defect(defect: &str) -> Dir {
    let dir = Dir::new();
    dir.copy_fixture("statement/statement.en.txt", "statement.en.txt");
    let lang = defect
        .rsplit('.')
        .nth(1)
        .expect("defect files are NAME.LANG.txt");
    dir.copy_fixture(
        &format!("defects/{defect}"),
        &format!("statement.{lang}.txt"),
    );
    dir
}

/// One pair of `--format json` output, as the CLI tests compare it: indices, flag and reason
/// names (scores and signals left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairView {
    /// Source paragraph indices.
    pub source: Vec<usize>,
    /// Target paragraph indices.
    pub target: Vec<usize>,
    /// Flag names.
    pub flags: Vec<String>,
    /// Reason names.
    pub reasons: Vec<String>,
}

/// A pair view from literals: `pair(&[8], &[], &["missing"], &[])`.
pub fn pair(source: &[usize], target: &[usize], flags: &[&str], reasons: &[&str]) -> PairView {
    PairView {
        source: source.to_vec(),
        target: target.to_vec(),
        flags: flags.iter().map(|s| s.to_string()).collect(),
        reasons: reasons.iter().map(|s| s.to_string()).collect(),
    }
}

/// The pairs of target `t` of document `d` in a JSON report.
pub fn pairs(json: &serde_json::Value, d: usize, t: usize) -> Vec<PairView> {
    let ints = |v: &serde_json::Value| -> Vec<usize> {
        v.as_array()
            .expect("an array of indices")
            .iter()
            .map(|i| i.as_u64().expect("an index") as usize)
            .collect()
    };
    let strs = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .expect("an array of names")
            .iter()
            .map(|s| s.as_str().expect("a name").to_string())
            .collect()
    };
    json["documents"][d]["targets"][t]["pairs"]
        .as_array()
        .expect("documents[d].targets[t].pairs")
        .iter()
        .map(|p| PairView {
            source: ints(&p["source"]),
            target: ints(&p["target"]),
            flags: strs(&p["flags"]),
            reasons: strs(&p["reasons"]),
        })
        .collect()
}

/// The pairs with at least one flag.
pub fn flagged(pairs: &[PairView]) -> Vec<PairView> {
    pairs
        .iter()
        .filter(|p| !p.flags.is_empty())
        .cloned()
        .collect()
}

/// `paralign align` of the English statement with one defect file, as JSON (exit 0).
pub fn align_defect(defect: &str) -> serde_json::Value {
    paralign([
        "align",
        "fixtures/statement/statement.en.txt",
        &format!("fixtures/defects/{defect}"),
        "--format",
        "json",
    ])
    .expect_code(0)
    .json()
}

/// The flagged pairs of the English statement aligned with one defect file.
pub fn flagged_in_defect(defect: &str) -> Vec<PairView> {
    flagged(&pairs(&align_defect(defect), 0, 0))
}
