package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/bot"
	"github.com/newsdigest/newsdigest/bot/telegram/telegramtest"
	"github.com/newsdigest/newsdigest/store"
	"github.com/newsdigest/newsdigest/store/sqlite"
)

// saveChannels stores channels in the CLI's database, created two hours
// ago so that slots since then count.
func (c *cli) saveChannels(chans ...*store.Channel) {
	c.t.Helper()
	st, err := sqlite.Open(c.env["NEWSDIGEST_DATABASE"])
	if err != nil {
		c.t.Fatal(err)
	}
	defer st.Close()
	for _, ch := range chans {
		if ch.Created.IsZero() {
			ch.Created = time.Now().Add(-2 * time.Hour)
		}
		if err := st.SaveChannel(context.Background(), ch); err != nil {
			c.t.Fatal(err)
		}
	}
}

// slots returns the done slots' local times and message counts of a chat.
func (c *cli) lastSlot(platform, chatID string) *store.Slot {
	c.t.Helper()
	st, err := sqlite.Open(c.env["NEWSDIGEST_DATABASE"])
	if err != nil {
		c.t.Fatal(err)
	}
	defer st.Close()
	ch, err := st.Channel(context.Background(), platform, chatID)
	if err != nil {
		c.t.Fatal(err)
	}
	sl, err := st.LastSlot(context.Background(), ch.ID)
	if err != nil {
		return nil
	}
	return sl
}

// dueClock is a daily time an hour ago in UTC: its slot is due now and
// within the grace window.
func dueClock() string { return time.Now().UTC().Add(-time.Hour).Format("15:04") }

func nextLocal(t *testing.T, schedule, zone string) string {
	t.Helper()
	s, err := bot.ParseSchedule(schedule)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation(zone)
	return s.Next(time.Now(), loc).Format("Mon 2 Jan 2006 15:04 MST")
}

func TestScheduleListAndNext(t *testing.T) {
	c := newCLI(t)
	code, out, errs := c.run("schedule", "list")
	if code != 0 || !strings.Contains(out, "No chat is subscribed") {
		t.Fatalf("list of nothing: exit %d, %q %q", code, out, errs)
	}
	c.saveChannels(
		&store.Channel{Platform: store.Telegram, ChatID: "-1001", Title: "Harbour news", Schedule: "weekdays 07:30", TimeZone: "Europe/Berlin"},
		&store.Channel{Platform: store.Discord, ChatID: "42", Schedule: "every 2h quiet 22:00-07:00", TimeZone: "Asia/Kathmandu", Created: time.Now()},
		&store.Channel{Platform: store.Telegram, ChatID: "7", Schedule: "daily 09:00", Paused: true, PauseReason: "bot was blocked by the user"},
		&store.Channel{Platform: store.Telegram, ChatID: "8", Schedule: "daily " + dueClock(), TimeZone: "UTC"},
		&store.Channel{Platform: store.Telegram, ChatID: "9"}, // not subscribed
	)
	code, out, errs = c.run("schedule", "list")
	if code != 0 {
		t.Fatalf("list: exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"telegram:-1001 (Harbour news)  weekdays 07:30", "Europe/Berlin", nextLocal(t, "weekdays 07:30", "Europe/Berlin"),
		"discord:42", "every 2h quiet 22:00-07:00", "Asia/Kathmandu", nextLocal(t, "every 2h quiet 22:00-07:00", "Asia/Kathmandu"),
		"paused: bot was blocked by the user",
		"telegram:8", "(due now, not sent yet)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("list does not show %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "telegram:9") {
		t.Errorf("list shows an unsubscribed chat:\n%s", out)
	}
	if _, out, _ = c.run("schedule", "list", "--json"); strings.Count(out, "\n") != 4 || !strings.Contains(out, `"paused":true`) {
		t.Errorf("list --json:\n%s", out)
	}

	code, out, errs = c.run("schedule", "next", "5")
	if code != 0 {
		t.Fatalf("next: exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 || !strings.Contains(lines[1], "telegram:8") || !strings.Contains(lines[1], "(due now)") {
		t.Fatalf("next 5: want a header, the due digest first, then 4 more:\n%s", out)
	}
	if strings.Contains(out, "telegram:7") {
		t.Errorf("next lists a paused chat:\n%s", out)
	}
	var prev string
	for _, l := range lines[1:] {
		when := l[:16]
		if when < prev {
			t.Errorf("next is not in time order:\n%s", out)
		}
		prev = when
	}
	// Kathmandu every 2h: no run in its quiet hours (22:00 to 07:00 there).
	_, out, _ = c.run("schedule", "next", "200")
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "discord:42") {
			for _, quiet := range []string{" 22:", " 00:", " 02:", " 04:", " 06:"} {
				if strings.Contains(l, quiet+"00 +0545") {
					t.Errorf("a run in the quiet hours: %s", l)
				}
			}
		}
	}
}

func TestScheduleRunNow(t *testing.T) {
	srv := telegramtest.New(telegramtest.Options{Chats: []telegramtest.Chat{{ID: 1001}, {ID: 1002}, {ID: 1003}, {ID: 1004}}})
	defer srv.Close()
	c := newCLI(t)
	due := "daily " + dueClock()
	c.saveChannels(
		&store.Channel{Platform: store.Telegram, ChatID: "1001", Schedule: "daily 23:59"},
		&store.Channel{Platform: store.Telegram, ChatID: "1002", Schedule: due},
		&store.Channel{Platform: store.Telegram, ChatID: "1003", Schedule: due},
		&store.Channel{Platform: store.Telegram, ChatID: "1004", Schedule: due},
		&store.Channel{Platform: store.Discord, ChatID: "55", Schedule: due},
		&store.Channel{Platform: store.Telegram, ChatID: "1005", Schedule: due, Paused: true, PauseReason: "Forbidden: bot was kicked"},
	)
	// No token: each form says what is missing.
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"run-now", "telegram:1001"}, 1, "no Telegram bot token configured: set TELEGRAM_BOT_TOKEN"},
		{[]string{"run-now", "--all-due"}, 1, "no chat platform configured"},
		{[]string{"run-now"}, 2, "want one chat"},
		{[]string{"run-now", "1001"}, 2, "want PLATFORM:CHAT"},
		{[]string{"run-now", "slack:1"}, 2, "telegram or discord"},
		{[]string{"run-now", "telegram:1", "--all-due"}, 2, "not both"},
	} {
		code, _, errs := c.run(append([]string{"schedule"}, tt.args...)...)
		if code != tt.code || !strings.Contains(errs, tt.want) {
			t.Errorf("schedule %v: exit %d, %q; want %d and %q", tt.args, code, errs, tt.code, tt.want)
		}
	}
	if n := len(srv.AllMessages()); n != 0 {
		t.Fatalf("%d messages sent without a token", n)
	}

	c.env["TELEGRAM_BOT_TOKEN"] = srv.Token()
	c.env["NEWSDIGEST_TELEGRAM_API"] = srv.URL()
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"run-now", "telegram:999"}, 1, "no chat telegram:999 in the store"},
		{[]string{"run-now", "telegram:1005"}, 1, "is paused since"},
		{[]string{"run-now", "discord:55"}, 1, "no Discord bot token configured"},
	} {
		code, _, errs := c.run(append([]string{"schedule"}, tt.args...)...)
		if code != tt.code || !strings.Contains(errs, tt.want) {
			t.Errorf("schedule %v: exit %d, %q; want %d and %q", tt.args, code, errs, tt.code, tt.want)
		}
	}

	// Not due: an extra digest now. Due: the due slot itself, so that a
	// running scheduler does not send it again.
	code, out, errs := c.run("schedule", "run-now", "telegram:1001")
	if code != 0 || !strings.Contains(out, "sent telegram:1001: slot ") || !strings.Contains(out, "run-now, 1 message") {
		t.Fatalf("run-now telegram:1001: exit %d, %q %q", code, out, errs)
	}
	code, out, errs = c.run("schedule", "run-now", "telegram:1002")
	wantLocal := time.Now().UTC().Add(-time.Hour).Format("2006-01-02T15:04")
	if code != 0 || !strings.Contains(out, "sent telegram:1002: slot "+wantLocal+",") {
		t.Fatalf("run-now telegram:1002: exit %d, %q %q; want slot %s", code, out, errs, wantLocal)
	}
	if sl := c.lastSlot(store.Telegram, "1002"); sl == nil || sl.Local != wantLocal || len(sl.MessageIDs) != 1 {
		t.Errorf("slot of 1002 = %+v, want %s done with its message id", sl, wantLocal)
	}

	code, out, errs = c.run("schedule", "run-now", "--all-due")
	if code != 0 || !strings.Contains(out, "due 2: sent 2") || !strings.Contains(out, "left 1 due on discord: no Discord bot token") {
		t.Fatalf("run-now --all-due: exit %d, %q %q", code, out, errs)
	}
	code, out, _ = c.run("schedule", "run-now", "--all-due")
	if code != 0 || !strings.Contains(out, "due 0: sent 0") {
		t.Fatalf("second run-now --all-due: exit %d, %q; want nothing more sent", code, out)
	}
	for chat, want := range map[int64]int{1001: 1, 1002: 1, 1003: 1, 1004: 1} {
		if n := len(srv.Messages(chat)); n != want {
			t.Errorf("chat %d got %d messages, want %d", chat, n, want)
		}
	}
}
