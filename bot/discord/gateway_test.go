//go:build !race

package discord

// This test is left out of race builds: discordgo reads
// Session.ShouldReconnectOnError without its lock (wsapi.go, reconnect),
// so switching reconnects off while its goroutines are reconnecting, as
// the guard must, is a race inside discordgo that the detector reports.

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/bot/discord/discordtest"
)

func TestReconnectLoopIsBroken(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	// Drop the connection again and again, faster than a healthy gateway
	// ever is: the guard restarts it and the bot keeps answering.
	for i := 0; i < flapLimit; i++ {
		// Up to a guard restart's worth of time: discordgo's own loop (see
		// gateway.go) can trip the guard before the test's fifth drop.
		if !e.srv.WaitFor(20*time.Second, func() bool { return e.srv.Connections() == 1 }) {
			t.Fatalf("not reconnected after drop %d", i)
		}
		e.srv.Disconnect(4000)
		if !e.srv.WaitFor(2*time.Second, func() bool { return e.srv.Connections() == 0 }) {
			t.Fatalf("drop %d did not disconnect", i)
		}
	}
	if !e.srv.WaitFor(30*time.Second, func() bool {
		return strings.Contains(e.logs.String(), "gateway connection restarted") && e.srv.Connections() == 1
	}) {
		buf := make([]byte, 1<<20)
		t.Fatalf("the guard did not restart the gateway; goroutines:\n%s", buf[:runtime.Stack(buf, true)])
	}
	_, m := answered(t, e.interact(t, discordtest.InteractionSpec{Name: "help"}), 3*time.Second)
	if !strings.Contains(m.Content, "/digest") {
		t.Errorf("after the restart /help answered %q", m.Content)
	}
}
