package store

import (
	"context"
	"time"
)

// Slot is one scheduled delivery: a channel's digest for one local date and
// time. Slots are claimed in the store before anything is sent, so that
// across restarts and replicas each is sent exactly once.
type Slot struct {
	ID         int64
	ChannelID  int64
	Local      string    // the local wall time it stands for, "2026-11-26T08:00" in the channel's zone
	Due        time.Time // the instant it is due
	Owner      string    // who holds the claim (a process id)
	LeaseUntil time.Time // the claim lapses then if the slot is not done
	Attempts   int
	Done       bool
	MessageIDs []string // what the platform gave back
	SentAt     time.Time
	LastError  string
	Skipped    bool // folded into the next digest (too late to send)
}

// SlotStore keeps slots.
type SlotStore interface {
	// ClaimSlot claims (ChannelID, Local) for owner until now+lease: it
	// creates the slot, or takes it over when it is not done and its lease
	// has lapsed. It returns false when the slot is done or another owner
	// holds a live lease. On success s holds the stored slot (ID, Attempts
	// counted up).
	ClaimSlot(ctx context.Context, s *Slot, owner string, now time.Time, lease time.Duration) (bool, error)
	// CompleteSlot marks a claimed slot done with the messages sent; only
	// the owner may, and only once.
	CompleteSlot(ctx context.Context, id int64, owner string, messageIDs []string, sentAt time.Time) error
	// SkipSlot marks a slot done without sending (missed beyond the grace
	// window; its stories fold into the next digest).
	SkipSlot(ctx context.Context, id int64, owner string) error
	// ReleaseSlot gives a claim back after a failure, recording the error,
	// so that another attempt (by anyone) may claim it after retryAt.
	ReleaseSlot(ctx context.Context, id int64, owner string, lastError string, retryAt time.Time) error
	// LastSlot returns the channel's latest done slot, or ErrNotFound.
	LastSlot(ctx context.Context, channelID int64) (*Slot, error)
	// OpenSlots returns slots not done whose lease has lapsed by now: work a
	// crashed owner left behind.
	OpenSlots(ctx context.Context, now time.Time) ([]*Slot, error)
}
