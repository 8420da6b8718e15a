package bot_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/bot"
	"github.com/newsdigest/newsdigest/bot/telegram"
	"github.com/newsdigest/newsdigest/bot/telegram/telegramtest"
	"github.com/newsdigest/newsdigest/store"
	"github.com/newsdigest/newsdigest/store/sqlite"
)

// TestLoadFanOut: chats all due at 08:00 go out through the scheduler and
// the real adapter to the fake Telegram, which enforces its flood limits
// (1 message/s per chat, 20/min per group, and the global limit). The
// fan-out must use at least 90% of the global limit, and every 429 must be
// waited out and the message resent.
//
// CI runs 1,000 chats with the global limit scaled to 300/s in both the
// fake and the adapter. NEWSDIGEST_LOAD_FULL=1 runs the case:
// 10,000 chats at Telegram's real 30/s, which takes about 5.5 minutes.
// Scheduling runs on a fake clock (08:00 on a fixed day); the rate limits
// run on the real one, so the rate measured is real.
func TestLoadFanOut(t *testing.T) {
	if testing.Short() {
		t.Skip("a fan-out of 1,000 messages at 300/s")
	}
	chats, rate := 1000, 300
	if os.Getenv("NEWSDIGEST_LOAD_FULL") == "1" {
		chats, rate = 10000, 30
	}
	ids := make([]telegramtest.Chat, chats)
	for i := range ids {
		ids[i] = telegramtest.Chat{ID: int64(200001 + i), FirstName: "Reader"}
		if i%10 == 0 {
			ids[i] = telegramtest.Chat{ID: -1002000000000 - int64(i), Title: "Group"} // a supergroup
		}
	}
	global := telegramtest.Limit{Messages: rate, Per: time.Second}
	srv := telegramtest.New(telegramtest.Options{Chats: ids, Limits: telegramtest.Limits{Global: global}})
	defer srv.Close()

	st, err := sqlite.Open(filepath.Join(t.TempDir(), "load.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	day := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	seedLoadArticles(t, st, day.Add(6*time.Hour))
	for _, c := range ids {
		ch := &store.Channel{Platform: store.Telegram, ChatID: strconv.FormatInt(c.ID, 10), Schedule: "daily 08:00",
			TimeZone: "UTC", Created: day}
		if err := st.SaveChannel(ctx, ch); err != nil {
			t.Fatal(err)
		}
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	b := &bot.Bot{Store: st, Pipeline: &bot.Pipeline{Store: st, Log: log}, Log: log}
	tr := &http.Transport{MaxIdleConnsPerHost: 2 * rate} // one connection per request in flight, as HTTP/2 to Telegram would multiplex
	defer tr.CloseIdleConnections()
	a, err := telegram.New(telegram.Config{Token: srv.Token(), APIBase: srv.URL(), HTTPClient: &http.Client{Transport: tr, Timeout: time.Minute},
		Limits: telegram.Limits{Global: telegram.Limit{Messages: rate, Per: time.Second}}, Log: log}, b)
	if err != nil {
		t.Fatal(err)
	}
	at := day.Add(8*time.Hour + 5*time.Second) // the fake clock: 08:00:05
	s := &bot.Scheduler{Bot: b, Posters: map[string]bot.Poster{store.Telegram: a}, Owner: "load", Log: log,
		Now: func() time.Time { return at }}

	began := time.Now()
	stats, err := s.RunDue(ctx)
	took := time.Since(began)
	if err != nil || stats.Sent != chats || stats.Failed != 0 {
		t.Fatalf("RunDue = %+v, %v; want %d sent", stats, err, chats)
	}
	msgs := srv.AllMessages()
	first, last := msgs[0].Sent, msgs[0].Sent
	perChat := map[int64]int{}
	for _, m := range msgs {
		if m.Sent.Before(first) {
			first = m.Sent
		}
		if m.Sent.After(last) {
			last = m.Sent
		}
		if strings.HasPrefix(m.Source, "<b>Your news digest</b>") {
			perChat[m.ChatID]++
		}
	}
	for _, c := range ids {
		if perChat[c.ID] != 1 {
			t.Errorf("chat %d got %d digests, want 1", c.ID, perChat[c.ID])
		}
	}
	// The limit lets rate messages into any window of a second, so n
	// messages need at least (⌈n/rate⌉−1) s from the first to the last;
	// the share of the time taken that this minimum makes up is the
	// fan-out's efficiency: 100% sends as fast as the limit allows.
	span := last.Sub(first)
	minimum := time.Duration((len(msgs)+rate-1)/rate-1) * global.Per
	efficiency := minimum.Seconds() / span.Seconds()
	floods, unresolved := srv.FloodErrors(), srv.UnresolvedFloodErrors()
	t.Logf("load: %d chats, %d messages at a global limit of %d/s: first to last message %v (at least %v at the limit; RunDue %v), %.1f%% of the allowed rate; %d 429s, %d left unhandled",
		chats, len(msgs), rate, span.Round(time.Millisecond), minimum, took.Round(time.Millisecond),
		100*efficiency, len(floods), len(unresolved))
	if efficiency < 0.9 {
		t.Errorf("the fan-out used %.1f%% of the allowed rate, want at least 90%%", 100*efficiency)
	}
	for _, fe := range unresolved {
		t.Errorf("429 left unhandled: chat %d (%s limit) at %s", fe.ChatID, fe.Scope, fe.At.Format(time.RFC3339Nano))
	}
	for _, fe := range floods {
		if fe.EarlyRetries > 0 {
			t.Errorf("chat %d: resent %d times before retry_after passed", fe.ChatID, fe.EarlyRetries)
		}
	}
}

// seedLoadArticles stores three unrelated articles, enough for a digest of
// one message.
func seedLoadArticles(t *testing.T, st store.Store, at time.Time) {
	t.Helper()
	for i, a := range []*store.Article{
		{URL: "https://gazette.example/bridge", Outlet: "Alder Gazette", Title: "Council approves harbour bridge",
			Body: "The Port Alder council voted on Tuesday to build a new harbour bridge linking the old town with the eastern docks.\n\n\"This is the most important decision this council has taken in a generation,\" Mayor Elena Voss said after the vote.\n\nThe bridge will cost 84 million crowns."},
		{URL: "https://techwire.example/battery", Outlet: "TechWire", Title: "Helixa shows six-minute battery",
			Body: "Battery maker Helixa showed a car battery that charges in six minutes.\n\n\"We think this removes the last good reason not to buy an electric car,\" chief executive Ines Marlow said.\n\nProduction is planned for 2028."},
		{URL: "https://coast.example/storm", Outlet: "Coastline Times", Title: "Storm closes northern ferry routes",
			Body: "Ferries between Port Alder and the northern islands stopped on Wednesday as a storm brought waves of six metres.\n\n\"No crossing will leave before the wind drops,\" harbour master Tomas Brin said.\n\nThe service should resume on Friday."},
	} {
		a.Published = at.Add(time.Duration(i) * time.Minute)
		if _, err := st.PutArticle(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
}
