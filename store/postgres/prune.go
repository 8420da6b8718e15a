package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsdigest/newsdigest/store"
)

// Each batch of Prune is one short transaction of at most the batch's rows:
// it locks only the rows it deletes, which no one else writes (old
// delivered rows, done slots, old articles), so replicas keep working
// meanwhile. An article batch takes the article write lock, as
// PutArticles does, so that a write deduplicating against an article
// never races its deletion. Replicas pruning at once delete each row once
// (the second waits for the first's row lock, then finds the row gone).
// Autovacuum makes the space of deleted rows free for new ones.

// oldSlot is the condition on a slot s that is done, due before the
// parameter before, and not its channel's LastSlot (in the order of
// LastSlot's query).
func oldSlot(before string) string {
	return `s.done AND s.due < ` + before + ` AND s.id <> (SELECT l.id FROM slots l
		WHERE l.channel_id = s.channel_id AND l.done ORDER BY l.due DESC, l.id DESC LIMIT 1)`
}

// sqlNotLastID keeps the article with the highest id, as the contract
// says: SQLite hands out the highest id plus one, and keeping it there and
// here keeps the backends alike (an identity column never reuses an id).
const sqlNotLastID = `id < (SELECT max(id) FROM articles)`

// firstArticle is below every article's (eff, id): Normalize refuses
// times before the year 1, and ids are positive.
var firstArticle = struct {
	eff time.Time
	id  int64
}{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), 0}

// Prune implements store.Pruner.
func (s *Store) Prune(ctx context.Context, r store.PruneRequest) (store.PruneStats, error) {
	size, err := r.BatchSize()
	if err != nil {
		return store.PruneStats{}, fmt.Errorf("postgres: %w", err)
	}
	if r.DryRun {
		st, err := s.prunable(ctx, r)
		if err != nil {
			return store.PruneStats{}, fmt.Errorf("postgres: prune (dry run): %w", err)
		}
		return st, nil
	}
	var st store.PruneStats
	if !r.Slots.IsZero() {
		err := s.pruneByChannel(ctx, &st.Slots, `DELETE FROM slots WHERE id IN (
			SELECT s.id FROM slots s WHERE s.channel_id >= $1 AND `+oldSlot("$2")+` ORDER BY s.channel_id LIMIT $3)
			RETURNING channel_id`, r.Slots, size)
		if err != nil {
			return st, fmt.Errorf("postgres: prune slots: %w", err)
		}
	}
	if !r.Delivered.IsZero() {
		err := s.pruneByChannel(ctx, &st.Delivered, `DELETE FROM delivered WHERE (channel_id, story_key) IN (
			SELECT channel_id, story_key FROM delivered WHERE channel_id >= $1 AND at < $2 ORDER BY channel_id LIMIT $3)
			RETURNING channel_id`, r.Delivered, size)
		if err != nil {
			return st, fmt.Errorf("postgres: prune delivered stories: %w", err)
		}
	}
	if !r.Articles.IsZero() {
		if err := s.pruneArticles(ctx, &st, r.Articles, size); err != nil {
			return st, fmt.Errorf("postgres: prune articles: %w", err)
		}
	}
	return st, nil
}

// pruneByChannel runs del until it deletes fewer than size rows. del
// deletes at most $3 rows older than $2 of the channels from id $1 on, in
// channel order, and returns the channel ids of what it deleted. Each batch
// starts at the last one's highest channel, which may have rows left: the
// rows of lower channels that it keeps are not read again.
func (s *Store) pruneByChannel(ctx context.Context, n *int, del string, before time.Time, size int) error {
	from := int64(0)
	for {
		var deleted int
		var last int64
		err := s.write(ctx, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `WITH d AS (`+del+`) SELECT count(*), coalesce(max(channel_id), 0) FROM d`,
				from, asStored(before), size).Scan(&deleted, &last)
		})
		if err != nil {
			return err
		}
		*n += deleted
		if deleted < size {
			return nil
		}
		from = last
	}
}

// pruneArticles deletes the old articles a window of size articles (by
// eff, id) at a time: each batch finds the window's last article and
// deletes the articles in it fetched before before too, so that the
// articles an old window keeps (fetched lately) are read once, not at
// every batch.
func (s *Store) pruneArticles(ctx context.Context, st *store.PruneStats, before time.Time, size int) error {
	after := firstArticle
	before = asStored(before)
	for {
		var inWindow, analyses, articles int64
		last := after
		err := s.write(ctx, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, sqlLock, s.articleLock); err != nil {
				return err
			}
			err := tx.QueryRow(ctx, `SELECT eff, id, count(*) OVER () FROM (
					SELECT eff, id FROM articles WHERE (eff, id) > ($1, $2) AND eff < $3 ORDER BY eff, id LIMIT $4) w
				ORDER BY eff DESC, id DESC LIMIT 1`, after.eff, after.id, before, size).Scan(&last.eff, &last.id, &inWindow)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			if err != nil {
				return err
			}
			window := `(eff, id) > ($1, $2) AND (eff, id) <= ($3, $4) AND fetched < $5 AND ` + sqlNotLastID
			args := []any{after.eff, after.id, last.eff, last.id, before}
			tag, err := tx.Exec(ctx, `DELETE FROM analyses WHERE article_id IN (SELECT id FROM articles WHERE `+window+`)`, args...)
			if err != nil {
				return err
			}
			analyses = tag.RowsAffected()
			tag, err = tx.Exec(ctx, `DELETE FROM articles WHERE `+window, args...)
			articles = tag.RowsAffected()
			return err
		})
		if err != nil {
			return err
		}
		st.Analyses += int(analyses)
		st.Articles += int(articles)
		if inWindow < int64(size) {
			return nil
		}
		after = last
	}
}

// prunable counts what Prune would delete.
func (s *Store) prunable(ctx context.Context, r store.PruneRequest) (store.PruneStats, error) {
	var st store.PruneStats
	counts := []struct {
		at    time.Time
		n     *int
		query string
	}{
		{r.Slots, &st.Slots, `SELECT count(*) FROM slots s WHERE ` + oldSlot("$1")},
		{r.Delivered, &st.Delivered, `SELECT count(*) FROM delivered WHERE at < $1`},
		{r.Articles, &st.Articles, `SELECT count(*) FROM articles WHERE eff < $1 AND fetched < $1 AND ` + sqlNotLastID},
		{r.Articles, &st.Analyses, `SELECT count(*) FROM analyses WHERE article_id IN (
			SELECT id FROM articles WHERE eff < $1 AND fetched < $1 AND ` + sqlNotLastID + `)`},
	}
	for _, c := range counts {
		if c.at.IsZero() {
			continue
		}
		err := s.read(ctx, func(q querier) error { return q.QueryRow(ctx, c.query, asStored(c.at)).Scan(c.n) })
		if err != nil {
			return store.PruneStats{}, err
		}
	}
	return st, nil
}
