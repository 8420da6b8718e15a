package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// receive long-polls until ctx ends: all along, or, with a Leader, while
// this process leads, waiting for the lead again each time it is lost.
func (a *Adapter) receive(ctx context.Context) error {
	if a.leader == nil {
		return a.poll(ctx)
	}
	var b backoff
	for ctx.Err() == nil {
		a.log.Info("telegram: waiting for the lead; until then another replica receives updates")
		lead, release, err := a.leader.Lead(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			d := b.next()
			a.log.Warn("telegram: waiting for the lead failed", "error", err, "retry_in", d)
			if err := a.sleep(ctx, d); err != nil {
				return nil
			}
			continue
		}
		b.reset()
		a.log.Info("telegram: leading: receiving updates by long polling")
		err = a.poll(lead)
		release()
		if err != nil && lead.Err() == nil {
			return err // Telegram refused the token
		}
		if ctx.Err() == nil {
			a.log.Warn("telegram: lost the lead")
		}
	}
	return nil
}

// poll receives updates by long polling until ctx ends. Each batch is
// confirmed by the offset of the next getUpdates, so an update is handed
// to a handler once; at shutdown a last getUpdates confirms the final
// batch, so that the next start does not handle it again.
func (a *Adapter) poll(ctx context.Context) error {
	// getUpdates fails with 409 while a webhook is set.
	err := a.retry(ctx, "deleteWebhook", func(ctx context.Context) error {
		_, err := a.call(ctx, "deleteWebhook", tgbotapi.DeleteWebhookConfig{})
		return err
	})
	if err != nil {
		return err
	}
	offset := 0
	defer func() { a.confirm(offset) }()
	var b backoff
	for ctx.Err() == nil {
		updates, err := a.getUpdates(ctx, offset, a.cfg.pollSeconds, 100)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			e, _ := asAPIError(err)
			if e != nil && e.permanent() {
				return err
			}
			d := b.next()
			if e != nil && e.code == http.StatusConflict {
				a.log.Warn("telegram: getUpdates conflict: another instance polls with this token, or a webhook is set", "error", err, "retry_in", d)
			} else {
				a.log.Warn("telegram: getUpdates failed", "error", err, "retry_in", d)
			}
			if err := a.sleep(ctx, d); err != nil {
				return nil
			}
			continue
		}
		b.reset()
		for _, u := range updates {
			if u.UpdateID < offset {
				continue // handed over already
			}
			if u.Update != nil && !a.dispatch(ctx, *u.Update) {
				return nil // shutting down: leave it unconfirmed
			}
			offset = u.UpdateID + 1
		}
	}
	return nil
}

// polled is one update of a batch; Update is nil when it could not be
// read, so that a malformed update is skipped instead of blocking the
// queue.
type polled struct {
	UpdateID int
	Update   *tgbotapi.Update
}

// getUpdates fetches up to limit updates from offset on, waiting up to
// timeout seconds for the first.
func (a *Adapter) getUpdates(ctx context.Context, offset, timeout, limit int) ([]polled, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Duration(timeout)*time.Second+clientSlack)
	defer cancel()
	cfg := tgbotapi.UpdateConfig{Offset: offset, Limit: limit, Timeout: timeout, AllowedUpdates: allowedUpdates}
	resp, err := a.api(ctx).Request(cfg)
	if err != nil {
		return nil, a.redact.wrap("getUpdates", err)
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(resp.Result, &raws); err != nil {
		return nil, &apiError{method: "getUpdates", msg: "unreadable update list in Telegram's answer"}
	}
	out := make([]polled, 0, len(raws))
	for _, raw := range raws {
		var id struct {
			UpdateID *int `json:"update_id"`
		}
		if err := json.Unmarshal(raw, &id); err != nil || id.UpdateID == nil {
			a.log.Warn("telegram: update without an id; skipping the rest of the batch")
			break
		}
		p := polled{UpdateID: *id.UpdateID}
		var u tgbotapi.Update
		if err := json.Unmarshal(raw, &u); err != nil {
			a.log.Warn("telegram: unreadable update; skipping it", "update", p.UpdateID, "error", err)
		} else {
			p.Update = &u
		}
		out = append(out, p)
	}
	return out, nil
}

// confirm tells Telegram that every update below offset is handled: a
// getUpdates with that offset and no wait. What it returns stays
// unconfirmed and comes again at the next start.
func (a *Adapter) confirm(offset int) {
	if offset == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := a.getUpdates(ctx, offset, 0, 1); err != nil && !errors.Is(err, context.Canceled) {
		a.log.Warn("telegram: confirm the last updates", "error", err)
	}
}
