//! The memory's schema: numbered, append-only migrations (the SQL files in `memory/`), the
//! checks that a file is a paralign memory this binary can use, and the migration forward.
//! Migrations run in one exclusive transaction and end by setting `PRAGMA user_version`.

use rusqlite::{Connection, TransactionBehavior};

/// `PRAGMA application_id` of a paralign memory ('PALG').
pub const APPLICATION_ID: i64 = 0x5041_4C47;

/// The migrations, in order: migration `k` (1-based) brings the schema to version `k`.
/// Append only: a migration that has shipped is never edited.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../../memory/0001_initial.sql"),
    include_str!("../../memory/0002_sentences_and_index.sql"),
    include_str!("../../memory/0003_glossary.sql"),
    include_str!("../../memory/0004_inline_codes.sql"),
    include_str!("../../memory/0005_word_model.sql"),
    include_str!("../../memory/0006_lookup_words.sql"),
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// What an opened file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Found {
    /// An empty database: migrations will create the schema.
    Empty,
    /// A paralign memory at this schema version (at most [`SCHEMA_VERSION`]).
    Memory(i64),
    /// A paralign memory written by a newer paralign.
    Newer(i64),
    /// Some other SQLite database.
    Foreign,
}

/// Look at a database without writing to it.
pub(super) fn inspect(conn: &Connection) -> rusqlite::Result<Found> {
    let app: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    Ok(if app == APPLICATION_ID {
        if version > SCHEMA_VERSION {
            Found::Newer(version)
        } else {
            Found::Memory(version)
        }
    } else if app == 0 && version == 0 && objects == 0 {
        Found::Empty
    } else {
        Found::Foreign
    })
}

/// Bring the schema to [`SCHEMA_VERSION`] in one exclusive transaction. The state is read again
/// inside the transaction, so two processes creating one memory at once apply each migration once.
pub(super) fn migrate(conn: &mut Connection) -> rusqlite::Result<Found> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
    let found = inspect(&tx)?;
    let from = match found {
        Found::Empty => 0,
        Found::Memory(v) => v,
        Found::Newer(_) | Found::Foreign => return Ok(found),
    };
    for sql in &MIGRATIONS[from as usize..] {
        tx.execute_batch(sql)?;
    }
    if from < SCHEMA_VERSION {
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    }
    tx.commit()?;
    Ok(Found::Memory(SCHEMA_VERSION))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dump(conn: &Connection) -> Vec<String> {
        let mut st = conn
            .prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name")
            .unwrap();
        st.query_map([], |r| {
            Ok(format!(
                "{} {} {}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    }

    #[test]
    fn fresh_database_gets_every_migration() {
        let mut c = Connection::open_in_memory().unwrap();
        assert_eq!(inspect(&c).unwrap(), Found::Empty);
        assert_eq!(migrate(&mut c).unwrap(), Found::Memory(SCHEMA_VERSION));
        assert_eq!(inspect(&c).unwrap(), Found::Memory(SCHEMA_VERSION));
        // A second run changes nothing.
        let before = dump(&c);
        migrate(&mut c).unwrap();
        assert_eq!(dump(&c), before);
    }

    #[test]
    fn upgrade_from_every_version_equals_fresh() {
        let mut fresh = Connection::open_in_memory().unwrap();
        migrate(&mut fresh).unwrap();
        let want = dump(&fresh);
        for k in 1..=MIGRATIONS.len() {
            let mut c = Connection::open_in_memory().unwrap();
            for sql in &MIGRATIONS[..k] {
                c.execute_batch(sql).unwrap();
            }
            c.pragma_update(None, "user_version", k as i64).unwrap();
            migrate(&mut c).unwrap();
            assert_eq!(dump(&c), want, "upgraded from version {k}");
        }
    }

    #[test]
    fn foreign_and_newer_databases_are_recognised() {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch("CREATE TABLE t (x)").unwrap();
        assert_eq!(inspect(&c).unwrap(), Found::Foreign);
        let mut c = Connection::open_in_memory().unwrap();
        migrate(&mut c).unwrap();
        c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        assert_eq!(inspect(&c).unwrap(), Found::Newer(SCHEMA_VERSION + 1));
        assert_eq!(migrate(&mut c).unwrap(), Found::Newer(SCHEMA_VERSION + 1));
    }
}
