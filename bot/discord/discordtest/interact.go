package discordtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
)

// Interaction types the fake creates.
const (
	InteractionApplicationCommand = 2
	InteractionAutocomplete       = 4
)

// Permission bits used by the fake.
const (
	PermCreateInvite      int64 = 1 << 0
	PermAdministrator     int64 = 1 << 3
	PermManageChannels    int64 = 1 << 4
	PermManageGuild       int64 = 1 << 5
	PermAddReactions      int64 = 1 << 6
	PermViewChannel       int64 = 1 << 10
	PermSendMessages      int64 = 1 << 11
	PermManageMessages    int64 = 1 << 13
	PermEmbedLinks        int64 = 1 << 14
	PermAttachFiles       int64 = 1 << 15
	PermReadHistory       int64 = 1 << 16
	PermMentionEveryone   int64 = 1 << 17
	PermExternalEmojis    int64 = 1 << 18
	PermUseAppCommands    int64 = 1 << 31
	PermSendInThreads     int64 = 1 << 38
	DefaultMemberPerms          = PermCreateInvite | PermAddReactions | PermViewChannel | PermSendMessages | PermEmbedLinks | PermAttachFiles | PermReadHistory | PermExternalEmojis | PermUseAppCommands | PermSendInThreads
	defaultBotPermissions       = DefaultMemberPerms | PermManageMessages | PermMentionEveryone
)

// Perms formats permission bits as Discord sends them: a decimal string.
func Perms(bits int64) string { return strconv.FormatInt(bits, 10) }

// InteractionSpec describes a slash command use to dispatch.
type InteractionSpec struct {
	// Type is InteractionApplicationCommand (default) or
	// InteractionAutocomplete.
	Type int
	// Name is the registered CHAT_INPUT command's name.
	Name    string
	Options []Option
	// GuildID defaults to the first guild; ChannelID to its first channel.
	GuildID   string
	ChannelID string
	// DM sends the interaction from the user's DM channel with the bot
	// (global commands only; user instead of member; ChannelID ignored).
	DM bool
	// User defaults to DefaultUser.
	User User
	// Permissions are the member's permissions as a decimal string.
	// Default Perms(DefaultMemberPerms).
	Permissions string
	// Locale defaults to "en-US".
	Locale string
	// IgnorePermissions delivers the interaction even when the member
	// lacks the command's default_member_permissions (Discord would hide
	// the command), to test the bot's own checks.
	IgnorePermissions bool
}

// Option is a value given for a command option, or a sub-command with its
// own options. Type 0 takes the registered option's type.
type Option struct {
	Name    string
	Type    int
	Value   any
	Focused bool
	Options []Option
}

// Interaction is a dispatched interaction; use it to wait for the bot's
// answer.
type Interaction struct {
	ID            string
	Token         string
	ApplicationID string
	Type          int
	CommandName   string
	GuildID       string
	ChannelID     string
	User          User
	Created       time.Time
	// Payload is the INTERACTION_CREATE data exactly as dispatched.
	Payload json.RawMessage

	s *Server
}

type interaction struct {
	pub       Interaction
	acked     bool
	callbacks []Callback
	original  *Message
	followups []*Message
}

// Interact dispatches INTERACTION_CREATE for a registered command to every
// gateway session (buffered for replay if the session is reconnecting) and
// returns a handle on it. It fails, as Discord would not deliver one, when
// the command is not registered, an option is unknown, missing or of the
// wrong type, or the member may not use the command.
func (s *Server) Interact(spec InteractionSpec) (*Interaction, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()

	typ := spec.Type
	if typ == 0 {
		typ = InteractionApplicationCommand
	}
	if typ != InteractionApplicationCommand && typ != InteractionAutocomplete {
		return nil, fmt.Errorf("discordtest: interact: type %d is not 2 or 4", typ)
	}
	if len(s.sessions) == 0 {
		return nil, errors.New("discordtest: interact: no gateway session has identified")
	}

	user := spec.User
	if user.ID == "" {
		user = s.defaultUser
	}
	if user.Discriminator == "" {
		user.Discriminator = "0"
	}
	s.users[user.ID] = user

	guildID, ch, err := s.interactionPlaceLocked(spec, user, now)
	if err != nil {
		return nil, err
	}
	cmd, ok := s.commandLocked(guildID, spec.Name, CommandChatInput)
	if !ok {
		return nil, fmt.Errorf("discordtest: interact: no command %q registered for guild %q or globally", spec.Name, guildID)
	}
	perms := spec.Permissions
	if perms == "" {
		perms = Perms(DefaultMemberPerms)
	}
	if guildID != "" && !spec.IgnorePermissions && !mayUse(cmd, perms) {
		return nil, fmt.Errorf("discordtest: interact: member permissions %s lack the command's default_member_permissions %s", perms, *cmd.DefaultMemberPermissions)
	}
	if guildID == "" && cmd.DMPermission != nil && !*cmd.DMPermission {
		return nil, fmt.Errorf("discordtest: interact: command %q is not available in DMs", cmd.Name)
	}

	resolved := map[string]map[string]any{}
	opts, focused, err := s.buildOptionsLocked(spec.Options, cmd.Options, typ == InteractionAutocomplete, resolved)
	if err != nil {
		return nil, fmt.Errorf("discordtest: interact %q: %w", cmd.Name, err)
	}
	if typ == InteractionAutocomplete && focused != 1 {
		return nil, fmt.Errorf("discordtest: interact %q: autocomplete needs exactly one focused option, got %d", cmd.Name, focused)
	}

	data := map[string]any{"id": cmd.ID, "name": cmd.Name, "type": cmd.Type, "options": opts}
	if cmd.GuildID != "" {
		data["guild_id"] = cmd.GuildID
	}
	if len(resolved) > 0 {
		data["resolved"] = resolved
	}
	locale := spec.Locale
	if locale == "" {
		locale = "en-US"
	}
	id, token := s.newID(now), secret("aW50ZXJhY3Rpb246")
	botPerms := defaultBotPermissions
	if ch.NoSend {
		botPerms &^= PermSendMessages
	}
	payload := map[string]any{
		"id":                    id,
		"application_id":        s.opts.ApplicationID,
		"type":                  typ,
		"data":                  data,
		"channel_id":            ch.ID,
		"channel":               s.channelJSONLocked(ch),
		"token":                 token,
		"version":               1,
		"locale":                locale,
		"app_permissions":       Perms(botPerms),
		"entitlements":          []any{},
		"attachment_size_limit": maxBody,
	}
	if guildID != "" {
		payload["guild_id"] = guildID
		payload["guild"] = map[string]any{"id": guildID, "locale": "en-US", "features": []any{}}
		payload["guild_locale"] = "en-US"
		payload["context"] = 0
		payload["authorizing_integration_owners"] = map[string]string{"0": guildID}
		payload["member"] = map[string]any{
			"user":                         user,
			"roles":                        []string{},
			"joined_at":                    s.guildByID[guildID].joined.UTC().Format(time.RFC3339),
			"permissions":                  perms,
			"nick":                         nil,
			"avatar":                       nil,
			"deaf":                         false,
			"mute":                         false,
			"flags":                        0,
			"pending":                      false,
			"premium_since":                nil,
			"communication_disabled_until": nil,
		}
	} else {
		payload["user"] = user
		payload["context"] = 1
		payload["authorizing_integration_owners"] = map[string]string{"0": "0"}
	}
	raw, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("discordtest: interact: encode: %w", err)
	}

	it := &interaction{pub: Interaction{
		ID: id, Token: token, ApplicationID: s.opts.ApplicationID, Type: typ, CommandName: cmd.Name,
		GuildID: guildID, ChannelID: ch.ID, User: user, Created: now, Payload: raw,
	}}
	s.interactions[id] = it
	s.byToken[token] = it
	for _, sess := range s.sessions {
		s.dispatchLocked(sess, "INTERACTION_CREATE", json.RawMessage(raw))
	}
	s.notifyLocked()
	pub := it.pub
	pub.s = s
	return &pub, nil
}

// interactionPlaceLocked resolves the guild and channel of an interaction,
// creating the user's DM channel when needed.
func (s *Server) interactionPlaceLocked(spec InteractionSpec, user User, now time.Time) (string, *channel, error) {
	if spec.DM {
		ch := s.dms[user.ID]
		if ch == nil {
			ch = &channel{Channel: Channel{ID: s.newID(now), Name: user.Username, Type: 1}}
			s.dms[user.ID] = ch
			s.channels[ch.ID] = ch
		}
		return "", ch, nil
	}
	guildID := spec.GuildID
	if guildID == "" {
		guildID = s.guilds[0].ID
	}
	g := s.guildByID[guildID]
	if g == nil {
		return "", nil, fmt.Errorf("discordtest: interact: unknown guild %q", guildID)
	}
	chID := spec.ChannelID
	if chID == "" {
		if len(g.Channels) == 0 {
			return "", nil, fmt.Errorf("discordtest: interact: guild %q has no channels", guildID)
		}
		chID = g.Channels[0].ID
	}
	ch := s.channels[chID]
	if ch == nil || ch.GuildID != guildID {
		return "", nil, fmt.Errorf("discordtest: interact: channel %q is not in guild %q", chID, guildID)
	}
	return guildID, ch, nil
}

// mayUse reports whether a member with perms sees a command, per its
// default_member_permissions (administrators see everything).
func mayUse(cmd Command, perms string) bool {
	if cmd.DefaultMemberPermissions == nil {
		return true
	}
	have, _ := strconv.ParseInt(perms, 10, 64)
	need, _ := strconv.ParseInt(*cmd.DefaultMemberPermissions, 10, 64)
	if have&PermAdministrator != 0 {
		return true
	}
	return need != 0 && have&need == need
}

// buildOptionsLocked turns given options into the interaction's data
// options, checking them against the registered ones. It returns how many
// options are focused.
func (s *Server) buildOptionsLocked(given []Option, defs []CommandOption, autocomplete bool, resolved map[string]map[string]any) ([]any, int, error) {
	out := []any{}
	focused := 0
	seen := map[string]bool{}
	for _, o := range given {
		i := slices.IndexFunc(defs, func(d CommandOption) bool { return d.Name == o.Name })
		if i < 0 {
			return nil, 0, fmt.Errorf("unknown option %q", o.Name)
		}
		def := defs[i]
		seen[o.Name] = true
		typ := o.Type
		if typ == 0 {
			typ = def.Type
		}
		if typ != def.Type {
			return nil, 0, fmt.Errorf("option %q has type %d, registered as %d", o.Name, typ, def.Type)
		}
		m := map[string]any{"name": o.Name, "type": typ}
		switch {
		case typ == OptionSubCommand || typ == OptionSubCommandGroup:
			sub, f, err := s.buildOptionsLocked(o.Options, def.Options, autocomplete, resolved)
			if err != nil {
				return nil, 0, fmt.Errorf("%s: %w", o.Name, err)
			}
			focused += f
			m["options"] = sub
		case o.Focused:
			if !autocomplete || !def.Autocomplete {
				return nil, 0, fmt.Errorf("option %q cannot be focused: not an autocomplete interaction or option", o.Name)
			}
			focused++
			m["focused"] = true
			m["value"] = fmt.Sprint(o.Value) // what the user has typed so far
		default:
			v, err := optionValue(def, typ, o.Value)
			if err != nil {
				return nil, 0, err
			}
			m["value"] = v
			s.resolveOptionLocked(typ, v, resolved)
		}
		out = append(out, m)
	}
	subLevel := len(defs) > 0 && (defs[0].Type == OptionSubCommand || defs[0].Type == OptionSubCommandGroup)
	if subLevel && len(given) != 1 {
		return nil, 0, fmt.Errorf("exactly one sub-command must be chosen, got %d", len(given))
	}
	if !autocomplete {
		for _, d := range defs {
			if d.Required && !seen[d.Name] {
				return nil, 0, fmt.Errorf("required option %q missing", d.Name)
			}
		}
	}
	return out, focused, nil
}

// optionValue checks a value against its option's type and choices and
// returns it as Discord would send it.
func optionValue(def CommandOption, typ int, v any) (any, error) {
	var out any
	switch typ {
	case OptionString:
		sv, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("option %q wants a string, got %T", def.Name, v)
		}
		if def.MinLength != nil && len([]rune(sv)) < *def.MinLength || def.MaxLength != nil && len([]rune(sv)) > *def.MaxLength {
			return nil, fmt.Errorf("option %q: length of %q out of range", def.Name, sv)
		}
		out = sv
	case OptionInteger, OptionNumber:
		f, ok := number(v)
		if !ok || typ == OptionInteger && f != math.Trunc(f) {
			return nil, fmt.Errorf("option %q wants a number of type %d, got %v", def.Name, typ, v)
		}
		if def.MinValue != nil && f < *def.MinValue || def.MaxValue != nil && f > *def.MaxValue {
			return nil, fmt.Errorf("option %q: %v out of range", def.Name, f)
		}
		out = f
	case OptionBoolean:
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("option %q wants a bool, got %T", def.Name, v)
		}
		out = b
	default:
		id, ok := v.(string)
		if !ok || id == "" {
			return nil, fmt.Errorf("option %q wants an ID string, got %v", def.Name, v)
		}
		out = id
	}
	if len(def.Choices) > 0 && !slices.ContainsFunc(def.Choices, func(c CommandChoice) bool { return fmt.Sprint(c.Value) == fmt.Sprint(out) }) {
		return nil, fmt.Errorf("option %q: %v is not one of its choices", def.Name, out)
	}
	return out, nil
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int32:
		return float64(n), true
	case int64:
		return float64(n), true
	case float32:
		return float64(n), true
	case float64:
		return n, true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

// resolveOptionLocked adds the user or channel an option names to the
// interaction's resolved data, as Discord does.
func (s *Server) resolveOptionLocked(typ int, v any, resolved map[string]map[string]any) {
	id, _ := v.(string)
	add := func(kind string, val any) {
		if resolved[kind] == nil {
			resolved[kind] = map[string]any{}
		}
		resolved[kind][id] = val
	}
	switch typ {
	case OptionUser, OptionMentionable:
		if u, ok := s.users[id]; ok {
			add("users", u)
		}
	case OptionChannel:
		if ch, ok := s.channels[id]; ok {
			add("channels", map[string]any{"id": ch.ID, "name": ch.Name, "type": ch.Type, "permissions": Perms(defaultBotPermissions)})
		}
	}
}

// Callbacks returns the accepted callbacks of an interaction (at most one).
func (s *Server) Callbacks(interactionID string) []Callback {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.interactions[interactionID]
	if it == nil {
		return nil
	}
	return slices.Clone(it.callbacks)
}

// Callbacks returns the interaction's accepted callbacks.
func (i *Interaction) Callbacks() []Callback { return i.s.Callbacks(i.ID) }

// WaitCallback waits for the interaction's callback.
func (i *Interaction) WaitCallback(timeout time.Duration) (Callback, error) {
	var cbs []Callback
	if !i.s.WaitFor(timeout, func() bool { cbs = i.s.Callbacks(i.ID); return len(cbs) > 0 }) {
		return Callback{}, fmt.Errorf("discordtest: no callback for interaction %s /%s within %v", i.ID, i.CommandName, timeout)
	}
	return cbs[0], nil
}

// Original returns the interaction's original response as it stands now.
func (i *Interaction) Original() (Message, bool) {
	i.s.mu.Lock()
	defer i.s.mu.Unlock()
	it := i.s.interactions[i.ID]
	if it.original == nil || it.original.Deleted {
		return Message{}, false
	}
	return copyMessage(it.original), true
}

// WaitOriginal waits until the original response exists and satisfies
// cond (nil: any), for instance until a deferred response is edited.
func (i *Interaction) WaitOriginal(timeout time.Duration, cond func(Message) bool) (Message, error) {
	var m Message
	ok := i.s.WaitFor(timeout, func() bool {
		var exists bool
		m, exists = i.Original()
		return exists && (cond == nil || cond(m))
	})
	if !ok {
		return m, fmt.Errorf("discordtest: original response of /%s not as wanted within %v", i.CommandName, timeout)
	}
	return m, nil
}

// Followups returns the interaction's followup messages, oldest first.
func (i *Interaction) Followups() []Message {
	i.s.mu.Lock()
	defer i.s.mu.Unlock()
	var out []Message
	for _, m := range i.s.interactions[i.ID].followups {
		if !m.Deleted {
			out = append(out, copyMessage(m))
		}
	}
	return out
}

// WaitFollowups waits for at least n followups.
func (i *Interaction) WaitFollowups(n int, timeout time.Duration) ([]Message, error) {
	var out []Message
	if !i.s.WaitFor(timeout, func() bool { out = i.Followups(); return len(out) >= n }) {
		return out, fmt.Errorf("discordtest: %d of %d followups of /%s within %v", len(out), n, i.CommandName, timeout)
	}
	return out, nil
}
