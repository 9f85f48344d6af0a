-- paralign translation memory, schema version 1.
-- Append-only: never edit a migration that has shipped; add 0002_*.sql instead.
-- Applied by src/store/schema.rs in one exclusive transaction, which then sets
-- PRAGMA user_version to the number of migrations applied.

PRAGMA application_id = 1346456647; -- 'PALG': marks the file as a paralign memory

-- Every text the memory holds, stored once (paragraphs and segments refer to it).
CREATE TABLE text (
    id   INTEGER PRIMARY KEY,
    hash INTEGER NOT NULL,      -- first 8 bytes of SHA-256 of body, big-endian, as a signed integer
    body TEXT NOT NULL
);
CREATE INDEX text_by_hash ON text (hash);

-- A document: the language versions of one text, grouped by name (statement, sub/statement).
CREATE TABLE document (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    source_lang TEXT                -- the language of its current source version
);

-- Each language version as imported. A changed file adds a row and supersedes the old one,
-- which is kept as history.
CREATE TABLE version (
    id            INTEGER PRIMARY KEY,
    document_id   INTEGER NOT NULL REFERENCES document (id),
    lang          TEXT NOT NULL,    -- BCP 47 tag
    path          TEXT NOT NULL,    -- as given on the command line
    content_hash  INTEGER NOT NULL, -- hash of its paragraphs (line, label, kind, text)
    paragraphs    INTEGER NOT NULL,
    imported_at   INTEGER NOT NULL, -- seconds since 1970-01-01 UTC
    superseded_at INTEGER           -- NULL while current
);
CREATE UNIQUE INDEX version_current ON version (document_id, lang) WHERE superseded_at IS NULL;

-- The paragraphs of each version.
CREATE TABLE paragraph (
    version_id INTEGER NOT NULL REFERENCES version (id),
    idx        INTEGER NOT NULL,    -- 0-based position in the version
    line       INTEGER NOT NULL,    -- 1-based line where it starts in its file
    label      TEXT,                -- its number (`7`, `2.1`), if any
    text_id    INTEGER NOT NULL REFERENCES text (id),
    PRIMARY KEY (version_id, idx)
) WITHOUT ROWID;

-- The alignment of a target version with a source version. Re-aligning (a changed source or
-- target) supersedes the current row; earlier ones are kept as history. The counts are those
-- of its pairs, kept here so that `status` reads one row per document and language.
CREATE TABLE alignment (
    id                INTEGER PRIMARY KEY,
    document_id       INTEGER NOT NULL REFERENCES document (id),
    target_lang       TEXT NOT NULL,
    source_version_id INTEGER NOT NULL REFERENCES version (id),
    target_version_id INTEGER NOT NULL REFERENCES version (id),
    created_at        INTEGER NOT NULL,
    superseded_at     INTEGER,      -- NULL while current
    source_paragraphs INTEGER NOT NULL,
    translated        INTEGER NOT NULL, -- source paragraphs paired with a translation
    missing           INTEGER NOT NULL,
    extra             INTEGER NOT NULL,
    untranslated      INTEGER NOT NULL,
    diverging         INTEGER NOT NULL,
    misnumbered       INTEGER NOT NULL,
    reordered         INTEGER NOT NULL,
    outdated          INTEGER NOT NULL,
    coverage          REAL NOT NULL     -- translated / source_paragraphs (1 when empty)
);
CREATE UNIQUE INDEX alignment_current ON alignment (document_id, target_lang)
    WHERE superseded_at IS NULL;

-- The pairs of an alignment, in order.
CREATE TABLE pair (
    alignment_id INTEGER NOT NULL REFERENCES alignment (id),
    seq          INTEGER NOT NULL,  -- 0-based position in the alignment
    source       TEXT NOT NULL,     -- source paragraph indices joined by `+` (`12+13`), or empty
    target       TEXT NOT NULL,     -- target paragraph indices, likewise
    score        REAL,              -- NULL when a side is empty
    flags        INTEGER NOT NULL,  -- bit set, see memory/README.md
    reasons      INTEGER NOT NULL,  -- bit set, see memory/README.md
    source_hash  INTEGER,           -- hash of the source paragraphs' normalised text
    target_hash  INTEGER,           -- hash of the target paragraphs' normalised text
    basis_hash   INTEGER,           -- the source hash the target was translated from, when it
                                    -- is not source_hash (the pair is then outdated)
    PRIMARY KEY (alignment_id, seq)
) WITHOUT ROWID;

-- The translation memory: pairs of texts, de-duplicated by languages and texts.
CREATE TABLE segment (
    id             INTEGER PRIMARY KEY,
    source_lang    TEXT NOT NULL,
    target_lang    TEXT NOT NULL,
    source_text_id INTEGER NOT NULL REFERENCES text (id),
    target_text_id INTEGER NOT NULL REFERENCES text (id),
    source_hash    INTEGER NOT NULL, -- hash of the source paragraph the target was aligned with
    document_id    INTEGER NOT NULL REFERENCES document (id), -- where last seen
    label          TEXT,             -- label of the source paragraph where last seen
    score          REAL,
    flags          INTEGER NOT NULL, -- bit set, as in pair
    origin         TEXT NOT NULL,    -- how it arrived: `import` (aligned by paralign import)
    created_at     INTEGER NOT NULL,
    changed_at     INTEGER NOT NULL,
    UNIQUE (source_lang, target_lang, source_text_id, target_text_id)
);
