package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

// checkSource fails unless got holds what want was stored with.
func checkSource(t *testing.T, got, want *store.Source) {
	t.Helper()
	if got.ID != want.ID || got.Name != want.Name || got.URL != want.URL || got.FullText != want.FullText ||
		got.Interval != want.Interval || !ms(got.Created).Equal(ms(want.Created)) {
		t.Errorf("source = %+v, want %+v", *got, *want)
	}
	checkState(t, got.State, want.State)
}

func checkState(t *testing.T, got, want store.FetchState) {
	t.Helper()
	ok := got.ETag == want.ETag && got.LastModified == want.LastModified &&
		got.LastError == want.LastError && got.Failures == want.Failures && got.BodyHash == want.BodyHash
	for _, p := range [][2]time.Time{
		{got.LastFetch, want.LastFetch}, {got.LastSuccess, want.LastSuccess},
		{got.LastErrorAt, want.LastErrorAt}, {got.NextPoll, want.NextPoll},
	} {
		if !p[0].Equal(ms(p[1])) || (!p[0].IsZero() && p[0].Location() != time.UTC) {
			ok = false
		}
	}
	if !ok {
		t.Errorf("fetch state = %+v, want %+v (times in UTC, to the millisecond)", got, want)
	}
}

func testSourcesCRUD(t *testing.T, s store.Store) {
	ctx := context.Background()
	if srcs, err := s.Sources(ctx); err != nil || len(srcs) != 0 {
		t.Fatalf("Sources on an empty store = %v, %v", srcs, err)
	}
	before := time.Now().Add(-time.Second)
	a := &store.Source{Name: "Wire", URL: "https://wire.example.com/rss.xml", FullText: store.FullTextAlways, Interval: 15 * time.Minute}
	b := &store.Source{Name: "Daily", URL: "http://daily.example.com/feed?format=atom"}
	mustAddSource(t, s, a)
	mustAddSource(t, s, b)
	if a.ID <= 0 || b.ID <= 0 || a.ID == b.ID {
		t.Fatalf("ids %d and %d, want two distinct positive ids", a.ID, b.ID)
	}
	if a.Created.Before(before) || a.Created.After(time.Now().Add(time.Second)) {
		t.Errorf("Created = %v, want about now", a.Created)
	}
	if b.FullText != store.FullTextAuto {
		t.Errorf("FullText = %q for a source added without one, want %q", b.FullText, store.FullTextAuto)
	}

	got, err := s.Source(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	checkSource(t, got, a)
	got, err = s.SourceByURL(ctx, b.URL)
	if err != nil {
		t.Fatal(err)
	}
	checkSource(t, got, b)

	srcs, err := s.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 2 || srcs[0].ID != a.ID || srcs[1].ID != b.ID {
		t.Fatalf("Sources = %v, want a then b", srcs)
	}

	upd := *a
	upd.Name = "Wire (world)"
	upd.FullText = store.FullTextOff
	upd.Interval = time.Hour
	upd.URL = "https://elsewhere.example.com/" // not changed by UpdateSource
	upd.State.ETag = "ignored"                 // nor is the fetch state
	if err := s.UpdateSource(ctx, &upd); err != nil {
		t.Fatal(err)
	}
	got, err = s.Source(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := *a
	want.Name, want.FullText, want.Interval = upd.Name, upd.FullText, upd.Interval
	checkSource(t, got, &want)
}

func testSourceExists(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustAddSource(t, s, &store.Source{Name: "One", URL: "https://one.example.com/feed"})
	err := s.AddSource(ctx, &store.Source{Name: "Again", URL: "https://one.example.com/feed"})
	wantErr(t, "AddSource with a stored URL", err, store.ErrExists)
	if srcs, err := s.Sources(ctx); err != nil || len(srcs) != 1 {
		t.Errorf("Sources = %d, %v; want 1", len(srcs), err)
	}
}

func testSourceInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, src := range []*store.Source{
		{Name: "mode", URL: "https://x.example.com/feed", FullText: "sometimes"},
		{Name: "scheme", URL: "ftp://x.example.com/feed"},
		{Name: "relative", URL: "/feed"},
		{Name: "empty", URL: ""},
		{Name: "interval", URL: "https://y.example.com/feed", Interval: -time.Minute},
	} {
		err := s.AddSource(ctx, src)
		wantErr(t, "AddSource("+src.Name+")", err, store.ErrInvalid)
	}
	ok := &store.Source{Name: "ok", URL: "https://ok.example.com/feed"}
	mustAddSource(t, s, ok)
	bad := *ok
	bad.FullText = "never"
	wantErr(t, "UpdateSource with a bad mode", s.UpdateSource(ctx, &bad), store.ErrInvalid)
}

func testSourceNotFound(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, err := s.Source(ctx, 777)
	wantErr(t, "Source(777)", err, store.ErrNotFound)
	_, err = s.SourceByURL(ctx, "https://none.example.com/feed")
	wantErr(t, "SourceByURL", err, store.ErrNotFound)
	wantErr(t, "UpdateSource(777)", s.UpdateSource(ctx, &store.Source{ID: 777, Name: "x"}), store.ErrNotFound)
	wantErr(t, "SetFetchState(777)", s.SetFetchState(ctx, 777, store.FetchState{ETag: "x"}), store.ErrNotFound)
	wantErr(t, "RemoveSource(777)", s.RemoveSource(ctx, 777), store.ErrNotFound)
}

func testDueSources(t *testing.T, s store.Store) {
	ctx := context.Background()
	now := base
	// name -> NextPoll relative to now; "never" has a zero NextPoll.
	polls := []struct {
		name string
		next time.Duration
		zero bool
	}{
		{"soon", time.Minute, false},
		{"late", -time.Hour, false},
		{"never", 0, true},
		{"exactly now", 0, false},
		{"very late", -24 * time.Hour, false},
		{"later", time.Hour, false},
		{"a bit late", -time.Minute, false},
	}
	byName := map[string]int64{}
	for _, p := range polls {
		src := &store.Source{Name: p.name, URL: "https://feeds.example.com/" + fmt.Sprint(len(byName))}
		if !p.zero {
			src.State.NextPoll = now.Add(p.next)
		}
		mustAddSource(t, s, src)
		byName[p.name] = src.ID
	}
	names := func(ns ...string) []int64 {
		out := make([]int64, len(ns))
		for i, n := range ns {
			out[i] = byName[n]
		}
		return out
	}
	tests := []struct {
		name  string
		now   time.Time
		limit int
		want  []int64
	}{
		{"all due, most overdue first", now, 10, names("never", "very late", "late", "a bit late", "exactly now")},
		{"limit", now, 2, names("never", "very late")},
		{"no limit", now, 0, names("never", "very late", "late", "a bit late", "exactly now")},
		{"earlier now", now.Add(-2 * time.Hour), 10, names("never", "very late")},
		{"now in another zone", now.In(time.FixedZone("X", 7*3600)), 10, names("never", "very late", "late", "a bit late", "exactly now")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.DueSources(ctx, tt.now, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			gotIDs := make([]int64, len(got))
			for i, src := range got {
				gotIDs[i] = src.ID
			}
			if !equalIDs(gotIDs, tt.want) {
				t.Errorf("DueSources(%v, %d) = %v, want %v", tt.now, tt.limit, gotIDs, tt.want)
			}
		})
	}
}

func testFetchState(t *testing.T, s store.Store) {
	ctx := context.Background()
	src := &store.Source{Name: "Wire", URL: "https://wire.example.com/rss"}
	mustAddSource(t, s, src)
	zone := time.FixedZone("UTC+5:30", 5*3600+1800)
	tests := []struct {
		name string
		st   store.FetchState
	}{
		{"failure", store.FetchState{
			LastFetch:   time.Date(2026, 3, 1, 10, 0, 0, 123456789, zone),
			LastError:   "GET https://wire.example.com/rss: 503 Service Unavailable",
			LastErrorAt: time.Date(2026, 3, 1, 10, 0, 1, 999999999, zone),
			Failures:    3,
			NextPoll:    time.Date(2026, 3, 1, 10, 30, 0, 1, time.Local),
		}},
		{"success", store.FetchState{
			ETag:         `W/"5e1-abc"`,
			LastModified: "Sun, 01 Mar 2026 10:00:00 GMT",
			LastFetch:    time.Date(2026, 3, 1, 11, 0, 0, 500000000, time.UTC),
			LastSuccess:  time.Date(2026, 3, 1, 11, 0, 0, 500000000, time.UTC),
			NextPoll:     time.Date(2026, 3, 1, 11, 15, 0, 0, time.UTC),
			BodyHash:     "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		}},
		{"reset", store.FetchState{}},
		{"before 1970", store.FetchState{LastFetch: time.Date(1969, 7, 20, 20, 17, 40, 5e8, time.UTC)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.SetFetchState(ctx, src.ID, tt.st); err != nil {
				t.Fatal(err)
			}
			got, err := s.Source(ctx, src.ID)
			if err != nil {
				t.Fatal(err)
			}
			checkState(t, got.State, tt.st)
			if got.Name != src.Name || got.URL != src.URL {
				t.Errorf("SetFetchState changed the source: %+v", got)
			}
		})
	}
}

func testRemoveSource(t *testing.T, s store.Store) {
	ctx := context.Background()
	keep := &store.Source{Name: "Keep", URL: "https://keep.example.com/feed"}
	gone := &store.Source{Name: "Gone", URL: "https://gone.example.com/feed"}
	mustAddSource(t, s, keep)
	mustAddSource(t, s, gone)
	a, b := article(1), article(2)
	a.SourceID, b.SourceID = gone.ID, keep.ID
	mustPut(t, s, a, store.Inserted)
	mustPut(t, s, b, store.Inserted)

	if err := s.RemoveSource(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Source(ctx, gone.ID); err == nil {
		t.Error("removed source still found")
	}
	got, err := s.Article(ctx, a.ID)
	if err != nil {
		t.Fatalf("article of the removed source: %v", err)
	}
	if got.SourceID != 0 {
		t.Errorf("SourceID = %d after its source was removed, want 0", got.SourceID)
	}
	if got, err := s.Article(ctx, b.ID); err != nil || got.SourceID != keep.ID {
		t.Errorf("other source's article: SourceID %v, %v; want %d", got, err, keep.ID)
	}
	if as, err := s.Articles(ctx, store.ArticleQuery{SourceID: gone.ID}); err != nil || len(as) != 0 {
		t.Errorf("Articles of the removed source = %d, %v; want none", len(as), err)
	}
	if n := count(t, s); n != 2 {
		t.Errorf("CountArticles = %d, want 2", n)
	}
	wantErr(t, "RemoveSource again", s.RemoveSource(ctx, gone.ID), store.ErrNotFound)
	// The URL is free again.
	mustAddSource(t, s, &store.Source{Name: "Back", URL: gone.URL})
}
