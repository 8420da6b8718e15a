package discordtest_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsdigest/newsdigest/bot/discord/discordtest"
)

// startFake starts a fake and closes it when the test ends.
func startFake(t *testing.T, opts discordtest.Options) *discordtest.Server {
	t.Helper()
	srv := discordtest.New(opts)
	t.Cleanup(srv.Close)
	return srv
}

// restSession is a real discordgo session pointed at the fake; only its
// HTTP client differs from discordgo.New's.
func restSession(t *testing.T, srv *discordtest.Server) *discordgo.Session {
	t.Helper()
	dg, err := discordgo.New(srv.BotToken())
	if err != nil {
		t.Fatalf("discordgo.New: %v", err)
	}
	dg.Client = srv.Client()
	return dg
}

// openSession opens a gateway session and returns the interactions its
// handler receives. Cleanup closes it before the fake.
func openSession(t *testing.T, srv *discordtest.Server) (*discordgo.Session, chan *discordgo.InteractionCreate) {
	t.Helper()
	dg := restSession(t, srv)
	got := make(chan *discordgo.InteractionCreate, 16)
	dg.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { got <- i })
	if err := dg.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { closeSession(dg) })
	return dg, got
}

// closeSession closes a session without discordgo's reconnect: its
// heartbeat goroutine can race Close, log "close sent" and reconnect.
// (discordgo reads LogLevel unlocked, so it cannot be silenced here.)
func closeSession(dg *discordgo.Session) {
	dg.Lock()
	dg.ShouldReconnectOnError = false
	dg.Unlock()
	dg.Close()
}

func receive(t *testing.T, ch chan *discordgo.InteractionCreate) *discordgo.InteractionCreate {
	t.Helper()
	select {
	case i := <-ch:
		return i
	case <-time.After(3 * time.Second):
		t.Fatal("no INTERACTION_CREATE reached the handler")
		return nil
	}
}

// restError asserts err is a *discordgo.RESTError with status and code.
func restError(t *testing.T, err error, status, code int) *discordgo.RESTError {
	t.Helper()
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		t.Fatalf("error = %v (%T), want *discordgo.RESTError", err, err)
	}
	if re.Response.StatusCode != status || re.Message == nil || re.Message.Code != code {
		t.Fatalf("REST error = HTTP %d %s, want HTTP %d code %d", re.Response.StatusCode, re.ResponseBody, status, code)
	}
	return re
}

// formErrorCodes returns the _errors codes at a dotted path of an Invalid
// Form Body response.
func formErrorCodes(t *testing.T, body []byte, path string) []string {
	t.Helper()
	var resp struct {
		Errors map[string]any `json:"errors"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatalf("decode error body %s: %v", body, err)
	}
	node := resp.Errors
	if path != "" {
		for _, p := range strings.Split(path, ".") {
			next, ok := node[p].(map[string]any)
			if !ok {
				t.Fatalf("no errors at %q in %s", path, body)
			}
			node = next
		}
	}
	list, _ := node["_errors"].([]any)
	var codes []string
	for _, e := range list {
		codes = append(codes, e.(map[string]any)["code"].(string))
	}
	if len(codes) == 0 {
		t.Fatalf("no _errors at %q in %s", path, body)
	}
	return codes
}

func ptr[T any](v T) *T { return &v }

// digestCommands are commands like the bot's, used to drive interactions.
func digestCommands() []*discordgo.ApplicationCommand {
	return []*discordgo.ApplicationCommand{
		{
			Name:        "digest",
			Description: "Post a news digest",
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "topic", Description: "Topic to cover", Required: true, Autocomplete: true},
				{Type: discordgo.ApplicationCommandOptionInteger, Name: "stories", Description: "How many stories", MinValue: ptr(1.0), MaxValue: 10},
			},
		},
		{
			Name:                     "sources",
			Description:              "Manage the feeds",
			DefaultMemberPermissions: ptr(int64(discordgo.PermissionManageGuild)),
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "list", Description: "List feeds"},
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "add", Description: "Add a feed", Options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionString, Name: "url", Description: "Feed URL", Required: true},
				}},
			},
		},
	}
}
