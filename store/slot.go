package store

import (
	"context"
	"fmt"
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
	LastError  string    // the last failure ReleaseSlot recorded
	Skipped    bool      // folded into the next digest (too late to send)
	RetryAt    time.Time // not claimed again before this time; zero: any time
}

// SlotStore keeps slots. A slot belongs to its channel: MoveChannel keeps
// it, DeleteChannel deletes it. Times read back in UTC, to the millisecond.
type SlotStore interface {
	// ClaimSlot claims (ChannelID, Local) for owner until now+lease: it
	// creates the slot (with s.Due), or takes it over when it is not done,
	// its lease has lapsed (LeaseUntil at or before now, or none) and its
	// retry time (see ReleaseSlot) has come. It returns false when the slot
	// is done, waits for its retry time or is held under a live lease by
	// anyone, owner included (a claim is not re-entrant, so two goroutines
	// of one process cannot both send it). The claim is atomic: of any
	// number of callers, in any number of processes sharing the store, at
	// most one gets true for a slot until its lease lapses. On success s
	// holds the stored slot (ID, Due as first stored, Owner, LeaseUntil,
	// Attempts counted up); on false s is left as it was. An unknown channel
	// gives ErrNotFound; what ValidateClaim refuses (an empty Local or
	// owner, a zero Due, a lease <= 0) gives ErrInvalid.
	ClaimSlot(ctx context.Context, s *Slot, owner string, now time.Time, lease time.Duration) (bool, error)
	// CompleteSlot marks a claimed slot done with the messages sent; only
	// the owner may, and only once (after its lease lapsed too, as long as
	// no one else claimed the slot). Otherwise it gives ErrNotClaimed, or
	// ErrNotFound for an unknown slot.
	CompleteSlot(ctx context.Context, id int64, owner string, messageIDs []string, sentAt time.Time) error
	// RecordSlotMessages records the messages sent so far for a claimed
	// slot that is not done yet, replacing those recorded before, so that
	// a takeover after a crash (ClaimSlot returns them in MessageIDs)
	// knows what is out already. Only the owner may, as for CompleteSlot;
	// errors as for CompleteSlot.
	RecordSlotMessages(ctx context.Context, id int64, owner string, messageIDs []string) error
	// SkipSlot marks a slot done without sending (missed beyond the grace
	// window; its stories fold into the next digest): Done and Skipped set.
	// Errors as for CompleteSlot.
	SkipSlot(ctx context.Context, id int64, owner string) error
	// ReleaseSlot gives a claim back after a failure, recording the error,
	// so that another attempt (by anyone) may claim it at or after retryAt
	// (a zero retryAt: at once). The slot is left without owner or lease.
	// Errors as for CompleteSlot.
	ReleaseSlot(ctx context.Context, id int64, owner string, lastError string, retryAt time.Time) error
	// LastSlot returns the channel's done slot (sent or skipped) that was
	// due last, or ErrNotFound.
	LastSlot(ctx context.Context, channelID int64) (*Slot, error)
	// OpenSlots returns slots not done whose lease has lapsed by now and
	// whose retry time has come, oldest due first: work a crashed owner left
	// behind, each one ClaimSlot would give at now.
	OpenSlots(ctx context.Context, now time.Time) ([]*Slot, error)
}

// MaxSlotLocal is the longest Slot.Local the store accepts, in bytes.
const MaxSlotLocal = 64

// ValidateClaim reports, with an error wrapping ErrInvalid, why a claim of
// s by owner for lease cannot be made.
func ValidateClaim(s *Slot, owner string, lease time.Duration) error {
	switch {
	case s == nil:
		return fmt.Errorf("store: claim slot: nil: %w", ErrInvalid)
	case s.Local == "" || len(s.Local) > MaxSlotLocal:
		return fmt.Errorf("store: claim slot: local time %q: want 1 to %d bytes: %w", s.Local, MaxSlotLocal, ErrInvalid)
	case s.Due.IsZero():
		return fmt.Errorf("store: claim slot %s: no due time: %w", s.Local, ErrInvalid)
	case owner == "":
		return fmt.Errorf("store: claim slot %s: empty owner: %w", s.Local, ErrInvalid)
	case lease <= 0:
		return fmt.Errorf("store: claim slot %s: lease %v: %w", s.Local, lease, ErrInvalid)
	}
	return nil
}
