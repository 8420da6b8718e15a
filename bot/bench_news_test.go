package bot

import (
	"container/heap"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/newsdigest/newsdigest/store"
	"github.com/newsdigest/newsdigest/store/storetest"
)

// The benchmarks' news: deterministic synthetic articles shaped like a
// day's wire and newspaper output, so that analysis and clustering do the
// work they do on real news. Words come from storetest's made-up
// vocabulary (Zipf-distributed, as the store benchmarks use), mixed with
// English function words at about their share of real text. Each event
// has its own rare words, people, a place and figures; its first article
// is the wire copy, and later ones are either copies of it (other
// outlets' datelines and credit lines: near-duplicates) or rewrites in
// their own words that name the same people, figures and quotes. About
// half the events are covered once. Quotes come in the forms news uses
// ("…," said Name, the role. / Name said: "…" / "…," he said.), so that
// the stored analyses hold key quotes with speakers.

// newsGenerator changes whenever the articles do, so that cached stores
// are rebuilt.
const newsGenerator = "n1"

const (
	newsArticles = 100000
	newsPerDay   = 5000 // articles a day: the 24-hour window holds about this many
	newsOutlets  = 60
	newsFailing  = 3 // sources whose last fetch failed, for /status and the footer
)

var newsFunctionWords = strings.Fields("the the the of of and and to to a a in in that is was for it with as on be at by had not are but from or have an they which were her all she there would their we him been has when who will more no if out so what up its about into than them can only other new some could time these two may then do first any now such like our over even most made after also did many before must through back years where much your way well down should because each just those people how too little state very make world still own see here between both under never day same another while last might great old year off since against right used take three")

var newsFirstNames = strings.Fields("Elena Ines Marta Anna Olga Sara Lena Nadia Clara Irene Julia Vera Mila Dana Rosa Tomas Pavel Marek Ivan Oskar Leon Viktor Anton Jonas Felix Milan Karl Rafael Dmitry Adam Hugo Emil Nora Lucia Petra Greta Alma Ada Ruth Ilse Bruno Otto Arne Mats Sven")

var newsRoles = strings.Fields("minister mayor spokeswoman spokesman director governor chairman president ambassador prosecutor commissioner economist analyst professor senator")

var newsOutletWords = [2][]string{
	strings.Fields("Alder Coastline Harbour Northern Evening Morning Daily Capital Valley Union Republic National Metro Eastern Western Central Prairie Summit Delta Granite"),
	strings.Fields("Gazette Times Herald Post Wire Courier Chronicle Tribune Observer Ledger Dispatch Journal Standard Monitor Review"),
}

// newsOutletName is outlet i's name; outlet i is source i+1.
func newsOutletName(i int) string {
	a, b := newsOutletWords[0], newsOutletWords[1]
	return a[i%len(a)] + " " + b[(i/len(a)+i)%len(b)]
}

// newsSources are the feeds the articles come from.
func newsSources() []*store.Source {
	out := make([]*store.Source, newsOutlets)
	for i := range out {
		out[i] = &store.Source{Name: newsOutletName(i), URL: fmt.Sprintf("https://feeds.outlet%d.example/rss.xml", i),
			FullText: store.FullTextAuto, Interval: 15 * time.Minute}
	}
	return out
}

// newsPerson is someone an event quotes.
type newsPerson struct {
	first, last, role string
}

func (p newsPerson) name() string { return p.first + " " + p.last }

// newsEvent is one thing that happened, and what every article about it
// shares.
type newsEvent struct {
	seq      int
	start    time.Time
	words    []string // its own rare words
	place    string
	people   []newsPerson
	figures  []string
	quotes   []string // what its people said, by people[i%len(people)]
	title    string
	wire     []string // the wire copy's paragraphs
	articles int
}

// newsItem is an article waiting to be published, with its outlet.
type newsItem struct {
	a      *store.Article
	outlet int
	seq    int
}

type newsQueue []newsItem

func (q newsQueue) Len() int { return len(q) }
func (q newsQueue) Less(i, j int) bool {
	if c := q[i].a.Published.Compare(q[j].a.Published); c != 0 {
		return c < 0
	}
	return q[i].seq < q[j].seq
}
func (q newsQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *newsQueue) Push(x any)   { *q = append(*q, x.(newsItem)) }
func (q *newsQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// newsGen makes the articles in publication order.
type newsGen struct {
	w       *storetest.Synth
	rng     *rand.Rand
	start   time.Time
	next    time.Time // the next event's start
	events  int
	items   int
	pending newsQueue
}

// The first article is published at newsStart; the last about 20 days
// later (see newsNow, which the benchmarks use as the present).
var newsStart = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)

func newNewsGen() *newsGen {
	return &newsGen{w: storetest.NewSynth(7), rng: rand.New(rand.NewPCG(7, 0x6e657773)), start: newsStart, next: newsStart}
}

// eventSize draws how many articles cover an event: one for half of them,
// otherwise two to a dozen (mean about 2.4 over all events).
func (g *newsGen) eventSize() int {
	if g.rng.IntN(2) == 0 {
		return 1
	}
	n := 2
	for n < 12 && g.rng.Float64() > 0.35 {
		n++
	}
	return n
}

// meanEventSize is eventSize's mean, which sets the events' rate.
const meanEventSize = 2.43

// nextArticle returns the next article in publication order and its outlet.
func (g *newsGen) nextArticle() (*store.Article, int) {
	for len(g.pending) == 0 || g.pending[0].a.Published.After(g.next) {
		g.addEvent()
	}
	it := heap.Pop(&g.pending).(newsItem)
	return it.a, it.outlet
}

func (g *newsGen) addEvent() {
	ev := g.newEvent(g.next)
	gap := time.Duration(float64(24*time.Hour) * meanEventSize / newsPerDay)
	g.next = g.next.Add(gap/2 + time.Duration(g.rng.Int64N(int64(gap))))
	g.events++
	first := g.rng.IntN(newsOutlets)
	for i := range ev.articles {
		at := ev.start
		if i > 0 {
			at = at.Add(time.Duration(min(g.rng.ExpFloat64()*3, 20) * float64(time.Hour)))
		}
		outlet := (first + i*7 + g.rng.IntN(3)) % newsOutlets
		var a *store.Article
		switch {
		case i == 0:
			a = g.wireArticle(ev, outlet, false)
		case g.rng.IntN(5) < 2:
			a = g.wireArticle(ev, outlet, true)
		default:
			a = g.rewrite(ev, outlet)
		}
		a.Published = at.Truncate(time.Second)
		a.Fetched = a.Published.Add(time.Duration(30+g.rng.IntN(900)) * time.Second)
		a.Outlet = newsOutletName(outlet)
		a.Language = "en"
		a.Byline = "By " + g.personName()
		g.items++
		heap.Push(&g.pending, newsItem{a: a, outlet: outlet, seq: g.items})
	}
}

func capitalise(w string) string { return strings.ToUpper(w[:1]) + w[1:] }

func (g *newsGen) rareWord() string { return g.w.Vocab[1500+g.rng.IntN(len(g.w.Vocab)-1500)] }

func (g *newsGen) personName() string {
	return newsFirstNames[g.rng.IntN(len(newsFirstNames))] + " " + capitalise(g.rareWord())
}

func (g *newsGen) figure() string {
	switch g.rng.IntN(4) {
	case 0:
		return strconv.Itoa(10+g.rng.IntN(990)) + " million"
	case 1:
		return strconv.Itoa(2026 + g.rng.IntN(8))
	case 2:
		return fmt.Sprintf("%d.%d percent", 1+g.rng.IntN(20), g.rng.IntN(10))
	}
	return strconv.Itoa(12 + g.rng.IntN(4000))
}

func (g *newsGen) newEvent(at time.Time) *newsEvent {
	ev := &newsEvent{seq: g.events, start: at, articles: g.eventSize()}
	for range 6 {
		ev.words = append(ev.words, g.rareWord())
	}
	ev.place = capitalise(g.rareWord())
	if g.rng.IntN(3) == 0 {
		ev.place = "Port " + ev.place
	}
	for range 1 + g.rng.IntN(3) {
		ev.people = append(ev.people, newsPerson{first: newsFirstNames[g.rng.IntN(len(newsFirstNames))],
			last: capitalise(g.rareWord()), role: newsRoles[g.rng.IntN(len(newsRoles))]})
	}
	for range 3 {
		ev.figures = append(ev.figures, g.figure())
	}
	for range 2 + g.rng.IntN(3) {
		ev.quotes = append(ev.quotes, strings.TrimSuffix(g.sentence(ev, 10+g.rng.IntN(12), 0.12), "."))
	}
	ev.title = g.headline(ev)
	p := ev.people[0]
	lede := fmt.Sprintf("%s %s in %s on %s %s %s, %s said.", capitalise(p.role), p.name(), ev.place,
		g.sentenceWords(ev, 6, 0.3), ev.figures[0], g.sentenceWords(ev, 5, 0.3), "officials")
	ev.wire = append(ev.wire, lede)
	q := 0
	for len(ev.wire) < 8+g.rng.IntN(7) {
		if g.rng.IntN(3) == 0 && q < len(ev.quotes) {
			ev.wire = append(ev.wire, g.quoteParagraph(ev, q))
			q++
			continue
		}
		var para []string
		for range 1 + g.rng.IntN(3) {
			para = append(para, g.sentence(ev, 12+g.rng.IntN(16), 0.08))
		}
		ev.wire = append(ev.wire, strings.Join(para, " "))
	}
	for ; q < 2 && q < len(ev.quotes); q++ {
		ev.wire = append(ev.wire, g.quoteParagraph(ev, q))
	}
	return ev
}

// sentenceWords returns n words, a share of them the event's own.
func (g *newsGen) sentenceWords(ev *newsEvent, n int, own float64) string {
	ws := make([]string, n)
	for i := range ws {
		switch r := g.rng.Float64(); {
		case r < own:
			ws[i] = ev.words[g.rng.IntN(len(ev.words))]
		case r < own+0.42:
			ws[i] = newsFunctionWords[g.rng.IntN(len(newsFunctionWords))]
		default:
			ws[i] = g.w.Word()
		}
	}
	return strings.Join(ws, " ")
}

// sentence returns a sentence of about n words that now and then names the
// event's people, place or figures.
func (g *newsGen) sentence(ev *newsEvent, n int, own float64) string {
	var b strings.Builder
	b.WriteString(capitalise(g.sentenceWords(ev, 3, own)))
	for n -= 3; n > 0; n -= 3 {
		b.WriteByte(' ')
		switch g.rng.IntN(12) {
		case 0:
			b.WriteString(ev.people[g.rng.IntN(len(ev.people))].last)
		case 1:
			b.WriteString(ev.place)
		case 2:
			b.WriteString(ev.figures[g.rng.IntN(len(ev.figures))])
		case 3:
			b.WriteString(capitalise(g.w.Word()))
		}
		b.WriteByte(' ')
		b.WriteString(g.sentenceWords(ev, 3, own))
		if g.rng.IntN(8) == 0 {
			b.WriteByte(',')
		}
	}
	b.WriteByte('.')
	return strings.ReplaceAll(b.String(), "  ", " ")
}

func (g *newsGen) headline(ev *newsEvent) string {
	h := capitalise(g.sentenceWords(ev, 2+g.rng.IntN(3), 0.5)) + " " + ev.place + " " + g.sentenceWords(ev, 2+g.rng.IntN(3), 0.5)
	if g.rng.IntN(2) == 0 {
		h = ev.people[0].last + ": " + h
	}
	return h
}

// quoteParagraph attributes quote i of the event in one of the forms news
// uses, sometimes followed by a second quote given to "he" or "she".
func (g *newsGen) quoteParagraph(ev *newsEvent, i int) string {
	p := ev.people[i%len(ev.people)]
	q := ev.quotes[i]
	var s string
	switch g.rng.IntN(4) {
	case 0:
		s = fmt.Sprintf("“%s,” said %s, the %s.", q, p.name(), p.role)
	case 1:
		s = fmt.Sprintf("“%s,” %s said.", q, p.name())
	case 2:
		s = fmt.Sprintf("%s, the %s, said: “%s.”", p.name(), p.role, q)
	default:
		s = fmt.Sprintf("“%s,” %s told reporters in %s.", q, p.last, ev.place)
	}
	if g.rng.IntN(3) == 0 {
		pron := "he"
		if strings.HasSuffix(p.first, "a") {
			pron = "she"
		}
		s += fmt.Sprintf(" “%s,” %s added.", strings.TrimSuffix(g.sentence(ev, 8+g.rng.IntN(8), 0.1), "."), pron)
	}
	return s
}

// wireArticle is the event's wire copy as outlet runs it; a copy drops a
// paragraph now and then and has its own dateline and credit line.
func (g *newsGen) wireArticle(ev *newsEvent, outlet int, copyOf bool) *store.Article {
	paras := append([]string(nil), ev.wire...)
	title := ev.title
	if copyOf {
		if len(paras) > 4 && g.rng.IntN(2) == 0 {
			j := 2 + g.rng.IntN(len(paras)-2)
			paras = append(paras[:j], paras[j+1:]...)
		}
		paras[0] = strings.ToUpper(ev.place) + " (" + newsOutletName(outlet) + ") - " + paras[0]
		if g.rng.IntN(2) == 0 {
			title = ev.title + " - " + newsOutletName(outlet)
		}
	}
	paras = append(paras, fmt.Sprintf("Reporting by %s; editing by %s for %s.", g.personName(), g.personName(), newsOutletName(outlet)))
	return &store.Article{URL: g.url(ev, outlet), Title: title, Body: strings.Join(paras, "\n\n")}
}

// rewrite is another outlet's own report of the event: the same people,
// place, figures and quotes, in other words.
func (g *newsGen) rewrite(ev *newsEvent, outlet int) *store.Article {
	p := ev.people[g.rng.IntN(len(ev.people))]
	paras := []string{fmt.Sprintf("%s %s %s in %s, %s %s.", capitalise(g.sentenceWords(ev, 4, 0.3)), p.name(),
		g.sentenceWords(ev, 5, 0.3), ev.place, g.sentenceWords(ev, 4, 0.3), ev.figures[g.rng.IntN(len(ev.figures))])}
	q := g.rng.IntN(len(ev.quotes))
	for len(paras) < 7+g.rng.IntN(7) {
		if g.rng.IntN(3) == 0 {
			paras = append(paras, g.quoteParagraph(ev, q%len(ev.quotes)))
			q++
			continue
		}
		var para []string
		for range 1 + g.rng.IntN(3) {
			para = append(para, g.sentence(ev, 12+g.rng.IntN(16), 0.1))
		}
		paras = append(paras, strings.Join(para, " "))
	}
	return &store.Article{URL: g.url(ev, outlet), Title: g.headline(ev), Body: strings.Join(paras, "\n\n")}
}

func (g *newsGen) url(ev *newsEvent, outlet int) string {
	return fmt.Sprintf("https://www.outlet%d.example/news/%s/%d-%s?utm_source=rss", outlet, ev.start.Format("2006/01/02"), g.items, ev.words[0])
}
