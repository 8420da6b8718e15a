package story

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// The articles below are invented for these tests.

var t0 = time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)

func at(hours float64) time.Time { return t0.Add(time.Duration(hours * float64(time.Hour))) }

const strikeBody = `Dock workers at the Port of Valmora walked out on Tuesday after talks over pay collapsed, leaving container ships queuing in the bay.

The Coastal Workers Union said 2,400 of its members had joined the strike. Union leader Irena Kostova said the port authority's offer of a 6% rise over two years did not cover the cost of living. "Our members keep this port running through storms and night shifts, and they will not accept a cut in real pay," she told reporters outside the main gate.

Port authority chief Mattias Brenner said the offer was fair and that the port would ask the labour court to order a return to work. He said perishable cargo would be diverted to Ostrava Bay while the stoppage lasted.

Shipping agents said at least eleven vessels were waiting to berth by Tuesday evening, and exporters of citrus and olive oil warned of losses.`

const busBody = `Bus drivers in Valmora voted on Wednesday to accept a new two-year contract, ending a month of overtime bans that had thinned evening services across the city.

The Transit Drivers Association said 71% of members backed the deal, which raises basic pay and adds a paid break on long routes. The city transport company said timetables would return to normal from Monday.

Council transport officer Lena Vogt welcomed the result and said the company would recruit forty more drivers before the summer.`

const cometBody = `Astronomers at the Serrano Observatory have found a comet that will pass close enough to the Sun next winter to be seen without a telescope.

The comet, catalogued as C/2025 K3, was spotted on images taken on Sunday night by a survey telescope. Observatory director Paulo Amaral said its orbit suggested it last visited the inner solar system about 6,000 years ago.

Amateur observers in the southern hemisphere should have the best view in late January, he said.`

const quakeLede = `A magnitude 6.1 earthquake struck off the coast of Corvessa early on Friday, the national seismology institute said.`

func strikeArticles() []Article {
	return []Article{
		{ID: 101, Source: "Harbour Times", URL: "https://harbourtimes.example/valmora-strike", Title: "Dock workers strike at Port of Valmora over pay", Body: strikeBody, Time: at(0)},
		// The same wire copy on another site, with a credit line added.
		{ID: 102, Source: "Wire Daily", URL: "https://wiredaily.example/2025/03/04/valmora", Title: "Valmora dockers strike over pay", Body: strikeBody + "\n\nReporting by the Coastal Press Agency.", Time: at(1)},
		// A short brief of the same event, in other words.
		{ID: 103, Source: "Morning Brief", URL: "https://brief.example/valmora", Title: "Valmora port shut as 2,400 dockers stop work", Body: "About 2,400 dockers at Valmora stopped work on Tuesday after pay talks with port authority chief Mattias Brenner collapsed. Irena Kostova of the Coastal Workers Union called the 6% offer a cut in real pay; eleven vessels are waiting to berth and cargo is being diverted to Ostrava Bay.", Time: at(3)},
	}
}

func otherArticles() []Article {
	return []Article{
		{ID: 201, Source: "Harbour Times", URL: "https://harbourtimes.example/bus-deal", Title: "Valmora bus drivers accept new contract", Body: busBody, Time: at(2)},
		{ID: 301, Source: "Science Now", URL: "https://sciencenow.example/comet", Title: "Comet to be visible without a telescope next winter", Body: cometBody, Time: at(4)},
	}
}

// background returns n invented articles on other subjects, so document
// frequencies are not those of a handful of texts.
func background(n int, firstID int64) []Article {
	s := newSynth(42)
	out := make([]Article, n)
	for i := range out {
		out[i] = s.article(firstID+int64(i), 1000+i, 250, at(-1))
	}
	return out
}

func TestClustererStories(t *testing.T) {
	c := NewClusterer(Options{})
	for _, a := range background(60, 1) {
		c.Add(a)
	}
	ids := make(map[int64]int64)
	isNew := make(map[int64]bool)
	for _, a := range append(strikeArticles(), otherArticles()...) {
		ids[a.ID], isNew[a.ID] = c.Add(a)
	}
	tests := []struct {
		name string
		a, b int64
		same bool
	}{
		{"syndicated copy", 101, 102, true},
		{"brief in other words", 101, 103, true},
		{"same city, different event", 101, 201, false},
		{"unrelated", 101, 301, false},
		{"unrelated to each other", 201, 301, false},
	}
	for _, tt := range tests {
		if got := ids[tt.a] == ids[tt.b]; got != tt.same {
			t.Errorf("%s: articles %d and %d in one story = %v, want %v", tt.name, tt.a, tt.b, got, tt.same)
		}
	}
	for id, want := range map[int64]bool{101: true, 102: false, 103: false, 201: true, 301: true} {
		if isNew[id] != want {
			t.Errorf("Add(%d) isNew = %v, want %v", id, isNew[id], want)
		}
	}
	st, ok := c.Story(ids[101])
	if !ok {
		t.Fatal("strike story not found")
	}
	if st.Key != "101" {
		t.Errorf("Key = %q, want the smallest article ID, 101", st.Key)
	}
	var dups []int64
	for _, m := range st.Members {
		if m.NearDuplicate {
			dups = append(dups, m.ID)
		}
	}
	if len(dups) != 1 || dups[0] != 102 {
		t.Errorf("near-duplicates = %v, want [102]", dups)
	}
}

// TestClustererHeadline covers the title-and-lede cosine: two outlets
// open with the same wire lede and go on differently.
func TestClustererHeadline(t *testing.T) {
	c := NewClusterer(Options{})
	for _, a := range background(60, 1) {
		c.Add(a)
	}
	a := Article{ID: 401, Source: "Coast News", Title: "Magnitude 6.1 earthquake strikes off Corvessa", Lede: quakeLede,
		Body: quakeLede + " Residents of the harbour district said buildings shook for about twenty seconds. The fire brigade reported cracked walls in two schools but no injuries.", Time: at(0)}
	b := Article{ID: 402, Source: "Island Radio", Title: "Earthquake of magnitude 6.1 off Corvessa coast", Lede: quakeLede,
		Body: quakeLede + " The ferry operator suspended crossings until engineers had inspected the piers. A tsunami warning was issued and lifted within the hour.", Time: at(1)}
	sa, _ := c.Add(a)
	sb, _ := c.Add(b)
	if sa != sb {
		t.Errorf("two reports with one lede are in stories %d and %d", sa, sb)
	}
}

func TestClustererWindow(t *testing.T) {
	c := NewClusterer(Options{Window: 48 * time.Hour})
	first := strikeArticles()[0]
	s1, _ := c.Add(first)
	late := first
	late.ID, late.Time = 999, at(72)
	s2, isNew := c.Add(late)
	if s1 == s2 || !isNew {
		t.Errorf("a copy 72 h later joined story %d (new %v); want a new story", s2, isNew)
	}
	// Re-adding an article changes nothing.
	if s, isNew := c.Add(first); s != s1 || isNew {
		t.Errorf("re-adding article %d gave story %d new=%v, want %d false", first.ID, s, isNew, s1)
	}
}

func TestClustererExpire(t *testing.T) {
	c := NewClusterer(Options{Window: 48 * time.Hour})
	strike := strikeArticles()
	s1, _ := c.Add(strike[0]) // at 0 h
	comet := otherArticles()[1]
	sc, _ := c.Add(comet) // at 4 h
	follow := strike[2]
	follow.Time = at(40)
	if s, _ := c.Add(follow); s != s1 {
		t.Fatalf("follow-up went to story %d, want %d", s, s1)
	}

	closed := c.Expire(at(50)) // drops articles before 2 h: the first strike article
	if len(closed) != 0 {
		t.Errorf("Expire(50 h) closed %v, want none", closed)
	}
	st, ok := c.Story(s1)
	if !ok || len(st.Members) != 1 || st.Members[0].ID != follow.ID {
		t.Fatalf("strike story after expiry = %+v, want only article %d", st.Members, follow.ID)
	}
	if st.Key != "101" {
		t.Errorf("Key after its first article expired = %q, want it kept: 101", st.Key)
	}

	closed = c.Expire(at(60)) // drops the comet (4 h)
	if len(closed) != 1 || closed[0] != sc {
		t.Errorf("Expire(60 h) closed %v, want [%d]", closed, sc)
	}
	closed = c.Expire(at(200))
	if len(closed) != 1 || closed[0] != s1 || c.Len() != 0 {
		t.Errorf("Expire(200 h) closed %v, %d open; want [%d], 0", closed, c.Len(), s1)
	}
	if c.vocab.n != 0 || len(c.overflow) != 0 || len(c.articles) != 0 || c.docs != 0 {
		t.Errorf("empty window keeps %d terms, %d articles, docs=%d", c.vocab.n, len(c.articles), c.docs)
	}
	if len(c.bands) != 0 {
		t.Errorf("empty window keeps %d LSH buckets", len(c.bands))
	}
	// An expired article's near-duplicate starts afresh.
	again := strike[1]
	again.Time = at(201)
	if _, isNew := c.Add(again); !isNew {
		t.Error("a copy of an expired article joined a closed story")
	}
}

func TestClustererDeterministic(t *testing.T) {
	arts := append(append(background(80, 1), strikeArticles()...), otherArticles()...)
	run := func() string {
		c := NewClusterer(Options{})
		var b strings.Builder
		for _, a := range arts {
			id, isNew := c.Add(a)
			fmt.Fprintf(&b, "%d:%d:%v ", a.ID, id, isNew)
		}
		for _, s := range c.Stories() {
			fmt.Fprintf(&b, "%s %q %v|", s.Key, s.Headline(), s.ArticleIDs())
		}
		return b.String()
	}
	if a, b := run(), run(); a != b {
		t.Errorf("two runs differ:\n%s\n%s", a, b)
	}
}

func TestClustererOddInput(t *testing.T) {
	c := NewClusterer(Options{})
	huge := strings.Repeat("lorem ipsum dolor sit amet consectetur ", 50000) // 2 MB
	odd := []Article{
		{ID: 1},
		{ID: 2, Title: "   ", Body: "\x00\xff\xfe"},
		{ID: 3, Title: strings.Repeat("x", 100000)},
		{ID: 4, Body: huge, Lede: huge},
		{ID: 5, Body: huge},
		{ID: 6, Body: strings.Repeat("北京上海广州深圳", 10000)},
	}
	for _, a := range odd {
		c.Add(a)
	}
	if s4, _ := c.Add(odd[3]); s4 == 0 {
		t.Error("story IDs start at 1")
	}
	st := c.Stories()
	n := 0
	for _, s := range st {
		n += len(s.Members)
	}
	if n != len(odd) {
		t.Errorf("%d members in %d stories, want %d articles", n, len(st), len(odd))
	}
	for _, s := range st {
		for _, m := range s.Members {
			if len(m.Lede) > ledeBytes {
				t.Errorf("article %d keeps a %d-byte lede", m.ID, len(m.Lede))
			}
		}
	}
}

// TestTermLayout guards the cache layout term's comment describes.
func TestTermLayout(t *testing.T) {
	if size := unsafe.Sizeof(term{}); size != 192 {
		t.Errorf("term is %d bytes, want 192", size)
	}
	if end := unsafe.Offsetof(term{}.prefix) + unsafe.Sizeof(term{}.prefix); end > 64 {
		t.Errorf("the first cache line's fields end at byte %d", end)
	}
}
