package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsdigest/newsdigest/bot/discord/discordtest"
	"github.com/newsdigest/newsdigest/digest/render"
	"github.com/newsdigest/newsdigest/store"
)

// discordInteractionTokenPrefix starts every interaction token the fake
// hands out; like the bot token, it must reach no log line.
const discordInteractionTokenPrefix = "aW50ZXJhY3Rpb246"

// startDiscord runs serve with DISCORD_BOT_TOKEN and NEWSDIGEST_DISCORD_API
// pointing at a fake Discord, its slash commands registered in the fake's
// guild, and waits until the adapter has registered them and, unless
// NEWSDIGEST_DISCORD_HTTP_ONLY is set, identified on the gateway.
func startDiscord(t *testing.T, c *cli, env map[string]string, wrap func(store.Store) store.Store) (*served, *discordtest.Server) {
	t.Helper()
	// discordgo's heartbeat can race its own Close with the fake's fast
	// default interval (see bot/discord's test helpers); Discord's is 41s.
	srv := discordtest.New(discordtest.Options{HeartbeatInterval: time.Minute})
	t.Cleanup(srv.Close) // after serve has stopped: cleanups run last first
	all := map[string]string{
		"DISCORD_BOT_TOKEN":        srv.Token(),
		"NEWSDIGEST_DISCORD_API":   srv.URL() + "/api/v9",
		"NEWSDIGEST_DISCORD_GUILD": srv.GuildID(),
	}
	maps.Copy(all, env)
	s := startServe(t, c, serveOptions{env: all, wrap: wrap, secrets: []string{srv.Token(), discordInteractionTokenPrefix}})
	httpOnly := all["NEWSDIGEST_DISCORD_HTTP_ONLY"] == "true"
	ready := func() bool {
		ids := srv.Identifies()
		return len(srv.Overwrites()) > 0 && (httpOnly || len(ids) > 0 && ids[len(ids)-1].CloseCode == 0)
	}
	if !srv.WaitFor(10*time.Second, ready) {
		t.Fatalf("the Discord adapter did not start: %d command overwrites, %d identifies", len(srv.Overwrites()), len(srv.Identifies()))
	}
	return s, srv
}

// discordAnswer waits for the deferred acknowledgement of an interaction
// and for the answer that replaces it, then for any followups to stop
// coming; it returns the callback and the answer's messages in order.
func discordAnswer(t *testing.T, it *discordtest.Interaction, timeout time.Duration) (discordtest.Callback, []discordtest.Message) {
	t.Helper()
	cb, err := it.WaitCallback(timeout)
	if err != nil {
		t.Fatal(err)
	}
	if cb.Type != discordtest.CallbackDeferredMessage {
		t.Fatalf("/%s acknowledged with callback type %d, want deferred (5)", it.CommandName, cb.Type)
	}
	m, err := it.WaitOriginal(timeout, func(m discordtest.Message) bool { return m.Flags&discordtest.FlagLoading == 0 })
	if err != nil {
		t.Fatal(err)
	}
	// Followups go out back to back after the edit; a second without one
	// means the answer is complete.
	n, quiet := len(it.Followups()), time.Now()
	for time.Since(quiet) < time.Second {
		time.Sleep(50 * time.Millisecond)
		if k := len(it.Followups()); k != n {
			n, quiet = k, time.Now()
		}
	}
	return cb, append([]discordtest.Message{m}, it.Followups()...)
}

// checkDiscordMessage fails unless m is within Discord's limits and can
// ping nobody: render's own check on what the fake stored, and the
// allowed_mentions the bot sent.
func checkDiscordMessage(t *testing.T, m discordtest.Message) {
	t.Helper()
	raw, err := json.Marshal(struct {
		Content string              `json:"content"`
		Embeds  []discordtest.Embed `json:"embeds"`
	}{m.Content, m.Embeds})
	if err != nil {
		t.Fatal(err)
	}
	var rm render.DiscordMessage
	if err := json.Unmarshal(raw, &rm); err != nil {
		t.Fatal(err)
	}
	if err := render.CheckDiscordMessage(rm); err != nil {
		t.Errorf("message %s: %v", m.ID, err)
	}
	if m.AllowedMentions == nil || len(m.AllowedMentions.Parse) != 0 {
		t.Errorf("message %s: allowed_mentions %+v, want an empty parse list", m.ID, m.AllowedMentions)
	}
	if m.MentionEveryone || len(m.Mentions) != 0 || len(m.MentionRoles) != 0 {
		t.Errorf("message %s mentions someone: everyone %v, users %v, roles %v", m.ID, m.MentionEveryone, m.Mentions, m.MentionRoles)
	}
}

// discordText is everything a reader sees in the messages.
func discordText(msgs []discordtest.Message) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString(m.Content + "\n")
		for _, e := range m.Embeds {
			b.WriteString(e.Title + "\n" + e.Description + "\n")
			for _, f := range e.Fields {
				b.WriteString(f.Name + "\n" + f.Value + "\n")
			}
		}
	}
	return b.String()
}

// checkNoRefusals fails for every REST request the fake refused, other
// than a 429 (which discordgo waits out) and the Discord error codes in
// expected.
func checkNoRefusals(t *testing.T, srv *discordtest.Server, expected ...int) {
	t.Helper()
	for _, r := range srv.Requests() {
		if r.Status >= 400 && r.Status != http.StatusTooManyRequests && !slices.Contains(expected, r.Code) {
			t.Errorf("%s %s answered %d (code %d)", r.Method, r.Route, r.Status, r.Code)
		}
	}
}

func TestServeDiscordDigestInGuildChannel(t *testing.T) {
	c := newExamplesCLI(t)
	putNewsArticles(t, c)
	s, srv := startDiscord(t, c, map[string]string{"NEWSDIGEST_DIGEST_STORIES": "25"}, nil)

	it, err := srv.Interact(discordtest.InteractionSpec{Name: "digest"})
	if err != nil {
		t.Fatal(err)
	}
	cb, msgs := discordAnswer(t, it, 10*time.Second)
	if took := cb.At.Sub(it.Created); took > time.Second {
		t.Errorf("acknowledged %v after the interaction", took)
	}
	if cb.Flags&discordtest.FlagEphemeral != 0 {
		t.Errorf("/digest deferred privately (flags %d); everyone in the channel should see it", cb.Flags)
	}
	embeds := 0
	for _, m := range msgs {
		checkDiscordMessage(t, m)
		embeds += len(m.Embeds)
		if m.Flags&discordtest.FlagEphemeral != 0 {
			t.Errorf("message %s is private", m.ID)
		}
	}
	// 20 stories do not fit one message's 10 embeds and 6000 characters.
	if len(msgs) < 2 || embeds < 16 {
		t.Errorf("the digest came as %d messages with %d embeds; want it split over several", len(msgs), embeds)
	}
	text := strings.ToLower(discordText(msgs))
	for _, want := range []string{"glacier", "chess prodigy", "roman mosaic", "harbour bridge"} {
		if !strings.Contains(text, want) {
			t.Errorf("the digest does not show %q:\n%s", want, text)
		}
	}
	checkNoRefusals(t, srv)
	if got := s.metric("newsdigest_commands_total", `platform="discord"`, `command="digest"`, `outcome="ok"`); got != 1 {
		t.Errorf("/metrics: newsdigest_commands_total for /digest on Discord = %v, want 1", got)
	}
}

// slowArticles makes the store answer Articles (what a digest reads) only
// after a delay, like a database under load.
type slowArticles struct {
	store.Store
	delay time.Duration
}

func (s slowArticles) Articles(ctx context.Context, q store.ArticleQuery) ([]*store.Article, error) {
	select {
	case <-time.After(s.delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return s.Store.Articles(ctx, q)
}

func TestServeDiscordSlowStoreStillAcknowledgedInTime(t *testing.T) {
	const delay = 4 * time.Second // past Discord's 3-second deadline
	c := newExamplesCLI(t)
	_, srv := startDiscord(t, c, nil, func(st store.Store) store.Store { return slowArticles{Store: st, delay: delay} })

	it, err := srv.Interact(discordtest.InteractionSpec{Name: "digest"})
	if err != nil {
		t.Fatal(err)
	}
	// The fake takes no first callback after 3 seconds, as Discord.
	cb, msgs := discordAnswer(t, it, 15*time.Second)
	if took := cb.At.Sub(it.Created); took >= 3*time.Second {
		t.Errorf("acknowledged %v after the interaction, past the 3s deadline", took)
	}
	answered := msgs[0].Timestamp
	if msgs[0].EditedTimestamp != nil {
		answered = *msgs[0].EditedTimestamp
	}
	if took := answered.Sub(it.Created); took < delay-500*time.Millisecond {
		t.Errorf("answered %v after the interaction: the store was not slow, the test tests nothing", took)
	}
	if !strings.Contains(strings.ToLower(discordText(msgs)), "harbour bridge") {
		t.Errorf("the slow answer is not the digest:\n%s", discordText(msgs))
	}
	for _, m := range msgs {
		checkDiscordMessage(t, m)
	}
	checkNoRefusals(t, srv)
}

// signed is an interactions-endpoint request signed with key at time at,
// as Discord signs it: Ed25519 over the timestamp and the body.
func signed(t *testing.T, url string, key ed25519.PrivateKey, body []byte, at time.Time) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	ts := strconv.FormatInt(at.Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-Timestamp", ts)
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(ts), body...))))
	return req
}

func do(t *testing.T, req *http.Request) (int, []byte) {
	t.Helper()
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// discordListener opens a plain discordgo session on the fake: the fake
// hands out interactions only while a gateway session is connected, and
// an HTTP-only serve has none.
func discordListener(t *testing.T, srv *discordtest.Server) {
	t.Helper()
	dg, err := discordgo.New(srv.BotToken())
	if err != nil {
		t.Fatal(err)
	}
	dg.Client = srv.Client()
	if err := dg.Open(); err != nil {
		t.Fatalf("open a gateway session on the fake: %v", err)
	}
	t.Cleanup(func() {
		dg.Lock()
		dg.ShouldReconnectOnError = false
		dg.Unlock()
		dg.Close()
	})
}

func TestServeDiscordInteractionsEndpoint(t *testing.T) {
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, stranger, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	c := newExamplesCLI(t)
	s, srv := startDiscord(t, c, map[string]string{
		"NEWSDIGEST_DISCORD_PUBLIC_KEY": hex.EncodeToString(pub),
		"NEWSDIGEST_DISCORD_HTTP_ONLY":  "true",
	}, nil)
	if n := len(srv.Identifies()); n != 0 {
		t.Errorf("HTTP-only serve identified %d times on the gateway", n)
	}
	endpoint := "http://" + s.listen + "/discord/interactions"
	now := time.Now()
	ping := []byte(fmt.Sprintf(`{"id":"1234567890","application_id":"%s","type":1,"token":"tok","version":1}`, srv.AppID()))

	tests := []struct {
		name   string
		req    *http.Request
		status int
		body   string
	}{
		{"ping", signed(t, endpoint, key, ping, now), http.StatusOK, `{"type":1}`},
		{"signed by another key", signed(t, endpoint, stranger, ping, now), http.StatusUnauthorized, ""},
		{"body changed after signing", func() *http.Request {
			r := signed(t, endpoint, key, ping, now)
			tampered := bytes.Replace(ping, []byte(`"type":1`), []byte(`"type":2`), 1)
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(tampered)), int64(len(tampered))
			return r
		}(), http.StatusUnauthorized, ""},
		{"six minutes old", signed(t, endpoint, key, ping, now.Add(-6*time.Minute)), http.StatusUnauthorized, ""},
		{"six minutes ahead", signed(t, endpoint, key, ping, now.Add(6*time.Minute)), http.StatusUnauthorized, ""},
		{"unsigned", func() *http.Request {
			r := signed(t, endpoint, key, ping, now)
			r.Header.Del("X-Signature-Ed25519")
			r.Header.Del("X-Signature-Timestamp")
			return r
		}(), http.StatusUnauthorized, ""},
		{"four minutes old", signed(t, endpoint, key, ping, now.Add(-4*time.Minute)), http.StatusOK, `{"type":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := do(t, tt.req)
			if status != tt.status {
				t.Fatalf("status %d (%s), want %d", status, body, tt.status)
			}
			if tt.body != "" && strings.TrimSpace(string(body)) != tt.body {
				t.Errorf("body %s, want %s", body, tt.body)
			}
		})
	}

	t.Run("command", func(t *testing.T) {
		discordListener(t, srv)
		it, err := srv.Interact(discordtest.InteractionSpec{Name: "help"})
		if err != nil {
			t.Fatal(err)
		}
		status, body := do(t, signed(t, endpoint, key, it.Payload, time.Now()))
		var resp struct {
			Type int `json:"type"`
			Data struct {
				Flags int `json:"flags"`
			} `json:"data"`
		}
		if status != http.StatusOK || json.Unmarshal(body, &resp) != nil || resp.Type != discordtest.CallbackDeferredMessage || resp.Data.Flags&discordtest.FlagEphemeral == 0 {
			t.Fatalf("answer %d %s, want a private deferred response", status, body)
		}
		// Discord takes the HTTP response as the interaction's callback.
		relay, err := http.NewRequest(http.MethodPost, "https://discord.com/api/v10/interactions/"+it.ID+"/"+it.Token+"/callback", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		relay.Header.Set("Content-Type", "application/json")
		rr, err := srv.Client().Do(relay)
		if err != nil {
			t.Fatal(err)
		}
		rr.Body.Close()
		if rr.StatusCode != http.StatusNoContent {
			t.Fatalf("relaying the response to the fake: %s", rr.Status)
		}
		_, msgs := discordAnswer(t, it, 5*time.Second)
		if !strings.Contains(msgs[0].Content, "/digest") || msgs[0].Flags&discordtest.FlagEphemeral == 0 {
			t.Errorf("answer %q (flags %d), want the private help", msgs[0].Content, msgs[0].Flags)
		}
		for _, m := range msgs {
			checkDiscordMessage(t, m)
		}
		if got := s.metric("newsdigest_commands_total", `platform="discord"`, `command="help"`, `outcome="ok"`); got != 1 {
			t.Errorf("/metrics: newsdigest_commands_total for /help on Discord = %v, want 1", got)
		}
	})
	// The edit may reach the fake before this test has relayed the
	// callback (Discord, too, can be slower to take the HTTP response than
	// the bot is to edit it): Unknown Webhook, which the adapter retries.
	checkNoRefusals(t, srv, 10015)
}
