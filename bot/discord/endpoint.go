package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

const (
	// maxInteractionBody caps a request to the interactions endpoint;
	// an interaction is a few kilobytes.
	maxInteractionBody = 1 << 20
	// maxClockSkew is how far a request's signed timestamp may be from
	// now: older requests are replays.
	maxClockSkew = 5 * time.Minute
)

// InteractionsHandler is the HTTP interactions endpoint, for the
// application's Interactions Endpoint URL (then Discord sends
// interactions here instead of over the gateway; see Config.HTTPOnly).
// It checks each request's Ed25519 signature against Config.PublicKey,
// answers PING, and answers commands with a deferred response in the
// HTTP response itself, then edits it over REST in the background.
func (a *Adapter) InteractionsHandler() http.Handler {
	return http.HandlerFunc(a.serveInteraction)
}

func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request) {
	defer a.recoverPanic("interactions endpoint")
	if a.cfg.publicKey == nil {
		http.Error(w, "interactions endpoint not configured: no public key", http.StatusServiceUnavailable)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxInteractionBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "cannot read the request body", http.StatusBadRequest)
		return
	}
	if !verifySignature(a.cfg.publicKey, r.Header, body, time.Now()) {
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil {
		http.Error(w, "not an interaction", http.StatusBadRequest)
		return
	}
	if i.Type == discordgo.InteractionPing {
		writeJSON(w, interactionResponse{Type: callbackPong})
		return
	}
	resp, work, err := a.prepare(&i)
	if err != nil {
		http.Error(w, "unsupported interaction", http.StatusBadRequest)
		return
	}
	if work == nil {
		writeJSON(w, resp)
		return
	}
	if !a.inflight.add() {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	// The answer starts once the deferred response is written, that is
	// once this handler returns.
	written := make(chan struct{})
	defer close(written)
	go func() {
		defer a.inflight.done()
		defer a.recoverPanic("HTTP interaction /" + commandName(&i))
		<-written
		ctx, cancel := context.WithTimeout(a.ctx, answerTimeout)
		defer cancel()
		work(ctx)
	}()
	writeJSON(w, resp)
}

// verifySignature checks Discord's signature of an interactions request:
// Ed25519 over the timestamp header followed by the body, with the
// timestamp within maxClockSkew of now.
func verifySignature(key ed25519.PublicKey, h http.Header, body []byte, now time.Time) bool {
	sig, err := hex.DecodeString(h.Get("X-Signature-Ed25519"))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return false
	}
	ts := h.Get("X-Signature-Timestamp")
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	if skew := now.Sub(time.Unix(secs, 0)); skew > maxClockSkew || skew < -maxClockSkew {
		return false
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	return ed25519.Verify(key, msg, sig)
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}
