package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

func mustClaim(t *testing.T, s store.Store, sl *store.Slot, owner string, now time.Time, lease time.Duration, want bool) {
	t.Helper()
	ok, err := s.ClaimSlot(context.Background(), sl, owner, now, lease)
	if err != nil {
		t.Fatalf("ClaimSlot(%d/%s by %s at %v): %v", sl.ChannelID, sl.Local, owner, now, err)
	}
	if ok != want {
		t.Fatalf("ClaimSlot(%d/%s by %s at %v) = %v, want %v", sl.ChannelID, sl.Local, owner, now, ok, want)
	}
}

// slotChannel stores a channel for slot tests.
func slotChannel(t *testing.T, s store.Store, chatID string) *store.Channel {
	t.Helper()
	c := &store.Channel{Platform: store.Telegram, ChatID: chatID, Schedule: "daily 08:00"}
	mustSaveChannel(t, s, c)
	return c
}

// The claim rules, step by step, on one slot.
func testClaimRules(t *testing.T, s store.Store) {
	ctx := context.Background()
	c := slotChannel(t, s, "1")
	due := base.Add(123 * time.Microsecond)
	const lease = 10 * time.Minute
	type step struct {
		name         string
		owner        string
		at           time.Duration // after base
		want         bool
		wantAttempts int
	}
	steps := []step{
		{"new slot", "a", 0, true, 1},
		{"held by another", "b", time.Minute, false, 0},
		{"held by the same owner: not re-entrant", "a", 2 * time.Minute, false, 0},
		{"just before the lease lapses", "b", lease - time.Millisecond, false, 0},
		{"lapsed lease taken over", "b", lease, true, 2},
		{"the old owner cannot take it back", "a", lease + time.Minute, false, 0},
		{"lapsed again, taken back", "a", 3 * lease, true, 3},
	}
	var id int64
	for _, st := range steps {
		sl := &store.Slot{ChannelID: c.ID, Local: "2026-03-01T12:00", Due: due}
		if st.name != "new slot" {
			sl.Due = due.Add(time.Hour) // ignored: the slot keeps its first due time
		}
		now := base.Add(st.at)
		ok, err := s.ClaimSlot(ctx, sl, st.owner, now, lease)
		if err != nil {
			t.Fatalf("%s: ClaimSlot: %v", st.name, err)
		}
		if ok != st.want {
			t.Fatalf("%s: ClaimSlot = %v, want %v", st.name, ok, st.want)
		}
		if !ok {
			if sl.ID != 0 || sl.Owner != "" {
				t.Errorf("%s: a failed claim changed the slot to %+v", st.name, *sl)
			}
			continue
		}
		if id == 0 {
			id = sl.ID
		}
		if sl.ID != id || sl.ID <= 0 || sl.ChannelID != c.ID || sl.Owner != st.owner || sl.Attempts != st.wantAttempts ||
			!sl.Due.Equal(ms(due)) || sl.Due.Location() != time.UTC || !sl.LeaseUntil.Equal(ms(now.Add(lease))) ||
			sl.Done || sl.Skipped {
			t.Errorf("%s: claimed slot = %+v; want id %d, owner %s, attempts %d, due %v, lease until %v",
				st.name, *sl, id, st.owner, st.wantAttempts, ms(due), ms(now.Add(lease)))
		}
	}
	// Another local time of the same channel, and the same local time of
	// another channel, are other slots.
	other := slotChannel(t, s, "2")
	mustClaim(t, s, &store.Slot{ChannelID: c.ID, Local: "2026-03-01T13:00", Due: base}, "b", base, lease, true)
	mustClaim(t, s, &store.Slot{ChannelID: other.ID, Local: "2026-03-01T12:00", Due: base}, "b", base, lease, true)
}

func testReleaseSlot(t *testing.T, s store.Store) {
	ctx := context.Background()
	c := slotChannel(t, s, "1")
	const lease = time.Hour
	sl := &store.Slot{ChannelID: c.ID, Local: "2026-03-01T08:00", Due: base}
	mustClaim(t, s, sl, "a", base, lease, true)
	err := s.ReleaseSlot(ctx, sl.ID, "b", "not mine", time.Time{})
	wantErr(t, "ReleaseSlot by another owner", err, store.ErrNotClaimed)

	retry := base.Add(5 * time.Minute)
	if err := s.ReleaseSlot(ctx, sl.ID, "a", "telegram: 502 Bad Gateway", retry); err != nil {
		t.Fatalf("ReleaseSlot: %v", err)
	}
	err = s.ReleaseSlot(ctx, sl.ID, "a", "again", retry)
	wantErr(t, "ReleaseSlot twice", err, store.ErrNotClaimed)
	err = s.CompleteSlot(ctx, sl.ID, "a", nil, base)
	wantErr(t, "CompleteSlot after release", err, store.ErrNotClaimed)

	open, err := s.OpenSlots(ctx, base.Add(time.Minute))
	if err != nil || len(open) != 0 {
		t.Errorf("OpenSlots before the retry time = %d, %v; want none", len(open), err)
	}
	// Not before the retry time, by anyone (the lease is gone with the
	// release, so only the retry time holds it back).
	mustClaim(t, s, &store.Slot{ChannelID: c.ID, Local: sl.Local, Due: base}, "b", retry.Add(-time.Millisecond), lease, false)
	open, err = s.OpenSlots(ctx, retry)
	if err != nil || len(open) != 1 {
		t.Fatalf("OpenSlots at the retry time = %d, %v; want 1", len(open), err)
	}
	o := open[0]
	if o.ID != sl.ID || o.Owner != "" || !o.LeaseUntil.IsZero() || o.LastError != "telegram: 502 Bad Gateway" ||
		!o.RetryAt.Equal(retry) || o.Attempts != 1 || o.Done {
		t.Errorf("released slot = %+v", *o)
	}
	again := &store.Slot{ChannelID: c.ID, Local: sl.Local, Due: base}
	mustClaim(t, s, again, "b", retry, lease, true)
	if again.ID != sl.ID || again.Attempts != 2 || again.Owner != "b" || again.LastError != "telegram: 502 Bad Gateway" {
		t.Errorf("slot claimed after release = %+v", *again)
	}
	// Released with no retry time: claimable at once.
	if err := s.ReleaseSlot(ctx, sl.ID, "b", "", time.Time{}); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, s, &store.Slot{ChannelID: c.ID, Local: sl.Local, Due: base}, "c", retry, lease, true)
}

func testFinishSlot(t *testing.T, s store.Store) {
	ctx := context.Background()
	c := slotChannel(t, s, "1")
	const lease = time.Minute
	sent := &store.Slot{ChannelID: c.ID, Local: "2026-03-01T08:00", Due: base}
	mustClaim(t, s, sent, "a", base, lease, true)
	err := s.CompleteSlot(ctx, sent.ID, "b", []string{"x"}, base)
	wantErr(t, "CompleteSlot by another owner", err, store.ErrNotClaimed)
	// The owner may complete after its lease lapsed, if no one took over.
	sentAt := base.Add(2*lease + 456*time.Microsecond)
	ids := []string{"1001", "1002", "thread/77"}
	if err := s.CompleteSlot(ctx, sent.ID, "a", ids, sentAt); err != nil {
		t.Fatalf("CompleteSlot: %v", err)
	}
	for _, f := range []struct {
		name string
		do   func() error
	}{
		{"CompleteSlot twice", func() error { return s.CompleteSlot(ctx, sent.ID, "a", ids, sentAt) }},
		{"SkipSlot after complete", func() error { return s.SkipSlot(ctx, sent.ID, "a") }},
		{"ReleaseSlot after complete", func() error { return s.ReleaseSlot(ctx, sent.ID, "a", "late", time.Time{}) }},
	} {
		wantErr(t, f.name, f.do(), store.ErrNotClaimed)
	}
	for _, f := range []struct {
		name string
		do   func() error
	}{
		{"CompleteSlot", func() error { return s.CompleteSlot(ctx, 987654, "a", nil, base) }},
		{"SkipSlot", func() error { return s.SkipSlot(ctx, 987654, "a") }},
		{"ReleaseSlot", func() error { return s.ReleaseSlot(ctx, 987654, "a", "", time.Time{}) }},
	} {
		wantErr(t, f.name+" of an unknown slot", f.do(), store.ErrNotFound)
	}
	// Done is final: no claim takes it, however late.
	mustClaim(t, s, &store.Slot{ChannelID: c.ID, Local: sent.Local, Due: base}, "b", base.Add(24*time.Hour), lease, false)
	last, err := s.LastSlot(ctx, c.ID)
	if err != nil {
		t.Fatalf("LastSlot: %v", err)
	}
	if last.ID != sent.ID || !last.Done || last.Skipped || !slices.Equal(last.MessageIDs, ids) ||
		!last.SentAt.Equal(ms(sentAt)) || last.SentAt.Location() != time.UTC || last.Owner != "a" || last.Local != sent.Local {
		t.Errorf("completed slot = %+v", *last)
	}

	skipped := &store.Slot{ChannelID: c.ID, Local: "2026-03-02T08:00", Due: base.Add(24 * time.Hour)}
	mustClaim(t, s, skipped, "a", base.Add(24*time.Hour), lease, true)
	err = s.SkipSlot(ctx, skipped.ID, "b")
	wantErr(t, "SkipSlot by another owner", err, store.ErrNotClaimed)
	if err := s.SkipSlot(ctx, skipped.ID, "a"); err != nil {
		t.Fatalf("SkipSlot: %v", err)
	}
	last, err = s.LastSlot(ctx, c.ID)
	if err != nil || last.ID != skipped.ID || !last.Done || !last.Skipped || last.MessageIDs != nil || !last.SentAt.IsZero() {
		t.Errorf("LastSlot after skip = %+v, %v; want the skipped slot, done, no messages", last, err)
	}
}

// Messages recorded part by part survive a crash: the owner that takes
// the slot over sees them, and only the claim's owner may record.
func testRecordSlotMessages(t *testing.T, s store.Store) {
	ctx := context.Background()
	c := slotChannel(t, s, "1")
	const lease = time.Minute
	sl := &store.Slot{ChannelID: c.ID, Local: "2026-03-01T08:00", Due: base}
	mustClaim(t, s, sl, "a", base, lease, true)
	wantErr(t, "RecordSlotMessages by another owner", s.RecordSlotMessages(ctx, sl.ID, "b", []string{"9"}), store.ErrNotClaimed)
	wantErr(t, "RecordSlotMessages of an unknown slot", s.RecordSlotMessages(ctx, 987654, "a", []string{"9"}), store.ErrNotFound)
	for _, ids := range [][]string{{"101"}, {"101", "102"}} {
		if err := s.RecordSlotMessages(ctx, sl.ID, "a", ids); err != nil {
			t.Fatalf("RecordSlotMessages(%v): %v", ids, err)
		}
	}
	// a dies; b takes over after the lease and sees what a sent.
	taken := &store.Slot{ChannelID: c.ID, Local: sl.Local, Due: base}
	mustClaim(t, s, taken, "b", base.Add(lease), lease, true)
	if !slices.Equal(taken.MessageIDs, []string{"101", "102"}) || taken.Done {
		t.Fatalf("slot taken over = %+v; want messages [101 102], not done", *taken)
	}
	wantErr(t, "RecordSlotMessages by the old owner", s.RecordSlotMessages(ctx, sl.ID, "a", []string{"101", "102", "103"}), store.ErrNotClaimed)
	if err := s.CompleteSlot(ctx, sl.ID, "b", []string{"101", "102", "104"}, base.Add(lease)); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "RecordSlotMessages after complete", s.RecordSlotMessages(ctx, sl.ID, "b", nil), store.ErrNotClaimed)
	last, err := s.LastSlot(ctx, c.ID)
	if err != nil || !slices.Equal(last.MessageIDs, []string{"101", "102", "104"}) {
		t.Errorf("LastSlot = %+v, %v; want the completed messages", last, err)
	}
}

func testLastAndOpenSlots(t *testing.T, s store.Store) {
	ctx := context.Background()
	c := slotChannel(t, s, "1")
	other := slotChannel(t, s, "2")
	_, err := s.LastSlot(ctx, c.ID)
	wantErr(t, "LastSlot of a channel without slots", err, store.ErrNotFound)
	if open, err := s.OpenSlots(ctx, base); err != nil || len(open) != 0 {
		t.Errorf("OpenSlots of an empty store = %v, %v", open, err)
	}
	const lease = time.Hour
	day := func(d int) *store.Slot {
		return &store.Slot{ChannelID: c.ID, Local: fmt.Sprintf("2026-03-%02dT08:00", d), Due: base.Add(time.Duration(d) * 24 * time.Hour)}
	}
	// Done slots completed out of order: LastSlot goes by due time.
	d3, d1, d2 := day(3), day(1), day(2)
	for _, sl := range []*store.Slot{d3, d1, d2} {
		mustClaim(t, s, sl, "a", base, lease, true)
		if err := s.CompleteSlot(ctx, sl.ID, "a", []string{sl.Local}, base); err != nil {
			t.Fatal(err)
		}
	}
	crashed, live, waiting := day(4), day(5), day(6)
	mustClaim(t, s, crashed, "a", base, lease, true)
	mustClaim(t, s, live, "a", base.Add(lease), lease, true)
	mustClaim(t, s, waiting, "a", base, lease, true)
	if err := s.ReleaseSlot(ctx, waiting.ID, "a", "boom", base.Add(3*lease)); err != nil {
		t.Fatal(err)
	}
	otherOpen := &store.Slot{ChannelID: other.ID, Local: "2026-03-01T09:00", Due: base.Add(time.Hour)}
	mustClaim(t, s, otherOpen, "b", base, lease, true)

	last, err := s.LastSlot(ctx, c.ID)
	if err != nil || last.ID != d3.ID {
		t.Errorf("LastSlot = %+v, %v; want the slot due last (%d)", last, err, d3.ID)
	}
	_, err = s.LastSlot(ctx, other.ID)
	wantErr(t, "LastSlot of a channel with no done slot", err, store.ErrNotFound)

	slotIDs := func(ss []*store.Slot) []int64 {
		var out []int64
		for _, s := range ss {
			out = append(out, s.ID)
		}
		return out
	}
	tests := []struct {
		name string
		now  time.Time
		want []int64
	}{
		{"all leases live", base.Add(time.Minute), nil},
		{"first leases lapsed", base.Add(lease), []int64{otherOpen.ID, crashed.ID}},
		{"every lease lapsed, one waits to retry", base.Add(2 * lease), []int64{otherOpen.ID, crashed.ID, live.ID}},
		{"retry time come", base.Add(3 * lease), []int64{otherOpen.ID, crashed.ID, live.ID, waiting.ID}},
	}
	for _, tt := range tests {
		open, err := s.OpenSlots(ctx, tt.now)
		if err != nil {
			t.Fatalf("%s: OpenSlots: %v", tt.name, err)
		}
		if !equalIDs(slotIDs(open), tt.want) {
			t.Errorf("%s: OpenSlots = %v, want %v (oldest due first)", tt.name, slotIDs(open), tt.want)
		}
		// Each open slot is one ClaimSlot would give.
		for _, o := range open {
			if o.Done || (!o.LeaseUntil.IsZero() && o.LeaseUntil.After(tt.now)) || o.RetryAt.After(tt.now) {
				t.Errorf("%s: open slot %+v is not claimable", tt.name, *o)
			}
		}
	}
}

func testSlotInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	c := slotChannel(t, s, "1")
	for _, tt := range []struct {
		name  string
		slot  *store.Slot
		owner string
		lease time.Duration
	}{
		{"nil", nil, "a", time.Minute},
		{"no local time", &store.Slot{ChannelID: c.ID, Due: base}, "a", time.Minute},
		{"huge local time", &store.Slot{ChannelID: c.ID, Local: string(make([]byte, store.MaxSlotLocal+1)), Due: base}, "a", time.Minute},
		{"no due time", &store.Slot{ChannelID: c.ID, Local: "2026-03-01T08:00"}, "a", time.Minute},
		{"no owner", &store.Slot{ChannelID: c.ID, Local: "2026-03-01T08:00", Due: base}, "", time.Minute},
		{"no lease", &store.Slot{ChannelID: c.ID, Local: "2026-03-01T08:00", Due: base}, "a", 0},
		{"negative lease", &store.Slot{ChannelID: c.ID, Local: "2026-03-01T08:00", Due: base}, "a", -time.Minute},
	} {
		ok, err := s.ClaimSlot(ctx, tt.slot, tt.owner, base, tt.lease)
		if ok {
			t.Errorf("ClaimSlot(%s) succeeded", tt.name)
		}
		wantErr(t, "ClaimSlot("+tt.name+")", err, store.ErrInvalid)
	}
	ok, err := s.ClaimSlot(ctx, &store.Slot{ChannelID: 987654, Local: "2026-03-01T08:00", Due: base}, "a", base, time.Minute)
	if ok {
		t.Error("ClaimSlot for an unknown channel succeeded")
	}
	wantErr(t, "ClaimSlot for an unknown channel", err, store.ErrNotFound)
	if open, err := s.OpenSlots(ctx, base.Add(time.Hour)); err != nil || len(open) != 0 {
		t.Errorf("OpenSlots after invalid claims = %d, %v; want none", len(open), err)
	}
	// The valid claim still works.
	mustClaim(t, s, &store.Slot{ChannelID: c.ID, Local: "2026-03-01T08:00", Due: base}, "a", base, time.Minute, true)
}

func testConcurrentClaim(t *testing.T, s store.Store) {
	ClaimRace(t, []store.Store{s}, 16)
}

// ClaimRace has workers goroutines, spread over the stores (which must
// share one database, as several processes or replicas would), claim the
// same slots at the same instant, each as its own owner, and fails unless
// exactly one claim of each slot wins. It then lets every lease lapse and
// races again: again exactly one wins, and the slot counts two attempts.
func ClaimRace(t *testing.T, stores []store.Store, workers int) {
	t.Helper()
	ctx := context.Background()
	c := &store.Channel{Platform: store.Discord, ChatID: fmt.Sprintf("race-%d", time.Now().UnixNano()), Schedule: "daily 08:00"}
	if err := stores[0].SaveChannel(ctx, c); err != nil {
		t.Fatalf("SaveChannel: %v", err)
	}
	const slots, lease = 5, time.Minute
	for round, now := range []time.Time{base, base.Add(lease)} {
		for n := range slots {
			local := fmt.Sprintf("2026-03-01T%02d:00", n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			wins := make(chan *store.Slot, workers)
			errs := make(chan error, workers)
			for w := range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					sl := &store.Slot{ChannelID: c.ID, Local: local, Due: base}
					<-start
					ok, err := stores[w%len(stores)].ClaimSlot(ctx, sl, fmt.Sprintf("owner-%d-%d", round, w), now, lease)
					if err != nil {
						errs <- err
					} else if ok {
						wins <- sl
					}
				}()
			}
			close(start)
			wg.Wait()
			close(wins)
			close(errs)
			for err := range errs {
				t.Errorf("round %d, slot %s: ClaimSlot: %v", round, local, err)
			}
			var won []*store.Slot
			for sl := range wins {
				won = append(won, sl)
			}
			if len(won) != 1 {
				t.Fatalf("round %d, slot %s: %d of %d concurrent claims won, want exactly 1", round, local, len(won), workers)
			}
			if won[0].Attempts != round+1 {
				t.Errorf("round %d, slot %s: attempts %d, want %d", round, local, won[0].Attempts, round+1)
			}
		}
	}
}
