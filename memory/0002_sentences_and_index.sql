-- paralign translation memory, schema version 2: sentence segments and the lookup index.
-- Append-only: never edit a migration that has shipped; add a new numbered file instead.

-- The sentence pairs of a clean paragraph segment, stored beside it by `paralign import`. They
-- are segments of the sentence level: `lookup`, `analyze` and `pretranslate` search them with
-- the paragraph segments; `segments`, `status` and exports keep to paragraphs.
CREATE TABLE sentence_segment (
    id             INTEGER PRIMARY KEY,
    segment_id     INTEGER NOT NULL REFERENCES segment (id), -- the paragraph segment
    seq            INTEGER NOT NULL, -- 0-based position in the paragraph
    source_lang    TEXT NOT NULL,
    target_lang    TEXT NOT NULL,
    source_text_id INTEGER NOT NULL REFERENCES text (id),
    target_text_id INTEGER NOT NULL REFERENCES text (id),
    source_hash    INTEGER NOT NULL, -- hash of the sentence's normalised text
    UNIQUE (segment_id, seq)
);
CREATE INDEX sentence_segment_by_source_hash ON sentence_segment (source_hash);
CREATE INDEX sentence_segment_by_source_text ON sentence_segment (source_text_id);

-- Exact matches by the hash of the normalised source text, and the segments of a source text.
CREATE INDEX segment_by_source_hash ON segment (source_hash);
CREATE INDEX segment_by_source_text ON segment (source_text_id);

-- Candidate retrieval for `lookup`, `analyze` and `pretranslate`: every source text of a
-- segment or sentence segment, once, in a full-text index of character trigrams
-- (case-insensitive). Contentless: the text stays in `text`. The rowid is
-- (length in characters << 32) | text id, so that a length window is a rowid range that the
-- index seeks to instead of a filter on every row.
CREATE VIRTUAL TABLE lookup_index USING fts5 (body, tokenize = 'trigram', content = '', detail = none);
-- Lookups ask for one trigram at a time, so positions are not kept (`detail = none`: a third
-- of the size). Filling the index gathers up to 64 MB of postings in memory before writing
-- them, so that a large update writes few index segments and merges little.
INSERT INTO lookup_index (lookup_index, rank) VALUES ('hashsize', 67108864);

-- The index is brought up to date by the first lookup after an import (`paralign lookup`,
-- `analyze`, `pretranslate`, `export --format xliff`), not by the import: a bulk load stays
-- fast and small, and the index is filled in row-id order in one transaction. `lookup_state`
-- holds the highest segment and sentence segment ids whose source texts are indexed.
CREATE TABLE lookup_state (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO lookup_state (key, value) VALUES ('segment', 0), ('sentence_segment', 0);

-- How many indexed texts hold each trigram (fts5vocab reads it from the index), and a copy of
-- those counts, `lookup_stats`, that a query reads to pick its rarest trigrams: a common
-- trigram's posting list is long, a rare one's short. The row with the empty term holds the
-- highest text id when the copy was made (how large the memory was). The index update
-- refreshes the copy when the index has grown by a tenth since (`src/store/lookup.rs`).
CREATE VIRTUAL TABLE lookup_vocab USING fts5vocab (lookup_index, 'row');
CREATE TABLE lookup_stats (
    term TEXT PRIMARY KEY,
    docs INTEGER NOT NULL
) WITHOUT ROWID;
-- The index starts empty: counts taken at size 0, so the first update takes them.
INSERT INTO lookup_stats (term, docs) VALUES ('', 0);
