//! `paralign.toml` and the policy flags, validated into settings. Unknown keys are an error.
//! Reads the config and acceptance files; does no other work.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{lang_flag, PolicyArgs};
use crate::align::{Flag, Thresholds};
use crate::check::{Accepted, Policy};
use crate::error::{Error, ErrorKind, Result};
use crate::language::LangTag;

/// The config file's name.
pub const CONFIG_FILE: &str = "paralign.toml";
/// The acceptance file's default name.
pub const ACCEPTED_FILE: &str = "paralign.accepted.toml";

/// The file as written.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// The source language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_lang: Option<String>,
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

fn percent(v: f64, what: &str) -> Result<f64> {
    if !(0.0..=100.0).contains(&v) || v.is_nan() {
        return Err(Error::usage(format!(
            "{what}: {v} is not a percentage between 0 and 100"
        )));
    }
    Ok(v / 100.0)
}

/// Resolve the settings.
pub fn resolve(args: &PolicyArgs) -> Result<Settings> {
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
            let text = std::fs::read_to_string(p).map_err(|e| Error::from(e).with_path(p))?;
            toml::from_str::<ConfigFile>(&text).map_err(|e| {
                let line = e.span().map(|s| 1 + text[..s.start].matches('\n').count());
                let msg = e.message().to_string();
                let mut err = Error::new(ErrorKind::Config(msg)).with_path(p);
                if let Some(l) = line {
                    err = err.with_line(l);
                }
                err
            })?
        }
        None => ConfigFile::default(),
    };
    let at_file = |what: &str| -> String {
        match &config_path {
            Some(p) => format!("{} ({what})", p.display()),
            None => what.to_string(),
        }
    };
    let mut resolved = file.clone();

    let source_lang = match lang_flag(args.source_lang.as_deref(), "--source-lang")? {
        Some(l) => Some(l),
        None => file
            .source_lang
            .as_deref()
            .map(|s| {
                LangTag::parse(s)
                    .map_err(|e| Error::usage(format!("{}: {e}", at_file("source-lang"))))
            })
            .transpose()?,
    };
    resolved.source_lang = source_lang.as_ref().map(|l| l.to_string());

    let fail_on = match (&args.fail_on, &file.fail_on) {
        (Some(s), _) => parse_flags(s, "--fail-on")?,
        (None, Some(list)) => parse_flags(&list.join(","), &at_file("fail-on"))?,
        (None, None) => Policy::default().fail_on,
    };
    resolved.fail_on = Some(fail_on.iter().map(|f| f.as_str().to_string()).collect());

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
    for item in args
        .min_coverage
        .iter()
        .flat_map(|s| s.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let bad = || {
            Error::usage(format!(
                "--min-coverage: `{item}` is not PERCENT or LANG=PERCENT (95, es=100)"
            ))
        };
        match item.split_once('=') {
            Some((lang, v)) => {
                let tag = LangTag::parse(lang)
                    .map_err(|e| Error::usage(format!("--min-coverage: {e}")))?;
                let v: f64 = v.trim().trim_end_matches('%').parse().map_err(|_| bad())?;
                per_lang.insert(tag.language().to_string(), percent(v, "--min-coverage")?);
            }
            None => {
                let v: f64 = item.trim_end_matches('%').parse().map_err(|_| bad())?;
                min_coverage = Some(percent(v, "--min-coverage")?);
            }
        }
    }
    resolved.min_coverage = min_coverage.map(|v| v * 100.0);
    resolved.min_coverage_lang = per_lang
        .iter()
        .map(|(k, v)| (k.clone(), v * 100.0))
        .collect();

    let t = &file.thresholds;
    if !(0.0..=1.0).contains(&t.low_score) || t.length_z <= 0.0 || t.length_factor < 1.0 {
        return Err(Error::usage(format!(
            "{}: low-score must be in [0, 1], length-z above 0, length-factor at least 1",
            at_file("thresholds")
        )));
    }
    let thresholds = Thresholds {
        low_score: t.low_score,
        length_z: t.length_z,
        length_factor: t.length_factor,
        ..Thresholds::default()
    };

    let base = config_path
        .as_ref()
        .and_then(|p| p.parent())
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let accepted_path = match (&args.accepted, &file.accepted) {
        (Some(p), _) => p.clone(),
        (None, Some(p)) => base.join(p),
        (None, None) => base.join(ACCEPTED_FILE),
    };
    resolved.accepted = Some(accepted_path.clone());
    let accepted = read_accepted(&accepted_path)?;

    Ok(Settings {
        source_lang,
        policy: Policy {
            fail_on,
            min_coverage,
            min_coverage_lang: per_lang,
            accepted,
        },
        thresholds,
        accepted_path,
        config_path,
        resolved,
    })
}

/// Read the acceptance file (an absent file is an empty list).
pub fn read_accepted(path: &Path) -> Result<Accepted> {
    match std::fs::read_to_string(path) {
        Ok(text) => Accepted::parse(&text).map_err(|e| e.with_path(path)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Accepted::default()),
        Err(e) => Err(Error::from(e).with_path(path)),
    }
}
