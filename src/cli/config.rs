//! `paralign.toml` and the policy flags, validated into settings. Unknown keys are an error.
//! Reads the config and acceptance files (regular files of bounded size, the acceptance file
//! inside the project); does no other work. Errors name the file and line, never quote another
//! file's content.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{lang_flag, PolicyArgs, ProjectArgs};
use crate::align::{Flag, Thresholds};
use crate::check::{Accepted, Policy};
use crate::collect::{read_capped, Layout, WalkOptions, DEFAULT_MAX_FILE_SIZE};
use crate::error::{Error, ErrorKind, Result};
use crate::language::LangTag;

/// The config file's name.
pub const CONFIG_FILE: &str = "paralign.toml";
/// The acceptance file's default name.
pub const ACCEPTED_FILE: &str = "paralign.accepted.toml";
/// The largest config or acceptance file read.
const MAX_CONFIG_SIZE: u64 = 4 * 1024 * 1024;

/// The file as written.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// The source language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_lang: Option<String>,
    /// The languages every document must have.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<String>>,
    /// Where versions live: path patterns with `{lang}`, relative to this file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// Only files matching these globs (relative to this file) are read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// Files matching these globs (relative to this file) are not read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// Flags that fail the check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<Vec<String>>,
    /// Minimum coverage in percent for every language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_coverage: Option<f64>,
    /// Minimum coverage in percent per language.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub min_coverage_lang: BTreeMap<String, f64>,
    /// The acceptance file, relative to this file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<PathBuf>,
    /// Where signals turn into flags.
    #[serde(default)]
    pub thresholds: ThresholdsFile,
}

/// `[thresholds]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct ThresholdsFile {
    /// A pair scoring below this is diverging (low-score).
    pub low_score: f64,
    /// Length z-score beyond which, together with
    pub length_z: f64,
    /// this factor, the length diverges.
    pub length_factor: f64,
}

impl Default for ThresholdsFile {
    fn default() -> Self {
        let t = Thresholds::default();
        ThresholdsFile {
            low_score: t.low_score,
            length_z: t.length_z,
            length_factor: t.length_factor,
        }
    }
}

/// Settings for check and accept, resolved from the file and the flags.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The source language.
    pub source_lang: Option<LangTag>,
    /// The policy.
    pub policy: Policy,
    /// Thresholds.
    pub thresholds: Thresholds,
    /// Where the acceptance file is (it may not exist yet).
    pub accepted_path: PathBuf,
    /// The config file read, if any.
    pub config_path: Option<PathBuf>,
    /// The resolved file, for --dump-config.
    pub resolved: ConfigFile,
    /// How to find the versions.
    pub walk: WalkOptions,
}

/// Find `paralign.toml` in the current folder or the nearest parent.
/// The path is relative to the current folder (`paralign.toml`, `../paralign.toml`), so that
/// messages and reports name no absolute paths.
pub fn find_config() -> Option<PathBuf> {
    let mut dir = std::env::current_dir().ok()?;
    let mut rel = PathBuf::new();
    loop {
        if dir.join(CONFIG_FILE).is_file() {
            return Some(rel.join(CONFIG_FILE));
        }
        if !dir.pop() {
            return None;
        }
        rel.push("..");
    }
}

/// Parse a comma-separated list of flags (`all` and `none` allowed).
pub fn parse_flags(s: &str, what: &str) -> Result<Vec<Flag>> {
    let mut out = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part {
            "all" => out.extend(Flag::ALL),
            "none" => {}
            p => out.push(Flag::parse(p).ok_or_else(|| {
                Error::usage(format!(
                    "{what}: `{p}` is not a flag; use missing, extra, untranslated, diverging, misnumbered, reordered, outdated, all or none"
                ))
            })?),
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// A minimum coverage as a fraction in [0, 1]: `90` and `90%` are percent, a number below 1
/// is a fraction (`0.9` is 90 %, as the JSON reports coverage).
fn percent(v: f64, what: &str) -> Result<f64> {
    if !v.is_finite() || !(0.0..=100.0).contains(&v) {
        return Err(Error::usage(format!(
            "{what}: {v} is not a percentage between 0 and 100 (or a fraction below 1)"
        )));
    }
    Ok(if v < 1.0 { v } else { v / 100.0 })
}

/// A minimum coverage as written on the command line: `90`, `90%`, `0.9`.
pub fn parse_coverage(text: &str, shown: &str, what: &str) -> Result<f64> {
    let t = text.trim();
    let bad = || {
        Error::usage(format!(
            "{what}: `{shown}` is not PERCENT or LANG=PERCENT (90, 90%, 0.9, es=100)"
        ))
    };
    if let Some(num) = t.strip_suffix('%') {
        let v: f64 = num.trim().parse().map_err(|_| bad())?;
        if !v.is_finite() || !(0.0..=100.0).contains(&v) {
            return Err(Error::usage(format!(
                "{what}: {t} is not a percentage between 0 and 100"
            )));
        }
        return Ok(v / 100.0);
    }
    let v: f64 = t.parse().map_err(|_| bad())?;
    percent(v, what)
}

/// A size in bytes: `1000000`, `64M`, `512K`, `1G` (binary units).
fn parse_size(text: &str) -> Result<u64> {
    let t = text.trim();
    let bad = || {
        Error::usage(format!(
            "--max-file-size: `{t}` is not a size (bytes, or with K, M or G: 64M)"
        ))
    };
    let (num, mult) = match t.char_indices().last() {
        Some((i, c)) if c.eq_ignore_ascii_case(&'k') => (&t[..i], 1u64 << 10),
        Some((i, c)) if c.eq_ignore_ascii_case(&'m') => (&t[..i], 1 << 20),
        Some((i, c)) if c.eq_ignore_ascii_case(&'g') => (&t[..i], 1 << 30),
        _ => (t, 1),
    };
    let n: u64 = num.trim().parse().map_err(|_| bad())?;
    let n = n.checked_mul(mult).ok_or_else(bad)?;
    if n == 0 {
        return Err(bad());
    }
    Ok(n)
}

/// Read a config or acceptance file: a regular file, not too large, UTF-8.
fn read_small(path: &Path) -> Result<String> {
    let bytes = read_capped(path, MAX_CONFIG_SIZE)?;
    String::from_utf8(bytes).map_err(|_| {
        Error::new(ErrorKind::Config("not UTF-8 text: not a TOML file".into())).with_path(path)
    })
}

/// A path a config file names must stay inside the project (the config file's folder).
fn inside_project(base: &Path, p: &Path, what: &str) -> Result<PathBuf> {
    use std::path::Component;
    if p.components().any(|c| {
        matches!(
            c,
            Component::ParentDir | Component::RootDir | Component::Prefix(_)
        )
    }) {
        return Err(Error::usage(format!(
            "{what}: `{}` leaves the project; name a file inside the folder of paralign.toml",
            p.display()
        )));
    }
    let full = base.join(p);
    // An existing file (or a link) must resolve inside the project too.
    if let (Ok(real), Ok(root)) = (
        std::fs::canonicalize(&full),
        std::fs::canonicalize(if base.as_os_str().is_empty() {
            Path::new(".")
        } else {
            base
        }),
    ) {
        if !real.starts_with(&root) {
            return Err(Error::usage(format!(
                "{what}: `{}` leads outside the project; name a file inside the folder of paralign.toml",
                p.display()
            )));
        }
    }
    Ok(full)
}

/// Resolve the settings, the project's from the file alone.
pub fn resolve(args: &PolicyArgs) -> Result<Settings> {
    resolve_project(args, &ProjectArgs::default())
}

/// Resolve the settings, with the project flags.
pub fn resolve_project(args: &PolicyArgs, project: &ProjectArgs) -> Result<Settings> {
    let (config_path, file) = load(args)?;
    let at_file = |what: &str| at_file(config_path.as_deref(), what);
    let mut resolved = file.clone();

    let source_lang = source_lang(args, &file, config_path.as_deref())?;
    resolved.source_lang = source_lang.as_ref().map(|l| l.to_string());

    let fail_on = match (&args.fail_on, &file.fail_on) {
        (Some(s), _) => parse_flags(s, "--fail-on")?,
        (None, Some(list)) => parse_flags(&list.join(","), &at_file("fail-on"))?,
        (None, None) => Policy::default().fail_on,
    };
    resolved.fail_on = Some(fail_on.iter().map(|f| f.as_str().to_string()).collect());

    let (min_coverage, per_lang) = coverage(args, &file, config_path.as_deref())?;
    resolved.min_coverage = min_coverage.map(|v| v * 100.0);
    resolved.min_coverage_lang = per_lang
        .iter()
        .map(|(k, v)| (k.clone(), v * 100.0))
        .collect();

    let thresholds = thresholds(&file, config_path.as_deref())?;

    // The project's folder: the config file's (relative paths in it start there).
    let base = config_path
        .as_deref()
        .and_then(Path::parent)
        .unwrap_or(Path::new(""))
        .to_path_buf();
    let accepted_path = match (&args.accepted, &file.accepted) {
        (Some(p), _) => p.clone(),
        (None, Some(p)) => inside_project(&base, p, &at_file("accepted"))?,
        (None, None) => base.join(ACCEPTED_FILE),
    };
    resolved.accepted = Some(accepted_path.clone());
    let accepted = read_accepted(&accepted_path)?;

    // The project's languages and layout.
    let languages = languages(project, &file, config_path.as_deref())?;
    resolved.languages =
        (!languages.is_empty()).then(|| languages.iter().map(|l| l.to_string()).collect());
    let layout = Layout::new(&file.paths, &file.include, &file.exclude, &languages)
        .map_err(|e| Error::usage(format!("{}: {e}", at_file("paths, include, exclude"))))?;
    let max_file_size = project
        .max_file_size
        .as_deref()
        .map(parse_size)
        .transpose()?
        .unwrap_or(DEFAULT_MAX_FILE_SIZE);
    let walk = WalkOptions {
        root: config_path.as_ref().map(|_| base.clone()),
        layout,
        follow_links: project.follow_links,
        max_file_size,
        whole_documents: true,
    };
    Ok(Settings {
        source_lang,
        policy: Policy {
            fail_on,
            min_coverage,
            min_coverage_lang: per_lang,
            accepted,
            languages,
        },
        walk,
        thresholds,
        accepted_path,
        config_path,
        resolved,
    })
}

/// The config file the flags name (or the nearest paralign.toml, unless --no-config), parsed;
/// without one, the defaults.
fn load(args: &PolicyArgs) -> Result<(Option<PathBuf>, ConfigFile)> {
    let config_path = if args.no_config {
        None
    } else {
        match &args.config {
            Some(p) => Some(p.clone()),
            None => find_config(),
        }
    };
    let file = match &config_path {
        Some(p) => {
            let text = read_small(p)?;
            toml::from_str::<ConfigFile>(&text).map_err(|e| {
                let line = e.span().map(|s| 1 + text[..s.start].matches('\n').count());
                let msg = e.message().lines().collect::<Vec<_>>().join("; ");
                let mut err = Error::new(ErrorKind::Config(msg)).with_path(p);
                if let Some(l) = line {
                    err = err.with_line(l);
                }
                err
            })?
        }
        None => ConfigFile::default(),
    };
    Ok((config_path, file))
}

/// How an error names a setting of the config file: `paralign.toml (fail-on)`.
fn at_file(config_path: Option<&Path>, what: &str) -> String {
    match config_path {
        Some(p) => format!("{} ({what})", p.display()),
        None => what.to_string(),
    }
}

/// The source language: --source-lang, else the config file's.
fn source_lang(
    args: &PolicyArgs,
    file: &ConfigFile,
    config_path: Option<&Path>,
) -> Result<Option<LangTag>> {
    Ok(
        match lang_flag(args.source_lang.as_deref(), "--source-lang")? {
            Some(l) => Some(l),
            None => file
                .source_lang
                .as_deref()
                .map(|s| {
                    LangTag::parse(s).map_err(|e| {
                        Error::usage(format!("{}: {e}", at_file(config_path, "source-lang")))
                    })
                })
                .transpose()?,
        },
    )
}

/// The minimum coverage, for every language and per language (fractions): the file's, then
/// the flags', which override it.
fn coverage(
    args: &PolicyArgs,
    file: &ConfigFile,
    config_path: Option<&Path>,
) -> Result<(Option<f64>, BTreeMap<String, f64>)> {
    let at_file = |what: &str| at_file(config_path, what);
    let mut min_coverage = file
        .min_coverage
        .map(|v| percent(v, &at_file("min-coverage")))
        .transpose()?;
    let mut per_lang = BTreeMap::new();
    for (k, v) in &file.min_coverage_lang {
        let tag = LangTag::parse(k)
            .map_err(|e| Error::usage(format!("{}: {e}", at_file("min-coverage-lang"))))?;
        per_lang.insert(
            tag.language().to_string(),
            percent(*v, &at_file("min-coverage-lang"))?,
        );
    }
    // The flags override the file; within the flags, a value given twice is a mistake.
    let mut flag_global = false;
    let mut flag_langs: Vec<String> = Vec::new();
    for item in args.min_coverage.iter().flat_map(|s| s.split(',')) {
        let item = item.trim();
        if item.is_empty() {
            return Err(Error::usage(
                "--min-coverage: an empty value; give PERCENT or LANG=PERCENT (90, 90%, 0.9, es=100)",
            ));
        }
        match item.split_once('=') {
            Some((lang, v)) => {
                let tag = LangTag::parse(lang.trim())
                    .map_err(|e| Error::usage(format!("--min-coverage: {e}")))?;
                let key = tag.language().to_string();
                if flag_langs.contains(&key) {
                    return Err(Error::usage(format!(
                        "--min-coverage: {key} is given twice; give each language once"
                    )));
                }
                flag_langs.push(key.clone());
                per_lang.insert(key, parse_coverage(v, item, "--min-coverage")?);
            }
            None => {
                if flag_global {
                    return Err(Error::usage(
                        "--min-coverage: the minimum for every language is given twice; give it once",
                    ));
                }
                flag_global = true;
                min_coverage = Some(parse_coverage(item, item, "--min-coverage")?);
            }
        }
    }
    Ok((min_coverage, per_lang))
}

/// The scorer's thresholds from the config file, checked.
fn thresholds(file: &ConfigFile, config_path: Option<&Path>) -> Result<Thresholds> {
    let t = &file.thresholds;
    if !(0.0..=1.0).contains(&t.low_score)
        || !t.length_z.is_finite()
        || t.length_z <= 0.0
        || !t.length_factor.is_finite()
        || t.length_factor < 1.0
    {
        return Err(Error::usage(format!(
            "{}: low-score must be in [0, 1], length-z a finite number above 0, length-factor a finite number of at least 1",
            at_file(config_path, "thresholds")
        )));
    }
    Ok(Thresholds {
        low_score: t.low_score,
        length_z: t.length_z,
        length_factor: t.length_factor,
        ..Thresholds::default()
    })
}

/// The project's languages: --languages, else the config file's, each once.
fn languages(
    project: &ProjectArgs,
    file: &ConfigFile,
    config_path: Option<&Path>,
) -> Result<Vec<LangTag>> {
    let mut languages: Vec<LangTag> = Vec::new();
    let declared: Vec<(String, String)> = match (&project.languages, &file.languages) {
        (Some(s), _) => s
            .split(',')
            .map(|l| (l.trim().to_string(), "--languages".to_string()))
            .collect(),
        (None, Some(list)) => list
            .iter()
            .map(|l| (l.clone(), at_file(config_path, "languages")))
            .collect(),
        (None, None) => Vec::new(),
    };
    for (l, what) in declared {
        let tag = LangTag::parse(&l).map_err(|e| Error::usage(format!("{what}: {e}")))?;
        if languages.iter().any(|o: &LangTag| o.same_language(&tag)) {
            return Err(Error::usage(format!("{what}: {tag} is given twice")));
        }
        languages.push(tag);
    }
    Ok(languages)
}

/// Read the acceptance file (an absent file is an empty list).
pub fn read_accepted(path: &Path) -> Result<Accepted> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Accepted::default()),
        Err(e) => return Err(Error::from(e).with_path(path)),
        Ok(_) => {}
    }
    let text = read_small(path)?;
    Accepted::parse(&text).map_err(|e| e.with_path(path))
}
