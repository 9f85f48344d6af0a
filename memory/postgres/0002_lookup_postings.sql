-- paralign translation memory on PostgreSQL, schema version 2: a lookup index of our own.
-- Append-only: never edit a migration that has shipped; add 0003_*.sql instead.
--
-- pg_trgm's GIN index answered `body ILIKE '%abc%'` but had to read back every text it found
-- to check it (seconds per lookup at 1,000,000 segments), and building it took most of a bulk
-- load. It is replaced by posting lists that src/store/postgres/postings.rs writes and reads:
-- for each trigram of letters and digits (three lowercased characters, 21 bits each, in one
-- BIGINT) and for each word (as SQLite's lookup_words holds them; a 63-bit hash, negative),
-- the source texts holding it, as keys (character length << 32 | text id, as the
-- SQLite index's rowids) sorted and cut into blocks of at most 1,024, each block delta- and
-- varint-encoded. A lookup reads only the blocks of its picked trigrams that overlap its
-- length window and counts the hits itself, as SQLite counts FTS5's.

DROP INDEX IF EXISTS text_trigrams;

CREATE TABLE lookup_posting (
    gram      BIGINT NOT NULL,
    first_key BIGINT NOT NULL,
    last_key  BIGINT NOT NULL,
    n         BIGINT NOT NULL,
    keys      BYTEA NOT NULL
);
-- Not compressed: varints do not compress, and a lookup should not pay for trying.
ALTER TABLE lookup_posting ALTER COLUMN keys SET STORAGE EXTERNAL;
CREATE INDEX lookup_posting_by_gram ON lookup_posting (gram, last_key) INCLUDE (first_key);

-- Source texts not yet in lookup_posting: a writer adds a text here in the transaction that
-- makes it a source (text.is_source), and `Store::update_lookup_index` takes them out as it
-- indexes them (lookups wait for it, as on SQLite). Committed rows only, so none is missed.
CREATE TABLE lookup_pending (
    text_id BIGINT PRIMARY KEY
);
INSERT INTO lookup_pending (text_id) SELECT id FROM text WHERE is_source;

-- lookup_stats now holds exact counts, summed from lookup_posting.
DELETE FROM lookup_stats;
