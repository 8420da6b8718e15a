package postgres

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/newsdigest/newsdigest/store"
)

const articleColumns = `a.id, coalesce(a.source_id, 0), coalesce(a.url, ''), a.title, a.outlet, a.byline,
	a.published, a.fetched, a.language, a.body, a.hash`

// Article implements store.ArticleStore.
func (s *Store) Article(ctx context.Context, id int64) (*store.Article, error) {
	var a *store.Article
	err := s.read(ctx, func(q querier) (err error) {
		a, err = scanArticle(q.QueryRow(ctx, `SELECT `+articleColumns+` FROM articles a WHERE a.id = $1`, id))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("postgres: article %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: article %d: %w", id, err)
	}
	return a, nil
}

// ArticleByURL implements store.ArticleStore. A URL that CanonicalURL
// rejects gives an error wrapping store.ErrInvalid.
func (s *Store) ArticleByURL(ctx context.Context, rawURL string) (*store.Article, error) {
	u, err := store.CanonicalURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("postgres: article by url: %w", err)
	}
	var a *store.Article
	err = s.read(ctx, func(q querier) (err error) {
		a, err = scanArticle(q.QueryRow(ctx, `SELECT `+articleColumns+` FROM articles a WHERE a.url = $1`, u))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("postgres: article by url %s: %w", u, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: article by url %s: %w", u, badText(err))
	}
	return a, nil
}

// Articles implements store.ArticleStore. Results are ordered by effective
// time, newest first (articles of the same millisecond: the highest id
// first); a search only filters.
func (s *Store) Articles(ctx context.Context, q store.ArticleQuery) ([]*store.Article, error) {
	query, args, err := articlesQuery(q)
	if err != nil {
		return nil, fmt.Errorf("postgres: articles: %w", err)
	}
	var as []*store.Article
	err = s.read(ctx, func(db querier) (err error) {
		as, err = queryAll(ctx, db, scanArticle, query, args...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: articles: %w", badText(err))
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
	terms, err := searchTerms(q.Search)
	if err != nil {
		return "", nil, err
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if len(terms) > 0 {
		var parts []string
		for _, t := range terms {
			parts = append(parts, t.function+"('simple', "+arg(t.text)+")")
		}
		where = append(where, "a.tsv @@ ("+strings.Join(parts, " && ")+")")
	}
	if !q.Since.IsZero() {
		where = append(where, "a.eff >= "+arg(asStored(q.Since)))
	}
	if !q.Until.IsZero() {
		where = append(where, "a.eff < "+arg(asStored(q.Until)))
	}
	if q.SourceID != 0 {
		where = append(where, "a.source_id = "+arg(q.SourceID))
	}
	if lang := strings.ToLower(strings.TrimSpace(q.Language)); lang != "" {
		where = append(where, "a.language = "+arg(lang))
	}
	var b strings.Builder
	b.WriteString("SELECT " + articleColumns + " FROM articles a")
	if len(where) > 0 {
		b.WriteString(" WHERE " + strings.Join(where, " AND "))
	}
	b.WriteString(" ORDER BY a.eff DESC, a.id DESC LIMIT " + arg(limit) + " OFFSET " + arg(q.Offset))
	return b.String(), args, nil
}

// CountArticles implements store.ArticleStore.
func (s *Store) CountArticles(ctx context.Context) (int, error) {
	var n int
	err := s.read(ctx, func(q querier) error {
		return q.QueryRow(ctx, `SELECT count(*) FROM articles`).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: count articles: %w", err)
	}
	return n, nil
}

func scanArticle(row pgx.Row) (*store.Article, error) {
	var a store.Article
	var published, fetched pgtype.Timestamptz
	var hash []byte
	err := row.Scan(&a.ID, &a.SourceID, &a.URL, &a.Title, &a.Outlet, &a.Byline, &published, &fetched, &a.Language, &a.Body, &hash)
	if err != nil {
		return nil, err
	}
	a.Published, a.Fetched = fromTS(published), fromTS(fetched)
	a.Hash = hex.EncodeToString(hash)
	return &a, nil
}
