-- 0002: articles and their full-text index.
--
-- eff is the article's effective time (publication, else fetch): windows
-- are ranges of the (eff, id) index and results come newest first from it.
--
-- tsv is the full-text document, generated from title and body with the
-- 'simple' configuration: lower-cased words, no stemming and no stop words,
-- so that every language is searched alike (matching what SQLite's
-- unicode61 tokenizer does; a search finds the words as written, not their
-- other forms). Only the first 100,000 characters are indexed, which keeps
-- the tsvector under PostgreSQL's 1 MB limit whatever the text (news
-- articles are far shorter). Lower-casing follows the database's LC_CTYPE:
-- it must be a UTF-8 locale (C.UTF-8, en_US.UTF-8), not "C", for
-- non-ASCII letters to match across case.

CREATE TABLE articles (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id bigint REFERENCES sources (id) ON DELETE SET NULL,
    url       text UNIQUE,                -- canonical URL; NULL when there is none
    title     text        NOT NULL,
    outlet    text        NOT NULL DEFAULT '',
    byline    text        NOT NULL DEFAULT '',
    published timestamptz,                -- NULL when the outlet gave no date
    fetched   timestamptz NOT NULL,
    language  text        NOT NULL DEFAULT '',
    body      text        NOT NULL,
    hash      bytea       NOT NULL,       -- SHA-256 of the normalised text, 32 bytes
    eff       timestamptz NOT NULL GENERATED ALWAYS AS (coalesce(published, fetched)) STORED,
    tsv       tsvector    NOT NULL GENERATED ALWAYS AS
              (to_tsvector('simple'::regconfig, left(title || ' ' || body, 100000))) STORED
);

CREATE INDEX articles_eff ON articles (eff, id);
-- Dedup of the same text under another URL.
CREATE INDEX articles_hash ON articles (hash);
-- Per-source listings, newest first, and ON DELETE SET NULL without a scan.
CREATE INDEX articles_source ON articles (source_id, eff, id);
CREATE INDEX articles_tsv ON articles USING gin (tsv);
