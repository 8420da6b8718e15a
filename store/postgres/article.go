package postgres

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/newsdigest/newsdigest/store"
)

// PutArticle implements store.ArticleStore.
func (s *Store) PutArticle(ctx context.Context, a *store.Article) (store.PutOutcome, error) {
	outs, err := s.put(ctx, []*store.Article{a})
	if err != nil {
		return 0, fmt.Errorf("postgres: put article: %w", err)
	}
	return outs[0], nil
}

// PutArticles implements store.ArticleStore. Every article is checked
// before anything is written: one invalid article fails the whole call and
// stores nothing.
func (s *Store) PutArticles(ctx context.Context, as []*store.Article) ([]store.PutOutcome, error) {
	outs, err := s.put(ctx, as)
	if err != nil {
		return nil, fmt.Errorf("postgres: put articles: %w", err)
	}
	return outs, nil
}

// put stores as in one transaction. The articles are normalised on copies
// first and copied back after the commit, so that a failed call leaves the
// caller's articles as they were.
func (s *Store) put(ctx context.Context, as []*store.Article) ([]store.PutOutcome, error) {
	if len(as) == 0 {
		return nil, nil
	}
	work := make([]store.Article, len(as))
	hashes := make([][]byte, len(as))
	now := nowMillis()
	for i, a := range as {
		if a == nil {
			return nil, fmt.Errorf("article %d: nil: %w", i, store.ErrInvalid)
		}
		c := *a
		if err := c.Normalize(); err != nil {
			return nil, fmt.Errorf("article %d: %w", i, err)
		}
		if c.SourceID < 0 {
			return nil, fmt.Errorf("article %d: negative source id: %w", i, store.ErrInvalid)
		}
		if c.Fetched.IsZero() {
			c.Fetched = now
		}
		c.Fetched = asStored(c.Fetched)
		if !c.Published.IsZero() {
			c.Published = asStored(c.Published)
		}
		h, err := hex.DecodeString(c.Hash)
		if err != nil {
			return nil, fmt.Errorf("article %d: hash: %w", i, err)
		}
		work[i], hashes[i] = c, h
	}

	outs := make([]store.PutOutcome, len(work))
	err := s.write(ctx, func(tx pgx.Tx) error {
		bt, err := s.newBatch(ctx, tx, work, hashes)
		if err != nil {
			return err
		}
		for i := range work {
			if outs[i], err = bt.put(ctx, &work[i], hashes[i]); err != nil {
				return fmt.Errorf("article %d (%s): %w", i, work[i].URL, writeError(err))
			}
		}
		if err := bt.flush(ctx); err != nil {
			return writeError(err)
		}
		return nil
	})
	if err != nil {
		return nil, badText(err)
	}
	for i, a := range as {
		*a = work[i]
	}
	return outs, nil
}

// writeError names the store error behind a failed article write.
func writeError(err error) error {
	if errorCode(err) == codeForeignKeyViolation {
		return fmt.Errorf("no such source: %w", store.ErrInvalid)
	}
	return err
}

// stored is what the write path needs of a stored article.
type stored struct {
	id                       int64
	hash                     []byte
	published, fetched       time.Time
	sourceID                 int64
	byline, language, outlet string
}

// hashHit is the article a content hash finds: the oldest by effective
// time with that hash.
type hashHit struct {
	id  int64
	url string
}

// batch is the write path of one transaction, which holds the article
// write lock, so that nothing but this transaction changes articles
// meanwhile.
//
// To spare a round trip per article, the stored articles with the batch's
// URLs and hashes are read at the start, in one round trip, and writes are
// queued and sent together (pipelined) at the end. A lookup of a URL or
// hash that an earlier write of this batch touched cannot trust what was
// read at the start: it sends the queued writes and asks the database.
type batch struct {
	tx     pgx.Tx
	queue  *pgx.Batch
	byURL  map[string]*stored
	byHash map[string]hashHit
	// touched URLs and hashes were written by this batch.
	touchedURL, touchedHash map[string]bool
}

const (
	sqlLock         = `SELECT pg_advisory_xact_lock($1)`
	sqlStoredColumn = `id, hash, published, fetched, coalesce(source_id, 0), byline, language, outlet`
	sqlByURLs       = `SELECT url, ` + sqlStoredColumn + ` FROM articles WHERE url = ANY($1)`
	sqlByURL        = `SELECT url, ` + sqlStoredColumn + ` FROM articles WHERE url = $1`
	sqlByHashes     = `SELECT DISTINCT ON (hash) hash, id, coalesce(url, '') FROM articles
		WHERE hash = ANY($1) ORDER BY hash, eff, id`
	sqlByHash = `SELECT hash, id, coalesce(url, '') FROM articles WHERE hash = $1 ORDER BY eff, id LIMIT 1`
	sqlInsert = `INSERT INTO articles (source_id, url, title, outlet, byline, published, fetched, language, body, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`
	sqlUpdate = `UPDATE articles SET source_id = $1, title = $2, outlet = $3, byline = $4, published = $5,
		fetched = $6, language = $7, body = $8, hash = $9 WHERE id = $10`
	sqlSetOutlet = `UPDATE articles SET outlet = $1 WHERE id = $2 AND outlet = ''`
)

// newBatch takes the article write lock and reads the stored articles the
// batch may meet, all in one round trip.
func (s *Store) newBatch(ctx context.Context, tx pgx.Tx, work []store.Article, hashes [][]byte) (*batch, error) {
	bt := &batch{
		tx: tx, queue: &pgx.Batch{},
		byURL: map[string]*stored{}, byHash: map[string]hashHit{},
		touchedURL: map[string]bool{}, touchedHash: map[string]bool{},
	}
	var urls []string
	for _, a := range work {
		if a.URL != "" {
			urls = append(urls, a.URL)
		}
	}
	b := &pgx.Batch{}
	b.Queue(sqlLock, s.articleLock)
	b.Queue(sqlByURLs, urls).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			url, st, err := scanStored(rows)
			if err != nil {
				return err
			}
			bt.byURL[url] = st
		}
		return rows.Err()
	})
	b.Queue(sqlByHashes, hashes).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var h []byte
			var hit hashHit
			if err := rows.Scan(&h, &hit.id, &hit.url); err != nil {
				return err
			}
			bt.byHash[string(h)] = hit
		}
		return rows.Err()
	})
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, err
	}
	return bt, nil
}

func scanStored(row pgx.Row) (string, *stored, error) {
	var url string
	var st stored
	var published, fetched pgtype.Timestamptz
	err := row.Scan(&url, &st.id, &st.hash, &published, &fetched, &st.sourceID, &st.byline, &st.language, &st.outlet)
	if err != nil {
		return "", nil, err
	}
	st.published, st.fetched = fromTS(published), fromTS(fetched)
	return url, &st, nil
}

// lookupURL returns the stored article under url, or nil.
func (bt *batch) lookupURL(ctx context.Context, url string) (*stored, error) {
	if !bt.touchedURL[url] {
		return bt.byURL[url], nil
	}
	if err := bt.flush(ctx); err != nil {
		return nil, err
	}
	_, st, err := scanStored(bt.tx.QueryRow(ctx, sqlByURL, url))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return st, err
}

// lookupHash returns the article hash finds, if any.
func (bt *batch) lookupHash(ctx context.Context, hash []byte) (hashHit, bool, error) {
	if !bt.touchedHash[string(hash)] {
		hit, ok := bt.byHash[string(hash)]
		return hit, ok, nil
	}
	if err := bt.flush(ctx); err != nil {
		return hashHit{}, false, err
	}
	var h []byte
	var hit hashHit
	err := bt.tx.QueryRow(ctx, sqlByHash, hash).Scan(&h, &hit.id, &hit.url)
	if errors.Is(err, pgx.ErrNoRows) {
		return hashHit{}, false, nil
	}
	return hit, err == nil, err
}

// flush sends the queued writes.
func (bt *batch) flush(ctx context.Context) error {
	if bt.queue.Len() == 0 {
		return nil
	}
	q := bt.queue
	bt.queue = &pgx.Batch{}
	return bt.tx.SendBatch(ctx, q).Close()
}

// put stores one normalised article, setting a.ID (and a.URL when the text
// is found under another URL). An inserted article's id is set when the
// queued insert is sent.
func (bt *batch) put(ctx context.Context, a *store.Article, hash []byte) (store.PutOutcome, error) {
	if a.URL != "" {
		old, err := bt.lookupURL(ctx, a.URL)
		if err != nil {
			return 0, err
		}
		if old != nil {
			a.ID = old.id
			if bytes.Equal(old.hash, hash) {
				if old.outlet == "" && a.Outlet != "" {
					bt.queue.Queue(sqlSetOutlet, a.Outlet, old.id)
					bt.touchedURL[a.URL] = true
				}
				return store.Unchanged, nil
			}
			keepStored(a, old)
			bt.queue.Queue(sqlUpdate, nullID(a.SourceID), a.Title, a.Outlet, a.Byline, tsArg(a.Published),
				a.Fetched, a.Language, a.Body, hash, a.ID)
			bt.touchedURL[a.URL] = true
			bt.touchedHash[string(old.hash)] = true
			bt.touchedHash[string(hash)] = true
			return store.Updated, nil
		}
	}
	hit, ok, err := bt.lookupHash(ctx, hash)
	if err != nil {
		return 0, err
	}
	if ok {
		a.ID, a.URL = hit.id, hit.url
		return store.Unchanged, nil
	}
	var url any
	if a.URL != "" {
		url = a.URL
		bt.touchedURL[a.URL] = true
	}
	bt.queue.Queue(sqlInsert, nullID(a.SourceID), url, a.Title, a.Outlet, a.Byline, tsArg(a.Published),
		a.Fetched, a.Language, a.Body, hash).QueryRow(func(row pgx.Row) error {
		return row.Scan(&a.ID)
	})
	bt.touchedHash[string(hash)] = true
	return store.Inserted, nil
}

// keepStored fills in a new version's empty source, byline, language,
// outlet and publication date from the stored version.
func keepStored(a *store.Article, old *stored) {
	if a.SourceID == 0 {
		a.SourceID = old.sourceID
	}
	if a.Byline == "" {
		a.Byline = old.byline
	}
	if a.Language == "" {
		a.Language = old.language
	}
	if a.Outlet == "" {
		a.Outlet = old.outlet
	}
	if a.Published.IsZero() {
		a.Published = old.published
	}
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
