-- Schema version 5: the word model the memory's segments teach, one per language pair (the
-- languages' primary subtags). Filled after every import (`import`, `import-tmx`,
-- `import-xliff`) from the segments stored since the last training, and built again from every
-- segment by `paralign rebuild-model`. Bounded: per side at most 200,000 tokens, per token at
-- most 4 translations (src/model/memory.rs decides what is kept; this only stores it).

CREATE TABLE word_model (
    id               INTEGER PRIMARY KEY,
    source_lang      TEXT    NOT NULL,
    target_lang      TEXT    NOT NULL,
    pairs            INTEGER NOT NULL, -- segments trained on
    translated_found INTEGER NOT NULL, -- held-out segments: known tokens that found a translation
    translated_known INTEGER NOT NULL, -- ... and known tokens
    unrelated_found  INTEGER NOT NULL, -- held-out sources against other held-out targets
    unrelated_known  INTEGER NOT NULL,
    trained_at       INTEGER NOT NULL,
    UNIQUE (source_lang, target_lang)
);

-- Per side (0 source, 1 target), a token (the 32-bit hash of src/model/tokens.rs, stored
-- signed) and the trained segments that hold it.
CREATE TABLE word_token (
    model_id INTEGER NOT NULL REFERENCES word_model (id) ON DELETE CASCADE,
    side     INTEGER NOT NULL,
    token    INTEGER NOT NULL,
    pairs    INTEGER NOT NULL,
    PRIMARY KEY (model_id, side, token)
) WITHOUT ROWID;

-- Per direction (0 source token to target token, 1 the reverse), a translation and its
-- accumulated expected count; its probability is `count / word_token.pairs` of `token`.
CREATE TABLE word_translation (
    model_id    INTEGER NOT NULL REFERENCES word_model (id) ON DELETE CASCADE,
    side        INTEGER NOT NULL,
    token       INTEGER NOT NULL,
    translation INTEGER NOT NULL,
    count       REAL    NOT NULL,
    PRIMARY KEY (model_id, side, token, translation)
) WITHOUT ROWID;

-- `segment`: the highest segment.id the word models have been trained on.
CREATE TABLE word_model_state (
    key   TEXT    PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO word_model_state (key, value) VALUES ('segment', 0);
