package discord

import (
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/newsdigest/newsdigest/bot"
)

// Discord's JSON error codes the adapter acts on.
const (
	codeUnknownChannel     = 10003
	codeUnknownGuild       = 10004
	codeUnknownWebhook     = 10015
	codeUnknownInteraction = 10062
	codeMissingAccess      = 50001
	codeCannotMessageUser  = 50007
	codeMissingPermissions = 50013
)

// unavailableCodes mean that the platform refuses the channel until a
// person fixes it (gives the bot access back, unblocks it): the scheduler
// pauses the subscription.
var unavailableCodes = map[int]bool{
	codeUnknownChannel:     true,
	codeUnknownGuild:       true,
	codeMissingAccess:      true,
	codeCannotMessageUser:  true,
	codeMissingPermissions: true,
}

// apiError is an error from discordgo with every token removed from its
// message: interaction tokens sit in webhook and callback URLs, which
// net/http and discordgo's rate-limit errors quote. Unwrap still gives the
// original (a *discordgo.RESTError keeps Discord's status and code).
type apiError struct {
	op          string
	msg         string
	err         error
	unavailable bool
}

func (e *apiError) Error() string { return "discord: " + e.op + ": " + e.msg }
func (e *apiError) Unwrap() error { return e.err }

// Is makes errors.Is(err, bot.ErrChatUnavailable) hold for refusals of
// the channel.
func (e *apiError) Is(target error) bool { return e.unavailable && target == bot.ErrChatUnavailable }

// tokenInPath matches the token segment of interaction callback and
// webhook URLs.
var tokenInPath = regexp.MustCompile(`(/(?:interactions|webhooks)/[0-9]+/)[^/?#\s"']+`)

// redactor removes the bot token and interaction tokens from text.
type redactor struct{ token string }

func (r redactor) redact(s string) string {
	if r.token != "" {
		s = strings.ReplaceAll(s, r.token, "[token]")
	}
	return tokenInPath.ReplaceAllString(s, "${1}[token]")
}

// wrap makes err safe to log and return; nil stays nil.
func (r redactor) wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	code := apiCode(err)
	return &apiError{op: op, msg: r.redact(err.Error()), err: err, unavailable: unavailableCodes[code]}
}

// apiCode is Discord's JSON error code of err, 0 when there is none.
func apiCode(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil {
		return re.Message.Code
	}
	return 0
}

// httpStatus is the HTTP status of a REST error, 0 when there is none.
func httpStatus(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		return re.Response.StatusCode
	}
	return 0
}

// isClientError reports a 4xx other than 429: sending the same again
// cannot succeed.
func isClientError(err error) bool {
	s := httpStatus(err)
	return s >= 400 && s < 500 && s != http.StatusTooManyRequests
}
