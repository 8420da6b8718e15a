// Package postgres is the store.Store backend for several replicas sharing
// one PostgreSQL database, on github.com/jackc/pgx/v5 (pgxpool, native API).
//
// Open takes a PostgreSQL URL or keyword/value DSN. Pool settings come from
// the DSN's pool_max_conns, pool_min_conns, pool_max_conn_lifetime,
// pool_max_conn_idle_time, pool_health_check_period and pool_ping_timeout
// parameters, else pgxpool's defaults (max(4, CPUs) connections, an hour's
// lifetime, 30 minutes idle); connect_timeout defaults to 10 s. The tables
// live in the connection's search_path, which the DSN may set
// (search_path=newsdigest), so that several deployments (or tests) share a
// database in separate schemas.
//
// The schema is in migrations/, applied in order at Open under an advisory
// lock, so that replicas starting at once neither race nor apply a
// migration twice (see migrate.go).
//
// Article writes take a transaction-scoped advisory lock: deduplication by
// URL and by content hash then sees every committed article, across
// replicas, exactly as SQLite's single writer does; reads never wait for
// it. Slots are claimed with INSERT ... ON CONFLICT DO NOTHING and an
// UPDATE whose WHERE clause is the claim rule, which row locks make atomic
// across replicas (see slot.go); sources, for polling, with SELECT ... FOR
// UPDATE SKIP LOCKED (source.go). Leases that one replica holds at a time
// (TryLock, Lead: the Telegram long-polling leader) are session advisory
// locks on connections of their own, freed by the server when the holder's
// session ends (lock.go, leader.go).
//
// Times are timestamptz, written truncated to the millisecond and read back
// in UTC, NULL for the zero time. The server must take text in UTF-8 and
// refuses NUL bytes, which Article.Normalize removes from articles; other
// text holding them gives store.ErrInvalid.
//
// When the server restarts, every pooled connection dies. The first call
// that finds a dead connection resets the pool; idempotent reads then retry
// once on a fresh connection, so they do not fail at all, and a write fails
// once and the next call succeeds.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/newsdigest/newsdigest/store"
)

// defaultConnectTimeout bounds a connection attempt when the DSN does not.
const defaultConnectTimeout = 10 * time.Second

// Store is a store.Store on a PostgreSQL database.
type Store struct {
	pool   *pgxpool.Pool
	schema string // current_schema() of the pool's connections
	// articleLock is the advisory lock key every article write takes.
	articleLock int64
}

var _ store.Store = (*Store)(nil)

// Open connects to the database dsn names, checks that it answers, and
// brings the schema up to date. A schema newer than this program knows
// gives an error wrapping ErrSchemaTooNew.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// The parse error quotes the DSN, and may not manage to hide the
		// password in a malformed one: give only its cause.
		detail := "malformed"
		var pe *pgconn.ParseConfigError
		var ue *url.Error // quotes the URL
		switch {
		case errors.As(err, &ue):
			detail = ue.Err.Error()
		case errors.As(err, &pe) && pe.Unwrap() != nil:
			detail = pe.Unwrap().Error()
		}
		return nil, fmt.Errorf("postgres: open: cannot parse the DSN (%s): %w", detail, store.ErrInvalid)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = defaultConnectTimeout
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	s := &Store{pool: pool}
	if err := pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&s.schema); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open %s: %w", where(cfg), err)
	}
	if s.schema == "" {
		pool.Close()
		return nil, fmt.Errorf("postgres: open %s: no schema in the search_path exists: %w", where(cfg), store.ErrInvalid)
	}
	s.articleLock = lockKey(s.schema, "articles")
	if err := migrate(ctx, pool, s.schema); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open %s: %w", where(cfg), err)
	}
	return s, nil
}

// where names the database of cfg for errors, without the password.
func where(cfg *pgxpool.Config) string {
	c := cfg.ConnConfig
	return fmt.Sprintf("%s@%s:%d/%s", c.User, c.Host, c.Port, c.Database)
}

// Close closes the pool, waiting for connections in use to be returned.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Schema is the schema the store's tables are in.
func (s *Store) Schema() string { return s.schema }

// lockKey is the advisory lock key of name in schema: advisory locks are
// per database, so the key names the schema too.
func lockKey(schema, name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("newsdigest\x00" + schema + "\x00" + name))
	return int64(h.Sum64())
}

// querier is what a pool, a connection and a transaction share.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// PostgreSQL error codes the store turns into store errors.
const (
	codeUniqueViolation     = "23505"
	codeForeignKeyViolation = "23503"
	codeBadEncoding         = "22021" // character_not_in_repertoire: NUL or invalid UTF-8
	codeUntranslatable      = "22P05"
)

// errorCode returns the SQLSTATE of err, or "".
func errorCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// badText turns the server's refusal of a NUL byte or invalid UTF-8 into
// ErrInvalid; other errors pass unchanged.
func badText(err error) error {
	if c := errorCode(err); c == codeBadEncoding || c == codeUntranslatable {
		return fmt.Errorf("text the database cannot hold (a NUL byte or invalid UTF-8): %w", store.ErrInvalid)
	}
	return err
}

// connLost reports whether err means the connection is gone: the server
// shut down or was restarted (class 57P, "operator intervention", and class
// 08, "connection exception"), or the network connection broke.
func connLost(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "57P") || strings.HasPrefix(pe.Code, "08")
	}
	var ne net.Error
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.As(err, &ne) || pgconn.SafeToRetry(err) || strings.Contains(err.Error(), "conn closed")
}

// checkConn resets the pool when err says a connection was lost: after a
// server restart every pooled connection is dead, and the next call should
// get a fresh one instead of failing on each dead one in turn. It returns
// err.
func (s *Store) checkConn(err error) error {
	if connLost(err) {
		s.pool.Reset()
	}
	return err
}

// read runs an idempotent read, retrying it once on a fresh connection if
// the first attempt found its connection lost.
func (s *Store) read(ctx context.Context, f func(q querier) error) error {
	err := s.checkConn(f(s.pool))
	if err != nil && connLost(err) && ctx.Err() == nil {
		err = s.checkConn(f(s.pool))
	}
	return err
}

// write runs f in a transaction, committing if it returns nil. A lost
// connection resets the pool, so that the next call succeeds.
func (s *Store) write(ctx context.Context, f func(tx pgx.Tx) error) error {
	err := pgx.BeginFunc(ctx, s.pool, f)
	return s.checkConn(err)
}

// Time conversions: the zero time is NULL; anything else is written
// truncated to the millisecond and read back in UTC.

func asStored(t time.Time) time.Time { return time.UnixMilli(t.UnixMilli()).UTC() }

func nowMillis() time.Time { return asStored(time.Now()) }

func tsArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return asStored(t)
}

func fromTS(t pgtype.Timestamptz) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

// list is ss as a text[] argument: never NULL, so that the column's NOT
// NULL holds for an empty list.
func list(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// fromList is a text[] as read: an empty array is nil.
func fromList(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	return ss
}

// queryLimit applies store.DefaultLimit and store.MaxLimit.
func queryLimit(n int) (int, error) {
	switch {
	case n < 0:
		return 0, fmt.Errorf("negative limit %d: %w", n, store.ErrInvalid)
	case n == 0:
		return store.DefaultLimit, nil
	case n > store.MaxLimit:
		return store.MaxLimit, nil
	}
	return n, nil
}

// oneRow turns an UPDATE or DELETE that matched nothing into ErrNotFound.
func oneRow(tag pgconn.CommandTag) error {
	if tag.RowsAffected() == 0 {
		return store.ErrNotFound
	}
	return nil
}
