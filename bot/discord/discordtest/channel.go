package discordtest

import (
	"net/http"
	"strconv"
	"time"
)

// nonceEntry remembers an enforced nonce's message.
type nonceEntry struct {
	msg *Message
	at  time.Time
}

// channelFor finds the call's channel, answering 404 10003 or 403 50001.
func (s *Server) channelFor(c *call) (*channel, bool) {
	ch := s.channels[c.params["channel_id"]]
	if ch == nil {
		c.fail(http.StatusNotFound, 10003, "Unknown Channel")
		return nil, false
	}
	if ch.NoAccess {
		c.fail(http.StatusForbidden, 50001, "Missing Access")
		return nil, false
	}
	return ch, true
}

func (s *Server) createMessage(c *call) {
	ch, ok := s.channelFor(c)
	if !ok {
		return
	}
	if ch.NoSend {
		c.fail(http.StatusForbidden, 50013, "Missing Permissions")
		return
	}
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
	if ref := b.MessageReference; ref != nil && ref.MessageID != "" {
		target := s.messageByID[ref.MessageID]
		failIfMissing := ref.FailIfNotExists == nil || *ref.FailIfNotExists
		if (target == nil || target.Deleted || target.ChannelID != ch.ID) && failIfMissing {
			fe.add("message_reference", "REPLIES_UNKNOWN_MESSAGE", "Unknown message")
		}
	}
	if !fe.empty() {
		c.invalid(fe)
		return
	}
	if b.empty() {
		c.fail(http.StatusBadRequest, 50006, "Cannot send an empty message")
		return
	}
	nonce, _ := nonceString(b.Nonce)
	if b.EnforceNonce && nonce != "" {
		if e, ok := s.nonces[nonce]; ok && c.now.Sub(e.at) < s.opts.NonceWindow {
			c.ok(e.msg)
			return
		}
	}
	m := s.newMessageLocked(ch.ID, ch.GuildID, b, c.now)
	m.Nonce = nonce
	m.Flags = b.flags() & (FlagSuppressEmbeds | FlagSuppressNotify | FlagComponentsV2)
	if b.MessageReference != nil && b.MessageReference.MessageID != "" {
		m.Type = MessageTypeReply
		ref := *b.MessageReference
		ref.ChannelID, ref.GuildID = ch.ID, ch.GuildID
		m.MessageReference = &ref
	}
	if b.EnforceNonce && nonce != "" {
		s.nonces[nonce] = nonceEntry{msg: m, at: c.now}
	}
	c.ok(m)
}

// visible reports whether m shows in channel history: not deleted and not
// ephemeral.
func visible(m *Message) bool { return !m.Deleted && m.Flags&FlagEphemeral == 0 }

func (s *Server) getChannel(c *call) {
	ch, ok := s.channelFor(c)
	if !ok {
		return
	}
	c.ok(s.channelJSONLocked(ch))
}

func (s *Server) channelJSONLocked(ch *channel) map[string]any {
	var last any
	if ms := s.messages[ch.ID]; len(ms) > 0 {
		last = ms[len(ms)-1].ID
	}
	return map[string]any{
		"id":                    ch.ID,
		"type":                  ch.Type,
		"guild_id":              ch.GuildID,
		"name":                  ch.Name,
		"position":              0,
		"permission_overwrites": []any{},
		"nsfw":                  false,
		"topic":                 nil,
		"last_message_id":       last,
		"rate_limit_per_user":   0,
		"parent_id":             nil,
		"flags":                 0,
	}
}

func (s *Server) listMessages(c *call) {
	ch, ok := s.channelFor(c)
	if !ok {
		return
	}
	limit := 50
	if v := c.r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			fe := &formErrors{}
			fe.add("limit", "NUMBER_TYPE_MAX", "int value should be between 1 and 100.")
			c.invalid(fe)
			return
		}
		limit = n
	}
	out := []*Message{}
	ms := s.messages[ch.ID]
	for i := len(ms) - 1; i >= 0 && len(out) < limit; i-- {
		if visible(ms[i]) {
			out = append(out, ms[i])
		}
	}
	c.ok(out)
}

// channelMessage finds a visible message of the call's channel, answering
// 404 10008 when there is none.
func (s *Server) channelMessage(c *call) (*Message, bool) {
	ch, ok := s.channelFor(c)
	if !ok {
		return nil, false
	}
	m := s.messageByID[c.params["message_id"]]
	if m == nil || m.ChannelID != ch.ID || !visible(m) {
		c.fail(http.StatusNotFound, 10008, "Unknown Message")
		return nil, false
	}
	return m, true
}

func (s *Server) getMessage(c *call) {
	if m, ok := s.channelMessage(c); ok {
		c.ok(m)
	}
}

func (s *Server) editMessage(c *call) {
	m, ok := s.channelMessage(c)
	if !ok {
		return
	}
	if m.Author.ID != s.bot.ID {
		c.fail(http.StatusForbidden, 50005, "Cannot edit a message authored by another user")
		return
	}
	s.editLocked(c, m)
}

func (s *Server) deleteMessage(c *call) {
	m, ok := s.channelMessage(c)
	if !ok {
		return
	}
	m.Deleted = true
	s.notifyLocked()
	c.noContent()
}
