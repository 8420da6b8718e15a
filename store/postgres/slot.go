package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/newsdigest/newsdigest/store"
)

const slotColumns = `id, channel_id, local, due, owner, lease_until, attempts, done, message_ids,
	sent_at, last_error, skipped, retry_at`

// ClaimSlot implements store.SlotStore. Two statements in one pipelined
// batch, which PostgreSQL runs as one transaction: an INSERT ... ON
// CONFLICT DO NOTHING that creates the slot if it is new, and an UPDATE
// whose WHERE clause is the claim rule. Of two replicas claiming at once,
// the second's INSERT waits for the first's transaction and then does
// nothing, and its UPDATE waits for the row lock and then, under READ
// COMMITTED, re-checks the WHERE clause against the committed row, whose
// lease is live: it updates nothing.
func (s *Store) ClaimSlot(ctx context.Context, sl *store.Slot, owner string, now time.Time, lease time.Duration) (bool, error) {
	if err := store.ValidateClaim(sl, owner, lease); err != nil {
		return false, fmt.Errorf("postgres: %w", err)
	}
	now = asStored(now)
	var got *store.Slot
	b := &pgx.Batch{}
	b.Queue(`INSERT INTO slots (channel_id, local, due) VALUES ($1, $2, $3)
		ON CONFLICT (channel_id, local) DO NOTHING`, sl.ChannelID, sl.Local, asStored(sl.Due))
	b.Queue(`UPDATE slots SET owner = $1, lease_until = $2, attempts = attempts + 1
		WHERE channel_id = $3 AND local = $4 AND NOT done
			AND (lease_until IS NULL OR lease_until <= $5)
			AND (retry_at IS NULL OR retry_at <= $5)
		RETURNING `+slotColumns,
		owner, asStored(now.Add(lease)), sl.ChannelID, sl.Local, now).QueryRow(func(row pgx.Row) error {
		var err error
		got, err = scanSlot(row)
		if errors.Is(err, pgx.ErrNoRows) {
			got = nil
			return nil
		}
		return err
	})
	err := s.checkConn(s.pool.SendBatch(ctx, b).Close())
	if errorCode(err) == codeForeignKeyViolation {
		return false, fmt.Errorf("postgres: claim slot %d/%s: channel %d: %w", sl.ChannelID, sl.Local, sl.ChannelID, store.ErrNotFound)
	}
	if err != nil {
		return false, fmt.Errorf("postgres: claim slot %d/%s: %w", sl.ChannelID, sl.Local, badText(err))
	}
	if got == nil {
		return false, nil
	}
	*sl = *got
	return true, nil
}

// CompleteSlot implements store.SlotStore.
func (s *Store) CompleteSlot(ctx context.Context, id int64, owner string, messageIDs []string, sentAt time.Time) error {
	if err := s.finishSlot(ctx, id, owner, `done = true, lease_until = NULL, message_ids = $3, sent_at = $4`,
		list(messageIDs), tsArg(sentAt)); err != nil {
		return fmt.Errorf("postgres: complete slot %d: %w", id, err)
	}
	return nil
}

// RecordSlotMessages implements store.SlotStore.
func (s *Store) RecordSlotMessages(ctx context.Context, id int64, owner string, messageIDs []string) error {
	if err := s.finishSlot(ctx, id, owner, `message_ids = $3`, list(messageIDs)); err != nil {
		return fmt.Errorf("postgres: record messages of slot %d: %w", id, err)
	}
	return nil
}

// SkipSlot implements store.SlotStore.
func (s *Store) SkipSlot(ctx context.Context, id int64, owner string) error {
	if err := s.finishSlot(ctx, id, owner, `done = true, skipped = true, lease_until = NULL`); err != nil {
		return fmt.Errorf("postgres: skip slot %d: %w", id, err)
	}
	return nil
}

// ReleaseSlot implements store.SlotStore.
func (s *Store) ReleaseSlot(ctx context.Context, id int64, owner string, lastError string, retryAt time.Time) error {
	if err := s.finishSlot(ctx, id, owner, `owner = '', lease_until = NULL, last_error = $3, retry_at = $4`,
		lastError, tsArg(retryAt)); err != nil {
		return fmt.Errorf("postgres: release slot %d: %w", id, err)
	}
	return nil
}

// finishSlot applies set (whose parameters start at $3) to slot id if
// owner holds its claim, and tells ErrNotFound from ErrNotClaimed when it
// does not, in one statement.
func (s *Store) finishSlot(ctx context.Context, id int64, owner, set string, args ...any) error {
	var updated, exists bool
	err := s.pool.QueryRow(ctx, `WITH u AS (
			UPDATE slots SET `+set+` WHERE id = $1 AND owner = $2 AND owner <> '' AND NOT done RETURNING id
		)
		SELECT EXISTS (SELECT 1 FROM u), EXISTS (SELECT 1 FROM slots WHERE id = $1)`,
		append([]any{id, owner}, args...)...).Scan(&updated, &exists)
	switch {
	case err != nil:
		return badText(s.checkConn(err))
	case updated:
		return nil
	case !exists:
		return store.ErrNotFound
	}
	return store.ErrNotClaimed
}

// LastSlot implements store.SlotStore.
func (s *Store) LastSlot(ctx context.Context, channelID int64) (*store.Slot, error) {
	var sl *store.Slot
	err := s.read(ctx, func(q querier) (err error) {
		sl, err = scanSlot(q.QueryRow(ctx, `SELECT `+slotColumns+` FROM slots
			WHERE channel_id = $1 AND done ORDER BY due DESC, id DESC LIMIT 1`, channelID))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("postgres: last slot of channel %d: %w", channelID, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: last slot of channel %d: %w", channelID, err)
	}
	return sl, nil
}

// OpenSlots implements store.SlotStore.
func (s *Store) OpenSlots(ctx context.Context, now time.Time) ([]*store.Slot, error) {
	var out []*store.Slot
	err := s.read(ctx, func(q querier) (err error) {
		out, err = queryAll(ctx, q, scanSlot, `SELECT `+slotColumns+` FROM slots
			WHERE NOT done AND (lease_until IS NULL OR lease_until <= $1) AND (retry_at IS NULL OR retry_at <= $1)
			ORDER BY due, id`, asStored(now))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: open slots: %w", err)
	}
	return out, nil
}

func scanSlot(row pgx.Row) (*store.Slot, error) {
	var sl store.Slot
	var due time.Time
	var leaseUntil, sentAt, retryAt pgtype.Timestamptz
	err := row.Scan(&sl.ID, &sl.ChannelID, &sl.Local, &due, &sl.Owner, &leaseUntil, &sl.Attempts, &sl.Done, &sl.MessageIDs,
		&sentAt, &sl.LastError, &sl.Skipped, &retryAt)
	if err != nil {
		return nil, err
	}
	sl.MessageIDs = fromList(sl.MessageIDs)
	sl.Due = due.UTC()
	sl.LeaseUntil, sl.SentAt, sl.RetryAt = fromTS(leaseUntil), fromTS(sentAt), fromTS(retryAt)
	return &sl, nil
}
