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
CREATE VIRTUAL TABLE lookup_index USING fts5 (body, tokenize = 'trigram', content = '');

-- A segment or sentence segment with a source text not seen before adds it to the index.
CREATE TRIGGER lookup_index_segment AFTER INSERT ON segment
WHEN NOT EXISTS (SELECT 1 FROM segment s
                 WHERE s.source_text_id = NEW.source_text_id AND s.id <> NEW.id)
 AND NOT EXISTS (SELECT 1 FROM sentence_segment s WHERE s.source_text_id = NEW.source_text_id)
BEGIN
    INSERT INTO lookup_index (rowid, body)
        SELECT (length(t.body) << 32) | t.id, t.body FROM text t
        WHERE t.id = NEW.source_text_id;
END;
CREATE TRIGGER lookup_index_sentence AFTER INSERT ON sentence_segment
WHEN NOT EXISTS (SELECT 1 FROM sentence_segment s
                 WHERE s.source_text_id = NEW.source_text_id AND s.id <> NEW.id)
 AND NOT EXISTS (SELECT 1 FROM segment s WHERE s.source_text_id = NEW.source_text_id)
BEGIN
    INSERT INTO lookup_index (rowid, body)
        SELECT (length(t.body) << 32) | t.id, t.body FROM text t
        WHERE t.id = NEW.source_text_id;
END;

-- The source texts of the segments a version-1 memory already holds.
INSERT INTO lookup_index (rowid, body)
    SELECT (length(t.body) << 32) | t.id, t.body FROM text t
    WHERE t.id IN (SELECT source_text_id FROM segment)
    ORDER BY 1;

-- How many indexed texts hold each trigram (fts5vocab reads it from the index), and a copy of
-- those counts, `lookup_stats`, that a query reads to pick its rarest trigrams: a common
-- trigram's posting list is long, a rare one's short. The row with the empty term holds the
-- highest text id when the copy was made (how large the memory was). `paralign import` refreshes the copy when
-- the index has grown by a tenth since (`src/store/lookup.rs`).
CREATE VIRTUAL TABLE lookup_vocab USING fts5vocab (lookup_index, 'row');
CREATE TABLE lookup_stats (
    term TEXT PRIMARY KEY,
    docs INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO lookup_stats (term, docs) SELECT term, doc FROM lookup_vocab;
INSERT INTO lookup_stats (term, docs) VALUES ('', (SELECT coalesce(max(id), 0) FROM text));
