package story

import (
	"slices"
	"testing"
)

// The articles below are invented for these tests.

func TestScanNames(t *testing.T) {
	tests := []struct {
		in            string
		names, figure []string
	}{
		{"Mayor Elena Voss said the Port Alder council voted.", []string{"voss", "alder"}, nil},
		{"Construction is due to begin. Hallam said no.", nil, nil}, // lone capitalised words opening sentences
		{"PORT ALDER, March 3. The bridge", []string{"alder"}, []string{}},
		{"Port Alder's bridge costs 84 million crowns and opens in 2029.", []string{"alder"}, []string{"84", "2029"}},
		{"He met Mr. Smith and Dr. Ana Ruiz on Tuesday.", []string{"smith", "ruiz"}, nil},
		{"a total of 000 and 7 and 12,500", nil, []string{"12", "500"}},
		{"", nil, nil},
		{"The Coastal Workers Union said", []string{"union"}, nil},
	}
	for _, tt := range tests {
		var names, figures []string
		scanNames(tt.in, nil, nil, func(w []byte, figure bool) {
			if figure {
				figures = append(figures, string(w))
			} else {
				names = append(names, string(w))
			}
		})
		if !slices.Equal(names, tt.names) || len(figures) != len(tt.figure) || len(figures) > 0 && !slices.Equal(figures, tt.figure) {
			t.Errorf("scanNames(%q) = %q, %q; want %q, %q", tt.in, names, figures, tt.names, tt.figure)
		}
	}
}

// eventPairs are two articles each: the same event written up by two
// outlets in their own words (same), or hard negatives: the same people,
// places or subject in a different event, or one outlet's follow-up.
var eventPairs = []struct {
	name string
	a, b Article
	same bool
	// rule: the pair is one story only by the names-and-figures rule, so
	// with it off the pair must be two stories (the case tests the rule).
	rule bool
}{
	{
		name: "bridge approved, two outlets", same: true, rule: true,
		a: Article{Source: "Alder Gazette", Title: "Port Alder council approves new harbour bridge",
			Body: "PORT ALDER, March 3. The Port Alder city council voted 9 to 2 on Tuesday to build a new bridge across the harbour, ending a decade of debate over how to link the old town with the eastern docks.\n\nThe bridge, which will carry trams, bicycles and pedestrians but no private cars, is expected to cost 84 million crowns and open in 2029.\n\n\"This is the most important decision this council has taken in a generation,\" Mayor Elena Voss said after the vote.\n\nCouncillor Piet Hallam, who voted against, said the cost estimate was too optimistic. Construction is due to begin next spring, once the harbour authority has approved the final design."},
		b: Article{Source: "Coastline Times", Title: "Harbour bridge gets green light after decade of debate",
			Body: "Port Alder's long-awaited harbour bridge won approval from the city council on Tuesday by nine votes to two.\n\nThe car-free crossing, budgeted at 84 million crowns, will link the old town with the eastern docks by 2029.\n\nMayor Elena Voss called the vote historic. Opponents led by councillor Piet Hallam warned of cost overruns. Hallam said the council had ignored the lessons of the city's last tram extension, which came in 40 percent over budget.\n\nThe harbour authority must still sign off on the final design."},
	},
	{
		name: "steelworks closure, wire and local paper", same: true, rule: true,
		a: Article{Source: "Northern Wire", Title: "Brennic Steel to shut Osterby works with loss of 640 jobs",
			Body: "Brennic Steel said on Monday it would close its Osterby rolling mill by the end of 2027, cutting 640 jobs, after two years of losses blamed on cheap imports and high power prices.\n\nChief executive Magnus Lindqvist said the plant had lost 115 million euros since 2024. \"We have run out of ways to make Osterby pay,\" he said.\n\nThe Metalworkers Federation called the decision a betrayal and said it would ask the regional government to step in. Federation secretary Ilse Tamm said members would meet on Thursday."},
		b: Article{Source: "Osterby Courier", Title: "Town stunned as steel mill closure confirmed",
			Body: "Osterby's biggest employer is to close. Brennic Steel confirmed yesterday that its rolling mill on the river will stop production in 2027, with 640 workers losing their jobs.\n\nThe company, run by Magnus Lindqvist, says the mill has lost 115 million euros in three years. Union organiser Ilse Tamm told the Courier that workers felt abandoned after decades of loyalty, and shop owners on the high street fear the knock-on effect.\n\n\"Half the families in this town have someone at the mill,\" said Tamm, of the Metalworkers Federation."},
	},
	{
		name: "mayor opens library, mayor approves bridge", same: false,
		a: Article{Source: "Alder Gazette", Title: "Mayor Voss opens new library in Port Alder",
			Body: "Mayor Elena Voss opened the new Port Alder public library on Saturday, a glass building on the old fish market square with room for 120,000 books and a children's floor.\n\nThe library cost 12 million crowns, shared between the city and the national arts fund. \"A city that reads is a city that thinks,\" Voss told a crowd of several hundred.\n\nCouncillor Piet Hallam, who had questioned the building's heating costs, said he was glad to see it open. Librarians expect 1,500 visitors a day in the first month."},
		b: Article{Source: "Coastline Times", Title: "Harbour bridge gets green light after decade of debate",
			Body: "Port Alder's long-awaited harbour bridge won approval from the city council on Tuesday by nine votes to two.\n\nThe car-free crossing, budgeted at 84 million crowns, will link the old town with the eastern docks by 2029.\n\nMayor Elena Voss called the vote historic. Opponents led by councillor Piet Hallam warned of cost overruns. Hallam said the council had ignored the lessons of the city's last tram extension, which came in 40 percent over budget.\n\nThe harbour authority must still sign off on the final design."},
	},
	{
		name: "same clubs, two matches", same: false,
		a: Article{Source: "Sports Desk", Title: "Valmora Rovers beat Kestrel Town 3-1",
			Body: "Valmora Rovers beat Kestrel Town 3-1 at the Harbour Ground on Saturday to go top of the league. Striker Dario Fenn scored twice before half-time and manager Oskar Brandt praised his side's pressing.\n\nKestrel's Jon Ahlberg pulled one back in the 67th minute, but Fenn's strike partner Tomas Greer sealed it in stoppage time. A crowd of 18,240 watched."},
		b: Article{Source: "Valmora Evening Post", Title: "Rovers knocked out of cup by Kestrel",
			Body: "Kestrel Town knocked Valmora Rovers out of the national cup on Wednesday, winning 2-0 at Kestrel Park in a replay of last month's league game.\n\nJon Ahlberg headed the opener in the 12th minute and Mika Lund added a second after the break. Rovers manager Oskar Brandt rested Dario Fenn and Tomas Greer, and said the league came first. The attendance was 9,310."},
	},
	{
		name: "one outlet's follow-up in other words", same: false,
		a: Article{Source: "Northern Wire", Title: "Brennic Steel to shut Osterby works with loss of 640 jobs",
			Body: "Brennic Steel said on Monday it would close its Osterby rolling mill by the end of 2027, cutting 640 jobs, after two years of losses blamed on cheap imports and high power prices.\n\nChief executive Magnus Lindqvist said the plant had lost 115 million euros since 2024. \"We have run out of ways to make Osterby pay,\" he said.\n\nThe Metalworkers Federation called the decision a betrayal and said it would ask the regional government to step in. Federation secretary Ilse Tamm said members would meet on Thursday."},
		b: Article{Source: "Northern Wire", Title: "Osterby steelworkers vote to strike over mill closure",
			Body: "Workers at Brennic Steel's Osterby mill voted on Thursday to strike from next week in protest at the plan to close the plant in 2027 with the loss of 640 jobs.\n\nIlse Tamm of the Metalworkers Federation said 88 percent of members had backed the walkout. Magnus Lindqvist, the chief executive, said the strike would not change the company's decision, which followed losses of 115 million euros.\n\nThe regional government said it would hold talks with both sides on Monday."},
	},
}

func TestClustererSameEvent(t *testing.T) {
	for _, tt := range eventPairs {
		t.Run(tt.name, func(t *testing.T) {
			for _, opt := range []Options{{}, {NameThreshold: -1}} {
				c := NewClusterer(opt)
				for _, a := range background(200, 1) {
					c.Add(a)
				}
				a, b := tt.a, tt.b
				a.ID, a.Time, a.URL = 1001, at(0), "https://a.example/1"
				b.ID, b.Time, b.URL = 1002, at(2), "https://b.example/2"
				sa, _ := c.Add(a)
				sb, _ := c.Add(b)
				want := tt.same
				if opt.NameThreshold < 0 && tt.rule {
					want = false
				}
				if got := sa == sb; got != want {
					t.Errorf("NameThreshold %v: one story = %v, want %v", opt.NameThreshold, got, want)
				}
			}
		})
	}
}

// FuzzScanNames checks that every name and figure scanNames reports is a
// term that Add's scan makes of the same text, so findNames finds it.
func FuzzScanNames(f *testing.F) {
	f.Add("Mayor Elena Voss said Port Alder's 84 million crowns, Mr. Smith.")
	f.Add("O'Brien \u00c9mile Zola\u2019s 12,500 \xff\xfe Caf\u00e9 ΣΊΣΥΦΟΣ 東京 Tokyo")
	f.Fuzz(func(t *testing.T, s string) {
		terms := make(map[string]bool)
		scanWords(s, nil, func(w []byte) { terms[string(stemPlural(w))] = true })
		scanNames(s, nil, nil, func(w []byte, figure bool) {
			if !terms[string(w)] {
				t.Errorf("scanNames(%q) reported %q, not a term of the text", s, w)
			}
		})
	})
}
