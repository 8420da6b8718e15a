package telegramtest

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxCommands is how many commands one setMyCommands may set.
const MaxCommands = 100

var scopeTypes = map[string]bool{
	"default": true, "all_private_chats": true, "all_group_chats": true, "all_chat_administrators": true,
	"chat": true, "chat_administrators": true, "chat_member": true,
}

// readScope reads scope and language_code into the key commands are kept
// under.
func readScope(p params) (string, *apiError) {
	sc := Scope{Type: "default"}
	if raw := p.json("scope"); raw != "" {
		var s struct {
			Type   string          `json:"type"`
			ChatID json.RawMessage `json:"chat_id"`
			UserID int64           `json:"user_id"`
		}
		if json.Unmarshal([]byte(raw), &s) != nil {
			return "", badRequest("can't parse BotCommandScope JSON object")
		}
		if !scopeTypes[s.Type] {
			return "", badRequest("unsupported bot command scope type \"" + s.Type + "\"")
		}
		sc.Type, sc.UserID = s.Type, s.UserID
		var name string
		if json.Unmarshal(s.ChatID, &name) == nil {
			sc.ChatID = name
		} else {
			sc.ChatID = string(s.ChatID)
		}
		needsChat := sc.Type == "chat" || sc.Type == "chat_administrators" || sc.Type == "chat_member"
		if needsChat && sc.ChatID == "" {
			return "", badRequest("chat_id is empty")
		}
		if sc.Type == "chat_member" && sc.UserID <= 0 {
			return "", badRequest("invalid user_id specified")
		}
	}
	lang := p.str("language_code")
	if lang != "" && (len(lang) != 2 || !isASCIILetter(lang[0]) || !isASCIILetter(lang[1])) {
		return "", badRequest("invalid language code specified")
	}
	return scopeKey(sc, lang), nil
}

func scopeKey(sc Scope, lang string) string {
	if sc.Type == "" {
		sc.Type = "default"
	}
	return sc.Type + "|" + sc.ChatID + "|" + strconv.FormatInt(sc.UserID, 10) + "|" + strings.ToLower(lang)
}

func (s *Server) setMyCommands(_ context.Context, p params) (result, *apiError) {
	if !p.has("commands") {
		return result{}, badRequest("parameter \"commands\" is required")
	}
	var commands []Command
	if err := json.Unmarshal([]byte(p.str("commands")), &commands); err != nil {
		return result{}, badRequest("can't parse commands JSON object")
	}
	if len(commands) > MaxCommands {
		return result{}, badRequest("BOT_COMMANDS_TOO_MUCH")
	}
	for _, c := range commands {
		if !validCommand(c.Command) {
			return result{}, badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf8.RuneCountInString(strings.TrimSpace(c.Description)); n < 1 || n > 256 {
			return result{}, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	key, apiErr := readScope(p)
	if apiErr != nil {
		return result{}, apiErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(commands) == 0 {
		delete(s.commands, key)
	} else {
		s.commands[key] = commands
	}
	s.notifyLocked()
	return result{Value: true}, nil
}

// validCommand is 1-32 characters of a-z, 0-9 and _.
func validCommand(c string) bool {
	if len(c) < 1 || len(c) > 32 {
		return false
	}
	for i := 0; i < len(c); i++ {
		if !(c[i] >= 'a' && c[i] <= 'z' || c[i] >= '0' && c[i] <= '9' || c[i] == '_') {
			return false
		}
	}
	return true
}

func (s *Server) getMyCommands(_ context.Context, p params) (result, *apiError) {
	key, apiErr := readScope(p)
	if apiErr != nil {
		return result{}, apiErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return result{Value: append([]Command{}, s.commands[key]...)}, nil
}

func (s *Server) deleteMyCommands(_ context.Context, p params) (result, *apiError) {
	key, apiErr := readScope(p)
	if apiErr != nil {
		return result{}, apiErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.commands, key)
	s.notifyLocked()
	return result{Value: true}, nil
}

// Commands are the commands set for the default scope and no language.
func (s *Server) Commands() []Command { return s.CommandsFor(Scope{}, "") }

// CommandsFor are the commands set for a scope and language code.
func (s *Server) CommandsFor(scope Scope, lang string) []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Command(nil), s.commands[scopeKey(scope, lang)]...)
}
