package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/newsdigest/newsdigest/store"
)

// The write path runs these on the write connection, prepared once. Before
// anything is written an article is looked up by URL and then by hash, both
// indexed, so storing an article that is already there costs two index
// probes and no write.
const (
	sqlArticleIDByURL  = `SELECT id, hash FROM articles WHERE url = ?`
	sqlArticleIDByHash = `SELECT id, coalesce(url, '') FROM articles WHERE hash = ? ORDER BY id LIMIT 1`
	sqlInsertArticle   = `INSERT INTO articles (source_id, url, title, byline, published, fetched, language, body, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
	// A new version keeps the stored source, byline, date and language where
	// it has none of its own.
	sqlUpdateArticle = `UPDATE articles SET
		source_id = coalesce(?, source_id),
		title = ?,
		byline = coalesce(nullif(?, ''), byline),
		published = coalesce(?, published),
		fetched = ?,
		language = coalesce(nullif(?, ''), language),
		body = ?,
		hash = ?
		WHERE id = ?`
)

const articleColumns = `id, coalesce(source_id, 0), coalesce(url, ''), title, byline, published, fetched, language, body, hash`

// prepare readies the write path's statements on the write connection.
func (s *Store) prepare(ctx context.Context) error {
	var err error
	for _, p := range []struct {
		st  **sql.Stmt
		sql string
	}{
		{&s.byURL, sqlArticleIDByURL},
		{&s.byHash, sqlArticleIDByHash},
		{&s.insert, sqlInsertArticle},
		{&s.update, sqlUpdateArticle},
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
	st := txStmts{
		byURL:  tx.StmtContext(ctx, s.byURL),
		byHash: tx.StmtContext(ctx, s.byHash),
		insert: tx.StmtContext(ctx, s.insert),
		update: tx.StmtContext(ctx, s.update),
	}
	outs := make([]store.PutOutcome, len(work))
	for i := range work {
		if outs[i], err = st.put(ctx, &work[i], hashes[i]); err != nil {
			return nil, fmt.Errorf("article %d (%s): %w", i, work[i].URL, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	for i, a := range as {
		*a = work[i]
	}
	return outs, nil
}

type txStmts struct {
	byURL, byHash, insert, update *sql.Stmt
}

// put stores one normalised article, setting a.ID (and a.URL when the text
// is found under another URL).
func (st txStmts) put(ctx context.Context, a *store.Article, hash []byte) (store.PutOutcome, error) {
	if a.URL != "" {
		var id int64
		var stored []byte
		err := st.byURL.QueryRowContext(ctx, a.URL).Scan(&id, &stored)
		switch {
		case err == nil:
			a.ID = id
			if bytes.Equal(stored, hash) {
				return store.Unchanged, nil
			}
			_, err := st.update.ExecContext(ctx, nullID(a.SourceID), a.Title, a.Byline, toMillis(a.Published),
				a.Fetched.UnixMilli(), a.Language, a.Body, hash, id)
			if err != nil {
				return 0, writeError(err)
			}
			return store.Updated, nil
		case !errors.Is(err, sql.ErrNoRows):
			return 0, err
		}
	}

	var id int64
	var url string
	err := st.byHash.QueryRowContext(ctx, hash).Scan(&id, &url)
	switch {
	case err == nil:
		a.ID, a.URL = id, url
		return store.Unchanged, nil
	case !errors.Is(err, sql.ErrNoRows):
		return 0, err
	}

	var urlArg any
	if a.URL != "" {
		urlArg = a.URL
	}
	res, err := st.insert.ExecContext(ctx, nullID(a.SourceID), urlArg, a.Title, a.Byline, toMillis(a.Published),
		a.Fetched.UnixMilli(), a.Language, a.Body, hash)
	if err != nil {
		return 0, writeError(err)
	}
	if a.ID, err = res.LastInsertId(); err != nil {
		return 0, err
	}
	return store.Inserted, nil
}

// writeError names the store error behind a failed article write.
func writeError(err error) error {
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

// Article implements store.ArticleStore.
func (s *Store) Article(ctx context.Context, id int64) (*store.Article, error) {
	row := s.r.QueryRowContext(ctx, `SELECT `+articleColumns+` FROM articles WHERE id = ?`, id)
	a, err := scanArticle(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlite: article %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: article %d: %w", id, err)
	}
	return a, nil
}

// ArticleByURL implements store.ArticleStore. A URL that CanonicalURL
// rejects gives an error wrapping store.ErrInvalid.
func (s *Store) ArticleByURL(ctx context.Context, rawURL string) (*store.Article, error) {
	u, err := store.CanonicalURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("sqlite: article by url: %w", err)
	}
	row := s.r.QueryRowContext(ctx, `SELECT `+articleColumns+` FROM articles WHERE url = ?`, u)
	a, err := scanArticle(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlite: article by url %s: %w", u, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: article by url %s: %w", u, err)
	}
	return a, nil
}

// Articles implements store.ArticleStore. Results are ordered by effective
// time, newest first, then by id, highest first; a search only filters.
func (s *Store) Articles(ctx context.Context, q store.ArticleQuery) ([]*store.Article, error) {
	query, args, err := articlesQuery(q)
	if err != nil {
		return nil, fmt.Errorf("sqlite: articles: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: articles: %w", err)
	}
	defer rows.Close()
	var as []*store.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: articles: %w", err)
		}
		as = append(as, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: articles: %w", err)
	}
	return as, nil
}

// articlesQuery builds the SQL for q.
func articlesQuery(q store.ArticleQuery) (string, []any, error) {
	limit, err := queryLimit(q.Limit)
	if err != nil {
		return "", nil, err
	}
	if q.Offset < 0 {
		return "", nil, fmt.Errorf("negative offset %d: %w", q.Offset, store.ErrInvalid)
	}
	var where []string
	var args []any
	if !q.Since.IsZero() {
		where = append(where, `coalesce(published, fetched) >= ?`)
		args = append(args, q.Since.UnixMilli())
	}
	if !q.Until.IsZero() {
		where = append(where, `coalesce(published, fetched) < ?`)
		args = append(args, q.Until.UnixMilli())
	}
	if q.SourceID != 0 {
		where = append(where, `source_id = ?`)
		args = append(args, q.SourceID)
	}
	if lang := strings.ToLower(strings.TrimSpace(q.Language)); lang != "" {
		where = append(where, `language = ?`)
		args = append(args, lang)
	}
	match, err := ftsQuery(q.Search)
	if err != nil {
		return "", nil, err
	}
	if match != "" {
		where = append(where, `id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)`)
		args = append(args, match)
	}
	var b strings.Builder
	b.WriteString(`SELECT ` + articleColumns + ` FROM articles`)
	if len(where) > 0 {
		b.WriteString(` WHERE ` + strings.Join(where, ` AND `))
	}
	b.WriteString(` ORDER BY coalesce(published, fetched) DESC, id DESC LIMIT ? OFFSET ?`)
	args = append(args, limit, q.Offset)
	return b.String(), args, nil
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

// CountArticles implements store.ArticleStore.
func (s *Store) CountArticles(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM articles`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count articles: %w", err)
	}
	return n, nil
}

type scanner interface{ Scan(dest ...any) error }

func scanArticle(sc scanner) (*store.Article, error) {
	var a store.Article
	var published, fetched sql.NullInt64
	var hash []byte
	err := sc.Scan(&a.ID, &a.SourceID, &a.URL, &a.Title, &a.Byline, &published, &fetched, &a.Language, &a.Body, &hash)
	if err != nil {
		return nil, err
	}
	a.Published, a.Fetched = fromMillis(published), fromMillis(fetched)
	a.Hash = hex.EncodeToString(hash)
	return &a, nil
}
