package discordtest_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/newsdigest/newsdigest/bot/discord/discordtest"
)

// These tests drive the fake with the real discordgo.Session; only
// Session.Client is replaced.

func TestDiscordgoOpen(t *testing.T) {
	t.Parallel()
	srv := startFake(t, discordtest.Options{HeartbeatInterval: 50 * time.Millisecond})
	dg := restSession(t, srv)
	ready := make(chan *discordgo.Ready, 1)
	dg.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { ready <- r })
	if err := dg.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { closeSession(dg) })

	select {
	case r := <-ready:
		if r.User.ID != srv.AppID() || !r.User.Bot || r.SessionID == "" || r.Application.ID != srv.AppID() {
			t.Errorf("READY = user %+v session %q app %+v", r.User, r.SessionID, r.Application)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no READY")
	}
	ids := srv.Identifies()
	if len(ids) != 1 {
		t.Fatalf("identifies = %d, want 1", len(ids))
	}
	id := ids[0]
	if id.CloseCode != 0 || id.Intents != int(discordgo.IntentsAllWithoutPrivileged) || !id.Compress || id.Token != srv.BotToken() {
		t.Errorf("identify = %+v", id)
	}

	// GUILD_CREATE arrives zlib-compressed (Identify.compress) and fills the state.
	guildID := srv.GuildID()
	inState := func() bool {
		g, err := dg.State.Guild(guildID)
		if err != nil {
			return false
		}
		dg.State.RLock()
		defer dg.State.RUnlock()
		return len(g.Channels) == 1
	}
	if !srv.WaitFor(2*time.Second, inState) {
		t.Fatalf("guild %s never reached discordgo's state", guildID)
	}

	// Heartbeats are acknowledged: discordgo records the ACK times.
	if !srv.WaitFor(2*time.Second, func() bool { return len(srv.Heartbeats()) >= 3 }) {
		t.Fatalf("heartbeats = %d, want >= 3", len(srv.Heartbeats()))
	}
	hb := srv.Heartbeats()
	dg.RLock()
	ack := dg.LastHeartbeatAck
	dg.RUnlock()
	if ack.Before(hb[1].At) {
		t.Errorf("LastHeartbeatAck %v before the second heartbeat %v was acknowledged", ack, hb[1].At)
	}
	if last := hb[len(hb)-1]; last.Seq == nil || *last.Seq < 2 || last.SessionID == "" {
		t.Errorf("last heartbeat = %+v, want the last dispatch's seq", last)
	}
}

func TestDiscordgoIdentifyRejected(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		opts  discordtest.Options
		setup func(dg *discordgo.Session)
		code  int
	}{
		{"privileged intent not granted", discordtest.Options{}, func(dg *discordgo.Session) { dg.Identify.Intents |= discordgo.IntentMessageContent }, 4014},
		{"wrong token", discordtest.Options{}, func(dg *discordgo.Session) { dg.Identify.Token = "Bot wrong" }, 4004},
		{"invalid intent bit", discordtest.Options{}, func(dg *discordgo.Session) { dg.Identify.Intents = 1 << 30 }, 4013},
		{"granted privileged intent", discordtest.Options{PrivilegedIntents: int(discordgo.IntentMessageContent)}, func(dg *discordgo.Session) { dg.Identify.Intents |= discordgo.IntentMessageContent }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := startFake(t, tt.opts)
			dg := restSession(t, srv)
			dg.ShouldReconnectOnError = false
			tt.setup(dg)
			err := dg.Open()
			if tt.code == 0 {
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				closeSession(dg)
				return
			}
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != tt.code {
				t.Fatalf("Open error = %v, want close %d", err, tt.code)
			}
			if ids := srv.Identifies(); len(ids) != 1 || ids[0].CloseCode != tt.code {
				t.Errorf("identifies = %+v", ids)
			}
		})
	}
}

func TestDiscordgoInteractions(t *testing.T) {
	t.Parallel()
	// Generous enough for a loaded machine; the late cases sleep past them.
	const deadline, ttl = time.Second, 2500 * time.Millisecond
	srv := startFake(t, discordtest.Options{InteractionDeadline: deadline, InteractionTokenTTL: ttl})
	dg, got := openSession(t, srv)
	if _, err := dg.ApplicationCommandBulkOverwrite(srv.AppID(), srv.GuildID(), digestCommands()); err != nil {
		t.Fatalf("register commands: %v", err)
	}
	digest := discordtest.InteractionSpec{Name: "digest", Options: []discordtest.Option{{Name: "topic", Value: "climate"}, {Name: "stories", Value: 3}}}
	message := func(content string) *discordgo.InteractionResponse {
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: &discordgo.InteractionResponseData{Content: content}}
	}

	tests := []struct {
		name string
		spec discordtest.InteractionSpec
		run  func(t *testing.T, it *discordtest.Interaction, in *discordgo.InteractionCreate)
	}{
		{"respond once, second gets 40060", digest, func(t *testing.T, it *discordtest.Interaction, in *discordgo.InteractionCreate) {
			data := in.ApplicationCommandData()
			if in.ID != it.ID || in.Type != discordgo.InteractionApplicationCommand || data.Name != "digest" || in.GuildID != srv.GuildID() || in.ChannelID != srv.ChannelID() {
				t.Fatalf("interaction = %+v", in.Interaction)
			}
			if data.Options[0].StringValue() != "climate" || data.Options[1].IntValue() != 3 {
				t.Errorf("options = %v %v", data.Options[0].Value, data.Options[1].Value)
			}
			if in.Member == nil || in.Member.User.ID != srv.DefaultUser().ID || in.Member.Permissions != discordtest.DefaultMemberPerms || in.Version != 1 || in.Token == "" {
				t.Errorf("member/token = %+v %q", in.Member, in.Token)
			}
			if err := dg.InteractionRespond(in.Interaction, message("Top stories on climate")); err != nil {
				t.Fatalf("respond: %v", err)
			}
			restError(t, dg.InteractionRespond(in.Interaction, message("again")), 400, 40060)
			cb, err := it.WaitCallback(time.Second)
			if err != nil || cb.Type != discordtest.CallbackMessage || cb.Message == nil || cb.Message.Content != "Top stories on climate" {
				t.Fatalf("callback = %+v, %v", cb, err)
			}
			if n := len(it.Callbacks()); n != 1 {
				t.Errorf("callbacks = %d, want 1", n)
			}
			orig, err := dg.InteractionResponse(in.Interaction)
			if err != nil || orig.Content != "Top stories on climate" || orig.Type != discordgo.MessageTypeChatInputCommand {
				t.Errorf("GET @original = %+v, %v", orig, err)
			}
		}},
		{"late respond gets 10062", digest, func(t *testing.T, it *discordtest.Interaction, in *discordgo.InteractionCreate) {
			time.Sleep(deadline + 100*time.Millisecond)
			restError(t, dg.InteractionRespond(in.Interaction, message("too late")), 404, 10062)
			if len(it.Callbacks()) != 0 {
				t.Error("late callback was recorded")
			}
			// The token never became usable: no followup either.
			_, err := dg.FollowupMessageCreate(in.Interaction, true, &discordgo.WebhookParams{Content: "late"})
			restError(t, err, 404, 10015)
		}},
		{"defer, edit original, followup", digest, func(t *testing.T, it *discordtest.Interaction, in *discordgo.InteractionCreate) {
			err := dg.InteractionRespond(in.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral},
			})
			if err != nil {
				t.Fatalf("defer: %v", err)
			}
			if m, ok := it.Original(); !ok || m.Flags != discordtest.FlagLoading|discordtest.FlagEphemeral {
				t.Fatalf("deferred original = %+v", m)
			}
			edited, err := dg.InteractionResponseEdit(in.Interaction, &discordgo.WebhookEdit{
				Content: ptr("Digest ready"),
				Embeds:  &[]*discordgo.MessageEmbed{{Title: "Floods in the north", Description: "Two-sentence summary.", Fields: []*discordgo.MessageEmbedField{{Name: "Quote", Value: "\"We were not warned.\""}}}},
			})
			if err != nil {
				t.Fatalf("edit original: %v", err)
			}
			if edited.Content != "Digest ready" || len(edited.Embeds) != 1 || edited.Embeds[0].Fields[0].Name != "Quote" || edited.EditedTimestamp == nil {
				t.Errorf("edited = %+v", edited)
			}
			m, err := it.WaitOriginal(time.Second, func(m discordtest.Message) bool { return m.Flags&discordtest.FlagLoading == 0 })
			if err != nil || m.Edits != 1 || m.Flags != discordtest.FlagEphemeral {
				t.Errorf("original = %+v, %v", m, err)
			}
			_, err = dg.InteractionResponseEdit(in.Interaction, &discordgo.WebhookEdit{Content: ptr(strings.Repeat("x", 2001))})
			re := restError(t, err, 400, 50035)
			if codes := formErrorCodes(t, re.ResponseBody, "content"); codes[0] != "BASE_TYPE_MAX_LENGTH" {
				t.Errorf("codes = %v", codes)
			}
			fu, err := dg.FollowupMessageCreate(in.Interaction, true, &discordgo.WebhookParams{Content: "One more story", Flags: discordgo.MessageFlagsEphemeral})
			if err != nil || fu.Content != "One more story" {
				t.Fatalf("followup = %+v, %v", fu, err)
			}
			if fus := it.Followups(); len(fus) != 1 || fus[0].ID != fu.ID || fus[0].Flags != discordtest.FlagEphemeral {
				t.Errorf("followups = %+v", fus)
			}
			if _, err := dg.FollowupMessageEdit(in.Interaction, fu.ID, &discordgo.WebhookEdit{Content: ptr("Edited followup")}); err != nil {
				t.Errorf("edit followup: %v", err)
			}
		}},
		{"token expires", digest, func(t *testing.T, it *discordtest.Interaction, in *discordgo.InteractionCreate) {
			err := dg.InteractionRespond(in.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
			if err != nil {
				t.Fatalf("defer: %v", err)
			}
			time.Sleep(time.Until(it.Created.Add(ttl + 50*time.Millisecond)))
			_, err = dg.InteractionResponseEdit(in.Interaction, &discordgo.WebhookEdit{Content: ptr("too late")})
			restError(t, err, 401, 50027)
			if m, _ := it.Original(); m.Flags&discordtest.FlagLoading == 0 {
				t.Error("an expired token edited the original")
			}
		}},
		{"autocomplete", discordtest.InteractionSpec{
			Type: discordtest.InteractionAutocomplete, Name: "digest",
			Options: []discordtest.Option{{Name: "topic", Value: "cli", Focused: true}},
		}, func(t *testing.T, it *discordtest.Interaction, in *discordgo.InteractionCreate) {
			if in.Type != discordgo.InteractionApplicationCommandAutocomplete || !in.ApplicationCommandData().Options[0].Focused {
				t.Fatalf("interaction = %+v", in.Interaction)
			}
			// A message is not an answer to autocomplete.
			restError(t, dg.InteractionRespond(in.Interaction, message("no")), 400, 50035)
			err := dg.InteractionRespond(in.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionApplicationCommandAutocompleteResult,
				Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "Climate", Value: "climate"}, {Name: "Climbing", Value: "climbing"}}},
			})
			if err != nil {
				t.Fatalf("autocomplete result: %v", err)
			}
			if cb, err := it.WaitCallback(time.Second); err != nil || len(cb.Choices) != 2 || cb.Choices[0].Value != "climate" {
				t.Errorf("callback = %+v, %v", cb, err)
			}
		}},
		{"sub-command by a manager", discordtest.InteractionSpec{
			Name: "sources", Permissions: discordtest.Perms(discordtest.DefaultMemberPerms | discordtest.PermManageGuild),
			Options: []discordtest.Option{{Name: "add", Options: []discordtest.Option{{Name: "url", Value: "https://example.org/feed.xml"}}}},
		}, func(t *testing.T, it *discordtest.Interaction, in *discordgo.InteractionCreate) {
			sub := in.ApplicationCommandData().Options[0]
			if sub.Name != "add" || sub.Type != discordgo.ApplicationCommandOptionSubCommand || sub.Options[0].StringValue() != "https://example.org/feed.xml" {
				t.Errorf("sub-command = %+v", sub)
			}
			if err := dg.InteractionRespond(in.Interaction, message("Added.")); err != nil {
				t.Errorf("respond: %v", err)
			}
		}},
		{"DM", discordtest.InteractionSpec{Name: "digest", DM: true, Options: []discordtest.Option{{Name: "topic", Value: "x"}}}, nil},
	}
	if _, err := dg.ApplicationCommandBulkOverwrite(srv.AppID(), "", []*discordgo.ApplicationCommand{digestCommands()[0]}); err != nil {
		t.Fatalf("register global command: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it, err := srv.Interact(tt.spec)
			if err != nil {
				t.Fatalf("Interact: %v", err)
			}
			in := receive(t, got)
			if tt.run == nil {
				if in.Member != nil || in.User == nil || in.User.ID != srv.DefaultUser().ID || in.GuildID != "" {
					t.Errorf("DM interaction = %+v", in.Interaction)
				}
				return
			}
			tt.run(t, it, in)
		})
	}
}

func TestInteractRefusesWhatDiscordWouldNotSend(t *testing.T) {
	t.Parallel()
	srv := startFake(t, discordtest.Options{})
	if _, err := srv.Interact(discordtest.InteractionSpec{Name: "digest"}); err == nil {
		t.Fatal("Interact before any gateway session succeeded")
	}
	dg, _ := openSession(t, srv)
	if _, err := dg.ApplicationCommandBulkOverwrite(srv.AppID(), srv.GuildID(), digestCommands()); err != nil {
		t.Fatalf("register: %v", err)
	}
	tests := []struct {
		name string
		spec discordtest.InteractionSpec
		want string
	}{
		{"unregistered command", discordtest.InteractionSpec{Name: "weather"}, "no command"},
		{"unknown option", discordtest.InteractionSpec{Name: "digest", Options: []discordtest.Option{{Name: "topic", Value: "a"}, {Name: "lang", Value: "en"}}}, "unknown option"},
		{"missing required option", discordtest.InteractionSpec{Name: "digest"}, "required option"},
		{"wrong value type", discordtest.InteractionSpec{Name: "digest", Options: []discordtest.Option{{Name: "topic", Value: 5}}}, "wants a string"},
		{"below min_value", discordtest.InteractionSpec{Name: "digest", Options: []discordtest.Option{{Name: "topic", Value: "a"}, {Name: "stories", Value: 0}}}, "out of range"},
		{"member lacks default_member_permissions", discordtest.InteractionSpec{Name: "sources", Options: []discordtest.Option{{Name: "list"}}}, "lack"},
		{"guild command in DM", discordtest.InteractionSpec{Name: "digest", DM: true, Options: []discordtest.Option{{Name: "topic", Value: "a"}}}, "no command"},
		{"focused outside autocomplete", discordtest.InteractionSpec{Name: "digest", Options: []discordtest.Option{{Name: "topic", Value: "a", Focused: true}}}, "cannot be focused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := srv.Interact(tt.spec)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Interact error = %v, want %q", err, tt.want)
			}
		})
	}
	// The same admin command with IgnorePermissions is delivered.
	if _, err := srv.Interact(discordtest.InteractionSpec{Name: "sources", IgnorePermissions: true, Options: []discordtest.Option{{Name: "list"}}}); err != nil {
		t.Errorf("IgnorePermissions: %v", err)
	}
}

func TestDiscordgoReconnectResumes(t *testing.T) {
	t.Parallel()
	srv := startFake(t, discordtest.Options{})
	dg, got := openSession(t, srv)
	if _, err := dg.ApplicationCommandBulkOverwrite(srv.AppID(), "", digestCommands()[:1]); err != nil {
		t.Fatalf("register: %v", err)
	}
	resumed := make(chan struct{}, 1)
	dg.AddHandler(func(*discordgo.Session, *discordgo.Resumed) { resumed <- struct{}{} })

	if n := srv.Reconnect(); n != 1 {
		t.Fatalf("Reconnect told %d connections, want 1", n)
	}
	// discordgo closes with 1012 and sleeps a second before resuming; an
	// interaction created meanwhile must be replayed on Resume.
	if !srv.WaitFor(2*time.Second, func() bool { return srv.Connections() == 0 }) {
		t.Fatal("discordgo did not close the connection after op 7")
	}
	it, err := srv.Interact(discordtest.InteractionSpec{Name: "digest", Options: []discordtest.Option{{Name: "topic", Value: "missed"}}})
	if err != nil {
		t.Fatalf("Interact while disconnected: %v", err)
	}
	in := receive(t, got)
	if in.ID != it.ID {
		t.Fatalf("replayed interaction %s, want %s", in.ID, it.ID)
	}
	select {
	case <-resumed:
	case <-time.After(3 * time.Second):
		t.Fatal("no RESUMED")
	}
	rs := srv.Resumes()
	if len(rs) != 1 || !rs[0].OK || rs[0].Replayed != 1 {
		t.Errorf("resumes = %+v, want one OK with one replayed event", rs)
	}
	if n := len(srv.Identifies()); n != 1 {
		t.Errorf("identifies = %d, want 1 (resume, not re-identify)", n)
	}
	if err := dg.InteractionRespond(in.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource, Data: &discordgo.InteractionResponseData{Content: "ok"},
	}); err != nil {
		t.Errorf("respond after resume: %v", err)
	}

	// Invalid Session (not resumable): discordgo identifies again.
	srv.InvalidateSession(false)
	if !srv.WaitFor(2*time.Second, func() bool { return len(srv.Identifies()) == 2 && srv.Connections() == 1 }) {
		t.Fatalf("after op 9: identifies = %d, connections = %d", len(srv.Identifies()), srv.Connections())
	}
	if _, err := srv.Interact(discordtest.InteractionSpec{Name: "digest", Options: []discordtest.Option{{Name: "topic", Value: "again"}}}); err != nil {
		t.Fatal(err)
	}
	receive(t, got)
}
