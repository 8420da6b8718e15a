package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

func testInsert(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := article(1)
	a.URL = "HTTPS://News.Example.com:443/story/1?utm_source=rss&id=5#comments"
	a.Published = time.Date(2026, 2, 28, 9, 30, 15, 123456789, time.FixedZone("MSK", 3*3600))
	a.Fetched = time.Date(2026, 2, 28, 10, 0, 0, 987654321, time.Local)
	a.Title = "  Story   number 1\n"
	mustPut(t, s, a, store.Inserted)

	if a.ID <= 0 {
		t.Fatalf("ID = %d after insert, want > 0", a.ID)
	}
	if want := "https://news.example.com/story/1?id=5"; a.URL != want {
		t.Errorf("URL = %q after insert, want the canonical %q", a.URL, want)
	}
	if a.Title != "Story number 1" {
		t.Errorf("Title = %q after insert, want it normalised", a.Title)
	}
	if want := store.ContentHash(a.Title, a.Body); a.Hash != want {
		t.Errorf("Hash = %q, want ContentHash = %q", a.Hash, want)
	}

	got, err := s.Article(ctx, a.ID)
	if err != nil {
		t.Fatalf("Article(%d): %v", a.ID, err)
	}
	checkArticle(t, got, a)

	byURL, err := s.ArticleByURL(ctx, "https://news.example.com/story/1?fbclid=x&id=5")
	if err != nil {
		t.Fatalf("ArticleByURL: %v", err)
	}
	checkArticle(t, byURL, a)
	if n := count(t, s); n != 1 {
		t.Errorf("CountArticles = %d, want 1", n)
	}

	// Fetched defaults to the time of the write.
	b := article(2)
	before := time.Now().Add(-time.Second)
	mustPut(t, s, b, store.Inserted)
	got, err = s.Article(ctx, b.ID)
	if err != nil {
		t.Fatalf("Article(%d): %v", b.ID, err)
	}
	if got.Fetched.Before(before) || got.Fetched.After(time.Now().Add(time.Second)) {
		t.Errorf("Fetched = %v for an article put without one, want about now", got.Fetched)
	}
	// An article without a publication date keeps a zero Published.
	c := article(3)
	c.Published = time.Time{}
	mustPut(t, s, c, store.Inserted)
	if got, err := s.Article(ctx, c.ID); err != nil || !got.Published.IsZero() {
		t.Errorf("Article(%d) = Published %v, %v; want zero", c.ID, got.Published, err)
	}
}

func testDedupByURL(t *testing.T, s store.Store) {
	first := article(1)
	mustPut(t, s, first, store.Inserted)
	for _, u := range []string{
		"https://news.example.com/story/1",
		"https://news.example.com/story/1?utm_source=rss&utm_medium=feed",
		"https://news.example.com/story/1#top",
		"HTTPS://NEWS.EXAMPLE.COM/story/1",
		"https://news.example.com:443/story/1?gclid=abc",
		"https://user@news.example.com/story/1?",
	} {
		t.Run(u, func(t *testing.T) {
			again := article(1)
			again.URL = u
			mustPut(t, s, again, store.Unchanged)
			if again.ID != first.ID || again.URL != first.URL || again.Hash != first.Hash {
				t.Errorf("got id %d url %q hash %s, want the stored %d %q %s",
					again.ID, again.URL, again.Hash, first.ID, first.URL, first.Hash)
			}
		})
	}
	if n := count(t, s); n != 1 {
		t.Errorf("CountArticles = %d, want 1", n)
	}
}

func testDedupByHash(t *testing.T, s store.Store) {
	first := article(1)
	mustPut(t, s, first, store.Inserted)
	tests := []struct {
		name  string
		title string
		body  string
	}{
		{"same text", first.Title, first.Body},
		{"whitespace differs", "  " + first.Title + " ", "\n" + first.Body + "\r\n"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			syndicated := &store.Article{
				URL:   fmt.Sprintf("https://mirror.example.org/copy/%d", i),
				Title: tt.title,
				Body:  tt.body,
			}
			mustPut(t, s, syndicated, store.Unchanged)
			if syndicated.ID != first.ID {
				t.Errorf("ID = %d, want the stored article's %d", syndicated.ID, first.ID)
			}
			if syndicated.URL != first.URL {
				t.Errorf("URL = %q, want the stored article's %q", syndicated.URL, first.URL)
			}
			if _, err := s.ArticleByURL(context.Background(), fmt.Sprintf("https://mirror.example.org/copy/%d", i)); err == nil {
				t.Error("the duplicate's URL was stored")
			}
		})
	}
	// A change of case is a change of text.
	shouted := &store.Article{URL: "https://mirror.example.org/shout", Title: first.Title, Body: first.Body + " MORE"}
	mustPut(t, s, shouted, store.Inserted)
	if n := count(t, s); n != 2 {
		t.Errorf("CountArticles = %d, want 2", n)
	}
}

func testNoURL(t *testing.T, s store.Store) {
	a := &store.Article{Title: "Imported", Body: "From a file, with no link."}
	mustPut(t, s, a, store.Inserted)
	if a.URL != "" {
		t.Errorf("URL = %q, want empty", a.URL)
	}
	same := &store.Article{Title: "Imported", Body: "From a file,  with no link."}
	mustPut(t, s, same, store.Unchanged)
	if same.ID != a.ID {
		t.Errorf("ID = %d for the same text, want %d", same.ID, a.ID)
	}
	other := &store.Article{Title: "Imported", Body: "Another file."}
	mustPut(t, s, other, store.Inserted)
	if other.ID == a.ID {
		t.Error("two different URL-less articles got the same id")
	}
	// A URL-less article whose text is already stored under a URL is that article.
	linked := article(7)
	mustPut(t, s, linked, store.Inserted)
	copyNoURL := &store.Article{Title: linked.Title, Body: linked.Body}
	mustPut(t, s, copyNoURL, store.Unchanged)
	if copyNoURL.ID != linked.ID || copyNoURL.URL != linked.URL {
		t.Errorf("got id %d url %q, want %d %q", copyNoURL.ID, copyNoURL.URL, linked.ID, linked.URL)
	}
	if n := count(t, s); n != 3 {
		t.Errorf("CountArticles = %d, want 3", n)
	}
}

func testUpdateInPlace(t *testing.T, s store.Store) {
	ctx := context.Background()
	src := &store.Source{Name: "Wire", URL: "https://wire.example.com/feed.xml"}
	mustAddSource(t, s, src)
	a := article(1)
	a.SourceID = src.ID
	a.Body = "Early version mentions the zeppelin."
	mustPut(t, s, a, store.Inserted)
	oldHash := a.Hash

	b := article(1)
	b.URL += "?utm_campaign=later"
	b.SourceID = src.ID
	b.Body = "Corrected version mentions the hovercraft instead."
	b.Fetched = base.Add(time.Hour)
	mustPut(t, s, b, store.Updated)
	if b.ID != a.ID {
		t.Fatalf("ID = %d after update, want the original %d", b.ID, a.ID)
	}
	if b.Hash == oldHash || b.Hash != store.ContentHash(b.Title, b.Body) {
		t.Errorf("Hash = %s after update, want the new text's hash", b.Hash)
	}
	got, err := s.Article(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	checkArticle(t, got, b)
	if n := count(t, s); n != 1 {
		t.Errorf("CountArticles = %d, want 1", n)
	}

	for _, tt := range []struct {
		search string
		want   int
	}{
		{"hovercraft", 1},
		{"zeppelin", 0},
		{"corrected version", 1},
		{"early version", 0},
	} {
		as, err := s.Articles(ctx, store.ArticleQuery{Search: tt.search})
		if err != nil {
			t.Fatalf("search %q: %v", tt.search, err)
		}
		if len(as) != tt.want {
			t.Errorf("search %q found %d articles, want %d", tt.search, len(as), tt.want)
		}
	}

	// Putting the updated version again changes nothing.
	c := article(1)
	c.SourceID = src.ID
	c.Body = b.Body
	mustPut(t, s, c, store.Unchanged)
	if c.ID != a.ID {
		t.Errorf("ID = %d, want %d", c.ID, a.ID)
	}
}

func testInvalidArticle(t *testing.T, s store.Store) {
	tests := []struct {
		name string
		a    *store.Article
	}{
		{"empty title and body", &store.Article{URL: "https://news.example.com/empty"}},
		{"whitespace only", &store.Article{URL: "https://news.example.com/blank", Title: " \n\t", Body: "\n\n \x00"}},
		{"ftp url", &store.Article{URL: "ftp://news.example.com/a", Title: "t", Body: "b"}},
		{"relative url", &store.Article{URL: "/story/1", Title: "t", Body: "b"}},
		{"unknown source", &store.Article{URL: "https://news.example.com/orphan", SourceID: 424242, Title: "t", Body: "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.PutArticle(context.Background(), tt.a)
			wantErr(t, "PutArticle", err, store.ErrInvalid)
		})
	}
	if n := count(t, s); n != 0 {
		t.Errorf("CountArticles = %d after invalid puts, want 0", n)
	}
}

func testCanceled(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.PutArticle(ctx, article(1)); err == nil {
		t.Error("PutArticle with a canceled context succeeded")
	}
	if n := count(t, s); n != 0 {
		t.Errorf("CountArticles = %d, want 0", n)
	}
}

func testConcurrentPut(t *testing.T, s store.Store) {
	const workers, each, shared = 8, 25, 5
	var wg sync.WaitGroup
	var mu sync.Mutex
	inserted := map[int]int{} // shared article -> how many writers inserted it
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				a := article(1000 + w*each + i)
				if _, err := s.PutArticle(context.Background(), a); err != nil {
					errs <- err
					return
				}
				// Every writer also puts the same few articles.
				n := i % shared
				out, err := s.PutArticle(context.Background(), article(n))
				if err != nil {
					errs <- err
					return
				}
				if out == store.Inserted {
					mu.Lock()
					inserted[n]++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent PutArticle: %v", err)
	}
	if n, want := count(t, s), workers*each+shared; n != want {
		t.Errorf("CountArticles = %d, want %d", n, want)
	}
	for n := range shared {
		if inserted[n] != 1 {
			t.Errorf("shared article %d was inserted %d times, want once", n, inserted[n])
		}
	}
}

func testBatch(t *testing.T, s store.Store) {
	ctx := context.Background()
	existing := article(1)
	mustPut(t, s, existing, store.Inserted)
	changed := article(1)
	changed.Body = "A new text for the first story."
	dupInBatch := article(2)
	dupInBatch.URL += "?utm_source=x"
	batch := []*store.Article{article(2), article(1), changed, article(3), dupInBatch}
	outs, err := s.PutArticles(ctx, batch)
	if err != nil {
		t.Fatalf("PutArticles: %v", err)
	}
	want := []store.PutOutcome{store.Inserted, store.Unchanged, store.Updated, store.Inserted, store.Unchanged}
	if len(outs) != len(want) {
		t.Fatalf("PutArticles returned %d outcomes, want %d", len(outs), len(want))
	}
	for i := range want {
		if outs[i] != want[i] {
			t.Errorf("outcome %d = %v, want %v", i, outs[i], want[i])
		}
		if batch[i].ID == 0 {
			t.Errorf("article %d has no id after PutArticles", i)
		}
	}
	if batch[1].ID != existing.ID || batch[2].ID != existing.ID || batch[4].ID != batch[0].ID {
		t.Errorf("ids %v: want 1 and 2 to be the stored %d, 4 to be 0's", ids(batch), existing.ID)
	}
	if n := count(t, s); n != 3 {
		t.Errorf("CountArticles = %d, want 3", n)
	}
	if outs, err := s.PutArticles(ctx, nil); err != nil || len(outs) != 0 {
		t.Errorf("PutArticles(nil) = %v, %v; want nothing", outs, err)
	}
}

func testBatchAllOrNothing(t *testing.T, s store.Store) {
	batch := []*store.Article{article(1), {URL: "https://news.example.com/empty"}, article(2)}
	_, err := s.PutArticles(context.Background(), batch)
	wantErr(t, "PutArticles with an empty article", err, store.ErrInvalid)
	if n := count(t, s); n != 0 {
		t.Errorf("CountArticles = %d after a failed batch, want 0", n)
	}
	if batch[0].ID != 0 {
		t.Errorf("article 0 got id %d from a failed batch", batch[0].ID)
	}
}

// An article inserted and changed twice in one batch, and a stored one
// changed twice (once moving in time), end up searchable by their last text
// only.
func testUpdateWithinBatch(t *testing.T, s store.Store) {
	ctx := context.Background()
	stored := article(1)
	mustPut(t, s, stored, store.Inserted)

	v := func(n int, url, body string, published time.Time) *store.Article {
		return &store.Article{URL: url, Title: fmt.Sprintf("Version %d", n), Body: body, Published: published}
	}
	fresh := "https://news.example.com/fresh"
	batch := []*store.Article{
		v(1, fresh, "First draft about walruses.", base),
		v(2, fresh, "Second draft about penguins.", base),
		v(3, fresh, "Final text about albatrosses.", base.Add(-time.Hour)),
		v(4, stored.URL, "Stored story now about pelicans.", stored.Published),
		v(5, stored.URL, "Stored story finally about herons.", stored.Published.Add(-48*time.Hour)),
	}
	outs, err := s.PutArticles(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.PutOutcome{store.Inserted, store.Updated, store.Updated, store.Updated, store.Updated}
	for i := range want {
		if outs[i] != want[i] {
			t.Errorf("outcome %d = %v, want %v", i, outs[i], want[i])
		}
	}
	if batch[0].ID != batch[2].ID || batch[3].ID != stored.ID || batch[4].ID != stored.ID {
		t.Errorf("ids %v: want the fresh article's id thrice and then the stored %d twice", ids(batch), stored.ID)
	}
	for _, tt := range []struct {
		search string
		want   []int64
	}{
		{"walruses", nil},
		{"penguins", nil},
		{"albatrosses", []int64{batch[0].ID}},
		{"pelicans", nil},
		{"herons", []int64{stored.ID}},
		{"story", []int64{stored.ID}},
		{"version", []int64{batch[0].ID, stored.ID}},
	} {
		got, err := s.Articles(ctx, store.ArticleQuery{Search: tt.search})
		if err != nil {
			t.Fatal(err)
		}
		if !equalIDs(ids(got), tt.want) {
			t.Errorf("search %q = ids %v, want %v", tt.search, ids(got), tt.want)
		}
	}
	// The stored article moved back in time with its last version.
	got, err := s.Articles(ctx, store.ArticleQuery{Until: stored.Published.Add(-24 * time.Hour)})
	if err != nil || !equalIDs(ids(got), []int64{stored.ID}) {
		t.Errorf("articles before the moved story = %v, %v; want [%d]", ids(got), err, stored.ID)
	}
	if n := count(t, s); n != 2 {
		t.Errorf("CountArticles = %d, want 2", n)
	}
}

func testArticleNotFound(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, err := s.Article(ctx, 12345)
	wantErr(t, "Article(12345)", err, store.ErrNotFound)
	_, err = s.ArticleByURL(ctx, "https://news.example.com/none")
	wantErr(t, "ArticleByURL", err, store.ErrNotFound)
	_, err = s.ArticleByURL(ctx, "not a url")
	wantErr(t, "ArticleByURL(not a url)", err, store.ErrInvalid)
}

func testQuery(t *testing.T, s store.Store) {
	ctx := context.Background()
	wire := &store.Source{Name: "Wire", URL: "https://wire.example.com/rss"}
	daily := &store.Source{Name: "Daily", URL: "https://daily.example.com/atom"}
	mustAddSource(t, s, wire)
	mustAddSource(t, s, daily)

	// Nine articles, one an hour back from base; the 5th has no
	// publication date and sits at its fetch time instead.
	type fix struct {
		src   *store.Source
		lang  string
		title string
		body  string
	}
	fixtures := []fix{
		{wire, "en", "Harbour reopens", "The harbour reopened after the storm."},
		{daily, "en", "Storm damage counted", "Officials counted storm damage along the coast."},
		{wire, "ru", "Шторм в порту", "Порт закрыт из-за шторма."},
		{nil, "en", "Budget vote delayed", "Parliament delayed the budget vote."},
		{daily, "en", "Storm warning lifted", "Forecasters lifted the storm warning."},
		{wire, "de", "Hafen wieder offen", "Der Hafen ist nach dem Sturm wieder offen."},
		{daily, "en", "Football final", "The final ended in a draw."},
		{wire, "en", "Stormwater plans", "Council publishes stormwater plans."},
		{nil, "", "Old archive piece", "An archive piece about an old storm."},
	}
	var all []*store.Article // newest first
	for i, f := range fixtures {
		a := &store.Article{
			URL:      fmt.Sprintf("https://news.example.com/q/%d", i),
			Title:    f.title,
			Body:     f.body,
			Language: f.lang,
		}
		when := base.Add(-time.Duration(i) * time.Hour)
		if i == 4 {
			a.Fetched = when
		} else {
			a.Published = when
			a.Fetched = base.Add(time.Hour)
		}
		if f.src != nil {
			a.SourceID = f.src.ID
		}
		mustPut(t, s, a, store.Inserted)
		all = append(all, a)
	}
	pick := func(idx ...int) []int64 {
		out := make([]int64, len(idx))
		for i, j := range idx {
			out[i] = all[j].ID
		}
		return out
	}
	tests := []struct {
		name string
		q    store.ArticleQuery
		want []int64
	}{
		{"all newest first", store.ArticleQuery{}, pick(0, 1, 2, 3, 4, 5, 6, 7, 8)},
		{"since inclusive", store.ArticleQuery{Since: base.Add(-2 * time.Hour)}, pick(0, 1, 2)},
		{"until exclusive", store.ArticleQuery{Until: base.Add(-6 * time.Hour)}, pick(7, 8)},
		{"window", store.ArticleQuery{Since: base.Add(-5 * time.Hour), Until: base.Add(-2 * time.Hour)}, pick(3, 4, 5)},
		{"window uses fetched when no date", store.ArticleQuery{Since: base.Add(-4 * time.Hour), Until: base.Add(-3*time.Hour - time.Minute)}, pick(4)},
		{"window in another zone", store.ArticleQuery{Since: base.Add(-2 * time.Hour).In(time.FixedZone("X", -5*3600))}, pick(0, 1, 2)},
		{"empty window", store.ArticleQuery{Since: base.Add(time.Hour)}, nil},
		{"source", store.ArticleQuery{SourceID: daily.ID}, pick(1, 4, 6)},
		{"unknown source", store.ArticleQuery{SourceID: 9999}, nil},
		{"language", store.ArticleQuery{Language: "ru"}, pick(2)},
		{"language case", store.ArticleQuery{Language: "EN"}, pick(0, 1, 3, 4, 6, 7)},
		{"search word", store.ArticleQuery{Search: "storm"}, pick(0, 1, 4, 8)},
		{"search case", store.ArticleQuery{Search: "STORM"}, pick(0, 1, 4, 8)},
		{"search all words must match", store.ArticleQuery{Search: "storm warning"}, pick(4)},
		{"search prefix", store.ArticleQuery{Search: "storm*"}, pick(0, 1, 4, 7, 8)},
		{"search title only word", store.ArticleQuery{Search: "Stormwater"}, pick(7)},
		{"search no match", store.ArticleQuery{Search: "volcano"}, nil},
		{"search and source", store.ArticleQuery{Search: "storm", SourceID: wire.ID}, pick(0)},
		{"search and window", store.ArticleQuery{Search: "storm", Since: base.Add(-4 * time.Hour)}, pick(0, 1, 4)},
		{"limit", store.ArticleQuery{Limit: 2}, pick(0, 1)},
		{"offset", store.ArticleQuery{Limit: 3, Offset: 3}, pick(3, 4, 5)},
		{"offset past end", store.ArticleQuery{Offset: 20}, nil},
		{"limit above max", store.ArticleQuery{Limit: store.MaxLimit + 1}, pick(0, 1, 2, 3, 4, 5, 6, 7, 8)},
		{"everything together", store.ArticleQuery{Search: "storm", Language: "en", SourceID: daily.ID,
			Since: base.Add(-5 * time.Hour), Until: base, Limit: 1, Offset: 1}, pick(4)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Articles(ctx, tt.q)
			if err != nil {
				t.Fatalf("Articles(%+v): %v", tt.q, err)
			}
			if !equalIDs(ids(got), tt.want) {
				t.Errorf("Articles(%+v) = ids %v, want %v", tt.q, ids(got), tt.want)
			}
		})
	}
	// Articles come back whole.
	got, err := s.Articles(ctx, store.ArticleQuery{Limit: 1})
	if err != nil || len(got) != 1 {
		t.Fatalf("Articles(limit 1) = %d, %v", len(got), err)
	}
	checkArticle(t, got[0], all[0])
}

func testDefaultLimit(t *testing.T, s store.Store) {
	ctx := context.Background()
	batch := make([]*store.Article, store.DefaultLimit+1)
	for i := range batch {
		batch[i] = &store.Article{Title: fmt.Sprintf("Brief %d", i), Body: "Short.", Fetched: base.Add(time.Duration(i) * time.Second)}
	}
	if _, err := s.PutArticles(ctx, batch); err != nil {
		t.Fatal(err)
	}
	got, err := s.Articles(ctx, store.ArticleQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != store.DefaultLimit {
		t.Errorf("Articles with no limit returned %d, want DefaultLimit %d", len(got), store.DefaultLimit)
	}
	if len(got) > 0 && got[0].ID != batch[len(batch)-1].ID {
		t.Errorf("first article %d, want the newest %d", got[0].ID, batch[len(batch)-1].ID)
	}
	got, err = s.Articles(ctx, store.ArticleQuery{Limit: store.DefaultLimit + 10})
	if err != nil || len(got) != store.DefaultLimit+1 {
		t.Errorf("Articles(limit %d) = %d, %v; want %d", store.DefaultLimit+10, len(got), err, store.DefaultLimit+1)
	}
}

func testBadLimit(t *testing.T, s store.Store) {
	mustPut(t, s, article(1), store.Inserted)
	for _, q := range []store.ArticleQuery{{Limit: -1}, {Offset: -1}} {
		_, err := s.Articles(context.Background(), q)
		wantErr(t, fmt.Sprintf("Articles(%+v)", q), err, store.ErrInvalid)
	}
}

func testHostileSearch(t *testing.T, s store.Store) {
	ctx := context.Background()
	for i := range 3 {
		mustPut(t, s, article(i), store.Inserted)
	}
	quoted := &store.Article{URL: "https://news.example.com/quoted", Title: `He said "AND" (twice)`, Body: `NEAR the OR gate: a*b, x^y, col:val, {braces} - done.`}
	mustPut(t, s, quoted, store.Inserted)
	for _, q := range []string{
		`"`, `""`, `"""`, `AND`, `OR`, `NOT`, `and or not`, `*`, `**`, `(`, `)`, `()`, `NEAR(`, `NEAR(a b, 2)`,
		`a AND (`, `"unterminated`, `title:story`, `body:`, `-story`, `+story`, `^story`, `{title}: x`,
		`story*`, `*story`, `st*ory`, `'`, `\`, `;`, `%`, `_`, `story OR`, `AND story`, `NOT story`,
		"\x00", "\t\n", "a\x00b", "story\x00", "\"st\x00ory", `💥`, `€`, `)(*&^%$#@!`, `""story""`, `sto"ry`,
	} {
		t.Run(q, func(t *testing.T) {
			if _, err := s.Articles(ctx, store.ArticleQuery{Search: q}); err != nil {
				t.Errorf("Articles(Search: %q): %v", q, err)
			}
		})
	}
	for _, q := range []string{"", "   ", "(", "*", `"`} {
		got, err := s.Articles(ctx, store.ArticleQuery{Search: q})
		if err != nil || len(got) != 4 {
			t.Errorf("Articles(Search: %q) = %d articles, %v; want all 4 (no words to match)", q, len(got), err)
		}
	}
	// Operator words are plain words.
	for _, q := range []string{"AND", "near", `"AND"`, "or gate", "a*b"} {
		got, err := s.Articles(ctx, store.ArticleQuery{Search: q})
		if err != nil || len(got) != 1 || got[0].ID != quoted.ID {
			t.Errorf("Articles(Search: %q) = ids %v, %v; want only %d", q, ids(got), err, quoted.ID)
		}
	}
}

func testUnicodeSearch(t *testing.T, s store.Store) {
	ctx := context.Background()
	ru := &store.Article{
		URL:      "https://news.example.ru/2026/03/01/port",
		Title:    "Москва и Санкт-Петербург",
		Body:     "Власти сообщили, что движение возобновлено.\n\nЁлка на площади осталась.",
		Language: "ru",
	}
	en := &store.Article{URL: "https://news.example.com/cafe", Title: "Café reopens", Body: "The naïve plan worked."}
	mustPut(t, s, ru, store.Inserted)
	mustPut(t, s, en, store.Inserted)
	tests := []struct {
		search string
		want   []int64
	}{
		{"Москва", []int64{ru.ID}},
		{"москва", []int64{ru.ID}},
		{"МОСКВА", []int64{ru.ID}},
		{"моск*", []int64{ru.ID}},
		{"сообщили движение", []int64{ru.ID}},
		{"Санкт-Петербург", []int64{ru.ID}},
		{"ёлка", []int64{ru.ID}},
		{"Киев", nil},
		{"café", []int64{en.ID}},
		{"naïve", []int64{en.ID}},
	}
	for _, tt := range tests {
		got, err := s.Articles(ctx, store.ArticleQuery{Search: tt.search})
		if err != nil {
			t.Errorf("Articles(Search: %q): %v", tt.search, err)
			continue
		}
		if !equalIDs(ids(got), tt.want) {
			t.Errorf("Articles(Search: %q) = ids %v, want %v", tt.search, ids(got), tt.want)
		}
	}
	got, err := s.Article(ctx, ru.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != ru.Title || got.Body != ru.Body {
		t.Errorf("Cyrillic text did not round-trip: %q / %q", got.Title, got.Body)
	}
}

// The outlet is stored, normalised to one line, kept by an update that has
// none, replaced by one that has another, and filled in on an unchanged
// article stored without one; a copy under another URL (another
// publication) does not give the stored article its outlet.
func testOutlet(t *testing.T, s store.Store) {
	ctx := context.Background()
	get := func(id int64) *store.Article {
		t.Helper()
		a, err := s.Article(ctx, id)
		if err != nil {
			t.Fatalf("Article(%d): %v", id, err)
		}
		return a
	}
	a := article(1)
	a.Outlet = "  Coastline\n\nTimes \x00"
	mustPut(t, s, a, store.Inserted)
	if a.Outlet != "Coastline Times" {
		t.Errorf("Outlet = %q after put, want %q", a.Outlet, "Coastline Times")
	}
	checkArticle(t, get(a.ID), a)

	steps := []struct {
		name       string
		outlet     string
		body       string
		want       store.PutOutcome
		wantStored string
	}{
		{"update without outlet keeps it", "", "Second version.", store.Updated, "Coastline Times"},
		{"unchanged with another outlet changes nothing", "Other Paper", "Second version.", store.Unchanged, "Coastline Times"},
		{"update with another outlet replaces it", "Coastline Times Online", "Third version.", store.Updated, "Coastline Times Online"},
	}
	for _, st := range steps {
		b := article(1)
		b.Outlet, b.Body = st.outlet, st.body
		mustPut(t, s, b, st.want)
		if got := get(a.ID).Outlet; got != st.wantStored {
			t.Errorf("%s: stored outlet %q, want %q", st.name, got, st.wantStored)
		}
		if st.want == store.Updated && b.Outlet != st.wantStored {
			t.Errorf("%s: returned outlet %q, want the stored %q", st.name, b.Outlet, st.wantStored)
		}
	}

	// An article stored without an outlet takes the first one it is put with.
	bare := article(2)
	bare.Outlet = ""
	mustPut(t, s, bare, store.Inserted)
	if got := get(bare.ID).Outlet; got != "" {
		t.Errorf("outlet %q for an article put without one", got)
	}
	mirror := &store.Article{URL: "https://mirror.example.org/2", Title: bare.Title, Body: bare.Body, Outlet: "Mirror"}
	mustPut(t, s, mirror, store.Unchanged)
	if got := get(bare.ID).Outlet; got != "" {
		t.Errorf("outlet %q from a copy under another URL, want none", got)
	}
	again := article(2)
	again.Outlet = "Wire Service"
	mustPut(t, s, again, store.Unchanged)
	if got := get(bare.ID).Outlet; got != "Wire Service" {
		t.Errorf("outlet %q after an unchanged put with one, want %q", got, "Wire Service")
	}
	got, err := s.Articles(ctx, store.ArticleQuery{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range got {
		if want := map[int64]string{a.ID: "Coastline Times Online", bare.ID: "Wire Service"}[g.ID]; g.Outlet != want {
			t.Errorf("Articles: article %d outlet %q, want %q", g.ID, g.Outlet, want)
		}
	}
}
