-- 0001: the feeds newsdigest polls and each one's fetch state.
--
-- Times are timestamptz written to the millisecond (the store truncates),
-- NULL where the Go value is the zero time. Durations are bigint
-- milliseconds.

CREATE TABLE sources (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text        NOT NULL DEFAULT '',
    url           text        NOT NULL UNIQUE,
    full_text     text        NOT NULL DEFAULT 'auto',
    interval_ms   bigint      NOT NULL DEFAULT 0,
    created       timestamptz NOT NULL,
    etag          text        NOT NULL DEFAULT '',
    last_modified text        NOT NULL DEFAULT '',
    last_fetch    timestamptz,
    last_success  timestamptz,
    last_error    text        NOT NULL DEFAULT '',
    last_error_at timestamptz,
    failures      integer     NOT NULL DEFAULT 0,
    next_poll     timestamptz
);

-- DueSources: NULL (never polled) first.
CREATE INDEX sources_next_poll ON sources (next_poll NULLS FIRST, id);
