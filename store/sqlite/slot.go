package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

const slotColumns = `id, channel_id, local, due, owner, lease_until, attempts, done, message_ids,
	sent_at, last_error, skipped, retry_at`

// ClaimSlot implements store.SlotStore. One write transaction (BEGIN
// IMMEDIATE, so it holds the database's write lock from the start, against
// other processes too) creates the slot if it is new and then takes it with
// an UPDATE whose WHERE clause is the claim rule: of any number of
// claimers, the first to get the lock takes the slot and the others find
// its lease live.
func (s *Store) ClaimSlot(ctx context.Context, sl *store.Slot, owner string, now time.Time, lease time.Duration) (bool, error) {
	if err := store.ValidateClaim(sl, owner, lease); err != nil {
		return false, fmt.Errorf("sqlite: %w", err)
	}
	var got *store.Slot
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO slots (channel_id, local, due) VALUES (?, ?, ?)
			ON CONFLICT (channel_id, local) DO NOTHING`, sl.ChannelID, sl.Local, sl.Due.UnixMilli())
		if err != nil {
			if errorCode(err) == codeConstraintForeignKey {
				return fmt.Errorf("channel %d: %w", sl.ChannelID, store.ErrNotFound)
			}
			return err
		}
		got, err = scanSlot(tx.QueryRowContext(ctx, `UPDATE slots SET owner = ?, lease_until = ?, attempts = attempts + 1
			WHERE channel_id = ? AND local = ? AND done = 0
				AND (lease_until IS NULL OR lease_until <= ?)
				AND (retry_at IS NULL OR retry_at <= ?)
			RETURNING `+slotColumns,
			owner, now.Add(lease).UnixMilli(), sl.ChannelID, sl.Local, now.UnixMilli(), now.UnixMilli()))
		if errors.Is(err, sql.ErrNoRows) {
			got = nil
			return nil
		}
		return err
	})
	if err != nil {
		return false, fmt.Errorf("sqlite: claim slot %d/%s: %w", sl.ChannelID, sl.Local, err)
	}
	if got == nil {
		return false, nil
	}
	*sl = *got
	return true, nil
}

// CompleteSlot implements store.SlotStore.
func (s *Store) CompleteSlot(ctx context.Context, id int64, owner string, messageIDs []string, sentAt time.Time) error {
	ids, err := jsonList(messageIDs)
	if err != nil {
		return fmt.Errorf("sqlite: complete slot %d: %w", id, err)
	}
	if err := s.finishSlot(ctx, id, owner, `done = 1, lease_until = NULL, message_ids = ?, sent_at = ?`,
		ids, toMillis(sentAt)); err != nil {
		return fmt.Errorf("sqlite: complete slot %d: %w", id, err)
	}
	return nil
}

// RecordSlotMessages implements store.SlotStore.
func (s *Store) RecordSlotMessages(ctx context.Context, id int64, owner string, messageIDs []string) error {
	ids, err := jsonList(messageIDs)
	if err != nil {
		return fmt.Errorf("sqlite: record messages of slot %d: %w", id, err)
	}
	if err := s.finishSlot(ctx, id, owner, `message_ids = ?`, ids); err != nil {
		return fmt.Errorf("sqlite: record messages of slot %d: %w", id, err)
	}
	return nil
}

// SkipSlot implements store.SlotStore.
func (s *Store) SkipSlot(ctx context.Context, id int64, owner string) error {
	if err := s.finishSlot(ctx, id, owner, `done = 1, skipped = 1, lease_until = NULL`); err != nil {
		return fmt.Errorf("sqlite: skip slot %d: %w", id, err)
	}
	return nil
}

// ReleaseSlot implements store.SlotStore.
func (s *Store) ReleaseSlot(ctx context.Context, id int64, owner string, lastError string, retryAt time.Time) error {
	if err := s.finishSlot(ctx, id, owner, `owner = '', lease_until = NULL, last_error = ?, retry_at = ?`,
		lastError, toMillis(retryAt)); err != nil {
		return fmt.Errorf("sqlite: release slot %d: %w", id, err)
	}
	return nil
}

// finishSlot applies set to slot id if owner holds its claim, and tells
// ErrNotFound from ErrNotClaimed when it does not.
func (s *Store) finishSlot(ctx context.Context, id int64, owner, set string, args ...any) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE slots SET `+set+` WHERE id = ? AND owner = ? AND owner != '' AND done = 0`,
			append(args, id, owner)...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		var one int
		err = tx.QueryRowContext(ctx, `SELECT 1 FROM slots WHERE id = ?`, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		return store.ErrNotClaimed
	})
}

// LastSlot implements store.SlotStore.
func (s *Store) LastSlot(ctx context.Context, channelID int64) (*store.Slot, error) {
	sl, err := scanSlot(s.r.QueryRowContext(ctx, `SELECT `+slotColumns+` FROM slots
		WHERE channel_id = ? AND done = 1 ORDER BY due DESC, id DESC LIMIT 1`, channelID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlite: last slot of channel %d: %w", channelID, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: last slot of channel %d: %w", channelID, err)
	}
	return sl, nil
}

// OpenSlots implements store.SlotStore.
func (s *Store) OpenSlots(ctx context.Context, now time.Time) ([]*store.Slot, error) {
	n := now.UnixMilli()
	out, err := queryAll(ctx, s.r, scanSlot, `SELECT `+slotColumns+` FROM slots
		WHERE done = 0 AND (lease_until IS NULL OR lease_until <= ?) AND (retry_at IS NULL OR retry_at <= ?)
		ORDER BY due, id`, n, n)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open slots: %w", err)
	}
	return out, nil
}

func scanSlot(sc scanner) (*store.Slot, error) {
	var sl store.Slot
	var due int64
	var leaseUntil, sentAt, retryAt sql.NullInt64
	var ids string
	err := sc.Scan(&sl.ID, &sl.ChannelID, &sl.Local, &due, &sl.Owner, &leaseUntil, &sl.Attempts, &sl.Done, &ids,
		&sentAt, &sl.LastError, &sl.Skipped, &retryAt)
	if err != nil {
		return nil, err
	}
	if sl.MessageIDs, err = parseList(ids); err != nil {
		return nil, fmt.Errorf("slot %d: message ids: %w", sl.ID, err)
	}
	sl.Due = time.UnixMilli(due).UTC()
	sl.LeaseUntil, sl.SentAt, sl.RetryAt = fromMillis(leaseUntil), fromMillis(sentAt), fromMillis(retryAt)
	return &sl, nil
}
