package telegram

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsdigest/newsdigest/bot"
	"github.com/newsdigest/newsdigest/store"
)

// handleUpdate answers one update: a command, a bare link, or a group's
// upgrade to a supergroup.
func (a *Adapter) handleUpdate(ctx context.Context, u tgbotapi.Update) {
	m := u.Message
	if m == nil {
		m = u.ChannelPost
	}
	if m == nil || m.Chat == nil {
		return
	}
	switch {
	case m.MigrateToChatID != 0:
		a.moveChat(ctx, m.Chat.ID, m.MigrateToChatID)
		return
	case m.MigrateFromChatID != 0:
		a.moveChat(ctx, m.MigrateFromChatID, m.Chat.ID)
		return
	}
	me := a.self.Load()
	if me == nil || (m.From != nil && m.From.ID == me.ID) {
		return
	}
	req, ok := a.request(m, me)
	if !ok {
		return
	}
	a.answer(ctx, m, req)
}

// moveChat gives a chat's settings its new id; a chat without settings
// has nothing to move.
func (a *Adapter) moveChat(ctx context.Context, from, to int64) {
	if a.bot.Store == nil || from == to {
		return
	}
	f, t := strconv.FormatInt(from, 10), strconv.FormatInt(to, 10)
	err := a.bot.Store.MoveChannel(ctx, store.Telegram, f, t)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		a.log.Error("telegram: move chat settings to the supergroup", "from", f, "to", t, "error", err)
	default:
		a.log.Info("telegram: group upgraded to a supergroup; settings moved", "from", f, "to", t)
	}
}

// request turns a message into a command for the bot: "/cmd args",
// "/cmd@thisbot args" or, where it can only be meant for the bot, a bare
// link (which does what /add does). ok is false for everything else,
// including commands for other bots.
func (a *Adapter) request(m *tgbotapi.Message, me *tgbotapi.User) (req bot.Request, ok bool) {
	kind, known := chatKind(m.Chat.Type)
	if !known {
		return req, false
	}
	text := strings.TrimSpace(m.Text)
	name, args, addressed, isCmd := parseCommand(text, me.UserName)
	switch {
	case isCmd && !addressed:
		return req, false // /cmd@otherbot
	case isCmd:
		explicit := strings.Contains(text[:commandEnd(text)], "@") // /cmd@thisbot
		switch {
		case name == "start" && (kind == bot.Private || explicit):
			name, args = "help", nil // what Telegram sends when someone opens the bot
		case !knownCommand(name) && kind != bot.Private && !explicit:
			return req, false // a plain /cmd of another bot in the group
		}
	default:
		link, ok := bareLink(text, me.UserName, kind == bot.Private ||
			m.ReplyToMessage != nil && m.ReplyToMessage.From != nil && m.ReplyToMessage.From.ID == me.ID)
		if !ok || kind == bot.Broadcast {
			return req, false
		}
		name, args = "add", []string{link}
	}
	req = bot.Request{
		Platform: store.Telegram,
		ChatID:   strconv.FormatInt(m.Chat.ID, 10),
		ChatName: chatName(m.Chat),
		Kind:     kind,
		Command:  name,
		Args:     args,
	}
	switch {
	case m.SenderChat != nil:
		req.UserID, req.UserName = strconv.FormatInt(m.SenderChat.ID, 10), m.SenderChat.Title
	case m.From != nil:
		req.UserID, req.UserName = strconv.FormatInt(m.From.ID, 10), userName(m.From)
	}
	req.IsAdmin = a.adminCheck(m)
	return req, true
}

// adminCheck tells whether the sender administers the chat. An anonymous
// administrator writes as the group itself (sender_chat is the chat); a
// message sent on behalf of another chat (a linked channel) is not an
// administrator's.
func (a *Adapter) adminCheck(m *tgbotapi.Message) func(context.Context) (bool, error) {
	chatID := m.Chat.ID
	switch {
	case m.SenderChat != nil:
		admin := m.SenderChat.ID == chatID
		return func(context.Context) (bool, error) { return admin, nil }
	case m.From == nil:
		return func(context.Context) (bool, error) { return false, nil }
	}
	userID := m.From.ID
	return func(ctx context.Context) (bool, error) {
		status, err := a.chatMemberStatus(ctx, chatID, userID)
		if err != nil {
			return false, err
		}
		return status == "creator" || status == "administrator", nil
	}
}

func chatKind(t string) (bot.ChatKind, bool) {
	switch t {
	case "private":
		return bot.Private, true
	case "group", "supergroup":
		return bot.Group, true
	case "channel":
		return bot.Broadcast, true
	}
	return 0, false
}

func chatName(c *tgbotapi.Chat) string {
	if c.Title != "" {
		return c.Title
	}
	name := strings.TrimSpace(c.FirstName + " " + c.LastName)
	if name == "" && c.UserName != "" {
		name = "@" + c.UserName
	}
	return name
}

func userName(u *tgbotapi.User) string {
	if u.UserName != "" {
		return "@" + u.UserName
	}
	return strings.TrimSpace(u.FirstName + " " + u.LastName)
}

func knownCommand(name string) bool {
	for _, s := range bot.Specs() {
		if s.Name == name {
			return true
		}
	}
	return false
}

// parseCommand reads "/name[@bot] args..." the way Telegram recognizes a
// bot command: a slash, 1-64 of A-Z, a-z, 0-9 and _, optionally "@" and a
// username, then white space or the end. name is lower case; addressed is
// false when the command names another bot.
func parseCommand(text, botName string) (name string, args []string, addressed, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", nil, false, false
	}
	end := commandEnd(text)
	word := text[1:end]
	cmd, target, hasTarget := strings.Cut(word, "@")
	if len(cmd) < 1 || len(cmd) > 64 || !wordChars(cmd) {
		return "", nil, false, false
	}
	if hasTarget && (len(target) < 3 || len(target) > 32 || !wordChars(target)) {
		return "", nil, false, false
	}
	addressed = !hasTarget || strings.EqualFold(target, botName)
	return strings.ToLower(cmd), strings.Fields(text[end:]), addressed, true
}

// commandEnd is the index of the first white space in text, or its length.
func commandEnd(text string) int {
	if i := strings.IndexAny(text, " \t\r\n\v\f\u00a0"); i >= 0 {
		return i
	}
	return len(text)
}

func wordChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// bareLink finds a message that is just one http(s) link. In a group it
// counts only when meant for the bot: forMe (a private chat, a reply to
// the bot) or the bot's @username beside the link.
func bareLink(text, botName string, forMe bool) (string, bool) {
	var words []string
	for _, w := range strings.Fields(text) {
		if strings.EqualFold(w, "@"+botName) {
			forMe = true
			continue
		}
		words = append(words, w)
	}
	if len(words) != 1 || !forMe {
		return "", false
	}
	link := strings.Trim(words[0], "<>")
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(link) > 2048 {
		return "", false
	}
	return link, true
}
