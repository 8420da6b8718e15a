package telegram

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/bot/telegram/telegramtest"
)

// testLeader hands out terms of leadership when the test says so.
type testLeader struct {
	grant    chan error // one term per value: nil leads, an error fails Lead
	calls    atomic.Int32
	released atomic.Int32
	mu       sync.Mutex
	end      context.CancelFunc // ends the current term
}

func (l *testLeader) Lead(ctx context.Context) (context.Context, func(), error) {
	l.calls.Add(1)
	select {
	case err := <-l.grant:
		if err != nil {
			return nil, nil, err
		}
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	lead, end := context.WithCancel(ctx)
	l.mu.Lock()
	l.end = end
	l.mu.Unlock()
	return lead, func() { end(); l.released.Add(1) }, nil
}

func (l *testLeader) lose() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.end()
}

// With a Leader the adapter long-polls only while it leads: it waits for
// the lead, polls and answers, stops when the lead is lost, waits again,
// and a failing Lead is retried.
func TestPollOnlyWhileLeading(t *testing.T) {
	l := &testLeader{grant: make(chan error)}
	e := start(t, envOptions{noRun: true, adapter: func(a *Adapter) { a.SetLeader(l) }})
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel, e.finished = cancel, make(chan struct{})
	go func() { e.runErr = e.a.Run(ctx); close(e.finished) }()

	if !eventually(5*time.Second, func() bool { return l.calls.Load() == 1 }) {
		t.Fatal("Run did not ask to lead")
	}
	u := e.srv.SendMessage(telegramtest.Chat{}, telegramtest.User{ID: 42, FirstName: "Ann"}, "/help")
	time.Sleep(200 * time.Millisecond)
	if n := e.srv.Calls("getUpdates"); n != 0 {
		t.Fatalf("%d getUpdates before leading", n)
	}

	l.grant <- nil
	e.waitHandled(t, u) // polls once it leads
	l.lose()
	if !eventually(5*time.Second, func() bool { return l.calls.Load() == 2 && l.released.Load() == 1 }) {
		t.Fatalf("after the lead was lost: Lead called %d times, released %d; want 2 and 1", l.calls.Load(), l.released.Load())
	}
	time.Sleep(100 * time.Millisecond) // the last poll's confirmation
	polls := e.srv.Calls("getUpdates")
	u2 := e.srv.SendMessage(telegramtest.Chat{}, telegramtest.User{ID: 42, FirstName: "Ann"}, "/help")
	time.Sleep(200 * time.Millisecond)
	if n := e.srv.Calls("getUpdates"); n != polls {
		t.Errorf("%d getUpdates after the lead was lost", n-polls)
	}
	if e.handledIDs()[u2.ID] != 0 {
		t.Error("an update was handled without the lead")
	}

	l.grant <- errors.New("database unreachable") // retried after a pause
	if !eventually(5*time.Second, func() bool { return l.calls.Load() == 3 }) {
		t.Fatal("a failed Lead was not retried")
	}
	l.grant <- nil
	e.waitHandled(t, u2)
}

// eventually polls cond until it holds or timeout passes.
func eventually(timeout time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(timeout); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			return false
		}
	}
	return true
}
