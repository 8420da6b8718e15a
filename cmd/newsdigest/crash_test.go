package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/bot/telegram/telegramtest"
	"github.com/newsdigest/newsdigest/store"
	"github.com/newsdigest/newsdigest/store/sqlite"
)

// crashConfig sizes the crash test. CI runs single-message digests with a
// 1 s lease; NEWSDIGEST_CRASH_FULL=1 runs digests of several messages
// (each chat then waits Telegram's second between them), so that kills
// land between the parts of a digest.
type crashConfig struct {
	chats, rounds int
	articles      int    // new articles per round
	stories       string // NEWSDIGEST_DIGEST_STORIES
	lease         string // NEWSDIGEST_SCHEDULE_LEASE
}

func crashSettings(t *testing.T) crashConfig {
	c := crashConfig{chats: 1000, rounds: 20, articles: 2, stories: "8", lease: "1s"}
	if os.Getenv("NEWSDIGEST_CRASH_FULL") == "1" {
		c.articles, c.stories, c.lease = 14, "12", "4s"
	}
	if n, err := strconv.Atoi(os.Getenv("NEWSDIGEST_CRASH_ROUNDS")); err == nil && n > 0 {
		c.rounds = n
	}
	if c.rounds > 40 {
		t.Fatalf("NEWSDIGEST_CRASH_ROUNDS=%d: at most 40 (a slot a minute, all within the last hour)", c.rounds)
	}
	return c
}

// TestCrashFanOut kills newsdigest serve with SIGKILL at a random point of a
// fan-out to 1,000 Telegram chats, restarts it and lets it finish, round
// after round, each round a new slot. Every chat must get exactly the one
// digest of each slot, all of it. The one duplicate the design allows is
// a message Telegram accepted in the instant before the kill, before the
// process recorded its id; each is reported with that cause, and anything
// else (a loss, a wrong or missing part, a duplicate sent after the
// restart) fails the test.
func TestCrashFanOut(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts a process 20 times")
	}
	cfg := crashSettings(t)
	chatIDs := make([]int64, cfg.chats)
	chats := make([]telegramtest.Chat, cfg.chats)
	for i := range chatIDs {
		chatIDs[i] = int64(100001 + i)
		chats[i] = telegramtest.Chat{ID: chatIDs[i], FirstName: fmt.Sprintf("Reader %d", i)}
	}
	// Relaxed limits: the adapter's own global limit paces the fan-out.
	srv := telegramtest.New(telegramtest.Options{Chats: chats, Limits: telegramtest.Limits{
		Chat: telegramtest.Limit{Messages: 100, Per: time.Second}, Group: telegramtest.Limit{Messages: -1},
		Global: telegramtest.Limit{Messages: -1}}})
	defer srv.Close()

	dbPath := filepath.Join(t.TempDir(), "nd.db")
	st, err := sqlite.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	db, err := sql.Open("sqlite", "file:"+dbPath+"?_pragma=busy_timeout(10000)") // the driver store/sqlite uses
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	now := time.Now().UTC()
	// Slot r is due at first+r minutes, all in the past and within the grace
	// window; the channels were created before the first.
	first := now.Truncate(time.Minute).Add(-time.Duration(cfg.rounds+20) * time.Minute)
	chans := make([]*store.Channel, cfg.chats)
	for i, id := range chatIDs {
		chans[i] = &store.Channel{Platform: store.Telegram, ChatID: strconv.FormatInt(id, 10), TimeZone: "UTC",
			Created: first.Add(-time.Hour)}
		if err := st.SaveChannel(ctx, chans[i]); err != nil {
			t.Fatal(err)
		}
	}

	listen := freeAddr(t)
	env := map[string]string{
		"NEWSDIGEST_DATABASE": dbPath, "NEWSDIGEST_LISTEN": listen,
		"TELEGRAM_BOT_TOKEN": srv.Token(), "NEWSDIGEST_TELEGRAM_API": srv.URL(),
		"NEWSDIGEST_TELEGRAM_RATE": "1000", "NEWSDIGEST_SCHEDULE_TICK": "50ms",
		"NEWSDIGEST_SCHEDULE_LEASE": cfg.lease, "NEWSDIGEST_DIGEST_STORIES": cfg.stories,
		"NEWSDIGEST_LOG_LEVEL": "warn",
	}
	start := func(name string) *proc {
		p := startProc(t, name, env, "serve", "--no-poll")
		p.waitHealthy(listen, 20*time.Second)
		return p
	}
	rng := rand.New(rand.NewPCG(uint64(now.UnixNano()), 7))
	var report crashReport
	began := time.Now()
	p := start("serve 0")
	for r := 0; r < cfg.rounds; r++ {
		slot := first.Add(time.Duration(r) * time.Minute)
		local := slot.Format("2006-01-02T15:04")
		putRoundArticles(t, st, r, slot, cfg.articles)
		before := len(srv.AllMessages())
		calls := srv.Calls("sendMessage")
		// One statement for all chats: a thousand SaveChannel calls would
		// hold the database's write lock on and off during the fan-out,
		// stall serve's writes and stretch the gap this test measures.
		if _, err := db.ExecContext(ctx, `UPDATE channels SET schedule = ?`, "daily "+slot.Format("15:04")); err != nil {
			t.Fatal(err)
		}
		// Kill after k messages of this round arrived.
		k := 1 + rng.IntN(cfg.chats-1)
		if !srv.WaitFor(30*time.Second, func() bool { return srv.Calls("sendMessage")-calls >= k }) {
			t.Fatalf("round %d: %d of %d messages before the kill point in 30 s", r, srv.Calls("sendMessage")-calls, k)
		}
		killedAt := time.Now()
		p.Kill()
		// Requests the killed process had on the wire may still be taken
		// by the fake: wait until it takes no more, so that whatever
		// arrives from now on comes from the new process.
		drain(srv)
		restartAt := time.Now()
		p = start(fmt.Sprintf("serve %d", r+1))
		// Every chat's digest takes at least a message: wait for that many
		// (cheap) before asking the store.
		srv.WaitFor(60*time.Second, func() bool { return srv.Calls("sendMessage")-calls >= cfg.chats })
		if missing := waitSlots(t, st, chans, local, 60*time.Second); len(missing) > 0 {
			t.Errorf("round %d: %d chats have no digest for slot %s 60 s after the restart (loss), e.g. %v",
				r, len(missing), local, missing[:min(5, len(missing))])
		}
		report.round(t, r, k, checkRound(t, st, chans, local, srv.AllMessages()[before:], killedAt, restartAt))
	}
	if err := p.Stop(20 * time.Second); err != nil {
		t.Errorf("the last serve did not stop cleanly: %v", err)
	}
	report.summary(t, cfg, time.Since(began))
}

// putRoundArticles stores n articles published in the minute before slot,
// each about something else (made-up words), so that each is a story of
// its own.
func putRoundArticles(t *testing.T, st store.Store, round int, slot time.Time, n int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(round), 11))
	syllables := []string{"ka", "lo", "mir", "ve", "dra", "sun", "tel", "ob", "ri", "gan", "pu", "ze", "hol", "an", "fi", "ost"}
	word := func() string {
		var w strings.Builder
		for range 2 + rng.IntN(3) {
			w.WriteString(syllables[rng.IntN(len(syllables))])
		}
		return w.String()
	}
	for i := range n {
		// Every word of an article ends in its own tag: no two articles
		// share a word, so each stays a story of its own in any process.
		id := round*50 + i
		tag := string(rune('a'+id/26%26)) + string(rune('a'+id%26))
		word := func() string { return word() + tag }
		sentence := func() string {
			ws := make([]string, 12+rng.IntN(8))
			for i := range ws {
				ws[i] = word()
			}
			s := strings.Join(ws, " ")
			return strings.ToUpper(s[:1]) + s[1:] + "."
		}
		var body strings.Builder
		for p := range 6 {
			body.WriteString(sentence() + " " + sentence() + "\n\n")
			if p == 2 {
				fmt.Fprintf(&body, "\"%s\" Mayor %s said.\n\n", strings.TrimSuffix(sentence(), "."), strings.ToUpper(word()[:1])+word())
			}
		}
		a := &store.Article{URL: fmt.Sprintf("https://news%d.example/r%d/a%d", i%3, round, i), Outlet: fmt.Sprintf("Outlet %d", i%3),
			Title: strings.TrimSuffix(sentence(), "."), Body: body.String(), Published: slot.Add(-30 * time.Second), Language: "en"}
		if _, err := st.PutArticle(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
}

// drain waits until the fake has taken no message for 200 ms.
func drain(srv *telegramtest.Server) {
	n, since := len(srv.AllMessages()), time.Now()
	for time.Since(since) < 200*time.Millisecond {
		time.Sleep(20 * time.Millisecond)
		if m := len(srv.AllMessages()); m != n {
			n, since = m, time.Now()
		}
	}
}

// waitSlots waits until every channel's last done slot is local, and
// returns the chats still without it.
func waitSlots(t *testing.T, st store.Store, chans []*store.Channel, local string, timeout time.Duration) []string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var missing []string
		for _, c := range chans {
			sl, err := st.LastSlot(context.Background(), c.ID)
			if err != nil || sl.Local != local || sl.Skipped {
				missing = append(missing, c.ChatID)
			}
		}
		if len(missing) == 0 || time.Now().After(deadline) {
			return missing
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// duplicate is a message that reached a chat twice.
type duplicate struct {
	chat        int64
	part        int           // 0: the digest's first message, its header
	beforeKill  time.Duration // how long before the SIGKILL Telegram accepted the first copy
	resentAfter time.Duration // how long after the SIGKILL the copy came
}

// roundResult is what one round's messages show.
type roundResult struct {
	parts      int // messages in a digest this round
	resumed    int // digests the killed process began and the new one finished
	messages   int
	duplicates []duplicate
	failures   []string
}

// checkRound compares each chat's messages of the round with its slot's
// recorded ones. All chats get the same digest, so the most common
// recorded text is the reference every chat must have received exactly.
func checkRound(t *testing.T, st store.Store, chans []*store.Channel, local string, msgs []telegramtest.SentMessage, killedAt, restartAt time.Time) roundResult {
	t.Helper()
	res := roundResult{messages: len(msgs)}
	byChat := map[int64][]telegramtest.SentMessage{}
	for _, m := range msgs {
		byChat[m.ChatID] = append(byChat[m.ChatID], m)
	}
	official := map[int64][]telegramtest.SentMessage{}
	refCount := map[string]int{}
	for _, c := range chans {
		id, _ := strconv.ParseInt(c.ChatID, 10, 64)
		sl, err := st.LastSlot(context.Background(), c.ID)
		if err != nil || sl.Local != local {
			continue // reported by waitSlots
		}
		var texts []string
		for _, mid := range sl.MessageIDs {
			i := slices.IndexFunc(byChat[id], func(m telegramtest.SentMessage) bool { return strconv.Itoa(m.MessageID) == mid })
			if i < 0 {
				res.failures = append(res.failures, fmt.Sprintf("chat %d: recorded message %s never reached the chat", id, mid))
				continue
			}
			official[id] = append(official[id], byChat[id][i])
			texts = append(texts, byChat[id][i].Source)
		}
		refCount[strings.Join(texts, "\x00")]++
	}
	var ref string
	for k, n := range refCount {
		if n > refCount[ref] {
			ref = k
		}
	}
	parts := strings.Split(ref, "\x00")
	res.parts = len(parts)
	if !strings.Contains(parts[0], "Your news digest") {
		res.failures = append(res.failures, fmt.Sprintf("the digest's first message is not its header: %.80q", parts[0]))
	}
	for _, c := range chans {
		id, _ := strconv.ParseInt(c.ChatID, 10, 64)
		var got []string
		for _, m := range official[id] {
			got = append(got, m.Source)
		}
		if o := official[id]; len(o) > 1 && o[0].Sent.Before(killedAt) && !o[len(o)-1].Sent.Before(restartAt) {
			res.resumed++
		}
		if len(official[id]) > 0 && !slices.Equal(got, parts) {
			res.failures = append(res.failures, fmt.Sprintf("chat %d: recorded digest of %d messages differs from the other chats' %d (a part lost or wrong):\n%s\nwant\n%s",
				id, len(got), len(parts), strings.Join(got, "\n---\n"), strings.Join(parts, "\n---\n")))
		}
		for _, m := range byChat[id] {
			if slices.ContainsFunc(official[id], func(o telegramtest.SentMessage) bool { return o.MessageID == m.MessageID }) {
				continue
			}
			part := slices.Index(parts, m.Source)
			if part < 0 {
				res.failures = append(res.failures, fmt.Sprintf("chat %d: unexpected message %.60q", id, m.Text))
				continue
			}
			// The extra copy must be the killed process's: accepted by
			// Telegram, its id not recorded, so the next owner sent it
			// again. One the new process sent is a bug.
			copyAt := official[id][min(part, len(official[id])-1)].Sent
			if !m.Sent.Before(restartAt) {
				res.failures = append(res.failures, fmt.Sprintf("chat %d: part %d sent twice by the restarted process (at %s and %s): a duplicate the gap does not explain",
					id, part, m.Sent.Format("15:04:05.000"), copyAt.Format("15:04:05.000")))
				continue
			}
			res.duplicates = append(res.duplicates, duplicate{chat: id, part: part, beforeKill: killedAt.Sub(m.Sent), resentAfter: copyAt.Sub(killedAt)})
		}
	}
	return res
}

type crashReport struct {
	kills, messages, resumed, partDups, headerDups, failures int
	gaps                                                     []time.Duration
	parts                                                    map[int]int
}

func (c *crashReport) round(t *testing.T, r, k int, res roundResult) {
	t.Helper()
	if c.parts == nil {
		c.parts = map[int]int{}
	}
	c.kills++
	c.messages += res.messages
	c.resumed += res.resumed
	c.parts[res.parts]++
	for _, f := range res.failures {
		t.Errorf("round %d: %s", r, f)
	}
	c.failures += len(res.failures)
	for _, d := range res.duplicates {
		c.partDups++
		if d.part == 0 {
			c.headerDups++
		}
		c.gaps = append(c.gaps, d.beforeKill)
		when := fmt.Sprintf("%v before the SIGKILL", d.beforeKill.Round(time.Microsecond))
		if d.beforeKill < 0 {
			when = "as the SIGKILL was being delivered"
		}
		t.Logf("round %d: DUPLICATE in chat %d, message %d of the digest: Telegram accepted it %s, before the process recorded its id; the process that took the slot over sent it again %v after the kill",
			r, d.chat, d.part+1, when, d.resentAfter.Round(time.Millisecond))
	}
	t.Logf("round %d: killed after %d messages; %d messages this round, digests of %d message(s), %d resumed by the new process, %d duplicate(s), %d failure(s)",
		r, k, res.messages, res.parts, res.resumed, len(res.duplicates), len(res.failures))
}

func (c *crashReport) summary(t *testing.T, cfg crashConfig, took time.Duration) {
	sort.Slice(c.gaps, func(i, j int) bool { return c.gaps[i] < c.gaps[j] })
	var worst time.Duration
	if len(c.gaps) > 0 {
		worst = c.gaps[len(c.gaps)-1]
	}
	t.Logf("crash test: %d chats, %d rounds, %d SIGKILLs, %d messages in %v; digest sizes %v (messages: rounds); %d digests half sent at a kill and finished by the new process; "+
		"%d duplicated messages (%d of them a digest's header), all accepted by Telegram at most %v before a SIGKILL and not yet recorded; %d losses or other failures",
		cfg.chats, cfg.rounds, c.kills, c.messages, took.Round(time.Millisecond), c.parts, c.resumed, c.partDups, c.headerDups, worst, c.failures)
}
