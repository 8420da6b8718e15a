package postgres

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsdigest/newsdigest/store"
)

func TestTryLock(t *testing.T) {
	ctx := context.Background()
	dsn, _ := newSchema(t)
	a, b := open(t, dsn), open(t, dsn)
	elsewhere := openTemp(t) // another deployment: another schema

	try := func(s *Store, name string, want bool) func() {
		t.Helper()
		release, ok, err := s.TryLock(ctx, name)
		if err != nil {
			t.Fatalf("TryLock(%q): %v", name, err)
		}
		if ok != want {
			t.Fatalf("TryLock(%q) = %v, want %v", name, ok, want)
		}
		if ok != (release != nil) {
			t.Fatalf("TryLock(%q) = ok %v with release %v", name, ok, release != nil)
		}
		return release
	}
	releaseA := try(a, "scheduler", true)
	try(b, "scheduler", false)
	try(a, "scheduler", false) // not re-entrant: the lock is the other connection's
	releaseOther := try(b, "janitor", true)
	releaseElsewhere := try(elsewhere, "scheduler", true)
	releaseA()
	releaseA() // twice is harmless
	releaseB := try(b, "scheduler", true)
	try(a, "scheduler", false)
	releaseB()
	releaseOther()
	releaseElsewhere()

	if _, _, err := a.TryLock(ctx, ""); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("TryLock(\"\"): %v, want ErrInvalid", err)
	}
	// The lock lives on its own connection, not on one of the pool's.
	release := try(a, "scheduler", true)
	defer release()
	if n := a.pool.Stat().AcquiredConns(); n != 0 {
		t.Errorf("%d pool connections held while leading, want 0", n)
	}
}

// A leader whose connection dies loses the lease: the server frees the lock
// and another replica takes it.
func TestTryLockLostWithConnection(t *testing.T) {
	ctx := context.Background()
	dsn, schema := newSchema(t)
	a, b := open(t, dsn), open(t, dsn)
	release, ok, err := a.TryLock(ctx, "scheduler")
	if err != nil || !ok {
		t.Fatalf("TryLock = %v, %v", ok, err)
	}
	defer release()
	if _, ok, _ := b.TryLock(ctx, "scheduler"); ok {
		t.Fatal("second replica took a held lease")
	}
	admin(t, func(ctx context.Context, conn *pgx.Conn) error {
		_, err := conn.Exec(ctx, `SELECT pg_terminate_backend(l.pid) FROM pg_locks l
			JOIN pg_stat_activity s ON s.pid = l.pid
			WHERE l.locktype = 'advisory' AND l.granted AND s.application_name = $1`, schema)
		return err
	})
	deadline := time.Now().Add(5 * time.Second)
	for {
		rel, ok, err := b.TryLock(ctx, "scheduler")
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			rel()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the lease was not freed when its connection died")
		}
		time.Sleep(20 * time.Millisecond)
	}
	release() // on a dead connection: must not hang or panic
}
