package bot

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/digest"
	"github.com/newsdigest/newsdigest/store"
	"github.com/newsdigest/newsdigest/store/sqlite"
)

var _ Store = (*sqlite.Store)(nil)

// clock is a settable time source for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func openStore(t *testing.T) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func newTestBot(t *testing.T) (*Bot, *clock) {
	t.Helper()
	st := openStore(t)
	clk := &clock{t: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
	b := &Bot{Store: st, Pipeline: &Pipeline{Store: st}, TimeZone: "UTC", MaxStories: 5, Now: clk.Now}
	return b, clk
}

// seed stores a few articles written for these tests.
func seed(t *testing.T, b *Bot, at time.Time) {
	t.Helper()
	arts := []*store.Article{
		{URL: "https://gazette.example/bridge", Outlet: "Alder Gazette", Title: "Council approves harbour bridge", Published: at.Add(-2 * time.Hour),
			Body: "The Port Alder council voted on Tuesday to build a new harbour bridge linking the old town with the eastern docks.\n\n\"This is the most important decision this council has taken in a generation,\" Mayor Elena Voss said after the vote.\n\nThe bridge will cost 84 million crowns."},
		{URL: "https://times.example/bridge", Outlet: "Coastline Times", Title: "Harbour bridge approved by council", Published: at.Add(-time.Hour),
			Body: "The Port Alder council approved a new harbour bridge linking the old town with the eastern docks on Tuesday.\n\n\"For forty years the east side has been cut off from the rest of the city,\" Mayor Elena Voss said.\n\nThe bridge will cost 84 million crowns and open in 2029."},
		{URL: "https://techwire.example/battery", Outlet: "TechWire", Title: "Helixa shows six-minute battery", Published: at.Add(-3 * time.Hour),
			Body: "Battery maker Helixa showed a car battery that charges in six minutes.\n\n\"We think this removes the last good reason not to buy an electric car,\" chief executive Ines Marlow said.\n\nProduction is planned for 2028."},
	}
	for _, a := range arts {
		if _, err := b.Store.PutArticle(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
}

func req(cmd string, args ...string) Request {
	return Request{Platform: store.Telegram, ChatID: "-100", Kind: Group, UserID: "7", Command: cmd, Args: args,
		IsAdmin: func(context.Context) (bool, error) { return true, nil }}
}

func TestCommands(t *testing.T) {
	b, clk := newTestBot(t)
	seed(t, b, clk.Now())
	nonAdmin := func(r Request) Request {
		r.IsAdmin = func(context.Context) (bool, error) { return false, nil }
		return r
	}
	brokenAdmin := func(r Request) Request {
		r.IsAdmin = func(context.Context) (bool, error) { return false, errors.New("getChatMember: timeout") }
		return r
	}
	tests := []struct {
		name    string
		req     Request
		wantErr bool
		want    string // in the reply text
		digest  bool
	}{
		{name: "help", req: req("help"), want: "/subscribe"},
		{name: "help one", req: req("help", "filter"), want: "exclude:football"},
		{name: "help unknown", req: req("help", "frob"), want: "There is no /frob command"},
		{name: "unknown command", req: req("frob"), wantErr: true, want: "I don't know /frob"},
		{name: "search empty", req: req("search"), wantErr: true, want: "What should I look for"},
		{name: "search", req: req("search", "harbour", "bridge"), want: "Council approves harbour bridge"},
		{name: "search nothing", req: req("search", "zeppelin"), want: "Nothing found"},
		{name: "search hostile", req: req("search", `"`, "NEAR(", "zq*"), want: "Nothing found"},
		{name: "digest", req: req("digest"), digest: true},
		{name: "digest bad period", req: req("digest", "30w"), wantErr: true, want: "at most 7 days"},
		{name: "subscribe bad zone", req: req("subscribe", "daily", "08:00", "Mars/Olympus"), wantErr: true, want: "unknown time zone"},
		{name: "subscribe bad schedule", req: req("subscribe", "sometimes"), wantErr: true, want: "unknown day"},
		{name: "subscribe non-admin", req: nonAdmin(req("subscribe")), wantErr: true, want: "only administrators"},
		{name: "subscribe admin check fails", req: brokenAdmin(req("subscribe")), wantErr: true, want: "could not check"},
		{name: "subscribe", req: req("subscribe", "weekdays", "07:30", "europe/berlin"), want: "Next digest: Thu 26 Nov 2026 07:30 CET"},
		{name: "schedule", req: req("schedule"), want: "weekdays 07:30, time zone Europe/Berlin"},
		{name: "filter add bad", req: req("filter", "add", "exclude:/(/"), wantErr: true},
		{name: "filter add non-admin", req: nonAdmin(req("filter", "add", "exclude:battery")), wantErr: true, want: "only administrators"},
		{name: "filter add", req: req("filter", "add", "exclude:battery"), want: "Filter 1 added"},
		{name: "filter list non-admin", req: nonAdmin(req("filter", "list")), want: "1. exclude:battery"},
		{name: "filter test", req: req("filter", "test"), want: "keep 2 and drop 1"},
		{name: "filter remove bad", req: req("filter", "remove", "9"), wantErr: true, want: "no filter"},
		{name: "sources list empty", req: req("sources"), want: "No sources yet"},
		{name: "sources add non-admin", req: nonAdmin(req("sources", "add", "https://feeds.example/rss")), wantErr: true, want: "only administrators"},
		{name: "sources add bad url", req: req("sources", "add", "javascript:alert(1)"), wantErr: true, want: "not a feed link"},
		{name: "sources add", req: req("sources", "add", "https://feeds.example/rss"), want: "Added source 1"},
		{name: "sources add again", req: req("sources", "add", "https://feeds.example/rss"), wantErr: true, want: "already a source"},
		{name: "status", req: req("status"), want: "Subscription: weekdays 07:30"},
		{name: "quotes", req: req("quotes", "voss"), want: "Elena Voss"},
		{name: "quotes empty", req: req("quotes"), wantErr: true, want: "Whose quotes"},
		{name: "story bad id", req: req("story", "abc"), wantErr: true, want: "not a story id"},
		{name: "add no fetcher", req: req("add", "https://example.com/a"), wantErr: true, want: "turned off"},
		{name: "add bad url", req: req("add", "file:///etc/passwd"), wantErr: true, want: "not a link"},
		{name: "unsubscribe", req: req("unsubscribe"), want: "Unsubscribed"},
		{name: "unsubscribe again", req: req("unsubscribe"), want: "no scheduled digests"},
		{name: "private chat is its own admin", req: nonAdmin(Request{Platform: store.Telegram, ChatID: "55", Kind: Private, Command: "subscribe"}), want: "Subscribed: daily 08:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.Handle(context.Background(), tt.req)
			if r.Error != tt.wantErr {
				t.Errorf("Error = %v, want %v (text %q)", r.Error, tt.wantErr, r.Text)
			}
			if !strings.Contains(r.Text, tt.want) {
				t.Errorf("reply %q does not contain %q", r.Text, tt.want)
			}
			if tt.digest && (r.Digest == nil || len(r.Digest.Stories) == 0) {
				t.Errorf("no digest stories: %+v", r)
			}
		})
	}
}

func TestDigestGroupsOutletsAndQuotes(t *testing.T) {
	b, clk := newTestBot(t)
	seed(t, b, clk.Now())
	r := b.Handle(context.Background(), req("digest"))
	if r.Digest == nil {
		t.Fatalf("no digest: %+v", r)
	}
	var bridge *digest.StoryItem
	for i, s := range r.Digest.Stories {
		if strings.Contains(strings.ToLower(s.Headline), "bridge") {
			if bridge != nil {
				t.Fatalf("the bridge story appears twice: %+v", r.Digest.Stories)
			}
			bridge = &r.Digest.Stories[i]
		}
	}
	if bridge == nil || len(bridge.Links) != 2 {
		t.Fatalf("bridge story with two links, got %+v", bridge)
	}
	if len(bridge.Quotes) == 0 || bridge.Quotes[0].Speaker != "Elena Voss" {
		t.Fatalf("bridge quote with speaker Elena Voss, got %+v", bridge.Quotes)
	}
	// /story shows it again by its id.
	r = b.Handle(context.Background(), req("story", bridge.ID))
	if r.Digest == nil || len(r.Digest.Stories) != 1 || r.Digest.Stories[0].ID != bridge.ID || len(r.Digest.Stories[0].Links) != 2 {
		t.Fatalf("/story %s: %+v", bridge.ID, r)
	}
	// An id no story has is said plainly.
	r = b.Handle(context.Background(), req("story", "987654321"))
	if r.Digest != nil || !strings.Contains(r.Text, "No story #987654321") {
		t.Fatalf("/story of an unknown id: %+v", r)
	}
}

// panicStore panics on every article query, as a bug would.
type panicStore struct{ Store }

func (panicStore) Articles(context.Context, store.ArticleQuery) ([]*store.Article, error) {
	panic("boom")
}

func TestHandlerPanicIsContained(t *testing.T) {
	b, _ := newTestBot(t)
	b.Store = panicStore{b.Store}
	r := b.Handle(context.Background(), req("search", "x"))
	if !r.Error || !strings.Contains(r.Text, "Something went wrong") {
		t.Fatalf("reply %+v", r)
	}
}

func TestParsePeriod(t *testing.T) {
	for in, want := range map[string]time.Duration{"6h": 6 * time.Hour, "3d": 72 * time.Hour, "90m": 90 * time.Minute, "1w": 168 * time.Hour} {
		if got, err := ParsePeriod(in); err != nil || got != want {
			t.Errorf("ParsePeriod(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "h", "-1h", "1y", "99999999d", "climate"} {
		if _, err := ParsePeriod(in); err == nil {
			t.Errorf("ParsePeriod(%q) gave no error", in)
		}
	}
}

// countingPoster records digests per chat.
type countingPoster struct {
	mu    sync.Mutex
	sent  map[string][]string // chat -> keys
	fail  map[string]error
	calls int
}

func (p *countingPoster) Platform() string { return store.Telegram }
func (p *countingPoster) PostDigest(_ context.Context, chat string, d *digest.Digest, key string) ([]string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls++
	if err := p.fail[chat]; err != nil {
		return nil, err
	}
	if p.sent == nil {
		p.sent = map[string][]string{}
	}
	p.sent[chat] = append(p.sent[chat], key)
	return []string{fmt.Sprint(p.calls)}, nil
}

func subscribe(t *testing.T, b *Bot, chat, sched, zone string, created time.Time) {
	t.Helper()
	c := &store.Channel{Platform: store.Telegram, ChatID: chat, Schedule: sched, TimeZone: zone, Created: created}
	if err := b.Store.SaveChannel(context.Background(), c); err != nil {
		t.Fatal(err)
	}
}

// A year of hourly scheduler passes over three zones with DST gives each
// chat exactly one digest a day.
func TestSchedulerYear(t *testing.T) {
	if testing.Short() {
		t.Skip("a simulated year")
	}
	b, clk := newTestBot(t)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clk.Set(start.Add(-time.Hour))
	zones := []string{"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"}
	for i, z := range zones {
		subscribe(t, b, fmt.Sprint(i+1), "daily 02:30", z, clk.Now())
	}
	p := &countingPoster{}
	s := &Scheduler{Bot: b, Posters: map[string]Poster{store.Telegram: p}, Owner: "test", Now: clk.Now}
	for clk.Now().Before(start.AddDate(1, 0, 0)) {
		clk.Add(time.Hour)
		if _, err := s.RunDue(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	for i, z := range zones {
		keys := p.sent[fmt.Sprint(i+1)]
		days := map[string]bool{}
		for _, k := range keys {
			days[k] = true
		}
		if len(keys) != 365 || len(days) != 365 {
			t.Errorf("%s: %d digests on %d distinct slots, want 365", z, len(keys), len(days))
		}
	}
}

// Two schedulers on one store (two replicas) send each slot once; a chat
// that refuses messages is paused, not retried forever.
func TestSchedulerExactlyOnceAndPause(t *testing.T) {
	b, clk := newTestBot(t)
	clk.Set(time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC))
	for i := 0; i < 50; i++ {
		subscribe(t, b, fmt.Sprint(i), "daily 08:00", "UTC", clk.Now())
	}
	p := &countingPoster{fail: map[string]error{"7": fmt.Errorf("403 blocked: %w", ErrChatUnavailable)}}
	s1 := &Scheduler{Bot: b, Posters: map[string]Poster{store.Telegram: p}, Owner: "a", Now: clk.Now}
	s2 := &Scheduler{Bot: b, Posters: map[string]Poster{store.Telegram: p}, Owner: "b", Now: clk.Now}
	clk.Set(time.Date(2026, 11, 25, 8, 0, 30, 0, time.UTC))
	var wg sync.WaitGroup
	for _, s := range []*Scheduler{s1, s2, s1, s2} {
		wg.Add(1)
		go func() { defer wg.Done(); s.RunDue(context.Background()) }()
	}
	wg.Wait()
	for i := 0; i < 50; i++ {
		n := len(p.sent[fmt.Sprint(i)])
		if i == 7 {
			n = -1
		}
		if i != 7 && n != 1 {
			t.Errorf("chat %d got %d digests, want 1", i, n)
		}
	}
	c, err := b.Store.Channel(context.Background(), store.Telegram, "7")
	if err != nil || !c.Paused || !strings.Contains(c.PauseReason, "blocked") {
		t.Fatalf("chat 7 should be paused: %+v %v", c, err)
	}
	r := b.Handle(context.Background(), Request{Platform: store.Telegram, ChatID: "7", Kind: Private, Command: "status"})
	if !strings.Contains(r.Text, "PAUSED") {
		t.Errorf("/status does not show the pause: %q", r.Text)
	}
	// After 3 hours of downtime, the missed 08:00 is not sent again; the
	// next day's slot is.
	clk.Set(time.Date(2026, 11, 26, 8, 1, 0, 0, time.UTC))
	s1.RunDue(context.Background())
	if n := len(p.sent["0"]); n != 2 {
		t.Errorf("chat 0 got %d digests after the second day, want 2", n)
	}
}
