package sqlite

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/newsdigest/newsdigest/store"
)

const (
	articleColumns  = `id, coalesce(source_id, 0), coalesce(url, ''), title, outlet, byline, published, fetched, language, body, hash`
	articleColumnsA = `a.id, coalesce(a.source_id, 0), coalesce(a.url, ''), a.title, a.outlet, a.byline, a.published, a.fetched, a.language, a.body, a.hash`
)

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
// time, newest first (articles of the same millisecond: the one stored last
// first); a search only filters.
func (s *Store) Articles(ctx context.Context, q store.ArticleQuery) ([]*store.Article, error) {
	query, args, err := articlesQuery(q)
	if err != nil {
		return nil, fmt.Errorf("sqlite: articles: %w", err)
	}
	as, err := queryAll(ctx, s.r, scanArticle, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: articles: %w", err)
	}
	return as, nil
}

// articlesQuery builds the SQL for q. Time bounds become a sort key range,
// which an index (or, in a search, the full-text index's rowid order)
// serves, plus the exact test on the effective time.
func articlesQuery(q store.ArticleQuery) (string, []any, error) {
	limit, err := queryLimit(q.Limit)
	if err != nil {
		return "", nil, err
	}
	if q.Offset < 0 {
		return "", nil, fmt.Errorf("negative offset %d: %w", q.Offset, store.ErrInvalid)
	}
	match, err := ftsQuery(q.Search)
	if err != nil {
		return "", nil, err
	}
	key := "a.sort_key"
	from := "articles a"
	var where []string
	var args []any
	if match != "" {
		// The FTS table drives: it yields matches newest first, and the
		// LIMIT stops it.
		key = "f.rowid"
		from = "articles_fts f JOIN articles a ON a.sort_key = f.rowid"
		where = append(where, "articles_fts MATCH ?")
		args = append(args, match)
	}
	if !q.Since.IsZero() {
		where = append(where, key+" >= ?", "coalesce(a.published, a.fetched) >= ?")
		args = append(args, keyFloor(q.Since), q.Since.UnixMilli())
	}
	if !q.Until.IsZero() {
		where = append(where, key+" < ?", "coalesce(a.published, a.fetched) < ?")
		args = append(args, keyCeil(q.Until), q.Until.UnixMilli())
	}
	if q.SourceID != 0 {
		where = append(where, "a.source_id = ?")
		args = append(args, q.SourceID)
	}
	if lang := strings.ToLower(strings.TrimSpace(q.Language)); lang != "" {
		where = append(where, "a.language = ?")
		args = append(args, lang)
	}
	var b strings.Builder
	b.WriteString("SELECT " + articleColumnsA + " FROM " + from)
	if len(where) > 0 {
		b.WriteString(" WHERE " + strings.Join(where, " AND "))
	}
	b.WriteString(" ORDER BY " + key + " DESC LIMIT ? OFFSET ?")
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

func scanArticle(sc scanner) (*store.Article, error) {
	var a store.Article
	var published, fetched sql.NullInt64
	var hash []byte
	err := sc.Scan(&a.ID, &a.SourceID, &a.URL, &a.Title, &a.Outlet, &a.Byline, &published, &fetched, &a.Language, &a.Body, &hash)
	if err != nil {
		return nil, err
	}
	a.Published, a.Fetched = fromMillis(published), fromMillis(fetched)
	a.Hash = hex.EncodeToString(hash)
	return &a, nil
}
