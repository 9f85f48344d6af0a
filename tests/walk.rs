//! The folder walk and the config files against hostile or odd trees: symbolic link loops and
//! links out of the project, FIFOs and devices, names that are not UTF-8, unreadable folders,
//! files over the size cap, config paths that leave the project or point at secrets, and
//! values that are not finite. Each ends with its exact message and exit code, and never hangs.
#![cfg(unix)]

mod util;

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::process::Command;

use util::Dir;

/// A project folder with the guide in English and Spanish under `docs/`.
fn guide() -> Dir {
    let dir = Dir::new();
    dir.copy_fixture("projects/suffix/docs/guide.en.md", "docs/guide.en.md");
    dir.copy_fixture("projects/suffix/docs/guide.es.md", "docs/guide.es.md");
    dir
}

const GUIDE_PASSED: &str = "1 translation checked in 1 document: 0 findings; passed\n";

fn guide_passed(warnings: &str) -> String {
    format!("1 translation checked in 1 document: 0 findings, {warnings}; passed\n")
}

#[test]
fn symlink_loops_are_reported_and_each_file_read_once() {
    let dir = guide();
    symlink(".", dir.join("docs/loop")).unwrap();
    dir.create_dir("docs/sub");
    symlink("..", dir.join("docs/sub/up")).unwrap();
    let out = dir.paralign(["check", "docs"]).expect_code(0);
    assert!(
        out.stdout.ends_with(&guide_passed("2 warnings")),
        "{}",
        out.stdout
    );
    assert_eq!(out.stdout.matches("guide: en").count(), 1);
    assert_eq!(
        out.stderr,
        "paralign: warning: docs/loop: a symbolic link loop (back to docs): not followed\n\
         paralign: warning: docs/sub/up: a symbolic link loop (back to docs): not followed\n"
    );
    // In GitHub Actions the warnings are annotations too.
    let out = dir
        .paralign(["check", "docs", "--format", "github"])
        .expect_code(0);
    assert_eq!(
        out.stdout,
        "::warning file=docs/loop::docs/loop: a symbolic link loop (back to docs): not followed\n\
         ::warning file=docs/sub/up::docs/sub/up: a symbolic link loop (back to docs): not \
         followed\n\
         paralign: 1 translation checked in 1 document: 0 findings, 2 warnings; passed\n"
    );
}

#[test]
fn a_link_to_the_root_folder_is_not_followed() {
    let dir = guide();
    symlink("/", dir.join("docs/root")).unwrap();
    symlink("/usr", dir.join("docs/usr")).unwrap();
    let out = dir.paralign(["check", "docs"]).expect_code(0);
    assert!(
        out.stdout.ends_with(&guide_passed("2 warnings")),
        "{}",
        out.stdout
    );
    // `/` holds the project: a loop.
    assert_eq!(
        out.stderr,
        "paralign: warning: docs/root: a symbolic link loop (back to /): not followed\n\
         paralign: warning: docs/usr: a symbolic link that leaves the project: not followed \
         (pass --follow-links to read it)\n"
    );
}

#[test]
fn a_version_linked_outside_the_project_is_not_read() {
    let dir = guide();
    let outside = Dir::new();
    outside.create("secrets/credentials", "API_KEY=hunter2\n");
    symlink(
        outside.join("secrets/credentials"),
        dir.join("docs/guide.fr.md"),
    )
    .unwrap();
    symlink("/etc/passwd", dir.join("docs/guide.de.md")).unwrap();
    // Walked: not followed, a warning; the page never shows the secret.
    let out = dir
        .paralign(["check", "docs", "--format", "html"])
        .expect_code(0);
    assert!(!out.stdout.contains("hunter2") && !out.stdout.contains("root:"));
    assert_eq!(
        out.stderr,
        "paralign: warning: docs/guide.de.md: a symbolic link that leaves the project: not \
         followed (pass --follow-links to read it)\n\
         paralign: warning: docs/guide.fr.md: a symbolic link that leaves the project: not \
         followed (pass --follow-links to read it)\n"
    );
    // Named: refused. With a paralign.toml the project is its folder.
    dir.create("paralign.toml", "source-lang = \"en\"\n");
    let out = dir.paralign(["check", "docs/guide.fr.md"]).expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: docs/guide.fr.md: a symbolic link that leaves the project: not read (pass \
         --follow-links to read it)\n"
    );
    assert!(!out.stdout.contains("hunter2"));
}

#[test]
fn a_named_link_to_another_folder_of_the_project_is_read() {
    let dir = guide();
    dir.copy_fixture("projects/suffix/docs/guide.de.md", "shared/guide.de.md");
    symlink("../shared/guide.de.md", dir.join("docs/guide.de.md")).unwrap();
    let out = dir.paralign(["check", "docs/guide.de.md"]).expect_code(0);
    assert!(
        out.stdout
            .ends_with("2 translations checked in 1 document: 0 findings; passed\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn fifos_and_devices_are_refused() {
    let dir = guide();
    let status = Command::new("mkfifo")
        .arg(dir.join("docs/guide.fr.md"))
        .status()
        .unwrap();
    assert!(status.success());
    // Walked: the FIFO is an error, the rest is still checked.
    let out = dir.paralign(["check", "docs"]).expect_code(2);
    assert!(
        out.stdout.contains("guide: en docs/guide.en.md"),
        "{}",
        out.stdout
    );
    assert_eq!(
        out.stderr,
        "paralign: docs/guide.fr.md: not a regular file (a FIFO): paralign reads only regular \
         files\n"
    );
    // Named.
    let out = dir
        .paralign(["check", "docs/guide.fr.md", "docs/guide.en.md"])
        .expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: docs/guide.fr.md: not a regular file (a FIFO): paralign reads only regular \
         files\n"
    );
    let out = dir.paralign(["check", "/dev/zero"]).expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: /dev/zero: /dev/zero is a system pseudo-file, not a document\n"
    );
    let out = dir.paralign(["check", "/proc/self/status"]).expect_code(2);
    assert!(
        out.stderr
            .ends_with("is a system pseudo-file, not a document\n"),
        "{}",
        out.stderr
    );
    // A version linked to a device, links followed: refused, not read forever.
    std::fs::remove_file(dir.join("docs/guide.fr.md")).unwrap();
    symlink("/dev/zero", dir.join("docs/guide.fr.md")).unwrap();
    let out = dir
        .paralign(["check", "docs", "--follow-links"])
        .expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: docs/guide.fr.md: not a regular file (a device): paralign reads only regular \
         files\n"
    );
}

#[test]
fn a_name_that_is_not_utf8_is_reported() {
    let dir = guide();
    let name = std::ffi::OsStr::from_bytes(b"gu\xffide.de.md");
    std::fs::write(dir.join("docs").join(name), "# Anleitung\n").unwrap();
    let out = dir.paralign(["check", "docs"]).expect_code(2);
    assert!(out.stdout.ends_with("1 translation checked in 1 document: 0 findings, 1 input error; FAILED: input errors (listed on stderr)\n"), "{}", out.stdout);
    assert_eq!(
        out.stderr,
        "paralign: docs: the name `gu\u{FFFD}ide.de.md` is not valid UTF-8: rename the file\n"
    );
}

#[test]
fn a_name_with_a_newline_is_refused_not_printed_raw() {
    let dir = guide();
    dir.create("docs/evil\nFAILED: 0.de.md", "# Anleitung\n");
    let out = dir.paralign(["check", "docs"]).expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: docs: the name \"evil\\nFAILED: 0.de.md\" holds a control character: rename the \
         file\n"
    );
    assert!(!out.stdout.contains("evil"), "{}", out.stdout);
}

#[test]
fn an_unreadable_folder_is_reported_and_the_rest_checked() {
    use std::os::unix::fs::PermissionsExt;
    let dir = guide();
    dir.copy_fixture("projects/suffix/docs/faq.en.md", "docs/private/faq.en.md");
    std::fs::set_permissions(
        dir.join("docs/private"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    // Root reads every folder: run as nobody then (the temporary folder made reachable).
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false);
    let out = if is_root {
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let o = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_paralign"))
            .args(["check", "docs"])
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        (
            o.status.code().unwrap(),
            String::from_utf8(o.stdout).unwrap(),
            String::from_utf8(o.stderr).unwrap(),
        )
    } else {
        let o = dir.paralign(["check", "docs"]).run();
        (o.code, o.stdout, o.stderr)
    };
    std::fs::set_permissions(
        dir.join("docs/private"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    assert_eq!(out.0, 2, "{}", out.2);
    assert!(out.1.contains("guide: en docs/guide.en.md"), "{}", out.1);
    assert_eq!(
        out.2,
        "paralign: docs/private: cannot read this (permission denied); the rest was still \
         checked\n"
    );
}

#[test]
fn a_file_over_the_size_cap_is_refused() {
    let dir = guide();
    let out = dir
        .paralign(["check", "docs", "--max-file-size", "100"])
        .expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: docs/guide.en.md: larger than the 100 bytes limit for one file (raise it with \
         --max-file-size)\n\
         paralign: docs/guide.es.md: larger than the 100 bytes limit for one file (raise it with \
         --max-file-size)\n"
    );
    dir.paralign(["check", "docs", "--max-file-size", "1K"])
        .expect_code(0);
    let out = dir
        .paralign(["check", "docs", "--max-file-size", "lots"])
        .expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: --max-file-size: `lots` is not a size (bytes, or with K, M or G: 64M)\n"
    );
}

#[test]
fn gitignored_and_hidden_files_are_not_read() {
    let dir = guide();
    dir.create(".gitignore", "old/\n");
    dir.copy_fixture("projects/suffix/docs/faq.en.md", "docs/old/faq.en.md");
    dir.copy_fixture("projects/suffix/docs/faq.en.md", "docs/.cache/faq.en.md");
    let out = dir.paralign(["check", "."]).expect_code(0);
    assert!(out.stdout.ends_with(GUIDE_PASSED), "{}", out.stdout);
}

// ---------------------------------------------------------------------------------------------
// Config files and values.

#[test]
fn accepted_file_must_stay_inside_the_project() {
    let dir = guide();
    dir.create("paralign.toml", "accepted = \"../elsewhere.toml\"\n");
    let out = dir.paralign(["check", "docs"]).expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: paralign.toml (accepted): `../elsewhere.toml` leaves the project; name a file \
         inside the folder of paralign.toml\n"
    );
    dir.create("paralign.toml", "accepted = \"/etc/passwd\"\n");
    let out = dir.paralign(["check", "docs"]).expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: paralign.toml (accepted): `/etc/passwd` leaves the project; name a file inside \
         the folder of paralign.toml\n"
    );
    symlink("/dev/zero", dir.join("zero.toml")).unwrap();
    dir.create("paralign.toml", "accepted = \"zero.toml\"\n");
    let out = dir.paralign(["check", "docs"]).expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: paralign.toml (accepted): `zero.toml` leads outside the project; name a file \
         inside the folder of paralign.toml\n"
    );
}

#[test]
fn a_secret_named_as_accepted_file_is_not_echoed() {
    let dir = guide();
    dir.create("sec/.env", "API_KEY=hunter2-do-not-print\n");
    dir.create("paralign.toml", "accepted = \"sec/.env\"\n");
    let out = dir.paralign(["check", "docs"]).expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: sec/.env:1: not an acceptance file: invalid string; expected `\"`, `'`\n"
    );
}

#[test]
fn thresholds_must_be_finite() {
    let dir = guide();
    dir.create("paralign.toml", "[thresholds]\nlength-z = nan\n");
    let out = dir.paralign(["check", "docs"]).expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: paralign.toml (thresholds): low-score must be in [0, 1], length-z a finite \
         number above 0, length-factor a finite number of at least 1\n"
    );
    dir.create("paralign.toml", "[thresholds]\nlength-factor = inf\n");
    dir.paralign(["check", "docs"]).expect_code(2);
}

#[test]
fn min_coverage_values_are_checked() {
    let dir = guide();
    let out = dir
        .paralign(["check", "docs", "--min-coverage", ""])
        .expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: --min-coverage: an empty value; give PERCENT or LANG=PERCENT (90, 90%, 0.9, \
         es=100)\n"
    );
    let out = dir
        .paralign(["check", "docs", "--min-coverage", "es=100,es=0"])
        .expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: --min-coverage: es is given twice; give each language once\n"
    );
    let out = dir
        .paralign(["check", "docs", "--min-coverage", "nan"])
        .expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: --min-coverage: NaN is not a percentage between 0 and 100 (or a fraction below \
         1)\n"
    );
    let out = dir
        .paralign(["check", "docs", "--min-coverage", "101%"])
        .expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: --min-coverage: 101% is not a percentage between 0 and 100\n"
    );
}

#[test]
fn a_config_that_is_a_device_is_refused() {
    let dir = guide();
    let out = dir
        .paralign(["check", "docs", "--config", "/dev/zero"])
        .expect_code(2);
    assert_eq!(
        out.stderr,
        "paralign: /dev/zero: not a regular file (a device): paralign reads only regular files\n"
    );
}
