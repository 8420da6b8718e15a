package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/store"
	"github.com/newsdigest/newsdigest/store/postgres"
)

func TestPruneRetentionConfig(t *testing.T) {
	tests := []struct {
		value, grace string
		want         time.Duration
		errHas       string
	}{
		{value: "", want: 90 * 24 * time.Hour}, // the default
		{value: "30d", want: 30 * 24 * time.Hour},
		{value: "26w", want: 26 * 7 * 24 * time.Hour},
		{value: "2160h", want: 90 * 24 * time.Hour},
		{value: "off", want: 0},
		{value: "OFF", want: 0},
		{value: "0", want: 0},
		{value: "10d", want: 10 * 24 * time.Hour}, // the shortest, with the default grace
		{value: "9d", errHas: "at least 10d"},
		{value: "10d", grace: "72h", errHas: "at least 12d"},
		{value: "1h", errHas: "at least 10d"},
		{value: "forever", errHas: "NEWSDIGEST_RETENTION"},
		{value: "-5d", errHas: "NEWSDIGEST_RETENTION"},
	}
	for _, tt := range tests {
		t.Run(tt.value+"/"+tt.grace, func(t *testing.T) {
			env := map[string]string{"HOME": t.TempDir(), "NEWSDIGEST_RETENTION": tt.value, "NEWSDIGEST_SCHEDULE_GRACE": tt.grace}
			cfg, err := loadConfig("", func(k string) string { return env[k] })
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("error %v, want one saying %q", err, tt.errHas)
				}
				return
			}
			if err != nil || cfg.Retention != tt.want {
				t.Fatalf("Retention = %v, %v; want %v", cfg.Retention, err, tt.want)
			}
		})
	}
}

// A prune never deletes what a digest may read, whatever the retention.
func TestPruneRequestKeepsDigestWindow(t *testing.T) {
	now := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	tests := []struct {
		retention, grace, want time.Duration
	}{
		{90 * day, 6 * time.Hour, 90 * day},
		{10 * day, 6 * time.Hour, 10 * day},
		{time.Hour, 6 * time.Hour, 10 * day},  // below the floor: the floor
		{9 * day, 0, 9 * day},                 // 7 days' window + 48 h cap
		{time.Hour, 30 * day, 39 * day},       // a long grace keeps more
		{time.Hour, time.Minute, 10 * day},    // whole days
		{400 * day, 6 * time.Hour, 400 * day}, // long retention
	}
	for _, tt := range tests {
		got := pruneRequest(now, tt.retention, tt.grace)
		want := now.Add(-tt.want)
		if !got.Articles.Equal(want) || !got.Delivered.Equal(want) || !got.Slots.Equal(want) || got.DryRun {
			t.Errorf("pruneRequest(retention %v, grace %v) = %+v, want everything before %v", tt.retention, tt.grace, got, want)
		}
	}
}

// pruneFill stores, relative to now, two old articles (one analysed) and a
// new one; a channel with two old sent digests and a new one; a channel
// whose only digest is old; an old and a new delivered story for each. A
// prune at 90 days deletes 2 articles, 1 analysis, 2 delivered stories and
// 2 slots.
func pruneFill(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	days := func(n int) time.Time { return now.Add(-time.Duration(n) * 24 * time.Hour) }
	var ids []int64
	for i, at := range []time.Time{days(200), days(120), days(1)} {
		a := &store.Article{URL: fmt.Sprintf("https://prune.example/%d", i), Title: fmt.Sprintf("Story %d", i),
			Body: "Body.", Published: at, Fetched: at}
		if _, err := st.PutArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	if err := st.PutAnalyses(ctx, []*store.Analysis{{ArticleID: ids[0], Version: 1}, {ArticleID: ids[2], Version: 1}}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		chat  string
		slots []time.Time
	}{{"1", []time.Time{days(100), days(95), days(1)}}, {"2", []time.Time{days(120)}}} {
		ch := &store.Channel{Platform: store.Telegram, ChatID: c.chat, Schedule: "daily 08:00"}
		if err := st.SaveChannel(ctx, ch); err != nil {
			t.Fatal(err)
		}
		for i, due := range c.slots {
			sl := &store.Slot{ChannelID: ch.ID, Local: fmt.Sprint(i), Due: due}
			if ok, err := st.ClaimSlot(ctx, sl, "t", due, time.Minute); err != nil || !ok {
				t.Fatalf("ClaimSlot: %v, %v", ok, err)
			}
			if err := st.CompleteSlot(ctx, sl.ID, "t", nil, due); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.MarkDelivered(ctx, ch.ID, []store.Delivered{{StoryKey: "old", At: days(100)}, {StoryKey: "new", At: days(2)}}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPruneCommand(t *testing.T) {
	backends := []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "nd.db") }},
		{"postgres", func(t *testing.T) string { dsn, _ := pgSchema(t); return dsn }},
	}
	line := func(kind string, n int) string { return fmt.Sprintf("  %-10s %10d\n", kind, n) }
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			c := newCLI(t)
			c.env["NEWSDIGEST_DATABASE"] = b.dsn(t)
			st, err := openStore(context.Background(), c.env["NEWSDIGEST_DATABASE"])
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			pruneFill(t, st)
			counts := func() store.Counts {
				t.Helper()
				n, err := st.Counts(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			full := counts()

			c.env["NEWSDIGEST_RETENTION"] = "off"
			code, out, errs := c.run("prune")
			if code != 0 || !strings.Contains(out, "off") || counts() != full {
				t.Fatalf("prune with retention off: exit %d, %q, %q; counts %+v, were %+v", code, out, errs, counts(), full)
			}
			delete(c.env, "NEWSDIGEST_RETENTION") // the default, 90 days

			steps := []struct {
				args  []string
				verb  string
				lines []string
				gone  store.Counts
			}{
				{[]string{"prune", "--dry-run"}, "Would delete",
					[]string{line("articles", 2), line("analyses", 1), line("delivered", 2), line("slots", 2)}, store.Counts{}},
				{[]string{"prune"}, "Deleted",
					[]string{line("articles", 2), line("analyses", 1), line("delivered", 2), line("slots", 2)},
					store.Counts{Articles: 2, Analyses: 1, Delivered: 2, Slots: 2}},
				{[]string{"prune"}, "Deleted", // nothing left to delete
					[]string{line("articles", 0), line("slots", 0)}, store.Counts{Articles: 2, Analyses: 1, Delivered: 2, Slots: 2}},
			}
			for _, s := range steps {
				code, out, errs := c.run(s.args...)
				if code != 0 || !strings.HasPrefix(out, s.verb+" what is older than ") || !strings.Contains(out, "NEWSDIGEST_RETENTION=90d") {
					t.Fatalf("%v: exit %d\nstdout: %s\nstderr: %s", s.args, code, out, errs)
				}
				for _, l := range s.lines {
					if !strings.Contains(out, l) {
						t.Errorf("%v: output lacks %q:\n%s", s.args, l, out)
					}
				}
				want := full
				want.Articles -= s.gone.Articles
				want.Analyses -= s.gone.Analyses
				want.Delivered -= s.gone.Delivered
				want.Slots -= s.gone.Slots
				if got := counts(); got != want {
					t.Errorf("%v: counts %+v, want %+v", s.args, got, want)
				}
			}
		})
	}
	c := newCLI(t)
	c.env["NEWSDIGEST_RETENTION"] = "3d"
	if code, _, errs := c.run("prune"); code != 1 || !strings.Contains(errs, "at least 10d") {
		t.Errorf("prune with a retention under the floor: exit %d, %q", code, errs)
	}
	if code, _, errs := c.run("prune", "now"); code != 2 || !strings.Contains(errs, "unexpected argument") {
		t.Errorf("prune with an argument: exit %d, %q", code, errs)
	}
}

// pruneRecorder is a store whose Prune records its requests and fails the
// first one.
type pruneRecorder struct {
	store.Store
	mu   sync.Mutex
	reqs []store.PruneRequest
	at   []time.Time
}

func (p *pruneRecorder) Prune(ctx context.Context, r store.PruneRequest) (store.PruneStats, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reqs = append(p.reqs, r)
	p.at = append(p.at, time.Now())
	if len(p.reqs) == 1 {
		return store.PruneStats{}, fmt.Errorf("database is locked")
	}
	return store.PruneStats{Articles: 1}, nil
}

// serve's prune job runs after its first delay and then at every period,
// goes on after a failed prune, and stops with its context.
func TestPruneDaily(t *testing.T) {
	rec := &pruneRecorder{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	start := time.Now()
	const first, every = 30 * time.Millisecond, 10 * time.Millisecond
	go func() {
		done <- pruneDaily(ctx, rec, 90*24*time.Hour, 6*time.Hour, first, every, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		rec.mu.Lock()
		n := len(rec.reqs)
		rec.mu.Unlock()
		if n >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d prunes after 5 s, want 3", n)
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("pruneDaily = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("pruneDaily did not stop with its context")
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if d := rec.at[0].Sub(start); d < first {
		t.Errorf("first prune after %v, want at least %v", d, first)
	}
	for i, r := range rec.reqs {
		if age := rec.at[i].Sub(r.Articles); age < 90*24*time.Hour || age > 90*24*time.Hour+time.Second || r.DryRun {
			t.Errorf("prune %d: request %+v, want everything 90 days old", i, r)
		}
		if i > 0 && rec.at[i].Sub(rec.at[i-1]) < every {
			t.Errorf("prune %d came %v after the last, want at least %v", i, rec.at[i].Sub(rec.at[i-1]), every)
		}
	}
}

// lockedPruneRecorder is a store of several replicas whose prune lock
// another replica may hold.
type lockedPruneRecorder struct {
	pruneRecorder
	free     bool
	released int
}

func (l *lockedPruneRecorder) TryLock(context.Context, string) (func(), bool, error) {
	if !l.free {
		return nil, false, nil
	}
	return func() { l.released++ }, true, nil
}

// Of several replicas, only the one that takes the prune lock prunes, and
// it gives the lock back.
func TestPruneOnceTakesTheReplicasLock(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	tests := []struct {
		name       string
		free       bool
		wantPrunes int
	}{
		{"another replica holds it", false, 0},
		{"free", true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := &lockedPruneRecorder{free: tt.free}
			pruneOnce(context.Background(), st, 90*24*time.Hour, 6*time.Hour, log)
			if len(st.reqs) != tt.wantPrunes || st.released != tt.wantPrunes {
				t.Errorf("%d prunes, lock released %d times; want %d and %d", len(st.reqs), st.released, tt.wantPrunes, tt.wantPrunes)
			}
		})
	}
}

// The PostgreSQL store is the one whose replicas share the prune lock.
var _ replicaLocker = (*postgres.Store)(nil)
