package discordtest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Message flags the fake acts on.
const (
	FlagSuppressEmbeds = 1 << 2
	FlagEphemeral      = 1 << 6
	FlagLoading        = 1 << 7
	FlagSuppressNotify = 1 << 12
	FlagComponentsV2   = 1 << 15
)

// Message types the fake creates.
const (
	MessageTypeDefault          = 0
	MessageTypeReply            = 19
	MessageTypeChatInputCommand = 20
)

// Message is a message as Discord stores and returns it, plus what the
// fake recorded about the request that made it (fields tagged "-").
type Message struct {
	ID                  string               `json:"id"`
	Type                int                  `json:"type"`
	ChannelID           string               `json:"channel_id"`
	GuildID             string               `json:"guild_id,omitempty"`
	Author              User                 `json:"author"`
	Content             string               `json:"content"`
	Timestamp           time.Time            `json:"timestamp"`
	EditedTimestamp     *time.Time           `json:"edited_timestamp"`
	TTS                 bool                 `json:"tts"`
	MentionEveryone     bool                 `json:"mention_everyone"`
	Mentions            []User               `json:"mentions"`
	MentionRoles        []string             `json:"mention_roles"`
	Attachments         []Attachment         `json:"attachments"`
	Embeds              []Embed              `json:"embeds"`
	Components          json.RawMessage      `json:"components"`
	Nonce               string               `json:"nonce,omitempty"`
	Pinned              bool                 `json:"pinned"`
	WebhookID           string               `json:"webhook_id,omitempty"`
	ApplicationID       string               `json:"application_id,omitempty"`
	Flags               int                  `json:"flags"`
	MessageReference    *MessageReference    `json:"message_reference,omitempty"`
	InteractionMetadata *InteractionMetadata `json:"interaction_metadata,omitempty"`

	// AllowedMentions is what the request asked for; nil when it sent none
	// (Discord then parses every mention).
	AllowedMentions *AllowedMentions `json:"-"`
	// InteractionID is set on interaction responses and followups.
	InteractionID string `json:"-"`
	// Followup marks a message made by POST /webhooks/{app}/{token}.
	Followup bool `json:"-"`
	// Edits counts PATCHes applied.
	Edits   int  `json:"-"`
	Deleted bool `json:"-"`
}

// Embed is a rich embed.
type Embed struct {
	Title       string       `json:"title,omitempty"`
	Type        string       `json:"type,omitempty"`
	Description string       `json:"description,omitempty"`
	URL         string       `json:"url,omitempty"`
	Timestamp   string       `json:"timestamp,omitempty"`
	Color       int          `json:"color,omitempty"`
	Footer      *EmbedFooter `json:"footer,omitempty"`
	Image       *EmbedMedia  `json:"image,omitempty"`
	Thumbnail   *EmbedMedia  `json:"thumbnail,omitempty"`
	Author      *EmbedAuthor `json:"author,omitempty"`
	Fields      []EmbedField `json:"fields,omitempty"`
}

// EmbedFooter is an embed's footer.
type EmbedFooter struct {
	Text    string `json:"text"`
	IconURL string `json:"icon_url,omitempty"`
}

// EmbedMedia is an embed's image or thumbnail.
type EmbedMedia struct {
	URL    string `json:"url"`
	Width  int    `json:"width,omitempty"`
	Height int    `json:"height,omitempty"`
}

// EmbedAuthor is an embed's author line.
type EmbedAuthor struct {
	Name    string `json:"name"`
	URL     string `json:"url,omitempty"`
	IconURL string `json:"icon_url,omitempty"`
}

// EmbedField is one name/value field.
type EmbedField struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Inline bool   `json:"inline,omitempty"`
}

// AllowedMentions says which mentions in content may ping.
type AllowedMentions struct {
	Parse       []string `json:"parse"`
	Users       []string `json:"users,omitempty"`
	Roles       []string `json:"roles,omitempty"`
	RepliedUser bool     `json:"replied_user,omitempty"`
}

// Attachment is an uploaded file; the fake keeps its name and size only.
type Attachment struct {
	ID          string `json:"id"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type,omitempty"`
	Size        int    `json:"size"`
	URL         string `json:"url"`
	ProxyURL    string `json:"proxy_url"`
}

// MessageReference points a reply at its message.
type MessageReference struct {
	MessageID       string `json:"message_id,omitempty"`
	ChannelID       string `json:"channel_id,omitempty"`
	GuildID         string `json:"guild_id,omitempty"`
	FailIfNotExists *bool  `json:"fail_if_not_exists,omitempty"`
}

// InteractionMetadata marks a message as an interaction's response.
type InteractionMetadata struct {
	ID                           string            `json:"id"`
	Type                         int               `json:"type"`
	Name                         string            `json:"name,omitempty"`
	User                         User              `json:"user"`
	AuthorizingIntegrationOwners map[string]string `json:"authorizing_integration_owners"`
}

// messageBody is the JSON body of message create and edit requests,
// callback data and webhook executes.
type messageBody struct {
	Content          *string           `json:"content"`
	Nonce            json.RawMessage   `json:"nonce"`
	EnforceNonce     bool              `json:"enforce_nonce"`
	TTS              bool              `json:"tts"`
	Embeds           []Embed           `json:"embeds"`
	AllowedMentions  *AllowedMentions  `json:"allowed_mentions"`
	MessageReference *MessageReference `json:"message_reference"`
	Components       json.RawMessage   `json:"components"`
	StickerIDs       []string          `json:"sticker_ids"`
	Attachments      json.RawMessage   `json:"attachments"`
	Flags            *int              `json:"flags"`
	Poll             json.RawMessage   `json:"poll"`

	present map[string]bool
	files   []Attachment
}

// empty reports whether a new message from b would have nothing to show.
func (b *messageBody) empty() bool {
	return (b.Content == nil || strings.TrimSpace(*b.Content) == "") &&
		len(b.Embeds) == 0 && len(b.files) == 0 && len(b.StickerIDs) == 0 &&
		!hasJSON(b.Components) && !hasJSON(b.Poll)
}

func (b *messageBody) flags() int {
	if b.Flags == nil {
		return 0
	}
	return *b.Flags
}

// payload returns the JSON part of the request (the body, or payload_json
// of a multipart body) and the uploaded files.
func (c *call) payload() ([]byte, []Attachment, bool) {
	mt, params, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return c.body, nil, true
	}
	mr := multipart.NewReader(bytes.NewReader(c.body), params["boundary"])
	var raw []byte
	var files []Attachment
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			c.fail(http.StatusBadRequest, 0, "400: Bad Request")
			return nil, nil, false
		}
		data, err := io.ReadAll(p)
		if err != nil {
			c.fail(http.StatusBadRequest, 0, "400: Bad Request")
			return nil, nil, false
		}
		switch {
		case p.FormName() == "payload_json":
			raw = data
		case p.FileName() != "":
			files = append(files, Attachment{Filename: p.FileName(), ContentType: p.Header.Get("Content-Type"), Size: len(data)})
		}
	}
	return raw, files, true
}

// messageBody parses a message body, answering the request when it fails.
func (c *call) messageBody(raw []byte, files []Attachment) (*messageBody, bool) {
	if strings.TrimSpace(string(raw)) == "" {
		raw = []byte("{}")
	}
	b := &messageBody{files: files}
	if !c.decode(raw, b) {
		return nil, false
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		c.badJSON()
		return nil, false
	}
	b.present = map[string]bool{}
	for k := range fields {
		b.present[k] = true
	}
	return b, true
}

// newMessageLocked stores a new message by the bot from b.
func (s *Server) newMessageLocked(channelID, guildID string, b *messageBody, now time.Time) *Message {
	m := &Message{
		ID:              s.newID(now),
		ChannelID:       channelID,
		GuildID:         guildID,
		Author:          s.bot,
		Timestamp:       now.UTC(),
		TTS:             b.TTS,
		Embeds:          normEmbeds(b.Embeds),
		Components:      normComponents(b.Components),
		AllowedMentions: b.AllowedMentions,
	}
	if b.Content != nil {
		m.Content = *b.Content
	}
	for _, f := range b.files {
		m.Attachments = append(m.Attachments, s.attachmentLocked(channelID, f, now))
	}
	if m.Attachments == nil {
		m.Attachments = []Attachment{}
	}
	s.resolveMentionsLocked(m)
	s.messages[channelID] = append(s.messages[channelID], m)
	s.messageByID[m.ID] = m
	s.notifyLocked()
	return m
}

func (s *Server) attachmentLocked(channelID string, f Attachment, now time.Time) Attachment {
	f.ID = s.newID(now)
	f.URL = "https://cdn.discordapp.com/attachments/" + channelID + "/" + f.ID + "/" + f.Filename
	f.ProxyURL = "https://media.discordapp.net/attachments/" + channelID + "/" + f.ID + "/" + f.Filename
	return f
}

// applyEditLocked applies the fields b carries to a copy of m and returns
// it; the caller validates the result and stores it.
func (s *Server) applyEditLocked(m *Message, b *messageBody, now time.Time) Message {
	out := *m
	if b.present["content"] {
		out.Content = ""
		if b.Content != nil {
			out.Content = *b.Content
		}
	}
	if b.present["embeds"] {
		out.Embeds = normEmbeds(b.Embeds)
	}
	if b.present["components"] {
		out.Components = normComponents(b.Components)
	}
	if b.present["allowed_mentions"] {
		out.AllowedMentions = b.AllowedMentions
	}
	out.Attachments = slices.Clone(out.Attachments)
	if b.present["attachments"] {
		var keep []struct {
			ID string `json:"id"`
		}
		json.Unmarshal(b.Attachments, &keep)
		kept := map[string]bool{}
		for _, k := range keep {
			kept[k.ID] = true
		}
		out.Attachments = slices.DeleteFunc(out.Attachments, func(a Attachment) bool { return !kept[a.ID] })
	}
	for _, f := range b.files {
		out.Attachments = append(out.Attachments, s.attachmentLocked(m.ChannelID, f, now))
	}
	if out.Attachments == nil {
		out.Attachments = []Attachment{}
	}
	if b.present["flags"] {
		out.Flags = out.Flags&^FlagSuppressEmbeds | b.flags()&FlagSuppressEmbeds
	}
	out.Flags &^= FlagLoading
	edited := now.UTC()
	out.EditedTimestamp = &edited
	out.Edits++
	s.resolveMentionsLocked(&out)
	return out
}

// messageEmpty reports whether a stored message shows nothing.
func messageEmpty(m *Message) bool {
	return strings.TrimSpace(m.Content) == "" && len(m.Embeds) == 0 && len(m.Attachments) == 0 && !hasJSON(m.Components)
}

// editLocked validates and applies an edit, answering the call.
func (s *Server) editLocked(c *call, m *Message) {
	raw, files, ok := c.payload()
	if !ok {
		return
	}
	b, ok := c.messageBody(raw, files)
	if !ok {
		return
	}
	fe := &formErrors{}
	validateMessage(b, fe)
	if !fe.empty() {
		c.invalid(fe)
		return
	}
	out := s.applyEditLocked(m, b, c.now)
	if messageEmpty(&out) {
		c.fail(http.StatusBadRequest, 50006, "Cannot send an empty message")
		return
	}
	*m = out
	s.notifyLocked()
	c.ok(m)
}

func normEmbeds(e []Embed) []Embed {
	out := make([]Embed, len(e))
	for i, x := range e {
		if x.Type == "" {
			x.Type = "rich"
		}
		out[i] = x
	}
	return out
}

func normComponents(raw json.RawMessage) json.RawMessage {
	if !hasJSON(raw) {
		return json.RawMessage("[]")
	}
	return slices.Clone(raw)
}

var (
	userMention = regexp.MustCompile(`<@!?(\d+)>`)
	roleMention = regexp.MustCompile(`<@&(\d+)>`)
)

// resolveMentionsLocked fills the mentions that would ping, as Discord
// does from content and allowed_mentions (none sent: everything parses).
func (s *Server) resolveMentionsLocked(m *Message) {
	am := m.AllowedMentions
	parses := func(kind string) bool { return am == nil || slices.Contains(am.Parse, kind) }
	m.Mentions = []User{}
	m.MentionRoles = []string{}
	seen := map[string]bool{}
	for _, sm := range userMention.FindAllStringSubmatch(m.Content, -1) {
		id := sm[1]
		u, known := s.users[id]
		if !known || seen[id] || !(parses("users") || slices.Contains(am.Users, id)) {
			continue
		}
		seen[id] = true
		m.Mentions = append(m.Mentions, u)
	}
	for _, sm := range roleMention.FindAllStringSubmatch(m.Content, -1) {
		id := sm[1]
		if seen[id] || !(parses("roles") || slices.Contains(am.Roles, id)) {
			continue
		}
		seen[id] = true
		m.MentionRoles = append(m.MentionRoles, id)
	}
	m.MentionEveryone = (strings.Contains(m.Content, "@everyone") || strings.Contains(m.Content, "@here")) && parses("everyone")
}

// Messages returns the messages in a channel, oldest first, including
// ephemeral interaction responses (Flags&FlagEphemeral) but not deleted
// messages.
func (s *Server) Messages(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.messages[channelID] {
		if !m.Deleted {
			out = append(out, copyMessage(m))
		}
	}
	return out
}

// Message returns a message by ID, deleted or not.
func (s *Server) Message(id string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.messageByID[id]
	if !ok {
		return Message{}, false
	}
	return copyMessage(m), true
}

// WaitMessages waits until channelID holds at least n messages and returns
// them; ok is false on timeout.
func (s *Server) WaitMessages(channelID string, n int, timeout time.Duration) ([]Message, bool) {
	var out []Message
	ok := s.WaitFor(timeout, func() bool {
		out = s.Messages(channelID)
		return len(out) >= n
	})
	return out, ok
}

func copyMessage(m *Message) Message {
	out := *m
	out.Embeds = slices.Clone(m.Embeds)
	out.Mentions = slices.Clone(m.Mentions)
	out.MentionRoles = slices.Clone(m.MentionRoles)
	out.Attachments = slices.Clone(m.Attachments)
	out.Components = slices.Clone(m.Components)
	return out
}
