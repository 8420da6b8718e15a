package story_test

import (
	"fmt"
	"time"

	"github.com/newsdigest/newsdigest/digest/story"
)

// The articles are invented.
func Example() {
	at := time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)
	c := story.NewClusterer(story.Options{Window: 48 * time.Hour})
	for _, a := range []story.Article{
		{ID: 1, Source: "Harbour Times", URL: "https://harbourtimes.example/strike", Time: at,
			Title: "Dock workers strike at Port of Valmora over pay",
			Body:  "Dock workers at the Port of Valmora walked out on Tuesday after pay talks collapsed. Union leader Irena Kostova said the 6% offer was a cut in real pay. Port chief Mattias Brenner said cargo would go to Ostrava Bay."},
		{ID: 2, Source: "Morning Brief", URL: "https://brief.example/valmora", Time: at.Add(2 * time.Hour),
			Title: "Valmora dockers stop work",
			Body:  "Irena Kostova's union rejected a 6% offer; Mattias Brenner sends cargo to Ostrava Bay as Valmora dock workers strike."},
		{ID: 3, Source: "Science Now", URL: "https://sciencenow.example/comet", Time: at.Add(3 * time.Hour),
			Title: "Comet to be visible next winter",
			Body:  "Astronomers at the Serrano Observatory found a comet that will be visible without a telescope."},
	} {
		id, isNew := c.Add(a)
		fmt.Println("article", a.ID, "-> story", id, "new:", isNew)
	}

	filter, err := story.ParseFilter("exclude:comet", "limit:5")
	if err != nil {
		fmt.Println(err)
		return
	}
	var stories []story.Story
	for _, s := range c.Stories() {
		if keep, _ := filter.Keep(story.Article{Title: s.Headline(), Source: s.Members[0].Source}); keep {
			stories = append(stories, s)
		}
	}
	for _, r := range story.Rank(stories, story.RankOptions{Now: at.Add(4 * time.Hour), Limit: filter.Limit()}) {
		fmt.Printf("%s (key %s, %d outlets)\n", r.Headline(), r.Key, r.Outlets)
		for _, l := range r.Links() {
			fmt.Println("  ", l.Outlet, l.URL)
		}
	}
	// Output:
	// article 1 -> story 1 new: true
	// article 2 -> story 1 new: false
	// article 3 -> story 2 new: true
	// Dock workers strike at Port of Valmora over pay (key 1, 2 outlets)
	//    Harbour Times https://harbourtimes.example/strike
	//    Morning Brief https://brief.example/valmora
}
