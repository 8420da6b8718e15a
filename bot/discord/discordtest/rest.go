package discordtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// maxBody bounds a request body, like Discord's upload limit for bots.
const maxBody = 25 << 20

// maxRecordedBody bounds the body kept in the request log.
const maxRecordedBody = 64 << 10

// Request is one REST request the fake answered.
type Request struct {
	Method string
	// Path is the path after /api/v{N}, like /channels/123/messages.
	Path string
	// Route is the route template, like "POST /channels/{channel_id}/messages";
	// empty when no route matched.
	Route   string
	Version string
	// Bucket is the X-RateLimit-Bucket hash, empty for unlimited routes.
	Bucket string
	Status int
	// Code is Discord's JSON error code (10062, 50035, ...), 0 when none.
	Code int
	// RateLimited marks a 429; Global a global one.
	RateLimited bool
	Global      bool
	At          time.Time
	// Body is the request body, cut at 64 KiB.
	Body []byte
}

// APIError is Discord's JSON error body.
type APIError struct {
	Code    int            `json:"code"`
	Message string         `json:"message"`
	Errors  map[string]any `json:"errors,omitempty"`
}

// route is one REST endpoint.
type route struct {
	method  string
	pattern string // like /channels/{channel_id}/messages
	// auth requires "Authorization: Bot <token>". Interaction callbacks
	// and webhook-token routes are authorized by their token instead.
	auth bool
	// exempt routes are not bound by the global rate limit.
	exempt bool
	handle func(c *call)
}

// call is one REST request being answered. Handlers run with Server.mu held.
type call struct {
	s      *Server
	w      http.ResponseWriter
	r      *http.Request
	params map[string]string
	body   []byte
	now    time.Time
	status int
	code   int
}

// routes is the REST API the fake serves, paths after /api/v{9,10}.
func (s *Server) routes() []route {
	return []route{
		{method: "GET", pattern: "/gateway", handle: s.getGateway},
		{method: "GET", pattern: "/gateway/bot", auth: true, handle: s.getGatewayBot},
		{method: "GET", pattern: "/users/{user_id}", auth: true, handle: s.getUser},
		{method: "GET", pattern: "/applications/@me", auth: true, handle: s.getApplication},
		{method: "GET", pattern: "/oauth2/applications/@me", auth: true, handle: s.getApplication},

		{method: "GET", pattern: "/guilds/{guild_id}", auth: true, handle: s.getGuild},
		{method: "GET", pattern: "/guilds/{guild_id}/channels", auth: true, handle: s.getGuildChannels},
		{method: "GET", pattern: "/guilds/{guild_id}/members/{user_id}", auth: true, handle: s.getMember},

		{method: "GET", pattern: "/channels/{channel_id}", auth: true, handle: s.getChannel},
		{method: "GET", pattern: "/channels/{channel_id}/messages", auth: true, handle: s.listMessages},
		{method: "POST", pattern: "/channels/{channel_id}/messages", auth: true, handle: s.createMessage},
		{method: "GET", pattern: "/channels/{channel_id}/messages/{message_id}", auth: true, handle: s.getMessage},
		{method: "PATCH", pattern: "/channels/{channel_id}/messages/{message_id}", auth: true, handle: s.editMessage},
		{method: "DELETE", pattern: "/channels/{channel_id}/messages/{message_id}", auth: true, handle: s.deleteMessage},

		{method: "GET", pattern: "/applications/{application_id}/commands", auth: true, handle: s.listCommands},
		{method: "PUT", pattern: "/applications/{application_id}/commands", auth: true, handle: s.overwriteCommands},
		{method: "POST", pattern: "/applications/{application_id}/commands", auth: true, handle: s.createCommand},
		{method: "GET", pattern: "/applications/{application_id}/commands/{command_id}", auth: true, handle: s.getCommand},
		{method: "DELETE", pattern: "/applications/{application_id}/commands/{command_id}", auth: true, handle: s.deleteCommand},
		{method: "GET", pattern: "/applications/{application_id}/guilds/{guild_id}/commands", auth: true, handle: s.listCommands},
		{method: "PUT", pattern: "/applications/{application_id}/guilds/{guild_id}/commands", auth: true, handle: s.overwriteCommands},
		{method: "POST", pattern: "/applications/{application_id}/guilds/{guild_id}/commands", auth: true, handle: s.createCommand},
		{method: "GET", pattern: "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}", auth: true, handle: s.getCommand},
		{method: "DELETE", pattern: "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}", auth: true, handle: s.deleteCommand},

		{method: "POST", pattern: "/interactions/{interaction_id}/{interaction_token}/callback", exempt: true, handle: s.interactionCallback},
		{method: "POST", pattern: "/webhooks/{webhook_id}/{webhook_token}", exempt: true, handle: s.followupCreate},
		{method: "GET", pattern: "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", exempt: true, handle: s.webhookMessageGet},
		{method: "PATCH", pattern: "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", exempt: true, handle: s.webhookMessageEdit},
		{method: "DELETE", pattern: "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", exempt: true, handle: s.webhookMessageDelete},
	}
}

// match reports whether path fits pattern and returns the placeholders.
func match(pattern, path string) (map[string]string, bool) {
	ps := strings.Split(strings.Trim(pattern, "/"), "/")
	xs := strings.Split(strings.Trim(path, "/"), "/")
	if len(ps) != len(xs) {
		return nil, false
	}
	params := map[string]string{}
	for i, p := range ps {
		if strings.HasPrefix(p, "{") {
			if xs[i] == "" {
				return nil, false
			}
			params[strings.Trim(p, "{}")] = xs[i]
			continue
		}
		if p != xs[i] {
			return nil, false
		}
	}
	return params, true
}

// majorOf is the top-level resource a bucket is kept per, as on Discord.
func majorOf(p map[string]string) string {
	switch {
	case p["channel_id"] != "":
		return "channel:" + p["channel_id"]
	case p["guild_id"] != "":
		return "guild:" + p["guild_id"]
	case p["webhook_id"] != "":
		return "webhook:" + p["webhook_id"] + "/" + p["webhook_token"]
	case p["interaction_id"] != "":
		return "interaction:" + p["interaction_id"]
	}
	return ""
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if websocket.IsWebSocketUpgrade(r) && r.URL.Path == "/" {
		s.serveGateway(w, r)
		return
	}
	now := time.Now()
	rec := Request{Method: r.Method, At: now}
	c := &call{s: s, w: w, r: r, now: now}
	defer func() {
		rec.Status, rec.Code = c.status, c.code
		s.mu.Lock()
		s.requests = append(s.requests, rec)
		s.notifyLocked()
		s.mu.Unlock()
		s.log.Debug("discordtest: rest", "method", rec.Method, "path", rec.Path, "status", rec.Status, "code", rec.Code)
	}()

	rest, version, ok := splitVersion(r.URL.Path)
	rec.Path, rec.Version = rest, version
	if !ok {
		c.fail(http.StatusNotFound, 0, "404: Not Found")
		return
	}

	var found *route
	methodMismatch := false
	for _, rt := range s.routeTable {
		params, ok := match(rt.pattern, rest)
		if !ok {
			continue
		}
		if rt.method != r.Method {
			methodMismatch = true
			continue
		}
		found, c.params = &rt, params
		break
	}
	if found == nil {
		if methodMismatch {
			c.fail(http.StatusMethodNotAllowed, 0, "405: Method Not Allowed")
		} else {
			c.fail(http.StatusNotFound, 0, "404: Not Found")
		}
		return
	}
	rec.Route = found.method + " " + found.pattern

	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			c.fail(http.StatusRequestEntityTooLarge, 40005, "Request entity too large")
			return
		}
		c.fail(http.StatusBadRequest, 0, "400: Bad Request")
		return
	}
	c.body = body
	rec.Body = body[:min(len(body), maxRecordedBody)]

	if found.auth && r.Header.Get("Authorization") != "Bot "+s.opts.Token {
		c.fail(http.StatusUnauthorized, 0, "401: Unauthorized")
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	lim := s.limits.take(rec.Route, majorOf(c.params), found.exempt, now)
	rec.Bucket = lim.bucket
	for k, v := range lim.header {
		w.Header()[k] = v
	}
	if lim.limited {
		rec.RateLimited, rec.Global = true, lim.global
		c.status = http.StatusTooManyRequests
		c.writeJSON(http.StatusTooManyRequests, map[string]any{
			"message":     "You are being rate limited.",
			"retry_after": ceilSeconds(lim.retryAfter),
			"global":      lim.global,
		})
		return
	}
	found.handle(c)
}

// splitVersion splits /api/v9/channels/1 into /channels/1 and "9".
// Versions 9 and 10 are served; discordgo v0.29 speaks 9.
func splitVersion(p string) (rest, version string, ok bool) {
	after, found := strings.CutPrefix(p, "/api/v")
	if !found {
		return p, "", false
	}
	version, rest, _ = strings.Cut(after, "/")
	rest = "/" + rest
	return rest, version, version == "9" || version == "10"
}

func (c *call) writeJSON(status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("discordtest: encode response: %v", err))
	}
	c.w.Header().Set("Content-Type", "application/json")
	c.w.WriteHeader(status)
	c.w.Write(b)
}

// ok answers 200 with v.
func (c *call) ok(v any) {
	c.status = http.StatusOK
	c.writeJSON(http.StatusOK, v)
}

// noContent answers 204.
func (c *call) noContent() {
	c.status = http.StatusNoContent
	c.w.WriteHeader(http.StatusNoContent)
}

// fail answers with Discord's error body.
func (c *call) fail(status, code int, msg string) {
	c.status, c.code = status, code
	c.writeJSON(status, APIError{Code: code, Message: msg})
}

// invalid answers 400 Invalid Form Body with the collected errors.
func (c *call) invalid(fe *formErrors) {
	c.status, c.code = http.StatusBadRequest, 50035
	c.writeJSON(http.StatusBadRequest, APIError{Code: 50035, Message: "Invalid Form Body", Errors: fe.tree})
}

// badJSON answers 400 code 50109.
func (c *call) badJSON() {
	c.fail(http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
}

// decode unmarshals the JSON body into v, answering 50109 or 50035 when it
// does not fit, and reports whether it did.
func (c *call) decode(body []byte, v any) bool {
	if len(strings.TrimSpace(string(body))) == 0 {
		body = []byte("{}")
	}
	err := json.Unmarshal(body, v)
	if err == nil {
		return true
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		fe := &formErrors{}
		fe.typeError(typeErr)
		c.invalid(fe)
		return false
	}
	c.badJSON()
	return false
}

// Requests returns every REST request answered so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// RateLimited returns the requests answered with 429.
func (s *Server) RateLimited() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.requests {
		if r.RateLimited {
			out = append(out, r)
		}
	}
	return out
}

func (s *Server) getGateway(c *call) {
	c.ok(map[string]any{"url": s.GatewayURL()})
}

func (s *Server) getGatewayBot(c *call) {
	c.ok(map[string]any{
		"url":    s.GatewayURL(),
		"shards": 1,
		"session_start_limit": map[string]any{
			"total":           1000,
			"remaining":       max(1000-s.sessionStarts, 0),
			"reset_after":     86400000,
			"max_concurrency": 1,
		},
	})
}

func (s *Server) getUser(c *call) {
	id := c.params["user_id"]
	if id == "@me" {
		c.ok(s.bot)
		return
	}
	u, ok := s.users[id]
	if !ok {
		c.fail(http.StatusNotFound, 10013, "Unknown User")
		return
	}
	c.ok(u)
}

func (s *Server) getApplication(c *call) {
	c.ok(map[string]any{
		"id":          s.opts.ApplicationID,
		"name":        s.bot.Username,
		"description": "",
		"bot_public":  false,
		"bot":         s.bot,
		"flags":       0,
		"verify_key":  strings.Repeat("0", 64),
	})
}
