package story

import (
	"slices"
	"testing"
)

// clusterOf adds arts to a fresh Clusterer (after some background) and
// returns the story holding the first of them.
func clusterOf(t *testing.T, arts ...Article) Story {
	t.Helper()
	c := NewClusterer(Options{})
	for _, a := range background(60, 1) {
		c.Add(a)
	}
	var id int64
	for i, a := range arts {
		s, _ := c.Add(a)
		if i == 0 {
			id = s
		} else if s != id {
			t.Fatalf("article %d went to story %d, not %d", a.ID, s, id)
		}
	}
	st, _ := c.Story(id)
	return st
}

func TestStoryHeadlineAndLinks(t *testing.T) {
	arts := strikeArticles()
	// A second copy from the first outlet, under a tracking URL.
	dup := arts[0]
	dup.ID, dup.URL, dup.Time = 104, "https://HarbourTimes.example/valmora-strike/?utm_source=feed#top", at(5)
	// The same URL again from an outlet with no name.
	noName := arts[1]
	noName.ID, noName.Source, noName.URL, noName.Time = 105, "", "http://www.wiredaily.example/2025/03/04/valmora", at(6)
	st := clusterOf(t, append(arts, dup, noName)...)

	if got := st.Headline(); got != "Dock workers strike at Port of Valmora over pay" {
		t.Errorf("Headline = %q", got)
	}
	links := st.Links()
	var outlets []string
	for _, l := range links {
		outlets = append(outlets, l.Outlet)
	}
	if want := []string{"Harbour Times", "Wire Daily", "Morning Brief"}; !slices.Equal(outlets, want) {
		t.Errorf("link outlets = %q, want %q (headline's first, one per outlet, no repeated URL)", outlets, want)
	}
	if links[0].URL != arts[0].URL || links[0].Title != arts[0].Title {
		t.Errorf("first link = %+v, want the headline's article", links[0])
	}
	if got := st.Outlets(); got != 4 { // Harbour Times, Wire Daily, Morning Brief, wiredaily.example
		t.Errorf("Outlets = %d, want 4", got)
	}
	if got := st.ArticleIDs(); !slices.Equal(got, []int64{101, 102, 103, 104, 105}) {
		t.Errorf("ArticleIDs = %v", got)
	}
	if !st.First().Equal(at(0)) || !st.Last().Equal(at(6)) {
		t.Errorf("First, Last = %v, %v", st.First(), st.Last())
	}
	if st.Centrality <= 0 || st.Centrality > 1 {
		t.Errorf("Centrality = %v, want in (0, 1]", st.Centrality)
	}
}

func TestHeadlineTies(t *testing.T) {
	// Equal scores: the earlier article wins, then the smaller ID.
	s := Story{Members: []Member{
		{ID: 3, Title: "Later", Time: at(2), TitleScore: 0.5},
		{ID: 2, Title: "Second", Time: at(1), TitleScore: 0.5},
		{ID: 1, Title: "First", Time: at(1), TitleScore: 0.5},
		{ID: 4, Title: "", Time: at(0), TitleScore: 0.9},
	}}
	if got := s.Headline(); got != "First" {
		t.Errorf("Headline = %q, want First", got)
	}
	if got := (Story{Members: []Member{{ID: 1}}}).Headline(); got != "" {
		t.Errorf("Headline without titles = %q, want empty", got)
	}
}

func TestNormalizeURL(t *testing.T) {
	tests := []struct{ a, b string }{
		{"https://example.com/a", "http://www.EXAMPLE.com/a/"},
		{"https://example.com/a?id=1", "https://example.com/a?utm_medium=rss&id=1#comments"},
		{"not a url", " not a url "},
	}
	for _, tt := range tests {
		if x, y := normalizeURL(tt.a), normalizeURL(tt.b); x != y {
			t.Errorf("normalizeURL: %q -> %q but %q -> %q", tt.a, x, tt.b, y)
		}
	}
	if normalizeURL("https://example.com/a?id=1") == normalizeURL("https://example.com/a?id=2") {
		t.Error("different query strings compare equal")
	}
}
