package store

import (
	"context"
	"encoding/hex"
	"fmt"
	"time"
)

// Copying a whole store to another backend ('newsdigest migrate') reads it
// through Dumper and writes it through Loader, keeping every id, so that
// what refers to an id (articles to sources, analyses and delivered
// stories to articles, deliveries and slots to channels) still holds. The
// rest goes through the ordinary contract: Sources, Channels and
// DeliveredSince (from the zero time: everything) read; PutAnalyses and
// MarkDelivered, which replace what they find by key, write.

// Dumper reads everything a store holds, in pages by id.
type Dumper interface {
	// Counts says how many records of each kind the store holds.
	Counts(ctx context.Context) (Counts, error)
	// DumpArticles returns up to limit articles with an id above after,
	// by id, as stored (Hash included).
	DumpArticles(ctx context.Context, after int64, limit int) ([]*Article, error)
	// DumpAnalyses returns up to limit analyses, of any version, of
	// articles with an id above after, by article id, with their quotes.
	DumpAnalyses(ctx context.Context, after int64, limit int) ([]*Analysis, error)
	// DumpSlots returns up to limit slots with an id above after, by id.
	DumpSlots(ctx context.Context, after int64, limit int) ([]*Slot, error)
}

// Loader writes records as another store held them: with their ids,
// creation times, fetch state and claims. Each call is one transaction,
// all or nothing. A record whose id is stored already is overwritten, so
// loading the same records twice changes nothing and an interrupted copy
// can be run again. A record that conflicts with another one's unique key
// (a source or article URL, a channel's platform and chat id, a slot's
// channel and local time) gives ErrExists; one that its ValidateLoad (or
// Channel.Validate) refuses, or that refers to a record not stored (an
// article's source, a slot's channel), gives ErrInvalid. Ids the backend
// hands out afterwards follow the largest loaded one.
type Loader interface {
	LoadSources(ctx context.Context, srcs []*Source) error
	// LoadArticles stores articles exactly as given: not normalised or
	// deduplicated again (they were when first stored), Hash as given.
	LoadArticles(ctx context.Context, as []*Article) error
	LoadChannels(ctx context.Context, cs []*Channel) error
	LoadSlots(ctx context.Context, ss []*Slot) error
}

// Counts is how many records of each kind a store holds.
type Counts struct {
	Sources, Articles, Channels, Delivered, Analyses, Quotes, Slots int
}

// Total is the number of records of every kind.
func (c Counts) Total() int {
	return c.Sources + c.Articles + c.Channels + c.Delivered + c.Analyses + c.Quotes + c.Slots
}

// Kinds lists the counts with their names, in copying order.
func (c Counts) Kinds() []struct {
	Name string
	N    int
} {
	return []struct {
		Name string
		N    int
	}{
		{"sources", c.Sources}, {"articles", c.Articles}, {"channels", c.Channels},
		{"delivered", c.Delivered}, {"analyses", c.Analyses}, {"quotes", c.Quotes}, {"slots", c.Slots},
	}
}

// MaxDumpPage is the most records one Dump call returns.
const MaxDumpPage = 10000

// DumpPage checks a Dump call's limit: 1 to MaxDumpPage.
func DumpPage(limit int) (int, error) {
	if limit <= 0 {
		return 0, fmt.Errorf("store: dump: limit %d: %w", limit, ErrInvalid)
	}
	return min(limit, MaxDumpPage), nil
}

// ValidateLoad reports, with an error wrapping ErrInvalid, why a cannot be
// loaded: no id, neither title nor body, no fetch time, a time out of
// range, or a hash that is not a SHA-256 in hex. It returns the hash's
// bytes.
func (a *Article) ValidateLoad() ([]byte, error) {
	if a == nil {
		return nil, fmt.Errorf("store: load article: nil: %w", ErrInvalid)
	}
	if a.ID <= 0 || a.SourceID < 0 {
		return nil, fmt.Errorf("store: load article %d: ids must be positive: %w", a.ID, ErrInvalid)
	}
	if a.Title == "" && a.Body == "" {
		return nil, fmt.Errorf("store: load article %d: empty title and body: %w", a.ID, ErrInvalid)
	}
	if a.Fetched.IsZero() {
		return nil, fmt.Errorf("store: load article %d: no fetch time: %w", a.ID, ErrInvalid)
	}
	if a.Published.Before(minArticleTime) || a.Published.After(maxArticleTime) ||
		a.Fetched.Before(minArticleTime) || a.Fetched.After(maxArticleTime) {
		return nil, fmt.Errorf("store: load article %d: time out of range: %w", a.ID, ErrInvalid)
	}
	h, err := hex.DecodeString(a.Hash)
	if err != nil || len(h) != 32 {
		return nil, fmt.Errorf("store: load article %d: hash %q is not a SHA-256 in hex: %w", a.ID, a.Hash, ErrInvalid)
	}
	return h, nil
}

// ValidateLoad reports, with an error wrapping ErrInvalid, why s cannot be
// loaded: no id, no URL, an unknown full-text mode, a negative interval
// or failure count.
func (s *Source) ValidateLoad() error {
	switch {
	case s == nil:
		return fmt.Errorf("store: load source: nil: %w", ErrInvalid)
	case s.ID <= 0 || s.URL == "":
		return fmt.Errorf("store: load source %d %q: want an id and a URL: %w", s.ID, s.URL, ErrInvalid)
	case !s.FullText.Valid():
		return fmt.Errorf("store: load source %d: full-text mode %q: %w", s.ID, s.FullText, ErrInvalid)
	case s.Interval < 0 || s.State.Failures < 0:
		return fmt.Errorf("store: load source %d: negative interval or failures: %w", s.ID, ErrInvalid)
	}
	return nil
}

// ValidateLoad reports, with an error wrapping ErrInvalid, why s cannot be
// loaded: no id or channel, a local time ValidateClaim refuses, no due
// time, or negative attempts.
func (s *Slot) ValidateLoad() error {
	switch {
	case s == nil:
		return fmt.Errorf("store: load slot: nil: %w", ErrInvalid)
	case s.ID <= 0 || s.ChannelID <= 0:
		return fmt.Errorf("store: load slot %d: want an id and a channel: %w", s.ID, ErrInvalid)
	case s.Local == "" || len(s.Local) > MaxSlotLocal || s.Due.IsZero():
		return fmt.Errorf("store: load slot %d: local time %q, due %v: %w", s.ID, s.Local, s.Due, ErrInvalid)
	case s.Attempts < 0:
		return fmt.Errorf("store: load slot %d: negative attempts: %w", s.ID, ErrInvalid)
	}
	return nil
}

// Copy copies everything from holds into to, through Dumper and Loader
// (and the contract for the rest; see above), in the order references
// need: sources, articles, channels and what they were delivered,
// analyses, slots. Paged kinds go page records at a time, each page one
// transaction in to. progress, when not nil, is told after each step how
// many records of a kind are copied so far. Copying again overwrites what
// an earlier copy wrote with the same records: an interrupted Copy is
// resumed by running it again.
func Copy(ctx context.Context, from, to Store, page int, progress func(kind string, done int)) error {
	report := func(kind string, n int) {
		if progress != nil {
			progress(kind, n)
		}
	}
	srcs, err := from.Sources(ctx)
	if err != nil {
		return fmt.Errorf("store: copy: %w", err)
	}
	if err := to.LoadSources(ctx, srcs); err != nil {
		return fmt.Errorf("store: copy: %w", err)
	}
	report("sources", len(srcs))

	n := 0
	err = copyPages(ctx, page, from.DumpArticles, func(a *Article) int64 { return a.ID }, func(as []*Article) error {
		if err := to.LoadArticles(ctx, as); err != nil {
			return err
		}
		n += len(as)
		report("articles", n)
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: copy: %w", err)
	}

	chans, err := from.Channels(ctx, "")
	if err != nil {
		return fmt.Errorf("store: copy: %w", err)
	}
	if err := to.LoadChannels(ctx, chans); err != nil {
		return fmt.Errorf("store: copy: %w", err)
	}
	report("channels", len(chans))
	n = 0
	for _, c := range chans {
		m, err := from.DeliveredSince(ctx, c.ID, time.Time{})
		if err != nil {
			return fmt.Errorf("store: copy: %w", err)
		}
		ds := make([]Delivered, 0, len(m))
		for _, d := range m {
			ds = append(ds, d)
		}
		if err := to.MarkDelivered(ctx, c.ID, ds); err != nil {
			return fmt.Errorf("store: copy: %w", err)
		}
		n += len(ds)
	}
	report("delivered", n)

	n = 0
	err = copyPages(ctx, page, from.DumpAnalyses, func(a *Analysis) int64 { return a.ArticleID }, func(as []*Analysis) error {
		if err := to.PutAnalyses(ctx, as); err != nil {
			return err
		}
		n += len(as)
		report("analyses", n)
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: copy: %w", err)
	}
	n = 0
	err = copyPages(ctx, page, from.DumpSlots, func(s *Slot) int64 { return s.ID }, func(ss []*Slot) error {
		if err := to.LoadSlots(ctx, ss); err != nil {
			return err
		}
		n += len(ss)
		report("slots", n)
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: copy: %w", err)
	}
	return nil
}

// copyPages reads pages with dump, by the ids key gives, and hands each to
// load, until a page comes back empty.
func copyPages[T any](ctx context.Context, page int, dump func(context.Context, int64, int) ([]T, error),
	key func(T) int64, load func([]T) error) error {
	for after := int64(0); ; {
		if err := ctx.Err(); err != nil {
			return err
		}
		got, err := dump(ctx, after, page)
		if err != nil {
			return err
		}
		if len(got) == 0 {
			return nil
		}
		if err := load(got); err != nil {
			return err
		}
		after = key(got[len(got)-1])
	}
}
