package discordtest

import (
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"strconv"
	"time"
)

// limiter keeps Discord-style rate limits: a fixed-window bucket per route
// and top-level resource (channel, guild, webhook, interaction), and a
// global per-token window. Guarded by Server.mu.
type limiter struct {
	def         Limit
	routes      map[string]Limit
	global      Limit
	buckets     map[string]*bucket
	globalUsed  int
	globalReset time.Time
	forced      []*forcedLimit
}

type bucket struct {
	limit     Limit
	hash      string
	remaining int
	reset     time.Time
}

// forcedLimit answers the next n matching requests with 429.
type forcedLimit struct {
	route      string
	n          int
	retryAfter time.Duration
	global     bool
}

// limitResult is the limiter's verdict and the headers to send.
type limitResult struct {
	header     http.Header
	limited    bool
	global     bool
	retryAfter time.Duration
	bucket     string
}

func newLimiter(o Options) limiter {
	return limiter{def: o.RouteLimit, routes: o.RouteLimits, global: o.GlobalLimit, buckets: map[string]*bucket{}}
}

// take counts one request to route (like "POST /channels/{channel_id}/messages")
// on the resource major. exempt requests skip the global limit, as
// interaction and webhook-token routes do on Discord.
func (l *limiter) take(route, major string, exempt bool, now time.Time) limitResult {
	res := limitResult{header: http.Header{}}
	b := l.bucketFor(route, major, now)
	if b != nil {
		res.bucket = b.hash
	}

	for i, f := range l.forced {
		if f.route != "" && f.route != route {
			continue
		}
		f.n--
		if f.n <= 0 {
			l.forced = append(l.forced[:i], l.forced[i+1:]...)
		}
		res.limited, res.global, res.retryAfter = true, f.global, f.retryAfter
		if b != nil && !f.global {
			setBucketHeaders(res.header, b.limit.Requests, 0, now.Add(f.retryAfter), now, b.hash)
		}
		setRetryHeaders(res.header, f.retryAfter, f.global)
		return res
	}

	if !exempt && l.global.Requests >= 0 {
		if !now.Before(l.globalReset) {
			l.globalUsed = 0
			l.globalReset = now.Add(l.global.Window)
		}
		if l.globalUsed >= l.global.Requests {
			res.limited, res.global, res.retryAfter = true, true, l.globalReset.Sub(now)
			setRetryHeaders(res.header, res.retryAfter, true)
			return res
		}
		l.globalUsed++
	}

	if b == nil {
		return res
	}
	if b.remaining <= 0 {
		res.limited, res.retryAfter = true, b.reset.Sub(now)
		setBucketHeaders(res.header, b.limit.Requests, 0, b.reset, now, b.hash)
		setRetryHeaders(res.header, res.retryAfter, false)
		return res
	}
	b.remaining--
	setBucketHeaders(res.header, b.limit.Requests, b.remaining, b.reset, now, b.hash)
	return res
}

// bucketFor returns the route's bucket on major, refilled if its window
// passed, or nil when the route is unlimited.
func (l *limiter) bucketFor(route, major string, now time.Time) *bucket {
	lim, ok := l.routes[route]
	if !ok {
		lim = l.def
	}
	if lim.Requests < 0 {
		return nil
	}
	key := route + "\x00" + major
	b := l.buckets[key]
	if b == nil {
		h := fnv.New64a()
		h.Write([]byte(route))
		b = &bucket{limit: lim, hash: fmt.Sprintf("%016x", h.Sum64())}
		l.buckets[key] = b
	}
	if !now.Before(b.reset) {
		b.remaining = lim.Requests
		b.reset = now.Add(lim.Window)
	}
	return b
}

func setBucketHeaders(h http.Header, limit, remaining int, reset, now time.Time, hash string) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(reset.UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", seconds(reset.Sub(now)))
	h.Set("X-RateLimit-Bucket", hash)
}

func setRetryHeaders(h http.Header, retryAfter time.Duration, global bool) {
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(retryAfter.Seconds()))))
	if global {
		h.Set("X-RateLimit-Global", "true")
		h.Set("X-RateLimit-Scope", "global")
	} else {
		h.Set("X-RateLimit-Scope", "user")
	}
}

// seconds formats d as Discord does: seconds with millisecond decimals.
func seconds(d time.Duration) string {
	return strconv.FormatFloat(ceilSeconds(d), 'f', 3, 64)
}

// ceilSeconds rounds d up to the millisecond, at least 1ms: a client that
// truncates (discordgo does) must not retry before the window resets.
func ceilSeconds(d time.Duration) float64 {
	ms := max((d+time.Millisecond-1)/time.Millisecond, 1)
	return float64(ms) / 1000
}

// RateLimitNext makes the next n requests to route answer 429 with
// retryAfter, whatever the buckets say. route is a template such as
// "POST /channels/{channel_id}/messages"; "" matches every route.
// global makes them global rate limits.
func (s *Server) RateLimitNext(route string, n int, retryAfter time.Duration, global bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits.forced = append(s.limits.forced, &forcedLimit{route: route, n: n, retryAfter: retryAfter, global: global})
}
