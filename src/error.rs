//! The crate's error type.
//!
//! Errors are data: a [`ErrorKind`] says what went wrong, and the error carries the file and the
//! place in it (line, byte offset) where that is known, so that the message a user reads names
//! both, and the error it came from (an I/O or SQLite error), which
//! [`std::error::Error::source`] gives back and callers test by its type, never by its text.
//! This module formats messages; it never prints them. The kinds' messages are `thiserror`
//! attributes beside each kind.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The error an [`Error`] came from, shared so that an error stays cheap to clone.
pub type Source = Arc<dyn std::error::Error + Send + Sync + 'static>;

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, and what the message says of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file could not be read (missing, unreadable, a folder where a file was expected).
    #[error("{0}")]
    Io(String),
    /// The bytes are not valid text in the encoding they claim.
    #[error("{0}")]
    Encoding(String),
    /// The file holds no text at all (empty, or only white space).
    #[error("the file holds no text")]
    Empty,
    /// The file looks binary (NUL bytes or control characters).
    #[error("the file looks binary (it has NUL or control bytes), not a text document")]
    Binary,
    /// A language tag that is not BCP 47 or names no known language.
    #[error("{0}")]
    Language(String),
    /// Something the user asked for does not make sense.
    #[error("{0}")]
    Usage(String),
    /// A configuration or acceptance file is malformed.
    #[error("{0}")]
    Config(String),
    /// Anything else that is the input's fault.
    #[error("{0}")]
    Input(String),
    /// The reader of standard output went away (`paralign check | head`): the run ends
    /// quietly, with exit 0, as other command-line tools do.
    #[error("broken pipe")]
    BrokenPipe,
}

/// An error with the file and place it concerns, and the error it came from. Two errors are
/// equal when they say the same of the same place (the sources are not compared).
#[derive(Debug, Clone)]
pub struct Error {
    kind: ErrorKind,
    path: Option<PathBuf>,
    line: Option<usize>,
    column: Option<usize>,
    byte: Option<usize>,
    source: Option<Source>,
}

impl PartialEq for Error {
    fn eq(&self, other: &Error) -> bool {
        (&self.kind, &self.path, self.line, self.column, self.byte)
            == (
                &other.kind,
                &other.path,
                other.line,
                other.column,
                other.byte,
            )
    }
}

impl Eq for Error {}

impl Error {
    /// A new error of `kind` with no place attached.
    pub fn new(kind: ErrorKind) -> Error {
        Error {
            kind,
            path: None,
            line: None,
            column: None,
            byte: None,
            source: None,
        }
    }

    /// Keep the error this one came from (an I/O or SQLite error), for
    /// [`std::error::Error::source`] and [`Error::source_as`].
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Error {
        self.source = Some(Arc::new(source));
        self
    }

    /// The error this one came from, when it is of type `E`.
    pub fn source_as<E: std::error::Error + 'static>(&self) -> Option<&E> {
        self.source.as_deref()?.downcast_ref::<E>()
    }

    /// A usage error: a flag or argument that makes no sense.
    pub fn usage(msg: impl Into<String>) -> Error {
        Error::new(ErrorKind::Usage(msg.into()))
    }

    /// An input error with a free message.
    pub fn input(msg: impl Into<String>) -> Error {
        Error::new(ErrorKind::Input(msg.into()))
    }

    /// Attach the file this error concerns (kept if one is already set).
    pub fn with_path(mut self, path: impl AsRef<Path>) -> Error {
        if self.path.is_none() {
            self.path = Some(path.as_ref().to_path_buf());
        }
        self
    }

    /// Attach a 1-based line number.
    pub fn with_line(mut self, line: usize) -> Error {
        self.line = Some(line);
        self
    }

    /// Attach a 1-based column (in characters), shown after the line as `file:line:column`.
    pub fn with_column(mut self, column: usize) -> Error {
        self.column = Some(column);
        self
    }

    /// Attach a 0-based byte offset.
    pub fn with_byte(mut self, byte: usize) -> Error {
        self.byte = Some(byte);
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The file the error concerns, if known.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The 1-based line, if known.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// The 1-based column, if known.
    pub fn column(&self) -> Option<usize> {
        self.column
    }

    /// The 0-based byte offset, if known.
    pub fn byte(&self) -> Option<usize> {
        self.byte
    }

    /// Whether this is a usage error (as opposed to bad input).
    pub fn is_usage(&self) -> bool {
        matches!(self.kind, ErrorKind::Usage(_))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{}", path.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(column) = self.column {
                    write!(f, ":{column}")?;
                }
            }
            if let Some(byte) = self.byte {
                write!(f, " (byte {byte})")?;
            }
            f.write_str(": ")?;
        }
        write!(f, "{}", self.kind)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        let msg = match e.kind() {
            std::io::ErrorKind::BrokenPipe => return Error::new(ErrorKind::BrokenPipe),
            std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        Error::new(ErrorKind::Io(msg)).with_source(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_file_line_and_byte() {
        let e = Error::new(ErrorKind::Encoding("invalid UTF-8".into()))
            .with_path("a/b.es.txt")
            .with_line(3)
            .with_byte(17);
        assert_eq!(e.to_string(), "a/b.es.txt:3 (byte 17): invalid UTF-8");
    }

    /// A closed pipe is its own kind, also when it comes through a JSON writer (whose error
    /// `io::Error::from` gives back as the I/O error it was), so that the CLI ends quietly.
    #[test]
    fn a_broken_pipe_is_its_own_kind() {
        let pipe = || std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        assert_eq!(Error::from(pipe()).kind(), &ErrorKind::BrokenPipe);
        let json = serde_json::Error::io(pipe());
        assert_eq!(
            Error::from(std::io::Error::from(json)).kind(),
            &ErrorKind::BrokenPipe
        );
        let other = Error::from(std::io::Error::from(std::io::ErrorKind::NotFound));
        assert_eq!(other.to_string(), "no such file or folder");
    }

    /// The I/O error an error came from is kept, typed: callers ask its kind, not its text.
    #[test]
    fn the_source_is_kept_and_typed() {
        let e = Error::from(std::io::Error::from(std::io::ErrorKind::PermissionDenied))
            .with_path("memory/paralign.sqlite");
        assert_eq!(
            e.source_as::<std::io::Error>().map(|io| io.kind()),
            Some(std::io::ErrorKind::PermissionDenied)
        );
        assert!(std::error::Error::source(&e).is_some());
        assert_eq!(e.to_string(), "memory/paralign.sqlite: permission denied");
        assert!(Error::input("bad").source_as::<std::io::Error>().is_none());
        // Equality is about what is said where, not where it came from.
        assert_eq!(
            Error::new(ErrorKind::Io("permission denied".into())),
            Error::from(std::io::Error::from(std::io::ErrorKind::PermissionDenied))
        );
    }
}
