//! The one file writer of the command line: a file is written whole or not at all (a
//! temporary file beside it, synced, renamed over it), and a file it replaces keeps its mode
//! and owner. A new file gets the mode any program would give it (0666 less the umask, so
//! 0644 usually). A device or a pipe (`/dev/null`, a FIFO) is written straight to, never
//! replaced. Standard output is the other destination. Nothing else in `cli/` opens a file for
//! writing.

use std::io::{self, Write};
use std::path::Path;

use crate::error::{Error, ErrorKind, Result};

/// The buffer between a writer and the file (exports write 256 KiB at a time).
const BUFFER: usize = 256 * 1024;

/// Write to `output` (whole, or not at all) or, without one, to standard output.
pub(super) fn write_whole<T>(
    output: Option<&Path>,
    write: impl FnOnce(&mut (dyn Write + Send)) -> Result<T>,
) -> Result<T> {
    match output {
        None => {
            // Not locked: the writer may run on another thread.
            let mut w = io::BufWriter::with_capacity(BUFFER, io::stdout());
            let t = write(&mut w)?;
            w.flush().map_err(|e| io_error(e, Path::new("<stdout>")))?;
            Ok(t)
        }
        Some(path) => replace_file(path, path, write),
    }
}

/// Write `real` whole through a temporary file renamed over it, keeping the mode and owner of
/// the file it replaces; errors name `shown` (the path as the user knows it). An owner that
/// cannot be kept (the file belongs to someone else) leaves the file as it was.
pub(super) fn replace_file<T>(
    real: &Path,
    shown: &Path,
    write: impl FnOnce(&mut (dyn Write + Send)) -> Result<T>,
) -> Result<T> {
    let err = |e: io::Error| io_error(e, shown);
    let dir = real
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let meta = std::fs::metadata(real).ok();
    if meta.as_ref().is_some_and(|m| !m.is_file() && !m.is_dir()) {
        // A device or a pipe (`-o /dev/null`, `-o /dev/stdout`, a FIFO) is a stream, not a
        // file to replace: renaming over it would put a file in its place.
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(real)
            .map_err(err)?;
        let mut w = io::BufWriter::with_capacity(BUFFER, file);
        let t = write(&mut w)?;
        w.flush().map_err(err)?;
        return Ok(t);
    }
    let old = meta.filter(|m| m.is_file());
    let mut tmp = temp_builder().tempfile_in(dir).map_err(err)?;
    let t = {
        let mut w = io::BufWriter::with_capacity(BUFFER, tmp.as_file_mut());
        let t = write(&mut w)?;
        w.flush().map_err(err)?;
        t
    };
    if let Some(old) = &old {
        keep_mode_and_owner(tmp.as_file(), old, shown)?;
    }
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(real).map_err(|e| err(e.error))?;
    Ok(t)
}

/// Give the new file the mode and owner of the one it replaces.
fn keep_mode_and_owner(file: &std::fs::File, old: &std::fs::Metadata, shown: &Path) -> Result<()> {
    let err = |e: io::Error| Error::from(e).with_path(shown);
    file.set_permissions(old.permissions()).map_err(err)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let mine = file.metadata().map_err(err)?;
        if (mine.uid(), mine.gid()) != (old.uid(), old.gid()) {
            std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid())).map_err(|e| {
                Error::input(format!(
                    "cannot keep the file's owner ({e}); not written: run as its owner"
                ))
                .with_path(shown)
            })?;
            // Changing the owner may clear set-id bits: set the mode again.
            file.set_permissions(old.permissions()).map_err(err)?;
        }
    }
    Ok(())
}

/// Temporary files created as any new file would be: 0666 less the umask (a temporary file
/// would otherwise start private, 0600, and stay so once renamed into place).
fn temp_builder() -> tempfile::Builder<'static, 'static> {
    let mut b = tempfile::Builder::new();
    b.prefix(".paralign-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o666));
    }
    b
}

/// An I/O error naming the file, or the broken pipe that ends a run quietly.
pub(super) fn io_error(e: io::Error, path: &Path) -> Error {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Error::new(ErrorKind::BrokenPipe)
    } else {
        Error::from(e).with_path(path)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p)
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(0)
    }

    #[test]
    fn a_replaced_file_keeps_its_mode_and_a_failed_write_leaves_it() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, "old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_whole(Some(&p), |w| w.write_all(b"new").map_err(Error::from)).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(mode(&p), 0o640);
        let failed: Result<()> = write_whole(Some(&p), |w| {
            w.write_all(b"half").map_err(Error::from)?;
            Err(Error::input("stop"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "a temporary file was left behind");
    }

    #[test]
    fn a_pipe_is_written_to_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        // As `-o /dev/null` is: renamed over, it would become a file (and, as root, /dev/null
        // a file every later `> /dev/null` writes into).
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        write_whole(Some(&fifo), |w| {
            w.write_all(b"through").map_err(Error::from)
        })
        .unwrap();
        // Checked before the reader is waited for: a replaced pipe would never be opened.
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo(), "the pipe was replaced by {kind:?}");
        assert_eq!(reader.join().unwrap(), b"through");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "a temporary file was left behind");
    }
}
