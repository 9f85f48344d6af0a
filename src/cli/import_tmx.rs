//! `paralign import-tmx FILE.tmx`: bring a translation memory in from a CAT tool. The file is
//! read as it streams (`crate::exchange`'s TMX reader) and merged in one transaction: a
//! segment the memory has is left as it is, and a malformed file writes nothing.

use crate::text::counted;
use std::path::{Path, PathBuf};

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle};
use std::io::IsTerminal;

use super::import::{clock, db_location, print_committed};
use super::{lang_flag, DbArgs, EXIT_OK};
use crate::error::{Error, Result};
use crate::exchange::{read_tmx, Limits, ReadAhead, ReadOptions};
use crate::store::{Store, IN_MEMORY};

#[derive(Debug, Args)]
pub(super) struct ImportTmxArgs {
    /// The TMX file (UTF-8 or UTF-16).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The source language of units whose file does not say (a header srclang="*all*")
    /// [default: each unit's first variant].
    #[arg(long, value_name = "LANG")]
    source_lang: Option<String>,
    /// The document that units without an x-document property belong to [default: the file's
    /// name].
    #[arg(long, value_name = "NAME")]
    doc: Option<String>,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    db: DbArgs,
}

/// What a TMX or XLIFF file may hold before it is refused (checked while it is parsed).
#[derive(Debug, Args)]
pub(super) struct LimitArgs {
    /// Refuse a file whose internal entities (`<!ENTITY>`) make more than N times the bytes
    /// read, past the first 1,000,000 (libxml2's amplification limit); 0 refuses every
    /// declared entity.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_entity_expansion)]
    max_entity_expansion: u64,
    /// Refuse a segment, or one run of text or markup, longer than BYTES.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_segment)]
    max_segment_size: usize,
    /// Refuse a file larger than BYTES.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_file)]
    max_file_size: u64,
    /// Refuse elements nested deeper than N.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_depth)]
    max_depth: usize,
}

impl LimitArgs {
    /// The limits, validated (no I/O).
    pub(super) fn limits(&self) -> Result<Limits> {
        for (v, flag) in [
            (self.max_segment_size as u64, "--max-segment-size"),
            (self.max_file_size, "--max-file-size"),
            (self.max_depth as u64, "--max-depth"),
        ] {
            if v == 0 {
                return Err(Error::usage(format!("{flag}: 0 would refuse every file")));
            }
        }
        Ok(Limits {
            max_entity_expansion: self.max_entity_expansion,
            max_segment: self.max_segment_size,
            max_file: self.max_file_size,
            max_depth: self.max_depth,
        })
    }
}

/// A bar of the bytes read, on a terminal; hidden when stderr is piped.
fn progress(len: u64) -> ProgressBar {
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    // Cleared however the import ends, an error included.
    let bar =
        ProgressBar::with_draw_target(Some(len), target).with_finish(ProgressFinish::AndClear);
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} importing [{bar:30}] {bytes}/{total_bytes}, {eta} left",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Open a file to import: a folder, a device or a socket is refused before it is read (a
/// pipe is taken: `<(zcat memory.tmx.gz)`).
pub(super) fn open_input(path: &Path, ext: &str) -> Result<std::fs::File> {
    if let Ok(meta) = std::fs::metadata(path) {
        let t = meta.file_type();
        if t.is_dir() {
            return Err(Error::input(format!("is a folder; name a .{ext} file")).with_path(path));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if t.is_char_device() || t.is_block_device() || t.is_socket() {
                return Err(Error::input(format!(
                    "is a device or socket, not a file; name a .{ext} file"
                ))
                .with_path(path));
            }
        }
    }
    std::fs::File::open(path).map_err(|e| Error::from(e).with_path(path))
}

/// Open the memory for writing, making its folder when it is the default one.
pub(super) fn open_for_writing(db: &DbArgs) -> Result<Store> {
    let loc = db_location(db);
    if !loc.explicit && loc.path.as_os_str() != IN_MEMORY {
        if let Some(dir) = loc.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::from(e).with_path(dir))?;
        }
    }
    Store::open(&loc.path, clock()?)
}

pub(super) fn run(args: ImportTmxArgs) -> Result<i32> {
    let source_lang =
        lang_flag(args.source_lang.as_deref(), "--source-lang")?.map(|t| t.as_str().to_string());
    let limits = args.limits.limits()?;
    let default_doc = match &args.doc {
        Some(d) if d.trim().is_empty() => return Err(Error::usage("--doc: name a document")),
        Some(d) => d.clone(),
        None => args
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "tmx".into()),
    };
    let path: &Path = &args.file;
    let file = open_input(path, "tmx")?;
    let meta = file.metadata().ok();
    let bar = progress(meta.map_or(0, |m| m.len()));
    let reader = read_tmx(
        bar.wrap_read(file),
        ReadOptions {
            source_lang,
            limits,
        },
    )
    .map_err(|e| e.with_path(path))?;
    let mut store = open_for_writing(&args.db)?;
    // The file is parsed on another thread while the units are stored.
    let mut ahead = ReadAhead::new(reader, 4096);
    let report = {
        let mut units = ahead.by_ref().map(|u| u.map_err(|e| e.with_path(path)));
        store.merge_units("tmx", &default_doc, &mut units)
    };
    let reader = ahead.finish();
    bar.finish_and_clear();
    let stats = reader.stats();
    let report = report?;
    let mut line = format!(
        "imported {} into {}: {} from {}, {} new, {} already there",
        path.display(),
        store.path().display(),
        counted(report.units, "unit", "units"),
        counted(stats.units, "<tu>", "<tu>s"),
        counted(report.added, "segment", "segments"),
        report.existing
    );
    if !report.langs.is_empty() {
        line.push_str(&format!("; languages {}", report.langs.join(", ")));
    }
    if report.documents_created > 0 {
        line.push_str(&format!(
            "; {} new",
            counted(report.documents_created, "document", "documents")
        ));
    }
    line.push('\n');
    print_committed(&line, store.path())?;
    store.train_word_models()?;
    if stats.skipped > 0 {
        eprintln!(
            "paralign: note: {} skipped: no variant in the source language, or no translation",
            counted(stats.skipped, "unit", "units")
        );
    }
    Ok(EXIT_OK)
}
