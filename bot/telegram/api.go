package telegram

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// callTimeout bounds one Bot API request other than a long poll.
const callTimeout = 30 * time.Second

// ctxClient attaches a context to tgbotapi's requests, which it builds
// without one.
type ctxClient struct {
	ctx context.Context
	c   *http.Client
}

func (d ctxClient) Do(req *http.Request) (*http.Response, error) {
	return d.c.Do(req.WithContext(d.ctx))
}

// api is a tgbotapi client bound to ctx. It is made per call and never
// asks getMe; Debug stays false, so tgbotapi logs nothing.
func (a *Adapter) api(ctx context.Context) *tgbotapi.BotAPI {
	api := &tgbotapi.BotAPI{Token: a.cfg.Token, Client: ctxClient{ctx: ctx, c: a.client}}
	api.SetAPIEndpoint(a.cfg.endpoint)
	return api
}

// call makes one request and returns its result. It uses Request, not
// Send: Send decodes every result as a Message, which misreports methods
// that return true. Errors are *apiError, token removed.
func (a *Adapter) call(ctx context.Context, method string, c tgbotapi.Chattable) (json.RawMessage, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	resp, err := a.api(ctx).Request(c)
	if err != nil {
		return nil, a.redact.wrap(method, err)
	}
	return resp.Result, nil
}

// callParams makes a request with raw parameters, for what tgbotapi v5.5
// has no config for (setWebhook's secret_token).
func (a *Adapter) callParams(ctx context.Context, method string, p tgbotapi.Params) (json.RawMessage, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	resp, err := a.api(ctx).MakeRequest(method, p)
	if err != nil {
		return nil, a.redact.wrap(method, err)
	}
	return resp.Result, nil
}

// getMe asks who the bot is.
func (a *Adapter) getMe(ctx context.Context) (tgbotapi.User, error) {
	var me tgbotapi.User
	raw, err := a.callParams(ctx, "getMe", nil)
	if err != nil {
		return me, err
	}
	if err := json.Unmarshal(raw, &me); err != nil || me.ID == 0 || me.UserName == "" {
		return me, &apiError{method: "getMe", msg: "no bot user in Telegram's answer"}
	}
	return me, nil
}

// chatMemberStatus is a user's status in a chat: creator, administrator,
// member, restricted, left or kicked.
func (a *Adapter) chatMemberStatus(ctx context.Context, chatID, userID int64) (string, error) {
	raw, err := a.call(ctx, "getChatMember", tgbotapi.GetChatMemberConfig{
		ChatConfigWithUser: tgbotapi.ChatConfigWithUser{ChatID: chatID, UserID: userID},
	})
	if err != nil {
		return "", err
	}
	var m tgbotapi.ChatMember
	if err := json.Unmarshal(raw, &m); err != nil {
		return "", &apiError{method: "getChatMember", msg: "unreadable member in Telegram's answer"}
	}
	return m.Status, nil
}
