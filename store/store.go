package store

import (
	"context"
	"time"
)

// Store is the contract every backend implements. All methods are safe for
// concurrent use. Errors wrap ErrNotFound, ErrExists, ErrInvalid or
// ErrNotClaimed where those apply, so callers test them with errors.Is.
type Store interface {
	ArticleStore
	SourceStore
	ChannelStore
	AnalysisStore
	SlotStore
	Pruner
	Dumper
	Loader
	// Close releases the backend's resources.
	Close() error
}

// ArticleStore keeps articles.
type ArticleStore interface {
	// PutArticle stores a, deduplicating: an article whose canonical URL is
	// already stored is updated in place when its text changed (keeping its
	// id) and left alone otherwise; an article whose content hash is already
	// stored under another URL (or, for an article without a URL, at all) is
	// not stored again. An updated article keeps the stored source, byline,
	// outlet, publication date and language where the new version has none.
	// An article Unchanged under its own URL whose stored outlet is empty
	// takes the new version's outlet (articles stored before outlets were
	// kept get theirs on the next poll); nothing else is written.
	//
	// a is prepared with Article.Normalize first (an invalid article gives
	// an error wrapping ErrInvalid, as does a SourceID that is not a stored
	// source), and a zero a.Fetched is set to the time of the write. On
	// return a holds what was stored: normalised text, a.URL canonicalised,
	// a.Hash set, times in UTC to the millisecond, and a.ID and a.URL those
	// of the stored article (for an Unchanged duplicate under another URL,
	// that article's URL).
	PutArticle(ctx context.Context, a *Article) (PutOutcome, error)
	// PutArticles does PutArticle for each article in one transaction, which
	// is much faster for a feed's worth of items. Articles later in as see
	// the earlier ones. If any article is invalid or any write fails,
	// nothing is stored and the articles are left as they were.
	PutArticles(ctx context.Context, as []*Article) ([]PutOutcome, error)
	// Article returns the article with the given id.
	Article(ctx context.Context, id int64) (*Article, error)
	// ArticleByURL returns the article stored under the canonical form of
	// url. A url CanonicalURL rejects gives an error wrapping ErrInvalid.
	ArticleByURL(ctx context.Context, url string) (*Article, error)
	// Articles returns the articles q selects, newest first by
	// EffectiveTime (a search filters; it does not rank). A negative limit
	// or offset gives ErrInvalid.
	Articles(ctx context.Context, q ArticleQuery) ([]*Article, error)
	// CountArticles returns how many articles are stored.
	CountArticles(ctx context.Context) (int, error)
}

// SourceStore keeps the feed list and each feed's fetch state.
type SourceStore interface {
	// AddSource stores s and sets s.ID and s.Created. s.URL must be an
	// absolute http or https URL (it is stored as given, not canonicalised);
	// an empty s.FullText becomes FullTextAuto. A source whose URL is
	// already stored gives ErrExists.
	AddSource(ctx context.Context, s *Source) error
	Source(ctx context.Context, id int64) (*Source, error)
	SourceByURL(ctx context.Context, url string) (*Source, error)
	// Sources returns every source, ordered by id.
	Sources(ctx context.Context) ([]*Source, error)
	// DueSources returns up to limit sources whose NextPoll is at or before
	// now and that no one holds a live claim on (see ClaimSource), the
	// longest overdue first; a source never polled (zero NextPoll) is the
	// most overdue. limit <= 0 means no limit.
	DueSources(ctx context.Context, now time.Time, limit int) ([]*Source, error)
	// ClaimSource claims the source src.ID for owner until now+lease, so
	// that of several processes polling one store only one fetches it: it
	// succeeds when the source is due at now (as DueSources has it) and
	// no one holds a live claim on it (a claim lives until its end, or
	// until SetFetchState records the fetch; it is not re-entrant, so the
	// owner's own live claim refuses it too). The claim is atomic: of any
	// number of callers, in any number of processes sharing the store, at
	// most one gets true. On success *src holds the stored source (its
	// latest fetch state); on false src is left as it was. An unknown
	// source gives ErrNotFound; an empty owner or a lease <= 0 gives
	// ErrInvalid.
	ClaimSource(ctx context.Context, src *Source, owner string, now time.Time, lease time.Duration) (bool, error)
	// UpdateSource changes a source's name, full-text mode and interval
	// (not its URL or fetch state).
	UpdateSource(ctx context.Context, s *Source) error
	// SetFetchState records the result of a fetch and ends any claim on the
	// source (see ClaimSource).
	SetFetchState(ctx context.Context, id int64, st FetchState) error
	// RemoveSource deletes the source; its articles stay, with SourceID 0.
	RemoveSource(ctx context.Context, id int64) error
}
