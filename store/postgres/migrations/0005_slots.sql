-- 0005: scheduled deliveries, claimed before they are sent so that each is
-- sent once across restarts and replicas (see ClaimSlot in slot.go).

CREATE TABLE slots (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel_id  bigint      NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    local       text        NOT NULL, -- "2026-11-26T08:00" in the channel's zone
    due         timestamptz NOT NULL,
    owner       text        NOT NULL DEFAULT '',
    lease_until timestamptz,          -- NULL: no lease
    attempts    integer     NOT NULL DEFAULT 0,
    done        boolean     NOT NULL DEFAULT false,
    message_ids text[]      NOT NULL DEFAULT '{}',
    sent_at     timestamptz,
    last_error  text        NOT NULL DEFAULT '',
    skipped     boolean     NOT NULL DEFAULT false,
    retry_at    timestamptz,          -- NULL: claimable at once
    UNIQUE (channel_id, local)
);

-- LastSlot: a channel's done slots by due time.
CREATE INDEX slots_done ON slots (channel_id, due) WHERE done;
-- OpenSlots: slots not done, by due time.
CREATE INDEX slots_open ON slots (due) WHERE NOT done;
