package main

import (
	"context"
	"maps"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/newsdigest/newsdigest/bot/telegram/telegramtest"
	"github.com/newsdigest/newsdigest/digest/render"
	"github.com/newsdigest/newsdigest/store"
)

// Users and chats of the Telegram tests.
var (
	tgAnn     = telegramtest.User{ID: 5001, FirstName: "Ann", Username: "ann_edits"}
	tgBob     = telegramtest.User{ID: 5002, FirstName: "Bob"}
	tgCarol   = telegramtest.User{ID: 5003, FirstName: "Carol"}
	tgNewsers = telegramtest.Chat{ID: -1005550001, Type: telegramtest.Supergroup, Title: "Newsroom"}
	tgTeam    = telegramtest.Chat{ID: -5550002, Type: telegramtest.Group, Title: "Team"}
)

// startTelegram runs serve with TELEGRAM_BOT_TOKEN and
// NEWSDIGEST_TELEGRAM_API pointing at a fake Telegram, and waits until the
// adapter has registered its commands and polls for updates.
func startTelegram(t *testing.T, c *cli, fake telegramtest.Options, env map[string]string) (*served, *telegramtest.Server) {
	t.Helper()
	srv := telegramtest.New(fake)
	t.Cleanup(srv.Close) // after serve has stopped: cleanups run last first
	all := map[string]string{"TELEGRAM_BOT_TOKEN": srv.Token(), "NEWSDIGEST_TELEGRAM_API": srv.URL()}
	maps.Copy(all, env)
	_, secret, _ := strings.Cut(srv.Token(), ":")
	s := startServe(t, c, serveOptions{env: all, secrets: []string{srv.Token(), secret}})
	if !srv.WaitFor(10*time.Second, func() bool { return len(srv.Commands()) > 0 && srv.Calls("getUpdates") > 0 }) {
		t.Fatalf("the Telegram adapter did not start: getMe %d, setMyCommands %d, getUpdates %d",
			srv.Calls("getMe"), srv.Calls("setMyCommands"), srv.Calls("getUpdates"))
	}
	return s, srv
}

// tgReply waits for the bot's message that replies to the update's message.
func tgReply(t *testing.T, srv *telegramtest.Server, u telegramtest.Update) telegramtest.SentMessage {
	t.Helper()
	var reply telegramtest.SentMessage
	found := srv.WaitFor(15*time.Second, func() bool {
		for _, m := range srv.Messages(u.ChatID) {
			if m.ReplyToMessageID == u.MessageID {
				reply = m
				return true
			}
		}
		return false
	})
	if !found {
		t.Fatalf("no reply in chat %d to message %d (%s)", u.ChatID, u.MessageID, u.JSON)
	}
	return reply
}

// tgSay sends a message to the bot and returns its first reply.
func tgSay(t *testing.T, srv *telegramtest.Server, chat telegramtest.Chat, from telegramtest.User, text string) telegramtest.SentMessage {
	t.Helper()
	return tgReply(t, srv, srv.SendMessage(chat, from, text))
}

// checkTelegramMessage fails unless m is what Telegram shows as written:
// HTML of Telegram's dialect, within 4096 UTF-16 units after parsing.
func checkTelegramMessage(t *testing.T, m telegramtest.SentMessage) {
	t.Helper()
	if m.ParseMode != "HTML" {
		t.Errorf("message %d: parse mode %q, want HTML", m.MessageID, m.ParseMode)
	}
	if err := render.CheckTelegramHTML(m.Source); err != nil {
		t.Errorf("message %d: %v", m.MessageID, err)
	}
	if n := len(utf16.Encode([]rune(m.Text))); n == 0 || n > telegramtest.MaxMessageLength {
		t.Errorf("message %d: %d UTF-16 units of text, want 1 to %d", m.MessageID, n, telegramtest.MaxMessageLength)
	}
}

func TestServeTelegramDigestInGroup(t *testing.T) {
	c := newExamplesCLI(t)
	putNewsArticles(t, c)
	s, srv := startTelegram(t, c, telegramtest.Options{}, map[string]string{"NEWSDIGEST_DIGEST_STORIES": "25"})

	if code, body := s.get("/healthz"); code != 200 || strings.TrimSpace(body) != "ok" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	u := srv.SendMessage(tgNewsers, tgBob, "/digest@"+srv.Bot().Username)
	first := tgReply(t, srv, u)
	// A second command in the chat is answered only after the whole
	// digest: the adapter keeps one reply's messages together.
	help := tgSay(t, srv, tgNewsers, tgBob, "/help")

	var digest []telegramtest.SentMessage
	for _, m := range srv.Messages(tgNewsers.ID) {
		if m.MessageID >= first.MessageID && m.MessageID < help.MessageID {
			digest = append(digest, m)
		}
	}
	// 16 stories and the examples' do not fit one message: the test
	// should see the digest split.
	if len(digest) < 2 {
		t.Fatalf("the digest came as %d message; the test wants a longer one", len(digest))
	}
	var text strings.Builder
	for _, m := range digest {
		checkTelegramMessage(t, m)
		if !m.LinkPreviewDisabled {
			t.Errorf("message %d shows a link preview", m.MessageID)
		}
		text.WriteString(m.Text + "\n")
	}
	checkTelegramMessage(t, help)
	t.Logf("the digest came as %d messages", len(digest))
	all := text.String()
	for _, want := range []string{"Glacier <b>retreat</b> measured", "Chess prodigy", "Roman mosaic", "harbour bridge", "Elena Voss"} {
		if !strings.Contains(strings.ToLower(all), strings.ToLower(want)) {
			t.Errorf("the digest does not show %q:\n%s", want, all)
		}
	}
	if !strings.Contains(help.Text, "/subscribe") {
		t.Errorf("/help answered %q", help.Text)
	}
	for _, m := range srv.Messages(tgNewsers.ID) {
		if strings.Contains(m.Text, "Something went wrong") || strings.Contains(m.Text, "Sorry") {
			t.Errorf("the bot apologised: %q", m.Text)
		}
	}

	for _, cmd := range []string{"digest", "help"} {
		if got := s.metric("newsdigest_commands_total", `platform="telegram"`, `command="`+cmd+`"`, `outcome="ok"`); got != 1 {
			t.Errorf("/metrics: newsdigest_commands_total for /%s = %v, want 1", cmd, got)
		}
	}
	if got := s.metric("newsdigest_messages_sent_total", `platform="telegram"`, `outcome="ok"`); got != float64(len(digest)+1) {
		t.Errorf("/metrics: %v messages sent, want %d", got, len(digest)+1)
	}
}

func TestServeTelegramSourcesAddNeedsAdmin(t *testing.T) {
	c := newExamplesCLI(t)
	_, srv := startTelegram(t, c, telegramtest.Options{}, nil)
	srv.AddChat(tgNewsers)
	srv.SetMember(tgNewsers.ID, telegramtest.Member{User: tgAnn, Status: "administrator"})
	srv.SetMember(tgNewsers.ID, telegramtest.Member{User: tgCarol, Status: "creator"})
	srv.SetMember(tgNewsers.ID, telegramtest.Member{User: tgBob, Status: "member"})

	tests := []struct {
		name  string
		from  telegramtest.User
		feed  string
		reply string
		added bool
	}{
		{"member", tgBob, "https://feeds.example.org/member.xml", "only administrators of this chat can change its settings with /sources", false},
		{"administrator", tgAnn, "https://feeds.example.org/admin.xml", "Added source", true},
		{"creator", tgCarol, "https://feeds.example.org/creator.xml", "Added source", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reply := tgSay(t, srv, tgNewsers, tt.from, "/sources add "+tt.feed)
			checkTelegramMessage(t, reply)
			if !strings.Contains(reply.Text, tt.reply) {
				t.Errorf("reply %q, want it to say %q", reply.Text, tt.reply)
			}
			var stored bool
			withStore(t, c, func(st store.Store) {
				_, err := st.SourceByURL(context.Background(), tt.feed)
				stored = err == nil
			})
			if stored != tt.added {
				t.Errorf("feed stored: %v, want %v", stored, tt.added)
			}
		})
	}
}

func TestServeTelegramBlockedChatPausesSubscription(t *testing.T) {
	c := newExamplesCLI(t)
	s, srv := startTelegram(t, c, telegramtest.Options{}, nil)
	srv.SetMember(tgTeam.ID, telegramtest.Member{User: tgAnn, Status: "administrator"})
	private := telegramtest.Chat{ID: tgBob.ID, Type: telegramtest.Private, FirstName: tgBob.FirstName}
	chats := []struct {
		chat   telegramtest.Chat
		from   telegramtest.User
		reason string
	}{
		{tgTeam, tgAnn, "bot was kicked from the group chat"},
		{private, tgBob, "bot was blocked by the user"},
	}

	// Subscribe for a time a few minutes ago: the slot is due once the
	// subscription is older than it.
	now := time.Now()
	sched := dueSchedule(now, 3*time.Minute)
	for _, ch := range chats {
		reply := tgSay(t, srv, ch.chat, ch.from, "/subscribe "+sched+" UTC")
		if !strings.Contains(reply.Text, "Subscribed: "+sched) {
			t.Fatalf("chat %d: /subscribe answered %q", ch.chat.ID, reply.Text)
		}
	}
	for _, ch := range chats {
		srv.SetBlocked(ch.chat.ID, true)
		backdateChannel(t, c, store.Telegram, strconv.FormatInt(ch.chat.ID, 10), now.Add(-time.Hour))
	}

	// The scheduler's next pass sends the due slots, and Telegram refuses.
	paused := func() bool {
		n := 0
		withStore(t, c, func(st store.Store) {
			for _, ch := range chats {
				if got, err := st.Channel(context.Background(), store.Telegram, strconv.FormatInt(ch.chat.ID, 10)); err == nil && got.Paused {
					n++
				}
			}
		})
		return n == len(chats)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !paused() {
		if time.Now().After(deadline) {
			t.Fatalf("subscriptions not paused 10s after their slots fell due")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got := s.metric("newsdigest_messages_sent_total", `platform="telegram"`, `outcome="unavailable"`); got != float64(len(chats)) {
		t.Errorf("/metrics: %v deliveries refused as unavailable, want %d", got, len(chats))
	}

	// Once the bot is back, /status says why deliveries stopped, and the
	// scheduler does not send the slot it gave up.
	for _, ch := range chats {
		srv.SetBlocked(ch.chat.ID, false)
		before := len(srv.Messages(ch.chat.ID))
		status := tgSay(t, srv, ch.chat, ch.from, "/status")
		for _, want := range []string{"PAUSED", ch.reason, "/subscribe again"} {
			if !strings.Contains(status.Text, want) {
				t.Errorf("chat %d: /status %q does not say %q", ch.chat.ID, status.Text, want)
			}
		}
		time.Sleep(200 * time.Millisecond) // a few scheduler passes
		if got := srv.Messages(ch.chat.ID); len(got) != before+1 {
			t.Errorf("chat %d: %d messages after /status, want only its answer", ch.chat.ID, len(got)-before)
		}
		reply := tgSay(t, srv, ch.chat, ch.from, "/subscribe "+sched+" UTC")
		if !strings.Contains(reply.Text, "Deliveries were paused; they are on again") {
			t.Errorf("chat %d: /subscribe after the pause answered %q", ch.chat.ID, reply.Text)
		}
	}
}

// TestServeTelegramScheduledBurst has the scheduler send a digest to many
// chats at once, all due in the same pass, through serve's Telegram
// wiring with NEWSDIGEST_TELEGRAM_RATE scaled down: every digest arrives,
// every 429 the fake answers is waited out and resent, and where the fake
// enforces the configured rate, serve never exceeds it. The adapter's own
// test of 200 messages to 20 chats is bot/telegram's TestFloodLimits.
func TestServeTelegramScheduledBurst(t *testing.T) {
	tests := []struct {
		name  string
		chats int
		rate  int // NEWSDIGEST_TELEGRAM_RATE
		fake  int // the fake's global limit per second
	}{
		{"fake enforces the configured rate", 20, 8, 8},
		{"fake stricter than configured", 12, 12, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newExamplesCLI(t)
			now := time.Now()
			sched := dueSchedule(now, 2*time.Minute)
			var chats []telegramtest.Chat
			for i := range tt.chats {
				id := int64(7000 + i) // private chats: no group limit
				if i%2 == 1 {
					id = -7000 - int64(i)
				}
				chats = append(chats, telegramtest.Chat{ID: id})
			}
			withStore(t, c, func(st store.Store) {
				for _, ch := range chats {
					if err := st.SaveChannel(context.Background(), &store.Channel{Platform: store.Telegram,
						ChatID: strconv.FormatInt(ch.ID, 10), Schedule: sched, TimeZone: "UTC"}); err != nil {
						t.Fatal(err)
					}
				}
			})
			for _, ch := range chats {
				backdateChannel(t, c, store.Telegram, strconv.FormatInt(ch.ID, 10), now.Add(-time.Hour))
			}
			fake := telegramtest.Options{Chats: chats, Limits: telegramtest.Limits{Global: telegramtest.Limit{Messages: tt.fake, Per: time.Second}}}
			start := time.Now()
			s, srv := startTelegram(t, c, fake, map[string]string{"NEWSDIGEST_TELEGRAM_RATE": strconv.Itoa(tt.rate)})

			got := func() int {
				n := 0
				for _, ch := range chats {
					if len(srv.Messages(ch.ID)) > 0 {
						n++
					}
				}
				return n
			}
			if !srv.WaitFor(20*time.Second, func() bool { return got() == len(chats) }) {
				t.Fatalf("%d of %d chats got their digest", got(), len(chats))
			}
			took := time.Since(start)
			all := srv.AllMessages()
			per := len(all) / len(chats)
			for _, ch := range chats {
				msgs := srv.Messages(ch.ID)
				if len(msgs) != per {
					t.Errorf("chat %d got %d messages, others %d", ch.ID, len(msgs), per)
				}
				for _, m := range msgs {
					checkTelegramMessage(t, m)
				}
			}
			if fe := srv.UnresolvedFloodErrors(); len(fe) != 0 {
				t.Errorf("%d messages lost to flood control: %+v", len(fe), fe)
			}
			floods := srv.FloodErrors()
			for _, fe := range floods {
				if fe.EarlyRetries != 0 {
					t.Errorf("chat %d: %d retries before retry_after had passed", fe.ChatID, fe.EarlyRetries)
				}
			}
			if tt.fake >= tt.rate && len(floods) != 0 {
				t.Errorf("serve exceeded NEWSDIGEST_TELEGRAM_RATE=%d: %d answers 429", tt.rate, len(floods))
			}
			if tt.fake < tt.rate && len(floods) == 0 {
				t.Errorf("the fake refused nothing: the test tests no 429")
			}
			// No second of sending holds more than the configured rate.
			for i := range all {
				j := i
				for j < len(all) && all[j].Sent.Sub(all[i].Sent) < time.Second {
					j++
				}
				if j-i > tt.rate {
					t.Fatalf("%d messages within a second from %s, more than NEWSDIGEST_TELEGRAM_RATE=%d", j-i, all[i].Sent.Format("15:04:05.000"), tt.rate)
				}
			}
			if minTook := time.Duration((len(all)-1)/min(tt.rate, tt.fake)) * time.Second; took < minTook {
				t.Errorf("%d messages in %v: faster than %d a second allows", len(all), took, min(tt.rate, tt.fake))
			}
			if got := s.metric("newsdigest_rate_limited_total", `platform="telegram"`); got != float64(len(floods)) && !(got == -1 && len(floods) == 0) {
				t.Errorf("/metrics: %v rate-limited answers counted, the fake gave %d", got, len(floods))
			}
			t.Logf("%d messages to %d chats in %v, %d answers 429", len(all), len(chats), took.Round(time.Millisecond), len(floods))
		})
	}
}
