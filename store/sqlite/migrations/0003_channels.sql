-- 0003: channels (Discord channels and Telegram chats) and the stories each
-- was delivered. Delivered rows and slots (0005) refer to a channel by its
-- id, so MoveChannel changes one row and DeleteChannel cascades.

CREATE TABLE channels (
    id           INTEGER PRIMARY KEY,
    platform     TEXT    NOT NULL,
    chat_id      TEXT    NOT NULL,
    guild_id     TEXT    NOT NULL DEFAULT '',
    title        TEXT    NOT NULL DEFAULT '',
    time_zone    TEXT    NOT NULL DEFAULT '',
    schedule     TEXT    NOT NULL DEFAULT '',
    topics       TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
    filters      TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
    max_stories  INTEGER NOT NULL DEFAULT 0,
    paused       INTEGER NOT NULL DEFAULT 0,
    pause_reason TEXT    NOT NULL DEFAULT '',
    paused_at    INTEGER,
    last_digest  INTEGER,
    created      INTEGER NOT NULL,
    UNIQUE (platform, chat_id)
);

-- One row per (channel, story): a story delivered again replaces its row
-- when the new delivery is the later one.
CREATE TABLE delivered (
    channel_id  INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    story_key   TEXT    NOT NULL,
    articles    INTEGER NOT NULL,
    article_ids TEXT    NOT NULL DEFAULT '[]', -- JSON array of article ids
    at          INTEGER NOT NULL,
    PRIMARY KEY (channel_id, story_key)
) WITHOUT ROWID;

-- DeliveredSince: a channel's rows from a time on.
CREATE INDEX delivered_at ON delivered (channel_id, at);
