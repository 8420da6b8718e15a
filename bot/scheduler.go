package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/newsdigest/newsdigest/digest"
	"github.com/newsdigest/newsdigest/store"
)

// Scheduler sends every subscribed channel its digest at the channel's
// local times, exactly once per slot, across restarts and replicas.
//
// For each due slot it claims the slot in the store (a unique row with a
// lease), builds the digest, sends it, and records the platform's message
// ids: each one as soon as the platform accepts it (with a ResumingPoster),
// so that whoever takes the slot over after a crash sends only the rest. A
// claim whose owner dies lapses after Lease and is taken over; the retry
// reuses the slot's key, which Discord turns into an idempotency nonce.
//
// Deliveries run side by side, Workers at a time; a pass over the channels
// starts the due ones and does not wait for them, so that a slow or failing
// channel holds up no other, not even at the next slot.
type Scheduler struct {
	Bot     *Bot
	Posters map[string]Poster // by platform
	Owner   string            // this process, for claims; unique per replica
	Grace   time.Duration     // missed slots newer than this are sent late; default 6 h
	Cap     time.Duration     // a digest covers at most this much; default 48 h
	Lease   time.Duration     // how long a claim holds; default 2 min
	Tick    time.Duration     // how often to look for due slots; default 20 s
	// Workers bounds the deliveries at once. Default: 64, or the posters'
	// combined rate in messages per second (see RatedPoster) if that is
	// more: enough to keep the platforms' limits busy, few enough that a
	// delivery waits in a rate limiter's queue for about a second.
	Workers int
	// Drain is how long deliveries in flight may go on after Run's context
	// ends; default 10 s. Sends already on the wire always get their answer.
	Drain time.Duration
	Now   func() time.Time
	Log   *slog.Logger

	init     sync.Once
	writes   writeGate
	sem      chan struct{} // one per delivery in flight
	builds   chan struct{} // one per digest being built: CPU work
	mu       sync.Mutex
	inflight map[int64]bool      // channels with a delivery queued or running
	idle     map[int64]idleUntil // channels with nothing due before a time
}

// RatedPoster is a Poster that knows how many messages a second its
// platform takes overall, so that the scheduler can size its fan-out.
type RatedPoster interface {
	Poster
	Rate() float64
}

// ResumingPoster is a Poster that can finish a digest an earlier attempt
// left half sent, and that reports each message as the platform accepts
// it, so that the scheduler records it at once: the instant between the
// platform's acceptance and the record is the only time a crash can make a
// message go out twice.
type ResumingPoster interface {
	Poster
	// ResumeDigest posts d as PostDigest does, leaving out the first
	// len(sent) messages of its rendering (an earlier attempt sent them),
	// and calls progress with the ids of every message out so far, sent
	// included, after each message but the last. It returns all the ids,
	// sent included, also on error.
	ResumeDigest(ctx context.Context, chatID string, d *digest.Digest, key string, sent []string, progress func(ids []string)) ([]string, error)
}

// idleUntil says a channel with this schedule and zone has nothing due
// before until.
type idleUntil struct {
	key   string
	until time.Time
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
	if s.Drain <= 0 {
		s.Drain = 10 * time.Second
	}
	if s.Workers <= 0 {
		rate := 0.0
		for _, p := range s.Posters {
			if rp, ok := p.(RatedPoster); ok {
				rate += rp.Rate()
			}
		}
		s.Workers = max(64, int(rate))
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Log == nil {
		s.Log = slog.Default()
	}
	s.init.Do(func() {
		s.sem = make(chan struct{}, s.Workers)
		s.builds = make(chan struct{}, runtime.GOMAXPROCS(0))
		s.inflight = map[int64]bool{}
		s.idle = map[int64]idleUntil{}
	})
}

// Run delivers due slots until ctx ends, then gives the deliveries in
// flight up to Drain to finish.
func (s *Scheduler) Run(ctx context.Context) error {
	s.defaults()
	work, stop := context.WithCancel(context.WithoutCancel(ctx))
	defer stop()
	var all sync.WaitGroup
	defer func() {
		done := make(chan struct{})
		go func() { all.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(s.Drain):
			s.Log.Warn("scheduler: deliveries still running at shutdown; cancelling them")
			stop()
			<-done
		}
	}()
	t := time.NewTicker(s.Tick)
	defer t.Stop()
	for {
		p, err := s.startPass(ctx, work)
		if err != nil && ctx.Err() == nil {
			s.Log.Error("scheduler: pass failed", "error", err)
		}
		if p != nil {
			all.Add(1)
			go func() { defer all.Done(); p.wg.Wait() }()
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
	ch       *store.Channel
	slot     store.Slot
	late     bool
	lastSent time.Time // due time of the channel's last slot sent, if any
}

// pass is the deliveries one look at the channels started.
type pass struct {
	wg    sync.WaitGroup
	mu    sync.Mutex
	stats PassStats
}

func (p *pass) count(outcome string, late bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch outcome {
	case "sent":
		p.stats.Sent++
		if late {
			p.stats.Late++
		}
	case "failed":
		p.stats.Failed++
	case "paused":
		p.stats.Paused++
	}
}

// RunDue sends every slot due by now that is not already being sent, and
// waits for those deliveries.
func (s *Scheduler) RunDue(ctx context.Context) (PassStats, error) {
	s.defaults()
	p, err := s.startPass(ctx, ctx)
	if err != nil {
		return PassStats{}, err
	}
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats, ctx.Err()
}

// startPass finds the due slots and starts their deliveries (under work)
// without waiting for them.
func (s *Scheduler) startPass(ctx, work context.Context) (*pass, error) {
	now := s.Now()
	chans, err := s.Bot.Store.Channels(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("scheduler: list channels: %w", err)
	}
	var due []dueSlot
	for _, ch := range chans {
		if !ch.Subscribed() || ch.Paused || s.Posters[ch.Platform] == nil || s.busyOrIdle(ch, now) {
			continue
		}
		d, next, err := s.dueSlot(ctx, ch, now)
		if err != nil {
			s.Log.Warn("scheduler: channel", "platform", ch.Platform, "chat", ch.ChatID, "error", err)
			continue
		}
		if d == nil {
			s.setIdle(ch, next)
			continue
		}
		due = append(due, *d)
	}
	p := &pass{stats: PassStats{Due: len(due)}}
	if len(due) == 0 {
		return p, nil
	}
	s.mu.Lock()
	for _, d := range due {
		s.inflight[d.ch.ID] = true
	}
	s.mu.Unlock()
	p.wg.Add(len(due))
	go s.feed(ctx, work, p, due)
	return p, nil
}

// feed starts the deliveries, Workers at a time, until ctx ends.
func (s *Scheduler) feed(ctx, work context.Context, p *pass, due []dueSlot) {
	s.warmAnalyses(work, due)
	pipes := map[int64]*Pipeline{} // by due time
	for _, d := range due {
		if k := d.slot.Due.UnixMilli(); pipes[k] == nil {
			pipes[k] = s.slotPipeline(work, d.slot.Due)
		}
	}
	for i, d := range due {
		select {
		case s.sem <- struct{}{}:
		case <-ctx.Done():
			for _, left := range due[i:] {
				s.done(left.ch.ID)
				p.wg.Done()
			}
			return
		}
		go func() {
			defer p.wg.Done()
			defer s.done(d.ch.ID)
			defer func() { <-s.sem }()
			out := s.deliver(work, d, pipes[d.slot.Due.UnixMilli()])
			if out.Outcome == "taken" {
				// Someone else holds it (a live replica, or a dead one's
				// lease), or it waits for its retry time: look again in a
				// while, not at every tick.
				s.setIdle(d.ch, s.Now().Add(max(s.Lease/4, s.Tick)))
			}
			p.count(out.Outcome, d.late)
		}()
	}
}

func (s *Scheduler) done(channelID int64) {
	s.mu.Lock()
	delete(s.inflight, channelID)
	s.mu.Unlock()
}

// busyOrIdle says whether the channel needs no look now: a delivery of
// its is in flight, or nothing can be due before a time still to come.
func (s *Scheduler) busyOrIdle(ch *store.Channel, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inflight[ch.ID] {
		return true
	}
	i, ok := s.idle[ch.ID]
	return ok && i.key == idleKey(ch) && now.Before(i.until)
}

func (s *Scheduler) setIdle(ch *store.Channel, until time.Time) {
	if until.IsZero() {
		return
	}
	s.mu.Lock()
	s.idle[ch.ID] = idleUntil{key: idleKey(ch), until: until}
	s.mu.Unlock()
}

// idleKey is what a channel's next run depends on besides the store.
func idleKey(ch *store.Channel) string { return ch.Schedule + "\x00" + ch.TimeZone }

// warmAnalyses computes the analyses (summaries, quotes) missing for the
// articles the due digests cover, once, before the deliveries start: each
// story's summary is computed once, not once per channel.
func (s *Scheduler) warmAnalyses(ctx context.Context, due []dueSlot) {
	first, last := due[0].slot.Due, due[0].slot.Due
	for _, d := range due {
		first, last = minTime(first, d.slot.Due), maxTime(last, d.slot.Due)
	}
	arts, err := s.Bot.Pipeline.window(ctx, BuildRequest{Now: last, Since: first.Add(-max(s.Cap, DefaultWindow))})
	if err == nil {
		_, err = s.Bot.Pipeline.Analyses(ctx, arts)
	}
	if err != nil && ctx.Err() == nil {
		s.Log.Warn("scheduler: analyse articles before the fan-out", "error", err)
	}
}

// dueSlot finds the channel's latest slot that is due by now and not yet
// done, if it is within the grace window. Older missed slots are not sent
// on their own: the next digest covers their period. When none is due it
// returns the time of the next run instead.
func (s *Scheduler) dueSlot(ctx context.Context, ch *store.Channel, now time.Time) (*dueSlot, time.Time, error) {
	sched, err := ParseSchedule(ch.Schedule)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("bad schedule %q: %w", ch.Schedule, err)
	}
	loc := s.Bot.location(ch)
	from := now.Add(-s.Grace)
	var lastSent time.Time
	if last, err := s.Bot.Store.LastSlot(ctx, ch.ID); err == nil {
		if last.Due.After(from) {
			from = last.Due
		}
		if !last.Skipped {
			lastSent = last.Due
		}
	} else if !isNotFound(err) {
		return nil, time.Time{}, err
	}
	if ch.Created.After(from) {
		from = ch.Created // no digest for slots before the subscription
	}
	var latest time.Time
	for t := sched.Next(from, loc); !t.IsZero() && !t.After(now); t = sched.Next(t, loc) {
		latest = t
	}
	if latest.IsZero() {
		return nil, sched.Next(now, loc), nil
	}
	slot := store.Slot{ChannelID: ch.ID, Local: latest.In(loc).Format("2006-01-02T15:04"), Due: latest}
	return &dueSlot{ch: ch, slot: slot, late: now.Sub(latest) > 5*time.Minute, lastSent: lastSent}, time.Time{}, nil
}

// NextRun is when the channel's next digest goes out: the time of a slot
// due now and not yet sent (due is then true), or of its next run; zero
// when it has none.
func (s *Scheduler) NextRun(ctx context.Context, ch *store.Channel) (at time.Time, due bool, err error) {
	s.defaults()
	d, next, err := s.dueSlot(ctx, ch, s.Now())
	if err != nil || d == nil {
		return next, false, err
	}
	return d.slot.Due, true, nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
