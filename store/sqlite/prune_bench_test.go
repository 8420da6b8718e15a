package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/store"
	"github.com/newsdigest/newsdigest/store/storetest"
)

// The prune benchmarks delete old records while another goroutine records
// fetch states as the poller does, and report the rate of deletion and how
// long that writer waited for the write connection at worst and at the
// 99th percentile: the longest write lock a batch held, plus the writer's
// own write.

// BenchmarkPruneArticles prunes 5,000 old articles of about 3 KB, each
// with an analysis and a quote (all but the last stored, which stays).
func BenchmarkPruneArticles(b *testing.B) {
	const n = 5000
	g := storetest.NewSynth(7)
	old := time.Now().Add(-200 * 24 * time.Hour)
	as := make([]*store.Article, n)
	for i := range as {
		as[i] = g.Article(i, 3000)
		as[i].Published = old.Add(-time.Duration(i) * time.Minute)
		as[i].Fetched = old
	}
	fill := func(s *Store) {
		ctx := context.Background()
		for part := range slices.Chunk(storetest.Copies(as), 500) {
			if _, err := s.PutArticles(ctx, part); err != nil {
				b.Fatal(err)
			}
			analyses := make([]*store.Analysis, len(part))
			for j, a := range part {
				analyses[j] = &store.Analysis{ArticleID: a.ID, Version: 1, Summary: []string{a.Title},
					Quotes: []store.StoredQuote{{Text: a.Title, Speaker: "Someone", Key: true, Rank: 1}}}
			}
			if err := s.PutAnalyses(ctx, analyses); err != nil {
				b.Fatal(err)
			}
		}
	}
	req := store.PruneRequest{Articles: time.Now().Add(-90 * 24 * time.Hour)}
	benchPrune(b, fill, req, store.PruneStats{Articles: n - 1, Analyses: n - 1}) // the last stored stays
}

// BenchmarkPruneSlots prunes the 100 days of daily digests before the
// last 90 of 200 channels: 20,000 slots.
func BenchmarkPruneSlots(b *testing.B) {
	const channels, days = 200, 190
	now := time.Now()
	fill := func(s *Store) {
		ctx := context.Background()
		for c := range channels {
			ch := &store.Channel{Platform: store.Telegram, ChatID: fmt.Sprint(c), Schedule: "daily 08:00"}
			if err := s.SaveChannel(ctx, ch); err != nil {
				b.Fatal(err)
			}
			// Loaded, not claimed one by one: the same rows, much faster.
			ss := make([]*store.Slot, days)
			for d := range ss {
				due := now.Add(-time.Duration(days-d) * 24 * time.Hour)
				ss[d] = &store.Slot{ID: int64(c*days + d + 1), ChannelID: ch.ID, Local: due.Format("2006-01-02T15:04"),
					Due: due, Attempts: 1, Done: true, MessageIDs: []string{"1"}, SentAt: due}
			}
			if err := s.LoadSlots(ctx, ss); err != nil {
				b.Fatal(err)
			}
		}
	}
	req := store.PruneRequest{Slots: now.Add(-90 * 24 * time.Hour)}
	benchPrune(b, fill, req, store.PruneStats{Slots: channels * (days - 90)})
}

func benchPrune(b *testing.B, fill func(s *Store), req store.PruneRequest, want store.PruneStats) {
	ctx := context.Background()
	var elapsed time.Duration
	var waits []time.Duration
	for b.Loop() {
		b.StopTimer()
		s, err := Open(filepath.Join(b.TempDir(), "prune.db"))
		if err != nil {
			b.Fatal(err)
		}
		fill(s)
		src := &store.Source{URL: "https://feed.example.com/rss"}
		if err := s.AddSource(ctx, src); err != nil {
			b.Fatal(err)
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				case <-time.After(time.Millisecond):
				}
				start := time.Now()
				if err := s.SetFetchState(ctx, src.ID, store.FetchState{LastFetch: start}); err != nil {
					b.Error(err)
					return
				}
				waits = append(waits, time.Since(start))
			}
		})
		b.StartTimer()
		start := time.Now()
		got, err := s.Prune(ctx, req)
		elapsed += time.Since(start)
		b.StopTimer()
		close(stop)
		wg.Wait()
		if err != nil || got != want {
			b.Fatalf("Prune = %+v, %v; want %+v", got, err, want)
		}
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(want.Total()*b.N)/elapsed.Seconds(), "records/s")
	slices.Sort(waits)
	if len(waits) > 0 {
		b.ReportMetric(float64(waits[len(waits)-1].Microseconds())/1000, "max-write-wait-ms")
		b.ReportMetric(float64(waits[len(waits)*99/100].Microseconds())/1000, "p99-write-wait-ms")
	}
}
