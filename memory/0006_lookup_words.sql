-- paralign translation memory, schema version 6: the word index of lookups.
-- Append-only: never edit a migration that has shipped; add a new numbered file instead.

-- The texts of `lookup_index` by the words they hold, for a lookup to find its candidates
-- through the query's rarest words: a trigram is in thousands of texts of a large memory, a
-- rare word in a few (src/store/postings.rs). Words are lower-cased runs of letters and digits,
-- at most 32 characters. Each row is a list of texts holding `term`, written by one index update
-- (`batch`, from 1): `ids` are their `lookup_index` rowids ((length << 32) | text id), ascending,
-- each as the LEB128 varint of its difference from the one before; `docs` counts them. A word
-- held by more than 10,000 texts keeps one row of `batch` 0 and no ids instead: too common to
-- find anything, it is never read.
CREATE TABLE lookup_words (
    term  TEXT NOT NULL,
    batch INTEGER NOT NULL,
    docs  INTEGER NOT NULL,
    ids   BLOB NOT NULL,
    PRIMARY KEY (term, batch)
) WITHOUT ROWID;

-- How far the word index is filled (the highest segment and sentence segment ids whose source
-- texts it holds, as `segment` and `sentence_segment` for `lookup_index`) and the last batch.
-- A memory upgraded from version 5 gets its words at its next index update.
INSERT INTO lookup_state (key, value)
    VALUES ('word_segment', 0), ('word_sentence_segment', 0), ('word_batch', 0);
