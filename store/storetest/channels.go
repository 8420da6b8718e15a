package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

func mustSaveChannel(t *testing.T, s store.Store, c *store.Channel) {
	t.Helper()
	if err := s.SaveChannel(context.Background(), c); err != nil {
		t.Fatalf("SaveChannel(%s/%s): %v", c.Platform, c.ChatID, err)
	}
}

func mustChannel(t *testing.T, s store.Store, platform, chatID string) *store.Channel {
	t.Helper()
	c, err := s.Channel(context.Background(), platform, chatID)
	if err != nil {
		t.Fatalf("Channel(%s/%s): %v", platform, chatID, err)
	}
	return c
}

// checkChannel fails unless got holds what want was saved with.
func checkChannel(t *testing.T, got, want *store.Channel) {
	t.Helper()
	same := got.ID == want.ID && got.Platform == want.Platform && got.ChatID == want.ChatID &&
		got.GuildID == want.GuildID && got.Title == want.Title && got.TimeZone == want.TimeZone &&
		got.Schedule == want.Schedule && slices.Equal(got.Topics, want.Topics) &&
		slices.Equal(got.Filters, want.Filters) && got.MaxStories == want.MaxStories &&
		got.Paused == want.Paused && got.PauseReason == want.PauseReason
	for _, p := range [][2]time.Time{{got.PausedAt, want.PausedAt}, {got.LastDigest, want.LastDigest}, {got.Created, want.Created}} {
		if !p[0].Equal(ms(p[1])) || (!p[0].IsZero() && p[0].Location() != time.UTC) {
			same = false
		}
	}
	if !same {
		t.Errorf("channel = %+v,\n\twant %+v (times in UTC, to the millisecond)", *got, *want)
	}
}

func newChannel(platform, chatID string) *store.Channel {
	return &store.Channel{Platform: platform, ChatID: chatID, Title: "Chat " + chatID}
}

func testSaveChannel(t *testing.T, s store.Store) {
	ctx := context.Background()
	before := time.Now().Add(-time.Second)
	full := &store.Channel{
		Platform:    store.Discord,
		ChatID:      "112233445566778899",
		GuildID:     "998877665544332211",
		Title:       "#новости — news",
		TimeZone:    "Europe/Moscow",
		Schedule:    "daily 08:00",
		Topics:      []string{"storm", "Москва", `quote "marks"`},
		Filters:     []string{"exclude:football", "source:wire"},
		MaxStories:  7,
		Paused:      true,
		PauseReason: "Missing Access",
		PausedAt:    base.Add(123456789 * time.Nanosecond),
		LastDigest:  base.Add(-time.Hour).In(time.FixedZone("MSK", 3*3600)),
	}
	mustSaveChannel(t, s, full)
	if full.ID <= 0 {
		t.Fatalf("ID = %d after SaveChannel, want > 0", full.ID)
	}
	if full.Created.Before(before) || full.Created.After(time.Now().Add(time.Second)) {
		t.Errorf("Created = %v, want about now", full.Created)
	}
	checkChannel(t, mustChannel(t, s, full.Platform, full.ChatID), full)

	// A bare channel: empty lists read back as nil, zero times as zero.
	bare := newChannel(store.Telegram, "-1001234567890")
	mustSaveChannel(t, s, bare)
	got := mustChannel(t, s, store.Telegram, bare.ChatID)
	checkChannel(t, got, bare)
	if got.Topics != nil || got.Filters != nil || !got.PausedAt.IsZero() || !got.LastDigest.IsZero() {
		t.Errorf("bare channel read back with %+v", *got)
	}
	// An insert keeps a creation time it is given.
	aged := newChannel(store.Telegram, "-1009988776655")
	aged.Created = base.Add(-72*time.Hour + 987654321*time.Nanosecond)
	wantCreated := aged.Created.Truncate(time.Millisecond)
	mustSaveChannel(t, s, aged)
	if got := mustChannel(t, s, store.Telegram, aged.ChatID); !got.Created.Equal(wantCreated) || !aged.Created.Equal(wantCreated) {
		t.Errorf("insert with Created %v: read back %v, set %v", wantCreated, got.Created, aged.Created)
	}
	// The same chat id on another platform is another channel.
	other := newChannel(store.Discord, bare.ChatID)
	mustSaveChannel(t, s, other)
	if other.ID == bare.ID {
		t.Error("the same chat id on two platforms got one id")
	}

	// An update is keyed by (platform, chat id): the id and creation time
	// given are ignored and the stored ones kept.
	upd := *full
	upd.ID, upd.Created = 0, time.Time{}
	upd.Schedule, upd.Topics, upd.Filters, upd.Paused, upd.PauseReason, upd.PausedAt = "", nil, []string{}, false, "", time.Time{}
	upd.LastDigest = base
	mustSaveChannel(t, s, &upd)
	if upd.ID != full.ID || !upd.Created.Equal(full.Created) {
		t.Errorf("update: ID %d Created %v, want the stored %d %v", upd.ID, upd.Created, full.ID, full.Created)
	}
	checkChannel(t, mustChannel(t, s, full.Platform, full.ChatID), &upd)

	tests := []struct {
		platform string
		want     []int64
	}{
		{"", []int64{full.ID, bare.ID, aged.ID, other.ID}},
		{store.Discord, []int64{full.ID, other.ID}},
		{store.Telegram, []int64{bare.ID, aged.ID}},
		{"irc", nil},
	}
	for _, tt := range tests {
		cs, err := s.Channels(ctx, tt.platform)
		if err != nil {
			t.Fatalf("Channels(%q): %v", tt.platform, err)
		}
		var got []int64
		for _, c := range cs {
			got = append(got, c.ID)
		}
		if !equalIDs(got, tt.want) {
			t.Errorf("Channels(%q) = ids %v, want %v", tt.platform, got, tt.want)
		}
	}
	_, err := s.Channel(ctx, store.Telegram, "404")
	wantErr(t, "Channel of an unknown chat", err, store.ErrNotFound)
	_, err = s.Channel(ctx, store.Telegram, full.ChatID) // a Discord channel's id
	wantErr(t, "Channel on the wrong platform", err, store.ErrNotFound)
}

func testChannelInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, c := range []*store.Channel{
		nil,
		{ChatID: "1"},
		{Platform: store.Telegram},
		{Platform: store.Telegram, ChatID: "1", MaxStories: -1},
	} {
		err := s.SaveChannel(ctx, c)
		wantErr(t, fmt.Sprintf("SaveChannel(%+v)", c), err, store.ErrInvalid)
	}
	if cs, err := s.Channels(ctx, ""); err != nil || len(cs) != 0 {
		t.Errorf("Channels after invalid saves = %d, %v; want none", len(cs), err)
	}
}

func testMoveChannel(t *testing.T, s store.Store) {
	ctx := context.Background()
	group := &store.Channel{Platform: store.Telegram, ChatID: "-4001", Title: "Group", Schedule: "daily 07:30",
		Topics: []string{"harbour"}, TimeZone: "Asia/Tokyo", LastDigest: base}
	mustSaveChannel(t, s, group)
	mustMark(t, s, group.ID, store.Delivered{StoryKey: "story-a", Articles: 3, At: base})
	slot := &store.Slot{ChannelID: group.ID, Local: "2026-03-01T07:30", Due: base}
	mustClaim(t, s, slot, "host-1", base, time.Minute, true)
	if err := s.CompleteSlot(ctx, slot.ID, "host-1", []string{"m1"}, base); err != nil {
		t.Fatal(err)
	}
	busy := newChannel(store.Telegram, "-1009999")
	mustSaveChannel(t, s, busy)

	// The target chat has a channel: nothing moves.
	err := s.MoveChannel(ctx, store.Telegram, group.ChatID, busy.ChatID)
	wantErr(t, "MoveChannel onto a stored chat", err, store.ErrExists)
	checkChannel(t, mustChannel(t, s, store.Telegram, group.ChatID), group)
	checkChannel(t, mustChannel(t, s, store.Telegram, busy.ChatID), busy)

	err = s.MoveChannel(ctx, store.Telegram, "-404", "-1004040")
	wantErr(t, "MoveChannel of an unknown chat", err, store.ErrNotFound)
	err = s.MoveChannel(ctx, store.Discord, group.ChatID, "-1004040") // right chat, wrong platform
	wantErr(t, "MoveChannel on the wrong platform", err, store.ErrNotFound)
	if err := s.MoveChannel(ctx, store.Telegram, group.ChatID, group.ChatID); err != nil {
		t.Errorf("MoveChannel to its own chat id: %v", err)
	}

	const super = "-1004001"
	if err := s.MoveChannel(ctx, store.Telegram, group.ChatID, super); err != nil {
		t.Fatalf("MoveChannel: %v", err)
	}
	_, err = s.Channel(ctx, store.Telegram, group.ChatID)
	wantErr(t, "Channel of the old chat id", err, store.ErrNotFound)
	moved := *group
	moved.ChatID = super
	checkChannel(t, mustChannel(t, s, store.Telegram, super), &moved)
	// Its history went with it.
	ds, err := s.DeliveredSince(ctx, group.ID, time.Time{})
	if err != nil || len(ds) != 1 || ds["story-a"].Articles != 3 {
		t.Errorf("DeliveredSince after move = %v, %v; want story-a", ds, err)
	}
	last, err := s.LastSlot(ctx, group.ID)
	if err != nil || last.ID != slot.ID {
		t.Errorf("LastSlot after move = %+v, %v; want slot %d", last, err, slot.ID)
	}
	// A claim of the same slot after the move finds it done.
	again := &store.Slot{ChannelID: group.ID, Local: slot.Local, Due: base}
	mustClaim(t, s, again, "host-2", base.Add(time.Hour), time.Minute, false)
	// The old chat id is free for a new channel.
	mustSaveChannel(t, s, newChannel(store.Telegram, group.ChatID))
}

func testDeleteChannel(t *testing.T, s store.Store) {
	ctx := context.Background()
	gone := newChannel(store.Discord, "1")
	kept := newChannel(store.Discord, "2")
	mustSaveChannel(t, s, gone)
	mustSaveChannel(t, s, kept)
	for _, c := range []*store.Channel{gone, kept} {
		mustMark(t, s, c.ID, store.Delivered{StoryKey: "k", Articles: 1, At: base})
		done := &store.Slot{ChannelID: c.ID, Local: "2026-03-01T08:00", Due: base}
		mustClaim(t, s, done, "o", base, time.Minute, true)
		if err := s.SkipSlot(ctx, done.ID, "o"); err != nil {
			t.Fatal(err)
		}
		open := &store.Slot{ChannelID: c.ID, Local: "2026-03-02T08:00", Due: base.Add(24 * time.Hour)}
		mustClaim(t, s, open, "o", base, time.Minute, true)
	}
	if err := s.DeleteChannel(ctx, gone.ID); err != nil {
		t.Fatalf("DeleteChannel: %v", err)
	}
	_, err := s.Channel(ctx, gone.Platform, gone.ChatID)
	wantErr(t, "Channel after delete", err, store.ErrNotFound)
	if ds, err := s.DeliveredSince(ctx, gone.ID, time.Time{}); err != nil || len(ds) != 0 {
		t.Errorf("DeliveredSince of a deleted channel = %v, %v; want nothing", ds, err)
	}
	_, err = s.LastSlot(ctx, gone.ID)
	wantErr(t, "LastSlot of a deleted channel", err, store.ErrNotFound)
	open, err := s.OpenSlots(ctx, base.Add(time.Hour))
	if err != nil || len(open) != 1 || open[0].ChannelID != kept.ID {
		t.Errorf("OpenSlots after delete = %v, %v; want only the kept channel's", open, err)
	}
	// The other channel is untouched.
	if ds, err := s.DeliveredSince(ctx, kept.ID, time.Time{}); err != nil || len(ds) != 1 {
		t.Errorf("DeliveredSince of the kept channel = %v, %v", ds, err)
	}
	if _, err := s.LastSlot(ctx, kept.ID); err != nil {
		t.Errorf("LastSlot of the kept channel: %v", err)
	}
	err = s.DeleteChannel(ctx, gone.ID)
	wantErr(t, "DeleteChannel again", err, store.ErrNotFound)
	// A new channel in the deleted one's chat starts afresh.
	fresh := newChannel(gone.Platform, gone.ChatID)
	mustSaveChannel(t, s, fresh)
	if ds, err := s.DeliveredSince(ctx, fresh.ID, time.Time{}); err != nil || len(ds) != 0 {
		t.Errorf("DeliveredSince of a new channel in a deleted one's chat = %v, %v", ds, err)
	}
}

func mustMark(t *testing.T, s store.Store, id int64, ds ...store.Delivered) {
	t.Helper()
	if err := s.MarkDelivered(context.Background(), id, ds); err != nil {
		t.Fatalf("MarkDelivered(%d): %v", id, err)
	}
}

func testDelivered(t *testing.T, s store.Store) {
	ctx := context.Background()
	c := newChannel(store.Telegram, "42")
	other := newChannel(store.Telegram, "43")
	mustSaveChannel(t, s, c)
	mustSaveChannel(t, s, other)
	mustMark(t, s, c.ID,
		store.Delivered{StoryKey: "old", Articles: 2, ArticleIDs: []int64{11, 12}, At: base.Add(-48 * time.Hour)},
		store.Delivered{StoryKey: "edge", Articles: 1, At: base.Add(-24 * time.Hour)},
		store.Delivered{StoryKey: "new", Articles: 4, ArticleIDs: []int64{1, 2, 3, 1 << 40}, At: base.Add(-time.Hour + 500*time.Microsecond)},
	)
	mustMark(t, s, other.ID, store.Delivered{StoryKey: "new", Articles: 9, At: base})
	// Sent again later with more articles: the later delivery is kept; an
	// earlier one recorded late changes nothing.
	mustMark(t, s, c.ID, store.Delivered{StoryKey: "old", Articles: 5, ArticleIDs: []int64{11, 12, 13, 14, 15}, At: base.Add(-2 * time.Hour)})
	mustMark(t, s, c.ID, store.Delivered{StoryKey: "new", Articles: 1, ArticleIDs: []int64{9}, At: base.Add(-3 * time.Hour)})
	if err := s.MarkDelivered(ctx, c.ID, nil); err != nil {
		t.Errorf("MarkDelivered(nothing): %v", err)
	}

	tests := []struct {
		name  string
		since time.Time
		want  map[string]store.Delivered
	}{
		{"everything", time.Time{}, map[string]store.Delivered{
			"old":  {StoryKey: "old", Articles: 5, ArticleIDs: []int64{11, 12, 13, 14, 15}, At: base.Add(-2 * time.Hour)},
			"edge": {StoryKey: "edge", Articles: 1, At: base.Add(-24 * time.Hour)},
			"new":  {StoryKey: "new", Articles: 4, ArticleIDs: []int64{1, 2, 3, 1 << 40}, At: ms(base.Add(-time.Hour + 500*time.Microsecond))},
		}},
		{"since is inclusive", base.Add(-24 * time.Hour).In(time.FixedZone("X", -7*3600)), map[string]store.Delivered{
			"old":  {StoryKey: "old", Articles: 5, ArticleIDs: []int64{11, 12, 13, 14, 15}, At: base.Add(-2 * time.Hour)},
			"edge": {StoryKey: "edge", Articles: 1, At: base.Add(-24 * time.Hour)},
			"new":  {StoryKey: "new", Articles: 4, ArticleIDs: []int64{1, 2, 3, 1 << 40}, At: ms(base.Add(-time.Hour + 500*time.Microsecond))},
		}},
		{"recent", base.Add(-90 * time.Minute), map[string]store.Delivered{
			"new": {StoryKey: "new", Articles: 4, ArticleIDs: []int64{1, 2, 3, 1 << 40}, At: ms(base.Add(-time.Hour + 500*time.Microsecond))},
		}},
		{"none", base.Add(time.Minute), map[string]store.Delivered{}},
	}
	for _, tt := range tests {
		got, err := s.DeliveredSince(ctx, c.ID, tt.since)
		if err != nil {
			t.Fatalf("%s: DeliveredSince: %v", tt.name, err)
		}
		if got == nil {
			t.Errorf("%s: DeliveredSince returned a nil map", tt.name)
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s: DeliveredSince = %v, want %v", tt.name, got, tt.want)
			continue
		}
		for k, w := range tt.want {
			g, ok := got[k]
			if !ok || g.StoryKey != w.StoryKey || g.Articles != w.Articles || !slices.Equal(g.ArticleIDs, w.ArticleIDs) ||
				(w.ArticleIDs == nil) != (g.ArticleIDs == nil) || !g.At.Equal(w.At) || g.At.Location() != time.UTC {
				t.Errorf("%s: DeliveredSince[%q] = %+v, want %+v in UTC", tt.name, k, g, w)
			}
		}
	}
	if got, err := s.DeliveredSince(ctx, 987654, time.Time{}); err != nil || len(got) != 0 {
		t.Errorf("DeliveredSince of an unknown channel = %v, %v; want nothing", got, err)
	}
}

func testDeliveredInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	c := newChannel(store.Discord, "7")
	mustSaveChannel(t, s, c)
	ok := store.Delivered{StoryKey: "fine", Articles: 1, At: base}
	for _, d := range []store.Delivered{
		{Articles: 1, At: base},
		{StoryKey: "no time", Articles: 1},
		{StoryKey: "negative", Articles: -1, At: base},
	} {
		err := s.MarkDelivered(ctx, c.ID, []store.Delivered{ok, d})
		wantErr(t, fmt.Sprintf("MarkDelivered(%+v)", d), err, store.ErrInvalid)
	}
	err := s.MarkDelivered(ctx, 987654, []store.Delivered{ok})
	wantErr(t, "MarkDelivered to an unknown channel", err, store.ErrNotFound)
	if got, err := s.DeliveredSince(ctx, c.ID, time.Time{}); err != nil || len(got) != 0 {
		t.Errorf("DeliveredSince after failed marks = %v, %v; want nothing recorded", got, err)
	}
}
