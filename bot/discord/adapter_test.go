package discord

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsdigest/newsdigest/bot"
	"github.com/newsdigest/newsdigest/bot/discord/discordtest"
	"github.com/newsdigest/newsdigest/store"
)

func TestCommandsRegisteredWithPermissions(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	if ow := e.srv.Overwrites(); len(ow) != 1 || ow[0].GuildID != e.srv.GuildID() {
		t.Fatalf("overwrites = %+v, want one for the configured guild", ow)
	}
	if global := e.srv.Commands(""); len(global) != 0 {
		t.Errorf("%d global commands, want none with a guild configured", len(global))
	}
	cmds := e.srv.Commands(e.srv.GuildID())
	specs := bot.Specs()
	if len(cmds) != len(specs) {
		t.Fatalf("%d commands registered, want %d", len(cmds), len(specs))
	}
	for _, s := range specs {
		i := slices.IndexFunc(cmds, func(c discordtest.Command) bool { return c.Name == s.Name })
		if i < 0 {
			t.Errorf("/%s not registered", s.Name)
			continue
		}
		c := cmds[i]
		wantPerm := s.Admin || s.Name == "sources"
		switch {
		case wantPerm && (c.DefaultMemberPermissions == nil || *c.DefaultMemberPermissions != "32"):
			t.Errorf("/%s default_member_permissions = %v, want Manage Server (32)", s.Name, c.DefaultMemberPermissions)
		case !wantPerm && c.DefaultMemberPermissions != nil:
			t.Errorf("/%s default_member_permissions = %s, want everyone", s.Name, *c.DefaultMemberPermissions)
		}
		if c.Description != s.Summary {
			t.Errorf("/%s description %q, want %q", s.Name, c.Description, s.Summary)
		}
		if len(c.Options) != len(s.Options) {
			t.Errorf("/%s has %d options, want %d", s.Name, len(c.Options), len(s.Options))
			continue
		}
		for _, o := range s.Options {
			j := slices.IndexFunc(c.Options, func(co discordtest.CommandOption) bool { return co.Name == o.Name })
			if j < 0 {
				t.Errorf("/%s option %s missing", s.Name, o.Name)
				continue
			}
			co := c.Options[j]
			if co.Type != discordtest.OptionString || co.Required != o.Required {
				t.Errorf("/%s %s: type %d required %v", s.Name, o.Name, co.Type, co.Required)
			}
			var choices []string
			for _, ch := range co.Choices {
				choices = append(choices, fmt.Sprint(ch.Value))
			}
			if !slices.Equal(choices, o.Choices) {
				t.Errorf("/%s %s choices %v, want %v", s.Name, o.Name, choices, o.Choices)
			}
			_, auto := autocompleted[s.Name+"/"+o.Name]
			if co.Autocomplete != auto {
				t.Errorf("/%s %s autocomplete %v, want %v", s.Name, o.Name, co.Autocomplete, auto)
			}
		}
	}
	for _, want := range []string{"subscribe/timezone", "help/command"} {
		if _, ok := autocompleted[want]; !ok {
			t.Errorf("%s is not autocompleted", want)
		}
	}

	ids := e.srv.Identifies()
	if len(ids) != 1 || ids[0].Intents != int(discordgo.IntentsGuilds) || ids[0].Shard != nil {
		t.Errorf("identify = %+v, want intents GUILDS only and no shard", ids)
	}
}

func TestShardPassedToGateway(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{config: func(c *Config, _ *discordtest.Server) { c.ShardID, c.ShardCount = 1, 2 }})
	ids := e.srv.Identifies()
	if len(ids) != 1 || ids[0].Shard == nil || *ids[0].Shard != [2]int{1, 2} {
		t.Fatalf("identify = %+v, want shard [1, 2]", ids)
	}
}

func TestHelpIsDeferredThenEditedPrivately(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	tests := []struct {
		name string
		opts []discordtest.Option
		want []string
	}{
		{"all commands", nil, []string{"newsdigest posts short news digests", "/digest \\[topic\\] \\[since\\]", "/subscribe"}},
		{"one command", []discordtest.Option{{Name: "command", Value: "subscribe"}}, []string{"weekdays 07:30 Europe/Berlin", "cron 0 8 \\* \\* 1\\-5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := e.interact(t, discordtest.InteractionSpec{Name: "help", Options: tt.opts})
			cb, m := answered(t, it, 3*time.Second)
			if cb.Flags&discordtest.FlagEphemeral == 0 || m.Flags&discordtest.FlagEphemeral == 0 {
				t.Errorf("help not private: callback flags %d, message flags %d", cb.Flags, m.Flags)
			}
			if cb.At.Sub(it.Created) > time.Second {
				t.Errorf("deferred after %v", cb.At.Sub(it.Created))
			}
			for _, w := range tt.want {
				if !strings.Contains(m.Content, w) {
					t.Errorf("help lacks %q:\n%s", w, m.Content)
				}
			}
			checkNoMentions(t, m)
			if len(it.Followups()) != 0 {
				t.Errorf("%d followups, want the answer in one message", len(it.Followups()))
			}
		})
	}
}

func TestDigestInGuildChannel(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	putArticles(t, e.store, 4)
	it := e.interact(t, discordtest.InteractionSpec{Name: "digest"})
	cb, m := answered(t, it, 10*time.Second)
	if cb.Flags&discordtest.FlagEphemeral != 0 || m.Flags&discordtest.FlagEphemeral != 0 {
		t.Errorf("digest is private: callback flags %d, message flags %d", cb.Flags, m.Flags)
	}
	msgs := append([]discordtest.Message{m}, it.Followups()...)
	embeds := 0
	for _, msg := range msgs {
		checkNoMentions(t, msg)
		embeds += len(msg.Embeds)
		if msg.Flags&discordtest.FlagEphemeral != 0 {
			t.Errorf("followup %s is private", msg.ID)
		}
	}
	if embeds == 0 {
		t.Fatalf("digest has no embeds: %+v", msgs)
	}
	var all strings.Builder
	for _, msg := range msgs {
		all.WriteString(msg.Content)
		for _, em := range msg.Embeds {
			all.WriteString(em.Title + em.Description)
			for _, f := range em.Fields {
				all.WriteString(f.Name + f.Value)
			}
		}
	}
	if !strings.Contains(all.String(), "tram") {
		t.Errorf("digest does not show the stored stories:\n%s", all.String())
	}
}

// slowStore answers Articles only after a delay, like a loaded database.
type slowStore struct {
	bot.Store
	delay time.Duration
}

func (s slowStore) Articles(ctx context.Context, q store.ArticleQuery) ([]*store.Article, error) {
	select {
	case <-time.After(s.delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return s.Store.Articles(ctx, q)
}

func TestSlowCommandStillAcknowledgedInTime(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{wrap: func(s bot.Store) bot.Store { return slowStore{Store: s, delay: 4 * time.Second} }})
	putArticles(t, e.store, 2)
	it := e.interact(t, discordtest.InteractionSpec{Name: "digest"})
	cb, err := it.WaitCallback(3 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if took := cb.At.Sub(it.Created); took > time.Second {
		t.Errorf("acknowledged after %v", took)
	}
	start := time.Now()
	m, err := it.WaitOriginal(15*time.Second, func(m discordtest.Message) bool { return m.Flags&discordtest.FlagLoading == 0 })
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) < 2*time.Second || len(m.Embeds) == 0 && m.Content == "" {
		t.Errorf("edit came %v after the callback with %q and %d embeds; want the slow digest", time.Since(start), m.Content, len(m.Embeds))
	}
	for _, r := range e.srv.Requests() {
		if r.Code == codeUnknownInteraction || r.Code == codeUnknownWebhook {
			t.Errorf("%s %s answered %d", r.Method, r.Route, r.Code)
		}
	}
}

func TestManagementCommandsCheckPermissions(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	tests := []struct {
		name   string
		perms  int64
		feed   string
		want   string
		stored bool
	}{
		{"member", discordtest.DefaultMemberPerms, "https://feeds.example.com/a.xml", "only administrators", false},
		{"manage server", discordtest.DefaultMemberPerms | discordtest.PermManageGuild, "https://feeds.example.com/b.xml", "Added source", true},
		{"administrator", discordtest.DefaultMemberPerms | discordtest.PermAdministrator, "https://feeds.example.com/c.xml", "Added source", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := e.interact(t, discordtest.InteractionSpec{
				Name:              "sources",
				Options:           []discordtest.Option{{Name: "action", Value: "add"}, {Name: "target", Value: tt.feed}},
				Permissions:       discordtest.Perms(tt.perms),
				IgnorePermissions: true, // the bot's own check, not Discord's
			})
			cb, m := answered(t, it, 3*time.Second)
			if cb.Flags&discordtest.FlagEphemeral == 0 {
				t.Errorf("/sources answer is public (flags %d)", cb.Flags)
			}
			if !strings.Contains(m.Content, tt.want) {
				t.Errorf("reply %q, want %q", m.Content, tt.want)
			}
			_, err := e.store.SourceByURL(context.Background(), tt.feed)
			if stored := err == nil; stored != tt.stored {
				t.Errorf("source stored = %v (%v), want %v", stored, err, tt.stored)
			}
		})
	}
}

func TestDirectMessagesArePrivateChats(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{global: true})
	it := e.interact(t, discordtest.InteractionSpec{Name: "subscribe", DM: true,
		Options: []discordtest.Option{{Name: "schedule", Value: "daily 07:30"}, {Name: "timezone", Value: "Europe/Berlin"}}})
	_, m := answered(t, it, 3*time.Second)
	if !strings.Contains(m.Content, "Subscribed") {
		t.Fatalf("reply %q, want a subscription (a DM needs no administrator)", m.Content)
	}
	c, err := e.store.Channel(context.Background(), store.Discord, it.ChannelID)
	if err != nil {
		t.Fatalf("channel not saved: %v", err)
	}
	if c.Schedule == "" || c.TimeZone != "Europe/Berlin" {
		t.Errorf("saved channel = %+v", c)
	}
}

func TestPublicCommandErrorsArePrivate(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	it := e.interact(t, discordtest.InteractionSpec{Name: "story", Options: []discordtest.Option{{Name: "id", Value: "<@123>nope"}}})
	cb, err := it.WaitCallback(3 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if cb.Flags&discordtest.FlagEphemeral != 0 {
		t.Fatalf("/story deferred privately; it is a public command")
	}
	fs, err := it.WaitFollowups(1, 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if fs[0].Flags&discordtest.FlagEphemeral == 0 || !strings.Contains(fs[0].Content, "not a story id") {
		t.Errorf("error reply = %q flags %d, want a private error", fs[0].Content, fs[0].Flags)
	}
	checkNoMentions(t, fs[0])
	if !e.srv.WaitFor(2*time.Second, func() bool { _, ok := it.Original(); return !ok }) {
		t.Errorf("the public placeholder was not removed")
	}
}

func TestAutocomplete(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	tests := []struct {
		command, option, typed string
		want                   string
		wantN                  int // 0: any number up to 25
	}{
		{"subscribe", "timezone", "Europe/Ber", "Europe/Berlin", 0},
		{"subscribe", "timezone", "berl", "Europe/Berlin", 0},
		{"subscribe", "timezone", "new york", "America/New_York", 0},
		{"subscribe", "timezone", "", "UTC", 25},
		{"subscribe", "timezone", "america/", "America/Adak", 25},
		{"subscribe", "timezone", "zz-nothing", "", -1},
		{"help", "command", "su", "subscribe", 0},
		{"help", "command", "", "digest", len(bot.Specs())},
	}
	for _, tt := range tests {
		t.Run(tt.command+"/"+tt.typed, func(t *testing.T) {
			it := e.interact(t, discordtest.InteractionSpec{Type: discordtest.InteractionAutocomplete, Name: tt.command,
				Options:     []discordtest.Option{{Name: tt.option, Value: tt.typed, Focused: true}},
				Permissions: discordtest.Perms(discordtest.DefaultMemberPerms | discordtest.PermManageGuild)})
			cb, err := it.WaitCallback(3 * time.Second)
			if err != nil {
				t.Fatal(err)
			}
			var values []string
			for _, c := range cb.Choices {
				values = append(values, fmt.Sprint(c.Value))
			}
			switch {
			case tt.wantN == -1 && len(values) != 0:
				t.Errorf("choices %v, want none", values)
			case tt.wantN > 0 && len(values) != tt.wantN:
				t.Errorf("%d choices, want %d", len(values), tt.wantN)
			case tt.want != "" && !slices.Contains(values, tt.want):
				t.Errorf("choices %v lack %s", values, tt.want)
			}
		})
	}
}

func TestPanicInHandlerIsRecovered(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{beforeAnswer: func(r bot.Request) {
		if r.Command == "status" {
			panic("handler exploded")
		}
	}})
	it := e.interact(t, discordtest.InteractionSpec{Name: "status"})
	_, m := answered(t, it, 3*time.Second)
	if !strings.Contains(m.Content, "Something went wrong") {
		t.Errorf("after a panic the user got %q", m.Content)
	}
	if logs := e.logs.String(); !strings.Contains(logs, "panic recovered") || !strings.Contains(logs, "handler exploded") {
		t.Errorf("panic not logged:\n%s", logs)
	}
	// The process and the session are alive: the next command works.
	_, m = answered(t, e.interact(t, discordtest.InteractionSpec{Name: "help"}), 3*time.Second)
	if !strings.Contains(m.Content, "/digest") {
		t.Errorf("after the panic /help answered %q", m.Content)
	}
}

func TestReconnectResumes(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	// Op 7 before discordgo's heartbeat goroutine has sent its first
	// heartbeat starts discordgo's reconnect loop (see gateway.go); that
	// has its own test.
	if !e.srv.WaitFor(2*time.Second, func() bool { return len(e.srv.Heartbeats()) > 0 }) {
		t.Fatal("no heartbeat")
	}
	if n := e.srv.Reconnect(); n != 1 {
		t.Fatalf("op 7 sent to %d connections, want 1", n)
	}
	if !e.srv.WaitFor(6*time.Second, func() bool {
		rs := e.srv.Resumes()
		return len(rs) == 1 && rs[0].OK && e.srv.Connections() == 1
	}) {
		t.Fatalf("no resume after op 7: resumes %+v", e.srv.Resumes())
	}
	_, m := answered(t, e.interact(t, discordtest.InteractionSpec{Name: "help"}), 3*time.Second)
	if !strings.Contains(m.Content, "/digest") {
		t.Errorf("after resuming /help answered %q", m.Content)
	}
	if n := len(e.srv.Identifies()); n != 1 {
		t.Errorf("%d identifies, want 1 (a resume, not a new session)", n)
	}
}

func TestRESTProxyBase(t *testing.T) {
	t.Parallel()
	var proxied atomic.Int64
	e := start(t, envOptions{config: func(c *Config, srv *discordtest.Server) {
		target, err := url.Parse(srv.URL())
		if err != nil {
			t.Fatal(err)
		}
		// A REST proxy on another address, under its own path prefix.
		proxy := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
			proxied.Add(1)
			r.SetURL(target)
			r.Out.URL.Path = strings.TrimPrefix(r.In.URL.Path, "/discord-proxy")
			r.Out.URL.RawPath = strings.TrimPrefix(r.In.URL.RawPath, "/discord-proxy")
		}})
		t.Cleanup(proxy.Close)
		c.APIBase = proxy.URL + "/discord-proxy/api/v10"
		c.HTTPClient = &http.Client{Timeout: 20 * time.Second} // no fake transport
	}})
	_, m := answered(t, e.interact(t, discordtest.InteractionSpec{Name: "help"}), 3*time.Second)
	if !strings.Contains(m.Content, "/digest") {
		t.Errorf("/help through the proxy answered %q", m.Content)
	}
	reqs := e.srv.Requests()
	if int(proxied.Load()) != len(reqs) || len(reqs) < 3 {
		t.Errorf("proxy saw %d requests, the fake %d", proxied.Load(), len(reqs))
	}
	for _, r := range reqs {
		if r.Version != "10" {
			t.Errorf("%s %s went to API v%s, want the configured v10", r.Method, r.Path, r.Version)
		}
	}
	if discordgo.EndpointAPI != "https://discord.com/api/v"+discordgo.APIVersion+"/" {
		t.Errorf("discordgo.EndpointAPI changed to %s", discordgo.EndpointAPI)
	}
}

func TestConfigRefusesBadValues(t *testing.T) {
	t.Parallel()
	b := &bot.Bot{}
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no token", Config{}, "no bot token"},
		{"token with space", Config{Token: "Bot a b"}, "white space"},
		{"bad app id", Config{Token: "t", AppID: "12/../x"}, "application id"},
		{"bad guild id", Config{Token: "t", GuildID: "abc"}, "guild id"},
		{"bad api base", Config{Token: "t", APIBase: "ftp://x"}, "API base"},
		{"api base with query", Config{Token: "t", APIBase: "https://p.example/api/v9?x=1"}, "API base"},
		{"bad public key", Config{Token: "t", PublicKey: "xyz"}, "public key"},
		{"http without key", Config{Token: "t", HTTPOnly: true}, "public key"},
		{"shard out of range", Config{Token: "t", ShardID: 2, ShardCount: 2}, "shard"},
		{"shard without count", Config{Token: "t", ShardID: 1}, "shard"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg, b)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New = %v, want an error about %q", err, tt.want)
			}
		})
	}
	if _, err := New(Config{Token: "t"}, nil); err == nil {
		t.Error("New without a bot succeeded")
	}
	if _, err := New(Config{Token: "Bot secret", APIBase: "http://127.0.0.1:1/api/v10/", ShardID: 1, ShardCount: 4}, b); err != nil {
		t.Errorf("good config refused: %v", err)
	}
}
