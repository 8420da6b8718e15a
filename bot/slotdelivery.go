package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/newsdigest/newsdigest/digest"
	"github.com/newsdigest/newsdigest/digest/story"
	"github.com/newsdigest/newsdigest/store"
)

// Delivery is what became of one slot: Outcome is "sent", "taken"
// (done already, or another process holds it), "paused" (the chat refuses
// the bot) or "failed" (Err says why; it is retried later).
type Delivery struct {
	Slot       store.Slot
	Outcome    string
	MessageIDs []string
	Err        error
}

// RunNow sends the channel its digest now and waits for it: the slot that
// is due, if one is (so that a running scheduler does not send it too),
// else an extra slot for this moment.
func (s *Scheduler) RunNow(ctx context.Context, ch *store.Channel) Delivery {
	s.defaults()
	now := s.Now()
	d, _, err := s.dueSlot(ctx, ch, now)
	if err != nil {
		return Delivery{Outcome: "failed", Err: err}
	}
	if d == nil {
		local := now.In(s.Bot.location(ch)).Format("2006-01-02T15:04:05")
		d = &dueSlot{ch: ch, slot: store.Slot{ChannelID: ch.ID, Local: local + " run-now", Due: now}}
	}
	return s.deliver(ctx, *d, s.slotPipeline(ctx, d.slot.Due))
}

// slotPipeline is a pipeline for the digests due at one instant. It
// clusters every article up to then once, oldest first, before any digest
// is built from it, so that each channel's digest for that instant ranks
// the same stories the same way whichever process builds it: a digest
// resumed after a crash continues the one the dead process began. (The
// bot's own pipeline clusters articles as requests come, so its rankings
// depend on the process's history.)
func (s *Scheduler) slotPipeline(ctx context.Context, at time.Time) *Pipeline {
	base := s.Bot.Pipeline
	pl := &Pipeline{Store: base.Store, Log: base.Log, MaxArticles: base.MaxArticles}
	if _, err := pl.Build(ctx, BuildRequest{Now: at, Since: at.Add(-story.DefaultWindow), Max: 1}); err != nil && ctx.Err() == nil {
		s.Log.Warn("scheduler: cluster the articles of a slot", "due", at, "error", err)
	}
	return pl
}

// deliver claims, builds (with pl, the slot's pipeline), sends and records
// one slot.
func (s *Scheduler) deliver(ctx context.Context, d dueSlot, pl *Pipeline) (out Delivery) {
	st := s.Bot.Store
	now := s.Now()
	slot := d.slot
	defer func() { out.Slot = slot }()
	var ok bool
	err := s.writes.other(func() (err error) {
		ok, err = st.ClaimSlot(ctx, &slot, s.Owner, now, s.Lease)
		return err
	})
	if err != nil {
		s.Log.Error("scheduler: claim slot", "chat", d.ch.ChatID, "slot", slot.Local, "error", err)
		return Delivery{Outcome: "failed", Err: err}
	}
	if !ok {
		return Delivery{Outcome: "taken"} // done, or another replica holds it
	}
	log := s.Log.With("platform", d.ch.Platform, "chat", d.ch.ChatID, "slot", slot.Local)
	if len(slot.MessageIDs) > 0 {
		log.Info("scheduler: resuming a digest an earlier attempt left half sent", "sent", len(slot.MessageIDs), "attempt", slot.Attempts)
	}
	// The digest is the slot's: what arrived up to its due time, so that
	// a retry builds the same digest and can resume where the last
	// attempt stopped.
	at := minTime(slot.Due, now)
	// The last slot sent is the truth: the channel's LastDigest is
	// written after it, and a crash may come between the two.
	since := maxTime(d.ch.LastDigest, d.lastSent)
	if since.After(at) {
		since = time.Time{}
	}
	switch {
	case since.IsZero():
		since = at.Add(-DefaultWindow)
	case at.Sub(since) > s.Cap:
		since = at.Add(-s.Cap)
	}
	built, err := s.build(ctx, pl, d, at, since)
	if err != nil {
		return s.release(ctx, log, slot, err)
	}
	key := fmt.Sprintf("%d-%s", d.ch.ID, slot.Local)
	// Start no send after the claim is close to lapsing: past it another
	// replica may take the slot over and send the rest itself.
	sendCtx, cancel := context.WithTimeout(ctx, s.Lease-leaseMargin(s.Lease))
	defer cancel()
	chatID := d.ch.ChatID
	// Send no more while the store is behind with recording what went out:
	// every message out and not yet recorded is one a crash would repeat.
	if err := s.writes.caughtUp(sendCtx); err != nil {
		if ctx.Err() != nil {
			return s.release(ctx, log, slot, err)
		}
		return s.handBack(ctx, log, slot, nil, err)
	}
	ids, err := s.post(sendCtx, log, d.ch.Platform, chatID, built.Digest, key, slot)
	var moved *ChatMovedError
	if errors.As(err, &moved) {
		if merr := s.writes.other(func() error { return st.MoveChannel(ctx, d.ch.Platform, moved.From, moved.To) }); merr != nil {
			return s.release(ctx, log, slot, merr)
		}
		log.Info("scheduler: chat moved", "to", moved.To)
		chatID = moved.To
		slot.MessageIDs = ids
		ids, err = s.post(sendCtx, log, d.ch.Platform, chatID, built.Digest, key, slot)
	}
	switch {
	case errors.Is(err, ErrChatUnavailable):
		s.updateChannel(ctx, log, d.ch.Platform, chatID, func(c *store.Channel) {
			c.Paused, c.PauseReason, c.PausedAt = true, shortError(err), now
		})
		if serr := s.writes.other(func() error { return st.SkipSlot(ctx, slot.ID, s.Owner) }); serr != nil {
			log.Error("scheduler: skip slot", "error", serr)
		}
		log.Warn("scheduler: chat unavailable, subscription paused", "error", err)
		return Delivery{Outcome: "paused", MessageIDs: ids, Err: err}
	case err != nil && sendCtx.Err() != nil && ctx.Err() == nil:
		return s.handBack(ctx, log, slot, ids, err)
	case err != nil:
		return s.release(ctx, log, slot, err)
	}
	// The messages are out: record that first, ahead of other writes,
	// then the rest.
	if err := s.recordSent(func(rctx context.Context) error {
		return st.CompleteSlot(rctx, slot.ID, s.Owner, ids, s.Now())
	}); err != nil {
		log.Error("scheduler: record sent slot", "error", err)
	}
	if err := s.writes.other(func() error { return st.MarkDelivered(ctx, d.ch.ID, built.Delivered) }); err != nil {
		log.Error("scheduler: record delivered stories", "error", err)
	}
	s.updateChannel(ctx, log, d.ch.Platform, chatID, func(c *store.Channel) {
		c.LastDigest = maxTime(c.LastDigest, at)
	})
	log.Debug("scheduler: digest sent", "stories", len(built.Digest.Stories), "messages", len(ids), "late", d.late)
	return Delivery{Outcome: "sent", MessageIDs: ids}
}

// build makes the slot's digest. Builds are CPU work: only as many run at
// once as there are processors, so that the goroutines waiting on the
// platform get to record what they sent without waiting for a processor.
func (s *Scheduler) build(ctx context.Context, pl *Pipeline, d dueSlot, at, since time.Time) (*Built, error) {
	select {
	case s.builds <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.builds }()
	delivered, err := s.Bot.Store.DeliveredSince(ctx, d.ch.ID, at.Add(-MaxWindow))
	if err != nil {
		return nil, err
	}
	return pl.Build(ctx, BuildRequest{
		Name: "Your news digest", Now: at, Location: s.Bot.location(d.ch), Since: since,
		Topics: d.ch.Topics, Filters: d.ch.Filters, Max: s.Bot.maxStories(d.ch),
		Delivered: delivered, Late: d.late,
	})
}

// post sends the digest, through ResumeDigest when the poster has it:
// then each message is recorded in the slot as soon as it is out, and a
// retry sends only what the last attempt did not.
func (s *Scheduler) post(ctx context.Context, log *slog.Logger, platform, chatID string, d *digest.Digest, key string, slot store.Slot) ([]string, error) {
	p := s.Posters[platform]
	rp, ok := p.(ResumingPoster)
	if !ok {
		return p.PostDigest(ctx, chatID, d, key)
	}
	return rp.ResumeDigest(ctx, chatID, d, key, slot.MessageIDs, func(ids []string) {
		// Recorded even when ctx has ended: the message is out.
		if err := s.recordSent(func(rctx context.Context) error {
			return s.Bot.Store.RecordSlotMessages(rctx, slot.ID, s.Owner, ids)
		}); err != nil {
			log.Error("scheduler: record a sent message", "error", err)
		}
		// The next message waits while the store is behind (see deliver);
		// if ctx ends meanwhile, the send that follows stops.
		_ = s.writes.caughtUp(ctx)
	})
}

// updateChannel applies f to the stored channel, read afresh so that
// settings changed during the delivery are kept.
func (s *Scheduler) updateChannel(ctx context.Context, log *slog.Logger, platform, chatID string, f func(*store.Channel)) {
	c, err := s.Bot.Store.Channel(ctx, platform, chatID)
	if err == nil {
		f(c)
		err = s.writes.other(func() error { return s.Bot.Store.SaveChannel(ctx, c) })
	}
	if err != nil {
		log.Error("scheduler: update channel after delivery", "error", err)
	}
}

// handBack gives the slot back at once when its claim is about to lapse
// before all is sent (a long wait on the platform's limits or on the
// store): what went out is recorded, and the next pass sends the rest.
func (s *Scheduler) handBack(ctx context.Context, log *slog.Logger, slot store.Slot, ids []string, err error) Delivery {
	log.Info("scheduler: claim running out; the next pass continues", "sent", len(ids))
	if rerr := s.writes.other(func() error {
		return s.Bot.Store.ReleaseSlot(ctx, slot.ID, s.Owner, "lease ran out while sending", time.Time{})
	}); rerr != nil {
		log.Error("scheduler: release slot", "error", rerr)
	}
	return Delivery{Outcome: "failed", MessageIDs: ids,
		Err: fmt.Errorf("scheduler: claim ran out after %d messages; the next pass sends the rest: %w", len(ids), err)}
}

// release gives the slot back after a failure, to be retried after a
// pause that grows with the attempts.
func (s *Scheduler) release(ctx context.Context, log *slog.Logger, slot store.Slot, err error) Delivery {
	// 15 s, 30 s, 1 min, ... 16 min: a store or platform hiccup costs
	// seconds, a lasting failure does not spin.
	wait := time.Duration(1<<min(max(slot.Attempts-1, 0), 6)) * 15 * time.Second
	log.Warn("scheduler: delivery failed, will retry", "attempt", slot.Attempts, "retry_in", wait, "error", err)
	if rerr := s.writes.other(func() error {
		return s.Bot.Store.ReleaseSlot(context.WithoutCancel(ctx), slot.ID, s.Owner, shortError(err), s.Now().Add(wait))
	}); rerr != nil {
		log.Error("scheduler: release slot", "error", rerr)
	}
	return Delivery{Outcome: "failed", MessageIDs: slot.MessageIDs, Err: err}
}

// leaseMargin is how long before its claim lapses a delivery stops
// starting sends: time for the last request to get its answer.
func leaseMargin(lease time.Duration) time.Duration { return min(lease/4, 30*time.Second) }
