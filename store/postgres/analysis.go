package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/newsdigest/newsdigest/store"
)

// PutAnalyses implements store.AnalysisStore. Each analysis replaces the
// article's stored one and all its quotes; the statements go in one
// pipelined batch in one transaction.
func (s *Store) PutAnalyses(ctx context.Context, as []*store.Analysis) error {
	for _, a := range as {
		if err := a.Validate(); err != nil {
			return fmt.Errorf("postgres: put analyses: %w", err)
		}
	}
	if len(as) == 0 {
		return nil
	}
	err := s.write(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, a := range as {
			b.Queue(`INSERT INTO analyses (article_id, version, summary, lede) VALUES ($1, $2, $3, $4)
				ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, summary = excluded.summary,
					lede = excluded.lede`, a.ArticleID, a.Version, list(a.Summary), a.Lede)
			b.Queue(`DELETE FROM analysis_quotes WHERE article_id = $1`, a.ArticleID)
			for j, q := range a.Quotes {
				b.Queue(`INSERT INTO analysis_quotes (article_id, idx, text, speaker, speaker_fold, cue, partial, key, rank)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
					a.ArticleID, j, q.Text, q.Speaker, store.FoldSpeaker(q.Speaker), q.Cue, q.Partial, q.Key, q.Rank)
			}
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if errorCode(err) == codeForeignKeyViolation {
		return fmt.Errorf("postgres: put analyses: an article is not stored: %w", store.ErrInvalid)
	}
	if err != nil {
		return fmt.Errorf("postgres: put analyses: %w", badText(err))
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
	err := s.read(ctx, func(q querier) error {
		clear(out)
		rows, err := q.Query(ctx, `SELECT a.article_id, a.version, a.summary, a.lede,
				q.idx, q.text, q.speaker, q.cue, q.partial, q.key, q.rank
			FROM analyses a LEFT JOIN analysis_quotes q ON q.article_id = a.article_id
			WHERE a.article_id = ANY($1) AND a.version = $2
			ORDER BY a.article_id, q.idx`, ids, version)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a store.Analysis
			var idx pgtype.Int4
			var text, speaker, cue pgtype.Text
			var partial, key pgtype.Bool
			var rank pgtype.Int4
			if err := rows.Scan(&a.ArticleID, &a.Version, &a.Summary, &a.Lede,
				&idx, &text, &speaker, &cue, &partial, &key, &rank); err != nil {
				return err
			}
			got := out[a.ArticleID]
			if got == nil {
				a.Summary = fromList(a.Summary)
				got = &a
				out[a.ArticleID] = got
			}
			if idx.Valid {
				got.Quotes = append(got.Quotes, store.StoredQuote{
					Text: text.String, Speaker: speaker.String, Cue: cue.String,
					Partial: partial.Bool, Key: key.Bool, Rank: int(rank.Int32),
				})
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: analyses: %w", err)
	}
	return out, nil
}

// QuotesBySpeaker implements store.AnalysisStore. The name is matched
// against the speaker folded by store.FoldSpeaker with strpos (no LIKE
// pattern, so "%" and "_" in a name are plain characters).
func (s *Store) QuotesBySpeaker(ctx context.Context, name string, limit int) ([]store.SpeakerQuote, error) {
	fold, err := store.SpeakerQuery(name)
	if err != nil {
		return nil, fmt.Errorf("postgres: quotes by speaker: %w", err)
	}
	if limit, err = queryLimit(limit); err != nil {
		return nil, fmt.Errorf("postgres: quotes by speaker: %w", err)
	}
	var out []store.SpeakerQuote
	err = s.read(ctx, func(db querier) error {
		out = out[:0]
		rows, err := db.Query(ctx, `SELECT q.text, q.speaker, q.cue, q.partial, q.key, q.rank, `+articleColumns+`
			FROM analysis_quotes q JOIN articles a ON a.id = q.article_id
			WHERE q.key AND strpos(q.speaker_fold, $1) > 0
			ORDER BY a.eff DESC, a.id DESC, q.rank, q.idx
			LIMIT $2`, fold, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		articles := map[int64]*store.Article{} // one copy of an article quoted twice
		for rows.Next() {
			var sq store.SpeakerQuote
			q := &sq.Quote
			var a store.Article
			var hash []byte
			var published, fetched pgtype.Timestamptz
			if err := rows.Scan(&q.Text, &q.Speaker, &q.Cue, &q.Partial, &q.Key, &q.Rank,
				&a.ID, &a.SourceID, &a.URL, &a.Title, &a.Outlet, &a.Byline, &published, &fetched, &a.Language, &a.Body, &hash); err != nil {
				return err
			}
			if seen := articles[a.ID]; seen != nil {
				sq.Article = seen
			} else {
				a.Published, a.Fetched = fromTS(published), fromTS(fetched)
				a.Hash = fmt.Sprintf("%x", hash)
				sq.Article = &a
				articles[a.ID] = &a
			}
			out = append(out, sq)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: quotes by speaker: %w", badText(err))
	}
	return out, nil
}
