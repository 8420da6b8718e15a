package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

// pruneFixture is a store with old and new records of every kind Prune
// deletes, and what a prune at the fixture's times must delete and keep.
type pruneFixture struct {
	req                    store.PruneRequest
	want                   store.PruneStats
	gone, kept             []*store.Article // articles
	goneSlots, keptSlots   []int64
	lastSlot               map[int64]int64 // channel id -> its LastSlot's id
	goneStories, keptStory map[int64][]string
	words                  map[string]bool // a search word of each article -> whether the article stays
}

func newPruneFixture(t *testing.T, s store.Store) *pruneFixture {
	t.Helper()
	ctx := context.Background()
	days := func(n int) time.Time { return base.Add(-time.Duration(n) * 24 * time.Hour) }
	f := &pruneFixture{
		req:         store.PruneRequest{Articles: days(90), Delivered: days(14), Slots: days(14)},
		lastSlot:    map[int64]int64{},
		goneStories: map[int64][]string{},
		keptStory:   map[int64][]string{},
		words:       map[string]bool{},
	}

	// Articles: old by both times goes; old by one of them stays.
	type art struct {
		published, fetched time.Time
		gone               bool
	}
	arts := []art{
		{days(100), days(100), true},  // old
		{time.Time{}, days(95), true}, // no date, fetched long ago
		{days(100), days(1), false},   // an old date stored lately (an import)
		{days(3), days(100), false},   // fetched long ago, dated lately (a clock skew)
		{days(2), days(2), false},     // new
		{days(200), days(91), true},   // old
		{days(120), days(10), false},  // an old date stored lately
		{days(90), days(90), false},   // exactly at the limit: not before it
		{days(91), days(90).Add(-time.Millisecond), true},
		{days(300), days(300), false}, // old, but stored last: the highest id stays
	}
	var analyses []*store.Analysis
	for i, a := range arts {
		word := fmt.Sprintf("prunable%d", i)
		sa := &store.Article{
			URL:       fmt.Sprintf("https://old.example.com/%d", i),
			Title:     "Harbour story " + word,
			Body:      fmt.Sprintf("The body of story %d, %s.", i, word),
			Published: a.published, Fetched: a.fetched, Language: "en",
		}
		mustPut(t, s, sa, store.Inserted)
		f.words[word] = !a.gone
		if a.gone {
			f.gone = append(f.gone, sa)
			f.want.Articles++
		} else {
			f.kept = append(f.kept, sa)
		}
		if i%3 != 2 { // some articles have no analysis
			analyses = append(analyses, &store.Analysis{ArticleID: sa.ID, Version: 1, Summary: []string{"S."},
				Quotes: []store.StoredQuote{{Text: "Quote " + word, Speaker: "Speaker " + word, Key: true, Rank: 1}}})
			if a.gone {
				f.want.Analyses++
			}
		}
	}
	mustPutAnalyses(t, s, analyses...)

	// Channels: a has old and new slots and stories; b only old ones (its
	// last slot, old as it is, stays); c has one slot, old.
	a, b, c := slotChannel(t, s, "prune-a"), slotChannel(t, s, "prune-b"), slotChannel(t, s, "prune-c")
	n := 0
	slot := func(ch *store.Channel, due time.Time, finish string) *store.Slot {
		t.Helper()
		n++
		sl := &store.Slot{ChannelID: ch.ID, Local: fmt.Sprintf("slot-%d", n), Due: due}
		mustClaim(t, s, sl, "p", due, time.Minute, true)
		var err error
		switch finish {
		case "sent":
			err = s.CompleteSlot(ctx, sl.ID, "p", []string{"m"}, due)
		case "skipped":
			err = s.SkipSlot(ctx, sl.ID, "p")
		case "released":
			err = s.ReleaseSlot(ctx, sl.ID, "p", "HTTP 502", due.Add(time.Hour))
		case "open": // claimed, never finished: a crashed owner's
		}
		if err != nil {
			t.Fatalf("%s slot: %v", finish, err)
		}
		return sl
	}
	gone := func(sl *store.Slot) { f.goneSlots = append(f.goneSlots, sl.ID) }
	kept := func(sl *store.Slot) { f.keptSlots = append(f.keptSlots, sl.ID) }
	gone(slot(a, days(30), "sent"))
	gone(slot(a, days(20), "skipped"))
	kept(slot(a, days(40), "open"))
	kept(slot(a, days(25), "released"))
	kept(slot(a, days(14), "sent")) // at the limit
	kept(slot(a, days(10), "sent"))
	lastA := slot(a, days(1), "sent")
	kept(lastA)
	for _, d := range []int{40, 39, 38, 35} {
		gone(slot(b, days(d), "sent"))
	}
	// Two done slots due at once: LastSlot is the later id, which stays.
	gone(slot(b, days(30), "sent"))
	lastB := slot(b, days(30), "skipped")
	kept(lastB)
	lastC := slot(c, days(50), "sent")
	kept(lastC)
	f.lastSlot[a.ID], f.lastSlot[b.ID], f.lastSlot[c.ID] = lastA.ID, lastB.ID, lastC.ID
	f.want.Slots = len(f.goneSlots)

	story := func(ch *store.Channel, key string, at time.Time) {
		t.Helper()
		mustMark(t, s, ch.ID, store.Delivered{StoryKey: key, Articles: 1, ArticleIDs: []int64{f.kept[0].ID}, At: at})
		if at.Before(f.req.Delivered) {
			f.goneStories[ch.ID] = append(f.goneStories[ch.ID], key)
			f.want.Delivered++
		} else {
			f.keptStory[ch.ID] = append(f.keptStory[ch.ID], key)
		}
	}
	for i, d := range []int{60, 20, 15, 14, 13, 2} {
		story(a, fmt.Sprintf("a-%d", i), days(d))
	}
	for i, d := range []int{30, 29, 28, 27} {
		story(b, fmt.Sprintf("b-%d", i), days(d))
	}
	story(c, "c-new", days(1))
	return f
}

// check fails unless s holds what the fixture keeps and nothing it prunes.
func (f *pruneFixture) check(t *testing.T, s store.Store) {
	t.Helper()
	ctx := context.Background()
	for _, a := range f.gone {
		if _, err := s.Article(ctx, a.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("pruned article %d (published %v, fetched %v): %v, want ErrNotFound", a.ID, a.Published, a.Fetched, err)
		}
	}
	for _, a := range f.kept {
		if _, err := s.Article(ctx, a.ID); err != nil {
			t.Errorf("kept article %d (published %v, fetched %v): %v", a.ID, a.Published, a.Fetched, err)
		}
	}
	var all []int64
	for _, a := range append(slices.Clone(f.gone), f.kept...) {
		all = append(all, a.ID)
	}
	got, err := s.Analyses(ctx, all, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range f.gone {
		if got[a.ID] != nil {
			t.Errorf("the analysis of pruned article %d is still there", a.ID)
		}
	}
	// The search index and the quotes forget the pruned articles.
	for word, stays := range f.words {
		as, err := s.Articles(ctx, store.ArticleQuery{Search: word})
		if err != nil {
			t.Fatalf("search %s: %v", word, err)
		}
		want := 0
		if stays {
			want = 1
		}
		if len(as) != want {
			t.Errorf("search %s finds %d articles, want %d", word, len(as), want)
		}
		qs, err := s.QuotesBySpeaker(ctx, "speaker "+word, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(qs) > 0 && !stays {
			t.Errorf("quotes of a pruned article: %+v", qs)
		}
	}

	slots, err := s.DumpSlots(ctx, 0, store.MaxDumpPage)
	if err != nil {
		t.Fatal(err)
	}
	var left []int64
	for _, sl := range slots {
		left = append(left, sl.ID)
	}
	slices.Sort(f.keptSlots)
	if !slices.Equal(left, f.keptSlots) {
		t.Errorf("slots left %v, want %v (pruned: %v)", left, f.keptSlots, f.goneSlots)
	}
	for ch, id := range f.lastSlot {
		last, err := s.LastSlot(ctx, ch)
		if err != nil || last.ID != id {
			t.Errorf("LastSlot of channel %d = %+v, %v; want slot %d, as before the prune", ch, last, err, id)
		}
	}

	for ch, keys := range f.keptStory {
		ds, err := s.DeliveredSince(ctx, ch, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for k := range ds {
			got = append(got, k)
		}
		slices.Sort(got)
		slices.Sort(keys)
		if !slices.Equal(got, keys) {
			t.Errorf("channel %d: delivered stories left %v, want %v (pruned: %v)", ch, got, keys, f.goneStories[ch])
		}
	}
}

// Prune deletes what is old by every rule and nothing else, in batches;
// a dry run counts the same and deletes nothing; a second prune finds
// nothing left.
func testPrune(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newPruneFixture(t, s)
	before, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}

	dry := f.req
	dry.DryRun = true
	got, err := s.Prune(ctx, dry)
	if err != nil {
		t.Fatalf("Prune (dry run): %v", err)
	}
	if got != f.want {
		t.Errorf("Prune (dry run) = %+v, want %+v", got, f.want)
	}
	if after, err := s.Counts(ctx); err != nil || after != before {
		t.Fatalf("a dry run changed the store: counts %+v (%v), were %+v", after, err, before)
	}

	for _, batch := range []int{2, 0} {
		req := f.req
		req.Batch = batch
		got, err := s.Prune(ctx, req)
		if err != nil {
			t.Fatalf("Prune(batch %d): %v", batch, err)
		}
		want := f.want
		if batch == 0 {
			want = store.PruneStats{} // the second time: nothing left
		}
		if got != want {
			t.Errorf("Prune(batch %d) = %+v, want %+v", batch, got, want)
		}
		f.check(t, s)
	}
	after, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := before
	want.Articles -= f.want.Articles
	want.Analyses -= f.want.Analyses
	want.Quotes -= f.want.Analyses // one quote each
	want.Delivered -= f.want.Delivered
	want.Slots -= f.want.Slots
	if after != want {
		t.Errorf("Counts after the prune = %+v, want %+v", after, want)
	}

	// A new article is stored and found as usual after the prune.
	a := article(1)
	mustPut(t, s, a, store.Inserted)
	if as, err := s.Articles(ctx, store.ArticleQuery{Search: "item1"}); err != nil || len(as) != 1 {
		t.Errorf("search after the prune: %d articles, %v; want 1", len(as), err)
	}
}

// A request with no times deletes nothing; a negative batch is refused.
func testPruneNothing(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newPruneFixture(t, s)
	got, err := s.Prune(ctx, store.PruneRequest{Batch: 1})
	if err != nil || got != (store.PruneStats{}) {
		t.Errorf("Prune with no times = %+v, %v; want nothing deleted", got, err)
	}
	// One kind at a time leaves the others.
	only := store.PruneRequest{Delivered: f.req.Delivered}
	got, err = s.Prune(ctx, only)
	if err != nil || got != (store.PruneStats{Delivered: f.want.Delivered}) {
		t.Errorf("Prune of delivered stories only = %+v, %v; want %d stories", got, err, f.want.Delivered)
	}
	for _, a := range f.gone {
		if _, err := s.Article(ctx, a.ID); err != nil {
			t.Errorf("Prune of delivered stories only deleted article %d: %v", a.ID, err)
		}
	}
	_, err = s.Prune(ctx, store.PruneRequest{Articles: base, Batch: -1})
	wantErr(t, "Prune(batch -1)", err, store.ErrInvalid)
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Prune(canceled, f.req); err == nil {
		t.Error("Prune with a canceled context succeeded")
	}
}
