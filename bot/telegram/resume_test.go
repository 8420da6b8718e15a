package telegram

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/newsdigest/newsdigest/bot/telegram/telegramtest"
	"github.com/newsdigest/newsdigest/digest/render"
)

// ResumeDigest reports each message but the last as it goes out, and a
// resumed call sends only the messages not sent before.
func TestResumeDigest(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{noRun: true})
	ctx := context.Background()
	chat := e.srv.AddChat(telegramtest.Chat{ID: 4200})
	d := bigDigest()
	want := render.Telegram(*d)
	if len(want) < 3 {
		t.Fatalf("the test digest renders as %d messages; want 3 or more", len(want))
	}
	var reported [][]string
	ids, err := e.a.ResumeDigest(ctx, fmt.Sprint(chat.ID), d, "k", nil, func(ids []string) { reported = append(reported, ids) })
	if err != nil || len(ids) != len(want) {
		t.Fatalf("ResumeDigest = %v, %v; want %d ids", ids, err, len(want))
	}
	if len(reported) != len(want)-1 || !slices.Equal(reported[len(reported)-1], ids[:len(ids)-1]) || len(reported[0]) != 1 {
		t.Errorf("progress reported %v, want the ids so far after each message but the last of %v", reported, ids)
	}

	// A retry that finds the first message recorded sends the rest only.
	reported = nil
	again, err := e.a.ResumeDigest(ctx, fmt.Sprint(chat.ID), d, "k", ids[:1], func(ids []string) { reported = append(reported, ids) })
	if err != nil || len(again) != len(want) || again[0] != ids[0] {
		t.Fatalf("resumed ResumeDigest = %v, %v; want %d ids starting with %s", again, err, len(want), ids[0])
	}
	if len(reported) == 0 || reported[0][0] != ids[0] || len(reported[0]) != 2 {
		t.Errorf("resumed progress %v: want the recorded id first", reported)
	}
	msgs := e.srv.Messages(chat.ID)
	if len(msgs) != 2*len(want)-1 {
		t.Fatalf("%d messages in the chat, want %d then %d", len(msgs), len(want), len(want)-1)
	}
	for i, m := range msgs[len(want):] {
		if m.Source != want[i+1] {
			t.Errorf("resumed message %d is not part %d of the digest", i, i+2)
		}
	}
	// All sent already: nothing goes out.
	if all, err := e.a.ResumeDigest(ctx, fmt.Sprint(chat.ID), d, "k", again, nil); err != nil || !slices.Equal(all, again) {
		t.Errorf("ResumeDigest with every message sent = %v, %v", all, err)
	}
	if n := len(e.srv.Messages(chat.ID)); n != len(msgs) {
		t.Errorf("%d messages after a complete resume, want %d", n, len(msgs))
	}
}
