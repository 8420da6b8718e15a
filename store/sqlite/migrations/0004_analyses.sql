-- 0004: what the digest engine computed from each article, so that it is
-- computed once. An analysis goes with its article (ON DELETE CASCADE) and
-- its quotes with it.

CREATE TABLE analyses (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    summary    TEXT    NOT NULL DEFAULT '[]', -- JSON array of sentences
    lede       TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE analysis_quotes (
    article_id   INTEGER NOT NULL REFERENCES analyses (article_id) ON DELETE CASCADE,
    idx          INTEGER NOT NULL, -- the quote's place in Analysis.Quotes
    text         TEXT    NOT NULL,
    speaker      TEXT    NOT NULL DEFAULT '',
    -- The speaker lower-cased by Go (strings.ToLower): SQLite's lower()
    -- folds ASCII only, and names are in every script.
    speaker_fold TEXT    NOT NULL DEFAULT '',
    cue          TEXT    NOT NULL DEFAULT '',
    partial      INTEGER NOT NULL DEFAULT 0,
    key          INTEGER NOT NULL DEFAULT 0,
    rank         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;

-- QuotesBySpeaker reads key quotes only; a name part matches anywhere in
-- the speaker, so this index is scanned (it is small: key quotes' speakers
-- only) rather than searched.
CREATE INDEX analysis_quotes_speaker ON analysis_quotes (speaker_fold) WHERE key = 1;
