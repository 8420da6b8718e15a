package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

// Fill stores one of everything a store keeps, through the contract, with
// the awkward cases a copy must keep: sources with their whole fetch
// state, removed records (gaps in the ids), updated articles, articles
// without a URL or a source, Unicode text, channels with settings and
// history, analyses of two versions, and slots claimed, done, skipped and
// released. It returns the counts it made.
func Fill(t testing.TB, s store.Store) store.Counts {
	t.Helper()
	ctx := context.Background()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("fill: %s: %v", what, err)
		}
	}
	wire := &store.Source{Name: "Wire", URL: "https://wire.example.com/rss.xml", FullText: store.FullTextAlways, Interval: 15 * time.Minute}
	gone := &store.Source{Name: "Gone", URL: "https://gone.example.com/feed"}
	daily := &store.Source{Name: "Дневник", URL: "http://daily.example.com/feed?format=atom"}
	for _, src := range []*store.Source{wire, gone, daily} {
		must("AddSource", s.AddSource(ctx, src))
	}
	must("SetFetchState", s.SetFetchState(ctx, wire.ID, store.FetchState{
		ETag: `W/"abc"`, LastModified: "Sun, 01 Mar 2026 11:00:00 GMT",
		LastFetch: base.Add(-time.Minute), LastSuccess: base.Add(-time.Hour), LastError: "HTTP 503",
		LastErrorAt: base.Add(-time.Minute + 123*time.Millisecond), Failures: 2, NextPoll: base.Add(time.Hour),
		BodyHash: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
	}))

	var arts []*store.Article
	for n := range 30 {
		a := article(n + 100)
		switch n % 5 {
		case 0:
			a.SourceID = wire.ID
		case 1:
			a.SourceID = gone.ID
		case 2:
			a.SourceID = daily.ID
			a.Language, a.Title = "ru", fmt.Sprintf("Новости дня %d: «цитата»", n)
		case 3:
			a.URL = "" // a file import
			a.Published = time.Time{}
		}
		arts = append(arts, a)
	}
	_, err := s.PutArticles(ctx, arts)
	must("PutArticles", err)
	upd := *arts[0]
	upd.Body += "\n\nAn update adds a paragraph."
	if out, err := s.PutArticle(ctx, &upd); err != nil || out != store.Updated {
		t.Fatalf("fill: update article: %v, %v", out, err)
	}
	must("RemoveSource", s.RemoveSource(ctx, gone.ID))

	tg := &store.Channel{Platform: store.Telegram, ChatID: "-100123", Title: "Группа", TimeZone: "Europe/Berlin",
		Schedule: "weekdays 07:30", Topics: []string{"harbour", "порт"}, Filters: []string{"exclude:football"},
		MaxStories: 5, Paused: true, PauseReason: "bot was blocked by the user", PausedAt: base.Add(-time.Hour),
		LastDigest: base.Add(-25 * time.Hour)}
	dropped := &store.Channel{Platform: store.Telegram, ChatID: "42"}
	dc := &store.Channel{Platform: store.Discord, ChatID: "9000", GuildID: "8000", Schedule: "daily 08:00"}
	for _, c := range []*store.Channel{tg, dropped, dc} {
		must("SaveChannel", s.SaveChannel(ctx, c))
	}
	must("DeleteChannel", s.DeleteChannel(ctx, dropped.ID))
	must("MarkDelivered", s.MarkDelivered(ctx, tg.ID, []store.Delivered{
		{StoryKey: "harbour", Articles: 2, ArticleIDs: []int64{arts[0].ID, arts[5].ID}, At: base.Add(-2 * time.Hour)},
		{StoryKey: "storm", Articles: 1, At: base.Add(-time.Hour)},
	}))
	must("MarkDelivered", s.MarkDelivered(ctx, dc.ID, []store.Delivered{
		{StoryKey: "harbour", Articles: 1, ArticleIDs: []int64{arts[0].ID}, At: base.Add(-3 * time.Hour)},
	}))

	must("PutAnalyses", s.PutAnalyses(ctx, []*store.Analysis{
		{ArticleID: arts[0].ID, Version: 3, Summary: []string{"First.", "Второе."}, Lede: "The lede.",
			Quotes: []store.StoredQuote{
				{Text: "We will rebuild.", Speaker: "Mayor Ana Ruiz", Cue: "said", Key: true, Rank: 1},
				{Text: "not yet", Partial: true},
				{Text: "Мы продолжим", Speaker: "Дмитрий Песков", Cue: "заявил", Key: true, Rank: 2},
			}},
		{ArticleID: arts[1].ID, Version: 3},
		{ArticleID: arts[2].ID, Version: 2, Summary: []string{"Old."}, Quotes: []store.StoredQuote{{Text: "Stale.", Speaker: "Someone"}}},
	}))

	slot := func(ch *store.Channel, local string, due time.Time, owner string, now time.Time) *store.Slot {
		t.Helper()
		sl := &store.Slot{ChannelID: ch.ID, Local: local, Due: due}
		ok, err := s.ClaimSlot(ctx, sl, owner, now, time.Minute)
		if err != nil || !ok {
			t.Fatalf("fill: ClaimSlot %s: %v, %v", local, ok, err)
		}
		return sl
	}
	sent := slot(tg, "2026-02-27T07:30", base.Add(-50*time.Hour), "host/1", base.Add(-50*time.Hour))
	must("CompleteSlot", s.CompleteSlot(ctx, sent.ID, "host/1", []string{"11", "12"}, base.Add(-50*time.Hour+time.Second)))
	skipped := slot(tg, "2026-02-28T07:30", base.Add(-26*time.Hour), "host/1", base.Add(-20*time.Hour))
	must("SkipSlot", s.SkipSlot(ctx, skipped.ID, "host/1"))
	failed := slot(dc, "2026-03-01T08:00", base.Add(-4*time.Hour), "host/2", base.Add(-4*time.Hour))
	must("ReleaseSlot", s.ReleaseSlot(ctx, failed.ID, "host/2", "HTTP 502", base.Add(-3*time.Hour)))
	slot(dc, "2026-03-01T08:00", base.Add(-4*time.Hour), "host/3", base) // claimed again, in flight
	slot(tg, "2026-03-02T07:30", base.Add(20*time.Hour), "host/1", base)

	c, err := s.Counts(ctx)
	must("Counts", err)
	want := store.Counts{Sources: 2, Articles: 30, Channels: 2, Delivered: 3, Analyses: 3, Quotes: 4, Slots: 4}
	if c != want {
		t.Fatalf("fill: Counts = %+v, want %+v", c, want)
	}
	return c
}

// SameContent fails unless got holds what want holds, compared through the
// contract: counts, sources with their fetch state, every article (by id
// and by URL) and the same search results, channels and what they were
// delivered, analyses of every version and quotes by speaker, slots.
func SameContent(t testing.TB, got, want store.Store) {
	t.Helper()
	ctx := context.Background()
	same := func(what string, g, w any) {
		t.Helper()
		gj, err := json.Marshal(g)
		if err != nil {
			t.Fatal(err)
		}
		wj, err := json.Marshal(w)
		if err != nil {
			t.Fatal(err)
		}
		if string(gj) != string(wj) {
			t.Errorf("%s differ:\n got  %s\n want %s", what, gj, wj)
		}
	}
	read := func(what string, f func(s store.Store) (any, error)) {
		t.Helper()
		g, err := f(got)
		if err != nil {
			t.Fatalf("%s (copy): %v", what, err)
		}
		w, err := f(want)
		if err != nil {
			t.Fatalf("%s (original): %v", what, err)
		}
		same(what, g, w)
	}
	read("counts", func(s store.Store) (any, error) { return s.Counts(ctx) })
	read("sources", func(s store.Store) (any, error) { return s.Sources(ctx) })

	var articles []*store.Article
	versions := map[int]bool{}
	var analysed []int64
	for after := int64(0); ; {
		page, err := want.DumpArticles(ctx, after, 100)
		if err != nil {
			t.Fatalf("DumpArticles: %v", err)
		}
		if len(page) == 0 {
			break
		}
		articles = append(articles, page...)
		after = page[len(page)-1].ID
	}
	for after := int64(0); ; {
		page, err := want.DumpAnalyses(ctx, after, 100)
		if err != nil {
			t.Fatalf("DumpAnalyses: %v", err)
		}
		if len(page) == 0 {
			break
		}
		for _, a := range page {
			versions[a.Version] = true
			analysed = append(analysed, a.ArticleID)
		}
		after = page[len(page)-1].ArticleID
	}
	for _, a := range articles {
		read(fmt.Sprintf("article %d", a.ID), func(s store.Store) (any, error) { return s.Article(ctx, a.ID) })
		if a.URL != "" {
			read("article by URL "+a.URL, func(s store.Store) (any, error) { return s.ArticleByURL(ctx, a.URL) })
		}
	}
	for _, q := range []store.ArticleQuery{
		{Limit: store.MaxLimit}, {Search: "paragraph"}, {Search: "item10*"}, {Search: "новости"}, {Language: "ru"},
		{Since: base.Add(-10 * time.Minute), Until: base},
	} {
		read(fmt.Sprintf("articles %+v", q), func(s store.Store) (any, error) {
			as, err := s.Articles(ctx, q)
			return ids(as), err
		})
	}

	read("channels", func(s store.Store) (any, error) { return s.Channels(ctx, "") })
	chans, err := want.Channels(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range chans {
		read(fmt.Sprintf("delivered to channel %d", c.ID), func(s store.Store) (any, error) {
			return s.DeliveredSince(ctx, c.ID, time.Time{})
		})
		read(fmt.Sprintf("last slot of channel %d", c.ID), func(s store.Store) (any, error) {
			sl, err := s.LastSlot(ctx, c.ID)
			if errors.Is(err, store.ErrNotFound) {
				return nil, nil
			}
			return sl, err
		})
	}
	for v := range versions {
		read(fmt.Sprintf("analyses of version %d", v), func(s store.Store) (any, error) { return s.Analyses(ctx, analysed, v) })
	}
	for _, name := range []string{"ruiz", "песков", "someone"} {
		read("quotes by "+name, func(s store.Store) (any, error) { return s.QuotesBySpeaker(ctx, name, 0) })
	}
	read("slots", func(s store.Store) (any, error) { return s.DumpSlots(ctx, 0, store.MaxDumpPage) })
	read("open slots", func(s store.Store) (any, error) { return s.OpenSlots(ctx, base.Add(48*time.Hour)) })
}

// A store copied through Dumper and Loader reads back the same through the
// contract, loading it again changes nothing, and the copy hands out new
// ids after the loaded ones.
func testCopyRoundTrip(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	from, to := open(t), open(t)
	Fill(t, from)
	if err := store.Copy(ctx, from, to, 7, nil); err != nil {
		t.Fatalf("Copy: %v", err)
	}
	SameContent(t, to, from)
	if t.Failed() {
		return
	}
	if err := store.Copy(ctx, from, to, 1000, nil); err != nil {
		t.Fatalf("Copy again: %v", err)
	}
	SameContent(t, to, from)

	// New records get ids after the loaded ones, in every table.
	maxArticle, err := from.DumpArticles(ctx, 0, store.MaxDumpPage)
	if err != nil {
		t.Fatal(err)
	}
	a := article(999)
	mustPut(t, to, a, store.Inserted)
	if last := maxArticle[len(maxArticle)-1].ID; a.ID <= last {
		t.Errorf("new article id %d, want one above the loaded %d", a.ID, last)
	}
	srcs, _ := from.Sources(ctx)
	src := &store.Source{URL: "https://new.example.com/feed"}
	mustAddSource(t, to, src)
	if last := srcs[len(srcs)-1].ID; src.ID <= last {
		t.Errorf("new source id %d, want one above the loaded %d", src.ID, last)
	}
	chans, _ := from.Channels(ctx, "")
	c := &store.Channel{Platform: store.Discord, ChatID: "new"}
	if err := to.SaveChannel(ctx, c); err != nil {
		t.Fatal(err)
	}
	if last := chans[len(chans)-1].ID; c.ID <= last {
		t.Errorf("new channel id %d, want one above the loaded %d", c.ID, last)
	}
	slots, _ := from.DumpSlots(ctx, 0, 100)
	sl := &store.Slot{ChannelID: c.ID, Local: "2026-03-01T08:00", Due: base}
	if ok, err := to.ClaimSlot(ctx, sl, "x", base, time.Minute); err != nil || !ok {
		t.Fatalf("ClaimSlot in the copy: %v, %v", ok, err)
	}
	if last := slots[len(slots)-1].ID; sl.ID <= last {
		t.Errorf("new slot id %d, want one above the loaded %d", sl.ID, last)
	}
	// The copy deduplicates against loaded articles.
	dup := article(103) // stored without a URL by Fill: the same text
	mustPut(t, to, dup, store.Unchanged)
}

// A record that would take another's unique key is refused, invalid
// records are refused, and a refused call loads nothing.
func testLoadConflicts(t *testing.T, s store.Store) {
	ctx := context.Background()
	src := &store.Source{Name: "A", URL: "https://a.example.com/feed"}
	mustAddSource(t, s, src)
	a := article(1)
	mustPut(t, s, a, store.Inserted)
	c := &store.Channel{Platform: store.Telegram, ChatID: "1"}
	if err := s.SaveChannel(ctx, c); err != nil {
		t.Fatal(err)
	}
	before, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}

	fresh := &store.Source{ID: src.ID + 10, URL: "https://b.example.com/feed", FullText: store.FullTextAuto, Created: base}
	taken := &store.Source{ID: src.ID + 11, URL: src.URL, FullText: store.FullTextAuto, Created: base}
	wantErr(t, "LoadSources(URL taken)", s.LoadSources(ctx, []*store.Source{fresh, taken}), store.ErrExists)
	wantErr(t, "LoadSources(bad mode)", s.LoadSources(ctx, []*store.Source{{ID: 50, URL: "https://c.example.com/", FullText: "sometimes"}}), store.ErrInvalid)

	other := *a
	other.ID = a.ID + 10
	other.Title += " (copy)"
	wantErr(t, "LoadArticles(URL taken)", s.LoadArticles(ctx, []*store.Article{&other}), store.ErrExists)
	noSource := *article(2)
	if _, err := noSource.ValidateLoad(); err == nil {
		t.Error("ValidateLoad of an article without id or hash passed")
	}
	noSource.ID, noSource.Fetched, noSource.SourceID = a.ID+20, base, 987654
	noSource.Hash = store.ContentHash(noSource.Title, noSource.Body)
	wantErr(t, "LoadArticles(unknown source)", s.LoadArticles(ctx, []*store.Article{&noSource}), store.ErrInvalid)
	badHash := noSource
	badHash.SourceID, badHash.Hash = 0, "xyz"
	wantErr(t, "LoadArticles(bad hash)", s.LoadArticles(ctx, []*store.Article{&badHash}), store.ErrInvalid)

	dupChat := &store.Channel{ID: c.ID + 10, Platform: store.Telegram, ChatID: "1"}
	wantErr(t, "LoadChannels(chat taken)", s.LoadChannels(ctx, []*store.Channel{dupChat}), store.ErrExists)
	wantErr(t, "LoadChannels(no id)", s.LoadChannels(ctx, []*store.Channel{{Platform: store.Telegram, ChatID: "2"}}), store.ErrInvalid)

	slot := &store.Slot{ID: 5, ChannelID: c.ID, Local: "2026-03-01T08:00", Due: base}
	noChannel := &store.Slot{ID: 6, ChannelID: 987654, Local: "2026-03-01T08:00", Due: base}
	wantErr(t, "LoadSlots(unknown channel)", s.LoadSlots(ctx, []*store.Slot{slot, noChannel}), store.ErrInvalid)
	wantErr(t, "LoadSlots(no due time)", s.LoadSlots(ctx, []*store.Slot{{ID: 7, ChannelID: c.ID, Local: "x"}}), store.ErrInvalid)
	twin := &store.Slot{ID: 8, ChannelID: c.ID, Local: "2026-03-01T08:00", Due: base}
	wantErr(t, "LoadSlots(same channel and local time)", s.LoadSlots(ctx, []*store.Slot{slot, twin}), store.ErrExists)

	after, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Errorf("refused loads changed the store: counts %+v, were %+v", after, before)
	}
	for _, limit := range []int{0, -1} {
		if _, err := s.DumpArticles(ctx, 0, limit); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("DumpArticles(limit %d): %v, want ErrInvalid", limit, err)
		}
	}
}
