package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/newsdigest/newsdigest/store"
)

const channelColumns = `id, platform, chat_id, guild_id, title, time_zone, schedule, topics, filters,
	max_stories, paused, pause_reason, paused_at, last_digest, created`

// SaveChannel implements store.ChannelStore: an upsert on (platform,
// chat_id) that keeps the stored id and creation time.
func (s *Store) SaveChannel(ctx context.Context, c *store.Channel) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("postgres: save channel: %w", err)
	}
	var id int64
	var created time.Time
	err := s.pool.QueryRow(ctx, `INSERT INTO channels (platform, chat_id, guild_id, title, time_zone, schedule,
		topics, filters, max_stories, paused, pause_reason, paused_at, last_digest, created)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT (platform, chat_id) DO UPDATE SET
			guild_id = excluded.guild_id, title = excluded.title, time_zone = excluded.time_zone,
			schedule = excluded.schedule, topics = excluded.topics, filters = excluded.filters,
			max_stories = excluded.max_stories, paused = excluded.paused, pause_reason = excluded.pause_reason,
			paused_at = excluded.paused_at, last_digest = excluded.last_digest
		RETURNING id, created`,
		c.Platform, c.ChatID, c.GuildID, c.Title, c.TimeZone, c.Schedule, list(c.Topics), list(c.Filters),
		c.MaxStories, c.Paused, c.PauseReason, tsArg(c.PausedAt), tsArg(c.LastDigest), createdArg(c.Created)).Scan(&id, &created)
	if err != nil {
		return fmt.Errorf("postgres: save channel %s/%s: %w", c.Platform, c.ChatID, badText(s.checkConn(err)))
	}
	c.ID, c.Created = id, created.UTC()
	return nil
}

// Channel implements store.ChannelStore.
func (s *Store) Channel(ctx context.Context, platform, chatID string) (*store.Channel, error) {
	var c *store.Channel
	err := s.read(ctx, func(q querier) (err error) {
		c, err = scanChannel(q.QueryRow(ctx, `SELECT `+channelColumns+` FROM channels
			WHERE platform = $1 AND chat_id = $2`, platform, chatID))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("postgres: channel %s/%s: %w", platform, chatID, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: channel %s/%s: %w", platform, chatID, badText(err))
	}
	return c, nil
}

// Channels implements store.ChannelStore.
func (s *Store) Channels(ctx context.Context, platform string) ([]*store.Channel, error) {
	var cs []*store.Channel
	err := s.read(ctx, func(q querier) (err error) {
		cs, err = queryAll(ctx, q, scanChannel, `SELECT `+channelColumns+` FROM channels
			WHERE $1 = '' OR platform = $1 ORDER BY id`, platform)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: channels: %w", badText(err))
	}
	return cs, nil
}

// MoveChannel implements store.ChannelStore. Deliveries and slots refer to
// the channel by id, so changing the chat id moves them too.
func (s *Store) MoveChannel(ctx context.Context, platform, from, to string) error {
	if to == "" {
		return fmt.Errorf("postgres: move channel %s/%s: empty new chat id: %w", platform, from, store.ErrInvalid)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE channels SET chat_id = $1 WHERE platform = $2 AND chat_id = $3`, to, platform, from)
	if err != nil {
		if errorCode(err) == codeUniqueViolation {
			return fmt.Errorf("postgres: move channel %s/%s to %s: %w", platform, from, to, store.ErrExists)
		}
		return fmt.Errorf("postgres: move channel %s/%s to %s: %w", platform, from, to, badText(s.checkConn(err)))
	}
	if err := oneRow(tag); err != nil {
		return fmt.Errorf("postgres: move channel %s/%s to %s: %w", platform, from, to, err)
	}
	return nil
}

// DeleteChannel implements store.ChannelStore; the foreign keys cascade to
// deliveries and slots.
func (s *Store) DeleteChannel(ctx context.Context, id int64) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM channels WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("postgres: delete channel %d: %w", id, s.checkConn(err))
	}
	if err := oneRow(tag); err != nil {
		return fmt.Errorf("postgres: delete channel %d: %w", id, err)
	}
	return nil
}

// MarkDelivered implements store.ChannelStore. The upserts go in one
// pipelined batch; they run one after another, so a story key given twice
// keeps its later delivery as it would across calls.
func (s *Store) MarkDelivered(ctx context.Context, channelID int64, ds []store.Delivered) error {
	for _, d := range ds {
		if err := d.Validate(); err != nil {
			return fmt.Errorf("postgres: mark delivered to channel %d: %w", channelID, err)
		}
	}
	err := s.write(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(`SELECT 1 FROM channels WHERE id = $1 FOR KEY SHARE`, channelID).QueryRow(func(row pgx.Row) error {
			var one int
			err := row.Scan(&one)
			if errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("channel %d: %w", channelID, store.ErrNotFound)
			}
			return err
		})
		for _, d := range ds {
			ids := d.ArticleIDs
			if ids == nil {
				ids = []int64{}
			}
			b.Queue(`INSERT INTO delivered (channel_id, story_key, articles, article_ids, at) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (channel_id, story_key) DO UPDATE SET
					articles = excluded.articles, article_ids = excluded.article_ids, at = excluded.at
				WHERE excluded.at >= delivered.at`, channelID, d.StoryKey, d.Articles, ids, asStored(d.At))
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("postgres: mark delivered to channel %d: %w", channelID, badText(err))
	}
	return nil
}

// DeliveredSince implements store.ChannelStore.
func (s *Store) DeliveredSince(ctx context.Context, channelID int64, since time.Time) (map[string]store.Delivered, error) {
	var out map[string]store.Delivered
	err := s.read(ctx, func(q querier) error {
		out = map[string]store.Delivered{}
		rows, err := q.Query(ctx, `SELECT story_key, articles, article_ids, at FROM delivered
			WHERE channel_id = $1 AND at >= $2`, channelID, asStored(since))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d store.Delivered
			if err := rows.Scan(&d.StoryKey, &d.Articles, &d.ArticleIDs, &d.At); err != nil {
				return err
			}
			if len(d.ArticleIDs) == 0 {
				d.ArticleIDs = nil
			}
			d.At = d.At.UTC()
			out[d.StoryKey] = d
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: delivered to channel %d: %w", channelID, err)
	}
	return out, nil
}

func scanChannel(row pgx.Row) (*store.Channel, error) {
	var c store.Channel
	var pausedAt, lastDigest pgtype.Timestamptz
	var created time.Time
	err := row.Scan(&c.ID, &c.Platform, &c.ChatID, &c.GuildID, &c.Title, &c.TimeZone, &c.Schedule, &c.Topics, &c.Filters,
		&c.MaxStories, &c.Paused, &c.PauseReason, &pausedAt, &lastDigest, &created)
	if err != nil {
		return nil, err
	}
	c.Topics, c.Filters = fromList(c.Topics), fromList(c.Filters)
	c.PausedAt, c.LastDigest, c.Created = fromTS(pausedAt), fromTS(lastDigest), created.UTC()
	return &c, nil
}

// createdArg is a new channel's creation time: the one given, else now.
func createdArg(t time.Time) time.Time {
	if t.IsZero() {
		return nowMillis()
	}
	return asStored(t)
}
