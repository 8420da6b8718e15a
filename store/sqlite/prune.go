package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

// Each batch of Prune is one write transaction of at most the batch's rows,
// and after each Prune waits as long as the batch took: writers in this
// process queue for the write connection and get it in between, and a
// writer in another process (whose busy handler polls for the lock) finds
// it free at least half the time.
//
// Deleted articles leave the full-text index through the delete trigger
// (0001_init.sql) and take their analyses and quotes with them (ON DELETE
// CASCADE; analyses are deleted first only to count them). The pages freed
// go to SQLite's freelist and later writes reuse them, so the file stops
// growing at about a retention period's worth of data. There is no VACUUM:
// it would rewrite the whole file under an exclusive lock, to give back
// space that is about to be used again.

const (
	// sqlOldSlot is the condition on a slot s that is done, due before ?,
	// and not its channel's LastSlot (in the order of LastSlot's query).
	sqlOldSlot = `s.done = 1 AND s.due < ? AND s.id <> (SELECT l.id FROM slots l
		WHERE l.channel_id = s.channel_id AND l.done = 1 ORDER BY l.due DESC, l.id DESC LIMIT 1)`
	// The batches of pruneByChannel: from a channel id, before, how many.
	sqlPruneSlots = `DELETE FROM slots WHERE id IN (
		SELECT s.id FROM slots s WHERE s.channel_id >= ? AND ` + sqlOldSlot + ` ORDER BY s.channel_id LIMIT ?)
		RETURNING channel_id`
	sqlPruneDelivered = `DELETE FROM delivered WHERE (channel_id, story_key) IN (
		SELECT channel_id, story_key FROM delivered WHERE channel_id >= ? AND at < ? ORDER BY channel_id LIMIT ?)
		RETURNING channel_id`
	// sqlNotLastID keeps the article with the highest id: a new article's
	// id is the highest plus one (see sqlInsertArticle), and an id must
	// never be handed out again, for a delivered row or a cache keyed by
	// id to mean one article.
	sqlNotLastID = `id < (SELECT max(id) FROM articles)`
	// sqlArticleWindow is the size and last key of the next window of
	// pruneArticles: after a key, before a key, how many.
	sqlArticleWindow = `SELECT count(*), max(sort_key) FROM (
		SELECT sort_key FROM articles WHERE sort_key > ? AND sort_key < ? ORDER BY sort_key LIMIT ?)`
)

// Prune implements store.Pruner.
func (s *Store) Prune(ctx context.Context, r store.PruneRequest) (store.PruneStats, error) {
	size, err := r.BatchSize()
	if err != nil {
		return store.PruneStats{}, fmt.Errorf("sqlite: %w", err)
	}
	if r.DryRun {
		st, err := s.prunable(ctx, r)
		if err != nil {
			return store.PruneStats{}, fmt.Errorf("sqlite: prune (dry run): %w", err)
		}
		return st, nil
	}
	var st store.PruneStats
	p := &pacer{s: s}
	if !r.Slots.IsZero() {
		if err := p.byChannel(ctx, &st.Slots, sqlPruneSlots, r.Slots, size); err != nil {
			return st, fmt.Errorf("sqlite: prune slots: %w", err)
		}
	}
	if !r.Delivered.IsZero() {
		if err := p.byChannel(ctx, &st.Delivered, sqlPruneDelivered, r.Delivered, size); err != nil {
			return st, fmt.Errorf("sqlite: prune delivered stories: %w", err)
		}
	}
	if !r.Articles.IsZero() {
		if err := p.articles(ctx, &st, r.Articles, size); err != nil {
			return st, fmt.Errorf("sqlite: prune articles: %w", err)
		}
	}
	return st, nil
}

// pacer runs Prune's batches, each in a write transaction, and before
// each but the first waits as long as the last one took (see above).
type pacer struct {
	s    *Store
	took time.Duration
}

func (p *pacer) tx(ctx context.Context, batch func(tx *sql.Tx) error) error {
	if p.took > 0 {
		wait := time.NewTimer(p.took)
		select {
		case <-ctx.Done():
			wait.Stop()
			return ctx.Err()
		case <-wait.C:
		}
	}
	start := time.Now()
	err := p.s.inTx(ctx, batch)
	p.took = time.Since(start)
	return err
}

// byChannel runs del until it deletes fewer than size rows. del deletes at
// most size rows older than before of the channels from an id on, in
// channel order (its parameters: the id, before, size), and returns the
// channel ids of what it deleted. Each batch starts at the last one's
// highest channel, which may have rows left: the rows of lower channels
// that it keeps are not read again.
func (p *pacer) byChannel(ctx context.Context, n *int, del string, before time.Time, size int) error {
	for from := int64(0); ; {
		var chans []int64
		err := p.tx(ctx, func(tx *sql.Tx) (err error) {
			chans, err = queryAll(ctx, tx, scanInt64, del, from, before.UnixMilli(), size)
			return err
		})
		if err != nil {
			return err
		}
		*n += len(chans)
		if len(chans) < size {
			return nil
		}
		from = slices.Max(chans)
	}
}

// articles deletes the old articles a window of size sort keys at a time:
// each batch finds the window's last key and deletes the articles in it
// fetched before before too, so that the articles an old window keeps
// (fetched lately) are read once, not at every batch.
func (p *pacer) articles(ctx context.Context, st *store.PruneStats, before time.Time, size int) error {
	for after := int64(math.MinInt64); ; {
		var inWindow int
		var last sql.NullInt64
		var analyses, articles int64
		err := p.tx(ctx, func(tx *sql.Tx) error {
			err := tx.QueryRowContext(ctx, sqlArticleWindow, after, keyFloor(before), size).Scan(&inWindow, &last)
			if err != nil || !last.Valid {
				return err
			}
			window := `sort_key > ? AND sort_key <= ? AND fetched < ? AND ` + sqlNotLastID
			args := []any{after, last.Int64, before.UnixMilli()}
			if analyses, err = deleted(tx.ExecContext(ctx, `DELETE FROM analyses WHERE article_id IN (
				SELECT id FROM articles WHERE `+window+`)`, args...)); err != nil {
				return err
			}
			articles, err = deleted(tx.ExecContext(ctx, `DELETE FROM articles WHERE `+window, args...))
			return err
		})
		if err != nil {
			return err
		}
		st.Analyses += int(analyses)
		st.Articles += int(articles)
		if inWindow < size {
			return nil
		}
		after = last.Int64
	}
}

// deleted is how many rows a DELETE deleted.
func deleted(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// sqlOldArticle is the condition of an article Prune deletes: its sort key
// before one (its effective time before a time), its fetch time before a
// time, and not the highest id.
const sqlOldArticle = `sort_key < ? AND fetched < ? AND ` + sqlNotLastID

// prunable counts what Prune would delete.
func (s *Store) prunable(ctx context.Context, r store.PruneRequest) (store.PruneStats, error) {
	var st store.PruneStats
	counts := []struct {
		at    time.Time
		n     *int
		query string
		args  []any
	}{
		{r.Slots, &st.Slots, `SELECT count(*) FROM slots s WHERE ` + sqlOldSlot, []any{r.Slots.UnixMilli()}},
		{r.Delivered, &st.Delivered, `SELECT count(*) FROM delivered WHERE at < ?`, []any{r.Delivered.UnixMilli()}},
		{r.Articles, &st.Articles, `SELECT count(*) FROM articles WHERE ` + sqlOldArticle,
			[]any{keyFloor(r.Articles), r.Articles.UnixMilli()}},
		{r.Articles, &st.Analyses, `SELECT count(*) FROM analyses WHERE article_id IN (
			SELECT id FROM articles WHERE ` + sqlOldArticle + `)`, []any{keyFloor(r.Articles), r.Articles.UnixMilli()}},
	}
	for _, c := range counts {
		if c.at.IsZero() {
			continue
		}
		if err := s.r.QueryRowContext(ctx, c.query, c.args...).Scan(c.n); err != nil {
			return store.PruneStats{}, err
		}
	}
	return st, nil
}

func scanInt64(sc scanner) (int64, error) {
	var n int64
	err := sc.Scan(&n)
	return n, err
}
