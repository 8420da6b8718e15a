package bot

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/digest/render"
	"github.com/newsdigest/newsdigest/digest/story"
	"github.com/newsdigest/newsdigest/store"
)

// The speed targets, on the 100,000-article stores of bench_store_test.go:
//
//   - a digest over the 5,000 articles of the last 24 hours, p50 at most
//     200 ms end to end (BenchmarkDigest): the window read from the store,
//     the stored analyses, filters, clustering, ranking, the digest model,
//     and rendering for Telegram and for Discord. warm is a running bot,
//     whose live clusters already hold the window (and the day before it);
//     cold is the first digest after a restart, which clusters the window
//     from scratch; restart is a restart that ran Pipeline.Warm (timed
//     apart, as warmup-p50-ms) before its first digest.
//   - every command answers in under a second (BenchmarkCommands): Handle
//     plus rendering for the platform, p50 and p99 per command.
//
// Both run on SQLite and, with NEWSDIGEST_TEST_POSTGRES set, on PostgreSQL,
// holding the same data, in the same run:
//
//	go test -run '^$' -bench 'Digest|Commands' -benchtime 20x -cpu 1,2 ./bot
//
// (-cpu 2 and more let the cold path read articles and analyses ahead on
// other cores.) The first run builds the stores (a few minutes); later
// runs reuse them.

var benchBackends = []struct {
	name string
	open func(b *testing.B) store.Store
}{
	{"sqlite", func(b *testing.B) store.Store { return openSQLiteBench(b) }},
	{"postgres", func(b *testing.B) store.Store { return openPostgresBench(b) }},
}

// latencies collects the wall and CPU time of each operation. The CPU
// time is the whole process's, every thread's (the goroutines that read
// ahead, the collector, system calls), so it can exceed the wall time.
type latencies struct{ wall, cpu []time.Duration }

func (l *latencies) time(f func()) {
	start, startCPU := time.Now(), cpuTime()
	f()
	l.wall = append(l.wall, time.Since(start))
	l.cpu = append(l.cpu, cpuTime()-startCPU)
}

// percentile returns the p-th percentile of ds in milliseconds (nearest
// rank).
func percentile(ds []time.Duration, p float64) float64 {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := max(int(math.Ceil(p/100*float64(len(s))))-1, 0)
	return float64(s[i]) / float64(time.Millisecond)
}

func (l *latencies) report(b *testing.B) {
	if len(l.wall) == 0 {
		return
	}
	b.ReportMetric(percentile(l.wall, 50), "p50-ms")
	b.ReportMetric(percentile(l.wall, 99), "p99-ms")
	if c := percentile(l.cpu, 50); c > 0 {
		b.ReportMetric(c, "p50-cpu-ms")
	}
}

// digestOnce builds the default digest at now and renders it for both
// platforms, as a scheduled delivery to one chat on each does.
func digestOnce(b *testing.B, p *Pipeline, now time.Time) *Built {
	built, err := p.Build(context.Background(), BuildRequest{Name: "Digest", Now: now, Location: time.UTC,
		Since: now.Add(-DefaultWindow), Max: 8})
	if err != nil {
		b.Fatal(err)
	}
	if len(render.Telegram(*built.Digest)) == 0 || len(render.Discord(*built.Digest)) == 0 {
		b.Fatal("a digest rendered to no messages")
	}
	return built
}

// checkDigest fails unless the digest looks like one: eight stories, with
// summaries, several with more than one outlet and with key quotes.
func checkDigest(b *testing.B, built *Built) {
	b.Helper()
	var multi, quoted int
	for _, s := range built.Digest.Stories {
		if s.Summary == "" || s.Headline == "" {
			b.Fatalf("story %s lacks a headline or summary: %+v", s.ID, s)
		}
		if len(s.Links) > 1 {
			multi++
		}
		if len(s.Quotes) > 0 {
			quoted++
		}
	}
	if len(built.Digest.Stories) != 8 || multi < 4 || quoted < 4 {
		b.Fatalf("digest of %d stories, %d with several outlets, %d with quotes", len(built.Digest.Stories), multi, quoted)
	}
}

// windowSize counts the articles a 24-hour digest at now reads.
func windowSize(b *testing.B, s store.Store, now time.Time) int {
	as, err := s.Articles(context.Background(), store.ArticleQuery{Since: now.Add(-DefaultWindow), Until: now, Limit: defaultMaxArticles})
	if err != nil {
		b.Fatal(err)
	}
	return len(as)
}

func BenchmarkDigest(b *testing.B) {
	for _, be := range benchBackends {
		for _, mode := range []string{"warm", "cold", "restart"} {
			b.Run(be.name+"/"+mode, func(b *testing.B) {
				s := be.open(b)
				defer s.Close()
				now := newsNow(b, s)
				n := windowSize(b, s, now)
				var p *Pipeline
				if mode == "warm" {
					// A running bot: yesterday's and today's articles are
					// in the live clusters.
					p = &Pipeline{Store: s}
					digestOnce(b, p, now.Add(-DefaultWindow))
					checkDigest(b, digestOnce(b, p, now))
				}
				var l, warmUp latencies
				for b.Loop() {
					switch mode {
					case "cold":
						p = &Pipeline{Store: s} // a restart
					case "restart":
						// A restart that warms the live clusters (Warm)
						// before the first digest.
						p = &Pipeline{Store: s}
						warmUp.time(func() {
							if err := p.Warm(context.Background(), now); err != nil {
								b.Fatal(err)
							}
						})
					}
					l.time(func() { digestOnce(b, p, now) })
				}
				checkDigest(b, digestOnce(b, p, now))
				l.report(b)
				if len(warmUp.wall) > 0 {
					b.ReportMetric(percentile(warmUp.wall, 50), "warmup-p50-ms")
				}
				b.ReportMetric(float64(n), "articles")
			})
		}
	}
}

// benchCommand is one command as a user types it.
type benchCommand struct {
	label string // the sub-benchmark's name
	name  string
	args  []string
}

// commandBench sets a bot up on s as it runs: the live clusters warm, the
// chat subscribed, and arguments that find something (a story of the last
// digest, words of its headline, a speaker it quotes).
func commandBench(b *testing.B, s store.Store) (*Bot, []benchCommand) {
	ctx := context.Background()
	now := newsNow(b, s)
	bot := &Bot{Store: s, Pipeline: &Pipeline{Store: s}, TimeZone: "UTC", MaxStories: 8, Now: func() time.Time { return now }}
	for _, platform := range []string{store.Telegram, store.Discord} {
		c := &store.Channel{Platform: platform, ChatID: benchChat(platform), Title: "bench", Schedule: "daily 08:00", TimeZone: "Europe/Berlin"}
		if err := s.SaveChannel(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
	digestOnce(b, bot.Pipeline, now.Add(-DefaultWindow))
	built := digestOnce(b, bot.Pipeline, now)
	checkDigest(b, built)
	top := built.Digest.Stories[0]
	var words []string
	for _, w := range strings.Fields(strings.ToLower(top.Headline)) {
		w = strings.Trim(w, ":,.")
		if len(w) > 4 && !slices.Contains(newsFunctionWords, w) && !slices.Contains(words, w) {
			words = append(words, w)
		}
	}
	var speaker string
	for _, st := range built.Digest.Stories {
		if len(st.Quotes) > 0 {
			f := strings.Fields(st.Quotes[0].Speaker)
			speaker = f[len(f)-1]
			break
		}
	}
	if len(words) < 2 || speaker == "" {
		b.Fatalf("no search words in %q or no speaker in the digest", top.Headline)
	}
	return bot, []benchCommand{
		{"digest", "digest", nil},
		{"digest-topic", "digest", words[:1]},
		{"search", "search", words[:2]},
		{"quotes", "quotes", []string{speaker}},
		{"quotes-nobody", "quotes", []string{"Nobody Atall"}}, // reads every quote
		{"story", "story", []string{top.ID}},
		{"status", "status", nil},
		{"sources", "sources", nil},
	}
}

func benchChat(platform string) string {
	if platform == store.Telegram {
		return "-1001"
	}
	return "2001"
}

func BenchmarkCommands(b *testing.B) {
	for _, be := range benchBackends {
		b.Run(be.name, func(b *testing.B) {
			s := be.open(b)
			defer s.Close()
			bot, cmds := commandBench(b, s)
			for _, platform := range []string{store.Telegram, store.Discord} {
				for _, c := range cmds {
					b.Run(platform+"/"+c.label, func(b *testing.B) {
						req := Request{Platform: platform, ChatID: benchChat(platform), Kind: Group, UserID: "7",
							Command: c.name, Args: c.args, IsAdmin: func(context.Context) (bool, error) { return true, nil }}
						var l latencies
						for b.Loop() {
							l.time(func() {
								reply := bot.Handle(context.Background(), req)
								if reply.Error {
									b.Fatalf("/%s %s: %s", c.name, strings.Join(c.args, " "), reply.Text)
								}
								switch {
								case reply.Digest != nil && platform == store.Telegram:
									render.Telegram(*reply.Digest)
								case reply.Digest != nil:
									render.Discord(*reply.Digest)
								case reply.Text == "":
									b.Fatalf("/%s: empty reply", c.name)
								}
							})
						}
						l.report(b)
					})
				}
			}
		})
	}
}

// BenchmarkClusterWindow is the cold path's clustering alone: the 24-hour
// window and its analyses already in memory, clustered from scratch.
func BenchmarkClusterWindow(b *testing.B) {
	s := openSQLiteBench(b)
	defer s.Close()
	ctx := context.Background()
	now := newsNow(b, s)
	arts, err := s.Articles(ctx, store.ArticleQuery{Since: now.Add(-DefaultWindow), Until: now, Limit: defaultMaxArticles})
	if err != nil {
		b.Fatal(err)
	}
	p := &Pipeline{Store: s}
	ans, err := p.Analyses(ctx, arts)
	if err != nil {
		b.Fatal(err)
	}
	names, _ := p.outletNames(ctx)
	read := func(arts []*store.Article, add func([]story.Article)) error {
		add(storyArticles(arts, ans, names))
		return nil
	}
	var l latencies
	var stories int
	for b.Loop() {
		l.time(func() {
			ss, _ := clusterArticles(arts, read)
			stories = len(ss)
		})
	}
	l.report(b)
	b.ReportMetric(float64(stories), "stories")
}
