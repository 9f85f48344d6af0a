//! The PostgreSQL memory's schema: numbered, append-only migrations (`memory/postgres/*.sql`),
//! the check that a database is a paralign memory, and the migration forward in one
//! transaction that holds an advisory lock, so that two processes creating one memory at once
//! apply each migration once.

use postgres::Client;

/// The migrations, in order: migration `k` (1-based) brings the schema to version `k`.
/// Append only: a migration that has shipped is never edited.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../memory/postgres/0001_initial.sql"),
    include_str!("../../../memory/postgres/0002_lookup_postings.sql"),
    include_str!("../../../memory/postgres/0003_word_model.sql"),
];

/// The PostgreSQL schema version this binary writes.
pub const PG_SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The advisory lock key that serialises migrations ('PALG' as an integer).
const MIGRATION_LOCK: i64 = 0x5041_4C47;

/// What a database holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Found {
    /// No paralign tables and no `text`/`segment` tables: migrations create the schema.
    Empty,
    /// A paralign memory at this schema version (at most [`PG_SCHEMA_VERSION`]).
    Memory(i64),
    /// A paralign memory written by a newer paralign.
    Newer(i64),
    /// Some other database holding tables of our names.
    Foreign,
}

/// Look at a database without writing to it.
pub(super) fn inspect(c: &mut impl postgres::GenericClient) -> Result<Found, postgres::Error> {
    let meta: bool = c
        .query_one("SELECT to_regclass('paralign_meta') IS NOT NULL", &[])?
        .get(0);
    if !meta {
        let ours: bool = c
            .query_one(
                "SELECT to_regclass('segment') IS NOT NULL OR to_regclass('text') IS NOT NULL",
                &[],
            )?
            .get(0);
        return Ok(if ours { Found::Foreign } else { Found::Empty });
    }
    let v: Option<i64> = c
        .query_opt(
            "SELECT value FROM paralign_meta WHERE key = 'schema_version'",
            &[],
        )?
        .map(|r| r.get(0));
    let v = v.unwrap_or(0);
    Ok(if v > PG_SCHEMA_VERSION {
        Found::Newer(v)
    } else {
        Found::Memory(v)
    })
}

/// Bring the schema to [`PG_SCHEMA_VERSION`] in one transaction; the state is read again under
/// the lock.
pub(super) fn migrate(c: &mut Client) -> Result<Found, postgres::Error> {
    let mut tx = c.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    let found = inspect(&mut tx)?;
    let from = match found {
        Found::Empty => 0,
        Found::Memory(v) => v,
        other => return Ok(other),
    };
    for sql in &MIGRATIONS[from as usize..] {
        tx.batch_execute(sql)?;
    }
    tx.execute(
        "INSERT INTO paralign_meta (key, value) VALUES ('schema_version', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&PG_SCHEMA_VERSION],
    )?;
    tx.commit()?;
    Ok(Found::Memory(PG_SCHEMA_VERSION))
}
