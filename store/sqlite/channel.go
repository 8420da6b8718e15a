package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

const channelColumns = `id, platform, chat_id, guild_id, title, time_zone, schedule, topics, filters,
	max_stories, paused, pause_reason, paused_at, last_digest, created`

// SaveChannel implements store.ChannelStore: an upsert on (platform,
// chat_id) that keeps the stored id and creation time.
func (s *Store) SaveChannel(ctx context.Context, c *store.Channel) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("sqlite: save channel: %w", err)
	}
	topics, err := jsonList(c.Topics)
	if err != nil {
		return fmt.Errorf("sqlite: save channel %s/%s: %w", c.Platform, c.ChatID, err)
	}
	filters, err := jsonList(c.Filters)
	if err != nil {
		return fmt.Errorf("sqlite: save channel %s/%s: %w", c.Platform, c.ChatID, err)
	}
	var id, created int64
	err = s.w.QueryRowContext(ctx, `INSERT INTO channels (platform, chat_id, guild_id, title, time_zone, schedule,
		topics, filters, max_stories, paused, pause_reason, paused_at, last_digest, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (platform, chat_id) DO UPDATE SET
			guild_id = excluded.guild_id, title = excluded.title, time_zone = excluded.time_zone,
			schedule = excluded.schedule, topics = excluded.topics, filters = excluded.filters,
			max_stories = excluded.max_stories, paused = excluded.paused, pause_reason = excluded.pause_reason,
			paused_at = excluded.paused_at, last_digest = excluded.last_digest
		RETURNING id, created`,
		c.Platform, c.ChatID, c.GuildID, c.Title, c.TimeZone, c.Schedule, topics, filters,
		c.MaxStories, c.Paused, c.PauseReason, toMillis(c.PausedAt), toMillis(c.LastDigest),
		createdMillis(c.Created)).Scan(&id, &created)
	if err != nil {
		return fmt.Errorf("sqlite: save channel %s/%s: %w", c.Platform, c.ChatID, err)
	}
	c.ID, c.Created = id, time.UnixMilli(created).UTC()
	return nil
}

// Channel implements store.ChannelStore.
func (s *Store) Channel(ctx context.Context, platform, chatID string) (*store.Channel, error) {
	c, err := scanChannel(s.r.QueryRowContext(ctx, `SELECT `+channelColumns+` FROM channels
		WHERE platform = ? AND chat_id = ?`, platform, chatID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlite: channel %s/%s: %w", platform, chatID, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: channel %s/%s: %w", platform, chatID, err)
	}
	return c, nil
}

// Channels implements store.ChannelStore.
func (s *Store) Channels(ctx context.Context, platform string) ([]*store.Channel, error) {
	cs, err := queryAll(ctx, s.r, scanChannel, `SELECT `+channelColumns+` FROM channels
		WHERE ? = '' OR platform = ? ORDER BY id`, platform, platform)
	if err != nil {
		return nil, fmt.Errorf("sqlite: channels: %w", err)
	}
	return cs, nil
}

// MoveChannel implements store.ChannelStore. Deliveries and slots refer to
// the channel by id, so changing the chat id moves them too.
func (s *Store) MoveChannel(ctx context.Context, platform, from, to string) error {
	if to == "" {
		return fmt.Errorf("sqlite: move channel %s/%s: empty new chat id: %w", platform, from, store.ErrInvalid)
	}
	res, err := s.w.ExecContext(ctx, `UPDATE channels SET chat_id = ? WHERE platform = ? AND chat_id = ?`, to, platform, from)
	if err != nil {
		if code := errorCode(err); code == codeConstraintUnique {
			return fmt.Errorf("sqlite: move channel %s/%s to %s: %w", platform, from, to, store.ErrExists)
		}
		return fmt.Errorf("sqlite: move channel %s/%s to %s: %w", platform, from, to, err)
	}
	if err := oneRow(res); err != nil {
		return fmt.Errorf("sqlite: move channel %s/%s to %s: %w", platform, from, to, err)
	}
	return nil
}

// DeleteChannel implements store.ChannelStore; the foreign keys cascade to
// deliveries and slots.
func (s *Store) DeleteChannel(ctx context.Context, id int64) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM channels WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("sqlite: delete channel %d: %w", id, err)
	}
	if err := oneRow(res); err != nil {
		return fmt.Errorf("sqlite: delete channel %d: %w", id, err)
	}
	return nil
}

// MarkDelivered implements store.ChannelStore.
func (s *Store) MarkDelivered(ctx context.Context, channelID int64, ds []store.Delivered) error {
	for _, d := range ds {
		if err := d.Validate(); err != nil {
			return fmt.Errorf("sqlite: mark delivered to channel %d: %w", channelID, err)
		}
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := channelExists(ctx, tx, channelID); err != nil {
			return err
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO delivered (channel_id, story_key, articles, article_ids, at)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (channel_id, story_key) DO UPDATE SET
				articles = excluded.articles, article_ids = excluded.article_ids, at = excluded.at
			WHERE excluded.at >= delivered.at`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, d := range ds {
			if _, err := st.ExecContext(ctx, channelID, d.StoryKey, d.Articles, idList(d.ArticleIDs), d.At.UnixMilli()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: mark delivered to channel %d: %w", channelID, err)
	}
	return nil
}

// channelExists gives ErrNotFound unless the channel is stored.
func channelExists(ctx context.Context, tx *sql.Tx, id int64) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM channels WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("channel %d: %w", id, store.ErrNotFound)
	}
	return err
}

// DeliveredSince implements store.ChannelStore.
func (s *Store) DeliveredSince(ctx context.Context, channelID int64, since time.Time) (map[string]store.Delivered, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT story_key, articles, article_ids, at FROM delivered
		WHERE channel_id = ? AND at >= ?`, channelID, since.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("sqlite: delivered to channel %d: %w", channelID, err)
	}
	defer rows.Close()
	out := map[string]store.Delivered{}
	for rows.Next() {
		var d store.Delivered
		var at int64
		var articleIDs string
		if err := rows.Scan(&d.StoryKey, &d.Articles, &articleIDs, &at); err != nil {
			return nil, fmt.Errorf("sqlite: delivered to channel %d: %w", channelID, err)
		}
		if err := json.Unmarshal([]byte(articleIDs), &d.ArticleIDs); err != nil {
			return nil, fmt.Errorf("sqlite: delivered to channel %d: story %s: article ids: %w", channelID, d.StoryKey, err)
		}
		if len(d.ArticleIDs) == 0 {
			d.ArticleIDs = nil
		}
		d.At = time.UnixMilli(at).UTC()
		out[d.StoryKey] = d
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: delivered to channel %d: %w", channelID, err)
	}
	return out, nil
}

func scanChannel(sc scanner) (*store.Channel, error) {
	var c store.Channel
	var topics, filters string
	var pausedAt, lastDigest sql.NullInt64
	var created int64
	err := sc.Scan(&c.ID, &c.Platform, &c.ChatID, &c.GuildID, &c.Title, &c.TimeZone, &c.Schedule, &topics, &filters,
		&c.MaxStories, &c.Paused, &c.PauseReason, &pausedAt, &lastDigest, &created)
	if err != nil {
		return nil, err
	}
	if c.Topics, err = parseList(topics); err != nil {
		return nil, fmt.Errorf("channel %d: topics: %w", c.ID, err)
	}
	if c.Filters, err = parseList(filters); err != nil {
		return nil, fmt.Errorf("channel %d: filters: %w", c.ID, err)
	}
	c.PausedAt, c.LastDigest = fromMillis(pausedAt), fromMillis(lastDigest)
	c.Created = time.UnixMilli(created).UTC()
	return &c, nil
}

// jsonList encodes a list of strings as a JSON array ("[]" when empty).
func jsonList(ss []string) (string, error) {
	if len(ss) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(ss)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// parseList decodes what jsonList encoded; an empty list is nil.
func parseList(s string) ([]string, error) {
	var ss []string
	if err := json.Unmarshal([]byte(s), &ss); err != nil {
		return nil, err
	}
	if len(ss) == 0 {
		return nil, nil
	}
	return ss, nil
}

// inTx runs f in a write transaction, committing if it returns nil.
func (s *Store) inTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// createdMillis is the creation time of a new channel: the caller's, when
// it gives one (its clock decides when the subscription began), else now.
func createdMillis(t time.Time) int64 {
	if t.IsZero() {
		return nowMillis().UnixMilli()
	}
	return t.UnixMilli()
}
