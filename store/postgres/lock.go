package postgres

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsdigest/newsdigest/store"
)

// TryLock takes the named lease for this process if no other session
// holds it: a PostgreSQL session advisory lock (pg_try_advisory_lock,
// keyed by the schema and name), held on a connection of its own, outside
// the pool, for as long as the caller leads. It does not wait: ok is false
// when another replica holds the lease.
//
// release gives the lease up and closes the connection; it is safe to call
// more than once. If the connection breaks (the server restarts, the
// network fails), the server drops the lock and another replica may take
// it; Lead waits for a lease and watches its connection, for a leader
// that must know. (Re-taking a lock one holds is not possible on another
// connection, so a second TryLock of the same name from this process
// returns false while the first is held.)
func (s *Store) TryLock(ctx context.Context, name string) (release func(), ok bool, err error) {
	if name == "" {
		return nil, false, fmt.Errorf("postgres: try lock: empty name: %w", store.ErrInvalid)
	}
	conn, key, ok, err := s.tryLock(ctx, name)
	if err != nil || !ok {
		return nil, false, err
	}
	var once sync.Once
	release = func() { once.Do(func() { unlock(conn, key) }) }
	return release, true, nil
}

// tryLock takes the named lease on a connection of its own, outside the
// pool, and returns the connection and the lock's key; when another session
// holds the lease it closes the connection and returns false.
func (s *Store) tryLock(ctx context.Context, name string) (conn *pgx.Conn, key int64, ok bool, err error) {
	conn, err = pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, 0, false, fmt.Errorf("postgres: try lock %s: %w", name, err)
	}
	key = lockKey(s.schema, "lease\x00"+name)
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&ok); err != nil || !ok {
		conn.Close(context.WithoutCancel(ctx))
		if err != nil {
			return nil, 0, false, fmt.Errorf("postgres: try lock %s: %w", name, err)
		}
		return nil, 0, false, nil
	}
	return conn, key, true, nil
}

// unlock gives up the lease key held on conn and closes it.
func unlock(conn *pgx.Conn, key int64) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// Closing the session releases the lock too; unlocking first makes it
	// free at once even if the close is slow.
	conn.Exec(ctx, `SELECT pg_advisory_unlock($1)`, key)
	conn.Close(ctx)
}
