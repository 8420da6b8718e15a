package bot

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/digest/story"
	"github.com/newsdigest/newsdigest/store"
)

// The live clusters give the same digest however they were filled, and a
// digest built from them reads the analyses of the stories it shows even
// though clustering did not need them.
func TestPipelineLivePaths(t *testing.T) {
	b, clk := newTestBot(t)
	now := clk.Now()
	seed(t, b, now)
	ctx := context.Background()
	build := func(t *testing.T, p *Pipeline) *Built {
		t.Helper()
		built, err := p.Build(ctx, BuildRequest{Name: "Digest", Now: now, Since: now.Add(-DefaultWindow), Max: 8})
		if err != nil {
			t.Fatal(err)
		}
		return built
	}
	want := build(t, &Pipeline{Store: b.Store})
	var quoted int
	for _, s := range want.Digest.Stories {
		if s.Summary == "" {
			t.Fatalf("story %q has no summary", s.Headline)
		}
		quoted += len(s.Quotes)
	}
	if len(want.Digest.Stories) != 2 || quoted == 0 {
		t.Fatalf("want two stories with quotes, got %+v", want.Digest.Stories)
	}
	tests := []struct {
		name    string
		prepare func(t *testing.T, p *Pipeline)
	}{
		{"second digest", func(t *testing.T, p *Pipeline) { build(t, p) }},
		{"after Warm", func(t *testing.T, p *Pipeline) {
			if err := p.Warm(ctx, now); err != nil {
				t.Fatal(err)
			}
			arts, err := p.window(ctx, BuildRequest{Now: now, Since: now.Add(-DefaultWindow)})
			if err != nil {
				t.Fatal(err)
			}
			if n := len(p.live.unseenLocked(arts)); n != 0 {
				t.Errorf("after Warm, %d of %d articles are not clustered", n, len(arts))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Pipeline{Store: b.Store}
			tt.prepare(t, p)
			if got := build(t, p); !reflect.DeepEqual(got.Digest.Stories, want.Digest.Stories) {
				t.Errorf("stories\n%+v\nwant\n%+v", got.Digest.Stories, want.Digest.Stories)
			}
		})
	}
}

// Digests built while Warm runs, from several goroutines, are the same
// digest; the race detector checks the live clusters' locking.
func TestPipelineConcurrentBuilds(t *testing.T) {
	b, clk := newTestBot(t)
	now := clk.Now()
	seed(t, b, now)
	ctx := context.Background()
	p := &Pipeline{Store: b.Store}
	req := BuildRequest{Name: "Digest", Now: now, Since: now.Add(-DefaultWindow), Max: 8}
	results := make(chan *Built, 4)
	errs := make(chan error, 5)
	go func() { errs <- p.Warm(ctx, now) }()
	for range cap(results) {
		go func() {
			built, err := p.Build(ctx, req)
			errs <- err
			results <- built
		}()
	}
	var first *Built
	for range cap(results) {
		built := <-results
		if first == nil {
			first = built
		} else if built != nil && !reflect.DeepEqual(built.Digest.Stories, first.Digest.Stories) {
			t.Errorf("concurrent digests differ:\n%+v\n%+v", built.Digest.Stories, first.Digest.Stories)
		}
	}
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if first == nil || len(first.Digest.Stories) != 2 {
		t.Fatalf("want a digest of two stories, got %+v", first)
	}
}

// A period longer than the live clusters hold still uses them when the
// articles it reads all fall within it (the window was cut at
// MaxArticles, or older articles there are none); otherwise it clusters
// from scratch.
func TestPipelineLiveCoverage(t *testing.T) {
	tests := []struct {
		name        string
		maxArticles int
		old         bool // store an article from four days ago too
		wantLive    int  // articles in the live clusters afterwards
	}{
		{"recent articles only", 0, false, 3},
		{"window cut at MaxArticles", 2, true, 2},
		{"an old article in the window", 0, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, clk := newTestBot(t)
			now := clk.Now()
			seed(t, b, now)
			if tt.old {
				a := &store.Article{URL: "https://gazette.example/old", Title: "Old harbour news", Published: now.Add(-96 * time.Hour),
					Body: "The harbour authority published its annual report on shipping volumes."}
				if _, err := b.Store.PutArticle(context.Background(), a); err != nil {
					t.Fatal(err)
				}
			}
			p := &Pipeline{Store: b.Store, MaxArticles: tt.maxArticles}
			if _, err := p.Build(context.Background(), BuildRequest{Now: now, Since: now.Add(-MaxWindow)}); err != nil {
				t.Fatal(err)
			}
			if got := len(p.live.added); got != tt.wantLive {
				t.Errorf("%d articles in the live clusters, want %d", got, tt.wantLive)
			}
		})
	}
}

// failingAnalyses fails to read analyses after its first call.
type failingAnalyses struct {
	Store
	calls int
}

func (s *failingAnalyses) Analyses(ctx context.Context, ids []int64, version int) (map[int64]*store.Analysis, error) {
	if s.calls++; s.calls > 1 {
		return nil, errors.New("disk on fire")
	}
	return s.Store.Analyses(ctx, ids, version)
}

// A reader hands every article over in order, a chunk at a time, with its
// analysis, and stops at the store's first error.
func TestPipelineReader(t *testing.T) {
	b, clk := newTestBot(t)
	seed(t, b, clk.Now())
	ctx := context.Background()
	arts, err := b.Store.Articles(ctx, store.ArticleQuery{})
	if err != nil || len(arts) != 3 {
		t.Fatalf("articles: %d, %v", len(arts), err)
	}
	arts = sortedByID(arts)
	tests := []struct {
		name    string
		store   Store
		size    int
		wantErr bool
		want    [][]int64 // the chunks handed over
	}{
		{"one chunk", b.Store, 1000, false, [][]int64{{arts[0].ID, arts[1].ID, arts[2].ID}}},
		{"chunks of two", b.Store, 2, false, [][]int64{{arts[0].ID, arts[1].ID}, {arts[2].ID}}},
		{"chunks of one", b.Store, 1, false, [][]int64{{arts[0].ID}, {arts[1].ID}, {arts[2].ID}}},
		{"store fails", &failingAnalyses{Store: b.Store}, 1, true, [][]int64{{arts[0].ID}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Pipeline{Store: tt.store}
			ans := map[int64]*store.Analysis{}
			var got [][]int64
			err := p.reader(ctx, ans, nil, tt.size)(arts, func(sa []story.Article) {
				var ids []int64
				for _, a := range sa {
					if ans[a.ID] == nil || a.Lede != ans[a.ID].Lede || a.Lede == "" {
						t.Errorf("article %d handed over without its analysis's lede", a.ID)
					}
					ids = append(ids, a.ID)
				}
				got = append(got, ids)
			})
			if (err != nil) != tt.wantErr {
				t.Errorf("error %v, want error: %v", err, tt.wantErr)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("chunks %v, want %v", got, tt.want)
			}
		})
	}
}
