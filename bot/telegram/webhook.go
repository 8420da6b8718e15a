package telegram

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

const (
	// secretHeader carries the webhook's secret token.
	secretHeader = "X-Telegram-Bot-Api-Secret-Token"
	// maxUpdateBytes caps a webhook request body; an update with a
	// 4096-character message and its entities is far smaller.
	maxUpdateBytes = 1 << 20
	// slotWait is how long a webhook request waits for a free handler
	// before asking Telegram to send it again later.
	slotWait = 5 * time.Second
)

// runWebhook registers the webhook and waits for ctx to end; the updates
// come through WebhookHandler. The webhook stays set after shutdown so
// that Telegram keeps the updates for the next start.
func (a *Adapter) runWebhook(ctx context.Context) error {
	allowed, _ := json.Marshal(allowedUpdates)
	p := tgbotapi.Params{
		"url":             a.cfg.WebhookURL,
		"secret_token":    a.cfg.WebhookSecret,
		"allowed_updates": string(allowed),
		"max_connections": strconv.Itoa(min(max(a.cfg.MaxConcurrent, 1), 100)),
	}
	err := a.retry(ctx, "setWebhook", func(ctx context.Context) error {
		_, err := a.callParams(ctx, "setWebhook", p)
		return err
	})
	if err != nil {
		return err
	}
	a.log.Info("telegram: webhook set", "url", a.cfg.WebhookURL)
	<-ctx.Done()
	return nil
}

// WebhookHandler receives Telegram's webhook requests: POST with the
// update as JSON and the secret token in X-Telegram-Bot-Api-Secret-Token.
// A request without the right secret gets 401. A good update is answered
// 200 at once and handled in the background; an update Telegram sends
// again (after a timeout) is not handled twice. While Run has not started
// or has stopped the handler answers 503, and Telegram retries later.
func (a *Adapter) WebhookHandler() http.Handler {
	want := sha256.Sum256([]byte(a.cfg.WebhookSecret))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		// Comparing digests takes the same time whatever the length.
		got := sha256.Sum256([]byte(r.Header.Get(secretHeader)))
		if a.cfg.WebhookSecret == "" || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			a.log.Warn("telegram: webhook request without the right secret token", "remote", r.RemoteAddr)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		var u tgbotapi.Update
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxUpdateBytes))
		if err := dec.Decode(&u); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "update too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		if a.self.Load() == nil {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		if !a.seen.add(u.UpdateID) {
			w.WriteHeader(http.StatusOK) // a retry of one already taken
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), slotWait)
		defer cancel()
		if !a.dispatch(ctx, u) {
			a.seen.remove(u.UpdateID)
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

// recentIDs remembers the last update ids taken.
type recentIDs struct {
	mu   sync.Mutex
	set  map[int]bool
	ring []int
	next int
}

const recentSize = 4096

// add records id and reports whether it is new.
func (r *recentIDs) add(id int) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.set == nil {
		r.set = map[int]bool{}
		r.ring = make([]int, 0, recentSize)
	}
	if r.set[id] {
		return false
	}
	if len(r.ring) < recentSize {
		r.ring = append(r.ring, id)
	} else {
		delete(r.set, r.ring[r.next])
		r.ring[r.next] = id
		r.next = (r.next + 1) % recentSize
	}
	r.set[id] = true
	return true
}

// remove forgets id, so that Telegram's retry of it is taken.
func (r *recentIDs) remove(id int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.set, id) // its ring entry goes in its turn; deleting twice is harmless
}
