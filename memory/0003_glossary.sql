-- Schema version 3: the glossary (`paralign import-glossary`). A concept is stored once per
-- content: `content_hash` is the hash of its terms (language, text, part of speech, note, in
-- a fixed order), so importing a file again adds nothing. Each language's terms of a concept
-- are rows of `glossary_term`; term pairs are formed when the glossary is read.

CREATE TABLE glossary_concept (
    id           INTEGER PRIMARY KEY,
    content_hash INTEGER NOT NULL UNIQUE,
    origin       TEXT    NOT NULL,
    imported_at  INTEGER NOT NULL
);

CREATE TABLE glossary_term (
    id             INTEGER PRIMARY KEY,
    concept_id     INTEGER NOT NULL REFERENCES glossary_concept(id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    lang           TEXT    NOT NULL,
    term           TEXT    NOT NULL,
    lookup_key     TEXT    NOT NULL,
    part_of_speech TEXT,
    note           TEXT,
    UNIQUE (concept_id, seq)
);

CREATE INDEX glossary_term_by_key ON glossary_term (lang, lookup_key);
