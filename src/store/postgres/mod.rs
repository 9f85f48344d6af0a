//! The translation memory on PostgreSQL (≥ 14): the second implementation of
//! [`crate::store::Store`], chosen by `--db postgres://…`. SQL only, like the SQLite side, and
//! the same meaning: the tables of `memory/postgres/*.sql` mirror SQLite's (`schema.rs` applies
//! them), an import writes the same rows (`import.rs`), `status`, `segments` and exports read
//! them back in the same order (`query.rs`, `export.rs`), and a lookup ranks its candidates with
//! the same [`crate::reuse::rank`] (`lookup.rs`), the candidates coming from posting lists of
//! trigrams kept in a table (`postings.rs`) instead of FTS5.
//!
//! Writers are serialised per document, not per memory: an import takes a transaction-level
//! advisory lock on the hash of each document's name (all of them, in one order, before it
//! writes), so imports of different documents run side by side; a bulk load into an empty
//! memory (`bulk.rs`) locks the tables `text` and `segment` until it commits. The word models
//! are kept as on SQLite (`word_model.rs`), and so is the glossary (`glossary.rs`); XLIFF
//! exports read their rows here (`todo.rs`), `import-xliff` writes its segments (`xliff.rs`),
//! and a document's review page is read back (`review.rs`). SQLite's integrity check has no
//! counterpart here and is refused by
//! [`crate::store::Store`] with a message naming the command. Nothing here prints.

mod binary;
mod bulk;
mod export;
mod glossary;
mod import;
mod indexer;
mod lookup;
mod merge;
mod postings;
mod query;
mod review;
mod schema;
mod todo;
mod word_model;
mod write;
mod xliff;

/// A PostgreSQL result, before its error is told in the memory's words.
type Pg<T> = std::result::Result<T, postgres::Error>;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use postgres::{Client, NoTls};

use crate::error::{Error, ErrorKind, Result};
use crate::time::Clock;

pub use schema::PG_SCHEMA_VERSION;

/// Whether a `--db` value names a PostgreSQL memory (`postgres://` or `postgresql://`).
pub fn is_postgres_url(db: &Path) -> bool {
    db.to_str()
        .is_some_and(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
}

/// The address without its password, as messages show it.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (auth, host) = match rest.rfind('@') {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => return url.to_string(),
    };
    let user = auth.split(':').next().unwrap_or_default();
    format!("{scheme}://{user}@{host}")
}

/// A translation memory in a PostgreSQL database: the owner of one connection.
pub struct PgStore {
    client: Mutex<Client>,
    /// Statements prepared on the connection, by their SQL (lookups run the same few); boxed,
    /// as the store is a variant of [`crate::store::Store`]'s enum.
    statements: Mutex<Box<Statements>>,
    /// The address, without its password (what messages name).
    path: PathBuf,
    clock: Clock,
}

impl PgStore {
    /// Connect, check that the database is a paralign memory this binary can use (creating the
    /// schema in an empty one, migrating an older one forward when `write`).
    pub fn connect(url: &str, clock: Clock, write: bool) -> Result<PgStore> {
        let path = PathBuf::from(redact(url));
        let client = Client::connect(url, NoTls).map_err(|e| {
            Error::new(ErrorKind::Io(format!(
                "cannot connect to the PostgreSQL memory ({}); is the server running, and are the address, user and database right?",
                first_line(&e)
            )))
            .with_path(&path)
        })?;
        let store = PgStore {
            client: Mutex::new(client),
            statements: Mutex::new(Box::default()),
            path,
            clock,
        };
        let found = schema::inspect(&mut *store.client()).map_err(|e| store.err(e))?;
        let found = match found {
            schema::Found::Memory(v) if v == PG_SCHEMA_VERSION => found,
            schema::Found::Newer(v) => {
                return Err(store.input(format!(
                    "the memory was written by a newer paralign (PostgreSQL schema version {v}; this one knows up to {PG_SCHEMA_VERSION}); upgrade paralign, or pass another --db"
                )))
            }
            schema::Found::Foreign => {
                return Err(store.input(
                    "the database holds tables but is not a paralign translation memory; pass another --db",
                ))
            }
            _ if !write => {
                return Err(store.input(
                    "no translation memory in this database yet; run `paralign import PATH...` with this --db to make one",
                ))
            }
            _ => schema::migrate(&mut store.client()).map_err(|e| store.err(e))?,
        };
        if let schema::Found::Newer(v) = found {
            return Err(store.input(format!(
                "the memory was written by a newer paralign (PostgreSQL schema version {v}); upgrade paralign"
            )));
        }
        Ok(store)
    }

    /// The connection (one at a time: a store is used by one thread at once, the lock only
    /// lets `&self` readers borrow it).
    fn client(&self) -> MutexGuard<'_, Client> {
        self.client.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The address, without its password.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open memory (PostgreSQL's own numbering).
    pub fn schema_version(&self) -> Result<i64> {
        match schema::inspect(&mut *self.client()).map_err(|e| self.err(e))? {
            schema::Found::Memory(v) | schema::Found::Newer(v) => Ok(v),
            _ => Ok(0),
        }
    }

    fn input(&self, msg: impl Into<String>) -> Error {
        Error::input(msg).with_path(&self.path)
    }

    fn err(&self, e: postgres::Error) -> Error {
        pg_error(&self.path, &e)
    }
}

/// An error's message and its causes, on one line.
fn first_line(e: &(dyn std::error::Error + 'static)) -> String {
    let mut msg = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        msg.push_str(": ");
        msg.push_str(&c.to_string());
        cause = c.source();
    }
    msg.lines().next().unwrap_or_default().to_string()
}

/// A PostgreSQL error as a one-line message about the memory.
pub(crate) fn pg_error(path: &Path, e: &postgres::Error) -> Error {
    let msg = match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => first_line(e),
    };
    if e.is_closed() {
        return Error::new(ErrorKind::Io(format!(
            "the connection to the PostgreSQL memory was lost ({msg}); the transaction was rolled back"
        )))
        .with_path(path);
    }
    Error::input(format!("translation memory error: {msg}")).with_path(path)
}

/// Whether an error is a deadlock or a serialisation failure, after which the transaction is
/// run again.
fn retryable(e: &postgres::Error) -> bool {
    e.code().is_some_and(|c| {
        *c == postgres::error::SqlState::T_R_DEADLOCK_DETECTED
            || *c == postgres::error::SqlState::T_R_SERIALIZATION_FAILURE
    })
}

/// SQL for a language column matching a tag or its variants (`en` matches `en-GB`), with the
/// tag pushed onto `args` (`$n`).
fn lang_match(column: &str, n: usize) -> String {
    format!("(lower({column}) = lower(${n}) OR {column} LIKE ${n} || '-%')")
}

/// Statements prepared on a connection, by their SQL.
type Statements = std::collections::HashMap<String, postgres::Statement>;

/// Dynamic query arguments.
type Args = Vec<Box<dyn postgres::types::ToSql + Sync>>;

/// The arguments as the client takes them.
fn refs(args: &Args) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
    args.iter().map(|a| a.as_ref()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_left_out() {
        assert_eq!(
            redact("postgres://ann:secret@db.example:5433/tm"),
            "postgres://ann@db.example:5433/tm"
        );
        assert_eq!(redact("postgres://ann@h/tm"), "postgres://ann@h/tm");
        assert_eq!(redact("postgresql://h:5432/tm"), "postgresql://h:5432/tm");
        assert!(is_postgres_url(Path::new("postgresql://h/tm")));
        assert!(!is_postgres_url(Path::new("memory/paralign.sqlite")));
    }
}
