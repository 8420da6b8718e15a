package discordtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsdigest/newsdigest/bot/discord/discordtest"
)

func TestDiscordgoChannelMessage(t *testing.T) {
	t.Parallel()
	srv := startFake(t, discordtest.Options{
		RouteLimit: discordtest.Limit{Requests: -1},
		Guilds: []discordtest.Guild{{Name: "news", Channels: []discordtest.Channel{
			{Name: "digest"}, {Name: "mods", NoAccess: true}, {Name: "announcements", NoSend: true},
		}}},
	})
	dg := restSession(t, srv)
	chans := srv.Guilds()[0].Channels
	digest, hidden, readOnly := chans[0].ID, chans[1].ID, chans[2].ID
	long := func(n int) string { return strings.Repeat("é", n) } // counted in characters, not bytes
	embed := func(e discordgo.MessageEmbed) *discordgo.MessageSend {
		return &discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{&e}}
	}
	fields := func(n int) []*discordgo.MessageEmbedField {
		out := make([]*discordgo.MessageEmbedField, n)
		for i := range out {
			out[i] = &discordgo.MessageEmbedField{Name: "n", Value: "v"}
		}
		return out
	}

	tests := []struct {
		name    string
		channel string
		msg     *discordgo.MessageSend
		status  int    // 0: success
		code    int    // Discord error code
		path    string // where the Invalid Form Body error sits
		errCode string
	}{
		{"content at limit", digest, &discordgo.MessageSend{Content: long(2000)}, 0, 0, "", ""},
		{"content too long", digest, &discordgo.MessageSend{Content: long(2001)}, 400, 50035, "content", "BASE_TYPE_MAX_LENGTH"},
		{"full embed at limits", digest, embed(discordgo.MessageEmbed{Title: long(256), Description: long(4096), Fields: fields(25), Footer: &discordgo.MessageEmbedFooter{Text: long(100)}}), 0, 0, "", ""},
		{"embed title too long", digest, embed(discordgo.MessageEmbed{Title: long(257)}), 400, 50035, "embeds.0.title", "BASE_TYPE_MAX_LENGTH"},
		{"embed description too long", digest, embed(discordgo.MessageEmbed{Description: long(4097)}), 400, 50035, "embeds.0.description", "BASE_TYPE_MAX_LENGTH"},
		{"26 fields", digest, embed(discordgo.MessageEmbed{Fields: fields(26)}), 400, 50035, "embeds.0.fields", "BASE_TYPE_MAX_LENGTH"},
		{"field value too long", digest, embed(discordgo.MessageEmbed{Fields: []*discordgo.MessageEmbedField{{Name: "Quote", Value: long(1025)}}}), 400, 50035, "embeds.0.fields.0.value", "BASE_TYPE_MAX_LENGTH"},
		{"field without name", digest, embed(discordgo.MessageEmbed{Fields: []*discordgo.MessageEmbedField{{Value: "v"}}}), 400, 50035, "embeds.0.fields.0.name", "BASE_TYPE_REQUIRED"},
		{"footer too long", digest, embed(discordgo.MessageEmbed{Footer: &discordgo.MessageEmbedFooter{Text: long(2049)}}), 400, 50035, "embeds.0.footer.text", "BASE_TYPE_MAX_LENGTH"},
		{"author name too long", digest, embed(discordgo.MessageEmbed{Author: &discordgo.MessageEmbedAuthor{Name: long(257)}}), 400, 50035, "embeds.0.author.name", "BASE_TYPE_MAX_LENGTH"},
		{"bad embed url", digest, embed(discordgo.MessageEmbed{Title: "t", URL: "ftp://example.org/x"}), 400, 50035, "embeds.0.url", "URL_TYPE_INVALID_SCHEME"},
		{"embeds over 6000 in total", digest, &discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{{Description: long(3500)}, {Description: long(3500)}}}, 400, 50035, "embeds", "MAX_EMBED_SIZE_EXCEEDED"},
		{"11 embeds", digest, &discordgo.MessageSend{Embeds: func() []*discordgo.MessageEmbed {
			out := make([]*discordgo.MessageEmbed, 11)
			for i := range out {
				out[i] = &discordgo.MessageEmbed{Title: "t"}
			}
			return out
		}()}, 400, 50035, "embeds", "BASE_TYPE_MAX_LENGTH"},
		{"empty message", digest, &discordgo.MessageSend{}, 400, 50006, "", ""},
		{"whitespace only", digest, &discordgo.MessageSend{Content: " \n\t"}, 400, 50006, "", ""},
		{"allowed_mentions parse and users", digest, &discordgo.MessageSend{Content: "hi", AllowedMentions: &discordgo.MessageAllowedMentions{
			Parse: []discordgo.AllowedMentionType{discordgo.AllowedMentionTypeUsers}, Users: []string{"1"},
		}}, 400, 50035, "allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE"},
		{"reply to unknown message", digest, &discordgo.MessageSend{Content: "re", Reference: &discordgo.MessageReference{MessageID: "1"}}, 400, 50035, "message_reference", "REPLIES_UNKNOWN_MESSAGE"},
		{"unknown channel", "12345", &discordgo.MessageSend{Content: "hi"}, 404, 10003, "", ""},
		{"channel without access", hidden, &discordgo.MessageSend{Content: "hi"}, 403, 50001, "", ""},
		{"channel without send permission", readOnly, &discordgo.MessageSend{Content: "hi"}, 403, 50013, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(srv.Messages(tt.channel))
			m, err := dg.ChannelMessageSendComplex(tt.channel, tt.msg)
			if tt.status == 0 {
				if err != nil {
					t.Fatalf("send: %v", err)
				}
				stored, ok := srv.Message(m.ID)
				if !ok || stored.Content != tt.msg.Content || len(stored.Embeds) != len(tt.msg.Embeds) || m.Author.ID != srv.AppID() {
					t.Errorf("stored %+v, returned %+v", stored, m)
				}
				return
			}
			re := restError(t, err, tt.status, tt.code)
			if tt.path != "" {
				codes := formErrorCodes(t, re.ResponseBody, tt.path)
				if codes[0] != tt.errCode {
					t.Errorf("error codes at %s = %v, want %s", tt.path, codes, tt.errCode)
				}
			}
			if after := len(srv.Messages(tt.channel)); after != before {
				t.Errorf("a rejected message was stored")
			}
		})
	}
}

func TestDiscordgoUploadAndEdit(t *testing.T) {
	t.Parallel()
	srv := startFake(t, discordtest.Options{})
	dg := restSession(t, srv)
	m, err := dg.ChannelMessageSendComplex(srv.ChannelID(), &discordgo.MessageSend{
		Content: "Digest attached",
		Files:   []*discordgo.File{{Name: "digest.md", ContentType: "text/markdown", Reader: strings.NewReader("# Digest\n")}},
	})
	if err != nil {
		t.Fatalf("send with file: %v", err)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Filename != "digest.md" || m.Attachments[0].Size != 9 {
		t.Fatalf("attachments = %+v", m.Attachments)
	}
	edited, err := dg.ChannelMessageEdit(srv.ChannelID(), m.ID, "Digest attached (updated)")
	if err != nil || edited.Content != "Digest attached (updated)" || len(edited.Attachments) != 1 {
		t.Fatalf("edit = %+v, %v", edited, err)
	}
	if stored, _ := srv.Message(m.ID); stored.Edits != 1 || stored.EditedTimestamp == nil {
		t.Errorf("stored = %+v", stored)
	}
	// Without content the attachment still carries the message; without
	// both it would be empty.
	if _, err := dg.ChannelMessageEdit(srv.ChannelID(), m.ID, ""); err != nil {
		t.Errorf("edit to attachment only: %v", err)
	}
	_, err = dg.ChannelMessageEditComplex(&discordgo.MessageEdit{
		ID: m.ID, Channel: srv.ChannelID(), Content: ptr(""), Attachments: &[]*discordgo.MessageAttachment{},
	})
	restError(t, err, 400, 50006)
	if err := dg.ChannelMessageDelete(srv.ChannelID(), m.ID); err != nil {
		t.Fatalf("delete: %v", err)
	}
	_, err = dg.ChannelMessage(srv.ChannelID(), m.ID)
	restError(t, err, 404, 10008)
}

func TestMentionsFollowAllowedMentions(t *testing.T) {
	t.Parallel()
	srv := startFake(t, discordtest.Options{RouteLimit: discordtest.Limit{Requests: -1}})
	dg := restSession(t, srv)
	user := srv.DefaultUser().ID
	content := "<@" + user + "> and <@&42> and @everyone"
	tests := []struct {
		name             string
		allowed          *discordgo.MessageAllowedMentions
		users, roles     int
		everyone, record bool
	}{
		{"none sent: all parse", nil, 1, 1, true, false},
		{"empty parse: nothing pings", &discordgo.MessageAllowedMentions{}, 0, 0, false, true},
		{"only that user", &discordgo.MessageAllowedMentions{Users: []string{user}}, 1, 0, false, true},
		{"everyone only", &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{discordgo.AllowedMentionTypeEveryone}}, 0, 0, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := dg.ChannelMessageSendComplex(srv.ChannelID(), &discordgo.MessageSend{Content: content, AllowedMentions: tt.allowed})
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Mentions) != tt.users || len(m.MentionRoles) != tt.roles || m.MentionEveryone != tt.everyone {
				t.Errorf("mentions users %d roles %d everyone %v", len(m.Mentions), len(m.MentionRoles), m.MentionEveryone)
			}
			if stored, _ := srv.Message(m.ID); (stored.AllowedMentions != nil) != tt.record {
				t.Errorf("recorded allowed_mentions = %+v", stored.AllowedMentions)
			}
		})
	}
}

func TestDiscordgoCommands(t *testing.T) {
	t.Parallel()
	srv := startFake(t, discordtest.Options{RouteLimit: discordtest.Limit{Requests: -1}})
	dg := restSession(t, srv)
	opt := func(name string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Description: "d"}
	}
	many := func(n int) []*discordgo.ApplicationCommandOption {
		out := make([]*discordgo.ApplicationCommandOption, n)
		for i := range out {
			out[i] = opt("o" + strconv.Itoa(i))
		}
		return out
	}
	choices := make([]*discordgo.ApplicationCommandOptionChoice, 26)
	for i := range choices {
		choices[i] = &discordgo.ApplicationCommandOptionChoice{Name: "c", Value: "v" + strconv.Itoa(i)}
	}
	cmd := func(mod func(c *discordgo.ApplicationCommand)) []*discordgo.ApplicationCommand {
		c := &discordgo.ApplicationCommand{Name: "digest", Description: "Post a digest"}
		mod(c)
		return []*discordgo.ApplicationCommand{c}
	}
	tests := []struct {
		name    string
		guild   bool
		cmds    []*discordgo.ApplicationCommand
		path    string
		errCode string
	}{
		{"valid guild commands", true, digestCommands(), "", ""},
		{"valid global commands", false, digestCommands(), "", ""},
		{"uppercase name", true, cmd(func(c *discordgo.ApplicationCommand) { c.Name = "Digest" }), "0.name", "APPLICATION_COMMAND_INVALID_NAME"},
		{"name with space", true, cmd(func(c *discordgo.ApplicationCommand) { c.Name = "news digest" }), "0.name", "APPLICATION_COMMAND_INVALID_NAME"},
		{"name too long", true, cmd(func(c *discordgo.ApplicationCommand) { c.Name = strings.Repeat("a", 33) }), "0.name", "BASE_TYPE_BAD_LENGTH"},
		{"no description", true, cmd(func(c *discordgo.ApplicationCommand) { c.Description = "" }), "0.description", "BASE_TYPE_BAD_LENGTH"},
		{"description too long", true, cmd(func(c *discordgo.ApplicationCommand) { c.Description = strings.Repeat("a", 101) }), "0.description", "BASE_TYPE_BAD_LENGTH"},
		{"26 options", true, cmd(func(c *discordgo.ApplicationCommand) { c.Options = many(26) }), "0.options", "BASE_TYPE_MAX_LENGTH"},
		{"26 choices", true, cmd(func(c *discordgo.ApplicationCommand) {
			o := opt("topic")
			o.Choices = choices
			c.Options = []*discordgo.ApplicationCommandOption{o}
		}), "0.options.0.choices", "BASE_TYPE_MAX_LENGTH"},
		{"required after optional", true, cmd(func(c *discordgo.ApplicationCommand) {
			b := opt("b")
			b.Required = true
			c.Options = []*discordgo.ApplicationCommandOption{opt("a"), b}
		}), "0.options.1.required", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID"},
		{"duplicate names", true, append(cmd(func(*discordgo.ApplicationCommand) {}), cmd(func(*discordgo.ApplicationCommand) {})...), "1.name", "APPLICATION_COMMANDS_DUPLICATE_NAME"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			guild := ""
			if tt.guild {
				guild = srv.GuildID()
			}
			before := len(srv.Overwrites())
			out, err := dg.ApplicationCommandBulkOverwrite(srv.AppID(), guild, tt.cmds)
			if tt.path == "" {
				if err != nil {
					t.Fatalf("overwrite: %v", err)
				}
				reg := srv.Commands(guild)
				if len(out) != len(tt.cmds) || len(reg) != len(tt.cmds) || out[0].ID == "" || out[0].ID != reg[0].ID || out[0].ApplicationID != srv.AppID() {
					t.Fatalf("returned %+v, registered %+v", out, reg)
				}
				if reg[1].DefaultMemberPermissions == nil || *reg[1].DefaultMemberPermissions != strconv.Itoa(discordgo.PermissionManageGuild) {
					t.Errorf("default_member_permissions = %v", reg[1].DefaultMemberPermissions)
				}
				// Overwriting again keeps the IDs of commands with the same name.
				again, err := dg.ApplicationCommandBulkOverwrite(srv.AppID(), guild, tt.cmds)
				if err != nil || again[0].ID != out[0].ID {
					t.Errorf("second overwrite IDs %v vs %v (%v)", again[0].ID, out[0].ID, err)
				}
				listed, err := dg.ApplicationCommands(srv.AppID(), guild)
				if err != nil || len(listed) != len(tt.cmds) {
					t.Errorf("GET commands = %d, %v", len(listed), err)
				}
				return
			}
			re := restError(t, err, 400, 50035)
			if codes := formErrorCodes(t, re.ResponseBody, tt.path); codes[0] != tt.errCode {
				t.Errorf("codes at %s = %v, want %s", tt.path, codes, tt.errCode)
			}
			if len(srv.Overwrites()) != before {
				t.Error("a rejected overwrite was recorded")
			}
		})
	}
	_, err := dg.ApplicationCommandBulkOverwrite(srv.AppID(), "999", digestCommands())
	restError(t, err, 403, 50001)
}

func TestDiscordgoRateLimits(t *testing.T) {
	t.Parallel()
	const window = time.Second // long enough that the requests surely share it
	tests := []struct {
		name string
		opts discordtest.Options
		// run makes requests with fresh sessions; the fake answers exactly
		// one of them with 429 and discordgo's own retry gets it through.
		run    func(t *testing.T, srv *discordtest.Server)
		global bool
		wait   time.Duration
	}{
		{"forced 429 on the route", discordtest.Options{}, func(t *testing.T, srv *discordtest.Server) {
			srv.RateLimitNext("POST /channels/{channel_id}/messages", 1, 150*time.Millisecond, false)
			send(t, restSession(t, srv), srv.ChannelID())
		}, false, 150 * time.Millisecond},
		{"route bucket shared by two clients", discordtest.Options{RouteLimits: map[string]discordtest.Limit{
			"POST /channels/{channel_id}/messages": {Requests: 1, Window: window},
		}}, func(t *testing.T, srv *discordtest.Server) {
			a, b := restSession(t, srv), restSession(t, srv)
			send(t, a, srv.ChannelID())
			send(t, b, srv.ChannelID()) // b does not know a emptied the bucket: 429, retried
		}, false, 200 * time.Millisecond},
		{"global limit", discordtest.Options{GlobalLimit: discordtest.Limit{Requests: 2, Window: window}}, func(t *testing.T, srv *discordtest.Server) {
			dg := restSession(t, srv)
			if _, err := dg.User("@me"); err != nil {
				t.Fatal(err)
			}
			if _, err := dg.Channel(srv.ChannelID()); err != nil {
				t.Fatal(err)
			}
			send(t, dg, srv.ChannelID()) // third request in the window: global 429
		}, true, 200 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := startFake(t, tt.opts)
			tt.run(t, srv)
			limited := srv.RateLimited()
			if len(limited) != 1 || limited[0].Global != tt.global {
				t.Fatalf("429s = %+v, want one (global %v)", limited, tt.global)
			}
			var retry *discordtest.Request
			for _, r := range srv.Requests() {
				if r.At.After(limited[0].At) && r.Route == limited[0].Route && r.Status == 200 {
					retry = &r
					break
				}
			}
			if retry == nil {
				t.Fatal("the rate-limited request was not retried")
			}
			if gap := retry.At.Sub(limited[0].At); gap < tt.wait {
				t.Errorf("retried after %v, want >= %v", gap, tt.wait)
			}
		})
	}
}

func send(t *testing.T, dg *discordgo.Session, channelID string) {
	t.Helper()
	if _, err := dg.ChannelMessageSend(channelID, "story"); err != nil {
		t.Fatalf("send: %v", err)
	}
}

// TestRawHTTP covers what discordgo cannot express: nonces, headers, auth
// and bodies as Discord sees them.
func TestRawHTTP(t *testing.T) {
	t.Parallel()
	srv := startFake(t, discordtest.Options{})
	client := srv.Client()
	api := "https://discord.com/api/v10"
	messages := "/channels/" + srv.ChannelID() + "/messages"
	do := func(method, path, body string, auth bool) (*http.Response, map[string]any) {
		t.Helper()
		req, err := http.NewRequest(method, api+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if auth {
			req.Header.Set("Authorization", srv.BotToken())
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out map[string]any
		json.Unmarshal(raw, &out)
		return resp, out
	}

	tests := []struct {
		name   string
		method string
		path   string
		body   string
		auth   bool
		status int
		check  func(t *testing.T, resp *http.Response, body map[string]any)
	}{
		{"gateway without auth", "GET", "/gateway", "", false, 200, func(t *testing.T, _ *http.Response, b map[string]any) {
			if b["url"] != srv.GatewayURL() {
				t.Errorf("url = %v", b["url"])
			}
		}},
		{"gateway/bot", "GET", "/gateway/bot", "", true, 200, func(t *testing.T, _ *http.Response, b map[string]any) {
			ssl, _ := b["session_start_limit"].(map[string]any)
			if b["shards"] != 1.0 || ssl["max_concurrency"] != 1.0 {
				t.Errorf("body = %v", b)
			}
		}},
		{"no auth", "GET", "/users/@me", "", false, 401, nil},
		{"unknown route", "GET", "/nowhere", "", true, 404, nil},
		{"wrong method", "PUT", messages, "{}", true, 405, nil},
		{"invalid JSON", "POST", messages, "{", true, 400, func(t *testing.T, _ *http.Response, b map[string]any) {
			if b["code"] != 50109.0 {
				t.Errorf("body = %v", b)
			}
		}},
		{"wrong type", "POST", messages, `{"content": 5}`, true, 400, func(t *testing.T, _ *http.Response, b map[string]any) {
			if b["code"] != 50035.0 {
				t.Errorf("body = %v", b)
			}
		}},
		{"nonce too long", "POST", messages, `{"content":"x","nonce":"` + strings.Repeat("n", 26) + `"}`, true, 400, nil},
		{"rate limit headers", "POST", messages, `{"content":"x"}`, true, 200, func(t *testing.T, resp *http.Response, _ map[string]any) {
			h := resp.Header
			after, err := strconv.ParseFloat(h.Get("X-RateLimit-Reset-After"), 64)
			if h.Get("X-RateLimit-Limit") != "5" || h.Get("X-RateLimit-Bucket") == "" || err != nil || after <= 0 || h.Get("X-RateLimit-Reset") == "" {
				t.Errorf("headers = %v", h)
			}
		}},
		{"unknown webhook token", "PATCH", "/webhooks/" + srv.AppID() + "/nope/messages/@original", `{"content":"x"}`, false, 401, func(t *testing.T, _ *http.Response, b map[string]any) {
			if b["code"] != 50027.0 {
				t.Errorf("body = %v", b)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(tt.method, tt.path, tt.body, tt.auth)
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d (%v)", resp.StatusCode, tt.status, body)
			}
			if tt.check != nil {
				tt.check(t, resp, body)
			}
		})
	}

	t.Run("429 shape", func(t *testing.T) {
		srv.RateLimitNext("GET /users/{user_id}", 1, 50*time.Millisecond, false)
		resp, body := do("GET", "/users/@me", "", true)
		if resp.StatusCode != 429 || body["retry_after"] != 0.05 || body["global"] != false || body["message"] != "You are being rate limited." {
			t.Fatalf("429 = %d %v", resp.StatusCode, body)
		}
		if resp.Header.Get("Retry-After") != "1" || resp.Header.Get("X-RateLimit-Scope") != "user" || resp.Header.Get("X-RateLimit-Remaining") != "0" {
			t.Errorf("429 headers = %v", resp.Header)
		}
	})

	t.Run("enforced nonce returns the first message", func(t *testing.T) {
		before := len(srv.Messages(srv.ChannelID()))
		body := `{"content":"digest","nonce":"digest-2024-06-01","enforce_nonce":true}`
		_, first := do("POST", messages, body, true)
		time.Sleep(300 * time.Millisecond) // let the route bucket refill
		_, second := do("POST", messages, body, true)
		if first["id"] == nil || first["id"] != second["id"] {
			t.Errorf("ids %v and %v, want the same", first["id"], second["id"])
		}
		_, third := do("POST", messages, `{"content":"digest","nonce":"digest-2024-06-01"}`, true)
		if third["id"] == first["id"] {
			t.Error("a nonce without enforce_nonce deduplicated")
		}
		if got := len(srv.Messages(srv.ChannelID())) - before; got != 2 {
			t.Errorf("stored %d messages, want 2", got)
		}
	})

	t.Run("transport refuses other hosts", func(t *testing.T) {
		_, err := client.Get("https://example.com/api/v10/users/@me")
		if err == nil || !strings.Contains(err.Error(), "refusing") {
			t.Errorf("err = %v", err)
		}
	})
}
