package postgres

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsdigest/newsdigest/store"
)

// terminate ends every server session of the test's schema (found by
// application_name, which newSchema sets), as a server restart would, and
// waits until they are gone. It returns how many there were.
func terminate(t *testing.T, schema string) int {
	t.Helper()
	var n int
	admin(t, func(ctx context.Context, conn *pgx.Conn) error {
		if err := conn.QueryRow(ctx, `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))
			FROM pg_stat_activity WHERE application_name = $1`, schema).Scan(&n); err != nil {
			return err
		}
		for range 100 {
			var left int
			if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE application_name = $1`, schema).Scan(&left); err != nil {
				return err
			}
			if left == 0 {
				return nil
			}
			time.Sleep(20 * time.Millisecond)
		}
		return fmt.Errorf("sessions of %s still there after pg_terminate_backend", schema)
	})
	return n
}

// warm makes the pool open several connections, so that there are dead
// ones to meet after terminate.
func warm(t *testing.T, s *Store) {
	t.Helper()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.pool.Exec(context.Background(), `SELECT pg_sleep(0.05)`)
		}()
	}
	wg.Wait()
}

// When the server drops every connection (a restart), reads go on without
// a failure and a write fails at most once.
func TestRecoverFromTerminatedConnections(t *testing.T) {
	ctx := context.Background()
	dsn, schema := newSchema(t)
	s := open(t, dsn)
	a := &store.Article{URL: "https://news.example.com/a", Title: "Before", Body: "Stored before the restart."}
	if _, err := s.PutArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	c := &store.Channel{Platform: store.Telegram, ChatID: "1"}
	if err := s.SaveChannel(ctx, c); err != nil {
		t.Fatal(err)
	}

	reads := []struct {
		name string
		do   func() error
	}{
		{"Article", func() error { _, err := s.Article(ctx, a.ID); return err }},
		{"Articles", func() error { _, err := s.Articles(ctx, store.ArticleQuery{Search: "restart"}); return err }},
		{"CountArticles", func() error { _, err := s.CountArticles(ctx); return err }},
		{"Channels", func() error { _, err := s.Channels(ctx, ""); return err }},
		{"Sources", func() error { _, err := s.Sources(ctx); return err }},
	}
	for _, r := range reads {
		warm(t, s)
		if n := terminate(t, schema); n == 0 {
			t.Fatal("no session to terminate: the test would prove nothing")
		}
		if err := r.do(); err != nil {
			t.Errorf("%s right after the server dropped the connections: %v", r.name, err)
		}
	}

	writes := []struct {
		name string
		do   func(i int) error
	}{
		{"PutArticle", func(i int) error {
			_, err := s.PutArticle(ctx, &store.Article{URL: fmt.Sprintf("https://news.example.com/w%d", i), Title: "After", Body: fmt.Sprint("Write ", i)})
			return err
		}},
		{"SaveChannel", func(int) error { return s.SaveChannel(ctx, c) }},
		{"ClaimSlot", func(i int) error {
			_, err := s.ClaimSlot(ctx, &store.Slot{ChannelID: c.ID, Local: fmt.Sprintf("2026-03-01T%02d:00", i), Due: time.Now()}, "o", time.Now(), time.Minute)
			return err
		}},
	}
	for i, w := range writes {
		warm(t, s)
		terminate(t, schema)
		failures := 0
		for attempt := range 3 {
			err := w.do(i*10 + attempt)
			if err == nil {
				break
			}
			failures++
			t.Logf("%s attempt %d after the restart: %v", w.name, attempt+1, err)
		}
		if failures > 1 {
			t.Errorf("%s failed %d times after the server dropped the connections, want at most once", w.name, failures)
		}
	}
	if n, err := s.CountArticles(ctx); err != nil || n < 2 {
		t.Errorf("CountArticles = %d, %v after the writes", n, err)
	}
}
