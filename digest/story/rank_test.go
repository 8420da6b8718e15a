package story

import (
	"math"
	"slices"
	"testing"
	"time"
)

// mkStory builds a story snapshot: one member per (id, outlet, hours).
func mkStory(key string, centrality float64, title string, members ...Member) Story {
	for i := range members {
		if members[i].Title == "" {
			members[i].Title = title
		}
	}
	return Story{Key: key, Members: members, Centrality: centrality}
}

func mem(id int64, outlet string, hours float64) Member {
	return Member{ID: id, Source: outlet, Time: at(hours)}
}

func keys(rs []Ranked) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Key)
	}
	return out
}

func TestRank(t *testing.T) {
	now := at(10)
	wide := mkStory("1", 0.8, "Port strike spreads", mem(1, "A", 9), mem(2, "B", 9), mem(3, "C", 9))
	narrow := mkStory("4", 0.8, "Council meets", mem(4, "A", 9))
	old := mkStory("5", 0.8, "Old news", mem(5, "A", -14), mem(6, "B", -14), mem(7, "C", -14))
	climate := mkStory("8", 0.8, "Climate summit opens", mem(8, "A", 9))
	climatic := mkStory("9", 0.8, "Climatic conditions improve", mem(9, "A", 9))
	updated := mkStory("10", 0.8, "Storm update", mem(10, "A", 5), mem(11, "B", 9))

	tests := []struct {
		name string
		in   []Story
		opt  RankOptions
		want []string
	}{
		{"more outlets first", []Story{narrow, wide}, RankOptions{Now: now}, []string{"1", "4"}},
		{"recency decays", []Story{old, narrow}, RankOptions{Now: now}, []string{"4", "5"}},
		{"topic boost, whole words", []Story{narrow, climatic, climate}, RankOptions{Now: now, Topics: []string{"CLIMATE"}}, []string{"8", "4", "9"}},
		{"phrase topic", []Story{climatic, narrow}, RankOptions{Now: now, Topics: []string{"council meets"}}, []string{"4", "9"}},
		{"ties: newer, then smaller key", []Story{climatic, narrow}, RankOptions{Now: now}, []string{"4", "9"}},
		{"limit", []Story{narrow, wide, climate}, RankOptions{Now: now, Limit: 2}, []string{"1", "4"}},
		{"delivered, nothing new: left out", []Story{narrow, wide}, RankOptions{Now: now,
			Delivered: map[string]DeliveredInfo{"1": {At: at(9.5), ArticleIDs: []int64{1, 2, 3}}}}, []string{"4"}},
		{"delivered, developed since: kept", []Story{updated, narrow}, RankOptions{Now: now,
			Delivered: map[string]DeliveredInfo{"10": {At: at(6), ArticleIDs: []int64{10}}}}, []string{"10", "4"}},
		{"empty stories skipped", []Story{{Key: "x"}, narrow}, RankOptions{Now: now}, []string{"4"}},
	}
	for _, tt := range tests {
		if got := keys(Rank(tt.in, tt.opt)); !slices.Equal(got, tt.want) {
			t.Errorf("%s: order %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestRankParts(t *testing.T) {
	now := at(10)
	s := mkStory("1", 0.6, "Port strike spreads", mem(1, "A", -2), mem(2, "a", -2), mem(3, "B", -2))
	r := Rank([]Story{s}, RankOptions{Now: now, HalfLife: 12 * time.Hour, Topics: []string{"strike", "port", "weather"}})[0]
	if r.Outlets != 2 {
		t.Errorf("Outlets = %d, want 2 (sources compared in any case)", r.Outlets)
	}
	if math.Abs(r.Recency-0.5) > 1e-9 {
		t.Errorf("Recency after one half-life = %v, want 0.5", r.Recency)
	}
	if !slices.Equal(r.TopicsFound, []string{"strike", "port"}) || r.TopicBoost != 2.5 {
		t.Errorf("topics %q boost %v, want [strike port] 2.5", r.TopicsFound, r.TopicBoost)
	}
	want := (1 + math.Log(2)) * 0.5 * (0.5 + 0.5*0.6) * 2.5
	if math.Abs(r.Score-want) > 1e-9 {
		t.Errorf("Score = %v, want %v", r.Score, want)
	}
	for topic, want := range map[string]bool{"Strike Spreads": true, "spreads strike": false, "strik": false, "  ": false} {
		r := Rank([]Story{s}, RankOptions{Now: now, Topics: []string{topic}})[0]
		if got := len(r.TopicsFound) == 1; got != want {
			t.Errorf("topic %q found = %v, want %v", topic, got, want)
		}
	}
	// A story from the future is as fresh as one from now.
	f := Rank([]Story{mkStory("2", 1, "x", mem(9, "A", 11))}, RankOptions{Now: now})[0]
	if f.Recency != 1 {
		t.Errorf("Recency of a future story = %v, want 1", f.Recency)
	}
}

func TestRankUpdates(t *testing.T) {
	now := at(30)
	// The channel got a story under key "100" (articles 100 and 101).
	// Rebuilt from a later window, 100 has left it and the story's key is
	// now "101"; a new article 150 has come in.
	later := mkStory("101", 0.9, "Storm", mem(101, "A", 20), mem(150, "B", 29))
	same := mkStory("101", 0.9, "Storm", mem(101, "A", 20))
	delivered := map[string]DeliveredInfo{"100": {At: at(21), ArticleIDs: []int64{100, 101}}}

	rs := Rank([]Story{later}, RankOptions{Now: now, Delivered: delivered})
	if len(rs) != 1 {
		t.Fatalf("got %d stories, want the update", len(rs))
	}
	r := rs[0]
	if !r.Update || r.DeliveredKey != "100" || !slices.Equal(r.NewArticles, []int64{150}) {
		t.Errorf("update = %v, delivered key %q, new %v; want true, 100, [150]", r.Update, r.DeliveredKey, r.NewArticles)
	}
	if rs := Rank([]Story{same}, RankOptions{Now: now, Delivered: delivered}); len(rs) != 0 {
		t.Errorf("a delivered story with nothing new came back: %+v", rs)
	}
	// A story never delivered is not an update.
	if r := Rank([]Story{later}, RankOptions{Now: now})[0]; r.Update || r.NewArticles != nil {
		t.Errorf("fresh story marked as update: %+v", r)
	}
}
