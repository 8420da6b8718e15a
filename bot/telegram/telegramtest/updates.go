package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// queuedUpdate is an update waiting for confirmation by offset.
type queuedUpdate struct {
	id   int
	kind string
	raw  json.RawMessage
}

// poll is the getUpdates request in progress; a newer one terminates it.
type poll struct {
	term   chan struct{}
	reason string // set before term is closed
}

// notByDefault are the update types Telegram sends only when
// allowed_updates names them.
var notByDefault = []string{"chat_member", "message_reaction", "message_reaction_count"}

func conflict(description string) *apiError {
	return &apiError{Code: http.StatusConflict, Description: "Conflict: " + description}
}

func (s *Server) getUpdates(ctx context.Context, p params) (result, *apiError) {
	offset := p.int("offset")
	limit := int(p.int("limit"))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout := max(p.int("timeout"), 0)
	var allowed []string
	raw := p.json("allowed_updates")
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &allowed); err != nil {
			return result{}, badRequest("can't parse allowed_updates JSON array")
		}
	}

	s.mu.Lock()
	if s.webhook.URL != "" {
		s.mu.Unlock()
		return result{}, conflict("can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
	}
	if raw != "" {
		s.allowedUpdates = allowed // persists for later calls, as on Telegram
	}
	s.confirmLocked(offset)
	me := &poll{term: make(chan struct{})}
	s.terminatePollLocked("terminated by other getUpdates request; make sure that only one bot instance is running")
	s.poll = me
	release := func() {
		if s.poll == me {
			s.poll = nil
		}
	}

	var expired <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(time.Duration(timeout) * time.Second)
		defer t.Stop()
		expired = t.C
	}
	for {
		if ups := s.takeLocked(limit); len(ups) > 0 || expired == nil {
			release()
			s.mu.Unlock()
			return result{Value: ups}, nil
		}
		changed := s.changed
		s.mu.Unlock()
		select {
		case <-changed:
		case <-expired:
			expired = nil // take what there is and answer
		case <-ctx.Done():
			s.mu.Lock()
			release()
			s.mu.Unlock()
			return result{}, nil
		case <-me.term:
			return result{}, conflict(me.reason)
		case <-s.closing:
			s.mu.Lock()
			release()
			s.mu.Unlock()
			return result{Value: []json.RawMessage{}}, nil
		}
		s.mu.Lock()
	}
}

// terminatePollLocked ends the getUpdates in progress with 409.
func (s *Server) terminatePollLocked(reason string) {
	if s.poll != nil {
		s.poll.reason = reason
		close(s.poll.term)
		s.poll = nil
	}
}

// confirmLocked forgets updates below offset; a negative offset keeps only
// the last -offset updates.
func (s *Server) confirmLocked(offset int64) {
	switch {
	case offset > 0:
		s.queue = slices.DeleteFunc(s.queue, func(u queuedUpdate) bool { return int64(u.id) < offset })
	case offset < 0 && int64(len(s.queue)) > -offset:
		s.queue = s.queue[int64(len(s.queue))+offset:]
	}
}

// takeLocked returns up to limit unconfirmed updates. Updates of types the
// bot did not allow are dropped, never delivered.
func (s *Server) takeLocked(limit int) []json.RawMessage {
	s.queue = slices.DeleteFunc(s.queue, func(u queuedUpdate) bool { return !s.allowedLocked(u.kind) })
	out := []json.RawMessage{}
	for _, u := range s.queue {
		if len(out) == limit {
			break
		}
		out = append(out, u.raw)
		s.delivered = append(s.delivered, u.id)
	}
	return out
}

func (s *Server) allowedLocked(kind string) bool {
	if len(s.allowedUpdates) == 0 {
		return !slices.Contains(notByDefault, kind)
	}
	return slices.Contains(s.allowedUpdates, kind)
}

// Delivered are the update IDs getUpdates returned, in order, with repeats
// if an update was returned again because the bot did not confirm it.
func (s *Server) Delivered() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.delivered...)
}

// PendingUpdates counts the updates not yet confirmed.
func (s *Server) PendingUpdates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// SendMessage injects a text message from a user into a chat, as the update
// Telegram would send: "message" with from, chat, date, text and
// bot_command entities ("/digest", "/digest@newsdigest_bot" anywhere a
// command may start; offsets in UTF-16 code units). In a channel it is a
// "channel_post" with sender_chat and no from. A zero chat ID means the
// private chat with from. The chat and user become known to the fake.
func (s *Server) SendMessage(chat Chat, from User, text string) Update {
	if text == "" {
		panic("telegramtest: SendMessage needs text; Telegram has no empty text messages")
	}
	if !utf8.ValidString(text) {
		panic("telegramtest: SendMessage text must be UTF-8")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if chat.ID == 0 {
		chat = Chat{ID: from.ID, Type: Private, FirstName: from.FirstName, LastName: from.LastName, Username: from.Username}
	}
	kind := chat.Type
	if known, ok := s.chats[chat.ID]; ok && kind == "" {
		kind = known.Type
	}
	if kind != Channel {
		if from.ID <= 0 {
			panic("telegramtest: SendMessage needs a sender with a positive ID")
		}
		if from.FirstName == "" {
			from.FirstName = "User " + strconv.FormatInt(from.ID, 10)
		}
		s.users[from.ID] = from
	}
	cs := s.addChatLocked(chat)
	cs.lastMessageID++
	wire := wireMessage{
		MessageID: cs.lastMessageID, From: &from, Date: s.now().Unix(), Chat: cs.Chat,
		Text: text, Entities: botCommandEntities(text),
	}
	kind = "message"
	if cs.Type == Channel {
		kind, wire.From, wire.SenderChat = "channel_post", nil, &wire.Chat
	}
	cs.messages[wire.MessageID] = &storedMessage{wire: wire}
	raw, err := json.Marshal(map[string]any{kind: wire, "update_id": s.nextUpdateID})
	if err != nil {
		panic("telegramtest: encode update: " + err.Error())
	}
	return s.enqueueLocked(kind, raw, cs.ID, wire.MessageID)
}

// InjectUpdate queues any update, given as the JSON of an Update object
// with exactly one update field, like {"callback_query": {...}}. Its
// update_id is replaced by the next one in sequence.
func (s *Server) InjectUpdate(update []byte) (Update, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(update, &fields); err != nil {
		return Update{}, fmt.Errorf("telegramtest: inject update: %w", err)
	}
	delete(fields, "update_id")
	if len(fields) != 1 {
		return Update{}, fmt.Errorf("telegramtest: inject update: want exactly one update field, got %d", len(fields))
	}
	var kind string
	for k := range fields {
		kind = k
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fields["update_id"] = json.RawMessage(strconv.Itoa(s.nextUpdateID))
	raw, err := json.Marshal(fields)
	if err != nil {
		return Update{}, fmt.Errorf("telegramtest: inject update: %w", err)
	}
	var msg struct {
		MessageID int `json:"message_id"`
		Chat      struct {
			ID int64 `json:"id"`
		} `json:"chat"`
	}
	_ = json.Unmarshal(fields[kind], &msg)
	return s.enqueueLocked(kind, raw, msg.Chat.ID, msg.MessageID), nil
}

func (s *Server) enqueueLocked(kind string, raw json.RawMessage, chatID int64, messageID int) Update {
	u := queuedUpdate{id: s.nextUpdateID, kind: kind, raw: raw}
	s.nextUpdateID++
	s.queue = append(s.queue, u)
	s.notifyLocked()
	return Update{ID: u.id, Type: kind, ChatID: chatID, MessageID: messageID, JSON: raw}
}

// botCommandEntities finds bot commands the way Telegram does:
// "/" + 1-64 of [A-Za-z0-9_], optionally "@" + a 3-32 character username,
// not glued to a word character, "/", "<" or ">" on either side.
func botCommandEntities(text string) []Entity {
	var out []Entity
	for i := 0; i < len(text); i++ {
		if text[i] != '/' {
			continue
		}
		if i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(text[:i])
			if isWordRune(prev) || prev == '/' || prev == '<' || prev == '>' {
				continue
			}
		}
		j := i + 1
		for j < len(text) && isCommandByte(text[j]) {
			j++
		}
		if n := j - i - 1; n < 1 || n > 64 {
			continue
		}
		end := j
		if j < len(text) && text[j] == '@' {
			k := j + 1
			for k < len(text) && isCommandByte(text[k]) {
				k++
			}
			if n := k - j - 1; n < 3 || n > 32 {
				continue
			}
			end = k
		}
		if end < len(text) {
			next, _ := utf8.DecodeRuneInString(text[end:])
			if isWordRune(next) || next == '/' || next == '<' || next == '>' {
				continue
			}
		}
		out = append(out, Entity{Type: "bot_command", Offset: utf16Len(text[:i]), Length: utf16Len(text[i:end])})
		i = end - 1
	}
	return out
}

func isCommandByte(c byte) bool { return isASCIIAlnum(c) || c == '_' }

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_' }

func (s *Server) setWebhook(_ context.Context, p params) (result, *apiError) {
	link := strings.TrimSpace(p.str("url"))
	if link == "" {
		return s.deleteWebhook(context.Background(), p)
	}
	u, err := parseWebhookURL(link)
	if err != nil {
		return result{}, err
	}
	w := Webhook{URL: u, IPAddress: p.str("ip_address"), HasCustomCertificate: p.files["certificate"] || p.has("certificate")}
	if p.has("secret_token") {
		w.SecretToken = p.str("secret_token")
		if !validSecretToken(w.SecretToken) {
			return result{}, badRequest("secret token contains unallowed characters")
		}
	}
	w.MaxConnections = int(p.int("max_connections"))
	if w.MaxConnections <= 0 {
		w.MaxConnections = 40
	}
	w.MaxConnections = min(w.MaxConnections, 100)
	if raw := p.json("allowed_updates"); raw != "" {
		if json.Unmarshal([]byte(raw), &w.AllowedUpdates) != nil {
			return result{}, badRequest("can't parse allowed_updates JSON array")
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	description := "Webhook was set"
	if s.webhook.URL == w.URL {
		description = "Webhook is already set"
	}
	s.webhook = w
	if w.AllowedUpdates != nil {
		s.allowedUpdates = w.AllowedUpdates
	}
	if p.bool("drop_pending_updates") {
		s.queue = nil
	}
	s.terminatePollLocked("terminated by setWebhook request")
	s.notifyLocked()
	return result{Value: true, Description: description}, nil
}

// parseWebhookURL checks what Telegram checks before it accepts a webhook.
func parseWebhookURL(link string) (string, *apiError) {
	u, err := url.Parse(link)
	if err != nil || u.Host == "" {
		return "", badRequest("bad webhook: invalid webhook URL specified")
	}
	if !strings.EqualFold(u.Scheme, "https") {
		return "", badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	switch u.Port() {
	case "", "443", "80", "88", "8443":
	default:
		return "", badRequest("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
	}
	return link, nil
}

// validSecretToken is 1-256 characters of A-Z, a-z, 0-9, _ and -.
func validSecretToken(t string) bool {
	if len(t) < 1 || len(t) > 256 {
		return false
	}
	for i := 0; i < len(t); i++ {
		if !isCommandByte(t[i]) && t[i] != '-' {
			return false
		}
	}
	return true
}

func (s *Server) deleteWebhook(_ context.Context, p params) (result, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	description := "Webhook is already deleted"
	if s.webhook.URL != "" {
		description = "Webhook was deleted"
	}
	s.webhook = Webhook{}
	if p.bool("drop_pending_updates") {
		s.queue = nil
	}
	s.notifyLocked()
	return result{Value: true, Description: description}, nil
}

func (s *Server) getWebhookInfo(context.Context, params) (result, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := map[string]any{
		"url":                    s.webhook.URL,
		"has_custom_certificate": s.webhook.HasCustomCertificate,
		"pending_update_count":   len(s.queue),
	}
	if s.webhook.URL != "" {
		info["max_connections"] = s.webhook.MaxConnections
		if s.webhook.IPAddress != "" {
			info["ip_address"] = s.webhook.IPAddress
		}
		if len(s.webhook.AllowedUpdates) > 0 {
			info["allowed_updates"] = s.webhook.AllowedUpdates
		}
	}
	return result{Value: info}, nil
}

// WebhookInfo is the webhook setWebhook recorded; zero when none is set.
func (s *Server) WebhookInfo() Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.webhook
	w.AllowedUpdates = append([]string(nil), w.AllowedUpdates...)
	return w
}
