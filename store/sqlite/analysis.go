package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/newsdigest/newsdigest/store"
)

// PutAnalyses implements store.AnalysisStore. Each analysis replaces the
// article's stored one and all its quotes.
func (s *Store) PutAnalyses(ctx context.Context, as []*store.Analysis) error {
	summaries := make([]string, len(as))
	for i, a := range as {
		if err := a.Validate(); err != nil {
			return fmt.Errorf("sqlite: put analyses: %w", err)
		}
		var err error
		if summaries[i], err = jsonList(a.Summary); err != nil {
			return fmt.Errorf("sqlite: put analyses: article %d: %w", a.ArticleID, err)
		}
	}
	if len(as) == 0 {
		return nil
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		put, err := tx.PrepareContext(ctx, `INSERT INTO analyses (article_id, version, summary, lede) VALUES (?, ?, ?, ?)
			ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, summary = excluded.summary, lede = excluded.lede`)
		if err != nil {
			return err
		}
		defer put.Close()
		clear, err := tx.PrepareContext(ctx, `DELETE FROM analysis_quotes WHERE article_id = ?`)
		if err != nil {
			return err
		}
		defer clear.Close()
		quote, err := tx.PrepareContext(ctx, `INSERT INTO analysis_quotes
			(article_id, idx, text, speaker, speaker_fold, cue, partial, key, rank) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer quote.Close()
		for i, a := range as {
			if _, err := put.ExecContext(ctx, a.ArticleID, a.Version, summaries[i], a.Lede); err != nil {
				if errorCode(err) == codeConstraintForeignKey {
					return fmt.Errorf("article %d: no such article: %w", a.ArticleID, store.ErrInvalid)
				}
				return fmt.Errorf("article %d: %w", a.ArticleID, err)
			}
			if _, err := clear.ExecContext(ctx, a.ArticleID); err != nil {
				return fmt.Errorf("article %d: %w", a.ArticleID, err)
			}
			for j, q := range a.Quotes {
				if _, err := quote.ExecContext(ctx, a.ArticleID, j, q.Text, q.Speaker, store.FoldSpeaker(q.Speaker),
					q.Cue, q.Partial, q.Key, q.Rank); err != nil {
					return fmt.Errorf("article %d: quote %d: %w", a.ArticleID, j, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: put analyses: %w", err)
	}
	return nil
}

// Analyses implements store.AnalysisStore. One statement reads the
// analyses with their quotes, so that it sees each analysis whole.
func (s *Store) Analyses(ctx context.Context, ids []int64, version int) (map[int64]*store.Analysis, error) {
	out := map[int64]*store.Analysis{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT a.article_id, a.version, a.summary, a.lede,
			q.idx, q.text, q.speaker, q.cue, q.partial, q.key, q.rank
		FROM analyses a LEFT JOIN analysis_quotes q ON q.article_id = a.article_id
		WHERE a.article_id IN (SELECT value FROM json_each(?)) AND a.version = ?
		ORDER BY a.article_id, q.idx`, idList(ids), version)
	if err != nil {
		return nil, fmt.Errorf("sqlite: analyses: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a store.Analysis
		var summary string
		var idx sql.NullInt64
		var q struct {
			text, speaker, cue sql.NullString
			partial, key       sql.NullBool
			rank               sql.NullInt64
		}
		if err := rows.Scan(&a.ArticleID, &a.Version, &summary, &a.Lede,
			&idx, &q.text, &q.speaker, &q.cue, &q.partial, &q.key, &q.rank); err != nil {
			return nil, fmt.Errorf("sqlite: analyses: %w", err)
		}
		got := out[a.ArticleID]
		if got == nil {
			if a.Summary, err = parseList(summary); err != nil {
				return nil, fmt.Errorf("sqlite: analyses: article %d: summary: %w", a.ArticleID, err)
			}
			got = &a
			out[a.ArticleID] = got
		}
		if idx.Valid {
			got.Quotes = append(got.Quotes, store.StoredQuote{
				Text: q.text.String, Speaker: q.speaker.String, Cue: q.cue.String,
				Partial: q.partial.Bool, Key: q.key.Bool, Rank: int(q.rank.Int64),
			})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: analyses: %w", err)
	}
	return out, nil
}

// QuotesBySpeaker implements store.AnalysisStore. The name is matched
// against the speaker folded by store.FoldSpeaker, with instr (no LIKE
// pattern, so "%" and "_" in a name are plain characters).
func (s *Store) QuotesBySpeaker(ctx context.Context, name string, limit int) ([]store.SpeakerQuote, error) {
	fold, err := store.SpeakerQuery(name)
	if err != nil {
		return nil, fmt.Errorf("sqlite: quotes by speaker: %w", err)
	}
	if limit, err = queryLimit(limit); err != nil {
		return nil, fmt.Errorf("sqlite: quotes by speaker: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT q.text, q.speaker, q.cue, q.partial, q.key, q.rank, `+articleColumnsA+`
		FROM analysis_quotes q JOIN articles a ON a.id = q.article_id
		WHERE q.key = 1 AND instr(q.speaker_fold, ?) > 0
		ORDER BY a.sort_key DESC, q.rank, q.idx
		LIMIT ?`, fold, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: quotes by speaker: %w", err)
	}
	defer rows.Close()
	var out []store.SpeakerQuote
	articles := map[int64]*store.Article{} // one copy of an article quoted twice
	for rows.Next() {
		var sq store.SpeakerQuote
		q := &sq.Quote
		var a store.Article
		var hash []byte
		var published, fetched sql.NullInt64
		if err := rows.Scan(&q.Text, &q.Speaker, &q.Cue, &q.Partial, &q.Key, &q.Rank,
			&a.ID, &a.SourceID, &a.URL, &a.Title, &a.Outlet, &a.Byline, &published, &fetched, &a.Language, &a.Body, &hash); err != nil {
			return nil, fmt.Errorf("sqlite: quotes by speaker: %w", err)
		}
		if seen := articles[a.ID]; seen != nil {
			sq.Article = seen
		} else {
			a.Published, a.Fetched = fromMillis(published), fromMillis(fetched)
			a.Hash = fmt.Sprintf("%x", hash)
			sq.Article = &a
			articles[a.ID] = &a
		}
		out = append(out, sq)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: quotes by speaker: %w", err)
	}
	return out, nil
}

// idList is ids as a JSON array, for json_each.
func idList(ids []int64) string {
	b := make([]byte, 0, 2+len(ids)*8)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}
