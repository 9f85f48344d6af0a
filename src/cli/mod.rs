//! The command line: clap definitions (raw arguments), their validation into settings, and one
//! file per subcommand. This is the only place that picks exit codes and prints. Private to the
//! crate: the binary enters through [`crate::main_with_args`].

// `println!` and `eprintln!` panic when their stream is closed or full (`2>/dev/full`, a reader
// that went away). These two, defined before the subcommands' modules so that they shadow std's
// in all of them, write the same line and let a failed write go: the exit code still tells, and
// a message about a message that could not be printed has nowhere to go either.
macro_rules! println {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}
macro_rules! eprintln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod accept;
mod align;
mod analyze;
mod check;
mod config;
mod export;
mod glossary;
mod import;
mod import_tmx;
mod leverage;
mod lexicon;
mod lookup;
mod output;
mod pretranslate;
mod queries;
mod rebuild_model;
mod segments;
mod serve;
mod status;
mod units;
mod xliff;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::error::{Error, Result};

/// Exit code: nothing fails the policy.
pub const EXIT_OK: i32 = 0;
/// Exit code: findings fail the policy.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: usage or input error.
pub const EXIT_ERROR: i32 = 2;

const AFTER_HELP: &str = "\
Exit codes:
  0  nothing fails the policy (align: a report was produced)
  1  findings fail the policy (check: --fail-on flags, --min-coverage)
  2  usage or input error (missing or unreadable file, bad encoding, unknown flag value)

A document's language versions are found by their names, NAME.LANG.EXT (statement.en.txt,
statement.es.txt, law.zh-Hans.md), by a folder per language (docs/en/guide.md,
docs/es/guide.md), or by the `paths` patterns of paralign.toml (content/{lang}/{path}.md); a
file named alone brings its whole document. A file without a language in its path is read as a
page that may hold several language versions one after another, split by each paragraph's
language. An XLIFF file (.xlf, .xliff; 1.2 or 2.0) is a document whose sources and targets are
paired unit by unit; units marked translate=\"no\" are not checked.";

/// Align translated documents paragraph by paragraph and flag what a reviewer must see.
#[derive(Debug, Parser)]
#[command(name = "paralign", version, about, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Align target versions with a source and print every pair (exit 0 whenever a report is
    /// produced).
    #[command(after_help = AFTER_HELP)]
    Align(AlignArgs),
    /// Align the language versions found under PATHs, print findings, fail on the policy.
    #[command(after_help = AFTER_HELP)]
    Check(CheckArgs),
    /// Record the current findings under PATHs as reviewed and accepted, so that `check` no
    /// longer fails on them (until either paragraph changes).
    #[command(after_help = AFTER_HELP)]
    Accept(AcceptArgs),
    /// Align the language versions found under PATHs and store them in the translation memory
    /// (a changed source marks the translations of its changed paragraphs outdated).
    #[command(after_help = import::MEMORY_HELP)]
    Import(import::ImportArgs),
    /// Show where each document and language stands in the translation memory, or one
    /// document paragraph by paragraph.
    #[command(after_help = import::MEMORY_HELP)]
    Status(status::StatusArgs),
    /// List or search the translation memory's segments.
    #[command(after_help = import::MEMORY_HELP)]
    Segments(segments::SegmentsArgs),
    /// Find the closest earlier translations of a text in the translation memory, with their
    /// match percentage and the differences marked.
    #[command(after_help = import::MEMORY_HELP)]
    Lookup(lookup::LookupArgs),
    /// Count how much of a new document the translation memory already translates, per target
    /// language, in match bands (100, repetitions, 95-99, 85-94, 75-84, 50-74, no match).
    #[command(after_help = import::MEMORY_HELP)]
    Analyze(analyze::AnalyzeArgs),
    /// Write a draft translation of a new document from the translation memory: exact matches
    /// filled, fuzzy ones filled and marked for review, the rest left in the source.
    #[command(after_help = import::MEMORY_HELP)]
    Pretranslate(pretranslate::PretranslateArgs),
    /// Serve the translation memory over HTTP: a JSON API (lookup, analyze, status,
    /// segments) and the amaGama/tmserver API that Weblate and Virtaal call; read-only unless
    /// started with --token (127.0.0.1 unless --listen says otherwise; one JSON log line per
    /// request on stderr).
    #[command(after_help = import::MEMORY_HELP)]
    Serve(serve::ServeArgs),
    /// Export the translation memory: TMX 1.4b for CAT tools, TSV for spreadsheets, or XLIFF
    /// (2.0 or 1.2) with the paragraphs one language lacks, for a translator.
    #[command(after_help = import::MEMORY_HELP)]
    Export(export::ExportArgs),
    /// Merge a TMX file (from a CAT tool or another memory) into the translation memory; a
    /// malformed file writes nothing.
    #[command(name = "import-tmx", after_help = import::MEMORY_HELP)]
    ImportTmx(import_tmx::ImportTmxArgs),
    /// Store the translations of a filled XLIFF file (2.0 or 1.2) in the translation memory,
    /// refusing units whose source changed; --write-docs also writes the updated target
    /// documents.
    #[command(name = "import-xliff", after_help = import::MEMORY_HELP)]
    ImportXliff(xliff::ImportXliffArgs),
    /// Store a glossary (TBX, or a TSV or CSV table with a column per language) in the
    /// translation memory, where `check`, `align` and `lookup` find its terms; a malformed file
    /// writes nothing, and importing a file again adds nothing.
    #[command(name = "import-glossary", after_help = import::MEMORY_HELP)]
    ImportGlossary(glossary::ImportGlossaryArgs),
    /// Show what the word model learns from the translation memory's segments into LANG: each
    /// word's likeliest translations, how sure, in how many segments, and the glossary's terms.
    #[command(after_help = import::MEMORY_HELP)]
    Lexicon(lexicon::LexiconArgs),
    /// Train the translation memory's word models again from every stored segment (imports
    /// train them on their new segments; check and align use them).
    #[command(name = "rebuild-model", after_help = import::MEMORY_HELP)]
    RebuildModel(rebuild_model::RebuildModelArgs),
    /// Print a completion script for a shell (bash, zsh, fish, elvish, powershell): for bash,
    /// `paralign completions bash > ~/.local/share/bash-completion/completions/paralign`.
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// Write the completion script of `shell` to standard output.
fn completions(args: CompletionsArgs) -> Result<i32> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "paralign", &mut out);
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(&out)
        .and_then(|()| stdout.flush())
        .map_err(|e| Error::from(e).with_path(Path::new("<stdout>")))?;
    Ok(EXIT_OK)
}

/// Where the translation memory is.
#[derive(Debug, Args)]
struct DbArgs {
    /// The translation memory: a SQLite file, or PostgreSQL as postgres://user@host:port/db
    /// [env: PARALIGN_DB] [default: memory/paralign.sqlite in the folder holding paralign.toml,
    /// else in this folder]; `:memory:` for a throw-away one.
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
}

/// Output formats of `align`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum AlignFormat {
    Text,
    Json,
    /// The review page of `check --format html`, without a verdict.
    Html,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
    /// Workflow annotations, a summary line, and the job summary when $GITHUB_STEP_SUMMARY is
    /// set.
    Github,
    Junit,
    Sarif,
    Html,
    /// A Markdown summary (job summary, merge request comment).
    Markdown,
    /// GitLab Code Quality JSON.
    Gitlab,
}

impl CheckFormat {
    fn format(self) -> crate::report::Format {
        use crate::report::Format;
        match self {
            CheckFormat::Text => Format::Text,
            CheckFormat::Json => Format::Json,
            CheckFormat::Github => Format::Github,
            CheckFormat::Junit => Format::Junit,
            CheckFormat::Sarif => Format::Sarif,
            CheckFormat::Html => Format::Html,
            CheckFormat::Markdown => Format::Markdown,
            CheckFormat::Gitlab => Format::Gitlab,
        }
    }
}

/// When to colour the text report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
struct OutputArgs {
    /// Write the report to FILE instead of standard output (written whole or not at all).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Colour the text report: auto (on a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb;
    /// CLICOLOR_FORCE forces it), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,
}

#[derive(Debug, Args)]
struct AlignArgs {
    /// The source document, or an XLIFF file (its sources and targets).
    #[arg(value_name = "SOURCE")]
    source: PathBuf,
    /// One or more translations of it (none for an XLIFF file, which holds both).
    #[arg(value_name = "TARGET")]
    targets: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AlignFormat::Text)]
    format: AlignFormat,
    /// The source's language (BCP 47), when its file name does not say.
    #[arg(long, value_name = "LANG")]
    source_lang: Option<String>,
    /// The targets' language (BCP 47), when their file names do not say.
    #[arg(long, value_name = "LANG")]
    target_lang: Option<String>,
    /// Flag pairs whose translation lacks a term of this glossary (TBX, TSV, CSV) as
    /// `diverging (term)` [default: the glossary of memory/paralign.sqlite when it exists].
    #[arg(long, value_name = "FILE")]
    glossary: Option<PathBuf>,
    #[command(flatten)]
    out: OutputArgs,
}

#[derive(Debug, Args)]
struct PolicyArgs {
    /// Flags that fail the check, comma-separated: missing, extra, untranslated, diverging,
    /// misnumbered, reordered, outdated; `all` or `none` [default: missing,untranslated]
    #[arg(long, value_name = "FLAGS")]
    fail_on: Option<String>,
    /// Fail when a language's coverage is under PERCENT; LANG=PERCENT sets one language
    /// (repeatable, or comma-separated: 95,es=100).
    #[arg(long, value_name = "PERCENT")]
    min_coverage: Vec<String>,
    /// The source language (BCP 47) [default: English when present, else the longest version]
    #[arg(long, value_name = "LANG")]
    source_lang: Option<String>,
    /// Read settings from FILE [default: paralign.toml in this folder or the nearest parent].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Do not read paralign.toml.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
    /// The file of accepted findings [default: paralign.accepted.toml beside paralign.toml].
    #[arg(long, value_name = "FILE")]
    accepted: Option<PathBuf>,
}

/// The project's languages and how its folders are walked (check and accept).
#[derive(Debug, Default, Args)]
struct ProjectArgs {
    /// The languages every document must have, comma-separated (es,ru,kk); a document with no
    /// file for one is reported `missing` with the path expected [default: `languages` in
    /// paralign.toml, else the languages of the documents beside it].
    #[arg(long, value_name = "LANGS")]
    languages: Option<String>,
    /// Follow symbolic links that lead out of the project (by default they are not read).
    #[arg(long)]
    follow_links: bool,
    /// The largest file read (bytes, or with K, M or G) [default: 64M].
    #[arg(long, value_name = "SIZE")]
    max_file_size: Option<String>,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Files or folders to check.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,
    /// Output format (on standard output, or -o FILE; with -o, a summary line is still printed).
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    format: CheckFormat,
    /// Also write a report in FORMAT to PATH (repeatable: --report junit=j.xml --report
    /// html=r.html); formats: text, json, github, junit, sarif, html, markdown, gitlab.
    #[arg(long, value_name = "FORMAT=PATH")]
    report: Vec<String>,
    #[command(flatten)]
    policy: PolicyArgs,
    #[command(flatten)]
    project: ProjectArgs,
    /// Print the resolved settings (after paralign.toml and flags) and exit.
    #[arg(long)]
    dump_config: bool,
    #[command(flatten)]
    out: OutputArgs,
    /// Also report translations made from an earlier source text (`outdated`), from this
    /// translation memory [env: PARALIGN_DB] [default: memory/paralign.sqlite when it exists].
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Flag pairs whose translation lacks a term of this glossary (TBX, TSV, CSV) as
    /// `diverging (term)` [default: the memory's glossary, when there is a memory].
    #[arg(long, value_name = "FILE")]
    glossary: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct AcceptArgs {
    /// Files or folders to check.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,
    /// Why these findings are fine (kept in the file for the next reviewer).
    #[arg(long, value_name = "TEXT")]
    reason: String,
    /// Only findings with these flags (comma-separated).
    #[arg(long, value_name = "FLAGS")]
    flag: Option<String>,
    /// Only this target language.
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,
    /// Only the paragraph with this label.
    #[arg(long, value_name = "LABEL")]
    label: Option<String>,
    /// Only this document.
    #[arg(long, value_name = "NAME")]
    document: Option<String>,
    #[command(flatten)]
    policy: PolicyArgs,
    #[command(flatten)]
    project: ProjectArgs,
    /// Read outdated translations from this translation memory, as `check` does, so that they
    /// can be accepted too [env: PARALIGN_DB] [default: memory/paralign.sqlite when it exists].
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
}

/// Run the command line on `args` (the program's name first); returns the exit code.
pub(crate) fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) if !e.use_stderr() => {
            // --help and --version
            let _ = e.print();
            return EXIT_OK;
        }
        // `paralign` or `paralign import-xliff` alone: the help as clap lays it out, on
        // stderr (it is not the output asked for), and a usage error's code.
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprintln!("{}", e.render().to_string().trim_end());
            return EXIT_ERROR;
        }
        Err(e) => {
            eprintln!("paralign: {}", one_line(&e.to_string()));
            return EXIT_ERROR;
        }
    };
    let result = match cli.command {
        Command::Align(a) => align::run(a),
        Command::Check(c) => check::run(c),
        Command::Accept(a) => accept::run(a),
        Command::Import(a) => import::run(a),
        Command::Status(a) => status::run(a),
        Command::Segments(a) => segments::run(a),
        Command::Lookup(a) => lookup::run(a),
        Command::Lexicon(a) => lexicon::run(a),
        Command::RebuildModel(a) => rebuild_model::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Analyze(a) => analyze::run(a),
        Command::Pretranslate(a) => pretranslate::run(a),
        Command::Export(a) => export::run(a),
        Command::ImportTmx(a) => import_tmx::run(a),
        Command::ImportXliff(a) => xliff::run(a),
        Command::ImportGlossary(a) => glossary::run(a),
        Command::Completions(a) => completions(a),
    };
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => EXIT_OK,
        Err(e) => {
            eprintln!("paralign: {e}");
            EXIT_ERROR
        }
    }
}

/// A clap error on one line: its message and possible values, without usage and hints.
fn one_line(msg: &str) -> String {
    msg.lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with("Usage:") && !l.starts_with("For more information")
        })
        .map(|l| l.trim_start_matches("error: "))
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_broken_pipe(e: &Error) -> bool {
    matches!(e.kind(), crate::error::ErrorKind::BrokenPipe)
}

/// Print every error of a batch on stderr, one line each.
fn print_errors<'a>(errors: impl IntoIterator<Item = &'a Error>) -> bool {
    let mut any = false;
    for e in errors {
        eprintln!("paralign: {e}");
        any = true;
    }
    any
}

/// Whether to colour output going to stdout.
fn color(choice: ColorChoice, to_file: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        // anstream reads the conventions: a terminal, NO_COLOR, CLICOLOR=0, CLICOLOR_FORCE,
        // TERM=dumb.
        ColorChoice::Auto => {
            !to_file
                && matches!(
                    anstream::AutoStream::choice(&io::stdout()),
                    anstream::ColorChoice::Always | anstream::ColorChoice::AlwaysAnsi
                )
        }
    }
}

/// Write output to a file (whole, through `output`'s one writer) or to stdout.
fn emit(output: Option<&Path>, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    let shown = output.unwrap_or(Path::new("<stdout>"));
    output::write_whole(output, |w| write(w).map_err(|e| output::io_error(e, shown)))
}

/// Parse a BCP 47 tag given as a flag.
fn lang_flag(value: Option<&str>, flag: &str) -> Result<Option<crate::language::LangTag>> {
    value
        .map(|v| {
            crate::language::LangTag::parse(v).map_err(|e| Error::usage(format!("{flag}: {e}")))
        })
        .transpose()
}
