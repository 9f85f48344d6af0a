-- paralign translation memory on PostgreSQL, schema version 1.
-- Append-only: never edit a migration that has shipped; add 0002_*.sql instead.
-- Applied by src/store/postgres/schema.rs in one transaction holding an advisory lock, which
-- then records the number of migrations applied in paralign_meta ('schema_version').
-- The tables mean what the SQLite memory's tables of the same names mean (memory/README.md),
-- as of SQLite schema version 5, except: no FTS5 lookup index (a pg_trgm GIN index on the
-- source texts does its work, kept up to date by PostgreSQL itself) and no word models yet.
-- Every integer is BIGINT, every real DOUBLE PRECISION, so that the client passes i64 and f64.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Marks the database as a paralign memory: 'application_id' = 1346456647 ('PALG') and
-- 'schema_version'.
CREATE TABLE paralign_meta (
    key   TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO paralign_meta (key, value) VALUES ('application_id', 1346456647);

-- Every text the memory holds, stored once per writer (hash not unique: compare body too).
-- is_source: the text is the source of a segment or a sentence segment (what lookups search).
CREATE TABLE text (
    id        BIGSERIAL PRIMARY KEY,
    hash      BIGINT NOT NULL,
    body      TEXT NOT NULL,
    is_source BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX text_by_hash ON text (hash);
-- Fuzzy lookup: the source texts holding a trigram (pg_trgm; `body ILIKE '%abc%'`).
CREATE INDEX text_trigrams ON text USING gin (body gin_trgm_ops) WHERE is_source;

-- How many source texts hold each trigram (pg_trgm's, of letters and digits), counted on a
-- sample of them and scaled, for a lookup to pick the query's rarest; the empty term holds
-- the highest text.id when they were counted.
CREATE TABLE lookup_stats (
    term TEXT PRIMARY KEY,
    docs BIGINT NOT NULL
);

CREATE TABLE document (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    source_lang TEXT
);

CREATE TABLE version (
    id            BIGSERIAL PRIMARY KEY,
    document_id   BIGINT NOT NULL REFERENCES document (id),
    lang          TEXT NOT NULL,
    path          TEXT NOT NULL,
    content_hash  BIGINT NOT NULL,
    paragraphs    BIGINT NOT NULL,
    imported_at   BIGINT NOT NULL,
    superseded_at BIGINT
);
CREATE UNIQUE INDEX version_current ON version (document_id, lang) WHERE superseded_at IS NULL;

CREATE TABLE paragraph (
    version_id BIGINT NOT NULL REFERENCES version (id),
    idx        BIGINT NOT NULL,
    line       BIGINT NOT NULL,
    label      TEXT,
    text_id    BIGINT NOT NULL REFERENCES text (id),
    PRIMARY KEY (version_id, idx)
);

CREATE TABLE alignment (
    id                BIGSERIAL PRIMARY KEY,
    document_id       BIGINT NOT NULL REFERENCES document (id),
    target_lang       TEXT NOT NULL,
    source_version_id BIGINT NOT NULL REFERENCES version (id),
    target_version_id BIGINT NOT NULL REFERENCES version (id),
    created_at        BIGINT NOT NULL,
    superseded_at     BIGINT,
    source_paragraphs BIGINT NOT NULL,
    translated        BIGINT NOT NULL,
    missing           BIGINT NOT NULL,
    extra             BIGINT NOT NULL,
    untranslated      BIGINT NOT NULL,
    diverging         BIGINT NOT NULL,
    misnumbered       BIGINT NOT NULL,
    reordered         BIGINT NOT NULL,
    outdated          BIGINT NOT NULL,
    coverage          DOUBLE PRECISION NOT NULL
);
CREATE UNIQUE INDEX alignment_current ON alignment (document_id, target_lang)
    WHERE superseded_at IS NULL;

CREATE TABLE pair (
    alignment_id BIGINT NOT NULL REFERENCES alignment (id),
    seq          BIGINT NOT NULL,
    source       TEXT NOT NULL,
    target       TEXT NOT NULL,
    score        DOUBLE PRECISION,
    flags        BIGINT NOT NULL,
    reasons      BIGINT NOT NULL,
    source_hash  BIGINT,
    target_hash  BIGINT,
    basis_hash   BIGINT,
    PRIMARY KEY (alignment_id, seq)
);

CREATE TABLE segment (
    id             BIGSERIAL PRIMARY KEY,
    source_lang    TEXT NOT NULL,
    target_lang    TEXT NOT NULL,
    source_text_id BIGINT NOT NULL REFERENCES text (id),
    target_text_id BIGINT NOT NULL REFERENCES text (id),
    source_hash    BIGINT NOT NULL,
    document_id    BIGINT REFERENCES document (id),
    label          TEXT,
    score          DOUBLE PRECISION,
    flags          BIGINT NOT NULL DEFAULT 0,
    origin         TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    changed_at     BIGINT NOT NULL,
    source_codes   TEXT,
    target_codes   TEXT,
    tu_meta        TEXT,
    source_meta    TEXT,
    target_meta    TEXT,
    UNIQUE (source_lang, target_lang, source_text_id, target_text_id)
);
CREATE INDEX segment_by_source_hash ON segment (source_hash);
CREATE INDEX segment_by_source_text ON segment (source_text_id);
CREATE INDEX segment_by_document ON segment (document_id);

CREATE TABLE sentence_segment (
    id             BIGSERIAL PRIMARY KEY,
    segment_id     BIGINT NOT NULL REFERENCES segment (id),
    seq            BIGINT NOT NULL,
    source_lang    TEXT NOT NULL,
    target_lang    TEXT NOT NULL,
    source_text_id BIGINT NOT NULL REFERENCES text (id),
    target_text_id BIGINT NOT NULL REFERENCES text (id),
    source_hash    BIGINT NOT NULL,
    UNIQUE (segment_id, seq)
);
CREATE INDEX sentence_segment_by_source_hash ON sentence_segment (source_hash);
CREATE INDEX sentence_segment_by_source_text ON sentence_segment (source_text_id);

CREATE TABLE glossary_concept (
    id           BIGSERIAL PRIMARY KEY,
    content_hash BIGINT NOT NULL UNIQUE,
    origin       TEXT NOT NULL,
    imported_at  BIGINT NOT NULL
);
CREATE TABLE glossary_term (
    concept_id     BIGINT NOT NULL REFERENCES glossary_concept (id),
    seq            BIGINT NOT NULL,
    lang           TEXT NOT NULL,
    term           TEXT NOT NULL,
    lookup_key     TEXT NOT NULL,
    part_of_speech TEXT,
    note           TEXT,
    PRIMARY KEY (concept_id, seq)
);
CREATE INDEX glossary_term_by_key ON glossary_term (lang, lookup_key);
