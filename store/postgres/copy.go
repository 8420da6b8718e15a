package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/newsdigest/newsdigest/store"
)

// Counts implements store.Dumper.
func (s *Store) Counts(ctx context.Context) (store.Counts, error) {
	var c store.Counts
	err := s.read(ctx, func(q querier) error {
		return q.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM sources), (SELECT count(*) FROM articles), (SELECT count(*) FROM channels),
			(SELECT count(*) FROM delivered), (SELECT count(*) FROM analyses), (SELECT count(*) FROM analysis_quotes),
			(SELECT count(*) FROM slots)`).Scan(&c.Sources, &c.Articles, &c.Channels, &c.Delivered, &c.Analyses, &c.Quotes, &c.Slots)
	})
	if err != nil {
		return store.Counts{}, fmt.Errorf("postgres: counts: %w", err)
	}
	return c, nil
}

// DumpArticles implements store.Dumper, through the primary key.
func (s *Store) DumpArticles(ctx context.Context, after int64, limit int) ([]*store.Article, error) {
	limit, err := store.DumpPage(limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	var out []*store.Article
	err = s.read(ctx, func(q querier) (err error) {
		out, err = queryAll(ctx, q, scanArticle, `SELECT `+articleColumns+` FROM articles a WHERE a.id > $1 ORDER BY a.id LIMIT $2`, after, limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: dump articles: %w", err)
	}
	return out, nil
}

// DumpAnalyses implements store.Dumper: one statement reads a page of
// analyses with their quotes.
func (s *Store) DumpAnalyses(ctx context.Context, after int64, limit int) ([]*store.Analysis, error) {
	limit, err := store.DumpPage(limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	var out []*store.Analysis
	err = s.read(ctx, func(q querier) error {
		out = out[:0]
		rows, err := q.Query(ctx, `SELECT a.article_id, a.version, a.summary, a.lede,
				q.text, q.speaker, q.cue, q.partial, q.key, q.rank
			FROM (SELECT * FROM analyses WHERE article_id > $1 ORDER BY article_id LIMIT $2) a
			LEFT JOIN analysis_quotes q ON q.article_id = a.article_id
			ORDER BY a.article_id, q.idx`, after, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a store.Analysis
			var text, speaker, cue pgtype.Text
			var partial, key pgtype.Bool
			var rank pgtype.Int4
			if err := rows.Scan(&a.ArticleID, &a.Version, &a.Summary, &a.Lede,
				&text, &speaker, &cue, &partial, &key, &rank); err != nil {
				return err
			}
			if len(out) == 0 || out[len(out)-1].ArticleID != a.ArticleID {
				a.Summary = fromList(a.Summary)
				out = append(out, &a)
			}
			if text.Valid {
				last := out[len(out)-1]
				last.Quotes = append(last.Quotes, store.StoredQuote{
					Text: text.String, Speaker: speaker.String, Cue: cue.String,
					Partial: partial.Bool, Key: key.Bool, Rank: int(rank.Int32),
				})
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: dump analyses: %w", err)
	}
	return out, nil
}

// DumpSlots implements store.Dumper.
func (s *Store) DumpSlots(ctx context.Context, after int64, limit int) ([]*store.Slot, error) {
	limit, err := store.DumpPage(limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	var out []*store.Slot
	err = s.read(ctx, func(q querier) (err error) {
		out, err = queryAll(ctx, q, scanSlot, `SELECT `+slotColumns+` FROM slots WHERE id > $1 ORDER BY id LIMIT $2`, after, limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: dump slots: %w", err)
	}
	return out, nil
}

// loadError turns the constraint violations of a load into store errors:
// another record's unique key (ErrExists), a reference to a record not
// stored (ErrInvalid).
func loadError(err error) error {
	switch errorCode(err) {
	case codeUniqueViolation:
		return fmt.Errorf("%w: %w", store.ErrExists, err)
	case codeForeignKeyViolation:
		return fmt.Errorf("refers to a record not stored: %w", store.ErrInvalid)
	}
	return badText(err)
}

// load runs a batch of loading statements in a transaction, then moves the
// table's identity sequence past the largest id, so that the ids handed out
// next do not collide with loaded ones. lock, when not 0, is an advisory
// lock the transaction takes first.
func (s *Store) load(ctx context.Context, table string, lock int64, b *pgx.Batch) error {
	if b.Len() == 0 {
		return nil
	}
	err := s.write(ctx, func(tx pgx.Tx) error {
		if lock != 0 {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lock); err != nil {
				return err
			}
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return loadError(err)
		}
		_, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), max(id)) FROM `+table+
			` HAVING max(id) IS NOT NULL`, table)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: load %s: %w", table, err)
	}
	return nil
}

// LoadSources implements store.Loader. Claims are not loaded: a loaded
// source is unclaimed.
func (s *Store) LoadSources(ctx context.Context, srcs []*store.Source) error {
	b := &pgx.Batch{}
	for _, src := range srcs {
		if err := src.ValidateLoad(); err != nil {
			return fmt.Errorf("postgres: %w", err)
		}
		created := src.Created
		if created.IsZero() {
			created = nowMillis()
		}
		t := src.State
		b.Queue(`INSERT INTO sources (id, name, url, full_text, interval_ms, created,
			etag, last_modified, last_fetch, last_success, last_error, last_error_at, failures, next_poll, body_hash)
			OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, url = excluded.url, full_text = excluded.full_text,
				interval_ms = excluded.interval_ms, created = excluded.created, etag = excluded.etag,
				last_modified = excluded.last_modified, last_fetch = excluded.last_fetch,
				last_success = excluded.last_success, last_error = excluded.last_error,
				last_error_at = excluded.last_error_at, failures = excluded.failures, next_poll = excluded.next_poll,
				body_hash = excluded.body_hash, claim_owner = '', claim_until = NULL`,
			src.ID, src.Name, src.URL, string(src.FullText), src.Interval.Milliseconds(), asStored(created),
			t.ETag, t.LastModified, tsArg(t.LastFetch), tsArg(t.LastSuccess), t.LastError, tsArg(t.LastErrorAt),
			t.Failures, tsArg(t.NextPoll), t.BodyHash)
	}
	return s.load(ctx, "sources", 0, b)
}

// LoadArticles implements store.Loader. It takes the article write lock,
// as PutArticles does, so that a write in another replica deduplicates
// against the loaded articles.
func (s *Store) LoadArticles(ctx context.Context, as []*store.Article) error {
	b := &pgx.Batch{}
	for _, a := range as {
		hash, err := a.ValidateLoad()
		if err != nil {
			return fmt.Errorf("postgres: %w", err)
		}
		var url, source any
		if a.URL != "" {
			url = a.URL
		}
		if a.SourceID != 0 {
			source = a.SourceID
		}
		b.Queue(`INSERT INTO articles (id, source_id, url, title, outlet, byline, published, fetched, language, body, hash)
			OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (id) DO UPDATE SET source_id = excluded.source_id, url = excluded.url, title = excluded.title,
				outlet = excluded.outlet, byline = excluded.byline, published = excluded.published,
				fetched = excluded.fetched, language = excluded.language, body = excluded.body, hash = excluded.hash`,
			a.ID, source, url, a.Title, a.Outlet, a.Byline, tsArg(a.Published), asStored(a.Fetched), a.Language, a.Body, hash)
	}
	return s.load(ctx, "articles", s.articleLock, b)
}

// LoadChannels implements store.Loader.
func (s *Store) LoadChannels(ctx context.Context, cs []*store.Channel) error {
	b := &pgx.Batch{}
	for _, c := range cs {
		if err := c.Validate(); err != nil {
			return fmt.Errorf("postgres: load channels: %w", err)
		}
		if c.ID <= 0 {
			return fmt.Errorf("postgres: load channels: %s/%s: no id: %w", c.Platform, c.ChatID, store.ErrInvalid)
		}
		created := c.Created
		if created.IsZero() {
			created = nowMillis()
		}
		b.Queue(`INSERT INTO channels (id, platform, chat_id, guild_id, title, time_zone, schedule,
			topics, filters, max_stories, paused, pause_reason, paused_at, last_digest, created)
			OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
			ON CONFLICT (id) DO UPDATE SET platform = excluded.platform, chat_id = excluded.chat_id,
				guild_id = excluded.guild_id, title = excluded.title, time_zone = excluded.time_zone,
				schedule = excluded.schedule, topics = excluded.topics, filters = excluded.filters,
				max_stories = excluded.max_stories, paused = excluded.paused, pause_reason = excluded.pause_reason,
				paused_at = excluded.paused_at, last_digest = excluded.last_digest, created = excluded.created`,
			c.ID, c.Platform, c.ChatID, c.GuildID, c.Title, c.TimeZone, c.Schedule, list(c.Topics), list(c.Filters),
			c.MaxStories, c.Paused, c.PauseReason, tsArg(c.PausedAt), tsArg(c.LastDigest), asStored(created))
	}
	return s.load(ctx, "channels", 0, b)
}

// LoadSlots implements store.Loader.
func (s *Store) LoadSlots(ctx context.Context, ss []*store.Slot) error {
	b := &pgx.Batch{}
	for _, sl := range ss {
		if err := sl.ValidateLoad(); err != nil {
			return fmt.Errorf("postgres: %w", err)
		}
		b.Queue(`INSERT INTO slots (`+slotColumns+`)
			OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
			ON CONFLICT (id) DO UPDATE SET channel_id = excluded.channel_id, local = excluded.local,
				due = excluded.due, owner = excluded.owner, lease_until = excluded.lease_until,
				attempts = excluded.attempts, done = excluded.done, message_ids = excluded.message_ids,
				sent_at = excluded.sent_at, last_error = excluded.last_error, skipped = excluded.skipped,
				retry_at = excluded.retry_at`,
			sl.ID, sl.ChannelID, sl.Local, asStored(sl.Due), sl.Owner, tsArg(sl.LeaseUntil), sl.Attempts, sl.Done,
			list(sl.MessageIDs), tsArg(sl.SentAt), sl.LastError, sl.Skipped, tsArg(sl.RetryAt))
	}
	return s.load(ctx, "slots", 0, b)
}
