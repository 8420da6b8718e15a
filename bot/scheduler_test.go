package bot

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/digest"
	"github.com/newsdigest/newsdigest/store"
)

// partsPoster is a ResumingPoster whose digests are three messages. It
// records every message per chat, and can make a chat slow, failing, or
// "crash" the delivery after some messages.
type partsPoster struct {
	mu       sync.Mutex
	nextID   int
	msgs     map[string][]postedPart // by chat
	digests  map[string][]*digest.Digest
	fail     map[string]error
	block    map[string]chan struct{} // PostDigest waits on it
	crashAt  map[string]int           // after this many messages of one call, the goroutine exits
	resumed  map[string][]string      // sent ids handed to ResumeDigest
	changed  chan struct{}
	noResume bool
}

type postedPart struct {
	id   string
	part int
	key  string
}

const partsPerDigest = 3

func newPartsPoster() *partsPoster {
	return &partsPoster{msgs: map[string][]postedPart{}, digests: map[string][]*digest.Digest{}, fail: map[string]error{},
		block: map[string]chan struct{}{}, crashAt: map[string]int{}, resumed: map[string][]string{}, changed: make(chan struct{})}
}

func (p *partsPoster) Platform() string { return store.Telegram }

func (p *partsPoster) PostDigest(ctx context.Context, chat string, d *digest.Digest, key string) ([]string, error) {
	return p.ResumeDigest(ctx, chat, d, key, nil, nil)
}

func (p *partsPoster) ResumeDigest(ctx context.Context, chat string, d *digest.Digest, key string, sent []string, progress func([]string)) ([]string, error) {
	p.mu.Lock()
	block, err := p.block[chat], p.fail[chat]
	if len(sent) > 0 {
		p.resumed[chat] = slices.Clone(sent)
	}
	p.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-ctx.Done():
			return sent, ctx.Err()
		}
	}
	if err != nil {
		return sent, err
	}
	ids := slices.Clone(sent)
	for part := len(sent); part < partsPerDigest; part++ {
		p.mu.Lock()
		p.nextID++
		id := fmt.Sprint(p.nextID)
		p.msgs[chat] = append(p.msgs[chat], postedPart{id: id, part: part, key: key})
		if part == 0 {
			p.digests[chat] = append(p.digests[chat], d)
		}
		crash := p.crashAt[chat]
		close(p.changed)
		p.changed = make(chan struct{})
		p.mu.Unlock()
		ids = append(ids, id)
		if crash > 0 && len(ids)-len(sent) == crash {
			delete(p.crashAt, chat)
			runtime.Goexit() // the process dies: nothing after this runs
		}
		if progress != nil && part < partsPerDigest-1 {
			progress(slices.Clone(ids))
		}
	}
	return ids, nil
}

func (p *partsPoster) parts(chat string) []postedPart {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.msgs[chat])
}

// waitFor waits until cond holds, re-checking after every message.
func (p *partsPoster) waitFor(t *testing.T, timeout time.Duration, cond func() bool) bool {
	t.Helper()
	deadline := time.After(timeout)
	for {
		p.mu.Lock()
		ch := p.changed
		p.mu.Unlock()
		if cond() {
			return true
		}
		select {
		case <-ch:
		case <-deadline:
			return cond()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func newScheduler(b *Bot, p Poster, owner string, now func() time.Time) *Scheduler {
	return &Scheduler{Bot: b, Posters: map[string]Poster{store.Telegram: p}, Owner: owner, Now: now}
}

// A slot in the quiet hours is not sent; the first digest after them
// covers what came in meanwhile.
func TestSchedulerQuietHoursFold(t *testing.T) {
	b, clk := newTestBot(t)
	berlin := mustLoc(t, "Europe/Berlin")
	clk.Set(time.Date(2026, 11, 25, 17, 0, 0, 0, berlin))
	subscribe(t, b, "1", "every 2h quiet 22:00-07:00", "Europe/Berlin", clk.Now())
	p := newPartsPoster()
	s := newScheduler(b, p, "a", clk.Now)
	var sentAt []string
	for end := time.Date(2026, 11, 26, 10, 30, 0, 0, berlin); clk.Now().Before(end); clk.Add(10 * time.Minute) {
		before := len(p.digests["1"])
		if _, err := s.RunDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(p.digests["1"]) > before {
			sentAt = append(sentAt, clk.Now().In(berlin).Format("02 15:04"))
		}
	}
	want := []string{"25 18:00", "25 20:00", "26 08:00", "26 10:00"}
	if !slices.Equal(sentAt, want) {
		t.Fatalf("digests at %v, want %v", sentAt, want)
	}
	ds := p.digests["1"]
	morning := ds[2]
	if !morning.Since.Equal(time.Date(2026, 11, 25, 20, 0, 0, 0, berlin)) || !morning.At.Equal(time.Date(2026, 11, 26, 8, 0, 0, 0, berlin)) {
		t.Errorf("the 08:00 digest covers %s to %s, want the night since 20:00", morning.Since, morning.At)
	}
}

// analysesCounter counts the analyses stored per article.
type analysesCounter struct {
	Store
	mu  sync.Mutex
	put map[int64]int
}

func (c *analysesCounter) PutAnalyses(ctx context.Context, as []*store.Analysis) error {
	c.mu.Lock()
	for _, a := range as {
		c.put[a.ArticleID]++
	}
	c.mu.Unlock()
	return c.Store.PutAnalyses(ctx, as)
}

// Each story's summary is computed once per fan-out, not once per channel.
func TestSchedulerSummariesOnce(t *testing.T) {
	b, clk := newTestBot(t)
	clk.Set(time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC))
	seed(t, b, time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC))
	counter := &analysesCounter{Store: b.Store, put: map[int64]int{}}
	b.Store, b.Pipeline.Store = counter, counter
	const chats = 200
	for i := range chats {
		subscribe(t, b, fmt.Sprint(i), "daily 08:00", "UTC", clk.Now())
	}
	p := newPartsPoster()
	s := newScheduler(b, p, "a", clk.Now)
	clk.Set(time.Date(2026, 11, 25, 8, 0, 10, 0, time.UTC))
	stats, err := s.RunDue(context.Background())
	if err != nil || stats.Sent != chats {
		t.Fatalf("RunDue = %+v, %v; want %d sent", stats, err, chats)
	}
	if len(counter.put) != 3 {
		t.Errorf("analyses stored for %d articles, want the 3 seeded", len(counter.put))
	}
	for id, n := range counter.put {
		if n != 1 {
			t.Errorf("article %d analysed %d times for %d channels, want once", id, n, chats)
		}
	}
	if d := p.digests["0"]; len(d) != 1 || len(d[0].Stories) == 0 {
		t.Errorf("chat 0 got %d digests, the first with stories: %v", len(d), d)
	}
}

// One slow channel and one failing channel hold up no other: the others
// get this slot's digest, and the next slot's, while the slow one still
// hangs.
func TestSchedulerSlowChannelDelaysNoOther(t *testing.T) {
	b, clk := newTestBot(t)
	clk.Set(time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC))
	const chats = 40
	for i := range chats {
		subscribe(t, b, fmt.Sprint(i), "daily 08:00,09:00", "UTC", clk.Now())
	}
	p := newPartsPoster()
	hang := make(chan struct{})
	p.block["slow"] = hang
	subscribe(t, b, "slow", "daily 08:00,09:00", "UTC", clk.Now())
	p.fail["bad"] = errors.New("telegram: 502 Bad Gateway")
	subscribe(t, b, "bad", "daily 08:00,09:00", "UTC", clk.Now())
	s := newScheduler(b, p, "a", clk.Now)
	s.Tick, s.Workers, s.Drain = 5*time.Millisecond, 4, time.Second
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	defer func() { close(hang); cancel(); <-done }()

	all := func(n int) func() bool {
		return func() bool {
			for i := range chats {
				if len(p.parts(fmt.Sprint(i))) != n*partsPerDigest {
					return false
				}
			}
			return true
		}
	}
	clk.Set(time.Date(2026, 11, 25, 8, 0, 1, 0, time.UTC))
	if !p.waitFor(t, 10*time.Second, all(1)) {
		t.Fatal("the 08:00 digests did not all arrive while one chat hangs and one fails")
	}
	clk.Set(time.Date(2026, 11, 25, 9, 0, 1, 0, time.UTC))
	if !p.waitFor(t, 10*time.Second, all(2)) {
		t.Fatal("the 09:00 digests did not all arrive while the 08:00 one of a chat still hangs")
	}
	if n := len(p.parts("slow")); n != 0 {
		t.Errorf("the hanging chat got %d messages", n)
	}
}

// A delivery that dies after the first message of a digest is taken over
// once its claim lapses, and the new owner sends only the rest.
func TestSchedulerResumesHalfSentDigest(t *testing.T) {
	b, clk := newTestBot(t)
	clk.Set(time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC))
	subscribe(t, b, "1", "daily 08:00", "UTC", clk.Now())
	subscribe(t, b, "2", "daily 08:00", "UTC", clk.Now())
	p := newPartsPoster()
	p.crashAt["1"] = 1 // dies after part 0: recorded? no: progress comes after the crash point
	p.crashAt["2"] = 2 // dies after part 1, part 0 recorded
	a := newScheduler(b, p, "a", clk.Now)
	clk.Set(time.Date(2026, 11, 25, 8, 0, 5, 0, time.UTC))
	if _, err := a.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Still claimed by the dead owner: no one sends.
	bsched := newScheduler(b, p, "b", clk.Now)
	clk.Add(time.Minute)
	bsched.RunDue(context.Background())
	if n := len(p.parts("2")); n != 2 {
		t.Fatalf("chat 2 got %d messages while the dead owner's claim holds, want 2", n)
	}
	clk.Add(2 * time.Minute) // the lease lapses
	if _, err := bsched.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Chat 1: the one message went out and was not recorded: the unavoidable
	// gap, so part 0 comes twice. Chat 2: part 0 was recorded, part 1 was not.
	wantParts := map[string][]int{"1": {0, 0, 1, 2}, "2": {0, 1, 1, 2}}
	wantResumed := map[string]int{"1": 0, "2": 1}
	for chat, want := range wantParts {
		var got []int
		for _, m := range p.parts(chat) {
			got = append(got, m.part)
		}
		if !slices.Equal(got, want) {
			t.Errorf("chat %s got parts %v, want %v", chat, got, want)
		}
		if n := len(p.resumed[chat]); n != wantResumed[chat] {
			t.Errorf("chat %s resumed after %d recorded messages, want %d", chat, n, wantResumed[chat])
		}
		c, err := b.Store.Channel(context.Background(), store.Telegram, chat)
		if err != nil {
			t.Fatal(err)
		}
		last, err := b.Store.LastSlot(context.Background(), c.ID)
		if err != nil || len(last.MessageIDs) != partsPerDigest || last.Attempts != 2 {
			t.Errorf("chat %s slot = %+v, %v; want done with %d messages after 2 attempts", chat, last, err, partsPerDigest)
		}
	}
}

// A delivery that runs out of lease time while waiting on the platform
// stops, and the next pass finishes it at once, without a retry pause.
func TestSchedulerLeaseRunsOut(t *testing.T) {
	b, clk := newTestBot(t)
	clk.Set(time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC))
	subscribe(t, b, "1", "daily 08:00", "UTC", clk.Now())
	p := newPartsPoster()
	hang := make(chan struct{})
	p.block["1"] = hang
	s := newScheduler(b, p, "a", clk.Now)
	s.Lease = 200 * time.Millisecond
	clk.Set(time.Date(2026, 11, 25, 8, 0, 5, 0, time.UTC))
	stats, _ := s.RunDue(context.Background())
	if stats.Failed != 1 {
		t.Fatalf("stats %+v, want the delivery stopped", stats)
	}
	close(hang)
	clk.Add(time.Second) // the lease of the first attempt has lapsed
	stats, _ = s.RunDue(context.Background())
	if stats.Sent != 1 || len(p.parts("1")) != partsPerDigest {
		t.Fatalf("stats %+v, %d messages; want the digest sent by the next pass", stats, len(p.parts("1")))
	}
}

// /schedule shows quiet hours; /subscribe refuses bad ones clearly.
func TestQuietHoursCommands(t *testing.T) {
	b, _ := newTestBot(t)
	tests := []struct {
		args    []string
		wantErr bool
		want    string
	}{
		{[]string{"every", "2h", "quiet", "22:00-07:00", "Europe/Berlin"}, false, "Quiet hours: 22:00 to 07:00"},
		{[]string{"every", "2h", "quiet", "late"}, true, `bad quiet hours "late": use quiet HH:MM-HH:MM`},
		{[]string{"daily", "23:00", "quiet", "22:00-07:00"}, true, "falls in the quiet hours"},
	}
	for _, tt := range tests {
		r := b.Handle(context.Background(), req("subscribe", tt.args...))
		if r.Error != tt.wantErr || !strings.Contains(r.Text, tt.want) {
			t.Errorf("/subscribe %v = %q (error %v), want %q", tt.args, r.Text, r.Error, tt.want)
		}
	}
	r := b.Handle(context.Background(), req("schedule"))
	if !strings.Contains(r.Text, "every 2h quiet 22:00-07:00") || !strings.Contains(r.Text, "Quiet hours: 22:00 to 07:00") {
		t.Errorf("/schedule = %q, want the schedule and its quiet hours", r.Text)
	}
	if h := helpText("subscribe"); !strings.Contains(h, "quiet 22:00-07:00") {
		t.Errorf("/help subscribe does not explain quiet hours: %q", h)
	}
}
