package telegramtest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// answer is the Bot API envelope.
type answer struct {
	Ok          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  *struct {
		RetryAfter      int   `json:"retry_after"`
		MigrateToChatID int64 `json:"migrate_to_chat_id"`
	} `json:"parameters"`
	status int
	header http.Header
}

// call posts a form-encoded request, as tgbotapi does.
func call(t *testing.T, s *Server, method string, form url.Values) answer {
	t.Helper()
	return do(t, s, context.Background(), http.MethodPost, s.URL()+"/bot"+s.Token()+"/"+method,
		"application/x-www-form-urlencoded", form.Encode())
}

func do(t *testing.T, s *Server, ctx context.Context, httpMethod, target, contentType, body string) answer {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, httpMethod, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", httpMethod, target, err)
	}
	defer resp.Body.Close()
	var a answer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatalf("decode answer: %v", err)
	}
	if a.Ok != (resp.StatusCode == 200) || (!a.Ok && a.ErrorCode != resp.StatusCode) {
		t.Fatalf("HTTP %d with ok=%v error_code=%d", resp.StatusCode, a.Ok, a.ErrorCode)
	}
	a.status, a.header = resp.StatusCode, resp.Header
	return a
}

func updateIDs(t *testing.T, a answer) []int {
	t.Helper()
	if !a.Ok {
		t.Fatalf("getUpdates: %d %s", a.ErrorCode, a.Description)
	}
	var ups []struct {
		UpdateID int `json:"update_id"`
	}
	if err := json.Unmarshal(a.Result, &ups); err != nil {
		t.Fatal(err)
	}
	ids := []int{}
	for _, u := range ups {
		ids = append(ids, u.UpdateID)
	}
	return ids
}

func newServer(t *testing.T, opts Options) *Server {
	t.Helper()
	s := New(opts)
	t.Cleanup(s.Close)
	return s
}

func polling(s *Server) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.poll != nil
}

var ann = User{ID: 501, FirstName: "Ann"}

func TestRouting(t *testing.T) {
	s := newServer(t, Options{})
	tests := []struct {
		name, target string
		code         int
		description  string
	}{
		{"wrong token", "/bot123456789:nope/getMe", 401, "Unauthorized"},
		{"unknown method", "/bot" + s.Token() + "/sendTelepathy", 404, "Not Found"},
		{"no method", "/bot" + s.Token() + "/", 404, "Not Found"},
		{"not a bot path", "/getMe", 404, "Not Found"},
		{"malformed token", "/botabc/getMe", 404, "Not Found"},
		{"method names ignore case", "/bot" + s.Token() + "/GETME", 200, ""},
	}
	for _, tt := range tests {
		a := do(t, s, context.Background(), http.MethodGet, s.URL()+tt.target, "", "")
		if a.status != tt.code || a.Description != tt.description {
			t.Errorf("%s: %d %q, want %d %q", tt.name, a.status, a.Description, tt.code, tt.description)
		}
	}
	if n := s.Calls("getme"); n != 1 {
		t.Errorf("Calls(getme) = %d, want 1 (wrong tokens are not counted)", n)
	}
}

func TestRequestEncodings(t *testing.T) {
	s := newServer(t, Options{Limits: NoLimits})
	s.SendMessage(Chat{}, ann, "/start")
	base := s.URL() + "/bot" + s.Token() + "/sendMessage"
	tests := []struct {
		name, method, target, contentType, body string
	}{
		{"query string", http.MethodGet, base + "?chat_id=501&text=%3Cb%3Ehi%3C%2Fb%3E&parse_mode=HTML", "", ""},
		{"form", http.MethodPost, base, "application/x-www-form-urlencoded", "chat_id=501&text=%3Cb%3Ehi%3C%2Fb%3E&parse_mode=HTML"},
		{"json", http.MethodPost, base, "application/json", `{"chat_id":501,"text":"<b>hi</b>","parse_mode":"HTML","link_preview_options":{"is_disabled":true}}`},
	}
	for _, tt := range tests {
		a := do(t, s, context.Background(), tt.method, tt.target, tt.contentType, tt.body)
		var m wireMessage
		if !a.Ok || json.Unmarshal(a.Result, &m) != nil || m.Text != "hi" || len(m.Entities) != 1 {
			t.Errorf("%s: %+v", tt.name, a)
		}
	}
	msgs := s.Messages(ann.ID)
	if len(msgs) != 3 || !msgs[2].LinkPreviewDisabled || msgs[0].LinkPreviewDisabled {
		t.Errorf("Messages = %+v", msgs)
	}
	for i, m := range msgs {
		if m.MessageID != i+2 { // message 1 is Ann's /start
			t.Errorf("message %d has id %d, want %d", i, m.MessageID, i+2)
		}
	}
	a := do(t, s, context.Background(), http.MethodPost, base, "application/json", `{"chat_id":`)
	if a.status != 400 {
		t.Errorf("broken JSON body: %d %s", a.status, a.Description)
	}
}

func TestSendMessageErrors(t *testing.T) {
	s := newServer(t, Options{Limits: NoLimits})
	s.SendMessage(Chat{}, ann, "/start")
	tests := []struct {
		name        string
		form        url.Values
		description string
	}{
		{"no chat", url.Values{"text": {"x"}}, "Bad Request: chat_id is empty"},
		{"unknown chat", url.Values{"chat_id": {"77"}, "text": {"x"}}, "Bad Request: chat not found"},
		{"unknown username", url.Values{"chat_id": {"@nobody"}, "text": {"x"}}, "Bad Request: chat not found"},
		{"bad parse_mode", url.Values{"chat_id": {"501"}, "text": {"x"}, "parse_mode": {"BBCode"}}, "Bad Request: unsupported parse_mode"},
		{"not UTF-8", url.Values{"chat_id": {"501"}, "text": {"\xff"}}, "Bad Request: text must be encoded in UTF-8"},
		{"whitespace only", url.Values{"chat_id": {"501"}, "text": {" \n "}}, "Bad Request: message must be non-empty"},
		{"broken markup", url.Values{"chat_id": {"501"}, "text": {"x"}, "reply_markup": {"{"}}, "Bad Request: can't parse reply keyboard markup JSON object"},
		{"text button", url.Values{"chat_id": {"501"}, "text": {"x"}, "reply_markup": {`{"inline_keyboard":[[{"text":"a"}]]}`}},
			"Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"},
		{"callback data too long", url.Values{"chat_id": {"501"}, "text": {"x"},
			"reply_markup": {`{"inline_keyboard":[[{"text":"a","callback_data":"` + strings.Repeat("d", 65) + `"}]]}`}},
			"Bad Request: BUTTON_DATA_INVALID"},
		{"bad entities", url.Values{"chat_id": {"501"}, "text": {"x"}, "entities": {"[{"}}, "Bad Request: can't parse entities JSON object"},
	}
	for _, tt := range tests {
		a := call(t, s, "sendMessage", tt.form)
		if a.status != 400 || a.Description != tt.description {
			t.Errorf("%s: %d %q, want 400 %q", tt.name, a.status, a.Description, tt.description)
		}
	}
	// Explicit entities win over parse_mode, as on Telegram.
	a := call(t, s, "sendMessage", url.Values{"chat_id": {"501"}, "text": {"<b>x</b>"}, "parse_mode": {"HTML"},
		"entities": {`[{"type":"italic","offset":0,"length":3}]`}})
	if !a.Ok || s.Messages(ann.ID)[0].Text != "<b>x</b>" {
		t.Errorf("entities with parse_mode: %+v %+v", a, s.Messages(ann.ID))
	}
}

func TestGetUpdatesOffsetAndLimit(t *testing.T) {
	s := newServer(t, Options{FirstUpdateID: 10})
	for i := 0; i < 5; i++ {
		s.SendMessage(Chat{}, ann, "hello")
	}
	tests := []struct {
		name string
		form url.Values
		want []int
	}{
		{"all unconfirmed", url.Values{}, []int{10, 11, 12, 13, 14}},
		{"again: nothing was confirmed", url.Values{"limit": {"2"}}, []int{10, 11}},
		{"offset confirms below it", url.Values{"offset": {"12"}}, []int{12, 13, 14}},
		{"confirmed ones are gone", url.Values{}, []int{12, 13, 14}},
		{"negative offset keeps the last ones", url.Values{"offset": {"-1"}}, []int{14}},
		{"past the end", url.Values{"offset": {"15"}}, []int{}},
	}
	for _, tt := range tests {
		got := updateIDs(t, call(t, s, "getUpdates", tt.form))
		if !equalInts(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	if n := s.PendingUpdates(); n != 0 {
		t.Errorf("PendingUpdates = %d", n)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestGetUpdatesAllowedUpdates(t *testing.T) {
	s := newServer(t, Options{})
	inject := func(update string) Update {
		t.Helper()
		u, err := s.InjectUpdate([]byte(update))
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	const callback = `{"callback_query":{"id":"1","from":{"id":501,"is_bot":false,"first_name":"Ann"},"data":"more"}}`
	msg := s.SendMessage(Chat{}, ann, "hi")
	cb := inject(callback)
	cm := inject(`{"update_id":5,"chat_member":{}}`)
	if cm.ID != cb.ID+1 || cm.Type != "chat_member" {
		t.Fatalf("InjectUpdate = %+v: update_id must follow the sequence", cm)
	}
	if _, err := s.InjectUpdate([]byte(`{"message":{},"callback_query":{}}`)); err == nil {
		t.Error("InjectUpdate accepted two update fields")
	}
	if _, err := s.InjectUpdate([]byte(`[]`)); err == nil {
		t.Error("InjectUpdate accepted a JSON array")
	}

	tests := []struct {
		name string
		form url.Values
		want func() []int
	}{
		{"chat_member is not sent by default", url.Values{},
			func() []int { return []int{msg.ID, cb.ID} }},
		{"allowed_updates filters", url.Values{"offset": {strconv.Itoa(cb.ID + 1)}, "allowed_updates": {`["callback_query"]`}},
			func() []int { s.SendMessage(Chat{}, ann, "dropped"); return []int{inject(callback).ID} }},
		{"allowed_updates persists; unconfirmed updates come again", url.Values{},
			func() []int { s.SendMessage(Chat{}, ann, "dropped too"); return []int{cb.ID + 3} }},
	}
	for _, tt := range tests {
		want := tt.want()
		if got := updateIDs(t, call(t, s, "getUpdates", tt.form)); !equalInts(got, want) {
			t.Errorf("%s: %v, want %v", tt.name, got, want)
		}
	}
	if n := s.PendingUpdates(); n != 1 {
		t.Errorf("PendingUpdates = %d, want 1 (filtered updates are dropped)", n)
	}
}

func TestLongPoll(t *testing.T) {
	s := newServer(t, Options{})
	done := make(chan answer, 1)
	go func() { done <- call(t, s, "getUpdates", url.Values{"timeout": {"5"}}) }()
	if !s.WaitFor(2*time.Second, func() bool { return polling(s) }) {
		t.Fatal("getUpdates is not waiting")
	}
	began := time.Now()
	u := s.SendMessage(Chat{}, ann, "/digest")
	select {
	case a := <-done:
		if got := updateIDs(t, a); !equalInts(got, []int{u.ID}) {
			t.Errorf("long poll got %v, want %v", got, []int{u.ID})
		}
		if d := time.Since(began); d > time.Second {
			t.Errorf("long poll answered %v after the update", d)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("long poll did not answer the update")
	}
}

func TestLongPollTimeout(t *testing.T) {
	s := newServer(t, Options{})
	began := time.Now()
	got := updateIDs(t, call(t, s, "getUpdates", url.Values{"timeout": {"1"}}))
	if d := time.Since(began); len(got) != 0 || d < time.Second || d > 3*time.Second {
		t.Errorf("empty long poll: %v after %v, want [] after 1s", got, d)
	}
}

func TestLongPollConflict(t *testing.T) {
	s := newServer(t, Options{})
	first := make(chan answer, 1)
	go func() { first <- call(t, s, "getUpdates", url.Values{"timeout": {"10"}}) }()
	if !s.WaitFor(2*time.Second, func() bool { return polling(s) }) {
		t.Fatal("getUpdates is not waiting")
	}
	// A second poller terminates the first, as on Telegram.
	if got := updateIDs(t, call(t, s, "getUpdates", url.Values{})); len(got) != 0 {
		t.Errorf("second poll: %v", got)
	}
	select {
	case a := <-first:
		if a.status != 409 || a.Description != "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running" {
			t.Errorf("first poll: %d %q", a.status, a.Description)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("first poll was not terminated")
	}

	// setWebhook terminates a poll too.
	go func() { first <- call(t, s, "getUpdates", url.Values{"timeout": {"10"}}) }()
	if !s.WaitFor(2*time.Second, func() bool { return polling(s) }) {
		t.Fatal("getUpdates is not waiting")
	}
	if a := call(t, s, "setWebhook", url.Values{"url": {"https://example.com/hook"}}); !a.Ok {
		t.Fatalf("setWebhook: %+v", a)
	}
	if a := <-first; a.status != 409 || a.Description != "Conflict: terminated by setWebhook request" {
		t.Errorf("poll during setWebhook: %d %q", a.status, a.Description)
	}
}

func TestLongPollHonoursContext(t *testing.T) {
	s := newServer(t, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.URL()+"/bot"+s.Token()+"/getUpdates?timeout=30", nil)
	_, err := s.Client().Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Do = %v, want the deadline", err)
	}
	if !s.WaitFor(2*time.Second, func() bool { return !polling(s) }) {
		t.Error("the abandoned poll is still registered")
	}
}

func TestCloseEndsLongPoll(t *testing.T) {
	s := New(Options{})
	done := make(chan answer, 1)
	go func() { done <- call(t, s, "getUpdates", url.Values{"timeout": {"30"}}) }()
	if !s.WaitFor(2*time.Second, func() bool { return polling(s) }) {
		t.Fatal("getUpdates is not waiting")
	}
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(3 * time.Second):
		t.Fatal("Close waited for the long poll")
	}
	if a := <-done; !a.Ok {
		t.Errorf("poll at Close: %+v", a)
	}
}

func TestWebhookValidation(t *testing.T) {
	s := newServer(t, Options{})
	tests := []struct {
		form        url.Values
		description string
	}{
		{url.Values{"url": {"https://example.com:8080/hook"}}, "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"},
		{url.Values{"url": {"ftp://example.com/"}}, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"},
		{url.Values{"url": {"https://example.com/"}, "secret_token": {"has space"}}, "Bad Request: secret token contains unallowed characters"},
		{url.Values{"url": {"https://example.com/"}, "secret_token": {strings.Repeat("a", 257)}}, "Bad Request: secret token contains unallowed characters"},
	}
	for _, tt := range tests {
		if a := call(t, s, "setWebhook", tt.form); a.status != 400 || a.Description != tt.description {
			t.Errorf("setWebhook(%v): %d %q, want %q", tt.form, a.status, a.Description, tt.description)
		}
	}
	if a := call(t, s, "deleteWebhook", nil); !a.Ok || a.Description != "Webhook is already deleted" {
		t.Errorf("deleteWebhook: %+v", a)
	}
}
