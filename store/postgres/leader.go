package postgres

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsdigest/newsdigest/store"
)

// DefaultLeadRetry is how often Lead tries to take a lease another replica
// holds, and how often the leader checks that it still holds it: a dead
// leader is replaced within about this long after its session ends.
const DefaultLeadRetry = time.Second

// Lead waits until this process holds the named lease (see TryLock),
// trying every retry (DefaultLeadRetry when 0), and returns a context that
// ends when the lease is lost (its connection fails the check made every
// retry: the server restarted, the network broke) or when ctx ends. One
// replica leads at a time; when the leader's process dies, its session
// ends, the server frees the lock, and a waiting replica takes it at its
// next try.
//
// release gives the lease up; call it when done leading, also after the
// lease was lost. It is safe to call more than once. Lead returns an
// error only when ctx ends first; failures to reach the server while
// waiting are retried.
func (s *Store) Lead(ctx context.Context, name string, retry time.Duration) (lead context.Context, release func(), err error) {
	if name == "" {
		return nil, nil, fmt.Errorf("postgres: lead: empty name: %w", store.ErrInvalid)
	}
	if retry <= 0 {
		retry = DefaultLeadRetry
	}
	for {
		// An error (the server is away) is retried like a held lease.
		if conn, key, ok, _ := s.tryLock(ctx, name); ok {
			return s.hold(ctx, conn, key, retry)
		}
		t := time.NewTimer(retry)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, nil, fmt.Errorf("postgres: lead %s: %w", name, ctx.Err())
		case <-t.C:
		}
	}
}

// hold watches a held lease: lead ends when the lock's connection stops
// answering, or ctx ends; release unlocks and closes the connection.
func (s *Store) hold(ctx context.Context, conn *pgx.Conn, key int64, retry time.Duration) (context.Context, func(), error) {
	lead, lost := context.WithCancel(ctx)
	var mu sync.Mutex // the connection is not safe for concurrent use
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(retry)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-lead.Done():
				return
			case <-t.C:
			}
			mu.Lock()
			pctx, cancel := context.WithTimeout(context.Background(), max(retry, time.Second))
			err := conn.Ping(pctx)
			cancel()
			mu.Unlock()
			if err != nil {
				lost()
				return
			}
		}
	}()
	var once sync.Once
	release := func() {
		once.Do(func() {
			close(done)
			<-stopped
			lost()
			mu.Lock()
			defer mu.Unlock()
			unlock(conn, key)
		})
	}
	return lead, release, nil
}
