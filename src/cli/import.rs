//! `paralign import PATH...`: read and align like `check`, then store everything in the
//! translation memory in one transaction. Also the glue every memory command shares: where the
//! database is (`--db`, `PARALIGN_DB`, the project's `memory/paralign.sqlite`) and the clock
//! (`PARALIGN_NOW`). Exit 0 when stored, 2 on a usage or input error (files that could be read
//! are still stored).

use crate::text::counted;
use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::config::{find_config, resolve};
use super::{print_errors, DbArgs, PolicyArgs, EXIT_ERROR, EXIT_OK};
use crate::check::{check_set, CheckOptions, DocResult};
use crate::collect::{collect, read_version, DocumentSet};
use crate::error::{Error, Result};
use crate::language::LangTag;
use crate::store::{Change, Clock, DocImport, ImportReport, Known, Store, DEFAULT_DB, IN_MEMORY};

/// The help shown after the memory commands' options.
pub(super) const MEMORY_HELP: &str = "\
Exit codes:
  0  done (import: stored, or nothing had changed)
  2  usage or input error (unreadable file; a database that is not a paralign memory, corrupt,
     read-only or written by a newer paralign: nothing is changed)

The memory is memory/paralign.sqlite in the folder holding paralign.toml (else in this
folder); --db PATH or PARALIGN_DB name another, `--db :memory:` a throw-away one.
PARALIGN_NOW fixes the time imports record (2024-03-14T10:00:00Z), for reproducible runs.";

/// The environment variable naming the database.
pub(super) const ENV_DB: &str = "PARALIGN_DB";
/// The environment variable fixing the clock (RFC 3339 UTC or seconds since 1970).
pub(super) const ENV_NOW: &str = "PARALIGN_NOW";

#[derive(Debug, Args)]
pub(super) struct ImportArgs {
    /// Files or folders to import (named NAME.LANG.EXT, as for `check`).
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,
    /// The source language (BCP 47) [default: as stored for a known document, else English
    /// when present, else the longest version]
    #[arg(long, value_name = "LANG")]
    source_lang: Option<String>,
    /// Read settings from FILE [default: paralign.toml in this folder or the nearest parent].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Do not read paralign.toml.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
    #[command(flatten)]
    db: DbArgs,
}

/// Where the memory is and how it was named.
pub(super) struct DbLocation {
    /// The file (or `:memory:`).
    pub path: PathBuf,
    /// Named by --db or PARALIGN_DB (else the default).
    pub explicit: bool,
}

/// Resolve the database: --db, else PARALIGN_DB, else memory/paralign.sqlite under the folder
/// holding paralign.toml, else under the current folder.
pub(super) fn db_location(args: &DbArgs) -> DbLocation {
    if let Some(p) = &args.db {
        return DbLocation {
            path: p.clone(),
            explicit: true,
        };
    }
    if let Some(p) = std::env::var_os(ENV_DB).filter(|v| !v.is_empty()) {
        return DbLocation {
            path: PathBuf::from(p),
            explicit: true,
        };
    }
    let root = find_config()
        .and_then(|c| c.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    // find_config gives the root relative to this folder (`..`), so the path shown is too.
    let path = root.join(DEFAULT_DB);
    DbLocation {
        path,
        explicit: false,
    }
}

/// The clock: PARALIGN_NOW when set, else the system clock.
pub(super) fn clock() -> Result<Clock> {
    match std::env::var(ENV_NOW) {
        Ok(v) if !v.trim().is_empty() => Clock::parse(&v).ok_or_else(|| {
            Error::usage(format!(
                "{ENV_NOW}: `{v}` is not a time; use 2024-03-14T10:00:00Z or seconds since 1970"
            ))
        }),
        _ => Ok(Clock::System),
    }
}

/// Open the memory for reading (status, segments): it must exist.
pub(super) fn open_for_reading(args: &DbArgs) -> Result<Store> {
    Store::open_read_only(&db_location(args).path)
}

/// Open the memory for a lookup (lookup, analyze, pretranslate, XLIFF suggestions): for
/// reading, after bringing its lookup index up to date when segments were stored since. A
/// memory that cannot be written keeps its index as it is, with a warning.
pub(super) fn open_for_lookup(args: &DbArgs) -> Result<Store> {
    let loc = db_location(args);
    let store = Store::open_read_only(&loc.path)?;
    if !store.lookup_index_stale()? {
        return Ok(store);
    }
    drop(store);
    match Store::open(&loc.path, clock()?) {
        Ok(mut store) => {
            store.update_lookup_index()?;
            Ok(store)
        }
        Err(e) => {
            eprintln!(
                "paralign: warning: the lookup index is behind the memory and cannot be updated ({e}); recent segments may be missed"
            );
            Store::open_read_only(&loc.path)
        }
    }
}

/// The memory `check` consults: the one named, else the default when it exists.
pub(super) fn open_for_check(args: &DbArgs) -> Result<Option<Store>> {
    let loc = db_location(args);
    if !loc.explicit && !loc.path.is_file() {
        return Ok(None);
    }
    Store::open_read_only(&loc.path).map(Some)
}

/// A progress bar on a terminal; hidden when stderr is piped.
fn progress(len: u64) -> ProgressBar {
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(len), target);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {msg:9} [{bar:30}] {pos}/{len} documents")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Open the memory to import into, making its folder first when it is the default one.
fn open_for_import(loc: &DbLocation, clock: Clock) -> Result<Store> {
    if !loc.explicit && loc.path.as_os_str() != IN_MEMORY {
        if let Some(dir) = loc.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::from(e).with_path(dir))?;
        }
    }
    Store::open(&loc.path, clock)
}

/// The error of a set whose name an earlier set of the import has (the memory knows a
/// document by its name: the two would overwrite each other); else the name is noted in `seen`.
fn named_twice(seen: &mut HashMap<String, String>, set: &DocumentSet) -> Option<Error> {
    let place = set
        .versions
        .first()
        .map(|v| v.doc.path.clone())
        .unwrap_or_default();
    if let Some(first) = seen.get(&set.id) {
        return Some(
            Error::input(format!(
                "document `{}` was found twice (also at {first}); the memory knows a document by its name, so import them separately or rename one",
                set.id
            ))
            .with_path(&place),
        );
    }
    seen.insert(set.id.clone(), place);
    None
}

/// Versions the memory has but this import did not name, read again from where they were
/// imported, so that a changed source re-aligns every translation; one no longer there is
/// left as it was, with a note.
fn add_known_versions(set: &mut DocumentSet, known: &Known, notes: &mut Vec<String>) {
    for (lang, path) in &known.versions {
        if set.versions.iter().any(|v| v.lang.as_str() == lang) {
            continue;
        }
        let Ok(tag) = LangTag::parse(lang) else {
            continue;
        };
        let p = Path::new(path);
        if !p.is_file() {
            notes.push(format!(
                "{}: the {lang} version ({path}) is no longer there; its alignment in the memory was left as it was",
                set.id
            ));
            continue;
        }
        match read_version(p, Some(&tag)) {
            Ok(v) => set.versions.push(v),
            Err(e) => set.errors.push(e),
        }
    }
    set.versions.sort_by(|a, b| a.lang.cmp(&b.lang));
}

/// The documents of an import back in the order found: those stored unchanged (`Some` in
/// `order`) and those aligned and stored (the store reports every one that has a source).
fn in_found_order(
    order: Vec<Option<DocImport>>,
    docs: &[DocResult],
    stored: ImportReport,
) -> ImportReport {
    let mut stored = stored.documents.into_iter();
    let mut aligned = docs.iter();
    let mut report = ImportReport::default();
    for entry in order {
        match entry {
            Some(same) => report.documents.push(same),
            None => {
                // The store reports every document that has a source, in order.
                if aligned.next().is_some_and(|d| d.source.is_some()) {
                    report.documents.extend(stored.next());
                }
            }
        }
    }
    report
}

pub(super) fn run(args: ImportArgs) -> Result<i32> {
    let settings = resolve(&PolicyArgs {
        fail_on: None,
        min_coverage: Vec::new(),
        source_lang: args.source_lang.clone(),
        config: args.config.clone(),
        no_config: args.no_config,
        accepted: None,
    })?;
    let clock = clock()?;
    let loc = db_location(&args.db);
    let mut store = open_for_import(&loc, clock)?;
    let collection = collect(&args.paths);
    let bar = progress(collection.sets.len() as u64);
    bar.set_message("aligning");
    bar.enable_steady_tick(Duration::from_millis(120));
    let mut notes = Vec::new();
    let mut jobs = Vec::with_capacity(collection.sets.len());
    let mut order: Vec<Option<DocImport>> = Vec::with_capacity(collection.sets.len());
    let mut errors = collection.errors;
    // The memory knows a document by its name: two sets of one name in one import would
    // overwrite each other.
    let mut seen: HashMap<String, String> = HashMap::new();
    // The memory's glossary judges the pairs as check does (reason `term`); a set stored
    // unchanged is not aligned again, so it takes a new glossary at its next change.
    let glossary = store.term_base()?.for_a_run();
    for mut set in collection.sets {
        if let Some(e) = named_twice(&mut seen, &set) {
            errors.push(e);
            bar.inc(1);
            continue;
        }
        let mut source_lang = settings.source_lang.clone();
        if let Some(known) = store.known(&set.id)? {
            if source_lang.is_none() {
                source_lang = known
                    .source_lang
                    .as_deref()
                    .and_then(|l| LangTag::parse(l).ok());
            }
            if !set.split {
                add_known_versions(&mut set, &known, &mut notes);
            }
        }
        // A set stored unchanged needs neither aligning nor writing.
        if let Some(same) = store.unchanged(&set, source_lang.as_ref())? {
            order.push(Some(same));
            bar.inc(1);
            continue;
        }
        let opts = CheckOptions {
            source_lang,
            thresholds: settings.thresholds,
            glossary: glossary.clone(),
            memory: None,
        };
        jobs.push((set, opts));
        order.push(None);
    }
    let mut docs = align_all(jobs, &bar);
    bar.set_message("storing");
    bar.set_position(0);
    let stored = store.import(&mut docs, &mut |k| bar.set_position(k as u64));
    bar.finish_and_clear();
    let report = in_found_order(order, &docs, stored?);
    print_committed(&summary(&report, store.path()), store.path())?;
    store.train_word_models()?;
    for n in &notes {
        eprintln!("paralign: note: {n}");
    }
    let had_errors = print_errors(
        errors
            .iter()
            .chain(docs.iter().flat_map(|d| d.errors.iter())),
    );
    Ok(if had_errors { EXIT_ERROR } else { EXIT_OK })
}

/// Print what an import did on standard output, after its commit: a write that fails (a full
/// device) is an error that says the memory has it all the same, not a panic.
pub(super) fn print_committed(text: &str, db: &Path) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                Error::new(crate::error::ErrorKind::BrokenPipe)
            } else {
                Error::new(crate::error::ErrorKind::Io(format!(
                    "cannot write the summary to standard output ({e}); the import itself is committed in {}",
                    db.display()
                )))
            }
        })
}

/// Align the sets on every core, keeping their order (each set is aligned by one thread).
fn align_all(jobs: Vec<(DocumentSet, CheckOptions)>, bar: &ProgressBar) -> Vec<DocResult> {
    let n = jobs.len();
    let threads = std::thread::available_parallelism()
        .map(|t| t.get())
        .unwrap_or(1)
        .min(n);
    if threads <= 1 {
        return jobs
            .into_iter()
            .map(|(set, opts)| {
                let r = check_set(set, &opts);
                bar.inc(1);
                r
            })
            .collect();
    }
    let jobs: Vec<Mutex<Option<(DocumentSet, CheckOptions)>>> =
        jobs.into_iter().map(|j| Mutex::new(Some(j))).collect();
    let results: Vec<Mutex<Option<DocResult>>> = (0..n).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                if k >= n {
                    break;
                }
                let job = jobs[k].lock().map(|mut j| j.take()).ok().flatten();
                if let Some((set, opts)) = job {
                    let r = check_set(set, &opts);
                    if let Ok(mut slot) = results[k].lock() {
                        *slot = Some(r);
                    }
                    bar.inc(1);
                }
            });
        }
    });
    results
        .into_iter()
        .filter_map(|m| m.into_inner().ok().flatten())
        .collect()
}

/// What an import did, one line per version and a closing line.
pub(super) fn summary(report: &ImportReport, db: &Path) -> String {
    let mut out = String::new();
    let (mut new, mut changed, mut same) = (0, 0, 0);
    let (mut seg_new, mut seg_changed, mut outdated) = (0, 0, 0);
    for d in &report.documents {
        for (k, v) in d.versions.iter().enumerate() {
            let what = match v.change {
                Change::New => {
                    new += 1;
                    "new"
                }
                Change::Changed => {
                    changed += 1;
                    "changed"
                }
                Change::Unchanged => {
                    same += 1;
                    "unchanged"
                }
            };
            let mut line = format!("{} [{}] {}: {what}", d.id, v.lang, v.path);
            if k == 0 {
                line.push_str(" (source)");
            } else if let Some(t) = d.targets.iter().find(|t| t.lang == v.lang) {
                if t.realigned {
                    seg_new += t.segments_new;
                    seg_changed += t.segments_changed;
                    if v.change == Change::Unchanged {
                        line.push_str(", re-aligned with the new source");
                    }
                    line.push_str(&format!(
                        ": {}, {} new",
                        counted(t.pairs, "pair", "pairs"),
                        counted(t.segments_new, "segment", "segments")
                    ));
                }
                if t.outdated > 0 {
                    outdated += t.outdated;
                    line.push_str(&format!(", {} outdated", t.outdated));
                }
            }
            out.push_str(&line);
            out.push('\n');
        }
    }
    let versions = new + changed + same;
    if !report.changed() {
        out.push_str(&format!(
            "nothing to import: {} already in {} and unchanged\n",
            if versions == 1 {
                "the version is".to_string()
            } else {
                format!("all {versions} versions are")
            },
            db.display()
        ));
    } else {
        out.push_str(&format!(
            "imported {} into {}: {new} new, {changed} changed, {same} unchanged; {} new, {seg_changed} updated",
            counted(report.documents.len(), "document", "documents"),
            db.display(),
            counted(seg_new, "segment", "segments"),
        ));
        if outdated > 0 {
            out.push_str(&format!(
                "; {} outdated",
                counted(outdated, "translation", "translations")
            ));
        }
        out.push('\n');
    }
    out
}
