package story

import (
	"reflect"
	"slices"
	"testing"
)

// batchArticles is a window for AddAll: the invented stories, background
// articles with several of one story, a repeated ID and an article with a
// hostile number of distinct words.
func batchArticles() []Article {
	s := newSynth(7)
	var arts []Article
	arts = append(arts, strikeArticles()...)
	arts = append(arts, otherArticles()...)
	for i := range 150 {
		arts = append(arts, s.article(int64(1000+i), i%60, 120, at(float64(i)/10)))
	}
	arts = append(arts, arts[4]) // a repeated ID changes nothing
	huge := s.article(5000, 999, 3000, at(20))
	huge.Body = ""
	for i := range 3000 {
		huge.Body += synthWord(uint64(100000+i), "x") + " "
	}
	return append(arts, huge)
}

func TestAddAllMatchesAdd(t *testing.T) {
	arts := batchArticles()
	want := NewClusterer(Options{})
	for _, a := range arts {
		want.Add(a)
	}
	for _, workers := range []int{0, 1, 2, 3, 8} {
		got := NewClusterer(Options{})
		got.AddAll(arts[:10], workers) // below minBatch
		got.AddAll(arts[10:], workers)
		if !reflect.DeepEqual(got.Stories(), want.Stories()) {
			t.Errorf("AddAll with %d workers: stories differ from Add's", workers)
		}
	}
}

func TestStoriesWith(t *testing.T) {
	c := NewClusterer(Options{})
	c.AddAll(batchArticles(), 2)
	c.Expire(at(50)) // articles before at(2) are gone
	all := c.Stories()
	tests := []struct {
		name  string
		ids   []int64
		wantN int
	}{
		{"none", nil, 0},
		{"unknown and expired ids", []int64{7, 1000, 1001}, 0},
		{"one story, two of its articles gone", []int64{101, 103, 102}, 1},
		{"several", []int64{301, 1100, 1149, 5000, 201}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []Story
			for _, s := range all {
				if slices.ContainsFunc(s.Members, func(m Member) bool { return slices.Contains(tt.ids, m.ID) }) {
					want = append(want, s)
				}
			}
			got := c.StoriesWith(tt.ids)
			if len(got) != tt.wantN || len(want) != tt.wantN || len(want) > 0 && !reflect.DeepEqual(got, want) {
				t.Errorf("StoriesWith(%v) = %d stories %v; Stories has %d of them, want %d", tt.ids, len(got), got, len(want), tt.wantN)
			}
		})
	}
}

// foldWord's shortcut for ASCII words makes the terms scanWords does.
func TestFoldWord(t *testing.T) {
	for _, w := range []string{"Voss", "VOSS", "Parties", "Strikes", "2029", "x", "Mr", "Ünal", "Straße", "ΣΟΦΙΑ",
		"Abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzs"} {
		var want []byte
		scanWords(w, nil, func(p []byte) { want = append(want[:0], p...) })
		want = stemPlural(want)
		got, _ := foldWord(nil, nil, w)
		if string(got) != string(want) {
			t.Errorf("foldWord(%q) = %q, want %q", w, got, want)
		}
	}
}
