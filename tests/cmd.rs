//! The command line as a reviewer reads it: every case in `tests/cmd/` is a command with its
//! arguments and the exact standard output, standard error and exit code it must give, in
//! files (`NAME.toml` with `NAME.stdout` and `NAME.stderr`, or a session of commands in
//! `NAME.trycmd` run in a copy of `NAME.in/`). After an intended change of output,
//! `TRYCMD=overwrite cargo test --test cmd` rewrites the expected files: review their diff.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        .env("PARALIGN_NOW", "2024-03-14T10:00:00Z")
        .case("tests/cmd/*.toml")
        .case("tests/cmd/*.trycmd");
}
