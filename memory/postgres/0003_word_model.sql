-- PostgreSQL schema version 3: the word models the memory's segments teach, as SQLite schema
-- version 5 keeps them (memory/0005_word_model.sql says what each column means). Tokens are
-- the 32-bit hashes of src/model/tokens.rs, stored signed.

CREATE TABLE word_model (
    id               BIGSERIAL PRIMARY KEY,
    source_lang      TEXT   NOT NULL,
    target_lang      TEXT   NOT NULL,
    pairs            BIGINT NOT NULL,
    translated_found BIGINT NOT NULL,
    translated_known BIGINT NOT NULL,
    unrelated_found  BIGINT NOT NULL,
    unrelated_known  BIGINT NOT NULL,
    trained_at       BIGINT NOT NULL,
    UNIQUE (source_lang, target_lang)
);

CREATE TABLE word_token (
    model_id BIGINT NOT NULL REFERENCES word_model (id) ON DELETE CASCADE,
    side     BIGINT NOT NULL,
    token    BIGINT NOT NULL,
    pairs    BIGINT NOT NULL,
    PRIMARY KEY (model_id, side, token)
);

CREATE TABLE word_translation (
    model_id    BIGINT NOT NULL REFERENCES word_model (id) ON DELETE CASCADE,
    side        BIGINT NOT NULL,
    token       BIGINT NOT NULL,
    translation BIGINT NOT NULL,
    count       DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (model_id, side, token, translation)
);

CREATE TABLE word_model_state (
    key   TEXT   PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO word_model_state (key, value) VALUES ('segment', 0);
