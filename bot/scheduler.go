package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

// Scheduler sends every subscribed channel its digest at the channel's
// local times, exactly once per slot, across restarts and replicas.
//
// For each due slot it claims the slot in the store (a unique row with a
// lease), builds the digest, sends it, and records the platform's message
// ids. A claim whose owner dies lapses after Lease and is taken over; the
// retry reuses the slot's key, which Discord turns into an idempotency nonce.
type Scheduler struct {
	Bot     *Bot
	Posters map[string]Poster // by platform
	Owner   string            // this process, for claims; unique per replica
	Grace   time.Duration     // missed slots newer than this are sent late; default 6 h
	Cap     time.Duration     // a digest covers at most this much; default 48 h
	Lease   time.Duration     // how long a claim holds; default 2 min
	Tick    time.Duration     // how often to look for due slots; default 20 s
	Workers int               // deliveries at once; default 64
	Now     func() time.Time
	Log     *slog.Logger
}

func (s *Scheduler) defaults() {
	if s.Grace <= 0 {
		s.Grace = 6 * time.Hour
	}
	if s.Cap <= 0 {
		s.Cap = 48 * time.Hour
	}
	if s.Lease <= 0 {
		s.Lease = 2 * time.Minute
	}
	if s.Tick <= 0 {
		s.Tick = 20 * time.Second
	}
	if s.Workers <= 0 {
		s.Workers = 64
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Log == nil {
		s.Log = slog.Default()
	}
}

// Run delivers due slots until ctx ends.
func (s *Scheduler) Run(ctx context.Context) error {
	s.defaults()
	t := time.NewTicker(s.Tick)
	defer t.Stop()
	for {
		if _, err := s.RunDue(ctx); err != nil && ctx.Err() == nil {
			s.Log.Error("scheduler: pass failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// PassStats says what one pass did.
type PassStats struct {
	Due, Sent, Late, Skipped, Failed, Paused int
}

// dueSlot is a slot ready to be sent.
type dueSlot struct {
	ch   *store.Channel
	slot store.Slot
	late bool
}

// RunDue sends every slot due by now, concurrently, and waits for them.
func (s *Scheduler) RunDue(ctx context.Context) (PassStats, error) {
	s.defaults()
	now := s.Now()
	chans, err := s.Bot.Store.Channels(ctx, "")
	if err != nil {
		return PassStats{}, fmt.Errorf("scheduler: list channels: %w", err)
	}
	var due []dueSlot
	for _, ch := range chans {
		if !ch.Subscribed() || ch.Paused || s.Posters[ch.Platform] == nil {
			continue
		}
		d, ok, err := s.dueSlot(ctx, ch, now)
		if err != nil {
			s.Log.Warn("scheduler: channel", "platform", ch.Platform, "chat", ch.ChatID, "error", err)
			continue
		}
		if ok {
			due = append(due, d)
		}
	}
	var (
		mu    sync.Mutex
		stats = PassStats{Due: len(due)}
		wg    sync.WaitGroup
		jobs  = make(chan dueSlot)
	)
	for i := 0; i < min(s.Workers, len(due)); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range jobs {
				outcome := s.deliver(ctx, d)
				mu.Lock()
				switch outcome {
				case "sent":
					stats.Sent++
					if d.late {
						stats.Late++
					}
				case "failed":
					stats.Failed++
				case "paused":
					stats.Paused++
				}
				mu.Unlock()
			}
		}()
	}
	for _, d := range due {
		select {
		case jobs <- d:
		case <-ctx.Done():
		}
	}
	close(jobs)
	wg.Wait()
	return stats, ctx.Err()
}

// dueSlot finds the channel's latest slot that is due by now and not yet
// done, if it is within the grace window. Older missed slots are not sent
// on their own: the next digest covers their period.
func (s *Scheduler) dueSlot(ctx context.Context, ch *store.Channel, now time.Time) (dueSlot, bool, error) {
	sched, err := ParseSchedule(ch.Schedule)
	if err != nil {
		return dueSlot{}, false, fmt.Errorf("bad schedule %q: %w", ch.Schedule, err)
	}
	loc := s.Bot.location(ch)
	from := now.Add(-s.Grace)
	if last, err := s.Bot.Store.LastSlot(ctx, ch.ID); err == nil {
		if last.Due.After(from) {
			from = last.Due
		}
	} else if !isNotFound(err) {
		return dueSlot{}, false, err
	}
	if ch.Created.After(from) {
		from = ch.Created // no digest for slots before the subscription
	}
	var latest time.Time
	for t := sched.Next(from, loc); !t.IsZero() && !t.After(now); t = sched.Next(t, loc) {
		latest = t
	}
	if latest.IsZero() {
		return dueSlot{}, false, nil
	}
	slot := store.Slot{ChannelID: ch.ID, Local: latest.In(loc).Format("2006-01-02T15:04"), Due: latest}
	return dueSlot{ch: ch, slot: slot, late: now.Sub(latest) > 5*time.Minute}, true, nil
}

// deliver claims, builds, sends and records one slot.
func (s *Scheduler) deliver(ctx context.Context, d dueSlot) string {
	st := s.Bot.Store
	now := s.Now()
	slot := d.slot
	ok, err := st.ClaimSlot(ctx, &slot, s.Owner, now, s.Lease)
	if err != nil {
		s.Log.Error("scheduler: claim slot", "chat", d.ch.ChatID, "slot", slot.Local, "error", err)
		return "failed"
	}
	if !ok {
		return "taken" // done, or another replica holds it
	}
	log := s.Log.With("platform", d.ch.Platform, "chat", d.ch.ChatID, "slot", slot.Local)
	since := d.ch.LastDigest
	if since.IsZero() || now.Sub(since) > s.Cap {
		since = now.Add(-s.Cap)
		if d.ch.LastDigest.IsZero() {
			since = now.Add(-DefaultWindow)
		}
	}
	delivered, err := st.DeliveredSince(ctx, d.ch.ID, now.Add(-MaxWindow))
	if err != nil {
		return s.release(ctx, log, slot, err)
	}
	built, err := s.Bot.Pipeline.Build(ctx, BuildRequest{
		Name: "Your news digest", Now: now, Location: s.Bot.location(d.ch), Since: since,
		Topics: d.ch.Topics, Filters: d.ch.Filters, Max: s.Bot.maxStories(d.ch),
		Delivered: delivered, Late: d.late,
	})
	if err != nil {
		return s.release(ctx, log, slot, err)
	}
	key := fmt.Sprintf("%d-%s", d.ch.ID, slot.Local)
	ids, err := s.Posters[d.ch.Platform].PostDigest(ctx, d.ch.ChatID, built.Digest, key)
	var moved *ChatMovedError
	switch {
	case errors.As(err, &moved):
		if merr := st.MoveChannel(ctx, d.ch.Platform, moved.From, moved.To); merr != nil {
			return s.release(ctx, log, slot, merr)
		}
		log.Info("scheduler: chat moved", "to", moved.To)
		d.ch.ChatID = moved.To
		ids, err = s.Posters[d.ch.Platform].PostDigest(ctx, d.ch.ChatID, built.Digest, key)
	}
	switch {
	case errors.Is(err, ErrChatUnavailable):
		d.ch.Paused, d.ch.PauseReason, d.ch.PausedAt = true, shortError(err), now
		if serr := st.SaveChannel(ctx, d.ch); serr != nil {
			log.Error("scheduler: pause channel", "error", serr)
		}
		if serr := st.SkipSlot(ctx, slot.ID, s.Owner); serr != nil {
			log.Error("scheduler: skip slot", "error", serr)
		}
		log.Warn("scheduler: chat unavailable, subscription paused", "error", err)
		return "paused"
	case err != nil:
		return s.release(ctx, log, slot, err)
	}
	// The messages are out: record that first, then the rest.
	if err := st.CompleteSlot(ctx, slot.ID, s.Owner, ids, s.Now()); err != nil {
		log.Error("scheduler: record sent slot", "error", err)
	}
	if err := st.MarkDelivered(ctx, d.ch.ID, built.Delivered); err != nil {
		log.Error("scheduler: record delivered stories", "error", err)
	}
	d.ch.LastDigest = now
	if err := st.SaveChannel(ctx, d.ch); err != nil {
		log.Error("scheduler: record last digest", "error", err)
	}
	log.Info("scheduler: digest sent", "stories", len(built.Digest.Stories), "messages", len(ids), "late", d.late)
	return "sent"
}

// release gives the slot back after a failure, to be retried after a
// pause that grows with the attempts.
func (s *Scheduler) release(ctx context.Context, log *slog.Logger, slot store.Slot, err error) string {
	wait := time.Duration(1<<min(slot.Attempts, 6)) * 30 * time.Second
	log.Warn("scheduler: delivery failed, will retry", "attempt", slot.Attempts, "retry_in", wait, "error", err)
	if rerr := s.Bot.Store.ReleaseSlot(ctx, slot.ID, s.Owner, shortError(err), s.Now().Add(wait)); rerr != nil {
		log.Error("scheduler: release slot", "error", rerr)
	}
	return "failed"
}
