//! The CI kit as a pipeline runs it: the GitHub Action's script (`ci/github/action.sh`, run by
//! `action.yml`) picks the release archive for each runner and checks a fixture repository
//! with annotations and a job summary; the pre-commit hook (`.pre-commit-hooks.yaml`) run the
//! way pre-commit runs it, on the one file staged in a fixture git repository, reports that
//! file's whole document.
#![cfg(unix)]

mod util;

use std::fs;
use std::path::Path;
use std::process::Command;

use util::{fixture, root, Dir};

/// Copy a fixture project into a folder.
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

/// Run the action's script with these variables, from `dir`.
fn action(dir: &Path, vars: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new("bash");
    cmd.arg(root().join("ci/github/action.sh"))
        .current_dir(dir)
        .env("NO_COLOR", "1");
    for v in [
        "INPUT_PATHS",
        "INPUT_ARGS",
        "INPUT_VERSION",
        "INPUT_REPOSITORY",
        "PARALIGN_BIN",
        "PARALIGN_DRY_RUN",
        "GITHUB_STEP_SUMMARY",
        "RUNNER_OS",
        "RUNNER_ARCH",
    ] {
        cmd.env_remove(v);
    }
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

#[test]
fn action_downloads_the_archive_of_each_runner() {
    let dir = Dir::new();
    let cases = [
        (
            "Linux",
            "X64",
            "latest",
            "https://github.com/acme/paralign/releases/latest/download/paralign-x86_64-unknown-linux-musl.tar.gz",
        ),
        (
            "Linux",
            "ARM64",
            "0.1.0",
            "https://github.com/acme/paralign/releases/download/v0.1.0/paralign-aarch64-unknown-linux-musl.tar.gz",
        ),
        (
            "macOS",
            "ARM64",
            "v0.1.0",
            "https://github.com/acme/paralign/releases/download/v0.1.0/paralign-aarch64-apple-darwin.tar.gz",
        ),
        (
            "Windows",
            "X64",
            "0.2.0",
            "https://github.com/acme/paralign/releases/download/v0.2.0/paralign-x86_64-pc-windows-msvc.zip",
        ),
    ];
    for (os, arch, version, url) in cases {
        let (code, stdout, stderr) = action(
            dir.path(),
            &[
                ("RUNNER_OS", os),
                ("RUNNER_ARCH", arch),
                ("INPUT_VERSION", version),
                ("INPUT_REPOSITORY", "acme/paralign"),
                ("PARALIGN_DRY_RUN", "1"),
            ],
        );
        assert_eq!(
            (code, stdout.as_str(), stderr.as_str()),
            (0, &*format!("{url}\n"), "")
        );
    }
    let (code, _, stderr) = action(
        dir.path(),
        &[
            ("RUNNER_OS", "Linux"),
            ("RUNNER_ARCH", "ARM"),
            ("INPUT_REPOSITORY", "acme/paralign"),
            ("PARALIGN_DRY_RUN", "1"),
        ],
    );
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "paralign action: no release binary for Linux/ARM; build it with cargo install --locked \
         paralign and set PARALIGN_BIN\n"
    );
}

#[test]
fn action_checks_a_repository_with_annotations_and_a_job_summary() {
    let dir = Dir::new();
    copy_tree(&fixture("projects/folders"), dir.path());
    fs::remove_file(dir.join("docs/de/faq.md")).unwrap();
    let summary = dir.join("summary.md");
    let (code, stdout, stderr) = action(
        dir.path(),
        &[
            ("INPUT_PATHS", "docs"),
            ("INPUT_ARGS", "--report junit=paralign.xml"),
            ("PARALIGN_BIN", env!("CARGO_BIN_EXE_paralign")),
            ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()),
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stdout,
        "::error title=paralign%3A missing (de)::docs/de/faq.md: there is no de version of `faq` \
         (the file is expected here)\n\
         paralign: 3 translations checked in 2 documents: 0 findings, 1 missing version; FAILED: \
         1 missing version (faq [de])\n"
    );
    assert_eq!(stderr, format!("paralign {}\n", env!("CARGO_PKG_VERSION")));
    let md = fs::read_to_string(&summary).unwrap();
    assert!(md.starts_with("## paralign: FAILED\n"), "{md}");
    assert!(
        md.contains("| faq | de | 0.0% | no file: docs/de/faq.md | fails |\n"),
        "{md}"
    );
    assert!(dir.read("paralign.xml").contains("name=\"faq [de]\""));
}

#[test]
fn action_yml_runs_the_tested_script_with_its_inputs() {
    let yml = fs::read_to_string(root().join("action.yml")).unwrap();
    for line in [
        "  using: composite",
        "        INPUT_PATHS: ${{ inputs.paths }}",
        "        INPUT_ARGS: ${{ inputs.args }}",
        "        INPUT_VERSION: ${{ inputs.version }}",
        "        INPUT_REPOSITORY: ${{ inputs.repository || github.action_repository }}",
        "      run: '\"$GITHUB_ACTION_PATH/ci/github/action.sh\"'",
    ] {
        assert!(yml.lines().any(|l| l == line), "action.yml lacks `{line}`");
    }
}

// ---------------------------------------------------------------------------------------------
// The pre-commit hook.

/// `entry` and `types_or` of the hook, read from `.pre-commit-hooks.yaml`.
fn hook() -> (Vec<String>, Vec<String>) {
    let text = fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(&format!("{name}: ")))
            .unwrap_or_else(|| panic!("no {name} in .pre-commit-hooks.yaml"))
            .to_string()
    };
    let entry = field("entry")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let types = field("types_or")
        .trim_matches(['[', ']'])
        .split(',')
        .map(|t| t.trim().to_string())
        .collect();
    (entry, types)
}

fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .args(["-c", "user.name=test", "-c", "user.email=test@example.org"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn pre_commit_hook_checks_the_document_of_the_one_changed_file() {
    let (entry, types) = hook();
    assert_eq!(entry, ["paralign", "check"]);
    assert_eq!(types, ["markdown", "text"]);
    let dir = Dir::new();
    copy_tree(&fixture("projects/folders"), dir.path());
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "docs"]);
    // A translator pastes the English of a paragraph into the Spanish guide.
    let es = dir.read("docs/es/guide.md");
    let cut = es.replace(
        "Descargue el archivo desde la página del proyecto y descomprímalo en una carpeta de su elección.",
        "Download the archive from the project page and unpack it into a folder of your choice.",
    );
    assert_ne!(es, cut);
    fs::write(dir.join("docs/es/guide.md"), cut).unwrap();
    dir.create("notes.json", "{}\n");
    git(dir.path(), &["add", "."]);
    // As pre-commit does: the staged files of the hook's types, appended to its entry.
    let staged: Vec<String> = git(dir.path(), &["diff", "--cached", "--name-only"])
        .lines()
        .filter(|f| {
            let ext = f.rsplit_once('.').map(|x| x.1).unwrap_or("");
            types.iter().any(|t| match t.as_str() {
                "markdown" => ext == "md" || ext == "markdown",
                "text" => ext == "txt",
                _ => false,
            })
        })
        .map(str::to_string)
        .collect();
    assert_eq!(staged, ["docs/es/guide.md"]);
    let o = Command::new(env!("CARGO_BIN_EXE_paralign"))
        .args(&entry[1..])
        .args(&staged)
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(1), "{stdout}");
    assert_eq!(
        stdout,
        "guide: en docs/en/guide.md (4 paragraphs)\n\
         \x20 de docs/de/guide.md (4 paragraphs): coverage 100.0% (4/4), ok\n\
         \x20 es docs/es/guide.md (4 paragraphs): coverage 75.0% (3/4), 1 untranslated\n\
         \x20   error    untranslated docs/es/guide.md:5: the paragraph at line 5 is not translated \
         into Spanish: it is the en source text (source docs/en/guide.md:5)\n\
         \x20            “Download the archive from the project page and unpack it into a folder of \
         your choice.”\n\
         \n\
         2 translations checked in 1 document: 1 finding; FAILED: 1 finding fails the policy \
         (fail on: missing, untranslated)\n"
    );
}

// ---------------------------------------------------------------------------------------------
// The GitLab template.

#[test]
fn gitlab_template_job_writes_code_quality_and_junit() {
    let yml = fs::read_to_string(root().join("ci/gitlab/paralign.gitlab-ci.yml")).unwrap();
    // The job's command, as the template holds it.
    let lines: Vec<&str> = yml.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == "  script:")
        .expect("a script section");
    let command = lines[at + 1]
        .strip_prefix("    - ")
        .expect("one script line");
    for report in [
        "      codequality: gl-code-quality.json",
        "      junit: paralign-junit.xml",
    ] {
        assert!(lines.contains(&report), "the template lacks `{report}`");
    }
    // Run it as the job's shell would, with paralign on the PATH.
    let dir = Dir::new();
    copy_tree(&fixture("projects/suffix"), dir.path());
    fs::remove_file(dir.join("docs/faq.de.md")).unwrap();
    let bin = Dir::new();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_paralign"), bin.join("paralign")).unwrap();
    let o = Command::new("sh")
        .args(["-c", command])
        .current_dir(dir.path())
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin.path().display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("PARALIGN_PATHS", "docs")
        .env("PARALIGN_ARGS", "--fail-on missing")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(1), "{stdout}");
    assert!(stdout.ends_with(
        "3 translations checked in 2 documents: 0 findings, 1 missing version; FAILED: 1 missing version (faq [de])\n"
    ), "{stdout}");
    let cq: serde_json::Value = serde_json::from_str(&dir.read("gl-code-quality.json")).unwrap();
    assert_eq!(cq.as_array().unwrap().len(), 1);
    assert_eq!(cq[0]["check_name"], "paralign/missing-version");
    assert_eq!(cq[0]["location"]["path"], "docs/faq.de.md");
    assert!(dir.read("paralign-junit.xml").contains("name=\"faq [de]\""));
}
