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

-- Articles are stored in time order: the rowid is the sort key, the
-- article's effective time, coalesce(published, fetched) in ms, times 2^20,
-- plus a counter that tells apart articles of the same millisecond (see
-- sortkey.go). A time window is then a rowid range read in place, and the
-- full-text index, whose rowids are these keys, yields matches newest first,
-- so a search stops at its limit instead of sorting every match. The key
-- changes when a new version changes the effective time; the id, which
-- callers see, never does.
CREATE TABLE articles (
    sort_key  INTEGER PRIMARY KEY,
    id        INTEGER NOT NULL UNIQUE,  -- max(id) + 1 when inserted
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
-- Per-source listings, and ON DELETE SET NULL without a table scan.
CREATE INDEX articles_source ON articles (source_id); -- entries end with the rowid, so in time order

-- External-content FTS5 index: the text lives once, in articles. The write
-- path (article.go) indexes new and changed articles at the end of each
-- transaction, in one statement, which is much faster than a trigger per
-- row; the delete trigger keeps the index right for any other deletion. A
-- search right after a write sees it.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, body,
    content = 'articles', content_rowid = 'sort_key',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', old.sort_key, old.title, old.body);
END;
