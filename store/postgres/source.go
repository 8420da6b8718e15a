package postgres

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

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
		return fmt.Errorf("postgres: add source: %w", err)
	}
	c := *src
	if err := checkSource(&c); err != nil {
		return fmt.Errorf("postgres: add source %s: %w", src.URL, err)
	}
	c.Created = nowMillis()
	st := c.State
	err := s.checkConn(s.pool.QueryRow(ctx, `INSERT INTO sources (name, url, full_text, interval_ms, created,
		etag, last_modified, last_fetch, last_success, last_error, last_error_at, failures, next_poll, body_hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		c.Name, c.URL, string(c.FullText), c.Interval.Milliseconds(), c.Created,
		st.ETag, st.LastModified, tsArg(st.LastFetch), tsArg(st.LastSuccess), st.LastError,
		tsArg(st.LastErrorAt), st.Failures, tsArg(st.NextPoll), st.BodyHash).Scan(&c.ID))
	if err != nil {
		if errorCode(err) == codeUniqueViolation {
			return fmt.Errorf("postgres: add source %s: %w", src.URL, store.ErrExists)
		}
		return fmt.Errorf("postgres: add source %s: %w", src.URL, badText(err))
	}
	*src = c
	return nil
}

// Source implements store.SourceStore.
func (s *Store) Source(ctx context.Context, id int64) (*store.Source, error) {
	var src *store.Source
	err := s.read(ctx, func(q querier) (err error) {
		src, err = scanSource(q.QueryRow(ctx, `SELECT `+sourceColumns+` FROM sources WHERE id = $1`, id))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("postgres: source %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: source %d: %w", id, err)
	}
	return src, nil
}

// SourceByURL implements store.SourceStore. The URL must match the stored
// one exactly.
func (s *Store) SourceByURL(ctx context.Context, u string) (*store.Source, error) {
	var src *store.Source
	err := s.read(ctx, func(q querier) (err error) {
		src, err = scanSource(q.QueryRow(ctx, `SELECT `+sourceColumns+` FROM sources WHERE url = $1`, u))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("postgres: source by url %s: %w", u, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: source by url %s: %w", u, badText(err))
	}
	return src, nil
}

// Sources implements store.SourceStore.
func (s *Store) Sources(ctx context.Context) ([]*store.Source, error) {
	srcs, err := s.querySources(ctx, `SELECT `+sourceColumns+` FROM sources ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: sources: %w", err)
	}
	return srcs, nil
}

// DueSources implements store.SourceStore. Sources never polled (zero
// NextPoll) come first; limit <= 0 means no limit.
func (s *Store) DueSources(ctx context.Context, now time.Time, limit int) ([]*store.Source, error) {
	var lim any // NULL: no limit
	if limit > 0 {
		lim = limit
	}
	srcs, err := s.querySources(ctx, `SELECT `+sourceColumns+` FROM sources
		WHERE `+sqlDue+`
		ORDER BY next_poll NULLS FIRST, id LIMIT $2`, asStored(now), lim)
	if err != nil {
		return nil, fmt.Errorf("postgres: due sources: %w", err)
	}
	return srcs, nil
}

// sqlDue is the condition of a due source, DueSources's and ClaimSource's:
// its next poll has come by $1 and no claim on it is live at $1.
const sqlDue = `(next_poll IS NULL OR next_poll <= $1) AND (claim_until IS NULL OR claim_until <= $1)`

// ClaimSource implements store.SourceStore. The source's row is locked
// with FOR UPDATE SKIP LOCKED and updated only if it is due and
// unclaimed: a replica claiming it at the same moment holds the lock, so
// this one gives up at once instead of waiting, and one that has just
// committed its claim is seen (READ COMMITTED re-reads a row it locks),
// so the source is never claimed twice.
func (s *Store) ClaimSource(ctx context.Context, src *store.Source, owner string, now time.Time, lease time.Duration) (bool, error) {
	if err := store.ValidateSourceClaim(src, owner, lease); err != nil {
		return false, fmt.Errorf("postgres: %w", err)
	}
	now = asStored(now)
	var got *store.Source
	var exists bool
	b := &pgx.Batch{}
	b.Queue(`WITH c AS (
			SELECT id FROM sources WHERE id = $2 AND `+sqlDue+` FOR UPDATE SKIP LOCKED
		)
		UPDATE sources s SET claim_owner = $3, claim_until = $4 FROM c WHERE s.id = c.id
		RETURNING `+qualified("s", sourceColumns),
		now, src.ID, owner, asStored(now.Add(lease))).QueryRow(func(row pgx.Row) error {
		var err error
		got, err = scanSource(row)
		if errors.Is(err, pgx.ErrNoRows) {
			got = nil
			return nil
		}
		return err
	})
	b.Queue(`SELECT EXISTS (SELECT 1 FROM sources WHERE id = $1)`, src.ID).QueryRow(func(row pgx.Row) error {
		return row.Scan(&exists)
	})
	if err := s.checkConn(s.pool.SendBatch(ctx, b).Close()); err != nil {
		return false, fmt.Errorf("postgres: claim source %d: %w", src.ID, badText(err))
	}
	if got == nil {
		if !exists {
			return false, fmt.Errorf("postgres: claim source %d: %w", src.ID, store.ErrNotFound)
		}
		return false, nil
	}
	*src = *got
	return true, nil
}

// qualified prefixes each of a list of columns with a table alias.
func qualified(alias, columns string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		parts[i] = alias + "." + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

func (s *Store) querySources(ctx context.Context, query string, args ...any) ([]*store.Source, error) {
	var srcs []*store.Source
	err := s.read(ctx, func(q querier) (err error) {
		srcs, err = queryAll(ctx, q, scanSource, query, args...)
		return err
	})
	return srcs, err
}

// UpdateSource implements store.SourceStore. It writes Name, FullText (an
// empty one becomes store.FullTextAuto) and Interval only.
func (s *Store) UpdateSource(ctx context.Context, src *store.Source) error {
	c := *src
	if err := checkSource(&c); err != nil {
		return fmt.Errorf("postgres: update source %d: %w", src.ID, err)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE sources SET name = $1, full_text = $2, interval_ms = $3 WHERE id = $4`,
		c.Name, string(c.FullText), c.Interval.Milliseconds(), c.ID)
	if err != nil {
		return fmt.Errorf("postgres: update source %d: %w", src.ID, badText(s.checkConn(err)))
	}
	if err := oneRow(tag); err != nil {
		return fmt.Errorf("postgres: update source %d: %w", src.ID, err)
	}
	src.FullText = c.FullText
	return nil
}

// SetFetchState implements store.SourceStore; it ends the source's claim.
func (s *Store) SetFetchState(ctx context.Context, id int64, st store.FetchState) error {
	if st.Failures < 0 {
		return fmt.Errorf("postgres: set fetch state of source %d: negative failures: %w", id, store.ErrInvalid)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE sources SET etag = $1, last_modified = $2, last_fetch = $3,
		last_success = $4, last_error = $5, last_error_at = $6, failures = $7, next_poll = $8, body_hash = $9,
		claim_owner = '', claim_until = NULL WHERE id = $10`,
		st.ETag, st.LastModified, tsArg(st.LastFetch), tsArg(st.LastSuccess), st.LastError,
		tsArg(st.LastErrorAt), st.Failures, tsArg(st.NextPoll), st.BodyHash, id)
	if err != nil {
		return fmt.Errorf("postgres: set fetch state of source %d: %w", id, badText(s.checkConn(err)))
	}
	if err := oneRow(tag); err != nil {
		return fmt.Errorf("postgres: set fetch state of source %d: %w", id, err)
	}
	return nil
}

// RemoveSource implements store.SourceStore. The foreign key's ON DELETE
// SET NULL detaches the source's articles.
func (s *Store) RemoveSource(ctx context.Context, id int64) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM sources WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("postgres: remove source %d: %w", id, s.checkConn(err))
	}
	if err := oneRow(tag); err != nil {
		return fmt.Errorf("postgres: remove source %d: %w", id, err)
	}
	return nil
}

func scanSource(row pgx.Row) (*store.Source, error) {
	var src store.Source
	var fullText string
	var intervalMS int64
	var created, lastFetch, lastSuccess, lastErrorAt, nextPoll pgtype.Timestamptz
	st := &src.State
	err := row.Scan(&src.ID, &src.Name, &src.URL, &fullText, &intervalMS, &created,
		&st.ETag, &st.LastModified, &lastFetch, &lastSuccess, &st.LastError, &lastErrorAt, &st.Failures, &nextPoll,
		&st.BodyHash)
	if err != nil {
		return nil, err
	}
	src.FullText = store.FullTextMode(fullText)
	src.Interval = time.Duration(intervalMS) * time.Millisecond
	src.Created = fromTS(created)
	st.LastFetch, st.LastSuccess = fromTS(lastFetch), fromTS(lastSuccess)
	st.LastErrorAt, st.NextPoll = fromTS(lastErrorAt), fromTS(nextPoll)
	return &src, nil
}
