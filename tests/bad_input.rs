//! Bad input: every case exits 2 with one line on stderr that names the file (and the place:
//! line, byte) or the flag, never a panic; one bad file does not stop the others from being
//! reported. Also the input that looks odd but is fine: UTF-16 with a BOM and CRLF line ends.

mod util;

use util::{fixture, pair, pairs, paralign, Dir, Output};

/// Exit 2, nothing else on stderr than this one line, and no panic (checked by `run`).
fn assert_error(out: &Output, line: &str) {
    assert_eq!(
        out.code, 2,
        "`{}` exited {}\n{}",
        out.command, out.code, out.stderr
    );
    assert_eq!(out.stderr, format!("{line}\n"), "`{}`", out.command);
}

const INVALID_UTF8: &str =
    "invalid UTF-8; save the file as UTF-8 (or UTF-16 with a byte-order mark)";
const BINARY: &str = "the file looks binary (it has NUL or control bytes), not a text document";
const NO_VERSIONS: &str = "no language versions here: name files NAME.LANG.EXT \
                           (statement.en.txt, statement.es.txt) or keep one folder per language \
                           (en/statement.txt, es/statement.txt)";

/// A folder with the clean English and Spanish statement.
fn statement_dir() -> Dir {
    let dir = Dir::new();
    dir.copy_fixture("statement/statement.en.txt", "statement.en.txt");
    dir.copy_fixture("statement/statement.es.txt", "statement.es.txt");
    dir
}

#[test]
fn missing_file() {
    let dir = Dir::new();
    let out = dir.paralign(["check", "nothere.en.txt"]).run();
    assert_error(&out, "paralign: nothere.en.txt: no such file or folder");
    let out = dir
        .paralign(["align", "nothere.en.txt", "other.es.txt"])
        .run();
    assert_error(&out, "paralign: nothere.en.txt: no such file or folder");
    assert_eq!(out.stdout, "");
}

#[test]
fn missing_target_of_align() {
    let out = paralign([
        "align",
        "fixtures/statement/statement.en.txt",
        "nothere.es.txt",
        "--format",
        "json",
    ])
    .run();
    assert_error(&out, "paralign: nothere.es.txt: no such file or folder");
}

#[test]
fn folder_without_language_versions() {
    let dir = Dir::new();
    dir.create("empty/readme.txt", "Nothing to see.\n");
    let out = dir.paralign(["check", "empty"]).run();
    assert_error(&out, &format!("paralign: empty: {NO_VERSIONS}"));
}

#[test]
fn invalid_utf8_names_file_and_byte() {
    let dir = Dir::new();
    dir.create("a.en.txt", b"ok\n\xff");
    let out = dir.paralign(["check", "a.en.txt"]).run();
    assert_error(
        &out,
        &format!("paralign: a.en.txt:2 (byte 3): {INVALID_UTF8}"),
    );
    let out = dir
        .paralign([
            "align",
            "a.en.txt",
            fixture("statement/statement.es.txt").to_str().unwrap(),
        ])
        .run();
    assert_error(
        &out,
        &format!("paralign: a.en.txt:2 (byte 3): {INVALID_UTF8}"),
    );
    assert_eq!(out.stdout, "");
}

#[test]
fn binary_file() {
    let dir = Dir::new();
    let mut elf = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00".to_vec();
    elf.extend_from_slice(&[0x02, 0x00, 0x3e, 0x00, 0x01, 0x00, 0x00, 0x00]);
    dir.create("prog.en.txt", &elf);
    let out = dir.paralign(["check", "prog.en.txt"]).run();
    assert_error(&out, &format!("paralign: prog.en.txt: {BINARY}"));
}

#[test]
fn empty_file() {
    let dir = Dir::new();
    dir.create("empty.en.txt", "");
    dir.create("blank.en.txt", "  \n\n\t\n");
    let out = dir.paralign(["check", "empty.en.txt"]).run();
    assert_error(&out, "paralign: empty.en.txt: the file holds no text");
    let out = dir.paralign(["check", "blank.en.txt"]).run();
    assert_error(&out, "paralign: blank.en.txt: the file holds no text");
}

#[test]
fn unknown_language_tag() {
    let msg = "paralign: --source-lang: `xx` is not a language tag I know (unknown language \
               code); use a BCP 47 tag such as en, es, ru, zh-Hans or pt-BR";
    let out = paralign([
        "align",
        "fixtures/statement/statement.en.txt",
        "fixtures/statement/statement.es.txt",
        "--source-lang",
        "xx",
    ])
    .run();
    assert_error(&out, msg);
    assert_eq!(out.stdout, "");
    let out = paralign(["check", "fixtures/statement", "--source-lang", "xx"]).run();
    assert_error(&out, msg);
    assert_eq!(out.stdout, "");
}

#[test]
fn a_word_for_a_language_is_not_a_language_version() {
    let dir = Dir::new();
    dir.copy_fixture("statement/statement.en.txt", "docs/doc.english.txt");
    dir.copy_fixture("statement/statement.es.txt", "docs/doc.spanish.txt");
    let out = dir.paralign(["check", "docs"]).run();
    assert_error(&out, &format!("paralign: docs: {NO_VERSIONS}"));
}

#[test]
fn nonsense_fail_on() {
    let out = paralign(["check", "fixtures/statement", "--fail-on", "bogus"]).run();
    assert_error(
        &out,
        "paralign: --fail-on: `bogus` is not a flag; use missing, extra, untranslated, \
         diverging, misnumbered, reordered, outdated, all or none",
    );
    assert_eq!(out.stdout, "");
}

#[test]
fn nonsense_min_coverage() {
    let out = paralign(["check", "fixtures/statement", "--min-coverage", "140"]).run();
    assert_error(
        &out,
        "paralign: --min-coverage: 140 is not a percentage between 0 and 100 (or a fraction below 1)",
    );
    assert_eq!(out.stdout, "");
    let out = paralign(["check", "fixtures/statement", "--min-coverage", "es=lots"]).run();
    assert_error(
        &out,
        "paralign: --min-coverage: `es=lots` is not PERCENT or LANG=PERCENT (90, 90%, 0.9, es=100)",
    );
}

#[test]
fn nonsense_format() {
    // One line: the offending value and the values the flag takes.
    let out = paralign([
        "align",
        "fixtures/statement/statement.en.txt",
        "fixtures/statement/statement.es.txt",
        "--format",
        "pdf",
    ])
    .run();
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "paralign: invalid value 'pdf' for '--format <FORMAT>' [possible values: text, json, html]\n"
    );
}

const UNKNOWN_KEY: &str = "unknown field `bogus-key`, expected one of `source-lang`, `languages`, `paths`, `include`, `exclude`, `fail-on`, \
                           `min-coverage`, `min-coverage-lang`, `accepted`, `thresholds`";

#[test]
fn config_with_unknown_key_named_by_flag() {
    let dir = statement_dir();
    dir.create(
        "cfg/paralign.toml",
        "fail-on = [\"missing\"]\nbogus-key = 3\n",
    );
    let out = dir
        .paralign(["check", ".", "--config", "cfg/paralign.toml"])
        .run();
    assert_error(
        &out,
        &format!("paralign: cfg/paralign.toml:2: {UNKNOWN_KEY}"),
    );
    assert_eq!(out.stdout, "");
}

#[test]
fn config_with_unknown_key_found_in_folder() {
    let dir = statement_dir();
    dir.create("paralign.toml", "fail-on = [\"missing\"]\nbogus-key = 3\n");
    let out = dir.paralign(["check", "."]).run();
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    let lines = out.stderr_lines();
    assert_eq!(lines.len(), 1, "{}", out.stderr);
    assert!(
        lines[0].starts_with("paralign: ")
            && lines[0].ends_with(&format!("paralign.toml:2: {UNKNOWN_KEY}")),
        "{}",
        lines[0]
    );
}

#[test]
fn batch_goes_on_after_a_bad_file() {
    let dir = statement_dir();
    dir.create("other.en.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00");
    let out = dir.paralign(["check", "."]).run();
    assert_error(&out, &format!("paralign: ./other.en.txt: {BINARY}"));
    assert_eq!(
        out.stdout,
        "statement: en ./statement.en.txt (16 paragraphs)\n\
         \x20 es ./statement.es.txt (16 paragraphs): coverage 100.0% (16/16), ok\n\
         \n\
         1 translation checked in 1 document: 0 findings, 1 input error; FAILED: input errors (listed on stderr)\n"
    );
    // The same in JSON: the good document is there, the bad file is an error.
    let out = dir.paralign(["check", ".", "--format", "json"]).run();
    assert_error(&out, &format!("paralign: ./other.en.txt: {BINARY}"));
    let json = out.json();
    assert_eq!(json["documents"].as_array().unwrap().len(), 1);
    assert_eq!(json["documents"][0]["id"], "statement");
    let one_to_one: Vec<_> = (0..16).map(|i| pair(&[i], &[i], &[], &[])).collect();
    assert_eq!(pairs(&json, 0, 0), one_to_one);
    assert_eq!(
        json["errors"],
        serde_json::json!([{"message": format!("./other.en.txt: {BINARY}"),
                            "path": "./other.en.txt"}])
    );
}

#[test]
fn batch_of_align_targets_goes_on_after_a_bad_file() {
    let dir = statement_dir();
    dir.create("bad.ru.txt", b"ok\n\xff");
    let out = dir
        .paralign([
            "align",
            "statement.en.txt",
            "statement.es.txt",
            "bad.ru.txt",
            "--format",
            "json",
        ])
        .run();
    assert_error(
        &out,
        &format!("paralign: bad.ru.txt:2 (byte 3): {INVALID_UTF8}"),
    );
    let json = out.json();
    let targets = json["documents"][0]["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[0]["path"], "statement.es.txt");
    let one_to_one: Vec<_> = (0..16).map(|i| pair(&[i], &[i], &[], &[])).collect();
    assert_eq!(pairs(&json, 0, 0), one_to_one);
}

#[test]
fn several_bad_files_one_line_each() {
    let dir = statement_dir();
    dir.create("a.en.txt", b"ok\n\xff");
    dir.create("b.en.txt", "");
    let out = dir.paralign(["check", ".", "nothere.en.txt"]).run();
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr_lines(),
        [
            "paralign: nothere.en.txt: no such file or folder".to_string(),
            format!("paralign: ./a.en.txt:2 (byte 3): {INVALID_UTF8}"),
            "paralign: ./b.en.txt: the file holds no text".to_string(),
        ]
    );
}

#[test]
fn utf16_with_bom_and_crlf_is_read() {
    let es = String::from_utf8(util::fixture_bytes("statement/statement.es.txt")).unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(
        es.replace('\n', "\r\n")
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    let dir = Dir::new();
    dir.copy_fixture("statement/statement.en.txt", "statement.en.txt");
    dir.create("statement.es.txt", &bytes);
    let out = dir
        .paralign([
            "align",
            "statement.en.txt",
            "statement.es.txt",
            "--format",
            "json",
        ])
        .expect_code(0);
    assert_eq!(out.stderr, "");
    let json = out.json();
    let one_to_one: Vec<_> = (0..16).map(|i| pair(&[i], &[i], &[], &[])).collect();
    assert_eq!(pairs(&json, 0, 0), one_to_one);
    assert_eq!(json["documents"][0]["targets"][0]["paragraphs"], 16);
    assert_eq!(json["documents"][0]["targets"][0]["coverage"], 1.0);
    // And `check` finds nothing in it either.
    dir.paralign(["check", "."]).expect_code(0);
}

#[test]
fn utf8_with_bom_and_crlf_is_read() {
    let es = String::from_utf8(util::fixture_bytes("statement/statement.es.txt")).unwrap();
    let dir = Dir::new();
    dir.copy_fixture("statement/statement.en.txt", "statement.en.txt");
    dir.create(
        "statement.es.txt",
        format!("\u{FEFF}{}", es.replace('\n', "\r\n")),
    );
    let json = dir
        .paralign([
            "align",
            "statement.en.txt",
            "statement.es.txt",
            "--format",
            "json",
        ])
        .expect_code(0)
        .json();
    let one_to_one: Vec<_> = (0..16).map(|i| pair(&[i], &[i], &[], &[])).collect();
    assert_eq!(pairs(&json, 0, 0), one_to_one);
}

// A nonsense flag value gives a one-line message on stderr.
#[test]
fn nonsense_format_is_one_line() {
    let out = paralign(["check", "fixtures/statement", "--format", "pdf"]).run();
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "paralign: invalid value 'pdf' for '--format <FORMAT>' [possible values: text, json, github, junit, sarif, html, markdown, gitlab]\n"
    );
}
// UTF-16: the byte offset of an unpaired surrogate counts code units, not characters.
#[test]
fn utf16_surrogate_offset_after_astral_char() {
    let dir = Dir::new();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend("😀".encode_utf16().flat_map(u16::to_le_bytes)); // bytes 2..6
    bytes.extend([0x00, 0xD8]); // a lone high surrogate at byte 6
    bytes.extend("a".encode_utf16().flat_map(u16::to_le_bytes));
    dir.create("a.en.txt", &bytes);
    let out = dir.paralign(["check", "a.en.txt"]).run();
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "paralign: a.en.txt:1 (byte 6): invalid UTF-16 (an unpaired surrogate)\n"
    );
}

// A control character's byte offset is the file's, BOM included.
#[test]
fn control_char_offset_after_utf8_bom() {
    let dir = Dir::new();
    dir.create("a.en.txt", b"\xEF\xBB\xBFab\x01cd\n"); // \x01 at byte 5
    let out = dir.paralign(["check", "a.en.txt"]).run();
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "paralign: a.en.txt:1 (byte 5): the file looks binary (it has NUL or control bytes), \
         not a text document\n"
    );
}

#[test]
fn control_char_offset_in_utf16() {
    let dir = Dir::new();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend("ab\u{1}cd\n".encode_utf16().flat_map(u16::to_le_bytes)); // \x01 at byte 6
    dir.create("a.en.txt", &bytes);
    let out = dir.paralign(["check", "a.en.txt"]).run();
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "paralign: a.en.txt:1 (byte 6): the file looks binary (it has NUL or control bytes), \
         not a text document\n"
    );
}

#[test]
fn no_command_prints_the_help_as_laid_out() {
    // `paralign` alone is a usage error: the help goes to stderr line by line, as clap lays it
    // out (it used to be crushed onto one line), and nothing to stdout.
    let out = paralign(Vec::<&str>::new()).expect_code(2);
    assert_eq!(out.stdout, "");
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines[0], "Align translated documents paragraph by paragraph, flag what a reviewer must see, and keep a");
    assert_eq!(lines[3], "Usage: paralign <COMMAND>");
    assert!(lines.contains(&"Exit codes:"), "{}", out.stderr);
    assert!(lines.len() > 30, "{}", out.stderr);
}
