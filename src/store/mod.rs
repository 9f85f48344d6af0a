//! The translation memory: the only module that speaks SQL.
//!
//! [`Store`] (`backend.rs`) is the one interface the commands use, over two implementations:
//! SQLite, here and in the sibling files, and PostgreSQL, in `postgres/` (`--db postgres://…`).
//!
//! One `SqliteStore` owns the SQLite connection. Opening checks that the file is a paralign memory
//! this binary can use (refusing another database, a newer schema, a corrupt or read-only file
//! with a message that names it, before anything is written to it), turns on WAL, foreign keys
//! and a busy timeout, and migrates the schema forward (`schema.rs`, SQL in `memory/`). A memory
//! opened for reading that sits in a folder it cannot write is opened immutable. Every
//! transaction that writes begins IMMEDIATE, so that it waits for another writer instead of
//! failing when a read would have to become a write. An import is one transaction (`import/`);
//! `query.rs` answers `status` and `segments`. Queries use `prepare_cached`. Nothing here prints
//! or reads the environment: the clock comes in as a [`Clock`], progress goes out through a
//! callback, and results are data for the CLI to show.

mod backend;
mod exchange;
mod glossary;
mod import;
mod lookup;
mod postgres;
mod postings;
mod query;
mod review;
mod schema;
mod texts;
mod todo;
mod word_model;
mod xliff_apply;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use sha2::{Digest, Sha256};

use crate::align::{Flag, Reason};
use crate::error::{Error, ErrorKind, Result};

pub use crate::time::{format_time, parse_time, Clock};
pub use backend::Store;
pub use glossary::GlossaryReport;
pub use import::{
    mark_outdated, Basis, Change, DocImport, ImportReport, Known, PairHashes, TargetImport,
    VersionImport,
};
pub use lookup::{
    match_expression, pick_trigrams, trigrams, CandidateQuery, MatchSource, CANDIDATES,
    SEARCH_TRIGRAMS,
};
pub use postgres::{is_postgres_url, PG_SCHEMA_VERSION};
pub use query::{
    DocDetail, DocStatus, LangDetail, LangStatus, ParaInfo, ParaState, Segment, SegmentFilter,
    SegmentPage, VersionInfo,
};
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};
pub use word_model::ModelUpdate;

/// The default database, relative to the project root.
pub const DEFAULT_DB: &str = "memory/paralign.sqlite";

/// The name that opens a throw-away database in memory.
pub const IN_MEMORY: &str = ":memory:";

/// How long a writer waits for another one to finish before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(120);

/// A translation memory in SQLite: the owner of one connection.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    clock: Clock,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish()
    }
}

impl SqliteStore {
    /// Open a memory for reading and writing, creating it (and the schema) when absent and
    /// migrating an older schema forward. `:memory:` opens a throw-away memory.
    pub fn open(path: &Path, clock: Clock) -> Result<SqliteStore> {
        let in_memory = path.as_os_str() == IN_MEMORY;
        if !in_memory {
            if let Ok(meta) = std::fs::metadata(path) {
                if meta.is_dir() {
                    return Err(Error::input(
                        "is a folder, not a database file; name a file such as memory/paralign.sqlite",
                    )
                    .with_path(path));
                }
                if meta.permissions().readonly() {
                    return Err(read_only().with_path(path));
                }
            }
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = if in_memory {
            Connection::open_in_memory()
        } else {
            Connection::open_with_flags(path, flags)
        }
        .map_err(|e| db_error(path, e))?;
        let mut store = SqliteStore {
            conn,
            path: path.to_path_buf(),
            clock,
        };
        store.setup(true)?;
        Ok(store)
    }

    /// Open an existing memory for reading only (status, segments, check). A missing file is
    /// an error that says how to make one.
    pub fn open_read_only(path: &Path) -> Result<SqliteStore> {
        if path.as_os_str() == IN_MEMORY {
            return SqliteStore::open(path, Clock::System);
        }
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                return Err(Error::input(
                    "is a folder, not a database file; name a file such as memory/paralign.sqlite",
                )
                .with_path(path))
            }
            Ok(_) => {}
            Err(_) => {
                return Err(Error::input(
                    "no translation memory here yet; run `paralign import PATH...` to make one, or pass --db",
                )
                .with_path(path))
            }
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let open = |conn: rusqlite::Result<Connection>| -> Result<SqliteStore> {
            let conn = conn.map_err(|e| db_error(path, e))?;
            let mut store = SqliteStore {
                conn,
                path: path.to_path_buf(),
                clock: Clock::System,
            };
            store.setup(false)?;
            Ok(store)
        };
        match open(Connection::open_with_flags(path, flags)) {
            Ok(store) => Ok(store),
            // A memory in WAL mode needs its `-shm` file, which a reader cannot make in a
            // folder it cannot write. When no write-ahead log holds changes, nothing can be
            // writing the file: open it as immutable (no locks, no `-shm`).
            Err(e) if cannot_write_beside(&e) && !has_wal(path) => {
                let uri = immutable_uri(path);
                open(Connection::open_with_flags(
                    uri,
                    flags | OpenFlags::SQLITE_OPEN_URI,
                ))
                .map_err(|_| e)
            }
            Err(e) => Err(e),
        }
    }

    /// Check what the file holds, then set the connection up (and migrate, when writing),
    /// waiting up to [`BUSY_TIMEOUT`] for the file. SQLite's busy handler covers most waits but
    /// not this one: while the last connection to a memory closes, it holds the file
    /// exclusively to fold the write-ahead log back, and a connection that opens it then gets
    /// `SQLITE_BUSY` at once (`tests/store.rs`, `concurrent_writers_both_finish`: two writers
    /// opening and closing one memory in turn). The set-up is tried again after a short pause
    /// that grows; it changes nothing until it succeeds.
    fn setup(&mut self, write: bool) -> Result<()> {
        let start = std::time::Instant::now();
        let mut pause = Duration::from_millis(2);
        loop {
            match self.setup_once(write) {
                Err(e)
                    if matches!(
                        e.source_as::<rusqlite::Error>(),
                        Some(rusqlite::Error::SqliteFailure(f, _))
                            if f.code == ErrorCode::DatabaseBusy
                    ) && start.elapsed() + pause < BUSY_TIMEOUT =>
                {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(100));
                }
                other => return other,
            }
        }
    }

    fn setup_once(&mut self, write: bool) -> Result<()> {
        let path = self.path.clone();
        let err = |e| db_error(&path, e);
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(err)?;
        // Plans never depend on the values bound: on a memory someone ran ANALYZE on, SQLite
        // (built with STAT4) would otherwise prepare a statement again whenever a value changes
        // (each candidate text's segments were read by a statement compiled anew: 29% of a
        // lookup's time on the benchmark memory).
        self.conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
            .map_err(err)?;
        // Look before writing anything: a database that is not ours is left untouched.
        let found = schema::inspect(&self.conn).map_err(err)?;
        self.refuse(found)?;
        if !write {
            if let schema::Found::Memory(v) = found {
                if v < SCHEMA_VERSION {
                    return Err(Error::input(format!(
                        "the memory has schema version {v}, older than this paralign's {SCHEMA_VERSION}; run `paralign import` on it once to upgrade it"
                    ))
                    .with_path(&path));
                }
            }
            if found == schema::Found::Empty {
                return Err(Error::input(
                    "is an empty database, not a translation memory yet; run `paralign import PATH...` to fill it",
                )
                .with_path(&path));
            }
            self.conn
                .pragma_update(None, "foreign_keys", true)
                .map_err(err)?;
            return Ok(());
        }
        let mode: String = self
            .conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .map_err(err)?;
        debug_assert!(mode.eq_ignore_ascii_case("wal") || mode.eq_ignore_ascii_case("memory"));
        self.conn
            .pragma_update(None, "foreign_keys", true)
            .map_err(err)?;
        // In WAL mode NORMAL never corrupts; a power cut may lose the last import, not more.
        self.conn
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        if found != schema::Found::Memory(SCHEMA_VERSION) {
            let found = schema::migrate(&mut self.conn).map_err(err)?;
            self.refuse(found)?;
        }
        Ok(())
    }

    fn refuse(&self, found: schema::Found) -> Result<()> {
        match found {
            schema::Found::Newer(v) => Err(Error::input(format!(
                "the memory was written by a newer paralign (schema version {v}; this one knows up to {SCHEMA_VERSION}); upgrade paralign, or pass another --db"
            ))
            .with_path(&self.path)),
            schema::Found::Foreign => Err(Error::input(
                "is a SQLite database but not a paralign translation memory; pass another --db",
            )
            .with_path(&self.path)),
            _ => Ok(()),
        }
    }

    /// The file this memory lives in (`:memory:` for a throw-away one).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open memory.
    pub fn schema_version(&self) -> Result<i64> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// Read through a memory map of up to `mmap` bytes of the file and keep up to `cache`
    /// bytes of pages in this connection's own cache (for a long-lived reader such as
    /// `serve`'s workers: pages are read from the OS's cache without a copy per read).
    pub fn tune_reads(&self, mmap: u64, cache: u64) -> Result<()> {
        let kib = -((cache / 1024) as i64);
        self.conn
            .execute_batch(&format!(
                "PRAGMA mmap_size = {mmap}; PRAGMA cache_size = {kib};"
            ))
            .map_err(|e| self.err(e))
    }

    /// Run SQLite's integrity check; `Ok(())` when the file is sound.
    pub fn integrity_check(&self) -> Result<()> {
        let msg: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        if msg == "ok" {
            Ok(())
        } else {
            Err(Error::input(format!("the memory is damaged: {msg}")).with_path(&self.path))
        }
    }

    fn err(&self, e: rusqlite::Error) -> Error {
        db_error(&self.path, e)
    }
}

/// Whether opening failed because SQLite could not make or write a file beside the memory
/// (asked of the SQLite error kept as the source, never of the message).
fn cannot_write_beside(e: &Error) -> bool {
    matches!(
        e.source_as::<rusqlite::Error>(),
        Some(rusqlite::Error::SqliteFailure(f, _))
            if matches!(
                f.code,
                ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied
            )
    )
}

/// Whether the memory has a write-ahead log with content (changes not yet in the file).
fn has_wal(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(PathBuf::from(wal)).is_ok_and(|m| m.len() > 0)
}

/// A `file:` URI that opens the memory as immutable (read-only, without locks).
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

fn read_only() -> Error {
    Error::new(ErrorKind::Io(
        "the translation memory is read-only; make the file and its folder writable, or pass another --db"
            .into(),
    ))
}

/// Turn a SQLite error into a one-line message about the file, keeping it as the source.
pub(crate) fn db_error(path: &Path, e: rusqlite::Error) -> Error {
    let code = match &e {
        rusqlite::Error::SqliteFailure(f, _) => Some(f.code),
        _ => None,
    };
    let err = match code {
        Some(ErrorCode::NotADatabase) => Error::input(
            "is not a paralign translation memory (not a SQLite database at all); pass another --db",
        ),
        Some(ErrorCode::DatabaseCorrupt) => Error::input(
            "the translation memory is corrupt; restore it from a backup, or move it away and import again",
        ),
        Some(ErrorCode::ReadOnly) => read_only(),
        Some(ErrorCode::DiskFull) => Error::new(ErrorKind::Io(
            "the disk is full; the import was rolled back and the memory is as it was".into(),
        )),
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => Error::new(ErrorKind::Io(
            format!(
                "the memory stayed busy for {} s (another paralign is writing to it); try again",
                BUSY_TIMEOUT.as_secs()
            ),
        )),
        Some(ErrorCode::CannotOpen) | Some(ErrorCode::PermissionDenied) => {
            Error::new(ErrorKind::Io(
                "cannot open the translation memory; does its folder exist and can it be read?"
                    .into(),
            ))
        }
        Some(ErrorCode::SystemIoFailure) => Error::new(ErrorKind::Io(format!(
            "input/output error on the translation memory ({e}); the import was rolled back"
        ))),
        _ => Error::input(format!("translation memory error: {e}")),
    };
    err.with_path(path).with_source(e)
}

/// 64 bits of SHA-256 of a text, as stored in the memory (the same value as
/// [`crate::check::text_hash`], as a signed integer).
pub fn hash64(text: &str) -> i64 {
    let d = Sha256::digest(text.as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[..8]);
    i64::from_be_bytes(b)
}

/// A stored hash in the 16 hex digits people see.
pub fn hash_hex(h: i64) -> String {
    format!("{:016x}", h as u64)
}

/// The bit of a flag in the `flags` columns.
pub fn flag_bit(f: Flag) -> i64 {
    match f {
        Flag::Missing => 1,
        Flag::Extra => 2,
        Flag::Untranslated => 4,
        Flag::Diverging => 8,
        Flag::Misnumbered => 16,
        Flag::Reordered => 32,
        Flag::Outdated => 64,
    }
}

/// The flags in a bit set, in report order.
pub fn flags_of(bits: i64) -> Vec<Flag> {
    Flag::ALL
        .into_iter()
        .filter(|&f| bits & flag_bit(f) != 0)
        .collect()
}

/// Every reason, in bit order (kept complete by the exhaustive match in [`reason_bit`]).
const REASONS: [Reason; 15] = [
    Reason::Numbers,
    Reason::Length,
    Reason::Names,
    Reason::Links,
    Reason::LowScore,
    Reason::SameText,
    Reason::SameLanguage,
    Reason::WrongLanguage,
    Reason::Label,
    Reason::SourceChanged,
    Reason::Content,
    Reason::Placeholders,
    Reason::Code,
    Reason::Tags,
    Reason::Term,
];

/// The bit of a reason in the `reasons` column.
pub fn reason_bit(r: Reason) -> i64 {
    match r {
        Reason::Numbers => 1,
        Reason::Length => 2,
        Reason::Names => 4,
        Reason::Links => 8,
        Reason::LowScore => 16,
        Reason::SameText => 32,
        Reason::SameLanguage => 64,
        Reason::WrongLanguage => 128,
        Reason::Label => 256,
        Reason::SourceChanged => 512,
        Reason::Content => 1024,
        Reason::Placeholders => 2048,
        Reason::Code => 4096,
        Reason::Tags => 8192,
        Reason::Term => 16384,
    }
}

/// The reasons in a bit set.
pub fn reasons_of(bits: i64) -> Vec<Reason> {
    REASONS
        .into_iter()
        .filter(|&r| bits & reason_bit(r) != 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash64_is_text_hash() {
        for t in ["", "a", "Élan — 38 %", "1. The strike began."] {
            assert_eq!(hash_hex(hash64(t)), crate::check::text_hash(t));
        }
    }

    #[test]
    fn bits_round_trip() {
        for (k, r) in REASONS.into_iter().enumerate() {
            assert_eq!(reason_bit(r), 1 << k);
            assert_eq!(reasons_of(reason_bit(r)), vec![r]);
        }
        for (k, f) in Flag::ALL.into_iter().enumerate() {
            assert_eq!(flag_bit(f), 1 << k);
        }
        assert_eq!(
            flags_of(flag_bit(Flag::Outdated) | flag_bit(Flag::Missing)),
            vec![Flag::Missing, Flag::Outdated]
        );
    }
}
