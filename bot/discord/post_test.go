package discord

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/bot"
	"github.com/newsdigest/newsdigest/bot/discord/discordtest"
	"github.com/newsdigest/newsdigest/digest"
	"github.com/newsdigest/newsdigest/digest/render"
	"github.com/newsdigest/newsdigest/store"
)

// bigDigest is a digest too long for one Discord message, whose text
// tries to mention people.
func bigDigest(mention string) *digest.Digest {
	now := time.Now()
	d := &digest.Digest{Name: "Morning digest", At: now, Since: now.Add(-24 * time.Hour), Until: now}
	for i := 0; i < 12; i++ {
		d.Stories = append(d.Stories, digest.StoryItem{
			ID:       fmt.Sprint(1000 + i),
			Headline: fmt.Sprintf("Story %d: harbour works continue @everyone %s", i, mention),
			Summary:  strings.Repeat(fmt.Sprintf("The harbour authority said on Monday that work on pier %d would go on through the winter. ", i), 6),
			Quotes: []digest.KeyQuote{{
				Text:    fmt.Sprintf("We will finish pier %d on time, whatever the weather does @here", i),
				Speaker: "Ana Ruiz", Outlet: "Example Times", URL: fmt.Sprintf("https://news.example.com/pier-%d", i),
			}},
			Links: []digest.Link{
				{Outlet: "Example Times", Title: "Pier works", URL: fmt.Sprintf("https://news.example.com/pier-%d", i)},
				{Outlet: "Harbour Post", Title: "Pier works go on", URL: fmt.Sprintf("https://post.example.org/pier-%d", i)},
			},
			Time: now.Add(-time.Duration(i) * time.Hour),
		})
	}
	return d
}

func TestPostDigest(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{fake: discordtest.Options{Guilds: []discordtest.Guild{{Name: "news", Channels: []discordtest.Channel{
		{Name: "digest"},
		{Name: "hidden", NoAccess: true},
		{Name: "read-only", NoSend: true},
	}}}}})
	ctx := context.Background()
	channels := e.srv.Guilds()[0].Channels
	digestCh, hidden, readOnly := channels[0].ID, channels[1].ID, channels[2].ID
	user := e.srv.AddUser(discordtest.User{ID: "80351110224678912", Username: "someone"})
	d := bigDigest("<@" + user.ID + ">")
	want := render.Discord(*d)
	if len(want) < 2 {
		t.Fatalf("the test digest renders as %d message; make it longer", len(want))
	}

	t.Run("split, no mentions, nonces", func(t *testing.T) {
		ids, err := e.a.PostDigest(ctx, digestCh, d, "delivery-1")
		if err != nil {
			t.Fatal(err)
		}
		got := e.srv.Messages(digestCh)
		if len(ids) != len(want) || len(got) != len(want) {
			t.Fatalf("%d ids and %d messages, want %d", len(ids), len(got), len(want))
		}
		nonces := map[string]bool{}
		for i, m := range got {
			if m.ID != ids[i] {
				t.Errorf("message %d id %s, returned %s", i, m.ID, ids[i])
			}
			checkNoMentions(t, m)
			if m.Nonce == "" || len(m.Nonce) > 25 || nonces[m.Nonce] {
				t.Errorf("message %d nonce %q: want unique, 1-25 characters", i, m.Nonce)
			}
			nonces[m.Nonce] = true
			if m.Content != want[i].Content || len(m.Embeds) != len(want[i].Embeds) {
				t.Errorf("message %d differs from the renderer's", i)
			}
		}
		// The same delivery again (a retry after a crash) posts nothing new.
		again, err := e.a.PostDigest(ctx, digestCh, d, "delivery-1")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(again, ids) || len(e.srv.Messages(digestCh)) != len(want) {
			t.Errorf("retry posted again: ids %v, first %v", again, ids)
		}
	})

	t.Run("rate limited", func(t *testing.T) {
		before := counterValue(t, e.metrics.RateLimits.WithLabelValues(store.Discord))
		e.srv.RateLimitNext("POST /channels/{channel_id}/messages", 2, 100*time.Millisecond, false)
		e.srv.RateLimitNext("", 1, 50*time.Millisecond, true)
		n := len(e.srv.Messages(digestCh))
		ids, err := e.a.PostDigest(ctx, digestCh, d, "delivery-2")
		if err != nil {
			t.Fatalf("PostDigest after 429s: %v", err)
		}
		if len(ids) != len(want) || len(e.srv.Messages(digestCh)) != n+len(want) {
			t.Errorf("sent %d of %d messages", len(ids), len(want))
		}
		if got := len(e.srv.RateLimited()); got < 3 {
			t.Errorf("fake answered %d 429s, want 3", got)
		}
		if got := counterValue(t, e.metrics.RateLimits.WithLabelValues(store.Discord)) - before; got < 3 {
			t.Errorf("rate-limit metric grew by %v, want 3", got)
		}
	})

	for _, tt := range []struct{ name, channel string }{
		{"missing access", hidden},
		{"missing permissions", readOnly},
		{"unknown channel", "1234567890123"},
		{"not a channel id", "../../users/@me"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ids, err := e.a.PostDigest(ctx, tt.channel, d, "delivery-3")
			if !errors.Is(err, bot.ErrChatUnavailable) {
				t.Fatalf("PostDigest = %v, want ErrChatUnavailable", err)
			}
			if len(ids) != 0 {
				t.Errorf("ids %v for a refused channel", ids)
			}
			if strings.Contains(err.Error(), e.srv.Token()) {
				t.Errorf("error holds the token: %v", err)
			}
		})
	}

	if ok := counterValue(t, e.metrics.Deliveries.WithLabelValues(store.Discord, "ok")); int(ok) != 3*len(want) {
		t.Errorf("deliveries ok = %v, want %d (nonce replays count as sent)", ok, 3*len(want))
	}
	if _, err := e.a.PostDigest(ctx, digestCh, nil, "x"); err == nil {
		t.Error("PostDigest of no digest succeeded")
	}
	if e.a.Platform() != store.Discord {
		t.Errorf("Platform = %q", e.a.Platform())
	}
}

func TestNonce(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, key := range []string{"", "a", "channel 1 2025-01-02T08:00", strings.Repeat("k", 500)} {
		for part := 0; part < 5; part++ {
			n := nonce(key, part)
			if len(n) != nonceLen || seen[n] || n != nonce(key, part) {
				t.Errorf("nonce(%.10q, %d) = %q: want stable, unique, %d characters", key, part, n, nonceLen)
			}
			seen[n] = true
		}
	}
}
