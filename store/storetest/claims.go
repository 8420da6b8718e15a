package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

func mustClaimSource(t *testing.T, s store.Store, src *store.Source, owner string, now time.Time, lease time.Duration, want bool) {
	t.Helper()
	c := &store.Source{ID: src.ID}
	ok, err := s.ClaimSource(context.Background(), c, owner, now, lease)
	if err != nil {
		t.Fatalf("ClaimSource(%d, %s, %v): %v", src.ID, owner, now, err)
	}
	if ok != want {
		t.Fatalf("ClaimSource(%d, %s, %v) = %v, want %v", src.ID, owner, now, ok, want)
	}
	if ok && (c.URL != src.URL || c.Name != src.Name) {
		t.Errorf("ClaimSource filled in %+v, want the stored source %+v", *c, *src)
	}
	if !ok && c.URL != "" {
		t.Errorf("ClaimSource that failed changed its argument: %+v", *c)
	}
}

func dueIDs(t *testing.T, s store.Store, now time.Time) []int64 {
	t.Helper()
	srcs, err := s.DueSources(context.Background(), now, 0)
	if err != nil {
		t.Fatalf("DueSources: %v", err)
	}
	var out []int64
	for _, src := range srcs {
		out = append(out, src.ID)
	}
	return out
}

// A due source goes to one claimer until its claim lapses or the fetch is
// recorded; a claimed source is not due for anyone else.
func testClaimSource(t *testing.T, s store.Store) {
	ctx := context.Background()
	const lease = time.Minute
	a := &store.Source{Name: "A", URL: "https://a.example.com/feed"}
	b := &store.Source{Name: "B", URL: "https://b.example.com/feed"}
	mustAddSource(t, s, a)
	mustAddSource(t, s, b)
	if err := s.SetFetchState(ctx, b.ID, store.FetchState{NextPoll: base.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}

	mustClaimSource(t, s, a, "r1", base, lease, true)
	mustClaimSource(t, s, a, "r2", base.Add(30*time.Second), lease, false)
	mustClaimSource(t, s, a, "r1", base.Add(30*time.Second), lease, false) // not re-entrant
	mustClaimSource(t, s, b, "r2", base, lease, false)                     // not due
	if got := dueIDs(t, s, base.Add(30*time.Second)); len(got) != 0 {
		t.Errorf("DueSources while A is claimed = %v, want none", got)
	}
	// The claim lapses at its end; another replica takes the source over.
	if got := dueIDs(t, s, base.Add(lease)); !equalIDs(got, []int64{a.ID}) {
		t.Errorf("DueSources when the claim lapsed = %v, want [%d]", got, a.ID)
	}
	mustClaimSource(t, s, a, "r2", base.Add(lease), lease, true)

	// Recording the fetch ends the claim before its end: with the next
	// poll already come, the source is due again at once.
	if err := s.SetFetchState(ctx, a.ID, store.FetchState{LastFetch: base.Add(lease), NextPoll: base.Add(lease + time.Second),
		BodyHash: "b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c"}); err != nil {
		t.Fatal(err)
	}
	at := base.Add(lease + 2*time.Second) // r2's claim would hold until base+2m
	if got := dueIDs(t, s, at); !equalIDs(got, []int64{a.ID}) {
		t.Errorf("DueSources after SetFetchState = %v, want [%d]", got, a.ID)
	}
	claimed := &store.Source{ID: a.ID}
	if ok, err := s.ClaimSource(ctx, claimed, "r3", at, lease); err != nil || !ok {
		t.Fatalf("ClaimSource after SetFetchState = %v, %v; want true", ok, err)
	}
	if claimed.State.BodyHash == "" || !claimed.State.LastFetch.Equal(base.Add(lease)) {
		t.Errorf("a claim gave fetch state %+v, want the one recorded, body hash included", claimed.State)
	}
	got, err := s.Source(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.State.LastFetch.Equal(base.Add(lease)) {
		t.Errorf("claim changed the fetch state: %+v", got.State)
	}
	// A claimed source can be removed; its claim goes with it.
	if err := s.RemoveSource(ctx, a.ID); err != nil {
		t.Fatalf("RemoveSource of a claimed source: %v", err)
	}

	_, err = s.ClaimSource(ctx, &store.Source{ID: 987654}, "r1", base, lease)
	wantErr(t, "ClaimSource(unknown)", err, store.ErrNotFound)
	for _, tt := range []struct {
		name  string
		src   *store.Source
		owner string
		lease time.Duration
	}{
		{"nil", nil, "r1", lease},
		{"no owner", &store.Source{ID: b.ID}, "", lease},
		{"no lease", &store.Source{ID: b.ID}, "r1", 0},
		{"negative lease", &store.Source{ID: b.ID}, "r1", -time.Second},
	} {
		_, err := s.ClaimSource(ctx, tt.src, tt.owner, base.Add(2*time.Hour), tt.lease)
		wantErr(t, "ClaimSource("+tt.name+")", err, store.ErrInvalid)
	}
}

func testConcurrentSourceClaim(t *testing.T, s store.Store) {
	SourceClaimRace(t, []store.Store{s}, 16)
}

// SourceClaimRace has workers claim one due source at once through the
// given stores (on one database), twice: once fresh and once after the
// winner's claim lapsed. Each time exactly one must win.
func SourceClaimRace(t *testing.T, stores []store.Store, workers int) {
	t.Helper()
	ctx := context.Background()
	src := &store.Source{Name: "Race", URL: fmt.Sprintf("https://race.example.com/%d", time.Now().UnixNano())}
	mustAddSource(t, stores[0], src)
	const lease = time.Minute
	for round, now := range []time.Time{base, base.Add(lease)} {
		var wg sync.WaitGroup
		start := make(chan struct{})
		var mu sync.Mutex
		var won []string
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				owner := fmt.Sprintf("owner-%d-%d", round, w)
				c := &store.Source{ID: src.ID}
				<-start
				ok, err := stores[w%len(stores)].ClaimSource(ctx, c, owner, now, lease)
				if err != nil {
					t.Errorf("round %d: ClaimSource: %v", round, err)
				}
				if ok {
					mu.Lock()
					won = append(won, owner)
					mu.Unlock()
				}
			}()
		}
		close(start)
		wg.Wait()
		if len(won) != 1 {
			t.Fatalf("round %d: %d of %d concurrent claims of a due source won (%v), want exactly 1", round, len(won), workers, won)
		}
	}
}
