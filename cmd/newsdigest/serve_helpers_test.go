package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/store"
	"github.com/newsdigest/newsdigest/store/sqlite"
)

// The end-to-end tests of serve run the command in this process, with its
// own wiring (runServe), against the fake Telegram and Discord servers.
// They set the package-level wrapStore hook, so none of them is parallel.

// served is `newsdigest serve --no-poll` running in this process until the
// test ends. --no-poll: the tests add feeds that must never be fetched.
type served struct {
	t      *testing.T
	listen string
	logs   *syncBuffer // stdout and stderr together
	done   chan struct{}
	code   int // after done
}

// serveOptions shape a serve run.
type serveOptions struct {
	// env is added to the cli's environment (NEWSDIGEST_LISTEN is set).
	env map[string]string
	// secrets must appear in no line serve writes: tokens, webhook secrets.
	secrets []string
	// wrap is installed as wrapStore while serve runs.
	wrap func(store.Store) store.Store
}

// newExamplesCLI is a cli whose database holds the example articles,
// imported now, so that they count as published in the last day.
func newExamplesCLI(t *testing.T) *cli {
	t.Helper()
	c := newCLI(t)
	if code, out, errs := c.run("import", "testdata/examples"); code != 0 {
		t.Fatalf("import examples: exit %d\n%s\n%s", code, out, errs)
	}
	return c
}

// startServe runs serve with the cli's environment plus o.env, waits until
// /healthz answers, and at the end of the test stops it (as SIGTERM would),
// checks that it exited 0 and that no secret reached its output.
func startServe(t *testing.T, c *cli, o serveOptions) *served {
	t.Helper()
	env := map[string]string{
		"NEWSDIGEST_LISTEN":        freeAddr(t),
		"NEWSDIGEST_LOG_LEVEL":     "debug", // the most lines to leak a token in
		"NEWSDIGEST_SCHEDULE_TICK": "50ms",
	}
	for k, v := range c.env {
		env[k] = v
	}
	for k, v := range o.env {
		env[k] = v
	}
	s := &served{t: t, listen: env["NEWSDIGEST_LISTEN"], logs: &syncBuffer{}, done: make(chan struct{})}
	if o.wrap != nil {
		wrapStore = o.wrap
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		defer close(s.done)
		s.code = run(ctx, []string{"serve", "--no-poll"}, strings.NewReader(""), s.logs, s.logs,
			func(k string) string { return env[k] })
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
			if s.code != 0 {
				t.Errorf("serve exited %d after its context ended, want 0", s.code)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("serve did not stop within 30s of its context ending")
		}
		wrapStore = nil
		out := s.logs.String()
		for _, secret := range o.secrets {
			if secret != "" && strings.Contains(out, secret) {
				t.Errorf("serve's output shows the secret %q", secret)
			}
		}
		if t.Failed() {
			t.Logf("serve's output:\n%s", out)
		}
	})
	s.waitHealthy(10 * time.Second)
	return s
}

func (s *served) exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

func (s *served) waitHealthy(timeout time.Duration) {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if s.exited() {
			s.t.Fatalf("serve exited %d before it was healthy:\n%s", s.code, s.logs.String())
		}
		if code, _ := s.get("/healthz"); code == http.StatusOK {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("/healthz not ready after %v:\n%s", timeout, s.logs.String())
}

// get fetches a path from serve's HTTP listener: the status and the body,
// or status 0 when the request failed.
func (s *served) get(path string) (int, string) {
	c := &http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get("http://" + s.listen + path)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// metric is the value of the sample of a metric family on /metrics whose
// labels include labels ("name" `k="v"`...); -1 when there is none.
func (s *served) metric(name string, labels ...string) float64 {
	s.t.Helper()
	code, body := s.get("/metrics")
	if code != http.StatusOK {
		s.t.Fatalf("/metrics: %d %s", code, body)
	}
	sc := bufio.NewScanner(strings.NewReader(body))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name+"{") && !strings.HasPrefix(line, name+" ") {
			continue
		}
		sample, value, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		match := true
		for _, l := range labels {
			if !strings.Contains(sample, l) {
				match = false
			}
		}
		if !match {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil {
			s.t.Fatalf("/metrics: bad sample %q", line)
		}
		return v
	}
	return -1
}

// withStore opens the cli's SQLite database directly, for a test to
// prepare or inspect what serve sees. Serve keeps its own connections.
func withStore(t *testing.T, c *cli, f func(store.Store)) {
	t.Helper()
	st, err := sqlite.Open(c.env["NEWSDIGEST_DATABASE"])
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	defer st.Close()
	f(st)
}

// backdateChannel makes a channel look created at created. A slot counts
// as due only after the subscription began, so a test that wants the
// scheduler to send a slot that is already due (rather than wait for the
// next wall-clock minute) needs a subscription older than the slot.
// store.ChannelStore sets Created itself, so this writes the column.
func backdateChannel(t *testing.T, c *cli, platform, chatID string, created time.Time) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+c.env["NEWSDIGEST_DATABASE"]+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Exec(`UPDATE channels SET created = ? WHERE platform = ? AND chat_id = ?`,
		created.UnixMilli(), platform, chatID)
	if err != nil {
		t.Fatalf("backdate channel %s/%s: %v", platform, chatID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("backdate channel %s/%s: %d rows, want 1", platform, chatID, n)
	}
}

// dueSchedule is a daily schedule whose latest slot was ago before now,
// in UTC, so that a subscription older than that slot has it due.
func dueSchedule(now time.Time, ago time.Duration) string {
	t := now.Add(-ago).UTC()
	return fmt.Sprintf("daily %02d:%02d", t.Hour(), t.Minute())
}

// newsArticles are stories on unrelated subjects, so that no two merge
// into one story; their titles try HTML and mentions on the renderers.
var newsArticles = []struct{ title, outlet, body string }{
	{"Glacier <b>retreat</b> measured at record pace & more", "Alpine Courier",
		"Survey teams on the Morteratsch glacier recorded a retreat of 41 metres this summer.\n\n\"The ice is thinning faster than any of our models predicted,\" said glaciologist Ines Brandt.\n\nMeltwater now reaches the valley weeks earlier than a decade ago."},
	{"Chess prodigy wins national title at twelve @everyone", "Board Report",
		"Twelve-year-old Lio Marchetti won the national chess championship on Sunday after a tense endgame.\n\n\"I only saw the knight sacrifice at the last second,\" Marchetti said.\n\nHe becomes the youngest champion in the federation's history."},
	{"Bakery chain recalls rye loaves over sesame labelling", "Consumer Watch",
		"The Kornhaus bakery chain recalled rye loaves sold in forty shops after sesame was left off the label.\n\n\"Customers with allergies should return the bread for a full refund,\" spokeswoman Dana Wirth said.\n\nNo illnesses have been reported."},
	{"Orchestra cancels tour after instrument cargo goes missing", "Stage Daily",
		"The Northern Philharmonic cancelled its autumn tour when a container of cellos and timpani vanished in transit.\n\n\"Without our instruments we simply cannot play,\" conductor Aurelio Vance said.\n\nThe shipping firm has opened an inquiry."},
	{"Volcano observatory raises alert level on Mount Keral", "Island Times",
		"Seismometers around Mount Keral registered more than three hundred small earthquakes overnight.\n\n\"Magma is moving, but an eruption is not certain,\" volcanologist Rafael Ortiz said.\n\nHikers are barred from the crater trails until further notice."},
	{"Marathon route changed to avoid flooded riverside", "City Runner",
		"Organisers moved the last eight kilometres of Sunday's marathon away from the flooded riverside path.\n\n\"Safety comes before scenery,\" race director Olga Pirtti said.\n\nThe new course passes the cathedral and the old market."},
	{"Satellite launch delayed by faulty fuel valve", "Orbital News",
		"The launch of the Meridian-4 weather satellite was postponed after engineers found a leaking fuel valve.\n\n\"We will not fly with a component we do not trust,\" mission manager Kwame Asante said.\n\nA new launch window opens in three weeks."},
	{"Beekeepers report best honey harvest in a decade", "Rural Gazette",
		"Beekeepers across the lowlands reported their largest honey harvest in ten years after a warm, wet spring.\n\n\"The lime trees flowered for almost a month,\" beekeeper Tomasz Nowak said.\n\nPrices at farm shops are expected to fall."},
	{"Museum returns bronze masks to their country of origin", "Heritage Review",
		"The Royal Ethnographic Museum handed back eleven bronze masks taken during a colonial expedition in 1897.\n\n\"These objects belong with the people who made them,\" director Amara Okafor said.\n\nThe masks will go on display in a new gallery next year."},
	{"Ferry operator adds night crossings for the summer", "Harbour Post",
		"The Skerry Line ferry company will run night crossings between the islands from June to August.\n\n\"Demand from festival visitors has doubled,\" operations chief Freya Lund said.\n\nTickets go on sale on Monday."},
	{"Library lends out telescopes to stargazers", "Valley Voice",
		"The public library in Grenmoor now lends small telescopes alongside books and films.\n\n\"Every one of the twenty telescopes was booked within a day,\" librarian Hugo Brenner said.\n\nAn astronomy club offers free lessons on Friday evenings."},
	{"Vineyards hit by late frost expect smaller vintage", "Wine Ledger",
		"A frost in the last week of April damaged young vine shoots across the southern slopes.\n\n\"We lost perhaps a third of the buds in one night,\" winemaker Claire Dufour said.\n\nGrowers lit candles between the rows to save what they could."},
	{"Robotics team builds arm that sorts recycling", "Tech Campus",
		"Students at the polytechnic built a robotic arm that sorts plastic, glass and paper on a conveyor belt.\n\n\"It recognises a bottle in under a tenth of a second,\" team leader Priya Raman said.\n\nThe city waste depot will test it in the spring."},
	{"Lighthouse keeper's cottage opens as a hostel", "Coastal Weekly",
		"The restored keeper's cottage at Gull Point lighthouse opened as a twelve-bed hostel this week.\n\n\"Guests fall asleep to the sound of the foghorn,\" manager Ewan MacLeod said.\n\nBookings for July are already full."},
	{"Cycling lanes cut commuter accidents by a quarter", "Transport Journal",
		"Accidents involving commuters on bicycles fell by a quarter in the year after protected lanes opened downtown.\n\n\"Separating bikes from lorries saves lives,\" road safety officer Nadia Haddad said.\n\nThe council plans four more lanes."},
	{"Archaeologists uncover Roman mosaic beneath car park", "History Today Local",
		"Builders digging foundations for a car park uncovered a Roman mosaic floor of dolphins and vines.\n\n\"It is the finest mosaic found in the region for fifty years,\" archaeologist Julia Sorensen said.\n\nThe floor will be lifted and displayed in the town museum."},
}

// putNewsArticles stores newsArticles as published in the last hours.
func putNewsArticles(t *testing.T, c *cli) {
	t.Helper()
	now := time.Now()
	var as []*store.Article
	for i, a := range newsArticles {
		as = append(as, &store.Article{
			URL:       fmt.Sprintf("https://news-%d.example/2026/story-%d", i, i),
			Title:     a.title,
			Outlet:    a.outlet,
			Body:      a.body,
			Language:  "en",
			Published: now.Add(-time.Duration(i+1) * 10 * time.Minute),
		})
	}
	withStore(t, c, func(st store.Store) {
		if _, err := st.PutArticles(context.Background(), as); err != nil {
			t.Fatalf("put articles: %v", err)
		}
	})
}
