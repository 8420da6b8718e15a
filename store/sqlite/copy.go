package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

// Counts implements store.Dumper.
func (s *Store) Counts(ctx context.Context) (store.Counts, error) {
	var c store.Counts
	err := s.r.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM sources), (SELECT count(*) FROM articles), (SELECT count(*) FROM channels),
		(SELECT count(*) FROM delivered), (SELECT count(*) FROM analyses), (SELECT count(*) FROM analysis_quotes),
		(SELECT count(*) FROM slots)`).Scan(&c.Sources, &c.Articles, &c.Channels, &c.Delivered, &c.Analyses, &c.Quotes, &c.Slots)
	if err != nil {
		return store.Counts{}, fmt.Errorf("sqlite: counts: %w", err)
	}
	return c, nil
}

// DumpArticles implements store.Dumper, through the id index.
func (s *Store) DumpArticles(ctx context.Context, after int64, limit int) ([]*store.Article, error) {
	limit, err := store.DumpPage(limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	out, err := queryAll(ctx, s.r, scanArticle, `SELECT `+articleColumns+` FROM articles WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: dump articles: %w", err)
	}
	return out, nil
}

// DumpAnalyses implements store.Dumper: one statement reads a page of
// analyses with their quotes.
func (s *Store) DumpAnalyses(ctx context.Context, after int64, limit int) ([]*store.Analysis, error) {
	limit, err := store.DumpPage(limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT a.article_id, a.version, a.summary, a.lede,
			q.text, q.speaker, q.cue, q.partial, q.key, q.rank
		FROM (SELECT * FROM analyses WHERE article_id > ? ORDER BY article_id LIMIT ?) a
		LEFT JOIN analysis_quotes q ON q.article_id = a.article_id
		ORDER BY a.article_id, q.idx`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: dump analyses: %w", err)
	}
	defer rows.Close()
	var out []*store.Analysis
	for rows.Next() {
		var a store.Analysis
		var summary string
		var q struct {
			text, speaker, cue sql.NullString
			partial, key       sql.NullBool
			rank               sql.NullInt64
		}
		if err := rows.Scan(&a.ArticleID, &a.Version, &summary, &a.Lede,
			&q.text, &q.speaker, &q.cue, &q.partial, &q.key, &q.rank); err != nil {
			return nil, fmt.Errorf("sqlite: dump analyses: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].ArticleID != a.ArticleID {
			if a.Summary, err = parseList(summary); err != nil {
				return nil, fmt.Errorf("sqlite: dump analyses: article %d: summary: %w", a.ArticleID, err)
			}
			out = append(out, &a)
		}
		if q.text.Valid {
			last := out[len(out)-1]
			last.Quotes = append(last.Quotes, store.StoredQuote{
				Text: q.text.String, Speaker: q.speaker.String, Cue: q.cue.String,
				Partial: q.partial.Bool, Key: q.key.Bool, Rank: int(q.rank.Int64),
			})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: dump analyses: %w", err)
	}
	return out, nil
}

// DumpSlots implements store.Dumper.
func (s *Store) DumpSlots(ctx context.Context, after int64, limit int) ([]*store.Slot, error) {
	limit, err := store.DumpPage(limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	out, err := queryAll(ctx, s.r, scanSlot, `SELECT `+slotColumns+` FROM slots WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: dump slots: %w", err)
	}
	return out, nil
}

// loadError turns the constraint failures of a load into store errors:
// another record's unique key (ErrExists), a reference to a record not
// stored (ErrInvalid).
func loadError(err error) error {
	switch errorCode(err) {
	case codeConstraintUnique, codeConstraintPrimaryKey:
		return fmt.Errorf("%w: %w", store.ErrExists, err)
	case codeConstraintForeignKey:
		return fmt.Errorf("refers to a record not stored: %w", store.ErrInvalid)
	}
	return err
}

// LoadSources implements store.Loader. Claims are not loaded: a loaded
// source is unclaimed.
func (s *Store) LoadSources(ctx context.Context, srcs []*store.Source) error {
	for _, src := range srcs {
		if err := src.ValidateLoad(); err != nil {
			return fmt.Errorf("sqlite: %w", err)
		}
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO sources (id, name, url, full_text, interval_ms, created,
			etag, last_modified, last_fetch, last_success, last_error, last_error_at, failures, next_poll, body_hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, url = excluded.url, full_text = excluded.full_text,
				interval_ms = excluded.interval_ms, created = excluded.created, etag = excluded.etag,
				last_modified = excluded.last_modified, last_fetch = excluded.last_fetch,
				last_success = excluded.last_success, last_error = excluded.last_error,
				last_error_at = excluded.last_error_at, failures = excluded.failures, next_poll = excluded.next_poll,
				body_hash = excluded.body_hash, claim_owner = '', claim_until = NULL`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, src := range srcs {
			t := src.State
			if _, err := st.ExecContext(ctx, src.ID, src.Name, src.URL, string(src.FullText), src.Interval.Milliseconds(),
				createdMillis(src.Created), t.ETag, t.LastModified, toMillis(t.LastFetch), toMillis(t.LastSuccess),
				t.LastError, toMillis(t.LastErrorAt), t.Failures, toMillis(t.NextPoll), t.BodyHash); err != nil {
				return fmt.Errorf("source %d (%s): %w", src.ID, src.URL, loadError(err))
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: load sources: %w", err)
	}
	return nil
}

// LoadChannels implements store.Loader.
func (s *Store) LoadChannels(ctx context.Context, cs []*store.Channel) error {
	type lists struct{ topics, filters string }
	ls := make([]lists, len(cs))
	for i, c := range cs {
		if err := c.Validate(); err != nil {
			return fmt.Errorf("sqlite: load channels: %w", err)
		}
		if c.ID <= 0 {
			return fmt.Errorf("sqlite: load channels: %s/%s: no id: %w", c.Platform, c.ChatID, store.ErrInvalid)
		}
		var err error
		if ls[i].topics, err = jsonList(c.Topics); err != nil {
			return fmt.Errorf("sqlite: load channels: %w", err)
		}
		if ls[i].filters, err = jsonList(c.Filters); err != nil {
			return fmt.Errorf("sqlite: load channels: %w", err)
		}
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO channels (id, platform, chat_id, guild_id, title, time_zone,
			schedule, topics, filters, max_stories, paused, pause_reason, paused_at, last_digest, created)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET platform = excluded.platform, chat_id = excluded.chat_id,
				guild_id = excluded.guild_id, title = excluded.title, time_zone = excluded.time_zone,
				schedule = excluded.schedule, topics = excluded.topics, filters = excluded.filters,
				max_stories = excluded.max_stories, paused = excluded.paused, pause_reason = excluded.pause_reason,
				paused_at = excluded.paused_at, last_digest = excluded.last_digest, created = excluded.created`)
		if err != nil {
			return err
		}
		defer st.Close()
		for i, c := range cs {
			if _, err := st.ExecContext(ctx, c.ID, c.Platform, c.ChatID, c.GuildID, c.Title, c.TimeZone, c.Schedule,
				ls[i].topics, ls[i].filters, c.MaxStories, c.Paused, c.PauseReason, toMillis(c.PausedAt),
				toMillis(c.LastDigest), createdMillis(c.Created)); err != nil {
				return fmt.Errorf("channel %d (%s/%s): %w", c.ID, c.Platform, c.ChatID, loadError(err))
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: load channels: %w", err)
	}
	return nil
}

// LoadSlots implements store.Loader.
func (s *Store) LoadSlots(ctx context.Context, ss []*store.Slot) error {
	ids := make([]string, len(ss))
	for i, sl := range ss {
		if err := sl.ValidateLoad(); err != nil {
			return fmt.Errorf("sqlite: %w", err)
		}
		var err error
		if ids[i], err = jsonList(sl.MessageIDs); err != nil {
			return fmt.Errorf("sqlite: load slots: %w", err)
		}
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO slots (`+slotColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET channel_id = excluded.channel_id, local = excluded.local,
				due = excluded.due, owner = excluded.owner, lease_until = excluded.lease_until,
				attempts = excluded.attempts, done = excluded.done, message_ids = excluded.message_ids,
				sent_at = excluded.sent_at, last_error = excluded.last_error, skipped = excluded.skipped,
				retry_at = excluded.retry_at`)
		if err != nil {
			return err
		}
		defer st.Close()
		for i, sl := range ss {
			if _, err := st.ExecContext(ctx, sl.ID, sl.ChannelID, sl.Local, sl.Due.UnixMilli(), sl.Owner,
				toMillis(sl.LeaseUntil), sl.Attempts, sl.Done, ids[i], toMillis(sl.SentAt), sl.LastError,
				sl.Skipped, toMillis(sl.RetryAt)); err != nil {
				return fmt.Errorf("slot %d (channel %d, %s): %w", sl.ID, sl.ChannelID, sl.Local, loadError(err))
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: load slots: %w", err)
	}
	return nil
}

// LoadArticles implements store.Loader. An article is written under its
// own id with a new sort key (keys are this database's own), and indexed
// for search at the end of the transaction as the write path does (see
// batch). An article stored already with the same content is left alone.
func (s *Store) LoadArticles(ctx context.Context, as []*store.Article) error {
	hashes := make([][]byte, len(as))
	for i, a := range as {
		var err error
		if hashes[i], err = a.ValidateLoad(); err != nil {
			return fmt.Errorf("sqlite: %w", err)
		}
	}
	if len(as) == 0 {
		return nil
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		bt := batch{
			maxKey:     tx.StmtContext(ctx, s.maxKey),
			ftsUnindex: tx.StmtContext(ctx, s.ftsUnindex),
			ftsIndex:   tx.StmtContext(ctx, s.ftsIndex),
			unindexed:  map[int64]bool{},
		}
		find, err := tx.PrepareContext(ctx, `SELECT sort_key, `+articleColumns+` FROM articles WHERE id = ?`)
		if err != nil {
			return err
		}
		defer find.Close()
		insert, err := tx.PrepareContext(ctx, `INSERT INTO articles (sort_key, id, source_id, url, title, outlet,
			byline, published, fetched, language, body, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer insert.Close()
		update, err := tx.PrepareContext(ctx, `UPDATE articles SET sort_key = ?, source_id = ?, url = ?, title = ?,
			outlet = ?, byline = ?, published = ?, fetched = ?, language = ?, body = ?, hash = ? WHERE id = ?`)
		if err != nil {
			return err
		}
		defer update.Close()
		for i, a := range as {
			if err := bt.load(ctx, find, insert, update, a, hashes[i]); err != nil {
				return fmt.Errorf("article %d (%s): %w", a.ID, a.URL, loadError(err))
			}
		}
		if err := bt.index(ctx); err != nil {
			return fmt.Errorf("full-text index: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: load articles: %w", err)
	}
	return nil
}

// load writes one article under its id: inserted when the id is new,
// overwritten (and taken out of the full-text index first) when it holds
// something else, left alone when it holds the same.
func (bt *batch) load(ctx context.Context, find, insert, update *sql.Stmt, a *store.Article, hash []byte) error {
	var key int64
	old, err := scanArticle(scannerFunc(func(dest ...any) error {
		return find.QueryRowContext(ctx, a.ID).Scan(append([]any{&key}, dest...)...)
	}))
	var urlArg any
	if a.URL != "" {
		urlArg = a.URL
	}
	eff := a.EffectiveTime()
	switch {
	case errors.Is(err, sql.ErrNoRows):
		newKey, err := bt.newKey(ctx, eff)
		if err != nil {
			return err
		}
		if _, err := insert.ExecContext(ctx, newKey, a.ID, nullID(a.SourceID), urlArg, a.Title, a.Outlet, a.Byline,
			toMillis(a.Published), a.Fetched.UnixMilli(), a.Language, a.Body, hash); err != nil {
			return err
		}
		bt.unindexed[newKey] = true
		return nil
	case err != nil:
		return err
	case sameArticle(old, a):
		return nil
	}
	newKey := key
	if !old.EffectiveTime().Equal(asStored(eff)) {
		if newKey, err = bt.newKey(ctx, eff); err != nil {
			return err
		}
	}
	if bt.unindexed[key] {
		delete(bt.unindexed, key) // written earlier in this batch: not in the index yet
	} else if _, err := bt.ftsUnindex.ExecContext(ctx, a.ID); err != nil {
		return err
	}
	if _, err := update.ExecContext(ctx, newKey, nullID(a.SourceID), urlArg, a.Title, a.Outlet, a.Byline,
		toMillis(a.Published), a.Fetched.UnixMilli(), a.Language, a.Body, hash, a.ID); err != nil {
		return err
	}
	bt.unindexed[newKey] = true
	return nil
}

// sameArticle reports whether the stored article old holds what a would
// write.
func sameArticle(old, a *store.Article) bool {
	return old.SourceID == a.SourceID && old.URL == a.URL && old.Title == a.Title && old.Outlet == a.Outlet &&
		old.Byline == a.Byline && old.Published.Equal(asStoredOrZero(a.Published)) &&
		old.Fetched.Equal(asStored(a.Fetched)) && old.Language == a.Language && old.Body == a.Body &&
		old.Hash == a.Hash
}

func asStoredOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return asStored(t)
}

// scannerFunc makes a function a scanner.
type scannerFunc func(dest ...any) error

func (f scannerFunc) Scan(dest ...any) error { return f(dest...) }
