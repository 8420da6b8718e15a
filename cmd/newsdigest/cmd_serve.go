package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/newsdigest/newsdigest/bot"
	"github.com/newsdigest/newsdigest/bot/discord"
	"github.com/newsdigest/newsdigest/bot/telegram"
)

// shutdownGrace is how long serve waits for work in flight after a signal.
const shutdownGrace = 20 * time.Second

func runServe(ctx context.Context, a *app, args []string) error {
	fs := newFlagSet(a, "serve", "", `Run the bot: the poller, the scheduler, and a chat adapter for each platform
whose token is set (TELEGRAM_BOT_TOKEN, DISCORD_BOT_TOKEN). /healthz and
/metrics are served on NEWSDIGEST_LISTEN. SIGINT or SIGTERM stops it gracefully.`)
	noPoll := fs.Bool("no-poll", false, "do not poll feeds (another process does)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
	}
	cfg, err := a.config()
	if err != nil {
		return err
	}
	log := a.log()
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	bs := st
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics := bot.NewMetrics(reg)
	b := &bot.Bot{
		Store:      bs,
		Pipeline:   &bot.Pipeline{Store: bs, Log: log},
		TimeZone:   cfg.DefaultTimeZone,
		MaxStories: cfg.DigestMaxStories,
		Log:        log,
		Metrics:    metrics,
	}
	f, err := a.fetcher()
	if err != nil {
		return err
	}
	b.Pages = f

	// Every part runs until ctx ends; the first one to fail stops the rest.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	start := func(name string, run func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(ctx); err != nil && ctx.Err() == nil {
				log.Error("serve: "+name+" stopped", "error", err)
				cancel(fmt.Errorf("%s: %w", name, err))
			}
		}()
	}

	// Cluster the default window now, so that the first digest after a
	// start is as fast as the rest (the cold path is several times slower).
	start("warm-up", func(ctx context.Context) error {
		if err := b.Pipeline.Warm(ctx, time.Now()); err != nil && ctx.Err() == nil {
			log.Warn("serve: warm up the digest's stories", "error", err)
		}
		return nil
	})

	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	posters := map[string]bot.Poster{}
	var adapters []string

	if cfg.TelegramToken != "" {
		tg, err := telegram.New(telegram.Config{
			Token: cfg.TelegramToken, APIBase: cfg.TelegramAPI,
			WebhookURL: cfg.TelegramWebhook, WebhookSecret: cfg.TelegramSecret,
			Limits: telegram.Limits{Global: telegram.Limit{Messages: cfg.TelegramRate, Per: time.Second}},
			Log:    log, Metrics: metrics,
		}, b)
		if err != nil {
			return fmt.Errorf("telegram: %w", err)
		}
		if cfg.TelegramWebhook != "" {
			// Every replica serves the webhook: no leader.
			mux.Handle("POST /telegram/webhook", tg.WebhookHandler())
		} else if ls, ok := st.(leaseStore); ok {
			// Replicas on one database: one long-polls, the others post.
			tg.SetLeader(storeLeader{st: ls, name: "telegram-poll"})
		}
		posters[tg.Platform()] = tg
		adapters = append(adapters, "telegram")
		start("telegram", tg.Run)
	}
	if cfg.DiscordToken != "" {
		dc, err := discord.New(discord.Config{
			Token: cfg.DiscordToken, APIBase: cfg.DiscordAPI, GuildID: cfg.DiscordGuild,
			PublicKey: cfg.DiscordPublicKey, HTTPOnly: cfg.DiscordHTTPOnly,
			ShardID: cfg.DiscordShardID, ShardCount: cfg.DiscordShardCount, Log: log, Metrics: metrics,
		}, b)
		if err != nil {
			return err
		}
		if cfg.DiscordPublicKey != "" {
			mux.Handle("POST /discord/interactions", dc.InteractionsHandler())
		}
		posters[dc.Platform()] = dc
		adapters = append(adapters, "discord")
		start("discord", dc.Run)
	}
	if len(adapters) == 0 {
		log.Warn("serve: no chat platform configured: set TELEGRAM_BOT_TOKEN or DISCORD_BOT_TOKEN; polling feeds only")
	}

	host, _ := os.Hostname()
	owner := fmt.Sprintf("%s/%d", host, os.Getpid()) // in claims on slots and sources
	if !*noPoll {
		p, err := a.poller()
		if err != nil {
			return err
		}
		p.Store, p.Owner = st, owner
		start("poller", p.Run)
	}
	sched := &bot.Scheduler{Bot: b, Posters: posters, Owner: owner,
		Tick: cfg.ScheduleTick, Grace: cfg.ScheduleGrace, Lease: cfg.ScheduleLease, Log: log}
	if len(posters) > 0 {
		start("scheduler", sched.Run)
	}
	if cfg.Retention > 0 {
		start("prune", func(ctx context.Context) error {
			return pruneDaily(ctx, st, cfg.Retention, cfg.ScheduleGrace, pruneFirst, pruneEvery, log)
		})
	}

	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		hctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if _, err := st.CountArticles(hctx); err != nil {
			http.Error(w, "store unavailable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		cancel(nil)
		wg.Wait()
		return fmt.Errorf("listen on %s (NEWSDIGEST_LISTEN): %w", cfg.Listen, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, MaxHeaderBytes: 64 << 10}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			cancel(fmt.Errorf("http: %w", err))
		}
	}()
	log.Info("serve: running", "listen", ln.Addr().String(), "database", redactDSN(cfg.Database), "adapters", adapters, "version", version)

	<-ctx.Done()
	cause := context.Cause(ctx)
	log.Info("serve: shutting down", "reason", cause)
	sctx, scancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer scancel()
	_ = srv.Shutdown(sctx)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-sctx.Done():
		log.Warn("serve: work still in flight after the grace period; exiting")
	}
	if cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	return nil
}

// leaseStore is a store in which replicas elect a leader (store/postgres):
// a lease that one process holds at a time and that passes to another
// when the holder dies.
type leaseStore interface {
	Lead(ctx context.Context, name string, retry time.Duration) (context.Context, func(), error)
}

// storeLeader is a telegram.Leader on a lease in the store, retried every
// second, so that a replica takes over long polling within about a second
// of the leader's death. A store without leases (SQLite: one process) has
// no leader and polls at once.
type storeLeader struct {
	st   leaseStore
	name string
}

func (l storeLeader) Lead(ctx context.Context) (context.Context, func(), error) {
	return l.st.Lead(ctx, l.name, time.Second)
}
