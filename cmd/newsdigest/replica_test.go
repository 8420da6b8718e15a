package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/bot/telegram/telegramtest"
	"github.com/newsdigest/newsdigest/store"
)

// The replica tests run several `newsdigest serve` processes (the test
// binary as the command, see proc_test.go) on one PostgreSQL database, in
// a schema of the test's own, against the fake Telegram server in this
// process. Each replica reaches the fake through a gate of its own, which
// tells which replica polls for updates and sends which message, and can
// cut a replica's sends off.

// tgGate is one replica's way to the fake Telegram server: a proxy that
// counts getUpdates and sendMessage requests and can freeze sends.
type tgGate struct {
	srv   *httptest.Server
	proxy *httputil.ReverseProxy
	polls atomic.Int64 // getUpdates requests
	sends atomic.Int64 // sendMessage requests passed on

	mu       sync.Mutex
	frozen   bool
	chats    map[int64]int  // sends passed on, by chat
	inflight sync.WaitGroup // sends passed on and not yet answered
	release  chan struct{}  // closed at the end: frozen sends fail
}

func newGate(t *testing.T, target string) *tgGate {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	g := &tgGate{proxy: httputil.NewSingleHostReverseProxy(u), chats: map[int64]int{}, release: make(chan struct{})}
	g.proxy.ErrorLog = log.New(io.Discard, "", 0) // a killed replica's requests end mid-way
	g.srv = httptest.NewServer(g)
	t.Cleanup(func() {
		close(g.release)
		g.srv.Close()
	})
	return g
}

func (g *tgGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch strings.ToLower(path.Base(r.URL.Path)) {
	case "getupdates":
		g.polls.Add(1)
	case "sendmessage":
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "unreadable request", http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		g.mu.Lock()
		if g.frozen {
			g.mu.Unlock()
			select { // never reaches Telegram
			case <-r.Context().Done():
			case <-g.release:
			}
			http.Error(w, "gate closed", http.StatusServiceUnavailable)
			return
		}
		if v, err := url.ParseQuery(string(body)); err == nil {
			if id, err := strconv.ParseInt(v.Get("chat_id"), 10, 64); err == nil {
				g.chats[id]++
			}
		}
		g.sends.Add(1)
		g.inflight.Add(1)
		g.mu.Unlock()
		defer g.inflight.Done()
	}
	g.proxy.ServeHTTP(w, r)
}

// freeze stops passing sends on: from now on they wait, and never reach
// Telegram. It returns once every send passed on before has its answer,
// with the chats the replica sent to.
func (g *tgGate) freeze() map[int64]bool {
	g.mu.Lock()
	g.frozen = true
	chats := make(map[int64]bool, len(g.chats))
	for c := range g.chats {
		chats[c] = true
	}
	g.mu.Unlock()
	g.inflight.Wait()
	return chats
}

// replica is one serve process.
type replica struct {
	*proc
	gate   *tgGate // nil without Telegram
	listen string
}

// startReplica runs `newsdigest serve args...` on the database dsn, with
// Telegram through a gate of its own to fake when fake is not nil.
func startReplica(t *testing.T, name, dsn string, fake *telegramtest.Server, env map[string]string, args ...string) *replica {
	t.Helper()
	r := &replica{listen: freeAddr(t)}
	e := map[string]string{
		"NEWSDIGEST_DATABASE":  dsn,
		"NEWSDIGEST_LISTEN":    r.listen,
		"NEWSDIGEST_LOG_LEVEL": "info",
	}
	if fake != nil {
		r.gate = newGate(t, fake.URL())
		e["TELEGRAM_BOT_TOKEN"] = fake.Token()
		e["NEWSDIGEST_TELEGRAM_API"] = r.gate.srv.URL
		e["NEWSDIGEST_TELEGRAM_RATE"] = "1000"
	}
	for k, v := range env {
		e[k] = v
	}
	r.proc = startProc(t, name, e, append([]string{"serve"}, args...)...)
	return r
}

func startReplicas(t *testing.T, n int, dsn string, fake *telegramtest.Server, env map[string]string, args ...string) []*replica {
	t.Helper()
	rs := make([]*replica, n)
	for i := range rs {
		rs[i] = startReplica(t, fmt.Sprintf("replica %d", i), dsn, fake, env, args...)
	}
	for _, r := range rs {
		r.waitHealthy(r.listen, 30*time.Second)
	}
	return rs
}

// waitUntil polls cond every 20 ms until it holds or timeout passes, and
// reports whether it held.
func waitUntil(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// withParam adds a parameter to a postgres:// URL.
func withParam(t testing.TB, dsn, key, value string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// subscribeChats makes n Telegram private chats, known to fake and
// subscribed in st, whose daily digest fell due at the start of this
// minute (their subscriptions are an hour old, so the slot counts), and
// stores a few fresh articles to make digests of. It returns the chat id
// of each channel id.
func subscribeChats(t *testing.T, st store.Store, fake *telegramtest.Server, n int) map[int64]int64 {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	due := now.Truncate(time.Minute)
	chats := map[int64]int64{}
	var cs []*store.Channel
	for i := 1; i <= n; i++ {
		chat := int64(700000 + i)
		fake.AddChat(telegramtest.Chat{ID: chat, Type: telegramtest.Private, FirstName: fmt.Sprintf("Reader %d", i)})
		cs = append(cs, &store.Channel{ID: int64(i), Platform: store.Telegram, ChatID: strconv.FormatInt(chat, 10),
			TimeZone: "UTC", Schedule: due.Format("daily 15:04"), Created: now.Add(-time.Hour)})
		chats[int64(i)] = chat
	}
	// LoadChannels keeps the creation time an hour back; SaveChannel would
	// make it now, after the slot.
	if err := st.LoadChannels(ctx, cs); err != nil {
		t.Fatal(err)
	}
	var as []*store.Article
	for i, topic := range []string{"harbour", "election", "storm", "rail strike", "museum"} {
		as = append(as, &store.Article{
			URL: fmt.Sprintf("https://news.example.com/%d", i), Title: "News about the " + topic,
			Outlet: "Example News", Published: now.Add(-30 * time.Minute), Language: "en",
			Body: fmt.Sprintf("The %s story developed on Monday. Officials said more would follow.\n\n"+
				"\"We are watching the %s closely,\" the mayor said.", topic, topic),
		})
	}
	if _, err := st.PutArticles(ctx, as); err != nil {
		t.Fatal(err)
	}
	return chats
}

// allSlots reads every slot, by channel id.
func allSlots(t *testing.T, st store.Store) map[int64][]*store.Slot {
	t.Helper()
	out := map[int64][]*store.Slot{}
	for after := int64(0); ; {
		ss, err := st.DumpSlots(context.Background(), after, store.MaxDumpPage)
		if err != nil {
			t.Logf("read slots: %v", err)
			return nil
		}
		if len(ss) == 0 {
			return out
		}
		for _, s := range ss {
			out[s.ChannelID] = append(out[s.ChannelID], s)
		}
		after = ss[len(ss)-1].ID
	}
}

func doneSlots(slots map[int64][]*store.Slot) int {
	n := 0
	for _, ss := range slots {
		for _, s := range ss {
			if s.Done {
				n++
			}
		}
	}
	return n
}

// messageIDs are the ids of a chat's messages on the fake, as the bot
// records them.
func messageIDs(fake *telegramtest.Server, chat int64) []string {
	var ids []string
	for _, m := range fake.Messages(chat) {
		ids = append(ids, strconv.Itoa(m.MessageID))
	}
	return ids
}

// recorded reports whether every message Telegram accepted in the chat is
// recorded in its slot: whoever takes the slot over will not send it again.
func recorded(fake *telegramtest.Server, slots []*store.Slot, chat int64) bool {
	sent := messageIDs(fake, chat)
	if len(sent) == 0 {
		return true
	}
	for _, s := range slots {
		if s.Done || len(s.MessageIDs) >= len(sent) && slices.Equal(s.MessageIDs[:len(sent)], sent) {
			return true
		}
	}
	return false
}

// liveClaims counts the slots not done whose claim is live at now, by the
// process id of their owner ("host/pid").
func liveClaims(slots map[int64][]*store.Slot, now time.Time) map[int]int {
	out := map[int]int{}
	for _, ss := range slots {
		for _, s := range ss {
			if s.Done || s.Owner == "" || !s.LeaseUntil.After(now) {
				continue
			}
			if pid, err := strconv.Atoi(s.Owner[strings.LastIndexByte(s.Owner, '/')+1:]); err == nil {
				out[pid]++
			}
		}
	}
	return out
}

// sendsTo says how many sends to chat each replica's gate passed on.
func sendsTo(rs []*replica, chat int64) []int {
	var out []int
	for _, r := range rs {
		r.gate.mu.Lock()
		out = append(out, r.gate.chats[chat])
		r.gate.mu.Unlock()
	}
	return out
}

// checkExactlyOnce fails unless every channel has one slot, done and not
// skipped, and its chat received exactly the messages recorded in it: one
// digest, none sent twice. It returns the slots' owners and how many slots
// were taken over from an earlier owner (attempts > 1).
func checkExactlyOnce(t *testing.T, fake *telegramtest.Server, rs []*replica, slots map[int64][]*store.Slot, chats map[int64]int64) (owners map[string]int, takenOver int) {
	t.Helper()
	owners = map[string]int{}
	bad := 0
	for ch, chat := range chats {
		ss := slots[ch]
		got := messageIDs(fake, chat)
		if len(ss) != 1 || !ss[0].Done || ss[0].Skipped || len(got) == 0 || !slices.Equal(got, ss[0].MessageIDs) {
			if bad++; bad <= 10 {
				t.Errorf("chat %d: messages %v; slots %v; sends by replica %v; want one slot, done, recording exactly the messages sent",
					chat, got, describeSlots(ss), sendsTo(rs, chat))
			}
			continue
		}
		owners[ss[0].Owner]++
		if ss[0].Attempts > 1 {
			takenOver++
		}
	}
	if bad > 10 {
		t.Errorf("... %d chats in all without exactly one digest", bad)
	}
	if extra := len(fake.AllMessages()) - func() int {
		n := 0
		for _, chat := range chats {
			n += len(fake.Messages(chat))
		}
		return n
	}(); extra != 0 {
		t.Errorf("%d messages to chats that are not subscribed", extra)
	}
	return owners, takenOver
}

// Three replicas, 1,000 chats due at once, one replica killed with SIGKILL
// in the middle of the fan-out: every chat gets its digest exactly once.
//
// The victim is the replica with the most claims at the time; the kill
// comes while it holds claims and has sends in flight, which never reach
// Telegram (its gate holds them), and after every message Telegram did
// accept from it is recorded in the store. That instant
// between Telegram's acceptance and the record is the one gap Telegram's
// non-idempotent sendMessage leaves (README: delivery guarantees); the
// test reports how many sends were in it when the fan-out was cut, and
// checks everything else: the dead replica's claims lapse and are taken
// over, nothing is sent twice, nothing is lost.
func TestReplicasDeliverExactlyOnce(t *testing.T) {
	dsn, _ := pgSchema(t)
	dsn = withParam(t, dsn, "pool_max_conns", "16")
	st := openPostgres(t, dsn)
	fake := telegramtest.New(telegramtest.Options{Limits: telegramtest.NoLimits})
	t.Cleanup(fake.Close)
	const n = 1000
	chats := subscribeChats(t, st, fake, n)

	start := time.Now()
	rs := startReplicas(t, 3, dsn, fake, map[string]string{
		"NEWSDIGEST_SCHEDULE_TICK":  "50ms",
		"NEWSDIGEST_SCHEDULE_LEASE": "5s",
	}, "--no-poll")
	healthy := time.Now()
	if !waitUntil(20*time.Second, func() bool { return len(fake.AllMessages()) >= n/10 }) {
		t.Fatalf("%d digests sent in 20s", len(fake.AllMessages()))
	}
	// The victim is the replica holding the most claims now: it dies with
	// work in its hands.
	claims := liveClaims(allSlots(t, st), time.Now())
	victim := rs[0]
	for _, r := range rs[1:] {
		if claims[r.cmd.Process.Pid] > claims[victim.cmd.Process.Pid] {
			victim = r
		}
	}
	if claims[victim.cmd.Process.Pid] == 0 {
		t.Fatalf("no replica holds a claim with %d of %d digests sent", len(fake.AllMessages()), n)
	}
	cut := time.Now()
	sentBefore := len(fake.AllMessages())
	victimChats := victim.gate.freeze()
	slots := allSlots(t, st)
	unrecorded := 0
	for ch, chat := range chats {
		if victimChats[chat] && !recorded(fake, slots[ch], chat) {
			unrecorded++
		}
	}
	// Its deliveries go on claiming slots, and their sends wait at the
	// gate: let it gather some claims to die with.
	pid := victim.cmd.Process.Pid
	waitUntil(2*time.Second, func() bool { return liveClaims(allSlots(t, st), time.Now())[pid] >= 20 })
	if !waitUntil(10*time.Second, func() bool {
		slots := allSlots(t, st)
		for ch, chat := range chats {
			if victimChats[chat] && !recorded(fake, slots[ch], chat) {
				return false
			}
		}
		return true
	}) {
		t.Fatal("the victim did not record the messages Telegram accepted from it within 10s")
	}
	victim.Kill()
	killed := time.Now()
	held := map[int64]bool{} // the slots the victim died holding
	victimOwner := ""
	for _, ss := range allSlots(t, st) {
		for _, s := range ss {
			if !s.Done && s.LeaseUntil.After(killed) && strings.HasSuffix(s.Owner, "/"+strconv.Itoa(pid)) {
				held[s.ID], victimOwner = true, s.Owner
			}
		}
	}
	heldByVictim := len(held)
	if heldByVictim == 0 {
		t.Fatal("the victim held no claim when killed: the test cut no fan-out")
	}

	if !waitUntil(60*time.Second, func() bool { return doneSlots(allSlots(t, st)) >= n }) {
		t.Fatalf("%d of %d slots done 60s after the kill", doneSlots(allSlots(t, st)), n)
	}
	finished := time.Now()
	time.Sleep(300 * time.Millisecond) // a late duplicate would show now
	final := allSlots(t, st)
	owners, takenOver := checkExactlyOnce(t, fake, rs, final, chats)
	for _, ss := range final {
		for _, s := range ss {
			if held[s.ID] && (s.Owner == victimOwner || s.Attempts < 2) {
				t.Errorf("slot %d, held by the victim when it died, was not taken over: %+v", s.ID, *s)
			}
		}
	}
	t.Logf("3 replicas, %d chats: start to healthy %v; fan-out cut after %v with %d digests sent (%d by the victim, %d of its sends accepted but not yet recorded at the cut); "+
		"killed %v after the cut holding %d claims; all %d delivered %v after the kill, %v after the replicas were healthy; %d slots taken over; by owner %v",
		n, healthy.Sub(start).Round(time.Millisecond), cut.Sub(healthy).Round(time.Millisecond), sentBefore, victim.gate.sends.Load(),
		unrecorded, killed.Sub(cut).Round(time.Millisecond), heldByVictim, n, finished.Sub(killed).Round(time.Millisecond),
		finished.Sub(healthy).Round(time.Millisecond), takenOver, owners)
}

// Only one replica long-polls Telegram; when it dies another takes over
// within seconds, and commands are answered all along.
func TestReplicasTelegramLeader(t *testing.T) {
	dsn, _ := pgSchema(t)
	openPostgres(t, dsn) // the schema, before three replicas race for it
	fake := telegramtest.New(telegramtest.Options{Limits: telegramtest.NoLimits})
	t.Cleanup(fake.Close)
	rs := startReplicas(t, 3, dsn, fake, nil, "--no-poll")

	pollers := func() []int {
		var out []int
		for i, r := range rs {
			if r.gate.polls.Load() > 0 {
				out = append(out, i)
			}
		}
		return out
	}
	if !waitUntil(10*time.Second, func() bool { return len(pollers()) > 0 }) {
		t.Fatal("no replica long-polls Telegram")
	}
	time.Sleep(1500 * time.Millisecond) // the others try the lease and wait
	if p := pollers(); len(p) != 1 {
		t.Fatalf("replicas %v long-poll Telegram, want exactly one", p)
	}
	leader := pollers()[0]
	user := telegramtest.User{ID: 5001, FirstName: "Ann"}
	ask := func(what string) {
		t.Helper()
		before := len(fake.Messages(user.ID))
		fake.SendMessage(telegramtest.Chat{}, user, "/help")
		if !fake.WaitFor(10*time.Second, func() bool { return len(fake.Messages(user.ID)) > before }) {
			t.Fatalf("%s: no answer to /help within 10s", what)
		}
	}
	ask("with the first leader")

	polls := make([]int64, len(rs))
	for i, r := range rs {
		polls[i] = r.gate.polls.Load()
	}
	rs[leader].Kill()
	killed := time.Now()
	var next int
	if !waitUntil(10*time.Second, func() bool {
		for i, r := range rs {
			if i != leader && r.gate.polls.Load() > polls[i] {
				next = i
				return true
			}
		}
		return false
	}) {
		t.Fatal("no replica took over long polling within 10s of the leader's death")
	}
	takeover := time.Since(killed)
	ask("with the second leader")
	answered := time.Since(killed)
	time.Sleep(1500 * time.Millisecond)
	for i, r := range rs {
		if i != leader && i != next && r.gate.polls.Load() > polls[i] {
			t.Errorf("replica %d polls as well as the new leader %d", i, next)
		}
		if strings.Contains(r.Output(), "getUpdates conflict") {
			t.Errorf("replica %d met a getUpdates conflict: two replicas polled at once", i)
		}
	}
	t.Logf("leader replica %d killed; replica %d long-polls %v later; a command sent after the kill answered %v after it",
		leader, next, takeover.Round(time.Millisecond), answered.Round(time.Millisecond))
}

// Two replicas polling the same feeds fetch each feed once per interval,
// never both of them.
func TestReplicasPollFeedsOnce(t *testing.T) {
	dsn, _ := pgSchema(t)
	st := openPostgres(t, dsn)
	var mu sync.Mutex
	fetched := map[string][]time.Time{}
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		fetched[r.URL.Path] = append(fetched[r.URL.Path], time.Now())
		n := len(fetched[r.URL.Path])
		mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed %[1]s</title><link>http://example.com/</link>
<item><title>Item %[2]d of %[1]s</title><link>http://example.com%[1]s/%[2]d</link><description>Story %[2]d of the feed at %[1]s, told in full.</description></item>
</channel></rss>`, r.URL.Path, n)
	}))
	t.Cleanup(feeds.Close)
	const interval, feedCount = 2 * time.Second, 6
	for i := range feedCount {
		if err := st.AddSource(context.Background(), &store.Source{
			Name: fmt.Sprintf("feed %d", i), URL: fmt.Sprintf("%s/feed/%d", feeds.URL, i),
			FullText: store.FullTextOff, Interval: interval,
		}); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"NEWSDIGEST_ALLOW_PRIVATE_ADDRESSES": "true"}
	rs := startReplicas(t, 2, dsn, nil, env)
	const run = 7 * time.Second
	time.Sleep(run)
	for _, r := range rs {
		if err := r.Stop(10 * time.Second); err != nil {
			t.Errorf("%s: %v", r.name, err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	total := 0
	for i := range feedCount {
		times := fetched[fmt.Sprintf("/feed/%d", i)]
		total += len(times)
		// At least the first fetch and one a little over an interval
		// later (jitter is 10%, and the poller looks at least once a
		// second); at most one per 90% of an interval.
		if len(times) < 2 || len(times) > int(run/(interval*9/10))+1 {
			t.Errorf("feed %d fetched %d times in %v with an interval of %v", i, len(times), run, interval)
		}
		for j := 1; j < len(times); j++ {
			if gap := times[j].Sub(times[j-1]); gap < interval*9/10 {
				t.Errorf("feed %d fetched twice within %v (interval %v): both replicas fetched it", i, gap.Round(time.Millisecond), interval)
			}
		}
	}
	var shares []int
	for _, r := range rs {
		shares = append(shares, strings.Count(r.Output(), "msg=poll "))
	}
	t.Logf("%d feeds, interval %v, 2 replicas for %v: %d fetches, none twice within an interval; fetches with new items per replica %v",
		feedCount, interval, run, total, shares)
}

// pgCluster is a private PostgreSQL server, to restart without disturbing
// the shared one.
type pgCluster struct {
	bin, dir, data string
	port           int
	dsn            string
}

// startCluster initdb's and starts a private server as the postgres user,
// or skips the test when that cannot be done here.
func startCluster(t *testing.T) *pgCluster {
	t.Helper()
	if os.Getenv(envPostgres) == "" {
		t.Skipf("PostgreSQL tests skipped: set %s (this one also runs a private server with initdb, as root)", envPostgres)
	}
	initdbs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	pgUser, uerr := user.Lookup("postgres")
	_, rerr := exec.LookPath("runuser")
	if os.Geteuid() != 0 || len(initdbs) == 0 || uerr != nil || rerr != nil {
		t.Skip("restart test skipped: it runs a private PostgreSQL server with /usr/lib/postgresql/*/bin/initdb " +
			"as the postgres user, which needs root, runuser and a postgres user")
	}
	c := &pgCluster{bin: filepath.Dir(initdbs[len(initdbs)-1])}
	var err error
	if c.dir, err = os.MkdirTemp("", "nd-pg-"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(c.dir) })
	uid, _ := strconv.Atoi(pgUser.Uid)
	gid, _ := strconv.Atoi(pgUser.Gid)
	if err := os.Chown(c.dir, uid, gid); err != nil {
		t.Fatal(err)
	}
	c.data = filepath.Join(c.dir, "data")
	_, port, _ := net.SplitHostPort(freeAddr(t))
	c.port, _ = strconv.Atoi(port)
	c.dsn = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
	c.pg(t, "initdb", "-D", c.data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C")
	c.start(t)
	t.Cleanup(func() { c.pg(t, "pg_ctl", "-D", c.data, "-m", "immediate", "-w", "stop") })
	return c
}

func (c *pgCluster) pg(t *testing.T, tool string, args ...string) {
	t.Helper()
	cmd := exec.Command("runuser", append([]string{"-u", "postgres", "--", filepath.Join(c.bin, tool)}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", tool, args, err, out)
	}
}

func (c *pgCluster) start(t *testing.T) {
	t.Helper()
	c.pg(t, "pg_ctl", "-D", c.data, "-l", filepath.Join(c.dir, "log"), "-w", "start",
		"-o", fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", c.port, c.dir))
}

func (c *pgCluster) stop(t *testing.T) {
	t.Helper()
	c.pg(t, "pg_ctl", "-D", c.data, "-m", "fast", "-w", "stop")
}

// PostgreSQL restarted in the middle of a fan-out: the replicas recover
// and no delivery is lost.
//
// A digest Telegram accepted while the database was going down may go out
// twice: its record failed with the connection, so its claim lapses and
// another attempt sends it again (Telegram's sendMessage is not
// idempotent; see README, delivery guarantees). The test allows exactly
// that: a second copy only of a digest whose first copy was accepted
// before the database was back and is not the one recorded. Any other
// second copy, or a chat without a digest, fails it.
func TestReplicasPostgresRestart(t *testing.T) {
	c := startCluster(t)
	dsn := withParam(t, c.dsn, "pool_max_conns", "8")
	st := openPostgres(t, dsn)
	fake := telegramtest.New(telegramtest.Options{Limits: telegramtest.NoLimits})
	t.Cleanup(fake.Close)
	const n = 300
	chats := subscribeChats(t, st, fake, n)
	rs := startReplicas(t, 2, dsn, fake, map[string]string{
		"NEWSDIGEST_SCHEDULE_TICK":  "50ms",
		"NEWSDIGEST_SCHEDULE_LEASE": "5s",
	}, "--no-poll")
	if !waitUntil(20*time.Second, func() bool { return len(fake.AllMessages()) >= n/4 }) {
		t.Fatalf("%d digests sent in 20s", len(fake.AllMessages()))
	}
	down := time.Now()
	sentBefore := len(fake.AllMessages())
	c.stop(t)
	time.Sleep(time.Second)
	c.start(t)
	up := time.Now()
	if !waitUntil(60*time.Second, func() bool { return doneSlots(allSlots(t, st)) >= n }) {
		t.Fatalf("%d of %d slots done 60s after the restart", doneSlots(allSlots(t, st)), n)
	}
	finished := time.Now()
	time.Sleep(300 * time.Millisecond) // a late second copy would show now
	slots := allSlots(t, st)
	lost, twice := 0, 0
	for ch, chat := range chats {
		msgs := fake.Messages(chat)
		var rec []string
		if len(slots[ch]) == 1 && slots[ch][0].Done {
			rec = slots[ch][0].MessageIDs
		}
		var unrecorded []telegramtest.SentMessage
		for _, m := range msgs {
			if !slices.Contains(rec, strconv.Itoa(m.MessageID)) {
				unrecorded = append(unrecorded, m)
			}
		}
		switch {
		case len(msgs) == 0 || len(rec) == 0:
			lost++
			t.Errorf("chat %d got no digest: messages %v, slots %v", chat, messageIDs(fake, chat), describeSlots(slots[ch]))
		case len(unrecorded) > 0:
			// The scheduler keeps retrying the record of a message the
			// platform accepted while the database is down (for up to the
			// lease), so a restart shorter than that repeats nothing.
			twice++
			for _, m := range unrecorded {
				t.Errorf("chat %d: message %d (sent %v from the database's return) was never recorded: sent twice (slots %v)",
					chat, m.MessageID, m.Sent.Sub(up).Round(time.Millisecond), describeSlots(slots[ch]))
			}
		}
	}
	if sentBefore >= n {
		t.Errorf("all %d digests were out before the restart; it tested nothing", n)
	}
	for _, r := range rs {
		if done, err := r.Exited(); done {
			t.Errorf("%s exited during the restart: %v", r.name, err)
		}
	}
	t.Logf("2 replicas, %d chats: PostgreSQL stopped (fast) after %d digests, down %v; all delivered %v after it came back; "+
		"lost %d; sent twice %d",
		n, sentBefore, up.Sub(down).Round(time.Millisecond), finished.Sub(up).Round(time.Millisecond), lost, twice)
}

func describeSlots(ss []*store.Slot) []string {
	var out []string
	for _, s := range ss {
		out = append(out, fmt.Sprintf("%+v", *s))
	}
	return out
}
