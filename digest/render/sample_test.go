package render

import (
	"time"

	"github.com/newsdigest/newsdigest/digest"
)

// Test digests. All article text here is invented for the tests.

func testZone() *time.Location { return time.FixedZone("CET", 3600) }

// sampleDigest is a small ordinary digest: two stories, one an update,
// with quotes and links, and one failing source.
func sampleDigest() digest.Digest {
	z := testZone()
	at := time.Date(2026, 11, 25, 8, 0, 0, 0, z)
	return digest.Digest{
		Name:  "Morning digest",
		At:    at,
		Since: at.Add(-24 * time.Hour),
		Until: at,
		Stories: []digest.StoryItem{
			{
				ID:       "a1",
				Headline: "Harbour bridge reopens after repairs",
				Summary:  "The bridge reopened on Monday after six weeks of repairs.",
				Quotes: []digest.KeyQuote{{
					Text: "We are glad to have it back", Speaker: "Mara Lind", Outlet: "City Post",
				}},
				Links: []digest.Link{
					{Outlet: "City Post", URL: "https://citypost.example/bridge"},
					{Outlet: "Radio North", URL: "https://radionorth.example/news/1"},
				},
				Time: at.Add(-2 * time.Hour),
			},
			{
				ID:       "b2",
				Headline: "Council approves budget",
				Summary:  "The council approved the budget by 30 votes to 12.",
				Links:    []digest.Link{{Outlet: "Gazette", URL: "https://gazette.example/b"}},
				Update:   true,
			},
		},
		Failing: []digest.FailingSource{
			{Name: "Wire A", Since: time.Date(2026, 11, 24, 6, 0, 0, 0, z), Error: "HTTP 403"},
		},
	}
}
