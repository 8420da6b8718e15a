package discord

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/bot"
	"github.com/newsdigest/newsdigest/bot/discord/discordtest"
)

// signer signs requests as Discord does for the interactions endpoint.
type signer struct{ key ed25519.PrivateKey }

func (s signer) headers(body []byte, at time.Time) http.Header {
	ts := strconv.FormatInt(at.Unix(), 10)
	sig := ed25519.Sign(s.key, append([]byte(ts), body...))
	h := http.Header{}
	h.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	h.Set("X-Signature-Timestamp", ts)
	h.Set("Content-Type", "application/json")
	return h
}

func post(t *testing.T, url, method string, body []byte, h http.Header) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = h
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

func TestInteractionsEndpoint(t *testing.T) {
	t.Parallel()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, otherKey, _ := ed25519.GenerateKey(rand.Reader)
	e := start(t, envOptions{config: func(c *Config, _ *discordtest.Server) {
		c.PublicKey = hex.EncodeToString(pub)
		c.HTTPOnly = true
	}})
	if n := len(e.srv.Identifies()); n != 0 {
		t.Fatalf("HTTP-only adapter identified %d times on the gateway", n)
	}
	listener(t, e.srv)
	endpoint := httptest.NewServer(e.a.InteractionsHandler())
	t.Cleanup(endpoint.Close)
	discord, stranger := signer{priv}, signer{otherKey}
	now := time.Now()

	ping := []byte(fmt.Sprintf(`{"id":"1234567890","application_id":"%s","type":1,"token":"tok","version":1}`, e.srv.AppID()))
	huge := append(bytes.Repeat([]byte(" "), maxInteractionBody), ping...)
	tests := []struct {
		name    string
		method  string
		body    []byte
		headers http.Header
		status  int
		reply   string
	}{
		{"ping", "POST", ping, discord.headers(ping, now), 200, `{"type":1}`},
		{"other key", "POST", ping, stranger.headers(ping, now), 401, ""},
		{"body changed", "POST", append([]byte(" "), ping...), discord.headers(ping, now), 401, ""},
		{"stale", "POST", ping, discord.headers(ping, now.Add(-6*time.Minute)), 401, ""},
		{"from the future", "POST", ping, discord.headers(ping, now.Add(6*time.Minute)), 401, ""},
		{"unsigned", "POST", ping, http.Header{}, 401, ""},
		{"signature not hex", "POST", ping, func() http.Header {
			h := discord.headers(ping, now)
			h.Set("X-Signature-Ed25519", "zz"+h.Get("X-Signature-Ed25519")[2:])
			return h
		}(), 401, ""},
		{"timestamp not a number", "POST", ping, func() http.Header {
			h := discord.headers(ping, now)
			h.Set("X-Signature-Timestamp", "soon")
			return h
		}(), 401, ""},
		{"too large", "POST", huge, discord.headers(huge, now), 413, ""},
		{"GET", "GET", nil, discord.headers(nil, now), 405, ""},
		{"not JSON", "POST", []byte("hello"), discord.headers([]byte("hello"), now), 400, ""},
		{"unsupported type", "POST", []byte(`{"id":"1","type":3,"token":"t"}`), discord.headers([]byte(`{"id":"1","type":3,"token":"t"}`), now), 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := post(t, endpoint.URL, tt.method, tt.body, tt.headers)
			if status != tt.status {
				t.Fatalf("status %d (%s), want %d", status, body, tt.status)
			}
			if tt.reply != "" && strings.TrimSpace(string(body)) != tt.reply {
				t.Errorf("reply %s, want %s", body, tt.reply)
			}
		})
	}

	t.Run("command", func(t *testing.T) {
		it := e.interact(t, discordtest.InteractionSpec{Name: "help"})
		status, body := post(t, endpoint.URL, "POST", it.Payload, discord.headers(it.Payload, time.Now()))
		var resp struct {
			Type int `json:"type"`
			Data struct {
				Flags int `json:"flags"`
			} `json:"data"`
		}
		if status != 200 || json.Unmarshal(body, &resp) != nil || resp.Type != discordtest.CallbackDeferredMessage || resp.Data.Flags != discordtest.FlagEphemeral {
			t.Fatalf("answer %d %s, want a private deferred response", status, body)
		}
		// Discord takes the HTTP response as the interaction's callback.
		relay, err := http.NewRequest("POST", "https://discord.com/api/v10/interactions/"+it.ID+"/"+it.Token+"/callback", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		relay.Header.Set("Content-Type", "application/json")
		rr, err := e.srv.Client().Do(relay)
		if err != nil {
			t.Fatal(err)
		}
		rr.Body.Close()
		if rr.StatusCode != http.StatusNoContent {
			t.Fatalf("relaying the response to the fake: %s", rr.Status)
		}
		m, err := it.WaitOriginal(5*time.Second, func(m discordtest.Message) bool { return m.Flags&discordtest.FlagLoading == 0 })
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(m.Content, "/digest") || m.Flags&discordtest.FlagEphemeral == 0 {
			t.Errorf("answer %q flags %d", m.Content, m.Flags)
		}
		checkNoMentions(t, m)
	})

	t.Run("autocomplete", func(t *testing.T) {
		it := e.interact(t, discordtest.InteractionSpec{Type: discordtest.InteractionAutocomplete, Name: "subscribe",
			Options:     []discordtest.Option{{Name: "timezone", Value: "europe/be", Focused: true}},
			Permissions: discordtest.Perms(discordtest.DefaultMemberPerms | discordtest.PermAdministrator)})
		status, body := post(t, endpoint.URL, "POST", it.Payload, discord.headers(it.Payload, time.Now()))
		var resp struct {
			Type int `json:"type"`
			Data struct {
				Choices []choice `json:"choices"`
			} `json:"data"`
		}
		if status != 200 || json.Unmarshal(body, &resp) != nil || resp.Type != discordtest.CallbackAutocomplete {
			t.Fatalf("answer %d %s, want autocomplete choices", status, body)
		}
		var names []string
		for _, c := range resp.Data.Choices {
			names = append(names, c.Value)
		}
		if strings.Join(names, ",") != "Europe/Belgrade,Europe/Berlin" {
			t.Errorf("choices %v, want Europe/Belgrade and Europe/Berlin", names)
		}
	})
}

func TestInteractionsEndpointWithoutKey(t *testing.T) {
	t.Parallel()
	a, err := New(Config{Token: "t"}, &bot.Bot{})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	a.InteractionsHandler().ServeHTTP(rec, httptest.NewRequest("POST", "/", strings.NewReader("{}")))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503 without a public key", rec.Code)
	}
}
