package bot

import (
	"context"
	"errors"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

// recordPatience caps how long the scheduler keeps retrying the record of
// messages the platform has accepted. The slot's lease bounds it too: past
// that the slot may be someone else's.
const recordPatience = time.Minute

// recordSent runs write, the store's record of messages already out, as an
// urgent write, and retries it while the store fails for a reason that
// may pass (the database restarting, a dropped connection). A record lost
// is a digest sent twice, so it is worth waiting for: meanwhile the write
// counts as pending and deliveries hold back new sends. It gives up on an
// answer that will not change (the claim is gone) or after the patience.
func (s *Scheduler) recordSent(write func(context.Context) error) error {
	deadline := time.Now().Add(min(s.Lease, recordPatience))
	wait := 50 * time.Millisecond
	return s.writes.urgent(func() error {
		for {
			ctx, cancel := context.WithDeadline(context.Background(), deadline)
			err := write(ctx)
			cancel()
			if err == nil || permanentStoreError(err) || time.Now().Add(wait).After(deadline) {
				return err
			}
			time.Sleep(wait)
			wait = min(2*wait, 2*time.Second)
		}
	})
}

// permanentStoreError tells the store's answers that retrying cannot change.
func permanentStoreError(err error) bool {
	return errors.Is(err, store.ErrNotClaimed) || errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid)
}
