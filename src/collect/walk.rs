//! The folder walk and the reading of one file: `ignore`'s walker (`.gitignore`, hidden entries,
//! loop detection), links leaving the project not followed, only regular files, a size cap,
//! names that are not UTF-8 or hold control characters refused. Errors and warnings are
//! collected, never printed.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::{parts, Collection, WalkOptions, EXTENSIONS};
use crate::document::Document;
use crate::error::{Error, Result};

/// `.txt, .md, .markdown, .html, .htm, .docx and .odt`.
pub fn formats_list() -> String {
    let e: Vec<String> = EXTENSIONS.iter().map(|e| format!(".{e}")).collect();
    format!(
        "{} and {}",
        e[..e.len() - 1].join(", "),
        e.last().map(String::as_str).unwrap_or_default()
    )
}

pub(super) fn has_document_extension(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

pub(super) fn unknown_extension(p: &Path) -> Error {
    let pdf = p
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    let hint = if pdf {
        format!(
            "; convert a PDF to text first (pdftotext -layout {} out.txt)",
            p.display()
        )
    } else {
        String::new()
    };
    Error::input(format!(
        "paralign reads {} files (plain text, Markdown, HTML, Word and OpenDocument text); this is not one of them{hint}",
        formats_list()
    ))
    .with_path(p)
}

/// A name with a control character (a newline, an escape) would forge lines in a report or
/// drive a terminal: refused, shown escaped.
pub(super) fn control_in_name(p: &Path) -> Option<Error> {
    let name = p.file_name()?.to_str()?;
    name.chars().any(char::is_control).then(|| {
        Error::input(format!(
            "the name \"{}\" holds a control character: rename the file",
            name.escape_default()
        ))
        .with_path(p.parent().unwrap_or(Path::new("")))
    })
}

pub(super) fn not_utf8(p: &Path) -> Error {
    Error::input(format!(
        "the name `{}` is not valid UTF-8: rename the file",
        p.file_name().unwrap_or_default().to_string_lossy()
    ))
    .with_path(p.parent().unwrap_or(Path::new("")))
}

/// What kind of file a non-regular one is.
pub(super) fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    let _ = meta;
    "not a file"
}

/// Refuse the kernel's pseudo-files (`/proc`, `/sys`, `/dev`): they are not documents and may
/// never end.
pub(super) fn special(path: &Path) -> Option<Error> {
    let real = std::fs::canonicalize(path).ok()?;
    ["/proc", "/sys", "/dev"]
        .iter()
        .any(|p| real.starts_with(p))
        .then(|| {
            Error::input(format!(
                "{} is a system pseudo-file, not a document",
                real.display()
            ))
            .with_path(path)
        })
}

/// An absolute form of a path, `.` and `..` resolved by name, links not resolved.
pub(super) fn absolute(p: &Path) -> Option<PathBuf> {
    let p = if p.as_os_str().is_empty() {
        Path::new(".")
    } else {
        p
    };
    std::path::absolute(p).ok().map(|a| {
        // Resolve `.` and `..` by their names (links are not followed: a path is shown the
        // way it was reached).
        let mut out = PathBuf::new();
        for c in a.components() {
            match c {
                std::path::Component::CurDir => {}
                std::path::Component::ParentDir => {
                    out.pop();
                }
                c => out.push(c),
            }
        }
        out
    })
}

/// The path relative to the project root, `/`-separated, when under it.
pub(super) fn rel_to(p: &Path, root: Option<&Path>) -> Option<String> {
    let root = root?;
    let abs = absolute(p)?;
    let rel = abs.strip_prefix(root).ok()?;
    Some(parts(rel).join("/"))
}

/// The folder a walk stays in: the project root when the path is in it, else the path.
pub(super) fn boundary_for(path: &Path, root: Option<&Path>) -> PathBuf {
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if let Some(r) = root.and_then(|r| std::fs::canonicalize(r).ok()) {
        if real.starts_with(&r) {
            return r;
        }
    }
    real
}

/// The folder read around a named file to find its document: the project root when the file
/// is in it, else this folder when the file is under it, else the file's grandparent.
pub(super) fn context_root(file: &Path, root: Option<&Path>) -> PathBuf {
    let abs = absolute(file).unwrap_or_else(|| file.to_path_buf());
    if let Some(r) = root {
        if absolute(r).is_some_and(|ra| abs.starts_with(ra)) {
            return if r.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                r.to_path_buf()
            };
        }
    }
    if absolute(Path::new(".")).is_some_and(|cwd| abs.starts_with(cwd)) {
        return PathBuf::from(".");
    }
    let up = file
        .parent()
        .and_then(Path::parent)
        .unwrap_or(Path::new(""));
    if up.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        up.to_path_buf()
    }
}

/// A named file that is a symbolic link leaving the project is not read unless links are
/// followed.
pub(super) fn link_leaves(path: &Path, root: Option<&Path>, follow: bool) -> Option<Error> {
    if follow
        || !std::fs::symlink_metadata(path)
            .ok()?
            .file_type()
            .is_symlink()
    {
        return None;
    }
    let target = std::fs::canonicalize(path).ok()?;
    // The project: the folder of paralign.toml, else this folder (or the file's grandparent
    // when it lies elsewhere), as for finding the file's document.
    let fence = std::fs::canonicalize(context_root(path, root)).ok()?;
    (!target.starts_with(&fence)).then(|| {
        Error::input(
            "a symbolic link that leaves the project: not read (pass --follow-links to read it)",
        )
        .with_path(path)
    })
}

/// Walk a folder: regular files in a stable order, `.gitignore`d, hidden and build folders
/// skipped. Links leaving `boundary` are not followed unless asked; loops are reported as
/// warnings, unreadable folders and other files that cannot be read as errors.
pub(super) fn walk(
    dir: &Path,
    boundary: &Path,
    opts: &WalkOptions,
    out: &mut Collection,
) -> Vec<PathBuf> {
    let skipped: Arc<Mutex<Vec<Error>>> = Arc::default();
    let b = builder(dir, boundary, opts, &skipped);
    let mut files = Vec::new();
    for r in b.build() {
        match r {
            Ok(e) => files.extend(document_file(&e, out)),
            Err(err) => report_walk_error(&err, out),
        }
    }
    if let Ok(mut s) = skipped.lock() {
        out.warnings.append(&mut s);
    }
    files
}

/// The walk over `dir`: the standard filters, in file-name order, without build or package
/// folders; a symbolic link is followed only inside `boundary` (unless `opts` follows every
/// link), one that leaves it or leads nowhere is noted in `skipped`.
fn builder(
    dir: &Path,
    boundary: &Path,
    opts: &WalkOptions,
    skipped: &Arc<Mutex<Vec<Error>>>,
) -> ignore::WalkBuilder {
    let mut b = ignore::WalkBuilder::new(dir);
    b.standard_filters(true)
        .require_git(false)
        .follow_links(true)
        .sort_by_file_name(|a, b| a.cmp(b));
    {
        let fence = boundary.to_path_buf();
        let follow = opts.follow_links;
        let skipped = Arc::clone(skipped);
        b.filter_entry(move |e| {
            let name = e.file_name();
            if e.depth() > 0 && (name == "target" || name == "node_modules") {
                return false;
            }
            if !e.path_is_symlink() || follow {
                return true;
            }
            let note = |msg: &str| {
                if let Ok(mut s) = skipped.lock() {
                    s.push(Error::input(msg.to_string()).with_path(e.path()));
                }
            };
            match std::fs::canonicalize(e.path()) {
                Ok(t) if t.starts_with(&fence) => true,
                Ok(_) => {
                    note("a symbolic link that leaves the project: not followed (pass --follow-links to read it)");
                    false
                }
                Err(_) => {
                    note("a symbolic link to nothing: skipped");
                    false
                }
            }
        });
    }
    b
}

/// The path of an entry of the walk that is a document to read; None for a folder, and for a
/// file that cannot be one (not a regular file, a name that is not UTF-8 or holds control
/// characters, a special file), each reported in `out`'s errors.
fn document_file(e: &ignore::DirEntry, out: &mut Collection) -> Option<PathBuf> {
    let ft = e.file_type()?;
    if ft.is_dir() {
        return None;
    }
    let p = e.path();
    if !ft.is_file() {
        if has_document_extension(p) {
            let kind = std::fs::metadata(p)
                .map(|m| file_kind(&m))
                .unwrap_or("not a file");
            out.errors.push(
                Error::input(format!(
                    "not a regular file ({kind}): paralign reads only regular files"
                ))
                .with_path(p),
            );
        }
        return None;
    }
    if p.to_str().is_none() {
        out.errors.push(not_utf8(p));
        return None;
    }
    if let Some(err) = control_in_name(p) {
        out.errors.push(err);
        return None;
    }
    if let Some(err) = special(p) {
        out.errors.push(err);
        return None;
    }
    Some(p.to_path_buf())
}

/// An error of the walk into `out`: a link loop as a warning, the rest as errors (the walk
/// goes on).
fn report_walk_error(err: &ignore::Error, out: &mut Collection) {
    match walk_error(err) {
        WalkError::Loop(path, ancestor) => out.warnings.push(
            Error::input(format!(
                "a symbolic link loop (back to {}): not followed",
                ancestor.display()
            ))
            .with_path(path),
        ),
        WalkError::Io(path, io) => {
            let msg = match io.kind() {
                std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                _ => io.to_string(),
            };
            let e = Error::input(format!(
                "cannot read this ({msg}); the rest was still checked"
            ));
            out.errors.push(match path {
                Some(p) => e.with_path(p),
                None => e,
            });
        }
        WalkError::Other(path, msg) => {
            let e = Error::input(msg);
            out.errors.push(match path {
                Some(p) => e.with_path(p),
                None => e,
            });
        }
    }
}

pub(super) enum WalkError<'a> {
    Loop(PathBuf, PathBuf),
    Io(Option<PathBuf>, &'a std::io::Error),
    Other(Option<PathBuf>, String),
}

/// What an `ignore` error is, with the path it concerns.
pub(super) fn walk_error(e: &ignore::Error) -> WalkError<'_> {
    fn go<'a>(e: &'a ignore::Error, path: Option<PathBuf>) -> WalkError<'a> {
        match e {
            ignore::Error::WithPath { path, err } => go(err, Some(path.clone())),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                go(err, path)
            }
            ignore::Error::Loop { ancestor, child } => {
                WalkError::Loop(child.clone(), ancestor.clone())
            }
            ignore::Error::Io(io) => WalkError::Io(path, io),
            ignore::Error::Partial(errs) if !errs.is_empty() => go(&errs[0], path),
            other => WalkError::Other(path, other.to_string()),
        }
    }
    go(e, None)
}

/// Read a document, refusing what is not a regular file or is larger than `max` bytes.
pub fn read_document(path: &Path, max: u64) -> Result<Document> {
    let bytes = read_capped(path, max)?;
    Document::from_bytes(path, &bytes)
}

/// Read a regular file of at most `max` bytes.
pub fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::from(e).with_path(path))?;
    if !meta.is_file() {
        return Err(Error::input(format!(
            "not a regular file ({}): paralign reads only regular files",
            file_kind(&meta)
        ))
        .with_path(path));
    }
    if let Some(e) = special(path) {
        return Err(e);
    }
    let too_big = || {
        Error::input(format!(
            "larger than the {} limit for one file (raise it with --max-file-size)",
            size_text(max)
        ))
        .with_path(path)
    };
    if meta.len() > max {
        return Err(too_big());
    }
    let f = std::fs::File::open(path).map_err(|e| Error::from(e).with_path(path))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    f.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::from(e).with_path(path))?;
    if bytes.len() as u64 > max {
        return Err(too_big());
    }
    Ok(bytes)
}

/// A size for people: `64 MiB`, `1500 bytes`.
pub fn size_text(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    const KIB: u64 = 1024;
    if n >= MIB && n % MIB == 0 {
        format!("{} MiB", n / MIB)
    } else if n >= KIB && n % KIB == 0 {
        format!("{} KiB", n / KIB)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_for_people() {
        assert_eq!(size_text(64 * 1024 * 1024), "64 MiB");
        assert_eq!(size_text(2048), "2 KiB");
        assert_eq!(size_text(1500), "1500 bytes");
    }

    #[test]
    fn formats_are_listed() {
        assert_eq!(
            formats_list(),
            ".txt, .md, .markdown, .html, .htm, .docx and .odt"
        );
        assert!(has_document_extension(Path::new("a/B.MD")));
        assert!(!has_document_extension(Path::new("a/b.json")));
    }

    #[test]
    fn a_file_over_the_cap_is_refused_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.en.txt");
        std::fs::write(&p, "0123456789").unwrap();
        assert_eq!(read_capped(&p, 10).unwrap().len(), 10);
        let e = read_capped(&p, 9).unwrap_err().to_string();
        assert!(
            e.ends_with(
                ": larger than the 9 bytes limit for one file (raise it with --max-file-size)"
            ),
            "{e}"
        );
        let e = read_capped(dir.path(), 10).unwrap_err().to_string();
        assert!(
            e.ends_with(": not a regular file (not a file): paralign reads only regular files"),
            "{e}"
        );
    }
}
