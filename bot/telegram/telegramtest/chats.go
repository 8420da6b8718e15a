package telegramtest

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// chatState is a chat and what happened in it.
type chatState struct {
	Chat
	lastMessageID int
	members       map[int64]Member
	messages      map[int]*storedMessage
	actions       []string
}

// storedMessage is any message in a chat, the bot's or a user's.
type storedMessage struct {
	wire    wireMessage
	fromBot bool
	sent    *SentMessage // the bot's record; nil for users' messages
}

var memberStatuses = map[string]bool{
	"creator": true, "administrator": true, "member": true, "restricted": true, "left": true, "kicked": true,
}

// AddChat makes a chat known to the bot, or updates a known one with the
// non-zero fields of c, and returns the chat as stored. It panics on an
// unknown chat type.
func (s *Server) AddChat(c Chat) Chat {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addChatLocked(c).Chat
}

func (s *Server) addChatLocked(c Chat) *chatState {
	if cs, ok := s.chats[c.ID]; ok {
		if c.Type != "" {
			cs.Type = c.Type
		}
		if c.Title != "" {
			cs.Title = c.Title
		}
		if c.Username != "" {
			cs.Username = c.Username
		}
		if c.FirstName != "" {
			cs.FirstName, cs.LastName = c.FirstName, c.LastName
		}
		cs.Blocked = cs.Blocked || c.Blocked
		if c.MigratedTo != 0 {
			cs.MigratedTo = c.MigratedTo
		}
		s.notifyLocked()
		return cs
	}
	if c.ID == 0 {
		panic("telegramtest: a chat needs an ID")
	}
	if c.Type == "" {
		switch {
		case c.ID > 0:
			c.Type = Private
		case c.ID <= -1000000000000:
			c.Type = Supergroup
		default:
			c.Type = Group
		}
	}
	switch c.Type {
	case Private:
		if c.ID < 0 {
			panic(fmt.Sprintf("telegramtest: private chat %d needs a positive ID (the user's)", c.ID))
		}
		if u, ok := s.users[c.ID]; ok && c.FirstName == "" {
			c.FirstName, c.LastName, c.Username = u.FirstName, u.LastName, u.Username
		}
		if c.FirstName == "" {
			c.FirstName = "User " + strconv.FormatInt(c.ID, 10)
		}
	case Group, Supergroup, Channel:
		if c.ID > 0 {
			panic(fmt.Sprintf("telegramtest: %s chat %d needs a negative ID", c.Type, c.ID))
		}
		if c.Title == "" {
			c.Title = "Chat " + strconv.FormatInt(c.ID, 10)
		}
	default:
		panic(fmt.Sprintf("telegramtest: unknown chat type %q", c.Type))
	}
	cs := &chatState{Chat: c, members: map[int64]Member{}, messages: map[int]*storedMessage{}}
	s.chats[c.ID] = cs
	s.notifyLocked()
	return cs
}

// SetMember sets a user's status in a chat (creator, administrator, member,
// restricted, left, kicked) for getChatMember and getChatAdministrators;
// Bot() may be set too. The chat is added if unknown. It panics on an
// unknown status.
func (s *Server) SetMember(chatID int64, m Member) {
	if !memberStatuses[m.Status] {
		panic(fmt.Sprintf("telegramtest: unknown member status %q", m.Status))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chats[chatID]
	if cs == nil {
		cs = s.addChatLocked(Chat{ID: chatID})
	}
	if m.User.ID != s.bot.ID {
		s.users[m.User.ID] = m.User
	} else {
		m.User = s.bot
	}
	cs.members[m.User.ID] = m
	s.notifyLocked()
}

// SetBlocked blocks or unblocks the bot in a chat: 403 "bot was blocked by
// the user" in a private chat, "bot was kicked from the ... chat" in others.
func (s *Server) SetBlocked(chatID int64, blocked bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chats[chatID]
	if cs == nil {
		cs = s.addChatLocked(Chat{ID: chatID})
	}
	cs.Blocked = blocked
	s.notifyLocked()
}

// Migrate upgrades a group to a supergroup: sends to the group answer 400
// with migrate_to_chat_id, and the supergroup (added if unknown, with the
// group's title and members) takes messages.
func (s *Server) Migrate(groupID, supergroupID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.chats[groupID]
	if g == nil {
		g = s.addChatLocked(Chat{ID: groupID, Type: Group})
	}
	g.MigratedTo = supergroupID
	sg := s.chats[supergroupID]
	if sg == nil {
		sg = s.addChatLocked(Chat{ID: supergroupID, Type: Supergroup, Title: g.Title})
		for id, m := range g.members {
			sg.members[id] = m
		}
	}
	s.notifyLocked()
}

// ChatActions are the sendChatAction actions the chat received, in order.
func (s *Server) ChatActions(chatID int64) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cs := s.chats[chatID]; cs != nil {
		return append([]string(nil), cs.actions...)
	}
	return nil
}

// chatLocked resolves chat_id (a number or @username). A send is refused
// by a blocked chat and by a migrated group; other requests only by a
// group or channel the bot was kicked from.
func (s *Server) chatLocked(p params, send bool) (*chatState, *apiError) {
	id := strings.TrimSpace(p.str("chat_id"))
	if id == "" {
		return nil, badRequest("chat_id is empty")
	}
	var cs *chatState
	if name, ok := strings.CutPrefix(id, "@"); ok {
		for _, c := range s.chats {
			if c.Username != "" && strings.EqualFold(c.Username, name) {
				cs = c
				break
			}
		}
	} else if n, err := strconv.ParseInt(id, 10, 64); err == nil {
		cs = s.chats[n]
	}
	if cs == nil {
		return nil, badRequest("chat not found")
	}
	if cs.Blocked && (send || cs.Type != Private) {
		return nil, forbidden(cs.Chat)
	}
	if send && cs.MigratedTo != 0 {
		e := badRequest("group chat was upgraded to a supergroup chat")
		e.MigrateTo = cs.MigratedTo
		return nil, e
	}
	return cs, nil
}

func forbidden(c Chat) *apiError {
	d := "Forbidden: bot was blocked by the user"
	if c.Type != Private {
		d = "Forbidden: bot was kicked from the " + c.Type + " chat"
	}
	return &apiError{Code: http.StatusForbidden, Description: d}
}

func (s *Server) getChat(_ context.Context, p params) (result, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, err := s.chatLocked(p, false)
	if err != nil {
		return result{}, err
	}
	return result{Value: cs.Chat}, nil
}

func (s *Server) getChatMember(_ context.Context, p params) (result, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, err := s.chatLocked(p, false)
	if err != nil {
		return result{}, err
	}
	userID := p.int("user_id")
	if userID <= 0 {
		return result{}, badRequest("invalid user_id specified")
	}
	m, ok := s.memberLocked(cs, userID)
	if !ok {
		return result{}, badRequest("user not found")
	}
	return result{Value: memberJSON(m, cs.Type)}, nil
}

// memberLocked is a user's membership: as set, the bot's default (member;
// administrator in a channel, where only admins post), the private chat's
// user, or "left" for a user the fake knows.
func (s *Server) memberLocked(cs *chatState, userID int64) (Member, bool) {
	if m, ok := cs.members[userID]; ok {
		return m, true
	}
	switch {
	case userID == s.bot.ID && cs.Type == Channel:
		return Member{User: s.bot, Status: "administrator"}, true
	case userID == s.bot.ID:
		return Member{User: s.bot, Status: "member"}, true
	case cs.Type == Private && userID == cs.ID:
		u, ok := s.users[userID]
		if !ok {
			u = User{ID: cs.ID, FirstName: cs.FirstName, LastName: cs.LastName, Username: cs.Username}
		}
		return Member{User: u, Status: "member"}, true
	}
	if u, ok := s.users[userID]; ok {
		return Member{User: u, Status: "left"}, true
	}
	return Member{}, false
}

func (s *Server) getChatAdministrators(_ context.Context, p params) (result, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, err := s.chatLocked(p, false)
	if err != nil {
		return result{}, err
	}
	if cs.Type == Private {
		return result{}, badRequest("there are no administrators in the private chat")
	}
	var admins []Member
	for _, m := range cs.members {
		if m.Status == "creator" || m.Status == "administrator" {
			admins = append(admins, m)
		}
	}
	if _, set := cs.members[s.bot.ID]; !set && cs.Type == Channel {
		admins = append(admins, Member{User: s.bot, Status: "administrator"})
	}
	sort.Slice(admins, func(i, j int) bool {
		if (admins[i].Status == "creator") != (admins[j].Status == "creator") {
			return admins[i].Status == "creator"
		}
		return admins[i].User.ID < admins[j].User.ID
	})
	out := make([]map[string]any, 0, len(admins))
	for _, m := range admins {
		out = append(out, memberJSON(m, cs.Type))
	}
	return result{Value: out}, nil
}

// memberJSON is the ChatMember object for a status, with the fields
// Telegram sends for it.
func memberJSON(m Member, chatType string) map[string]any {
	j := map[string]any{"status": m.Status, "user": m.User}
	switch m.Status {
	case "creator":
		j["is_anonymous"] = false
		if m.CustomTitle != "" {
			j["custom_title"] = m.CustomTitle
		}
	case "administrator":
		for k, v := range map[string]bool{
			"can_be_edited": false, "is_anonymous": false, "can_manage_chat": true, "can_delete_messages": true,
			"can_manage_video_chats": true, "can_restrict_members": true, "can_promote_members": false,
			"can_change_info": true, "can_invite_users": true, "can_post_stories": false,
			"can_edit_stories": false, "can_delete_stories": false,
		} {
			j[k] = v
		}
		if chatType == Channel {
			j["can_post_messages"], j["can_edit_messages"] = true, true
		} else {
			j["can_pin_messages"] = true
		}
		if m.CustomTitle != "" {
			j["custom_title"] = m.CustomTitle
		}
	case "restricted":
		j["is_member"] = true
		j["until_date"] = 0
		for _, k := range []string{"can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos",
			"can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
			"can_send_other_messages", "can_add_web_page_previews", "can_change_info", "can_invite_users",
			"can_pin_messages", "can_manage_topics"} {
			j[k] = false
		}
	case "kicked":
		j["until_date"] = 0
	}
	return j
}
