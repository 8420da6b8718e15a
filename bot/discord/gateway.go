package discord

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
)

// discordgo v0.29 can fall into a reconnect loop: its heartbeat goroutine
// may write to a connection that Close has just shut (it picks its ticker
// over the closed "listening" channel, or has not sent its first heartbeat
// yet), and then calls Close and reconnect itself. That Close lands right
// after the next Open and shuts the new connection before its own
// heartbeat goroutine has run, which then does the same: one reconnect a
// second, each closing the session with 1000 so that every resume fails
// and the bot identifies again, until Discord's daily identify limit is
// spent (and Discord resets the token). The guard notices many
// disconnects in a short time and restarts the connection cleanly: stop
// reconnecting, close, let the stale goroutines run out, open again.
const (
	flapWindow = 30 * time.Second
	flapLimit  = 5 // disconnects within flapWindow that mean a loop
	flapSettle = 2 * time.Second
	reopenMax  = time.Minute
)

// gatewayGuard is the state of the reconnect-loop guard.
type gatewayGuard struct {
	mu         sync.Mutex // held while restarting the connection and at shutdown
	stopped    bool
	recent     []time.Time // disconnects within flapWindow
	restarting atomic.Bool
}

// setReconnect sets discordgo's reconnect switch under the session lock.
func (a *Adapter) setReconnect(on bool) {
	a.s.Lock()
	a.s.ShouldReconnectOnError = on
	a.s.Unlock()
}

func (a *Adapter) onDisconnect(*discordgo.Session, *discordgo.Disconnect) {
	defer a.recoverPanic("DISCONNECT")
	a.log.Debug("discord: gateway disconnected; discordgo reconnects")
	if a.noteDisconnect(time.Now()) {
		go a.restartGateway()
	}
}

// noteDisconnect records a disconnect and reports whether the gateway is
// looping and should be restarted (by this caller only).
func (a *Adapter) noteDisconnect(now time.Time) bool {
	g := &a.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.stopped || g.restarting.Load() {
		return false
	}
	keep := g.recent[:0]
	for _, t := range g.recent {
		if now.Sub(t) < flapWindow {
			keep = append(keep, t)
		}
	}
	g.recent = append(keep, now)
	if len(g.recent) < flapLimit {
		return false
	}
	g.recent = g.recent[:0]
	return g.restarting.CompareAndSwap(false, true)
}

// restartGateway closes the looping connection with reconnecting off,
// waits for discordgo's stale goroutines to give up, and opens a new
// connection, retrying with backoff.
func (a *Adapter) restartGateway() {
	defer a.gw.restarting.Store(false)
	defer a.recoverPanic("gateway restart")
	a.log.Warn("discord: the gateway keeps reconnecting; restarting the connection")
	a.gw.mu.Lock()
	if a.gw.stopped {
		a.gw.mu.Unlock()
		return
	}
	a.setReconnect(false)
	a.gw.mu.Unlock()
	if err := a.s.Close(); err != nil {
		a.log.Debug("discord: close the looping gateway", "error", a.redact.redact(err.Error()))
	}
	wait := flapSettle
	for {
		select {
		case <-a.ctx.Done():
			return
		case <-time.After(wait):
		}
		a.gw.mu.Lock()
		if a.gw.stopped {
			a.gw.mu.Unlock()
			return
		}
		a.setReconnect(true)
		err := a.s.Open()
		a.gw.mu.Unlock()
		if err == nil || errors.Is(err, discordgo.ErrWSAlreadyOpen) {
			a.log.Info("discord: gateway connection restarted")
			return
		}
		a.log.Warn("discord: reopen the gateway", "error", a.redact.wrap("open", err))
		a.setReconnect(false)
		wait = min(2*max(wait, time.Second), reopenMax)
	}
}
