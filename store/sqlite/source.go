package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

const sourceColumns = `id, name, url, full_text, interval_ms, created,
	etag, last_modified, last_fetch, last_success, last_error, last_error_at, failures, next_poll, body_hash`

// checkSource validates the fields AddSource and UpdateSource write, and
// fills in the default full-text mode.
func checkSource(s *store.Source) error {
	if s.FullText == "" {
		s.FullText = store.FullTextAuto
	}
	if !s.FullText.Valid() {
		return fmt.Errorf("full-text mode %q: %w", s.FullText, store.ErrInvalid)
	}
	if s.Interval < 0 {
		return fmt.Errorf("negative interval %v: %w", s.Interval, store.ErrInvalid)
	}
	return nil
}

// checkFeedURL accepts an absolute http or https URL with a host.
func checkFeedURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("url: %v: %w", err, store.ErrInvalid)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.TrimSpace(raw) != raw {
		return fmt.Errorf("url %q: want an absolute http or https URL: %w", raw, store.ErrInvalid)
	}
	return nil
}

// AddSource implements store.SourceStore. The URL is stored as given; it
// must be an absolute http or https URL. An empty FullText becomes
// store.FullTextAuto.
func (s *Store) AddSource(ctx context.Context, src *store.Source) error {
	if err := checkFeedURL(src.URL); err != nil {
		return fmt.Errorf("sqlite: add source: %w", err)
	}
	c := *src
	if err := checkSource(&c); err != nil {
		return fmt.Errorf("sqlite: add source %s: %w", src.URL, err)
	}
	c.Created = nowMillis()
	st := c.State
	res, err := s.w.ExecContext(ctx, `INSERT INTO sources (name, url, full_text, interval_ms, created,
		etag, last_modified, last_fetch, last_success, last_error, last_error_at, failures, next_poll, body_hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Name, c.URL, string(c.FullText), c.Interval.Milliseconds(), c.Created.UnixMilli(),
		st.ETag, st.LastModified, toMillis(st.LastFetch), toMillis(st.LastSuccess), st.LastError,
		toMillis(st.LastErrorAt), st.Failures, toMillis(st.NextPoll), st.BodyHash)
	if err != nil {
		if code := errorCode(err); code == codeConstraintUnique || code == codeConstraintPrimaryKey {
			return fmt.Errorf("sqlite: add source %s: %w", src.URL, store.ErrExists)
		}
		return fmt.Errorf("sqlite: add source %s: %w", src.URL, err)
	}
	if c.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("sqlite: add source %s: %w", src.URL, err)
	}
	*src = c
	return nil
}

// Source implements store.SourceStore.
func (s *Store) Source(ctx context.Context, id int64) (*store.Source, error) {
	src, err := scanSource(s.r.QueryRowContext(ctx, `SELECT `+sourceColumns+` FROM sources WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlite: source %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: source %d: %w", id, err)
	}
	return src, nil
}

// SourceByURL implements store.SourceStore. The URL must match the stored
// one exactly.
func (s *Store) SourceByURL(ctx context.Context, u string) (*store.Source, error) {
	src, err := scanSource(s.r.QueryRowContext(ctx, `SELECT `+sourceColumns+` FROM sources WHERE url = ?`, u))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlite: source by url %s: %w", u, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: source by url %s: %w", u, err)
	}
	return src, nil
}

// Sources implements store.SourceStore.
func (s *Store) Sources(ctx context.Context) ([]*store.Source, error) {
	srcs, err := queryAll(ctx, s.r, scanSource, `SELECT `+sourceColumns+` FROM sources ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: sources: %w", err)
	}
	return srcs, nil
}

// DueSources implements store.SourceStore. Sources never polled (zero
// NextPoll) come first; limit <= 0 means no limit.
func (s *Store) DueSources(ctx context.Context, now time.Time, limit int) ([]*store.Source, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	n := now.UnixMilli()
	srcs, err := queryAll(ctx, s.r, scanSource, `SELECT `+sourceColumns+` FROM sources
		WHERE `+sqlDue+`
		ORDER BY next_poll, id LIMIT ?`, n, n, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: due sources: %w", err)
	}
	return srcs, nil
}

// sqlDue is the condition of a due source, DueSources's and ClaimSource's:
// its next poll has come (the first ?) and no claim on it is live (the
// second ?, the same time).
const sqlDue = `(next_poll IS NULL OR next_poll <= ?) AND (claim_until IS NULL OR claim_until <= ?)`

// ClaimSource implements store.SourceStore: one UPDATE whose WHERE clause
// is the claim rule, in a write transaction, which holds the database's
// write lock (against other processes too), so that of any number of
// claimers the first takes the source and the others find it claimed.
func (s *Store) ClaimSource(ctx context.Context, src *store.Source, owner string, now time.Time, lease time.Duration) (bool, error) {
	if err := store.ValidateSourceClaim(src, owner, lease); err != nil {
		return false, fmt.Errorf("sqlite: %w", err)
	}
	n := now.UnixMilli()
	var got *store.Source
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		got, err = scanSource(tx.QueryRowContext(ctx, `UPDATE sources SET claim_owner = ?, claim_until = ?
			WHERE id = ? AND `+sqlDue+` RETURNING `+sourceColumns,
			owner, now.Add(lease).UnixMilli(), src.ID, n, n))
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		got = nil
		var one int
		err = tx.QueryRowContext(ctx, `SELECT 1 FROM sources WHERE id = ?`, src.ID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		return err
	})
	if err != nil {
		return false, fmt.Errorf("sqlite: claim source %d: %w", src.ID, err)
	}
	if got == nil {
		return false, nil
	}
	*src = *got
	return true, nil
}

// UpdateSource implements store.SourceStore. It writes Name, FullText (an
// empty one becomes store.FullTextAuto) and Interval only.
func (s *Store) UpdateSource(ctx context.Context, src *store.Source) error {
	c := *src
	if err := checkSource(&c); err != nil {
		return fmt.Errorf("sqlite: update source %d: %w", src.ID, err)
	}
	res, err := s.w.ExecContext(ctx, `UPDATE sources SET name = ?, full_text = ?, interval_ms = ? WHERE id = ?`,
		c.Name, string(c.FullText), c.Interval.Milliseconds(), c.ID)
	if err != nil {
		return fmt.Errorf("sqlite: update source %d: %w", src.ID, err)
	}
	if err := oneRow(res); err != nil {
		return fmt.Errorf("sqlite: update source %d: %w", src.ID, err)
	}
	src.FullText = c.FullText
	return nil
}

// SetFetchState implements store.SourceStore; it ends the source's claim.
func (s *Store) SetFetchState(ctx context.Context, id int64, st store.FetchState) error {
	if st.Failures < 0 {
		return fmt.Errorf("sqlite: set fetch state of source %d: negative failures: %w", id, store.ErrInvalid)
	}
	res, err := s.w.ExecContext(ctx, `UPDATE sources SET etag = ?, last_modified = ?, last_fetch = ?,
		last_success = ?, last_error = ?, last_error_at = ?, failures = ?, next_poll = ?, body_hash = ?,
		claim_owner = '', claim_until = NULL WHERE id = ?`,
		st.ETag, st.LastModified, toMillis(st.LastFetch), toMillis(st.LastSuccess), st.LastError,
		toMillis(st.LastErrorAt), st.Failures, toMillis(st.NextPoll), st.BodyHash, id)
	if err != nil {
		return fmt.Errorf("sqlite: set fetch state of source %d: %w", id, err)
	}
	if err := oneRow(res); err != nil {
		return fmt.Errorf("sqlite: set fetch state of source %d: %w", id, err)
	}
	return nil
}

// RemoveSource implements store.SourceStore. The foreign key's ON DELETE
// SET NULL detaches the source's articles.
func (s *Store) RemoveSource(ctx context.Context, id int64) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM sources WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("sqlite: remove source %d: %w", id, err)
	}
	if err := oneRow(res); err != nil {
		return fmt.Errorf("sqlite: remove source %d: %w", id, err)
	}
	return nil
}

// oneRow turns an UPDATE or DELETE that matched nothing into ErrNotFound.
func oneRow(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func scanSource(sc scanner) (*store.Source, error) {
	var src store.Source
	var fullText string
	var intervalMS, created int64
	var lastFetch, lastSuccess, lastErrorAt, nextPoll sql.NullInt64
	st := &src.State
	err := sc.Scan(&src.ID, &src.Name, &src.URL, &fullText, &intervalMS, &created,
		&st.ETag, &st.LastModified, &lastFetch, &lastSuccess, &st.LastError, &lastErrorAt, &st.Failures, &nextPoll,
		&st.BodyHash)
	if err != nil {
		return nil, err
	}
	src.FullText = store.FullTextMode(fullText)
	src.Interval = time.Duration(intervalMS) * time.Millisecond
	src.Created = time.UnixMilli(created).UTC()
	st.LastFetch, st.LastSuccess = fromMillis(lastFetch), fromMillis(lastSuccess)
	st.LastErrorAt, st.NextPoll = fromMillis(lastErrorAt), fromMillis(nextPoll)
	return &src, nil
}
