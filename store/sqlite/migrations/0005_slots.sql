-- 0005: scheduled deliveries, claimed before they are sent so that each is
-- sent once across restarts and processes (see ClaimSlot in slot.go).

CREATE TABLE slots (
    id          INTEGER PRIMARY KEY,
    channel_id  INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    local       TEXT    NOT NULL, -- "2026-11-26T08:00" in the channel's zone
    due         INTEGER NOT NULL,
    owner       TEXT    NOT NULL DEFAULT '',
    lease_until INTEGER,          -- NULL: no lease
    attempts    INTEGER NOT NULL DEFAULT 0,
    done        INTEGER NOT NULL DEFAULT 0,
    message_ids TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
    sent_at     INTEGER,
    last_error  TEXT    NOT NULL DEFAULT '',
    skipped     INTEGER NOT NULL DEFAULT 0,
    retry_at    INTEGER,          -- NULL: claimable at once
    UNIQUE (channel_id, local)
);

-- LastSlot: a channel's done slots by due time.
CREATE INDEX slots_done ON slots (channel_id, due) WHERE done = 1;
-- OpenSlots: slots not done, by due time.
CREATE INDEX slots_open ON slots (due) WHERE done = 0;
