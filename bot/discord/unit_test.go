package discord

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // every zone name must load, whatever the machine has

	"github.com/bwmarrin/discordgo"

	"github.com/newsdigest/newsdigest/bot"
)

// recordingTransport answers every request with 200 and remembers its URL.
type recordingTransport struct{ urls []string }

func (r *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.urls = append(r.urls, req.URL.String()+" host="+req.Host)
	return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("{}")), Request: req}, nil
}

func TestTransportRewritesToAPIBase(t *testing.T) {
	t.Parallel()
	tests := []struct {
		base, in, want string
	}{
		{DefaultAPIBase, "https://discord.com/api/v9/channels/1/messages", "https://discord.com/api/v9/channels/1/messages host=discord.com"},
		{"http://proxy.internal:8080/api/v10", "https://discord.com/api/v9/gateway", "http://proxy.internal:8080/api/v10/gateway host=proxy.internal:8080"},
		{"http://proxy.internal:8080/discord/api/v9/", "https://discord.com/api/v9/webhooks/1/tok/messages/@original?wait=true",
			"http://proxy.internal:8080/discord/api/v9/webhooks/1/tok/messages/@original?wait=true host=proxy.internal:8080"},
		{"http://proxy.internal/api/v9", "https://discordapp.com/api/users/@me", "http://proxy.internal/api/v9/users/@me host=proxy.internal"},
		{"http://proxy.internal/api/v9", "https://discord.com/api/v9/channels/1/messages/2/reactions/%F0%9F%91%8D/@me",
			"http://proxy.internal/api/v9/channels/1/messages/2/reactions/%F0%9F%91%8D/@me host=proxy.internal"},
		// Not Discord's API: untouched.
		{"http://proxy.internal/api/v9", "https://cdn.discordapp.com/avatars/1/a.png", "https://cdn.discordapp.com/avatars/1/a.png host=cdn.discordapp.com"},
		{"http://proxy.internal/api/v9", "https://discord.com/apix/v9/x", "https://discord.com/apix/v9/x host=discord.com"},
	}
	for _, tt := range tests {
		base, err := url.Parse(strings.TrimRight(tt.base, "/"))
		if err != nil {
			t.Fatal(err)
		}
		rec := &recordingTransport{}
		tr := newAPITransport(base, rec, nil)
		req, err := http.NewRequest("GET", tt.in, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tr.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
		if len(rec.urls) != 1 || rec.urls[0] != tt.want {
			t.Errorf("%s via %s went to %v, want %s", tt.in, tt.base, rec.urls, tt.want)
		}
		if req.URL.String() != tt.in {
			t.Errorf("the caller's request was changed to %s", req.URL)
		}
	}
}

func TestTransportGlobalLimit(t *testing.T) {
	t.Parallel()
	base, _ := url.Parse(DefaultAPIBase)
	rec := &recordingTransport{}
	tr := newAPITransport(base, rec, nil)
	do := func(path string, n int) time.Duration {
		start := time.Now()
		for i := 0; i < n; i++ {
			req, _ := http.NewRequest("POST", "https://discord.com/api/v9"+path, nil)
			if _, err := tr.RoundTrip(req); err != nil {
				t.Fatal(err)
			}
		}
		return time.Since(start)
	}
	// Interaction routes are outside the global limit: no waiting.
	if took := do("/interactions/1/tok/callback", 100); took > 500*time.Millisecond {
		t.Errorf("100 callbacks took %v; they are exempt from the global limit", took)
	}
	// 60 channel posts at 50 a second (burst 5) take about a second.
	if took := do("/channels/1/messages", 60); took < 900*time.Millisecond {
		t.Errorf("60 posts took %v, faster than 50 a second", took)
	}
}

func TestGlobalExempt(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]bool{
		"/interactions/1/tok/callback":       true,
		"/webhooks/1/tok":                    true,
		"/webhooks/1/tok/messages/@original": true,
		"/webhooks/1":                        false,
		"/channels/1/messages":               false,
		"/applications/1/guilds/2/commands":  false,
		"/gateway":                           false,
	} {
		if got := globalExempt(path); got != want {
			t.Errorf("globalExempt(%s) = %v, want %v", path, got, want)
		}
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	r := redactor{token: "MTk4NjIy.secret-token"}
	in := `Post "https://discord.com/api/v9/webhooks/123/aW50ZXJhY3Rpb246abc/messages/@original": dial tcp; ` +
		`POST https://discord.com/api/v9/interactions/456/aW50ZXJhY3Rpb246def/callback; Authorization: Bot MTk4NjIy.secret-token`
	out := r.redact(in)
	for _, secret := range []string{"MTk4NjIy.secret-token", "aW50ZXJhY3Rpb246abc", "aW50ZXJhY3Rpb246def"} {
		if strings.Contains(out, secret) {
			t.Errorf("redacted text keeps %s: %s", secret, out)
		}
	}
	if !strings.Contains(out, "/webhooks/123/[token]/messages/@original") || !strings.Contains(out, "/interactions/456/[token]/callback") {
		t.Errorf("redacted text lost its shape: %s", out)
	}

	rest := &discordgo.RESTError{
		Response:     &http.Response{Status: "403 Forbidden", StatusCode: 403},
		ResponseBody: []byte(`{"code": 50001, "message": "Missing Access"}`),
		Message:      &discordgo.APIErrorMessage{Code: 50001, Message: "Missing Access"},
	}
	err := r.wrap("post", fmt.Errorf("url https://discord.com/api/v9/webhooks/1/aW50ZXJhY3Rpb246x: %w", rest))
	if !errors.Is(err, bot.ErrChatUnavailable) || strings.Contains(err.Error(), "aW50ZXJhY3Rpb246x") {
		t.Errorf("wrap = %v: want ErrChatUnavailable and no token", err)
	}
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Message.Code != 50001 {
		t.Errorf("wrapped error lost the REST error")
	}
	if r.wrap("x", nil) != nil {
		t.Error("wrap(nil) is not nil")
	}
}

func TestZoneNamesLoad(t *testing.T) {
	t.Parallel()
	if len(zoneNames) < 300 {
		t.Errorf("only %d zones", len(zoneNames))
	}
	for _, z := range append(slices.Clone(zoneNames), commonZones...) {
		if _, err := time.LoadLocation(z); err != nil {
			t.Errorf("zone %s: %v", z, err)
		}
		if len(z) > choiceMax {
			t.Errorf("zone %s is longer than a choice may be", z)
		}
	}
	if len(commonZones) > choicesMax {
		t.Errorf("%d common zones, more than Discord shows", len(commonZones))
	}
}

func TestCommandArgs(t *testing.T) {
	t.Parallel()
	opt := func(name string, v any) *discordgo.ApplicationCommandInteractionDataOption {
		return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: v}
	}
	type opts = []*discordgo.ApplicationCommandInteractionDataOption
	tests := []struct {
		command string
		opts    opts
		want    []string
	}{
		{"digest", nil, nil},
		{"digest", opts{opt("since", "6h"), opt("topic", "climate change")}, []string{"climate", "change", "6h"}},
		{"subscribe", opts{opt("timezone", "Europe/Berlin"), opt("schedule", " weekdays  07:30 ")}, []string{"weekdays", "07:30", "Europe/Berlin"}},
		{"search", opts{opt("words", "interest rates")}, []string{"interest", "rates"}},
		{"filter", opts{opt("action", "add"), opt("rule", "exclude:football"), opt("bogus", "x")}, []string{"add", "exclude:football"}},
		{"sources", opts{opt("target", "https://example.com/feed.xml")}, []string{"add", "https://example.com/feed.xml"}},
		{"sources", opts{opt("target", "#3")}, []string{"remove", "#3"}},
		{"story", opts{opt("id", 1234.0)}, []string{"1234"}},
		{"nope", opts{opt("x", "y")}, nil},
		{"help", opts{nil, opt("command", "subscribe")}, []string{"subscribe"}},
	}
	for _, tt := range tests {
		if got := commandArgs(tt.command, tt.opts); !slices.Equal(got, tt.want) {
			t.Errorf("commandArgs(%s) = %q, want %q", tt.command, got, tt.want)
		}
	}
}

func TestApplicationCommandsWithinDiscordLimits(t *testing.T) {
	t.Parallel()
	cmds := applicationCommands(bot.Specs())
	for _, c := range cmds {
		if n := len([]rune(c.Description)); n == 0 || n > descriptionMax {
			t.Errorf("/%s description of %d characters", c.Name, n)
		}
		seenOptional := false
		for _, o := range c.Options {
			if n := len([]rune(o.Description)); n == 0 || n > descriptionMax {
				t.Errorf("/%s %s description of %d characters", c.Name, o.Name, n)
			}
			if o.Autocomplete && len(o.Choices) > 0 {
				t.Errorf("/%s %s has choices and autocomplete", c.Name, o.Name)
			}
			if o.Required && seenOptional {
				t.Errorf("/%s: required %s after an optional option", c.Name, o.Name)
			}
			seenOptional = seenOptional || !o.Required
		}
	}
	if DefaultAPIBase != "https://discord.com/api/v"+discordgo.APIVersion {
		t.Errorf("DefaultAPIBase %s does not match discordgo's API version %s", DefaultAPIBase, discordgo.APIVersion)
	}
}
