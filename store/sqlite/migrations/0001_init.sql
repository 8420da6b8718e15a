-- 0001: sources, articles and the full-text index over articles.
--
-- Times are INTEGER milliseconds since the Unix epoch, UTC; NULL where the
-- Go value is the zero time. Durations are INTEGER milliseconds.

CREATE TABLE sources (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL DEFAULT '',
    url           TEXT    NOT NULL UNIQUE,
    full_text     TEXT    NOT NULL DEFAULT 'auto',
    interval_ms   INTEGER NOT NULL DEFAULT 0,
    created       INTEGER NOT NULL,
    etag          TEXT    NOT NULL DEFAULT '',
    last_modified TEXT    NOT NULL DEFAULT '',
    last_fetch    INTEGER,
    last_success  INTEGER,
    last_error    TEXT    NOT NULL DEFAULT '',
    last_error_at INTEGER,
    failures      INTEGER NOT NULL DEFAULT 0,
    next_poll     INTEGER
);

-- DueSources: NULL (never polled) sorts first.
CREATE INDEX sources_next_poll ON sources (next_poll);

CREATE TABLE articles (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER REFERENCES sources (id) ON DELETE SET NULL,
    url       TEXT UNIQUE,              -- canonical URL; NULL when there is none
    title     TEXT    NOT NULL,
    byline    TEXT    NOT NULL DEFAULT '',
    published INTEGER,                  -- NULL when the outlet gave no date
    fetched   INTEGER NOT NULL,
    language  TEXT    NOT NULL DEFAULT '',
    body      TEXT    NOT NULL,
    hash      BLOB    NOT NULL          -- SHA-256 of the normalised text, 32 bytes
);

-- Dedup of the same text under another URL.
CREATE INDEX articles_hash ON articles (hash);
-- Windows and newest-first ordering use the effective time; the query must
-- spell the expression exactly like this for the index to apply.
CREATE INDEX articles_time ON articles (coalesce(published, fetched));
-- Per-source listings, and ON DELETE SET NULL without a table scan.
CREATE INDEX articles_source_time ON articles (source_id, coalesce(published, fetched));

-- External-content FTS5 index: the text lives once, in articles; the
-- triggers keep the index in step inside the same transaction, so a search
-- right after a write sees it.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, body,
    content = 'articles', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;

CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;

CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
