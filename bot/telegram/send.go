package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsdigest/newsdigest/bot"
	"github.com/newsdigest/newsdigest/digest"
	"github.com/newsdigest/newsdigest/digest/render"
	"github.com/newsdigest/newsdigest/store"
)

// sendGrace is how long a send already on the wire may go on after its
// context ends.
const sendGrace = 2 * time.Second

// onTheWire is the context of a request being sent: it ends sendGrace after
// ctx does, not at once, so that a message Telegram may have taken gets
// its answer, and its id is recorded, unless Telegram hangs.
func onTheWire(ctx context.Context) (context.Context, context.CancelFunc) {
	wire, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() {
		t := time.NewTimer(sendGrace)
		defer t.Stop()
		select {
		case <-t.C:
			cancel()
		case <-wire.Done():
		}
	})
	return wire, func() { stop(); cancel() }
}

// maxSendRetries bounds the resends after a transport or server error;
// 429s are waited out and resent without a bound.
const maxSendRetries = 3

// outMessage is one HTML message to send.
type outMessage struct {
	html      string
	noPreview bool
}

// PostDigest posts a digest to a chat as render.Telegram's HTML messages,
// link previews off, in order, keeping to the flood limits and waiting
// out 429s. Telegram has no idempotent send, so key is not used. It
// returns the ids of the messages sent, also those sent before an error.
//
// Errors: one wrapping bot.ErrChatUnavailable when Telegram refuses the
// chat (403: the bot was blocked or kicked; the chat is gone); a
// *bot.ChatMovedError when the group became a supergroup.
func (a *Adapter) PostDigest(ctx context.Context, chatID string, d *digest.Digest, key string) ([]string, error) {
	return a.ResumeDigest(ctx, chatID, d, key, nil, nil)
}

// ResumeDigest implements bot.ResumingPoster: PostDigest without the first
// len(sent) messages, calling progress after each message but the last.
// Telegram has no idempotent send, so a message Telegram accepted just
// before a crash, and whose id progress had no time to record, is sent
// again by the retry; progress makes that instant as short as it can be.
func (a *Adapter) ResumeDigest(ctx context.Context, chatID string, d *digest.Digest, key string, sent []string, progress func(ids []string)) ([]string, error) {
	if d == nil {
		return nil, errors.New("telegram: post digest: no digest")
	}
	id, err := strconv.ParseInt(chatID, 10, 64)
	if err != nil || id == 0 {
		return nil, fmt.Errorf("telegram: post digest: %q is not a Telegram chat id: %w", clipRunes(chatID, 40), bot.ErrChatUnavailable)
	}
	msgs := digestMessages(d)
	done := append([]string(nil), sent...)
	if len(done) >= len(msgs) {
		return done, nil // all out before
	}
	ids, err := a.sendReporting(ctx, id, msgs[len(done):], 0, func(ids []string) {
		if progress != nil {
			progress(append(done[:len(done):len(done)], ids...))
		}
	})
	return append(done, ids...), err
}

func digestMessages(d *digest.Digest) []outMessage {
	var out []outMessage
	for _, html := range render.Telegram(*d) {
		out = append(out, outMessage{html: html, noPreview: true})
	}
	return out
}

// replyMessages renders a reply: its text, then its digest.
func replyMessages(r bot.Reply) []outMessage {
	var out []outMessage
	for _, html := range textMessages(r.Text) {
		out = append(out, outMessage{html: html})
	}
	if r.Digest != nil {
		out = append(out, digestMessages(r.Digest)...)
	}
	return out
}

// answer runs a command and replies in the chat, the first message as a
// reply to the command. While the bot works the chat shows "typing".
func (a *Adapter) answer(ctx context.Context, m *tgbotapi.Message, req bot.Request) {
	chatID := m.Chat.ID
	stopTyping := a.typing(ctx, chatID)
	reply := a.bot.Handle(ctx, req)
	stopTyping()
	msgs := replyMessages(reply)
	if len(msgs) == 0 {
		return
	}
	_, err := a.send(ctx, chatID, msgs, m.MessageID)
	var moved *bot.ChatMovedError
	if errors.As(err, &moved) {
		to, perr := strconv.ParseInt(moved.To, 10, 64)
		if perr == nil {
			a.moveChat(ctx, chatID, to)
			_, err = a.send(ctx, to, msgs, 0)
		}
	}
	switch {
	case err == nil:
	case errors.Is(err, bot.ErrChatUnavailable):
		a.log.Info("telegram: reply not delivered: chat unavailable", "chat", chatID, "command", req.Command, "error", err)
	case ctx.Err() != nil:
		a.log.Warn("telegram: reply not delivered before the deadline", "chat", chatID, "command", req.Command, "error", err)
	default:
		a.log.Warn("telegram: reply not delivered", "chat", chatID, "command", req.Command, "error", err)
	}
}

// typing shows "typing" in the chat after typingDelay and every
// typingEvery until the returned stop is called; stop returns once no
// chat action is in flight, so none lands after the reply.
func (a *Adapter) typing(ctx context.Context, chatID int64) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		wait := a.typingDelay
		for {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
			_, err := a.call(ctx, "sendChatAction", tgbotapi.NewChatAction(chatID, tgbotapi.ChatTyping))
			if err != nil && ctx.Err() == nil {
				a.log.Debug("telegram: typing", "chat", chatID, "error", err)
				if e, ok := asAPIError(err); ok && (e.unavailable || e.code == http.StatusBadRequest) {
					return
				}
			}
			wait = a.typingEvery
		}
	}()
	return func() { cancel(); wg.Wait() }
}

// send delivers messages to a chat in order, the first as a reply to
// replyTo (0: none), and returns the ids sent. The messages of one call
// are not interleaved with another call's to the same chat.
func (a *Adapter) send(ctx context.Context, chatID int64, msgs []outMessage, replyTo int) ([]string, error) {
	return a.sendReporting(ctx, chatID, msgs, replyTo, nil)
}

// sendReporting is send that calls progress, if not nil, with the ids so
// far after each message but the last.
func (a *Adapter) sendReporting(ctx context.Context, chatID int64, msgs []outMessage, replyTo int, progress func(ids []string)) ([]string, error) {
	unlock, err := a.order.lock(ctx, chatID)
	if err != nil {
		return nil, fmt.Errorf("telegram: send to chat %d: %w", chatID, err)
	}
	defer unlock()
	ids := make([]string, 0, len(msgs))
	for i, m := range msgs {
		cfg := tgbotapi.NewMessage(chatID, m.html)
		cfg.ParseMode = tgbotapi.ModeHTML
		cfg.DisableWebPagePreview = m.noPreview
		if i == 0 && replyTo != 0 {
			cfg.ReplyToMessageID = replyTo
			cfg.AllowSendingWithoutReply = true
		}
		id, err := a.sendOne(ctx, chatID, cfg)
		if err != nil {
			return ids, err
		}
		ids = append(ids, strconv.Itoa(id))
		if progress != nil && i < len(msgs)-1 {
			progress(ids)
		}
	}
	return ids, nil
}

// sendOne sends one message within the flood limits. A 429 holds the chat
// back for retry_after and the message is sent again, however often that
// takes; transport and server errors are retried a few times.
func (a *Adapter) sendOne(ctx context.Context, chatID int64, cfg tgbotapi.MessageConfig) (int, error) {
	var b backoff
	failures := 0
	for {
		release, err := a.limiter.acquire(ctx, chatID)
		if err != nil {
			return 0, fmt.Errorf("telegram: send to chat %d: %w", chatID, err)
		}
		wire, done := onTheWire(ctx)
		raw, err := a.call(wire, "sendMessage", cfg)
		done()
		release()
		if err == nil {
			var sent tgbotapi.Message
			if jerr := json.Unmarshal(raw, &sent); jerr != nil || sent.MessageID == 0 {
				a.delivered("error")
				return 0, fmt.Errorf("telegram: send to chat %d: no message in Telegram's answer", chatID)
			}
			a.delivered("ok")
			return sent.MessageID, nil
		}
		e, _ := asAPIError(err)
		switch {
		case ctx.Err() != nil:
			a.delivered("error")
			return 0, fmt.Errorf("%w: %w", ctx.Err(), err)
		case e == nil:
		case e.code == http.StatusTooManyRequests:
			wait := time.Duration(max(e.retryAfter, 1)) * time.Second
			if a.metrics != nil {
				a.metrics.RateLimits.WithLabelValues(store.Telegram).Inc()
			}
			a.log.Info("telegram: flood limit; waiting to resend", "chat", chatID, "retry_after", wait)
			a.limiter.hold(chatID, wait)
			continue
		case e.migrateTo != 0:
			a.delivered("moved")
			return 0, &bot.ChatMovedError{From: strconv.FormatInt(chatID, 10), To: strconv.FormatInt(e.migrateTo, 10)}
		case e.unavailable:
			a.delivered("unavailable")
			return 0, err
		case e.transient() && failures < maxSendRetries:
			failures++
			d := b.next()
			a.log.Warn("telegram: send failed; retrying", "chat", chatID, "error", err, "in", d)
			if serr := a.sleep(ctx, d); serr != nil {
				a.delivered("error")
				return 0, err
			}
			continue
		}
		a.delivered("error")
		return 0, err
	}
}

func (a *Adapter) delivered(outcome string) {
	if a.metrics != nil {
		a.metrics.Deliveries.WithLabelValues(store.Telegram, outcome).Inc()
	}
}
