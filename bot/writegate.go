package bot

import (
	"context"
	"sync"
)

// writeGate orders the scheduler's store writes. Records of messages
// sent (urgent) go first: other writes (claims, bookkeeping) wait while
// any is pending, and only a few run at once, so that under a fan-out the
// time between the platform accepting a message and the store recording it
// is a write or two, not a place at the end of a queue of claims.
type writeGate struct {
	mu      sync.Mutex
	cond    *sync.Cond
	pending int // urgent writes waiting or running
	running int // other writes running
}

// maxOtherWrites is how many non-urgent writes may run at once.
const maxOtherWrites = 1

func (g *writeGate) lock() {
	g.mu.Lock()
	if g.cond == nil {
		g.cond = sync.NewCond(&g.mu)
	}
}

func (g *writeGate) urgent(f func() error) error {
	g.lock()
	g.pending++
	g.mu.Unlock()
	defer func() {
		g.lock()
		g.pending--
		g.cond.Broadcast()
		g.mu.Unlock()
	}()
	return f()
}

// maxUnrecorded is how many records may be waiting before deliveries
// hold back new sends.
const maxUnrecorded = 8

// caughtUp waits until fewer than maxUnrecorded records are pending.
func (g *writeGate) caughtUp(ctx context.Context) error {
	g.lock()
	defer g.mu.Unlock()
	for g.pending >= maxUnrecorded {
		if err := ctx.Err(); err != nil {
			return err
		}
		g.cond.Wait()
	}
	return nil
}

func (g *writeGate) other(f func() error) error {
	g.lock()
	for g.pending > 0 || g.running >= maxOtherWrites {
		g.cond.Wait()
	}
	g.running++
	g.mu.Unlock()
	defer func() {
		g.lock()
		g.running--
		g.cond.Broadcast()
		g.mu.Unlock()
	}()
	return f()
}
