-- 0004: what the digest engine computed from each article, so that it is
-- computed once. An analysis goes with its article (ON DELETE CASCADE) and
-- its quotes with it.

CREATE TABLE analyses (
    article_id bigint  PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    version    integer NOT NULL,
    summary    text[]  NOT NULL DEFAULT '{}',
    lede       text    NOT NULL DEFAULT ''
);

CREATE TABLE analysis_quotes (
    article_id   bigint  NOT NULL REFERENCES analyses (article_id) ON DELETE CASCADE,
    idx          integer NOT NULL, -- the quote's place in Analysis.Quotes
    text         text    NOT NULL,
    speaker      text    NOT NULL DEFAULT '',
    -- The speaker lower-cased by Go (store.FoldSpeaker), the same in every
    -- backend and under every database locale.
    speaker_fold text    NOT NULL DEFAULT '',
    cue          text    NOT NULL DEFAULT '',
    partial      boolean NOT NULL DEFAULT false,
    key          boolean NOT NULL DEFAULT false,
    rank         integer NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, idx)
);

-- QuotesBySpeaker reads key quotes only. A name part matches anywhere in
-- the speaker (strpos), which no btree can search: this partial index is
-- the small set of key quotes' speakers, to scan instead of every quote.
-- (A pg_trgm GIN index would search it, but needs an extension.)
CREATE INDEX analysis_quotes_speaker ON analysis_quotes (speaker_fold, article_id) WHERE key;
