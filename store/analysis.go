package store

import "context"

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

// AnalysisStore keeps analyses.
type AnalysisStore interface {
	// PutAnalyses stores analyses, replacing those of the same articles.
	PutAnalyses(ctx context.Context, as []*Analysis) error
	// Analyses returns the analyses of the given articles made by version;
	// articles without one (or with another version's) are absent.
	Analyses(ctx context.Context, ids []int64, version int) (map[int64]*Analysis, error)
	// QuotesBySpeaker returns recent key quotes whose speaker matches name
	// (case-insensitive, a part of the name is enough), newest first.
	QuotesBySpeaker(ctx context.Context, name string, limit int) ([]SpeakerQuote, error)
}

// SpeakerQuote is a quote with the article it comes from.
type SpeakerQuote struct {
	Quote   StoredQuote
	Article *Article
}
