package store

import (
	"context"
	"fmt"
	"strings"
)

// Analysis is what the digest engine computed from one article: kept in the
// store so that it is computed once, at ingest or on first use, and never per
// channel or per request. Version is the engine's version: an analysis made
// by another version is stale and is computed again.
type Analysis struct {
	ArticleID int64
	Version   int
	Summary   []string      // summary sentences, verbatim, in article order
	Quotes    []StoredQuote // every quote found; Key marks the key quotes
	Lede      string        // the first prose sentences, for clustering
}

// StoredQuote is one quote of an article.
type StoredQuote struct {
	Text    string `json:"text"`
	Speaker string `json:"speaker,omitempty"`
	Cue     string `json:"cue,omitempty"`
	Partial bool   `json:"partial,omitempty"`
	Key     bool   `json:"key,omitempty"`
	Rank    int    `json:"rank,omitempty"` // order among key quotes, 1 first
}

// AnalysisStore keeps analyses. An analysis belongs to its article:
// deleting the article deletes it.
type AnalysisStore interface {
	// PutAnalyses stores analyses, replacing those of the same articles
	// (whatever their version), in one transaction. An analysis of an
	// article that is not stored, a nil analysis, a negative Version or a
	// quote with empty Text gives ErrInvalid, and then nothing is stored.
	// Summary, Quotes and Lede read back as written (Quotes in the same
	// order; an empty Summary or Quotes reads back as nil).
	PutAnalyses(ctx context.Context, as []*Analysis) error
	// Analyses returns the analyses of the given articles made by version;
	// articles without one (or with another version's) are absent. The map
	// is empty, not nil, when nothing is found.
	Analyses(ctx context.Context, ids []int64, version int) (map[int64]*Analysis, error)
	// QuotesBySpeaker returns up to limit key quotes (Key set) whose
	// speaker contains name, compared case-insensitively with Unicode
	// lower-casing ("peskov" and "ПЕСКОВ" find "Dmitry Peskov" and "Дмитрий
	// Песков"), from analyses of any version: newest article first (by
	// EffectiveTime), and within an article by Rank. Each comes with its
	// whole article. A name empty after trimming spaces gives ErrInvalid; a
	// limit of 0 means DefaultLimit, a negative one gives ErrInvalid, and
	// one above MaxLimit is MaxLimit.
	QuotesBySpeaker(ctx context.Context, name string, limit int) ([]SpeakerQuote, error)
}

// SpeakerQuote is a quote with the article it comes from.
type SpeakerQuote struct {
	Quote   StoredQuote
	Article *Article
}

// MaxSpeakerQuery is the longest name QuotesBySpeaker accepts, in bytes.
const MaxSpeakerQuery = 1000

// Validate reports, with an error wrapping ErrInvalid, why a cannot be
// stored: nil, no article, a negative version or a quote without text.
func (a *Analysis) Validate() error {
	if a == nil {
		return fmt.Errorf("store: analysis: nil: %w", ErrInvalid)
	}
	if a.ArticleID <= 0 {
		return fmt.Errorf("store: analysis: article id %d: %w", a.ArticleID, ErrInvalid)
	}
	if a.Version < 0 {
		return fmt.Errorf("store: analysis of article %d: negative version: %w", a.ArticleID, ErrInvalid)
	}
	for i, q := range a.Quotes {
		if q.Text == "" {
			return fmt.Errorf("store: analysis of article %d: quote %d has no text: %w", a.ArticleID, i, ErrInvalid)
		}
	}
	return nil
}

// FoldSpeaker is the form QuotesBySpeaker compares speakers and names in:
// spaces trimmed, lower-cased with Unicode rules. Backends store it beside
// the speaker, since SQL lower() folds ASCII only in SQLite (and in
// PostgreSQL under the C locale).
func FoldSpeaker(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// SpeakerQuery checks a QuotesBySpeaker name and returns it folded.
func SpeakerQuery(name string) (string, error) {
	if len(name) > MaxSpeakerQuery {
		return "", fmt.Errorf("store: speaker name longer than %d bytes: %w", MaxSpeakerQuery, ErrInvalid)
	}
	f := FoldSpeaker(name)
	if f == "" {
		return "", fmt.Errorf("store: empty speaker name: %w", ErrInvalid)
	}
	return f, nil
}
