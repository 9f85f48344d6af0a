//! paralign aligns the language versions of a document paragraph by paragraph, scores each
//! pair by how likely it is a translation, and flags what a reviewer must see: missing, extra,
//! untranslated, diverging, misnumbered and reordered paragraphs.
//!
//! The library does the work; the `paralign` binary is the command line around it, entered
//! through [`main_with_args`]. Library code never prints: reports are built by [`report`] from
//! the data returned here (the command line, private to the crate, prints them).
#![deny(missing_docs)]

pub mod align;
pub mod check;
mod cli;
pub mod collect;
pub mod document;
mod error;
pub mod exchange;
pub mod language;
pub mod model;
pub mod report;
pub mod reuse;
pub mod score;
pub mod store;
pub mod text;
pub mod time;

pub use error::{Error, ErrorKind, Result};

/// The `paralign` command line, the binary's one entry point: parse `args` (the program's name
/// first, as [`std::env::args_os`] gives them), run the command, print its output and its
/// errors (each once, on stderr), and return the exit code: 0 when nothing fails the policy,
/// 1 when findings fail it, 2 on a usage or input error. A closed output pipe exits 0.
///
/// ```
/// let code = paralign::main_with_args(["paralign", "--version"]);
/// assert_eq!(code, std::process::ExitCode::SUCCESS);
/// ```
pub fn main_with_args<I, T>(args: I) -> std::process::ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let code = cli::run(args);
    // The codes are 0, 1 and 2 (cli's EXIT_*): they fit a u8.
    std::process::ExitCode::from(u8::try_from(code).unwrap_or(2))
}
