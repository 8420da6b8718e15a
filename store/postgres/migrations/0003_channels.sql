-- 0003: channels (Discord channels and Telegram chats) and the stories each
-- was delivered. Delivered rows and slots (0005) refer to a channel by its
-- id, so MoveChannel changes one row and DeleteChannel cascades.

CREATE TABLE channels (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform     text        NOT NULL,
    chat_id      text        NOT NULL,
    guild_id     text        NOT NULL DEFAULT '',
    title        text        NOT NULL DEFAULT '',
    time_zone    text        NOT NULL DEFAULT '',
    schedule     text        NOT NULL DEFAULT '',
    topics       text[]      NOT NULL DEFAULT '{}',
    filters      text[]      NOT NULL DEFAULT '{}',
    max_stories  integer     NOT NULL DEFAULT 0,
    paused       boolean     NOT NULL DEFAULT false,
    pause_reason text        NOT NULL DEFAULT '',
    paused_at    timestamptz,
    last_digest  timestamptz,
    created      timestamptz NOT NULL,
    UNIQUE (platform, chat_id)
);

-- One row per (channel, story): a story delivered again replaces its row
-- when the new delivery is the later one.
CREATE TABLE delivered (
    channel_id  bigint      NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    story_key   text        NOT NULL,
    articles    integer     NOT NULL,
    article_ids bigint[]    NOT NULL DEFAULT '{}',
    at          timestamptz NOT NULL,
    PRIMARY KEY (channel_id, story_key)
);

-- DeliveredSince: a channel's rows from a time on.
CREATE INDEX delivered_at ON delivered (channel_id, at);
