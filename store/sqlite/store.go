// Package sqlite is the embedded store.Store backend, on modernc.org/sqlite
// (pure Go, no cgo).
//
// The database runs in WAL mode with synchronous=NORMAL, foreign keys on, a
// 5 s busy timeout and 8 KiB pages. A Store holds two connection pools on
// the file: one connection that does every write (so writers in this
// process queue in Go instead of failing with SQLITE_BUSY, and every write
// transaction starts with BEGIN IMMEDIATE), and a pool of read-only
// connections that run queries concurrently with the writer.
//
// The schema is in migrations/, applied in order at Open. Articles are
// stored in time order under a sort key (see sortkey.go), which is also the
// rowid of the FTS5 full-text index: a time window is a range of the table,
// and a search reads its matches newest first and stops at the limit. The
// write path indexes text itself, once per transaction (see batch).
//
// Times are stored as INTEGER milliseconds since the Unix epoch in UTC, NULL
// for the zero time; they read back as UTC time.Time values truncated to the
// millisecond. Durations are INTEGER milliseconds.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"time"

	sqlitedriver "modernc.org/sqlite"

	"github.com/newsdigest/newsdigest/store"
)

// pageSize is the page size of new databases. Articles are a few KB each;
// pages that hold a whole article keep it out of overflow pages, which
// makes reading a day's articles faster.
const pageSize = 8192

// busyTimeout is how long a connection waits for a lock held by another
// process before giving up with SQLITE_BUSY.
const busyTimeout = 5 * time.Second

// Store is a store.Store on one SQLite database file.
type Store struct {
	path string
	w    *sql.DB // exactly one connection; every write goes through it
	r    *sql.DB // read-only connections

	// Statements of the write path, prepared once on the write connection.
	byURL, byHash, maxKey, insert, update, ftsUnindex, ftsIndex, setOutlet *sql.Stmt
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the database at path and brings its
// schema up to date. The path ":memory:" gives a private in-memory database
// (one connection, for tests and tools). A database whose schema is newer
// than this program knows gives an error wrapping ErrSchemaTooNew.
func Open(path string) (*Store, error) {
	if path == "" {
		return nil, fmt.Errorf("sqlite: open: empty path: %w", store.ErrInvalid)
	}
	s := &Store{path: path}
	memory := path == ":memory:"

	var err error
	if s.w, err = sql.Open("sqlite", dsn(path, false, memory)); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s.w.SetMaxOpenConns(1)
	s.w.SetMaxIdleConns(1)
	s.w.SetConnMaxLifetime(0)
	s.w.SetConnMaxIdleTime(0)

	ctx := context.Background()
	if err := s.w.PingContext(ctx); err != nil {
		s.w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if !memory {
		// The page size only takes for a new database, and must be set
		// before WAL mode, which is then kept in the file.
		if _, err := s.w.ExecContext(ctx, fmt.Sprintf("PRAGMA page_size = %d", pageSize)); err != nil {
			s.w.Close()
			return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
		}
		var mode string
		if err := s.w.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
			s.w.Close()
			return nil, fmt.Errorf("sqlite: open %s: set WAL mode: %w", path, err)
		}
		if !strings.EqualFold(mode, "wal") {
			s.w.Close()
			return nil, fmt.Errorf("sqlite: open %s: journal mode is %q, not WAL", path, mode)
		}
	}
	if err := migrate(ctx, s.w); err != nil {
		s.w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}

	if memory {
		s.r = s.w // an in-memory database lives in its one connection
	} else {
		if s.r, err = sql.Open("sqlite", dsn(path, true, false)); err != nil {
			s.w.Close()
			return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
		}
		n := max(4, runtime.GOMAXPROCS(0))
		s.r.SetMaxOpenConns(n)
		s.r.SetMaxIdleConns(n)
	}

	if err := s.prepare(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return s, nil
}

// dsn builds the driver's data source name for path. The write connection
// begins transactions IMMEDIATE, so that one that reads before it writes
// never fails to upgrade its lock when another process writes; read
// connections are query_only. (WAL mode is set once, by Open, and kept in
// the file.)
func dsn(path string, readOnly, memory bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "temp_store(MEMORY)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
		q.Add("_pragma", "cache_size(-32000)") // 32 MB of page cache per reader
		// Reading pages through a memory map skips a copy per page: a day's
		// window of articles reads about 15% faster. It maps address space
		// only; what is read comes from the OS page cache either way.
		q.Add("_pragma", "mmap_size(1073741824)")
	} else {
		q.Add("_pragma", "cache_size(-64000)")
		q.Set("_txlock", "immediate")
	}
	if memory {
		return ":memory:?" + q.Encode()
	}
	// A "file:" URI, so that the path may hold "?" or "#"; those and "%"
	// must then be escaped.
	p := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + p + "?" + q.Encode()
}

// Close closes the database. It runs PRAGMA optimize first, as SQLite
// recommends for long-lived connections.
func (s *Store) Close() error {
	for _, st := range []*sql.Stmt{s.byURL, s.byHash, s.maxKey, s.insert, s.update, s.ftsUnindex, s.ftsIndex, s.setOutlet} {
		if st != nil {
			st.Close()
		}
	}
	var errs []error
	if s.r != nil && s.r != s.w {
		errs = append(errs, s.r.Close())
	}
	if s.w != nil {
		_, err := s.w.Exec("PRAGMA optimize")
		errs = append(errs, err, s.w.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sqlite: close %s: %w", s.path, err)
	}
	return nil
}

// SQLite extended result codes the store turns into store errors.
const (
	codeConstraintForeignKey = 787
	codeConstraintUnique     = 2067
	codeConstraintPrimaryKey = 1555
)

// errorCode returns the SQLite result code of err, or 0.
func errorCode(err error) int {
	var se *sqlitedriver.Error
	if errors.As(err, &se) {
		return se.Code()
	}
	return 0
}

// Time conversions: the zero time is NULL, anything else milliseconds UTC.

func toMillis(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

func fromMillis(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

// asStored returns t as it reads back from the database: UTC, truncated to
// the millisecond.
func asStored(t time.Time) time.Time {
	return time.UnixMilli(t.UnixMilli()).UTC()
}

// nowMillis is the current time as the store keeps it.
func nowMillis() time.Time { return asStored(time.Now()) }
