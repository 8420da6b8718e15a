package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

// The write path runs these on the write connection, prepared once. Before
// anything is written an article is looked up by URL and then by hash, both
// indexed, so storing an article that is already there costs two index
// probes and no write.
const (
	sqlArticleByURL    = `SELECT id, hash, published, fetched, sort_key, coalesce(source_id, 0), byline, language, outlet FROM articles WHERE url = ?`
	sqlArticleIDByHash = `SELECT id, coalesce(url, '') FROM articles WHERE hash = ? ORDER BY sort_key LIMIT 1`
	sqlMaxSortKey      = `SELECT max(sort_key) FROM articles WHERE sort_key >= ? AND sort_key < ?`
	// Ids are allocated max + 1 through the id index; nothing deletes
	// articles, so an id is never reused.
	sqlInsertArticle = `INSERT INTO articles (id, source_id, url, title, byline, published, fetched, language, body, hash, sort_key, outlet)
		VALUES ((SELECT coalesce(max(id), 0) + 1 FROM articles), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`
	// A new version keeps the stored source, byline, language and outlet
	// where it has none of its own (put fills them in from the stored row
	// as well, so that the article it returns is what was stored; the date
	// is worked out in Go).
	sqlUpdateArticle = `UPDATE articles SET
		source_id = coalesce(?, source_id),
		title = ?,
		byline = coalesce(nullif(?, ''), byline),
		published = ?,
		fetched = ?,
		language = coalesce(nullif(?, ''), language),
		body = ?,
		hash = ?,
		sort_key = ?,
		outlet = coalesce(nullif(?, ''), outlet)
		WHERE id = ?`
	// An unchanged article gives the stored one its outlet if it had none
	// (stored before schema 2).
	sqlSetOutlet = `UPDATE articles SET outlet = ? WHERE id = ? AND outlet = ''`

	// The full-text index is kept by the write path, not by triggers (see
	// batch). ftsUnindex removes an article's stored version from it;
	// ftsIndex adds the articles whose sort keys are in a JSON array.
	sqlFTSUnindex = `INSERT INTO articles_fts (articles_fts, rowid, title, body)
		SELECT 'delete', sort_key, title, body FROM articles WHERE id = ?`
	sqlFTSIndex = `INSERT INTO articles_fts (rowid, title, body)
		SELECT sort_key, title, body FROM articles WHERE sort_key IN (SELECT value FROM json_each(?))`
)

// prepare readies the write path's statements on the write connection.
func (s *Store) prepare(ctx context.Context) error {
	var err error
	for _, p := range []struct {
		st  **sql.Stmt
		sql string
	}{
		{&s.byURL, sqlArticleByURL},
		{&s.byHash, sqlArticleIDByHash},
		{&s.maxKey, sqlMaxSortKey},
		{&s.insert, sqlInsertArticle},
		{&s.update, sqlUpdateArticle},
		{&s.ftsUnindex, sqlFTSUnindex},
		{&s.ftsIndex, sqlFTSIndex},
		{&s.setOutlet, sqlSetOutlet},
	} {
		if *p.st, err = s.w.PrepareContext(ctx, p.sql); err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
	}
	return nil
}

// PutArticle implements store.ArticleStore.
func (s *Store) PutArticle(ctx context.Context, a *store.Article) (store.PutOutcome, error) {
	outs, err := s.put(ctx, []*store.Article{a})
	if err != nil {
		return 0, fmt.Errorf("sqlite: put article: %w", err)
	}
	return outs[0], nil
}

// PutArticles implements store.ArticleStore. Every article is checked
// before anything is written: one invalid article fails the whole call and
// stores nothing.
func (s *Store) PutArticles(ctx context.Context, as []*store.Article) ([]store.PutOutcome, error) {
	outs, err := s.put(ctx, as)
	if err != nil {
		return nil, fmt.Errorf("sqlite: put articles: %w", err)
	}
	return outs, nil
}

// put stores as in one transaction. The articles are normalised and hashed
// on copies before the transaction, so that the single write connection is
// held only for the database work, and copied back after the commit, so
// that a failed call leaves the caller's articles without ids that do not
// exist.
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

	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	bt := batch{
		byURL:      tx.StmtContext(ctx, s.byURL),
		byHash:     tx.StmtContext(ctx, s.byHash),
		maxKey:     tx.StmtContext(ctx, s.maxKey),
		insert:     tx.StmtContext(ctx, s.insert),
		update:     tx.StmtContext(ctx, s.update),
		ftsUnindex: tx.StmtContext(ctx, s.ftsUnindex),
		ftsIndex:   tx.StmtContext(ctx, s.ftsIndex),
		setOutlet:  tx.StmtContext(ctx, s.setOutlet),
		unindexed:  map[int64]bool{},
	}
	outs := make([]store.PutOutcome, len(work))
	for i := range work {
		if outs[i], err = bt.put(ctx, &work[i], hashes[i]); err != nil {
			return nil, fmt.Errorf("article %d (%s): %w", i, work[i].URL, err)
		}
	}
	if err := bt.index(ctx); err != nil {
		return nil, fmt.Errorf("full-text index: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	for i, a := range as {
		*a = work[i]
	}
	return outs, nil
}

// batch is the write path of one transaction.
//
// FTS5 writes its pending index data to disk at the start of every statement
// of a transaction that has touched the index, so indexing each article as it
// is written (a trigger would) makes one tiny index segment per article, and
// merging them costs more than everything else. Instead the articles' rows
// are written first and their text is indexed at the end, in one statement.
// Removing an old version from the index cannot wait, since its text is
// about to be overwritten, but updates are few.
type batch struct {
	byURL, byHash, maxKey, insert, update, ftsUnindex, ftsIndex, setOutlet *sql.Stmt
	// unindexed holds the sort keys of rows written in this batch and not
	// yet in the index.
	unindexed map[int64]bool
}

// put stores one normalised article, setting a.ID (and a.URL when the text
// is found under another URL).
func (bt *batch) put(ctx context.Context, a *store.Article, hash []byte) (store.PutOutcome, error) {
	if a.URL != "" {
		var id, key int64
		var stored []byte
		var published, fetched sql.NullInt64
		var old store.Article
		err := bt.byURL.QueryRowContext(ctx, a.URL).Scan(&id, &stored, &published, &fetched, &key,
			&old.SourceID, &old.Byline, &old.Language, &old.Outlet)
		switch {
		case err == nil:
			a.ID = id
			if bytes.Equal(stored, hash) {
				if old.Outlet == "" && a.Outlet != "" {
					if _, err := bt.setOutlet.ExecContext(ctx, a.Outlet, id); err != nil {
						return 0, err
					}
				}
				return store.Unchanged, nil
			}
			keepStored(a, &old)
			return store.Updated, bt.updateArticle(ctx, a, hash, fromMillis(published), fromMillis(fetched), key)
		case !errors.Is(err, sql.ErrNoRows):
			return 0, err
		}
	}

	var id int64
	var url string
	err := bt.byHash.QueryRowContext(ctx, hash).Scan(&id, &url)
	switch {
	case err == nil:
		a.ID, a.URL = id, url
		return store.Unchanged, nil
	case !errors.Is(err, sql.ErrNoRows):
		return 0, err
	}

	key, err := bt.newKey(ctx, a.EffectiveTime())
	if err != nil {
		return 0, err
	}
	var urlArg any
	if a.URL != "" {
		urlArg = a.URL
	}
	err = bt.insert.QueryRowContext(ctx, nullID(a.SourceID), urlArg, a.Title, a.Byline, toMillis(a.Published),
		a.Fetched.UnixMilli(), a.Language, a.Body, hash, key, a.Outlet).Scan(&a.ID)
	if err != nil {
		return 0, writeError(err)
	}
	bt.unindexed[key] = true
	return store.Inserted, nil
}

// updateArticle writes a's new text over the stored article a.ID, whose
// publication and fetch times and sort key are given. The article keeps its
// sort key unless its effective time changed.
func (bt *batch) updateArticle(ctx context.Context, a *store.Article, hash []byte, published, fetched time.Time, key int64) error {
	if a.Published.IsZero() {
		a.Published = published // keep the date the earlier version gave
	}
	oldEff := published
	if oldEff.IsZero() {
		oldEff = fetched
	}
	newKey := key
	if !a.EffectiveTime().Equal(oldEff) {
		var err error
		if newKey, err = bt.newKey(ctx, a.EffectiveTime()); err != nil {
			return err
		}
	}
	if bt.unindexed[key] {
		delete(bt.unindexed, key) // written earlier in this batch: not in the index yet
	} else if _, err := bt.ftsUnindex.ExecContext(ctx, a.ID); err != nil {
		return err
	}
	_, err := bt.update.ExecContext(ctx, nullID(a.SourceID), a.Title, a.Byline, toMillis(a.Published),
		a.Fetched.UnixMilli(), a.Language, a.Body, hash, newKey, a.Outlet, a.ID)
	if err != nil {
		return writeError(err)
	}
	bt.unindexed[newKey] = true
	return nil
}

// index adds the batch's new and changed articles to the full-text index.
func (bt *batch) index(ctx context.Context) error {
	if len(bt.unindexed) == 0 {
		return nil
	}
	keys := make([]byte, 0, 1+len(bt.unindexed)*21)
	keys = append(keys, '[')
	for k := range bt.unindexed {
		if len(keys) > 1 {
			keys = append(keys, ',')
		}
		keys = strconv.AppendInt(keys, k, 10)
	}
	keys = append(keys, ']')
	res, err := bt.ftsIndex.ExecContext(ctx, string(keys))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err == nil && n != int64(len(bt.unindexed)) {
		return fmt.Errorf("indexed %d articles, want %d", n, len(bt.unindexed))
	}
	return nil
}

// newKey returns an unused sort key for an article at time t: the next
// after the largest key of t's millisecond.
func (bt *batch) newKey(ctx context.Context, t time.Time) (int64, error) {
	lo, hi := keyFloor(t), keyCeil(t)
	var last sql.NullInt64
	if err := bt.maxKey.QueryRowContext(ctx, lo, hi).Scan(&last); err != nil {
		return 0, err
	}
	if !last.Valid {
		return lo, nil
	}
	if last.Int64+1 >= hi {
		return 0, fmt.Errorf("more than %d articles at %v", 1<<sortKeyBits, t)
	}
	return last.Int64 + 1, nil
}

// keepStored fills in a new version's empty source, byline, language and
// outlet from the stored version old.
func keepStored(a, old *store.Article) {
	if a.SourceID == 0 {
		a.SourceID = old.SourceID
	}
	if a.Byline == "" {
		a.Byline = old.Byline
	}
	if a.Language == "" {
		a.Language = old.Language
	}
	if a.Outlet == "" {
		a.Outlet = old.Outlet
	}
}

// writeError names the store error behind a failed article write.
func writeError(err error) error {
	if err == nil {
		return nil
	}
	if errorCode(err) == codeConstraintForeignKey {
		return fmt.Errorf("no such source: %w", store.ErrInvalid)
	}
	return err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
