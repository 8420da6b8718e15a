// Package storetest is the contract test suite for store.Store: every
// backend runs it from its own tests, so that the backends behave alike.
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store {
//			s, err := sqlite.Open(filepath.Join(t.TempDir(), "test.db"))
//			if err != nil {
//				t.Fatal(err)
//			}
//			t.Cleanup(func() { s.Close() })
//			return s
//		})
//	}
//
// ClaimRace and SourceClaimRace check slot and source claims across
// several stores on one database (two processes, two replicas), which Run
// cannot set up. Fill and SameContent fill a store with one of everything
// and compare two stores through the contract, for tests of store.Copy.
// Synth, Articles500 and BigBatches are the synthetic news the backends'
// benchmarks share.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

// Run runs the contract suite against the backend open creates. open must
// return a new, empty store each time it is called, and close it when the
// test ends (t.Cleanup).
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		test func(t *testing.T, s store.Store)
	}{
		{"PutArticle/Insert", testInsert},
		{"PutArticle/DedupByURL", testDedupByURL},
		{"PutArticle/DedupByHash", testDedupByHash},
		{"PutArticle/NoURL", testNoURL},
		{"PutArticle/UpdateInPlace", testUpdateInPlace},
		{"PutArticle/Invalid", testInvalidArticle},
		{"PutArticle/Canceled", testCanceled},
		{"PutArticle/Concurrent", testConcurrentPut},
		{"PutArticles/Batch", testBatch},
		{"PutArticles/AllOrNothing", testBatchAllOrNothing},
		{"PutArticles/UpdateWithinBatch", testUpdateWithinBatch},
		{"Article/NotFound", testArticleNotFound},
		{"Articles/Query", testQuery},
		{"Articles/DefaultLimit", testDefaultLimit},
		{"Articles/BadLimit", testBadLimit},
		{"Articles/HostileSearch", testHostileSearch},
		{"Articles/UnicodeSearch", testUnicodeSearch},
		{"Sources/CRUD", testSourcesCRUD},
		{"Sources/Exists", testSourceExists},
		{"Sources/Invalid", testSourceInvalid},
		{"Sources/NotFound", testSourceNotFound},
		{"Sources/Due", testDueSources},
		{"Sources/FetchState", testFetchState},
		{"Sources/Remove", testRemoveSource},
		{"PutArticle/Outlet", testOutlet},
		{"Channels/SaveAndRead", testSaveChannel},
		{"Channels/Invalid", testChannelInvalid},
		{"Channels/Move", testMoveChannel},
		{"Channels/Delete", testDeleteChannel},
		{"Delivered/MarkAndRead", testDelivered},
		{"Delivered/Invalid", testDeliveredInvalid},
		{"Analyses/PutAndRead", testAnalyses},
		{"Analyses/Invalid", testAnalysesInvalid},
		{"Analyses/QuotesBySpeaker", testQuotesBySpeaker},
		{"Slots/ClaimRules", testClaimRules},
		{"Slots/Release", testReleaseSlot},
		{"Slots/Finish", testFinishSlot},
		{"Slots/RecordMessages", testRecordSlotMessages},
		{"Slots/LastAndOpen", testLastAndOpenSlots},
		{"Slots/Invalid", testSlotInvalid},
		{"Slots/ConcurrentClaim", testConcurrentClaim},
		{"Sources/Claim", testClaimSource},
		{"Sources/ConcurrentClaim", testConcurrentSourceClaim},
		{"Copy/LoadConflicts", testLoadConflicts},
		{"Prune/OldRecords", testPrune},
		{"Prune/NothingOrOneKind", testPruneNothing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.test(t, open(t))
		})
	}
	t.Run("Copy/RoundTrip", func(t *testing.T) { testCopyRoundTrip(t, open) })
}

// base is the fixed "now" of the fixtures.
var base = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// article returns a valid article whose text is made unique by n.
func article(n int) *store.Article {
	return &store.Article{
		URL:       fmt.Sprintf("https://news.example.com/story/%d", n),
		Title:     fmt.Sprintf("Story number %d", n),
		Byline:    "Staff reporter",
		Outlet:    "Example News",
		Published: base.Add(-time.Duration(n) * time.Minute),
		Language:  "en",
		Body:      fmt.Sprintf("Paragraph one of story %d.\n\nParagraph two says more about item%d.", n, n),
	}
}

func mustPut(t *testing.T, s store.Store, a *store.Article, want store.PutOutcome) {
	t.Helper()
	got, err := s.PutArticle(context.Background(), a)
	if err != nil {
		t.Fatalf("PutArticle(%q): %v", a.URL, err)
	}
	if got != want {
		t.Fatalf("PutArticle(%q) = %v, want %v", a.URL, got, want)
	}
}

func mustAddSource(t *testing.T, s store.Store, src *store.Source) {
	t.Helper()
	if err := s.AddSource(context.Background(), src); err != nil {
		t.Fatalf("AddSource(%q): %v", src.URL, err)
	}
}

func count(t *testing.T, s store.Store) int {
	t.Helper()
	n, err := s.CountArticles(context.Background())
	if err != nil {
		t.Fatalf("CountArticles: %v", err)
	}
	return n
}

// ms is how a time reads back from a store: UTC, to the millisecond.
func ms(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Millisecond)
}

// checkArticle fails unless got holds what want was stored with.
func checkArticle(t *testing.T, got, want *store.Article) {
	t.Helper()
	var diffs []string
	diff := func(field string, g, w any) {
		diffs = append(diffs, fmt.Sprintf("%s = %q, want %q", field, g, w))
	}
	if got.ID != want.ID {
		diff("ID", fmt.Sprint(got.ID), fmt.Sprint(want.ID))
	}
	if got.SourceID != want.SourceID {
		diff("SourceID", fmt.Sprint(got.SourceID), fmt.Sprint(want.SourceID))
	}
	for _, f := range []struct{ name, g, w string }{
		{"URL", got.URL, want.URL}, {"Title", got.Title, want.Title}, {"Byline", got.Byline, want.Byline},
		{"Outlet", got.Outlet, want.Outlet},
		{"Language", got.Language, want.Language}, {"Body", got.Body, want.Body}, {"Hash", got.Hash, want.Hash},
	} {
		if f.g != f.w {
			diff(f.name, f.g, f.w)
		}
	}
	if !got.Published.Equal(ms(want.Published)) || got.Published.Location() != time.UTC {
		diff("Published", got.Published.String(), ms(want.Published).String())
	}
	if !got.Fetched.Equal(ms(want.Fetched)) || got.Fetched.Location() != time.UTC {
		diff("Fetched", got.Fetched.String(), ms(want.Fetched).String())
	}
	if len(diffs) > 0 {
		t.Errorf("article %d:\n\t%s", want.ID, strings.Join(diffs, "\n\t"))
	}
}

func ids(as []*store.Article) []int64 {
	out := make([]int64, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: error %v, want one wrapping %v", what, err, target)
	}
}
