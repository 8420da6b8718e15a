package storetest

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

func mustPutAnalyses(t *testing.T, s store.Store, as ...*store.Analysis) {
	t.Helper()
	if err := s.PutAnalyses(context.Background(), as); err != nil {
		t.Fatalf("PutAnalyses: %v", err)
	}
}

func checkAnalysis(t *testing.T, got, want *store.Analysis) {
	t.Helper()
	if got == nil {
		t.Errorf("analysis of article %d missing", want.ArticleID)
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("analysis = %+v,\n\twant %+v", *got, *want)
	}
}

func testAnalyses(t *testing.T, s store.Store) {
	ctx := context.Background()
	a1, a2, a3 := article(1), article(2), article(3)
	for _, a := range []*store.Article{a1, a2, a3} {
		mustPut(t, s, a, store.Inserted)
	}
	full := &store.Analysis{
		ArticleID: a1.ID,
		Version:   3,
		Summary:   []string{"First sentence.", "Второе предложение — «цитата»."},
		Quotes: []store.StoredQuote{
			{Text: "We will rebuild the harbour.", Speaker: "Mayor Ana Ruiz", Cue: "said", Key: true, Rank: 1},
			{Text: "not yet", Speaker: "", Cue: "", Partial: true},
			{Text: "Мы продолжим работу", Speaker: "Дмитрий Песков", Cue: "заявил", Key: true, Rank: 2},
		},
		Lede: "The harbour reopened on Monday.",
	}
	bare := &store.Analysis{ArticleID: a2.ID, Version: 3}
	stale := &store.Analysis{ArticleID: a3.ID, Version: 2, Summary: []string{"Old."}}
	mustPutAnalyses(t, s, full, bare, stale)

	got, err := s.Analyses(ctx, []int64{a1.ID, a2.ID, a3.ID, 987654}, 3)
	if err != nil {
		t.Fatalf("Analyses: %v", err)
	}
	if len(got) != 2 {
		t.Errorf("Analyses(version 3) found %d, want 2 (not the other version's, not the unknown article's)", len(got))
	}
	checkAnalysis(t, got[a1.ID], full)
	checkAnalysis(t, got[a2.ID], bare) // nil Summary and Quotes stay nil
	got, err = s.Analyses(ctx, []int64{a3.ID}, 2)
	if err != nil {
		t.Fatal(err)
	}
	checkAnalysis(t, got[a3.ID], stale)
	for _, ids := range [][]int64{nil, {}, {987654}} {
		got, err := s.Analyses(ctx, ids, 3)
		if err != nil || got == nil || len(got) != 0 {
			t.Errorf("Analyses(%v) = %v, %v; want an empty map", ids, got, err)
		}
	}

	// A new analysis replaces the old, quotes and all, whatever the version.
	redo := &store.Analysis{ArticleID: a1.ID, Version: 4, Summary: []string{"Only one."},
		Quotes: []store.StoredQuote{{Text: "Fewer quotes now.", Speaker: "Ana Ruiz", Key: true, Rank: 1}}}
	newStale := &store.Analysis{ArticleID: a3.ID, Version: 4, Lede: "Recomputed."}
	mustPutAnalyses(t, s, redo, newStale)
	got, err = s.Analyses(ctx, []int64{a1.ID, a2.ID, a3.ID}, 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Errorf("Analyses(version 4) found %d, want 2", len(got))
	}
	checkAnalysis(t, got[a1.ID], redo)
	checkAnalysis(t, got[a3.ID], newStale)
	if got, _ := s.Analyses(ctx, []int64{a1.ID}, 3); len(got) != 0 {
		t.Errorf("the replaced version-3 analysis is still found")
	}
	if qs, err := s.QuotesBySpeaker(ctx, "peskov", 10); err != nil || len(qs) != 0 {
		t.Errorf("QuotesBySpeaker found %d quotes of a replaced analysis, %v", len(qs), err)
	}

	// Many articles at once.
	var many []*store.Analysis
	var manyIDs []int64
	for i := range 300 {
		a := article(100 + i)
		mustPut(t, s, a, store.Inserted)
		many = append(many, &store.Analysis{ArticleID: a.ID, Version: 1, Lede: a.Title,
			Quotes: []store.StoredQuote{{Text: fmt.Sprintf("quote %d", i)}}})
		manyIDs = append(manyIDs, a.ID)
	}
	mustPutAnalyses(t, s, many...)
	got, err = s.Analyses(ctx, manyIDs, 1)
	if err != nil || len(got) != len(many) {
		t.Fatalf("Analyses of %d articles = %d, %v", len(many), len(got), err)
	}
	for _, a := range many {
		checkAnalysis(t, got[a.ArticleID], a)
	}
	if err := s.PutAnalyses(ctx, nil); err != nil {
		t.Errorf("PutAnalyses(nothing): %v", err)
	}
}

func testAnalysesInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := article(1)
	mustPut(t, s, a, store.Inserted)
	ok := &store.Analysis{ArticleID: a.ID, Version: 1, Lede: "ok"}
	for _, tt := range []struct {
		name string
		bad  *store.Analysis
	}{
		{"nil", nil},
		{"no article", &store.Analysis{Version: 1}},
		{"unknown article", &store.Analysis{ArticleID: 987654, Version: 1}},
		{"negative version", &store.Analysis{ArticleID: a.ID, Version: -1}},
		{"quote without text", &store.Analysis{ArticleID: a.ID, Version: 1, Quotes: []store.StoredQuote{{Speaker: "X"}}}},
	} {
		err := s.PutAnalyses(ctx, []*store.Analysis{ok, tt.bad})
		wantErr(t, "PutAnalyses("+tt.name+")", err, store.ErrInvalid)
	}
	if got, err := s.Analyses(ctx, []int64{a.ID}, 1); err != nil || len(got) != 0 {
		t.Errorf("Analyses after failed puts = %v, %v; want nothing stored", got, err)
	}
}

func testQuotesBySpeaker(t *testing.T, s store.Store) {
	ctx := context.Background()
	// Three articles an hour apart (old, mid, new), put out of order; the
	// mid one has no date and sits at its fetch time.
	old, mid, recent := article(1), article(2), article(3)
	old.Published = base.Add(-2 * time.Hour)
	mid.Published, mid.Fetched = time.Time{}, base.Add(-time.Hour)
	recent.Published = base
	for _, a := range []*store.Article{mid, recent, old} {
		mustPut(t, s, a, store.Inserted)
	}
	q := func(text, speaker string, key bool, rank int) store.StoredQuote {
		return store.StoredQuote{Text: text, Speaker: speaker, Key: key, Rank: rank}
	}
	mustPutAnalyses(t, s,
		&store.Analysis{ArticleID: old.ID, Version: 1, Quotes: []store.StoredQuote{
			q("old peskov", "Dmitry Peskov", true, 1),
			q("old ruiz", "Ana Ruiz", true, 2),
		}},
		&store.Analysis{ArticleID: mid.ID, Version: 2, Quotes: []store.StoredQuote{ // another version: still found
			q("mid not key", "Dmitry Peskov", false, 0),
			q("mid песков", "Дмитрий Песков", true, 1),
			q("mid 100%", "50% Club_Member", true, 2),
		}},
		&store.Analysis{ArticleID: recent.ID, Version: 1, Quotes: []store.StoredQuote{
			q("recent second", "Kremlin spokesman Dmitry Peskov", true, 2),
			q("recent first", "DMITRY PESKOV", true, 1),
			q("recent unnamed", "", true, 3),
		}},
	)
	texts := func(qs []store.SpeakerQuote) []string {
		var out []string
		for _, q := range qs {
			out = append(out, q.Quote.Text)
		}
		return out
	}
	tests := []struct {
		name  string
		limit int
		want  []string
	}{
		{"Peskov", 0, []string{"recent first", "recent second", "old peskov"}},
		{"  dmitry PESKOV ", 0, []string{"recent first", "recent second", "old peskov"}},
		{"pesk", 2, []string{"recent first", "recent second"}},
		{"песков", 0, []string{"mid песков"}},
		{"ДМИТРИЙ", 0, []string{"mid песков"}},
		{"ruiz", 0, []string{"old ruiz"}},
		{"%", 0, []string{"mid 100%"}},
		{"b_m", 0, []string{"mid 100%"}},
		{"_", 0, []string{"mid 100%"}},
		{"nobody", 0, nil},
	}
	for _, tt := range tests {
		got, err := s.QuotesBySpeaker(ctx, tt.name, tt.limit)
		if err != nil {
			t.Errorf("QuotesBySpeaker(%q): %v", tt.name, err)
			continue
		}
		if !reflect.DeepEqual(texts(got), tt.want) {
			t.Errorf("QuotesBySpeaker(%q, %d) = %q, want %q", tt.name, tt.limit, texts(got), tt.want)
		}
	}
	// Quotes come whole, with their whole article.
	got, err := s.QuotesBySpeaker(ctx, "peskov", 1)
	if err != nil || len(got) != 1 {
		t.Fatalf("QuotesBySpeaker(peskov, 1) = %d, %v", len(got), err)
	}
	if want := q("recent first", "DMITRY PESKOV", true, 1); got[0].Quote != want {
		t.Errorf("quote = %+v, want %+v", got[0].Quote, want)
	}
	if got[0].Article == nil {
		t.Fatal("quote without its article")
	}
	checkArticle(t, got[0].Article, recent)

	for _, name := range []string{"", "   ", string(make([]byte, store.MaxSpeakerQuery+1))} {
		_, err := s.QuotesBySpeaker(ctx, name, 5)
		wantErr(t, fmt.Sprintf("QuotesBySpeaker(%d bytes)", len(name)), err, store.ErrInvalid)
	}
	_, err = s.QuotesBySpeaker(ctx, "peskov", -1)
	wantErr(t, "QuotesBySpeaker with a negative limit", err, store.ErrInvalid)
}
