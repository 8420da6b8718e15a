package telegram

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsdigest/newsdigest/bot"
)

// redactedMark replaces the token wherever it would show.
const redactedMark = "[REDACTED]"

// redactor removes the bot token from text and errors. It replaces the
// whole token and, on its own, the secret after the colon, also in the
// escaped forms a URL may carry.
type redactor struct {
	secrets []string // longest first
}

func newRedactor(token string) redactor {
	var r redactor
	add := func(s string) {
		if len(s) >= 4 && !contains(r.secrets, s) {
			r.secrets = append(r.secrets, s)
		}
	}
	add(token)
	add(url.PathEscape(token))
	add(url.QueryEscape(token))
	if _, secret, ok := strings.Cut(token, ":"); ok {
		add(secret)
	}
	return r
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (r redactor) string(s string) string {
	for _, t := range r.secrets {
		s = strings.ReplaceAll(s, t, redactedMark)
	}
	return s
}

func (r redactor) leaks(s string) bool {
	for _, t := range r.secrets {
		if strings.Contains(s, t) {
			return true
		}
	}
	return false
}

// error returns err with the token removed from its message and from
// every error it wraps, so that neither Error() nor anything found by
// unwrapping shows it. Errors that do not show the token come back
// unchanged (context.Canceled stays comparable).
func (r redactor) error(err error) error {
	if err == nil || !r.chainLeaks(err) {
		return err
	}
	if ue, ok := err.(*url.Error); ok {
		return &url.Error{Op: ue.Op, URL: r.string(ue.URL), Err: r.error(ue.Err)}
	}
	out := &redactedError{msg: r.string(err.Error())}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if inner := u.Unwrap(); inner != nil {
			out.causes = []error{r.error(inner)}
		}
	case interface{ Unwrap() []error }:
		for _, inner := range u.Unwrap() {
			out.causes = append(out.causes, r.error(inner))
		}
	}
	return out
}

// chainLeaks reports whether err or anything it wraps shows the token.
func (r redactor) chainLeaks(err error) bool {
	if err == nil {
		return false
	}
	if r.leaks(err.Error()) {
		return true
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return r.chainLeaks(u.Unwrap())
	case interface{ Unwrap() []error }:
		for _, inner := range u.Unwrap() {
			if r.chainLeaks(inner) {
				return true
			}
		}
	}
	return false
}

// redactedError stands in for an error whose message showed the token.
type redactedError struct {
	msg    string
	causes []error // redacted too
}

func (e *redactedError) Error() string   { return e.msg }
func (e *redactedError) Unwrap() []error { return e.causes }

// apiError is a failed Bot API call: Telegram's answer (code,
// description, parameters) or a transport failure, with the token
// removed. Unwrap gives the redacted cause: a *tgbotapi.Error for
// Telegram's answers.
type apiError struct {
	method      string
	msg         string
	code        int // Telegram's error_code; 0 when Telegram did not answer
	retryAfter  int
	migrateTo   int64
	unavailable bool
	err         error
}

func (e *apiError) Error() string { return "telegram: " + e.method + ": " + e.msg }
func (e *apiError) Unwrap() error { return e.err }

// Is makes errors.Is(err, bot.ErrChatUnavailable) hold when Telegram
// refuses the chat for good.
func (e *apiError) Is(target error) bool { return e.unavailable && target == bot.ErrChatUnavailable }

// permanent reports an answer that the same request will always get:
// a wrong token (401, or 404 for a malformed one) or a bad request.
func (e *apiError) permanent() bool {
	return e.code == http.StatusUnauthorized || e.code == http.StatusNotFound
}

// transient reports a failure worth retrying: no answer, or a server error.
func (e *apiError) transient() bool {
	return e.code == 0 || e.code >= 500
}

// wrap turns an error from tgbotapi into an *apiError; nil stays nil.
func (r redactor) wrap(method string, err error) error {
	if err == nil {
		return nil
	}
	e := &apiError{method: method}
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		e.code, e.retryAfter, e.migrateTo = te.Code, te.RetryAfter, te.MigrateToChatID
		e.msg = r.string(te.Message)
		e.err = &tgbotapi.Error{Code: te.Code, Message: e.msg, ResponseParameters: te.ResponseParameters}
		if e.code == 0 && e.retryAfter > 0 {
			e.code = http.StatusTooManyRequests
		}
		e.unavailable = refusesChat(e.code, e.msg)
		return e
	}
	e.err = r.error(err)
	e.msg = e.err.Error()
	return e
}

// refusalMarks are the descriptions of 400s that mean the bot cannot write
// to the chat until a person there changes something.
var refusalMarks = []string{
	"chat not found",
	"have no rights to send",
	"not enough rights to send",
	"need administrator rights",
	"chat_write_forbidden",
	"chat_restricted",
	"bot is not a member",
	"chat_admin_required",
	"user is deactivated",
}

// refusesChat reports an answer that means the chat is unavailable: 403
// (blocked by the user, kicked from the group) or one of refusalMarks.
func refusesChat(code int, description string) bool {
	if code == http.StatusForbidden {
		return true
	}
	if code != http.StatusBadRequest {
		return false
	}
	d := strings.ToLower(description)
	for _, m := range refusalMarks {
		if strings.Contains(d, m) {
			return true
		}
	}
	return false
}

// asAPIError finds the *apiError in err's chain.
func asAPIError(err error) (*apiError, bool) {
	var e *apiError
	ok := errors.As(err, &e)
	return e, ok
}
