package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/bot"
	"github.com/newsdigest/newsdigest/bot/telegram/telegramtest"
	"github.com/newsdigest/newsdigest/digest/render"
	"github.com/newsdigest/newsdigest/store"
)

func TestCommandsRegistered(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	got := e.srv.Commands()
	specs := bot.Specs()
	if len(got) != len(specs) {
		t.Fatalf("%d commands registered, want %d: %+v", len(got), len(specs), got)
	}
	for i, s := range specs {
		if got[i].Command != s.Name || got[i].Description != s.Summary {
			t.Errorf("command %d = %+v, want /%s %q", i, got[i], s.Name, s.Summary)
		}
	}
	if e.srv.Calls("deleteWebhook") == 0 {
		t.Error("long polling started without deleteWebhook")
	}
}

func TestDigestInGroup(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	putArticles(t, e.store, 6)
	u := e.say(t, newsroom, ann, "/digest")
	msgs := e.messages(t, newsroom.ID, 1)
	for i, m := range msgs {
		if err := render.CheckTelegramHTML(m.Source); err != nil {
			t.Errorf("message %d is not valid Telegram HTML: %v\n%s", i, err, m.Source)
		}
		if m.ParseMode != "HTML" || !m.LinkPreviewDisabled {
			t.Errorf("message %d: parse mode %q, previews disabled %v", i, m.ParseMode, m.LinkPreviewDisabled)
		}
		if n := utf16Len(m.Text); n > telegramtest.MaxMessageLength {
			t.Errorf("message %d is %d UTF-16 units long", i, n)
		}
		if strings.Contains(m.Text, "@everyone") {
			t.Errorf("message %d can mention: %q", i, m.Text)
		}
	}
	if msgs[0].ReplyToMessageID != u.MessageID {
		t.Errorf("first message replies to %d, want the command %d", msgs[0].ReplyToMessageID, u.MessageID)
	}
	all := strings.Join(texts(msgs), "\n")
	if !strings.Contains(all, "Council approves <harbour> tram line") {
		t.Errorf("digest lacks the stories:\n%s", all)
	}
}

func texts(msgs []telegramtest.SentMessage) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Text)
	}
	return out
}

func TestHelpAddressing(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	group := telegramtest.Chat{ID: -4001, Type: telegramtest.Group, Title: "Friends"}
	cases := []struct {
		chat    telegramtest.Chat
		text    string
		answers bool
		want    string
	}{
		{telegramtest.Chat{}, "/help", true, "/digest [topic] [since]"},
		{telegramtest.Chat{}, "/start", true, "/digest [topic] [since]"},
		{telegramtest.Chat{}, "/nonsense", true, "I don't know /nonsense"},
		{group, "/help@newsdigest_bot", true, "/digest [topic] [since]"},
		{group, "/HELP@NewsDigest_Bot subscribe", true, "/subscribe [schedule] [time zone]"},
		{group, "/help", true, "/help COMMAND"},
		{group, "/help@otherbot", false, ""},
		{group, "/nonsense", false, ""}, // another bot's command
		{group, "/start", false, ""},
		{group, "/start@newsdigest_bot", true, "/digest [topic] [since]"},
		{group, "/nonsense@newsdigest_bot", true, "I don't know /nonsense"},
		{group, "hello /help", false, ""},
		{group, "/help@ab", false, ""}, // not a username: not a command
		{channel, "/help", true, "/digest [topic] [since]"},
	}
	for _, c := range cases {
		chat := c.chat
		if chat.ID == 0 {
			chat = telegramtest.Chat{ID: ann.ID}
		}
		before := len(e.srv.Messages(chat.ID))
		u := e.say(t, c.chat, ann, c.text)
		got := e.srv.Messages(chat.ID)[before:]
		if !c.answers {
			if len(got) != 0 {
				t.Errorf("%q in %s: answered %q, want silence", c.text, chat.Type, texts(got))
			}
			continue
		}
		if len(got) == 0 {
			t.Errorf("%q in %d: no answer", c.text, chat.ID)
			continue
		}
		if !strings.Contains(got[0].Text, c.want) {
			t.Errorf("%q: answer %q, want it to contain %q", c.text, got[0].Text, c.want)
		}
		if got[0].ReplyToMessageID != u.MessageID {
			t.Errorf("%q: answer replies to %d, want %d", c.text, got[0].ReplyToMessageID, u.MessageID)
		}
	}
}

func TestSourcesAddNeedsAdmin(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	e.srv.AddChat(newsroom)
	e.srv.SetMember(newsroom.ID, telegramtest.Member{User: ann, Status: "administrator"})
	e.srv.SetMember(newsroom.ID, telegramtest.Member{User: bob, Status: "member"})
	e.srv.SetMember(newsroom.ID, telegramtest.Member{User: carol, Status: "creator"})
	ctx := context.Background()

	last := func() string {
		msgs := e.srv.Messages(newsroom.ID)
		if len(msgs) == 0 {
			return ""
		}
		return msgs[len(msgs)-1].Text
	}
	e.say(t, newsroom, bob, "/sources add https://feeds.example.com/bob.xml")
	if got := last(); !strings.Contains(got, "only administrators") {
		t.Errorf("non-admin's /sources add answered %q, want a refusal naming administrators", got)
	}
	e.say(t, newsroom, bob, "/sources")
	if got := last(); !strings.Contains(got, "No sources yet") {
		t.Errorf("non-admin's /sources (a listing) answered %q", got)
	}
	e.say(t, newsroom, ann, "/sources add https://feeds.example.com/ann.xml")
	if got := last(); !strings.Contains(got, "Added source") {
		t.Errorf("admin's /sources add answered %q", got)
	}
	e.say(t, newsroom, carol, "/sources add https://feeds.example.com/carol.xml")
	if got := last(); !strings.Contains(got, "Added source") {
		t.Errorf("creator's /sources add answered %q", got)
	}

	// An anonymous administrator writes as the group itself.
	anon := anonymousMessage(t, e, newsroom, newsroom, "/sources add https://feeds.example.com/anon.xml")
	e.waitHandled(t, anon)
	if got := last(); !strings.Contains(got, "Added source") {
		t.Errorf("anonymous admin's /sources add answered %q", got)
	}
	// A message sent on behalf of another channel is not an admin's.
	other := anonymousMessage(t, e, newsroom, channel, "/sources add https://feeds.example.com/other.xml")
	e.waitHandled(t, other)
	if got := last(); !strings.Contains(got, "only administrators") {
		t.Errorf("/sources add on behalf of another chat answered %q", got)
	}

	// In a channel, only administrators can post at all.
	e.say(t, channel, ann, "/sources add https://feeds.example.com/channel.xml")
	if msgs := e.srv.Messages(channel.ID); len(msgs) == 0 || !strings.Contains(msgs[len(msgs)-1].Text, "Added source") {
		t.Errorf("channel's /sources add answered %q", texts(msgs))
	}

	srcs, err := e.store.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, s := range srcs {
		urls = append(urls, s.URL)
	}
	slices.Sort(urls)
	want := []string{"https://feeds.example.com/ann.xml", "https://feeds.example.com/anon.xml", "https://feeds.example.com/carol.xml", "https://feeds.example.com/channel.xml"}
	if !slices.Equal(urls, want) {
		t.Errorf("sources %v, want %v", urls, want)
	}
	if n := e.srv.Calls("getChatMember"); n != 3 {
		t.Errorf("getChatMember called %d times, want 3 (bob, ann, carol)", n)
	}
}

// anonymousMessage injects a message in chat sent on behalf of sender, as
// Telegram shows anonymous administrators (sender == chat) and posts by
// a channel.
func anonymousMessage(t *testing.T, e *testEnv, chat, sender telegramtest.Chat, text string) telegramtest.Update {
	t.Helper()
	u, err := e.srv.InjectUpdate(mustJSON(t, map[string]any{"message": map[string]any{
		"message_id": 9000 + len(e.srv.AllMessages()), "date": time.Now().Unix(),
		"from": anonymousBot, "sender_chat": sender, "chat": chat, "text": text,
		"entities": []map[string]any{{"type": "bot_command", "offset": 0, "length": strings.IndexByte(text, ' ')}},
	}}))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// articlePage is a news page written for these tests.
const articlePage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ferry service resumes after storm repairs</title>
<meta property="og:title" content="Ferry service resumes after storm repairs">
<meta property="article:published_time" content="2025-03-04T09:30:00Z"></head>
<body><nav>Home | Sport | Weather</nav>
<article><h1>Ferry service resumes after storm repairs</h1>
<p>The island ferry returned to its full timetable on Monday after three weeks of repairs to the storm-damaged pier at Westhaven.</p>
<p>"We are relieved to have the crossing back before the spring season," said Tomas Berg, the harbour director, at the reopening.</p>
<p>Engineers replaced two of the pier's concrete pylons and rebuilt the passenger ramp, which had been torn away by waves in February.</p>
<p>The regional council said the repairs cost 1.2 million euros and were paid from its emergency infrastructure fund.</p>
<p>Ferry operators expect passenger numbers to return to normal within a month as the tourist season begins.</p>
</article><footer>Copyright Example Island News</footer></body></html>`

func TestLinkAloneIsAdded(t *testing.T) {
	t.Parallel()
	pages := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(150 * time.Millisecond) // slow enough to show "typing"
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, articlePage)
	}))
	t.Cleanup(pages.Close)
	e := start(t, envOptions{})
	link := pages.URL + "/news/ferry"

	u := e.say(t, telegramtest.Chat{}, ann, link)
	msgs := e.messages(t, ann.ID, 1)
	if !strings.Contains(msgs[0].Text, "Added: Ferry service resumes after storm repairs") {
		t.Errorf("answer to a bare link: %q", msgs[0].Text)
	}
	if msgs[0].ReplyToMessageID != u.MessageID {
		t.Errorf("answer replies to %d, want %d", msgs[0].ReplyToMessageID, u.MessageID)
	}
	if n, err := e.store.CountArticles(context.Background()); err != nil || n != 1 {
		t.Errorf("articles stored: %d, %v; want 1", n, err)
	}
	if acts := e.srv.ChatActions(ann.ID); len(acts) < 2 {
		t.Errorf("chat actions %v, want typing repeated while the page is fetched", acts)
	}

	// In a group, a link counts only when meant for the bot.
	group := telegramtest.Chat{ID: -4002, Type: telegramtest.Group, Title: "Readers"}
	e.say(t, group, bob, link)
	if msgs := e.srv.Messages(group.ID); len(msgs) != 0 {
		t.Errorf("a link in a group, not for the bot, was answered: %q", texts(msgs))
	}
	e.say(t, group, bob, "@newsdigest_bot "+link)
	if msgs := e.messages(t, group.ID, 1); !strings.Contains(msgs[0].Text, "Added: Ferry") {
		t.Errorf("a link with the bot's name: %q", msgs[0].Text)
	}
}

func TestChannelPost(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	u := e.say(t, channel, telegramtest.User{}, "/subscribe daily 07:00 Europe/Berlin")
	msgs := e.messages(t, channel.ID, 1)
	if !strings.Contains(msgs[0].Text, "Subscribed: daily 07:00") || msgs[0].ReplyToMessageID != u.MessageID {
		t.Errorf("channel answer %q replying to %d", msgs[0].Text, msgs[0].ReplyToMessageID)
	}
	c, err := e.store.Channel(context.Background(), store.Telegram, fmt.Sprint(channel.ID))
	if err != nil || c.Schedule != "daily 07:00" || c.TimeZone != "Europe/Berlin" || c.Title != channel.Title {
		t.Errorf("channel settings %+v, %v", c, err)
	}
}
