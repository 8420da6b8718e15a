package sources

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

// Defaults for Poller fields left zero.
const (
	DefaultPollInterval  = 30 * time.Minute
	DefaultMaxBackoff    = 24 * time.Hour
	DefaultMaxConcurrent = 8
	DefaultPerHost       = 2
	DefaultSourceTimeout = 2 * time.Minute
	// maxRetryAfter caps how long a server's Retry-After can park a source.
	maxRetryAfter = 7 * 24 * time.Hour
	// maxDueBatch caps the sources one pass takes from the store.
	maxDueBatch = 10000
	// maxSleep is the longest Run waits before looking at the store again,
	// so that sources added by another process are picked up.
	maxSleep = time.Minute
	// claimSlack is how much longer than SourceTimeout a claim on a source
	// lasts: time to record the fetch after its deadline.
	claimSlack = 30 * time.Second
)

// Poller fetches the feeds of the sources in a store when they are due and
// stores their items. Fetches run concurrently, at most MaxConcurrent at
// once and PerHost per host; each has its own deadline, so one slow or
// failing source never holds up the others.
//
// Several pollers (replicas, or an ingest run beside the bot) may share a
// store: before fetching a due source a poller claims it in the store
// (store.SourceStore.ClaimSource), once it holds its fetch slots so that
// the claim covers the fetch only, and recording the fetch ends the claim.
// A source is then fetched once per interval, whichever poller takes it;
// a claim whose poller dies lapses after SourceTimeout plus a little, and
// another takes the source over.
type Poller struct {
	Store   store.Store
	Fetcher *Fetcher
	// Owner names this poller in its claims; default host/pid/random.
	Owner string
	// DefaultInterval applies to sources whose Interval is 0.
	DefaultInterval time.Duration
	// MaxBackoff caps the wait after repeated failures.
	MaxBackoff    time.Duration
	MaxConcurrent int
	PerHost       int
	// SourceTimeout bounds all the work for one source: the feed, its
	// full-text pages and storing.
	SourceTimeout time.Duration
	Now           func() time.Time
	// Rand draws the jitter that spreads polls out (up to 10% of the
	// interval either way); nil means a randomly seeded generator.
	Rand   *rand.Rand
	Logger *slog.Logger

	initOnce sync.Once
	randMu   sync.Mutex
	hosts    hostLimiter
	slots    chan struct{}
}

// Stats counts what a pass did.
type Stats struct {
	Sources     int // sources polled
	Fetched     int // feeds fetched and parsed
	NotModified int // feeds unchanged since the last fetch (HTTP 304)
	Failed      int
	Inserted    int // articles
	Updated     int
	Unchanged   int
}

func (s *Stats) add(o Stats) {
	s.Sources += o.Sources
	s.Fetched += o.Fetched
	s.NotModified += o.NotModified
	s.Failed += o.Failed
	s.Inserted += o.Inserted
	s.Updated += o.Updated
	s.Unchanged += o.Unchanged
}

func (p *Poller) init() {
	p.initOnce.Do(func() {
		if p.Fetcher == nil {
			p.Fetcher = &Fetcher{}
		}
		if p.Rand == nil {
			p.Rand = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
		}
		if p.Owner == "" {
			host, _ := os.Hostname()
			p.Owner = fmt.Sprintf("%s/%d/%x", host, os.Getpid(), rand.Uint32())
		}
		p.slots = make(chan struct{}, orDefault(p.MaxConcurrent, DefaultMaxConcurrent))
		p.hosts = hostLimiter{perHost: orDefault(p.PerHost, DefaultPerHost), m: map[string]*hostSlot{}}
	})
}

func (p *Poller) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Poller) logger() *slog.Logger {
	if p.Logger != nil {
		return p.Logger
	}
	return discardLogger
}

// RunOnce polls the sources that are due (or, with all, every source) once
// and waits for them. A due source another poller holds a claim on is left
// to it; all polls every source, claimed or not. A source's failure is
// recorded in its fetch state and counted in Stats, not returned: the error
// is for the store failing or ctx ending.
func (p *Poller) RunOnce(ctx context.Context, all bool) (Stats, error) {
	p.init()
	var (
		srcs []*store.Source
		err  error
	)
	if all {
		srcs, err = p.Store.Sources(ctx)
	} else {
		srcs, err = p.Store.DueSources(ctx, p.now(), maxDueBatch)
	}
	if err != nil {
		return Stats{}, fmt.Errorf("sources: poll: %w", err)
	}
	var (
		mu    sync.Mutex
		total Stats
		wg    sync.WaitGroup
	)
	for _, src := range srcs {
		wg.Go(func() {
			st, _ := p.poll(ctx, src, !all)
			mu.Lock()
			total.add(st)
			mu.Unlock()
		})
	}
	wg.Wait()
	return total, ctx.Err()
}

// Run polls sources as they fall due until ctx ends, then waits for the
// fetches in flight and returns nil. A source is never fetched twice at
// once; a slow one does not delay the others.
func (p *Poller) Run(ctx context.Context) error {
	p.init()
	inflight := map[int64]bool{}
	// A finished poll reports the source's next poll, which may come
	// before Run meant to look again.
	type polled struct {
		id   int64
		next time.Time
	}
	done := make(chan polled)
	var wg sync.WaitGroup
	defer wg.Wait()
	timer := time.NewTimer(0)
	defer timer.Stop()
	wake := p.now()
	for {
		select {
		case <-ctx.Done():
			go func() { // let the fetches in flight report in
				for range done {
				}
			}()
			wg.Wait()
			close(done)
			return nil
		case d := <-done:
			delete(inflight, d.id)
			if !d.next.IsZero() {
				now := p.now()
				if at := now.Add(max(d.next.Sub(now), time.Second)); at.Before(wake) {
					timer.Reset(at.Sub(now))
					wake = at
				}
			}
			continue
		case <-timer.C:
		}
		now := p.now()
		due, err := p.Store.DueSources(ctx, now, maxDueBatch)
		if err != nil && ctx.Err() == nil {
			p.logger().Error("poll: listing due sources", "err", err)
		}
		for _, src := range due {
			if inflight[src.ID] {
				continue
			}
			inflight[src.ID] = true
			wg.Go(func() {
				st, next := p.poll(ctx, src, true)
				if st.Inserted+st.Updated > 0 {
					p.logger().Info("poll", "source", src.Name, "inserted", st.Inserted, "updated", st.Updated)
				}
				done <- polled{src.ID, next}
			})
		}
		wait := p.nextWake(ctx, now, inflight)
		timer.Reset(wait)
		wake = now.Add(wait)
	}
}

// nextWake is how long Run sleeps: until the earliest next poll of a
// source not in flight, at most maxSleep, at least a second.
func (p *Poller) nextWake(ctx context.Context, now time.Time, inflight map[int64]bool) time.Duration {
	wait := maxSleep
	srcs, err := p.Store.Sources(ctx)
	if err != nil {
		return wait
	}
	for _, s := range srcs {
		if inflight[s.ID] {
			continue
		}
		if d := s.State.NextPoll.Sub(now); d < wait {
			wait = d
		}
	}
	return max(wait, time.Second)
}

// poll fetches one source within the concurrency limits, stores its items
// and records the outcome in its fetch state, and returns the source's next
// poll (zero when it polled nothing). With claim, it first claims the
// source and polls nothing (zero Stats) when another poller has it or it is
// no longer due.
func (p *Poller) poll(ctx context.Context, src *store.Source, claim bool) (Stats, time.Time) {
	release, err := p.acquire(ctx, src.URL)
	if err != nil {
		return Stats{}, time.Time{}
	}
	defer release()
	if claim {
		claimed := &store.Source{ID: src.ID}
		ok, err := p.Store.ClaimSource(ctx, claimed, p.Owner, p.now(),
			orDefaultDur(p.SourceTimeout, DefaultSourceTimeout)+claimSlack)
		if err != nil || !ok {
			if err != nil && ctx.Err() == nil && !errors.Is(err, store.ErrNotFound) {
				p.logger().Error("poll: claiming source", "source", src.Name, "err", err)
			}
			return Stats{}, time.Time{}
		}
		src = claimed // its latest fetch state
	}

	st := Stats{Sources: 1}
	started := p.now()
	fctx, cancel := context.WithTimeout(ctx, orDefaultDur(p.SourceTimeout, DefaultSourceTimeout))
	// A body that hashes as the one last stored in full (the hash is kept
	// in the fetch state, so across restarts and pollers) is not parsed:
	// servers without ETag or Last-Modified send the same feed every time.
	var bodyHash string
	res, err := p.Fetcher.fetchFeed(fctx, src, func(body []byte) bool {
		sum := sha256.Sum256(body)
		bodyHash = hex.EncodeToString(sum[:])
		return bodyHash == src.State.BodyHash
	})
	stored := false
	if err == nil && !res.NotModified {
		err = p.store(fctx, src, &res, &st)
		stored = err == nil
	}
	cancel()

	state := src.State
	state.LastFetch = started
	log := p.logger().With("source", src.Name, "url", redactString(src.URL))
	// Record the outcome even when ctx has just ended, so that the next
	// start does not hammer a failing source.
	sctx, scancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer scancel()
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, context.Canceled) {
			// Shutting down: not the source's fault. Writing the state
			// back as it was ends the claim, so that another poller can
			// take the source at once.
			if claim {
				if err := p.Store.SetFetchState(sctx, src.ID, src.State); err != nil {
					log.Error("poll: releasing source", "err", err)
				}
			}
			return Stats{}, time.Time{}
		}
		st.Failed++
		delay := p.backoff(src, state.Failures, RetryAfter(err))
		state.Failures++
		state.LastError = err.Error()
		state.LastErrorAt = started
		state.NextPoll = started.Add(delay)
		log.Warn("poll failed", "err", err, "failures", state.Failures, "next", delay.Round(time.Second))
	} else {
		if res.NotModified {
			st.NotModified++
		} else {
			st.Fetched++
		}
		state.ETag, state.LastModified = res.ETag, res.LastModified
		if stored {
			state.BodyHash = bodyHash
		}
		state.LastSuccess = started
		state.LastError, state.LastErrorAt, state.Failures = "", time.Time{}, 0
		state.NextPoll = started.Add(p.jitter(p.interval(src)))
		log.Debug("polled", "not_modified", res.NotModified, "inserted", st.Inserted, "updated", st.Updated)
	}
	if err := p.Store.SetFetchState(sctx, src.ID, state); err != nil {
		log.Error("poll: saving fetch state", "err", err)
	}
	return st, state.NextPoll
}

// store puts a fetched feed's articles in the store, fetching full text
// first for the new ones that need it.
func (p *Poller) store(ctx context.Context, src *store.Source, res *FeedResult, st *Stats) error {
	arts := res.Articles
	if src.FullText == store.FullTextAuto || src.FullText == store.FullTextAlways {
		// Articles already stored keep the text they were stored with
		// (their page's, usually): fetching every page again each poll
		// would be slow and rude, and storing the teaser would undo it.
		kept := arts[:0:0]
		for _, a := range arts {
			if p.Fetcher.NeedsFullText(src.FullText, a) {
				if _, err := p.Store.ArticleByURL(ctx, a.URL); err == nil {
					st.Unchanged++
					continue
				} else if !errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("sources: poll: %w", err)
				}
			}
			kept = append(kept, a)
		}
		arts = kept
		p.Fetcher.ExpandFullText(ctx, src.FullText, arts)
	}
	if len(arts) == 0 {
		return nil
	}
	outcomes, err := p.Store.PutArticles(ctx, arts)
	if err != nil {
		return fmt.Errorf("sources: poll: store articles: %w", err)
	}
	for _, o := range outcomes {
		switch o {
		case store.Inserted:
			st.Inserted++
		case store.Updated:
			st.Updated++
		case store.Unchanged:
			st.Unchanged++
		}
	}
	return nil
}

func (p *Poller) interval(src *store.Source) time.Duration {
	if src.Interval > 0 {
		return src.Interval
	}
	return orDefaultDur(p.DefaultInterval, DefaultPollInterval)
}

// backoff is the wait after a failure when failures had failed before it:
// the interval doubled for each earlier failure, capped at MaxBackoff,
// and never shorter than a server's Retry-After.
func (p *Poller) backoff(src *store.Source, failures int, retryAfter time.Duration) time.Duration {
	ceiling := orDefaultDur(p.MaxBackoff, DefaultMaxBackoff)
	d := p.interval(src)
	for i := 0; i < failures && d < ceiling; i++ {
		d *= 2
	}
	d = p.jitter(min(d, ceiling))
	if retryAfter > d {
		d = min(retryAfter, maxRetryAfter)
	}
	return d
}

// jitter spreads d by up to 10% either way, so that sources added together
// do not stay in lockstep.
func (p *Poller) jitter(d time.Duration) time.Duration {
	p.randMu.Lock()
	f := p.Rand.Float64()*0.2 - 0.1
	p.randMu.Unlock()
	return d + time.Duration(float64(d)*f)
}

// acquire waits for a slot for rawURL's host and then an overall slot. The
// host slot comes first so that a fetch waiting for a busy host holds no
// overall slot that another host could use.
func (p *Poller) acquire(ctx context.Context, rawURL string) (release func(), err error) {
	host := rawURL
	if u, err := url.Parse(rawURL); err == nil {
		host = strings.ToLower(u.Hostname())
	}
	releaseHost, err := p.hosts.acquire(ctx, host)
	if err != nil {
		return nil, err
	}
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		releaseHost()
		return nil, ctx.Err()
	}
	return func() {
		<-p.slots
		releaseHost()
	}, nil
}

// hostLimiter bounds concurrent fetches per host.
type hostLimiter struct {
	mu      sync.Mutex
	perHost int
	m       map[string]*hostSlot
}

type hostSlot struct {
	ch   chan struct{}
	refs int
}

func (h *hostLimiter) acquire(ctx context.Context, host string) (func(), error) {
	h.mu.Lock()
	s := h.m[host]
	if s == nil {
		s = &hostSlot{ch: make(chan struct{}, h.perHost)}
		h.m[host] = s
	}
	s.refs++
	h.mu.Unlock()
	drop := func() {
		h.mu.Lock()
		if s.refs--; s.refs == 0 {
			delete(h.m, host)
		}
		h.mu.Unlock()
	}
	select {
	case s.ch <- struct{}{}:
		return func() { <-s.ch; drop() }, nil
	case <-ctx.Done():
		drop()
		return nil, ctx.Err()
	}
}

func orDefaultDur(v, def time.Duration) time.Duration {
	if v > 0 {
		return v
	}
	return def
}
