package postgres

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsdigest/newsdigest/store"
)

// One replica leads at a time; a waiting one takes over when the leader
// gives the lease up or its session dies, and the old leader learns that
// it lost the lease.
func TestLead(t *testing.T) {
	ctx := context.Background()
	dsn, schema := newSchema(t)
	a, b := open(t, dsn), open(t, dsn)
	const retry = 100 * time.Millisecond

	leadA, releaseA, err := a.Lead(ctx, "telegram", retry)
	if err != nil {
		t.Fatalf("Lead on a free lease: %v", err)
	}
	wctx, cancel := context.WithTimeout(ctx, 3*retry)
	if _, _, err := b.Lead(wctx, "telegram", retry); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second replica's Lead while the first leads: %v, want it to wait until its context ends", err)
	}
	cancel()

	// A hand-over: the waiting replica leads within a retry of the release.
	type led struct {
		ctx     context.Context
		release func()
		at      time.Time
	}
	wait := func(s *Store) <-chan led {
		ch := make(chan led, 1)
		go func() {
			l, rel, err := s.Lead(ctx, "telegram", retry)
			if err != nil {
				t.Errorf("Lead: %v", err)
				close(ch)
				return
			}
			ch <- led{l, rel, time.Now()}
		}()
		return ch
	}
	waitB := wait(b)
	time.Sleep(2 * retry)
	released := time.Now()
	releaseA()
	releaseA() // twice is harmless
	if leadA.Err() == nil {
		t.Error("the released leader's context did not end")
	}
	var lb led
	select {
	case lb = <-waitB:
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting replica did not take over a released lease")
	}
	if d := lb.at.Sub(released); d > 3*retry {
		t.Errorf("take-over %v after the release, want within about %v", d, retry)
	}

	// The leader's session dies (as when its process is killed, or the
	// server restarts): it learns it lost the lease, and another leads.
	waitA := wait(a)
	admin(t, func(ctx context.Context, conn *pgx.Conn) error {
		_, err := conn.Exec(ctx, `SELECT pg_terminate_backend(l.pid) FROM pg_locks l
			JOIN pg_stat_activity s ON s.pid = l.pid
			WHERE l.locktype = 'advisory' AND l.granted AND s.application_name = $1`, schema)
		return err
	})
	select {
	case <-lb.ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the leader whose session died still thinks it leads")
	}
	lb.release() // after the loss: must not hang
	select {
	case la := <-waitA:
		time.Sleep(3 * retry) // a few checks of the lease
		if la.ctx.Err() != nil {
			t.Error("the new leader's context ended while it held the lease")
		}
		la.release()
	case <-time.After(5 * time.Second):
		t.Fatal("no replica took over from a leader whose session died")
	}

	if _, _, err := a.Lead(ctx, "", retry); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Lead(\"\"): %v, want ErrInvalid", err)
	}
}
