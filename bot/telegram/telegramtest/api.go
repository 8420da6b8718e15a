package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// apiError is a Bot API error: HTTP status and error_code are Code.
type apiError struct {
	Code        int
	Description string
	RetryAfter  int
	MigrateTo   int64
}

func badRequest(description string) *apiError {
	return &apiError{Code: http.StatusBadRequest, Description: "Bad Request: " + description}
}

var (
	errUnauthorized = &apiError{Code: http.StatusUnauthorized, Description: "Unauthorized"}
	errNotFound     = &apiError{Code: http.StatusNotFound, Description: "Not Found"}
)

// result is a successful answer; Description is set by a few methods
// (setWebhook: "Webhook was set").
type result struct {
	Value       any
	Description string
}

// params are a request's parameters, from the query string and a
// form-encoded, multipart or JSON body. JSON values that are not strings
// keep their JSON text, as a form would carry them.
type params struct {
	values map[string]string
	files  map[string]bool
}

func (p params) has(key string) bool { _, ok := p.values[key]; return ok }
func (p params) str(key string) string {
	return p.values[key]
}

// json is a JSON-typed parameter, "" when absent or null (tgbotapi sends
// "null" for a nil slice).
func (p params) json(key string) string {
	v := strings.TrimSpace(p.values[key])
	if v == "null" {
		return ""
	}
	return v
}

// int parses an integer parameter leniently, like the Bot API server: what
// is not a number is 0.
func (p params) int(key string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(p.values[key]), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// bool is true for "true" and "1", in any case.
func (p params) bool(key string) bool {
	v := strings.ToLower(strings.TrimSpace(p.values[key]))
	return v == "true" || v == "1"
}

type handler func(ctx context.Context, p params) (result, *apiError)

func (s *Server) methods() map[string]handler {
	return map[string]handler{
		"getme":                 s.getMe,
		"getupdates":            s.getUpdates,
		"setwebhook":            s.setWebhook,
		"deletewebhook":         s.deleteWebhook,
		"getwebhookinfo":        s.getWebhookInfo,
		"setmycommands":         s.setMyCommands,
		"getmycommands":         s.getMyCommands,
		"deletemycommands":      s.deleteMyCommands,
		"sendmessage":           s.sendMessage,
		"editmessagetext":       s.editMessageText,
		"deletemessage":         s.deleteMessage,
		"sendchataction":        s.sendChatAction,
		"getchat":               s.getChat,
		"getchatmember":         s.getChatMember,
		"getchatadministrators": s.getChatAdministrators,
	}
}

// serveHTTP routes /bot<token>/<method> the way api.telegram.org does.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, found := strings.Cut(rest, "/")
	if !ok || !found || method == "" || strings.Contains(method, "/") || !wellFormedToken(token) {
		s.writeError(w, r, "", errNotFound)
		return
	}
	if token != s.opts.Token {
		s.writeError(w, r, method, errUnauthorized)
		return
	}
	name := strings.ToLower(method)
	s.mu.Lock()
	s.calls[name]++
	s.notifyLocked()
	s.mu.Unlock()

	h, ok := s.handlers[name]
	if !ok {
		s.writeError(w, r, method, errNotFound)
		return
	}
	p, err := readParams(w, r)
	if err != nil {
		s.writeError(w, r, method, err)
		return
	}
	res, apiErr := h(r.Context(), p)
	if apiErr != nil {
		s.writeError(w, r, method, apiErr)
		return
	}
	if r.Context().Err() != nil {
		return // the client went away during a long poll
	}
	body := map[string]any{"ok": true, "result": res.Value}
	if res.Description != "" {
		body["description"] = res.Description
	}
	s.write(w, r, method, http.StatusOK, body)
}

// wellFormedToken is "<digits>:<secret>"; anything else is not a bot path.
func wellFormedToken(token string) bool {
	id, secret, ok := strings.Cut(token, ":")
	if !ok || id == "" || secret == "" {
		return false
	}
	for _, c := range id {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, method string, e *apiError) {
	body := map[string]any{"ok": false, "error_code": e.Code, "description": e.Description}
	switch {
	case e.RetryAfter > 0:
		body["parameters"] = map[string]any{"retry_after": e.RetryAfter}
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfter))
	case e.MigrateTo != 0:
		body["parameters"] = map[string]any{"migrate_to_chat_id": e.MigrateTo}
	}
	s.write(w, r, method, e.Code, body)
}

func (s *Server) write(w http.ResponseWriter, r *http.Request, method string, status int, body any) {
	b, err := json.Marshal(body)
	if err != nil {
		http.Error(w, "telegramtest: encode answer: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
	s.log.Debug("telegramtest request", "method", method, "http_method", r.Method, "status", status)
}

// maxBody bounds a request body; Telegram's own limit for non-file
// requests is far below it.
const maxBody = 10 << 20

// readParams merges the query string with the body: form-encoded (what
// tgbotapi's MakeRequest sends), multipart (its UploadFiles) or JSON.
func readParams(w http.ResponseWriter, r *http.Request) (params, *apiError) {
	p := params{values: map[string]string{}, files: map[string]bool{}}
	for k, v := range r.URL.Query() {
		p.values[k] = v[0]
	}
	if r.Method != http.MethodPost {
		return p, nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mediaType {
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return p, badRequest("can't parse request body: " + err.Error())
		}
		for k, v := range r.PostForm {
			p.values[k] = v[0]
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(maxBody); err != nil {
			return p, badRequest("can't parse request body: " + err.Error())
		}
		for k, v := range r.MultipartForm.Value {
			p.values[k] = v[0]
		}
		for k := range r.MultipartForm.File {
			p.files[k] = true
		}
	case "application/json":
		var body map[string]json.RawMessage
		dec := json.NewDecoder(r.Body)
		dec.UseNumber()
		if err := dec.Decode(&body); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return p, &apiError{Code: http.StatusRequestEntityTooLarge, Description: "Request Entity Too Large"}
			}
			return p, badRequest("can't parse JSON object")
		}
		for k, raw := range body {
			raw = bytes.TrimSpace(raw)
			if bytes.Equal(raw, []byte("null")) {
				continue
			}
			var str string
			if len(raw) > 0 && raw[0] == '"' && json.Unmarshal(raw, &str) == nil {
				p.values[k] = str
			} else {
				p.values[k] = string(raw)
			}
		}
	}
	return p, nil
}
