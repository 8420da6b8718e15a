package store

import (
	"context"
	"fmt"
	"time"
)

// Pruner deletes what is old enough to be of no more use, so that a store
// kept for months stops growing: articles (with their analyses), the
// delivered-story rows of channels and done slots.
type Pruner interface {
	// Prune deletes, of each kind whose time in r is not zero:
	//
	//   - articles whose effective time and fetch time are both before
	//     r.Articles, with their analyses (and, where the backend has one,
	//     their full-text index entries). The fetch time too, so that an
	//     article stored lately with an old date (an import, a feed that
	//     keeps old items) is kept for a whole period after it came, and
	//     not deleted and stored again at each poll. The article with the
	//     highest id stays, whatever its age, so that no backend hands
	//     its id out again;
	//   - delivered rows recorded before r.Delivered;
	//   - done slots due before r.Slots, except each channel's LastSlot,
	//     which tells the scheduler where the channel's next digest
	//     starts. A slot not done is never deleted.
	//
	// It deletes in transactions of at most r.Batch articles (with their
	// analyses), delivered rows or slots each, so that the store keeps
	// serving reads and writes meanwhile, and returns what it deleted (on
	// an error, what it had deleted before it). With r.DryRun it deletes
	// nothing and returns what it would delete. The caller picks the
	// times: they must leave what a digest may still read (cmd/newsdigest
	// keeps at least the longest digest window and the scheduler's cap and
	// grace). A negative r.Batch gives ErrInvalid.
	Prune(ctx context.Context, r PruneRequest) (PruneStats, error)
}

// PruneRequest says what Prune deletes: records older than each time.
type PruneRequest struct {
	Articles  time.Time // articles (and their analyses) before this; zero: keep all
	Delivered time.Time // delivered rows before this; zero: keep all
	Slots     time.Time // done slots due before this, but each channel's last; zero: keep all
	Batch     int       // rows per transaction; 0 means DefaultPruneBatch
	DryRun    bool      // count only
}

// PruneStats counts what Prune deleted (or, in a dry run, would delete).
type PruneStats struct {
	Articles, Analyses, Delivered, Slots int
}

// Total is the number of records of every kind.
func (p PruneStats) Total() int { return p.Articles + p.Analyses + p.Delivered + p.Slots }

// DefaultPruneBatch is how many rows one Prune transaction deletes by
// default: on SQLite about 25 ms for articles of 3 KB with their analyses
// and full-text entries, far less for slots (BenchmarkPruneArticles,
// BenchmarkPruneSlots in store/sqlite), so that a writer waiting behind a
// batch hardly notices.
const DefaultPruneBatch = 100

// BatchSize checks r.Batch and applies the default.
func (r PruneRequest) BatchSize() (int, error) {
	switch {
	case r.Batch < 0:
		return 0, fmt.Errorf("store: prune: batch %d: %w", r.Batch, ErrInvalid)
	case r.Batch == 0:
		return DefaultPruneBatch, nil
	}
	return r.Batch, nil
}
